"""Private: what a cell's number format does to the number the clerk sees.

Excel shows a stored number through the number format of the cell's style: ``0%`` shows
0.85 as ``85%``; ``0.0,`` shows 12345 as ``12.3`` (thousands) and ``0,,`` as millions.
:func:`format_effect` reads one format code the way Excel does, and :func:`style_effects`
applies it to a workbook's ``xl/styles.xml``. Conventions:

- Only the first section (positive numbers) of ``pos;neg;zero;text`` counts.
- Literals never act: text in double quotes (``0"%"``), a character after a backslash
  (``0\\%``), after ``_`` (spacing) or ``*`` (fill), and ``[...]`` blocks (colour,
  condition, locale) — so ``0"%"`` shows the stored number itself.
- A ``%`` elsewhere multiplies what is shown by 100 (builtin formats 9 ``0%`` and
  10 ``0.00%`` too).
- Each comma right after the last digit placeholder (``0``, ``#`` or ``?``) divides what
  is shown by 1000: ``0.0,`` → /1000, ``0,,`` → /1e6, ``#,##0,`` → /1000; a comma between
  placeholders (``#,##0``) is only a thousands separator.

Examples
--------
>>> format_effect("0.0%"), format_effect('0"%"'), format_effect("#,##0,")
((True, 1.0), (False, 1.0), (False, 1000.0))
"""

from __future__ import annotations

import html
import re

__all__ = ["format_effect", "style_effects", "year_only", "year_styles", "PERCENT_BUILTIN"]

#: Builtin number formats that show a percentage: 9 ``0%`` and 10 ``0.00%``.
PERCENT_BUILTIN = frozenset({9, 10})
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_ATTR = re.compile(rb"""\b(numFmtId|formatCode)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)")
_XF_FMT = re.compile(rb'\bnumFmtId\s*=\s*["\'](\d+)["\']')


def _tokens(code: str) -> list[str]:
    """The acting characters of the first section of ``code``; literals become ``"L"``."""
    out, i, n = [], 0, len(code)
    while i < n:
        c = code[i]
        if c == ";":
            break
        if c == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            out.append("L")
            continue
        if c in "\\_*":
            i += 2
            out.append("L")
            continue
        if c == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        out.append(c)
        i += 1
    return out


def format_effect(code: str) -> tuple[bool, float]:
    """``(shows a percentage, divisor of what is shown)`` for one number format code.

    Parameters
    ----------
    code : str
        The format code as Excel stores it (XML entities already decoded).

    Returns
    -------
    tuple of (bool, float)
        Shown number = stored × 100 (if percent) / divisor.
    """
    tokens = _tokens(code)
    percent = "%" in tokens
    last = max((k for k, t in enumerate(tokens) if t in "0#?"), default=-1)
    commas = 0
    while last >= 0 and last + 1 + commas < len(tokens) and tokens[last + 1 + commas] == ",":
        commas += 1
    return percent, 1000.0 ** commas


def style_effects(styles: bytes) -> dict[int, tuple[bool, float]]:
    """Cell style index (``s`` of a cell) → :func:`format_effect` of its number format,
    for the styles whose format shows a percentage or scales; ``{}`` when none does
    (the common case is decided without looking at the cell styles)."""
    codes = {}
    if b"%" in styles or b"," in styles:
        for match in _NUMFMT.finditer(styles):
            attrs = {m[1]: (m[2] if m[2] is not None else m[3]) for m in _ATTR.finditer(match[1])}
            if b"numFmtId" in attrs and b"formatCode" in attrs and attrs[b"numFmtId"].isdigit():
                code = html.unescape(attrs[b"formatCode"].decode("utf-8", "replace"))
                codes[int(attrs[b"numFmtId"])] = format_effect(code)
    effects = {i: e for i, e in codes.items() if e != (False, 1.0)}
    effects |= {i: (True, 1.0) for i in PERCENT_BUILTIN if i not in codes}
    if not (effects.keys() - PERCENT_BUILTIN) and b'numFmtId="9"' not in styles \
            and b'numFmtId="10"' not in styles:
        return {}
    xfs = _XFS.search(styles)
    if not xfs:
        return {}
    out = {}
    for i, xf in enumerate(_XF.finditer(xfs[0])):
        fmt = _XF_FMT.search(xf[1])
        if fmt and int(fmt[1]) in effects:
            out[i] = effects[int(fmt[1])]
    return out


def year_only(code: str) -> bool:
    """Whether a number format shows a date as its year alone: ``yyyy``, ``yyyy"年"``, ``e`` (the
    year, in WPS and Excel), with no month, day or time and no digit placeholder.

    >>> year_only("yyyy"), year_only('yyyy"年"'), year_only("yyyy-mm-dd"), year_only("0")
    (True, True, False, False)
    """
    acting = "".join(t for t in _tokens(code) if t != "L").lower()
    letters = {c for c in acting if c.isalpha()}
    return bool(letters) and letters <= {"y", "e"} and not any(c in acting for c in "0#?@")


def year_styles(styles: bytes) -> frozenset[int]:
    """Cell style indices (``s`` of a cell) whose number format shows a date as its year alone
    (:func:`year_only`); empty when no custom format does (no builtin format does)."""
    years = set()
    if b"y" not in styles.lower() and b"e" not in styles:
        return frozenset()
    for match in _NUMFMT.finditer(styles):
        attrs = {m[1]: (m[2] if m[2] is not None else m[3]) for m in _ATTR.finditer(match[1])}
        if b"numFmtId" in attrs and b"formatCode" in attrs and attrs[b"numFmtId"].isdigit():
            if year_only(html.unescape(attrs[b"formatCode"].decode("utf-8", "replace"))):
                years.add(int(attrs[b"numFmtId"]))
    xfs = _XFS.search(styles) if years else None
    if not xfs:
        return frozenset()
    return frozenset(i for i, xf in enumerate(_XF.finditer(xfs[0]))
                     if (fmt := _XF_FMT.search(xf[1])) and int(fmt[1]) in years)
