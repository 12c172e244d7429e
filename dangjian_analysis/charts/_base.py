"""Private helpers of the chart modules: figures at slide size, the theme, label spreading."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

__all__ = ["themed", "new_axes", "finish", "spread", "latest_year", "group_names", "wrap", "wrap_name", "text_color",
           "label_gap"]


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
    if year is not None:
        if year not in set(frame["year"]):
            raise ValueError(f"数据中没有 {year} 年度")
        return int(year)
    return int(frame["year"].max())


def group_names(catalog) -> dict[str, str]:
    return {**dict(zip(catalog.groups["group"], catalog.groups["name"])), "overall": "综合指数"}


def wrap(text: str, width: int = 6) -> str:
    """Break a Chinese label every ``width`` characters."""
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def text_color(rgba) -> str:
    """Black or white text, whichever reads better on a cell of this colour."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"
