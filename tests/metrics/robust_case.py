"""A 3-township county worked by hand for the robustness tests.

Two 工程 of equal weight, one township indicator each, goalposts 0–100 (a value is its score):

=====  ====  ====  =====================  ==============================
unit    x     y    arithmetic (x + y)/2    geometric √((x+1)(y+1)) − 1
=====  ====  ====  =====================  ==============================
甲镇    100    0    50   → rank 1          √101 − 1 = 9.05  → rank 3
乙乡     30   30    30   → rank 2          30               → rank 1
丙镇     20   22    21   → rank 3          √(21·23) − 1 = 20.98 → rank 2
=====  ====  ====  =====================  ==============================

Weights × U[0.75, 1.25] never change these ranks: arithmetic 甲镇 ≥ 100 × 0.75/(0.75 + 1.25) =
37.5 > 30 > 丙镇 ≤ 22; geometric 甲镇 ≤ 101^0.625 − 1 = 16.9 < 丙镇 (≥ 20) < 30. Under the
geometric mean the ranks move by (2 + 1 + 1)/3 = 4/3 places on average. The bottom share 0.3
lists ceil(0.9) = 1 township.
"""

from __future__ import annotations

import pandas as pd

from dangjian_analysis.catalog import load_catalog

from mini import MINI_TOML

HEAD = """
schema_version = 1
[county]
name = "三乡县"
first_year = 2020
[grades]
bands = [{grade = "好", min = 90}, {grade = "较好", min = 80}, {grade = "一般", min = 60}, {grade = "差", min = 0}]
[bottom]
share = 0.3
[[groups]]
id = "a"
name = "甲工程"
weight = 1
[[groups]]
id = "b"
name = "乙工程"
weight = 1
[[indicators]]
id = "x"
name = "指标甲"
group = "a"
unit = "分"
direction = "higher"
level = "township"
lo = 0
hi = 100
weight = 1
[[indicators]]
id = "y"
name = "指标乙"
group = "b"
unit = "分"
direction = "higher"
level = "township"
lo = 0
hi = 100
weight = 1
[[townships]]
id = "T1"
name = "甲镇"
villages = ["一村"]
[[townships]]
id = "T2"
name = "乙乡"
villages = ["二村"]
[[townships]]
id = "T3"
name = "丙镇"
villages = ["三村"]
"""

VALUES = {"甲镇": (100, 0), "乙乡": (30, 30), "丙镇": (20, 22)}
IDS = {"甲镇": "T1", "乙乡": "T2", "丙镇": "T3"}


def three_catalog(tmp_path_factory, extra: str = ""):
    path = tmp_path_factory.mktemp("three") / "three.toml"
    path.write_text(HEAD + extra + "\n[[secretaries]]" + MINI_TOML.split("[[secretaries]]", 1)[1], "utf-8")
    return load_catalog(path)


def three_observations() -> pd.DataFrame:
    rows = []
    for town, pair in VALUES.items():
        for indicator, value in zip(("x", "y"), pair):
            rows.append({"unit_id": IDS[town], "unit_name": town, "level": "township", "township": town,
                         "year": 2020, "indicator": indicator, "value": float(value), "source_file": "手工",
                         "source_sheet": "", "source_cell": ""})
    return pd.DataFrame(rows)
