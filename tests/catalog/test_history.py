"""The catalogue over the years: an open-ended year range, villages with stable ids, aliases
and a history (renamed, merged, split), and one clear error per mistake in that history."""

from __future__ import annotations

import re

import pytest

from dangjian_analysis.catalog import CatalogError, load_catalog

from helpers import assert_catalog_error, run_cli, write_catalog

RENAMED = '{ id = "T01V02", name = "联家社区", aliases = ["联家"], renamed = { from = "联家村", year = 2015 } }'
MERGED = '{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03", year = 2015 } }'


def village(text: str, ident: str, new: str) -> str:
    """``text`` with the village table of id ``ident`` replaced by ``new``."""
    line = re.search(rf'^  \{{ id = "{ident}", [^\n]*\}},$', text, flags=re.M)
    assert line, ident
    return text[:line.start()] + f"  {new}," + text[line.end():]


def history(text: str) -> str:
    """The default catalogue with 联家村 renamed 联家社区 and 丰湾村 merged into 梅源村, both in 2015."""
    return village(village(text, "T01V02", RENAMED), "T01V10", MERGED)


def test_default_villages_have_their_ids_written_out(catalog, catalog_text):
    assert 'id = "T01V01", name = "东山社区"' in catalog_text
    v = catalog.villages
    assert list(v["unit_id"][:3]) == ["T01V01", "T01V02", "T01V03"] and v["unit_id"].is_unique
    assert v["unit_id"].str.fullmatch(r"T\d\dV\d\d").all()
    assert v["since"].isna().all() and v["until"].isna().all()
    assert len(catalog.villages_in(2012)) == len(catalog.villages_in(2030)) == 127


def test_ids_do_not_depend_on_the_position_in_the_list(tmp_path, catalog_text):
    moved = catalog_text.replace('  { id = "T01V01", name = "东山社区" },\n', "")
    moved = moved.replace('  { id = "T01V15", name = "高门村" },\n',
                          '  { id = "T01V15", name = "高门村" },\n  { id = "T01V01", name = "东山社区" },\n')
    cat = load_catalog(write_catalog(tmp_path, moved))
    ids = dict(zip(cat.villages["unit_name"], cat.villages["unit_id"]))
    assert ids["东山社区"] == "T01V01" and ids["联家村"] == "T01V02"


def test_plain_names_stay_accepted_with_generated_ids(tmp_path, catalog_text):
    block = re.search(r'id = "T02"\nname = "西河乡"\naliases = \[\]\n(product = [^\n]*\n)?villages = \[\n.*?\n\]',
                      catalog_text, re.S)
    plain = block.group(0).split("villages = ")[0] + 'villages = ["松源村", { id = "T02X", name = "胜峰村" }, "梅岗村"]'
    cat = load_catalog(write_catalog(tmp_path, catalog_text.replace(block.group(0), plain)))
    west = cat.villages[cat.villages["township"] == "西河乡"]
    assert list(zip(west["unit_id"], west["unit_name"])) == [("T02V01", "松源村"), ("T02X", "胜峰村"), ("T02V03", "梅岗村")]


def test_last_year_is_optional_and_the_year_range_open_ended(tmp_path, catalog, catalog_text):
    assert catalog.years == [2012, 2013, 2014, 2015]
    assert catalog.accepted_years({2012, 2013, 2014, 2015}) == [2012, 2013, 2014, 2015, 2016]
    assert catalog.accepted_years({2015, 2016, 2017}) == list(range(2012, 2019))
    assert catalog.accepted_years({2016}) == list(range(2012, 2018))            # a new year's returns on their own
    assert catalog.accepted_years({2017}) == list(range(2012, 2017))            # 2017 needs 2016 in the batch
    assert 2025 not in catalog.accepted_years({2012, 2015, 2025})
    open_ended = load_catalog(write_catalog(tmp_path, catalog_text.replace("last_year = 2015\n", "")))
    assert open_ended.last_year is None and open_ended.years == [2012]
    assert open_ended.accepted_years({2012, 2013}) == [2012, 2013, 2014]
    out = run_cli("catalog", "--catalog", str(tmp_path / "catalog.toml"))
    assert out.returncode == 0 and "2012 年起" in out.stdout


