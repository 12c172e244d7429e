"""年度考核 while the year is coming in (issue 20.1): units with nothing scored are one sentence,
not rows of dashes and paragraphs of 待核实.

The season: 3 of 10 townships returned for 2016 (东山镇、西河乡、金谷镇), no county workbook, so
no 述职评议计票, 加减分台账 or 考核清单 for the year. The three townships' 党委 have items scored
from their own returns (T04 群众满意度 …) and 群众满意度; the other 7 township units and the 9
县直 units have nothing at all.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from dangjian_analysis.documents.assessment_tables import NO_DATA_PREFIX, unscored_units
from dangjian_analysis.documents.report_assessment import class_sentence, write_assessment
from helpers import recorder

from season import build_season

THREE = ["东山镇", "西河乡", "金谷镇"]
REPORTED = ["东山镇党委", "西河乡党委", "金谷镇党委"]
IDLE_TOWNS = ["南岭镇党委", "北塘镇党委", "青石乡党委", "白沙镇党委", "红旗乡党委", "柳溪乡党委", "石桥镇党委"]
DEPTS = ["县直机关工委", "县教育工委", "县卫生系统党委", "县公安局党委", "县国资委党委", "县非公经济组织党工委",
         "县社会组织党委", "县经济开发区党工委", "县农业系统党委"]
MISSING = "县级数据中尚缺述职评议计票、加减分台账、考核清单"


@pytest.fixture(scope="module")
def january_model(tmp_path_factory):
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import load_data, score_data

    data = build_season(tmp_path_factory.mktemp("january"), THREE)
    cat, ds = load_data(data)
    scored = score_data(ds, cat, draws=20)
    return build_model(ds, 2016, catalog=cat, scores=scored.scores, villages=scored.villages,
                       uncertainty=scored.uncertainty)


def _written(m):
    """The section's parts, a table as the list of its first column."""
    w = recorder()
    write_assessment(w, m)
    return [("t", list(part[1].iloc[:, 0])) if part[0] == "t" else part for part in w.parts]


def test_unscored_units_are_those_with_no_number_at_all():
    detail = pd.DataFrame({"unit": ["甲", "甲", "乙", "乙", "丙"],
                           "basis": [f"{NO_DATA_PREFIX}（…），待核实"] * 2 + [f"{NO_DATA_PREFIX}（…），待核实",
                                                                         "未提供加减分台账，待核实",
                                                                         f"{NO_DATA_PREFIX}（…），待核实"]})
    table = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "review": [float("nan")] * 4,
                          "satisfaction": [float("nan"), float("nan"), 84.1, float("nan")]})
    # 乙 has an entry with another reason (its other items are scored); 丙 a 满意度; 丁 no row 待核实
    assert unscored_units(table, detail) == ["甲"]


def test_class_sentence_names_the_units_waiting_and_why(catalog):
    table = pd.DataFrame({"unit": ["甲镇党委"], "grade": ["待核实"], "grade_note": [""]})
    assert class_sentence("乡镇党委书记", table, catalog.assessment, ["乙镇党委", "丙乡党委"], "所在乡镇未报送") == (
        "乡镇党委书记 3 名：待核实 1 名（甲镇党委）；其余 2 名（乙镇党委、丙乡党委）本年度尚无任何考核数据"
        "（所在乡镇未报送），待报送后生成。")


def test_january_section_says_what_is_missing_in_one_sentence_per_class(january_model):
    parts = _written(january_model)
    heads = [p[1] for p in parts if p[0] == "h"]
    assert [h[3:] for h in heads] == ["年度考核结果", "各单位得分情况", "结果运用"]
    texts = [p[1] for p in parts if p[0] == "p"]
    assert texts[1] == ("乡镇党委书记 10 名：待核实 3 名（东山镇党委、西河乡党委、金谷镇党委）；其余 7 名（"
                        + "、".join(IDLE_TOWNS) + f"）本年度尚无任何考核数据（所在乡镇未报送；{MISSING}），待报送后生成。")
    assert texts[2] == f"县直党（工）委书记 9 名：本年度尚无任何考核数据（{MISSING}），年度考核结果待县级数据报送后生成。"
    assert [p[1] for p in parts if p[0] == "t"] == [REPORTED]          # one table: the units with something scored
    paragraphs = [t for t in texts if "（" in t[:12] and "）：基础分" in t]
    assert [t.split("（")[0] for t in paragraphs] == REPORTED          # no paragraph of dashes for the others
    assert texts[-2] == (f"其余 16 个单位（{'、'.join(IDLE_TOWNS + DEPTS)}）本年度尚无任何考核数据，不逐一列出。")
    assert texts[-1] == "各单位等次均待核实，结果运用待考核结果确定后按考核细则执行。"
    assert sum(NO_DATA_PREFIX in t for t in texts) == 0                 # the per-unit reason is not repeated


