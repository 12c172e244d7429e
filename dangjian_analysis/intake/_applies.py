"""Private: indicators that apply only where another says so (the catalogue's ``applies_if``).

For an indicator D with ``applies_if = { G = v }`` (G of the same level), per unit-year:

- G has a value other than v: D does not apply. A value of D there is an error at its cell,
  naming G's cell (its address when G is in the same file and sheet, else file, sheet and
  cell) and its value; the value is rejected (the sheet's counts move one cell from accepted
  to rejected) and left out of the observations. A blank D there is no blank: the value
  check's "未填写" warning (and a whole-column one whose cells none apply) is withdrawn.
- G has the value v: D applies; a blank D keeps the value check's "未填写" warning (when D is
  required), which says why it must be filled.
- G has no accepted value: D's value is kept and not questioned (G's own blank or error is
  already reported), and a blank D keeps its warning.

:func:`check_applies` runs in the cross-checks (:func:`~._reading.cross_checks`), once the
duplicates are resolved.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..catalog.clerk_rules import applies_text
from ..catalog.tables import OBSERVATION_COLUMNS
from ._address import row_of
from ._values import number_text as num

__all__ = ["check_applies"]

_UNIT = {"village": "本村", "township": "本乡镇"}
_FILE = OBSERVATION_COLUMNS.index("source_file")


def check_applies(aside, frame: pd.DataFrame, checked: list) -> pd.DataFrame:
    """The observations without the values where their indicator does not apply.

    Parameters
    ----------
    aside : Aside
        The cross-checks' stand-in for the batch (catalogue, observation blocks, issues, counts).
    frame : DataFrame
        One row per unit, year and indicator (:func:`~._crosscheck.resolve_duplicates`).
    checked : list
        The value check's issues, changed in place: the blank warnings at cells where the
        indicator does not apply are withdrawn (``aside.issues`` keeps the same issues first).

    Returns
    -------
    DataFrame
        ``frame`` without the rejected rows (the same object when nothing is rejected).
    """
    ind = aside.catalog.indicators.set_index("id")
    rules = ind["applies_if"].dropna() if "applies_if" in ind else pd.Series(dtype=object)
    if rules.empty or frame.empty:
        return frame
    ucode = pd.factorize(frame["unit_id"])[0].astype(np.int64)
    ycode, years = pd.factorize(frame["year"])
    unit_year = ucode * len(years) + ycode                                      # one integer per unit-year
    indicator = frame["indicator"].to_numpy(dtype=object)
    values = frame["value"].to_numpy(dtype=float)
    units, year_of = frame["unit_id"].to_numpy(dtype=object), frame["year"].to_numpy()
    drop = np.zeros(len(frame), dtype=bool)
    verdicts: dict[str, dict] = {}
    for dep, (gov, value) in rules.items():
        rows_g = np.flatnonzero(indicator == gov)
        first = np.full(int(unit_year.max()) + 1, -1, dtype=np.int64)
        first[unit_year[rows_g[::-1]]] = rows_g[::-1]                           # per unit-year, G's first row
        at = first[unit_year]
        known = at >= 0
        g_value = np.where(known, values[np.maximum(at, 0)], np.nan)
        verdicts[dep] = {(units[g], year_of[g]): float(values[g] == value) for g in first[first >= 0]}
        wrong = np.flatnonzero((indicator == dep) & known & (g_value != value))
        for r in wrong:
            _reject(aside, frame, r, int(at[r]), ind, dep, gov)
        drop[wrong] = True
    _withdraw_blanks(aside, frame, checked, verdicts, ind)
    return frame[~drop].reset_index(drop=True) if drop.any() else frame


def _reject(aside, frame: pd.DataFrame, r: int, g: int, ind: pd.DataFrame, dep: str, gov: str) -> None:
    """The error at D's cell (row ``r``) naming G's cell (row ``g``); the counts moved."""
    row, grow = frame.iloc[r], frame.iloc[g]
    if grow["source_file"] == row["source_file"]:
        place = grow["source_cell"] if grow["source_sheet"] == row["source_sheet"] else \
            f"{grow['source_sheet']} {grow['source_cell']}"
    else:
        place = f"{aside.shown(grow['source_file'])} {grow['source_sheet']} {grow['source_cell']}".strip()
    name = ind.at[dep, "name"]
    who = _UNIT.get(ind.at[dep, "level"], "本单位")
    aside.issue(row["source_file"], row["source_sheet"], row["source_cell"], "error", "not_applicable",
                f"{name}：{who}「{ind.at[gov, 'name']}」填 {num(grow['value'])}（{place}），"
                f"本项{applies_text(aside.catalog, dep)}；请删除此值")
    count = aside.sheet_count(_file_index(aside, row["source_file"]), row["source_sheet"])
    count["cells_accepted"] -= 1
    count["cells_rejected"] += 1


def _file_index(aside, file) -> int:
    """The file number of ``file`` in the observation blocks (their last array)."""
    for block in aside.obs:
        hit = np.flatnonzero(np.asarray(block[_FILE]) == file)
        if hit.size:
            return int(block[-1][hit[0]])
    raise KeyError(file)


def _withdraw_blanks(aside, frame: pd.DataFrame, checked: list, verdicts: dict, ind: pd.DataFrame) -> None:
    """Withdraw the blank warnings of the value check at cells where their indicator does not
    apply; a whole-column warning becomes one warning per cell that applies (or may apply).
    ``verdicts``: per dependent indicator, (unit_id, year) → 1.0 where it applies, 0.0 where not."""
    names = {ind.at[dep, "name"]: dep for dep in verdicts}
    mine = {k for k, issue in enumerate(checked) if issue[4] in ("empty_value", "empty_column")
            and issue[5].split("：", 1)[0] in names}
    if not mine:
        return
    # a row of a sheet is one unit-year: the rows of the governing indicators are enough to know them
    near = frame[frame["indicator"].isin({gov for gov, _ in ind.loc[list(verdicts), "applies_if"]} | set(verdicts))]
    rows = {(f, s, row_of(c)): (u, y) for f, s, c, u, y in
            zip(near["source_file"], near["source_sheet"], near["source_cell"], near["unit_id"], near["year"])}
    out = []
    for k, issue in enumerate(checked):
        if k not in mine:
            out.append(issue)
            continue
        file, sheet, cell, severity, code, message = issue
        dep = names[message.split("：", 1)[0]]
        if code == "empty_value":
            if _applies(verdicts[dep], rows.get((file, sheet, row_of(cell)))) is not False:
                out.append(issue)
            continue
        first, last = cell.split(":")
        column = re.match(r"\$?([A-Z]{1,3})", first)
        span = range(row_of(first), row_of(last) + 1)
        keep = [r for r in span if _applies(verdicts[dep], rows.get((file, sheet, r))) is not False]
        if len(keep) == len(span):
            out.append(issue)
            continue
        for r in keep:
            address = f"{column.group(1)}{r}" if column else first.replace(f"第{row_of(first)}行", f"第{r}行")
            out.append((file, sheet, address, severity, "empty_value", f"{ind.at[dep, 'name']}：未填写"))
    aside.issues[:aside.start] = out
    aside.start = len(out)
    checked[:] = out


def _applies(verdict: dict, unit_year) -> bool | None:
    """Whether the indicator applies at ``unit_year`` (``verdict``: unit-year → 1.0, 0.0 or NaN):
    True, False, or None when not known."""
    value = verdict.get(unit_year) if unit_year is not None else None
    return None if value is None or np.isnan(value) else bool(value)
