"""The first conclusion compares the county mean with last year's as the two figures are printed."""

import pandas as pd

from dangjian_analysis.documents.conclusions import _average


def _overall(rows):
    return pd.DataFrame([{"group": "overall", "year": y, "unit_name": u, "score": s} for y, u, s in rows])


def test_equal_printed_means_are_the_same_level_not_a_rise_of_zero():
    # 2015: (76.70 + 76.62) / 2 = 76.66 → 76.7; 2016: (76.80 + 76.68) / 2 = 76.74 → 76.7
    scores = _overall([(2015, "甲", 76.70), (2015, "乙", 76.62), (2016, "甲", 76.80), (2016, "乙", 76.68)])
    assert _average(scores, 2016) == "2016年全县乡镇综合指数平均 76.7 分，与2015年（76.7 分）持平。"


def test_a_rise_is_the_difference_of_the_printed_figures():
    # 2015 mean 70.04 → 70.0; 2016 mean 70.96 → 71.0: 1.0, not 0.9
    scores = _overall([(2015, "甲", 70.04), (2016, "甲", 70.96)])
    assert _average(scores, 2016) == "2016年全县乡镇综合指数平均 71.0 分，比2015年（70.0 分）提高 1.0 分。"


def test_a_partial_year_compares_the_same_townships():
    scores = _overall([(2015, "甲", 60.0), (2015, "乙", 80.0), (2016, "甲", 62.0)])
    assert _average(scores, 2016) == "2016年已报送的 1 个乡镇综合指数平均 62.0 分，比这些乡镇2015年（60.0 分）提高 2.0 分。"
