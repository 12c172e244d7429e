"""The county workbook (述职评议, 四风台账, 驻点联系): every column mapped or reported, ballots
that add up, ledgers whose dates make sense, and every cell accounted for.

Each test copies the sample county workbook (trimmed to its 2015 ballots, so that openpyxl
edits it quickly), changes what a clerk would change, and asserts the outcome at its cell.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.catalog import CatalogError, load_catalog
from dangjian_analysis.intake import load
from dangjian_analysis.intake._batch import Batch
from dangjian_analysis.intake._county import read_county_rows
from dangjian_analysis.intake._headers import find_county
from helpers import SAMPLE, edit_block, write_catalog

COUNTY = SAMPLE / "县级数据.xlsx"
FIRST_2015 = 2 + 3 * 19 * 5 * 6 * 6          # first 2015 ballot row of the sample (rows 2.. are 2012 first)
TALLIES_2015 = 19 * 4 * 6 * 6                # 2015: 4 rater groups as tallies (党员群众代表 is on 测评票)


@pytest.fixture(scope="module")
def county_2015(tmp_path_factory):
    """The sample county workbook with only its 2015 ballots (2,736 rows)."""
    path = tmp_path_factory.mktemp("county") / "县级数据.xlsx"
    wb = openpyxl.load_workbook(COUNTY)
    wb["述职评议"].delete_rows(2, FIRST_2015 - 2)
    wb.save(path)
    return path


@pytest.fixture
def county(county_2015, tmp_path):
    """A writable copy of :func:`county_2015`; returns (path, workbook) for editing."""
    path = tmp_path / "县级数据.xlsx"
    shutil.copy(county_2015, path)
    return path, openpyxl.load_workbook(path)


def _load(path, wb=None, **kwargs):
    if wb is not None:
        wb.save(path)
    return load(path, **kwargs)


def _holds(ds) -> bool:
    f = ds.files
    return bool((f["cells_read"] == f["cells_accepted"] + f["cells_rejected"] + f["cells_empty"]).all())


def _only(ds, code, severity=None):
    found = ds.issues[ds.issues["code"] == code]
    assert len(found) == 1, ds.issues.to_string()
    if severity:
        assert found["severity"].iloc[0] == severity
    return found.iloc[0]


def _row(ws, **match) -> int:
    """The first row whose cells equal ``match`` ({column letter: value})."""
    for row in ws.iter_rows(min_row=2):
        if all(ws[f"{c}{row[0].row}"].value == v for c, v in match.items()):
            return row[0].row
    raise KeyError(match)


def test_the_trimmed_sample_is_clean(county):
    path, _ = county
    ds = _load(path)
    assert ds.issues.empty and _holds(ds)
    assert len(ds.ballots) == TALLIES_2015 and ds.files.loc[0, "cells_rejected"] == 0


# -- columns -------------------------------------------------------------------------------

def test_unknown_and_headerless_columns_are_warned_and_counted(county):
    path, wb = county
    ws = wb["述职评议"]
    ws["H1"], ws["H5"], ws["H9"] = "备注", "补录", "核对"
    ws["I3"] = 7                                        # a value under no header
    before = _load(path.with_name("clean.xlsx"), openpyxl.load_workbook(path))
    ds = _load(path, wb)
    unknown = ds.issues[ds.issues["code"] == "unknown_column"].set_index("cell")
    assert set(unknown.index) == {"H1", "I1"} and (unknown["severity"] == "warning").all()
    assert "“备注”" in unknown.loc["H1", "message"] and "2 个值（H5:H9）" in unknown.loc["H1", "message"]
    assert "没有表头" in unknown.loc["I1", "message"] and "I3:I3" in unknown.loc["I1", "message"]
    assert ds.files.loc[0, "cells_rejected"] == 3
    assert ds.files.loc[0, "cells_read"] == before.files.loc[0, "cells_read"] + 3
    assert len(ds.ballots) == len(before.ballots) and _holds(ds)


def test_a_repeated_column_is_reported_not_read(county):
    path, wb = county
    ws = wb["四风台账"]
    ws["H1"] = "完成日期"                               # a second 销号日期 (alias)
    ws["H2"] = dt.datetime(2030, 1, 1)
    ds = _load(path, wb)
    issue = _only(ds, "unknown_column", "warning")
    assert issue["cell"] == "H1" and "重复" in issue["message"] and "F 列" in issue["message"]
    assert ds.ledger["closed"].max() < dt.datetime(2030, 1, 1) and _holds(ds)


def test_aliases_are_read_like_the_template_headers(county):
    path, wb = county
    for sheet, headers in {"四风台账": {"B1": "台账编号", "D1": "建账时间", "F1": "销号时间", "G1": "整改状态"},
                           "述职评议": {"B1": "书记姓名", "F1": "评议等次", "G1": "得票数"},
                           "驻点联系": {"A1": "工作组", "E1": "走访户数"}}.items():
        for cell, text in headers.items():
            wb[sheet][cell] = text
    ds = _load(path, wb)
    assert ds.issues.empty and len(ds.ledger) == 209 and ds.ledger["closed"].notna().sum() == 208
    assert len(ds.links) == 508 and ds.links["households_visited"].notna().all()


@pytest.mark.parametrize("sheet, cell, text, column", [
    ("四风台账", "F1", "完结日", "销号日期"),              # renamed beyond its aliases
    ("驻点联系", None, None, "走访农户数"),                # deleted
    ("述职评议", "G1", "数量", "票数"),
])
def test_a_missing_required_column_rejects_the_sheet(county, sheet, cell, text, column):
    path, wb = county
    ws = wb[sheet]
    filled = sum(1 for row in ws.iter_rows(min_row=2) for c in row if c.value not in (None, ""))
    if cell:
        ws[cell] = text
    else:
        filled -= sum(1 for c in ws["E"][1:] if c.value not in (None, ""))
        ws.delete_cols(5)
    ds = _load(path, wb)
    issue = _only(ds, "missing_county_column", "error")
    assert issue["sheet"] == sheet and f"“{column}”" in issue["message"] and issue["cell"].startswith("A1:")
    assert f"{filled} 个非空单元格均未采用" in issue["message"]
    if text:
        assert text in issue["message"]                  # the header it found instead
    table = {"四风台账": "ledger", "驻点联系": "links", "述职评议": "ballots"}[sheet]
    assert getattr(ds, table).empty and _holds(ds)
    assert ds.files.loc[0, "cells_rejected"] == filled


def test_an_optional_column_may_be_missing(county):
    path, wb = county
    wb["述职评议"].delete_cols(3)                       # 单位: taken from the catalogue
    ds = _load(path, wb)
    assert ds.issues.empty and (ds.ballots.loc[ds.ballots["secretary"] == "赵立新", "unit_name"] == "东山镇党委").all()


# -- ballots -------------------------------------------------------------------------------

def test_a_count_with_a_blank_rating_is_an_error_at_the_row(county):
    path, wb = county
    ws = wb["述职评议"]
    ws["F2"] = None                                      # 好, 5 ballots or so
    r = _row(ws, F="空白", G=0)
    ws[f"F{r}"] = None                                   # a blank rating with no ballots: a warning
    ds = _load(path, wb)
    issue = _only(ds, "bad_ballots", "error")
    assert issue["cell"] == "F2" and "评价未填写" in issue["message"] and "A2:G2" in issue["message"]
    warning = _only(ds, "blank_rating", "warning")
    assert warning["cell"] == f"F{r}" and "票数为 0" in warning["message"]
    assert "ballot_total" not in set(ds.issues["code"])   # one cause, one message
    assert ds.files.loc[0, "cells_rejected"] == 6 + 6 and _holds(ds)


def test_the_unit_must_be_the_secretarys(county):
    path, wb = county
    wb["述职评议"]["C4"] = "西河乡党委"
    ds = _load(path, wb)
    issue = _only(ds, "bad_ballots", "error")
    assert issue["cell"] == "C4" and "西河乡党委" in issue["message"] and "东山镇党委" in issue["message"]
    assert len(ds.ballots) == TALLIES_2015 - 1


def test_an_item_total_off_the_secretarys_other_items_is_an_error(county):
    path, wb = county
    ws = wb["述职评议"]
    r = _row(ws, B="钱文华", D="党代表、人大代表、政协委员", E="五大工程推进", F="较好")
    ws[f"G{r}"] = ws[f"G{r}"].value + 1
    ds = _load(path, wb)
    issue = _only(ds, "ballot_total", "error")
    first = _row(ws, B="钱文华", D="党代表、人大代表、政协委员", E="五大工程推进")
    assert issue["cell"] == f"G{first}:G{first + 5}"
    assert "钱文华 2015 年“党代表、人大代表、政协委员”对“五大工程推进”" in issue["message"]
    assert "该书记过半数评议项目" in issue["message"]
    assert len(ds.ballots) == TALLIES_2015 - 6 and ds.files.loc[0, "cells_rejected"] == 6 * 7 and _holds(ds)


def test_totals_follow_the_declared_group_size(county, tmp_path, catalog_text):
    path, wb = county
    ws = wb["述职评议"]
    first = _row(ws, B="赵立新", D="县级领导")
    size = sum(ws[f"G{r}"].value for r in range(first, first + 6))
    text = edit_block(catalog_text, "review.rater_groups", "county_leaders", "weight = 0.30",
                      f"weight = 0.30\nsize = {size}")
    cat = load_catalog(write_catalog(tmp_path, text))
    assert cat.review.rater_groups.set_index("id").loc["county_leaders", "size"] == size
    ds = _load(path, catalog=cat)
    totals = ds.issues[ds.issues["code"] == "ballot_total"]
    assert not totals.empty and not totals["message"].str.startswith("赵立新").any()
    assert totals["message"].str.contains(f"应为 {size}（指标体系规定该类评议人 {size} 人）").all()
    assert totals["message"].str.contains("县级领导").all() and _holds(ds)


def test_totals_follow_most_secretaries_when_no_size_is_declared(tmp_path):
    path = tmp_path / "县级数据.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "述职评议"
    ws.append(["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"])
    for name, unit, good in (("赵立新", "东山镇党委", 9), ("钱文华", "西河乡党委", 9), ("孙建平", "南岭镇党委", 10)):
        for item in ("总体评价", "投入保障"):
            ws.append([2015, name, unit, "县级领导", item, "好", good])
            ws.append([2015, name, unit, "县级领导", item, "较好", 3])
    ds = _load(path, wb)
    totals = ds.issues[ds.issues["code"] == "ballot_total"]
    assert totals["cell"].tolist() == ["G10:G11", "G12:G13"]
    assert totals["message"].str.contains("孙建平 2015 年“县级领导”.*合计为 13，应为 12（当年过半数书记").all()
    assert len(ds.ballots) == 8 and _holds(ds)


# -- ledger and links ----------------------------------------------------------------------

def test_ledger_dates_that_contradict_each_other(county):
    path, wb = county
    ws = wb["四风台账"]
    ws["F3"] = dt.datetime(2012, 1, 1)                  # closed before it was opened (2012-03-10)
    ws["F4"] = None                                      # 已销号 without a date
    ds = _load(path, wb)
    error = _only(ds, "bad_ledger", "error")
    assert error["cell"] == "F3" and "销号日期早于建账日期" in error["message"]
    warning = _only(ds, "ledger_closed", "warning")
    assert warning["cell"] == "F4" and "已销号" in warning["message"]
    assert "T01-2012-03" in set(ds.ledger["item_id"]) and "T01-2012-02" not in set(ds.ledger["item_id"])
    assert pd.isna(ds.ledger.set_index("item_id").loc["T01-2012-03", "closed"]) and _holds(ds)


def test_a_bad_row_with_empty_cells_still_adds_up(county):
    path, wb = county
    ws = wb["驻点联系"]
    ws["C2"], ws["E2"] = "不存在村", None
    ds = _load(path, wb)
    assert _only(ds, "bad_links", "error")["cell"] == "C2"
    assert ds.files.loc[0, "cells_rejected"] == 4 and _holds(ds)


# -- formulas and sheets recognised by name -------------------------------------------------

def test_a_formula_without_a_cached_value_is_an_error_at_its_cell(catalog):
    batch = Batch(catalog)
    count = batch.new_file("县级数据.xlsx")
    rows = [["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"],
            [2015.0, "赵立新", "东山镇党委", "县级领导", "总体评价", "好", 12.0],
            [2015.0, "赵立新", "东山镇党委", "县级领导", "总体评价", "较好", ""]]
    mapping = ["year", "secretary", "unit_name", "rater_group", "item", "rating", "count"]
    read_county_rows(batch, "ballots", rows, 0, mapping, "县级数据.xlsx", "述职评议", count, False,
                     formula_missing={"G3"})
    assert [(i[2], i[4]) for i in batch.issues] == [("G3", "formula_no_value")]
    assert "公式" in batch.issues[0][5] and len(batch.tables["ballots"]) == 1
    assert (count["cells_read"], count["cells_accepted"], count["cells_rejected"]) == (14, 7, 7)


def test_a_formula_without_a_cached_value_in_the_county_workbook(county):
    path, wb = county
    wb["述职评议"]["G7"] = "=G2+1"                     # openpyxl saves no cached value
    ds = _load(path, wb)
    assert _only(ds, "formula_no_value", "error")["cell"] == "G7" and _holds(ds)


def test_a_sheet_named_like_a_county_sheet_is_recognised_without_its_headers(catalog):
    batch = Batch(catalog)
    rows = [["去年的台账"], ["地区", "号", "事项", "开始", "期限", "结束", "进度"], ["东山镇", "X", "y", None, None, None, None]]
    assert find_county(batch.lookup, rows) is None
    table, header, mapping = find_county(batch.lookup, rows, name="四风台账")
    assert table == "ledger" and mapping == [None] * 1
    rows[1][0] = "乡镇"
    assert find_county(batch.lookup, rows, name="县级数据_四风台账")[:2] == ("ledger", 1)


def test_a_county_sheet_with_all_headers_renamed_is_an_error(county):
    path, wb = county
    ws = wb["驻点联系"]
    for cell, text in zip("ABCDE", ["组", "地区", "村子", "年", "户"]):
        ws[f"{cell}1"] = text
    ds = _load(path, wb)
    assert _only(ds, "missing_county_column", "error")["sheet"] == "驻点联系" and _holds(ds)


# -- the catalogue's group sizes -------------------------------------------------------------

@pytest.mark.parametrize("size, fragment", [("0", "正整数"), ('"12"', "应为整数"), ("12.5", "应为整数")])
def test_a_group_size_is_checked_on_load(tmp_path, catalog_text, size, fragment):
    text = edit_block(catalog_text, "review.rater_groups", "deputies", "weight = 0.10", f"weight = 0.10\nsize = {size}")
    with pytest.raises(CatalogError, match=rf"review\.rater_groups\[3\].*size.*{fragment}"):
        load_catalog(write_catalog(tmp_path, text))
