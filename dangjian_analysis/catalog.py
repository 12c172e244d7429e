"""The indicator catalogue (指标体系): load, validate and query.

The catalogue is a commented TOML file shipped as ``dangjian_analysis/data/catalog.toml``.
A county copies it (``dangjian catalog --out FILE``), edits it, and passes it back with
``--catalog FILE``. :func:`load_catalog` checks every key and raises :class:`CatalogError`
with one Chinese message that names the offending key (and the indicator id).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Catalog", "CatalogError", "ReviewScheme", "load_catalog", "default_catalog_text"]

DIRECTIONS = ("higher", "lower", "monitor")
LEVELS = ("village", "township")
AGGREGATES = ("sum", "mean", "share_meeting_target")
RULE_METRICS = ("score", "top_rate", "good_rate", "bad_rate")
_RULE_RE = re.compile(r"^\s*(score|top_rate|good_rate|bad_rate)\s*(<=|>=|<|>)\s*([0-9.]+(?:\s*/\s*[0-9.]+)?)\s*$")

# Allowed keys per table; a key outside these is a typo the user must hear about.
_KEYS = {
    "": {"schema_version", "county", "grades", "bottom", "listing", "sheets", "groups",
         "indicators", "townships", "secretaries", "review"},
    "county": {"name", "first_year", "last_year"},
    "grades": {"bands"},
    "grades.bands": {"grade", "min"},
    "bottom": {"share"},
    "listing": {"satisfaction_below", "vacancy_months_above", "no_new_members_years"},
    "sheets": {"township", "village"},
    "groups": {"id", "name", "programme", "weight", "sheet"},
    "indicators": {"id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                   "target_year", "lo", "hi", "weight", "aliases", "required", "allow_negative",
                   "note"},
    "townships": {"id", "name", "aliases", "villages"},
    "secretaries": {"id", "name", "unit", "type"},
    "review": {"ratings", "invalid", "items", "top_grade_cap", "rater_groups", "grade_rules",
               "annual"},
    "review.ratings": {"rating", "points"},
    "review.rater_groups": {"id", "name", "weight"},
    "review.grade_rules": {"grade", "any"},
    "review.annual": {"routine", "review", "satisfaction"},
}

INDICATOR_COLUMNS = ["id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                     "target_year", "lo", "hi", "weight", "aliases", "required",
                     "allow_negative", "kind", "sheet"]

#: Units whose values must be whole numbers.
COUNT_UNITS = frozenset({"个", "人", "件", "户", "次", "名", "家", "项", "处", "级"})


class CatalogError(ValueError):
    """A catalogue file that cannot be used; the message names the key, in Chinese."""


def _kind(unit: str) -> str:
    """Value kind from the unit: ``binary`` (0/1), ``percent`` (0–100), ``count`` or ``number``."""
    if unit == "0/1":
        return "binary"
    if unit == "%":
        return "percent"
    if unit.split("/")[0] in COUNT_UNITS:
        return "count"
    return "number"


@dataclass(frozen=True)
class ReviewScheme:
    """The 述职评议 scheme: ratings and points, rater groups, grade rules, annual weights.

    ``grade_rules`` is a list of ``(grade, [(metric, op, value), ...])`` checked in order;
    the first rule any of whose conditions holds gives the grade, a rule with no
    conditions always holds.
    """

    ratings: pd.DataFrame          # rating, points (best first)
    invalid: tuple[str, ...]
    items: tuple[str, ...]
    top_grade_cap: float
    rater_groups: pd.DataFrame     # id, name, weight
    grade_rules: tuple[tuple[str, tuple[tuple[str, str, float], ...]], ...]
    annual: dict[str, float]


@dataclass(frozen=True)
class Catalog:
    """A validated catalogue.

    Attributes
    ----------
    indicators : DataFrame
        ``id, name, group, unit, direction, level, aggregate, target, target_year, lo, hi,
        weight, aliases`` plus ``required, allow_negative, kind, sheet``.
    groups : DataFrame
        ``group, name, programme, weight, sheet``.
    townships : DataFrame
        ``unit_id, unit_name, aliases``.
    villages : DataFrame
        ``unit_id, unit_name, township_id, township``.
    secretaries : DataFrame
        ``id, name, unit, type``.
    grade_bands : DataFrame
        ``grade, min``, best grade first.
    """

    indicators: pd.DataFrame
    groups: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    secretaries: pd.DataFrame
    grade_bands: pd.DataFrame
    bottom_share: float
    first_year: int
    last_year: int
    county_name: str
    listing: dict[str, float]
    sheets: dict[str, str]
    review: ReviewScheme
    source: str
    sha256: str
    _aliases: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def years(self) -> list[int]:
        """The catalogue's year range, first to last inclusive."""
        return list(range(self.first_year, self.last_year + 1))

    def indicator(self, indicator_id: str) -> pd.Series:
        """One indicator's row by id."""
        return self.indicators.set_index("id").loc[indicator_id]

    def sheet_indicators(self, sheet: str) -> pd.DataFrame:
        """The indicators entered on one template sheet, in catalogue order."""
        return self.indicators[self.indicators["sheet"] == sheet]

    @property
    def input_sheets(self) -> list[str]:
        """Template input sheets in order: township, village, then group sheets."""
        order = [self.sheets["township"], self.sheets["village"]]
        order += [s for s in self.indicators["sheet"].unique() if s not in order]
        return [s for s in order if (self.indicators["sheet"] == s).any()]

    def resolve_township(self, name: str) -> str | None:
        """The catalogue name of a township written as ``name`` (alias or short form)."""
        return self._aliases["township"].get(_clean_name(name))

    def resolve_village(self, township: str, name: str) -> str | None:
        """The catalogue name of a village of ``township`` written as ``name``."""
        return self._aliases["village"].get((township, _clean_name(name)))

    def grade(self, score: float) -> str | None:
        """Grade of a score by the bands: the first band whose ``min`` the score reaches."""
        return self.grades([score])[0]

    def grades(self, scores) -> np.ndarray:
        """Grades of many scores at once (None where a score is missing); see :meth:`grade`."""
        s = np.asarray(scores, dtype=float)
        mins = self.grade_bands["min"].to_numpy()
        names = self.grade_bands["grade"].to_numpy(dtype=object)
        out = names[np.minimum((s[:, None] < mins[None, :]).sum(axis=1), len(names) - 1)]
        out[np.isnan(s)] = None
        return out


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", "", str(name)).strip()


