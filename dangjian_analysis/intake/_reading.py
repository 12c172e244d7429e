"""Private: the files of a batch validated in the order their fetch completes, and what they
gave put together in file order — so that ``load()``'s result never depends on timing.

Each file is read into a part of its own (:meth:`~._batch.Batch.for_file`). When the main
thread would otherwise wait for the last file, one much larger than the others (the county
workbook), :meth:`Reading.idle` runs ahead, a step at a time, what needs every indicator
value of the batch: the value check (:func:`~._cells.check_staged`) and the cross-checks
(:mod:`._crosscheck`) of the files read, their results kept aside (:class:`Aside`) — unless
a row has a year that :func:`~._keys.check_years` might still reject. :meth:`Reading.finish` puts the parts together
in file order and takes what was run ahead only if the last file added no indicator rows;
else it checks everything then. Issues (in the same order), counts and observations are
exactly those of reading every file in turn.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._applies import check_applies
from ._cells import check_staged, one_issue_per_cell
from ._files import file_size
from ._crosscheck import resolve_duplicates, resolve_table_duplicates, warn_missing_villages, warn_year_on_year
from ._keys import check_years
from ._rubric_batch import check_rubric_tables
from ._sheets import read_file

__all__ = ["Reading", "Aside", "cross_checks"]


class Aside:
    """Stands in for the batch in the cross-checks: observations given, issues and changes of
    the sheets' counts kept aside to be applied later. ``issues`` starts with the issues of the
    value check (the year-on-year check looks for values already questioned there)."""

    def __init__(self, batch, obs: list, checked: list):
        self.catalog, self.meta, self.obs, self.shown = batch.catalog, batch.meta, obs, batch.shown
        self.issues, self.start = list(checked), len(checked)
        self.deltas: dict[tuple[int, str], dict] = {}

    def issue(self, file, sheet, cell, severity, code, message) -> None:
        self.issues.append((file, sheet, cell, severity, code, message))

    def sheet_count(self, fidx: int, sheet: str) -> dict:
        """Changes to the counts of a sheet (added to its counts later)."""
        return self.deltas.setdefault((fidx, sheet), {"cells_accepted": 0, "cells_rejected": 0})


def cross_checks(batch, obs: list, checked: list):
    """The cross-checks on the observation blocks ``obs`` whose value check gave the issues
    ``checked``: ``(observations, duplicate issues, later issues, count changes)``; the later
    issues (missing villages, year-on-year) come after those of the county tables' duplicates."""
    aside = Aside(batch, obs, checked)
    frame = check_applies(aside, resolve_duplicates(aside), checked)
    n = len(aside.issues)
    warn_missing_villages(aside, frame)
    warn_year_on_year(aside, frame)
    return frame, aside.issues[aside.start:n], aside.issues[n:], aside.deltas


def _may_check_now(staged: list, catalog) -> bool:
    """Whether staged values can be checked before every file is read: no row of a year that
    :func:`~._keys.check_years` might still reject (one after the year following the catalogue's)."""
    top = catalog.years[-1] + 1
    return all(row[2] is None or row[2][4] <= top for st in staged for row in st.rows)


class Reading:
    """The parts of one batch, by file, as they are read (see the module docstring)."""

    def __init__(self, batch, files: list[Path]):
        self.batch = batch
        self.position = {path: i for i, path in enumerate(files)}
        self.parts: list = [None] * len(files)
        #: what was run ahead: [staged rows, their value check, the cross-checks or None];
        #: False when running ahead was not worth it or not possible
        self.ahead: list | bool | None = None

    def _part(self, path: Path):
        i = self.position[path]
        part = self.parts[i] = self.batch.for_file(i)
        return part

    def skip(self, path: Path) -> None:
        """A lock or sidecar file: listed, counts 0, never read."""
        self._part(path).new_file(path)["status"] = "skipped"

    def read(self, path: Path, fetched) -> None:
        """Validate one fetched file into its part."""
        read_file(self._part(path), path, fetched)

    def idle(self, pending: list[Path]) -> bool:
        """One step of the checks run ahead while the last file, a large one, is being fetched:
        the value check, then the cross-checks; returns whether a step was done (the caller
        looks whether the file has come in between)."""
        if len(pending) != 1 or self.ahead is False:
            return False
        batch, read = self.batch, [part for part in self.parts if part is not None]
        if self.ahead is None:
            staged = [st for part in read for st in part.staged]
            largest = max((file_size(Path(part.counts[0]["file"])) for part in read), default=0)
            worth = file_size(pending[0]) >= 4 * largest      # a long wait (the county workbook)
            self.ahead = worth and _may_check_now(staged, batch.catalog) and \
                [staged, check_staged(staged, batch.meta, batch.catalog), None]
            return bool(self.ahead)
        if self.ahead[2] is None:
            issues, block, _ = self.ahead[1]
            self.ahead[2] = cross_checks(batch, [block] if block is not None else [], issues)
            return True
        return False

    def finish(self) -> pd.DataFrame:
        """Put the parts together in file order and finish the checks; returns the observations."""
        batch = self.batch
        for part in self.parts:
            batch.absorb(part)
        check_years(batch)
        check_rubric_tables(batch)
        ahead = self.ahead
        if ahead and len(ahead[0]) == len(batch.staged) and all(a is b for a, b in zip(ahead[0], batch.staged)):
            (checked, block, tallies), cross = ahead[1], ahead[2]
        else:
            (checked, block, tallies), cross = check_staged(batch.staged, batch.meta, batch.catalog), None
        batch.obs, batch.staged = ([block] if block is not None else []), []
        obs, same, later, deltas = cross or cross_checks(batch, batch.obs, checked)
        for count, key, n in tallies:
            count[key] += n
        batch.issues.extend(checked)
        batch.issues.extend(same)
        resolve_table_duplicates(batch)
        batch.issues.extend(later)
        for (fidx, sheet), delta in deltas.items():
            count = batch.sheet_count(fidx, sheet)
            for key, change in delta.items():
                count[key] += change
        batch.issues[:] = one_issue_per_cell(batch.issues)       # one message per cell, every reason in it
        return obs
