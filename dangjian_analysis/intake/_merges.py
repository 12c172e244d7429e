"""Private: key cells as WPS and Excel users leave them — merged down the sheet, or a date that
shows the year — made into what the clerk sees, before any row is read.

Conventions (rows 0-based, changed in place, only below the header):

- A year cell whose number format shows a date as its year alone (``yyyy``, ``yyyy"年"``) is
  the year it shows: python-calamine gives the date 2015-06-01, the clerk sees 2015.
- A range merged down one key column (乡镇, 村（社区）, 年度; of a county table too) gives its
  value to every row of the range: Excel keeps the value in the first cell only.
- A range that covers more than one cell of indicator data (two villages' rows, two
  indicators' columns) holding a value: every cell of it becomes a
  :class:`~._values.MergedValue`, rejected with one message naming the range — one value
  cannot be the data of two villages, and is taken for none of them.
"""

from __future__ import annotations

from ._address import col_letter
from ._values import MergedValue

__all__ = ["KEY_FIELDS", "prepare_rows"]

#: The fields whose merged cells are read as the value of every row of the range.
KEY_FIELDS = frozenset({"township", "village", "year"})
_TWO = {2: "两"}


def _span(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"


def _count(n: int, what: str) -> str:
    return f"{_TWO.get(n, f'{n} ')}{what}"


def prepare_rows(table, rows: list, start: int, fields: list, indicators, *, village: bool = False) -> None:
    """Year cells and merged ranges of one sheet made into what the clerk sees (module docstring).

    ``fields`` names each column's field (key fields, indicator ids, others); ``indicators``
    holds the indicator ids (a container); ``village``: the sheet has a row per village.
    """
    years = getattr(table, "year_cells", None)
    if years:
        _years(rows, start, fields, years)
    for r0, c0, r1, c1 in getattr(table, "merged", None) or ():
        if r0 < start or (r0 == r1 and c0 == c1) or r0 >= len(rows):
            continue                   # titles and headers merged above the data are not data
        anchor = rows[r0][c0] if c0 < len(rows[r0]) else None
        if anchor in (None, ""):
            continue
        columns = [fields[j] if j < len(fields) else None for j in range(c0, c1 + 1)]
        if c0 == c1 and columns[0] in KEY_FIELDS:
            for i in range(r0 + 1, min(r1, len(rows) - 1) + 1):
                if c0 < len(rows[i]) and rows[i][c0] in (None, ""):
                    rows[i][c0] = anchor
        elif sum(f in indicators for f in columns) * (r1 - r0 + 1) > 1:
            _reject(rows, (r0, c0, r1, c1), columns, indicators, anchor, village)


def _years(rows: list, start: int, fields: list, years) -> None:
    """Dates in a year column shown as their year alone, read as that year."""
    from ._address import cell_address

    for j, field in enumerate(fields):
        if field != "year":
            continue
        for i in range(start, len(rows)):
            value = rows[i][j] if j < len(rows[i]) else None
            if hasattr(value, "year") and not isinstance(value, (int, float)) \
                    and cell_address(False, i, j, ()) in years:
                rows[i][j] = value.year


def _reject(rows, box, columns, indicators, anchor, village: bool) -> None:
    """Every indicator cell of a merged range made a :class:`MergedValue` naming the range."""
    r0, c0, r1, c1 = box
    n_rows, n_cols = r1 - r0 + 1, sum(f in indicators for f in columns)
    if n_cols == 1:
        what = _count(n_rows, "个村" if village else "行")
    elif n_rows == 1:
        what = _count(n_cols, "项指标")
    else:
        what = f"{_count(n_rows, '行')}、{_count(n_cols, '项指标')}"
    message = f"{_span(*box)} 为合并单元格，一个数值不能同时作为{what}的数据；请拆分后分别填写"
    marker = MergedValue(anchor, message)
    for i in range(r0, min(r1, len(rows) - 1) + 1):
        for k, field in enumerate(columns):
            j = c0 + k
            if field in indicators and j < len(rows[i]):
                rows[i][j] = marker
