"""Private: the annual grade of each unit — bands, vetoes, gates, quotas per class and ties.

Used by :func:`dangjian_analysis.metrics.annual.assessment_results`. Conventions (``a`` the 综合得分
rounded to ``assessment.decimals`` decimals; grades best first, index 0 the best):

1. a unit with a ``disqualify`` veto gets ``DISQUALIFIED`` (whether or not its score is known) and
   is out of the quota count; a unit whose 综合得分 is 待核实 (NaN) gets :data:`PENDING` and takes
   part in nothing else (it still counts in n below);
2. band = the first grade whose ``min`` ``a`` reaches (the last grade has none);
3. the grade can only be lowered from the band: a ``not_top`` veto → at best the second grade;
   a gate whose condition holds → at best its ``best`` grade (a gate whose value is missing is not
   applied, and the note says 待核实);
4. quotas, grade by grade from the best: n = the units of the quota group (``quota_base``: the
   class, or all units of the year) not disqualified, 待核实 ones included; the limit is
   n × quota rounded by ``quota_rounding``, at least 1 when n ≥ 1. The units holding the grade are
   ordered by ``a``, then by each ``tie_break`` criterion (rounded alike; ``deduction`` fewer
   first); the first ``limit`` keep it, the rest fall to the next grade (where its quota counts
   them). Units equal on every criterion across the cut are all 待定 (``ties = "undecided"``: the
   committee decides, never the order of names) or all keep the grade (``"share"``: the quota is
   exceeded, and the note says so). A criterion some candidate lacks (e.g. no 述职评议) is not
   used, nor are the criteria after it.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import pandas as pd

from ..catalog.indicators import number_text as num

__all__ = ["PENDING", "grade_units", "quota_limit"]

#: The grade of a unit whose 综合得分 cannot be computed yet.
PENDING = "待核实"
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_ROUNDING = {"floor": "向下取整", "round": "四舍五入", "ceil": "向上取整"}
_CRITERIA = {"base": "基础分", "bonus": "加分", "deduction": "扣分（少者优先）", "review": "述职评议得分",
             "routine": "日常考核得分"}


def quota_limit(quota: float, n: int, rounding: str) -> int:
    """How many of ``n`` units may hold a grade of ``quota``: quota × n rounded by ``rounding``
    (floor, round half up, ceil), at least 1 when n ≥ 1, at most n."""
    if n <= 0 or quota <= 0:
        return 0
    x = round(quota * n, 9)
    k = {"floor": math.floor(x), "ceil": math.ceil(x), "round": math.floor(x + 0.5)}[rounding]
    return int(min(n, max(1, k)))


def _share(quota: float) -> str:
    f = Fraction(quota).limit_denominator(20)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - quota) < 1e-9 else f"{quota:.0%}"


def grade_units(frame: pd.DataFrame, assessment, gate_values: dict[str, pd.Series], disqualified: str) -> pd.DataFrame:
    """``rank, band, grade, grade_note, gates`` for each row of ``frame`` (same index).

    ``frame`` holds ``year, class, unit, annual, eligible, not_top, vetoes`` and the tie-break
    columns; ``gate_values`` maps a gate id to its metric's value per row (NaN: missing).
    """
    d = assessment.decimals
    names = [g.grade for g in assessment.grades]
    a = pd.Series(np.round(frame["annual"].to_numpy(dtype=float), d), index=frame.index)
    out = pd.DataFrame(index=frame.index)
    out["rank"] = a.groupby([frame["year"], frame["class"]]).rank(method="min", ascending=False).astype("Int64")
    level: dict = {}
    notes: dict = {i: [] for i in frame.index}
    gates: dict = {i: [] for i in frame.index}
    final: dict = {}
    band = {}
    for i in frame.index:
        k = None if np.isnan(a[i]) else next(j for j, g in enumerate(assessment.grades)
                                             if g.min is None or a[i] >= round(g.min, d))
        band[i] = "" if k is None else names[k]
        if not bool(frame.at[i, "eligible"]):               # known whatever the score: before 待核实
            final[i] = disqualified
            notes[i].append(f"一票否决：{frame.at[i, 'vetoes']}")
            continue
        if k is None:
            final[i] = PENDING
            notes[i].append("综合得分待核实，等次待核实")
            continue
        if bool(frame.at[i, "not_top"]) and k < 1:
            k = 1
            notes[i].append(f"一票否决：{frame.at[i, 'vetoes']}，至多评为“{names[1]}”")
        k = _gates(assessment, frame, i, k, gate_values, names, notes[i], gates[i])
        level[i] = k
    for k, g in enumerate(assessment.grades):
        if g.quota is not None:
            _quota(frame, a, assessment, k, level, final, notes, disqualified)
    for i, k in level.items():
        final.setdefault(i, names[k])
    out["band"] = pd.Series(band)
    out["grade"] = pd.Series(final)
    out["grade_note"] = pd.Series({i: "；".join(n) for i, n in notes.items()})
    out["gates"] = pd.Series({i: "；".join(n) for i, n in gates.items()})
    return out


def _gates(assessment, frame, i, k, gate_values, names, notes, fired) -> int:
    """``k`` lowered by the gates of the unit's class whose condition holds."""
    d = assessment.decimals
    for gate in assessment.gates:
        if gate.classes and frame.at[i, "class"] not in gate.classes:
            continue
        value = gate_values[gate.id].get(i, math.nan)
        said = f"门槛 {gate.id} {gate.name}"
        if value is None or np.isnan(value):
            notes.append(f"{said}：缺少 {gate.metric} 的数值，未适用，待核实")
            continue
        if _OPS[gate.op](round(float(value), d), round(gate.value, d)):
            fired.append(f"{gate.id} {gate.name}（{gate.metric} = {num(round(float(value), d))}，至多评为“{gate.best}”）")
            best = names.index(gate.best)
            if best > k:
                k = best
                notes.append(f"{said}：{gate.metric} = {num(round(float(value), d))}，至多评为“{gate.best}”")
    return k


