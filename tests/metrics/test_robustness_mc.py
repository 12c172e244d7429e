"""The robustness engine against a from-scratch loop Monte Carlo (score_composite per draw, with the
drawn choices), and the Sobol estimator against published indices (Ishigami) and a linear model."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis.metrics._sobol import sobol_indices
from dangjian_analysis.metrics.robustness import robustness
from dangjian_analysis.metrics.scoring import score_composite, weights_of

DRAWS, SEED = 12, 4


def _decode(u, cat):
    """The choices of one draw, read from its uniform numbers in the documented layout: blocks in
    the order weights, method, goalposts, village_rule, missing, aggregation, drop; indicators and
    groups in catalogue order; alternative ⌊u × n⌋ of n; a village rule flipped when u < 1/2."""
    spec = cat.robustness
    ind_w, grp_w = weights_of(cat)
    inds = [i for i in cat.indicators["id"] if i in ind_w.index]
    groups = list(cat.groups["group"])
    flippable = [i for i in inds if i in spec.village_rules]
    n_i, n_g, at = len(inds), len(groups), 0

    def take(k):
        nonlocal at
        at += k
        return u[at - k:at]

    f = 1 - spec.weight_spread + 2 * spec.weight_spread * take(n_i + n_g)
    w_ind = dict(zip(inds, f[:n_i] * ind_w[inds].to_numpy()))
    w_grp = dict(zip(groups, f[n_i:] * grp_w[groups].to_numpy()))
    method = spec.methods[int(take(1)[0] * len(spec.methods))]
    shift = spec.goalpost_shift * (2 * take(2 * n_i) - 1)
    flipped = [i for i, x in zip(flippable, take(len(flippable))) if x < 0.5]
    rule = spec.missing[int(take(1)[0] * len(spec.missing))]
    geometric = spec.aggregation[int(take(1)[0] * len(spec.aggregation))] == "geometric"
    options = [None, *[("indicators", i) for i in inds], *[("groups", g) for g in groups]]
    dropped = options[int(take(1)[0] * len(options))]
    if dropped is not None:
        (w_ind if dropped[0] == "indicators" else w_grp)[dropped[1]] = 0.0
    ind = cat.indicators.copy()
    rows = ind.set_index("id").index.get_indexer(inds)
    span = (ind["hi"] - ind["lo"]).to_numpy()[rows]
    ind.loc[rows, "lo"] = ind["lo"].to_numpy()[rows] + shift[:n_i] * span
    ind.loc[rows, "hi"] = ind["hi"].to_numpy()[rows] + shift[n_i:] * span
    pick = ind["id"].isin(flipped)
    ind.loc[pick, "aggregate"] = ind.loc[pick, "aggregate"].map({"mean": "share_meeting_target",
                                                                 "share_meeting_target": "mean"})
    return (dataclasses.replace(cat, indicators=ind), {"groups": w_grp, "indicators": w_ind}, method, rule,
            geometric)


def _loop(ds, draws, seed):
    cat = ds.catalog
    n_i, n_g = len(weights_of(cat)[0]), len(cat.groups)
    width = n_i + n_g + 1 + 2 * n_i + len(cat.robustness.village_rules) + 3
    u = np.random.default_rng(seed).random((draws, width))
    runs = []
    for d in range(draws):
        cat2, weights, method, rule, geometric = _decode(u[d], cat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            sc = score_composite(ds, cat2, weights=weights, method=method, missing=rule)
        if geometric:                      # exp(Σ W_g ln(S_g + 1) / Σ W_g) − 1 over the groups scored
            sub = sc[sc["group"] != "overall"].assign(W=lambda f: f["group"].map(weights["groups"]))
            sub = sub[sub["W"] > 0]
            num = (sub["W"] * np.log(sub["score"] + 1)).groupby([sub["unit_id"], sub["year"]]).sum()
            index = np.exp(num / sub["W"].groupby([sub["unit_id"], sub["year"]]).sum()) - 1
        else:
            index = sc[sc["group"] == "overall"].set_index(["unit_id", "year"])["score"]
        runs.append(index.round(9).rename(d))
    return pd.concat(runs, axis=1).sort_index()


def test_engine_agrees_with_a_loop_of_score_composite(sample_loaded):
    assert len(weights_of(sample_loaded.catalog)[0]) == 30            # 31 indicators, one only monitored
    values = _loop(sample_loaded, DRAWS, SEED)
    ranks = values.groupby(level="year").rank(method="min", ascending=False)
    from_bottom = values.groupby(level="year").rank(method="min", ascending=True)
    cut = math.ceil(sample_loaded.catalog.bottom_share * 10 - 1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        got = robustness(sample_loaded, draws=DRAWS, seed=SEED).set_index(["unit_id", "year"]).reindex(values.index)
    np.testing.assert_array_equal(got["median_rank"], ranks.median(axis=1))
    np.testing.assert_array_equal(got["rank_p05"], np.percentile(ranks, 5, axis=1))
    np.testing.assert_array_equal(got["rank_p95"], np.percentile(ranks, 95, axis=1))
    np.testing.assert_allclose(got["p_bottom"], (from_bottom <= cut).mean(axis=1))
    np.testing.assert_allclose(got["p_top"], (values >= 90).mean(axis=1))
    assert (ranks.nunique(axis=1) > 1).any()                  # the draws did move some ranks


def _ishigami(u, a=7.0, b=0.1):
    x = -np.pi + 2 * np.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_ishigami_published_indices():
    """Ishigami (a = 7, b = 0.1): S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437
    (Saltelli et al. 2010; the values of Homma & Saltelli 1996)."""
    out = sobol_indices(_ishigami, [[0], [1], [2]], 16384, seed=2)
    for key, truth in (("S1", [0.3139, 0.4424, 0.0]), ("ST", [0.5576, 0.4424, 0.2437])):
        assert (out[key + "_se"] < 0.015).all()
        assert (np.abs(out[key] - truth) < 3.5 * out[key + "_se"]).all(), (key, out[key], out[key + "_se"])


def test_sobol_linear_model_and_grouped_factors():
    """Y = x₀ + 2x₁ + 3x₂, xᵢ uniform: S_i = S_Ti = aᵢ² / Σa² = 1/14, 4/14, 9/14 (additive: no
    interactions); with x₀ and x₁ one factor, S = 5/14 and 9/14."""
    model = lambda u: u[:, 0] + 2 * u[:, 1] + 3 * u[:, 2]          # noqa: E731
    out = sobol_indices(model, [[0], [1], [2]], 8192, seed=0)
    for key in ("S1", "ST"):
        assert (np.abs(out[key] - np.array([1, 4, 9]) / 14) < 3.5 * out[key + "_se"] + 1e-3).all()
    grouped = sobol_indices(model, [slice(0, 2), [2]], 8192, seed=0)
    np.testing.assert_allclose(grouped["ST"], [5 / 14, 9 / 14], atol=0.02)
    assert grouped["runs"] == 8192 * 4
    flat = sobol_indices(lambda u: np.zeros(len(u)), [[0], [1]], 64)
    assert np.isnan(flat["S1"]).all() and flat["variance"] == 0
