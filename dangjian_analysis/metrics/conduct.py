"""作风建设: the 四风 rectification ledger and 驻点 leader-team links."""

from __future__ import annotations

import pandas as pd

from ._frames import catalog_of

__all__ = ["ledger_status", "link_coverage"]


def ledger_status(ledger, as_of=None) -> pd.DataFrame:
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
    """
    frame = ledger.ledger if hasattr(ledger, "ledger") else ledger
    dates = pd.concat([frame["opened"], frame["due"], frame["closed"]])
    as_of = pd.Timestamp(as_of) if as_of is not None else dates.max()
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
    return out


def link_coverage(links, catalog=None) -> pd.DataFrame:
    """驻点 coverage per township and year.

    ``villages`` in the catalogue, ``linked`` (villages with a leader team),
    ``coverage`` = 100 × linked / villages, ``teams`` and ``households_visited`` (sum).

    Parameters
    ----------
    links : DataFrame or Dataset
        ``leader_team, township, village, year, households_visited``.
    """
    cat = catalog_of(links, catalog)
    frame = links.links if hasattr(links, "links") else links
    per = frame.groupby(["township", "year"], sort=True).agg(
        linked=("village", "nunique"), teams=("leader_team", "nunique"),
        households_visited=("households_visited", "sum")).reset_index()
    villages = cat.villages.groupby("township").size().rename("villages")
    years = sorted(frame["year"].unique())
    grid = pd.MultiIndex.from_product([cat.townships["unit_name"], years], names=["township", "year"])
    out = per.set_index(["township", "year"]).reindex(grid).reset_index()
    out["villages"] = out["township"].map(villages)
    out[["linked", "teams", "households_visited"]] = out[["linked", "teams", "households_visited"]].fillna(0).astype(int)
    out["coverage"] = 100 * out["linked"] / out["villages"]
    return out[["township", "year", "villages", "linked", "coverage", "teams", "households_visited"]]
