"""The county's 考核细则 scored: each unit's points per item, 加分, 扣分, total and 一票否决.

:func:`score_assessment` applies a catalogue :class:`~dangjian_analysis.catalog.assessment.Assessment`
to the units assessed, one row per unit × entry of the rubric, each with the sentence that
says which ledger entries or values gave it; :func:`assessment_totals` adds them up per unit.

Formulas (P an item's 分值; every item is kept within [0, P], 扣完为止):

- per_shortfall: P − deduct × max(0, required − x), x the indicator's value;
- per_incident: P − Σ entry points (``deduct`` each, or by 职务 / 严重程度);
- checklist: P − deduct × (checks not done);
- rank_points: ``points[r − 1]`` for rank r (``rest`` beyond the list); ties share the better
  rank (1, 2, 2, 4), so two units tied for 2nd both earn the 2nd points;
- proportional_to_best: P × x ÷ best, best the highest x of the units assessed;
- from_indicator: P × s ÷ 100, s the indicator's goalpost score;
- 加分: per bonus item min(n × each, cap); the sum then at most ``bonus_cap`` (the pool);
- 扣分: Σ entry points of the 直接扣分 items, not capped;
- 总分 = 基础分 (Σ item points earned) + 加分 − 扣分 (not floored at 0); 一票否决 acts after
  the total, on eligibility, never on the number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..catalog.indicators import number_text as num
from ._assessment_rules import (Line, entries_text, score_checklist, score_from_indicator, score_ledger_item,
                                score_per_shortfall, score_proportional, score_rank_points, where_of_entry)
from ._lookup import need_columns, shown

__all__ = ["score_assessment", "assessment_totals", "SCORE_COLUMNS", "TOTAL_COLUMNS"]

#: Columns of :func:`score_assessment`.
SCORE_COLUMNS = ["unit", "section", "item", "part", "name", "points", "earned", "deducted", "entries", "basis",
                 "pending"]
#: Columns of :func:`assessment_totals`.
TOTAL_COLUMNS = ["unit", "base", "bonus_raw", "bonus", "deduction", "total", "eligible", "not_top", "vetoes",
                 "pending", "note"]
_EFFECT_WORDS = {"not_top": "不得评为最好等次", "disqualify": "取消评选资格"}


def score_assessment(assessment, *, indicators: pd.DataFrame | None = None, scores: pd.DataFrame | None = None,
                     ledger: pd.DataFrame | None = None, checklist: pd.DataFrame | None = None,
                     units) -> pd.DataFrame:
    """Every unit's result on every entry of the rubric (see the module docstring for the formulas).

    Parameters
    ----------
    assessment : Assessment
        The catalogue's checked ``[assessment]``.
    indicators : DataFrame, optional
        ``unit, indicator, value``: one value per unit and indicator (one year); read by
        per_shortfall, rank_points and proportional_to_best. Rows of other units are not used.
    scores : DataFrame, optional
        ``unit, indicator, score``: goalpost scores 0–100 (``score_indicators``); read by from_indicator.
    ledger : DataFrame, optional
        The 加减分台账, one row an entry: ``unit, item`` (an item, bonus, deduction or veto id),
        optional ``role`` / ``severity`` (for rules by 职务 / 严重程度; without a ``severity``
        column, ``role`` is read for both, as the county sheet's 职务或严重程度), ``points`` (must agree with
        the rule when given), ``source_file, source_sheet, source_cell`` (named in the basis).
    checklist : DataFrame, optional
        ``unit, item, check, done``: whether each check of a checklist item is done (bool).
    units : list of str
        The units assessed, in the county's order (the order of the output).

    Returns
    -------
    DataFrame
        :data:`SCORE_COLUMNS`, one row per unit × (item, bonus, deduction, veto), in the
        catalogue's order: ``section`` is ``item`` / ``bonus`` / ``deduction`` / ``veto``;
        ``points`` the item's 分值 (a bonus: its cap; NaN where none); ``earned`` the signed
        contribution to the total before the pool cap (items and bonus ≥ 0, deductions ≤ 0,
        vetoes 0); ``deducted`` the points taken off (items: P − earned); ``entries`` the ledger
        entries (checklist: checks missing) behind the row; ``pending`` True where an input is
        missing (待核实: ``earned`` NaN). An input left as None makes the items that read it 待核实.

    Raises
    ------
    ValueError
        In Chinese, naming the ledger entry's file, sheet and cell: an unknown unit or item, an
        item that takes no entries, a 职务 / 严重程度 the rule does not list, points that
        disagree with the rule; or a table without its columns, or two values for one unit
        and indicator.

    Examples
    --------
    A per_incident item of 6 points, 2 per entry, and 4 entries: 6 − 8 < 0, so 0 (扣完为止).
    """
    units = _units(units)
    values = _by_unit(indicators, "value", units, "indicators（指标值表）")
    goal = _by_unit(scores, "score", units, "scores（指标得分表）")
    entries = _ledger(ledger, assessment, units)
    checks = None if checklist is None else need_columns(checklist, ["unit", "item", "check", "done"], "清单完成情况表")
    rows = []
    for item in assessment.items:
        lines = _item_lines(item, units, values, goal, entries, checks)
        rows += [_row(u, "item", item, item.points, line, item.points - line.earned) for u, line in lines.items()]
    for bonus in assessment.bonus:
        for u in units:
            rows.append(_row(u, "bonus", bonus, bonus.cap, _bonus_line(bonus, _of(entries, u, bonus.id)), 0.0))
    for deduction in assessment.deductions:
        for u in units:
            line = _deduction_line(deduction, _of(entries, u, deduction.id))
            rows.append(_row(u, "deduction", deduction, math.nan, line, 0.0 - line.earned))
    for veto in assessment.vetoes:
        for u in units:
            rows.append(_row(u, "veto", veto, math.nan, _veto_line(veto, _of(entries, u, veto.id)), 0.0))
    out = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    order = {u: i for i, u in enumerate(units)}
    return out.sort_values("unit", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def assessment_totals(scored: pd.DataFrame, assessment) -> pd.DataFrame:
    """Per unit: 基础分, 加分 after the item and pool caps, 扣分, 总分 and the vetoes that apply.

    ``base`` = Σ earned of the items; ``bonus_raw`` = Σ earned of the bonus items (each within
    its cap); ``bonus`` = min(bonus_raw, ``bonus_cap``); ``deduction`` = Σ deducted of the
    直接扣分 items; ``total`` = base + bonus − deduction, NaN while any row is 待核实 (its ids in
    ``pending``: a bonus, deduction or veto not known is as doubtful as an item). ``eligible`` is False when a ``disqualify`` veto applies, ``not_top`` True when
    any veto applies (a unit disqualified cannot be top either); ``vetoes`` names them with
    the ledger entries behind them; ``note`` says so in sentences, and when the pool cap cut 加分.

    Examples
    --------
    Items 80 + 9.5, bonus items 4 and 3 with ``bonus_cap = 5``, one 扣分 of 2:
    total = 89.5 + 5 − 2 = 92.5.
    """
    need_columns(scored, SCORE_COLUMNS, "score_assessment 的输出")
    rows = []
    for unit, part in scored.groupby("unit", sort=False):
        section = part["section"]
        items, bonus = part[section == "item"], part[section == "bonus"]
        vetoes = part[(section == "veto") & (part["entries"] > 0)]
        base = round(float(items["earned"].sum()), 9)
        bonus_raw = round(float(bonus["earned"].sum()), 9)
        capped = bonus_raw if assessment.bonus_cap is None else min(bonus_raw, assessment.bonus_cap)
        deduction = round(float(part.loc[section == "deduction", "deducted"].sum()), 9)
        pending = list(part.loc[part["pending"], "item"])
        notes = []
        if capped < bonus_raw:
            notes.append(f"加分合计 {num(bonus_raw)} 分，超过加分上限 {num(assessment.bonus_cap)} 分，计 "
                         f"{num(capped)} 分")
        if pending:
            notes.append(f"{'、'.join(pending)} 待核实，总分暂不计算")
        effects = {v.id: v.effect for v in assessment.vetoes}
        named = [f"{r.item} {r.name}（{_EFFECT_WORDS[effects[r.item]]}；{r.basis}）" for r in vetoes.itertuples()]
        notes += [f"一票否决：{n}" for n in named]
        rows.append({
            "unit": unit, "base": base, "bonus_raw": bonus_raw, "bonus": capped, "deduction": deduction,
            "total": math.nan if pending else round(base + capped - deduction, 9),
            "eligible": not any(effects[i] == "disqualify" for i in vetoes["item"]),
            "not_top": bool(len(vetoes)), "vetoes": "；".join(named), "pending": "、".join(pending),
            "note": "；".join(notes),
        })
    return pd.DataFrame(rows, columns=TOTAL_COLUMNS)


def _units(units) -> list[str]:
    if isinstance(units, str) or units is None:
        raise ValueError(f"units 应为被考核单位名称的列表，实际为 {units!r}")
    units = [str(u) for u in units]
    doubled = sorted({u for u in units if units.count(u) > 1})
    if not units or doubled:
        raise ValueError(f"units 应为不重复的被考核单位名称列表{'，重复：' + '、'.join(doubled) if doubled else ''}")
    return units


def _by_unit(frame, column: str, units: list[str], what: str) -> dict | None:
    """``{(unit, indicator): value}`` of the units assessed; two rows for one pair is an error."""
    if frame is None:
        return None
    frame = need_columns(frame, ["unit", "indicator", column], what)
    frame = frame[frame["unit"].isin(units)]
    doubled = frame.duplicated(["unit", "indicator"], keep=False)
    if doubled.any():
        pairs = dict.fromkeys(f"{u} {i}" for u, i in frame.loc[doubled, ["unit", "indicator"]].itertuples(index=False))
        raise ValueError(f"{what}中同一单位同一指标有多个值（是否混入了多个年度？）：{shown(pairs, 10)}")
    return {(u, i): float(v) for u, i, v in frame[["unit", "indicator", column]].itertuples(index=False)}


def _ledger(ledger, assessment, units: list[str]) -> pd.DataFrame | None:
    """The ledger with each entry's position; unknown units and items, and entries on items that
    take none, are errors naming the entry."""
    if ledger is None:
        return None
    ledger = need_columns(ledger, ["unit", "item"], "加减分台账").copy()
    ledger["_position"] = np.arange(len(ledger))
    if "role" in ledger and "severity" not in ledger:     # one 职务或严重程度 column in the county sheet
        ledger["severity"] = ledger["role"]
    for _, entry in ledger.iterrows():
        where = where_of_entry(entry, int(entry["_position"]))
        target = assessment.entry(str(entry["item"]))
        if entry["unit"] not in units:
            raise ValueError(f"加减分台账 {where}：单位“{entry['unit']}”不在被考核单位中（{shown(units)}）")
        if target is None:
            raise ValueError(f"加减分台账 {where}：项目编号“{entry['item']}”不在考核细则中")
        if hasattr(target, "rule") and target.rule.kind != "per_incident":
            raise ValueError(f"加减分台账 {where}：{target.id}（{target.name}）按 {target.rule.kind} 计分，不从台账计分")
    return ledger


def _of(entries, unit: str, ident: str):
    if entries is None:
        return None
    return entries[(entries["unit"] == unit) & (entries["item"] == ident)]


def _item_lines(item, units, values, goal, entries, checks) -> dict[str, Line]:
    """Each unit's :class:`Line` on one rubric item."""
    kind, ind = item.rule.kind, item.rule.indicator
    if kind == "per_incident":
        if entries is None:
            return {u: Line(math.nan, "未提供加减分台账，待核实", 0, True) for u in units}
        return {u: score_ledger_item(item, _of(entries, u, item.id)) for u in units}
    if kind == "checklist":
        return {u: score_checklist(item, None if checks is None else
                                   _checks_of(checks, u, item)) for u in units}
    source = goal if kind == "from_indicator" else values
    if source is None:
        table = "scores（指标得分表）" if kind == "from_indicator" else "indicators（指标值表）"
        return {u: Line(math.nan, f"未提供{table}，待核实", 0, True) for u in units}
    by_unit = {u: source.get((u, ind)) for u in units}
    if kind == "per_shortfall":
        return {u: score_per_shortfall(item, by_unit[u]) for u in units}
    if kind == "from_indicator":
        return {u: score_from_indicator(item, by_unit[u], u) for u in units}
    if kind == "rank_points":
        return score_rank_points(item, by_unit, units)
    return score_proportional(item, by_unit, units)


