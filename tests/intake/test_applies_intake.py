"""Indicators that apply only where another says so (``applies_if``): 当年整顿转化 only for the
villages listed as 软弱涣散. A value elsewhere is an error at its cell naming the governing cell
and is rejected; a blank elsewhere is no blank; a blank where it applies is one."""

from __future__ import annotations

import openpyxl
import pytest

from dangjian_analysis.intake import load

from dangjian_analysis.catalog import load_catalog

from helpers import column_of, edit, edit_block, write_catalog


@pytest.fixture
def dongshan(sample_copy):
    return sample_copy / "东山镇.xlsx"


@pytest.fixture
def required(tmp_path, catalog_text):
    """The default catalogue with 当年整顿转化 required where it applies (``required = true``)."""
    text = edit_block(catalog_text, "indicators", "weak_turned", "required = true", "required = true")  # the default now
    return load_catalog(write_catalog(tmp_path, text))


def _columns(path):
    ws = openpyxl.load_workbook(path)["村级指标"]
    listed, turned = column_of(ws, "weak_listed"), column_of(ws, "weak_turned")
    rows = [r for r in range(4, ws.max_row + 1) if ws[f"C{r}"].value is not None]
    return ws, listed, turned, rows


def _blanks(ds):
    """The issues about blanks (the sample's own 同比 hints on 党组织等次 left aside)."""
    return ds.issues[ds.issues["code"].isin(["empty_value", "empty_column"])]


def _accounts_hold(files):
    return bool((files["cells_read"] == files["cells_accepted"] + files["cells_rejected"] + files["cells_empty"]).all())


def test_a_value_where_it_does_not_apply_is_an_error_naming_the_governing_cell(dongshan):
    ws, listed, turned, _ = _columns(dongshan)
    assert ws[f"{listed}5"].value == "否" and ws[f"{turned}5"].value is None      # 联家村 2012: not listed
    before = load(dongshan)
    edit(dongshan, "村级指标", {f"{turned}5": "否"})
    ds = load(dongshan)
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert len(errors) == 1
    issue = errors.iloc[0]
    assert (issue["sheet"], issue["cell"], issue["code"]) == ("村级指标", f"{turned}5", "not_applicable")
    assert issue["message"] == (f"当年整顿转化：本村「列为软弱涣散」填 0（{listed}5），"
                                "本项仅「列为软弱涣散」填 1 的村填写；请删除此值")
    # counted rejected, every cell accounted for, the value not used
    assert ds.files.loc[0, "cells_rejected"] == 1 and _accounts_hold(ds.files)
    assert ds.files.loc[0, "cells_accepted"] == before.files.loc[0, "cells_accepted"]
    assert ds.files.loc[0, "cells_read"] == before.files.loc[0, "cells_read"]
    obs = ds.observations
    assert len(obs) == len(before.observations)
    assert obs[(obs["unit_name"] == "联家村") & (obs["year"] == 2012) & (obs["indicator"] == "weak_turned")].empty


def test_blanks_where_it_does_not_apply_say_nothing_and_where_it_applies_warn(dongshan, required):
    ws, listed, turned, rows = _columns(dongshan)
    assert _blanks(load(dongshan, catalog=required)).empty     # required: blanks of non-listed villages are fine
    applies = [r for r in rows if ws[f"{listed}{r}"].value == "是"]
    edit(dongshan, "村级指标", {f"{turned}{applies[0]}": None})
    for ds in (load(dongshan), load(dongshan, catalog=required)):        # the default catalogue is the same
        assert _blanks(ds)[["cell", "severity", "code", "message"]].values.tolist() == [
            [f"{turned}{applies[0]}", "warning", "empty_value", "当年整顿转化：未填写"]]


def test_a_whole_blank_column_warns_only_where_it_applies(dongshan, required):
    ws, listed, turned, rows = _columns(dongshan)
    applies = [r for r in rows if ws[f"{listed}{r}"].value == "是"]
    assert 0 < len(applies) < len(rows)
    edit(dongshan, "村级指标", {f"{turned}{r}": None for r in rows})
    ds = load(dongshan, catalog=required)
    assert _blanks(ds)["code"].tolist() == ["empty_value"] * len(applies)
    assert _blanks(ds)["cell"].tolist() == [f"{turned}{r}" for r in applies]


def test_without_the_governing_value_the_value_is_kept(dongshan, required):
    ws, listed, turned, rows = _columns(dongshan)
    edit(dongshan, "村级指标", {f"{listed}5": None, f"{turned}5": "是"})
    ds = load(dongshan, catalog=required)
    assert ds.issues[ds.issues["severity"] == "error"].empty
    assert _blanks(ds)[["cell", "code"]].values.tolist() == [[f"{listed}5", "empty_value"]]
    obs = ds.observations
    kept = obs[(obs["unit_name"] == "联家村") & (obs["year"] == 2012) & (obs["indicator"] == "weak_turned")]
    assert kept["value"].tolist() == [1.0]


def test_an_ordinal_falling_two_levels_or_crossing_the_scale_gets_a_hint_naming_the_best_end(dongshan):
    # 党组织等次 in 2014: 联家村 4 (D35), 梅源村 3 (D36), 朝沟村 3 (D37), 东山社区 4 (D34), 石岗村 1 (D40);
    # typed for 2015 as 1, 1, 2 (one level: no hint), 2, and 4 (1 → 4: end to end)
    assert load(dongshan).issues.empty          # the sample's own 1 → 3 and 2 → 4 are 晋位升级, not hinted
    edit(dongshan, "村级指标", {"D50": 1, "D51": 1, "D52": 2, "D55": 4})
    issues = load(dongshan).issues
    assert issues[["cell", "severity", "code"]].values.tolist() == [
        ["D50", "warning", "year_on_year_level"], ["D51", "warning", "year_on_year_level"],
        ["D55", "warning", "year_on_year_level"]]
    assert issues["message"].tolist() == [
        "联家村 党组织等次：由上年 4 级（2014 年，东山镇.xlsx 村级指标 D35）变为 1 级（相差 3 级；1 级最差、4 级最好，请核对）",
        "梅源村 党组织等次：由上年 3 级（2014 年，东山镇.xlsx 村级指标 D36）变为 1 级（相差 2 级；1 级最差、4 级最好，请核对）",
        "石岗村 党组织等次：由上年 1 级（2014 年，东山镇.xlsx 村级指标 D40）变为 4 级（相差 3 级；1 级最差、4 级最好，请核对）"]
