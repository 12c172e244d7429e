"""作风建设: the 四风 rectification ledger and 驻点 leader-team links.

Township and village names resolve through the catalogue's aliases (``东山`` is ``东山镇``);
a name the catalogue does not know, a missing column or a date that cannot be read is a
Chinese ``ValueError``. Tables returned carry the catalogue used (``attrs["catalog"]``).
"""

from __future__ import annotations

import pandas as pd

from ._frames import with_catalog
from ._lookup import catalog_from, need_columns, shown

__all__ = ["ledger_status", "link_coverage"]


def _towns(frame: pd.DataFrame, cat) -> pd.Series:
    """The catalogue name of every township in ``frame``; unknown names are an error."""
    names = {t: cat.resolve_township(t) if isinstance(t, str) else None for t in frame["township"].unique()}
    unknown = [t for t, n in names.items() if n is None]
    if unknown:
        raise ValueError(f"指标体系中没有乡镇 {shown(unknown)}；有：{shown(cat.townships['unit_name'])}")
    return frame["township"].map(names)


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    values = pd.to_datetime(frame[column], errors="coerce")
    bad = frame.loc[values.isna() & frame[column].notna(), column]
    if len(bad):
        raise ValueError(f"列 {column} 中有无法识别的日期：{shown(bad.astype(str).unique(), 5)}")
    return values


def ledger_status(ledger, as_of=None, *, catalog=None) -> pd.DataFrame:
    """四风 ledger completion per township as of a date.

    For items opened on or before ``as_of`` (default: the latest date in the ledger):
    ``closed_on_time`` (closed ≤ due), ``closed_late`` (closed > due), ``open``,
    ``overdue`` (open past due, or closed late), ``on_time_rate`` =
    100 × closed_on_time / items, ``completion`` = 100 × (closed on time or late) / items.
    Closing dates after ``as_of`` count as still open.

    Parameters
    ----------
    ledger : DataFrame or Dataset
        ``township, item_id, opened, due, closed`` (``Dataset.ledger``).
    as_of : date or str, optional
        E.g. ``"2015-06-30"``.
    catalog : Catalog or path, optional
        For resolving township names; default: the Dataset's, else the default catalogue.

    Returns
    -------
    DataFrame
        ``township, items, closed_on_time, closed_late, open, overdue, on_time_rate,
        completion, as_of``.

    Examples
    --------
    Three items as of 2015-06-30, one closed before its due date, one after it and one
    still open past due: on_time_rate = 100 × 1/3, overdue = 2.
    """
    cat = catalog_from(catalog, ledger)
    frame = ledger.ledger if hasattr(ledger, "ledger") else ledger
    need_columns(frame, ["township", "item_id", "opened", "due", "closed"], "四风台账（Dataset.ledger）")
    frame = frame.assign(township=_towns(frame, cat), opened=_dates(frame, "opened"), due=_dates(frame, "due"),
                         closed=_dates(frame, "closed"))
    if as_of is None:
        as_of = pd.concat([frame["opened"], frame["due"], frame["closed"]]).max()
    else:
        try:
            as_of = pd.Timestamp(as_of)
        except (ValueError, TypeError):
            raise ValueError(f"as_of 应为日期（如 \"2015-06-30\"），实际为 {as_of!r}") from None
    frame = frame[frame["opened"] <= as_of].copy()
    closed = frame["closed"].notna() & (frame["closed"] <= as_of)
    frame["closed_on_time"] = closed & (frame["closed"] <= frame["due"])
    frame["closed_late"] = closed & (frame["closed"] > frame["due"])
    frame["open"] = ~closed
    frame["overdue"] = frame["closed_late"] | (~closed & (frame["due"] < as_of))
    out = frame.groupby("township", sort=True).agg(
        items=("item_id", "size"), closed_on_time=("closed_on_time", "sum"), closed_late=("closed_late", "sum"),
        open=("open", "sum"), overdue=("overdue", "sum")).reset_index()
    out["on_time_rate"] = 100 * out["closed_on_time"] / out["items"]
    out["completion"] = 100 * (out["closed_on_time"] + out["closed_late"]) / out["items"]
    out["as_of"] = as_of
    return with_catalog(out, cat)


def link_coverage(links, catalog=None) -> pd.DataFrame:
    """驻点 coverage per township and year.

    ``villages`` in the catalogue that existed that year, ``linked`` (villages with a leader team),
    ``coverage`` = 100 × linked / villages, ``teams`` and ``households_visited`` (sum).
    Every township of the catalogue gets a row for every year of ``links``.

    Parameters
    ----------
    links : DataFrame or Dataset
        ``leader_team, township, village, year, households_visited``.
    catalog : Catalog or path, optional
        Default: the Dataset's (or the one the table carries), else the default catalogue.

    Returns
    -------
    DataFrame
        ``township, year, villages, linked, coverage, teams, households_visited``.

    Examples
    --------
    Two of 东山镇's 15 villages linked: coverage = 100 × 2/15 = 13.3.
    """
    cat = catalog_from(catalog, links)
    frame = links.links if hasattr(links, "links") else links
    need_columns(frame, ["leader_team", "township", "village", "year", "households_visited"],
                 "驻点联系表（Dataset.links）")
    frame = frame.assign(township=_towns(frame, cat))
    villages = [cat.resolve_village(t, v) if isinstance(v, str) else None
                for t, v in zip(frame["township"], frame["village"])]
    unknown = [f"{t}{v}" for t, v, r in zip(frame["township"], frame["village"], villages) if r is None]
    if unknown:
        raise ValueError(f"指标体系中没有村（社区）{shown(dict.fromkeys(unknown), 10)}")
    frame = frame.assign(village=villages)
    per = frame.groupby(["township", "year"], sort=True).agg(
        linked=("village", "nunique"), teams=("leader_team", "nunique"),
        households_visited=("households_visited", "sum")).reset_index()
    years = sorted(frame["year"].unique())
    counts = {(t, y): n for y in years
              for t, n in cat.villages_in(int(y)).groupby("township").size().items()}  # villages existing that year
    grid = pd.MultiIndex.from_product([cat.townships["unit_name"], years], names=["township", "year"])
    out = per.set_index(["township", "year"]).reindex(grid).reset_index()
    out["villages"] = [counts.get((t, y), 0) for t, y in zip(out["township"], out["year"])]
    out[["linked", "teams", "households_visited"]] = out[["linked", "teams", "households_visited"]].fillna(0).astype(int)
    out["coverage"] = 100 * out["linked"] / out["villages"]
    return with_catalog(out[["township", "year", "villages", "linked", "coverage", "teams", "households_visited"]], cat)
