"""The rules a township clerk must follow for one indicator, in the clerk's words.

:func:`clerk_rules` gives them as short Chinese lines for the template (填报说明, the header
comments): the unit; for 0/1 items what 1 and 0 mean; for ordinal indicators (``ordinal``, by
default unit ``级``) which end is best, from ``direction``; where the indicator applies
(``applies_if``); and, when the catalogue's ``[scoring] missing`` is ``"zero"`` and the
indicator is required and scored, that a blank counts as 0 for the township.
"""

from __future__ import annotations

from .indicators import number_text

__all__ = ["clerk_rules", "level_text", "applies_text"]

_UNIT_WORDS = {"village": "村", "township": "乡镇"}


def level_text(indicator, value: float) -> str:
    """An ordinal level as a clerk writes it: ``4 级`` (the unit after the number)."""
    return f"{number_text(value)} {indicator['unit']}".rstrip()


def _value_text(indicator, value: float) -> str:
    """A value of the governing indicator: ``1`` (0/1 items as typed), ``3 级``, ``2 个``."""
    if indicator["kind"] == "binary" or indicator["unit"] in ("", "%"):
        return number_text(value)
    return f"{number_text(value)} {indicator['unit']}"


def applies_text(catalog, indicator_id: str) -> str | None:
    """``仅「列为软弱涣散」填 1 的村填写`` for an indicator with ``applies_if``, else None."""
    ind = catalog.indicators.set_index("id")
    rule = ind.at[indicator_id, "applies_if"]
    if rule is None:
        return None
    other, value = rule
    unit = _UNIT_WORDS[ind.at[indicator_id, "level"]]
    return f"仅「{ind.at[other, 'name']}」填 {_value_text(ind.loc[other], value)} 的{unit}填写"


def clerk_rules(catalog, indicator_id: str) -> list[str]:
    """The rules a clerk must follow to fill ``indicator_id``, as Chinese lines.

    In this order: the unit (``单位：级``; 0/1 items ``1 = 是，0 = 否``); for an ordinal
    indicator which end is best (``1 级最差、4 级最好``, by ``direction``; ``monitor``: only the
    range); where it applies (:func:`applies_text`); for a required, scored indicator under
    ``[scoring] missing = "zero"``: ``必填：空白按 0 分计入本乡镇`` (township indicators:
    ``必填：空白按 0 分计``), with ``（适用的村）`` when it applies only to some.

    Raises
    ------
    KeyError
        ``indicator_id`` is not in the catalogue (the message in Chinese).

    Examples
    --------
    >>> from dangjian_analysis import load_catalog
    >>> clerk_rules(load_catalog(), "org_grade")
    ['单位：级', '1 级最差、4 级最好', '必填：空白按 0 分计入本乡镇']
    """
    ind = catalog.indicators.set_index("id")
    if indicator_id not in ind.index:
        raise KeyError(f"指标体系中没有指标 {indicator_id!r}")
    row = ind.loc[indicator_id]
    lines = ["1 = 是，0 = 否" if row["kind"] == "binary" else f"单位：{row['unit']}"]
    if row["ordinal"]:
        lo, hi = level_text(row, row["valid_lo"]), level_text(row, row["valid_hi"])
        lines.append({"higher": f"{lo}最差、{hi}最好", "lower": f"{lo}最好、{hi}最差"}.get(
            row["direction"], f"{lo}至 {hi}"))
    applies = applies_text(catalog, indicator_id)
    if applies:
        lines.append(applies)
    if row["required"] and row["direction"] != "monitor" and catalog.scoring.missing == "zero":
        where = "（适用的村）" if applies and row["level"] == "village" else "（适用的乡镇）" if applies else ""
        lines.append(f"必填{where}：空白按 0 分计" + ("入本乡镇" if row["level"] == "village" else ""))
    return lines
