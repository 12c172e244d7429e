"""No silent fallbacks: a county's catalogue flows through every function, names resolve through
its aliases, what is not in the data is a Chinese ValueError, listings on incomplete data are
marked, ``load`` takes a list and a catalogue path, and the CLI says when it uses the sample.

Every expected number is worked by hand from the rule (ceil(share × n), the listed ids).
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import default_catalog_text
from dangjian_analysis.metrics import rectify
from dangjian_analysis.metrics._frames import with_catalog

from helpers import run_cli, write_catalog
from mini import mini_observations

COUNTY_GRADES = ["优秀", "良好", "一般", "较差"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def county_catalog_text() -> str:
    """The default catalogue with a 20 % bottom share, renamed grades and a renamed group."""
    text = default_catalog_text()
    for old, new in zip(["好", "较好", "一般", "差"], COUNTY_GRADES):
        assert f'{{ grade = "{old}", min' in text
        text = text.replace(f'{{ grade = "{old}", min', f'{{ grade = "{new}", min', 1)
    text, n = re.subn(r"(\[bottom\]\s*\nshare = )0\.10", r"\g<1>0.20", text)
    assert n == 1
    return text.replace('name = "作风建设"', 'name = "作风纪律建设"', 1)


pytestmark = pytest.mark.usefixtures("quiet")


@pytest.fixture(scope="module")
def county_path(tmp_path_factory):
    return write_catalog(tmp_path_factory.mktemp("county"), county_catalog_text())


@pytest.fixture(scope="module")
def county_ds(county_path):
    return dj.load(dj.sample_path(), catalog=county_path)          # a path, not a Catalog


@pytest.fixture(scope="module")
def county_scores(county_ds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return with_catalog(dj.score_composite(county_ds), county_ds.catalog)


# -- 1. the county's catalogue flows through -------------------------------------------------

def test_load_takes_a_catalogue_path(county_ds):
    assert county_ds.catalog.bottom_share == 0.20
    assert list(county_ds.catalog.grade_bands["grade"]) == COUNTY_GRADES


def test_bottom_share_and_grades_come_from_the_scores_table(county_ds, county_scores):
    towns = dj.flag_bottom(county_scores, level="township")
    assert (towns.groupby("year").size() == 2).all()               # ceil(0.20 × 10) = 2, not ceil(0.10 × 10) = 1
    lowest = county_scores.query("group == 'overall'").sort_values(["year", "score"]).groupby("year").head(2)
    assert sorted(zip(towns["year"], towns["unit_id"])) == sorted(zip(lowest["year"], lowest["unit_id"]))
    assert set(towns["grade"]) <= set(COUNTY_GRADES)
    assert towns.attrs["catalog"] is county_ds.catalog
    villages = dj.flag_bottom(county_ds)
    assert (villages.groupby("year").size() == 26).all()            # ceil(0.20 × 127) = 26 (13 by default)
    assert set(villages["grade"]) <= set(COUNTY_GRADES)
    bands = dj.classify_two_ends(county_scores)
    assert (bands.groupby(["year", "band"]).size().unstack()[["top", "bottom"]] == 2).all().all()
    assert bands.attrs["catalog"] is county_ds.catalog


def test_grade_transitions_use_the_county_grades(county_ds, county_scores):
    t = dj.grade_transitions(county_scores, 2014, 2015)
    assert list(t.matrix.index) == COUNTY_GRADES and list(t.matrix.columns) == COUNTY_GRADES
    assert t.matrix.to_numpy().sum() == 10
    o = county_scores.query("group == 'overall'").pivot(index="unit_id", columns="year", values="grade")
    rank = {g: i for i, g in enumerate(COUNTY_GRADES)}
    up = sum(rank[a] > rank[b] for a, b in zip(o[2014], o[2015]))
    assert t.counts["up"] == up
    assert t.units.attrs["catalog"] is county_ds.catalog


def test_every_table_carries_its_catalogue(county_ds, county_scores):
    cat = county_ds.catalog
    tables = [dj.year_over_year(county_scores), dj.most_improved(county_scores),
              dj.growth(county_scores.query("group == 'overall'"), value="score"),
              dj.target_attainment(county_ds), dj.target_attainment(county_ds, by="township"),
              dj.listing_reasons(county_ds), dj.ledger_status(county_ds), dj.link_coverage(county_ds)]
    for table in tables:
        assert table.attrs["catalog"] is cat
    assert dj.year_over_year(county_scores).query("group == 'overall'")["year"].min() == 2012


# -- 2. what is not there is a Chinese ValueError; names resolve through aliases --------------

def _ledger():
    d = pd.to_datetime
    return pd.DataFrame({"township": ["东山", "东山镇"], "item_id": ["1", "2"], "opened": d(["2015-01-01"] * 2),
                         "due": d(["2015-02-01"] * 2), "closed": d(["2015-01-15", None])})


def test_aliases_resolve_in_conduct(catalog):
    s = dj.ledger_status(_ledger(), as_of="2015-06-30").set_index("township")
    assert list(s.index) == ["东山镇"] and s.loc["东山镇", "items"] == 2 and s.loc["东山镇", "overdue"] == 1
    links = pd.DataFrame({"leader_team": ["甲组", "乙组"], "township": ["东山", "东山镇"], "village": ["联家", "联家村"],
                          "year": 2015, "households_visited": [10, 5]})
    cov = dj.link_coverage(links, catalog).set_index("township").loc["东山镇"]
    assert (cov["linked"], cov["teams"], cov["households_visited"]) == (1, 2, 15)   # 联家 is 联家村: one village


def _bad_calls(scores, ds, cat):
    obs = mini_observations()
    ledger = _ledger()
    links = pd.DataFrame({"leader_team": ["甲组"], "township": ["东山镇"], "village": ["火星村"], "year": 2015,
                          "households_visited": [1]})
    return {
        "flag_bottom share": lambda: dj.flag_bottom(scores, share=1.5),
        "flag_bottom share text": lambda: dj.flag_bottom(scores, share="10%"),
        "flag_bottom level": lambda: dj.flag_bottom(scores, level="county"),
        "flag_bottom table": lambda: dj.flag_bottom(scores.drop(columns="score")),
        "flag_bottom list": lambda: dj.flag_bottom([1, 2, 3]),
        "classify_two_ends share": lambda: dj.classify_two_ends(scores, share=0),
        "listing_reasons": lambda: dj.listing_reasons("data/sample"),
        "grade_transitions year": lambda: dj.grade_transitions(scores, 2015, 2016),
        "grade_transitions text year": lambda: dj.grade_transitions(scores, "去年", 2015),
        "grade_transitions grades": lambda: dj.grade_transitions(scores, 2014, 2015, grades=["A", "B"]),
        "grade_transitions group": lambda: dj.grade_transitions(scores, 2014, 2015, group="火星工程"),
        "most_improved year": lambda: dj.most_improved(scores, 2011),
        "most_improved n": lambda: dj.most_improved(scores, n=-1),
        "year_over_year value": lambda: dj.year_over_year(scores, value="points"),
        "year_over_year by": lambda: dj.year_over_year(scores, by="county"),
        "growth text values": lambda: dj.growth(scores, value="grade"),
        "target_attainment by": lambda: dj.target_attainment(obs, cat, by="village"),
        "target_attainment data": lambda: dj.target_attainment(42),
        "ledger_status as_of": lambda: dj.ledger_status(ledger, as_of="昨天"),
        "ledger_status township": lambda: dj.ledger_status(ledger.assign(township="火星镇")),
        "ledger_status columns": lambda: dj.ledger_status(ledger.drop(columns="due")),
        "link_coverage village": lambda: dj.link_coverage(links),
        "load list of numbers": lambda: dj.load([1, 2]),
        "load catalog": lambda: dj.load(dj.sample_path(), catalog=3),
    }


def test_no_key_or_type_error_escapes(county_scores, county_ds, cat):
    for name, call in _bad_calls(county_scores, county_ds, cat).items():
        with pytest.raises(ValueError) as info:
            call()
        assert CHINESE.search(str(info.value)), name


def test_missing_years_list_what_is_there(county_scores):
    with pytest.raises(ValueError, match="没有年度 2016；有：2012、2013、2014、2015"):
        dj.grade_transitions(county_scores, 2015, 2016)
    with pytest.raises(ValueError, match="没有分组“火星工程”；有：.*作风纪律建设（conduct）"):
        dj.most_improved(county_scores, group="火星工程")
    with pytest.raises(ValueError, match="不在等次列表"):
        dj.grade_transitions(county_scores, 2014, 2015, grades=["好", "较好", "一般", "差"])
    # a group by its Chinese name, a year as text
    by_name = dj.most_improved(county_scores, "2012", 2015, group="作风纪律建设", n=None)
    by_id = dj.most_improved(county_scores, 2012, 2015, group="conduct", n=None)
    pd.testing.assert_frame_equal(by_name, by_id)


def test_load_takes_a_list(sample_dir):
    a, b = sample_dir / "东山镇.xlsx", sample_dir / "西河乡.xlsx"
    listed, spread = dj.load([a, b]), dj.load(a, b)
    pd.testing.assert_frame_equal(listed.observations, spread.observations)
    assert listed.files["file"].tolist() == [str(a), str(b)]


# -- 3. flag_bottom says when a listing rests on incomplete data ------------------------------

def _village_scores(rows):
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "township", "year", "score"]).assign(
        group="overall", rank=1, grade="差")


def test_listing_on_missing_required_indicators_is_marked(cat, monkeypatch):
    monkeypatch.setattr(rectify, "_provisional_townships", lambda data, cat: None)
    # 2021: the villages report only 党员 (members): 经费 and 年龄 (required, scored) are missing
    scores = _village_scores([
        ("T1V01", "一村", "甲镇", 2020, 80), ("T1V02", "二村", "甲镇", 2020, 70), ("T1V03", "三村", "甲镇", 2020, 60),
        ("T2V01", "四村", "乙乡", 2020, 50), ("T2V02", "五村", "乙乡", 2020, 40),
        ("T1V01", "一村", "甲镇", 2021, 70), ("T1V02", "二村", "甲镇", 2021, 60), ("T1V03", "三村", "甲镇", 2021, 10),
        ("T2V01", "四村", "乙乡", 2021, 20), ("T2V02", "五村", "乙乡", 2021, 30)])
    low = dj.flag_bottom(scores, share=0.5, data=mini_observations(), catalog=cat)
    # ceil(0.5 × 5) = 3 a year: 2020 三村, 四村, 五村; 2021 三村, 四村, 五村
    assert low.groupby("year")["unit_name"].apply(sorted).to_dict() == {2020: ["三村", "五村", "四村"],
                                                                        2021: ["三村", "五村", "四村"]}
    by_year = low.set_index(["year", "unit_name"])
    assert not by_year.loc[2020, "provisional"].any() and (by_year.loc[2020, "incomplete_reason"] == "").all()
    assert by_year.loc[2021, "provisional"].all()
    assert (by_year.loc[2021, "incomplete_reason"] == "缺少必报指标：经费、年龄").all()


def test_listing_in_a_provisional_township_year_is_marked(cat, monkeypatch):
    def towns(data, catalog, level="township"):     # what score_composite reports with provisional results
        return pd.DataFrame({"unit_id": ["T1", "T2"], "unit_name": ["甲镇", "乙乡"], "year": 2020,
                             "group": "overall", "score": [60.0, 50.0], "provisional": [False, True],
                             "provisional_reason": ["", "村级数据覆盖 50%（1/2 个村）"]})

    monkeypatch.setattr("dangjian_analysis.metrics.scoring.score_composite", towns)
    scores = _village_scores([("T1V01", "一村", "甲镇", 2020, 80), ("T1V02", "二村", "甲镇", 2020, 30),
                              ("T2V01", "四村", "乙乡", 2020, 40), ("T2V02", "五村", "乙乡", 2020, 90)])
    obs = mini_observations().query("year == 2020")
    low = dj.flag_bottom(scores, share=0.5, data=obs, catalog=cat).set_index("unit_name")
    assert list(low.index) == ["二村", "四村"]                       # ceil(0.5 × 4) = 2: 30 and 40
    assert not low.loc["二村", "provisional"] and low.loc["四村", "provisional"]
    assert low.loc["四村", "incomplete_reason"] == "所在乡镇本年度结果待核实（村级数据覆盖 50%（1/2 个村））"


def test_provisional_rows_of_the_scores_table_are_marked(cat):
    scores = pd.DataFrame({"unit_id": ["T1", "T2", "T3", "T4"], "unit_name": ["甲镇", "乙乡", "丙镇", "丁乡"],
                           "township": ["甲镇", "乙乡", "丙镇", "丁乡"], "year": 2020, "group": "overall",
                           "score": [90.0, 80.0, 70.0, 60.0], "rank": [1, 2, 3, 4], "grade": "一般",
                           "provisional": [False, False, False, True],
                           "provisional_reason": ["", "", "", "有 12 个单元格被拒收"]})
    low = dj.flag_bottom(scores, share=0.25, level="township", catalog=cat)
    assert low["unit_name"].tolist() == ["丁乡"]
    assert bool(low["provisional"].iloc[0]) and low["incomplete_reason"].iloc[0] == "有 12 个单元格被拒收"
    unknown = dj.flag_bottom(scores.drop(columns=["provisional", "provisional_reason"]), share=0.25,
                             level="township", catalog=cat)
    assert unknown["provisional"].isna().all() and "无法核对" in unknown["incomplete_reason"].iloc[0]
    bands = dj.classify_two_ends(scores, share=0.25, catalog=cat).set_index("unit_name")
    assert bands.loc["丁乡", "band"] == "bottom" and bool(bands.loc["丁乡", "provisional"])


def test_scores_equal_on_paper_tie_at_the_cut(cat):
    # 0.1 + 0.2 is 0.30000000000000004 in floating point: on paper both units score 0.3 and tie
    scores = _village_scores([("A", "甲", "", 2020, 0.1 + 0.2), ("B", "乙", "", 2020, 0.3),
                              ("C", "丙", "", 2020, 5.0), ("D", "丁", "", 2020, 9.0)])
    assert sorted(dj.flag_bottom(scores, share=0.25, catalog=cat)["unit_id"]) == ["A", "B"]
    bands = dj.classify_two_ends(scores, share=0.25, catalog=cat).set_index("unit_id")["band"]
    assert bands[["A", "B"]].tolist() == ["bottom", "bottom"]


def test_trends_say_which_results_rest_on_provisional_years():
    scores = pd.DataFrame({"unit_id": ["A"] * 3 + ["B"] * 3, "unit_name": ["甲"] * 3 + ["乙"] * 3,
                           "year": [2013, 2014, 2015] * 2, "group": "overall",
                           "score": [60.0, 70, 80, 50, 55, 65], "rank": [1, 1, 1, 2, 2, 2],
                           "grade": ["一般", "一般", "较好", "差", "差", "一般"],
                           "provisional": [False, True, False, False, False, False]})
    yoy = dj.year_over_year(scores).set_index(["unit_id", "year"])["provisional"]
    assert yoy.to_dict() == {("A", 2013): False, ("A", 2014): True, ("A", 2015): True,   # 2015 vs provisional 2014
                             ("B", 2013): False, ("B", 2014): False, ("B", 2015): False}
    units = dj.grade_transitions(scores, 2014, 2015).units.set_index("unit_id")
    assert units["provisional"].to_dict() == {"A": True, "B": False}
    assert dj.most_improved(scores, 2013, 2015).set_index("unit_id")["provisional"].to_dict() == \
        {"A": False, "B": False}


# -- 5. the CLI says when it uses the fictional sample ------------------------------------------

NOTICE = "未指定数据，使用自带的虚构示例县"


@pytest.mark.parametrize("args", [("rank", "--year", "1999"), ("charts", "--year", "1999")])
def test_cli_says_it_uses_the_sample(args, sample_dir, tmp_path):
    result = run_cli(*args, "--out", str(tmp_path / "out")) if args[0] == "charts" else run_cli(*args)
    lines = [line for line in result.stderr.splitlines() if NOTICE in line]
    assert len(lines) == 1 and "data/sample" in lines[0], result.stderr
    given = run_cli(args[0], str(sample_dir), *args[1:])
    assert NOTICE not in given.stderr


def test_cli_report_says_it_uses_the_sample(tmp_path):
    result = run_cli("report", "--year", "1999", "--out", str(tmp_path / "report"))
    assert result.returncode == 1 and "没有 1999 年度" in result.stderr
    assert sum(NOTICE in line for line in result.stderr.splitlines()) == 1
    assert NOTICE in result.stderr.splitlines()[0]                           # said first, before any step
