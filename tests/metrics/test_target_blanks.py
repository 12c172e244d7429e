"""Target attainment counts a blank village as not meeting the target (不报不得分), as the index does.

Before, ``target_attainment(by="township")`` counted only the villages with a value: on a 2016
season where 金谷镇 returned 8 of its 12 villages (4 rows left wholly blank), its 村级办公经费 and
村干部报酬 read 100.0 / 100.0 while its 投入保障 sub-index counted the four as not meeting them.
"""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.intake import load

from helpers import data_rows
from mini import mini_observations
from season import build_season

EIGHT = ["东山镇", "西河乡", "南岭镇", "北塘镇", "青石乡", "白沙镇", "红旗乡", "金谷镇"]


def _funds(table, town):
    return table[(table["township"] == town) & (table["indicator"] == "funds") & (table["year"] == 2020)].iloc[0]


def test_a_blank_value_counts_as_not_meeting_the_target(cat):
    """甲镇 2020 funds 4, 5, 6 万元 against 5 万元; 三村 leaves its funds blank but reports its other
    figures. zero: 一村 no, 二村 yes, 三村 blank → 1 of 3 = 33.3 %; 全县 adds 乙乡's 5 and 3 → 2 of 5
    = 40 %. renormalise: 1 of 2 = 50 %, 全县 2 of 4 = 50 %."""
    obs = mini_observations()
    obs.loc[(obs["unit_name"] == "三村") & (obs["indicator"] == "funds"), "value"] = np.nan
    zero = dj.target_attainment(obs, cat, by="township")
    town = _funds(zero, "甲镇")
    assert (town["villages"], town["n_blank"], town["met"]) == (3, 1, 1)
    assert town["share"] == pytest.approx(100 / 3)
    assert town["provisional"] and "三村“经费”" in town["provisional_reason"]
    county = _funds(zero, "全县")
    assert (county["villages"], county["n_blank"], county["met"], county["share"]) == (5, 1, 2, 40)
    assert not county["provisional"]                        # the county row says its base by n_blank
    other = _funds(zero, "乙乡")
    assert (other["villages"], other["n_blank"], other["share"], other["provisional"]) == (2, 0, 50, False)
    # the share agrees with the index's own share_meeting_target value of the township
    agg = dj.aggregate_villages(obs, cat)
    assert agg.query("unit_name == '甲镇' and indicator == 'funds'")["value"].item() == pytest.approx(town["share"])
    renorm = dj.target_attainment(obs, cat, by="township", missing="renormalise")
    assert _funds(renorm, "甲镇")[["villages", "n_blank", "met", "share"]].tolist() == [2, 0, 1, 50]
    assert _funds(renorm, "全县")[["villages", "n_blank", "met", "share"]].tolist() == [4, 0, 2, 50]


def test_a_wholly_blank_roster_village_counts_too(cat):
    """三村 sends nothing in 2020 while 一村 and 二村 report: it is an absent roster village, so
    甲镇's funds are 1 of 3 (not 1 of 2), and the reason names it."""
    obs = mini_observations()
    obs = obs[~((obs["unit_name"] == "三村") & (obs["year"] == 2020))]
    before = obs.copy()
    town = _funds(dj.target_attainment(obs, cat, by="township"), "甲镇")
    assert town[["villages", "n_blank", "met"]].tolist() == [3, 1, 1]
    assert "三村未报送任何村级指标" in town["provisional_reason"]
    assert obs.equals(before)                               # input not mutated


def test_the_unit_table_is_unchanged_by_blanks(cat):
    """by="unit" lists the units with a value only (a blank has no value and no gap)."""
    obs = mini_observations()
    obs.loc[(obs["unit_name"] == "三村") & (obs["indicator"] == "funds"), "value"] = np.nan
    units = dj.target_attainment(obs, cat)
    funds = units[(units["indicator"] == "funds") & (units["year"] == 2020)]
    assert sorted(funds["unit_name"]) == ["一村", "二村", "五村", "四村"]


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """2016 returned by eight townships; 金谷镇's last four village rows left wholly blank."""
    data = build_season(tmp_path_factory.mktemp("eight"), EIGHT)
    path = data / "2016" / "金谷镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ids = [c.value for c in ws[3]]
    known = set(dj.load_catalog().indicators["id"])
    rows = list(data_rows(ws))
    gone = [ws.cell(r, ids.index("village") + 1).value for r in rows[-4:]]
    for r in rows[-4:]:
        for k, i in enumerate(ids):
            if i in known:
                ws.cell(r, k + 1).value = None
    wb.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ds = load(data, progress=False)
    return ds, gone


def test_the_season_counts_the_four_blank_villages(season):
    """金谷镇 2016: the 8 villages that reported all meet both 投入保障 targets (8 of 8 = 100.0 as
    before), the 4 blank ones do not: 8 of 12 = 66.7 %. 全县: the 103 villages of the eight
    townships' 2016 roster, 4 of them blank."""
    ds, gone = season
    att = dj.target_attainment(ds, by="township")
    year = att[att["year"] == 2016]
    jin = year[(year["township"] == "金谷镇")].set_index("indicator")
    for indicator in ("office_funds", "cadre_allowance"):
        assert jin.loc[indicator, ["villages", "n_blank", "met"]].tolist() == [12, 4, 8]
        assert jin.loc[indicator, "share"] == pytest.approx(200 / 3)
    assert jin["provisional"].all() and all(v in jin["provisional_reason"].iloc[0] for v in gone)
    roster = ds.catalog.villages_in(2016)
    county = year[year["township"] == "全县"].set_index("indicator")
    assert county.loc["office_funds", "villages"] == roster["township"].isin(EIGHT).sum() == 103
    assert county.loc["office_funds", "n_blank"] == 4
    assert not year.loc[year["township"] != "金谷镇", "provisional"].any()   # the others returned every village
    old = dj.target_attainment(ds, by="township", missing="renormalise")
    old = old[(old["year"] == 2016) & (old["township"] == "金谷镇") & (old["indicator"] == "office_funds")]
    assert old[["villages", "met", "share"]].iloc[0].tolist() == [8, 8, 100]


def test_the_season_shares_agree_with_the_index(season):
    """Every township share of a ``share_meeting_target`` indicator equals the value the index
    scores (aggregate_villages), blanks and all."""
    ds, _ = season
    att = dj.target_attainment(ds, by="township")
    agg = dj.aggregate_villages(ds)
    shares = ds.catalog.indicators.loc[ds.catalog.indicators["aggregate"] == "share_meeting_target", "id"]
    both = att[att["township"] != "全县"].merge(agg[agg["indicator"].isin(shares)],
                                                 left_on=["township", "year", "indicator"],
                                                 right_on=["unit_name", "year", "indicator"])
    assert len(both) == agg["indicator"].isin(shares).sum() > 300    # every township-year of every share
    assert np.allclose(both["share"], both["value"])
    assert (both["villages"] == both["n_villages"]).all() and (both["n_blank_x"] == both["n_blank_y"]).all()
