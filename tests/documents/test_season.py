"""The report on the days of a season: a draft for a partial year that says what is missing."""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest

from helpers import run_cli
from season import build_season

THREE = ["东山镇", "西河乡", "金谷镇"]


@pytest.fixture(scope="module")
def january(tmp_path_factory):
    """Early January: 3 of 10 townships in for 2016, the county workbook holds 2012–2015 only."""
    return build_season(tmp_path_factory.mktemp("january"), THREE, county=True)


@pytest.fixture(scope="module")
def january_report(january):
    from dangjian_analysis.documents.pipeline import build_report

    return build_report(january, out=january.parent / "报告", progress=False)


def _model(data, year=2016):
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import load_data, score_data

    cat, ds = load_data(data)
    scored = score_data(ds, cat, draws=50)
    return build_model(ds, year, catalog=cat, scores=scored.scores, villages=scored.villages,
                       uncertainty=scored.uncertainty)


def test_draft_for_three_townships_says_what_is_missing(january_report, catalog):
    doc = docx.Document(str(january_report / "report.docx"))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "示例县（虚构）2016年度基层党建考核报告（征求意见稿）"
    missing = [t for t in catalog.townships["unit_name"] if t not in THREE]
    assert text[2] == "一、报送情况" and text[4] == "二、主要结论"
    assert text[3].startswith(f"2016年度全县 10 个乡镇中已报送 3 个（{'、'.join(THREE)}），尚未报送 7 个："
                              f"{'、'.join(missing)}；县级数据中尚缺述职评议计票、四风台账、驻点联系、加减分台账、考核清单。")
    assert "均为待核实" in text[3]
    assert any(t.startswith("表中为2016年度已报送的 3 个乡镇（全县 10 个）的综合指数") for t in text)
    assert "2016年度的述职评议计票（县级数据）尚未报送，本节待计票录入后生成。" in text
    ranking = doc.tables[0]
    grades = [row.cells[3].text for row in ranking.rows[1:]]
    assert len(grades) == 3 and all(g.endswith("（待核实）") for g in grades)


def test_draft_ranks_and_bottom_count_only_what_was_reported(january_report, january):
    model = _model(january)
    obs = model.dataset.observations.query("year == 2016 and level == 'village'")
    villages = obs["unit_id"].nunique()                   # every village of the three returns, all filled in
    assert set(obs["township"]) == set(THREE) and villages > 30
    assert set(model.table("ranking")["township"]) == set(THREE)
    assert set(model.table("bottom")["township"]) <= set(THREE)
    doc = docx.Document(str(january_report / "report.docx"))
    assert any(p.text.startswith(f"倒排按已报送的 3 个乡镇的 {villages} 个村计算") for p in doc.paragraphs)
    conclusions = [p.text for p in doc.paragraphs if p.text.startswith("1. ")]
    assert conclusions[0].startswith("1. 2016年已报送的 3 个乡镇综合指数平均")
    texts = [p.text for p in doc.paragraphs]               # a table's county row is over the three, and says so
    assert any(x.endswith("末行为已报送乡镇平均。") for x in texts) and not any("末行为全县" in x for x in texts)
    firsts = [t.rows[-1].cells[0].text for t in doc.tables]
    assert "已报送乡镇平均" in firsts and "已报送乡镇" in firsts and "全县" not in firsts and "全县平均" not in firsts
    feature = openpyxl.load_workbook(january_report / "summary.xlsx")["一乡一品"]
    assert feature.cell(feature.max_row, 1).value == "已报送乡镇"
    charts = {p.name for p in (january_report / "charts").glob("*.png")}
    assert "10_述职评议.png" not in charts and len(charts) == 10          # no ballots for 2016 yet
    manifest = json.loads((january_report / "manifest.json").read_text("utf-8"))
    assert "charts/10_述职评议.png" not in manifest["outputs"]


