"""报送进度 (the roll) on a season built from the sample: who has reported, who is missing, whose
return has errors or was sent back; and files named by their path below the folder read."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.intake import load
from dangjian_analysis.intake._names import shown_names
from dangjian_analysis.intake.roll import ROLL_COLUMNS, submission_roll
from helpers import SAMPLE, edit
from season import build_season

RETURNED = ["东山镇", "西河乡", "金谷镇"]
ALL = ["东山镇", "西河乡", "南岭镇", "北塘镇", "青石乡", "白沙镇", "红旗乡", "金谷镇", "柳溪乡", "石桥镇"]
TABLES = ["述职评议计票", "四风台账", "驻点联系", "加减分台账", "考核清单"]   # the last two: the catalogue's 考核细则


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> Path:
    """``数据/``: the sample's 2012–2015 workbooks and the 2016 returns of three townships."""
    return build_season(tmp_path_factory.mktemp("season"), RETURNED, county=False)


@pytest.fixture(scope="module")
def ds(season):
    return load(season, progress=False)


@pytest.fixture
def copy(season, tmp_path) -> Path:
    """A copy of the season to change."""
    return Path(shutil.copytree(season, tmp_path / "数据"))


def _status(roll: pd.DataFrame) -> dict[str, str]:
    return dict(zip(roll["unit"], roll["roll_status"]))


def test_the_2016_roll_names_who_has_reported_and_who_is_missing(ds):
    roll = ds.roll()
    assert list(roll.columns) == ROLL_COLUMNS
    assert list(roll["unit"]) == [*ALL, *TABLES]
    assert list(roll["kind"]) == ["township"] * 10 + ["county_table"] * 5
    assert set(roll["year"]) == {2016}
    reported = roll[roll["roll_status"] == "reported"]
    assert list(reported["unit"]) == ["东山镇", "西河乡", "金谷镇"]
    assert list(reported["files"]) == ["2016/东山镇.xlsx", "2016/西河乡.xlsx", "2016/金谷镇.xlsx"]
    missing = roll[roll["roll_status"] == "missing"]
    assert list(missing["unit"]) == [t for t in ALL if t not in RETURNED] + TABLES
    assert (missing["files"] == "").all()
    assert (roll[["n_errors", "n_warnings"]] == 0).all().all()
    pd.testing.assert_frame_equal(roll, submission_roll(ds, 2016))


def test_2015_every_township_has_reported_and_the_county_tables_count_by_their_years(ds, tmp_path):
    roll = ds.roll(2015)
    towns = roll[roll["kind"] == "township"]
    assert (towns["roll_status"] == "reported").all()
    assert list(towns["files"]) == [f"{t}.xlsx" for t in ALL]
    assert (roll.loc[roll["kind"] == "county_table", "roll_status"] == "missing").all()   # no county workbook
    with_county = load(build_season(tmp_path, ["东山镇"], county=True), progress=False)
    assert set(with_county.roll(2015)["roll_status"]) == {"reported"}
    assert set(with_county.roll(2015).loc[10:, "files"]) == {"县级数据.xlsx"}
    # the county workbook holds 2012–2015: in 2016 its tables are still missing (a 四风 item counts
    # in the year it was opened, whatever its due date)
    assert _status(with_county.roll())["四风台账"] == "missing"


def test_a_township_whose_return_has_an_error_cell_is_errors_and_returned_once_sent_back(copy):
    edit(copy / "2016" / "西河乡.xlsx", "村级指标", {("office_funds", 5): "很多"})
    ds = load(copy, progress=False)
    roll = ds.roll().set_index("unit")
    assert roll.loc["西河乡", "roll_status"] == "errors" and roll.loc["西河乡", "n_errors"] == 1
    assert roll.loc["西河乡", "files"] == "2016/西河乡.xlsx"
    assert roll.loc["东山镇", "roll_status"] == "reported"
    assert ds.roll(2015).set_index("unit").loc["西河乡", "roll_status"] == "reported"   # its 2015 file is clean
    sent_back = ds.roll(returned=[Path("退回/西河乡_2016_退回修改.xlsx")])
    assert _status(sent_back)["西河乡"] == "returned"
    assert _status(ds.roll(returned=[Path("退回/西河乡_2015_退回修改.xlsx")]))["西河乡"] == "errors"


