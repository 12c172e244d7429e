"""Private text helpers of the charts: column headers broken only between words, text widths.

A Chinese label is cut into words by longest match against :data:`WORDS` (the vocabulary of
the indicator and group names); digits stick to the word after them (``35岁以下``), a
one-character word joins its neighbour (``占`` the word after it, others the word before).
:func:`header` then packs the words into as few lines of at most ``width`` characters as
it can, the longest line as short as possible, so that a line never ends inside a word and
never holds a single character. A known word longer than ``width`` keeps a line of its own;
a run of unknown characters longer than six is cut into even pieces (the only place a break
may fall inside a word the vocabulary does not know). A bracket group — ``（万元）``,
``(5–95%)`` — is one word: a line may end before it, never inside it; a one-character word
before it stays with it (``村（社区）``). Nested brackets read plainly first
(:func:`plain_brackets`: ``（%（村均））`` → ``（%，村均）``).
"""

from __future__ import annotations

import functools
import itertools

__all__ = ["WORDS", "SUFFIXES", "words", "header", "text_width", "em_width", "plain_brackets", "gap_text"]

#: Words a header may end a line before: the catalogue's vocabulary. Longer matches win.
WORDS = frozenset("""
示范 创建 工程 党组织 等次 县级以上 示范点 列为 软弱涣散 当年 整顿 转化 整顿转化 群众 满意度 信访 群体性 事件
两委 成员 平均 年龄 高中 及以上 学历 占比 村级 后备 干部 后备干部 书记 空缺 月数 活动 场所 活动场所 面积
便民 服务站 便民服务站 正常 运行 正常运行 代办 服务 事项 党员 轮训率 新发展 岁以下 三会一课 按时 召开率
按时召开率 按时销号率 农户覆盖率 处置 不合格 主导 产业 主导产业 产值 总产值 农业 比重 从业 农户 从业农户 专业村 带动 收入 高于 全县 注册 商标
品牌 办公 经费 办公经费 村干部 报酬 集体 经济 集体经济 四风 台账 销号率 驻点 走访 覆盖率 薄弱 带头人 阵地
建设 素质 提升 一乡一品 投入 保障 作风 纪律 综合 指数 综合指数 目标 达标 全覆盖 平方米 万元
工作 指标 情况 比例 人数 个数 次数 数量 完成 落实 开展 制度 规范 考核 评议 述职 管理 培训 教育 发展 党建 基层
社区 乡镇 村庄 支部 班子 队伍 阵地 活动 组织生活 主题党日 积分 档案 经费保障 示范村 后进村
""".split())
#: Words a header must never split (the test list): the usual last words of a name.
SUFFIXES = ("工程", "建设", "提升", "经费", "占比", "比重", "收入", "报酬", "面积", "服务站", "覆盖率", "召开率",
            "轮训率", "销号率", "满意度", "党组织", "干部", "产值", "运行", "转化", "保障", "一乡一品")
#: One-character words that belong to the word after them (占农业总产值 …).
_PREFIXES = frozenset("占及与和对在为")
_LONGEST = max(map(len, WORDS))


def em_width(text: str) -> float:
    """Width of ``text`` in ems: 1 for a CJK or full-width character, 0.55 for ASCII."""
    return sum(0.55 if ord(c) < 0x2000 else 1.0 for c in text)


_OPEN, _CLOSE = "（(", "）)"


def plain_brackets(text: str) -> str:
    """``text`` with brackets inside brackets written plainly: an inner opening bracket becomes
    ``，`` and an inner closing one is dropped (``，`` when text follows it inside the outer group).

    ``plain_brackets("驻点走访农户覆盖率（%（村均））")`` is ``"驻点走访农户覆盖率（%，村均）"``;
    text without nested brackets is returned unchanged.
    """
    if not any(c in text for c in _OPEN):
        return text
    out, depth = [], 0
    for k, c in enumerate(text):
        if c in _OPEN:
            depth += 1
            if depth > 1:
                out.append("，")
                continue
        elif c in _CLOSE and depth:
            depth -= 1
            if depth:
                follows = k + 1 < len(text) and text[k + 1] not in _CLOSE
                if follows:
                    out.append("，")
                continue
        out.append(c)
    return "".join(out)


