"""述职评议 rules on hand-counted ballots: exact thresholds, the 好 cap (base, rounding, ties, 待定),
the catalogue keys that configure it, and the catalogue a result carries."""

from __future__ import annotations


import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import CatalogError, load_catalog
from dangjian_analysis.metrics.review import _limit

from helpers import write_catalog

TOWN = ["赵立新", "钱文华", "孙建平", "李晓东", "周志强", "吴春梅"]        # 乡镇党委书记
COUNTY = ["褚明远", "卫红霞", "蒋德胜"]                                   # 县直党（工）委书记


pytestmark = pytest.mark.usefixtures("quiet")


def ballots(spec: dict, catalog, year: int = 2015) -> pd.DataFrame:
    """``{secretary: {rater_group: {rating: count}}}`` (or ``{secretary: {rating: count}}`` for
    county leaders only) as the long ballot table."""
    units = dict(zip(catalog.secretaries["name"], catalog.secretaries["unit"]))
    rows = []
    for sec, tallies in spec.items():
        if not isinstance(next(iter(tallies.values())), dict):
            tallies = {"county_leaders": tallies}
        for group, tally in tallies.items():
            rows += [{"year": year, "secretary": sec, "unit_name": units[sec], "rater_group": group,
                      "item": "总体评价", "rating": r, "count": n} for r, n in tally.items()]
    return pd.DataFrame(rows)


def overall(out: pd.DataFrame) -> pd.DataFrame:
    return out[out["rater_group"] == "overall"].set_index("secretary")


def with_review(catalog_text: str, tmp_path, **keys):
    """The default catalogue with ``[review]`` keys set (TOML values written as given)."""
    lines = "".join(f"{k} = {v}\n" for k, v in keys.items())
    text = catalog_text.replace('top_grade_cap = "1/3"\n', f'top_grade_cap = "1/3"\n{lines}', 1)
    for k in keys:                                        # drop the default line of a key set here
        default = next((ln for ln in catalog_text.splitlines() if ln.startswith(f"{k} = ")), None)
        if default:
            text = text.replace(default + "\n", "", 1)
    return load_catalog(write_catalog(tmp_path, text))


# -- thresholds are exact ----------------------------------------------------------------------

def test_a_score_of_exactly_90_on_paper_is_good(catalog):
    # committee members (0.20): 3 好 → 100; deputies (0.10): 1 较好 + 1 一般 → 70;
    # score = (0.20·100 + 0.10·70)/(0.20 + 0.10) = 27/0.3 = 90 exactly; 好票率 3/5 = 60 %, 差评率 0
    spec = {"赵立新": {"committee_depts": {"好": 3}, "deputies": {"较好": 1, "一般": 1}}}
    row = overall(dj.review(ballots(spec, catalog), catalog)).loc["赵立新"]
    assert row["score"] < 90                                # 89.99999999999999 in floating point …
    assert row["score"] == pytest.approx(90, abs=1e-12)
    assert row["grade"] == "好"                             # … but 90 on paper: 好 (and n = 1 still allows one 好)


def test_a_score_of_exactly_60_on_paper_is_not_poor(catalog):
    # county leaders (0.30) and secretaries (0.25) all rate 一般: score = 60 exactly on paper
    spec = {"赵立新": {"county_leaders": {"一般": 2}, "secretaries": {"一般": 3}}}
    row = overall(dj.review(ballots(spec, catalog), catalog)).loc["赵立新"]
    assert row["score"] < 60 and row["score"] == pytest.approx(60, abs=1e-12)
    assert row["grade"] == "一般"                           # score < 60 does not hold: not 差


def test_a_bad_rate_of_exactly_one_third_is_poor(catalog):
    spec = {"赵立新": {"好": 2, "差": 1}}                      # 差评率 1/3 ≥ 1/3 → 差
    assert overall(dj.review(ballots(spec, catalog), catalog)).loc["赵立新", "grade"] == "差"


def test_equal_scores_share_a_rank(catalog):
    spec = {"赵立新": {"committee_depts": {"好": 3}, "deputies": {"较好": 1, "一般": 1}},   # 89.99999999999999
            "钱文华": {"好": 1, "较好": 1}}                                               # (100 + 80)/2 = 90
    o = overall(dj.review(ballots(spec, catalog), catalog))
    assert o.loc["赵立新", "score"] != o.loc["钱文华", "score"]
    assert o["rank"].tolist() == [1, 1]


