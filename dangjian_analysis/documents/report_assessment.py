"""The report's 年度考核 under the county's 考核细则: sentences and the section (Word and HTML alike).

Written only when the catalogue has a rubric (the model then has the tables of
:mod:`.assessment_tables`). :func:`write_assessment` adds, after the 述职评议, the 年度考核
结果 per class (a sentence counting the grades, naming 待定 and 一票否决, then the table),
one paragraph per unit (基础分 by 大项, the items where points were lost, 加分 and 扣分
with their 依据, vetoes, gates, why the grade is not the band's) and the 结果运用 per unit.
A unit with nothing scored in the year (a township not yet returned, the county tables not yet
in: :func:`~.assessment_tables.unscored_units`) gets no row of dashes and no paragraph: one
sentence per class names such units and what is missing (the only line of a class where no
unit has anything), and the 结果运用 lists only units with a grade.
:func:`grade_counts` and :func:`assessment_sentence` are the 主要结论's sentence. Numbers are
written as people write them (``87.5``, ``90``), at most two decimals.
"""

from __future__ import annotations

import pandas as pd

from ..catalog.assessment import DISQUALIFIED
from .assessment_tables import IDLE_PENDING

__all__ = ["write_assessment", "unit_paragraph", "class_sentence", "assessment_sentence", "grade_counts",
           "method_sentence", "combination_sentence", "waiting_reason", "n"]

#: The county tables a 考核细则 result is made from (their names on the roll).
_RUBRIC_INPUTS = ("加减分台账", "考核清单", "述职评议计票")
_REPORT_COLUMNS = ["unit", "secretary", "base", "bonus", "deduction", "routine", "review", "satisfaction", "annual",
                   "rank", "grade"]


def n(value) -> str:
    """A score as people write it: ``87.5``, ``90``, ``—`` when missing (rounded to 2 decimals)."""
    if value is None or pd.isna(value):
        return "—"
    value = round(float(value), 2)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _ladder(grades, assessment) -> list[str]:
    """The grades present, in the catalogue's order, then 待定, 取消评选资格 and any other."""
    known = [g.grade for g in getattr(assessment, "grades", ()) or ()]
    known += [getattr(assessment, "undecided", "待定"), DISQUALIFIED]
    present = list(dict.fromkeys(str(g) for g in grades))
    return [g for g in known if g in present] + [g for g in present if g not in known]


def grade_counts(table: pd.DataFrame, assessment=None) -> list[tuple[str, list[str]]]:
    """``[(grade, [units…]), …]`` of an ``assessment`` table, grades best first, units in table order."""
    return [(g, table.loc[table["grade"].astype(str) == g, "unit"].tolist())
            for g in _ladder(table["grade"], assessment)]


def _named(units: list[str], most: int = 6) -> str:
    from ..charts.takeaways import listed

    return listed(units, most=most)


def class_sentence(cls: str, table: pd.DataFrame, assessment=None, waiting=(), why: str = "") -> str:
    """``乡镇党委书记 10 名：好 3 名（…）、较好 5 名…；待定 2 名（…：名额 3 名，并列 2 名待定）。``

    ``table`` holds the class's units with something scored; ``waiting`` names the others (nothing
    scored in the year, :func:`~.assessment_tables.unscored_units`), said in one clause after the
    grades: ``其余 7 名（…）本年度尚无任何考核数据（<why>），待报送后生成``."""
    undecided = getattr(assessment, "undecided", "待定")
    parts, extra = [], []
    for grade, units in grade_counts(table, assessment):
        if grade == undecided:
            notes = list(dict.fromkeys(x for x in table.loc[table["grade"] == grade, "grade_note"] if x))
            shared = f"：{notes[0]}" if len(notes) == 1 else ""       # notes naming each other: in the paragraphs
            extra.append(f"{undecided} {len(units)} 名（{_named(units)}{shared}），名次并列跨越名额线，由考核委员会确定")
        elif grade == DISQUALIFIED:
            extra.append(f"因一票否决{DISQUALIFIED} {len(units)} 名（{_named(units)}）")
        else:
            parts.append(f"{grade} {len(units)} 名（{_named(units)}）")
    if waiting:
        extra.append(f"其余 {len(waiting)} 名（{'、'.join(waiting)}）本年度尚无任何考核数据"
                     + (f"（{why}）" if why else "") + "，待报送后生成")
    return (f"{cls} {len(table) + len(waiting)} 名："
            + "；".join((["、".join(parts)] if parts else []) + extra) + "。")


