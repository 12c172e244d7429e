"""Private: one fetched file, sheet by sheet — each sheet is an indicator sheet, a county
table, or reported as unrecognised; the file's problems and counts go into the batch."""

from __future__ import annotations

from pathlib import Path

from ._address import cell_address
from ._ballot_sheet import read_ballot_sheet
from ._county import read_county_rows
from ._files import Fetched, Sheet, internal_error
from ._headers import HEADER_SCAN, find_county, find_header, recognisable
from ._keys import stage_rows
from ._merges import prepare_rows

__all__ = ["read_file", "TEXT_LIMIT"]

#: Characters python-calamine keeps of one cell's text (Excel's own limit): a longer text is cut here.
TEXT_LIMIT = 32767


def read_file(batch, path: Path, fetched: Fetched) -> None:
    """Validate one file that :func:`~dangjian_analysis.intake._files.fetch` has read.

    A failure inside the file rejects it whole (what it had contributed is forgotten);
    it never stops the batch. A file whose non-empty cells were all left unread (no header
    recognised in any sheet) is rejected with an error (``nothing_taken``); one without any non-empty cell
    a warning (``no_data``).
    """
    count = batch.new_file(path)
    name = str(path)
    taken = _taken(batch)
    try:
        if fetched.refusal:
            batch.reject(count, *fetched.refusal)
            return
        for code, message in fetched.warnings:
            batch.issue(name, "", "", "warning", code, message)
        for sheet in fetched.sheets:
            _read_sheet(batch, sheet, name, batch.new_sheet(sheet.name))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        batch.drop_file(batch.file_index)
        batch.reject(count, "internal_error", internal_error(exc))
        return
    if any(i[0] == name and i[3] == "error" for i in batch.issues):
        return
    if batch.cells_read(batch.file_index) == 0:
        batch.issue(name, "", "", "warning", "no_data", "文件中没有找到可识别的填报数据（表头不符或为空表）")
        return
    rejected = sum(c["cells_rejected"] for c in batch.sheet_counts if c["_fidx"] == batch.file_index)
    if rejected and _taken(batch) == taken:
        count["status"] = "rejected"
        batch.issue(name, "", "", "error", "nothing_taken",
                    f"文件中没有可采用的数据：{rejected} 个非空单元格全部未读取（表头无法识别，见各工作表的提示）；"
                    "请使用填报模板，保留“乡镇”“年度”（村级表还有“村（社区）”）和指标名称的表头后重新报送")


def _taken(batch) -> int:
    """How many rows the batch holds that may be taken: staged indicator rows and county rows."""
    return sum(len(st.rows) for st in batch.staged) + sum(len(t) for t in [*batch.tables.values(),
                                                                           *batch.rubric.values()])


def _read_sheet(batch, table: Sheet, file: str, count: dict) -> None:
    """Find the header (and hidden id row), then read the rows as indicators or a county table;
    a sheet that cannot be read has all its non-empty cells counted as rejected."""
    rows, sheet, csv_mode = table.rows, table.name, table.csv_mode
    where = sheet or Path(file).name
    _far_cells(batch, getattr(table, "far_cells", None) or {}, file, sheet, where, count)
    header = find_header(batch.lookup, batch.meta, rows)
    if header is None:
        county = find_county(batch.lookup, rows, name=sheet or Path(file).stem.split("_")[-1])
        if county is not None:
            kind, header_row, mapping = county
            prepare_rows(table, rows, header_row + 1, mapping, ())
            if kind not in ("ballots", "ballot_sheets") and not csv_mode:   # texts taken as they are (names)
                _long_texts(batch, rows, header_row + 1, file, sheet)
            if kind == "ballot_sheets":                 # one row a ballot, one column a secretary
                read_ballot_sheet(batch, rows, header_row, mapping, file, sheet, count, csv_mode,
                                  formula_missing=table.formula_missing)
            else:
                read_county_rows(batch, kind, rows, header_row, mapping, file, sheet, count, csv_mode,
                                 formula_missing=table.formula_missing)
            return
        filled = _reject_cells(count, rows, 0)
        if not filled:
            return
        name = sheet or Path(file).stem.split("_")[-1]
        if recognisable(batch.lookup, batch.meta, rows, name, batch.catalog.input_sheets):
            batch.issue(file, sheet, "", "error", "no_header",
                        f"工作表“{where}”是填报表，但在前 {HEADER_SCAN} 行中找不到含“乡镇”“年度”（村级表还要“村（社区）”）"
                        f"和指标的表头行，无法读取：{filled} 个非空单元格全部未采用。请勿删除关键列或在表头上方插入多行")
        else:
            batch.issue(file, sheet, "", "warning", "unknown_sheet",
                        f"工作表“{where}”没有可识别的表头（需要“乡镇”“年度”等列），其中 {filled} 个非空单元格未读取")
        return
    start = max(header.row, header.id_row if header.id_row is not None else -1) + 1
    labels = rows[header.row]
    mapping = list(header.mapping)
    prepare_rows(table, rows, start, mapping, batch.meta, village="village" in mapping)
    for j, message in header.conflicts:
        n = _reject_column(count, rows, start, j)
        batch.issue(file, sheet, cell_address(csv_mode, header.row, j, labels), "error", "header_conflict",
                    f"{message}（{n} 个值）")
    handled = {j for j, _ in header.conflicts}
    handled |= _check_levels(batch, rows, start, header.row, mapping, labels, file, sheet, csv_mode, count)
    known = sheet or Path(file).stem.split("_")[-1]
    if known in batch.required:
        absent = [name for i, name in batch.required[known] if i not in header.mapping]
        if absent:
            batch.issue(file, sheet, "", "warning", "missing_column",
                        f"工作表“{known}”缺少指标列：{'、'.join(absent)}（这些指标将没有数据）")
    width = max((len(r) for r in rows[start:]), default=0)
    for j in range(width):
        if (mapping[j] if j < len(mapping) else None) is None and j not in handled:
            _unknown_column(batch, rows, start, j, header.row, labels, file, sheet, csv_mode, count)
    stage_rows(batch, table, start, mapping, labels, file, count)


