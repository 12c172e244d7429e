"""Private: every staged indicator value of a batch checked at once.

Numbers (the common case) and 是/否 pass vectorised rules per indicator kind; only text,
empty markers and rule breakers go through :func:`~._values.parse_value`. Each cell ends
accepted, rejected or empty, and the file's counts add up.
"""

from __future__ import annotations

import re

import numpy as np

from ._address import cell_address, col_letter
from ._values import ERROR, OK, base_unit, is_money, number_text as num, parse_value

__all__ = ["check_staged", "one_issue_per_cell"]


class _Cells:
    """All staged cells of a batch, flattened: per cell its value, sheet, row, column and indicator."""

    def __init__(self, staged: list, meta: dict):
        self.staged = staged
        self.ids = list(meta)
        index = {i: k for k, i in enumerate(self.ids)}
        self.meta = [meta[i] for i in self.ids]
        self.flat = np.array([v for st in staged for _, values, _, _ in st.rows for v in values], dtype=object)
        n_rows = np.array([len(st.rows) for st in staged])
        n_cols = np.array([len(st.ids) for st in staged])
        self.stage = np.repeat(np.arange(len(staged)), n_rows * n_cols)
        row_offset = np.concatenate([[0], np.cumsum(n_rows)[:-1]])
        # per cell: global row g (into all staged rows), column position within its sheet
        self.g = np.concatenate([np.repeat(np.arange(r) + o, c) for r, c, o in zip(n_rows, n_cols, row_offset)])
        self.ci = np.concatenate([np.tile(np.arange(c), r) for r, c in zip(n_rows, n_cols)])
        self.ri = self.g - row_offset[self.stage]
        self.ind = np.concatenate([np.tile([index[i] for i in st.ids], len(st.rows)) for st in staged])
        self.all_rows = [row for st in staged for row in st.rows]
        self.fidx = np.array([st.fidx for st in staged])[self.stage]
        self.bad_row = np.array([row[3] is not None for row in self.all_rows])[self.g]
        self.kind = np.array([m[0] for m in self.meta], dtype=object)[self.ind]

    def sheet(self, k: int):
        return self.staged[self.stage[k]]

    def address(self, k: int) -> str:
        st = self.sheet(k)
        return cell_address(st.csv_mode, st.rows[self.ri[k]][0], st.cols[self.ci[k]], st.labels)

    def marked(self, mask, attr: str):
        """Cells of ``mask`` whose address is in their sheet's set ``attr`` (e.g. ``percent``)."""
        if not any(getattr(st, attr) for st in self.staged):
            return
        for k in np.flatnonzero(mask):
            cells = getattr(self.sheet(k), attr)
            if cells and self.address(k) in cells:
                yield k

    def addresses(self, keep) -> np.ndarray:
        """Addresses of many cells: vectorised for workbooks, one by one for CSV."""
        staged = self.staged
        stage = self.stage[keep]
        offsets = np.concatenate([[0], np.cumsum([len(st.rows) for st in staged])[:-1]])
        sheet_row = np.concatenate([[row[0] for row in st.rows] for st in staged])
        col_start = np.concatenate([[0], np.cumsum([len(st.cols) for st in staged])[:-1]])
        col_number = np.concatenate([st.cols for st in staged])[col_start[stage] + self.ci[keep]]
        letters = np.array([col_letter(j) for j in range(int(col_number.max(initial=0)) + 1)], dtype=object)
        out = letters[col_number] + (sheet_row[offsets[stage] + self.ri[keep]] + 1).astype(str).astype(object)
        csv_mode = np.array([st.csv_mode for st in staged])[stage]
        for k in np.flatnonzero(csv_mode):
            out[k] = self.address(keep[k])
        return out


