"""Data-driven and expert weights, and TOPSIS.

A ``matrix`` is a DataFrame with units as rows and indicators as columns; weights come
back as a Series indexed by its columns, ready for ``score_composite(weights=...)``.

Directions (benefit: higher is better; cost: lower is better) are given per column by
``higher_better`` — a dict or Series matched to the columns **by label**, or a plain list
in column order of exactly one value per column — or, when it is omitted, read from the
catalogue for columns that are indicator ids, names or aliases (``direction``). A column
that is neither is taken as higher-is-better, with a warning naming it; a ``monitor``
indicator (reported, not scored) has no direction and is an error. Give raw values, not
indicator scores that are already reversed.

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

from ..catalog.choices import choice
from ._frames import catalog_of, settle, warn

__all__ = ["entropy_weights", "critic_weights", "ahp_weights", "AHPResult", "topsis", "RANDOM_INDEX",
           "ENTROPY_SHIFT"]

#: Saaty's random consistency index RI by matrix order n. n = 1…10: the table of Saaty, T.L.
#: (1980). *The Analytic Hierarchy Process*. McGraw-Hill, reprinted in Saaty, T.L. (1990). How to
#: make a decision: the analytic hierarchy process. European Journal of Operational Research 48,
#: 9–26 (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49). n = 11–15: the continuation
#: (1.51, 1.48, 1.56, 1.57, 1.59) usually printed with it in the applied literature. Other RI
#: tables exist (recomputed by simulation in later papers, or the fitted curve of Alonso &
#: Lamata 2006) and differ in the second decimal: a CR is comparable only between studies that
#: use the same table.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
                11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}

#: The shift A added after min–max standardisation in :func:`entropy_weights` (z′ = z + A).
ENTROPY_SHIFT = 1e-4


def _matrix(matrix) -> pd.DataFrame:
    frame = pd.DataFrame(matrix)
    try:
        frame = frame.astype(float)
    except (TypeError, ValueError):
        bad = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        raise ValueError(f"矩阵应全为数值，以下列含有文字：{'、'.join(bad)}") from None
    if frame.columns.duplicated().any():
        raise ValueError(f"矩阵的列名重复：{'、'.join(map(str, frame.columns[frame.columns.duplicated()]))}")
    if frame.isna().any().any():
        raise ValueError("矩阵中有缺失值：请先删除或填补缺失的行")
    if not np.isfinite(frame.to_numpy()).all():
        raise ValueError("矩阵中有无穷大的值")
    if len(frame) < 2:
        raise ValueError("矩阵至少需要两行（两个单位）")
    return frame


def _by_label(values, columns: pd.Index, what: str) -> pd.Series:
    """``values`` (dict/Series matched by label, or a list in column order) as a Series over
    ``columns``; a label that is not a column, or a column without a value, is an error."""
    if isinstance(values, (dict, pd.Series)):
        s = pd.Series(values)
        if s.index.duplicated().any():
            raise ValueError(f"{what}中有重复的列名：{'、'.join(map(str, s.index[s.index.duplicated()]))}")
        extra = [str(k) for k in s.index if k not in columns]
        missing = [str(c) for c in columns if c not in s.index]
        if extra or missing:
            parts = ([f"矩阵中没有的列：{'、'.join(extra)}"] if extra else []) + \
                    ([f"没有给出的列：{'、'.join(missing)}"] if missing else [])
            raise ValueError(f"{what}按列名对应，" + "；".join(parts))
        return s.reindex(columns)
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise ValueError(f"{what}应为按列名对应的字典或 Series，或按列顺序的列表")
    values = list(values)
    if len(values) != len(columns):
        raise ValueError(f"{what}的列表按列的顺序对应，需要 {len(columns)} 个（{'、'.join(map(str, columns))}），"
                         f"实际为 {len(values)} 个；也可用字典按列名给出")
    return pd.Series(values, index=columns)


def _oriented(z: pd.DataFrame, better: pd.Series) -> pd.DataFrame:
    """``z`` in the columns where higher is better, ``1 − z`` in the others.

    Done in numpy, not with ``z.where(better, 1 - z, axis=1)``: pandas 2.x aligns a Series
    condition with the rows whatever ``axis`` says (pandas-dev/pandas#58190, fixed in 2026), so
    there every column came back reversed and the weights depended on the pandas version.
    """
    flip = ~better.reindex(z.columns).to_numpy(dtype=bool)
    values = z.to_numpy(dtype=float)
    return pd.DataFrame(np.where(flip, 1 - values, values), index=z.index, columns=z.columns)


def _direction_word(value):
    """True/False for a direction written as a word (higher, 越低越好 …); anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        return choice("direction", value, allowed=("higher", "lower")) == "higher"
    except ValueError:
        return value


def _directions(x: pd.DataFrame, higher_better, catalog, source) -> pd.Series:
    """True where higher is better, per column (see the module docstring)."""
    if higher_better is not None:
        s = _by_label(higher_better, x.columns, "方向（higher_better）")
        s = s.map(_direction_word)
        bad = [str(c) for c, v in s.items() if not isinstance(v, (bool, np.bool_))]
        if bad:
            raise ValueError(f"方向（higher_better）应为 True/False 或 越高越好（higher）/越低越好（lower），以下列不是：{'、'.join(bad)}")
        return s.astype(bool)
    from ._lookup import indicator_of

    cat = catalog_of(source, catalog)
    direction = cat.indicators.set_index("id")["direction"]
    out, unknown, monitor = {}, [], []
    for c in x.columns:
        try:
            d = direction[indicator_of(cat, c)]
        except ValueError:
            unknown.append(str(c))
            d = "higher"
        if d == "monitor":
            monitor.append(str(c))
        out[c] = d != "lower"
    if monitor:
        raise ValueError(f"以下指标只监测、不计分，没有方向，请从矩阵中去掉或用 higher_better 指定：{'、'.join(monitor)}")
    if unknown:
        warn(f"以下列不是指标体系中的指标，按越高越好处理（可用 higher_better 指定方向）：{'、'.join(unknown)}")
    return pd.Series(out, index=x.columns, dtype=bool)


def entropy_weights(matrix, higher_better=None, *, standardise: bool = True, shift: float = ENTROPY_SHIFT,
                    catalog=None) -> pd.Series:
    """Entropy weights (熵权法) as practised: standardise by direction, shift, then entropy.

    With ``standardise=True`` (default), each column is min–max standardised with its
    direction — benefit z_ij = (x_ij − min_j)/(max_j − min_j), cost z_ij = (max_j − x_ij)/
    (max_j − min_j) — and shifted away from zero, z′_ij = z_ij + A with A = ``shift``
    (default 0.0001), so that ln p is defined and the worst unit still counts: the
    “极差标准化 + 平移 0.0001” convention of the Chinese applied literature (the
    coordinate shift of 郭显光 (1998), 改进的熵值法及其在经济效益评价中的应用,
    系统工程理论与实践 18(12), 98–102). Then p_ij = z′_ij / Σ_i z′_ij;
    e_j = −(1/ln m) Σ_i p_ij ln p_ij (0·ln 0 = 0); d_j = 1 − e_j; w_j = d_j / Σ_k d_k,
    m the number of rows. Directions: see the module docstring.

    With ``standardise=False``, the entropy of the raw, non-negative data (p_ij =
    x_ij / Σ_i x_ij), as in Xu (2004) and Zavadskas & Podvezko (2016); direction is then
    ignored. Raw data reward sparse columns: on the 2015 sample villages two 0/1-like cost
    indicators (书记空缺月数, 列为软弱涣散) take about two thirds of all weight.

    A column without spread (all values equal) gets weight 0, with a warning.

    Parameters
    ----------
    matrix : DataFrame
        Units as rows, indicators (raw values) as columns; no missing values.
    higher_better : dict, Series or list, optional
        Direction per column; default: from the catalogue (see the module docstring).
    standardise : bool
    shift : float
        A ≥ 0 added after standardisation.
    catalog : Catalog or path, optional
        For the directions; default: the one the matrix carries, else the default.

    Raises
    ------
    ValueError
        For a negative value with ``standardise=False``, a ``monitor`` indicator, or no
        column with spread.

    Examples
    --------
    Benefit a = 1, 2, 3 → z = 0, ½, 1; cost b = 10, 40, 20 → z = 1, 0, ⅔:

    >>> w = entropy_weights(pd.DataFrame({"a": [1, 2, 3], "b": [10, 40, 20]}), [True, False])
    >>> w.round(3).tolist()
    [0.521, 0.479]
    """
    x = _matrix(matrix)
    if not (np.isfinite(shift) and shift >= 0):
        raise ValueError(f"shift（平移量）应为非负数，实际为 {shift!r}")
    span = x.max() - x.min()
    if standardise:
        better = _directions(x, higher_better, catalog, matrix)
        z = (x - x.min()) / span.replace(0, np.nan)
        z = _oriented(z, better).fillna(0.0) + shift
    else:
        if (x < 0).any().any():
            bad = [str(c) for c in x.columns if (x[c] < 0).any()]
            raise ValueError(f"熵权法（原始数据）需要非负数据，以下列有负值：{'、'.join(bad)}；"
                             f"可用 standardise=True 先标准化")
        if (x.sum() == 0).any():
            raise ValueError("熵权法（原始数据）：有一列全为 0，无法计算占比")
        z = x
    p = z / z.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    e = -plogp.sum(axis=0) / np.log(len(x))
    d = pd.Series(1 - e, index=x.columns).clip(lower=0)
    flat = span[span == 0].index if standardise else d[d < 1e-12].index
    if len(flat):
        warn(f"熵权法：以下指标各单位数值相同（无差异），权重为 0：{'、'.join(map(str, flat))}")
        d[flat] = 0.0
    if d.sum() == 0:
        raise ValueError("熵权法：所有指标都没有差异，无法确定权重")
    return d / d.sum()


def critic_weights(matrix, higher_better=None, *, catalog=None) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995).

    Columns are min–max scaled (reversed where lower is better), then
    s_j = sample standard deviation, r_jk = Pearson correlation,
    C_j = s_j Σ_k (1 − r_jk), w_j = C_j / Σ C_k. Directions: see the module docstring.

    A flat column (zero spread) carries no information and has no correlation: it is
    **dropped** from s, r and the sum over k (not counted as uncorrelated, r = 0, which
    would add 1 to every other column's C_j), with a Chinese warning, and **reported with
    weight 0** so the result still covers every column (and ``score_composite`` gives that
    indicator nothing rather than its catalogue weight). With a single column left it
    takes all the weight.

    Examples
    --------
    >>> critic_weights(pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 1, 3, 2]}), [True, False]).round(3).tolist()
    [0.5, 0.5]
    """
    x = _matrix(matrix)
    better = _directions(x, higher_better, catalog, matrix)
    lo, hi = x.min(), x.max()
    span = hi - lo
    flat = span[span == 0].index
    if len(flat):
        warn(f"CRITIC：以下指标各单位数值相同（无差异），不参与计算，权重为 0：{'、'.join(map(str, flat))}")
    kept = span[span > 0].index
    if len(kept) == 0:
        raise ValueError("CRITIC：所有指标都没有差异，无法确定权重")
    scaled = (x[kept] - lo[kept]) / span[kept]
    scaled = _oriented(scaled, better[kept])
    if len(kept) == 1:
        c = pd.Series(1.0, index=kept)
    else:
        c = scaled.std(ddof=1) * (1 - scaled.corr(method="pearson")).sum()
    return (c / c.sum()).reindex(x.columns, fill_value=0.0)


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
    CR = CI / RI(n), RI from Saaty's random-index table (:data:`RANDOM_INDEX`: 0, 0, 0.58,
    0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49 for n = 1…10, Saaty 1980, *The Analytic
    Hierarchy Process*, McGraw-Hill, as reprinted in Saaty 1990, EJOR 48, 9–26; n = 11–15 the
    usual continuation 1.51, 1.48, 1.56, 1.57, 1.59). CR ≥ 0.1 warns that the judgements are
    inconsistent and should be revised; n = 1, 2 are always consistent (CR = 0).

    Examples
    --------
    >>> ahp_weights([[1, 3], [1 / 3, 1]]).weights.round(2).tolist()
    [0.75, 0.25]
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


def topsis(matrix, weights, higher_better=None, normalization: str = "vector", *, catalog=None) -> pd.DataFrame:
    """TOPSIS closeness to the ideal (Hwang & Yoon 1981).

    Normalise each column — ``vector`` (default, as in Hwang, C.L. & Yoon, K. (1981).
    *Multiple Attribute Decision Making*. Springer): r_ij = x_ij / √Σ_i x_ij²;
    ``minmax``: r_ij = (x_ij − min_j)/(max_j − min_j) (also by the Chinese words 向量归一化 /
    极差标准化) — weight it (v = w·r, weights
    normalised to sum 1), take the ideal best and worst per column (max and min, swapped
    where lower is better), Euclidean distances d⁺ and d⁻, closeness = d⁻ / (d⁺ + d⁻);
    rank 1 is the closest to the ideal (ranked on settled closeness, ties sharing the
    lowest number).

    Weights are matched to the columns **by label**: a dict or Series must name every
    column and nothing else (a weight for a column that is not there, or a column without
    a weight, is a Chinese ``ValueError``, never applied by position); a plain list must
    have exactly one weight per column, in column order. Directions: see the module
    docstring. A column without spread does not move anyone's distances (warned).

    Returns
    -------
    DataFrame
        ``d_best, d_worst, closeness, rank``, indexed like the matrix rows.
    """
    x = _matrix(matrix)
    w = pd.to_numeric(_by_label(weights, x.columns, "TOPSIS 权重"), errors="coerce")
    if w.isna().any() or not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValueError(f"TOPSIS 权重应为有限的非负数，且不全为 0：{w.to_dict()}")
    w = w / w.sum()
    better = _directions(x, higher_better, catalog, matrix)
    span = x.max() - x.min()
    if (span == 0).any():
        warn(f"TOPSIS：以下指标各单位数值相同（无差异），不影响结果：{'、'.join(map(str, span[span == 0].index))}")
    if (span == 0).all():
        raise ValueError("TOPSIS：所有指标都没有差异，无法排序")
    normalization = choice("normalization", normalization, name="normalization")
    if normalization == "vector":
        r = (x / np.sqrt((x ** 2).sum()).replace(0, np.nan)).fillna(0.0)
    else:
        r = ((x - x.min()) / span.replace(0, np.nan)).fillna(0.0)
    v = r * w
    best = v.max().where(better, v.min())
    worst = v.min().where(better, v.max())
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    closeness = d_worst / (d_best + d_worst)
    out = pd.DataFrame({"d_best": d_best, "d_worst": d_worst, "closeness": closeness})
    out["rank"] = pd.Series(settle(closeness), index=out.index).rank(method="min", ascending=False).astype(int)
    return out
