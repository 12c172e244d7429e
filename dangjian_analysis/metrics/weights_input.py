"""Weights as the analyst gives them: resolved against the catalogue, checked, normalised, explained.

:func:`weights_of` turns what is passed as ``weights=`` to
:func:`~dangjian_analysis.score_composite` and :func:`~dangjian_analysis.rank_uncertainty`
into one indicator weight per scored indicator and one weight per group. Every departure
from the catalogue is either an error (unknown keys, negative, non-finite or all-zero
weights, positional lists) or a Chinese warning (weights normalised, items left out keeping
their catalogue weight, weights for indicators that are only monitored).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._frames import warn

__all__ = ["weights_of"]

#: The catalogue's own weights, by the catalogue's SHA-256 (its text: the same weights).
_DEFAULT: dict = {}
_PARTS = {"groups": "groups", "分组": "groups", "indicators": "indicators", "指标": "indicators"}
_WHAT = {"groups": "分组", "indicators": "指标"}
_TOL = 1e-9


def weights_of(catalog, weights=None) -> tuple[pd.Series, pd.Series]:
    """(indicator weights, group weights): the catalogue's, replaced where ``weights`` says so.

    Parameters
    ----------
    catalog : Catalog
    weights : dict or Series, optional
        One of

        - group weights: ``{"demo": 0.3, "一乡一品": 0.2, ...}`` (keys: group ids or the
          groups' Chinese names);
        - indicator weights: ``{"office_funds": 2, "党组织等次": 1, ...}`` or a Series indexed
          by indicator ids such as the output of :func:`~dangjian_analysis.entropy_weights`
          (keys: indicator ids or Chinese names);
        - both: ``{"groups": {...}, "indicators": {...}}`` (also ``分组`` / ``指标``).

    Returns
    -------
    (Series, Series)
        Indicator weights indexed by indicator id (scored indicators only; ``monitor``
        indicators are never scored), summing to 1 within each group; group weights indexed
        by group id, summing to 1.

    Notes
    -----
    The rules, in order:

    1. Keys resolve by id, then by Chinese name. A plain mapping must be all groups or all
       indicators; unknown keys, a key that names both a group and an indicator, the same item
       given twice, negative, non-finite or non-numeric values, positional lists, and weights
       that are all 0 once the catalogue has filled in what was left out are a ``ValueError``
       naming them. A weight of 0 for some items is allowed (a group at 0 is left out).
    2. Catalogue weights are first put on the scale they mean: group weights ÷ their total,
       indicator weights ÷ their group's total (monitor indicators excluded).
    3. A given weight replaces the catalogue weight of its item; items left out keep that
       catalogue weight (a warning lists them). Weights are therefore never silently 0.
    4. Group weights are divided by their sum, indicator weights by their group's sum; when a
       sum is not 1 a warning says so. A group whose indicator weights are all 0 is an error
       (set the group's weight to 0 to leave a group out).

    Indicator weights are relative weights within a group: data-driven weights computed on a
    subset of indicators (e.g. entropy on the village indicators) are put beside the
    catalogue's shares of the indicators left out, which may be on another scale — the
    warning names them; give every indicator of a group to avoid mixing scales.

    Examples
    --------
    With two groups weighted 3 : 1 in the catalogue (shares 0.75, 0.25), ``{"a": 1}`` gives
    a = 1 and b = 0.25 (kept), normalised to 0.8 and 0.2, with two warnings.
    """
    if weights is None:                          # the catalogue's own: the same for the same file
        key = getattr(catalog, "sha256", None)
        if key is not None and key in _DEFAULT:
            ind_w, grp_w = _DEFAULT[key]
            return ind_w.copy(), grp_w.copy()
    ind = catalog.indicators
    scored = ind[ind["direction"] != "monitor"]
    cat_grp = _normalised(catalog.groups.set_index("group")["weight"].astype(float))
    cat_ind = scored.set_index("id")["weight"].astype(float)
    cat_ind = cat_ind / cat_ind.groupby(scored["group"].to_numpy()).transform("sum").to_numpy()
    if weights is None:
        result = cat_ind.rename_axis("id").rename("weight"), cat_grp.rename_axis("group").rename("weight")
        if getattr(catalog, "sha256", None) is not None:
            _DEFAULT[catalog.sha256] = (result[0].copy(), result[1].copy())
        return result
    given = _split(weights, catalog)
    grp_w = cat_grp
    if "groups" in given:
        grp_w = _combine(given["groups"], cat_grp, "groups", catalog)
        grp_w = _check_sum(grp_w, "分组权重")
    ind_w = cat_ind
    if "indicators" in given:
        values = given["indicators"]
        monitored = [i for i in values.index if i not in cat_ind.index]
        if monitored:
            warn("以下指标只监测、不计分，给出的权重不起作用：" + "、".join(_label(i, catalog, "indicators")
                                                         for i in monitored))
            values = values.drop(monitored)
        ind_w = _combine(values, cat_ind, "indicators", catalog)
        ind_w = _within_groups(ind_w, scored.set_index("id")["group"], catalog)
    return ind_w.rename_axis("id").rename("weight"), grp_w.rename_axis("group").rename("weight")


def _normalised(series: pd.Series) -> pd.Series:
    return series / series.sum()


def _split(weights, catalog) -> dict[str, pd.Series]:
    """``{"groups": Series, "indicators": Series}`` keyed by ids, from any accepted form."""
    if isinstance(weights, pd.DataFrame) or not isinstance(weights, (Mapping, pd.Series)):
        raise ValueError("权重应为 dict 或 pandas Series（以分组或指标的编号、中文名为键），"
                         f"或 {{\"groups\": …, \"indicators\": …}}；实际为 {type(weights).__name__}。"
                         "不接受按位置排列的列表，以免权重错配到别的指标")
    keys = list(weights.index) if isinstance(weights, pd.Series) else list(weights)
    if not keys:
        raise ValueError("权重为空：请给出至少一个分组或指标的权重，或不传 weights 使用指标体系的权重")
    nested = [k for k in keys if isinstance(k, str) and k in _PARTS]
    if nested:
        if len(nested) != len(keys):
            other = [str(k) for k in keys if k not in nested]
            raise ValueError(f"权重中既有 {'、'.join(nested)} 又有其他键（{'、'.join(other)}）："
                             "请写成 {\"groups\": {…}, \"indicators\": {…}}")
        out = {}
        for key in nested:
            part = _PARTS[key]
            if part in out:
                raise ValueError(f"权重中的{_WHAT[part]}给出了两次（{key}）")
            inner = weights[key]
            if not isinstance(inner, (Mapping, pd.Series)) or isinstance(inner, pd.DataFrame):
                raise ValueError(f"权重 {key} 应为 dict 或 Series，实际为 {type(inner).__name__}")
            out[part] = _resolve(_items(inner), catalog, part)
        return out
    items = _items(weights)
    as_group = {k: _lookup(k, catalog, "groups") for k, _ in items}
    as_ind = {k: _lookup(k, catalog, "indicators") for k, _ in items}
    unknown = [k for k, _ in items if as_group[k] is None and as_ind[k] is None]
    if unknown:
        raise ValueError(f"权重中有未知的分组或指标：{'、'.join(map(str, unknown))}。"
                         f"分组有：{_available(catalog, 'groups')}；指标有：{_available(catalog, 'indicators')}")
    groups_only = [k for k, _ in items if as_ind[k] is None]
    indicators_only = [k for k, _ in items if as_group[k] is None]
    if groups_only and indicators_only:
        raise ValueError(f"权重中混合了分组（{'、'.join(map(str, groups_only))}）和指标"
                         f"（{'、'.join(map(str, indicators_only))}）：请写成 "
                         "{\"groups\": {…}, \"indicators\": {…}}")
    if not groups_only and not indicators_only:
        raise ValueError(f"权重的键 {'、'.join(map(str, as_group))} 既是分组又是指标的名称：请写成 "
                         "{\"groups\": {…}} 或 {\"indicators\": {…}}")
    part = "groups" if groups_only else "indicators"
    return {part: _resolve(items, catalog, part)}


def _items(mapping) -> list[tuple]:
    return list(mapping.items())


def _lookup(key, catalog, part: str) -> str | None:
    """The id of a group or indicator written as its id or its Chinese name."""
    if not isinstance(key, str):
        return None
    if part == "groups":
        ids, names = catalog.groups["group"], catalog.groups["name"]
    else:
        ids, names = catalog.indicators["id"], catalog.indicators["name"]
    if key in set(ids):
        return key
    match = ids[names == key.strip()]
    return match.iloc[0] if len(match) == 1 else None


def _available(catalog, part: str) -> str:
    if part == "groups":
        return "、".join(f"{g}（{n}）" for g, n in zip(catalog.groups["group"], catalog.groups["name"]))
    ids = list(catalog.indicators["id"])
    return "、".join(ids[:40]) + ("等" if len(ids) > 40 else "")


def _label(item: str, catalog, part: str) -> str:
    table = catalog.groups.set_index("group") if part == "groups" else catalog.indicators.set_index("id")
    name = table["name"].get(item)
    return item if name is None or name == item else f"{item}（{name}）"


def _resolve(items: list[tuple], catalog, part: str) -> pd.Series:
    """Keys resolved to ids and values checked: numbers, finite, ≥ 0, not all zero, no item twice."""
    what = _WHAT[part]
    ids, values, seen = [], [], {}
    unknown, bad, negative = [], [], []
    for key, value in items:
        ident = _lookup(key, catalog, part)
        if ident is None:
            unknown.append(str(key))
            continue
        if ident in seen:
            raise ValueError(f"{what} {_label(ident, catalog, part)} 的权重给出了两次（{seen[ident]!r} 和 {key!r}）")
        seen[ident] = key
        number = _number(value)
        if number is None or not math.isfinite(number):
            bad.append(f"{key}={value!r}")
        elif number < 0:
            negative.append(f"{key}={value!r}")
        ids.append(ident)
        values.append(number)
    if unknown:
        raise ValueError(f"权重中有未知的{what}：{'、'.join(unknown)}；{what}有：{_available(catalog, part)}")
    if bad:
        raise ValueError(f"{what}权重应为有限的数值，以下不是：{'、'.join(bad)}")
    if negative:
        raise ValueError(f"{what}权重不能为负数：{'、'.join(negative)}")
    return pd.Series(values, index=ids, dtype=float)


def _number(value) -> float | None:
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _combine(given: pd.Series, catalogue: pd.Series, part: str, catalog) -> pd.Series:
    """``given`` where given, the catalogue's weight for the items left out (warned)."""
    left_out = catalogue.index.difference(given.index, sort=False)
    if part == "indicators":
        touched = set(catalog.indicators.set_index("id").loc[given.index, "group"])
        left_out = [i for i in left_out if catalog.indicators.set_index("id").at[i, "group"] in touched]
        untouched = [g for g in catalog.groups["group"] if g not in touched]
        if untouched:
            warn("以下分组没有给出任何指标权重，组内保持指标体系的权重："
                 + "、".join(_label(g, catalog, "groups") for g in untouched))
    if len(left_out):
        what = "分组" if part == "groups" else "指标（在其分组内）"
        warn(f"以下{what}没有给出权重，保持指标体系中的权重（{'占全部分组' if part == 'groups' else '占本组'}的比例）："
             + "、".join(f"{_label(i, catalog, part)} {catalogue[i]:.4g}" for i in left_out))
    return given.combine_first(catalogue).reindex(catalogue.index)


def _check_sum(weights: pd.Series, what: str) -> pd.Series:
    total = weights.sum()
    if total <= 0:
        raise ValueError(f"{what}全部为 0：{'、'.join(map(str, weights.index))}；至少要有一个大于 0")
    if abs(total - 1) > _TOL:
        warn(f"{what}之和为 {total:.6g}（不等于 1），已按比例归一（各权重 ÷ {total:.6g}）")
    return weights / total


def _within_groups(weights: pd.Series, group_of: pd.Series, catalog) -> pd.Series:
    """Indicator weights divided by their group's sum; all-zero groups are an error."""
    group = group_of.reindex(weights.index)
    totals = weights.groupby(group.to_numpy()).sum()
    zero = [g for g, t in totals.items() if t <= 0]
    if zero:
        raise ValueError("以下分组的指标权重全部为 0："
                         + "、".join(_label(g, catalog, "groups") for g in zero)
                         + "。如要去掉某个分组，请把该分组的权重设为 0：{\"groups\": {…}}")
    off = [g for g, t in totals.items() if abs(t - 1) > _TOL]
    if off:
        warn("指标权重在各分组内按比例归一（组内之和不等于 1 的分组："
             + "、".join(f"{_label(g, catalog, 'groups')} {totals[g]:.4g}" for g in off) + "）")
    return weights / group.map(totals).to_numpy()
