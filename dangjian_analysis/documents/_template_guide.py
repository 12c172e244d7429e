"""Private: the template's first sheet, 填报说明 — how to fill it in and every indicator's
unit and scale, valid and usual range and year-on-year check (a fact of the catalogue, shown
the same way in the input cells' prompts)."""

from __future__ import annotations

import math

import pandas as pd

from ..catalog import Catalog
from ..catalog.indicators import number_text, range_text

__all__ = ["GUIDE_SHEET", "write_guide", "scale_text"]

GUIDE_SHEET = "填报说明"
_RED = "B22222"
_DIRECTION_ZH = {"higher": "越高越好", "lower": "越低越好", "monitor": "只监测不计分"}
_AGG_ZH = {"sum": "各村合计", "mean": "各村平均", "share_meeting_target": "达标村占比"}
_UNIT_READING = {"月": "个月"}                     # how a unit reads after a number


def write_guide(ws, catalog: Catalog, years: list[int], towns: list[str], with_reference: bool = False) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ._xlsx import display_width, fit_to_page_width

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
        *(["9. 每个指标右边灰色的“上年数”列是本单位上一年报送的数值，只供对照、不能修改，系统读取时不使用；"
           "与上年相比变化过大的数值，系统会按同一个上年数提示核实。"] if with_reference else []),
        "",
        "指标一览：",
    ]
    for i, line in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=line)
    ws["A1"].font = Font(bold=True, size=16, color=_RED)
    header = ["工作表", "指标名称", "单位与填法", "有效范围", "常见范围", "同比提示", "所属分组",
              "方向", "村级汇总方式", "目标值", "目标年度"]
    start = len(lines) + 1
    fill = PatternFill("solid", fgColor=_RED)
    for j, text in enumerate(header, start=1):
        cell = ws.cell(row=start, column=j, value=text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), fill
    group_names = dict(zip(catalog.groups["group"], catalog.groups["name"]))
    widths = [display_width(text) for text in header]
    for i, ind in enumerate(catalog.indicators.itertuples(), start=start + 1):
        row = [ind.sheet, ind.name, scale_text(ind), _range_cell(ind.kind, ind.valid_lo, ind.valid_hi),
               _range_cell(ind.kind, ind.plausible_lo, ind.plausible_hi), _yoy_text(ind),
               group_names[ind.group], _DIRECTION_ZH[ind.direction], _AGG_ZH.get(ind.aggregate, "—"),
               "—" if pd.isna(ind.target) else ind.target,
               "—" if pd.isna(ind.target_year) else int(ind.target_year)]
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
            widths[j - 1] = max(widths[j - 1], display_width(value))
    for j, width in enumerate(widths, start=1):        # wide enough for the longest entry
        ws.column_dimensions[get_column_letter(j)].width = max(8, width + 2)
    ws["A1"].alignment = Alignment(vertical="center")
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    fit_to_page_width(ws)


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


def scale_text(ind) -> str:
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
