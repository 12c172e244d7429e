"""Private: the GB/T 9704—2012 elements of the 通报 in python-docx (words from :mod:`._notice_text`).

What is laid out, and how (the standard's clause in brackets):

- page (5.2): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (margins 37/35/28/26 mm, as the report);
  22 lines × 28 characters (7.1) approximated: body lines are set exactly 28.95 pt (225 mm ÷ 22,
  579 twips, also the section's ``w:docGrid`` line pitch) and characters are 3号 (16 pt) without a
  character grid, 27.6 to a line of 156 mm (Word's ``linesAndChars`` grid with ``charSpace`` −845
  would give 28, but LibreOffice spreads every character of such a grid: the text became unreadable);
- 版头 (7.2): 发文机关标志 in red 小标宋, centred, its top 35 mm below the 版心's (space before),
  at most 42 pt and narrow enough for one line; 发文字号 two lines below, centred; the red
  separator line 4 mm under it, the width of the 版心 (a paragraph border, 1.5 pt);
- 主体 (7.3): 标题 2号小标宋 centred two lines below the line; 主送机关 one line below, flush
  left, ending in a full-width colon; 正文 3号仿宋, paragraphs indented two characters, level-1
  headings 黑体, level-2 leads 楷体; 附件说明 one line below, indented two characters, further
  attachments aligned under the first name; 署名 and 成文日期 as for a sealed document (7.3.5.1):
  the date four characters from the right, the 署名 centred over it, two lines left for the seal;
- 附件 (7.3.7): a new page, “附件1” in 3号黑体 top left, its title centred on the third line;
- 版记 (7.4): 抄送 and 印发机关 / 印发日期 in 4号仿宋, one character in from each side, between a
  thick first and last line (0.35 mm) and a thin middle line (0.25 mm), in a text box anchored to
  the bottom of the 版心 of the last page;
- 页码 (7.5): 4号宋体 “— 1 —”, odd pages one character in from the right, even pages from the left.
"""

from __future__ import annotations

import pandas as pd
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from ._docx import BODY_FONT, H1_FONT, H2_FONT, TEXT_WIDTH_MM, TITLE_FONT, _field, add_run

__all__ = ["LINE", "RED", "setup_notice", "blank", "header_block", "title_block", "paragraph", "lead_paragraph",
           "annex_note", "signature_block", "annex_page", "summary_table", "record_block", "page_numbers", "draft_header"]

#: One line of the 22-line grid: 225 mm ÷ 22 = 28.95 pt (579 twips).
LINE = Twips(579)
RED = "FF0000"
_CHAR = 16                     # 3号, pt
#: The elements of ``w:pPr`` in the schema's order (a border goes before spacing, indent, alignment).
_PPR_ORDER = ("w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
              "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
              "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid "
              "w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
              "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange").split()
_AFTER_BORDERS = tuple(_PPR_ORDER[_PPR_ORDER.index("w:pBdr") + 1:])


def setup_notice(doc) -> None:
    """Normal style at the 22-line pitch; the section's document grid of 22 × 28."""
    from ._docx import setup_document

    setup_document(doc)
    doc.styles["Normal"].paragraph_format.line_spacing = LINE
    sect = doc.sections[0]._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:linePitch"), "579")


def _border(paragraph, side: str, size_eighths: int, color: str = "000000", space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_BORDERS)
    el = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", str(space)), ("color", color)):
        el.set(qn(f"w:{key}"), value)
    borders.append(el)


def blank(doc, lines: int = 1) -> None:
    """``lines`` empty lines of the grid."""
    for _ in range(lines):
        doc.add_paragraph()


def header_block(doc, issuer: str, number: str) -> None:
    """发文机关标志 (red 小标宋, 35 mm below the top of the 版心), 发文字号 two lines below, red line."""
    mark = issuer if issuer.endswith("文件") else issuer + "文件"
    size = min(42.0, round(TEXT_WIDTH_MM / 0.3528 / max(len(mark), 1) * 0.92, 1))
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Mm(35)
    p.paragraph_format.line_spacing = Pt(size * 1.25)
    run = add_run(p, mark, TITLE_FONT, size)
    run.font.color.rgb = _rgb(RED)
    blank(doc, 2)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, number, BODY_FONT, _CHAR)
    _border(p, "bottom", 12, RED, space=11)         # 4 mm (11.3 pt) under the number


def _rgb(hex_colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour)


def title_block(doc, title: str, to: str) -> None:
    """标题 (2号小标宋, centred) two lines below the red line; 主送机关 one line below it."""
    blank(doc, 2)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)
    add_run(p, title, TITLE_FONT, 22)
    blank(doc)
    if to:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        add_run(p, to.rstrip("：:") + "：", BODY_FONT, _CHAR)


