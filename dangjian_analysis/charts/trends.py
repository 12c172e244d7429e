"""Charts over the years: indicator trends, bump chart, slopegraph, grade transitions, 一乡一品 growth.

With ``ax=None`` (``fig=None`` for the small multiples) each draws a 16:9 slide-sized
figure and returns the Figure; given an Axes it draws there and returns it.

The catalogue is the one given, else the one the table or Dataset carries, else the default.
Indicators may be given by id or Chinese name (``office_funds`` or 村级办公经费); a year,
group or indicator not in the data is a Chinese ``ValueError`` listing what there is.
Provisional township-years (column ``provisional`` of the scores) are marked ``*`` with a
footnote giving the reason (待核实).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import (MARK, finish, footnote, group_names, label_gap, latest_year, marked, new_axes,
                    provisional_notes, spread, text_color, themed)
from ..metrics._frames import observations_of
from ..metrics._lookup import catalog_from, group_of, indicator_of, need_columns

_SCORES = "score_composite 的输出（列 unit_id, unit_name, year, group, score, rank）"

__all__ = ["plot_trends", "plot_bump", "plot_slope", "plot_transitions", "plot_feature_growth", "trend_values"]


def trend_values(data, indicator: str, catalog=None) -> pd.DataFrame:
    """Per township and year, the township value of an indicator or the mean over its
    villages (``unit_name, year, value``) — what :func:`plot_trends` draws.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (or alias).
    catalog : Catalog or path, optional

    Returns
    -------
    DataFrame
        ``unit_name, year, value``, carrying the catalogue.
    """
    cat, obs, indicator = _indicator_data(data, indicator, catalog)
    obs = obs[obs["indicator"] == indicator]
    out = obs.groupby(["township", "year"], sort=True)["value"].mean().reset_index() \
        .rename(columns={"township": "unit_name"})
    out.attrs["catalog"] = cat
    return out


def _indicator_data(data, indicator, catalog):
    """(catalogue, observations, indicator id) — the indicator resolved by id or name and
    present in the data, else a Chinese ValueError."""
    if not (hasattr(data, "observations") or isinstance(data, pd.DataFrame)):
        raise ValueError(f"需要 Dataset 或观测值表（DataFrame），实际为 {type(data).__name__}")
    cat = catalog_from(catalog, data)
    obs = need_columns(observations_of(data), ["township", "year", "indicator", "value"], "Dataset 或观测值表")
    return cat, obs, indicator_of(cat, indicator, obs.loc[obs["value"].notna(), "indicator"].unique())


@themed
def plot_trends(data, indicator: str, *, catalog=None, fig=None, ncols: int = 5):
    """Small multiples: one panel per township, the indicator over the years (village mean
    for village indicators), the county mean in grey and the catalogue target dashed.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (``office_funds`` or 村级办公经费).
    ncols : int
        Panels per row.

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    from .theme import ACCENT, NEUTRAL, PALETTE

    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols 应为正整数，实际为 {ncols!r}")
    cat, _, indicator = _indicator_data(data, indicator, catalog)
    ind = cat.indicator(indicator)
    values = trend_values(data, indicator, cat)
    towns = [t for t in cat.townships["unit_name"] if t in set(values["unit_name"])]
    nrows = int(np.ceil(len(towns) / ncols))
    fig = fig or plt.figure()
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    county = values.groupby("year")["value"].mean()
    years = sorted(values["year"].unique())
    for k, ax in enumerate(axes.flat):
        if k >= len(towns):
            ax.set_visible(False)
            continue
        own = values[values["unit_name"] == towns[k]]
        ax.plot(county.index, county.to_numpy(), color=NEUTRAL, linewidth=2, label="全县平均")
        ax.plot(own["year"], own["value"], color=PALETTE[0], marker="o", label="本乡镇")
        if pd.notna(ind["target"]):
            target_unit = "" if ind["unit"] in ("0/1", "%") else ind["unit"]
            ax.axhline(ind["target"], color=ACCENT, linestyle="--", linewidth=2,
                       label=f"目标 {ind['target']:g}{'%' if ind['unit'] == '%' else target_unit}")
        ax.set_title(towns[k], fontsize=18, loc="center", pad=6)
        ax.set_xticks(years, [str(y) for y in years], fontsize=12)
        ax.tick_params(axis="y", labelsize=13)
    unit = "是否（村均）" if ind["unit"] == "0/1" else ind["unit"]
    mean_note = "村均值" if ind["level"] == "village" else "乡镇数值"
    fig.suptitle(f"{ind['name']}（{unit}，{mean_note}）各乡镇逐年变化")
    fig.supxlabel("年度", fontsize=16)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower right", ncols=len(labels))
    return fig


