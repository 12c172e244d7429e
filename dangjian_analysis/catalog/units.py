"""The catalogue's units: townships with their villages and aliases, and the secretaries."""

from __future__ import annotations

import re

import pandas as pd

from ._checks import Checker, where_of

__all__ = ["build_units", "build_secretaries", "clean_name", "short_name"]


def clean_name(name: str) -> str:
    """A name as it is looked up: all white space removed."""
    return re.sub(r"\s+", "", str(name)).strip()


def short_name(name: str) -> str:
    """Name without its administrative suffix: 东山镇 → 东山, 梅源村 → 梅源."""
    for suffix in ("街道", "社区", "镇", "乡", "村"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def build_units(chk: Checker):
    """``townships``: (townships, villages, aliases).

    Townships ``unit_id, unit_name, aliases``; villages ``unit_id, unit_name, township_id,
    township`` with ids ``<township id>V<nn>`` in list order; aliases
    ``{"township": {name: township}, "village": {(township, name): village}}``, where every
    name, its short form (without 镇/乡/村…) and the listed aliases resolve.
    """
    trows, vrows = [], []
    town_alias: dict[str, str] = {}
    village_alias: dict[tuple[str, str], str] = {}
    for i, t in enumerate(chk.array("townships")):
        where = where_of("townships", i, t)
        chk.check_keys(t, "townships", where)
        tid = chk.need(t, "id", where, str)
        name = chk.need(t, "name", where, str)
        if any(r["unit_id"] == tid or r["unit_name"] == name for r in trows):
            chk.fail(f"{where}.id", "重复：乡镇编号和名称必须唯一")
        aliases = chk.opt(t, "aliases", where, list, [])
        for a in [name, short_name(name), *aliases]:
            town_alias.setdefault(clean_name(a), name)
        trows.append({"unit_id": tid, "unit_name": name, "aliases": tuple(aliases)})
        villages = chk.need(t, "villages", where, list)
        if not villages:
            chk.fail(f"{where}.villages", "为空：每个乡镇至少有一个村（社区）")
        for j, v in enumerate(villages):
            if not isinstance(v, str) or not v.strip():
                chk.fail(f"{where}.villages[{j}]", "应为村（社区）名称")
            if villages.index(v) != j:
                chk.fail(f"{where}.villages[{j}]", f"重复：{v}")
            village_alias[(name, clean_name(v))] = v
            vrows.append({"unit_id": f"{tid}V{j + 1:02d}", "unit_name": v,
                          "township_id": tid, "township": name})
        for v in villages:
            village_alias.setdefault((name, short_name(v)), v)
    return (pd.DataFrame(trows), pd.DataFrame(vrows),
            {"township": town_alias, "village": village_alias})


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
