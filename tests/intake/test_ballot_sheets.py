"""The 测评票 sheet (one row a ballot, one column a secretary): read cell by cell with provenance,
checked against the default catalogue's review scheme (rater groups 县级领导 = county_leaders, …;
ratings 好/较好/一般/差, invalid 不了解/空白; first item 总体评价), every cell accounted for."""

from __future__ import annotations

import math

import openpyxl

from dangjian_analysis.intake import load

HEAD = ["年度", "评议人类别", "评议项目", "票号", "赵立新", "钱文华", "褚明远"]
TALLY_HEAD = ["年度", "书记", "评议人类别", "评议项目", "评价", "票数"]


def _load(tmp_path, rows, tallies=None, head=HEAD):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "测评票"
    for row in [head, *rows]:
        ws.append(row)
    if tallies is not None:
        ws = wb.create_sheet("述职评议")
        for row in [TALLY_HEAD, *tallies]:
            ws.append(row)
    wb.save(tmp_path / "县级数据.xlsx")
    return load(tmp_path / "县级数据.xlsx")


def _counts(ds, sheet="测评票"):
    row = ds.sheets.set_index("sheet").loc[sheet]
    assert row["cells_read"] == row["cells_accepted"] + row["cells_rejected"] + row["cells_empty"]
    return row["cells_read"], row["cells_accepted"], row["cells_rejected"], row["cells_empty"]


def _issues(ds):
    return [(i.cell, i.severity, i.code) for i in ds.issues.itertuples()]


def _records(ds):
    b = ds.ballot_sheets
    return [(r.year, r.rater_group, r.item, r.ballot, r.secretary, r.rating,
             None if math.isnan(r.score) else r.score, r.source_cell) for r in b.itertuples()]


def test_a_clean_sheet_gives_one_row_per_cell_rated(tmp_path):
    rows = [[2015, "县级领导", None, 1, "好", "较好", "不了解"],
            [2015, "county_leaders", "作风建设和驻点联系", "2", "一般", None, 88]]
    ds = _load(tmp_path, rows)
    assert _issues(ds) == []
    assert _records(ds) == [
        (2015, "county_leaders", "总体评价", "1", "赵立新", "好", None, "E2"),
        (2015, "county_leaders", "总体评价", "1", "钱文华", "较好", None, "F2"),
        (2015, "county_leaders", "总体评价", "1", "褚明远", "不了解", None, "G2"),
        (2015, "county_leaders", "作风建设和驻点联系", "2", "赵立新", "一般", None, "E3"),
        (2015, "county_leaders", "作风建设和驻点联系", "2", "褚明远", None, 88.0, "G3"),   # the blank cell gives no row
    ]
    assert ds.ballot_sheets["score"].dtype == float
    # 2 rows × 7 columns; empty: 评议项目 of row 2's ballot 1, 钱文华 on ballot 2
    assert _counts(ds) == (14, 12, 0, 2)


def test_a_column_under_no_secretarys_name_is_a_warning_and_counted(tmp_path):
    head = [*HEAD, "张三", None]
    ds = _load(tmp_path, [[2015, "县级领导", None, 1, "好", "好", "好", "好", "差"],
                          [2015, "县级领导", None, 2, "好", "好", "好", "较好", None]], head=head)
    assert _issues(ds) == [("H1", "warning", "unknown_secretary"), ("I1", "warning", "unknown_secretary")]
    assert "表头“张三”不是指标体系中书记的姓名，该列 2 票（H2:H3）未读取" in ds.issues["message"].iloc[0]
    assert "本列没有表头，该列 1 票（I2:I2）未读取" in ds.issues["message"].iloc[1]
    assert set(ds.ballot_sheets["secretary"]) == {"赵立新", "钱文华", "褚明远"}
    # read: 2 × 7 key and secretary cells (1 empty: 评议项目 ×2) + 3 cells of the two unknown columns
    assert _counts(ds) == (17, 12, 3, 2)


def test_a_wrong_rater_group_or_year_rejects_the_ballot(tmp_path):
    ds = _load(tmp_path, [[2015, "群众", None, 1, "好", "好", "好"],
                          ["去年", "县级领导", None, 2, "好", "好", "好"],
                          [2015, "县级领导", "总评", 3, "好", "好", "好"],
                          [2015, "县级领导", None, 4, "好", "好", "好"]])
    assert _issues(ds) == [("B2", "error", "bad_ballot_sheets"), ("A3", "error", "bad_ballot_sheets"),
                           ("C4", "error", "bad_ballot_sheets")]
    messages = list(ds.issues["message"])
    assert messages[0].startswith("评议人类别“群众”未定义；应为：县级领导、") and messages[0].endswith("本行（第2行）未采用")
    assert messages[1].startswith("年度“去年”有误")
    assert messages[2].startswith("评议项目“总评”未定义")
    assert set(ds.ballot_sheets["ballot"]) == {"4"}
    # rejected: 6 + 6 + 7 filled cells; ballot 4: 6 accepted, 评议项目 empty (and on the bad rows 1 + 1)
    assert _counts(ds) == (28, 6, 19, 3)


