"""Private: the narrative file's paragraphs sorted under their headings (:mod:`.narrative`).

:func:`read_docx_paragraphs` gives ``(text, is_heading)`` for every non-empty paragraph of the
body (a heading: a Word heading style — Heading n / 标题 n / Title — or an outline level);
:func:`parse_paragraphs` walks them once, keeping a current place (a county part, or a township
and one of its parts). Names are compared after :func:`heading_key` (numbering such as 一、,
（一）, (1), 1., 1、, 第一部分, ① and a trailing colon removed, spaces dropped). Paragraphs are
numbered as the warnings say them: 第 N 段 counts the non-empty paragraphs from 1.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

__all__ = ["read_docx_paragraphs", "parse_paragraphs", "heading_key", "stated_year", "COUNTY_NAMES", "TOWNSHIP_NAMES"]

#: Heading texts (after :func:`heading_key`) → county part.
COUNTY_NAMES = {
    "主要成效": "主要成效", "工作成效": "主要成效", "取得的成效": "主要成效", "主要成绩": "主要成效",
    "成效": "主要成效", "工作成绩": "主要成效",
    "存在问题": "存在问题", "存在的问题": "存在问题", "主要问题": "存在问题", "存在的不足": "存在问题",
    "问题和不足": "存在问题", "存在的问题和不足": "存在问题",
    "下一步工作": "下一步工作", "下一步工作打算": "下一步工作", "下一步打算": "下一步工作",
    "下一步工作安排": "下一步工作", "下一步工作措施": "下一步工作", "工作打算": "下一步工作",
}
#: Heading texts → township part.
TOWNSHIP_NAMES = {
    "亮点": "亮点", "工作亮点": "亮点", "主要亮点": "亮点", "特色亮点": "亮点", "成效亮点": "亮点",
    "问题": "问题", "存在问题": "问题", "存在的问题": "问题", "主要问题": "问题", "问题短板": "问题",
    "短板": "问题", "问题和不足": "问题",
    "整改要求": "整改要求", "整改意见": "整改要求", "整改措施": "整改要求", "整改建议": "整改要求",
}
#: Headings that open the townships' parts (a grouping, no text of its own).
_GROUPS = {"各乡镇", "乡镇部分", "分乡镇", "各乡镇情况", "乡镇", "各乡镇亮点问题和整改要求", "分乡镇情况"}
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十\d]+(?:部分|章|节|条)|[（(][一二三四五六七八九十\d]+[）)]"
                        r"|[一二三四五六七八九十]+[、．.]|\d+(?:\.\d+)*[、．.]?|[①-⑳])\s*")
_IGNORED = ("【说明】",)


def heading_key(text: str) -> str:
    """``text`` as a heading name: numbering, a trailing colon or full stop and spaces removed."""
    key = re.sub(r"\s+", "", text)
    key = _NUMBERING.sub("", key, count=1)
    return key.rstrip("：:。.")


def stated_year(paragraphs) -> int | None:
    """The year the file's title names (its first paragraph, “……2015年度……”), None without one."""
    match = re.search(r"((?:19|20)\d\d)\s*年", paragraphs[0][0]) if paragraphs else None
    return int(match.group(1)) if match else None


def read_docx_paragraphs(path: Path) -> tuple[list[tuple[str, bool]], str | None]:
    """``([(text, is_heading), …], problem)``: the non-empty body paragraphs of a ``.docx`` in
    order (tables' text is not read), or ``([], why)`` when the file cannot be read as one."""
    if path.suffix.lower() != ".docx":
        return [], f"不是 .docx 文件（“{path.suffix}”），请用 Word 或 WPS 另存为 .docx"
    try:
        from docx import Document

        doc = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - an empty, damaged or renamed file: said, never raised
        return [], f"不是可以打开的 Word 文档（{type(exc).__name__}），可能是空文件或已损坏"
    out = []
    for p in doc.paragraphs:
        text = p.text.strip()
        if text:
            out.append((text, _is_heading(p)))
    return out, None


def _is_heading(p) -> bool:
    from docx.oxml.ns import qn

    name = (p.style.name if p.style is not None else "") or ""
    if name.startswith(("Heading", "heading", "标题", "Title")):
        return True
    ppr = p._p.pPr
    return ppr is not None and ppr.find(qn("w:outlineLvl")) is not None


