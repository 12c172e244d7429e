"""Private helpers of the chart modules: figures at slide size, the theme, the chart title
(a left-aligned ``suptitle`` when the function made the figure), label spreading, footnotes
and the 待核实 marks."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from ..metrics._frames import flags

__all__ = ["themed", "shown_once", "new_axes", "finish", "spread", "latest_year", "group_names", "wrap_name", "text_color",
           "label_gap", "grade_colors", "provisional_notes", "marked", "footnote", "figure_footnote", "chart_title",
           "held_handle", "table_catalog", "warn_unknown_grades",
           "MARK", "TITLE_X"]

#: The mark on a provisional township-year (待核实), explained in a footnote on the chart.
MARK = "*"
#: Where every figure-level chart title starts (figure fraction from the left edge, ``ha="left"``).
TITLE_X = 0.01


def themed(func):
    """Run a plotting function inside :func:`slide_theme` (fonts resolve when artists are made);
    a Figure it returns is shown once in a notebook (:func:`shown_once`)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .theme import slide_theme

        with slide_theme():
            return shown_once(func(*args, **kwargs))

    return wrapper


#: Backends that draw every open pyplot figure at the end of a notebook cell.
_CELL_BACKENDS = ("inline", "ipympl", "widget")


def _display_once(fig) -> None:
    """Display a chart the first time Jupyter asks (as a cell's value, or when the backend draws the
    open figures after the cell) and, under a backend that draws every open figure after the cell,
    close it in pyplot first so that the backend does not draw it again."""
    import matplotlib
    from matplotlib._pylab_helpers import Gcf

    if any(name in matplotlib.get_backend().lower() for name in _CELL_BACKENDS):
        for manager in Gcf.get_all_fig_managers():
            if manager.canvas.figure is fig:
                Gcf.destroy(manager)
    from IPython.display import display

    hook = fig.__dict__.pop("_ipython_display_")
    try:
        display(fig)
    finally:
        fig._ipython_display_ = hook


def shown_once(result):
    """``result``, a Figure made a chart that Jupyter shows once.

    In a notebook with the inline (or ipympl) backend, a Figure that ends a cell was shown twice:
    as the cell's value, and by the backend, which draws every open pyplot figure after the cell.
    The returned Figure gets an ``_ipython_display_`` (IPython's hook for an object that displays
    itself): the first display closes it in pyplot (as the inline backend does after drawing it
    anyway) and shows it, so the backend's own pass finds nothing left to draw. Under any other
    backend it is displayed as usual and stays open. Until Jupyter displays it nothing changes:
    the figure is open in pyplot (``plt.show()``, ``plt.savefig`` and ``fig = dj.plot_…(…)`` in a
    cell behave as before) and scripts never load IPython. Axes (``ax=`` given) are returned
    untouched.
    """
    from matplotlib.figure import Figure

    if isinstance(result, Figure):
        result._ipython_display_ = functools.partial(_display_once, result)
    return result


def new_axes(ax=None, *, polar: bool = False, figsize=None):
    """(fig, ax, figure_level): a new slide-sized figure when ``ax`` is None."""
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax, False
    fig = plt.figure(figsize=figsize) if figsize else plt.figure()
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax, True


def chart_title(fig, ax, figure_level: bool, text: str, **axes_kwargs):
    """The chart title: a figure that the function made gets ``fig.suptitle`` at :data:`TITLE_X`,
    left-aligned, in the band above everything else (the documents crop that band off and put
    the title on the slide instead); on a given ``ax`` it is ``ax.set_title(text, **axes_kwargs)``."""
    if figure_level:
        return fig.suptitle(text, x=TITLE_X, ha="left")
    return ax.set_title(text, **axes_kwargs)


def finish(fig, ax, figure_level: bool):
    """Figure-level calls return the Figure, axes-level calls the Axes."""
    return fig if figure_level else ax


