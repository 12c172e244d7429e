"""Intake speed on a province-sized batch (about 200 township workbooks), one run.

Prints, measured in this run (best of 3 each):
- load() against pandas.read_excel(engine="openpyxl") of the same sheets (goal: ≥ 5× faster);
- load() against a raw python-calamine read with no validation (goal: ≤ 1.5× the raw read).

Usage: python benchmarks/bench_intake.py [--townships 200] [--cache DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from dangjian_analysis.intake import load

from _province import province_batch, province_catalog


def best_of(n, fn):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dangjian-bench-intake")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    catalog = province_catalog(args.cache, townships=args.townships)
    files = province_batch(args.cache, catalog)
    sheets = catalog.input_sheets
    size = sum(f.stat().st_size for f in files)

    def raw_calamine():
        n = 0
        for f in files:
            with CalamineWorkbook.from_path(str(f)) as wb:
                for s in sheets:
                    n += len(wb.get_sheet_by_name(s).to_python(skip_empty_area=False))
        return n

    def pandas_openpyxl():
        return sum(len(df) for f in files
                   for df in pd.read_excel(f, sheet_name=sheets, header=None, engine="openpyxl").values())

    from dangjian_analysis.intake._safety import inspect_workbook

    t_load, ds = best_of(3, lambda: load(*files, catalog=catalog, progress=False))
    t_scan, _ = best_of(3, lambda: [inspect_workbook(f) for f in files])
    t_raw, _ = best_of(3, raw_calamine)
    t_pd, _ = best_of(3, pandas_openpyxl)
    cells = int(ds.files["cells_read"].sum())
    print(f"batch: {len(files)} workbooks, {size / 1024**2:.1f} MB, {cells} data cells, "
          f"{len(ds.observations)} observations, {ds.n_errors} errors")
    print(f"load():                           {t_load:7.3f} s")
    print(f"pandas.read_excel(openpyxl):      {t_pd:7.3f} s")
    print(f"raw calamine read, no validation: {t_raw:7.3f} s")
    print(f"  of load(): safety pre-scan      {t_scan:7.3f} s  (zip sizes, DTDs, formulas)")
    print(f"speed-up over pandas/openpyxl:    {t_pd / t_load:5.1f}x  (goal >= 5x)")
    print(f"validation cost over raw read:    {t_load / t_raw:5.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
