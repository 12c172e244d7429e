"""Private: which issues of a Dataset are doubtful values already confirmed, and by whom.

A doubtful value (a warning of :data:`~dangjian_analysis.intake.confirmations.DOUBTFUL_CODES`
at a cell whose value was accepted) is confirmed when the analyst's 确认 workbook or the
township's 退回说明 names it (:func:`~dangjian_analysis.intake.confirmations.match_confirmations`,
the same rule that decides whether the value still holds its result 待核实: one decision per
cell, from the first doubtful warning at it). Every issue list people read shows such an issue
as 提示（已确认） with the confirmation instead of 核实数字.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["CONFIRMED_LEVEL", "issue_confirmations", "with_confirmations"]

#: The level shown for a doubtful value already confirmed (a warning that needs nothing more).
CONFIRMED_LEVEL = "提示（已确认）"


def _advice(confirmation) -> str:
    """``已确认：村办企业分红（李四 2016-01-12）``; a township's: ``已确认：…（乡镇，见退回说明）``;
    the 说明 or the parentheses left out when blank."""
    note = str(confirmation.note or "").strip()
    if str(confirmation.message or "").strip():
        who = "乡镇，见退回说明"
    else:
        who = " ".join(str(x).strip() for x in (confirmation.confirmed_by, confirmation.date)
                       if x is not None and str(x).strip())
    return "已确认" + (f"：{note}" if note else "") + (f"（{who}）" if who else "")


def issue_confirmations(ds) -> pd.Series:
    """For each row of ``ds.issues`` (same index), the confirmation of its doubtful value as
    :func:`_advice` words it (``已确认：说明（确认人 日期）``), or None: not a doubtful value, or
    not confirmed. ``ds`` is not changed."""
    from ..intake.confirmations import DOUBTFUL_CODES, doubtful_matches

    issues = ds.issues
    out = pd.Series([None] * len(issues), index=issues.index, dtype=object)
    confirmations = getattr(ds, "confirmations", None)
    if confirmations is None or confirmations.empty or issues.empty:
        return out
    warned = issues[(issues["severity"] == "warning") & issues["code"].isin(DOUBTFUL_CODES)]
    done = {cell: _advice(confirmations.iloc[k]) for cell, k in doubtful_matches(ds).items() if k is not None}
    for index, w in zip(warned.index, warned.itertuples()):
        out.at[index] = done.get((w.file, w.sheet, w.cell))
    return out


def with_confirmations(ds) -> pd.DataFrame:
    """``ds.issues`` with one more column ``confirmed``: :func:`issue_confirmations` (NA for the
    rest), for tables that list the issues (the report's 校验问题). A new frame; ``ds`` unchanged."""
    return ds.issues.assign(confirmed=issue_confirmations(ds))
