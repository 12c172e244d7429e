"""The yearly report's wall time against its floor, measured in one run.

Floor = `python -c "import dangjian_analysis, matplotlib.pyplot, seaborn"` plus starting
(and stopping) a Jupyter kernel: what any notebook-based report must pay before doing
anything. Goal: the report (`dangjian report` on the bundled sample) within 5× the floor (issue 12).
Also `import dangjian_analysis` against `import pandas` (goal: within 1.15×).

Usage: python benchmarks/bench_report.py [--runs 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time


def seconds(cmd, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def kernel_start(runs: int) -> float:
    from jupyter_client.manager import start_new_kernel

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"])
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    t_imports = seconds([py, "-c", "import dangjian_analysis, matplotlib.pyplot, seaborn"], args.runs)
    t_kernel = kernel_start(args.runs)
    floor = t_imports + t_kernel
    with tempfile.TemporaryDirectory() as tmp:
        t_report = seconds([py, "-m", "dangjian_analysis.cli", "report", "--out", f"{tmp}/report"], args.runs)
    t_pandas = seconds([py, "-c", "import pandas"], max(args.runs, 5))
    t_package = seconds([py, "-c", "import dangjian_analysis"], max(args.runs, 5))
    print(f"imports (dangjian_analysis, matplotlib.pyplot, seaborn): {t_imports:6.2f} s")
    print(f"start and stop a Jupyter kernel:                        {t_kernel:6.2f} s")
    print(f"floor:                                                  {floor:6.2f} s")
    print(f"dangjian report on the sample:                          {t_report:6.2f} s")
    print(f"report / floor:                                         {t_report / floor:6.2f}x  (goal <= 5x)")
    print(f"python -c 'import pandas':                              {t_pandas:6.3f} s")
    print(f"python -c 'import dangjian_analysis':                   {t_package:6.3f} s")
    print(f"import ratio:                                           {t_package / t_pandas:6.2f}x  (goal <= 1.15x)")


if __name__ == "__main__":
    main()
