"""``[assessment]`` grading keys (classes, grades, gates, consequences, quota settings), the ``[notice]``
section and the ballot rules of ``[review]``: loaded as written, each mistake named by its key."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib

import pandas as pd
import pytest

from dangjian_analysis.catalog import CatalogError, default_catalog_text, load_catalog
from dangjian_analysis.catalog.assessment import DISQUALIFIED, Consequence, Gate, Grade, build_assessment
from mini import ASSESSMENT_INDICATORS

INDICATORS = pd.DataFrame(ASSESSMENT_INDICATORS)
TOWN, DEPT = "乡镇党委书记", "县直党（工）委书记"


def rubric(**extra) -> dict:
    """40 points shared, 60 per class: 100 for each class."""
    raw = {"name": "考核", "points": 100, "items": [
        {"id": "A1", "name": "台账", "points": 40, "rule": {"kind": "per_incident", "deduct": 2}},
        {"id": "T1", "name": "产值", "points": 60, "classes": [TOWN],
         "rule": {"kind": "proportional_to_best", "indicator": "feature_output"}},
        {"id": "D1", "name": "任务", "points": 60, "classes": [DEPT], "rule": {"kind": "per_incident", "deduct": 5}}],
        "grades": [{"grade": "好", "min": 90, "quota": "1/3"}, {"grade": "较好", "min": 80}, {"grade": "一般"}]}
    raw.update(extra)
    return raw


def build(raw, **kw):
    return build_assessment(raw, INDICATORS, classes=(TOWN, DEPT), **kw)


def test_classes_grades_gates_and_consequences_load_as_written():
    a = build(rubric(gates=[{"id": "G1", "name": "满意度低", "when": "satisfaction < 85", "best": "一般",
                             "classes": [TOWN]}],
                     consequences=[{"grade": "好", "text": "通报表扬"}, {"grade": DISQUALIFIED, "text": "检查",
                                                                          "rectify_days": 30}],
                     ties="share", tie_break=["base", "deduction"], quota_base="all", decimals=1))
    assert a.classes == (TOWN, DEPT)
    assert [i.id for i in a.items_for(TOWN)] == ["A1", "T1"] and [i.id for i in a.items_for(DEPT)] == ["A1", "D1"]
    assert a.grades == (Grade("好", 90.0, 1 / 3), Grade("较好", 80.0, None), Grade("一般", None, None))
    assert a.gates == (Gate("G1", "满意度低", "satisfaction", "<", 85.0, "一般", (TOWN,)),)
    assert a.consequence(DISQUALIFIED) == Consequence(DISQUALIFIED, "检查", 30) and a.consequence("较好") is None
    assert (a.ties, a.tie_break, a.quota_base, a.quota_rounding, a.undecided, a.decimals) == \
        ("share", ("base", "deduction"), "all", "floor", "待定", 1)


def test_grades_default_to_the_catalogue_bands():
    raw = rubric()
    del raw["grades"]
    bands = pd.DataFrame({"grade": ["好", "较好", "差"], "min": [85.0, 70.0, 0.0]})
    assert build(raw, bands=bands).grades == (Grade("好", 85.0), Grade("较好", 70.0), Grade("差"))


@pytest.mark.parametrize("change, expected", [
    (lambda r: r["items"][2].update(points=50),
     "assessment.points 为 100，但适用于“县直党（工）委书记”的小项分值合计 90：两者必须相等"),
    (lambda r: r["items"][1].update(classes=["村书记"]),
     "assessment.items[1]（id = T1）.classes 中的 村书记 不是书记类别"),
    (lambda r: r["grades"][2].update(min=50), "assessment.grades[2] （一般）是最后一个等次（兜底），不能写 min 或 quota"),
    (lambda r: r["grades"][1].update(min=95), "assessment.grades[1].min 为 95，高于上一等次的 90"),
    (lambda r: r["grades"][0].update(quota=1.5), "assessment.grades[0].quota 应大于 0 且不超过 1，实际为 1.5"),
    (lambda r: r["grades"][0].update(quota="1/0"), "assessment.grades[0].quota 应为 0 与 1 之间的数值或分数"),
    (lambda r: r["grades"][1].update(grade="好"), "assessment.grades[1].grade 重复：“好”已出现"),
    (lambda r: r.update(ties="random"), "assessment.ties 应为 undecided | share，实际为 'random'"),
    (lambda r: r.update(undecided="好"), "assessment.undecided 应为不同于各等次名称的非空文字"),
    (lambda r: r.update(tie_break=["name"]), "assessment.tie_break[0] 无法识别 'name'"),
    (lambda r: r.update(gates=[{"id": "G1", "name": "x", "when": "satisfaction 85", "best": "一般"}]),
     "assessment.gates[0]（id = G1）.when 无法识别 'satisfaction 85'"),
    (lambda r: r.update(gates=[{"id": "G1", "name": "x", "when": "happiness < 85", "best": "一般"}]),
     "assessment.gates[0]（id = G1）.when 中的 'happiness' 既不是指标编号"),
    (lambda r: r.update(gates=[{"id": "G1", "name": "x", "when": "review < 60", "best": "好"}]),
     "assessment.gates[0]（id = G1）.best 应为除最好等次外的一个等次（较好、一般）"),
    (lambda r: r.update(gates=[{"id": "A1", "name": "x", "when": "review < 60", "best": "一般"}]),
     "assessment.gates[0]（id = A1）.id 重复"),
    (lambda r: r.update(consequences=[{"grade": "优秀", "text": "x"}]),
     "assessment.consequences[0].grade 应为一个等次（好、较好、一般、待定、取消评选资格），实际为 '优秀'"),
    (lambda r: r.update(consequences=[{"grade": "好", "text": "x", "rectify_days": 0}]),
     "assessment.consequences[0].rectify_days 应为正整数"),
    (lambda r: r.update(decimals=9), "assessment.decimals 应为 0 到 6 的整数，实际为 9"),
])
def test_each_grading_mistake_names_its_key(change, expected):
    raw = copy.deepcopy(rubric())
    change(raw)
    with pytest.raises(CatalogError) as info:
        build(raw)
    assert expected.replace(" （", "（") in str(info.value).replace(" （", "（")


def _catalog_with(tmp_path, text: str):
    path = tmp_path / "本县.toml"
    path.write_text(default_catalog_text() + "\n" + text, "utf-8")
    return load_catalog(path)


def test_the_default_catalogue_rubric_covers_every_rule_kind_per_class():
    cat = load_catalog()
    a = cat.assessment
    assert a.classes == (TOWN, DEPT)
    assert {i.rule.kind for i in a.items} == {"per_shortfall", "per_incident", "checklist", "rank_points",
                                               "proportional_to_best", "from_indicator"}
    for cls in a.classes:
        assert sum(i.points for i in a.items_for(cls)) == 100
    assert {v.effect for v in a.vetoes} == {"not_top", "disqualify"}
    assert a.grades[0] == Grade("好", 85.0, 1 / 3)
    assert (cat.review.same_rating_invalid, cat.review.trim) == (True, 1)
    n = cat.notice
    assert (n.issuer, n.number_of(2015), n.title_of(2015), n.date, n.show_scores) == (
        "中共示例县委组织部", "示组通〔2016〕1号", "关于2015年度党组织书记抓基层党建工作考核结果的通报", None, False)


def test_a_catalogue_without_the_sections_has_none(tmp_path):
    raw = tomllib.loads(default_catalog_text())
    assert "assessment" in raw and "notice" in raw
    text = default_catalog_text()
    cut = text[:text.index("# 考核细则（可省略）")]
    path = tmp_path / "无细则.toml"
    path.write_text(cut, "utf-8")
    cat = load_catalog(path)
    assert cat.assessment is None and cat.notice is None and cat.review.trim == 1


@pytest.mark.parametrize("text, expected", [
    ("[notice]\nto = \"各乡镇\"\n", "notice.issuer 缺失（必填）"),
    ("[notice]\nissuer = \"部\"\nnumber = \"组通〔{yr}〕1号\"\n", "notice.number 中只能用 {year}（考核年度）和 {next_year}"),
    ("[notice]\nissuer = \"部\"\ndate = \"明年\"\n", "notice.date 成文日期“明年”无法识别"),
    ("[notice]\nissuer = \"部\"\nshow_scores = \"否\"\n", "notice.show_scores 应为 true 或 false"),
    ("[notice]\nissuer = \"部\"\nseal = true\n", "notice.seal 是未知的键"),
])
def test_notice_mistakes_name_the_file_and_key(tmp_path, text, expected):
    base = default_catalog_text()
    base = base[:base.index("[notice]")]
    path = tmp_path / "本县.toml"
    path.write_text(base + text, "utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value).startswith(f"指标体系 {path}：") and expected in str(info.value)


def test_notice_date_and_defaults(tmp_path):
    base = default_catalog_text()
    path = tmp_path / "本县.toml"
    path.write_text(base[:base.index("[notice]")] + '[notice]\nissuer = "中共某县委组织部"\ndate = 2017-02-20\n', "utf-8")
    n = load_catalog(path).notice
    assert (n.date, n.number_of(2016), n.printed_by, n.to) == (dt.date(2017, 2, 20), None, "中共某县委组织部", None)


@pytest.mark.parametrize("old, new, expected", [
    ("trim = 1\n", "trim = -1\n", "review.trim 是每类评议人去掉的最高分和最低分的个数，应为 0 或正整数，实际为 -1"),
    ("same_rating_invalid = true\n", "same_rating_invalid = 1\n", "review.same_rating_invalid 应为true 或 false，实际为 1"),
])
def test_ballot_rule_mistakes(tmp_path, old, new, expected):
    text = default_catalog_text()
    assert text.count(old) == 1
    path = tmp_path / "本县.toml"
    path.write_text(text.replace(old, new), "utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert expected in str(info.value)


def test_dangjian_catalog_summarises_the_rubric():
    from dangjian_analysis.cli import main

    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["catalog"]) == 0
    # 4 shared + 6 township + 4 county-department items; 100 points per class
    assert ("考核细则“党组织书记抓基层党建工作考核”：14 个小项（每类 100 分）、3 项加分、2 项扣分、2 项一票否决、1 道门槛；"
            "等次 好（不超过 33%）、较好、一般、差。") in out.getvalue()
