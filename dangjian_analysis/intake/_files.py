"""Private: listing input files and reading each into rows, before any validation.

:func:`list_files` expands the paths given into every file found (folders recursively),
marking editor lock and sidecar files to be listed but never read, and raises
:class:`LoadError` for a path that does not exist or a folder without a readable file.
:func:`fetch` turns one file into a :class:`Fetched` (its sheets' rows, or why it was
refused — with how to fix it); it never raises and does no validation, so that
:class:`Prefetch` can read several files in threads (zlib and python-calamine release the
GIL) while the main thread validates. Workbooks pass the safety scan
(:func:`~dangjian_analysis.intake._safety.scan_workbook`) first; a large worksheet is then
read in two halves at once (:mod:`._split`).
"""

from __future__ import annotations

import csv
import io
import errno
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ._listing import (READABLE_SUFFIXES, SAVE_AS as _SAVE_AS, Listing, LoadError, collect_files, is_sidecar,
                       list_files)
from ._safety import LIMITS, MESSAGES, SKIP_SHEETS, skipped_sheet

_RETURN_SHEET = "退回说明"            # a returned copy's explanation sheet: only its confirmations are read

__all__ = ["READABLE_SUFFIXES", "SKIP_SHEETS", "LoadError", "Sheet", "Fetched", "Listing", "fetch", "Prefetch",
           "list_files", "collect_files", "is_sidecar", "internal_error", "file_size"]

_NONE = MappingProxyType({})
_KINDS = (
    ((".et", ".ett", ".xlt", ".xltx", ".xltm", ".xlsb", ".ods", ".numbers"), "other_spreadsheet",
     "“{suffix}”格式的表格无法读取，" + _SAVE_AS),
    ((".doc", ".docx", ".wps", ".wpt", ".rtf", ".odt", ".pages", ".pdf", ".txt", ".md", ".html", ".htm"), "document",
     "“{suffix}”是文档而不是表格，无法读取其中的数据；请把数据填入填报模板（.xlsx 工作簿）后重新报送"),
    ((".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"), "archive",
     "“{suffix}”是压缩包，无法直接读取；请解压后读取其中的 .xlsx 文件（可以给出解压后的文件夹）"),
    ((".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp"), "image",
     "“{suffix}”是图片（照片或截图），无法读取其中的数据；请报送填好的 .xlsx 工作簿"),
)


class Sheet(NamedTuple):
    """One sheet's rows and what the safety scan learnt about its cells (A1 addresses).

    ``errors`` maps a cell showing an Excel error value to it (``"#DIV/0!"``; its row holds
    ``""``); ``scaled`` maps a cell whose number format scales what is shown to the
    divisor (shown = stored / 1000.0 for ``0.0,``); ``far_cells`` maps each non-empty cell
    far from the data block to its value — such cells are not in ``rows`` nor in any other
    field, and count as read and rejected; ``year_cells`` are the cells whose number format
    shows a date as its year alone (``yyyy"年"``), ``merged`` the merged ranges, 0-based.
    """

    name: str                      # "" for a CSV file
    rows: list
    formula_missing: set           # formula cells without a cached value
    formula_cached: set            # formula cells with a cached value ("" included)
    csv_mode: bool
    percent: set                   # cells formatted as a percentage (85% stored as 0.85)
    errors: dict = _NONE           # address → Excel error value shown
    scaled: dict = _NONE           # address → divisor of what the format shows
    far_cells: dict = _NONE        # address → value, left out of ``rows``
    year_cells: frozenset = frozenset()   # cells showing a date as its year alone (``yyyy``)
    merged: tuple = ()             # merged ranges (first row, first column, last row, last column), 0-based
    linked: dict = _NONE           # address → (kind, formula, link) of DDE and external-workbook formulas


@dataclass
class Fetched:
    """One file as read from disk: its sheets, or ``refusal`` = (code, message)."""

    refusal: tuple[str, str] | None = None
    warnings: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()
    returned: list | None = None         # the rows of a returned copy's 退回说明 (its confirmations)


