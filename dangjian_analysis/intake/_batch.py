"""Private: the state of one batch being read — issues, per-sheet accounting, staged rows.

Every stage of the intake writes into one :class:`Batch`: issues as
``(file, sheet, cell, severity, code, message)`` tuples, and per sheet the counts that
must add up, ``cells_read = cells_accepted + cells_rejected + cells_empty``; a file's counts
are the sums of its sheets' (:meth:`Batch.total_files`). A file may be read into a part of
its own (:meth:`Batch.for_file`, sharing the catalogue's lookups) and the parts put together
in file order (:meth:`Batch.absorb`), whatever the order they were read in.
"""

from __future__ import annotations

from pathlib import Path

from ._county import CountyRows
from ._county_table import CountyTable
from ._headers import HeaderLookup

__all__ = ["Batch"]

_SHARED = ("catalog", "lookup", "county", "meta", "required", "village_ids", "town_ids", "names")


class Batch:
    """What has been read so far: observations, staged rows, county rows, issues, counts."""

    def __init__(self, catalog):
        self.catalog = catalog
        self.lookup = HeaderLookup(catalog)
        self.county = CountyRows(catalog)
        self.meta = {r.id: (r.kind, r.unit, bool(r.allow_negative), bool(r.required), r.level, r.name)
                     for r in catalog.indicators.itertuples()}
        self.required = {sheet: [] for sheet in catalog.input_sheets}   # required columns per input sheet
        for r in catalog.indicators.itertuples():
            if r.required:
                self.required[r.sheet].append((r.id, r.name))
        villages = catalog.villages
        self.village_ids = dict(zip(zip(villages["township"], villages["unit_name"]), villages["unit_id"]))
        self.town_ids = dict(zip(catalog.townships["unit_name"], catalog.townships["unit_id"]))
        self.names: dict[str, str] = {}    # how each file is shown (:func:`~._names.shown_names`)
        self._start(0)

    def _start(self, base: int) -> None:
        """Nothing read yet; the first file read is file number ``base``."""
        self.base = base
        self.obs: list[tuple] = []     # observation blocks: one array per column (+ file index)
        self.staged: list = []         # indicator rows waiting for the batch-wide value check
        self.tables = {"ballots": CountyTable(), "ledger": CountyTable(), "links": CountyTable()}
        #: the 考核细则's county tables (加减分台账, 考核清单, 测评票), checked across the batch by
        #: :func:`~._rubric_batch.check_rubric_tables` (each row's record ends with its non-empty cells)
        self.rubric = {"adjustments": CountyTable(), "checklist": CountyTable(), "ballot_sheets": CountyTable()}
        #: county rows accepted with a year after the catalogue's last, for :func:`~._keys.check_years`:
        #: ``(table, file index, sheet, span, year, year cell, cells)``
        self.later_years: list[tuple] = []
        self.issues: list[tuple] = []
        self.counts: list[dict] = []       # per file
        self.sheet_counts: list[dict] = []  # per sheet: file, sheet, the four counts, and _fidx
        self._sheet_index: dict[tuple[int, str], int] = {}
        self.dropped = False               # a file was rejected whole after it had been read in part

    def for_file(self, fidx: int) -> Batch:
        """An empty part for reading file number ``fidx`` alone, sharing this batch's lookups."""
        part = object.__new__(Batch)
        part.__dict__.update({key: getattr(self, key) for key in _SHARED})
        part._start(fidx)
        return part

    def absorb(self, part: Batch) -> None:
        """Append what a part read (the next file's) — its counts, issues, staged rows and county
        rows — as if it had been read into this batch."""
        offset = len(self.sheet_counts)
        for k, count in enumerate(part.sheet_counts):
            self._sheet_index[(count["_fidx"], count["sheet"])] = offset + k
        self.sheet_counts.extend(part.sheet_counts)
        if part.dropped:              # as drop_file did: every issue naming the file is forgotten
            self.issues = [i for i in self.issues if i[0] != part.counts[0]["file"]]
        self.counts.extend(part.counts)
        self.issues.extend(part.issues)
        self.staged.extend(part.staged)
        for key, table in [*part.tables.items(), *part.rubric.items()]:
            self.table(key).extend(table)
        self.later_years.extend(part.later_years)

    def table(self, key: str) -> CountyTable:
        """The county table ``key`` (of :attr:`tables` or :attr:`rubric`)."""
        return self.tables[key] if key in self.tables else self.rubric[key]

    def shown(self, file: str) -> str:
        """A file as people read it in a message: its path below the folder given."""
        return self.names.get(file) or Path(file).name

    def issue(self, file, sheet, cell, severity, code, message) -> None:
        """Record one issue."""
        self.issues.append((file, sheet, cell, severity, code, message))

    def new_file(self, path: Path) -> dict:
        """Start the accounting of one file; returns its counts (status ``loaded``)."""
        count = {"file": str(path), "status": "loaded", "cells_read": 0, "cells_accepted": 0,
                 "cells_rejected": 0, "cells_empty": 0}
        self.counts.append(count)
        return count

    @property
    def file_index(self) -> int:
        """Index of the file being read."""
        return self.base + len(self.counts) - 1

    def new_sheet(self, name: str) -> dict:
        """Start the accounting of one sheet of the file being read; returns its counts."""
        count = {"file": self.counts[-1]["file"], "sheet": name, "cells_read": 0, "cells_accepted": 0,
                 "cells_rejected": 0, "cells_empty": 0, "_fidx": self.file_index}
        self._sheet_index[(self.file_index, name)] = len(self.sheet_counts)
        self.sheet_counts.append(count)
        return count

    def sheet_count(self, fidx: int, sheet: str) -> dict:
        """The counts of sheet ``sheet`` of file number ``fidx``."""
        return self.sheet_counts[self._sheet_index[(fidx, sheet)]]

    def cells_read(self, fidx: int) -> int:
        """Cells read so far from file number ``fidx``."""
        return sum(c["cells_read"] for c in self.sheet_counts if c["_fidx"] == fidx)

    def total_files(self) -> None:
        """Each file's counts as the sums of its sheets' counts."""
        keys = ("cells_read", "cells_accepted", "cells_rejected", "cells_empty")
        for count in self.counts:
            count.update(dict.fromkeys(keys, 0))
        for sheet in self.sheet_counts:
            file = self.counts[sheet["_fidx"]]
            for key in keys:
                file[key] += sheet[key]

    def drop_file(self, index: int) -> None:
        """Forget what a failed file had contributed, so that it is rejected whole."""
        name = self.counts[index - self.base]["file"]
        self.dropped = True
        for sheet in self.sheet_counts:
            if sheet["_fidx"] == index:
                sheet.update(cells_read=0, cells_accepted=0, cells_rejected=0, cells_empty=0)
        self.staged = [st for st in self.staged if st.fidx != index]
        for table in [*self.tables.values(), *self.rubric.values()]:
            table.drop_file(index)
        self.later_years = [e for e in self.later_years if e[1] != index]
        self.issues = [i for i in self.issues if i[0] != name]
        self.counts[index - self.base].update(cells_read=0, cells_accepted=0, cells_rejected=0, cells_empty=0)

    def reject(self, count: dict, code: str, message: str) -> None:
        """Reject a whole file with one error."""
        count["status"] = "rejected"
        self.issue(count["file"], "", "", "error", code, message)