def test_a_village_history_by_year(tmp_path, catalog_text):
    cat = load_catalog(write_catalog(tmp_path, history(catalog_text)))
    assert len(cat.villages) == 127 and len(cat.villages_in(2014)) == 127 and len(cat.villages_in(2015)) == 126
    east = cat.villages_in(2014).set_index("unit_id")
    assert east.loc["T01V02", ["unit_name", "name_in_year"]].tolist() == ["联家社区", "联家村"]
    assert "T01V10" not in cat.villages_in(2015)["unit_id"].tolist()
    row = cat.villages.set_index("unit_id").loc["T01V10"]
    assert (row["until"], row["merged_into"]) == (2014, ("T01V03", 2015))
    assert [cat.village_name("T01V02", y) for y in (2014, 2015, None)] == ["联家村", "联家社区", "联家社区"]
    # names by year: the old name before the rename, the new one after; aliases and short forms always
    assert cat.match_village("东山镇", "联家村", 2014) == ("T01V02", "联家社区", None, None)
    assert cat.match_village("东山镇", "联家社区", 2013).severity is None      # the new name for an old year
    assert cat.match_village("东山镇", "联家", 2016).severity is None
    late = cat.match_village("东山镇", "联家村", 2015)
    assert late.unit_id == "T01V02" and late.severity == "warning" and "联家社区" in late.message
    gone = cat.match_village("东山镇", "丰湾村", 2015)
    assert gone.severity == "error" and "并入梅源村" in gone.message
    assert cat.resolve_village("东山镇", "丰湾村", 2015) is None
    assert cat.resolve_village("东山镇", "丰湾村", 2014) == cat.resolve_village("东山镇", "丰湾") == "丰湾村"
    assert cat.resolve_village("东山镇", "联家村") == "联家社区"


def test_a_split_and_a_village_dissolved(tmp_path, catalog_text):
    text = village(catalog_text, "T02V14", '{ id = "T02V14", name = "松岭村", until = 2013 }')
    text = text.replace('  { id = "T02V14", name = "松岭村", until = 2013 },\n',
                        '  { id = "T02V14", name = "松岭村", until = 2013 },\n'
                        '  { id = "T02V15", name = "松岭东村", split_from = { id = "T02V14", year = 2014 } },\n'
                        '  { id = "T02V16", name = "松岭西村", split_from = { id = "T02V14", year = 2014 } },\n')
    cat = load_catalog(write_catalog(tmp_path, text))
    ids = lambda y: set(cat.villages_in(y)["unit_id"])  # noqa: E731
    assert {"T02V14"} <= ids(2013) and not {"T02V15", "T02V16"} & ids(2013)
    assert {"T02V15", "T02V16"} <= ids(2014) and "T02V14" not in ids(2014)
    early = cat.match_village("西河乡", "松岭东村", 2013)
    assert early.severity == "error" and "2014 年由松岭村分设" in early.message
    assert "撤销" in cat.match_village("西河乡", "松岭村", 2015).message


WHERE = "townships[0]（id = T01）.villages[9]（id = T01V10）"


