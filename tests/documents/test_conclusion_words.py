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


def test_a_doubtful_value_is_named_with_its_reason():
    from dangjian_analysis.catalog import load_catalog
    from dangjian_analysis.documents.conclusions import _doubtful, doubt_reason

    both = ("村级办公经费（万元）有 2 个问题：①62100 不在常见范围 0.5–50 内，如果填的是元，应换算为 6.21 万元；否则请核实是否"
            "多输了数字；②62100（万元），与上年（2014 年，东山镇.xlsx 村级指标 V35：4.88）相比约为上年的 1 万倍，请核实单位是否为万元")
    assert doubt_reason(both) == "约为上年的 1 万倍"                       # the year-on-year change first
    assert doubt_reason("示范点（个）：33 不在常见范围 0–8 内，请核实") == "不在常见范围 0–8 内"
    assert doubt_reason("村级后备干部（人）：12（人），与上年（…：2）相比是上年的 6 倍，请核实是否多输或少输了一位数字") == "是上年的 6 倍"
    assert doubt_reason("别的话") == ""
    doubtful = pd.DataFrame({"township": ["东山镇"], "unit_name": ["联家村"], "indicator": ["office_funds"],
                             "value": [62100.0], "message": [both]})
    cat = load_catalog()
    name = cat.indicator("office_funds")["name"]
    assert _doubtful(doubtful, cat) == (f"有 1 个数值存疑、尚待乡镇或分析人员确认：东山镇联家村“{name}”62100（约为上年的 1 万倍）；"
                                        "东山镇的结果因此标为待核实（见“数据质量”）。")


def test_moves_and_attainment_of_a_partial_year_are_said_of_the_townships_that_reported():
    from dangjian_analysis.documents.conclusions import _attainment, _moves

    moves = pd.DataFrame({"township": ["甲", "乙", "丙"], "move": ["up", "same", "same"]})
    assert _moves(moves) == "晋位升级 1 个（甲），降级 0 个，其余 2 个等次持平。"
    assert _moves(moves, "已报送的 3 个乡镇") == "已报送的 3 个乡镇中，晋位升级 1 个（甲），降级 0 个，其余 2 个等次持平。"
    table = pd.DataFrame({"township": ["全县", "全县"], "indicator": ["a", "b"], "target": ["是", "≥5"],
                          "share": [95.1, 26.8]})
    said = _attainment(table, {"a": "便民服务站正常运行", "b": "村级办公经费"}, "已报送的 3 个乡镇")
    assert said.startswith("2 项有目标的指标中，已报送的 3 个乡镇达标面最广的是便民服务站正常运行为“是”的村占 95.1%，"
                           "最窄的是村级办公经费≥5的村占 26.8%")


def test_a_move_resting_on_a_held_result_is_said_to_wait_but_not_a_roll_hold():
    from dangjian_analysis.documents.conclusions import _moves, move_holds

    absent = "村级数据不全：8/12 个村有数据；花桥村、兰坝村未报送任何村级指标（按不得分计，请核实）"
    moves = pd.DataFrame({"township": ["甲", "乙", "丙", "丁"], "move": ["down", "up", "up", "same"],
                          "provisional_reason": [f"2016年：{absent}；全县尚有 2 个乡镇未报送", "2016年：全县尚有 2 个乡镇未报送",
                                                 "2015年：数据不完整；2016年：全县尚有 2 个乡镇未报送", ""]})
    # 乙 waits only for the roll (the ranks move, not its grade): not 待核实; 丙's 2015 result is held
    assert move_holds(moves) == {"甲": absent, "丙": "数据不完整"}
    assert _moves(moves, "已报送的 8 个乡镇") == ("已报送的 8 个乡镇中，晋位升级 2 个（乙、丙，其中丙待核实），"
                                               "降级 1 个（甲，待核实），其余 1 个等次持平。")
    assert _moves(moves.drop(columns="provisional_reason")) == "晋位升级 2 个（乙、丙），降级 1 个（甲），其余 1 个等次持平。"


def test_a_village_that_sent_nothing_is_listed_for_that_reason_first():
    from dangjian_analysis.documents.conclusions import bottom_sentence
    from dangjian_analysis.documents.report_tables import bottom_clause

    assert bottom_clause(0.1, partial=True, absent=True) == "未报送任何村级指标（按不得分计）；综合指数位于已报送乡镇的村中最低的 10%"
    assert bottom_clause(0.1) == "综合指数位于全县最低的 10%"
    bottom = pd.DataFrame({"township": ["金谷镇", "青石乡"], "village": ["花桥村", "庆峰村"],
                           "reason": [bottom_clause(0.1, absent=True), bottom_clause(0.1) + "；连续2年未发展党员"]})
    assert bottom_sentence(bottom) == ("列入倒排整顿的村 2 个：金谷镇花桥村、青石乡庆峰村；"
                                       "其中金谷镇花桥村未报送任何村级指标（按不得分计，待核实）。")
    assert bottom_sentence(bottom.iloc[1:]) == "列入倒排整顿的村 1 个：青石乡庆峰村。"
    assert bottom_sentence(bottom.iloc[0:0]) == "今年没有列入倒排整顿的村。"
