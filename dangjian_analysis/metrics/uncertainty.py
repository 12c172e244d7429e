"""How robust a rank is to the choice of weights (and, optionally, normalisation).

:func:`rank_uncertainty` is a Monte Carlo over weights in the spirit of COINr's
uncertainty analysis, fully vectorised: all draws are computed as matrix products,
with no Python loop per draw (nor per indicator or unit: the scores become one unit-year ×
indicator matrix and the indicators' groups one membership matrix, each by a single lookup).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._frames import bottom_count, catalog_of, settle, with_catalog
from ._lookup import need_columns, shown
from .completeness import apply_missing_rule, missing_rule
from .scoring import METHODS, normalize, score_composite, weights_of

__all__ = ["rank_uncertainty"]


def rank_uncertainty(data, catalog=None, draws: int = 1000, spread: float = 0.25, seed: int = 0,
                     methods=None, share: float | None = None, level: str = "township", *,
                     weights=None, missing: str | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank intervals under random weights.

    Each draw d multiplies every group weight W_g and every indicator weight wᵢ (the
    catalogue's, or ``weights`` resolved as in
    :func:`~dangjian_analysis.metrics.weights_input.weights_of`) by its own factor drawn
    uniformly in [1 − spread, 1 + spread]; with ``methods`` (e.g.
    ``["goalposts", "minmax", "rank"]`` or ``["固定区间", "极差", "百分位"]``; ``level`` likewise
    ``"乡镇"``/``"村"``, :mod:`~dangjian_analysis.catalog.choices`) each draw also picks one normalisation method at
    random. Missing values follow the same rule as ``score_composite`` (``missing``, default
    the catalogue's ``[scoring] missing``: a required indicator not reported scores 0). Per
    unit and year, with sᵢ its indicator scores, the draw's overall index is

        S_g = Σ_{i∈g} wᵢ sᵢ / Σ_{i∈g} wᵢ (indicators with a score),
        overall = Σ_g W_g S_g / Σ_g W_g (groups with a score),

    as in :func:`~dangjian_analysis.score_composite` (the renormalisation of the drawn
    weights is in these ratios); it is rounded to 9 decimals and ranked within the year
    (highest first, ties sharing the lowest rank). All draws are computed at once: per
    group, the numerators and denominators of every unit under every draw are two matrix
    products (unit × indicator scores times indicator × draw weights).

    Parameters
    ----------
    scores : DataFrame, optional
        The nominal result the caller already has: ``score_composite(data, catalog,
        weights=weights, method=methods[0], level=level, missing=missing)`` (its ``overall``
        rows give ``rank`` and the 待核实 marks; the normalised indicator scores it carries in
        ``attrs["indicator_scores"]`` are the first method's, not normalised again). Without it,
        it is computed here. A table
        computed with another method, level, missing-value rule or weights (as recorded in
        its ``attrs["scoring"]``), or lacking a unit-year, is a ``ValueError``.

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, rank`` (the default rank), ``median_rank, rank_p05,
        rank_p95`` (5th–95th percentile), ``p_bottom`` (share of draws in the bottom
        group of ``share``, default the catalogue's 倒排 share) and ``draws``. With
        ``spread=0`` and one method the interval collapses to the default rank.
        ``attrs["catalog"]`` is the catalogue used.

    Examples
    --------
    >>> import dangjian_analysis as dj
    >>> ds = dj.load(dj.sample_path())
    >>> nominal = dj.score_composite(ds)
    >>> robust = dj.rank_uncertainty(ds, draws=200, scores=nominal)   # same as without scores=
    """
    if isinstance(spread, bool) or not isinstance(spread, (int, float, np.number)) or not 0 <= spread < 1:
        raise ValueError(f"spread 应为 0 与 1 之间的数（如 0.25），实际为 {spread!r}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws 应为正整数（抽样次数），实际为 {draws!r}")
    cat = catalog_of(data, catalog)
    share = cat.bottom_share if share is None else share
    methods = [choice("method", m, name="methods", allowed=METHODS)
               for m in ([methods] if isinstance(methods, str) else list(methods or ["goalposts"]))]
    level = choice("level", level, name="level")
    rule = missing_rule(cat, missing)
    rng = np.random.default_rng(seed)
    ind_w, grp_w = weights_of(cat, weights)
    ind_weight, grp_weight = ind_w.to_dict(), grp_w.to_dict()
    if scores is not None:
        _check_scores(scores, {"method": methods[0], "level": level, "missing": rule},
                      {"groups": grp_weight, "indicators": ind_weight})

    def scored(method):
        frame = apply_missing_rule(normalize(data, cat, method=method, level=level, missing=rule), cat, rule, level=level,
                                   method=method)[0]
        return frame

    carried = scores.attrs.get("indicator_scores") if scores is not None else None
    if carried is not None:                  # normalised by score_composite with the same settings (checked above)
        base = carried.frame
    else:
        base = scored(methods[0])
    columns = ["unit_id", "unit_name", "year", "rank", "median_rank", "rank_p05", "rank_p95", "p_bottom", "draws"]
    units, row_of = _units(base)
    n_units = len(units["year"])
    if not n_units:
        return with_catalog(pd.DataFrame(columns=columns), cat)
    scored_ids = set(pd.unique(base["indicator"].to_numpy(dtype=object)[row_of >= 0]))
    indicators = np.array([i for i in cat.indicators["id"].to_numpy(dtype=object)
                           if i in scored_ids and i in ind_weight], dtype=object)
    groups = cat.groups["group"].to_numpy(dtype=object)
    member = _membership(cat, indicators, groups)

    # draws: factors on indicator and group weights, and a method per draw
    f_ind = rng.uniform(1 - spread, 1 + spread, (draws, len(indicators)))
    f_grp = rng.uniform(1 - spread, 1 + spread, (draws, len(groups)))
    w_ind = f_ind * np.array([ind_weight[i] for i in indicators], dtype=float)
    w_grp = f_grp * np.array([grp_weight[g] for g in groups], dtype=float)
    method_of_draw = rng.integers(0, len(methods), draws) if len(methods) > 1 else np.zeros(draws, int)
    stacks = []                                  # (draws using the method, unit × indicator scores)
    for m, method in enumerate(methods):
        sel = method_of_draw == m
        if sel.any():
            frame = base if m == 0 else scored(method)
            stacks.append((sel, _matrix(frame, row_of if m == 0 else _units(frame, units)[1], n_units, indicators)))

    out_cols = _distributions(stacks, np.asarray(units["year"]), w_ind, w_grp, member, share)
    if scores is None:
        resolved = {"groups": grp_w, "indicators": ind_w}          # already resolved: no second warning
        nominal = score_composite(data, cat, weights=resolved, method=methods[0], level=level, missing=rule)
    else:
        nominal = scores
    rank, marks = _nominal(nominal, units)
    lacking = pd.isna(rank) & ~np.isnan(out_cols["median_rank"])
    if scores is not None and lacking.any():
        named = [f"{name}{year}年" for name, year in zip(np.asarray(units["unit_name"])[lacking],
                                                          np.asarray(units["year"])[lacking])]
        raise ValueError(f"scores 中没有 {shown(named, 5)} 的综合指数：scores 应为同一数据的 score_composite 结果"
                         "（包括所有年度）")
    out = pd.DataFrame({**units, "rank": rank, **out_cols, "draws": np.full(n_units, draws, dtype=np.int64),
                        **marks})                           # a 待核实 result stays marked here too
    return with_catalog(out, cat)


