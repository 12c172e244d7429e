"""How the charts look at slide size, checked on the drawn artists: the title band, column
headers, reference lines and labels, highlighted colours explained, units named, 待核实 marks."""

from __future__ import annotations

import itertools
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import dangjian_analysis as dj  # noqa: E402
from dangjian_analysis.charts._base import TITLE_X  # noqa: E402
from dangjian_analysis.charts._text import header  # noqa: E402
from dangjian_analysis.charts.compare import plot_radar, plot_ranking  # noqa: E402
from dangjian_analysis.charts.trends import (plot_feature_growth, plot_slope, plot_transitions,  # noqa: E402
                                             plot_trends)

#: Words a column header must never split.
SUFFIXES = ["工程", "建设", "提升", "经费", "占比", "比重", "收入", "报酬", "面积", "服务站", "覆盖率", "召开率", "轮训率",
            "销号率", "满意度", "党组织", "干部", "运行", "转化", "一乡一品", "综合指数", "平方米", "万元", "全覆盖"]


@pytest.fixture(scope="module")
def slides(sample_loaded, sample_dataset_metrics):
    """The eleven charts of the deck, drawn."""
    from dangjian_analysis.documents.slides import chart_slides

    out = {stem: slide.figure for stem, slide in chart_slides(sample_loaded, 2015, draws=200)}
    for fig in out.values():
        fig.canvas.draw()
    return out


def _renderer(fig):
    """The Agg renderer of ``fig`` (drawn again on a fresh Agg canvas after pyplot closed it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
        fig.canvas.draw()
    return fig.canvas.get_renderer()


def _drawn(artist):
    """Every visible artist under ``artist`` (the children of a hidden artist are not drawn, nor
    are the ticks an axis keeps beyond its view limits)."""
    for child in artist.get_children():
        if child.get_visible() and not _beyond_view(child):
            yield child
            yield from _drawn(child)


def _beyond_view(artist) -> bool:
    """A tick outside its axis's view interval, which matplotlib keeps but does not draw."""
    if not isinstance(artist, matplotlib.axis.Tick):
        return False
    axis = artist.axes.xaxis if isinstance(artist, matplotlib.axis.XTick) else artist.axes.yaxis
    lo, hi = sorted(axis.get_view_interval())
    slack = 1e-10 * max(1.0, hi - lo)
    return not lo - slack <= artist.get_loc() <= hi + slack


def _extent(artist, renderer):
    try:
        return artist.get_window_extent(renderer)
    except TypeError:
        return artist.get_window_extent()


def _texts(fig):
    """The visible, non-empty texts of ``fig`` (tick labels, legends and titles included)."""
    return [a for a in _drawn(fig) if isinstance(a, matplotlib.text.Text) and a.get_text().strip()]


def _overlaps(texts, renderer, slack: float = 1.0):
    boxes = [(t.get_text(), _extent(t, renderer)) for t in texts]
    return [(a, b) for (a, p), (b, q) in itertools.combinations(boxes, 2)
            if p.x0 + slack < q.x1 and q.x0 + slack < p.x1 and p.y0 + slack < q.y1 and q.y0 + slack < p.y1]


# -- 1. one title, a left-aligned suptitle above everything -----------------------------------

def test_every_chart_has_a_left_aligned_suptitle_above_everything_else(slides):
    assert len(slides) == 11
    for stem, fig in slides.items():
        renderer = _renderer(fig)
        title = fig._suptitle
        assert title is not None and title.get_text(), stem
        assert title.get_ha() == "left" and title.get_position()[0] == TITLE_X, stem
        bottom = title.get_window_extent(renderer).y0
        above = []
        for artist in _drawn(fig):
            if artist is title or artist is fig.patch:
                continue
            if isinstance(artist, matplotlib.text.Text) and not artist.get_text().strip():
                continue
            box = _extent(artist, renderer)
            if box.width > 0 or box.height > 0:
                if np.isfinite(box.y1) and box.y1 > bottom + 0.5:
                    above.append((type(artist).__name__, getattr(artist, "get_text", lambda: "")(), box.y1))
        assert not above, f"{stem}: above the title's bottom {bottom:.1f}: {above}"
        assert all(not ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "right")), stem


