"""The county's own catalogue everywhere: renamed grades, another bottom share, given by a relative path."""

from __future__ import annotations

import re

import docx
import pytest
from pptx import Presentation

from dangjian_analysis.catalog import default_catalog_text
from helpers import SAMPLE, run_cli


def county_text() -> str:
    """The default catalogue with the grades renamed (好 → 优秀, 差 → 较差, in the bands and the
    述职评议 rules) and 20 % of villages in the 倒排 group."""
    text = default_catalog_text()
    text = text.replace('{ grade = "好", min = 90 }', '{ grade = "优秀", min = 90 }')
    text = text.replace('{ grade = "差", min = 0 }', '{ grade = "较差", min = 0 }')
    text = text.replace('[[review.grade_rules]]\ngrade = "差"', '[[review.grade_rules]]\ngrade = "较差"')
    text = re.sub(r'(\[\[review\.grade_rules\]\]\ngrade = )"好"', r'\1"优秀"', text)
    text = text.replace("[bottom]\nshare = 0.10", "[bottom]\nshare = 0.20")
    assert text.count('"优秀"') == 2 and text.count('"较差"') == 2 and "share = 0.20" in text
    return text


@pytest.fixture(scope="module")
def county_report(tmp_path_factory):
    """``dangjian report --catalog 本县指标体系.toml --year 2014`` run from the folder that holds the
    file (2014: a secretary of the sample is rated below 较好 that year)."""
    folder = tmp_path_factory.mktemp("county")
    (folder / "本县指标体系.toml").write_text(county_text(), "utf-8")
    result = run_cli("report", "--catalog", "本县指标体系.toml", "--year", "2014", "--out", "报告", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "报告"


def test_sentences_use_the_county_grades(county_report):
    from dangjian_analysis.catalog import load_catalog
    from dangjian_analysis.intake import load
    from dangjian_analysis.metrics.review import review

    cat = load_catalog(county_report.parent / "本县指标体系.toml")
    reviewed = review(load(SAMPLE, catalog=cat))
    year = reviewed.query("year == 2014 and rater_group == 'overall'")
    weak = year[year["grade"].isin(["一般", "较差"])]
    assert len(weak) and set(year["grade"]) <= {"优秀", "较好", "一般", "较差"}
    text = [p.text for p in docx.Document(str(county_report / "report.docx")).paragraphs]
    review_line = next(t for t in text if "述职评议" in t and "名书记中评为" in t)
    assert "评为“一般”或“较差”的：" in review_line and "没有书记评为" not in review_line
    assert all(f"{n}（{g}）" in review_line for n, g in zip(weak["secretary"], weak["grade"]))
    method = next(t for t in text if t.startswith("各指标先标准化为"))
    assert "其余为较差。" in method and "其余为差" not in method
    rules = next(t for t in text if t.startswith("述职评议等次按以下规则"))
    assert "“较差”：差评率 ≥ 1/3，或加权得分 < 60 分；“一般”" in rules and rules.endswith("由考核委员会决定。")
    assert "评为“优秀”的不超过当年全体参评书记的 1/3（向下取整，至少 1 名），超出的评为“较好”" in rules
    annual = next(t for t in text if t.startswith("日常考核按《党组织书记抓基层党建工作考核》考核细则计分"))
    assert "综合得分 = 日常考核（考核细则得分） × 50%＋述职评议得分 × 30%＋群众满意度 × 20%" in annual


def test_deck_colours_by_band_and_long_lists_split(county_report):
    from dangjian_analysis.charts._base import grade_colors
    from dangjian_analysis.charts.theme import GRADE_COLORS

    assert list(grade_colors(["优秀", "较好", "一般", "较差"]).values()) == list(GRADE_COLORS.values())
    deck = Presentation(str(county_report / "slides.pptx"))
    ranking = next(sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart)
    names = [s.name for s in ranking.plots[0].series]
    colours = {s.name: str(s.format.fill.fore_color.rgb) for s in ranking.plots[0].series}
    ramp = dict(zip(["优秀", "较好", "一般", "较差"], GRADE_COLORS.values()))
    assert names and all(colours[n] == ramp[n].lstrip("#").upper() for n in names)
    tables = [s for s in deck.slides if any(sh.has_table for sh in s.shapes)]
    titles = [s.shapes.title.text_frame.text for s in tables]
    rows = [len(next(sh.table for sh in s.shapes if sh.has_table).rows) - 1 for s in tables]
    n_bottom = int(re.search(r"列入倒排整顿的村 (\d+) 个", "".join(
        sh.text_frame.text for sh in tables[0].shapes if sh.has_text_frame)).group(1))
    assert n_bottom > 14 and sum(rows) == n_bottom and max(rows) <= 14            # 20 %: about 26 villages
    assert titles == ["2014年度倒排整顿的村"] + ["2014年度倒排整顿的村（续）"] * (len(tables) - 1)
