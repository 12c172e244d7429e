"""Private: where an indicator applies (the catalogue's ``applies_if``), for scoring.

An indicator D with ``applies_if = (G, v)`` applies to a unit-year where G's value is v, does
not apply where G has another value (不适用: not a blank, not 缺报), and is unknown where G has no
value. :func:`applies_matrix` gives this per unit-year and indicator; every other indicator
applies everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["applies_matrix", "conditional", "due_matrix"]


def conditional(ind: pd.DataFrame) -> pd.Series:
    """The ``applies_if`` pairs ``(G, v)`` of the indicators that have one, by id (``ind``
    indexed by id); empty for a catalogue without the column."""
    if "applies_if" not in ind:
        return pd.Series(dtype=object)
    return ind["applies_if"].dropna()


def applies_matrix(unit_year: np.ndarray, n_unit_years: int, icode: np.ndarray, value: np.ndarray,
                   ind: pd.DataFrame) -> np.ndarray:
    """Per unit-year and indicator (columns in ``ind``'s order): 1.0 applies, 0.0 does not,
    NaN unknown (the governing value missing).

    Parameters
    ----------
    unit_year : ndarray of int
        The unit-year code (0 … n_unit_years − 1) of each observation.
    icode : ndarray of int
        The position of each observation's indicator in ``ind`` (−1: not in the catalogue).
    value : ndarray of float
        The observations' values (NaN: none).
    ind : DataFrame
        The catalogue's indicators indexed by id.

    Examples
    --------
    Two villages, ``weak_turned`` applies if ``weak_listed = 1``: the listed one (1) gives 1.0,
    the other (0) 0.0, a third with no ``weak_listed`` NaN.
    """
    out = np.ones((n_unit_years, len(ind)))
    rules = conditional(ind)
    for dep, (gov, v) in rules.items():
        g = ind.index.get_loc(gov)
        rows = (icode == g) & ~np.isnan(value)
        governing = np.full(n_unit_years, np.nan)
        governing[unit_year[rows]] = value[rows]
        out[:, ind.index.get_loc(dep)] = np.where(np.isnan(governing), np.nan, governing == v)
    return out


def due_matrix(frame: pd.DataFrame, unit_year: np.ndarray, n_unit_years: int, required: pd.DataFrame,
               catalog, level: str, worst: dict | None = None) -> np.ndarray:
    """Per unit-year of ``frame`` (scores at ``level``) and indicator of ``required``: whether a
    missing value counts as missing. Every indicator is due, except one with ``applies_if``:
    due where it applies (its governing value, in ``frame``, is the one named); a village
    indicator with ``applies_if`` is never due at township level (its villages' blanks are in
    the township's value already, see :func:`~dangjian_analysis.aggregate_villages`).

    ``worst`` (governing id → its worst value; given under ``missing = "zero"``): where the
    governing value is missing and the governing indicator is itself required, it is taken at
    its worst value — a village that left 列为软弱涣散 blank (or reported nothing) counts as
    listed, so 当年整顿转化 is due, as in the township's aggregate. Without ``worst`` a missing
    governing value makes the indicator not due."""
    ind = catalog.indicators.set_index("id")
    due = np.ones((n_unit_years, len(required)), dtype=bool)
    rules = conditional(ind)
    hit = required["id"].isin(rules.index).to_numpy()
    if not hit.any():
        return due
    icode = pd.Index(ind.index).get_indexer(frame["indicator"])
    applies = applies_matrix(unit_year, n_unit_years, icode, frame["value"].to_numpy(dtype=float), ind)
    for j in np.flatnonzero(hit):
        dep = required["id"].iloc[j]
        below = ind.at[dep, "level"] == "village" and level == "township"
        a = applies[:, ind.index.get_loc(dep)]
        gov, v = rules[dep]
        if worst is not None and gov in worst and gov in set(required["id"]):
            a = np.where(np.isnan(a), float(worst[gov] == v), a)
        due[:, j] = False if below else a == 1
    return due
