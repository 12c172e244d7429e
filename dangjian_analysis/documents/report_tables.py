"""The yearly report's tables, computed once with English ids (data, not display).

:func:`build_tables` returns ``{table id: DataFrame}`` for the ids of :data:`TABLES`, every
column an English id: the one place that turns them into Chinese sheets and headers is
:mod:`.report_labels` (the display layer). Conventions:

- sub-index columns are ``index:<group id>`` (one per group of the catalogue, in its order);
- ``coverage_pct`` is the weight with data in % (100 × ``coverage``);
- ``votes:<rating>`` counts the ballots of a rating (好, 较好, … as the catalogue names them);
- ``provisional_reason`` is empty for final results and names the reason for a 待核实 one; the
  grade of a provisional result carries :data:`~dangjian_analysis.metrics.composite.PROVISIONAL_MARK`.
"""

from __future__ import annotations

import pandas as pd

from ..metrics._frames import catalog_of, flags
from ..metrics.composite import PROVISIONAL_MARK, index_column, ranking_frame
from ._summary_format import is_count_unit
from ._issue_confirmed import with_confirmations
from .assessment_tables import assessment_tables
from .robust_report import robustness_tables

__all__ = ["TABLES", "ROW_ORDER", "RUBRIC_TABLES", "REPORT_ONLY", "build_tables", "bottom_table", "village_moves", "provisional_marks", "township_unit",
           "target_text", "index_column", "feature_table", "NOT_RECORDED", "COUNTY_MEAN_UNITS", "bottom_clause",
           "ABSENT_VILLAGE"]

#: The report's tables, in the order of the summary workbook.
TABLES = ("ranking", "robustness", "sensitivity", "leave_one_out", "indicator_scores", "attainment", "feature", "bottom", "moves", "village_moves", "review", "annual",
          "assessment", "assessment_scores", "assessment_detail", "assessment_parts", "doubtful", "confirmed", "issues",
          "sources")
#: The one row order of each kind of table, the same in the report, its appendix, summary.xlsx and
#: the deck: ``rank`` — tables that rank townships or villages (this year's rank, best first;
#: 述职评议 and 年度考核 by class, then rank in the class); ``county`` — tables of values per
#: township, in the county's official order (the catalogue's ``[[townships]]``), 全县 last.
ROW_ORDER = {"ranking": "rank", "robustness": "rank", "leave_one_out": "rank", "moves": "rank", "bottom": "rank", "review": "rank", "annual": "rank",
             "indicator_scores": "county", "attainment": "county", "feature": "county", "village_moves": "county"}
#: Tables left out of the summary workbook while empty (most years have none).
OPTIONAL = ("doubtful", "confirmed")
#: Tables only when the catalogue has a 考核细则 (``catalog.assessment``; :mod:`.assessment_tables`).
RUBRIC_TABLES = ("assessment", "assessment_scores", "assessment_detail", "assessment_parts")
#: Tables the report shows but the summary workbook does not (its 考核得分 sheet has every entry).
REPORT_ONLY = ("assessment_detail", "assessment_parts")


def township_unit(catalog, indicator: str) -> str:
    """The true unit of an indicator's township value: a share of villages meeting the target is
    ``%（达标村占比）``, a mean of villages e.g. ``万元（村均）``, a sum e.g. ``人（各村合计）``."""
    row = catalog.indicator(indicator)
    unit = "是/否" if row["unit"] == "0/1" else row["unit"]
    if row["level"] != "village" or not isinstance(row["aggregate"], str):
        return unit
    if row["aggregate"] == "share_meeting_target":
        return "%（达标村占比）"
    if row["aggregate"] == "mean":
        return "村占比（0–1）" if row["unit"] == "0/1" else f"{unit}（村均）"
    return f"{unit}（各村合计）"


def target_text(catalog, indicator: str) -> str:
    """An indicator's target as a reader writes it: 是/否 for a yes/no item, else ``≥5万元``."""
    row = catalog.indicator(indicator)
    if row["unit"] == "0/1":
        return "否" if row["direction"] == "lower" else "是"
    return f"{'≤' if row['direction'] == 'lower' else '≥'}{row['target']:g}{row['unit']}"


def provisional_marks(scores: pd.DataFrame, year: int) -> dict[str, str]:
    """Unit name → reason for each unit whose overall result of ``year`` is provisional (待核实).

    Empty when ``scores`` has no ``provisional`` column (a table from before provisional marks).
    """
    if "provisional" not in scores.columns:
        return {}
    rows = scores[(scores["year"] == year) & (scores["group"] == "overall")]
    rows = rows[flags(rows["provisional"])]
    reasons = rows["provisional_reason"].fillna("") if "provisional_reason" in rows else pd.Series("", index=rows.index)
    return {name: reason or "数据不完整" for name, reason in zip(rows["unit_name"], reasons)}


