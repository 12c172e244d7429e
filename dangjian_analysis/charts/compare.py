"""Charts that compare townships within one year: ranking, heatmap, radar, targets, rank robustness.

Each function takes the tidy output of a metrics function. With ``ax=None`` it draws a
16:9 slide-sized figure, titled by a left-aligned ``suptitle``, and returns the Figure;
given ``ax`` it draws there (the title as the axes title) and returns the Axes. All text is
Chinese, in the bundled font. Column headers break only between words, value labels keep
clear of the county-average line, the radar's scale keeps clear of its polygons.

The catalogue is the one given, else the one the table carries (``attrs["catalog"]``), else
the default, with a Chinese warning naming it (a table read back from a CSV has lost its
catalogue; :func:`~._base.table_catalog`): a county's own group names, grade names and bands
are used without being passed again, never replaced in silence. Grades the catalogue does not
know are drawn grey, with a warning. A year, group or township not in the table is a Chinese
``ValueError`` listing what there is; names resolve through the catalogue's aliases (``东山`` is
``东山镇``). Where the table marks provisional township-years (column ``provisional``), the
township's label carries ``*`` and a footnote gives the reason (待核实).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import (MARK, chart_title, finish, footnote, grade_colors, group_names, latest_year, marked, new_axes,
                    provisional_notes, table_catalog, text_color, themed, warn_unknown_grades, wrap_name)
from ._reported import county_word
from ._place import radar_scale_angle, value_label_slot
from ._text import text_width
from ..metrics._lookup import catalog_from, group_of, need_columns, shown, unit_of

_SCORES = "score_composite 的输出（列 unit_id, unit_name, year, group, score, rank, grade）"

__all__ = ["plot_ranking", "plot_heatmap", "plot_radar", "plot_attainment", "plot_uncertainty"]


@themed
def plot_ranking(scores: pd.DataFrame, year: int | None = None, *, group: str = "overall", ax=None,
                 catalog=None):
    """Horizontal bars of the overall index (or one group), best on top, coloured by grade,
    with the county mean as a dashed line and each value at the end of its bar.

    Provisional township-years get ``*`` after the name, hatched bars and a footnote.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    year : int, optional
        Default: the latest year in ``scores``.
    group : str
        Group id or Chinese name, or ``overall`` / 综合指数.
    ax : Axes, optional
    catalog : Catalog or path, optional

    Returns
    -------
    Figure (``ax=None``) or Axes

    Examples
    --------
    >>> fig = plot_ranking(score_composite(ds), 2015)        # doctest: +SKIP
    """
    from matplotlib.patches import Patch

    from .theme import NEUTRAL

    need_columns(scores, ["unit_id", "unit_name", "year", "group", "score", "grade"], _SCORES)
    cat = table_catalog(catalog, scores)
    year = latest_year(scores, year)
    group = group_of(cat, group, scores.loc[scores["year"] == year, "group"].unique())
    data = scores[(scores["year"] == year) & (scores["group"] == group)].dropna(subset=["score"])
    warn_unknown_grades(data["grade"], cat)
    data = data.sort_values(["score", "unit_id"])
    notes = provisional_notes(scores[scores["year"] == year])
    colors_of = grade_colors(cat.grade_bands["grade"])
    fig, ax, figure_level = new_axes(ax)
    colors = [colors_of.get(g, NEUTRAL) for g in data["grade"]]
    labels = [marked(n, notes) for n in data["unit_name"]]
    bars = ax.barh(labels, data["score"], color=colors, height=0.7)
    for bar, name in zip(bars, data["unit_name"]):
        if name in notes:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    mean = data["score"].mean()
    ax.set_xlim(0, 105)
    ax.set_ylim(-0.6, len(data) + 0.15)
    _value_labels(ax, bars, data["score"].to_numpy(), [mean])
    ax.axvline(mean, color=NEUTRAL, linestyle="--", linewidth=2, zorder=2)
    ax.annotate(f"{county_word(data['unit_name'], cat)}平均 {mean:.1f}", xy=(mean, len(data) - 0.2), xytext=(6, 0), textcoords="offset points",
                color=NEUTRAL, fontsize=15, va="center", ha="left", gid="reference-label")
    ax.set_xlabel(f"{group_names(cat)[group]}（分）")
    chart_title(fig, ax, figure_level, f"{year}年度乡镇基层党建{group_names(cat)[group]}排名")
    bands = cat.grade_bands
    legend = [f"{g}（≥{lo:g}）" if lo > 0 else f"{g}（<{bands['min'].iloc[-2]:g}）"
              for g, lo in zip(bands["grade"], bands["min"])]
    handles = [Patch(color=colors_of[g]) for g in bands["grade"]]
    if notes:
        handles.append(Patch(facecolor=NEUTRAL, edgecolor="white", hatch="//"))
        legend.append(f"待核实（{MARK}）")
    fig.legend(handles, legend, title="等次", loc="outside lower center", ncols=len(legend)) if figure_level else \
        ax.legend(handles, legend, title="等次", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.tick_params(axis="y", length=0)
    footnote(fig, ax, figure_level, notes)
    return finish(fig, ax, figure_level)


def _value_labels(ax, bars, values, lines, fontsize: float = 16):
    """Each bar's value at its end, moved inside the bar or past the line where a reference line
    in ``lines`` would run through it (:func:`._place.value_label_slot`)."""
    lo, hi = ax.get_xlim()
    points = ax.get_position().width * ax.figure.get_figwidth() * 72          # before layout: an overestimate
    per_point = (hi - lo) / points
    for bar, value in zip(bars, values):
        text = f"{value:.1f}"
        width = (text_width(text, fontsize) + 2) * per_point
        x, ha, inside = value_label_slot(value, width, lines, pad=6 * per_point, margin=4 * per_point)
        color = text_color(bar.get_facecolor()) if inside else "black"
        box = {"facecolor": bar.get_facecolor(), "edgecolor": "none", "pad": 1} if inside else None
        ax.text(x, bar.get_y() + bar.get_height() / 2, text, va="center", ha=ha, fontsize=fontsize, color=color,
                zorder=3, gid="value-label", bbox=box)


def _matrix(ax, table: pd.DataFrame, *, fmt: str, vmin: float, vmax: float, cmap: str, label: str,
            fontsize: int = 14):
    """An annotated matrix (rows × columns) with a colour bar."""
    image = ax.imshow(table.to_numpy(dtype=float), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = table.iat[i, j]
            if pd.notna(value):
                ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=fontsize,
                        color=text_color(image.cmap(image.norm(value))))
    ax.set_xticks(range(table.shape[1]), table.columns)
    ax.set_yticks(range(table.shape[0]), table.index)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.01)
    bar.set_label(label)
    bar.outline.set_visible(False)
    return image


@themed
def plot_heatmap(scores: pd.DataFrame, year: int | None = None, *, ax=None, catalog=None):
    """Townships × groups (from ``score_composite``) or × indicators (from
    ``score_indicators``), each cell's score annotated, rows in rank order.

    Provisional township-years get ``*`` after the name and a footnote.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite` or
        :func:`~dangjian_analysis.score_indicators`.
    year : int, optional
        Default: the latest year in ``scores``.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    cat = table_catalog(catalog, scores)
    indicators = isinstance(scores, pd.DataFrame) and "indicator" in scores.columns
    need_columns(scores, ["unit_name", "year", "score", "indicator" if indicators else "group"],
                 "score_composite 或 score_indicators 的输出")
    year = latest_year(scores, year)
    data = scores[scores["year"] == year]
    notes = provisional_notes(data)
    if indicators:       # 30 indicators: indicators down, townships across
        names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
        _known(data["indicator"], names, "指标")
        table = data.dropna(subset=["score"]).pivot_table(index="indicator", columns="unit_name", values="score",
                                                           aggfunc="first")
        table = table.reindex(index=[i for i in cat.indicators["id"] if i in table.index])
        table = table[table.mean().sort_values(ascending=False).index].rename(index=names)
        table = table.rename(columns=lambda c: marked(c, notes))
        title = f"{year}年度各乡镇指标得分"
        fig, ax, figure_level = new_axes(ax)
        _matrix(ax, table, fmt=".0f", vmin=0, vmax=100, cmap="RdYlBu", label="得分（0–100）", fontsize=10)
        ax.tick_params(axis="y", labelsize=10)
    else:
        names = group_names(cat)
        _known(data["group"], names, "分组")
        table = data.pivot_table(index="unit_name", columns="group", values="score", aggfunc="first", dropna=False)
        order = data[data["group"] == "overall"].sort_values(["rank", "unit_name"] if "rank" in data else "unit_name")
        order = [*order["unit_name"], *sorted(set(table.index) - set(order["unit_name"]))]
        table = table.reindex(index=order, columns=[g for g in [*cat.groups["group"], "overall"]
                                                    if g in table.columns])
        table = table.rename(columns=lambda c: wrap_name(names[c], 4), index=lambda n: marked(n, notes))
        title = f"{year}年度各乡镇分项指数"
        fig, ax, figure_level = new_axes(ax)
        _matrix(ax, table, fmt=".0f", vmin=0, vmax=100, cmap="RdYlBu", label="得分（0–100）")
    chart_title(fig, ax, figure_level, title, pad=20)
    footnote(fig, ax, figure_level, notes)
    return finish(fig, ax, figure_level)


def _known(values: pd.Series, names: dict, what: str) -> None:
    """A Chinese ValueError when the table holds ids the catalogue does not know."""
    unknown = sorted(set(values.dropna()) - set(names))
    if unknown:
        raise ValueError(f"{what} {shown(unknown)} 不在指标体系中：这张表是否按另一个指标体系算出？"
                         "请用 catalog= 指定那个指标体系")


@themed
def plot_radar(scores: pd.DataFrame, unit: str, year: int | None = None, *, ax=None, catalog=None):
    """One township's group sub-indices against the county average, on a 0–100 radar.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    unit : str
        The township, by its name, short form or alias (``东山`` for ``东山镇``).
    year : int, optional
        Default: the latest year in ``scores``.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import ACCENT, NEUTRAL

    need_columns(scores, ["unit_name", "year", "group", "score"], _SCORES)
    cat = table_catalog(catalog, scores)
    year = latest_year(scores, year)
    data = scores[(scores["year"] == year) & (scores["group"] != "overall")]
    unit = unit_of(cat, unit, data["unit_name"], where=f"{year} 年度的分项指数中", what="乡镇")
    notes = provisional_notes(scores[(scores["year"] == year) & (scores["unit_name"] == unit)])
    groups = [g for g in cat.groups["group"] if g in set(data["group"])]
    own = data[data["unit_name"] == unit].set_index("group")["score"].reindex(groups)
    mean = data.groupby("group")["score"].mean().reindex(groups)
    angles = np.linspace(0, 2 * np.pi, len(groups), endpoint=False)
    fig, ax, figure_level = new_axes(ax, polar=True)
    shown_as = f"{marked(unit, notes)}（{_standing(scores, year, unit)}）"
    county = county_word(data["unit_name"], cat)             # 已报送的 N 个乡镇 in a partial year
    for values, color, label, fill in ((mean, NEUTRAL, f"{county}平均", 0.10), (own, ACCENT, shown_as, 0.25)):
        closed = np.append(values.to_numpy(dtype=float), values.iloc[0])
        ax.plot(np.append(angles, angles[0]), closed, color=color, label=label)
        ax.fill(np.append(angles, angles[0]), closed, color=color, alpha=fill, linewidth=0)
    ax.set_xticks(angles, [wrap_name(group_names(cat)[g], 4) for g in groups], fontsize=16)
    ax.tick_params(axis="x", pad=22)
    ax.set_ylim(0, 100)
    _radar_scale(ax, angles, [mean.to_numpy(dtype=float), own.to_numpy(dtype=float)], [20, 40, 60, 80, 100])
    chart_title(fig, ax, figure_level, f"{marked(unit, notes)}{year}年度分项指数与{county}平均", pad=30)
    ax.legend(loc="upper left", bbox_to_anchor=(1.05, 1.0))
    footnote(fig, ax, figure_level, notes)
    return finish(fig, ax, figure_level)


def _standing(scores: pd.DataFrame, year: int, unit: str) -> str:
    """Why this township is shown: its overall rank that year (“综合指数第10名，最低”)."""
    overall = scores[(scores["year"] == year) & (scores["group"] == "overall")].dropna(subset=["score"])
    if "rank" not in overall or unit not in set(overall["unit_name"]):
        return "所选乡镇"
    rank = int(overall.loc[overall["unit_name"] == unit, "rank"].iloc[0])
    last = "，最低" if rank == int(overall["rank"].max()) and len(overall) > 1 else ""
    return f"综合指数第{rank}名{last}"


def _radar_scale(ax, angles, polygons, radii, fontsize: float = 13):
    """The 0–100 scale of a radar written midway between two axes where the polygons cross the
    fewest of its labels (a label a polygon would still cross is left out; the circle stays)."""
    ax.set_yticks(radii, [""] * len(radii))
    pos, fig = ax.get_position(), ax.figure
    radius = min(pos.width * fig.get_figwidth(), pos.height * fig.get_figheight()) * 72 / 2
    sizes = [(text_width(str(r), fontsize) * 1.25, fontsize * 1.25) for r in radii]
    phi, hidden = radar_scale_angle(angles, [np.nan_to_num(p) for p in polygons], radii, sizes,
                                    scale=radius / ax.get_ylim()[1])
    for r in radii:
        if r not in hidden:
            ax.text(phi, r, str(r), ha="center", va="center", fontsize=fontsize, color="#555555", gid="radar-scale")


@themed
def plot_attainment(attainment: pd.DataFrame, year: int | None = None, *, ax=None, catalog=None):
    """Share of villages meeting each target, by township (``target_attainment(by="township")``);
    township-years marked ``provisional`` (columns as in ``score_composite``) get ``*`` and a footnote.

    Parameters
    ----------
    attainment : DataFrame
        ``township, year, indicator, share``.
    year : int, optional
        Default: the latest year in ``attainment``.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    need_columns(attainment, ["township", "year", "indicator", "share"], 'target_attainment(by="township") 的输出')
    cat = table_catalog(catalog, attainment)
    year = latest_year(attainment, year)
    data = attainment[attainment["year"] == year]
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    _known(data["indicator"], names, "指标")
    targets = dict(zip(cat.indicators["id"], cat.indicators["target"]))
    units = dict(zip(cat.indicators["id"], cat.indicators["unit"]))
    table = data.pivot_table(index="township", columns="indicator", values="share", aggfunc="first", dropna=False)
    rows = [t for t in [*cat.townships["unit_name"], "全县"] if t in table.index]
    table = table.reindex(index=rows, columns=[i for i in cat.indicators["id"] if i in table.columns])
    table = table.rename(columns=lambda c: "\n".join(
        [wrap_name(names[c], _HEADER_EMS), *_target_lines(targets[c], units[c])]))
    notes = provisional_notes(data.drop_duplicates("township"), by=("township",))
    towns = [t for t in table.index if t != "全县"]
    county = "全县" if county_word(towns, cat) == "全县" else "已报送乡镇"   # the county row of a partial year
    table.index = [county if t == "全县" else marked(t, notes) for t in table.index]
    fig, ax, figure_level = new_axes(ax)
    _matrix(ax, table, fmt=".0f", vmin=0, vmax=100, cmap="RdYlBu", label="达标村占比（%）")
    for i, j in zip(*np.nonzero(table.isna().to_numpy())):
        ax.text(j, i, "—", ha="center", va="center", fontsize=14, color="#999999")
    ax.axhline(len(rows) - 1.5, color="black", linewidth=2)
    ax.set_xlabel("—：没有需要统计的村（如当年没有软弱涣散村）", fontsize=13, color="#555555")
    ax.tick_params(axis="x", labelsize=13)
    chart_title(fig, ax, figure_level, f"{year}年度各乡镇达到目标的村（社区）占比（%）", pad=20)
    footnote(fig, ax, figure_level, notes)
    return finish(fig, ax, figure_level)


#: Header lines of the target-attainment chart: at most this many characters (13 pt, twelve columns).
_HEADER_EMS = 4


def _target_lines(target, unit: str) -> list[str]:
    """The target under an indicator's name: none for a yes/no indicator, 全覆盖 for 100 %,
    else ``≥5万元`` (the number and the unit on two lines when too wide for the column)."""
    from ._text import em_width

    if unit == "0/1" or pd.isna(target):
        return []
    if unit == "%" and target == 100:
        return ["全覆盖"]
    line = f"≥{target:g}{unit}"
    return [line] if em_width(line) <= _HEADER_EMS + 0.5 or len(unit) < 2 else [f"≥{target:g}", unit]


@themed
def plot_uncertainty(uncertainty: pd.DataFrame, year: int | None = None, *, ax=None, catalog=None):
    """Median rank with the 5–95 % interval under random weights (``rank_uncertainty``) or
    over every modelling choice (``robustness``), the published rank marked, the probability of
    falling in the bottom group labelled; provisional township-years (column ``provisional``)
    get ``*`` and a footnote.

    Parameters
    ----------
    uncertainty : DataFrame
        Output of :func:`~dangjian_analysis.rank_uncertainty` or of
        :func:`~dangjian_analysis.robustness` (told apart by its ``attrs["robustness"]``: the title
        then says 各建模选择随机组合, the cross 默认方案名次).
    year : int, optional
        Default: the latest year in ``uncertainty``.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import ACCENT, PALETTE

    need_columns(uncertainty, ["unit_id", "unit_name", "year", "rank", "median_rank", "rank_p05", "rank_p95",
                               "p_bottom"], "rank_uncertainty 的输出")
    catalog_from(catalog, uncertainty)
    year = latest_year(uncertainty, year)
    every = "robustness" in uncertainty.attrs
    data = uncertainty[uncertainty["year"] == year].sort_values(["rank", "unit_id"], ascending=[False, True])
    notes = provisional_notes(data)
    fig, ax, figure_level = new_axes(ax)
    y = np.arange(len(data))
    ax.hlines(y, data["rank_p05"], data["rank_p95"], color=PALETTE[0], linewidth=6, alpha=0.45,
              label="5%–95% 区间")
    ax.plot(data["median_rank"], y, "o", color=PALETTE[0], markersize=12, label="中位名次")
    ax.plot(data["rank"], y, "x", color=ACCENT, markersize=14, markeredgewidth=3, label="默认方案名次" if every else "默认权重名次")
    for yi, p in zip(y, data["p_bottom"]):
        if p > 0:
            ax.text(len(data) + 0.6, yi, f"居末位组 {p:.0%}", va="center", fontsize=16, color="black")
    ax.set_yticks(y, [marked(n, notes) for n in data["unit_name"]])
    ax.set_xticks(range(1, len(data) + 1))
    ax.set_xlim(0.5, len(data) + 3)
    ax.set_xlabel("名次（1 为最好）")
    ax.grid(axis="x")
    draws = int(data["draws"].iloc[0]) if "draws" in data else 0
    what = "各建模选择随机组合" if every else "权重随机变动"
    chart_title(fig, ax, figure_level, f"{year}年度排名稳健性：{what} {draws} 次的名次区间")
    ax.legend(loc="upper right")
    footnote(fig, ax, figure_level, notes)
    return finish(fig, ax, figure_level)
