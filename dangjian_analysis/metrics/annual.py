"""The annual assessment by the county's 考核细则: rubric breakdown, results with grades, 整改清单.

:func:`assessment_breakdown` scores the catalogue's ``[assessment]`` rubric for every unit assessed
(the secretaries' units, in catalogue order) and year; :func:`assessment_results` combines the
rubric total (日常考核) with 述职评议 and 满意度 and grades the units (bands, quotas per class,
vetoes, gates, ties; :mod:`._grading`); :func:`rectification_list` lists what each unit must put
right. Without a rubric, :func:`assessment_results` is the annual assessment of
:func:`~dangjian_analysis.metrics.review.annual_assessment` (日常考核 = the composite index).

Inputs per unit and year (:mod:`._annual_inputs`): a township unit's indicator values are its
township's (``score_indicators``: township indicators as reported, village ones aggregated by their
catalogue rule); the 加减分台账 ``ds.adjustments`` and the 考核清单 ``ds.checklist``, each row
naming the catalogue unit. A year without any ledger row is a year whose ledger was not entered:
the items read from it are 待核实 (never full marks); a unit without any ledger row, checklist row
or indicator value in a year is 待核实 as a whole.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._annual_inputs import PARTS, hold_doubtful, inputs_of, no_data_rows, part_values, rubric_of, township_values
from .completeness import doubtful_cells
from ._frames import catalog_of, with_catalog
from ._grading import PENDING, grade_units
from .assessment import SCORE_COLUMNS, assessment_totals, score_assessment

__all__ = ["assessment_breakdown", "assessment_results", "rectification_list", "RESULT_COLUMNS",
           "RECTIFICATION_COLUMNS", "PENDING"]

#: Columns of :func:`assessment_results`.
RESULT_COLUMNS = ["year", "unit", "secretary", "class", "township", "base", "bonus_raw", "bonus", "deduction",
                  "routine", "review", "satisfaction", "annual", "parts", "rank", "band", "grade", "grade_note",
                  "eligible", "not_top", "vetoes", "gates", "pending", "note", "consequence", "rectify_days"]
#: Columns of :func:`rectification_list`.
RECTIFICATION_COLUMNS = ["year", "unit", "secretary", "problem", "basis", "measure", "deadline", "owner"]
_MEASURE = "（由单位填写整改措施）"
#: Rule kinds whose lost points are a fault to put right (the others score a unit against the others).
_FAULTS = ("per_incident", "checklist", "per_shortfall")


def assessment_breakdown(ds, catalog=None, year=None) -> pd.DataFrame:
    """Every unit's result on every entry of the rubric, per year.

    Per year and class (secretary ``type``), :func:`~.assessment.score_assessment` over the units of
    the class with the items that apply to it (``AssessmentItem.classes``; an item that does not
    apply to a unit is not a row of it). See the module docstring for the inputs and for 待核实.

    Parameters
    ----------
    ds : Dataset
        ``observations`` and, when entered, ``adjustments`` (加减分台账: ``year, unit, item, role,
        points`` + provenance; ``role`` holds 职务 or 严重程度) and ``checklist`` (考核清单:
        ``year, unit, item, check, done``).
    catalog : Catalog, optional
        Default: the Dataset's. Must have an ``[assessment]``.
    year : int, optional
        One year (default: every year with any observation, ledger or checklist row).

    Returns
    -------
    DataFrame
        ``year`` + :data:`~.assessment.SCORE_COLUMNS` + ``class, secretary``: one row per
        year × unit × entry, units in catalogue order. Carries its catalogue.

    Raises
    ------
    ValueError
        In Chinese, naming the ledger or checklist row's file, sheet and cell: a unit not assessed,
        an item not in the rubric or not applying to the unit's class (and the errors of
        ``score_assessment``).
    """
    cat = catalog_of(ds, catalog)
    asm = rubric_of(cat)
    frames = []
    doubtful = doubtful_cells(ds, cat) if hasattr(ds, "issues") else None
    for y, cls, sub, units, kw in inputs_of(ds, cat, asm, year):
        scored = score_assessment(sub, units=list(units["unit"]), **kw)
        scored = hold_doubtful(no_data_rows(scored, units, kw), sub, units, doubtful, y)
        scored.insert(0, "year", y)
        scored["class"] = cls
        scored["secretary"] = scored["unit"].map(dict(zip(units["unit"], units["secretary"])))
        frames.append(scored)
    cols = ["year", *SCORE_COLUMNS, "class", "secretary"]
    if not frames:
        return with_catalog(pd.DataFrame(columns=cols), cat)
    out = pd.concat(frames, ignore_index=True)
    order = {u: k for k, u in enumerate(cat.secretaries["unit"])}
    out = out.sort_values(["year", "unit"], key=lambda s: s.map(order) if s.name == "unit" else s, kind="stable")
    return with_catalog(out[cols].reset_index(drop=True), cat)


def assessment_results(ds, catalog=None, year=None, *, scores=None, reviewed=None,
                       breakdown: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit and year: 日常考核 (rubric total), the annual mix, rank, band and grade.

    ``routine`` = the rubric total (基础分 + 加分 − 扣分, :func:`~.assessment.assessment_totals`);
    ``annual`` = (w_r·routine + w_v·review + w_s·satisfaction) / Σ w over the parts present, the
    weights ``catalogue.review.annual`` (as :func:`~.review.annual_assessment`); ``review`` the
    secretary's 述职评议 score, ``satisfaction`` the township's 群众满意度 value (县直 units have
    none). A 待核实 routine makes ``annual`` NaN and the grade 待核实 (:data:`PENDING`), never a guess.
    ``rank`` within year and class on ``annual`` rounded to ``assessment.decimals``, ties sharing
    the better rank (every unit with a 综合得分 is ranked, a disqualified one too); ``band`` the grade by ``min`` alone; ``grade`` after vetoes, gates, quotas and
    ties (:mod:`._grading`), ``grade_note`` saying why it differs from the band; ``consequence``
    and ``rectify_days`` the 结果运用 of the grade.

    Parameters
    ----------
    ds : Dataset
    catalog : Catalog, optional
    year : int, optional
    scores : DataFrame, optional
        ``score_composite(ds)``: the 日常考核 where the catalogue has no rubric (computed if None).
    reviewed : DataFrame, optional
        ``review(ds)`` (computed from ``ds.ballots`` if None).
    breakdown : DataFrame, optional
        :func:`assessment_breakdown` of the same inputs, if already computed.

    Returns
    -------
    DataFrame
        :data:`RESULT_COLUMNS`, years ascending, units in catalogue order; carries its catalogue.

    Examples
    --------
    Weights 50/30/20, routine 92, review 90, satisfaction 80: annual = 0.5·92 + 0.3·90 + 0.2·80 = 89.
    """
    cat = catalog_of(ds, catalog)
    if reviewed is None:
        from .review import review

        reviewed = review(ds, catalog=cat)
    if getattr(cat, "assessment", None) is None:
        return _fallback(ds, cat, year, scores, reviewed)
    asm = cat.assessment
    if breakdown is None:
        breakdown = assessment_breakdown(ds, cat, year)
    elif year is not None:
        breakdown = breakdown[breakdown["year"] == int(year)]
    rows = []
    for (y, cls), part in breakdown.groupby(["year", "class"], sort=False):
        totals = assessment_totals(part.drop(columns=["year", "class", "secretary"]), asm)
        totals.insert(0, "year", y)
        totals["class"] = cls
        rows.append(totals)
    if not rows:
        return with_catalog(pd.DataFrame(columns=RESULT_COLUMNS), cat)
    out = pd.concat(rows, ignore_index=True).rename(columns={"total": "routine"})
    secretaries = cat.secretaries.set_index("unit")
    out["secretary"] = out["unit"].map(secretaries["name"])
    values = part_values(ds, cat, reviewed, out)
    for column in ("township", "review", "satisfaction"):
        out[column] = values[column]
    w = {k: float(cat.review.annual[k]) for k in PARTS}
    present = {k: out[k].notna() for k in PARTS}
    num_ = sum(out[k].fillna(0) * v for k, v in w.items())
    den = sum(present[k] * v for k, v in w.items())
    out["annual"] = (num_ / den.where(den > 0)).where(out["routine"].notna())
    out["parts"] = ["+".join(PARTS[k] for k in PARTS if present[k][i]) for i in out.index]
    gate_values = {g.id: _gate_values(g.metric, out, values) for g in asm.gates}
    from ..catalog.assessment import DISQUALIFIED

    graded = grade_units(out, asm, gate_values, DISQUALIFIED)
    out = out.join(graded)
    found = {g: asm.consequence(g) for g in set(out["grade"])}
    out["consequence"] = [found[g].text if found[g] else "" for g in out["grade"]]
    out["rectify_days"] = pd.array([found[g].rectify_days if found[g] else None for g in out["grade"]], dtype="Int64")
    order = {u: k for k, u in enumerate(cat.secretaries["unit"])}
    out = out.sort_values(["year", "unit"], key=lambda s: s.map(order) if s.name == "unit" else s, kind="stable")
    return with_catalog(out[RESULT_COLUMNS].reset_index(drop=True), cat)