def _marked(grades: pd.Series, names: pd.Series, marks: dict) -> list:
    return [g if (n not in marks or not isinstance(g, str) or PROVISIONAL_MARK in g) else g + PROVISIONAL_MARK
            for g, n in zip(grades, names)]


def _ranking(scores, year, cat, uncertainty) -> pd.DataFrame:
    """:func:`~dangjian_analysis.metrics.composite.ranking_frame` with the rank interval and the
    倒排 probability of ``uncertainty`` and the village coverage, the reason last."""
    table = ranking_frame(scores, year, cat)
    unit = "township" if "township" in table else "village"
    reason = table.pop("provisional_reason")
    if uncertainty is not None:
        u = uncertainty[uncertainty["year"] == year].set_index("unit_name")
        table["rank_interval"] = [f"{u.loc[n, 'rank_p05']:.0f}–{u.loc[n, 'rank_p95']:.0f}" for n in table[unit]]
        table["p_bottom"] = [u.loc[n, "p_bottom"] for n in table[unit]]
    if "village_coverage" in scores:
        overall = scores[(scores["year"] == year) & (scores["group"] == "overall")]
        table["village_coverage"] = table[unit].map(overall.set_index("unit_name")["village_coverage"])
    table["provisional_reason"] = reason
    return table


def _indicator_scores(ind, cat, year) -> pd.DataFrame:
    ind = ind[ind["year"] == year]
    order = {i: k for k, i in enumerate(cat.indicators["id"])}
    towns = {t: k for k, t in enumerate(cat.townships["unit_name"])}
    ind = ind.assign(_t=ind["unit_name"].map(towns), _i=ind["indicator"].map(order)).sort_values(["_t", "_i"])
    return pd.DataFrame({"township": ind["unit_name"], "group": ind["group"], "indicator": ind["indicator"],
                         "unit": ind["indicator"].map({i: township_unit(cat, i) for i in set(ind["indicator"])}),
                         "value": ind["value"], "score": ind["score"]}).reset_index(drop=True)


def _attainment(att, cat, year) -> pd.DataFrame:
    att = att[att["year"] == year]
    order = {i: k for k, i in enumerate(cat.indicators["id"])}
    towns = {t: k for k, t in enumerate([*cat.townships["unit_name"], "全县"])}
    att = att.assign(_t=att["township"].map(towns), _i=att["indicator"].map(order)).sort_values(["_t", "_i"])
    return pd.DataFrame({"township": att["township"], "indicator": att["indicator"],
                         "target": att["indicator"].map({i: target_text(cat, i) for i in set(att["indicator"])}),
                         "villages": att["villages"], "met": att["met"],
                         "share": att["share"]}).reset_index(drop=True)


#: The 主导产业 of a township the catalogue does not name (the templates have no column for it).
NOT_RECORDED = "未登记"
#: Units whose 全县 value is the townships' mean (a share); any other unit's is their total.
COUNTY_MEAN_UNITS = ("%",)


def feature_table(indicators: pd.DataFrame, catalog, year: int) -> pd.DataFrame:
    """The 一乡一品 table of ``year``: ``township, product`` and one column per 一乡一品
    indicator (its id, catalogue order), townships in the catalogue's (the county's official)
    order, then a 全县 row: the townships' total, or for a share (unit in
    :data:`COUNTY_MEAN_UNITS`) their mean — over the townships with a value.

    ``product`` is the township's 主导产业 as the catalogue names it (a ``product`` field of
    ``[[townships]]``), else :data:`NOT_RECORDED`: neither the template nor the catalogue records
    it today. ``indicators``: :func:`~dangjian_analysis.metrics.scoring.score_indicators`.
    """
    ids = [i for i, g in zip(catalog.indicators["id"], catalog.indicators["group"]) if g == "feature"]
    rows = indicators[(indicators["year"] == year) & indicators["indicator"].isin(ids)]
    wide = rows.pivot_table(index="unit_name", columns="indicator", values="value", aggfunc="first")
    towns = [t for t in catalog.townships["unit_name"] if t in wide.index]
    wide = wide.reindex(index=towns, columns=[i for i in ids if i in wide.columns])
    products = (dict(zip(catalog.townships["unit_name"], catalog.townships["product"]))
                if "product" in catalog.townships else {})
    table = pd.DataFrame({"township": towns, "product": [products.get(t) or NOT_RECORDED for t in towns]})
    for i in wide.columns:
        table[i] = wide[i].to_numpy(dtype=float)
    units = dict(zip(catalog.indicators["id"], catalog.indicators["unit"]))
    county = {"township": "全县", "product": ""}
    county.update({i: (table[i].mean() if units[i] in COUNTY_MEAN_UNITS else table[i].sum(min_count=1))
                   for i in wide.columns})
    table = pd.concat([table, pd.DataFrame([county])], ignore_index=True) if towns else table
    for i in wide.columns:                      # counts (个, 户) as whole numbers, not 6.0
        whole = table[i].dropna()
        if is_count_unit(units[i]) and (whole == whole.round()).all():
            table[i] = table[i].round().astype("Int64")
    return table


