"""robustness, sensitivity and leave_one_out on the 3-township case worked by hand (robust_case.py),
and leave-one-out against score_composite with a weight set to 0 on the sample county."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis.metrics.robustness import leave_one_out, robustness, sensitivity
from dangjian_analysis.metrics.scoring import score_composite

from robust_case import three_catalog, three_observations


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    return three_observations(), three_catalog(tmp_path_factory)


def test_geometric_mean_flips_the_first_to_last(three):
    obs, cat = three
    before = obs.copy()
    out = robustness(obs, cat, choices=["aggregation"], draws=200, seed=3)
    pd.testing.assert_frame_equal(obs, before)                          # input not mutated
    by = out.set_index("unit_name")
    assert by["rank"].to_dict() == {"甲镇": 1, "乙乡": 2, "丙镇": 3}       # arithmetic 50 / 30 / 21
    geometric = np.random.default_rng(3).random((200, 1))[:, 0] >= 0.5   # ⌊2u⌋ = 1: the second alternative
    assert 0 < geometric.mean() < 1
    # geometric 9.05 / 30 / 20.98: 甲镇 3rd, so it is the one 倒排 township (ceil(0.3 × 3) = 1) exactly then
    assert by.loc["甲镇", "p_bottom"] == pytest.approx(geometric.mean())
    assert by.loc["丙镇", "p_bottom"] == pytest.approx(1 - geometric.mean())
    assert by.loc["乙乡", "p_bottom"] == 0
    assert (by.loc["甲镇", "rank_p05"], by.loc["甲镇", "rank_p95"]) == (1, 3)
    assert (by.loc["乙乡", "rank_p05"], by.loc["乙乡", "rank_p95"]) == (1, 2)
    assert (by["p_top"] == 0).all() and (by["draws"] == 200).all()     # nobody reaches 好 (90)


def test_weights_alone_never_move_these_ranks(three):
    obs, cat = three
    out = robustness(obs, cat, choices=["weights"], draws=300)
    assert (out["rank_p05"] == out["rank"]).all() and (out["rank_p95"] == out["rank"]).all()


def test_sobol_indices_say_the_aggregation_matters_and_the_weights_not(three):
    obs, cat = three
    out = sensitivity(obs, cat, choices=["weights", "权重", "分项合成方式"], draws=400, seed=1).set_index("choice")
    assert list(out.index) == ["aggregation", "weights"]                  # by total index, largest first
    assert out.loc["weights", ["S1", "ST"]].tolist() == [0, 0]            # f(A_B) = f(A) exactly
    for key in ("S1", "ST"):                                              # one choice makes all the variance
        assert abs(out.loc["aggregation", key] - 1) < 3 * out.loc["aggregation", f"{key}_se"] + 1e-9
    assert out.loc["aggregation", "name"] == "分项合成方式"
    # Y is 0 (arithmetic) or 4/3 (geometric): its mean is 4/3 × the share of geometric draws, near 2/3
    assert out.attrs["robustness"]["mean_shift"] == pytest.approx(2 / 3, abs=0.1)
    assert out.attrs["robustness"]["runs"] == 400 * 4


def test_leave_one_out_by_hand(three):
    obs, cat = three
    out = leave_one_out(obs, cat)
    got = out[out["kind"] == "group"].set_index(["item", "unit_name"])
    assert got.loc[("a", "甲镇"), ["score", "rank", "rank_change"]].tolist() == [0, 3, 2]    # only y: 0, 30, 22
    assert got.loc[("a", "丙镇"), ["score", "rank"]].tolist() == [22, 2]
    assert got.loc[("b", "甲镇"), ["score", "rank", "rank_change"]].tolist() == [100, 1, 0]  # only x
    assert got.loc[("a", "甲镇"), "item_name"] == "甲工程"
    ind = out[out["kind"] == "indicator"].set_index(["item", "unit_name"])
    assert ind.loc[("x", "甲镇"), ["score", "rank"]].tolist() == [0, 3]       # the group's only indicator
    assert (out["nominal_score"].to_numpy()[:3] == [50, 30, 21]).all()


def test_seed_reproducible_and_different_seeds_differ(three):
    obs, cat = three
    a = robustness(obs, cat, choices=["aggregation", "weights"], draws=50, seed=11)
    b = robustness(obs, cat, choices=["aggregation", "weights"], draws=50, seed=11)
    c = robustness(obs, cat, choices=["aggregation", "weights"], draws=50, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a["p_bottom"].equals(c["p_bottom"])
    assert a.attrs["robustness"]["seed"] == 11 and a.attrs["robustness"]["choices"] == ["weights", "aggregation"]


@pytest.mark.parametrize("kwargs, words", [
    ({"choices": ["weigths"]}, ["weigths", "可抽样的选择", "权重"]),
    ({"draws": 1}, ["draws", "不小于 2"]),
    ({"draws": 10, "level": "county"}, ["level", "county"]),
])
def test_bad_arguments_are_one_chinese_line(three, kwargs, words):
    obs, cat = three
    with pytest.raises(ValueError) as info:
        robustness(obs, cat, **kwargs)
    for w in words:
        assert w in str(info.value)


def test_catalogue_declares_the_defaults(tmp_path_factory):
    cat = three_catalog(tmp_path_factory, '[robustness]\nchoices = ["aggregation"]\ndraws = 40\nseed = 5\n')
    out = robustness(three_observations(), cat)
    assert (out["draws"] == 40).all()
    geometric = np.random.default_rng(5).random((40, 1))[:, 0] >= 0.5
    assert out.set_index("unit_name").loc["甲镇", "p_bottom"] == pytest.approx(geometric.mean())


@pytest.fixture(scope="module")
def sample_loo(sample_loaded):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return leave_one_out(sample_loaded)


@pytest.mark.parametrize("kind, item", [("group", "feature"), ("group", "weak"), ("indicator", "satisfaction"),
                                        ("indicator", "office_funds")])
def test_leave_one_out_is_score_composite_with_a_zero_weight(sample_loaded, sample_loo, kind, item):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)          # weights no longer summing to 1 are announced
        ref = score_composite(sample_loaded, weights={"groups" if kind == "group" else "indicators": {item: 0}})
    ref = ref[ref["group"] == "overall"].set_index(["unit_id", "year"])
    got = sample_loo[(sample_loo["kind"] == kind) & (sample_loo["item"] == item)].set_index(["unit_id", "year"])
    assert len(got) == len(ref) == 40
    ref = ref.reindex(got.index)
    np.testing.assert_allclose(got["score"], ref["score"], atol=1e-8)
    assert (got["rank"].to_numpy() == ref["rank"].to_numpy()).all()


def test_nominal_rank_is_the_published_one(sample_loaded, sample_dataset_metrics):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = robustness(sample_loaded, choices=["weights"], draws=20)
    pub = sample_dataset_metrics.query("group == 'overall'").set_index(["unit_id", "year"])["rank"]
    assert (out.set_index(["unit_id", "year"])["rank"] == pub.reindex(out.set_index(["unit_id", "year"]).index)).all()
    assert math.isclose(out["p_bottom"].groupby(out["year"]).sum().min(), 1.0)   # one of ten 倒排 per year
    marks = sample_dataset_metrics.query("group == 'overall'").set_index(["unit_id", "year"])["provisional"]
    assert (out.set_index(["unit_id", "year"])["provisional"] == marks.reindex(
        out.set_index(["unit_id", "year"]).index)).all()                     # 待核实 marks carried over


def test_alternatives_warn_once_and_say_where(sample_loaded):
    """minmax/rank cannot score a column whose values are all equal in a year: each such warning is
    heard once (not once per missing rule × village-rule variant) and says it is about an alternative."""
    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always", UserWarning)
        robustness(sample_loaded, choices=["method", "missing", "village_rule"], draws=10)
    messages = [str(w.message) for w in heard if issubclass(w.category, UserWarning)]
    assert messages and len(messages) == len(set(messages))
    assert all(m.startswith("稳健性分析的备选方案中：") for m in messages)


def test_level_takes_the_chinese_word_too(sample_loaded):
    """``level="乡镇"`` is ``level="township"`` (catalog.choices), and a wrong word is one Chinese line."""
    from dangjian_analysis.metrics.robustness import leave_one_out

    pd.testing.assert_frame_equal(leave_one_out(sample_loaded, level="乡镇"), leave_one_out(sample_loaded))
    with pytest.raises(ValueError, match=r"level 应为层级 乡镇（township）或 村（village），实际为 '县'"):
        leave_one_out(sample_loaded, level="县")


def test_dj_show_gives_the_sensitivity_table_chinese_headers(sample_loaded):
    from dangjian_analysis.documents.display import to_chinese

    shown = to_chinese(sensitivity(sample_loaded, draws=40))
    assert list(shown.columns) == ["建模选择", "名称", "一阶指数", "一阶指数标准误", "总效应指数", "总效应指数标准误"]
