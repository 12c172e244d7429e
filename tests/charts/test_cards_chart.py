"""The village card's data and chart: plain means worked by hand, the data inside the artists, the
same PNG bytes twice."""

from __future__ import annotations

import pandas as pd
import pytest

from dangjian_analysis.charts.cards import index_means, plot_village_index, village_values


def _obs(rows):
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "level", "township", "year", "indicator", "value"])


def test_village_values_are_plain_means(catalog):
    # 东山社区 4 万元, 联家村 6 万元, 梅源村 blank; 西河乡's first village 8 万元 → 东山镇 5, county 6
    obs = _obs([("T01V01", "东山社区", "village", "东山镇", 2015, "office_funds", 4.0),
                ("T01V02", "联家村", "village", "东山镇", 2015, "office_funds", 6.0),
                ("T01V03", "梅源村", "village", "东山镇", 2015, "office_funds", float("nan")),
                ("T02V01", "x", "village", "西河乡", 2015, "office_funds", 8.0),
                ("T01", "东山镇", "township", "东山镇", 2015, "model_sites", 3.0)])
    out = village_values(obs, "东山镇", catalog=catalog)
    assert set(out["indicator"]) == {"office_funds"}                  # only indicators with a value that year
    assert len(out) == 15                                             # every village of 东山镇
    first = out.set_index("unit_id").loc["T01V01"]
    assert (first["value"], first["township_mean"], first["county_mean"]) == (4.0, 5.0, 6.0)
    assert (first["n_township"], first["n_county"]) == (2, 3)
    assert pd.isna(out.set_index("unit_id").at["T01V03", "value"])
    assert len(obs) == 5                                              # the input is not modified


@pytest.fixture(scope="module")
def village_scores(sample_loaded):
    import warnings

    from dangjian_analysis.metrics.composite import score_composite

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return score_composite(sample_loaded, level="village")


def test_the_chart_draws_the_village_and_the_two_means(village_scores):
    overall = village_scores[village_scores["group"] == "overall"]
    fig = plot_village_index(village_scores, "T01V07", listed=[2012, 2013])
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert list(lines) == ["全县村均", "本乡镇村均", "石岗村"]
    own = overall[overall["unit_id"] == "T01V07"].sort_values("year")
    assert list(lines["石岗村"].get_ydata()) == pytest.approx(own["score"].tolist())
    town = overall[overall["township"] == "东山镇"].groupby("year")["score"]
    assert list(lines["本乡镇村均"].get_ydata()) == pytest.approx((town.sum() / town.count()).tolist())
    county = overall.groupby("year")["score"]
    assert list(lines["全县村均"].get_ydata()) == pytest.approx((county.sum() / county.count()).tolist())
    (red,) = ax.collections                                           # the listed years
    listed = own[own["year"].isin([2012, 2013])]
    assert red.get_offsets()[:, 0].tolist() == [2012, 2013]
    assert red.get_offsets()[:, 1].tolist() == pytest.approx(listed["score"].tolist())
    means = index_means(village_scores)
    assert len(means) == 40 and means["county_mean"].nunique() == 4   # ten townships, four years


def test_the_chart_png_is_the_same_bytes_twice(village_scores):
    import matplotlib.pyplot as plt

    from dangjian_analysis.charts.save import png_bytes

    pngs = []
    for _ in range(2):
        fig = plot_village_index(village_scores, "T01V01")
        pngs.append(png_bytes(fig, dpi=100))
        plt.close(fig)
    assert pngs[0] == pngs[1]


def test_an_unknown_village_is_a_chinese_error(village_scores):
    with pytest.raises(ValueError, match="成绩表中没有村（社区）T99V99"):
        plot_village_index(village_scores, "T99V99")
