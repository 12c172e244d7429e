"""A catalogue TOML cannot read: one Chinese line with the file, the line, the column, the line's
text with the culprit in 「」 and the likely cause; from the CLI, before anything is written."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian_analysis.catalog import CatalogError, default_catalog_text, load_catalog
from dangjian_analysis.catalog._toml_errors import syntax_message

from helpers import SAMPLE, run_cli, write_catalog

TEXT = default_catalog_text()
HALF_WIDTH = "（切换到英文输入法输入）"
BRACKET = "（括号不配对）"
SATISFACTION = 'aliases = ["满意度"]'


def broken(old: str, new: str) -> str:
    assert TEXT.count(old) >= 1, old
    return TEXT.replace(old, new, 1)


def line_of(needle: str) -> int:
    """The line of the default catalogue where ``needle`` starts."""
    return TEXT[:TEXT.index(needle)].count("\n") + 1


def expected(path, text: str, line: int, cause: str, marked: str) -> str:
    """The whole message: its column is where 「 stands in the line (after the indentation)."""
    row = text.split("\n")[line - 1]
    col = len(row) - len(row.lstrip(" ")) + marked.index("「") + 1
    assert marked.replace("「行尾」", "").replace("「", "").replace("」", "") == row.strip(" ")
    return f"指标体系 {path} 第 {line} 行第 {col} 列 TOML 格式错误：{cause}。原文：{marked}"


def message_of(tmp_path, text: str) -> str:
    path = write_catalog(tmp_path, text)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return str(info.value)


CASES = [
    # full-width punctuation and digits where TOML needs ASCII
    ('aliases = ["村党组织等次", "等次(1-4)"]', 'aliases = ["村党组织等次"，"等次(1-4)"]', 0,
     f"用了中文输入法的符号：全角逗号“，”应改为半角逗号“,”{HALF_WIDTH}", 'aliases = ["村党组织等次"「，」"等次(1-4)"]'),
    ("share = 0.10", "share：0.10", 0,
     f"用了中文输入法的符号：中文冒号“：”应改为半角等号“=”{HALF_WIDTH}", "share「：」0.10"),
    ("share = 0.10", "share ＝ 0.10", 0,
     f"用了中文输入法的符号：全角等号“＝”应改为半角等号“=”{HALF_WIDTH}", "share 「＝」 0.10"),
    ('missing = "zero"', "missing = “zero”", 0,
     f'用了中文输入法的符号：中文引号 “ 应改为半角双引号 " {HALF_WIDTH}', "missing = 「“」zero”"),
    ('missing = "zero"', 'missing = "zero”', 0,
     f'用了中文输入法的符号：中文引号 ” 应改为半角双引号 " {HALF_WIDTH}', 'missing = "zero「”」'),
    ('missing = "zero"', "missing = ‘zero’", 0,
     f'用了中文输入法的符号：中文引号 ‘ 应改为半角双引号 " {HALF_WIDTH}', "missing = 「‘」zero’"),
    ('aliases = ["满意度"]', 'aliases = ［"满意度"］', 0,
     f"用了中文输入法的符号：全角方括号“［”应改为半角方括号“[”{HALF_WIDTH}", 'aliases = 「［」"满意度"］'),
    ("[bottom]\n", "[bottom］\n", 0,
     f"用了中文输入法的符号：全角方括号“］”应改为半角方括号“]”{HALF_WIDTH}", "[bottom「］」"),
    ('{ grade = "好", min = 90 }', '｛ grade = "好", min = 90 ｝', 0,
     f"用了中文输入法的符号：全角花括号“｛”应改为半角花括号“{{”{HALF_WIDTH}", '「｛」 grade = "好", min = 90 ｝,'),
    ('{ grade = "好", min = 90 }', '{ grade = "好", min = 90 ｝', 0,
     f"用了中文输入法的符号：全角花括号“｝”应改为半角花括号“}}”{HALF_WIDTH}", '{ grade = "好", min = 90 「｝」,'),
    ("share = 0.10", "share =\u30000.10", 0,
     f"用了中文输入法的符号：全角空格应改为半角空格（或删去）{HALF_WIDTH}", "share =「\u3000」0.10"),
    ("share = 0.10", "\u3000share = 0.10", 0,
     f"用了中文输入法的符号：全角空格应改为半角空格（或删去）{HALF_WIDTH}", "「\u3000」share = 0.10"),
    ("share = 0.10", "share = ０.１０", 0,
     f"用了中文输入法的符号：全角数字“０”应改为半角数字“0”{HALF_WIDTH}", "share = 「０」.１０"),
    # a quote left open: the string runs to the end of the line
    ('name = "东山镇"', 'name = "东山镇', 0,
     '引号没有配对：从这个引号开始的文字缺少结尾的引号（文字要用一对半角双引号括起来，如 name = "东山镇"）',
     'name = 「"」东山镇'),
    ('name = "东山镇"', "name = '东山镇", 0,
     '引号没有配对：从这个引号开始的文字缺少结尾的引号（文字要用一对半角双引号括起来，如 name = "东山镇"）',
     "name = 「'」东山镇"),  # no ' after it in the file: TOML stops at the end of the file
    # a percent sign or a unit after a number
    ("share = 0.10", "share = 20%", 0,
     "数值后面不能带百分号“%”，只写数字：比例写成小数（20% 写作 0.2），按百分数计的项写 20（见该项上方的注释）",
     "share = 20「%」"),
    ("plausible = [20, 100]", "plausible = [20%, 100]", 0,
     "数值后面不能带百分号“%”，只写数字：比例写成小数（20% 写作 0.2），按百分数计的项写 20（见该项上方的注释）",
     "plausible = [20「%」, 100]"),
    ("target = 5\n", "target = 5万元\n", 0,
     "数值后面不能带单位“万元”：只写数字 5（单位写在指标的 unit 中）", "target = 5「万」元"),
    # a letter O or l typed for a digit
    ("share = 0.10", "share = 0.2O", 0, "数字 0.2O 中的“O”是字母，不是数字“0”，应写作 0.20", "share = 0.2「O」"),
    ("share = 0.10", "share = O.1", 0, "数字 O.1 中的“O”是字母，不是数字“0”，应写作 0.1", "share = 「O」.1"),
    ("first_year = 2012", "first_year = 20l2", 0,
     "数字 20l2 中的“l”是字母，不是数字“1”，应写作 2012", "first_year = 20「l」2          # 数据起始年度（早于此年的数据是错误）"),
    # text without quotes
    ('name = "东山镇"', "name = 东山镇", 0, '文字没有加引号：东山镇 应写作 "东山镇"（半角双引号）', "name = 「东」山镇"),
    ('missing = "zero"', "missing = zero", 0, '文字没有加引号：zero 应写作 "zero"（半角双引号）', "missing = 「z」ero"),
    ('name = "东山镇"', "name =", 0, "键 name 的等号后面没有值（文字要用半角双引号括起来，数字只写数字）", "name =「行尾」"),
    ("provisional_coverage = 1.0", "provisional_coverage = True", 0,
     "true、false 要全部小写：应写作 true", "provisional_coverage = 「T」rue"),
    # a key or a table written twice
    ("share = 0.10", "share = 0.10\nshare = 0.20", 1,
     f"键 share 在同一个表中写了两次（第 {line_of('share = 0.10')} 行已有 share），请删去一个", "「s」hare = 0.20"),
    ("[bottom]\nshare = 0.10\n", "[bottom]\nshare = 0.10\n\n[bottom]\nshare = 0.20\n", 3,
     f"表 [bottom] 写了两次（第 {line_of('[bottom]')} 行已有 [bottom]）：同名的表只能写一次，请把两处的内容合并"
     "（只有 [[groups]] 这样的双方括号表可以重复）", "「[」bottom]"),
    # a missing =
    ("share = 0.10", "share 0.10", 0, "键 share 后面缺少半角等号“=”，应写作 share = 值", "share 「0」.10"),
    ("share = 0.10", "share: 0.10", 0, "键和值之间要用半角等号“=”，不是冒号", "share「:」 0.10"),
    # brackets that do not pair
    (SATISFACTION, 'aliases = ["满意度"', 0,
     f"这里的“[”没有对应的“]”{BRACKET}，TOML 一直读到第 {line_of(SATISFACTION) + 2} 行才发现",
     'aliases = 「[」"满意度"'),
    ('  { grade = "差", min = 0 },\n]\n', '  { grade = "差", min = 0 },\n\n', -4,
     f"这里的“[”没有对应的“]”{BRACKET}，TOML 一直读到第 {line_of('[bottom]')} 行才发现", "bands = 「[」"),
    ('aliases = ["满意度"]', 'aliases = ["满意度"]]', 0, "多了一个“]”（或缺少与之配对的“[”）", 'aliases = ["满意度"]「]」'),
    ('{ grade = "好", min = 90 }', '{ grade = "好", min = 90 ', 0,
     "这里的“{”没有对应的“}”（括号不配对；花括号须在同一行内闭合）", '「{」 grade = "好", min = 90 ,'),
    ("[bottom]\n", "[bottom\n", 0, "表头的方括号不配对：应写作 [bottom]", "[bottom「行尾」"),
    ('aliases = ["村党组织等次", "等次(1-4)"]', 'aliases = ["村党组织等次" "等次(1-4)"]', 0,
     "两项之间缺少半角逗号“,”", 'aliases = ["村党组织等次" 「"」等次(1-4)"]'),
    # lines that are not TOML statements
    ("share = 0.10", "比例 = 0.10", 0,
     "键名要用英文（如 share、weight），中文只能写在等号右边的引号里或 # 后的注释中", "「比」例 = 0.10"),
    ("[bottom]\n", "这里改过\n[bottom]\n", 0,
     "这一行既不是“键 = 值”也不是 [表头]：说明文字请在行首加 # 作为注释", "「这」里改过"),
]


@pytest.mark.parametrize("old, new, shift, cause, marked", CASES,
                         ids=[f"{i:02d}-{case[3][:12]}" for i, case in enumerate(CASES)])
def test_each_syntax_mistake_is_one_chinese_line(tmp_path, old, new, shift, cause, marked):
    text = broken(old, new)
    path = tmp_path / "catalog.toml"
    assert message_of(tmp_path, text) == expected(path, text, line_of(old) + shift, cause, marked)


def test_a_table_header_left_open_at_the_end_of_the_file(tmp_path):
    text = TEXT + "\n[broken"
    line = text.count("\n") + 1
    assert message_of(tmp_path, text) == expected(tmp_path / "catalog.toml", text, line,
                                                  "表头的方括号不配对：应写作 [broken]", "[broken「行尾」")


def test_an_unrecognised_mistake_keeps_tomls_words_after_a_chinese_sentence():
    text = 'name = "示例县"\nshare = 0.1\n'
    known = syntax_message("本县.toml", text, tomllib.TOMLDecodeError("Invalid date or datetime (at line 2, column 9)"))
    assert known == "指标体系 本县.toml 第 2 行第 9 列 TOML 格式错误：日期写法无效（应写作 2016-01-31）。原文：share = 「0」.1"
    unknown = syntax_message("本县.toml", text, tomllib.TOMLDecodeError("Brand new trouble (at line 1, column 8)"))
    assert unknown == ("指标体系 本县.toml 第 1 行第 8 列 TOML 格式错误：此处的写法不符合 TOML 格式"
                       "（TOML 的提示：Brand new trouble）。原文：name = 「\"」示例县\"")


def test_a_long_line_is_cut_around_the_mistake(tmp_path):
    long_name = "很长的名称" * 20
    text = broken('name = "东山镇"', f'name = "{long_name}"，')
    message = message_of(tmp_path, text)
    assert message.endswith("原文：…" + f'{long_name}"「，」'[-33:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.integers(1, TEXT.count("\n")), at=st.integers(0, 40),
       typo=st.sampled_from(list('，：＝“”‘’［］｛｝\u3000０%O"[]{}=,#万\t') + ["", "\n"]), cut=st.booleans())
def test_any_typo_gives_one_chinese_line_with_a_position(line, at, typo, cut):
    rows = TEXT.split("\n")
    row = rows[line - 1]
    at = min(at, len(row))
    rows[line - 1] = row[:at] + typo + row[at + cut:]
    text = "\n".join(rows)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = syntax_message("本县.toml", text, exc)
        assert "\n" not in message and message.startswith("指标体系 本县.toml 第 ")
        assert "TOML 格式错误：" in message and "。原文：" in message


def test_a_file_saved_as_gbk_or_utf16_asks_for_utf8(tmp_path):
    path = tmp_path / "本县.toml"
    path.write_bytes(TEXT.encode("gbk", errors="replace"))
    first = next(n for n, row in enumerate(TEXT.split("\n"), 1) if not row.isascii())
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == (
        f"无法读取指标体系文件 {path}：文件不是 UTF-8 编码（第 {first} 行起是 GBK 编码，中文 Windows 的记事本按“ANSI”"
        "保存就是这样），请另存为 UTF-8 编码：用记事本打开，“另存为”时把“编码”选为 UTF-8，保存后重新运行")
    path.write_text(TEXT, "utf-16")
    with pytest.raises(CatalogError, match="文件是 UTF-16 编码（记事本中的“Unicode”），请另存为 UTF-8 编码"):
        load_catalog(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", "# 只有注释\n\n".encode()])
def test_an_empty_file_says_so(tmp_path, content):
    path = tmp_path / "本县.toml"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == (f"指标体系 {path}：文件是空的（没有任何“键 = 值”）。"
                               "请用 dangjian catalog --out 本县指标体系.toml 导出默认指标体系，在其上修改")


def test_a_byte_order_mark_loads_like_the_plain_file(tmp_path):
    path = tmp_path / "本县.toml"
    path.write_text(TEXT, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_catalog(path).sha256 == load_catalog().sha256


TYPO = "指标体系 typo.toml 第 {line} 行第 11 列 TOML 格式错误：数值后面不能带百分号“%”，只写数字：比例写成小数" \
       "（20% 写作 0.2），按百分数计的项写 20（见该项上方的注释）。原文：share = 20「%」"


@pytest.fixture
def typo(tmp_path):
    (tmp_path / "typo.toml").write_text(broken("share = 0.10", "share = 20%"), "utf-8")
    return TYPO.format(line=line_of("share = 0.10"))


@pytest.mark.parametrize("args", [("validate", "--catalog", "typo.toml", str(SAMPLE)),
                                  ("catalog", "--catalog", "typo.toml")], ids=["validate", "catalog"])
def test_cli_says_the_same_one_line(tmp_path, typo, args):
    result = run_cli(*args, cwd=tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (2, typo + "\n", "")


def test_cli_report_stops_with_the_line_and_writes_nothing(tmp_path, typo):
    result = run_cli("report", "--catalog", "typo.toml", "--data", str(SAMPLE), "--out", "OUT", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == typo           # the path as typed, as `dangjian catalog` says it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typo.toml"]  # no OUT, no temporary folder


def test_cli_report_checks_the_catalogue_before_it_starts(tmp_path, typo):
    result = run_cli("report", "--catalog", "typo.toml", "--data", str(SAMPLE), "--out", "年报/OUT", cwd=tmp_path)
    assert result.stderr == typo + "\n"
    assert not (tmp_path / "年报").exists()
