"""Private: the best wall time of each of several runs, measured alternately (a slower spell of
the machine touches every run alike)."""

from __future__ import annotations

import math
import time


def best_times(runs: dict, repeat: int) -> dict:
    """``{name: best seconds}`` of each ``runs[name]()`` over ``repeat`` rounds."""
    best = {name: math.inf for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
