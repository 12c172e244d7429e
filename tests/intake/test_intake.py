"""Intake: the sample round-trips exactly; every rejection names its cell; accounting holds."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.intake import load
from dangjian_analysis.sample import make_sample
from helpers import column_of, data_rows, edit

KEYS = ["unit_id", "year", "indicator"]


@pytest.fixture(scope="module")
def sample_dataset(sample_dir, catalog):
    return load(sample_dir, catalog=catalog)


def _accounting_holds(files: pd.DataFrame) -> bool:
    return bool((files["cells_read"] == files["cells_accepted"] + files["cells_rejected"] + files["cells_empty"]).all())


def test_sample_loads_exactly_the_generated_values(sample_dataset, catalog):
    ds = sample_dataset
    assert ds.n_errors == 0 and ds.n_warnings == 0, ds.issues.head()
    expected = make_sample(catalog).observations
    got = ds.observations
    assert len(got) == len(expected)
    merged = expected.merge(got, on=KEYS, suffixes=("_gen", "_load"), validate="one_to_one")
    assert len(merged) == len(expected)
    assert (merged["value_gen"] == merged["value_load"]).all()
    for col in ("unit_name", "level", "township"):
        assert (merged[f"{col}_gen"] == merged[f"{col}_load"]).all()
    assert ds.files["status"].eq("loaded").all() and _accounting_holds(ds.files)
    assert ds.files["cells_accepted"].sum() - ds.files.set_index("file").filter(like="县级数据", axis=0)["cells_accepted"].sum() == len(got)


def test_county_tables_round_trip(sample_dataset, catalog):
    sample = make_sample(catalog)
    ds = sample_dataset
    cols = ["year", "secretary", "unit_name", "rater_group", "item", "rating", "count"]
    pd.testing.assert_frame_equal(ds.ballots[cols].reset_index(drop=True), sample.ballots[cols], check_dtype=False)
    ledger_cols = ["township", "item_id", "description", "opened", "due", "closed", "status"]
    pd.testing.assert_frame_equal(ds.ledger[ledger_cols], sample.ledger[ledger_cols], check_dtype=False)
    pd.testing.assert_frame_equal(ds.links[list(sample.links.columns)], sample.links, check_dtype=False)
    assert ds.ballots["source_cell"].str.match(r"^A\d+:G\d+$").all()


def test_observations_carry_cell_provenance(sample_dataset, sample_dir):
    obs = sample_dataset.observations
    row = obs[(obs["unit_name"] == "东山镇") & (obs["indicator"] == "feature_output") & (obs["year"] == 2012)].iloc[0]
    assert row["source_sheet"] == "一乡一品" and row["source_cell"] == "C4"
    ws = openpyxl.load_workbook(sample_dir / "东山镇.xlsx")["一乡一品"]
    assert ws["C4"].value == row["value"]


def test_csv_copies_give_the_same_values(sample_dataset, sample_csv_dir):
    ds = load(sample_csv_dir)
    assert ds.n_errors == 0 and _accounting_holds(ds.files)
    merged = sample_dataset.observations.merge(ds.observations, on=KEYS, validate="one_to_one")
    assert len(merged) == len(sample_dataset.observations) == len(ds.observations)
    assert (merged["value_x"] == merged["value_y"]).all()
    assert ds.observations["source_cell"].str.match(r"^第\d+行/.+（.+）$").all()
    assert len(ds.ballots) == len(sample_dataset.ballots)


# -- editing returned workbooks ---------------------------------------------------------

def _issue(ds, code):
    found = ds.issues[ds.issues["code"] == code]
    assert len(found), f"no issue {code}: {ds.issues.to_string()}"
    return found


@pytest.mark.parametrize("indicator, value, code", [
    ("office_funds", "很多", "not_number"),
    ("office_funds", -2, "negative"),
    ("training_rate", 130, "over_100"),
    ("model_org", 3, "not_binary"),
    ("new_members", 2.5, "not_integer"),
    ("venue_area", "200亩", "bad_unit"),
])
def test_each_value_rejection_names_its_cell(sample_copy, indicator, value, code):
    path = sample_copy / "东山镇.xlsx"
    address = edit(path, "村级指标", {(indicator, 9): value})[(indicator, 9)]
    ds = load(path)
    issue = _issue(ds, code).iloc[0]
    assert (issue["file"], issue["sheet"], issue["cell"], issue["severity"]) == (str(path), "村级指标", address, "error")
    assert str(value).rstrip("亩") in issue["message"]
    assert ds.files.loc[0, "cells_rejected"] == 1 and _accounting_holds(ds.files)
    village = openpyxl.load_workbook(path)["村级指标"]["B9"].value
    obs = ds.observations
    assert obs[(obs["unit_name"] == village) & (obs["indicator"] == indicator) & (obs["year"] == 2012)].empty


@pytest.mark.parametrize("cell, value, code, expected", [
    ("C5", 2030, "bad_year", "2012–2016"),             # a multi-year file: the catalogue's rule, not its id
    ("A5", "东风镇", "unknown_township", "东风镇"),
    ("B5", "不存在村", "unknown_village", "不存在村"),
])
def test_key_rejections_are_one_message_at_the_key_cell(sample_copy, cell, value, code, expected):
    path = sample_copy / "东山镇.xlsx"
    edit(path, "村级指标", {cell: value})
    ds = load(path)
    filled = [c for c in openpyxl.load_workbook(path)["村级指标"][5][3:] if c.value not in (None, "")]
    issue = _issue(ds, code)
    assert list(issue["cell"]) == [cell] and expected in issue["message"].iloc[0]
    assert f"本行 {len(filled)} 个值未采用" in issue["message"].iloc[0]
    assert ds.issues[ds.issues["severity"] == "error"]["cell"].tolist() == [cell]   # one cause, one message
    assert ds.files.loc[0, "cells_rejected"] == len(filled) and _accounting_holds(ds.files)


def test_aliases_are_resolved(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    edit(path, "村级指标", {"A4": "东山", "B4": "东山"})   # 东山 → 东山镇, 东山 → 东山社区
    ds = load(path)
    assert ds.n_errors == 0
    d4 = ds.observations[(ds.observations["source_sheet"] == "村级指标") & (ds.observations["source_cell"] == "D4")]
    assert d4[["unit_name", "township"]].values.tolist() == [["东山社区", "东山镇"]]


def test_normalised_values_are_accepted(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    edit(path, "村级指标", {("office_funds", 4): "５．５万元", ("cadre_allowance", 4): "0.2万元",
                          ("training_rate", 4): "96%", ("model_org", 4): "是", ("matters_handled", 4): "1,234"})
    ds = load(path)
    obs = ds.observations[(ds.observations["unit_name"] == "东山社区") & (ds.observations["year"] == 2012)]
    values = obs.set_index("indicator")["value"]
    assert values[["office_funds", "cadre_allowance", "training_rate", "model_org", "matters_handled"]].tolist() == \
        [5.5, 2000.0, 96.0, 1.0, 1234.0]
    assert list(_issue(ds, "unit_converted")["severity"]) == ["warning"]
    assert ds.n_errors == 0


def test_empty_markers_count_as_empty_and_warn(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    base = load(path).files.loc[0]
    edit(path, "村级指标", {("office_funds", 4): "—", ("satisfaction", 4): "不适用"})
    ds = load(path)
    assert ds.files.loc[0, "cells_empty"] == base["cells_empty"] + 2
    assert len(_issue(ds, "empty_value")) == 2 and ds.n_errors == 0


def test_formula_without_cached_value_is_rejected(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    address = edit(path, "村级指标", {("office_funds", 6): "=1+2"})[("office_funds", 6)]
    ds = load(path)
    issue = _issue(ds, "formula_no_value").iloc[0]
    assert issue["cell"] == address and "公式" in issue["message"]
    assert _accounting_holds(ds.files)


def test_a_corrected_copy_beside_the_original_is_one_error_and_neither_is_used(sample_copy):
    shutil.copy(sample_copy / "东山镇.xlsx", sample_copy / "东山镇(修改).xlsx")
    edit(sample_copy / "东山镇(修改).xlsx", "村级指标", {("office_funds", 7): 9.99})   # a village of 2012
    ds = load(sample_copy / "东山镇.xlsx", sample_copy / "东山镇(修改).xlsx")
    twice = _issue(ds, "duplicate_file")
    assert len(twice) == 1 and ds.n_errors == 1 and twice["cell"].iloc[0] == ""
    assert twice["message"].iloc[0] == ("东山镇 2012 年在两个文件中：东山镇.xlsx、东山镇(修改).xlsx；请只保留一个"
                                        "（删去另一个之前，东山镇 2012 年的数据都不采用）")
    assert not (ds.observations["year"] == 2012).any()          # neither file's 2012 is used
    assert "duplicate_conflict" not in set(ds.issues["code"])
    rejected = ds.files["cells_rejected"].tolist()
    assert rejected[0] == rejected[1] > 0 and _accounting_holds(ds.files)
    # the years both files give alike load once, with one warning naming both files (not one per cell)
    same = _issue(ds, "duplicate_same")
    assert same[["file", "sheet", "cell", "severity"]].values.tolist() == \
        [[str(sample_copy / "东山镇(修改).xlsx"), "", "", "warning"]]          # on the file not used
    assert same["message"].iloc[0] == ("东山镇 2013—2015 年在两个文件中（东山镇.xlsx、东山镇(修改).xlsx），内容相同，"
                                       "只采用一次；请删去其中一个")
    assert ds.files.loc[0, "cells_accepted"] == len(ds.observations)


def test_one_return_twice_byte_identical_is_one_warning_and_its_values_are_used_once(sample_copy, tmp_path):
    """The same 2016 return saved twice (a 修改 copy unchanged, or the file in two --data folders):
    one warning naming both files, the values of the original alone, nothing rejected."""
    from season import build_season

    data = build_season(tmp_path, ["东山镇"])
    alone = load(data / "2016" / "东山镇.xlsx")
    shutil.copy(data / "2016" / "东山镇.xlsx", data / "2016" / "东山镇(修改).xlsx")
    ds = load(data)
    same = _issue(ds, "duplicate_same")
    assert same[["file", "severity", "message"]].values.tolist() == [
        [str(data / "2016" / "东山镇.xlsx"), "warning", "东山镇 2016 年在两个文件中（2016/东山镇.xlsx、"
                                                        "2016/东山镇(修改).xlsx），内容相同，只采用一次；请删去其中一个"]]
    assert set(ds.issues["code"]) <= {"duplicate_same", "empty_value"}      # each file's blank cells, besides
    keys = ["unit_id", "year", "indicator", "value"]
    this_year = ds.observations[ds.observations["year"] == 2016].reset_index(drop=True)
    assert this_year[keys].equals(alone.observations[keys])
    assert ds.n_errors == 0 and (ds.files["cells_rejected"] == 0).all()
    other = tmp_path / "另一份" / "2016"
    other.mkdir(parents=True)
    shutil.copy(data / "2016" / "东山镇.xlsx", other / "东山镇.xlsx")
    both = load(data / "2016" / "东山镇.xlsx", other / "东山镇.xlsx")
    (line,) = both.issues.loc[both.issues["code"] == "duplicate_same", "message"]
    assert line.startswith("东山镇 2016 年在两个文件中（") and line.count("东山镇.xlsx") == 2
    assert both.observations[keys].equals(alone.observations[keys])


def test_conflicting_duplicates_within_a_file_name_both_cells(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    row = [c.value for c in ws[5]]
    at = data_rows(ws).stop                                  # a row added above the template's footer
    ws.insert_rows(at)
    for j, v in enumerate([*row[:3], *[9.99 if isinstance(v, (int, float)) else v for v in row[3:]]], start=1):
        ws.cell(at, j).value = v
    wb.save(path)
    ds = load(path)
    conflict = _issue(ds, "duplicate_conflict")
    assert len(conflict) > 1 and "9.99" in conflict["message"].iloc[0] and "duplicate_file" not in set(ds.issues["code"])


def test_renamed_and_reordered_columns_map_back_by_id_row(sample_copy, sample_dataset):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    for row in ws.iter_rows(min_row=2):             # swap columns D and E entirely, rename both headers
        row[3].value, row[4].value = row[4].value, row[3].value
    ws["D2"], ws["E2"] = "新表头甲", "新表头乙"
    wb.save(path)
    ds = load(path)
    assert ds.n_errors == 0
    ref = sample_dataset.observations
    ref = ref[ref["source_file"].str.endswith("东山镇.xlsx")]
    merged = ref.merge(ds.observations, on=KEYS)
    assert len(merged) == len(ref) and (merged["value_x"] == merged["value_y"]).all()


def test_without_id_row_headers_and_aliases_map(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ws.delete_rows(3)
    ws["D2"] = "等次(1-4)"                          # an alias of org_grade
    ws.cell(row=2, column=ws.max_column + 1, value="备注")
    ws.cell(row=3, column=ws.max_column, value="已核实")
    wb.save(path)
    ds = load(path)
    assert ds.n_errors == 0
    assert (ds.observations["indicator"] == "org_grade").sum() == 15 * 4
    unknown = _issue(ds, "unknown_column").iloc[0]
    assert "备注" in unknown["message"] and unknown["severity"] == "warning"


def test_lock_files_are_skipped_and_other_files_rejected(sample_copy):
    (sample_copy / "~$东山镇.xlsx").write_bytes(b"lock")
    (sample_copy / "notes.txt").write_text("x")
    ds = load(sample_copy)
    status = ds.files.assign(name=ds.files["file"].map(lambda f: f.split("/")[-1])).set_index("name")["status"]
    assert len(status) == 13 and (status == "loaded").sum() == 11
    assert status["~$东山镇.xlsx"] == "skipped" and status["notes.txt"] == "rejected"
    assert ds.issues["code"].tolist() == ["document"]


def test_load_raises_a_chinese_error_for_missing_paths(tmp_path):
    from dangjian_analysis.intake import LoadError

    with pytest.raises(LoadError, match="nope"):
        load(tmp_path / "nope")


def test_inputs_are_not_mutated_and_catalog_is_attached(sample_dataset, catalog):
    assert sample_dataset.catalog is catalog


def test_missing_village_rows_warn(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    gone = ws["B6"].value
    ws.delete_rows(6)
    wb.save(path)
    ds = load(path)
    missing = _issue(ds, "missing_village")
    assert list(missing["message"]) == [f"东山镇 2012 年缺少 {gone} 的数据"]


def test_keys_only_row_and_wrong_level_and_unknown_sheet(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    for cell in ws[7][3:]:
        cell.value = None
    ws["D3"] = "feature_output"                       # a township indicator in the village sheet
    ws["D2"] = "主导产业产值（万元）"
    filled = sum(1 for row in ws.iter_rows(min_row=4, min_col=4, max_col=4) if row[0].value not in (None, ""))
    extra = wb.create_sheet("草稿")
    extra["A1"] = "随手记的数"
    wb.save(path)
    ds = load(path)
    assert _issue(ds, "empty_row")["cell"].tolist() == ["A7"]
    wrong = _issue(ds, "wrong_level")                  # one error for the column, not one per cell
    assert wrong["cell"].tolist() == ["D2"] and f"本列 {filled} 个值未采用" in wrong["message"].iloc[0]
    assert "草稿" in _issue(ds, "unknown_sheet")["message"].iloc[0]
    sheets = ds.sheets.set_index("sheet")
    assert sheets.loc["村级指标", "cells_rejected"] == filled and sheets.loc["草稿", "cells_rejected"] == 1
    assert _accounting_holds(ds.files) and _accounting_holds(ds.sheets)


def test_county_table_rejections_name_the_cell(sample_copy):
    path = sample_copy / "县级数据.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["述职评议"]["F5"] = "很好"
    wb["述职评议"]["G6"] = -1
    wb["驻点联系"]["C3"] = "不存在村"
    wb.save(path)
    ds = load(path)
    bad = ds.issues[ds.issues["severity"] == "error"].sort_values("cell")
    assert bad["cell"].tolist() == ["C3", "F5", "G6"]
    assert "很好" in bad["message"].iloc[1] and "A5:G5" in bad["message"].iloc[1]
    assert ds.files.loc[0, "cells_rejected"] == 7 + 7 + 5 and _accounting_holds(ds.files)


def test_gbk_csv_export_is_read(tmp_path):
    path = tmp_path / "东山镇_一乡一品.csv"
    path.write_bytes("乡镇,年度,主导产业产值（万元）,品牌数\n东山,2015,\"6,500\",2个\n".encode("gbk"))
    ds = load(path)
    assert ds.n_errors == 0
    got = ds.observations.set_index("indicator")["value"].to_dict()
    assert got == {"feature_output": 6500.0, "brands": 2.0}
    assert set(ds.observations["source_cell"]) == {"第2行/主导产业产值（万元）", "第2行/品牌数"}


def test_internal_failure_becomes_an_issue_for_that_file(sample_copy, monkeypatch):
    from dangjian_analysis.intake import _sheets

    original = _sheets._read_sheet

    def boom(batch, table, file, *args, **kwargs):
        if file.endswith("西河乡.xlsx"):
            raise RuntimeError("测试用的故障")
        return original(batch, table, file, *args, **kwargs)

    monkeypatch.setattr(_sheets, "_read_sheet", boom)
    ds = load(sample_copy)
    row = ds.files.set_index("file").loc[str(sample_copy / "西河乡.xlsx")]
    assert row["status"] == "rejected" and row["cells_read"] == 0
    assert "报告给开发人员" in _issue(ds, "internal_error")["message"].iloc[0]
    assert (ds.observations["township"] == "西河乡").sum() == 0
    assert (ds.files["status"] == "loaded").sum() == 10


def test_progress_bar_for_batches(sample_dir, capsys):
    load(sample_dir, progress=True)
    assert "读取" in capsys.readouterr().err
    load(sample_dir, progress=False)
    assert capsys.readouterr().err == ""


def test_repeated_paths_and_county_copies_are_read_once(sample_dir, sample_csv_dir):
    county = sample_dir / "县级数据.xlsx"
    ds = load(county, county)
    assert len(ds.files) == 1 and ds.issues["code"].tolist() == ["repeated_path"]
    both = load(sample_dir / "县级数据.xlsx", sample_csv_dir / "县级数据_述职评议.csv")
    assert len(both.ballots) == len(load(county).ballots)
    assert (both.issues["code"] == "duplicate_same").sum() == len(both.ballots)
    assert both.n_errors == 0


def test_conflicting_county_rows_are_rejected(sample_copy, tmp_path):
    csv = tmp_path / "县级数据_述职评议.csv"
    csv.write_text("年度,书记,单位,评议人类别,评议项目,评价,票数\n2015,赵立新,东山镇党委,县级领导,总体评价,好,999\n",
                   "utf-8")
    ds = load(sample_copy / "县级数据.xlsx", csv)
    conflict = ds.issues[ds.issues["code"] == "duplicate_conflict"]
    assert len(conflict) == 2 and set(conflict["cell"]) == {"第2行", conflict["cell"].iloc[0]}
    key = (ds.ballots["year"] == 2015) & (ds.ballots["secretary"] == "赵立新") & \
        (ds.ballots["rater_group"] == "county_leaders") & (ds.ballots["item"] == "总体评价") & (ds.ballots["rating"] == "好")
    assert not key.any() and _accounting_holds(ds.files)


def test_missing_column_and_township_without_villages_warn(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ws.delete_cols(4)                                  # org_grade gone
    for row in ws.iter_rows(min_row=4):
        if row[2].value == 2013:
            for cell in row:
                cell.value = None
    wb.save(path)
    ds = load(path)
    assert "党组织等次" in _issue(ds, "missing_column")["message"].iloc[0]
    assert "东山镇 2013 年没有任何村级数据" in _issue(ds, "missing_village")["message"].tolist()


def test_formula_in_prefixed_xml_is_found(sample_dir, tmp_path):
    import re
    import zipfile

    src = sample_dir / "东山镇.xlsx"
    out = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":        # 村级指标
                data = re.sub(rb'<c r="D5"[^>]*>.*?</c>', b'<c r="D5"><f>1+1</f></c>', data)
                data = re.sub(rb"<(/?)(worksheet|sheetData|row|c|v|f)\b", rb"<\1x:\2", data)
                data = data.replace(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                    b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
            zout.writestr(info, data)
    ds = load(out)
    assert "D5" in ds.issues.loc[ds.issues["code"] == "formula_no_value", "cell"].tolist()


def test_percent_formatted_cells_are_read_as_percent(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    column = column_of(ws, "satisfaction")
    ws[f"{column}4"] = 0.85                      # typed 85% in a cell formatted as percentage
    ws[f"{column}4"].number_format = "0%"
    ws[f"{column}5"] = 1.0
    ws[f"{column}5"].number_format = "0.00%"
    wb.save(path)
    ds = load(path)
    obs = ds.observations[(ds.observations["indicator"] == "satisfaction") & (ds.observations["source_sheet"] == "村级指标")]
    values = obs.set_index("source_cell")["value"]
    assert values[f"{column}4"] == 85.0 and values[f"{column}5"] == 100.0
    warned = _issue(ds, "percent_format")
    assert sorted(warned["cell"]) == [f"{column}4", f"{column}5"] and ds.n_errors == 0
