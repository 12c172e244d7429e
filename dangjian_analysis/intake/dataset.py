"""The intake's entry point: :func:`load` reads returned workbooks and CSV exports into a
:class:`Dataset` — tidy tables plus what validation found.

It never raises for bad data or bad files: each problem becomes a row of
``Dataset.issues`` naming file, sheet and cell in Chinese, and every input file gets a
row of ``Dataset.files`` with ``cells_read = cells_accepted + cells_rejected +
cells_empty``. The stages, one module each: list and fetch files (:mod:`._files`, safety
scan :mod:`._safety`) → find sheets and headers (:mod:`._sheets`, :mod:`._headers`) →
resolve keys (:mod:`._keys`) → parse cells (:mod:`._cells`, :mod:`._values`; county tables
:mod:`._county`) → cross-checks (:mod:`._crosscheck`) → accounting (:mod:`._batch`) and the
:class:`Dataset`; files are validated in the order their fetch completes and put together in
file order (:mod:`._reading`), so the result never depends on timing. Formulas and macros are
never evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..catalog import Catalog, load_catalog
from ..catalog.tables import (ADJUSTMENT_COLUMNS, BALLOT_COLUMNS, BALLOT_SHEET_COLUMNS, CHECKLIST_COLUMNS,
                              FILE_COLUMNS, ISSUE_COLUMNS, LEDGER_COLUMNS, LINK_COLUMNS, PROVENANCE, SHEET_COLUMNS,
                              as_dates, empty_frame)
from ._batch import Batch
from .confirmations import (CONFIRMATION_COLUMNS, is_confirmation_file, read_confirmations, read_returned,
                            confirmation_texts, stale_confirmations)
from ._files import LoadError, Prefetch, list_files
from ._names import FileNames
from ._reading import Reading

__all__ = ["Dataset", "load"]


@dataclass(frozen=True)
class Dataset:
    """Everything :func:`load` read: tidy tables plus what validation found.

    Attributes
    ----------
    observations : DataFrame
        ``unit_id, unit_name, level, township, year, indicator, value, source_file,
        source_sheet, source_cell, confirmed``: one row per accepted value; ``confirmed`` is the
        confirmation of a doubtful value (``李四 2016-01-12 确认：…（确认.xlsx 第 2 行）``, or
        ``乡镇确认：…`` from a returned copy's 退回说明), NA for every other value.
    ballots, ledger, links : DataFrame
        The county workbook's tables (see :mod:`dangjian_analysis.catalog.tables`) with provenance.
    adjustments, checklist, ballot_sheets : DataFrame
        The 考核细则's county sheets 加减分台账, 考核清单 and 测评票 (``ADJUSTMENT_COLUMNS``,
        ``CHECKLIST_COLUMNS``, ``BALLOT_SHEET_COLUMNS`` + provenance); empty frames with these
        columns when no such sheet was read.
    issues : DataFrame
        ``file, sheet, cell, severity, code, message``.
    files : DataFrame
        ``file, status, cells_read, cells_accepted, cells_rejected, cells_empty``.
    sheets : DataFrame
        ``file, sheet, cells_read, cells_accepted, cells_rejected, cells_empty``: the same
        accounting per sheet (county sheets included); a file's counts are its sheets' sums.
    file_names : dict
        How each file (``file``, ``source_file``: the path as read) is shown to people: its
        path below the folder given to :func:`load` (``2016/东山镇.xlsx``), the file name for a
        file given itself. Every table above carries it too (``attrs["file_names"]``), so that
        the display layer names files alike everywhere.
    confirmations : DataFrame
        Doubtful values confirmed in the analyst's 确认 workbook(s) or in the 退回说明 of a
        township's returned copy (:mod:`.confirmations`): ``file, sheet, cell, value, note,
        confirmed_by, date, source_file, source_row, message``. A confirmation of a cell whose
        value has changed since is a hint at that cell (``confirmation_stale``: 已确认的数值已改为…，需重新确认).
    """

    observations: pd.DataFrame
    ballots: pd.DataFrame
    ledger: pd.DataFrame
    links: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    catalog: Catalog
    sheets: pd.DataFrame = field(default_factory=lambda: empty_frame(SHEET_COLUMNS))
    file_names: dict = field(default_factory=FileNames)
    confirmations: pd.DataFrame = field(default_factory=lambda: empty_frame(CONFIRMATION_COLUMNS))
    adjustments: pd.DataFrame = field(default_factory=lambda: empty_frame([*ADJUSTMENT_COLUMNS, *PROVENANCE]))
    checklist: pd.DataFrame = field(default_factory=lambda: empty_frame([*CHECKLIST_COLUMNS, *PROVENANCE]))
    ballot_sheets: pd.DataFrame = field(default_factory=lambda: empty_frame([*BALLOT_SHEET_COLUMNS, *PROVENANCE]))

    @property
    def n_errors(self) -> int:
        """Number of error issues."""
        return int((self.issues["severity"] == "error").sum())

    @property
    def n_warnings(self) -> int:
        """Number of warning issues."""
        return int((self.issues["severity"] == "warning").sum())

    def roll(self, year: int | None = None, *, returned=()) -> pd.DataFrame:
        """The 报送进度 of ``year`` (default the newest): who has reported, who is missing, whose
        return has errors; see :func:`~dangjian_analysis.intake.roll.submission_roll`."""
        from .roll import submission_roll

        return submission_roll(self, year, returned=returned)

    def _repr_html_(self) -> str:
        """The Chinese validation summary a notebook shows for a Dataset (files, counts,
        errors and warnings, values, years), rendered by the documents' display layer."""
        return _display().dataset_html(self)

    def _repr_pretty_(self, printer, cycle) -> None:
        """The same summary as text (instead of the tables' long repr with file paths)."""
        printer.text(_display().dataset_text(self))


