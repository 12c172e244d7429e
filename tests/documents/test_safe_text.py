"""Text from workbooks made safe for every output (documents._safe), per format and end to end.

Unit tests feed each format's function hand-written texts: NUL, ESC, U+202E, a 40,000-character
text, ``=1+1``. The end-to-end tests build one hostile copy of the sample county (a village name
holding U+202E, a value holding NUL and ESC, a 40,000-character text in a number cell and in the
四风台账 问题描述), run ``dangjian validate --xlsx`` and build the report once for the module,
and read every output back.
"""

from __future__ import annotations

import json

import io
import re
import zipfile

import openpyxl
import pytest

from dangjian_analysis.documents._safe import (CELL_LIMIT, XLSX_LIMIT, collect_cuts, console_text, csv_field, docx_text,
                                               html_text, pptx_text, writing, xlsx_text)
from dangjian_analysis.documents._xlsx import csv_safe, write_cell

from helpers import copy_sample, run_cli

#: What no output may hold: C0 controls other than tab, LF, CR; bidi controls; lone surrogates.
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
LONG = "长" * 40_000


# ---------------------------------------------------------------- one function per format

def test_xlsx_text_marks_controls_keeps_line_breaks_and_cuts_at_excels_limit():
    assert xlsx_text("68.7\x00\x1b") == "68.7〔U+0000〕〔U+001B〕"
    assert xlsx_text("甲\t乙\n丙\r丁") == "甲\t乙\n丙\r丁"            # a cell holds these
    assert xlsx_text("东山\u202e社区") == "东山〔U+202E〕社区"
    assert xlsx_text("\x7f\x85\ufffe") == "〔U+007F〕〔U+0085〕�"
    assert xlsx_text(12.5) == 12.5 and xlsx_text(None) is None
    with collect_cuts() as cuts, writing("summary.xlsx"):
        cut = xlsx_text(LONG, " data/issues.csv")
    end = "…（已截断，全文见 data/issues.csv）"
    assert len(cut) == XLSX_LIMIT and cut.endswith(end) and cut == LONG[:XLSX_LIMIT - len(end)] + end
    assert [(c.output, c.format, c.length, c.limit) for c in cuts] == [("summary.xlsx", "xlsx", 40_000, 32_767)]
    assert cuts[0].line().startswith("summary.xlsx：一段 40,000 字的文字超过 Excel 单元格的上限 32,767 字")
    assert xlsx_text("长" * XLSX_LIMIT) == "长" * XLSX_LIMIT         # at the limit: whole


def test_xlsx_limit_counts_utf16_units_as_excel_does():
    """𠀀 (U+20000, a rare character of names) is two UTF-16 units: 20,000 of them are 40,000 units."""
    cut = xlsx_text("𠀀" * 20_000)
    units = len(cut.encode("utf-16-le")) // 2
    assert units <= XLSX_LIMIT and units >= XLSX_LIMIT - 1 and cut.endswith("…（已截断，全文见源工作簿）")


def test_write_cell_keeps_a_formula_as_text_and_never_crashes():
    ws = openpyxl.Workbook().active
    assert (write_cell(ws, 1, 1, "=1+1").value, ws["A1"].data_type) == ("=1+1", "s")
    assert write_cell(ws, 2, 1, "村\x00名\u202e").value == "村〔U+0000〕名〔U+202E〕"
    assert len(write_cell(ws, 3, 1, LONG).value) == XLSX_LIMIT
    buffer = io.BytesIO()
    ws.parent.save(buffer)                                       # openpyxl writes it without complaint
    back = openpyxl.load_workbook(buffer).active
    assert back["A1"].value == "=1+1" and back["A2"].value == "村〔U+0000〕名〔U+202E〕"


def test_docx_text_is_what_python_docx_accepts():
    import docx

    paragraph = docx.Document().add_paragraph()
    with pytest.raises(ValueError):                              # what python-docx does with the raw text
        paragraph.add_run("a\x00b")
    assert docx_text("a\x00b\x1bc") == "a〔U+0000〕b〔U+001B〕c"
    assert docx_text("甲\r\n乙\r丙\t丁") == "甲\n乙\n丙\t丁"
    paragraph.add_run(docx_text("东山\u202e社区\x00"))
    assert paragraph.text == "东山〔U+202E〕社区〔U+0000〕"
    cut = docx_text("x" * 2_500)
    assert len(cut) == 2_000 and cut.startswith("x" * 1_900) and "已截断" in cut
    assert len(docx_text("x" * 600, limit=CELL_LIMIT)) == 500 == CELL_LIMIT     # a table cell of the report


