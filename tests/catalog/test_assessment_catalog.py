"""The catalogue's ``[assessment]`` (考核细则): the documented example loads, each mistake names its key."""

from __future__ import annotations

import copy
import inspect
import textwrap
import tomllib

import pandas as pd
import pytest

from dangjian_analysis.catalog import CatalogError, load_catalog
from dangjian_analysis.catalog import assessment as module
from dangjian_analysis.catalog.assessment import build_assessment
from mini import ASSESSMENT_INDICATORS

#: The indicators the documented example names (party_meetings is not in the default catalogue).
INDICATORS = pd.DataFrame([*ASSESSMENT_INDICATORS,
                           {"id": "unqualified_handled", "name": "处置不合格党员", "unit": "人", "direction": "monitor"}])


def documented_example() -> dict:
    """The ``[assessment]`` of the module docstring's full example, parsed."""
    doc = inspect.getdoc(module)
    block = doc.split("A full example::", 1)[1].split("Conventions:", 1)[0]
    return tomllib.loads(textwrap.dedent(block))["assessment"]


def test_the_documented_example_loads_as_written():
    a = build_assessment(documented_example(), INDICATORS)
    assert (a.name, a.points, a.bonus_cap) == ("乡镇党委书记抓基层党建工作考核", 100.0, 5.0)
    assert [i.id for i in a.items] == ["A01", "A07", "A08", "A10", "A11", "A09"]
    a01, a07, a08, a10 = a.items[:4]
    assert (a01.part, a01.points, a01.rule.kind, a01.rule.required, a01.rule.deduct) == \
        ("责任落实", 10.0, "per_shortfall", 10.0, 1.0)
    assert (a01.rule.indicator_name, a01.rule.unit, a01.rule.direction) == ("党委会专题研究党建", "次", "higher")
    assert (a07.part, a07.rule.kind, a07.rule.deduct) == ("其他", "per_incident", 2.0)
    assert a08.rule.checks == ("党员名册", "会议记录", "发展党员档案")
    assert (a10.rule.rank_points, a10.rule.rest) == ((60.0, 57.0, 54.0, 51.0, 48.0), 45.0)
    assert a.bonus[0] == module.Bonus("J01", "省级以上表彰", 2.0, 3.0)
    assert a.deductions[0].by_role == (("书记", 3.0), ("班子成员", 2.0), ("支部书记", 1.0))
    assert a.vetoes[0] == module.Veto("F01", "发生严重违纪违法案件", "not_top")
    assert a.entry("K01") is a.deductions[0] and a.entry("nope") is None


def test_absent_section_is_none_and_the_default_catalogue_indicators_work():
    assert build_assessment(None, INDICATORS) is None
    raw = {"name": "县直单位考核", "points": 10, "items": [
        {"id": "B1", "name": "满意度", "points": 10, "rule": {"kind": "from_indicator", "indicator": "satisfaction"}}]}
    assert build_assessment(raw, load_catalog().indicators).items[0].rule.indicator_name == "群众满意度"


def test_the_loaders_fail_names_the_file():
    def fail(key, message):
        raise CatalogError(f"指标体系 县.toml：{key} {message}")

    with pytest.raises(CatalogError, match=r"^指标体系 县.toml：assessment.points 必须大于 0"):
        build_assessment({**documented_example(), "points": 0}, INDICATORS, fail)


def _item(i: int, **changes):
    """A mutation of the documented example's item ``i`` (a key set to None is removed)."""
    def mutate(raw):
        for key, value in changes.items():
            if value is None:
                raw["items"][i].pop(key)
            else:
                raw["items"][i][key] = value
    return mutate


def _rule(i: int, **changes):
    def mutate(raw):
        for key, value in changes.items():
            if value is None:
                raw["items"][i]["rule"].pop(key)
            else:
                raw["items"][i]["rule"][key] = value
    return mutate


def _set(table: str, i: int | None, key: str, value):
    def mutate(raw):
        target = raw if table == "" else raw[table][i]
        target[key] = value
    return mutate


