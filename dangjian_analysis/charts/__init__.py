"""Stage 4 — charts: slide-sized Chinese charts of the metric tables.

Takes the tidy frames of :mod:`dangjian_analysis.metrics`; gives matplotlib Figures (or draws
on a given ``ax``). :mod:`.theme` (``slide_theme``, the bundled Noto Sans CJK SC in
``fonts/``, fixed colours), one module per family of charts — :mod:`.compare` (ranking,
heatmap, radar, attainment, rank robustness), :mod:`.trends` (trends, bump, slope, 晋位升级,
一乡一品 growth), :mod:`.review` (述职评议), :mod:`.distributions` (boxes and seaborn swarms of
述职评议 scores and village values) — :mod:`.takeaways` (the one-line findings
computed from the data) and :mod:`.save` (PNG/SVG files without dates). A new chart goes into
the module of its family as a ``plot_*`` function.

A figure a ``plot_*`` function makes carries its title as a left-aligned ``suptitle`` above
everything else (``_base.chart_title``), so that documents can crop that band off and title
the chart themselves; on a given ``ax`` the title is the axes title. Private helpers:
``_base`` (figures, titles, footnotes, 待核实 marks), ``_text`` (headers broken between
words), ``_place`` (labels clear of reference lines and radar polygons), ``_series`` (series
over the years and their marks); the 晋位升级 and 一乡一品 charts live in ``_transitions`` and
``_growth`` and are published by :mod:`.trends`.
"""
