"""Shared by the benchmarks: a generated province-sized catalogue and batch of workbooks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from dangjian_analysis.catalog import default_catalog_text, load_catalog


def province_catalog(folder: Path, townships: int = 200, villages: float = 12, last_year: int | None = None):
    """The default catalogue with ``townships`` invented townships of about ``villages``
    villages each (a fraction alternates, e.g. 12.5 → 12 and 13)."""
    text = default_catalog_text()
    if last_year is not None:
        text = re.sub(r"^last_year = \d+", f"last_year = {last_year}", text, flags=re.M)
        text = re.sub(r"^first_year = \d+", f"first_year = {min(2012, last_year)}", text, flags=re.M)
    head, _, rest = text.partition("[[townships]]")
    tail = rest[rest.index("# ----"):]
    blocks = []
    for t in range(1, townships + 1):
        n = int(villages) + (1 if t % 2 and villages % 1 else 0)
        names = ", ".join(f'"第{t:04d}镇{v:02d}村"' for v in range(1, n + 1))
        blocks.append(f'[[townships]]\nid = "P{t:04d}"\nname = "第{t:04d}镇"\naliases = []\nvillages = [{names}]\n')
    path = folder / "province.toml"
    path.write_text(head + "\n".join(blocks) + "\n" + tail, "utf-8")
    return load_catalog(path)


def province_batch(folder: Path, catalog, year: int = 2015, seed: int = 0) -> list[Path]:
    """One returned workbook per township for ``year``, filled with plausible random values."""
    from dangjian_analysis.documents.template import write_template

    rng = np.random.default_rng(seed)
    files = []
    for town in catalog.townships["unit_name"]:
        path = folder / f"{town}.xlsx"
        files.append(path)
        if path.exists():
            continue
        values = {}
        villages = catalog.villages.loc[catalog.villages["township"] == town, "unit_name"]
        for sheet in catalog.input_sheets:
            units = villages if sheet == catalog.sheets["village"] else [None]
            for unit in units:
                row = {}
                for r in catalog.sheet_indicators(sheet).itertuples():
                    if r.kind == "binary":
                        row[r.id] = "是" if rng.random() < 0.7 else "否"
                    elif r.kind == "count":
                        row[r.id] = int(rng.integers(0, 6))
                    elif r.kind == "percent":
                        row[r.id] = round(float(rng.uniform(40, 100)), 1)
                    else:
                        row[r.id] = round(float(rng.uniform(r.lo or 0, r.hi or 100)), 2)
                values[(sheet, town, unit, year)] = row
        write_template(path, year=year, township=town, catalog=catalog, values=values)
    return files
