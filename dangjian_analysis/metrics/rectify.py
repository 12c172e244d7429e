"""抓两头带中间: the bottom group to rectify each year (倒排), and top / middle / bottom labels.

Every table returned carries the catalogue it was computed with (``attrs["catalog"]``), and
a scores table that carries one is read with it: a county's own bottom share and grade
names are used without being passed again.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._applies import applies_matrix, conditional
from ._frames import bottom_count, flags, observations_of, settle, with_catalog
from ._lookup import catalog_from, need_columns, share_of, shown

__all__ = ["flag_bottom", "classify_two_ends", "listing_reasons"]

_BANDS_ZH = {"top": "先进", "middle": "中间", "bottom": "后进"}
_SCORES = "score_composite 的输出（列 year, unit_id, unit_name, score）或 Dataset"
_COLUMNS = ["year", "unit_id", "unit_name", "township", "score", "rank", "grade", "bottom_rank", "n_units"]
_UNKNOWN = "未提供原始数据（data=），无法核对是否完整"


def listing_reasons(data, catalog=None) -> pd.DataFrame:
    """Listing criteria (软弱涣散情形) found in the village data, per village and year.

    Criteria from the catalogue's ``[listing]``: secretary post vacant more than
    ``vacancy_months_above`` months; no new members ``no_new_members_years`` years
    running; residents' satisfaction below ``satisfaction_below`` %.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, level, year, indicator, value``).
    catalog : Catalog or path, optional
        Default: the Dataset's (or the one the table carries), else the default catalogue.

    Returns
    -------
    DataFrame
        ``unit_id, year, reasons`` (reasons joined by ``；``, empty when none).

    Examples
    --------
    A village with its secretary post vacant 5 months in 2014 (more than 3) gets
    ``书记空缺超过3个月`` for 2014.
    """
    cat = catalog_from(catalog, data)
    obs = need_columns(_observations(data), ["unit_id", "level", "year", "indicator", "value"],
                       "Dataset 或观测值表")
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
        add(flags(running.stack().reindex(wide.index)),
            f"连续{years}年未发展党员")
    if "satisfaction" in wide:
        add(wide["satisfaction"] < rule["satisfaction_below"], f"群众满意度低于{rule['satisfaction_below']:g}%")
    return with_catalog(reasons.rename("reasons").reset_index(), cat)


def _observations(data) -> pd.DataFrame:
    """The observations of a Dataset or an observations table (a Chinese ValueError otherwise)."""
    if not (hasattr(data, "observations") or isinstance(data, pd.DataFrame)):
        raise ValueError(f"需要 Dataset 或观测值表（DataFrame），实际为 {type(data).__name__}")
    return observations_of(data)


def _overall(scores) -> pd.DataFrame:
    """The overall rows with a score, ``settled`` = the score rounded for comparing and ranking."""
    need_columns(scores, ["year", "unit_id", "unit_name", "score"], _SCORES)
    overall = scores[scores["group"] == "overall"] if "group" in scores.columns else scores
    overall = overall.dropna(subset=["score"]).copy()
    overall["settled"] = settle(overall["score"])
    return overall


def flag_bottom(scores, share: float | None = None, level: str = "village", *, data=None,
                catalog=None) -> pd.DataFrame:
    """The bottom ``share`` of units each year, worst first (倒排).

    The group size is k = ceil(share × n) of the n units scored that year, never fewer
    than one; every unit whose score (rounded to 9 decimals) is at most the k-th lowest
    is listed, so ties at the cut are all listed. ``share`` defaults to the catalogue's
    ``[bottom] share`` — the catalogue given, else the one the scores table carries, else
    the Dataset's. With ``data`` (the Dataset or observations), village rows carry the
    listing reasons found in the data (:func:`listing_reasons`).

    A listing that rests on incomplete data is marked: ``provisional`` is True, and
    ``incomplete_reason`` says why, for a unit whose row of the scores table is
    provisional (column ``provisional``, with ``provisional_reason``), a village missing a
    required scored indicator that year (with ``data``; 未报送任何村级指标 for a roster
    village without any value in a township-year that reported — under ``missing = "zero"``
    it scores 0 and so is listed here, never dropped), or a village whose township-year
    is provisional (with ``data``). Without ``data`` and without a ``provisional`` column
    it cannot be checked: ``provisional`` is empty (NA) and the reason says so.

    Parameters
    ----------
    scores : DataFrame or Dataset
        Output of ``score_composite(..., level=level)``; a Dataset is scored here.
    share : float, optional
        Strictly between 0 and 1.
    level : {"village", "township"}
        Or ``"村"``, ``"乡镇"`` (:mod:`~dangjian_analysis.catalog.choices`).

    Returns
    -------
    DataFrame
        ``year, unit_id, unit_name, township, score, rank, grade, bottom_rank, n_units,
        provisional, incomplete_reason`` (plus ``reasons`` with ``data`` at village level).

    Raises
    ------
    ValueError
        In Chinese, for a share outside (0, 1), an unknown level, or a table that is not
        a scores table.

    Examples
    --------
    Ten units scoring 90, 85, …, 55, 50, 50 with share 0.1: k = 1, the cut is 50, and
    both units at 50 are listed.
    """
    level = choice("level", level, name="level")
    if data is not None:
        _observations(data)
    if hasattr(scores, "observations"):
        from .scoring import score_composite

        data = scores if data is None else data
        cat = catalog_from(catalog, scores)
        scores = score_composite(scores, cat, level=level)
    else:
        cat = catalog_from(catalog, scores, data)
    share = share_of(share, cat)
    overall = _overall(scores)
    picked = []
    for _, g in overall.groupby("year", sort=True):
        k = bottom_count(len(g), share)
        cut = g["settled"].nsmallest(k).max()
        low = g[g["settled"] <= cut].sort_values(["settled", "unit_id"], kind="stable").copy()
        low["bottom_rank"] = np.arange(1, len(low) + 1)
        low["n_units"] = len(g)
        picked.append(low)
    out = pd.concat(picked, ignore_index=True) if picked else pd.DataFrame(columns=_COLUMNS)
    out = out.reindex(columns=_COLUMNS)
    if data is not None and level == "village":
        reasons = listing_reasons(data, cat)
        out = out.merge(reasons, on=["unit_id", "year"], how="left") if len(out) else out.assign(reasons="")
        out["reasons"] = out["reasons"].fillna("")
    return with_catalog(_mark_incomplete(out, scores, data, cat, level), cat)


def _mark_incomplete(out: pd.DataFrame, scores: pd.DataFrame, data, cat, level: str) -> pd.DataFrame:
    """``out`` with ``provisional`` and ``incomplete_reason`` (see :func:`flag_bottom`)."""
    reasons = [[] for _ in range(len(out))]
    keys = list(zip(out["unit_id"], out["year"]))
    known = "provisional" in scores.columns or (data is not None and level == "village")
    if "provisional" in scores.columns:
        rows = _overall(scores)
        flagged = rows[flags(rows["provisional"])]
        why = flagged["provisional_reason"] if "provisional_reason" in flagged else pd.Series("", index=flagged.index)
        own = {(u, y): (r if isinstance(r, str) and r else "待核实")
               for u, y, r in zip(flagged["unit_id"], flagged["year"], why)}
        for i, key in enumerate(keys):
            if key in own:
                reasons[i].append(own[key])
    if data is not None and level == "village" and len(out):
        missing = _missing_required(data, cat, set(keys))
        for i, key in enumerate(keys):
            if missing.get(key) is None:
                reasons[i].append("未报送任何村级指标（按不得分计）")
            elif missing[key]:
                reasons[i].append("缺少必报指标：" + shown(missing[key], 8))
    if data is not None and len(out):
        towns = _provisional_townships(data, cat)
        if towns is not None:
            known = True
            for i, (town, year) in enumerate(zip(out["township"], out["year"])):
                if (town, year) in towns and (level == "village" or "provisional" not in scores.columns):
                    reasons[i].append(f"所在乡镇本年度结果待核实（{towns[town, year]}）" if level == "village"
                                      else towns[town, year])
    text = ["；".join(dict.fromkeys(r)) for r in reasons]
    out = out.copy()
    out["provisional"] = pd.array([bool(t) if known else pd.NA for t in text], dtype="boolean")
    out["incomplete_reason"] = [t if known else _UNKNOWN for t in text]
    return out


def _missing_required(data, cat, keys: set) -> dict:
    """(unit_id, year) → names of the required, scored village indicators without a value, or
    None for a village-year without any village value (an absent village: 未报送任何村级指标). An
    indicator with ``applies_if`` is required of a village-year only where it applies
    (:func:`~._applies.applies_matrix`: 不适用 is not 缺报; where its governing value is
    missing, it is not asked for)."""
    ind = cat.indicators
    required = ind[(ind["level"] == "village") & ind["required"].astype(bool) & (ind["direction"] != "monitor")]
    obs = observations_of(data)
    obs = obs[(obs["level"] == "village") & obs["value"].notna()]
    have = obs[obs["indicator"].isin(required["id"])].groupby(["unit_id", "year"], sort=False)["indicator"] \
        .agg(set).to_dict()
    by_id = ind.set_index("id")
    ruled = set(conditional(by_id).index)
    codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([obs["unit_id"], obs["year"]]))
    applies = applies_matrix(codes, len(pairs), by_id.index.get_indexer(obs["indicator"]),
                             obs["value"].to_numpy(dtype=float), by_id)
    at = {pair: k for k, pair in enumerate(pairs)}
    names = dict(zip(required["id"], required["name"]))

    def due(key, i) -> bool:
        k = at.get(key)
        return i not in ruled or (k is not None and applies[k, by_id.index.get_loc(i)] == 1)

    return {key: ([names[i] for i in required["id"] if i not in have.get(key, set()) and due(key, i)]
                  if key in at else None) for key in keys}


def _provisional_townships(data, cat) -> dict | None:
    """(township, year) → reason for the provisional township-years of ``score_composite``, or
    None when its output has no ``provisional`` column."""
    from .scoring import score_composite

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)       # the caller has seen the scoring warnings
        towns = score_composite(data, cat, level="township")
    if "provisional" not in towns.columns:
        return None
    towns = towns[(towns["group"] == "overall") & flags(towns["provisional"])]
    why = towns["provisional_reason"] if "provisional_reason" in towns else pd.Series("待核实", index=towns.index)
    return {(t, y): (r if isinstance(r, str) and r else "待核实")
            for t, y, r in zip(towns["unit_name"], towns["year"], why)}


def classify_two_ends(scores, share: float | None = None, *, catalog=None) -> pd.DataFrame:
    """Label every unit top / middle / bottom per year (抓两头带中间).

    The top and bottom groups each hold k = ceil(share × n) units (at least one): a unit
    is top when fewer than k units score higher, bottom when fewer than k score lower
    (scores rounded to 9 decimals, so equal scores share a band); the rest are the
    middle. Default share: the catalogue's 倒排 share (the catalogue given, else the one
    the scores table carries, else the Dataset's).

    Parameters
    ----------
    scores : DataFrame or Dataset
        Output of ``score_composite``; a Dataset is scored here at township level.

    Returns
    -------
    DataFrame
        ``year, unit_id, unit_name, score, rank, band`` (top | middle | bottom) and
        ``band_zh`` (先进 | 中间 | 后进), plus ``provisional, provisional_reason`` when the
        scores table has them.

    Examples
    --------
    Ten units with share 0.1: the best is 先进, the worst (and any tied with it) 后进.
    """
    if hasattr(scores, "observations"):
        from .scoring import score_composite

        cat = catalog_from(catalog, scores)
        scores = score_composite(scores, cat)
    cat = catalog_from(catalog, scores)
    share = share_of(share, cat)
    overall = _overall(scores)
    n = overall.groupby("year")["settled"].transform("size")
    k = n.map(lambda m: bottom_count(int(m), share))
    high = overall.groupby("year")["settled"].rank(method="min", ascending=False)
    low = overall.groupby("year")["settled"].rank(method="min", ascending=True)
    overall["band"] = np.select([high <= k, low <= k], ["top", "bottom"], "middle")
    overall["band_zh"] = overall["band"].map(_BANDS_ZH)
    cols = ["year", "unit_id", "unit_name", "score", "rank", "band", "band_zh",
            *[c for c in ("provisional", "provisional_reason") if c in overall.columns]]
    return with_catalog(overall.reindex(columns=cols).reset_index(drop=True), cat)
