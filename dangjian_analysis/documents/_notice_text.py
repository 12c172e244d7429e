"""Private: the words of the 通报 (:mod:`.notice`), as plain text, before any layout.

Conventions: ``results`` is :func:`~dangjian_analysis.metrics.annual.assessment_results`' frame
(``year, unit, secretary, class, annual, grade, vetoes, pending, consequence, rectify_days`` are
read; others ignored), one year of it; units are named in the catalogue's order
(``catalog.secretaries``), never by score; grades run best first (``catalog.assessment.grades``,
else the 述职评议 ratings), then the undecided grade (待定), then 取消评选资格, then any other grade
text in the order it appears, then units without a grade (等次待核实). Nothing is left out: every
unit of the year is named once in 考核结果 and once in the 汇总表 — except while no unit has a grade
(early in the year, the county tables not in): the 通报 is then a draft that says in one sentence
that all grades are 待核实, without a name list or a 汇总表 of 待核实 rows.

The draft's word is the catalogue's (``catalog.draft_word``, ``[report] draft``; default
:data:`DEFAULT_DRAFT`), after the title in full-width parentheses.

Dates: :func:`chinese_date` (二〇一七年二月二十日, the brief's 成文日期) and :func:`arabic_date`
(2017年2月20日, GB/T 9704—2012 §7.3.5.1 and the 印发日期 of the 版记); a missing date is the blank
``"    年  月  日"`` to fill by hand (never today's date: the same inputs give the same bytes).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from .narrative import PENDING_TEXT
from .report_content import chinese_number

__all__ = ["NoticeText", "notice_text", "chinese_date", "arabic_date", "BLANK_DATE", "BLANK_NUMBER",
           "DISQUALIFIED", "NO_GRADE", "PART_WORDS", "DRAFT_MARK", "DEFAULT_DRAFT", "draft_word"]

BLANK_DATE = "    年  月  日"
BLANK_NUMBER = "〔    〕号"
#: The draft word when the catalogue gives none; :data:`DRAFT_MARK` is it as the title writes it.
DEFAULT_DRAFT = "征求意见稿"
DRAFT_MARK = f"（{DEFAULT_DRAFT}）"
#: The grade of a unit with a disqualifying veto (the catalogue's ``DISQUALIFIED``).
DISQUALIFIED = "取消评选资格"
#: The heading of units whose grade is missing or 待核实 (the metrics' ``PENDING``).
NO_GRADE = "等次待核实"
_PENDING = "待核实"
#: The parts of the annual combination (``catalog.review.annual``) as the 通报 names them.
PART_WORDS = {"routine": "日常考核", "review": "述职评议", "satisfaction": "群众满意度测评"}
_DIGITS = "〇一二三四五六七八九"
_DEFAULT_NAME = "党组织书记抓基层党建工作考核"


def chinese_date(date: dt.date | None) -> str:
    """二〇一七年二月二十日 (year digit by digit, month and day as numbers); None → the blank date.

    >>> chinese_date(dt.date(2016, 10, 1))
    '二〇一六年十月一日'
    """
    if date is None:
        return BLANK_DATE
    year = "".join(_DIGITS[int(d)] for d in str(date.year))
    return f"{year}年{chinese_number(date.month)}月{chinese_number(date.day)}日"


def arabic_date(date: dt.date | None) -> str:
    """2017年2月20日 (no leading zeros, GB/T 9704—2012); None → the blank date."""
    return BLANK_DATE if date is None else f"{date.year}年{date.month}月{date.day}日"


@dataclass(frozen=True)
class NoticeText:
    """The 通报's words: ``body`` is a list of ``(kind, text)`` with kind ``"h1"`` (一、… 黑体),
    ``"p"`` (a paragraph) or ``"h2p"`` (a paragraph opening with a 楷体 lead, ``text`` a pair);
    ``annex`` the 附件说明 lines; ``table`` the 附件1 rows with Chinese headers."""

    issuer: str
    number: str
    title: str
    to: str
    body: list
    annex: list[str]
    signature: str
    date: str
    cc: str | None
    printed_by: str
    printed_on: str
    annex_title: str
    table: pd.DataFrame = field(repr=False)


def draft_word(catalog) -> str:
    """The county's word for a draft (``catalog.draft_word``), :data:`DEFAULT_DRAFT` without one."""
    word = getattr(catalog, "draft_word", None)
    return word if isinstance(word, str) and word.strip() else DEFAULT_DRAFT


def _blank(value) -> bool:
    if isinstance(value, (list, tuple, set)):
        return not value
    return value is None or (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str) and not value.strip())


