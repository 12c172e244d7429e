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
from ..catalog.tables import NOTE_ID
from ..catalog.units import clean_name
from ._clerk_rows import added_label, added_message, is_footer_row, note_message, template_years, year_slip_message
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
    linked: dict = None                # DDE and external-workbook formulas: address → (kind, formula, link)
    count: dict = None                 # the sheet's counts (``Batch.new_sheet``)
    year_col: int | None = None        # column of the year (for errors found after reading)


def stage_rows(batch, table: Sheet, start: int, mapping, labels, file: str, count: dict) -> None:
    """Stage the data rows of an indicator sheet: keys resolved row by row now, values
    checked for the whole batch at once by :func:`~._cells.check_staged`.

    The template's footer lines (本表合计, 填表人 …) are not data: like the header rows above the
    data, they are neither read nor counted, wherever they are (its totals are formulas whose cached values depend on
    whether Excel or WPS saved them); a row the clerk added (合计, 说明 …) is one ``added_row`` error; a year
    outside the template's years (hidden id ``year:2016``) one ``wrong_year`` error at its cell;
    the 备注 column gives one ``clerk_note`` (severity ``info``) per filled cell.
    """
    rows, sheet, csv_mode, formula_missing = table.rows, table.name, table.csv_mode, table.formula_missing
    key_cols = {f: j for j, f in enumerate(mapping) if f in KEY_ALIASES}
    ind_cols = [(j, f) for j, f in enumerate(mapping) if f in batch.meta]
    data = rows[start:]
    footer = {r for r, row in enumerate(data) if is_footer_row(row)}   # never data, wherever it is: a
    data = [[""] * len(row) if r in footer else row for r, row in enumerate(data)]   # blank line in its place
    if NOTE_ID in mapping:
        _notes(batch, data, start, mapping.index(NOTE_ID), labels, file, sheet, csv_mode)
    if not ind_cols or not data:
        return
    yj = key_cols.get("year")
    years = template_years(rows[start - 1][yj]) if start > 0 and yj is not None and yj < len(rows[start - 1]) \
        else None
    if years is not None and len(years) > 1:   # an archive of several years (the sample), not one year's form:
        years = None                           # its years follow the catalogue's rule (check_years)
    is_village = "village" in key_cols
    cols = [j for j, _ in ind_cols]
    n_cols, width = len(cols), max(cols) + 1
    pick = operator.itemgetter(*cols) if n_cols > 1 else (lambda r: (r[cols[0]],))
    block = [pick(r) if len(r) >= width else tuple(r[j] if j < len(r) else None for j in cols) for r in data]
    # cells that read as empty but are not: formulas without a result, Excel error values
    special = set(formula_missing) | set(getattr(table, "errors", None) or {})
    staged_rows = []
    for r, values in enumerate(block):
        if r in footer:                                  # its totals are formulas: not "hidden" values
            continue
        i = start + r
        hidden = special and any(cell_address(csv_mode, i, j, labels) in special for j in cols)
        if not hidden and all(v is None or v == "" for v in values):
            if any(data[r][j] not in (None, "") for j in key_cols.values() if j < len(data[r])):
                count["cells_read"] += n_cols
                count["cells_empty"] += n_cols
                added = _added(batch, data[r], key_cols, is_village, i, labels, csv_mode)
                if added:
                    batch.issue(file, sheet, added[0], "error", "added_row", added_message(i + 1, added[1], 0))
                else:
                    batch.issue(file, sheet, cell_address(csv_mode, i, 0, labels), "warning", "empty_row",
                                f"第 {i + 1} 行只有乡镇/村/年度，没有填写任何指标")
            continue
        n = sum(1 for v in values if v not in (None, ""))
        unit, problem = resolve_keys(batch, data[r], key_cols, is_village, i, labels, csv_mode, years=years)
        if problem and problem[1] == "warning":      # e.g. a former village name: still read
            batch.issue(file, sheet, *problem)
            problem = None
        if problem:      # one cause, one message: the row's values are rejected without one each
            added = _added(batch, data[r], key_cols, is_village, i, labels, csv_mode)
            if added:
                problem = (added[0], "error", "added_row", added_message(i + 1, added[1], n))
            elif problem[2] == "wrong_year":
                problem = (*problem[:3], year_slip_message(years, *problem[3], i + 1, n))
            else:
                problem = (*problem[:3], f"{problem[3]}；本行 {n} 个值未采用")
            batch.issue(file, sheet, *problem)
        staged_rows.append((i, values, unit, problem[0] if problem else None))
    if not staged_rows:
        return
    count["cells_read"] += n_cols * len(staged_rows)
    batch.staged.append(Staged(
        fidx=batch.file_index, file=file, sheet=sheet, csv_mode=csv_mode, labels=labels, cols=cols,
        ids=[f for _, f in ind_cols], rows=staged_rows,
        formula_missing=formula_missing, formula_cached=table.formula_cached, percent=table.percent,
        errors=getattr(table, "errors", None) or {}, scaled=getattr(table, "scaled", None) or {},
        linked=getattr(table, "linked", None) or {},
        count=count, year_col=key_cols.get("year")))


