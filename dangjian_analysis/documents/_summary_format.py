"""Private: how summary.xlsx's sheets read and print — number formats by the column's kind,
column widths from the text as shown, A4 page set-up and score colours as conditional formats.

Conventions:

- a count (an indicator whose township value is in 个, 人, 户, 件 or 次 and not a village mean) is
  shown without decimals (``6``, not ``6.00``): per row in a 数值 column beside a 单位 column,
  for the whole column when its header names a count (``有效票``, ``好（票）``, ``达标村``);
- a column is as wide as its longest value *as shown* (``0.7333`` printed ``73.3%`` needs 6
  characters, not 18) or its header's longest line (headers wrap between words), a text column
  at most :data:`TEXT_WIDTH` characters and narrower while the sheet is wider than A4 landscape
  at 75 %: a longer text wraps and its row grows;
- every sheet prints on A4, portrait when its columns fit the width at 100 %, else landscape,
  scaled to one page wide (never to one page high), the title and header rows repeated;
- scores (0–100) are coloured by a three-colour scale (the ends and middle of the charts'
  ``RdYlBu``) with white figures at the dark ends, as conditional formats: an edited score
  takes its new colour.
"""

from __future__ import annotations

import math

import pandas as pd

from ..charts._text import header
from ._xlsx import display_width

__all__ = ["COUNT_UNITS", "is_count_unit", "is_count_column", "row_formats", "shown_width", "set_widths", "set_print",
           "score_colours", "TEXT_WIDTH", "WHITE_BELOW", "WHITE_ABOVE"]

#: Units of whole numbers (a township's value in them is a count unless it is a village mean).
COUNT_UNITS = ("个", "人", "户", "件", "次", "名", "条", "项", "张")
#: Headers of count columns (whole numbers) in the report's sheets.
_COUNT_HEADERS = ("有效票", "无效票", "计入的村", "达标村", "参评村数", "晋位升级", "持平", "降级", "（票）")
#: The widest a text column gets (characters of Excel's default width); longer texts wrap.
TEXT_WIDTH = 36
#: Text columns are narrowed (to at least this) while a sheet is wider than the budget: A4
#: landscape at 75 %, so that no sheet prints smaller than three quarters of full size unless its
#: figures alone need it.
_NARROWEST, _BUDGET = 14, 180
#: A4's printable width in Excel's character units at 100 % (210 or 297 mm less 2 × 18 mm margins,
#: about 1.9 mm a unit).
_PORTRAIT, _LANDSCAPE = 90, 135
#: Scores below/above these are dark in the three-colour scale: their figures are white (the charts'
#: rule for text on a colour, :func:`~dangjian_analysis.charts._base.text_color`, applied to the scale).
WHITE_BELOW, WHITE_ABOVE = 22.5, 79


def is_count_unit(unit) -> bool:
    """``unit`` (a township value's unit, :func:`~.report_tables.township_unit`) counts whole
    things: ``个``, ``户``, ``人（各村合计）`` yes; ``人（村均）``, ``万元``, ``%`` no."""
    return isinstance(unit, str) and unit.startswith(COUNT_UNITS) and "村均" not in unit


def is_count_column(column: str) -> bool:
    """A column whose header names a count (votes, villages): whole numbers."""
    return str(column).endswith(_COUNT_HEADERS)


def row_formats(table: pd.DataFrame, column: str) -> list[str] | None:
    """Per-row number formats of a 数值 column beside a 单位 (or 单位（计量）) column: ``0`` for
    a count, ``0.00`` otherwise; None for any other column."""
    unit = next((u for u in ("单位（计量）", "单位") if u in table.columns), None)
    if column != "数值" or unit is None:
        return None
    return ["0" if is_count_unit(u) else "0.00" for u in table[unit]]


