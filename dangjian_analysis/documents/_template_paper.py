"""Private: the template's paperwork and print — the footer under each sheet's data (本表合计,
填表人 / 审核人 / 联系电话 / 填报日期, 单位盖章), the print header with the deadline and the county
contact, page numbers, and A4 page setup.

Footer (its first row's column A starts with a label of
:data:`~dangjian_analysis.catalog.tables.TEMPLATE_FOOTER`, so the intake reads nothing from it
down): ``本表合计`` sums the input columns where a sum means something — counts that are not
ordinal levels, and amounts (元, 万元) — with ``SUM`` over the data rows (with several years one
line per year, ``本表合计（2015年）``, by ``SUMIF`` on the year column); other columns show ``—``.
The writing spaces beside the signature labels are unlocked on the protected sheet.

Print: A4, landscape when the sheet is wider than a portrait page, the input columns cut into
pages by column breaks at one readable scale (:func:`print_setup`), the title rows and the key
columns repeated on every page; the print header: 报送截止 (left), the title (centre), 联系人
(right); ``第 N 页，共 M 页`` in the footer. A data sheet with a 上年数 block prints only its keys,
input block, 备注 and footer (its print area); the 上年数 print beside their values on the
sheet's ``（对照打印）`` copy (:mod:`._template_compare`), whose columns come in pairs (本年, 上年)
that a page break never separates (``unit=2``).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["paperwork", "header_text", "write_footer", "print_setup", "SUMMED_UNITS"]

#: Units whose column a 本表合计 sums besides counts (amounts of money).
SUMMED_UNITS = ("元", "万元")
_SIGNATURES = ("填表人：", "审核人：", "联系电话：", "填报日期：", "单位盖章：")
_PORTRAIT_PX, _LANDSCAPE_PX = 520, 760        # printable width of an A4 page at 100 %, screen pixels (LibreOffice margin)
_SCALE = 0.72                                  # the scale a page of input columns is cut for


def paperwork(catalog, deadline, contact) -> tuple[str | None, str | None]:
    """``(deadline text, contact)`` from the arguments, else the catalogue's ``[template]``;
    a deadline is shown ``2017年1月15日``. ``ValueError`` (Chinese) for a date not understood."""
    from ..catalog.paperwork import deadline_text, parse_deadline

    section = getattr(catalog, "paperwork", None)
    day = deadline if deadline is not None else getattr(section, "deadline", None)
    contact = contact if contact is not None else getattr(section, "contact", None)
    return (deadline_text(parse_deadline(day)) if day is not None else None,
            contact.strip() if isinstance(contact, str) and contact.strip() else None)


def header_text(deadline: str | None, contact: str | None) -> str:
    """The deadline and contact line: ``报送截止：2017年1月15日　联系人：组织部组织科 张三 0000-1234567``."""
    parts = [f"报送截止：{deadline}" if deadline else "", f"联系人：{contact}" if contact else ""]
    return "　".join(p for p in parts if p)


def _chunks(units: list[list[int]], px: list[int], room: float) -> list[list[int]]:
    """``units`` (runs of 0-based columns never split) gathered into pages whose pixels fit
    ``room`` (a page has at least one unit); each page as its list of columns."""
    chunks, used = [[]], 0
    for unit in units:
        width = sum(px[k] for k in unit)
        if chunks[-1] and used + width > room:
            chunks.append([])
            used = 0
        chunks[-1].extend(unit)
        used += width
    return chunks


def _split_bands(ws, starts: list[int]) -> None:
    """Merged cells of row 1 (the group bands) cut where a page starts (1-based columns
    ``starts``), the band's text and style repeated on each part: a merged band across a page
    break makes LibreOffice and WPS break pages elsewhere, and the next page would lose its band."""
    from copy import copy

    for merged in [m for m in ws.merged_cells.ranges if m.min_row == 1]:
        cuts = [c for c in starts if merged.min_col < c <= merged.max_col]
        if not cuts:
            continue
        first = ws.cell(row=1, column=merged.min_col)
        ws.unmerge_cells(str(merged))
        edges = [merged.min_col, *cuts, merged.max_col + 1]
        for lo, hi in zip(edges, edges[1:]):
            cell = ws.cell(row=1, column=lo, value=first.value)
            cell.font, cell.fill, cell.alignment = copy(first.font), copy(first.fill), copy(first.alignment)
            if hi - 1 > lo:
                ws.merge_cells(start_row=1, start_column=lo, end_row=1, end_column=hi - 1)


def _summed(ind) -> bool:
    ordinal = getattr(ind, "ordinal", None)
    ordinal = bool(ordinal) if ordinal is not None and not pd.isna(ordinal) else ind.unit == "级"
    return (ind.kind == "count" and not ordinal) or (ind.kind == "number" and ind.unit in SUMMED_UNITS)


def write_footer(ws, inds, cols: list[int], year_col: int, years: list[int], first_row: int,
                 last_row: int, look) -> int:
    """The footer from ``last_row + 1``; returns its last row."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter as letter

    from ._previous import unlock

    row = last_row + 1
    bold = Font(bold=True)
    for year in years:
        label = ws.cell(row=row, column=1, value="本表合计" if len(years) == 1 else f"本表合计（{year}年）")
        label.font, label.border = bold, look.border
        for j in range(2, cols[0]):
            ws.cell(row=row, column=j).border = look.border
        for j, ind in zip(cols, inds.itertuples()):
            span = f"{letter(j)}{first_row}:{letter(j)}{last_row}"
            years_span = f"${letter(year_col)}${first_row}:${letter(year_col)}${last_row}"
            value = ((f"=SUM({span})" if len(years) == 1 else f"=SUMIF({years_span},{year},{span})")
                     if _summed(ind) else "—")
            cell = ws.cell(row=row, column=j, value=value)
            cell.font, cell.border = bold, look.border
            cell.alignment = Alignment(horizontal="center") if value == "—" else Alignment()
        row += 1
    line = Border(bottom=Side(style="thin", color="000000"))
    row += 1
    for label in _SIGNATURES:
        ws.cell(row=row, column=1, value=label).font = bold
        for j in range(2, 2 + max(2, cols[0] - 1)):
            cell = ws.cell(row=row, column=j)
            cell.border = line
            unlock(cell)
        ws.row_dimensions[row].height = 24
        row += 1
    ws.cell(row=row - 1, column=2, value="（乡镇党委盖章）").font = Font(color="7F7F7F")
    ws.row_dimensions[row - 1].height = 60
    return row - 1


