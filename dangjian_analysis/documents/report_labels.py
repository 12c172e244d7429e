"""The report tables for people: Chinese sheet names, headers and values (the display layer).

:func:`label_table` turns one table of :func:`~dangjian_analysis.documents.report_tables.build_tables`
(English ids) into what the summary workbook, the Word and HTML report and the deck show; it is
the only place where the report's column ids meet their Chinese headers (those of the 考核细则
tables come from :mod:`._rubric_labels`, shared with ``dj.show``). Headers that depend on
the data — the two years of 晋位升级, the catalogue's rating names and group names — are made
from the catalogue and the years given.
"""

from __future__ import annotations

import pandas as pd

from ._rubric_labels import DETAIL_HEADERS, PART_HEADERS, RESULT_HEADERS, TRACE_HEADERS
from .assessment_tables import ASSESSMENT_COLUMNS
from .report_tables import COUNTY_MEAN_UNITS, NOT_RECORDED, OPTIONAL, REPORT_ONLY, TABLES, township_unit

__all__ = ["SHEETS", "label_table", "chinese_tables", "column_label", "unit_header", "feature_note", "PARTIAL_RANK",
           "REPORTED_ROW", "county_label", "county_rows"]

#: The 倒排 table's rank header in a partial year (ranked among the villages of the townships
#: that reported; 全县名次 otherwise).
PARTIAL_RANK = "名次（已报送）"

#: Table id → the sheet name of summary.xlsx (and the name the report's text uses).
SHEETS = {"ranking": "综合排名", "robustness": "排名稳健性", "sensitivity": "敏感性指数", "leave_one_out": "逐项剔除",
          "indicator_scores": "指标得分", "attainment": "目标达成", "feature": "一乡一品",
          "bottom": "倒排名单",
          "moves": "晋位升级", "village_moves": "村级晋位升级", "review": "述职评议", "annual": "年度考核",
          "assessment": "考核等次", "assessment_scores": "考核得分", "assessment_detail": "考核明细",
          "assessment_parts": "基础分分项", "doubtful": "存疑待确认", "confirmed": "已确认数值", "issues": "校验问题", "sources": "数据来源"}

#: Column id → header, per table (columns not listed here are labelled by :func:`column_label`).
_HEADERS = {
    "ranking": {"rank": "排名", "township": "乡镇", "village": "村（社区）", "score": "综合指数", "grade": "等次",
                "coverage_pct": "覆盖率", "rank_interval": "名次区间(5–95%)", "p_bottom": "倒排概率",
                "village_coverage": "村覆盖率", "provisional_reason": "待核实"},
    "robustness": {"rank": "排名", "township": "乡镇", "rank_interval": "名次区间(5–95%)", "median_rank": "中位名次",
                   "p_bottom_pct": "居末位组概率(%)", "provisional_reason": "待核实"},
    "sensitivity": {"name": "建模选择", "S1_pct": "一阶指数(%)", "S1_se_pct": "一阶指数标准误(%)", "ST_pct": "总效应指数(%)",
                    "ST_se_pct": "总效应指数标准误(%)"},
    "leave_one_out": {"rank": "排名", "township": "乡镇"},
    "indicator_scores": {"township": "乡镇", "group": "分项", "indicator": "指标", "unit": "单位", "value": "数值",
                         "score": "得分"},
    "attainment": {"township": "乡镇", "indicator": "指标", "target": "目标", "villages": "计入的村", "met": "达标村",
                   "share": "达标占比(%)"},
    "feature": {"township": "乡镇", "product": "主导产业"},
    "bottom": {"bottom_rank": "倒排序号", "township": "乡镇", "village": "村（社区）", "score": "综合指数",
               "rank": "全县名次", "grade": "等次", "reason": "列入原因", "provisional_reason": "待核实"},
    "moves": {"township": "乡镇", "move": "变化", "provisional_reason": "待核实"},
    "village_moves": {"township": "乡镇", "villages": "参评村数", "up": "晋位升级", "same": "持平", "down": "降级",
                      "up_units": "晋位升级的村", "down_units": "降级的村"},
    "review": {"secretary": "书记", "unit_name": "单位", "type": "类别", "valid": "有效票", "invalid": "无效票",
               "top_rate": "好票率", "good_rate": "好评率", "bad_rate": "差评率", "score": "加权得分", "grade": "等次",
               "rank": "类别内名次", "grade_note": "等次说明"},
    "annual": {"secretary": "书记", "unit_name": "单位", "type": "类别", "routine": "日常考核", "review": "述职评议",
               "satisfaction": "群众满意度", "annual": "年度综合", "parts": "计入部分", "rank": "类别内名次",
               "grade": "等次", "provisional_reason": "待核实"},
    "assessment": {c: RESULT_HEADERS[c] for c in ASSESSMENT_COLUMNS},
    "assessment_detail": DETAIL_HEADERS,
    "assessment_parts": PART_HEADERS,
    "assessment_scores": TRACE_HEADERS,
    "doubtful": {"township": "乡镇", "unit_name": "单位", "indicator": "指标", "value": "数值", "file": "文件",
                 "sheet": "工作表", "cell": "单元格", "message": "存疑原因"},
    "confirmed": {"township": "乡镇", "unit_name": "单位", "indicator": "指标", "value": "数值", "file": "文件",
                  "sheet": "工作表", "cell": "单元格", "note": "说明", "confirmed_by": "确认人", "date": "日期",
                  "confirmation_file": "确认表"},
    "sources": {"unit_name": "单位", "township": "乡镇", "year": "年度", "indicator": "指标", "unit": "单位（计量）",
                "value": "数值", "source_file": "来源文件", "source_sheet": "工作表", "source_cell": "单元格",
                "confirmed": "确认"},
}
_MOVES = {"up": "晋位升级", "same": "持平", "down": "降级"}


