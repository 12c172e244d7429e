"""Private: the marks of a returned workbook — cells filled and annotated — put on, and those of
a previous round taken off again when a corrected copy is returned a second time.

A mark of this tool is recognised, never guessed from colour alone: a note whose text starts
with 【错误】 or 【提示】 and whose author is :data:`AUTHOR` or whose cell the previous round's
退回说明 lists (a copy saved by LibreOffice has lost the authors), and the exact fill the tool
writes (solid :data:`ERROR_FILL` or :data:`WARNING_FILL`) on a cell that carries such a note
or that the previous 退回说明 lists. Taking a fill off gives the cell the fill of the
nearest cell of the same kind (number format, border) in its column — the template's input
colour — or none. The clerk's own notes and fills are kept, and a cell that has a note of
the clerk's keeps it (the message is in 退回说明 and the fill shows the cell).
"""

from __future__ import annotations

import re

import pandas as pd

from ._safe import xlsx_text

__all__ = ["AUTHOR", "ERROR_FILL", "WARNING_FILL", "cells_of", "mark_cells", "previous_marks", "clear_marks"]

#: Author of the notes the tool writes.
AUTHOR = "县委组织部"
#: Fill colours of marked cells, apart in hue from each other and from the template's pale yellow
#: input cells (FFFBEA, hue 49°): errors light red (Excel's own, hue 352°), warnings amber (hue 30°).
ERROR_FILL, WARNING_FILL = "FFC7CE", "FFC285"
_PREFIXES = ("【错误】", "【提示】")
_EARLIER_FILLS = ("FFEB9C",)            # the warning fill of copies returned by earlier versions
_MAX_MARKED = 5000                      # cells filled per range at most (a whole column is enough)
_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_NEAR = 500                             # rows looked at, up and down, for the fill to give back


def cells_of(ref: str) -> list[str]:
    """The A1 addresses an issue's cell reference covers: ``D5``, ``D5:D9`` or nothing (file-wide)."""
    from openpyxl.utils import get_column_letter, range_boundaries

    if not isinstance(ref, str) or not ref or not all(_A1.match(part) for part in ref.split(":")):
        return []
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    out = []
    for row in range(min_row, max_row + 1):
        for col in range(min_col, max_col + 1):
            out.append(f"{get_column_letter(col)}{row}")
            if len(out) >= _MAX_MARKED:
                return out
    return out


def _ours(note, listed: bool) -> bool:
    """Whether a note is one the tool wrote: its text starts 【错误】/【提示】 and its author is
    the tool's, or its cell is listed in the previous 退回说明 (LibreOffice drops authors)."""
    return note is not None and (note.text or "").startswith(_PREFIXES) and (listed or note.author == AUTHOR)


def _our_fill(fill) -> bool:
    colour = getattr(fill.fgColor, "rgb", None) if fill is not None and fill.fill_type == "solid" else None
    return isinstance(colour, str) and colour.upper()[-6:] in (ERROR_FILL, WARNING_FILL, *_EARLIER_FILLS)


