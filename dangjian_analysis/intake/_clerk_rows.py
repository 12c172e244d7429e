"""Private: what a clerk's workbook holds around its data rows besides the data.

The template names the year(s) it is for in the hidden id of its year column
(``year:2016``, :data:`~dangjian_analysis.catalog.tables.YEAR_ID_PREFIX`); ends each sheet with a
footer (:data:`~dangjian_analysis.catalog.tables.TEMPLATE_FOOTER`: 本表合计, 填表人 …) that is not
data; and has a 备注 column (hidden id ``note``) whose text is a note for the analyst, never a
value. Clerks also add rows of their own under or between the villages — 合计, 小计, 备注, 说明 —
which are not villages: one error at the row, advising to delete it.

Conventions: rows are lists of cell values as read, ``i`` is a 0-based sheet row (row ``i + 1``
for the clerk), a label is compared after removing blanks and the punctuation around it.
"""

from __future__ import annotations

import re
import unicodedata

from ..catalog.tables import TEMPLATE_FOOTER, YEAR_ID_PREFIX

__all__ = ["template_years", "is_footer_row", "added_label", "added_message", "year_slip_message",
           "note_message", "safe_quote", "NOTE_QUOTE"]

#: Words that make a key cell a row the clerk added (a total or a remark), not a village.
_TOTAL = re.compile(r"(合计|小计|总计|共计|累计|汇总|总数|平均)")
_REMARK = re.compile(r"^(备注|说明|注[:：]|注$|附注|填表|审核|制表|负责人|联系人|联系电话|盖章|单位盖章)")
_TRIM = " \t\u3000:：()（）[]【】*＊-—_"
#: How many characters of a 备注 are quoted in its note (the whole text stays in the cell).
NOTE_QUOTE = 200


def template_years(id_cell) -> frozenset[int] | None:
    """The years a template is for, from the hidden id of its year column: ``year:2016`` →
    {2016}, ``year:2015,2016`` → {2015, 2016}; None for a plain ``year`` or anything else."""
    if not isinstance(id_cell, str) or not id_cell.startswith(YEAR_ID_PREFIX):
        return None
    years = frozenset(int(y) for y in re.findall(r"\d{4}", id_cell[len(YEAR_ID_PREFIX):]))
    return years or None


#: A quick test before the normalised one: the first characters of the footer labels.
_FOOTER_HINT = re.compile("[" + "".join(sorted({label[0] for label in TEMPLATE_FOOTER})) + "]")


def _label(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip(_TRIM) if value is not None else ""


def is_footer_row(row) -> bool:
    """Whether ``row`` is a line of the template's footer: its first non-empty cell starts with a
    :data:`TEMPLATE_FOOTER` label (本表合计, 填表人, 审核人, 联系电话, 填报日期, 单位盖章)."""
    first = next((v for v in row if v not in (None, "")), None)
    return isinstance(first, str) and _FOOTER_HINT.search(first) is not None \
        and _label(first).startswith(TEMPLATE_FOOTER)


def added_label(row, key_cols: dict) -> tuple[int, str] | None:
    """``(column, text)`` of the township or village cell of ``row`` that marks a row the clerk
    added (合计, 小计, 总计, 备注, 说明 …), or None. Only text cells count; the caller asks
    only about rows whose keys do not resolve, so a real village name is never taken for one."""
    for key in ("village", "township"):
        j = key_cols.get(key)
        value = row[j] if j is not None and j < len(row) else None
        if isinstance(value, str):
            text = _label(value)
            if text and (_TOTAL.search(text) or _REMARK.match(text)):
                return j, value.strip()
    return None


def added_message(row_number: int, text: str, n_values: int) -> str:
    """The one error of a row the clerk added: delete it."""
    kind = "合计/小计" if _TOTAL.search(_label(text)) else "说明"
    return (f"第 {row_number} 行“{safe_quote(text, 20)}”是另加的{kind}行，不是村（社区）的数据：请删除该行"
            f"（合计由系统计算；需要说明的，请写在对应村一行的备注列）；本行 {n_values} 个值未采用")


def year_slip_message(years: frozenset[int], raw, year: int, row_number: int, n_values: int) -> str:
    """The error of a year cell (``raw``, read as ``year``) outside a one-year form's year (the
    intake applies the template's years only when the hidden id names one year)."""
    want = max(years)
    raw = year if isinstance(raw, (int, float)) else raw          # 2015.0 as read is 2015 typed
    why = "，可能是从上年表中粘贴的行" if year < want else ""
    return (f"本表为 {want} 年度填报表，年度应为 {want}（第 {row_number} 行为“{safe_quote(raw, 20)}”{why}）："
            f"请把年度改为 {want}，并核实本行数值是 {want} 年的；本行 {n_values} 个值未采用")


def note_message(text: str, address: str) -> str:
    """The note that carries a 备注 to the analyst, the text quoted safely."""
    return f"填报人备注：“{safe_quote(text, NOTE_QUOTE, address)}”（备注不作为数值读取）"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_quote(value, limit: int, address: str | None = None) -> str:
    """``value`` as text fit to quote in a message: control characters shown as a space, bidi
    controls removed, at most ``limit`` characters (then ``…（共 N 字，全文见 D7）``)."""
    text = _BIDI.sub("", _CONTROL.sub(" ", "" if value is None else str(value))).strip()
    if len(text) <= limit:
        return text
    where = f"，全文见 {address}" if address else ""
    return f"{text[:limit]}…（共 {len(text)} 字{where}）"
