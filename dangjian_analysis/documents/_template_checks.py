"""Private: the template's self-checks while the clerk types — conditional formats from the
catalogue, and each indicator's rules in its header cell's comment.

Colours (the 填报说明 explains them, :data:`COLOUR_LEGEND`), first rule that applies:

- 红色：a value where the indicator does not apply (``applies_if``: the governing indicator of
  the same row is filled with another value); 灰色：such a cell left blank, as it should be. While
  the governing cell is blank, neither (the intake keeps such a value too);
- 橙色：a number outside the plausible range (``plausible_lo``–``plausible_hi``);
- 紫色：with 上年数, a change beyond ``yoy_factor`` (× either way, both values > 0) or
  ``yoy_points`` (percentages), or for an ordinal indicator a fall of two levels or more toward
  the worse end or a jump from one end to the other — the intake's year-on-year rule;
- 粉色：a required cell left blank in a row where something is already filled.

Hard ranges stay data validations (the template's ``_validation``). Formulas are written for
the top-left cell of each column's range (relative row, absolute governing column).
"""

from __future__ import annotations

import math

import pandas as pd

from ..catalog.indicators import number_text, range_text

__all__ = ["add_checks", "header_comment", "rules_of", "COLOUR_LEGEND"]

_NOT_APPLICABLE, _WRONG, _ODD, _JUMP, _BLANK = "BFBFBF", "FF7C80", "F4B183", "CCC0DA", "FFC7CE"

#: (colour name, fill, meaning) for the 填报说明, in the order the rules apply.
COLOUR_LEGEND = (
    ("灰色", _NOT_APPLICABLE, "本行不适用此指标（如未列为软弱涣散的村不填“当年整顿转化”），请留空"),
    ("红色", _WRONG, "本行不适用此指标却填了数值，请删除"),
    ("橙色", _ODD, "超出常见范围，请核实；确属实的照填，并在备注列说明"),
    ("紫色", _JUMP, "与右侧上年数相比变化过大（见“同比提示”），请核实"),
    ("粉色", _BLANK, "本行已开始填写，这一必填格还空着"),
)


def _attr(ind, name: str, default=None):
    value = getattr(ind, name, default)
    return default if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)) else value


def _ordinal(ind) -> bool:
    """Ordinal as the catalogue says (``ordinal``), else unit 级."""
    flag = _attr(ind, "ordinal")
    return bool(flag) if flag is not None else ind.unit == "级"


def rules_of(catalog, ind) -> list[str]:
    """The clerk's rules for one indicator: :func:`~dangjian_analysis.catalog.clerk_rules` when the
    catalogue has it, else the unit and scale."""
    try:
        from ..catalog.clerk_rules import clerk_rules
    except ImportError:                    # pragma: no cover - catalogues without clerk rules
        from ._template_guide import scale_text

        return [scale_text(ind)]
    return clerk_rules(catalog, ind.id)


