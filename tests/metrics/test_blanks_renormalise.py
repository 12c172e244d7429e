"""Issue 21.2 under ``missing = "renormalise"``: a blank required village value is renormalised
over the villages that reported (the index as before) and still leaves its trace — counted in
``missing_required`` and the coverage, and the township-year 待核实 naming village and indicator."""

from __future__ import annotations

import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load

from helpers import edit, write_catalog

pytestmark = pytest.mark.usefixtures("quiet")
REASON = "村级必填数据未填（未计入乡镇得分，请核实）：五门村“便民服务站正常运行”"


def test_a_blank_village_value_is_renormalised_and_still_named(sample_copy, catalog_text, tmp_path):
    """红旗乡.xlsx 村级指标 O42 (五门村 2015 便民服务站正常运行, 否) left blank, the catalogue saying
    ``missing = "renormalise"``. 便民服务站正常运行 is a share of villages meeting the target, over the
    11 of 红旗乡's 12 villages that reported it: 100 × met / 11. Overall index as before, 60.157 一般
    (59.905 差 under "zero"). Coverage: the indicator is ⅓ of 阵地建设 (group weight 0.1 of 1), and
    one village of 12 is missing from it: 1 − 0.1 × ⅓ × 1/12 = 0.997222…; missing_required 1."""
    assert edit(sample_copy / "红旗乡.xlsx", "村级指标", {("station_running", 42): None}) == {("station_running", 42): "O42"}
    assert catalog_text.count('[scoring]\nmissing = "zero"\n') == 1
    text = catalog_text.replace('[scoring]\nmissing = "zero"\n', '[scoring]\nmissing = "renormalise"\n')
    cat = load_catalog(write_catalog(tmp_path, text))
    data = load(sample_copy, catalog=cat)
    obs = data.observations
    rows = obs[(obs["township"] == "红旗乡") & (obs["year"] == 2015) & (obs["indicator"] == "station_running")]
    assert len(rows) == 11 and "五门村" not in set(rows["unit_name"])
    agg = dj.aggregate_villages(data, cat)
    cell = agg.query("township == '红旗乡' and year == 2015 and indicator == 'station_running'").iloc[0]
    assert cell["value"] == pytest.approx(100 * (rows["value"] == 1).sum() / 11)
    assert (cell["n_villages"], cell["n_blank"]) == (12, 1)
    scores = dj.score_composite(data, cat)
    overall = scores.query("unit_name == '红旗乡' and year == 2015 and group == 'overall'").iloc[0]
    assert overall["missing_rule"] == "renormalise"
    assert (overall["score"], overall["grade"]) == (pytest.approx(60.157252931, abs=1e-9), "一般")
    assert overall["coverage"] == pytest.approx(1 - 0.1 / 3 / 12, abs=1e-9) and overall["coverage"] < 1
    assert overall["missing_required"] == 1 and overall["provisional"]
    assert overall["provisional_reason"] == REASON
    venues = scores.query("unit_name == '红旗乡' and year == 2015 and group == 'venues'").iloc[0]
    assert (venues["missing_required"], venues["coverage"]) == (1, pytest.approx(1 - 1 / 36, abs=1e-9))
    others = scores.query("unit_name != '红旗乡' or year != 2015")
    assert (others["missing_required"] == 0).all() and not others["provisional_reason"].str.contains("村级必填").any()
    # the same blank under "zero": the same trace, the value taken as not meeting the target
    zero = dj.score_composite(data, cat, missing="zero")
    z = zero.query("unit_name == '红旗乡' and year == 2015 and group == 'overall'").iloc[0]
    assert (z["score"], z["grade"]) == (pytest.approx(59.904727679, abs=1e-9), "差")
    assert (z["coverage"], z["missing_required"]) == (overall["coverage"], 1)
    assert z["provisional_reason"] == REASON.replace("未计入乡镇得分", "按不得分计")
