"""Private: the data rows of an indicator sheet, their keys (township, village, year)
resolved through the catalogue, staged for the batch-wide value check of :mod:`._cells`.

A year before the catalogue's first is an error at once; a later year than the catalogue's
last is staged, and :func:`check_years` decides once every file is read (a year is accepted
when it follows a year present in the batch). Villages are looked up by the row's year: a
former name after a rename is read with a warning, a village that did not exist that year
(merged away, not yet formed) is an error at the village cell."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from ._address import cell_address
from ._files import Sheet
from ._headers import KEY_ALIASES
from ._near_names import unknown_village
from ._values import parse_year

__all__ = ["Staged", "stage_rows", "resolve_keys", "year_message", "check_years"]


@dataclass
class Staged:
    """One sheet's data rows, keys resolved, waiting for the batch-wide value check."""

    fidx: int
    file: str
    sheet: str
    csv_mode: bool
    labels: list
    cols: list[int]
    ids: list[str]
    rows: list[tuple]          # (sheet row index, values, unit tuple or None, bad key cell or None)
    formula_missing: set
    formula_cached: set
    percent: set = frozenset()         # cells formatted as a percentage in Excel (85% stored as 0.85)
    errors: dict = None                # cells showing an Excel error value: address → "#DIV/0!"
    scaled: dict = None                # cells whose format divides what is shown: address → factor
    count: dict = None                 # the sheet's counts (``Batch.new_sheet``)
    year_col: int | None = None        # column of the year (for errors found after reading)


def stage_rows(batch, table: Sheet, start: int, mapping, labels, file: str, count: dict) -> None:
    """Stage the data rows of an indicator sheet: keys resolved row by row now, values
    checked for the whole batch at once by :func:`~._cells.check_staged`."""
    rows, sheet, csv_mode, formula_missing = table.rows, table.name, table.csv_mode, table.formula_missing
    key_cols = {f: j for j, f in enumerate(mapping) if f in KEY_ALIASES}
    ind_cols = [(j, f) for j, f in enumerate(mapping) if f in batch.meta]
    data = rows[start:]
    if not ind_cols or not data:
        return
    is_village = "village" in key_cols
    cols = [j for j, _ in ind_cols]
    n_cols, width = len(cols), max(cols) + 1
    pick = operator.itemgetter(*cols) if n_cols > 1 else (lambda r: (r[cols[0]],))
    block = [pick(r) if len(r) >= width else tuple(r[j] if j < len(r) else None for j in cols) for r in data]
    # cells that read as empty but are not: formulas without a result, Excel error values
    special = set(formula_missing) | set(getattr(table, "errors", None) or {})
    staged_rows = []
    for r, values in enumerate(block):
        i = start + r
        hidden = special and any(cell_address(csv_mode, i, j, labels) in special for j in cols)
        if not hidden and all(v is None or v == "" for v in values):
            if any(data[r][j] not in (None, "") for j in key_cols.values() if j < len(data[r])):
                count["cells_read"] += n_cols
                count["cells_empty"] += n_cols
                batch.issue(file, sheet, cell_address(csv_mode, i, 0, labels), "warning", "empty_row",
                            f"第 {i + 1} 行只有乡镇/村/年度，没有填写任何指标")
            continue
        unit, problem = resolve_keys(batch, data[r], key_cols, is_village, i, labels, csv_mode)
        if problem and problem[1] == "warning":      # e.g. a former village name: still read
            batch.issue(file, sheet, *problem)
            problem = None
        if problem:      # one cause, one message: the row's values are rejected without one each
            n = sum(1 for v in values if v not in (None, ""))
            batch.issue(file, sheet, *problem[:3], f"{problem[3]}；本行 {n} 个值未采用")
        staged_rows.append((i, values, unit, problem[0] if problem else None))
    if not staged_rows:
        return
    count["cells_read"] += n_cols * len(staged_rows)
    batch.staged.append(Staged(
        fidx=batch.file_index, file=file, sheet=sheet, csv_mode=csv_mode, labels=labels, cols=cols,
        ids=[f for _, f in ind_cols], rows=staged_rows,
        formula_missing=formula_missing, formula_cached=table.formula_cached, percent=table.percent,
        errors=getattr(table, "errors", None) or {}, scaled=getattr(table, "scaled", None) or {},
        count=count, year_col=key_cols.get("year")))


