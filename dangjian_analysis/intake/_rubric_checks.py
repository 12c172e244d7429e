"""Private: the rows of the 考核细则's county sheets — 加减分台账 (``adjustments``) and 考核清单
(``checklist``) — checked against the catalogue's ``[assessment]``, vectorised over a sheet.

Like :class:`~._county_checks.CountyRows` (which mixes in :class:`RubricRows`): each method
takes the columns of the non-blank rows and a :class:`~._county_checks.Verdict`, flags bad
rows (errors, in field order: a bad row is rejected whole) and returns the record's columns
with the warnings ``(field, rows, message(i))`` of rows accepted.

Units: 单位 may be a secretary's unit (东山镇党委), its township (东山镇, or any name the
catalogue resolves to it) or the secretary's name (赵立新); the record holds the unit. A
unit's class is its secretary's ``type``. A 考核清单 row with 完成情况 blank is flagged
:data:`BLANK_DONE` (“未填写”, not “有误”): :mod:`._rubric_batch` decides, once the batch is read,
whether it is a template row left untouched. Checks that need the rubric (项目编号, 职务或严重程度,
分值, 清单项) are left out when the catalogue has none (the sheet then gets one warning,
:data:`NO_RUBRIC`).
"""

from __future__ import annotations

import difflib
import functools

import numpy as np

from ._values import norm_text, number_text, parse_date, parse_year

__all__ = ["RubricRows", "NO_RUBRIC", "DONE_TEXTS", "BLANK_DONE", "parse_number", "unit_names"]

#: The one warning of a 加减分台账 or 考核清单 read with a catalogue without ``[assessment]``.
NO_RUBRIC = "指标体系中没有考核细则（[assessment]），本表不参与计分"

#: 完成情况 as written → done.
DONE_TEXTS = {"是": True, "否": False, "√": True, "×": False, "完成": True, "未完成": False,
              "1": True, "0": False}

#: Issue code of a 考核清单 row whose one fault is a blank 完成情况, its 单位 and 项目编号 written as the
#: county template writes them (the catalogue's unit and id): a template row left untouched. :mod:`._rubric_batch` counts such rows empty when their sheet has no 完成情况
#: of the year at all (one ``info`` instead), and keeps the error where the year is partly filled.
BLANK_DONE = "checklist_done_blank"

_KINDS = {"per_shortfall": "按指标差额扣分", "checklist": "按考核清单扣分", "rank_points": "按排名赋分",
          "proportional_to_best": "按最好单位的比例得分", "from_indicator": "按指标得分", "per_incident": "按台账计分"}
_WORD = {"by_role": "职务", "by_severity": "严重程度"}


def parse_number(raw) -> float | None:
    """A number from a cell (not a bool): 2, 2.0, "2", "２ 分"; None otherwise."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if np.isfinite(raw) else None
    text = norm_text(raw).removesuffix("分")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _done(raw):
    """完成情况 → True / False, or None when not one of :data:`DONE_TEXTS`."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    return DONE_TEXTS.get(norm_text(raw))


def unit_names(catalog) -> tuple[dict, dict]:
    """(written name → unit, unit → class): each secretary's unit, township and name; the
    township of a unit is the catalogue township its name starts with (东山镇党委 → 东山镇)."""
    names, classes = {}, {}
    for name, unit, kind in zip(catalog.secretaries["name"], catalog.secretaries["unit"],
                                catalog.secretaries["type"]):
        classes[unit] = kind
        names[norm_text(unit)] = names[norm_text(name)] = unit
        for town in catalog.townships["unit_name"]:
            if str(unit).startswith(town):
                names[norm_text(town)] = unit
    return names, classes


