"""Private: keep the grid python-calamine builds for one worksheet bounded.

python-calamine turns a worksheet into a dense grid reaching the furthest cell that holds
a value (``to_python`` then pads it from A1): one stray value at XFD1048576 asks for 17
billion cells and aborts the whole process. :func:`bound_cells` runs on the worksheet XML
the safety scan has already inflated:

1. Ordinary sheets are cleared by one regular-expression pass: every ``<c>`` starts with
   an ``r`` of at most 2 letters and 3 digits (grid ≤ 999 × 702), or else of 1 letter and
   at most 5 digits (grid ≤ 99,999 × 26). (Rows matter only to cells without ``r``.)
2. Otherwise, when every cell has an ``r``, the exact extent of the cell addresses is
   computed from one ``findall``; within :data:`GRID_LIMIT` cells nothing else is done.
3. Otherwise each cell is parsed, placed as python-calamine places it (a cell or row
   without ``r`` follows the previous one) and the cells holding something (``<v>``,
   ``<is>`` or ``<f>``) are found. If their grid from A1 exceeds :data:`GRID_LIMIT`, the
   data block is the run of rows (gaps of at most :data:`ROW_GAP` empty rows) and the run
   of columns (gaps of at most :data:`COL_GAP`) holding the most such cells; every such
   cell outside it is a *far cell*: it is removed from the XML, so python-calamine never
   sees it, and returned as ``address → value`` for the intake to reject. A block that is
   itself too large is refused (:class:`FarCells` with ``refuse`` set).
"""

from __future__ import annotations

import html
import re
from array import array
from collections import Counter
from typing import Callable, NamedTuple

__all__ = ["GRID_LIMIT", "ROW_GAP", "COL_GAP", "FarCells", "bound_cells", "col_number", "address"]

#: Most cells (rows × columns from A1) python-calamine may allocate for one sheet:
#: about 100 MB in python-calamine and 25 MB of Python lists.
GRID_LIMIT = 3_000_000
#: Largest run of empty rows / columns inside one data block.
ROW_GAP, COL_GAP = 1000, 100

_CLEAR = (re.compile(rb'<c(?! r="[A-Z]{1,2}[0-9]{1,3}")[\s>/]'),      # ≤ 999 × 702
          re.compile(rb'<c(?! r="[A-Z][0-9]{1,5}")[\s>/]'))            # ≤ 99,999 × 26
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")
_NO_REF = re.compile(rb'<c(?![^>]* r=")[\s>/]')
_REFS = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s>/])([^>]*?)(/?)>")
_CELL_END = re.compile(rb"</(?:\w+:)?c\s*>")
_ATTR_R = re.compile(rb"""\br\s*=\s*["']([A-Z]*)([0-9]*)["']""")
_ATTR_T = re.compile(rb"""\bt\s*=\s*["']([a-zA-Z]+)["']""")
_HOLDS = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>/]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_IS = re.compile(rb"<(?:\w+:)?is[\s>/]")
_V = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v\s*>)", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t\s*>)", re.S)
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f\s*>)", re.S)


class FarCells(NamedTuple):
    """What :func:`bound_cells` decided for one sheet.

    ``part`` is the worksheet XML to read (the far cells removed), ``cells`` maps each far
    cell's A1 address to its value as shown (float, bool or text; a formula without a
    cached value as its formula ``"=…"``), ``refuse`` is a Chinese reason not to read the
    sheet at all, or ``""``.
    """

    part: bytes
    cells: dict
    refuse: str = ""


