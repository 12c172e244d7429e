"""Returned workbooks marked for correction (退回修改): each township gets its own file back.

:func:`mark_returns` writes, for every returned workbook that has issues, a copy named after
the township (``东山镇_2015_退回修改.xlsx``): every cell with an error filled in one colour and
every warning in another, each with an Excel note holding the Chinese message, and a first
sheet 退回说明 listing every issue with a link to its cell and what to do. The clerk's data is
otherwise untouched (values, formulas and their cached results, data validations, hidden id
rows, number formats), so the corrected copy is read back exactly as the original; the intake
skips the 退回说明 sheet.

A copy sent back and returned again is marked afresh: the previous round's 退回说明 is
replaced, and its notes and fills are taken off before the current issues are marked, the
clerk's own notes and fills kept (:mod:`._marks`). openpyxl drops the cached results of
formulas when it saves; they are put back from the original (:mod:`._cached`).

The layout of 退回说明 is fixed (a loader reads the township's confirmations back from it):

- rows 1–3: title, the file received, the counts and what to do (merged across A:I);
- row :data:`HEADER_ROW` (5): the header :data:`RETURN_HEADER`, in columns A–J —
  A 序号, B 级别 (错误/提示), C 工作表, D 单元格 (A1 address or range, linked; "—" for a file-wide
  issue), E 类别, F 问题说明 (the message in the clerk's terms, :mod:`._clerk_text`, and what the
  copy could not mark at the cell: a merged range, a hidden row), G 怎么改, H 确认属实, I 说明,
  J 问题 (hidden: the message as the intake wrote it, which a confirmation is matched against);
- from row 6 on, one issue per row: the errors, then the hints, then the doubtful values already
  confirmed, each in the order of ``Dataset.issues`` (序号 1, 2, …); the notes (severity
  ``info``: a 备注 the clerk wrote) are the analyst's and not sent back;
- a doubtful value whose cell still holds the value confirmed (by the township in an earlier
  round's 退回说明, or in the analyst's 确认 workbook) is not asked again: its row says
  :data:`CONFIRMED` (green) and carries 确认属实 是 and the 说明, so that the next reading still
  finds the confirmation, and its cell gets no fill and no note; a workbook whose only issues are
  such values gets no copy;
- on the rows of a doubtful value (warning codes :data:`CONFIRMABLE`: outside the plausible
  range, beyond the year-on-year factor) H is a dropdown of 是 and H and I are unlocked and
  light blue (headers H, I blue): the township confirms the value there; the sheet is protected
  without a password, so every other cell stays as written.

The folder of copies is replaced whole (:func:`~dangjian_analysis.documents._folders.replacing`):
the copies are written beside it and swapped in at the end, so a failed or interrupted run
leaves the previous copies as they were; a folder holding anything but returned copies is
refused rather than replaced.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..intake._files import SKIP_SHEETS
from ._marks import ERROR_FILL, WARNING_FILL, cells_of

__all__ = ["mark_returns", "RETURN_SHEET", "ERROR_FILL", "WARNING_FILL", "RETURNED_COPIES", "RETURN_HEADER",
           "HEADER_ROW", "CONFIRMABLE", "CONFIRMED"]

#: The explanation sheet put first in a returned workbook (the intake never reads it).
RETURN_SHEET = "退回说明"
assert RETURN_SHEET in SKIP_SHEETS
#: The header row of 退回说明 (row :data:`HEADER_ROW`, columns A–I); one issue a row below it.
RETURN_HEADER = ("序号", "级别", "工作表", "单元格", "类别", "问题说明", "怎么改", "确认属实", "说明", "问题")
HEADER_ROW = 5
#: Issue codes of doubtful values (warnings) the township may confirm in 确认属实 / 说明.
CONFIRMABLE = ("implausible", "year_on_year")
#: The names of returned copies (``东山镇_2016_退回修改.xlsx``, ``…_退回修改_2.xlsm``): a folder
#: holding nothing else is one that :func:`mark_returns` wrote, and may be replaced.
RETURNED_COPIES = ("*_退回修改*.xlsx", "*_退回修改*.xlsm")
_CONFIRM_FILL, _CONFIRM_HEAD = "DDEBF7", "2F75B5"   # the township's columns: blue, apart from red and amber
_DONE_FILL = "C6EFCE"                                # 已确认: green (Excel's 好), apart from red, amber and blue
#: The 级别 of a doubtful value already confirmed (same cell, same value): listed, not asked again.
CONFIRMED = "已确认"


def mark_returns(ds, out_dir: str | Path, *, inputs=()) -> list[Path]:
    """Write a marked copy of every returned workbook that has issues into ``out_dir``.

    Parameters
    ----------
    ds : Dataset
        What :func:`~dangjian_analysis.load` read (the files are read again from their paths).
    out_dir : str or Path
        Folder for the copies, replaced whole: it then holds exactly this run's copies (none
        when no workbook has issues). Created if needed.
    inputs : sequence of str or Path, optional
        The data folders or files read (as the user gave them): ``out_dir`` must not contain one
        nor lie inside one (the next reading would take the copies for returns).

    Returns
    -------
    list of Path
        One ``<乡镇>_<年度>_退回修改.xlsx`` per workbook with issues, in the order of ``ds.files``.
        CSV files and files that could not be opened get no copy (their issues are in the
        combined list of ``dangjian validate --xlsx``).

    Raises
    ------
    FolderError
        ``out_dir`` holds files other than returned copies, or is not apart from ``inputs``
        (nothing is written then).
    """
    from openpyxl import load_workbook

    from ._cached import cached_results
    from ._folders import replacing
    from ._marks import clear_marks, mark_cells, previous_marks
    from .display import file_name

    out_dir = Path(out_dir)
    written, used = [], set()
    confirmed = _confirmed(ds)
    with replacing(out_dir, only=RETURNED_COPIES, inputs=[("数据", p) for p in inputs]) as folder:
        for f in ds.files.itertuples():
            issues, done = _for_clerk(ds.issues[ds.issues["file"] == f.file], confirmed)
            if all(d is not None for d in done) or f.status != "loaded" or not f.file.lower().endswith((".xlsx", ".xlsm")):
                continue                                   # nothing to do, or only values already confirmed
            wb = load_workbook(f.file, keep_vba=f.file.lower().endswith(".xlsm"), rich_text=True)
            listed = set()
            if RETURN_SHEET in wb.sheetnames:                  # a copy sent back again: marks afresh
                listed = previous_marks(wb[RETURN_SHEET])
                del wb[RETURN_SHEET]
            clear_marks(wb, listed)
            open_at = [n for n, note in enumerate(done) if note is None]      # confirmed cells: not marked
            remarks = {open_at[k]: text for k, text in mark_cells(wb, issues.iloc[open_at]).items()}
            town, year = _who(ds, f.file)
            _explain(wb, issues, town, file_name(f.file, ds.file_names), remarks, _lost(f.file), done)
            name = _unique(f"{town}_{year}_退回修改" if year else f"{town}_退回修改", used)
            path = folder / f"{name}{Path(f.file).suffix.lower()}"
            written.append(_save(wb, path, cached_results(f.file)).name)
    return [out_dir / name for name in written]


def _for_clerk(issues: pd.DataFrame, confirmed: dict) -> tuple[pd.DataFrame, list]:
    """The issues a clerk gets back: errors first, then hints, then the doubtful values already
    confirmed (each in their order); not the notes (``info``) that carry the clerk's own 备注 to
    the analyst. With them, for each issue the 说明 of its confirmation (:func:`_confirmed`) or
    None: a hint whose cell still holds the value confirmed is listed as 已确认, not asked again."""
    done = [confirmed.get((i.file, i.sheet, i.cell)) if i.severity == "warning" and i.code in CONFIRMABLE else None
            for i in issues.itertuples()]
    rank = issues["severity"].map({"error": 0, "warning": 1}).where([d is None for d in done], 2)
    order = rank.dropna().argsort(kind="stable").to_numpy()
    kept = [d for d, r in zip(done, rank) if r == r]
    return issues[rank.notna()].iloc[order], [kept[k] for k in order]


def _confirmed(ds) -> dict[tuple[str, str, str], str]:
    """(file, sheet, cell) → the 说明 to carry, for every doubtful value a confirmation still
    holds (same cell, same value: :func:`~dangjian_analysis.intake.confirmations.match_confirmations`);
    the analyst's own confirmation says who confirmed it (“…（李四确认）”)."""
    from ..intake.confirmations import match_confirmations
    from ..metrics.completeness import doubtful_cells

    doubtful = doubtful_cells(ds, ds.catalog)
    doubtful = doubtful[doubtful["confirmed"].astype(bool)]
    towns = {t: t for t in ds.catalog.townships["unit_name"]}
    at = match_confirmations(doubtful, ds.confirmations, ds.file_names or {}, towns)
    out = {}
    for d, k in zip(doubtful.itertuples(), at):
        c = ds.confirmations.iloc[k]
        by = c["confirmed_by"] if not c["message"] and c["confirmed_by"] else ""
        out[(d.file, d.sheet, d.cell)] = c["note"] + (f"（{by}确认）" if by else "")
    return out


