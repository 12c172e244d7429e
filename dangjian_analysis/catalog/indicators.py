"""The catalogue's groups (五大工程 and the other programmes) and indicators, checked key by key.

Each indicator also carries the ranges the intake checks a value against: a valid range
(``valid``; outside it a value is an error), a plausible range (``plausible``; outside it a
warning) and a year-on-year limit (``yoy_factor`` for counts and amounts, ``yoy_points`` for
percentages). Absent keys take the defaults of the indicator's kind, see :func:`default_valid`.

Two keys say how a clerk fills an indicator:

- ``ordinal`` (bool): the values are ordered levels (等次), whole numbers of the valid range,
  the best end given by ``direction`` (``higher``: the top level is best). Default true for
  unit ``级``, false otherwise; an ordinal indicator needs a finite valid range.
- ``applies_if = { other_id = value }`` (an inline table of one key): the indicator applies
  only to the unit-years where indicator ``other_id`` — same level, the same unit and year —
  has ``value`` (a value ``other_id``'s valid range admits; whole for 0/1 and counts). Chains
  are allowed, cycles are not. Elsewhere a value is an error at intake and left out of the
  aggregation; where it applies, ``required`` means required there. The ``applies_if``
  column holds ``None`` or the tuple ``(other_id, value)``, value a float.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ._checks import Checker, as_float, is_kind, where_of

__all__ = ["build_groups", "build_indicators", "header_label", "value_kind", "default_valid",
           "range_text", "number_text", "DIRECTIONS", "LEVELS", "AGGREGATES", "INDICATOR_COLUMNS",
           "RANGE_COLUMNS", "COUNT_UNITS", "DEFAULT_YOY_FACTOR", "DEFAULT_YOY_POINTS"]

DIRECTIONS = ("higher", "lower", "monitor")
LEVELS = ("village", "township")
AGGREGATES = ("sum", "mean", "share_meeting_target")

#: The range columns: valid and plausible range (±inf where open), year-on-year limits
#: (NaN where the check does not apply: ``yoy_factor`` for percentages and 0/1, ``yoy_points``
#: for everything but percentages).
RANGE_COLUMNS = ["valid_lo", "valid_hi", "plausible_lo", "plausible_hi", "yoy_factor", "yoy_points"]

INDICATOR_COLUMNS = ["id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                     "target_year", "lo", "hi", "weight", "aliases", "required",
                     "allow_negative", "kind", "sheet", "ordinal", "applies_if", *RANGE_COLUMNS]

#: Year on year, a count or amount that changes beyond this factor either way is questioned.
DEFAULT_YOY_FACTOR = 10.0
#: Year on year, a percentage that moves by more than this many points is questioned.
DEFAULT_YOY_POINTS = 50.0

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


def default_valid(kind: str, allow_negative: bool = False) -> tuple[float, float]:
    """The valid range of an indicator without a ``valid`` key, by kind.

    binary [0, 1]; percent [0, 100] ([-100, 100] with ``allow_negative``); count and number
    [0, +inf) (any number with ``allow_negative``).

    >>> default_valid("percent"), default_valid("count", allow_negative=True)
    ((0.0, 100.0), (-inf, inf))
    """
    if kind == "binary":
        return 0.0, 1.0
    if kind == "percent":
        return (-100.0 if allow_negative else 0.0), 100.0
    return (-math.inf if allow_negative else 0.0), math.inf


def number_text(value: float) -> str:
    """A number as people write it: ``5`` not ``5.0``, ``0.5``, ``inf``/``-inf`` for open ends."""
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if value.is_integer() else format(value, ".10g")


def range_text(lo: float, hi: float) -> str:
    """A range for people, ends included: ``1–4``, ``≥ 0``, ``≤ 12`` or ``不限``.

    >>> range_text(0.5, 50), range_text(0, float("inf")), range_text(float("-inf"), float("inf"))
    ('0.5–50', '≥ 0', '不限')
    """
    if math.isfinite(lo) and math.isfinite(hi):
        return f"{number_text(lo)}–{number_text(hi)}"
    if math.isfinite(lo):
        return f"≥ {number_text(lo)}"
    if math.isfinite(hi):
        return f"≤ {number_text(hi)}"
    return "不限"


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
    _check_applies(chk, rows)
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
    allow_negative = chk.opt(ind, "allow_negative", where, bool, False)
    ranges = _ranges(chk, where, ind, kind, allow_negative)
    ordinal = chk.opt(ind, "ordinal", where, bool, unit == "级")
    if ordinal and kind == "binary":
        chk.fail(f"{where}.ordinal", "不适用：是/否指标不是等次，请删除此键")
    if ordinal and not (math.isfinite(ranges["valid_lo"]) and math.isfinite(ranges["valid_hi"])
                        and float(ranges["valid_lo"]).is_integer() and float(ranges["valid_hi"]).is_integer()):
        chk.fail(f"{where}.valid", "缺失或有误：等次指标（ordinal）须写明两端为整数的有效范围，如 valid = [1, 4]")
    applies = chk.opt(ind, "applies_if", where, dict)
    if applies is not None and not (len(applies) == 1 and is_kind(next(iter(applies.values())), "number")):
        chk.fail(f"{where}.applies_if", "应为只含一个键的表，如 applies_if = { weak_listed = 1 }，"
                                        f"实际为 {applies!r}")
    _within_valid(chk, where, ranges, {"lo": lo, "hi": hi, "target": None if aggregate == "sum" else target})
    return {
        "id": iid, "name": chk.need(ind, "name", where, str), "group": group,
        "unit": unit, "direction": direction, "level": level, "aggregate": aggregate,
        "target": as_float(target), "target_year": target_year, "lo": as_float(lo), "hi": as_float(hi),
        "weight": weight, "aliases": tuple(aliases),
        "required": chk.opt(ind, "required", where, bool, True),
        "allow_negative": allow_negative, "kind": kind, "ordinal": ordinal,
        "applies_if": None if applies is None else (*applies.items(),)[0], "_where": where, **ranges,
    }


def _check_applies(chk: Checker, rows: list[dict]) -> None:
    """Each ``applies_if`` names another indicator of the same level, with a value its valid
    range admits, and no chain of them comes back to where it started; the pair becomes
    ``(indicator_id, float value)``."""
    by_id = {row["id"]: row for row in rows}
    wheres = {row["id"]: row.pop("_where") for row in rows}
    for row in rows:
        where = wheres[row["id"]]
        if row["applies_if"] is None:
            continue
        other, value = row["applies_if"]
        key = f"{where}.applies_if"
        if other not in by_id:
            chk.fail(key, f"引用了不存在的指标 {other!r}")
        gov = by_id[other]
        if gov["level"] != row["level"]:
            chk.fail(key, f"引用的指标 {other}（{gov['name']}）是{_LEVEL_WORDS[gov['level']]}指标，"
                          f"本指标是{_LEVEL_WORDS[row['level']]}指标：只能引用同一层级的指标")
        whole = gov["kind"] in ("binary", "count") or gov.get("ordinal")
        if not gov["valid_lo"] <= value <= gov["valid_hi"] or (whole and not float(value).is_integer()):
            chk.fail(key, f"中 {other} 的取值 {number_text(value)} 不在其有效范围 "
                          f"{range_text(gov['valid_lo'], gov['valid_hi'])} 内"
                          + ("（只能取整数）" if whole else ""))
        row["applies_if"] = (other, float(value))
    for row in rows:
        seen, at = [row["id"]], row
        while at["applies_if"] is not None:
            at = by_id[at["applies_if"][0]]
            if at["id"] in seen:
                chk.fail(f"{wheres[row['id']]}.applies_if",
                         "形成循环：" + " → ".join([*seen[seen.index(at["id"]):], at["id"]]) + "，请删除其中一条")
            seen.append(at["id"])


_LEVEL_WORDS = {"village": "村级", "township": "乡镇"}


def _pair(chk: Checker, ind: dict, key: str, where: str, strict: bool) -> tuple[float, float] | None:
    """``key = [lo, hi]``: two numbers (``inf``/``-inf`` for an open end), lo < hi (or ≤)."""
    if key not in ind:
        return None
    value = ind[key]
    if not (isinstance(value, list) and len(value) == 2 and all(is_kind(v, "number") for v in value)
            and not any(math.isnan(v) for v in value)):
        chk.fail(f"{where}.{key}", f"应为 [下限, 上限] 两个数值（开放的一端写 inf 或 -inf），实际为 {value!r}")
    lo, hi = float(value[0]), float(value[1])
    if (lo >= hi) if strict else (lo > hi):
        chk.fail(f"{where}.{key}", f"的下限必须{'小于' if strict else '不大于'}上限，"
                                   f"实际为 [{number_text(lo)}, {number_text(hi)}]")
    return lo, hi


def _ranges(chk: Checker, where: str, ind: dict, kind: str, allow_negative: bool) -> dict:
    """``valid``, ``plausible``, ``yoy_factor``, ``yoy_points`` checked, defaults filled in by kind."""
    valid = _pair(chk, ind, "valid", where, strict=True) or default_valid(kind, allow_negative)
    vlo, vhi = valid
    shown = f"[{number_text(vlo)}, {number_text(vhi)}]"
    if kind == "binary" and (vlo, vhi) != (0, 1):
        chk.fail(f"{where}.valid", f"只能是 [0, 1]：是/否指标只能取 0 或 1，实际为 {shown}")
    floor = -100 if allow_negative else 0
    if kind == "percent" and (vlo < floor or vhi > 100):
        chk.fail(f"{where}.valid", "有误：百分比指标的有效范围应在 0–100 之间"
                                   f"（allow_negative = true 时下限可到 -100），实际为 {shown}")
    if vlo < 0 and not allow_negative:
        chk.fail(f"{where}.valid", f"的下限为负数 {number_text(vlo)}，但本指标不允许负值"
                                   "（如确需负值，请设 allow_negative = true）")
    plausible = _pair(chk, ind, "plausible", where, strict=False) or valid
    if plausible[0] < vlo or plausible[1] > vhi:
        chk.fail(f"{where}.plausible", f"必须在有效范围 valid {shown} 之内，"
                                       f"实际为 [{number_text(plausible[0])}, {number_text(plausible[1])}]")
    factor = chk.opt(ind, "yoy_factor", where, "number")
    points = chk.opt(ind, "yoy_points", where, "number")
    if kind == "binary" and (factor is not None or points is not None):
        key = "yoy_factor" if factor is not None else "yoy_points"
        chk.fail(f"{where}.{key}", "不适用：是/否指标不做同比检查，请删除此键")
    if kind == "percent" and factor is not None:
        chk.fail(f"{where}.yoy_factor", "不适用于百分比指标：百分比按百分点比较，请改用 yoy_points")
    if kind != "percent" and points is not None:
        chk.fail(f"{where}.yoy_points", '只适用于百分比指标（unit = "%"），本指标请用 yoy_factor（倍数）')
    if factor is not None and not factor > 1:
        chk.fail(f"{where}.yoy_factor", f"必须大于 1（10 表示与上年相比变化超过 10 倍即提示），实际为 {factor}")
    if points is not None and not points > 0:
        chk.fail(f"{where}.yoy_points", f"必须大于 0（百分点），实际为 {points}")
    if kind in ("count", "number") and factor is None:
        factor = DEFAULT_YOY_FACTOR
    if kind == "percent" and points is None:
        points = DEFAULT_YOY_POINTS
    return {"valid_lo": vlo, "valid_hi": vhi, "plausible_lo": plausible[0], "plausible_hi": plausible[1],
            "yoy_factor": math.nan if factor is None else float(factor),
            "yoy_points": math.nan if points is None else float(points)}


def _within_valid(chk: Checker, where: str, ranges: dict, values: dict) -> None:
    """The goalposts ``lo``/``hi`` and the target must be values the valid range admits."""
    vlo, vhi = ranges["valid_lo"], ranges["valid_hi"]
    for key, value in values.items():
        if value is not None and not vlo <= value <= vhi:
            chk.fail(f"{where}.{key}", f"超出有效范围 valid [{number_text(vlo)}, {number_text(vhi)}]，"
                                       f"实际为 {number_text(value)}")