def _long_texts(batch, rows, start: int, file: str, sheet: str) -> None:
    """A text that reaches :data:`TEXT_LIMIT` characters may have been cut by the reader: a
    warning at its cell (the text is kept as read)."""
    for i in range(start, len(rows)):
        for j, value in enumerate(rows[i]):
            if type(value) is str and len(value) >= TEXT_LIMIT:
                batch.issue(file, sheet, cell_address(False, i, j, ()), "warning", "long_text",
                            f"单元格文字达到 {TEXT_LIMIT:,} 个字符（Excel 单元格的上限），读取时在此截断，内容可能不完整；"
                            "请核实原文，较长的说明请另附文件")


def _far_cells(batch, far: dict, file: str, sheet: str, where: str, count: dict) -> None:
    """Cells far outside the sheet's data block (cut out before parsing, so that one stray cell
    at XFD1048576 cannot make the grid enormous): one error for the sheet, counted as rejected."""
    if not far:
        return
    count["cells_read"] += len(far)
    count["cells_rejected"] += len(far)
    listed = "、".join(f"{a}（{v}）" for a, v in list(far.items())[:5]) + ("等" if len(far) > 5 else "")
    batch.issue(file, sheet, next(iter(far)), "error", "far_cell",
                f"工作表“{where}”中有 {len(far)} 个单元格远在数据区域之外：{listed}，未读取；"
                "如是误输入请删除，如是数据请移回表格中")


def _check_levels(batch, rows, start, header_row, mapping, labels, file, sheet, csv_mode, count) -> set:
    """Indicator columns of the wrong level are not read: one error per column (a township
    indicator in a village sheet), or one per sheet for village indicators without a 村 column.
    Returns those columns."""
    has_village = "village" in mapping
    level = "village" if has_village else "township"
    wrong = [j for j, f in enumerate(mapping) if f in batch.meta and batch.meta[f][4] != level]
    if not has_village and wrong:
        names = "、".join(batch.meta[mapping[j]][5] for j in wrong)
        n = sum(_reject_column(count, rows, start, j) for j in wrong)
        batch.issue(file, sheet, "", "error", "missing_key_column",
                    f"工作表缺少“村（社区）”列，村级指标（{names}）无法对应到村：{n} 个值未采用。请恢复“村（社区）”列")
    else:
        for j in wrong:
            n = _reject_column(count, rows, start, j)
            batch.issue(file, sheet, cell_address(csv_mode, header_row, j, labels), "error", "wrong_level",
                        f"{batch.meta[mapping[j]][5]} 是乡镇指标，不应出现在村级表中：本列 {n} 个值未采用")
    for j in wrong:
        mapping[j] = None
    return set(wrong)


def _unknown_column(batch, rows, start, j, header_row, labels, file, sheet, csv_mode, count) -> None:
    """Values under no header or under a header the catalogue does not know: one warning per
    column naming its cell range; the values are counted as rejected."""
    filled = [i for i in range(start, len(rows)) if j < len(rows[i]) and rows[i][j] not in (None, "")]
    if not filled:
        return
    _reject_column(count, rows, start, j)
    span = f"{cell_address(csv_mode, filled[0], j, labels)}:{cell_address(csv_mode, filled[-1], j, labels)}"
    head = labels[j] if j < len(labels) else None
    what = f"表头“{head}”不是指标体系中的指标" if head not in (None, "") else "本列没有表头"
    batch.issue(file, sheet, cell_address(csv_mode, header_row, j, labels), "warning", "unknown_column",
                f"{what}，该列 {len(filled)} 个值（{span}）未读取")


def _reject_column(count: dict, rows, start: int, j: int) -> int:
    """Count the non-empty cells of column ``j`` below ``start`` as read and rejected."""
    n = sum(1 for r in rows[start:] if j < len(r) and r[j] not in (None, ""))
    count["cells_read"] += n
    count["cells_rejected"] += n
    return n


def _reject_cells(count: dict, rows, start: int) -> int:
    """Count every non-empty cell from row ``start`` on as read and rejected."""
    n = sum(1 for r in rows[start:] for v in r if v not in (None, ""))
    count["cells_read"] += n
    count["cells_rejected"] += n
    return n
