"""Charts: the data inside the artists, Chinese glyphs, the theme, determinism, the deck."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import dangjian_analysis as dj  # noqa: E402
from helpers import NEEDS_SOFFICE  # noqa: E402
from dangjian_analysis.charts.compare import (plot_attainment, plot_heatmap, plot_radar, plot_ranking,  # noqa: E402
                                              plot_uncertainty)
from dangjian_analysis.charts.review import plot_review  # noqa: E402
from dangjian_analysis.charts.trends import (plot_bump, plot_feature_growth, plot_slope, plot_transitions,  # noqa: E402
                                             plot_trends)
from dangjian_analysis.charts.theme import GRADE_COLORS, SLIDE_SIZE, slide_theme  # noqa: E402


@pytest.fixture(scope="module")
def scores(sample_dataset_metrics):
    return sample_dataset_metrics


def _draw(fig):
    fig.canvas.draw()          # text is laid out (and glyphs looked up) only when drawn
    return fig


def _texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_ranking_bars_are_the_scores_coloured_by_grade(scores):
    fig = _draw(plot_ranking(scores, 2015))
    assert tuple(fig.get_size_inches().round(2)) == tuple(np.round(SLIDE_SIZE, 2))
    ax = fig.axes[0]
    expected = scores.query("year == 2015 and group == 'overall'").sort_values("score")
    bars = ax.patches[: len(expected)]
    assert [b.get_width() for b in bars] == pytest.approx(expected["score"].tolist())
    assert [t.get_text() for t in ax.get_yticklabels()] == expected["unit_name"].tolist()
    colors = [matplotlib.colors.to_hex(b.get_facecolor()).upper() for b in bars]
    assert colors == [GRADE_COLORS[g] for g in expected["grade"]]
    mean_line = [ln for ln in ax.lines if ln.get_linestyle() == "--"][0]
    assert mean_line.get_xdata()[0] == pytest.approx(expected["score"].mean())
    assert fig.get_suptitle() == "2015年度乡镇基层党建综合指数排名" and ax.get_title(loc="left") == ""


def test_heatmap_cells_are_the_sub_indices(scores):
    fig = _draw(plot_heatmap(scores, 2015))
    image = fig.axes[0].images[0].get_array()
    year = scores.query("year == 2015")
    order = year.query("group == 'overall'").sort_values("rank")["unit_name"].tolist()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == order
    expected = year.pivot(index="unit_name", columns="group", values="score").loc[order]
    assert image[0, -1] == pytest.approx(expected.loc[order[0], "overall"])
    np.testing.assert_allclose(np.asarray(image[:, 0]), expected["demo"].to_numpy())


def test_indicator_heatmap(sample_loaded):
    s = dj.score_indicators(sample_loaded)
    fig = _draw(plot_heatmap(s, 2015))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "村级办公经费" in labels and len(labels) == s.dropna(subset=["score"])["indicator"].nunique()


def test_radar_lines_are_the_township_and_county(scores):
    fig = _draw(plot_radar(scores, "青石乡", 2015))
    ax = fig.axes[0]
    year = scores.query("year == 2015 and group != 'overall'")
    own = year[year["unit_name"] == "青石乡"].set_index("group")["score"]
    mean = year.groupby("group")["score"].mean()
    county, town = ax.lines[0].get_ydata(), ax.lines[1].get_ydata()
    groups = [g for g in dj.load_catalog().groups["group"]]
    assert town[:-1] == pytest.approx(own.reindex(groups).to_numpy())
    assert county[:-1] == pytest.approx(mean.reindex(groups).to_numpy())
    with pytest.raises(ValueError, match="没有“火星镇”"):
        plot_radar(scores, "火星镇", 2015)


def test_trend_panels_show_village_means_and_target(sample_loaded):
    fig = _draw(plot_trends(sample_loaded, "office_funds"))
    obs = sample_loaded.observations.query("indicator == 'office_funds'")
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 10
    first = axes[0]
    assert first.get_title() == "东山镇"
    own = first.lines[1]
    expected = obs[obs["township"] == "东山镇"].groupby("year")["value"].mean()
    assert list(own.get_xdata()) == expected.index.tolist()
    assert own.get_ydata() == pytest.approx(expected.to_numpy())
    assert first.lines[2].get_ydata()[0] == 5          # the 5万元 target
    assert "村级办公经费" in fig.get_suptitle()


def test_bump_and_slope(scores):
    fig = _draw(plot_bump(scores))
    ranks = scores.query("group == 'overall'").pivot(index="unit_name", columns="year", values="rank")
    lines = fig.axes[0].lines
    assert len(lines) == 10
    by_end = {tuple(ln.get_ydata().astype(int)) for ln in lines}
    assert by_end == {tuple(r) for r in ranks.to_numpy().astype(int)}
    assert fig.axes[0].get_ylim()[0] > fig.axes[0].get_ylim()[1]       # rank 1 on top
    fig = _draw(plot_slope(scores, 2012, 2015))
    wide = scores.query("group == 'overall'").pivot(index="unit_name", columns="year", values="score")
    ends = {tuple(np.round(ln.get_ydata(), 6)) for ln in fig.axes[0].lines if ln.get_marker() == "o"}
    assert ends == {tuple(np.round(v, 6)) for v in wide[[2012, 2015]].to_numpy()}


def test_transition_matrix_cells(scores):
    t = dj.grade_transitions(scores, 2014, 2015)
    fig = _draw(plot_transitions(t))
    assert (fig.axes[0].images[0].get_array() == t.matrix.to_numpy()).all()
    assert f"升级 {t.counts['up']} 个" in fig.get_suptitle()


def test_review_bars_are_the_rating_shares(sample_loaded):
    r = dj.review(sample_loaded)
    fig = _draw(plot_review(r, 2015))
    ax = fig.axes[0]
    overall = r.query("year == 2015 and rater_group == 'overall'").sort_values(["good_rate", "top_rate"])
    good = [p for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()).upper() == GRADE_COLORS["好"]]
    bad = [p for p in ax.patches if matplotlib.colors.to_hex(p.get_facecolor()).upper() == GRADE_COLORS["差"]]
    assert [p.get_width() for p in good] == pytest.approx((100 * overall["好"] / overall["valid"]).tolist())
    assert [p.get_width() for p in bad] == pytest.approx((-100 * overall["差"] / overall["valid"]).tolist())
    assert ax.get_yticklabels()[0].get_text().startswith(overall["secretary"].iloc[0])


def test_attainment_cells(sample_loaded):
    a = dj.target_attainment(sample_loaded, by="township")
    fig = _draw(plot_attainment(a, 2015))
    image = fig.axes[0].images[0].get_array()
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert rows[-1] == "全县"
    funds = a.query("year == 2015 and indicator == 'office_funds'").set_index("township")["share"]
    columns = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    j = next(k for k, c in enumerate(columns) if c.replace("\n", "").startswith("村级办公经费"))
    np.testing.assert_allclose(np.asarray(image[:, j]), funds.reindex(rows).to_numpy())


def test_uncertainty_intervals(sample_loaded):
    u = dj.rank_uncertainty(sample_loaded, draws=200, spread=0.5)
    fig = _draw(plot_uncertainty(u, 2015))
    segments = fig.axes[0].collections[0].get_segments()
    data = u.query("year == 2015").sort_values(["rank", "unit_id"], ascending=[False, True])
    assert [s[0][0] for s in segments] == data["rank_p05"].tolist()
    assert [s[1][0] for s in segments] == data["rank_p95"].tolist()
    assert "provisional" in u and not u["provisional"].any()      # the scores' 待核实 marks carried along


def test_feature_growth_panels_and_cagr_titles(sample_loaded):
    fig = _draw(plot_feature_growth(sample_loaded))
    obs = sample_loaded.observations.query("indicator == 'feature_output'")
    wide = obs.pivot_table(index="township", columns="year", values="value")
    cagr = 100 * ((wide[2015] / wide[2012]) ** (1 / 3) - 1)
    panels = [a for a in fig.axes if a.get_visible()]
    assert len(panels) == len(wide)
    fastest = cagr.idxmax()
    assert panels[0].get_title() == f"{fastest}  年均 {cagr[fastest]:+.1f}%"        # fastest growth first
    assert panels[0].lines[0].get_ydata() == pytest.approx(wide.loc[fastest].to_numpy())
    assert len({a.get_ylim() for a in panels}) == 1                                 # shared axes
    ax = plot_feature_growth(sample_loaded, ax=plt.subplots()[1])                   # axes-level: direct labels
    top = wide[2015].idxmax()
    assert ax.lines[0].get_ydata() == pytest.approx(wide.loc[top].to_numpy())
    assert any(t.get_text() == f"{top}  年均 {cagr[top]:+.1f}%" for t in ax.texts)


def test_axes_level_use_returns_the_axes(scores):
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_ranking(scores, 2015, ax=a) is a
    assert plot_bump(scores, ax=b) is b


def test_theme_as_function_and_context_manager():
    import matplotlib as mpl

    before = mpl.rcParams["font.family"]
    with slide_theme():
        assert mpl.rcParams["font.family"] == ["Dangjian Noto Sans SC"]
        assert mpl.rcParams["axes.titlesize"] >= 24 and mpl.rcParams["axes.labelsize"] >= 14
        assert mpl.rcParams["xtick.labelsize"] >= 14
        assert tuple(mpl.rcParams["figure.figsize"]) == pytest.approx(SLIDE_SIZE)
    assert mpl.rcParams["font.family"] == before
    slide_theme()
    try:
        assert mpl.rcParams["font.family"] == ["Dangjian Noto Sans SC"]
    finally:
        mpl.rcParams["font.family"] = before


def test_minus_sign_and_chinese_render_with_the_bundled_font():
    from matplotlib import font_manager

    with slide_theme():
        fig, ax = plt.subplots()
        ax.plot([-5, 5], [-1, 1])
        ax.set_title("负数与中文：−5 万元")
        fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert any("\u2212" in t for t in labels)
        path = font_manager.findfont(font_manager.FontProperties(family="Dangjian Noto Sans SC"))
        assert str(path).endswith("dangjian_analysis/charts/fonts/DangjianNotoSansSC-Regular.otf")
        bold = font_manager.findfont(font_manager.FontProperties(family="Dangjian Noto Sans SC", weight="bold"))
        assert str(bold).endswith("DangjianNotoSansSC-Bold.otf")


def test_import_stays_light():
    code = ("import sys, dangjian_analysis; "
            "print([m for m in ('matplotlib', 'seaborn', 'openpyxl', 'pptx') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


_EXPORT = """
import sys, matplotlib
matplotlib.use("Agg")
import dangjian_analysis as dj
from dangjian_analysis.documents.slides import write_charts
write_charts(dj.load(sys.argv[1]), sys.argv[2], svg=True)
"""


def _hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, sample_dir):
    outs = [tmp_path_factory.mktemp(name) for name in ("a", "b")]
    runs = [subprocess.Popen([sys.executable, "-c", _EXPORT, str(sample_dir), str(out)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for out in outs]          # two fresh processes at once
    for run in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err.decode("utf-8", "replace")
    return outs


def test_export_is_byte_identical_across_fresh_processes(exported):
    a, b = (_hashes(o) for o in exported)
    assert len(a) == 23 and a == b                    # with svg=True
    assert sum(k.endswith(".png") for k in a) == 11 and sum(k.endswith(".svg") for k in a) == 11


def test_exported_png_is_200_dpi_and_svg_has_no_date(exported):
    from PIL import Image

    png = next((exported[0] / "charts").glob("01_*.png"))
    with Image.open(png) as im:
        assert im.size == (int(SLIDE_SIZE[0] * 200), int(SLIDE_SIZE[1] * 200))
    svg = next((exported[0] / "charts").glob("01_*.svg")).read_text("utf-8")
    assert "<dc:date>" not in svg


def test_deck_shows_each_chart_once_with_notes_and_no_instructions(exported, sample_facts):
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(str(exported[0] / "slides.pptx"))
    assert (round(Emu(prs.slide_width).inches, 2), round(Emu(prs.slide_height).inches, 2)) == (13.33, 7.5)
    slides = list(prs.slides)
    assert len(slides) == 13                       # cover, eleven charts, the 倒排 list
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[0] == "示例县（虚构）2015年度基层党建考核" and titles[-1] == "2015年度倒排整顿的村"
    assert len(set(titles)) == len(titles)
    charts = [(i, sh.chart) for i, s in enumerate(slides) for sh in s.shapes if sh.has_chart]
    pictures = [(i, sh) for i, s in enumerate(slides) for sh in s.shapes if sh.shape_type == 13]
    assert [i for i, _ in charts] == [1, 6]        # the native charts stand in for their pictures
    assert sorted([i for i, _ in charts] + [i for i, _ in pictures]) == list(range(1, 12))
    ranking = charts[0][1]
    facts = sample_facts
    assert list(ranking.plots[0].categories)[0] == facts["top"]
    by_grade = {s.name: list(s.values) for s in ranking.plots[0].series}
    assert by_grade[facts["top_grade"]][0] == pytest.approx(float(facts["top_score"]), abs=0.05)
    assert all(v[0] is None for g, v in by_grade.items() if g != facts["top_grade"])
    assert ranking.has_legend and all(series.data_labels.show_value for series in ranking.plots[0].series)
    assert 'c:crosses val="max"' in ranking._chartSpace.xml          # the value axis at the bottom
    trend = charts[1][1]
    lines = {series.name: list(series.values) for series in trend.plots[0].series}
    assert trend.has_legend and len(lines) == 12 and lines["目标 5 万元"] == [5.0] * 4
    towns = [v for k, v in lines.items() if k.endswith(("镇", "乡"))]
    assert len(towns) == 10
    assert lines["全县平均"] == pytest.approx([sum(v) / 10 for v in zip(*towns)], abs=0.006)
    for i, s in enumerate(slides[1:], start=1):
        text = "".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        assert "右键" not in text and "编辑数据" not in text, titles[i]
        notes = s.notes_slide.notes_text_frame.text
        assert len(notes.splitlines()) >= 3, titles[i]
    assert "右键" in slides[1].notes_slide.notes_text_frame.text
    assert f"1. {facts['top']} {facts['top_score']} 分（{facts['top_grade']}）" in slides[1].notes_slide.notes_text_frame.text
    review = next(s for s in slides if "述职评议" in s.shapes.title.text_frame.text)
    scores = [float(re.search(r"得分 ([\d.]+) 分", line).group(1))
              for line in review.notes_slide.notes_text_frame.text.splitlines()[1:]]
    assert len(scores) == 19 and scores == sorted(scores, reverse=True)
    assert all(not re.search("[A-Za-z]", s.notes_slide.notes_text_frame.text) for s in slides[1:])
    robust = next(s for s in slides if "稳健性" in s.shapes.title.text_frame.text).notes_slide.notes_text_frame.text
    assert "青石乡：名次 10，中位 10，区间 10–10，居末位组 100%" in robust and "倒排" not in robust   # every choice
    for i, picture in pictures:                   # pictures fill the content area, inside the slide
        assert picture.left >= 0 and picture.left + picture.width <= prs.slide_width
        assert picture.top + picture.height <= prs.slide_height
        assert max(picture.width / Emu(12.5 * 914400), picture.height / Emu(5.65 * 914400)) > 0.98
        with Image.open(__import__("io").BytesIO(picture.image.blob)) as im:
            assert im.size[1] < 1500                # drawn without its title band
    takeaway = [sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame and sh != slides[1].shapes.title]
    assert takeaway and f"{facts['top']}以 {facts['top_score']} 分居首" in takeaway[0]
    transitions = next(s for s in slides if s.shapes.title.text_frame.text.startswith("晋位升级"))
    assert "、".join(facts["upgraded"]) in "".join(sh.text_frame.text for sh in transitions.shapes if sh.has_text_frame)
    bottom = slides[-1]
    table = next(sh.table for sh in bottom.shapes if sh.has_table)
    assert [c.text for c in table.rows[0].cells][:3] == ["倒排序号", "乡镇", "村（社区）"]
    assert len(table.rows) == 1 + len(facts["bottom"]) and [table.cell(r, 2).text for r in range(1, len(table.rows))] \
        == facts["bottom"]
    assert prs.core_properties.author == "dangjian-analysis"


@NEEDS_SOFFICE
def test_deck_converts_to_pdf_with_libreoffice(exported, tmp_path):
    deck = exported[0] / "slides.pptx"
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                            capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "slides.pdf"
    assert pdf.exists(), result.stderr
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == 13


# -- no silent fallbacks: the county's catalogue, names, missing years, provisional marks ------

COUNTY_GRADES = ["优秀", "良好", "一般", "较差"]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample loaded with a county catalogue (20 % bottom share, renamed grades and group)."""
    from dangjian_analysis.catalog import default_catalog_text
    from dangjian_analysis.metrics._frames import with_catalog
    from helpers import write_catalog

    text = default_catalog_text()
    for old, new in zip(["好", "较好", "一般", "差"], COUNTY_GRADES):
        text = text.replace(f'{{ grade = "{old}", min', f'{{ grade = "{new}", min', 1)
    text = re.sub(r"(\[bottom\]\s*\nshare = )0\.10", r"\g<1>0.20", text).replace('name = "作风建设"',
                                                                               'name = "作风纪律建设"', 1)
    ds = dj.load(dj.sample_path(), catalog=write_catalog(tmp_path_factory.mktemp("county"), text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return ds, with_catalog(dj.score_composite(ds), ds.catalog)


def test_county_grades_and_names_reach_every_chart(county):
    from dangjian_analysis.charts.takeaways import takeaway_radar

    ds, scores = county
    ax = _draw(plot_ranking(scores, 2015)).axes[0]
    expected = scores.query("year == 2015 and group == 'overall'").sort_values("score")
    # the county's grades take the ramp's colours by position, best first
    ramp = dict(zip(COUNTY_GRADES, [GRADE_COLORS[g] for g in ("好", "较好", "一般", "差")]))
    colors = [matplotlib.colors.to_hex(b.get_facecolor()).upper() for b in ax.patches[: len(expected)]]
    assert set(expected["grade"]) <= set(COUNTY_GRADES) and colors == [ramp[g] for g in expected["grade"]]
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert legend == ["优秀（≥90）", "良好（≥80）", "一般（≥60）", "较差（<60）"]
    heat = _draw(plot_heatmap(scores, 2015)).axes[0]
    assert "作风纪律\n建设" in [t.get_text() for t in heat.get_xticklabels()]
    radar = _draw(plot_radar(scores, "东山", 2015)).axes[0]          # 东山 is 东山镇 (an alias)
    assert "作风纪律\n建设" in [t.get_text() for t in radar.get_xticklabels()]
    own = scores.query("year == 2015 and group != 'overall' and unit_name == '东山镇'").set_index("group")["score"]
    assert radar.lines[1].get_ydata()[:-1] == pytest.approx(own.reindex(ds.catalog.groups["group"]).to_numpy())
    assert "作风纪律建设名次变化" in _draw(plot_bump(scores, group="作风纪律建设")).get_suptitle()
    slope = _draw(plot_slope(scores, 2012, 2015, group="conduct"))
    assert slope.get_suptitle() == "作风纪律建设：2012年与2015年对比"
    t = dj.grade_transitions(scores, 2014, 2015)
    matrix = _draw(plot_transitions(t)).axes[0]
    assert [x.get_text() for x in matrix.get_xticklabels()] == COUNTY_GRADES
    by_name = _draw(plot_trends(ds, "村级办公经费"))
    by_id = _draw(plot_trends(ds, "office_funds"))
    assert [list(ln.get_ydata()) for a in by_name.axes for ln in a.lines] == \
        [list(ln.get_ydata()) for a in by_id.axes for ln in a.lines]
    growth = [list(ln.get_ydata()) for ln in plot_feature_growth(ds, indicator="主导产业产值").axes[0].lines]
    assert growth == [list(ln.get_ydata()) for ln in plot_feature_growth(ds).axes[0].lines]
    assert takeaway_radar(scores, "东山", 2015).startswith("东山镇")


def test_charts_refuse_what_is_not_in_the_data(scores, sample_loaded):
    from dangjian_analysis.charts.takeaways import takeaway_ranking

    years = "有：2012、2013、2014、2015"
    uncertainty = pd.DataFrame({"unit_id": ["T01"], "unit_name": ["东山镇"], "year": [2015], "rank": [1],
                                "median_rank": [1.0], "rank_p05": [1.0], "rank_p95": [2.0], "p_bottom": [0.0]})
    attainment = dj.target_attainment(sample_loaded, by="township")
    calls = {
        "ranking": lambda: plot_ranking(scores, 2016), "heatmap": lambda: plot_heatmap(scores, 2016),
        "radar": lambda: plot_radar(scores, "东山镇", 2016), "slope": lambda: plot_slope(scores, 2012, 2016),
        "attainment": lambda: plot_attainment(attainment, 2016), "takeaway": lambda: takeaway_ranking(scores, 2016),
        "review": lambda: plot_review(dj.review(sample_loaded), 2016),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=f"没有年度 2016；{years}"):
            call()
    with pytest.raises(ValueError, match="没有年度 2016；有：2015"):
        plot_uncertainty(uncertainty, 2016)
    with pytest.raises(ValueError, match="没有“火星镇”（乡镇）；有：金谷镇、"):
        plot_radar(scores, "火星镇", 2015)
    with pytest.raises(ValueError, match="没有分组“火星工程”；有：综合指数（overall）、"):
        plot_bump(scores, group="火星工程")
    with pytest.raises(ValueError, match="指标体系中没有指标“火星指标”；有：党组织等次（org_grade）"):
        plot_trends(sample_loaded, "火星指标")
    without = sample_loaded.observations.query("indicator != 'office_funds'")
    with pytest.raises(ValueError, match="数据中没有指标“村级办公经费”（office_funds）的数值"):
        plot_trends(without, "村级办公经费")
    with pytest.raises(ValueError, match="表格缺少列 score"):
        plot_ranking(scores.drop(columns="score"), 2015)
    with pytest.raises(ValueError, match="Transitions"):
        plot_transitions(scores)
    with pytest.raises(ValueError, match="年度应为整数"):
        plot_ranking(scores, "去年")


@pytest.fixture
def provisional(scores):
    """The sample scores with 东山镇 marked provisional in 2013 and 2015."""
    held = scores.assign(provisional=(scores["unit_name"] == "东山镇") & scores["year"].isin([2013, 2015]))
    return held.assign(provisional_reason=np.where(held["provisional"], "村级数据不全：12/15 个村有数据", ""))


NOTE = "* 待核实：东山镇（村级数据不全：12/15 个村有数据）"


def test_ranking_and_heatmap_mark_provisional_townships(provisional, scores):
    fig = _draw(plot_ranking(provisional, 2015))
    ax = fig.axes[0]
    order = provisional.query("year == 2015 and group == 'overall'").sort_values("score")["unit_name"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [n + "*" if n == "东山镇" else n for n in order]
    bars = dict(zip(order, ax.patches[: len(order)]))
    assert bars["东山镇"].get_hatch() == "//" and all(b.get_hatch() is None for n, b in bars.items() if n != "东山镇")
    assert NOTE in _texts(fig)
    assert "待核实（*）" in [t.get_text() for t in fig.legends[0].get_texts()]
    heat = _draw(plot_heatmap(provisional, 2015))
    rows = [t.get_text() for t in heat.axes[0].get_yticklabels()]
    assert [r for r in rows if r.endswith("*")] == ["东山镇*"] and NOTE in _texts(heat)
    clean = _draw(plot_ranking(scores, 2015))
    assert not any("待核实" in t or t.endswith("*") for t in _texts(clean))


def test_radar_bump_and_slope_mark_provisional_townships(provisional):
    radar = _draw(plot_radar(provisional, "东山", 2015))
    assert [t.get_text() for t in radar.axes[0].get_legend().get_texts()] == ["全县平均", "东山镇*（综合指数第2名）"]
    assert NOTE in _texts(radar)
    bump = _draw(plot_bump(provisional))
    ax = bump.axes[0]
    ranks = provisional.query("group == 'overall' and unit_name == '东山镇'").set_index("year")["rank"]
    hollow = [tuple(p) for c in ax.collections for p in c.get_offsets()]
    assert hollow == [(2013, ranks[2013]), (2015, ranks[2015])]
    ends = [t.get_text() for t in ax.texts if t.get_text().startswith("东山镇")]
    assert sorted(ends) == ["东山镇", "东山镇*"]                  # 2012 (left) final, 2015 (right) provisional
    assert "* 待核实：东山镇 2013年（村级数据不全：12/15 个村有数据）；东山镇 2015年（村级数据不全：12/15 个村有数据）" \
        in [t.replace("\n", "") for t in _texts(bump)]
    slope = _draw(plot_slope(provisional, 2012, 2015))
    texts = _texts(slope)
    assert any(t.startswith("东山镇 ") for t in texts) and any(t.endswith(" 东山镇*") for t in texts)
    assert "* 待核实：东山镇 2015年（村级数据不全：12/15 个村有数据）" in texts


def test_attainment_marks_provisional_townships(provisional, sample_loaded):
    from dangjian_analysis.documents.slides import _with_marks
    from dangjian_analysis.metrics.targets import target_attainment

    attainment = _with_marks(target_attainment(sample_loaded, by="township"), provisional)
    heat = _draw(plot_attainment(attainment, 2015))
    rows = [t.get_text() for t in heat.axes[0].get_yticklabels()]
    assert [r for r in rows if r.endswith("*")] == ["东山镇*"] and NOTE in _texts(heat)
    plain = _draw(plot_attainment(target_attainment(sample_loaded, by="township"), 2015))
    assert not any(t.endswith("*") for t in _texts(plain))