def test_axes_level_calls_keep_the_axes_title(sample_dataset_metrics):
    fig, (a, b) = plt.subplots(1, 2)
    plot_ranking(sample_dataset_metrics, 2015, ax=a)
    plot_slope(sample_dataset_metrics, 2012, 2015, ax=b)
    assert a.get_title(loc="left") == "2015年度乡镇基层党建综合指数排名" and fig._suptitle is None
    assert b.get_title(loc="left") == "综合指数：2012年与2015年对比"


# -- 2. column headers break between words ----------------------------------------------------

def _header_problems(labels):
    problems = []
    for label in labels:
        lines = label.split("\n")
        problems += [(label, line) for line in lines if len(line) == 1 and ord(line) > 0x2E80]
        joined = "".join(lines)
        problems += [(label, word) for word in SUFFIXES if word in joined and not any(word in s for s in lines)]
    return problems


def test_column_headers_never_split_a_word_or_leave_one_character(slides, sample_loaded):
    for stem in ("02_分项指数热力图", "03_雷达图", "05_目标达成"):
        labels = [t.get_text() for t in slides[stem].axes[0].get_xticklabels()]
        assert labels and not _header_problems(labels), (stem, _header_problems(labels))
    attainment = [t.get_text() for t in slides["05_目标达成"].axes[0].get_xticklabels()]
    assert "村级\n办公经费\n≥5万元" in attainment and "两委高中\n及以上\n学历占比\n≥60%" in attainment
    names = [*sample_loaded.catalog.indicators["name"], *sample_loaded.catalog.groups["name"], "作风纪律建设"]
    for width in (4, 5, 6):
        assert not _header_problems([header(n, width) for n in names]), width


def test_headers_do_not_touch_each_other(slides):
    for stem in ("02_分项指数热力图", "05_目标达成"):
        fig = slides[stem]
        labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
        assert not _overlaps(labels, _renderer(fig), slack=-2), stem


def test_header_breaks_at_natural_points():
    assert header("示范创建工程") == "示范创建\n工程"
    assert header("党员素质提升工程") == "党员素质\n提升工程"
    assert header("两委高中及以上学历占比", 5) == "两委高中\n及以上\n学历占比"
    assert header("便民服务站正常运行", 5) == "便民服务站\n正常运行"
    assert header("一乡一品") == "一乡一品"
    assert "\n" not in header("带头人工程", 5)


# -- 3. reference lines clear of labels; radar scale clear of the polygons ---------------------

def _ranking_clear(fig):
    ax = fig.axes[0]
    renderer = _renderer(fig)
    line = next(ln for ln in ax.lines if ln.get_linestyle() == "--")
    x = ax.transData.transform((line.get_xdata()[0], 0))[0]
    labels = [t for t in ax.texts if t.get_gid() in ("value-label", "reference-label")]
    assert len(labels) == len(ax.patches) + 1
    return [t.get_text() for t in labels if _extent(t, renderer).x0 - 1 <= x <= _extent(t, renderer).x1 + 1]


@pytest.mark.parametrize("values", [None, [50, 60, 61, 62, 63, 64.5, 66, 90],
                                    [10, 12, 14, 15, 16, 97], [70, 70.5, 71, 71.5, 72]])
def test_the_county_average_line_runs_through_no_label(slides, values):
    if values is None:
        fig = slides["01_综合指数排名"]
    else:
        scores = pd.DataFrame({"unit_id": [f"T{k:02d}" for k in range(len(values))],
                               "unit_name": [f"乡镇{k}" for k in range(len(values))], "year": 2015,
                               "group": "overall", "score": values, "grade": "一般"})
        fig = plot_ranking(scores, 2015)
        fig.canvas.draw()
    assert not _ranking_clear(fig)


