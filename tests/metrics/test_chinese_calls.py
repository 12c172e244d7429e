"""The calls an analyst types in a notebook, in the README's Chinese words (issue 25 §4): every
choice parameter takes the Chinese word and gives the same result as the id; an unknown word is a
Chinese error listing the accepted words; year pairs in the wrong order are an error."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog.choices import CHOICES, choice
from mini import mini_observations


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return func(*args, **kwargs)


# -- the table of words ----------------------------------------------------------------------------

def test_every_word_reads_as_its_id_and_no_word_means_two_things():
    for kind, options in CHOICES.items():
        seen = {}
        for cid, words in options.items():
            assert choice(kind, cid) == cid
            for word in words:
                assert choice(kind, word) == cid, (kind, word)
                assert seen.setdefault(word, cid) == cid, f"{kind}: {word} means {seen[word]} and {cid}"
    # white space, case and half-width brackets are read as the README writes the word
    assert choice("level", " 村(社区) ") == "village" and choice("level", "Township") == "township"
    assert choice("method", "Z分数") == "zscore"


def test_an_unknown_word_lists_every_accepted_word_with_its_id():
    with pytest.raises(ValueError) as err:
        choice("method", "熵权", name="method")
    assert str(err.value) == ("method 应为标准化方法 固定区间（goalposts）、极差（minmax）、标准分（zscore）、"
                              "百分位（rank）或 目标达成度（target），实际为 '熵权'")
    with pytest.raises(ValueError, match=r"^level 应为层级 乡镇（township）或 村（village），实际为 3$"):
        choice("level", 3, name="level")
    with pytest.raises(ValueError, match="乡镇（township），实际为 '村'"):       # allowed narrows the words
        choice("level", "村", allowed=["township"])


# -- each call of the issue ------------------------------------------------------------------------

def test_target_attainment_by_township_in_chinese(cat):
    obs = mini_observations()
    towns = dj.target_attainment(obs, cat, by="乡镇")
    _same(towns, dj.target_attainment(obs, cat, by="township"))
    share = towns[(towns["indicator"] == "funds") & (towns["year"] == 2020)].set_index("township")
    assert share.loc["甲镇", "share"] == pytest.approx(200 / 3)          # 2 of 3 villages at ≥ 5 万元
    _same(dj.target_attainment(obs, cat, by="单位"), dj.target_attainment(obs, cat))
    with pytest.raises(ValueError, match="by 应为统计口径 单位（unit）或 乡镇（township），实际为 '县'"):
        dj.target_attainment(obs, cat, by="县")


@pytest.mark.parametrize("word, method", [("固定区间", "goalposts"), ("极差", "minmax"), ("标准分", "zscore"),
                                          ("百分位", "rank"), ("目标达成度", "target")])
def test_normalisation_methods_in_chinese_equal_the_ids(cat, word, method):
    obs = mini_observations()
    by_word = _quiet(dj.score_composite, obs, cat, method=word)
    by_id = _quiet(dj.score_composite, obs, cat, method=method)
    _same(by_word, by_id)
    assert set(by_word["method"]) == {method}                          # the table records the id
    assert by_word.attrs["scoring"]["method"] == method
    _same(_quiet(dj.normalize, obs, cat, method=word), _quiet(dj.normalize, obs, cat, method=method))


def test_level_and_missing_rule_in_chinese(cat):
    obs = mini_observations()
    village = _quiet(dj.score_composite, obs, cat, level="村")
    _same(village, _quiet(dj.score_composite, obs, cat, level="village"))
    assert set(village["unit_name"]) == {"一村", "二村", "三村", "四村", "五村"}
    blank = obs[~((obs["township"] == "乙乡") & (obs["indicator"] == "age"))]
    renorm = _quiet(dj.score_composite, blank, cat, missing="重新归一")
    _same(renorm, _quiet(dj.score_composite, blank, cat, missing="renormalise"))
    assert set(renorm["missing_rule"]) == {"renormalise"}
    _same(_quiet(dj.score_composite, blank, cat, missing="不报不得分"), _quiet(dj.score_composite, blank, cat,
                                                                              missing="zero"))
    low = dj.flag_bottom(village, share=0.2, level="村", catalog=cat)
    _same(low, dj.flag_bottom(village, share=0.2, level="village", catalog=cat))
    # ceil(0.2 × 5) = 1 village a year: 四村 (17.7) in 2020; in 2021 三、四、五村 tie at 0 and are all listed
    assert low[["year", "unit_name"]].values.tolist() == [[2020, "四村"], [2021, "三村"], [2021, "四村"], [2021, "五村"]]


def test_uncertainty_methods_and_topsis_in_chinese(cat):
    obs = mini_observations()
    kw = dict(draws=20, spread=0.2, seed=3, level="乡镇")
    by_words = _quiet(dj.rank_uncertainty, obs, cat, methods=["固定区间", "百分位"], **kw)
    by_ids = _quiet(dj.rank_uncertainty, obs, cat, methods=["goalposts", "rank"], **{**kw, "level": "township"})
    _same(by_words, by_ids)
    with pytest.raises(ValueError, match="methods 应为标准化方法"):
        dj.rank_uncertainty(obs, cat, methods=["固定区间", "熵权"])
    matrix = pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [3.0, 1.0, 2.0]}, index=list("ABC"))
    words = dj.topsis(matrix, {"x": 1, "y": 1}, {"x": "越高越好", "y": "越低越好"}, normalization="极差标准化")
    ids = dj.topsis(matrix, {"x": 1, "y": 1}, {"x": True, "y": False}, normalization="minmax")
    _same(words, ids)
    # minmax: A (0, 1), B (1/3, 0), C (1, 1/2) weighted ½; y lower-better → ideal (½, 0), worst (0, ½)
    d_best = np.hypot([0.5, 1 / 3, 0], [0.5, 0, 0.25])
    d_worst = np.hypot([0, 1 / 6, 0.5], [0, 0.5, 0.25])
    assert words["closeness"].to_numpy() == pytest.approx(d_worst / (d_best + d_worst))


# -- year pairs ------------------------------------------------------------------------------------

def _scores(rows):
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "township", "year", "group", "score", "rank",
                                       "grade"])


SCORES = _scores([("A", "甲", "东山镇", 2014, "overall", 55, 3, "差"), ("A", "甲", "东山镇", 2015, "overall", 82, 1, "较好"),
                  ("B", "乙", "西河乡", 2014, "overall", 70, 1, "一般"), ("B", "乙", "西河乡", 2015, "overall", 75, 2, "一般")])


@pytest.mark.parametrize("call", [
    lambda: dj.grade_transitions(SCORES, 2015, 2014),
    lambda: dj.grade_transitions(SCORES, "2015年", 2014),
    lambda: dj.moves_by_township(SCORES, 2015, 2014),
    lambda: dj.most_improved(SCORES, 2015, 2014),
    lambda: dj.plot_slope(SCORES, 2015, 2014),
])
def test_swapped_years_are_an_error(call):
    with pytest.raises(ValueError, match=r"^起始年度 2015 晚于结束年度 2014：请先写较早的年度，如 \(2014, 2015\)$"):
        call()


def test_years_in_order_still_work_and_most_improved_defaults_in_order():
    assert dj.grade_transitions(SCORES, 2014, 2015).counts.to_dict() == {"up": 1, "same": 1, "down": 0}
    assert dj.grade_transitions(SCORES, 2015, 2015).counts.to_dict() == {"up": 0, "same": 2, "down": 0}
    assert dj.most_improved(SCORES, n=None)["change"].tolist() == [27, 5]      # 2014 → 2015 by default
    with pytest.raises(ValueError, match="起始年度 2015 晚于结束年度 2014"):
        dj.most_improved(SCORES, to_year=2014, from_year=2015)
