"""Private: draws of the robustness engine — from uniform numbers to choices to overall indices.

Every draw is one row of a matrix U of numbers uniform on [0, 1); each sampled choice reads its
own block of columns (:func:`layout`), so that the Sobol design can swap a whole choice between
two samples (:mod:`._sobol`). How a block becomes a choice (:func:`settings`):

- ``weights``: one column per indicator and per group; weight × (1 − s + 2 s u), s the spread;
- ``method``, ``missing``, ``aggregation``, ``drop``: one column; alternative ⌊u × n⌋ of n;
- ``goalposts``: two columns per indicator; the catalogue's lo and hi each move by
  (2u − 1) × shift × (hi − lo) (a township share of villages meeting the target stays on 0–100,
  and values are aggregated as under the catalogue's goalposts: a village blank keeps its value);
- ``village_rule``: one column per indicator of ``village_rules``; the other rule when u < 1/2.

:func:`overall` then gives the overall index of every unit-year under every draw, as
:func:`~dangjian_analysis.score_composite` computes it (sub-index S_g = Σ wᵢ sᵢ / Σ wᵢ over the
indicators with a score, overall = Σ W_g S_g / Σ W_g over the groups with one, rounded to 9
decimals), or by the weighted geometric mean exp(Σ W_g ln(S_g + c) / Σ W_g) − c.
"""

from __future__ import annotations

import numpy as np

from ._frames import bottom_count, settle
from .uncertainty import _percentiles, _ranks

__all__ = ["layout", "settings", "nominal_settings", "overall", "rank_all", "summarise"]

#: Unit × indicator cells per draw block (bounds the memory of one block of draws).
_CELLS = 2_000_000


def layout(design, spec, choices) -> dict:
    """``choice`` → the columns of U it reads (a ``slice``), in the order of ``choices``."""
    n_i, n_g = len(design.indicators), len(design.groups)
    width = {"weights": n_i + n_g, "method": 1, "goalposts": 2 * n_i, "village_rule": int(design.flips.sum()),
             "missing": 1, "aggregation": 1, "drop": 1}
    out, at = {}, 0
    for c in choices:
        out[c] = slice(at, at + width[c])
        at += width[c]
    return out


def drop_options(design, spec) -> list:
    """What ``drop`` may leave out: None (nothing), then ("indicator", column) for every
    indicator with a score somewhere, then ("group", g) — with equal probability each."""
    scored = ~np.isnan(design.scores[0, 0, 0]).all(axis=0)
    out = [None]
    if "indicator" in spec.drop:
        out += [("indicator", j) for j in np.flatnonzero(scored & (design.w_ind > 0))]
    if "group" in spec.drop:
        out += [("group", g) for g in np.flatnonzero(design.w_grp > 0)]
    return out


def _pick(u: np.ndarray, n: int) -> np.ndarray:
    """Alternative ⌊u × n⌋ of n (u uniform on [0, 1))."""
    return np.minimum((u * n).astype(np.int64), n - 1)


def nominal_settings(design, draws: int) -> dict:
    """The catalogue's own choices, repeated ``draws`` times."""
    n_i = len(design.indicators)
    return {"method": np.zeros(draws, np.int64), "rule": np.zeros(draws, np.int64),
            "flip": np.zeros((draws, n_i), bool), "shift_lo": np.zeros((draws, n_i)),
            "shift_hi": np.zeros((draws, n_i)), "w_ind": np.tile(design.w_ind, (draws, 1)),
            "w_grp": np.tile(design.w_grp, (draws, 1)), "geometric": np.zeros(draws, bool)}


def settings(u: np.ndarray, design, spec, blocks: dict) -> dict:
    """The choices of every draw (rows of ``u``) as arrays, see the module docstring; a choice
    without a block keeps its nominal setting. ``method`` and ``rule`` index ``design.methods``
    and ``design.rules``, whose first entries are the nominal ones."""
    n = len(u)
    out = nominal_settings(design, n)
    n_i = len(design.indicators)
    if "weights" in blocks:
        f = 1 - spec.weight_spread + 2 * spec.weight_spread * u[:, blocks["weights"]]
        out["w_ind"] = f[:, :n_i] * design.w_ind
        out["w_grp"] = f[:, n_i:] * design.w_grp
    if "method" in blocks:
        wanted = [design.methods.index(m) for m in spec.methods]
        out["method"] = np.asarray(wanted)[_pick(u[:, blocks["method"]][:, 0], len(wanted))]
    if "missing" in blocks:
        wanted = [design.rules.index(r) for r in spec.missing]
        out["rule"] = np.asarray(wanted)[_pick(u[:, blocks["missing"]][:, 0], len(wanted))]
    if "goalposts" in blocks:
        g = 2 * u[:, blocks["goalposts"]] - 1
        out["shift_lo"], out["shift_hi"] = spec.goalpost_shift * g[:, :n_i], spec.goalpost_shift * g[:, n_i:]
    if "village_rule" in blocks and design.flips.any():
        out["flip"][:, design.flips] = u[:, blocks["village_rule"]] < 0.5
    if "aggregation" in blocks:
        out["geometric"] = np.asarray([a == "geometric" for a in spec.aggregation])[
            _pick(u[:, blocks["aggregation"]][:, 0], len(spec.aggregation))]
    if "drop" in blocks:
        options = drop_options(design, spec)
        for d, k in enumerate(_pick(u[:, blocks["drop"]][:, 0], len(options))):
            if options[k] is not None:
                kind, at = options[k]
                out["w_ind" if kind == "indicator" else "w_grp"][d, at] = 0.0
    return out