def _townships(townships) -> dict[str, str]:
    """Heading text → township: each name, its aliases and its name without 镇/乡/街道 (when that
    short name is not another township's)."""
    names: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    for name, aliases in zip(townships["unit_name"], townships["aliases"]):
        for n in (name, *(aliases or ())):
            names[heading_key(str(n))] = name
        stem = re.sub(r"(镇|乡|街道|街道办事处)$", "", str(name))
        if stem and stem != name:
            short.setdefault(stem, []).append(name)
    for stem, owners in short.items():
        if len(owners) == 1 and stem not in names:
            names[stem] = owners[0]
    return names


def _looks_like_township(text: str, key: str) -> bool:
    """A short line, not a sentence, ending as a township's name does (东山乡, （三）石桥街道):
    an unknown township."""
    return (len(key) <= 8 and not text.rstrip().endswith(("。", "."))
            and bool(re.search(r"(镇|乡|街道)(党委)?$", key)) and not re.search(r"[，。；、,;]", key))


class _Place:
    """Where the walk is: a county part, or a township and (maybe) one of its parts."""

    def __init__(self):
        self.county: str | None = None
        self.township: str | None = None
        self.part: str | None = None
        self.started = False


def parse_paragraphs(paragraphs, townships, shown: str):
    """``(county, townships, warnings)`` from :func:`read_docx_paragraphs`' paragraphs:
    ``county`` part → paragraphs, ``townships`` township → part → paragraphs (read-only
    mappings; prompts left out), ``warnings`` Chinese lines naming ``shown`` and the paragraph."""
    from .narrative import PROMPT_MARK

    town_names = _townships(townships)
    county: dict[str, list[str]] = {}
    towns: dict[str, dict[str, list[str]]] = {}
    warnings: list[str] = []
    at = _Place()
    for n, (text, styled) in enumerate(paragraphs, start=1):
        where = f"{shown} 第 {n} 段“{text[:30]}”"
        if _heading(at, text, styled, town_names, warnings, where):
            continue
        if text.startswith(_IGNORED) or not at.started:
            continue
        if text.startswith(PROMPT_MARK):
            continue
        if at.county:
            county.setdefault(at.county, []).append(text)
        elif at.township and at.part:
            towns.setdefault(at.township, {}).setdefault(at.part, []).append(text)
        elif at.township:
            warnings.append(f"{where}在“{at.township}”之下，但不在亮点、问题、整改要求任一标题之下，未采用")
        elif at.part == "?":
            continue                              # under a heading already warned about
        else:
            warnings.append(f"{where}不在主要成效、存在问题、下一步工作或乡镇的标题之下，未采用")
    frozen = {t: MappingProxyType({p: tuple(v) for p, v in parts.items()}) for t, parts in towns.items()}
    return (MappingProxyType({p: tuple(v) for p, v in county.items()}), MappingProxyType(frozen), warnings)


def _heading(at: _Place, text: str, styled: bool, town_names: dict, warnings: list, where: str) -> bool:
    """Move ``at`` when the paragraph ``text`` is a heading; whether it was one."""
    key = heading_key(text)
    if at.township and key in TOWNSHIP_NAMES:
        at.started, at.part = True, TOWNSHIP_NAMES[key]
        return True
    if key in COUNTY_NAMES:
        at.started, at.county, at.township, at.part = True, COUNTY_NAMES[key], None, None
        return True
    town = town_names.get(key) or town_names.get(re.sub(r"党委$", "", key))
    if town:
        at.started, at.county, at.township, at.part = True, None, town, None
        return True
    if key in _GROUPS:
        at.started, at.county, at.township, at.part = True, None, None, None
        return True
    if key in TOWNSHIP_NAMES:                    # 亮点 with no township above it
        warnings.append(f"{where}：“{key}”之上没有乡镇名标题，其下文字未采用")
        at.started, at.county, at.township, at.part = True, None, None, "?"
        return True
    if _looks_like_township(text, key):
        warnings.append(f"{where}：“{key}”不是目录中的乡镇（名称或别名），其下文字未采用")
        at.started, at.county, at.township, at.part = True, None, None, "?"
        return True
    if styled and at.started:
        warnings.append(f"{where}：不是可识别的标题（主要成效、存在问题、下一步工作，或乡镇名及其亮点、问题、"
                        "整改要求），其下文字未采用")
        at.county, at.township, at.part = None, None, "?"
        return True
    return styled                                  # the file's own title, before the first part
