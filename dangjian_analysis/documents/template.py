"""The Excel template (填报模板) that townships fill in, generated from the catalogue.

Layout of every input sheet (乡镇指标, 村级指标, 一乡一品 by default)::

    row 1   group band (分组名称, merged over the group's columns)
    row 2   headers: 乡镇 | 村（社区） | 年度 | 指标名称（单位） ...
    row 3   hidden row of ids: township | village | year | indicator id ...
    row 4+  one row per unit and year (input cells)

The hidden id row lets :func:`dangjian_analysis.load` map renamed or reordered
columns back to their indicators.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..catalog import Catalog, header_label, load_catalog
from ..catalog.indicators import number_text, range_text
from ..catalog.tables import KEY_HEADERS

__all__ = ["write_template", "HEADER_ROWS", "ID_ROW", "FIRST_DATA_ROW"]

ID_ROW = 3
FIRST_DATA_ROW = 4
HEADER_ROWS = 3
LIST_SHEET = "名录"
GUIDE_SHEET = "填报说明"

_RED, _PALE_RED, _INPUT, _KEY = "B22222", "F4CCCC", "FFFBEA", "F2F2F2"
_DIRECTION_ZH = {"higher": "越高越好", "lower": "越低越好", "monitor": "只监测不计分"}
_AGG_ZH = {"sum": "各村合计", "mean": "各村平均", "share_meeting_target": "达标村占比"}
_UNIT_READING = {"月": "个月"}                     # how a unit reads after a number

#: Value per (sheet, township, village or None, year): {indicator id: value}.
Values = Mapping[tuple[str, str, str | None, int], Mapping[str, object]]


def _rows(catalog: Catalog, sheet: str, townships: list[str], years: list[int]):
    """Key tuples (township, village or None, year) of one sheet, year by year."""
    is_village = sheet == catalog.sheets["village"]
    for year in years:
        for town in townships:
            if is_village:
                for village in catalog.villages.loc[catalog.villages["township"] == town, "unit_name"]:
                    yield town, village, year
            else:
                yield town, None, year


def write_template(path: str | Path, *, year: int | None = None, years: list[int] | None = None,
                   township: str | None = None, catalog: Catalog | None = None,
                   values: Values | None = None) -> Path:
    """Write the data-entry workbook for one year (or several) and save it to ``path``.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    year, years : int or list of int
        The reporting year, or several years (one block of rows each). Default: the
        catalogue's last year.
    township : str, optional
        Pre-fill rows for this township only (name or alias); default all townships.
    catalog : Catalog, optional
        Default :func:`load_catalog`.
    values : mapping, optional
        Values to fill in (used by the sample generator).

    Returns
    -------
    Path
        The file written; the same arguments always give the same bytes.
    """
    from openpyxl import Workbook

    from ._xlsx import save_workbook

    catalog = catalog or load_catalog()
    years = years or [year or catalog.last_year]
    for y in years:
        if not catalog.first_year <= y <= catalog.last_year:
            raise ValueError(f"年度 {y} 超出指标体系的年度范围 {catalog.first_year}–{catalog.last_year}")
    towns = list(catalog.townships["unit_name"])
    if township is not None:
        name = catalog.resolve_township(township)
        if name is None:
            raise ValueError(f"乡镇“{township}”不在名录中；可选：{'、'.join(towns)}")
        towns = [name]
    wb = Workbook()
    _guide(wb.active, catalog, years, towns)
    n_villages = _lists(wb, catalog, towns)
    for sheet in catalog.input_sheets:
        _input_sheet(wb.create_sheet(sheet), catalog, sheet, towns, years, values or {}, n_villages)
    return save_workbook(wb, path)


def _guide(ws, catalog: Catalog, years: list[int], towns: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ._xlsx import fit_to_page_width

    ws.title = GUIDE_SHEET
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    who = towns[0] if len(towns) == 1 else "各乡镇"
    lines = [
        f"{catalog.county_name}基层党建考核数据填报表（{span}年度，{who}）",
        "",
        "填报说明：",
        f"1. 本表共 {len(catalog.input_sheets)} 张填报工作表：" + "、".join(catalog.input_sheets)
        + "。乡镇、村（社区）和年度已预先填好，请只在浅黄色单元格中填写数值。",
        "2. 请勿修改表头、勿删除或移动第 3 行（隐藏的指标编号行），否则系统无法识别指标。",
        "3. 数值请直接填写数字，不要带单位；百分比填 0–100 之间的数（如 85 表示 85%）。",
        "4. “是/否”类指标请在下拉框中选择“是”或“否”。人数、个数等请填整数。",
        "5. 确实不适用或无数据的，请留空或填“—”，不要填 0（0 表示“有数据且为零”）。",
        "6. 请勿输入公式；金额单位见表头（万元或元），请勿混用：“万元”列填 5 表示 5 万元（即 50000 元）。",
        "7. 填好后请保存为 .xlsx 格式（不要另存为 .xls 或加密），按时报送县委组织部。",
        "8. 每个指标的单位与填法、有效范围、常见范围见下方“指标一览”。超出有效范围的数值无法录入，"
        "系统按错误处理；超出常见范围，或与上年相比变化过大（见“同比提示”列）的数值，系统会提示核实。",
        "",
        "指标一览：",
    ]
    for i, line in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=line)
    ws["A1"].font = Font(bold=True, size=16, color=_RED)
    header = ["工作表", "指标编号", "指标名称", "单位与填法", "有效范围", "常见范围", "同比提示", "所属分组",
              "方向", "村级汇总方式", "目标值", "目标年度"]
    start = len(lines) + 1
    fill = PatternFill("solid", fgColor=_RED)
    for j, text in enumerate(header, start=1):
        cell = ws.cell(row=start, column=j, value=text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), fill
    group_names = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    widths = [_display_width(text) for text in header]
    for i, ind in enumerate(catalog.indicators.itertuples(), start=start + 1):
        row = [ind.sheet, ind.id, ind.name, _scale_text(ind), _range_cell(ind.kind, ind.valid_lo, ind.valid_hi),
               _range_cell(ind.kind, ind.plausible_lo, ind.plausible_hi), _yoy_text(ind),
               group_names[ind.group], _DIRECTION_ZH[ind.direction], _AGG_ZH.get(ind.aggregate, "—"),
               "—" if pd.isna(ind.target) else ind.target,
               "—" if pd.isna(ind.target_year) else int(ind.target_year)]
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
            widths[j - 1] = max(widths[j - 1], _display_width(value))
    for j, width in enumerate(widths, start=1):        # wide enough for the longest entry
        ws.column_dimensions[get_column_letter(j)].width = max(8, width + 2)
    ws["A1"].alignment = Alignment(vertical="center")
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    fit_to_page_width(ws)


def _display_width(value) -> int:
    """Width of a value in a column, a Chinese character counting two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value))