@themed
def plot_bump(scores: pd.DataFrame, *, group: str = "overall", ax=None, catalog=None):
    """Ranks over the years (1 on top), one line per township, names at both ends.

    Provisional township-years are drawn as hollow markers (legend 待核实), the names at
    the ends carry ``*`` when that end year is provisional, and a footnote gives the reasons.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    group : str
        Group id or Chinese name, or ``overall`` / 综合指数.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import PALETTE

    need_columns(scores, ["unit_name", "year", "group", "rank"], _SCORES)
    cat = catalog_from(catalog, scores)
    group = group_of(cat, group, scores["group"].unique())
    data = scores[scores["group"] == group]
    notes = provisional_notes(data, by=("unit_name", "year"))
    years = sorted(int(y) for y in data["year"].unique())
    wide = data.pivot_table(index="unit_name", columns="year", values="rank", aggfunc="first",
                            dropna=False).reindex(columns=years)
    fig, ax, figure_level = new_axes(ax)
    last = wide[years[-1]].sort_values()
    for k, name in enumerate(last.index):
        color = PALETTE[k % len(PALETTE)]
        ax.plot(years, wide.loc[name].to_numpy(dtype=float), marker="o", markersize=14, color=color, linewidth=3.5)
        held = [y for y in years if (name, y) in notes]
        if held:
            ax.scatter(held, wide.loc[name, held].to_numpy(dtype=float), s=90, facecolor="white", edgecolor=color,
                       linewidth=2.5, zorder=3, label=f"待核实（{MARK}）")
        ax.text(years[-1] + 0.12, wide.loc[name, years[-1]], marked(name, notes, (name, years[-1])), va="center",
                fontsize=16)
        ax.text(years[0] - 0.12, wide.loc[name, years[0]], marked(name, notes, (name, years[0])), va="center",
                ha="right", fontsize=16)
    n = len(wide)
    ax.set_ylim(n + 0.6, 0.4)
    ax.set_yticks(range(1, n + 1))
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.set_xlim(years[0] - 0.8, years[-1] + 0.8)
    ax.set_ylabel("名次")
    ax.spines["left"].set_visible(False)
    ax.set_title(f"各乡镇{group_names(cat)[group]}名次变化（{years[0]}–{years[-1]}）")
    if notes:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[:1], labels[:1], loc="lower right", bbox_to_anchor=(1.0, 1.0))
    footnote(fig, ax, figure_level, notes, label=lambda key: f"{key[0]} {key[1]}年")
    return finish(fig, ax, figure_level)


@themed
def plot_slope(scores: pd.DataFrame, from_year: int, to_year: int, *, group: str = "overall", ax=None,
               catalog=None):
    """Slopegraph of each township's score between two years; rises in blue, falls in red.

    A township provisional in either year carries ``*`` on that side, explained in a footnote.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    from_year, to_year : int
        Years in ``scores``.
    group : str
        Group id or Chinese name, or ``overall`` / 综合指数.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import GRADE_COLORS

    need_columns(scores, ["unit_name", "year", "group", "score"], _SCORES)
    cat = catalog_from(catalog, scores)
    group = group_of(cat, group, scores["group"].unique())
    data = scores[scores["group"] == group]
    from_year, to_year = latest_year(data, from_year), latest_year(data, to_year)
    notes = provisional_notes(data[data["year"].isin([from_year, to_year])], by=("unit_name", "year"))
    wide = data.pivot_table(index="unit_name", columns="year", values="score", aggfunc="first")
    wide = wide.reindex(columns=[from_year, to_year]).dropna()
    if wide.empty:
        raise ValueError(f"没有乡镇在 {from_year} 年和 {to_year} 年都有得分")
    fig, ax, figure_level = new_axes(ax)
    values = wide.to_numpy()
    span = values.max() - values.min() + 10
    gap = label_gap(ax, 15, span)
    left, right = spread(wide[from_year], gap), spread(wide[to_year], gap)
    change = (wide[to_year] - wide[from_year]).sort_values()
    highlight = set(change.index[-2:]) | set(change.index[:1])      # the two biggest risers, the smallest
    for k, name in enumerate(wide.index):
        a, b = wide.loc[name, from_year], wide.loc[name, to_year]
        color = (GRADE_COLORS["好"] if b >= a else GRADE_COLORS["差"]) if name in highlight else "#9E9E9E"
        weight = "bold" if name in highlight else "normal"
        ax.plot([0, 1], [a, b], color=color, marker="o", markersize=9, linewidth=3.5 if name in highlight else 2)
        ax.plot([-0.02, 0], [left[k], a], color="#BBBBBB", linewidth=0.8)
        ax.plot([1, 1.02], [b, right[k]], color="#BBBBBB", linewidth=0.8)
        ax.text(-0.03, left[k], f"{marked(name, notes, (name, from_year))} {a:.1f}", ha="right", va="center",
                fontsize=15, fontweight=weight)
        ax.text(1.03, right[k], f"{b:.1f} {marked(name, notes, (name, to_year))}", ha="left", va="center",
                fontsize=15, fontweight=weight)
    low = min(left.min(), right.min()) - gap
    high = max(left.max(), right.max()) + 2 * gap
    ax.set_ylim(low, high)
    for x, year in ((0, from_year), (1, to_year)):
        ax.text(x, high - gap, f"{year}年", ha="center", va="center", fontsize=20, fontweight="bold")
    ax.set_xlim(-0.45, 1.45)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"{group_names(cat)[group]}：{from_year}年与{to_year}年对比")
    footnote(fig, ax, figure_level, notes, label=lambda key: f"{key[0]} {key[1]}年")
    return finish(fig, ax, figure_level)


