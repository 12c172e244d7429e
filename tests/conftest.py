"""Shared fixtures: the default catalogue, the committed sample county, editing helpers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dangjian_analysis.catalog import default_catalog_text, load_catalog

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample workbooks (no CSV copies)."""
    out = tmp_path / "returned"
    out.mkdir()
    for f in SAMPLE.glob("*.xlsx"):
        shutil.copy(f, out / f.name)
    return out


def edit_block(text: str, table: str, ident: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside the ``[[table]]`` block whose id is ``ident``."""
    blocks = re.split(rf"(?=^\[\[{re.escape(table)}\]\]$)", text, flags=re.M)
    for i, block in enumerate(blocks):
        if re.search(rf'^id = "{re.escape(ident)}"$', block, flags=re.M):
            assert old in block, f"{old!r} not in block {ident}"
            blocks[i] = block.replace(old, new, 1)
            return "".join(blocks)
    raise AssertionError(f"no [[{table}]] block with id {ident}")


def remove_block(text: str, table: str, ident: str) -> str:
    """Remove the ``[[table]]`` block whose id is ``ident``."""
    blocks = re.split(r"(?=^\[\[)", text, flags=re.M)
    kept = [b for b in blocks if not (b.startswith(f"[[{table}]]")
                                      and re.search(rf'^id = "{re.escape(ident)}"$', b, flags=re.M))]
    assert len(kept) == len(blocks) - 1
    return "".join(kept)


@pytest.fixture
def catalog_text() -> str:
    return default_catalog_text()


def write_catalog(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="session")
def sample_loaded(catalog):
    from dangjian_analysis.intake import load

    return load(SAMPLE, catalog=catalog)


@pytest.fixture(scope="session")
def sample_dataset_metrics(sample_loaded):
    from dangjian_analysis.scoring import score_composite

    return score_composite(sample_loaded)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
