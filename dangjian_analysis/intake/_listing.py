"""Private: the paths given to :func:`~dangjian_analysis.intake.load` expanded into every path met.

:func:`list_files` walks folders without recursion (a thousand nested folders are a loop of a
thousand steps, never a deep call stack) and lists every path it meets: the files to read,
editor lock and sidecar files (listed, never read), hidden folders (``.备份/``: listed as
skipped, with a warning when they hold tables) and folders that cannot be opened (no
permission, a path over the system's limit: listed as skipped with a warning naming the folder,
everything else still read). The analyst's narrative file (:data:`NARRATIVE_FILE`, the report's
own words, not a return) met in a folder is left out of the listing, as if it were not there. A link whose target is gone (a dangling ``石桥镇2015.xlsx``) is
listed like a file; reading it gives its refusal (:func:`~._files.fetch`). Only a path given
that does not exist, a folder given that cannot be opened or holds no readable file, and no
path at all raise :class:`LoadError`.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ._names import shown_names

__all__ = ["READABLE_SUFFIXES", "LoadError", "Listing", "list_files", "collect_files", "is_sidecar", "shown_path",
           "SAVE_AS", "NARRATIVE_FILE"]

READABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再报送"
#: The advice when a folder holds only documents, pictures or archives (a PDF cannot be saved as xlsx).
NOT_RETURNS = "这些是文档、图片或压缩包，不是填报表：请把数据填入填报模板（.xlsx 工作簿）后报送，压缩包先解压"
_NOT_TABLES = frozenset((".doc", ".docx", ".wps", ".wpt", ".rtf", ".odt", ".pages", ".pdf", ".txt", ".md", ".html",
                         ".htm", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp", ".zip",
                         ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"))
#: The analyst's narrative file (主要成效, 存在问题, 下一步工作 …; :mod:`dangjian_analysis.documents.narrative`):
#: kept beside the returns, never read as one.
NARRATIVE_FILE = "报告文字.docx"
_NONE = MappingProxyType({})
_SIDECAR_PREFIXES = ("~$", ".~", "._")           # Excel/WPS locks, LibreOffice locks, macOS AppleDouble
_SIDECAR_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_PEEK = 2000                                      # entries looked at inside a hidden folder, at most


class LoadError(ValueError):
    """A path given to :func:`~dangjian_analysis.intake.load` that cannot be read as a
    batch: it does not exist, or a folder holds no readable file. One Chinese line."""


def shown_path(path) -> str:
    """A path as text every output can write: bytes of a file name that are not UTF-8 (a
    Windows zip's GBK names, kept by Python as surrogate escapes) become U+FFFD marks."""
    text = str(path)
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_sidecar(name: str) -> bool:
    """Whether a file name is an editor lock or sidecar file (``~$x.xlsx``, ``.~x.xlsx``,
    ``._x.xlsx``, ``.~lock.x.xlsx#``, ``Thumbs.db``, ``.DS_Store``): listed, never read."""
    return name.startswith(_SIDECAR_PREFIXES) or name.lower() in _SIDECAR_NAMES \
        or (name.startswith("~") and name.lower().endswith(".tmp"))


class Listing(NamedTuple):
    """Every path :func:`list_files` met, in reading order.

    ``files`` are sorted by path relative to the folder given (folders in the order
    given): files to read, lock and sidecar files, hidden folders and folders that could not
    be opened; ``skipped`` are those among them never to be read; ``repeated`` holds
    ``(path, message)`` for a file named more than once (read once); ``names`` how each is
    shown to people (:func:`~._names.shown_names`: ``2016/东山镇.xlsx``); ``notes`` holds
    ``(path, code, message)``, a warning for each skipped folder worth a word.
    """

    files: list[Path]
    skipped: frozenset
    repeated: list[tuple[str, str]]
    names: dict = _NONE
    notes: tuple = ()


def _readable(path: Path) -> bool:
    return path.suffix.lower() in READABLE_SUFFIXES and not is_sidecar(path.name)


def _reason(err: OSError) -> str:
    import errno

    if err.errno in (errno.EACCES, errno.EPERM):
        return "没有访问权限"
    if err.errno == errno.ENAMETOOLONG:
        return "路径过长，超过系统上限"
    return err.strerror or type(err).__name__


def _tables_inside(folder: Path) -> list[str]:
    """Names of the readable files in a hidden folder (at most :data:`_PEEK` entries looked at)."""
    found, stack, seen = [], [folder], 0
    while stack and seen < _PEEK:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif _readable(Path(entry.name)):
                        found.append(entry.name)
        except OSError:
            continue
    return found


def _walk(folder: Path) -> tuple[list[Path], list[Path], list[tuple[Path, str, str]]]:
    """``(files, skipped folders, notes)`` under ``folder``, walked with a stack of folders.

    Files (links included, even dangling ones) are sorted by their path relative to
    ``folder``; hidden folders and folders that cannot be opened are not entered but listed,
    with a note when worth one. Raises :class:`LoadError` when ``folder`` itself cannot be opened.
    """
    found, folders, notes, stack = [], [], [], [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as err:
            if current == folder:
                raise LoadError(f"无法读取文件夹“{shown_path(folder)}”（{_reason(err)}）") from None
            folders.append(current)
            notes.append((current, "unreadable_folder",
                          f"无法打开文件夹“{shown_path(current.name)}”（{_reason(err)}），其中的文件未读取；"
                          "如有报表在其中，请把它复制到其他文件夹后重新读取"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if not is_dir:
                found.append(path)
            elif entry.name.startswith("."):
                folders.append(path)
                tables = _tables_inside(path)
                if tables:
                    listed = "、".join(map(shown_path, tables[:3])) + (" 等" if len(tables) > 3 else "")
                    notes.append((path, "hidden_folder", f"“{shown_path(entry.name)}”是隐藏文件夹，其中的 {len(tables)} 个"
                                  f"表格文件（{listed}）未读取；如需读取，请直接给出该文件夹"))
            else:
                stack.append(path)
    key = lambda f: f.relative_to(folder).parts    # noqa: E731
    return sorted(found + folders, key=key), folders, notes


def _gather(paths) -> tuple[Listing, list[str]]:
    """The listing and, in Chinese, each path given that cannot be read as input."""
    files, skipped, repeated, problems, seen = [], set(), [], [], {}
    missing, origins, again, notes = [], [], [], []
    for p in map(Path, paths):
        folders = set()
        if p.is_dir():
            try:
                found, skipped_folders, walk_notes = _walk(p)
                folders = set(skipped_folders)
            except LoadError as exc:
                problems.append(str(exc))
                continue
            notes += walk_notes
            plain = [f for f in found if f not in folders]
            if not found:
                problems.append(f"文件夹“{shown_path(p)}”是空的")
            elif not any(_readable(f) for f in plain):
                others = [shown_path(f.relative_to(p).as_posix()) for f in plain if not is_sidecar(f.name)]
                what = f"，只有 {len(others)} 个其他文件（{'、'.join(others[:3])}{' 等' if len(others) > 3 else ''}）" \
                    if others else "，只有编辑软件的临时文件" if plain else ""
                advice = NOT_RETURNS if others and all(Path(o).suffix.lower() in _NOT_TABLES for o in others) \
                    else SAVE_AS
                problems.append(f"文件夹“{shown_path(p)}”中没有可读取的 .xlsx、.xlsm 或 .csv 文件{what}；{advice}")
        elif p.is_file() or p.is_symlink():
            found = [p]
        else:
            missing.append(shown_path(p))
            continue
        for f in found:
            if f.name == NARRATIVE_FILE and f != p:      # the report's words, not a return
                continue
            if f in folders:
                files.append(f)
                origins.append((p, f))
                skipped.add(f)
                continue
            key = f.resolve()
            if key in seen:
                repeated.append((str(f), f"与 {shown_path(seen[key])} 是同一个文件，只读取一次"))
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
        problems.append(f"没有可读取的文件（{'、'.join(shown_path(f.name) for f in files[:3])} 是编辑软件的临时文件"
                        "或未读取的文件夹）")
    names = shown_names(origins, again)
    for key, name in names.items():
        names[key] = shown_path(name)
    return Listing(files, frozenset(skipped), repeated, names, notes), problems


def list_files(paths) -> Listing:
    """Expand files and folders (without recursion, however deep) into every path met.

    Raises
    ------
    LoadError
        When no path is given, a path does not exist, a folder given cannot be opened, is
        empty or holds no .xlsx, .xlsm or .csv file, or nothing but lock files was found;
        one Chinese line naming every such path.
    """
    listing, problems = _gather(paths)
    if problems:
        raise LoadError("；".join(problems))
    return listing


def collect_files(paths, *, strict: bool = False) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files :func:`list_files` would read (lock and sidecar files and skipped folders
    left out) and ``(path, message)`` notes for the files named more than once and, unless
    ``strict``, ``("", message)`` for each path it would refuse; with ``strict`` those raise
    :class:`LoadError` as in :func:`list_files`."""
    listing, problems = _gather(paths)
    if strict and problems:
        raise LoadError("；".join(problems))
    notes = [(str(p), message) for p, message in listing.repeated]
    notes += [("", problem) for problem in problems]
    return [f for f in listing.files if f not in listing.skipped], notes
