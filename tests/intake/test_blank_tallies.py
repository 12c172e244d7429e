"""述职评议计票 rows left blank because their rater group is on 测评票 (issue 24 follow-up).

The county template (``dangjian template --county``) prefills 19 secretaries × 5 rater groups ×
6 items × 6 ratings = 3420 tally rows (年度, 书记, 单位, 评议人类别, 评议项目, 评价 filled, 票数
blank: 7 cells a row). Here a clerk fills the 票数 of four groups (好 5, every other rating 0) and
enters 党员群众代表 on 测评票 instead (2 ballots per item), leaving its 19 × 6 × 6 = 684 tally
rows blank. Cells of the tally sheet: 3420 × 7 = 23940 read; 2736 × 7 = 19152 accepted; the
684 blank rows' 684 × 7 = 4788 empty (their prefilled cells are the template's, as for an
untouched template row, not values the clerk gave and the intake refused).
"""

from __future__ import annotations

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.documents.county_template import write_county_template

TALLY = "述职评议计票"
RESIDENTS = "党员群众代表"
INFO = f"2015 年“{RESIDENTS}”的 {{n}} 行票数空白：该类评议人已在测评票中逐票录入，这些行不计"


@pytest.fixture(scope="module")
def template(tmp_path_factory, catalog):
    """2015's county template with only the tally sheet and 测评票 kept (the others are prefilled
    for clerks and would add their own issues)."""
    path = write_county_template(tmp_path_factory.mktemp("blank") / "t.xlsx", year=2015, catalog=catalog)
    wb = openpyxl.load_workbook(path)
    for name in ("四风台账", "驻点联系", "加减分台账", "考核清单"):
        del wb[name]
    return wb, path


def _fill(template, tmp_path, *, items, blank=(), ballots_apart=False):
    """The clerk's workbook: every tally row's 票数 but 党员群众代表's and the rows in ``blank``
    (sheet rows); 2 ballots of 党员群众代表 per item in ``items`` on 测评票 (in a workbook of its
    own when ``ballots_apart``). Returns the folder."""
    _, path = template
    wb = openpyxl.load_workbook(path)
    for name in ("四风台账", "驻点联系", "加减分台账", "考核清单"):
        del wb[name]
    ws = wb[TALLY]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 4).value != RESIDENTS and r not in blank:
            ws.cell(r, 7, 5 if ws.cell(r, 6).value == "好" else 0)
    sheet = wb["测评票"]
    n = 1
    for item in items:
        for b in (1, 2):
            n += 1
            for j, value in enumerate([2015, RESIDENTS, item, f"{item[:2]}{b}", *["好", "较好"] * 9, "一般"], start=1):
                sheet.cell(n, j, value)
    folder = tmp_path / "in"
    folder.mkdir()
    if ballots_apart:
        apart = openpyxl.load_workbook(path)
        for name in apart.sheetnames:
            if name != "测评票":
                del apart[name]
        for row in sheet.iter_rows(min_row=1, max_row=n):
            for c in row:
                apart["测评票"][c.coordinate] = c.value
        apart.save(folder / "测评票.xlsx")
        del wb["测评票"]
    wb.save(folder / "县级数据.xlsx")
    return folder


def _counts(ds, sheet=TALLY):
    row = ds.sheets[ds.sheets["sheet"] == sheet].iloc[0]
    return [int(row[k]) for k in ("cells_read", "cells_accepted", "cells_rejected", "cells_empty")]


@pytest.mark.parametrize("apart", [False, True], ids=["one workbook", "测评票 in a file of its own"])
def test_blank_rows_of_a_group_on_ballot_sheets_are_empty(template, tmp_path, catalog, apart):
    ds = dj.load(_fill(template, tmp_path, items=catalog.review.items, ballots_apart=apart), catalog=catalog)
    assert ds.n_errors == 0 and ds.n_warnings == 0
    assert ds.issues[["sheet", "cell", "severity", "code", "message"]].values.tolist() == [
        [TALLY, "", "info", "tallies_on_ballot_sheets", INFO.format(n=684)]]
    assert _counts(ds) == [23940, 19152, 0, 4788]
    assert len(ds.ballots) == 2736 and RESIDENTS not in set(ds.ballots["rater_group"])
    assert len(ds.ballot_sheets) == 6 * 2 * 19 and set(ds.ballot_sheets["rater_group"]) == {"residents"}
    files = ds.files.set_index(ds.files["file"].map(lambda f: f.rsplit("/", 1)[-1]))
    assert int(files.loc["县级数据.xlsx", "cells_empty"]) >= 4788
    assert (ds.files["cells_read"] == ds.files["cells_accepted"] + ds.files["cells_rejected"]
            + ds.files["cells_empty"]).all()


def test_a_blank_row_of_a_group_not_on_ballot_sheets_stays_an_error(template, tmp_path, catalog):
    # row 2: 赵立新 × 县级领导 × 总体评价 × 好, left blank; 县级领导 gives no 测评票
    ds = dj.load(_fill(template, tmp_path, items=catalog.review.items, blank={2}), catalog=catalog)
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert errors[["sheet", "cell", "code", "message"]].values.tolist() == [
        [TALLY, "G2", "bad_ballots", "票数：未填写；本行（A2:G2）未采用"]]
    assert ds.issues[ds.issues["severity"] == "info"]["message"].tolist() == [INFO.format(n=684)]
    assert _counts(ds) == [23940, 2735 * 7, 6, 4788 + 1]


def test_only_the_items_the_ballot_sheets_give_are_covered(template, tmp_path, catalog):
    # 测评票 give 总体评价 only: its 19 × 6 = 114 blank rows are not counted; the other 5 items'
    # 19 × 5 × 6 = 570 blank rows keep their error (nothing gives those ballots)
    ds = dj.load(_fill(template, tmp_path, items=catalog.review.items[:1]), catalog=catalog)
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert len(errors) == 570 and set(errors["message"].str.split("；").str[0]) == {"票数：未填写"}
    rows = {int(c[1:]) for c in errors["cell"]}
    ws = template[0][TALLY]
    assert {(ws.cell(r, 4).value, ws.cell(r, 5).value == "总体评价") for r in rows} == {(RESIDENTS, False)}
    assert ds.issues[ds.issues["severity"] == "info"]["message"].tolist() == [INFO.format(n=114)]
    assert _counts(ds) == [23940, 19152, 570 * 6, 114 * 7 + 570]