def test_no_reference_or_grid_line_runs_through_a_label(slides, sample_loaded):
    with dj.slide_theme():
        fig, ax = plt.subplots()
    plot_feature_growth(sample_loaded, ax=ax)
    for stem, fig in [*slides.items(), ("axes-level growth", fig)]:
        renderer = _renderer(fig)
        for ax in fig.axes:
            if ax.name == "polar" or not ax.get_visible():
                continue
            lines = [ln for ln in ax.lines if ln.get_linestyle() in ("--", "-.", ":")]
            lines += [g for g in (*ax.get_xgridlines(), *ax.get_ygridlines()) if g.get_visible()]
            paths = [ln.get_transform().transform_path(ln.get_path()) for ln in lines]
            texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()
                     and not (t.get_bbox_patch() and t.get_bbox_patch().get_facecolor()[3] == 1)]
            crossed = [t.get_text() for t in texts if any(p.intersects_bbox(_extent(t, renderer), filled=False)
                                                          for p in paths)]
            assert not crossed, (stem, crossed)


def _radar_crossings(fig):
    ax = fig.axes[0]
    renderer = _renderer(fig)
    scale = [t for t in ax.texts if t.get_gid() == "radar-scale"]
    polygons = [ln.get_transform().transform_path(ln.get_path()) for ln in ax.lines]
    crossed = [t.get_text() for t in scale if any(p.intersects_bbox(_extent(t, renderer), filled=False)
                                                 for p in polygons)]
    return scale, crossed


def test_radar_polygons_cross_no_scale_label(slides, sample_dataset_metrics):
    scale, crossed = _radar_crossings(slides["03_雷达图"])
    assert len(scale) >= 3 and not crossed
    for unit in sample_dataset_metrics["unit_name"].unique():
        fig = plot_radar(sample_dataset_metrics, unit, 2015)
        fig.canvas.draw()
        scale, crossed = _radar_crossings(fig)
        assert len(scale) >= 2 and not crossed, (unit, crossed)
        plt.close(fig)


# -- 4. highlights say why; one-product chart tells every township apart ----------------------

def test_highlights_are_explained(slides):
    legend = [t.get_text() for t in slides["03_雷达图"].axes[0].get_legend().get_texts()]
    assert legend == ["全县平均", "青石乡（综合指数第10名，最低）"]
    slope = slides["08_两年对比"].axes[0]
    bold = [ln for ln in slope.lines if ln.get_linewidth() > 3]
    reasons = [t.get_text() for t in slope.texts if "增幅" in t.get_text() or "降幅" in t.get_text()]
    assert len(bold) == len(reasons) == 3
    assert any(r.endswith("增幅最大）") for r in reasons) and any(r.endswith("增幅最小）") for r in reasons)
    grades = [t.get_text() for t in slides["01_综合指数排名"].legends[0].get_texts()]
    assert grades[0].startswith("好") and len(grades) == 4


def _once_and_apart(fig, towns):
    texts = _texts(fig)
    counts = {t: sum(t in x.get_text() for x in texts) for t in towns}
    assert all(n == 1 for n in counts.values()), counts
    assert not _overlaps(texts, _renderer(fig))


def test_feature_growth_names_each_township_once_without_overlap(slides, sample_loaded):
    towns = list(sample_loaded.catalog.townships["unit_name"])
    _once_and_apart(slides["11_一乡一品增长"], towns)
    panels = [a for a in slides["11_一乡一品增长"].axes if a.get_visible()]
    assert len(panels) == len(towns) and all("年均" in a.get_title() for a in panels)
    with dj.slide_theme():
        fig, ax = plt.subplots()
    plot_feature_growth(sample_loaded, ax=ax)
    fig.canvas.draw()
    _once_and_apart(fig, towns)
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    assert len({matplotlib.colors.to_hex(ln.get_color()) for ln in lines}) == len(towns)


