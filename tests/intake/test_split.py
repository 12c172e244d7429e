"""A large worksheet read in two halves at once gives exactly the rows of reading it whole:
cells in place, rows padded as python-calamine pads them, and any doubt (rows out of order,
a cut that leaves a half malformed, a failed half) read whole instead.

Each test builds a workbook, reads the sheet through :class:`Halves` (the size threshold does
not matter here: the halves are asked for directly) and compares with python-calamine's own
reading of the whole sheet.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from dangjian_analysis.intake import _safety, load
from dangjian_analysis.intake._sheetxml import _PREFIXED_CELL, _prefixed, sheet_names
from dangjian_analysis.intake._split import Halves, _halves, _replaced
from helpers import SAMPLE

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402


def _workbook(tmp_path, rows: dict[int, dict[str, object]], *, shuffle=False, extra=b"") -> bytes:
    """An .xlsx whose first sheet holds ``rows`` (row number → column letter → value);
    ``shuffle`` writes the rows in reverse order, ``extra`` is inserted after the first row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    for r, cells in rows.items():
        for col, value in cells.items():
            ws[f"{col}{r}"] = value
    path = tmp_path / "w.xlsx"
    wb.save(path)
    if not (shuffle or extra):
        return path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        part = {v: k for k, v in sheet_names(zf).items()}["表"]
        xml = zf.read(part)
        head, body = xml.split(b"<sheetData>")
        body, tail = body.split(b"</sheetData>")
        elements = re.findall(rb"<row\b.*?</row>", body, re.S)
        if shuffle:
            elements.reverse()
        if extra:
            elements.insert(1, extra)
        xml = head + b"<sheetData>" + b"".join(elements) + b"</sheetData>" + tail
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in zf.infolist():
                z.writestr(info.filename, xml if info.filename == part else zf.read(info.filename))
    return out.getvalue()


def _both(data: bytes, name: str = "表"):
    """(rows read in halves, rows read whole, whether the halves were used)."""
    scan_zip = zipfile.ZipFile(io.BytesIO(data))
    part_name = {v: k for k, v in sheet_names(scan_zip).items()}[name]
    part = scan_zip.read(part_name)
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as wb:
        whole = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        halves = Halves(data, part_name, name, part)
        rows = halves.rows(wb)
    from dangjian_analysis.intake._split import _joined

    return rows, whole, len(halves.result) == 2 and _joined(halves.result) is not None


def test_the_county_ballots_read_in_halves_are_the_whole_sheet():
    data = (SAMPLE / "县级数据.xlsx").read_bytes()
    rows, whole, used = _both(data, "述职评议")
    assert used and rows == whole and len(rows) == 1 + 3 * 19 * 5 * 6 * 6 + 19 * 4 * 6 * 6   # header, 2012–2014, 2015 (党员群众代表 on 测评票)


def test_rows_of_different_widths_and_a_gap_between_the_halves(tmp_path):
    rows = {r: {"A": r, "B": f"文本{r}"} for r in range(1, 41)}
    rows |= {r: {"A": r, "E": 1.5 * r, "C": None} for r in range(60, 101)}     # wider, after a gap
    got, whole, used = _both(_workbook(tmp_path, rows))
    assert used and got == whole


def test_a_wider_first_half(tmp_path):
    rows = {r: {"A": r, "H": "宽"} for r in range(1, 51)} | {r: {"A": r} for r in range(51, 101)}
    got, whole, used = _both(_workbook(tmp_path, rows))
    assert used and got == whole


def test_rows_out_of_order_are_read_whole(tmp_path):
    rows = {r: {"A": r, "B": "x"} for r in range(1, 101)}
    got, whole, used = _both(_workbook(tmp_path, rows, shuffle=True))
    assert not used and got == whole


def test_a_cut_inside_a_comment_is_read_whole(tmp_path):
    rows = {r: {"A": r} for r in range(1, 101)}
    text = b"".join(b'<row r="%d"><c r="A%d"><v>0</v></c></row>' % (i, i) for i in range(2, 300))
    comment = b"<!-- " + text + b" -->"
    data = _workbook(tmp_path, rows, extra=comment)
    got, whole, used = _both(data)
    assert not used and got == whole


def test_a_cut_inside_a_cdata_section_is_read_whole(tmp_path):
    rows = {r: {"A": r} for r in range(1, 101)}
    text = b"".join(b'<row r="%d"><c r="A%d"><v>0</v></c></row>' % (i, i) for i in range(3, 300))
    cdata = b'<row r="2"><c r="B2" t="inlineStr"><is><t><![CDATA[' + text + b"]]></t></is></c></row>"
    got, whole, used = _both(_workbook(tmp_path, rows, extra=cdata))
    assert not used and got == whole


def test_the_halves_cut_at_a_numbered_row():
    xml = b'<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="2"><c r="A2"/></row></sheetData><x/></worksheet>'
    first, second = _halves(xml)
    assert first.endswith(b"</sheetData><x/></worksheet>") and b'<row r="2"' not in first
    assert second.startswith(b"<worksheet><sheetData><row r=\"2\"") and b'<row r="1"' not in second
    assert _halves(b"<worksheet><sheetData/></worksheet>") is None


def test_a_copied_zip_is_read_by_zipfile_and_calamine():
    data = (SAMPLE / "东山镇.xlsx").read_bytes()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    name = infos[0].filename
    copy = _replaced(data, infos, name, b"replaced")
    with zipfile.ZipFile(io.BytesIO(copy)) as zf:
        assert zf.testzip() is None and zf.read(name) == b"replaced"
        assert [i.filename for i in zf.infolist()] == [i.filename for i in infos]


def test_a_large_sheet_is_read_in_halves_by_load(monkeypatch):
    monkeypatch.setattr(_safety, "SPLIT_BYTES", 1)           # every plain sheet is "large"
    split = load(*sorted(SAMPLE.glob("*.xlsx")))
    monkeypatch.setattr(_safety, "SPLIT_BYTES", 10**12)
    whole = load(*sorted(SAMPLE.glob("*.xlsx")))
    for table in ("observations", "ballots", "ledger", "links", "issues", "files", "sheets"):
        assert getattr(split, table).equals(getattr(whole, table)), table


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b":", b"c", b"row", b" ", b">", b"/", b"x", b"<", b"\n", b"r"]), max_size=40),
       st.integers(0, 200))
def test_the_colon_search_is_the_expression(pieces, colons):
    part = b"".join(pieces) + b":x" * colons + b"".join(reversed(pieces))
    assert _prefixed(part) == (_PREFIXED_CELL.search(part) is not None)