def _gate_values(metric: str, out: pd.DataFrame, values: pd.DataFrame) -> pd.Series:
    if metric in ("review", "routine", "annual"):
        return out[metric]
    return values[f"indicator:{metric}"] if f"indicator:{metric}" in values else pd.Series(np.nan, index=out.index)


def _fallback(ds, cat, year, scores, reviewed) -> pd.DataFrame:
    """No rubric: :func:`~.review.annual_assessment` (日常考核 = the composite index) in :data:`RESULT_COLUMNS`."""
    from .review import annual_assessment
    from .scoring import score_composite

    if scores is None:
        scores = score_composite(ds, cat)
    sat = township_values(ds, cat)
    sat = sat.loc[sat["indicator"] == "satisfaction", ["township", "year", "value"]]
    annual = annual_assessment(scores, reviewed, sat, catalog=cat)
    if year is not None:
        annual = annual[annual["year"] == int(year)]
    out = annual.rename(columns={"unit_name": "unit", "type": "class"})
    for column in ("base", "bonus_raw", "bonus", "deduction"):
        out[column] = math.nan
    out["band"] = out["grade"]
    out["eligible"], out["not_top"] = True, False
    for column in ("grade_note", "vetoes", "gates", "pending", "note", "consequence"):
        out[column] = ""
    out["rectify_days"] = pd.array([None] * len(out), dtype="Int64")
    order = {u: k for k, u in enumerate(cat.secretaries["unit"])}
    out = out.sort_values(["year", "unit"], key=lambda s: s.map(order) if s.name == "unit" else s, kind="stable")
    return with_catalog(out[RESULT_COLUMNS].reset_index(drop=True), cat)


