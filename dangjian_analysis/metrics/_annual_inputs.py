"""Private: the inputs of the rubric per year and class, read from a Dataset (see :mod:`.annual`).

Units assessed are the catalogue's secretaries' units (``unit``, ``secretary``, ``class`` = the
secretary's ``type``, ``township`` for a township's committee). A township unit's indicator values
and goalpost scores are its township's; 县直 units have none. Ledger (``ds.adjustments``) and
checklist (``ds.checklist``) rows must name a unit assessed and an entry of the rubric that
applies to the unit's class: anything else is a Chinese ``ValueError`` naming the row's cell,
never a row silently dropped.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ._frames import require
from ._lookup import as_year, need_columns, shown
from ._assessment_rules import where_of_entry

__all__ = ["PARTS", "rubric_of", "units_of", "township_values", "inputs_of", "no_data_rows", "part_values"]

#: The parts of the annual result and their Chinese names (``parts`` column).
PARTS = {"routine": "日常考核", "review": "述职评议", "satisfaction": "群众满意度"}
_NO_DATA = "本年度没有该单位的任何考核数据（加减分台账、考核清单、指标值均无），待核实"


def rubric_of(cat):
    """The catalogue's ``[assessment]``, or a Chinese ``ValueError`` saying it has none."""
    asm = getattr(cat, "assessment", None)
    if asm is None:
        raise ValueError("指标体系中没有考核细则（[assessment]）：请在指标体系中写出考核细则后再计算考核得分")
    return asm


def units_of(cat) -> pd.DataFrame:
    """``unit, secretary, class, township`` of the catalogue's secretaries, in catalogue order."""
    from .review import secretary_townships

    towns = secretary_townships(cat)
    sec = cat.secretaries
    return pd.DataFrame({"unit": sec["unit"].astype(str).to_numpy(), "secretary": sec["name"].to_numpy(),
                         "class": sec["type"].to_numpy(), "township": sec["name"].map(towns).to_numpy()})


def township_values(ds, cat) -> pd.DataFrame:
    """``township, year, indicator, value, score``: township values (village ones aggregated) and
    their goalpost scores; empty when the Dataset holds no observations."""
    from .scoring import score_indicators

    obs = ds.observations if hasattr(ds, "observations") else None
    if obs is None or obs.empty:
        return pd.DataFrame(columns=["township", "year", "indicator", "value", "score"])
    values = score_indicators(ds, cat)
    values = values[values["unit_name"].isin(cat.townships["unit_name"])]     # township rows, not 全县
    return values.drop(columns="township").rename(columns={"unit_name": "township"})[
        ["township", "year", "indicator", "value", "score"]]


def _checked(table, what: str, columns: list[str], asm, units: pd.DataFrame):
    """A county table whose every row names a unit assessed and a rubric entry of its class."""
    if table is None:
        return None
    table = need_columns(table, columns, what)
    cls = dict(zip(units["unit"], units["class"]))
    for pos, (_, row) in enumerate(table.iterrows()):
        where = where_of_entry(row, pos)
        unit, ident = row["unit"], str(row["item"])
        if unit not in cls:
            raise ValueError(f"{what} {where}：单位“{unit}”不在被考核单位中（{shown(units['unit'])}）")
        entry = asm.entry(ident)
        if entry is None:
            raise ValueError(f"{what} {where}：项目编号“{ident}”不在考核细则中")
        if getattr(entry, "classes", ()) and cls[unit] not in entry.classes:
            raise ValueError(f"{what} {where}：{ident}（{entry.name}）只适用于{'、'.join(entry.classes)}，"
                             f"不适用于{unit}（{cls[unit]}）")
    return table


def _shown(table, names):
    """``table`` with its files named as people read them (the Dataset's ``file_names``: the path
    below the folder read, ``2016/县级数据.xlsx``), so that every basis sentence names them so."""
    if table is None or not names or "source_file" not in table:
        return table
    return table.assign(source_file=[names.get(f, f) for f in table["source_file"]])


def inputs_of(ds, cat, asm, year=None):
    """``(year, class, rubric of the class, units of the class, score_assessment keywords)`` for
    every year and class: the year's indicator values and scores of the class's units, its ledger
    rows (None — 待核实 — when the year has no ledger row at all), its checklist rows (None when the
    year has none)."""
    units = units_of(cat)
    ledger = _checked(getattr(ds, "adjustments", None), "加减分台账", ["year", "unit", "item"], asm, units)
    checks = _checked(getattr(ds, "checklist", None), "考核清单", ["year", "unit", "item", "check", "done"], asm,
                      units)
    ledger, checks = (_shown(t, getattr(ds, "file_names", None)) for t in (ledger, checks))
    values = township_values(ds, cat)
    years = set(values["year"])
    for table in (ledger, checks):
        if table is not None:
            years |= set(table["year"].dropna())
    years = sorted(int(y) for y in years)
    if year is not None:
        years = [require(as_year(year), years, "年度")]
    for y in years:
        led = None if ledger is None else ledger[ledger["year"] == y]
        chk = None if checks is None else checks[checks["year"] == y]
        val = values[values["year"] == y]
        for cls in dict.fromkeys(units["class"]):
            mine = units[units["class"] == cls].reset_index(drop=True)
            town = val[val["township"].isin(mine["township"].dropna())].copy()
            town["unit"] = town["township"].map(dict(zip(mine["township"], mine["unit"])))
            kw = {"indicators": town[["unit", "indicator", "value"]].reset_index(drop=True),
                  "scores": town[["unit", "indicator", "score"]].reset_index(drop=True),
                  "ledger": None if led is None or led.empty else led[led["unit"].isin(mine["unit"])],
                  "checklist": None if chk is None or chk.empty else chk[chk["unit"].isin(mine["unit"])]}
            sub = dataclasses.replace(asm, items=asm.items_for(cls))
            yield y, cls, sub, mine, kw