def waiting_reason(m, rows: pd.DataFrame) -> tuple[str, str]:
    """Why the units of ``rows`` (``assessment`` rows) have nothing scored, from the report's 报送情况
    (``m.roll``): ``(why, who)``, e.g. ``("所在乡镇未报送；县级数据中尚缺加减分台账、考核清单",
    "乡镇报表和县级数据")``; ``("", "数据")`` when the roll names nothing missing."""
    from ..metrics.review import secretary_townships

    roll = getattr(m, "roll", None)
    county = [t for t in getattr(roll, "county_missing", ()) if t in _RUBRIC_INPUTS]
    where = secretary_townships(m.catalog) if roll is not None and len(rows) else {}
    towns = {where.get(s) for s in rows.get("secretary", ())} & set(getattr(roll, "missing", ()))
    why = (["所在乡镇未报送"] if towns else []) + ([f"县级数据中尚缺{'、'.join(county)}"] if county else [])
    who = "和".join((["乡镇报表"] if towns else []) + (["县级数据"] if county else [])) or "数据"
    return "；".join(why), who


def method_sentence(assessment, annual_rule: str = "") -> str:
    """How the year's result is made: the rubric, its caps, the combination and the grades."""
    if assessment is None:
        return ""
    cap = f"加分最高 {n(assessment.bonus_cap)} 分" if assessment.bonus_cap is not None else "加分不设总上限"
    grades = []
    for g in getattr(assessment, "grades", ()) or ():
        cond = [] if g.min is None else [f"综合得分 ≥{n(g.min)}"]
        if g.quota is not None:
            cond.append(f"不超过{'本类别' if getattr(assessment, 'quota_base', 'class') == 'class' else '全体'}的 "
                        f"{_share(g.quota)}" if g.quota < 1 else f"不超过 {n(g.quota)} 名")
        grades.append(f"{g.grade}（{'，'.join(cond)}）" if cond else g.grade)
    text = (f"日常考核按《{assessment.name}》考核细则计分：基础分满分 {n(assessment.points)} 分，{cap}，扣分从总分中扣除，"
            "一票否决和门槛在计分之后作用于等次。" + (annual_rule or ""))
    if grades:
        text += f"等次：{'、'.join(grades)}"
        text += ("，得分并列跨越名额线的为“" + getattr(assessment, "undecided", "待定") + "”，由考核委员会确定。"
                 if getattr(assessment, "ties", "undecided") == "undecided" else "，名次可以并列。")
    return text


def _share(quota: float) -> str:
    """A quota share as the catalogue writes it: ``1/3``, ``30%``."""
    from fractions import Fraction

    f = Fraction(quota).limit_denominator(12)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - quota) < 1e-9 and f.denominator in (3, 6, 7, 9, 11, 12) \
        else f"{n(100 * quota)}%"


def _entry(row) -> str:
    return f"{row['item']} {row['name']}"