def check_staged(staged: list, meta: dict, catalog) -> tuple[list, tuple | None, list]:
    """Check the values of the ``staged`` sheets (every one of a batch, at once).

    Returns ``(issues, block, tallies)``: the issues found, in cell order; the accepted values
    as one observation block (an array per column, then the file index; None when nothing is
    staged); and ``(counts, key, n)`` to add to the sheets' counts. Nothing else is changed,
    so that a check made ahead of time can be dropped.
    """
    if not staged:
        return [], None, []
    cells = _Cells(staged, meta)
    value, numeric, empty, shown, percent_format = _numbers(cells)
    accepted, rejected, notes = _verdicts(cells, value, numeric, empty, shown, percent_format)
    _ranges(cells, catalog, value, accepted, rejected, notes)
    issues = [issue for _, issue in sorted(notes, key=lambda x: x[0])]
    counts = list({id(st.count): st.count for st in staged}.values())
    index = {id(c): s for s, c in enumerate(counts)}
    sheet = np.array([index[id(st.count)] for st in staged])[cells.stage]
    tallies = [(counts[s], key, int(c)) for key, mask in
               (("cells_accepted", accepted), ("cells_rejected", rejected), ("cells_empty", empty))
               for s, c in enumerate(np.bincount(sheet[mask], minlength=len(counts)))]
    keep = np.flatnonzero(accepted)
    units = [row[2] if row[2] is not None else (None,) * 5 for row in cells.all_rows]
    unit_cols = [np.array(c, dtype=object)[cells.g[keep]] for c in zip(*units)]
    files = np.array([st.file for st in staged], dtype=object)[cells.stage[keep]]
    sheets = np.array([st.sheet for st in staged], dtype=object)[cells.stage[keep]]
    block = (*unit_cols, np.array(cells.ids, dtype=object)[cells.ind[keep]], value[keep], files, sheets,
             cells.addresses(keep), cells.fidx[keep])
    return issues, block, tallies


def _numbers(cells: _Cells):
    """(value, numeric, empty, shown, percent_format): numbers and 是/否 read vectorised; cells
    that look empty but are not (formulas without a result, Excel error values) and cells whose
    format shows another number than the one stored, as ``shown[k] = (code, message)``; cells
    formatted as % in Excel read as the percentage they show."""
    flat, kind, meta, ind = cells.flat, cells.kind, cells.meta, cells.ind
    numeric = np.fromiter((type(v) is float or type(v) is int for v in flat), bool, flat.size)
    yes_no = (kind == "binary") & np.isin(flat, ("是", "否"))
    flat[yes_no] = np.where(flat[yes_no] == "是", 1.0, 0.0)
    numeric |= yes_no
    empty = np.fromiter((v is None or v == "" for v in flat), bool, flat.size)
    shown: dict[int, tuple[str, str]] = {}
    for k in cells.marked(empty, "formula_missing"):
        shown[k] = ("formula_no_value", "单元格是公式且没有计算结果（系统不执行公式），请改为直接填写数值")
    for k in cells.marked(empty, "errors"):
        error = cells.sheet(k).errors[cells.address(k)]
        shown[k] = ("excel_error", f"单元格显示 Excel 错误值 {error}（公式出错），不是数值；请改为直接填写数值")
    for k in cells.marked(np.ones(flat.size, bool), "linked"):
        kind_of, text, link = cells.sheet(k).linked[cells.address(k)]
        if kind_of == "dde":
            shown[k] = ("dde_formula", f"单元格是 DDE 公式（={_short(text)}），会调用外部程序（{_short(link)}）；系统不执行，"
                                       "也不采用其中保存的结果，请改为直接填写数值")
    empty[list(shown)] = False
    value = np.full(flat.size, np.nan)
    value[numeric] = flat[numeric].astype(float)
    percent_format: dict[int, float] = {}
    for k in cells.marked(numeric, "percent"):     # Excel keeps 85% typed in a % cell as 0.85
        if kind[k] == "percent":
            percent_format[k] = value[k]
            value[k] = flat[k] = round(value[k] * 100, 10)
        else:
            shown[k] = ("format_mismatch", f"单元格设为百分比格式：保存的是 {num(value[k])}，表中显示为 "
                                           f"{num(value[k] * 100)}%，而本列单位是“{meta[ind[k]][1]}”；"
                                           "请改为常规格式，核实后填写数值")
    for k in cells.marked(numeric, "scaled"):
        factor = cells.sheet(k).scaled[cells.address(k)]
        shown[k] = ("format_mismatch", f"单元格格式把数值缩小 {num(factor)} 倍显示：保存的是 {num(value[k])}，表中显示为 "
                                       f"{num(value[k] / factor)}；请改为常规格式，核实后填写数值")
    numeric[list(shown)] = False
    return value, numeric, empty, shown, percent_format


