"""Targets: is each unit meeting its catalogue target, and what share of villages does?

The 2014 speech's targets are in the default catalogue: village office funds ≥ 5万元 a
year and village cadre allowance ≥ 2000元, both by 2015.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._coverage import blank_reasons
from ._frames import Carried, observations_of, with_catalog
from ._lookup import catalog_from, need_columns

__all__ = ["target_attainment"]


def target_attainment(data, catalog=None, *, by: str = "unit", missing: str | None = None) -> pd.DataFrame:
    """Attainment of every indicator that has a target.

    ``by="unit"``: per unit, indicator and year — ``value, target, target_year, met, gap``
    with met = x ≥ target (``lower``: x ≤ target) and gap = how far from the target
    (max(target − x, 0); lower: max(x − target, 0)), in the indicator's unit.

    ``by="township"``: per township, village indicator and year — ``villages`` (the base:
    villages with a value, plus the blanks counted), ``n_blank`` (the blanks among them),
    ``met``, ``share`` = 100 × met / villages; plus a county row (township ``全县``, summed
    over the townships). Under ``missing = "zero"`` (不报不得分, the catalogue's default) a
    **blank** — a roster village of a township-year that reported, without a value of a
    required indicator that is due (the rule of :func:`~dangjian_analysis.aggregate_villages`,
    which the index uses: a wholly blank village included) — counts in the base as a village
    not meeting the target, so the share agrees with the township's ``share_meeting_target``
    value; its township-year is ``provisional`` on every row, ``provisional_reason`` naming the
    villages (the county row carries ``n_blank`` but no mark). Under ``"renormalise"`` the base
    is the villages with a value and ``n_blank`` is 0; a township-year with blanks is still
    marked wherever :func:`~dangjian_analysis.aggregate_villages` lists blanks under that rule.

    Parameters
    ----------
    data : Dataset or DataFrame
        Observations (``unit_id, unit_name, level, township, year, indicator, value``).
    catalog : Catalog or path, optional
        Default: the Dataset's (or the one the table carries), else the default catalogue.
    by : {"unit", "township"}
        Or the Chinese word: ``"单位"``, ``"乡镇"`` (:mod:`~dangjian_analysis.catalog.choices`).
    missing : {"zero", "renormalise"}, optional
        What a blank is (``by="township"`` only); default the catalogue's ``[scoring] missing``.

    Returns
    -------
    DataFrame
        Carries the catalogue used (``attrs["catalog"]``).

    Examples
    --------
    Office funds of 4, 5 and 6 万元 against the 5 万元 target: two of three villages
    meet it, share 66.7 %; the first has a gap of 1 万元. A fourth roster village of the
    township left blank makes it 2 of 4 = 50 % under ``"zero"`` (``n_blank`` 1, 待核实).
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
    return with_catalog(_by_township(data, cat, frame, with_target, missing), cat)


def _by_township(data, cat, frame: pd.DataFrame, with_target: pd.DataFrame, missing) -> pd.DataFrame:
    """The ``by="township"`` table (see :func:`target_attainment`) from the per-unit ``frame``."""
    from .completeness import missing_rule
    from .scoring import aggregate_villages

    rule = missing_rule(cat, missing)
    village = frame.loc[frame["level"] == "village", ["township", "year", "indicator", "met"]].assign(blank=False)
    agg = aggregate_villages(data, cat, missing=rule)      # its blanks: the one rule of 不报不得分 across villages
    blanks = agg.attrs["blanks"].frame
    blanks = blanks[blanks["indicator"].isin(with_target.index)]
    counted = blanks if rule == "zero" else blanks.iloc[:0]      # renormalise: over the villages with a value
    rows = pd.concat([village, pd.DataFrame({"township": counted["township"].to_numpy(dtype=object),
                                             "year": counted["year"].to_numpy().astype(village["year"].dtype),
                                             "indicator": counted["indicator"].to_numpy(dtype=object),
                                             "met": False, "blank": True})], ignore_index=True)
    spec = {"villages": ("met", "size"), "n_blank": ("blank", "sum"), "met": ("met", "sum")}
    per_town = rows.groupby(["township", "year", "indicator"], sort=True).agg(**spec).reset_index()
    county = rows.groupby(["year", "indicator"], sort=True).agg(**spec).reset_index().assign(township="全县")
    out = pd.concat([per_town, county[per_town.columns]], ignore_index=True)
    out["met"] = out["met"].astype(int)
    out["n_blank"] = out["n_blank"].astype(int)
    out["share"] = 100 * out["met"] / out["villages"]
    out["target"] = out["indicator"].map(with_target["target"])
    out["target_year"] = out["indicator"].map(with_target["target_year"]).astype("Int64")
    held = set(zip(blanks["township"], blanks["year"].astype(int)))
    keys = out[["township", "year"]].drop_duplicates()
    keys = keys[np.array([(t, int(y)) in held for t, y in zip(keys["township"], keys["year"])], dtype=bool)]
    keys = keys.reset_index(drop=True)
    reasons: list = [[] for _ in range(len(keys))]
    absent = agg.attrs["absent_villages"].frame
    held_absent = absent[np.array([(t, int(y)) in held for t, y in zip(absent["township"], absent["year"])], dtype=bool)]
    blank_reasons(Carried(blanks), Carried(held_absent), cat, keys, reasons, rule)
    text = {(t, int(y)): "；".join(r) for t, y, r in zip(keys["township"], keys["year"], reasons)}
    out["provisional_reason"] = [text.get((t, int(y)), "") for t, y in zip(out["township"], out["year"])]
    out["provisional"] = out["provisional_reason"] != ""
    return out
