"""Catalogue loading at province size: is ``load_catalog`` linear in townships and villages?

Generates a catalogue text — the default catalogue's indicators and rules with ``--townships``
invented townships of ``--villages`` villages each; every township has an alias and, with six
villages or more, a rename with an alias, a merger and a split among its villages, so that
every check of the village history runs — at 1× and at 10× the number of townships, and
times :func:`load_catalog` on both in the same run: CPU time of this process (the load is one
thread, and on a shared machine CPU time is steadier than wall time), best of ``--repeat``,
the sizes interleaved. Prints the ratio of the 10× time to the 1× time: linear ≈ 10×,
quadratic ≈ 100×. Goal: ≤ 12×.

Usage: python benchmarks/bench_catalog.py [--townships 200] [--villages 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dangjian_analysis.catalog import default_catalog_text, load_catalog

GOAL = 12.0


def catalog_text(townships: int, villages: int = 30) -> str:
    """The default catalogue with ``townships`` generated townships of ``villages`` villages:
    ids ``P00001``, ``P00001V01``…; with six villages or more, village 2 renamed in 2014 (with
    an alias), village 3 merged into village 4 in 2014, village 5 split from village 6 in 2014."""
    text = default_catalog_text()
    head, _, rest = text.partition("[[townships]]")
    tail = rest[rest.index("# ----"):]                 # the sections after the unit list
    history = {2: 'aliases = ["{t}二村"], renamed = {{ from = "旧{name}", year = 2014 }}',
               3: 'merged_into = {{ id = "{tid}V04", year = 2014 }}',
               5: 'split_from = {{ id = "{tid}V06", year = 2014 }}'}
    blocks = []
    for t in range(1, townships + 1):
        tid = f"P{t:05d}"
        rows = []
        for v in range(1, villages + 1):
            name = f"第{t:05d}镇{v:02d}村"
            extra = history.get(v, "").format(t=t, tid=tid, name=name) if villages >= 6 else ""
            rows.append(f'  {{ id = "{tid}V{v:02d}", name = "{name}"{", " + extra if extra else ""} }},')
        blocks.append(f'[[townships]]\nid = "{tid}"\nname = "第{t:05d}镇"\naliases = ["{t:05d}镇"]\n'
                      f'villages = [\n' + "\n".join(rows) + "\n]\n")
    return head + "\n".join(blocks) + "\n" + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--townships", type=int, default=200)
    parser.add_argument("--villages", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = {"1×": args.townships, "10×": 10 * args.townships}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for label, n in sizes.items():
            paths[label] = Path(tmp) / f"catalog_{n}.toml"
            paths[label].write_text(catalog_text(n, args.villages), "utf-8")
        best = {label: float("inf") for label in sizes}
        for _ in range(args.repeat):
            for label, path in paths.items():
                start = time.process_time()
                cat = load_catalog(path)
                best[label] = min(best[label], time.process_time() - start)
                assert len(cat.townships) == sizes[label]
        for label, n in sizes.items():
            print(f"{label:>4}: {n:>6,} townships × {args.villages} villages "
                  f"({n * args.villages:,} villages)  load_catalog {best[label]:.3f} s")
        ratio = best["10×"] / best["1×"]
        verdict = "met" if ratio <= GOAL else "NOT met"
        print(f"ratio 10× / 1×: {ratio:.1f}×  (linear ≈ 10×, quadratic ≈ 100×; goal ≤ {GOAL:g}×: {verdict})")


if __name__ == "__main__":
    main()
