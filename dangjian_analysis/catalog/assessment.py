"""The optional ``[assessment]`` section: the county's own 考核细则 (an itemised rubric).

A county scores its units against a rubric of items, each with a 分值 (``points``) and a
评分标准 (``rule``), plus 加分 (``bonus``), 直接扣分 (``deductions``) and 一票否决 (``vetoes``).
:func:`build_assessment` checks the section and gives an :class:`Assessment` (None when the
catalogue has no ``[assessment]``); every mistake is one Chinese :class:`CatalogError` naming
its key, e.g. ``assessment.items[3]（id = A07）.rule.kind 应为 per_shortfall | … ，实际为 'perincident'``.

A full example::

    [assessment]
    name = "乡镇党委书记抓基层党建工作考核"
    points = 100                # 基础分满分：各小项分值之和必须等于它
    bonus_cap = 5               # 加分合计最高（可省略：不设总上限）

    [[assessment.items]]        # 每少一次扣 deduct 分：扣分 = deduct × max(0, required − 指标值)
    id = "A01"
    part = "责任落实"            # 大项（可省略：归入“其他”）
    name = "党委会专题研究党建"
    points = 10
    rule = { kind = "per_shortfall", indicator = "party_meetings", required = 10, deduct = 1 }

    [[assessment.items]]        # 加减分台账中本项每一条扣 deduct 分
    id = "A07"
    name = "村干部补贴按时足额发放"
    points = 6
    rule = { kind = "per_incident", deduct = 2 }
    # 或按职务 / 严重程度：rule = { kind = "per_incident", by_role = { "书记" = 3, "班子成员" = 2 } }
    #                      rule = { kind = "per_incident", by_severity = { "一般" = 1, "严重" = 3 } }

    [[assessment.items]]        # 清单中每缺一项扣 deduct 分
    id = "A08"
    name = "基础台账资料"
    points = 4
    rule = { kind = "checklist", items = ["党员名册", "会议记录", "发展党员档案"], deduct = 1 }

    [[assessment.items]]        # 按指标值排名：第 1、2、3… 名依次得 points 中的分，其后得 rest（默认 0）
    id = "A10"
    name = "一乡一品产值"
    points = 60
    rule = { kind = "rank_points", indicator = "feature_output", points = [60, 57, 54, 51, 48], rest = 45 }

    [[assessment.items]]        # 得分 = 分值 × 指标值 ÷ 各单位最好值
    id = "A11"
    name = "带动农户"
    points = 10
    rule = { kind = "proportional_to_best", indicator = "households_driven" }

    [[assessment.items]]        # 得分 = 分值 × 指标得分（固定区间评分，0–100）÷ 100
    id = "A09"
    name = "群众满意度"
    points = 10
    rule = { kind = "from_indicator", indicator = "satisfaction" }

    [[assessment.bonus]]        # 台账中每一条加 each 分，本项最高 cap 分（cap 可省略）
    id = "J01"
    name = "省级以上表彰"
    each = 2
    cap = 3

    [[assessment.deductions]]   # 直接从总分中扣：每条 each 分，或按职务 by_role
    id = "K01"
    name = "违反中央八项规定精神"
    by_role = { "书记" = 3, "班子成员" = 2, "支部书记" = 1 }   # 中文键名须加引号

    [[assessment.vetoes]]       # 一票否决：评分之后作用于等次
    id = "F01"
    name = "发生严重违纪违法案件"
    effect = "not_top"          # not_top：不得评为最好等次；disqualify：取消评选资格

    # 年度考核等次（按综合得分，从最好等次写起；最后一个为兜底，不写 min、quota）
    [[assessment.grades]]
    grade = "好"
    min = 90                    # 分数线（可省略）
    quota = "1/3"               # 名额：不超过本类别单位数的 1/3（可省略）
    [[assessment.grades]]
    grade = "较好"
    min = 80
    [[assessment.grades]]
    grade = "一般"

    [[assessment.gates]]        # 门槛：条件成立时，至多评为 best
    id = "G01"
    name = "群众满意度低于 85% 的不得评为好、较好"
    when = "satisfaction < 85"  # 指标编号，或 review（述职评议）、routine（日常考核）、annual（综合得分）
    best = "一般"
    classes = ["乡镇党委书记"]

    [[assessment.consequences]] # 结果运用
    grade = "一般"
    text = "约谈党组织书记"
    rectify_days = 30           # 通报印发之日起 30 日内报送书面整改报告（可省略）

Conventions: every ``points``, ``deduct``, ``each``, ``cap`` and mapped value is a number
above 0 (``bonus_cap`` and ``rest`` may be 0); ids are unique across items, bonus,
deductions and vetoes (the 加减分台账 names them in one column); an item never scores below 0
(扣完为止) nor above its ``points``, so a rule's deductions may exceed the item's points. The
rule kinds that read an indicator check it against the catalogue: it must exist;
``per_shortfall`` and ``proportional_to_best`` need one that is not lower-is-better;
``rank_points`` and ``from_indicator`` one that is scored (not ``monitor``).

Units and classes: the units assessed are the catalogue's secretaries' units, and a unit's class is
its secretary's ``type`` (乡镇党委书记, 县直党（工）委书记). An item, gate may name the ``classes`` it
applies to (absent: all); for every class, the points of its items add up to ``points``. Quotas
count per class (``quota_base = "class"``) or over all units (``"all"``); see
:mod:`._assessment_grades` for quotas, ties (``ties``, ``undecided``, ``tie_break``, ``decimals``)
and gates. When ``grades`` is absent, the catalogue's ``[grades]`` bands grade the annual result.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._assessment_grades import (Consequence, Gate, Grade, build_consequences, build_gates, build_grades,
                                 build_ranking, check_classes)
from ._assessment_rules import RULE_KINDS, Rule, build_rule, section_check, build_mapping
from ._checks import CatalogError, where_of

__all__ = ["Assessment", "AssessmentItem", "Bonus", "Deduction", "Veto", "Rule", "Grade", "Gate", "Consequence",
           "RULE_KINDS", "VETO_EFFECTS", "DISQUALIFIED", "build_assessment"]

#: The grade text of a unit a ``disqualify`` veto removed from the grading.
DISQUALIFIED = "取消评选资格"

#: ``effect`` of a veto: ``not_top`` bars the best grade, ``disqualify`` removes eligibility.
VETO_EFFECTS = ("not_top", "disqualify")

_KEYS = {
    "assessment": {"name", "points", "bonus_cap", "items", "bonus", "deductions", "vetoes", "grades", "gates",
                   "consequences", "quota_base", "quota_rounding", "ties", "undecided", "tie_break", "decimals"},
    "items": {"id", "part", "name", "points", "rule", "classes"},
    "bonus": {"id", "name", "each", "cap"},
    "deductions": {"id", "name", "each", "by_role"},
    "vetoes": {"id", "name", "effect"},
}
#: The ``part`` of an item written without one.
DEFAULT_PART = "其他"


@dataclass(frozen=True)
class AssessmentItem:
    """One 小项: ``id``, ``part`` (大项), ``name``, ``points`` (分值), its :class:`Rule` and the
    ``classes`` it applies to (empty: every class)."""

    id: str
    part: str
    name: str
    points: float
    rule: Rule
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bonus:
    """A 加分 item: ``each`` points per ledger entry, at most ``cap`` (None: no item cap)."""

    id: str
    name: str
    each: float
    cap: float | None = None


@dataclass(frozen=True)
class Deduction:
    """A 直接扣分 item: ``each`` points per ledger entry, or ``by_role`` ((职务, points), …)."""

    id: str
    name: str
    each: float | None = None
    by_role: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Veto:
    """A 一票否决: ``effect`` is ``"not_top"`` (不得评为最好等次) or ``"disqualify"`` (取消资格)."""

    id: str
    name: str
    effect: str


@dataclass(frozen=True)
class Assessment:
    """A checked ``[assessment]``: the rubric's name, 基础分满分 ``points`` (= Σ points of each
    class's items), the pool cap of 加分 ``bonus_cap`` (None: none), its items, bonus, deductions,
    vetoes in catalogue order; the ``classes`` assessed (secretary types, catalogue order), the
    ``grades`` of the annual result (best first), ``gates``, ``consequences`` (结果运用), and the
    quota settings ``quota_base``, ``quota_rounding``, ``ties``, ``undecided``, ``tie_break``,
    ``decimals`` (see :mod:`._assessment_grades`)."""

    name: str
    points: float
    bonus_cap: float | None
    items: tuple[AssessmentItem, ...]
    bonus: tuple[Bonus, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    classes: tuple[str, ...] = ()
    grades: tuple[Grade, ...] = ()
    gates: tuple[Gate, ...] = ()
    consequences: tuple[Consequence, ...] = ()
    quota_base: str = "class"
    quota_rounding: str = "floor"
    ties: str = "undecided"
    undecided: str = "待定"
    tie_break: tuple[str, ...] = ()
    decimals: int = 2

    def items_for(self, cls: str | None) -> tuple[AssessmentItem, ...]:
        """The items that apply to units of class ``cls`` (every item when ``cls`` is None)."""
        return tuple(i for i in self.items if cls is None or not i.classes or cls in i.classes)

    def consequence(self, grade: str) -> Consequence | None:
        """The 结果运用 of ``grade`` (None when the catalogue writes none)."""
        return next((c for c in self.consequences if c.grade == grade), None)

    def entry(self, ident: str):
        """The item, bonus, deduction or veto whose id is ``ident`` (None if there is none)."""
        for entry in (*self.items, *self.bonus, *self.deductions, *self.vetoes):
            if entry.id == ident:
                return entry
        return None


def _default_fail(key: str, message: str):
    raise CatalogError(f"指标体系：{key} {message}")


def build_assessment(raw, indicators: pd.DataFrame, fail=None, *, classes=None,
                     bands: pd.DataFrame | None = None) -> Assessment | None:
    """The ``[assessment]`` table of a parsed catalogue, checked.

    Parameters
    ----------
    raw : dict or None
        The parsed ``[assessment]`` table (``tomllib`` output); None when the catalogue has none.
    indicators : DataFrame
        The catalogue's indicators (``id, name, unit, direction``), which rules may name.
    fail : callable, optional
        ``fail(key, message)`` raises the catalogue's error for a key (the loader passes
        :meth:`Checker.fail`, which names the file); by default a :class:`CatalogError`
        ``指标体系：<key> <message>``.
    classes : sequence of str, optional
        The secretary types of the catalogue (the loader passes them); items and gates may only
        name these. Default: the classes the items name.
    bands : DataFrame, optional
        The catalogue's ``[grades]`` bands (``grade, min``), the annual grades when the section
        writes none.

    Returns
    -------
    Assessment or None

    Raises
    ------
    CatalogError
        For the first mistake, naming its key path.

    Examples
    --------
    >>> from dangjian_analysis.catalog import load_catalog
    >>> raw = {"name": "考核", "points": 10, "items": [
    ...     {"id": "A1", "name": "台账", "points": 10, "rule": {"kind": "per_incident", "deduct": 2}}]}
    >>> build_assessment(raw, load_catalog().indicators).items[0].rule.deduct
    2.0
    """
    if raw is None:
        return None
    chk = section_check(fail or _default_fail)
    if not isinstance(raw, dict):
        chk.fail("assessment", "应为一个表（table），如 [assessment] 下写 name = \"…考核\"")
    chk.keys(raw, _KEYS["assessment"], "assessment")
    name = chk.need(raw, "name", "assessment", str)
    if not name.strip():
        chk.fail("assessment.name", "不能为空")
    points = chk.positive(chk.need(raw, "points", "assessment", "number"), "assessment.points")
    bonus_cap = chk.opt(raw, "bonus_cap", "assessment", "number")
    if bonus_cap is not None and bonus_cap < 0:
        chk.fail("assessment.bonus_cap", f"不能为负数，实际为 {bonus_cap}")
    seen: dict[str, str] = {}
    known = tuple(dict.fromkeys(classes or ()))
    items = tuple(_item(chk, where_of("assessment.items", i, t), t, indicators, seen, known)
                  for i, t in enumerate(_entries(chk, raw, "items", required=True)))
    known = known or tuple(dict.fromkeys(c for item in items for c in item.classes))
    for cls in known or (None,):
        total = sum(item.points for item in items if cls is None or not item.classes or cls in item.classes)
        if abs(total - points) > 1e-9:
            whose = f"适用于“{cls}”的小项" if cls else "各小项（assessment.items）"
            chk.fail("assessment.points", f"为 {_num(points)}，但{whose}分值合计 {_num(total)}：两者必须相等")
    grades = build_grades(chk, raw, bands)
    ranking = build_ranking(chk, raw, grades)
    return Assessment(
        name=name.strip(), points=points, bonus_cap=None if bonus_cap is None else float(bonus_cap), items=items,
        bonus=tuple(_bonus(chk, where_of("assessment.bonus", i, t), t, seen)
                    for i, t in enumerate(_entries(chk, raw, "bonus"))),
        deductions=tuple(_deduction(chk, where_of("assessment.deductions", i, t), t, seen)
                         for i, t in enumerate(_entries(chk, raw, "deductions"))),
        vetoes=tuple(_veto(chk, where_of("assessment.vetoes", i, t), t, seen)
                     for i, t in enumerate(_entries(chk, raw, "vetoes"))),
        classes=known, grades=grades,
        gates=build_gates(chk, raw, grades, indicators, known, seen),
        consequences=build_consequences(chk, raw, grades, (ranking["undecided"], DISQUALIFIED)),
        **ranking,
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format(value, ".10g")


def _entries(chk, raw: dict, key: str, required: bool = False) -> list:
    """``assessment.<key>``: an array of tables (``[[assessment.<key>]]``), non-empty when required."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        chk.fail(f"assessment.{key}", f"应为表的数组（每一项写在 [[assessment.{key}]] 之下），实际为 {value!r}")
    if required and not value:
        chk.fail(f"assessment.{key}", "缺失或为空：考核细则至少需要一个小项")
    return value


