"""The report's tables of the county's 考核细则 (English ids; labelled by :mod:`.report_labels`).

When the catalogue has a rubric (``catalog.assessment``), the report carries four more tables
built here from :func:`~dangjian_analysis.metrics.annual.assessment_breakdown` (one row per
unit × rubric entry) and :func:`~dangjian_analysis.metrics.annual.assessment_results` (one row
per unit):

- ``assessment`` — the results of the year, one row per unit, by class (the catalogue's
  order of classes), then by 名次: 基础分, 加分 (after the caps), 扣分, 日常考核 (the rubric's
  total), 述职评议, 满意度, 综合得分, 名次, 等次, 等次说明 and 结果运用;
- ``assessment_detail`` — the entries behind the points a unit did not get or got on top:
  every item below full marks, every entry with ledger rows or missing checks, and every
  entry 待核实; ``change`` is the signed effect (an item's −失分, a bonus's +加分, a
  deduction's −扣分, a veto's NaN: it acts on the grade, not the number);
- ``assessment_parts`` — each unit's 基础分 by 大项 (Σ 分值, Σ 得分 of its items);
- ``assessment_scores`` — every point traced: one row per unit × entry with where it came from
  (``source``: 加减分台账 / 考核清单 with the rows' file, sheet and cells; 乡镇报表 with the
  township value's cell; 村级汇总 for an indicator aggregated from villages; ``indicator`` the
  indicator's id), and
  the unit's 考核等次.

A unit with nothing scored in the year (:func:`unscored_units`: a township not returned, the
county tables not in) is one row of ``assessment_scores`` and says so in one sentence in
``assessment`` (:func:`idle_results`, :func:`idle_trace`), not a row of blanks per rubric entry.

File paths in the basis sentences are shown by the names the Dataset shows them by
(``县级数据.xlsx``), never absolute.
"""

from __future__ import annotations

import math
import re

import pandas as pd

__all__ = ["ASSESSMENT_COLUMNS", "DETAIL_COLUMNS", "TRACE_COLUMNS", "PART_COLUMNS", "results_table", "detail_table",
           "parts_table", "trace_table", "annual_from_results", "tidy_numbers", "shorten_paths", "metric_names", "class_order", "assessment_tables",
           "unscored_units", "idle_results", "idle_trace", "NO_DATA_PREFIX", "IDLE_NOTE", "IDLE_PENDING"]

#: Columns of the ``assessment`` table.
ASSESSMENT_COLUMNS = ["unit", "secretary", "class", "base", "bonus", "deduction", "routine", "review", "satisfaction",
                      "annual", "rank", "grade", "grade_note", "consequence", "vetoes", "gates", "pending", "note"]
#: Columns of the ``assessment_parts`` table (基础分 by 大项).
PART_COLUMNS = ["unit", "part", "points", "earned"]
#: Columns of ``assessment`` that are text (blank, never NaN, where empty).
_TEXTS = ("grade_note", "vetoes", "gates", "pending", "note")
#: Columns of the ``assessment_detail`` table.
DETAIL_COLUMNS = ["unit", "part", "item", "name", "points", "earned", "change", "basis"]
#: Columns of the ``assessment_scores`` table (the summary's 考核得分 sheet).
TRACE_COLUMNS = ["year", "unit", "secretary", "class", "section", "part", "item", "name", "points", "earned",
                 "deducted", "basis", "source", "indicator", "source_file", "source_sheet", "source_cell", "grade"]
#: How the breakdown's basis begins for a unit with no data at all in the year (every entry 待核实).
NO_DATA_PREFIX = "本年度没有该单位的任何考核数据"
#: ``section`` ids of the breakdown → what a reader calls them.
SECTION_WORDS = {"item": "考核项目", "bonus": "加分", "deduction": "扣分", "veto": "一票否决"}


def class_order(results: pd.DataFrame, assessment=None) -> list[str]:
    """The classes of ``results`` in the catalogue's order (``assessment.classes``), others after."""
    known = list(getattr(assessment, "classes", ()) or ())
    present = list(dict.fromkeys(results["class"].astype(str)))
    return [c for c in known if c in present] + [c for c in present if c not in known]


