"""Returned workbooks marked for correction (退回修改): each township gets its own file back.

:func:`mark_returns` writes, for every returned workbook that has issues, a copy named after
the township (``东山镇_2015_退回修改.xlsx``): every cell with an error filled in one colour and
every warning in another, each with an Excel note holding the Chinese message, and a first
sheet 退回说明 listing every issue with a link to its cell and what to do. The clerk's data is
otherwise untouched (values, data validations, hidden id rows, number formats), so the
corrected copy is read back exactly as the original; the intake skips the 退回说明 sheet.

The folder of copies is replaced whole (:func:`~dangjian_analysis.documents._folders.replacing`):
the copies are written beside it and swapped in at the end, so a failed or interrupted run
leaves the previous copies as they were; a folder holding anything but returned copies is
refused rather than replaced.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..intake._files import SKIP_SHEETS

__all__ = ["mark_returns", "RETURN_SHEET", "ERROR_FILL", "WARNING_FILL", "RETURNED_COPIES"]

#: The explanation sheet put first in a returned workbook (the intake never reads it).
RETURN_SHEET = "退回说明"
assert RETURN_SHEET in SKIP_SHEETS
#: Fill colours of marked cells: errors light red, warnings light amber (as Excel's own styles).
ERROR_FILL, WARNING_FILL = "FFC7CE", "FFEB9C"
#: The names of returned copies (``东山镇_2016_退回修改.xlsx``, ``…_退回修改_2.xlsm``): a folder
#: holding nothing else is one that :func:`mark_returns` wrote, and may be replaced.
RETURNED_COPIES = ("*_退回修改*.xlsx", "*_退回修改*.xlsm")
_SYSTEM_FILES = (".DS_Store", "Thumbs.db", "desktop.ini")     # left in any folder by the file managers
_MAX_MARKED = 5000                      # cells filled per range at most (a whole column is enough)
_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def mark_returns(ds, out_dir: str | Path) -> list[Path]:
    """Write a marked copy of every returned workbook that has issues into ``out_dir``.

    Parameters
    ----------
    ds : Dataset
        What :func:`~dangjian_analysis.load` read (the files are read again from their paths).
    out_dir : str or Path
        Folder for the copies, replaced whole: it then holds exactly this run's copies (none
        when no workbook has issues). Created if needed.

    Returns
    -------
    list of Path
        One ``<乡镇>_<年度>_退回修改.xlsx`` per workbook with issues, in the order of ``ds.files``.
        CSV files and files that could not be opened get no copy (their issues are in the
        combined list of ``dangjian validate --xlsx``).

    Raises
    ------
    FolderError
        ``out_dir`` holds files other than returned copies (nothing is written then).
    """
    from openpyxl import load_workbook

    from ._folders import replacing
    from .display import file_name

    out_dir = Path(out_dir)
    written, used = [], set()
    with replacing(out_dir, only=(*RETURNED_COPIES, *_SYSTEM_FILES)) as folder:
        for f in ds.files.itertuples():
            issues = ds.issues[ds.issues["file"] == f.file]
            if issues.empty or f.status != "loaded" or not f.file.lower().endswith((".xlsx", ".xlsm")):
                continue
            wb = load_workbook(f.file, keep_vba=f.file.lower().endswith(".xlsm"), rich_text=True)
            if RETURN_SHEET in wb.sheetnames:                  # a copy sent back again: explain afresh
                del wb[RETURN_SHEET]
            _mark_cells(wb, issues)
            town, year = _who(ds, f.file)
            _explain(wb, issues, town, file_name(f.file, ds.file_names))
            name = _unique(f"{town}_{year}_退回修改" if year else f"{town}_退回修改", used)
            written.append(_save(wb, folder / f"{name}{Path(f.file).suffix.lower()}").name)
    return [out_dir / name for name in written]


def _who(ds, file: str) -> tuple[str, str]:
    """(township, year or year range) a workbook reported, from its accepted values or its name."""
    obs = ds.observations[ds.observations["source_file"] == file]
    towns = list(dict.fromkeys(obs["township"]))
    town = towns[0] if len(towns) == 1 else Path(file).stem
    years = sorted(set(int(y) for y in obs["year"]))
    year = "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return town, year


def _unique(name: str, used: set) -> str:
    stem, k = name, 2
    while name in used:
        name, k = f"{stem}_{k}", k + 1
    used.add(name)
    return name


def _cells(ref: str):
    """The A1 addresses an issue's cell reference covers: ``D5``, ``D5:D9`` or nothing (file-wide)."""
    from openpyxl.utils import range_boundaries

    if not ref or not all(_A1.match(part) for part in ref.split(":")):
        return []
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    from openpyxl.utils import get_column_letter

    out = []
    for row in range(min_row, max_row + 1):
        for col in range(min_col, max_col + 1):
            out.append(f"{get_column_letter(col)}{row}")
            if len(out) >= _MAX_MARKED:
                return out
    return out


