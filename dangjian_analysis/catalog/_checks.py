"""Private: how the catalogue builders check the parsed TOML, so that every error names its key.

:class:`Checker` holds the parsed file and its source; the section builders
(:mod:`.indicators`, :mod:`.units`, :mod:`.rules`, :mod:`.review`) call its ``need`` /
``opt`` / ``check_keys`` and raise :class:`CatalogError` through ``fail``.
"""

from __future__ import annotations

__all__ = ["CatalogError", "Checker", "KEYS", "where_of", "as_float", "check_section"]

# Allowed keys per table; a key outside these is a typo the user must hear about.
KEYS = {
    "": {"schema_version", "county", "grades", "bottom", "listing", "sheets", "groups",
         "indicators", "townships", "secretaries", "review", "scoring", "assessment", "notice",
         "robustness"},
    "scoring": {"missing", "provisional_coverage"},
    "county": {"name", "first_year", "last_year"},
    "grades": {"bands"},
    "grades.bands": {"grade", "min"},
    "bottom": {"share"},
    "listing": {"satisfaction_below", "vacancy_months_above", "no_new_members_years"},
    "sheets": {"township", "village"},
    "groups": {"id", "name", "programme", "weight", "sheet"},
    "indicators": {"id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                   "target_year", "lo", "hi", "weight", "aliases", "required", "allow_negative",
                   "note", "valid", "plausible", "yoy_factor", "yoy_points", "applies_if", "ordinal"},
    "townships": {"id", "name", "aliases", "villages", "product"},
    "townships.villages": {"id", "name", "aliases", "renamed", "merged_into", "split_from", "since", "until"},
    "townships.villages.renamed": {"from", "year"},
    "townships.villages.link": {"id", "year"},
    "secretaries": {"id", "name", "unit", "type"},
    "review": {"ratings", "invalid", "items", "top_grade_cap", "top_grade_cap_base", "top_grade_cap_rounding",
               "top_grade_tie_break", "top_grade_undecided", "rater_groups", "grade_rules", "annual",
               "same_rating_invalid", "trim"},
    "review.ratings": {"rating", "points"},
    "review.rater_groups": {"id", "name", "weight", "size"},
    "review.grade_rules": {"grade", "any"},
    "review.annual": {"routine", "review", "satisfaction"},
}

_KIND_NAMES = {int: "整数", str: "文字", list: "列表", bool: "true 或 false", dict: "表",
               "number": "数值"}


class CatalogError(ValueError):
    """A catalogue file that cannot be used; the message names the key, in Chinese."""


class Checker:
    """The parsed TOML of one catalogue file and the checks that name its keys."""

    def __init__(self, raw: dict, source: str):
        self.raw = raw
        self.source = source

    def fail(self, key: str, message: str):
        raise CatalogError(f"指标体系 {self.source}：{key} {message}")

    def check_keys(self, table: dict, schema: str, where: str) -> None:
        if not isinstance(table, dict):
            self.fail(where, "应为一个表（table）")
        for key in table:
            if key not in KEYS[schema]:
                allowed = "、".join(sorted(KEYS[schema]))
                self.fail(f"{where}.{key}".lstrip("."), f"是未知的键；此处允许的键：{allowed}")

    def need(self, table: dict, key: str, where: str, kind=None):
        if key not in table:
            self.fail(f"{where}.{key}", "缺失（必填）")
        value = table[key]
        if kind is not None and not is_kind(value, kind):
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

    def array(self, key: str) -> list:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not value:
            self.fail(key, "缺失或为空：至少需要一项")
        return value

    def section(self, key: str) -> dict:
        """The top-level table ``key`` (empty when absent), its keys checked."""
        table = self.raw.get(key, {})
        self.check_keys(table, key, key)
        return table


def check_section(raw, name: str, keys, example: str, fail) -> None:
    """An optional top-level section ``[name]``: a table (else ``fail`` with ``example``, how its first
    line is written) whose every key is one of ``keys``."""
    if not isinstance(raw, dict):
        fail(name, f"应为一个表（table），如 [{name}] 下写 {example}")
    for key in raw:
        if key not in keys:
            fail(f"{name}.{key}", f"是未知的键；此处允许的键：{'、'.join(sorted(keys))}")


def where_of(table: str, i: int, item) -> str:
    """``table[i]（id = x）``: the key path of one array entry, with its id when it has one."""
    ident = item.get("id") if isinstance(item, dict) else None
    return f"{table}[{i}]（id = {ident}）" if isinstance(ident, str) else f"{table}[{i}]"


def is_kind(value, kind) -> bool:
    """Whether a TOML value is of ``kind`` (``"number"`` = int or float, never bool)."""
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def as_float(value):
    """``float(value)``, keeping None."""
    return None if value is None else float(value)
