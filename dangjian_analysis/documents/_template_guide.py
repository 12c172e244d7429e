"""Private: the template's first sheet, 填报说明 — what the clerk needs and nothing else: how to
fill it in (keys locked, blanks, estimates in 备注, villages missing, renamed or merged, pasting,
the deadline and the county contact, signing; with 上年数, which sheets to print for the check
and which to sign), what the cells' colours mean, and every
indicator's rules (:func:`~dangjian_analysis.catalog.clerk_rules`), unit and scale, valid and
usual range, year-on-year check and target (facts of the catalogue, shown the same way in the
header comments and the input cells' prompts). Analyst columns (group, direction, aggregation,
target year) are left out."""

from __future__ import annotations

import math

import pandas as pd

from ..catalog import Catalog
from ..catalog.indicators import number_text, range_text
from ._template_compare import compare_name

__all__ = ["GUIDE_SHEET", "write_guide", "scale_text", "yoy_text"]

GUIDE_SHEET = "填报说明"
_RED = "B22222"
_UNIT_READING = {"月": "个月"}                     # how a unit reads after a number


def _lines(catalog: Catalog, years: list[int], towns: list[str], with_reference: bool, paper) -> list[str]:
    """The numbered lines of the 填报说明 (the title and the deadline line first)."""
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    who = towns[0] if len(towns) == 1 else "各乡镇"
    deadline, contact = paper
    send = (f"于 {deadline} 前" if deadline else "按时") + "报送县委组织部" + (f"（联系人：{contact}）" if contact else "")
    zero = catalog.scoring.missing == "zero"
    lines = [
        f"{catalog.county_name}基层党建考核数据填报表（{span}年度，{who}）",
        "　".join(p for p in (f"报送截止：{deadline}" if deadline else "", f"联系人：{contact}" if contact else "") if p),
        "填报说明：",
        f"1. 本表共 {len(catalog.input_sheets)} 张填报工作表：" + "、".join(catalog.input_sheets)
        + "。乡镇、村（社区）和年度已预先填好并锁定，请只在浅黄色单元格和“备注”列中填写。",
        "2. 各表已设保护（无密码）：表头、乡镇、村（社区）、年度不能修改，也不能插入或删除行；"
        "请勿撤销保护、勿修改表头、勿删除第 3 行（隐藏的指标编号行），否则系统无法识别指标。",
        "3. 数值请直接填写数字，不要带单位；百分比填 0–100 之间的数（如 85 表示 85%）。“是/否”类指标在下拉框中选择；"
        "人数、个数等填整数。每个指标的填报规则（单位、哪一端最好、哪些村填写）见下方“指标一览”，也写在表头单元格的批注里。",
        "4. 不适用的格（显示灰色，如未列为软弱涣散的村的“当年整顿转化”）请留空。"
        + ("必填指标留空的，按 0 分计入本乡镇得分（不报不得分）；" if zero else "必填指标请勿留空；")
        + "确无数据的，请留空并在备注列说明原因，不要填 0（0 表示“有数据且为零”）。",
        "5. 估计数：无法取得准确数的，填写估计值（只填数字，不加文字），并在本行备注列写“估计”和估计依据。",
        "6. 村（社区）名录有缺漏、改名或合并的：不要改动村名或增加行。请在该村所在行的备注列写明情况"
        "（如“2016年3月并入红旗村”“现名为新华社区”；名录中缺少的村，写在本乡镇任一村的备注列），并电话告知县委组织部联系人。",
        "7. 可以从上一年的表或本乡镇台账中整块复制本年数值，粘贴到浅黄色区域（指标列的顺序与表头一致；请用“粘贴为数值”）。",
        "8. 请勿输入公式；金额单位见表头（万元或元），请勿混用：“万元”列填 5 表示 5 万元（即 50000 元）。",
        "9. 超出有效范围的数值无法录入，系统按错误处理；超出常见范围，或与上年相比变化过大（见“同比提示”列）的数值，"
        "系统会提示核实。填写时单元格的颜色即是提示，含义见下表。",
        "10. 每张表下方有“本表合计”（公式自动计算，请与本乡镇台账核对）和填表人、审核人、联系电话、填报日期、单位盖章栏；"
        f"打印（A4）签字盖章后，连同电子表（.xlsx，不要另存为 .xls 或加密）{send}。",
    ]
    if with_reference:
        lines.append("11. 每张表右侧灰色的“上年数”区是本单位上一年报送的数值，与左侧逐行对应、指标顺序相同，"
                     "只供对照、不能修改，系统读取时不使用。")
        lines.append("12. 打印：供审核对照请打印" + "、".join(f"“{compare_name(s)}”" for s in catalog.input_sheets)
                     + "（本年数与上年数并排，数值自动取自填报表，无需填写）；签字盖章请打印各填报表（不含上年数）。")
    return lines