def _checks_of(checks: pd.DataFrame, unit: str, item) -> pd.DataFrame:
    rows = checks[(checks["unit"] == unit) & (checks["item"] == item.id)]
    unknown = sorted(set(rows["check"].astype(str).str.strip()) - set(item.rule.checks))
    if unknown:
        raise ValueError(f"清单完成情况表中 {unit} 的 {item.id}（{item.name}）有考核细则未列的项：{'、'.join(unknown)}"
                         f"（可填：{'、'.join(item.rule.checks)}）")
    return rows


def _bonus_line(bonus, entries) -> Line:
    """min(n × each, cap)."""
    if entries is None:
        return Line(math.nan, "未提供加减分台账，待核实", 0, True)
    if entries.empty:
        return Line(0.0, "台账无记录，不加分")
    total, sentence = entries_text(entries, bonus.id, bonus.each, (), "role")
    sentence = sentence.replace("分，计", "分，加")
    if bonus.cap is not None and total > bonus.cap:
        return Line(bonus.cap, f"{sentence}，本项最高 {num(bonus.cap)} 分，计 {num(bonus.cap)} 分", len(entries))
    return Line(total, sentence, len(entries))


def _deduction_line(deduction, entries) -> Line:
    """−Σ entry points (``each`` or by 职务); ``earned`` is the negative contribution."""
    if entries is None:
        return Line(math.nan, "未提供加减分台账，待核实", 0, True)
    if entries.empty:
        return Line(0.0, "台账无记录，不扣分")
    total, sentence = entries_text(entries, deduction.id, deduction.each, deduction.by_role, "role")
    return Line(-total, sentence.replace("，计 ", "，扣 "), len(entries))


def _veto_line(veto, entries) -> Line:
    if entries is None:
        return Line(math.nan, "未提供加减分台账，待核实", 0, True)
    if entries.empty:
        return Line(0.0, "台账无记录")
    wheres = [where_of_entry(e, int(e["_position"])) for _, e in entries.iterrows()]
    return Line(0.0, f"台账 {len(wheres)} 条（{'；'.join(wheres)}）", len(wheres))


def _row(unit: str, section: str, entry, points, line: Line, deducted: float) -> dict:
    part = getattr(entry, "part", {"bonus": "加分", "deduction": "扣分", "veto": "一票否决"}.get(section))
    return {"unit": unit, "section": section, "item": entry.id, "part": part, "name": entry.name,
            "points": math.nan if points is None else float(points), "earned": line.earned,
            "deducted": math.nan if line.pending else round(deducted, 9), "entries": line.entries,
            "basis": line.basis, "pending": line.pending}
