"""反馈单 per township: read back with python-docx — sections in order, the township's numbers equal
to the report model's tables, 倒排 villages or none, the 考核细则 lines, 待核实, the narrative placed
or pending, the draft mark and the same bytes on a rebuild."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import docx
import pytest
from docx.oxml.ns import qn

from dangjian_analysis.documents.feedback import (FEEDBACK_FOLDER, PENDING_TEXT, SECTIONS, feedback_title,
                                                  write_feedback, write_township_feedback)


@pytest.fixture(scope="module")
def model():
    """The bundled sample's report model of 2015, built once for this module (about 5 s)."""
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import load_data, score_data

    cat, ds = load_data(None)
    scored = score_data(ds, cat, draws=200)
    return build_model(ds, None, catalog=cat, scores=scored.scores, villages=scored.villages,
                       uncertainty=scored.uncertainty)


@pytest.fixture(scope="module")
def written(model, tmp_path_factory):
    return write_feedback(model, tmp_path_factory.mktemp("feedback"))


def _doc(paths, town):
    return docx.Document(str(next(p for p in paths if p.stem == town)))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _after(texts, heading, count=1):
    start = texts.index(heading)
    return texts[start + 1:start + 1 + count]


def test_one_file_per_township_in_ranking_order(model, written):
    ranking = model.table("ranking")
    assert [p.name for p in written] == [f"{t}.docx" for t in ranking["township"]]
    assert {p.parent.name for p in written} == {FEEDBACK_FOLDER}
    assert len(written) == 10


def test_title_addressee_and_sections_in_order(model, written):
    texts = _texts(_doc(written, "东山镇"))
    assert texts[0] == "示例县（虚构）2015年度基层党建考核反馈单（东山镇）" == feedback_title(model, "东山镇")
    assert texts[2] == "东山镇党委："                              # 主送 the township's Party committee
    positions = [texts.index(h) for h in SECTIONS]
    assert positions == sorted(positions) and len(SECTIONS) == 7
    assert SECTIONS[0] == "一、综合指数、名次和等次" and SECTIONS[-1] == "七、亮点、问题和整改要求"


def test_headline_and_history_equal_the_scores(model, written):
    document = _doc(written, "东山镇")
    row = model.table("ranking").set_index("township").loc["东山镇"]
    assert (round(row["score"], 1), int(row["rank"]), row["grade"]) == (78.4, 2, "一般")     # the sample's 2015
    headline = _after(_texts(document), SECTIONS[0])[0]
    assert headline.startswith("2015年度综合指数 78.4 分，在全县 10 个乡镇中列第 2 名，等次为“一般”")
    assert "比2014年（65.6 分）提高 12.8 分，名次不变" in headline         # 78.4 − 65.6, rank 2 both years
    history = _rows(document.tables[0])
    assert history[0] == ["项目", "2012年", "2013年", "2014年", "2015年"]
    assert history[1] == ["综合指数", "47.1", "55.2", "65.6", "78.4"]
    assert history[2] == ["名次", "第2名", "第1名", "第2名", "第2名"]
    assert history[3][0] == "等次" and history[3][-1] == "一般"
    assert len(document.inline_shapes) == 1                           # the small chart


def test_sub_indices_against_the_county_mean(model, written):
    table = _rows(_doc(written, "东山镇").tables[1])
    ranking = model.table("ranking")
    names = dict(zip(model.catalog.groups["group"], model.catalog.groups["name"]))
    assert [h.replace("\n", "") for h in table[0][1:]] == [names[g] for g in model.catalog.groups["group"]]
    mine = ranking.set_index("township").loc["东山镇"]
    assert table[1][1:] == [f"{mine[f'index:{g}']:.1f}" for g in model.catalog.groups["group"]]
    assert table[1][1] == "76.9" and table[2][0] == "全县平均"
    assert table[2][1:] == [f"{ranking[f'index:{g}'].mean():.1f}" for g in model.catalog.groups["group"]]
    gap = mine["index:demo"] - ranking["index:demo"].mean()
    assert table[3][1] == f"{gap:.1f}"


