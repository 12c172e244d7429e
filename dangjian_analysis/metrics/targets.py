"""Targets: is each unit meeting its catalogue target, and what share of villages does?

The 2014 speech's targets are in the default catalogue: village office funds ≥ 5万元 a
year and village cadre allowance ≥ 2000元, both by 2015.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._frames import observations_of, with_catalog
from ._lookup import catalog_from, need_columns

__all__ = ["target_attainment"]


def target_attainment(data, catalog=None, *, by: str = "unit") -> pd.DataFrame:
    """Attainment of every indicator that has a target.

    ``by="unit"``: per unit, indicator and year — ``value, target, target_year, met, gap``
    with met = x ≥ target (``lower``: x ≤ target) and gap = how far from the target
    (max(target − x, 0); lower: max(x − target, 0)), in the indicator's unit.

    ``by="township"``: per township, village indicator and year — ``villages`` (with a
    value), ``met``, ``share`` = 100 × met / villages; plus a county row (township
    ``全县``).

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, unit_name, level, township, year, indicator, value``).
    catalog : Catalog or path, optional
        Default: the Dataset's (or the one the table carries), else the default catalogue.
    by : {"unit", "township"}
        Or the Chinese word: ``"单位"``, ``"乡镇"`` (:mod:`~dangjian_analysis.catalog.choices`).

    Returns
    -------
    DataFrame
        Carries the catalogue used (``attrs["catalog"]``).

    Examples
    --------
    Office funds of 4, 5 and 6 万元 against the 5 万元 target: two of three villages
    meet it, share 66.7 %; the first has a gap of 1 万元.
    """
    by = choice("attainment_by", by, name="by")
    if not (hasattr(data, "observations") or isinstance(data, pd.DataFrame)):
        raise ValueError(f"需要 Dataset 或观测值表（DataFrame），实际为 {type(data).__name__}")
    cat = catalog_from(catalog, data)
    obs = need_columns(observations_of(data), ["unit_id", "unit_name", "level", "township", "year", "indicator",
                                               "value"], "Dataset 或观测值表")
    ind = cat.indicators.set_index("id")
    with_target = ind[ind["target"].notna() & (ind["direction"] != "monitor")]
    frame = obs[obs["indicator"].isin(with_target.index) & obs["value"].notna()].copy()
    frame["target"] = frame["indicator"].map(with_target["target"])
    frame["target_year"] = frame["indicator"].map(with_target["target_year"]).astype("Int64")
    lower = (frame["indicator"].map(with_target["direction"]) == "lower").to_numpy()
    x, t = frame["value"].to_numpy(float), frame["target"].to_numpy(float)
    frame["met"] = np.where(lower, x <= t, x >= t)
    frame["gap"] = np.where(lower, np.maximum(x - t, 0), np.maximum(t - x, 0))
    if by == "unit":
        cols = ["unit_id", "unit_name", "level", "township", "year", "indicator", "value", "target",
                "target_year", "met", "gap"]
        return with_catalog(frame[cols].sort_values(["year", "indicator", "unit_id"], kind="stable")
                            .reset_index(drop=True), cat)
    village = frame[frame["level"] == "village"]
    per_town = village.groupby(["township", "year", "indicator"], sort=True).agg(
        villages=("met", "size"), met=("met", "sum")).reset_index()
    county = village.groupby(["year", "indicator"], sort=True).agg(
        villages=("met", "size"), met=("met", "sum")).reset_index().assign(township="全县")
    out = pd.concat([per_town, county[per_town.columns]], ignore_index=True)
    out["met"] = out["met"].astype(int)
    out["share"] = 100 * out["met"] / out["villages"]
    out["target"] = out["indicator"].map(with_target["target"])
    out["target_year"] = out["indicator"].map(with_target["target_year"]).astype("Int64")
    return with_catalog(out, cat)
