"""The 整改清单 workbook (整改清单.xlsx) sent with the 通报: one row per problem to rectify.

One sheet, 整改清单: row 1 the title (“{year}年度…考核整改清单”), row 2 the headers 序号, 单位,
问题, 依据, 整改措施, 整改时限, 责任人, 完成情况, data from row 3, and under the data a note saying
which cells the unit fills. 整改措施 (blank unless the list proposes one) and 完成情况 (a
dropdown of 已完成 / 推进中 / 未启动) are the cells to fill, shaded light yellow. Rows follow the
catalogue's order of units (``catalog.secretaries``), each unit's rows in the order given.
A year without rows gets one line saying so instead of an empty sheet.

Print: A4 landscape, one page wide, rows 1–2 repeated on every page, header frozen; columns
sized for Chinese text, long texts wrapped and rows made tall enough for them. Every text
passes through :func:`~._safe.xlsx_text` (:func:`~._xlsx.write_cell`); the same rows give the
same bytes (:func:`~._xlsx.save_workbook`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

__all__ = ["write_rectification", "RECTIFY_FILE", "RECTIFY_SHEET", "RECTIFY_HEADERS", "PROGRESS"]

#: The file ``dangjian report`` writes the list to.
RECTIFY_FILE = "整改清单.xlsx"
RECTIFY_SHEET = "整改清单"
#: Header → the column of :func:`~dangjian_analysis.metrics.annual.rectification_list` it shows
#: (None: numbered here, or left to the unit).
RECTIFY_HEADERS = {"序号": None, "单位": "unit", "问题": "problem", "依据": "basis", "整改措施": "measure",
                   "整改时限": "deadline", "责任人": "owner", "完成情况": None}
#: The choices of 完成情况.
PROGRESS = ("已完成", "推进中", "未启动")
_TO_FILL = ("整改措施", "完成情况")
_WIDTHS = {"序号": 6, "单位": 20, "问题": 34, "依据": 22, "整改措施": 30, "整改时限": 14, "责任人": 9, "完成情况": 10}
_WRAP = ("问题", "依据", "整改措施", "整改时限")
_YELLOW = "FFF2CC"
_DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str) and not value.strip())


def _ordered(rows: pd.DataFrame, catalog) -> pd.DataFrame:
    units = list(dict.fromkeys(catalog.secretaries["unit"].astype(str))) if catalog is not None else []
    rank = {u: i for i, u in enumerate(units)}
    order = [rank.get(str(u), len(units)) for u in rows["unit"]]
    return rows.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def _value(value):
    """A cell's value: a date as a date (shown 2017年3月22日), a number as a number, the rest as text."""
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def write_rectification(rows: pd.DataFrame, catalog, year: int, path, *, title: str | None = None,
                        names: dict | None = None) -> Path:
    """Write the 整改清单 of ``year``; returns the path.

    Parameters
    ----------
    rows : DataFrame
        :func:`~dangjian_analysis.metrics.annual.rectification_list`: ``unit, problem`` and
        where present ``year, basis, measure, deadline, owner`` (missing columns are left blank;
        rows of other years are not this year's list). Not modified.
    catalog : Catalog or None
        ``secretaries`` gives the order of units (None: the order given); ``assessment.name``
        the title.
    year : int
        The assessment year.
    path : str or Path
        The ``.xlsx`` to write (its folder is created).
    title : str, optional
        Row 1; default “{year}年度{assessment name}整改清单”.
    names : dict, optional
        The Dataset's ``file_names`` (absolute path → the name shown, ``县级数据.xlsx``; default
        ``rows.attrs["file_names"]``): the paths in 问题 and 依据 are written as those names, never
        absolute, and numbers with more than two decimals with two
        (:func:`~.assessment_tables.shorten_paths`, :func:`~.assessment_tables.tidy_numbers`).

    >>> write_rectification(rectification_list(results, breakdown), catalog, 2015, "report/整改清单.xlsx")  # doctest: +SKIP
    """
    from ._safe import writing
    from .assessment_tables import shorten_paths, tidy_numbers

    names = rows.attrs.get("file_names") if names is None else names
    rows = rows[rows["year"] == year] if "year" in rows else rows
    rows = rows.assign(**{c: [tidy_numbers(shorten_paths(t, names)) for t in rows[c]]
                          for c in ("problem", "basis") if c in rows})
    rows = _ordered(rows, catalog)
    name = getattr(getattr(catalog, "assessment", None), "name", None) or "党组织书记抓基层党建工作考核"
    with writing(Path(path).name):
        return _write(rows, title or f"{year}年度{name}整改清单", path)


def _write(rows: pd.DataFrame, title: str, path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ._xlsx import fit_row_heights, save_workbook, write_cell

    wb = Workbook()
    ws = wb.active
    ws.title = RECTIFY_SHEET
    heads = list(RECTIFY_HEADERS)
    col = {h: j for j, h in enumerate(heads, start=1)}
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    yellow = PatternFill("solid", fgColor=_YELLOW)
    cell = write_cell(ws, 1, 1, title)
    cell.font, cell.alignment = Font(bold=True, size=14), Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    for h, j in col.items():
        cell = write_cell(ws, 2, j, h)
        cell.font, cell.border = Font(bold=True), box
        cell.fill = yellow if h in _TO_FILL else PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = _WIDTHS[h]
    last = 2
    for i, row in enumerate(rows.to_dict("records"), start=1):
        last = r = i + 2
        for h, source in RECTIFY_HEADERS.items():
            value = i if h == "序号" else _value(row.get(source)) if source else None
            cell = write_cell(ws, r, col[h], value, where="整改清单（源数据）") if value is not None else ws.cell(r, col[h])
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=h in _WRAP,
                                       horizontal="center" if h in ("序号", "完成情况") else "left")
            if isinstance(value, (dt.date, dt.datetime)):
                cell.number_format = _DATE_FORMAT
            if h in _TO_FILL:
                cell.fill = yellow
    if last == 2:
        last = 3
        write_cell(ws, 3, 1, "本年度考核没有需要整改的问题。")
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(heads))
    else:
        letter = get_column_letter(col["完成情况"])
        choice = DataValidation(type="list", formula1='"' + ",".join(PROGRESS) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="完成情况",
                                error="请从下拉列表中选择：" + "、".join(PROGRESS),
                                promptTitle="完成情况", prompt="请选择：" + "、".join(PROGRESS))
        choice.add(f"{letter}3:{letter}{last}")
        ws.add_data_validation(choice)
    fit_row_heights(ws, 3)
    note = write_cell(ws, last + 2, 1, "说明：黄色单元格由被考核单位填写（整改措施逐条写明；完成情况从下拉列表中选择"
                                       "已完成、推进中或未启动），填好后按整改时限报县委组织部。")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=len(heads))
    ws.row_dimensions[last + 2].height = 32
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 22
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.properties.title = title
    return save_workbook(wb, path)