def column_label(table: str, column: str, *, catalog, year: int | None = None, previous: int | None = None) -> str:
    """The Chinese header of ``column`` in report table ``table``.

    Raises
    ------
    KeyError
        A column the display layer does not know (a new column must get its header here).
    """
    fixed = _HEADERS.get(table, {})
    if column in fixed:
        return fixed[column]
    if column.startswith("index:"):
        return dict(zip(catalog.groups["group"], catalog.groups["name"]))[column[len("index:"):]]
    if column.startswith("change:"):            # 逐项剔除: the rank change without a 工程
        return f"不计{dict(zip(catalog.groups['group'], catalog.groups['name']))[column[len('change:'):]]}"
    if table == "robustness" and column == "p_top_pct":
        return f"评为{catalog.grade_bands['grade'].iloc[0]}的概率(%)"
    if column.startswith("votes:"):
        return f"{column[len('votes:'):]}（票）"
    if table == "feature":                     # an indicator: 主导产业产值（万元）
        row = catalog.indicator(column)
        return unit_header(row["name"], township_unit(catalog, column))
    if table == "moves" and column in ("grade_from", "grade_to"):
        return f"{previous if column == 'grade_from' else year}年等次"
    raise KeyError(f"报告表 {table} 的列 {column} 没有中文表头")


def unit_header(name: str, unit: str) -> str:
    """``name（unit）`` as a header reads, nested brackets plain: ``unit_header("驻点走访农户覆盖率",
    "%（村均）")`` is ``"驻点走访农户覆盖率（%，村均）"`` (the one rule for a name with its unit, for
    every table that heads a column so; :func:`~dangjian_analysis.charts._text.plain_brackets`)."""
    from ..charts._text import plain_brackets

    return plain_brackets(f"{name}（{unit}）")


