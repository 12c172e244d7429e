"""The 一乡一品 table (issue 25 §5): each township's 主导产业 named (or said not recorded), the
townships in the county's order, a 全县 row; headers name + unit with nested brackets plain."""

from __future__ import annotations

from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from dangjian_analysis.documents.report_labels import feature_note, label_table, unit_header
from dangjian_analysis.documents.report_tables import NOT_RECORDED, feature_table


def _indicators():
    rows = [("西河乡", "feature_output", 1000.0), ("西河乡", "feature_share", 20.0), ("西河乡", "brands", 2.0),
            ("东山镇", "feature_output", 3000.5), ("东山镇", "feature_share", 41.0), ("东山镇", "brands", 1.0),
            ("东山镇", "office_funds", 99.0)]                   # not 一乡一品: left out
    return pd.DataFrame({"unit_name": [r[0] for r in rows], "indicator": [r[1] for r in rows],
                         "value": [r[2] for r in rows], "year": 2015})


def _unnamed(catalog):
    """The catalogue with no township's 主导产业 written (``product`` absent)."""
    return SimpleNamespace(indicators=catalog.indicators, indicator=catalog.indicator,
                           townships=catalog.townships.assign(product=None))


def test_the_sample_catalogue_names_each_product(catalog):
    table = feature_table(_indicators(), catalog, 2015)
    assert list(table["product"]) == ["茶叶", "食用菌", ""]          # [[townships]] product of T01, T02


def test_feature_table_in_county_order_with_a_county_row(catalog):
    table = feature_table(_indicators(), _unnamed(catalog), 2015)
    assert list(table.columns) == ["township", "product", "feature_output", "feature_share", "brands"]
    assert list(table["township"]) == ["东山镇", "西河乡", "全县"]        # catalogue order (东山镇 is T01)
    assert list(table["product"]) == [NOT_RECORDED, NOT_RECORDED, ""]
    county = table.iloc[-1]
    assert county["feature_output"] == 4000.5                             # 万元: the total
    assert county["feature_share"] == 30.5                                # %: the mean of 41 and 20
    assert county["brands"] == 3 and str(table["brands"].dtype) == "Int64"   # 个: whole numbers


def test_feature_table_names_the_product_when_the_catalogue_does(catalog):
    named = SimpleNamespace(indicators=catalog.indicators, indicator=catalog.indicator,
                            townships=catalog.townships.assign(product=["茶叶", "柑橘", *[None] * 8]))
    table = feature_table(_indicators(), named, 2015)
    assert list(table["product"]) == ["茶叶", "柑橘", ""]
    assert "未登记" not in feature_note(named, table)


def test_feature_headers_and_note(catalog):
    table = feature_table(_indicators(), _unnamed(catalog), 2015)
    labelled = label_table("feature", table, catalog=catalog)
    assert list(labelled.columns) == ["乡镇", "主导产业", "主导产业产值（万元）", "主导产业占农业总产值比重（%）",
                                      "注册商标品牌（个）"]
    assert feature_note(catalog, table) == (
        "各乡镇一乡一品主导产业及其指标值（单位见表头），乡镇按全县统一顺序排列；末行为全县：主导产业产值、注册商标品牌"
        "为各乡镇合计，主导产业占农业总产值比重为各乡镇平均。指标体系中没有写主导产业（[[townships]] 的 product）的乡镇，表中写“未登记”。")
    assert unit_header("驻点走访农户覆盖率", "%（村均）") == "驻点走访农户覆盖率（%，村均）"


def test_summary_has_the_feature_sheet_with_whole_counts(report_dir):
    ws = openpyxl.load_workbook(report_dir / "summary.xlsx")["一乡一品"]
    header = [c.value for c in ws[2]]
    assert header[:3] == ["乡镇", "主导产业", "主导产业产值（万元）"]
    rows = list(ws.iter_rows(min_row=3))
    assert rows[-1][0].value == "全县" and len(rows) == 11
    assert rows[-1][2].value == pytest.approx(sum(r[2].value for r in rows[:-1]))
    count = header.index("专业村（个）")
    assert all(r[count].number_format == "0" for r in rows)
