"""Scoring rules (issue 11): blanks are not a free pass, provisional results are marked, thresholds
are exact, weights say what they mean. Every expected number is worked by hand (tests/mini.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import Dataset

from helpers import assert_catalog_error
from mini import MINI_TOML, mini_observations


pytestmark = pytest.mark.usefixtures("quiet")


def _get(frame, unit, year, col, group="overall"):
    sel = (frame["unit_name"] == unit) & (frame["year"] == year) & (frame["group"] == group)
    assert sel.sum() == 1, frame[sel]
    return frame.loc[sel, col].iloc[0]


def _catalog_with(tmp_path, extra: str):
    path = tmp_path / "c.toml"
    path.write_text(MINI_TOML + "\n" + extra, "utf-8")
    return load_catalog(path)


# -- 1. a blank is not a free pass ------------------------------------------------------------

def _weak_yi(obs: pd.DataFrame) -> pd.DataFrame:
    """甲镇's 2020 output at 200 (of 1000), so that 乙乡 trails 甲镇 only narrowly in 2020."""
    obs = obs.copy()
    obs.loc[(obs["unit_name"] == "甲镇") & (obs["indicator"] == "output") & (obs["year"] == 2020), "value"] = 200.0
    return obs


def test_blanking_a_weak_required_indicator_does_not_gain(cat, tmp_path):
    obs = _weak_yi(mini_observations())
    blank = obs[~((obs["township"] == "乙乡") & (obs["indicator"] == "age"))]
    # 甲镇: a = (66.667 + 3·50)/4 = 54.167; b = (members 60 + output 20)/2 = 40;
    #       overall = (3·54.167 + 40)/4 = 50.625
    # 乙乡 as reported: a = (50 + 3·40)/4 = 42.5; b = (40 + 100)/2 = 70; overall = (127.5 + 70)/4 = 49.375
    full = dj.score_composite(obs, cat)
    assert _get(full, "甲镇", 2020, "score") == pytest.approx(50.625)
    assert _get(full, "乙乡", 2020, "score") == pytest.approx(49.375)
    assert _get(full, "乙乡", 2020, "rank") == 2
    # 乙乡 leaves its weak age (40 points, weight 3) blank:
    # zero (default): a = (50 + 3·0)/4 = 12.5; overall = (37.5 + 70)/4 = 26.875 — no gain, still 2nd
    zero = dj.score_composite(blank, cat)
    assert _get(zero, "乙乡", 2020, "score", "a") == pytest.approx(12.5)
    assert _get(zero, "乙乡", 2020, "score") == pytest.approx(26.875)
    assert _get(zero, "乙乡", 2020, "rank") == 2
    assert _get(zero, "乙乡", 2020, "coverage", "a") == pytest.approx(0.25)      # funds' weight 1 of 4
    assert _get(zero, "乙乡", 2020, "missing_required", "a") == 1
    assert _get(zero, "乙乡", 2020, "missing_required") == 1
    assert (zero["missing_rule"] == "zero").all() and zero.attrs["scoring"]["missing"] == "zero"
    assert not _get(zero, "乙乡", 2020, "provisional")                       # the rule is final
    # renormalise (exploratory): a = 50; overall = (150 + 70)/4 = 55 — the blank would win 1st place
    renorm = dj.score_composite(blank, cat, missing="renormalise")
    assert _get(renorm, "乙乡", 2020, "score") == pytest.approx(55)
    assert _get(renorm, "乙乡", 2020, "rank") == 1
    assert (renorm["missing_rule"] == "renormalise").all()
    assert _get(renorm, "乙乡", 2020, "provisional")
    assert "1 项必填指标未填报" in _get(renorm, "乙乡", 2020, "provisional_reason")
    # the same rule from the catalogue's [scoring] table
    cat_r = _catalog_with(tmp_path, '[scoring]\nmissing = "renormalise"\n')
    assert _get(dj.score_composite(blank, cat_r), "乙乡", 2020, "score") == pytest.approx(55)


