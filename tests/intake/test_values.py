"""The cell-value parser: accepted forms, empties, rejections, and property tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_analysis.intake._values import parse_value

FULL = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")


@pytest.mark.parametrize("raw, kind, unit, value", [
    (12.5, "number", "万元", 12.5),
    ("１２．５", "number", "万元", 12.5),
    ("  12.5 ", "number", "万元", 12.5),
    ("1,234", "count", "户", 1234),
    ("1,234,567.5", "number", "元", 1234567.5),
    ("12个", "count", "个", 12),
    ("5万元", "number", "万元", 5),
    ("5万元/年", "number", "万元/年", 5),
    ("85%", "percent", "%", 85),
    ("８５％", "percent", "%", 85),
    ("是", "binary", "0/1", 1),
    ("否", "binary", "0/1", 0),
    (1, "binary", "0/1", 1),
    ("200㎡", "number", "平方米", 200),
    (True, "binary", "0/1", 1),
])
def test_accepted_forms(raw, kind, unit, value):
    status, parsed, code, _ = parse_value(raw, kind, unit)
    assert (status, parsed, code) == ("ok", value, None)


def test_money_in_another_unit_is_converted_with_a_warning():
    assert parse_value("5万元", "number", "元")[:3] == ("ok", 50000.0, "unit_converted")
    assert parse_value("2000元", "number", "万元")[:3] == ("ok", 0.2, "unit_converted")
    assert parse_value("1.5亿元", "number", "万元")[:2] == ("ok", 15000.0)


@pytest.mark.parametrize("raw", [None, "", "   ", "—", "-", "/", "无", "不适用", "－", "／"])
def test_empty_forms(raw):
    assert parse_value(raw, "number", "万元")[0] == "empty"


@pytest.mark.parametrize("raw, kind, unit, code", [
    ("abc", "number", "万元", "not_number"),
    ("约5", "number", "万元", "not_number"),
    ("12人", "count", "个", "bad_unit"),
    ("5公斤", "number", "万元", "bad_unit"),
    (-3, "number", "万元", "negative"),
    ("-3", "count", "人", "negative"),
    (120, "percent", "%", "over_100"),
    ("101%", "percent", "%", "over_100"),
    (2, "binary", "0/1", "not_binary"),
    ("可能", "binary", "0/1", "not_number"),
    (2.5, "count", "人", "not_integer"),
    ("nan", "number", "元", "not_number"),
    (float("inf"), "number", "元", "not_number"),
    (dt.datetime(2015, 1, 1), "number", "元", "not_number"),
    (True, "number", "元", "not_number"),
])
def test_rejections_say_what_was_found(raw, kind, unit, code):
    status, value, got, message = parse_value(raw, kind, unit)
    assert (status, value, got) == ("error", None, code)
    assert message and "应" in message or "不" in message


def test_negative_allowed_when_the_catalogue_says_so():
    assert parse_value("-3.5", "number", "万元", allow_negative=True)[:2] == ("ok", -3.5)


def test_percent_written_as_a_fraction_warns():
    status, value, code, message = parse_value(0.85, "percent", "%")
    assert (status, value, code) == ("ok", 0.85, "percent_fraction") and "85" in message


numbers = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)


def _forms(d):
    plain = format(d, "f")
    value = float(plain)
    grouped = f"{d:,f}"
    return value, [plain, f"  {plain} ", grouped, plain.translate(FULL), grouped.translate(FULL),
                   f"{plain}万元", f"{grouped} 万元", f"\u3000{plain}\u3000"]


@settings(max_examples=300, deadline=None)
@given(numbers)
def test_any_number_in_any_accepted_form_parses_back(d):
    value, forms = _forms(d)
    for form in forms:
        assert parse_value(form, "number", "万元") == ("ok", value, None, None), form
    assert parse_value(value, "number", "万元") == ("ok", value, None, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=100))
def test_percent_forms(n):
    for form in (f"{n}%", f"{n}", f"{n}％".translate(FULL), f" {n} %"):
        status, value, _, _ = parse_value(form, "percent", "%")
        assert (status, value) == ("ok", float(n))


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from(["number", "count", "percent", "binary"]),
       st.sampled_from(["万元", "元", "%", "0/1", "个", "平方米"]))
def test_arbitrary_text_never_raises(text, kind, unit):
    status, value, code, message = parse_value(text, kind, unit)
    assert status in ("ok", "empty", "error")
    if status == "error":
        assert value is None and code and message
    if status == "ok":
        assert isinstance(value, float)
