"""Private: one 评分标准 of the county's 考核细则 applied to every unit (see :mod:`.assessment`).

Each ``score_<kind>`` takes the rule's item and its inputs and gives, per unit, a :class:`Line`:
``earned`` (points the unit keeps, 0 ≤ earned ≤ item points), ``entries`` (ledger entries or
missing checks behind it), ``basis`` (the Chinese sentence saying which entries or values gave
it) and ``pending`` (待核实: an input missing, so the item cannot be scored).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import pandas as pd

from ..catalog.indicators import number_text as num

__all__ = ["Line", "where_of_entry", "entry_points", "entries_text", "score_per_shortfall", "score_ledger_item",
           "score_checklist", "score_rank_points", "score_proportional", "score_from_indicator"]


class Line(NamedTuple):
    """One unit's result on one item (see the module docstring)."""

    earned: float
    basis: str
    entries: int = 0
    pending: bool = False


def _pending(why: str) -> Line:
    return Line(math.nan, f"{why}，待核实", 0, True)


def where_of_entry(entry: pd.Series, position: int) -> str:
    """Where a ledger entry was read: ``文件 工作表 单元格``, or ``台账第 n 条`` when not recorded."""
    parts = [str(entry.get(c)) for c in ("source_file", "source_sheet", "source_cell")
             if isinstance(entry.get(c), str) and entry.get(c).strip()]
    return " ".join(parts) if parts else f"台账第 {position + 1} 条"


def entry_points(entry: pd.Series, where: str, ident: str, each, mapping, column: str) -> float:
    """The points of one ledger entry: ``each``, or ``mapping[entry[column]]`` (职务 / 严重程度).

    A 职务 or 严重程度 the rule does not list, or an entry's own ``points`` that differ from
    the rule's, is a Chinese ``ValueError`` naming the entry's file, sheet and cell.
    """
    if mapping:
        key = entry.get(column)
        table = dict(mapping)
        word = {"role": "职务", "severity": "严重程度"}[column]
        if not isinstance(key, str) or key.strip() not in table:
            raise ValueError(f"加减分台账 {where}：{ident} 按{word}计分，{word}“{'' if key is None else key}”"
                             f"不在评分标准中（可填：{'、'.join(table)}）")
        value = table[key.strip()]
    else:
        value = each
    given = entry.get("points")
    if given is not None and not (isinstance(given, float) and math.isnan(given)) and float(given) != value:
        raise ValueError(f"加减分台账 {where}：分值 {num(float(given))} 与 {ident} 的评分标准（{num(value)} 分）不符")
    return float(value)


def entries_text(entries: pd.DataFrame, ident: str, each, mapping, column: str) -> tuple[float, str]:
    """Σ points of a unit's entries on one item, and the sentence listing them."""
    wheres = [where_of_entry(e, int(e["_position"])) for _, e in entries.iterrows()]
    points = [entry_points(e, w, ident, each, mapping, column) for (_, e), w in zip(entries.iterrows(), wheres)]
    total = sum(points)
    if mapping:
        counts: dict[tuple[str, float], int] = {}
        for (_, e), p in zip(entries.iterrows(), points):
            counts[(e[column].strip(), p)] = counts.get((e[column].strip(), p), 0) + 1
        how = "、".join(f"{k} {n} 条各 {num(p)} 分" for (k, p), n in counts.items())
    else:
        how = f"每条 {num(each)} 分"
    return total, f"台账 {len(points)} 条（{'；'.join(wheres)}），{how}，计 {num(total)} 分"


def _floored(points: float, deducted: float, sentence: str) -> Line:
    """An item of ``points`` from which ``deducted`` is taken: never below 0 (扣完为止)."""
    if deducted > points:
        return Line(0.0, f"{sentence}，超过本项 {num(points)} 分，扣完为止")
    return Line(points - deducted, sentence)


def score_ledger_item(item, entries: pd.DataFrame) -> Line:
    """per_incident: earned = max(0, points − Σ entry points), entry points = ``deduct`` or by role / severity."""
    rule = item.rule
    if entries.empty:
        return Line(item.points, "台账无记录，不扣分")
    mapping, column = (rule.by_role, "role") if rule.by_role else (rule.by_severity, "severity")
    total, sentence = entries_text(entries, item.id, rule.deduct, mapping, column)
    line = _floored(item.points, total, sentence.replace("，计 ", "，应扣 "))
    return line._replace(entries=len(entries))


def score_per_shortfall(item, value: float | None) -> Line:
    """per_shortfall: earned = max(0, points − deduct × max(0, required − value)); the shortfall is
    taken as it is (7.5 against 10 is 2.5), not rounded."""
    rule = item.rule
    if value is None or math.isnan(value):
        return _pending(f"缺少指标 {rule.indicator_name} 的数值")
    said = f"{rule.indicator_name} {num(value)} {rule.unit}"
    if value >= rule.required:
        return Line(item.points, f"{said}，达到要求 {num(rule.required)} {rule.unit}，不扣分")
    short = rule.required - value
    return _floored(item.points, rule.deduct * short,
                    f"{said}，要求 {num(rule.required)} {rule.unit}，少 {num(round(short, 9))}，"
                    f"每少 1 {rule.unit}扣 {num(rule.deduct)} 分，应扣 {num(round(rule.deduct * short, 9))} 分")


