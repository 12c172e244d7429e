"""Doubtful values hold their results until confirmed (issue 21.1)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import dangjian_analysis as dj
from helpers import SAMPLE, column_of


def _row(ws, village: str, year: int) -> int:
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == village and ws.cell(r, 3).value == year)


@pytest.fixture
def season(tmp_path):
    """The sample with 90000 typed in the 万元 column 村集体经济收入 of 东山镇 联家村 2015 (元 for 万元),
    and 33 typed for 3 县级以上示范点 of 西河乡 2015."""
    data = tmp_path / "数据"
    shutil.copytree(SAMPLE, data)
    wb = openpyxl.load_workbook(data / "东山镇.xlsx")
    ws = wb["村级指标"]
    cell = f"{column_of(ws, 'collective_income')}{_row(ws, '联家村', 2015)}"
    ws[cell] = 90000
    wb.save(data / "东山镇.xlsx")
    wb = openpyxl.load_workbook(data / "西河乡.xlsx")
    ws = wb["乡镇指标"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == 2015)
    town_cell = f"{column_of(ws, 'model_sites')}{row}"
    ws[town_cell] = 33
    wb.save(data / "西河乡.xlsx")
    return data, cell, town_cell


def _overall(ds, town):
    scores = dj.score_composite(ds)
    return scores.query(f"year == 2015 and unit_name == '{town}' and group == 'overall'").iloc[0]


def test_a_doubtful_value_holds_its_result_with_the_cell_in_the_reason(season):
    data, cell, town_cell = season
    ds = dj.load(data, progress=False)
    east = _overall(ds, "东山镇")
    assert east["provisional"] and east["provisional_reason"] == \
        f"数值存疑待确认：联家村“村集体经济收入”90000（东山镇.xlsx 村级指标 {cell}）"
    west = _overall(ds, "西河乡")
    assert west["provisional"] and f"（西河乡.xlsx 乡镇指标 {town_cell}）" in west["provisional_reason"]
    from dangjian_analysis.documents.model import build_model

    model = build_model(ds, 2015)
    assert model.draft and model.title.endswith("（征求意见稿）")
    said = [c for c in model.conclusions if c.startswith("有 2 个数值存疑")]
    assert said and "东山镇联家村“村集体经济收入”90000" in said[0] and "西河乡“县级以上示范点”33" in said[0]
    assert sorted(model.table("doubtful")["cell"]) == sorted([cell, town_cell])
    sheets = model.sheets()
    assert list(sheets["存疑待确认"].columns[:4]) == ["乡镇", "单位", "指标", "数值"]
    assert "已确认数值" not in sheets                         # left out while empty


def test_a_confirmation_clears_only_the_value_confirmed(season):
    data, cell, _ = season
    ds = dj.load(data, progress=False)
    path = dj.write_confirmation_sheet(ds, data / "确认.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["确认"]
    assert [c.value for c in ws[1]][:7] == ["文件（或乡镇）", "工作表", "单元格", "数值", "说明", "确认人", "日期"]
    rows = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    ws.delete_rows(rows[next(c for c in rows if c != cell)])          # only 东山镇's value is confirmed
    ws["E2"], ws["F2"], ws["G2"] = "村办企业分红，已核实", "李四", "2016-01-12"
    wb.save(path)
    ds = dj.load(data, progress=False)
    assert len(ds.confirmations) == 1 and ds.confirmations["confirmed_by"].iloc[0] == "李四"
    assert "确认.xlsx" in set(ds.files["file"].map(lambda f: f.split("/")[-1]))
    assert not _overall(ds, "东山镇")["provisional"] and _overall(ds, "西河乡")["provisional"]
    from dangjian_analysis.documents.model import build_model

    model = build_model(ds, 2015)
    confirmed = model.table("confirmed")
    assert list(confirmed["cell"]) == [cell] and confirmed["note"].iloc[0] == "村办企业分红，已核实"
    issues = model.table("issues")                                    # the 校验问题 sheet: its confirmation beside it
    assert issues.loc[issues["cell"] == cell, "confirmed"].tolist() == ["已确认：村办企业分红，已核实（李四 2016-01-12）"]
    assert issues.loc[issues["cell"] != cell, "confirmed"].isna().all()
    from dangjian_analysis.documents.pipeline import _confirmed

    assert _confirmed(ds) == [{"file": "东山镇.xlsx", "sheet": "村级指标", "cell": cell, "value": 90000.0,
                               "note": "村办企业分红，已核实", "confirmed_by": "李四",
                               "date": "2016-01-12", "source": "确认.xlsx", "row": 2}]
    wb = openpyxl.load_workbook(data / "东山镇.xlsx")                   # the township changes the value: doubtful again
    wb["村级指标"][cell] = 90001
    wb.save(data / "东山镇.xlsx")
    assert _overall(dj.load(data, progress=False), "东山镇")["provisional"]


def test_the_township_confirms_in_its_returned_copy(season, tmp_path):
    """退回说明's 确认属实 = 是 on the doubtful row clears that cell's mark, read from the copy
    the township sends back; a changed value (a different issue text) is doubtful again."""
    from dangjian_analysis.documents.returns import HEADER_ROW, RETURN_SHEET

    data, cell, _ = season
    copies = dj.mark_returns(dj.load(data, progress=False), tmp_path / "退回")
    copy = next(p for p in copies if "东山镇" in p.name)
    wb = openpyxl.load_workbook(copy)
    ws = wb[RETURN_SHEET]
    head = {c.value: c.column for c in ws[HEADER_ROW]}
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, head["单元格"]).value == cell)
    ws.cell(row, head["确认属实"]).value = "是"
    ws.cell(row, head["说明"]).value = "村办企业当年分红，已核实"
    wb.save(copy)
    shutil.copy(copy, data / "东山镇.xlsx")                  # the corrected copy replaces the original
    ds = dj.load(data, progress=False)
    confirmed = ds.confirmations[ds.confirmations["cell"] == cell]
    assert list(confirmed["note"]) == ["村办企业当年分红，已核实"]
    assert not _overall(ds, "东山镇")["provisional"]
    from dangjian_analysis.documents.pipeline import _confirmed

    recorded = [c for c in _confirmed(ds) if c["cell"] == cell]           # the manifest: the value the cell holds
    assert [(c["file"], c["value"], c["confirmed_by"]) for c in recorded] == [("东山镇.xlsx", 90000.0, "乡镇（退回说明）")]
    wb = openpyxl.load_workbook(data / "东山镇.xlsx")
    wb["村级指标"][cell] = 80000
    wb.save(data / "东山镇.xlsx")
    assert _overall(dj.load(data, progress=False), "东山镇")["provisional"]


def test_a_confirmed_value_carries_its_confirmation_in_the_provenance(season):
    """ds.observations' ``confirmed`` and the 数据来源 row of the cell (summary.xlsx) name who
    confirmed it, when and why; every other value has none."""
    data, cell, _ = season
    ds = dj.load(data, progress=False)
    dj.write_confirmation_sheet(ds, data / "确认.xlsx")
    wb = openpyxl.load_workbook(data / "确认.xlsx")
    ws = wb["确认"]
    keep = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == cell)
    ws.delete_rows(2 if keep != 2 else 3)
    ws["E2"], ws["F2"], ws["G2"] = "村办企业分红，已核实", "李四", "2016-01-12"
    wb.save(data / "确认.xlsx")
    ds = dj.load(data, progress=False)
    text = "李四 2016-01-12 确认：村办企业分红，已核实（确认.xlsx 第 2 行）"
    obs = ds.observations
    assert obs.loc[obs["source_cell"].eq(cell) & obs["source_file"].str.endswith("东山镇.xlsx"), "confirmed"].tolist() == [text]
    assert obs["confirmed"].notna().sum() == 1
    from dangjian_analysis.documents.model import build_model

    sources = build_model(ds, 2015).sheets()["数据来源"]
    row = sources[(sources["单元格"] == cell) & (sources["来源文件"] == "东山镇.xlsx")]
    assert row["确认"].tolist() == [text] and sources["确认"].notna().sum() == 1
