"""A partial year is partial in the library: ``score_composite`` given a Dataset holds every rank
of a year whose roll lists a township missing, and :func:`partial_note` says it in one sentence.

The partial year is the sample with 石桥镇's 2015 values taken out (its file still gives
2012–2014): 9 of 10 townships for 2015, the rest of the data as it is.
"""

from __future__ import annotations

import dataclasses
import warnings

import pytest

import dangjian_analysis as dj
from dangjian_analysis.metrics.roll_hold import partial_note

HELD = "全县尚有 1 个乡镇未报送"


@pytest.fixture(scope="module")
def nine(sample_loaded):
    obs = sample_loaded.observations
    kept = obs[~((obs["township"] == "石桥镇") & (obs["year"] == 2015))]
    return dataclasses.replace(sample_loaded, observations=kept)


@pytest.fixture(scope="module")
def nine_scores(nine):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)        # a Dataset: no warning at all
        return dj.score_composite(nine)


def test_every_rank_of_the_partial_year_is_held(nine, nine_scores, sample_dataset_metrics):
    assert list(nine.roll(2015).query("kind == 'township' and roll_status == 'missing'")["unit"]) == ["石桥镇"]
    year = nine_scores[nine_scores["year"] == 2015]
    assert len(year.query("group == 'overall'")) == 9 and "石桥镇" not in set(year["unit_name"])
    assert year["provisional"].all()                                    # every group, every township
    assert (year["provisional_reason"] == HELD).all()                  # the sample's 2015 is otherwise final
    full = sample_dataset_metrics
    before = full[full["year"] < 2015].reset_index(drop=True)
    after = nine_scores[nine_scores["year"] < 2015].reset_index(drop=True)
    assert not after["provisional"].any()                                # complete years untouched
    assert after[["unit_id", "year", "group", "score", "rank", "grade"]].equals(
        before[["unit_id", "year", "group", "score", "rank", "grade"]])
    assert dict(nine_scores.attrs["roll_missing"]) == {2015: ("石桥镇",)}
    assert dict(full.attrs["roll_missing"]) == {}


def test_ranking_table_marks_every_grade(nine_scores):
    table = dj.ranking_table(nine_scores, 2015)
    assert len(table) == 9 and list(table["排名"]) == list(range(1, 10))
    assert table["等次"].str.endswith("（待核实）").all() and (table["待核实"] == HELD).all()
    assert not dj.ranking_table(nine_scores, 2014)["等次"].str.contains("待核实").any()


def test_the_hold_is_added_to_a_reason_already_there(nine):
    obs = nine.observations
    first = obs[(obs["township"] == "东山镇") & (obs["year"] == 2015) & (obs["level"] == "village")]
    village = first["unit_id"].iloc[0]                    # one village of 东山镇 gives nothing in 2015
    short = dataclasses.replace(nine, observations=obs[~((obs["unit_id"] == village) & (obs["year"] == 2015))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = dj.score_composite(short)
    row = scores.query("year == 2015 and group == 'overall' and unit_name == '东山镇'").iloc[0]
    n = first["unit_id"].nunique()                       # the sample: every village of 东山镇 reports
    reason = row["provisional_reason"]                   # its own reasons first, the roll's last, once
    assert reason.startswith(f"村级数据不全：{n - 1}/{n} 个村有数据；") and reason.endswith(f"；{HELD}")
    assert reason.count(HELD) == 1


def test_partial_note_is_computed_from_the_data(nine, nine_scores, sample_dataset_metrics):
    partial = ("2015 年度已报送 9 个乡镇（全县 10 个），未报送：石桥镇；名次只在已报送的乡镇之间排列，均待核实，"
               "全部报送后重新计算。")
    assert partial_note(nine, 2015) == partial == partial_note(nine_scores, 2015)
    assert partial_note(nine, 2014) == "2014 年度全县 10 个乡镇全部已报送，名次为全县排名。"
    assert partial_note(sample_dataset_metrics, 2015) == "2015 年度全县 10 个乡镇全部已报送，名次为全县排名。"
    unknown = partial_note(nine.observations, 2015)              # a table without a roll: said, not guessed
    assert unknown.startswith("2015 年度：这张表没有记录报送进度") and "已报送" not in unknown.replace("全部乡镇已报送", "")


def test_observations_alone_carry_no_roll_and_say_so(nine):
    with pytest.warns(UserWarning, match=r"^这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算"):
        scores = dj.score_composite(nine.observations)
    assert not scores.query("year == 2015")["provisional"].any()       # it cannot know: not marked
    assert "roll_missing" not in scores.attrs
