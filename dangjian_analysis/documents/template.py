"""The Excel template (填报模板) that townships fill in, generated from the catalogue.

Layout of every input sheet (乡镇指标, 村级指标, 一乡一品 by default)::

    row 1   group band (分组名称, merged over the group's columns)
    row 2   headers: 乡镇 | 村（社区） | 年度 | 指标名称（单位） ... | 备注 [| 上年数 block]
    row 3   hidden row of ids: township | village | year:2016 | indicator id ... | note [| prev:<id> ...]
    row 4+  one row per unit and year (input cells)
    then    the footer: 本表合计, 填表人 / 审核人 / 联系电话 / 填报日期, 单位盖章

The hidden id row lets :func:`dangjian_analysis.load` map renamed or reordered columns back to
their indicators; the year column's id names the template's years (``year:2016``, see
:data:`~dangjian_analysis.catalog.tables.YEAR_ID_PREFIX`). Each year lists the villages that
exist that year, by the name valid that year (:meth:`Catalog.villages_in`).

The input cells are one block (a block of figures pastes in at once) followed by the 备注
column (hidden id ``note``, read as a note). Every sheet is protected without a password: the
key cells (乡镇, 村（社区）, 年度) that the template fills, the headers and the footer's totals
are locked; input, 备注 and signature cells are not. Each header cell carries the indicator's
rules as a comment, and conditional formats check the values while the clerk types (see
:mod:`._template_checks`); the footer and print setup are in :mod:`._template_paper`.

With ``previous=`` data a grey, locked 上年数 block follows the 备注 column: the same rows, the
same indicators in the same order (hidden ids ``prev:<indicator id>``, skipped by the intake),
each unit's value of the year before (see :mod:`._previous`), and each such sheet is followed
by its print-only copy ``<sheet>（对照打印）`` with each value beside its 上年数
(:mod:`._template_compare`); the data sheet then prints without the 上年数 block.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..catalog import Catalog, header_label, load_catalog
from ..catalog.indicators import number_text, range_text
from ..catalog.tables import KEY_HEADERS, NOTE_HEADER, NOTE_ID, YEAR_ID_PREFIX
from ._template_guide import GUIDE_SHEET, scale_text, write_guide

__all__ = ["write_template", "HEADER_ROWS", "ID_ROW", "FIRST_DATA_ROW", "GUIDE_SHEET", "LIST_SHEET"]

ID_ROW = 3
FIRST_DATA_ROW = 4
HEADER_ROWS = 3
LIST_SHEET = "名录"

_RED, _PALE_RED, _INPUT, _KEY = "B22222", "F4CCCC", "FFFBEA", "F2F2F2"

#: Value per (sheet, township, village or None, year): {indicator id: value}.
Values = Mapping[tuple[str, str, str | None, int], Mapping[str, object]]


def _rows(catalog: Catalog, sheet: str, townships: list[str], years: list[int]):
    """Key tuples (township, village or None, year, unit id) of one sheet, year by year: the
    villages that exist in each year, by their name that year."""
    is_village = sheet == catalog.sheets["village"]
    town_ids = dict(zip(catalog.townships["unit_name"], catalog.townships["unit_id"]))
    for year in years:
        villages = catalog.villages_in(year) if is_village else None
        for town in townships:
            if is_village:
                here = villages[villages["township"] == town]
                for village, unit_id in zip(here["name_in_year"], here["unit_id"]):
                    yield town, village, year, unit_id
            else:
                yield town, None, year, town_ids[town]


def _years(catalog: Catalog, year, years, reference) -> list[int]:
    """The template's years: ``years``, or ``year``, or by default the year after the previous
    data (else the catalogue's last year); each from ``first_year`` to one year after the
    last year known (the catalogue's or the previous data's)."""
    known = max([catalog.years[-1], *(k[2] for k in reference or {})])
    years = years or [year or (known + 1 if reference else known)]
    for y in years:
        if not catalog.first_year <= y <= known + 1:
            hint = "；更晚的年度请用 --previous 给出上一年的数据" if not reference else ""
            raise ValueError(f"年度 {y} 超出范围：应在 {catalog.first_year}–{known + 1} 之间"
                             f"（指标体系 {catalog.first_year}–{catalog.years[-1]} 年及其后一年）{hint}")
    return list(years)


def write_template(path: str | Path, *, year: int | None = None, years: list[int] | None = None,
                   township: str | None = None, catalog: Catalog | None = None,
                   values: Values | None = None, previous=None, deadline=None,
                   contact: str | None = None) -> Path:
    """Write the data-entry workbook for one year (or several) and save it to ``path``.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    year, years : int or list of int
        The reporting year, or several years (one block of rows each), from the catalogue's
        ``first_year`` to one year after its last (or after the ``previous`` data's last).
        Default: the year after the ``previous`` data, else the catalogue's last year.
    township : str, optional
        Pre-fill rows for this township only (name or alias); default all townships.
    catalog : Catalog, optional
        Default :func:`load_catalog`.
    values : mapping, optional
        Values to fill in (used by the sample generator).
    previous : Dataset, DataFrame, str or Path, optional
        Last year's data (a :func:`~dangjian_analysis.load` result, its observations, or
        files/folders to load): a grey, locked 上年数 block right of the input block (same
        rows, same indicators in the same order) shows each unit's value of the year before —
        the value the intake's year-on-year check compares with — and input cells changing
        beyond that check turn purple.
    deadline : date or str, optional
        The reporting deadline (``2017-01-15``, ``2017年1月15日``), shown ``2017年1月15日`` on
        the 填报说明 and in every sheet's print header. Default: the catalogue's ``[template]``.
    contact : str, optional
        The county contact (``组织部组织科 张三 0000-1234567``), shown beside the deadline.
        Default: the catalogue's ``[template]``.

    Returns
    -------
    Path
        The file written; the same arguments always give the same bytes.
    """
    from openpyxl import Workbook

    from ._xlsx import save_workbook

    from ._previous import check_years, previous_values

    from ._template_compare import write_compare
    from ._template_paper import paperwork

    catalog = catalog or load_catalog()
    paper = paperwork(catalog, deadline, contact)
    reference = previous_values(previous, catalog) if previous is not None else None
    years = _years(catalog, year, years, reference)
    if reference is not None:
        check_years(reference, years)
    towns = list(catalog.townships["unit_name"])
    if township is not None:
        name = catalog.resolve_township(township)
        if name is None:
            raise ValueError(f"乡镇“{township}”不在名录中；可选：{'、'.join(towns)}")
        towns = [name]
    wb = Workbook()
    write_guide(wb.active, catalog, years, towns, reference is not None, paper)
    n_villages = _lists(wb, catalog, towns, years)
    for sheet in catalog.input_sheets:
        ws = wb.create_sheet(sheet)
        _input_sheet(ws, catalog, sheet, towns, years, values or {}, n_villages, reference, paper)
        if reference is not None:
            write_compare(wb, ws, catalog, years, towns, paper)
    return save_workbook(wb, path)


def _lists(wb, catalog: Catalog, towns: list[str], years: list[int]) -> int:
    """The hidden 名录 sheet behind the dropdowns: the villages of the template's years by
    their names in those years; returns the number of villages listed."""
    ws = wb.create_sheet(LIST_SHEET)
    ws.sheet_state = "hidden"
    ws.append(["乡镇", "村（社区）", "所属乡镇"])
    named = pd.concat([catalog.villages_in(y) for y in years])
    villages = named[named["township"].isin(towns)].sort_index(kind="stable") \
        .drop_duplicates(["name_in_year", "township"])
    for i, town in enumerate(towns, start=2):
        ws.cell(row=i, column=1, value=town)
    for i, (name, town) in enumerate(zip(villages["name_in_year"], villages["township"]), start=2):
        ws.cell(row=i, column=2, value=name)
        ws.cell(row=i, column=3, value=town)
    return len(villages)


def _validation(ind):
    """The data validation of one indicator column: the valid range, Chinese prompts.

    0/1 indicators get a 是/否 list; the others a whole-number (counts) or decimal rule
    between ``valid_lo`` and ``valid_hi``; an open end becomes ≥ / ≤ (both open: any number).
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    label = header_label(ind.name, ind.unit)
    lo, hi = ind.valid_lo, ind.valid_hi
    if ind.kind == "binary":
        dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        rule = "请选择“是”或“否”"
    else:
        kind, noun = ("whole", "整数") if ind.kind == "count" else ("decimal", "数值")
        if math.isfinite(lo) and math.isfinite(hi):
            bounds, rule = ("between", lo, hi), f"请填写 {range_text(lo, hi)} 之间的{noun}"
        elif math.isfinite(lo):
            bounds, rule = ("greaterThanOrEqual", lo, None), f"请填写不小于 {number_text(lo)} 的{noun}"
        elif math.isfinite(hi):
            bounds, rule = ("lessThanOrEqual", hi, None), f"请填写不大于 {number_text(hi)} 的{noun}"
        else:
            bounds, rule = ("between", -1e9, 1e9), f"请填写{noun}"
        operator, first, second = bounds
        dv = DataValidation(type=kind, operator=operator, formula1=number_text(first),
                            formula2=None if second is None else number_text(second), allow_blank=True)
    dv.error, dv.errorTitle = f"{label}：{rule}", "填写有误"
    prompt = rule if ind.kind == "binary" else f"{scale_text(ind)}；{rule}"
    if ind.kind != "binary" and (ind.plausible_lo, ind.plausible_hi) != (lo, hi):
        prompt += f"；常见范围 {range_text(ind.plausible_lo, ind.plausible_hi)}，超出时请核实"
    dv.prompt, dv.promptTitle = prompt[:255], ind.name[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


class _Look:
    """The styles of an input sheet (created once per sheet)."""

    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.head_font, self.head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=_RED)
        self.band_fill = PatternFill("solid", fgColor=_PALE_RED)
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _input_sheet(ws, catalog: Catalog, sheet: str, towns: list[str], years: list[int], values: Values,
                 n_villages: int, reference: dict | None = None, paper=(None, None)) -> None:
    """One input sheet: group bands, headers with the rules as comments, hidden ids, the rows to
    fill, 备注, validations and conditional formats, the footer, protection and print; with
    ``reference`` (previous values) the locked 上年数 block after 备注."""
    from openpyxl.utils import get_column_letter

    from ._previous import protect
    from ._template_checks import add_checks
    from ._template_paper import print_setup, write_footer

    is_village = sheet == catalog.sheets["village"]
    keys = ["township", "village", "year"] if is_village else ["township", "year"]
    inds = catalog.sheet_indicators(sheet)
    rows = list(_rows(catalog, sheet, towns, years))
    cols = [len(keys) + 1 + k for k in range(len(inds))]             # the input block
    note = cols[-1] + 1
    refs = None if reference is None else [note + 1 + k for k in range(len(inds))]
    look = _Look()
    _heads(ws, catalog, keys, inds, cols, note, refs, look, years)
    _data_rows(ws, sheet, keys, inds, cols, note, refs, rows, values, look, reference)
    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    _validations(ws, keys, inds, cols, len(towns), n_villages, last_row, years)
    add_checks(ws, catalog, inds, cols, FIRST_DATA_ROW, last_row, refs)
    footer_end = write_footer(ws, inds, cols, len(keys), years, FIRST_DATA_ROW, last_row, look)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=len(keys) + 1)
    protect(ws)
    who = towns[0] if len(towns) == 1 else "各乡镇"
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    widths = [ws.column_dimensions[get_column_letter(j)].width for j in range(1, note + 1)]
    print_setup(ws, title=f"{span}年度{sheet}（{who}）", deadline=paper[0], contact=paper[1], n_keys=len(keys),
                widths=widths, last_row=None if refs is None else footer_end)   # 上年数: on the 对照打印 sheet


