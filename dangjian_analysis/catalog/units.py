"""The catalogue's units: townships with their villages, and the secretaries.

A village has a stable id written in the catalogue (``T01V02``), a name, aliases, and a
history: ``renamed = { from = "联家村", year = 2015 }`` (the old name is valid before
``year``; several renames as an array), ``merged_into = { id, year }`` (the village exists
until ``year - 1``; from ``year`` on its area belongs to village ``id``), ``split_from =
{ id, year }`` (a new village, from ``year`` on, formed from part of ``id``), ``since`` /
``until`` (first / last year of a village founded or dissolved otherwise). A plain name
instead of a table is a village without history whose id is ``<township id>V<nn>`` by its
position in the list.

Names are looked up by year (:func:`match_village`): the name valid in the workbook's year,
then an alias or short form (梅源 → 梅源村); an old name after the rename is read as the
village with a warning naming the new name; a village that did not exist in the year is an
error saying why (merged, split off later, dissolved).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from ._checks import Checker, where_of

__all__ = ["build_units", "build_secretaries", "clean_name", "short_name", "VillageMatch", "match_village",
           "village_name_in", "OPEN_START", "OPEN_END"]

#: Open ends of a period of years (a village or a name without a first or last year).
OPEN_START, OPEN_END = 0, 9999


def clean_name(name: str) -> str:
    """A name as it is looked up: all white space removed."""
    return re.sub(r"\s+", "", str(name)).strip()


def short_name(name: str) -> str:
    """Name without its administrative suffix: 东山镇 → 东山, 梅源村 → 梅源."""
    for suffix in ("街道", "社区", "镇", "乡", "村"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class VillageMatch(NamedTuple):
    """A village name looked up for a year (:func:`match_village`).

    ``severity`` is None when the name is valid that year, ``"warning"`` when it is an old
    name used after the rename (the value is still the village's), ``"error"`` when the
    village did not exist that year (merged away, split off later, dissolved); ``message``
    says so in Chinese.
    """

    unit_id: str
    unit_name: str
    severity: str | None = None
    message: str | None = None


def build_units(chk: Checker, first_year: int):
    """``townships``: (townships, villages, lookup).

    Townships ``unit_id, unit_name, aliases, product`` (``product``: the 一乡一品 主导产业, None when
    not given); villages ``unit_id, unit_name, township_id,
    township, since, until, merged_into, split_from, aliases`` (``since``/``until``: first
    and last year, NA when open; ``unit_name`` is the current name). ``lookup`` holds the
    name indexes :meth:`Catalog.resolve_township` and :func:`match_village` use.
    """
    trows, vrows = [], []
    town_alias: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()             # ("id" | "name", value): one lookup per township
    for i, t in enumerate(chk.array("townships")):
        where = where_of("townships", i, t)
        chk.check_keys(t, "townships", where)
        tid = chk.need(t, "id", where, str)
        name = chk.need(t, "name", where, str)
        if ("id", tid) in seen or ("name", name) in seen:
            chk.fail(f"{where}.id", "重复：乡镇编号和名称必须唯一")
        seen.update((("id", tid), ("name", name)))
        aliases = chk.opt(t, "aliases", where, list, [])
        for a in [name, short_name(name), *aliases]:
            town_alias.setdefault(clean_name(a), name)
        product = chk.opt(t, "product", where, str)
        if product is not None and not product.strip():
            chk.fail(f"{where}.product", "不能为空：写本乡镇一乡一品的主导产业（如 \"茶叶\"），或不写这个键")
        trows.append({"unit_id": tid, "unit_name": name, "aliases": tuple(aliases),
                      "product": product.strip() if product else None})
        villages = chk.need(t, "villages", where, list)
        if not villages:
            chk.fail(f"{where}.villages", "为空：每个乡镇至少有一个村（社区）")
        for j, v in enumerate(villages):
            vrows.append(_village(chk, v, f"{where}.{where_of('villages', j, v)}", tid, name, j, first_year))
    _check_history(chk, vrows)
    names = _timelines(vrows)
    _check_names(chk, vrows, names)
    columns = ["unit_id", "unit_name", "township_id", "township", "since", "until", "merged_into", "split_from",
               "aliases"]
    villages = pd.DataFrame(vrows, columns=[*columns, "where", "renamed"])[columns]
    for col in ("since", "until"):
        villages[col] = villages[col].astype("Int64")
    lookup = {"township": town_alias, "village": _name_index(vrows, names), "names": names,
              "villages": {r["unit_id"]: r for r in vrows}}
    return pd.DataFrame(trows), villages, lookup


def _village(chk: Checker, v, where: str, tid: str, town: str, j: int, first_year: int) -> dict:
    """One entry of a township's ``villages``: a plain name or a table with id and history."""
    row = {"unit_id": f"{tid}V{j + 1:02d}", "township_id": tid, "township": town, "since": None, "until": None,
           "merged_into": None, "split_from": None, "aliases": (), "where": where, "renamed": []}
    if isinstance(v, str):
        if not v.strip():
            chk.fail(where, "应为村（社区）名称")
        return {**row, "unit_name": v}
    if not isinstance(v, dict):
        chk.fail(where, f"应为村（社区）名称或表（如 {{ id = \"{row['unit_id']}\", name = \"某某村\" }}），实际为 {v!r}")
    chk.check_keys(v, "townships.villages", where)
    row["unit_id"] = chk.opt(v, "id", where, str, row["unit_id"])
    row["unit_name"] = chk.need(v, "name", where, str)
    if not row["unit_id"].strip() or not row["unit_name"].strip():
        chk.fail(f"{where}.{'id' if not row['unit_id'].strip() else 'name'}", "不能为空")
    aliases = chk.opt(v, "aliases", where, list, [])
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        chk.fail(f"{where}.aliases", "应为名称的列表")
    row["aliases"] = tuple(aliases)
    renamed = v.get("renamed", [])
    if not isinstance(renamed, (dict, list)):
        chk.fail(f"{where}.renamed", f"应为表或表的列表（如 {{ from = \"旧名村\", year = 2015 }}），实际为 {renamed!r}")
    entries = [renamed] if isinstance(renamed, dict) else renamed
    for k, entry in enumerate(entries):
        key = f"{where}.renamed" + (f"[{k}]" if isinstance(renamed, list) else "")
        chk.check_keys(entry, "townships.villages.renamed", key)
        old = chk.need(entry, "from", key, str)
        if not old.strip() or clean_name(old) == clean_name(row["unit_name"]):
            chk.fail(f"{key}.from", f"应为更名前的名称（与现名“{row['unit_name']}”不同），实际为 {old!r}")
        row["renamed"].append((_year(chk, entry, key, first_year), old, key))
    row["renamed"].sort(key=lambda r: r[0])
    for a, b in zip(row["renamed"], row["renamed"][1:]):
        if a[0] == b[0]:
            chk.fail(f"{b[2]}.year", f"与 {a[2].removeprefix(where + '.')} 同为 {a[0]} 年：同一年只能更名一次")
    for key in ("merged_into", "split_from"):
        link = chk.opt(v, key, where, dict)
        if link is not None:
            chk.check_keys(link, "townships.villages.link", f"{where}.{key}")
            row[key] = (chk.need(link, "id", f"{where}.{key}", str), _year(chk, link, f"{where}.{key}", first_year))
    for key in ("since", "until"):
        value = chk.opt(v, key, where, int)
        if value is not None and value < first_year:
            chk.fail(f"{where}.{key}", f"不能早于 county.first_year（{first_year}），实际为 {value}")
        row[key] = value
    return row


def _year(chk: Checker, entry: dict, key: str, first_year: int) -> int:
    """The ``year`` of a history entry: after the catalogue's first year."""
    year = chk.need(entry, "year", key, int)
    if year <= first_year:
        chk.fail(f"{key}.year", f"应晚于 county.first_year（{first_year}），实际为 {year}："
                                f"{first_year} 年以前的变化不必记录，直接写现在的名称和编号即可")
    return year


def _check_history(chk: Checker, rows: list[dict]) -> None:
    """Ids unique; ``merged_into`` / ``split_from`` name another village that exists then;
    each village's first year before its last; renames within the village's years."""
    by_id: dict[str, dict] = {}
    for r in rows:
        if r["unit_id"] in by_id:
            chk.fail(f"{r['where']}.id", f"重复：与 {by_id[r['unit_id']]['where']} 的编号相同，村（社区）编号必须唯一")
        by_id[r["unit_id"]] = r
    for r in rows:
        for key, other in (("merged_into", "until"), ("split_from", "since")):
            if r[key] is not None and r[other] is not None:
                which = "最后" if other == "until" else "第一"
                chk.fail(f"{r['where']}.{key}", f"与 {other} 不能同时使用（{key}.year 已决定本村的{which}一年）")
        if r["merged_into"] is not None:
            r["until"] = r["merged_into"][1] - 1
        if r["split_from"] is not None:
            r["since"] = r["split_from"][1]
    for r in rows:
        start, end = _period(r)
        if start > end:
            chk.fail(f"{r['where']}.until", f"早于本村的第一年（{start}）")
        for key, year_then, when in (("merged_into", lambda y: y, "并入时"), ("split_from", lambda y: y - 1, "分设前")):
            if r[key] is None:
                continue
            target, year = r[key]
            if target == r["unit_id"]:
                chk.fail(f"{r['where']}.{key}.id", "不能是本村自己")
            if target not in by_id:
                chk.fail(f"{r['where']}.{key}.id", f"引用了不存在的村（{target}）")
            t_start, t_end = _period(by_id[target])
            if not t_start <= year_then(year) <= t_end:
                chk.fail(f"{r['where']}.{key}.id", f"{target}（{by_id[target]['unit_name']}）在{when}"
                                                   f"（{year_then(year)} 年）不存在")
        for year, _, key in r["renamed"]:
            if not start < year <= end:
                chk.fail(f"{key}.year", f"{year} 年时本村不存在（本村 {_span_text(start, end)}）")


def _period(r: dict) -> tuple[int, int]:
    """(first, last) year of a village, open ends as :data:`OPEN_START` / :data:`OPEN_END`."""
    return (OPEN_START if r["since"] is None else r["since"]), (OPEN_END if r["until"] is None else r["until"])


def _span_text(start: int, end: int) -> str:
    if start == OPEN_START and end == OPEN_END:
        return "各年都存在"
    if end == OPEN_END:
        return f"{start} 年起存在"
    return f"到 {end} 年为止" if start == OPEN_START else f"{start}–{end} 年存在"


def _timelines(rows: list[dict]) -> dict[str, list[tuple[str, int, int]]]:
    """unit id → its names in order, each ``(name, first year, last year)`` it was valid."""
    out = {}
    for r in rows:
        start, end = _period(r)
        names, lo = [], start
        for year, old, _ in r["renamed"]:
            names.append((old, lo, year - 1))
            lo = year
        out[r["unit_id"]] = [*names, (r["unit_name"], lo, end)]
    return out


def _check_names(chk: Checker, rows: list[dict], names: dict) -> None:
    """Two villages of one township never carry the same name in the same year."""
    seen: dict[tuple[str, str], list[tuple[int, int, dict]]] = {}
    for r in rows:
        for name, lo, hi in names[r["unit_id"]]:
            for o_lo, o_hi, other in seen.get((r["township"], clean_name(name)), []):
                if other is not r and lo <= o_hi and o_lo <= hi:
                    chk.fail(f"{r['where']}.name", f"重复：与 {other['where']} {_when(max(lo, o_lo), min(hi, o_hi))}"
                                                   f"同名（{name}），同一乡镇同一年的村名必须唯一")
            seen.setdefault((r["township"], clean_name(name)), []).append((lo, hi, r))


def _when(start: int, end: int) -> str:
    """``在 2013–2014 年``: the years two names overlap (empty when always)."""
    if (start, end) == (OPEN_START, OPEN_END):
        return ""
    if start == OPEN_START:
        return f"在 {end} 年及以前"
    return f"在 {start} 年起" if end == OPEN_END else f"在 {start}–{end} 年"


def _name_index(rows: list[dict], names: dict) -> dict:
    """(township, cleaned name) → ``[(rank, unit id, first year, last year)]``, best first:
    rank 0 a name in its years, 1 an alias (all the village's years), 2 a short form."""
    index: dict[tuple[str, str], list] = {}
    for r in rows:
        start, end = _period(r)
        entries = [(0, n, lo, hi) for n, lo, hi in names[r["unit_id"]]]
        entries += [(1, a, start, end) for a in r["aliases"]]
        entries += [(2, short_name(n), lo, hi) for n, lo, hi in names[r["unit_id"]]]
        for rank, name, lo, hi in entries:
            index.setdefault((r["township"], clean_name(name)), []).append((rank, r["unit_id"], lo, hi))
    for entries in index.values():
        entries.sort(key=lambda e: e[0])
    return index


def village_name_in(lookup: dict, unit_id: str, year: int | None = None) -> str:
    """The name of a village in ``year`` (its current name when ``year`` is None or the
    village did not exist then)."""
    timeline = lookup["names"][unit_id]
    if year is not None:
        for name, lo, hi in timeline:
            if lo <= year <= hi:
                return name
    return timeline[-1][0]


def match_village(lookup: dict, township: str, name, year: int | None = None) -> VillageMatch | None:
    """The village of ``township`` written as ``name`` in a workbook of ``year``; None when
    no village of the township ever had that name, alias or short form."""
    entries = lookup["village"].get((township, clean_name(name)))
    if not entries:
        return None
    villages = lookup["villages"]

    def found(unit_id, severity=None, message=None):
        return VillageMatch(unit_id, villages[unit_id]["unit_name"], severity, message)

    if year is None:
        return found(entries[0][1])
    for _, unit_id, lo, hi in entries:
        if lo <= year <= hi:
            return found(unit_id)
    for _, unit_id, lo, hi in entries:
        start, end = _period(villages[unit_id])
        if start <= year <= end:
            if year < lo:             # a newer name used for an earlier year: the same village
                return found(unit_id)
            now = village_name_in(lookup, unit_id, year)
            return found(unit_id, "warning", f"村（社区）“{name}”已于 {hi + 1} 年更名为“{now}”，"
                                             f"请改用新名称（本行按{now}读取）")
    unit_id = entries[0][1]
    return found(unit_id, "error", _absent(lookup, unit_id, year, name))


def _absent(lookup: dict, unit_id: str, year: int, name) -> str:
    """Why the village ``unit_id`` has no data in ``year``, for the clerk."""
    r = lookup["villages"][unit_id]
    start, end = _period(r)
    if year > end and r["merged_into"] is not None:
        target, when = r["merged_into"]
        into = village_name_in(lookup, target, when)
        return (f"村（社区）“{name}”已于 {when} 年并入{into}，{when} 年起不再单独填报"
                f"（其数据并入{into}一行）")
    if year > end:
        return f"村（社区）“{name}”{end} 年以后已撤销，{year} 年不再填报"
    if r["split_from"] is not None:
        source, when = r["split_from"]
        came = village_name_in(lookup, source, when - 1)
        return f"村（社区）“{name}”于 {when} 年由{came}分设，{year} 年的数据填在{came}名下"
    return f"村（社区）“{name}”自 {start} 年起设立，{year} 年没有这个村"


def build_secretaries(chk: Checker) -> pd.DataFrame:
    """``secretaries``: ``id, name, unit, type``, names unique."""
    rows = []
    for i, s in enumerate(chk.raw.get("secretaries", [])):
        where = f"secretaries[{i}]"
        chk.check_keys(s, "secretaries", where)
        rows.append({k: chk.need(s, k, where, str) for k in ("id", "name", "unit", "type")})
    frame = pd.DataFrame(rows, columns=["id", "name", "unit", "type"])
    if frame["name"].duplicated().any():
        chk.fail("secretaries", f"中书记姓名重复：{frame['name'][frame['name'].duplicated()].iloc[0]}")
    return frame