# -- the 好 cap: rounding ---------------------------------------------------------------------

@pytest.mark.parametrize("cap, n, rounding, limit", [
    (1 / 3, 19, "floor", 6), (1 / 3, 9, "floor", 3), (1 / 3, 3, "floor", 1),
    (1 / 3, 2, "floor", 1), (1 / 3, 1, "floor", 1),       # floor gives 0: at least one 好 when cap > 0
    (0.3, 10, "floor", 3), (0.7, 10, "ceil", 7),          # 0.7 × 10 = 7.000000000000001: still 7
    (1 / 3, 10, "ceil", 4), (1 / 3, 10, "round", 3), (0.25, 10, "round", 3), (0.25, 2, "round", 1),
    (1 / 3, 0, "floor", 0), (0.0, 5, "floor", 0), (1.0, 4, "ceil", 4),
])
def test_cap_limit_by_hand(cap, n, rounding, limit):
    assert _limit(cap, n, rounding) == limit


def test_two_secretaries_may_still_have_one_good(catalog):
    spec = {"赵立新": {"好": 10}, "钱文华": {"好": 9, "较好": 1}}   # both qualify; floor(2/3) = 0 → 1
    o = overall(dj.review(ballots(spec, catalog), catalog))
    assert o.loc["赵立新", "grade"] == "好" and o.loc["钱文华", "grade"] == "较好"
    assert "名额 1 名" in o.loc["钱文华", "grade_note"] and "向下取整" in o.loc["钱文华", "grade_note"]


# -- the 好 cap: base ------------------------------------------------------------------------

def _six_good(catalog):
    # three township and three county secretaries, all qualifying for 好, scores 100 … 90
    counts = [{"好": 10}, {"好": 9, "较好": 1}, {"好": 8, "较好": 2}, {"好": 7, "较好": 3}, {"好": 6, "较好": 4},
              {"好": 6, "较好": 3, "一般": 1}]
    names = ["赵立新", "褚明远", "钱文华", "卫红霞", "孙建平", "蒋德胜"]   # scores 100, 98, 96, 94, 92, 90
    return ballots(dict(zip(names, counts)), catalog)


def test_cap_over_all_secretaries(catalog):
    o = overall(dj.review(_six_good(catalog), catalog))    # default base "all": floor(6/3) = 2
    assert sorted(o.index[o["grade"] == "好"]) == sorted(["赵立新", "褚明远"])
    assert (o["grade"] != "好").sum() == 4 and set(o.loc[o["grade"] != "好", "grade"]) == {"较好"}


def test_cap_per_secretary_type(catalog_text, tmp_path):
    cat = with_review(catalog_text, tmp_path, top_grade_cap_base='"type"')
    assert cat.review.cap_base == "type"
    o = overall(dj.review(_six_good(cat), cat))            # floor(3/3) = 1 of each type
    assert sorted(o.index[o["grade"] == "好"]) == sorted(["赵立新", "褚明远"])
    o = overall(dj.review(_six_good(cat).query("secretary != '褚明远'"), cat))
    # without 褚明远 the county type has two (floor(2/3) = 0 → at least 1): 卫红霞 (94) is its 好
    assert sorted(o.index[o["grade"] == "好"]) == sorted(["赵立新", "卫红霞"])
    assert "本类别参评书记 2 人" in o.loc["蒋德胜", "grade_note"]


# -- the 好 cap: ties -------------------------------------------------------------------------

