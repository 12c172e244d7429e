"""Private: the ``dangjian cards`` command — its options and what it runs.

Kept beside the card writer so that :mod:`dangjian_analysis.cli` stays a thin dispatcher:
:func:`add_cards_arguments` declares the options (``--catalog`` is added by the CLI) and
:func:`run_cards` runs them. Exit status: 0 written; 1 no data (nothing readable, no values) or a year without data; 2 a
usage error (an unknown township, with the nearest name; a data path that does not exist).
Every error is one Chinese line on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["add_cards_arguments", "run_cards"]


def add_cards_arguments(p) -> None:
    """The options of ``dangjian cards``."""
    p.add_argument("--township", required=True, help="乡镇名称（如 东山镇 或 东山）：为该乡镇的每个村（社区）各写一页村情卡")
    p.add_argument("--out", metavar="DIR", default="驻点", help="输出文件夹（默认 驻点）")
    p.add_argument("--year", type=int, help="年度（默认数据中的最后一年）")
    p.add_argument("--data", metavar="PATH", nargs="+",
                   help="数据文件夹或文件，可给多个（默认自带的示例县 data/sample）")


def _say(text: str) -> None:
    print(f"dangjian cards：{text}", file=sys.stderr)


def run_cards(args) -> int:
    """Write the cards ``args`` ask for (``township, out, year, data, catalog``); returns the
    exit status, having said any problem in one Chinese line (a catalogue error is left to the
    CLI, which prints it as it does for every command)."""
    from ..catalog import load_catalog
    from ..intake import LoadError, load
    from .cards import CardsError, resolve_township, write_cards

    cat = load_catalog(getattr(args, "catalog", None))
    try:
        town = resolve_township(cat, args.township)
    except CardsError as exc:
        _say(str(exc))
        return 2
    if args.data:
        missing = [p for p in args.data if not Path(p).exists()]
        if missing:
            _say("找不到数据：" + "、".join(missing))
            return 2
        paths = list(args.data)
    else:
        from ..resources import sample_path

        paths = [sample_path()]
        _say("未指定数据，使用自带的虚构示例县（结果不代表任何真实县份）")
    try:
        ds = load(*paths, catalog=cat)
    except LoadError as exc:                     # nothing readable (a missing file, a folder of PDFs)
        _say(str(exc))
        return 1
    if ds.observations.empty:
        _say("没有读到任何指标数据，无法生成村情卡（请先用 dangjian validate 检查数据）")
        return 1
    try:
        written = write_cards(ds, town, args.out, year=args.year, catalog=cat)
    except CardsError as exc:
        _say(str(exc))
        return 1
    print(f"已生成{town}村情卡（每个村（社区）一页）：{written[0]}")
    if ds.n_errors:
        print(f"注意：数据中有 {ds.n_errors} 个错误，出错的单元格未采用，已在各村卡片第三部分列出"
              f"（用 dangjian validate 查看全部）", file=sys.stderr)
    return 0