def internal_error(exc: Exception) -> str:
    """The Chinese message for an unexpected failure while reading one file."""
    return (f"读取时发生内部错误（{type(exc).__name__}: {exc}）；本文件未采用。"
            "请把此文件和这条信息报告给开发人员")


def fetch(path: Path) -> Fetched:
    """Read one file (safety checks, then python-calamine or the CSV reader); never raises.

    A file of a kind that cannot be read is refused with how to fix it.
    """
    try:
        if not path.is_file():
            path.stat()                               # the reason, if it cannot be looked at
            return Fetched(("not_a_table", "这不是普通文件（可能是文件夹、设备或管道），无法读取"))
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            return _fetch_workbook(path)
        if suffix == ".csv":
            return _fetch_csv(path)
        if suffix == ".xls":
            return Fetched(("legacy_xls", MESSAGES["legacy_xls"]))
        for suffixes, code, message in _KINDS:
            if suffix in suffixes:
                return Fetched((code, message.format(suffix=suffix)))
        kind = f"“{path.suffix}”" if path.suffix else "无扩展名的"
        return Fetched(("unsupported", f"不支持{kind}文件，只能读取 .xlsx、.xlsm 和 .csv；{_SAVE_AS}"))
    except OSError as exc:
        return Fetched(_os_refusal(path, exc))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return Fetched(("internal_error", internal_error(exc)))


def _os_refusal(path: Path, exc: OSError) -> tuple[str, str]:
    """Why a file that was listed cannot be opened: a link whose target is gone, no permission,
    a path too long, or another system error; ``(code, message)``."""
    if path.is_symlink() and not path.exists():
        return ("dangling_link", "这是一个快捷方式（链接），它指向的文件已不存在，无法读取；"
                                 "请把原文件复制到此处后重新读取")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("unreadable", "没有读取此文件的权限，无法读取；请复制一份有权限的文件后重新读取")
    if exc.errno == errno.ENAMETOOLONG:
        return ("unreadable", "文件路径过长（超过系统上限），无法读取；请把文件移到较短的路径下后重新读取")
    return ("unreadable", f"无法读取此文件（{exc.strerror or type(exc).__name__}）；请重新复制后读取")


def _fetch_workbook(path: Path) -> Fetched:
    from python_calamine import CalamineWorkbook

    from ._safety import Refused, scan_workbook
    from ._split import Halves

    try:
        scan = scan_workbook(path)
    except Refused as refused:
        return Fetched((refused.code, refused.message))
    # large sheets start being read in halves while the rest of the facts are found
    halves = {name: Halves(scan.data, part_name, name, part) for name, (part_name, part) in scan.large.items()
              if not skipped_sheet(name)}
    try:
        facts = scan.facts()
    except Refused as refused:
        for h in halves.values():
            h.wait()
        return Fetched((refused.code, refused.message))
    warnings = (("macros_ignored", "工作簿含有宏（VBA），宏未运行，只读取单元格数值"),) if facts.has_macros else ()
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(scan.data)) as wb:
            names = [name for name in wb.sheet_names if not skipped_sheet(name)]
            returned = (wb.get_sheet_by_name(_RETURN_SHEET).to_python(skip_empty_area=False)
                        if _RETURN_SHEET in wb.sheet_names else None)
            rows = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    for name in names if name not in halves}
            rows |= {name: halves[name].rows(wb) for name in names if name in halves}
            sheets = tuple(Sheet(name, rows[name], facts.formulas_without_value.get(name, set()),
                                 facts.formulas_with_value.get(name, set()), False,
                                 facts.percent_cells.get(name, set()), facts.error_cells.get(name, {}),
                                 facts.scaled_cells.get(name, {}), facts.far_cells.get(name, {}),
                                 facts.year_cells.get(name, frozenset()), facts.merged.get(name, ()),
                                 facts.linked.get(name, {}))
                           for name in names)
    except Exception:  # noqa: BLE001 - calamine's own errors mean an unreadable file
        return Fetched(("corrupt", "文件已损坏或不完整，无法读取，请重新保存后报送"))
    finally:
        for h in halves.values():
            h.wait()
    return Fetched(None, warnings, sheets, returned)


