"""The catalogue's groups (五大工程 and the other programmes) and indicators, checked key by key."""

from __future__ import annotations

import re

import pandas as pd

from ._checks import Checker, as_float, where_of

__all__ = ["build_groups", "build_indicators", "header_label", "value_kind", "DIRECTIONS", "LEVELS",
           "AGGREGATES", "INDICATOR_COLUMNS", "COUNT_UNITS"]

DIRECTIONS = ("higher", "lower", "monitor")
LEVELS = ("village", "township")
AGGREGATES = ("sum", "mean", "share_meeting_target")

INDICATOR_COLUMNS = ["id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                     "target_year", "lo", "hi", "weight", "aliases", "required",
                     "allow_negative", "kind", "sheet"]

#: Units whose values must be whole numbers.
COUNT_UNITS = frozenset({"个", "人", "件", "户", "次", "名", "家", "项", "处", "级"})


def value_kind(unit: str) -> str:
    """Value kind from the unit: ``binary`` (0/1), ``percent`` (0–100), ``count`` or ``number``."""
    if unit == "0/1":
        return "binary"
    if unit == "%":
        return "percent"
    if unit.split("/")[0] in COUNT_UNITS:
        return "count"
    return "number"


def header_label(name: str, unit: str) -> str:
    """The column header of an indicator: ``名称（单位）``; 0/1 indicators say 是/否."""
    return f"{name}（{'是/否' if unit == '0/1' else unit}）"


def build_groups(chk: Checker) -> pd.DataFrame:
    """``groups``: ``group, name, programme, weight, sheet``, ids unique, weights > 0."""
    rows, seen = [], set()
    for i, g in enumerate(chk.array("groups")):
        where = where_of("groups", i, g)
        chk.check_keys(g, "groups", where)
        gid = chk.need(g, "id", where, str)
        if gid in seen:
            chk.fail(f"{where}.id", "重复：分组编号必须唯一")
        seen.add(gid)
        rows.append({
            "group": gid,
            "name": chk.opt(g, "name", where, str, gid),
            "programme": chk.opt(g, "programme", where, str, ""),
            "weight": chk.positive(chk.need(g, "weight", where, "number"), f"{where}.weight"),
            "sheet": chk.opt(g, "sheet", where, str, None),
        })
    return pd.DataFrame(rows)


def build_indicators(chk: Checker, groups: pd.DataFrame, sheets: dict[str, str]) -> pd.DataFrame:
    """``indicators`` as a frame of :data:`INDICATOR_COLUMNS`; every group must have one."""
    group_sheet = dict(zip(groups["group"], groups["sheet"]))
    rows, seen = [], set()
    for i, ind in enumerate(chk.array("indicators")):
        row = _indicator(chk, where_of("indicators", i, ind), ind, group_sheet, seen)
        row["sheet"] = group_sheet[row["group"]] if isinstance(group_sheet[row["group"]], str) \
            else sheets[row["level"]]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    frame["target_year"] = frame["target_year"].astype("Int64")
    for gid in groups["group"]:
        if not (frame["group"] == gid).any():
            i = groups.index[groups["group"] == gid][0]
            chk.fail(f"groups[{i}]（id = {gid}）", "下没有任何指标：请删除该分组或为它添加指标")
    return frame


def _indicator(chk: Checker, where: str, ind: dict, group_sheet: dict, seen: set) -> dict:
    """One indicator entry checked: id, group, direction, level, aggregation, target, goalposts."""
    chk.check_keys(ind, "indicators", where)
    iid = chk.need(ind, "id", where, str)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", iid):
        chk.fail(f"{where}.id", "只能由字母、数字和下划线组成，且不以数字开头")
    if iid in seen or iid in ("township", "village", "year"):
        chk.fail(f"{where}.id", "重复：指标编号必须唯一（且不能用 township/village/year）")
    seen.add(iid)
    group = chk.need(ind, "group", where, str)
    if group not in group_sheet:
        chk.fail(f"{where}.group", f"引用了不存在的分组 {group!r}")
    direction = chk.need(ind, "direction", where, str)
    if direction not in DIRECTIONS:
        chk.fail(f"{where}.direction", f"应为 {' | '.join(DIRECTIONS)}，实际为 {direction!r}")
    level = chk.need(ind, "level", where, str)
    if level not in LEVELS:
        chk.fail(f"{where}.level", f"应为 {' | '.join(LEVELS)}，实际为 {level!r}")
    aggregate = chk.opt(ind, "aggregate", where, str)
    if level == "village" and aggregate is None:
        chk.fail(f"{where}.aggregate", "缺失：村级指标必须写明汇总方式（sum | mean | share_meeting_target）")
    if aggregate is not None and aggregate not in AGGREGATES:
        chk.fail(f"{where}.aggregate", f"应为 {' | '.join(AGGREGATES)}，实际为 {aggregate!r}")
    if level == "township" and aggregate is not None:
        chk.fail(f"{where}.aggregate", "只适用于村级指标")
    target = chk.opt(ind, "target", where, "number")
    if aggregate == "share_meeting_target" and target is None:
        chk.fail(f"{where}.target", "缺失：按达标村占比汇总的指标必须有目标值")
    target_year = chk.opt(ind, "target_year", where, int)
    if target_year is not None and target is None:
        chk.fail(f"{where}.target_year", "只能与 target 一起使用")
    lo = chk.opt(ind, "lo", where, "number")
    hi = chk.opt(ind, "hi", where, "number")
    if (lo is None) != (hi is None):
        chk.fail(f"{where}.{'hi' if hi is None else 'lo'}", "缺失：lo 与 hi 须同时给出")
    if lo is not None and hi <= lo:
        chk.fail(f"{where}.hi", f"必须大于 lo（{lo}），实际为 {hi}")
    if target is not None and lo is not None and aggregate != "sum" and not lo <= target <= hi:
        chk.fail(f"{where}.target", f"超出评分区间 [{lo}, {hi}]，实际为 {target}")
    unit = chk.need(ind, "unit", where, str)
    weight = chk.positive(chk.need(ind, "weight", where, "number"), f"{where}.weight")
    aliases = chk.opt(ind, "aliases", where, list, [])
    if not all(isinstance(a, str) for a in aliases):
        chk.fail(f"{where}.aliases", "应为字符串列表")
    kind = value_kind(unit)
    if kind == "percent" and lo is not None and (lo < 0 or hi > 100) and level == "township":
        chk.fail(f"{where}.hi", "百分比指标的评分区间应在 0–100 之间")
    return {
        "id": iid, "name": chk.need(ind, "name", where, str), "group": group,
        "unit": unit, "direction": direction, "level": level, "aggregate": aggregate,
        "target": as_float(target), "target_year": target_year, "lo": as_float(lo), "hi": as_float(hi),
        "weight": weight, "aliases": tuple(aliases),
        "required": chk.opt(ind, "required", where, bool, True),
        "allow_negative": chk.opt(ind, "allow_negative", where, bool, False),
        "kind": kind,
    }
