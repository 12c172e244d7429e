"""Charts over the years: indicator trends, bump chart, slopegraph, grade transitions, 一乡一品 growth.

With ``ax=None`` (``fig=None`` for the small multiples) each draws a 16:9 slide-sized
figure, titled by a left-aligned ``suptitle``, and returns the Figure; given an Axes it
draws there (the title as the axes title) and returns it.

The catalogue is the one given, else the one the table or Dataset carries, else the default.
Indicators may be given by id or Chinese name (``office_funds`` or 村级办公经费); a year,
group or indicator not in the data is a Chinese ``ValueError`` listing what there is.
Provisional township-years (column ``provisional`` of the scores; for the charts of
observations, see :func:`._series.year_marks`) are marked ``*`` with a footnote giving the
reason (待核实). When a year's county mean includes a value held for a check, or is over the
townships that reported only (a partial year), the county line's legend says so
(“全县平均（2015年含待核实数值）”, the township starred, “全县平均（2016年仅已报送的 3 个乡镇）”); ranks are drawn only across years that rank the same
townships (:func:`plot_bump`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import (MARK, chart_title, figure_footnote, finish, footnote, group_names, held_handle, label_gap,
                    latest_year, marked, new_axes, provisional_notes, spread, themed)
from ._growth import plot_feature_growth
from ._reported import comparable_years, county_word, value_holds
from ._series import indicator_data as _indicator_data, trend_values, year_marks
from ._transitions import plot_transitions
from ..metrics._lookup import catalog_from, group_of, need_columns, year_order

_SCORES = "score_composite 的输出（列 unit_id, unit_name, year, group, score, rank）"

__all__ = ["plot_trends", "plot_bump", "plot_slope", "plot_transitions", "plot_feature_growth", "trend_values"]


@themed
def plot_trends(data, indicator: str, *, catalog=None, fig=None, ncols: int = 5, marks=None):
    """Small multiples: one panel per township, the indicator over the years (village mean
    for village indicators), the county mean in grey and the catalogue target dashed.

    Provisional township-years are hollow points, the township's panel title carries ``*``
    and a footnote gives the reasons (待核实).

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (``office_funds`` or 村级办公经费).
    ncols : int
        Panels per row.
    marks : DataFrame, optional
        Where the 待核实 marks come from (a table with ``provisional``, e.g. the output of
        :func:`~dangjian_analysis.score_composite`); default: the observations'
        ``provisional`` column, else, for a Dataset, its ``score_composite`` marks.

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
    notes = _shown_marks(year_marks(data, cat, marks), values)
    county_notes = _county_marks(values, notes, cat)
    county_label = "全县平均" + (f"（{'；'.join(f'{y}年{r}' for (_, y), r in county_notes.items())}）"
                             if county_notes else "")
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
        ax.plot(county.index, county.to_numpy(), color=NEUTRAL, linewidth=2, label=county_label)
        ax.plot(own["year"], own["value"], color=PALETTE[0], marker="o", label="本乡镇")
        if pd.notna(ind["target"]):
            target_unit = "" if ind["unit"] in ("0/1", "%") else ind["unit"]
            ax.axhline(ind["target"], color=ACCENT, linestyle="--", linewidth=2,
                       label=f"目标 {ind['target']:g}{'%' if ind['unit'] == '%' else target_unit}")
        held = _hollow(ax, own, towns[k], notes, PALETTE[0])
        ax.set_title(f"{towns[k]}{MARK}" if held else towns[k], fontsize=18, loc="center", pad=6)
        ax.set_xticks(years, [str(y) for y in years], fontsize=12)
        ax.tick_params(axis="y", labelsize=13)
    unit = "是否（村均）" if ind["unit"] == "0/1" else ind["unit"]
    mean_note = "村均值" if ind["level"] == "village" else "乡镇数值"
    chart_title(fig, None, True, f"{ind['name']}（{unit}，{mean_note}）各乡镇逐年变化")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if notes:
        handles.append(held_handle())
        labels.append(handles[-1].get_label())
    fig.legend(handles, labels, loc="outside lower right", ncols=2 if notes else len(labels))
    from ._text import em_width

    chars = max(20, 44 - int(1.5 * max(0.0, em_width(county_label) - 4)))    # room for a longer legend
    figure_footnote(fig, notes, label=lambda key: f"{key[0]} {key[1]}年", chars=chars)
    return fig


def _county_marks(values: pd.DataFrame, notes: dict, cat) -> dict:
    """``("全县平均", year) → reason`` for the years whose county mean includes a held value
    (``notes`` through :func:`~._reported.value_holds`) or is over the townships that reported only."""
    held = value_holds(notes)
    out = {}
    for year, part in values.groupby("year"):
        said = []
        who = county_word(part["unit_name"], cat)
        if who != "全县":
            said.append(f"仅{who}")
        if any((t, int(year)) in held for t in part["unit_name"]):
            said.append("含待核实数值")
        if said:
            out[("全县平均", int(year))] = "，".join(said)
    return out


def _shown_marks(notes: dict, values: pd.DataFrame) -> dict:
    """The marks of the township-years that ``values`` (``unit_name, year``) holds."""
    shown = set(zip(values["unit_name"], values["year"].astype(int)))
    return {(t, int(y)): r for (t, y), r in notes.items() if (t, int(y)) in shown}


