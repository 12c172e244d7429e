"""Private helpers of the chart modules: figures at slide size, the theme, label spreading."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

__all__ = ["themed", "new_axes", "finish", "spread", "latest_year", "group_names", "wrap", "wrap_name", "text_color",
           "label_gap", "grade_colors", "provisional_notes", "marked", "footnote", "MARK"]

#: The mark on a provisional township-year (待核实), explained in a footnote on the chart.
MARK = "*"


def themed(func):
    """Run a plotting function inside :func:`slide_theme` (fonts resolve when artists are made)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .theme import slide_theme

        with slide_theme():
            return func(*args, **kwargs)

    return wrapper


def new_axes(ax=None, *, polar: bool = False, figsize=None):
    """(fig, ax, figure_level): a new slide-sized figure when ``ax`` is None."""
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax, False
    fig = plt.figure(figsize=figsize) if figsize else plt.figure()
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax, True


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
    """Break a Chinese label for a column header, preferring a break before 工程/服务 etc."""
    for suffix in ("工程", "服务站", "占比", "比重", "收入", "经费", "报酬", "面积"):
        if text.endswith(suffix) and len(text) > width:
            return wrap(text[: -len(suffix)], width) + "\n" + suffix
    return wrap(text, width)


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


def provisional_notes(frame: pd.DataFrame, by=("unit_name",)) -> dict:
    """Key (``unit_name``, or a tuple of the ``by`` columns) → reason, for the rows marked
    ``provisional`` (empty when the table has no such column)."""
    if "provisional" not in frame.columns or frame.empty:
        return {}
    rows = frame[frame["provisional"].fillna(False).astype(bool)]
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


def footnote(fig, ax, figure_level: bool, notes: dict, label=None):
    """The footnote explaining :data:`MARK` (``* 待核实：东山镇（原因）；…``), left-aligned just
    below the x axis of ``ax`` and its labels, inside the layout (constrained layout makes
    room for it); ``label(key)`` names a key (default: the key itself). None when nothing is
    provisional."""
    if not notes:
        return None
    import textwrap

    from matplotlib.transforms import Bbox

    parts = [f"{key if label is None else label(key)}（{reason}）" for key, reason in notes.items()]
    text = "\n".join(textwrap.wrap(f"{MARK} 待核实：" + "；".join(parts), 90))

    def below_axis(renderer):
        boxes = [ax.bbox, ax.xaxis.get_tightbbox(renderer)]
        return Bbox.union([b for b in boxes if b is not None and b.height > 0 or b is ax.bbox])

    return ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", below_axis), xytext=(0, -8),
                       textcoords="offset points", ha="left", va="top", fontsize=12, color="#444444",
                       annotation_clip=False)


def group_names(catalog) -> dict[str, str]:
    return {**dict(zip(catalog.groups["group"], catalog.groups["name"])), "overall": "综合指数"}


def wrap(text: str, width: int = 6) -> str:
    """Break a Chinese label every ``width`` characters."""
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def text_color(rgba) -> str:
    """Black or white text, whichever reads better on a cell of this colour."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"