def test_a_rejected_file_named_after_a_township_is_errors_not_missing(copy):
    (copy / "2016" / "石桥镇2016.xlsx").write_bytes(b"not a workbook")
    (copy / "2016" / "白沙镇2014.xlsx").write_bytes(b"not a workbook")      # another year's
    (copy / "2016" / "南岭镇北塘镇.xlsx").write_bytes(b"not a workbook")    # two townships: whose?
    ds = load(copy, progress=False)
    assert ds.files.set_index("file").loc[str(copy / "2016" / "石桥镇2016.xlsx"), "status"] == "rejected"
    roll = ds.roll().set_index("unit")
    assert roll.loc["石桥镇", "roll_status"] == "errors"
    assert roll.loc["石桥镇", "files"] == "2016/石桥镇2016.xlsx" and roll.loc["石桥镇", "n_errors"] == 1
    assert roll.loc[["白沙镇", "南岭镇", "北塘镇"], "roll_status"].tolist() == ["missing"] * 3
    assert roll.loc["东山镇", "roll_status"] == "reported"


def test_a_rejected_county_sheet_is_errors(copy):
    wb = openpyxl.load_workbook(SAMPLE / "县级数据.xlsx")
    wb["述职评议"].delete_cols(7)                        # 票数: a required column, the sheet rejected whole
    wb.save(copy / "县级数据.xlsx")
    roll = load(copy, progress=False).roll(2015).set_index("unit")
    assert roll.loc["述职评议计票", "roll_status"] == "errors" and roll.loc["述职评议计票", "n_errors"] >= 1
    assert roll.loc["述职评议计票", "files"] == "县级数据.xlsx"
    assert roll.loc[["四风台账", "驻点联系"], "roll_status"].tolist() == ["reported", "reported"]


def test_the_default_year_and_a_dataset_without_any_year(ds, copy):
    assert ds.roll()["year"].iloc[0] == 2016
    for f in copy.rglob("*.xlsx"):
        f.write_bytes(b"not a workbook")
    empty = load(copy, progress=False)
    with pytest.raises(ValueError, match="没有任何年度"):
        empty.roll()
    roll = empty.roll(2016)
    assert set(roll["roll_status"]) == {"errors", "missing"}
    assert roll.set_index("unit").loc["东山镇", "files"] == "2016/东山镇.xlsx"


def test_files_are_named_by_their_path_below_the_folder_read(ds, season):
    names = ds.file_names
    assert names[str(season / "2016" / "东山镇.xlsx")] == "2016/东山镇.xlsx"
    assert names[str(season / "东山镇.xlsx")] == "东山镇.xlsx"
    for table in (ds.observations, ds.issues, ds.files, ds.sheets, ds.ballots):
        assert table.attrs["file_names"] is names
    shown = ds.observations[ds.observations["year"] == 2016]["source_file"].map(names)
    assert set(shown) == {"2016/东山镇.xlsx", "2016/西河乡.xlsx", "2016/金谷镇.xlsx"}


def test_names_that_would_be_shown_alike_get_their_folder(tmp_path):
    a, b = tmp_path / "数据", tmp_path / "回收表2016"
    for folder in (a, b):
        folder.mkdir()
        for name in ("东山镇.xlsx", f"{folder.name}说明.xlsx"):
            (folder / name).touch()
    single = tmp_path / "西河乡.xlsx"
    single.touch()
    names = shown_names([(a, a / "东山镇.xlsx"), (a, a / "数据说明.xlsx"), (b, b / "东山镇.xlsx"),
                         (b, b / "回收表2016说明.xlsx"), (single, single)], [(tmp_path / "." / "西河乡.xlsx", single)])
    assert names == {str(a / "东山镇.xlsx"): "数据/东山镇.xlsx", str(a / "数据说明.xlsx"): "数据说明.xlsx",
                     str(b / "东山镇.xlsx"): "回收表2016/东山镇.xlsx", str(b / "回收表2016说明.xlsx"): "回收表2016说明.xlsx",
                     str(single): "西河乡.xlsx", str(tmp_path / "." / "西河乡.xlsx"): "西河乡.xlsx"}


