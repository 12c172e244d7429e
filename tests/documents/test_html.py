"""report.html for leaders: the docx's content in the same order, inline, Chinese, printable."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest

from dangjian_analysis.catalog import load_catalog

from dangjian_analysis.documents.report_content import OUTPUT_FILES
from helpers import NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def page(report_dir):
    return (report_dir / "report.html").read_text("utf-8")


def _tags(page, tag):
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)]


def test_opens_with_title_and_the_docx_conclusions_then_the_same_sections(page, report_dir):
    from test_display import visible_text

    body = visible_text(page[page.index("<body>"):])
    assert body.split()[0] == "示例县（虚构）2015年度基层党建考核报告"
    headings = _tags(page, "h2")
    assert headings[0] == "一、主要结论" and headings[-1] == "附录　数据文件与输出文件"
    document = docx.Document(str(report_dir / "report.docx"))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert [t for t in texts if re.match("[一二三四五六七八九十]+、|附录", t)] == headings
    conclusions = [t for t in texts if re.match(r"\d\. ", t)]
    assert 5 <= len(conclusions) <= 8
    paragraphs = _tags(page, "p")
    assert paragraphs[:len(conclusions)] == conclusions        # the same sentences, first thing after the title
    # file counts and the list of output files are in the appendix, not at the top
    appendix = page.index("附录　数据文件与输出文件")
    # 县级数据.xlsx is named earlier only as the 依据 of a 考核细则 entry (cell by cell), never at the top
    assert page.index("县级数据.xlsx") > page.index("八、述职评议与年度考核") and page.index("manifest.json") > appendix
    assert "县级数据.xlsx" in page[appendix:]
    assert page.index("本报告读取的 11 个文件") > appendix


def test_no_remote_url_and_every_chart_inline(page):
    assert not re.search(r"(https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}", page.replace("http://www.w3.org/2000/svg", ""))
    assert "<script" not in page and "<link" not in page and "@import" not in page
    images = re.findall(r'<img src="([^"]{0,40})', page)
    assert len(images) == 11 and all(src.startswith("data:image/png;base64,") for src in images)
    captions = _tags(page, "figcaption")
    assert captions[0].startswith("图1　") and len(set(captions)) == 11


def test_no_english_word_visible(page):
    from test_display import english_in, visible_text

    text = visible_text(page)
    assert english_in(text) == []
    names = {n.rstrip("/") for n, _ in OUTPUT_FILES} | {"summary.xlsx"}
    words = set(re.findall(r"[\w./-]*[A-Za-z][\w./-]*", text))      # a file name is one word with its stem
    leftover = {w for w in words if w.rstrip("./") not in names and not re.fullmatch(r"[^\sA-Za-z]+\.(csv|xlsx)", w)}
    # the 考核细则's item numbers (A01, T02 …) and the cells its 依据 names (C118) are how the county writes them
    rubric = load_catalog().assessment
    ids = {e.id for e in (*rubric.items, *rubric.bonus, *rubric.deductions, *rubric.vetoes, *rubric.gates)}
    cells = {w for w in leftover if re.fullmatch(r"[A-Z]{1,3}[1-9]\d*(:[A-Z]{1,3}[1-9]\d*)?", w)}
    assert ids & leftover and cells
    assert leftover - ids - cells == set()


def test_tables_align_text_left_numbers_right_and_names_never_wrap(page, sample_facts):
    assert "td.num { text-align: right; white-space: nowrap;" in page
    assert "td.name { text-align: left; white-space: nowrap; }" in page
    assert "word-break: keep-all" in page                       # headers break only at punctuation
    ranking = re.search(r"<table>.*?</table>", page, flags=re.S).group(0)
    assert "<thead><tr><th>排名</th><th>乡镇</th><th>综合指数</th><th>等次</th>" in ranking
    facts = sample_facts
    assert (f'<td class="name">{facts["top"]}</td><td class="num">{facts["top_score"]}</td>'
            f'<td class="text">{facts["top_grade"]}</td>') in ranking


def test_print_css(page):
    assert "@page { size: A4;" in page and 'content: "— " counter(page) " —"' in page     # page numbers
    assert "thead { display: table-header-group; }" in page
    assert re.search(r"tr, img \{ break-inside: avoid;", page)
    assert re.search(r"h2 \{[^}]*break-after: avoid", page) and re.search(r"h3 \{[^}]*break-after: avoid", page)


@NEEDS_CHROMIUM
def test_prints_to_a4_pdf_in_headless_chromium(report_dir, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    pdf = tmp_path / "report.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", (report_dir / "report.html").resolve().as_uri()],
                   capture_output=True, timeout=180)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert sizes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in sizes)
    assert 6 <= len(sizes) <= 30
