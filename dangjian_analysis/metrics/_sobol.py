"""Private: variance-based sensitivity indices (Sobol) by the Saltelli/Jansen estimators, in numpy.

A model f maps rows of numbers uniform on [0, 1) to one output. Factors are blocks of columns
(a block swaps as a whole, so a factor may be a whole choice: every weight, every goalpost).
With A and B two independent n × d samples and A_B^(i) the matrix A with the columns of factor
i taken from B (Saltelli et al. 2010, *Comput. Phys. Commun.* 181, 259–270; Jansen 1999):

    V     = Var(f(A) ∪ f(B))                                 (total variance)
    S_i   = mean( f(B) · (f(A_B^(i)) − f(A)) ) / V           (first order, Saltelli 2010)
    S_Ti  = mean( (f(A) − f(A_B^(i)))² ) / (2 V)             (total, Jansen 1999)

— n (k + 2) model runs for k factors. The standard errors are analytic: each index is a mean of
n independent terms divided by V, so its standard error is sd(terms) / (√n · V) (the sampling
error of V itself is left out; it is small next to that of the mean at the n used here). SALib
implements the same estimators; it is not a dependency because these few lines are all that is
needed and the model runs (the expensive part) stay vectorised in the caller.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sobol_indices", "saltelli_matrices", "estimates"]


def saltelli_matrices(rng: np.random.Generator, n: int, blocks: list) -> tuple[np.ndarray, list]:
    """The stacked design [A; B; A_B^(1); …; A_B^(k)] ((k + 2) n rows) and the row slices of
    each part; ``blocks`` the columns of each factor (slices or index arrays)."""
    d = _width(blocks)
    a, b = rng.random((n, d)), rng.random((n, d))
    parts = [a, b]
    for cols in blocks:
        ab = a.copy()
        ab[:, cols] = b[:, cols]
        parts.append(ab)
    return np.vstack(parts), [slice(k * n, (k + 1) * n) for k in range(len(parts))]


def sobol_indices(model, blocks: list, n: int, seed=0) -> dict:
    """First-order and total Sobol indices of ``model`` over the factors ``blocks``.

    Parameters
    ----------
    model : callable
        ``model(u)`` with u an m × d array of numbers uniform on [0, 1) gives m outputs.
    blocks : list
        The columns of each factor (slices or integer arrays), together covering 0 … d − 1.
    n : int
        Base sample size (the model runs n (k + 2) times).
    seed : int or Generator

    Returns
    -------
    dict
        ``S1, S1_se, ST, ST_se`` (arrays, one entry per factor), ``variance`` V and ``mean`` of
        the output over A and B, and ``runs``. Where V = 0 (the output never changes) every
        index is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> out = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], [[0], [1]], 4096)
    >>> np.round(out["ST"], 1)                     # variances 1/12 and 4/12: 0.2 and 0.8
    array([0.2, 0.8])
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    design, parts = saltelli_matrices(rng, n, blocks)
    y = np.asarray(model(design), dtype=float)
    return estimates(y[parts[0]], y[parts[1]], np.stack([y[p] for p in parts[2:]]))


def estimates(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> dict:
    """The indices from the outputs on A, B and every A_B^(i) (rows of ``y_ab``)."""
    n = len(y_a)
    variance = float(np.var(np.concatenate([y_a, y_b])))
    first = y_b[None, :] * (y_ab - y_a[None, :])
    total = 0.5 * (y_a[None, :] - y_ab) ** 2
    out = {"variance": variance, "mean": float(np.mean(np.concatenate([y_a, y_b]))), "runs": n * (len(y_ab) + 2)}
    for key, terms in (("S1", first), ("ST", total)):
        if variance > 0:
            out[key] = terms.mean(axis=1) / variance
            out[key + "_se"] = terms.std(axis=1, ddof=1) / (np.sqrt(n) * variance) if n > 1 else \
                np.full(len(terms), np.nan)
        else:
            out[key] = out[key + "_se"] = np.full(len(terms), np.nan)
    return out


def _width(blocks: list) -> int:
    """Number of columns the blocks cover."""
    top = 0
    for cols in blocks:
        top = max(top, cols.stop if isinstance(cols, slice) else int(np.max(cols)) + 1 if len(cols) else 0)
    return top
