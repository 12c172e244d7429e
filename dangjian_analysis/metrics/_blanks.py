"""Private: the blanks of village → township aggregation (不报不得分 across villages).

Which villages a township-year owes values for, and which required village values are blank:

- **The roster.** A township-year *reported* when any of its villages has a value that year (its
  village sheet came in; township figures alone, e.g. from the county workbook, do not make its
  villages due). Every village of the catalogue's roster of that year is then expected
  (:meth:`~dangjian_analysis.catalog.Catalog.villages_in`: renames, merges and splits as the
  catalogue records them; a village merged away is no longer expected). A roster village
  without any value — left wholly blank, or its row rejected at intake (an unknown name, say) —
  is an **absent village** (:func:`absent_villages`). A township that did not report at all is
  not here: it is absent from the year, which is the roll's business, not a blank.
- **The blanks** (:func:`blanks_of`, under either missing rule): a required, scored village
  indicator without a value in a village-year — an absent village's included — where another
  village of the township reported it that year. An indicator with ``applies_if = { G = v }``
  is a blank exactly where it applies; where G itself is a blank, under ``"zero"`` G is taken at
  its worst value (:func:`worst_values`, e.g. 列为软弱涣散 = 1) and the indicator applies if that
  is v — so a wholly blank village is treated as 软弱涣散 and not turned around, never as 不适用;
  under ``"renormalise"`` nothing is assumed of G, so only G is a blank there. The rule decides how
  a blank enters the township's value, not whether it is one: it always counts in
  ``missing_required``, the coverage and the 待核实 reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._applies import applies_matrix, conditional

__all__ = ["absent_villages", "blanks_of", "worst_values", "pair_codes", "BLANK_COLUMNS"]

#: Columns of :func:`blanks_of` (``whole``: the village has no value at all that year).
BLANK_COLUMNS = ["township", "year", "village", "unit_id", "indicator", "whole"]


def absent_villages(obs: pd.DataFrame, village_rows: np.ndarray, has: np.ndarray, cat) -> pd.DataFrame:
    """The roster villages without any value in a township-year that reported.

    Parameters
    ----------
    obs : DataFrame
        Observations.
    village_rows, has : ndarray of bool
        Per row of ``obs``: a village row; a row with a value.
    cat : Catalog

    Returns
    -------
    DataFrame
        ``township, year, village, unit_id`` — ``village`` the name valid that year — in
        township, year and catalogue order; empty when every roster village has a value.
    """
    cols = ["township", "year", "village", "unit_id"]
    rows = village_rows & has
    if not rows.any():
        return pd.DataFrame(columns=cols)
    town = obs["township"].to_numpy(dtype=object)[rows]
    year = obs["year"].to_numpy()[rows].astype(np.int64)
    unit = obs["unit_id"].to_numpy(dtype=object)[rows]
    seen = set(zip(unit, year))
    out = []
    for y in np.unique(year):
        reported = set(town[year == y])
        roster = cat.villages_in(int(y))
        for t, u, name in zip(roster["township"], roster["unit_id"], roster["name_in_year"]):
            if t in reported and (u, int(y)) not in seen:
                out.append((t, int(y), name, u))
    return pd.DataFrame(out, columns=cols).sort_values(["township", "year"], kind="stable", ignore_index=True)


def worst_values(ind: pd.DataFrame) -> np.ndarray:
    """Per indicator (``ind`` indexed by id), the worst value a village can report: for
    ``lower`` the valid range's upper end, else (no upper limit) the plausible range's, never
    below the goalpost ``hi``; otherwise the valid range's lower end, never above ``lo``. NaN
    where neither the ranges nor the goalposts say."""
    lo, hi = ind["lo"].to_numpy(dtype=float), ind["hi"].to_numpy(dtype=float)
    valid_lo = ind["valid_lo"].to_numpy(dtype=float)
    low = np.where(np.isfinite(valid_lo), np.fmin(valid_lo, lo), lo)
    top = ind["valid_hi"].to_numpy(dtype=float)
    top = np.where(np.isfinite(top), top, ind["plausible_hi"].to_numpy(dtype=float))
    high = np.where(np.isfinite(top), np.fmax(top, hi), hi)
    return np.where((ind["direction"] == "lower").to_numpy(), high, low)


def blanks_of(obs: pd.DataFrame, keep: np.ndarray, code: np.ndarray, ind: pd.DataFrame, rule: str,
              absent: pd.DataFrame) -> pd.DataFrame:
    """The blanks (see the module's docstring): :data:`BLANK_COLUMNS`, one row per village-year
    and indicator, under either ``rule`` (``"zero"`` also takes a blank governing value at its worst).

    Parameters
    ----------
    obs : DataFrame
        Observations; ``keep`` marks the village values aggregated, ``code`` each row's
        indicator position in ``ind`` (the catalogue's indicators indexed by id).
    absent : DataFrame
        :func:`absent_villages`: village-years with no value, each owing every due indicator.
    """
    required = ((ind["level"] == "village") & (ind["direction"] != "monitor") & ind["required"].astype(bool)).to_numpy()
    if not required.any() or not (keep.any() or len(absent)):
        return pd.DataFrame(columns=BLANK_COLUMNS)
    rows = obs[keep]
    unit_year = pair_codes(rows["unit_id"], rows["year"])
    _, at = np.unique(unit_year, return_index=True)             # first row of each village-year
    town = np.concatenate([rows["township"].to_numpy(dtype=object)[at], absent["township"].to_numpy(dtype=object)])
    year = np.concatenate([rows["year"].to_numpy().astype(np.int64)[at], absent["year"].to_numpy(dtype=np.int64)])
    village = np.concatenate([rows["unit_name"].to_numpy(dtype=object)[at], absent["village"].to_numpy(dtype=object)])
    unit = np.concatenate([rows["unit_id"].to_numpy(dtype=object)[at], absent["unit_id"].to_numpy(dtype=object)])
    n_vy = len(town)
    seen = np.zeros((n_vy, len(ind)), dtype=bool)
    seen[unit_year, code[keep]] = True
    town_year = pair_codes(pd.Series(town), pd.Series(year))
    order = np.argsort(town_year, kind="stable")               # some village of the township reported it:
    starts = np.flatnonzero(np.r_[True, np.diff(town_year[order]) != 0])      # an OR over each township-year
    by_town = np.logical_or.reduceat(seen[order], starts, axis=0)
    due = by_town[np.searchsorted(town_year[order][starts], town_year)]
    rules = conditional(ind)
    if len(rules):       # an indicator with applies_if: due exactly where it applies
        applies = applies_matrix(unit_year, n_vy, code[keep], rows["value"].to_numpy(dtype=float), ind)
        worst = worst_values(ind)
        for dep, (gov, v) in rules.items():
            g, d = ind.index.get_loc(gov), ind.index.get_loc(dep)
            g_blank = required[g] & ~seen[:, g] & due[:, g]       # the governing value is itself a blank
            if rule == "zero":        # renormalise assumes nothing of a blank G: the dependant is not due
                applies[:, d] = np.where(np.isnan(applies[:, d]) & g_blank, float(worst[g] == v), applies[:, d])
            due[:, d] = applies[:, d] == 1
    vy, ic = np.nonzero(~seen[:, required] & due[:, required])
    return pd.DataFrame({"township": town[vy], "year": year[vy], "village": village[vy], "unit_id": unit[vy],
                         "indicator": ind.index.to_numpy(dtype=object)[np.flatnonzero(required)[ic]],
                         "whole": vy >= len(at)}, columns=BLANK_COLUMNS)


def pair_codes(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Codes 0 … k − 1 of the pairs (a, b), in order of first appearance (integer keys: a
    MultiIndex would build a tuple per row)."""
    ca, cb = pd.factorize(a)[0].astype(np.int64), pd.factorize(b)[0].astype(np.int64)
    return pd.factorize(ca * (cb.max(initial=0) + 1) + cb)[0]
