"""不报不得分 across villages: a required village value left blank never raises a township's score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.metrics.scoring import score_values

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
    share falls from m/n to (m − 1)/n, never rising; under "renormalise" it is (m − 1)/(n − 1), the
    blank still counted (n villages, 1 blank: issue 21.2, whatever the rule)."""
    obs = sample_loaded.observations
    rows = obs[(obs["township"] == "红旗乡") & (obs["year"] == 2015) & (obs["indicator"] == "station_running")]
    n, met = len(rows), int((rows["value"] == 1).sum())
    blank = obs.drop(rows.index[rows["value"] == 1][:1])
    zero = dj.aggregate_villages(blank, catalog)
    value = zero.query("township == '红旗乡' and year == 2015 and indicator == 'station_running'").iloc[0]
    assert value["value"] == pytest.approx(100 * (met - 1) / n) and value["n_blank"] == 1 and value["n_villages"] == n
    renorm = dj.aggregate_villages(blank, catalog, missing="renormalise")
    value = renorm.query("township == '红旗乡' and year == 2015 and indicator == 'station_running'").iloc[0]
    assert value["value"] == pytest.approx(100 * (met - 1) / (n - 1))
    assert (value["n_villages"], value["n_blank"]) == (n, 1)
    scores = dj.score_composite(blank, catalog).query("unit_name == '红旗乡' and year == 2015")
    overall = scores.set_index("group").loc["overall"]
    assert overall["missing_required"] == 1 and overall["provisional"]
    village = rows.loc[rows["value"] == 1, "unit_name"].iloc[0]
    assert f"{village}“便民服务站正常运行”" in overall["provisional_reason"]
    assert overall["coverage"] < 1          # the blank village's share of that indicator's weight is missing


def test_no_single_blank_raises_a_township_score(sample_loaded, catalog):
    """End to end through score_composite: a blank of every required village indicator in 红旗乡
    2015 (its first village reporting it), and 12 blanks drawn at random from the whole sample
    county (seed 0), each alone: no sub-index and no overall index rises (every blank of the county:
    the exhaustive test below)."""
    obs = sample_loaded.observations
    candidates = _required_village_rows(obs, catalog)
    rng = np.random.default_rng(0)
    town = obs.loc[candidates].query("township == '红旗乡' and year == 2015")
    chosen = list(town.drop_duplicates("indicator").index)
    chosen += list(rng.choice(candidates, size=12, replace=False))
    base: dict = {}
    for row in chosen:
        town, year = obs.at[row, "township"], int(obs.at[row, "year"])
        part = obs[(obs["township"] == town) & (obs["year"] == year)]       # goalposts: a unit alone scores the same
        if (town, year) not in base:
            base[(town, year)] = _overall_and_groups(dj.score_composite(part, catalog), town, year)
        after = _overall_and_groups(dj.score_composite(part.drop(row), catalog), town, year)
        before = base[(town, year)].reindex(after.index)
        assert (after <= before + 1e-9).all(), (town, year, obs.at[row, "unit_name"], obs.at[row, "indicator"])