class RubricRows:
    """The checks of 加减分台账 and 考核清单 (mixed into :class:`~._county_checks.CountyRows`)."""

    @functools.cached_property
    def _units(self):
        return unit_names(self.catalog)

    def _unit(self, raw):
        """The unit written as ``raw`` (unit, township, or a secretary's name), or None."""
        names, _ = self._units
        found = names.get(norm_text(raw))
        if found is None and raw not in (None, ""):
            town = self.catalog.resolve_township(str(raw))
            found = names.get(norm_text(town)) if town else None
        return found

    def _unknown_unit(self, raw) -> str:
        names, classes = self._units
        text = f"单位“{'' if raw is None else raw}”不在被考核单位中"
        if raw in (None, ""):
            return "单位未填写"
        near = difflib.get_close_matches(norm_text(raw), list(names), n=1, cutoff=0.6)
        if near:
            unit = names[near[0]]
            return f"{text}，与“{unit}”相近；如是笔误，请改为“{unit}”"
        return f"{text}（应为：{'、'.join(classes)}，或其乡镇名、书记姓名）"

    def _year_unit(self, col: dict, v):
        """年度 and 单位 of every row, checked: (year, unit, class)."""
        year = col["year"].map(parse_year)
        ok = col["year"].map(lambda u: (y := parse_year(u)) is not None and self.catalog.first_year <= y)
        v.check("year", ~ok.astype(bool), lambda i: f"年度“{col['year'].raw[i] or ''}”有误")
        unit = col["unit"].map(self._unit)
        v.check("unit", unit == None, lambda i: self._unknown_unit(col["unit"].raw[i]))  # noqa: E711
        classes = self._units[1]
        return year, unit, np.array([classes.get(u) for u in unit], dtype=object)

    def _entries(self, col: dict, v, unit, cls, sheet: str):
        """项目编号 of every row: (id text, rubric entry or None); unknown ids, and items that do
        not apply to the unit's class, flagged."""
        rubric = self.catalog.assessment
        ident = col["item"].map(norm_text)
        v.check("item", ident == "", lambda i: "项目编号未填写")
        if rubric is None:
            return ident, np.full(len(ident), None, dtype=object)
        entry = col["item"].map(lambda u: rubric.entry(norm_text(u)))
        ids = "、".join(e.id for e in (*rubric.items, *rubric.bonus, *rubric.deductions, *rubric.vetoes)
                       if sheet == "adjustments" or getattr(e, "rule", None) and e.rule.kind == "checklist")
        v.check("item", (entry == None) & (ident != ""),  # noqa: E711
                lambda i: f"项目编号“{col['item'].raw[i]}”不在考核细则中（可填：{ids}）")
        barred = np.array([e is not None and c is not None and bool(getattr(e, "classes", ())) and c not in e.classes
                           for e, c in zip(entry, cls)], dtype=bool)
        v.check("item", barred, lambda i: f"{entry[i].id}（{entry[i].name}）只适用于{'、'.join(entry[i].classes)}，"
                                          f"不适用于{unit[i]}（{cls[i]}）")
        return ident, entry

    def adjustments(self, col: dict, v) -> tuple[list, list]:
        n = len(col["year"].raw)
        year, unit, cls = self._year_unit(col, v)
        ident, entry = self._entries(col, v, unit, cls, "adjustments")
        kind = np.array([getattr(getattr(e, "rule", None), "kind", "per_incident") for e in entry], dtype=object)
        v.check("item", kind != "per_incident",
                lambda i: f"{entry[i].id}（{entry[i].name}）{_KINDS[kind[i]]}，不从加减分台账计分"
                          + ("（请填在“考核清单”表）" if kind[i] == "checklist" else "（由指标数据计算）"))
        text = {f: col[f].map(lambda u: "" if u is None else str(u).strip()) if f in col else np.full(n, "", object)
                for f in ("reason", "basis", "department", "role")}
        parsed = col["date"].map(parse_date) if "date" in col else np.full(n, None, object)
        date = np.array([p[0] if p is not None else None for p in parsed], dtype=object)
        bad_date = np.array([p is not None and not p[1] for p in parsed], dtype=bool)
        v.check("date", bad_date, lambda i: f"日期“{col['date'].raw[i]}”有误，应为 2016-03-31 这样的日期")
        rules = [_rule_of(e) for e in entry]                  # (each, {role: points}, mapping word)
        role = text["role"]
        role_bad = np.array([bool(m) and norm_text(r) not in m for (_, m, _), r in zip(rules, role)], dtype=bool)
        v.check("role", role_bad, lambda i: f"{entry[i].id}（{entry[i].name}）按{rules[i][2]}计分，职务或严重程度"
                                            f"“{role[i]}”不在评分标准中（可填：{'、'.join(rules[i][1])}）")
        points = col["points"].map(parse_number) if "points" in col else np.full(n, None, object)
        given = ~col["points"].empty if "points" in col else np.zeros(n, bool)
        v.check("points", given & (points == None),  # noqa: E711
                lambda i: f"分值“{col['points'].raw[i]}”不是数字")
        allowed = np.array([_allowed(r, role[i]) for i, r in enumerate(rules)], dtype=object)
        wrong = np.array([p is not None and e is not None and a != p for p, e, a in zip(points, entry, allowed)],
                         dtype=bool)
        v.check("points", wrong, lambda i: _points_message(entry[i], points[i], allowed[i]))
        outside = np.array([d is not None and y is not None and d.year != y for d, y in zip(date, year)], dtype=bool)
        warnings = [("basis", text["basis"] == "", lambda i: "缺少依据（文件或通报号），请补充"),
                    ("date", outside, lambda i: f"日期 {date[i]:%Y-%m-%d} 不在 {year[i]} 年度内，请核实年度或日期")]
        values = [np.array([np.nan if p is None else p for p in points], dtype=float)]
        return [year, unit, ident, text["reason"], text["basis"], date, text["department"], role, *values], warnings

    def checklist(self, col: dict, v) -> tuple[list, list]:
        year, unit, cls = self._year_unit(col, v)
        ident, entry = self._entries(col, v, unit, cls, "checklist")
        kind = np.array([getattr(getattr(e, "rule", None), "kind", None) for e in entry], dtype=object)
        v.check("item", (entry != None) & (kind != "checklist"),  # noqa: E711
                lambda i: f"{entry[i].id}（{entry[i].name}）不是考核清单项目"
                          + ("（请填在“加减分台账”表）" if kind[i] in (None, "per_incident") else "（由指标数据计算）"))
        check = col["check"].map(lambda u: "" if u is None else str(u).strip())
        v.check("check", check == "", lambda i: "清单项未填写")
        known = np.array([e is None or k != "checklist" or c == "" or norm_text(c) in map(norm_text, e.rule.checks)
                          for e, k, c in zip(entry, kind, check)], dtype=bool)
        v.check("check", ~known, lambda i: f"清单项“{check[i]}”不在{entry[i].id}（{entry[i].name}）的清单中"
                                           f"（可填：{'、'.join(entry[i].rule.checks)}）")
        check = np.array([_listed(e, c) for e, c in zip(entry, check)], dtype=object)
        done = col["done"].map(_done)
        blank = col["done"].empty
        as_prefilled = np.array([u is not None and e is not None and norm_text(ru) == norm_text(u) and norm_text(ri) == e.id
                                 for ru, u, ri, e in zip(col["unit"].raw, unit, col["item"].raw, entry)], dtype=bool)
        unfilled = lambda i: f"{year[i]} 年完成情况未填写，应为“是”或“否”"  # noqa: E731
        v.check("done", blank & as_prefilled, unfilled, code=BLANK_DONE)      # as the template wrote it
        v.check("done", blank, unfilled)
        v.check("done", done == None,  # noqa: E711
                lambda i: f"完成情况“{col['done'].raw[i]}”有误，应为“是”或“否”")
        return [year, unit, ident, check, done], []