def _distributions(stacks, years: np.ndarray, w_ind: np.ndarray, w_grp: np.ndarray, member: np.ndarray,
                   share: float) -> dict[str, np.ndarray]:
    """Per unit-year: median, 5th and 95th percentile of its rank over the draws, and the share
    of draws that put it in the bottom group (ceil(share × units ranked), ties at the cut all
    in). ``stacks``: (draws using a method, unit × indicator scores by that method)."""
    draws = len(w_ind)
    every = np.full((len(years), draws), np.nan)                # every unit-year under every draw
    for sel, s in stacks:
        every[:, sel] = settle(_overall(s, w_ind[sel], w_grp[sel], member))
    ranks = np.empty_like(every)
    bottom = np.empty(every.shape, dtype=bool)
    for year in np.unique(years):                                   # ranked within each year
        rows = np.flatnonzero(years == year)
        ranks[rows], from_bottom = _ranks(every[rows])               # from_bottom: 1 = lowest; ties share it
        valid = (~np.isnan(every[rows])).sum(axis=0)
        counts, at = np.unique(valid, return_inverse=True)
        cut = np.array([bottom_count(int(n), share) for n in counts])[at.reshape(-1)]
        bottom[rows] = from_bottom <= cut[None, :]                   # ties at the cut are all in
    out = dict(zip(["median_rank", "rank_p05", "rank_p95"], _percentiles(ranks, [50, 5, 95])))
    out["p_bottom"] = bottom.mean(axis=1)
    return out


