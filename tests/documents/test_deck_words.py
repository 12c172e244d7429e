"""The deck's words and tables: a doubtful value is said wherever a county figure rests on it,
and a table slide never runs off the page (geometry from the wrapped text)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import copy_sample, edit

DOUBT = "联家村“村级办公经费”62100"


@pytest.fixture(scope="module")
def doubtful_model(tmp_path_factory):
    """The sample with 62100 typed for 联家村's 2015 村级办公经费 (东山镇.xlsx 村级指标 V50): 元 for 万元."""
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import load_data, score_data

    data = copy_sample(tmp_path_factory.mktemp("doubt") / "数据")
    edit(data / "东山镇.xlsx", "村级指标", {"V50": 62100})
    cat, ds = load_data(data)
    scored = score_data(ds, cat, draws=50)
    return build_model(ds, 2015, catalog=cat, scores=scored.scores, villages=scored.villages,
                       uncertainty=scored.uncertainty)


def test_a_doubtful_value_is_said_on_the_funding_slide_and_its_notes(doubtful_model):
    m = doubtful_model
    assert DOUBT in m.table("ranking").set_index("township").loc["东山镇", "provisional_reason"]
    slide = m.chart("funding_trend").slide
    # 2015 county mean: (4145.72 for 东山镇 + the other nine townships) / 10 = 419.59, as the audit found
    assert slide.takeaway == ("全县村级办公经费村均值由 2012 年的 1.8 万元提高到 2015 年的 419.6 万元（含待核实数值），"
                              "8 个乡镇的村均值达到目标 5 万元（含待核实的东山镇）。")
    notes = slide.notes.split("\n")
    assert "2015 年全县村均 419.59 万元（含待核实数值）" in notes
    assert "2014 年全县村均 4.38 万元" in notes                        # the years before are not held
    assert "2015 年 东山镇：4145.72 万元（待核实）" in notes
    series = list(slide.native["series"])
    assert "全县平均（2015年含待核实数值）" in series and "东山镇（待核实）" in series
    # the other figures built on the county's 2015 values say it too
    assert m.conclusions[0].startswith("2015年全县乡镇综合指数平均 ") and "（含待核实数值），比2014年" in m.conclusions[0]
    assert m.chart("ranking").slide.takeaway.endswith("（含待核实数值）。")
    assert "全县" in m.chart("attainment").slide.takeaway and "（含待核实数值）" in m.chart("attainment").slide.takeaway
    # a full year: the 倒排 words are the county's
    assert "全县名次" in m.labelled("bottom").columns
    assert m.table("bottom")["reason"].str.startswith("综合指数位于全县最低的 10%").all()


def _long_bottom(n: int = 20):
    reason = "综合指数位于全县最低的 20%；书记空缺超过3个月；连续2年未发展党员；群众满意度低于60%；"
    bottom = pd.DataFrame({"bottom_rank": range(1, n + 1), "township": ["青石乡"] * n,
                           "village": [f"村{k}" for k in range(n)], "score": [40.0 + k for k in range(n)],
                           "rank": range(127, 127 - n, -1), "grade": ["差"] * n,
                           "reason": [reason * (1 + k % 3) for k in range(n)]})
    labelled = bottom.rename(columns={"bottom_rank": "倒排序号", "township": "乡镇", "village": "村（社区）",
                                      "score": "综合指数", "rank": "全县名次", "grade": "等次", "reason": "列入原因"})
    return bottom, labelled


