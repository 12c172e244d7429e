"""The small chart of a township's 反馈单: its 综合指数 per year, each point labelled with its 名次.

:func:`plot_township_history` draws from the township rows of
:func:`~dangjian_analysis.score_composite` (the ``overall`` group): one point per year up to
``year``, the index (0–100) on the y axis, ``第k名`` under each point; a provisional
(待核实) year is marked with :data:`~._base.MARK` and a footnote. :func:`township_history_png`
returns the figure as PNG bytes, the same bytes on every run (no software stamp, fixed dpi).
The figure has no title of its own: the 反馈单 names it in its text.
"""

from __future__ import annotations

import pandas as pd

from ._base import MARK, finish, new_axes, themed
from ..metrics._frames import flags

__all__ = ["plot_township_history", "township_history_png", "history_rows"]

#: Width and height in inches of the figure (it is placed at about 14 cm wide in the 反馈单).
FIGSIZE = (6.4, 2.0)


def history_rows(scores: pd.DataFrame, township: str, year: int | None = None) -> pd.DataFrame:
    """The township's ``overall`` rows of ``scores`` up to ``year`` (default: all), by year:
    ``year, score, rank, grade, provisional`` as the scores have them (not recomputed)."""
    rows = scores[(scores["group"] == "overall") & (scores["unit_name"] == township)]
    if year is not None:
        rows = rows[rows["year"] <= year]
    rows = rows.sort_values("year")
    held = flags(rows["provisional"]) if "provisional" in rows else pd.Series(False, index=rows.index)
    return pd.DataFrame({"year": rows["year"].astype(int), "score": rows["score"], "rank": rows["rank"],
                         "grade": rows["grade"], "provisional": held.astype(bool)}).reset_index(drop=True)


@themed
def plot_township_history(scores: pd.DataFrame, township: str, year: int | None = None, *, ax=None):
    """The township's 综合指数 per year with its 名次 under each point.

    Parameters
    ----------
    scores : DataFrame
        :func:`~dangjian_analysis.score_composite` of the townships (``overall`` rows are used).
    township : str
        The township's name.
    year : int, optional
        The last year drawn (default: the latest in ``scores``).
    ax : Axes, optional
        Draw into it; default a new figure of :data:`FIGSIZE`.

    Returns
    -------
    Figure (``ax=None``) or Axes

    Raises
    ------
    ValueError
        One Chinese line when ``scores`` has no row of ``township``.
    """
    rows = history_rows(scores, township, year)
    if rows.empty:
        raise ValueError(f"综合指数中没有“{township}”的结果，不能绘制其历年综合指数")
    fig, ax, figure_level = new_axes(ax, figsize=FIGSIZE)
    years = rows["year"].tolist()
    ax.plot(years, rows["score"], color="#b22222", marker="o", linewidth=2, markersize=6)
    for y, score, rank, held in zip(years, rows["score"], rows["rank"], rows["provisional"]):
        if pd.isna(score):
            continue
        mark = MARK if held else ""
        ax.annotate(f"{score:.1f}{mark}", (y, score), textcoords="offset points", xytext=(0, 7), ha="center",
                    fontsize=11)
        if pd.notna(rank):
            ax.annotate(f"第{int(rank)}名", (y, score), textcoords="offset points", xytext=(0, -17), ha="center",
                        fontsize=10, color="#444444")
    ax.set_xticks(years, [f"{y}年" for y in years], fontsize=11)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 50, 100])
    ax.tick_params(axis="y", labelsize=10)
    ax.set_ylabel("综合指数", fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if rows["provisional"].any():
        ax.text(1.0, 1.0, f"{MARK} 待核实", transform=ax.transAxes, ha="right", va="bottom", fontsize=9)
    return finish(fig, ax, figure_level)


def township_history_png(scores: pd.DataFrame, township: str, year: int | None = None, *, dpi: int = 200) -> bytes:
    """:func:`plot_township_history` as PNG bytes at ``dpi`` (the figure is closed); the same
    inputs give the same bytes (:func:`~.save.png_bytes`)."""
    import matplotlib.pyplot as plt

    from .save import png_bytes

    fig = plot_township_history(scores, township, year)
    try:
        return png_bytes(fig, dpi=dpi)
    finally:
        plt.close(fig)
