"""Doubtful values confirmed: the analyst's own 确认 workbook.

A value outside its plausible range, or beyond the year-on-year factor, is a warning at its cell
and holds its unit-year 待核实 until someone confirms it. The analyst keeps the confirmations in
one workbook of their own beside the returns, named ``确认.xlsx`` (or ``确认….xlsx``): one row a
confirmation, with the headers

    文件（或乡镇） | 工作表 | 单元格 | 数值 | 说明 | 确认人 | 日期

(:func:`write_confirmation_sheet` writes it prefilled with every doubtful cell; the analyst keeps
the rows confirmed and fills 说明, 确认人, 日期). A confirmation clears the mark of that cell only
while the cell still holds the value confirmed: a changed value is doubtful again. The loader
reads such a workbook instead of treating it as a township's return; ``Dataset.confirmations``
holds the rows (with their own file, sheet and row for provenance).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

__all__ = ["CONFIRMATION_COLUMNS", "is_confirmation_file", "read_confirmations", "read_returned", "DOUBTFUL_CODES",
           "doubtful_matches", "confirmed_mask", "match_confirmations", "unconfirmed_cells", "confirmation_text", "confirmation_texts",
           "stale_confirmations"]

#: Issue codes of doubtful values (warnings that hold a result until confirmed).
DOUBTFUL_CODES = ("implausible", "year_on_year")
#: ``Dataset.confirmations``: the confirmed cell (``file`` as written, ``sheet``, ``cell``,
#: ``value``), why and by whom, and where the confirmation itself stands.
CONFIRMATION_COLUMNS = ["file", "sheet", "cell", "value", "note", "confirmed_by", "date", "source_file",
                        "source_row", "message"]
_HEADERS = {"文件": "file", "乡镇": "file", "文件（或乡镇）": "file", "工作表": "sheet", "单元格": "cell",
            "数值": "value", "说明": "note", "确认人": "confirmed_by", "日期": "date"}


def is_confirmation_file(path: Path) -> bool:
    """A workbook of confirmations: ``确认.xlsx`` or a name starting with 确认 (not a return)."""
    return path.suffix.lower() in (".xlsx", ".xlsm") and Path(path).stem.startswith("确认")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def read_confirmations(path: Path, shown: str) -> tuple[pd.DataFrame, list[tuple], tuple[int, int, int, int]]:
    """(confirmations, issues, counts read/accepted/rejected/empty) of one 确认 workbook.

    A row without 单元格 or 数值, or whose 数值 is not a number, is an error at its cell (not
    used); blank rows count as empty. Read with python-calamine (no formula is evaluated).
    """
    from python_calamine import CalamineWorkbook

    issues, rows, counts = [], [], [0, 0, 0, 0]
    book = CalamineWorkbook.from_path(str(path))
    sheet = book.sheet_names[0]
    data = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header_at = next((k for k, row in enumerate(data[:10]) if "单元格" in [_text(v) for v in row]), None)
    if header_at is None:
        issues.append((str(path), sheet, "A1", "error", "no_header",
                       f"{shown} 不是确认表：找不到表头（应有 文件（或乡镇）、工作表、单元格、数值、说明、确认人、日期）"))
        return pd.DataFrame(columns=CONFIRMATION_COLUMNS), issues, (0, 0, 0, 0)
    columns = {k: _HEADERS[_text(v)] for k, v in enumerate(data[header_at]) if _text(v) in _HEADERS}
    for r, row in enumerate(data[header_at + 1:], start=header_at + 2):
        record = {name: row[k] if k < len(row) else None for k, name in columns.items()}
        filled = [v for v in record.values() if _text(v)]
        counts[0] += len(columns)
        if not filled:
            counts[3] += len(columns)
            continue
        value = record.get("value")
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not _text(record.get("cell")) or math.isnan(number):
            issues.append((str(path), sheet, f"A{r}", "error", "bad_confirmation",
                           f"{shown} 第 {r} 行：确认需要写明单元格和数值（数值应为数字），本行未采用"))
            counts[2] += len(columns)
            continue
        counts[1] += len(columns)
        rows.append({"file": _text(record.get("file")), "sheet": _text(record.get("sheet")),
                     "cell": _text(record.get("cell")).replace("$", "").upper(), "value": number,
                     "note": _text(record.get("note")), "confirmed_by": _text(record.get("confirmed_by")),
                     "date": _text(record.get("date")), "source_file": str(path), "source_row": r, "message": ""})
    return pd.DataFrame(rows, columns=CONFIRMATION_COLUMNS), issues, tuple(counts)


def read_returned(path: Path, rows: list) -> pd.DataFrame:
    """The township's confirmations in a returned copy's 退回说明 (written by
    :func:`~dangjian_analysis.mark_returns`): the rows whose 确认属实 is 是, each naming its sheet,
    cell and the 问题 text of the issue it confirms. A confirmation holds while the same issue
    (same text: same value) stands at that cell of this very file."""
    at = next((k for k, row in enumerate(rows[:20]) if "确认属实" in [_text(v) for v in row]), None)
    if at is None:
        return pd.DataFrame(columns=CONFIRMATION_COLUMNS)
    head = {_text(v): k for k, v in enumerate(rows[at])}
    need = ("工作表", "单元格", "问题", "确认属实")
    if any(h not in head for h in need):
        return pd.DataFrame(columns=CONFIRMATION_COLUMNS)
    out = []
    for r, row in enumerate(rows[at + 1:], start=at + 2):
        cell = lambda name: row[head[name]] if name in head and head[name] < len(row) else None  # noqa: E731
        if _text(cell("确认属实")) != "是":
            continue
        out.append({"file": str(path), "sheet": _text(cell("工作表")), "cell": _text(cell("单元格")).upper(),
                    "value": math.nan, "note": _text(cell("说明")), "confirmed_by": "乡镇（退回说明）", "date": "",
                    "source_file": str(path), "source_row": r, "message": _text(cell("问题"))})
    return pd.DataFrame(out, columns=CONFIRMATION_COLUMNS)


def confirmed_mask(doubtful: pd.DataFrame, confirmations: pd.DataFrame, names: dict, towns: dict) -> pd.Series:
    """For each doubtful cell (``file, sheet, cell, value, township, message``), whether a
    confirmation names it (:func:`match_confirmations`)."""
    return pd.Series([k is not None for k in match_confirmations(doubtful, confirmations, names, towns)],
                     index=doubtful.index, dtype=bool)


def match_confirmations(doubtful: pd.DataFrame, confirmations: pd.DataFrame, names: dict,
                        towns: dict) -> list[int | None]:
    """For each doubtful cell (``file, sheet, cell, value, township, message``), the position in
    ``confirmations`` of the first confirmation that names it, or None.

    A confirmation names a cell when it gives the same file (by its shown name, its file name,
    or the township's name), sheet and cell, and the same value (to 1e-9 relative) — a changed
    value is doubtful again; a township's confirmation in its returned copy (:func:`read_returned`):
    the same file, sheet and cell and the same issue text (which quotes the value)."""
    if confirmations is None or confirmations.empty or doubtful.empty:
        return [None] * len(doubtful)
    by_cell: dict = {}
    for k, c in enumerate(confirmations.itertuples()):
        by_cell.setdefault((c.sheet, c.cell), []).append((k, c))
    out = []
    for d in doubtful.itertuples():
        keys = {names.get(d.file, ""), Path(str(d.file)).name, Path(str(d.file)).stem, d.township or ""}
        hit = next((k for k, c in by_cell.get((d.sheet, str(d.cell).upper()), [])
                    if ((c.file == str(d.file) and c.message == d.message) if _text(c.message) else
                        ((c.file in keys or towns.get(c.file) == d.township)
                         and math.isclose(c.value, d.value, rel_tol=1e-9, abs_tol=1e-12)))), None)
        out.append(hit)
    return out


def _doubtful(issues: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """The doubtful cells (warnings of :data:`DOUBTFUL_CODES` at an accepted value), one row a cell:
    ``file, sheet, cell, message, value, township`` and ``row`` (the observation's position)."""
    cols = ["file", "sheet", "cell", "message", "value", "township", "row"]
    warned = issues[(issues["severity"] == "warning") & issues["code"].isin(DOUBTFUL_CODES)]
    if warned.empty or obs.empty:
        return pd.DataFrame(columns=cols)
    warned = warned.drop_duplicates(["file", "sheet", "cell"])
    at: dict = {}
    for k, place in enumerate(zip(obs["source_file"], obs["source_sheet"], obs["source_cell"])):
        at.setdefault(place, k)
    rows = [(w.file, w.sheet, w.cell, w.message, obs["value"].iat[k], obs["township"].iat[k], k)
            for w in warned.itertuples() for k in [at.get((w.file, w.sheet, w.cell))] if k is not None]
    return pd.DataFrame(rows, columns=cols)


def doubtful_matches(ds) -> dict[tuple[str, str, str], int | None]:
    """Every doubtful value of a Dataset — (file, sheet, cell) of a warning of
    :data:`DOUBTFUL_CODES` at a cell whose value was accepted — → the position in
    ``ds.confirmations`` of the confirmation that names it (:func:`match_confirmations`), or None."""
    doubtful = _doubtful(ds.issues, ds.observations)
    towns = {t: t for t in ds.catalog.townships["unit_name"]}
    hit = match_confirmations(doubtful, ds.confirmations, ds.file_names or {}, towns)
    return {(d.file, d.sheet, d.cell): k for d, k in zip(doubtful.itertuples(), hit)}


def unconfirmed_cells(ds) -> set[tuple[str, str, str]]:
    """(file, sheet, cell) of every doubtful value of a Dataset still waiting for a confirmation."""
    return {cell for cell, k in doubtful_matches(ds).items() if k is None}


def confirmation_text(confirmation, names: dict) -> str:
    """A confirmation as the provenance shows it: ``李四 2016-01-12 确认：村办企业分红`` (the
    analyst's 确认 workbook), ``乡镇确认：活动室为临时借用`` (the township, in its returned copy's
    退回说明); the 说明 left out when blank."""
    c = confirmation
    note = f"：{c.note}" if c.note else ""
    if _text(c.message):
        return f"乡镇确认{note}"
    who = " ".join(x for x in (c.confirmed_by, c.date) if x)
    return f"{who + ' ' if who else ''}确认{note}（{names.get(c.source_file) or Path(c.source_file).name} 第 {c.source_row} 行）"


def confirmation_texts(issues: pd.DataFrame, obs: pd.DataFrame, confirmations: pd.DataFrame, names: dict,
                       towns: dict) -> pd.Series:
    """For each observation (index of ``obs``), the confirmation that clears its doubtful value
    (:func:`confirmation_text`), or NA: the provenance of a confirmed value."""
    out = pd.Series(pd.NA, index=obs.index, dtype=object)
    if confirmations is None or confirmations.empty:
        return out
    doubtful = _doubtful(issues, obs)
    for d, k in zip(doubtful.itertuples(), match_confirmations(doubtful, confirmations, names, towns)):
        if k is not None:
            out.iat[d.row] = confirmation_text(confirmations.iloc[k], names)
    return out


def stale_confirmations(issues: pd.DataFrame, obs: pd.DataFrame, confirmations: pd.DataFrame, names: dict,
                        towns: dict) -> list[tuple]:
    """One hint (``file, sheet, cell, "warning", "confirmation_stale", message``) for each doubtful
    cell that a confirmation names but whose value has changed since (the analyst's: another
    value; the township's: another issue text): ``已确认的数值已改为 6，需重新确认（…）``, so a
    confirmation that no longer holds is never dropped in silence."""
    from ._values import number_text

    if confirmations is None or confirmations.empty:
        return []
    doubtful = _doubtful(issues, obs)
    out = []
    for d, k in zip(doubtful.itertuples(), match_confirmations(doubtful, confirmations, names, towns)):
        if k is not None:
            continue
        keys = {names.get(d.file, ""), Path(str(d.file)).name, Path(str(d.file)).stem, d.township or ""}
        old = next((c for c in confirmations.itertuples() if c.sheet == d.sheet and c.cell == str(d.cell).upper()
                    and (c.file == str(d.file) if _text(c.message) else c.file in keys or towns.get(c.file) == d.township)),
                   None)
        if old is None:
            continue
        before = "" if _text(old.message) else f"，原确认的是 {number_text(old.value)}"
        where = "退回说明" if _text(old.message) else f"{names.get(old.source_file) or Path(old.source_file).name} 第 {old.source_row} 行"
        out.append((d.file, d.sheet, d.cell, "warning", "confirmation_stale",
                    f"{d.sheet} {d.cell}：已确认的数值已改为 {number_text(d.value)}，需重新确认（{where}{before}）"))
    return out