def _lists(wb, catalog: Catalog, towns: list[str]) -> int:
    """The hidden 名录 sheet behind the dropdowns; returns the number of villages listed."""
    ws = wb.create_sheet(LIST_SHEET)
    ws.sheet_state = "hidden"
    ws.append(["乡镇", "村（社区）", "所属乡镇"])
    villages = catalog.villages[catalog.villages["township"].isin(towns)]
    for i, town in enumerate(towns, start=2):
        ws.cell(row=i, column=1, value=town)
    for i, (name, town) in enumerate(zip(villages["unit_name"], villages["township"]), start=2):
        ws.cell(row=i, column=2, value=name)
        ws.cell(row=i, column=3, value=town)
    return len(villages)


def _example(ind) -> float:
    """A value to show the scale with: the target, else a round number inside the plausible range."""
    if not pd.isna(ind.target) and ind.aggregate != "sum":
        return float(ind.target)
    lo, hi = ind.plausible_lo, ind.plausible_hi
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return lo if math.isfinite(lo) and lo > 0 else 5.0
    typical = math.sqrt(lo * hi) if lo > 0 else hi / 10
    if typical <= 0:
        return hi
    rounded = round(typical, -math.floor(math.log10(typical)))
    if ind.kind == "count":
        rounded = max(round(rounded), 1)
    return min(max(rounded, lo), hi)


def _scale_text(ind) -> str:
    """The unit and the scale of an indicator, for the clerk: ``单位：万元（填 5 表示 5 万元，即 50000 元）``."""
    if ind.kind == "binary":
        return "是/否（在下拉框中选择；是 = 1，否 = 0）"
    if ind.kind == "percent":
        return "单位：%（填 85 表示 85%，不要填 0.85）"
    example = number_text(_example(ind))
    reading = _UNIT_READING.get(ind.unit, ind.unit)
    if ind.kind == "count":
        return f"单位：{ind.unit}（填整数，如 {example} 表示 {example} {reading}）"
    if ind.unit == "万元":
        return f"单位：万元（填 {example} 表示 {example} 万元，即 {number_text(_example(ind) * 10000)} 元）"
    if ind.unit == "元":
        return f"单位：元（填 {example} 表示 {example} 元，不是万元）"
    return f"单位：{ind.unit}（填 {example} 表示 {example} {reading}）"


def _range_cell(kind: str, lo: float, hi: float) -> str:
    """A range in the guide: ``0.5–50``, ``≥ 0``; 0/1 indicators say 是/否."""
    return "是或否" if kind == "binary" else range_text(lo, hi)


