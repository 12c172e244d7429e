"""The report's 述职评议与年度考核 under a 考核细则, and summary.xlsx's 考核等次 / 考核得分 sheets.

A hand-made year of three units (two townships, one 县直 unit) on the default catalogue's rubric
ids; every expected number below is worked by hand from the rows written here:

- 东山镇党委: A01 8/8, A02 6/6, T01 7/10 (2 示范点 of 3: −3), T04 13.5/15; J01 two entries
  (4, cap 3 → +3); 基础分 34.5, 加分 3, 扣分 0, 日常考核 37.5; 好.
- 西河乡党委: A01 4/8 (会议记录 missing: −4), A02 2/6 (two entries: −4), T01 10/10, T04 12/15;
  K01 one entry (−2); 基础分 28, 扣分 2, 日常考核 26; 一般 by the gate G01.
- 县直机关工委: A01 8/8, A02 6/6, D03 30/30; F02 one entry: 取消评选资格.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.documents.assessment_tables import (detail_table, parts_table, results_table,
                                                            trace_table)
from dangjian_analysis.documents.report_assessment import (assessment_sentence, class_sentence, unit_paragraph,
                                                           write_assessment)
from helpers import recorder

LEDGER = "/data/县级数据.xlsx"
NAMES = {LEDGER: "县级数据.xlsx", "/data/东山镇.xlsx": "东山镇.xlsx", "/data/西河乡.xlsx": "西河乡.xlsx"}
TOWN, TOWN_CLASS, DEPT, DEPT_CLASS = "乡镇党委书记", "乡镇党委书记", "县直机关工委", "县直党（工）委书记"


def _row(unit, secretary, cls, section, item, part, name, points, earned, deducted, entries, basis):
    return {"year": 2015, "unit": unit, "section": section, "item": item, "part": part, "name": name,
            "points": points, "earned": earned, "deducted": deducted, "entries": entries, "basis": basis,
            "pending": False, "class": cls, "secretary": secretary}


def _breakdown() -> pd.DataFrame:
    nan = math.nan
    rows = []
    for unit, sec in (("东山镇党委", "赵立新"), ("西河乡党委", "钱文华")):
        east = unit == "东山镇党委"
        rows += [
            _row(unit, sec, TOWN_CLASS, "item", "A01", "责任落实", "党建工作责任制资料齐全", 8.0, 8.0 if east else 4.0,
                 0.0 if east else 4.0, 0 if east else 1,
                 "清单 3 项齐全，不扣分" if east else "缺 1 项（会议记录），每项扣 4 分，应扣 4 分"),
            _row(unit, sec, TOWN_CLASS, "item", "A02", "责任落实", "党费收缴使用管理规范", 6.0, 6.0 if east else 2.0,
                 0.0 if east else 4.0, 0 if east else 2,
                 "台账无记录，不扣分" if east else
                 f"台账 2 条（{LEDGER} 加减分台账 C5；{LEDGER} 加减分台账 C6），每条 2 分，应扣 4 分"),
            _row(unit, sec, TOWN_CLASS, "item", "T01", "示范创建", "县级以上示范点建设", 10.0, 7.0 if east else 10.0,
                 3.0 if east else 0.0, 0,
                 "县级以上示范点 2 个，要求 3 个，少 1，每少 1 个扣 3 分，应扣 3 分" if east else
                 "县级以上示范点 3 个，达到要求 3 个，不扣分"),
            _row(unit, sec, TOWN_CLASS, "item", "T04", "群众满意", "群众满意度", 15.0, 13.5 if east else 12.0,
                 1.5 if east else 3.0, 0, "群众满意度 指标得分 90（满分 100），得 15 × 90 ÷ 100 = 13.5 分" if east
                 else "群众满意度 指标得分 80（满分 100），得 15 × 80 ÷ 100 = 12 分"),
            _row(unit, sec, TOWN_CLASS, "bonus", "J01", "加分", "受到省级以上表彰", 3.0, 3.0 if east else 0.0, 0.0,
                 2 if east else 0, f"台账 2 条（{LEDGER} 加减分台账 C3；{LEDGER} 加减分台账 C4），每条 2 分，加 4 分，"
                 "本项最高 3 分，计 3 分" if east else "台账无记录，不加分"),
            _row(unit, sec, TOWN_CLASS, "deduction", "K01", "扣分", "被县级以上通报批评", nan, 0.0 if east else -2.0,
                 0.0 if east else 2.0, 0 if east else 1,
                 "台账无记录，不扣分" if east else f"台账 1 条（{LEDGER} 加减分台账 C7），每条 2 分，扣 2 分"),
            _row(unit, sec, TOWN_CLASS, "veto", "F02", "一票否决", "考核中弄虚作假", nan, 0.0, 0.0, 0, "台账无记录"),
        ]
    sec = "褚明远"
    rows += [
        _row(DEPT, sec, DEPT_CLASS, "item", "A01", "责任落实", "党建工作责任制资料齐全", 8.0, 8.0, 0.0, 0, "清单 3 项齐全，不扣分"),
        _row(DEPT, sec, DEPT_CLASS, "item", "A02", "责任落实", "党费收缴使用管理规范", 6.0, 6.0, 0.0, 0, "台账无记录，不扣分"),
        _row(DEPT, sec, DEPT_CLASS, "item", "D03", "重点任务", "年度基层党建重点任务完成", 30.0, 30.0, 0.0, 0, "台账无记录，不扣分"),
        _row(DEPT, sec, DEPT_CLASS, "bonus", "J01", "加分", "受到省级以上表彰", 3.0, 0.0, 0.0, 0, "台账无记录，不加分"),
        _row(DEPT, sec, DEPT_CLASS, "deduction", "K01", "扣分", "被县级以上通报批评", nan, 0.0, 0.0, 0, "台账无记录，不扣分"),
        _row(DEPT, sec, DEPT_CLASS, "veto", "F02", "一票否决", "考核中弄虚作假", nan, 0.0, 0.0, 1,
             f"台账 1 条（{LEDGER} 加减分台账 C8）"),
    ]
    return pd.DataFrame(rows)


GATE = "G01 群众满意度低于 82% 的不得评为好、较好（满意度 80）"
VETO = f"F02 考核中弄虚作假（取消评选资格；台账 1 条（{LEDGER} 加减分台账 C8））"


def _results() -> pd.DataFrame:
    base = {"year": 2015, "bonus_raw": 0.0, "eligible": True, "not_top": False, "vetoes": "", "gates": "",
            "pending": "", "note": "", "rectify_days": math.nan, "parts": "日常考核+述职评议+群众满意度"}
    rows = [   # 县直 first: the table orders by the catalogue's classes, not by the rows given
        {**base, "unit": DEPT, "secretary": "褚明远", "class": DEPT_CLASS, "township": None, "base": 44.0,
         "bonus": 0.0, "deduction": 0.0, "routine": 44.0, "review": 91.0, "satisfaction": math.nan, "annual": 85.0,
         "rank": math.nan, "band": "好", "grade": "取消评选资格", "grade_note": "一票否决", "eligible": False,
         "not_top": True, "vetoes": VETO, "note": f"一票否决：{VETO}", "consequence": "取消当年评先评优资格，责令作出书面检查",
         "rectify_days": 30.0, "parts": "日常考核+述职评议"},
        {**base, "unit": "西河乡党委", "secretary": "钱文华", "class": TOWN_CLASS, "township": "西河乡", "base": 28.0,
         "bonus": 0.0, "deduction": 2.0, "routine": 26.0, "review": 80.0, "satisfaction": 80.0, "annual": 70.4,
         "rank": 2.0, "band": "较好", "grade": "一般", "grade_note": "门槛：满意度低于 82%", "gates": GATE,
         "consequence": "由县委组织部约谈党组织书记，限期整改", "rectify_days": 30.0},
        {**base, "unit": "东山镇党委", "secretary": "赵立新", "class": TOWN_CLASS, "township": "东山镇", "base": 34.5,
         "bonus_raw": 3.0, "bonus": 3.0, "deduction": 0.0, "routine": 37.5, "review": 92.0, "satisfaction": 90.0,
         "annual": 88.25, "rank": 1.0, "band": "好", "grade": "好", "grade_note": "",
         "consequence": "通报表扬，按 110% 兑现下年度党建工作经费"},
    ]
    return pd.DataFrame(rows)


def _observations() -> pd.DataFrame:
    return pd.DataFrame([
        {"unit_name": "东山镇", "township": "东山镇", "year": 2015, "indicator": "model_sites", "value": 2.0,
         "source_file": "/data/东山镇.xlsx", "source_sheet": "乡镇指标", "source_cell": "C9"},
        {"unit_name": "东山镇", "township": "东山镇", "year": 2014, "indicator": "model_sites", "value": 1.0,
         "source_file": "/data/东山镇.xlsx", "source_sheet": "乡镇指标", "source_cell": "B9"},
        {"unit_name": "西河乡", "township": "西河乡", "year": 2015, "indicator": "model_sites", "value": 3.0,
         "source_file": "/data/西河乡.xlsx", "source_sheet": "乡镇指标", "source_cell": "C9"}])


def _adjustments() -> pd.DataFrame:
    rows = [("东山镇党委", "J01", "C3"), ("东山镇党委", "J01", "C4"), ("西河乡党委", "A02", "C5"),
            ("西河乡党委", "A02", "C6"), ("西河乡党委", "K01", "C7"), (DEPT, "F02", "C8")]
    return pd.DataFrame([{"year": 2015, "unit": u, "item": i, "source_file": LEDGER, "source_sheet": "加减分台账",
                          "source_cell": c} for u, i, c in rows])


def _checklist() -> pd.DataFrame:
    rows = [("西河乡党委", "会议记录", False, "E4"), ("西河乡党委", "党员名册", True, "E3"),
            ("东山镇党委", "党员名册", True, "E5")]
    return pd.DataFrame([{"year": 2015, "unit": u, "item": "A01", "check": c, "done": d, "source_file": LEDGER,
                          "source_sheet": "考核清单", "source_cell": cell} for u, c, d, cell in rows])


@pytest.fixture(scope="module")
def tables(catalog):
    breakdown, results = _breakdown(), _results()
    return {"assessment": results_table(results, 2015, catalog.assessment, NAMES),
            "assessment_detail": detail_table(breakdown, 2015, NAMES),
            "assessment_parts": parts_table(breakdown, 2015),
            "assessment_scores": trace_table(breakdown, results, 2015, assessment=catalog.assessment,
                                             indicators=catalog.indicators, observations=_observations(),
                                             adjustments=_adjustments(), checklist=_checklist(), names=NAMES)}


def test_results_by_class_then_rank_with_consequences(tables, catalog):
    table = tables["assessment"]
    assert list(table["unit"]) == ["东山镇党委", "西河乡党委", DEPT]      # catalogue's classes, then 名次
    assert list(table["routine"]) == [37.5, 26.0, 44.0]
    row = table.set_index("unit")
    assert row.at["东山镇党委", "consequence"] == "通报表扬，按 110% 兑现下年度党建工作经费"
    assert row.at["西河乡党委", "consequence"] == "由县委组织部约谈党组织书记，限期整改；通报后 30 日内报送书面整改报告"
    assert row.at["东山镇党委", "gates"] == "" and row.at["西河乡党委", "gates"] == GATE
    from dangjian_analysis.documents.assessment_tables import metric_names

    said = results_table(_results().assign(gates="G01 …（satisfaction = 80，至多评为“一般”）"), 2015, None, None,
                         metric_names(catalog))
    assert set(said["gates"]) == {"G01 …（群众满意度 = 80，至多评为“一般”）"}     # no English id for readers


def test_detail_rows_are_the_points_lost_or_added(tables):
    detail = tables["assessment_detail"]
    got = [(u, i, c) for u, i, c in zip(detail["unit"], detail["item"], detail["change"])]
    assert got[:-1] == [("东山镇党委", "T01", -3.0), ("东山镇党委", "T04", -1.5), ("东山镇党委", "J01", 3.0),
                        ("西河乡党委", "A01", -4.0), ("西河乡党委", "A02", -4.0), ("西河乡党委", "T04", -3.0),
                        ("西河乡党委", "K01", -2.0)]
    assert got[-1][:2] == (DEPT, "F02") and math.isnan(got[-1][2])     # a veto acts on the grade, not the number
    j01 = detail[(detail["unit"] == "东山镇党委") & (detail["item"] == "J01")]["basis"].item()
    assert "县级数据.xlsx 加减分台账 C3；县级数据.xlsx 加减分台账 C4" in j01 and "/data/" not in j01


def test_parts_sum_the_items_of_each_part(tables):
    parts = tables["assessment_parts"]
    east = parts[parts["unit"] == "东山镇党委"]
    assert list(zip(east["part"], east["earned"], east["points"])) == [
        ("责任落实", 14.0, 14.0), ("示范创建", 7.0, 10.0), ("群众满意", 13.5, 15.0)]
    assert parts.groupby("unit", sort=False)["earned"].sum().to_dict() == {"东山镇党委": 34.5, "西河乡党委": 28.0,
                                                                          DEPT: 44.0}


def test_every_point_traces_to_its_source(tables):
    trace = tables["assessment_scores"]
    assert len(trace) == 20                                             # 7 + 7 + 6 entries
    at = trace.set_index(["unit", "item"])
    assert tuple(at.loc[("东山镇党委", "T01"), ["source", "indicator", "source_file", "source_sheet", "source_cell"]]) \
        == ("乡镇报表", "model_sites", "东山镇.xlsx", "乡镇指标", "C9")      # the 2015 cell, not 2014's B9
    assert tuple(at.loc[("东山镇党委", "T04"), ["source", "indicator", "source_cell"]]) == ("村级汇总", "satisfaction", "")
    assert tuple(at.loc[("东山镇党委", "J01"), ["source", "source_file", "source_cell"]]) == \
        ("加减分台账", "县级数据.xlsx", "C3、C4")
    assert at.loc[("东山镇党委", "A02"), "source"] == "加减分台账（无记录）"
    assert tuple(at.loc[("西河乡党委", "A01"), ["source", "source_sheet", "source_cell"]]) == ("考核清单", "考核清单", "E4")
    assert at.loc[("东山镇党委", "A01"), "source_cell"] == "E5"           # all done: the cells that say so
    assert at.loc[(DEPT, "F02"), "source_cell"] == "C8" and at.loc[(DEPT, "F02"), "grade"] == "取消评选资格"
    items = trace[(trace["unit"] == "西河乡党委") & (trace["section"] == "考核项目")]
    assert items["earned"].sum() == 28.0 and set(trace["section"]) == {"考核项目", "加分", "扣分", "一票否决"}


def test_unit_paragraphs_say_parts_losses_entries_and_why(tables):
    table, parts, detail = tables["assessment"], tables["assessment_parts"], tables["assessment_detail"]

    def paragraph(unit):
        row = table[table["unit"] == unit].iloc[0]
        return unit_paragraph(row, parts[parts["unit"] == unit], detail[detail["unit"] == unit])

    west = paragraph("西河乡党委")
    assert west.startswith("西河乡党委（钱文华）：基础分 28 分（责任落实 6/14、示范创建 10/10、群众满意 12/15）。")
    assert "失分：A01 党建工作责任制资料齐全 得 4/8 分，缺 1 项（会议记录）" in west
    assert "扣分 2 分：K01 被县级以上通报批评，台账 1 条（县级数据.xlsx 加减分台账 C7）" in west
    assert f"门槛：{GATE}" in west
    assert west.endswith("日常考核 26 分，述职评议 80 分，群众满意度 80，综合得分 70.4 分，类别内第 2 名，等次“一般”（门槛：满意度低于 82%）。")
    east = paragraph("东山镇党委")
    assert "加分 3 分：J01 受到省级以上表彰，台账 2 条" in east and "扣分" not in east
    dept = paragraph(DEPT)
    assert "一票否决：F02 考核中弄虚作假（取消评选资格；台账 1 条（县级数据.xlsx 加减分台账 C8））" in dept
    assert "类别内第" not in dept and "满意度" not in dept        # 县直: no 群众满意度, no 名次 when disqualified
    assert "日常考核 44 分，述职评议 91 分，综合得分 85 分，等次“取消评选资格”（一票否决）" in dept
    assert dept.count("一票否决：F02") == 1 and "/data/" not in dept     # the results' note is not said twice


def test_class_sentence_names_the_undecided_with_the_quota_note(catalog):
    table = pd.DataFrame({"unit": ["甲镇党委", "乙镇党委", "丙乡党委", "丁乡党委"], "grade": ["好", "待定", "待定", "一般"],
                          "grade_note": ["", "名额 1 名，并列 2 名待定", "名额 1 名，并列 2 名待定", ""]})
    assert class_sentence(TOWN_CLASS, table, catalog.assessment) == (
        "乡镇党委书记 4 名：好 1 名（甲镇党委）、一般 1 名（丁乡党委）；待定 2 名（乙镇党委、丙乡党委：名额 1 名，并列 2 名待定），"
        "名次并列跨越名额线，由考核委员会确定。")
    apart = table.assign(grade_note=["", "与丙乡党委并列", "与乙镇党委并列", ""])       # said in each unit's paragraph
    assert "待定 2 名（乙镇党委、丙乡党委），名次并列" in class_sentence(TOWN_CLASS, apart, catalog.assessment)


def test_conclusion_counts_grades_and_names_vetoes(tables, catalog):
    assert assessment_sentence(tables["assessment"], catalog.assessment) == (
        "年度考核 3 个单位中，好 1 个、一般 1 个；一票否决 1 个：县直机关工委（取消评选资格）（见“述职评议与年度考核”）。")
    assert assessment_sentence(tables["assessment"].iloc[0:0], catalog.assessment) is None


def _model(catalog, tables, review=None):
    all_tables = {**tables, "review": pd.DataFrame() if review is None else review,
                  "annual": pd.DataFrame()}
    return SimpleNamespace(catalog=catalog, year=2015, previous=2014, tables=all_tables, charts=(),
                           table=lambda name: all_tables[name])


def test_section_per_class_then_units_then_consequences(catalog, tables):
    from dangjian_analysis.documents.report_content import _review

    w = recorder()
    _review(w, _model(catalog, tables))
    heads = [p[1] for p in w.parts if p[0] == "h"]
    assert heads == ["一、述职评议与年度考核", "（一）述职评议", "（二）年度考核结果", "（三）各单位得分情况", "（四）结果运用"]
    texts = [p[1] for p in w.parts if p[0] == "p"]
    assert texts[1].startswith("日常考核按《党组织书记抓基层党建工作考核》考核细则计分：基础分满分 100 分，加分最高 5 分")
    assert "好（综合得分 ≥85，不超过本类别的 1/3）" in texts[1] and "由考核委员会确定" in texts[1]
    assert texts[2] == "乡镇党委书记 2 名：好 1 名（东山镇党委）、一般 1 名（西河乡党委）。"
    assert texts[3] == "县直党（工）委书记 1 名：因一票否决取消评选资格 1 名（县直机关工委）。"
    assert [(len(t[1]), t[2]) for t in w.parts if t[0] == "t"] == [(2, 2), (1, 2), (3, 1)]   # two class tables (decimals = 2),
    assert "综合得分 = 日常考核（考核细则得分） × 50%＋述职评议得分 × 30%＋群众满意度 × 20%" in texts[1]  # then 结果运用
    assert list(w.parts[-1][1].columns)[-1] == "结果运用"
    assert sum(t.startswith(("东山镇党委（", "西河乡党委（", "县直机关工委（")) for t in texts) == 3


def test_without_a_rubric_the_section_stays_as_before(catalog):
    from dangjian_analysis.documents.assessment_tables import assessment_tables
    from dangjian_analysis.documents.report_content import _review

    plain = dataclasses.replace(catalog, assessment=None)
    assert assessment_tables(SimpleNamespace(), plain, 2015) == {}
    w = recorder()
    _review(w, _model(plain, {}))
    assert [p[1] for p in w.parts if p[0] == "h"] == ["一、述职评议与年度综合考核", "（一）述职评议", "（二）年度综合考核"]


def test_docx_html_and_summary_show_the_section(catalog, tables, tmp_path):
    from docx import Document

    from dangjian_analysis.documents import _docx as dx
    from dangjian_analysis.documents.docx_report import _DocxWriter
    from dangjian_analysis.documents.html_report import _HtmlWriter
    from dangjian_analysis.documents.report_labels import chinese_tables
    from dangjian_analysis.documents.summary import write_summary

    m = _model(catalog, tables)
    doc = Document()
    dx.setup_document(doc)
    write_assessment(_DocxWriter(doc, {}), m)
    paragraphs = [p.text for p in doc.paragraphs]
    assert "（一）年度考核结果" in paragraphs and "（三）结果运用" in paragraphs
    assert any(p.startswith("西河乡党委（钱文华）：基础分 28 分") for p in paragraphs)
    assert [c.text for c in doc.tables[0].rows[0].cells][:3] == ["单位", "书记", "基础分"]
    assert [c.text for c in doc.tables[0].rows[1].cells][8:] == ["88.25", "1", "好"]      # 2 decimals, as ranked
    html = _HtmlWriter({})
    write_assessment(html, m)
    page = "\n".join(html.parts)
    assert "<h3>（二）各单位得分情况</h3>" in page and "<th>综合得分</th>" in page
    assert "县直机关工委（褚明远）：基础分 44 分（责任落实 14/14、重点任务 30/30）" in page

    sheets = chinese_tables(dict(tables), catalog=catalog, year=2015, previous=2014)
    assert list(sheets) == ["考核等次", "考核得分"]                       # 明细 and 分项 are for the report's text
    wb = openpyxl.load_workbook(write_summary(sheets, tmp_path / "summary.xlsx", catalog=catalog))
    ws = wb["考核得分"]
    header = [c.value for c in ws[2]]
    assert header == ["年度", "单位", "书记", "类别", "类型", "大项", "编号", "项目", "分值", "得分", "扣分", "依据", "来源",
                      "指标", "来源文件", "工作表", "单元格", "考核等次"]
    rows = {(r[1].value, r[6].value): r for r in ws.iter_rows(min_row=3)}
    t01 = rows[("东山镇党委", "T01")]
    assert [c.value for c in t01[12:17]] == ["乡镇报表", "县级以上示范点", "东山镇.xlsx", "乡镇指标", "C9"]
    assert t01[9].value == 7 and t01[9].number_format == "0.00" and t01[9].fill.fill_type is None
    assert rows[("西河乡党委", "A01")][16].value == "E4" and rows[("西河乡党委", "A01")][17].value == "一般"
    result = {r[0].value: r for r in wb["考核等次"].iter_rows(min_row=3)}
    head = [c.value for c in wb["考核等次"][2]]
    assert result["东山镇党委"][head.index("综合得分")].value == 88.25
    assert result["西河乡党委"][head.index("结果运用")].value.endswith("通报后 30 日内报送书面整改报告")


def test_pending_entries_are_grouped_by_reason_and_make_a_draft(catalog):
    from dangjian_analysis.documents.model import _pending_assessment
    from dangjian_analysis.documents.report_content import _assessment_held

    nan = math.nan
    rows = [_row("东山镇党委", "赵立新", TOWN_CLASS, s, i, p, name, pts, nan, nan, 0, "未提供加减分台账，待核实")
            for s, i, p, name, pts in (("item", "A02", "责任落实", "党费收缴使用管理规范", 6.0),
                                       ("bonus", "J01", "加分", "受到省级以上表彰", 3.0),
                                       ("deduction", "K01", "扣分", "被县级以上通报批评", nan))]
    rows.append(_row("东山镇党委", "赵立新", TOWN_CLASS, "item", "A01", "责任落实", "党建工作责任制资料齐全", 8.0, nan, nan, 0,
                     "未提供清单完成情况，待核实"))
    rows.append(_row("东山镇党委", "赵立新", TOWN_CLASS, "item", "T01", "示范创建", "县级以上示范点建设", 10.0, 10.0, 0.0,
                     0, "县级以上示范点 3 个，达到要求 3 个，不扣分"))
    for r in rows:
        r["pending"] = math.isnan(r["earned"])
    breakdown = pd.DataFrame(rows)
    results = _results().iloc[[2]].assign(base=18.0, routine=math.nan, annual=math.nan, rank=math.nan,
                                          grade="待核实", pending="A02、J01、K01、A01", grade_note="综合得分待核实",
                                          note="A02、J01、K01、A01 待核实，总分暂不计算")
    table = results_table(results, 2015, catalog.assessment)
    assert table[["base", "bonus", "deduction"]].isna().all(axis=None)   # 18 is the known items only: not shown
    only_bonus = results_table(results.assign(pending="J01"), 2015, catalog.assessment).iloc[0]
    assert only_bonus["base"] == 18.0 and math.isnan(only_bonus["bonus"]) and only_bonus["deduction"] == 0
    detail, parts = detail_table(breakdown, 2015), parts_table(breakdown, 2015)
    text = unit_paragraph(table.iloc[0], parts, detail)
    assert text.startswith("东山镇党委（赵立新）：基础分 — 分（责任落实 —/14、示范创建 10/10）")
    assert "待核实：A02、J01、K01（未提供加减分台账）；A01（未提供清单完成情况）" in text
    assert "加分" not in text and "扣分" not in text                      # not known, not said as 0
    assert "总分暂不计算" not in text                                      # the note's pending list is said once
    m = _model(catalog, {"assessment": table})
    assert _pending_assessment({"assessment": table})
    assert _assessment_held(m) == "年度考核有 1 个单位的结果待核实（缺少的台账、清单或数值见“述职评议与年度考核”）。"


def test_report_text_numbers_have_two_decimals_and_short_file_names():
    from dangjian_analysis.documents.assessment_tables import tidy_numbers

    basis = f"{LEDGER} 加减分台账 C3；群众满意度 指标得分 68.87619048（满分 100），得 15 × 68.87619048 ÷ 100 = 10.5 分"
    detail = detail_table(pd.DataFrame([_row("东山镇党委", "赵立新", TOWN_CLASS, "item", "T04", "群众满意", "群众满意度",
                                             15.0, 10.5, 4.5, 0, basis)]), 2015, NAMES)
    assert detail["basis"].item() == ("县级数据.xlsx 加减分台账 C3；群众满意度 指标得分 68.88（满分 100），"
                                      "得 15 × 68.88 ÷ 100 = 10.5 分")
    assert tidy_numbers("第 2 名，8046.8 万元") == "第 2 名，8046.8 万元"


def test_sample_report_traces_every_ledger_entry_and_agrees_with_the_annual_sheet(report_dir, sample_loaded):
    """The sample's report (session fixture): each 2015 ledger entry's cell is on its unit × item row of
    考核得分; 年度考核 takes 日常考核 from 考核等次; the Word report has the section's parts."""
    from docx import Document

    wb = openpyxl.load_workbook(report_dir / "summary.xlsx", read_only=True)
    trace = list(wb["考核得分"].iter_rows(min_row=2, values_only=True))
    head = trace[0]
    cells = {(r[head.index("单位")], r[head.index("编号")]): r for r in trace[1:]}
    ledger = sample_loaded.adjustments.query("year == 2015")
    assert len(ledger) > 0
    for entry in ledger.itertuples():
        row = cells[(entry.unit, entry.item)]
        assert row[head.index("来源")] == "加减分台账" and row[head.index("工作表")] == entry.source_sheet
        assert entry.source_cell in row[head.index("单元格")].split("、"), (entry.unit, entry.item)
    results = list(wb["考核等次"].iter_rows(min_row=2, values_only=True))
    rh = results[0]
    routine = {r[rh.index("单位")]: r[rh.index("日常考核")] for r in results[1:]}
    annual = list(wb["年度考核"].iter_rows(min_row=2, values_only=True))
    ah = annual[0]
    assert {r[ah.index("单位")]: r[ah.index("日常考核")] for r in annual[1:]} == routine
    assert "考核明细" not in wb.sheetnames and "基础分分项" not in wb.sheetnames
    texts = [p.text for p in Document(str(report_dir / "report.docx")).paragraphs]
    start = next(k for k, t in enumerate(texts) if t.endswith("、述职评议与年度考核"))
    section = texts[start:start + 400]
    for part in ("（二）年度考核结果", "（三）各单位得分情况", "（四）结果运用"):
        assert part in section
    units = list(sample_loaded.catalog.secretaries["unit"])
    assert all(any(t.startswith(f"{u}（") for t in section) for u in units)     # one paragraph per unit


