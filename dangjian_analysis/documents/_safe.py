"""Private: text that may come from a workbook, made safe for each output, one function per format.

A clerk's cell can hold anything: control characters (U+0000–U+001F, DEL, U+0080–U+009F),
bidi controls that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
U+061C), lone surrogates (a file name that was not UTF-8, read with ``surrogateescape``),
a formula (``=1+1``), 40,000 characters. Every text written for people passes through the
function of its format:

================  ===================  =================  ===============================================
function          format               kept as they are   limit (characters)
================  ===================  =================  ===============================================
:func:`xlsx_text`  worksheet cell      tab, LF, CR        32,767 UTF-16 units (Excel's cell limit)
:func:`docx_text`  Word run            tab, LF (CR → LF)  2,000 a paragraph, 500 a table cell of the report
:func:`pptx_text`  PowerPoint text     tab, LF (CR → LF)  1,000 on a slide; 20,000 in the speaker notes
:func:`html_text`  HTML text node      tab, LF (CR → LF)  as the Word report, then HTML-escaped
:func:`csv_field`  CSV field           tab, LF, CR        none: the CSV is where a full text is kept
:func:`console_text` terminal, JSON    tab, LF            none
================  ===================  =================  ===============================================

The rules, the same in every format:

- a control character not kept (U+0000–U+001F, DEL, U+0080–U+009F) and a bidi control are shown
  as their code point in brackets, ``〔U+0000〕``, ``〔U+001B〕``, ``〔U+202E〕``: visible in every
  font a Chinese office has (the Control Pictures ``␀ ␛`` are not: LibreOffice and Chromium print
  them blank or garbled beside 仿宋), searchable, and reordering nothing;
- a lone surrogate (a byte of a file name that is not UTF-8) or the non-characters U+FFFE,
  U+FFFF are shown as ``�`` (U+FFFD);
- a text longer than the format's limit is cut, with ``…（已截断，全文见 <where>）`` at its end (the
  whole, mark included, within the limit), and the cut is recorded (:func:`collect_cuts`);
- in a CSV a text that starts with ``= + - @`` gets a leading ``'`` so that a spreadsheet shows it
  as text instead of running it (in a workbook :func:`~._xlsx.write_cell` writes such a text as a
  text cell; its characters are not changed).

Nothing raises: whatever the text, the output is written. The functions take any value and
return non-text values unchanged (numbers stay numbers).
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import re
from dataclasses import dataclass

__all__ = ["xlsx_text", "docx_text", "pptx_text", "html_text", "csv_field", "console_text", "csv_safe", "mark",
           "collect_cuts", "writing", "Cut", "XLSX_LIMIT", "DOC_LIMIT", "CELL_LIMIT", "SLIDE_LIMIT", "NOTES_LIMIT",
           "FORMULA_START", "CUT_MARK"]

#: Excel's limit for a cell's text, in UTF-16 code units (a character beyond U+FFFF counts two).
XLSX_LIMIT = 32_767
#: A paragraph of report.docx and report.html: about a page of 仿宋 3号.
DOC_LIMIT = 2_000
#: A table cell of report.docx and report.html: about 30 lines of a narrow column.
CELL_LIMIT = 500
#: A title, takeaway or table cell on a slide (a slide shows about 600 characters at 18 pt).
SLIDE_LIMIT = 1_000
#: A slide's speaker notes.
NOTES_LIMIT = 20_000
#: Where the full text of a text cut in report.docx or report.html is.
_DOC_FULL = " summary.xlsx 或 data/ 文件夹中的同一张表"
#: A text starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@")
#: The end of a cut text; ``{where}`` names where the full text is.
CUT_MARK = "…（已截断，全文见{where}）"

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_OTHER = "\x7f-\x9f\ud800-\udfff\ufffe\uffff" + _BIDI
#: Characters a format does not take as they are, by the controls it keeps.
_UNSAFE = {"tab, LF, CR": re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_OTHER}]"),
           "tab, LF": re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER}]")}
_SHOWN = {**{c: f"〔U+{c:04X}〕" for c in [*range(0x20), *range(0x7F, 0xA0), *map(ord, _BIDI)]},
          0xFFFE: "\ufffd", 0xFFFF: "\ufffd"}
_FORMAT_ZH = {"xlsx": " Excel 单元格", "docx": "Word 报告中一段（格）文字", "html": "网页报告中一段（格）文字",
              "pptx": "幻灯片上一段文字", "notes": "幻灯片备注"}


def _show(match: re.Match) -> str:
    code = ord(match.group())
    return _SHOWN.get(code, "\ufffd")                       # a lone surrogate


def mark(text: str, keep: str = "tab, LF") -> str:
    """``text`` with every character a reader cannot see, or an XML file cannot hold, shown
    visibly (the rules of the module); ``keep``: ``"tab, LF"`` or ``"tab, LF, CR"``."""
    return _UNSAFE[keep].sub(_show, text) if _UNSAFE[keep].search(text) else text


@dataclass(frozen=True)
class Cut:
    """A text an output cut: the file (``output``, as :func:`writing` named it), the format,
    the text's length and the limit (in the units of the format), its first characters and
    where the full text is."""

    output: str
    format: str
    length: int
    limit: int
    head: str
    where: str

    def line(self) -> str:
        """The cut in one Chinese line, for the manifest or the issue list's notes."""
        place = f"{self.output}：" if self.output else ""
        return (f"{place}一段 {self.length:,} 字的文字超过{_FORMAT_ZH[self.format]}的上限 {self.limit:,} 字，"
                f"已截断并标明“已截断”（开头：“{self.head}”），全文见{self.where}")


