"""Keys the clerk cannot break: a 2016 template of 东山镇 filled as a clerk would, with the
usual slips — rows pasted from last year keeping 2015, a 合计 row added between the villages,
a 备注, the footer signed — read back by the intake: one message per slip, at its cell, and the
advice, applied literally, makes the next reading clean."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load

from clerk import fill_with_2015, ids_of, unit_rows
from helpers import SAMPLE, write_catalog

TOWN = "东山镇"


def _rows(ws) -> dict:
    return unit_rows(ws, TOWN)


@pytest.fixture
def filled(tmp_path):
    """A 2016 template of 东山镇 (alone in its folder) filled with the township's 2015 figures."""
    folder = tmp_path / "2016"
    folder.mkdir()
    path = dj.write_template(folder / f"{TOWN}.xlsx", year=2016, township=TOWN)
    fill_with_2015(path, TOWN)
    return path


def _errors(ds):
    return ds.issues[ds.issues["severity"] == "error"]


def _holds(ds) -> bool:
    f = ds.files
    return bool((f["cells_read"] == f["cells_accepted"] + f["cells_rejected"] + f["cells_empty"]).all())


def test_the_filled_template_reads_clean_and_its_footer_is_not_data(filled):
    wb = openpyxl.load_workbook(filled)
    ws = wb["村级指标"]
    total = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "本表合计")
    ws.cell(total, 4).value = 37                       # the clerk types a total into the 合计 line
    signed = next(r for r in range(total, ws.max_row + 1) if ws.cell(r, 1).value == "填表人：")
    ws.cell(signed, 2).value = "李四"
    ws.cell(signed, 5).value = 13800000000             # a telephone number under an indicator column
    wb.save(filled)
    ds = load(filled.parent)
    assert _errors(ds).empty, _errors(ds)
    rows = {int("".join(ch for ch in c if ch.isdigit())) for c in ds.issues["cell"] if c}
    assert not rows & set(range(total, ws.max_row + 1))        # nothing said about the footer
    obs = ds.observations
    assert set(obs["year"]) == {2016} and obs["unit_name"].nunique() == 15 + 1
    assert not obs["source_cell"].isin([f"D{total}", f"E{signed}"]).any()
    assert _holds(ds)


def test_rows_pasted_from_last_year_are_one_error_each_at_the_year_cell(filled, tmp_path):
    wb = openpyxl.load_workbook(filled)
    ws = wb["村级指标"]
    rows = _rows(ws)
    pasted = [rows["梅源村"], rows["朝沟村"], rows["兴坪村"]]
    for r in pasted:
        ws.cell(r, 3).value = 2015
    wb.save(filled)
    n_values = sum(1 for r in pasted for c in ws[r][3:] if c.value not in (None, ""))
    alone = load(filled.parent)
    errors = _errors(alone)
    assert errors["cell"].tolist() == [f"C{r}" for r in pasted]
    assert (errors["code"] == "wrong_year").all()
    first = errors["message"].iloc[0]
    assert f"本表为 2016 年度填报表，年度应为 2016（第 {pasted[0]} 行为“2015”，可能是从上年表中粘贴的行）" in first
    assert "请把年度改为 2016" in first
    assert alone.files["cells_rejected"].sum() == n_values and _holds(alone)
    assert not alone.observations["unit_name"].isin(["梅源村", "朝沟村", "兴坪村"]).any()
    assert (alone.observations["year"] == 2016).all()
    # with last year's data loaded too: the same three errors, nothing naming the county's files
    both = tmp_path / "both"
    shutil.copytree(filled.parent, both / "2016")
    shutil.copytree(SAMPLE, both / "sample")
    with_last = load(both)
    assert _errors(with_last)["cell"].tolist() == [f"C{r}" for r in pasted]
    # the advice, followed literally
    for r in pasted:
        ws.cell(r, 3).value = 2016
    wb.save(filled)
    fixed = load(filled.parent)
    assert _errors(fixed).empty and fixed.observations["unit_name"].isin(["梅源村"]).any()


