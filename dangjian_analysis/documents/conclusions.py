"""主要结论: the five to eight sentences (nine with a 考核细则) that open the yearly report.

One source of sentences for the Word report, the HTML and the deck: each sentence is computed
from the report's tables (:func:`~dangjian_analysis.documents.report_tables.build_tables`, English ids)
and the composite scores, reusing the chart takeaways of :mod:`~dangjian_analysis.charts.takeaways`
where one exists, so every sentence can be traced to a table of the report.
"""

from __future__ import annotations

import re

import pandas as pd

from ..charts import takeaways as tk
from ..charts._base import provisional_notes
from ..charts._reported import county_word, held_number, is_partial, value_holds
from ..metrics._frames import catalog_of
from .report_tables import ABSENT_VILLAGE

__all__ = ["report_conclusions", "move_holds", "bottom_sentence"]


def _average(scores: pd.DataFrame, year: int, catalog=None) -> str:
    """The mean overall index of ``year`` and its change from the year before. In a partial year
    (fewer townships with a result than the catalogue lists) the sentence says “已报送的 N 个乡镇”;
    when units of last year have no result this year, both means are over the units of this
    year only (“比这些乡镇2015年…”). A mean that includes a value held for a check carries
    “（含待核实数值）” (:mod:`~dangjian_analysis.charts._reported`)."""
    overall = scores[scores["group"] == "overall"].dropna(subset=["score"])
    now_rows = overall[overall["year"] == year]
    now_units = now_rows["unit_name"]
    before_rows = overall[overall["year"] == year - 1]
    fewer = bool(set(before_rows["unit_name"]) - set(now_units))
    partial = fewer or is_partial(now_units, catalog_of(scores, catalog, quiet=True))
    who = f"已报送的 {len(now_units)} 个乡镇" if partial else "全县乡镇"
    now = now_rows["score"].mean()
    before_rows = before_rows[before_rows["unit_name"].isin(set(now_units))] if fewer else before_rows
    before = before_rows["score"].mean()
    held_now = held_number(now_units, provisional_notes(now_rows))
    held_before = held_number(before_rows["unit_name"], provisional_notes(before_rows))
    if pd.isna(before):
        return f"{year}年{who}综合指数平均 {now:.1f} 分{held_now}。"
    change = round(round(now, 1) - round(before, 1), 1)    # as the two figures are printed
    verb = "提高" if change > 0 else "下降"
    amount = f" {abs(change):.1f} 分"
    last = f"这些乡镇{year - 1}年" if fewer else f"{year - 1}年"
    was = f"（{before:.1f} 分{'，含待核实数值' if held_before else ''}）"
    if not change:
        return f"{year}年{who}综合指数平均 {now:.1f} 分{held_now}，与{last}{was}持平。"
    return f"{year}年{who}综合指数平均 {now:.1f} 分{held_now}，比{last}{was}{verb}{amount}。"


#: The short reasons a doubt's message gives, most telling first: the year-on-year change, then
#: the plausible range (the intake's own wording, intake._crosscheck and intake._cells).
_WHY = (re.compile(r"约为上年的 [^，；）]+"), re.compile(r"是上年的 [^，；）]+ 倍"), re.compile(r"只有上年的 1/[^，；）]+"),
        re.compile(r"不在常见范围 [^，；）]+ 内"))


def doubt_reason(message: str) -> str:
    """The short reason of a doubtful value's message (``约为上年的 1 万倍``, ``不在常见范围 0–15 内``);
    empty when the message has none of these."""
    for pattern in _WHY:
        found = pattern.search(str(message))
        if found:
            return found.group(0)
    return ""


def _doubtful(doubtful: pd.DataFrame, cat) -> str | None:
    """The doubtful values not yet confirmed, named with the reason (they hold their townships'
    results): ``东山镇联家村“村级办公经费”62100（约为上年的 1 万倍）``."""
    if doubtful.empty:
        return None
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    from ..intake._values import number_text

    whys = [doubt_reason(m) for m in doubtful["message"]]
    items = [f"{t}{u if u != t else ''}“{names.get(i, i)}”{number_text(v)}" + (f"（{w}）" if w else "")
             for t, u, i, v, w in zip(doubtful["township"], doubtful["unit_name"], doubtful["indicator"],
                                      doubtful["value"], whys)]
    towns = list(dict.fromkeys(doubtful["township"]))
    return (f"有 {len(items)} 个数值存疑、尚待乡镇或分析人员确认：{tk.listed(items, most=4)}；"
            f"{tk.listed(towns)}的结果因此标为待核实（见“数据质量”）。")


#: The year that leads each reason of the 晋位升级 table's ``provisional_reason`` (``2016年：…``).
_YEAR_LEAD = re.compile(r"^\d{4}年：")


def move_holds(moves: pd.DataFrame) -> dict:
    """Township → reason, for the townships of the 晋位升级 table (``moves``) whose move rests on
    a held result of either year: its ``provisional_reason`` without the years that lead it and
    without the holds that are only the roll's (:func:`~dangjian_analysis.charts._reported.value_holds`:
    in a partial year every rank waits, which “已报送的 N 个乡镇” already says)."""
    if "provisional_reason" not in moves:
        return {}
    notes = {t: "；".join(_YEAR_LEAD.sub("", p) for p in str(r).split("；"))
             for t, r in zip(moves["township"], moves["provisional_reason"].fillna("")) if r}
    return value_holds(notes)


