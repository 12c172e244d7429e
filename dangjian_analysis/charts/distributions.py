"""Distributions: a box per group (quartiles, whiskers at 1.5 IQR) with every unit as a
point over it — 述职评议 scores by rater group or secretary type, and a village indicator by
township.

The points are a seaborn swarm: placed side by side without random jitter, so that the same
data give the same picture. The boxes are matplotlib's own ``boxplot``: seaborn 0.13's
passes matplotlib the ``vert=`` argument that matplotlib 3.11 deprecates and 3.13 removes
(fixed in seaborn after 0.13.2, mwaskom/seaborn#3820).
"""

from __future__ import annotations

import pandas as pd

from ..catalog.choices import choice
from ._base import chart_title, finish, latest_year, new_axes, themed, wrap_name
from ._series import indicator_data
from ..metrics._lookup import catalog_from, need_columns

__all__ = ["plot_rating_distribution", "plot_village_distribution"]

#: What :func:`plot_rating_distribution` groups by, and the Chinese for its title.
_BY = {"rater_group": "评议组", "type": "书记类型"}


def _boxes_and_points(ax, frame: pd.DataFrame, order: list, labels: list[str]) -> None:
    """A box per value of ``frame["group"]`` in ``order`` (at x = 0, 1, …) and the units'
    ``value`` as a swarm over it (outliers are points of the swarm, not drawn again)."""
    import seaborn as sns

    from .theme import PALETTE

    values = [frame.loc[frame["group"] == g, "value"].to_numpy() for g in order]
    ax.boxplot(values, positions=range(len(order)), orientation="vertical", widths=0.55, showfliers=False,
               patch_artist=True, manage_ticks=False, zorder=1, boxprops={"facecolor": "#DCE9F5"},
               medianprops={"color": "#333333", "linewidth": 2})
    sns.swarmplot(data=frame, x="group", y="value", order=order, color=PALETTE[0], size=6, zorder=2, ax=ax)
    ax.set_xticks(range(len(order)), labels)
    ax.set_xlim(-0.6, len(order) - 0.4)
    ax.set_xlabel("")
    ax.grid(axis="y")
    ax.set_axisbelow(True)


def _group_label(name: str) -> str:
    """A rater group's name on two lines: after a list's 、 (“党代表、人大代表、\\n政协委员”),
    else between words (“县委委员和\\n牵头部门”)."""
    if "、" in name:
        head, _, tail = name.rpartition("、")
        return f"{head}、\n{tail}"
    return wrap_name(name, 5)


@themed
def plot_rating_distribution(reviewed: pd.DataFrame, year: int | None = None, *, by: str = "rater_group",
                             ax=None, catalog=None):
    """The spread of the 述职评议 weighted scores in one year, by rater group or secretary type.

    ``by="rater_group"`` (default): one box per rater group, in the catalogue's order, over
    the score S_g = Σ points × count / valid that the group gave each secretary (the
    group rows of :func:`~dangjian_analysis.review`) — do some groups rate lower, or agree
    less? ``by="type"``: one box per secretary type over the overall weighted scores.
    Each secretary is a point; a box spans the quartiles Q1–Q3 (linear interpolation, as
    ``Series.quantile``), the line inside is the median and the whiskers reach the furthest
    score within 1.5 × (Q3 − Q1) of the box. The input is not modified.

    Parameters
    ----------
    reviewed : DataFrame
        Output of :func:`~dangjian_analysis.review`.
    year : int, optional
        Default: the latest year in ``reviewed``.
    by : {"rater_group", "type"}
        Or ``"评议人类别"``, ``"书记类别"`` (:mod:`~dangjian_analysis.catalog.choices`).
    ax : matplotlib Axes, optional
    catalog : Catalog or path, optional
        For the rater groups' names; default: the one ``reviewed`` carries.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    by = choice("rating_by", by, name="by", allowed=_BY)
    need_columns(reviewed, ["year", "secretary", "type", "rater_group", "score"], "review 的输出")
    year = latest_year(reviewed, year)
    rows = reviewed[reviewed["year"] == year]
    if by == "rater_group":
        groups = catalog_from(catalog, reviewed).review.rater_groups
        rows = rows[rows["rater_group"] != "overall"]
        order = [g for g in groups["id"] if g in set(rows["rater_group"])]
        names = dict(zip(groups["id"], groups["name"]))
        labels = [_group_label(names[g]) for g in order]
    else:
        rows = rows[rows["rater_group"] == "overall"]
        order = labels = list(pd.unique(rows["type"].dropna()))
    frame = pd.DataFrame({"group": rows[by].to_numpy(), "value": rows["score"].to_numpy(dtype=float)})
    fig, ax, figure_level = new_axes(ax)
    _boxes_and_points(ax, frame.dropna(), order, labels)
    ax.set_ylabel("加权得分（分）")
    chart_title(fig, ax, figure_level, f"{year}年度党（工）委书记述职评议：各{_BY[by]}给出的得分分布")
    return finish(fig, ax, figure_level)


@themed
def plot_village_distribution(data, indicator: str, year: int | None = None, *, ax=None, catalog=None):
    """How one indicator's village values spread within each township in one year.

    One box per township that has village values of ``indicator`` that year (in the
    catalogue's order; boxes and whiskers as in :func:`plot_rating_distribution`), each
    village a point. A dashed line marks the indicator's target when the catalogue sets one.
    The input is not modified.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``level, township, year, indicator, value``).
    indicator : str
        Indicator id or Chinese name (or alias), reported by villages.
    year : int, optional
        Default: the latest year with village values of the indicator.
    ax : matplotlib Axes, optional
    catalog : Catalog or path, optional

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from .theme import ACCENT

    cat, obs, indicator = indicator_data(data, indicator, catalog)
    need_columns(obs, ["level"], "Dataset 或观测值表")
    rows = obs[(obs["indicator"] == indicator) & (obs["level"] == "village") & obs["value"].notna()]
    ind = cat.indicator(indicator)
    if rows.empty:
        raise ValueError(f"指标“{ind['name']}”没有村（社区）的数值")
    year = latest_year(rows, year)
    rows = rows[rows["year"] == year]
    order = [t for t in cat.townships["unit_name"] if t in set(rows["township"])]
    frame = pd.DataFrame({"group": rows["township"].to_numpy(), "value": rows["value"].to_numpy(dtype=float)})
    fig, ax, figure_level = new_axes(ax)
    _boxes_and_points(ax, frame, order, order)
    target = pd.to_numeric(pd.Series([ind.get("target")]), errors="coerce").iloc[0]
    if pd.notna(target):
        ax.axhline(target, color=ACCENT, linestyle="--", linewidth=1.5, label=f"目标值 {target:g}")
        ax.legend(loc="upper right")
    ax.set_ylabel(f"{ind['name']}（{ind['unit']}）" if ind.get("unit") else ind["name"])
    chart_title(fig, ax, figure_level, f"{year}年各乡镇村（社区）{ind['name']}的分布")
    return finish(fig, ax, figure_level)
