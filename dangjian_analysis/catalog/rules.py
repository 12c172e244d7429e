"""The catalogue's assessment rules: grade bands, the 倒排 share, listing criteria, sheet names,
and the scoring rules for missing values and provisional results."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._checks import Checker

__all__ = ["build_grades", "build_bottom", "build_listing", "build_sheets", "build_scoring", "ScoringRules",
           "MISSING_RULES"]

#: How a required indicator that a unit did not report enters its group's sub-index.
MISSING_RULES = ("zero", "renormalise")


@dataclass(frozen=True)
class ScoringRules:
    """``[scoring]``: how blanks and incomplete data enter the index.

    Attributes
    ----------
    missing : {"zero", "renormalise"}
        ``"zero"`` (default, 不报不得分): a required indicator that a unit did not report
        scores 0 and keeps its weight; ``"renormalise"`` (exploratory): the weights are
        renormalised over the indicators reported. Indicators with ``required = false`` are
        always renormalised.
    provisional_coverage : float
        A township-year whose village coverage (villages with data ÷ villages in the
        catalogue) is below this share is provisional (待核实). Default 1.0: any missing
        village makes it provisional.
    """

    missing: str = "zero"
    provisional_coverage: float = 1.0


def build_grades(chk: Checker) -> pd.DataFrame:
    """``grades.bands``: ``grade, min``, best grade first, lower bounds strictly decreasing."""
    grades = chk.section("grades")
    bands = chk.need(grades, "bands", "grades", list)
    rows = []
    for i, b in enumerate(bands):
        chk.check_keys(b, "grades.bands", f"grades.bands[{i}]")
        rows.append({"grade": chk.need(b, "grade", f"grades.bands[{i}]", str),
                     "min": float(chk.need(b, "min", f"grades.bands[{i}]", "number"))})
    frame = pd.DataFrame(rows, columns=["grade", "min"])
    if frame.empty or not frame["min"].is_monotonic_decreasing or frame["min"].duplicated().any():
        chk.fail("grades.bands", "应按下限从高到低排列，且下限互不相同")
    return frame


def build_bottom(chk: Checker) -> float:
    """``bottom.share``: the share listed for rectification each year (default 0.10)."""
    share = chk.opt(chk.section("bottom"), "share", "bottom", "number", 0.10)
    if not 0 < share < 1:
        chk.fail("bottom.share", f"应在 0 与 1 之间（如 0.10 表示 10%），实际为 {share}")
    return float(share)


def build_listing(chk: Checker) -> dict[str, float]:
    """``listing``: the 软弱涣散 listing criteria (satisfaction, vacancy months, years without recruits)."""
    listing = chk.section("listing")
    defaults = {"satisfaction_below": 60, "vacancy_months_above": 3, "no_new_members_years": 2}
    return {k: chk.opt(listing, k, "listing", "number", v) for k, v in defaults.items()}


def build_sheets(chk: Checker) -> dict[str, str]:
    """``sheets``: the template's township and village input sheet names."""
    sheets = chk.section("sheets")
    return {"township": chk.opt(sheets, "township", "sheets", str, "乡镇指标"),
            "village": chk.opt(sheets, "village", "sheets", str, "村级指标")}


def build_scoring(chk: Checker) -> ScoringRules:
    """``scoring``: ``missing`` (``zero`` | ``renormalise``, default ``zero``) and
    ``provisional_coverage`` (0–1, default 1.0)."""
    scoring = chk.section("scoring")
    missing = chk.opt(scoring, "missing", "scoring", str, "zero")
    if missing == "renormalize":
        missing = "renormalise"
    if missing not in MISSING_RULES:
        chk.fail("scoring.missing", f"应为 {' | '.join(MISSING_RULES)}，实际为 {missing!r}")
    cover = chk.opt(scoring, "provisional_coverage", "scoring", "number", 1.0)
    if not 0 <= cover <= 1:
        chk.fail("scoring.provisional_coverage", f"应在 0 与 1 之间（如 0.9 表示 90%），实际为 {cover}")
    return ScoringRules(missing=missing, provisional_coverage=float(cover))
