"""The 考核细则 scored: every rule kind, the floors and caps, the 加分 pool, 扣分 and vetoes, worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dangjian_analysis.catalog.assessment import build_assessment
from dangjian_analysis.metrics.assessment import assessment_totals, score_assessment
from mini import ASSESSMENT_INDICATORS

INDICATORS = pd.DataFrame(ASSESSMENT_INDICATORS)


def rule(kind, **keys):
    return {"kind": kind, **keys}


RUBRIC = build_assessment({
    "name": "测试考核", "points": 70, "bonus_cap": 4,
    "items": [
        {"id": "A01", "part": "责任落实", "name": "专题研究", "points": 10,
         "rule": rule("per_shortfall", indicator="party_meetings", required=10, deduct=2)},
        {"id": "A07", "name": "补贴发放", "points": 6, "rule": rule("per_incident", deduct=2)},
        {"id": "A08", "name": "廉洁", "points": 5, "rule": rule("per_incident", by_role={"书记": 3, "班子成员": 2})},
        {"id": "A09", "name": "台账资料", "points": 4, "rule": rule("checklist", items=["名册", "记录", "档案"], deduct=1)},
        {"id": "A10", "name": "产值排名", "points": 20, "rule": rule("rank_points", indicator="feature_output",
                                                                  points=[20, 18, 16], rest=10)},
        {"id": "A11", "name": "带动农户", "points": 10, "rule": rule("proportional_to_best", indicator="households_driven")},
        {"id": "A12", "name": "满意度", "points": 10, "rule": rule("from_indicator", indicator="satisfaction")},
        {"id": "A13", "name": "信访排名", "points": 5, "rule": rule("rank_points", indicator="petitions", points=[5, 3])},
    ],
    "bonus": [{"id": "J01", "name": "省级表彰", "each": 2, "cap": 3}, {"id": "J02", "name": "经验推广", "each": 1}],
    "deductions": [{"id": "K01", "name": "八项规定", "by_role": {"书记": 3, "班子成员": 2}},
                   {"id": "K02", "name": "被通报", "each": 1}],
    "vetoes": [{"id": "F01", "name": "严重违纪", "effect": "not_top"},
               {"id": "F02", "name": "弄虚作假", "effect": "disqualify"}],
}, INDICATORS)

UNITS = ["甲镇", "乙镇", "丙镇", "丁镇"]


def values() -> pd.DataFrame:
    table = {"party_meetings": [12, 7, 2, 10], "feature_output": [900, 800, 800, 100],
             "households_driven": [400, 300, 0, 100], "petitions": [0, 2, 2, 5]}
    return pd.DataFrame([{"unit": u, "indicator": i, "value": float(v[k])} for i, v in table.items()
                         for k, u in enumerate(UNITS)])


def scores() -> pd.DataFrame:
    return pd.DataFrame({"unit": UNITS, "indicator": "satisfaction", "score": [82.5, 100, 0, 50]})


def ledger() -> pd.DataFrame:
    rows = [("甲镇", "A08", "书记"), ("甲镇", "A08", "班子成员"), ("乙镇", "A07", None), ("乙镇", "A07", None),
            ("乙镇", "A08", "班子成员"), *[("丙镇", "A07", None)] * 4,
            ("甲镇", "J01", None), ("甲镇", "J01", None), ("甲镇", "J02", None), ("甲镇", "J02", None),
            ("乙镇", "J02", None), ("丁镇", "J01", None),
            ("甲镇", "K01", "书记"), ("乙镇", "K02", None), ("乙镇", "K02", None),
            ("丁镇", "K01", "班子成员"), ("丁镇", "K01", "书记"), ("甲镇", "F01", None), ("丙镇", "F02", None)]
    frame = pd.DataFrame(rows, columns=["unit", "item", "role"])
    frame["source_file"], frame["source_sheet"] = "台账.xlsx", "加减分台账"
    frame["source_cell"] = [f"B{r}" for r in range(3, 3 + len(frame))]
    return frame


def checklist() -> pd.DataFrame:
    done = {"甲镇": [True, True, True], "乙镇": [True, False, False], "丙镇": [False, False, False],
            "丁镇": [True, True, True]}
    return pd.DataFrame([{"unit": u, "item": "A09", "check": c, "done": d[k]}
                         for u, d in done.items() for k, c in enumerate(["名册", "记录", "档案"])])


def score(**changes):
    inputs = {"indicators": values(), "scores": scores(), "ledger": ledger(), "checklist": checklist(), **changes}
    return score_assessment(RUBRIC, units=UNITS, **inputs)


def earned(scored, section="item") -> dict:
    part = scored[scored["section"] == section]
    return {(u, i): e for u, i, e in part[["unit", "item", "earned"]].itertuples(index=False)}


def test_every_rule_kind_against_the_hand_worked_points():
    got = earned(score())
    expected = {
        # per_shortfall, 2 a meeting short of 10: 12 → 10; 7 → 10 − 6; 2 → 10 − 16 floored at 0; 10 → 10
        "A01": [10, 4, 0, 10],
        # per_incident, 2 an entry on 6: 0 entries, 2 entries, 4 entries (8 > 6: 扣完为止)
        "A07": [6, 2, 0, 6],
        # by role on 5: 书记 3 + 班子成员 2 = 5 → 0; 班子成员 2 → 3
        "A08": [0, 3, 5, 5],
        # checklist of 3, 1 a missing check on 4
        "A09": [4, 2, 1, 4],
        # rank on output 900, 800, 800, 100: 1st 20, tied 2nd both 18, 4th beyond the list: rest 10
        "A10": [20, 18, 18, 10],
        # 10 × x / 400
        "A11": [10, 7.5, 0, 2.5],
        # 10 × score / 100
        "A12": [8.25, 10, 0, 5],
        # petitions, fewer is better: 0 first (5), 2 and 2 tied second (3 each), 5 fourth (rest 0)
        "A13": [5, 3, 3, 0],
    }
    for item, points in expected.items():
        assert [got[(u, item)] for u in UNITS] == pytest.approx(points), item


def test_totals_with_the_bonus_caps_deductions_and_vetoes():
    totals = assessment_totals(score(), RUBRIC).set_index("unit")
    # 甲: base 10+6+0+4+20+10+8.25+5 = 63.25; J01 2×2 = 4 capped at 3, J02 2×1 = 2 → 5, pool cap 4;
    #     K01 书记 3; total 63.25 + 4 − 3 = 64.25; F01 not_top
    # 乙: base 4+2+3+2+18+7.5+10+3 = 49.5; J02 1; K02 2×1; total 48.5
    # 丙: base 0+0+5+1+18+0+0+3 = 27; F02 disqualify
    # 丁: base 10+6+5+4+10+2.5+5+0 = 42.5; J01 2; K01 班子成员 2 + 书记 3 = 5; total 39.5
    assert totals["base"].tolist() == pytest.approx([63.25, 49.5, 27, 42.5])
    assert totals["bonus_raw"].tolist() == pytest.approx([5, 1, 0, 2])
    assert totals["bonus"].tolist() == pytest.approx([4, 1, 0, 2])
    assert totals["deduction"].tolist() == pytest.approx([3, 2, 0, 5])
    assert totals["total"].tolist() == pytest.approx([64.25, 48.5, 27, 39.5])
    assert totals["eligible"].tolist() == [True, True, False, True]
    assert totals["not_top"].tolist() == [True, False, True, False]
    assert totals.loc["甲镇", "note"].startswith("加分合计 5 分，超过加分上限 4 分，计 4 分；一票否决：F01 严重违纪（不得评为最好等次；")
    assert totals.loc["丙镇", "vetoes"] == "F02 弄虚作假（取消评选资格；台账 1 条（台账.xlsx 加减分台账 B24））"
    assert totals.loc["乙镇", "note"] == ""


def test_each_row_says_which_entries_or_values_gave_it():
    scored = score().set_index(["unit", "item"])
    basis = scored["basis"]
    assert basis[("乙镇", "A01")] == "党委会专题研究党建 7 次，要求 10 次，少 3，每少 1 次扣 2 分，应扣 6 分"
    assert basis[("丙镇", "A01")].endswith("应扣 16 分，超过本项 10 分，扣完为止")
    assert basis[("乙镇", "A07")] == "台账 2 条（台账.xlsx 加减分台账 B5；台账.xlsx 加减分台账 B6），每条 2 分，应扣 4 分"
    assert basis[("甲镇", "A08")].endswith("书记 1 条各 3 分、班子成员 1 条各 2 分，应扣 5 分")
    assert basis[("乙镇", "A09")] == "缺 2 项（记录、档案），每项扣 1 分，应扣 2 分"
    assert basis[("乙镇", "A10")] == "主导产业产值 800 万元，第 2 名（与丙镇并列），得 18 分"
    assert basis[("丁镇", "A10")] == "主导产业产值 100 万元，第 4 名，第 3 名之后，得 10 分"
    assert basis[("乙镇", "A11")] == "带动农户 300 户，最好单位 400 户，得 10 × 300 ÷ 400 = 7.5 分"
    assert basis[("甲镇", "A12")] == "群众满意度 指标得分 82.5（满分 100），得 10 × 82.5 ÷ 100 = 8.25 分"
    assert basis[("甲镇", "J01")].endswith("每条 2 分，加 4 分，本项最高 3 分，计 3 分")
    assert basis[("甲镇", "A07")] == "台账无记录，不扣分"
    # the deducted column is the item's points minus what was kept; entries count the ledger rows
    assert scored.loc[("丙镇", "A07"), ["points", "earned", "deducted", "entries"]].tolist() == [6, 0, 6, 4]
    assert scored.loc[("丁镇", "K01"), ["earned", "deducted", "entries"]].tolist() == [-5, 5, 2]


def test_output_is_in_the_units_order_and_inputs_are_not_changed():
    inputs = {"indicators": values(), "scores": scores(), "ledger": ledger(), "checklist": checklist()}
    before = {k: v.copy() for k, v in inputs.items()}
    scored = score_assessment(RUBRIC, units=["丁镇", "甲镇", "乙镇", "丙镇"], **inputs)
    for key, frame in inputs.items():
        pd.testing.assert_frame_equal(frame, before[key])
    assert list(dict.fromkeys(scored["unit"])) == ["丁镇", "甲镇", "乙镇", "丙镇"]
    assert len(scored) == 4 * (8 + 2 + 2 + 2)
    assert scored["section"].tolist()[:14] == ["item"] * 8 + ["bonus"] * 2 + ["deduction"] * 2 + ["veto"] * 2


def test_a_missing_input_makes_items_pending_not_zero():
    no_check = checklist()
    no_check = no_check[~((no_check["unit"] == "乙镇") & (no_check["check"] == "档案"))]
    no_output = values()
    no_output = no_output[~((no_output["unit"] == "丁镇") & (no_output["indicator"] == "feature_output"))]
    scored = score(checklist=no_check, indicators=no_output).set_index(["unit", "item"])
    assert scored.loc[("乙镇", "A09"), "basis"] == "清单 档案 未填完成情况，待核实"
    # one unit without a value: no unit's rank is known
    assert scored.xs("A10", level="item")["pending"].all()
    assert scored.loc[("甲镇", "A10"), "basis"] == "丁镇 缺少指标 主导产业产值 的数值，名次无法确定，待核实"
    totals = assessment_totals(scored.reset_index(), RUBRIC).set_index("unit")
    assert math.isnan(totals.loc["乙镇", "total"])
    assert totals.loc["乙镇", "pending"] == "A09、A10"
    assert "A09、A10 待核实，总分暂不计算" in totals.loc["乙镇", "note"]


def test_inputs_left_out_are_pending_too():
    scored = score_assessment(RUBRIC, units=UNITS, indicators=values())
    pending = scored.groupby("item")["pending"].all()
    assert pending[["A07", "A08", "A09", "A12", "J01", "K01", "F01"]].all()
    assert not pending[["A01", "A10", "A11", "A13"]].any()
    assert assessment_totals(scored, RUBRIC)["total"].isna().all()


def test_proportional_to_best_without_a_positive_best_is_pending():
    flat = values()
    flat.loc[flat["indicator"] == "households_driven", "value"] = 0
    line = score(indicators=flat).set_index(["unit", "item"]).loc[("甲镇", "A11")]
    assert line["pending"] and "均不大于 0" in line["basis"]


def test_shortfall_is_not_rounded():
    half = values()
    half.loc[(half["unit"] == "乙镇") & (half["indicator"] == "party_meetings"), "value"] = 7.5
    assert earned(score(indicators=half))[("乙镇", "A01")] == pytest.approx(10 - 2 * 2.5)


def _ledger_with(**row):
    frame = ledger()
    return pd.concat([frame, pd.DataFrame([{"source_file": "台账.xlsx", "source_sheet": "加减分台账",
                                            "source_cell": "B99", **row}])], ignore_index=True)


@pytest.mark.parametrize("inputs, expected", [
    ({"ledger": _ledger_with(unit="戊镇", item="A07")}, "加减分台账 台账.xlsx 加减分台账 B99：单位“戊镇”不在被考核单位中"),
    ({"ledger": _ledger_with(unit="甲镇", item="A99")}, "加减分台账 台账.xlsx 加减分台账 B99：项目编号“A99”不在考核细则中"),
    ({"ledger": _ledger_with(unit="甲镇", item="A01")}, "A01（专题研究）按 per_shortfall 计分，不从台账计分"),
    ({"ledger": _ledger_with(unit="甲镇", item="A08", role="支书")},
     "加减分台账 台账.xlsx 加减分台账 B99：A08 按职务计分，职务“支书”不在评分标准中（可填：书记、班子成员）"),
    ({"ledger": _ledger_with(unit="甲镇", item="A07", points=3.0)}, "B99：分值 3 与 A07 的评分标准（2 分）不符"),
    ({"indicators": pd.concat([values(), values().head(1)])}, "同一单位同一指标有多个值（是否混入了多个年度？）：甲镇 party_meetings"),
    ({"checklist": pd.concat([checklist(), pd.DataFrame([{"unit": "甲镇", "item": "A09", "check": "照片",
                                                          "done": True}])])}, "有考核细则未列的项：照片"),
    ({"scores": scores().replace({82.5: 120.0})}, "指标得分表中 甲镇 的 satisfaction（群众满意度）应在 0–100 之间，实际为 120"),
    ({"scores": scores().rename(columns={"score": "value"})}, "表格缺少列 score"),
])
def test_bad_inputs_are_one_chinese_line_naming_where(inputs, expected):
    with pytest.raises(ValueError) as info:
        score(**inputs)
    assert expected in str(info.value), str(info.value)


def test_units_must_be_a_list_without_repeats():
    with pytest.raises(ValueError, match="重复：甲镇"):
        score_assessment(RUBRIC, units=["甲镇", "甲镇"])
    with pytest.raises(ValueError, match="units 应为被考核单位名称的列表"):
        score_assessment(RUBRIC, units="甲镇")


def test_severity_is_read_from_the_role_column_of_the_county_sheet():
    # the 加减分台账 has one column 职务或严重程度 (role): a by_severity item reads it too
    rubric = build_assessment({"name": "考核", "points": 5, "items": [
        {"id": "A04", "name": "安全稳定", "points": 5,
         "rule": rule("per_incident", by_severity={"一般": 1, "较重": 2, "严重": 4})}]}, INDICATORS)
    entries = pd.DataFrame({"unit": ["甲镇", "甲镇"], "item": "A04", "role": ["一般", "较重"]})
    scored = score_assessment(rubric, units=["甲镇"], ledger=entries)
    assert scored["earned"].tolist() == [5 - 1 - 2]
    assert scored["basis"].iloc[0].endswith("一般 1 条各 1 分、较重 1 条各 2 分，应扣 3 分")
