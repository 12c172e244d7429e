"""不报不得分 for a whole village (issue 21.2): a roster village without any value in a township-year
that reported is blank in every indicator it owes — hand-worked on the mini county (甲镇: 一村, 二村,
三村; 乙乡: 四村, 五村) and on the sample's 2015 东山镇 for 当年整顿转化."""

from __future__ import annotations

import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog

from mini import MINI_TOML, mini_observations

pytestmark = pytest.mark.usefixtures("quiet")
TOWN_A = "三村未报送任何村级指标（按不得分计，请核实）"


def _without(obs: pd.DataFrame, village: str, year: int) -> pd.DataFrame:
    return obs[~((obs["unit_name"] == village) & (obs["year"] == year))]


def _cell(frame: pd.DataFrame, town: str, year: int, indicator: str) -> pd.Series:
    return frame[(frame["township"] == town) & (frame["year"] == year) & (frame["indicator"] == indicator)].iloc[0]


def _overall(scores: pd.DataFrame, unit: str, year: int) -> pd.Series:
    return scores[(scores["unit_name"] == unit) & (scores["year"] == year) & (scores["group"] == "overall")].iloc[0]


def test_an_absent_village_is_a_blank_in_each_aggregation(cat):
    """甲镇 2020 without 三村 (funds 6, age 56, members 1). Under "zero": funds, a share of villages
    meeting 5 万元 (4 no, 5 yes, blank no) = 100 × 1/3; age, a lower-is-better mean, takes the blank
    at the goalpost hi = 60 (the catalogue gives no valid or plausible upper end): (50 + 44 + 60)/3;
    members, a sum, adds nothing: 2 + 0. Under "renormalise" the values as before (1/2, 47, 2), over
    the two villages with a value, but 三村 is still counted as a blank in each (3 villages, 1 blank)."""
    obs = _without(mini_observations(), "三村", 2020)
    zero = dj.aggregate_villages(obs, cat)
    got = {i: (_cell(zero, "甲镇", 2020, i)["value"], _cell(zero, "甲镇", 2020, i)["n_villages"],
               _cell(zero, "甲镇", 2020, i)["n_blank"]) for i in ("funds", "age", "members")}
    assert got == {"funds": (pytest.approx(100 / 3), 3, 1), "age": (pytest.approx(154 / 3), 3, 1),
                   "members": (2.0, 3, 1)}
    blanks = zero.attrs["blanks"].frame
    assert blanks[["village", "unit_id", "indicator", "whole"]].values.tolist() == [
        ["三村", "T1V03", "funds", True], ["三村", "T1V03", "age", True], ["三村", "T1V03", "members", True]]
    assert zero.attrs["absent_villages"].frame.values.tolist() == [["甲镇", 2020, "三村", "T1V03"]]
    renorm = dj.aggregate_villages(obs, cat, missing="renormalise")
    assert [tuple(_cell(renorm, "甲镇", 2020, i)[["value", "n_villages", "n_blank"]]) for i in ("funds", "age", "members")
            ] == [(50.0, 3, 1), (47.0, 3, 1), (2.0, 3, 1)]
    assert renorm.attrs["absent_villages"].frame["village"].tolist() == ["三村"]      # named under both rules
    assert renorm.attrs["blanks"].frame.equals(blanks)                                # the same blanks
    # 乙乡 reported all its villages: nothing absent, nothing blank
    assert _cell(zero, "乙乡", 2020, "funds")["n_blank"] == 0


