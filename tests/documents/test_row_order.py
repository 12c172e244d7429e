"""One row order per kind of table (issue 25 §5, report_tables.ROW_ORDER): tables that rank follow
this year's rank, tables of values per township the county's official order with 全县 last."""

from __future__ import annotations

import pytest

from dangjian_analysis.documents.report_tables import ROW_ORDER, build_tables


@pytest.fixture(scope="module")
def tables(sample_loaded, sample_dataset_metrics, catalog):
    from dangjian_analysis.documents.robust_report import rank_robustness

    return build_tables(sample_loaded, 2015, catalog=catalog, scores=sample_dataset_metrics,
                        robust=rank_robustness(sample_loaded, catalog))


def _towns(frame):
    return list(dict.fromkeys(frame["township"]))


def test_each_kind_of_table_has_its_one_order(tables, catalog, sample_dataset_metrics):
    official = list(catalog.townships["unit_name"])
    ranked = (sample_dataset_metrics.query("year == 2015 and group == 'overall'").sort_values("rank")["unit_name"]
              .tolist())
    assert ranked != official                                   # the sample tells the two orders apart
    assert _towns(tables["ranking"]) == ranked
    assert _towns(tables["moves"]) == ranked                     # 晋位升级 as the ranking, not by grade or name
    for name in ("robustness", "leave_one_out"):                 # 排名稳健性, 逐项剔除 as the ranking
        assert _towns(tables[name]) == ranked, name
    for name in ("indicator_scores", "village_moves"):
        assert _towns(tables[name]) == official, name
    for name in ("attainment", "feature"):
        assert _towns(tables[name]) == [*official, "全县"], name
    assert list(tables["bottom"]["bottom_rank"]) == sorted(tables["bottom"]["bottom_rank"])
    for name in ("review", "annual"):
        for _, part in tables[name].groupby("type", sort=False):
            assert list(part["rank"]) == sorted(part["rank"]), name
    assert set(ROW_ORDER) <= set(tables) and set(ROW_ORDER.values()) == {"rank", "county"}
