"""Private: a county sheet (述职评议 ballots, 四风 ledger, 驻点 links, and the 考核细则's 加减分台账
and 考核清单; the wide 测评票 is :mod:`._ballot_sheet`'s) read into the batch.

:func:`read_county_rows` first accounts for every column: a column under no header, an
unknown or a repeated one is one warning (its values read and rejected); a required column
that is missing is one error, and the whole sheet is rejected. Then every row is checked at
once (:mod:`._county_checks`): a bad row is rejected whole with one error at its first bad
field; an item whose ballots do not add up to the rater group's size is rejected with one
error. A 述职评议 tally row whose one fault is a blank 票数 is also kept aside
(:data:`BLANK_TALLIES`): once the batch is read, :mod:`._rubric_batch` drops its error when the
测评票 give that year's, secretary's, rater group's and item's ballots. Accepted rows go to
``batch.tables[table]`` as one block of columns per sheet (:mod:`._county_table`), and
``cells_read = cells_accepted + cells_rejected + cells_empty`` holds.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from ..catalog.tables import COUNTY_ALIASES, COUNTY_OPTIONAL, COUNTY_SHEETS
from ._address import cell_address, col_letter
from ._county_checks import Column, CountyRows, Verdict, ballot_totals
from ._rubric_checks import NO_RUBRIC

__all__ = ["CountyRows", "read_county_rows", "RUBRIC_TABLES", "BLANK_TALLIES"]

#: The 考核细则's county tables (:mod:`._rubric_checks`, :mod:`._ballot_sheet`): kept apart from the
#: other county tables, checked across the batch by :mod:`._rubric_batch`.
RUBRIC_TABLES = ("adjustments", "checklist", "ballot_sheets")
#: Key of a sheet's counts holding its tally rows rejected for a blank 票数 alone:
#: ``(year, secretary, rater group id, item, the row's issue, its non-empty cells)``. Such a row is
#: the template's, left blank when the group's ballots are on 测评票: :mod:`._rubric_batch` then
#: drops its issue and counts its cells as empty (a private key: the sheets' frame leaves it out).
BLANK_TALLIES = "_blank_tallies"


def _span(csv_mode: bool, i0: int, i1: int, j0: int, j1: int, labels) -> str:
    """Cells from (i0, j0) to (i1, j1): ``A7:G7`` in a workbook, ``第7行`` / ``第7–9行`` in a CSV file."""
    if csv_mode:
        return f"第{i0 + 1}行" if i0 == i1 else f"第{i0 + 1}–{i1 + 1}行"
    return f"{col_letter(j0)}{i0 + 1}:{col_letter(j1)}{i1 + 1}"


def _formula_masks(formula_missing, cols: dict, start: int, n: int) -> dict:
    """Field → rows (from ``start``) whose cell is a formula without a cached value."""
    masks: dict = {}
    by_col = {j: f for f, j in cols.items()}
    for address in formula_missing:
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
        if not m:
            continue
        j = functools.reduce(lambda acc, c: acc * 26 + ord(c) - 64, m[1], 0) - 1
        i = int(m[2]) - 1 - start
        if j in by_col and 0 <= i < n:
            masks.setdefault(by_col[j], np.zeros(n, bool))[i] = True
    return masks


def _unknown_column(batch, count, values, j, f, cols, header_row, labels, table, where) -> None:
    """Values under no header, an unknown one or a repeated one: one warning naming the
    column and its cell range; the values are counted as read and rejected."""
    file, sheet, csv_mode = where
    filled = [i for i, x in enumerate(values) if x is not None and x != ""]
    if not filled:
        return
    count["cells_read"] += len(filled)
    count["cells_rejected"] += len(filled)
    span = _span(csv_mode, header_row + 1 + filled[0], header_row + 1 + filled[-1], j, j, labels)
    head = labels[j] if j < len(labels) else None
    headers = COUNTY_SHEETS[table][1]
    if f is not None:
        what = f"表头“{head}”与 {col_letter(cols[f])} 列重复（都是“{headers[f]}”）"
    elif head not in (None, ""):
        what = f"表头“{head}”不是“{COUNTY_SHEETS[table][0]}”表的列（应为：{'、'.join(headers.values())}）"
    else:
        what = "本列没有表头"
    batch.issue(file, sheet, cell_address(csv_mode, header_row, j, labels), "warning", "unknown_column",
                f"{what}，该列 {len(filled)} 个值（{span}）未读取")


def _reject_sheet(batch, count, columns, missing, unknown, header_row, width, table, where) -> None:
    """A required column missing: one error naming the sheet and columns; every non-empty cell
    below the header is read and rejected."""
    file, sheet, csv_mode = where
    n = sum(1 for c in columns for x in c if x is not None and x != "")
    count["cells_read"] += n
    count["cells_rejected"] += n
    headers = COUNTY_SHEETS[table][1]
    names = "、".join(f"“{headers[f]}”" for f in missing)
    hints = "；".join(f"“{headers[f]}”也可写作：{'、'.join(COUNTY_ALIASES[table][f])}"
                      for f in missing if COUNTY_ALIASES[table].get(f))
    seen = f"（表中未识别的表头：{'、'.join(str(h) for h in unknown)}）" if unknown else ""
    name, standard = sheet or Path(file).name, COUNTY_SHEETS[table][0]
    read_as = "" if name == standard else f"（按“{standard}”表读取）"
    batch.issue(file, sheet, _span(csv_mode, header_row, header_row, 0, max(width - 1, 0), ()), "error",
                "missing_county_column",
                f"工作表“{name}”{read_as}缺少必需的列：{names}{seen}，无法读取："
                f"{n} 个非空单元格均未采用。请恢复这些列的表头后重新报送" + (f"（{hints}）" if hints else ""))


def _blank_counts(table: str, v: Verdict, col: dict) -> np.ndarray:
    """Rows of a 述职评议 tally whose one fault is a blank 票数 (every key and the rating good)."""
    note = next((n for n, (f, _, code, _) in enumerate(v.notes) if f == "count" and code is None), None)
    if table != "ballots" or note is None:
        return np.zeros(v.reason.size, bool)
    return (v.reason == note) & col["count"].empty


def read_county_rows(batch, table, rows, header_row, mapping, file, sheet, count, csv_mode,
                     formula_missing=frozenset()) -> None:
    """Read the rows of a county sheet below ``header_row``, all at once.

    Every column is accounted for (unknown ones warned about, a missing required one rejects
    the sheet); a bad row is rejected whole with one error at its first bad field; a ballot
    total that differs from the rater group's size rejects that item's rows. ``formula_missing``
    holds the A1 addresses of formula cells without a cached value (errors at their cell).
    """
    labels, data = rows[header_row], rows[header_row + 1:]
    lengths = set(map(len, data))
    width = max([len(labels), *lengths])
    if lengths - {width}:
        data = [list(r) + [None] * (width - len(r)) for r in data]
    columns = list(zip(*data)) if data else [()] * width
    cols, extra = {}, []
    for j in range(width):
        f = mapping[j] if j < len(mapping) else None
        if f is not None and f not in cols:
            cols[f] = j
        else:
            extra.append((j, f))
    where = (file, sheet, csv_mode)
    missing = [f for f in COUNTY_SHEETS[table][1] if f not in cols and f not in COUNTY_OPTIONAL[table]]
    if missing:
        unknown = [labels[j] for j, f in extra if j < len(labels) and labels[j] not in (None, "") and f is None]
        _reject_sheet(batch, count, columns, missing, unknown, header_row, width, table, where)
        return
    for j, f in extra:
        _unknown_column(batch, count, columns[j], j, f, cols, header_row, labels, table, where)
    formula = _formula_masks(formula_missing, cols, header_row + 1, len(data)) if formula_missing else {}
    full = {f: Column(columns[j]) for f, j in cols.items()}
    filled = {f: ~c.empty | formula.get(f, False) for f, c in full.items()}
    n_filled = np.sum(list(filled.values()), axis=0) if data else np.zeros(0, np.int64)
    idx = np.flatnonzero(n_filled)
    col = full if idx.size == len(data) else {f: c.take(idx) for f, c in full.items()}
    headers = {f: labels[j] if j < len(labels) else COUNTY_SHEETS[table][1][f] for f, j in cols.items()}
    v = Verdict(idx.size, {f: (m[idx], headers[f]) for f, m in formula.items()})
    record, warnings = getattr(batch.county, table)(col, v)
    for f in cols:                                  # formulas in fields without a check of their own
        v.check(f, np.zeros(idx.size, bool), None)
    rejected = v.reason >= 0
    totals, unique = ballot_totals(batch.catalog, record, rejected) if table == "ballots" else ([], False)
    n_filled, n_fields = n_filled[idx], len(cols)
    blank = _blank_counts(table, v, col)
    for k in np.flatnonzero(rejected):
        fld, severity, code, message = v.notes[v.reason[k]]
        i = header_row + 1 + int(idx[k])
        batch.issue(file, sheet, cell_address(csv_mode, i, cols[fld], labels), severity, code or f"bad_{table}",
                    f"{message(k)}；本行（{_span(csv_mode, i, i, 0, width - 1, labels)}）未采用")
        if blank[k]:                    # kept aside: :func:`~._rubric_batch.check_rubric_tables` decides
            count.setdefault(BLANK_TALLIES, []).append(
                (int(record[0][k]), record[1][k], record[3][k], record[4][k], batch.issues[-1], int(n_filled[k])))
    for members, message in totals:
        rejected[members] = True
        i0, i1 = header_row + 1 + int(idx[members.min()]), header_row + 1 + int(idx[members.max()])
        j = cols["count"]
        batch.issue(file, sheet, _span(csv_mode, i0, i1, j, j, labels), "error", "ballot_total",
                    f"{message}：这些行（{_span(csv_mode, i0, i1, 0, width - 1, labels)}）未采用，请核实")
    good = ~rejected
    for fld, mask, message in warnings:
        for k in np.flatnonzero(mask & good):
            batch.issue(file, sheet, cell_address(csv_mode, header_row + 1 + int(idx[k]), cols[fld], labels),
                        "warning", f"{table}_{fld}", message(k))
    count["cells_read"] += idx.size * n_fields
    count["cells_empty"] += int(idx.size * n_fields - n_filled.sum())
    count["cells_accepted"] += int(n_filled[good].sum())
    count["cells_rejected"] += int(n_filled[rejected].sum())
    rows_good = (header_row + 2 + idx[good]).tolist()
    last = col_letter(width - 1)
    spans = [f"第{r}行" for r in rows_good] if csv_mode else [f"A{r}:{last}{r}" for r in rows_good]
    values = [np.asarray(c)[good].tolist() for c in record]
    if table in RUBRIC_TABLES:           # provenance: the 项目编号 cell; the row's cells kept for later checks
        spans = [cell_address(csv_mode, r - 1, cols["item"], labels) for r in rows_good]
        values.append(n_filled[good].tolist())
        if batch.catalog.assessment is None and idx.size:
            batch.issue(file, sheet, "", "warning", "no_assessment", f"工作表“{sheet or Path(file).name}”：{NO_RUBRIC}")
    batch.table(table).add(values, file, sheet, spans, batch.file_index, unique)
    year = values[0 if table == "ballots" else 3] if table in ("ballots", "links") else []
    if year and max(year) > batch.catalog.years[-1]:   # a year after the catalogue's last: decided once all is read
        j, last, cells = cols["year"], batch.catalog.years[-1], n_filled[good]
        batch.later_years.extend(
            (table, batch.file_index, sheet, spans[k], year[k], cell_address(csv_mode, rows_good[k] - 1, j, labels),
             int(cells[k])) for k in range(len(spans)) if year[k] > last)
