"""Private: how ``[assessment]`` turns results into grades — ``grades``, ``gates``, ``consequences``
and the quota settings — checked key by key (see :mod:`.assessment` for the section and an example).

Conventions stated here and applied by :mod:`dangjian_analysis.metrics.annual`:

- ``grades`` run from the best grade to the worst; a unit's band is the first grade whose ``min``
  its 综合得分 reaches; the last grade has neither ``min`` nor ``quota`` (the fallback);
- ``quota`` (a share of the units of a class, ``quota_base = "class"``, or of all units, ``"all"``)
  limits how many units hold a grade: n × quota rounded by ``quota_rounding`` and at least one when
  the quota is above 0; the units beyond it fall to the next grade;
- units tied (on the score rounded to ``decimals``, then on each ``tie_break`` criterion) across a
  quota cut get ``undecided`` (待定: the committee decides) when ``ties = "undecided"``, or all keep
  the better grade when ``ties = "share"`` (名次可以并列: the quota is then exceeded, and said);
- a gate ``when = "satisfaction < 85"`` with ``best = "一般"``: a unit whose value meets the
  condition is graded at best 一般; the metric is an indicator id (the township's value), or
  ``review`` (述职评议), ``routine`` (日常考核) or ``annual`` (综合得分).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from ._checks import is_kind

__all__ = ["Grade", "Gate", "Consequence", "QUOTA_BASES", "QUOTA_ROUNDINGS", "TIE_POLICIES", "TIE_BREAKS",
           "GATE_PARTS", "build_grades", "build_gates", "build_consequences", "build_ranking"]

QUOTA_BASES = ("class", "all")
QUOTA_ROUNDINGS = ("floor", "round", "ceil")
#: ``ties``: ``undecided`` (待定, the committee decides) or ``share`` (名次可以并列).
TIE_POLICIES = ("undecided", "share")
#: ``tie_break`` criteria, compared in order before units count as tied (``deduction``: fewer is better).
TIE_BREAKS = ("base", "bonus", "deduction", "review", "routine")
#: Metrics a gate may test besides indicator ids.
GATE_PARTS = ("review", "routine", "annual")
_WHEN = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*(-?[0-9.]+(?:\s*/\s*[0-9.]+)?)\s*$")


@dataclass(frozen=True)
class Grade:
    """One grade of the annual result: ``grade``, its score floor ``min`` and its ``quota`` (share
    of the class; None where not set)."""

    grade: str
    min: float | None = None
    quota: float | None = None


@dataclass(frozen=True)
class Gate:
    """A gate: when ``metric op value`` holds, the unit is graded at best ``best``; ``classes``
    (empty: every class) the classes it applies to."""

    id: str
    name: str
    metric: str
    op: str
    value: float
    best: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Consequence:
    """结果运用 of a grade: the ``text`` read in the report and the 通报, and ``rectify_days`` (a
    written 整改报告 due within that many days of the 通报; None when not asked)."""

    grade: str
    text: str
    rectify_days: int | None = None


def _share(chk, value, key: str) -> float:
    """A share in (0, 1]: a number or a fraction such as ``"1/3"``."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", value) and not re.search(r"/\s*0+\s*$", value):
        value = float(Fraction(value.replace(" ", "")))
    elif not is_kind(value, "number"):
        chk.fail(key, f"应为 0 与 1 之间的数值或分数（如 \"1/3\"、0.3），实际为 {value!r}")
    if not 0 < float(value) <= 1:
        chk.fail(key, f"应大于 0 且不超过 1，实际为 {value}")
    return float(value)


def build_grades(chk, raw: dict, bands: pd.DataFrame | None) -> tuple[Grade, ...]:
    """``assessment.grades`` (default: the catalogue's ``[grades]`` bands, without quotas; none
    when no bands are given either)."""
    if "grades" not in raw:
        if bands is None or bands.empty:
            return ()
        return tuple(Grade(str(g), None if i == len(bands) - 1 else float(m))
                     for i, (g, m) in enumerate(zip(bands["grade"], bands["min"])))
    value = raw["grades"]
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
        chk.fail("assessment.grades", f"应为至少两个等次的表数组（[[assessment.grades]]，从最好等次写起），实际为 {value!r}")
    out, last_min = [], None
    for i, table in enumerate(value):
        where = f"assessment.grades[{i}]"
        chk.keys(table, {"grade", "min", "quota"}, where)
        name = chk.need(table, "grade", where, str).strip()
        if not name:
            chk.fail(f"{where}.grade", "不能为空")
        if name in {g.grade for g in out}:
            chk.fail(f"{where}.grade", f"重复：“{name}”已出现")
        floor = chk.opt(table, "min", where, "number")
        quota = None if "quota" not in table else _share(chk, table["quota"], f"{where}.quota")
        if i == len(value) - 1 and (floor is not None or quota is not None):
            chk.fail(where, f"（{name}）是最后一个等次（兜底），不能写 min 或 quota")
        if floor is not None and last_min is not None and floor > last_min:
            chk.fail(f"{where}.min", f"为 {floor}，高于上一等次的 {last_min}：等次应从最好写起，分数线逐级不升")
        last_min = floor if floor is not None else last_min
        out.append(Grade(name, None if floor is None else float(floor), quota))
    return tuple(out)