def _pixels(width: float) -> int:
    """Screen pixels of a column of ``width`` characters (Excel's rule for the default font)."""
    return int(width * 7 + 5)


def print_setup(ws, *, title: str, deadline: str | None, contact: str | None, n_keys: int,
                widths: list[float], unit: int = 1, title_rows: int = 2, last_row: int | None = None) -> None:
    """A4 print (see the module): the columns right of the keys cut into pages of whole units
    (``unit`` adjacent columns that a page break never separates: 1, or 2 for the 本年/上年 pairs
    of a comparison sheet), each page the key columns and as many units as print at about 70 %;
    one scale for every page (Excel and WPS ignore page breaks under "fit to page"); portrait
    when the sheet fits a portrait page; rows ``1:title_rows`` and the key columns repeated.

    ``widths`` are the widths of the printed columns, from A (the print area is these columns
    down to ``last_row`` when given, so columns right of them are not printed); the header is
    :func:`header_text`'s deadline (left) and contact (right) around ``title``."""
    from openpyxl.utils import get_column_letter as letter
    from openpyxl.worksheet.pagebreak import Break, ColBreak

    px = [_pixels(w) for w in widths]
    keys, total = sum(px[:n_keys]), sum(px)
    portrait = total <= _PORTRAIT_PX
    if total <= _LANDSCAPE_PX:                    # one page wide
        chunks = [list(range(n_keys, len(px)))]
    else:
        units = [list(range(k, min(k + unit, len(px)))) for k in range(n_keys, len(px), unit)]
        room = _LANDSCAPE_PX / _SCALE - keys
        count, lo = len(_chunks(units, px, room)), float(max(sum(px[k] for k in u) for u in units))
        while room - lo > 1:                   # the narrowest pages that need no more of them
            middle = (lo + room) / 2
            lo, room = (middle, room) if len(_chunks(units, px, middle)) > count else (lo, middle)
        chunks = _chunks(units, px, room)
    widest = max(keys + sum(px[k] for k in chunk) for chunk in chunks)
    page = _PORTRAIT_PX if portrait else _LANDSCAPE_PX
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "portrait" if portrait else "landscape"
    setup.scale = max(10, min(100, int(100 * page / widest)))
    ws.col_breaks = ColBreak()
    for chunk in chunks[:-1]:
        ws.col_breaks.append(Break(id=chunk[-1] + 1))
    _split_bands(ws, [chunk[-1] + 2 for chunk in chunks[:-1]])
    ws.print_title_rows = f"1:{title_rows}"
    if last_row is not None:
        ws.print_area = f"A1:{letter(len(px))}{last_row}"
    ws.print_title_cols = f"A:{letter(n_keys)}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.75
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3          # header and page number inside the page
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddHeader.center.size, ws.oddHeader.center.font = 11, "-,Bold"
    for part, text in ((ws.oddHeader.left, header_text(deadline, None)), (ws.oddHeader.right, header_text(None, contact))):
        if text:
            part.text, part.size = text.replace("&", "&&"), 8
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