def unscored_units(table: pd.DataFrame, detail: pd.DataFrame) -> list[str]:
    """The units of ``table`` (``assessment`` or ``assessment_results`` rows of one year) with nothing
    scored: every row of theirs in ``detail`` (``assessment_detail`` or the breakdown, which hold
    every entry 待核实) says :data:`NO_DATA_PREFIX`, and neither 述职评议 nor 群众满意度 is known.
    Units in ``table``'s order; a unit with one number known is not listed."""
    basis = detail["basis"].astype(str)
    empty = basis.str.startswith(NO_DATA_PREFIX).groupby(detail["unit"]).all()
    out = []
    for _, row in table.iterrows():
        known = any(pd.notna(row.get(c)) for c in ("review", "satisfaction"))
        if not known and bool(empty.get(row["unit"], False)):
            out.append(row["unit"])
    return out


def shorten_paths(text, names: dict | None):
    """``text`` with every absolute path of ``names`` (Dataset ``file_names``) replaced by its name."""
    if not isinstance(text, str) or not names:
        return text
    for path in sorted(names, key=len, reverse=True):
        if path in text:
            text = text.replace(path, names[path])
    return text


def results_table(results: pd.DataFrame, year: int, assessment=None, names: dict | None = None,
                  metrics: dict | None = None) -> pd.DataFrame:
    """The ``assessment`` table of ``year`` (:data:`ASSESSMENT_COLUMNS`), by class then 名次
    (units of one 名次 in the county's order, never by name); file paths in the texts shown by
    ``names`` (the Dataset's ``file_names``), a gate's metric id by its name in ``metrics``
    (``satisfaction = 81.92`` → ``群众满意度 = 81.92``). 基础分, 加分 or 扣分 is NaN (待核实) when an entry of
    its kind is pending: the sum of the entries known is not the unit's."""
    rows = results[results["year"] == year].reset_index(drop=True)
    order = {c: k for k, c in enumerate(class_order(rows, assessment))}
    rows = rows.assign(_c=rows["class"].astype(str).map(order), _r=pd.to_numeric(rows["rank"], errors="coerce"),
                       _n=range(len(rows)))
    rows = rows.sort_values(["_c", "_r", "_n"], na_position="last", kind="stable")
    out = rows.reindex(columns=ASSESSMENT_COLUMNS)
    for column in _TEXTS:
        out[column] = [_named_metrics(shorten_paths(t, names), metrics) for t in out[column].fillna("").astype(str)]
    for column, section in (("base", "item"), ("bonus", "bonus"), ("deduction", "deduction")):
        held = [_pending_in(p, section, assessment) for p in out["pending"]]
        out[column] = out[column].astype(float).where(~pd.Series(held, index=out.index))
    days = rows["rectify_days"] if "rectify_days" in rows else pd.Series(math.nan, index=rows.index)
    out["consequence"] = [_consequence(t, d) for t, d in zip(out["consequence"], days)]
    return out.reset_index(drop=True)


def _pending_in(pending: str, section: str, assessment) -> bool:
    """Whether a unit's ``pending`` ids (``A01、J01``) name an entry of ``section``: its sum is then
    not known (a partial sum is never shown as the 基础分, 加分 or 扣分)."""
    if not pending or assessment is None:
        return bool(pending)
    kinds = {"item": assessment.items, "bonus": assessment.bonus, "deduction": assessment.deductions}[section]
    ids = {e.id for e in kinds}
    return any(i.strip() in ids for i in pending.split("、"))


def _named_metrics(text: str, metrics: dict | None) -> str:
    """``text`` with each metric id (an English word on its own) written as its Chinese name."""
    for ident, name in (metrics or {}).items():
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(ident)}(?![A-Za-z0-9_])", name, text)
    return text