def _moves(moves: pd.DataFrame, who: str = "全县") -> str | None:
    """晋位升级 and 降级 named; in a partial year said of the townships that reported (``who``); a
    move resting on a held result is said 待核实 (:func:`move_holds`, ``（金谷镇，待核实）``)."""
    if moves.empty:
        return None
    held = move_holds(moves)
    up = moves.loc[moves["move"] == "up", "township"].tolist()
    down = moves.loc[moves["move"] == "down", "township"].tolist()
    text = ("" if who == "全县" else f"{who}中，") + f"晋位升级 {len(up)} 个" + tk.named_held(up, held, most=8)
    text += f"，降级 {len(down)} 个" + tk.named_held(down, held, most=8)
    return text + f"，其余 {len(moves) - len(up) - len(down)} 个等次持平。"


def bottom_sentence(bottom: pd.DataFrame, most: int = 15) -> str:
    """The 倒排 villages named (the report's ``bottom`` table), those that sent no village value
    said apart: ``…；其中金谷镇花桥村未报送任何村级指标（按不得分计，待核实）`` — their index is 0
    because nothing was sent (:data:`~.report_tables.ABSENT_VILLAGE` leads their reason)."""
    if bottom.empty:
        return "今年没有列入倒排整顿的村。"
    names = [f"{t}{v}" for t, v in zip(bottom["township"], bottom["village"])]
    absent = [n for n, r in zip(names, bottom["reason"]) if str(r).startswith(ABSENT_VILLAGE)]
    said = f"；其中{tk.listed(absent, most=most)}未报送任何村级指标（按不得分计，待核实）" if absent else ""
    return f"列入倒排整顿的村 {len(names)} 个：{tk.listed(names, most=most)}{said}。"


def _bottom(bottom: pd.DataFrame) -> str | None:
    return bottom_sentence(bottom)


def _attainment(attainment: pd.DataFrame, names: dict, who: str = "全县") -> str | None:
    """The widest and narrowest target attainment of the county row (over the townships that
    reported, ``who``, in a partial year)."""
    county = attainment[attainment["township"] == "全县"].dropna(subset=["share"])
    if county.empty:
        return None
    hi = county.loc[county["share"].idxmax()]
    lo = county.loc[county["share"].idxmin()]

    def met(row):
        goal = f"为“{row['target']}”" if row["target"] in ("是", "否") else str(row["target"])
        return f"{names[row['indicator']]}{goal}的村占 {row['share']:.1f}%"

    return (f"{len(county)} 项有目标的指标中，{who}达标面最广的是{met(hi)}，最窄的是{met(lo)}"
            "（见各分项的达标表和汇总表“目标达成”）。")


def _review(review: pd.DataFrame, top: str, low: tuple[str, ...]) -> str | None:
    """Who is rated ``top`` and who is rated one of ``low`` (the catalogue's grades below the
    second best, best first: 一般、差 by default)."""
    if review.empty:
        return None
    grades = review["grade"].astype(str)
    good = review.loc[grades.str.startswith(top), "secretary"].tolist()
    weak = [f"{n}（{g}）" for n, g in zip(review["secretary"], grades) if g.startswith(low)]
    text = f"述职评议 {len(review)} 名书记中评为“{top}”的 {len(good)} 人" + (f"：{tk.listed(good, most=8)}" if good else "")
    named = "或".join(f"“{g}”" for g in low)
    text += "；" + (f"评为{named}的：{tk.listed(weak, most=8)}。" if weak else f"没有书记评为{named}。")
    return text


def report_conclusions(tables: dict, scores: pd.DataFrame, year: int, *, catalog=None) -> list[str]:
    """The 主要结论 of ``year``: five to eight Chinese sentences, in the order of the report.

    Parameters
    ----------
    tables : dict of DataFrame
        :func:`~dangjian_analysis.documents.report_tables.build_tables` of ``year`` (English ids;
        a missing table raises :class:`KeyError`).
    scores : DataFrame
        ``score_composite`` output (all years: the change is against ``year - 1``).
    year : int
    catalog : Catalog, optional

    Returns
    -------
    list of str
        County mean and its change; first and last township; the strongest and weakest
        sub-index; 晋位升级 and 降级 naming the townships; 倒排 naming the villages; target
        attainment; 述职评议 naming who is rated 好 and who 一般/差; with a 考核细则 (an
        ``assessment`` table), the year's result: counts per grade, 待定 and 一票否决 named.

    >>> report_conclusions(tables, scores, 2015)[0]  # doctest: +SKIP
    '2015年全县乡镇综合指数平均 66.4 分，比2014年（60.1 分）提高 6.3 分。'
    """
    sentences = [_average(scores, year, catalog), tk.takeaway_ranking(scores, year, catalog)]
    doubt = _doubtful(tables["doubtful"], catalog_of(scores, catalog))
    if doubt:
        sentences.append(doubt)
    try:
        sentences.append(tk.takeaway_groups(scores, year, catalog))
    except ValueError:
        pass
    cat = catalog_of(scores, catalog)
    ladder = [g for g, _ in cat.review.grade_rules]            # worst first, the top grade last
    top, low = ladder[-1], tuple(reversed(ladder[:-2]))
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    overall = scores[(scores["group"] == "overall") & (scores["year"] == year)].dropna(subset=["score"])
    who = county_word(overall["unit_name"], cat)
    for sentence in (_moves(tables["moves"], who), _bottom(tables["bottom"]), _attainment(tables["attainment"], names, who),
                     _review(tables["review"], top, low)):
        if sentence:
            sentences.append(sentence)
    if "assessment" in tables:               # a 考核细则: its result is the ninth sentence at most
        from .report_assessment import assessment_sentence

        annual = assessment_sentence(tables["assessment"], getattr(cat, "assessment", None))
        return [*sentences[:8], *([annual] if annual else [])]
    return sentences[:8]
