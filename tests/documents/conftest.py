"""Fixtures shared by the document tests: the yearly report, built once per session in this process."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory):
    """The README's main job (the report of the bundled sample), built once, in process; the
    tests of its outputs all read this folder (``--check`` rebuilds it to prove determinism)."""
    from dangjian_analysis.documents.pipeline import build_report

    return build_report(out=tmp_path_factory.mktemp("report") / "report", progress=False)
