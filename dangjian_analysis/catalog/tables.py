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

Issues (``ISSUE_COLUMNS``) and files (``FILE_COLUMNS``)
    What validation found (``file, sheet, cell, severity, code, message``; message in
    Chinese) and one row per input file with its cell accounting
    ``cells_read = cells_accepted + cells_rejected + cells_empty``.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "PROVENANCE", "OBSERVATION_COLUMNS", "BALLOT_COLUMNS", "LEDGER_COLUMNS", "LINK_COLUMNS",
    "ISSUE_COLUMNS", "FILE_COLUMNS", "as_dates", "empty_frame",
]

PROVENANCE = ["source_file", "source_sheet", "source_cell"]
OBSERVATION_COLUMNS = ["unit_id", "unit_name", "level", "township", "year", "indicator",
                       "value", *PROVENANCE]
BALLOT_COLUMNS = ["year", "secretary", "unit_name", "rater_group", "item", "rating", "count"]
LEDGER_COLUMNS = ["township", "item_id", "description", "opened", "due", "closed", "status"]
LINK_COLUMNS = ["leader_team", "township", "village", "year", "households_visited"]
ISSUE_COLUMNS = ["file", "sheet", "cell", "severity", "code", "message"]
FILE_COLUMNS = ["file", "status", "cells_read", "cells_accepted", "cells_rejected", "cells_empty"]

#: Chinese headers of the county workbook's sheets, field by field.
COUNTY_SHEETS = {
    "ballots": ("述职评议", dict(zip(BALLOT_COLUMNS, ["年度", "书记", "单位", "评议人类别", "评议项目", "评价", "票数"]))),
    "ledger": ("四风台账", dict(zip(LEDGER_COLUMNS, ["乡镇", "编号", "问题描述", "建账日期", "整改时限", "销号日期", "状态"]))),
    "links": ("驻点联系", dict(zip(LINK_COLUMNS, ["驻点工作组", "乡镇", "村（社区）", "年度", "走访农户数"]))),
}

#: Headers of the key columns of the township workbook's input sheets.
KEY_HEADERS = {"township": "乡镇", "village": "村（社区）", "year": "年度"}


def as_dates(values) -> pd.Series:
    """Dates as ``datetime64[ns]`` (one resolution everywhere, whatever the source)."""
    return pd.to_datetime(pd.Series(values)).astype("datetime64[ns]")


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
