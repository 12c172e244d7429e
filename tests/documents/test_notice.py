"""通报.docx: the GB/T 9704—2012 elements in order, grades with counts and names in the catalogue's
order, no scores unless asked, dates in Chinese numerals, blanks to fill, drafts, byte identity."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from dangjian_analysis.catalog.assessment import Consequence
from dangjian_analysis.catalog.notice import Notice
from dangjian_analysis.documents._notice_text import chinese_date
from dangjian_analysis.documents.notice import write_notice

#: One grade per unit in the catalogue's order of secretaries (S01 … S19).
GRADES = ["好", "较好", "好", "待定", "待定", "较好", "一般", "较好", "差", "一般",
          "好", "较好", "较好", "一般", "取消评选资格", "好", "一般", "较好", "一般"]
NOTICE = Notice(issuer="中共示例县委组织部", number="示组通〔{next_year}〕1号", to="各乡镇党委，县直各党（工）委",
                date=dt.date(2017, 2, 20), cc="县委办公室，县纪委监委", printed_by="中共示例县委组织部办公室")


def _catalog(catalog, **notice):
    return dataclasses.replace(catalog, notice=dataclasses.replace(NOTICE, **notice))


def _results(catalog, year=2016):
    """Scores rise down the catalogue (70, 71, …): an order by score would put the 县直 units first."""
    s = catalog.secretaries
    vetoes = [""] * 19
    vetoes[14] = ("F02 弄虚作假（取消评选资格；台账 1 条（/srv/县级数据.xlsx 加减分台账!C9））；"
                  "F01 发生严重违纪违法案件（不得评为最好等次；台账 1 条（/srv/县级数据.xlsx 加减分台账!C8））")
    frame = pd.DataFrame({"year": year, "unit": s["unit"], "secretary": s["name"], "class": s["type"],
                          "annual": [70.0 + i for i in range(19)], "grade": GRADES, "vetoes": vetoes, "pending": "",
                          "consequence": "", "rectify_days": pd.array([None] * 19, dtype="Int64")})
    # the frame comes in score order, best first: the 通报 must not follow it
    return frame.iloc[::-1].reset_index(drop=True)


def _texts(path):
    doc = Document(str(path))
    return doc, [p.text for p in doc.paragraphs]


def _after(texts, *wanted):
    """Indices of each ``wanted`` in turn: the first paragraph after the previous one that starts
    with it (StopIteration when one is missing or out of order)."""
    at = [-1]
    for w in wanted:
        at.append(next(i for i, t in enumerate(texts) if i > at[-1] and t.startswith(w)))
    return at[1:]


@pytest.fixture(scope="module")
def written(catalog, tmp_path_factory):
    path = tmp_path_factory.mktemp("notice") / "通报.docx"
    results = _results(catalog)
    before = results.copy()
    write_notice(results, _catalog(catalog), 2016, path)
    pd.testing.assert_frame_equal(results, before)              # input not modified
    return path


def test_elements_in_the_order_of_the_standard(written):
    doc, texts = _texts(written)
    _after(texts, "中共示例县委组织部文件", "示组通〔2017〕1号", "关于2016年度党组织书记抓基层党建工作考核结果的通报",
           "各乡镇党委，县直各党（工）委：", "一、基本情况", "二、考核结果", "三、工作要求",
           "附件：1. 2016年度党组织书记抓基层党建工作考核等次汇总表", "2. 整改清单", "中共示例县委组织部",
           "二〇一七年二月二十日", "附件1", "2016年度党组织书记抓基层党建工作考核等次汇总表")
    header = doc.paragraphs[0]
    assert header.runs[0].font.color.rgb == (0xFF, 0x00, 0x00)                       # red 发文机关标志
    assert header.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    number = next(p for p in doc.paragraphs if p.text == "示组通〔2017〕1号")
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000"                                          # the red separator line
    title = next(p for p in doc.paragraphs if p.text.startswith("关于2016年度"))
    assert title.runs[0].font.size.pt == 22 and title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("按照2016年度"))
    assert body.runs[0].font.size.pt == 16 and body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent.pt == 32                              # two characters
    assert doc.styles["Normal"].paragraph_format.line_spacing.pt == pytest.approx(28.95)  # 22 lines in 225 mm
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225


def test_the_record_is_a_box_at_the_foot_of_the_last_page_after_the_annex_table(written):
    body = Document(str(written)).element.body
    children = [c for c in body if c.tag != qn("w:sectPr")]
    table_at = max(i for i, c in enumerate(children) if c.tag == qn("w:tbl"))
    box_at = next(i for i, c in enumerate(children) if c.find(".//" + qn("w:txbxContent")) is not None)
    assert box_at == len(children) - 1 > table_at
    box = children[box_at]
    lines = ["".join(t.text for t in p.iter(qn("w:t"))) for p in box.find(".//" + qn("w:txbxContent"))]
    assert lines == ["抄送：县委办公室，县纪委监委。", "中共示例县委组织部办公室2017年2月20日印发"]
    style = next(e for e in box.iter() if e.tag.endswith("}shape")).get("style")
    assert "mso-position-vertical:bottom" in style and "mso-position-vertical-relative:margin" in style


def test_grades_best_first_with_counts_and_names_in_catalogue_order(written):
    _, texts = _texts(written)
    results = [t for t in texts if re.match(r"（[一二三四五六]）", t) and "名）" in t]
    assert results == [
        "（一）“好”等次（4名）。乡镇党委书记：东山镇党委（赵立新）、南岭镇党委（孙建平）；"
        "县直党（工）委书记：县直机关工委（褚明远）、县非公经济组织党工委（杨秀英）。",
        "（二）“较好”等次（6名）。乡镇党委书记：西河乡党委（钱文华）、白沙镇党委（吴春梅）、金谷镇党委（王海涛）；"
        "县直党（工）委书记：县教育工委（卫红霞）、县卫生系统党委（蒋德胜）、县经济开发区党工委（秦卫国）。",
        "（三）“一般”等次（5名）。乡镇党委书记：红旗乡党委（郑国庆）、石桥镇党委（陈永刚）；"
        "县直党（工）委书记：县公安局党委（沈丽君）、县社会组织党委（朱振华）、县农业系统党委（尤建军）。",
        "（四）“差”等次（1名）。乡镇党委书记：柳溪乡党委（冯玉兰）。",
        "（五）等次待定（2名）。乡镇党委书记：北塘镇党委（李晓东）、青石乡党委（周志强）。"
        "上述单位综合得分并列于等次名额的分界处，等次待县委组织部部务会研究确定。",
        "（六）取消评选资格（1名）。县直党（工）委书记：县国资委党委（韩志勇），因弄虚作假、发生严重违纪违法案件。",
    ]
    basics = next(t for t in texts if t.startswith("按照2016年度"))
    assert "全县19名党组织书记" in basics and "乡镇党委书记10名、县直党（工）委书记9名" in basics
    assert "综合得分按日常考核占50%、述职评议占30%、群众满意度测评占20%计算" in basics


def test_no_score_anywhere_unless_show_scores(written, catalog, tmp_path):
    doc, texts = _texts(written)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not [t for t in texts + cells if re.search(r"\d+\.\d\d", t)]
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["序号", "单位", "书记", "类别", "等次"]
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["1", "东山镇党委", "赵立新", "乡镇党委书记", "好"]
    path = write_notice(_results(catalog), _catalog(catalog, show_scores=True), 2016, tmp_path / "分.docx")
    doc, texts = _texts(path)
    assert "东山镇党委（赵立新，70.00分）" in next(t for t in texts if t.startswith("（一）"))
    results = _results(catalog)
    results.loc[results["unit"] == "南岭镇党委", "annual"] = float("nan")
    _, texts = _texts(write_notice(results, _catalog(catalog, show_scores=True), 2016, tmp_path / "缺.docx"))
    assert "南岭镇党委（孙建平，得分待核实）" in next(t for t in texts if t.startswith("（一）"))
    assert [c.text for c in doc.tables[0].rows[0].cells][-1] == "综合得分"
    assert [c.text for c in doc.tables[0].rows[19].cells] == ["19", "县农业系统党委", "尤建军", "县直党（工）委书记",
                                                              "一般", "88.00"]


def test_results_use_the_grade_consequences_and_the_report_deadline(catalog, tmp_path):
    """The results' 结果运用 where they carry one, else the catalogue's for the grade; grades without units
    (none here) or without a consequence say nothing."""
    results = _results(catalog)
    results.loc[results["grade"] == "差", ["consequence", "rectify_days"]] = ["通报批评，扣减下年度党建工作经费 10%", 30]
    results.loc[results["grade"] == "好", "consequence"] = "通报表扬，按 110% 兑现下年度党建工作经费"
    cat = _catalog(catalog)
    rules = (Consequence("一般", "由县委组织部约谈党组织书记", 15), Consequence("待定", "不写"),
             Consequence("取消评选资格", "责令作出书面检查。"))
    cat = dataclasses.replace(cat, assessment=dataclasses.replace(cat.assessment, consequences=rules))
    _, texts = _texts(write_notice(results, cat, 2016, tmp_path / "a.docx"))
    start = texts.index("三、工作要求")
    assert texts[start + 1:start + 7] == [
        "（一）兑现结果运用。对评为“好”等次的单位，通报表扬，按 110% 兑现下年度党建工作经费。",
        "对评为“一般”等次的单位，由县委组织部约谈党组织书记，并于本通报印发之日起15日内向县委组织部报送书面整改报告。",
        "对评为“差”等次的单位，通报批评，扣减下年度党建工作经费 10%，并于本通报印发之日起30日内向县委组织部报送书面整改报告。",
        "对评为“待定”等次的单位，不写。",
        "对取消评选资格的单位，责令作出书面检查。",
        "（二）抓好问题整改。各单位要对照考核中发现的问题（见附件2），逐项制定整改措施，明确责任人和整改时限，"
        "按期完成整改，并将整改情况报县委组织部。"]


@pytest.mark.parametrize("date, words", [(dt.date(2017, 2, 20), "二〇一七年二月二十日"),
                                         (dt.date(2016, 10, 1), "二〇一六年十月一日"),
                                         (dt.date(2020, 12, 31), "二〇二〇年十二月三十一日"),
                                         (None, "    年  月  日")])
def test_chinese_numeral_dates(date, words):
    assert chinese_date(date) == words


def test_blank_date_and_number_to_fill_by_hand_and_a_draft(catalog, tmp_path):
    cat = _catalog(catalog, date=None, number=None)
    path = write_notice(_results(catalog), cat, 2016, tmp_path / "草稿.docx", draft=True)
    doc, texts = _texts(path)
    assert "〔    〕号" in texts
    assert texts.index("    年  月  日") == texts.index("中共示例县委组织部") + 1
    assert "关于2016年度党组织书记抓基层党建工作考核结果的通报（征求意见稿）" in texts
    assert doc.sections[0].header.paragraphs[0].text == "征求意见稿"
    record = [t.text for t in doc.element.body.iter(qn("w:t")) if t.text.endswith("印发")]
    assert record == ["    年  月  日印发"]
    assert not [t for t in texts if re.search(r"20\d\d年\d+月\d+日", t)]                 # never today's date


def test_pending_units_and_missing_notice(catalog, tmp_path):
    results = _results(catalog)
    results.loc[results["unit"] == "东山镇党委", ["grade", "pending"]] = ["待核实", "A01、J01"]
    results.loc[results["unit"] == "南岭镇党委", "pending"] = "G01"
    doc, texts = _texts(write_notice(results, _catalog(catalog), 2016, tmp_path / "p.docx"))
    assert next(t for t in texts if t.startswith("（一）")).startswith(
        "（一）“好”等次（3名）。乡镇党委书记：南岭镇党委（孙建平）（待核实）；")
    assert next(t for t in texts if t.startswith("（七）")) == (
        "（七）等次待核实（1名）。乡镇党委书记：东山镇党委（赵立新）。上述单位的考核数据尚待核实，等次待核实后另行通报。")
    assert [c.text for c in doc.tables[0].rows[1].cells][-1] == "待核实"
    assert [c.text for c in doc.tables[0].rows[3].cells][-1] == "好（待核实）"
    with pytest.raises(ValueError, match=r"没有 \[notice\]"):
        write_notice(results, dataclasses.replace(catalog, notice=None), 2016, tmp_path / "x.docx")
    with pytest.raises(ValueError, match="没有 2015 年度"):
        write_notice(results, _catalog(catalog), 2015, tmp_path / "x.docx")


def test_texts_are_made_safe_and_bytes_are_the_same_on_rebuild(catalog, tmp_path):
    results = _results(catalog)
    results.loc[results["unit"] == "柳溪乡党委", "secretary"] = "冯玉兰\x1b[31m"
    a = write_notice(results, _catalog(catalog), 2016, tmp_path / "a.docx")
    b = write_notice(results, _catalog(catalog), 2016, tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes()
    assert "柳溪乡党委（冯玉兰〔U+001B〕[31m）" in next(t for t in _texts(a)[1] if "“差”等次" in t)


def test_a_january_draft_says_pending_once_in_the_county_word(catalog, tmp_path):
    """No unit graded yet (the county tables not in): one sentence, no 19 names, no 汇总表 of 待核实
    rows; the 整改清单 becomes 附件1; title and header carry the catalogue's word for a draft."""
    from dangjian_analysis.catalog.report_words import ReportWords

    results = _results(catalog).assign(grade="待核实", pending="A01、J01")
    cat = dataclasses.replace(_catalog(catalog), report=ReportWords(draft="讨论稿"))
    doc, texts = _texts(write_notice(results, cat, 2016, tmp_path / "一月.docx", draft=True))
    assert "关于2016年度党组织书记抓基层党建工作考核结果的通报（讨论稿）" in texts
    assert doc.sections[0].header.paragraphs[0].text == "讨论稿"
    result = texts[texts.index("二、考核结果") + 1]
    assert result == "全县19名党组织书记的考核数据尚未报送齐全，考核等次均待核实，待数据报送齐全并核实后另行通报。"
    assert texts[texts.index("二、考核结果") + 2] == "三、工作要求"
    assert sum("待核实" in t for t in texts) == 1 and not any("东山镇党委" in t for t in texts)
    assert "现将考核进展通报如下。" in texts and "现将考核结果通报如下。" not in texts
    assert doc.tables == [] and "附件1" not in texts
    assert "附件：1. 整改清单" in texts and any("（见附件1）" in t for t in texts)
    assert not any("（征求意见稿）" in t or "（见附件2）" in t for t in texts)


def test_a_draft_without_a_county_word_is_a_zhengqiu_yijian_draft(catalog, tmp_path):
    results = _results(catalog).assign(grade="待核实")
    doc, texts = _texts(write_notice(results, _catalog(catalog), 2016, tmp_path / "d.docx", draft=True,
                                     rectification=False))
    assert "关于2016年度党组织书记抓基层党建工作考核结果的通报（征求意见稿）" in texts
    assert doc.sections[0].header.paragraphs[0].text == "征求意见稿"
    assert not any(t.startswith("附件") for t in texts)                   # nothing to attach