def _short(name: str) -> str:
    """Name without its administrative suffix: 东山镇 → 东山, 梅源村 → 梅源."""
    for suffix in ("街道", "社区", "镇", "乡", "村"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def default_catalog_text() -> str:
    """The default catalogue file, as text (with its comments)."""
    return resources.files("dangjian_analysis").joinpath("data/catalog.toml").read_text("utf-8")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalogue file (the default one when ``path`` is None).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file written like ``dangjian catalog --out FILE``.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        One Chinese message naming the first problem's key, e.g.
        ``indicators[3]（id = office_funds）.weight 必须大于 0``.

    Examples
    --------
    >>> cat = load_catalog()
    >>> len(cat.townships), len(cat.villages), len(cat.secretaries)
    (10, 127, 19)
    """
    if path is None:
        text, source = default_catalog_text(), "默认指标体系"
    else:
        path = Path(path)
        source = str(path)
        try:
            text = path.read_text("utf-8-sig")
        except FileNotFoundError:
            raise CatalogError(f"找不到指标体系文件：{path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogError(f"无法读取指标体系文件 {path}：{exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}：TOML 格式错误（{exc}）") from None
    return _Builder(raw, source).build(hashlib.sha256(text.encode("utf-8")).hexdigest())


class _Builder:
    """Validates the parsed TOML and builds a :class:`Catalog`; every error names its key."""

    def __init__(self, raw: dict, source: str):
        self.raw = raw
        self.source = source

    def fail(self, key: str, message: str):
        raise CatalogError(f"指标体系 {self.source}：{key} {message}")

    def check_keys(self, table: dict, schema: str, where: str) -> None:
        if not isinstance(table, dict):
            self.fail(where, "应为一个表（table）")
        for key in table:
            if key not in _KEYS[schema]:
                allowed = "、".join(sorted(_KEYS[schema]))
                self.fail(f"{where}.{key}".lstrip("."), f"是未知的键；此处允许的键：{allowed}")

    def need(self, table: dict, key: str, where: str, kind=None):
        if key not in table:
            self.fail(f"{where}.{key}", "缺失（必填）")
        value = table[key]
        if kind is not None and not _is(value, kind):
            self.fail(f"{where}.{key}", f"应为{_KIND_NAMES[kind]}，实际为 {value!r}")
        return value

    def opt(self, table: dict, key: str, where: str, kind, default=None):
        if key not in table:
            return default
        return self.need(table, key, where, kind)

    def positive(self, value, key: str) -> float:
        if value <= 0:
            self.fail(key, f"必须大于 0，实际为 {value}")
        return float(value)

    def array(self, key: str, where: str = "") -> list:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not value:
            self.fail(key, "缺失或为空：至少需要一项")
        return value

    def build(self, sha256: str) -> Catalog:
        raw = self.raw
        self.check_keys(raw, "", "")
        county = raw.get("county", {})
        self.check_keys(county, "county", "county")
        first = self.need(county, "first_year", "county", int)
        last = self.need(county, "last_year", "county", int)
        if last < first:
            self.fail("county.last_year", f"不能早于 first_year（{first}）")
        groups = self.build_groups()
        indicators = self.build_indicators(groups, first, last)
        townships, villages, aliases = self.build_units()
        return Catalog(
            indicators=indicators,
            groups=groups,
            townships=townships,
            villages=villages,
            secretaries=self.build_secretaries(),
            grade_bands=self.build_grades(),
            bottom_share=self.build_bottom(),
            first_year=first,
            last_year=last,
            county_name=self.opt(county, "name", "county", str, "未命名县"),
            listing=self.build_listing(),
            sheets=self.build_sheets(),
            review=self.build_review(),
            source=self.source,
            sha256=sha256,
            _aliases=aliases,
        )

    def build_groups(self) -> pd.DataFrame:
        rows, seen = [], set()
        for i, g in enumerate(self.array("groups")):
            where = _where("groups", i, g)
            self.check_keys(g, "groups", where)
            gid = self.need(g, "id", where, str)
            if gid in seen:
                self.fail(f"{where}.id", "重复：分组编号必须唯一")
            seen.add(gid)
            rows.append({
                "group": gid,
                "name": self.opt(g, "name", where, str, gid),
                "programme": self.opt(g, "programme", where, str, ""),
                "weight": self.positive(self.need(g, "weight", where, "number"), f"{where}.weight"),
                "sheet": self.opt(g, "sheet", where, str, None),
            })
        return pd.DataFrame(rows)

    def build_indicators(self, groups: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
        sheets = self.build_sheets()
        group_sheet = dict(zip(groups["group"], groups["sheet"]))
        rows, seen = [], set()
        for i, ind in enumerate(self.array("indicators")):
            where = _where("indicators", i, ind)
            self.check_keys(ind, "indicators", where)
            iid = self.need(ind, "id", where, str)
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", iid):
                self.fail(f"{where}.id", "只能由字母、数字和下划线组成，且不以数字开头")
            if iid in seen or iid in ("township", "village", "year"):
                self.fail(f"{where}.id", "重复：指标编号必须唯一（且不能用 township/village/year）")
            seen.add(iid)
            group = self.need(ind, "group", where, str)
            if group not in group_sheet:
                self.fail(f"{where}.group", f"引用了不存在的分组 {group!r}")
            direction = self.need(ind, "direction", where, str)
            if direction not in DIRECTIONS:
                self.fail(f"{where}.direction", f"应为 {' | '.join(DIRECTIONS)}，实际为 {direction!r}")
            level = self.need(ind, "level", where, str)
            if level not in LEVELS:
                self.fail(f"{where}.level", f"应为 {' | '.join(LEVELS)}，实际为 {level!r}")
            aggregate = self.opt(ind, "aggregate", where, str)
            if level == "village" and aggregate is None:
                self.fail(f"{where}.aggregate", "缺失：村级指标必须写明汇总方式（sum | mean | share_meeting_target）")
            if aggregate is not None and aggregate not in AGGREGATES:
                self.fail(f"{where}.aggregate", f"应为 {' | '.join(AGGREGATES)}，实际为 {aggregate!r}")
            if level == "township" and aggregate is not None:
                self.fail(f"{where}.aggregate", "只适用于村级指标")
            target = self.opt(ind, "target", where, "number")
            if aggregate == "share_meeting_target" and target is None:
                self.fail(f"{where}.target", "缺失：按达标村占比汇总的指标必须有目标值")
            target_year = self.opt(ind, "target_year", where, int)
            if target_year is not None and target is None:
                self.fail(f"{where}.target_year", "只能与 target 一起使用")
            lo = self.opt(ind, "lo", where, "number")
            hi = self.opt(ind, "hi", where, "number")
            if (lo is None) != (hi is None):
                self.fail(f"{where}.{'hi' if hi is None else 'lo'}", "缺失：lo 与 hi 须同时给出")
            if lo is not None and hi <= lo:
                self.fail(f"{where}.hi", f"必须大于 lo（{lo}），实际为 {hi}")
            if target is not None and lo is not None and aggregate != "sum" and not lo <= target <= hi:
                self.fail(f"{where}.target", f"超出评分区间 [{lo}, {hi}]，实际为 {target}")
            unit = self.need(ind, "unit", where, str)
            weight = self.positive(self.need(ind, "weight", where, "number"), f"{where}.weight")
            aliases = self.opt(ind, "aliases", where, list, [])
            if not all(isinstance(a, str) for a in aliases):
                self.fail(f"{where}.aliases", "应为字符串列表")
            kind = _kind(unit)
            if kind == "percent" and lo is not None and (lo < 0 or hi > 100) \
                    and level == "township":
                self.fail(f"{where}.hi", "百分比指标的评分区间应在 0–100 之间")
            rows.append({
                "id": iid, "name": self.need(ind, "name", where, str), "group": group,
                "unit": unit, "direction": direction, "level": level, "aggregate": aggregate,
                "target": _f(target), "target_year": target_year, "lo": _f(lo), "hi": _f(hi),
                "weight": weight, "aliases": tuple(aliases),
                "required": self.opt(ind, "required", where, bool, True),
                "allow_negative": self.opt(ind, "allow_negative", where, bool, False),
                "kind": kind,
                "sheet": group_sheet[group] if isinstance(group_sheet[group], str) else sheets[level],
            })
        frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
        frame["target_year"] = frame["target_year"].astype("Int64")
        for gid in groups["group"]:
            if not (frame["group"] == gid).any():
                i = groups.index[groups["group"] == gid][0]
                self.fail(f"groups[{i}]（id = {gid}）", "下没有任何指标：请删除该分组或为它添加指标")
        return frame

    def build_units(self):
        trows, vrows = [], []
        town_alias: dict[str, str] = {}
        village_alias: dict[tuple[str, str], str] = {}
        for i, t in enumerate(self.array("townships")):
            where = _where("townships", i, t)
            self.check_keys(t, "townships", where)
            tid = self.need(t, "id", where, str)
            name = self.need(t, "name", where, str)
            if any(r["unit_id"] == tid or r["unit_name"] == name for r in trows):
                self.fail(f"{where}.id", "重复：乡镇编号和名称必须唯一")
            aliases = self.opt(t, "aliases", where, list, [])
            for a in [name, _short(name), *aliases]:
                town_alias.setdefault(_clean_name(a), name)
            trows.append({"unit_id": tid, "unit_name": name, "aliases": tuple(aliases)})
            villages = self.need(t, "villages", where, list)
            if not villages:
                self.fail(f"{where}.villages", "为空：每个乡镇至少有一个村（社区）")
            for j, v in enumerate(villages):
                if not isinstance(v, str) or not v.strip():
                    self.fail(f"{where}.villages[{j}]", "应为村（社区）名称")
                if villages.index(v) != j:
                    self.fail(f"{where}.villages[{j}]", f"重复：{v}")
                village_alias[(name, _clean_name(v))] = v
                vrows.append({"unit_id": f"{tid}V{j + 1:02d}", "unit_name": v,
                              "township_id": tid, "township": name})
            for v in villages:
                village_alias.setdefault((name, _short(v)), v)
        return (pd.DataFrame(trows), pd.DataFrame(vrows),
                {"township": town_alias, "village": village_alias})

    def build_secretaries(self) -> pd.DataFrame:
        rows = []
        for i, s in enumerate(self.raw.get("secretaries", [])):
            where = f"secretaries[{i}]"
            self.check_keys(s, "secretaries", where)
            rows.append({k: self.need(s, k, where, str) for k in ("id", "name", "unit", "type")})
        frame = pd.DataFrame(rows, columns=["id", "name", "unit", "type"])
        if frame["name"].duplicated().any():
            self.fail("secretaries", f"中书记姓名重复：{frame['name'][frame['name'].duplicated()].iloc[0]}")
        return frame

    def build_grades(self) -> pd.DataFrame:
        grades = self.raw.get("grades", {})
        self.check_keys(grades, "grades", "grades")
        bands = self.need(grades, "bands", "grades", list)
        rows = []
        for i, b in enumerate(bands):
            self.check_keys(b, "grades.bands", f"grades.bands[{i}]")
            rows.append({"grade": self.need(b, "grade", f"grades.bands[{i}]", str),
                         "min": float(self.need(b, "min", f"grades.bands[{i}]", "number"))})
        frame = pd.DataFrame(rows, columns=["grade", "min"])
        if frame.empty or not frame["min"].is_monotonic_decreasing or frame["min"].duplicated().any():
            self.fail("grades.bands", "应按下限从高到低排列，且下限互不相同")
        return frame

    def build_bottom(self) -> float:
        bottom = self.raw.get("bottom", {})
        self.check_keys(bottom, "bottom", "bottom")
        share = self.opt(bottom, "share", "bottom", "number", 0.10)
        if not 0 < share < 1:
            self.fail("bottom.share", f"应在 0 与 1 之间（如 0.10 表示 10%），实际为 {share}")
        return float(share)

    def build_listing(self) -> dict[str, float]:
        listing = self.raw.get("listing", {})
        self.check_keys(listing, "listing", "listing")
        defaults = {"satisfaction_below": 60, "vacancy_months_above": 3, "no_new_members_years": 2}
        return {k: self.opt(listing, k, "listing", "number", v) for k, v in defaults.items()}

    def build_sheets(self) -> dict[str, str]:
        sheets = self.raw.get("sheets", {})
        self.check_keys(sheets, "sheets", "sheets")
        return {"township": self.opt(sheets, "township", "sheets", str, "乡镇指标"),
                "village": self.opt(sheets, "village", "sheets", str, "村级指标")}

    def build_review(self) -> ReviewScheme:
        review = self.raw.get("review")
        if review is None:
            self.fail("review", "缺失：需要述职评议方案")
        self.check_keys(review, "review", "review")
        ratings = []
        for i, r in enumerate(self.need(review, "ratings", "review", list)):
            where = f"review.ratings[{i}]"
            self.check_keys(r, "review.ratings", where)
            ratings.append({"rating": self.need(r, "rating", where, str),
                            "points": float(self.need(r, "points", where, "number"))})
        if len(ratings) < 2:
            self.fail("review.ratings", "至少需要两个评价档次")
        groups = []
        for i, g in enumerate(self.need(review, "rater_groups", "review", list)):
            where = f"review.rater_groups[{i}]"
            self.check_keys(g, "review.rater_groups", where)
            gid = self.need(g, "id", where, str)
            groups.append({"id": gid, "name": self.opt(g, "name", where, str, gid),
                           "weight": self.positive(self.need(g, "weight", where, "number"),
                                                   f"{where}（id = {gid}）.weight")})
        rules = []
        for i, r in enumerate(self.need(review, "grade_rules", "review", list)):
            where = f"review.grade_rules[{i}]"
            self.check_keys(r, "review.grade_rules", where)
            conditions = []
            for j, cond in enumerate(self.opt(r, "any", where, list, [])):
                m = _RULE_RE.match(cond) if isinstance(cond, str) else None
                if not m:
                    self.fail(f"{where}.any[{j}]", f"无法识别 {cond!r}；应写成“score < 60”这样的形式，"
                                                   f"可用量：{'、'.join(RULE_METRICS)}")
                conditions.append((m[1], m[2], float(Fraction(m[3].replace(" ", "")))))
            rules.append((self.need(r, "grade", where, str), tuple(conditions)))
        if not rules or rules[-1][1]:
            self.fail("review.grade_rules", "最后一条规则应不带条件（兜底等次）")
        annual = self.opt(review, "annual", "review", dict, {})
        self.check_keys(annual, "review.annual", "review.annual")
        annual = {k: float(self.opt(annual, k, "review.annual", "number", v))
                  for k, v in {"routine": 0.5, "review": 0.3, "satisfaction": 0.2}.items()}
        cap = review.get("top_grade_cap", 0)
        if isinstance(cap, str) and re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", cap):
            cap = float(Fraction(cap.replace(" ", "")))
        elif not _is(cap, "number"):
            self.fail("review.top_grade_cap", f"应为数值或分数（如 \"1/3\"），实际为 {cap!r}")
        cap = float(cap)
        if not 0 <= cap <= 1:
            self.fail("review.top_grade_cap", f"应在 0 与 1 之间，实际为 {cap}")
        return ReviewScheme(
            ratings=pd.DataFrame(ratings),
            invalid=tuple(self.opt(review, "invalid", "review", list, [])),
            items=tuple(self.need(review, "items", "review", list)),
            top_grade_cap=cap,
            rater_groups=pd.DataFrame(groups),
            grade_rules=tuple(rules),
            annual=annual,
        )


_KIND_NAMES = {int: "整数", str: "文字", list: "列表", bool: "true 或 false", dict: "表",
               "number": "数值"}


def _where(table: str, i: int, item) -> str:
    """``table[i]（id = x）``: the key path of one array entry, with its id when it has one."""
    ident = item.get("id") if isinstance(item, dict) else None
    return f"{table}[{i}]（id = {ident}）" if isinstance(ident, str) else f"{table}[{i}]"


def _is(value, kind) -> bool:
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _f(value):
    return None if value is None else float(value)
