"""Conditional applicability (``applies_if``), ordinal indicators (``ordinal``) and the rules a
clerk sees per indicator (:func:`clerk_rules`)."""

from __future__ import annotations

import pytest

from dangjian_analysis.catalog import clerk_rules, load_catalog

from helpers import assert_catalog_error, edit_block, write_catalog

TURNED = "applies_if = { weak_listed = 1 }"


def _turned(text: str, new: str) -> str:
    return edit_block(text, "indicators", "weak_turned", TURNED, new)


def test_default_catalogue_conditions_and_ordinals(catalog):
    ind = catalog.indicators.set_index("id")
    assert ind.at["weak_turned", "applies_if"] == ("weak_listed", 1.0)
    assert ind["applies_if"].notna().sum() == 1          # every other indicator applies everywhere
    assert ind["ordinal"].tolist().count(True) == 1 and ind.at["org_grade", "ordinal"]


@pytest.mark.parametrize("new, expected", [
    ("applies_if = { listed_weak = 1 }", ["weak_turned", "applies_if", "不存在的指标 'listed_weak'"]),
    ("applies_if = { model_sites = 1 }", ["applies_if", "model_sites（县级以上示范点）是乡镇指标",
                                          "本指标是村级指标"]),
    ("applies_if = { weak_listed = 2 }", ["applies_if", "weak_listed 的取值 2 不在其有效范围 0–1 内"]),
    ("applies_if = { weak_listed = 0.5 }", ["取值 0.5", "只能取整数"]),
    ("applies_if = { weak_listed = \"是\" }", ["applies_if", "只含一个键的表"]),
    ("applies_if = { weak_listed = 1, model_org = 1 }", ["applies_if", "只含一个键的表"]),
    ("applies_if = \"weak_listed\"", ["applies_if", "应为表"]),
    ("applies_if = { weak_turned = 1 }", ["applies_if", "形成循环：weak_turned → weak_turned"]),
])
def test_applies_if_mistakes_are_one_chinese_line(tmp_path, catalog_text, new, expected):
    assert_catalog_error(tmp_path, _turned(catalog_text, new), expected)


def test_a_cycle_through_two_indicators_is_named(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "weak_listed", 'aliases = ["软弱涣散"',
                      'applies_if = { weak_turned = 0 }\naliases = ["软弱涣散"')
    assert_catalog_error(tmp_path, text, ["weak_listed", "形成循环：weak_listed → weak_turned → weak_listed"])


def test_a_chain_is_allowed_and_the_value_may_be_any_valid_one(tmp_path, catalog_text):
    text = _turned(catalog_text, "applies_if = { org_grade = 1 }")
    text = edit_block(text, "indicators", "petitions", 'aliases = ["信访事件"]',
                      'aliases = ["信访事件"]\napplies_if = { weak_turned = 0 }')
    ind = load_catalog(write_catalog(tmp_path, text)).indicators.set_index("id")
    assert ind.at["weak_turned", "applies_if"] == ("org_grade", 1.0)
    assert ind.at["petitions", "applies_if"] == ("weak_turned", 0.0)


def test_ordinal_needs_a_finite_whole_range_and_is_not_for_yes_no(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "org_grade", "valid = [1, 4]", "valid = [1, inf]")
    text = edit_block(text, "indicators", "org_grade", "plausible = [1, 4]", "plausible = [1, 9]")
    assert_catalog_error(tmp_path, text, ["org_grade", "valid", "等次指标（ordinal）须写明两端为整数的有效范围"])
    text = edit_block(catalog_text, "indicators", "model_org", 'unit = "0/1"', 'unit = "0/1"\nordinal = true')
    assert_catalog_error(tmp_path, text, ["model_org", "ordinal", "是/否指标不是等次"])
    text = edit_block(catalog_text, "indicators", "org_grade", 'unit = "级"', 'unit = "级"\nordinal = false')
    assert not load_catalog(write_catalog(tmp_path, text)).indicator("org_grade")["ordinal"]


def test_clerk_rules_on_the_sample_catalogue(catalog):
    assert clerk_rules(catalog, "org_grade") == ["单位：级", "1 级最差、4 级最好", "必填：空白按 0 分计入本乡镇"]
    assert clerk_rules(catalog, "weak_turned") == ["1 = 是，0 = 否", "仅「列为软弱涣散」填 1 的村填写",
                                                   "必填（适用的村）：空白按 0 分计入本乡镇"]
    assert clerk_rules(catalog, "weak_listed") == ["1 = 是，0 = 否", "必填：空白按 0 分计入本乡镇"]
    assert clerk_rules(catalog, "model_sites") == ["单位：个", "必填：空白按 0 分计"]
    assert clerk_rules(catalog, "unqualified_handled") == ["单位：人"]        # monitor: not scored
    with pytest.raises(KeyError, match="指标体系中没有指标"):
        clerk_rules(catalog, "nope")


def test_clerk_rules_follow_direction_and_the_missing_rule(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "org_grade", 'direction = "higher"', 'direction = "lower"')
    text = text.replace('missing = "zero"', 'missing = "renormalise"')
    cat = load_catalog(write_catalog(tmp_path, text))
    assert clerk_rules(cat, "org_grade") == ["单位：级", "1 级最好、4 级最差"]
    assert clerk_rules(cat, "weak_turned") == ["1 = 是，0 = 否", "仅「列为软弱涣散」填 1 的村填写"]


def test_clerk_rules_of_an_indicator_required_where_it_applies(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "weak_turned", "required = true", "required = true")  # the default now
    assert clerk_rules(load_catalog(write_catalog(tmp_path, text)), "weak_turned") == [
        "1 = 是，0 = 否", "仅「列为软弱涣散」填 1 的村填写", "必填（适用的村）：空白按 0 分计入本乡镇"]
