"""Private: one village card laid out on one A4 page, in the report's 公文 faces.

The page (the faces of :mod:`._docx`, margins of :func:`setup_cards`, smaller sizes so that a card fits one
page): the title (小标宋 18 pt), a line in 楷体 (township, year, 驻点工作组), the name and area
history, 一、综合评价与晋位升级 (two sentences, the year table, the chart), 二、主要指标 (the
indicator table and its note), 三、缺报与待核实. Tables in 仿宋 8.5 pt with a 黑体 header row that
repeats, rows never split, columns as wide as their longest cell. Each card after the first
starts with a page break (``w:br w:type="page"``).
"""

from __future__ import annotations

import io

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from ._docx import BODY_FONT, H1_FONT, H2_FONT, TEXT_WIDTH_MM, TITLE_FONT, add_run, grid_table
from ._xlsx import display_width

__all__ = ["setup_cards", "add_card", "CARD_NOTE"]

_BODY = 11          # pt, body text of a card
_LINE = 18          # pt, its fixed line spacing
_TABLE = 8.5        # pt, table text
#: The note under the indicator table.
CARD_NOTE = "注：村均为当年有数值的村的平均，是/否指标为“是”的村所占比例；较好/较差按指标方向比较；* 待核实（见第三部分）。"


def setup_cards(doc) -> None:
    """The report's page set-up (:func:`~._docx.setup_document`) with the top and bottom margins
    of a working paper (22 and 20 mm, the footer 10 mm from the edge) so that a card holds on one page."""
    from ._docx import setup_document

    setup_document(doc)
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.footer_distance = Mm(10)


def _paragraph(doc, text: str, *, font: str = BODY_FONT, size: float = _BODY, line: float = _LINE,
               indent: bool = True, centre: bool = False, before: float = 0, after: float = 0, keep: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = Pt(2 * size)
    add_run(p, text, font, size)
    return p


def _heading(doc, text: str) -> None:
    _paragraph(doc, text, font=H1_FONT, size=12, line=20, before=4, keep=True)


def _widths(frame: pd.DataFrame, size: float) -> list[float]:
    """Column widths in mm: each column's longest cell (or header) on one line, then the space
    left shared alike, or all scaled down when the table is wider than the text."""
    half = size * 0.3528 / 2 * 1.04
    need = [max([display_width(v) for v in frame[c]] + [display_width(c)]) * half + 2.6 for c in frame.columns]
    spare = TEXT_WIDTH_MM - sum(need)
    if spare >= 0:
        return [w + spare / len(need) for w in need]
    return [w * TEXT_WIDTH_MM / sum(need) for w in need]


def _cell(cell, text: str, width: float, *, header: bool, right: bool) -> None:
    cell.width = Mm(width)
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.first_line_indent = Pt(0)
    p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if header else
                   WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    add_run(p, text, H1_FONT if header else BODY_FONT, _TABLE)


def _table(doc, frame: pd.DataFrame, right=()) -> None:
    """``frame`` (display strings) as a table at the text width; ``right`` columns right-aligned."""
    widths = _widths(frame, _TABLE)
    table, grid = grid_table(doc, 1 + len(frame), len(frame.columns))
    for k, (column, width) in enumerate(zip(frame.columns, widths)):
        table.columns[k].width = Mm(width)
        _cell(grid[0][k], str(column), width, header=True, right=False)
        for r, value in enumerate(frame[column], start=1):
            _cell(grid[r][k], str(value), width, header=False, right=column in right)
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            trpr.append(OxmlElement("w:tblHeader"))


def add_card(doc, card, chart_png: bytes | None, *, first: bool) -> None:
    """Lay out ``card`` (:class:`~._cards_data.Card`) on a page of ``doc``: after a page break
    unless ``first``; ``chart_png`` is placed at the text width under the year table."""
    if not first:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.paragraphs[-1].paragraph_format.line_spacing = Pt(2)
    _paragraph(doc, f"{card.name}村情卡", font=TITLE_FONT, size=18, line=28, centre=True)
    where = f"{card.township}　{card.year}年度　" + (card.team or "驻点联系表中没有本村")
    _paragraph(doc, where, font=H2_FONT, size=12, line=20, centre=True, after=4)
    for line in card.identity:
        _paragraph(doc, line)
    _heading(doc, "一、综合评价与晋位升级")
    for line in card.summary:
        _paragraph(doc, line)
    _table(doc, card.years, right=("综合指数", "全县名次"))
    if chart_png is not None:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.space_before = Pt(2)
        p.add_run().add_picture(io.BytesIO(chart_png), width=Mm(TEXT_WIDTH_MM))
    _heading(doc, f"二、{card.year}年主要指标")
    numbers = [c for c in card.indicators.columns if c not in ("指标", "单位", "与全县村均比")]
    _table(doc, card.indicators, right=numbers)
    _paragraph(doc, CARD_NOTE, size=8, line=11, indent=False, before=1)
    _heading(doc, "三、缺报与待核实")
    for line in card.gaps or ("没有缺报、出错或待核实的数值。",):
        _paragraph(doc, line, size=9, line=13)
