"""Messages a clerk can act on (issue 21.5), at the cell, on a copy of the sample: numbers as typed
(never 1.21365e+07), the 元/万元 hint only on money, one message per cell with every reason, and a
name the catalogue does not know answered with the catalogue line that records a rename."""

from __future__ import annotations

import colorsys

import openpyxl
import pytest

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load
from dangjian_analysis.intake._cells import one_issue_per_cell
from dangjian_analysis.intake._values import number_text

from helpers import edit, write_catalog

VILLAGES = "村级指标"
RENAMED = '{ id = "T01V02", name = "联家社区", aliases = ["联家"], renamed = { from = "联家村", year = 2015 } }'


def _row(path, village: str, year: int) -> int:
    ws = openpyxl.load_workbook(path)[VILLAGES]
    return next(r for r in range(4, ws.max_row + 1) if ws[f"B{r}"].value == village and ws[f"C{r}"].value == year)


def _at(ds, cell: str):
    """The issues at one cell of the village sheet."""
    return ds.issues[(ds.issues["sheet"] == VILLAGES) & (ds.issues["cell"] == cell)]


def _consistent(ds) -> None:
    """Counts and the issue list agree, and no cell has two issues."""
    assert ds.n_errors + ds.n_warnings == len(ds.issues)
    single = ds.issues[(ds.issues["cell"] != "") & ~ds.issues["cell"].str.contains(":")]
    assert not single.duplicated(["file", "sheet", "cell"]).any(), single[single.duplicated(["file", "sheet", "cell"],
                                                                                            keep=False)]


@pytest.mark.parametrize("value, text", [(12136500.0, "12136500"), (1234.5678, "1234.5678"), (0.1 + 0.2, "0.3"),
                                         (2e-7, "0.0000002"), (1e20, "100000000000000000000"), (-0.0, "0"),
                                         (5.0, "5")])
def test_numbers_are_never_in_scientific_notation(value, text):
    assert number_text(value) == text


def test_yuan_typed_in_a_wanyuan_column_is_quoted_as_typed_with_the_unit_hint(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    cell = edit(path, VILLAGES, {("collective_income", _row(path, "联家村", 2015)): 12136500})
    ds = load(path)
    issue = _at(ds, cell[("collective_income", _row(path, "联家村", 2015))])
    assert len(issue) == 1
    message = issue["message"].iloc[0]
    assert "12136500" in message and "e+" not in message
    assert "如果填的是元，应换算为 1213.65 万元" in message
    _consistent(ds)


def test_a_count_of_people_out_of_range_has_no_money_hint(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    key = ("reserve_cadres", _row(path, "联家村", 2012))          # the first year: nothing to compare with
    cell = edit(path, VILLAGES, {key: 99})[key]
    issue = _at(load(path), cell)
    assert issue[["severity", "code"]].values.tolist() == [["warning", "implausible"]]
    message = issue["message"].iloc[0]
    assert message == "村级后备干部（人）：99 不在常见范围 0–15 内，请核实是否多输、少输了数字"
    assert "元" not in message


def test_a_cell_both_implausible_and_far_from_last_year_gets_one_issue_with_both_reasons(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    key = ("reserve_cadres", _row(path, "联家村", 2015))
    cell = edit(path, VILLAGES, {key: 99})[key]
    ds = load(path)
    issue = _at(ds, cell)
    assert issue[["severity", "code"]].values.tolist() == [["warning", "year_on_year"]]
    message = issue["message"].iloc[0]
    assert message.startswith("村级后备干部（人）有 2 个问题：①99 不在常见范围 0–15 内")
    assert "；②99（人），与上年（2014 年，东山镇.xlsx 村级指标" in message and "是上年的" in message
    assert "元" not in message
    assert ds.n_warnings == 1 and ds.n_errors == 0
    _consistent(ds)


def test_merging_keeps_the_worst_severity_and_leaves_ranges_and_files_alone():
    issues = [("a.xlsx", "村级指标", "D5", "warning", "implausible", "经费（万元）：900 不在常见范围 0–500 内"),
              ("a.xlsx", "村级指标", "D5:D9", "warning", "empty_column", "经费：本列 5 个单元格全部未填写"),
              ("a.xlsx", "", "", "error", "corrupt", "文件损坏"),
              ("a.xlsx", "", "", "error", "corrupt", "文件损坏"),
              ("a.xlsx", "村级指标", "D5", "error", "duplicate_conflict", "东山镇 2015 年 经费 重复填报且数值不同"),
              ("b.xlsx", "村级指标", "D5", "warning", "implausible", "经费（万元）：700 不在常见范围 0–500 内")]
    merged = one_issue_per_cell(issues)
    assert merged[1:] == [issues[1], issues[2], issues[3], issues[5]]
    assert merged[0][:5] == ("a.xlsx", "村级指标", "D5", "error", "duplicate_conflict")
    assert merged[0][5] == ("本单元格有 2 个问题：①东山镇 2015 年 经费 重复填报且数值不同；"
                            "②经费（万元）：900 不在常见范围 0–500 内")


def test_the_returned_copy_notes_the_merged_message_once(sample_copy, tmp_path):
    from dangjian_analysis.documents.returns import mark_returns

    path = sample_copy / "东山镇.xlsx"
    key = ("reserve_cadres", _row(path, "联家村", 2015))
    cell = edit(path, VILLAGES, {key: 99})[key]
    out = mark_returns(load(path), tmp_path / "退回")
    note = openpyxl.load_workbook(out[0])[VILLAGES][cell].comment.text
    assert note.count("【提示】") == 1 and "不在常见范围" in note and "与上年" in note


def test_a_renamed_village_names_the_catalogue_line_that_records_it(sample_copy, catalog_text, tmp_path):
    path = sample_copy / "东山镇.xlsx"
    row = _row(path, "联家村", 2015)
    edit(path, VILLAGES, {f"B{row}": "联家社区"})
    ds = load(path)
    issue = _at(ds, f"B{row}")
    assert issue[["severity", "code"]].values.tolist() == [["error", "unknown_village"]]
    line = '{ id = "T01V02", name = "联家社区", renamed = { from = "联家村", year = 2015 } }'
    message = issue["message"].iloc[0]
    assert "如是笔误，请改为“联家村”" in message and f"把该村一行改为 {line}" in message
    # the line as given, put in the catalogue, reads the row as 联家村's (now 联家社区) without an error
    text = catalog_text.replace('{ id = "T01V02", name = "联家村" }', line)
    again = load(path, catalog=load_catalog(write_catalog(tmp_path, text)))
    assert again.n_errors == 0
    obs = again.observations
    assert set(obs.loc[(obs["unit_id"] == "T01V02") & (obs["year"] == 2015), "source_cell"].str[1:]) >= {str(row)}


def test_a_misspelled_village_keeps_the_history_in_the_line(sample_copy, catalog_text, tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, catalog_text.replace('{ id = "T01V02", name = "联家村" }', RENAMED)))
    path = sample_copy / "东山镇.xlsx"
    row = _row(path, "联家村", 2015)
    edit(path, VILLAGES, {f"B{row}": "联家新社区"})
    message = _at(load(path, catalog=catalog), f"B{row}")["message"].iloc[0]
    line = ('{ id = "T01V02", name = "联家新社区", aliases = ["联家"], '
            'renamed = { from = "联家村", year = 2015 } }')
    assert "如是笔误，请改为“联家社区”" in message and line in message
    assert load_catalog(write_catalog(tmp_path, catalog_text.replace('{ id = "T01V02", name = "联家村" }', line)))


def test_a_name_close_to_no_village_still_says_how_a_rename_is_recorded(sample_copy):
    path = sample_copy / "东山镇.xlsx"
    row = _row(path, "联家村", 2013)
    edit(path, VILLAGES, {f"B{row}": "新华村"})
    message = _at(load(path), f"B{row}")["message"].iloc[0]
    assert "请按名录填写 2013 年的村名" in message and 'renamed = { from = "原名称", year = 2013 }' in message


def _hue(rgb: str) -> float:
    return colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))[0] * 360


