"""不适用 is not 缺报: 当年整顿转化 (``applies_if = { weak_listed = 1 }``) is aggregated over the
listed villages only; a listed village without a value is a blank; a value of a village not
listed changes nothing (by hand and on the issue's own 2016 case)."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.intake import load

from helpers import column_of, edit, edit_block, write_catalog


def _four(text: str) -> str:
    """The catalogue with 东山镇 cut to the four villages of these tests (T01V01–T01V04): every
    village of a township's roster is expected once it reports (a fifth village without a value
    would be a blank in each indicator)."""
    return re.sub(r'^  \{ id = "T01V(0[5-9]|1[0-9])".*\n', "", text, flags=re.M)


@pytest.fixture
def four(tmp_path, catalog_text):
    """The default catalogue, 东山镇 with four villages."""
    return dj.load_catalog(write_catalog(tmp_path, _four(catalog_text)))


@pytest.fixture
def required(tmp_path, catalog_text):
    """The default catalogue with 当年整顿转化 required where it applies (``required = true``), 东山镇
    with four villages."""
    text = edit_block(_four(catalog_text), "indicators", "weak_turned", "required = true", "required = true")
    folder = tmp_path / "required"
    folder.mkdir()
    return dj.load_catalog(write_catalog(folder, text))


def _obs(rows):
    """Observations of 东山镇 2016 from ``(village_id, indicator, value)``."""
    cat = dj.load_catalog()
    names = dict(zip(cat.villages["unit_id"], cat.villages["unit_name"]))      # ids and names as in the default
    return pd.DataFrame([{"unit_id": u, "unit_name": names[u], "level": "village", "township": "东山镇",
                          "year": 2016, "indicator": i, "value": float(v)} for u, i, v in rows])


# four villages: V01 and V02 listed, V01 turned around; V03 and V04 not listed
LISTED = [("T01V01", "weak_listed", 1), ("T01V02", "weak_listed", 1), ("T01V03", "weak_listed", 0),
          ("T01V04", "weak_listed", 0), ("T01V01", "weak_turned", 1), ("T01V02", "weak_turned", 0)]


def _turned(frame):
    row = frame[(frame["indicator"] == "weak_turned")]
    return row.iloc[0] if len(row) else None


def test_share_is_over_the_listed_villages_and_zeros_elsewhere_change_nothing(four):
    plain = _turned(dj.aggregate_villages(_obs(LISTED), four))
    assert (plain["value"], plain["n_villages"], plain["n_blank"]) == (50.0, 2, 0)       # 1 of 2 listed
    noisy = _turned(dj.aggregate_villages(_obs(LISTED + [("T01V03", "weak_turned", 0),
                                                         ("T01V04", "weak_turned", 0)]), four))
    assert (noisy["value"], noisy["n_villages"], noisy["n_blank"]) == (50.0, 2, 0)
    # a non-listed village's 1 does not raise it either
    raised = _turned(dj.aggregate_villages(_obs(LISTED + [("T01V03", "weak_turned", 1)]), four))
    assert raised["value"] == 50.0


def test_a_listed_village_without_a_value_is_a_blank_and_no_other_village_is(four, required):
    rows = [r for r in LISTED if r[:2] != ("T01V02", "weak_turned")]        # V02 listed, left blank
    zero = dj.aggregate_villages(_obs(rows), required, missing="zero")
    got = _turned(zero)
    assert (got["value"], got["n_villages"], got["n_blank"]) == (50.0, 2, 1)             # 100 × 1/2
    assert zero.attrs["blanks"].frame[["unit_id", "indicator"]].values.tolist() == [["T01V02", "weak_turned"]]
    assert _turned(dj.aggregate_villages(_obs(rows), required, missing="renormalise"))["value"] == 100.0
    assert _turned(dj.aggregate_villages(_obs(rows), four))["value"] == 50.0       # the default: required too
    # no listed village reported it: each listed village is a blank all the same (share 0)
    none = dj.aggregate_villages(_obs([r for r in rows if r[1] != "weak_turned"]), required)
    assert (_turned(none)["value"], _turned(none)["n_blank"]) == (0.0, 2)


def test_no_listed_village_means_not_applicable_not_missing(required):
    rows = [("T01V01", "weak_listed", 0), ("T01V02", "weak_listed", 0),
            ("T01V01", "satisfaction", 80), ("T01V02", "satisfaction", 90),
            ("T01V01", "petitions", 3), ("T01V02", "petitions", 0)]
    rows += [({"T01V01": "T01V03", "T01V02": "T01V04"}[v], i, x) for v, i, x in rows]     # V03, V04 as V01, V02
    obs = _obs(rows)
    assert _turned(dj.aggregate_villages(obs, required)) is None
    with pytest.warns(UserWarning):          # the other groups are not reported at all: scored 0, warned
        town = dj.score_composite(obs, required)
    weak = town[town["group"] == "weak"].iloc[0]
    # weak = (2·s(listed 0 → 100) + 2·s(sat 85 → 100·25/35) + 1·s(pet 1.5 → 75)) / 5, 当年整顿转化 not counted
    assert weak["missing_required"] == 0
    assert weak["score"] == pytest.approx((2 * 100 + 2 * 100 * 25 / 35 + 75) / 5)
    with pytest.warns(UserWarning):
        village = dj.score_composite(obs, required, level="village")
    v01 = village[(village["unit_id"] == "T01V01") & (village["group"] == "weak")].iloc[0]
    assert v01["missing_required"] == 0
    assert v01["score"] == pytest.approx((2 * 100 + 2 * 100 * 20 / 35 + 50) / 5)


def _rows(ws, year):
    return [r for r in range(4, ws.max_row + 1) if ws[f"C{r}"].value == year]


def _weak_by_hand(path, year, *, zeros_counted=False) -> float:
    """东山镇's 薄弱整顿 index of ``year`` from the workbook's cells: the goalposts of the catalogue
    (listed share 0–1 lower, share turned 0–100, satisfaction 60–95, petitions 0–6 lower),
    weights 2, 1, 2, 1; 当年整顿转化 over the listed villages (or, ``zeros_counted``, as the issue
    saw it: over every village that has a value)."""
    ws = openpyxl.load_workbook(path, data_only=True)["村级指标"]
    col = {i: column_of(ws, i) for i in ("weak_listed", "weak_turned", "satisfaction", "petitions")}
    yes = {"是": 1, "否": 0}
    rows = _rows(ws, year)
    listed = [yes[ws[f"{col['weak_listed']}{r}"].value] for r in rows]
    turned = [yes[ws[f"{col['weak_turned']}{r}"].value] for r, flag in zip(rows, listed)
              if flag == 1 or (zeros_counted and ws[f"{col['weak_turned']}{r}"].value is not None)]
    sat = sum(ws[f"{col['satisfaction']}{r}"].value for r in rows) / len(rows)
    pet = sum(ws[f"{col['petitions']}{r}"].value for r in rows) / len(rows)
    scores = {"weak_listed": 100 * (1 - sum(listed) / len(rows)),
              "weak_turned": 100 * sum(turned) / len(turned),
              "satisfaction": 100 * min(max((sat - 60) / 35, 0), 1),
              "petitions": 100 * min(max((6 - pet) / 6, 0), 1)}
    weights = {"weak_listed": 2, "weak_turned": 1, "satisfaction": 2, "petitions": 1}
    return sum(weights[i] * scores[i] for i in weights) / sum(weights.values())


def test_the_issues_case_zeros_for_villages_not_listed_are_errors_and_leave_the_index(sample_copy):
    """The issue's case on the sample's latest year (2015) of 东山镇: 否 typed for every village
    not listed. (The 2016 season of ``tests/season.py`` fills its cells from the template's
    上年数 columns, which the template rework is moving; the sample's own year is the same case.)"""
    path = sample_copy / "东山镇.xlsx"
    before = dj.score_composite(load(path, progress=False))
    ws = openpyxl.load_workbook(path)["村级指标"]
    listed, turned = column_of(ws, "weak_listed"), column_of(ws, "weak_turned")
    rows = _rows(ws, 2015)
    others = [r for r in rows if ws[f"{listed}{r}"].value == "否"]
    assert 0 < len(others) < len(rows) and all(ws[f"{turned}{r}"].value is None for r in others)
    expected = _weak_by_hand(path, 2015)
    edit(path, "村级指标", {f"{turned}{r}": "否" for r in others})
    ds = load(path, progress=False)
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert sorted(errors["cell"]) == sorted(f"{turned}{r}" for r in others)
    assert set(errors["code"]) == {"not_applicable"} and ds.files.loc[0, "cells_rejected"] == len(others)
    after = dj.score_composite(ds)
    weak = after.query("year == 2015 and group == 'weak'").iloc[0]
    assert weak["score"] == pytest.approx(expected, abs=1e-6)
    assert weak["score"] == before.query("year == 2015 and group == 'weak'").iloc[0]["score"]
    # what the issue saw when the 否 were counted: lower by more than a point
    assert expected - _weak_by_hand(path, 2015, zeros_counted=True) > 1