def gap_text(diff: float, unit: str = "分", *, above: str = "高", below: str = "低", same: str = "持平",
             digits: int = 1) -> str:
    """A difference said in words, never with a sign after a word that already says it:
    ``gap_text(-25.9)`` is ``"低 25.9 分"`` (not “差 -25.9 分”), ``gap_text(3.24)`` ``"高 3.2 分"``,
    a difference that rounds to 0 ``"持平"``; ``above``/``below`` name the two directions
    (``"提高"``/``"下降"``), ``unit`` follows the number (``"%"`` written without a space)."""
    shown = round(abs(float(diff)), digits)
    if shown == 0:
        return same
    space = "" if unit in ("%", "") else " "
    return f"{above if diff > 0 else below} {shown:.{digits}f}{space}{unit}"


def _segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into runs outside brackets and whole bracket groups (``True``); an unclosed
    bracket runs to the end as one group."""
    parts: list[tuple[str, bool]] = []
    start, depth, begin = 0, 0, 0
    for k, c in enumerate(text):
        if c in _OPEN:
            if depth == 0:
                if k > start:
                    parts.append((text[start:k], False))
                begin = k
            depth += 1
        elif c in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                parts.append((text[begin:k + 1], True))
                start = k + 1
    if depth:
        parts.append((text[begin:], True))
    elif start < len(text):
        parts.append((text[start:], False))
    return parts


def words(text: str) -> list[str]:
    """``text`` cut into words (longest match in :data:`WORDS`, bracket groups whole; see the
    module docstring)."""
    tokens: list[list] = []                 # [text, known, bracket group]
    for segment, group in _segments(text):
        if group:
            tokens.append([segment, True, True])
            continue
        i = 0
        while i < len(segment):
            match = next((segment[i:i + n] for n in range(min(_LONGEST, len(segment) - i), 1, -1)
                          if segment[i:i + n] in WORDS), None)
            if match:
                tokens.append([match, True, False])
            elif tokens and not tokens[-1][1]:
                tokens[-1][0] += segment[i]        # unknown characters stay together
            else:
                tokens.append([segment[i], False, False])
            i += len(match or segment[i])
    out: list[str] = []
    carry = ""
    for k, (part, _, group) in enumerate(tokens):
        part = carry + part
        carry = ""
        last = k + 1 == len(tokens)
        if not last and not group and (part.isascii() or len(part) == 1 and part in _PREFIXES):
            carry = part                    # 35 + 岁以下, 占 + 农业
        elif len(part) == 1 and out:
            out[-1] += part
        elif len(part) == 1 and not last:
            carry = part
        else:
            out.append(part)
    return out


@functools.lru_cache(maxsize=512)
def header(text: str, width: float = 4) -> str:
    """``text`` broken into lines between words, each at most ``width`` ems where the words
    allow: the fewest lines, then the shortest longest line, then breaks before a word of
    :data:`SUFFIXES`, then the longer first line. ``header("示范创建工程")`` is
    ``"示范创建\\n工程"``; ``header("两委高中及以上学历占比", 5)`` is ``"两委高中\\n及以上\\n学历占比"``."""
    text = plain_brackets(text)
    if em_width(text) <= width:
        return text
    parts = [piece for part in words(text) for piece in _pieces(part, width)]
    if len(parts) == 1:
        return text
    best, best_key = None, None
    for cuts in itertools.product((False, True), repeat=len(parts) - 1):
        lines = [[parts[0]]]
        for cut, part in zip(cuts, parts[1:]):
            if cut:
                lines.append([part])
            else:
                lines[-1].append(part)
        texts = ["".join(line) for line in lines]
        widths = [em_width(t) for t in texts]
        over = sum(w > width for w, line in zip(widths, lines) if len(line) > 1)
        suffixed = sum(any(t.startswith(x) for x in SUFFIXES) for t in texts[1:])
        key = (over, len(lines), max(widths), -suffixed, [-w for w in widths])
        if best_key is None or key < best_key:
            best, best_key = texts, key
    return "\n".join(best)


def _pieces(part: str, width: float) -> list[str]:
    """``part`` itself, or an unknown run longer than six characters in even pieces of at least two."""
    if len(part) <= 6 or part in WORDS or part[0] in _OPEN or any(w in part for w in WORDS):
        return [part]
    n = max(2, int(width))
    pieces = [part[i:i + n] for i in range(0, len(part), n)]
    if len(pieces[-1]) == 1:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return pieces


def text_width(text: str, fontsize: float) -> float:
    """Width of one line of ``text`` in points at ``fontsize`` in the slide font (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    from .theme import FONT_FAMILY, register_fonts

    register_fonts()
    prop = FontProperties(family=[FONT_FAMILY, "DejaVu Sans"], size=fontsize)
    return max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n"))
