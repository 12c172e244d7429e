"""Scores: village → township aggregation, normalisation, sub-indices, overall index, ranks, grades.

The default index, step by step (every step a function):

1. :func:`aggregate_villages` — village indicators reach township level by their
   catalogue rule: ``sum``, ``mean`` or ``share_meeting_target`` = 100 × (villages meeting
   the target ÷ villages with a value), meeting meaning ≥ target (``higher``) or
   ≤ target (``lower``).
2. :func:`normalize` / :func:`score_indicators` — indicator scores on fixed goalposts:
   higher: 100 × clip((x − lo)/(hi − lo), 0, 1); lower: 100 × clip((hi − x)/(hi − lo), 0, 1).
3. :func:`score_composite` — sub-index per group = Σ wᵢ sᵢ / Σ wᵢ over the indicators
   present; overall = Σ W_g S_g / Σ W_g over the groups present; rank and grade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import catalog_of, observations_of, rank_desc, warn

__all__ = ["aggregate_villages", "normalize", "score_indicators", "score_composite", "ranking_table",
           "METHODS", "weights_of"]

#: Normalisation methods. All but ``zscore`` give 0–100 scores (and therefore grades).
METHODS = ("goalposts", "minmax", "zscore", "rank", "target")
_KEYS = ["unit_id", "unit_name", "township", "year"]


def aggregate_villages(data, catalog=None) -> pd.DataFrame:
    """Township values per year: village indicators aggregated, township indicators as given.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, unit_name, level, township, year, indicator, value``).
    catalog : Catalog, optional

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, township, year, indicator, value, n_villages`` — one row per
        township, year and indicator; ``n_villages`` is the number of villages with a value
        (empty for township indicators). ``share_meeting_target`` values are
        100 × (villages meeting the target ÷ villages with a value).

    Examples
    --------
    Three villages with office funds 4, 5 and 6 万元 against the 5 万元 target give
    ``share_meeting_target`` = 100 × 2/3 = 66.7.
    """
    cat = catalog_of(data, catalog)
    obs = observations_of(data)
    ind = cat.indicators.set_index("id")
    town_ids = dict(zip(cat.townships["unit_name"], cat.townships["unit_id"]))
    obs = obs[obs["value"].notna()]
    village_rows = _equals(obs["level"], "village")
    village = obs.loc[village_rows, ["township", "year", "indicator", "value"]]
    code = pd.Categorical(village["indicator"], categories=ind.index).codes
    known = code >= 0
    village, code = village[known], code[known]
    rule = ind["aggregate"].to_numpy(dtype=object)[code]
    target = ind["target"].to_numpy(dtype=float)[code]
    lower = (ind["direction"] == "lower").to_numpy()[code]
    x = village["value"].to_numpy(dtype=float)
    share = rule == "share_meeting_target"
    value = np.where(share, 100.0 * np.where(lower, x <= target, x >= target), x)
    frame = pd.DataFrame({"township": village["township"].to_numpy(), "year": village["year"].to_numpy(),
                          "indicator": code, "value": value})
    group = frame.groupby(["township", "year", "indicator"], sort=True, observed=True)["value"]
    agg = pd.concat({"total": group.sum(), "n_villages": group.size()}, axis=1).reset_index()
    agg["mean"] = agg["total"] / agg["n_villages"]
    agg["indicator"] = ind.index.to_numpy(dtype=object)[agg["indicator"].to_numpy()]
    is_sum = (ind["aggregate"] == "sum").reindex(agg["indicator"]).to_numpy()
    agg["value"] = np.where(is_sum, agg["total"], agg["mean"])
    agg["township"] = agg["township"].astype(object)
    agg["unit_id"] = agg["township"].map(town_ids)
    agg["unit_name"] = agg["township"]
    township = obs.loc[~village_rows].assign(n_villages=np.nan)
    cols = ["unit_id", "unit_name", "township", "year", "indicator", "value", "n_villages"]
    out = pd.concat([agg[cols], township[cols].astype({"unit_id": object, "unit_name": object, "township": object,
                                                       "indicator": object})], ignore_index=True)
    out["n_villages"] = out["n_villages"].astype("Int64")
    return out.sort_values(["year", "unit_id", "indicator"], kind="stable").reset_index(drop=True)


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a boolean array, fast for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
        return column.cat.codes.to_numpy() == (categories.index(value) if value in categories else -2)
    return (column == value).to_numpy()


def _values_at(data, cat, level: str) -> pd.DataFrame:
    if level == "township":
        return aggregate_villages(data, cat)
    if level != "village":
        raise ValueError(f"level 应为 township 或 village，实际为 {level!r}")
    obs = observations_of(data)
    return obs.loc[obs["level"] == "village", ["unit_id", "unit_name", "township", "year", "indicator", "value"]]


def normalize(data, catalog=None, method: str = "goalposts", level: str = "township") -> pd.DataFrame:
    """Indicator scores by one normalisation method; ``monitor`` indicators get no score.

    Methods (x the value; for ``lower`` indicators the direction is reversed):

    - ``goalposts`` (default): 100 × clip((x − lo)/(hi − lo), 0, 1) on the catalogue's fixed
      lo/hi; township shares of villages meeting a target use 0 and 100. Without
      goalposts, lo/hi are the minimum and maximum pooled over all years loaded (warned:
      such scores move when data are added).
    - ``minmax``: 100 × (x − min)/(max − min) within each year.
    - ``zscore``: (x − mean)/sd within each year (sample sd); not on 0–100.
    - ``rank``: 100 × (r − 1)/(n − 1) within each year, r the average rank from the worst.
    - ``target``: 100 × min(x/target, 1) (lower: 100 × min(target/x, 1)); shares of
      villages meeting a target score as themselves. Indicators without a target: no score.

    A column without spread (all values equal) gets no score for a within-year method
    (warned), since it cannot tell units apart.

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, township, year, indicator, group, value, score, method``.
    """
    if method not in METHODS:
        raise ValueError(f"normalisation method 应为 {' | '.join(METHODS)}，实际为 {method!r}")
    cat = catalog_of(data, catalog)
    values = _values_at(data, cat, level)[["unit_id", "unit_name", "township", "year", "indicator", "value"]].copy()
    ind = cat.indicators.set_index("id")
    values["group"] = values["indicator"].map(ind["group"])
    direction = values["indicator"].map(ind["direction"])
    x = values["value"].to_numpy(dtype=float)
    share = (values["indicator"].map(ind["aggregate"]) == "share_meeting_target").to_numpy() & (level == "township")
    lower = (direction == "lower").to_numpy() & ~share   # a share of villages meeting the target: higher is better
    if method == "goalposts":
        lo = values["indicator"].map(ind["lo"]).to_numpy(dtype=float)
        hi = values["indicator"].map(ind["hi"]).to_numpy(dtype=float)
        if level == "township":        # a township total is not on the village scale of lo/hi
            total = (values["indicator"].map(ind["aggregate"]) == "sum").to_numpy()
            lo, hi = np.where(total, np.nan, lo), np.where(total, np.nan, hi)
        lo, hi = np.where(share, 0.0, lo), np.where(share, 100.0, hi)
        pooled = np.isnan(lo) & (direction != "monitor").to_numpy()
        if pooled.any():
            names = sorted(values.loc[pooled, "indicator"].unique())
            warn("以下指标没有固定评分区间，按已载入各年的最小值和最大值评分，增加数据后得分会变化：" + "、".join(names))
            span = values[pooled].groupby("indicator")["value"].agg(["min", "max"])
            lo[pooled] = values.loc[pooled, "indicator"].map(span["min"]).to_numpy()
            hi[pooled] = values.loc[pooled, "indicator"].map(span["max"]).to_numpy()
        score = _scale(x, lo, hi, lower)
        score = np.where(pooled & (hi == lo), np.nan, score)
    elif method == "target":
        target = values["indicator"].map(ind["target"]).to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(lower, np.where(x <= target, 1.0, target / x), x / target)
        score = np.where(share, x, 100.0 * np.clip(ratio, 0, 1))
        missing = np.isnan(target) & ~share & (direction != "monitor").to_numpy()
        if missing.any():
            warn("以下指标没有目标值，按目标达成度评分时不计分：" + "、".join(sorted(values.loc[missing, "indicator"].unique())))
    else:
        score = _within_year(values, x, lower, method)
    score = np.where((direction == "monitor").to_numpy(), np.nan, score)
    values["score"] = score
    values["method"] = method
    return values.reset_index(drop=True)


def _scale(x, lo, hi, lower):
    """100 × clip((x − lo)/(hi − lo), 0, 1), reversed for lower-is-better."""
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.clip((x - lo) / (hi - lo), 0, 1)
    return 100.0 * np.where(lower, 1 - up, up)


def _within_year(values: pd.DataFrame, x, lower, method: str) -> np.ndarray:
    signed = pd.Series(np.where(lower, -x, x), index=values.index)
    by = [values["year"], values["indicator"]]
    grouped = signed.groupby(by)
    lo, hi = grouped.transform("min"), grouped.transform("max")
    flat = (hi == lo).to_numpy()
    if flat.any():
        names = sorted(values.loc[flat, "indicator"].unique())
        warn("以下指标在某些年度各单位数值全部相同，无法区分高低，该年不计分：" + "、".join(names))
    if method == "minmax":
        score = 100.0 * (signed - lo) / (hi - lo)
    elif method == "zscore":
        score = (signed - grouped.transform("mean")) / grouped.transform("std")
    else:  # rank
        r = grouped.rank(method="average")
        n = grouped.transform("count")
        score = 100.0 * (r - 1) / (n - 1)
    return np.where(flat, np.nan, score.to_numpy(dtype=float))


def score_indicators(data, catalog=None, method: str = "goalposts", level: str = "township") -> pd.DataFrame:
    """Indicator values and scores per unit and year (see :func:`normalize` for the formulas).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, indicator, value, score`` (plus ``township, group,
        method``); ``monitor`` indicators are reported with no score.

    Examples
    --------
    Goalposts lo = 0, hi = 10 (office funds, 万元): x = 4 scores 40; x = 12 scores 100.
    """
    scores = normalize(data, catalog, method=method, level=level)
    cols = ["unit_id", "unit_name", "township", "year", "indicator", "group", "value", "score", "method"]
    return scores[cols]


def weights_of(cat, weights=None) -> tuple[pd.Series, pd.Series]:
    """(indicator weights, group weights) from the catalogue, overridden by ``weights``.

    ``weights`` may be a Series indexed by indicator ids (e.g. from
    :func:`entropy_weights`), one indexed by group ids, or a dict with keys
    ``indicators`` and/or ``groups``.
    """
    ind_w = cat.indicators.set_index("id")["weight"].astype(float)
    grp_w = cat.groups.set_index("group")["weight"].astype(float)
    if weights is None:
        return ind_w, grp_w
    if isinstance(weights, pd.Series):
        if set(weights.index) <= set(ind_w.index):
            weights = {"indicators": weights}
        elif set(weights.index) <= set(grp_w.index):
            weights = {"groups": weights}
        else:
            raise ValueError("权重的索引应全部是指标编号或全部是分组编号")
    for key, base in (("indicators", ind_w), ("groups", grp_w)):
        given = weights.get(key) if isinstance(weights, dict) else None
        if given is None:
            continue
        given = pd.Series(given, dtype=float)
        if (given < 0).any() or given.isna().any():
            raise ValueError("权重不能为负数或缺失")
        unknown = set(given.index) - set(base.index)
        if unknown:
            raise ValueError(f"未知的{'指标' if key == 'indicators' else '分组'}：{'、'.join(sorted(unknown))}")
        if key == "indicators":
            ind_w = given.reindex(ind_w.index).fillna(0.0)
        else:
            grp_w = given.reindex(grp_w.index).fillna(0.0)
    return ind_w, grp_w


def score_composite(data, catalog=None, weights=None, method: str = "goalposts",
                    level: str = "township") -> pd.DataFrame:
    """Sub-index per group and overall index per unit and year, with rank and grade.

    Formulas (sᵢ indicator scores, wᵢ indicator weights, W_g group weights):

    - sub-index S_g = Σ wᵢ sᵢ / Σ wᵢ over the group's indicators present for that
      unit-year; ``coverage`` = Σ wᵢ (present) / Σ wᵢ (all scored indicators of the group);
    - overall = Σ W_g S_g / Σ W_g over the groups present; its ``coverage`` =
      Σ W_g coverage_g / Σ W_g (the share of the total weight that was present);
    - rank per year and group, highest first, ties sharing the lowest number (1, 2, 2, 4);
    - grade from the catalogue's bands (not for ``zscore``, which is not on 0–100).

    Parameters
    ----------
    data : Dataset or DataFrame
    catalog : Catalog, optional
    weights : Series or dict, optional
        Replace the catalogue's weights (see :func:`weights_of`); e.g. entropy weights
        computed on villages. Indicator weights are renormalised within each group.
    method : str
        Normalisation method (see :func:`normalize`).
    level : {"township", "village"}

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, group, score, coverage, rank, grade`` (plus
        ``township, method``): one row per group and one with group ``overall``.
    """
    cat = catalog_of(data, catalog)
    ind_w, grp_w = weights_of(cat, weights)
    scores = normalize(data, cat, method=method, level=level)
    scored = scores[scores["score"].notna()].copy()
    scored["w"] = scored["indicator"].map(ind_w)
    scored["ws"] = scored["w"] * scored["score"]
    keys = ["unit_id", "year"]
    sub = scored.groupby([*keys, "group"], sort=True).agg(ws=("ws", "sum"), w=("w", "sum")).reset_index()
    applicable = cat.indicators[(cat.indicators["direction"] != "monitor")
                                & ((cat.indicators["level"] == "village") | (level == "township"))]
    group_total = applicable.assign(w=applicable["id"].map(ind_w)).groupby("group")["w"].sum()
    sub = sub[sub["w"] > 0]
    sub["score"] = sub["ws"] / sub["w"]
    sub["coverage"] = sub["w"] / sub["group"].map(group_total)
    sub["W"] = sub["group"].map(grp_w)
    sub["Ws"], sub["Wc"] = sub["W"] * sub["score"], sub["W"] * sub["coverage"]
    overall = sub[sub["W"] > 0].groupby(keys, sort=True).agg(Ws=("Ws", "sum"), W=("W", "sum"),
                                                             Wc=("Wc", "sum")).reset_index()
    all_groups = grp_w[grp_w.index.isin(group_total[group_total > 0].index)].sum()
    overall["score"] = overall["Ws"] / overall["W"]
    overall["coverage"] = overall["Wc"] / all_groups
    overall["group"] = "overall"
    cols = [*keys, "group", "score", "coverage"]
    out = pd.concat([sub[cols], overall[cols]], ignore_index=True)
    names = scores.drop_duplicates("unit_id").set_index("unit_id")
    out.insert(1, "unit_name", out["unit_id"].map(names["unit_name"]))
    out.insert(2, "township", out["unit_id"].map(names["township"]))
    out["rank"] = rank_desc(out["score"], [out["year"], out["group"]])
    out["grade"] = cat.grades(out["score"]) if method != "zscore" else None
    out["method"] = method
    order = {g: i for i, g in enumerate([*cat.groups["group"], "overall"])}
    out = out.sort_values(["year", "group", "rank", "unit_id"], key=lambda s: s.map(order) if s.name == "group" else s,
                          kind="stable")
    return out[["unit_id", "unit_name", "township", "year", "group", "score", "coverage", "rank", "grade",
                "method"]].reset_index(drop=True)


def ranking_table(scores: pd.DataFrame, year: int | None = None, catalog=None) -> pd.DataFrame:
    """The ranking as analysts read it: one row per unit, Chinese headers, best first.

    Columns 排名, 乡镇 (or 村（社区）), 综合指数, 等次, one column per group sub-index
    (by the group's Chinese name) and 覆盖率 (% of the weight with data), for ``year``
    (default: the latest year in ``scores``).
    """
    cat = catalog_of(scores, catalog)
    year = int(scores["year"].max()) if year is None else year
    frame = scores[scores["year"] == year]
    overall = frame[frame["group"] == "overall"].set_index("unit_id")
    wide = frame[frame["group"] != "overall"].pivot(index="unit_id", columns="group", values="score")
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    wide = wide.reindex(columns=[g for g in cat.groups["group"] if g in wide.columns]).rename(columns=names)
    unit = "乡镇" if (overall["unit_name"] == overall["township"]).all() else "村（社区）"
    table = pd.DataFrame({"排名": overall["rank"], unit: overall["unit_name"], "综合指数": overall["score"],
                          "等次": overall["grade"]})
    table = table.join(wide)
    table["覆盖率"] = 100 * overall["coverage"]
    return table.sort_values(["排名", unit], kind="stable").reset_index(drop=True)
