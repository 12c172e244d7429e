"""Files shipped inside the package: the analysis notebooks and the fictional sample county.

The repository keeps them at the top, where analysts look for them (``notebooks/*.ipynb`` and
``data/sample/*.xlsx``); the build maps those folders into the package as
``dangjian_analysis/notebooks`` and ``dangjian_analysis/sample_data`` (``package-dir`` in
``pyproject.toml``), and they are read through :mod:`importlib.resources`. An editable install
(``pip install -e .``) or a plain source checkout does not apply that mapping, so there the
folders of the checkout beside the package are used.

Examples
--------
>>> from dangjian_analysis import resources
>>> len(list(resources.sample_path().glob("*.xlsx")))
11
>>> resources.notebook_names()[0]
'01_数据导入与校验.ipynb'
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["sample_path", "notebook_names", "notebook_text", "notebook_path", "copy_notebooks"]

#: Package folder (as installed from a wheel) → the repository folder it is built from.
_SOURCES = {"notebooks": "notebooks", "sample_data": "data/sample"}
_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Traversable:
    """The packaged folder ``name``; in an editable install or a checkout, the repository folder."""
    packaged = resources.files(__package__) / name
    if packaged.is_dir():
        return packaged
    source = _CHECKOUT / _SOURCES[name]
    if source.is_dir():
        return source
    raise FileNotFoundError(f"安装不完整：找不到随软件包提供的文件夹 {name}（请重新安装 dangjian-analysis）")


def _cache_root() -> Path:
    """The per-user cache folder (``%LOCALAPPDATA%``, ``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    base = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else os.environ.get("XDG_CACHE_HOME")
    return Path(base) if base else Path.home() / ".cache"


def _real_folder(name: str) -> Path:
    """The folder ``name`` as a real directory on disk.

    A folder on disk is returned as it is (what :func:`importlib.resources.as_file` does for a
    path). One inside a zip archive is extracted once into the user's cache folder, keyed by the
    package version: unlike the temporary copy of ``as_file``, the path stays valid after this
    function returns. A file already there with the same bytes is left untouched; a changed or
    partial one is rewritten (written aside, then renamed into place).
    """
    folder = _folder(name)
    if isinstance(folder, Path):
        return folder.resolve()
    from . import __version__

    target = _cache_root() / "dangjian-analysis" / __version__ / name
    target.mkdir(parents=True, exist_ok=True)
    for item in folder.iterdir():
        if item.is_file():
            data = item.read_bytes()
            path = target / item.name
            if not path.is_file() or path.read_bytes() != data:
                partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
                partial.write_bytes(data)
                os.replace(partial, path)
    return target


def sample_path() -> Path:
    """The folder of the fictional sample county's 11 workbooks, a real path on disk.

    Returns
    -------
    Path
        The packaged ``sample_data`` folder (``data/sample`` of the repository), or its
        extracted copy in the user's cache folder when the package is imported from a zip.

    Examples
    --------
    >>> import dangjian_analysis as dj
    >>> sorted(p.name for p in dj.sample_path().glob("*.xlsx"))[:2]
    ['东山镇.xlsx', '北塘镇.xlsx']
    """
    return _real_folder("sample_data")


def notebook_names() -> list[str]:
    """The file names of the shipped notebooks, in order (``01_…`` to ``05_…``).

    Examples
    --------
    >>> len(notebook_names())
    5
    """
    return sorted(item.name for item in _folder("notebooks").iterdir() if item.name.endswith(".ipynb"))


def _notebook(name: str) -> Traversable:
    if name not in notebook_names():
        raise KeyError(f"没有名为“{name}”的笔记本；可选：{'、'.join(notebook_names())}")
    return _folder("notebooks") / name


def notebook_text(name: str) -> str:
    """The JSON text of the shipped notebook ``name`` (one of :func:`notebook_names`).

    Raises
    ------
    KeyError
        If ``name`` is not a shipped notebook (the message lists those that are).
    """
    return _notebook(name).read_text("utf-8")


def notebook_path(name: str) -> Path:
    """The shipped notebook ``name`` as a real file on disk (see :func:`sample_path`).

    Raises
    ------
    KeyError
        If ``name`` is not a shipped notebook.
    """
    _notebook(name)
    return _real_folder("notebooks") / name


def copy_notebooks(out_dir: str | os.PathLike, *, overwrite: bool = False) -> list[Path]:
    """Copy the analysis notebooks (01–05) into ``out_dir`` for an analyst to run and edit.

    Nothing is written if any target file already exists with different contents (an
    analyst's edits are never replaced), unless ``overwrite`` is true. Identical files are
    left as they are.

    Parameters
    ----------
    out_dir : path
        The folder to copy into; created if missing.
    overwrite : bool, default False
        Replace existing notebooks that differ from the shipped ones.

    Returns
    -------
    list of Path
        The notebooks in ``out_dir``, in order.

    Raises
    ------
    FileExistsError
        One Chinese sentence naming the files that differ, when ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> [p.name[:2] for p in copy_notebooks(tempfile.mkdtemp())]
    ['01', '02', '03', '04', '05']
    """
    out = Path(out_dir)
    shipped = {name: (_folder("notebooks") / name).read_bytes() for name in notebook_names()}
    changed = [name for name, data in shipped.items()
               if (out / name).exists() and (not (out / name).is_file() or (out / name).read_bytes() != data)]
    if changed and not overwrite:
        raise FileExistsError(f"{out} 中已有与自带笔记本内容不同的文件：{'、'.join(changed)}；为免覆盖其中的修改，"
                              "没有复制任何笔记本（换一个文件夹；确认要覆盖时，命令行加 --force，Python 中用 overwrite=True）")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in shipped.items():
        if name in changed or not (out / name).exists():
            (out / name).write_bytes(data)
    return [out / name for name in shipped]
