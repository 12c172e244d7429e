"""述职评议 ballot rules on per-ballot sheets (测评票), every expectation counted by hand: ballots
rating everyone alike are invalid (only when the scheme says so; 不了解 is not a rating), mixed
ballots are invalid, the trimmed mean of score-type 测评 with group weights, ballots per group vs
its size, and review() over a Dataset mixing tallies and per-ballot rows."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog.tables import BALLOT_COLUMNS, LEDGER_COLUMNS, LINK_COLUMNS, OBSERVATION_COLUMNS
from dangjian_analysis.intake.dataset import Dataset
from dangjian_analysis.metrics.ballots import (INVALID_BALLOT, ballot_count_warnings, invalid_ballots,
                                               tally_ballots, trimmed_scores)

SECS = ["赵立新", "钱文华", "孙建平"]
UNITS = {"赵立新": "东山镇党委", "钱文华": "西河乡党委", "孙建平": "南岭镇党委"}
COLS = "EFGHIJ"                                         # 年度 A, 评议人类别 B, 评议项目 C, 票号 D, then one column a secretary

#: Five ballots of the county leaders on three secretaries; ballot 1 rates all three 好.
FIVE = {1: ["好", "好", "好"],
        2: ["好", "较好", "一般"],
        3: ["较好", "好", "差"],
        4: ["好", "一般", "较好"],
        5: ["一般", "不了解", "好"]}


def sheet(ballots: dict, group: str = "county_leaders", year: int = 2015, secs=SECS, first_row: int = 2,
          item: str | None = "总体评价") -> pd.DataFrame:
    """``{ballot: [cell per secretary]}`` as the tidy 测评票 rows as the intake gives them (a number is a
    score, text a rating, 票号 as text; a list shorter than ``secs`` leaves the last secretaries blank: no row)."""
    rows = []
    for r, (ballot, cells) in enumerate(ballots.items(), start=first_row):
        for col, sec, cell in zip(COLS, secs, cells):
            number = isinstance(cell, (int, float))
            rows.append({"year": year, "rater_group": group, "item": item, "ballot": str(ballot), "secretary": sec,
                         "rating": None if number else cell, "score": float(cell) if number else np.nan,
                         "source_file": "测评票.xlsx", "source_sheet": "测评票", "source_cell": f"{col}{r}"})
    return pd.DataFrame(rows)


def tallies(spec: dict, group: str = "county_leaders", year: int = 2015) -> pd.DataFrame:
    """``{secretary: {rating: count}}`` as the long tally table (hand-counted)."""
    rows = [{"year": year, "secretary": s, "unit_name": UNITS[s], "rater_group": group, "item": "总体评价",
             "rating": r, "count": n} for s, t in spec.items() for r, n in t.items()]
    return pd.DataFrame(rows, columns=BALLOT_COLUMNS)


def scheme(catalog, **keys):
    return dataclasses.replace(catalog.review, **keys)


def with_sizes(sch, **sizes):
    groups = sch.rater_groups.copy()
    groups["size"] = [sizes.get(g) for g in groups["id"]]
    return dataclasses.replace(sch, rater_groups=groups)


def dataset(catalog, ballots: pd.DataFrame, sheets: pd.DataFrame) -> Dataset:
    empty = pd.DataFrame
    kw = dict(observations=empty(columns=OBSERVATION_COLUMNS), ballots=ballots, ledger=empty(columns=LEDGER_COLUMNS),
              links=empty(columns=LINK_COLUMNS), issues=empty(columns=["file", "sheet", "cell", "severity", "code",
                                                                        "message"]),
              files=empty(columns=["file"]), catalog=catalog)
    return Dataset(**kw, ballot_sheets=sheets)


def overall(out: pd.DataFrame) -> pd.DataFrame:
    return out[out["rater_group"] == "overall"].set_index("secretary")


def counts(t: pd.DataFrame) -> dict:
    return {(s, r): n for s, r, n in t[["secretary", "rating", "count"]].itertuples(index=False)}


# -- same-rating ballots ------------------------------------------------------------------------

def test_an_all_good_ballot_is_dropped_and_the_rates_are_the_hand_counts(catalog):
    sch = scheme(catalog, same_rating_invalid=True)
    t, invalid = tally_ballots(sheet(FIVE), sch, catalog=catalog)
    c = counts(t)
    # ballot 1 is 无效票 for each; 赵: 好 (2, 4), 较好 (3), 一般 (5); 钱: 较好, 好, 一般, 不了解; 孙: 一般, 差, 较好, 好
    assert c[("赵立新", "好")] == 2 and c[("赵立新", INVALID_BALLOT)] == 1
    assert c[("钱文华", "不了解")] == 1 and c[("钱文华", "好")] == 1
    assert set(t["unit_name"]) == set(UNITS.values())
    assert invalid[["ballot", "source_cell"]].values.tolist() == [["1", "E2:G2"]]
    assert invalid["reason"].iat[0] == "第 1 号票对全部 3 名书记均评“好”，按无效票处理"
    o = overall(dj.review(t, sch, catalog=catalog))
    # 赵: valid 4 (好 2, 较好, 一般): score (200 + 80 + 60)/4 = 85, 好票率 1/2, 好评率 3/4; invalid 1
    assert o.loc["赵立新", ["valid", "invalid", "score", "top_rate", "good_rate", "bad_rate"]].tolist() == \
        pytest.approx([4, 1, 85, 0.5, 0.75, 0])
    # 钱: valid 3 (好, 较好, 一般) → 80; invalid = 无效票 + 不了解 = 2
    assert o.loc["钱文华", ["valid", "invalid", "score", "top_rate"]].tolist() == pytest.approx([3, 2, 80, 1 / 3])
    # 孙: 一般, 差, 较好, 好 → (60 + 40 + 80 + 100)/4 = 70, 差评率 1/4
    assert o.loc["孙建平", ["valid", "score", "bad_rate"]].tolist() == pytest.approx([4, 70, 0.25])


def test_without_the_rule_the_all_good_ballot_counts(catalog):
    t, invalid = tally_ballots(sheet(FIVE), scheme(catalog, same_rating_invalid=False), catalog=catalog)
    assert invalid.empty and INVALID_BALLOT not in set(t["rating"])
    o = overall(dj.review(t, catalog))
    # 赵 好 3, 较好, 一般 → 440/5 = 88; 钱 好 2, 较好, 一般 (+不了解) → 340/4 = 85; 孙 好 2, 较好, 一般, 差 → 380/5 = 76
    assert o.loc[SECS, "score"].tolist() == pytest.approx([88, 85, 76])
    assert o.loc[SECS, "valid"].tolist() == [5, 4, 5]


def test_unknown_is_not_a_rating(catalog):
    sch = scheme(catalog, same_rating_invalid=True)
    ballots = {7: ["好", "不了解", "好"],            # two real ratings, both 好: invalid
               8: ["较好", "不了解", "空白"],         # one real rating: not enough to call it alike
               9: ["不了解", "不了解", "不了解"]}      # no rating at all: three invalid votes, not an invalid ballot
    t, invalid = tally_ballots(sheet(ballots), sch, catalog=catalog)
    assert invalid["ballot"].tolist() == ["7"]
    assert invalid["reason"].iat[0] == "第 7 号票对所评价的 2 名书记（另 1 名为不了解、空白或未填）均评“好”，按无效票处理"
    c = counts(t)
    assert c[("赵立新", "较好")] == 1 and c[("赵立新", INVALID_BALLOT)] == 1 and c[("赵立新", "不了解")] == 1
    assert c[("孙建平", "空白")] == 1 and ("赵立新", "好") not in c


def test_a_ballot_mixing_ratings_and_scores_is_invalid(catalog):
    mixed = sheet({3: ["好", 85, 90]})
    t, invalid = tally_ballots(mixed, scheme(catalog), catalog=catalog)        # whatever same_rating_invalid says
    assert invalid["reason"].iat[0] == "第 3 号票既有评价档次（E2“好”）又有分数（F2 85），无法判定测评方式，按无效票处理"
    assert counts(t) == {(s, INVALID_BALLOT): 1 for s in SECS}
    assert trimmed_scores(mixed, scheme(catalog), catalog=catalog).query("rater_group != 'overall'")["n"].sum() == 0


# -- score-type 测评: the trimmed mean ------------------------------------------------------------

def score_ballots() -> pd.DataFrame:
    leaders = sheet({i: [s, 65] for i, s in enumerate([60, 100, 80, 70, 90], start=1)}, secs=SECS[:2])
    residents = sheet({i: [s, 75] for i, s in enumerate([90, 50, 90], start=1)}, group="residents", secs=SECS[:2])
    return pd.concat([leaders, residents], ignore_index=True)


def test_trimmed_means_and_group_weights(catalog):
    out = trimmed_scores(score_ballots(), scheme(catalog, trim=1, same_rating_invalid=False), catalog=catalog).set_index(["secretary", "rater_group"])
    assert out.loc[("赵立新", "county_leaders"), ["n", "dropped", "score"]].tolist() == [5, 2, 80]  # (70+80+90)/3
    assert out.loc[("赵立新", "residents"), ["n", "dropped", "score"]].tolist() == [3, 2, 90]       # 50, 90 dropped
    # (0.30 · 80 + 0.15 · 90)/(0.30 + 0.15) = 37.5/0.45
    assert out.loc[("赵立新", "overall"), "score"] == pytest.approx(37.5 / 0.45)
    assert out.loc[("赵立新", "overall"), "n"] == 8
    plain = trimmed_scores(score_ballots(), scheme(catalog, trim=0, same_rating_invalid=False), catalog=catalog).set_index(["secretary", "rater_group"])
    assert plain.loc[("赵立新", "residents"), ["dropped", "score"]].tolist() == pytest.approx([0, 230 / 3])


def test_too_few_scores_are_not_trimmed_and_a_note_says_so(catalog):
    two = sheet({1: [70], 2: [90]}, secs=SECS[:1])
    row = trimmed_scores(two, scheme(catalog, trim=1), catalog=catalog).iloc[0]
    assert (row["n"], row["dropped"], row["score"]) == (2, 0, 80)
    assert row["note"] == ("赵立新 2015 年“县级领导”对“总体评价”的有效评分票仅 2 张，"
                           "不足以去掉 1 个最高分和 1 个最低分，按全部评分求平均")
    with pytest.warns(UserWarning, match=r"2015 年“县级领导”对“总体评价”的有效评分票不足以去掉 1 个最高分和 "
                                         r"1 个最低分（赵立新 2 张），按全部评分求平均"):
        o = overall(dj.review(dataset(catalog, tallies({}), two), scheme(catalog, trim=1)))
    assert o.loc["赵立新", "score"] == 80


def test_a_ballot_scoring_everyone_alike_is_invalid_under_the_rule(catalog):
    ballots = sheet({1: [100, 100], 2: [80, 60], 3: [90, 70]}, secs=SECS[:2])
    out = trimmed_scores(ballots, scheme(catalog, same_rating_invalid=True), catalog=catalog)
    zhao = out.set_index(["secretary", "rater_group"]).loc[("赵立新", "county_leaders")]
    assert (zhao["n"], zhao["invalid"], zhao["score"]) == (2, 1, 85)            # (80 + 90)/2
    assert invalid_ballots(dataset(catalog, tallies({}), ballots),
                           scheme(catalog, same_rating_invalid=True))["reason"].tolist() == [
        "第 1 号票对全部 2 名书记均评 100 分，按无效票处理"]


def test_review_takes_the_score_type_result_and_grades_on_the_score_alone(catalog):
    ds = dataset(catalog, tallies({}), score_ballots())
    o = overall(dj.review(ds, scheme(catalog, trim=1)))
    # 赵 83.33: not < 75, the rates are missing (so 好评率 < 70 % does not hold), < 90 → 较好
    assert o.loc["赵立新", "score"] == pytest.approx(37.5 / 0.45)
    assert o.loc["赵立新", ["top_rate", "good_rate", "bad_rate"]].isna().all()
    assert o.loc["赵立新", "grade"] == "较好" and o.loc["赵立新", "valid"] == 8
    # 钱: leaders all 65, residents all 75 → (0.30·65 + 0.15·75)/0.45 = 68.33 < 75 → 一般
    assert o.loc["钱文华", ["score", "grade"]].tolist() == [pytest.approx(30.75 / 0.45), "一般"]


def test_equal_score_type_results_across_the_cap_are_undecided_not_split_by_name(catalog):
    # 赵 (90 + 100 + 95)/3 = 95, 钱 (100 + 90 + 95)/3 = 95: both 好 on the score (rates missing);
    # two assessed, 1/3 → at least 1 名额: the two tie on every criterion → both 待定
    ballots = sheet({1: [90, 100], 2: [100, 90], 3: [95, 95]}, secs=SECS[:2])
    o = overall(dj.review(dataset(catalog, tallies({}), ballots), scheme(catalog, same_rating_invalid=False, trim=0)))
    assert o.loc[SECS[:2], "score"].tolist() == [95, 95]
    assert o.loc[SECS[:2], "grade"].tolist() == ["待定", "待定"]
    assert o.loc[SECS[:2], "valid"].tolist() == [3, 3]


# -- ballots per group vs its size ------------------------------------------------------------------

def test_ballots_per_group_are_checked_against_its_size(catalog):
    sch = with_sizes(scheme(catalog, same_rating_invalid=True), county_leaders=6, residents=3)
    assert ballot_count_warnings(sheet(FIVE), sch, catalog=catalog) == [
        "测评票：2015 年“县级领导”对“总体评价”的测评票共 5 张（其中无效票 1 张），应为 6 张（指标体系规定该类评议人 6 人）"]
    assert ballot_count_warnings(sheet(FIVE), with_sizes(sch, county_leaders=5), catalog=catalog) == []
    ds = dataset(catalog, tallies({}), sheet(FIVE))
    with pytest.warns(UserWarning, match="测评票共 5 张（其中无效票 1 张），应为 6 张"):
        out = dj.review(ds, sch)
    assert len(overall(out)) == 3                                                  # still a table


# -- review over a Dataset ------------------------------------------------------------------------

def test_review_of_tallies_and_ballots_equals_review_of_the_hand_counts(catalog):
    sch = scheme(catalog, same_rating_invalid=True)
    typed = tallies({"赵立新": {"好": 2, "较好": 1}, "钱文华": {"一般": 3}, "孙建平": {"好": 1, "差": 2}},
                    group="residents")
    ds = dataset(catalog, typed, sheet(FIVE))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                               # nothing to warn about here
        got = dj.review(ds, sch)
    by_hand = pd.concat([typed, tallies({"赵立新": {"好": 2, "较好": 1, "一般": 1, INVALID_BALLOT: 1},
                                         "钱文华": {"好": 1, "较好": 1, "一般": 1, "不了解": 1, INVALID_BALLOT: 1},
                                         "孙建平": {"好": 1, "较好": 1, "一般": 1, "差": 1, INVALID_BALLOT: 1}})],
                        ignore_index=True)
    expected = dj.review(by_hand, sch, catalog=catalog)
    pd.testing.assert_frame_equal(got, expected)
    # 赵: leaders 85 (above), residents (200 + 80)/3 = 93.33 → (0.30·85 + 0.15·93.33)/0.45 = 87.78
    assert overall(got).loc["赵立新", "score"] == pytest.approx((0.30 * 85 + 0.15 * 280 / 3) / 0.45)
    assert invalid_ballots(ds, sch)["ballot"].tolist() == ["1"]


def test_a_secretary_in_both_the_tallies_and_the_ballots_counts_once_as_the_intake_does(catalog):
    ds = dataset(catalog, tallies({"赵立新": {"好": 1}}), sheet(FIVE))
    with pytest.warns(UserWarning, match="2015 年“县级领导”对“总体评价”的评价，赵立新已按票数填在述职评议计票表中，"
                                         "测评票中的 5 票（E2:E6）未计入"):
        o = overall(dj.review(ds, scheme(catalog, same_rating_invalid=False)))
    assert o.loc["赵立新", ["valid", "score"]].tolist() == [1, 100]               # the typed tally alone
    assert o.loc["钱文华", "valid"] == 4                                           # 好 2, 较好, 一般 (+ 不了解)


def test_a_blank_cell_and_a_ballot_without_number(catalog):
    # ballot 10 leaves 孙 blank (no row): it rates 2 of the 3 secretaries on these ballots, both 好
    ballots = pd.concat([sheet({2: ["好", "较好", "一般"]}), sheet({10: ["好", "好"]}, first_row=3),
                         sheet({"第4行": ["较好", "较好", "较好"]}, first_row=4)], ignore_index=True)
    invalid = tally_ballots(ballots, scheme(catalog, same_rating_invalid=True), catalog=catalog)[1]
    assert invalid["reason"].tolist() == [
        "第 10 号票对所评价的 2 名书记（另 1 名为不了解、空白或未填）均评“好”，按无效票处理",
        "第4行的测评票对全部 3 名书记均评“较好”，按无效票处理"]
    assert invalid["source_cell"].tolist() == ["E3:F3", "E4:G4"]


def test_inputs_are_not_mutated(catalog):
    s = sheet(FIVE)
    before = s.copy()
    tally_ballots(s, scheme(catalog, same_rating_invalid=True), catalog=catalog)
    trimmed_scores(s, scheme(catalog, trim=1), catalog=catalog)
    pd.testing.assert_frame_equal(s, before)


def test_a_ballot_sheet_read_by_the_intake_is_scored(tmp_path, catalog):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "测评票"
    ws.append(["年度", "评议人类别", "评议项目", "票号", *SECS])
    for n, cells in FIVE.items():
        ws.append([2015, "县级领导", "总体评价", n, *cells])
    ws["G6"] = None                                     # 孙 left blank on ballot 5
    wb.save(tmp_path / "测评票.xlsx")
    ds = dj.load(tmp_path, catalog=catalog)               # the default catalogue: same_rating_invalid = true
    assert ds.issues.empty
    o = overall(dj.review(ds))
    # as in the first test, but 孙 has 一般, 差, 较好 on ballots 2–4: 差评率 1/3 → 差
    assert o.loc[SECS, "valid"].tolist() == [4, 3, 3]
    assert o.loc[SECS, "score"].tolist() == pytest.approx([85, 80, 60])
    assert o.loc["孙建平", "grade"] == "差"
    assert invalid_ballots(ds)[["ballot", "source_cell"]].values.tolist() == [["1", "E2:G2"]]
