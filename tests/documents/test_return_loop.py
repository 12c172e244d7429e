"""The return loop closes (issue 21.3): a corrected copy returned a second time is marked afresh,
a copy with formulas returned unchanged reads back as the original, a corrected copy saved
beside the original is one error; and 退回说明 has the township's 确认属实 / 说明 columns."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from dangjian_analysis.documents.returns import (CONFIRMABLE, ERROR_FILL, HEADER_ROW, RETURN_HEADER, RETURN_SHEET,
                                                 WARNING_FILL, mark_returns)
from dangjian_analysis.intake import load
from helpers import edit

VILLAGES = "村级指标"
KEYS = ["sheet", "cell", "code"]


def _listed(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def _fill(cell) -> str:
    return str(cell.fill.fgColor.rgb) if cell.fill.fill_type == "solid" else ""


@pytest.fixture
def first_round(sample_copy, tmp_path):
    """东山镇 with an error (text in a number column) and a doubtful value (an implausible area),
    returned once."""
    path = sample_copy / "东山镇.xlsx"
    cells = edit(path, VILLAGES, {("office_funds", 5): "很多", ("venue_area", 6): 5})
    out = mark_returns(load(path), tmp_path / "退回1")
    return path, cells, out[0]


@pytest.mark.parametrize("authors_lost", [False, True])       # True: as a copy LibreOffice saved
def test_a_second_round_lists_only_the_current_issues_and_leaves_no_stale_marks(first_round, tmp_path, authors_lost):
    path, cells, copy = first_round
    fixed, wrong = cells[("office_funds", 5)], cells[("venue_area", 6)]
    wb = openpyxl.load_workbook(copy)                  # the clerk fixes one cell and notes another
    ws = wb[VILLAGES]
    assert _fill(ws[fixed]).endswith(ERROR_FILL) and ws[fixed].comment is not None
    if authors_lost:
        for address in (fixed, wrong):
            ws[address].comment = Comment(ws[address].comment.text, " ")
    ws[fixed] = 5.2
    ws["C10"].comment = Comment("该村本年已合并到东山社区", "张三")
    ws["C11"].fill = PatternFill("solid", fgColor=ERROR_FILL)     # the clerk's own (Excel's 差 style)
    wb.save(copy)
    corrected = load(copy)
    second = mark_returns(corrected, tmp_path / "退回2")[0]
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames.count(RETURN_SHEET) == 1 and wb.sheetnames[0] == RETURN_SHEET
    listed = _listed(wb[RETURN_SHEET])
    assert [[r[2], r[3]] for r in listed] == corrected.issues[["sheet", "cell"]].values.tolist()
    assert wrong in [r[3] for r in listed] and fixed not in [r[3] for r in listed]
    ws = wb[VILLAGES]
    assert ws[fixed].comment is None                   # no stale note, and the fill the column's cells have
    above = ws[f"{fixed[0]}{int(fixed[1:]) + 1}"]
    assert _fill(ws[fixed]) == _fill(above) and not _fill(ws[fixed]).endswith(ERROR_FILL)
    assert _fill(ws[wrong]).endswith(WARNING_FILL) and ws[wrong].comment.text.count("【提示】") == 1
    assert ws[wrong].comment.author == "县委组织部"
    assert ws["C10"].comment.text == "该村本年已合并到东山社区" and ws["C10"].comment.author == "张三"
    assert _fill(ws["C11"]).endswith(ERROR_FILL)
    assert load(second).issues[KEYS].values.tolist() == corrected.issues[KEYS].values.tolist()


def test_the_township_confirms_doubtful_values_in_the_last_two_columns(first_round):
    _, cells, copy = first_round
    ws = openpyxl.load_workbook(copy)[RETURN_SHEET]
    assert tuple(c.value for c in ws[HEADER_ROW]) == RETURN_HEADER
    assert RETURN_HEADER[7:] == ("确认属实", "说明", "问题") and ws.protection.sheet
    rows = {r[3]: i for i, r in enumerate(_listed(ws), start=HEADER_ROW + 1)}
    doubtful, error = rows[cells[("venue_area", 6)]], rows[cells[("office_funds", 5)]]
    assert ws[f"B{doubtful}"].value == "提示" and ws[f"B{error}"].value == "错误"
    (choice,) = ws.data_validations.dataValidation
    assert choice.type == "list" and choice.formula1 == '"是"'
    assert f"H{doubtful}" in str(choice.sqref) and f"H{error}" not in str(choice.sqref)
    for column in "HI":
        assert not ws[f"{column}{doubtful}"].protection.locked and ws[f"{column}{error}"].protection.locked
        assert ws[f"{column}{doubtful}"].fill.fill_type == "solid"
    assert "implausible" in CONFIRMABLE and "year_on_year" in CONFIRMABLE


def _as_excel_writes(path, sheet: str, cells: dict[str, tuple[str, str]]) -> None:
    """Give cells of ``sheet`` a formula with its cached result as Excel writes them: address →
    (type, the XML inside ``<c>``); openpyxl cannot write cached results."""
    from dangjian_analysis.intake._sheetxml import sheet_names

    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        part = {name: p for p, name in sheet_names(src).items()}[sheet]
        for info in src.infolist():
            content = src.read(info.filename).decode()
            if info.filename == part:
                for address, (kind, inner) in cells.items():
                    content, n = re.subn(rf'<c r="{address}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)',
                                         lambda m: f'<c r="{address}"{m[1] or ""}{kind}>{inner}</c>', content)
                    assert n == 1, address
            dst.writestr(info, content.encode())
    path.write_bytes(out.getvalue())


def test_a_copy_with_formulas_returned_unchanged_reads_back_as_the_original(sample_copy, tmp_path):
    path = sample_copy / "东山镇.xlsx"
    cells = edit(path, VILLAGES, {("office_funds", 6): 0, ("office_funds", 7): 0, ("venue_area", 7): 0,
                                  ("station_running", 8): 0, ("office_funds", 5): "很多"})
    funds, shared, area, station = (cells[k] for k in [("office_funds", 6), ("office_funds", 7), ("venue_area", 7),
                                                         ("station_running", 8)])
    _as_excel_writes(path, VILLAGES, {
        funds: ("", f'<f t="shared" ref="{funds}:{shared}" si="0">2+3.2</f><v>5.2</v>'),
        shared: ("", '<f t="shared" si="0"/><v>5.2</v>'),
        area: ("", "<f>SUM(200,60)</f><v>260</v>"),
        station: (' t="str"', '<f>IF(1,"是","否")</f><v>是</v>')})
    original = load(path)
    assert "formula_no_value" not in set(original.issues["code"])
    assert (original.issues["code"] == "formula_cached").sum() == 4
    copy = mark_returns(original, tmp_path / "退回")[0]
    again = load(copy)
    assert again.issues[KEYS].values.tolist() == original.issues[KEYS].values.tolist()
    keys = ["unit_id", "year", "indicator"]
    assert again.observations.set_index(keys)["value"].equals(original.observations.set_index(keys)["value"])
    ws = openpyxl.load_workbook(copy)[VILLAGES]
    assert ws[funds].value == "=2+3.2" and ws[station].value == '=IF(1,"是","否")'     # formulas kept
    values = openpyxl.load_workbook(copy, data_only=True)[VILLAGES]
    assert [values[a].value for a in (funds, shared, area, station)] == [5.2, 5.2, 260, "是"]


def test_a_corrected_copy_beside_the_original_is_one_error_in_the_returned_copy(sample_copy, tmp_path):
    shutil.copy(sample_copy / "东山镇.xlsx", sample_copy / "东山镇(修改).xlsx")
    edit(sample_copy / "东山镇(修改).xlsx", VILLAGES, {("office_funds", 5): 9.99})
    ds = load(sample_copy / "东山镇.xlsx", sample_copy / "东山镇(修改).xlsx")
    copies = mark_returns(ds, tmp_path / "退回")      # (the other years, alike in both, are read once)
    listed = [r for copy in copies for r in _listed(openpyxl.load_workbook(copy)[RETURN_SHEET]) if r[1] == "错误"]
    assert len(listed) == 1 and "东山镇.xlsx、东山镇(修改).xlsx" in listed[0][5] and "只保留一个" in listed[0][5]


def _confirm(copy, cell: str, note: str) -> None:
    """The clerk selects 是 in 确认属实 on the row of ``cell`` and writes ``note`` in 说明."""
    wb = openpyxl.load_workbook(copy)
    ws = wb[RETURN_SHEET]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws[f"D{r}"].value == cell)
    ws[f"H{row}"], ws[f"I{row}"] = "是", note
    wb.save(copy)


def test_a_confirmation_survives_the_next_round_and_a_changed_value_is_asked_again(first_round, tmp_path):
    """Round 1: the clerk confirms the doubtful area and leaves the error. Round 2 lists the area
    as 已确认 (是, the 说明) with no mark on its cell; the clerk fixes the error. Round 3 reads
    the confirmation from round 2's copy and sends nothing back; a changed area is asked again."""
    from dangjian_analysis.documents.returns import CONFIRMED
    from dangjian_analysis.metrics.completeness import doubtful_cells

    _, cells, copy = first_round
    error, area = cells[("office_funds", 5)], cells[("venue_area", 6)]
    _confirm(copy, area, "该村活动室为临时借用")
    second = mark_returns(load(copy), tmp_path / "退回2")[0]
    wb = openpyxl.load_workbook(second)
    rows = {r[3]: r for r in _listed(wb[RETURN_SHEET])}
    assert [r[3] for r in _listed(wb[RETURN_SHEET])] == [error, area]
    assert rows[area][1] == CONFIRMED and rows[area][7:9] == ("是", "该村活动室为临时借用")
    assert rows[error][1] == "错误" and rows[error][7] is None
    assert "提示 0 条" in wb[RETURN_SHEET]["A3"].value and "已确认 1 条" in wb[RETURN_SHEET]["A3"].value
    ws = wb[VILLAGES]
    assert ws[area].comment is None and not _fill(ws[area]).endswith(WARNING_FILL)
    assert _fill(ws[error]).endswith(ERROR_FILL)
    ws[error] = 5.2                                    # round 2: the clerk fixes the error only
    wb.save(second)
    third = load(second)
    assert third.confirmations[["cell", "note", "confirmed_by"]].values.tolist() == \
        [[area, "该村活动室为临时借用", "乡镇（退回说明）"]]
    held = doubtful_cells(third, third.catalog)
    assert held[["cell", "confirmed"]].values.tolist() == [[area, True]]
    assert mark_returns(third, tmp_path / "退回3") == []          # nothing left to ask
    wb = openpyxl.load_workbook(second)                 # the value changed instead: asked again
    wb[VILLAGES][area] = 6
    wb.save(second)
    again = mark_returns(load(second), tmp_path / "退回4")[0]
    rows = {r[3]: r for r in _listed(openpyxl.load_workbook(again)[RETURN_SHEET])}
    assert rows[area][1] == "提示" and rows[area][7:9] == (None, None)
    assert _fill(openpyxl.load_workbook(again)[VILLAGES][area]).endswith(WARNING_FILL)


def test_the_analysts_confirmation_is_carried_to_the_township_with_who_confirmed(first_round, tmp_path):
    path, cells, _ = first_round
    area = cells[("venue_area", 6)]
    book = openpyxl.Workbook()
    book.active.title = "确认"
    book.active.append(["文件（或乡镇）", "工作表", "单元格", "数值", "说明", "确认人", "日期"])
    book.active.append(["东山镇", VILLAGES, area, 5, "电话核实", "李四", "2016-01-12"])
    book.save(path.parent / "确认.xlsx")
    copy = mark_returns(load(path, path.parent / "确认.xlsx"), tmp_path / "退回2")[0]
    rows = {r[3]: r for r in _listed(openpyxl.load_workbook(copy)[RETURN_SHEET])}
    assert rows[area][1] == "已确认" and rows[area][7:9] == ("是", "电话核实（李四确认）")
