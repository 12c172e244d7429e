"""Private: cell addresses as the clerk finds them (``D7`` in a workbook, ``第7行/表头`` in a CSV)."""

from __future__ import annotations

import functools
import re

__all__ = ["col_letter", "cell_address", "row_of"]

_CELL_ROW = re.compile(r"\$?[A-Za-z]{1,3}\$?(\d+)|第(\d+)行/.*")


@functools.lru_cache(maxsize=1024)
def col_letter(j: int) -> str:
    """Column letter of a 0-based column index: 0 → A, 26 → AA."""
    name = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        name = chr(65 + r) + name
    return name


def cell_address(csv_mode: bool, i: int, j: int, labels) -> str:
    """The address of cell (row ``i``, column ``j``, 0-based) as the clerk finds it:
    ``D7`` in a workbook, ``第7行/表头`` in a CSV file."""
    if csv_mode:
        head = labels[j] if j < len(labels) and labels[j] is not None else col_letter(j)
        return f"第{i + 1}行/{head}"
    return f"{col_letter(j)}{i + 1}"


def row_of(cell) -> int | None:
    """The 1-based row of an address as :func:`cell_address` writes it (``D7`` or ``$D$7`` in a
    workbook, ``第7行/表头`` in a CSV file), or None for anything else (a range, a blank)."""
    match = _CELL_ROW.fullmatch(str(cell).strip())
    return int(match.group(1) or match.group(2)) if match else None
