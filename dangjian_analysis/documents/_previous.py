"""Private: the 上年数 reference block of a template written with ``previous=`` data, and the
protection of the template's sheets.

Right of the input block (after 备注) the template shows, in the same rows and the same order of
indicators, the value each unit reported the year before — the very value
:func:`~dangjian_analysis.intake._crosscheck.warn_year_on_year` compares a new value with (same
unit id, indicator and year − 1 of the loaded observations). A reference column carries
``prev:<indicator id>`` in the hidden id row, so the intake skips it; its cells are grey and
locked. The input cells form one block that a block of this year's figures pastes into at once.

Every template sheet is protected without a password (:func:`protect`): cells are locked
unless unlocked (:func:`unlock`: input, 备注 and signature cells), so the pre-filled keys, the
headers, the hidden ids, the totals and the 上年数 cannot be typed or pasted over.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["previous_values", "check_years", "reference_label", "reference_id", "shown", "style_reference",
           "style_reference_head", "unlock", "protect", "REFERENCE_PREFIX", "REFERENCE_WIDTH"]

#: Prefix of a reference column's id in the hidden id row (``prev:office_funds``).
REFERENCE_PREFIX = "prev:"
REFERENCE_WIDTH = 11
_GREY_FILL, _GREY_TEXT, _GREY_HEAD = "E7E6E6", "595959", "7F7F7F"


def previous_values(previous, catalog) -> dict[tuple[str, str, int], float]:
    """``{(unit_id, indicator, year): value}`` of the previous data: a :class:`Dataset`, its
    ``observations`` frame, or files / folders to load with ``catalog``."""
    if isinstance(previous, (str, Path, list, tuple)):
        from ..intake import load

        paths = previous if isinstance(previous, (list, tuple)) else [previous]
        previous = load(*paths, catalog=catalog)
    obs = getattr(previous, "observations", previous)
    if not isinstance(obs, pd.DataFrame) or not {"unit_id", "indicator", "year", "value"} <= set(obs.columns):
        raise ValueError("previous 应为 load() 返回的 Dataset、其 observations 表，或数据文件夹")
    obs = obs.dropna(subset=["value"])
    return dict(zip(zip(obs["unit_id"], obs["indicator"], obs["year"].astype(int)), obs["value"].astype(float)))


def check_years(values: dict, years: list[int]) -> None:
    """A Chinese ``ValueError`` when the previous data hold no value of a year before ``years``."""
    have = sorted({k[2] for k in values})
    lacking = [y - 1 for y in years if not any(k[2] == y - 1 for k in values)]
    if lacking:
        shown = f"{have[0]}–{have[-1]} 年" if have else "没有任何数值"
        raise ValueError(f"上年数据中没有 {'、'.join(map(str, lacking))} 年的数值（上年数据：{shown}），"
                         "无法填写上年数；请给出上一年的数据文件夹")


def reference_label(years: list[int]) -> str:
    """The header of a reference column: ``上年数`` and, for a one-year template, ``（2015年）``."""
    return f"上年数\n（{years[0] - 1}年）" if len(years) == 1 else "上年数"


def reference_id(indicator: str) -> str:
    """The hidden id of the reference column of ``indicator``."""
    return f"{REFERENCE_PREFIX}{indicator}"


def shown(value: float | None, kind: str):
    """A previous value as the clerk typed it: 是/否 for 0/1, whole numbers as int."""
    if value is None:
        return None
    if kind == "binary":
        return "是" if value == 1 else "否"
    return int(value) if float(value).is_integer() else float(value)


def style_reference_head(cell, border) -> None:
    """A reference column's header: grey, not the red of the input headers."""
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=_GREY_HEAD)
    cell.alignment, cell.border = Alignment(horizontal="center", vertical="center", wrap_text=True), border


def style_reference(cell, border, number_format: str) -> None:
    """A reference cell: grey fill, grey italic text, locked."""
    from openpyxl.styles import Font, PatternFill

    cell.fill, cell.border, cell.number_format = PatternFill("solid", fgColor=_GREY_FILL), border, number_format
    cell.font = Font(italic=True, color=_GREY_TEXT)


def unlock(cell) -> None:
    """Leave a cell editable on the protected sheet."""
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)


def protect(ws, editable_columns: list[str] | None = None) -> None:
    """Protect the sheet without a password: locked cells (keys, headers, ids, totals, 上年数)
    cannot be changed, rows cannot be inserted or deleted (an inserted row would carry locked key
    cells); column widths and row heights may be changed, and filters used.

    With ``editable_columns`` (the county template) those columns are unlocked also below the
    pre-filled rows, and rows may be inserted and deleted, so that rows can still be added."""
    from openpyxl.styles import Protection

    for letter in editable_columns or ():
        ws.column_dimensions[letter].protection = Protection(locked=False)
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = False
    p.insertRows = p.deleteRows = editable_columns is None
    p.sort, p.autoFilter = editable_columns is None, False
