"""Annual results by the 考核细则: quotas per class with floors, roundings, ties, vetoes, gates,
待核实, 结果运用 and the 整改清单 — each case worked by hand in the test."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from annual_case import (COUNTY, DEPT, NO_REVIEW, TOWN, TOWNS, catalog_with, dataset, entry, lost, routines,
                         rubric)
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.metrics.annual import assessment_breakdown, assessment_results, rectification_list

BASE = load_catalog()
#: Rubric totals: 5 township units, 3 县直 units.
TOTALS = {"东山镇党委": 96, "西河乡党委": 93, "南岭镇党委": 91, "北塘镇党委": 88, "青石乡党委": 70,
          "县直机关工委": 92, "县教育工委": 85, "县卫生系统党委": 50}


def results(rows, reviewed=NO_REVIEW, **changes):
    cat = catalog_with(BASE, rubric(**changes))
    return assessment_results(dataset(cat, rows), reviewed=reviewed).set_index("unit")


def test_quota_per_class_with_a_floor_bands_ranks_and_consequences():
    got = results(routines(TOTALS))
    # no 述职评议 and no 满意度: annual = routine. 乡镇: 5 × 1/3 = 1.67, floor → 1 好; three reach 90
    # (band 好), the 2nd and 3rd fall to 较好. 县直 counted apart: 3 × 1/3 = 1 → 92 好.
    assert got["annual"].tolist() == [96, 93, 91, 88, 70, 92, 85, 50]
    assert got["parts"].unique().tolist() == ["日常考核"]
    assert got["band"].tolist() == ["好", "好", "好", "较好", "一般", "好", "较好", "差"]
    assert got["grade"].tolist() == ["好", "较好", "较好", "较好", "一般", "好", "较好", "差"]
    assert got["rank"].tolist() == [1, 2, 3, 4, 5, 1, 2, 3]
    assert got.loc["西河乡党委", "grade_note"] == ("“好”名额 1 名（本类别 5 个单位 × 1/3，向下取整，至少 1 名）已满："
                                                "按综合得分依次比较排第 2 位，评为“较好”")
    assert got.loc["北塘镇党委", "grade_note"] == ""
    assert got["consequence"].tolist() == ["通报表扬", "", "", "", "", "通报表扬", "", "通报批评，约谈党组织书记"]
    assert got["rectify_days"].isna().tolist() == [True] * 7 + [False]
    assert got.loc["县卫生系统党委", "rectify_days"] == 30
    assert got.loc["东山镇党委", ["secretary", "class"]].tolist() == ["赵立新", TOWN]


@pytest.mark.parametrize("quota, rounding, n_top", [
    ("1/4", "floor", 1), ("1/4", "round", 1), ("1/4", "ceil", 2),      # 5 × 1/4 = 1.25
    (0.5, "floor", 2), (0.5, "round", 3), (0.5, "ceil", 3),            # 2.5: round half up
    ("1/10", "floor", 1),                                              # 0.5 → 0, but at least 1
])
def test_quota_rounding(quota, rounding, n_top):
    grades = [{"grade": "好", "min": 90, "quota": quota}, {"grade": "较好", "min": 80}, {"grade": "差"}]
    got = results(routines(dict(zip(TOWNS, [96, 95, 94, 93, 92]))), grades=grades, quota_rounding=rounding)
    assert got.loc[TOWNS, "grade"].tolist() == ["好"] * n_top + ["较好"] * (5 - n_top)


def test_quota_over_all_units():
    # 8 units × 1/3 = 2.67 → 2 好 over both classes: 96 and 93; 县直机关工委 (92) is 3rd
    got = results(routines(TOTALS), quota_base="all")
    assert got["grade"].tolist() == ["好", "好", "较好", "较好", "一般", "较好", "较好", "差"]
    assert got.loc["县直机关工委", "grade_note"].startswith("“好”名额 2 名（当年全部 8 个单位 × 1/3，向下取整，至少 1 名）已满："
                                                         "按综合得分依次比较排第 3 位")
    assert got["rank"].tolist() == [1, 2, 3, 4, 5, 1, 2, 3]              # ranks stay within class


def test_a_tie_across_the_cut_is_undecided_for_the_committee():
    got = results(routines({**TOTALS, "东山镇党委": 93}))
    assert got.loc[TOWNS, "grade"].tolist() == ["待定", "待定", "较好", "较好", "一般"]
    assert got.loc["东山镇党委", "grade_note"] == ("“好”名额 1 名（本类别 5 个单位 × 1/3，向下取整，至少 1 名）：与西河乡党委在"
                                                "综合得分上完全相同，2 个单位并列争 1 个名额，待考核委员会确定")
    assert "与东山镇党委在综合得分上完全相同" in got.loc["西河乡党委", "grade_note"]
    assert got.loc["南岭镇党委", "grade_note"].endswith("排第 3 位，评为“较好”")
    assert got.loc[["东山镇党委", "西河乡党委"], "rank"].tolist() == [1, 1]
    assert got.loc[["东山镇党委", "西河乡党委"], "consequence"].tolist() == ["", ""]


def test_a_tie_shared_exceeds_the_quota_and_says_so():
    got = results(routines({**TOTALS, "东山镇党委": 93}), ties="share")
    assert got.loc[TOWNS, "grade"].tolist() == ["好", "好", "较好", "较好", "一般"]
    assert got.loc["西河乡党委", "grade_note"].endswith("与东山镇党委在综合得分上完全相同，名次并列，均评为“好”，超出名额 1 名")


@pytest.mark.parametrize("decimals, grades", [(0, ["待定", "待定"]), (2, ["好", "较好"])])
def test_scores_tie_after_rounding_to_the_decimals(decimals, grades):
    # 93.25 and 92.75 are both 93 at 0 decimals (a tie), apart at 2
    got = results(routines({**TOTALS, "东山镇党委": 93.25, "西河乡党委": 92.75}), decimals=decimals)
    assert got.loc[["东山镇党委", "西河乡党委"], "grade"].tolist() == grades


def test_tie_break_by_base_before_a_tie_counts():
    # 东山: base 90 + 加分 3 = 93; 西河: base 93: equal totals, 西河 better on 基础分
    rows = [r for u, t in TOTALS.items() if u != "东山镇党委" for r in lost(u, 100 - t)]
    rows += lost("东山镇党委", 10) + entry("东山镇党委", "J01", 3)
    got = results(rows, tie_break=["base"])
    assert got.loc[["东山镇党委", "西河乡党委"], ["base", "bonus", "routine"]].values.tolist() == [[90, 3, 93], [93, 0, 93]]
    assert got.loc[["东山镇党委", "西河乡党委"], "grade"].tolist() == ["较好", "好"]
    assert "按综合得分、基础分依次比较排第 2 位" in got.loc["东山镇党委", "grade_note"]
    # a criterion some candidate lacks (no 述职评议) is not used: the tie stays for the committee
    got = results(rows, tie_break=["review", "base"])
    assert got.loc[["东山镇党委", "西河乡党委"], "grade"].tolist() == ["待定", "待定"]


def test_a_not_top_veto_bars_the_best_grade_and_the_next_unit_takes_the_quota():
    got = results(routines(TOTALS) + entry("东山镇党委", "F01"))
    assert got.loc[TOWNS, "grade"].tolist() == ["较好", "好", "较好", "较好", "一般"]
    assert got.loc["东山镇党委", "band"] == "好"
    assert got.loc["东山镇党委", "grade_note"].startswith("一票否决：F01 严重违纪（不得评为最好等次；台账 1 条（县级汇总.xlsx 加减分台账 C")
    assert got.loc["东山镇党委", "grade_note"].endswith("，至多评为“较好”")
    assert got.loc["东山镇党委", ["eligible", "not_top"]].tolist() == [True, True]


def test_a_disqualified_unit_leaves_the_quota_count():
    grades = [{"grade": "好", "min": 90, "quota": 0.4}, {"grade": "较好", "min": 80}, {"grade": "一般", "min": 60},
              {"grade": "差"}]
    # 5 × 0.4 = 2 好 (96, 93); with 东山 disqualified 4 × 0.4 = 1.6 → 1: 西河 好, 南岭 较好
    assert results(routines(TOTALS), grades=grades).loc[TOWNS[:3], "grade"].tolist() == ["好", "好", "较好"]
    got = results(routines(TOTALS) + entry("东山镇党委", "F02"), grades=grades)
    assert got.loc[TOWNS, "grade"].tolist() == ["取消评选资格", "好", "较好", "较好", "一般"]
    assert "本类别 4 个单位 × 2/5" in got.loc["南岭镇党委", "grade_note"]
    assert not got.loc["东山镇党委", "eligible"]
    assert got.loc["东山镇党委", "grade_note"].startswith("一票否决：F02 弄虚作假（取消评选资格；")


GATE = {"id": "G01", "name": "述职评议得分低于 85 的不得评为好、较好", "when": "review < 85", "best": "一般",
        "classes": [TOWN]}


def _reviewed(scores: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"year": 2016, "secretary": list(scores), "rater_group": "overall", "score": list(scores.values())})


def test_annual_mix_and_a_gate():
    totals = {**TOTALS, "东山镇党委": 96, "西河乡党委": 92, "南岭镇党委": 90, "北塘镇党委": 80, "青石乡党委": 70,
              "县直机关工委": 92}
    reviewed = _reviewed({"赵立新": 80, "钱文华": 92, "李晓东": 90, "周志强": 70, "褚明远": 60})
    rows = routines(totals)
    got = results(rows, reviewed=reviewed, gates=[GATE])
    # weights 50/30/20 over the parts present (no 满意度): (0.5·r + 0.3·v) / 0.8
    # 东山 (48 + 24)/0.8 = 90; 西河 92; 南岭 no review: 90; 北塘 (40 + 27)/0.8 = 83.75; 县直机关工委 (46 + 18)/0.8 = 80
    assert got["annual"].tolist() == pytest.approx([90, 92, 90, 83.75, 70, 80, 85, 50])
    assert got.loc["南岭镇党委", "parts"] == "日常考核" and got.loc["东山镇党委", "parts"] == "日常考核+述职评议"
    # 东山: band 好, review 80 < 85 → at best 一般; 南岭: the gate cannot be tested (待核实), quota: 西河 92 first
    assert got.loc[TOWNS, "grade"].tolist() == ["一般", "好", "较好", "较好", "一般"]
    assert got.loc["东山镇党委", "gates"] == "G01 述职评议得分低于 85 的不得评为好、较好（review = 80，至多评为“一般”）"
    assert got.loc["东山镇党委", "grade_note"] == "门槛 G01 述职评议得分低于 85 的不得评为好、较好：review = 80，至多评为“一般”"
    assert got.loc["南岭镇党委", "grade_note"].startswith("门槛 G01 述职评议得分低于 85 的不得评为好、较好：缺少 review 的数值，"
                                                       "未适用，待核实；“好”名额 1 名")
    # the gate is for 乡镇 only: 县直机关工委 (review 60) is not gated
    assert got.loc["县直机关工委", ["grade", "gates"]].tolist() == ["较好", ""]
    listed = rectification_list(got.reset_index(), assessment_breakdown(dataset(got.attrs["catalog"], rows)))
    gate_rows = listed[listed["problem"].str.startswith("门槛")]
    assert gate_rows[["unit", "problem", "basis", "deadline"]].values.tolist() == [
        ["东山镇党委", "门槛 G01 述职评议得分低于 85 的不得评为好、较好（review = 80，至多评为“一般”）",
         "《测试考核》门槛 G01 述职评议得分低于 85 的不得评为好、较好", ""],
        # a gate that holds is listed even where the band was already no better (青石: 70, 一般)
        ["青石乡党委", "门槛 G01 述职评议得分低于 85 的不得评为好、较好（review = 70，至多评为“一般”）",
         "《测试考核》门槛 G01 述职评议得分低于 85 的不得评为好、较好", ""]]


def test_a_unit_without_data_is_pending_not_scored():
    rows = routines({u: t for u, t in TOTALS.items() if u != "青石乡党委"})
    cat = catalog_with(BASE, rubric())
    ds = dataset(cat, rows)
    broken = assessment_breakdown(ds).query("unit == '青石乡党委'")
    assert broken["pending"].all() and broken["earned"].isna().all()
    assert broken["basis"].iloc[0] == "本年度没有该单位的任何考核数据（加减分台账、考核清单、指标值均无），待核实"
    got = assessment_results(ds, reviewed=NO_REVIEW).set_index("unit")
    row = got.loc["青石乡党委"]
    assert math.isnan(row["routine"]) and math.isnan(row["annual"]) and pd.isna(row["rank"])
    assert row[["band", "grade", "grade_note"]].tolist() == ["", "待核实", "综合得分待核实，等次待核实"]
    # the pending unit is still one of the 5 of its class: 1 好, said to wait for it
    assert got.loc[TOWNS[:4], "grade"].tolist() == ["好", "较好", "较好", "较好"]
    assert "本类别 5 个单位 × 1/3" in got.loc["西河乡党委", "grade_note"]
    assert "另有 1 个单位待核实，名额分配待其核实后确定" in got.loc["西河乡党委", "grade_note"]


def test_rectification_rows():
    rows = routines({**TOTALS, "县卫生系统党委": 52}) + entry("县卫生系统党委", "K01") + entry("东山镇党委", "F01")
    cat = catalog_with(BASE, rubric())
    ds = dataset(cat, rows)
    breakdown = assessment_breakdown(ds)
    got = assessment_results(ds, reviewed=NO_REVIEW, breakdown=breakdown)
    assert got.set_index("unit").loc["县卫生系统党委", ["routine", "grade"]].tolist() == [50, "差"]
    listed = rectification_list(got, breakdown)
    health = listed[listed["unit"] == "县卫生系统党委"]
    k01_cell = 3 + len(rows) - 2                                 # the K01 row's cell, second to last
    assert health["problem"].tolist() == [
        health["problem"].iloc[0], f"K01 通报批评：台账 1 条（县级汇总.xlsx 加减分台账 C{k01_cell}），每条 2 分，扣 2 分",
        "年度考核等次为“差”"]
    assert health["problem"].iloc[0].startswith("A01 日常工作：台账 12 条（") and \
        health["problem"].iloc[0].endswith("严重 4 条各 10 分、一般 8 条各 1 分，应扣 48 分")
    assert health["basis"].tolist() == ["《测试考核》A01 日常工作（100 分）", "《测试考核》直接扣分 K01 通报批评",
                                        "《测试考核》结果运用：通报批评，约谈党组织书记"]
    assert set(health["deadline"]) == {"通报印发之日起 30 日内"}
    assert set(health["owner"]) == {"蒋德胜"} and set(health["measure"]) == {"（由单位填写整改措施）"}
    east = listed[listed["unit"] == "东山镇党委"]
    assert [p.split("：")[0] for p in east["problem"]] == ["A01 日常工作", "F01 严重违纪"]
    assert east["basis"].tolist()[1] == "《测试考核》一票否决 F01 严重违纪" and set(east["deadline"]) == {""}
    assert list(listed.columns) == ["year", "unit", "secretary", "problem", "basis", "measure", "deadline", "owner"]
    assert listed["unit"].drop_duplicates().tolist() == [*TOWNS, *COUNTY]


CLASSED = [{"id": "A01", "name": "共性工作", "points": 60, "rule": {"kind": "per_incident", "deduct": 1}},
           {"id": "T01", "name": "乡镇工作", "points": 40, "classes": [TOWN], "rule": {"kind": "per_incident", "deduct": 2}},
           {"id": "D01", "name": "机关工作", "points": 40, "classes": [DEPT],
            "rule": {"kind": "checklist", "items": ["计划", "总结"], "deduct": 5}}]


def _checks(units, year=2016, done=True):
    return pd.DataFrame([{"year": year, "unit": u, "item": "D01", "check": c, "done": done}
                         for u in units for c in ("计划", "总结")])


def test_items_apply_per_class_and_a_year_without_ledger_is_pending():
    cat = catalog_with(BASE, rubric(items=CLASSED))
    rows = entry("东山镇党委", "T01", 2) + entry("县直机关工委", "A01")
    checks = pd.concat([_checks(COUNTY), _checks(["县直机关工委"], year=2015, done=False)])
    got = assessment_breakdown(dataset(cat, rows, checklist=checks))
    items = got[got["section"] == "item"]
    y16 = items[items["year"] == 2016].set_index(["unit", "item"])["earned"]
    assert y16[("东山镇党委", "A01")] == 60 and y16[("东山镇党委", "T01")] == 36
    assert ("东山镇党委", "D01") not in y16 and ("县直机关工委", "T01") not in y16
    assert y16[("县直机关工委", "A01")] == 59 and y16[("县直机关工委", "D01")] == 40
    # 2015: checklist rows but not one ledger row — the ledger was not entered, so 待核实, not full marks
    y15 = items[(items["year"] == 2015) & (items["unit"] == "县直机关工委")].set_index("item")
    assert y15.loc["A01", "basis"] == "未提供加减分台账，待核实" and y15.loc["A01", "pending"]
    assert y15.loc["D01", "earned"] == 30


@pytest.mark.parametrize("row, expected", [
    (entry("县直机关工委", "T01"), "加减分台账 县级汇总.xlsx 加减分台账 C4：T01（乡镇工作）只适用于乡镇党委书记，"
                                 "不适用于县直机关工委（县直党（工）委书记）"),
    (entry("东山镇", "A01"), "加减分台账 县级汇总.xlsx 加减分台账 C4：单位“东山镇”不在被考核单位中"),
    (entry("东山镇党委", "X09"), "加减分台账 县级汇总.xlsx 加减分台账 C4：项目编号“X09”不在考核细则中"),
])
def test_a_ledger_row_that_does_not_fit_names_its_cell(row, expected):
    cat = catalog_with(BASE, rubric(items=CLASSED))
    with pytest.raises(ValueError) as info:
        assessment_breakdown(dataset(cat, entry("东山镇党委", "A01") + row))
    assert expected in str(info.value)


def test_inputs_are_not_changed_and_the_output_is_the_same_twice():
    cat = catalog_with(BASE, rubric())
    ds = dataset(cat, routines(TOTALS))
    before = ds.adjustments.copy()
    first = assessment_results(ds, reviewed=NO_REVIEW)
    pd.testing.assert_frame_equal(ds.adjustments, before)
    pd.testing.assert_frame_equal(first, assessment_results(ds, reviewed=NO_REVIEW))


def test_without_a_rubric_the_annual_assessment_is_as_before():
    import dataclasses

    cat = dataclasses.replace(catalog_with(BASE, rubric()), assessment=None)
    composite = pd.DataFrame({"unit_name": ["东山镇", "西河乡"], "year": 2016, "score": [90.0, 70.0], "group": "overall"})
    reviewed = pd.DataFrame({"year": 2016, "secretary": ["赵立新", "钱文华", "褚明远"],
                             "unit_name": ["东山镇党委", "西河乡党委", "县直机关工委"], "type": [TOWN, TOWN, DEPT],
                             "rater_group": "overall", "score": [80.0, 90.0, 70.0]})
    got = assessment_results(dataset(cat, []), scores=composite, reviewed=reviewed).set_index("unit")
    # routine = the composite index: (0.5·90 + 0.3·80)/0.8 = 86.25; (0.5·70 + 0.3·90)/0.8 = 77.5; 县直: review alone
    assert got["annual"].tolist() == pytest.approx([86.25, 77.5, 70])
    assert got["parts"].tolist() == ["日常考核+述职评议", "日常考核+述职评议", "述职评议"]
    assert got["grade"].tolist() == got["band"].tolist() == ["较好", "一般", "一般"]
    assert got["base"].isna().all() and (got["grade_note"] == "").all()


def _observations() -> pd.DataFrame:
    rows = [("T01", "东山镇", "township", "东山镇", "model_sites", 2), ("T02", "西河乡", "township", "西河乡", "model_sites", 4)]
    # every village of the two rosters reports (one left out would be a blank): means 80 and 91
    for town, values, rest in (("东山镇", [78, 82], 80), ("西河乡", [90, 92], 91)):
        villages = BASE.villages[BASE.villages["township"] == town]
        rows += [(i, n, "village", town, "satisfaction", v) for i, n, v in
                 zip(villages["unit_id"], villages["unit_name"], values + [rest] * (len(villages) - 2))]
    frame = pd.DataFrame(rows, columns=["unit_id", "unit_name", "level", "township", "indicator", "value"])
    frame["year"], frame["value"] = 2016, frame["value"].astype(float)
    frame[["source_file", "source_sheet", "source_cell"]] = ""
    return frame


def test_township_values_feed_the_items_the_satisfaction_part_and_an_indicator_gate():
    items = [{"id": "A01", "name": "日常工作", "points": 90, "rule": {"kind": "per_incident", "deduct": 1}},
             {"id": "T01", "name": "示范点", "points": 10, "classes": [TOWN],
              "rule": {"kind": "per_shortfall", "indicator": "model_sites", "required": 3, "deduct": 3}},
             {"id": "D01", "name": "机关工作", "points": 10, "classes": [DEPT],
              "rule": {"kind": "checklist", "items": ["计划", "总结"], "deduct": 5}}]
    gate = {"id": "G02", "name": "满意度低于 85 的不得评为好、较好", "when": "satisfaction < 85", "best": "一般",
            "classes": [TOWN]}
    cat = catalog_with(BASE, rubric(items=items, gates=[gate]))
    ds = dataset(cat, entry("西河乡党委", "A01", 2), observations=_observations())
    breakdown = assessment_breakdown(ds)
    t01 = breakdown[breakdown["item"] == "T01"].set_index("unit")
    assert t01.loc["东山镇党委", "basis"] == "县级以上示范点 2 个，要求 3 个，少 1，每少 1 个扣 3 分，应扣 3 分"
    got = assessment_results(ds, reviewed=NO_REVIEW, breakdown=breakdown).set_index("unit")
    # 东山: 90 + 7 = 97, satisfaction mean(78, 82) = 80: (0.5·97 + 0.2·80)/0.7 = 92.14 (band 好), gate → 一般
    # 西河: 88 + 10 = 98, satisfaction 91: (0.5·98 + 0.2·91)/0.7 = 96 → 好
    two = got.loc[["东山镇党委", "西河乡党委"]]
    assert two["routine"].tolist() == [97, 98] and two["satisfaction"].tolist() == [80, 91]
    assert two["annual"].tolist() == pytest.approx([64.5 / 0.7, 96])
    assert two["parts"].tolist() == ["日常考核+群众满意度"] * 2
    assert two[["band", "grade"]].values.tolist() == [["好", "一般"], ["好", "好"]]
    assert two.loc["东山镇党委", "gates"] == "G02 满意度低于 85 的不得评为好、较好（satisfaction = 80，至多评为“一般”）"
    # units with no data at all are 待核实; 县直 units lack their checklist
    assert got.loc[["南岭镇党委", *COUNTY], "grade"].unique().tolist() == ["待核实"]


def test_a_disqualify_veto_stands_while_the_score_is_pending():
    cat = catalog_with(BASE, rubric(items=CLASSED))
    rows = entry("县直机关工委", "F02") + entry("县教育工委", "A01")
    got = assessment_results(dataset(cat, rows, checklist=_checks(["县教育工委"])), reviewed=NO_REVIEW).set_index("unit")
    # 县直机关工委 has no checklist rows (D01 待核实) but its 弄虚作假 is on the ledger
    assert math.isnan(got.loc["县直机关工委", "routine"])
    assert got.loc["县直机关工委", "grade"] == "取消评选资格"
    assert got.loc["县教育工委", ["routine", "grade"]].tolist() == [99, "好"]


def test_a_doubtful_value_holds_the_items_that_read_it(tmp_path):
    """带动农户 of 东山镇 typed ×100 (a doubtful value, not confirmed): its own T03 and — because
    proportional_to_best compares with the best unit — every township's T03 wait 待核实, so their
    totals and grades wait too; the 县直 class reads no indicator and is graded as before."""
    import shutil
    import warnings

    import openpyxl

    import dangjian_analysis as dj
    from helpers import SAMPLE

    data = Path(shutil.copytree(SAMPLE, tmp_path / "数据"))
    wb = openpyxl.load_workbook(data / "东山镇.xlsx")
    ws = wb["一乡一品"]
    column = [c.value for c in ws[3]].index("households_driven") + 1
    row = next(r for r in range(4, ws.max_row + 1) if 2015 in (ws.cell(r, 2).value, ws.cell(r, 3).value))
    ws.cell(row, column).value *= 100
    wb.save(data / "东山镇.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = dj.load(data, progress=False)
        breakdown = dj.assessment_breakdown(ds, year=2015)
        results = dj.assessment_results(ds, year=2015, breakdown=breakdown)
    t03 = breakdown[breakdown["item"] == "T03"]
    assert len(t03) == 10 and t03["pending"].all() and t03["earned"].isna().all()
    assert t03["basis"].str.contains("带动农户 有存疑数值").all() and t03["basis"].str.contains("一乡一品 G").all()
    towns = results[results["class"] == "乡镇党委书记"]
    assert (towns["grade"] == "待核实").all() and towns["routine"].isna().all()
    depts = results[results["class"] == "县直党（工）委书记"]
    assert depts.set_index("unit").loc["县直机关工委", "grade"] == "好"