def _yoy_text(ind) -> str:
    """When a change on the previous year is questioned, for the guide."""
    points, factor = ind.yoy_points, ind.yoy_factor
    if not pd.isna(points) and math.isfinite(points):
        return f"与上年相差超过 {number_text(points)} 个百分点"
    if not pd.isna(factor) and math.isfinite(factor):
        return f"大于上年的 {number_text(factor)} 倍或小于上年的 1/{number_text(factor)}"
    return "—"


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
    prompt = rule if ind.kind == "binary" else f"{_scale_text(ind)}；{rule}"
    if ind.kind != "binary" and (ind.plausible_lo, ind.plausible_hi) != (lo, hi):
        prompt += f"；常见范围 {range_text(ind.plausible_lo, ind.plausible_hi)}，超出时请核实"
    dv.prompt, dv.promptTitle = prompt[:255], ind.name[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


def _input_sheet(ws, catalog: Catalog, sheet: str, towns: list[str], years: list[int],
                 values: Values, n_villages: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ._xlsx import fit_to_page_width, write_cell

    is_village = sheet == catalog.sheets["village"]
    keys = ["township", "village", "year"] if is_village else ["township", "year"]
    inds = catalog.sheet_indicators(sheet)
    rows = list(_rows(catalog, sheet, towns, years))
    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=_RED)
    band_fill = PatternFill("solid", fgColor=_PALE_RED)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    # row 1: group bands; rows 2–3: headers and hidden ids
    n_keys = len(keys)
    band = ws.cell(row=1, column=1, value="基本信息")
    band.fill, band.font, band.alignment = band_fill, Font(bold=True, color=_RED), centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_keys)
    group_names = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    col = n_keys + 1
    for group, members in inds.groupby("group", sort=False):
        band = ws.cell(row=1, column=col, value=group_names[group])
        band.fill, band.font, band.alignment = band_fill, Font(bold=True, color=_RED), centre
        if len(members) > 1:
            ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + len(members) - 1)
        col += len(members)
    labels = [KEY_HEADERS[k] for k in keys] + [header_label(n, u) for n, u in zip(inds["name"], inds["unit"])]
    for j, (label, ident) in enumerate(zip(labels, keys + list(inds["id"])), start=1):
        head = ws.cell(row=2, column=j, value=label)
        head.font, head.fill, head.alignment, head.border = head_font, head_fill, centre, border
        ws.cell(row=ID_ROW, column=j, value=ident)
        ws.column_dimensions[get_column_letter(j)].width = 12 if j <= n_keys else min(max(12, len(label) * 1.7), 24)
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[2].height = 48
    ws.row_dimensions[ID_ROW].hidden = True

    # data rows
    key_fill, input_fill = PatternFill("solid", fgColor=_KEY), PatternFill("solid", fgColor=_INPUT)
    formats = {"percent": "0.0", "count": "0", "binary": "@", "number": "0.00"}
    middle = Alignment(horizontal="center")
    for i, (town, village, year) in enumerate(rows, start=FIRST_DATA_ROW):
        key_values = [town, village, year] if is_village else [town, year]
        for j, value in enumerate(key_values, start=1):
            cell = write_cell(ws, i, j, value)
            cell.fill, cell.border = key_fill, border
        filled = values.get((sheet, town, village, year), {})
        for j, ind in enumerate(inds.itertuples(), start=n_keys + 1):
            cell = write_cell(ws, i, j, filled.get(ind.id))
            cell.fill, cell.border, cell.number_format = input_fill, border, formats[ind.kind]
            if ind.kind == "binary":
                cell.alignment = middle

    # validations: keys by dropdown, indicators by kind
    def add(dv, column: int):
        dv.add(f"{get_column_letter(column)}{FIRST_DATA_ROW}:{get_column_letter(column)}{last_row}")
        ws.add_data_validation(dv)

    town_dv = DataValidation(type="list", formula1=f"={LIST_SHEET}!$A$2:$A${len(towns) + 1}")
    town_dv.error, town_dv.errorTitle, town_dv.showErrorMessage = "请从下拉列表中选择乡镇", "乡镇名称有误", True
    add(town_dv, 1)
    if is_village:
        village_dv = DataValidation(type="list", formula1=f"={LIST_SHEET}!$B$2:$B${n_villages + 1}")
        village_dv.error, village_dv.errorTitle = "请从下拉列表中选择村（社区）", "村（社区）名称有误"
        village_dv.showErrorMessage = True
        add(village_dv, 2)
    year_dv = DataValidation(type="whole", operator="between", formula1=str(catalog.first_year),
                             formula2=str(catalog.last_year))
    year_dv.error = f"年度应在 {catalog.first_year}–{catalog.last_year} 之间"
    year_dv.errorTitle, year_dv.showErrorMessage = "年度有误", True
    add(year_dv, n_keys)
    for j, ind in enumerate(inds.itertuples(), start=n_keys + 1):
        add(_validation(ind), j)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=n_keys + 1)
    ws.print_title_rows = f"1:{ID_ROW - 1}"
    fit_to_page_width(ws)
