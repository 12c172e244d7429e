"""The optional ``[notice]`` section: the paperwork of the 通报 that announces the assessment.

The 通报 is laid out after GB/T 9704—2012 (党政机关公文格式); the catalogue gives what only the
county knows::

    [notice]
    issuer = "中共示例县委组织部"             # 发文机关标志和署名（必填）
    number = "示组通〔{next_year}〕1号"       # 发文字号；{year} 为考核年度，{next_year} 为次年；不写则留空待填
    title = "关于{year}年度党组织书记抓基层党建工作考核结果的通报"   # 标题（不写即此默认）
    to = "各乡镇党委，县直各党（工）委"         # 主送机关
    date = 2017-02-20                       # 成文日期（TOML 日期）；不写则留“    年  月  日”待填
    show_scores = false                     # 通报只写等次和名单；true 时附件写出得分
    cc = "县委办公室，县纪委监委"               # 抄送（可省略）
    printed_by = "中共示例县委组织部办公室"     # 印发机关（版记，可省略：同发文机关）

The 成文日期 is never today's date: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass

from ._checks import check_section
from .paperwork import parse_deadline

__all__ = ["Notice", "build_notice", "NOTICE_KEYS", "DEFAULT_TITLE"]

NOTICE_KEYS = frozenset({"issuer", "number", "title", "to", "date", "show_scores", "cc", "printed_by"})
DEFAULT_TITLE = "关于{year}年度党组织书记抓基层党建工作考核结果的通报"
_FIELDS = {"year", "next_year"}


@dataclass(frozen=True)
class Notice:
    """``[notice]``: ``issuer`` (发文机关), ``number`` and ``title`` (patterns with ``{year}`` /
    ``{next_year}``; ``number`` None when not given), ``to`` (主送机关), ``date`` (成文日期 or
    None), ``show_scores``, ``cc`` (抄送) and ``printed_by`` (印发机关; default the issuer)."""

    issuer: str
    number: str | None = None
    title: str = DEFAULT_TITLE
    to: str | None = None
    date: dt.date | None = None
    show_scores: bool = False
    cc: str | None = None
    printed_by: str | None = None

    def number_of(self, year: int) -> str | None:
        """The 发文字号 for the assessment of ``year`` (None when the catalogue gives none)."""
        return None if self.number is None else self.number.format(year=year, next_year=year + 1)

    def title_of(self, year: int) -> str:
        """The 标题 for the assessment of ``year``."""
        return self.title.format(year=year, next_year=year + 1)


def _pattern(value, key: str, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(f"notice.{key}", f"应为非空文字，实际为 {value!r}")
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError:
        names = {"?"}
    if names - _FIELDS:
        fail(f"notice.{key}", f"中只能用 {{year}}（考核年度）和 {{next_year}}（次年）两个占位，实际为 {value!r}"
                              "（花括号本身请写成 {{ }}）")
    return value.strip()


def build_notice(raw, fail) -> Notice | None:
    """``[notice]`` of the parsed file (``raw`` the table or None); ``fail(key, message)`` raises the
    catalogue's error for a key."""
    if raw is None:
        return None
    check_section(raw, "notice", NOTICE_KEYS, 'issuer = "中共××县委组织部"', fail)
    if "issuer" not in raw:
        fail("notice.issuer", "缺失（必填）：发文机关，如 \"中共××县委组织部\"")
    texts = {}
    for key in ("issuer", "to", "cc", "printed_by"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            fail(f"notice.{key}", f"应为非空文字，实际为 {value!r}")
        texts[key] = value.strip() if isinstance(value, str) else None
    date = raw.get("date")
    if date is not None:
        try:
            date = parse_deadline(date)
        except ValueError:
            fail("notice.date", f"成文日期“{date}”无法识别：请写成 2017-02-20 或 2017年2月20日")
    show = raw.get("show_scores", False)
    if not isinstance(show, bool):
        fail("notice.show_scores", f"应为 true 或 false，实际为 {show!r}")
    return Notice(issuer=texts["issuer"],
                  number=None if raw.get("number") is None else _pattern(raw["number"], "number", fail),
                  title=_pattern(raw.get("title", DEFAULT_TITLE), "title", fail), to=texts["to"], date=date,
                  show_scores=show, cc=texts["cc"], printed_by=texts["printed_by"] or texts["issuer"])
