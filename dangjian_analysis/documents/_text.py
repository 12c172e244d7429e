"""Private: plain-text tables that line up in a terminal, Chinese characters counted as two columns."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

__all__ = ["format_table", "width", "cell_text", "is_number", "each_distinct"]


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(frame: pd.DataFrame, digits: int = 1) -> str:
    """The frame as aligned text: numbers right-aligned with ``digits`` decimals, text left."""
    def cell(v):
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            return "—"
        if isinstance(v, float):
            return f"{v:.{digits}f}"
        return str(v)

    cols = [str(c) for c in frame.columns]
    body = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    widths = [max([width(c)] + [width(r[j]) for r in body]) for j, c in enumerate(cols)]

    def line(values):
        parts = []
        for v, w, num in zip(values, widths, numeric):
            pad = " " * (w - width(v))
            parts.append(pad + v if num else v + pad)
        return "  ".join(parts).rstrip()

    return "\n".join([line(cols)] + [line(r) for r in body])


def is_number(series: pd.Series) -> bool:
    """A column of numbers (right-aligned, with fixed decimals): numeric and not 是/否 booleans."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def cell_text(value, column: str, percent=(), digits: int = 1) -> str:
    """A table cell for people: — for missing, 是/否, integers as integers, ``percent`` columns
    (fractions) as %, 名次/排名/序号 without decimals, other numbers with ``digits`` decimals."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if column in percent:
            return f"{value:.1%}"
        if column.endswith(("名次", "排名", "序号")) and float(value).is_integer():
            return str(int(value))
        return f"{value:.{digits}f}"
    return str(value)


def each_distinct(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)`` for text columns, ``fn`` called once per distinct value (a column of
    3,000 cells holds a few dozen); missing values are passed through as they are."""
    codes, uniques = pd.factorize(series)
    mapped = np.array([fn(u) for u in uniques] + [None], dtype=object)
    out = mapped[codes]                                   # code -1 (missing) takes the None at the end
    missing = codes < 0
    if missing.any():
        out[missing] = series.to_numpy(dtype=object)[missing]
    return pd.Series(out, index=series.index, name=series.name, dtype=object)