def build_ranking(chk, raw: dict, grades: tuple[Grade, ...]) -> dict:
    """``quota_base``, ``quota_rounding``, ``ties``, ``undecided``, ``tie_break``, ``decimals``."""
    out = {}
    for key, allowed, default in (("quota_base", QUOTA_BASES, "class"), ("quota_rounding", QUOTA_ROUNDINGS, "floor"),
                                  ("ties", TIE_POLICIES, "undecided")):
        out[key] = chk.opt(raw, key, "assessment", str, default)
        if out[key] not in allowed:
            chk.fail(f"assessment.{key}", f"应为 {' | '.join(allowed)}，实际为 {out[key]!r}")
    undecided = chk.opt(raw, "undecided", "assessment", str, "待定").strip()
    if not undecided or undecided in {g.grade for g in grades}:
        chk.fail("assessment.undecided", f"应为不同于各等次名称的非空文字（如“待定”），实际为 {raw.get('undecided')!r}")
    order = chk.opt(raw, "tie_break", "assessment", list, [])
    for j, m in enumerate(order):
        if m not in TIE_BREAKS:
            chk.fail(f"assessment.tie_break[{j}]", f"无法识别 {m!r}；可用：{'、'.join(TIE_BREAKS)}")
    if len(set(order)) < len(order):
        chk.fail("assessment.tie_break", "中有重复的项")
    decimals = chk.opt(raw, "decimals", "assessment", int, 2)
    if not 0 <= decimals <= 6:
        chk.fail("assessment.decimals", f"应为 0 到 6 的整数，实际为 {decimals}")
    return {**out, "undecided": undecided, "tie_break": tuple(order), "decimals": decimals}


def build_gates(chk, raw: dict, grades: tuple[Grade, ...], indicators: pd.DataFrame,
                classes: tuple[str, ...], seen: dict) -> tuple[Gate, ...]:
    """``[[assessment.gates]]``: each ``when`` parsed, ``best`` a grade, ``classes`` known."""
    value = raw.get("gates", [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        chk.fail("assessment.gates", f"应为表的数组（每一项写在 [[assessment.gates]] 之下），实际为 {value!r}")
    names = [g.grade for g in grades]
    out = []
    for i, table in enumerate(value):
        where = f"assessment.gates[{i}]" + (f"（id = {table['id']}）" if isinstance(table.get("id"), str) else "")
        chk.keys(table, {"id", "name", "when", "best", "classes"}, where)
        ident = chk.need(table, "id", where, str).strip()
        if not ident or ident in seen:
            chk.fail(f"{where}.id", f"{'不能为空' if not ident else '重复：' + seen[ident] + ' 已用此编号'}")
        seen[ident] = where
        name = chk.need(table, "name", where, str).strip() or ident
        when = chk.need(table, "when", where, str)
        m = _WHEN.match(when)
        if not m:
            chk.fail(f"{where}.when", f"无法识别 {when!r}；应写成“satisfaction < 85”这样的形式"
                                      f"（指标编号，或 {'、'.join(GATE_PARTS)}）")
        if m[1] not in GATE_PARTS and not (indicators["id"] == m[1]).any():
            chk.fail(f"{where}.when", f"中的 {m[1]!r} 既不是指标编号，也不是 {'、'.join(GATE_PARTS)}")
        best = chk.need(table, "best", where, str)
        if best not in names[1:]:
            chk.fail(f"{where}.best", f"应为除最好等次外的一个等次（{'、'.join(names[1:])}），实际为 {best!r}")
        out.append(Gate(ident, name, m[1], m[2], float(Fraction(m[3].replace(" ", ""))), best,
                        check_classes(chk, table, where, classes)))
    return tuple(out)


def build_consequences(chk, raw: dict, grades: tuple[Grade, ...], extra: tuple[str, ...]) -> tuple[Consequence, ...]:
    """``[[assessment.consequences]]``: one per grade at most (``extra``: 待定, 取消评选资格 may have one too)."""
    value = raw.get("consequences", [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        chk.fail("assessment.consequences", f"应为表的数组（[[assessment.consequences]]），实际为 {value!r}")
    names = [g.grade for g in grades] + list(extra)
    out: list[Consequence] = []
    for i, table in enumerate(value):
        where = f"assessment.consequences[{i}]"
        chk.keys(table, {"grade", "text", "rectify_days"}, where)
        grade = chk.need(table, "grade", where, str)
        if grade not in names:
            chk.fail(f"{where}.grade", f"应为一个等次（{'、'.join(names)}），实际为 {grade!r}")
        if grade in {c.grade for c in out}:
            chk.fail(f"{where}.grade", f"重复：“{grade}”的结果运用已写过")
        text = chk.need(table, "text", where, str).strip()
        if not text:
            chk.fail(f"{where}.text", "不能为空")
        days = chk.opt(table, "rectify_days", where, int)
        if days is not None and days <= 0:
            chk.fail(f"{where}.rectify_days", f"应为正整数（天数），实际为 {days}")
        out.append(Consequence(grade, text, days))
    return tuple(out)


def check_classes(chk, table: dict, where: str, classes: tuple[str, ...]) -> tuple[str, ...]:
    """``classes = ["乡镇党委书记"]``: known secretary types (catalogue ``secretaries.type``); empty
    or absent: every class."""
    given = chk.opt(table, "classes", where, list, [])
    if not all(isinstance(c, str) and c.strip() for c in given):
        chk.fail(f"{where}.classes", f"应为书记类别名称的列表，实际为 {given!r}")
    given = tuple(c.strip() for c in given)
    unknown = [c for c in given if classes and c not in classes]
    if unknown:
        chk.fail(f"{where}.classes", f"中的 {'、'.join(unknown)} 不是书记类别（secretaries 的 type：{'、'.join(classes)}）")
    return given
