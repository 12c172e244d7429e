"""Private: the words of :mod:`._toml_errors` — full-width characters and TOML's messages in Chinese."""

from __future__ import annotations

__all__ = ["FULL_WIDTH", "GENERAL"]

# Full-width characters that TOML needs in ASCII: what the analyst typed, what to type instead.
FULL_WIDTH = {
    "，": ("全角逗号“，”", "半角逗号“,”"), "、": ("顿号“、”", "半角逗号“,”"),
    "：": ("中文冒号“：”", "半角等号“=”"), "＝": ("全角等号“＝”", "半角等号“=”"),
    "“": ("中文引号 “ ", '半角双引号 " '), "”": ("中文引号 ” ", '半角双引号 " '),
    "＂": ("全角引号 ＂ ", '半角双引号 " '), "‘": ("中文引号 ‘ ", '半角双引号 " '), "’": ("中文引号 ’ ", '半角双引号 " '),
    "［": ("全角方括号“［”", "半角方括号“[”"), "］": ("全角方括号“］”", "半角方括号“]”"),
    "｛": ("全角花括号“｛”", "半角花括号“{”"), "｝": ("全角花括号“｝”", "半角花括号“}”"),
    "。": ("句号“。”", "半角小数点“.”"), "．": ("全角小数点“．”", "半角小数点“.”"),
    "％": ("全角百分号“％”", "小数（20％ 写作 0.2）"), "－": ("全角减号“－”", "半角减号“-”"),
    "＃": ("全角井号“＃”", "半角井号“#”"), "\u3000": ("全角空格", "半角空格（或删去）"),
    **{chr(0xFF10 + d): (f"全角数字“{chr(0xFF10 + d)}”", f"半角数字“{d}”") for d in range(10)},
}

# TOML's messages (prefixes) in general words, for the causes not recognised from the text.
GENERAL = (
    ("Invalid value", "此处的值无法识别（文字要用半角双引号括起来，数字只写数字，列表用半角方括号 [ ]）"),
    ("Expected newline or end of document", "此处多了内容：一行只写一个“键 = 值”，值后面只能跟 # 开头的注释"),
    ("Invalid statement", "这一行既不是“键 = 值”，也不是 [表头]"),
    ("Unclosed array", "列表的方括号没有闭合，或两项之间缺少半角逗号“,”"),
    ("Unclosed inline table", "花括号没有闭合，或两项之间缺少半角逗号“,”（花括号须在同一行内闭合）"),
    ("Invalid initial character for a key part", "键名的写法无法识别（键名用英文字母、数字和下划线）"),
    ("Unescaped '\\' in a string", "文字中的反斜杠“\\”要写成两个“\\\\”，或把双引号改为单引号（常见于 Windows 路径）"),
    ("Invalid hex value", "文字中的“\\u”转义写法无效"),
    ("Escaped character is not a Unicode scalar value", "文字中的“\\u”转义写法无效"),
    ("Invalid date or datetime", "日期写法无效（应写作 2016-01-31）"),
    ("Unterminated string", "引号没有配对：文字缺少结尾的引号"),
    ("Illegal character", "此处有不允许的控制字符（多见于从网页或 Word 复制来的内容），请删去后重新输入"),
    ("Found invalid character", "此处有不允许的字符"),
    ("Expected '='", "键后面缺少半角等号“=”"),
    ("Expected ']", "表头的方括号不配对：应写作 [名称] 或 [[名称]]"),
    ("Cannot", "与前面已写过的键或表重复"),
    ("Duplicate inline table key", "花括号内有重复的键"),
)