def test_an_absent_village_lowers_its_township_and_is_named_once(cat):
    """Overall index of 甲镇 2020 with all three villages: a = (66.7 + 3 × 50)/4 = 54.17, b = (60 + 80)/2
    (members 3 on the pooled 0–5 span, output 800 of 1000), overall = (3a + b)/4 = 58.125. Without 三村,
    "zero": funds 33.3, age 43.3 → a = 40.83; members 2 → 40, b = 60; overall 45.625 — lower, not higher.
    missing_required 3; coverage: group a 2/3, group b (2/3 + 1)/2, overall (3 × 2/3 + 5/6)/4."""
    full = _overall(dj.score_composite(mini_observations(), cat), "甲镇", 2020)
    assert full["score"] == pytest.approx(58.125)
    scores = dj.score_composite(_without(mini_observations(), "三村", 2020), cat)
    row = _overall(scores, "甲镇", 2020)
    assert row["score"] == pytest.approx(45.625) and row["score"] < full["score"]
    assert (row["missing_required"], row["coverage"]) == (3, pytest.approx(17 / 24))
    assert row["provisional"]
    assert row["provisional_reason"] == "村级数据不全：2/3 个村有数据；" + TOWN_A
    assert row["provisional_reason"].count("三村") == 1             # one reason, the village named once
    group_a = scores[(scores["unit_name"] == "甲镇") & (scores["year"] == 2020) & (scores["group"] == "a")].iloc[0]
    assert (group_a["score"], group_a["missing_required"]) == (pytest.approx(245 / 6), 2)
    # renormalise, as before: 60.9375 over the two villages, but the village is still named
    renorm = _overall(dj.score_composite(_without(mini_observations(), "三村", 2020), cat, missing="renormalise"),
                      "甲镇", 2020)
    assert renorm["score"] == pytest.approx(60.9375)
    assert (renorm["missing_required"], renorm["coverage"]) == (3, pytest.approx(17 / 24))     # counted, whatever the rule
    assert renorm["provisional_reason"].endswith("三村未报送任何村级指标（未计入乡镇得分，请核实）")


def test_an_absent_village_sinks_into_the_bottom_group_or_has_no_score_when_renormalised(cat):
    """Village level: under "zero" 三村 scores 0 in every required indicator (overall 0, coverage 0,
    3 missing) and is first in 倒排 with 未报送任何村级指标; under "renormalise" there is nothing to
    renormalise over, so it has no score and no rank (its township-year is 待核实 naming it)."""
    obs = _without(mini_observations(), "三村", 2020)
    village = dj.score_composite(obs, cat, level="village")
    row = _overall(village, "三村", 2020)
    assert (row["score"], row["coverage"], row["missing_required"], row["rank"]) == (0.0, 0.0, 3, 5)
    bottom = dj.flag_bottom(village, data=obs)
    first = bottom[bottom["year"] == 2020].iloc[0]
    assert (first["unit_name"], first["bottom_rank"]) == ("三村", 1)
    assert first["incomplete_reason"].startswith("未报送任何村级指标（按不得分计）；所在乡镇本年度结果待核实")
    renorm = dj.score_composite(obs, cat, level="village", missing="renormalise")
    assert "T1V03" not in set(renorm.loc[renorm["year"] == 2020, "unit_id"])
    assert len(renorm[renorm["year"] == 2020]) == len(village[(village["year"] == 2020)]) - 3      # a, b, overall


def test_a_merged_away_village_is_not_expected(tmp_path):
    """三村 merged into 二村 from 2021: in 2021 it is not on the roster and owes nothing; in 2020 it does."""
    text = MINI_TOML.replace('villages = ["一村", "二村", "三村"]', 'villages = ["一村", "二村", { id = "T1V03", '
                             'name = "三村", merged_into = { id = "T1V02", year = 2021 } }]')
    path = tmp_path / "merged.toml"
    path.write_text(text, "utf-8")
    merged = load_catalog(path)
    obs = _without(_without(mini_observations(), "三村", 2021), "三村", 2020)
    agg = dj.aggregate_villages(obs, merged)
    assert _cell(agg, "甲镇", 2021, "members")[["value", "n_villages", "n_blank"]].tolist() == [5.0, 2, 0]
    assert _cell(agg, "甲镇", 2020, "members")[["n_villages", "n_blank"]].tolist() == [3, 1]
    assert agg.attrs["absent_villages"].frame[["year", "village"]].values.tolist() == [[2020, "三村"]]


