"""Private helpers that turn what an analyst typed into what the data hold.

Years, groups, indicators (by id, Chinese name or alias) and unit names (through the
catalogue's aliases: ``东山`` is ``东山镇``) are looked up here, and a value that is not there
is a Chinese ``ValueError`` listing what there is — never an empty result, a chart of zeros
or a pandas ``KeyError``. :func:`catalog_from` picks the catalogue a table was computed with.
"""

from __future__ import annotations

import numbers

import pandas as pd

from ._frames import catalog_of, require

__all__ = ["catalog_from", "carried_catalog", "need_columns", "year_of", "as_year", "year_order", "group_of", "indicator_of", "unit_of",
           "share_of", "shown"]


def shown(items, limit: int = 30) -> str:
    """Items joined by 、 for a message (the first ``limit``, then 等)."""
    items = [str(i) for i in items]
    return "、".join(items[:limit]) + ("等" if len(items) > limit else "") if items else "（无）"


def catalog_from(catalog, *sources):
    """The catalogue to use: the one given (a Catalog or a path to a catalogue file), else the
    first source that carries one (a Dataset, or a table computed with one: ``attrs["catalog"]``),
    else the default catalogue — with the Chinese warning of :func:`~._frames.catalog_of` when a
    table was given that carries none (a county's rules are never replaced by the default's in
    silence)."""
    if catalog is not None:
        if not (hasattr(catalog, "grade_bands") or isinstance(catalog, (str, bytes)) or hasattr(catalog, "__fspath__")):
            raise ValueError(f"catalog 应为指标体系（Catalog）或指标体系文件的路径，实际为 {type(catalog).__name__}")
        return catalog_of(None, catalog)
    for source in sources:
        attrs = getattr(source, "attrs", None)
        if hasattr(source, "catalog") or (isinstance(attrs, dict) and attrs.get("catalog") is not None):
            return catalog_of(source, None)
    return catalog_of(next((s for s in sources if s is not None), None), None)


def carried_catalog(*sources):
    """The catalogue the first of ``sources`` carries (a Dataset's, or ``attrs["catalog"]`` of a
    table computed with one), else None — for results that only pass it on (never the default:
    a result must not look as if it had been computed with a catalogue it never saw)."""
    for source in sources:
        attrs = getattr(source, "attrs", None)
        if hasattr(source, "catalog"):
            return source.catalog
        if isinstance(attrs, dict) and attrs.get("catalog") is not None:
            return attrs["catalog"]
    return None


def need_columns(frame, columns, what: str) -> pd.DataFrame:
    """``frame`` if it is a DataFrame holding all ``columns``; otherwise a Chinese ``ValueError``
    naming ``what`` was expected (e.g. "score_composite 的输出") and the columns that are missing."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"需要{what}（表格），实际为 {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"表格缺少列 {shown(missing)}：需要{what}（现有列：{shown(frame.columns)}）")
    return frame


def as_year(year) -> int:
    """``year`` as an int (2015, "2015", "2015年", 2015.0); a Chinese ``ValueError`` otherwise."""
    if isinstance(year, numbers.Integral) and not isinstance(year, bool):
        return int(year)
    if isinstance(year, numbers.Real) and not isinstance(year, bool) and float(year).is_integer():
        return int(year)
    if isinstance(year, str) and year.strip().removesuffix("年").removesuffix("年度").strip().isdigit():
        return int(year.strip().removesuffix("年").removesuffix("年度"))
    raise ValueError(f"年度应为整数（如 2015），实际为 {year!r}")


def year_of(frame: pd.DataFrame, year=None, *, column: str = "year") -> int:
    """``year`` if ``frame`` has rows of it, or the latest year when ``year`` is None;
    otherwise a Chinese ``ValueError`` listing the years there are."""
    years = sorted({int(y) for y in pd.unique(frame[column].dropna())})
    if year is None:
        if not years:
            raise ValueError("表格中没有任何年度的数据")
        return years[-1]
    return require(as_year(year), years, "年度")


def year_order(from_year, to_year) -> None:
    """Nothing when ``from_year`` ≤ ``to_year`` (or either is None, a default still to be
    chosen); a Chinese ``ValueError`` when the start is later than the end
    (``grade_transitions(scores, 2015, 2014)``), never a silent reversal. The same year twice is
    allowed (nothing moved)."""
    if from_year is None or to_year is None:
        return
    start, end = as_year(from_year), as_year(to_year)
    if start > end:
        raise ValueError(f"起始年度 {start} 晚于结束年度 {end}：请先写较早的年度，如 ({end}, {start})")


def group_of(catalog, group, available=None) -> str:
    """The group id of ``group`` given by id, Chinese name or ``overall`` / 综合指数; with
    ``available``, one that the data hold."""
    groups = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    names = {"overall": "综合指数", **groups}
    by_name = {name: gid for gid, name in names.items()}
    gid = group if isinstance(group, str) and group in names else by_name.get(str(group).strip())
    there = list(names) if available is None else [g for g in names if g in set(available)]
    if gid is None or gid not in there:
        listed = [f"{names[g]}（{g}）" for g in there]
        raise ValueError(f"{'数据中' if available is not None else '指标体系中'}没有分组“{group}”；有：{shown(listed)}")
    return gid


def indicator_of(catalog, indicator, available=None) -> str:
    """The indicator id of ``indicator`` given by id, Chinese name or alias; with ``available``
    (ids), one that the data hold."""
    from ..catalog.units import clean_name

    ind = catalog.indicators
    lookup = {}
    for iid, name, aliases in zip(ind["id"], ind["name"], ind["aliases"]):
        for key in (iid, name, *(aliases or ())):
            lookup.setdefault(clean_name(key), iid)
    iid = lookup.get(clean_name(indicator)) if isinstance(indicator, str) else None
    names = dict(zip(ind["id"], ind["name"]))
    if iid is None:
        raise ValueError(f"指标体系中没有指标“{indicator}”；有：{shown(f'{n}（{i}）' for i, n in names.items())}")
    if available is not None:
        there = set(available)
        if iid not in there:
            listed = [f"{n}（{i}）" for i, n in names.items() if i in there]
            raise ValueError(f"数据中没有指标“{names[iid]}”（{iid}）的数值；有：{shown(listed)}")
    return iid


def unit_of(catalog, name, available, *, where: str = "数据中", what: str = "单位") -> str:
    """The name under which ``available`` holds the township or village written as ``name``
    (its catalogue name, short form or alias); otherwise a Chinese ``ValueError`` listing them."""
    there = list(dict.fromkeys(available))
    if isinstance(name, str):
        candidates = [name, name.strip(), catalog.resolve_township(name)]
        candidates += [catalog.resolve_village(t, name) for t in catalog.townships["unit_name"]]
        for candidate in candidates:
            if candidate is not None and candidate in there:
                return candidate
    raise ValueError(f"{where}没有“{name}”（{what}）；有：{shown(there)}")


def share_of(share, catalog) -> float:
    """The 倒排 share: ``share`` if given, else the catalogue's; a Chinese ``ValueError`` unless
    it is a number strictly between 0 and 1."""
    if share is None:
        return float(catalog.bottom_share)
    if isinstance(share, bool) or not isinstance(share, numbers.Real) or not 0 < float(share) < 1:
        raise ValueError(f"share 应为 0 与 1 之间的比例（如 0.10 表示 10%），实际为 {share!r}")
    return float(share)