def _single_blank_copies(obs: pd.DataFrame, cat) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every single blank of a required village value in ``obs``, each in a copy of its own: the
    rows the blank's township-year cells rest on (every village's value of that indicator, of its
    ``applies_if`` indicator and of the indicators that apply by it) and one other value of the
    blanked village (it reported something else: a single blank, not an absent village). Copy
    ``2c`` keeps the value, ``2c + 1`` drops it; copies are told apart by township and village ids
    (``<id>#<copy>``). Returns the copies' observations and, per blank, ``township, year,
    indicator, village, touched`` (the indicators whose cells the blank may change)."""
    ind = cat.indicators.set_index("id")
    related: dict = {}
    for dep, (gov, _) in (ind["applies_if"].dropna().items() if "applies_if" in ind else []):
        related.setdefault(dep, []).append(gov)
        related.setdefault(gov, []).append(dep)
    village = obs[obs["level"] == "village"].reset_index(drop=True)
    by_cell = village.groupby(["township", "year", "indicator"]).indices
    by_village = village.groupby(["unit_id", "year"]).indices
    pick = _required_village_rows(village, cat)
    keys = village.loc[pick, ["township", "year", "indicator", "unit_id"]].itertuples(index=False, name=None)
    parts, copy_of, none = [], [], np.array([], dtype=int)
    for c, (row, (t, y, i, u)) in enumerate(zip(pick, keys)):
        other = by_village[(u, y)]
        rows = [by_cell[(t, y, i)], other[other != row][:1], *(by_cell.get((t, y, j), none) for j in related.get(i, []))]
        kept = np.unique(np.concatenate(rows))
        parts += [kept, kept[kept != row]]
        copy_of += [np.full(len(kept), 2 * c), np.full(len(kept) - 1, 2 * c + 1)]
    blanks = village.loc[pick, ["township", "year", "indicator", "unit_name"]].set_axis(
        ["township", "year", "indicator", "village"], axis=1).reset_index(drop=True)
    blanks["touched"] = [{i, *related.get(i, [])} for i in blanks["indicator"]]
    at, copy = np.concatenate(parts), np.concatenate(copy_of)
    copies = village.iloc[at][["unit_id", "unit_name", "level", "township", "year", "indicator", "value"]].copy()
    copies["township"] = [f"{t}#{k}" for t, k in zip(copies["township"], copy)]
    copies["unit_id"] = [f"{u}#{k}" for u, k in zip(copies["unit_id"], copy)]
    return copies, blanks


def test_every_single_blank_lowers_or_keeps_every_indicator_score(sample_loaded, catalog):
    """Exhaustive over the sample county (every required village value, ~10,000 blanks): the cells
    the blank touches (its indicator's, and 当年整顿转化's when 列为软弱涣散 is blanked: a blank
    governing value is taken as listed) are recomputed by aggregate_villages in a copy of their own,
    with and without the value. (1) With the value those cells are the county's own (the copy is
    faithful); (2) without it the same cells have a value, over at least as many villages (the blank
    counts; 当年整顿转化 may gain the blanked village, or appear with only it, scoring 0): no scored
    indicator is lost and none is added except at 0; (3) no goalpost score rises. With (2) and the
    premise tested below, no sub-index and no overall index can rise."""
    obs = sample_loaded.observations
    copies, blanks = _single_blank_copies(obs, catalog)
    ind = catalog.indicators.set_index("id")
    assert not ((ind["aggregate"] == "sum") & (ind["level"] == "village") & (ind["direction"] != "monitor")).any(), \
        "a scored sum would be on pooled goalposts: compare it on the county's own span"
    scored = score_values(dj.aggregate_villages(copies, catalog), catalog, "goalposts", "township")
    copy = scored["township"].str.split("#").str[1].astype(int).to_numpy()
    scored = scored.assign(blank=copy // 2, after=copy % 2 == 1).set_index(["blank", "indicator"])
    touched = blanks["touched"].iloc[scored.index.get_level_values("blank")].to_numpy()
    scored = scored[[i in t for i, t in zip(scored.index.get_level_values("indicator"), touched)]]
    before, after = scored[~scored["after"]], scored[scored["after"]]
    new = after[~after.index.isin(before.index)]        # 当年整顿转化 owed by a village now taken as listed
    assert len(blanks) > 9000 and set(new.index.get_level_values("indicator")) <= {"weak_turned"}
    assert (new["score"] == 0).all() and (new["n_blank"] == new["n_villages"]).all()    # a new cell only lowers
    after = after.reindex(before.index)                                                            # (2)
    assert (after["n_villages"] >= before["n_villages"]).all() and after["value"].notna().all()    # none dropped
    assert (after.groupby(level="blank")["n_blank"].max() == 1).all()
    county = score_values(dj.aggregate_villages(obs, catalog), catalog, "goalposts", "township")
    where = blanks.iloc[before.index.get_level_values("blank")]
    own = county.set_index(["township", "year", "indicator"])["score"].reindex(pd.MultiIndex.from_arrays(
        [where["township"], where["year"], before.index.get_level_values("indicator")]))
    np.testing.assert_allclose(before["score"].to_numpy(float), own.to_numpy(float))                 # (1)
    rose = after["score"].to_numpy(float) > before["score"].to_numpy(float) + 1e-9                   # (3)
    assert not rose.any(), blanks.iloc[before.index.get_level_values("blank")[rose]].head()


def test_the_indices_are_monotone_in_each_indicator_score(sample_loaded, catalog):
    """The premise of the exhaustive test: with fixed goalposts and the township's set of scored
    indicators unchanged, S_g = Σ wᵢ sᵢ / Σ wᵢ and the overall Σ W_g S_g / Σ W_g are linear in the
    indicator scores with coefficients wᵢ / Σ wⱼ ≥ 0 and W_g / Σ W ≥ 0 — so lowering scores never
    raises either. Checked: every weight is ≥ 0, and for one blank per group of 红旗乡 2015 the changes
    score_composite gives are exactly Σ coefficient × change of each indicator score."""
    from dangjian_analysis.metrics.weights_input import weights_of

    ind_w, grp_w = weights_of(catalog, None)
    assert (ind_w >= 0).all() and (grp_w >= 0).all()
    obs = sample_loaded.observations
    part = obs[(obs["township"] == "红旗乡") & (obs["year"] == 2015)]
    rows = part.loc[_required_village_rows(part, catalog)].copy()
    rows["group"] = rows["indicator"].map(catalog.indicators.set_index("id")["group"])
    base = dj.score_composite(part, catalog)
    s0 = base.attrs["indicator_scores"].frame.dropna(subset=["score"]).set_index("indicator")
    big = grp_w[sorted(set(s0["group"]))].sum()
    for _, first in rows.groupby("group").head(1).iterrows():
        after = dj.score_composite(part.drop(first.name), catalog)
        s1 = after.attrs["indicator_scores"].frame.dropna(subset=["score"]).set_index("indicator")
        assert set(s0.index) <= set(s1.index)         # scored before, scored after (the blank counts)
        added = s1.index.difference(s0.index)           # an indicator now owed (当年整顿转化) scores 0
        assert (s1.loc[added, "score"] == 0).all()
        d_s = (s1["score"] - s0["score"].reindex(s1.index).fillna(0.0)).astype(float)
        assert (d_s <= 1e-9).all()
        d_g = after.set_index("group")["score"] - base.set_index("group")["score"]
        for g, d in d_g.drop("overall").items():       # Σ w s / Σ w, a score-0 indicator added to Σ w
            was, now = s0.index[s0["group"] == g], s1.index[s1["group"] == g]
            expected = (ind_w[now] * s1.loc[now, "score"]).sum() / ind_w[now].sum() - \
                (ind_w[was] * s0.loc[was, "score"]).sum() / ind_w[was].sum()
            assert d == pytest.approx(expected, abs=1e-7) and d <= 1e-9
            if not len(added):
                assert d == pytest.approx((ind_w[was] * d_s[was]).sum() / ind_w[was].sum(), abs=1e-7)
        assert d_g["overall"] == pytest.approx((grp_w[d_g.drop("overall").index] * d_g.drop("overall")).sum() / big,
                                               abs=1e-7)
    assert rows["group"].nunique() >= 6
