"""The report model: everything the yearly report's documents show, computed once.

:func:`build_model` computes, from a Dataset and its scores, the report's tables (English ids,
:mod:`.report_tables`), its 主要结论 (:mod:`.conclusions`) and its charts (each with an id, a
file name, a title, a takeaway and speaker notes, :func:`~.slides.chart_specs`) into a frozen
:class:`ReportModel`. Every writer — summary.xlsx, the CSVs, report.docx, report.html and the
deck — renders from it; only the display layer (:mod:`.report_labels`) turns its ids into
Chinese. A piece the writers ask for that the model does not have raises :class:`KeyError`
instead of silently dropping a sentence or a table. The analyst's own words (报告文字: 主要成效,
存在问题, 下一步工作, per township 亮点 / 问题 / 整改要求) come in as a
:class:`~.narrative.Narrative`, read from the narrative file, never computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from ..metrics._frames import catalog_of
from .narrative import Narrative

__all__ = ["ReportModel", "ChartSpec", "Roll", "build_model", "DRAFT_MARK"]

#: What the title of a report carries while it is a draft (townships or county tables missing,
#: or results 待核实) when the catalogue gives no word of its own (``[report] draft``).
DRAFT_MARK = "征求意见稿"


@dataclass(frozen=True)
class Roll:
    """报送情况 of the report's year (from :meth:`Dataset.roll <dangjian_analysis.intake.Dataset.roll>`):
    the townships of the catalogue, those with data in the year (``reported``, with errors or
    not) and those without (``missing``); the county tables with no row for the year
    (``county_missing``, Chinese names); ``table``, the roll itself (one row per township and
    county table, ``roll_status`` reported / errors / returned / missing)."""

    townships: tuple[str, ...]
    reported: tuple[str, ...]
    missing: tuple[str, ...]
    county_missing: tuple[str, ...]
    table: pd.DataFrame

    @property
    def complete(self) -> bool:
        """Every township and every county table is in."""
        return not self.missing and not self.county_missing


def roll_of(ds, year: int) -> Roll:
    """The :class:`Roll` of ``year`` from the Dataset's 报送进度: a township has reported when
    any value of it (or of its villages) for the year is in, even with errors beside it."""
    table = ds.roll(year)
    towns = table[table["kind"] == "township"]
    county = table[table["kind"] == "county_table"]
    return Roll(tuple(towns["unit"]), tuple(towns.loc[towns["roll_status"] != "missing", "unit"]),
                tuple(towns.loc[towns["roll_status"] == "missing", "unit"]),
                tuple(county.loc[county["roll_status"] == "missing", "unit"]), table)


def _pending_assessment(tables: dict) -> bool:
    """A 考核细则 result of the year is 待核实 (an input missing): the report is a draft."""
    if "assessment" not in tables:
        return False
    from ..metrics.annual import PENDING

    return bool((tables["assessment"]["grade"].astype(str) == PENDING).any())


@dataclass(frozen=True)
class Rubric:
    """The 考核细则 of the report's year: :func:`~dangjian_analysis.metrics.annual.assessment_breakdown`
    (``breakdown``), :func:`~dangjian_analysis.metrics.annual.assessment_results` (``results``) and
    :func:`~dangjian_analysis.metrics.annual.rectification_list` (``rectification``)."""

    breakdown: pd.DataFrame
    results: pd.DataFrame
    rectification: pd.DataFrame


def rubric_of(ds, cat, year: int, *, scores=None, reviewed=None) -> Rubric | None:
    """The year's :class:`Rubric` (None when the catalogue has no 考核细则)."""
    if getattr(cat, "assessment", None) is None:
        return None
    from ..metrics.annual import assessment_breakdown, assessment_results, rectification_list

    breakdown = assessment_breakdown(ds, cat, year)
    results = assessment_results(ds, cat, year, scores=scores, reviewed=reviewed, breakdown=breakdown)
    return Rubric(breakdown, results, rectification_list(results, breakdown, cat))


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the report: ``id`` (e.g. ``"ranking"``), the file ``stem``
    (``"01_综合指数排名"``) and its slide (title, takeaway, drawing function, native data, notes)."""

    id: str
    stem: str
    slide: object


@dataclass(frozen=True)
class ReportModel:
    """The yearly report of one year, ready for every writer.

    Attributes
    ----------
    catalog : Catalog
    dataset : Dataset
    year, previous : int
        The report's year and the year it is compared with (晋位升级; ``year`` itself when the
        data have no earlier year).
    scores, villages, uncertainty : DataFrame
        ``score_composite`` for townships and villages, ``rank_uncertainty``.
    indicators, reviewed, attainment : DataFrame
        ``score_indicators``, ``review`` and ``target_attainment(by="township")``, all years:
        computed once for the tables, the charts and the CSVs.
    tables : Mapping of str to DataFrame
        :func:`~.report_tables.build_tables` (ids in :data:`~.report_tables.TABLES`).
    conclusions : tuple of str
        主要结论, in the order of the report.
    charts : tuple of ChartSpec
    roll : Roll
        报送情况 of the year.
    rescored : tuple of str
        How re-scoring with this year's catalogue changed last year's figures (empty when last
        year's report is not given or used the same catalogue; see :mod:`.rescored`).
    draft : bool
        Townships or county tables are missing, a result (or a 考核细则 grade) is 待核实, or a part of
        the narrative is missing: the title carries the catalogue's word for a draft
        (``Catalog.draft_word``, ``[report] draft``; default :data:`DRAFT_MARK`) — a draft never looks
        like a final report.
    title : str
        ``<county><year>年度基层党建考核报告``, with ``（征求意见稿）`` (the county's word) while a draft.
    narrative : Narrative
        The analyst's words (:mod:`.narrative`), covering every township of the catalogue;
        default an empty one (every part missing).
    robust : RankRobustness or None
        The ranking's robustness over every modelling choice (:func:`~.robust_report.rank_robustness`):
        the tables ``robustness``, ``sensitivity``, ``leave_one_out``, the ranking's interval and
        P(倒排), and the chart ``robustness`` come from it.
    """

    catalog: object
    dataset: object
    year: int
    previous: int
    scores: pd.DataFrame
    villages: pd.DataFrame
    uncertainty: pd.DataFrame
    indicators: pd.DataFrame
    reviewed: pd.DataFrame
    attainment: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    conclusions: tuple[str, ...]
    charts: tuple[ChartSpec, ...]
    roll: Roll
    rescored: tuple[str, ...]
    draft: bool
    title: str
    rubric: Rubric | None = None
    narrative: Narrative = field(default_factory=Narrative)
    robust: object = None

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` (English ids); :class:`KeyError` naming it when the model has none."""
        if name not in self.tables:
            raise KeyError(f"报告模型中没有表 {name}（有：{'、'.join(self.tables)}）")
        return self.tables[name]

    def labelled(self, name: str) -> pd.DataFrame:
        """The table ``name`` with Chinese headers and values, as people read it."""
        from .report_labels import label_table

        return label_table(name, self.table(name), catalog=self.catalog, year=self.year, previous=self.previous,
                           partial=bool(self.roll.missing))

    def sheets(self) -> dict[str, pd.DataFrame]:
        """Every table labelled, ``{sheet name: DataFrame}`` (the summary workbook's sheets)."""
        from .report_labels import chinese_tables

        return chinese_tables(dict(self.tables), catalog=self.catalog, year=self.year, previous=self.previous,
                              partial=bool(self.roll.missing))

    def chart(self, chart_id: str) -> ChartSpec:
        """The chart ``chart_id``; :class:`KeyError` naming it when the model has none."""
        for spec in self.charts:
            if spec.id == chart_id:
                return spec
        raise KeyError(f"报告模型中没有图表 {chart_id}")


def build_model(ds, year: int | None = None, *, catalog=None, scores=None, villages=None,
                uncertainty=None, rescored=(), narrative=None, robust=None) -> ReportModel:
    """The report model of ``year`` (default: the latest year with scores).

    Parameters
    ----------
    ds : Dataset
    year : int, optional
    catalog : Catalog, optional
        Default: the Dataset's.
    scores, villages, uncertainty : DataFrame, optional
        Township and village ``score_composite`` and ``rank_uncertainty`` results (computed
        when not given; pass them to avoid computing twice). ``scores`` computed from the
        Dataset carry the 待核实 of a partial year (:func:`~dangjian_analysis.metrics.roll_hold.hold_for_roll`);
        computed from its observations alone they do not.
    rescored : sequence of str
        :func:`~.rescored.rescored_sentences` for last year's report, said after the county mean.
    narrative : Narrative or path, optional
        The analyst's words, or the path of the narrative file to read; default the narrative
        file found beside the data (:func:`~.narrative.find_narrative`; none found, or a file
        written for another year: every part missing, and the report is a draft).
    robust : RankRobustness, optional
        :func:`~.robust_report.rank_robustness` (run here with the catalogue's ``[robustness]``
        when not given, about 0.6 s for the sample county; pass it to build two models of the same data).

    >>> model = build_model(ds, 2015)                     # doctest: +SKIP
    >>> model.labelled("ranking").head(3)                 # doctest: +SKIP
    """
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators
    from ..metrics.targets import target_attainment
    from ..metrics.uncertainty import rank_uncertainty
    from .conclusions import report_conclusions
    from .report_tables import build_tables
    from .robust_report import rank_robustness
    from .slides import chart_specs

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    villages = score_composite(ds, cat, level="village") if villages is None else villages
    uncertainty = rank_uncertainty(ds, cat, draws=1000, scores=scores) if uncertainty is None else uncertainty
    year = int(scores["year"].max()) if year is None else int(year)
    previous = max([int(y) for y in scores["year"].unique() if y < year], default=year)
    roll = roll_of(ds, year)          # while townships are missing, score_composite(ds) has held every rank
    indicators = score_indicators(ds, cat)
    reviewed = review(ds, catalog=cat)
    attainment = target_attainment(ds, cat, by="township")
    rubric = rubric_of(ds, cat, year, scores=scores, reviewed=reviewed)
    robust = rank_robustness(ds, cat) if robust is None else robust
    tables = build_tables(ds, year, catalog=cat, scores=scores, villages=villages, uncertainty=uncertainty,
                          previous=previous, indicators=indicators, reviewed=reviewed, attainment=attainment,
                          rubric=rubric, robust=robust)
    conclusions = report_conclusions(tables, scores, year, catalog=cat)
    conclusions = [*conclusions[:1], *rescored[:1], *conclusions[1:]]
    held = tables["ranking"]["provisional_reason"].fillna("").astype(str).str.len().gt(0).any()
    narrative = _narrative_of(ds, cat, narrative, year)
    draft = not roll.complete or bool(held) or _pending_assessment(tables) or bool(narrative.missing())
    charts = tuple(ChartSpec(i, stem, slide) for i, stem, slide in
                   chart_specs(ds, year, catalog=cat, scores=scores, uncertainty=uncertainty, reviewed=reviewed,
                               attainment=attainment))
    charts = _robust_chart(charts, robust, tables, year, cat)
    return ReportModel(catalog=cat, dataset=ds, year=year, previous=previous, scores=scores, villages=villages,
                       uncertainty=uncertainty, indicators=indicators, reviewed=reviewed, attainment=attainment,
                       tables=MappingProxyType(tables), conclusions=tuple(conclusions), charts=charts,
                       roll=roll, rescored=tuple(rescored), draft=draft, rubric=rubric, narrative=narrative, robust=robust,
                       title=f"{cat.county_name}{year}年度基层党建考核报告" + (f"（{cat.draft_word}）" if draft else ""))


def _narrative_of(ds, cat, narrative, year: int) -> Narrative:
    """The model's narrative: the one given (covering the catalogue's townships), the file given
    read, or the file found beside the data."""
    from .narrative import find_narrative, read_narrative

    towns = list(cat.townships["unit_name"])
    if isinstance(narrative, Narrative):
        return narrative.covering(towns)
    return read_narrative(find_narrative(ds) if narrative is None else narrative, catalog=cat, year=year)


def _robust_chart(charts: tuple, robust, tables: dict, year: int, cat) -> tuple:
    """The charts with the rank-interval chart (id ``robustness``) drawn over every modelling
    choice (:func:`~.robust_report.robustness_slide`) instead of the weights only: one chart of
    rank intervals, the one the text and the tables describe."""
    from .robust_report import robustness_slide

    return tuple(ChartSpec(c.id, c.stem, robustness_slide(robust, tables, year, cat)) if c.id == "robustness" else c
                 for c in charts)
