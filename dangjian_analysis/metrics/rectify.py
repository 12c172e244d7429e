"""抓两头带中间: the bottom group to rectify each year (倒排), and top / middle / bottom labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import bottom_count, catalog_of, observations_of

__all__ = ["flag_bottom", "classify_two_ends", "listing_reasons"]

_BANDS_ZH = {"top": "先进", "middle": "中间", "bottom": "后进"}


def listing_reasons(data, catalog=None) -> pd.DataFrame:
    """Listing criteria (软弱涣散情形) found in the village data, per village and year.

    Criteria from the catalogue's ``[listing]``: secretary post vacant more than
    ``vacancy_months_above`` months; no new members ``no_new_members_years`` years
    running; residents' satisfaction below ``satisfaction_below`` %.

    Returns
    -------
    DataFrame
        ``unit_id, year, reasons`` (reasons joined by ``；``, empty when none).
    """
    cat = catalog_of(data, catalog)
    obs = observations_of(data)
    rule = cat.listing
    village = obs[obs["level"] == "village"]
    wide = village.pivot_table(index=["unit_id", "year"], columns="indicator", values="value", aggfunc="first")
    reasons = pd.Series("", index=wide.index, dtype=object)

    def add(mask, text):
        nonlocal reasons
        reasons = reasons.where(~mask, reasons + np.where(reasons == "", "", "；") + text)

    if "vacancy_months" in wide:
        add(wide["vacancy_months"] > rule["vacancy_months_above"],
            f"书记空缺超过{rule['vacancy_months_above']:g}个月")
    if "new_members" in wide:
        years = int(rule["no_new_members_years"])
        zero = (wide["new_members"] == 0).astype(float).unstack("year").sort_index(axis=1)
        zero = zero.reindex(columns=range(int(zero.columns.min()), int(zero.columns.max()) + 1))  # gaps break a run
        running = zero.T.rolling(years, min_periods=years).sum().T == years
        add(running.stack().reindex(wide.index).fillna(False).astype(bool),
            f"连续{years}年未发展党员")
    if "satisfaction" in wide:
        add(wide["satisfaction"] < rule["satisfaction_below"], f"群众满意度低于{rule['satisfaction_below']:g}%")
    return reasons.rename("reasons").reset_index()


def flag_bottom(scores, share: float | None = None, level: str = "village", *, data=None,
                catalog=None) -> pd.DataFrame:
    """The bottom ``share`` of units each year, worst first (倒排).

    The group size is ceil(share × n) of the n units scored that year, never fewer than
    one; ``share`` defaults to the catalogue's (10 %). Ties at the cut are all listed.
    With ``data`` (the Dataset or observations), village rows carry the listing reasons
    found in the data (:func:`listing_reasons`).

    Parameters
    ----------
    scores : DataFrame or Dataset
        Output of ``score_composite(..., level=level)``; a Dataset is scored here.

    Returns
    -------
    DataFrame
        ``year, unit_id, unit_name, township, score, rank, grade, bottom_rank, n_units``
        (plus ``reasons``).
    """
    if hasattr(scores, "observations"):
        from .scoring import score_composite

        data = scores if data is None else data
        catalog = catalog_of(scores, catalog)
        scores = score_composite(scores, catalog, level=level)
    cat = catalog_of(data, catalog)
    share = cat.bottom_share if share is None else share
    overall = scores[scores["group"] == "overall"] if "group" in scores.columns else scores
    overall = overall.dropna(subset=["score"])
    picked = []
    for _, g in overall.groupby("year", sort=True):
        k = bottom_count(len(g), share)
        cut = g["score"].nsmallest(k).max()
        low = g[g["score"] <= cut].sort_values(["score", "unit_id"], kind="stable").copy()
        low["bottom_rank"] = np.arange(1, len(low) + 1)
        low["n_units"] = len(g)
        picked.append(low)
    cols = ["year", "unit_id", "unit_name", "township", "score", "rank", "grade", "bottom_rank", "n_units"]
    if not picked:
        return pd.DataFrame(columns=[*cols, *(["reasons"] if data is not None and level == "village" else [])])
    out = pd.concat(picked, ignore_index=True)[cols]
    if data is not None and level == "village":
        reasons = listing_reasons(data, cat)
        out = out.merge(reasons, on=["unit_id", "year"], how="left")
        out["reasons"] = out["reasons"].fillna("")
    return out


def classify_two_ends(scores: pd.DataFrame, share: float | None = None, *, catalog=None) -> pd.DataFrame:
    """Label every unit top / middle / bottom per year (抓两头带中间).

    The top and bottom groups each hold ceil(share × n) units (at least one); the rest
    are the middle. Default share: the catalogue's 倒排 share.

    Returns
    -------
    DataFrame
        ``year, unit_id, unit_name, score, rank, band`` (top | middle | bottom) and
        ``band_zh`` (先进 | 中间 | 后进).
    """
    share = catalog_of(scores, catalog).bottom_share if share is None else share
    overall = scores[scores["group"] == "overall"] if "group" in scores.columns else scores
    overall = overall.dropna(subset=["score"]).copy()
    n = overall.groupby("year")["score"].transform("size")
    k = n.map(lambda m: bottom_count(int(m), share))
    high = overall.groupby("year")["score"].rank(method="min", ascending=False)
    low = overall.groupby("year")["score"].rank(method="min", ascending=True)
    overall["band"] = np.select([high <= k, low <= k], ["top", "bottom"], "middle")
    overall["band_zh"] = overall["band"].map(_BANDS_ZH)
    return overall[["year", "unit_id", "unit_name", "score", "rank", "band", "band_zh"]].reset_index(drop=True)