def rectification_list(results: pd.DataFrame, breakdown: pd.DataFrame, catalog=None) -> pd.DataFrame:
    """The 整改清单: what each unit must put right, one row a problem.

    Rows, per unit in the order of ``results``: each item of a fault kind (per_incident,
    checklist, per_shortfall) that lost points; each 直接扣分 and 一票否决 with ledger entries;
    each gate that held; and, when the grade's 结果运用 asks for a written 整改报告
    (``rectify_days``), one row for the grade. ``problem`` = the item's id and name and the
    sentence that scored it; ``basis`` = the rubric entry it rests on; ``measure`` is left for the
    unit to fill (“（由单位填写整改措施）”); ``deadline`` “通报印发之日起 N 日内” where the grade's
    结果运用 sets N days, else empty; ``owner`` the secretary (责任人). Rank and share items
    (rank_points, proportional_to_best, from_indicator) compare the units and are not listed.

    Returns
    -------
    DataFrame
        :data:`RECTIFICATION_COLUMNS`.
    """
    cat = catalog_of(results, catalog)
    asm = rubric_of(cat)
    kinds = {i.id: i.rule.kind for i in asm.items}
    rows = []
    for r in results.itertuples(index=False):
        days = r.rectify_days
        deadline = "" if pd.isna(days) else f"通报印发之日起 {int(days)} 日内"
        mine = breakdown[(breakdown["year"] == r.year) & (breakdown["unit"] == r.unit)]

        def add(problem: str, basis: str) -> None:
            rows.append({"year": r.year, "unit": r.unit, "secretary": r.secretary, "problem": problem,
                         "basis": basis, "measure": _MEASURE, "deadline": deadline, "owner": r.secretary})

        for e in mine.itertuples(index=False):
            if e.section == "item" and kinds.get(e.item) in _FAULTS and e.deducted > 0:
                add(f"{e.item} {e.name}：{e.basis}", f"《{asm.name}》{e.item} {e.name}（{_n(e.points)} 分）")
            elif e.section in ("deduction", "veto") and e.entries > 0:
                what = "直接扣分" if e.section == "deduction" else "一票否决"
                add(f"{e.item} {e.name}：{e.basis}", f"《{asm.name}》{what} {e.item} {e.name}")
        for gate in filter(None, str(r.gates).split("；")):
            add(f"门槛 {gate}", f"《{asm.name}》门槛 {gate.split('（')[0]}")
        if not pd.isna(days):
            add(f"年度考核等次为“{r.grade}”", f"《{asm.name}》结果运用：{r.consequence}")
    return with_catalog(pd.DataFrame(rows, columns=RECTIFICATION_COLUMNS), cat)


def _n(value: float) -> str:
    from ..catalog.indicators import number_text

    return number_text(float(value))
