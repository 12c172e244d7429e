"""The yearly report's CPU against the charts' CPU, measured in one run.

`dangjian report` (every output) and `dangjian charts` (the same data loaded, scored and drawn:
the irreducible core of the report, about half its CPU) on the bundled sample, each run in its
own process; CPU = user + sys of that process and every process it started (the chart workers),
from ``resource.getrusage(RUSAGE_CHILDREN)``. Goal (issue 19): report CPU within 1.25× charts CPU.
Also the report's wall time, and `import dangjian_analysis` against `import pandas` (goal ≤ 1.15×).

Usage: python benchmarks/bench_report.py [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def once(cmd) -> tuple[float, float]:
    """(CPU seconds of ``cmd`` and every process it started, wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def measure(cmd, runs: int) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) of ``runs`` runs of ``cmd``."""
    results = [once(cmd) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results)


def interleaved(a, b, runs: int):
    """Best (CPU, wall) of ``a`` and of ``b``, run alternately so that a slower spell of the
    machine (another process, a throttled core) touches both alike."""
    got = {0: [], 1: []}
    for _ in range(runs):
        for k, cmd in enumerate((a, b)):
            got[k].append(once(cmd))
    return [(min(r[0] for r in got[k]), min(r[1] for r in got[k])) for k in (0, 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    cli = [sys.executable, "-m", "dangjian_analysis"]
    with tempfile.TemporaryDirectory() as tmp:
        (charts_cpu, charts_wall), (report_cpu, report_wall) = interleaved(
            [*cli, "charts", "--out", str(Path(tmp) / "c")], [*cli, "report", "--out", str(Path(tmp) / "r")], runs)
    pandas, _ = measure([sys.executable, "-c", "import pandas"], runs)
    package, _ = measure([sys.executable, "-c", "import dangjian_analysis, pandas"], runs)
    print(f"dangjian charts: CPU {charts_cpu:.2f} s, wall {charts_wall:.2f} s")
    print(f"dangjian report: CPU {report_cpu:.2f} s, wall {report_wall:.2f} s")
    print(f"report CPU / charts CPU = {report_cpu / charts_cpu:.2f}×  (goal ≤ 1.25×)")
    print(f"import dangjian_analysis + pandas / import pandas = {package / pandas:.2f}×  (goal ≤ 1.15×)")


if __name__ == "__main__":
    main()
