"""Private: the analyst's words in the yearly report (report.docx, report.html) and its draft note.

The county parts form one section right after 主要结论 — 二、主要成效、存在问题和下一步工作, with
(一) 主要成效, (二) 存在问题, (三) 下一步工作 — because the committee reads the opening pages: the
computed conclusions first, then the county's own assessment of them, then the tables that bear
them out. Each part's paragraphs are written as the analyst wrote them (made safe by the writer,
:mod:`._safe`); a missing part shows :data:`~.narrative.PENDING_TEXT`, and the draft's 报送情况
says what is missing (:func:`narrative_draft`).
"""

from __future__ import annotations

__all__ = ["write_narrative_section", "narrative_draft", "SECTION_TITLE"]

#: The section's level-1 heading.
SECTION_TITLE = "主要成效、存在问题和下一步工作"


def write_narrative_section(w, m) -> None:
    """The section on the :class:`~.report_content.ReportWriter` ``w`` from ``m.narrative``."""
    from .narrative import COUNTY_PARTS

    w.heading(SECTION_TITLE)
    for part in COUNTY_PARTS:
        w.subheading(part)
        for text in m.narrative.shown(part):
            w.text(text)


def narrative_draft(m) -> str:
    """The draft note's sentence on the narrative: the county parts missing by name, the
    townships with a part missing counted and named; ``""`` when nothing is missing."""
    from .narrative import COUNTY_PARTS, NARRATIVE_FILE, PENDING_TEXT

    missing = m.narrative.missing()
    if not missing:
        return ""
    county = [p for p in missing if p in COUNTY_PARTS]
    towns = list(dict.fromkeys(p.split(" ")[0] for p in missing if p not in COUNTY_PARTS))
    parts = ([f"全县的{'、'.join(county)}"] if county else []) + \
        ([f"{len(towns)} 个乡镇（{'、'.join(towns[:5])}{' 等' if len(towns) > 5 else ''}）的亮点、问题或整改要求"]
         if towns else [])
    source = m.narrative.source or NARRATIVE_FILE
    how = ("" if m.narrative.source else "（在数据文件夹中新建，可用 dangjian report --narrative-skeleton 生成带提示的初稿）")
    return (f"报告文字（{source}{how}）尚缺{'，'.join(parts)}，文中以“{PENDING_TEXT}”标出，"
            "补写后重新生成即可。")