def test_no_chart_has_overlapping_text(slides):
    for stem, fig in slides.items():
        assert not _overlaps(_texts(fig), _renderer(fig)), stem


# -- 5. the 晋位升级 matrix names its units ------------------------------------------------------

def test_transitions_name_every_unit_in_its_cell(slides, sample_dataset_metrics):
    t = dj.grade_transitions(sample_dataset_metrics, 2014, 2015)
    fig = slides["09_晋位升级"]
    cells = [x.get_text() for x in fig.axes[0].texts if x.get_gid() == "unit-names"]
    for name, a, b in zip(t.units["unit_name"], t.units["grade_from"], t.units["grade_to"]):
        assert sum(name in c.split("、") or name in c.replace("\n", "、").split("、") for c in cells) == 1, name
    ax = fig.axes[0]
    for x in ax.texts:
        if x.get_gid() == "unit-names":
            j, i = x.get_position()
            j, i = int(round(j)), int(round(i))
            expected = t.units.query("grade_from == @t.matrix.index[@i] and grade_to == @t.matrix.columns[@j]")
            assert sorted(x.get_text().replace("\n", "、").split("、")) == sorted(expected["unit_name"])


def test_transitions_of_many_villages_stay_inside_their_cells(sample_loaded):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        villages = dj.score_composite(sample_loaded, level="village")
    t = dj.grade_transitions(villages, 2014, 2015)
    fig = plot_transitions(t)
    fig.canvas.draw()
    assert not _overlaps(_texts(fig), _renderer(fig))
    crowded = [x.get_text() for x in fig.axes[0].texts if x.get_gid() == "unit-names" and "等 " in x.get_text()]
    assert crowded or t.matrix.to_numpy().max() < 8


# -- 6. 待核实 marks on the trend and one-product charts -----------------------------------------

@pytest.fixture(scope="module")
def held_obs(sample_loaded):
    obs = sample_loaded.observations
    held = (obs["township"] == "东山镇") & (obs["year"] == 2015)
    return obs.assign(provisional=held, provisional_reason=np.where(held, "村级数据不全：12/15 个村有数据", ""))


NOTE = "* 待核实：东山镇 2015年（村级数据不全：12/15 个村有数据）"


@pytest.mark.parametrize("plot", [lambda d, **k: plot_trends(d, "office_funds", **k),
                                  lambda d, **k: plot_feature_growth(d, **k)], ids=["trends", "growth"])
def test_trend_charts_mark_provisional_township_years(plot, held_obs, sample_loaded, sample_dataset_metrics):
    fig = plot(held_obs)
    fig.canvas.draw()
    texts = [t.get_text().replace("\n", "") for t in _texts(fig)]
    assert NOTE in texts
    titles = [a.get_title() for a in fig.axes if a.get_visible()]
    assert sum(t.startswith("东山镇*") for t in titles) == 1 and not any("*" in t for t in titles
                                                                         if not t.startswith("东山镇"))
    hollow = [tuple(p) for a in fig.axes for c in a.collections for p in c.get_offsets()]
    assert [h[0] for h in hollow] == [2015]
    assert "待核实（*）" in [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert not _overlaps(_texts(fig), _renderer(fig))
    marks = sample_dataset_metrics.assign(provisional=lambda f: (f["unit_name"] == "东山镇") & (f["year"] == 2015),
                                          provisional_reason="村级数据不全：12/15 个村有数据")
    fig = plot(sample_loaded, marks=marks)
    assert NOTE in [t.get_text().replace("\n", "") for t in _texts(fig)]
    clean = plot(sample_loaded)                  # the sample has nothing provisional
    assert not any("待核实" in t.get_text() or "*" in t.get_text() for t in _texts(clean))
