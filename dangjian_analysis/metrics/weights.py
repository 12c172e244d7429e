"""Data-driven and expert weights, and TOPSIS.

A ``matrix`` is a DataFrame with units as rows and indicators as columns; weights come
back as a Series indexed by its columns, ready for ``score_composite(weights=...)``.

Which data should data-driven weights see? Ten townships are too few for stable entropy
or CRITIC weights: one unusual township moves them a lot. Compute them on village rows
(127 villages), or on township-years pooled over several years, and prefer the
catalogue's expert weights (or :func:`ahp_weights`) for the official index; report
data-driven weights as a sensitivity check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frames import warn

__all__ = ["entropy_weights", "critic_weights", "ahp_weights", "AHPResult", "topsis", "RANDOM_INDEX"]

#: Saaty's random consistency index by matrix order n.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
                11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}


def _matrix(matrix) -> pd.DataFrame:
    frame = pd.DataFrame(matrix).astype(float)
    if frame.isna().any().any():
        raise ValueError("矩阵中有缺失值：请先删除或填补缺失的行")
    if len(frame) < 2:
        raise ValueError("矩阵至少需要两行（两个单位）")
    return frame


def entropy_weights(matrix) -> pd.Series:
    """Entropy weights of raw, non-negative data.

    p_ij = x_ij / Σ_i x_ij; e_j = −(1/ln m) Σ_i p_ij ln p_ij with 0·ln 0 = 0;
    w_j = (1 − e_j) / Σ_k (1 − e_k), m the number of rows. A column without spread
    (e_j = 1) gets weight 0, with a warning.

    Raises
    ------
    ValueError
        For a negative value (entropy needs non-negative data).

    Examples
    --------
    >>> entropy_weights(pd.DataFrame({"a": [1, 1], "b": [1, 3]})).round(3).tolist()
    [0.0, 1.0]
    """
    x = _matrix(matrix)
    if (x < 0).any().any():
        bad = [c for c in x.columns if (x[c] < 0).any()]
        raise ValueError(f"熵权法需要非负数据，以下列有负值：{'、'.join(map(str, bad))}")
    totals = x.sum()
    if (totals == 0).any():
        raise ValueError("熵权法：有一列全为 0，无法计算占比")
    p = x / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(len(x))
    d = pd.Series(1 - e, index=x.columns).clip(lower=0)
    flat = d[d < 1e-12].index
    if len(flat):
        warn(f"熵权法：以下指标各单位数值相同（无差异），权重为 0：{'、'.join(map(str, flat))}")
        d[flat] = 0.0
    if d.sum() == 0:
        raise ValueError("熵权法：所有指标都没有差异，无法确定权重")
    return d / d.sum()


def critic_weights(matrix, higher_better=None) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995).

    Columns are min–max scaled (reversed where lower is better), then
    s_j = sample standard deviation, r_jk = Pearson correlation,
    C_j = s_j Σ_k (1 − r_jk), w_j = C_j / Σ C_k. ``higher_better`` is a list of booleans
    or a Series by column (default: all higher-is-better). A column without spread
    gets weight 0, with a warning.
    """
    x = _matrix(matrix)
    better = pd.Series(True, index=x.columns) if higher_better is None else \
        pd.Series(list(higher_better) if not isinstance(higher_better, pd.Series) else higher_better.reindex(x.columns),
                  index=x.columns).astype(bool)
    lo, hi = x.min(), x.max()
    span = hi - lo
    flat = span[span == 0].index
    if len(flat):
        warn(f"CRITIC：以下指标各单位数值相同（无差异），权重为 0：{'、'.join(map(str, flat))}")
    scaled = (x - lo) / span.replace(0, np.nan)
    scaled = scaled.where(better, 1 - scaled, axis=1).fillna(0.0)
    s = scaled.std(ddof=1)
    r = scaled.corr(method="pearson").fillna(0.0)
    c = s * (1 - r).sum()
    c[flat] = 0.0
    if c.sum() == 0:
        raise ValueError("CRITIC：所有指标都没有差异，无法确定权重")
    return c / c.sum()


