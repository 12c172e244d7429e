"""Private helpers shared by the metrics modules: inputs, catalogue, ranks."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["observations_of", "catalog_of", "with_catalog", "Carried", "Record", "rank_desc", "bottom_count", "warn", "settle",
           "require", "flags", "codes_in", "DECIMALS"]

#: Scores, rates and review scores are compared with thresholds and ranked after rounding to this
#: many decimals, so that a score of 90 on paper is 90 even when floating-point sums give
#: 89.99999999999999, and units with identical data tie.
DECIMALS = 9


def catalog_of(data, catalog, *, quiet: bool = False):
    """The catalogue to use: the one given, the Dataset's, the one a result table carries
    (``DataFrame.attrs["catalog"]``, see :func:`with_catalog`), or the default — with a Chinese
    warning naming it when ``data`` is a table that carries none (unless ``quiet``, for labels
    only: a computation on the wrong county's rules is never silent)."""
    if catalog is not None:
        if isinstance(catalog, (str, Path)):
            from ..catalog import load_catalog

            return load_catalog(catalog)
        return catalog
    if hasattr(data, "catalog"):
        return data.catalog
    attrs = getattr(data, "attrs", None)
    if isinstance(attrs, dict) and attrs.get("catalog") is not None:
        return attrs["catalog"]
    from ..catalog import load_catalog

    cat = load_catalog()
    if data is not None and not quiet:     # a table that lost its catalogue (read from a file, a Dataset's part)
        warn(f"这张表没有附带指标体系，按默认指标体系（{cat.county_name}）计算；本县的等次、权重、倒排比例请传入 "
             "catalog=（如 dj.load_catalog(\"本县指标体系.toml\")）或直接传入 Dataset")
    return cat


def with_catalog(frame: pd.DataFrame, catalog) -> pd.DataFrame:
    """``frame`` carrying the catalogue it was computed with, so that functions given it later
    use the same county rules (weights, bottom share, grade names) instead of the default."""
    frame.attrs["catalog"] = catalog
    return frame


class Carried:
    """A table a result carries in its ``attrs`` for later steps (e.g. the normalised indicator
    scores behind a ``score_composite`` table). pandas deep-copies ``attrs`` on every operation:
    this holder copies as itself, so carrying it costs nothing. Never modify ``frame``."""

    __slots__ = ("frame",)

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __deepcopy__(self, memo) -> "Carried":
        return self

    def __copy__(self) -> "Carried":
        return self


class Record(dict):
    """The arguments a result was computed with (``attrs["scoring"]``): a dict that copies as
    itself, since pandas deep-copies ``attrs`` each time a column is taken from the table.
    Treated as read-only."""

    def __deepcopy__(self, memo) -> "Record":
        return self

    def __copy__(self) -> "Record":
        return self


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



def flags(values: pd.Series) -> pd.Series:
    """``values`` as booleans, a missing value counting as False.

    ``values.fillna(False).astype(bool)`` means the same, but pandas 2.x warns (FutureWarning:
    downcasting object arrays in ``fillna``) whenever the column is of object dtype with a gap,
    as after a merge, a reindex or a groupby shift, and the warning reaches the analyst.
    """
    return values.eq(True).fillna(False).astype(bool)


def settle(values) -> np.ndarray:
    """``values`` rounded to :data:`DECIMALS` decimals, for comparing with thresholds and ranking."""
    return np.round(np.asarray(values, dtype=float), DECIMALS)


def require(wanted, available, what: str):
    """``wanted`` (one value or a list) if all of it is in ``available``; otherwise a Chinese
    ``ValueError`` naming what is missing and listing what there is (``what``: e.g. "年度")."""
    items = list(wanted) if isinstance(wanted, (list, tuple, set, pd.Index, np.ndarray)) else [wanted]
    have = list(dict.fromkeys(available))
    missing = [w for w in items if w not in have]
    if missing:
        shown = "、".join(map(str, have[:30])) + ("等" if len(have) > 30 else "")
        raise ValueError(f"数据中没有{what} {'、'.join(map(str, missing))}；有：{shown or '（无）'}")
    return wanted


def codes_in(column: pd.Series, labels) -> np.ndarray:
    """Position of each value of ``column`` in ``labels`` (−1 if absent); fast for categoricals."""
    index = pd.Index(labels)
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = np.append(index.get_indexer(column.cat.categories), -1)
        return lookup[column.cat.codes.to_numpy()]       # code −1 (missing) picks the appended −1
    return index.get_indexer(column)
