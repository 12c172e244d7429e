"""Distribution charts: the boxes are the quartiles pandas computes from the input, every unit
is one point of its group, the swarm has no randomness, Chinese glyphs render, inputs stay."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402

import dangjian_analysis as dj  # noqa: E402
from dangjian_analysis.charts._base import TITLE_X  # noqa: E402
from dangjian_analysis.charts.distributions import plot_rating_distribution, plot_village_distribution  # noqa: E402


@pytest.fixture(scope="module")
def reviewed(sample_loaded):
    return dj.review(sample_loaded)


def _expected(values: pd.Series, groups: pd.Series, order) -> list[dict]:
    """Quartiles, median, whisker ends (furthest value within 1.5 IQR) and sorted values per group."""
    out = []
    for g in order:
        v = values[groups == g].astype(float)
        q1, med, q3 = v.quantile([0.25, 0.5, 0.75])
        iqr = q3 - q1
        out.append({"q1": q1, "median": med, "q3": q3, "lo": v[v >= q1 - 1.5 * iqr].min(),
                    "hi": v[v <= q3 + 1.5 * iqr].max(), "values": np.sort(v.to_numpy())})
    return out


def _drawn(fig):
    fig.canvas.draw()          # glyphs are looked up only when drawn (a missing one fails the test)
    return fig.axes[0]


def _boxes(ax) -> list[dict]:
    """What the artists show, per box in x order: the box's q1/q3, the median line, the whisker
    ends and the y values of the points drawn within its width."""
    boxes = sorted((p for p in ax.patches if isinstance(p, PathPatch)), key=lambda p: p.get_path().vertices[:, 0].mean())
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) == 2]
    points = np.vstack([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
    out = []
    for box in boxes:
        (x0, q1), (x1, q3) = box.get_path().vertices.min(axis=0), box.get_path().vertices.max(axis=0)
        flat = [ln for ln in lines if np.allclose(ln.get_xdata(), [x0, x1]) and ln.get_ydata()[0] == ln.get_ydata()[1]]
        upright = [ln.get_ydata() for ln in lines
                   if ln.get_xdata()[0] == ln.get_xdata()[1] and x0 < ln.get_xdata()[0] < x1]
        mine = points[(points[:, 0] > x0) & (points[:, 0] < x1)]
        out.append({"q1": q1, "q3": q3, "median": [ln.get_ydata()[0] for ln in flat],
                    "lo": min(min(y) for y in upright), "hi": max(max(y) for y in upright),
                    "values": np.sort(mine[:, 1])})
    return out


def _assert_boxes(ax, expected):
    got = _boxes(ax)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (g["q1"], g["q3"], g["lo"], g["hi"]) == pytest.approx((e["q1"], e["q3"], e["lo"], e["hi"]))
        assert g["median"] == pytest.approx([e["median"]])
        np.testing.assert_allclose(g["values"], e["values"])


def test_village_boxes_are_each_townships_quartiles(sample_loaded):
    obs = sample_loaded.observations
    rows = obs[(obs["indicator"] == "satisfaction") & (obs["level"] == "village") & (obs["year"] == 2015)]
    order = [t for t in sample_loaded.catalog.townships["unit_name"] if t in set(rows["township"])]
    ax = _drawn(plot_village_distribution(sample_loaded, "群众满意度", 2015))
    _assert_boxes(ax, _expected(rows["value"], rows["township"], order))
    assert [t.get_text() for t in ax.get_xticklabels()] == order and len(order) == 10
    target = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(target) == 1 and set(target[0].get_ydata()) == {80.0}
    assert ax.get_ylabel() == "群众满意度（%）"
    title = ax.figure._suptitle
    assert title.get_text() == "2015年各乡镇村（社区）群众满意度的分布" and title.get_position()[0] == TITLE_X


def test_one_box_per_township_with_data(sample_loaded):
    obs = sample_loaded.observations
    kept = obs[~((obs["township"] == "东山镇") & (obs["level"] == "village"))]
    ax = _drawn(plot_village_distribution(kept, "collective_income", catalog=sample_loaded.catalog))
    assert len(_boxes(ax)) == 9 and "东山镇" not in [t.get_text() for t in ax.get_xticklabels()]
    assert ax.figure._suptitle.get_text().startswith(f"{obs['year'].max()}年")        # default: the latest year


def test_rating_boxes_by_rater_group_and_by_type(reviewed, catalog):
    rows = reviewed[reviewed["year"] == 2015]
    groups = rows[rows["rater_group"] != "overall"]
    ax = _drawn(plot_rating_distribution(reviewed, 2015))
    ids = list(catalog.review.rater_groups["id"])
    _assert_boxes(ax, _expected(groups["score"], groups["rater_group"], ids))
    labels = [t.get_text().replace("\n", "") for t in ax.get_xticklabels()]
    assert labels == list(catalog.review.rater_groups["name"])
    assert all(len(b["values"]) == rows["secretary"].nunique() for b in _boxes(ax))
    overall = rows[rows["rater_group"] == "overall"]
    ax = _drawn(plot_rating_distribution(reviewed, 2015, by="type"))
    types = list(pd.unique(overall["type"]))
    _assert_boxes(ax, _expected(overall["score"], overall["type"], types))
    assert [t.get_text() for t in ax.get_xticklabels()] == types
    assert "书记类型" in ax.figure._suptitle.get_text()


def test_on_a_given_axes_and_without_randomness(reviewed, sample_loaded):
    fig, ax = plt.subplots()
    assert plot_rating_distribution(reviewed, ax=ax) is ax and ax.get_title("left").startswith("2015年度")
    np.random.seed(1)
    first = _drawn(plot_village_distribution(sample_loaded, "venue_area")).collections
    np.random.seed(2)
    second = _drawn(plot_village_distribution(sample_loaded, "venue_area")).collections
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.get_offsets(), b.get_offsets())


def test_inputs_are_not_modified(reviewed, sample_loaded):
    before_r, before_o = reviewed.copy(deep=True), sample_loaded.observations.copy(deep=True)
    plot_rating_distribution(reviewed, by="type")
    plot_village_distribution(sample_loaded, "satisfaction")
    pd.testing.assert_frame_equal(reviewed, before_r)
    pd.testing.assert_frame_equal(sample_loaded.observations, before_o)


def test_mistakes_are_chinese_value_errors(reviewed, sample_loaded):
    with pytest.raises(ValueError, match="by 应为"):
        plot_rating_distribution(reviewed, by="secretary")
    with pytest.raises(ValueError, match="没有村（社区）的数值"):
        plot_village_distribution(sample_loaded, "feature_output")
    with pytest.raises(ValueError, match="2099"):
        plot_village_distribution(sample_loaded, "satisfaction", 2099)
