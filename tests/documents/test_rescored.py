"""A re-scored year is said: last year's report gave other figures under the old catalogue."""

from __future__ import annotations

import json

import docx
import pytest

from dangjian_analysis.catalog import default_catalog_text
from helpers import edit_block, run_cli


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """报告/2014 with the default catalogue; then 报告/2015 with the 示范创建 group's weight doubled,
    found beside it (no --previous-report given)."""
    root = tmp_path_factory.mktemp("rescored")
    text = edit_block(default_catalog_text(), "groups", "demo", "weight = 0.15", "weight = 0.30")
    (root / "新指标体系.toml").write_text(text, "utf-8")
    from dangjian_analysis.documents.pipeline import build_report

    build_report(year=2014, out=root / "报告" / "2014", progress=False)        # in process: the CLI is tested
    build_report(catalog=root / "新指标体系.toml", out=root / "报告" / "2015", progress=False)   # elsewhere
    return root


def test_the_report_says_what_re_scoring_changed(two_years, sample_loaded):
    import dangjian_analysis as dj

    old = dj.score_composite(sample_loaded).query("year == 2014 and group == 'overall'").set_index("unit_name")
    cat = dj.load_catalog(two_years / "新指标体系.toml")
    new = dj.score_composite(sample_loaded, cat).query("year == 2014 and group == 'overall'").set_index("unit_name")
    was, now = round(old["score"].mean(), 1), round(new["score"].mean(), 1)
    assert was != now
    text = [p.text for p in docx.Document(str(two_years / "报告" / "2015" / "report.docx")).paragraphs]
    said = f"按本年指标体系重算：2014年全县乡镇综合指数平均原报告为 {was:.1f} 分，现为 {now:.1f} 分"
    assert text[4].startswith(f"2. {said}")                     # right after the county mean in 主要结论
    assert text[3].startswith("1. 2015年全县乡镇综合指数平均") and f"比2014年（{now:.1f} 分）" in text[3]
    moved = [u for u in new.index if old.loc[u, "rank"] != new.loc[u, "rank"]]
    details = next(t for t in text if t.startswith("2014年 ") and "因重算而变化" in t)
    assert all(f"{u}（第 {old.loc[u, 'rank']} 名 → 第 {new.loc[u, 'rank']} 名）" in details for u in moved)
    manifest = json.loads((two_years / "报告" / "2015" / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["previous_report"].endswith("报告/2014") and manifest["report_year"] == 2015


def test_same_catalogue_says_nothing(two_years, tmp_path):
    from dangjian_analysis.documents.rescored import rescored_sentences
    import dangjian_analysis as dj

    ds = dj.load(dj.sample_path(), progress=False)
    assert rescored_sentences(dj.score_composite(ds), ds.catalog, two_years / "报告" / "2014") == []
    result = run_cli("report", "--previous-report", str(tmp_path), "--out", str(tmp_path / "r"))
    assert result.returncode == 1 and "不是 dangjian report 生成的报告文件夹" in result.stderr