def _head(chk, where: str, table: dict, schema: str, seen: dict[str, str]) -> tuple[str, str]:
    """The keys, ``id`` (unique across the whole section) and ``name`` of one entry."""
    chk.keys(table, _KEYS[schema], where)
    ident = chk.need(table, "id", where, str)
    if not ident.strip():
        chk.fail(f"{where}.id", "不能为空")
    if ident in seen:
        chk.fail(f"{where}.id", f"重复：{seen[ident]} 已用此编号；小项、加分、扣分、否决项的编号必须互不相同")
    seen[ident] = where
    name = chk.need(table, "name", where, str)
    if not name.strip():
        chk.fail(f"{where}.name", "不能为空")
    return ident, name.strip()


def _item(chk, where: str, table: dict, indicators: pd.DataFrame, seen: dict, classes: tuple) -> AssessmentItem:
    ident, name = _head(chk, where, table, "items", seen)
    points = chk.positive(chk.need(table, "points", where, "number"), f"{where}.points")
    part = chk.opt(table, "part", where, str, DEFAULT_PART).strip() or DEFAULT_PART
    rule = build_rule(chk, f"{where}.rule", chk.need(table, "rule", where, dict), points, indicators)
    return AssessmentItem(id=ident, part=part, name=name, points=points, rule=rule,
                          classes=check_classes(chk, table, where, classes))