def paragraph(doc, text: str, font: str = BODY_FONT):
    """A body paragraph, first line indented two characters (a level-1 heading: ``font`` 黑体)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Pt(2 * _CHAR)
    if font == H1_FONT:
        p.paragraph_format.keep_with_next = True
    add_run(p, text, font, _CHAR)
    return p


def lead_paragraph(doc, lead: str, text: str):
    """A paragraph opening with a 楷体 lead (（一）…。) followed by 仿宋 text."""
    p = paragraph(doc, lead, H2_FONT)
    add_run(p, text, BODY_FONT, _CHAR)
    return p


def _keep(p):
    p.paragraph_format.keep_with_next = True
    return p


def annex_note(doc, lines: list[str]) -> None:
    """附件说明: one line below the text, “附件：” two characters in; further lines under the first name.
    The last paragraph of the text, the 附件说明 and the 署名 stay on one page (7.3.5.4)."""
    if doc.paragraphs:
        _keep(doc.paragraphs[-1])
    _keep(doc.add_paragraph())
    for i, line in enumerate(lines):
        p = _keep(doc.add_paragraph())
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        # a wrapped name lines up under the first character of the name (after “附件：1. ”)
        p.paragraph_format.left_indent = Pt(6 * _CHAR)
        p.paragraph_format.first_line_indent = Pt((-4 if i == 0 else -1) * _CHAR)
        add_run(p, ("附件：" if i == 0 else "") + line, BODY_FONT, _CHAR)


def signature_block(doc, signature: str, date: str) -> None:
    """署名 centred over the 成文日期, the date four characters from the right; two lines for the seal."""
    _keep(doc.add_paragraph())
    _keep(doc.add_paragraph())
    width = max(len(signature), len(date))
    for text, right in ((signature, 4 + (width - len(signature)) / 2), (date, 4 + (width - len(date)) / 2)):
        p = doc.add_paragraph()
        if text is signature:
            _keep(p)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(right * _CHAR)
        add_run(p, text, BODY_FONT, _CHAR)


def annex_page(doc, number: int, title: str) -> None:
    """A new page: “附件N” top left in 3号黑体, the title centred on the third line (2号小标宋)."""
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    p.paragraph_format.line_spacing = Pt(1)
    p = doc.add_paragraph()
    add_run(p, f"附件{number}", H1_FONT, _CHAR)
    blank(doc)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)
    add_run(p, title, TITLE_FONT, 22)
    blank(doc)


_VML = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"')
#: Word's text-box shape type, declared where it is used (as Word itself writes it).
_TEXT_BOX_TYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
                  '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def summary_table(doc, frame) -> None:
    """附件1's table: 仿宋 4号 (smaller only when too wide: 12, 10.5 pt), headers in 黑体, each
    column as wide as its longest cell, rows at least 0.7 cm, header row repeated on each page."""
    from ._docx import _set_cell, _widths, grid_table
    from ._text import cell_text, is_number

    texts = pd.DataFrame({c: [cell_text(v, str(c), (), 2) for v in frame[c]] for c in frame.columns}, dtype=object)
    widths, size = _widths(texts, (14, 12, 10.5))
    table, cells = grid_table(doc, 1 + len(texts), len(texts.columns))
    for k, (column, width) in enumerate(zip(texts.columns, widths)):
        table.columns[k].width = Mm(width)
        for r, value in enumerate([column, *texts[column]]):
            _set_cell(cells[r][k], value, numeric=r > 0 and is_number(frame[column]), header=r == 0, nowrap=True,
                      width_mm=width, size=size)
            cells[r][k].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for r, row in enumerate(table.rows):
        row.height = Mm(7)
        height = row._tr.trPr.find(qn("w:trHeight"))
        height.addprevious(OxmlElement("w:cantSplit"))          # the schema's order: cantSplit, trHeight, tblHeader
        if r == 0:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _record_height(cc: str | None) -> float:
    """The 版记's height in pt: its lines (抄送 wrapped at the 版心 less two characters of 4号) and air."""
    per_line = int((TEXT_WIDTH_MM / 25.4 * 72 - 28) // 14)
    lines = 1 + (-(-len(cc) // per_line) if cc else 0)
    return lines * 579 / 20 + 8


def record_block(doc, cc: str | None, printed_by: str, printed_on: str) -> None:
    """版记 at the bottom of the 版心 of the last page: 抄送 (if any), then 印发机关 left and
    印发日期 right, between a thick first and last line and a thin middle line.

    A text box (VML ``v:shape`` anchored to the last paragraph, ``mso-position-vertical:bottom``
    relative to the margin, text wrapping top and bottom): Word's frames (``w:framePr``) and
    floating tables (``w:tblpPr``) at the bottom of the page are laid out in line by LibreOffice."""
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph

    anchor = doc.add_paragraph()
    box = parse_xml(f'<w:r {_VML}><w:pict>{_TEXT_BOX_TYPE}<v:shape id="banji" type="#_x0000_t202" filled="f" stroked="f" '
                    f'style="position:absolute;margin-left:0;margin-top:0;width:{TEXT_WIDTH_MM}mm;'
                    f'height:{_record_height(cc):.1f}pt;z-index:1;mso-position-horizontal:center;'
                    'mso-position-horizontal-relative:margin;mso-position-vertical:bottom;'
                    'mso-position-vertical-relative:margin"><v:textbox inset="0,0,0,0"><w:txbxContent/>'
                    '</v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict></w:r>')
    content = box.find(f".//{qn('w:txbxContent')}")
    rows = ([f"抄送：{cc.rstrip('。.')}。"] if cc else []) + [None]
    for i, text in enumerate(rows):
        p = Paragraph(OxmlElement("w:p"), anchor._parent)
        content.append(p._p)
        fmt = p.paragraph_format
        fmt.left_indent, fmt.right_indent = Pt(14), Pt(14)
        fmt.line_spacing = LINE
        if text is None:
            fmt.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)
            add_run(p, printed_by, BODY_FONT, 14)
            add_run(p, "\t" + printed_on + "印发", BODY_FONT, 14)
        else:
            add_run(p, text, BODY_FONT, 14)
        if i == 0:
            _border(p, "top", 8, space=1)
        _border(p, "bottom", 8 if i == len(rows) - 1 else 6, space=1)
    anchor._p.append(box)


def page_numbers(doc) -> None:
    """“— N —” in 4号宋体: odd pages one character in from the right, even pages from the left."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        setattr(p.paragraph_format, f"{indent}_indent", Pt(14))
        add_run(p, "— ", "宋体", 14)
        _field(p, " PAGE ")
        add_run(p, " —", "宋体", 14)


def draft_header(doc, mark: str) -> None:
    """The draft's mark at the top right of every page (页眉)."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(p, mark, H2_FONT, 14)
