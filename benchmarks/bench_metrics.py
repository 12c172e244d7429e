"""Metrics speed and memory on a province-sized panel, one run.

About 2,000 townships and 25,000 villages over 10 years with the default catalogue
(≈ 5.7 million observations), generated in memory. Prints, measured in this run:
- score_composite against a bare groupby(["township", "year", "indicator"])["value"].mean()
  over the same observations (goal: within 3× of that floor);
- rank_uncertainty(draws=1000) on the same panel;
- peak memory of each (tracemalloc: Python and NumPy allocations).

Usage: python benchmarks/bench_metrics.py [--townships 2000] [--years 10]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import dangjian_analysis as dj

from _province import province_catalog


def panel(catalog, years: int, seed: int = 0) -> pd.DataFrame:
    """Observations of every village and township indicator, every year, random values."""
    rng = np.random.default_rng(seed)
    ind = catalog.indicators
    first = catalog.first_year
    parts = []
    for level, units, town in (("village", catalog.villages, "township"),
                               ("township", catalog.townships.assign(township=catalog.townships["unit_name"]),
                                "township")):
        ids = ind.loc[ind["level"] == level, ["id", "kind", "lo", "hi"]]
        n_u, n_i = len(units), len(ids)
        shape = (years, n_u, n_i)
        lo = ids["lo"].fillna(0).to_numpy()
        hi = ids["hi"].fillna(100).to_numpy()
        value = lo + (hi - lo) * rng.random(shape) * 1.1
        value = np.where(ids["kind"].to_numpy() == "binary", (rng.random(shape) < 0.7) * 1.0, value)
        parts.append(pd.DataFrame({
            "unit_id": pd.Categorical(np.tile(np.repeat(units["unit_id"].to_numpy(), n_i), years)),
            "unit_name": pd.Categorical(np.tile(np.repeat(units["unit_name"].to_numpy(), n_i), years)),
            "level": level,
            "township": pd.Categorical(np.tile(np.repeat(units[town].to_numpy(), n_i), years)),
            "year": np.repeat(np.arange(first, first + years), n_u * n_i),
            "indicator": pd.Categorical(np.tile(ids["id"].to_numpy(), n_u * years)),
            "value": value.ravel()}))
    return pd.concat(parts, ignore_index=True)


def measure(fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 1024**2, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--townships", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)
    folder = Path(tempfile.mkdtemp(prefix="dangjian-bench-metrics-"))
    catalog = province_catalog(folder, townships=args.townships, villages=12.5, last_year=2011 + args.years)
    obs = panel(catalog, args.years)
    print(f"panel: {len(catalog.townships)} townships, {len(catalog.villages)} villages, {args.years} years, "
          f"{len(obs):,} observations ({obs.memory_usage(deep=True).sum() / 1024**2:.0f} MB)")
    t_floor, m_floor, _ = measure(lambda: obs.groupby(["township", "year", "indicator"], observed=True)["value"].mean())
    t_comp, m_comp, comp = measure(lambda: dj.score_composite(obs, catalog))
    t_unc, m_unc, _ = measure(lambda: dj.rank_uncertainty(obs, catalog, draws=args.draws))
    print(f"floor groupby().mean():            {t_floor:7.2f} s  peak {m_floor:7.0f} MB")
    print(f"score_composite:                   {t_comp:7.2f} s  peak {m_comp:7.0f} MB  ({len(comp):,} rows)")
    print(f"rank_uncertainty(draws={args.draws}):    {t_unc:7.2f} s  peak {m_unc:7.0f} MB")
    print(f"score_composite / floor:           {t_comp / t_floor:5.1f}x  (goal <= 3x)")


if __name__ == "__main__":
    main()
