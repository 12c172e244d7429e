"""validate's outputs mark a doubtful value already confirmed (提示（已确认）), and only that one."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

import dangjian_analysis as dj
from helpers import SAMPLE, column_of, run_cli

NOTE, WHO, DATE = "村办企业分红，已核实", "李四", "2016-01-12"


def _row(ws, first: int, *key) -> int:
    return next(r for r in range(4, ws.max_row + 1)
                if tuple(ws.cell(r, first + k).value for k in range(len(key))) == key)


@pytest.fixture
def confirmed(tmp_path):
    """The sample with two doubtful values of 2015 — 90000 in the 万元 column 村集体经济收入 of
    东山镇 联家村 and 33 县级以上示范点 of 西河乡 — of which the analyst's 确认.xlsx confirms the
    first only (说明, 确认人, 日期 filled)."""
    data = tmp_path / "数据"
    shutil.copytree(SAMPLE, data)
    cells = {}
    for town, sheet, indicator, key, value in (("东山镇", "村级指标", "collective_income", ("联家村", 2015), 90000),
                                               ("西河乡", "乡镇指标", "model_sites", (2015,), 33)):
        wb = openpyxl.load_workbook(data / f"{town}.xlsx")
        ws = wb[sheet]
        cells[town] = f"{column_of(ws, indicator)}{_row(ws, 2, *key)}"
        ws[cells[town]] = value
        wb.save(data / f"{town}.xlsx")
    path = dj.write_confirmation_sheet(dj.load(data, progress=False), data / "确认.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["确认"]
    ws.delete_rows(next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value != cells["东山镇"]))
    assert ws.max_row == 2 and ws["C2"].value == cells["东山镇"]
    ws["E2"], ws["F2"], ws["G2"] = NOTE, WHO, DATE
    wb.save(path)
    return data, cells["东山镇"], cells["西河乡"]


def _lines(text: str, where: str) -> list[str]:
    return [line for line in text.splitlines() if f" {where}：" in line]


def test_the_console_and_the_problem_workbook_mark_the_confirmed_value_only(confirmed, tmp_path):
    data, east, west = confirmed
    out = tmp_path / "问题清单.xlsx"
    result = run_cli("validate", str(data), "--xlsx", str(out))
    assert result.returncode == 0, result.stderr                 # warnings only: exit status unchanged
    text = result.stdout
    done = f"已确认：{NOTE}（{WHO} {DATE}）"
    # each cell's two doubtful findings (range, year on year) are one issue: one line per cell
    [east_line] = _lines(text, f"村级指标 {east}")
    assert east_line.startswith(f"  [提示（已确认）] 村级指标 {east}：村集体经济收入（万元）有 2 个问题：①90000")
    assert east_line.endswith(f"；{done}")
    [west_line] = _lines(text, f"乡镇指标 {west}")
    assert west_line.startswith(f"  [提示] 乡镇指标 {west}：县级以上示范点（个）有 2 个问题") and "已确认" not in west_line
    assert text.count("[提示（已确认）]") == 1
    assert text.splitlines()[0].startswith("共 12 个文件：错误 0 条，提示 2 条（其中 1 条存疑数值已确认）；")
    ws = openpyxl.load_workbook(out)["问题清单"]
    rows = {(r[1].value, r[3].value): r for r in ws.iter_rows(min_row=2)}
    east_row, west_row = rows[("东山镇.xlsx", east)], rows[("西河乡.xlsx", west)]
    assert [c.value for c in east_row[5:8]] == ["提示（已确认）", "与上年差异大", done]
    assert {c.fill.fgColor.rgb[-6:] for c in east_row} == {"C6EFCE"}          # green, as in the returned copy
    assert [c.value for c in west_row[5:8]] == ["提示", "与上年差异大", "核实数字，有误的改正"]
    assert {c.fill.fgColor.rgb[-6:] for c in west_row} == {"FFC285"}          # amber: still to check
    assert [r[5].value for r in ws.iter_rows(min_row=2)].count("提示（已确认）") == 1


def test_json_gives_each_issue_whether_it_is_confirmed(confirmed):
    data, east, west = confirmed
    result = run_cli("validate", str(data), "--json")
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)["issues"]
    [yes] = [i for i in issues if i["confirmed"]]                    # one issue per doubtful cell
    assert (yes["file"].split("/")[-1], yes["cell"], yes["code"]) == ("东山镇.xlsx", east, "year_on_year")
    assert yes["confirmation"] == f"已确认：{NOTE}（{WHO} {DATE}）"
    west_issues = [i for i in issues if i["cell"] == west and i["file"].endswith("西河乡.xlsx")]
    assert west_issues and all(i["confirmed"] is False and i["confirmation"] is None for i in west_issues)
    assert all(i["confirmed"] is False and i["confirmation"] is None for i in issues if i is not yes)


def test_a_township_confirmation_in_its_returned_copy_is_shown_as_such(confirmed, tmp_path):
    """退回说明's 确认属实 = 是 (no 确认.xlsx): the line names the township's 说明, not a person."""
    from dangjian_analysis.documents.issues import format_report
    from dangjian_analysis.documents.returns import HEADER_ROW, RETURN_SHEET

    data, east, west = confirmed
    (data / "确认.xlsx").unlink()
    copies = dj.mark_returns(dj.load(data, progress=False), tmp_path / "退回")
    copy = next(p for p in copies if "东山镇" in p.name)
    wb = openpyxl.load_workbook(copy)
    ws = wb[RETURN_SHEET]
    head = {c.value: c.column for c in ws[HEADER_ROW]}
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(r, head["单元格"]).value == east:
            ws.cell(r, head["确认属实"]).value, ws.cell(r, head["说明"]).value = "是", "村办企业当年分红"
    wb.save(copy)
    shutil.copy(copy, data / "东山镇.xlsx")
    text = format_report(dj.load(data, progress=False), max_per_file=None)
    [east_line] = _lines(text, f"村级指标 {east}")
    assert east_line.startswith("  [提示（已确认）]") and east_line.endswith("；已确认：村办企业当年分红（乡镇，见退回说明）")
    [west_line] = _lines(text, f"乡镇指标 {west}")
    assert west_line.startswith("  [提示] ") and "已确认" not in west_line
    assert "（其中 1 条存疑数值已确认）" in text.splitlines()[0]