def test_error_warning_and_input_colours_are_apart_in_hue():
    from dangjian_analysis.documents import template
    from dangjian_analysis.documents.returns import ERROR_FILL, WARNING_FILL

    hues = [_hue(ERROR_FILL), _hue(WARNING_FILL), _hue(template._INPUT)]
    for a, b in ((0, 1), (1, 2), (0, 2)):
        gap = abs(hues[a] - hues[b]) % 360
        assert min(gap, 360 - gap) >= 15, (hues, a, b)


@pytest.mark.parametrize("raw, meant", [("梅园村", "梅源村"), ("联佳村", "联家村"), ("朝岗村", None)])
def test_the_village_meant_is_the_closest_one(catalog, raw, meant):
    from dangjian_analysis.intake._near_names import unknown_village

    message = unknown_village(catalog, "东山镇", raw, 2014)
    if meant:
        assert f"如是笔误，请改为“{meant}”" in message and message.count("相近") == 1
    else:                                    # as close to 朝沟村 as to 朝峰村: no guess at the line
        assert "如是笔误" not in message and "renamed = { from = \"原名称\"" in message


def test_a_renamed_village_in_the_county_links_table_gets_the_catalogue_line(tmp_path):
    """驻点联系 names 联家社区 for 东山镇 (the catalogue knows 联家村): the message names the close
    village and the exact catalogue line, as in the townships' own returns."""
    import shutil

    import openpyxl

    import dangjian_analysis as dj
    from helpers import SAMPLE

    data = tmp_path / "数据"
    shutil.copytree(SAMPLE, data)
    wb = openpyxl.load_workbook(data / "县级数据.xlsx")
    ws = wb["驻点联系"]
    column = [c.value for c in ws[1]].index("村（社区）") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == "联家村")
    ws.cell(row, column).value = "联家社区"
    wb.save(data / "县级数据.xlsx")
    issues = dj.load(data, progress=False).issues
    message = issues.loc[(issues["sheet"] == "驻点联系") & issues["message"].str.contains("联家社区"), "message"]
    assert len(message) == 1
    assert "名录中的“联家村”相近" in message.iloc[0]
    assert '{ id = "T01V02", name = "联家社区"' in message.iloc[0]
