"""Private: the options of ``dangjian report`` (the command's body is in :mod:`dangjian_analysis.cli`)."""

from __future__ import annotations

__all__ = ["add_report_arguments"]


def add_report_arguments(p) -> None:
    """The options of ``dangjian report``: data, year, out, check, pdf, soffice, svg, notebook,
    previous report, and the analyst's 报告文字 (``--narrative``, ``--narrative-skeleton``, ``--force``)."""
    p.add_argument("--data", metavar="PATH", nargs="+",
                   help="数据文件夹或文件，可给多个（如 数据/ 回收表2016/；默认自带的示例县 data/sample）")
    p.add_argument("--year", type=int, help="报告年度（默认数据中的最后一年）")
    p.add_argument("--out", metavar="DIR", default="report", help="输出文件夹（默认 report）")
    p.add_argument("--check", metavar="DIR", help="按 DIR/manifest.json 重新运行，检查每个输出文件是否仍然一致")
    p.add_argument("--pdf", action="store_true", help="另外把 report.docx 转为 report.pdf（需要 LibreOffice）")
    p.add_argument("--soffice", metavar="FILE",
                   help="LibreOffice 的 soffice 程序位置（默认在 PATH 和 Windows 的安装位置中查找）")
    p.add_argument("--svg", action="store_true", help="另外把每张图表写成 SVG（默认只写 PNG）")
    p.add_argument("--notebook", action="store_true",
                   help="另外写出运行过的报告笔记本 report.ipynb（需要 Jupyter；默认不写）")
    p.add_argument("--previous-report", metavar="DIR",
                   help="上一年的报告文件夹（默认在 --out 旁边查找）：指标体系改过时，说明上年数字按本年指标体系重算后的变化")
    p.add_argument("--narrative", metavar="FILE",
                   help="报告文字（主要成效、存在问题、下一步工作，各乡镇的亮点、问题、整改要求；Word 文件），"
                        "默认第一个数据文件夹中的 报告文字.docx")
    p.add_argument("--narrative-skeleton", action="store_true",
                   help="不生成报告，只写出带提示的报告文字初稿（写到 --narrative 或默认位置；已有时不覆盖）")
    p.add_argument("--force", action="store_true", help="与 --narrative-skeleton 一起用：覆盖已有的报告文字文件")