def metric_names(catalog) -> dict[str, str]:
    """Gate metric ids → Chinese: the indicators' names, 述职评议得分, 日常考核, 综合得分."""
    return {**dict(zip(catalog.indicators["id"], catalog.indicators["name"])),
            "review": "述职评议得分", "routine": "日常考核", "annual": "综合得分"}


def tidy_numbers(text):
    """Numbers in a sentence with more than two decimals written with two (68.87619048 → 68.88)."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\d+\.\d{3,}", lambda m: f"{float(m.group()):.2f}", text)


def _consequence(text, days) -> str:
    """结果运用 of a grade, with the 整改报告 it asks for (``rectify_days`` after the 通报)."""
    text = text if isinstance(text, str) else ""
    if days is not None and not (isinstance(days, float) and math.isnan(days)) and pd.notna(days):
        text += f"{'；' if text else ''}通报后 {int(days)} 日内报送书面整改报告"
    return text


def _change(row) -> float:
    if row["section"] == "item":
        return -row["deducted"] if pd.notna(row["deducted"]) else math.nan
    if row["section"] == "veto":
        return math.nan
    return row["earned"]


def detail_table(breakdown: pd.DataFrame, year: int, names: dict | None = None) -> pd.DataFrame:
    """The ``assessment_detail`` table of ``year`` (:data:`DETAIL_COLUMNS`): the entries that are not
    full marks, that have ledger entries or missing checks, or that are 待核实, in the breakdown's
    order (units in the county's order, entries in the catalogue's); the basis sentences with paths
    shown by ``names`` and numbers with two decimals (:func:`tidy_numbers`: the report's text; the
    考核得分 sheet keeps them as scored)."""
    rows = breakdown[breakdown["year"] == year]
    lost = (rows["section"] == "item") & (pd.to_numeric(rows["deducted"], errors="coerce").fillna(0) > 0)
    keep = lost | (pd.to_numeric(rows["entries"], errors="coerce").fillna(0) > 0) | rows["pending"].astype(bool)
    rows = rows[keep]
    out = pd.DataFrame({"unit": rows["unit"], "part": rows["part"], "item": rows["item"], "name": rows["name"],
                        "points": rows["points"], "earned": rows["earned"],
                        "change": [_change(r) for _, r in rows.iterrows()],
                        "basis": [tidy_numbers(shorten_paths(b, names)) for b in rows["basis"]]})
    return out.reset_index(drop=True)


def parts_table(breakdown: pd.DataFrame, year: int) -> pd.DataFrame:
    """The ``assessment_parts`` table of ``year`` (:data:`PART_COLUMNS`): each unit's 基础分 by 大项,
    Σ 分值 and Σ 得分 of its items (NaN where an item is 待核实), parts in the catalogue's order."""
    rows = breakdown[(breakdown["year"] == year) & (breakdown["section"] == "item")]
    out = rows.groupby(["unit", "part"], sort=False).agg(
        points=("points", "sum"), earned=("earned", lambda e: e.sum() if e.notna().all() else math.nan))
    return out.reset_index()[PART_COLUMNS]


def _joined(values) -> str:
    return "、".join(dict.fromkeys(str(v) for v in values if isinstance(v, str) and v.strip()))


def _cells(frame: pd.DataFrame, names: dict | None) -> dict:
    files = [names.get(f, f) if names else f for f in frame["source_file"]]
    return {"source_file": _joined(files), "source_sheet": _joined(frame["source_sheet"]),
            "source_cell": _joined(frame["source_cell"])}