def _with(m, table):
    tables = {**m.tables, "assessment": table}
    return SimpleNamespace(catalog=m.catalog, year=m.year, previous=m.previous, roll=m.roll, tables=tables,
                           table=tables.__getitem__)


def test_units_with_a_grade_keep_their_consequences_and_the_rest_is_one_sentence(january_model):
    table = january_model.table("assessment").copy()
    table.loc[table["unit"] == "东山镇党委", ["grade", "consequence"]] = ["好", "通报表扬"]
    parts = _written(_with(january_model, table))
    texts = [p[1] for p in parts if p[0] == "p"]
    assert parts[-3:] == [
        ("p", "按考核细则，各单位的考核结果运用如下（以县委组织部通报为准）："), ("t", ["东山镇党委"]),
        ("p", f"{'、'.join(['西河乡党委'] + IDLE_TOWNS[:5] + ['金谷镇党委'] + IDLE_TOWNS[5:] + DEPTS)}的等次待核实，"
              "结果运用待考核结果确定后执行。")]
    assert texts[1].startswith("乡镇党委书记 10 名：好 1 名（东山镇党委）、待核实 2 名（西河乡党委、金谷镇党委）；其余 7 名")


def test_a_year_with_nothing_at_all_is_a_sentence_per_part(january_model):
    table = january_model.table("assessment")
    detail = pd.DataFrame({"unit": table["unit"], "part": "", "item": "A01", "name": "", "points": 8.0,
                           "earned": float("nan"), "change": float("nan"),
                           "basis": f"{NO_DATA_PREFIX}（加减分台账、考核清单、指标值均无），待核实"})
    m = _with(january_model, table.assign(satisfaction=float("nan")))
    m.tables["assessment_detail"] = detail
    texts = [p[1] for p in _written(m) if p[0] == "p"]
    assert [p for p in _written(m) if p[0] == "t"] == []
    assert texts[1].startswith("乡镇党委书记 10 名：本年度尚无任何考核数据（所在乡镇未报送；")
    assert texts[3:] == ["各单位本年度均尚无任何考核数据，得分情况待报送后生成（缺少的数据见“年度考核结果”）。",
                         "各单位等次均待核实，结果运用待考核结果确定后按考核细则执行。"]


def test_summary_sheets_say_nothing_scored_once_per_unit(january_model, tmp_path):
    import openpyxl

    from dangjian_analysis.documents.assessment_tables import IDLE_NOTE
    from dangjian_analysis.documents.report_labels import chinese_tables
    from dangjian_analysis.documents.summary import write_summary

    trace = january_model.table("assessment_scores")
    assert len(trace) == 3 * 17 + 16                 # 17 entries of a township's rubric; one row per idle unit
    idle = trace[trace["name"] == "全部项目"]
    assert list(idle["unit"]) == IDLE_TOWNS + DEPTS and set(idle["basis"]) == {IDLE_NOTE}
    assert idle[["points", "earned", "deducted"]].isna().all(axis=None) and set(idle["grade"]) == {"待核实"}
    table = january_model.table("assessment").set_index("unit")
    assert table.loc[IDLE_TOWNS + DEPTS, "note"].eq(IDLE_NOTE).all()
    assert table.loc[REPORTED, "note"].str.endswith("待核实，总分暂不计算").all()   # units with numbers keep theirs
    sheets = chinese_tables({k: january_model.table(k) for k in ("assessment", "assessment_scores")},
                            catalog=january_model.catalog, year=2016, previous=2015)
    wb = openpyxl.load_workbook(write_summary(sheets, tmp_path / "summary.xlsx", catalog=january_model.catalog))
    assert wb["考核得分"].max_row == 2 + 67 and wb["考核等次"].max_row == 2 + 19


def test_the_conclusion_counts_the_units_with_nothing_scored(january_model):
    from dangjian_analysis.documents.report_assessment import assessment_sentence

    assert assessment_sentence(january_model.table("assessment"), january_model.catalog.assessment) == (
        "年度考核 19 个单位中，待核实 19 个，其中 16 个尚无任何考核数据（见“述职评议与年度考核”）。")
    assert "年度考核 19 个单位中，待核实 19 个，其中 16 个尚无任何考核数据" in "".join(january_model.conclusions)
