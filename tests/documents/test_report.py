"""`dangjian report`: every output, offline HTML, the manifest, --check, and byte-identical reruns."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import openpyxl
import pytest

from helpers import run_cli


def _hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The README's main job run twice, each in a fresh process."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name) / "report"
        result = run_cli("report", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert "[1/5] 读取数据" in result.stderr and "[5/5] 写出文件" in result.stderr
        assert "Traceback" not in result.stderr and "WARNING" not in result.stderr
        outs.append(out)
    return outs


def test_report_is_byte_identical_across_runs(reports):
    a, b = (_hashes(o) for o in reports)
    assert a == b
    expected = {"report.html", "report.ipynb", "summary.xlsx", "slides.pptx", "manifest.json"}
    assert expected <= set(a)
    assert sum(k.startswith("charts/") and k.endswith(".png") for k in a) == 11
    assert sum(k.startswith("charts/") and k.endswith(".svg") for k in a) == 11
    assert {k for k in a if k.startswith("data/")} == {"data/observations.csv", "data/indicator_scores.csv",
                                                      "data/scores.csv", "data/review.csv", "data/issues.csv"}


def test_html_is_offline_chinese_without_code(reports):
    html = (reports[0] / "report.html").read_text("utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html)
    assert "示例县（虚构）2015年度基层党建考核报告" in html
    assert len(re.findall(r'<img alt="图表"[^>]*src="data:image/png;base64,', html)) == 11
    assert "import dangjian_analysis" not in html and "dj.load(" not in html
    assert "倒排整顿的村" in html and "金谷镇" in html
    assert '<html lang="zh-CN">' in html


def test_executed_notebook_is_normalised(reports):
    nb = json.loads((reports[0] / "report.ipynb").read_text("utf-8"))
    assert "papermill" not in nb["metadata"]
    assert [c["id"] for c in nb["cells"]] == [f"cell-{k:02d}" for k in range(len(nb["cells"]))]
    assert all("execution" not in c["metadata"] for c in nb["cells"])
    assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_summary_workbook(reports, sample_dataset_metrics, sample_loaded):
    wb = openpyxl.load_workbook(reports[0] / "summary.xlsx")
    assert wb.sheetnames == ["综合排名", "指标得分", "目标达成", "倒排名单", "晋位升级", "述职评议", "年度考核",
                             "校验问题", "数据来源"]
    ranking = wb["综合排名"]
    assert ranking.freeze_panes == "B2"
    header = [c.value for c in ranking[1]]
    assert header[:4] == ["排名", "乡镇", "综合指数", "等次"] and "示范创建工程" in header
    expected = sample_dataset_metrics.query("year == 2015 and group == 'overall'").sort_values("rank")
    assert [r[1] for r in ranking.iter_rows(min_row=2, values_only=True)] == expected["unit_name"].tolist()
    assert ranking["C2"].value == pytest.approx(expected["score"].iloc[0])
    assert ranking["C2"].number_format == "0.0"
    assert len(ranking.conditional_formatting) >= 1
    source = wb["数据来源"]
    assert [c.value for c in source[1]][-3:] == ["来源文件", "工作表", "单元格"]
    rows = list(source.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(sample_loaded.observations.query("year == 2015"))
    assert all(r[-1] for r in rows) and {r[-3] for r in rows} >= {"东山镇.xlsx", "石桥镇.xlsx"}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_tidy_csvs_have_a_bom(reports, sample_loaded):
    path = reports[0] / "data" / "observations.csv"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("unit_id,unit_name,level,township,year,indicator,value")
    assert len(lines) - 1 == len(sample_loaded.observations)


def test_manifest_records_inputs_versions_and_outputs(reports):
    folder = reports[0]
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["year"] is None
    assert len(manifest["inputs"]) == 11 and all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["catalog"]["source"] == "默认指标体系"
    assert {"python", "pandas", "matplotlib", "papermill", "dangjian-analysis"} <= set(manifest["versions"])
    outputs = _hashes(folder)
    outputs.pop("manifest.json")
    assert manifest["outputs"] == outputs


def test_check_passes_and_detects_tampering(reports, tmp_path):
    result = run_cli("report", "--check", str(reports[0]))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "全部" in result.stdout and "一致" in result.stdout
    copy = tmp_path / "copy"
    shutil.copytree(reports[0], copy)
    (copy / "data" / "scores.csv").write_text("篡改", "utf-8")
    result = run_cli("report", "--check", str(copy))
    assert result.returncode == 1 and "data/scores.csv" in result.stdout


def test_fatal_problem_is_one_chinese_line(tmp_path):
    result = run_cli("report", "--year", "1999", "--out", str(tmp_path / "r"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == \
        "dangjian report：数据中没有 1999 年度的指标数据（有：2012、2013、2014、2015）"
    assert "Traceback" not in result.stderr
    result = run_cli("report", "--data", str(tmp_path / "nope"))
    assert result.returncode == 2 and "找不到数据" in result.stderr


def test_report_with_data_problems_lists_them(tmp_path, sample_copy):
    from helpers import edit

    edit(sample_copy / "东山镇.xlsx", "村级指标", {("office_funds", 9): "很多"})
    out = tmp_path / "r"
    result = run_cli("report", "--data", str(sample_copy), "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "report.html").read_text("utf-8")
    assert "发现错误 1 条" in html and "很多" in html
    issues = openpyxl.load_workbook(out / "summary.xlsx")["校验问题"]
    assert any("很多" in (r[-1] or "") for r in issues.iter_rows(min_row=2, values_only=True))
