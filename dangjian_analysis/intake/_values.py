"""Private: the cell-value parser of the intake (what a hand-filled cell means).

:func:`parse_value` turns one raw cell (as python-calamine or the CSV reader gives it)
into ``(status, value, code, message)``: status ``ok`` (value accepted; a ``code`` and
``message`` then carry a warning), ``empty`` or ``error``. It never raises.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["MergedValue", "parse_value", "parse_year", "parse_date", "norm_text", "fold_width", "EMPTY_TOKENS", "MONEY_FACTORS", "base_unit",
           "number_text", "is_money"]

#: Cell texts that mean "no value" (after folding full-width forms and removing spaces).
EMPTY_TOKENS = frozenset({"", "—", "——", "-", "--", "/", "无", "不适用", "–"})   # compared after folding (－ → -, ／ → /)
#: Money units convertible by a power of ten, in 元.
MONEY_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_UNIT_SYNONYMS = {"平方米": {"m2", "平米", "平方", "㎡"}, "人": {"名", "位"}, "个": {"处"},
                  "次": {"起", "件"}, "岁": {"周岁"}, "户": {"家"}}
#: 0/1 answers, symmetric pairs: 是/否, 有/无, √/×, 对/错 (and 1/0, Y/N).
_YES = frozenset({"是", "1", "有", "Y", "y", "√", "✓", "✔", "对"})
_NO = frozenset({"否", "0", "无", "N", "n", "×", "✗", "✘", "错"})
#: Marks a clerk adds after a number that are not part of it (footnotes, remarks).
_FOOTNOTE_MARKS = frozenset("*＊†‡※#△▲☆★")
#: Full-width ASCII forms (！ to ～) and the ideographic space folded to ASCII; nothing else,
#: so that ①, ² or ⑴ never become digits as Unicode compatibility folding (NFKC) would make them.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(.*)$")
OK, EMPTY, ERROR = "ok", "empty", "error"
_SPACE = re.compile(r"\s+")


class MergedValue:
    """Stands, in the rows read, for every cell of a merged range that covers several cells of
    indicator data (two villages, two indicators): one value cannot be the data of both, so
    :func:`parse_value` rejects each such cell with ``message``, which names the range."""

    __slots__ = ("value", "message")

    def __init__(self, value, message: str):
        self.value, self.message = value, message

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"MergedValue({self.value!r})"


def base_unit(unit: str) -> str:
    """The unit before any ``/``: 万元/年 → 万元."""
    return unit.split("/")[0]


def is_money(unit: str) -> bool:
    """Whether a catalogue unit is money (元, 万元, 万元/年 …): only then may a message speak
    of 元 typed for 万元."""
    return base_unit(str(unit)) in MONEY_FACTORS


def number_text(value, *, sign: bool = False) -> str:
    """A number as every message quotes it: as the clerk typed it, never in scientific notation.

    At most 15 significant digits (what Excel keeps), so that binary noise never shows; no
    trailing zeros, no decimal point for a whole number; ``sign=True`` puts ``+`` before a
    positive number.

    Examples
    --------
    >>> number_text(12136500.0), number_text(1234.5678), number_text(0.1 + 0.2), number_text(2e-7)
    ('12136500', '1234.5678', '0.3', '0.0000002')
    >>> number_text(50.099999999999994, sign=True)
    '+50.1'
    """
    x = float(value)
    if not math.isfinite(x):
        return str(x)
    text = format(Decimal(f"{x:.15g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"+{text}" if sign and x > 0 else text


def parse_value(raw, kind: str, unit: str, allow_negative: bool = False):
    """Parse one cell for an indicator of ``kind`` (binary, percent, count, number) in ``unit``.

    Accepted: numbers; numbers stored as text, with full-width characters, padding,
    thousands separators or a trailing unit equal to the column's; money in another
    unit (``5万元`` in a 元 column → 50000, with a warning); ``85%`` in a % column → 85;
    in 0/1 columns 是/否, 有/无, √/×, 对/错 (and 1/0, Y/N) as 1/0. Empty: blank, — - / 无
    不适用 (无 means 0 in a 0/1 column). Parsing never creates digits: digit groups split by
    white space or a line break (``1200 1500``), footnote marks, superscripts and circled
    numbers are errors. A cell of a range merged over several cells of data
    (:class:`MergedValue`) is an error. Everything else is an error.

    Returns
    -------
    tuple
        ``(status, value, code, message)``; ``message`` says what was found and what
        was expected, in Chinese.
    """
    if raw is None:
        return EMPTY, None, None, None
    if type(raw) is MergedValue:
        return ERROR, None, "merged_value", raw.message
    if isinstance(raw, bool):
        if kind == "binary":
            return OK, float(raw), None, None
        return ERROR, None, "not_number", f"逻辑值 {raw} 不是数值"
    if isinstance(raw, (int, float)):
        return _check(float(raw), kind, allow_negative, None, None)
    if isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return ERROR, None, "not_number", f"日期/时间“{raw}”不是数值，应填写数字"
    folded = fold_width(str(raw)).strip()
    if re.search(r"\d\s+[\d.,]|[\d.,]\s+\d", folded):
        return ERROR, None, "split_number", f"“{raw}”的数字之间有空格或换行，无法确定是哪个数，请只填写一个数"
    text = _SPACE.sub("", folded)
    if kind == "binary":
        if text in _YES:
            return OK, 1.0, None, None
        if text in _NO:
            return OK, 0.0, None, None
    if text in EMPTY_TOKENS:
        return EMPTY, None, None, None
    marks = [c for c in text if c in _FOOTNOTE_MARKS or _hidden_digit(c)]
    if marks:
        return ERROR, None, "footnote_mark", (f"“{raw}”含有脚注、上标或带圈数字等符号（{''.join(dict.fromkeys(marks))}），"
                                              "不能当作数字读取；请只填写数字，说明写在备注中")
    match = _NUMBER.match(text)
    if not match:
        expected = "“是”或“否”" if kind == "binary" else "数字"
        return ERROR, None, "not_number", f"“{raw}”不是数值，应填写{expected}"
    try:
        number = Decimal(match[1].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return ERROR, None, "not_number", f"“{raw}”不是数值"
    suffix, warn_code, warn_msg = match[2], None, None
    column_unit = base_unit(unit)
    if suffix in ("", unit, column_unit) or suffix in _UNIT_SYNONYMS.get(column_unit, ()):
        pass
    elif suffix == "%" and kind == "percent":
        pass
    elif suffix in MONEY_FACTORS and column_unit in MONEY_FACTORS:
        number = number * MONEY_FACTORS[suffix] / MONEY_FACTORS[column_unit]
        warn_code = "unit_converted"
        warn_msg = f"“{raw}”已按 {suffix} → {column_unit} 换算为 {number_text(float(number))}"
    else:
        return ERROR, None, "bad_unit", f"“{raw}”的单位“{suffix}”与本列单位“{unit}”不符，应只填写数字"
    return _check(float(number), kind, allow_negative, warn_code, warn_msg)


def _check(value: float, kind: str, allow_negative: bool, code, message):
    if not math.isfinite(value):
        return ERROR, None, "not_number", f"“{value}”不是有效数值"
    if value < 0 and not allow_negative:
        return ERROR, None, "negative", f"{number_text(value)} 是负数，本列不允许负值"
    if kind == "binary" and value not in (0.0, 1.0):
        return ERROR, None, "not_binary", f"{number_text(value)} 不是 0/1，应选择“是”或“否”"
    if kind == "percent" and value > 100:
        return ERROR, None, "over_100", f"{number_text(value)} 超过 100%，百分比应在 0–100 之间"
    if kind == "count" and not value.is_integer():
        return ERROR, None, "not_integer", f"{number_text(value)} 不是整数，人数、个数等应填写整数"
    if kind == "percent" and 0 < value < 1 and code is None:
        code = "percent_fraction"
        message = f"{number_text(value)} 小于 1%，如果想填 {number_text(value * 100)}%，请填写 {number_text(value * 100)}"
    return OK, value, code, message


@functools.lru_cache(maxsize=1024)
def _hidden_digit(c: str) -> bool:
    """A non-ASCII character that compatibility folding turns into a number (², ①, ⑴, ½);
    unit symbols that fold to letters and digits (㎡ → m2) are not."""
    folded = unicodedata.normalize("NFKC", c)
    return not c.isascii() and any("0" <= d <= "9" for d in folded) and not any(d.isalpha() for d in folded)


def fold_width(text: str) -> str:
    """Full-width forms (１２．５, （）, ％) as ASCII; every other character unchanged."""
    return text.translate(_FULL_WIDTH)


@functools.lru_cache(maxsize=4096)
def _norm_text(text: str) -> str:
    return _SPACE.sub("", fold_width(text))


def norm_text(text) -> str:
    """Text as compared: full-width forms folded to ASCII, all white space removed.

    Only full-width forms are folded (not Unicode compatibility forms), so that circled,
    parenthesised, superscript or subscript numbers never turn into digits.
    """
    return _norm_text(str(text)) if text is not None else ""


def parse_year(raw) -> int | None:
    """A year from a cell: 2015, 2015.0, "2015", "2015年", "2015年度", "２０１５ 年"; None otherwise.

    A date is not a year (a cell whose number format shows a date as its year alone is read
    as that year before this, see :mod:`._sheets`).

    >>> parse_year("2015年度"), parse_year(" ２０１５年 "), parse_year(2015.0), parse_year("15年")
    (2015, 2015, 2015, None)
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)) and float(raw).is_integer():
        return int(raw)
    match = re.fullmatch(r"(\d{4})(?:\.0+)?年?(?:度)?", norm_text(raw)) if isinstance(raw, str) else None
    return int(match[1]) if match else None


def parse_date(raw):
    """(date or None, ok) from a cell: a date, a datetime, or text like 2015-03-31 / 2015年3月31日."""
    if raw in (None, ""):
        return None, True
    if isinstance(raw, dt.datetime):
        return raw.replace(hour=0, minute=0, second=0, microsecond=0), True
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day), True
    text = norm_text(raw)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        return None, False
    try:
        return dt.datetime(int(match[1]), int(match[2]), int(match[3])), True
    except ValueError:
        return None, False
