"""The 考核细则's county sheets 加减分台账 and 考核清单: read with provenance, checked against the
default catalogue's rubric (A01 checklist of 4 checks; A02 2 per entry; A03 by 职务 书记 3 / 班子成员 2
/ 支部书记 1; A04 by 严重程度 一般 1 / 较重 2 / 严重 4; T01 per_shortfall, 乡镇 only; D01 and D04
checklists and D03 per entry 5, 县直 only; J01 加分 2 each; K02 扣分 by 职务 书记 3 / 班子成员 2;
F01 一票否决), every cell accounted for."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import openpyxl
import pytest

from dangjian_analysis.intake import load

ADJ_HEAD = ["年度", "单位", "项目编号", "事由", "依据", "日期", "认定部门", "职务或严重程度", "分值"]
CHECK_HEAD = ["年度", "单位", "项目编号", "清单项", "完成情况"]
D = dt.date(2015, 5, 1)

#: Seven entries the rubric allows, written in the ways clerks write the unit.
CLEAN = [
    [2015, "东山镇", "A02", "党费未按时上缴", "示组通〔2015〕3号", D, "县委组织部", None, 2],
    [2015, "赵立新", "A03", "违规公款吃喝", "县纪委通报〔2015〕2号", D, "县纪委", "班子成员", None],
    [2015, "县直机关工委", "D03", "重点任务未完成", "示组通〔2015〕9号", D, "县委组织部", None, 5],
    [2015, "西河乡党委", "A04", "群体性事件", "县信访局通报", D, "县信访局", "严重", 4],
    [2015, "钱文华", "J01", "省级先进基层党组织", "省委组织部文件", D, "省委组织部", None, 2],
    [2015, "东山镇", "K02", "重大失误", "县委通报", D, "县委", "书记", None],
    [2015, "南岭镇", "F01", "严重违纪", "县纪委通报", D, "县纪委", None, None],
]


def _book(path, sheets: dict):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _adjustments(tmp_path, rows, catalog=None):
    return load(_book(tmp_path / "县级数据.xlsx", {"加减分台账": [ADJ_HEAD, *rows]}), catalog=catalog)


def _checklist(tmp_path, rows, catalog=None):
    return load(_book(tmp_path / "县级数据.xlsx", {"考核清单": [CHECK_HEAD, *rows]}), catalog=catalog)


def _counts(ds, sheet):
    row = ds.sheets.set_index("sheet").loc[sheet]
    assert row["cells_read"] == row["cells_accepted"] + row["cells_rejected"] + row["cells_empty"]
    return row["cells_read"], row["cells_accepted"], row["cells_rejected"], row["cells_empty"]


def _issues(ds):
    return [(i.cell, i.severity, i.code) for i in ds.issues.itertuples()]


def test_a_clean_ledger_is_read_with_the_catalogue_units(tmp_path):
    ds = _adjustments(tmp_path, CLEAN)
    assert _issues(ds) == []
    a = ds.adjustments
    assert list(a["unit"]) == ["东山镇党委", "东山镇党委", "县直机关工委", "西河乡党委", "西河乡党委", "东山镇党委", "南岭镇党委"]
    assert list(a["item"]) == ["A02", "A03", "D03", "A04", "J01", "K02", "F01"]
    assert list(a["role"]) == ["", "班子成员", "", "严重", "", "书记", ""]
    assert a["points"].tolist()[:3] == [2.0, pytest.approx(np.nan, nan_ok=True), 5.0]
    assert a["date"].dtype == "datetime64[ns]" and (a["date"] == "2015-05-01").all()
    assert list(a["source_cell"]) == [f"C{r}" for r in range(2, 9)]          # the 项目编号 cell
    assert set(a["source_sheet"]) == {"加减分台账"}
    # 7 rows × 9 columns; blanks: 职务 on 4 rows, 分值 on 3 rows (rows 2, 6, 7) and both on row 7 counted once each
    assert _counts(ds, "加减分台账") == (63, 63 - 7, 0, 7)


def _only_error(ds, cell, text):
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert list(errors["cell"]) == [cell], ds.issues.to_string()
    assert text in errors["message"].iloc[0]
    assert "本行（A2:I2）未采用" in errors["message"].iloc[0]


@pytest.mark.parametrize("row, cell, text", [
    ([2015, "东山真", "A02", "x", "y", D, None, None, None], "B2", "与“东山镇党委”相近；如是笔误，请改为“东山镇党委”"),
    ([2015, "东港镇党委", "A02", "x", "y", D, None, None, None], "B2", "不在被考核单位中"),
    ([2015, "东山镇", "A99", "x", "y", D, None, None, None], "C2", "项目编号“A99”不在考核细则中"),
    ([2015, "东山镇", "T01", "x", "y", D, None, None, None], "C2", "T01（县级以上示范点建设）按指标差额扣分，不从加减分台账计分"),
    ([2015, "东山镇", "A01", "x", "y", D, None, None, None], "C2", "请填在“考核清单”表"),
    ([2015, "东山镇", "D03", "x", "y", D, None, None, None], "C2",
     "D03（年度基层党建重点任务完成）只适用于县直党（工）委书记，不适用于东山镇党委（乡镇党委书记）"),
    ([2015, "县直机关工委", "T01", "x", "y", D, None, None, None], "C2", "只适用于乡镇党委书记"),
    ([2015, "东山镇", "A03", "x", "y", D, None, "村民", None], "H2", "按职务计分，职务或严重程度“村民”不在评分标准中"
                                                                   "（可填：书记、班子成员、支部书记）"),
    ([2015, "东山镇", "A04", "x", "y", D, None, None, None], "H2", "按严重程度计分"),
    ([2015, "东山镇", "K02", "x", "y", D, None, "支部书记", None], "H2", "（可填：书记、班子成员）"),
    ([2015, "东山镇", "A02", "x", "y", D, None, None, 3], "I2", "分值“3”与A02（党费收缴使用管理规范）的评分标准不符：应为 2"),
    ([2015, "东山镇", "A02", "x", "y", D, None, None, -2], "I2", "应为 2（填正数"),
    ([2015, "东山镇", "A04", "x", "y", D, None, "较重", 4], "I2", "应为 2"),
    ([2015, "东山镇", "F01", "x", "y", D, None, None, 1], "I2", "不计分值（一票否决作用于等次），分值“1”应留空"),
    ([2015, "东山镇", "A02", "x", "y", D, None, None, "两分"], "I2", "分值“两分”不是数字"),
    ([2015, "东山镇", "A02", "x", "y", "去年五月", None, None, None], "F2", "日期“去年五月”有误"),
    (["二〇一五", "东山镇", "A02", "x", "y", D, None, None, None], "A2", "年度“二〇一五”有误"),
])
def test_each_ledger_error_rejects_its_row_at_the_cell(tmp_path, row, cell, text):
    ds = _adjustments(tmp_path, [row])
    _only_error(ds, cell, text)
    assert ds.adjustments.empty
    filled = sum(v is not None for v in row)
    assert _counts(ds, "加减分台账") == (9, 0, filled, 9 - filled)


def test_a_date_outside_the_year_and_a_missing_basis_are_warnings_on_rows_kept(tmp_path):
    ds = _adjustments(tmp_path, [[2015, "东山镇", "A02", "x", None, dt.date(2014, 12, 30), None, None, 2]])
    assert _issues(ds) == [("E2", "warning", "adjustments_basis"), ("F2", "warning", "adjustments_date")]
    messages = list(ds.issues["message"])
    assert messages[0] == "缺少依据（文件或通报号），请补充"
    assert "日期 2014-12-30 不在 2015 年度内" in messages[1]
    assert len(ds.adjustments) == 1
    assert _counts(ds, "加减分台账") == (9, 6, 0, 3)


def test_the_same_entry_twice_is_a_warning_naming_both_cells(tmp_path):
    first = [2015, "东山镇", "A02", "党费未按时上缴", "文1", D, None, None, None]
    again = [2015, "东山镇党委", "A02", "党费未按时上缴", "文2", D, None, None, None]   # same unit, other 依据
    other_day = [2015, "东山镇", "A02", "党费未按时上缴", "文3", dt.date(2015, 6, 1), None, None, None]
    ds = _adjustments(tmp_path, [first, again, other_day])
    assert _issues(ds) == [("C3", "warning", "adjustment_twice")]
    assert "（县级数据.xlsx 加减分台账 C2、县级数据.xlsx 加减分台账 C3）" in ds.issues["message"].iloc[0]
    assert len(ds.adjustments) == 3                                    # nothing dropped
    assert _counts(ds, "加减分台账") == (27, 18, 0, 9)


def test_without_a_rubric_the_ledger_is_read_with_one_warning_for_the_sheet(tmp_path, catalog):
    bare = dataclasses.replace(catalog, assessment=None)
    ds = _adjustments(tmp_path, [CLEAN[0], [2015, "东山镇", "T01", "x", "y", D, None, None, 9]], catalog=bare)
    assert _issues(ds) == [("", "warning", "no_assessment")]
    assert ds.issues["message"].iloc[0] == \
        "工作表“加减分台账”：指标体系中没有考核细则（[assessment]），本表不参与计分"
    assert list(ds.adjustments["item"]) == ["A02", "T01"]


def test_a_year_after_the_ones_the_batch_reaches_is_rejected(tmp_path):
    ds = _adjustments(tmp_path, [[2017, "东山镇", "A02", "x", "y", dt.date(2017, 3, 1), None, None, None]])
    assert _issues(ds) == [("C2", "error", "bad_adjustments")]
    assert "年度“2017”有误，应为 2012–2016 之间的年份" in ds.issues["message"].iloc[0]
    assert ds.adjustments.empty
    assert _counts(ds, "加减分台账") == (9, 0, 6, 3)


def test_a_csv_ledger_is_read_like_the_sheet(tmp_path):
    path = tmp_path / "县级数据_加减分台账.csv"
    path.write_text(",".join(ADJ_HEAD) + "\n2015,东山镇,A02,党费,文1,2015-05-01,县委组织部,,2\n", "utf-8-sig")
    ds = load(path)
    assert _issues(ds) == []
    assert ds.adjustments[["unit", "item", "points", "source_cell"]].values.tolist() == \
        [["东山镇党委", "A02", 2.0, "第2行/项目编号"]]


# ---- 考核清单 ------------------------------------------------------------------------------------

def test_a_clean_checklist_reads_every_way_of_saying_done(tmp_path):
    rows = [[2015, "东山镇", "A01", "年度党建工作要点", "是"], [2015, "东山镇", "A01", "书记述职报告", "否"],
            [2015, "县直机关工委", "D04", "一季度", "√"], [2015, "县直机关工委", "D04", "二季度", "×"],
            [2015, "褚明远", "D04", "三季度", "完成"], [2015, "县直机关工委", "D04", "四季度", "未完成"],
            [2015, "县教育工委", "D01", " 党务公开 ", 1], [2015, "县教育工委", "D01", "按期换届", 0]]
    ds = _checklist(tmp_path, rows)
    assert _issues(ds) == []
    c = ds.checklist
    assert list(c["done"]) == [True, False, True, False, True, False, True, False]
    assert c["done"].dtype == bool
    assert list(c["unit"])[2:5] == ["县直机关工委"] * 3
    assert c["check"].iloc[6] == "党务公开"                          # as the catalogue writes it
    assert list(c["source_cell"]) == [f"C{r}" for r in range(2, 10)]
    assert _counts(ds, "考核清单") == (40, 40, 0, 0)


@pytest.mark.parametrize("row, cell, text", [
    ([2015, "东湖", "A01", "书记述职报告", "是"], "B2", "单位“东湖”不在被考核单位中"),
    ([2015, "东山镇", "A09", "书记述职报告", "是"], "C2", "项目编号“A09”不在考核细则中（可填：A01、D01、D02、D04）"),
    ([2015, "东山镇", "A02", "书记述职报告", "是"], "C2", "A02（党费收缴使用管理规范）不是考核清单项目（请填在“加减分台账”表）"),
    ([2015, "东山镇", "D04", "一季度", "是"], "C2", "只适用于县直党（工）委书记，不适用于东山镇党委"),
    ([2015, "东山镇", "A01", "党员名册", "是"], "D2", "清单项“党员名册”不在A01（党建工作责任制资料齐全）的清单中"
                                               "（可填：年度党建工作要点、书记抓党建项目清单、书记述职报告、党建工作责任清单）"),
    ([2015, "东山镇", "A01", "书记述职报告", "基本完成"], "E2", "完成情况“基本完成”有误，应为“是”或“否”"),
    ([2015, "东山镇", "A01", "书记述职报告", None], "E2", "2015 年完成情况未填写，应为“是”或“否”"),
])
def test_each_checklist_error_rejects_its_row_at_the_cell(tmp_path, row, cell, text):
    ds = _checklist(tmp_path, [row])
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert list(errors["cell"]) == [cell] and text in errors["message"].iloc[0], ds.issues.to_string()
    assert ds.checklist.empty
    filled = sum(v is not None for v in row)
    assert _counts(ds, "考核清单") == (5, 0, filled, 5 - filled)


def test_a_check_listed_twice_is_an_error_the_first_kept_when_both_agree(tmp_path):
    rows = [[2015, "东山镇", "A01", "书记述职报告", "是"], [2015, "东山镇党委", "A01", "书记述职报告", "√"],
            [2015, "东山镇", "A01", "年度党建工作要点", "是"], [2015, "东山镇", "A01", "年度党建工作要点", "否"]]
    ds = _checklist(tmp_path, rows)
    assert _issues(ds) == [("C3", "error", "check_twice"), ("C4", "error", "check_twice"), ("C5", "error", "check_twice")]
    messages = list(ds.issues["message"])
    assert "内容相同，只采用第一处" in messages[0] and "县级数据.xlsx 考核清单 C2、县级数据.xlsx 考核清单 C3" in messages[0]
    assert all("完成情况不一致，均未采用" in m for m in messages[1:])
    assert ds.checklist[["check", "done", "source_cell"]].values.tolist() == [["书记述职报告", True, "C2"]]
    assert _counts(ds, "考核清单") == (20, 5, 15, 0)