def header_comment(catalog, ind, with_reference: bool):
    """The comment on an indicator's header cell: its rules, ranges and year-on-year check."""
    from openpyxl.comments import Comment

    from ._template_guide import scale_text, yoy_text

    lines = [*rules_of(catalog, ind)]
    if ind.kind != "binary":
        lines.append(scale_text(ind))
        lines.append(f"有效范围 {range_text(ind.valid_lo, ind.valid_hi)}（超出无法录入）")
        if (ind.plausible_lo, ind.plausible_hi) != (ind.valid_lo, ind.valid_hi):
            lines.append(f"常见范围 {range_text(ind.plausible_lo, ind.plausible_hi)}（超出显示橙色，请核实）")
    yoy = yoy_text(ind)
    if yoy != "—":
        lines.append(f"同比提示：{yoy}" + ("（显示紫色）" if with_reference else ""))
    text = "\n".join(dict.fromkeys(lines))
    comment = Comment(text, "县委组织部")
    comment.width, comment.height = 320, 24 + 18 * sum(1 + len(line) // 20 for line in text.split("\n"))
    return comment


def add_checks(ws, catalog, inds, cols: list[int], first_row: int, last_row: int,
               reference_cols: list[int] | None) -> None:
    """The conditional formats of one input sheet (see the module docstring)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter as letter

    def fill(colour):
        return PatternFill(start_color=colour, end_color=colour, fill_type="solid")

    column_of = dict(zip(inds["id"], cols))
    block = f"${letter(cols[0])}{first_row}:${letter(cols[-1])}{first_row}"
    for k, (j, ind) in enumerate(zip(cols, inds.itertuples())):
        c = f"{letter(j)}{first_row}"
        where = f"{letter(j)}{first_row}:{letter(j)}{last_row}"
        applies = _applies(ind, column_of, first_row)
        if applies:                     # not applicable: the governing cell filled, with another value
            outside = applies.replace(",OR(", ",NOT(OR(", 1) + ")"
            ws.conditional_formatting.add(where, FormulaRule(
                formula=[f'AND({outside},{c}<>"")'], fill=fill(_WRONG), stopIfTrue=True))
            ws.conditional_formatting.add(where, FormulaRule(
                formula=[outside], fill=fill(_NOT_APPLICABLE), stopIfTrue=True))
        if ind.kind != "binary":
            bounds = [f"{c}<{number_text(ind.plausible_lo)}" if math.isfinite(ind.plausible_lo) else None,
                      f"{c}>{number_text(ind.plausible_hi)}" if math.isfinite(ind.plausible_hi) else None]
            bounds = [b for b in bounds if b]
            if bounds:
                ws.conditional_formatting.add(where, FormulaRule(
                    formula=[f"AND(ISNUMBER({c}),OR({','.join(bounds)}))"], fill=fill(_ODD)))
        if reference_cols is not None:
            jump = _jump(ind, c, f"{letter(reference_cols[k])}{first_row}")
            if jump:
                ws.conditional_formatting.add(where, FormulaRule(formula=[jump], fill=fill(_JUMP)))
        if bool(ind.required):
            rule = f'AND({c}="",COUNTA({block})>0)'
            ws.conditional_formatting.add(where, FormulaRule(
                formula=[rule if not applies else f"AND({applies},{rule[4:-1]})"], fill=fill(_BLANK)))


def _applies(ind, column_of: dict, first_row: int) -> str | None:
    """The formula that is TRUE where ``ind`` applies (``applies_if``), or None (it always applies)."""
    from openpyxl.utils import get_column_letter as letter

    rule = _attr(ind, "applies_if")
    if not rule or rule[0] not in column_of:
        return None
    other, value = rule
    g = f"${letter(column_of[other])}{first_row}"
    shown = {1: '"是"', 0: '"否"'}.get(value)
    match = f"{g}={number_text(value)}" + (f",{g}={shown}" if shown else "")
    return f'AND({g}<>"",OR({match}))'


def _jump(ind, c: str, p: str) -> str | None:
    """The formula that is TRUE when the value changed from the 上年数 beyond the catalogue's limit."""
    both = f"ISNUMBER({c}),ISNUMBER({p})"
    if ind.kind == "binary":
        return None
    if _ordinal(ind):             # as the intake's hint: two levels or more toward the worse end, or end to end
        worse = f"{c}-{p}" if ind.direction == "lower" else f"{p}-{c}"
        span = number_text(ind.valid_hi - ind.valid_lo)
        return f"AND({both},OR({worse}>=2,ABS({c}-{p})>={span}))"
    points, factor = ind.yoy_points, ind.yoy_factor
    if not pd.isna(points) and math.isfinite(points):
        return f"AND({both},ABS({c}-{p})>{number_text(points)})"
    if not pd.isna(factor) and math.isfinite(factor):
        f = number_text(factor)
        return f"AND({both},{c}>0,{p}>0,OR({c}>{p}*{f},{c}*{f}<{p}))"
    return None
