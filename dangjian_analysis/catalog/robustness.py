"""The optional ``[robustness]`` section: which modelling choices the robustness analysis samples.

:func:`~dangjian_analysis.metrics.robustness.robustness` asks "would this township keep its rank
had the county chosen differently?" by drawing, many times over, one alternative for every
choice declared here and recomputing every rank. Defaults (the section may be left out)::

    [robustness]
    choices = ["weights", "method", "goalposts", "village_rule", "missing", "aggregation", "drop"]
    weight_spread = 0.25        # every weight × a factor uniform in [0.75, 1.25]
    methods = ["goalposts", "minmax", "rank"]
    goalpost_shift = 0.10       # each goalpost moved by up to ±10 % of its range (lo and hi independently)
    village_rules = [...]       # default: village indicators with a target, aggregated by mean or by
                                # share meeting the target, not 0/1 (the two rules then differ)
    missing = ["zero", "renormalise"]
    aggregation = ["arithmetic", "geometric"]
    geometric_offset = 1.0      # geometric mean of (S_g + 1), minus 1: a sub-index of 0 stays finite
    drop = ["indicator", "group"]
    draws = 1000
    seed = 0

The nominal index (what :func:`~dangjian_analysis.score_composite` publishes) is always the
catalogue's own: goalposts, its weights and village rules, its ``[scoring] missing``, the
arithmetic mean of sub-indices and nothing left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checks import check_section

__all__ = ["Robustness", "build_robustness", "default_village_rules", "CHOICES", "ROBUST_METHODS", "AGGREGATIONS", "DROPS",
           "CHOICE_NAMES", "ROBUSTNESS_KEYS"]

#: The choices that can be sampled, in the order they are reported.
CHOICES = ("weights", "method", "goalposts", "village_rule", "missing", "aggregation", "drop")
#: Chinese names of the choices, for tables a person reads.
CHOICE_NAMES = {"weights": "权重", "method": "标准化方法", "goalposts": "评分区间", "village_rule": "村级汇总规则",
                "missing": "缺报规则", "aggregation": "分项合成方式", "drop": "剔除一项指标或工程"}
#: Normalisation methods that may be sampled (all on 0–100, so grades and the geometric mean apply).
ROBUST_METHODS = ("goalposts", "minmax", "rank", "target")
#: How the sub-indices are combined.
AGGREGATIONS = ("arithmetic", "geometric")
#: What may be left out at random: one indicator, or one group (工程).
DROPS = ("indicator", "group")
#: The keys of ``[robustness]``.
ROBUSTNESS_KEYS = frozenset({"choices", "weight_spread", "methods", "goalpost_shift", "village_rules", "missing",
                             "aggregation", "geometric_offset", "drop", "draws", "seed"})
_MISSING = ("zero", "renormalise")


@dataclass(frozen=True)
class Robustness:
    """``[robustness]``: the alternatives sampled for every choice (see the module docstring).

    Attributes
    ----------
    choices : tuple of str
        The choices sampled (ids of :data:`CHOICES`); the others stay at the nominal setting.
    weight_spread : float
        Each indicator and group weight is multiplied by a factor uniform in [1 − spread, 1 + spread].
    methods : tuple of str
        Normalisation methods drawn with equal probability.
    goalpost_shift : float
        lo and hi of each indicator each move by (2u − 1) × shift × (hi − lo), u uniform.
    village_rules : tuple of str
        Village indicators whose township value may be taken by the other rule (mean ↔ share
        of villages meeting the target), each drawn with probability 1/2.
    missing, aggregation, drop : tuple of str
        The missing-value rules, the aggregations and the kinds of item left out that are drawn.
    geometric_offset : float
        c in the geometric mean exp(Σ W_g ln(S_g + c) / Σ W_g) − c.
    draws, seed : int
        Default number of draws and seed of the random generator.
    """

    choices: tuple = CHOICES
    weight_spread: float = 0.25
    methods: tuple = ("goalposts", "minmax", "rank")
    goalpost_shift: float = 0.10
    village_rules: tuple = ()
    missing: tuple = _MISSING
    aggregation: tuple = AGGREGATIONS
    geometric_offset: float = 1.0
    drop: tuple = DROPS
    draws: int = 1000
    seed: int = 0


def default_village_rules(indicators) -> tuple:
    """Village indicators for which the other village rule is meaningful: scored, with a target,
    aggregated by ``mean`` or ``share_meeting_target``, and not 0/1 (``kind = "binary"``, whose
    mean is already the share)."""
    ind = indicators
    keep = ((ind["level"] == "village") & (ind["direction"] != "monitor") & ind["target"].notna()
            & ind["aggregate"].isin(["mean", "share_meeting_target"]) & (ind.get("kind") != "binary"))
    return tuple(ind.loc[keep, "id"])


def build_robustness(raw, indicators, fail) -> Robustness:
    """``[robustness]`` of the parsed file (``raw`` the table or None), checked against the
    ``indicators`` table; ``fail(key, message)`` raises the catalogue's error for a key."""
    base = Robustness(village_rules=default_village_rules(indicators))
    if raw is None:
        return base
    check_section(raw, "robustness", ROBUSTNESS_KEYS, "draws = 1000", fail)
    kw = {}
    for key, allowed in (("choices", CHOICES), ("methods", ROBUST_METHODS), ("missing", _MISSING),
                         ("aggregation", AGGREGATIONS), ("drop", DROPS)):
        if key in raw:
            kw[key] = _subset(raw[key], key, allowed, fail, empty=key == "drop")
    for key, low, high in (("weight_spread", 0.0, 1.0), ("goalpost_shift", 0.0, 0.5)):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value < high:
                fail(f"robustness.{key}", f"应为不小于 {low:g}、小于 {high:g} 的数（如 {getattr(base, key):g}），"
                                          f"实际为 {value!r}")
            kw[key] = float(value)
    if "geometric_offset" in raw:
        value = raw["geometric_offset"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            fail("robustness.geometric_offset", f"应为大于 0 的数（如 1，即几何平均前各分项指数加 1），实际为 {value!r}")
        kw["geometric_offset"] = float(value)
    for key, low in (("draws", 1), ("seed", 0)):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                fail(f"robustness.{key}", f"应为不小于 {low} 的整数，实际为 {value!r}")
            kw[key] = value
    if "village_rules" in raw:
        kw["village_rules"] = _village_rules(raw["village_rules"], indicators, fail)
    return Robustness(**{**base.__dict__, **kw})


def _subset(value, key: str, allowed: tuple, fail, *, empty: bool = False) -> tuple:
    """A list of distinct words from ``allowed`` (not empty unless ``empty``)."""
    if not isinstance(value, list) or (not value and not empty):
        fail(f"robustness.{key}", f"应为列表，取值于 {'、'.join(allowed)}，实际为 {value!r}")
    for i, item in enumerate(value):
        if item not in allowed:
            fail(f"robustness.{key}[{i}]", f"应为 {' | '.join(allowed)} 之一，实际为 {item!r}")
        if value.index(item) != i:
            fail(f"robustness.{key}[{i}]", f"重复：{item!r} 已在前面列出")
    return tuple(value)


def _village_rules(value, indicators, fail) -> tuple:
    """``village_rules``: ids of village indicators aggregated by mean or share with a target."""
    if not isinstance(value, list):
        fail("robustness.village_rules", f"应为指标编号的列表，实际为 {value!r}")
    ind = indicators.set_index("id")
    for i, item in enumerate(value):
        where = f"robustness.village_rules[{i}]"
        if not isinstance(item, str) or item not in ind.index:
            fail(where, f"不是指标体系中的指标编号：{item!r}")
        row = ind.loc[item]
        if row["level"] != "village" or row["aggregate"] not in ("mean", "share_meeting_target"):
            fail(where, f"（{item}）应为按平均值或达标村占比汇总的村级指标，实际汇总方式为 {row['aggregate']!r}")
        if row["direction"] == "monitor":
            fail(where, f"（{item}）是只监测、不计分的指标，没有可比较的汇总方式")
        if row["target"] != row["target"]:
            fail(where, f"（{item}）没有目标值（target），无法按达标村占比汇总")
        if value.index(item) != i:
            fail(where, f"重复：{item!r} 已在前面列出")
    return tuple(value)