def _mark_cells(wb, issues: pd.DataFrame) -> None:
    """Fill every cell an issue names (error colour wins) and attach the messages as one note."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    notes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for i in issues.itertuples():
        if i.sheet not in wb.sheetnames:
            continue
        cells = _cells(i.cell)
        for k, address in enumerate(cells):
            notes.setdefault((i.sheet, address), [])
            if k == 0:
                notes[(i.sheet, address)].append((i.severity, i.message))
            else:
                notes[(i.sheet, address)].append((i.severity, ""))
    for (sheet, address), items in notes.items():
        cell = wb[sheet][address]
        severity = "error" if any(s == "error" for s, _ in items) else "warning"
        cell.fill = PatternFill("solid", fgColor=ERROR_FILL if severity == "error" else WARNING_FILL)
        text = "\n".join(f"【{'错误' if s == 'error' else '提示'}】{m}" for s, m in items if m)
        if text:
            note = Comment(text, "县委组织部")
            note.width, note.height = 320, min(60 + 18 * text.count("\n") + len(text) // 2, 600)
            cell.comment = note


def _explain(wb, issues: pd.DataFrame, town: str, received: str) -> None:
    """The first sheet: who, which file, how many errors and warnings, and every issue with a
    link to its cell, its category and what to do; printable on A4."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ._issue_text import category, remedy
    from ._xlsx import fit_row_heights, fit_to_page_width, write_cell

    ws = wb.create_sheet(RETURN_SHEET, 0)
    wb.active = 0
    n_err = int((issues["severity"] == "error").sum())
    n_warn = int((issues["severity"] == "warning").sum())
    write_cell(ws, 1, 1, f"{town}：填报表退回修改说明").font = Font(bold=True, size=16, color="B22222")
    write_cell(ws, 2, 1, f"收到的文件：{received}")
    write_cell(ws, 3, 1, f"错误 {n_err} 条（红色单元格，必须改正后重新报送）；提示 {n_warn} 条（黄色单元格，请核实）。"
                         "把鼠标移到有颜色的单元格上可看到说明。改好后直接报送本文件即可（本页、颜色和批注都不影响读取）。")
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height, ws.row_dimensions[3].height = 28, 36
    head = ["序号", "级别", "工作表", "单元格", "类别", "说明", "怎么改"]
    thin = Side(style="thin", color="999999")
    for j, text in enumerate(head, start=1):
        cell = write_cell(ws, 5, j, text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r, i in enumerate(issues.itertuples(), start=6):
        values = [r - 5, "错误" if i.severity == "error" else "提示", i.sheet or "（整个文件）", i.cell or "—",
                  category(i.code), i.message, remedy(i.code)]
        for j, value in enumerate(values, start=1):
            cell = write_cell(ws, r, j, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.font = Font(size=11)
        first = _cells(i.cell)[:1]
        if first and i.sheet in wb.sheetnames:
            link = ws.cell(row=r, column=4)
            link.hyperlink = f"#'{i.sheet}'!{first[0]}"
            link.font = Font(size=11, color="0563C1", underline="single")
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor=ERROR_FILL if i.severity == "error" else WARNING_FILL)
    for col, width in zip("ABCDEFG", (6, 7, 12, 12, 14, 60, 30)):
        ws.column_dimensions[col].width = width
    fit_row_heights(ws, 6)
    ws.freeze_panes = "A6"
    ws.print_title_rows = "5:5"
    fit_to_page_width(ws)
    ws.print_options.horizontalCentered = True


def _save(wb, path: Path) -> Path:
    from ._xlsx import save_workbook

    return save_workbook(wb, path)