def test_the_rule_holds_in_rank_uncertainty(cat):
    obs = _weak_yi(mini_observations())
    blank = obs[~((obs["township"] == "乙乡") & (obs["indicator"] == "age"))]
    zero = dj.rank_uncertainty(blank, cat, draws=20, spread=0).query("year == 2020").set_index("unit_name")
    assert zero.loc["乙乡", ["rank", "median_rank", "p_bottom"]].tolist() == [2, 2, 1]   # bottom 50 % of 2
    renorm = dj.rank_uncertainty(blank, cat, draws=20, spread=0, missing="renormalise")
    renorm = renorm.query("year == 2020").set_index("unit_name")
    assert renorm.loc["乙乡", ["rank", "median_rank", "p_bottom"]].tolist() == [1, 1, 0]


def test_the_rule_holds_at_village_level(cat):
    obs = mini_observations()
    blank = obs[~((obs["unit_name"] == "五村") & (obs["indicator"] == "funds"))]
    # 五村 2020: funds 3 on 0–10 → 30 (weight 1), age 42 on 60–40 → 90 (weight 3); members 1 on the
    # pooled village range 0–3 → 33.333 (output is a township indicator)
    c = dj.score_composite(obs, cat, level="village")
    assert _get(c, "五村", 2020, "score", "a") == pytest.approx((30 + 270) / 4)
    assert _get(c, "五村", 2020, "score") == pytest.approx((3 * 75 + 100 / 3) / 4)
    zero = dj.score_composite(blank, cat, level="village")
    assert _get(zero, "五村", 2020, "score", "a") == pytest.approx(270 / 4)
    assert _get(zero, "五村", 2020, "score") == pytest.approx((3 * 67.5 + 100 / 3) / 4)
    renorm = dj.score_composite(blank, cat, level="village", missing="renormalise")
    assert _get(renorm, "五村", 2020, "score") == pytest.approx((3 * 90 + 100 / 3) / 4)
    assert (zero["village_coverage"] == 1).all()


def test_non_required_indicators_stay_renormalised(tmp_path):
    text = MINI_TOML.replace('id = "age"\nname = "年龄"', 'id = "age"\nname = "年龄"\nrequired = false')
    path = tmp_path / "c.toml"
    path.write_text(text, "utf-8")
    obs = _weak_yi(mini_observations())
    blank = obs[~((obs["township"] == "乙乡") & (obs["indicator"] == "age"))]
    c = dj.score_composite(blank, load_catalog(path))
    assert _get(c, "乙乡", 2020, "score", "a") == 50 and _get(c, "乙乡", 2020, "missing_required", "a") == 0


def test_a_bad_rule_is_an_error(cat):
    with pytest.raises(ValueError, match="不报不得分（zero）或 重新归一（renormalise）"):
        dj.score_composite(mini_observations(), cat, missing="ignore")


# -- 2. provisional results are marked ---------------------------------------------------------

def test_a_township_missing_villages_is_provisional(cat, tmp_path):
    obs = mini_observations()
    obs = obs[~((obs["unit_name"] == "五村") & (obs["year"] == 2020))]
    c = dj.score_composite(obs, cat)
    assert _get(c, "乙乡", 2020, "village_coverage") == 0.5
    assert _get(c, "乙乡", 2020, "provisional") and _get(c, "乙乡", 2020, "provisional", "a")
    absent = "五村未报送任何村级指标（按不得分计，请核实）"        # a roster village without any value
    assert _get(c, "乙乡", 2020, "provisional_reason") == "村级数据不全：1/2 个村有数据；" + absent
    assert _get(c, "甲镇", 2020, "village_coverage") == 1 and not _get(c, "甲镇", 2020, "provisional")
    assert _get(c, "甲镇", 2020, "provisional_reason") == ""
    # 2021: 甲镇 3 of 3, 乙乡 2 of 2 villages reported members
    assert not c.loc[c["year"] == 2021, "provisional"].any()
    table = dj.ranking_table(c, 2020)
    row = table.set_index("乡镇").loc["乙乡"]
    assert row["等次"] == _get(c, "乙乡", 2020, "grade") + "（待核实）"
    assert row["待核实"] == "村级数据不全：1/2 个村有数据；" + absent
    assert table.set_index("乡镇").loc["甲镇", "待核实"] == ""
    # a county that accepts half its villages: 0.5 is not below 0.5; 五村, scored 0, is still named
    lenient = dj.score_composite(obs, _catalog_with(tmp_path, "[scoring]\nprovisional_coverage = 0.5\n"))
    assert set(lenient.loc[lenient["provisional"], "provisional_reason"]) == {absent}