def no_data_rows(scored: pd.DataFrame, units: pd.DataFrame, kw: dict) -> pd.DataFrame:
    """``scored`` with every row of a unit that has no ledger row, checklist row nor indicator value
    in the year made 待核实 (earned and deducted NaN): nothing was entered for it, so neither full
    marks nor zero would be known."""
    seen = set(kw["indicators"]["unit"])
    for table in (kw["ledger"], kw["checklist"]):
        if table is not None:
            seen |= set(table["unit"])
    empty = scored["unit"].isin([u for u in units["unit"] if u not in seen])
    if not empty.any():
        return scored
    scored = scored.copy()
    scored.loc[empty, ["earned", "deducted"]] = math.nan
    scored.loc[empty, "basis"] = _NO_DATA
    scored.loc[empty, "pending"] = True
    return scored


def part_values(ds, cat, reviewed: pd.DataFrame, out: pd.DataFrame) -> pd.DataFrame:
    """Per row of ``out`` (``year, unit, secretary``): ``township``, ``review`` (the secretary's
    述职评议 overall score that year), ``satisfaction`` (the township's 群众满意度 value) and
    ``indicator:<id>`` for every indicator a gate names (the township's value)."""
    units = units_of(cat).set_index("unit")
    res = pd.DataFrame(index=out.index)
    res["township"] = out["unit"].map(units["township"])
    rev = reviewed
    if rev is not None and len(rev):
        rev = rev[rev["rater_group"] == "overall"] if "rater_group" in rev else rev
        score = {(int(y), s): v for y, s, v in rev[["year", "secretary", "score"]].itertuples(index=False)}
        res["review"] = [score.get((int(y), s), np.nan) for y, s in zip(out["year"], out["secretary"])]
    else:
        res["review"] = np.nan
    values = township_values(ds, cat)
    wanted = {"satisfaction", *(g.metric for g in cat.assessment.gates if g.metric not in PARTS and g.metric != "annual")}
    lookup = {(t, int(y), i): v for t, y, i, v in values[["township", "year", "indicator", "value"]].itertuples(index=False)
              if i in wanted}
    for ind in sorted(wanted):
        res[f"indicator:{ind}"] = [lookup.get((t, int(y), ind), np.nan) for t, y in zip(res["township"], out["year"])]
    res["satisfaction"] = res["indicator:satisfaction"]
    return res


#: Rule kinds that compare a unit with the others of its class: a doubtful value of any of them holds all.
_COMPARED = ("rank_points", "proportional_to_best")


def hold_doubtful(scored: pd.DataFrame, sub, units: pd.DataFrame, doubtful: pd.DataFrame, year: int) -> pd.DataFrame:
    """``scored`` (one year and class) with the items that read a doubtful value held 待核实: a
    per_shortfall or from_indicator item when its unit's township has a doubtful, unconfirmed cell
    of the indicator that year; a rank_points or proportional_to_best item for every unit of the
    class when any of them has one (the best value or the ranks may rest on it). The basis names
    the cells; ``earned`` becomes NaN as for any missing input, so the total and the grade wait."""
    if doubtful is None or doubtful.empty:
        return scored
    cells = doubtful[(doubtful["year"] == year) & ~doubtful["confirmed"].astype(bool)]
    town_of = dict(zip(units["unit"], units["township"]))
    out = scored.copy()
    for item in sub.items:
        ind = item.rule.indicator
        if ind is None:
            continue
        mine = cells[(cells["indicator"] == ind) & cells["township"].isin(units["township"].dropna())]
        if mine.empty:
            continue
        for k in out.index[(out["item"] == item.id) & (out["section"] == "item")]:
            own = mine[mine["township"] == town_of.get(out.at[k, "unit"])]
            held = mine if item.rule.kind in _COMPARED else own
            if held.empty:
                continue
            where = "；".join(dict.fromkeys(f"{f} {s} {c}" for f, s, c in zip(held["file"], held["sheet"], held["cell"])))
            out.at[k, "earned"], out.at[k, "deducted"], out.at[k, "pending"] = np.nan, np.nan, True
            out.at[k, "basis"] = f"{item.rule.indicator_name} 有存疑数值（{where}），待核实"
    return out
