"""How robust the ranking is to every modelling choice: Monte Carlo, Sobol indices, leave-one-out.

A committee member's question is "would 红旗乡 still be last had we chosen differently?". The
choices that can move a rank — weights, normalisation method, goalposts, the village → township
rule, the missing-value rule, arithmetic or geometric aggregation, and leaving one indicator or
one 工程 out — are declared with their alternatives in the catalogue's ``[robustness]`` section
(:mod:`~dangjian_analysis.catalog.robustness`). Three functions answer:

- :func:`robustness` — per unit-year, the rank's median and 5–95 % interval over random
  combinations of the alternatives, and the probability of the 倒排 group and of the top grade;
- :func:`sensitivity` — which choice the ranks depend on most: first-order and total Sobol
  indices of the mean absolute rank shift (Saltelli/Jansen estimators, :mod:`._sobol`);
- :func:`leave_one_out` — each unit's index and rank without each 工程 and each indicator.

All draws are computed at once (:mod:`._robust_design` scores every alternative once,
:mod:`._robust_draws` combines them for all draws by matrix products), as in
:func:`~dangjian_analysis.rank_uncertainty`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ..catalog.robustness import CHOICE_NAMES, CHOICES
from ._frames import Record, catalog_of, with_catalog
from ._robust_design import build_design
from ._robust_draws import layout, nominal_settings, overall, rank_all, settings, summarise
from ._sobol import estimates, saltelli_matrices
from .completeness import missing_rule
from .composite import score_composite
from .uncertainty import _nominal

__all__ = ["robustness", "sensitivity", "leave_one_out"]


def robustness(data, catalog=None, *, choices=None, draws: int | None = None, seed: int | None = None,
               level: str = "township") -> pd.DataFrame:
    """Rank intervals over random combinations of the declared alternatives of every choice.

    Each draw takes, independently, one alternative of every choice in ``choices`` (default
    the catalogue's ``[robustness] choices``) as :mod:`._robust_draws` describes — weights ×
    U[1 − spread, 1 + spread], a normalisation method, goalposts moved by up to ± shift of their
    range, the other village rule for some indicators, a missing-value rule, the arithmetic or
    geometric mean (of S_g + c, minus c) of the sub-indices, one indicator or 工程 left out or
    none — then ranks every unit within its year (highest first, ties sharing the lowest rank).

    Parameters
    ----------
    data : Dataset or DataFrame
    catalog : Catalog or path, optional
    choices : list of str, optional
        A subset of ``weights, method, goalposts, village_rule, missing, aggregation, drop`` (or
        their Chinese names: 权重, 标准化方法, …); the others stay nominal.
    draws, seed : int, optional
        Default: the catalogue's ``[robustness] draws`` and ``seed``. Same seed, same result.
    level : {"township", "village"} (or 乡镇 / 村)

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, rank`` (the nominal rank: the published index),
        ``median_rank, rank_p05, rank_p95, p_bottom`` (share of draws in the 倒排 group of the
        catalogue's bottom share), ``p_top`` (share of draws whose index reaches the best
        grade's lower bound), ``draws``, and the 待核实 marks of the published result
        (``provisional``, ``provisional_reason``); by year, then unit id. ``attrs["robustness"]``
        records the arguments and the alternatives sampled. At village level ``village_rule``
        is not sampled (villages are not aggregated).

    Examples
    --------
    >>> import dangjian_analysis as dj
    >>> from dangjian_analysis.metrics.robustness import robustness
    >>> table = robustness(dj.load(dj.sample_path()), draws=200)
    """
    cat, spec, picked, draws, seed = _arguments(data, catalog, choices, draws, seed)
    level = choice("level", level, name="level")               # 乡镇 / 村 as well as the ids
    design = _design(data, cat, spec, picked, level)
    blocks = layout(design, spec, picked)
    u = np.random.default_rng(seed).random((draws, max((b.stop for b in blocks.values()), default=0)))
    values = overall(design, settings(u, design, spec, blocks), spec.geometric_offset)
    nominal = rank_all(overall(design, nominal_settings(design, 1)), design.years)[0][:, 0]
    stats = summarise(values, design.years, cat.bottom_share, float(cat.grade_bands["min"].iloc[0]))
    marks = _nominal(score_composite(data, cat, level=level), design.units)[1]      # 待核实 stays marked
    out = pd.DataFrame({**design.units, "rank": nominal, **stats, "draws": np.full(len(nominal), draws), **marks})
    out.attrs["robustness"] = _record(spec, picked, draws, seed, level)
    return with_catalog(out, cat)


def sensitivity(data, catalog=None, *, choices=None, draws: int | None = None, seed: int | None = None,
                level: str = "township") -> pd.DataFrame:
    """Which choice the ranking depends on most: Sobol indices of the mean absolute rank shift.

    The output of a draw is Y = mean over unit-years of |rank − nominal rank| (the ranks move by
    Y places on average); each choice is one factor (all its random numbers swap together). With
    n = ``draws`` base draws, the model runs n (k + 2) times for k choices (:mod:`._sobol`):

        S_i  = mean(Y_B (Y_AB(i) − Y_A)) / V     (first order: the share of Var(Y) due to choice i alone)
        S_Ti = mean((Y_A − Y_AB(i))²) / (2V)     (total: with all its interactions)

    Returns
    -------
    DataFrame
        ``choice, name`` (Chinese), ``S1, S1_se, ST, ST_se`` (analytic standard errors), by
        ``ST`` from largest; ``attrs["robustness"]`` the arguments plus ``variance`` of Y,
        ``mean_shift`` (mean of Y) and ``runs``. Where Y never varies the indices are NaN.
    """
    cat, spec, picked, draws, seed = _arguments(data, catalog, choices, draws, seed)
    level = choice("level", level, name="level")               # 乡镇 / 村 as well as the ids
    design = _design(data, cat, spec, picked, level)
    blocks = layout(design, spec, picked)
    u, parts = saltelli_matrices(np.random.default_rng(seed), draws, [blocks[c] for c in picked])
    nominal = rank_all(overall(design, nominal_settings(design, 1)), design.years)[0]
    ranks = rank_all(overall(design, settings(u, design, spec, blocks), spec.geometric_offset), design.years)[0]
    y = np.nanmean(np.abs(ranks - nominal), axis=0)
    est = estimates(y[parts[0]], y[parts[1]], np.stack([y[p] for p in parts[2:]]))
    out = pd.DataFrame({"choice": list(picked), "name": [CHOICE_NAMES[c] for c in picked],
                        **{k: est[k] for k in ("S1", "S1_se", "ST", "ST_se")}})
    out = out.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["robustness"] = _record(spec, picked, draws, seed, level, variance=est["variance"],
                                      mean_shift=est["mean"], runs=est["runs"])
    return with_catalog(out, cat)


def leave_one_out(data, catalog=None, *, level: str = "township") -> pd.DataFrame:
    """Each unit's overall index and rank without each 工程 (group) and without each indicator.

    Leaving an item out sets its weight to 0, everything else as published (goalposts, the
    catalogue's weights, village rules and missing-value rule, arithmetic mean): the other
    indicators of the group, or the other groups, share its weight. The same as
    ``score_composite(data, weights={"groups": {g: 0}})`` (or ``{"indicators": {i: 0}}``).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, year, kind`` (``group`` | ``indicator``), ``item`` (its id),
        ``item_name`` (Chinese), ``score, rank`` without it, ``nominal_score, nominal_rank``,
        and ``rank_change`` = rank − nominal rank (positive: the unit falls without the item, so
        the item lifts it). Groups first, then indicators, in catalogue order.
    """
    cat = catalog_of(data, catalog)
    level = choice("level", level, name="level")
    design = build_design(data, cat, rules=(cat.scoring.missing,), methods=("goalposts",), village_rules=(),
                          level=level)
    items = [("group", g, j) for j, g in enumerate(design.groups) if design.w_grp[j] > 0]
    items += [("indicator", i, j) for j, i in enumerate(design.indicators)
              if not np.isnan(design.scores[0, 0, 0][:, j]).all()]
    st = nominal_settings(design, len(items) + 1)
    for d, (kind, _, j) in enumerate(items, start=1):
        st["w_grp" if kind == "group" else "w_ind"][d, j] = 0.0
    values = overall(design, st)
    ranks = rank_all(values, design.years)[0]
    names = {**dict(zip(cat.groups["group"], cat.groups["name"])), **dict(zip(cat.indicators["id"],
                                                                           cat.indicators["name"]))}
    n_u, n_k = len(design.years), len(items)
    out = pd.DataFrame({c: np.tile(np.asarray(v, dtype=object if c != "year" else None), n_k)
                        for c, v in design.units.items()})
    out["kind"] = np.repeat([k for k, _, _ in items], n_u)
    out["item"] = np.repeat([i for _, i, _ in items], n_u)
    out["item_name"] = out["item"].map(names)
    out["score"] = values[:, 1:].T.reshape(-1)
    out["rank"] = ranks[:, 1:].T.reshape(-1)
    out["nominal_score"] = np.tile(values[:, 0], n_k)
    out["nominal_rank"] = np.tile(ranks[:, 0], n_k)
    out["rank_change"] = out["rank"] - out["nominal_rank"]
    return with_catalog(out, cat)


def _arguments(data, catalog, choices, draws, seed):
    """(catalogue, its [robustness], the choices sampled in catalogue order, draws, seed), checked."""
    cat = catalog_of(data, catalog)
    spec = cat.robustness
    if choices is None:
        picked = list(spec.choices)
    else:
        by_name = {**{c: c for c in CHOICES}, **{v: k for k, v in CHOICE_NAMES.items()}}
        items = [choices] if isinstance(choices, str) else list(choices)
        unknown = [c for c in items if c not in by_name]
        if unknown:
            raise ValueError(f"choices 中 {'、'.join(map(repr, unknown))} 不是可抽样的选择；可选："
                             + "、".join(f"{c}（{CHOICE_NAMES[c]}）" for c in CHOICES))
        picked = [by_name[c] for c in items]
    picked = [c for c in CHOICES if c in picked and not (c == "drop" and not spec.drop)]
    draws = spec.draws if draws is None else draws
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 2:
        raise ValueError(f"draws 应为不小于 2 的整数（抽样次数），实际为 {draws!r}")
    seed = spec.seed if seed is None else seed
    return cat, spec, picked, int(draws), seed


def _design(data, cat, spec, picked, level):
    """The precomputed scores for the alternatives of ``picked`` (nominal ones first)."""
    nominal_rule = missing_rule(cat)
    rules = (nominal_rule, *[r for r in spec.missing if r != nominal_rule]) if "missing" in picked else (nominal_rule,)
    methods = ("goalposts", *[m for m in spec.methods if m != "goalposts"]) if "method" in picked else ("goalposts",)
    vr = spec.village_rules if "village_rule" in picked else ()
    return build_design(data, cat, rules=rules, methods=methods, village_rules=vr, level=level)


def _record(spec, picked, draws, seed, level, **more) -> Record:
    """The arguments of a run and the alternatives it sampled (to regenerate it)."""
    return Record(choices=list(picked), draws=draws, seed=seed, level=level, weight_spread=spec.weight_spread,
                  methods=list(spec.methods), goalpost_shift=spec.goalpost_shift,
                  village_rules=list(spec.village_rules), missing=list(spec.missing),
                  aggregation=list(spec.aggregation), geometric_offset=spec.geometric_offset,
                  drop=list(spec.drop), **more)
