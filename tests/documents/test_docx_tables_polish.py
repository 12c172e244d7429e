"""Word tables as the committee reads them (issue 25 §5): headers break between words and never
inside brackets, nested brackets read plainly, and no table leaves its header and one row (or
its last row) alone at a page foot."""

from __future__ import annotations

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

from dangjian_analysis.charts._text import header, plain_brackets, words
from dangjian_analysis.documents._docx import KEEP_ENDS, KEEP_WHOLE, add_table, setup_document


def test_nested_brackets_read_plainly():
    assert plain_brackets("驻点走访农户覆盖率（%（村均））") == "驻点走访农户覆盖率（%，村均）"
    assert plain_brackets("甲（乙（丙）丁）") == "甲（乙，丙，丁）"
    assert plain_brackets("村（社区）") == "村（社区）"          # one level: unchanged
    assert plain_brackets("综合指数") == "综合指数"


def test_headers_never_break_inside_brackets():
    assert words("主导产业产值（万元）") == ["主导产业", "产值", "（万元）"]
    assert header("主导产业产值（万元）", 4) == "主导产业\n产值\n（万元）"    # was 产值（ / 万元）
    assert header("村（社区）", 4) == "村（社区）"                       # was 村（ / 社区）
    assert header("名次区间(5–95%)", 4) == "名次区间\n(5–95%)"           # was cut into even pieces
    assert header("驻点走访农户覆盖率（%（村均））", 4) == "驻点走访\n农户覆盖率\n（%，村均）"
    assert header("示范创建工程") == "示范创建\n工程"                       # words as before


def _balanced(line: str) -> bool:
    depth = 0
    for c in line:
        depth += c in "（("
        depth -= c in "）)"
        if depth < 0 or depth > 1:
            return False
    return depth == 0


def test_every_header_of_the_report_keeps_its_brackets_whole(report_dir):
    document = docx.Document(str(report_dir / "report.docx"))
    seen = set()
    for table in document.tables:
        for cell in table.rows[0].cells:
            assert all(_balanced(line) for line in cell.text.split("\n")), cell.text
            seen.add(cell.text.replace("\n", ""))
    assert "主导产业产值（万元）" in seen and "村（社区）" in seen


def _kept(table) -> list[bool]:
    return [all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p")))
            for tr in table._tbl.tr_lst]


def _document():
    d = docx.Document()
    setup_document(d)
    d.add_paragraph("表中为各乡镇的数值：")
    return d


def test_a_short_table_moves_whole_with_its_intro():
    d = _document()
    table = add_table(d, pd.DataFrame({"乡镇": list("甲乙丙丁戊"), "数值": [1.0, 2, 3, 4, 5]}))
    assert _kept(table) == [True] * 5 + [False]          # header + 5 rows: every link but the last
    intro = table._tbl.getprevious()
    assert intro.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_a_long_table_keeps_its_head_and_foot_together():
    d = _document()
    n = KEEP_WHOLE + 10                                  # 40 rows + header: too long to move whole
    table = add_table(d, pd.DataFrame({"乡镇": [f"村{k}" for k in range(n)], "数值": [float(k) for k in range(n)]}))
    kept = _kept(table)
    assert len(kept) == n + 1
    assert kept[:KEEP_ENDS] == [True] * 3 and kept[KEEP_ENDS] is False   # header + 2 rows + the 3rd row linked
    assert kept[-1] is False and kept[-1 - KEEP_ENDS:-1] == [True] * 3  # the last 3 links of the foot
    assert sum(kept) == 2 * KEEP_ENDS


@pytest.mark.parametrize("rows", [1, KEEP_WHOLE - 1])
def test_header_always_kept_with_the_first_row(rows):
    d = _document()
    table = add_table(d, pd.DataFrame({"乡镇": ["甲"] * rows}))
    assert _kept(table)[0]
