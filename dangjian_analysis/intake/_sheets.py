"""Private: one fetched file, sheet by sheet — each sheet is an indicator sheet, a county
table, or reported as unrecognised; the file's problems and counts go into the batch."""

from __future__ import annotations

from pathlib import Path

from ._address import cell_address
from ._county import read_county_rows
from ._files import Fetched, Sheet, internal_error
from ._headers import find_county, find_header
from ._keys import stage_rows

__all__ = ["read_file"]


def read_file(batch, path: Path, fetched: Fetched) -> None:
    """Validate one file that :func:`~dangjian_analysis.intake._files.fetch` has read.

    A failure inside the file rejects it whole (what it had contributed is forgotten);
    it never stops the batch.
    """
    count = batch.new_file(path)
    name = str(path)
    try:
        if fetched.refusal:
            batch.reject(count, *fetched.refusal)
            return
        for code, message in fetched.warnings:
            batch.issue(name, "", "", "warning", code, message)
        for sheet in fetched.sheets:
            _read_sheet(batch, sheet, name, count)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        batch.drop_file(batch.file_index)
        batch.reject(count, "internal_error", internal_error(exc))
        return
    if count["cells_read"] == 0 and not any(i[0] == name and i[3] == "error" for i in batch.issues):
        batch.issue(name, "", "", "warning", "no_data", "文件中没有找到可识别的填报数据（表头不符或为空表）")


def _read_sheet(batch, table: Sheet, file: str, count: dict) -> None:
    """Find the header (and hidden id row), then read the rows as indicators or a county table."""
    rows, sheet, csv_mode = table.rows, table.name, table.csv_mode
    header_row, id_row, mapping = find_header(batch.lookup, batch.meta, rows)
    where = sheet or "CSV"
    if header_row is None:
        county = find_county(batch.lookup, rows)
        if county is not None:
            kind, header_row, mapping = county
            read_county_rows(batch, kind, rows, header_row, mapping, file, sheet, count, csv_mode)
            return
        filled = sum(1 for r in rows for v in r if v not in (None, ""))
        if filled:
            batch.issue(file, sheet, "", "warning", "unknown_sheet",
                        f"工作表“{where}”没有可识别的表头（需要“乡镇”“年度”等列），已跳过其中 {filled} 个非空单元格")
        return
    start = max(header_row, id_row if id_row is not None else -1) + 1
    labels = rows[header_row]
    known = sheet or Path(file).stem.split("_")[-1]
    if known in batch.required:
        absent = [name for i, name in batch.required[known] if i not in mapping]
        if absent:
            batch.issue(file, sheet, "", "warning", "missing_column",
                        f"工作表“{known}”缺少指标列：{'、'.join(absent)}（这些指标将没有数据）")
    for j, fld in enumerate(mapping):
        if fld is None and j < len(labels) and labels[j] not in (None, ""):
            filled = sum(1 for r in rows[start:] if j < len(r) and r[j] not in (None, ""))
            if filled:
                batch.issue(file, sheet, cell_address(csv_mode, header_row, j, labels),
                            "warning", "unknown_column",
                            f"表头“{labels[j]}”不是指标体系中的指标，该列 {filled} 个值未读取")
    stage_rows(batch, table, start, mapping, labels, file, count)