def _display():
    """The display layer (:mod:`dangjian_analysis.documents.display`), imported on first use:
    showing a Dataset to people is a document's job, named here only so notebooks find it."""
    import importlib

    return importlib.import_module("dangjian_analysis.documents.display")


def _table(batch, key: str, columns: list[str]) -> pd.DataFrame:
    """One county table as a frame: dates as datetime64, counts as integers."""
    frame = batch.tables[key].frame(columns, ints=("year", "count"))
    for col in ("opened", "due", "closed"):
        if col in frame:
            frame[col] = as_dates(frame[col]).to_numpy()
    for col in ("year", "count"):
        if col in frame:
            frame[col] = frame[col].astype(int)
    if "households_visited" in frame:
        frame["households_visited"] = frame["households_visited"].astype("Int64")
    return frame


def _rubric_tables(batch) -> dict:
    """The 考核细则's county tables as frames: years as integers, 加减分台账 dates as datetime64 and
    分值 as float (NaN where blank), 考核清单 done as bool, 测评票 scores as float."""
    out = {}
    for key, columns in (("adjustments", ADJUSTMENT_COLUMNS), ("checklist", CHECKLIST_COLUMNS),
                         ("ballot_sheets", BALLOT_SHEET_COLUMNS)):
        frame = batch.rubric[key].frame(columns, ints=("year",))
        frame["year"] = frame["year"].astype(int)
        if key == "adjustments":
            frame["date"] = as_dates(frame["date"]).to_numpy()
            frame["points"] = frame["points"].astype(float)
        elif key == "checklist":
            frame["done"] = frame["done"].astype(bool)
        else:
            frame["score"] = frame["score"].astype(float)
            frame["rating"] = frame["rating"].astype(object).where(frame["rating"].notna(), None)
        out[key] = frame
    return out


def _catalog_arg(catalog) -> Catalog:
    """The catalogue ``load`` uses: the one given, one loaded from a path, or the default."""
    if catalog is None:
        return load_catalog()
    if isinstance(catalog, Catalog):
        return catalog
    if isinstance(catalog, (str, Path)):
        return load_catalog(catalog)
    raise LoadError(f"catalog 应为指标体系（Catalog）或指标体系文件的路径，实际为 {type(catalog).__name__}")


def _path_args(paths) -> list:
    """``load(a, b)`` and ``load([a, b])`` alike: the paths given, lists and tuples flattened."""
    flat = []
    for p in paths:
        items = list(p) if isinstance(p, (list, tuple)) else [p]
        for item in items:
            if not isinstance(item, (str, Path)):
                raise LoadError(f"要读取的文件或文件夹应为路径（str 或 Path），实际为 {type(item).__name__}：{item!r}")
            flat.append(item)
    return flat


def _progress(items, progress, total: int, done: int = 0):
    """Wrap the files in a tqdm bar for batches of more than a few files (``done`` of the
    ``total`` need no reading)."""
    import sys

    if progress is None:
        progress = total > 3 and (sys.stderr.isatty() or "ipykernel" in sys.modules)
    if not progress:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="读取", unit="个文件", total=total, initial=done)


