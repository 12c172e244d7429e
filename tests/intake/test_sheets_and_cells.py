"""Intake on workbooks as clerks really return them: nothing skipped, nothing invented.

Each test edits a copy of a sample workbook the way a clerk might, then asserts the outcome at
the cell the clerk has to look at, and that every sheet's cells are accounted for.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.intake import load
from helpers import column_of, data_rows, edit, run_cli

VILLAGES = "村级指标"


def _holds(frame: pd.DataFrame) -> bool:
    return bool((frame["cells_read"] == frame["cells_accepted"] + frame["cells_rejected"] + frame["cells_empty"]).all())


def _issues(ds, code):
    found = ds.issues[ds.issues["code"] == code]
    assert len(found), f"no issue {code}: {ds.issues.to_string()}"
    return found


def _value(ds, cell, sheet=VILLAGES):
    obs = ds.observations
    found = obs[(obs["source_sheet"] == sheet) & (obs["source_cell"] == cell)]
    return None if found.empty else float(found["value"].iloc[0])


@pytest.mark.parametrize("typed, code", [
    ("12²", "footnote_mark"),            # a superscript: NFKC folding would read 122
    ("③", "footnote_mark"),              # a circled number: folding would read 3
    ("⑵", "footnote_mark"),              # a parenthesised number
    ("15*", "footnote_mark"),            # a footnote mark
    ("1200 1500", "split_number"),       # two numbers in one cell: never 12001500
    ("1200\n1500", "split_number"),      # a line break between digit groups
])
def test_parsing_never_creates_digits(sample_copy, typed, code):
    path = sample_copy / "东山镇.xlsx"
    cell = edit(path, VILLAGES, {("reserve_cadres", 4): typed})[("reserve_cadres", 4)]
    ds = load(path)
    issue = _issues(ds, code)
    assert issue["cell"].tolist() == [cell] and issue["severity"].iloc[0] == "error"
    assert _value(ds, cell) is None and _holds(ds.files)


def test_full_width_digits_are_still_read(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell = edit(path, VILLAGES, {("reserve_cadres", 4): "１２"})[("reserve_cadres", 4)]
    assert _value(load(path), cell) == 12.0


@pytest.mark.parametrize("yes, no", [("是", "否"), ("有", "无"), ("√", "×"), ("对", "错")])
def test_binary_answers_read_symmetrically(sample_copy, yes, no):
    path = sample_copy / "东山镇.xlsx"
    cells = edit(path, VILLAGES, {("model_org", 4): yes, ("model_org", 5): no})
    ds = load(path)
    assert _value(ds, cells[("model_org", 4)]) == 1.0
    assert _value(ds, cells[("model_org", 5)]) == 0.0        # 无 is 0 here, not a blank
    assert ds.n_errors == 0


def _formatted(path, column_id, row, value, number_format):
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    cell = ws[f"{column_of(ws, column_id)}{row}"]
    cell.value, cell.number_format = value, number_format
    wb.save(path)
    return cell.coordinate


def test_percent_cells_read_as_shown(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    small = _formatted(path, "satisfaction", 4, 0.005, "0.0%")    # shows 0.5%
    over = _formatted(path, "satisfaction", 5, 1.2, "0%")         # shows 120%
    ds = load(path)
    assert _value(ds, small) == 0.5
    assert small not in ds.issues.loc[ds.issues["code"] == "percent_fraction", "cell"].tolist()
    issue = _issues(ds, "over_100")
    assert issue["cell"].tolist() == [over] and "120" in issue["message"].iloc[0]
    assert _value(ds, over) is None


def test_percent_format_in_a_money_column_names_both_numbers(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell = _formatted(path, "office_funds", 4, 0.05, "0%")         # stored 0.05, the clerk saw 5%
    ds = load(path)
    issue = _issues(ds, "format_mismatch")
    assert issue["cell"].tolist() == [cell] and issue["severity"].iloc[0] == "error"
    assert "0.05" in issue["message"].iloc[0] and "5%" in issue["message"].iloc[0]
    assert _value(ds, cell) is None and _holds(ds.sheets)


def _header(path, column_id, text):
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, column_id)
    ws[f"{column}2"] = text
    n = sum(1 for r in data_rows(ws) if ws[f"{column}{r}"].value not in (None, ""))
    wb.save(path)
    return f"{column}2", n


def test_visible_unit_differs_from_the_hidden_id_row(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell, n = _header(path, "office_funds", "村级办公经费（元）")    # the clerk typed 元 for a 万元 column
    ds = load(path)
    issue = _issues(ds, "header_conflict")
    assert issue["cell"].tolist() == [cell] and issue["severity"].iloc[0] == "error"
    assert "“元”" in issue["message"].iloc[0] and "万元" in issue["message"].iloc[0]
    assert not (ds.observations["indicator"] == "office_funds").any()
    assert ds.sheets.set_index("sheet").loc[VILLAGES, "cells_rejected"] == n and _holds(ds.sheets)


def test_visible_header_names_another_indicator(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell, _ = _header(path, "office_funds", "村干部报酬（元）")
    ds = load(path)
    issue = _issues(ds, "header_conflict")
    assert issue["cell"].tolist() == [cell] and "村干部报酬" in issue["message"].iloc[0]


def test_a_data_sheet_without_its_year_column_is_an_error_and_its_cells_rejected(sample_copy, tmp_path):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    ws.delete_cols(3)                                   # 年度 deleted, hidden id row too
    filled = sum(1 for row in ws.iter_rows() for c in row                 # a formula without a cached
                 if c.value not in (None, "") and not str(c.value).startswith("="))   # result reads as empty
    wb.save(path)
    ds = load(path)
    issue = _issues(ds, "no_header")
    assert issue["severity"].iloc[0] == "error" and VILLAGES in issue["message"].iloc[0]
    sheet = ds.sheets.set_index("sheet").loc[VILLAGES]
    assert sheet["cells_read"] == sheet["cells_rejected"] == filled and _holds(ds.files)
    result = run_cli("validate", str(path))
    assert result.returncode == 1 and "校验通过" not in result.stdout


def test_header_below_title_rows_is_found(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    before = load(path)
    wb = openpyxl.load_workbook(path)
    wb[VILLAGES].insert_rows(1, amount=15)              # a title block above the header
    wb.save(path)
    ds = load(path)
    assert ds.n_errors == 0
    assert len(ds.observations) == len(before.observations)


def test_village_sheet_without_village_column_is_one_error(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    ws.delete_cols(2)                                   # 村（社区） deleted
    wb.save(path)
    ds = load(path)
    issue = _issues(ds, "missing_key_column")
    assert len(issue) == 1 and "村（社区）" in issue["message"].iloc[0]
    assert ds.issues["severity"].eq("error").sum() == 1
    assert not (ds.observations["level"] == "village").any() and _holds(ds.sheets)


def test_values_without_a_header_are_reported_and_counted(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    col = ws.max_column + 2
    for row in (5, 6, 9):
        ws.cell(row=row, column=col, value=7)
    letter = openpyxl.utils.get_column_letter(col)
    wb.save(path)
    ds = load(path)
    issue = _issues(ds, "unknown_column")
    assert len(issue) == 1 and f"{letter}5:{letter}9" in issue["message"].iloc[0]
    assert "3 个值" in issue["message"].iloc[0]
    assert ds.sheets.set_index("sheet").loc[VILLAGES, "cells_rejected"] == 3 and _holds(ds.sheets)


def test_a_blank_required_column_is_one_warning(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, "venue_area")
    rows = [c.row for c in ws[column][3:] if c.value not in (None, "")]
    for row in rows:
        ws[f"{column}{row}"] = None
    wb.save(path)
    ds = load(path)
    folded = _issues(ds, "empty_column")
    assert len(folded) == 1 and folded["cell"].iloc[0].startswith(f"{column}4:")
    assert not (ds.issues["code"] == "empty_value").any()


def test_every_sheet_accounts_for_its_cells(sample_dir):
    ds = load(sample_dir)
    assert _holds(ds.sheets) and _holds(ds.files)
    per_file = ds.sheets.groupby("file")[["cells_read", "cells_accepted", "cells_rejected", "cells_empty"]].sum()
    files = ds.files.set_index("file")[per_file.columns]
    assert per_file.equals(files.loc[per_file.index])
    assert set(ds.sheets["sheet"]) >= {"乡镇指标", "村级指标", "述职评议", "四风台账", "驻点联系"}


def test_excel_error_values_are_errors_at_their_cells(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cells = edit(path, VILLAGES, {("office_funds", 4): "#DIV/0!", ("satisfaction", 4): "#N/A"})
    ds = load(path)
    issue = _issues(ds, "excel_error").set_index("cell")
    assert set(issue.index) == set(cells.values())
    assert "#DIV/0!" in issue.loc[cells[("office_funds", 4)], "message"]
    assert _value(ds, cells[("office_funds", 4)]) is None and _holds(ds.sheets)


def test_a_scaling_format_names_both_numbers(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell = _formatted(path, "cadre_allowance", 4, 12000, "0.0,")      # shows 12.0: the clerk saw 12
    ds = load(path)
    issue = _issues(ds, "format_mismatch")
    assert issue["cell"].tolist() == [cell] and "12000" in issue["message"].iloc[0]
    assert "显示为 12" in issue["message"].iloc[0] and _value(ds, cell) is None


def test_a_stray_cell_at_the_end_of_the_sheet_is_reported_and_counted(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    before = load(path)
    edit(path, VILLAGES, {"XFD1048576": 5})
    ds = load(path)
    issue = _issues(ds, "far_cell")
    assert issue["cell"].tolist() == ["XFD1048576"] and issue["severity"].iloc[0] == "error"
    sheet = ds.sheets.set_index("sheet").loc[VILLAGES]
    assert sheet["cells_rejected"] == 1 and _holds(ds.sheets)
    assert len(ds.observations) == len(before.observations)


def test_outside_the_valid_range_is_an_error_outside_the_plausible_a_warning(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cells = edit(path, VILLAGES, {("org_grade", 4): 33, ("committee_age", 4): 450, ("venue_area", 4): 5})
    ds = load(path)
    errors = _issues(ds, "out_of_range").set_index("cell")
    assert set(errors.index) == {cells[("org_grade", 4)], cells[("committee_age", 4)]}
    assert "1–4" in errors.loc[cells[("org_grade", 4)], "message"]
    warning = _issues(ds, "implausible")
    assert warning["cell"].tolist() == [cells[("venue_area", 4)]] and warning["severity"].iloc[0] == "warning"
    assert _value(ds, cells[("venue_area", 4)]) == 5.0 and _value(ds, cells[("org_grade", 4)]) is None


def _rows_by_year(ws) -> dict:
    """{year: sheet row} of the first village of a village sheet (row 4)."""
    village = ws["B4"].value
    return {ws[f"C{r}"].value: r for r in range(4, ws.max_row + 1) if ws[f"B{r}"].value == village}


def test_a_yuan_for_wanyuan_slip_is_questioned_against_last_year(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, "office_funds")
    years = _rows_by_year(ws)
    previous = ws[f"{column}{years[2014]}"].value
    ws[f"{column}{years[2015]}"] = previous * 10000            # 元 typed in a 万元 column
    wb.save(path)
    ds = load(path)
    issue = _issues(ds, "year_on_year")
    assert issue["cell"].tolist() == [f"{column}{years[2015]}"]
    message = issue["message"].iloc[0]
    assert f"{column}{years[2014]}" in message and "2014 年" in message and "1 万倍" in message and "万元" in message


def test_a_questioned_value_is_no_yardstick_for_the_next_year(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, "venue_area")
    rows = _rows_by_year(ws)
    ws[f"{column}{rows[2012]}"] = 5                           # implausible: questioned at its own cell
    wb.save(path)
    ds = load(path)
    assert _issues(ds, "implausible")["cell"].tolist() == [f"{column}{rows[2012]}"]
    jumps = ds.issues[ds.issues["code"] == "year_on_year"]
    assert f"{column}{rows[2013]}" not in jumps["cell"].tolist()   # the right 2013 value is not questioned


def test_a_binary_cell_with_text_speaks_of_yes_and_no(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell = edit(path, VILLAGES, {("model_org", 5): "很多"})[("model_org", 5)]
    message = _issues(load(path), "not_number").set_index("cell").loc[cell, "message"]
    assert "（是/否）" in message and "“是”或“否”" in message and "0/1" not in message


def test_one_year_with_a_questioned_value_loads(tmp_path, sample_dir):
    """A single year (nothing to compare with) that has an implausible value."""
    path = tmp_path / "东山镇.xlsx"
    wb = openpyxl.load_workbook(sample_dir / "东山镇.xlsx")
    for name, year_column in (("乡镇指标", "B"), (VILLAGES, "C"), ("一乡一品", "B")):
        ws = wb[name]
        for row in range(ws.max_row, 3, -1):
            if ws[f"{year_column}{row}"].value != 2015:
                ws.delete_rows(row)
    ws = wb[VILLAGES]
    ws[f"{column_of(ws, 'venue_area')}4"] = 5
    wb.save(path)
    ds = load(path)
    assert len(_issues(ds, "implausible")) == 1 and not (ds.issues["code"] == "year_on_year").any()
