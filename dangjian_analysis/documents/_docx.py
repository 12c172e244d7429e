"""Private helpers for Word documents in 公文 layout (GB/T 9704 as the model).

Page set-up, East-Asian fonts in ``w:rFonts``, headings, tables whose header row repeats
and whose name columns never wrap, the footer page number “— 1 —”, fixed core properties.
Every text goes through :func:`~._safe.docx_text` (:func:`add_run`, :func:`add_table`): control
and bidi characters shown as marks, a paragraph over 2,000 characters, a table cell over 500, cut with
“…（已截断，全文见 summary.xlsx 或 data/ 文件夹中的同一张表）”.
"""

from __future__ import annotations

import pandas as pd
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..charts._text import header, plain_brackets
from ._safe import CELL_LIMIT, docx_text
from ._text import cell_text, is_number
from ._xlsx import FIXED_TIME, display_width

__all__ = ["TITLE_FONT", "BODY_FONT", "H1_FONT", "H2_FONT", "TEXT_WIDTH_MM", "setup_document", "add_run",
           "add_title", "add_heading", "add_body", "add_table", "add_page_number", "fix_properties"]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
#: Fallbacks written into the font table (``w:altName``) for machines without the GB2312 faces.
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "楷体"}
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]


def setup_document(doc) -> None:
    """A4 portrait, 公文 margins, Normal style in 仿宋 3号 with a fixed 28 pt line."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(16)
    _east_asia(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _font_table(doc)


def _east_asia(rpr, font: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table(doc) -> None:
    """Declare the Chinese faces with their fallbacks (``w:altName``) in the font table."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            extra = "".join(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                            f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                            for name, alt in [*FALLBACKS.items(), (H1_FONT, "SimHei")])
            part._blob = part.blob.replace(b"</w:fonts>", extra.encode("utf-8") + b"</w:fonts>")


def add_run(paragraph, text: str, font: str = BODY_FONT, size: float = 16, bold: bool = False):
    """A run of ``text`` (made safe by :func:`~._safe.docx_text`) whose East-Asian face is ``font``
    (Times New Roman for Latin text)."""
    run = paragraph.add_run(docx_text(text) if text else text)
    run.font.name, run.font.size, run.font.bold = LATIN_FONT, Pt(size), bold
    _east_asia(run._element.get_or_add_rPr(), font)
    return run


def add_title(doc, text: str, date_line: str) -> None:
    """The title (小标宋 2号, centred) and the date line under it."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(34)
    p.paragraph_format.space_after = Pt(12)
    add_run(p, text, TITLE_FONT, 22)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    add_run(p, date_line, H2_FONT, 16)


def add_heading(doc, text: str, level: int = 1):
    """一、… in 黑体 (level 1) or (一)… in 楷体 (level 2), indented two characters, kept with
    what follows; outline levels so that the navigation pane lists them."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.keep_with_next = True
    if level == 1:
        p.paragraph_format.space_before = Pt(6)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    p._p.get_or_add_pPr().append(outline)
    add_run(p, text, H1_FONT if level == 1 else H2_FONT, 16)
    return p


def add_body(doc, text: str, *, indent: bool = True, size: float = 16, centre: bool = False):
    """A body paragraph in 仿宋, first line indented two characters."""
    p = doc.add_paragraph()
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Pt(2 * size)
    add_run(p, text, BODY_FONT, size)
    return p


def _set_cell(cell, text: str, *, numeric: bool, header: bool, nowrap: bool, width_mm: float, size: float) -> None:
    cell.width = Mm(width_mm)
    tcpr = cell._tc.get_or_add_tcPr()
    if nowrap:
        tcpr.append(OxmlElement("w:noWrap"))
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.first_line_indent = Pt(0)
    p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if header else
                   WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT)
    add_run(p, text, H1_FONT if header else BODY_FONT, size)