def _bonus(chk, where: str, table: dict, seen: dict) -> Bonus:
    ident, name = _head(chk, where, table, "bonus", seen)
    each = chk.positive(chk.need(table, "each", where, "number"), f"{where}.each")
    cap = chk.opt(table, "cap", where, "number")
    return Bonus(id=ident, name=name, each=each, cap=None if cap is None else chk.positive(cap, f"{where}.cap"))


def _deduction(chk, where: str, table: dict, seen: dict) -> Deduction:
    ident, name = _head(chk, where, table, "deductions", seen)
    if ("each" in table) == ("by_role" in table):
        chk.fail(where, "须写 each（每条扣分）或 by_role（按职务扣分）之一，且只能写一个")
    if "each" in table:
        return Deduction(id=ident, name=name, each=chk.positive(chk.need(table, "each", where, "number"), f"{where}.each"))
    return Deduction(id=ident, name=name, by_role=build_mapping(chk, table, "by_role", where))


def _veto(chk, where: str, table: dict, seen: dict) -> Veto:
    ident, name = _head(chk, where, table, "vetoes", seen)
    effect = chk.need(table, "effect", where, str)
    if effect not in VETO_EFFECTS:
        chk.fail(f"{where}.effect", f"应为 {' | '.join(VETO_EFFECTS)}，实际为 {effect!r}")
    return Veto(id=ident, name=name, effect=effect)