def _decode(data: bytes) -> str | None:
    """CSV bytes as text: UTF-16 with a BOM, else UTF-8 (BOM optional), else GB18030;
    any further BOMs at the start (a doubled BOM) removed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").lstrip("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - gb18030 decodes nearly anything


def _delimiter(text: str) -> str:
    """The field separator, from the first of the first 50 lines that has any of ``,``
    ``\\t`` ``;`` outside double quotes: the most frequent there (``,`` on ties)."""
    for line in text[:65536].splitlines()[:50]:
        bare = re.sub(r'"[^"]*"', "", line)
        counts = [(bare.count(d), -k, d) for k, d in enumerate(",\t;")]
        best = max(counts)
        if best[0]:
            return best[2]
    return ","


def _fetch_csv(path: Path) -> Fetched:
    size = path.stat().st_size
    if size == 0:
        return Fetched(("empty_file", MESSAGES["empty_file"]))
    if size > LIMITS["file_bytes"]:
        return Fetched(("too_large", "文件过大，拒绝读取"))
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Fetched(("not_csv", "不是有效的 CSV 文本文件（含二进制内容）"))
    text = _decode(data)
    if text is None:  # pragma: no cover - gb18030 decodes nearly anything
        return Fetched(("bad_encoding", "无法识别文件编码，请另存为 UTF-8 编码的 CSV"))
    del data
    delimiter = _delimiter(text)
    # Trailing blank lines (or lines of bare separators) are dropped before parsing: a
    # million of them cost nothing. The last line with content is kept whole.
    end = len(text.rstrip(f"\r\n{delimiter}"))
    breaks = [k for k in (text.find("\n", end), text.find("\r", end)) if k >= 0]
    text = text[:min(breaks)] if breaks else text
    try:
        rows = [[c if c != "" else None for c in row] if any(row) else []
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        return Fetched(("not_csv", f"CSV 文件格式有误（{exc}），请用 Excel 或 WPS 打开后重新另存为 CSV 或 .xlsx"))
    return Fetched(None, (), (Sheet("", rows, set(), set(), True, set()),))


class Prefetch:
    """Fetch files ahead in two threads, starting at once; iterate for ``(path, fetched)``.

    A batch of up to ``at_once`` files is fetched all at once, largest first, so that the
    biggest workbook (the county's ballots) is read while the small ones are validated; they
    are yielded in the order their fetch completes (in listing order among those complete),
    and whenever none is ready ``idle(pending)`` is called first: a step of work that needs
    none of the ``pending`` files, returning whether it did any. A larger batch is fetched in
    order, ``depth`` files ahead (bounded memory), and yielded in order. Leaving the ``with``
    block cancels what is still queued.
    """

    def __init__(self, files: list[Path], depth: int = 4, at_once: int = 32):
        from concurrent.futures import ThreadPoolExecutor

        self.files, self.depth, self.idle = list(files), depth, None
        self.pool = ThreadPoolExecutor(max_workers=2) if len(self.files) >= 2 else None
        self.futures = {}
        if self.pool and len(self.files) <= at_once:
            self.futures = {f: self.pool.submit(fetch, f) for f in sorted(self.files, key=file_size, reverse=True)}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __iter__(self):
        if self.pool is None:
            return ((f, fetch(f)) for f in self.files)
        return self._as_completed() if self.futures else self._in_order()

    def _as_completed(self):
        from concurrent.futures import FIRST_COMPLETED, wait

        pending = list(self.files)
        while pending:
            ready = [f for f in pending if self.futures[f].done()]
            if not ready:
                if not (self.idle and self.idle(pending)):
                    wait([self.futures[f] for f in pending], return_when=FIRST_COMPLETED)
                continue
            for f in ready:
                pending.remove(f)
                yield f, self.futures.pop(f).result()

    def _in_order(self):
        from collections import deque

        pending = deque()
        for f in self.files:
            pending.append((f, self.pool.submit(fetch, f)))
            if len(pending) >= self.depth:
                path, future = pending.popleft()
                yield path, future.result()
        while pending:
            path, future = pending.popleft()
            yield path, future.result()


def file_size(path: Path) -> int:
    """The size of a file in bytes (0 if it cannot be read)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
