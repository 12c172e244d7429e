"""The Chinese words an analyst may type for a choice: ``by="乡镇"``, ``level="村"``, ``method="极差"``.

Every function parameter of the API that takes one of a few fixed values (a level, a
normalisation method, a missing-value rule, …) accepts its English id **or** the Chinese word
the README uses for it, and turns it into the id here, with :func:`choice`. The results are
then the same as with the id (the tables record the id, e.g. in the ``method`` column).

Conventions
-----------
- :data:`CHOICES` maps a kind of choice to ``{id: (Chinese words …)}``; the first word of each
  id is the one the README and the messages use.
- Matching ignores white space and letter case, and reads full-width brackets as half-width
  (``村(社区)`` is ``村（社区）``); nothing else is guessed: an unknown word is a Chinese
  ``ValueError`` that lists every accepted word with its id.
- The words of one kind never collide (a test checks it): one word, one id.

Examples
--------
>>> choice("level", "村")
'village'
>>> choice("method", "目标达成度", name="method")
'target'
"""

from __future__ import annotations

import re

__all__ = ["CHOICES", "CHOICE_NAMES", "choice", "choice_words"]

#: kind → {id: Chinese words, the README's word first}.
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "level": {"township": ("乡镇", "乡镇级", "乡镇一级"),
              "village": ("村", "村（社区）", "村级", "村社区", "社区")},
    "attainment_by": {"unit": ("单位", "逐个单位", "每个单位"),
                      "township": ("乡镇", "按乡镇", "各乡镇")},
    "method": {"goalposts": ("固定区间", "固定目标区间", "目标区间"),
               "minmax": ("极差", "年内极差", "极差标准化", "最小最大"),
               "zscore": ("标准分", "z分数", "Z分"),
               "rank": ("百分位", "名次百分位", "排名百分位"),
               "target": ("目标达成度", "目标达成")},
    "missing": {"zero": ("不报不得分", "按0分计", "记0分", "0分"),
                "renormalise": ("重新归一", "重新归一化", "已报指标重新归一", "renormalize")},
    "normalization": {"vector": ("向量归一化", "向量"),
                      "minmax": ("极差标准化", "极差")},
    "rating_by": {"rater_group": ("评议人类别", "评议组", "按评议人类别", "评议人"),
                  "type": ("书记类别", "书记类型", "按书记类别", "类别")},
    "direction": {"higher": ("越高越好",), "lower": ("越低越好",), "monitor": ("只监测",)},
    "aggregate": {"sum": ("合计",), "mean": ("平均",), "share_meeting_target": ("达标村占比",)},
    "rounding": {"floor": ("向下取整",), "round": ("四舍五入",), "ceil": ("向上取整",)},
}

#: kind → what the choice is, in the messages.
CHOICE_NAMES = {"level": "层级", "attainment_by": "统计口径", "method": "标准化方法", "missing": "缺报规则",
                "normalization": "归一化方法", "rating_by": "分组方式", "direction": "方向",
                "aggregate": "汇总方式", "rounding": "取整方式"}

_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_BRACKETS).casefold()


def choice_words(kind: str, allowed=None) -> str:
    """The accepted words of ``kind`` for a message: ``乡镇（township）或 村（village）``."""
    options = [f"{words[0]}（{cid}）" for cid, words in CHOICES[kind].items() if allowed is None or cid in allowed]
    return "、".join(options[:-1]) + f"或 {options[-1]}" if len(options) > 1 else options[0]


def choice(kind: str, value, *, name: str | None = None, allowed=None) -> str:
    """The id of ``value``, given as an id or one of the Chinese words of ``kind``.

    Parameters
    ----------
    kind : str
        A key of :data:`CHOICES`.
    value : str
        What the analyst typed.
    name : str, optional
        The parameter, for the message (default: ``kind``).
    allowed : iterable of str, optional
        The ids this parameter takes (default: all of ``kind``).

    Returns
    -------
    str
        The id.

    Raises
    ------
    ValueError
        In Chinese, naming the parameter, listing every accepted word with its id and what was
        given, e.g. ``level 应为层级 乡镇（township）或 村（village），实际为 '县'``.
    """
    options = {cid: words for cid, words in CHOICES[kind].items() if allowed is None or cid in set(allowed)}
    if isinstance(value, str):
        key = _key(value)
        for cid, words in options.items():
            if key == _key(cid) or any(key == _key(w) for w in words):
                return cid
    raise ValueError(f"{name or kind} 应为{CHOICE_NAMES[kind]} {choice_words(kind, options)}，实际为 {value!r}")