def _lost(path: str) -> str | None:
    """What the copy cannot keep of the clerk's workbook (openpyxl drops shapes, text boxes and
    charts), said on the 退回说明; None when nothing is lost."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            parts = [n for n in zf.namelist() if n.startswith(("xl/drawings/drawing", "xl/charts/chart"))]
            shapes = any(n.startswith("xl/charts/") or b"<xdr:sp" in zf.read(n) or b"graphicFrame" in zf.read(n)
                         for n in parts if n.endswith(".xml"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    return ("原文件中的图形、文本框或图表未保留在本副本中（数据不受影响）；如需保留，请在原文件中按本页改正后报送"
            if shapes else None)


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


def _explain(wb, issues: pd.DataFrame, town: str, received: str, remarks: dict, lost: str | None,
             done: list) -> None:
    """The first sheet: who, which file, how many errors and warnings, and every issue with a
    link to its cell, its category and what to do, laid out as the module docstring says;
    printable on A4. ``remarks``: by position in ``issues``, what the copy could not mark at the
    cell (:func:`~._marks.mark_cells`); ``lost``: what the copy could not keep; ``done``: by
    position, the 说明 of a value already confirmed (listed as 已确认 with 确认属实 是), or None."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ._clerk_text import clerk_message, reference_cells
    from ._issue_text import category, remedy
    from ._xlsx import fit_row_heights, fit_to_page_width, write_cell

    references = reference_cells(wb)

    ws = wb.create_sheet(RETURN_SHEET, 0)
    wb.active = 0
    for other in wb.worksheets[1:]:                    # one sheet selected, not a group
        other.sheet_view.tabSelected = False
    n_err = int((issues["severity"] == "error").sum())
    n_done = sum(d is not None for d in done)
    n_warn = int((issues["severity"] == "warning").sum()) - n_done
    write_cell(ws, 1, 1, f"{town}：填报表退回修改说明").font = Font(bold=True, size=16, color="B22222")
    write_cell(ws, 2, 1, f"收到的文件：{received}")
    write_cell(ws, 3, 1, f"错误 {n_err} 条（红色单元格，必须改正后重新报送）；提示 {n_warn} 条（橙色单元格，请核实）"
                         + (f"；已确认 {n_done} 条（已确认属实且数值未改动，不需再处理）" if n_done else "") + "。"
                         "把鼠标移到有颜色的单元格上可看到说明。数值存疑的提示，如核实无误，请在本页该行的“确认属实”"
                         "列选“是”并在“说明”列写明原因；改好后直接报送本文件即可（本页、颜色和批注都不影响读取）。"
                         + (f"注意：{lost}。" if lost else ""))
    last = len(RETURN_HEADER) - 1                      # J (问题, hidden) is not spanned
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height, ws.row_dimensions[3].height = 28, 36
    thin = Side(style="thin", color="999999")
    for j, text in enumerate(RETURN_HEADER, start=1):
        cell = write_cell(ws, HEADER_ROW, j, text)
        own = text in ("确认属实", "说明")                # the township's columns: another colour
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_CONFIRM_HEAD if own else "B22222")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for n, (r, i) in enumerate(enumerate(issues.itertuples(), start=HEADER_ROW + 1)):
        message, advice = clerk_message(i, received, references)
        level = "错误" if i.severity == "error" else "提示" if done[n] is None else CONFIRMED
        if done[n] is not None:
            message, advice = f"{message}（已确认属实，数值未改动）", "不需再处理；如数值有误，改正后本行作废"
        values = [r - HEADER_ROW, level, i.sheet or "（整个文件）", i.cell or "—", category(i.code),
                  message + remarks.get(n, ""), advice or remedy(i.code), None if done[n] is None else "是",
                  done[n], i.message]
        for j, value in enumerate(values, start=1):
            cell = write_cell(ws, r, j, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.font = Font(size=11)
        ws.cell(row=r, column=len(RETURN_HEADER)).alignment = Alignment(vertical="top")   # hidden: no wrap
        first = cells_of(i.cell)[:1]
        if first and i.sheet in wb.sheetnames:
            link = ws.cell(row=r, column=4)
            link.hyperlink = f"#'{i.sheet}'!{first[0]}"
            link.font = Font(size=11, color="0563C1", underline="single")
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor=ERROR_FILL if i.severity == "error" else
                                                    WARNING_FILL if done[n] is None else _DONE_FILL)
    _confirmations(ws, issues)
    for col, width in zip("ABCDEFGHIJ", (6, 7, 12, 12, 14, 60, 30, 10, 30, 30)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["J"].hidden = True
    fit_row_heights(ws, HEADER_ROW + 1)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    fit_to_page_width(ws)
    ws.print_options.horizontalCentered = True


def _confirmations(ws, issues: pd.DataFrame) -> None:
    """On every row of a doubtful value (:data:`CONFIRMABLE`), 确认属实 (a dropdown of 是) and
    说明 unlocked and light blue; the sheet protected without a password, so that
    these are the cells the township can fill (columns and rows can still be resized)."""
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = [HEADER_ROW + 1 + k for k, code in enumerate(issues["code"]) if code in CONFIRMABLE]
    if rows:
        choice = DataValidation(type="list", formula1='"是"', allow_blank=True, showErrorMessage=True,
                                errorTitle="确认属实", error="核实无误请选“是”，否则请改正数据表中的数值")
        choice.promptTitle, choice.prompt, choice.showInputMessage = "确认属实", "核实无误请选“是”，并在“说明”列写明原因", True
        for r in rows:
            choice.add(f"H{r}")
            for column in "HI":
                cell = ws[f"{column}{r}"]
                cell.protection, cell.fill = Protection(locked=False), PatternFill("solid", fgColor=_CONFIRM_FILL)
        ws.add_data_validation(choice)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = ws.protection.formatCells = False


def _save(wb, path: Path, cached: dict) -> Path:
    """Save the copy with its formulas' cached results put back (:mod:`._cached`)."""
    from ._cached import restore_cached
    from ._xlsx import save_workbook

    return save_workbook(wb, path, patch=lambda data: restore_cached(data, cached))
