"""Takeaways of a partial year and of a doubtful value: never compare unlike sets, never hide a
held value in a county figure (hand-worked tables on the default catalogue's 10 townships)."""

from __future__ import annotations

import pandas as pd
import pytest

from dangjian_analysis.charts import takeaways as tk
from dangjian_analysis.catalog import load_catalog

CAT = load_catalog()
TOWNS = list(CAT.townships["unit_name"])
THREE = ["东山镇", "西河乡", "金谷镇"]
DOUBT = "数值存疑待确认：联家村“村级办公经费”62100（东山镇.xlsx 村级指标 V50）"


def _values(rows):
    frame = pd.DataFrame(rows, columns=["unit_name", "year", "value"])
    frame.attrs["catalog"] = CAT
    return frame


def _scores(rows):
    """Overall rows ``(unit, year, score, rank, provisional_reason)``."""
    frame = pd.DataFrame(rows, columns=["unit_name", "year", "score", "rank", "provisional_reason"])
    frame = frame.assign(group="overall", provisional=frame["provisional_reason"] != "")
    frame.attrs["catalog"] = CAT
    return frame


def test_a_held_value_is_said_in_the_trend_takeaway():
    # 2014: every township 4.0; 2015: 6.0 each, but 东山镇 1000 (a doubtful 62100 in one village)
    rows = [(t, 2014, 4.0) for t in TOWNS] + [(t, 2015, 1000.0 if t == "东山镇" else 6.0) for t in TOWNS]
    marks = {("东山镇", 2015): DOUBT}
    text = tk.takeaway_trend(_values(rows), "村级办公经费", "万元", 5, marks=marks)
    # (9 × 6 + 1000) / 10 = 105.4
    assert text == ("全县村级办公经费村均值由 2014 年的 4.0 万元提高到 2015 年的 105.4 万元（含待核实数值），"
                    "10 个乡镇的村均值达到目标 5 万元（含待核实的东山镇）。")
    # a hold only because townships have not reported is not a doubtful value
    roll = {("东山镇", 2015): "全县尚有 7 个乡镇未报送"}
    assert "待核实" not in tk.takeaway_trend(_values(rows), "村级办公经费", "万元", 5, marks=roll)


def test_a_partial_year_trend_compares_the_townships_that_reported():
    # 2014: the three 2, 3, 4 (mean 3.0), the other seven 10; 2015: only the three, 6, 7, 8 (mean 7.0)
    rows = [(t, 2014, {"东山镇": 2.0, "西河乡": 3.0, "金谷镇": 4.0}.get(t, 10.0)) for t in TOWNS]
    rows += [(t, 2015, v) for t, v in zip(THREE, (6.0, 7.0, 8.0))]
    text = tk.takeaway_trend(_values(rows), "村级办公经费", "万元", 5)
    assert text == ("已报送的 3 个乡镇村级办公经费村均值由 2014 年的 3.0 万元提高到 2015 年的 7.0 万元，"
                    "3 个乡镇的村均值达到目标 5 万元。")


def _season():
    """2013 and 2014: all ten ranked by the catalogue's order (score 90 − 5k); 2015: only the
    three, 西河乡 first. 2014 → 2015 of the three: 东山镇 85 → 70, 西河乡 80 → 90, 金谷镇 75 → 80."""
    rows = []
    for year in (2013, 2014):
        ordered = TOWNS if year == 2014 else TOWNS[::-1]
        rows += [(t, year, 90.0 - 5 * k, k + 1, "") for k, t in enumerate(ordered)]
    rows += [("西河乡", 2015, 90.0, 1, "全县尚有 7 个乡镇未报送"), ("金谷镇", 2015, 80.0, 2, "全县尚有 7 个乡镇未报送"),
             ("东山镇", 2015, 70.0, 3, "全县尚有 7 个乡镇未报送")]
    return _scores(rows)


def test_partial_year_ranking_slope_and_bump_words():
    scores = _season()
    base = {t: 90.0 - 5 * k for k, t in enumerate(TOWNS)}
    before = sum(base[t] for t in THREE) / 3
    assert tk.takeaway_ranking(scores, 2015) == ("西河乡（待核实）以 90.0 分居首，东山镇（待核实） 70.0 分居末，"
                                                 "已报送的 3 个乡镇平均 80.0 分。")
    slope = tk.takeaway_slope(scores, 2014, 2015)
    assert slope.startswith(f"已报送的 3 个乡镇平均由 {before:.1f} 分")
    # ranks among 3 in 2015 are not compared with ranks among 10
    # 2013 is the reverse order: the first of 2014 rose from 10th, 9 places
    assert tk.takeaway_bump(scores) == f"2015 年有乡镇未报送，名次不与往年比较；2013–2014 年名次上升最多的是{TOWNS[0]}（上升 9 位）。"