def test_weakest_three_indicators_with_villages(model, written):
    document = _doc(written, "青石乡")
    ind = model.table("indicator_scores")
    mine = ind[ind["township"] == "青石乡"].dropna(subset=["score"]).sort_values("score", kind="stable")
    names = dict(zip(model.catalog.indicators["id"], model.catalog.indicators["name"]))
    table = _rows(document.tables[2])
    assert table[0] == ["指标", "单位", "本乡镇", "全县平均", "得分", "全县平均得分"]
    assert [r[0] for r in table[1:]] == [names[i] for i in mine["indicator"].head(3)]
    assert [r[4] for r in table[1:]] == [f"{s:.1f}" for s in mine["score"].head(3)]
    first = mine.iloc[0]["indicator"]
    assert table[1][5] == f"{ind.loc[ind['indicator'] == first, 'score'].mean():.1f}"
    # 党员轮训率 (training_rate, village level): the three villages with the lowest values of 2015
    src = model.table("sources")
    worst = src[(src["township"] == "青石乡") & (src["indicator"] == "training_rate")
                & (src["year"] == 2015)].nsmallest(3, "value", keep="first")
    assert len(worst) == 3
    line = next(t for t in _texts(document) if t.startswith("数值最差的村："))
    assert "党员轮训率：" + "、".join(f"{v} {x:g}%" for v, x in zip(worst["unit_name"], worst["value"])) in line


def test_worst_villages_are_of_the_report_year_only(model, written):
    from dangjian_analysis.documents._feedback_parts import _worst_villages

    # 东山镇 2015 村集体经济收入 (万元), read off data/sample/东山镇.xlsx 村级指标 X49:X63: the lowest
    # are 丰湾村 2.13, 石岗村 2.19, 朝沟村 2.25 (石岗村's 1.85 of 2013 and 1.95 of 2014 are not this year's)
    expected = "丰湾村 2.13万元、石岗村 2.19万元、朝沟村 2.25万元"
    assert _worst_villages(model, "东山镇", "collective_income") == expected
    line = next(t for t in _texts(_doc(written, "东山镇")) if t.startswith("数值最差的村："))
    assert f"村集体经济收入：{expected}" in line and "1.85" not in line and "1.95" not in line


def test_worst_level_of_yes_no_and_ordinal_indicators(model):
    from dangjian_analysis.documents._feedback_parts import _worst_villages

    # 2015 当年整顿转化 applies to the two listed villages: 福塘村 0 (not turned), 上湾村 1 (good, never named)
    assert _worst_villages(model, "东山镇", "weak_turned") == "福塘村（否）"
    # 党组织等次 1–4 (higher): the worst level read is 3 (5 villages), the first three in the sheet's order
    assert _worst_villages(model, "东山镇", "org_grade") == "朝沟村 3级、石岗村 3级、丰湾村 3级"
    # 列为软弱涣散 (lower is better): the villages at 1, 福塘村 (F54) and 上湾村 (F61)
    assert _worst_villages(model, "东山镇", "weak_listed") == "福塘村（是）、上湾村（是）"
    bare = model.table("sources")
    ones = bare.assign(value=bare["value"].where(bare["indicator"] != "weak_turned", 1.0))
    held = replace(model, tables=MappingProxyType({**model.tables, "sources": ones}))
    assert _worst_villages(held, "东山镇", "weak_turned") == ""        # every listed village turned: nothing named


def test_bottom_villages_with_reasons_or_none(model, written):
    bottom = model.table("bottom")
    mine = bottom[bottom["township"] == "青石乡"]
    assert len(mine) == 5
    table = next(t for t in _doc(written, "青石乡").tables if t.rows[0].cells[0].text == "倒排序号")
    rows = _rows(table)
    assert [r[1] for r in rows[1:]] == mine["village"].tolist()
    assert [r[2] for r in rows[1:]] == [f"{s:.1f}" for s in mine["score"]]
    assert rows[1][5] == "连续2年未发展党员"          # the reason after the shared 综合指数位于全县最低的 10%
    assert not (bottom["township"] == "东山镇").any()
    texts = _texts(_doc(written, "东山镇"))
    assert _after(texts, SECTIONS[3]) == ["你镇本年度没有村（社区）列入倒排整顿名单。"]


