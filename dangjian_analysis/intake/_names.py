"""Private: how each input file is named to people — decided once, when the files are listed.

A file is shown by its path below the folder that was given (``2016/东山镇.xlsx`` for
``数据/2016/东山镇.xlsx`` read from ``数据/``), and a file given by itself by its name, so that
``数据/东山镇.xlsx`` and ``数据/2016/东山镇.xlsx`` are never both “东山镇.xlsx”. Two files that
would still be shown alike (``东山镇.xlsx`` in two folders given) get their folder's name in
front, and, failing that, the whole path as given. The :class:`~.dataset.Dataset` keeps the
names (``Dataset.file_names``) and its tables carry them (``attrs["file_names"]``), so that every
output — the console, the issue list, tables in notebooks, CSVs, the report — shows the same.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FileNames", "shown_names"]


class FileNames(dict):
    """``{path as read: name shown}``; copied as itself (pandas deep-copies a table's ``attrs``
    on every operation). Treated as read-only."""

    def __deepcopy__(self, memo) -> FileNames:
        return self

    def __copy__(self) -> FileNames:
        return self


def _choices(given: Path, file: Path, folders: dict) -> tuple[str, str, str]:
    """The names ``file`` may be shown by, shortest first (``folders``: the name of each folder
    given, or None for a file given, looked up once)."""
    if given not in folders:
        folders[given] = given.resolve().name if given.is_dir() else None
    if folders[given] is not None:
        below, folder = file.relative_to(given).as_posix(), folders[given]
    else:
        below, folder = file.name, file.parent.resolve().name
    return below, f"{folder}/{below}" if folder else below, file.as_posix()


def shown_names(origins, repeated=()) -> FileNames:
    """The name shown for each file, ``{str(file): name}``.

    ``origins`` are ``(path given, file found)`` pairs (a file given itself is its own path
    given); ``repeated`` are ``(another path of a file, the file as listed)`` pairs, named as
    the file they repeat.
    """
    folders: dict = {}
    choices = {str(file): _choices(Path(given), Path(file), folders) for given, file in origins}
    level = dict.fromkeys(choices, 0)
    for _ in range(2):                              # a name shown for two files: a longer one for each
        holders: dict[str, list[str]] = {}
        for key, k in level.items():
            holders.setdefault(choices[key][k], []).append(key)
        for keys in holders.values():
            if len(keys) > 1:
                for key in keys:
                    level[key] = min(level[key] + 1, 2)
    names = FileNames({key: choices[key][k] for key, k in level.items()})
    names.update({str(other): names.get(str(file), Path(file).name) for other, file in repeated})
    return names
