"""The optional ``[report]`` section: the county's own words on the report's title page.

While townships or county tables are missing, or results are 待核实, every document of the year
is a draft and its title says so: ``（征求意见稿）`` by default, or the county's own word::

    [report]
    draft = "讨论稿"          # 草稿的标题标注（不写即“征求意见稿”）

The word is written inside full-width parentheses after the title, so it is plain text of one
to ten characters: no parentheses, brackets, quotes or line breaks of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._checks import check_section

__all__ = ["ReportWords", "build_report_words", "REPORT_KEYS", "DEFAULT_DRAFT"]

#: The keys of ``[report]``.
REPORT_KEYS = frozenset({"draft"})
#: The draft word when the catalogue gives none.
DEFAULT_DRAFT = "征求意见稿"
_MOST = 10
_NOT_IN_WORD = re.compile(r"[()（）\[\]【】〔〕《》<>\"“”'‘’\s]")


@dataclass(frozen=True)
class ReportWords:
    """``[report]``: ``draft``, the word a draft's title carries in （…） (default 征求意见稿)."""

    draft: str = DEFAULT_DRAFT


def build_report_words(raw, fail) -> ReportWords:
    """``[report]`` of the parsed file (``raw`` the table or None); ``fail(key, message)`` raises
    the catalogue's error for a key.

    Examples
    --------
    >>> build_report_words({"draft": " 讨论稿 "}, None).draft
    '讨论稿'
    >>> build_report_words(None, None).draft
    '征求意见稿'
    """
    if raw is None:
        return ReportWords()
    check_section(raw, "report", REPORT_KEYS, 'draft = "讨论稿"', fail)
    draft = raw.get("draft", DEFAULT_DRAFT)
    if not isinstance(draft, str) or not draft.strip():
        fail("report.draft", f"应为文字（如 \"讨论稿\"，草稿标题中写作“（讨论稿）”），实际为 {draft!r}")
    draft = draft.strip()
    bad = _NOT_IN_WORD.search(draft)
    if bad:
        fail("report.draft", f"“{draft}”中不能有“{bad.group()}”（标题会自动加括号，写作“（{DEFAULT_DRAFT}）”）"
             if not bad.group().isspace() else f"“{draft}”中不能有空格或换行（如 \"讨论稿\"）")
    if len(draft) > _MOST:
        fail("report.draft", f"“{draft}”有 {len(draft)} 个字，最多 {_MOST} 个字（如 \"讨论稿\"、\"征求意见稿\"）")
    return ReportWords(draft=draft)
