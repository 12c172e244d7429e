"""Private: one Chinese line for a catalogue file that cannot be read as TOML.

:func:`syntax_message` turns a :class:`tomllib.TOMLDecodeError` into the file, the line and
column, the line's text with the culprit marked 「」, and the likely cause in words a county
analyst understands. TOML's own message is only a hint: the cause is read from the text around
the error (full-width punctuation, a quote left open, ``20%``, ``0.2O``, text without quotes, a
key or table written twice, a missing ``=``, brackets that do not pair), and where that text
points elsewhere — a ``[`` left open lines earlier, a quote opened earlier on the line — the
message points there. :func:`encoding_cause` explains a file that is not UTF-8 (GBK from
Notepad's "ANSI"), :func:`empty_message` an empty one.
"""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import dataclass

from ._toml_words import FULL_WIDTH as _FULL_WIDTH, GENERAL as _GENERAL

__all__ = ["syntax_message", "encoding_cause", "empty_message"]

_POSITION = re.compile(r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$", re.S)

_CLOSER = {"[": "]", "{": "}"}
_VALUE_MESSAGES = ("Invalid value", "Expected newline or end of document", "Unclosed array", "Unclosed inline table")
_STATEMENT = re.compile(r"""^(\[|\s*[A-Za-z0-9_."'-]+\s*=)""")
_NUMBER_BEFORE = re.compile(r"([+-]?[0-9][0-9_]*(?:\.[0-9_]+)?)\s*$")
_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}

