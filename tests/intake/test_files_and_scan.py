"""Files and the pre-parse scan: every file accounted for, bad paths refused, CSV dialects
read, and what python-calamine does not say (error values, number formats, formulas,
Strict OOXML, far cells) found at its cell — in bounded time and memory.

Each test builds such a file (from the sample county's 东山镇 workbook or its CSV export)
and asserts the outcome at its file or cell.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dangjian_analysis.intake import LoadError, collect_files, load
from dangjian_analysis.intake._extent import GRID_LIMIT, bound_cells
from dangjian_analysis.intake._files import fetch, is_sidecar
from dangjian_analysis.intake._numfmt import format_effect
from dangjian_analysis.intake._sheetxml import sheet_names
from helpers import SAMPLE, SAMPLE_CSV, run_cli

WORKBOOK = SAMPLE / "东山镇.xlsx"
CSV = SAMPLE_CSV / "东山镇_一乡一品.csv"
STRICT = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
          b"http://purl.oclc.org/ooxml/spreadsheetml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
          b"http://purl.oclc.org/ooxml/officeDocument/relationships"}


def rezip(src, dst, sheet=None, edit=None, every=None):
    """Copy a workbook, applying ``edit`` to the XML of sheet ``sheet`` and ``every`` to
    every XML part."""
    with zipfile.ZipFile(src) as zf:
        part = {v: k for k, v in sheet_names(zf).items()}.get(sheet)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                data = zf.read(info.filename)
                if info.filename == part and edit:
                    data = edit(data)
                if every and info.filename.endswith((".xml", ".rels")):
                    data = every(data)
                out.writestr(info.filename, data)
    return dst


def set_cell(xml: bytes, ref: str, element: bytes) -> bytes:
    """Replace cell ``ref`` of a sheet's XML by ``element``."""
    new, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', element, xml, count=1, flags=re.S)
    assert n == 1, ref
    return new


def add_cell(xml: bytes, row: bytes) -> bytes:
    """Append a ``<row>`` to a sheet's XML."""
    return xml.replace(b"</sheetData>", row + b"</sheetData>")


def sheet_of(path, name="一乡一品"):
    fetched = fetch(Path(path))
    assert fetched.refusal is None, fetched.refusal
    return {s.name: s for s in fetched.sheets}[name]


def above_footer(sheet, cells) -> set:
    """The addresses of ``cells`` above the template's footer (its 本表合计 formulas are not data)."""
    from dangjian_analysis.catalog.tables import TEMPLATE_FOOTER

    start = next((k + 1 for k, row in enumerate(sheet.rows)
                  if isinstance(row[0], str) and row[0].startswith(TEMPLATE_FOOTER)), len(sheet.rows) + 1)
    return {a for a in cells if int(re.sub(r"[A-Z]", "", a)) < start}


def observed(ds, sheet="一乡一品"):
    obs = ds.observations[ds.observations["source_sheet"] == sheet]
    return dict(zip(zip(obs["unit_id"], obs["year"], obs["indicator"]), obs["value"]))


@pytest.fixture(scope="module")
def baseline(catalog):
    return load(WORKBOOK, catalog=catalog)


# --- every file accounted for -------------------------------------------------------------

def test_every_file_found_is_listed_loaded_rejected_or_skipped(tmp_path, catalog):
    (tmp_path / "乡镇" / "东山镇").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "乡镇" / "东山镇" / "东山镇.xlsx").write_bytes(WORKBOOK.read_bytes())
    sidecars = ["~$东山镇.xlsx", ".~东山镇.xlsx", "._东山镇.xlsx", ".~lock.东山镇.xlsx#", "Thumbs.db"]
    others = {"旧表.xls": "legacy_xls", "wps表.et": "other_spreadsheet", "说明.wps": "document", "打包.zip": "archive",
              "说明.doc": "document", "说明.docx": "document", "扫描.pdf": "document", "照片.png": "image",
              "备注.txt": "document", "无扩展名": "unsupported"}
    for name in [*sidecars, *others]:
        (tmp_path / "乡镇" / name).write_bytes(b"\xd0\xcf\x11\xe0 not a spreadsheet")
    ds = load(tmp_path, catalog=catalog)
    files = ds.files.set_index("file")
    rel = {Path(f).relative_to(tmp_path).as_posix(): f for f in files.index}
    assert sorted(rel) == sorted([".git", "乡镇/东山镇/东山镇.xlsx", *(f"乡镇/{n}" for n in [*sidecars, *others])])
    assert files.loc[rel[".git"], "status"] == "skipped" and ds.issues[ds.issues["file"] == rel[".git"]].empty
    assert list(rel) == sorted(rel, key=lambda r: Path(r).parts)             # sorted by relative path
    assert files.loc[rel["乡镇/东山镇/东山镇.xlsx"], "status"] == "loaded"
    for name in sidecars:
        row = files.loc[rel[f"乡镇/{name}"]]
        assert row["status"] == "skipped" and row[["cells_read", "cells_accepted", "cells_rejected",
                                                   "cells_empty"]].sum() == 0
        assert ds.issues[ds.issues["file"] == rel[f"乡镇/{name}"]].empty
    errors = ds.issues[ds.issues["severity"] == "error"].set_index("file")
    for name, code in others.items():
        assert files.loc[rel[f"乡镇/{name}"], "status"] == "rejected"
        issue = errors.loc[rel[f"乡镇/{name}"]]
        assert issue["code"] == code
        assert "另存为 .xlsx" in issue["message"] or "填报模板" in issue["message"] or "解压" in issue["message"] \
            or "工作簿" in issue["message"]
    assert "另存为 .xlsx" in errors.loc[rel["乡镇/wps表.et"], "message"]
    assert len(ds.observations) == len(load(WORKBOOK, catalog=catalog).observations)


@pytest.mark.parametrize("name", ["~$a.xlsx", ".~a.xlsx", "._a.xlsx", ".~lock.a.xlsx#", ".DS_Store", "~WRL0001.tmp"])
def test_lock_and_sidecar_names(name):
    assert is_sidecar(name)
    assert not is_sidecar("a.xlsx") and not is_sidecar("~a.xlsx")


