"""`dangjian report`: every output, offline HTML, the manifest, --check, and byte-identical reruns."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli


def _hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_writes_every_output(report_dir):
    a = _hashes(report_dir)
    assert {"report.html", "summary.xlsx", "slides.pptx", "report.docx", "manifest.json"} <= set(a)
    assert "report.ipynb" not in a                          # the notebook only with --notebook
    assert sum(k.startswith("charts/") and k.endswith(".png") for k in a) == 11
    assert not any(k.endswith(".svg") for k in a)          # SVG only with --svg
    assert {k for k in a if k.startswith("data/")} == {"data/observations.csv", "data/indicator_scores.csv",
                                                      "data/scores.csv", "data/review.csv", "data/issues.csv",
                                                      "data/字段说明.csv"}
    assert not any(p.name.startswith(".") for p in report_dir.parent.iterdir())   # no temporary folder left


def test_summary_workbook(report_dir, sample_dataset_metrics, sample_loaded):
    wb = openpyxl.load_workbook(report_dir / "summary.xlsx")
    assert wb.sheetnames == ["综合排名", "排名稳健性", "敏感性指数", "逐项剔除", "指标得分", "目标达成", "一乡一品", "倒排名单", "晋位升级", "村级晋位升级", "述职评议",
                             "年度考核", "考核等次", "考核得分", "校验问题", "数据来源"]
    for ws in wb.worksheets:                          # a title row on every sheet, headers below it
        assert ws["A1"].value == f"示例县（虚构）2015年度基层党建考核汇总：{ws.title}"
        assert ws.print_title_rows == "$1:$2"
        assert ws.auto_filter.ref is None or ws.auto_filter.ref.startswith("A2:")
    ranking = wb["综合排名"]
    assert ranking.freeze_panes == "B3"
    header = [c.value for c in ranking[2]]
    assert header[:4] == ["排名", "乡镇", "综合指数", "等次"] and "示范创建工程" in header
    expected = sample_dataset_metrics.query("year == 2015 and group == 'overall'").sort_values("rank")
    assert [r[1] for r in ranking.iter_rows(min_row=3, values_only=True)] == expected["unit_name"].tolist()
    assert ranking["C3"].value == pytest.approx(expected["score"].iloc[0])
    assert ranking["C3"].number_format == "0.0"
    source = wb["数据来源"]
    assert [c.value for c in source[2]][-4:] == ["来源文件", "工作表", "单元格", "确认"]
    rows = list(source.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(sample_loaded.observations.query("year <= 2015"))     # every year the charts draw
    assert all(r[-2] for r in rows) and {r[-4] for r in rows} >= {"东山镇.xlsx", "石桥镇.xlsx"}
    assert not any(r[-1] for r in rows)                 # the sample confirms nothing: 确认 blank
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_tidy_csvs_have_a_bom(report_dir, sample_loaded):
    path = report_dir / "data" / "observations.csv"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("单位,层级,乡镇,年度,指标,数值,来源文件")
    assert len(lines) - 1 == len(sample_loaded.observations)


def test_manifest_records_inputs_versions_and_outputs(report_dir, sample_dir):
    manifest = json.loads((report_dir / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"] == {"data": None, "year": None, "catalog": None, "svg": False, "notebook": False,
                                      "previous_report": None, "narrative": None}     # 报告文字: the default
    assert manifest["report_year"] == 2015
    assert len(manifest["inputs"]) == len(list(sample_dir.glob("*.xlsx"))) + 1 == 12     # and the 报告文字.docx read
    assert Path(manifest["inputs"][-1]["file"]).name == "报告文字.docx"
    assert all(len(i["sha256"]) == 64 and Path(i["file"]).is_absolute() for i in manifest["inputs"])
    assert manifest["catalog"]["source"] == "默认指标体系"
    assert {"python", "pandas", "matplotlib", "dangjian-analysis"} <= set(manifest["versions"])
    assert "papermill" not in manifest["versions"]
    outputs = _hashes(report_dir)
    outputs.pop("manifest.json")
    assert manifest["outputs"] == outputs


def test_check_from_another_folder_rebuilds_byte_identical(report_dir, tmp_path):
    result = run_cli("report", "--check", str(report_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    n = len(json.loads((report_dir / "manifest.json").read_text("utf-8"))["outputs"])
    assert result.stdout.strip().splitlines() == [f"全部 {n} 个输出文件与重新运行的结果一致。"]
    assert result.stderr == "" and not list(tmp_path.iterdir())     # only the verdict; nothing left behind


def test_check_detects_tampering(report_dir, tmp_path, monkeypatch):
    from dangjian_analysis.documents import report as report_module
    from dangjian_analysis.documents.report import check_report

    def rebuilt(data, year, catalog, out, **_):          # the rebuild is the session's report (tested above)
        shutil.copytree(report_dir, out)
        (out / "manifest.json").unlink()

    monkeypatch.setattr(report_module, "build_report", rebuilt)
    copy = tmp_path / "copy"
    shutil.copytree(report_dir, copy)
    (copy / "data" / "scores.csv").write_text("篡改", "utf-8")
    ok, lines = check_report(copy)
    assert not ok and lines[-1] == "检查未通过。"
    assert "与 manifest 记录不符（被修改或缺失）：data/scores.csv" in lines
    assert not any(line.startswith("重新运行后不一致") for line in lines)   # the rebuild agrees with the record


def test_svg_and_notebook_on_request_with_the_same_pngs(report_dir, tmp_path):
    out = tmp_path / "svg"
    result = run_cli("report", "--svg", "--notebook", "--out", str(out))
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert steps == ["[1/5] 读取数据…", "[2/5] 校验…", "[3/5] 计算指标…", "[4/5] 绘制图表…", "[5/5] 写出文件…"]
    for bad in ("Traceback", "WARNING", "KeyboardInterrupt"):
        assert bad not in result.stderr
    svgs = sorted(p.name for p in (out / "charts").glob("*.svg"))
    assert len(svgs) == 11 and all("<dc:date>" not in (out / "charts" / n).read_text("utf-8") for n in svgs)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["svg"] is True and f"charts/{svgs[0]}" in manifest["outputs"]
    for png in (report_dir / "charts").glob("*.png"):         # the pictures do not depend on the flags
        assert (out / "charts" / png.name).read_bytes() == png.read_bytes()
    nb = json.loads((out / "report.ipynb").read_text("utf-8"))     # notebook 05 executed on the same inputs
    assert manifest["parameters"]["notebook"] is True and "report.ipynb" in manifest["outputs"]
    assert [c["id"] for c in nb["cells"]] == [f"cell-{k:02d}" for k in range(len(nb["cells"]))]
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    printed = "".join("".join(o.get("text", "")) for o in outputs)
    html = (report_dir / "report.html").read_text("utf-8")
    first = re.search(r"<p>1\. (.+?)</p>", html).group(1)            # the report's first conclusion, printed too
    assert f"1. {first}" in printed
    assert "report.ipynb" in (out / "report.html").read_text("utf-8")      # listed in the appendix only then
    assert "report.ipynb" not in html


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
    head = [c.value for c in issues[2]]
    assert head[-2:] == ["说明", "确认"], head                     # a doubtful value's confirmation beside it
    assert any("很多" in (r[-2] or "") for r in issues.iter_rows(min_row=3, values_only=True))


def test_report_html_and_csvs_show_no_english_labels(report_dir):
    from test_display import english_in, visible_text

    folder = report_dir
    html = (folder / "report.html").read_text("utf-8")
    assert english_in(visible_text(html)) == []
    fields = list(csv.DictReader(io.StringIO((folder / "data" / "字段说明.csv").read_text("utf-8-sig"))))
    for path in sorted((folder / "data").glob("*.csv")):
        text = path.read_bytes().decode("utf-8")
        assert text.startswith("\ufeff"), path.name
        if path.name == "字段说明.csv":
            continue
        assert english_in(text) == [], path.name
        header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert not [h for h in header if re.search("[A-Za-z]", h)], path.name      # every header in Chinese
        described = [f["列名"] for f in fields if f["文件"] == path.name]
        assert described == header and all(f["接口列名"] and f["说明"] for f in fields if f["文件"] == path.name)
    ids = {f["列名"]: f["接口列名"] for f in fields if f["文件"] == "review.csv"}
    assert ids["好票率"] == "top_rate" and ids["评议人类别"] == "rater_group"


def test_summary_indicators_in_catalogue_order_with_true_units_and_chart_colours(report_dir, catalog):
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    wb = openpyxl.load_workbook(report_dir / "summary.xlsx")
    ws = wb["指标得分"]
    assert [c.value for c in ws[2]] == ["乡镇", "分项", "指标", "单位", "数值", "得分"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    first_town = [r for r in rows if r[0] == rows[0][0]]
    scored = [i for i in catalog.indicators["name"] if i in {r[2] for r in first_town}]
    assert [r[2] for r in first_town] == scored                         # catalogue order, not by id
    unit = {r[2]: r[3] for r in rows}
    assert unit["村级办公经费"] == "%（达标村占比）"                      # a share of villages, not 万元
    assert unit["主导产业产值"] == "万元" and unit["两委成员平均年龄"] == "岁（村均）"
    assert unit["列为软弱涣散"] == "村占比（0–1）"
    assert not {r[2] for r in rows} & set(catalog.indicators["id"])
    ranking = wb["综合排名"]
    cmap = colormaps["RdYlBu"]                                          # the charts' score heatmap, as a
    scales = {str(r.sqref): r.rules[0].colorScale for r in ranking.conditional_formatting}  # conditional format
    ends = [to_hex(cmap(x)).lstrip("#").upper() for x in (0.0, 0.5, 1.0)]
    assert [c.rgb[-6:] for c in scales[f"C3:C{ranking.max_row}"].color] == ends
    assert ranking["C3"].fill.fill_type is None
    assert ranking["D3"].fill.fgColor.rgb[-6:] == "67A9CF"              # 较好, as in the charts


def _provisional_scores(scores, towns, years, reason="村级数据不全：13/15 个村有数据"):
    marked = scores.copy()
    rows = marked["unit_name"].isin(towns) & marked["year"].isin(years)
    marked.loc[rows, "provisional"] = True
    marked.loc[rows, "provisional_reason"] = reason
    return marked


def test_summary_marks_provisional_results_with_the_reason(sample_loaded, sample_dataset_metrics, tmp_path):
    from dangjian_analysis.documents.summary import report_tables, write_summary

    scores = sample_dataset_metrics
    if "provisional" not in scores:                      # scores from before the provisional marks
        scores = scores.assign(provisional=False, provisional_reason="", village_coverage=1.0)
    tables = report_tables(sample_loaded, 2015, scores=_provisional_scores(scores, ["东山镇"], [2014, 2015]))
    a = write_summary(tables, tmp_path / "a.xlsx", title="示例县2015")
    b = write_summary(tables, tmp_path / "b.xlsx", title="示例县2015")
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    ranking = wb["综合排名"]
    header = [c.value for c in ranking[2]]
    row = next(r for r in ranking.iter_rows(min_row=3) if r[1].value == "东山镇")
    assert row[header.index("等次")].value.endswith("（待核实）")
    mark = row[header.index("待核实")]
    assert mark.value == "村级数据不全：13/15 个村有数据" and mark.fill.fgColor.rgb[-6:] == "FFF3CD"
    assert "待核实" in ranking["A1"].value
    others = [r for r in ranking.iter_rows(min_row=3) if r[1].value != "东山镇"]
    assert all(not r[header.index("待核实")].value for r in others)
    assert all("待核实" not in r[header.index("等次")].value for r in others)
    moves = {r[0]: r for r in wb["晋位升级"].iter_rows(min_row=3, values_only=True)}
    assert moves["东山镇"][1].endswith("（待核实）") and moves["东山镇"][2].endswith("（待核实）")
    assert "2014年：村级数据不全" in moves["东山镇"][-1] and "2015年：" in moves["东山镇"][-1]
    annual = {r[0]: r for r in wb["年度考核"].iter_rows(min_row=3, values_only=True)}
    assert annual["赵立新"][-1] == "日常考核：村级数据不全：13/15 个村有数据"


def test_summary_without_provisional_columns(sample_loaded, sample_dataset_metrics, tmp_path):
    from dangjian_analysis.documents.summary import provisional_marks, report_tables, write_summary

    plain = sample_dataset_metrics.drop(columns=["provisional", "provisional_reason", "village_coverage"],
                                        errors="ignore")
    assert provisional_marks(plain, 2015) == {}
    tables = report_tables(sample_loaded, 2015, scores=plain)
    wb = openpyxl.load_workbook(write_summary(tables, tmp_path / "plain.xlsx"))
    assert wb["综合排名"]["A1"].value == "综合排名"
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3, values_only=True):
            assert not any(isinstance(v, str) and "待核实" in v for v in row), ws.title


def test_failed_or_interrupted_rerun_leaves_the_previous_report(report_dir, tmp_path, monkeypatch):
    from dangjian_analysis.documents import pipeline
    from dangjian_analysis.documents.report import ReportError, build_report

    out = tmp_path / "report"
    shutil.copytree(report_dir, out)
    before = _hashes(out)
    with pytest.raises(ReportError):
        build_report(year=2030, out=out, progress=False)
    assert _hashes(out) == before

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "write_documents", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_report(out=out, progress=False)
    assert _hashes(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_output_folder_with_other_files_is_refused(tmp_path):
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "工作计划.docx").write_bytes(b"x")
    result = run_cli("report", "--out", str(mine))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"dangjian report：输出文件夹 {mine} 中有不是本工具上次生成的文件（工作计划.docx），为免删除，"
        "请把它们移到别处后重新运行，或换一个输出文件夹")
    assert sorted(p.name for p in mine.iterdir()) == ["工作计划.docx"]


def test_relative_catalog_and_data_from_another_folder(tmp_path, sample_dir):
    from dangjian_analysis.catalog import default_catalog_text

    (tmp_path / "本县指标体系.toml").write_text(default_catalog_text(), "utf-8")
    shutil.copytree(sample_dir, tmp_path / "数据")
    result = run_cli("rank", "数据", "--catalog", "本县指标体系.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "示例县（虚构） 2015 年度乡镇基层党建综合指数排名" in result.stdout


def test_notebook_kernel_is_this_python_whatever_is_registered(tmp_path, monkeypatch):
    """A ``python3`` kernel registered by another Python (common outside a venv) is not used."""
    from jupyter_client.kernelspec import KernelSpecManager

    kernels = tmp_path / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({"argv": ["/nonexistent/python", "-m", "ipykernel_launcher",
                                                              "-f", "{connection_file}"],
                                                     "display_name": "其他 Python", "language": "python"}), "utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python"   # what nbclient would take
    from dangjian_analysis.documents.notebook import execute_report_notebook

    monkeypatch.setattr("dangjian_analysis.resources.notebook_text", lambda name: json.dumps({
        "cells": [{"id": "a", "cell_type": "code", "execution_count": None, "metadata": {"tags": ["parameters"]},
                   "outputs": [],
                   "source": "DATA = None"},
                  {"id": "b", "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": "import sys\nprint(sys.executable)"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    path = execute_report_notebook(tmp_path / "nb.ipynb")
    nb = json.loads(path.read_text("utf-8"))
    assert "".join(nb["cells"][-1]["outputs"][0]["text"]).strip() == sys.executable
