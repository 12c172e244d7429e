"""Helpers the tests of several stages share: editing catalogues and workbooks, running the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SAMPLE_CSV = ROOT / "data" / "sample_csv"


def edit_block(text: str, table: str, ident: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside the ``[[table]]`` block whose id is ``ident``."""
    blocks = re.split(rf"(?=^\[\[{re.escape(table)}\]\]$)", text, flags=re.M)
    for i, block in enumerate(blocks):
        if re.search(rf'^id = "{re.escape(ident)}"$', block, flags=re.M):
            assert old in block, f"{old!r} not in block {ident}"
            blocks[i] = block.replace(old, new, 1)
            return "".join(blocks)
    raise AssertionError(f"no [[{table}]] block with id {ident}")


def remove_block(text: str, table: str, ident: str) -> str:
    """Remove the ``[[table]]`` block whose id is ``ident``."""
    blocks = re.split(r"(?=^\[\[)", text, flags=re.M)
    kept = [b for b in blocks if not (b.startswith(f"[[{table}]]")
                                      and re.search(rf'^id = "{re.escape(ident)}"$', b, flags=re.M))]
    assert len(kept) == len(blocks) - 1
    return "".join(kept)


def write_catalog(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(text, "utf-8")
    return path


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd)


def column_of(ws, indicator: str) -> str:
    for cell in ws[3]:
        if cell.value == indicator:
            return get_column_letter(cell.column)
    raise KeyError(indicator)


def data_rows(ws) -> range:
    """The data rows of a template sheet: from row 4 down to the row before its footer
    (本表合计, 填表人 …), or to the last row when it has none."""
    from dangjian_analysis.catalog.tables import TEMPLATE_FOOTER

    for r in range(4, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if isinstance(first, str) and first.startswith(TEMPLATE_FOOTER):
            return range(4, r)
    return range(4, ws.max_row + 1)


def edit(path, sheet, changes: dict):
    """Set cells of a workbook: keys are A1 addresses or (indicator, row)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    addresses = {}
    for key, value in changes.items():
        address = f"{column_of(ws, key[0])}{key[1]}" if isinstance(key, tuple) else key
        ws[address] = value
        addresses[key] = address
    wb.save(path)
    return addresses


def assert_catalog_error(tmp_path: Path, text: str, expected) -> None:
    """Loading the catalogue ``text`` raises one CatalogError naming the file and every part of ``expected``."""
    import pytest

    from dangjian_analysis.catalog import CatalogError, load_catalog

    path = write_catalog(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message



def _needs(program: str, *names: str):
    """Skip where ``program`` is not installed, except on CI (``CI`` set), where .ci/run installs
    it: there the test runs, and fails without it instead of being skipped."""
    import os
    import shutil

    import pytest

    missing = not any(shutil.which(n) for n in names)
    return pytest.mark.skipif(missing and not os.environ.get("CI"), reason=f"{program} 未安装")


NEEDS_SOFFICE = _needs("LibreOffice", "soffice", "libreoffice")
NEEDS_CHROMIUM = _needs("Chromium", "chromium", "chromium-browser")



def copy_sample(folder: Path, *, county: bool = True) -> Path:
    """``folder`` (created) holding a writable copy of the sample's workbooks (no CSV copies, no
    报告文字.docx); without 县级数据.xlsx unless ``county``."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for f in SAMPLE.glob("*.xlsx"):
        if f.name != "县级数据.xlsx" or county:
            shutil.copy(f, folder / f.name)
    return folder


def recorder():
    """A report writer (documents.report_content.ReportWriter) that only records what it is given:
    ``parts`` holds ``("h", text)``, ``("p", text)`` and ``("t", frame, digits)`` in order."""
    from dangjian_analysis.documents.report_content import ReportWriter

    class Recorder(ReportWriter):
        def __init__(self):
            super().__init__()
            self.parts: list[tuple] = []

        def _heading(self, text, level):
            self.parts.append(("h", text))

        def _paragraph(self, text):
            self.parts.append(("p", text))

        def _table(self, frame, percent, names, digits=1):
            self.parts.append(("t", frame, digits))

    return Recorder()


def report_text(model) -> list[str]:
    """The headings and paragraphs of ``model``'s report, in order, as any writer gets them."""
    from dangjian_analysis.documents.report_content import write_content

    writer = recorder()
    write_content(writer, model)
    return [part[1] for part in writer.parts if part[0] != "t"]
