"""Private: a county table (述职评议 ballots, 四风台账, 驻点联系) as it is read — one block of
columns per sheet, not one tuple per row.

A :class:`Block` holds the accepted rows of one sheet: a list per field of the record, the
file, the sheet, each row's span (``A7:G7``) and the file's index in the batch. Frames and
the keys that find rows given twice are built from whole columns; :meth:`CountyTable.rows`
gives ``(*record, file, sheet, span, file index)`` tuples for the rare steps that look at
single rows (a row given twice, a later year rejected).
"""

from __future__ import annotations

from itertools import chain, repeat
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..catalog.tables import PROVENANCE

__all__ = ["Block", "CountyTable"]


class Block(NamedTuple):
    """The accepted rows of one county sheet, column by column."""

    columns: tuple          # one list per field of the record
    file: str
    sheet: str
    spans: list             # per row: ``A7:G7`` (workbook) or ``第7行`` (CSV)
    fidx: int               # the file's index in the batch
    unique: bool = False    # known to hold no row twice (see :func:`~._county_checks.ballot_totals`)


class CountyTable:
    """The rows of one county table read so far, as :class:`Block` s in reading order."""

    def __init__(self, blocks=()):
        self.blocks: list[Block] = list(blocks)

    def __len__(self) -> int:
        return sum(len(b.spans) for b in self.blocks)

    def add(self, columns, file: str, sheet: str, spans: list, fidx: int, unique: bool = False) -> None:
        """Append the accepted rows of one sheet (nothing for a sheet without any)."""
        if len(spans):
            self.blocks.append(Block(tuple(columns), file, sheet, spans, fidx, unique))

    def known_unique(self) -> bool:
        """Whether no row can be there twice: one sheet at most, known to hold no row twice."""
        return not self.blocks or (len(self.blocks) == 1 and self.blocks[0].unique)

    def extend(self, other: CountyTable) -> None:
        """Append the blocks of another table (the next file's)."""
        self.blocks.extend(other.blocks)

    def column(self, k: int) -> list:
        """Field ``k`` of every row, in reading order."""
        if len(self.blocks) == 1:
            return self.blocks[0].columns[k]
        return list(chain.from_iterable(b.columns[k] for b in self.blocks))

    def rows(self) -> list[tuple]:
        """Every row as ``(*record, file, sheet, span, file index)``."""
        return [row for b in self.blocks
                for row in zip(*b.columns, repeat(b.file), repeat(b.sheet), b.spans, repeat(b.fidx))]

    def set_rows(self, rows: list[tuple]) -> None:
        """Replace the rows by ``rows`` (tuples as :meth:`rows` gives them), kept in order."""
        self.blocks = []
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][-4:-2] != rows[start][-4:-2] or rows[i][-1] != rows[start][-1]:
                run = rows[start:i]
                self.blocks.append(Block(tuple(map(list, zip(*(r[:-4] for r in run)))), run[0][-4], run[0][-3],
                                         [r[-2] for r in run], run[0][-1]))
                start = i

    def drop_file(self, fidx: int) -> None:
        """Forget the rows of file number ``fidx``."""
        self.blocks = [b for b in self.blocks if b.fidx != fidx]

    def frame(self, fields: list[str], ints=()) -> pd.DataFrame:
        """The rows as a frame: the record's ``fields`` (those in ``ints`` as int64), then the
        provenance columns (their type inferred, as for the fields)."""
        if not self.blocks:
            return pd.DataFrame([], columns=[*fields, *PROVENANCE])
        data = {f: np.array(self.column(k), dtype=np.int64) if f in ints else self.column(k)
                for k, f in enumerate(fields)}
        sizes = [len(b.spans) for b in self.blocks]
        data[PROVENANCE[0]] = np.repeat(np.array([b.file for b in self.blocks], dtype=object), sizes)
        data[PROVENANCE[1]] = np.repeat(np.array([b.sheet for b in self.blocks], dtype=object), sizes)
        data[PROVENANCE[2]] = np.array(list(chain.from_iterable(b.spans for b in self.blocks)), dtype=object)
        return pd.DataFrame(data)
