"""Fixtures the metrics tests share: the small hand-checkable catalogue, and quiet warnings."""

from __future__ import annotations

import warnings

import pytest

from mini import mini_catalog


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    return mini_catalog(tmp_path_factory)


@pytest.fixture
def quiet():
    """Warnings are checked where they are the point; elsewhere they are noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield
