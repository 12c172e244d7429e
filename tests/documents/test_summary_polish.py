"""summary.xlsx as the committee prints it (issue 25 §5): counts without decimals by the column's
kind, every sheet legible on A4, 数据来源 covering every year the charts draw, scores coloured by
conditional formats that follow an edited cell."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.documents._summary_format import (WHITE_ABOVE, WHITE_BELOW, _caps, is_count_unit,
                                                          shown_width)
from dangjian_analysis.documents.summary import write_summary


def test_count_units_are_whole_numbers_unless_a_village_mean():
    assert is_count_unit("个") and is_count_unit("户") and is_count_unit("人（各村合计）")
    assert not is_count_unit("人（村均）") and not is_count_unit("万元") and not is_count_unit("%（达标村占比）")
    assert not is_count_unit(None)


def test_widths_follow_the_value_as_shown():
    assert shown_width(0.7333333333, "0.0%") == len("73.3%")       # not the 12 characters of its repr
    assert shown_width(94.0123456, "0.0") == len("94.0")
    assert shown_width(8046.8, "0.00") == len("8,046.80")
    assert shown_width(12.5, '0.0"%"') == len("12.5%")
    assert shown_width("东山镇", None) == 6                          # a Chinese character counts two


def test_text_columns_narrow_until_the_sheet_prints_at_three_quarters():
    assert _caps([10, 50, 60, 8], [False, True, True, False]) == [10, 36, 36, 8]     # 90 wide: capped only
    # 18 wide in figures + 5 text columns: the cap falls to 32 (18 + 5 × 32 = 178 ≤ 180 < 18 + 5 × 33)
    assert _caps([10, 300, 8, 40, 40, 40, 40], [False, True, False, True, True, True, True]) == \
        [10, 32, 8, 32, 32, 32, 32]


def _tables():
    review = pd.DataFrame({"书记": ["甲", "乙"], "单位": ["东山镇党委", "西河乡党委"],
                           "有效票": [144.0, 139.0], "好（票）": [103.0, 46.0], "好评率": [0.9583333, 0.7712],
                           "加权得分": [93.98, 15.0],
                           "等次说明": ["“好”名额 6 名（当年全体参评书记 19 人 × 1/3，向下取整，至少 1 名）已满：" * 2, ""]})
    scores = pd.DataFrame({"乡镇": ["东山镇", "东山镇"], "指标": ["专业村", "主导产业产值"], "单位": ["个", "万元"],
                           "数值": [6.0, 8046.8], "得分": [100.0, 50.0]})
    return {"述职评议": review, "指标得分": scores}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = write_summary(_tables(), tmp_path_factory.mktemp("s") / "s.xlsx", title="示例县2015")
    return openpyxl.load_workbook(path)


def test_counts_without_decimals_by_the_columns_kind(workbook):
    review, scores = workbook["述职评议"], workbook["指标得分"]
    assert review["C3"].number_format == "0" and review["D3"].number_format == "0"     # votes, though floats
    assert review["E3"].number_format == "0.0%"
    assert scores["D3"].number_format == "0"            # 专业村 6 个, not 6.00 个
    assert scores["D4"].number_format == "0.00"         # 主导产业产值 8046.80 万元


def test_scores_are_coloured_by_conditional_formats(workbook):
    review = workbook["述职评议"]
    assert review["F3"].fill.fill_type is None            # no fixed fill: an edited score takes its colour
    rules = {str(rng.sqref): [r.type for r in rng.rules] for rng in review.conditional_formatting}
    assert rules["F3:F4"] == ["colorScale", "cellIs", "cellIs"]
    scale = next(r for rng in review.conditional_formatting for r in rng.rules if r.type == "colorScale").colorScale
    assert [float(v.val) for v in scale.cfvo] == [0, 50, 100]
    assert [c.rgb[-6:] for c in scale.color] == ["A50026", "FEFFC0", "313695"]    # RdYlBu's ends and middle
    cells = [r for rng in review.conditional_formatting for r in rng.rules if r.type == "cellIs"]
    assert [(r.operator, r.formula) for r in cells] == [("lessThan", [f"{WHITE_BELOW:g}"]),
                                                        ("greaterThan", [f"{WHITE_ABOVE:g}"])]
    assert "E3:E4" not in rules                           # 好评率 is a rate, not a 0–100 score


def test_white_figures_where_the_scale_is_dark():
    import numpy as np

    from dangjian_analysis.charts._base import text_color

    ends = [np.array(c) / 255 for c in ((0xA5, 0, 0x26), (0xFE, 0xFF, 0xC0), (0x31, 0x36, 0x95))]
    for score in range(0, 101):
        a, b, t = (ends[0], ends[1], score / 50) if score <= 50 else (ends[1], ends[2], (score - 50) / 50)
        white = text_color(a + (b - a) * t) == "white"
        assert white == (score < WHITE_BELOW or score > WHITE_ABOVE), score


def test_every_sheet_prints_on_a4_one_page_wide_with_its_headers(workbook):
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$2"
    review = workbook["述职评议"]
    widths = {review.cell(2, j).value: review.column_dimensions[review.cell(2, j).column_letter].width
              for j in range(1, review.max_column + 1)}
    assert widths["好评率"] == 8                           # 好评率 (6) + 2, the value 95.8% shorter
    assert widths["等次说明"] == 36 and review["G3"].alignment.wrap_text
    assert review.row_dimensions[3].height > review.row_dimensions[4].height     # the wrapped row grows
    assert workbook["指标得分"].page_setup.orientation == "portrait"       # narrow: portrait at full size


def test_report_sheets_legible_and_sources_cover_every_charted_year(report_dir, sample_loaded):
    wb = openpyxl.load_workbook(report_dir / "summary.xlsx")
    for ws in wb.worksheets:
        total = sum(ws.column_dimensions[ws.cell(2, j).column_letter].width for j in range(1, ws.max_column + 1))
        assert int(ws.page_setup.paperSize) == 9
        # ≥ 75 % of full size on A4 landscape; the 考核细则's two 18-column sheets ≥ 2/3
        assert total <= (200 if ws.title in ("考核等次", "考核得分") else 180), (ws.title, total)
    review = wb["述职评议"]
    assert review.page_setup.orientation == "landscape"
    source = wb["数据来源"]
    years = {r[2] for r in source.iter_rows(min_row=3, values_only=True)}
    assert years == set(sample_loaded.observations["year"]) == {2012, 2013, 2014, 2015}
    assert source["C3"].value == 2015                      # the report year first
    header = [c.value for c in source[2]]
    value, unit = header.index("数值"), header.index("单位（计量）")
    for row in source.iter_rows(min_row=3, max_row=400):
        assert row[value].number_format == ("0" if is_count_unit(row[unit].value) else "0.00")
