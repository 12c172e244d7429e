"""Cells as WPS and Excel users leave them: years shown from dates or typed as 2015年度, key
cells merged down the sheet, one value merged over two villages."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from dangjian_analysis.intake import load
from dangjian_analysis.intake._numfmt import year_only
from dangjian_analysis.intake._sheetxml import merged_ranges

from helpers import SAMPLE, data_rows

WORKBOOK = SAMPLE / "东山镇.xlsx"
KEYS = ["unit_id", "year", "indicator", "value"]


@pytest.fixture(scope="module")
def baseline(catalog):
    return load(WORKBOOK, catalog=catalog)


def _values(ds):
    return ds.observations[KEYS].sort_values(KEYS).reset_index(drop=True)


def _copy(tmp_path):
    path = tmp_path / "东山镇.xlsx"
    shutil.copy(WORKBOOK, path)
    return path


@pytest.mark.parametrize("code, shows_year", [("yyyy", True), ('yyyy"年"', True), ("e", True), ('yyyy"年度"', True),
                                              ("yyyy-mm-dd", False), ("yyyy/m", False), ("0", False),
                                              ("General", False), ('"yyyy"0', False)])
def test_year_only_formats(code, shows_year):
    assert year_only(code) is shows_year


def test_year_cells_given_as_dates_or_as_text_are_read_as_the_year(tmp_path, catalog, baseline):
    path = _copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["乡镇指标"]
    assert [ws[f"B{r}"].value for r in (4, 5, 6, 7)] == [2012, 2013, 2014, 2015]
    ws["B4"], ws["B4"].number_format = dt.datetime(2012, 6, 1), 'yyyy"年"'
    ws["B5"], ws["B5"].number_format = dt.datetime(2013, 12, 31), "yyyy"
    ws["B6"], ws["B7"] = "2014年", "2015年度"
    village = wb["村级指标"]
    village["C4"], village["C4"].number_format = dt.datetime(2012, 1, 1), "yyyy"
    wb.save(path)
    ds = load(path, catalog=catalog)
    assert ds.n_errors == 0, ds.issues.to_string()
    assert _values(ds).equals(_values(baseline))


def test_a_full_date_in_a_year_cell_is_not_taken_for_a_year(tmp_path, catalog):
    path = _copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["乡镇指标"]
    ws["B4"], ws["B4"].number_format = dt.datetime(2012, 6, 1), "yyyy-mm-dd"
    wb.save(path)
    ds = load(path, catalog=catalog)
    issue = ds.issues[(ds.issues["sheet"] == "乡镇指标") & (ds.issues["cell"] == "B4")].iloc[0]
    assert issue["severity"] == "error" and issue["code"] == "bad_year"
    assert not ((ds.observations["source_sheet"] == "乡镇指标") & (ds.observations["year"] == 2012)).any()


def _merge_down(ws, column: str, first: int, last: int) -> None:
    """Merge a key column down as a clerk does: the first cell keeps the value."""
    for r in range(first + 1, last + 1):
        ws[f"{column}{r}"] = None
    ws.merge_cells(f"{column}{first}:{column}{last}")


def test_key_cells_merged_down_give_their_value_to_every_row(tmp_path, catalog, baseline):
    path = _copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    rows_2012 = [r for r in data_rows(ws) if ws[f"C{r}"].value == 2012]
    assert rows_2012 == list(range(4, 4 + len(rows_2012))) and len(rows_2012) > 5
    _merge_down(ws, "A", 4, data_rows(ws)[-1])               # 乡镇 over every data row
    _merge_down(ws, "C", 4, rows_2012[-1])                   # 年度 over the 2012 rows
    town = wb["乡镇指标"]
    _merge_down(town, "A", 4, 7)
    wb.save(path)
    assert (3, 2, len(rows_2012) + 2, 2) in merged_ranges(_sheet_xml(path, "村级指标"))
    ds = load(path, catalog=catalog)
    assert ds.n_errors == 0 and ds.n_warnings == baseline.n_warnings, ds.issues.to_string()
    assert _values(ds).equals(_values(baseline))
    assert ds.files[["cells_read", "cells_accepted", "cells_empty"]].equals(
        baseline.files[["cells_read", "cells_accepted", "cells_empty"]])


def _sheet_xml(path, name) -> bytes:
    import zipfile

    from dangjian_analysis.intake._sheetxml import sheet_names

    with zipfile.ZipFile(path) as zf:
        part = {v: k for k, v in sheet_names(zf).items()}[name]
        return zf.read(part)


def test_a_value_merged_over_two_villages_is_an_error_at_the_range_taken_for_neither(tmp_path, catalog, baseline):
    path = _copy(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    assert ws["D2"].value == "党组织等次（级）" and ws["B5"].value == "联家村" and ws["B6"].value == "梅源村"
    ws["D5"] = 3
    _merge_down(ws, "D", 5, 6)
    ws.merge_cells("E7:F7")                                  # one 是 for two indicators of 朝沟村
    wb.save(path)
    ds = load(path, catalog=catalog)
    merged = ds.issues[ds.issues["code"] == "merged_value"]            # one error a range, at its first cell
    assert merged["cell"].tolist() == ["D5", "E7"] and set(merged["severity"]) == {"error"}
    assert merged["message"].iloc[0] == "党组织等次（级）：D5:D6 为合并单元格，一个数值不能同时作为两个村的数据；请拆分后分别填写"
    assert "E7:F7 为合并单元格，一个数值不能同时作为两项指标的数据" in merged["message"].iloc[1]
    obs = ds.observations[(ds.observations["year"] == 2012)].set_index(["unit_name", "indicator"])
    for village, indicator in (("联家村", "org_grade"), ("梅源村", "org_grade"), ("朝沟村", "model_org"),
                               ("朝沟村", "weak_listed")):
        assert (village, indicator) not in obs.index
    assert len(ds.observations) == len(baseline.observations) - 4
    before, after = baseline.files.iloc[0], ds.files.iloc[0]
    assert after["cells_read"] == before["cells_read"]
    assert after["cells_rejected"] == before["cells_rejected"] + 4
    assert after["cells_accepted"] == before["cells_accepted"] - 4


def _ledger(path, description: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "四风台账"
    ws.append(["乡镇", "编号", "问题描述", "建账日期", "整改时限", "销号日期", "状态"])
    ws.append(["东山镇", "T01-2015-01", "公车私用", dt.datetime(2015, 5, 6), dt.datetime(2015, 8, 4),
               dt.datetime(2015, 8, 3), "已销号"])
    ws.append(["东山镇", "T01-2015-02", description, dt.datetime(2015, 3, 10), dt.datetime(2015, 5, 9), None, "整改中"])
    wb.save(path)


def test_a_text_reaching_the_readers_limit_is_a_warning_at_its_cell(tmp_path, catalog):
    path = tmp_path / "县级数据.xlsx"
    _ledger(path, "问题" * 20000)                           # 40,000 characters: the reader keeps 32,767
    ds = load(path, catalog=catalog)
    assert len(ds.ledger) == 2 and len(ds.ledger["description"].iloc[1]) == 32767
    issue = ds.issues.set_index("cell").loc["C3"]
    assert issue["severity"] == "warning" and issue["code"] == "long_text" and issue["sheet"] == "四风台账"
    assert "32,767 个字符" in issue["message"] and "可能不完整" in issue["message"]
    _ledger(path, "问题" * 100)
    assert load(path, catalog=catalog).issues.empty


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_table_from_which_nothing_could_be_taken_is_an_error_and_validate_exits_1(tmp_path, catalog, kind):
    from helpers import run_cli

    path = tmp_path / f"东山镇.{kind}"
    rows = [["名称", "数量", "备注"], ["东山社区", 3, "无"], ["联家村", 4, None]]
    if kind == "csv":
        path.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in rows), "utf-8")
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    ds = load(path, catalog=catalog)
    error = ds.issues[ds.issues["severity"] == "error"]
    assert error["code"].tolist() == ["nothing_taken"] and "8 个非空单元格全部未读取" in error["message"].iloc[0]
    assert ds.files["status"].tolist() == ["rejected"] and ds.files["cells_rejected"].tolist() == [8]
    result = run_cli("validate", str(path))
    assert result.returncode == 1 and "没有错误" not in result.stdout and "校验通过" not in result.stdout


def test_a_file_in_a_year_folder_holding_other_years_gets_one_warning(tmp_path, catalog):
    (tmp_path / "2014").mkdir()
    (tmp_path / "2015").mkdir()
    wrong, right = tmp_path / "2014" / "东山镇.xlsx", tmp_path / "2015" / "西河乡.xlsx"
    shutil.copy(WORKBOOK, wrong)
    shutil.copy(SAMPLE / "西河乡.xlsx", right)
    for path in (wrong, right):                              # keep 2015 only, as a 2015 return holds
        wb = openpyxl.load_workbook(path)
        for ws in (wb["乡镇指标"], wb["村级指标"], wb["一乡一品"]):
            year = 2 if ws.title == "乡镇指标" else 3
            for r in range(ws.max_row, 3, -1):
                if ws.cell(r, year).value != 2015:
                    ws.delete_rows(r)
        wb.save(path)
    ds = load(tmp_path, catalog=catalog)
    notes = ds.issues[ds.issues["code"] == "folder_year"]
    assert notes["file"].tolist() == [str(wrong)] and notes["severity"].tolist() == ["warning"]
    assert notes["message"].iloc[0].startswith("文件在“2014”文件夹中，但其中的数据是 2015 年度的")
    assert set(ds.observations["year"]) == {2015}                # a note, nothing dropped


def test_zip_members_leaving_the_package_are_refused_with_one_line(tmp_path, catalog):
    import zipfile

    for name in ("../../evil.xml", "/etc/evil.xml", "xl/..\\..\\evil.xml"):
        path = tmp_path / "东山镇.xlsx"
        with zipfile.ZipFile(WORKBOOK) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename))
            zout.writestr(name, b"<x/>")
        ds = load(path, catalog=catalog)
        assert ds.files["status"].tolist() == ["rejected"] and len(ds.issues) == 1
        issue = ds.issues.iloc[0]
        assert issue["code"] == "zip_path" and name in issue["message"] and "\n" not in issue["message"]