def _source(row, entry, *, township, year, indicators, observations, adjustments, checklist, names) -> dict:
    """Where one unit × entry's points come from (see the module docstring)."""
    empty = {"source": "", "indicator": "", "source_file": "", "source_sheet": "", "source_cell": ""}
    rule = getattr(entry, "rule", None)
    kind = getattr(rule, "kind", None)
    if row["section"] != "item" or kind == "per_incident":
        rows = adjustments[(adjustments["year"] == year) & (adjustments["unit"] == row["unit"])
                           & (adjustments["item"] == row["item"])] if adjustments is not None else None
        if rows is None or rows.empty:
            return {**empty, "source": "加减分台账（无记录）"}
        return {**empty, "source": "加减分台账", **_cells(rows, names)}
    if kind == "checklist":
        rows = checklist[(checklist["year"] == year) & (checklist["unit"] == row["unit"])
                         & (checklist["item"] == row["item"])] if checklist is not None else None
        if rows is None or rows.empty:
            return {**empty, "source": "考核清单（无记录）"}
        missing = rows[~rows["done"].fillna(False).astype(bool)]
        return {**empty, "source": "考核清单", **_cells(missing if len(missing) else rows, names)}
    indicator = getattr(rule, "indicator", None)
    if indicator is None:
        return empty
    info = indicators.set_index("id").loc[indicator] if indicator in set(indicators["id"]) else None
    if info is not None and info["level"] == "village":
        return {**empty, "source": "村级汇总", "indicator": indicator}
    obs = observations[(observations["year"] == year) & (observations["indicator"] == indicator)
                       & (observations["unit_name"] == township)] if township else observations.iloc[0:0]
    if obs.empty:
        return {**empty, "source": "乡镇报表（无数值）", "indicator": indicator}
    return {**empty, "source": "乡镇报表", "indicator": indicator, **_cells(obs, names)}


def trace_table(breakdown: pd.DataFrame, results: pd.DataFrame, year: int, *, assessment, indicators: pd.DataFrame,
                observations: pd.DataFrame, adjustments: pd.DataFrame | None = None,
                checklist: pd.DataFrame | None = None, names: dict | None = None) -> pd.DataFrame:
    """The ``assessment_scores`` table of ``year`` (:data:`TRACE_COLUMNS`): every unit × entry of the
    breakdown with its source (module docstring) and the unit's 考核等次.

    Parameters
    ----------
    breakdown, results : DataFrame
        ``assessment_breakdown`` and ``assessment_results`` (all years or ``year``).
    assessment : Assessment
        The catalogue's rubric (each entry's rule says where its points come from).
    indicators : DataFrame
        The catalogue's indicators (``id, name, level``): a village indicator is 村级汇总.
    observations, adjustments, checklist : DataFrame
        The Dataset's tidy tables with ``source_file, source_sheet, source_cell``.
    names : dict, optional
        The Dataset's ``file_names`` (absolute path → the name shown).
    """
    rows = breakdown[breakdown["year"] == year].reset_index(drop=True)
    res = results[results["year"] == year].set_index("unit")
    out = []
    for _, row in rows.iterrows():
        unit = row["unit"]
        township = res.at[unit, "township"] if unit in res.index and "township" in res else None
        township = township if isinstance(township, str) and township else None
        where = _source(row, assessment.entry(str(row["item"])), township=township, year=year,
                        indicators=indicators, observations=observations, adjustments=adjustments,
                        checklist=checklist, names=names)
        out.append({"year": year, "unit": unit, "secretary": row.get("secretary"), "class": row.get("class"),
                    "section": SECTION_WORDS.get(row["section"], row["section"]), "part": row["part"],
                    "item": row["item"], "name": row["name"], "points": row["points"], "earned": row["earned"],
                    "deducted": row["deducted"], "basis": shorten_paths(row["basis"], names), **where,
                    "grade": res.at[unit, "grade"] if unit in res.index else ""})
    return pd.DataFrame(out, columns=TRACE_COLUMNS)


def annual_from_results(results: pd.DataFrame, year: int, assessment=None) -> pd.DataFrame:
    """The report's ``annual`` table (年度考核) from the rubric's results: ``secretary, unit_name, type,
    routine (日常考核 = the rubric's total), review, satisfaction, annual, parts, rank, grade``,
    in the order of :func:`results_table`."""
    ordered = results_table(results, year, assessment)
    full = results[results["year"] == year].set_index("unit")
    return pd.DataFrame({"secretary": ordered["secretary"], "unit_name": ordered["unit"], "type": ordered["class"],
                         "routine": ordered["routine"], "review": ordered["review"],
                         "satisfaction": ordered["satisfaction"], "annual": ordered["annual"],
                         "parts": ordered["unit"].map(full["parts"]) if "parts" in full else "",
                         "rank": ordered["rank"], "grade": ordered["grade"],
                         "township": ordered["unit"].map(full["township"]) if "township" in full else None})


