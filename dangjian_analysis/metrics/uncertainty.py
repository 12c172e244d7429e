"""How robust a rank is to the choice of weights (and, optionally, normalisation).

:func:`rank_uncertainty` is a Monte Carlo over weights in the spirit of COINr's
uncertainty analysis, fully vectorised: all draws are computed as matrix products,
with no Python loop per draw (nor per indicator or unit: the scores become one unit-year ×
indicator matrix and the indicators' groups one membership matrix, each by a single lookup).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import bottom_count, catalog_of, settle, with_catalog
from ._lookup import need_columns, shown
from .completeness import apply_missing_rule, missing_rule
from .scoring import normalize, score_composite, weights_of

__all__ = ["rank_uncertainty"]


def rank_uncertainty(data, catalog=None, draws: int = 1000, spread: float = 0.25, seed: int = 0,
                     methods=None, share: float | None = None, level: str = "township", *,
                     weights=None, missing: str | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank intervals under random weights.

    Each draw d multiplies every group weight W_g and every indicator weight wᵢ (the
    catalogue's, or ``weights`` resolved as in
    :func:`~dangjian_analysis.metrics.weights_input.weights_of`) by its own factor drawn
    uniformly in [1 − spread, 1 + spread]; with ``methods`` (e.g.
    ``["goalposts", "minmax", "rank"]``) each draw also picks one normalisation method at
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
    methods = list(methods or ["goalposts"])
    rule = missing_rule(cat, missing)
    rng = np.random.default_rng(seed)
    ind_w, grp_w = weights_of(cat, weights)
    if scores is not None:
        _check_scores(scores, {"method": methods[0], "level": level, "missing": rule},
                      {"groups": grp_w.to_dict(), "indicators": ind_w.to_dict()})

    def scored(method):
        frame = apply_missing_rule(normalize(data, cat, method=method, level=level), cat, rule, level=level,
                                   method=method)[0]
        return frame[frame["score"].notna()]

    carried = scores.attrs.get("indicator_scores") if scores is not None else None
    if carried is not None:                  # normalised by score_composite with the same settings (checked above)
        base = carried.frame[carried.frame["score"].notna()]
    else:
        base = scored(methods[0])
    columns = ["unit_id", "unit_name", "year", "rank", "median_rank", "rank_p05", "rank_p95", "p_bottom", "draws"]
    if base.empty:
        return with_catalog(pd.DataFrame(columns=columns), cat)
    units, row_of = _units(base)
    ids = cat.indicators["id"]
    indicators = ids[ids.isin(pd.unique(base["indicator"])) & ids.isin(ind_w.index)].to_numpy(dtype=object)
    groups = cat.groups["group"].to_numpy(dtype=object)
    member = _membership(cat, indicators, groups)

    # draws: factors on indicator and group weights, and a method per draw
    f_ind = rng.uniform(1 - spread, 1 + spread, (draws, len(indicators)))
    f_grp = rng.uniform(1 - spread, 1 + spread, (draws, len(groups)))
    w_ind = f_ind * ind_w[indicators].to_numpy()
    w_grp = f_grp * grp_w[groups].to_numpy()
    method_of_draw = rng.integers(0, len(methods), draws) if len(methods) > 1 else np.zeros(draws, int)
    stacks = []                                  # (draws using the method, unit × indicator scores)
    for m, method in enumerate(methods):
        sel = method_of_draw == m
        if sel.any():
            frame = base if m == 0 else scored(method)
            stacks.append((sel, _matrix(frame, row_of if m == 0 else _units(frame, units)[1], len(units), indicators)))

    out_cols = _distributions(stacks, units["year"].to_numpy(), w_ind, w_grp, member, share)
    if scores is None:
        resolved = {"groups": grp_w, "indicators": ind_w}          # already resolved: no second warning
        nominal = score_composite(data, cat, weights=resolved, method=methods[0], level=level, missing=rule)
    else:
        nominal = scores
    out, marks = _nominal(nominal, units)
    lacking = pd.isna(out["rank"]).to_numpy() & ~np.isnan(out_cols["median_rank"])
    if scores is not None and lacking.any():
        named = units["unit_name"][lacking] + units["year"][lacking].astype(str) + "年"
        raise ValueError(f"scores 中没有 {shown(named, 5)} 的综合指数：scores 应为同一数据的 score_composite 结果"
                         "（包括所有年度）")
    for key, values in out_cols.items():
        out[key] = values
    out["draws"] = draws
    for column, values in marks.items():                      # a 待核实 result stays marked here too
        out[column] = values
    return with_catalog(out, cat)


def _distributions(stacks, years: np.ndarray, w_ind: np.ndarray, w_grp: np.ndarray, member: np.ndarray,
                   share: float) -> dict[str, np.ndarray]:
    """Per unit-year: median, 5th and 95th percentile of its rank over the draws, and the share
    of draws that put it in the bottom group (ceil(share × units ranked), ties at the cut all
    in). ``stacks``: (draws using a method, unit × indicator scores by that method)."""
    draws = len(w_ind)
    out = {k: np.full(len(years), np.nan) for k in ("median_rank", "rank_p05", "rank_p95", "p_bottom")}
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        overall = np.full((len(rows), draws), np.nan)
        for sel, s in stacks:
            overall[:, sel] = settle(_overall(s[rows], w_ind[sel], w_grp[sel], member))
        ranks = _rank_min_desc(overall)
        from_bottom = _rank_min_desc(-overall)                      # 1 = lowest; ties share it
        valid = (~np.isnan(overall)).sum(axis=0)
        cut = np.array([bottom_count(int(n), share) for n in np.unique(valid)])
        cut = cut[np.searchsorted(np.unique(valid), valid)]
        bottom = from_bottom <= cut[None, :]                         # ties at the cut are all in
        for key, values in zip(["median_rank", "rank_p05", "rank_p95"], _percentiles(ranks, [50, 5, 95])):
            out[key][rows] = values
        out["p_bottom"][rows] = bottom.mean(axis=1)
    return out


def _units(frame: pd.DataFrame, units: pd.DataFrame | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The unit-years of ``frame`` (``unit_id, unit_name, year``, by year then unit id) and, for
    each row of ``frame``, its unit-year's position; with ``units`` given, positions in those
    (-1 for a unit-year not among them). Integer codes and one dict, no index of pairs."""
    uid, year = frame["unit_id"].to_numpy(dtype=object), frame["year"].to_numpy()
    if units is None:
        units = frame[["unit_id", "unit_name", "year"]].drop_duplicates().sort_values(["year", "unit_id"])
        units = units.reset_index(drop=True)
    at = {(u, y): k for k, (u, y) in enumerate(zip(units["unit_id"].to_numpy(dtype=object), units["year"].to_numpy()))}
    return units, np.fromiter((at.get((u, y), -1) for u, y in zip(uid, year)), dtype=np.int64, count=len(uid))


