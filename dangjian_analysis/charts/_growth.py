"""The 一乡一品 growth chart (re-exported by :mod:`.trends`): one panel per township with its
average growth rate in the panel title, or on a given Axes one line per township named at
its end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import MARK, chart_title, figure_footnote, footnote, held_handle, label_gap, spread, themed
from ._series import indicator_data, trend_values, year_marks
from ._text import text_width

__all__ = ["plot_feature_growth"]


@themed
def plot_feature_growth(data, *, indicator: str = "feature_output", ax=None, catalog=None, marks=None,
                        ncols: int = 5):
    """一乡一品 output by township over the years, with each township's average growth rate
    (CAGR, 100 × ((x_last / x_first)^(1/(years − 1)) − 1), see :func:`~dangjian_analysis.growth`).

    Without ``ax``: small multiples, one panel per township on shared axes, fastest growth
    first, the rate in the panel title (“东山镇 年均 +15.3%”) and the last value at the end
    of the line. With ``ax``: one line per township in its own colour, named with its rate
    at the right end (labels spread apart, joined to their lines by leader lines).
    Provisional township-years are hollow points, the name carries ``*`` and a footnote
    gives the reasons (待核实).

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (default ``feature_output``, 主导产业产值).
    marks : DataFrame, optional
        Where the 待核实 marks come from (see :func:`~dangjian_analysis.plot_trends`).
    ncols : int
        Panels per row (without ``ax``).

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from ..metrics.trends import growth

    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols 应为正整数，实际为 {ncols!r}")
    cat, _, indicator = indicator_data(data, indicator, catalog)
    ind = cat.indicator(indicator)
    values = trend_values(data, indicator, cat).sort_values(["unit_name", "year"])
    rates = growth(values.assign(unit_id=values["unit_name"]), value="value", by=[]).set_index("unit_id")
    rates = rates["pct_per_year"].reindex(values["unit_name"].unique())
    shown = set(zip(values["unit_name"], values["year"].astype(int)))
    notes = {k: r for k, r in year_marks(data, cat, marks).items() if (k[0], int(k[1])) in shown}
    notes = {(t, int(y)): r for (t, y), r in notes.items()}
    title = f"一乡一品：各乡镇{ind['name']}及年均增长率（{min(values['year'])}–{max(values['year'])}）"
    if ax is not None:
        _lines(ax, values, rates, notes, ind)
        ax.set_title(title)
        footnote(ax.figure, ax, False, notes, label=lambda key: f"{key[0]} {key[1]}年")
        return ax
    return _panels(values, rates, notes, ind, ncols, title)


def _rate(rate) -> str:
    return f"年均 {rate:+.1f}%" if pd.notna(rate) else "年均增长率无法计算"


def _held(ax, own: pd.DataFrame, name: str, notes: dict, color) -> bool:
    """Hollow markers on the provisional years of ``own``; whether there were any."""
    held = own[[(name, int(y)) in notes for y in own["year"]]]
    if len(held):
        ax.scatter(held["year"], held["value"], s=70, facecolor="white", edgecolor=color, linewidth=2.5, zorder=3)
    return bool(len(held))


def _panels(values, rates, notes, ind, ncols, title):
    """One panel per township (shared axes), fastest growth first."""
    import matplotlib.pyplot as plt

    from .theme import PALETTE

    order = rates.sort_values(ascending=False, na_position="last", kind="stable").index
    years = sorted(values["year"].unique())
    nrows = int(np.ceil(len(order) / ncols))
    fig = plt.figure()
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    top = values["value"].max()
    for k, ax in enumerate(axes.flat):
        if k >= len(order):
            ax.set_visible(False)
            continue
        name = order[k]
        own = values[values["unit_name"] == name]
        ax.plot(own["year"], own["value"], color=PALETTE[0], marker="o")
        held = _held(ax, own, name, notes, PALETTE[0])
        last = own.iloc[-1]
        ax.annotate(f"{last['value']:,.0f}", xy=(last["year"], last["value"]), xytext=(-4, 8),
                    textcoords="offset points", ha="right", va="bottom", fontsize=13, color="#333333")
        ax.set_title(f"{name}{MARK if held else ''}  {_rate(rates[name])}", fontsize=16, loc="center", pad=6)
        ax.set_xticks(years, [str(y) for y in years], fontsize=12)
        ax.tick_params(axis="y", labelsize=12)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    axes.flat[0].set_ylim(0, top * 1.2)
    fig.supylabel(f"{ind['name']}（{ind['unit']}）", fontsize=16)
    chart_title(fig, None, True, title)
    if notes:
        fig.legend(handles=[held_handle()], loc="outside lower right")
    figure_footnote(fig, notes, label=lambda key: f"{key[0]} {key[1]}年")
    return fig


def _lines(ax, values, rates, notes, ind) -> None:
    """One line per township on ``ax``, each in its own colour, named with its rate at the
    right end; the names spread apart and joined to their lines by thin leader lines."""
    from .theme import PALETTE

    years = sorted(values["year"].unique())
    last = values[values["year"] == years[-1]].set_index("unit_name")["value"].sort_values(ascending=False)
    gap = label_gap(ax, 14, last.max() * 1.08)
    positions = spread(last.to_numpy(), gap)
    positions = positions + max(0.0, gap / 2 - positions.min())        # no label below the axis
    labels = []
    for k, (name, y_end) in enumerate(zip(last.index, positions)):
        own = values[values["unit_name"] == name]
        color = PALETTE[k % len(PALETTE)]
        ax.plot(own["year"], own["value"], marker="o", color=color, linewidth=2.5)
        held = _held(ax, own, name, notes, color)
        ax.plot([years[-1] + 0.03, years[-1] + 0.12], [last[name], y_end], color=color, linewidth=0.8)
        labels.append(f"{name}{MARK if held else ''}  {_rate(rates[name])}")
        ax.text(years[-1] + 0.14, y_end, labels[-1], va="center", fontsize=14, color=color, zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})       # the grid stops at the label
    ax.set_ylim(0, max(positions.max(), last.max()) + gap)
    ax.set_xticks(years, [f"{y}年" for y in years])
    # room on the right for the longest label: (x1 − start) of (x1 − x0) must hold its share of the width
    x0, start = years[0] - 0.2, years[-1] + 0.14
    share = min(0.6, 1.1 * max(text_width(t, 14) for t in labels) / (ax.get_position().width * ax.figure.get_figwidth()
                                                                      * 72))
    ax.set_xlim(x0, max(years[-1] + 1.0, (start - share * x0) / (1 - share)))
    ax.set_ylabel(f"{ind['name']}（{ind['unit']}）")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.grid(axis="y")