def test_a_total_row_added_between_the_villages_is_one_error_advising_to_delete_it(filled):
    wb = openpyxl.load_workbook(filled)
    ws = wb["村级指标"]
    at = _rows(ws)["石岗村"]                              # the clerk inserts a 小计 after 福塘村
    ws.insert_rows(at)
    ws.cell(at, 1).value, ws.cell(at, 2).value, ws.cell(at, 3).value = TOWN, "小计", 2016
    ws.cell(at, 4).value, ws.cell(at, 8).value = 18, 520
    remark = at + 2                                      # and a 说明 row in the township column
    ws.insert_rows(remark)
    ws.cell(remark, 1).value = "说明：园庄村书记空缺"
    ws.cell(remark, 9).value = 3
    wb.save(filled)
    ds = load(filled.parent)
    errors = _errors(ds)
    assert errors["cell"].tolist() == [f"B{at}", f"A{remark}"]
    assert (errors["code"] == "added_row").all()
    assert f"第 {at} 行“小计”是另加的合计/小计行" in errors["message"].iloc[0]
    assert "请删除该行" in errors["message"].iloc[0] and "本行 2 个值未采用" in errors["message"].iloc[0]
    assert "是另加的说明行" in errors["message"].iloc[1] and "本行 1 个值未采用" in errors["message"].iloc[1]
    assert not ds.issues["code"].isin(["unknown_village", "unknown_township", "duplicate_conflict"]).any()
    assert ds.files.loc[0, "cells_rejected"] == 3 and _holds(ds)
    ws.delete_rows(remark)                               # 删除该行, twice
    ws.delete_rows(at)
    wb.save(filled)
    assert _errors(load(filled.parent)).empty


def test_a_note_in_the_remarks_column_reaches_the_analyst_and_is_never_a_value(filled):
    wb = openpyxl.load_workbook(filled)
    ws = wb["村级指标"]
    note = ids_of(ws).index("note") + 1
    r = _rows(ws)["丰湾村"]
    ws.cell(r, note).value = "丰湾村\n已于2016年6月并入梅源村\u202e，数据为估计"
    ws.cell(r + 1, note).value = "长" * 300
    wb.save(filled)
    ds = load(filled.parent)
    notes = ds.issues[ds.issues["code"] == "clerk_note"]
    letter = openpyxl.utils.get_column_letter(note)
    assert notes["cell"].tolist() == [f"{letter}{r}", f"{letter}{r + 1}"]
    assert (notes["severity"] == "info").all() and _errors(ds).empty
    assert notes["message"].iloc[0] == "填报人备注：“丰湾村 已于2016年6月并入梅源村，数据为估计”（备注不作为数值读取）"
    assert f"…（共 300 字，全文见 {letter}{r + 1}）" in notes["message"].iloc[1]
    assert not ds.observations["source_cell"].str.startswith(letter).any()
    assert _holds(ds)


def test_a_new_village_name_used_before_its_rename_is_read_with_a_warning(sample_copy, tmp_path, catalog_text):
    renamed = '{ id = "T01V02", name = "联家社区", renamed = { from = "联家村", year = 2015 } }'
    text = catalog_text.replace('{ id = "T01V02", name = "联家村" }', renamed)
    assert renamed in text
    catalog = load_catalog(write_catalog(tmp_path, text))
    path = sample_copy / f"{TOWN}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    for r in range(4, ws.max_row + 1):
        if ws[f"B{r}"].value == "联家村" and ws[f"C{r}"].value == 2015:
            ws[f"B{r}"] = "联家社区"
        if ws[f"B{r}"].value == "联家村" and ws[f"C{r}"].value == 2014:
            ws[f"B{r}"], early = "联家社区", r                  # the new name a year too early
    wb.save(path)
    ds = load(sample_copy, catalog=catalog)
    late = ds.issues[ds.issues["code"] == "new_village_name"]
    assert late["cell"].tolist() == [f"B{early}"] and (late["severity"] == "warning").all()
    assert late["message"].iloc[0] == ("村（社区）“联家社区”自 2015 年起才使用，2014 年的名称是“联家村”："
                                       "请改为“联家村”（本行按联家村读取）")
    obs = ds.observations
    assert len(obs[(obs["unit_id"] == "T01V02") & (obs["year"] == 2014)]) > 10


def test_a_footer_line_among_the_villages_and_a_village_below_the_footer_lose_no_row(filled):
    """A 联系电话 line pasted among the villages is not data, and the villages after it are read;
    a village row typed under 单位盖章 is read (review of the footer rule)."""
    wb = openpyxl.load_workbook(filled)
    ws = wb["村级指标"]
    ws.protection.sheet = False
    villages = _rows(ws)
    middle = sorted(villages.values())[5]
    ws.insert_rows(middle)
    ws.cell(middle, 1).value = "联系电话：13800000000"
    ws.cell(middle, 5).value = 13800000000                  # under an indicator column
    last = ws.max_row + 2
    moved = sorted(villages.items(), key=lambda kv: kv[1])[-1][0]
    source = _rows(ws)[moved]
    for j in range(1, ws.max_column + 1):                   # the last village moved below 单位盖章
        ws.cell(last, j).value, ws.cell(source, j).value = ws.cell(source, j).value, None
    wb.save(filled)
    ds = load(filled.parent)
    assert _errors(ds).empty, _errors(ds)
    obs = ds.observations
    assert obs["unit_name"].nunique() == 15 + 1                       # every village and the township
    assert obs.loc[obs["unit_name"] == moved, "source_cell"].str.endswith(str(last)).all()
    assert not obs["source_cell"].isin([f"E{middle}"]).any()          # the phone number is not a value
    assert _holds(ds)
