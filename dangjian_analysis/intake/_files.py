"""Private: reading input files from disk into rows, before any validation.

:func:`fetch` turns one file into a :class:`Fetched` (its sheets' rows, or why it was
refused); it never raises and does no validation, so that :func:`prefetch` can read
several files in threads (zlib and python-calamine release the GIL) while the main thread
validates. Workbooks pass :func:`~dangjian_analysis.intake._safety.inspect_workbook` first.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ._safety import LIMITS, MESSAGES

__all__ = ["READABLE_SUFFIXES", "SKIP_SHEETS", "Sheet", "Fetched", "fetch", "prefetch", "collect_files",
           "internal_error"]

READABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
SKIP_SHEETS = {"填报说明", "名录"}


class Sheet(NamedTuple):
    """One sheet's rows and what the safety scan learnt about its cells."""

    name: str                      # "" for a CSV file
    rows: list
    formula_missing: set           # formula cells without a cached value
    formula_cached: set            # formula cells with a cached value
    csv_mode: bool
    percent: set                   # cells formatted as a percentage (85% stored as 0.85)


@dataclass
class Fetched:
    """One file as read from disk: its sheets, or ``refusal`` = (code, message)."""

    refusal: tuple[str, str] | None = None
    warnings: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()


def internal_error(exc: Exception) -> str:
    """The Chinese message for an unexpected failure while reading one file."""
    return (f"读取时发生内部错误（{type(exc).__name__}: {exc}）；本文件未采用。"
            "请把此文件和这条信息报告给开发人员")


def fetch(path: Path) -> Fetched:
    """Read one file (safety checks, then python-calamine or the CSV reader); never raises."""
    try:
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            return _fetch_workbook(path)
        if suffix == ".csv":
            return _fetch_csv(path)
        if suffix == ".xls":
            return Fetched(("legacy_xls", MESSAGES["legacy_xls"]))
        return Fetched(("unsupported", f"不支持的文件类型“{path.suffix}”，请报送 .xlsx 或 .csv 文件"))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return Fetched(("internal_error", internal_error(exc)))


def _fetch_workbook(path: Path) -> Fetched:
    from python_calamine import CalamineWorkbook

    from ._safety import Refused, inspect_workbook

    try:
        facts, data = inspect_workbook(path)
    except Refused as refused:
        return Fetched((refused.code, refused.message))
    warnings = (("macros_ignored", "工作簿含有宏（VBA），宏未运行，只读取单元格数值"),) if facts.has_macros else ()
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
            sheets = tuple(Sheet(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False),
                                 facts.formulas_without_value.get(name, set()),
                                 facts.formulas_with_value.get(name, set()), False,
                                 facts.percent_cells.get(name, set()))
                           for name in wb.sheet_names if name not in SKIP_SHEETS)
    except Exception:  # noqa: BLE001 - calamine's own errors mean an unreadable file
        return Fetched(("corrupt", "文件已损坏或不完整，无法读取，请重新保存后报送"))
    return Fetched(None, warnings, sheets)


def _fetch_csv(path: Path) -> Fetched:
    size = path.stat().st_size
    if size == 0:
        return Fetched(("empty_file", MESSAGES["empty_file"]))
    if size > LIMITS["file_bytes"]:
        return Fetched(("too_large", "文件过大，拒绝读取"))
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        return Fetched(("not_csv", "不是有效的 CSV 文本文件（含二进制内容）"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        return Fetched(("bad_encoding", "无法识别文件编码，请另存为 UTF-8 编码的 CSV"))
    rows = [[c if c != "" else None for c in row] for row in csv.reader(io.StringIO(text))]
    return Fetched(None, (), (Sheet("", rows, set(), set(), True, set()),))


def prefetch(files: list[Path], depth: int = 4):
    """Yield ``(path, fetched)`` in order, fetching up to ``depth`` files ahead in threads."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    if len(files) < 2:
        yield from ((f, fetch(f)) for f in files)
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending = deque()
        for f in files:
            pending.append((f, pool.submit(fetch, f)))
            if len(pending) >= depth:
                path, future = pending.popleft()
                yield path, future.result()
        while pending:
            path, future = pending.popleft()
            yield path, future.result()


def collect_files(paths) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders (not recursively) into input files, sorted by name.

    Returns the files and ``(path, message)`` for paths that do not exist or that were
    given more than once (read once). Excel lock files ``~$*`` are skipped.
    """
    files, missing, seen = [], [], {}
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() in READABLE_SUFFIXES
                            and not f.name.startswith("~$")), key=lambda f: f.name)
        elif p.is_file():
            found = [p]
        else:
            missing.append((str(p), "找不到该文件或文件夹"))
            continue
        for f in found:
            key = f.resolve()
            if key in seen:
                missing.append((str(f), f"与 {seen[key]} 是同一个文件，只读取一次"))
            else:
                seen[key] = str(f)
                files.append(f)
    return files, missing