def test_draft_mark_on_every_document(january_report):
    import openpyxl
    from pptx import Presentation

    assert "（征求意见稿）" in (january_report / "report.html").read_text("utf-8").split("</h1>")[0]
    wb = openpyxl.load_workbook(january_report / "summary.xlsx")
    assert wb["综合排名"]["A1"].value.startswith("示例县（虚构）2016年度基层党建考核汇总（征求意见稿）")
    deck = Presentation(str(january_report / "slides.pptx"))
    assert deck.slides[0].shapes.title.text_frame.text == "示例县（虚构）2016年度基层党建考核\n（征求意见稿）"   # own line
    cover_notes = deck.slides[0].notes_slide.notes_text_frame.text
    assert cover_notes.startswith("报送情况：2016年度全县 10 个乡镇中已报送 3 个（东山镇、西河乡、金谷镇），尚未报送 7 个：")


def test_the_final_sample_report_is_no_draft(sample_dir):
    model = _model(sample_dir, 2015)
    assert not model.draft and model.roll.complete and model.title == "示例县（虚构）2015年度基层党建考核报告"


def test_no_county_workbook_and_one_township_missing(tmp_path, catalog):
    towns = list(catalog.townships["unit_name"])
    model = _model(build_season(tmp_path / "a", towns[:-1], county=False))
    assert model.draft and model.roll.missing == (towns[-1],)
    assert model.roll.county_missing == ("述职评议计票", "四风台账", "驻点联系", "加减分台账", "考核清单")
    assert all(r.endswith(f"全县尚有 1 个乡镇未报送") for r in model.table("ranking")["provisional_reason"])


def test_rank_and_report_on_a_partial_year_from_the_command_line(january, tmp_path):
    result = run_cli("rank", str(january), "--year", "2016")
    assert result.returncode == 0, result.stderr
    assert "已报送 3 个乡镇（全县 10 个），未报送：" in result.stdout
    assert "倒排整顿（已报送的 3 个乡镇的" in result.stdout


def test_draft_deck_compares_only_the_townships_that_reported(january_report):
    """3 of 10 in: every county figure of the deck is over the three, ranks among three are never
    set against ranks among ten, the 倒排 table says how it was ranked; so does the 反馈单."""
    from pptx import Presentation

    deck = Presentation(str(january_report / "slides.pptx"))
    slides = list(deck.slides)[1:]
    takeaways = {s.shapes.title.text_frame.text: [sh.text_frame.text for sh in s.shapes
                                                  if sh.has_text_frame and sh != s.shapes.title][0] for s in slides}
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide)
    assert not any("全县平均" in t for t in takeaways.values()) and "全县平均" not in notes
    ranking = next(t for t in takeaways.values() if "居首" in t)
    assert ranking.endswith("分居末，已报送的 3 个乡镇平均 76.7 分。")
    slope = next(t for k, t in takeaways.items() if k.startswith("综合指数：2012年与2016年"))
    assert slope.startswith("已报送的 3 个乡镇平均由 45.2 分升至 76.7 分；")      # (47.6 + 47.1 + 40.9) / 3 = 45.2
    bump = next(t for k, t in takeaways.items() if "名次变化" in k)
    assert bump.startswith("2016 年有乡镇未报送，名次不与往年比较；2012–2015 年")
    assert any(k.endswith("（2012–2015，2016年未报齐）") for k in takeaways)
    assert "2016 年有乡镇未报送，名次只在已报送的 3 个乡镇之间排列，不与往年比较" in notes
    table = next(sh.table for sh in slides[-1].shapes if sh.has_table)
    header = [c.text_frame.text for c in table.rows[0].cells]
    assert "名次（已报送）" in header and "全县名次" not in header
    reasons = [r.cells[header.index("列入原因")].text_frame.text for r in list(table.rows)[1:]]
    assert reasons and all(r.startswith("综合指数位于已报送乡镇的村中最低的 10%") for r in reasons)
    feedback = [p.text for p in docx.Document(str(january_report / "反馈单" / "东山镇.docx")).paragraphs]
    headline = next(p for p in feedback if p.startswith("2016年度综合指数"))
    assert "在已报送的 3 个乡镇中列第 2 名" in headline and "名次不在同一批乡镇之间，不与上年比较" in headline
    assert not any("全县最低" in p for p in feedback)