def _units(frame: pd.DataFrame, units: dict | None = None) -> tuple[dict, np.ndarray]:
    """The unit-years of the rows of ``frame`` that have a ``score`` (``unit_id, unit_name,
    year``: a dict of columns in ``frame``'s dtypes, by year then unit id, each with the name
    of its first row) and, for each row of
    ``frame``, its unit-year's position (-1 for a row without a score); with ``units`` given,
    positions in those (-1 also for a unit-year not among them)."""
    uid, year = frame["unit_id"].to_numpy(dtype=object), frame["year"].to_numpy()
    has = frame["score"].notna().to_numpy()
    if units is not None:
        return units, np.where(has, _positions(np.asarray(units["unit_id"], dtype=object),
                                               np.asarray(units["year"]), uid, year), -1)
    ucode, ucats = pd.factorize(uid)
    ycode, ycats = pd.factorize(year)
    keys, first, inverse = np.unique((ucode.astype(np.int64) * len(ycats) + ycode)[has],
                                     return_index=True, return_inverse=True)
    first = np.flatnonzero(has)[first]
    by_id = np.empty(len(ucats), dtype=np.int64)
    by_id[np.argsort(np.asarray(ucats, dtype=object), kind="stable")] = np.arange(len(ucats))
    order = np.lexsort((by_id[ucode[first]], year[first]))            # by year, then unit id
    position = np.empty(len(keys), dtype=np.int64)
    position[order] = np.arange(len(keys))
    rows = np.full(len(frame), -1, dtype=np.int64)
    rows[has] = position[inverse.reshape(-1)]
    return {c: _take(frame[c], first[order]) for c in ("unit_id", "unit_name", "year")}, rows


def _take(column: pd.Series, at: np.ndarray) -> pd.Series:
    """The values of ``column`` at positions ``at``, in its dtype (an object column stays object)."""
    return pd.Series(column.array.take(at), dtype=column.dtype)


def _positions(unit_ids: np.ndarray, unit_years: np.ndarray, uid: np.ndarray, year: np.ndarray) -> np.ndarray:
    """For each pair (``uid``, ``year``), its position among the pairs (``unit_ids``,
    ``unit_years``), -1 when absent: both sides coded as integers over their joint values,
    then one sorted search."""
    n = len(unit_ids)
    ucode, _ = pd.factorize(np.concatenate([unit_ids, uid]))
    ycode, ycats = pd.factorize(np.concatenate([unit_years, year]))
    key = ucode.astype(np.int64) * len(ycats) + ycode
    order = np.argsort(key[:n], kind="stable")
    known = key[:n][order]
    at = np.minimum(np.searchsorted(known, key[n:]), max(n - 1, 0))
    found = (known[at] == key[n:]) if n else np.zeros(len(uid), dtype=bool)
    return np.where(found, order[at] if n else -1, -1)


def _nominal(scores: pd.DataFrame, units: dict) -> tuple[np.ndarray, dict]:
    """The nominal ``rank`` of each unit-year of ``units`` from the ``overall`` rows of
    ``scores`` (NaN where it has none), and their 待核实 marks (``provisional``,
    ``provisional_reason``) when it has them."""
    marks = [c for c in ("provisional", "provisional_reason") if c in scores]
    rows = np.flatnonzero(scores["group"].to_numpy() == "overall")
    where = _positions(np.asarray(units["unit_id"], dtype=object), np.asarray(units["year"]),
                       scores["unit_id"].to_numpy(dtype=object)[rows], scores["year"].to_numpy()[rows])
    take = np.full(len(units["year"]), -1, dtype=np.int64)              # each unit-year's overall row in scores
    take[where[where >= 0]] = rows[where >= 0]
    if (take < 0).any():                                      # missing: NaN, in the dtype pandas gives it
        picked = {c: scores[c].reset_index(drop=True).reindex(take).to_numpy() for c in ["rank", *marks]}
    else:
        picked = {c: scores[c].to_numpy()[take] for c in ["rank", *marks]}
    return picked.pop("rank"), picked


def _check_scores(scores, wanted: dict, weights: dict) -> None:
    """A caller's ``scores`` must be a score_composite table computed as this run scores
    (``wanted``: method, level, missing rule; ``weights`` resolved), as its ``attrs`` record."""
    need_columns(scores, ["unit_id", "year", "group", "rank"], "score_composite 的输出（scores）")
    used = scores.attrs.get("scoring")
    if used is None:                                               # e.g. read back from a file
        return
    differ = [f"{k} = {used.get(k)!r}（本次为 {v!r}）" for k, v in wanted.items() if used.get(k) != v]
    if "weights" in used and used["weights"] != weights:
        differ.append("weights 不同")
    if differ:
        raise ValueError("scores 的计算参数与本次不同：" + "；".join(differ) +
                         "。请传入用同样的 weights、method、level、missing 计算的 score_composite 结果")