def unit_paragraph(row, parts: pd.DataFrame, detail: pd.DataFrame) -> str:
    """One unit's paragraph: ``row`` its line of the ``assessment`` table, ``parts`` and ``detail``
    its rows of ``assessment_parts`` and ``assessment_detail``."""
    who = f"{row['unit']}（{row['secretary']}）" if isinstance(row.get("secretary"), str) else str(row["unit"])
    by_part = "、".join(f"{p.part} {n(p.earned)}/{n(p.points)}" for p in parts.itertuples())
    text = f"{who}：基础分 {n(row['base'])} 分" + (f"（{by_part}）" if by_part else "")
    said = []
    kinds = {"lost": [], "bonus": [], "deduction": [], "veto": [], "pending": []}
    for _, d in detail.iterrows():
        basis = str(d["basis"])
        if "待核实" in basis and pd.isna(d["earned"]):
            kinds["pending"].append((d["item"], basis))
        elif d["part"] == "一票否决":
            kinds["veto"].append(f"{_entry(d)}（{basis}）")       # said only when the results do not say it
        elif d["part"] == "加分":
            kinds["bonus"].append(f"{_entry(d)}，{basis}")
        elif d["part"] == "扣分":
            kinds["deduction"].append(f"{_entry(d)}，{basis}")
        else:
            kinds["lost"].append(f"{_entry(d)} 得 {n(d['earned'])}/{n(d['points'])} 分，{basis}")
    if kinds["lost"]:
        said.append("失分：" + "；".join(kinds["lost"]))
    if kinds["bonus"]:
        said.append(f"加分 {n(row['bonus'])} 分：" + "；".join(kinds["bonus"]))
    if kinds["deduction"]:
        said.append(f"扣分 {n(row['deduction'])} 分：" + "；".join(kinds["deduction"]))
    if kinds["pending"]:                      # one clause per reason: 未提供加减分台账 covers many entries
        why: dict[str, list[str]] = {}
        for item, basis in kinds["pending"]:
            why.setdefault(basis.removesuffix("，待核实"), []).append(item)
        said.append("待核实：" + "；".join(f"{'、'.join(items)}（{b}）" for b, items in why.items()))
    vetoes = str(row.get("vetoes") or "")
    if vetoes or kinds["veto"]:
        said.append("一票否决：" + (vetoes or "；".join(kinds["veto"])))
    gates = str(row.get("gates") or "")
    if gates:
        said.append(f"门槛：{gates}")
    rank = "" if pd.isna(row.get("rank")) else f"，类别内第 {int(row['rank'])} 名"
    shown_parts = [f"日常考核 {n(row['routine'])} 分"]
    shown_parts += [] if pd.isna(row.get("review")) else [f"述职评议 {n(row['review'])} 分"]
    shown_parts += [] if pd.isna(row.get("satisfaction")) else [f"群众满意度 {n(row['satisfaction'])}"]
    result = f"{'，'.join(shown_parts)}，综合得分 {n(row['annual'])} 分{rank}，等次“{row['grade']}”"
    note = str(row.get("grade_note") or "")
    if vetoes and f"一票否决：{vetoes}" in note:          # said above: the grade's reason by its name only
        note = note.replace(f"一票否决：{vetoes}", "因一票否决")
    if gates and note.startswith("门槛 ") and gates.split("（", 1)[0] in note:
        note = "因门槛" + note[note.rindex("，"):]
    if note:
        result += f"（{note}）"
    body = "".join(f"。{s}" for s in said)
    shown = text + body + "。" + result
    pending = str(row.get("pending") or "")
    notes = [x for x in _clauses(str(row.get("note") or "")) if x not in shown
             and not (x.startswith("一票否决：") and x[len("一票否决："):] in vetoes)
             and not (kinds["pending"] and pending and x.startswith(pending))]
    return shown + "".join(f"；{x}" for x in notes) + "。"


def _clauses(text: str) -> list[str]:
    """``text`` split at the ``；`` outside parentheses (a basis in （…） keeps its own ``；``)."""
    out, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth += ch in "（("
        depth -= ch in "）)"
        if ch == "；" and depth == 0:
            out.append(text[start:k])
            start = k + 1
    out.append(text[start:])
    return [x.strip() for x in out if x.strip()]