def test_bad_paths_raise_one_chinese_error_naming_the_path(tmp_path, catalog):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    unreadable = tmp_path / "旧表"
    unreadable.mkdir()
    (unreadable / "东山镇.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    locks = tmp_path / "锁"
    locks.mkdir()
    (locks / "~$东山镇.xlsx").write_bytes(b"x")
    cases = [((tmp_path / "没有这个",), "找不到文件或文件夹"), ((empty,), "是空的"),
             ((unreadable,), "没有可读取的 .xlsx"), ((locks,), "没有可读取的"),
             ((WORKBOOK, tmp_path / "没有这个.xlsx"), "找不到文件或文件夹"), ((), "没有给出")]
    for paths, words in cases:
        with pytest.raises(LoadError) as err:
            load(*paths, catalog=catalog)
        message = str(err.value)
        assert words in message and "\n" not in message
        if paths == (unreadable,):                   # an old .xls can be saved as .xlsx: that is the advice
            assert "另存为 .xlsx" in message
        for p in paths:
            if p != WORKBOOK:
                assert str(p) in message
    assert "东山镇.xls" in str(pytest.raises(LoadError, load, unreadable, catalog=catalog).value)
    files, notes = collect_files([tmp_path / "没有这个", WORKBOOK])        # the lenient form never raises
    assert files == [WORKBOOK] and "找不到文件或文件夹" in notes[0][1]


def test_cli_bad_paths_print_one_line_and_exit_1(tmp_path):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    for args in (["validate", str(empty)], ["validate", "--json", str(empty)], ["rank", str(empty)],
                 ["charts", str(empty), "--out", str(tmp_path / "c")],
                 ["report", "--data", str(empty), "--out", str(tmp_path / "r")]):
        result = run_cli(*args)
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "是空的" in lines[0] and str(empty) in lines[0], (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout and "校验通过" not in result.stdout


# --- CSV ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", ["tab", "semicolon", "double_bom", "cr_only", "gb18030", "utf16_tab"])
def test_csv_dialects_read_as_the_plain_export(tmp_path, catalog, dialect):
    text = CSV.read_text("utf-8-sig")
    plain = load(CSV, catalog=catalog)
    path = tmp_path / CSV.name
    if dialect == "tab":
        path.write_text(text.replace(",", "\t"), "utf-8")
    elif dialect == "semicolon":
        path.write_text(text.replace(",", ";"), "utf-8-sig")
    elif dialect == "double_bom":
        path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode())
    elif dialect == "cr_only":
        path.write_bytes(text.replace("\n", "\r").encode())
    elif dialect == "gb18030":
        path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    else:
        path.write_bytes(text.replace(",", "\t").encode("utf-16"))
    ds = load(path, catalog=catalog)
    assert ds.files["status"].tolist() == ["loaded"] and ds.n_errors == plain.n_errors == 0
    assert observed(ds, "") == observed(plain, "") and len(observed(plain, "")) > 20


def test_csv_separator_comes_from_the_header_line():
    from dangjian_analysis.intake._files import _delimiter

    assert _delimiter("填报表\n乡镇;年度;产值\n东山镇;2015;1,5\n") == ";"
    assert _delimiter('乡镇\t"年度,说明"\t值\n') == "\t"
    assert _delimiter("乡镇\n") == ","


@pytest.mark.parametrize("line", ["\n", ",,,,,,\r\n", "\r"])
def test_a_million_empty_lines_are_read_quickly(tmp_path, line):
    path = tmp_path / "东山镇_一乡一品.csv"
    path.write_bytes(CSV.read_bytes() + line.encode() * 1_000_000)
    tracemalloc.start()
    start = time.perf_counter()
    fetched = fetch(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 10 and peak < 1024**3
    assert len(fetched.sheets[0].rows) == len(CSV.read_text("utf-8-sig").splitlines())


def test_blank_lines_between_rows_keep_the_row_numbers(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("乡镇,年度\n\n,,\n东山镇,2015\n\n", "utf-8")
    rows = fetch(path).sheets[0].rows
    assert rows == [["乡镇", "年度"], [], [], ["东山镇", "2015"]]


# --- Excel error values, number formats, formulas ------------------------------------------

def test_excel_error_values_are_found_at_their_cells(tmp_path):
    errors = {"C4": "#DIV/0!", "D4": "#N/A", "E4": "#VALUE!", "F4": "#REF!", "G4": "#NAME?", "H4": "#NUM!",
              "I4": "#NULL!"}

    def edit(xml):
        for ref, value in errors.items():
            formula = b"<f>1/0</f>" if ref == "C4" else b""
            xml = set_cell(xml, ref, f'<c r="{ref}" s="5" t="e">'.encode() + formula + f"<v>{value}</v></c>".encode())
        return xml

    sheet = sheet_of(rezip(WORKBOOK, tmp_path / "东山镇.xlsx", "一乡一品", edit))
    assert sheet.errors == errors
    assert sheet.rows[3][2:9] == [""] * 7                    # what python-calamine reads there
    assert "C4" in sheet.formula_cached and not above_footer(sheet, sheet.formula_missing)
    assert sheet_of(WORKBOOK).errors == {}


@pytest.mark.parametrize("code, effect", [
    ("0%", (True, 1.0)), ("0.00%", (True, 1.0)), ('0.0"%"', (False, 1.0)), ("0\\%", (False, 1.0)),
    ("0.0,", (False, 1000.0)), ("0,,", (False, 1e6)), ("#,##0,", (False, 1000.0)), ("#,##0", (False, 1.0)),
    ('0.0,"千元"', (False, 1000.0)), ("#,##0.00_);[Red](#,##0.00)", (False, 1.0)), ("[$-804]0.0%", (True, 1.0)),
    ("0.0%;[红色]-0.0%", (True, 1.0)), ('"比例"0', (False, 1.0)), ("General", (False, 1.0)),
    ("yyyy-mm-dd", (False, 1.0)), ("0.0_,", (False, 1.0)), ("#,##0,,;-#,##0,,", (False, 1e6))])
def test_number_format_effects(code, effect):
    assert format_effect(code) == effect


def test_percent_and_scaling_formats_are_found_at_their_cells(tmp_path):
    path = tmp_path / "东山镇.xlsx"
    wb = openpyxl.load_workbook(WORKBOOK)
    ws = wb["一乡一品"]
    formats = {"D4": "0%", "D5": "0.00%", "E4": '0"%"', "E5": "0\\%", "C4": "0.0,", "C5": "0,,",
               "C6": "#,##0,", "G4": "#,##0", "G5": '#,##0.0,"千户"'}
    for ref, fmt in formats.items():
        ws[ref].number_format = fmt
    wb.save(path)
    sheet = sheet_of(path)
    assert sheet.percent == {"D4", "D5"}
    assert sheet.scaled == {"C4": 1000.0, "C5": 1e6, "C6": 1000.0, "G5": 1000.0}
    assert sheet_of(WORKBOOK).percent == set() and sheet_of(WORKBOOK).scaled == {}


def test_a_text_formula_caching_an_empty_string_has_a_cached_value(tmp_path):
    def edit(xml):
        xml = set_cell(xml, "C4", b'<c r="C4" t="str"><f>IF(1,"","")</f><v></v></c>')
        xml = set_cell(xml, "D4", b'<c r="D4" t="str"><f>""</f><v/></c>')
        xml = set_cell(xml, "E4", b'<c r="E4"><f>1+1</f><v></v></c>')       # a number without its value
        return set_cell(xml, "F4", b'<c r="F4"><f>1+1</f></c>')

    sheet = sheet_of(rezip(WORKBOOK, tmp_path / "东山镇.xlsx", "一乡一品", edit))
    assert sheet.formula_cached == {"C4", "D4"} and above_footer(sheet, sheet.formula_missing) == {"E4", "F4"}
    assert sheet.rows[3][2:4] == ["", ""]


def test_strict_ooxml_is_read_and_its_facts_keyed_by_sheet_name(tmp_path, catalog, baseline):
    def strict(data):
        for old, new in STRICT.items():
            data = data.replace(old, new)
        return data

    path = rezip(WORKBOOK, tmp_path / "东山镇.xlsx", every=strict)
    with zipfile.ZipFile(path) as zf:
        assert b"purl.oclc.org" in zf.read("xl/workbook.xml")
        assert set(sheet_names(zf).values()) == {"填报说明", "名录", "乡镇指标", "村级指标", "一乡一品"}
    ds = load(path, catalog=catalog)
    assert ds.n_errors == 0 and observed(ds) == observed(baseline)
    assert len(ds.observations) == len(baseline.observations)

    def no_value(xml):
        return set_cell(xml, "C4", b'<c r="C4"><f>SUM(C5:C7)</f></c>')

    path = rezip(rezip(WORKBOOK, tmp_path / "a.xlsx", "一乡一品", no_value), tmp_path / "b.xlsx", every=strict)
    assert above_footer(sheet_of(path), sheet_of(path).formula_missing) == {"C4"}
    ds = load(path, catalog=catalog)
    assert "C4" in ds.issues.loc[ds.issues["code"] == "formula_no_value", "cell"].tolist()


# --- bounded --------------------------------------------------------------------------------

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load
from dangjian_analysis.intake._files import fetch
catalog = load_catalog()
start = time.perf_counter()
ds = load(sys.argv[1], catalog=catalog)
elapsed = time.perf_counter() - start
sheet = {s.name: s for s in fetch(Path(sys.argv[1])).sheets}["一乡一品"]
print(json.dumps({"seconds": elapsed, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "status": ds.files["status"].tolist(), "far": sheet.far_cells, "n_rows": len(sheet.rows),
                  "width": max(map(len, sheet.rows)), "observations": len(ds.observations),
                  "codes": sorted(set(ds.issues["code"]))}))
"""


def _measure(path) -> dict:
    """Load ``path`` in a child process (an abort there must not end the tests)."""
    import json

    result = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", ["stray_last_cell", "stray_last_row", "stray_last_column", "stray_no_ref",
                                  "dimension_only"])
def test_a_far_stray_cell_is_cut_out_and_reported(tmp_path, baseline, case):
    rows = {"stray_last_cell": b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
            "stray_last_row": b'<row r="1048576"><c r="A1048576"><v>7</v></c></row>',
            "stray_last_column": b'<row r="5000"><c r="XFD5000" t="str"><f>""</f><v></v></c></row>',
            "stray_no_ref": b'<row r="1048576"><c t="b"><v>1</v></c></row>'}

    def edit(xml):
        if case == "dimension_only":
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        return add_cell(xml, rows[case])

    got = _measure(rezip(WORKBOOK, tmp_path / "东山镇.xlsx", "一乡一品", edit))
    assert got["status"] == ["loaded"] and got["seconds"] < 10 and got["max_rss_mb"] < 1024
    expected = {"stray_last_cell": {"XFD1048576": "x"}, "stray_last_row": {"A1048576": 7.0},
                "stray_last_column": {"XFD5000": ""}, "stray_no_ref": {"A1048576": True}, "dimension_only": {}}
    assert got["far"] == expected[case]
    assert got["n_rows"] < 20 and got["width"] < 20
    assert got["observations"] == len(baseline.observations)


def test_cells_spread_over_the_whole_sheet_are_refused_not_read(tmp_path):
    cells = b"".join(f'<row r="{k * 900 + 10}"><c r="{_col(k * 99 + 12)}{k * 900 + 10}"><v>{k}</v></c></row>'.encode()
                     for k in range(1, 165))
    path = rezip(WORKBOOK, tmp_path / "东山镇.xlsx", "一乡一品", lambda xml: add_cell(xml, cells))
    got = _measure_refusal(path)
    assert got.refusal[0] == "sheet_too_large" and "一乡一品" in got.refusal[1]


def _measure_refusal(path):
    start = time.perf_counter()
    fetched = fetch(path)
    assert time.perf_counter() - start < 10
    return fetched


def _col(n: int) -> str:
    from dangjian_analysis.intake._extent import address

    return address(1, n)[:-1]


def test_grid_bound_fast_path_and_placement():
    plain = (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ999"><v>2</v></c></row>'
             b'</sheetData></worksheet>')
    assert bound_cells(plain, str) is None
    tall = b'<worksheet><sheetData>' + b"".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>'.encode()
                                                 for i in range(1, 30000, 7)) + b"</sheetData></worksheet>"
    assert bound_cells(tall, str) is None                    # ≤ 99,999 rows × 26 columns
    no_ref = (b'<worksheet><sheetData><row r="3"><c><v>1</v></c></row><row><c><v>2</v></c></row>'
              + b'<row r="1048575"/><row>' + b"<c/>" * 16383 + b"<c><v>3</v></c></row></sheetData></worksheet>")
    far = bound_cells(no_ref, str)
    assert far.cells == {"XFD1048576": 3.0} and b"<v>3</v>" not in far.part and not far.refuse
    prefixed = (b'<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="1048576">'
                b'<x:c r="XFD1048576" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    far = bound_cells(prefixed, lambda i: ["共享"][i])
    assert far.cells == {"XFD1048576": "共享"} and b"XFD" not in far.part
    assert GRID_LIMIT >= 99_999 * 26


def test_one_bad_file_of_each_kind_never_ends_the_batch(tmp_path, catalog):
    rezip(WORKBOOK, tmp_path / "远处.xlsx", "一乡一品",
          lambda xml: add_cell(xml, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    (tmp_path / "空.csv").write_bytes(b"")
    (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "二进制.csv").write_bytes(bytes(range(256)))
    ds = load(tmp_path, catalog=catalog)
    status = dict(zip(ds.files["file"].map(lambda f: Path(f).name), ds.files["status"]))
    assert status == {"远处.xlsx": "loaded", "空.csv": "rejected", "旧.xls": "rejected", "二进制.csv": "rejected"}


def test_sheets_never_read_are_not_scanned_and_others_always_are(tmp_path, baseline):
    from dangjian_analysis.intake._sheetxml import relationships, unread_parts

    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    got = _measure(rezip(WORKBOOK, tmp_path / "说明.xlsx", "填报说明", lambda xml: add_cell(xml, far)))
    assert got["status"] == ["loaded"] and got["far"] == {} and got["observations"] == len(baseline.observations)
    # a worksheet stored outside xl/worksheets/ is found through the workbook's relationships
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(rezip(WORKBOOK, tmp_path / "a.xlsx", "一乡一品", lambda xml: add_cell(xml, far))) as zf, \
            zipfile.ZipFile(moved, "w") as out:
        part = {v: k for k, v in sheet_names(zf).items()}["一乡一品"]
        for info in zf.infolist():
            data = zf.read(info.filename).replace(part.removeprefix("xl/").encode(), b"data/s.bin")
            out.writestr("xl/data/s.bin" if info.filename == part else info.filename, data)
    got = _measure(moved)
    assert got["far"] == {"XFD1048576": 1.0} and got["observations"] == len(baseline.observations)
    # in any doubt about which part a skipped sheet is, every sheet is scanned
    workbook = ('<workbook><sheets><sheet name="名录" sheetId="1" r:id="rId1"/><sheet name="一乡一品" sheetId="2" '
                'r:id="rId2"/></sheets></workbook>')
    rels = (b'<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>%s'
            b'</Relationships>')
    plain = relationships(rels % b'<Relationship Id="rId2" Type="x/worksheet" Target="worksheets/sheet2.xml"/>')
    shared = relationships(rels % b'<Relationship Id="rId2" Type="x/worksheet" Target="/xl/worksheets/sheet1.xml"/>')
    assert unread_parts(workbook.encode(), plain, {"名录"}) == {"xl/worksheets/sheet1.xml"}
    assert unread_parts(workbook.encode(), shared, {"名录"}) == set()
    assert unread_parts(workbook.replace('"一乡一品"', '"名录"').encode(), plain, {"名录"}) == set()
    assert unread_parts(workbook.replace("一乡一品", "&#19968;").encode(), plain, {"名录"}) == set()