def test_equal_score_decided_by_top_rate_then_bad_rate(catalog):
    spec = {
        "赵立新": {"好": 8, "较好": 1, "一般": 1},        # 94, 好票率 80 %
        "钱文华": {"好": 7, "较好": 3},                  # 94, 好票率 70 %
        "孙建平": {"好": 6, "较好": 4},                  # 92
    }
    o = overall(dj.review(ballots(spec, catalog), catalog))   # floor(3/3) = 1
    assert o["grade"].to_dict() == {"赵立新": "好", "钱文华": "较好", "孙建平": "较好"}
    assert "加权得分、好票率、差评率" in o.loc["钱文华", "grade_note"]
    spec = {
        "钱文华": {"好": 32, "一般": 8},                  # 3680/40 = 92, 好票率 80 %, 差评率 0
        "赵立新": {"好": 32, "较好": 1, "一般": 6, "差": 1},  # (3200 + 80 + 360 + 40)/40 = 92, 好票率 80 %, 差评率 2.5 %
        "孙建平": {"好": 6, "较好": 4},                  # 92 too, 好票率 60 %
    }
    o = overall(dj.review(ballots(spec, catalog), catalog))
    assert o["score"].round(9).nunique() == 1
    assert o["grade"].to_dict() == {"钱文华": "好", "赵立新": "较好", "孙建平": "较好"}


def test_units_still_tied_are_undecided_not_decided_by_name(catalog):
    tie = {"好": 7, "较好": 3}                              # 94, 好票率 70 %, 差评率 0 — three times
    spec = {"赵立新": {"好": 10}, "钱文华": tie, "孙建平": dict(tie), "李晓东": dict(tie),
            "周志强": {"好": 6, "较好": 3, "一般": 1}, "吴春梅": {"一般": 10}}
    o = overall(dj.review(ballots(spec, catalog), catalog))    # floor(6/3) = 2: one place for three
    assert o.loc["赵立新", "grade"] == "好"
    assert o.loc[["钱文华", "孙建平", "李晓东"], "grade"].tolist() == ["待定"] * 3
    note = o.loc["孙建平", "grade_note"]
    assert "钱文华" in note and "李晓东" in note and "3 人并列争 1 个名额" in note and "评议委员会" in note
    assert o.loc["周志强", "grade"] == "较好" and o.loc["吴春梅", "grade"] == "一般"
    # reversing the order of the names (and of the rows) changes nothing
    renamed = dict(zip(["钱文华", "孙建平", "李晓东"], ["李晓东", "钱文华", "孙建平"]))
    again = overall(dj.review(ballots({renamed.get(k, k): v for k, v in reversed(spec.items())}, catalog), catalog))
    assert again["grade"].sort_index().tolist() == o["grade"].sort_index().tolist()


def test_a_tie_inside_the_quota_keeps_the_grade(catalog):
    tie = {"好": 7, "较好": 3}
    spec = {"赵立新": tie, "钱文华": dict(tie), "孙建平": {"好": 6, "较好": 4}, "李晓东": {"一般": 10},
            "周志强": {"一般": 10}, "吴春梅": {"一般": 10}}
    o = overall(dj.review(ballots(spec, catalog), catalog))    # limit 2: both tied units fit
    assert o.loc[["赵立新", "钱文华"], "grade"].tolist() == ["好", "好"] and o.loc["孙建平", "grade"] == "较好"


def test_tie_break_order_and_undecided_label_are_configurable(catalog_text, tmp_path):
    cat = with_review(catalog_text, tmp_path, top_grade_tie_break='["top_rate", "score"]',
                      top_grade_undecided='"提交常委会"')
    spec = {"赵立新": {"好": 7, "较好": 3},               # 94, 好票率 70 %
            "钱文华": {"好": 7, "一般": 3},               # 88 → 较好 by the rules, not a candidate
            "孙建平": {"好": 8, "一般": 2},               # 92, 好票率 80 %: first when 好票率 comes first
            }
    o = overall(dj.review(ballots(spec, cat), cat))
    assert o.loc["孙建平", "grade"] == "好" and o.loc["赵立新", "grade"] == "较好"
    spec = {"赵立新": {"好": 10}, "孙建平": {"好": 10}, "钱文华": {"一般": 10}}
    o = overall(dj.review(ballots(spec, cat), cat))
    assert o.loc[["赵立新", "孙建平"], "grade"].tolist() == ["提交常委会"] * 2
    cat = with_review(catalog_text, tmp_path, top_grade_tie_break="[]")
    spec = {"赵立新": {"好": 10}, "孙建平": {"好": 9, "较好": 1}, "钱文华": {"一般": 10}}
    o = overall(dj.review(ballots(spec, cat), cat))        # no criteria: the committee decides
    assert o.loc[["赵立新", "孙建平"], "grade"].tolist() == ["待定"] * 2


# -- the catalogue keys ------------------------------------------------------------------------