def test_a_cut_never_leaves_half_a_mark():
    cut = docx_text("\u202e" * 1_000)                            # 8,000 characters once marked
    kept = cut[:cut.index("…（已截断")]
    assert kept == "〔U+202E〕" * (len(kept) // 8) and 1_950 < len(cut) <= 2_000


def test_pptx_text_limits_on_the_slide_and_in_the_notes():
    assert pptx_text("a\x1bb") == "a〔U+001B〕b"                           # python-pptx would write a_x001B_b
    assert len(pptx_text(LONG)) == 1_000 and pptx_text(LONG).endswith("全文见 report.docx）")
    assert len(pptx_text(LONG, notes=True)) == 20_000
    assert pptx_text("长" * 1_000) == "长" * 1_000


def test_html_text_marks_then_escapes():
    assert html_text("<b>东山\u202e社区</b> & \x00") == "&lt;b&gt;东山〔U+202E〕社区&lt;/b&gt; &amp; 〔U+0000〕"
    assert html_text('"x"') == "&quot;x&quot;"
    cut = html_text(LONG)
    assert len(cut) == 2_000 and cut.endswith("…（已截断，全文见 summary.xlsx 或 data/ 文件夹中的同一张表）")


def test_csv_field_keeps_the_full_text_and_makes_formulas_inert():
    assert csv_field("=1+1") == "'=1+1" and csv_field("-3") == "'-3" and csv_field("@A1") == "'@A1"
    assert csv_field("+86") == "'+86" and csv_field("东山镇") == "东山镇" and csv_field(12.5) == 12.5
    assert csv_field("a\x00\u202eb\r\n") == "a〔U+0000〕〔U+202E〕b\r\n"
    assert csv_field(LONG) == LONG                               # the CSV is where the full text stays
    import pandas as pd

    frame = pd.DataFrame({"说明": ["=1+1", "a\x1b", None], "数值": [1.0, 2.0, 3.0]})
    before = frame.copy()
    safe = csv_safe(frame)
    assert safe["说明"].tolist()[:2] == ["'=1+1", "a〔U+001B〕"] and pd.isna(safe["说明"].iloc[2]) and safe["数值"].tolist() == [1.0, 2.0, 3.0]
    pd.testing.assert_frame_equal(frame, before)                 # the input is not changed


def test_console_text_never_fails_to_print():
    assert console_text("\x1b[31m红\x1b[0m\r") == "〔U+001B〕[31m红〔U+001B〕[0m〔U+000D〕"   # no terminal escape, no overwritten line
    name = b"\xb6\xab\xc9\xbd.xlsx".decode("utf-8", "surrogateescape")   # 东山 in GBK, read as a file name
    shown = console_text(name)              # B6 AB are not UTF-8 (two lone surrogates); C9 BD happen to be ɽ
    assert shown == "��ɽ.xlsx" and shown.encode("utf-8")
    assert console_text("甲\t乙\n") == "甲\t乙\n" and console_text("长" * 40_000) == "长" * 40_000


def test_nothing_is_recorded_outside_collect_cuts_and_nested_collectors_both_see_a_cut():
    xlsx_text(LONG)                                              # no collector: cut, nothing raised
    with collect_cuts() as outer:
        with collect_cuts() as inner, writing("report.html"):
            html_text(LONG)
        docx_text("短")
    assert len(outer) == len(inner) == 1 and outer[0].output == "report.html"


# ---------------------------------------------------------------- end to end

def _patch_xml(path, replacements: dict) -> None:
    """Replace text in a workbook's XML parts: Excel writes a control character in a cell as
    ``_x0000_``, which openpyxl cannot be asked to write."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            for old, new in replacements.items():
                data = data.replace(old.encode(), new.encode())
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A copy of the sample county (as ``sample_copy``, module-scoped): 东山镇 村级指标 B4 a village
    name with U+202E, H5 ``68.7`` followed by NUL and ESC, H6 40,000 characters; 县级数据 四风台账 C2
    (问题描述) 40,000 characters."""
    folder = copy_sample(tmp_path_factory.mktemp("hostile") / "returned")
    town = folder / "东山镇.xlsx"
    wb = openpyxl.load_workbook(town)
    ws = wb["村级指标"]
    ws["B4"], ws["H5"], ws["H6"] = "东山\u202e社区", "CONTROL-HERE", LONG
    wb.save(town)
    _patch_xml(town, {"CONTROL-HERE": "68.7_x0000__x001B_"})
    county = folder / "县级数据.xlsx"
    wb = openpyxl.load_workbook(county)
    wb["四风台账"]["C2"] = LONG
    wb.save(county)
    return folder


@pytest.fixture(scope="module")
def report(hostile, tmp_path_factory):
    """The report of the hostile copy, built once in process, with the cuts it recorded."""
    from dangjian_analysis.documents.pipeline import build_report

    with collect_cuts() as cuts:
        out = build_report(hostile, out=tmp_path_factory.mktemp("report") / "report", progress=False)
    return out, cuts


def _messages(path, sheet, head_row):
    ws = openpyxl.load_workbook(path)[sheet]
    head = [c.value for c in ws[head_row]]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=head_row + 1, values_only=True)]
    return {(r["工作表"], r["单元格"]): r["说明"] for r in rows if r.get("单元格")}, rows


