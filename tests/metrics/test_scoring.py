"""The default index on a hand-worked county (tests/mini.py); every expected number is worked by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis import aggregate_villages, normalize, score_composite, score_indicators
from dangjian_analysis.metrics._frames import rank_desc

from mini import mini_observations


@pytest.fixture
def obs():
    return mini_observations()


def _get(frame, unit, year, col, **where):
    sel = (frame["unit_name"] == unit) & (frame["year"] == year)
    for k, v in where.items():
        sel &= frame[k] == v
    assert sel.sum() == 1, frame[sel]
    return frame.loc[sel, col].iloc[0]


def test_village_aggregation_rules(obs, cat):
    agg = aggregate_villages(obs, cat)
    # share meeting the 5万元 target: 一村 4 (no), 二村 5 (yes), 三村 6 (yes) → 2/3
    assert _get(agg, "甲镇", 2020, "value", indicator="funds") == pytest.approx(200 / 3)
    assert _get(agg, "乙乡", 2020, "value", indicator="funds") == pytest.approx(50)
    assert _get(agg, "甲镇", 2020, "value", indicator="age") == pytest.approx(50)      # mean of 50, 44, 56
    assert _get(agg, "甲镇", 2020, "value", indicator="members") == 3                  # sum of 2, 0, 1
    assert _get(agg, "甲镇", 2020, "n_villages", indicator="members") == 3
    assert _get(agg, "乙乡", 2020, "value", indicator="output") == 1200                 # township value as given
    assert _get(agg, "甲镇", 2021, "value", indicator="members") == 5


def test_goalpost_scores_with_clipping_direction_and_pooled_fallback(obs, cat):
    with pytest.warns(UserWarning, match="members"):
        s = score_indicators(obs, cat)
    assert list(s.columns[:2]) == ["unit_id", "unit_name"]
    assert _get(s, "甲镇", 2020, "score", indicator="funds") == pytest.approx(200 / 3)  # share on 0–100
    assert _get(s, "甲镇", 2020, "score", indicator="age") == pytest.approx(50)        # (60 − 50)/(60 − 40)
    assert _get(s, "乙乡", 2020, "score", indicator="age") == pytest.approx(40)        # mean 52
    assert _get(s, "乙乡", 2020, "score", indicator="output") == 100                   # 1200 clipped at hi
    # members has no goalposts: pooled min 0 and max 5 over both years
    assert _get(s, "甲镇", 2020, "score", indicator="members") == pytest.approx(60)
    assert _get(s, "乙乡", 2021, "score", indicator="members") == 0
    assert np.isnan(_get(s, "甲镇", 2020, "score", indicator="handled"))               # monitor: reported only
    assert _get(s, "甲镇", 2020, "value", indicator="handled") == 1


def test_composite_by_hand(obs, cat):
    with pytest.warns(UserWarning):
        c = score_composite(obs, cat)
    assert list(c.columns[:8]) == ["unit_id", "unit_name", "township", "year", "group", "score", "coverage", "rank"]
    # group a = (1·66.667 + 3·50)/4; group b = (60 + 80)/2; overall = (3·a + 1·b)/4
    assert _get(c, "甲镇", 2020, "score", group="a") == pytest.approx((200 / 3 + 150) / 4)
    assert _get(c, "乙乡", 2020, "score", group="a") == pytest.approx((50 + 120) / 4)
    assert _get(c, "甲镇", 2020, "score", group="b") == pytest.approx(70)
    assert _get(c, "甲镇", 2020, "score", group="overall") == pytest.approx(58.125)
    assert _get(c, "乙乡", 2020, "score", group="overall") == pytest.approx(49.375)
    assert _get(c, "甲镇", 2020, "rank", group="overall") == 1
    assert _get(c, "乙乡", 2020, "grade", group="overall") == "差"
    # 2021: the required indicators of group a (funds, age) were not reported. Under the default
    # missing = "zero" (不报不得分, issue 11) they score 0: a = 0, 甲镇 b = (100 + 50)/2 = 75,
    # overall = (3·0 + 1·75)/4 = 18.75; the coverage of the overall is still 1/4
    assert _get(c, "甲镇", 2021, "score", group="a") == 0
    assert _get(c, "甲镇", 2021, "score", group="overall") == pytest.approx(18.75)
    assert _get(c, "甲镇", 2021, "coverage", group="overall") == pytest.approx(0.25)
    assert _get(c, "甲镇", 2021, "grade", group="overall") == "差"
    # 乙乡 2021: members (0) reported, output (required) not → b = (0 + 0)/2 = 0, coverage 1/2
    assert _get(c, "乙乡", 2021, "coverage", group="b") == pytest.approx(0.5)
    assert _get(c, "乙乡", 2021, "coverage", group="overall") == pytest.approx(0.125)
    # the previous behaviour, kept for exploratory analysis: renormalise over what was reported
    with pytest.warns(UserWarning):
        r = score_composite(obs, cat, missing="renormalise")
    assert _get(r, "甲镇", 2021, "score", group="overall") == pytest.approx(75)
    assert _get(r, "甲镇", 2021, "coverage", group="overall") == pytest.approx(0.25)
    assert _get(r, "甲镇", 2021, "grade", group="overall") == "一般"
    assert _get(r, "乙乡", 2021, "coverage", group="b") == pytest.approx(0.5)
    assert _get(r, "乙乡", 2021, "coverage", group="overall") == pytest.approx(0.125)
    assert ((r["group"] == "a") & (r["year"] == 2021)).sum() == 0


def test_weights_can_be_replaced(obs, cat):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = score_composite(obs, cat, weights=pd.Series({"a": 1.0, "b": 1.0}))
        assert _get(c, "甲镇", 2020, "score", group="overall") == pytest.approx(((200 / 3 + 150) / 4 + 70) / 2)
        # indicator weights (e.g. entropy) renormalised within each group
        c = score_composite(obs, cat, weights=pd.Series({"funds": 1, "age": 1, "members": 1, "output": 0}))
        assert _get(c, "甲镇", 2020, "score", group="a") == pytest.approx((200 / 3 + 50) / 2)
        assert _get(c, "甲镇", 2020, "score", group="b") == pytest.approx(60)
    with pytest.raises(ValueError, match="不能为负数"):
        score_composite(obs, cat, weights=pd.Series({"a": -1.0, "b": 1.0}))


def test_village_level_composite(obs, cat):
    with pytest.warns(UserWarning):
        c = score_composite(obs, cat, level="village")
    # 一村 2020: funds 4 on 0–10 → 40; age 50 → 50; a = (40 + 3·50)/4 = 47.5
    # members 2 on the pooled village range 0–3 → 66.667; b = 66.667 (output is a township indicator)
    assert _get(c, "一村", 2020, "score", group="a") == pytest.approx(47.5)
    assert _get(c, "一村", 2020, "score", group="b") == pytest.approx(200 / 3)
    assert _get(c, "一村", 2020, "coverage", group="b") == pytest.approx(1.0)
    assert _get(c, "一村", 2020, "score", group="overall") == pytest.approx((3 * 47.5 + 200 / 3) / 4)


def test_other_normalisations_by_hand(obs, cat):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mm = normalize(obs, cat, method="minmax")
        z = normalize(obs, cat, method="zscore")
        rk = normalize(obs, cat, method="rank")
        tg = normalize(obs, cat, method="target")
    assert set(mm["method"]) == {"minmax"}
    assert _get(mm, "甲镇", 2020, "score", indicator="members") == 100        # 3 vs 2
    assert _get(mm, "乙乡", 2020, "score", indicator="members") == 0
    assert _get(mm, "甲镇", 2020, "score", indicator="age") == 100            # 50 beats 52 (lower is better)
    assert _get(z, "甲镇", 2020, "score", indicator="members") == pytest.approx(0.5 / np.std([3, 2], ddof=1))
    assert _get(z, "乙乡", 2020, "score", indicator="age") == pytest.approx(-1 / np.std([50, 52], ddof=1))
    assert _get(rk, "甲镇", 2020, "score", indicator="output") == 0           # 800 < 1200
    assert _get(tg, "甲镇", 2020, "score", indicator="output") == pytest.approx(80)   # 800 / 1000
    assert _get(tg, "乙乡", 2020, "score", indicator="output") == 100                 # capped at 1
    assert _get(tg, "甲镇", 2020, "score", indicator="funds") == pytest.approx(200 / 3)
    assert np.isnan(_get(tg, "甲镇", 2020, "score", indicator="age"))                 # no target
    with pytest.raises(ValueError, match="method 应为标准化方法 固定区间（goalposts）"):
        normalize(obs, cat, method="magic")


def test_zero_spread_columns_get_no_score_and_a_warning(obs, cat):
    flat = obs.copy()
    flat.loc[flat["indicator"] == "output", "value"] = 700.0
    flat = pd.concat([flat, flat[(flat["indicator"] == "output")].assign(
        unit_id="T2", unit_name="乙乡", township="乙乡")]).drop_duplicates(["unit_id", "year", "indicator"])
    with pytest.warns(UserWarning, match="全部相同"):
        mm = normalize(flat, cat, method="minmax")
    assert mm.loc[mm["indicator"] == "output", "score"].isna().all()


def test_all_zero_one_columns(cat):
    rows = [{"unit_id": uid, "unit_name": n, "level": "village", "township": t, "year": 2020,
             "indicator": "funds", "value": 0.0} for n, (uid, t) in
            {"一村": ("T1V01", "甲镇"), "四村": ("T2V01", "乙乡")}.items()]
    agg = aggregate_villages(pd.DataFrame(rows), cat)
    assert agg["value"].tolist() == [0.0, 0.0]
    c = score_composite(pd.DataFrame(rows), cat)
    assert (c.loc[c["group"] == "overall", "rank"] == 1).all()      # a tie shares rank 1


def test_ties_share_the_lowest_rank():
    s = pd.Series([90.0, 80.0, 80.0, 70.0, 95.0])
    assert rank_desc(s, [1, 1, 1, 1, 2]).tolist() == [1, 2, 2, 4, 1]


def test_sample_county_index(sample_dataset_metrics):
    c = sample_dataset_metrics
    overall = c[(c["group"] == "overall")]
    assert overall.groupby("year").size().eq(10).all()
    assert overall["score"].between(0, 100).all()
    assert set(overall["grade"]) <= {"好", "较好", "一般", "差"}
    # the stories: the county improves every year; 东山镇 and 金谷镇 lead, 青石乡 trails in 2015
    means = overall.groupby("year")["score"].mean()
    assert means.is_monotonic_increasing
    y2015 = overall[overall["year"] == 2015].set_index("unit_name")["rank"]
    assert set(y2015[y2015 <= 2].index) == {"东山镇", "金谷镇"} and y2015["青石乡"] == 10


def test_method_warnings_name_indicators_in_chinese(sample_loaded):
    """minmax cannot score a column all alike, target one without a target: said by the indicators' names."""
    from dangjian_analysis.metrics.scoring import normalize

    with pytest.warns(UserWarning, match="无法区分高低，该年不计分：.*村级办公经费") as flat:
        normalize(sample_loaded, method="minmax")
    with pytest.warns(UserWarning, match="没有目标值，按目标达成度评分时不计分：.*带动农户") as untargeted:
        normalize(sample_loaded, method="target")
    said = " ".join(str(w.message) for w in [*flat, *untargeted])
    assert "office_funds" not in said and "households_driven" not in said
