"""Takeaways say a fall in words, never a minus sign after a word that already says it (issue 25 §5:
“差 -25.9 分” → “低 25.9 分”)."""

from __future__ import annotations

import pandas as pd

from dangjian_analysis.charts._text import gap_text
from dangjian_analysis.charts.takeaways import takeaway_growth, takeaway_slope


def test_gap_text_says_the_direction_in_words():
    assert gap_text(-25.9) == "低 25.9 分"
    assert gap_text(3.24) == "高 3.2 分"
    assert gap_text(0.04) == "持平"                        # rounds to 0.0
    assert gap_text(-3, "%", below="下降") == "下降 3.0%"
    assert gap_text(-2.456, "分", below="下降", digits=2) == "下降 2.46 分"


def _scores(y2014, y2015):
    return pd.DataFrame({"unit_name": ["甲", "乙"] * 2, "year": [2014, 2014, 2015, 2015], "group": "overall",
                         "score": [*y2014, *y2015]})


def test_slope_takeaway_when_every_township_fell():
    # means 65.0 → 61.5; 甲 −2.0, 乙 −5.0
    assert takeaway_slope(_scores([70.0, 60.0], [68.0, 55.0]), 2014, 2015) == \
        "全县平均由 65.0 分降至 61.5 分；各乡镇都有下降，甲降幅最小（下降 2.0 分）。"


def test_slope_takeaway_when_one_rose_and_when_none_moved():
    assert takeaway_slope(_scores([70.0, 60.0], [72.5, 61.0]), 2014, 2015) == \
        "全县平均由 65.0 分升至 66.8 分；甲提高最多（2.5 分）。"
    assert takeaway_slope(_scores([70.0, 60.0], [70.0, 58.0]), 2014, 2015) == \
        "全县平均由 65.0 分降至 64.0 分；没有乡镇提高，甲持平。"


def test_growth_takeaway_without_minus_signs():
    falling = pd.DataFrame({"unit_name": ["甲", "乙"], "pct_per_year": [-3.04, -7.5], "last": [100.0, 900.0]})
    text = takeaway_growth(falling)
    assert text == "各乡镇主导产业产值都没有增长，甲降幅最小（年均下降 3.0%），乙产值最高（900 万元）。"
    assert "-" not in text
    rising = falling.assign(pct_per_year=[12.34, 1.0])
    assert takeaway_growth(rising) == "甲主导产业产值年均增长最快（12.3%），乙产值最高（900 万元）。"
