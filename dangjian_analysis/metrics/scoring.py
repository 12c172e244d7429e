"""Scores: village → township aggregation, normalisation, sub-indices, overall index, ranks, grades.

The default index, step by step (every step a function):

1. :func:`aggregate_villages` — village indicators reach township level by their
   catalogue rule: ``sum``, ``mean`` or ``share_meeting_target`` = 100 × (villages meeting
   the target ÷ villages with a value), meeting meaning ≥ target (``higher``) or
   ≤ target (``lower``).
2. :func:`normalize` / :func:`score_indicators` — indicator scores on fixed goalposts:
   higher: 100 × clip((x − lo)/(hi − lo), 0, 1); lower: 100 × clip((hi − x)/(hi − lo), 0, 1).
3. :func:`score_composite` (in :mod:`.composite`, re-exported here) — sub-index per group =
   Σ wᵢ sᵢ / Σ wᵢ over the indicators scored, a required indicator not reported scoring 0
   under the catalogue's ``[scoring] missing = "zero"`` (:mod:`.completeness`); overall =
   Σ W_g S_g / Σ W_g over the groups scored; scores rounded to 9 decimals, then ranked and
   graded; provisional (待核实) results marked. Weights as given by the analyst are resolved
   by :func:`weights_of` (:mod:`.weights_input`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._applies import applies_matrix, conditional
from ._blanks import absent_villages, blanks_of, pair_codes, worst_values
from ._frames import Carried, catalog_of, observations_of, warn
from .completeness import codes_in
from .composite import ranking_table, score_composite
from .weights_input import weights_of

__all__ = ["aggregate_villages", "normalize", "score_indicators", "score_composite", "ranking_table",
           "METHODS", "weights_of"]

#: Normalisation methods. All but ``zscore`` give 0–100 scores (and therefore grades).
METHODS = ("goalposts", "minmax", "zscore", "rank", "target")
_KEYS = ["unit_id", "unit_name", "township", "year"]


def aggregate_villages(data, catalog=None, *, missing: str | None = None) -> pd.DataFrame:
    """Township values per year: village indicators aggregated, township indicators as given.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, unit_name, level, township, year, indicator, value``).
    catalog : Catalog, optional
    missing : {"zero", "renormalise"}, optional
        What a blank is (default: the catalogue's ``[scoring] missing``). A **blank** is a
        required, scored village indicator without a value in a village-year that another
        village of the township reported, for every village of the catalogue's roster of that
        year once the township reported any village value (:mod:`._blanks`): a village that
        left one value empty, and a village left wholly blank or whose row was rejected at
        intake (an *absent village*: each of its due indicators is a blank). A township that did
        not report at all is not scored that year. Under ``"zero"`` (不报不得分) it enters the township's value as the worst
        value a village could report: in a ``share_meeting_target`` a village not meeting the
        target; in a ``mean`` the lowest valid value (higher is better; e.g. 0 for a rate) or the
        highest (lower is better: the valid range's upper end, else the plausible range's), never
        better than the goalpost that scores 0; in a ``sum`` nothing (it adds 0) — so a blank never
        raises the township's score above what an accepted, unquestioned value gives. Under
        ``"renormalise"`` it is over the villages with a value; under either rule the blank is
        counted (``n_blank``, ``missing_required``, the coverage) and named (待核实).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, township, year, indicator, value, n_villages, n_blank`` — one row
        per township, year and indicator; ``n_villages`` is the number of villages counted
        (with a value, and the blanks), ``n_blank`` the blanks among them (both empty for township
        indicators). ``share_meeting_target`` = 100 × villages meeting the target ÷ ``n_villages``
        (``"zero"``) or ÷ ``n_villages − n_blank`` (``"renormalise"``: no row if that is 0). ``attrs["blanks"]`` lists the
        blanks (``township, year, village, unit_id, indicator, whole``) for ``missing_required``,
        the coverage and the 待核实 reasons; ``attrs["absent_villages"]`` the absent villages
        (``township, year, village, unit_id``, under either rule: named in the 待核实 reason).

    An indicator with ``applies_if = { G = v }`` (e.g. 当年整顿转化 only where 列为软弱涣散 = 1)
    is aggregated over the villages where it applies: a value of a village whose G is not v is
    left out (不适用 is not 缺报), and under ``"zero"`` a village whose G is v but which gave no
    value is a blank — even when no village of the township gave one. So its
    ``share_meeting_target`` = 100 × (villages with G = v meeting the target ÷ villages with
    G = v, blanks included); a township with no such village has no value (and is not missing
    it). Where G is itself a blank, G is taken at its worst value (列为软弱涣散 = 1), so the
    indicator is due (a blank if not given: a wholly blank village is not turned around); a
    village without G that is not a blank counts as it stands (its own value if any).

    Examples
    --------
    Three villages with office funds 4, 5 and 6 万元 against the 5 万元 target give
    ``share_meeting_target`` = 100 × 2/3 = 66.7; a fourth village that reported other figures
    but left its funds blank — or a fourth roster village that reported nothing — makes it
    100 × 2/4 = 50 under ``"zero"``.
    """
    from .completeness import missing_rule

    cat = catalog_of(data, catalog)
    obs = observations_of(data)
    rule = missing_rule(cat, missing)
    ind = cat.indicators.set_index("id")
    town_ids = dict(zip(cat.townships["unit_name"], cat.townships["unit_id"]))
    x = obs["value"].to_numpy(dtype=float)
    has = ~np.isnan(x)
    village_rows = _equals(obs["level"], "village")
    code = codes_in(obs["indicator"], ind.index)
    tcode, towns = pd.factorize(obs["township"])
    keep = has & village_rows & (code >= 0) & (tcode >= 0)       # whole-column arrays: no frame copies
    if len(conditional(ind)):                # 不适用 is not 缺报: a value where it does not apply is left out
        uy = pair_codes(obs["unit_id"], obs["year"])
        applies = applies_matrix(uy[keep], int(uy.max()) + 1, code[keep], x[keep], ind)
        keep[np.flatnonzero(keep)[applies[uy[keep], code[keep]] == 0]] = False
    absent = absent_villages(obs, village_rows, has & (tcode >= 0), cat)
    blanks = blanks_of(obs, keep, code, ind, rule, absent)
    code, tcode, x = code[keep], tcode[keep], x[keep]
    year = obs["year"].to_numpy()[keep].astype(np.int64)
    target = ind["target"].to_numpy(dtype=float)[code]
    lower = (ind["direction"] == "lower").to_numpy()[code]
    share = (ind["aggregate"] == "share_meeting_target").to_numpy()[code]
    value = np.where(share, 100.0 * np.where(lower, x <= target, x >= target), x)
    blank = np.zeros(len(code), dtype=bool)
    if len(blanks):          # each blank as the value that scores 0 (see the docstring); renormalise: counted only
        bcode = codes_in(blanks["indicator"], ind.index)
        b_share = (ind["aggregate"] == "share_meeting_target").to_numpy()[bcode]
        worst = np.where(b_share | ((ind["aggregate"] == "sum").to_numpy()[bcode]) | (rule != "zero"), 0.0,
                         np.nan_to_num(worst_values(ind)[bcode]))
        code = np.concatenate([code, bcode])
        tcode = np.concatenate([tcode, pd.Index(towns).get_indexer(blanks["township"])])
        year = np.concatenate([year, blanks["year"].to_numpy(dtype=np.int64)])
        value = np.concatenate([value, worst])
        blank = np.concatenate([blank, np.ones(len(blanks), dtype=bool)])
    # sums and counts per (township, year, indicator) by one bincount over a combined integer key
    y0 = int(year.min()) if len(year) else 0
    n_y, n_i = (int(year.max()) - y0 + 1 if len(year) else 1), len(ind)
    key = (tcode.astype(np.int64) * n_y + (year - y0)) * n_i + code
    size = len(towns) * n_y * n_i
    count = np.bincount(key, minlength=size)
    cells = np.flatnonzero(count)
    total = np.bincount(key, weights=value, minlength=size)[cells]
    n = count[cells]
    n_blank = np.bincount(key, weights=blank.astype(float), minlength=size)[cells].astype(int)
    if rule != "zero":                       # the value over the villages with one; all blank: no value
        cells, total, n, n_blank = cells[n > n_blank], total[n > n_blank], n[n > n_blank], n_blank[n > n_blank]
    ind_code = cells % n_i
    is_sum = (ind["aggregate"] == "sum").to_numpy()[ind_code]
    town = np.asarray(towns, dtype=object)[cells // (n_y * n_i)]
    agg = pd.DataFrame({"unit_id": pd.Series(town).map(town_ids).to_numpy(dtype=object), "unit_name": town,
                        "township": town, "year": (cells // n_i) % n_y + y0,
                        "indicator": ind.index.to_numpy(dtype=object)[ind_code],
                        "value": np.where(is_sum, total, total / (n if rule == "zero" else n - n_blank)),
                        "n_villages": n, "n_blank": n_blank})
    cols = ["unit_id", "unit_name", "township", "year", "indicator", "value", "n_villages", "n_blank"]
    township = obs.loc[has & ~village_rows, cols[:-2]].assign(n_villages=np.nan, n_blank=np.nan)
    out = pd.concat([agg[cols], township[cols].astype({"unit_id": object, "unit_name": object, "township": object,
                                                       "indicator": object})], ignore_index=True)
    out["n_villages"] = out["n_villages"].astype("Int64")
    out["n_blank"] = out["n_blank"].astype("Int64")
    out = out.sort_values(["year", "unit_id", "indicator"], kind="stable").reset_index(drop=True)
    out.attrs["blanks"] = Carried(blanks)
    out.attrs["absent_villages"] = Carried(absent)
    out.attrs["catalog"] = cat                  # computed with it: later calls use the same county rules
    return out


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a boolean array, fast for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
        return column.cat.codes.to_numpy() == (categories.index(value) if value in categories else -2)
    return (column == value).to_numpy()


def values_at(data, cat, level: str, missing: str | None = None) -> pd.DataFrame:
    """The values scored at ``level``: :func:`aggregate_villages` for townships (blanks counted
    under the ``missing`` rule), the village rows for villages — plus, for each absent village
    (a roster village without any value in a township-year that reported, :mod:`._blanks`), one
    row without a value, so that the village-year is scored: under ``"zero"`` every required
    indicator scores 0 (it sinks to the bottom and is listed by ``flag_bottom``, reason
    未报送任何村级指标); under ``"renormalise"`` nothing is left to renormalise over, so it has
    no score and no rank, and its township-year is 待核实 naming it."""
    level = choice("level", level, name="level")
    if level == "township":
        return aggregate_villages(data, cat, missing=missing)
    obs = observations_of(data)
    cols = ["unit_id", "unit_name", "township", "year", "indicator", "value"]
    rows = obs.loc[obs["level"] == "village", cols]
    village_rows, has = _equals(obs["level"], "village"), obs["value"].notna().to_numpy()
    absent = absent_villages(obs, village_rows, has & obs["township"].notna().to_numpy(), cat)
    ind = cat.indicators
    first = ind[(ind["level"] == "village") & (ind["direction"] != "monitor") & ind["required"].astype(bool)
                & (ind["applies_if"].isna() if "applies_if" in ind else True)]
    if absent.empty or first.empty:
        return rows
    empty = pd.DataFrame({"unit_id": absent["unit_id"], "unit_name": absent["village"], "township": absent["township"],
                          "year": absent["year"], "indicator": first["id"].iloc[0], "value": np.nan})
    return pd.concat([rows, empty.astype({"year": rows["year"].dtype})], ignore_index=True)


def normalize(data, catalog=None, method: str = "goalposts", level: str = "township", *,
              missing: str | None = None) -> pd.DataFrame:
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

    Township values are aggregated from the villages under ``missing`` (default: the catalogue's
    ``[scoring] missing``; see :func:`aggregate_villages` for what a blank is).

    A column without spread (all values equal) gets no score for a within-year method
    (warned), since it cannot tell units apart. ``method`` and ``level`` also take the README's
    Chinese words (固定区间, 极差, 标准分, 百分位, 目标达成度; 乡镇, 村: :mod:`~dangjian_analysis.catalog.choices`).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, township, year, indicator, group, value, score, method``.
    """
    method = choice("method", method, name="method", allowed=METHODS)
    level = choice("level", level, name="level")
    cat = catalog_of(data, catalog)
    return score_values(values_at(data, cat, level, missing), cat, method, level)


def score_values(values: pd.DataFrame, cat, method: str, level: str) -> pd.DataFrame:
    """:func:`normalize` on values already at ``level`` (``aggregate_villages`` output for townships)."""
    counted = [c for c in ("n_villages", "n_blank") if c in values]     # blanks, for the coverage
    values = values[["unit_id", "unit_name", "township", "year", "indicator", "value", *counted]].copy()
    ind = cat.indicators.set_index("id")
    icode = codes_in(values["indicator"], ind.index)

    def col(name: str, fill=None) -> np.ndarray:       # the catalogue's column per row (fill: unknown ids)
        return np.append(ind[name].to_numpy(dtype=object if fill is None else float), fill)[icode]

    values["group"] = col("group")
    direction = col("direction")
    monitor = direction == "monitor"
    aggregate = col("aggregate")
    x = values["value"].to_numpy(dtype=float)
    share = (aggregate == "share_meeting_target") & (level == "township")
    lower = (direction == "lower") & ~share   # a share of villages meeting the target: higher is better
    if method == "goalposts":
        lo, hi = col("lo", np.nan), col("hi", np.nan)
        if level == "township":        # a township total is not on the village scale of lo/hi
            total = aggregate == "sum"
            lo, hi = np.where(total, np.nan, lo), np.where(total, np.nan, hi)
        lo, hi = np.where(share, 0.0, lo), np.where(share, 100.0, hi)
        pooled = np.isnan(lo) & ~monitor
        if pooled.any():
            names = sorted(values.loc[pooled, "indicator"].unique())
            warn("以下指标没有固定评分区间，按已载入各年的最小值和最大值评分，增加数据后得分会变化：" + "、".join(names))
            span = values[pooled].groupby("indicator")["value"].agg(["min", "max"])
            lo[pooled] = values.loc[pooled, "indicator"].map(span["min"]).to_numpy()
            hi[pooled] = values.loc[pooled, "indicator"].map(span["max"]).to_numpy()
        score = _scale(x, lo, hi, lower)
        score = np.where(pooled & (hi == lo), np.nan, score)
    elif method == "target":
        target = col("target", np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(lower, np.where(x <= target, 1.0, target / x), x / target)
        score = np.where(share, x, 100.0 * np.clip(ratio, 0, 1))
        missing = np.isnan(target) & ~share & ~monitor
        if missing.any():
            names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
            warn("以下指标没有目标值，按目标达成度评分时不计分：" + "、".join(names.get(i, i) for i in
                                                              sorted(values.loc[missing, "indicator"].unique())))
    else:
        score = _within_year(values, x, lower, method, dict(zip(cat.indicators["id"], cat.indicators["name"])))
    score = np.where(monitor, np.nan, score)
    values["score"] = score
    values["method"] = method
    return values.reset_index(drop=True)


def _scale(x, lo, hi, lower):
    """100 × clip((x − lo)/(hi − lo), 0, 1), reversed for lower-is-better."""
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.clip((x - lo) / (hi - lo), 0, 1)
    return 100.0 * np.where(lower, 1 - up, up)


def _within_year(values: pd.DataFrame, x, lower, method: str, names: dict) -> np.ndarray:
    signed = pd.Series(np.where(lower, -x, x), index=values.index)
    by = [values["year"], values["indicator"]]
    grouped = signed.groupby(by)
    lo, hi = grouped.transform("min"), grouped.transform("max")
    flat = (hi == lo).to_numpy()
    if flat.any():
        flat_ids = sorted(values.loc[flat, "indicator"].unique())           # said by their Chinese names
        warn("以下指标在某些年度各单位数值全部相同，无法区分高低，该年不计分：" + "、".join(names.get(i, i) for i in flat_ids))
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