def _plain(text: str) -> bool:
    """Text that python-docx writes as one ``w:t`` without ``xml:space`` (no breaks, tabs or
    surrounding spaces), so that a copy of a formatted cell can take it as it is."""
    return bool(text) and text == text.strip() and "\n" not in text and "\t" not in text and "\r" not in text


def _copy_cell(template, tc, text: str) -> None:
    """Make ``tc`` a copy of the formatted cell ``template`` holding ``text`` (the same XML as
    :func:`_set_cell` writes, built once per column instead of once per cell)."""
    from copy import deepcopy

    for child in list(tc):
        tc.remove(child)
    for child in template:
        tc.append(deepcopy(child))
    tc.find(f"{qn('w:p')}/{qn('w:r')}/{qn('w:t')}").text = text


_PAD_MM = 2.6          # cell margins (1 mm each side, see _narrow_margins) and a little air


#: Half-width characters beyond which a free-text column (a list of names, a reason) wraps.
_LONG_TEXT = 40
_WRAP_MM = 0.4 * TEXT_WIDTH_MM


def _half_mm(size: float) -> float:
    """The width of a half-width character at ``size`` pt, in mm (with a little air)."""
    return size * 0.3528 / 2 * 1.04


def _need(texts: pd.DataFrame, size: float, wrap=(), heads=None) -> tuple[list[float], list[float]]:
    """Width in mm of each column's longest cell and of its header on one line; a ``wrap``
    column asks for at most 40 % of the text width (its cells wrap); every column is at least
    as wide as the longest line of its header broken between words (``heads``)."""
    half = _half_mm(size)
    heads = heads or {}
    cells = [max([display_width(v) for v in texts[c]] or [0]) * half + _PAD_MM for c in texts.columns]
    cells = [min(w, _WRAP_MM) if c in wrap else w for c, w in zip(texts.columns, cells)]
    headers = [display_width(c) * half + _PAD_MM for c in texts.columns]
    lines = [max(display_width(line) for line in heads.get(c, str(c)).split("\n")) * half + _PAD_MM
             for c in texts.columns]
    cells = [max(c, h) for c, h in zip(cells, lines)]
    return cells, headers


def _widths(texts: pd.DataFrame, sizes=(10.5, 9, 8), wrap=(), heads=None) -> tuple[list[float], float]:
    """Column widths in mm and the font size: no cell wraps except in ``wrap`` columns (the
    font gets smaller for wide tables); the space left goes first to headers, so they wrap as
    little as possible, then to every column alike, so that the table spans the text width."""
    for size in sizes:
        cells, headers = _need(texts, size, wrap, heads)
        if sum(cells) <= TEXT_WIDTH_MM:
            break
    widths = list(cells)
    spare = TEXT_WIDTH_MM - sum(widths)
    want = [max(h - c, 0) for c, h in zip(cells, headers)]
    if spare > 0 and sum(want):
        share = min(1.0, spare / sum(want))
        widths = [w + x * share for w, x in zip(widths, want)]
        spare = TEXT_WIDTH_MM - sum(widths)
    if spare > 0:
        widths = [w + spare / len(widths) for w in widths]
    return widths, size


