"""The yearly report as a Word document (report.docx) in the layout county offices use.

GB/T 9704 is the model: A4 portrait, margins 37/35/28/26 mm, title in 小标宋, body in 仿宋 3号,
level-1 headings 一、… in 黑体, level-2 (一)… in 楷体, page numbers “— 1 —” in the footer
(helpers in :mod:`._docx`). The content, in order: title and date line; 一、主要结论
(:func:`~dangjian_analysis.documents.conclusions.report_conclusions`); the ranking, the 五大工程
sub-indices, 一乡一品, funding targets, 倒排 and 晋位升级, 述职评议, conduct (台账/驻点), data
quality, method and the appendix of files (:mod:`.report_content`, shared with the HTML).
Texts are made safe for Word by :func:`~._safe.docx_text` (in :mod:`._docx`). The same inputs
give a byte-identical file.
"""

from __future__ import annotations

from pathlib import Path

from .report_content import OUTPUT_FILES, ReportWriter, chart_pictures, write_content

__all__ = ["write_report_docx"]


class _DocxWriter(ReportWriter):
    """The report's content as Word paragraphs, tables and pictures (helpers in :mod:`._docx`)."""

    def __init__(self, doc, pictures):
        super().__init__(pictures)
        self.doc = doc

    def _heading(self, text: str, level: int) -> None:
        from ._docx import add_heading

        add_heading(self.doc, text, level)

    def _paragraph(self, text: str) -> None:
        from ._docx import add_body

        add_body(self.doc, text)

    def _table(self, frame, percent, name_columns, digits: int = 1) -> None:
        from ._docx import add_table

        if self.doc.paragraphs:                 # the line introducing a table stays on its page
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        add_table(self.doc, frame, percent=percent, name_columns=name_columns, digits=digits)

    def _picture(self, png: bytes, caption: str) -> None:
        """The chart at text width, its caption centred under it."""
        import io

        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        from ._docx import TEXT_WIDTH_MM, add_body

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.line_spacing = 1.0
        p.add_run().add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
        add_body(self.doc, caption, size=14, centre=True)


def write_report_docx(model, out_path, *, charts=None, outputs=OUTPUT_FILES) -> Path:
    """Write the yearly report as a Word document; returns the path.

    Parameters
    ----------
    model : ReportModel
        :func:`~dangjian_analysis.documents.model.build_model`'s result.
    out_path : str or Path
        The ``.docx`` to write (its folder is created).
    charts : list of dict, optional
        The rendered charts (:func:`~dangjian_analysis.documents.pipeline.draw_charts`): each
        is placed without its title band; without them the document has no pictures.
    outputs : list of (str, str)
        The files the appendix lists with what each is for.

    >>> write_report_docx(model, "report/report.docx", charts=charts)  # doctest: +SKIP
    """
    from docx import Document

    from . import _docx as dx
    from ._safe import writing
    from ._xlsx import save_deterministic

    doc = Document()
    dx.setup_document(doc)
    dx.add_title(doc, model.title, f"县委组织部　{model.year}年度考核数据")
    with writing(Path(out_path).name):
        write_content(_DocxWriter(doc, chart_pictures(charts)), model, outputs=outputs)
    dx.add_page_number(doc)
    dx.fix_properties(doc, model.title)
    return save_deterministic(doc, out_path)