def test_table_rows_are_sized_from_the_wrapped_text():
    from dangjian_analysis.documents.deck import table_geometry

    short = pd.DataFrame({"序号": [1], "原因": ["甲"]})
    widths, heights = table_geometry(short, 10.0, 12)
    assert sum(widths) == pytest.approx(10.0)
    assert heights == pytest.approx([12 * 1.45 / 72 + 0.1] * 2)            # one line each: 0.3417 inch
    # 100 Chinese characters at 12 pt in a table 4 inches wide: 序号 keeps its natural width,
    # 2 ems × 1.25 × 12/72 + 0.2 margins = 0.6167 in; 原因 gets the other 3.3833 in, 3.1833 in of
    # text a line; 100 × 1.25 × 12/72 = 20.83 in of text → ⌈6.54⌉ = 7 lines
    long = pd.DataFrame({"序号": [1], "原因": ["字" * 100]})
    widths, heights = table_geometry(long, 4.0, 12)
    assert widths == pytest.approx([0.6167, 3.3833], abs=1e-4)
    assert heights == pytest.approx([12 * 1.45 / 72 + 0.1, 7 * 12 * 1.45 / 72 + 0.1])


def test_bottom_slides_never_run_off_the_page(tmp_path):
    from pptx import Presentation
    from pptx.util import Inches

    from dangjian_analysis.documents.deck import TABLE_HEIGHT, build_deck, table_font, table_geometry
    from dangjian_analysis.documents.slides import TABLE_ROWS, bottom_slides

    bottom, labelled = _long_bottom()
    slides = bottom_slides(bottom, labelled, 2015)
    assert sum(len(s.table) for s in slides) == 20 and len(slides) > 20 // TABLE_ROWS + 1
    for s in slides:                                   # every part fits at the size it is drawn in
        size = table_font(s.table)
        assert size is not None and sum(table_geometry(s.table, size=size)[1]) <= TABLE_HEIGHT
    assert slides[1].title == "2015年度倒排整顿的村（续）"
    path = build_deck(slides, tmp_path / "d.pptx")
    deck = Presentation(str(path))
    for slide in list(deck.slides)[1:]:
        table = next(sh for sh in slide.shapes if sh.has_table)
        height = sum(r.height for r in table.table.rows)
        assert height <= Inches(TABLE_HEIGHT) and table.top + height <= deck.slide_height
        widths = [c.width for c in table.table.columns]
        assert min(widths) >= Inches(0.8)               # 序号 and 乡镇 keep their width; the reasons wrap


def test_a_township_missing_from_every_year_is_not_the_whole_county(sample_dataset_metrics, catalog):
    """The sample without 石桥镇: 9 of the catalogue's 10 townships, every year — the first
    conclusion and the ranking takeaway say 已报送的 9 个乡镇, not 全县."""
    from dangjian_analysis.charts.takeaways import takeaway_ranking
    from dangjian_analysis.documents.conclusions import report_conclusions

    scores = sample_dataset_metrics[sample_dataset_metrics["unit_name"] != "石桥镇"]
    scores.attrs = sample_dataset_metrics.attrs
    o = scores[scores["group"] == "overall"]
    now, before = (o.loc[o["year"] == y, "score"].mean() for y in (2015, 2014))
    empty = {k: pd.DataFrame(columns=["township", "share", "move", "village", "grade"])
             for k in ("doubtful", "moves", "bottom", "attainment", "review")}
    first = report_conclusions(empty, scores, 2015, catalog=catalog)[0]
    assert first == (f"2015年已报送的 9 个乡镇综合指数平均 {now:.1f} 分，比2014年（{before:.1f} 分）"
                     f"提高 {round(round(now, 1) - round(before, 1), 1):.1f} 分。")
    assert takeaway_ranking(scores, 2015, catalog).endswith(f"已报送的 9 个乡镇平均 {now:.1f} 分。")


def test_the_cover_puts_the_draft_mark_on_a_line_of_its_own():
    from dangjian_analysis.documents.deck import cover_title

    assert cover_title("示例县（虚构）2016年度基层党建考核（征求意见稿）") == "示例县（虚构）2016年度基层党建考核\n（征求意见稿）"
    assert cover_title("示例县（虚构）2015年度基层党建考核") == "示例县（虚构）2015年度基层党建考核"     # final: unchanged
    assert cover_title("某县考核（讨论稿）") == "某县考核（讨论稿）"                                        # fits on one line