@dataclass(frozen=True)
class AHPResult:
    """AHP weights with λmax, the consistency index CI and the consistency ratio CR."""

    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float


def ahp_weights(pairwise) -> AHPResult:
    """AHP weights from a reciprocal pairwise comparison matrix (Saaty).

    w = the principal eigenvector (normalised to sum 1); CI = (λmax − n)/(n − 1);
    CR = CI / RI(n) with Saaty's random index (:data:`RANDOM_INDEX`). CR ≥ 0.1 warns that
    the judgements are inconsistent and should be revised.
    """
    a = pd.DataFrame(pairwise).astype(float)
    n = len(a)
    if a.shape != (n, n) or n < 2:
        raise ValueError("判断矩阵应为至少 2×2 的方阵")
    values = a.to_numpy()
    if (values <= 0).any() or not np.allclose(values * values.T, 1.0, rtol=1e-6):
        raise ValueError("判断矩阵应为正互反矩阵：a_ij > 0 且 a_ji = 1/a_ij")
    eigvals, eigvecs = np.linalg.eig(values)
    k = int(np.argmax(eigvals.real))
    w = np.abs(eigvecs[:, k].real)
    w = w / w.sum()
    lam = float(eigvals[k].real)
    ci = (lam - n) / (n - 1)
    ri = RANDOM_INDEX.get(n)
    if ri is None:
        raise ValueError(f"没有 {n} 阶的随机一致性指标 RI（最多 15 阶）")
    cr = ci / ri if ri > 0 else 0.0
    if cr >= 0.1:
        warn(f"AHP 判断矩阵一致性比率 CR = {cr:.3f} ≥ 0.1，判断不够一致，建议调整")
    index = a.columns if not isinstance(a.columns, pd.RangeIndex) else a.index
    return AHPResult(pd.Series(w, index=index), lam, ci, cr)


def topsis(matrix, weights, higher_better=None, normalization: str = "minmax") -> pd.DataFrame:
    """TOPSIS closeness to the ideal (Hwang & Yoon 1981).

    Normalise each column (``minmax``: (x − min)/(max − min); ``vector``:
    x / √Σx²), weight it (v = w·r, weights normalised to sum 1), take the ideal best and
    worst per column (max and min, swapped where lower is better), Euclidean distances
    d⁺ and d⁻, closeness = d⁻ / (d⁺ + d⁻); rank 1 is the closest to the ideal.

    Returns
    -------
    DataFrame
        ``d_best, d_worst, closeness, rank``, indexed like the matrix rows.
    """
    x = _matrix(matrix)
    w = pd.Series(weights, dtype=float)
    w = w.reindex(x.columns) if set(x.columns) <= set(w.index) else pd.Series(w.to_numpy(), index=x.columns)
    if w.isna().any() or (w < 0).any():
        raise ValueError("TOPSIS 权重应为非负数，且每列都有权重")
    w = w / w.sum()
    better = pd.Series(True, index=x.columns) if higher_better is None else \
        pd.Series(list(higher_better) if not isinstance(higher_better, pd.Series) else higher_better.reindex(x.columns),
                  index=x.columns).astype(bool)
    if normalization == "vector":
        r = x / np.sqrt((x ** 2).sum())
    elif normalization == "minmax":
        span = (x.max() - x.min()).replace(0, np.nan)
        r = ((x - x.min()) / span).fillna(0.0)
    else:
        raise ValueError("normalization 应为 minmax 或 vector")
    v = r * w
    best = v.max().where(better, v.min())
    worst = v.min().where(better, v.max())
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    closeness = d_worst / (d_best + d_worst)
    out = pd.DataFrame({"d_best": d_best, "d_worst": d_worst, "closeness": closeness})
    out["rank"] = out["closeness"].rank(method="min", ascending=False).astype(int)
    return out
