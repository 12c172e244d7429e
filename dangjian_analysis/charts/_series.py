"""Private helpers of the charts over the years: an indicator's series per township, and the
township-years marked provisional (待核实) that those charts mark with ``*``."""

from __future__ import annotations

import warnings

import pandas as pd

from ..metrics._frames import observations_of
from ..metrics._lookup import catalog_from, indicator_of, need_columns

__all__ = ["trend_values", "indicator_data", "year_marks"]


def trend_values(data, indicator: str, catalog=None) -> pd.DataFrame:
    """Per township and year, the township value of an indicator or the mean over its
    villages (``unit_name, year, value``) — what :func:`plot_trends` draws.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations.
    indicator : str
        Indicator id or Chinese name (or alias).
    catalog : Catalog or path, optional

    Returns
    -------
    DataFrame
        ``unit_name, year, value``, carrying the catalogue.
    """
    cat, obs, indicator = indicator_data(data, indicator, catalog)
    obs = obs[obs["indicator"] == indicator]
    out = obs.groupby(["township", "year"], sort=True)["value"].mean().reset_index() \
        .rename(columns={"township": "unit_name"})
    out.attrs["catalog"] = cat
    return out


def indicator_data(data, indicator, catalog):
    """(catalogue, observations, indicator id) — the indicator resolved by id or name and
    present in the data, else a Chinese ValueError."""
    if not (hasattr(data, "observations") or isinstance(data, pd.DataFrame)):
        raise ValueError(f"需要 Dataset 或观测值表（DataFrame），实际为 {type(data).__name__}")
    cat = catalog_from(catalog, data)
    obs = need_columns(observations_of(data), ["township", "year", "indicator", "value"], "Dataset 或观测值表")
    return cat, obs, indicator_of(cat, indicator, obs.loc[obs["value"].notna(), "indicator"].unique())


def year_marks(data, catalog, marks=None) -> dict:
    """``(township, year) → reason`` for the township-years marked provisional.

    Taken from ``marks`` (a table with ``provisional``, such as the output of
    :func:`~dangjian_analysis.score_composite`; its ``overall`` rows when it has groups), else
    from the ``provisional`` column of the observations when they have one, else — for a
    Dataset — from :func:`~dangjian_analysis.score_composite` of the same data, so that these
    charts mark the same township-years as the ranking. Empty when nothing is provisional.
    """
    from ._base import provisional_notes

    if marks is None:
        frame = observations_of(data)
        if "provisional" not in frame.columns and hasattr(data, "observations"):
            from ..metrics.composite import score_composite

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                marks = score_composite(data, catalog)
        else:
            marks = frame
    if not isinstance(marks, pd.DataFrame):
        raise ValueError(f"marks 应为含 provisional 列的表（如 score_composite 的输出），实际为 {type(marks).__name__}")
    if "group" in marks.columns:
        marks = marks[marks["group"] == "overall"]
    key = "township" if "township" in marks.columns else "unit_name"
    if "provisional" in marks.columns:
        need_columns(marks, [key, "year"], "含 provisional 列的表（如 score_composite 的输出）")
    return provisional_notes(marks, by=(key, "year"))
