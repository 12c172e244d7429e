"""``[report]``: the county's own word for a draft (``Catalog.draft_word``), checked key by key."""

from __future__ import annotations

import pytest

from dangjian_analysis.catalog import default_catalog_text, load_catalog
from dangjian_analysis.catalog.report_words import DEFAULT_DRAFT

from helpers import assert_catalog_error, write_catalog

_SECTION = '[report]\ndraft = "征求意见稿"\n'


def _text(section: str = "") -> str:
    text = default_catalog_text()
    assert text.count(_SECTION) == 1                  # the exported catalogue shows the key and its default
    return text.replace(_SECTION, section)


def test_default_and_the_exported_catalogue_say_the_same_word(catalog, tmp_path):
    assert catalog.draft_word == DEFAULT_DRAFT == "征求意见稿"
    assert load_catalog(write_catalog(tmp_path, _text())).draft_word == "征求意见稿"   # section left out


def test_the_county_word_is_read_and_trimmed(tmp_path):
    cat = load_catalog(write_catalog(tmp_path, _text('[report]\ndraft = " 讨论稿 "\n')))
    assert cat.draft_word == "讨论稿"
    assert load_catalog(write_catalog(tmp_path, _text("[report]\n"))).draft_word == "征求意见稿"


@pytest.mark.parametrize("section, expected", [
    ('[report]\ndraft = ""\n', "report.draft 应为文字（如 \"讨论稿\""),
    ("[report]\ndraft = 1\n", "report.draft 应为文字"),
    ('[report]\ndraft = "（讨论稿）"\n', "report.draft “（讨论稿）”中不能有“（”（标题会自动加括号"),
    ('[report]\ndraft = "讨论 稿"\n', "report.draft “讨论 稿”中不能有空格或换行"),
    ('[report]\ndraft = "县委组织部部务会议讨论稿件"\n', "report.draft “县委组织部部务会议讨论稿件”有 13 个字，最多 10 个字"),
    ('[report]\ndraft_word = "讨论稿"\n', "report.draft_word 是未知的键；此处允许的键：draft"),
    ('report = "讨论稿"\n', 'report 应为一个表（table），如 [report] 下写 draft = "讨论稿"'),
])
def test_mistakes_name_the_key_in_chinese(tmp_path, section, expected):
    text = _text()
    if section.startswith("report ="):                 # a top-level key must come before the first table
        text = section + text
    else:
        text += section
    assert_catalog_error(tmp_path, text, [expected])
