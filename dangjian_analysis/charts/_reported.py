"""Private: which townships a county figure is over, and whether it rests on a doubtful value.

Two conventions shared by every chart takeaway, speaker note and 主要结论 sentence:

- **Partial year.** When fewer townships have a value in a year than the catalogue lists
  (a draft: townships not yet returned, or one missing from the data), a county figure is
  over the townships that reported and says so — :func:`county_word` gives ``"已报送的 3 个乡镇"``
  instead of ``"全县"``; a comparison with another year is made on the townships present in
  both years. Units that are not all townships of the catalogue (villages, a table of other
  names) are taken as the whole county.
- **Doubtful values.** A number computed from a held unit-year (``provisional`` for a doubtful
  value, a missing value…) carries :data:`HELD_NUMBER` (“（含待核实数值）”) right after it; a unit
  named carries （待核实）. A hold only because townships have not reported
  (:data:`ROLL_REASON`, set by the report model: the ranks will move, not the values) is said
  by “已报送的 N 个乡镇”, not by （含待核实数值） — :func:`value_holds` drops it.
"""

from __future__ import annotations

import re

import pandas as pd

from ..metrics.roll_hold import HOLD_REASON

__all__ = ["HELD_NUMBER", "ROLL_REASON", "county_word", "is_partial", "value_holds", "held_number",
           "comparable_years"]

#: Said after a county figure that includes a held (待核实) value.
HELD_NUMBER = "（含待核实数值）"
#: The reason score_composite gives every result of a year with townships missing
#: (:data:`~dangjian_analysis.metrics.roll_hold.HOLD_REASON`, matched whatever its count).
ROLL_REASON = re.compile(re.escape(HOLD_REASON).replace(re.escape("{n}"), r"\d+"))


def is_partial(units, catalog) -> bool:
    """Whether ``units`` (township names with a value in one year) are fewer than the
    catalogue's townships; False when they are not all townships of the catalogue."""
    towns = set(catalog.townships["unit_name"]) if catalog is not None else set()
    have = set(pd.Series(list(units)).dropna())
    return bool(have) and have <= towns and len(have) < len(towns)


def county_word(units, catalog) -> str:
    """``"全县"``, or ``"已报送的 N 个乡镇"`` in a partial year (see the module docstring)."""
    n = len(set(pd.Series(list(units)).dropna()))
    return f"已报送的 {n} 个乡镇" if is_partial(units, catalog) else "全县"


def value_holds(notes: dict) -> dict:
    """``notes`` (key → 待核实 reason) without the holds that are only the roll's
    (:data:`ROLL_REASON`): the keys whose values themselves wait for a check."""
    out = {}
    for key, reason in notes.items():
        parts = [p for p in str(reason).split("；") if p and not ROLL_REASON.fullmatch(p)]
        if parts or not reason:
            out[key] = "；".join(parts)
    return out


def held_number(keys, notes: dict) -> str:
    """:data:`HELD_NUMBER` when any of ``keys`` is held for its value (``notes`` through
    :func:`value_holds`), else ``""``."""
    held = value_holds(notes)
    return HELD_NUMBER if any(k in held for k in keys) else ""


def comparable_years(frame: pd.DataFrame, unit: str = "unit_name") -> list:
    """The years of ``frame`` that hold every unit of any year (ranks among the same townships),
    in order: a year with townships missing is left out (when no year holds them all, the
    years with the most units)."""
    sets = frame.dropna(subset=[unit]).groupby("year")[unit].agg(lambda s: frozenset(s))
    if sets.empty:
        return []
    every = frozenset().union(*sets)
    full = [y for y, s in sets.items() if s == every]
    return sorted(full or [y for y, s in sets.items() if len(s) == max(map(len, sets))])