def test_a_bad_cell_is_rejected_alone(tmp_path):
    ds = _load(tmp_path, [[2015, "县级领导", None, 1, "优", 101, "较好"]])
    assert _issues(ds) == [("E2", "error", "bad_ballot_cell"), ("F2", "error", "bad_ballot_cell")]
    messages = list(ds.issues["message"])
    assert messages[0] == "赵立新：“优”不是评价档次（好、较好、一般、差、不了解、空白）或 0–100 的分数；本格未采用（本票其他格照常读取）"
    assert messages[1].startswith("钱文华：分数“101”不在 0–100 之间")
    assert _records(ds) == [(2015, "county_leaders", "总体评价", "1", "褚明远", "较好", None, "G2")]
    assert _counts(ds) == (7, 4, 2, 1)


def test_a_ballot_number_twice_rejects_both_ballots(tmp_path):
    ds = _load(tmp_path, [[2015, "县级领导", None, 7, "好", "好", "好"],
                          [2015, "县级领导", None, 7, "差", "差", "差"],
                          [2015, "县委委员和牵头部门", None, 7, "好", "好", "好"]])   # another group: its own numbers
    assert _issues(ds) == [("D2", "error", "ballot_number_twice"), ("D3", "error", "ballot_number_twice")]
    assert "票号“7”在 2015 年同一评议人类别、同一评议项目中出现多次（县级数据.xlsx 测评票 D2、县级数据.xlsx 测评票 D3）" \
        in ds.issues["message"].iloc[0]
    assert list(ds.ballot_sheets["rater_group"]) == ["committee_depts"] * 3
    assert _counts(ds) == (21, 6, 12, 3)


def test_a_blank_ballot_number_names_the_row(tmp_path):
    ds = _load(tmp_path, [[2015, "县级领导", None, None, "好", None, None]])
    assert _issues(ds) == [("D2", "warning", "ballot_sheets_ballot")]
    assert ds.issues["message"].iloc[0] == "票号未填写，本票按行号（第2行）识别"
    assert list(ds.ballot_sheets["ballot"]) == ["第2行"]
    assert _counts(ds) == (7, 3, 0, 4)


def test_ballots_also_given_as_tallies_are_not_counted_twice(tmp_path):
    tallies = [[2015, "赵立新", "县级领导", "总体评价", "好", 1], [2015, "赵立新", "县级领导", "总体评价", "较好", 1]]
    ds = _load(tmp_path, [[2015, "县级领导", None, 1, "好", "好", "好"],
                          [2015, "县级领导", None, 2, "较好", "好", "一般"]], tallies=tallies)
    assert _issues(ds) == [("E2:E3", "error", "ballots_given_twice")]
    assert ds.issues["message"].iloc[0] == (
        "赵立新 2015 年“县级领导”对“总体评价”的评议已按票数填在述职评议计票中（县级数据.xlsx 述职评议 A2:F2），"
        "测评票中的 2 票（E2:E3）未采用，以免重复计票；请只保留一种填报方式")
    assert set(ds.ballot_sheets["secretary"]) == {"钱文华", "褚明远"}
    assert len(ds.ballots) == 2                                   # the tallies stay
    assert _counts(ds) == (14, 10, 2, 2)
    assert _counts(ds, "述职评议") == (12, 12, 0, 0)


def test_a_sheet_without_its_required_columns_is_rejected(tmp_path):
    ds = _load(tmp_path, [[2015, 1, "好"]], head=["年度", "票号", "赵立新"])
    assert _issues(ds)[0] == ("A1:C1", "error", "missing_county_column")
    assert "缺少必需的列：“评议人类别”" in ds.issues["message"].iloc[0]
    assert ds.ballot_sheets.empty
    assert _counts(ds) == (3, 0, 3, 0)


def test_more_ballots_than_the_groups_declared_size_is_a_warning(tmp_path, catalog_text):
    from dangjian_analysis.catalog import load_catalog

    text = catalog_text.replace('name = "县级领导"', 'name = "县级领导"\nsize = 2', 1)
    assert text != catalog_text
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "测评票"
    for row in [HEAD, *([2015, "县级领导", None, n, "好", "好", "好"] for n in (1, 2, 3))]:
        ws.append(row)
    wb.save(tmp_path / "县级数据.xlsx")
    ds = load(tmp_path / "县级数据.xlsx", catalog=load_catalog(path))
    assert _issues(ds) == [("", "warning", "ballot_sheets_size")]
    assert "测评票中 2015 年“县级领导”对“总体评价”有 3 张票，多于指标体系规定的该类评议人 2 人" in ds.issues["message"].iloc[0]
    assert len(ds.ballot_sheets) == 9
