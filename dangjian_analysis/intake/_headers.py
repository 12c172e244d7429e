"""Private: finding the header of a sheet — indicator sheets by their key and indicator
columns (and the template's hidden id row), county sheets by their Chinese headers."""

from __future__ import annotations

from ..catalog import header_label
from ..catalog.tables import COUNTY_SHEETS
from ._values import norm_text

__all__ = ["HeaderLookup", "KEY_ALIASES", "HEADER_SCAN", "find_header", "find_county"]

KEY_ALIASES = {"township": {"乡镇", "乡镇名称", "乡（镇）", "乡镇（街道）", "township"},
               "village": {"村（社区）", "村", "村名", "社区", "村（社区）名称", "村社区", "village"},
               "year": {"年度", "年份", "年", "year"}}
#: How many rows from the top of a sheet are searched for its header.
HEADER_SCAN = 10


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
        self.county = {}
        for table, (_, headers) in COUNTY_SHEETS.items():
            self.county[table] = {norm_text(h): f for f, h in headers.items()} | {f: f for f in headers}

    def field(self, text) -> str | None:
        """The field a header cell names, or None."""
        return self.by_text.get(norm_text(text))


def find_header(lookup: HeaderLookup, indicators, rows):
    """(header row, id row, column → field) of an indicator sheet, or (None, None, None).

    The template's hidden row of ids (township, year and indicator ids) wins; otherwise the
    first row with 乡镇 and 年度 and at least one indicator of ``indicators`` is the header.
    """
    for i, row in enumerate(rows[:HEADER_SCAN]):
        ids = [v if isinstance(v, str) and v in lookup.ids else None for v in row]
        if "year" in ids and "township" in ids and sum(x is not None for x in ids) > 2:
            header = i - 1 if i > 0 else i
            labels = [lookup.field(v) for v in rows[header]] if header != i else ids
            mapping = [ids[j] or (labels[j] if j < len(labels) else None) for j in range(len(row))]
            return header, i, mapping
    for i, row in enumerate(rows[:HEADER_SCAN]):
        fields = [lookup.field(v) if v not in (None, "") else None for v in row]
        if "year" in fields and "township" in fields and any(f in indicators for f in fields):
            return i, None, fields
    return None, None, None


def find_county(lookup: HeaderLookup, rows):
    """(table, header row, column → field) of a county sheet (all but one header found), or None."""
    for i, row in enumerate(rows[:HEADER_SCAN]):
        normed = [norm_text(v) for v in row]
        for table, fields_of in lookup.county.items():
            fields = [fields_of.get(v) for v in normed]
            if sum(f is not None for f in fields) >= len(COUNTY_SHEETS[table][1]) - 1:
                return table, i, fields
    return None
