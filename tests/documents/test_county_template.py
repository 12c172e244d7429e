"""The county-level template (县级数据): sheets and rows for 2016 from the catalogue and the sample,
dropdowns in Chinese, filled as a clerk would and read back, the CLI, determinism; and the
sample county workbook written with the Chinese 评议人类别 (the program ids still accepted)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.documents.county_template import (BALLOT_SHEET, LEDGER_SHEET, LINK_SHEET, STATUSES,
                                                         write_county_template)

_KEYS = ["year", "secretary", "unit_name", "rater_group", "item", "rating", "count"]


@pytest.fixture(scope="module")
def template_2016(tmp_path_factory, sample_loaded):
    """The 2016 county template with the sample as last year's data."""
    return write_county_template(tmp_path_factory.mktemp("county") / "县级数据2016.xlsx", year=2016,
                                 previous=sample_loaded)


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2) if any(c.value is not None for c in row)]


def _lists(wb, ws) -> dict[str, list]:
    """{first cell of a list validation's range: the values of its 名录 column}."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            letter = dv.formula1.split("!$")[1][0]
            out[str(dv.sqref).split(":")[0]] = [c.value for c in wb["名录"][letter][1:] if c.value is not None]
    return out


def test_sheets_and_ballot_rows(template_2016, catalog):
    wb = openpyxl.load_workbook(template_2016)
    assert wb.sheetnames[:5] == ["填报说明", "名录", BALLOT_SHEET, LEDGER_SHEET, LINK_SHEET]   # then the rubric sheets
    assert wb["名录"].sheet_state == "hidden"
    ws = wb[BALLOT_SHEET]
    assert [c.value for c in ws[1]] == ["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"]
    scheme = catalog.review
    ratings = [*scheme.ratings["rating"], *scheme.invalid]
    expected = [[2016, s, u, g, i, r, None] for s, u in zip(catalog.secretaries["name"], catalog.secretaries["unit"])
                for g in scheme.rater_groups["name"] for i in scheme.items for r in ratings]
    assert _rows(ws) == expected and len(expected) == 19 * 5 * 6 * 6
    dropdowns = _lists(wb, ws)
    assert dropdowns["D2"] == ["县级领导", "县委委员和牵头部门", "乡镇和村党组织书记", "党代表、人大代表、政协委员", "党员群众代表"]
    assert dropdowns["F2"] == ratings and dropdowns["E2"] == list(scheme.items)
    shown = {str(c.value) for name in wb.sheetnames if name != "名录" for row in wb[name].iter_rows() for c in row}
    assert not shown & set(scheme.rater_groups["id"])                # no program id for the clerk
    assert ws.protection.sheet and not ws.protection.password and ws.print_title_rows == "$1:$1"
    assert ws["B2"].protection.locked and not ws["G2"].protection.locked
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_guide_and_ballot_check(template_2016):
    wb = openpyxl.load_workbook(template_2016)
    guide = wb["填报说明"]
    text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    assert "2016年度" in text and "没有人投的档次填 0" in text and "以实到人数为准" in text
    assert "前 1 行是上年数据中尚未销号的事项" in text
    check = next(r for r in range(1, guide.max_row) if guide.cell(row=r, column=1).value == "书记")
    assert [guide.cell(row=check, column=j).value for j in (1, 3, 4, 11)] == ["书记", "评议人类别", "总体评价", "核对"]
    first = [guide.cell(row=check + 1, column=j).value for j in range(1, 12)]
    assert first[:3] == ["赵立新", "东山镇党委", "县级领导"] and first[9] == "各项目相同"
    assert first[3].startswith("=SUMIFS('述职评议计票'!$G:$G") and first[10].startswith("=IF(")
    assert guide.max_row - check == 19 * 5
    # formulas only where the intake never reads (填报说明 is skipped); none in the data sheets
    for name in (BALLOT_SHEET, LEDGER_SHEET, LINK_SHEET):
        assert not any(c.data_type == "f" for row in wb[name].iter_rows() for c in row)


def test_ledger_and_links_carried_from_last_year(template_2016, sample_loaded, catalog):
    wb = openpyxl.load_workbook(template_2016)
    ledger = wb[LEDGER_SHEET]
    open_items = sample_loaded.ledger[sample_loaded.ledger["closed"].isna()]
    assert len(open_items) == 1
    item = open_items.iloc[0]
    assert _rows(ledger) == [[item.township, item.item_id, item.description, item.opened.to_pydatetime(),
                              item.due.to_pydatetime(), None, item.status]]
    assert _lists(wb, ledger)["G2"] == list(STATUSES)
    assert not ledger["F2"].protection.locked and ledger["A2"].protection.locked
    links = _rows(wb[LINK_SHEET])
    last = sample_loaded.links[sample_loaded.links["year"] == 2015]
    assert [r[:3] for r in links] == last[["leader_team", "township", "village"]].values.tolist()
    assert {r[3] for r in links} == {2016} and {r[4] for r in links} == {None}
    assert len(links) == len(catalog.villages_in(2016))


def _fill(src, dst):
    """The template filled as a clerk would: every count, a new 四风 item, one household count."""
    wb = openpyxl.load_workbook(src)
    ws = wb[BALLOT_SHEET]
    for row in ws.iter_rows(min_row=2):
        row[6].value = {"好": 20, "较好": 6, "一般": 2, "差": 1}.get(row[5].value, 0)
    ledger = wb[LEDGER_SHEET]
    new = ["东山镇", "T01-2016-01", "会议过多", dt.date(2016, 3, 1), dt.date(2016, 5, 31), dt.date(2016, 5, 20), "已销号"]
    for j, value in enumerate(new, start=1):
        ledger.cell(row=3, column=j, value=value)
    wb[LINK_SHEET]["E2"] = 321
    for row in wb["考核清单"].iter_rows(min_row=2):                 # the 考核细则's checklist: all done
        row[4].value = "是"
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return wb


def test_filled_template_reads_back(template_2016, tmp_path, sample_dir, catalog):
    wb = _fill(template_2016, tmp_path / "2016" / "县级数据.xlsx")
    ds = dj.load(sample_dir, tmp_path / "2016", catalog=catalog)
    assert ds.n_errors == 0
    # the carried open item is last year's record unchanged: read once, with one note
    assert ds.issues["code"].tolist() == ["duplicate_same"]
    ballots = ds.ballots[ds.ballots["year"] == 2016]
    filled = _rows(wb[BALLOT_SHEET])
    ids = dict(zip(catalog.review.rater_groups["name"], catalog.review.rater_groups["id"]))
    assert ballots[_KEYS].values.tolist() == [[*r[:3], ids[r[3]], *r[4:]] for r in filled]
    new = ds.ledger[ds.ledger["item_id"] == "T01-2016-01"].iloc[0]
    assert (new["status"], new["closed"]) == ("已销号", dt.datetime(2016, 5, 20))
    links = ds.links[ds.links["year"] == 2016]
    assert len(links) == len(_rows(wb[LINK_SHEET])) and links["households_visited"].iloc[0] == 321
    assert links["households_visited"].iloc[1:].isna().all()


def test_a_carried_item_closed_this_year_reads_back(template_2016, tmp_path, sample_dir, catalog):
    """Last year's open item, closed in this year's workbook: the closed record is its later state
    and is the one used (a warning names both places), not a conflict rejecting both."""
    wb = _fill(template_2016, tmp_path / "2016" / "县级数据.xlsx")
    item = wb[LEDGER_SHEET]["B2"].value
    wb[LEDGER_SHEET]["F2"], wb[LEDGER_SHEET]["G2"] = dt.date(2016, 1, 20), "逾期销号"
    wb.save(tmp_path / "2016" / "县级数据.xlsx")
    ds = dj.load(sample_dir, tmp_path / "2016", catalog=catalog)
    assert ds.n_errors == 0
    rows = ds.ledger[ds.ledger["item_id"] == item]
    assert len(rows) == 1 and str(rows["closed"].iloc[0])[:10] == "2016-01-20" and rows["status"].iloc[0] == "逾期销号"
    assert (ds.issues["code"] == "ledger_update").sum() == 1


def test_without_previous_and_deterministic(tmp_path, catalog):
    a = write_county_template(tmp_path / "a.xlsx", year=2016, catalog=catalog)
    b = write_county_template(tmp_path / "b.xlsx", year=2016, catalog=catalog)
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    assert _rows(wb[LEDGER_SHEET]) == []
    links = _rows(wb[LINK_SHEET])
    assert {r[0] for r in links} == {None} and len(links) == len(catalog.villages_in(2016))
    with pytest.raises(ValueError, match="年度 2017 超出范围"):
        write_county_template(tmp_path / "c.xlsx", year=2017, catalog=catalog)


def test_cli_writes_it_with_one_chinese_line(tmp_path, sample_dir):
    out = tmp_path / "县级数据2016.xlsx"
    args = [sys.executable, "-m", "dangjian_analysis.cli", "template", "--county", "--year", "2016",
            "--previous", str(sample_dir), "--out", str(out)]
    first = subprocess.run(args, check=True, capture_output=True, text=True)
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("已生成县级数据模板") and "县级数据2016.xlsx" in lines[0]
    written = out.read_bytes()
    subprocess.run(args, check=True, capture_output=True)
    assert out.read_bytes() == written


def test_sample_uses_chinese_rater_groups_and_ids_stay_accepted(sample_dir, sample_loaded, tmp_path, catalog):
    ws = openpyxl.load_workbook(sample_dir / "县级数据.xlsx", read_only=True)["述职评议"]
    groups = {row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert groups == set(catalog.review.rater_groups["name"])
    shutil.copy(sample_dir / "县级数据.xlsx", tmp_path / "县级数据.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "县级数据.xlsx")
    ids = dict(zip(catalog.review.rater_groups["name"], catalog.review.rater_groups["id"]))
    for row in wb["述职评议"].iter_rows(min_row=2):
        row[3].value = ids[row[3].value]
    wb.save(tmp_path / "县级数据.xlsx")
    by_id = dj.load(tmp_path / "县级数据.xlsx", catalog=catalog)
    by_name = sample_loaded.ballots
    assert by_id.n_errors == 0
    assert by_id.ballots.drop(columns="source_file").equals(by_name.drop(columns="source_file"))
