"""The ``[robustness]`` section: defaults, a county's own alternatives, and key-named errors."""

from __future__ import annotations

import re

import pytest

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.catalog.robustness import CHOICES, Robustness

from helpers import assert_catalog_error, write_catalog

SECTION = re.compile(r"^\[robustness\]\n(?:[^\n]+\n)*", re.M)          # up to the first blank line


def _without_section(text: str) -> str:
    return SECTION.sub("", text)


def _with_section(text: str, body: str) -> str:
    return _without_section(text) + "\n[robustness]\n" + body + "\n"


def test_default_catalogue_declares_every_choice(catalog):
    spec = catalog.robustness
    assert spec.choices == CHOICES
    assert (spec.weight_spread, spec.goalpost_shift, spec.geometric_offset) == (0.25, 0.10, 1.0)
    assert spec.methods == ("goalposts", "minmax", "rank")
    assert spec.missing == ("zero", "renormalise") and spec.aggregation == ("arithmetic", "geometric")
    assert spec.drop == ("indicator", "group") and (spec.draws, spec.seed) == (1000, 0)
    # village indicators with a target, by mean or by share, not 0/1: the two rules differ
    assert "satisfaction" in spec.village_rules and "office_funds" in spec.village_rules
    assert "model_org" not in spec.village_rules          # binary: its mean is already the share
    assert "org_grade" not in spec.village_rules          # no target: no share to take


def test_section_left_out_gives_the_same_defaults(tmp_path, catalog_text, catalog):
    text = _without_section(catalog_text)
    assert "[robustness]" not in text and "[sheets]" in text and "draws = 1000" not in text
    cat = load_catalog(write_catalog(tmp_path, text))
    assert cat.robustness == catalog.robustness
    assert Robustness().choices == CHOICES


def test_a_county_narrows_the_alternatives(tmp_path, catalog_text):
    body = ('choices = ["weights", "drop"]\nweight_spread = 0.1\ndrop = ["group"]\nvillage_rules = ["satisfaction"]\n'
            'draws = 300\nseed = 7')
    spec = load_catalog(write_catalog(tmp_path, _with_section(catalog_text, body))).robustness
    assert spec.choices == ("weights", "drop") and spec.weight_spread == 0.1 and spec.drop == ("group",)
    assert spec.village_rules == ("satisfaction",) and (spec.draws, spec.seed) == (300, 7)
    assert spec.methods == ("goalposts", "minmax", "rank")        # not given: the default


@pytest.mark.parametrize("body, expected", [
    ('choices = ["weights", "weigths"]', ["robustness.choices[1]", "weigths"]),
    ('choices = []', ["robustness.choices", "应为列表"]),
    ('methods = ["goalposts", "goalposts"]', ["robustness.methods[1]", "重复"]),
    ('methods = ["zscore"]', ["robustness.methods[0]", "zscore"]),
    ('weight_spread = 1.5', ["robustness.weight_spread", "1.5"]),
    ('goalpost_shift = 0.5', ["robustness.goalpost_shift", "小于 0.5"]),
    ('geometric_offset = 0', ["robustness.geometric_offset", "大于 0"]),
    ('draws = 0', ["robustness.draws", "整数"]),
    ('seed = "x"', ["robustness.seed", "整数"]),
    ('village_rules = ["nope"]', ["robustness.village_rules[0]", "nope"]),
    ('village_rules = ["feature_output"]', ["robustness.village_rules[0]", "feature_output", "村级指标"]),
    ('village_rules = ["org_grade"]', ["robustness.village_rules[0]", "org_grade", "目标值"]),
    ('drows = 10', ["robustness.drows", "未知的键"]),
])
def test_errors_name_the_key(tmp_path, catalog_text, body, expected):
    assert_catalog_error(tmp_path, _with_section(catalog_text, body), expected)
