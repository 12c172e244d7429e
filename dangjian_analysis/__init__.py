"""dangjian-analysis: county grassroots Party-building evaluation (县级基层党建考核分析).

The package is laid out as the pipeline, one sub-package per stage, each importing only
the stages before it:

1. :mod:`~dangjian_analysis.catalog` — the 指标体系: indicators, weights, targets, units,
   grades, the 述职评议 scheme, and the tidy tables every stage shares;
2. :mod:`~dangjian_analysis.intake` — reading and checking the returned workbooks into a
   ``Dataset`` (every cell accounted for, every problem named by file, sheet and cell);
3. :mod:`~dangjian_analysis.metrics` — scores, sub-indices, ranks, grades, weights, rank
   robustness, trends, targets, 倒排, conduct and 述职评议;
4. :mod:`~dangjian_analysis.charts` — slide-sized Chinese charts and their takeaways;
5. :mod:`~dangjian_analysis.documents` — the template, issue lists, summary workbook,
   deck and the yearly report.

:mod:`~dangjian_analysis.cli` is the ``dangjian`` command over this API and
:mod:`~dangjian_analysis.sample` generates the fictional sample county. A new indicator
goes into the catalogue, a new check into intake, a new metric into metrics, a new chart
into charts, a new output into documents.

``import dangjian_analysis`` stays light: submodules (and pandas, matplotlib, openpyxl,
python-calamine) load on first use of a name.
"""

from __future__ import annotations

import importlib


_EXPORTS = {
    "Catalog": "catalog", "CatalogError": "catalog", "load_catalog": "catalog", "Dataset": "intake",
    "load": "intake", "LoadError": "intake", "submission_roll": "intake.roll", "partial_note": "metrics.roll_hold",
    "write_template": "documents.template", "write_county_template": "documents.county_template",
    "make_sample": "sample",
    "write_sample": "sample", "mark_returns": "documents.returns", "format_report": "documents.issues",
    "export_issues": "documents.issues",
    "report_json": "documents.issues", "aggregate_villages": "metrics.scoring", "normalize": "metrics.scoring",
    "score_indicators": "metrics.scoring", "score_composite": "metrics.scoring", "weights_of": "metrics.scoring",
    "entropy_weights": "metrics.weights", "critic_weights": "metrics.weights",
    "ahp_weights": "metrics.weights", "topsis": "metrics.weights", "rank_uncertainty": "metrics.uncertainty",
    "year_over_year": "metrics.trends", "growth": "metrics.trends", "most_improved": "metrics.trends",
    "grade_transitions": "metrics.trends", "target_attainment": "metrics.targets",
    "flag_bottom": "metrics.rectify", "classify_two_ends": "metrics.rectify",
    "listing_reasons": "metrics.rectify", "ledger_status": "metrics.conduct",
    "link_coverage": "metrics.conduct", "review": "metrics.review", "annual_assessment": "metrics.review",
    "score_assessment": "metrics.assessment", "assessment_totals": "metrics.assessment",
    "assessment_breakdown": "metrics.annual", "assessment_results": "metrics.annual",
    "rectification_list": "metrics.annual", "invalid_ballots": "metrics.ballots", "tally_ballots": "metrics.ballots",
    "trimmed_scores": "metrics.ballots",
    "robustness": "metrics.robustness", "sensitivity": "metrics.robustness", "leave_one_out": "metrics.robustness",
    "write_feedback": "documents.feedback", "write_cards": "documents.cards", "read_narrative": "documents.narrative",
    "write_narrative_skeleton": "documents.narrative",
    "ranking_table": "metrics.scoring", "slide_theme": "charts.theme", "GRADE_COLORS": "charts.theme",
    "plot_ranking": "charts.compare", "plot_heatmap": "charts.compare", "plot_radar": "charts.compare",
    "plot_attainment": "charts.compare", "plot_uncertainty": "charts.compare", "plot_trends": "charts.trends",
    "plot_bump": "charts.trends", "plot_slope": "charts.trends", "plot_transitions": "charts.trends",
    "plot_feature_growth": "charts.trends", "plot_review": "charts.review", "save_chart": "charts.save",
    "plot_rating_distribution": "charts.distributions", "plot_village_distribution": "charts.distributions",
    "build_deck": "documents.deck", "DeckSlide": "documents.deck", "chart_slides": "documents.slides",
    "write_charts": "documents.slides", "report_tables": "documents.summary",
    "write_summary": "documents.summary", "write_report_docx": "documents.docx_report",
    "write_report_html": "documents.html_report", "render_charts": "charts.save",
    "moves_by_township": "metrics.trends",
    "report_conclusions": "documents.conclusions", "write_tidy_csvs": "documents.summary",
    "table_html": "documents.display", "show": "documents.display", "to_chinese": "documents.display",
    "chinese_warnings": "documents.display", "COLUMN_LABELS": "documents.display",
    "chinese_errors": "documents.jupyter", "chinese_tables": "documents.jupyter", "notebook_setup": "documents.jupyter",
    "build_report": "documents.pipeline", "load_data": "documents.pipeline", "score_data": "documents.pipeline",
    "write_confirmation_sheet": "documents.confirm_sheet", "doubtful_cells": "metrics.completeness",
    "build_model": "documents.model", "ReportModel": "documents.model", "check_report": "documents.report",
    "ReportError": "documents.report", "report_year": "documents.report", "sample_path": "resources",
}
__all__ = sorted(_EXPORTS)


def _version() -> str:
    """The installed distribution's version; ``0+unknown`` when the package is not installed."""
    from importlib import metadata

    try:
        return metadata.version("dangjian-analysis")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":        # read on first use: importlib.metadata costs ~25 ms at import
        globals()[name] = version = _version()
        return version
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dangjian_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