def _no_raw(texts) -> None:
    for text in texts:
        assert not RAW.search(str(text)), repr(str(text)[:80])


def test_validate_xlsx_finishes_and_the_issue_list_shows_the_marks(hostile, tmp_path):
    out = tmp_path / "问题清单.xlsx"
    result = run_cli("validate", str(hostile), "--xlsx", str(out))
    assert result.returncode == 1, result.stderr                 # errors found: the usual status
    assert "内部错误" not in result.stderr + result.stdout
    by_cell, rows = _messages(out, "问题清单", 1)
    assert "“东山〔U+202E〕社区”" in by_cell[("村级指标", "B4")]
    assert "“68.7〔U+0000〕〔U+001B〕”" in by_cell[("村级指标", "H5")]
    long = by_cell[("村级指标", "H6")]
    assert len(long) == XLSX_LIMIT and long.startswith("群众满意度") and "…（已截断，全文见" in long[-40:]
    _no_raw(v for r in rows for v in r.values() if isinstance(v, str))
    summary = openpyxl.load_workbook(out)["文件汇总"]
    notes = [c.value for c in summary["A"] if isinstance(c.value, str) and c.value.startswith("[提示]")]
    assert notes and all("问题清单.xlsx：一段" in n and "全文见 dangjian validate --json 的输出" in n for n in notes)
    printed = run_cli("validate", str(hostile), "--json")
    assert not RAW.search(printed.stdout) and "〔U+202E〕" in printed.stdout        # the terminal and JSON too


def test_report_finishes_and_summary_cuts_with_a_mark_pointing_at_the_csv(report):
    out, cuts = report
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["truncated"]
    assert recorded == [c.line() for c in cuts] and any(line.startswith("summary.xlsx：") for line in recorded)
    by_cell, rows = _messages(out / "summary.xlsx", "校验问题", 2)
    assert "“东山〔U+202E〕社区”" in by_cell[("村级指标", "B4")]
    assert "“68.7〔U+0000〕〔U+001B〕”" in by_cell[("村级指标", "H5")]
    long = by_cell[("村级指标", "H6")]
    assert len(long) == XLSX_LIMIT and long.endswith("…（已截断，全文见 data/issues.csv）")
    _no_raw(v for r in rows for v in r.values() if isinstance(v, str))


def test_the_csv_keeps_the_full_message_marked(report):
    import pandas as pd

    out, _ = report
    issues = pd.read_csv(out / "data" / "issues.csv", dtype=str, keep_default_na=False)
    message = issues.loc[issues["单元格"] == "H6", "说明"].iloc[0]
    assert len(message) > XLSX_LIMIT and "已截断" not in message
    assert "68.7〔U+0000〕〔U+001B〕" in issues.loc[issues["单元格"] == "H5", "说明"].iloc[0]
    _no_raw(issues.to_numpy().ravel())


def test_report_html_and_docx_show_the_marks_and_no_raw_character(report):
    import docx

    out, _ = report
    page = (out / "report.html").read_text("utf-8")
    document = docx.Document(out / "report.docx")
    words = "\n".join([p.text for p in document.paragraphs]
                      + [c.text for t in document.tables for row in t.rows for c in row.cells])
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells if "已截断" in c.text]
    assert {len(c) for c in cells} == {CELL_LIMIT}               # the 40,000-character message, cut in its table
    for text in (page, words):
        assert "东山〔U+202E〕社区" in text and "68.7〔U+0000〕〔U+001B〕" in text
        assert "…（已截断，全文见 summary.xlsx 或 data/ 文件夹中的同一张表）" in text
        _no_raw([text])
    with zipfile.ZipFile(out / "slides.pptx") as deck:
        _no_raw(deck.read(n).decode("utf-8") for n in deck.namelist() if n.endswith(".xml"))


def test_every_cut_is_recorded_with_the_file_that_cut_it(report):
    _, cuts = report
    outputs = {c.output for c in cuts}
    assert {"summary.xlsx", "report.docx", "report.html"} <= outputs
    summary = [c for c in cuts if c.output == "summary.xlsx"]
    assert all(c.where == " data/issues.csv" and c.length > XLSX_LIMIT for c in summary)
    assert all("已截断" in c.line() and c.line().startswith(c.output + "：") for c in cuts)
