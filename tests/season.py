"""A 2016 season built from the sample, as a county has it in January: last years' data, and the
returns of some townships, each made with ``dangjian template --year 2016 --previous`` and
filled as a clerk would (this year's figure = last year's, shown beside it in the template)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from helpers import SAMPLE

_KEYS = {"township", "village", "year"}


def fill_like_last_year(path: Path) -> Path:
    """Fill every input cell of a template with its 上年数 (the ``prev:`` column beside it)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ids = [c.value for c in ws[3]] if ws.max_row >= 3 else []
        if "year" not in ids:
            continue
        for row in ws.iter_rows(min_row=4):
            if row[ids.index("year")].value is None:
                continue
            for k, ident in enumerate(ids):
                if isinstance(ident, str) and ident not in _KEYS and not ident.startswith("prev:") \
                        and k + 1 < len(ids) and ids[k + 1] == f"prev:{ident}":
                    row[k].value = row[k + 1].value
    wb.save(path)
    return path


def build_season(folder: Path, townships: list[str], *, county: bool = False) -> Path:
    """``folder/数据``: the sample's 2012–2015 workbooks and ``2016/<township>.xlsx`` for each of
    ``townships``; the sample's county workbook only when ``county`` (it holds 2012–2015)."""
    from dangjian_analysis.documents.template import write_template
    from dangjian_analysis.intake import load

    data = folder / "数据"
    (data / "2016").mkdir(parents=True)
    for f in SAMPLE.glob("*.xlsx"):
        if f.name != "县级数据.xlsx" or county:
            shutil.copy(f, data / f.name)
    previous = load(SAMPLE, progress=False)
    for town in townships:
        path = write_template(data / "2016" / f"{town}.xlsx", year=2016, township=town, previous=previous)
        fill_like_last_year(path)
    return data
