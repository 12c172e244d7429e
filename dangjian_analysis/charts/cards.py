"""The village card's data and small chart (村情卡, for the 驻点 teams).

:func:`village_values` puts each village indicator of a township's villages beside the
township's and the county's village means; :func:`plot_village_index` draws one village's
composite index over the years against the mean of its township's villages and of the
county's, with the grade bands of the catalogue. Both take the metrics' tables as they are
(the scores of :func:`~dangjian_analysis.score_composite` at village level) and compute only
plain means of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import new_axes, themed
from ..metrics._frames import observations_of
from ..metrics._lookup import catalog_from, need_columns

__all__ = ["village_values", "index_means", "plot_village_index", "CARD_CHART_SIZE"]

#: The chart's size in inches: the 公文 text width (156 mm) by about 38 mm.
CARD_CHART_SIZE = (6.14, 1.5)
#: Font size of the card chart's texts, in points (printed at 1:1 on the card).
_FONT = 8


def village_values(data, township: str, *, catalog=None) -> pd.DataFrame:
    """Every village indicator of ``township``'s villages by year, beside two means.

    ``township_mean`` = the mean of the values of the township's villages that year;
    ``county_mean`` = the mean over all the county's villages that year (villages without a
    value left out; for a 0/1 indicator, the share of villages with 1).

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, level, township, year, indicator, value``).
    township : str
        The township's catalogue name.
    catalog : Catalog, optional

    Returns
    -------
    DataFrame
        ``unit_id, year, indicator, value, township_mean, county_mean, n_township, n_county``:
        one row per village of ``township``, year and village indicator with a value
        somewhere in the county that year (``value`` NaN where the village has none).

    Examples
    --------
    Villages of 东山镇 with funds 4 and 6 万元 and a third county village with 8: the
    township mean is 5, the county mean 6.
    """
    cat = catalog_from(catalog, data)
    obs = need_columns(observations_of(data), ["unit_id", "level", "township", "year", "indicator", "value"],
                       "Dataset 或观测值表")
    village = obs[(obs["level"] == "village") & obs["value"].notna()]
    village = village[["unit_id", "township", "year", "indicator", "value"]]
    county = village.groupby(["year", "indicator"])["value"].agg(county_mean="mean", n_county="size")
    own = village[village["township"] == township]
    town = own.groupby(["year", "indicator"])["value"].agg(township_mean="mean", n_township="size")
    units = cat.villages.loc[cat.villages["township"] == township, "unit_id"]
    grid = pd.MultiIndex.from_product([list(units), sorted(county.index.get_level_values(0).unique()),
                                       list(cat.indicators.loc[cat.indicators["level"] == "village", "id"])],
                                      names=["unit_id", "year", "indicator"]).to_frame(index=False)
    grid = grid.merge(county.reset_index(), on=["year", "indicator"], how="inner")
    out = grid.merge(own[["unit_id", "year", "indicator", "value"]].drop_duplicates(["unit_id", "year", "indicator"]),
                     on=["unit_id", "year", "indicator"], how="left")
    out = out.merge(town.reset_index(), on=["year", "indicator"], how="left")
    out["n_township"] = out["n_township"].fillna(0).astype(int)
    out = out[["unit_id", "year", "indicator", "value", "township_mean", "county_mean", "n_township", "n_county"]]
    out.attrs["catalog"] = cat
    return out.reset_index(drop=True)


def index_means(scores: pd.DataFrame) -> pd.DataFrame:
    """The mean overall index of each township's villages and of the county's, by year.

    Parameters
    ----------
    scores : DataFrame
        ``score_composite(..., level="village")`` output (its ``overall`` rows are used).

    Returns
    -------
    DataFrame
        ``year, township, township_mean, county_mean`` (villages with a score).
    """
    need_columns(scores, ["unit_id", "township", "year", "score"], "score_composite(level=\"village\") 的输出")
    overall = scores[scores["group"] == "overall"] if "group" in scores.columns else scores
    overall = overall.dropna(subset=["score"])
    town = overall.groupby(["year", "township"])["score"].mean().rename("township_mean").reset_index()
    county = overall.groupby("year")["score"].mean().rename("county_mean").reset_index()
    return town.merge(county, on="year")


@themed
def plot_village_index(scores: pd.DataFrame, unit_id: str, *, ax=None, catalog=None, listed=()):
    """One village's overall index over the years, against the mean of its township's villages
    (dashed) and of the county's (grey), on the catalogue's grade bands (a thin line at the
    lower bound of each band, its grade named at the right).

    Parameters
    ----------
    scores : DataFrame
        ``score_composite(..., level="village")`` output.
    unit_id : str
        The village.
    ax : Axes, optional
        Draw there (and return it); default a new card-sized figure (returned).
    listed : iterable of int
        Years in which the village was listed (软弱涣散 or 倒排): drawn as red points.

    Returns
    -------
    Figure or Axes
    """
    from .theme import ACCENT, NEUTRAL, PALETTE

    need_columns(scores, ["unit_id", "unit_name", "township", "year", "score"],
                 "score_composite(level=\"village\") 的输出")
    overall = scores[scores["group"] == "overall"] if "group" in scores.columns else scores
    own = overall[overall["unit_id"] == unit_id].sort_values("year")
    if own.empty:
        raise ValueError(f"成绩表中没有村（社区）{unit_id}")
    cat = catalog_from(catalog, scores)
    fig, ax, figure_level = new_axes(ax, figsize=CARD_CHART_SIZE)
    means = index_means(overall)
    means = means[means["township"] == own["township"].iloc[0]].sort_values("year")
    years = sorted(set(means["year"]) | set(own["year"]))
    values = np.concatenate([own["score"].dropna().to_numpy(), means[["township_mean", "county_mean"]].to_numpy().ravel()])
    bottom, top = (float(np.nanmin(values)), float(np.nanmax(values))) if len(values) else (0.0, 100.0)
    bottom, top = max(0.0, bottom - 8), min(100.0, top + 10)
    ax.set_ylim(bottom, top)
    for grade, low in zip(cat.grade_bands["grade"], cat.grade_bands["min"]):
        if bottom < low < top:
            ax.axhline(low, color="#D9D9D9", linewidth=0.6, zorder=0)
            ax.annotate(f"{grade} ≥{low:g}", xy=(1, low), xycoords=("axes fraction", "data"), xytext=(2, 0),
                        textcoords="offset points", va="center", fontsize=_FONT - 1, color=NEUTRAL)
    ax.plot(means["year"], means["county_mean"], color=NEUTRAL, linewidth=1.2, label="全县村均")
    ax.plot(means["year"], means["township_mean"], color=PALETTE[1], linewidth=1.2, linestyle="--", label="本乡镇村均")
    ax.plot(own["year"], own["score"], color=PALETTE[0], linewidth=1.8, marker="o", markersize=3.5,
            label=str(own["unit_name"].iloc[-1]))
    hit = own[own["year"].isin(list(listed))]
    if len(hit):
        ax.scatter(hit["year"], hit["score"], s=28, color=ACCENT, zorder=3, label="被列入（软弱涣散或倒排）")
    for year, score in zip(own["year"], own["score"]):
        if pd.notna(score):
            ax.annotate(f"{score:.1f}", xy=(year, score), xytext=(0, 4), textcoords="offset points", ha="center",
                        fontsize=_FONT - 1, color=PALETTE[0])
    ax.set_xticks(years, [f"{y}年" for y in years], fontsize=_FONT)
    ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
    ax.tick_params(axis="y", labelsize=_FONT)
    ax.set_ylabel("综合指数（分）", fontsize=_FONT)
    ax.grid(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=_FONT - 1, loc="upper left", ncols=4, frameon=False, bbox_to_anchor=(0, 1.22))
    return fig if figure_level else ax