def resolve_keys(batch, row, key_cols, is_village, i, labels, csv_mode):
    """``((unit_id, unit_name, level, township, year), None)`` for one data row, or
    ``(None, (cell, "error", code, message))`` naming the first bad key cell; a row read
    with a warning (a former village name) gives ``(unit, (cell, "warning", code, message))``."""
    cat = batch.catalog

    def raw(key):
        j = key_cols.get(key)
        return (row[j] if j is not None and j < len(row) else None), j

    town_raw, tj = raw("township")
    town = cat.resolve_township(town_raw) if town_raw not in (None, "") else None
    if town is None:
        what = "未填写乡镇" if town_raw in (None, "") else f"乡镇“{town_raw}”不在名录中"
        return None, (cell_address(csv_mode, i, tj or 0, labels), "error", "unknown_township",
                      f"{what}；应为：{'、'.join(cat.townships['unit_name'])}")
    year_raw, yj = raw("year")
    year = parse_year(year_raw)
    if year is None or year < cat.first_year:    # later years: see check_years
        return None, (cell_address(csv_mode, i, yj or 0, labels), "error", "bad_year",
                      year_message(cat, year_raw, cat.years[-1]))
    if not is_village:
        return (batch.town_ids[town], town, "township", town, year), None
    village_raw, vj = raw("village")
    found = cat.match_village(town, village_raw, year) if village_raw not in (None, "") else None
    cell = cell_address(csv_mode, i, vj or 0, labels)
    if found is None:
        what = "未填写村（社区）" if village_raw in (None, "") else unknown_village(cat, town, village_raw, year)
        return None, (cell, "error", "unknown_village", what)
    if found.severity == "error":
        return None, (cell, "error", "unknown_village", found.message)
    unit = (found.unit_id, found.unit_name, "village", town, year)
    return unit, ((cell, "warning", "old_village_name", found.message) if found.severity else None)


def year_message(cat, raw, top: int) -> str:
    """Why the year ``raw`` is not accepted: the years that are (first to ``top``), and how a
    new year is read."""
    shown = "" if raw is None else raw
    return (f"年度“{shown}”有误，应为 {cat.first_year}–{top} 之间的年份"
            f"（{top} 年以后的年度须与上一年的数据一起读取）")


def check_years(batch) -> None:
    """Once every file is read: rows of a year after the catalogue's last that does not follow
    a year present in the batch (:meth:`Catalog.accepted_years`) get one ``bad_year`` error at
    their year cell, their values rejected; the same for 述职评议 and 驻点 rows."""
    cat = batch.catalog
    present = {row[2][4] for st in batch.staged for row in st.rows if row[2] is not None}
    year_at = {"ballots": 0, "links": 3}
    for table, k in year_at.items():
        present.update(map(int, set(batch.tables[table].column(k))))
    if not present or max(present) <= cat.years[-1]:
        return
    accepted = set(cat.accepted_years(present))
    top = max(accepted)
    for st in batch.staged:
        for k, (i, values, unit, _) in enumerate(st.rows):
            if unit is not None and unit[4] not in accepted:
                cell = cell_address(st.csv_mode, i, st.year_col or 0, st.labels)
                n = sum(1 for v in values if v not in (None, ""))
                batch.issue(st.file, st.sheet, cell, "error", "bad_year",
                            f"{year_message(cat, unit[4], top)}；本行 {n} 个值未采用")
                st.rows[k] = (i, values, None, cell)
    later = {(e[0], e[1], e[2], e[3]): e for e in batch.later_years if e[4] not in accepted}
    for table in [t for t in year_at if any(e[0] == t for e in later.values())]:
        kept = []
        for r in batch.tables[table].rows():
            e = later.get((table, r[-1], r[-3], r[-2]))
            if e is None:
                kept.append(r)
                continue
            count = batch.sheet_count(r[-1], r[-3])
            count["cells_accepted"] -= e[6]
            count["cells_rejected"] += e[6]
            batch.issue(r[-4], r[-3], e[5], "error", f"bad_{table}",
                        f"{year_message(cat, e[4], top)}；本行（{r[-2]}）未采用")
        batch.tables[table].set_rows(kept)
