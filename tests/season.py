"""A 2016 season built from the sample, as a county has it in January: last years' data, and the
returns of some townships, each made with ``dangjian template --year 2016 --previous`` and
filled as a clerk would (this year's figure = last year's, shown beside it in the template)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import openpyxl

from dangjian_analysis.catalog.tables import TEMPLATE_FOOTER, YEAR_ID_PREFIX
from helpers import SAMPLE, copy_sample


def fill_like_last_year(path: Path) -> Path:
    """Fill every input cell of a template with its 上年数 (the column whose hidden id is
    ``prev:<indicator>``, in the 上年数 block), stopping at the template's footer."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ids = [c.value for c in ws[3]] if ws.max_row >= 3 else []
        years = [k for k, i in enumerate(ids) if isinstance(i, str) and (i == "year" or i.startswith(YEAR_ID_PREFIX))]
        if not years:
            continue
        source = {k: ids.index(f"prev:{i}") for k, i in enumerate(ids)
                  if isinstance(i, str) and f"prev:{i}" in ids}
        for row in ws.iter_rows(min_row=4):
            first = row[0].value
            if isinstance(first, str) and first.startswith(TEMPLATE_FOOTER):
                break
            if row[years[0]].value is None:
                continue
            for k, at in source.items():
                row[k].value = row[at].value
    wb.save(path)
    return path


#: Each township's filled 2016 return, made once per test process (the same bytes every time:
#: the template is deterministic) and copied into every season that asks for it.
_RETURNS: dict[str, Path] = {}
_MADE: dict[str, object] = {}


def _filled_return(town: str) -> Path:
    if town not in _RETURNS:
        from dangjian_analysis.documents.template import write_template
        from dangjian_analysis.intake import load

        if not _MADE:
            _MADE["store"] = Path(tempfile.mkdtemp(prefix="season-"))
            atexit.register(shutil.rmtree, _MADE["store"], True)
            _MADE["previous"] = load(SAMPLE, progress=False)
        path = write_template(_MADE["store"] / f"{town}.xlsx", year=2016, township=town, previous=_MADE["previous"])
        _RETURNS[town] = fill_like_last_year(path)
    return _RETURNS[town]


def build_season(folder: Path, townships: list[str], *, county: bool = False) -> Path:
    """``folder/数据``: the sample's 2012–2015 workbooks and ``2016/<township>.xlsx`` for each of
    ``townships``; the sample's county workbook only when ``county`` (it holds 2012–2015)."""
    data = folder / "数据"
    (data / "2016").mkdir(parents=True)
    copy_sample(data, county=county)
    for town in townships:
        shutil.copy(_filled_return(town), data / "2016" / f"{town}.xlsx")
    return data