def grid_table(doc, rows: int, cols: int):
    """``(table, cells)``: a centred grid table of fixed column widths and narrow cell margins, and
    its cells by row (taken straight from the rows' XML: ``table.cell(r, k)`` rebuilds the whole
    grid each call)."""
    from docx.table import _Cell

    table = doc.add_table(rows=rows, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_margins(table)
    return table, [[_Cell(tc, table) for tc in row._tr.tc_lst] for row in table.rows]


def _narrow_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def add_table(doc, frame: pd.DataFrame, *, percent=(), name_columns=(), size: float = 10.5, digits: int = 1):
    """A table with Chinese headers (those of ``frame``), numbers right-aligned with fixed
    decimals (``percent`` columns: fractions shown as %), names and short texts never wrapped
    (only free text longer than 40 half-width characters wraps), the header row repeated on
    every page and rows never split across pages."""
    percent = set(percent)
    labels = {c: plain_brackets(str(c)) for c in frame.columns}     # （%（村均）） read as （%，村均）
    texts = pd.DataFrame({c: [docx_text(cell_text(v, str(c), percent, digits), limit=CELL_LIMIT) for v in frame[c]]
                          for c in frame.columns}, dtype=object)
    numeric = {c: is_number(frame[c]) for c in frame.columns}
    wrap = {c for c in frame.columns if not numeric[c] and c not in name_columns
            and max([display_width(v) for v in texts[c]] or [0]) > _LONG_TEXT}
    heads = {c: header(labels[c], 4) for c in frame.columns}   # broken between words, never inside brackets
    widths, size = _widths(texts, tuple(x for x in (10.5, 9, 8) if x <= size) or (size,), wrap, heads)
    heads = {c: labels[c] if display_width(labels[c]) * _half_mm(size) + _PAD_MM <= w else heads[c]   # one line if it fits
             for c, w in zip(frame.columns, widths)}
    table, cells = grid_table(doc, 1 + len(texts), len(texts.columns))
    for k, (column, width) in enumerate(zip(texts.columns, widths)):
        table.columns[k].width = Mm(width)
        nowrap = column not in wrap
        _set_cell(cells[0][k], heads[column], numeric=False, header=True, nowrap=True, width_mm=width, size=size)
        template = None                      # the column's first plain cell, formatted once
        for r, value in enumerate(texts[column], start=1):
            if template is not None and _plain(value):
                _copy_cell(template, cells[r][k]._tc, value)
                continue
            _set_cell(cells[r][k], value, numeric=numeric[column], header=False, nowrap=nowrap,
                      width_mm=width, size=size)
            if template is None and _plain(value):
                template = cells[r][k]._tc
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            trpr.append(OxmlElement("w:tblHeader"))
    _keep_together(table)
    doc.add_paragraph().paragraph_format.line_spacing = Pt(12)
    return table


#: A table of at most this many rows (header included) moves whole to the next page rather than split.
KEEP_WHOLE = 30
#: A longer table keeps this many rows together at its head (header included) and at its foot.
KEEP_ENDS = 3


def _keep_rows(n_rows: int) -> list[int]:
    """The rows (0 = header) whose paragraphs are kept with the next row: every row but the last
    in a table of at most :data:`KEEP_WHOLE` rows; else the first and last :data:`KEEP_ENDS`
    rows' links, so that neither the header with one row nor a last row stands alone on a page."""
    if n_rows <= KEEP_WHOLE:
        return list(range(n_rows - 1))
    return [*range(KEEP_ENDS), *range(n_rows - 1 - KEEP_ENDS, n_rows - 1)]


def _keep_next(p) -> None:
    ppr = p.get_or_add_pPr()
    if ppr.keepNext is None:
        ppr.keepNext_val = True             # python-docx puts it in its schema place


def _keep_together(table) -> None:
    """Keep-with-next on the rows of :func:`_keep_rows` and on the paragraph before the table
    (its heading or intro), so that a page never ends after the intro or with the header and
    one row alone (Word and LibreOffice honour ``w:keepNext`` in table rows)."""
    rows = table._tbl.tr_lst
    for r in _keep_rows(len(rows)):
        for p in rows[r].iter(qn("w:p")):
            _keep_next(p)
    before = table._tbl.getprevious()
    if before is not None and before.tag == qn("w:p"):
        _keep_next(before)


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, placeholder),
                       ("end", None)):
        run = add_run(paragraph, "", "宋体", 14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        else:
            run.text = text


def add_page_number(doc) -> None:
    """The footer “— 1 —”: a PAGE field between em dashes, 宋体 4号, centred."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "— ", "宋体", 14)
    _field(p, " PAGE ")
    add_run(p, " —", "宋体", 14)


def fix_properties(doc, title: str) -> None:
    """Core properties that do not change between runs."""
    props = doc.core_properties
    props.author = props.last_modified_by = "dangjian-analysis"
    props.title, props.subject, props.keywords, props.comments = title, "基层党建考核年度报告", "", ""
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
