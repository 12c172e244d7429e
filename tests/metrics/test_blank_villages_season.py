"""Issue 21.2 on the 2016 season built from the sample (东山镇, 西河乡, 金谷镇 returned): 西河乡's clerk
leaves 乐坪村 and 和坪村 wholly blank, or writes a village name the catalogue does not know. Before,
西河乡's index rose 69.09 → 72.83 with missing_required 0 and the two villages left 倒排."""

from __future__ import annotations

import shutil
import warnings

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.intake import load

from helpers import data_rows
from season import build_season

TOWN, GONE = "西河乡", ("乐坪村", "和坪村")


def _village_rows(ws):
    """(row, village name, indicator columns) of the 村级指标 sheet."""
    ids = [c.value for c in ws[3]]
    name_col = ids.index("village") + 1
    known = set(dj.load_catalog().indicators["id"])
    cols = [k + 1 for k, i in enumerate(ids) if i in known]
    return [(r, ws.cell(r, name_col).value, cols, name_col) for r in data_rows(ws)]


def _scored(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        data = load(folder, progress=False)
        town = dj.score_composite(data)
        village = dj.score_composite(data, level="village")
        bottom = dj.flag_bottom(village, data=data)
    overall = town[(town["unit_name"] == TOWN) & (town["year"] == 2016) & (town["group"] == "overall")].iloc[0]
    return data, overall, village, bottom[bottom["year"] == 2016]


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The season as returned, with both villages cleared, and with 乐坪村 renamed to an unknown name."""
    root = tmp_path_factory.mktemp("season")
    data = build_season(root / "returned", ["东山镇", TOWN, "金谷镇"])
    out = {"returned": data}
    for case in ("blank", "unknown"):
        folder = root / case / "数据"
        shutil.copytree(data, folder)
        path = folder / "2016" / f"{TOWN}.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb["村级指标"]
        for r, name, cols, name_col in _village_rows(ws):
            if case == "blank" and name in GONE:
                for c in cols:
                    ws.cell(r, c).value = None
            elif case == "unknown" and name == GONE[0]:
                ws.cell(r, name_col).value = "乐坪新村"
        wb.save(path)
        out[case] = folder
    return {case: _scored(folder) for case, folder in out.items()}


def test_wholly_blank_villages_lower_their_township_and_sink(season):
    _, before, _, _ = season["returned"]
    _, after, village, bottom = season["blank"]
    assert before["score"] == pytest.approx(69.09, abs=0.01) and before["missing_required"] == 0
    assert after["score"] < before["score"]                           # was 72.83: the blanks raised it
    # every required, scored village indicator of both villages (20, and 当年整顿转化: taken as listed)
    assert after["missing_required"] == 2 * 21
    assert before["coverage"] == 1 and after["coverage"] < 1
    assert after["provisional"] and "和坪村、乐坪村未报送任何村级指标（按不得分计，请核实）" in after["provisional_reason"]
    rows = village[(village["year"] == 2016) & (village["group"] == "overall") & village["unit_name"].isin(GONE)]
    assert sorted(rows["score"]) == [0.0, 0.0]
    listed = bottom.set_index("unit_name")
    assert set(GONE) <= set(listed.index) and set(listed.loc[list(GONE), "bottom_rank"]) == {1, 2}
    assert listed.loc[GONE[0], "incomplete_reason"].startswith("未报送任何村级指标（按不得分计）")


def test_a_village_row_rejected_at_intake_is_a_wholly_blank_village(season):
    data, after, _, bottom = season["unknown"]
    _, before, _, _ = season["returned"]
    assert (data.issues["severity"] == "error").any()
    assert after["score"] < before["score"] and after["missing_required"] == 21
    assert "乐坪村未报送任何村级指标" in after["provisional_reason"]
    assert "个单元格填报有误未采用" in after["provisional_reason"]
    assert bottom.iloc[0]["unit_name"] == "乐坪村"