def test_cap_keys_have_defaults(catalog):
    r = catalog.review
    assert (r.top_grade_cap, r.cap_base, r.cap_rounding) == (pytest.approx(1 / 3), "all", "floor")
    assert r.tie_break == ("score", "top_rate", "bad_rate") and r.undecided == "待定"


@pytest.mark.parametrize("keys, fragment", [
    ({"top_grade_cap_base": '"county"'}, "review.top_grade_cap_base"),
    ({"top_grade_cap_base": "1"}, "review.top_grade_cap_base"),
    ({"top_grade_cap_rounding": '"up"'}, "review.top_grade_cap_rounding"),
    ({"top_grade_tie_break": '["score", "votes"]'}, r"review.top_grade_tie_break\[1\]"),
    ({"top_grade_tie_break": '["score", "score"]'}, "review.top_grade_tie_break.*重复"),
    ({"top_grade_tie_break": '"score"'}, "review.top_grade_tie_break"),
    ({"top_grade_undecided": '"好"'}, "review.top_grade_undecided"),
    ({"top_grade_undecided": '""'}, "review.top_grade_undecided"),
    ({"top_grade_cap_basis": '"all"'}, "review.top_grade_cap_basis.*未知的键"),
])
def test_cap_keys_are_checked_on_load(catalog_text, tmp_path, keys, fragment):
    with pytest.raises(CatalogError, match=fragment):
        with_review(catalog_text, tmp_path, **keys)


# -- results carry their catalogue; what is not in the data is an error --------------------------

def test_review_and_annual_carry_and_use_their_catalogue(catalog_text, tmp_path, catalog):
    text = catalog_text.replace("routine = 0.5\nreview = 0.3\nsatisfaction = 0.2", "routine = 0.2\nreview = 0.8\n"
                                "satisfaction = 0.0")
    cat = load_catalog(write_catalog(tmp_path, text))
    rev = dj.review(ballots({"赵立新": {"好": 1, "较好": 1}}, cat), cat)
    assert rev.attrs["catalog"] is cat
    routine = pd.DataFrame({"unit_name": ["东山镇"], "year": [2015], "group": ["overall"], "score": [70.0]})
    out = dj.annual_assessment(routine, rev)               # no catalog=: the review table's
    assert out.attrs["catalog"] is cat
    assert out.loc[0, "annual"] == pytest.approx((0.2 * 70 + 0.8 * 90) / 1.0)
    other = dj.review(ballots({"赵立新": {"好": 1, "较好": 1}}, catalog), catalog)
    assert dj.annual_assessment(routine, other).loc[0, "annual"] == pytest.approx((0.5 * 70 + 0.3 * 90) / 0.8)
    tagged = routine.copy()
    tagged.attrs["catalog"] = catalog                      # routine scored with the default catalogue
    with pytest.raises(ValueError, match="不是用同一指标体系"):
        dj.annual_assessment(tagged, rev)


def test_annual_grade_and_rank_use_settled_scores(catalog):
    # review 89.99999999999999 (= 90 on paper) with no routine part: annual = 90 → 好 band, shared rank
    spec = {"赵立新": {"committee_depts": {"好": 3}, "deputies": {"较好": 1, "一般": 1}},
            "钱文华": {"好": 1, "较好": 1}}
    rev = dj.review(ballots(spec, catalog), catalog)
    routine = pd.DataFrame({"unit_name": ["北塘镇"], "year": [2015], "score": [50.0]})
    out = dj.annual_assessment(routine, rev).set_index("secretary")
    assert out["grade"].tolist() == ["好", "好"] and out["rank"].tolist() == [1, 1]


def test_what_is_not_in_the_data_is_a_chinese_error(catalog):
    b = ballots({"赵立新": {"好": 1}}, catalog)
    with pytest.raises(ValueError, match="没有评议项目 作风建设.*有：总体评价"):
        dj.review(b, catalog, item="作风建设")
    with pytest.raises(ValueError, match="缺少列 count"):
        dj.review(b.drop(columns="count"), catalog)
    rev = dj.review(b, catalog)
    with pytest.raises(ValueError, match="缺少列 score"):
        dj.annual_assessment(pd.DataFrame({"unit_name": ["东山镇"], "year": [2015]}), rev)
