"""The report model: everything the yearly report's documents show, computed once.

:func:`build_model` computes, from a Dataset and its scores, the report's tables (English ids,
:mod:`.report_tables`), its 主要结论 (:mod:`.conclusions`) and its charts (each with an id, a
file name, a title, a takeaway and speaker notes, :func:`~.slides.chart_specs`) into a frozen
:class:`ReportModel`. Every writer — summary.xlsx, the CSVs, report.docx, report.html and the
deck — renders from it; only the display layer (:mod:`.report_labels`) turns its ids into
Chinese. A piece the writers ask for that the model does not have raises :class:`KeyError`
instead of silently dropping a sentence or a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from ..metrics._frames import catalog_of

__all__ = ["ReportModel", "ChartSpec", "build_model"]


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
    title : str
        ``<county><year>年度基层党建考核报告``.
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
    title: str

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` (English ids); :class:`KeyError` naming it when the model has none."""
        if name not in self.tables:
            raise KeyError(f"报告模型中没有表 {name}（有：{'、'.join(self.tables)}）")
        return self.tables[name]

    def labelled(self, name: str) -> pd.DataFrame:
        """The table ``name`` with Chinese headers and values, as people read it."""
        from .report_labels import label_table

        return label_table(name, self.table(name), catalog=self.catalog, year=self.year, previous=self.previous)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """Every table labelled, ``{sheet name: DataFrame}`` (the summary workbook's sheets)."""
        from .report_labels import chinese_tables

        return chinese_tables(dict(self.tables), catalog=self.catalog, year=self.year, previous=self.previous)

    def chart(self, chart_id: str) -> ChartSpec:
        """The chart ``chart_id``; :class:`KeyError` naming it when the model has none."""
        for spec in self.charts:
            if spec.id == chart_id:
                return spec
        raise KeyError(f"报告模型中没有图表 {chart_id}")


def build_model(ds, year: int | None = None, *, catalog=None, scores=None, villages=None,
                uncertainty=None) -> ReportModel:
    """The report model of ``year`` (default: the latest year with scores).

    Parameters
    ----------
    ds : Dataset
    year : int, optional
    catalog : Catalog, optional
        Default: the Dataset's.
    scores, villages, uncertainty : DataFrame, optional
        Township and village ``score_composite`` and ``rank_uncertainty`` results (computed
        when not given; pass them to avoid computing twice).

    >>> model = build_model(ds, 2015)                     # doctest: +SKIP
    >>> model.labelled("ranking").head(3)                 # doctest: +SKIP
    """
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators
    from ..metrics.targets import target_attainment
    from ..metrics.uncertainty import rank_uncertainty
    from .conclusions import report_conclusions
    from .report_tables import build_tables
    from .slides import chart_specs

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    villages = score_composite(ds, cat, level="village") if villages is None else villages
    uncertainty = rank_uncertainty(ds, cat, draws=1000, scores=scores) if uncertainty is None else uncertainty
    year = int(scores["year"].max()) if year is None else int(year)
    previous = max([int(y) for y in scores["year"].unique() if y < year], default=year)
    indicators = score_indicators(ds, cat)
    reviewed = review(ds, catalog=cat)
    attainment = target_attainment(ds, cat, by="township")
    tables = build_tables(ds, year, catalog=cat, scores=scores, villages=villages, uncertainty=uncertainty,
                          previous=previous, indicators=indicators, reviewed=reviewed, attainment=attainment)
    conclusions = report_conclusions(tables, scores, year, catalog=cat)
    charts = tuple(ChartSpec(i, stem, slide) for i, stem, slide in
                   chart_specs(ds, year, catalog=cat, scores=scores, uncertainty=uncertainty, reviewed=reviewed,
                               attainment=attainment))
    return ReportModel(catalog=cat, dataset=ds, year=year, previous=previous, scores=scores, villages=villages,
                       uncertainty=uncertainty, indicators=indicators, reviewed=reviewed, attainment=attainment,
                       tables=MappingProxyType(tables), conclusions=tuple(conclusions), charts=charts,
                       title=f"{cat.county_name}{year}年度基层党建考核报告")