def _band(ws, look: _Look, column: int, text: str, span: int) -> None:
    from openpyxl.styles import Font

    band = ws.cell(row=1, column=column, value=text)
    band.fill, band.font, band.alignment = look.band_fill, Font(bold=True, color=_RED), look.centre
    if span > 1:
        ws.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + span - 1)


def _heads(ws, catalog: Catalog, keys: list[str], inds, cols: list[int], note: int, refs, look: _Look,
           years: list[int]) -> None:
    """Row 1 group bands, row 2 headers (indicators with their rules as comments), row 3 the
    hidden ids; 备注; with ``refs`` the 上年数 block's band, headers and ids."""
    from openpyxl.utils import get_column_letter

    from ._previous import REFERENCE_WIDTH, reference_id, style_reference_head
    from ._template_checks import header_comment

    n_keys = len(keys)
    _band(ws, look, 1, "基本信息", n_keys)
    group_names = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    col = n_keys + 1
    for group, members in inds.groupby("group", sort=False):
        _band(ws, look, col, group_names[group], len(members))
        col += len(members)
    year_id = YEAR_ID_PREFIX + ",".join(map(str, years))
    key_ids = [year_id if k == "year" else k for k in keys]
    labels = [KEY_HEADERS[k] for k in keys] + [header_label(n, u) for n, u in zip(inds["name"], inds["unit"])]
    for j, (label, ident) in enumerate(zip(labels, key_ids + list(inds["id"]))):
        column = j + 1 if j < n_keys else cols[j - n_keys]
        head = ws.cell(row=2, column=column, value=label)
        head.font, head.fill, head.alignment, head.border = look.head_font, look.head_fill, look.centre, look.border
        ws.cell(row=ID_ROW, column=column, value=ident)
        ws.column_dimensions[get_column_letter(column)].width = \
            12 if j < n_keys else min(max(10, len(label) * 1.4), 18)
        if j >= n_keys:
            head.comment = header_comment(catalog, inds.iloc[j - n_keys], refs is not None)
    head = ws.cell(row=2, column=note, value=NOTE_HEADER)
    head.font, head.fill, head.alignment, head.border = look.head_font, look.head_fill, look.centre, look.border
    ws.cell(row=ID_ROW, column=note, value=NOTE_ID)
    ws.column_dimensions[get_column_letter(note)].width = 20
    _band(ws, look, note, "说明", 1)
    if refs is not None:
        _band(ws, look, refs[0], f"上年数（{years[0] - 1}年，只供对照）" if len(years) == 1 else "上年数（只供对照）",
              len(refs))
        for ref, ind in zip(refs, inds.itertuples()):
            style_reference_head(ws.cell(row=2, column=ref, value=f"{header_label(ind.name, ind.unit)}\n上年数"),
                                 look.border)
            ws.cell(row=ID_ROW, column=ref, value=reference_id(ind.id))
            ws.column_dimensions[get_column_letter(ref)].width = REFERENCE_WIDTH
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[2].height = 62
    ws.row_dimensions[ID_ROW].hidden = True