def _quota(frame, a, assessment, k, level, final, notes, disqualified) -> None:
    """Grade ``k``'s quota in each quota group: units beyond it fall to grade k + 1, ties across
    the cut are 待定 or share the grade (see the module docstring)."""
    grade = assessment.grades[k]
    names = [g.grade for g in assessment.grades]
    by = ["year"] if assessment.quota_base == "all" else ["year", "class"]
    for _, group in frame.groupby(by, sort=False):
        counted = [i for i in group.index if final.get(i) != disqualified]
        n = len(counted)
        limit = quota_limit(grade.quota, n, assessment.quota_rounding)
        holders = [i for i in group.index if i not in final and level.get(i) == k]
        if len(holders) <= limit:
            continue
        criteria = _usable(frame, holders, assessment.tie_break)
        key = {i: (-a[i], *(_criterion(frame, i, c, assessment.decimals) for c in criteria)) for i in holders}
        ordered = sorted(holders, key=lambda i: key[i])             # sorted() is stable: ties keep county order
        whom = "当年全部" if assessment.quota_base == "all" else "本类别"
        pending = sum(1 for i in counted if final.get(i) == PENDING)
        quota = (f"“{grade.grade}”名额 {limit} 名（{whom} {n} 个单位 × {_share(grade.quota)}，"
                 f"{_ROUNDING[assessment.quota_rounding]}，至少 1 名）"
                 + (f"，另有 {pending} 个单位待核实，名额分配待其核实后确定" if pending else ""))
        how = "、".join(["综合得分", *(_CRITERIA[c] for c in criteria)])
        cut = key[ordered[limit - 1]]
        block = [i for i in ordered if key[i] == cut]
        first = ordered.index(block[0])
        straddles = len(block) > limit - first
        for pos, i in enumerate(ordered, start=1):
            if straddles and i in block:
                others = "、".join(frame.at[j, "unit"] for j in block if j != i)
                if assessment.ties == "undecided":
                    final[i] = assessment.undecided
                    notes[i].append(f"{quota}：与{others}在{how}上完全相同，{len(block)} 个单位并列争 {limit - first} 个"
                                    f"名额，待考核委员会确定")
                else:
                    notes[i].append(f"{quota}：与{others}在{how}上完全相同，名次并列，均评为“{grade.grade}”，"
                                    f"超出名额 {first + len(block) - limit} 名")
            elif pos > limit:
                level[i] = k + 1
                notes[i].append(f"{quota}已满：按{how}依次比较排第 {pos} 位，评为“{names[k + 1]}”")


def _usable(frame, holders, tie_break) -> list[str]:
    """The tie-break criteria up to the first that some candidate lacks."""
    out = []
    for c in tie_break:
        if frame.loc[holders, c].isna().any():
            break
        out.append(c)
    return out


def _criterion(frame, i, c, d) -> float:
    value = round(float(frame.at[i, c]), d)
    return value if c == "deduction" else -value