def test_a_veto_or_gate_is_said_once_in_a_unit_paragraph():
    """The grade's reason after 等次 refers to the 一票否决 / 门槛 clause said before it, not repeat it."""
    row = {"unit": "金谷镇党委", "secretary": "王海涛", "base": 86.5, "bonus": 0.0, "deduction": 0.0, "routine": 86.5,
           "review": 90.0, "satisfaction": 89.0, "annual": 88.05, "rank": 1, "grade": "较好",
           "vetoes": "F01 发生严重违纪违法案件（不得评为最好等次；台账 1 条（县级数据.xlsx 加减分台账 C129））",
           "grade_note": "一票否决：F01 发生严重违纪违法案件（不得评为最好等次；台账 1 条（县级数据.xlsx 加减分台账 C129）），"
                         "至多评为“较好”", "gates": "", "note": "", "pending": ""}
    empty = pd.DataFrame(columns=["unit", "part", "earned", "points"])
    detail = pd.DataFrame(columns=["unit", "part", "item", "name", "points", "earned", "change", "basis", "pending",
                                   "section"])
    text = unit_paragraph(pd.Series(row), empty, detail)
    assert text.count("F01 发生严重违纪违法案件") == 1
    assert text.endswith("等次“较好”（因一票否决，至多评为“较好”）。")
    gate = {**row, "vetoes": "", "grade": "一般", "gates": "G01 满意度低于 82% 的不得评为好、较好（群众满意度 = 81.92，至多评为“一般”）",
            "grade_note": "门槛 G01 满意度低于 82% 的不得评为好、较好：群众满意度 = 81.92，至多评为“一般”"}
    text = unit_paragraph(pd.Series(gate), empty, detail)
    assert text.count("G01") == 1 and text.endswith("等次“一般”（因门槛，至多评为“一般”）。")
