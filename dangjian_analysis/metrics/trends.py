"""Year to year: changes, growth rates, the most improved, grade transitions (晋位升级).

These functions take the tidy outputs of :func:`~dangjian_analysis.score_composite`
(or any frame with ``unit_id, year`` and a value column) and return new frames that carry
the input's catalogue (``attrs["catalog"]``). A year, group or column that is not in the
input is a Chinese ``ValueError`` listing what is there. When the input marks provisional
township-years (column ``provisional``), the output says which results rest on them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._frames import flags, settle, with_catalog
from ._lookup import carried_catalog, catalog_from, group_of, need_columns, shown, year_of, year_order

__all__ = ["year_over_year", "growth", "most_improved", "grade_transitions", "Transitions", "moves_by_township"]

_SCORES = "score_composite 的输出（列 unit_id, unit_name, year, group, score, rank, grade）"


def _by(frame: pd.DataFrame, by, value: str) -> list[str]:
    """The key columns (``unit_id`` plus ``by``), all checked to be in ``frame`` with ``value``."""
    if by is None:
        by = [c for c in ("group", "indicator") if c in frame.columns]
    keys = ["unit_id", *([by] if isinstance(by, str) else list(by))]
    need_columns(frame, [*keys, "year", value], f"含 unit_id、year 和数值列 {value} 的表")
    if not pd.api.types.is_numeric_dtype(frame[value]):
        raise ValueError(f"列 {value} 应为数值，实际为 {frame[value].dtype}")
    return keys


def _passed_on(result: pd.DataFrame, data) -> pd.DataFrame:
    """``result`` carrying the catalogue ``data`` carries, if any (these functions compute without one)."""
    cat = carried_catalog(data)
    return result if cat is None else with_catalog(result, cat)


def _provisional(frame: pd.DataFrame) -> pd.Series:
    return flags(frame["provisional"])


def year_over_year(data: pd.DataFrame, *, value: str = "score", by=None) -> pd.DataFrame:
    """Change from the previous year with data, per unit (and group or indicator).

    change = x_t − x_prev; pct_change = 100 × (x_t − x_prev) / |x_prev| (empty when
    x_prev = 0).

    Parameters
    ----------
    data : DataFrame
        ``unit_id, year`` and the ``value`` column (plus the ``by`` columns).
    value : str
        The column to compare (default ``score``).
    by : str or list of str, optional
        Key columns besides ``unit_id`` (default: ``group`` and/or ``indicator`` if present).

    Returns
    -------
    DataFrame
        The input's key columns, ``year, value, previous_year, previous, change, pct_change``
        (plus ``provisional`` — this year or the previous one provisional — when the input
        has it).

    Examples
    --------
    100 → 110 → 121 gives changes 10 and 11, both +10 %.
    """
    keys = _by(data, by, value)
    extra = [c for c in ("unit_name", "township", "provisional") if c in data.columns and c not in keys]
    frame = data[[*keys, *extra, "year", value]].rename(columns={value: "value"})
    frame = frame.dropna(subset=["value"]).sort_values([*keys, "year"], kind="stable")
    grouped = frame.groupby(keys, sort=False)
    frame["previous_year"] = grouped["year"].shift(1).astype("Int64")
    frame["previous"] = grouped["value"].shift(1)
    frame["change"] = frame["value"] - frame["previous"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100 * frame["change"] / frame["previous"].abs()
    frame["pct_change"] = pct.where(frame["previous"] != 0)
    if "provisional" in extra:
        now = _provisional(frame)
        before = flags(now.groupby([frame[k] for k in keys], sort=False).shift(1))
        frame["provisional"] = now | before
    return _passed_on(frame.reset_index(drop=True), data)


def growth(data: pd.DataFrame, *, value: str = "value", by=None) -> pd.DataFrame:
    """Growth between the first and last year with data, per unit (and indicator).

    CAGR = (x_last / x_first)^(1 / (t_last − t_first)) − 1 (empty unless both are
    positive and the years differ); ``slope`` = the OLS slope of x on year (units per
    year); ``pct_per_year`` = 100 × CAGR.

    Parameters
    ----------
    data : DataFrame
        ``unit_id, year`` and the ``value`` column (plus the ``by`` columns).

    Returns
    -------
    DataFrame
        Keys, ``first_year, last_year, first, last, cagr, pct_per_year, slope, n_years``
        (plus ``provisional`` — any year used provisional — when the input has it).

    Examples
    --------
    100 in 2012 and 121 in 2015: CAGR = 1.21^(1/3) − 1 ≈ 6.6 % a year.
    """
    keys = _by(data, by, value)
    extra = [c for c in ("unit_name", "township") if c in data.columns and c not in keys]
    flag = ["provisional"] if "provisional" in data.columns and "provisional" not in keys else []
    frame = data[[*keys, *extra, *flag, "year", value]].dropna(subset=[value]).sort_values([*keys, "year"])
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
                     "cagr": cagr, "pct_per_year": 100 * cagr, "slope": slope, "n_years": len(t),
                     **({"provisional": bool(_provisional(g).any())} if flag else {})})
    return _passed_on(pd.DataFrame(rows), data)


def most_improved(scores: pd.DataFrame, from_year: int | None = None, to_year: int | None = None, *,
                  group: str = "overall", n: int | None = 3) -> pd.DataFrame:
    """The units whose score rose most between two years (default: first and last).

    change = score_to − score_from; rank_change = rank_from − rank_to (positive = moved
    up); sorted by change (scores rounded to 9 decimals, ties by ``unit_id``).

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    from_year, to_year : int, optional
        Years in ``scores`` (default: the first and the last).
    group : str
        Group id or Chinese name, or ``overall`` / 综合指数.
    n : int or None
        How many to return (all with ``None``).

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, from_year, to_year, score_from, score_to, change, rank_from,
        rank_to, rank_change`` (plus ``provisional`` — either year provisional — when the
        scores have it).

    Examples
    --------
    甲 55 → 82 and 乙 70 → 75: 甲 first (+27), then 乙 (+5).
    """
    need_columns(scores, ["unit_id", "unit_name", "year", "score", "rank"], _SCORES)
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0):
        raise ValueError(f"n 应为非负整数或 None，实际为 {n!r}")
    cat = catalog_from(None, scores)
    frame = scores
    if "group" in scores.columns:
        frame = scores[scores["group"] == group_of(cat, group, scores["group"].unique())]
    years = sorted({int(y) for y in frame["year"].dropna()})
    year_order(from_year, to_year)
    from_year = year_of(frame, years[0] if from_year is None and years else from_year)
    to_year = year_of(frame, to_year)
    year_order(from_year, to_year)
    cols = ["unit_id", "unit_name", "score", "rank", *(["provisional"] if "provisional" in frame.columns else [])]
    a = frame.loc[frame["year"] == from_year, cols]
    b = frame.loc[frame["year"] == to_year, cols]
    both = a.merge(b, on=["unit_id", "unit_name"], suffixes=("_from", "_to"))
    both["change"] = both["score_to"] - both["score_from"]
    both["rank_change"] = both["rank_from"] - both["rank_to"]
    if "provisional" in frame.columns:
        both["provisional"] = flags(both.pop("provisional_from")) | flags(both.pop("provisional_to"))
    both = both.assign(_settled=settle(both["change"])).sort_values(
        ["_settled", "unit_id"], ascending=[False, True], kind="stable").drop(columns="_settled").reset_index(drop=True)
    both.insert(2, "from_year", from_year)
    both.insert(3, "to_year", to_year)
    return with_catalog(both if n is None else both.head(n), cat)


class Transitions(NamedTuple):
    """Grade transitions between two years."""

    matrix: pd.DataFrame    #: counts, rows = grade in from_year, columns = grade in to_year
    counts: pd.Series       #: up (晋位升级), same, down
    units: pd.DataFrame     #: per unit: grade_from, grade_to, move (up/same/down)


def grade_transitions(scores: pd.DataFrame, from_year: int, to_year: int, *, group: str = "overall",
                      grades=None, catalog=None) -> Transitions:
    """The grade-transition matrix (晋位升级) of units graded in both years.

    A move ``up`` is a better grade in ``to_year`` (earlier in ``grades``), ``down`` a
    worse one.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.score_composite`.
    from_year, to_year : int
        Years in ``scores``.
    group : str
        Group id or Chinese name, or ``overall`` / 综合指数.
    grades : list of str, optional
        The grades best first. Default: the bands of the catalogue given, else of the one
        the scores table carries (e.g. 优秀 良好 一般 较差 for a county that renamed them),
        else of the default catalogue (好 较好 一般 差).
    catalog : Catalog or path, optional

    Returns
    -------
    Transitions
        ``matrix``, ``counts`` and ``units`` (per unit ``grade_from, grade_to, move``, plus
        ``provisional`` — either year provisional — when the scores have it); the frames
        carry the catalogue.

    Raises
    ------
    ValueError
        In Chinese: ``from_year`` later than ``to_year``, a year or group not in ``scores``, no grades in a year (``zscore``
        scores are not graded), or a grade in ``scores`` that is not in ``grades`` (the
        scores were graded with another catalogue).

    Examples
    --------
    差 in 2014 and 较好 in 2015 is one move up.
    """
    need_columns(scores, ["unit_id", "unit_name", "year", "grade"], _SCORES)
    year_order(from_year, to_year)
    cat = catalog_from(catalog, scores)
    grades = list(cat.grade_bands["grade"]) if grades is None else list(grades)
    order = {g: i for i, g in enumerate(grades)}
    frame = scores
    if "group" in scores.columns:
        frame = scores[scores["group"] == group_of(cat, group, scores["group"].unique())]
    from_year, to_year = year_of(frame, from_year), year_of(frame, to_year)
    for year in (from_year, to_year):
        present = frame.loc[frame["year"] == year, "grade"].dropna()
        if present.empty:
            raise ValueError(f"{year} 年度没有等次（标准分 zscore 不分等次），无法计算晋位升级")
        unknown = sorted(set(present) - set(order))
        if unknown:
            raise ValueError(f"{year} 年度的等次 {shown(unknown)} 不在等次列表（{shown(grades)}）中："
                             "成绩是否按另一个指标体系评定？")
    extra = ["provisional"] if "provisional" in frame.columns else []
    a = frame.loc[frame["year"] == from_year, ["unit_id", "unit_name", "grade", *extra]]
    b = frame.loc[frame["year"] == to_year, ["unit_id", "grade", *extra]]
    units = a.merge(b, on="unit_id", suffixes=("_from", "_to")).dropna(subset=["grade_from", "grade_to"])
    step = units["grade_from"].map(order) - units["grade_to"].map(order)
    units["move"] = np.select([step > 0, step < 0], ["up", "down"], "same")
    if extra:
        units["provisional"] = flags(units.pop("provisional_from")) | flags(units.pop("provisional_to"))
    matrix = pd.crosstab(pd.Categorical(units["grade_from"], grades), pd.Categorical(units["grade_to"], grades),
                         dropna=False)
    matrix.index.name, matrix.columns.name = f"{from_year}年等次", f"{to_year}年等次"
    counts = units["move"].value_counts().reindex(["up", "same", "down"], fill_value=0)
    return Transitions(with_catalog(matrix, cat), counts, with_catalog(units.reset_index(drop=True), cat))


def moves_by_township(scores: pd.DataFrame, from_year: int, to_year: int, *, grades=None,
                      catalog=None) -> pd.DataFrame:
    """Village grade moves (晋位升级) between two years, counted per township.

    Parameters
    ----------
    scores : DataFrame
        ``score_composite(..., level="village")`` output (with a ``township`` column).
    from_year, to_year : int
    grades, catalog
        As in :func:`grade_transitions`.

    Returns
    -------
    DataFrame
        One row per township in catalogue order: ``township, villages`` (graded in both
        years), ``up, same, down`` (counts) and ``up_units, down_units`` (village names
        joined with 、).
    """
    need_columns(scores, ["unit_id", "township"], "score_composite(level=\"village\") 的输出")
    year_order(from_year, to_year)
    cat = catalog_from(catalog, scores)
    units = grade_transitions(scores, from_year, to_year, grades=grades, catalog=cat).units
    town = scores.drop_duplicates("unit_id").set_index("unit_id")["township"]
    units = units.assign(township=units["unit_id"].map(town))
    counts = pd.crosstab(units["township"], units["move"]).reindex(columns=["up", "same", "down"], fill_value=0)
    order = [t for t in cat.townships["unit_name"] if t in counts.index]
    out = counts.reindex(order).reset_index()
    out.insert(1, "villages", out[["up", "same", "down"]].sum(axis=1))
    for move in ("up", "down"):
        names = units[units["move"] == move].groupby("township")["unit_name"].agg("、".join)
        out[f"{move}_units"] = [names.get(t, "") for t in out["township"]]     # "" where none moved
    out.columns.name = None
    return with_catalog(out, cat)
