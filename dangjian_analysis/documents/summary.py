"""The yearly Excel summary (summary.xlsx) and the tidy CSVs of the report.

Every sheet has a title row, frozen headers, number formats by the column's kind (counts
without decimals, per row in a 数值 column by its unit) and Chinese headers (through
:mod:`.display`), and prints on A4 one page wide with its headers repeated
(:mod:`._summary_format`); score cells are coloured by conditional formats over 0–100 (the
ends and middle of the charts' RdYlBu, so an edited score takes its colour) and grades in the
charts' grade colours; provisional township-years are marked 待核实 with the reason. Text that begins with
``= + - @`` is written as text, never as a formula; control and bidi characters are shown as
marks and a text over Excel's 32,767 characters is cut with “…（已截断，全文见 data/…csv）”
(:mod:`._safe`; the CSVs keep the full text, marked, a leading ``'`` before ``= + - @``). The
数据来源 sheet traces every value behind the report and its charts (the report year and every year
before it) to its file, sheet and cell; with a 考核细则,
the 考核等次 sheet has each unit's result and 考核得分 every point of it with its source (the
加减分台账 or 考核清单 rows, the township value's cell, or 村级汇总), points with two decimals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..metrics._frames import catalog_of
from ..metrics.composite import PROVISIONAL_MARK
from ._text import is_number
from .display import table_html  # table_html re-exported: its former home
from .report_tables import provisional_marks, township_unit  # re-exported: their former home

__all__ = ["report_tables", "write_summary", "write_tidy_csvs", "table_html", "provisional_marks", "township_unit",
           "PROVISIONAL_MARK", "SCORE_CMAP"]

_MARK_COLUMN = "待核实"
#: The colour map of the charts' score heatmaps (:func:`~dangjian_analysis.charts.compare.plot_heatmap`).
SCORE_CMAP = "RdYlBu"
_SCORE_COLUMNS = ("综合指数", "得分", "加权得分", "年度综合", "综合得分", "日常考核", "述职评议", "达标占比(%)")
#: Sheets of the 考核细则: points with two decimals as the rubric compares them (87.25), not coloured as 0–100 scores
#: where an item's 得分 is out of its own 分值.
_RUBRIC_SHEETS = {"考核等次": "0.00", "考核得分": "0.00"}
_NOT_SCORES = ("排名", "覆盖率", "倒排概率", "村覆盖率")
#: Sheet → where the full text of a cut cell is (the CSV of the same table).
_FULL_TEXT = {"校验问题": " data/issues.csv", "数据来源": " data/observations.csv"}
_CSV_NAMES = {"observations": "指标值（每个采用的数值及其来源单元格）", "indicator_scores": "乡镇指标值与指标得分",
              "scores": "分项指数与综合指数、名次、等次", "review": "述职评议：计票、各率、得分、等次",
              "issues": "校验发现的问题"}


def report_tables(ds, year: int, *, catalog=None, scores=None, uncertainty=None) -> dict[str, pd.DataFrame]:
    """The report's tables for ``year`` as people read them: sheet name → DataFrame with Chinese
    headers (:func:`~dangjian_analysis.documents.report_tables.build_tables` labelled by
    :func:`~dangjian_analysis.documents.report_labels.chinese_tables`).

    Indicators are in catalogue order, each value with the unit of the township value
    (:func:`township_unit`); provisional results (``scores`` with a ``provisional`` column) have
    “（待核实）” after their grade and the reason in a 待核实 column.
    """
    from ..metrics.scoring import score_composite
    from .report_labels import chinese_tables
    from .report_tables import build_tables

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    years = sorted(scores["year"].unique())
    previous = max([y for y in years if y < year], default=year)
    tables = build_tables(ds, year, catalog=cat, scores=scores, uncertainty=uncertainty, previous=previous)
    return chinese_tables(tables, catalog=cat, year=year, previous=previous)


def _number_format(column: str, series: pd.Series, sheet: str = "") -> str | None:
    from ._summary_format import is_count_column
    from .display import FRACTION_COLUMNS, POINT_COLUMNS

    if not is_number(series):
        return None
    if sheet in _RUBRIC_SHEETS and not pd.api.types.is_integer_dtype(series):
        return _RUBRIC_SHEETS[sheet]
    if column in FRACTION_COLUMNS:
        return "0.0%"
    if column in POINT_COLUMNS:
        return '0.0"%"'
    if pd.api.types.is_integer_dtype(series) or is_count_column(column):
        return "0"
    return "0.00" if column == "数值" else "0.0"


def _is_score(sheet: str, column: str, series: pd.Series) -> bool:
    if sheet == "考核得分":
        return False
    return is_number(series) and (column in _SCORE_COLUMNS or (sheet == "综合排名" and column not in _NOT_SCORES))


def _colour(ws, sheet: str, table: pd.DataFrame, first: int, grades: dict) -> None:
    """The charts' colours: score cells by a conditional colour scale over 0–100
    (:func:`~._summary_format.score_colours`: an edited score takes its colour), grade cells in
    the grade colours, 待核实 amber."""
    from openpyxl.styles import Font, PatternFill

    from ..charts._base import text_color
    from ._summary_format import score_colours

    styles: dict = {}

    def style(hexed):                     # one fill and font per colour, not per cell
        if hexed not in styles:
            rgba = tuple(int(hexed[k:k + 2], 16) / 255 for k in (0, 2, 4)) + (1.0,)
            styles[hexed] = (PatternFill("solid", fgColor=hexed.upper()),
                             Font(color="FFFFFF" if text_color(rgba) == "white" else "000000"))
        return styles[hexed]

    for j, column in enumerate(table.columns, start=1):
        if _is_score(sheet, column, table[column]):
            score_colours(ws, j, first, first + len(table) - 1)
            continue
        grade = str(column).endswith("等次")
        for i, value in enumerate(table[column], start=first):
            if grade and isinstance(value, str) and value.replace(PROVISIONAL_MARK, "") in grades:
                cell = ws.cell(row=i, column=j)
                cell.fill, cell.font = style(grades[value.replace(PROVISIONAL_MARK, "")].lstrip("#"))
            elif column == _MARK_COLUMN and isinstance(value, str) and value:
                ws.cell(row=i, column=j).fill = PatternFill("solid", fgColor="FFF3CD")


def _title(name: str, title: str, table: pd.DataFrame) -> str:
    text = f"{title}：{name}" if title else name
    if _MARK_COLUMN in table and table[_MARK_COLUMN].fillna("").astype(str).str.len().gt(0).any():
        text += "（标“待核实”的结果所依据的数据不完整，原因见“待核实”列）"
    return text


def write_summary(tables: dict[str, pd.DataFrame], path: str | Path, *, title: str = "", catalog=None) -> Path:
    """Write the report tables as a styled workbook: one sheet per table.

    Row 1 is the sheet's title (``title``：sheet name), row 2 the Chinese headers, data from
    row 3; the same tables give the same bytes. Grade colours follow the charts for the
    grades of ``catalog`` (default: the one the tables carry, else the default catalogue).
    A text cut to Excel's limit says where its full text is and is recorded
    (:func:`~._safe.collect_cuts`) under the file's name.
    """
    from ._safe import writing

    with writing(Path(path).name):
        return _write_summary(tables, path, title, catalog)


def _write_summary(tables, path, title, catalog) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..charts._base import grade_colors
    from ._summary_format import row_formats, set_print, set_widths
    from ._xlsx import save_workbook, write_cell

    wb = Workbook()
    wb.remove(wb.active)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    carrier = next((t for t in tables.values() if t.attrs.get("catalog") is not None), None)
    grades = grade_colors(catalog_of(carrier, catalog).grade_bands["grade"])
    for name, table in tables.items():
        ws = wb.create_sheet(name)
        width = max(len(table.columns), 1)
        cell = write_cell(ws, 1, 1, _title(name, title, table))
        cell.font, cell.alignment = Font(bold=True, size=14), Alignment(vertical="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for j, column in enumerate(table.columns, start=1):
            cell = write_cell(ws, 2, j, str(column))
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        where = _FULL_TEXT.get(name, "源工作簿")
        for i, row in enumerate(table.itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                    continue
                write_cell(ws, i, j, value.item() if hasattr(value, "item") else value, where=where)
        last = len(table) + 2
        formats = []
        for j, column in enumerate(table.columns, start=1):
            fmt = row_formats(table, str(column)) or _number_format(str(column), table[column], name)
            formats.append(fmt)
            if fmt:
                each = fmt if isinstance(fmt, list) else [fmt] * len(table)
                for cells, f in zip(ws.iter_rows(min_row=3, max_row=last, min_col=j, max_col=j), each):
                    cells[0].number_format = f
        set_widths(ws, table, formats, 3)
        _colour(ws, name, table, 3, grades)
        ws.freeze_panes = "B3" if name in ("综合排名", "指标得分", "数据来源") else "A3"
        set_print(ws)
        ws.row_dimensions[1].height = 28
        if last >= 3:
            ws.auto_filter.ref = f"A2:{get_column_letter(width)}{last}"
    if title:
        wb.properties.title = title
    return save_workbook(wb, path)


def write_tidy_csvs(ds, out_dir: str | Path, *, catalog=None, scores=None, indicators=None,
                    reviewed=None) -> list[Path]:
    """Tidy CSVs for Excel (UTF-8 with BOM): observations, indicator scores, composite scores,
    the 述职评议 review and the issues, with Chinese headers and values (numbers unchanged, file
    names without folders), and ``字段说明.csv`` mapping each Chinese header to the API's column.
    Texts in full, control and bidi characters shown as marks, a leading ``'`` before ``= + - @``
    (:func:`~._safe.csv_field`).
    """
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators
    from ._safe import csv_safe
    from .display import column_notes, to_chinese

    cat = catalog_of(ds, catalog)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"observations": ds.observations,
              "indicator_scores": score_indicators(ds, cat) if indicators is None else indicators,
              "scores": score_composite(ds, cat) if scores is None else scores,
              "review": review(ds, catalog=cat) if reviewed is None else reviewed, "issues": ds.issues}
    written, notes = [], []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        csv_safe(to_chinese(table, catalog=cat)).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n",
                                                         float_format="%.10g")
        written.append(path)
        notes.append(column_notes(table, catalog=cat).assign(文件=path.name, 文件内容=_CSV_NAMES[name]))
    fields = pd.concat(notes, ignore_index=True)[["文件", "文件内容", "列名", "接口列名", "说明"]]
    path = out_dir / "字段说明.csv"
    csv_safe(fields).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return [*written, path]
