"""A tiny hand-checkable county for the metrics tests: 2 townships, 5 villages, 2 years."""

from __future__ import annotations

import pandas as pd

from dangjian_analysis.catalog import load_catalog

MINI_TOML = """
schema_version = 1
[county]
name = "测试县"
first_year = 2020
last_year = 2021
[grades]
bands = [{grade = "好", min = 90}, {grade = "较好", min = 80}, {grade = "一般", min = 60}, {grade = "差", min = 0}]
[bottom]
share = 0.5
[[groups]]
id = "a"
name = "甲工程"
weight = 3
[[groups]]
id = "b"
name = "乙工程"
weight = 1
[[indicators]]
id = "funds"
name = "经费"
group = "a"
unit = "万元"
direction = "higher"
level = "village"
aggregate = "share_meeting_target"
target = 5
lo = 0
hi = 10
weight = 1
[[indicators]]
id = "age"
name = "年龄"
group = "a"
unit = "岁"
direction = "lower"
level = "village"
aggregate = "mean"
lo = 40
hi = 60
weight = 3
[[indicators]]
id = "members"
name = "党员"
group = "b"
unit = "人"
direction = "higher"
level = "village"
aggregate = "sum"
weight = 1
[[indicators]]
id = "output"
name = "产值"
group = "b"
unit = "万元"
direction = "higher"
level = "township"
target = 1000
lo = 0
hi = 1000
weight = 1
[[indicators]]
id = "handled"
name = "处置"
group = "b"
unit = "人"
direction = "monitor"
level = "village"
aggregate = "sum"
weight = 1
[[townships]]
id = "T1"
name = "甲镇"
villages = ["一村", "二村", "三村"]
[[townships]]
id = "T2"
name = "乙乡"
villages = ["四村", "五村"]
[[secretaries]]
id = "S1"
name = "甲书记"
unit = "甲镇党委"
type = "乡镇党委书记"
[[secretaries]]
id = "S2"
name = "乙书记"
unit = "乙乡党委"
type = "乡镇党委书记"
[[secretaries]]
id = "S3"
name = "丙书记"
unit = "县直机关工委"
type = "乡镇党委书记"
[review]
ratings = [{rating = "好", points = 100}, {rating = "较好", points = 80}, {rating = "一般", points = 60}, {rating = "差", points = 40}]
invalid = ["不了解", "空白"]
items = ["总体评价"]
top_grade_cap = "1/3"
[[review.rater_groups]]
id = "leaders"
name = "县级领导"
weight = 0.30
[[review.rater_groups]]
id = "residents"
name = "群众"
weight = 0.15
[[review.rater_groups]]
id = "deputies"
name = "代表"
weight = 0.10
[[review.grade_rules]]
grade = "差"
any = ["bad_rate >= 1/3", "score < 60"]
[[review.grade_rules]]
grade = "一般"
any = ["score < 75", "good_rate < 0.70"]
[[review.grade_rules]]
grade = "较好"
any = ["score < 90", "top_rate < 0.60", "bad_rate >= 0.05"]
[[review.grade_rules]]
grade = "好"
"""

VILLAGES = {"一村": ("T1V01", "甲镇"), "二村": ("T1V02", "甲镇"), "三村": ("T1V03", "甲镇"),
            "四村": ("T2V01", "乙乡"), "五村": ("T2V02", "乙乡")}
TOWNS = {"甲镇": "T1", "乙乡": "T2"}

# (year, unit, indicator, value)
ROWS = [
    (2020, "一村", "funds", 4), (2020, "二村", "funds", 5), (2020, "三村", "funds", 6),
    (2020, "一村", "age", 50), (2020, "二村", "age", 44), (2020, "三村", "age", 56),
    (2020, "一村", "members", 2), (2020, "二村", "members", 0), (2020, "三村", "members", 1),
    (2020, "四村", "funds", 5), (2020, "五村", "funds", 3),
    (2020, "四村", "age", 62), (2020, "五村", "age", 42),
    (2020, "四村", "members", 1), (2020, "五村", "members", 1),
    (2020, "一村", "handled", 1),
    (2020, "甲镇", "output", 800), (2020, "乙乡", "output", 1200),
    (2021, "一村", "members", 3), (2021, "二村", "members", 2), (2021, "三村", "members", 0),
    (2021, "四村", "members", 0), (2021, "五村", "members", 0),
    (2021, "甲镇", "output", 500),
]


def mini_catalog(tmp_path_factory):
    path = tmp_path_factory.mktemp("mini") / "mini.toml"
    path.write_text(MINI_TOML, "utf-8")
    return load_catalog(path)


def mini_observations() -> pd.DataFrame:
    rows = []
    for year, unit, indicator, value in ROWS:
        if unit in VILLAGES:
            uid, town = VILLAGES[unit]
            level = "village"
        else:
            uid, town, level = TOWNS[unit], unit, "township"
        rows.append({"unit_id": uid, "unit_name": unit, "level": level, "township": town, "year": year,
                     "indicator": indicator, "value": float(value), "source_file": "手工", "source_sheet": "",
                     "source_cell": ""})
    return pd.DataFrame(rows)


#: The indicators the rubric examples name (catalog/assessment.py; party_meetings is not in the
#: default catalogue), as the catalogue's indicator table has them.
ASSESSMENT_INDICATORS = [
    {"id": "party_meetings", "name": "党委会专题研究党建", "unit": "次", "direction": "higher"},
    {"id": "feature_output", "name": "主导产业产值", "unit": "万元", "direction": "higher"},
    {"id": "households_driven", "name": "带动农户", "unit": "户", "direction": "higher"},
    {"id": "satisfaction", "name": "群众满意度", "unit": "%", "direction": "higher"},
    {"id": "petitions", "name": "信访及群体性事件", "unit": "次", "direction": "lower"},
]