def _data_rows(ws, sheet: str, keys: list[str], inds, cols: list[int], note: int, refs, rows: list,
               values: Values, look: _Look, reference: dict | None) -> None:
    """The rows to fill: keys pre-filled (grey, locked), input and 备注 cells (pale yellow,
    unlocked), and with ``reference`` each unit's value of the year before in the 上年数 block."""
    from openpyxl.styles import Alignment, PatternFill

    from ._previous import shown, style_reference, unlock
    from ._xlsx import write_cell

    key_fill, input_fill = PatternFill("solid", fgColor=_KEY), PatternFill("solid", fgColor=_INPUT)
    formats = {"percent": "0.0", "count": "0", "binary": "@", "number": "0.00"}
    middle = Alignment(horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    is_village = "village" in keys
    for i, (town, village, year, unit_id) in enumerate(rows, start=FIRST_DATA_ROW):
        key_values = [town, village, year] if is_village else [town, year]
        for j, value in enumerate(key_values, start=1):
            cell = write_cell(ws, i, j, value)
            cell.fill, cell.border = key_fill, look.border
        filled = values.get((sheet, town, village, year), {})
        for k, (j, ind) in enumerate(zip(cols, inds.itertuples())):
            cell = write_cell(ws, i, j, filled.get(ind.id))
            cell.fill, cell.border, cell.number_format = input_fill, look.border, formats[ind.kind]
            if ind.kind == "binary":
                cell.alignment = middle
            unlock(cell)
            if refs is not None:
                before = write_cell(ws, i, refs[k], shown(reference.get((unit_id, ind.id, year - 1)), ind.kind))
                style_reference(before, look.border, formats[ind.kind])
                if ind.kind == "binary":
                    before.alignment = middle
        cell = ws.cell(row=i, column=note)
        cell.fill, cell.border, cell.alignment = input_fill, look.border, wrap
        unlock(cell)


def _validations(ws, keys: list[str], inds, cols: list[int], n_towns: int, n_villages: int,
                 last_row: int, years: list[int]) -> None:
    """Keys by dropdown (乡镇, 村 from the hidden 名录 sheet; 年度 one of the template's years),
    indicators by kind. The key cells are locked as well: these rules guard a sheet whose
    protection was removed."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def add(dv, column: int):
        dv.add(f"{get_column_letter(column)}{FIRST_DATA_ROW}:{get_column_letter(column)}{last_row}")
        ws.add_data_validation(dv)

    town_dv = DataValidation(type="list", formula1=f"={LIST_SHEET}!$A$2:$A${n_towns + 1}")
    town_dv.error, town_dv.errorTitle, town_dv.showErrorMessage = "请从下拉列表中选择乡镇", "乡镇名称有误", True
    add(town_dv, 1)
    if "village" in keys:
        village_dv = DataValidation(type="list", formula1=f"={LIST_SHEET}!$B$2:$B${n_villages + 1}")
        village_dv.error, village_dv.errorTitle = "请从下拉列表中选择村（社区）", "村（社区）名称有误"
        village_dv.showErrorMessage = True
        add(village_dv, 2)
    year_dv = DataValidation(type="whole", operator="between", formula1=str(years[0]), formula2=str(years[-1]))
    year_dv.error = (f"本表为 {years[0]} 年度填报表，年度应为 {years[0]}" if len(years) == 1
                     else f"年度应在 {years[0]}–{years[-1]} 之间")
    year_dv.errorTitle, year_dv.showErrorMessage = "年度有误", True
    add(year_dv, len(keys))
    for j, ind in zip(cols, inds.itertuples()):
        add(_validation(ind), j)
