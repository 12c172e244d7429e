"""Rank uncertainty, trends, targets, 倒排, conduct, 述职评议 — hand-worked examples."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian_analysis as dj
from dangjian_analysis.metrics.uncertainty import _rank_min_desc

from mini import mini_observations


pytestmark = pytest.mark.usefixtures("quiet")


# -- rank uncertainty ---------------------------------------------------------------------

def test_vectorised_min_ranks():
    values = np.array([[3.0, 1.0], [5.0, 1.0], [5.0, 2.0], [np.nan, 0.0]])
    ranks = _rank_min_desc(values)
    np.testing.assert_array_equal(ranks[:, 1], [2, 2, 1, 4])
    np.testing.assert_array_equal(ranks[:3, 0], [3, 1, 1])
    assert np.isnan(ranks[3, 0])


def test_rank_uncertainty_collapses_without_spread(sample_loaded):
    r = dj.rank_uncertainty(sample_loaded, draws=20, spread=0)
    assert (r["median_rank"] == r["rank"]).all()
    assert (r["rank_p05"] == r["rank"]).all() and (r["rank_p95"] == r["rank"]).all()
    last = r[r["rank"] == 10]
    assert (last["p_bottom"] == 1).all() and (r.loc[r["rank"] < 10, "p_bottom"] == 0).all()


def test_rank_uncertainty_intervals(sample_loaded):
    r = dj.rank_uncertainty(sample_loaded, draws=400, spread=0.5, seed=1)
    assert (r["rank_p05"] <= r["median_rank"]).all() and (r["median_rank"] <= r["rank_p95"]).all()
    assert (r["rank_p95"] - r["rank_p05"]).max() >= 1      # some ranks do move
    assert r["p_bottom"].between(0, 1).all()
    assert r.groupby("year")["p_bottom"].sum().round(6).eq(1).all()   # exactly one unit at the bottom per draw
    again = dj.rank_uncertainty(sample_loaded, draws=400, spread=0.5, seed=1)
    pd.testing.assert_frame_equal(r, again)
    methods = dj.rank_uncertainty(sample_loaded, draws=200, methods=["goalposts", "minmax", "rank"])
    assert len(methods) == len(r)


def test_rank_uncertainty_mini(cat):
    r = dj.rank_uncertainty(mini_observations(), cat, draws=300, spread=0.25)
    y = r[r["year"] == 2020].set_index("unit_name")
    # 甲镇 leads group a (54.2 vs 42.5) and ties group b (70 = 70): it can never fall behind
    assert y.loc["甲镇", "rank_p95"] == 1 and y.loc["乙乡", "p_bottom"] == 1


# -- trends -----------------------------------------------------------------------------

def _scores(rows):
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "year", "group", "score", "rank", "grade"])


def test_year_over_year_and_growth():
    frame = pd.DataFrame({"unit_id": ["A"] * 3, "unit_name": ["甲"] * 3, "year": [2012, 2013, 2015],
                          "indicator": "x", "value": [100.0, 110.0, 121.0]})
    yoy = dj.year_over_year(frame, value="value")
    assert yoy["change"].tolist()[1:] == [10.0, 11.0]
    assert yoy["pct_change"].tolist()[1:] == pytest.approx([10.0, 10.0])
    assert yoy["previous_year"].tolist()[1:] == [2012, 2013]
    g = dj.growth(frame).iloc[0]
    # CAGR (121/100)^(1/3) − 1 over 2012–2015; OLS slope of (2012,100),(2013,110),(2015,121)
    assert g["cagr"] == pytest.approx(1.21 ** (1 / 3) - 1)
    t, x = np.array([2012, 2013, 2015.0]), np.array([100, 110, 121.0])
    assert g["slope"] == pytest.approx(((t - t.mean()) * (x - x.mean())).sum() / ((t - t.mean()) ** 2).sum())
    zero = frame.assign(value=[0.0, 1.0, 2.0])
    assert np.isnan(dj.growth(zero)["cagr"].iloc[0])


def test_most_improved_and_grade_transitions():
    scores = _scores([
        ("A", "甲", 2014, "overall", 55, 3, "差"), ("A", "甲", 2015, "overall", 82, 1, "较好"),
        ("B", "乙", 2014, "overall", 70, 1, "一般"), ("B", "乙", 2015, "overall", 75, 2, "一般"),
        ("C", "丙", 2014, "overall", 65, 2, "一般"), ("C", "丙", 2015, "overall", 58, 3, "差"),
    ])
    top = dj.most_improved(scores, n=None)
    assert top["unit_id"].tolist() == ["A", "B", "C"]
    assert top["change"].tolist() == [27, 5, -7] and top["rank_change"].tolist() == [2, -1, -1]
    t = dj.grade_transitions(scores, 2014, 2015)
    assert t.counts.to_dict() == {"up": 1, "same": 1, "down": 1}
    assert t.matrix.loc["差", "较好"] == 1 and t.matrix.loc["一般", "一般"] == 1 and t.matrix.loc["一般", "差"] == 1
    assert t.matrix.to_numpy().sum() == 3 and list(t.matrix.columns) == ["好", "较好", "一般", "差"]


def test_village_moves_counted_by_township():
    # 东山镇: 村1 差→一般 (up), 村2 好→好 (same), 村3 较好→差 (down); 西河乡: 村4 一般→较好, 村5 一般→好 (up);
    # 村6 is graded in 2015 only and is not counted.
    rows = [("v1", "村1", 2014, "差"), ("v1", "村1", 2015, "一般"), ("v2", "村2", 2014, "好"), ("v2", "村2", 2015, "好"),
            ("v3", "村3", 2014, "较好"), ("v3", "村3", 2015, "差"), ("v4", "村4", 2014, "一般"),
            ("v4", "村4", 2015, "较好"), ("v5", "村5", 2014, "一般"), ("v5", "村5", 2015, "好"), ("v6", "村6", 2015, "好")]
    town = {"v1": "东山镇", "v2": "东山镇", "v3": "东山镇", "v4": "西河乡", "v5": "西河乡", "v6": "西河乡"}
    scores = pd.DataFrame([{"unit_id": u, "unit_name": n, "township": town[u], "year": y, "group": "overall",
                            "score": 50.0, "rank": 1, "grade": g} for u, n, y, g in rows])
    moves = dj.moves_by_township(scores, 2014, 2015).set_index("township")
    assert moves.loc["东山镇", ["villages", "up", "same", "down"]].tolist() == [3, 1, 1, 1]
    assert moves.loc["西河乡", ["villages", "up", "same", "down"]].tolist() == [2, 2, 0, 0]
    assert moves.loc["东山镇", "up_units"] == "村1" and moves.loc["东山镇", "down_units"] == "村3"
    assert moves.loc["西河乡", "up_units"] == "村4、村5" and moves.loc["西河乡", "down_units"] == ""
    assert list(moves.index) == ["东山镇", "西河乡"]         # catalogue order


# -- targets, 倒排, conduct ------------------------------------------------------------------

def test_target_attainment(cat):
    obs = mini_observations()
    units = dj.target_attainment(obs, cat)
    funds = units[(units["indicator"] == "funds") & (units["year"] == 2020)].set_index("unit_name")
    assert funds.loc["一村", ["met", "gap"]].tolist() == [False, 1.0]
    assert funds.loc["二村", ["met", "gap"]].tolist() == [True, 0.0]
    towns = dj.target_attainment(obs, cat, by="township")
    share = towns[(towns["indicator"] == "funds") & (towns["year"] == 2020)].set_index("township")
    assert share.loc["甲镇", "share"] == pytest.approx(200 / 3) and share.loc["乙乡", "share"] == 50
    assert share.loc["全县", ["villages", "met"]].tolist() == [5, 3]


def test_speech_targets_on_the_sample(sample_loaded):
    towns = dj.target_attainment(sample_loaded, by="township")
    county = towns[(towns["township"] == "全县") & (towns["indicator"].isin(["office_funds", "cadre_allowance"]))]
    by_year = county.pivot(index="year", columns="indicator", values="share")
    assert by_year.loc[2015].between(50, 95).all() and (by_year.loc[2012] < 10).all()


def test_flag_bottom_and_two_ends(cat):
    scores = pd.DataFrame({"unit_id": list("ABCDEFGHIJ"), "unit_name": list("ABCDEFGHIJ"), "township": "",
                           "year": 2020, "group": "overall",
                           "score": [90, 85, 80, 75, 70, 65, 60, 55, 50, 50.0], "rank": range(1, 11), "grade": ""})
    low = dj.flag_bottom(scores, share=0.1, catalog=cat)
    assert sorted(low["unit_id"]) == ["I", "J"]                    # a tie at the cut: both listed
    low = dj.flag_bottom(scores, share=0.25, catalog=cat)         # ceil(2.5) = 3 → H, I, J
    assert sorted(low["unit_id"]) == ["H", "I", "J"]
    assert dj.flag_bottom(scores.head(3), share=0.05, catalog=cat)["unit_id"].tolist() == ["C"]   # never fewer than one
    bands = dj.classify_two_ends(scores, share=0.1, catalog=cat).set_index("unit_id")["band"]
    assert bands["A"] == "top" and bands[["I", "J"]].tolist() == ["bottom", "bottom"]
    assert (bands == "middle").sum() == 7


def test_listing_reasons_from_village_data(catalog):
    rows = []
    for year, vac, new, sat in [(2013, 0, 0, 70), (2014, 5, 0, 55), (2015, 0, 1, 80)]:
        for ind, v in (("vacancy_months", vac), ("new_members", new), ("satisfaction", sat)):
            rows.append({"unit_id": "T01V02", "unit_name": "联家村", "level": "village", "township": "东山镇",
                         "year": year, "indicator": ind, "value": float(v)})
    reasons = dj.listing_reasons(pd.DataFrame(rows), catalog).set_index("year")["reasons"]
    assert reasons[2013] == ""
    assert reasons[2014] == "书记空缺超过3个月；连续2年未发展党员；群众满意度低于60%"
    assert reasons[2015] == ""


def test_flag_bottom_on_sample_villages(sample_loaded):
    low = dj.flag_bottom(sample_loaded)
    per_year = low.groupby("year").size()
    assert (per_year == 13).all()                                  # ceil(10 % of 127)
    assert (low["reasons"] != "").mean() > 0.5


def test_ledger_status_and_link_coverage(catalog):
    d = pd.to_datetime
    ledger = pd.DataFrame({
        "township": ["东山镇"] * 4, "item_id": ["1", "2", "3", "4"], "description": "",
        "opened": d(["2015-01-01", "2015-02-01", "2015-03-01", "2015-12-01"]),
        "due": d(["2015-02-01", "2015-03-01", "2015-04-01", "2016-03-01"]),
        "closed": d(["2015-01-20", "2015-03-15", None, None]), "status": ""})
    s = dj.ledger_status(ledger, as_of="2015-06-30").iloc[0]
    assert (s["items"], s["closed_on_time"], s["closed_late"], s["open"], s["overdue"]) == (3, 1, 1, 1, 2)
    assert s["on_time_rate"] == pytest.approx(100 / 3)
    links = pd.DataFrame({"leader_team": ["甲组", "甲组", "乙组"], "township": ["东山镇"] * 3,
                          "village": ["联家村", "梅源村", "联家村"], "year": 2015, "households_visited": [10, 20, 5]})
    cov = dj.link_coverage(links, catalog).set_index("township").loc["东山镇"]
    assert (cov["villages"], cov["linked"], cov["teams"], cov["households_visited"]) == (15, 2, 2, 35)
    assert cov["coverage"] == pytest.approx(200 / 15)
    assert dj.link_coverage(links, catalog).set_index("township").loc["西河乡", "coverage"] == 0


# -- 述职评议 -------------------------------------------------------------------------------

def _ballots():
    table = {  # (secretary, group): {rating: count} — counted by hand below
        ("甲书记", "leaders"): {"好": 8, "较好": 2, "不了解": 1},
        ("甲书记", "residents"): {"好": 5, "较好": 3, "一般": 1, "差": 1, "空白": 2},
        ("乙书记", "leaders"): {"好": 2, "较好": 3, "一般": 3, "差": 2},
        ("乙书记", "residents"): {"好": 1, "较好": 2, "一般": 3, "差": 4},
        ("丙书记", "leaders"): {"好": 10},
        ("丙书记", "residents"): {"好": 9, "较好": 1},
    }
    units = {"甲书记": "甲镇党委", "乙书记": "乙乡党委", "丙书记": "县直机关工委"}
    return pd.DataFrame([{"year": 2020, "secretary": s, "unit_name": units[s], "rater_group": g,
                          "item": "总体评价", "rating": r, "count": n}
                         for (s, g), tally in table.items() for r, n in tally.items()])


def test_review_against_a_hand_counted_table(cat):
    out = dj.review(_ballots(), cat)
    overall = out[out["rater_group"] == "overall"].set_index("secretary")
    a = overall.loc["甲书记"]
    # leaders: 10 valid, mean (8·100 + 2·80)/10 = 96; residents: 10 valid, (500 + 240 + 60 + 40)/10 = 84
    # score = (0.30·96 + 0.15·84)/(0.30 + 0.15) = 92 (deputies absent → renormalised)
    assert (a["valid"], a["invalid"]) == (20, 3)
    assert a["score"] == pytest.approx(92.0)
    assert (a["top_rate"], a["good_rate"], a["bad_rate"]) == pytest.approx((13 / 20, 18 / 20, 1 / 20))
    assert a["grade"] == "较好"               # 差评率 5 % ≥ 5 % blocks 好
    b = overall.loc["乙书记"]
    assert b["score"] == pytest.approx((0.30 * 70 + 0.15 * 60) / 0.45)
    assert b["bad_rate"] == pytest.approx(0.3) and b["grade"] == "一般"
    c = overall.loc["丙书记"]
    assert c["score"] == pytest.approx((0.30 * 100 + 0.15 * 98) / 0.45) and c["grade"] == "好"
    assert overall["rank"].to_dict() == {"甲书记": 2, "乙书记": 3, "丙书记": 1}
    group = out[(out["secretary"] == "甲书记") & (out["rater_group"] == "residents")].iloc[0]
    assert (group["好"], group["较好"], group["一般"], group["差"], group["valid"]) == (5, 3, 1, 1, 10)
    assert group["score"] == pytest.approx(84.0)


def test_review_grade_rules_and_cap(cat):
    ballots = _ballots()
    worse = ballots.copy()
    worse.loc[(worse["secretary"] == "乙书记") & (worse["rating"] == "差"), "count"] = 8   # 差评率 12/24 ≥ 1/3
    assert dj.review(worse, cat).query("rater_group == 'overall' and secretary == '乙书记'")["grade"].item() == "差"
    # two secretaries earn 好 but the cap allows floor(3 × 1/3) = 1: the lower score drops to 较好
    both = ballots.copy()
    both.loc[(both["secretary"] == "甲书记") & (both["rating"].isin(["一般", "差"])), "count"] = 0
    overall = dj.review(both, cat).query("rater_group == 'overall'").set_index("secretary")
    assert overall.loc["丙书记", "grade"] == "好" and overall.loc["甲书记", "grade"] == "较好"


def test_annual_assessment(cat):
    rev = dj.review(_ballots(), cat)
    routine = pd.DataFrame({"unit_name": ["甲镇", "乙乡"], "year": 2020, "group": "overall", "score": [70.0, 50.0]})
    sat = pd.DataFrame({"township": ["甲镇"], "year": 2020, "value": [90.0]})
    out = dj.annual_assessment(routine, rev, sat, catalog=cat).set_index("secretary")
    # 甲: 0.5·70 + 0.3·92 + 0.2·90 = 80.6; 乙: (0.5·50 + 0.3·66.667)/0.8 (no satisfaction)
    assert out.loc["甲书记", "annual"] == pytest.approx(0.5 * 70 + 0.3 * 92 + 0.2 * 90)
    assert out.loc["乙书记", "annual"] == pytest.approx((0.5 * 50 + 0.3 * 200 / 3) / 0.8)
    assert out.loc["丙书记", "parts"] == "述职评议" and out.loc["甲书记", "grade"] == "较好"


def test_review_on_the_sample(sample_loaded):
    out = dj.review(sample_loaded)
    overall = out[out["rater_group"] == "overall"]
    assert len(overall) == 19 * 4
    weak = overall[overall["secretary"] == "周志强"]
    assert (weak["rank"] >= 8).all() and (weak["good_rate"] < 0.8).all()
    per_year = overall.groupby("year")["grade"].apply(lambda g: (g == "好").sum())
    assert (per_year <= 6).all()                                   # floor(19 / 3)


# -- no function mutates its input ----------------------------------------------------------

@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=24, max_size=24))
def test_no_function_mutates_its_input(cat, values):
    obs = mini_observations()
    obs["value"] = values
    before = copy.deepcopy(obs)
    comp = dj.score_composite(obs, cat)
    comp_before = comp.copy()
    calls = [lambda: dj.aggregate_villages(obs, cat), lambda: dj.normalize(obs, cat, method="rank"),
             lambda: dj.score_indicators(obs, cat), lambda: dj.target_attainment(obs, cat, by="township"),
             lambda: dj.rank_uncertainty(obs, cat, draws=10), lambda: dj.flag_bottom(comp, catalog=cat, level="township"),
             lambda: dj.classify_two_ends(comp, catalog=cat), lambda: dj.year_over_year(comp),
             lambda: dj.most_improved(comp), lambda: dj.grade_transitions(comp, 2020, 2021),
             lambda: dj.growth(obs[obs["level"] == "township"])]
    for call in calls:
        call()
    pd.testing.assert_frame_equal(obs, before)
    pd.testing.assert_frame_equal(comp, comp_before)
    ballots = _ballots()
    snapshot = ballots.copy()
    dj.review(ballots, cat)
    pd.testing.assert_frame_equal(ballots, snapshot)
    matrix = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2]})
    m0 = matrix.copy()
    dj.entropy_weights(matrix), dj.critic_weights(matrix), dj.topsis(matrix, [1, 1])
    pd.testing.assert_frame_equal(matrix, m0)


def test_ties_at_the_bottom_are_all_in_the_bottom_group(cat):
    obs = mini_observations()
    yi = obs[(obs["year"] == 2020) & (obs["township"] == "乙乡")]
    jia = yi.assign(township="甲镇", unit_id=yi["unit_id"].map({"T2V01": "T1V01", "T2V02": "T1V02", "T2": "T1"}),
                    unit_name=yi["unit_name"].map({"四村": "一村", "五村": "二村", "乙乡": "甲镇"}))
    obs = pd.concat([yi, jia], ignore_index=True)        # two townships with identical data
    # 甲镇's 三村 has no copy: "renormalise" leaves it out (under "zero" it is a blank in each indicator)
    r = dj.rank_uncertainty(obs, cat, draws=20, spread=0, missing="renormalise")
    assert (r["rank"] == 1).all() and (r["p_bottom"] == 1).all()      # tied: both are the bottom


def test_share_of_a_lower_is_better_indicator_scores_upward(tmp_path):
    from mini import MINI_TOML

    text = MINI_TOML.replace('id = "age"\nname = "年龄"\ngroup = "a"\nunit = "岁"\ndirection = "lower"\nlevel = "village"\n'
                             'aggregate = "mean"', 'id = "age"\nname = "年龄"\ngroup = "a"\nunit = "岁"\n'
                             'direction = "lower"\nlevel = "village"\naggregate = "share_meeting_target"\ntarget = 50')
    path = tmp_path / "c.toml"
    path.write_text(text, "utf-8")
    cat2 = dj.load_catalog(path)
    s = dj.normalize(mini_observations(), cat2)
    age = s[(s["indicator"] == "age") & (s["year"] == 2020)].set_index("unit_name")["score"]
    # 甲镇: ages 50, 44, 56 → 2 of 3 at or under 50 → share 66.7 → scores 66.7 (not 33.3)
    assert age["甲镇"] == pytest.approx(200 / 3) and age["乙乡"] == pytest.approx(50)


def test_missing_values_are_not_counted_as_villages(cat):
    """三村 leaves its funds (required, share of villages meeting 5 万元) blank in 2020 while
    reporting its other figures: 甲镇's other two villages, one meeting the target. Under
    "renormalise" the share is over the villages with a value, 1/2 = 50; under "zero" (the
    default, 不报不得分) the blank counts as a village not meeting it, 1/3 = 33.3."""
    obs = mini_observations()
    obs.loc[(obs["unit_name"] == "三村") & (obs["indicator"] == "funds"), "value"] = np.nan
    agg = dj.aggregate_villages(obs, cat, missing="renormalise")
    funds = agg[(agg["indicator"] == "funds") & (agg["year"] == 2020)].set_index("unit_name")
    assert funds.loc["甲镇", "value"] == 50                              # over the two with a value
    assert funds.loc["甲镇", "n_villages"] == 3 and funds.loc["甲镇", "n_blank"] == 1   # the blank still counted
    agg = dj.aggregate_villages(obs, cat)
    funds = agg[(agg["indicator"] == "funds") & (agg["year"] == 2020)].set_index("unit_name")
    assert funds.loc["甲镇", "value"] == pytest.approx(100 / 3)
    assert funds.loc["甲镇", "n_villages"] == 3 and funds.loc["甲镇", "n_blank"] == 1
    shares = dj.target_attainment(obs, cat, by="township")                # as the index: the blank is not met
    row = shares.query("township == '甲镇' and indicator == 'funds'")
    assert row[["villages", "n_blank"]].values.tolist() == [[3, 1]] and row["share"].item() == pytest.approx(100 / 3)


def test_listing_reasons_need_consecutive_years(catalog):
    rows = [{"unit_id": "T01V02", "unit_name": "联家村", "level": "village", "township": "东山镇", "year": y,
             "indicator": "new_members", "value": 0.0} for y in (2012, 2015)]
    reasons = dj.listing_reasons(pd.DataFrame(rows), catalog)
    assert (reasons["reasons"] == "").all()


def test_empty_data_gives_empty_frames(cat):
    empty = mini_observations().iloc[0:0]
    assert dj.rank_uncertainty(empty, cat, draws=5).empty
    assert dj.flag_bottom(dj.score_composite(empty, cat), catalog=cat).empty
