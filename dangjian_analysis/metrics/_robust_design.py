"""Private: what the robustness engine computes once before any draw (:func:`build_design`).

Every alternative that changes the indicator scores is scored once, with the functions that
publish the index (:func:`~dangjian_analysis.aggregate_villages`,
:func:`~dangjian_analysis.metrics.scoring.score_values`,
:func:`~dangjian_analysis.metrics.completeness.apply_missing_rule`): per missing-value rule r,
per village-rule variant v (0: the catalogue's rules; 1: the other rule for every indicator of
``[robustness] village_rules``) and per normalisation method m, the unit-year × indicator
matrix of scores V[r, m, v]. A draw then takes column i from V[r, m, 1] when it flips
indicator i's village rule, else from V[r, m, 0] (the two rules act on one indicator each, so
the columns are independent). Goalposts moved by a draw are applied to the values behind
V[r, goalposts, v] (matrix X[r, v]) with the bounds of :func:`_bounds`.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frames import catalog_of, warn
from .completeness import apply_missing_rule
from .scoring import score_values, values_at
from .uncertainty import _matrix, _membership, _units
from .weights_input import weights_of

__all__ = ["Design", "build_design", "flipped_catalog"]


@dataclass
class Design:
    """The precomputed inputs of every draw.

    Attributes
    ----------
    units : dict
        ``unit_id, unit_name, year`` of the unit-years (rows of every matrix), by year then id.
    indicators, groups : ndarray
        Indicator ids (columns) and group ids; ``member`` the indicator × group 0/1 matrix.
    w_ind, w_grp : ndarray
        Nominal weights (:func:`~dangjian_analysis.metrics.weights_input.weights_of`).
    rules, methods : tuple
        Missing-value rules and normalisation methods scored (nominal first in each).
    flips : ndarray of bool
        Per indicator, whether its village rule may be flipped.
    scores : dict
        ``(r, m, v)`` → unit × indicator scores (indices into ``rules`` / ``methods``).
    values, redo : dict
        ``(r, v)`` → the values behind the goalpost scores, and where a moved goalpost rescores
        them (a value was reported and scored; a 0 given by the missing rule stays 0).
    lo, hi, lower : dict
        ``v`` or ``(r, v)`` → per indicator goalposts as scored (a share of villages on 0–100) and
        whether lower is better.
    span : dict
        ``v`` → per indicator the range a moved goalpost shifts by: hi − lo for the catalogue's
        own goalposts, 0 where the scale is not a goalpost of the catalogue (a township share
        of villages meeting the target, always 0–100; bounds pooled from the data).
    """

    units: dict
    indicators: np.ndarray
    groups: np.ndarray
    member: np.ndarray
    w_ind: np.ndarray
    w_grp: np.ndarray
    rules: tuple
    methods: tuple
    flips: np.ndarray
    scores: dict
    values: dict
    redo: dict
    lo: dict
    hi: dict
    lower: dict
    span: dict

    @property
    def years(self) -> np.ndarray:
        return np.asarray(self.units["year"])


def flipped_catalog(cat, indicators):
    """``cat`` with the other village rule for ``indicators`` (mean ↔ share_meeting_target)."""
    ind = cat.indicators.copy()
    pick = ind["id"].isin(list(indicators))
    other = {"mean": "share_meeting_target", "share_meeting_target": "mean"}
    ind.loc[pick, "aggregate"] = ind.loc[pick, "aggregate"].map(other)
    return dataclasses.replace(cat, indicators=ind)


def build_design(data, catalog, *, rules, methods, village_rules, level: str) -> Design:
    """Score every variant once (see the module docstring); ``rules`` and ``methods`` nominal
    first, ``village_rules`` the indicators whose rule may flip (ignored at village level)."""
    cat = catalog_of(data, catalog)
    village_rules = tuple(village_rules) if level == "township" else ()
    cats = [cat] + ([flipped_catalog(cat, village_rules)] if village_rules else [])
    with warnings.catch_warnings(record=True) as heard:        # each variant repeats the same warnings
        warnings.simplefilter("always", UserWarning)
        design = _score_all(data, cat, cats, rules, methods, village_rules, level)
    for message in dict.fromkeys(str(w.message) for w in heard if issubclass(w.category, UserWarning)):
        warn("稳健性分析的备选方案中：" + message)
    for w in heard:
        if not issubclass(w.category, UserWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return design


def _score_all(data, cat, cats, rules, methods, village_rules, level) -> Design:
    """:func:`build_design` without its warnings gathered."""
    ind_w, grp_w = weights_of(cat)
    indicators = np.array([i for i in cat.indicators["id"] if i in ind_w.index], dtype=object)
    groups = cat.groups["group"].to_numpy(dtype=object)
    units, scores, values, redo, lo, hi, lower, span = None, {}, {}, {}, {}, {}, {}, {}
    for r, rule in enumerate(rules):
        for v, c in enumerate(cats):
            raw = values_at(data, c, level, missing=rule)
            for m, method in enumerate(methods):
                filled = apply_missing_rule(score_values(raw, c, method, level), c, rule, level=level,
                                            method=method)[0]
                if units is None:
                    units, rows = _units(filled)
                else:
                    rows = _units(filled, units)[1]
                scores[r, m, v] = _matrix(filled, rows, len(units["year"]), indicators)
                if method == "goalposts":
                    x = _matrix(filled.assign(score=filled["value"]), rows, len(units["year"]), indicators)
                    values[r, v] = x
                    redo[r, v] = ~np.isnan(x) & ~np.isnan(scores[r, m, v])
                    lo[r, v], hi[r, v], lower[v], fixed = _bounds(raw, c, indicators, level)
                    span[v] = np.where(fixed, 0.0, hi[r, v] - lo[r, v])
    flips = np.isin(indicators, np.array(village_rules, dtype=object))
    return Design(units=units, indicators=indicators, groups=groups, member=_membership(cat, indicators, groups),
                  w_ind=ind_w.reindex(indicators).to_numpy(dtype=float),
                  w_grp=grp_w.reindex(groups).fillna(0.0).to_numpy(dtype=float), rules=tuple(rules),
                  methods=tuple(methods), flips=flips, scores=scores, values=values, redo=redo, lo=lo, hi=hi,
                  lower=lower, span=span)


def _bounds(values: pd.DataFrame, cat, indicators: np.ndarray, level: str):
    """Per indicator, (lo, hi, lower-is-better, fixed) as ``normalize(method="goalposts")`` scores
    it: a township share of villages meeting a target on 0–100 (higher is better), a township sum
    without goalposts (and any indicator without them) on the minimum and maximum of its values
    pooled over the years; ``fixed`` marks those two, whose scale is not the catalogue's lo/hi."""
    ind = cat.indicators.set_index("id").reindex(indicators)
    share = (ind["aggregate"] == "share_meeting_target").to_numpy() & (level == "township")
    lower = (ind["direction"] == "lower").to_numpy() & ~share
    lo, hi = ind["lo"].to_numpy(dtype=float), ind["hi"].to_numpy(dtype=float)
    if level == "township":
        total = (ind["aggregate"] == "sum").to_numpy()
        lo, hi = np.where(total, np.nan, lo), np.where(total, np.nan, hi)
    lo, hi = np.where(share, 0.0, lo), np.where(share, 100.0, hi)
    pooled = np.isnan(lo)
    if pooled.any():
        span = values.groupby("indicator")["value"].agg(["min", "max"]).reindex(indicators)
        lo = np.where(pooled, span["min"].to_numpy(dtype=float), lo)
        hi = np.where(pooled, span["max"].to_numpy(dtype=float), hi)
    return lo, hi, lower, share | pooled