def test_a_full_year_keeps_its_words():
    rows = [(t, y, 60.0 + k + (y - 2014) * 2, k + 1, "") for y in (2014, 2015) for k, t in enumerate(TOWNS)]
    scores = _scores(rows)
    assert tk.takeaway_ranking(scores, 2015).endswith(f"全县平均 {sum(62.0 + k for k in range(10)) / 10:.1f} 分。")
    assert tk.takeaway_slope(scores, 2014, 2015).startswith("全县平均由 64.5 分升至 66.5 分；")
    assert tk.takeaway_bump(scores) == "2014–2015 年各乡镇名次没有上升。"


@pytest.mark.parametrize("reason, said", [(DOUBT, True), ("全县尚有 7 个乡镇未报送", False)])
def test_a_ranking_mean_with_a_doubtful_value_says_so(reason, said):
    rows = [(t, 2015, 70.0 - k, k + 1, reason if t == "东山镇" else "") for k, t in enumerate(TOWNS)]
    text = tk.takeaway_ranking(_scores(rows), 2015)
    assert text.endswith("全县平均 65.5 分（含待核实数值）。" if said else "全县平均 65.5 分。")


def test_partial_year_charts_say_whom_they_draw():
    from dangjian_analysis.charts.trends import plot_bump, plot_slope

    scores = _season()
    bump = plot_bump(scores, catalog=CAT)
    assert bump._suptitle.get_text() == "各乡镇综合指数名次变化（2013–2014，2015年未报齐）"
    xs = {x for line in bump.axes[0].get_lines() for x in line.get_xdata()}
    assert xs == {2013, 2014}                       # no rank among 3 drawn on the scale of ranks among 10
    slope = plot_slope(scores, 2014, 2015, catalog=CAT)
    assert slope._suptitle.get_text() == "综合指数：2014年与2015年对比（已报送的 3 个乡镇）"


def test_a_move_resting_on_a_held_result_is_said_to_wait_in_the_takeaway_and_notes():
    from dangjian_analysis.documents import _notes as nt
    from dangjian_analysis.documents.slides import move_marks
    from dangjian_analysis.metrics.trends import grade_transitions

    # 2015 → 2016 of three townships: 东山镇 较好 → 差 with four villages absent, 西河乡 一般 → 较好, 金谷镇 一般 → 一般;
    # 2016 is partial: every result also waits for the roll
    roll = "全县尚有 7 个乡镇未报送"
    absent = "村级数据不全：8/12 个村有数据；花桥村未报送任何村级指标（按不得分计，请核实）"
    rows = [("东山镇", 2015, "较好", ""), ("西河乡", 2015, "一般", ""), ("金谷镇", 2015, "一般", ""),
            ("东山镇", 2016, "差", f"{absent}；{roll}"), ("西河乡", 2016, "较好", roll), ("金谷镇", 2016, "一般", roll)]
    scores = pd.DataFrame(rows, columns=["unit_name", "year", "grade", "provisional_reason"]).assign(
        unit_id=lambda f: f["unit_name"], group="overall", provisional=lambda f: f["provisional_reason"] != "")
    scores.attrs["catalog"] = CAT
    moves = grade_transitions(scores, 2015, 2016)
    marks = move_marks(scores, 2015, 2016)
    assert marks == {"东山镇": f"2016年：{absent}"}                   # the roll's hold is not a doubt about the grade
    assert tk.takeaway_transitions(moves, marks) == "晋位升级 1 个（西河乡），持平 1 个，降级 1 个（东山镇，待核实）。"
    # without the reasons every provisional move is said to wait (the reason unknown)
    assert tk.takeaway_transitions(moves) == "晋位升级 1 个（西河乡，待核实），持平 1 个，降级 1 个（东山镇，待核实）。"
    assert nt.notes_transitions(moves, marks).splitlines() == [
        "等次变化：", "晋位升级 1 个：西河乡 一般→较好", "持平 1 个：金谷镇 一般→一般",
        f"降级 1 个：东山镇 较好→差（待核实：2016年：{absent}）"]
    assert tk.named_held(["甲", "乙"], {"乙": "x"}) == "（甲、乙，其中乙待核实）"
    assert tk.named_held([], {}) == ""
