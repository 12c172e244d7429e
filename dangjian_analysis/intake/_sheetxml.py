"""Private: facts about cells read from a worksheet's XML, which python-calamine does not give.

The safety scan (:mod:`._safety`) has each worksheet's XML inflated already; these helpers
find in it, by A1 address: formula cells with and without a cached value, cells showing an
Excel error value (``t="e"``: python-calamine reads them as empty strings), and cells whose
number format shows a percentage or scales (:mod:`._numfmt`). They also map worksheet parts
to sheet names, for transitional and Strict OOXML alike. Each helper looks at single cells
only where a fast search has found something to look at.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile

__all__ = ["formula_cells", "formula_cell_matches", "error_cells", "styled_cells", "sheet_names", "relationships", "worksheet_targets",
           "unread_parts", "has_formula", "is_plain", "merged_ranges", "cells_of_styles", "ERROR_VALUES"]

#: The error values Excel shows in a cell.
ERROR_VALUES = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
_NS_MAIN = ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
            "{http://purl.oclc.org/ooxml/spreadsheetml/main}")
_NS_REL = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
           "{http://purl.oclc.org/ooxml/officeDocument/relationships}")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_PLAIN = re.compile(rb"<f[\s>/]")
_PREFIXED_CELL = re.compile(rb":(?:c|row)[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_CACHED = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<(?:\w+:)?is[\s>/]")
_EMPTY_V = re.compile(rb"<(?:\w+:)?v\s*(?:/>|>\s*</(?:\w+:)?v>)")
_TEXT_TYPE = re.compile(rb"""\bt\s*=\s*["']str["']""")
_ERROR = re.compile(rb"""<(?:\w+:)?c\b([^>]*?\bt\s*=\s*["']e["'][^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)""", re.DOTALL)
_ERROR_TYPE = re.compile(rb't="e"')              # a literal: the expression searches faster than ``in``
_V_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_MERGE = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?["']""")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_RELATIONSHIP_PLAIN = re.compile(rb"<Relationship\s([^>]*)>")
_REL_ATTR = re.compile(rb"""(?<![\w:])(\w+)\s*=\s*["']([^"']*)["']""")


def is_plain(part: bytes) -> bool:
    """Whether a sheet's cells are unprefixed ``<c>`` inside an unprefixed ``<sheetData>``
    (no ``<x:c>``): then literal-led searches see every cell."""
    return b"<sheetData" in part and not _prefixed(part)


def _prefixed(part: bytes) -> bool:
    """Whether ``_PREFIXED_CELL`` occurs: the first colons are found by a one-byte search (far
    faster than the expression's) and tried one by one, the rest of the part is searched."""
    pos = part.find(b":")
    for _ in range(64):
        if pos < 0:
            return False
        if _PREFIXED_CELL.match(part, pos):
            return True
        pos = part.find(b":", pos + 1)
    return _PREFIXED_CELL.search(part, pos) is not None


def has_formula(part: bytes, plain: bool) -> bool:
    """Whether a sheet's XML has a formula element: ``<f …>`` (a fast literal-led search),
    or ``<x:f …>`` in a sheet that is not :func:`is_plain`."""
    if _FORMULA_PLAIN.search(part):
        return True
    return not plain and _FORMULA.search(part) is not None


def formula_cells(part: bytes) -> tuple[set[str], set[str]]:
    """Addresses of the formula cells without and with a cached value in one sheet's XML.

    A cached value is a non-empty ``<v>``, an inline string, or — for a text formula
    (``t="str"``) — an empty ``<v></v>``/``<v/>``: the formula's result is the empty string.
    """
    without, with_value = set(), set()
    for match in formula_cell_matches(part):
        body = match[2] or b""
        ref = _REF.search(match[1])
        if not ref:
            continue
        cached = _CACHED.search(body) is not None or (
            _TEXT_TYPE.search(match[1]) is not None and _EMPTY_V.search(body) is not None)
        (with_value if cached else without).add(ref[1].decode())
    return without, with_value


def formula_cell_matches(part: bytes):
    """The cell elements (:data:`_CELL` matches) of one sheet's XML that hold a formula, found
    from each ``<f`` back to the start of its cell: a sheet of many values and few formulas (a
    template's 本表合计 line) costs a search per formula, not a match per cell."""
    seen = -1
    bare, prefixed = b"<c>" in part, b":c " in part          # each searched once, not once a formula
    for formula in (_FORMULA if prefixed else _FORMULA_PLAIN).finditer(part):
        pos = formula.start()
        start = max(part.rfind(b"<c ", 0, pos), part.rfind(b"<c>", 0, pos) if bare else -1)
        other = part.rfind(b":c ", 0, pos) if prefixed else -1     # <x:c …> in a prefixed sheet
        if other > start:
            start = part.rfind(b"<", 0, other)
        if start < 0 or start <= seen:
            continue
        match = _CELL.match(part, start)
        if match and match.end() > pos:                      # the formula is inside this cell
            seen = start
            yield match


def error_cells(part: bytes) -> dict[str, str]:
    """A1 address → the error value shown (``#DIV/0!``) for each cell of type ``e``."""
    if not _ERROR_TYPE.search(part):
        return {}
    out = {}
    for match in _ERROR.finditer(part):
        ref = _REF.search(match[1])
        value = _V_TEXT.search(match[2] or b"")
        if ref:
            out[ref[1].decode()] = html.unescape(value[1].decode("utf-8", "replace")) if value else "#N/A"
    return out


def styled_cells(part: bytes, effects: dict[int, tuple[bool, float]],
                 plain: bool = False) -> tuple[set[str], dict[str, float]]:
    """The cells using a style of ``effects`` (:func:`~._numfmt.style_effects`): the set of
    cells shown as a percentage, and address → divisor for the cells a format scales.
    ``plain``: the sheet :func:`is_plain` (a faster search)."""
    percent, scaled = set(), {}
    if not effects:
        return percent, scaled
    ids = b"|".join(str(i).encode() for i in sorted(effects))
    tag = rb"<c\b" if plain else rb"<(?:\w+:)?c\b"
    styled = re.compile(tag + rb'(?=[^>]*?\bs\s*=\s*["\'](' + ids + rb')["\'])([^>]*)')
    for match in styled.finditer(part):
        ref = _REF.search(match[2])
        if ref:
            is_percent, divisor = effects[int(match[1])]
            if is_percent:
                percent.add(ref[1].decode())
            if divisor != 1.0:
                scaled[ref[1].decode()] = divisor
    return percent, scaled


def merged_ranges(part: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """The merged cell ranges of a sheet as ``(first row, first column, last row, last
    column)``, 0-based; the ``<mergeCells>`` element follows ``<sheetData>``, so only the part
    after it is searched."""
    end = part.rfind(b"sheetData>")
    if part.find(b"mergeCell", max(end, 0)) < 0:
        return ()
    out = []
    for m in _MERGE.finditer(part, max(end, 0)):
        r0, c0 = int(m[2]) - 1, _col(m[1])
        r1, c1 = (int(m[4]) - 1, _col(m[3])) if m[3] else (r0, c0)
        out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    return tuple(out)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def cells_of_styles(part: bytes, ids: frozenset[int], plain: bool = False) -> set[str]:
    """A1 addresses of the cells whose style index (``s``) is one of ``ids``."""
    if not ids:
        return set()
    tag = rb"<c\b" if plain else rb"<(?:\w+:)?c\b"
    styled = re.compile(tag + rb'(?=[^>]*?\bs\s*=\s*["\'](?:' + b"|".join(str(i).encode() for i in sorted(ids))
                        + rb')["\'])([^>]*)')
    return {ref[1].decode() for match in styled.finditer(part) if (ref := _REF.search(match[1]))}


def _target(target: str) -> list[str]:
    """The part names a relationship target may mean (relative to ``xl/`` or absolute)."""
    base = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if "//" in base or "/." in base or "\\" in base:
        return [posixpath.normpath(base.replace("\\", "/")), base]
    return [base]


def relationships(rels: bytes) -> list[dict[bytes, bytes]]:
    """The attributes of each ``<Relationship>`` of a ``.rels`` part (entities not decoded)."""
    elements = _RELATIONSHIP_PLAIN.findall(rels) or _RELATIONSHIP.findall(rels)
    return [{k: v for k, v in _REL_ATTR.findall(el)} for el in elements]


def worksheet_targets(rels: list[dict[bytes, bytes]]) -> set[str]:
    """Part names of the worksheets the workbook's :func:`relationships` point to."""
    return {name for rel in rels if rel.get(b"Type", b"").endswith(b"/worksheet") and rel.get(b"Target")
            for name in _target(html.unescape(rel[b"Target"].decode("utf-8", "replace")))}


def unread_parts(workbook: bytes, rels: list[dict[bytes, bytes]], names) -> set[str]:
    """Worksheet parts of the sheets named in ``names`` (sheets that are never read), when
    the workbook states them plainly; in any doubt, none (then every sheet is scanned).

    Plainly: the name occurs once in ``xl/workbook.xml``, in a ``<sheet … name="…" …
    r:id="rIdN" …/>``; ``rIdN`` occurs once there and names one relationship, whose target
    no other relationship names.
    """
    if b"&" in workbook or any(b"&" in rel.get(b"Target", b"") for rel in rels):
        return set()
    targets = [(rel.get(b"Id"), set(_target(rel.get(b"Target", b"").decode("utf-8", "replace")))) for rel in rels]
    out = set()
    for name in names:
        encoded = f'name="{name}"'.encode()
        element = re.search(rb'<sheet\b[^>]*?\s' + encoded + rb'[^>]*?\sr:id="([^"]+)"[^>]*>', workbook)
        if element is None or workbook.count(encoded) != 1 or workbook.count(b'"' + element[1] + b'"') != 1:
            continue
        own = [parts for rid, parts in targets if rid == element[1]]
        if len(own) == 1 and sum(bool(parts & own[0]) for _, parts in targets) == 1:
            out |= own[0]
    return out


def sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet part names (``xl/worksheets/sheet1.xml``) to sheet names, in
    transitional and Strict OOXML alike."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {}
    for rel in rels:
        targets[rel.get("Id")] = _target(rel.get("Target", ""))[0]
    out = {}
    for ns_main in _NS_MAIN:
        for sheet in workbook.iter(f"{ns_main}sheet"):
            rid = next((sheet.get(f"{ns}id") for ns in _NS_REL if sheet.get(f"{ns}id")), None)
            part = targets.get(rid)
            if part:
                out[part] = sheet.get("name")
    return out
