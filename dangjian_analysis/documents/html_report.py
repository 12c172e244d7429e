"""The yearly report as one self-contained HTML page for the leadership (report.html).

The same content as the Word report (:mod:`.report_content`): the title, 一、主要结论, the
sections in the same order, the appendix of files last. Everything is inline — styles and the
charts as ``data:`` PNGs — so the page loads nothing from any host. Text columns are
left-aligned, numbers right-aligned with fixed decimals, names never broken
(``white-space: nowrap``; headers break only at punctuation, ``word-break: keep-all``). For
print: A4 ``@page`` margins, header rows repeated on each page, rows never split, headings kept
with what follows. The same inputs give the same bytes. Every text goes through
:func:`~._safe.html_text`: escaped, control and bidi characters shown as marks (a U+202E in a
village name reorders nothing), a paragraph over 2,000 characters, a table cell over 500, cut
with “…（已截断，全文见 summary.xlsx 或 data/ 文件夹中的同一张表）”.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd

from ._safe import CELL_LIMIT, html_text, writing
from .report_content import OUTPUT_FILES, ReportWriter, chart_pictures, write_content

__all__ = ["write_report_html", "REPORT_CSS"]

#: The page's style sheet: Chinese official faces where the reader has them, generic ones otherwise.
REPORT_CSS = """
@page { size: A4; margin: 22mm 20mm 22mm 20mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 11pt; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC",
       "Source Han Serif SC", "SimSun", serif; font-size: 13pt; line-height: 1.8; color: #111;
       max-width: 176mm; margin: 0 auto; padding: 10mm 4mm; background: #fff; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "SimSun", "宋体", "Noto Serif CJK SC", serif;
     font-size: 21pt; font-weight: normal; text-align: center; margin: 0 0 .2em; line-height: 1.5; }
.date { font-family: "KaiTi", "楷体", "STKaiti", "Noto Serif CJK SC", serif; text-align: center; margin-bottom: 1.5em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 15pt;
     font-weight: normal; margin: 1.2em 0 .4em; break-after: avoid; page-break-after: avoid; }
h3 { font-family: "KaiTi", "楷体", "STKaiti", "Noto Serif CJK SC", serif; font-size: 14pt; font-weight: bold;
     margin: .9em 0 .3em; break-after: avoid; page-break-after: avoid; }
p { text-indent: 2em; margin: .25em 0; text-align: justify; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: .5em auto 1em; font-size: 10pt; line-height: 1.45; }
th, td { border: 1px solid #777; padding: 2px 6px; vertical-align: top; }
th { background: #eee; text-align: center; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
     font-weight: normal; word-break: keep-all; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { text-align: left; }
td.name { text-align: left; white-space: nowrap; }
thead { display: table-header-group; }
tr, img { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .8em 0 1.2em; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 11pt; }
@media print { body { max-width: none; padding: 0; } .wide { overflow: visible; } }
"""


class _HtmlWriter(ReportWriter):
    """The report's content as HTML elements (text escaped, pictures inline)."""

    def __init__(self, pictures):
        super().__init__(pictures)
        self.parts: list[str] = []

    def _heading(self, text: str, level: int) -> None:
        self.parts.append(f"<h{level + 1}>{html_text(text)}</h{level + 1}>")

    def _paragraph(self, text: str) -> None:
        self.parts.append(f"<p>{html_text(text)}</p>")

    def _table(self, frame: pd.DataFrame, percent, name_columns, digits: int = 1) -> None:
        from ._text import cell_text, is_number

        kind = {c: "num" if is_number(frame[c]) else "name" if c in name_columns else "text" for c in frame.columns}
        head = "".join(f"<th>{html_text(str(c))}</th>" for c in frame.columns)

        def td(c, v):
            return f'<td class="{kind[c]}">{html_text(cell_text(v, str(c), percent, digits), limit=CELL_LIMIT)}</td>'

        rows = ["<tr>" + "".join(td(c, v) for c, v in zip(frame.columns, row)) + "</tr>"
                for row in frame.itertuples(index=False)]
        self.parts.append(f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>'
                          + "\n".join(rows) + "</tbody></table></div>")

    def _picture(self, png: bytes, caption: str) -> None:
        data = base64.b64encode(png).decode("ascii")
        self.parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html_text(caption)}">'
                          f"<figcaption>{html_text(caption)}</figcaption></figure>")


def write_report_html(model, out_path, *, charts=None, outputs=OUTPUT_FILES) -> Path:
    """Write the yearly report as a self-contained HTML page; returns the path.

    Parameters are those of :func:`~dangjian_analysis.documents.docx_report.write_report_docx`.

    >>> write_report_html(model, "report/report.html", charts=charts)  # doctest: +SKIP
    """
    title, year = model.title, model.year
    w = _HtmlWriter(chart_pictures(charts))
    with writing(Path(out_path).name):
        write_content(w, model, outputs=outputs)
    page = ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html_text(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
            f"<h1>{html_text(title)}</h1>\n<div class=\"date\">县委组织部　{year}年度考核数据</div>\n"
            + "\n".join(w.parts) + "\n</body>\n</html>\n")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, "utf-8")
    return out_path
