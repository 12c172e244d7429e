"""Shared fixtures: the default catalogue, the committed sample county, editing helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian_analysis.catalog import default_catalog_text, load_catalog

from helpers import SAMPLE, SAMPLE_CSV, copy_sample


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_csv_dir() -> Path:
    return SAMPLE_CSV


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample workbooks (no CSV copies)."""
    return copy_sample(tmp_path / "returned")


@pytest.fixture
def catalog_text() -> str:
    return default_catalog_text()


@pytest.fixture(scope="session")
def sample_loaded(catalog):
    from dangjian_analysis.intake import load

    return load(SAMPLE, catalog=catalog)


@pytest.fixture(scope="session")
def sample_dataset_metrics(sample_loaded):
    from dangjian_analysis.metrics.scoring import score_composite

    return score_composite(sample_loaded)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session")
def sample_facts(sample_loaded, sample_dataset_metrics):
    """What the sample report must say, derived here from the scores (not copied from a run):
    the first township, its index and grade; the townships that moved up a grade 2014 → 2015;
    the 倒排 villages of 2015 in order."""
    from dangjian_analysis.metrics.rectify import flag_bottom
    from dangjian_analysis.metrics.trends import grade_transitions

    scores = sample_dataset_metrics
    overall = scores.query("year == 2015 and group == 'overall'").sort_values(["rank", "unit_name"])
    top = overall.iloc[0]
    moves = grade_transitions(scores, 2014, 2015, grades=list(sample_loaded.catalog.grade_bands["grade"])).units
    bottom = flag_bottom(sample_loaded).query("year == 2015").sort_values("bottom_rank")
    return {"top": top["unit_name"], "top_score": f"{top['score']:.1f}", "top_grade": top["grade"],
            "upgraded": moves.loc[moves["move"] == "up", "unit_name"].tolist(),
            "bottom": bottom["unit_name"].tolist(), "bottom_towns": bottom["township"].tolist()}
