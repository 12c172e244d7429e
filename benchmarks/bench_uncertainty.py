"""rank_uncertainty against its numpy floor, on the sample county, measured in one run.

The floor is the same perturbation written in numpy alone, from the indicator scores matrix
(unit-year × indicator, as normalised with the missing-value rule applied) and the same random
draws: per draw, indicator and group weights times factors uniform in [1 − spread, 1 + spread];
per group two matrix products (weighted sum of scores and of weights, over the indicators a
unit has); the overall index rounded to 9 decimals; per year the rank of every unit in every
draw (1 + the units scoring higher, ties sharing the lowest rank) and from the bottom; the
median, 5th and 95th percentiles of the ranks and the share of draws in the bottom group.
The benchmark checks that the floor and ``rank_uncertainty`` give identical numbers, then
times ``rank_uncertainty(ds, catalog, draws=1000)`` with and without ``scores=`` (the nominal
score_composite table a caller already has) against the floor, interleaved, best of
``--repeat``. Goal: within 1.5× of the floor. Also timed, for reference: the normalisation that
gives the floor its input (``normalize`` and the missing-value rule, from the observations),
which ``rank_uncertainty`` must do and the floor does not.

Usage: python benchmarks/bench_uncertainty.py [--draws 1000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import inspect
import math
import warnings

import numpy as np
from _timing import best_times   # beside this script

import dangjian_analysis as dj
from dangjian_analysis.metrics.completeness import apply_missing_rule, missing_rule
from dangjian_analysis.metrics.scoring import normalize, weights_of

GOAL = 1.5


def floor(s, years, member, w_ind, w_grp, *, draws, spread=0.25, seed=0, share=0.1):
    """(median rank, 5th and 95th percentile, share of draws in the bottom group) of every row
    of ``s`` (unit-year × indicator scores, NaN where none), ranked within its ``years``;
    ``member`` indicator × group 0/1, ``w_ind`` / ``w_grp`` the nominal weights. numpy only."""
    rng = np.random.default_rng(seed)
    w_i = rng.uniform(1 - spread, 1 + spread, (draws, s.shape[1])) * w_ind
    w_g = rng.uniform(1 - spread, 1 + spread, (draws, len(w_grp))) * w_grp
    present = ~np.isnan(s)
    s0, p = np.where(present, s, 0.0), present.astype(float)
    total, weight = np.zeros((len(s), draws)), np.zeros((len(s), draws))
    for g in range(member.shape[1]):
        cols = member[:, g] > 0
        num, den = s0[:, cols] @ w_i[:, cols].T, p[:, cols] @ w_i[:, cols].T
        has = den > 0
        total += np.divide(num, den, out=np.zeros_like(num), where=has) * (has * w_g[:, g])
        weight += has * w_g[:, g]
    overall = np.round(np.divide(total, weight, out=np.full_like(total, np.nan), where=weight > 0), 9)
    out = [np.full(len(s), np.nan) for _ in range(4)]
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        o = overall[rows]
        valid = ~np.isnan(o)
        rank = np.where(valid, 1.0 + (o[None, :, :] > o[:, None, :]).sum(axis=1), np.nan)
        from_bottom = 1.0 + (o[None, :, :] < o[:, None, :]).sum(axis=1)
        n = valid.sum(axis=0)
        cut = np.array([max(1, min(k, math.ceil(share * k - 1e-9))) if k else 0 for k in range(len(rows) + 1)])[n]
        out[3][rows] = ((from_bottom <= cut) & valid).mean(axis=1)
        full = valid.all(axis=1)
        for o_, q in zip(out, np.percentile(rank[full], [50, 5, 95], axis=1)):
            o_[rows[full]] = q
        some = ~full & valid.any(axis=1)
        if some.any():
            for o_, q in zip(out, np.nanpercentile(rank[some], [50, 5, 95], axis=1)):
                o_[rows[some]] = q
    return out


def normalised(ds, cat):
    """Indicator scores by goalposts with the missing-value rule applied (tidy)."""
    scores = apply_missing_rule(normalize(ds, cat), cat, missing_rule(cat), level="township", method="goalposts")[0]
    return scores[scores["score"].notna()]


def inputs(ds, cat):
    """The floor's inputs, as rank_uncertainty has them: the scores matrix (rows by year, unit
    id), the years of its rows, indicator × group membership and nominal weights."""
    scores = normalised(ds, cat)
    ind_w, grp_w = weights_of(cat)
    indicators = [i for i in cat.indicators["id"] if i in set(scores["indicator"]) and i in ind_w.index]
    wide = scores.pivot(index=["year", "unit_id"], columns="indicator", values="score")[indicators]
    groups = cat.groups["group"].to_numpy()
    member = (cat.indicators.set_index("id").loc[indicators, "group"].to_numpy()[:, None] == groups).astype(float)
    return (wide.to_numpy(), wide.index.get_level_values("year").to_numpy(), member,
            ind_w[indicators].to_numpy(), grp_w[groups].to_numpy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)
    ds = dj.load(dj.sample_path())
    cat = ds.catalog
    nominal = dj.score_composite(ds, cat)
    s, years, member, w_ind, w_grp = inputs(ds, cat)
    runs = {
        "floor (numpy, from the scores matrix)": lambda: floor(s, years, member, w_ind, w_grp, draws=args.draws,
                                                               share=cat.bottom_share),
        "rank_uncertainty(ds, cat, draws)": lambda: dj.rank_uncertainty(ds, cat, draws=args.draws),
        "rank_uncertainty(…, scores=nominal)": lambda: dj.rank_uncertainty(ds, cat, draws=args.draws, scores=nominal),
        "normalisation (normalize + missing rule)": lambda: normalised(ds, cat),
    }
    if "scores" not in inspect.signature(dj.rank_uncertainty).parameters:      # the tree before scores=
        del runs["rank_uncertainty(…, scores=nominal)"]
    results = {name: run() for name, run in list(runs.items())[:-1]}
    library = results["rank_uncertainty(ds, cat, draws)"]
    assert library.equals(results.get("rank_uncertainty(…, scores=nominal)", library)), "differs with scores="
    columns = ["median_rank", "rank_p05", "rank_p95", "p_bottom"]
    same = all(np.array_equal(library[c].to_numpy(dtype=float), f, equal_nan=True)
               for c, f in zip(columns, results["floor (numpy, from the scores matrix)"]))
    assert same, "the floor and rank_uncertainty differ"
    print(f"sample: {s.shape[0]} unit-years × {s.shape[1]} indicators, {len(w_grp)} groups, draws={args.draws}; "
          f"floor and rank_uncertainty identical: {same}")
    best = best_times(runs, args.repeat)
    base = best["floor (numpy, from the scores matrix)"]
    for name, seconds in best.items():
        print(f"{name:40s} {seconds * 1e3:7.1f} ms  {seconds / base:5.2f}× the floor")
    for name in [n for n in runs if n.startswith("rank_uncertainty")]:
        ratio = best[name] / base
        print(f"{name} / floor: {ratio:.2f}× (goal ≤ {GOAL}×: {'met' if ratio <= GOAL else 'NOT met'}); "
              f"/ (floor + normalisation): {best[name] / (base + best[list(runs)[-1]]):.2f}×")


if __name__ == "__main__":
    main()
