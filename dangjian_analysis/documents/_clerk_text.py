"""Private: an issue as the clerk reads it in their own returned workbook.

The intake words its messages for the analyst, who has every file of the season. The clerk has
only the workbook sent back, so in a returned copy (:func:`~dangjian_analysis.documents.returns.mark_returns`):

- a 同比 hint (``year_on_year``, ``year_on_year_level``) that names last year's cell in another
  file — ``（2015 年，东山镇.xlsx 村级指标 V50：6.21）`` — names instead the 上年数 cell beside
  the value in the clerk's workbook (hidden id ``prev:<indicator>`` in the same row), else the
  cell in this very workbook (``本工作簿 村级指标 D9``), else the county's archived figure without
  a place (``2015 年县委组织部存档数``);
- a remark typed after a number, ``5（估计）``, is called a note (备注), not a unit.

Conventions: the id row of a data sheet is row 3 (the template's); messages are matched by their
wording in :mod:`dangjian_analysis.intake._crosscheck` and :mod:`dangjian_analysis.intake._values`.
"""

from __future__ import annotations

import re

__all__ = ["clerk_message", "reference_cells", "REMARK_WORDS"]

#: ``（2015 年，<file> <sheet> <cell>：`` or ``…）``: where a 同比 message names last year's value.
_WHERE = re.compile(r"（(?P<year>\d{4}) 年，(?P<where>[^（）：]*?) (?P<sheet>[^ （）：]+) "
                    r"(?P<cell>[A-Z]{1,3}[0-9]+)(?P<end>[：）])")
_YOY = ("year_on_year", "year_on_year_level")
#: Words that, typed after a number, are a remark on it and not its unit.
REMARK_WORDS = ("估计", "估算", "预计", "约", "大约", "暂定", "待定", "待核实", "未核实", "初步", "不含", "含")
_UNIT_MSG = re.compile(r"^(?P<pre>[^“]*)“(?P<raw>.*)”的单位“(?P<unit>.*)”与本列单位“(?P<col>.*)”不符，应只填写数字$", re.S)
_ID_ROW = 3


def reference_cells(wb) -> dict[tuple[str, str, int], str]:
    """``{(sheet, indicator column letter): 上年数 column letter}`` from each sheet's id row
    (row 3): the column whose id is ``prev:<indicator>`` beside the indicator's own."""
    from openpyxl.utils import get_column_letter

    out = {}
    for ws in wb.worksheets:
        if ws.max_row < _ID_ROW:
            continue
        ids = {c.value: c.column for c in ws[_ID_ROW] if isinstance(c.value, str)}
        for ident, column in ids.items():
            prev = ids.get(f"prev:{ident}")
            if prev is not None and not ident.startswith("prev:"):
                out[(ws.title, get_column_letter(column))] = get_column_letter(prev)
    return out


def clerk_message(issue, shown: str, references: dict) -> tuple[str, str | None]:
    """``(message, advice or None)`` of ``issue`` (a row of ``Dataset.issues``) for the clerk of
    the workbook shown as ``shown`` (``2016/东山镇.xlsx``), whose 上年数 columns are
    ``references`` (:func:`reference_cells`); None: the code's usual advice
    (:func:`~._issue_text.remedy`)."""
    message = issue.message
    if issue.code in _YOY:
        return _WHERE.sub(lambda m: _repoint(m, issue, shown, references), message, count=1), None
    if issue.code == "bad_unit":
        remark = _remark(message)
        if remark:
            return remark, "本格只填写数字，说明写在本行的备注列"
    return message, None


def _repoint(m: re.Match, issue, shown: str, references: dict) -> str:
    """Last year's place in the clerk's terms (see the module docstring)."""
    year, end = m["year"], m["end"]
    own = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", str(issue.cell or ""))
    prev = references.get((issue.sheet, own[1])) if own else None
    if prev is not None:
        return f"（{year} 年，本表上年数 {prev}{own[2]}{end}"
    if m["where"] in (shown, shown.split("/")[-1]):
        return f"（{year} 年，本工作簿 {m['sheet']} {m['cell']}{end}"
    return f"（{year} 年县委组织部存档数{end}"


def _remark(message: str) -> str | None:
    """``“5（估计）”的单位“(估计)”…`` said as a note: the word is a remark for the 备注 column."""
    m = _UNIT_MSG.match(message)
    if not m:
        return None
    word = m["unit"].strip("()（） ")
    if not any(word.startswith(w) or word.endswith(w) for w in REMARK_WORDS):
        return None
    number = re.match(r"\s*([0-9０-９][0-9０-９.,，]*)", m["raw"])
    what = f"数字 {number[1]}" if number else "数字"
    return f"{m['pre']}“{m['raw']}”中的“{word}”是备注，不是单位：本格只填写{what}，“{word}”请写在本行的备注列"
