"""dj.show / to_chinese of the 考核细则 tables: Chinese headers (the report's names, from one place),
Chinese values, no English column id, and the frames underneath unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.documents.display import column_notes

from documents.test_display import english_in, shown

RESULT_HEADERS = ["年度", "单位", "书记", "类别", "乡镇", "基础分", "加分（封顶前）", "加分", "扣分", "日常考核", "述职评议",
                  "满意度", "综合得分", "计入部分", "名次", "分数线等次", "等次", "等次说明", "具备评选资格",
                  "不得评为最好等次", "一票否决", "门槛", "待核实项", "说明", "结果运用", "整改报告时限（日）"]
BREAKDOWN_HEADERS = ["年度", "单位", "类型", "编号", "大项", "项目", "分值", "得分", "扣分", "台账条数", "依据", "待核实",
                     "类别", "书记"]
RECTIFICATION_HEADERS = ["年度", "单位", "书记", "问题", "依据", "整改措施", "整改时限", "责任人"]
INVALID_HEADERS = ["年度", "评议人类别", "评议项目", "票号", "无效原因", "来源文件", "来源工作表", "来源单元格"]


@pytest.fixture(scope="module")
def rubric(sample_loaded):
    ds = sample_loaded
    results, breakdown = dj.assessment_results(ds), dj.assessment_breakdown(ds)
    return {"results": results, "breakdown": breakdown, "rectification": dj.rectification_list(results, breakdown),
            "invalid": dj.invalid_ballots(ds)}


def _no_column_id(frame: pd.DataFrame, chinese: pd.DataFrame) -> None:
    assert not set(map(str, frame.columns)) & set(chinese.columns)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in header) for header in chinese.columns), list(chinese.columns)


@pytest.mark.parametrize("table, headers", [("results", RESULT_HEADERS), ("breakdown", BREAKDOWN_HEADERS),
                                            ("rectification", RECTIFICATION_HEADERS), ("invalid", INVALID_HEADERS)])
def test_rubric_tables_have_chinese_headers(rubric, table, headers):
    frame = rubric[table]
    before = frame.copy()
    chinese = dj.to_chinese(frame)
    assert list(chinese.columns) == headers
    _no_column_id(frame, chinese)
    assert list(dj.show(frame).data.columns) == headers
    assert all(column_notes(frame)["说明"].str.len() > 0)          # every column says what it holds
    pd.testing.assert_frame_equal(frame, before)                    # the API's frame is not changed


def test_results_shown_in_chinese_words(rubric):
    results = rubric["results"]
    last = results[results["year"] == results["year"].max()].drop(columns=["year"])
    text = shown(dj.show(last))
    assert english_in(text) == []            # no ids: the gate's metric satisfaction is 群众满意度
    chinese = dj.to_chinese(last).set_index("单位")
    # 红旗乡党委: band 较好, held to 一般 by G01 at a satisfaction of 81.92 (< 82)
    assert chinese.loc["红旗乡党委", "分数线等次"] == "较好" and chinese.loc["红旗乡党委", "等次"] == "一般"
    assert "群众满意度 = 81.92" in chinese.loc["红旗乡党委", "门槛"] and "satisfaction" not in chinese.loc["红旗乡党委", "门槛"]
    # 县公安局党委: F02 取消评选资格 → 具备评选资格 否; 县直机关工委 no veto → 是, 不得评为最好等次 否
    assert chinese.loc["县公安局党委", "具备评选资格"] == "否" and chinese.loc["县公安局党委", "不得评为最好等次"] == "是"
    assert chinese.loc["县直机关工委", "具备评选资格"] == "是" and chinese.loc["县直机关工委", "不得评为最好等次"] == "否"
    assert chinese.loc["县卫生系统党委", "等次"] == "待定"
    assert pd.isna(chinese.loc["县直机关工委", "满意度"])              # 县直 units have no satisfaction: — when shown
    assert "—" in repr(dj.show(last))


def test_breakdown_values_in_words(rubric):
    breakdown = rubric["breakdown"]
    chinese = dj.to_chinese(breakdown)
    assert set(chinese["类型"]) == {"考核项目", "加分", "扣分", "一票否决"}
    assert set(chinese["待核实"]) <= {"待核实", ""}
    one = breakdown[(breakdown["year"] == 2015) & (breakdown["unit"] == "金谷镇党委")]
    text = shown(dj.show(one))
    assert english_in(text) == [] and "True" not in text and "item" not in text
    assert "台账 1 条（县级数据.xlsx 加减分台账 C129）" in text       # F01's ledger cell, by file name


def test_invalid_ballots_by_file_name(rubric):
    chinese = dj.to_chinese(rubric["invalid"])
    assert sorted(chinese["票号"]) == ["11", "3"]
    assert set(chinese["来源文件"]) == {"县级数据.xlsx"} and set(chinese["评议人类别"]) == {"党员群众代表"}


def test_show_names_are_the_reports(rubric, catalog):
    """The report's 考核等次 sheet and dj.show name the shared columns alike (one place for the names)."""
    from dangjian_analysis.documents.assessment_tables import ASSESSMENT_COLUMNS, results_table
    from dangjian_analysis.documents.report_labels import label_table

    results = rubric["results"]
    table = results_table(results, int(results["year"].max()), catalog.assessment)
    sheet = label_table("assessment", table, catalog=catalog)
    assert list(sheet.columns) == list(dj.to_chinese(results[ASSESSMENT_COLUMNS]).columns)
    assert list(sheet.columns)[:4] == ["单位", "书记", "类别", "基础分"]


def test_other_tables_keep_their_headers(rubric, catalog):
    """``unit`` stays 计量单位 in the indicator catalogue and ``item`` 评议项目 in the ballots; a
    selection of the results' columns is still recognised (单位, not 计量单位)."""
    assert dj.to_chinese(catalog.indicators[["id", "name", "unit"]]).columns.tolist() == ["编号", "名称", "计量单位"]
    ballots = pd.DataFrame({"year": [2015], "secretary": ["赵立新"], "rater_group": ["county_leaders"],
                            "item": ["总体评价"], "rating": ["好"], "count": [3]})
    assert dj.to_chinese(ballots).columns.tolist() == ["年度", "书记", "评议人类别", "评议项目", "评价", "票数"]
    pick = rubric["results"][["unit", "secretary", "annual", "grade"]]
    assert dj.to_chinese(pick).columns.tolist() == ["单位", "书记", "综合得分", "等次"]