def col_number(letters: bytes | str) -> int:
    """1-based column number of column letters: A → 1, XFD → 16384."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def address(row: int, col: int) -> str:
    """A1 address of a 1-based row and column."""
    name = ""
    while col:
        col, r = divmod(col - 1, 26)
        name = chr(65 + r) + name
    return f"{name}{row}"


def bound_cells(part: bytes, strings: Callable[[int], str], plain: bool | None = None) -> FarCells | None:
    """``None`` when python-calamine's grid for this sheet stays within :data:`GRID_LIMIT`
    cells; else the far cells to leave out (see the module docstring).

    ``strings(i)`` gives shared string ``i`` (only called for far cells of type ``s``);
    ``plain`` is :func:`~._sheetxml.is_plain` if already known.
    """
    if b"sheetData" not in part:
        return None                                    # no cells at all
    if plain is None:
        plain = b"<sheetData" in part and not _PREFIXED.search(part)
    if plain:
        if any(not clear.search(part) for clear in _CLEAR):
            return None
        if not _NO_REF.search(part):
            refs = _REFS.findall(part)
            rows = max(map(int, {r for _, r in refs}), default=0)
            cols = max(map(col_number, {c for c, _ in refs}), default=0)
            if rows * cols <= GRID_LIMIT:
                return None
    return _far_cells(part, strings)


def _placed(part: bytes):
    """Yield ``(row, col, start, end, attrs, body)`` for every cell, placed as
    python-calamine places them (1-based; ``start:end`` is the element in ``part``)."""
    row = col = 0
    pos = 0
    while True:
        tag = _TAG.search(part, pos)
        if tag is None:
            return
        ref = _ATTR_R.search(tag[2])
        if tag[1] == b"row":
            row = int(ref[2]) if ref and ref[2] else row + 1
            col, pos = 0, tag.end()
            continue
        r, c = row, col + 1
        if ref and ref[1]:
            c = col_number(ref[1])
            r = int(ref[2]) if ref[2] else row
        col = c
        if tag[3]:
            body, end = b"", tag.end()
        else:
            close = _CELL_END.search(part, tag.end())
            end = close.end() if close else len(part)
            body = part[tag.end():close.start() if close else len(part)]
        pos = end
        yield r, c, tag.start(), end, tag[2], body


def _segment(values: Counter, gap: int) -> tuple[int, int]:
    """The run of ``values`` (no gap over ``gap``) holding the most cells, the first on
    ties: ``(first, last)``."""
    keys = sorted(values)
    runs, first, prev, weight = [], keys[0], keys[0], 0
    for k in keys:
        if k - prev > gap:
            runs.append((weight, first, prev))
            first, weight = k, 0
        weight += values[k]
        prev = k
    runs.append((weight, first, prev))
    best = max(runs, key=lambda run: run[0])
    return best[1], best[2]


def _far_cells(part: bytes, strings) -> FarCells | None:
    """The slow path: place every cell, find the data block, cut out the far cells."""
    rows, cols, starts, ends = array("l"), array("l"), array("q"), array("q")
    for r, c, start, end, _, body in _placed(part):
        if _HOLDS.search(body) or _FORMULA.search(body):
            rows.append(r)
            cols.append(c)
            starts.append(start)
            ends.append(end)
    if not rows or max(rows) * max(cols) <= GRID_LIMIT:
        return None
    r0, r1 = _segment(Counter(rows), ROW_GAP)
    c0, c1 = _segment(Counter(cols), COL_GAP)
    if r1 * c1 > GRID_LIMIT:
        return FarCells(part, {}, f"数据分布过广（{address(r0, c0)} 至 {address(r1, c1)}，超过 {GRID_LIMIT:,} 个单元格），"
                                  "无法安全读取；请删除多余的行列后重新报送")
    far, pieces, pos = {}, [], 0
    for k in range(len(rows)):
        if r0 <= rows[k] <= r1 and c0 <= cols[k] <= c1:
            continue
        tag = _TAG.match(part, starts[k])
        body = part[tag.end():ends[k]]
        far[address(rows[k], cols[k])] = _value(tag[2], body, strings)
        pieces.append(part[pos:starts[k]])
        pos = ends[k]
    pieces.append(part[pos:])
    return FarCells(b"".join(pieces), far)


def _text(data: bytes | None) -> str:
    return html.unescape((data or b"").decode("utf-8", "replace"))


def _value(attrs: bytes, body: bytes, strings):
    """A far cell's value as shown: number, bool or text; a formula without a cached
    value as ``"=formula"``."""
    kind = _ATTR_T.search(attrs)
    kind = kind[1] if kind else b"n"
    v = _V.search(body)
    if kind == b"inlineStr" or (v is None and _IS.search(body)):
        return "".join(_text(t[1]) for t in _T.finditer(body))
    if v is None or (not v[1] and kind != b"str"):
        formula = _F.search(body)
        return "=" + _text(formula[1]) if formula else ""
    raw = _text(v[1])
    if kind == b"s":
        return strings(int(raw)) if raw.strip().isdigit() else raw
    if kind == b"b":
        return raw.strip() == "1"
    if kind in (b"n", b"N"):
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw
