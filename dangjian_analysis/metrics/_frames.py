"""Private helpers shared by the metrics modules: inputs, catalogue, ranks."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

__all__ = ["observations_of", "catalog_of", "rank_desc", "bottom_count", "warn"]


def catalog_of(data, catalog):
    """The catalogue to use: the one given, the Dataset's, or the default."""
    if catalog is not None:
        return catalog
    if hasattr(data, "catalog"):
        return data.catalog
    from ..catalog import load_catalog

    return load_catalog()


def observations_of(data) -> pd.DataFrame:
    """The observations table of a Dataset, or the DataFrame itself."""
    frame = data.observations if hasattr(data, "observations") else data
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("需要 Dataset 或观测值表（DataFrame）")
    return frame


def rank_desc(values: pd.Series, by) -> pd.Series:
    """Rank within groups, highest first, ties sharing the lowest number (1, 2, 2, 4)."""
    ranks = values.groupby(by).rank(method="min", ascending=False)
    return ranks.astype("Int64")


def bottom_count(n: int, share: float) -> int:
    """Size of the bottom group: ceil(share × n), never fewer than one (when n > 0)."""
    if n <= 0:
        return 0
    return max(1, min(n, math.ceil(share * n - 1e-9)))


def warn(message: str) -> None:
    """A Chinese UserWarning for the analyst (shown once per message in a notebook)."""
    warnings.warn(message, UserWarning, stacklevel=3)


def finite(x) -> np.ndarray:
    return np.isfinite(np.asarray(x, dtype=float))
