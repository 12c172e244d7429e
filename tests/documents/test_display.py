"""The display layer: every table the API returns, shown to people, is Chinese — headers and values,
fixed decimals, rates as percentages, no ids or absolute paths — and the data underneath are unchanged.

``english_in`` and ``visible_text`` are shared with the notebook and report tests.
"""

from __future__ import annotations

import html as html_lib
import re
import warnings

import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.documents import display

#: English labels that must never reach a reader (besides the catalogue's ids, added below).
ENGLISH = ["unit_name", "unit_id", "cells_read", "cells_accepted", "cells_rejected", "cells_empty", "top_rate",
           "good_rate", "bad_rate", "county_leaders", "rater_group", "loaded", "rejected", "skipped", "error", "index",
           "warning", "severity", "overall", "goalposts", "provisional", "village_coverage", "NaN", "<NA>", "None",
           "True", "False", "UserWarning", "Traceback", "Styler"]
#: Beginnings of absolute paths.
PATHS = ["/work/", "/tmp/", "/home/", "/root/", "/usr/", "C:\\"]


def _catalog_ids() -> list[str]:
    cat = load_catalog()
    return [*cat.indicators["id"], *cat.groups["group"], *cat.review.rater_groups["id"]]


def english_in(text: str) -> list[str]:
    """The English labels, catalogue ids (indicators, groups, rater groups) and absolute paths in ``text``."""
    found = [w for w in [*ENGLISH, *_catalog_ids()]
             if re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", text)]
    return found + [p for p in PATHS if p in text]


def visible_text(html: str) -> str:
    """What a reader sees of an HTML page or fragment: no styles, scripts or tags."""
    body = re.sub(r"<(style|script)\b[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def shown(styler) -> str:
    """Everything a notebook shows of ``dj.show(...)``: its HTML as read and its plain text."""
    return visible_text(styler.to_html() if hasattr(styler, "to_html") else styler._repr_html_()) + repr(styler)


@pytest.fixture(scope="module")
def bad_dataset(sample_copy_module):
    """The sample with a text in a number cell and one file named twice (a path in a message)."""
    from helpers import edit

    edit(sample_copy_module / "东山镇.xlsx", "村级指标", {("office_funds", 9): "很多", ("training_rate", 4): 120})
    return dj.load(sample_copy_module, sample_copy_module / "东山镇.xlsx", progress=False)


@pytest.fixture(scope="module")
def sample_copy_module(tmp_path_factory):
    from helpers import copy_sample

    return copy_sample(tmp_path_factory.mktemp("display") / "returned")


def _tables(ds, scores):
    review = dj.review(ds)
    sat = dj.aggregate_villages(ds).query("indicator == 'satisfaction'")[["township", "year", "value"]]
    feature = dj.aggregate_villages(ds).query("indicator == 'feature_output'")
    return {
        "files": ds.files, "sheets": ds.sheets, "observations": ds.observations, "ballots": ds.ballots,
        "ledger": ds.ledger, "links": ds.links, "aggregate": dj.aggregate_villages(ds),
        "indicator_scores": dj.score_indicators(ds), "scores": scores, "ranking": dj.ranking_table(scores),
        "uncertainty": dj.rank_uncertainty(ds, draws=20), "year_over_year": dj.year_over_year(scores),
        "growth": dj.growth(feature), "most_improved": dj.most_improved(scores),
        "attainment": dj.target_attainment(ds), "attainment_township": dj.target_attainment(ds, by="township"),
        "bottom": dj.flag_bottom(ds), "two_ends": dj.classify_two_ends(scores),
        "ledger_status": dj.ledger_status(ds), "link_coverage": dj.link_coverage(ds), "review": review,
        "raters": review.query("rater_group != 'overall'").pivot_table(index="secretary", columns="rater_group",
                                                                       values="score"),
        "annual": dj.annual_assessment(scores, review, sat),
        "transitions": dj.grade_transitions(scores, 2014, 2015).units,
    }


@pytest.fixture(scope="module")
def main_tables(sample_loaded, sample_dataset_metrics):
    return _tables(sample_loaded, sample_dataset_metrics)


def test_english_in_finds_what_it_should():
    assert english_in("单位 unit_name 与 office_funds，/tmp/x/东山镇.xlsx") == ["unit_name", "office_funds", "/tmp/"]
    assert english_in("东山镇.xlsx 村级指标 D7 好票率 77.8%") == []
    assert visible_text('<style>.error{}</style><p class="error">错误</p>') .strip() == "错误"


@pytest.mark.parametrize("name", ["files", "sheets", "observations", "ballots", "ledger", "links", "aggregate",
                                  "indicator_scores", "scores", "ranking", "uncertainty", "year_over_year",
                                  "growth", "most_improved", "attainment", "attainment_township", "bottom",
                                  "two_ends", "ledger_status", "link_coverage", "review", "raters", "annual",
                                  "transitions"])
def test_show_of_every_main_table_is_chinese(main_tables, name):
    table = main_tables[name]
    table = table.iloc[::max(1, len(table) // 300)]          # rows from every year, group and unit
    styler = dj.show(table)
    assert english_in(shown(styler)) == []
    assert not [h for h in styler.data.columns if re.search("[A-Za-z]", str(h))]   # every header in Chinese
    chinese = dj.to_chinese(table)
    assert english_in(chinese.to_csv(index=False)) == []
    assert not [h for h in chinese.columns if re.search("[A-Za-z]", str(h))]


def test_issues_and_dataset_summary_are_chinese(bad_dataset):
    assert bad_dataset.n_errors == 2 and "repeated_path" in set(bad_dataset.issues["code"])
    assert any("/" in m for m in bad_dataset.issues["message"])           # the API keeps the full path
    text = shown(dj.show(bad_dataset.issues))
    assert english_in(text) == [] and "很多" in text and "错误" in text and "东山镇.xlsx" in text
    summary = visible_text(bad_dataset._repr_html_())
    assert english_in(summary) == []
    assert "共 11 个文件（已读取 11）；错误 2 条，提示 1 条" in summary and "很多" in summary
    from IPython.lib.pretty import pretty

    assert english_in(pretty(bad_dataset)) == [] and "错误 2 条" in pretty(bad_dataset)
    assert repr(dj.show(bad_dataset)) == pretty(bad_dataset)


def test_dataset_summary_names_files_counts_and_years(sample_loaded):
    html = sample_loaded._repr_html_()
    text = visible_text(html)
    assert "采用指标值 11070 个：2012–2015 年，10 个乡镇、127 个村（社区）" in text
    assert "读取单元格" in text and "东山镇.xlsx" in text and "已读取" in text
    assert html == sample_loaded._repr_html_()


def test_show_formats_by_hand():
    frame = pd.DataFrame({"unit_id": ["T01", "T02"], "unit_name": ["东山镇", "西河乡"], "year": [2015, 2015],
                          "indicator": ["office_funds", "training_rate"], "rater_group": ["county_leaders", "overall"],
                          "top_rate": [0.12345, None], "share": [66.666, 100.0], "score": [90.0, 59.94],
                          "value": [4.567, 12.0], "rank": pd.array([1, None], dtype="Int64"),
                          "source_file": ["/work/x/东山镇.xlsx", "C:\\数据\\西河乡.xlsx"],
                          "severity": ["error", "warning"], "status": ["loaded", "skipped"],
                          "provisional": [True, False], "code": ["over_100", "no_such_code"]})
    before = frame.copy()
    table = dj.show(frame)
    text = table._text
    assert list(text.columns) == ["单位", "年度", "指标", "评议人类别", "好票率", "达标占比", "得分", "数值", "名次",
                                  "来源文件", "级别", "状态", "待核实", "问题类别"]
    assert text.iloc[0].tolist() == ["东山镇", "2015", "村级办公经费", "县级领导", "12.3%", "66.7%", "90.0", "4.6",
                                     "1", "东山镇.xlsx", "错误", "已读取", "待核实", "数值"]
    assert text.iloc[1].tolist() == ["西河乡", "2015", "党员轮训率", "全体评议人（加权）", "—", "100.0%", "59.9",
                                     "12.0", "—", "西河乡.xlsx", "提示", "已跳过（锁定或附属文件、隐藏或打不开的文件夹）", "", "其他"]
    pd.testing.assert_frame_equal(frame, before)                       # the input is never changed
    assert table.data["好票率"].iloc[0] == 0.12345                      # numbers stay numbers underneath
    assert dj.show(frame, ids=True)._text.columns[0] == "单位编号"
    assert dj.show(frame, digits=3)._text["得分"].iloc[1] == "59.940"
    assert dj.show(frame.iloc[[1, 0]])._text["单位"].tolist() == ["西河乡", "东山镇"]     # no row numbers shown
    assert dj.show(frame.set_index("unit_name"))._text.columns[0] == "单位"            # a named index is shown


def test_show_html_is_deterministic_and_escaped():
    frame = pd.DataFrame({"message": ["<b>x</b> 见 /work/main/data/东山镇.xlsx"], "score": [1.0]})
    a, b = dj.show(frame).to_html(), dj.show(frame).to_html()
    assert a == b and "<b>x</b>" not in a and "&lt;b&gt;" in a
    assert "/work/" not in a and "东山镇.xlsx" in a
    assert " at 0x" not in repr(dj.show(frame))


def test_pivoted_years_and_percent_columns(sample_loaded):
    att = dj.target_attainment(sample_loaded, by="township").query("township == '全县'")
    share = att.pivot(index="indicator", columns="year", values="share")
    text = dj.show(share, percent=[2012, 2013, 2014, 2015])._text
    assert list(text.columns) == ["指标", "2012年", "2013年", "2014年", "2015年"]
    assert text.set_index("指标").loc["村级办公经费", "2015年"].endswith("%")


def test_to_chinese_and_column_notes(sample_dataset_metrics):
    chinese = dj.to_chinese(sample_dataset_metrics)
    assert len(chinese) == len(sample_dataset_metrics)
    assert chinese["得分"].tolist() == sample_dataset_metrics["score"].tolist()
    assert set(chinese["分项"]) >= {"示范创建工程", "综合指数"}
    notes = display.column_notes(sample_dataset_metrics)
    assert notes["列名"].tolist() == chinese.columns.tolist()
    assert dict(zip(notes["接口列名"], notes["列名"]))["coverage"] == "权重覆盖率"
    assert all(notes["说明"])
    assert set(display.COLUMN_LABELS) >= {"unit_name", "cells_read", "top_rate", "provisional", "village_coverage",
                                          "provisional_reason", "rater_group", "incomplete_reason"}


def test_chinese_warnings_show_one_line_and_are_undone():
    original = warnings.formatwarning
    with dj.chinese_warnings():
        line = warnings.formatwarning("权重已归一化", UserWarning, "/work/main/x.py", 3)
    assert line == "提示：权重已归一化\n"
    assert warnings.formatwarning is original
