"""robustness() against its numpy floor, on the sample county, measured in one run.

The floor is the same Monte Carlo written in numpy alone, from the precomputed score matrices
(unit-year × indicator, one per missing-value rule, normalisation method and village-rule
variant: what ``build_design`` gives, i.e. what the pandas scoring functions produce once) and
the same uniform numbers: per draw the weights × factors, a method, moved goalposts (the values
rescored on the moved catalogue goalposts), flipped village rules (columns taken from the other
variant), a missing rule, arithmetic or geometric mean (of S_g + 1, minus 1), one indicator or
group or nothing left out; all draws at once as one draw × unit × indicator array; per group
two matrix products; the index rounded to 9 decimals; ranks within each year by comparing every
pair; median, 5th/95th percentile, share of draws in the bottom group and reaching the top band.

The benchmark checks that the floor and ``robustness`` give identical numbers, then times
``robustness(ds, draws=1000)`` (all seven choices, building its inputs from the observations)
and the floor, interleaved, best of ``--repeat``; also, for reference, the building of the
inputs alone (``build_design``: 2 missing rules × 2 village-rule variants × 3 methods scored by
the library's pandas functions), which robustness must do and the floor does not, and
``sensitivity(ds, draws=1000)`` (9,000 model runs). Goal: within 1.5× of floor + inputs.

Usage: python benchmarks/bench_robustness.py [--draws 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import warnings

import numpy as np
from _timing import best_times   # beside this script

import dangjian_analysis as dj
from dangjian_analysis.metrics._robust_design import build_design
from dangjian_analysis.metrics.robustness import robustness, sensitivity

GOAL = 1.5


def floor(d: dict, draws: int, seed: int, spread: float, shift: float, share: float, top: float) -> list:
    """(median, p05, p95, p_bottom, p_top) per unit-year; ``d`` the precomputed arrays. numpy only."""
    n_i, n_g = len(d["w_ind"]), len(d["w_grp"])
    flips = np.flatnonzero(d["flips"])
    width = n_i + n_g + 1 + 2 * n_i + len(flips) + 3
    u = np.random.default_rng(seed).random((draws, width))
    f = 1 - spread + 2 * spread * u[:, :n_i + n_g]
    w_i, w_g = f[:, :n_i] * d["w_ind"], f[:, n_i:] * d["w_grp"]
    at = n_i + n_g
    method = np.minimum((u[:, at] * 3).astype(int), 2)
    move = shift * (2 * u[:, at + 1:at + 1 + 2 * n_i] - 1)
    at += 1 + 2 * n_i
    flip = np.zeros((draws, n_i), bool)
    flip[:, flips] = u[:, at:at + len(flips)] < 0.5
    at += len(flips)
    rule = np.minimum((u[:, at] * 2).astype(int), 1)
    geometric = u[:, at + 1] >= 0.5
    scored = np.flatnonzero(~np.isnan(d["scores"][0, 0, 0]).all(axis=0) & (d["w_ind"] > 0))
    options = len(scored) + n_g + 1
    k = np.minimum((u[:, at + 2] * options).astype(int), options - 1)
    rows = np.arange(draws)
    w_i[rows[(k >= 1) & (k <= len(scored))], scored[k[(k >= 1) & (k <= len(scored))] - 1]] = 0
    w_g[rows[k > len(scored)], k[k > len(scored)] - len(scored) - 1] = 0
    fl = flip[:, None, :]
    s = np.empty((draws, *d["scores"][0, 0, 0].shape))
    for r in range(2):
        for m in range(3):
            sel = (rule == r) & (method == m)
            base = np.where(fl[sel], d["scores"][r, m, 1], d["scores"][r, m, 0])
            if m == 0:
                fs = flip[sel]
                lo = np.where(fs, d["lo"][r, 1], d["lo"][r, 0])
                hi = np.where(fs, d["hi"][r, 1], d["hi"][r, 0])
                span = np.where(fs, d["span"][1], d["span"][0])
                lo2, hi2 = lo + move[sel, :n_i] * span, hi + move[sel, n_i:] * span
                x = np.where(fl[sel], d["values"][r, 1], d["values"][r, 0])
                with np.errstate(divide="ignore", invalid="ignore"):
                    up = np.clip((x - lo2[:, None]) / (hi2 - lo2)[:, None], 0, 1)
                lower = np.where(fs, d["lower"][1], d["lower"][0])[:, None]
                base = np.where(np.where(fl[sel], d["redo"][r, 1], d["redo"][r, 0]),
                                100 * np.where(lower, 1 - up, up), base)
            s[sel] = base
    p = ~np.isnan(s)
    num = np.einsum("dui,di,ig->dug", np.where(p, s, 0.0), w_i, d["member"])
    den = np.einsum("dui,di,ig->dug", p.astype(float), w_i, d["member"])
    has = den > 0
    sub = np.divide(num, den, out=np.zeros_like(num), where=has)
    big = has * w_g[:, None, :]
    tot = big.sum(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(geometric[:, None], np.exp((np.log(sub + 1) * big).sum(2) / tot) - 1, (sub * big).sum(2) / tot)
    val = np.round(np.where(tot > 0, val, np.nan), 9).T                       # unit × draw
    out = [np.full(len(val), np.nan) for _ in range(5)]
    for year in np.unique(d["years"]):
        at = np.flatnonzero(d["years"] == year)
        o = val[at]
        rank = 1.0 + (o[None] > o[:, None]).sum(1)
        bottom = 1.0 + (o[None] < o[:, None]).sum(1)
        cut = max(1, min(len(at), math.ceil(share * len(at) - 1e-9)))
        for o_, q in zip(out, np.percentile(rank, [50, 5, 95], axis=1)):
            o_[at] = q
        out[3][at] = (bottom <= cut).mean(1)
        out[4][at] = (o >= top).mean(1)
    return out


def inputs(ds, cat) -> dict:
    """The floor's arrays: the precomputed scores as robustness() has them."""
    spec = cat.robustness
    des = build_design(ds, cat, rules=("zero", "renormalise"), methods=("goalposts", "minmax", "rank"),
                       village_rules=spec.village_rules, level="township")
    return {"scores": des.scores, "values": des.values, "redo": des.redo, "lo": des.lo, "hi": des.hi,
            "lower": des.lower, "span": des.span, "flips": des.flips, "member": des.member, "w_ind": des.w_ind,
            "w_grp": des.w_grp, "years": des.years}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)
    ds = dj.load(dj.sample_path())
    cat = ds.catalog
    spec = cat.robustness
    assert cat.scoring.missing == "zero" and spec.methods == ("goalposts", "minmax", "rank")
    d = inputs(ds, cat)
    top = float(cat.grade_bands["min"].iloc[0])
    runs = {
        "floor (numpy, from the score matrices)": lambda: floor(d, args.draws, spec.seed, spec.weight_spread,
                                                                spec.goalpost_shift, cat.bottom_share, top),
        "robustness(ds, draws)": lambda: robustness(ds, draws=args.draws),
        "inputs alone (build_design)": lambda: inputs(ds, cat),
        "sensitivity(ds, draws)": lambda: sensitivity(ds, draws=args.draws),
    }
    library, fl = runs["robustness(ds, draws)"](), runs["floor (numpy, from the score matrices)"]()
    columns = ["median_rank", "rank_p05", "rank_p95", "p_bottom", "p_top"]
    same = all(np.array_equal(library[c].to_numpy(dtype=float), f, equal_nan=True) for c, f in zip(columns, fl))
    assert same, "the floor and robustness differ"
    print(f"sample: {len(d['years'])} unit-years × {len(d['w_ind'])} indicators, {len(d['w_grp'])} groups, "
          f"draws={args.draws}, all seven choices; floor and robustness identical: {same}")
    best = best_times(runs, args.repeat)
    base = best["floor (numpy, from the score matrices)"]
    for name, seconds in best.items():
        print(f"{name:40s} {seconds * 1e3:8.1f} ms  {seconds / base:6.2f}× the floor")
    ratio = best["robustness(ds, draws)"] / (base + best["inputs alone (build_design)"])
    print(f"robustness / floor: {best['robustness(ds, draws)'] / base:.2f}×; / (floor + inputs): {ratio:.2f}× "
          f"(goal ≤ {GOAL}×: {'met' if ratio <= GOAL else 'NOT met'})")


if __name__ == "__main__":
    main()