def spread(values, gap: float) -> np.ndarray:
    """Positions near ``values`` at least ``gap`` apart (for end labels that must not overlap)."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values)
    pos = values[order].copy()
    for _ in range(200):
        moved = False
        for i in range(1, len(pos)):
            if pos[i] - pos[i - 1] < gap - 1e-9:
                mid = (pos[i] + pos[i - 1]) / 2
                pos[i - 1], pos[i] = mid - gap / 2, mid + gap / 2
                moved = True
        if not moved:
            break
    out = np.empty_like(pos)
    out[order] = pos
    return out


def label_gap(ax, fontsize: float, span: float) -> float:
    """The data distance on the y axis that one line of text of ``fontsize`` points takes
    (with 15 % leading), for an axis showing ``span`` data units."""
    height = ax.get_position().height * ax.figure.get_figheight()
    return 1.15 * (fontsize / 72) / height * span


def wrap_name(text: str, width: int = 4) -> str:
    """Break a Chinese label for a column header between words only (:func:`._text.header`)."""
    from ._text import header

    return header(text, width)


def latest_year(frame: pd.DataFrame, year) -> int:
    """``year`` if ``frame`` has it (a Chinese ValueError listing the years otherwise), else the latest."""
    from ..metrics._lookup import year_of

    return year_of(frame, year)


def grade_colors(grades) -> dict[str, str]:
    """Colours of ``grades`` (best first) on the fixed blue–red ramp of :data:`GRADE_COLORS`, by
    position: the default four keep their colours, a county's own names (优秀 良好 一般 较差) get
    the same ramp, and a ladder of another length is spread along it."""
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    from .theme import GRADE_COLORS

    ramp, grades = list(GRADE_COLORS.values()), list(grades)
    if len(grades) == len(ramp):
        return dict(zip(grades, ramp))
    cmap = LinearSegmentedColormap.from_list("grades", ramp)
    return {g: to_hex(cmap(i / max(1, len(grades) - 1))).upper() for i, g in enumerate(grades)}


def table_catalog(catalog, table):
    """The catalogue a chart of ``table`` draws with: the one given (a Catalog or a path), else the
    one ``table`` carries (``attrs["catalog"]``, or a Dataset's), else the default — with the Chinese
    warning of :func:`~dangjian_analysis.metrics._frames.catalog_of` naming it (a table read back
    from a CSV, a Dataset's part): a county's grade names, bands and group names are never
    replaced by the default's in silence."""
    from ..metrics._frames import catalog_of
    from ..metrics._lookup import catalog_from

    attrs = getattr(table, "attrs", None)
    if catalog is not None or hasattr(table, "catalog") or (isinstance(attrs, dict) and attrs.get("catalog") is not None):
        return catalog_from(catalog, table)
    return catalog_of(table, None)


def warn_unknown_grades(grades, catalog) -> None:
    """A Chinese warning when ``grades`` (the table's, NA left out) hold names that are not the
    catalogue's grades: they are drawn grey, and the table was most likely computed with another
    county's catalogue."""
    from ..metrics._frames import warn

    known = set(catalog.grade_bands["grade"])
    unknown = [g for g in dict.fromkeys(pd.Series(grades).dropna().astype(str)) if g not in known]
    if unknown:
        warn(f"表中的等次{'、'.join(unknown)}不是所用指标体系（{catalog.county_name}）的等次"
             f"（{'、'.join(catalog.grade_bands['grade'])}），画为灰色；请用 catalog= 传入算出这张表的指标体系")


def provisional_notes(frame: pd.DataFrame, by=("unit_name",)) -> dict:
    """Key (``unit_name``, or a tuple of the ``by`` columns) → reason, for the rows marked
    ``provisional`` (empty when the table has no such column)."""
    if "provisional" not in frame.columns or frame.empty:
        return {}
    rows = frame[flags(frame["provisional"])]
    reasons = rows["provisional_reason"] if "provisional_reason" in rows else pd.Series("", index=rows.index)
    notes: dict = {}
    keys = zip(*(rows[c] for c in by)) if len(by) > 1 else rows[by[0]]
    for key, reason in zip(keys, reasons):
        text = reason if isinstance(reason, str) and reason else "待核实"
        if text not in notes.setdefault(key, []):
            notes[key].append(text)
    return {k: "；".join(v) for k, v in notes.items()}


def marked(name: str, notes: dict, key=None) -> str:
    """``name`` with :data:`MARK` when its key (default: the name) is in ``notes``."""
    return f"{name}{MARK}" if (name if key is None else key) in notes else name


def _note_text(notes: dict, label, chars: int) -> str:
    """``* 待核实：A（原因）；B（原因）`` in lines of at most ``chars`` ems, broken after a “；”
    where it can be, else between characters (never before punctuation, never inside a number)."""
    from ._text import em_width

    parts = [f"{key if label is None else label(key)}（{reason}）" for key, reason in notes.items()]
    parts = [f"{MARK} 待核实：{parts[0]}", *parts[1:]]
    lines = [""]
    for k, part in enumerate(parts):
        part += "；" if k + 1 < len(parts) else ""
        if lines[-1] and em_width(lines[-1] + part) > chars:
            lines.append("")
        for token in re.findall(r"[0-9A-Za-z/.%+\-]+|.", part):
            if em_width(lines[-1] + token) > chars and token not in "，；：、）。" and lines[-1].strip():
                lines.append("")
            lines[-1] += token
    return "\n".join(lines)


def footnote(fig, ax, figure_level: bool, notes: dict, label=None):
    """The footnote explaining :data:`MARK` (``* 待核实：东山镇（原因）；…``), left-aligned just
    below the x axis of ``ax`` and its labels, inside the layout (constrained layout makes
    room for it), wrapped to the width of ``ax``; ``label(key)`` names a key (default: the key
    itself). None when nothing is provisional."""
    if not notes:
        return None
    from matplotlib.transforms import Bbox

    inches = ax.get_position().width * fig.get_figwidth()
    text = _note_text(notes, label, max(20, int(inches * 72 / 12 * 0.95)))

    def below_axis(renderer):
        boxes = [ax.bbox, ax.xaxis.get_tightbbox(renderer)]
        return Bbox.union([b for b in boxes if b is not None and b.height > 0 or b is ax.bbox])

    return ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", below_axis), xytext=(0, -8),
                       textcoords="offset points", ha="left", va="top", fontsize=12, color="#444444",
                       annotation_clip=False)


def figure_footnote(fig, notes: dict, label=None, *, chars: int = 44):
    """The footnote of a figure of small multiples, at the bottom left of the figure (as its
    ``supxlabel`` at :data:`TITLE_X`, so constrained layout makes room for it), ``chars``
    characters a line to leave the bottom right to a legend. None when nothing is provisional."""
    if not notes:
        return None
    return fig.supxlabel(_note_text(notes, label, chars), x=TITLE_X, ha="left", fontsize=12, color="#444444",
                         multialignment="left")


def held_handle(label: str = f"待核实（{MARK}）"):
    """The legend entry of a hollow marker (a provisional township-year)."""
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor="white",
                  markeredgecolor="#333333", markeredgewidth=2, label=label)


def group_names(catalog) -> dict[str, str]:
    return {**dict(zip(catalog.groups["group"], catalog.groups["name"])), "overall": "综合指数"}


def text_color(rgba) -> str:
    """Black or white text, whichever reads better on a cell of this colour."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"