@pytest.mark.parametrize("new, expected", [
    ('{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V99", year = 2015 } }',
     [f"{WHERE}.merged_into.id 引用了不存在的村（T01V99）"]),
    ('{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V10", year = 2015 } }',
     [f"{WHERE}.merged_into.id 不能是本村自己"]),
    ('{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03" } }', [f"{WHERE}.merged_into.year 缺失"]),
    ('{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03", year = 2012 } }',
     [f"{WHERE}.merged_into.year 应晚于 county.first_year（2012）"]),
    ('{ id = "T01V10", name = "丰湾村", merged_to = { id = "T01V03", year = 2015 } }',
     [f"{WHERE}.merged_to", "未知的键", "merged_into"]),
    ('{ id = "T01V10", name = "丰湾村", renamed = { from = "丰湾村", year = 2015 } }', [f"{WHERE}.renamed.from"]),
    ('{ id = "T01V10", name = "丰湾村", renamed = { old = "丰湾", year = 2015 } }', [f"{WHERE}.renamed.old", "未知的键"]),
    ('{ id = "T01V10", name = "丰湾村", renamed = [{ from = "甲村", year = 2014 }, { from = "乙村", year = 2014 }] }',
     [f"{WHERE}.renamed[1].year", "同一年只能更名一次"]),
    ('{ id = "T01V10", name = "丰湾村", renamed = { from = "甲村", year = 2016 }, until = 2014 }',
     [f"{WHERE}.renamed.year", "2016 年时本村不存在"]),
    ('{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03", year = 2015 }, until = 2013 }',
     [f"{WHERE}.merged_into 与 until 不能同时使用"]),
    ('{ id = "T01V03", name = "丰湾村" }', ["townships[0]（id = T01）.villages[9]（id = T01V03）.id 重复",
                                          "与 townships[0]（id = T01）.villages[2]（id = T01V03） 的编号相同"]),
    ('{ id = "T01V10", name = "梅源村" }', [f"{WHERE}.name 重复", "villages[2]（id = T01V03）", "梅源村"]),
    ('{ id = "T01V10", name = "梅源新村", renamed = { from = "梅源村", year = 2015 } }',
     [f"{WHERE}.name 重复", "在 2014 年及以前", "梅源村"]),
    ('{ id = "T01V10", name = "丰湾村", split_from = { id = "T01V03", year = 2015 }, since = 2014 }',
     [f"{WHERE}.split_from 与 since 不能同时使用"]),
    ('{ id = "T01V10", name = "丰湾村", until = 2010 }', [f"{WHERE}.until 不能早于 county.first_year（2012）"]),
    ('{ id = "T01V10" }', [f"{WHERE}.name 缺失"]),
    ('{ id = "T01V10", name = "丰湾村", aliases = "丰湾" }', [f"{WHERE}.aliases 应为列表"]),
    ('{ id = "T01V10", name = "丰湾村", merged_into = "T01V03" }', [f"{WHERE}.merged_into 应为表"]),
])
def test_each_history_mistake_names_the_key_and_the_village(tmp_path, catalog_text, new, expected):
    assert_catalog_error(tmp_path, village(catalog_text, "T01V10", new), expected)


def test_a_merge_into_a_village_gone_by_then_is_an_error(tmp_path, catalog_text):
    text = village(history(catalog_text), "T01V03", '{ id = "T01V03", name = "梅源村", until = 2013 }')
    assert_catalog_error(tmp_path, text, [f"{WHERE}.merged_into.id", "T01V03（梅源村）在并入时（2015 年）不存在"])


def test_the_exported_catalogue_documents_the_history_keys_with_an_example(tmp_path):
    out = tmp_path / "本县.toml"
    assert run_cli("catalog", "--out", str(out)).returncode == 0
    text = out.read_text("utf-8")
    for key in ("renamed", "merged_into", "split_from", "since / until", "aliases", "last_year 可省略"):
        assert key in text, key
    example = re.search(r"^#   villages = \[\n(.*?)^#   \]", text, flags=re.S | re.M).group(1)
    rows = [line.removeprefix("#     ").rstrip(",") for line in example.splitlines()]
    text = village(text, "T01V02", rows[0])
    text = village(text, "T01V10", rows[2])
    cat = load_catalog(write_catalog(tmp_path, text))
    assert cat.village_name("T01V02", 2014) == "联家村" and len(cat.villages_in(2015)) == 126


def test_a_township_product_is_optional_and_never_blank(tmp_path, catalog_text):
    """``[[townships]] product``: the 一乡一品 主导产业 the report's table names (None when absent)."""
    assert load_catalog().townships.set_index("unit_name").loc["东山镇", "product"] == "茶叶"
    unnamed = load_catalog(write_catalog(tmp_path, catalog_text.replace('product = "食用菌"\n', "")))
    assert unnamed.townships.set_index("unit_name").loc["西河乡", "product"] in (None, "") or \
        unnamed.townships.set_index("unit_name")["product"].isna()["西河乡"]
    with pytest.raises(CatalogError, match=r"townships\[1\]（id = T02）.product 不能为空"):
        load_catalog(write_catalog(tmp_path, catalog_text.replace('product = "食用菌"', 'product = " "')))