def shown_width(value, fmt: str | None) -> int:
    """The width of ``value`` as the cell shows it with number format ``fmt``."""
    if isinstance(value, str) or fmt is None or isinstance(value, bool):
        return display_width(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return display_width(value)
    if math.isnan(number):
        return 0
    if fmt == "0.0%":
        return len(f"{number * 100:.1f}%")
    decimals = len(fmt.split(".")[1].rstrip('%"')) if "." in fmt else 0
    return len(f"{number:,.{decimals}f}") + ('"%"' in fmt)


def _caps(needs: list[int], text: list[bool]) -> list[int]:
    """Widths (characters) from each column's need: text columns at most one cap, the largest
    cap from :data:`TEXT_WIDTH` down to :data:`_NARROWEST` with which the sheet is no wider than
    :data:`_BUDGET` (A4 landscape at 75 %), else the narrowest."""
    cap = TEXT_WIDTH
    while cap > _NARROWEST and sum(min(n, cap) if t else n for n, t in zip(needs, text)) > _BUDGET:
        cap -= 1
    return [min(n, cap) if t else n for n, t in zip(needs, text)]


def set_widths(ws, table: pd.DataFrame, formats: list, first: int) -> None:
    """Column widths from the values as shown and the header's longest line (headers wrap
    between words, never inside brackets); a text wider than its column wraps, the rows made tall
    enough, every cell of a sheet with wrapped text aligned to the top."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from ._xlsx import fit_row_heights

    heads = [header(str(c), 6).split("\n") for c in table.columns]
    needs, text = [], []
    for column, fmt, head in zip(table.columns, formats, heads):
        values = [v for v in table[column].head(500) if v is not None]
        cells = [shown_width(v, fmt if isinstance(fmt, str) else "0.00") for v in values]
        needs.append(max([display_width(line) for line in head] + cells) + 2)
        text.append(fmt is None)
    widths = _caps([max(n, 6) for n in needs], text)
    wrap = [n > w for n, w in zip(needs, widths)]
    top, wrapped = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    for j, (width, wraps) in enumerate(zip(widths, wrap), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
        if not any(wrap):                         # nothing wraps: the cells keep their alignment, not visited
            continue
        for row in ws.iter_rows(min_row=first, max_row=first + len(table) - 1, min_col=j, max_col=j):
            row[0].alignment = wrapped if wraps else top
    ws.row_dimensions[first - 1].height = 15 * max(map(len, heads), default=1) + 2
    if any(wrap):
        fit_row_heights(ws, first)


def set_print(ws) -> None:
    """A4, portrait when the columns fit at 100 % else landscape, one page wide and as many
    pages high as needed, title and header rows on every page, narrow margins."""
    from openpyxl.utils import get_column_letter

    total = sum((ws.column_dimensions[get_column_letter(j)].width or 8.43) for j in range(1, ws.max_column + 1))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if total <= _PORTRAIT else "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:2"


def score_colours(ws, column: int, first: int, last: int) -> None:
    """Colour the score cells of ``column`` (rows ``first``–``last``) with conditional formats:
    a colour scale over 0–100 through the ends and middle of ``RdYlBu`` (A50026 – FEFFC0 –
    313695), figures white below :data:`WHITE_BELOW` and above :data:`WHITE_ABOVE`."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if last < first:
        return
    cmap = colormaps["RdYlBu"]
    low, mid, high = (to_hex(cmap(x)).lstrip("#").upper() for x in (0.0, 0.5, 1.0))
    letter = get_column_letter(column)
    cells = f"{letter}{first}:{letter}{last}"
    ws.conditional_formatting.add(cells, ColorScaleRule(start_type="num", start_value=0, start_color=low,
                                                        mid_type="num", mid_value=50, mid_color=mid,
                                                        end_type="num", end_value=100, end_color=high))
    white = Font(color="FFFFFF")
    for operator, value in (("lessThan", WHITE_BELOW), ("greaterThan", WHITE_ABOVE)):
        ws.conditional_formatting.add(cells, CellIsRule(operator=operator, formula=[f"{value:g}"], font=white))
