"""Returned workbooks marked for correction: marked cells, the 退回说明 sheet, data untouched,
and the loop closes — fix the marked cells in the copy, load it, and the issues are gone."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from dangjian_analysis.documents.returns import ERROR_FILL, RETURN_SHEET, WARNING_FILL, mark_returns
from dangjian_analysis.intake import load
from helpers import column_of, edit, run_cli

VILLAGES = "村级指标"


@pytest.fixture
def returned(sample_copy, tmp_path):
    """东山镇 with an error (text in a number column), a warning (an implausible area) and a bad
    village name; the other workbooks clean."""
    path = sample_copy / "东山镇.xlsx"
    original = openpyxl.load_workbook(path)[VILLAGES]["B8"].value
    cells = edit(path, VILLAGES, {("office_funds", 5): "很多", ("venue_area", 6): 5, "B8": "不存在村"})
    cells["B8"] = original
    ds = load(sample_copy)
    out = mark_returns(ds, tmp_path / "退回")
    return ds, path, cells, out


def test_only_workbooks_with_issues_get_a_copy_named_after_the_township(returned):
    ds, _, _, out = returned
    assert [p.name for p in out] == ["东山镇_2012-2015_退回修改.xlsx"]


def test_cells_are_filled_and_carry_the_message(returned):
    ds, _, cells, out = returned
    ws = openpyxl.load_workbook(out[0])[VILLAGES]
    error, warning = ws[cells[("office_funds", 5)]], ws[cells[("venue_area", 6)]]
    assert error.fill.fgColor.rgb.endswith(ERROR_FILL) and "很多" in error.comment.text
    assert warning.fill.fgColor.rgb.endswith(WARNING_FILL) and "常见范围" in warning.comment.text
    assert ws["B8"].fill.fgColor.rgb.endswith(ERROR_FILL) and "不存在村" in ws["B8"].comment.text


def test_the_first_sheet_explains_every_issue_with_a_link(returned):
    ds, path, cells, out = returned
    wb = openpyxl.load_workbook(out[0])
    ws = wb.worksheets[0]
    assert ws.title == RETURN_SHEET and "东山镇" in ws["A1"].value and "东山镇.xlsx" in ws["A2"].value
    n_err = int(((ds.issues["file"] == str(path)) & (ds.issues["severity"] == "error")).sum())
    assert f"错误 {n_err} 条" in ws["A3"].value
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert len(rows) == (ds.issues["file"] == str(path)).sum()
    by_cell = {r[3]: r for r in rows}
    row = by_cell[cells[("office_funds", 5)]]
    assert row[1] == "错误" and row[4] == "数值" and "很多" in row[5] and row[6]
    linked = [c for c in ws["D"][5:] if c.hyperlink is not None]
    assert f"#'{VILLAGES}'!{cells[('office_funds', 5)]}" in {c.hyperlink.location or c.hyperlink.target for c in linked}
    assert ws.print_title_rows == "$5:$5" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert all(c.font.size >= 10 for c in ws[6])


def test_the_clerks_data_is_untouched(returned):
    _, path, _, out = returned
    before, after = openpyxl.load_workbook(path), openpyxl.load_workbook(out[0])
    assert after.sheetnames[1:] == before.sheetnames
    for name in before.sheetnames:
        a, b = before[name], after[name]
        assert [[c.value for c in row] for row in a.iter_rows()] == [[c.value for c in row] for row in b.iter_rows()]
        assert [[c.number_format for c in row] for row in a.iter_rows()] == \
            [[c.number_format for c in row] for row in b.iter_rows()]
        assert len(a.data_validations.dataValidation) == len(b.data_validations.dataValidation)
        assert {k: d.hidden for k, d in a.row_dimensions.items()} == {k: d.hidden for k, d in b.row_dimensions.items()}


def test_the_copy_reads_back_as_the_original_and_fixing_it_clears_the_issues(returned, tmp_path, sample_dir):
    ds, path, cells, out = returned
    again = load(out[0])
    original = ds.issues[ds.issues["file"] == str(path)][["sheet", "cell", "code"]]
    assert again.issues[["sheet", "cell", "code"]].values.tolist() == original.values.tolist()
    fixed = tmp_path / "fixed.xlsx"
    shutil.copy(out[0], fixed)
    wb = openpyxl.load_workbook(fixed)
    ws = wb[VILLAGES]
    ws[cells[("office_funds", 5)]] = 5.2
    ws[cells[("venue_area", 6)]] = 260
    ws["B8"] = cells["B8"]                               # the village's name as in the 名录
    wb.save(fixed)
    clean = load(fixed)
    assert clean.n_errors == 0 and clean.n_warnings == 0
    keys = ["unit_id", "year", "indicator"]
    pristine = load(sample_dir / "东山镇.xlsx").observations.set_index(keys)["value"]
    got = clean.observations.set_index(keys)["value"]
    changed = {(u, i) for u, _, i in (got.index.symmetric_difference(pristine.index))}
    assert len(got) == len(pristine) and not changed
    differs = got[got != pristine.reindex(got.index)]
    assert set(differs.index.get_level_values("indicator")) <= {"office_funds", "venue_area"}


def test_writing_twice_gives_the_same_bytes(returned, tmp_path):
    ds, _, _, out = returned
    again = mark_returns(ds, tmp_path / "again")
    assert out[0].read_bytes() == again[0].read_bytes()


def test_cli_writes_the_returns(sample_copy, tmp_path):
    edit(sample_copy / "西河乡.xlsx", VILLAGES, {("office_funds", 5): "很多"})
    result = run_cli("validate", str(sample_copy), "--return", str(tmp_path / "退回"))
    assert result.returncode == 1 and "退回修改" in result.stdout
    assert [p.name for p in (tmp_path / "退回").iterdir()] == ["西河乡_2012-2015_退回修改.xlsx"]


def test_a_column_header_issue_marks_the_header_cell(sample_copy, tmp_path):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, "office_funds")
    ws[f"{column}2"] = "村级办公经费（元）"
    wb.save(path)
    out = mark_returns(load(path), tmp_path / "退回")
    marked = openpyxl.load_workbook(out[0])[VILLAGES][f"{column}2"]
    assert marked.fill.fgColor.rgb.endswith(ERROR_FILL) and "万元" in marked.comment.text
