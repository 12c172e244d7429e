"""Private: finding the header of a sheet — indicator sheets by their key and indicator
columns (and the template's hidden id row), county sheets by their Chinese headers."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..catalog import header_label
from ..catalog.tables import COUNTY_ALIASES, COUNTY_SHEETS, NOTE_HEADER, NOTE_ID, YEAR_ID_PREFIX
from ._values import norm_text

__all__ = ["HeaderLookup", "Header", "KEY_ALIASES", "HEADER_SCAN", "REFERENCE", "find_header", "find_county",
           "recognisable"]

KEY_ALIASES = {"township": {"乡镇", "乡镇名称", "乡（镇）", "乡镇（街道）", "township"},
               "village": {"村（社区）", "村", "村名", "社区", "村（社区）名称", "村社区", "village"},
               "year": {"年度", "年份", "年", "year"}}
#: How many rows from the top of a sheet are searched for its header (title rows above it are common).
HEADER_SCAN = 50
#: The field of a template's 上年数 reference column (hidden id ``prev:<indicator>``, header
#: ``上年数…``): last year's value shown to the clerk, never read.
REFERENCE = "prev:"


def _reference(text) -> bool:
    """Whether a hidden id or header cell marks a 上年数 reference column."""
    return isinstance(text, str) and (text.startswith(REFERENCE) or norm_text(text).startswith("上年数"))


class HeaderLookup:
    """Header text → field id (key column, indicator id or county field), built once from the catalogue."""

    def __init__(self, catalog):
        self.by_text: dict[str, str] = {}
        for key, names in KEY_ALIASES.items():
            for n in names:
                self.by_text[norm_text(n)] = key
        for ind in catalog.indicators.itertuples():
            for text in (ind.id, ind.name, header_label(ind.name, ind.unit), f"{ind.name}({ind.unit})",
                         f"{ind.name}（{ind.unit}）", *ind.aliases):
                self.by_text.setdefault(norm_text(text), ind.id)
        self.ids = set(catalog.indicators["id"]) | set(KEY_ALIASES)
        self.names = {ind.id: (ind.name, "是/否" if ind.unit == "0/1" else ind.unit)
                      for ind in catalog.indicators.itertuples()}
        self.county = {}               # table → {header text: field}: headers, aliases, field ids
        for table, (_, headers) in COUNTY_SHEETS.items():
            texts = {f: [h, f, *COUNTY_ALIASES[table].get(f, ()), *KEY_ALIASES.get(f, ())] for f, h in headers.items()}
            self.county[table] = {norm_text(t): f for f, names in texts.items() for t in names}

    def field(self, text) -> str | None:
        """The field a header cell names, or None."""
        return self.by_text.get(norm_text(text))


class Header(NamedTuple):
    """Where an indicator sheet's header is and what each column holds.

    ``conflicts`` lists ``(column, message)`` for columns whose visible header names a
    different indicator or unit than the template's hidden id row: the clerk typed for what
    they saw, so such a column is not read.
    """

    row: int
    id_row: int | None
    mapping: list
    conflicts: list


def find_header(lookup: HeaderLookup, indicators, rows) -> Header | None:
    """The header of an indicator sheet, or None.

    The template's hidden row of ids (township, year and indicator ids) wins; otherwise the
    first row with 乡镇 and 年度 and at least one indicator of ``indicators`` is the header.
    Rows are searched up to :data:`HEADER_SCAN`. In the id row, ``year:2016`` maps to ``year``
    and ``note`` (or a visible header 备注 over no id) to the 备注 column ``note``.
    """
    scan = rows[:HEADER_SCAN]
    for i, row in enumerate(scan):
        ids = [_hidden_id(lookup, v) for v in row]
        if "year" in ids and "township" in ids and sum(x is not None for x in ids) > 2:
            header = i - 1 if i > 0 else i
            visible = rows[header] if header != i else []
            labels = [lookup.field(v) for v in visible] if header != i else ids
            mapping = [ids[j] or (labels[j] if j < len(labels) else None) for j in range(len(row))]
            mapping = [NOTE_ID if f is None and j < len(visible) and norm_text(visible[j]) == NOTE_HEADER else f
                       for j, f in enumerate(mapping)]           # a 备注 column added to a template
            mapping = [REFERENCE if _reference(v) else f for v, f in zip(row, mapping)]
            conflicts = []
            for j, iid in enumerate(ids):
                message = _conflict(lookup, iid, visible[j] if j < len(visible) else None) if iid in indicators \
                    else None
                if message:
                    conflicts.append((j, message))
                    mapping[j] = None
            return Header(header, i, mapping, conflicts)
    for i, row in enumerate(scan):
        fields = [REFERENCE if _reference(v) else lookup.field(v) if v not in (None, "") else None for v in row]
        if "year" in fields and "township" in fields and any(f in indicators for f in fields):
            return Header(i, None, fields, [])
    return None


def _hidden_id(lookup: HeaderLookup, value) -> str | None:
    """The field a cell of the template's hidden id row names: a key or indicator id, ``year``
    for ``year:2016`` (the years are read by :func:`~._clerk_rows.template_years`), ``note``."""
    if not isinstance(value, str):
        return None
    if value.startswith(YEAR_ID_PREFIX):
        return "year"
    return value if value in lookup.ids or value == NOTE_ID else None


def _conflict(lookup: HeaderLookup, iid: str, text) -> str | None:
    """Why the visible header ``text`` over the hidden id ``iid`` cannot be trusted, or None."""
    if text in (None, ""):
        return None
    field = lookup.field(text)
    if field == iid:
        return None
    name, unit = lookup.names[iid]
    if field is not None and field in lookup.names:
        return (f"表头“{text}”是指标“{lookup.names[field][0]}”，但隐藏的指标编号行是“{name}”（{iid}）："
                f"不能确定填报人按哪一项填写，本列未采用；请恢复模板原表头后重新填写本列")
    match = re.fullmatch(r"(.+)\((.+)\)", norm_text(text))
    if match and lookup.field(match[1]) == iid and norm_text(match[2]) != norm_text(unit):
        return (f"表头“{text}”的单位“{match[2]}”与本列指标“{name}”的单位“{unit}”不同："
                f"填报人是按表头的单位填写的，本列未采用；请按“{unit}”重新填写本列并恢复原表头")
    return None


def recognisable(lookup: HeaderLookup, indicators, rows, name: str, input_sheets) -> bool:
    """Whether a sheet is recognisably a data sheet: its name is one of the catalogue's input
    sheets, or one of its first rows names at least two indicators."""
    if norm_text(name) in {norm_text(s) for s in input_sheets}:
        return True
    return any(sum(1 for v in row if v not in (None, "") and lookup.field(v) in indicators) >= 2
               for row in rows[:HEADER_SCAN])


def find_county(lookup: HeaderLookup, rows, name: str = ""):
    """(table, header row, column → field) of a county sheet, or None.

    A sheet named like a county sheet (``name``: the sheet's name, or for a CSV file the
    last ``_`` part of its stem, e.g. ``县级数据_四风台账``) is that table, its header the row
    naming most of its columns. Otherwise the first row naming at least three columns of one
    table, one of them not 乡镇/村（社区）/年度, is its header. Missing columns are left to
    :func:`~._county.read_county_rows` to report.
    """
    scan = [[norm_text(v) if v not in (None, "") else None for v in row] for row in rows[:HEADER_SCAN]]
    named = next((t for t, (sheet, _) in COUNTY_SHEETS.items() if sheet in norm_text(name)), None)
    best = None
    for i, row in enumerate(scan):
        for table, fields_of in lookup.county.items():
            if named is not None and table != named:
                continue
            fields = [fields_of.get(v) for v in row]
            found = {f for f in fields if f is not None}
            if named is not None:
                if len(found) > (best[0] if best else 0):
                    best = (len(found), table, i, fields)
            elif len(found) >= 3 and found - set(KEY_ALIASES):
                return table, i, fields
    if named is None:
        return None
    if best is None:          # nothing looks like a header: the first row with text stands for it
        i = next((i for i, row in enumerate(scan) if any(v is not None for v in row)), 0)
        return named, i, [None] * len(rows[i] if i < len(rows) else ())
    return best[1:]