def _verdicts(cells: _Cells, value, numeric, empty, shown, percent_format):
    """(accepted, rejected, notes): each cell's verdict, ``notes`` the issues as ``(k, issue)``."""
    meta, ind, kind = cells.meta, cells.ind, cells.kind
    allow_neg = np.array([m[2] for m in meta])
    as_shown = np.zeros(value.size, bool)
    as_shown[list(percent_format)] = True          # 0.5% shown is 0.5, not a fraction typed for 50
    with np.errstate(invalid="ignore"):
        suspect = numeric & (~np.isfinite(value) | ((value < 0) & ~allow_neg[ind])
                             | ((kind == "binary") & (value != 0) & (value != 1))
                             | ((kind == "percent") & ((value > 100) | ((value > 0) & (value < 1) & ~as_shown)))
                             | ((kind == "count") & (value != np.round(value))))
    accepted = numeric & ~suspect
    rejected = np.zeros(value.size, bool)
    warnings: dict[int, tuple[str, str]] = {}
    notes: list[tuple[int, tuple]] = []

    def say(k, severity, code, message):
        st = cells.sheet(k)
        notes.append((k, (st.file, st.sheet, cells.address(k), severity, code, message)))

    merged: set[int] = set()                       # merged ranges already named (one marker a range)
    for k in np.flatnonzero(~empty & ~accepted):
        m = meta[ind[k]]
        if k in shown:
            rejected[k] = True
            say(k, "error", shown[k][0], f"{m[5]}：{shown[k][1]}")
            continue
        status, parsed, code, message = parse_value(cells.flat[k], m[0], m[1], m[2])
        if status == ERROR:
            rejected[k] = True
            if code == "merged_value":                # one error for the range, at its first cell
                if id(cells.flat[k]) in merged:
                    continue
                merged.add(id(cells.flat[k]))
            say(k, "error", code, f"{m[5]}（{'是/否' if m[0] == 'binary' else m[1]}）：{message}")
        elif status == OK:
            value[k], accepted[k] = parsed, True
            if code and not (code == "percent_fraction" and as_shown[k]):
                warnings[k] = (code, f"{m[5]}：{message}")
        else:
            empty[k] = True
    bad_row = cells.bad_row
    _blanks(cells, empty & ~bad_row, notes)
    for k in np.flatnonzero(bad_row & ~empty):   # the row's key cell carries the one error
        accepted[k], rejected[k] = False, True
        warnings.pop(k, None)
    notes[:] = [note for note in notes if not bad_row[note[0]]]
    for k, warning in warnings.items():
        say(k, "warning", *warning)
    for k, stored in percent_format.items():
        if accepted[k]:
            say(k, "warning", "percent_format",
                f"{meta[ind[k]][5]}：单元格设为百分比格式（保存的是 {num(stored)}），按 {num(value[k])}% 读取")
    for k in cells.marked(accepted, "formula_cached"):
        link = (cells.sheet(k).linked or {}).get(cells.address(k))
        if link:                                     # a formula on another workbook: name the link
            say(k, "warning", "external_link",
                f"{meta[ind[k]][5]}：单元格是引用其他工作簿的公式（={_short(link[1])}，链接：{_short(link[2])}），"
                f"采用其保存的计算结果 {num(value[k])}（公式未执行，所引用的文件可能已改动）；请核实，最好改为直接填写数值")
        else:
            say(k, "warning", "formula_cached",
                f"{meta[ind[k]][5]}：单元格是公式，采用其保存的计算结果 {num(value[k])}（公式未执行）")
    return accepted, rejected, notes


def _blanks(cells: _Cells, blank, notes) -> None:
    """A required indicator left blank: one warning per cell, or one for the column when the
    whole column of a sheet is blank (one cause, one message)."""
    required = np.array([m[3] for m in cells.meta])[cells.ind]
    column = cells.stage * 10_000 + cells.ci
    blank_per_column = np.bincount(column[blank & required], minlength=column.max() + 1)
    cells_per_column = np.bincount(column, minlength=column.max() + 1)
    whole = (blank_per_column == cells_per_column) & (cells_per_column > 1)
    done = set()
    for k in np.flatnonzero(blank & required):
        m, st = cells.meta[cells.ind[k]], cells.sheet(k)
        if not whole[column[k]]:
            notes.append((k, (st.file, st.sheet, cells.address(k), "warning", "empty_value", f"{m[5]}：未填写")))
        elif column[k] not in done:
            done.add(column[k])
            last = int(np.flatnonzero(column == column[k])[-1])
            notes.append((k, (st.file, st.sheet, f"{cells.address(k)}:{cells.address(last)}", "warning",
                              "empty_column", f"{m[5]}：本列 {cells_per_column[column[k]]} 个单元格全部未填写")))


def _bound(x: float) -> str:
    return num(x) if np.isfinite(x) else "不限"