_CUTS: contextvars.ContextVar[tuple] = contextvars.ContextVar("dangjian_cuts", default=())
_OUTPUT: contextvars.ContextVar[str] = contextvars.ContextVar("dangjian_output", default="")


@contextlib.contextmanager
def collect_cuts():
    """Collect the :class:`Cut` of every text cut inside the ``with`` block (in this thread).

    >>> with collect_cuts() as cuts:                       # doctest: +SKIP
    ...     build_report(...)
    >>> [c.line() for c in cuts]                           # doctest: +SKIP
    """
    cuts: list[Cut] = []
    token = _CUTS.set((*_CUTS.get(), cuts))
    try:
        yield cuts
    finally:
        _CUTS.reset(token)


@contextlib.contextmanager
def writing(output: str):
    """Name the file being written (``summary.xlsx``) for the cuts recorded inside the block."""
    token = _OUTPUT.set(str(output))
    try:
        yield
    finally:
        _OUTPUT.reset(token)


def _units(text: str, utf16: bool) -> int:
    return len(text.encode("utf-16-le")) // 2 if utf16 else len(text)


def _cut(text: str, limit: int, where: str, fmt: str, utf16: bool = False) -> str:
    """``text`` within ``limit`` (characters, or UTF-16 units), cut with :data:`CUT_MARK` when
    longer, and the cut recorded."""
    if len(text) <= (limit // 2 if utf16 else limit):
        return text
    length = _units(text, utf16)
    if length <= limit:
        return text
    end = CUT_MARK.format(where=where)
    keep = limit - _units(end, utf16)
    head = text[:keep]
    while _units(head, utf16) > keep:                      # characters beyond U+FFFF count two in Excel
        head = head[:-max(1, (_units(head, utf16) - keep) // 2)]
    opened = head.rfind("〔U+")
    if opened >= 0 and "〕" not in head[opened:]:          # never half a mark
        head = head[:opened]
    cut = Cut(_OUTPUT.get(), fmt, length, limit, re.sub(r"\s+", " ", head[:20]), where)
    for cuts in _CUTS.get():
        cuts.append(cut)
    return head + end


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def xlsx_text(value, where: str = "源工作簿"):
    """A worksheet cell's text: control characters other than tab, LF and CR shown as marks, bidi
    controls and lone surrogates marked, cut to 32,767 UTF-16 units (Excel's limit; openpyxl
    would cut it without a word) with “…（已截断，全文见{where}）”. Non-text values unchanged.

    >>> xlsx_text("68.7\\x00")
    '68.7〔U+0000〕'
    """
    if not isinstance(value, str):
        return value
    return _cut(mark(value, "tab, LF, CR"), XLSX_LIMIT, where, "xlsx", utf16=True)


def docx_text(value, where: str = _DOC_FULL, limit: int = DOC_LIMIT) -> str:
    """A run of report.docx: CR and CR LF as LF (python-docx makes tab a ``w:tab`` and LF a
    ``w:br``), other control characters, bidi controls and lone surrogates shown as marks (lxml
    refuses control characters), cut to ``limit`` characters (2,000 a paragraph; the report's
    tables pass :data:`CELL_LIMIT`, 500) with the cut mark."""
    return _cut(mark(_lines(str(value))), limit, where, "docx")


def pptx_text(value, where: str = " report.docx", *, notes: bool = False) -> str:
    """A text of slides.pptx: as :func:`docx_text` (python-pptx would write ``_x001B_`` for a
    control character), cut to 1,000 characters on a slide, 20,000 in the speaker notes
    (``notes``)."""
    return _cut(mark(_lines(str(value))), NOTES_LIMIT if notes else SLIDE_LIMIT, where, "notes" if notes else "pptx")


def html_text(value, where: str = _DOC_FULL, limit: int = DOC_LIMIT) -> str:
    """A text node (or attribute value) of report.html: marked and cut as :func:`docx_text`, then
    escaped (``& < > " '``)."""
    return html.escape(_cut(mark(_lines(str(value))), limit, where, "html"), quote=True)


def csv_field(value):
    """A field of a CSV for Excel: control characters other than tab, LF and CR, bidi controls and
    lone surrogates shown as marks (UTF-8 cannot hold a lone surrogate), a leading ``'`` before
    ``= + - @``; not cut (the CSV keeps the full text; Excel opening it shows 32,767 characters
    of a field). Non-text values unchanged.

    >>> csv_field("=1+1")
    "'=1+1"
    """
    if not isinstance(value, str):
        return value
    value = mark(value, "tab, LF, CR")
    return "'" + value if value.startswith(FORMULA_START) else value


def console_text(value) -> str:
    """A line for the terminal or a JSON string: tab and LF kept, every other control character
    (ESC would start a terminal escape sequence, CR overwrite the line) shown as a mark, bidi
    controls marked, a lone surrogate (a file name that is not UTF-8) shown as ``�`` so that
    printing never fails; not cut."""
    return mark(str(value))


def csv_safe(frame):
    """A copy of ``frame`` whose text cells went through :func:`csv_field` (each distinct value
    once); other cells unchanged."""
    import pandas as pd

    from ._text import each_distinct

    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = each_distinct(frame[column], csv_field)
    return frame