def _nominal(scores: pd.DataFrame, units: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """``units`` with the nominal ``rank`` of its unit-years from the ``overall`` rows of
    ``scores``, and their 待核实 marks (``provisional``, ``provisional_reason``) when it has them."""
    marks = [c for c in ("provisional", "provisional_reason") if c in scores]
    nominal = scores.loc[scores["group"].to_numpy() == "overall", ["unit_id", "year", "rank", *marks]]
    where = _units(nominal.assign(unit_name=None), units)[1]          # each nominal row's unit-year in units
    take = np.full(len(units), -1, dtype=np.int64)
    take[where[where >= 0]] = np.flatnonzero(where >= 0)
    nominal = nominal.reset_index(drop=True).reindex(take)
    out = units.copy()
    out["rank"] = nominal["rank"].to_numpy()
    return out, {c: nominal[c].to_numpy() for c in marks}


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
    group_of = cat.indicators.set_index("id")["group"].reindex(indicators).to_numpy(dtype=object)
    return (group_of[:, None] == groups[None, :]).astype(float)


def _matrix(scores: pd.DataFrame, rows: np.ndarray, n_units: int, indicators: np.ndarray) -> np.ndarray:
    """Unit-year × indicator matrix of ``scores`` (NaN where there is none); ``rows``: each row's
    unit-year position (:func:`_units`)."""
    s = np.full((n_units, len(indicators)), np.nan)
    cols = pd.Index(indicators).get_indexer(scores["indicator"])
    keep = (rows >= 0) & (cols >= 0) & scores["score"].notna().to_numpy()
    s[rows[keep], cols[keep]] = scores["score"].to_numpy()[keep]
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
    s0 = np.where(present, s, 0.0)
    total = np.zeros((len(s), len(w_ind)))
    weight = np.zeros_like(total)
    for g in range(member.shape[1]):
        cols = np.flatnonzero(member[:, g])
        if not len(cols):
            continue
        num = s0[:, cols] @ w_ind[:, cols].T
        den = present[:, cols].astype(float) @ w_ind[:, cols].T
        has = den > 0
        wg = has * w_grp[None, :, g]
        total += np.divide(num, den, out=np.zeros_like(num), where=has) * wg
        weight += wg
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


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