def test_villages_reporting_different_indicators_all_count(cat):
    # 乙乡 2020: 四村 reports only funds, 五村 only age — both villages have data (2/2)
    obs = mini_observations()
    drop = ((obs["unit_name"] == "四村") & (obs["indicator"] != "funds")) | \
        ((obs["unit_name"] == "五村") & (obs["indicator"] != "age"))
    c = dj.score_composite(obs[~(drop & (obs["year"] == 2020))], cat)
    assert _get(c, "乙乡", 2020, "village_coverage") == 1
    # each left blank what the other reported (issue 21: 不报不得分 across villages): 待核实, named;
    # members, which neither reported, is the township's own missing indicator (scored 0, final)
    assert _get(c, "乙乡", 2020, "provisional")
    assert _get(c, "乙乡", 2020, "provisional_reason") == "村级必填数据未填（按不得分计，请核实）：四村“年龄”、五村“经费”"
    assert _get(c, "乙乡", 2020, "missing_required") == 3                   # two blanks and members


def _dataset(obs, issues, cat):
    empty = pd.DataFrame()
    return Dataset(observations=obs, ballots=empty, ledger=empty, links=empty, issues=issues, files=empty,
                   catalog=cat)


def test_rejected_cells_make_their_unit_year_provisional(cat):
    obs = mini_observations()
    is_yi = obs["township"] == "乙乡"
    obs.loc[is_yi, "source_file"] = "回收/乙乡.xlsx"
    obs.loc[is_yi, "source_sheet"] = "村级指标"
    rows = {("四村", 2020): 4, ("五村", 2020): 5, ("四村", 2021): 6, ("五村", 2021): 7}
    obs.loc[is_yi, "source_cell"] = ["C" + str(rows.get((u, y), 9)) for u, y in
                                     zip(obs.loc[is_yi, "unit_name"], obs.loc[is_yi, "year"])]
    issues = pd.DataFrame([
        ("回收/乙乡.xlsx", "村级指标", "E7", "error", "out_of_range", "超出有效范围"),     # 五村 2021
        ("回收/乙乡.xlsx", "村级指标", "E7", "warning", "implausible", "请核实"),         # a warning: no mark
        ("回收/甲镇.xlsx", "乡镇指标", "", "error", "no_header", "找不到表头"),           # a file named after 甲镇
    ], columns=["file", "sheet", "cell", "severity", "code", "message"])
    c = dj.score_composite(_dataset(obs, issues, cat), cat)
    assert _get(c, "乙乡", 2021, "provisional") and not _get(c, "乙乡", 2020, "provisional")
    assert _get(c, "乙乡", 2021, "provisional_reason") == "1 个单元格填报有误未采用"
    assert _get(c, "甲镇", 2020, "provisional") and _get(c, "甲镇", 2021, "provisional")
    v = dj.score_composite(_dataset(obs, issues, cat), cat, level="village")
    assert _get(v, "五村", 2021, "provisional") and not _get(v, "四村", 2021, "provisional")


# -- 3. thresholds are exact -------------------------------------------------------------------

FIVE = """
schema_version = 1
[county]
first_year = 2020
last_year = 2020
[grades]
bands = [{grade = "好", min = 90}, {grade = "较好", min = 80}, {grade = "一般", min = 60}, {grade = "差", min = 0}]
[[groups]]
id = "g"
name = "村级工程"
weight = 1
[[groups]]
id = "h"
name = "乡镇工程"
weight = 1
[[indicators]]
id = "share"
name = "比例"
group = "g"
unit = "分"
direction = "higher"
level = "village"
aggregate = "mean"
lo = 0
hi = 1
weight = 1
[[indicators]]
id = "days"
name = "天数"
group = "h"
unit = "天"
direction = "lower"
level = "township"
lo = 2
hi = 4
weight = 1
"""


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    towns = "".join(f'[[townships]]\nid = "T{k}"\nname = "{k}号镇"\nvillages = ["甲村", "乙村", "丙村"]\n'
                    for k in range(1, 6))
    path = tmp_path_factory.mktemp("five") / "five.toml"
    path.write_text(FIVE + towns + MINI_TOML[MINI_TOML.index("[[secretaries]]"):], "utf-8")
    return load_catalog(path)


