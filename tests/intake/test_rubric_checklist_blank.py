"""考核清单 left as the county template wrote it (issue 20.5).

The 2015 county template prefills 193 考核清单 rows (年度, 单位, 项目编号, 清单项 filled; 完成情况
blank: 5 cells a row, 965 in all). Untouched, the sheet is one 提示 and its cells are empty, not 193
errors “完成情况“”有误”; partly filled, each blank 完成情况 is “未填写” (an error naming its row).
"""

from __future__ import annotations

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.documents.county_template import write_county_template

SHEET = "考核清单"
NOT_FILLED = ("2015 年考核清单未填写：193 行的完成情况均为空，按未填写计（不计入），考核清单项目的得分待核实；"
              "请在“完成情况”列填写“是”或“否”后重新报送")


@pytest.fixture(scope="module")
def template(tmp_path_factory, catalog):
    """2015's county template with only the 考核清单 kept (the other sheets add their own issues)."""
    path = write_county_template(tmp_path_factory.mktemp("checklist") / "t.xlsx", year=2015, catalog=catalog)
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames:
        if name != SHEET:
            del wb[name]
    wb.save(path)
    return path


def _load(template, tmp_path, done: dict):
    wb = openpyxl.load_workbook(template)
    for row, value in done.items():
        wb[SHEET].cell(row, 5, value)
    (tmp_path / "in").mkdir()
    wb.save(tmp_path / "in" / "县级数据.xlsx")
    ds = dj.load(tmp_path / "in", progress=False)
    counts = ds.sheets.set_index("sheet").loc[SHEET]
    return ds, [int(counts[k]) for k in ("cells_read", "cells_accepted", "cells_rejected", "cells_empty")]


def test_an_untouched_checklist_is_one_note_and_empty_cells(template, tmp_path):
    ds, counts = _load(template, tmp_path, {})
    assert ds.issues[["sheet", "cell", "severity", "message"]].values.tolist() == [[SHEET, "", "info", NOT_FILLED]]
    assert ds.checklist.empty and counts == [965, 0, 0, 965]
    roll = ds.roll(2015).set_index("unit")
    assert roll.loc["考核清单", ["roll_status", "n_errors"]].tolist() == ["missing", 0]     # not “有错误” with 0 errors


def test_a_partly_filled_checklist_says_not_filled_not_wrong(template, tmp_path):
    ds, counts = _load(template, tmp_path, {2: "是", 3: "否", 4: "√", 5: "完"})
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert errors["message"].iloc[0] == "完成情况“完”有误，应为“是”或“否”；本行（A5:E5）未采用"
    blank = errors.iloc[1:]
    assert len(blank) == 189 and blank["cell"].iloc[0] == "E6"
    assert blank["message"].iloc[0] == "2015 年完成情况未填写，应为“是”或“否”；本行（A6:E6）未采用"
    assert not ds.issues["message"].str.contains("“”有误|考核清单未填写").any()
    assert ds.checklist["done"].tolist() == [True, False, True]
    # 3 rows accepted (15 cells); the bad row's 5 and each blank row's 4 filled cells rejected; 189 blanks
    assert counts == [965, 15, 5 + 189 * 4, 189]


def test_a_row_the_clerk_wrote_with_a_blank_done_is_not_filled_not_wrong(template, tmp_path):
    """Not the template's row (单位 written as the township, 东山镇): an error “未填写” even alone in its year."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET]
    ws.delete_rows(3, ws.max_row)
    ws["B2"] = "东山镇"
    (tmp_path / "in").mkdir()
    wb.save(tmp_path / "in" / "县级数据.xlsx")
    issues = dj.load(tmp_path / "in", progress=False).issues
    assert issues[["cell", "severity", "message"]].values.tolist() == [
        ["E2", "error", "2015 年完成情况未填写，应为“是”或“否”；本行（A2:E2）未采用"]]