def test_review_assessment_and_rubric_lines(model, written):
    document = _doc(written, "东山镇")
    review, assessment = _after(_texts(document), SECTIONS[4], 2)
    r = model.table("review").set_index("secretary").loc["赵立新"]
    assert review == (f"党委书记赵立新述职评议：有效票 {int(r['valid'])} 张，好票率 {r['top_rate']:.1%}，好评率 "
                      f"{r['good_rate']:.1%}，差评率 {r['bad_rate']:.1%}，得分 {r['score']:.1f} 分，等次为“好”，"
                      "在 10 名乡镇党委书记中列第 2 名。")
    a = model.table("assessment").set_index("unit").loc["东山镇党委"]
    assert f"综合得分 {round(a['annual'], 2):g} 分" in assessment and f"等次为“{a['grade']}”" in assessment
    detail = model.table("assessment_detail")
    detail = detail[detail["unit"] == "东山镇党委"]
    lines = next(t for t in document.tables if t.rows[0].cells[0].text == "编号")
    assert [r[0] for r in _rows(lines)[1:]] == detail["item"].tolist()
    assert _rows(lines)[1][:4] == ["T04", "群众满意度", "10.33/15", "-4.67"]


def test_pending_items_listed(model, tmp_path):
    texts = _texts(_doc(write_feedback(model, tmp_path), "东山镇"))
    assert _after(texts, SECTIONS[5]) == ["无（你镇的数据和结果没有待核实的事项）。"]
    ranking = model.table("ranking").copy()
    ranking.loc[ranking["township"] == "东山镇", "provisional_reason"] = "2个村未报送"
    held = replace(model, tables=MappingProxyType({**model.tables, "ranking": ranking}))
    path = write_township_feedback(held, "东山镇", tmp_path / "held.docx")
    assert _after(_texts(docx.Document(str(path))), SECTIONS[5]) == ["1. 综合指数、名次和等次待核实：2个村未报送"]


class _Words:
    """A Narrative-like stand-in: 亮点 written for 东山镇, everything else missing."""

    def paragraphs(self, part, township=None):
        return ("党员教育扎实。", "示范创建领先。") if (part, township) == ("亮点", "东山镇") else ()


def test_narrative_placed_and_pending(model, tmp_path):
    path = write_township_feedback(replace(model, narrative=_Words()), "东山镇", tmp_path / "n.docx")
    document = docx.Document(str(path))
    texts = _texts(document)
    assert _after(texts, SECTIONS[6], 4) == ["（一）亮点。党员教育扎实。", "示范创建领先。", f"（二）问题。{PENDING_TEXT}",
                                            f"（三）整改要求。{PENDING_TEXT}"]
    lead = next(p for p in document.paragraphs if p.text.startswith("（一）亮点"))
    assert lead.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


def test_draft_mark_in_title_and_header(model, tmp_path):
    final = docx.Document(str(write_township_feedback(replace(model, draft=False), "东山镇", tmp_path / "f.docx")))
    draft = docx.Document(str(write_township_feedback(replace(model, draft=True), "东山镇", tmp_path / "d.docx")))
    assert _texts(final)[0] == "示例县（虚构）2015年度基层党建考核反馈单（东山镇）"
    assert _texts(draft)[0] == "示例县（虚构）2015年度基层党建考核反馈单（东山镇）（征求意见稿）"
    assert draft.sections[0].header.paragraphs[0].text == "征求意见稿"
    assert final.sections[0].header.paragraphs[0].text == ""


def test_same_bytes_on_rebuild(model, written, tmp_path):
    again = write_feedback(model, tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


def test_unknown_township_is_one_chinese_line(model, tmp_path):
    with pytest.raises(ValueError, match="2015年度的综合排名中没有“东山”，不能生成其反馈单"):
        write_township_feedback(model, "东山", tmp_path / "x.docx")
