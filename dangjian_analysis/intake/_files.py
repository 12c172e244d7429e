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
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ._names import shown_names
from ._safety import LIMITS, MESSAGES, SKIP_SHEETS

_RETURN_SHEET = "退回说明"            # a returned copy's explanation sheet: only its confirmations are read

__all__ = ["READABLE_SUFFIXES", "SKIP_SHEETS", "LoadError", "Sheet", "Fetched", "Listing", "fetch", "Prefetch",
           "list_files", "collect_files", "is_sidecar", "internal_error", "file_size"]

READABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_NONE = MappingProxyType({})
_SIDECAR_PREFIXES = ("~$", ".~", "._")           # Excel/WPS locks, LibreOffice locks, macOS AppleDouble
_SIDECAR_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再报送"
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


class LoadError(ValueError):
    """A path given to :func:`~dangjian_analysis.intake.load` that cannot be read as a
    batch: it does not exist, or a folder holds no readable file. One Chinese line."""


class Sheet(NamedTuple):
    """One sheet's rows and what the safety scan learnt about its cells (A1 addresses).

    ``errors`` maps a cell showing an Excel error value to it (``"#DIV/0!"``; its row holds
    ``""``); ``scaled`` maps a cell whose number format scales what is shown to the
    divisor (shown = stored / 1000.0 for ``0.0,``); ``far_cells`` maps each non-empty cell
    far from the data block to its value — such cells are not in ``rows`` nor in any other
    field, and count as read and rejected.
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
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return Fetched(("internal_error", internal_error(exc)))


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
              if name not in SKIP_SHEETS}
    try:
        facts = scan.facts()
    except Refused as refused:
        for h in halves.values():
            h.wait()
        return Fetched((refused.code, refused.message))
    warnings = (("macros_ignored", "工作簿含有宏（VBA），宏未运行，只读取单元格数值"),) if facts.has_macros else ()
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(scan.data)) as wb:
            names = [name for name in wb.sheet_names if name not in SKIP_SHEETS]
            returned = (wb.get_sheet_by_name(_RETURN_SHEET).to_python(skip_empty_area=False)
                        if _RETURN_SHEET in wb.sheet_names else None)
            rows = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    for name in names if name not in halves}
            rows |= {name: halves[name].rows(wb) for name in names if name in halves}
            sheets = tuple(Sheet(name, rows[name], facts.formulas_without_value.get(name, set()),
                                 facts.formulas_with_value.get(name, set()), False,
                                 facts.percent_cells.get(name, set()), facts.error_cells.get(name, {}),
                                 facts.scaled_cells.get(name, {}), facts.far_cells.get(name, {}))
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


def is_sidecar(name: str) -> bool:
    """Whether a file name is an editor lock or sidecar file (``~$x.xlsx``, ``.~x.xlsx``,
    ``._x.xlsx``, ``.~lock.x.xlsx#``, ``Thumbs.db``, ``.DS_Store``): listed, never read."""
    return name.startswith(_SIDECAR_PREFIXES) or name.lower() in _SIDECAR_NAMES \
        or (name.startswith("~") and name.lower().endswith(".tmp"))


class Listing(NamedTuple):
    """Every file :func:`list_files` found, in reading order.

    ``files`` are sorted by path relative to the folder given (folders in the order
    given), lock and sidecar files included; ``skipped`` are those among them never to be
    read; ``repeated`` holds ``(path, message)`` for a file named more than once (read once);
    ``names`` how each is shown to people (:func:`~._names.shown_names`: ``2016/东山镇.xlsx``).
    """

    files: list[Path]
    skipped: frozenset
    repeated: list[tuple[str, str]]
    names: dict = _NONE


def _walk(folder: Path) -> list[Path]:
    """The files under ``folder``, recursively (hidden folders such as ``.git`` excluded),
    sorted by their path relative to it."""
    def fail(err: OSError):
        raise LoadError(f"无法读取文件夹“{err.filename}”（{err.strerror}）")

    found = []
    for root, dirs, names in os.walk(folder, onerror=fail):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(f for f in (Path(root) / n for n in names) if f.is_file())
    return sorted(found, key=lambda f: f.relative_to(folder).parts)


def _readable(path: Path) -> bool:
    return path.suffix.lower() in READABLE_SUFFIXES and not is_sidecar(path.name)


def _gather(paths) -> tuple[Listing, list[str]]:
    """The listing and, in Chinese, each path given that cannot be read as input."""
    files, skipped, repeated, problems, seen = [], set(), [], [], {}
    missing, origins, again = [], [], []
    for p in map(Path, paths):
        if p.is_dir():
            try:
                found = _walk(p)
            except LoadError as exc:
                problems.append(str(exc))
                continue
            if not found:
                problems.append(f"文件夹“{p}”是空的")
            elif not any(_readable(f) for f in found):
                others = [f.relative_to(p).as_posix() for f in found if not is_sidecar(f.name)]
                what = f"，只有 {len(others)} 个其他文件（{'、'.join(others[:3])}{' 等' if len(others) > 3 else ''}）" \
                    if others else "，只有编辑软件的临时文件"
                problems.append(f"文件夹“{p}”中没有可读取的 .xlsx、.xlsm 或 .csv 文件{what}；{_SAVE_AS}")
        elif p.is_file():
            found = [p]
        else:
            missing.append(str(p))
            continue
        for f in found:
            key = f.resolve()
            if key in seen:
                repeated.append((str(f), f"与 {seen[key]} 是同一个文件，只读取一次"))
                again.append((f, seen[key]))
                continue
            seen[key] = str(f)
            files.append(f)
            origins.append((p, f))
            if is_sidecar(f.name):
                skipped.add(f)
    if missing:
        problems.insert(0, f"找不到文件或文件夹：{'、'.join(missing)}")
    if not paths:
        problems.append("没有给出要读取的文件或文件夹")
    elif files and len(skipped) == len(files) and not problems:
        problems.append(f"没有可读取的文件（{'、'.join(f.name for f in files[:3])} 是编辑软件的临时文件）")
    return Listing(files, frozenset(skipped), repeated, shown_names(origins, again)), problems


def list_files(paths) -> Listing:
    """Expand files and folders (recursively) into every input file found.

    Raises
    ------
    LoadError
        When no path is given, a path does not exist, a folder given is empty or holds no
        .xlsx, .xlsm or .csv file, or nothing but lock files was found; one Chinese line
        naming every such path.
    """
    listing, problems = _gather(paths)
    if problems:
        raise LoadError("；".join(problems))
    return listing


def collect_files(paths, *, strict: bool = False) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files :func:`list_files` would read (lock and sidecar files left out) and
    ``(path, message)`` notes for the files named more than once and, unless ``strict``,
    ``("", message)`` for each path it would refuse; with ``strict`` those raise
    :class:`LoadError` as in :func:`list_files`."""
    listing, problems = _gather(paths)
    if strict and problems:
        raise LoadError("；".join(problems))
    notes = [(str(p), message) for p, message in listing.repeated]
    notes += [("", problem) for problem in problems]
    return [f for f in listing.files if f not in listing.skipped], notes
