"""Private: formulas that reach outside the workbook — DDE and links to other workbooks.

A DDE formula (``=cmd|'/C calc'!A0``, ``=DDE("app";"topic";"item")``, or a ``[n]`` reference to
an external link part holding a ``<ddeLink>``) asks Excel to start another program and take
its answer; its cached value is whatever that program said, possibly planted. It is an error
at its cell and its value is never taken. A formula referring to another workbook
(``[1]Sheet1!A1``, an ``xl/externalLinks/externalLinkN.xml`` part) keeps a cached result the
county cannot check: taken, with a warning naming the link. No formula is ever evaluated:
only the formula text in the sheet's XML and the link parts are read (each at most
:data:`_PART_LIMIT` bytes).

Conventions: ``[n]`` in a formula is taken to be ``xl/externalLinks/externalLink{n}.xml`` (how
Excel and WPS number them); a link part that is absent or too large is named “外部链接 n”.
"""

from __future__ import annotations

import html
import re
import zipfile

from ._sheetxml import _REF, formula_cell_matches

__all__ = ["external_links", "linked_formulas", "classify"]

_PART_LIMIT = 1 << 20
_F_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</(?:\w+:)?f>")
_STRINGS = re.compile(r'"[^"]*"')
_QUOTED = re.compile(r"'[^']*'")
_DDE_CALL = re.compile(r"(?<![\w.])DDE(?:AUTO)?\s*\(", re.IGNORECASE)
_DDE_PIPE = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*\s*\|")
_EXTERNAL = re.compile(r"\[(\d+)\]")
_DDE_BYTES = re.compile(rb"[Dd][Dd][Ee]")
_LINK_PART = re.compile(r"xl/externalLinks/externalLink(\d+)\.xml$")
_DDE_LINK = re.compile(rb"""<(?:\w+:)?ddeLink\b[^>]*?\bddeService\s*=\s*["']([^"']*)["'][^>]*?"""
                       rb"""\bddeTopic\s*=\s*["']([^"']*)["']""")
_TARGET = re.compile(rb"""\bTarget\s*=\s*["']([^"']*)["']""")


def external_links(zf: zipfile.ZipFile) -> dict[int, tuple[str, str]]:
    """``n`` → (``"dde"`` or ``"external"``, what it links to) for each external link part:
    a ``<ddeLink>`` as ``service|topic``, another workbook as the target of its relationship;
    empty for a workbook without ``xl/externalLinks/`` parts (one pass over the zip's names)."""
    out = {}
    for info in zf.infolist():
        match = _LINK_PART.search(info.filename)
        if not match:
            continue
        n = int(match[1])
        part = _read(zf, info.filename)
        dde = _DDE_LINK.search(part)
        if dde:
            out[n] = ("dde", f"{_text(dde[1])}|{_text(dde[2])}")
            continue
        rels = _read(zf, f"xl/externalLinks/_rels/externalLink{n}.xml.rels")
        target = _TARGET.search(rels)
        out[n] = ("external", _text(target[1]) if target else f"外部链接 {n}")
    return out


def linked_formulas(part: bytes, links: dict[int, tuple[str, str]]) -> dict[str, tuple[str, str, str]]:
    """A1 address → (kind, formula text, link) for each formula cell of one sheet's XML that
    is a DDE call (kind ``"dde"``) or refers to another workbook (``"external"``; a ``[n]`` whose
    link part is a ``<ddeLink>`` is ``"dde"``). Text in string literals and sheet names in
    quotes is not taken for a DDE call."""
    out = {}
    if b"|" not in part and b"[" not in part and _DDE_BYTES.search(part) is None:
        return out                                   # nothing a DDE call or a link would need
    for match in formula_cell_matches(part):
        body = match[2]
        if not body:
            continue
        formula = _F_TEXT.search(body)
        ref = _REF.search(match[1])
        if not formula or not ref:
            continue
        text = _text(formula[1])
        found = classify(text, links)
        if found:
            out[ref[1].decode()] = (found[0], text, found[1])
    return out


def classify(text: str, links: dict[int, tuple[str, str]]) -> tuple[str, str] | None:
    """(kind, link) for a formula's text, or None for a formula that stays inside the workbook.

    >>> classify("cmd|' /C calc'!A0", {})
    ('dde', "cmd|' /C calc'")
    >>> classify("'[1]上年'!B4*2", {1: ("external", "file:///D:/2015/东山镇.xlsx")})
    ('external', 'file:///D:/2015/东山镇.xlsx')
    >>> classify('IF(A1="a|b",1,0)+\\'x|y\\'!A1', {}) is None
    True
    """
    plain = _STRINGS.sub('""', text)
    call = _DDE_CALL.search(plain)
    if call:
        return "dde", text[call.start():call.start() + 60]
    pipe = _DDE_PIPE.search(_QUOTED.sub("''", plain))
    if pipe:
        return "dde", plain[pipe.start():].split("!")[0]
    external = _EXTERNAL.search(plain)
    if external:
        n = int(external[1])
        return links.get(n, ("external", f"外部链接 {n}"))
    return None


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as stream:
            return stream.read(_PART_LIMIT)
    except KeyError:
        return b""


def _text(data: bytes) -> str:
    return html.unescape(data.decode("utf-8", "replace"))
