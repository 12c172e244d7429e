"""Output folders replaced whole: written beside the target, swapped in at the end.

A run writes into ``.<name>.新-<pid>`` beside the target folder; only when everything is
written does that folder take the target's place (the previous one, renamed
``.<name>.旧-<pid>`` for the moment of the swap, is then removed). A run that fails or is
interrupted removes its own folder and leaves the previous one exactly as it was.

Conventions
-----------
- **Only our own files are ever replaced.** A target is replaced only when every file in it is
  one an earlier run wrote, unchanged: for a report, the files its ``manifest.json`` lists
  (``outputs``, with their SHA-256), the manifest itself and the PDF LibreOffice made beside
  a listed ``.docx`` (``--pdf``; not hashed, it carries a time stamp); for outputs without a
  manifest, the files matching one of the ``only`` patterns (relative paths, ``*`` never
  crossing a ``/``). The files a file manager leaves (:data:`SYSTEM_FILES`) are ours
  anywhere. Any other file or folder, a listed file that was edited, or the lock file of a
  document open in an office program makes the target refused with one Chinese line naming a
  few of them; nothing is written then.
- **Outputs apart from inputs.** :func:`check_apart` refuses a target that contains an input
  (data folder, catalogue, 报告文字) or lies inside an input folder, before anything starts.
- **Stale folders.** A run killed outright (power cut, ``kill -9``) leaves its ``.新-<pid>`` /
  ``.旧-<pid>`` folder; the next run on the same target removes those whose process no longer
  exists, after putting a ``.旧`` folder back as the target when the target is missing (killed
  between the two renames of the swap). Whether a process exists is asked of the system
  (POSIX ``os.kill(pid, 0)``; Windows ``OpenProcess`` through ctypes — ``os.kill(pid, 0)``
  would end the process there). A pid since reused keeps its folder until that process ends:
  a folder another running process may be writing is never removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from fnmatch import fnmatchcase
from pathlib import Path

__all__ = ["replacing", "FolderError", "check_apart", "check_target", "SYSTEM_FILES"]

#: Files the file managers leave in any folder (macOS Finder, Windows Explorer): never a user's work.
SYSTEM_FILES = (".DS_Store", "Thumbs.db", "desktop.ini")
_SHOWN = 3                                              # foreign files named in the message
#: The lock files of a document open in Word/WPS (``~$port.docx``) or LibreOffice (``.~lock.report.docx#``).
_LOCK = re.compile(r"^(~\$.*|\.~lock\..*#)$")


class FolderError(Exception):
    """An output folder that cannot be replaced (one Chinese line)."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recorded(folder: Path) -> tuple[dict[str, str], set[str]] | None:
    """``(hashed, unhashed)`` files a report run wrote into ``folder``, from its manifest.json;
    None when there is no readable manifest."""
    try:
        outputs = json.loads((folder / "manifest.json").read_text("utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(outputs, dict):
        return None
    pdfs = {k[:-len(".docx")] + ".pdf" for k in outputs if k.endswith(".docx")}
    return {str(k): str(v) for k, v in outputs.items()}, {"manifest.json", *pdfs}


def _matches(rel: str, only: tuple[str, ...]) -> bool:
    return any(rel.count("/") == p.count("/") and fnmatchcase(rel, p) for p in only)


def _strangers(folder: Path, only: tuple[str, ...]):
    """``(foreign, edited, locks)``: relative paths in ``folder`` that no earlier run wrote (a
    foreign folder named once, ending with ``/``), files it wrote that were changed since, and
    the lock files of documents open in an office program; all empty for a folder of ours."""
    recorded = None if only else _recorded(folder)
    hashed, unhashed = recorded if recorded else ({}, set())
    allowed = set(hashed) | unhashed
    dirs = {"/".join(k.split("/")[:i]) for k in (only or allowed) for i in range(1, k.count("/") + 1)}
    foreign, edited, locks = [], [], []

    def walk(here: Path, prefix: str) -> None:
        for entry in sorted(here.iterdir()):
            rel = prefix + entry.name
            if entry.is_symlink():
                foreign.append(rel)
            elif entry.is_dir() and rel in dirs:
                walk(entry, rel + "/")
            elif entry.is_dir():
                foreign.append(rel + "/")
            elif _LOCK.match(entry.name):
                locks.append(rel)
            elif entry.name in SYSTEM_FILES or (_matches(rel, only) if only else rel in allowed):
                if rel in hashed and _sha256(entry) != hashed[rel]:
                    edited.append(rel)
            else:
                foreign.append(rel)

    walk(folder, "")
    return foreign, edited, locks


def _few(names: list[str]) -> str:
    shown = "、".join(names[:_SHOWN])
    return shown + (f" 等 {len(names)} 个" if len(names) > _SHOWN else "")


def check_target(target: str | Path, *, only: tuple[str, ...] = (), inputs=()) -> None:
    """Refuse ``target`` unless it is missing, an empty folder or a folder an earlier run wrote
    (see the module's conventions; ``only``: the patterns of an output without a manifest), and
    unless it is apart from ``inputs`` (:func:`check_apart`). Call it before a long job starts.

    Raises
    ------
    FolderError
        One Chinese line naming ``target`` as given, up to three of the files that are not ours
        or were edited, and what to do.
    """
    check_apart(target, inputs)
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise FolderError(f"输出位置 {target} 是一个文件，不是文件夹")
    if not target.is_dir():
        return
    foreign, edited, locks = _strangers(target, only)
    if locks:
        raise FolderError(f"输出文件夹 {target} 中的文件正在 Word、WPS 或 LibreOffice 中打开（锁定文件 {_few(locks)}）："
                          "请关闭后重新运行（已关闭时删除这个锁定文件）")
    if foreign:
        raise FolderError(f"输出文件夹 {target} 中有不是本工具上次生成的文件（{_few(foreign)}），为免删除，"
                          "请把它们移到别处后重新运行，或换一个输出文件夹")
    if edited:
        raise FolderError(f"输出文件夹 {target} 中的 {_few(edited)} 在生成后被修改过，重新生成会覆盖这些修改："
                          "请把修改过的文件另存到别处后重新运行，或换一个输出文件夹")


def check_apart(target: str | Path, inputs) -> None:
    """Refuse an output folder ``target`` that contains one of ``inputs`` or lies inside an input
    folder (replacing it would delete the input, or the next run would read the outputs as data).

    ``inputs``: ``(what, path)`` pairs, ``what`` a Chinese noun (``"数据"``, ``"指标体系文件"``), the
    path as the user gave it (named so in the message).

    Raises
    ------
    FolderError
        One Chinese line naming the output folder and the input.
    """
    out = Path(target).resolve()
    for what, path in inputs:
        if path is None:
            continue
        p = Path(path).resolve()
        if p == out or out in p.parents:
            raise FolderError(f"输出文件夹 {target} 包含{what} {path}：生成时整个文件夹会被替换，{what}会被删除；"
                              "请换一个不包含输入文件的输出文件夹")
        if p.is_dir() and p in out.parents:
            raise FolderError(f"输出文件夹 {target} 在{what}文件夹 {path} 之内：下次读取时输出会被当作{what}；"
                              f"请把输出文件夹放在{what}文件夹之外")


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (see the module's conventions)."""
    if os.name == "nt":                                 # pragma: no cover - Windows
        import ctypes
        from ctypes import wintypes

        kernel = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel.OpenProcess.restype = wintypes.HANDLE
        kernel.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel.CloseHandle.argtypes = (wintypes.HANDLE,)
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5          # access denied: it exists
        code = wintypes.DWORD()
        try:
            return bool(kernel.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                             # another user's process
        return True
    return True


def _sweep(target: Path) -> None:
    """Remove the stale ``.<name>.新-<pid>`` / ``.旧-<pid>`` folders of processes that no longer
    exist; a stale ``.旧`` folder goes back to ``target`` first when ``target`` is missing."""
    if not target.parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(新|旧)-(\d+)$")
    stale = []
    for entry in target.parent.iterdir():
        m = pattern.match(entry.name)
        if m and entry.is_dir() and not entry.is_symlink() and int(m[2]) != os.getpid() and not _alive(int(m[2])):
            stale.append((m[1] != "旧", entry.name, entry))
    for _, _, entry in sorted(stale):                   # the 旧 ones first: one may be the previous target
        if entry.name.startswith(f".{target.name}.旧") and not target.exists():
            entry.rename(target)
        else:
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def replacing(target: str | Path, *, only: tuple[str, ...] = (), inputs=()):
    """Yield a fresh folder beside ``target``; on success it becomes ``target``.

    ``only``: glob patterns (relative paths) of the files an earlier run wrote
    (``("*_退回修改*.xlsx",)``, ``("slides.pptx", "charts/*.png")``), for outputs without a
    manifest.json; without them the target's manifest.json says which files are ours.
    ``inputs``: ``(what, path)`` pairs the target must keep apart from (:func:`check_apart`).
    Stale temporary folders of dead runs are removed first.

    Raises
    ------
    FolderError
        ``target`` is a file, holds files that an earlier run did not write or that were edited
        since (:func:`check_target`), or is not apart from an input: nothing is written then.
    """
    target = Path(target)
    check_apart(target, inputs)
    _sweep(target)
    check_target(target, only=only)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.parent / f".{target.name}.新-{os.getpid()}"
    old = target.parent / f".{target.name}.旧-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        yield fresh
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    except BaseException:
        if old.exists() and not target.exists():        # interrupted between the two renames
            old.rename(target)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