def assessment_tables(ds, cat, year: int, *, scores=None, reviewed=None, rubric=None) -> dict[str, pd.DataFrame]:
    """``{"assessment", "assessment_detail", "assessment_parts", "assessment_scores", "annual"}`` of ``year`` for a
    catalogue with a rubric (``annual`` still carries ``township``, for the 待核实 marks); ``{}``
    when ``cat.assessment`` is None. ``rubric`` (:class:`~.model.Rubric`) gives the results
    already computed."""
    assessment = getattr(cat, "assessment", None)
    if assessment is None:
        return {}
    if rubric is None:
        from ..metrics.annual import assessment_breakdown, assessment_results

        breakdown = assessment_breakdown(ds, cat, year)
        results = assessment_results(ds, cat, year, scores=scores, reviewed=reviewed, breakdown=breakdown)
    else:
        breakdown, results = rubric.breakdown, rubric.results
    names = getattr(ds, "file_names", None) or {}
    empty = pd.DataFrame(columns=["year", "unit", "item", "source_file", "source_sheet", "source_cell"])
    idle = unscored_units(results[results["year"] == year], breakdown[breakdown["year"] == year])
    trace = trace_table(breakdown, results, year, assessment=assessment, indicators=cat.indicators,
                        observations=ds.observations, adjustments=getattr(ds, "adjustments", empty),
                        checklist=getattr(ds, "checklist", empty), names=names)
    return {"assessment": idle_results(results_table(results, year, assessment, names, metric_names(cat)), idle),
            "assessment_detail": detail_table(breakdown, year, names),
            "assessment_parts": parts_table(breakdown, year),
            "assessment_scores": idle_trace(trace, idle),
            "annual": annual_from_results(results, year, assessment)}


#: ``pending`` of a unit with nothing scored in the year (every entry).
IDLE_PENDING = "全部项目"
#: What the summary says of a unit with nothing scored in the year.
IDLE_NOTE = f"{NO_DATA_PREFIX}（加减分台账、考核清单、指标值均无），待报送后生成"


def idle_results(table: pd.DataFrame, idle) -> pd.DataFrame:
    """``table`` (``assessment``) with each unit of ``idle`` (nothing scored) saying so in one
    sentence (``note`` :data:`IDLE_NOTE`, ``pending`` 全部项目) instead of listing every entry id."""
    if not idle:
        return table
    out = table.copy()
    rows = out["unit"].isin(list(idle))
    out.loc[rows, "pending"] = IDLE_PENDING
    out.loc[rows, "note"] = IDLE_NOTE
    return out


def idle_trace(trace: pd.DataFrame, idle) -> pd.DataFrame:
    """``trace`` (``assessment_scores``) with each unit of ``idle`` on one row (``name`` 全部项目,
    basis :data:`IDLE_NOTE`, no points) instead of one row of blanks per rubric entry."""
    if not idle or trace.empty:
        return trace
    idle = set(idle)
    out, done = [], set()
    for row in trace.to_dict("records"):
        unit = row["unit"]
        if unit not in idle:
            out.append(row)
        elif unit not in done:
            done.add(unit)
            out.append({**dict.fromkeys(TRACE_COLUMNS, ""), "year": row["year"], "unit": unit,
                        "secretary": row["secretary"], "class": row["class"], "name": "全部项目",
                        "points": math.nan, "earned": math.nan, "deducted": math.nan, "basis": IDLE_NOTE,
                        "grade": row["grade"]})
    return pd.DataFrame(out, columns=TRACE_COLUMNS).astype({c: trace[c].dtype for c in ("points", "earned", "deducted")})
