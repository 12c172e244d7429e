"""The sample county's 考核细则 data: the last year's 加减分台账 and 考核清单 exercise every rule kind of
the default rubric, with the results worked by hand below; a veto on the would-be first township,
a disqualified 县直 unit, a gate, and two 县直 units tied across the 好 quota; the 党员群众代表's
last-year ballots given as 测评票, two of them rating everyone alike."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from dangjian_analysis.sample import _county_tables, make_sample

_PAIR = ["县卫生系统党委", "县国资委党委"]


@pytest.fixture(scope="module")
def sample(catalog):
    return make_sample(catalog)


@pytest.fixture(scope="module")
def results(sample_loaded):
    from dangjian_analysis.metrics.annual import assessment_results

    return assessment_results(sample_loaded, year=2015).set_index("unit")


def test_every_year_has_a_ledger_and_the_last_one_every_kind_of_entry(sample):
    adj = sample.adjustments
    assert set(adj["year"]) == {2012, 2013, 2014, 2015} and set(sample.checklist["year"]) == {2012, 2013, 2014, 2015}
    last = adj[adj["year"] == 2015]
    assert set(last["item"]) == {"A02", "A03", "A04", "D03", "J01", "J02", "J03", "K01", "K02", "F01", "F02"}
    assert set(last.loc[last["item"] == "A03", "role"]) == {"书记", "班子成员", "支部书记"}
    assert set(last.loc[last["item"] == "A04", "role"]) == {"一般", "较重", "严重"}
    assert last.loc[last["item"] == "F01", "unit"].tolist() == ["金谷镇党委"]
    assert last.loc[last["item"] == "F02", "unit"].tolist() == ["县公安局党委"]
    # every entry says why, on what basis, when (within its year) and who found it
    assert adj["reason"].str.len().gt(0).all() and adj["department"].str.len().gt(0).all()
    assert all(re.fullmatch(rf"\S+〔{y}〕\d+号", b) for y, b in zip(adj["year"], adj["basis"]))
    assert (adj["date"].dt.year == adj["year"]).all()
    # 分值 as the rule gives it; a veto has none
    assert adj.loc[adj["item"].str.startswith("F"), "points"].isna().all()
    assert adj.loc[(adj["item"] == "A04") & (adj["role"] == "严重"), "points"].eq(4).all()


def test_checklist_one_row_per_unit_and_check_with_twelve_not_done_in_the_last_year(sample):
    per_year = sample.checklist.groupby("year").size()
    assert (per_year == 10 * 4 + 9 * 17).all()
    last = sample.checklist[sample.checklist["year"] == 2015]
    missing = last[~last["done"].astype(bool)]
    assert len(missing) == 12
    assert set(missing.loc[missing["unit"].isin(_PAIR), "check"]) == {"党员积分管理"}


def test_the_sample_loads_without_an_issue_and_keeps_every_entry(sample_loaded, sample):
    assert sample_loaded.n_errors == 0 and sample_loaded.issues.empty
    assert len(sample_loaded.adjustments) == len(sample.adjustments)
    assert len(sample_loaded.checklist) == len(sample.checklist)
    assert len(sample_loaded.ballot_sheets) == len(sample.ballot_sheets) == 35 * 6 * 19


def test_county_department_results_worked_by_hand(results):
    # 日常考核 = 基础分 100 − item deductions + 加分 (after caps) − 直接扣分
    routine = {
        "县直机关工委": 100 + 5,         # J01 2×2 → cap 3, J02 2×1 = 2, J03 3: 8 → pool cap 5
        "县教育工委": 100 - 3 - 5 - 1 + 1,  # D01 one check −3, D03 −5, A03 支部书记 −1, J02 +1
        "县卫生系统党委": 100 - 2 - 2,     # A02 −2, D02 one check −2
        "县国资委党委": 100 - 2 - 2,       # the same
        "县公安局党委": 100 - 5 - 5,       # D03 −5, D04 one quarter −5 (and F02)
        "县非公经济组织党工委": 100 - 5 - 2,
        "县社会组织党委": 100 - 10 - 2 - 3 - 5 - 2,   # D03 ×2, A03 班子成员, D01, D04; K02 班子成员 −2
        "县经济开发区党工委": 100 - 2 - 5 - 5,
        "县农业系统党委": 100 - 2 - 3 - 2,           # A02, D01; K01 −2
    }
    assert results.loc[list(routine), "routine"].round(9).to_dict() == routine
    top = results.loc["县直机关工委"]
    assert (top["bonus_raw"], top["bonus"], top["grade"]) == (8, 5, "好")
    assert results.loc["县公安局党委", "grade"] == "取消评选资格"


def test_two_county_departments_tied_across_the_quota_cut(results):
    pair = results.loc[_PAIR]
    assert pair["annual"].nunique() == 1 and pair["review"].nunique() == 1
    # 8 units counted (县公安局党委 disqualified) × 1/3 → 2 places; 县直机关工委 first, the pair 2nd and 3rd
    assert pair["rank"].tolist() == [2, 2] and pair["grade"].tolist() == ["待定", "待定"]
    others = results[(results["class"] == "县直党（工）委书记") & ~results.index.isin(_PAIR + ["县直机关工委"])]
    assert (others["annual"] < pair["annual"].iloc[0]).all() and results.loc["县直机关工委", "annual"] > pair["annual"].iloc[0]


def test_township_veto_gate_and_floor(results, sample_loaded):
    from dangjian_analysis.metrics.annual import assessment_breakdown

    towns = results[results["class"] == "乡镇党委书记"]
    assert towns["rank"].idxmin() == "金谷镇党委" and results.loc["金谷镇党委", "grade"] == "较好"   # F01: not 好
    assert "F01" in results.loc["金谷镇党委", "grade_note"]
    red = results.loc["红旗乡党委"]
    assert (red["band"], red["grade"]) == ("较好", "一般") and "G01" in red["grade_note"]   # 满意度 < 82
    rows = assessment_breakdown(sample_loaded, year=2015).set_index(["unit", "item"])
    a04 = rows.loc[("青石乡党委", "A04")]
    assert a04["earned"] == 0 and "扣完为止" in a04["basis"]                 # 严重 4 + 较重 2 = 6 > 5
    assert rows.loc[("金谷镇党委", "J01"), "earned"] == 3                    # 2 × 2 = 4 over the item cap 3


def test_ballot_sheets_replace_the_residents_tallies_of_the_last_year(sample):
    tallies = sample.ballots
    residents = tallies[tallies["rater_group"] == "residents"]
    assert set(residents["year"]) == {2012, 2013, 2014}
    sheets = sample.ballot_sheets
    assert set(sheets["year"]) == {2015} and set(sheets["rater_group"]) == {"residents"}
    same = sheets.groupby(["item", "ballot"])["rating"].nunique()
    assert same[same == 1].index.tolist() == [("总体评价", "11"), ("总体评价", "3")]
    # the tied pair's secretaries: the same tallies and the same cell on every ballot
    last = tallies[tallies["year"] == 2015].set_index(["rater_group", "item", "rating", "secretary"])["count"].unstack()
    assert last["蒋德胜"].equals(last["韩志勇"])
    wide = sheets.pivot(index=["item", "ballot"], columns="secretary", values="rating")
    assert wide["蒋德胜"].equals(wide["韩志勇"])


def test_invalid_ballots_found(sample_loaded):
    from dangjian_analysis.metrics.ballots import invalid_ballots

    found = invalid_ballots(sample_loaded)
    assert sorted(found["ballot"]) == ["11", "3"] and set(found["item"]) == {"总体评价"}


def test_no_rubric_sheets_without_an_assessment(catalog):
    bare = make_sample(dataclasses.replace(catalog, assessment=None))
    assert bare.adjustments.empty and bare.checklist.empty
    tables = _county_tables(bare, list(catalog.secretaries["name"]))
    assert list(tables) == ["述职评议", "四风台账", "驻点联系", "测评票"]
    assert isinstance(tables["测评票"], pd.DataFrame) and list(tables["测评票"].columns[:5]) == [
        "年度", "评议人类别", "评议项目", "票号", "赵立新"]
