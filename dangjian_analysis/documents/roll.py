"""The 报送进度 for people: one Chinese sentence, and a printable sheet for the 催报 calls.

Both take the roll of :func:`~dangjian_analysis.intake.roll.submission_roll` (``Dataset.roll()``)
and never change it: :func:`roll_sentence` ends the output of ``dangjian validate`` (and can
open a report's 报送情况); :func:`write_roll_sheet` adds the sheet 报送进度 to a workbook — one
row per township and county table, status in Chinese (a township sent back with hints only,
its doubtful values to confirm: 已退回（待确认）, :func:`status_word`), with 联系人 / 电话 / 催报情况 left blank
to fill in by hand; A4, title and header repeated on every page.
"""

from __future__ import annotations

import pandas as pd

from ._labels import VALUE_LABELS

__all__ = ["roll_sentence", "roll_complete", "write_roll_sheet", "ROLL_SHEET", "status_word"]

#: The sheet :func:`write_roll_sheet` writes.
ROLL_SHEET = "报送进度"
_STATUS = VALUE_LABELS["roll_status"]
#: Fill of the status cell: missing amber, errors red, returned blue; reported left white.
_FILLS = {"missing": "FFEB9C", "errors": "FFC7CE", "returned": "DDEBF7"}


def _names(units: pd.Series) -> str:
    return "、".join(units.astype(str))


def status_word(status: str, n_errors: int) -> str:
    """The status in Chinese: a unit sent back without errors was sent back for its doubtful
    values to be confirmed, 已退回（待确认）."""
    return f"{_STATUS[status]}（待确认）" if status == "returned" and not n_errors else _STATUS[status]


def roll_sentence(roll: pd.DataFrame) -> str:
    """The roll in one Chinese sentence, e.g. “报送进度（2016 年度）：已报送 3 个乡镇，未报送 7 个：
    北塘镇、…；县级数据：述职评议计票 未报送，四风台账 未报送，驻点联系 未报送。”"""
    year = int(roll["year"].iloc[0])
    towns = roll[roll["kind"] == "township"]
    tables = roll[roll["kind"] == "county_table"]
    status = towns["roll_status"]
    if (status == "reported").all():
        parts = [f"{len(towns)} 个乡镇全部已报送"]
    else:
        parts = [f"已报送 {int((status == 'reported').sum())} 个乡镇"]
        parts += [f"{_STATUS[s]} {int((status == s).sum())} 个：" + "、".join(
                      u if s != "returned" or e else f"{u}（待确认）"
                      for u, e in zip(towns.loc[status == s, "unit"], towns.loc[status == s, "n_errors"]))
                  for s in ("missing", "errors", "returned") if (status == s).any()]
    county = "，".join(f"{u} {_STATUS[s]}" for u, s in zip(tables["unit"], tables["roll_status"]))
    return f"报送进度（{year} 年度）：{'，'.join(parts)}" + (f"；县级数据：{county}" if county else "") + "。"


def roll_complete(roll: pd.DataFrame) -> bool:
    """Whether every township and county table of the roll has reported without errors."""
    return bool((roll["roll_status"] == "reported").all())


def write_roll_sheet(wb, roll: pd.DataFrame, *, title: str | None = None):
    """Add the sheet 报送进度 to an openpyxl workbook; returns it.

    Columns 序号, 类别, 报送单位, 报送情况, 报送文件, 错误, 提示, then 联系人, 电话, 催报情况 (blank,
    bordered, rows tall enough to write in). ``title`` (default “报送进度（2016 年度）”) is the
    first row; title and header repeat on every printed page (A4 landscape, one page wide).
    File names and any other text are written as text, never as formulas.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ._xlsx import fit_to_page_width, write_cell

    ws = wb.create_sheet(ROLL_SHEET)
    year = int(roll["year"].iloc[0]) if len(roll) else None
    head = ["序号", "类别", "报送单位", "报送情况", "报送文件", "错误", "提示", "联系人", "电话", "催报情况"]
    write_cell(ws, 1, 1, title or f"报送进度（{year} 年度）").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(head))
    ws.row_dimensions[1].height = 24
    thin = Side(style="thin", color="999999")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    for j, text in enumerate(head, start=1):
        cell = write_cell(ws, 2, j, text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
        cell.alignment, cell.border = Alignment(horizontal="center", vertical="center"), box
    for r, row in enumerate(roll.itertuples(), start=3):
        values = [r - 2, VALUE_LABELS["kind"][row.kind], row.unit, status_word(row.roll_status, row.n_errors),
                  row.files or "—",
                  int(row.n_errors), int(row.n_warnings), None, None, None]
        for j, value in enumerate(values, start=1):
            cell = write_cell(ws, r, j, value)
            cell.border, cell.alignment = box, Alignment(vertical="center", wrap_text=j == 5)
        if row.roll_status in _FILLS:
            ws.cell(row=r, column=4).fill = PatternFill("solid", fgColor=_FILLS[row.roll_status])
        ws.row_dimensions[r].height = 28
    for col, width in zip("ABCDEFGHIJ", (6, 9, 14, 9, 26, 6, 6, 10, 14, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    fit_to_page_width(ws)
    ws.print_options.horizontalCentered = True
    return ws
