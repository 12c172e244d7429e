"""Private: the cached results of a workbook's formulas, which openpyxl drops when it saves,
put back into the copy it saved — so that a returned copy reads back as the original.

openpyxl keeps every formula (``<f>``) but writes it with an empty result (``<v></v>``);
the intake then has no value for the cell (``formula_no_value``). :func:`cached_results`
reads, from the original's worksheet XML, each formula cell's result and type (``t``) by
sheet name and address; :func:`restore_cached` writes them back into the saved copy's
formula cells at the same addresses. The original goes through the intake's safety scan
first (zip bombs, DTDs and external entities refused); nothing is ever evaluated.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

__all__ = ["cached_results", "restore_cached"]

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb"""\st\s*=\s*["'](\w+)["']""")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
#: a formula cell as openpyxl writes it: address, other attributes, the formula, an empty result
_SAVED = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f\b[^>]*?(?:/>|>[^<]*</f>))<v\s*(?:/>|></v>)</c>')


def cached_results(path: str | Path) -> dict[str, dict[bytes, tuple[bytes, bytes]]]:
    """Sheet name → {A1 address: (type, cached result)} of the formula cells that have a result
    (types as in the XML: ``b"n"``, ``b"str"``, ``b"b"``, ``b"e"``); empty when there are none.

    Raises :class:`~dangjian_analysis.intake._safety.Refused` for a file the intake refuses."""
    from ..intake._safety import scan_workbook
    from ..intake._sheetxml import sheet_names

    scan = scan_workbook(path)
    found = {}
    for part, (xml, _) in scan.parts.items():
        if part in scan.far:                           # far cells were cut out of what was scanned
            xml = scan.zf.read(part)
        if not _FORMULA.search(xml):
            continue
        cells = {}
        for m in _CELL.finditer(xml):
            body = m[2]
            if not body or not _FORMULA.search(body):
                continue
            ref, value = _REF.search(m[1]), _VALUE.search(body)
            if ref and value:
                kind = _TYPE.search(m[1])
                cells[ref[1]] = (kind[1] if kind else b"n", value[1])
        if cells:
            found[part] = cells
    if not found:
        return {}
    names = sheet_names(scan.zf)
    return {names.get(part, part): cells for part, cells in found.items()}


def restore_cached(data: bytes, cached: dict[str, dict[bytes, tuple[bytes, bytes]]]) -> bytes:
    """The workbook ``data`` (as openpyxl saved it) with the results ``cached`` written into its
    formula cells of the same sheet and address; other parts are copied as they are."""
    if not cached:
        return data
    from ..intake._sheetxml import sheet_names

    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {part: cached[name] for part, name in sheet_names(source).items() if name in cached}

    def put_back(cells):
        def one(m):
            if m[1] not in cells:
                return m[0]
            kind, value = cells[m[1]]
            attrs = _TYPE.sub(b"", m[2]) + (b"" if kind == b"n" else b' t="' + kind + b'"')
            return b'<c r="' + m[1] + b'"' + attrs + b">" + m[3] + b"<v>" + value + b"</v></c>"
        return one

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in parts:
                content = _SAVED.sub(put_back(parts[info.filename]), content)
            rebuilt.writestr(info, content)
    return out.getvalue()
