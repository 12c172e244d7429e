"""How robust a rank is to the choice of weights (and, optionally, normalisation).

:func:`rank_uncertainty` is a Monte Carlo over weights in the spirit of COINr's
uncertainty analysis, fully vectorised: all draws are computed as matrix products,
with no Python loop per draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import bottom_count, catalog_of, settle, with_catalog
from .completeness import apply_missing_rule, missing_rule
from .scoring import normalize, score_composite, weights_of

__all__ = ["rank_uncertainty"]


def rank_uncertainty(data, catalog=None, draws: int = 1000, spread: float = 0.25, seed: int = 0,
                     methods=None, share: float | None = None, level: str = "township", *,
                     weights=None, missing: str | None = None) -> pd.DataFrame:
    """Rank intervals under random weights.

    Each draw multiplies every group weight and every indicator weight (the catalogue's, or
    ``weights`` resolved as in :func:`~dangjian_analysis.metrics.weights_input.weights_of`) by a
    factor drawn uniformly in [1 − spread, 1 + spread] (then renormalised, as in
    :func:`~dangjian_analysis.score_composite`); with ``methods`` (e.g.
    ``["goalposts", "minmax", "rank"]``) each draw also picks one normalisation method at
    random. Missing values follow the same rule as ``score_composite`` (``missing``, default
    the catalogue's ``[scoring] missing``: a required indicator not reported scores 0). Per
    unit and year the overall index is recomputed, rounded to 9 decimals and ranked (highest
    first, ties sharing the lowest rank).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, rank`` (the default rank), ``median_rank, rank_p05,
        rank_p95`` (5th–95th percentile), ``p_bottom`` (share of draws in the bottom
        group of ``share``, default the catalogue's 倒排 share) and ``draws``. With
        ``spread=0`` and one method the interval collapses to the default rank.
        ``attrs["catalog"]`` is the catalogue used.
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

    def scored(method):
        frame = apply_missing_rule(normalize(data, cat, method=method, level=level), cat, rule, level=level,
                                   method=method)[0]
        return frame[frame["score"].notna()]

    base = scored(methods[0])
    columns = ["unit_id", "unit_name", "year", "rank", "median_rank", "rank_p05", "rank_p95", "p_bottom", "draws"]
    if base.empty:
        return with_catalog(pd.DataFrame(columns=columns), cat)
    units = base[["unit_id", "unit_name", "year"]].drop_duplicates().sort_values(["year", "unit_id"])
    units = units.reset_index(drop=True)
    row_of = {(u, y): i for i, (u, y) in enumerate(zip(units["unit_id"], units["year"]))}
    indicators = [i for i in cat.indicators["id"] if i in set(base["indicator"]) and i in ind_w.index]
    col_of = {i: j for j, i in enumerate(indicators)}
    groups = list(cat.groups["group"])
    member = np.array([[cat.indicator(i)["group"] == g for g in groups] for i in indicators], dtype=float)

    # draws: factors on indicator and group weights, and a method per draw
    f_ind = rng.uniform(1 - spread, 1 + spread, (draws, len(indicators)))
    f_grp = rng.uniform(1 - spread, 1 + spread, (draws, len(groups)))
    w_ind = f_ind * ind_w[indicators].to_numpy()
    w_grp = f_grp * grp_w[groups].to_numpy()
    method_of_draw = rng.integers(0, len(methods), draws) if len(methods) > 1 else np.zeros(draws, int)
    stacks = []                                  # (draws using the method, unit × indicator scores)

    years = units["year"].to_numpy()
    out_cols = {k: np.full(len(units), np.nan) for k in ("median_rank", "rank_p05", "rank_p95", "p_bottom")}
    for m, method in enumerate(methods):
        sel = method_of_draw == m
        if not sel.any():
            continue
        scores = base if m == 0 else scored(method)
        s = np.full((len(units), len(indicators)), np.nan)
        scores = scores[scores["score"].notna() & scores["indicator"].isin(col_of)]
        rows = np.array([row_of.get(k, -1) for k in zip(scores["unit_id"], scores["year"])], int)
        keep = rows >= 0
        s[rows[keep], scores["indicator"][keep].map(col_of).to_numpy()] = scores["score"].to_numpy()[keep]
        stacks.append((sel, s))
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
        with np.errstate(all="ignore"):
            out_cols["median_rank"][rows] = np.nanmedian(ranks, axis=1)
            out_cols["rank_p05"][rows] = np.nanpercentile(ranks, 5, axis=1)
            out_cols["rank_p95"][rows] = np.nanpercentile(ranks, 95, axis=1)
        out_cols["p_bottom"][rows] = bottom.mean(axis=1)
    resolved = {"groups": grp_w, "indicators": ind_w}              # already resolved: no second warning
    composite = score_composite(data, cat, weights=resolved, method=methods[0], level=level, missing=rule)
    composite = composite[composite["group"] == "overall"].set_index(["unit_id", "year"])
    keys = list(zip(units["unit_id"], units["year"]))
    out = units.copy()
    out["rank"] = composite["rank"].reindex(keys).to_numpy()
    for key, values in out_cols.items():
        out[key] = values
    out["draws"] = draws
    for column in ("provisional", "provisional_reason"):       # a 待核实 result stays marked here too
        if column in composite:
            out[column] = composite[column].reindex(keys).to_numpy()
    return with_catalog(out, cat)


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
    """Ranks down each column, highest first, ties sharing the lowest rank (NaN stays NaN).

    Vectorised over columns: the sorted columns are laid end to end, each shifted by a
    constant larger than the data's range, so that one ``searchsorted`` counts, for every
    cell, the values of its own column that are ≤ it.
    """
    n, d = values.shape
    filled = np.where(np.isnan(values), -np.inf, values)
    srt = np.sort(filled, axis=0)                             # ascending per column
    span = np.nanmax(np.abs(np.where(np.isfinite(srt), srt, 0))) + 1.0
    offset = np.arange(d) * 4 * span
    flat = (np.where(np.isfinite(srt), srt, -2 * span) + offset).ravel(order="F")
    query = np.where(np.isfinite(filled), filled, -2 * span) + offset
    above = n - (np.searchsorted(flat, query.ravel(order="F"), side="right").reshape(d, n).T - np.arange(d) * n)
    ranks = 1.0 + above
    return np.where(np.isnan(values), np.nan, ranks)
