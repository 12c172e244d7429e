"""Private: the 评分标准 (``rule``) of one ``[[assessment.items]]`` entry, checked key by key.

See :mod:`.assessment` for the section and a full example. :func:`section_check` gives the
:class:`~._checks.Checker` the section uses (its ``need`` / ``opt`` / ``positive`` messages,
raising through the loader's ``fail``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._checks import Checker, is_kind

__all__ = ["RULE_KINDS", "Rule", "build_rule", "build_mapping", "section_check"]

#: The rule kinds, and the keys each allows besides ``kind``.
RULE_KINDS = {
    "per_shortfall": {"indicator", "required", "deduct"},
    "per_incident": {"deduct", "by_role", "by_severity"},
    "checklist": {"items", "deduct"},
    "rank_points": {"indicator", "points", "rest"},
    "proportional_to_best": {"indicator"},
    "from_indicator": {"indicator"},
}
#: Directions an indicator named by a rule may not have, and why.
_BARRED = {
    "per_shortfall": ("lower", "“每少一次扣分”只适用于越多越好的指标"),
    "proportional_to_best": ("lower", "“按最好单位的比例得分”只适用于越高越好的指标"),
    "rank_points": ("monitor", "只监测、不评分的指标没有高低方向，无法排名"),
    "from_indicator": ("monitor", "只监测、不评分的指标没有指标得分"),
}


@dataclass(frozen=True)
class Rule:
    """A checked 评分标准.

    ``kind`` is one of :data:`RULE_KINDS`. Rules on an indicator carry its ``indicator`` id,
    ``indicator_name``, ``unit`` and ``direction`` (so that scoring needs no catalogue);
    ``required`` and ``deduct`` for per_shortfall; ``deduct`` or ``by_role`` / ``by_severity``
    (((职务 or 严重程度, points), …)) for per_incident; ``checks`` (the list's entries) and
    ``deduct`` for checklist; ``rank_points`` (points by rank, rank 1 first) and ``rest`` (the
    points of a rank beyond the list) for rank_points.
    """

    kind: str
    indicator: str | None = None
    indicator_name: str | None = None
    unit: str | None = None
    direction: str | None = None
    required: float | None = None
    deduct: float | None = None
    by_role: tuple[tuple[str, float], ...] = ()
    by_severity: tuple[tuple[str, float], ...] = ()
    checks: tuple[str, ...] = ()
    rank_points: tuple[float, ...] = ()
    rest: float = 0.0


class _SectionCheck(Checker):
    """A :class:`Checker` for a section the catalogue-wide key schema does not list: its keys
    are checked against the set given to :meth:`keys`, its errors raised by the given ``fail``."""

    def __init__(self, fail):
        super().__init__({}, "")
        self._raise = fail

    def fail(self, key: str, message: str):
        self._raise(key, message)
        raise AssertionError("fail() must raise")          # pragma: no cover - the loader's fail raises

    def keys(self, table: dict, allowed: set[str], where: str) -> None:
        if not isinstance(table, dict):
            self.fail(where, "应为一个表（table）")
        for key in table:
            if key not in allowed:
                self.fail(f"{where}.{key}", f"是未知的键；此处允许的键：{'、'.join(sorted(allowed))}")


def section_check(fail) -> _SectionCheck:
    """The checker of ``[assessment]``, raising through ``fail(key, message)``."""
    return _SectionCheck(fail)


def build_mapping(chk: _SectionCheck, table: dict, key: str, where: str) -> tuple[tuple[str, float], ...]:
    """``key = { "书记" = 3, "班子成员" = 2 }``: a non-empty table of names to points above 0."""
    mapping = chk.need(table, key, where, dict)
    if not mapping:
        chk.fail(f"{where}.{key}", '不能为空：如 { "书记" = 3, "班子成员" = 2 }（中文键名须加引号）')
    out = []
    for name, value in mapping.items():
        if not is_kind(value, "number"):
            chk.fail(f"{where}.{key}.{name}", f"应为数值，实际为 {value!r}")
        out.append((name, chk.positive(value, f"{where}.{key}.{name}")))
    return tuple(out)


def build_rule(chk: _SectionCheck, where: str, rule: dict, points: float, indicators: pd.DataFrame) -> Rule:
    """One item's ``rule`` (``where`` its key path, ``points`` the item's 分值)."""
    kind = chk.need(rule, "kind", where, str)
    if kind not in RULE_KINDS:
        chk.fail(f"{where}.kind", f"应为 {' | '.join(RULE_KINDS)}，实际为 {kind!r}")
    chk.keys(rule, {"kind", *RULE_KINDS[kind]}, where)
    out = {"kind": kind}
    if "indicator" in RULE_KINDS[kind]:
        out.update(_indicator(chk, where, rule, kind, indicators))
    if kind == "per_shortfall":
        out["required"] = chk.positive(chk.need(rule, "required", where, "number"), f"{where}.required")
        out["deduct"] = chk.positive(chk.need(rule, "deduct", where, "number"), f"{where}.deduct")
    elif kind == "per_incident":
        given = [k for k in ("deduct", "by_role", "by_severity") if k in rule]
        if len(given) != 1:
            chk.fail(where, "须写 deduct（每条扣分）、by_role（按职务）或 by_severity（按严重程度）之一，且只能写一个"
                            + (f"，实际写了 {'、'.join(given)}" if given else ""))
        if given[0] == "deduct":
            out["deduct"] = chk.positive(chk.need(rule, "deduct", where, "number"), f"{where}.deduct")
        else:
            out[given[0]] = build_mapping(chk, rule, given[0], where)
    elif kind == "checklist":
        checks = chk.need(rule, "items", where, list)
        if not checks or not all(isinstance(c, str) and c.strip() for c in checks):
            chk.fail(f"{where}.items", f"应为非空的名称列表，如 [\"党员名册\", \"会议记录\"]，实际为 {checks!r}")
        doubled = sorted({c.strip() for c in checks if [x.strip() for x in checks].count(c.strip()) > 1})
        if doubled:
            chk.fail(f"{where}.items", f"中有重复的名称：{'、'.join(doubled)}")
        out["checks"] = tuple(c.strip() for c in checks)
        out["deduct"] = chk.positive(chk.need(rule, "deduct", where, "number"), f"{where}.deduct")
    elif kind == "rank_points":
        out.update(_rank_points(chk, where, rule, points))
    return Rule(**out)


def _indicator(chk: _SectionCheck, where: str, rule: dict, kind: str, indicators: pd.DataFrame) -> dict:
    """The indicator a rule reads: it exists and its direction suits the rule."""
    ident = chk.need(rule, "indicator", where, str)
    found = indicators[indicators["id"] == ident]
    if found.empty:
        chk.fail(f"{where}.indicator", f"引用了不存在的指标 {ident!r}（指标编号见 [[indicators]] 的 id）")
    row = found.iloc[0]
    barred, why = _BARRED[kind]
    if row["direction"] == barred:
        chk.fail(f"{where}.indicator", f"不适用：指标 {ident}（{row['name']}）的方向为 {barred}，{why}")
    return {"indicator": ident, "indicator_name": row["name"], "unit": row["unit"], "direction": row["direction"]}


def _rank_points(chk: _SectionCheck, where: str, rule: dict, points: float) -> dict:
    """``points = [60, 57, …]``: numbers ≥ 0, not rising, none above the item's 分值; ``rest`` ≤ the last."""
    ladder = chk.need(rule, "points", where, list)
    if not ladder or not all(is_kind(p, "number") and p >= 0 for p in ladder):
        chk.fail(f"{where}.points", f"应为按名次排列的非负分值列表，如 [60, 57, 54]，实际为 {ladder!r}")
    if any(b > a for a, b in zip(ladder, ladder[1:])):
        chk.fail(f"{where}.points", f"应从第 1 名起逐名不增，实际为 {ladder!r}")
    if ladder[0] > points:
        chk.fail(f"{where}.points", f"第 1 名的 {ladder[0]} 分超过本项分值 {points:g}")
    rest = chk.opt(rule, "rest", where, "number", 0)
    if rest < 0 or rest > ladder[-1]:
        chk.fail(f"{where}.rest", f"应在 0 与列表最后一名的 {ladder[-1]} 分之间，实际为 {rest}")
    return {"rank_points": tuple(float(p) for p in ladder), "rest": float(rest)}
