"""Private helpers for writing workbooks: byte-identical saves and safe cells.

Text is made safe for a worksheet by :mod:`._safe` (:func:`write_cell`); :func:`csv_safe`, the
CSV rule, lives there and is re-exported here, its former home.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from ._safe import FORMULA_START, csv_safe, xlsx_text

__all__ = ["FIXED_TIME", "save_workbook", "save_deterministic", "write_cell", "rezip_deterministic", "csv_safe",
           "fit_to_page_width", "fit_row_heights", "display_width"]

#: The date written into every generated file's properties and zip entries.
FIXED_TIME = dt.datetime(2020, 1, 1, 0, 0, 0)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


#: Texts already made safe and checked by openpyxl (no character a worksheet cannot hold, short
#: enough) and written as plain text: a report writes the same file, sheet and indicator names
#: thousands of times, and each check is a regular-expression scan.
_CHECKED: set[str] = set()


def write_cell(ws, row: int, column: int, value, *, where: str = "源工作簿"):
    """Write ``value`` into a cell; text starting with ``= + - @`` stays text, never a formula.

    Text goes through :func:`~._safe.xlsx_text` first: control characters, bidi controls and lone
    surrogates are shown as visible marks (openpyxl would refuse them), a text over Excel's
    32,767 characters is cut with “…（已截断，全文见{where}）” (``where``: where the full text
    is) and the cut recorded. A text seen before is set as the text it was then (``data_type``
    "s") without checking it again; everything else goes through openpyxl's own checks."""
    cell = ws.cell(row=row, column=column)
    if type(value) is str and value in _CHECKED:
        cell._value, cell.data_type = value, "s"
        return cell
    if isinstance(value, str):
        value = xlsx_text(value, where)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    if type(value) is str and cell.data_type == "s" and cell._value == value:
        _CHECKED.add(value)
    return cell


def fit_to_page_width(ws) -> None:
    """Print a worksheet landscape and one page wide (A3 for wide sheets)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if ws.max_column > 12 else ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def display_width(value) -> int:
    """Width of a value in a spreadsheet column, a Chinese character counting two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value))


def fit_row_heights(ws, first_row: int, line: float = 15.0) -> None:
    """Rows from ``first_row`` on made tall enough for their wrapped text (Excel does not grow
    rows that a program wrote): a cell that wraps needs, per line of its text, display width ÷
    column width lines (the width less two characters' margin, and a quarter more for the lines
    that break early at punctuation and numbers: LibreOffice's CJK line breaking, printed, needs it)."""
    import math

    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = max((ws.column_dimensions[cell.column_letter].width or 8.43) - 2, 1)
            lines = max(lines, sum(math.ceil(1.25 * max(display_width(part), 1) / width)
                                   for part in str(cell.value).split("\n")))
        ws.row_dimensions[row[0].row].height = line * lines


_PACKED = (".png", ".jpg", ".jpeg", ".gif")


def rezip_deterministic(data: bytes) -> bytes:
    """Rewrite a zip (xlsx, pptx) with fixed entry times and fixed document dates.

    Entry order, names and contents are kept (pictures stored, the rest deflated);
    ``dcterms:created``/``modified`` in
    ``docProps/core.xml`` are set to :data:`FIXED_TIME`; embedded ``.xlsx`` parts are
    rewritten the same way.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.endswith(".xlsx"):        # chart data embedded in a deck
                content = rezip_deterministic(content)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>" + stamp + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            # pictures are compressed already: stored as they are (deflating them again costs time, saves nothing)
            entry.compress_type = zipfile.ZIP_STORED if info.filename.endswith(_PACKED) else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def save_workbook(wb, path: str | Path, patch=None) -> Path:
    """Save an openpyxl workbook so that the same content gives the same bytes."""
    wb.properties.creator = "dangjian-analysis"
    wb.properties.lastModifiedBy = "dangjian-analysis"
    wb.properties.created = FIXED_TIME
    return save_deterministic(wb, path, patch)


def save_deterministic(document, path: str | Path, patch=None) -> Path:
    """Save an Office document (anything with ``.save(file)``: openpyxl, python-pptx)
    through :func:`rezip_deterministic`, creating the folder if needed; ``patch``, if given,
    rewrites the saved bytes first."""
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buffer.getvalue()
    path.write_bytes(rezip_deterministic(patch(data) if patch else data))
    return path