def load(*paths, catalog: Catalog | str | Path | None = None, progress: bool | None = None) -> Dataset:
    """Load returned workbooks (.xlsx, .xlsm) and CSV exports into a :class:`Dataset`.

    Parameters
    ----------
    *paths : str or Path, or a list of them
        Files or folders; folders are searched recursively. ``load(a, b)`` and
        ``load([a, b])`` are the same. Every file found gets a row of ``Dataset.files``:
        ``loaded``, ``rejected`` (a file that cannot be read, such as .xls or .pdf, a
        link whose target is gone or a file without read permission, with how to fix it) or
        ``skipped`` (lock and sidecar files such as ``~$x.xlsx``: counts 0, no issue; hidden
        folders such as ``.备份/`` and folders that cannot be opened: counts 0, a warning when
        a hidden folder holds tables or a folder cannot be opened). Folders are walked
        without recursion, however deep.
    catalog : Catalog, or str or Path of a catalogue file, optional
        Default :func:`load_catalog` (the default catalogue). A path is loaded with
        :func:`load_catalog` (a ``CatalogError`` names the problem).
    progress : bool, optional
        Show a progress bar; default: for more than 3 files in a terminal or notebook.

    Returns
    -------
    Dataset
        Bad data or bad files never raise: problems are in ``Dataset.issues``.

    Raises
    ------
    LoadError
        When a path does not exist, a folder is empty or holds no readable file, or a
        path is not a str or Path.

    Examples
    --------
    >>> ds = load("data/sample")                      # doctest: +SKIP
    >>> ds = load(["东山镇.xlsx", "西河乡.xlsx"], catalog="本县指标体系.toml")  # doctest: +SKIP
    >>> ds.files[["cells_read", "cells_accepted"]].sum()  # doctest: +SKIP
    """
    catalog = _catalog_arg(catalog)
    listing = list_files(_path_args(paths))
    confirming = [f for f in listing.files if f not in listing.skipped and is_confirmation_file(f)]
    listing.files[:] = [f for f in listing.files if f not in confirming]
    with Prefetch([f for f in listing.files if f not in listing.skipped]) as fetched:
        batch = Batch(catalog)                     # set up while the first files are fetched
        batch.names = listing.names
        for path, message in listing.repeated:
            batch.issue(path, "", "", "warning", "repeated_path", message)
        for path, code, message in listing.notes:      # hidden folders with tables, folders not opened
            batch.issue(str(path), "", "", "warning", code, message)
        reading = Reading(batch, listing.files)
        fetched.idle = reading.idle
        for path in listing.skipped:
            reading.skip(path)
        returned = []                                # returned copies' 退回说明: the townships' confirmations
        for path, fetched_file in _progress(fetched, progress, len(listing.files), len(listing.skipped)):
            reading.read(path, fetched_file)
            if getattr(fetched_file, "returned", None):
                returned.append(read_returned(path, fetched_file.returned))
    obs = reading.finish()
    _folder_years(batch, obs, listing.names)
    confirmed = pd.concat([_confirmations(batch, confirming, listing.names), *returned], ignore_index=True)
    towns = {t: t for t in catalog.townships["unit_name"]}
    for issue in stale_confirmations(pd.DataFrame(batch.issues, columns=ISSUE_COLUMNS), obs, confirmed,
                                     listing.names, towns):       # a value changed since it was confirmed
        batch.issue(*issue)
    obs["confirmed"] = confirmation_texts(pd.DataFrame(batch.issues, columns=ISSUE_COLUMNS), obs, confirmed,
                                          listing.names, towns)
    batch.total_files()
    tables = {"observations": obs, "ballots": _table(batch, "ballots", BALLOT_COLUMNS),
              "ledger": _table(batch, "ledger", LEDGER_COLUMNS), "links": _table(batch, "links", LINK_COLUMNS),
              **_rubric_tables(batch),
              "issues": pd.DataFrame(batch.issues, columns=ISSUE_COLUMNS),
              "files": pd.DataFrame(batch.counts, columns=FILE_COLUMNS),
              "sheets": pd.DataFrame(batch.sheet_counts, columns=SHEET_COLUMNS)}
    for frame in tables.values():
        frame.attrs["file_names"] = listing.names
    confirmed.attrs["file_names"] = listing.names
    return Dataset(**tables, catalog=catalog, file_names=listing.names, confirmations=confirmed)


def _folder_years(batch, obs: pd.DataFrame, names) -> None:
    """A file in a folder named as a year (``2014/``) whose values are all of other years: one
    warning on the file naming both (the file may have been saved into the wrong year's folder,
    or its year cells pasted from another year)."""
    import re

    folders = {file: Path(name).parent.name for file, name in names.items()}
    folders = {file: f for file, f in folders.items() if re.fullmatch(r"(?:19|20)\d\d(?:年|年度)?", f)}
    if obs.empty or not folders:
        return
    rows = obs[obs["source_file"].isin(folders)]
    for file, years in rows.groupby("source_file", sort=False)["year"]:
        folder = folders[file]
        expected, found = int(folder[:4]), sorted(set(map(int, years)))
        if expected not in found:
            shown = "、".join(map(str, found))
            batch.issue(file, "", "", "warning", "folder_year",
                        f"文件在“{folder}”文件夹中，但其中的数据是 {shown} 年度的；请核实是否放错了文件夹，"
                        f"或年度单元格是从其他年度的表中复制来的")


def _confirmations(batch, paths: list, names) -> pd.DataFrame:
    """The analyst's 确认 workbooks, each accounted for in ``Dataset.files`` like a return."""
    frames = []
    for path in paths:
        frame, issues, (read, accepted, rejected, empty) = read_confirmations(path, names.get(str(path), path.name))
        for issue in issues:
            batch.issue(*issue)
        count = batch.new_file(path)
        count["status"] = "loaded" if read or not issues else "rejected"
        sheet = batch.new_sheet("确认")
        sheet.update(cells_read=read, cells_accepted=accepted, cells_rejected=rejected, cells_empty=empty)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else empty_frame(CONFIRMATION_COLUMNS)
