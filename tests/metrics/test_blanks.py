"""不报不得分 across villages: a required village value left blank never raises a township's score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj

pytestmark = pytest.mark.usefixtures("quiet")


def _required_village_rows(obs: pd.DataFrame, cat) -> pd.Index:
    ind = cat.indicators
    ids = ind[(ind["level"] == "village") & (ind["direction"] != "monitor") & ind["required"].astype(bool)]["id"]
    return obs.index[(obs["level"] == "village") & obs["indicator"].isin(set(ids))]


def _overall_and_groups(scores: pd.DataFrame, town: str, year: int) -> pd.Series:
    rows = scores[(scores["unit_name"] == town) & (scores["year"] == year)]
    return rows.set_index("group")["score"]


def test_a_blank_counts_as_the_value_that_scores_nothing(sample_loaded, catalog):
    """Hand-worked on 红旗乡 2015 便民服务站正常运行 (share of villages meeting the target 1):
    blanking a village that runs its station turns it from meeting into not meeting, so the
    share falls from m/n to (m − 1)/n, never rising; under "renormalise" it is (m − 1)/(n − 1)."""
    obs = sample_loaded.observations
    rows = obs[(obs["township"] == "红旗乡") & (obs["year"] == 2015) & (obs["indicator"] == "station_running")]
    n, met = len(rows), int((rows["value"] == 1).sum())
    blank = obs.drop(rows.index[rows["value"] == 1][:1])
    zero = dj.aggregate_villages(blank, catalog)
    value = zero.query("township == '红旗乡' and year == 2015 and indicator == 'station_running'").iloc[0]
    assert value["value"] == pytest.approx(100 * (met - 1) / n) and value["n_blank"] == 1 and value["n_villages"] == n
    renorm = dj.aggregate_villages(blank, catalog, missing="renormalise")
    value = renorm.query("township == '红旗乡' and year == 2015 and indicator == 'station_running'").iloc[0]
    assert value["value"] == pytest.approx(100 * (met - 1) / (n - 1)) and value["n_blank"] == 0
    scores = dj.score_composite(blank, catalog).query("unit_name == '红旗乡' and year == 2015")
    overall = scores.set_index("group").loc["overall"]
    assert overall["missing_required"] == 1 and overall["provisional"]
    village = rows.loc[rows["value"] == 1, "unit_name"].iloc[0]
    assert f"{village}“便民服务站正常运行”" in overall["provisional_reason"]
    assert overall["coverage"] < 1          # the blank village's share of that indicator's weight is missing


def test_no_single_blank_raises_a_township_score(sample_loaded, catalog):
    """A blank of every required village indicator in 红旗乡 2015 (its first village reporting it),
    and 40 blanks drawn at random from the whole sample county (seed 0), each alone: no
    sub-index and no overall index rises."""
    obs = sample_loaded.observations
    candidates = _required_village_rows(obs, catalog)
    rng = np.random.default_rng(0)
    town = obs.loc[candidates].query("township == '红旗乡' and year == 2015")
    chosen = list(town.drop_duplicates("indicator").index)
    chosen += list(rng.choice(candidates, size=40, replace=False))
    base: dict = {}
    for row in chosen:
        town, year = obs.at[row, "township"], int(obs.at[row, "year"])
        part = obs[(obs["township"] == town) & (obs["year"] == year)]       # goalposts: a unit alone scores the same
        if (town, year) not in base:
            base[(town, year)] = _overall_and_groups(dj.score_composite(part, catalog), town, year)
        after = _overall_and_groups(dj.score_composite(part.drop(row), catalog), town, year)
        before = base[(town, year)].reindex(after.index)
        assert (after <= before + 1e-9).all(), (town, year, obs.at[row, "unit_name"], obs.at[row, "indicator"])
