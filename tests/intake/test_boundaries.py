"""Intake rules at both sides of their boundaries, so that a wrong boundary fails a test.

- 述职评议: the ballots of one secretary, year, rater group and item must add up to the group's
  size (README 校验规则: 须等于 … 不一致是错误): one below, far below and one above are errors; equal is not.
- 同比 (count or amount): more than ``yoy_factor`` (default 10) times last year's value, or less than
  1/``yoy_factor`` of it, is a warning; exactly 10× or 1/10 is not (README: 超过 … 倍数).
- 同比 (percentage): a change of more than ``yoy_points`` (default 50) points either way is a warning;
  exactly 50 points is not.

Every expected outcome is worked by hand in the test. Each case loads one small workbook.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load
from helpers import SAMPLE, column_of, edit_block, write_catalog

VILLAGES = "村级指标"
BALLOTS = "述职评议"


# -- ballot totals against the rater group's size ------------------------------------------

@pytest.fixture(scope="module")
def sized_catalog(tmp_path_factory):
    """The default catalogue with 县级领导 (county_leaders) declared as 12 raters."""
    from dangjian_analysis.catalog import default_catalog_text

    text = edit_block(default_catalog_text(), "review.rater_groups", "county_leaders", "weight = 0.30",
                      "weight = 0.30\nsize = 12")
    cat = load_catalog(write_catalog(tmp_path_factory.mktemp("sized"), text))
    assert cat.review.rater_groups.set_index("id").loc["county_leaders", "size"] == 12
    return cat


def _ballots(path, secretaries) -> None:
    """A county workbook with only a ballot sheet: per (name, unit, good, fair), two items
    (总体评价, 投入保障) of the 县级领导 group, each with ``good`` 好 and ``fair`` 较好 ballots."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = BALLOTS
    ws.append(["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"])
    for name, unit, good, fair in secretaries:
        for item in ("总体评价", "投入保障"):
            ws.append([2015, name, unit, "县级领导", item, "好", good])
            ws.append([2015, name, unit, "县级领导", item, "较好", fair])
    wb.save(path)


CONTROL = ("赵立新", "东山镇党委", 9, 3)          # 9 + 3 = 12 = the declared size: never flagged


@pytest.mark.parametrize("good, fair, total", [
    (8, 3, 11),        # one below the size
    (1, 0, 1),         # far below
    (9, 4, 13),        # one above
])
def test_a_total_off_the_declared_size_either_way_is_an_error(tmp_path, sized_catalog, good, fair, total):
    path = tmp_path / "县级数据.xlsx"
    _ballots(path, [CONTROL, ("钱文华", "西河乡党委", good, fair)])
    ds = load(path, catalog=sized_catalog)
    # rows 2–5 赵立新 (总体评价 2–3, 投入保障 4–5); rows 6–9 钱文华: each item its own error
    assert ds.issues[["sheet", "cell", "severity", "code"]].values.tolist() == [
        [BALLOTS, "G6:G7", "error", "ballot_total"], [BALLOTS, "G8:G9", "error", "ballot_total"]]
    for message, item, rows in zip(ds.issues["message"], ("总体评价", "投入保障"), ("A6:G7", "A8:G9")):
        assert message.startswith(f"钱文华 2015 年“县级领导”对“{item}”的票数合计为 {total}，"
                                  "应为 12（指标体系规定该类评议人 12 人）"), message
        assert f"这些行（{rows}）未采用" in message
    assert ds.ballots["secretary"].tolist() == ["赵立新"] * 4


def test_a_total_equal_to_the_declared_size_is_accepted(tmp_path, sized_catalog):
    path = tmp_path / "县级数据.xlsx"
    _ballots(path, [CONTROL, ("钱文华", "西河乡党委", 12, 0), ("孙建平", "南岭镇党委", 0, 12)])
    ds = load(path, catalog=sized_catalog)
    assert ds.issues.empty, ds.issues.to_string()
    assert len(ds.ballots) == 12


def test_a_total_below_most_secretaries_is_an_error_when_no_size_is_declared(tmp_path, catalog):
    """No size for 县级领导 in the default catalogue: 赵立新 and 钱文华 have 12, so 12 is expected,
    and 孙建平's 11 (one below) is an error, as 13 (one above) is in test_county."""
    path = tmp_path / "县级数据.xlsx"
    _ballots(path, [CONTROL, ("钱文华", "西河乡党委", 10, 2), ("孙建平", "南岭镇党委", 8, 3)])
    ds = load(path, catalog=catalog)
    assert ds.issues[["sheet", "cell", "severity", "code"]].values.tolist() == [
        [BALLOTS, "G10:G11", "error", "ballot_total"], [BALLOTS, "G12:G13", "error", "ballot_total"]]
    assert ds.issues["message"].str.contains("孙建平 2015 年“县级领导”.*合计为 11，应为 12（当年过半数书记").all()


# -- year on year --------------------------------------------------------------------------

