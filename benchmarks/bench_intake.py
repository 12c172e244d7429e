"""Intake speed, one run: a province-sized batch and the bundled sample county.

Prints, measured in this run:
- province (about 200 township workbooks, best of 3 each): load() against
  pandas.read_excel(engine="openpyxl") of the same sheets (goal: ≥ 8× faster), and against a
  raw python-calamine read with no validation (goal: ≤ 1.5× the raw read);
- sample county (the 11 workbooks of ``data/sample``, 13,680 ballot rows; warm, best of 5):
  ``dj.load(dj.sample_path())`` against a bare python-calamine read of every sheet of the same
  files, ``CalamineWorkbook.from_path(f)`` then ``get_sheet_by_name(n).to_python()``
  (goal: ≤ 1.5×).

Usage: python benchmarks/bench_intake.py [--part all|province|sample] [--townships 200] [--cache DIR]
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


def sample_county() -> None:
    """The sample county: load() against a bare calamine read of every sheet of the same workbooks.

    The 11 workbooks of ``data/sample`` are named one by one (what ``dj.load(dj.sample_path())``
    read before folders were searched recursively; the ``csv/`` copies are not part of this).
    """
    import dangjian_analysis as dj

    files = sorted(dj.sample_path().glob("*.xlsx"))

    def bare_calamine():
        n = 0
        for f in files:
            with CalamineWorkbook.from_path(str(f)) as wb:
                for name in wb.sheet_names:
                    n += len(wb.get_sheet_by_name(name).to_python())
        return n

    dj.load(*files), bare_calamine()                              # warm: imports, catalogue, file cache
    t_load, ds = best_of(5, lambda: dj.load(*files))
    t_raw, _ = best_of(5, bare_calamine)
    print(f"sample county: {len(files)} workbooks, {len(ds.ballots)} ballot rows, "
          f"{int(ds.files['cells_read'].sum())} cells read, {ds.n_errors} errors, {ds.n_warnings} warnings")
    print(f"dj.load(sample workbooks):        {t_load:7.3f} s")
    print(f"bare calamine read, every sheet:  {t_raw:7.3f} s")
    print(f"load / bare read:                 {t_load / t_raw:5.2f}x  (goal <= 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=("all", "province", "sample"), default="all")
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "dangjian-bench-intake")
    args = parser.parse_args()
    if args.part in ("all", "sample"):
        sample_county()
    if args.part == "sample":
        return
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
    print(f"speed-up over pandas/openpyxl:    {t_pd / t_load:5.1f}x  (goal >= 8x)")
    print(f"validation cost over raw read:    {t_load / t_raw:5.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
