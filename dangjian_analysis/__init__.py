"""dangjian-analysis: county grassroots Party-building evaluation (县级基层党建考核分析).

The pipeline, one module each: :mod:`~dangjian_analysis.catalog` (指标体系) →
:mod:`~dangjian_analysis.template` (填报模板) → :mod:`~dangjian_analysis.intake`
(load and validate returned workbooks) → :mod:`~dangjian_analysis.validation`
(reports of what validation found) → metrics: :mod:`~dangjian_analysis.scoring`
(scores, sub-indices, overall index, ranks, grades), :mod:`~dangjian_analysis.weights`
(entropy, CRITIC, AHP, TOPSIS), :mod:`~dangjian_analysis.uncertainty` (rank robustness),
:mod:`~dangjian_analysis.trends`, :mod:`~dangjian_analysis.targets`,
:mod:`~dangjian_analysis.rectify` (倒排), :mod:`~dangjian_analysis.conduct` (作风建设) and
:mod:`~dangjian_analysis.review` (述职评议) → charts: :mod:`~dangjian_analysis.theme`
(slide theme, bundled Chinese font), :mod:`~dangjian_analysis.charts_compare`,
:mod:`~dangjian_analysis.charts_trends`, :mod:`~dangjian_analysis.charts_review`,
:mod:`~dangjian_analysis.export` (PNG/SVG, PPTX) and :mod:`~dangjian_analysis.slides`
(the yearly chart set). :mod:`~dangjian_analysis.model` documents the tidy
tables; :mod:`~dangjian_analysis.sample` generates the fictional sample county.

``import dangjian_analysis`` stays light: submodules (and matplotlib, openpyxl,
python-calamine) load on first use of a name.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Catalog": "catalog", "CatalogError": "catalog", "load_catalog": "catalog",
    "Dataset": "intake", "load": "intake",
    "write_template": "template",
    "make_sample": "sample", "write_sample": "sample",
    "format_report": "validation", "export_issues": "validation", "report_json": "validation",
    "aggregate_villages": "scoring", "normalize": "scoring", "score_indicators": "scoring",
    "score_composite": "scoring",
    "entropy_weights": "weights", "critic_weights": "weights", "ahp_weights": "weights", "topsis": "weights",
    "rank_uncertainty": "uncertainty",
    "year_over_year": "trends", "growth": "trends", "most_improved": "trends", "grade_transitions": "trends",
    "target_attainment": "targets",
    "flag_bottom": "rectify", "classify_two_ends": "rectify", "listing_reasons": "rectify",
    "ledger_status": "conduct", "link_coverage": "conduct",
    "review": "review", "annual_assessment": "review", "ranking_table": "scoring",
    "slide_theme": "theme", "GRADE_COLORS": "theme",
    "plot_ranking": "charts_compare", "plot_heatmap": "charts_compare", "plot_radar": "charts_compare",
    "plot_attainment": "charts_compare", "plot_uncertainty": "charts_compare",
    "plot_trends": "charts_trends", "plot_bump": "charts_trends", "plot_slope": "charts_trends",
    "plot_transitions": "charts_trends", "plot_feature_growth": "charts_trends",
    "plot_review": "charts_review",
    "save_chart": "export", "build_deck": "export", "DeckSlide": "export",
    "chart_slides": "slides", "write_charts": "slides",
    "report_tables": "summary", "write_summary": "summary", "write_tidy_csvs": "summary", "table_html": "summary",
    "build_report": "report", "check_report": "report", "ReportError": "report", "report_year": "report",
    "sample_path": "report",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dangjian_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
