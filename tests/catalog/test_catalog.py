"""The indicator catalogue: defaults, queries, and one clear error per kind of mistake."""

from __future__ import annotations

import pytest

from dangjian_analysis.catalog import CatalogError, load_catalog

from helpers import assert_catalog_error, edit_block, remove_block, run_cli, write_catalog

REQUIRED_COLUMNS = ["id", "name", "group", "unit", "direction", "level", "aggregate", "target",
                    "target_year", "lo", "hi", "weight", "aliases"]


def test_default_catalog_matches_the_county(catalog):
    assert list(catalog.indicators.columns[:13]) == REQUIRED_COLUMNS
    assert len(catalog.indicators) == 31
    assert list(catalog.groups["group"]) == ["demo", "weak", "leaders", "venues", "members",
                                            "feature", "funding", "conduct"]
    assert (catalog.groups["programme"] == "五大工程").sum() == 5
    assert len(catalog.townships) == 10 and len(catalog.villages) == 127
    secretaries = catalog.secretaries
    assert len(secretaries) == 19
    assert (secretaries["type"] == "乡镇党委书记").sum() == 10
    assert (catalog.first_year, catalog.last_year) == (2012, 2015)
    assert catalog.bottom_share == 0.10
    assert list(catalog.grade_bands["grade"]) == ["好", "较好", "一般", "差"]
    # the speech's 2015 funding targets
    ind = catalog.indicators.set_index("id")
    assert ind.loc["office_funds", ["target", "target_year", "unit"]].tolist() == [5.0, 2015, "万元"]
    assert ind.loc["cadre_allowance", ["target", "target_year"]].tolist() == [2000.0, 2015]
    assert set(catalog.indicators["direction"]) == {"higher", "lower", "monitor"}
    village = catalog.indicators[catalog.indicators["level"] == "village"]
    assert village["aggregate"].notna().all()


def test_grade_bands_and_name_resolution(catalog):
    assert [catalog.grade(s) for s in (100, 90, 89.99, 80, 60, 59.9, 0)] == \
        ["好", "好", "较好", "较好", "一般", "差", "差"]
    assert catalog.grade(float("nan")) is None
    assert catalog.resolve_township("东山") == "东山镇"
    assert catalog.resolve_township(" 东山镇 ") == "东山镇"
    assert catalog.resolve_township("不存在镇") is None
    assert catalog.resolve_village("东山镇", "梅源") == "梅源村"
    assert catalog.resolve_village("西河乡", "梅源村") is None


def test_review_scheme(catalog):
    review = catalog.review
    assert dict(zip(review.ratings["rating"], review.ratings["points"])) == \
        {"好": 100, "较好": 80, "一般": 60, "差": 40}
    assert review.rater_groups["weight"].sum() == pytest.approx(1.0)
    assert "不了解" in review.invalid
    assert review.grade_rules[0] == ("差", (("bad_rate", ">=", 1 / 3), ("score", "<", 60.0)))
    assert review.grade_rules[-1] == ("好", ())
    assert review.annual == {"routine": 0.5, "review": 0.3, "satisfaction": 0.2}


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace("[county]\n", "[county]\ncolour = 1\n"), ["county.colour", "未知的键"]),
    (lambda t: t.replace("schema_version = 1", "schema_version = 1\nextra = 2"), ["extra", "未知的键"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'unit = "次"', 'unit = "次"\ncolour = "red"'),
     ["indicators[6]（id = petitions）.colour", "未知的键"]),
    (lambda t: edit_block(t, "indicators", "model_sites", 'id = "model_sites"', 'id = "model_org"'),
     ["id = model_org", ".id", "重复"]),
    (lambda t: edit_block(t, "indicators", "brands", "weight = 1", "weight = 0"),
     ["id = brands", ".weight", "必须大于 0"]),
    (lambda t: edit_block(t, "indicators", "brands", "weight = 1", "weight = -2"),
     ["id = brands", ".weight", "必须大于 0"]),
    (lambda t: edit_block(t, "groups", "conduct", "weight = 0.10", "weight = 0"),
     ["groups[7]（id = conduct）.weight", "必须大于 0"]),
    (lambda t: edit_block(t, "indicators", "office_funds", "target = 5", "target = 12"),
     ["id = office_funds", ".target", "超出评分区间 [0, 10]"]),
    (lambda t: t.replace('[[groups]]\nid = "conduct"', '[[groups]]\nid = "spare"\nweight = 0.1\n\n[[groups]]\nid = "conduct"'),
     ["id = spare", "没有任何指标"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'direction = "lower"', 'direction = "down"'),
     ["id = petitions", ".direction", "higher | lower | monitor"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'level = "village"', 'level = "county"'),
     ["id = petitions", ".level", "village | township"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'aggregate = "mean"', 'aggregate = "median"'),
     ["id = petitions", ".aggregate", "sum | mean | share_meeting_target"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'aggregate = "mean"\n', ''),
     ["id = petitions", ".aggregate", "村级指标必须写明汇总方式"]),
    (lambda t: edit_block(t, "indicators", "petitions", 'group = "weak"', 'group = "nowhere"'),
     ["id = petitions", ".group", "nowhere"]),
    (lambda t: t.replace('any = ["score < 75", "good_rate < 0.70"]', 'any = ["votes < 75"]'),
     ["review.grade_rules[1].any[0]", "votes < 75"]),
    (lambda t: t.replace("share = 0.10", "share = 10"), ["bottom.share", "0 与 1 之间"]),
    (lambda t: t + "\n[broken", ["TOML 格式错误"]),
])
def test_each_catalog_error_names_the_key(tmp_path, catalog_text, edit, expected):
    assert_catalog_error(tmp_path, edit(catalog_text), expected)


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="找不到指标体系文件"):
        load_catalog(tmp_path / "nope.toml")


def test_edited_catalog_loads(tmp_path, catalog_text):
    text = remove_block(catalog_text, "indicators", "brands")
    text = edit_block(text, "groups", "demo", 'name = "示范创建工程"', 'name = "示范引领工程"')
    cat = load_catalog(write_catalog(tmp_path, text))
    assert "brands" not in set(cat.indicators["id"])
    assert cat.groups.set_index("group").loc["demo", "name"] == "示范引领工程"
    assert cat.sha256 != load_catalog().sha256


def test_cli_writes_the_default_catalogue_and_checks_edits(tmp_path, catalog_text):
    out = tmp_path / "mine.toml"
    result = run_cli("catalog", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == catalog_text
    assert run_cli("catalog", "--catalog", str(out)).returncode == 0
    bad = write_catalog(tmp_path, edit_block(catalog_text, "indicators", "brands", "weight = 1", "weight = 0"))
    result = run_cli("validate", "--catalog", str(bad), str(tmp_path))
    assert result.returncode == 2
    assert "id = brands" in result.stderr and "Traceback" not in result.stderr


def test_cli_help_describes_every_subcommand():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("catalog", "template", "sample", "validate"):
        assert name in result.stdout
        sub = run_cli(name, "--help")
        assert sub.returncode == 0 and "--catalog" in sub.stdout
