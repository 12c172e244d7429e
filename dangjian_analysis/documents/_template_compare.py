"""Private: the print-only comparison sheet of a template written with ``previous=`` data.

On a data sheet the input block and the 上年数 block are apart (so that a block of figures pastes
in at once), and printed they would fall on different pages. Right after each data sheet with a
上年数 block the template therefore has ``<sheet>（对照打印）`` (suffix
:data:`~dangjian_analysis.catalog.tables.TEMPLATE_PRINT_SUFFIX`, never read by the intake)::

    row 1   group band (基本信息, then each group over its indicators' pairs)
    row 2   乡镇 | 村（社区） | 年度 | 指标名称（单位）, merged over its two columns ...
    row 3   (keys merged from row 2) | 本年 | 上年 | 本年 | 上年 ...
    row 4+  the data sheet's rows, same order: keys (values), 本年 = the clerk's input cell
            (``=IF('村级指标'!D4="","",'村级指标'!D4)``: a blank shows blank, not 0),
            上年 = the data sheet's 上年数 (value, grey)

No footer. Every cell is locked and the sheet protected without a password (nothing to type).
Print (:func:`~._template_paper.print_setup` with ``unit=2``): A4 landscape, rows 1–3 and the key
columns repeated, column breaks only before a 本年 column (a value and its 上年 on one page); on
the village sheet a row break where the township (or year) changes, so a township's villages
print on one page tall, and pages in order across then down (a township's pages together).
"""

from __future__ import annotations

from ..catalog.tables import TEMPLATE_PRINT_SUFFIX

__all__ = ["write_compare", "compare_name", "PAIR_WIDTH"]

#: Width of a 本年 or 上年 column (characters; one more for two decimals); the indicator's
#: header spans both.
PAIR_WIDTH = 8
_RED, _PALE_RED, _KEY = "B22222", "F4CCCC", "F2F2F2"


def compare_name(sheet: str) -> str:
    """The comparison sheet's name: ``村级指标（对照打印）``."""
    return f"{sheet}{TEMPLATE_PRINT_SUFFIX}"


def _layout(ws) -> tuple[int, list[tuple[str, int, int]], list[int]]:
    """``(n_keys, [(indicator id, input column, 上年数 column)], data rows)`` of a data sheet,
    from its hidden id row (row 3) and its rows down to the footer."""
    from ..catalog.tables import TEMPLATE_FOOTER
    from ._previous import REFERENCE_PREFIX
    from .template import FIRST_DATA_ROW, ID_ROW

    ids = {c.value: c.column for c in ws[ID_ROW] if isinstance(c.value, str)}
    pairs = [(i[len(REFERENCE_PREFIX):], ids[i[len(REFERENCE_PREFIX):]], at) for i, at in ids.items()
             if i.startswith(REFERENCE_PREFIX)]
    n_keys = min(column for _, column, _ in pairs) - 1
    rows = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        first = ws.cell(row=r, column=1).value
        if isinstance(first, str) and first.startswith(TEMPLATE_FOOTER):
            break
        rows.append(r)
    return n_keys, sorted(pairs, key=lambda p: p[1]), rows