def _listed(entry, check: str) -> str:
    """The check as the catalogue writes it (white space and full-width forms aside)."""
    rule = getattr(entry, "rule", None)
    for c in getattr(rule, "checks", ()):
        if norm_text(c) == norm_text(check):
            return c
    return check


def _rule_of(entry) -> tuple:
    """(points each, {normalised 职务/严重程度: points}, the word) of a ledger entry's item."""
    if entry is None:
        return None, {}, ""
    rule = getattr(entry, "rule", None)
    if rule is not None:
        key = "by_role" if rule.by_role else "by_severity" if rule.by_severity else None
        mapping = getattr(rule, key) if key else ()
        return rule.deduct, {norm_text(k): float(p) for k, p in mapping}, _WORD.get(key, "")
    mapping = getattr(entry, "by_role", ())
    return getattr(entry, "each", None), {norm_text(k): float(p) for k, p in mapping}, "职务" if mapping else ""


def _allowed(rule: tuple, role: str):
    """The points an entry may carry: the rule's ``each``, or its value for the role; None
    for a 一票否决 (no points) or an unknown role."""
    each, mapping, _ = rule
    if mapping:
        return mapping.get(norm_text(role))
    return None if each is None else float(each)


def _points_message(entry, given: float, allowed) -> str:
    if allowed is None:
        return f"{entry.id}（{entry.name}）不计分值（一票否决作用于等次），分值“{number_text(given)}”应留空"
    return (f"分值“{number_text(given)}”与{entry.id}（{entry.name}）的评分标准不符：应为 {number_text(allowed)}"
            f"（填正数；留空则按评分标准计）")