def _five_obs(orders) -> pd.DataFrame:
    rows = []
    for k, order in enumerate(orders, start=1):
        for j, v in zip(order, (0.1, 0.2, 0.3)):
            rows.append((f"T{k}V0{j}", "甲乙丙"[j - 1] + "村", "village", f"{k}号镇", "share", v))
        rows.append((f"T{k}", f"{k}号镇", "township", f"{k}号镇", "days", 2.2))
    frame = pd.DataFrame(rows, columns=["unit_id", "unit_name", "level", "township", "indicator", "value"])
    return frame.assign(year=2020)


def test_identical_townships_tie_and_all_fall_in_the_bottom_group(five):
    # the same three village values, listed in different orders: float sums differ in the last bit
    assert (0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1
    orders = [(1, 2, 3), (3, 2, 1), (2, 1, 3), (1, 3, 2), (3, 1, 2)]
    c = dj.score_composite(_five_obs(orders), five)
    overall = c[c["group"] == "overall"]
    # on paper: g = 100 × 0.2 = 20, h = 100 × (4 − 2.2)/(4 − 2) = 90, overall = (20 + 90)/2 = 55
    assert (overall["score"] == 55).all() and (overall["rank"] == 1).all()
    assert (c.loc[c["group"] == "g", "score"] == 20).all()
    r = dj.rank_uncertainty(_five_obs(orders), five, draws=10, spread=0, share=0.2)
    assert (r["rank"] == 1).all() and (r["median_rank"] == 1).all()
    assert (r["p_bottom"] == 1).all()                 # a tie at the cut: all five are in the bottom group
    table = dj.ranking_table(c)
    assert (table["排名"] == 1).all()


def test_a_score_of_90_on_paper_is_graded_top(five):
    # 100 × (4 − 2.2)/(4 − 2) is 90 on paper and 89.99999999999999 in floating point
    assert 100 * (1 - (2.2 - 2) / (4 - 2)) < 90
    c = dj.score_composite(_five_obs([(1, 2, 3)] * 5), five, weights={"g": 0, "h": 1})
    assert (c.loc[c["group"] == "h", "score"] == 90).all()
    assert (c.loc[c["group"] == "h", "grade"] == "好").all()
    overall = c[c["group"] == "overall"]
    assert (overall["score"] == 90).all() and (overall["grade"] == "好").all()


# -- 4. weights say what they mean -------------------------------------------------------------

A_2020, B_2020 = (200 / 3 + 150) / 4, 70.0          # 甲镇 2020: group a and group b sub-indices


@pytest.mark.parametrize("weights", [{"a": 1, "b": 1}, {"甲工程": 0.5, "乙工程": 0.5}, pd.Series({"a": 2.0, "b": 2.0}),
                                     {"groups": {"a": 1, "乙工程": 1}}])
def test_a_plain_dict_of_group_weights(cat, weights):
    # equal group weights: overall = (54.167 + 70)/2 = 62.083 instead of (3·54.167 + 70)/4 = 58.125
    c = dj.score_composite(mini_observations(), cat, weights=weights)
    assert _get(c, "甲镇", 2020, "score") == pytest.approx((A_2020 + B_2020) / 2)
    assert _get(c, "甲镇", 2020, "score", "a") == pytest.approx(A_2020)


def test_partial_weights_keep_the_catalogue_weight_and_say_so(cat):
    with pytest.warns(UserWarning) as record:
        c = dj.score_composite(mini_observations(), cat, weights={"a": 1})
    text = " ".join(str(w.message) for w in record)
    assert "b（乙工程）" in text and "保持指标体系中的权重" in text and "已按比例归一" in text
    # a = 1 given; b keeps its catalogue share 1/4; overall = (54.167 + 0.25 · 70)/1.25
    assert _get(c, "甲镇", 2020, "score") == pytest.approx((A_2020 + 0.25 * B_2020) / 1.25)
    ind_w, grp_w = dj.weights_of(cat, {"a": 1})
    assert grp_w.to_dict() == pytest.approx({"a": 0.8, "b": 0.2})
    assert ind_w.to_dict() == pytest.approx({"funds": 0.25, "age": 0.75, "members": 0.5, "output": 0.5})


def test_indicator_weights_by_name_and_both_forms(cat):
    # funds 3 : age 1 → a = (3·66.667 + 50)/4 = 62.5; group b keeps the catalogue's 1 : 1
    c = dj.score_composite(mini_observations(), cat, weights={"经费": 3, "年龄": 1})
    assert _get(c, "甲镇", 2020, "score", "a") == pytest.approx(62.5)
    assert _get(c, "甲镇", 2020, "score") == pytest.approx((3 * 62.5 + 70) / 4)
    both = dj.score_composite(mini_observations(), cat, weights={"groups": {"a": 1, "b": 1},
                                                                 "indicators": {"funds": 3, "age": 1}})
    assert _get(both, "甲镇", 2020, "score") == pytest.approx((62.5 + 70) / 2)
    assert both.attrs["scoring"]["weights"]["groups"] == pytest.approx({"a": 0.5, "b": 0.5})
    # a group weight of 0 leaves the group out: overall = b
    only_b = dj.score_composite(mini_observations(), cat, weights={"a": 0, "b": 1})
    assert _get(only_b, "甲镇", 2020, "score") == pytest.approx(70)


def test_the_catalogue_weights_round_trip_without_a_word(cat):
    ind_w, grp_w = dj.weights_of(cat)
    assert grp_w.to_dict() == pytest.approx({"a": 0.75, "b": 0.25})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        again = dj.weights_of(cat, {"groups": grp_w, "indicators": ind_w})
    pd.testing.assert_series_equal(again[1], grp_w)


@pytest.mark.parametrize("weights, words", [
    ({"c": 1}, ["未知", "c", "a（甲工程）"]),
    ({"a": -1, "b": 1}, ["不能为负数", "a=-1"]),
    ({"a": float("nan"), "b": 1}, ["有限的数值", "a=nan"]),
    ({"a": float("inf")}, ["有限的数值", "a=inf"]),
    ({"a": "高", "b": 1}, ["有限的数值", "a='高'"]),
    ({"a": 0, "b": 0}, ["全部为 0", "a、b"]),
    ({"funds": 0, "age": 0}, ["全部为 0", "a（甲工程）"]),
    ({"a": 1, "funds": 1}, ["混合", "a", "funds"]),
    ({"a": 1, "甲工程": 2}, ["给出了两次"]),
    ({}, ["为空"]),
    ([0.75, 0.25], ["dict 或 pandas Series", "list"]),
    ({"groups": {"a": 1}, "b": 1}, ["请写成"]),
    ({"indicators": [1, 2]}, ["应为 dict 或 Series"]),
])
def test_weights_that_do_not_say_what_they_mean_are_errors(cat, weights, words):
    with pytest.raises(ValueError) as info:
        dj.score_composite(mini_observations(), cat, weights=weights)
    for word in words:
        assert word in str(info.value), str(info.value)
    with pytest.raises(ValueError):
        dj.rank_uncertainty(mini_observations(), cat, draws=5, weights=weights)


def test_monitor_weights_are_said_to_do_nothing(cat):
    with pytest.warns(UserWarning, match="只监测"):
        ind_w, _ = dj.weights_of(cat, {"indicators": {"handled": 5, "members": 1}})
    # members 1 given, output keeps its catalogue share 1/2 of group b → members 1/1.5 = 2/3
    assert "handled" not in ind_w.index and ind_w["members"] == pytest.approx(2 / 3)


def test_rank_uncertainty_takes_the_same_weights(cat):
    r = dj.rank_uncertainty(mini_observations(), cat, draws=10, spread=0, weights={"a": 0, "b": 1})
    y = r[r["year"] == 2020].set_index("unit_name")
    # b only: 甲镇 70 = 乙乡 70 → both rank 1
    assert (y["rank"] == 1).all() and (y["median_rank"] == 1).all()
    assert r.attrs["catalog"] is cat


# -- 5. tables carry their catalogue; mistakes are Chinese ValueErrors -----------------------------

def test_ranking_table_uses_the_scores_catalogue(cat):
    c = dj.score_composite(mini_observations(), cat)
    assert c.attrs["catalog"] is cat
    table = dj.ranking_table(c[c["year"] == 2020])         # no catalogue passed: the scores' own
    assert list(table.columns) == ["排名", "乡镇", "综合指数", "等次", "甲工程", "乙工程", "覆盖率", "待核实"]
    assert table["乡镇"].tolist() == ["甲镇", "乙乡"]
    assert table.attrs["catalog"] is cat


@pytest.mark.parametrize("call, words", [
    (lambda c, cat: dj.ranking_table(c, 2016), ["年度", "2016", "2020、2021"]),
    (lambda c, cat: dj.ranking_table(c, "二〇二〇"), ["year 应为年度"]),
    (lambda c, cat: dj.ranking_table(mini_observations(), 2020), ["列", "group"]),
    (lambda c, cat: dj.ranking_table(None), ["score_composite 的结果表"]),
    (lambda c, cat: dj.ranking_table(pd.concat([c, c]), 2020), ["多行综合指数"]),
    (lambda c, cat: dj.score_composite(mini_observations(), cat, level="county"), ["level", "county"]),
    (lambda c, cat: dj.score_composite(mini_observations(), cat, method="magic"), ["method", "magic"]),
    (lambda c, cat: dj.rank_uncertainty(mini_observations(), cat, draws=0), ["draws"]),
    (lambda c, cat: dj.rank_uncertainty(mini_observations(), cat, level="county"), ["level"]),
])
def test_user_mistakes_are_chinese_value_errors(cat, call, words):
    c = dj.score_composite(mini_observations(), cat)
    with pytest.raises(ValueError) as info:
        call(c, cat)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_scoring_table_in_the_catalogue(tmp_path, catalog, catalog_text):
    assert (catalog.scoring.missing, catalog.scoring.provisional_coverage) == ("zero", 1.0)
    assert "[scoring]" in catalog_text
    assert_catalog_error(tmp_path, catalog_text.replace('missing = "zero"', 'missing = "drop"'),
                         ["scoring.missing", "zero | renormalise"])
    assert_catalog_error(tmp_path, catalog_text.replace("provisional_coverage = 1.0", "provisional_coverage = 90"),
                         ["scoring.provisional_coverage", "0 与 1 之间"])
    assert_catalog_error(tmp_path, catalog_text.replace("provisional_coverage = 1.0", "coverage = 1.0"),
                         ["scoring.coverage", "未知的键"])
    custom = load_catalog(_write(tmp_path, catalog_text.replace('missing = "zero"', 'missing = "renormalise"')))
    assert custom.scoring.missing == "renormalise"


def _write(tmp_path, text):
    path = tmp_path / "custom.toml"
    path.write_text(text, "utf-8")
    return path


def test_sample_county_is_final_and_complete(sample_dataset_metrics):
    c = sample_dataset_metrics
    assert not c["provisional"].any() and (c["village_coverage"] == 1).all()
    assert (c.loc[c["group"] == "overall", "missing_required"] == 0).all()
    assert np.array_equal(c["score"], np.round(c["score"], 9))


def test_an_optional_indicator_left_out_is_not_applicable_not_missing(cat, tmp_path):
    """不适用 is not 缺报: group b holds members (weight 1) and output (weight 1). 乙乡 leaves its
    members out in 2020. Required (default): coverage_b = 1/2, overall = (3·1 + 1·0.5)/4 = 0.875
    and one required indicator missing. Optional (``required = false``, e.g. 当年整顿转化 where no
    village was 软弱涣散): it does not apply, coverage_b = 1/1 and overall 1.0, nothing missing."""
    from helpers import edit_block

    obs = mini_observations()
    blank = obs[~((obs["township"] == "乙乡") & (obs["indicator"] == "members") & (obs["year"] == 2020))]
    required = dj.score_composite(blank, cat)
    assert _get(required, "乙乡", 2020, "coverage", "b") == pytest.approx(0.5)
    assert _get(required, "乙乡", 2020, "coverage") == pytest.approx(0.875)
    assert _get(required, "乙乡", 2020, "missing_required") == 1
    path = tmp_path / "optional.toml"
    path.write_text(edit_block(MINI_TOML, "indicators", "members", "weight = 1", "weight = 1\nrequired = false"),
                    "utf-8")
    optional = dj.score_composite(blank, load_catalog(path))
    assert _get(optional, "乙乡", 2020, "coverage", "b") == pytest.approx(1.0)
    assert _get(optional, "乙乡", 2020, "coverage") == pytest.approx(1.0)
    assert _get(optional, "乙乡", 2020, "missing_required") == 0
    assert _get(optional, "甲镇", 2020, "coverage") == pytest.approx(1.0)       # reported: counted as before