def write_compare(wb, data, catalog, years: list[int], towns: list[str], paper=(None, None)):
    """Add ``<data.title>（对照打印）`` right after the data sheet ``data`` (see the module);
    returns it. ``catalog`` gives the group names, ``years``/``towns``/``paper`` the print
    header (as on the data sheet)."""
    from copy import copy

    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter as letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    from ._previous import protect, style_reference, style_reference_head
    from ._template_paper import print_setup
    from .template import FIRST_DATA_ROW, ID_ROW

    n_keys, pairs, rows = _layout(data)
    ws = wb.create_sheet(compare_name(data.title), index=wb.sheetnames.index(data.title) + 1)
    ws.sheet_properties.tabColor = "7F7F7F"
    source = "'" + data.title.replace("'", "''") + "'!"
    head = data.cell(row=2, column=1)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    band_fill, band_font = PatternFill("solid", fgColor=_PALE_RED), Font(bold=True, color=_RED)
    groups = dict(zip(catalog.indicators["id"], catalog.indicators["group"]))
    names = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    bands = [("基本信息", 1, n_keys)]
    for k, (ind, _, _) in enumerate(pairs):
        column = n_keys + 1 + 2 * k
        if k and groups[ind] == groups[pairs[k - 1][0]]:
            bands[-1] = (bands[-1][0], bands[-1][1], column + 1)
        else:
            bands.append((names[groups[ind]], column, column + 1))
    for text, lo, hi in bands:
        cell = ws.cell(row=1, column=lo, value=text)
        cell.fill, cell.font, cell.alignment = band_fill, band_font, centre
        if hi > lo:
            ws.merge_cells(start_row=1, start_column=lo, end_row=1, end_column=hi)

    def heading(row: int, column: int, value, across: int = 1, down: int = 1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.font, cell.fill, cell.alignment, cell.border = copy(head.font), copy(head.fill), centre, copy(head.border)
        for j in range(column, column + across):
            for r in range(row, row + down):
                ws.cell(row=r, column=j).border = copy(head.border)
        if across > 1 or down > 1:
            ws.merge_cells(start_row=row, start_column=column, end_row=row + down - 1, end_column=column + across - 1)
        return cell

    for j in range(1, n_keys + 1):
        heading(2, j, data.cell(row=2, column=j).value, down=2)
        ws.column_dimensions[letter(j)].width = data.column_dimensions[letter(j)].width
    this, last = ("本年", "上年") if len(years) > 1 else (f"本年\n{years[0]}", f"上年\n{years[0] - 1}")
    key_fill = PatternFill("solid", fgColor=_KEY)
    for k, (_, column, reference) in enumerate(pairs):
        now = n_keys + 1 + 2 * k
        heading(2, now, data.cell(row=2, column=column).value, across=2)
        heading(3, now, this)
        style_reference_head(ws.cell(row=3, column=now + 1, value=last), copy(head.border))
        wide = data.cell(row=rows[0] if rows else 2, column=column).number_format == "0.00"   # 12345.67
        for j in (now, now + 1):
            ws.column_dimensions[letter(j)].width = PAIR_WIDTH + wide
        for r in rows:
            typed = data.cell(row=r, column=column)
            cell = ws.cell(row=r, column=now, value=f'=IF({source}{typed.coordinate}="","",{source}{typed.coordinate})')
            cell.number_format = "General" if typed.number_format == "@" else typed.number_format
            cell.border, cell.alignment = copy(typed.border), copy(typed.alignment)
            before = data.cell(row=r, column=reference)
            shown = ws.cell(row=r, column=now + 1, value=before.value)
            style_reference(shown, copy(before.border), before.number_format)
            shown.alignment = copy(before.alignment)
    for r in rows:
        for j in range(1, n_keys + 1):
            key = data.cell(row=r, column=j)
            cell = ws.cell(row=r, column=j, value=key.value)
            cell.fill, cell.border = key_fill, copy(key.border)
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[2].height = data.row_dimensions[2].height
    ws.row_dimensions[3].height = 30
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=n_keys + 1)
    protect(ws)
    who = towns[0] if len(towns) == 1 else "各乡镇"
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    widths = [ws.column_dimensions[letter(j)].width for j in range(1, n_keys + 2 * len(pairs) + 1)]
    print_setup(ws, title=f"{span}年度{data.title}（{who}）本年与上年对照", deadline=paper[0], contact=paper[1],
                n_keys=n_keys, widths=widths, unit=2, title_rows=3, last_row=rows[-1] if rows else 3)
    if data.cell(row=ID_ROW, column=2).value == "village":     # one township (and year) a page tall
        ws.page_setup.pageOrder = "overThenDown"            # a township's pages one after another
        ws.row_breaks = RowBreak()
        for previous, r in zip(rows, rows[1:]):
            if (ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value) != \
                    (ws.cell(row=previous, column=1).value, ws.cell(row=previous, column=3).value):
                ws.row_breaks.append(Break(id=previous))
    return ws
