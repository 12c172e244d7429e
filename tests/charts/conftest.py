"""Fixtures of the chart tests."""

from __future__ import annotations

import warnings

import pytest


@pytest.fixture(autouse=True)
def glyphs_must_exist():
    """A missing glyph (a box instead of a Chinese character) fails the test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        warnings.filterwarnings("ignore", message="以下指标", category=UserWarning)
        yield
