"""Private: the state of one batch being read — issues, per-sheet accounting, staged rows.

Every stage of the intake writes into one :class:`Batch`: issues as
``(file, sheet, cell, severity, code, message)`` tuples, and per sheet the counts that
must add up, ``cells_read = cells_accepted + cells_rejected + cells_empty``; a file's counts
are the sums of its sheets' (:meth:`Batch.total_files`).
"""

from __future__ import annotations

from pathlib import Path

from ._county import CountyRows
from ._headers import HeaderLookup

__all__ = ["Batch"]


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
        self.obs: list[tuple] = []     # observation blocks: one array per column (+ file index)
        self.staged: list = []         # indicator rows waiting for the batch-wide value check
        self.tables = {"ballots": [], "ledger": [], "links": []}
        self.issues: list[tuple] = []
        self.counts: list[dict] = []       # per file
        self.sheet_counts: list[dict] = []  # per sheet: file, sheet, the four counts, and _fidx
        self._sheet_index: dict[tuple[int, str], int] = {}

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
        return len(self.counts) - 1

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
        name = self.counts[index]["file"]
        for sheet in self.sheet_counts:
            if sheet["_fidx"] == index:
                sheet.update(cells_read=0, cells_accepted=0, cells_rejected=0, cells_empty=0)
        self.staged = [st for st in self.staged if st.fidx != index]
        for key in self.tables:
            self.tables[key] = [r for r in self.tables[key] if r[-1] != index]
        self.issues = [i for i in self.issues if i[0] != name]
        self.counts[index].update(cells_read=0, cells_accepted=0, cells_rejected=0, cells_empty=0)

    def reject(self, count: dict, code: str, message: str) -> None:
        """Reject a whole file with one error."""
        count["status"] = "rejected"
        self.issue(count["file"], "", "", "error", code, message)