def _hollow(ax, own: pd.DataFrame, town: str, notes: dict, color) -> list:
    """Hollow markers on the provisional years of ``own`` (``year, value``); the years marked."""
    held = own[[(town, int(y)) in notes for y in own["year"]]]
    if len(held):
        ax.scatter(held["year"], held["value"], s=70, facecolor="white", edgecolor=color, linewidth=2.5, zorder=3)
    return list(held["year"])


@themed
def plot_bump(scores: pd.DataFrame, *, group: str = "overall", ax=None, catalog=None):
    """Ranks over the years (1 on top), one line per township, names at both ends.

    Only the years that rank the same townships are drawn (:func:`~._reported.comparable_years`):
    a year with townships missing (ranks among fewer townships) is left out and the title
    says so (“…（2012–2015，2016年未报齐）”; the takeaway says why).

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
    keep = comparable_years(data.dropna(subset=["rank"]))
    left_out = [int(y) for y in sorted(data["year"].unique()) if y not in keep]
    data = data[data["year"].isin(keep)] if keep else data
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
        ranked = [y for y in years if pd.notna(wide.loc[name, y])]      # a unit not (yet) ranked every year
        if not ranked:
            continue
        ax.text(ranked[-1] + 0.12, float(wide.loc[name, ranked[-1]]), marked(name, notes, (name, ranked[-1])),
                va="center", fontsize=16)
        ax.text(ranked[0] - 0.12, float(wide.loc[name, ranked[0]]), marked(name, notes, (name, ranked[0])),
                va="center", ha="right", fontsize=16)
    n = len(wide)
    ax.set_ylim(n + 0.6, 0.4)
    ax.set_yticks(range(1, n + 1))
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.set_xlim(years[0] - 0.8, years[-1] + 0.8)
    ax.set_ylabel("名次")
    ax.spines["left"].set_visible(False)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else f"{years[0]}"
    said = f"，{'、'.join(map(str, left_out))}年未报齐" if left_out else ""      # one line on a slide
    chart_title(fig, ax, figure_level, f"各乡镇{group_names(cat)[group]}名次变化（{span}{said}）")
    if notes:
        ax.legend(handles=[held_handle()], loc="lower right", bbox_to_anchor=(1.0, 1.0))
    footnote(fig, ax, figure_level, notes, label=lambda key: f"{key[0]} {key[1]}年")
    return finish(fig, ax, figure_level)


@themed
def plot_slope(scores: pd.DataFrame, from_year: int, to_year: int, *, group: str = "overall", ax=None,
               catalog=None):
    """Slopegraph of each township's score between two years. The two biggest changes and the
    smallest are drawn bold (blue if up, red if down) and say so at their right end
    (“+35.0，增幅最大”); the rest are grey.

    A township provisional in either year carries ``*`` on that side, explained in a footnote.
    Only townships with a score in both years are drawn; when they are fewer than the
    catalogue's, the title says so (“…对比（已报送的 3 个乡镇）”).

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
    year_order(from_year, to_year)
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
    change = wide[to_year] - wide[from_year]
    reasons = _slope_reasons(change)
    for k, name in enumerate(wide.index):
        a, b = wide.loc[name, from_year], wide.loc[name, to_year]
        color = (GRADE_COLORS["好"] if b >= a else GRADE_COLORS["差"]) if name in reasons else "#9E9E9E"
        weight = "bold" if name in reasons else "normal"
        ax.plot([0, 1], [a, b], color=color, marker="o", markersize=9, linewidth=3.5 if name in reasons else 2)
        ax.plot([-0.02, 0], [left[k], a], color="#BBBBBB", linewidth=0.8)
        ax.plot([1, 1.02], [b, right[k]], color="#BBBBBB", linewidth=0.8)
        ax.text(-0.03, left[k], f"{marked(name, notes, (name, from_year))} {a:.1f}", ha="right", va="center",
                fontsize=15, fontweight=weight)
        why = f"（{b - a:+.1f}，{reasons[name]}）" if name in reasons else ""
        ax.text(1.03, right[k], f"{b:.1f} {marked(name, notes, (name, to_year))}{why}", ha="left", va="center",
                fontsize=15, fontweight=weight, color=color if name in reasons else "black")
    low = min(left.min(), right.min()) - gap
    high = max(left.max(), right.max()) + 2 * gap
    ax.set_ylim(low, high)
    for x, year in ((0, from_year), (1, to_year)):
        ax.text(x, high - gap, f"{year}年", ha="center", va="center", fontsize=20, fontweight="bold")
    ax.set_xlim(-0.3, 1.6)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    who = county_word(wide.index, cat)
    chart_title(fig, ax, figure_level, f"{group_names(cat)[group]}：{from_year}年与{to_year}年对比"
                + ("" if who == "全县" else f"（{who}）"))
    footnote(fig, ax, figure_level, notes, label=lambda key: f"{key[0]} {key[1]}年")
    return finish(fig, ax, figure_level)


def _slope_reasons(change: pd.Series) -> dict:
    """Township → why its line is highlighted: the two biggest changes and the smallest."""
    order = change.sort_values(ascending=False, kind="stable")
    if len(order) < 3:
        return {}
    a, b = order.index[0], order.index[1]
    out = {a: "增幅最大" if order[a] > 0 else "降幅最小"}
    out[b] = "增幅第二" if order[b] > 0 else ("降幅最小" if order[a] > 0 else "降幅第二小")
    last = order.index[-1]
    out[last] = "增幅最小" if order[last] >= 0 else "降幅最大"
    return out
