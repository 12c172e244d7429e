"""A table that lost its catalogue never falls back to the default in silence (issue 20 §5).

The county renames its grades (好→优秀, 较好→良好, 差→较差; ``county_catalog_text``) and scores
the sample with them. Read back from a CSV, the scores table carries no catalogue: the charts,
``score_composite`` and ``review`` then warn, naming the catalogue they used; given ``catalog=``
they draw the county's grades in the ramp's colours, with no warning.
"""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.charts.theme import GRADE_COLORS, NEUTRAL

from helpers import write_catalog
from metrics.test_no_fallbacks import COUNTY_GRADES, county_catalog_text

NO_CATALOG = r"^这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county")
    path = write_catalog(folder, county_catalog_text())
    ds = dj.load(dj.sample_path(), catalog=path, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = dj.score_composite(ds)
    scores.to_csv(folder / "scores.csv", index=False)
    return path, ds, scores, pd.read_csv(folder / "scores.csv")


def _messages(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def _bar_colors(fig) -> dict[str, str]:
    ax = fig.axes[0]
    names = [t.get_text().rstrip("*") for t in ax.get_yticklabels()]
    return {n: matplotlib.colors.to_hex(b.get_facecolor()).upper() for n, b in zip(names, ax.patches)}


def test_a_reloaded_table_warns_and_says_its_grades_are_not_the_catalogues(county):
    path, ds, scores, reloaded = county
    assert "catalog" not in reloaded.attrs and set(reloaded.query("year == 2015")["grade"]) - {"好", "较好", "一般", "差"}
    fig, messages = _messages(lambda: dj.plot_ranking(reloaded, 2015))
    assert len(messages) == 2
    assert messages[0].startswith("这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算")
    year = reloaded.query("year == 2015 and group == 'overall'")
    strange = [g for g in dict.fromkeys(year["grade"]) if g not in GRADE_COLORS]        # as the table lists them
    assert messages[1] == (f"表中的等次{'、'.join(strange)}不是所用指标体系（示例县（虚构））的等次（好、较好、一般、差），"
                           "画为灰色；请用 catalog= 传入算出这张表的指标体系")
    colors = _bar_colors(fig)                     # what the default draws: the county's 较差 grey
    grade = dict(zip(year["unit_name"], year["grade"]))
    assert [colors[n] for n in colors if grade[n] == "较差"] and \
        all(colors[n] == NEUTRAL.upper() for n in colors if grade[n] == "较差")
    assert [t.get_text()[:2] for t in fig.legends[0].get_texts()] == ["好（", "较好", "一般", "差（"]


def test_the_catalogue_given_draws_the_county_grades_without_a_warning(county):
    path, ds, scores, reloaded = county
    fig, messages = _messages(lambda: dj.plot_ranking(reloaded, 2015, catalog=path))
    assert messages == []
    ramp = dict(zip(COUNTY_GRADES, GRADE_COLORS.values()))        # by position: 较差 takes 差's red
    year = reloaded.query("year == 2015 and group == 'overall'")
    grade = dict(zip(year["unit_name"], year["grade"]))
    assert _bar_colors(fig) == {n: ramp[grade[n]] for n in grade}
    assert [t.get_text().split("（")[0] for t in fig.legends[0].get_texts()] == COUNTY_GRADES
    same, messages = _messages(lambda: dj.plot_ranking(scores, 2015))      # the table as computed: its own
    assert messages == [] and _bar_colors(same) == _bar_colors(fig)


@pytest.mark.parametrize("plot", ["plot_heatmap", "plot_radar"])
def test_the_other_score_charts_warn_too(county, plot):
    path, ds, scores, reloaded = county
    args = (reloaded, "东山镇", 2015) if plot == "plot_radar" else (reloaded, 2015)
    _, messages = _messages(lambda: getattr(dj, plot)(*args))
    assert len(messages) == 1 and messages[0].startswith("这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算")
    _, messages = _messages(lambda: getattr(dj, plot)(*args, catalog=path))
    assert messages == []


def test_score_composite_and_review_on_a_part_of_the_dataset_warn(county):
    path, ds, scores, _ = county
    part, messages = _messages(lambda: dj.score_composite(ds.observations))
    assert len(messages) == 1 and messages[0].startswith("这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算")
    assert set(part.query("group == 'overall'")["grade"]) <= {"好", "较好", "一般", "差"}      # the default's
    assert set(scores.query("group == 'overall'")["grade"]) <= set(COUNTY_GRADES)
    _, messages = _messages(lambda: dj.score_composite(ds.observations, catalog=path))
    assert messages == []
    reviewed, messages = _messages(lambda: dj.review(ds.ballots))
    assert len(messages) == 1 and messages[0].startswith("这张表没有附带指标体系，按默认指标体系（示例县（虚构））计算")
    assert reviewed.attrs["catalog"].county_name == "示例县（虚构）" and reviewed.attrs["catalog"] is not ds.catalog
    _, messages = _messages(lambda: dj.review(ds))
    assert messages == []


def test_every_chart_and_trend_of_a_reloaded_table_warns(county):
    """The charts that look the catalogue up for their labels (bump, review, transitions' input)
    say so too: no silent default anywhere (metrics._lookup.catalog_from)."""
    path, ds, scores, reloaded = county
    for call in (lambda: dj.plot_bump(reloaded), lambda: dj.most_improved(reloaded, 2014, 2015)):
        _, messages = _messages(call)
        assert any(m.startswith("这张表没有附带指标体系") for m in messages)
    with pytest.raises(ValueError, match="不在等次列表（好、较好、一般、差）中：成绩是否按另一个指标体系评定"):
        dj.grade_transitions(reloaded, 2014, 2015)                 # the county's grades: an error, not a guess
    _, quiet = _messages(lambda: dj.grade_transitions(scores, 2014, 2015))
    assert not [m for m in quiet if m.startswith("这张表没有附带指标体系")]
