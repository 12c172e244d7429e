"""The report on the days of a season: a draft for a partial year that says what is missing."""

from __future__ import annotations

import json

import docx
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
    assert deck.slides[0].shapes.title.text_frame.text == "示例县（虚构）2016年度基层党建考核（征求意见稿）"


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
