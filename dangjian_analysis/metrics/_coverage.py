"""Private: the villages behind a township-year — how many reported (``village_coverage``) and
the 待核实 reason naming the blanks and the absent villages (see :mod:`._blanks`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import codes_in

__all__ = ["blank_reasons", "villages_with_data"]


def blank_reasons(blanks, absent, catalog, out: pd.DataFrame, reasons: list, rule: str = "zero") -> None:
    """Append to ``reasons`` (one list per township-year of ``out``) the 待核实 reasons of blanks.

    Parameters
    ----------
    blanks, absent : Carried or None
        ``attrs["blanks"]`` and ``attrs["absent_villages"]`` of
        :func:`~dangjian_analysis.aggregate_villages`.

    Notes
    -----
    One reason per township-year for its absent villages, each named once
    (“乐坪村、和坪村未报送任何村级指标（按不得分计，请核实）”; under ``"renormalise"``
    “…（未计入乡镇得分，请核实）”), and one naming each other blank by village and indicator
    (“村级必填数据未填（按不得分计，请核实）：五门村“便民服务站正常运行””, under ``"renormalise"``
    “…（未计入乡镇得分，请核实）…”, at most six shown) — under either rule.
    """
    names = dict(zip(catalog.indicators["id"], catalog.indicators["name"]))
    whole: dict = {}
    if absent is not None:
        for town, year, village in zip(absent.frame["township"], absent.frame["year"], absent.frame["village"]):
            whole.setdefault((town, int(year)), []).append(village)
    by: dict = {}
    frame = blanks.frame if blanks is not None else None
    if frame is not None and len(frame):
        part = frame[~frame["whole"].astype(bool)] if "whole" in frame else frame
        for town, year, village, indicator in zip(part["township"], part["year"], part["village"], part["indicator"]):
            by.setdefault((town, int(year)), []).append(f"{village}“{names.get(indicator, indicator)}”")
    how = "按不得分计" if rule == "zero" else "未计入乡镇得分"
    for k, (town, year) in enumerate(zip(out["township"], out["year"])):
        villages = whole.get((town, int(year)))
        if villages:
            reasons[k].append(f"{'、'.join(villages)}未报送任何村级指标（{how}，请核实）")
        items = by.get((town, int(year)))
        if items:
            shown = "、".join(items[:6]) + (f"等 {len(items)} 项" if len(items) > 6 else "")
            reasons[k].append(f"村级必填数据未填（{how}，请核实）：{shown}")


def villages_with_data(obs: pd.DataFrame, catalog, units: pd.DataFrame,
                       aggregated: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(villages with any value, villages in the catalogue that year) for each township-year of
    ``units``. A village exists in a year between its ``since`` and ``until`` (when the
    catalogue records them: mergers and splits); otherwise every listed village counts.

    With ``aggregated``, a township-year whose most-reported village indicator already has a
    value from every village (``n_villages − n_blank`` ≥ the catalogue's count) is complete; only the others are counted from the observations.
    """
    villages = catalog.villages
    years = np.unique(units["year"].to_numpy().astype(np.int64))
    exists = np.ones((len(villages), len(years)), dtype=bool)
    for col, check in (("since", np.less_equal), ("until", np.greater_equal)):
        if col in villages:
            # na_value: a nullable (Int64) column with <NA> raises without it on pandas 2.2.0
            bound = pd.to_numeric(villages[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            known = ~np.isnan(bound)
            exists[known] &= check(bound[known, None], years[None, :])
    town = villages["township"].to_numpy()
    total_m = pd.DataFrame(exists, index=town).groupby(level=0).sum()
    row = total_m.index.get_indexer(units["township"])
    col = np.searchsorted(years, units["year"].to_numpy().astype(np.int64))
    have, total = np.zeros(len(units)), np.zeros(len(units))
    ok = row >= 0
    total[ok] = total_m.to_numpy()[row[ok], col[ok]]
    todo = np.ones(len(units), dtype=bool)
    if aggregated is not None and "n_villages" in aggregated:
        counted = aggregated.dropna(subset=["n_villages"])      # villages with a value: blanks are not data
        most = (counted["n_villages"] - counted["n_blank"].fillna(0)).groupby(
            [counted["township"], counted["year"]]).max()
        reached = most.reindex(pd.MultiIndex.from_arrays([units["township"], units["year"]])).to_numpy(dtype=float)
        done = np.nan_to_num(reached) >= total
        have[done], todo = total[done], ~done
    if not todo.any():
        return have, total
    towns = set(units["township"].to_numpy()[todo])
    obs = obs[obs["township"].isin(towns).to_numpy()] if len(towns) < len(total_m) else obs
    seen = np.zeros_like(exists)
    code = codes_in(obs["unit_id"], villages["unit_id"])          # ≥ 0: a catalogue village
    keep = (code >= 0) & obs["value"].notna().to_numpy()
    if keep.any() and len(years):
        code = code[keep]
        obs_year = obs["year"].to_numpy()[keep].astype(np.int64)
        pos = np.minimum(np.searchsorted(years, obs_year), len(years) - 1)
        hit = years[pos] == obs_year
        seen[code[hit], pos[hit]] = True
    have_m = pd.DataFrame(seen & exists, index=town).groupby(level=0).sum().reindex(total_m.index)
    pick = todo & ok
    have[pick] = have_m.to_numpy()[row[pick], col[pick]]
    return have, total