def test_a_township_that_did_not_report_is_not_blank(cat):
    """乙乡 sent nothing for 2021: it is absent from the year (the roll's business), not five blanks;
    a township that sent only township figures owes no village values either."""
    obs = mini_observations()
    silent = obs[~((obs["township"] == "乙乡") & (obs["year"] == 2021))]
    agg = dj.aggregate_villages(silent, cat)
    assert agg[(agg["township"] == "乙乡") & (agg["year"] == 2021)].empty
    assert agg.attrs["absent_villages"].frame.empty and agg.attrs["blanks"].frame.empty
    only_town = obs[~((obs["township"] == "甲镇") & (obs["year"] == 2021) & (obs["level"] == "village"))]
    agg = dj.aggregate_villages(only_town, cat)
    assert agg.attrs["absent_villages"].frame.empty
    assert agg[(agg["township"] == "甲镇") & (agg["year"] == 2021)]["indicator"].tolist() == ["output"]


def test_an_absent_village_counts_as_listed_and_not_turned_around(sample_loaded, catalog):
    """当年整顿转化 applies where 列为软弱涣散 = 1. A wholly blank village has no 列为软弱涣散; under
    "zero" that blank is taken at its worst value (listed), so the village also owes 当年整顿转化 and,
    not giving it, does not meet the target: on 东山镇 2015, share = 100 × turned / (listed + 1)."""
    obs = sample_loaded.observations
    town = obs[(obs["township"] == "东山镇") & (obs["year"] == 2015)]
    gone = town["unit_name"].drop_duplicates().iloc[-1]
    rows = town[town["unit_name"] != gone]
    listed = rows[(rows["indicator"] == "weak_listed") & (rows["value"] == 1)]["unit_id"]
    turned = rows[(rows["indicator"] == "weak_turned") & rows["unit_id"].isin(listed) & (rows["value"] == 1)]
    agg = dj.aggregate_villages(rows, catalog)
    cell = _cell(agg, "东山镇", 2015, "weak_turned")
    assert (cell["value"], cell["n_villages"], cell["n_blank"]) == (
        pytest.approx(100 * len(turned) / (len(listed) + 1)), len(listed) + 1, 1)
    n_listed = _cell(agg, "东山镇", 2015, "weak_listed")
    assert n_listed["value"] == pytest.approx((len(listed) + 1) / town.loc[town["level"] == "village", "unit_id"].nunique())
    owed = agg.attrs["blanks"].frame
    assert set(owed["indicator"]) >= {"weak_listed", "weak_turned"} and set(owed["village"]) == {gone}


def test_at_village_level_a_blank_governing_value_also_owes_the_indicator_it_governs(sample_loaded, catalog):
    """A village of 东山镇 2015 not listed (列为软弱涣散 0, so no 当年整顿转化) leaves 列为软弱涣散
    blank: under "zero" it counts as listed, so both score 0 — 薄弱整顿 = (2·0 + 1·0 + 2·s_满意度 +
    1·s_信访)/6 with 2 missing; under "renormalise" only 列为软弱涣散 is missing, and not owed 当年整顿转化,
    the index is (2·s_满意度 + 1·s_信访)/3."""
    obs = sample_loaded.observations
    town = obs[(obs["township"] == "东山镇") & (obs["year"] == 2015)]
    flag = town[(town["indicator"] == "weak_listed") & (town["value"] == 0)].iloc[0]
    mine = town[town["unit_id"] == flag["unit_id"]].set_index("indicator")["value"]
    s_sat = 100 * min(max((mine["satisfaction"] - 60) / 35, 0), 1)
    s_pet = 100 * min(max((6 - mine["petitions"]) / 6, 0), 1)
    part = town.drop(flag.name)
    for rule, expected, missing in (("zero", (2 * s_sat + s_pet) / 6, 2), ("renormalise", (2 * s_sat + s_pet) / 3, 1)):
        scores = dj.score_composite(part, catalog, level="village", missing=rule)
        weak = scores[(scores["unit_id"] == flag["unit_id"]) & (scores["group"] == "weak")].iloc[0]
        assert (weak["score"], weak["missing_required"]) == (pytest.approx(expected), missing), rule