@pytest.mark.parametrize("mutate, expected", [
    (_rule(1, kind="perincident"),
     "assessment.items[1]（id = A07）.rule.kind 应为 per_shortfall | per_incident | checklist | rank_points | "
     "proportional_to_best | from_indicator，实际为 'perincident'"),
    (_set("", None, "colour", 1), "assessment.colour 是未知的键"),
    (_item(0, weight=2), "assessment.items[0]（id = A01）.weight 是未知的键"),
    (_rule(0, each=1), "assessment.items[0]（id = A01）.rule.each 是未知的键；此处允许的键：deduct、indicator、kind、required"),
    (_rule(0, indicator="party_meeting"), "assessment.items[0]（id = A01）.rule.indicator 引用了不存在的指标 'party_meeting'"),
    (_rule(0, indicator="petitions"), "rule.indicator 不适用：指标 petitions（信访及群体性事件）的方向为 lower"),
    (_rule(3, indicator="unqualified_handled"), "无法排名"),
    (_rule(5, indicator="unqualified_handled"), "没有指标得分"),
    (_set("items", 2, "id", "A01"), "assessment.items[2]（id = A01）.id 重复：assessment.items[0]（id = A01） 已用此编号"),
    (_set("bonus", 0, "id", "A07"), "assessment.bonus[0]（id = A07）.id 重复"),
    (_set("vetoes", 0, "id", "K01"), "assessment.vetoes[0]（id = K01）.id 重复"),
    (_item(0, points=-10), "assessment.items[0]（id = A01）.points 必须大于 0，实际为 -10"),
    (_rule(0, deduct=-1), "rule.deduct 必须大于 0"),
    (_set("bonus", 0, "cap", 0), "assessment.bonus[0]（id = J01）.cap 必须大于 0"),
    (_set("", None, "bonus_cap", -1), "assessment.bonus_cap 不能为负数"),
    (_item(0, points=9), "assessment.points 为 100，但各小项（assessment.items）分值合计 99：两者必须相等"),
    (_item(0, rule=None), "assessment.items[0]（id = A01）.rule 缺失（必填）"),
    (_rule(0, required="十"), "rule.required 应为数值，实际为 '十'"),
    (_rule(1, by_role={"书记": 3}), "rule 须写 deduct（每条扣分）、by_role（按职务）或 by_severity（按严重程度）之一，"
                                    "且只能写一个，实际写了 deduct、by_role"),
    (_rule(1, deduct=None), "rule 须写 deduct"),
    (_rule(1, deduct=None, by_severity={"严重": "三"}), "rule.by_severity.严重 应为数值"),
    (_rule(1, deduct=None, by_role={}), "rule.by_role 不能为空"),
    (_rule(2, items=["党员名册", "党员名册"]), "rule.items 中有重复的名称：党员名册"),
    (_rule(2, items=[]), "rule.items 应为非空的名称列表"),
    (_rule(3, points=[57, 60]), "rule.points 应从第 1 名起逐名不增"),
    (_rule(3, points=[70, 60]), "rule.points 第 1 名的 70 分超过本项分值 60"),
    (_rule(3, points=[60, -1]), "rule.points 应为按名次排列的非负分值列表"),
    (_rule(3, rest=50), "rule.rest 应在 0 与列表最后一名的 48 分之间，实际为 50"),
    (_set("deductions", 0, "each", 1), "assessment.deductions[0]（id = K01） 须写 each（每条扣分）或 by_role"),
    (_set("vetoes", 0, "effect", "veto"), "assessment.vetoes[0]（id = F01）.effect 应为 not_top | disqualify，实际为 'veto'"),
    (_set("", None, "items", []), "assessment.items 缺失或为空"),
    (_set("", None, "bonus", {"id": "J01"}), "assessment.bonus 应为表的数组"),
    (_set("items", 1, "name", " "), "assessment.items[1]（id = A07）.name 不能为空"),
])
def test_each_mistake_is_one_chinese_message_naming_its_key(mutate, expected):
    raw = copy.deepcopy(documented_example())
    mutate(raw)
    with pytest.raises(CatalogError) as info:
        build_assessment(raw, INDICATORS)
    assert str(info.value).startswith("指标体系：assessment")
    assert expected in str(info.value), str(info.value)


def test_the_section_itself_must_be_a_table():
    with pytest.raises(CatalogError, match="assessment 应为一个表"):
        build_assessment(["A01"], INDICATORS)
