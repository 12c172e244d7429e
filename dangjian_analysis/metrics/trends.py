"""Year to year: changes, growth rates, the most improved, grade transitions (晋位升级).

These functions take the tidy outputs of :func:`~dangjian_analysis.score_composite`
(or any frame with ``unit_id, year`` and a value column) and return new frames.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["year_over_year", "growth", "most_improved", "grade_transitions", "Transitions"]


def _by(frame: pd.DataFrame, by) -> list[str]:
    if by is None:
        by = [c for c in ("group", "indicator") if c in frame.columns]
    return ["unit_id", *([by] if isinstance(by, str) else list(by))]


def year_over_year(data: pd.DataFrame, *, value: str = "score", by=None) -> pd.DataFrame:
    """Change from the previous year with data, per unit (and group or indicator).

    change = x_t − x_prev; pct_change = 100 × (x_t − x_prev) / |x_prev| (empty when
    x_prev = 0).

    Returns
    -------
    DataFrame
        The input's key columns, ``year, value, previous_year, previous, change, pct_change``.
    """
    keys = _by(data, by)
    extra = [c for c in ("unit_name", "township") if c in data.columns and c not in keys]
    frame = data[[*keys, *extra, "year", value]].rename(columns={value: "value"})
    frame = frame.dropna(subset=["value"]).sort_values([*keys, "year"], kind="stable")
    grouped = frame.groupby(keys, sort=False)
    frame["previous_year"] = grouped["year"].shift(1).astype("Int64")
    frame["previous"] = grouped["value"].shift(1)
    frame["change"] = frame["value"] - frame["previous"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * frame["change"] / frame["previous"].abs()
    frame["pct_change"] = pct.where(frame["previous"] != 0)
    return frame.reset_index(drop=True)


def growth(data: pd.DataFrame, *, value: str = "value", by=None) -> pd.DataFrame:
    """Growth between the first and last year with data, per unit (and indicator).

    CAGR = (x_last / x_first)^(1 / (t_last − t_first)) − 1 (empty unless both are
    positive and the years differ); ``slope`` = the OLS slope of x on year (units per
    year); ``pct_per_year`` = 100 × CAGR.

    Returns
    -------
    DataFrame
        Keys, ``first_year, last_year, first, last, cagr, pct_per_year, slope, n_years``.
    """
    keys = _by(data, by)
    extra = [c for c in ("unit_name", "township") if c in data.columns and c not in keys]
    frame = data[[*keys, *extra, "year", value]].dropna(subset=[value]).sort_values([*keys, "year"])
    rows = []
    for key, g in frame.groupby(keys, sort=True):
        t, x = g["year"].to_numpy(dtype=float), g[value].to_numpy(dtype=float)
        span = t[-1] - t[0]
        with np.errstate(over="ignore", divide="ignore"):
            cagr = (x[-1] / x[0]) ** (1 / span) - 1 if span > 0 and x[0] > 0 and x[-1] > 0 else np.nan
        cagr = cagr if np.isfinite(cagr) else np.nan
        slope = np.polyfit(t, x, 1)[0] if len(t) > 1 else np.nan
        rows.append({**dict(zip(keys, key if isinstance(key, tuple) else (key,))),
                     **{c: g[c].iloc[0] for c in extra},
                     "first_year": int(t[0]), "last_year": int(t[-1]), "first": x[0], "last": x[-1],
                     "cagr": cagr, "pct_per_year": 100 * cagr, "slope": slope, "n_years": len(t)})
    return pd.DataFrame(rows)


def most_improved(scores: pd.DataFrame, from_year: int | None = None, to_year: int | None = None, *,
                  group: str = "overall", n: int | None = 3) -> pd.DataFrame:
    """The units whose score rose most between two years (default: first and last).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, score_from, score_to, change, rank_from, rank_to,
        rank_change`` (positive = moved up), sorted by ``change``, the top ``n``
        (all with ``n=None``).
    """
    frame = scores[scores["group"] == group] if "group" in scores.columns else scores
    from_year = int(frame["year"].min()) if from_year is None else from_year
    to_year = int(frame["year"].max()) if to_year is None else to_year
    cols = ["unit_id", "unit_name", "score", "rank"]
    a = frame.loc[frame["year"] == from_year, cols]
    b = frame.loc[frame["year"] == to_year, cols]
    both = a.merge(b, on=["unit_id", "unit_name"], suffixes=("_from", "_to"))
    both["change"] = both["score_to"] - both["score_from"]
    both["rank_change"] = both["rank_from"] - both["rank_to"]
    both = both.sort_values(["change", "unit_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    both.insert(2, "from_year", from_year)
    both.insert(3, "to_year", to_year)
    return both if n is None else both.head(n)


class Transitions(NamedTuple):
    """Grade transitions between two years."""

    matrix: pd.DataFrame    #: counts, rows = grade in from_year, columns = grade in to_year
    counts: pd.Series       #: up (晋位升级), same, down
    units: pd.DataFrame     #: per unit: grade_from, grade_to, move (up/same/down)


def grade_transitions(scores: pd.DataFrame, from_year: int, to_year: int, *, group: str = "overall",
                      grades=None) -> Transitions:
    """The grade-transition matrix (晋位升级) of units graded in both years.

    ``grades`` lists the grades best first (default: those of the default catalogue,
    好 较好 一般 差). A move ``up`` is a better grade in ``to_year``.
    """
    if grades is None:
        from ..catalog import load_catalog

        grades = list(load_catalog().grade_bands["grade"])
    order = {g: i for i, g in enumerate(grades)}
    frame = scores[scores["group"] == group] if "group" in scores.columns else scores
    a = frame.loc[frame["year"] == from_year, ["unit_id", "unit_name", "grade"]]
    b = frame.loc[frame["year"] == to_year, ["unit_id", "grade"]]
    units = a.merge(b, on="unit_id", suffixes=("_from", "_to")).dropna(subset=["grade_from", "grade_to"])
    step = units["grade_from"].map(order) - units["grade_to"].map(order)
    units["move"] = np.select([step > 0, step < 0], ["up", "down"], "same")
    matrix = pd.crosstab(pd.Categorical(units["grade_from"], grades), pd.Categorical(units["grade_to"], grades),
                         dropna=False)
    matrix.index.name, matrix.columns.name = f"{from_year}年等次", f"{to_year}年等次"
    counts = units["move"].value_counts().reindex(["up", "same", "down"], fill_value=0)
    return Transitions(matrix, counts, units.reset_index(drop=True))
