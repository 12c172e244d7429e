"""The tidy data model: every table the toolkit reads or writes, one row per fact.

Observations (``OBSERVATION_COLUMNS``)
    One accepted value: ``unit_id, unit_name, level, township, year, indicator, value``
    plus provenance ``source_file, source_sheet, source_cell``.
    ``level`` is ``village`` or ``township``; for a township row ``township`` is its own
    name. ``indicator`` is the catalogue id; ``value`` is a float in the catalogue's unit
    (0/1 indicators as 0.0/1.0, percentages as 0–100). ``source_cell`` is an A1 address
    such as ``D7``; for CSV input it is ``第N行/表头``.

Ballots (``BALLOT_COLUMNS``)
    述职评议 tallies: ``year, secretary, unit_name, rater_group, item, rating, count`` —
    ``count`` ballots of rater group ``rater_group`` (catalogue id) gave ``secretary`` the
    rating ``rating`` (好/较好/一般/差, 不了解 or 空白) on ``item``.

四风 ledger (``LEDGER_COLUMNS``)
    ``township, item_id, description, opened, due, closed, status``: one rectification
    item, dates as ``datetime64``; ``closed`` is empty while the item is open.

驻点 links (``LINK_COLUMNS``)
    ``leader_team, township, village, year, households_visited``: a county leader team
    linked to a village in a year, and the households it visited.

加减分台账 (``ADJUSTMENT_COLUMNS``)
    ``year, unit, item, reason, basis, date, department, role, points``: one entry of the
    考核细则's ledger — a per_incident item, 加分, 直接扣分 or 一票否决 (``item``: its id) for a
    unit (``unit``: the catalogue unit of a secretary, e.g. 东山镇党委, whether the clerk wrote
    the unit, its township or the secretary's name); ``role`` the 职务 or 严重程度 the rule
    prices (text, "" where blank); ``points`` the 分值 written (positive, as the rule gives it;
    NaN where left blank); ``date`` datetime64 (NaT where blank). ``source_cell`` is the
    entry's 项目编号 cell.

考核清单 (``CHECKLIST_COLUMNS``)
    ``year, unit, item, check, done``: whether a unit did one check (清单项) of a checklist
    item; ``done`` bool. ``source_cell`` is the row's 项目编号 cell.

测评票 (``BALLOT_SHEET_COLUMNS``)
    ``year, rater_group, item, ballot, secretary, rating, score``: one cell of a per-ballot
    sheet (one row a ballot, one column a secretary): rater group id, 评议项目, 票号 (text),
    the secretary's catalogue name, and either ``rating`` (好/较好/一般/差 or an invalid
    rating such as 不了解; a blank cell on a ballot is 空白) with ``score`` NaN, or ``score``
    (0–100) with ``rating`` None. ``source_cell`` is the cell.

Issues (``ISSUE_COLUMNS``) and files (``FILE_COLUMNS``)
    What validation found (``file, sheet, cell, severity, code, message``; message in
    Chinese) and one row per input file with its cell accounting
    ``cells_read = cells_accepted + cells_rejected + cells_empty``; sheets
    (``SHEET_COLUMNS``) give the same accounting per sheet.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "PROVENANCE", "OBSERVATION_COLUMNS", "BALLOT_COLUMNS", "LEDGER_COLUMNS", "LINK_COLUMNS",
    "ADJUSTMENT_COLUMNS", "CHECKLIST_COLUMNS", "BALLOT_SHEET_COLUMNS", "BALLOT_SHEET_KEYS",
    "COUNTY_SHEETS", "COUNTY_ALIASES", "COUNTY_OPTIONAL",
    "ISSUE_COLUMNS", "FILE_COLUMNS", "SHEET_COLUMNS", "as_dates", "empty_frame",
    "KEY_HEADERS", "YEAR_ID_PREFIX", "NOTE_ID", "NOTE_HEADER", "TEMPLATE_FOOTER", "TEMPLATE_PRINT_SUFFIX",
]

PROVENANCE = ["source_file", "source_sheet", "source_cell"]
OBSERVATION_COLUMNS = ["unit_id", "unit_name", "level", "township", "year", "indicator",
                       "value", *PROVENANCE]
BALLOT_COLUMNS = ["year", "secretary", "unit_name", "rater_group", "item", "rating", "count"]
LEDGER_COLUMNS = ["township", "item_id", "description", "opened", "due", "closed", "status"]
LINK_COLUMNS = ["leader_team", "township", "village", "year", "households_visited"]
ADJUSTMENT_COLUMNS = ["year", "unit", "item", "reason", "basis", "date", "department", "role", "points"]
CHECKLIST_COLUMNS = ["year", "unit", "item", "check", "done"]
BALLOT_SHEET_COLUMNS = ["year", "rater_group", "item", "ballot", "secretary", "rating", "score"]
#: The key columns of a 测评票 sheet; every other column is headed by a secretary's name.
BALLOT_SHEET_KEYS = ["year", "rater_group", "item", "ballot"]
ISSUE_COLUMNS = ["file", "sheet", "cell", "severity", "code", "message"]
FILE_COLUMNS = ["file", "status", "cells_read", "cells_accepted", "cells_rejected", "cells_empty"]
SHEET_COLUMNS = ["file", "sheet", "cells_read", "cells_accepted", "cells_rejected", "cells_empty"]

#: Chinese headers of the county workbook's sheets, field by field.
COUNTY_SHEETS = {
    "ballots": ("述职评议", dict(zip(BALLOT_COLUMNS, ["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"]))),
    "ledger": ("四风台账", dict(zip(LEDGER_COLUMNS, ["乡镇", "编号", "问题描述", "建账日期", "整改时限", "销号日期", "状态"]))),
    "links": ("驻点联系", dict(zip(LINK_COLUMNS, ["驻点工作组", "乡镇", "村（社区）", "年度", "走访农户数"]))),
    "adjustments": ("加减分台账", dict(zip(ADJUSTMENT_COLUMNS, ["年度", "单位", "项目编号", "事由", "依据", "日期",
                                                            "认定部门", "职务或严重程度", "分值"]))),
    "checklist": ("考核清单", dict(zip(CHECKLIST_COLUMNS, ["年度", "单位", "项目编号", "清单项", "完成情况"]))),
    #: one row a ballot: these key columns, then one column per secretary headed by the secretary's name
    "ballot_sheets": ("测评票", dict(zip(BALLOT_SHEET_KEYS, ["年度", "评议人类别", "评议项目", "票号"]))),
}

#: Other headers under which clerks return the county columns (besides the headers above, the
#: field ids and, for 乡镇/村（社区）/年度, the township workbook's key aliases).
COUNTY_ALIASES = {
    "ballots": {"year": ("评议年度", "述职年度"),
                "secretary": ("书记姓名", "姓名", "述职人", "述职书记", "被评议人", "被评议书记"),
                "unit_name": ("单位名称", "所在单位", "党组织", "党（工）委", "述职单位"),
                "rater_group": ("评议人类型", "评议人", "评议主体", "评议人员类别", "类别"),
                "item": ("评议内容", "评议项", "项目", "评议事项"),
                "rating": ("评议等次", "评价等次", "评价结果", "评议结果", "等次", "评议意见"),
                "count": ("票", "得票数", "票数（票）", "张数", "计票", "票数合计")},
    "ledger": {"item_id": ("台账编号", "问题编号", "编码"),
               "description": ("问题", "存在问题", "问题表现", "具体问题", "问题内容"),
               "opened": ("建账时间", "立项日期", "发现日期", "登记日期", "建账日"),
               "due": ("整改期限", "完成时限", "整改时限日期", "限期"),
               "closed": ("销号时间", "完成日期", "整改完成日期", "办结日期", "销号日"),
               "status": ("整改状态", "销号状态", "进展情况", "办理状态")},
    "links": {"leader_team": ("工作组", "驻点组", "驻点领导班子", "联系领导班子", "驻点工作组名称"),
              "households_visited": ("走访户数", "走访农户", "走访农户数（户）", "走访户数（户）", "走访群众户数")},
    "adjustments": {"year": ("考核年度",), "unit": ("单位名称", "被考核单位", "党组织", "考核对象"),
                    "item": ("编号", "考核项目编号", "细则编号", "项目代码"),
                    "reason": ("事项", "具体事由", "情况说明", "加减分事由"),
                    "basis": ("依据（文件或通报号）", "文件或通报号", "依据文件", "通报号", "认定依据"),
                    "date": ("认定日期", "通报日期", "发生日期", "时间"),
                    "department": ("认定单位", "通报单位", "通报部门"),
                    "role": ("职务", "严重程度", "职务/严重程度", "职务（严重程度）"),
                    "points": ("分值（分）", "分数", "加减分值", "扣分", "加分")},
    "checklist": {"year": ("考核年度",), "unit": ("单位名称", "被考核单位", "党组织", "考核对象"),
                  "item": ("编号", "考核项目编号", "细则编号", "项目代码"),
                  "check": ("检查项", "清单内容", "考核清单项", "具体项目"),
                  "done": ("是否完成", "完成", "完成情况（是/否）")},
    "ballot_sheets": {"year": ("评议年度", "测评年度"), "rater_group": ("评议人类型", "评议主体", "评议人员类别"),
                      "item": ("评议内容", "测评项目", "评议事项"), "ballot": ("票编号", "选票编号", "选票号")},
}

#: County columns that may be absent: 单位 is then the catalogue's unit of the secretary, the
#: ledger's 问题描述 and 状态 are left empty; in the 加减分台账 the columns after 项目编号 are
#: blank (a missing 依据 is a warning on every row); a 测评票 without 评议项目 rates the scheme's
#: first item, one without 票号 numbers its ballots by row. Every other column is required.
COUNTY_OPTIONAL = {"ballots": {"unit_name"}, "ledger": {"description", "status"}, "links": set(),
                   "adjustments": {"reason", "basis", "date", "department", "role", "points"},
                   "checklist": set(), "ballot_sheets": {"item", "ballot"}}

#: Headers of the key columns of the township workbook's input sheets.
KEY_HEADERS = {"township": "乡镇", "village": "村（社区）", "year": "年度"}

#: The template's hidden id of its year column names the year(s) the form is for:
#: ``year:2016`` (or ``year:2015,2016``); a plain ``year`` accepts any year (older files).
#: In a returned workbook a year cell outside those years is an error at the cell.
YEAR_ID_PREFIX = "year:"

#: The 备注 column of an input sheet (hidden id ``note``, header 备注): free text the clerk
#: writes about the row (a village missing from the list, renamed, merged). Read as a note
#: for the analyst, never as a value.
NOTE_ID = "note"
NOTE_HEADER = "备注"

#: The template's footer under the data rows of a sheet: a row whose first cell starts with
#: one of these labels (the township totals line, then 填表人 / 审核人 / 联系电话 / 填报日期 /
#: 单位盖章) begins the footer; the intake reads nothing from it or below it.
TEMPLATE_FOOTER = ("本表合计", "填表人", "审核人", "联系电话", "填报日期", "单位盖章")

#: The suffix of the template's print-only sheets (``村级指标（对照打印）``: each indicator's 本年
#: beside its 上年数, written with ``previous=`` data). The intake never reads a sheet whose name
#: ends with it.
TEMPLATE_PRINT_SUFFIX = "（对照打印）"


def as_dates(values) -> pd.Series:
    """Dates as ``datetime64[ns]`` (one resolution everywhere, whatever the source)."""
    return pd.to_datetime(pd.Series(values)).astype("datetime64[ns]")


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
