"""The template's print-only comparison sheets (issue 22.7): with ``--previous`` each data sheet is
followed by ``<sheet>（对照打印）`` where each indicator's 本年 (a formula on the clerk's input cell)
prints beside its 上年; the intake never reads them; the data sheet prints without the 上年数."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

import dangjian_analysis as dj
from dangjian_analysis.catalog.tables import TEMPLATE_PRINT_SUFFIX
from dangjian_analysis.documents.template import FIRST_DATA_ROW, ID_ROW, write_template

from helpers import SAMPLE, data_rows, run_cli
from season import fill_like_last_year

CONTACT = "组织部组织科 张三 0000-1234567"
SHEETS = ("乡镇指标", "村级指标", "一乡一品")
FORMULA = re.compile(r"^=IF\('(?P<s>[^']+)'!(?P<c>[A-Z]+)(?P<r>\d+)=\"\",\"\",'(?P=s)'!(?P=c)(?P=r)\)$")


@pytest.fixture(scope="module")
def with_previous(tmp_path_factory, sample_loaded):
    return write_template(tmp_path_factory.mktemp("prev") / "东山镇.xlsx", year=2016, township="东山镇",
                          previous=sample_loaded, deadline="2017-01-15", contact=CONTACT)


def _ids(ws) -> dict:
    """{hidden id: 1-based column} of a data sheet."""
    return {c.value: c.column for c in ws[ID_ROW] if c.value}


def _n_keys(ws) -> int:
    return 3 if ws.title.startswith("村级指标") else 2


def test_comparison_sheets_only_with_previous(tmp_path, with_previous):
    assert openpyxl.load_workbook(with_previous).sheetnames == [
        "填报说明", "名录", "乡镇指标", "乡镇指标（对照打印）", "村级指标", "村级指标（对照打印）",
        "一乡一品", "一乡一品（对照打印）"]
    plain = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", year=2016, township="东山镇"))
    assert plain.sheetnames == ["填报说明", "名录", *SHEETS]
    assert not plain["村级指标"].print_area                          # unchanged without --previous
    guide = "\n".join(str(c.value) for c in openpyxl.load_workbook(with_previous)["填报说明"]["A"] if c.value)
    line = next(t for t in guide.split("\n") if t.startswith("12. 打印"))
    assert "“村级指标（对照打印）”" in line and "签字盖章请打印各填报表" in line
    assert "对照打印" not in "\n".join(str(c.value) for c in plain["填报说明"]["A"] if c.value)


def test_each_pair_is_the_input_cell_and_the_same_rows_last_year(with_previous):
    wb = openpyxl.load_workbook(with_previous)
    for sheet in SHEETS:
        data, comp = wb[sheet], wb[sheet + TEMPLATE_PRINT_SUFFIX]
        ids, n_keys = _ids(data), _n_keys(data)
        inputs = [i for i in ids if f"prev:{i}" in ids]
        rows = list(data_rows(data))
        assert comp.max_row == rows[-1]                                        # no footer
        for r in rows:
            assert [comp.cell(r, j).value for j in range(1, n_keys + 1)] == \
                   [data.cell(r, j).value for j in range(1, n_keys + 1)]
        for k, ind in enumerate(inputs):
            now = n_keys + 1 + 2 * k
            assert comp.cell(2, now).value == data.cell(2, ids[ind]).value      # the indicator's header
            assert comp.cell(3, now).value == "本年\n2016" and comp.cell(3, now + 1).value == "上年\n2015"
            for r in rows:
                m = FORMULA.match(comp.cell(r, now).value)
                assert m and m["s"] == sheet and int(m["r"]) == r, comp.cell(r, now).value
                assert data.cell(ID_ROW, column_index_from_string(m["c"])).value == ind
                assert comp.cell(r, now + 1).value == data.cell(r, ids[f"prev:{ind}"]).value
        assert comp.max_column == n_keys + 2 * len(inputs)
    comp = wb["村级指标（对照打印）"]
    # 东山社区 (row 4): 群众满意度, the 5th indicator (input H) → 本年 L, 上年 M; 93.7 in 2015 (sample)
    assert comp["B4"].value == "东山社区" and comp["L2"].value == "群众满意度（%）"
    assert comp["L4"].value == "=IF('村级指标'!H4=\"\",\"\",'村级指标'!H4)" and comp["M4"].value == 93.7
    assert comp["D4"].value.startswith("=IF('村级指标'!D4=")                 # 党组织等次, first input column


def test_page_breaks_only_before_a_this_year_column_and_print_settings(with_previous):
    wb = openpyxl.load_workbook(with_previous)
    for sheet in SHEETS:
        comp = wb[sheet + TEMPLATE_PRINT_SUFFIX]
        n_keys = _n_keys(comp)
        breaks = [b.id for b in comp.col_breaks.brk]          # 0-based: a page starts at column id + 1
        for b in breaks:
            assert (b - n_keys) % 2 == 0 and comp.cell(3, b + 1).value.startswith("本年"), (sheet, b)
        for merged in comp.merged_cells.ranges:                # no band or header across a page break
            assert not any(merged.min_col - 1 < b <= merged.max_col - 1 for b in breaks), str(merged)
        assert int(comp.page_setup.paperSize) == 9 and not comp.sheet_properties.pageSetUpPr.fitToPage
        assert comp.print_title_rows == "$1:$3" and comp.print_title_cols == f"$A:${get_column_letter(n_keys)}"
        assert comp.print_area == f"'{comp.title}'!$A$1:${get_column_letter(comp.max_column)}${comp.max_row}"
        assert comp.oddHeader.left.text == "报送截止：2017年1月15日" and comp.oddHeader.right.text == f"联系人：{CONTACT}"
        assert "2016年度" in comp.oddHeader.center.text and "&P" in comp.oddFooter.center.text
        assert 60 <= comp.page_setup.scale <= 100
    village = wb["村级指标（对照打印）"]
    # 22 pairs: keys 3 × 89 px, a pair 122 px (136 with two decimals); ≈ 788 px a page at 72 % → 4 pages
    assert village.page_setup.orientation == "landscape" and len(village.col_breaks.brk) == 3
    assert not village.row_breaks.brk                           # one township: no row break


def test_several_townships_break_rows_between_townships(tmp_path, sample_loaded):
    wb = openpyxl.load_workbook(write_template(tmp_path / "all.xlsx", year=2016, previous=sample_loaded))
    comp = wb["村级指标（对照打印）"]
    rows = [b.id for b in comp.row_breaks.brk]                  # a page ends after row id
    towns = [comp.cell(r, 1).value for r in range(FIRST_DATA_ROW, comp.max_row + 1)]
    assert len(rows) == len(set(towns)) - 1 == 9
    assert all(comp.cell(r, 1).value != comp.cell(r + 1, 1).value for r in rows)
    assert comp.page_setup.pageOrder == "overThenDown"           # a township's pages together
    assert not wb["乡镇指标（对照打印）"].row_breaks.brk              # township rows stay together


def test_protected_nothing_to_type(with_previous):
    wb = openpyxl.load_workbook(with_previous)
    for sheet in SHEETS:
        comp = wb[sheet + TEMPLATE_PRINT_SUFFIX]
        assert comp.protection.sheet and not comp.protection.password
        assert all(c.protection.locked for row in comp.iter_rows() for c in row)


def test_data_sheet_prints_keys_inputs_notes_and_footer_only(with_previous):
    wb = openpyxl.load_workbook(with_previous)
    for sheet in SHEETS:
        data = wb[sheet]
        ids = _ids(data)
        note = get_column_letter(ids["note"])
        assert ids["note"] + 1 == min(c for i, c in ids.items() if i.startswith("prev:"))
        seal = max(r for r in range(1, data.max_row + 1) if data.cell(r, 1).value == "单位盖章：")
        assert data.print_area == f"'{sheet}'!$A$1:${note}${seal}"
        assert all(b.id < ids["note"] for b in data.col_breaks.brk)   # no page of 上年数


def test_filled_template_reads_back_as_without_the_comparison_sheets(tmp_path, with_previous):
    from dangjian_analysis.intake._safety import scan_workbook
    from dangjian_analysis.intake._sheetxml import sheet_names

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    a = fill_like_last_year(shutil.copy(with_previous, tmp_path / "a" / "东山镇.xlsx"))
    wb = openpyxl.load_workbook(a)
    for sheet in SHEETS:
        del wb[sheet + TEMPLATE_PRINT_SUFFIX]
    wb.save(b := tmp_path / "b" / "东山镇.xlsx")
    with_comp, without = dj.load(a, progress=False), dj.load(b, progress=False)
    # 15 villages × 22 − 13 当年整顿转化 (only 福塘村, 上湾村 listed) + 2 township + 7 一乡一品 values
    assert len(with_comp.observations) == len(without.observations) == 15 * 22 - 13 + 2 + 7
    cols = [c for c in with_comp.observations.columns if c != "source_file"]
    assert with_comp.observations[cols].equals(without.observations[cols])
    accounts = ["status", "cells_read", "cells_accepted", "cells_rejected", "cells_empty"]
    assert with_comp.files[accounts].equals(without.files[accounts])
    assert with_comp.issues.drop(columns="file").equals(without.issues.drop(columns="file"))
    assert not with_comp.issues["sheet"].astype(str).str.contains("对照打印").any()
    # never scanned either: the comparison sheets' parts are not among the scanned worksheets
    names = sheet_names(scan_workbook(a).zf)
    assert sorted(names[p] for p in scan_workbook(a).parts) == sorted(SHEETS)


def test_return_keeps_the_comparison_sheets(tmp_path, with_previous):
    folder = tmp_path / "2016"
    folder.mkdir()
    path = fill_like_last_year(shutil.copy(with_previous, folder / "东山镇.xlsx"))
    wb = openpyxl.load_workbook(path)
    wb["村级指标"]["H4"] = 150                                       # 群众满意度 over 100: an error
    wb.save(path)
    result = run_cli("validate", str(folder), "--return", str(tmp_path / "退回"))
    assert result.returncode == 1 and "对照打印" not in result.stdout, result.stdout + result.stderr
    copy = openpyxl.load_workbook(next((tmp_path / "退回").glob("*.xlsx")))
    assert [n for n in copy.sheetnames if n.endswith(TEMPLATE_PRINT_SUFFIX)] == [s + TEMPLATE_PRINT_SUFFIX for s in SHEETS]
    comp = copy["村级指标（对照打印）"]
    assert comp["L4"].value == "=IF('村级指标'!H4=\"\",\"\",'村级指标'!H4)" and comp["M4"].value == 93.7
    assert comp.protection.sheet


def test_cli_message_unchanged_and_same_bytes_as_in_process(tmp_path, sample_loaded):
    out = tmp_path / "cli.xlsx"
    result = run_cli("template", "--year", "2016", "--township", "东山镇", "--previous", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0 and result.stdout == f"已生成填报模板：{out}（含上年数）\n", result.stderr
    again = write_template(tmp_path / "api.xlsx", year=2016, township="东山镇", previous=sample_loaded)
    assert out.read_bytes() == again.read_bytes()
    assert "村级指标（对照打印）" in openpyxl.load_workbook(out).sheetnames