def _ranges(cells: _Cells, catalog, value, accepted, rejected, notes) -> None:
    """Accepted values outside the indicator's valid range are rejected (error); outside its
    plausible range they stay accepted with a warning asking to check the unit or a typo."""
    frame = catalog.indicators.set_index("id")
    if "valid_lo" not in frame:
        return
    bounds = frame.reindex(cells.ids)[["valid_lo", "valid_hi", "plausible_lo", "plausible_hi"]].to_numpy(float)
    lo, hi, plo, phi = (bounds[:, c][cells.ind] for c in range(4))
    with np.errstate(invalid="ignore"):
        invalid = accepted & ((value < lo) | (value > hi))
        odd = accepted & ~invalid & ((value < plo) | (value > phi))
    for k in np.flatnonzero(invalid):
        m = cells.meta[cells.ind[k]]
        accepted[k], rejected[k] = False, True
        notes[:] = [note for note in notes if note[0] != k]
        st = cells.sheet(k)
        notes.append((k, (st.file, st.sheet, cells.address(k), "error", "out_of_range",
                          f"{m[5]}（{m[1]}）：{num(value[k])} 超出有效范围 {_bound(lo[k])}–{_bound(hi[k])}，请核实后重填")))
    for k in np.flatnonzero(odd):
        m = cells.meta[cells.ind[k]]
        st = cells.sheet(k)
        notes.append((k, (st.file, st.sheet, cells.address(k), "warning", "implausible",
                          f"{m[5]}（{m[1]}）：{num(value[k])} 不在常见范围 {_bound(plo[k])}–{_bound(phi[k])} 内，"
                          f"{_check_hint(value[k], m[1], plo[k], phi[k])}")))


def _check_hint(value: float, unit: str, lo: float, hi: float) -> str:
    """What to check about a value outside its plausible range: 元 and 万元 mixed up only for
    money (with the value it would be), digits typed too many or too few for anything else."""
    if not is_money(unit):
        return "请核实是否多输、少输了数字"
    column = base_unit(unit)
    if column == "万元" and value > hi:
        return f"如果填的是元，应换算为 {num(value / 10000)} 万元；否则请核实是否多输了数字"
    if column == "元" and value < lo:
        return f"如果填的是万元，应换算为 {num(value * 10000)} 元；否则请核实是否少输了数字"
    return "请核实是否填错单位（元与万元）或多输、少输了数字"


#: Of the issues at one cell with the worst severity, the code the merged issue keeps: a doubtful
#: value's first (year on year, then implausible), else the first issue's.
_FIRST_CODES = ("year_on_year", "implausible")
_MARKS = "①②③④⑤⑥⑦⑧⑨⑩"


def _short(text: str, limit: int = 80) -> str:
    """A formula or link as quoted in a message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def one_issue_per_cell(issues: list) -> list:
    """One issue per cell: the issues naming the same cell (file, sheet and one address) become
    one, in the place of the first, with the worst severity and a message listing every reason
    (``本单元格有 2 个问题：① …；② …``, errors first); file-wide issues and ranges are kept as
    they are. The merged issue's code is its worst issue's (:data:`_FIRST_CODES` first)."""
    at: dict[tuple, list[int]] = {}
    for k, issue in enumerate(issues):
        if issue[2] and ":" not in issue[2]:
            at.setdefault(issue[:3], []).append(k)
    groups = [ks for ks in at.values() if len(ks) > 1]
    if not groups:
        return issues
    out, drop = list(issues), set()
    for ks in groups:
        members = [issues[k] for k in ks]
        severity = "error" if any(i[3] == "error" for i in members) else "warning"
        worst = [i[4] for i in members if i[3] == severity]
        code = next((c for c in _FIRST_CODES if c in worst), worst[0])
        reasons = list(dict.fromkeys(i[5] for i in sorted(members, key=lambda i: i[3] != "error")))
        out[ks[0]] = (*members[0][:3], severity, code, _reasons(reasons))
        drop.update(ks[1:])
    return [issue for k, issue in enumerate(out) if k not in drop]


def _reasons(messages: list[str]) -> str:
    """Several messages about one cell as one: ``村级后备干部（人）有 2 个问题：①99 不在常见范围…；
    ②99（人），与上年…``. The first message's label (before ``：``) heads the message; a message
    whose label names the same indicator (``联家村 村级后备干部``) is given without its label,
    any other whole."""
    if len(messages) == 1:
        return messages[0]
    head = messages[0].split("：", 1)[0] if "：" in messages[0] else ""
    if len(head) > 30 or "，" in head:          # not a label: a sentence that quotes something
        head = ""
    name = re.sub(r"（[^（）]*）$", "", head)
    parts = []
    for m in messages:
        label, _, body = m.partition("：")
        parts.append(body if name and body and name in label and len(label) <= len(head) + 20 else m)
    marks = [_MARKS[n] if n < len(_MARKS) else f"({n + 1})" for n in range(len(parts))]
    listed = "；".join(f"{mark}{part}" for mark, part in zip(marks, parts))
    return f"{head}有 {len(parts)} 个问题：{listed}" if name else f"本单元格有 {len(parts)} 个问题：{listed}"