def _truthy(value) -> bool:
    if _blank(value):
        return False
    if isinstance(value, str):
        return True
    try:
        return bool(value)
    except (TypeError, ValueError):
        return True


def _top_level(text: str) -> list[str]:
    """``text`` split at each “；” outside brackets （…）."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "（") - (ch == "）")
        if ch == "；" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def _without_bracket(text: str) -> str:
    """``text`` without its last top-level bracket group when it ends with one (brackets may nest)."""
    if not text.endswith("）"):
        return text
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] == "）") - (text[i] == "（")
        if depth == 0:
            return text[:i]
    return text


def _words(value) -> str:
    """The vetoes as the 通报 says them: the metrics' “F02 弄虚作假（取消评选资格；台账 1 条（…））；…” →
    弄虚作假、… (the id and the bracket are the report's); a list or tuple joined with 、."""
    if _blank(value):
        return ""
    parts = value if isinstance(value, (list, tuple)) else _top_level(str(value))
    names = [_without_bracket(re.sub(r"^[A-Za-z][A-Za-z0-9_]*\s+", "", str(p).strip())) for p in parts]
    return "、".join(dict.fromkeys(n for n in names if n))


def _ordered(results: pd.DataFrame, catalog) -> pd.DataFrame:
    """``results`` in the catalogue's order of units (others after, as they came)."""
    units = list(dict.fromkeys(catalog.secretaries["unit"].astype(str)))
    rank = {u: i for i, u in enumerate(units)}
    order = [rank.get(str(u), len(units) + i) for i, u in enumerate(results["unit"])]
    return results.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def _grade_order(results: pd.DataFrame, catalog) -> list[str]:
    assessment = getattr(catalog, "assessment", None)
    if assessment is not None and assessment.grades:
        grades = [g.grade for g in assessment.grades]
        undecided = assessment.undecided
    else:
        grades = list(catalog.review.ratings["rating"])
        undecided = catalog.review.undecided
    known = [*grades, undecided, DISQUALIFIED]
    seen = [_grade_of(g) for g in dict.fromkeys(results["grade"]) if _grade_of(g) != NO_GRADE]
    return known + [g for g in seen if g not in known]


def _grade_of(value) -> str:
    return NO_GRADE if _blank(value) or str(value).strip() == _PENDING else str(value)


def _score(value) -> str:
    return "得分待核实" if _blank(value) else f"{float(value):.2f}分"


def _name(row, show_scores: bool) -> str:
    secretary = "" if _blank(row.get("secretary")) else str(row["secretary"])
    inner = [secretary] if secretary else []
    if show_scores:
        inner.append(_score(row.get("annual")))
    text = f"{row['unit']}（{'，'.join(inner)}）" if inner else str(row["unit"])
    if row.get("grade") == DISQUALIFIED and _words(row.get("vetoes")):
        text += f"，因{_words(row.get('vetoes'))}"
    if _truthy(row.get("pending")) and _grade_of(row.get("grade")) != NO_GRADE:
        text += "（待核实）"
    return text


def _classes(results: pd.DataFrame, catalog) -> list[str]:
    known = list(getattr(getattr(catalog, "assessment", None), "classes", ()) or ())
    known += [c for c in dict.fromkeys(catalog.secretaries["type"].astype(str)) if c not in known]
    present = [str(c) for c in dict.fromkeys(results["class"]) if not _blank(c)]
    return [c for c in known if c in present] + [c for c in present if c not in known]


def _share_words(share: float) -> str:
    """1/3 → 三分之一; 0.3 → 30%."""
    frac = Fraction(share).limit_denominator(20)
    if abs(float(frac) - share) < 1e-9 and frac.denominator < 10 and frac.numerator < 10:
        return f"{chinese_number(frac.denominator)}分之{chinese_number(frac.numerator)}"
    return f"{share * 100:g}%"


def _basics(results: pd.DataFrame, catalog, year: int, *, graded: bool = True) -> list[str]:
    assessment = getattr(catalog, "assessment", None)
    name = getattr(assessment, "name", None) or _DEFAULT_NAME
    counts = [f"{c}{int((results['class'] == c).sum())}名" for c in _classes(results, catalog)]
    done = "进行了考核" if graded else "开展考核"
    text = (f"按照{year}年度{name}工作安排，县委组织部对全县{len(results)}名党组织书记抓基层党建工作情况{done}"
            + (f"，其中{'、'.join(counts)}" if counts else "") + "。")
    weights = [(PART_WORDS.get(k, k), w) for k, w in catalog.review.annual.items() if w]
    if weights:
        text += (f"考核采取{'、'.join(p for p, _ in weights)}相结合的方式，综合得分按"
                 + "、".join(f"{p}占{w * 100:g}%" for p, w in weights) + "计算。")
    if assessment is not None:
        text += f"日常考核按{name}细则逐项评分，满分{assessment.points:g}分"
        if assessment.bonus:
            cap = f"（加分合计最高{assessment.bonus_cap:g}分）" if assessment.bonus_cap is not None else ""
            text += f"，另计加分{cap}"
        if assessment.deductions:
            text += "和扣分"
        text += "；一票否决事项在评分后作用于等次。" if assessment.vetoes else "。"
        text += _grade_rules(assessment)
    return [text, "现将考核结果通报如下。" if graded else "现将考核进展通报如下。"]


def _grade_rules(assessment) -> str:
    if not assessment.grades:
        return ""
    names = "、".join(f"“{g.grade}”" for g in assessment.grades)
    rules = []
    for g in assessment.grades:
        parts = ([f"综合得分不低于{g.min:g}分"] if g.min is not None else []) + \
                ([f"名额不超过{'各类别' if assessment.quota_base == 'class' else '参评单位'}的{_share_words(g.quota)}"]
                 if g.quota is not None else [])
        if parts:
            rules.append(f"“{g.grade}”等次须{'且'.join(parts)}")
    return f"考核等次分为{names}{chinese_number(len(assessment.grades))}个等次" + \
        (f"，其中{'；'.join(rules)}" if rules else "") + "。"


def _none_graded(results: pd.DataFrame) -> bool:
    """No unit of the year has a grade yet (all 待核实 or blank)."""
    return len(results) > 0 and bool((results["grade"].map(_grade_of) == NO_GRADE).all())


def _results_section(results: pd.DataFrame, catalog, show_scores: bool) -> list:
    if _none_graded(results):
        return [("p", f"全县{len(results)}名党组织书记的考核数据尚未报送齐全，考核等次均待核实，"
                      "待数据报送齐全并核实后另行通报。")]
    body = []
    grades = results["grade"].map(_grade_of)
    classes = _classes(results, catalog)
    undecided = getattr(getattr(catalog, "assessment", None), "undecided", None) or catalog.review.undecided
    k = 0
    for grade in [*_grade_order(results, catalog), NO_GRADE]:
        group = results[grades == grade]
        if group.empty:
            continue
        k += 1
        said = (f"等次{grade}" if grade == undecided else grade if grade in (NO_GRADE, DISQUALIFIED)
                else f"“{grade}”等次")
        lead = f"（{chinese_number(k)}）{said}（{len(group)}名）。"
        lists = []
        for cls in [*classes, None]:
            members = group[group["class"].astype(str) == cls] if cls else group[group["class"].map(_blank)]
            if members.empty:
                continue
            names = "、".join(_name(r, show_scores) for r in members.to_dict("records"))
            lists.append(f"{cls}：{names}" if cls and len(classes) > 1 else names)
        text = "；".join(lists) + "。"
        if grade == undecided:
            text += "上述单位综合得分并列于等次名额的分界处，等次待县委组织部部务会研究确定。"
        elif grade == NO_GRADE:
            text += "上述单位的考核数据尚待核实，等次待核实后另行通报。"
        body.append(("h2p", (lead, text)))
    flagged = results.get("pending", pd.Series(dtype=object)).map(_truthy) & (grades != NO_GRADE)
    if flagged.any():
        body.append(("p", "标注“待核实”的单位，其考核所依据的数据尚待核实，等次以核实后的结果为准。"))
    return body


def _consequences(results: pd.DataFrame, catalog) -> list[str]:
    """One sentence per grade that has units and a 结果运用, best grade first."""
    assessment = getattr(catalog, "assessment", None)
    grades = results["grade"].map(_grade_of)
    lines = []
    for grade in _grade_order(results, catalog):
        group = results[grades == grade]
        if group.empty:
            continue
        texts = [t for t in group.get("consequence", pd.Series(dtype=object)) if not _blank(t)]
        days = [int(d) for d in group.get("rectify_days", pd.Series(dtype=object)) if not _blank(d)]
        rule = assessment.consequence(grade) if assessment is not None and hasattr(assessment, "consequence") else None
        text = texts[0] if texts else getattr(rule, "text", None)
        days = days[0] if days else getattr(rule, "rectify_days", None)
        if not text and not days:
            continue
        label = DISQUALIFIED if grade == DISQUALIFIED else f"评为“{grade}”等次"
        sentence = f"对{label}的单位，{str(text).rstrip('。；;，,')}" if text else f"对{label}的单位"
        if days:
            sentence += f"，并于本通报印发之日起{int(days)}日内向县委组织部报送书面整改报告"
        lines.append(sentence + "。")
    return lines


def _summary_table(results: pd.DataFrame, show_scores: bool) -> pd.DataFrame:
    table = pd.DataFrame({
        "序号": range(1, len(results) + 1),
        "单位": results["unit"].astype(str).to_list(),
        "书记": ["" if _blank(s) else str(s) for s in results.get("secretary", [None] * len(results))],
        "类别": ["" if _blank(c) else str(c) for c in results["class"]],
        "等次": [(_PENDING if _grade_of(g) == NO_GRADE else _grade_of(g) + ("（待核实）" if _truthy(p) else ""))
               for g, p in zip(results["grade"], results.get("pending", [None] * len(results)))],
    })
    if show_scores:
        table["综合得分"] = pd.to_numeric(results["annual"], errors="coerce").round(2).to_list()
    return table


def notice_text(results: pd.DataFrame, catalog, year: int, *, notice, draft: bool = False,
                rectification: bool = True, next_steps=None) -> NoticeText:
    """The 通报's words for ``year`` (see the module's conventions); ``notice`` the catalogue's
    ``[notice]`` (``issuer, number, title, to, date, show_scores, cc, printed_by``).
    ``next_steps``, the analyst's 下一步工作 paragraphs (:mod:`.narrative`), close 三、工作要求 under
    “抓好下一步工作。” in place of the general “压实工作责任”; ``()`` shows “（待补充）” there;
    None (no narrative) keeps the general paragraph."""
    rows = _ordered(results[results["year"] == year] if "year" in results else results, catalog)
    name = getattr(getattr(catalog, "assessment", None), "name", None) or _DEFAULT_NAME
    fill = {"year": year, "next_year": year + 1}
    title = (notice.title or "关于{year}年度党组织书记抓基层党建工作考核结果的通报").format(**fill)
    requirements = [("h2p", ("（一）兑现结果运用。", line)) if i == 0 else ("p", line)
                    for i, line in enumerate(_consequences(rows, catalog))]
    n = 1 + bool(requirements)
    if rectification:
        requirements.append(("h2p", (f"（{chinese_number(n)}）抓好问题整改。",
                                     "各单位要对照考核中发现的问题（见附件2），逐项制定整改措施，明确责任人和整改时限，"
                                     "按期完成整改，并将整改情况报县委组织部。")))
        n += 1
    if next_steps is None:
        requirements.append(("h2p", (f"（{chinese_number(n)}）压实工作责任。",
                                     "各级党组织书记要切实履行抓基层党建第一责任人职责，对照考核结果查找差距，"
                                     "推动基层党建各项任务落到实处。")))
    else:
        first, *rest = tuple(next_steps) or (PENDING_TEXT,)
        requirements += [("h2p", (f"（{chinese_number(n)}）抓好下一步工作。", first)), *[("p", t) for t in rest]]
    graded = not _none_graded(rows)
    annex_title = f"{year}年度{name}等次汇总表" if graded else ""
    annex = ([f"1. {annex_title}"] if graded else []) + ([f"{1 + graded}. 整改清单"] if rectification else [])
    if rectification and not graded:                 # the 整改清单 is then 附件1
        requirements = [(k, (t[0], t[1].replace("（见附件2）", "（见附件1）")) if k == "h2p" else t)
                        for k, t in requirements]
    table = _summary_table(rows, notice.show_scores) if graded else _summary_table(rows.iloc[0:0], False)
    return NoticeText(
        issuer=notice.issuer, number=notice.number.format(**fill) if notice.number else BLANK_NUMBER,
        title=title + (f"（{draft_word(catalog)}）" if draft else ""), to=(notice.to or "").strip(),
        body=[("h1", "一、基本情况"), *[("p", t) for t in _basics(rows, catalog, year, graded=graded)],
              ("h1", "二、考核结果"), *_results_section(rows, catalog, notice.show_scores),
              ("h1", "三、工作要求"), *requirements],
        annex=annex, signature=notice.issuer, date=chinese_date(notice.date), cc=notice.cc,
        printed_by=notice.printed_by or notice.issuer, printed_on=arabic_date(notice.date),
        annex_title=annex_title, table=table)
