"""The optional ``[template]`` section: the paperwork of the township template.

``[template]`` holds the reporting deadline and the county contact that the template writes on
its 填报说明 and in every sheet's print header; both may also be given to
:func:`~dangjian_analysis.write_template` (``deadline=``, ``contact=``), which take precedence::

    [template]
    deadline = 2017-01-15                      # a TOML date, or "2017-01-15" / "2017年1月15日"
    contact = "组织部组织科 张三 0000-1234567"   # who answers the clerks' questions

Dates are shown as ``2017年1月15日`` (no leading zeros), the way an official notice writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ._checks import check_section

__all__ = ["Paperwork", "parse_deadline", "deadline_text", "build_paperwork", "PAPERWORK_KEYS"]

#: The keys of ``[template]``.
PAPERWORK_KEYS = frozenset({"deadline", "contact"})

_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class Paperwork:
    """``[template]``: ``deadline`` (a date or None) and ``contact`` (text or None)."""

    deadline: dt.date | None = None
    contact: str | None = None


def parse_deadline(value) -> dt.date:
    """A deadline as a date: a ``date``, or text ``2017-01-15``, ``2017/1/15``, ``2017.1.15``,
    ``2017年1月15日``.

    Raises
    ------
    ValueError
        In Chinese, quoting the text, for anything else (or a day that does not exist).

    Examples
    --------
    >>> parse_deadline("2017年1月15日")
    datetime.date(2017, 1, 15)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(f"报送截止日期“{value}”无法识别：请写成 2017-01-15 或 2017年1月15日")


def deadline_text(day: dt.date) -> str:
    """``2017年1月15日`` (no leading zeros).

    >>> deadline_text(dt.date(2017, 1, 5))
    '2017年1月5日'
    """
    return f"{day.year}年{day.month}月{day.day}日"


def build_paperwork(raw, fail) -> Paperwork:
    """``[template]`` of the parsed file (``raw`` the table or None); ``fail(key, message)``
    raises the catalogue's error for a key."""
    if raw is None:
        return Paperwork()
    check_section(raw, "template", PAPERWORK_KEYS, "deadline = 2017-01-15", fail)
    deadline = raw.get("deadline")
    if deadline is not None:
        try:
            deadline = parse_deadline(deadline)
        except ValueError as exc:
            fail("template.deadline", str(exc))
    contact = raw.get("contact")
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        fail("template.contact", f"应为文字（如 \"组织部组织科 张三 0000-1234567\"），实际为 {contact!r}")
    return Paperwork(deadline=deadline, contact=contact.strip() if contact else None)