def mark_cells(wb, issues: pd.DataFrame) -> dict[int, str]:
    """Fill every cell an issue names (error colour wins) and attach the messages as one note
    (unless the cell holds a note of the clerk's).

    A cell inside a merged range is marked on the range's top-left cell (the only one that
    can carry a fill and a note). Returns, by position in ``issues``, what the 退回说明 must add
    for an issue the copy cannot show at its cell: a merged range, a hidden row, column or
    sheet, a sheet not in the workbook."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    notes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    remarks: dict[int, str] = {}
    for n, i in enumerate(issues.itertuples()):
        addresses = cells_of(i.cell)
        if addresses and i.sheet not in wb.sheetnames:
            remarks[n] = "（本文件中没有该工作表，未能在表中标出）"
            continue
        if not addresses:
            continue
        ws = wb[i.sheet]
        seen, why = [], []
        for address in addresses:
            anchor, merged = _anchor(ws, address)
            if merged and f"合并单元格 {merged}" not in "".join(why):
                why.append(f"合并单元格 {merged}，标在 {anchor}")
            if anchor not in seen:
                seen.append(anchor)
        hidden = _hidden(ws, addresses[0])
        if hidden:
            why.append(hidden)
        if why:
            remarks[n] = f"（{'；'.join(why)}）"
        for k, address in enumerate(seen):
            notes.setdefault((i.sheet, address), []).append((i.severity, i.message if k == 0 else ""))
    for (sheet, address), items in notes.items():
        cell = wb[sheet][address]
        severity = "error" if any(s == "error" for s, _ in items) else "warning"
        cell.fill = PatternFill("solid", fgColor=ERROR_FILL if severity == "error" else WARNING_FILL)
        text = "\n".join(f"【{'错误' if s == 'error' else '提示'}】{m}" for s, m in items if m)
        if text and cell.comment is None:
            note = Comment(xlsx_text(text), AUTHOR)
            note.width, note.height = 320, min(60 + 18 * text.count("\n") + len(text) // 2, 600)
            cell.comment = note
    return remarks


def _anchor(ws, address: str) -> tuple[str, str | None]:
    """The cell that stands for ``address``: itself, or the top-left cell of the merged range
    holding it (with that range, ``D5:D6``)."""
    from openpyxl.cell.cell import MergedCell

    if not isinstance(ws[address], MergedCell) and not ws.merged_cells.ranges:
        return address, None
    for rng in ws.merged_cells.ranges:
        if address in rng:
            return rng.start_cell.coordinate, rng.coord
    return address, None


def _hidden(ws, address: str) -> str | None:
    """Why the clerk cannot see ``address``: a hidden sheet, row or column (a filter hides rows)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    column, row = coordinate_from_string(address)
    if ws.sheet_state != "visible":
        return f"工作表“{ws.title}”已隐藏，取消隐藏后可见"
    if ws.row_dimensions[row].hidden if row in ws.row_dimensions else False:
        return f"第 {row} 行已隐藏（或被筛选），取消隐藏或筛选后可见"
    index = column_index_from_string(column)
    if any(d.hidden and (d.min or 0) <= index <= (d.max or 0) for d in ws.column_dimensions.values()):
        return f"{column} 列已隐藏，取消隐藏后可见"
    return None


def previous_marks(ws) -> set[tuple[str, str]]:
    """(sheet, address) of every cell a previous round's 退回说明 ``ws`` lists (its header row is
    the one holding 工作表 and 单元格)."""
    rows = ws.iter_rows(values_only=True)
    for head in rows:
        if "工作表" in head and "单元格" in head:
            at_sheet, at_cell = head.index("工作表"), head.index("单元格")
            break
    else:
        return set()
    return {(row[at_sheet], address) for row in rows if len(row) > max(at_sheet, at_cell)
            for address in cells_of(row[at_cell])}


def clear_marks(wb, listed: set[tuple[str, str]]) -> None:
    """Take off the marks a previous round put on (see the module docstring)."""
    from copy import copy

    from openpyxl.styles import PatternFill

    for ws in wb.worksheets:
        stale = []
        for cell in list(ws._cells.values()):
            was_listed = (ws.title, cell.coordinate) in listed
            ours = _ours(cell.comment, was_listed)
            if ours:
                cell.comment = None
            if (ours or was_listed) and _our_fill(cell.fill):
                stale.append(cell)
        gone = {cell.coordinate for cell in stale}
        for cell in stale:
            beside = _beside(ws, cell, gone)
            cell.fill = copy(beside.fill) if beside is not None else PatternFill(fill_type=None)


def _beside(ws, cell, gone: set):
    """The nearest cell of the same kind (number format, border) in ``cell``'s column that is
    not marked, or None."""
    for d in range(1, _NEAR):
        for row in (cell.row - d, cell.row + d):
            other = ws._cells.get((row, cell.column))
            if other is not None and other.coordinate not in gone and other.has_style \
                    and other._style.numFmtId == cell._style.numFmtId \
                    and other._style.borderId == cell._style.borderId and not _our_fill(other.fill):
                return other
    return None
