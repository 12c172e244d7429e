"""The 反馈单's small chart: a township's 综合指数 per year with its 名次, checked in the artists'
data (no stored PNG), and the same PNG bytes on every drawing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis.charts.feedback import history_rows, plot_township_history, township_history_png


def _scores() -> pd.DataFrame:
    """Two townships over three years; 东山镇's 2014 result provisional; a sub-index row to ignore."""
    rows = [("东山镇", 2013, "overall", 50.0, 2, "差", False), ("东山镇", 2014, "overall", 61.25, 1, "一般", True),
            ("东山镇", 2015, "overall", 78.4, 2, "一般", False), ("西河乡", 2013, "overall", 55.0, 1, "差", False),
            ("西河乡", 2014, "overall", 58.0, 2, "差", False), ("西河乡", 2015, "overall", 80.0, 1, "较好", False),
            ("东山镇", 2015, "demo", 12.0, 9, "差", False)]
    return pd.DataFrame(rows, columns=["unit_name", "year", "group", "score", "rank", "grade", "provisional"])


def test_points_and_labels_follow_the_scores():
    ax = plot_township_history(_scores(), "东山镇", 2015).axes[0]
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [2013, 2014, 2015]
    assert np.allclose(line.get_ydata(), [50.0, 61.25, 78.4])           # overall rows only, not the sub-index
    texts = [t.get_text() for t in ax.texts]
    assert texts[:6] == ["50.0", "第2名", "61.2*", "第1名", "78.4", "第2名"]   # 61.25 → 61.2 (.1f), * = 待核实
    assert "* 待核实" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013年", "2014年", "2015年"]


def test_year_limits_the_history():
    rows = history_rows(_scores(), "西河乡", 2014)
    assert rows["year"].tolist() == [2013, 2014] and rows["rank"].tolist() == [1, 2]
    ax = plot_township_history(_scores(), "西河乡", 2014).axes[0]
    assert list(ax.get_lines()[0].get_xdata()) == [2013, 2014]
    assert not any(t.get_text() == "* 待核实" for t in ax.texts)


def test_png_is_the_same_bytes_each_time():
    first = township_history_png(_scores(), "东山镇", 2015)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert township_history_png(_scores(), "东山镇", 2015) == first
    assert township_history_png(_scores(), "西河乡", 2015) != first


def test_unknown_township_is_one_chinese_line():
    with pytest.raises(ValueError, match="综合指数中没有“南岭镇”的结果"):
        plot_township_history(_scores(), "南岭镇")
