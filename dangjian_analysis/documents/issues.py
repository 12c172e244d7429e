"""What `dangjian validate` shows: a Chinese text report, JSON, and a problem workbook.

All three take a :class:`~dangjian_analysis.intake.Dataset`; none changes it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..intake import Dataset

__all__ = ["format_report", "report_json", "export_issues"]

_SEVERITY_ZH = {"error": "错误", "warning": "提示"}
_STATUS_ZH = {"loaded": "已读取", "rejected": "已拒收", "skipped": "已跳过（锁定或附属文件）"}


def format_report(ds: Dataset, *, max_per_file: int | None = 200) -> str:
    """A readable Chinese report: per file the counts first, then each problem with sheet and cell.

    ``max_per_file`` limits the problems listed per file (None lists all); the
    counts always cover everything.
    """
    lines = [f"共 {len(ds.files)} 个文件：错误 {ds.n_errors} 条，提示 {ds.n_warnings} 条；"
             f"采用指标值 {len(ds.observations)} 个，评议计票 {len(ds.ballots)} 行，"
             f"四风台账 {len(ds.ledger)} 条，驻点联系 {len(ds.links)} 条。", ""]
    issues = ds.issues
    listed = set()
    for f in ds.files.itertuples():
        lines.append(f"■ {f.file}（{_STATUS_ZH[f.status]}）")
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
        lines.append("校验通过：没有错误。" if ds.n_warnings == 0 else "没有错误；请查看上面的提示。")
    else:
        lines.append(f"有 {ds.n_errors} 条错误：出错的单元格未采用，请按单元格位置核对后重新报送。")
    return "\n".join(lines).rstrip() + "\n"


def _problems(issues, limit) -> list[str]:
    out = []
    for n, i in enumerate(issues.itertuples()):
        if limit is not None and n >= limit:
            out.append(f"  …… 另有 {len(issues) - limit} 条未列出（用 --xlsx 或 --json 查看全部）")
            break
        where = " ".join(x for x in (i.sheet, i.cell) if x) or "整个文件"
        out.append(f"  [{_SEVERITY_ZH[i.severity]}] {where}：{i.message}")
    return out


def report_json(ds: Dataset) -> str:
    """One JSON object ``{"files": [...], "issues": [...]}`` (UTF-8, not ASCII-escaped)."""
    payload = {"files": ds.files.to_dict(orient="records"), "issues": ds.issues.to_dict(orient="records")}
    return json.dumps(payload, ensure_ascii=False, indent=1, default=int)


def export_issues(ds: Dataset, path: str | Path) -> Path:
    """Write the problem list as a styled workbook the analyst can send back to a township.

    Sheets 问题清单 (every issue; errors red, warnings amber) and 文件汇总 (the counts).
    Text that begins with ``= + - @`` is written as text, never as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    from ._xlsx import save_workbook, write_cell

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    head = ["文件", "工作表", "单元格", "级别", "代码", "说明"]
    fills = {"error": PatternFill("solid", fgColor="F8D7DA"), "warning": PatternFill("solid", fgColor="FFF3CD")}
    _header(ws, head)
    for r, i in enumerate(ds.issues.itertuples(), start=2):
        values = [Path(i.file).name if i.file else "", i.sheet, i.cell, _SEVERITY_ZH[i.severity], i.code, i.message]
        for c, value in enumerate(values, start=1):
            cell = write_cell(ws, r, c, value)
            cell.fill = fills[i.severity]
            if c == 6:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEF", (22, 12, 10, 8, 18, 80)):
        ws.column_dimensions[col].width = width
    ws.auto_filter.ref = f"A1:F{max(len(ds.issues) + 1, 1)}"
    summary = wb.create_sheet("文件汇总")
    _header(summary, ["文件", "状态", "读取", "采用", "拒收", "空白", "错误", "提示"])
    counts = ds.issues.groupby(["file", "severity"]).size()
    for r, f in enumerate(ds.files.itertuples(), start=2):
        values = [Path(f.file).name, _STATUS_ZH[f.status], f.cells_read, f.cells_accepted, f.cells_rejected,
                  f.cells_empty, int(counts.get((f.file, "error"), 0)), int(counts.get((f.file, "warning"), 0))]
        for c, value in enumerate(values, start=1):
            write_cell(summary, r, c, value)
    summary.column_dimensions["A"].width = 28
    return save_workbook(wb, path)


def _header(ws, labels) -> None:
    from openpyxl.styles import Font, PatternFill

    for c, text in enumerate(labels, start=1):
        cell = ws.cell(row=1, column=c, value=text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    ws.freeze_panes = "A2"