def write_guide(ws, catalog: Catalog, years: list[int], towns: list[str], with_reference: bool = False,
                paper=(None, None)) -> None:
    """The 填报说明 sheet: the lines of :func:`_lines`, the colour legend, and the 指标一览 table
    (sheet, indicator, the clerk's rules, unit and scale, valid and usual range, 同比提示,
    target); columns of fixed width, text wrapped, rows as tall as their text."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ._template_checks import COLOUR_LEGEND, rules_of
    from ._xlsx import display_width, fit_row_heights

    ws.title = GUIDE_SHEET
    widths = [10, 16, 34, 30, 10, 11, 22, 8]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    wrap, last = Alignment(wrap_text=True, vertical="top"), get_column_letter(len(widths))
    row = 1
    for line in [*_lines(catalog, years, towns, with_reference, paper), ""]:
        cell = ws.cell(row=row, column=1, value=line or None)
        cell.alignment = wrap
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(1.1 * display_width(line) / (sum(widths) - 4)))
        row += 1
    ws["A1"].font = Font(bold=True, size=16, color=_RED)
    ws.row_dimensions[1].height = 24
    ws["A2"].font = Font(bold=True, color=_RED)
    ws.cell(row=row, column=1, value="单元格颜色：").font = Font(bold=True)
    row += 1
    for name, colour, meaning in COLOUR_LEGEND:
        ws.cell(row=row, column=1, value=name).fill = PatternFill("solid", fgColor=colour)
        ws.cell(row=row, column=2, value=meaning).alignment = Alignment(vertical="top")
        ws.merge_cells(f"B{row}:{last}{row}")
        row += 2 if name == COLOUR_LEGEND[-1][0] else 1
    ws.cell(row=row, column=1, value="指标一览：").font = Font(bold=True)
    header = ["工作表", "指标名称", "填报规则", "单位与填法", "有效范围", "常见范围", "同比提示", "目标值"]
    start = row + 1
    fill = PatternFill("solid", fgColor=_RED)
    for j, text in enumerate(header, start=1):
        cell = ws.cell(row=start, column=j, value=text)
        cell.font, cell.fill, cell.alignment = Font(bold=True, color="FFFFFF"), fill, wrap
    for i, ind in enumerate(catalog.indicators.itertuples(), start=start + 1):
        values = [ind.sheet, ind.name, "；".join(rules_of(catalog, ind)), scale_text(ind),
                  _range_cell(ind.kind, ind.valid_lo, ind.valid_hi),
                  _range_cell(ind.kind, ind.plausible_lo, ind.plausible_hi), yoy_text(ind), _target(ind)]
        for j, value in enumerate(values, start=1):
            ws.cell(row=i, column=j, value=value).alignment = wrap
    fit_row_heights(ws, start)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    ws.print_title_rows = f"{start}:{start}"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _target(ind) -> str | float:
    """The target as the clerk reads it: ``≥ 95``; none for 是/否 items and sums."""
    if ind.kind == "binary" or pd.isna(ind.target) or ind.aggregate == "sum":
        return "—"
    sign = "≥ " if ind.direction == "higher" else "≤ " if ind.direction == "lower" else ""
    return f"{sign}{number_text(ind.target)}"


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


def yoy_text(ind) -> str:
    """When a change on the previous year is questioned, for the guide."""
    points, factor = ind.yoy_points, ind.yoy_factor
    if not pd.isna(points) and math.isfinite(points):
        return f"与上年相差超过 {number_text(points)} 个百分点"
    if not pd.isna(factor) and math.isfinite(factor):
        return f"大于上年的 {number_text(factor)} 倍或小于上年的 1/{number_text(factor)}"
    return "—"