def label_table(table: str, frame: pd.DataFrame, *, catalog, year: int | None = None,
                previous: int | None = None, partial: bool = False) -> pd.DataFrame:
    """``frame`` (report table ``table``) with Chinese headers and values, for people.

    Indicator and group ids become their names, moves their words (晋位升级, 持平, 降级), source
    files the names the Dataset shows them by (``2016/东山镇.xlsx``); the issue list goes through :func:`~dangjian_analysis.documents.display.to_chinese`.
    Numbers are unchanged. The 倒排 table of a partial year (``attrs["partial"]``) heads its rank
    :data:`PARTIAL_RANK`. In a ``partial`` year (townships not yet reported) the county row
    (``全县``, ``全县平均``) is over the townships that reported and says so (:func:`county_rows`).
    """
    from .display import file_names, to_chinese

    if table == "issues":
        return to_chinese(frame, catalog=catalog)
    out = frame.copy()
    names = dict(zip(catalog.indicators["id"], catalog.indicators["name"]))
    if "indicator" in out and table != "ranking":
        out["indicator"] = out["indicator"].map(names)
    if table == "indicator_scores":
        out["group"] = out["group"].map(dict(zip(catalog.groups["group"], catalog.groups["name"])))
    if table == "moves":
        out["move"] = out["move"].map(_MOVES)
    if table == "sources":
        out["source_file"] = file_names(out["source_file"])
    for column in ("file", "confirmation_file"):
        if table in ("doubtful", "confirmed") and column in out:
            out[column] = file_names(out[column])
    out.columns = [column_label(table, c, catalog=catalog, year=year, previous=previous) for c in out.columns]
    if table == "bottom" and frame.attrs.get("partial"):       # ranked among the townships that reported
        out = out.rename(columns={_HEADERS["bottom"]["rank"]: PARTIAL_RANK})
    out.attrs = {}
    return county_rows(out, partial)


#: The county row's label over the townships that reported (a partial year).
REPORTED_ROW = "已报送乡镇"


def county_label(partial) -> str:
    """What a table's county row is over: ``全县``, or :data:`REPORTED_ROW` in a partial year."""
    return REPORTED_ROW if partial else "全县"


def county_rows(frame: pd.DataFrame, partial: bool) -> pd.DataFrame:
    """``frame`` with its county row (``全县``, ``全县平均`` in the 乡镇 column) named
    :data:`REPORTED_ROW` (``已报送乡镇``, ``已报送乡镇平均``) when ``partial``; unchanged otherwise."""
    if not partial or "乡镇" not in frame.columns:
        return frame
    return frame.assign(乡镇=frame["乡镇"].replace({"全县": REPORTED_ROW, "全县平均": f"{REPORTED_ROW}平均"}))


def chinese_tables(tables: dict[str, pd.DataFrame], *, catalog, year: int, previous: int,
                   partial: bool = False) -> dict[str, pd.DataFrame]:
    """Every report table labelled, ``{sheet name: DataFrame}`` in the order of :data:`TABLES`
    (those of :data:`~.report_tables.REPORT_ONLY` are for the report's text, not sheets)."""
    return {SHEETS[t]: label_table(t, tables[t], catalog=catalog, year=year, previous=previous, partial=partial)
            for t in TABLES if t in tables and t not in REPORT_ONLY and not (t in OPTIONAL and tables[t].empty)}


def feature_note(catalog, table: pd.DataFrame, county: str = "全县") -> str:
    """The sentence that introduces the 一乡一品 table (``feature``, English ids): what its 全县
    row holds, and that the 主导产业 is not recorded when the catalogue does not name it."""
    names = dict(zip(catalog.indicators["id"], catalog.indicators["name"]))
    shown = [c for c in table.columns if c in names]
    means = [names[c] for c in shown if catalog.indicator(c)["unit"] in COUNTY_MEAN_UNITS]
    sums = [names[c] for c in shown if c not in means and names[c] not in means]
    text = f"各乡镇一乡一品主导产业及其指标值（单位见表头），乡镇按全县统一顺序排列；末行为{county}：" + "、".join(sums) + "为各乡镇合计"
    text += ("，" + "、".join(means) + "为各乡镇平均" if means else "") + "。"
    if (table["product"] == NOT_RECORDED).any():
        text += f"指标体系中没有写主导产业（[[townships]] 的 product）的乡镇，表中写“{NOT_RECORDED}”。"
    return text
