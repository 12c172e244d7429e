"""Valid range, plausible range and year-on-year limits of each indicator: defaults, the
default catalogue's choices, and one clear error per kind of mistake."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import pytest

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.catalog.indicators import (INDICATOR_COLUMNS, RANGE_COLUMNS, default_valid,
                                                  number_text, range_text)

from helpers import assert_catalog_error, edit_block, run_cli, write_catalog

INF = math.inf


def _row(catalog, ident):
    return catalog.indicators.set_index("id").loc[ident]


def _ranges(catalog, ident):
    return tuple(_row(catalog, ident)[RANGE_COLUMNS].tolist())


def test_range_columns_are_floats_after_the_old_ones(catalog):
    assert RANGE_COLUMNS == ["valid_lo", "valid_hi", "plausible_lo", "plausible_hi", "yoy_factor", "yoy_points"]
    assert list(catalog.indicators.columns) == INDICATOR_COLUMNS
    assert INDICATOR_COLUMNS[-6:] == RANGE_COLUMNS
    assert all(catalog.indicators[c].dtype == np.float64 for c in RANGE_COLUMNS)


def test_default_catalogue_ranges_by_kind(catalog):
    # 0/1: valid 0–1, no year-on-year check at all
    r = _ranges(catalog, "model_org")
    assert r[:4] == (0.0, 1.0, 0.0, 1.0) and math.isnan(r[4]) and math.isnan(r[5])
    # percent: valid 0–100, ±50 points, no factor
    r = _ranges(catalog, "training_rate")
    assert r[:4] == (0.0, 100.0, 30.0, 100.0) and math.isnan(r[4]) and r[5] == 50.0
    # count: valid [0, +inf), ×10, no points
    r = _ranges(catalog, "new_members")
    assert r[:5] == (0.0, INF, 0.0, 20.0, 10.0) and math.isnan(r[5])
    # the grade is 1–4 explicitly; the months of a year at most 12
    assert _ranges(catalog, "org_grade")[:4] == (1.0, 4.0, 1.0, 4.0)
    assert _ranges(catalog, "vacancy_months")[:2] == (0.0, 12.0)
    # the amounts of the speech: 万元 and 元
    assert _ranges(catalog, "office_funds")[:4] == (0.0, INF, 0.5, 50.0)
    assert _ranges(catalog, "cadre_allowance")[:4] == (0.0, INF, 500.0, 20000.0)
    # explicit year-on-year limits
    assert _row(catalog, "committee_age")["yoy_factor"] == 1.5
    assert _row(catalog, "feature_output")["yoy_factor"] == 3.0
    assert _row(catalog, "ledger_closed")["yoy_points"] == 80.0


def test_every_default_indicator_has_an_explicit_plausible_range(catalog_text):
    raw = tomllib.loads(catalog_text)
    assert len(raw["indicators"]) == 31
    assert all("plausible" in ind for ind in raw["indicators"])


@pytest.mark.parametrize("ident, right, slip", [
    ("office_funds", 5, 50000),         # 5 万元 written in 元
    ("collective_income", 3, 30000),    # 3 万元 written in 元
    ("feature_output", 5000, 5e7),      # 5000 万元 written in 元
    ("cadre_allowance", 2000, 0.2),     # 2000 元 written in 万元
    ("petitions", 3, 33),               # 33 typed for 3
    ("new_members", 3, 33),
    ("reserve_cadres", 3, 33),
    ("unqualified_handled", 3, 33),
    ("model_sites", 3, 33),
    ("specialist_villages", 3, 33),
    ("brands", 3, 33),
])
def test_slips_fall_outside_the_plausible_range(catalog, ident, right, slip):
    row = _row(catalog, ident)
    assert row["plausible_lo"] <= right <= row["plausible_hi"]
    assert not row["plausible_lo"] <= slip <= row["plausible_hi"]
    assert row["valid_lo"] <= slip <= row["valid_hi"]          # a warning, not an error


def test_a_grade_of_33_is_an_error_not_a_warning(catalog):
    assert not _row(catalog, "org_grade")["valid_lo"] <= 33 <= _row(catalog, "org_grade")["valid_hi"]
    assert not _row(catalog, "vacancy_months")["valid_lo"] <= 33 <= _row(catalog, "vacancy_months")["valid_hi"]


def test_the_sample_county_raises_no_plausibility_warning(catalog):
    from dangjian_analysis.sample import make_sample

    obs = make_sample(catalog).observations
    v = obs.join(catalog.indicators.set_index("id")[RANGE_COLUMNS], on="indicator")
    assert v["value"].between(v["plausible_lo"], v["plausible_hi"]).all()
    v = v.sort_values(["unit_id", "indicator", "year"])
    prev = v.groupby(["unit_id", "indicator"])["value"].shift()
    both = (prev > 0) & (v["value"] > 0)
    ratio = np.maximum(v["value"] / prev, prev / v["value"])
    assert not (both & (ratio > v["yoy_factor"])).any()
    assert not ((v["value"] - prev).abs() > v["yoy_points"]).any()


def test_defaults_when_the_keys_are_absent(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "training_rate", "plausible = [30, 100]\n", "")
    text = edit_block(text, "indicators", "office_funds",
                      "plausible = [0.5, 50]", "allow_negative = true\n#")
    text = edit_block(text, "indicators", "young_share", "plausible = [0, 60]", "allow_negative = true")
    text = edit_block(text, "indicators", "committee_age", "yoy_factor = 1.5", "#")
    cat = load_catalog(write_catalog(tmp_path, text))
    # plausible defaults to the valid range
    assert _ranges(cat, "training_rate")[:4] == (0.0, 100.0, 0.0, 100.0)
    # an amount that may be negative: any number; a percentage that may: −100–100
    assert _ranges(cat, "office_funds")[:4] == (-INF, INF, -INF, INF)
    assert _ranges(cat, "young_share")[:4] == (-100.0, 100.0, -100.0, 100.0)
    assert _row(cat, "committee_age")["yoy_factor"] == 10.0


def test_open_ends_and_disabled_checks(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "petitions", "plausible = [0, 30]",
                      "valid = [0, inf]\nplausible = [1, inf]\nyoy_factor = inf")
    text = edit_block(text, "indicators", "visit_rate", "plausible = [20, 100]",
                      "valid = [0, 100]\nplausible = [10, 90]\nyoy_points = 12.5")
    cat = load_catalog(write_catalog(tmp_path, text))
    assert _ranges(cat, "petitions")[:5] == (0.0, INF, 1.0, INF, INF)
    assert math.isnan(_row(cat, "petitions")["yoy_points"])
    assert _ranges(cat, "visit_rate")[:4] == (0.0, 100.0, 10.0, 90.0)
    assert _row(cat, "visit_rate")["yoy_points"] == 12.5


def _put(ident, old, new):
    return lambda t: edit_block(t, "indicators", ident, old, new)


@pytest.mark.parametrize("edit, expected", [
    (_put("petitions", "plausible = [0, 30]", "valid = [5, 1]"),
     ["indicators[6]（id = petitions）.valid", "下限必须小于上限", "[5, 1]"]),
    (_put("petitions", "plausible = [0, 30]", "valid = [3, 3]"),
     ["indicators[6]（id = petitions）.valid", "下限必须小于上限"]),
    (_put("petitions", "plausible = [0, 30]", "plausible = [30, 0]"),
     ["indicators[6]（id = petitions）.plausible", "下限必须不大于上限", "[30, 0]"]),
    (_put("petitions", "plausible = [0, 30]", "valid = [0]"),
     ["indicators[6]（id = petitions）.valid", "应为 [下限, 上限] 两个数值"]),
    (_put("petitions", "plausible = [0, 30]", 'valid = "0-30"'),
     ["indicators[6]（id = petitions）.valid", "应为 [下限, 上限] 两个数值"]),
    (_put("petitions", "plausible = [0, 30]", "valid = [0, nan]"),
     ["indicators[6]（id = petitions）.valid", "应为 [下限, 上限] 两个数值"]),
    (_put("petitions", "plausible = [0, 30]", "valid = [true, 30]"),
     ["indicators[6]（id = petitions）.valid", "应为 [下限, 上限] 两个数值"]),
    (_put("petitions", "plausible = [0, 30]", "valid = [-5, 30]"),
     ["indicators[6]（id = petitions）.valid", "下限为负数 -5", "allow_negative = true"]),
    (_put("training_rate", "plausible = [30, 100]", "valid = [0, 120]"),
     ["indicators[14]（id = training_rate）.valid", "百分比指标的有效范围应在 0–100 之间", "[0, 120]"]),
    (_put("model_org", "plausible = [0, 1]", "valid = [0, 2]"),
     ["indicators[1]（id = model_org）.valid", "只能是 [0, 1]", "[0, 2]"]),
    (_put("model_org", "plausible = [0, 1]", "valid = [0, 0.5]"),
     ["indicators[1]（id = model_org）.valid", "只能是 [0, 1]", "[0, 0.5]"]),
    (_put("office_funds", "plausible = [0.5, 50]", "valid = [0, 40]\nplausible = [0.5, 50]"),
     ["indicators[26]（id = office_funds）.plausible", "必须在有效范围 valid [0, 40] 之内", "[0.5, 50]"]),
    (_put("satisfaction", "plausible = [20, 100]", "plausible = [-10, 100]"),
     ["indicators[5]（id = satisfaction）.plausible", "valid [0, 100]"]),
    (_put("committee_age", "valid = [18, 100]\nplausible = [25, 65]", "valid = [45, 100]"),
     ["indicators[7]（id = committee_age）.lo", "超出有效范围 valid [45, 100]，实际为 40"]),
    (_put("vacancy_months", "hi = 12", "hi = 24"),
     ["indicators[10]（id = vacancy_months）.hi", "超出有效范围 valid [0, 12]，实际为 24"]),
    (_put("reserve_cadres", "lo = 0\nhi = 4\nplausible = [0, 15]\n", "valid = [3, 10]\n"),
     ["indicators[9]（id = reserve_cadres）.target", "超出有效范围 valid [3, 10]，实际为 2"]),
    (_put("committee_age", "yoy_factor = 1.5", "yoy_factor = 1"),
     ["indicators[7]（id = committee_age）.yoy_factor", "必须大于 1"]),
    (_put("committee_age", "yoy_factor = 1.5", "yoy_factor = 0.5"),
     ["indicators[7]（id = committee_age）.yoy_factor", "必须大于 1", "0.5"]),
    (_put("committee_age", "yoy_factor = 1.5", 'yoy_factor = "10"'),
     ["indicators[7]（id = committee_age）.yoy_factor", "应为数值"]),
    (_put("ledger_closed", "yoy_points = 80", "yoy_points = 0"),
     ["indicators[29]（id = ledger_closed）.yoy_points", "必须大于 0"]),
    (_put("ledger_closed", "yoy_points = 80", "yoy_factor = 10"),
     ["indicators[29]（id = ledger_closed）.yoy_factor", "请改用 yoy_points"]),
    (_put("petitions", "plausible = [0, 30]", "yoy_points = 20"),
     ["indicators[6]（id = petitions）.yoy_points", "只适用于百分比指标"]),
    (_put("weak_listed", "plausible = [0, 1]", "yoy_factor = 10"),
     ["indicators[3]（id = weak_listed）.yoy_factor", "是/否指标不做同比检查"]),
    (_put("petitions", "plausible = [0, 30]", "plausible_range = [0, 30]"),
     ["indicators[6]（id = petitions）.plausible_range", "未知的键", "plausible"]),
])
def test_each_range_error_names_the_key(tmp_path, catalog_text, edit, expected):
    assert_catalog_error(tmp_path, edit(catalog_text), expected)


def test_default_valid_and_texts():
    assert default_valid("binary") == (0.0, 1.0)
    assert default_valid("percent") == (0.0, 100.0)
    assert default_valid("percent", allow_negative=True) == (-100.0, 100.0)
    assert default_valid("count") == (0.0, INF)
    assert default_valid("number", allow_negative=True) == (-INF, INF)
    assert [number_text(v) for v in (5.0, 0.5, 20000, -INF, INF, 1.25)] == ["5", "0.5", "20000", "-inf", "inf", "1.25"]
    assert range_text(1, 4) == "1–4"
    assert range_text(0.5, 50) == "0.5–50"
    assert range_text(0, INF) == "≥ 0"
    assert range_text(-INF, 12) == "≤ 12"
    assert range_text(-INF, INF) == "不限"


def test_cli_catalog_documents_the_new_keys(tmp_path):
    out = tmp_path / "mine.toml"
    result = run_cli("catalog", "--out", str(out))
    assert result.returncode == 0, result.stderr
    header = out.read_text("utf-8").split("[[indicators]]")[0]
    for key in ("valid", "plausible", "yoy_factor", "yoy_points"):
        assert f"#   {key}" in header
    assert "默认 10" in header and "默认 50" in header
    assert "[0, 100]" in header and "[0, inf]" in header      # the defaults by kind
    assert "警告" in header and "错误" in header