def overall(design, st: dict, offset: float = 1.0) -> np.ndarray:
    """Overall index (rounded to 9 decimals), unit-year × draw, under the draws' settings ``st``."""
    n_draws = len(st["method"])
    n_u, n_i = len(design.units["year"]), len(design.indicators)
    out = np.full((n_u, n_draws), np.nan)
    step = max(1, _CELLS // max(1, n_u * n_i))
    for start in range(0, n_draws, step):
        part = slice(start, min(n_draws, start + step))
        s = _scores(design, {k: v[part] for k, v in st.items()})
        out[:, part] = _combine(s, st["w_ind"][part], st["w_grp"][part], design.member,
                                st["geometric"][part], offset).T
    return settle(out)


def _scores(design, st: dict) -> np.ndarray:
    """draw × unit × indicator scores of a block of draws."""
    n = len(st["method"])
    s = np.empty((n, *design.scores[0, 0, 0].shape))
    flip = st["flip"][:, None, :]
    two = (0, 0, 1) in design.scores                 # a second village-rule variant was scored
    for r in range(len(design.rules)):
        for m, method in enumerate(design.methods):
            sel = np.flatnonzero((st["rule"] == r) & (st["method"] == m))
            if not len(sel):
                continue
            base = design.scores[r, m, 0] if not two else np.where(flip[sel], design.scores[r, m, 1],
                                                                   design.scores[r, m, 0])
            if method != "goalposts" or not (st["shift_lo"][sel].any() or st["shift_hi"][sel].any()):
                s[sel] = base
                continue
            pick = (lambda a, b: np.where(st["flip"][sel], b, a)) if two else (lambda a, b: a[None, :])
            lo = pick(design.lo[r, 0], design.lo.get((r, 1)))
            hi = pick(design.hi[r, 0], design.hi.get((r, 1)))
            lower = pick(design.lower[0], design.lower.get(1))
            width = pick(design.span[0], design.span.get(1))      # 0 where the scale is not a goalpost
            lo2, hi2 = lo + st["shift_lo"][sel] * width, hi + st["shift_hi"][sel] * width
            x = design.values[r, 0] if not two else np.where(flip[sel], design.values[r, 1], design.values[r, 0])
            redo = design.redo[r, 0] if not two else np.where(flip[sel], design.redo[r, 1], design.redo[r, 0])
            with np.errstate(divide="ignore", invalid="ignore"):
                up = np.clip((x - lo2[:, None, :]) / (hi2 - lo2)[:, None, :], 0, 1)
            moved = 100.0 * np.where(lower[:, None, :], 1 - up, up)
            s[sel] = np.where(redo, moved, base)
    return s


def _combine(s: np.ndarray, w_ind: np.ndarray, w_grp: np.ndarray, member: np.ndarray, geometric: np.ndarray,
             offset: float) -> np.ndarray:
    """draw × unit overall index from draw × unit × indicator scores: per group two matrix
    products (weighted scores and weights over the indicators with a score), then the
    arithmetic or (where ``geometric``) the geometric mean of the sub-indices."""
    present = ~np.isnan(s)
    weighted = np.where(present, s, 0.0) * w_ind[:, None, :]
    num = weighted @ member
    den = (present * w_ind[:, None, :]) @ member
    has = den > 0
    sub = np.divide(num, den, out=np.zeros_like(num), where=has)
    big = has * w_grp[:, None, :]
    total = big.sum(axis=2)
    arith = (sub * big).sum(axis=2)
    logs = (np.log(np.where(has, sub, 0.0) + offset) * big).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(geometric[:, None], np.exp(logs / total) - offset, arith / total)
    return np.where(total > 0, value, np.nan)


def rank_all(values: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks (unit-year × draw, highest first, ties sharing the lowest rank, NaN where no
    index), ranks from the bottom, and the number of units ranked, within each year."""
    ranks, from_bottom = np.full(values.shape, np.nan), np.full(values.shape, np.nan)
    ranked = np.zeros(values.shape, dtype=np.int64)
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        ranks[rows], from_bottom[rows] = _ranks(values[rows])
        ranked[rows] = (~np.isnan(values[rows])).sum(axis=0)[None, :]
    return ranks, from_bottom, ranked


def summarise(values: np.ndarray, years: np.ndarray, share: float, top: float) -> dict:
    """Per unit-year: median, 5th and 95th percentile of its rank over the draws, the share of
    draws that put it in the 倒排 group (ceil(share × units ranked), ties at the cut all in) and
    the share whose overall index reaches ``top`` (the lower bound of the best grade)."""
    ranks, from_bottom, ranked = rank_all(values, years)
    counts, at = np.unique(ranked, return_inverse=True)
    cut = np.array([bottom_count(int(n), share) for n in counts])[at.reshape(ranked.shape)]
    out = dict(zip(["median_rank", "rank_p05", "rank_p95"], _percentiles(ranks, [50, 5, 95])))
    out["p_bottom"] = (from_bottom <= cut).mean(axis=1)
    out["p_top"] = (values >= top).mean(axis=1)
    return out