def assessment_sentence(table: pd.DataFrame, assessment=None) -> str | None:
    """The 主要结论's sentence on the year's result: counts per grade, 待定 and 一票否决 named."""
    if table is None or table.empty:
        return None
    undecided = getattr(assessment, "undecided", "待定")
    counts = grade_counts(table, assessment)
    plain = "、".join(f"{g} {len(u)} 个" for g, u in counts if g not in (undecided, DISQUALIFIED))
    text = f"年度考核 {len(table)} 个单位中，{plain}"
    idle = int((table["pending"].astype(str) == IDLE_PENDING).sum()) if "pending" in table else 0
    if idle:
        text += f"，其中 {idle} 个尚无任何考核数据"
    held = dict(counts).get(undecided, [])
    if held:
        text += f"；{undecided} {len(held)} 个（{_named(held)}），由考核委员会确定"
    vetoed = table[table["vetoes"].fillna("").astype(str) != ""] if "vetoes" in table else table.iloc[0:0]
    if len(vetoed):
        text += (f"；一票否决 {len(vetoed)} 个："
                 + _named([f"{u}（{g}）" for u, g in zip(vetoed["unit"], vetoed["grade"])]))
    return text + "（见“述职评议与年度考核”）。"


def combination_sentence(catalog) -> str:
    """How 日常考核 (the rubric's total), 述职评议 and 群众满意度 make the 综合得分 (``[review] annual``)."""
    words = {"routine": "日常考核（考核细则得分）", "review": "述职评议得分", "satisfaction": "群众满意度"}
    weights = getattr(catalog.review, "annual", {}) or {}
    terms = "＋".join(f"{words.get(k, k)} × {n(100 * v)}%" for k, v in weights.items() if v)
    return (f"综合得分 = {terms}；没有的部分（如县直单位的群众满意度）不计入，按其余部分的权重重新归一。"
            if terms else "")


def write_assessment(w, m) -> None:
    """The 年度考核 subsections of the report (see the module docstring). A unit with nothing
    scored in the year has no row and no paragraph: one sentence per class names such units
    (and, when no unit of a class has anything, is the class's only line); the 结果运用 table
    holds the units with a grade, one sentence names those 待核实."""
    from ..metrics.annual import PENDING
    from .assessment_tables import class_order, unscored_units

    assessment = getattr(m.catalog, "assessment", None)
    table = m.table("assessment")
    parts, detail = m.table("assessment_parts"), m.table("assessment_detail")
    waiting = unscored_units(table, detail)
    scored = table[~table["unit"].isin(waiting)]

    w.subheading("年度考核结果")
    w.text(method_sentence(assessment, combination_sentence(m.catalog)))
    digits = int(getattr(assessment, "decimals", 2))
    for cls in class_order(table, assessment):
        rows = scored[scored["class"].astype(str) == cls]
        idle = table[(table["class"].astype(str) == cls) & table["unit"].isin(waiting)]
        rest = list(idle["unit"])
        why, who = waiting_reason(m, idle)
        if rows.empty:
            w.text(f"{cls} {len(rest)} 名：本年度尚无任何考核数据" + (f"（{why}）" if why else "")
                   + f"，年度考核结果待{who}报送后生成。")
            continue
        w.text(class_sentence(cls, rows, assessment, rest, why))
        w.table(_labelled(m, rows, _REPORT_COLUMNS), digits=digits)
    w.subheading("各单位得分情况")
    if scored.empty:
        w.text("各单位本年度均尚无任何考核数据，得分情况待报送后生成（缺少的数据见“年度考核结果”）。")
    for _, row in scored.iterrows():
        w.text(unit_paragraph(row, parts[parts["unit"] == row["unit"]], detail[detail["unit"] == row["unit"]]))
    if waiting and not scored.empty:
        w.text(f"其余 {len(waiting)} 个单位（{'、'.join(waiting)}）本年度尚无任何考核数据，不逐一列出。")
    w.subheading("结果运用")
    graded = table[table["grade"].astype(str) != PENDING]
    held = [u for u in table["unit"] if u not in set(graded["unit"])]
    if graded.empty:
        w.text("各单位等次均待核实，结果运用待考核结果确定后按考核细则执行。")
        return
    w.text("按考核细则，各单位的考核结果运用如下（以县委组织部通报为准）：")
    w.table(_labelled(m, graded, ["unit", "secretary", "grade", "consequence"]))
    if held:
        w.text(f"{'、'.join(held)}的等次待核实，结果运用待考核结果确定后执行。")


def _labelled(m, frame, columns):
    from .report_labels import label_table

    return label_table("assessment", frame[columns], catalog=m.catalog, year=m.year, previous=m.previous)