def _membership(cat, indicators: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Indicator × group 0/1 matrix: M[i, g] = 1 when indicator i belongs to group g (one
    lookup of every indicator's group in the catalogue's table)."""
    at = dict(zip(cat.indicators["id"].to_numpy(dtype=object), cat.indicators["group"].to_numpy(dtype=object)))
    group_of = np.array([at.get(i) for i in indicators], dtype=object)
    return (group_of[:, None] == groups[None, :]).astype(float)


def _matrix(scores: pd.DataFrame, rows: np.ndarray, n_units: int, indicators: np.ndarray) -> np.ndarray:
    """Unit-year × indicator matrix of ``scores`` (NaN where there is none); ``rows``: each row's
    unit-year position (:func:`_units`: -1 for a row without a score)."""
    s = np.full((n_units, len(indicators)), np.nan)
    code, named = pd.factorize(scores["indicator"].to_numpy(dtype=object))
    col_of = {i: k for k, i in enumerate(indicators)}
    cols = np.array([col_of.get(i, -1) for i in named], dtype=np.int64)[code]
    keep = (rows >= 0) & (cols >= 0)
    s[rows[keep], cols[keep]] = scores["score"].to_numpy(dtype=float)[keep]
    return s


def _percentiles(ranks: np.ndarray, qs: list[float]) -> list[np.ndarray]:
    """Per row of ``ranks`` (unit × draw), its ``qs`` percentiles over the draws that rank it
    (linear interpolation, as ``np.nanpercentile``). A unit is ranked in every draw or in
    none unless methods leave it unscored in some draws: only those rows take the slower
    NaN-aware path."""
    out = [np.full(len(ranks), np.nan) for _ in qs]
    gaps = np.isnan(ranks)
    full, some = ~gaps.any(axis=1), gaps.any(axis=1) & ~gaps.all(axis=1)
    for rows, percentile in ((full, np.percentile), (some, np.nanpercentile)):
        if rows.any():
            for o, values in zip(out, percentile(ranks[rows], qs, axis=1)):
                o[rows] = values
    return out


def _overall(s: np.ndarray, w_ind: np.ndarray, w_grp: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Overall index of every unit (rows of ``s``) under every draw (rows of the weights).

    Per group g: S_g = Σ_i∈g w_i s_i / Σ_i∈g w_i over the indicators present (two matrix
    products); overall = Σ_g W_g S_g / Σ_g W_g over the groups present.
    """
    present = ~np.isnan(s)
    s0, p = np.where(present, s, 0.0), present.astype(float)
    total = np.zeros((len(s), len(w_ind)))
    weight = np.zeros_like(total)
    for g in range(member.shape[1]):
        cols = np.flatnonzero(member[:, g])
        if not len(cols):
            continue
        num = s0[:, cols] @ w_ind[:, cols].T
        den = p[:, cols] @ w_ind[:, cols].T
        has = den > 0
        wg = has * w_grp[None, :, g]
        total += np.divide(num, den, out=np.zeros_like(num), where=has) * wg
        weight += wg
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def _ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks down each column from the highest and from the lowest, ties sharing the lowest
    rank (NaN stays NaN), as :func:`_rank_min_desc` of ``values`` and of ``-values``. Up to
    :data:`_PAIRWISE` rows, from one comparison of every pair: with G[i, j] = (vⱼ > vᵢ), the
    rank from the top is 1 + Σⱼ G[i, j] and from the bottom 1 + Σⱼ G[j, i]."""
    if len(values) > _PAIRWISE:
        return _rank_min_desc(values), _rank_min_desc(-values)
    above = values[None, :, :] > values[:, None, :]
    blank = np.isnan(values)
    return (np.where(blank, np.nan, 1.0 + above.sum(axis=1)), np.where(blank, np.nan, 1.0 + above.sum(axis=0)))


def _rank_min_desc(values: np.ndarray) -> np.ndarray:
    """Ranks down each column, highest first, ties sharing the lowest rank (NaN stays NaN):
    rank = 1 + the number of values of the column above it.

    Vectorised over columns. Up to :data:`_PAIRWISE` rows, by comparing every pair of rows
    (n² comparisons a column, cheapest for the townships of a county); beyond, by sorting each
    column once: in descending order a value's rank is 1 + the position where its run of
    equal values starts.
    """
    n, d = values.shape
    if n <= _PAIRWISE:
        ranks = 1.0 + (values[None, :, :] > values[:, None, :]).sum(axis=1)
        return np.where(np.isnan(values), np.nan, ranks)
    neg = -values.T                                           # draw × unit; ascending = highest first
    order = np.argsort(neg, axis=1, kind="stable")            # NaN last
    srt = np.take_along_axis(neg, order, axis=1)
    start = np.zeros((d, n), dtype=np.int64)
    start[:, 1:] = np.where(srt[:, 1:] != srt[:, :-1], np.arange(1, n), 0)
    np.maximum.accumulate(start, axis=1, out=start)           # where each run of ties starts
    ranks = np.empty((d, n))
    np.put_along_axis(ranks, order, start + 1.0, axis=1)
    return np.where(np.isnan(values), np.nan, ranks.T)


#: Up to this many units a year, ranks by pairwise comparison (faster than sorting below ≈ 50).
_PAIRWISE = 48