@themed
def plot_transitions(transitions, *, ax=None):
    """The grade-transition matrix (晋位升级) of :func:`~dangjian_analysis.grade_transitions`.

    Units provisional in either year (``transitions.units["provisional"]``) are counted in
    their cells and named in a footnote (待核实).

    Parameters
    ----------
    transitions : Transitions

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    if not (hasattr(transitions, "matrix") and hasattr(transitions, "counts")):
        raise ValueError(f"需要 grade_transitions 的结果（Transitions），实际为 {type(transitions).__name__}")
    matrix = transitions.matrix
    fig, ax, figure_level = new_axes(ax)
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=max(1, matrix.to_numpy().max()))
    n = len(matrix)
    for i in range(n):
        for j in range(n):
            value = matrix.iat[i, j]
            color = "#BBBBBB" if value == 0 else text_color(image.cmap(image.norm(value)))
            ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=22 if value else 16, color=color)
    ax.set_xticks(range(n), matrix.columns)
    ax.set_yticks(range(n), matrix.index)
    ax.set_xlabel(f"{matrix.columns.name}（对角线左下方为升级）", labelpad=12)
    ax.set_ylabel(matrix.index.name, labelpad=16)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    c = transitions.counts
    ax.set_title(f"晋位升级：升级 {c['up']} 个，持平 {c['same']} 个，降级 {c['down']} 个", pad=16)
    units = getattr(transitions, "units", None)
    if isinstance(units, pd.DataFrame) and "provisional" in units.columns:
        held = units[units["provisional"].fillna(False).astype(bool)]
        footnote(fig, ax, figure_level, {n: f"{a}→{b}" for n, a, b in
                                         zip(held["unit_name"], held["grade_from"], held["grade_to"])})
    return finish(fig, ax, figure_level)


@themed
def plot_feature_growth(data, *, indicator: str = "feature_output", ax=None, catalog=None):
    """一乡一品 output by township over the years, each line labelled with its CAGR.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (default ``feature_output``, 主导产业产值).

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import NEUTRAL, PALETTE
    from ..metrics.trends import growth

    cat, _, indicator = _indicator_data(data, indicator, catalog)
    ind = cat.indicator(indicator)
    values = trend_values(data, indicator, cat)
    years = sorted(values["year"].unique())
    rates = growth(values.assign(unit_id=values["unit_name"]), value="value", by=[]).set_index("unit_id")
    fig, ax, figure_level = new_axes(ax)
    last = values[values["year"] == years[-1]].set_index("unit_name")["value"].sort_values(ascending=False)
    gap = label_gap(ax, 14, last.max() * 1.08)
    positions = spread(last.to_numpy(), gap)
    positions = positions + max(0.0, gap / 2 - positions.min())        # no label below the axis
    for k, (name, y_end) in enumerate(zip(last.index, positions)):
        own = values[values["unit_name"] == name]
        color = PALETTE[k] if k < 3 else NEUTRAL           # the leaders in colour, the rest in grey
        ax.plot(own["year"], own["value"], marker="o", color=color, linewidth=3.5 if k < 3 else 2)
        rate = rates.loc[name, "pct_per_year"]
        ax.text(years[-1] + 0.08, y_end, f"{name}  年均 {rate:+.1f}%", va="center", fontsize=14,
                color=color if k < 3 else "#333333")
    ax.set_ylim(0, max(positions.max(), last.max()) + gap)
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.set_xlim(years[0] - 0.2, years[-1] + 1.1)
    ax.set_ylabel(f"{ind['name']}（{ind['unit']}）")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.grid(axis="y")
    ax.set_title(f"一乡一品：各乡镇{ind['name']}（{years[0]}–{years[-1]}，标注年均增长率）")
    return finish(fig, ax, figure_level)
