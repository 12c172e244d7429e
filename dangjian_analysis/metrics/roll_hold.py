"""Ranks of a partial year are 待核实: the rule, in one place, and the sentence that says so.

While townships of a year have not reported (the year's 报送进度, :meth:`Dataset.roll
<dangjian_analysis.intake.Dataset.roll>`, lists them ``missing``), every rank of that year is
counted among the townships that have, and moves when the others arrive.
:func:`~dangjian_analysis.metrics.composite.score_composite` given a Dataset marks every
township-year of such a year provisional with :data:`HOLD_REASON` (:func:`hold_for_roll`);
the report, the ``rank`` command and the notebooks read that mark, and the notebooks print
:func:`partial_note`. A table of observations carries no roll: nothing is marked from it.
"""

from __future__ import annotations

import pandas as pd

from ._frames import Record

__all__ = ["missing_by_year", "hold_for_roll", "partial_note", "HOLD_REASON"]

#: The reason appended to every result of a partial year (``{n}``: townships not yet reported).
HOLD_REASON = "全县尚有 {n} 个乡镇未报送"


def missing_by_year(ds, years) -> dict[int, tuple[str, ...]]:
    """``{year: townships not reported}`` for the ``years`` whose roll lists a township missing.

    A year in which every township of the catalogue has a value is complete without asking the
    roll (the roll cannot call a township with values ``missing``); any other year is decided by
    ``ds.roll(year)``, which also knows townships that do not exist that year (``since`` /
    ``until``) and files sent but rejected (``有错误``, not ``未报送``). Empty for anything that
    is not a Dataset.
    """
    if not hasattr(ds, "roll") or not hasattr(ds, "observations"):
        return {}
    pairs = ds.observations[["year", "township"]].dropna().drop_duplicates()
    have: dict[int, set] = {}
    for y, town in zip(pairs["year"], pairs["township"]):
        have.setdefault(int(y), set()).add(town)
    towns = set(ds.catalog.townships["unit_name"])
    out = {}
    for year in sorted({int(y) for y in years}):
        if towns <= have.get(year, set()):
            continue
        roll = ds.roll(year)
        missing = roll.loc[(roll["kind"] == "township") & (roll["roll_status"] == "missing"), "unit"]
        if len(missing):
            out[year] = tuple(missing)
    return out


def hold_for_roll(scores: pd.DataFrame, ds) -> pd.DataFrame:
    """``scores`` (rows ``unit_id, year, …, provisional, provisional_reason``) with every row of
    a year whose roll lists townships missing marked provisional, :data:`HOLD_REASON` appended
    to its reason (after “；” when it has one). ``attrs["roll_missing"]`` records
    ``{year: townships missing}`` for :func:`partial_note`; ``scores`` itself, unrecorded, when
    ``ds`` is not a Dataset. ``scores`` is not modified."""
    if not hasattr(ds, "roll"):            # a table of observations: no roll, nothing recorded
        return scores
    held = missing_by_year(ds, scores["year"].dropna().unique()) if len(scores) else {}
    out = scores.copy()
    out.attrs["roll_missing"] = Record(held)
    if not held:
        return out
    years = out["year"].astype(int)
    for year, missing in held.items():
        rows = (years == year).to_numpy()
        why = HOLD_REASON.format(n=len(missing))
        reason = out.loc[rows, "provisional_reason"].fillna("").astype(str)
        out.loc[rows, "provisional_reason"] = [f"{r}；{why}" if r else why for r in reason]
        out.loc[rows, "provisional"] = True
    return out


def partial_note(data, year: int) -> str:
    """One sentence on the 报送 of ``year`` for the analyst, computed from the data.

    ``data`` is a Dataset, or a :func:`~dangjian_analysis.metrics.composite.score_composite`
    table made from one (it records the townships missing). A partial year:
    “2016 年度已报送 9 个乡镇（全县 10 个），未报送：石桥镇；名次只在已报送的乡镇之间排列，均待核实，
    全部报送后重新计算。”; a complete one: “2015 年度全县 10 个乡镇全部已报送，名次为全县排名。”
    From a table that does not record the roll (read from a file): a sentence saying the roll is
    not known, never a guess.
    """
    year = int(year)
    if hasattr(data, "roll"):
        missing = missing_by_year(data, [year]).get(year, ())
        towns = _townships_in(data, year)
    else:
        held = getattr(data, "attrs", {}).get("roll_missing")
        cat = getattr(data, "attrs", {}).get("catalog")
        if held is None or cat is None:
            return (f"{year} 年度：这张表没有记录报送进度（不是由 Dataset 计算的），无法说明是否全部乡镇已报送；"
                    "请把 Dataset 传给 score_composite")
        missing = tuple(held.get(year, ()))
        towns = len(cat.townships)
    if not missing:
        return f"{year} 年度全县 {towns} 个乡镇全部已报送，名次为全县排名。"
    return (f"{year} 年度已报送 {towns - len(missing)} 个乡镇（全县 {towns} 个），未报送：{'、'.join(missing)}；"
            "名次只在已报送的乡镇之间排列，均待核实，全部报送后重新计算。")


def _townships_in(ds, year: int) -> int:
    """The catalogue's townships on the roll of ``year``."""
    roll = ds.roll(year)
    return int((roll["kind"] == "township").sum())
