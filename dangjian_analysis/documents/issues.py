"""What `dangjian validate` shows: a Chinese text report, JSON, and a problem workbook.

All three take a :class:`~dangjian_analysis.intake.Dataset`; none changes it. Each ends with the
报送进度 of the newest year (:meth:`Dataset.roll <dangjian_analysis.intake.Dataset.roll>`), and
names files as the Dataset shows them (``2016/东山镇.xlsx``: the path below the folder read).
A doubtful value already confirmed (the analyst's 确认.xlsx or the township's 确认属实 = 是) is
listed as 提示（已确认） with its confirmation (``已确认：说明（确认人 日期）``) in place of the
advice to check it; it stays a warning (the exit status and the counts do not change).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..intake import Dataset
from ..intake.roll import roll_year
from ._issue_confirmed import CONFIRMED_LEVEL, issue_confirmations
from ._safe import collect_cuts, console_text, writing
from .display import VALUE_LABELS, file_name
from .roll import roll_complete, roll_sentence, write_roll_sheet

__all__ = ["format_report", "report_json", "export_issues"]

#: 说明: a note for the analyst (a 备注 the clerk wrote), neither an error nor a hint to check.
_SEVERITY_ZH = {"info": "说明", **VALUE_LABELS["severity"]}
_NOTE_FILL = "DDEBF7"
_STATUS_ZH = VALUE_LABELS["status"]


def _roll(ds: Dataset, returned):
    """The roll of the newest year, or None when the Dataset holds no year."""
    return None if roll_year(ds) is None else ds.roll(returned=returned)


def format_report(ds: Dataset, *, max_per_file: int | None = 200, returned=()) -> str:
    """A readable Chinese report: per file the counts first, then each problem with sheet and cell;
    last the 报送进度 of the newest year (a 提示 while a township or county table is not in).

    Files are named as the Dataset shows them: their path below the folder given.
    ``max_per_file`` limits the problems listed per file (None lists all); the counts always
    cover everything. ``returned``: the copies :func:`~dangjian_analysis.mark_returns` wrote
    (their townships are 已退回 in the roll).
    """
    confirmed = issue_confirmations(ds)
    n_done = int(confirmed.notna().sum())
    done = f"（其中 {n_done} 条存疑数值已确认）" if n_done else ""
    lines = [f"共 {len(ds.files)} 个文件：错误 {ds.n_errors} 条，提示 {ds.n_warnings} 条{done}；"
             f"采用指标值 {len(ds.observations)} 个，评议计票 {len(ds.ballots)} 行，"
             f"四风台账 {len(ds.ledger)} 条，驻点联系 {len(ds.links)} 条。", ""]
    issues = ds.issues.assign(confirmed=confirmed)
    listed = set()
    for f in ds.files.itertuples():
        lines.append(f"■ {file_name(f.file, ds.file_names)}（{_STATUS_ZH[f.status]}）")
        lines.append(f"  读取 {f.cells_read} 个单元格 = 采用 {f.cells_accepted} + 拒收 {f.cells_rejected}"
                     f" + 空白 {f.cells_empty}")
        lines += _problems(issues[issues["file"] == f.file], max_per_file)
        listed.add(f.file)
        lines.append("")
    rest = issues[~issues["file"].isin(listed)]
    if len(rest):
        lines.append("■ 其他")
        lines += _problems(rest, max_per_file)
    if ds.n_errors == 0:
        lines.append("校验通过：没有错误。" if ds.n_warnings == 0 else
                     "没有错误；提示中的存疑数值均已确认。" if ds.n_warnings == n_done else "没有错误；请查看上面的提示。")
    else:
        lines.append(f"有 {ds.n_errors} 条错误：出错的单元格未采用，请按单元格位置核对后重新报送。")
    roll = _roll(ds, returned)
    if roll is not None:
        lines.append(("" if roll_complete(roll) else "[提示] ") + roll_sentence(roll))
    return console_text("\n".join(lines).rstrip() + "\n")


def _problems(issues, limit) -> list[str]:
    out = []
    for n, i in enumerate(issues.itertuples()):
        if limit is not None and n >= limit:
            out.append(f"  …… 另有 {len(issues) - limit} 条未列出（用 --xlsx 或 --json 查看全部）")
            break
        where = " ".join(x for x in (i.sheet, i.cell) if x) or "整个文件"
        if not isinstance(i.confirmed, str):
            out.append(f"  [{_SEVERITY_ZH[i.severity]}] {where}：{i.message}")
        else:
            out.append(f"  [{CONFIRMED_LEVEL}] {where}：{i.message}；{i.confirmed}")
    return out


def report_json(ds: Dataset, *, returned=()) -> str:
    """One JSON object ``{"files": [...], "issues": [...], "roll": {...}}`` (UTF-8, not
    ASCII-escaped). Each file has its ``name`` as shown (``2016/东山镇.xlsx``); ``roll`` is the
    newest year's 报送进度: ``year``, ``text`` (the Chinese sentence) and ``units`` (its rows:
    ``kind, unit, year, roll_status, files, n_errors, n_warnings``), null without any year.
    Each issue also has ``confirmed`` (true for a doubtful value already confirmed) and
    ``confirmation`` (its text, ``已确认：说明（确认人 日期）``, else null)."""
    roll = _roll(ds, returned)
    texts = issue_confirmations(ds)
    issues = ds.issues.assign(confirmed=texts.notna(), confirmation=texts)
    files = ds.files.assign(name=[file_name(f, ds.file_names) for f in ds.files["file"]])
    payload = {"files": files.to_dict(orient="records"), "issues": issues.to_dict(orient="records"),
               "roll": None if roll is None else {"year": int(roll["year"].iloc[0]), "text": roll_sentence(roll),
                                                  "units": roll.to_dict(orient="records")}}
    return console_text(json.dumps(payload, ensure_ascii=False, indent=1, default=int))


def export_issues(ds: Dataset, path: str | Path, *, returned=()) -> Path:
    """Write the combined problem list as a workbook the analyst can print or send back.

    Sheet 问题清单: every issue with its 乡镇, file, sheet and cell beside the message, the
    level (errors red, warnings amber, 提示（已确认） green: the colours of the returned copies), a
    Chinese category and what to do (for a confirmed doubtful value: its confirmation); printed on A4 landscape, one page wide, the header row repeated on every
    page. Sheet 文件汇总: the counts per file. Sheet 报送进度 (:func:`~dangjian_analysis.documents.roll.write_roll_sheet`):
    the newest year's roll, for the 催报 calls. Files are named as the Dataset shows them. Text
    that begins with ``= + - @`` is written as text, never as a formula; a message over Excel's
    32,767 characters is cut with a visible mark and the cut listed as a [提示] under 文件汇总.
    """
    from ._xlsx import save_workbook, write_cell

    with writing(Path(path).name), collect_cuts() as cuts:
        wb = _issue_book(ds, returned)
    summary = wb["文件汇总"]
    for cut in cuts:
        write_cell(summary, summary.max_row + 2, 1, "[提示] " + cut.line())
    return save_workbook(wb, path)


def _issue_book(ds: Dataset, returned):
    """The workbook of :func:`export_issues`, not yet saved."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    from ._issue_text import category, remedy
    from ._xlsx import fit_row_heights, fit_to_page_width, write_cell
    from .returns import _DONE_FILL, ERROR_FILL, WARNING_FILL

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    head = ["乡镇", "文件", "工作表", "单元格", "说明", "级别", "类别", "怎么改"]
    fills = {"error": PatternFill("solid", fgColor=ERROR_FILL), "warning": PatternFill("solid", fgColor=WARNING_FILL),
             "info": PatternFill("solid", fgColor=_NOTE_FILL)}
    _header(ws, head)
    done = PatternFill("solid", fgColor=_DONE_FILL)
    towns = _townships(ds)
    for r, i in enumerate(ds.issues.assign(confirmed=issue_confirmations(ds)).itertuples(), start=2):
        level, advice = ((_SEVERITY_ZH[i.severity], remedy(i.code)) if not isinstance(i.confirmed, str) else
                         (CONFIRMED_LEVEL, i.confirmed))
        values = [towns.get(i.file, "—"), file_name(i.file, ds.file_names), i.sheet, i.cell, i.message,
                  level, category(i.code), advice]
        for c, value in enumerate(values, start=1):
            cell = write_cell(ws, r, c, value, where=" dangjian validate --json 的输出")
            cell.fill = fills[i.severity] if not isinstance(i.confirmed, str) else done
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGH", (10, 18, 10, 9, 60, 14, 12, 24)):
        ws.column_dimensions[col].width = width
    ws.auto_filter.ref = f"A1:H{max(len(ds.issues) + 1, 1)}"
    fit_row_heights(ws, 2)
    ws.print_title_rows = "1:1"
    fit_to_page_width(ws)
    summary = wb.create_sheet("文件汇总")
    _header(summary, ["乡镇", "文件", "状态", "读取", "采用", "拒收", "空白", "错误", "提示"])
    counts = ds.issues.groupby(["file", "severity"]).size()
    for r, f in enumerate(ds.files.itertuples(), start=2):
        values = [towns.get(f.file, "—"), file_name(f.file, ds.file_names), _STATUS_ZH[f.status], f.cells_read,
                  f.cells_accepted, f.cells_rejected, f.cells_empty, int(counts.get((f.file, "error"), 0)),
                  int(counts.get((f.file, "warning"), 0))]
        for c, value in enumerate(values, start=1):
            write_cell(summary, r, c, value)
    summary.column_dimensions["B"].width = 28
    summary.print_title_rows = "1:1"
    fit_to_page_width(summary)
    roll = _roll(ds, returned)
    if roll is not None:
        write_roll_sheet(wb, roll)
    return wb


def _townships(ds: Dataset) -> dict[str, str]:
    """The township each file reported (from its accepted values, else its name), by file."""
    obs = ds.observations
    towns = obs.drop_duplicates(["source_file", "township"]).groupby("source_file")["township"].agg(list)
    out = {f: t[0] for f, t in towns.items() if len(t) == 1}
    for f in ds.files["file"]:
        if f not in out:
            stem = Path(f).stem
            out[f] = ds.catalog.resolve_township(stem.split("_")[0]) or ("县级" if stem.startswith("县级") else "—")
    return out


def _header(ws, labels) -> None:
    from openpyxl.styles import Font, PatternFill

    for c, text in enumerate(labels, start=1):
        cell = ws.cell(row=1, column=c, value=text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    ws.freeze_panes = "A2"
