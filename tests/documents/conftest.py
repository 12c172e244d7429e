"""Fixtures shared by the document tests: the yearly report, built once per session."""

from __future__ import annotations

import pytest

from helpers import run_cli


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """The README's main job run twice, each in a fresh process."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name) / "report"
        result = run_cli("report", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert "[1/5] 读取数据" in result.stderr and "[5/5] 写出文件" in result.stderr
        assert "Traceback" not in result.stderr and "WARNING" not in result.stderr
        outs.append(out)
    return outs