def test_the_roll_does_not_change_the_dataset(ds):
    before = {k: getattr(ds, k).copy() for k in ("observations", "issues", "files", "ballots")}
    ds.roll(returned=["x_2016_退回修改.xlsx"])
    for key, frame in before.items():
        pd.testing.assert_frame_equal(getattr(ds, key), frame)


def test_a_catalogue_without_a_rubric_does_not_ask_for_its_tables(ds):
    from dataclasses import replace

    plain = replace(ds, catalog=replace(ds.catalog, assessment=None))
    roll = plain.roll()
    assert list(roll.loc[roll["kind"] == "county_table", "unit"]) == TABLES[:3]


def test_a_township_sent_back_with_doubtful_values_only_is_returned_until_confirmed(copy):
    """A 2016 return whose only issue is a doubtful value (活动场所面积 5 m²): reported while nothing
    was sent back; once its copy went back, 已退回（待确认）; once confirmed, reported again."""
    from dangjian_analysis.documents.roll import roll_sentence, status_word

    cell = edit(copy / "2016" / "东山镇.xlsx", "村级指标", {("venue_area", 5): 5})[("venue_area", 5)]
    ds = load(copy, progress=False)
    mine = ds.issues[ds.issues["file"] == str(copy / "2016" / "东山镇.xlsx")]
    assert mine[["cell", "severity"]].values.tolist() == [[cell, "warning"]]
    assert mine["code"].iloc[0] in ("implausible", "year_on_year")
    back = [Path("退回/东山镇_2016_退回修改.xlsx")]
    assert _status(ds.roll())["东山镇"] == "reported"
    roll = ds.roll(returned=back).set_index("unit")
    assert roll.loc["东山镇", "roll_status"] == "returned" and roll.loc["东山镇", "n_errors"] == 0
    assert status_word("returned", 0) == "已退回（待确认）" and status_word("returned", 2) == "已退回"
    assert "已退回 1 个：东山镇（待确认）" in roll_sentence(roll.reset_index())
    assert _status(ds.roll(2015, returned=back))["东山镇"] == "reported"      # another year's copy: not this one
    book = openpyxl.Workbook()
    book.active.append(["文件（或乡镇）", "工作表", "单元格", "数值", "说明", "确认人", "日期"])
    book.active.append(["东山镇", "村级指标", cell, 5, "临时借用的活动室", "李四", "2016-01-12"])
    book.save(copy / "确认.xlsx")
    assert _status(load(copy, progress=False).roll(returned=back))["东山镇"] == "reported"


def test_a_township_sent_back_for_missing_villages_is_returned(copy):
    """A 2016 return with one village's row left wholly blank: no error, but its copy went back
    (the 退回说明 asks for the village), so the roll says 已退回（待确认）, not 已报送."""
    path = copy / "2016" / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ids = [c.value for c in ws[3]]
    first = next(k for k, i in enumerate(ids) if isinstance(i, str) and i not in ("township", "village")
                 and not i.startswith(("year", "prev:", "note")))
    row = next(r for r in ws.iter_rows(min_row=4) if r[first].value is not None)
    for cell in row[first:]:
        if not (isinstance(ids[cell.column - 1], str) and ids[cell.column - 1].startswith("prev:")):
            cell.value = None
    wb.save(path)
    ds = load(copy, progress=False)
    mine = ds.issues[ds.issues["file"] == str(path)]
    assert len(mine) and set(mine["severity"]) == {"warning"}, mine["message"].tolist()
    assert any("没有任何" in m or "未报送" in m or "缺少" in m for m in mine["message"]), mine["message"].tolist()
    assert _status(ds.roll())["东山镇"] == "reported"
    roll = ds.roll(returned=[Path("退回/东山镇_2016_退回修改.xlsx")]).set_index("unit")
    assert roll.loc["东山镇", ["roll_status", "n_errors"]].tolist() == ["returned", 0]