@pytest.fixture
def township(tmp_path):
    path = tmp_path / "东山镇.xlsx"
    shutil.copy(SAMPLE / "东山镇.xlsx", path)
    return path


def _history(path, indicator: str, before: float, now: float) -> tuple[str, str]:
    """The first village (东山社区) gets ``before`` in 2012–2014 and ``now`` in 2015 for
    ``indicator``; returns the 2014 and 2015 cells."""
    wb = openpyxl.load_workbook(path)
    ws = wb[VILLAGES]
    column = column_of(ws, indicator)
    rows = {ws[f"C{r}"].value: r for r in range(4, ws.max_row + 1) if ws[f"B{r}"].value == "东山社区"}
    assert sorted(rows) == [2012, 2013, 2014, 2015]
    for year, row in rows.items():
        ws[f"{column}{row}"] = now if year == 2015 else before
    wb.save(path)
    return f"{column}{rows[2014]}", f"{column}{rows[2015]}"


def _year_on_year(path, indicator, before, now):
    """The issues of the township workbook after the edit (the sample itself has none), and the cells."""
    last, cell = _history(path, indicator, before, now)
    ds = load(path)
    return ds.issues, last, cell


# 活动场所面积 (平方米, yoy_factor 10 by default, plausible 20–3000); ratio = now / before
@pytest.mark.parametrize("before, now", [
    (200, 1998),       # 1998 / 200 = 9.99: inside
    (200, 2000),       # exactly 10: not more than 10, inside
    (1998, 200),       # 200 / 1998 = 1/9.99: inside
    (2000, 200),       # exactly 1/10: inside
    (0.6, 6),          # 村级办公经费 below: exactly 10× in decimals
    (6, 0.6),          # exactly 1/10 in decimals (0.6 / 6 is 0.09999999999999999 in binary floating point)
])
def test_a_change_of_at_most_ten_times_is_not_questioned(township, catalog, before, now):
    assert catalog.indicators.set_index("id").loc[["venue_area", "office_funds"], "yoy_factor"].tolist() == [10, 10]
    indicator = "venue_area" if before >= 20 or now >= 20 else "office_funds"   # both within plausible
    issues, _, _ = _year_on_year(township, indicator, before, now)
    assert issues.empty, issues.to_string()


@pytest.mark.parametrize("before, now, words", [
    (200, 2002, "是上年的 10 倍，请核实是否多输或少输了一位数字"),      # 2002 / 200 = 10.01
    (2002, 200, "只有上年的 1/10，请核实是否多输或少输了一位数字"),     # 200 / 2002 = 1/10.01
    (200, 2200, "是上年的 11 倍，请核实是否多输或少输了一位数字"),      # 11
    (2200, 200, "只有上年的 1/11，请核实是否多输或少输了一位数字"),     # 1/11
])
def test_a_change_of_more_than_ten_times_is_questioned_at_the_later_cell(township, before, now, words):
    issues, last, cell = _year_on_year(township, "venue_area", before, now)
    assert issues[["file", "sheet", "cell", "severity", "code"]].values.tolist() == [
        [str(township), VILLAGES, cell, "warning", "year_on_year"]]
    assert issues["message"].iloc[0] == (f"东山社区 活动场所面积：{now:g}（平方米），与上年（2014 年，"
                                         f"东山镇.xlsx {VILLAGES} {last}：{before:g}）相比{words}")


# 群众满意度 (%, yoy_points 50 by default, plausible 20–100); change = now − before in points
@pytest.mark.parametrize("before, now", [
    (30, 79.9),        # +49.9
    (30, 80),          # +50 exactly: not more than 50
    (80, 30.1),        # −49.9
    (80, 30),          # −50 exactly
    (20.4, 70.4),      # +50 exactly in decimals (70.4 − 20.4 is 50.00000000000001 in binary floating point)
    (70.4, 20.4),      # −50 exactly in decimals
])
def test_a_percentage_moving_at_most_fifty_points_is_not_questioned(township, catalog, before, now):
    assert catalog.indicators.set_index("id").loc["satisfaction", "yoy_points"] == 50
    issues, _, _ = _year_on_year(township, "satisfaction", before, now)
    assert issues.empty, issues.to_string()


@pytest.mark.parametrize("before, now, change", [
    (30, 80.1, "+50.1"),
    (80, 29.9, "-50.1"),
    (20, 100, "+80"),
])
def test_a_percentage_moving_more_than_fifty_points_is_questioned(township, before, now, change):
    issues, last, cell = _year_on_year(township, "satisfaction", before, now)
    assert issues[["file", "sheet", "cell", "severity", "code"]].values.tolist() == [
        [str(township), VILLAGES, cell, "warning", "year_on_year"]]
    assert issues["message"].iloc[0] == (f"东山社区 群众满意度：{now:g}（%），与上年（2014 年，"
                                         f"东山镇.xlsx {VILLAGES} {last}：{before:g}）相比变化 {change} 个百分点，请核实")