def _added(batch, row, key_cols, is_village, i, labels, csv_mode):
    """``(cell, text)`` when the row is one the clerk added (合计, 说明 …) rather than a
    village's: a key cell holds such a label and is not a name of the catalogue."""
    found = added_label(row, key_cols)
    if found is None:
        return None
    j, text = found
    cat = batch.catalog
    if j == key_cols.get("township") and cat.resolve_township(text) is not None:
        return None
    if j == key_cols.get("village") and is_village:
        town = cat.resolve_township(row[key_cols["township"]]) if "township" in key_cols and \
            key_cols["township"] < len(row) and row[key_cols["township"]] not in (None, "") else None
        if town is not None and cat.match_village(town, text) is not None:
            return None
    return cell_address(csv_mode, i, j, labels), text


def _notes(batch, data, start, j, labels, file, sheet, csv_mode) -> None:
    """One ``clerk_note`` (severity ``info``) per filled cell of the 备注 column, at the cell."""
    for r, row in enumerate(data):
        text = row[j] if j < len(row) else None
        if text in (None, "") or (isinstance(text, str) and not text.strip()):
            continue
        cell = cell_address(csv_mode, start + r, j, labels)
        batch.issue(file, sheet, cell, "info", "clerk_note", note_message(text, cell))


def resolve_keys(batch, row, key_cols, is_village, i, labels, csv_mode, *, years=None):
    """``((unit_id, unit_name, level, township, year), None)`` for one data row, or
    ``(None, (cell, "error", code, message))`` naming the first bad key cell; a row read
    with a warning (a former village name, or a new name before its rename year) gives
    ``(unit, (cell, "warning", code, message))``. With ``years`` (the template's), a year
    outside them is ``(None, (cell, "error", "wrong_year", (raw, year)))``: the caller words it."""
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
    if years and year not in years:
        return None, (cell_address(csv_mode, i, yj or 0, labels), "error", "wrong_year", (year_raw, year))
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
    if found.severity:
        return unit, (cell, "warning", "old_village_name", found.message)
    return unit, _before_rename(cat, town, village_raw, year, found.unit_id, cell)


def _before_rename(cat, town, raw, year, unit_id, cell):
    """A warning when ``raw`` is a name the village took only after ``year`` (the row is still
    read as that village), else None."""
    spans = [(lo, hi) for _, u, lo, hi in cat._aliases["village"].get((town, clean_name(raw)), ()) if u == unit_id]
    if not spans or any(lo <= year <= hi for lo, hi in spans):
        return None
    first = min(lo for lo, _ in spans)
    then = cat.village_name(unit_id, year)
    return (cell, "warning", "new_village_name",
            f"村（社区）“{raw}”自 {first} 年起才使用，{year} 年的名称是“{then}”：请改为“{then}”"
            f"（本行按{then}读取）")


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
