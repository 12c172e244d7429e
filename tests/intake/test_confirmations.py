"""Confirmations in the provenance (issue 21.1): the text a confirmed value carries, and one hint
when a confirmed value has changed since (never a confirmation dropped in silence)."""

from __future__ import annotations

import openpyxl
import pytest

from dangjian_analysis.intake import load
from dangjian_analysis.intake.confirmations import confirmation_texts
from helpers import edit

VILLAGES = "村级指标"


@pytest.fixture
def doubtful(sample_copy):
    """东山镇.xlsx with an implausible 活动场所面积 of 5 m² (common range 20–3000)."""
    path = sample_copy / "东山镇.xlsx"
    cell = edit(path, VILLAGES, {("venue_area", 6): 5})[("venue_area", 6)]
    return path, cell


def _texts(ds):
    return confirmation_texts(ds.issues, ds.observations, ds.confirmations, ds.file_names,
                              {t: t for t in ds.catalog.townships["unit_name"]})


def _analyst_confirms(folder, cell, value):
    book = openpyxl.Workbook()
    book.active.append(["文件（或乡镇）", "工作表", "单元格", "数值", "说明", "确认人", "日期"])
    book.active.append(["东山镇", VILLAGES, cell, value, "临时借用的活动室", "李四", "2016-01-12"])
    book.save(folder / "确认.xlsx")


def test_the_analysts_confirmation_is_the_provenance_of_that_value_alone(doubtful):
    path, cell = doubtful
    _analyst_confirms(path.parent, cell, 5)
    ds = load(path, path.parent / "确认.xlsx")
    texts = _texts(ds)
    at = ds.observations["source_cell"] == cell
    assert at.sum() == 1 and texts[at].tolist() == ["李四 2016-01-12 确认：临时借用的活动室（确认.xlsx 第 2 行）"]
    assert texts[~at].isna().all()
    assert "confirmation_stale" not in set(ds.issues["code"])


def test_a_confirmed_value_changed_since_is_one_hint_at_its_cell(doubtful):
    path, cell = doubtful
    _analyst_confirms(path.parent, cell, 5)
    edit(path, VILLAGES, {cell: 6})                          # still doubtful, but not the value confirmed
    ds = load(path, path.parent / "确认.xlsx")
    stale = ds.issues[ds.issues["code"] == "confirmation_stale"]
    assert stale[["file", "sheet", "cell", "severity", "message"]].values.tolist() == [
        [str(path), VILLAGES, cell, "warning", f"{VILLAGES} {cell}：已确认的数值已改为 6，需重新确认（确认.xlsx 第 2 行，原确认的是 5）"]]
    assert _texts(ds).isna().all()
    edit(path, VILLAGES, {cell: 260})                       # corrected: nothing doubtful, nothing to confirm
    assert "confirmation_stale" not in set(load(path, path.parent / "确认.xlsx").issues["code"])


def test_the_townships_confirmation_reads_as_such_and_a_change_is_asked_again(doubtful, tmp_path):
    from dangjian_analysis.documents.returns import HEADER_ROW, RETURN_SHEET, mark_returns

    path, cell = doubtful
    copy = mark_returns(load(path), tmp_path / "退回")[0]
    wb = openpyxl.load_workbook(copy)
    ws = wb[RETURN_SHEET]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws[f"D{r}"].value == cell)
    ws[f"H{row}"], ws[f"I{row}"] = "是", "临时借用的活动室"
    wb.save(copy)
    ds = load(copy)
    assert _texts(ds)[ds.observations["source_cell"] == cell].tolist() == ["乡镇确认：临时借用的活动室"]
    edit(copy, VILLAGES, {cell: 6})
    stale = load(copy).issues.query("code == 'confirmation_stale'")
    assert stale["message"].tolist() == [f"{VILLAGES} {cell}：已确认的数值已改为 6，需重新确认（退回说明）"]