@dataclass(frozen=True)
class _Spot:
    """Where TOML stopped: the document, TOML's message and the position (0-based index)."""

    text: str
    msg: str
    pos: int

    @property
    def line_start(self) -> int:
        return self.text.rfind("\n", 0, self.pos) + 1

    @property
    def line(self) -> str:
        end = self.text.find("\n", self.pos)
        return self.text[self.line_start:end if end >= 0 else len(self.text)]

    @property
    def col(self) -> int:
        return self.pos - self.line_start

    @property
    def char(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""


def syntax_message(source: str, text: str, exc: Exception) -> str:
    """One Chinese line for a TOML syntax error in ``text`` (the file ``source``).

    Examples
    --------
    >>> import tomllib
    >>> text = 'name = "示例县"\\nshare = 20%\\n'
    >>> try:
    ...     tomllib.loads(text)
    ... except tomllib.TOMLDecodeError as exc:
    ...     print(syntax_message("本县.toml", text, exc))
    指标体系 本县.toml 第 2 行第 11 列 TOML 格式错误：数值后面不能带百分号“%”，只写数字：比例写成小数（20% 写作 0.2），按百分数计的项写 20（见该项上方的注释）。原文：share = 20「%」
    """
    spot = _spot(text, str(exc))
    for diagnose in _CAUSES:
        found = diagnose(spot)
        if found:
            cause, at = found
            break
    else:
        cause, at = _general(spot.msg), spot.pos
    line, col, marked = _place(text, at)
    return f"指标体系 {source} 第 {line} 行第 {col} 列 TOML 格式错误：{cause}。原文：{marked}"


def encoding_cause(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why a catalogue file's bytes are not UTF-8, and what to do, in Chinese."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "文件是 UTF-16 编码（记事本中的“Unicode”），请另存为 UTF-8 编码：用记事本打开，“另存为”时把“编码”选为 UTF-8"
    line = data.count(b"\n", 0, exc.start) + 1
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return (f"文件不是 UTF-8 编码的文本（第 {line} 行有无法识别的字节），可能不是文本文件；"
                "若是文本，请另存为 UTF-8 编码：用记事本打开，“另存为”时把“编码”选为 UTF-8")
    return (f"文件不是 UTF-8 编码（第 {line} 行起是 GBK 编码，中文 Windows 的记事本按“ANSI”保存就是这样），"
            "请另存为 UTF-8 编码：用记事本打开，“另存为”时把“编码”选为 UTF-8，保存后重新运行")


def empty_message(source: str) -> str:
    """A catalogue file with no key at all (empty, blank or comments only)."""
    return (f"指标体系 {source}：文件是空的（没有任何“键 = 值”）。请用 dangjian catalog --out 本县指标体系.toml "
            "导出默认指标体系，在其上修改")


def _spot(text: str, error: str) -> _Spot:
    match = _POSITION.match(error)
    if match is None:
        return _Spot(text, error, len(text))
    if match["line"] is None:
        return _Spot(text, match["msg"], len(text.rstrip("\n")))
    line, col = int(match["line"]), int(match["col"])
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return _Spot(text, match["msg"], start + col - 1)


def _place(text: str, at: int) -> tuple[int, int, str]:
    """Line and column (1-based) of index ``at``, and its line trimmed with the culprit in 「」."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start:end if end >= 0 else len(text)]
    col = at - start
    indent = min(col, len(line) - len(line.lstrip(" \t")))  # a full-width space is kept: it may be the culprit
    body, i = line[indent:].rstrip(" \t"), col - indent
    if 0 <= i < len(body):
        marked = f"{body[:i]}「{body[i]}」{body[i + 1:]}"
    else:
        i = len(body)
        marked = f"{body}「行尾」"
    if len(marked) > 70:
        left = max(0, i - 30)
        marked = ("…" if left else "") + marked[left:left + 60] + ("…" if left + 60 < len(marked) else "")
    return text.count("\n", 0, at) + 1, col + 1, marked


def _scan_line(line: str) -> tuple[list[int], int | None, int]:
    """Indices of ``line``'s characters outside strings and comments, the index of a quote
    whose string runs to the end of the line (None when every string closes), and where the
    comment starts (the line's length when there is none)."""
    outside, i = [], 0
    while i < len(line):
        c = line[i]
        if c == "#":
            return outside, None, i
        if c in "\"'":
            if line.startswith(c * 3, i):  # a multi-line string: open unless it closes on this line
                close = line.find(c * 3, i + 3)
                if close < 0:
                    return outside, i, len(line)
                i = close + 3
                continue
            j = i + 1
            while j < len(line) and line[j] != c:
                j += 2 if c == '"' and line[j] == "\\" else 1
            if j >= len(line):
                return outside, i, len(line)
            i = j + 1
            continue
        outside.append(i)
        i += 1
    return outside, None, len(line)


def _open_brackets(text: str, end: int) -> tuple[list[int], int | None]:
    """The ``[``/``{`` left open before index ``end`` (indices, innermost last; a ``[`` at the
    start of a line is read as a table header), and the last character before it that is
    neither blank nor in a comment."""
    stack, last, start = [], None, 0
    while start < end:
        stop = text.find("\n", start)
        line = text[start:min(end, len(text) if stop < 0 else stop)]
        outside, _, comment = _scan_line(line)
        for i in outside if not line.startswith("[") else ():
            if line[i] in _CLOSER:
                stack.append(start + i)
            elif line[i] in "]}" and stack:
                stack.pop()
        code = line[:comment].rstrip()
        if code:
            last = start + len(code) - 1
        start = len(text) if stop < 0 else stop + 1
    return stack, last


def _duplicate(spot: _Spot):
    msg = spot.msg
    if not msg.startswith(("Cannot", "Duplicate inline table key")):
        return None
    at = spot.line_start + len(spot.line) - len(spot.line.lstrip())
    if msg.startswith("Cannot declare"):
        name = msg[len("Cannot declare "):-len(" twice")]
        with contextlib.suppress(ValueError, SyntaxError):
            name = ".".join(ast.literal_eval(name))
        first = _earlier(spot, rf"\[\s*{re.escape(name)}\s*\]", whole=True)
        seen = f"（第 {first} 行已有 [{name}]）" if first else ""
        return (f"表 [{name}] 写了两次{seen}：同名的表只能写一次，请把两处的内容合并"
                "（只有 [[groups]] 这样的双方括号表可以重复）"), at
    if msg.startswith("Duplicate inline table key"):
        return f"花括号内的键 {msg.split()[-1]} 写了两次，请删去一个", at
    key = spot.line.split("=", 1)[0].strip()
    if "=" not in spot.line or spot.line.lstrip().startswith("["):
        return f"{spot.line.strip()} 与前面已写过的键或表重名", at
    first = _earlier(spot, rf"{re.escape(key)}\s*=")
    seen = f"（第 {first} 行已有 {key}）" if first else ""
    return f"键 {key} 在同一个表中写了两次{seen}，请删去一个", at


def _earlier(spot: _Spot, pattern: str, *, whole: bool = False) -> int | None:
    """The line number of an earlier line matching ``pattern`` (within the same table unless
    ``whole``): where a duplicate was first written."""
    lines = spot.text[:spot.line_start].split("\n")[:-1]
    for n in range(len(lines) - 1, -1, -1):
        line = lines[n].strip()
        if re.match(pattern, line):
            return n + 1
        if not whole and line.startswith("["):
            return None
    return None


def _left_open(spot: _Spot):
    """A ``[`` or ``{`` opened on an earlier line and never closed: TOML reads on into the
    next statement and stops there."""
    stack, _ = _open_brackets(spot.text, spot.pos)
    if stack and stack[-1] < spot.line_start and _STATEMENT.match(spot.line):
        opener = spot.text[stack[-1]]
        return (f"这里的“{opener}”没有对应的“{_CLOSER[opener]}”（括号不配对），TOML 一直读到第 "
                f"{spot.text.count(chr(10), 0, spot.pos) + 1} 行才发现"), stack[-1]
    return None


def _full_width(spot: _Spot, at: int | None = None):
    at = spot.pos if at is None else at
    c = spot.text[at] if at < len(spot.text) else ""
    if c not in _FULL_WIDTH:
        return None
    typed, wanted = _FULL_WIDTH[c]
    return f"用了中文输入法的符号：{typed}应改为{wanted}（切换到英文输入法输入）", at


def _missing_quote(spot: _Spot):
    """A string that runs to the end of its line (TOML stops there), or to the end of the file
    (a ``'`` or ``\"\"\"`` never closed: TOML stops at the end, the quote is on the first line
    left open)."""
    if spot.msg.startswith("Illegal character '\\n'"):
        start, quote = spot.line_start, _scan_line(spot.line)[1]
    elif spot.msg.startswith(("Unterminated string", "Expected \"'", "Expected '\"")):
        start, quote = 0, None
        for line in spot.text.split("\n"):
            quote = _scan_line(line)[1]
            if quote is not None:
                break
            start += len(line) + 1
    else:
        return None
    if quote is None:
        return _quote_cause(spot.text, spot.pos)
    closing = re.search("[“”‘’＂]", spot.text[start:].split("\n", 1)[0][quote + 1:])
    if closing:  # "东山镇” closed by a Chinese quote
        return _full_width(spot, start + quote + 1 + closing.start())
    return _quote_cause(spot.text, start + quote)


def _quote_cause(text: str, at: int):
    if text.startswith(('"""', "'''"), at):
        return f"从这里的 {text[at:at + 3]} 开始的多行文字没有结尾的 {text[at:at + 3]}（普通文字只用一对半角双引号）", at
    return "引号没有配对：从这个引号开始的文字缺少结尾的引号（文字要用一对半角双引号括起来，如 name = \"东山镇\"）", at


def _missing_equals(spot: _Spot):
    if not spot.msg.startswith("Expected '='"):
        return None
    key = spot.line[:spot.col].strip()
    if spot.char == ":":
        return "键和值之间要用半角等号“=”，不是冒号", spot.pos
    return f"键 {key} 后面缺少半角等号“=”，应写作 {key} = 值", spot.pos


def _header(spot: _Spot):
    if spot.msg.startswith("Expected ']"):
        name = spot.line.strip().strip("[]").strip()
        right = f"[[{name}]]" if spot.msg.startswith("Expected ']]'") else f"[{name}]"
        return f"表头的方括号不配对：应写作 {right}", spot.pos
    if spot.line.startswith("[") and spot.msg.startswith(("Invalid initial character", "Invalid statement")):
        return "表头的写法有误：应写作 [表名] 或 [[表名]]，表名只用英文字母、数字、下划线和点", spot.pos
    return None


def _number(spot: _Spot):
    """``20%``, ``5万元``, ``0.2O``, ``True``: a value that is almost a number (or true/false)."""
    if not spot.msg.startswith(_VALUE_MESSAGES):
        return None
    line, col = spot.line, spot.col
    left, right = col, col
    while left > 0 and (line[left - 1].isalnum() or line[left - 1] in "._+-"):
        left -= 1
    while right < len(line) and (line[right].isalnum() or line[right] in "._+-"):
        right += 1
    token = line[left:right]
    if re.fullmatch(r"[+-]?[0-9OolI._]*[0-9][0-9OolI._]*", token) and re.search("[OolI]", token):
        letter = re.search("[OolI]", token)[0]
        fixed = "".join(_LOOKALIKES.get(c, c) for c in token)
        return (f"数字 {token} 中的“{letter}”是字母，不是数字“{_LOOKALIKES[letter]}”，应写作 {fixed}",
                spot.line_start + left + token.index(letter))
    if token in ("True", "TRUE", "False", "FALSE"):
        return f"true、false 要全部小写：应写作 {token.lower()}", spot.pos
    number = _NUMBER_BEFORE.search(line[:col])
    after = line[col:].lstrip()
    if number is None or not after or after[0] in ",]}#":
        return None
    if after[0] in "%％":
        return ("数值后面不能带百分号“%”，只写数字：比例写成小数（20% 写作 0.2），按百分数计的项写 20"
                "（见该项上方的注释）"), spot.pos
    unit = re.match(r"[^\s,\]}#]+", after)[0]
    return f"数值后面不能带单位“{unit}”：只写数字 {number[1]}（单位写在指标的 unit 中）", spot.pos


def _unquoted_text(spot: _Spot):
    if not spot.msg.startswith("Invalid value"):
        return None
    if not spot.line[:_scan_line(spot.line)[2]][spot.col:].strip():
        key = spot.line.split("=", 1)[0].strip()
        return f"键 {key} 的等号后面没有值（文字要用半角双引号括起来，数字只写数字）", spot.pos
    if not spot.char.isalpha():
        return None
    word = re.match(r"[^\s,\]}#\"']+", spot.line[spot.col:])[0]
    return f"文字没有加引号：{word} 应写作 \"{word}\"（半角双引号）", spot.pos


def _extra_closer(spot: _Spot):
    if spot.msg.startswith("Expected newline or end of document") and spot.char in ("]", "}"):
        opener = "[" if spot.char == "]" else "{"
        return f"多了一个“{spot.char}”（或缺少与之配对的“{opener}”）", spot.pos
    return None


def _not_closed(spot: _Spot):
    """A bracket left open on this line, or two items of a list without a comma between them."""
    if not spot.msg.startswith(("Unclosed", "Invalid initial character for a key part")):
        return None
    stack, last = _open_brackets(spot.text, spot.pos)
    if not stack:
        return None
    ended = last is not None and spot.text[last] not in "[{,="
    if ended and spot.char and (spot.char in "\"'[{+-" or spot.char.isalnum()):
        return "两项之间缺少半角逗号“,”", spot.pos
    opener = spot.text[stack[-1]]
    inline = "；花括号须在同一行内闭合" if opener == "{" else ""
    return f"这里的“{opener}”没有对应的“{_CLOSER[opener]}”（括号不配对{inline}）", stack[-1]


def _statement(spot: _Spot):
    if not spot.msg.startswith("Invalid statement"):
        return None
    if "=" not in "".join(spot.line[i] for i in _scan_line(spot.line)[0]):
        return "这一行既不是“键 = 值”也不是 [表头]：说明文字请在行首加 # 作为注释", spot.pos
    if not spot.char.isascii():
        return "键名要用英文（如 share、weight），中文只能写在等号右边的引号里或 # 后的注释中", spot.pos
    return None


def _anywhere_on_line(spot: _Spot):
    """Last resort: a full-width character or a quote left open anywhere on the line."""
    outside, quote, _ = _scan_line(spot.line)
    for i in outside:
        found = _full_width(spot, spot.line_start + i)
        if found:
            return found
    return _quote_cause(spot.text, spot.line_start + quote) if quote is not None else None


_CAUSES = (_duplicate, _left_open, _full_width, _missing_quote, _missing_equals, _header, _number,
           _unquoted_text, _extra_closer, _not_closed, _statement, _anywhere_on_line)


def _general(msg: str) -> str:
    for prefix, words in _GENERAL:
        if msg.startswith(prefix):
            return words
    return f"此处的写法不符合 TOML 格式（TOML 的提示：{msg}）"
