"""Shared fixtures: the default catalogue, the committed sample county, editing helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dangjian_analysis.catalog import default_catalog_text, load_catalog

from helpers import SAMPLE, SAMPLE_CSV


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
    out = tmp_path / "returned"
    out.mkdir()
    for f in SAMPLE.glob("*.xlsx"):
        shutil.copy(f, out / f.name)
    return out


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
