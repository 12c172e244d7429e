"""Stage 4 — charts: slide-sized Chinese charts of the metric tables.

Takes the tidy frames of :mod:`dangjian_analysis.metrics`; gives matplotlib Figures (or draws
on a given ``ax``). :mod:`.theme` (``slide_theme``, the bundled Noto Sans CJK SC in
``fonts/``, fixed colours), one module per family of charts — :mod:`.compare` (ranking,
heatmap, radar, attainment, rank robustness), :mod:`.trends` (trends, bump, slope, 晋位升级,
一乡一品 growth), :mod:`.review` (述职评议) — :mod:`.takeaways` (the one-line findings
computed from the data) and :mod:`.save` (PNG/SVG files without dates). A new chart goes into
the module of its family as a ``plot_*`` function.
"""
