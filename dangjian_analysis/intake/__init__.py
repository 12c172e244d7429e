"""Stage 2 — intake: reading and checking the workbooks the townships return.

Takes files and folders (.xlsx, .xlsm, .csv) and a :class:`~dangjian_analysis.catalog.Catalog`;
gives a :class:`Dataset`: the accepted values as tidy observations with their file, sheet and
cell, the county tables (述职评议 ballots, 四风台账, 驻点联系), every issue in Chinese, and per
file the accounting ``cells_read = cells_accepted + cells_rejected + cells_empty``.
Untrusted files are refused before parsing; no formula or macro is ever evaluated.

The stages, one module each: :mod:`._files` (list and fetch files) → :mod:`._safety`
(safety scan) → :mod:`._sheets` and :mod:`._headers` (find sheets and headers) →
:mod:`._keys` (resolve township, village, year) → :mod:`._cells` and :mod:`._values`
(parse and check cells; :mod:`._county` for county tables) → :mod:`._crosscheck`
(duplicates, missing villages) → :mod:`._batch` (accounting) and :mod:`.dataset` (the
:class:`Dataset`); :mod:`._reading` orders the work so that files are validated as their
fetch completes, with the same result in any order. A new check on one cell goes into
:mod:`._values` or :mod:`._cells`; one across files into :mod:`._crosscheck`.
"""

from ._files import READABLE_SUFFIXES, LoadError, collect_files

__all__ = ["Dataset", "load", "LoadError", "collect_files", "READABLE_SUFFIXES"]


def __getattr__(name: str):
    """``Dataset`` and ``load`` bring pandas: imported when first asked for, so that listing
    files (``collect_files``) stays light."""
    if name in ("Dataset", "load"):
        from . import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
