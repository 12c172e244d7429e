"""Output folders replaced whole: written beside the target, swapped in at the end.

A run writes into ``.<name>.新-<pid>`` beside the target folder; only when everything is
written does that folder take the target's place (the previous one is removed). A run that
fails or is interrupted removes its own folder and leaves the previous one exactly as it was.
A target that holds files of its own (not a previous output of ours: no ``manifest.json``,
or another marker file given; or, when ``only`` names the files an output is made of, any other
file) is refused rather than replaced.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path

__all__ = ["replacing", "FolderError"]


class FolderError(Exception):
    """An output folder that cannot be replaced (one Chinese line)."""


def _ours(folder: Path, marker: str, only: tuple[str, ...]) -> bool:
    if only:
        return all(f.is_file() and any(fnmatch(f.name, pattern) for pattern in only) for f in folder.iterdir())
    return not any(folder.iterdir()) or (folder / marker).is_file()


@contextmanager
def replacing(target: str | Path, *, marker: str = "manifest.json", only: tuple[str, ...] = ()):
    """Yield a fresh folder beside ``target``; on success it becomes ``target``.

    ``only``: glob patterns of the files an earlier run wrote (``("*_退回修改*.xlsx",)``), for
    outputs without a marker file: ``target`` is then replaced only when every file in it
    matches one of them (``marker`` is not looked at).

    Raises
    ------
    FolderError
        ``target`` exists and is not a folder, or holds files that an earlier run did not
        write (it has no ``marker``; or a file matching none of ``only``): nothing is written then.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise FolderError(f"输出位置 {target} 是一个文件，不是文件夹")
    if target.is_dir() and not _ours(target, marker, only):
        raise FolderError(f"输出文件夹 {target} 中已有其他文件（不是本工具生成的），为免覆盖，请换一个文件夹或先清空")
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.parent / f".{target.name}.新-{os.getpid()}"
    old = target.parent / f".{target.name}.旧-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        yield fresh
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