def score_checklist(item, rows: pd.DataFrame | None) -> Line:
    """checklist: earned = max(0, points − deduct × checks not done); a check without a row is 待核实."""
    rule = item.rule
    if rows is None:
        return _pending("未提供清单完成情况")
    done = dict(zip(rows["check"].astype(str).str.strip(), rows["done"]))
    unknown = [c for c in rule.checks if c not in done or done[c] is None
               or (isinstance(done[c], float) and math.isnan(done[c]))]
    if unknown:
        return _pending(f"清单 {'、'.join(unknown)} 未填完成情况")
    missing = [c for c in rule.checks if not bool(done[c])]
    if not missing:
        return Line(item.points, f"清单 {len(rule.checks)} 项齐全，不扣分")
    line = _floored(item.points, rule.deduct * len(missing),
                    f"缺 {len(missing)} 项（{'、'.join(missing)}），每项扣 {num(rule.deduct)} 分，"
                    f"应扣 {num(rule.deduct * len(missing))} 分")
    return line._replace(entries=len(missing))


def _missing_any(item, values: dict[str, float], units: list[str]) -> list[str]:
    return [u for u in units if values.get(u) is None or math.isnan(values[u])]


def score_rank_points(item, values: dict[str, float], units: list[str]) -> dict[str, Line]:
    """rank_points: units ranked on the indicator (best first by its direction); rank r earns
    ``rank_points[r − 1]``, a rank beyond the list ``rest``. Ties share the better rank and its
    points, the next unit taking the rank after all of them (1, 2, 2, 4). One unit without a
    value leaves every unit 待核实: the ranks depend on it."""
    rule = item.rule
    missing = _missing_any(item, values, units)
    if missing:
        return {u: _pending(f"{'、'.join(missing)} 缺少指标 {rule.indicator_name} 的数值，名次无法确定") for u in units}
    sign = -1.0 if rule.direction == "lower" else 1.0
    keyed = {u: round(sign * values[u], 9) for u in units}
    out = {}
    for u in units:
        rank = 1 + sum(1 for v in keyed.values() if v > keyed[u])
        tied = [w for w in units if w != u and keyed[w] == keyed[u]]
        earned = rule.rank_points[rank - 1] if rank <= len(rule.rank_points) else rule.rest
        with_ = f"（与{'、'.join(tied)}并列）" if tied else ""
        beyond = "" if rank <= len(rule.rank_points) else f"，第 {len(rule.rank_points)} 名之后"
        out[u] = Line(earned, f"{rule.indicator_name} {num(values[u])} {rule.unit}，第 {rank} 名{with_}{beyond}，"
                              f"得 {num(earned)} 分")
    return out


def score_proportional(item, values: dict[str, float], units: list[str]) -> dict[str, Line]:
    """proportional_to_best: earned = points × value ÷ best, best the highest value of the units
    assessed; a value below 0 earns 0. 待核实 for all when a unit has no value or best ≤ 0."""
    rule = item.rule
    missing = _missing_any(item, values, units)
    if missing:
        return {u: _pending(f"{'、'.join(missing)} 缺少指标 {rule.indicator_name} 的数值，最好值无法确定") for u in units}
    best = max(values[u] for u in units)
    if best <= 0:
        return {u: _pending(f"各单位 {rule.indicator_name} 均不大于 0，无法按最好单位的比例计分") for u in units}
    out = {}
    for u in units:
        earned = round(max(0.0, item.points * values[u] / best), 9)
        out[u] = Line(earned, f"{rule.indicator_name} {num(values[u])} {rule.unit}，最好单位 {num(best)} {rule.unit}，"
                              f"得 {num(item.points)} × {num(values[u])} ÷ {num(best)} = {num(earned)} 分")
    return out


def score_from_indicator(item, score: float | None, unit: str) -> Line:
    """from_indicator: earned = points × s ÷ 100, s the indicator's goalpost score (0–100)."""
    rule = item.rule
    if score is None or math.isnan(score):
        return _pending(f"缺少指标 {rule.indicator_name} 的指标得分")
    if not 0 <= score <= 100:
        raise ValueError(f"指标得分表中 {unit} 的 {rule.indicator}（{rule.indicator_name}）应在 0–100 之间，"
                         f"实际为 {num(score)}")
    earned = round(item.points * score / 100, 9)
    return Line(earned, f"{rule.indicator_name} 指标得分 {num(round(score, 9))}（满分 100），"
                        f"得 {num(item.points)} × {num(round(score, 9))} ÷ 100 = {num(earned)} 分")
