"""The analyst's 确认 workbook, prefilled with every doubtful value still to confirm.

:func:`write_confirmation_sheet` lists each doubtful cell (a value outside its plausible range or
beyond the year-on-year factor, see :func:`~dangjian_analysis.metrics.completeness.doubtful_cells`)
with the headers :mod:`~dangjian_analysis.intake.confirmations` reads back. The analyst deletes
the rows not confirmed (or has the township correct the value), fills 说明、确认人、日期 and saves
it as ``确认.xlsx`` beside the returns: the next ``dangjian validate`` / ``report`` reads it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_confirmation_sheet"]

_HEADERS = ["文件（或乡镇）", "工作表", "单元格", "数值", "说明", "确认人", "日期", "问题（供参考，不读取）"]


def write_confirmation_sheet(ds, path: str | Path) -> Path:
    """Write the doubtful, unconfirmed values of ``ds`` as a 确认 workbook (see the module
    docstring); returns the path. The same Dataset gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..metrics.completeness import doubtful_cells
    from ._xlsx import save_workbook, write_cell

    doubtful = doubtful_cells(ds, ds.catalog)
    doubtful = doubtful[~doubtful["confirmed"].astype(bool)]
    wb = Workbook()
    ws = wb.active
    ws.title = "确认"
    for j, head in enumerate(_HEADERS, start=1):
        cell = write_cell(ws, 1, j, head)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    names = ds.file_names or {}
    for i, d in enumerate(doubtful.itertuples(), start=2):
        for j, value in enumerate([names.get(d.file) or Path(str(d.file)).name, d.sheet, d.cell, float(d.value),
                                   "", "", "", d.message], start=1):
            write_cell(ws, i, j, value)
        ws.cell(row=i, column=8).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (22, 12, 8, 12, 30, 10, 12, 70)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return save_workbook(wb, path)