def _review_tables(ds, cat, year, scores, reviewed, marks, rubric=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """述职评议 and 年度考核 of ``year``; ``rubric``: the 年度考核 rows from the 考核细则
    (:func:`~.assessment_tables.annual_from_results`) when the catalogue has one."""
    from ..metrics.review import annual_assessment
    from ..metrics.scoring import aggregate_villages

    r = reviewed[(reviewed["year"] == year) & (reviewed["rater_group"] == "overall")].sort_values(["type", "rank"])
    ratings = list(cat.review.ratings["rating"])
    review_table = pd.DataFrame({"secretary": r["secretary"], "unit_name": r["unit_name"], "type": r["type"],
                                 "valid": r["valid"], "invalid": r["invalid"],
                                 **{f"votes:{k}": r[k] for k in ratings},
                                 "top_rate": r["top_rate"], "good_rate": r["good_rate"], "bad_rate": r["bad_rate"],
                                 "score": r["score"], "grade": r["grade"], "rank": r["rank"]})
    if "grade_note" in r and r["grade_note"].fillna("").astype(str).str.len().gt(0).any():
        review_table["grade_note"] = r["grade_note"].fillna("")
    if rubric is not None:                      # 日常考核 from the 考核细则 (assessment_results)
        a = rubric
    else:
        sat = aggregate_villages(ds, cat)
        sat = sat.loc[sat["indicator"] == "satisfaction", ["township", "year", "value"]]
        annual = annual_assessment(scores, reviewed, sat, catalog=cat)
        a = annual[annual["year"] == year]
    towns = a["township"].fillna("")
    annual_table = pd.DataFrame({"secretary": a["secretary"], "unit_name": a["unit_name"], "type": a["type"],
                                 "routine": a["routine"], "review": a["review"], "satisfaction": a["satisfaction"],
                                 "annual": a["annual"], "parts": a["parts"], "rank": a["rank"],
                                 "grade": _marked(a["grade"], towns, marks)})
    if marks:
        annual_table["provisional_reason"] = [f"日常考核：{marks[t]}" if t in marks else "" for t in towns]
    return review_table.reset_index(drop=True), annual_table.reset_index(drop=True)


#: The reason a village that sent no village value is listed (under 不报不得分 it scores 0): the
#: words :func:`~dangjian_analysis.metrics.rectify.flag_bottom` gives it in ``incomplete_reason``.
ABSENT_VILLAGE = "未报送任何村级指标（按不得分计）"


def bottom_clause(share: float, partial: bool = False, absent: bool = False) -> str:
    """The reason every 倒排 village shares: ``综合指数位于全县最低的 10%``, or in a partial year
    (townships not yet returned: the villages are ranked among those reported)
    ``综合指数位于已报送乡镇的村中最低的 10%``; for a village that sent nothing (``absent``) it
    leads with :data:`ABSENT_VILLAGE` — the low index is only its consequence."""
    clause = f"综合指数位于{'已报送乡镇的村中' if partial else '全县'}最低的 {share:.0%}"
    return f"{ABSENT_VILLAGE}；{clause}" if absent else clause


def bottom_table(ds, year: int, *, catalog=None, villages=None) -> pd.DataFrame:
    """The villages to rectify (倒排) in ``year``: ``bottom_rank, township, village, score, rank,
    grade, reason`` (and ``provisional_reason`` when a result is provisional). ``villages``: the
    village scores (``score_composite(ds, level="village")``), if computed.

    In a partial year (fewer townships with data in ``year`` than the catalogue lists) ``rank``
    is among the villages of the townships that reported: the reason says so
    (:func:`bottom_clause`) and ``attrs["partial"]`` is True (its header reads 名次（已报送））. The
    reason of a village that sent no village value that year leads with :data:`ABSENT_VILLAGE`
    (it stays in ``provisional_reason`` too: its listing is 待核实)."""
    from ..charts._reported import is_partial
    from ..metrics.rectify import flag_bottom

    cat = catalog_of(ds, catalog)
    obs = ds.observations
    partial = is_partial(obs.loc[obs["year"] == year, "township"].unique(), cat)
    bottom = flag_bottom(ds if villages is None else villages, data=ds, catalog=cat)
    bottom = bottom[bottom["year"] == year]
    why = bottom["incomplete_reason"] if "incomplete_reason" in bottom else pd.Series("", bottom.index)
    absent = [ABSENT_VILLAGE in str(w).split("；") for w in why]
    table = pd.DataFrame({"bottom_rank": bottom["bottom_rank"], "township": bottom["township"],
                          "village": bottom["unit_name"], "score": bottom["score"],
                          "rank": bottom["rank"], "grade": bottom["grade"],
                          "reason": [bottom_clause(cat.bottom_share, partial, a) + (f"；{r}" if r else "")
                                     for a, r in zip(absent, bottom["reasons"])]})
    table.attrs["partial"] = partial
    if "provisional" in bottom and flags(bottom["provisional"]).any():
        why = bottom["incomplete_reason"] if "incomplete_reason" in bottom else pd.Series("数据不完整", bottom.index)
        table["provisional_reason"] = why.where(flags(bottom["provisional"]), "")
    out = table.reset_index(drop=True)
    out.attrs["partial"] = partial
    return out


def village_moves(ds, from_year: int, to_year: int, catalog=None, villages=None) -> pd.DataFrame:
    """Village grade moves (晋位升级) per township (empty when the data have one year only):
    ``township, villages, up, same, down, up_units, down_units``; ``villages`` as in
    :func:`bottom_table`."""
    from ..metrics.scoring import score_composite
    from ..metrics.trends import moves_by_township

    cat = catalog_of(ds, catalog)
    columns = ["township", "villages", "up", "same", "down", "up_units", "down_units"]
    if from_year == to_year:
        return pd.DataFrame(columns=columns)
    villages = score_composite(ds, cat, level="village") if villages is None else villages
    return moves_by_township(villages, from_year, to_year, grades=list(cat.grade_bands["grade"]), catalog=cat)[columns]


def _moves(scores, cat, previous: int, year: int, marks: dict) -> pd.DataFrame:
    from ..metrics.trends import grade_transitions

    before = provisional_marks(scores, previous)
    moves = grade_transitions(scores, previous, year, grades=list(cat.grade_bands["grade"])).units
    order = scores[(scores["year"] == year) & (scores["group"] == "overall")].set_index("unit_name")["rank"]
    moves = moves.iloc[moves["unit_name"].map(order).fillna(len(order) + 1).argsort(kind="stable").to_numpy()]
    table = pd.DataFrame({"township": moves["unit_name"],
                          "grade_from": _marked(moves["grade_from"], moves["unit_name"], before),
                          "grade_to": _marked(moves["grade_to"], moves["unit_name"], marks), "move": moves["move"]})
    if marks or before:
        table["provisional_reason"] = ["；".join(f"{y}年：{m[n]}" for y, m in ((previous, before), (year, marks))
                                                if n in m) for n in moves["unit_name"]]
    return table


def _sources(ds, cat, year) -> pd.DataFrame:
    """Every value of ``year`` and the years before it (the charts draw them: trends, 名次变化)
    with its file (carrying the Dataset's ``file_names``), sheet and cell; latest year first."""
    obs = ds.observations[ds.observations["year"] <= year]
    obs = obs.iloc[pd.Series(-obs["year"].to_numpy()).argsort(kind="stable").to_numpy()]
    out = pd.DataFrame({"unit_name": obs["unit_name"], "township": obs["township"], "year": obs["year"],
                        "indicator": obs["indicator"],
                        "unit": obs["indicator"].map(dict(zip(cat.indicators["id"], cat.indicators["unit"]))),
                        "value": obs["value"], "source_file": obs["source_file"], "source_sheet": obs["source_sheet"],
                        "source_cell": obs["source_cell"],
                        "confirmed": obs["confirmed"] if "confirmed" in obs else pd.NA}).reset_index(drop=True)
    out.attrs["file_names"] = getattr(ds, "file_names", None) or {}
    return out


def build_tables(ds, year: int, *, catalog=None, scores=None, villages=None, uncertainty=None,
                 previous: int | None = None, indicators=None, reviewed=None,
                 attainment=None, rubric=None, robust=None) -> dict[str, pd.DataFrame]:
    """The report's tables of ``year``, ``{id: DataFrame}`` for every id of :data:`TABLES` (those of
    :data:`RUBRIC_TABLES` only when the catalogue has a 考核细则; its 年度考核 then takes 日常考核
    from the rubric's total, :mod:`.assessment_tables`).

    Parameters
    ----------
    ds : Dataset
    year : int
    catalog : Catalog, optional
        Default: the Dataset's.
    scores, villages : DataFrame, optional
        Township and village ``score_composite`` results (computed when not given).
    uncertainty : DataFrame, optional
        ``rank_uncertainty`` result: adds ``rank_interval`` and ``p_bottom`` to the ranking.
    previous : int, optional
        The year compared with (晋位升级); default the latest year before ``year`` in ``scores``
        (``year`` itself when there is none: the move tables are then all 持平 or empty).
    indicators, reviewed, attainment : DataFrame, optional
        ``score_indicators``, ``review`` and ``target_attainment(by="township")`` results
        (computed when not given).
    rubric : Rubric, optional
        The year's 考核细则 results (:func:`~.model.rubric_of`; computed when not given).
    robust : RankRobustness, optional
        :func:`~.robust_report.rank_robustness`: adds the tables ``robustness``, ``sensitivity`` and
        ``leave_one_out`` (:func:`~.robust_report.robustness_tables`), and the ranking's
        ``rank_interval`` and ``p_bottom`` come from it (every choice, not only the weights).
    """
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators
    from ..metrics.targets import target_attainment

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    villages = score_composite(ds, cat, level="village") if villages is None else villages
    indicators = score_indicators(ds, cat) if indicators is None else indicators
    reviewed = review(ds, catalog=cat) if reviewed is None else reviewed
    attainment = target_attainment(ds, cat, by="township") if attainment is None else attainment
    if previous is None:
        previous = max([y for y in sorted(scores["year"].unique()) if y < year], default=year)
    marks = provisional_marks(scores, year)
    rubric = assessment_tables(ds, cat, year, scores=scores, reviewed=reviewed, rubric=rubric)
    review, annual = _review_tables(ds, cat, year, scores, reviewed, marks, rubric.pop("annual", None))
    robust_tables = {} if robust is None else robustness_tables(robust, year, cat)
    return {"ranking": _ranking(scores, year, cat, uncertainty if robust is None else robust.robustness),
            **robust_tables,
            "indicator_scores": _indicator_scores(indicators, cat, year), "attainment": _attainment(attainment, cat, year),
            "feature": feature_table(indicators, cat, year), "bottom": bottom_table(ds, year, catalog=cat, villages=villages),
            "moves": _moves(scores, cat, previous, year, marks),
            "village_moves": village_moves(ds, previous, year, cat, villages), "review": review, "annual": annual,
            **rubric,
            **_doubtful(ds, cat, year), "issues": with_confirmations(ds), "sources": _sources(ds, cat, year),
            "absent": _absent(ds, cat, year)}


def _absent(ds, cat, year) -> pd.DataFrame:
    """``absent``: the roster villages that sent no village value in ``year`` though their township
    reported (``township, village``, catalogue order; aggregate_villages' ``absent_villages``)."""
    from ..metrics.scoring import aggregate_villages

    frame = aggregate_villages(ds, cat).attrs["absent_villages"].frame
    return frame.loc[frame["year"] == year, ["township", "village"]].reset_index(drop=True)


def _doubtful(ds, cat, year) -> dict[str, pd.DataFrame]:
    """``doubtful``: the year's doubtful values still to confirm (they hold their results
    待核实); ``confirmed``: those confirmed, with who confirmed them, why and where."""
    from ..metrics.completeness import doubtful_cells

    cells = doubtful_cells(ds, cat)
    cells = cells[cells["year"] == year]
    cols = ["township", "unit_name", "indicator", "value", "file", "sheet", "cell", "message"]
    held = cells.loc[~cells["confirmed"].astype(bool), cols].reset_index(drop=True)
    done = cells[cells["confirmed"].astype(bool)]
    confirmations = getattr(ds, "confirmations", None)
    notes = {}
    if confirmations is not None and len(confirmations):
        for c in confirmations.itertuples():
            notes[(c.sheet, c.cell)] = (c.note, c.confirmed_by, c.date, c.source_file)
    extra = [notes.get((s, str(c).upper()), ("", "", "", "")) for s, c in zip(done["sheet"], done["cell"])]
    confirmed = done[cols[:-1]].assign(note=[e[0] for e in extra], confirmed_by=[e[1] for e in extra],
                                        date=[e[2] for e in extra], confirmation_file=[e[3] for e in extra])
    confirmed = confirmed.reset_index(drop=True)
    held.attrs["file_names"] = confirmed.attrs["file_names"] = getattr(ds, "file_names", {})
    return {"doubtful": held, "confirmed": confirmed}
