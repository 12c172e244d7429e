"""The 通报 of the annual assessment (通报.docx), laid out after GB/T 9704—2012.

The elements, in order: 发文机关标志 (the catalogue's ``[notice] issuer`` + “文件”, red 小标宋),
发文字号 (``number`` with ``{year}`` / ``{next_year}`` filled, or the blank “〔    〕号” to fill),
the red separator line, 标题 (``title``; in a draft the catalogue's word for it after it, “（征求意见稿）”
by default), 主送机关 (``to``),
正文 — 一、基本情况 (units assessed per class, the rubric, the weights of the annual combination
in words), 二、考核结果 (by grade, best first, with counts; names in the catalogue's order of
units, never by score; 待定 units said to await the 部务会; units 取消评选资格 with their veto;
scores only when ``show_scores``), 三、工作要求 (each grade's 结果运用 and the 整改报告 deadline) —,
附件说明, 署名 and 成文日期 (``date`` in Chinese numerals, 二〇一七年二月二十日; blank
“    年  月  日” when absent), then 附件1 等次汇总表 on a new page, and the 版记 (抄送, 印发机关
and 印发日期) at the foot of the last page. Layout details in :mod:`._notice_layout`, the words in
:mod:`._notice_text`. Every text from a workbook or the catalogue passes through
:func:`~._safe.docx_text`. The same inputs give the same bytes (fixed core properties, fixed zip
times, no date of today).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["write_notice", "NOTICE_FILE"]

#: The file ``dangjian report`` writes the 通报 to.
NOTICE_FILE = "通报.docx"


def write_notice(results: pd.DataFrame, catalog, year: int, path, *, draft: bool = False,
                 rectification: bool = True, next_steps=None) -> Path:
    """Write the 通报 of ``year``'s assessment results; returns the path.

    Parameters
    ----------
    results : DataFrame
        :func:`~dangjian_analysis.metrics.annual.assessment_results` (any years; ``year`` is
        taken): ``year, unit, secretary, class, annual, grade`` and, where present, ``vetoes``,
        ``pending``, ``consequence``, ``rectify_days``. Not modified.
    catalog : Catalog
        Gives ``notice`` (required: 发文机关 and the rest of the paperwork), ``secretaries``
        (the order units are named in), ``assessment`` (grades, rubric, 结果运用; may be None)
        and ``review.annual`` (the weights of the annual combination).
    year : int
        The assessment year.
    path : str or Path
        The ``.docx`` to write (its folder is created).
    draft : bool
        A draft for comment: the catalogue's word for a draft (``catalog.draft_word``, default
        征求意见稿) after the title, in （…）, and in the page header. While no unit has a grade,
        考核结果 is one sentence and there is no 附件1 汇总表 (the 整改清单, if any, is 附件1).
    rectification : bool
        Whether the 整改清单 (:func:`~.rectify_book.write_rectification`) goes with the 通报 as
        附件2 (named in 附件说明 and in 工作要求).
    next_steps : sequence of str, optional
        The analyst's 下一步工作 (``Narrative.paragraphs("下一步工作")``): 工作要求 closes with them
        instead of the general paragraph.

    Raises
    ------
    ValueError
        One Chinese line when the catalogue has no ``[notice]`` or ``results`` has no row of ``year``.

    >>> write_notice(results, catalog, 2015, "report/通报.docx")  # doctest: +SKIP
    """
    from docx import Document

    from . import _notice_layout as nl
    from ._docx import BODY_FONT, H1_FONT, fix_properties
    from ._notice_text import draft_word, notice_text
    from ._safe import writing
    from ._xlsx import save_deterministic

    notice = getattr(catalog, "notice", None)
    if notice is None:
        raise ValueError("目录（catalog.toml）中没有 [notice] 一节（至少写 issuer = \"中共××县委组织部\"），不能生成通报")
    if "year" in results and not (results["year"] == year).any():
        raise ValueError(f"考核结果中没有 {year} 年度的单位，不能生成 {year} 年度的通报")
    words = notice_text(results, catalog, year, notice=notice, draft=draft, rectification=rectification,
                        next_steps=next_steps)
    doc = Document()
    nl.setup_notice(doc)
    with writing(Path(path).name):
        nl.header_block(doc, words.issuer, words.number)
        nl.title_block(doc, words.title, words.to)
        for kind, text in words.body:
            if kind == "h2p":
                nl.lead_paragraph(doc, *text)
            else:
                nl.paragraph(doc, text, H1_FONT if kind == "h1" else BODY_FONT)
        if words.annex:
            nl.annex_note(doc, words.annex)
        nl.signature_block(doc, words.signature, words.date)
        if words.annex_title:                 # no 汇总表 while no unit has a grade
            nl.annex_page(doc, 1, words.annex_title)
            nl.summary_table(doc, words.table)
        nl.record_block(doc, words.cc, words.printed_by, words.printed_on)
    nl.page_numbers(doc)
    if draft:
        nl.draft_header(doc, draft_word(catalog))
    fix_properties(doc, words.title)
    doc.core_properties.subject = "考核结果通报"
    return save_deterministic(doc, path)
