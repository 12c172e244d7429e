"""A township clerk's 2016 workbook: the template of one township filled with its 2015 figures
from the sample, as the tests of the clerk's slips start from (intake and returns)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from helpers import SAMPLE

KEY_IDS = (None, "township", "village", "year", "note")


def ids_of(ws) -> list:
    """The hidden id row (row 3) of a data sheet."""
    return [c.value for c in ws[3]]


def last_year(town: str) -> dict:
    """(sheet, village or None, indicator) → the township's 2015 value in the sample."""
    wb = openpyxl.load_workbook(SAMPLE / f"{town}.xlsx")
    out = {}
    for ws in wb.worksheets:
        ids = ids_of(ws)
        year = next((k for k, i in enumerate(ids) if isinstance(i, str) and i.split(":")[0] == "year"), None)
        if year is None:
            continue
        ids[year] = "year"
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[year] != 2015:
                continue
            village = row[ids.index("village")] if "village" in ids else None
            for k, ident in enumerate(ids):
                if ident not in KEY_IDS:
                    out[(ws.title, village, ident)] = row[k]
    return out


def unit_rows(ws, town: str) -> dict:
    """village (or the township, on a township sheet) → its sheet row."""
    ids = ids_of(ws)
    key = ids.index("village") if "village" in ids else 0
    return {ws.cell(r, key + 1).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == town}


def fill_with_2015(path: Path, town: str) -> Path:
    """Fill every input cell of a template of ``town`` with the township's 2015 figure."""
    values = last_year(town)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ids = ids_of(ws) if ws.max_row >= 3 else []
        if not any(isinstance(i, str) and i.startswith("year") for i in ids):
            continue
        for name, r in unit_rows(ws, town).items():
            village = name if "village" in ids else None
            for k, ident in enumerate(ids):
                if (ws.title, village, ident) in values:
                    ws.cell(r, k + 1).value = values[(ws.title, village, ident)]
    wb.save(path)
    return path
