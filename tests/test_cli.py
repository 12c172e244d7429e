"""`dangjian validate` called as a user would: exit codes, JSON shape, the problem workbook."""

from __future__ import annotations

import json
import re

import openpyxl

from helpers import run_cli
from helpers import edit


def test_validate_sample_is_clean(sample_dir):
    result = run_cli("validate", str(sample_dir))
    assert result.returncode == 0, result.stderr
    assert "共 11 个文件：错误 0 条" in result.stdout
    lines = re.findall(r"读取 (\d+) 个单元格 = 采用 (\d+) \+ 拒收 (\d+) \+ 空白 (\d+)", result.stdout)
    assert len(lines) == 11
    assert all(int(r) == int(a) + int(j) + int(e) for r, a, j, e in lines)
    # 东山镇: 15 villages x 4 years x 22 village indicators + 4 years x (2 township + 7 一乡一品)
    assert lines[0][0] == str(15 * 4 * 22 + 4 * (2 + 7)) and lines[0][2] == "0"
    assert result.stderr == ""


def test_validate_errors_exit_1_with_cells_named(sample_copy):
    edit(sample_copy / "东山镇.xlsx", "村级指标", {"E8": "=SUM(A1:A2)", ("office_funds", 9): "很多"})
    result = run_cli("validate", str(sample_copy))
    assert result.returncode == 1
    assert "[错误] 村级指标 E8" in result.stdout and "公式" in result.stdout
    assert "很多" in result.stdout and "Traceback" not in result.stderr


def test_validate_json_is_one_object(sample_copy):
    edit(sample_copy / "西河乡.xlsx", "村级指标", {("training_rate", 4): 120})
    result = run_cli("validate", "--json", str(sample_copy))
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"files", "issues", "roll"}
    assert set(payload["files"][0]) == {"file", "name", "status", "cells_read", "cells_accepted", "cells_rejected",
                                        "cells_empty"}
    assert payload["roll"]["year"] == 2015 and len(payload["roll"]["units"]) == 15      # 10 townships, 5 county tables (2 of the 考核细则)
    assert set(payload["issues"][0]) == {"file", "sheet", "cell", "severity", "code", "message", "confirmed",
                                         "confirmation"}
    assert [i["code"] for i in payload["issues"]] == ["over_100"]
    for f in payload["files"]:
        assert f["cells_read"] == f["cells_accepted"] + f["cells_rejected"] + f["cells_empty"]


def test_validate_xlsx_writes_formula_like_text_as_text(sample_copy, tmp_path):
    edit(sample_copy / "东山镇.xlsx", "村级指标", {("office_funds", 5): "=HYPERLINK(\"http://x\")",
                                                ("satisfaction", 5): "@SUM(1)"})
    out = tmp_path / "问题清单.xlsx"
    result = run_cli("validate", "--xlsx", str(out), str(sample_copy / "东山镇.xlsx"))
    assert result.returncode == 1 and out.exists()
    wb = openpyxl.load_workbook(out)
    ws = wb["问题清单"]
    assert [c.value for c in ws[1]] == ["乡镇", "文件", "工作表", "单元格", "说明", "级别", "类别", "怎么改"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 2 and [r[6] for r in rows] == ["数值", "公式"] and all(r[0] == "东山镇" and r[7] for r in rows)
    for row in ws.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in row)
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    summary = wb["文件汇总"]
    assert summary["B2"].value == "东山镇.xlsx" and summary["A2"].value == "东山镇" and summary["H2"].value == 2


def test_formula_injection_in_problem_list_stays_text(tmp_path):
    from dangjian_analysis.intake import load
    from dangjian_analysis.documents.issues import export_issues

    bad = tmp_path / "=cmd.csv"
    bad.write_text("乡镇,年度,主导产业产值（万元）\n=1+1,2015,5\n", "utf-8")
    ds = load(bad)
    out = export_issues(ds, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert ws["B2"].value == "=cmd.csv" and ws["B2"].data_type == "s"


def test_usage_errors_exit_2(tmp_path):
    result = run_cli("validate", str(tmp_path / "missing"))
    assert result.returncode == 2 and "找不到文件或文件夹" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("validate").returncode == 2
    assert run_cli().returncode == 2


def test_rank_prints_the_township_ranking(sample_dataset_metrics, sample_facts):
    result = run_cli("rank")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "采用指标值" in out and "2015 年度乡镇基层党建综合指数排名" in out
    expected = sample_dataset_metrics.query("year == 2015 and group == 'overall'").sort_values("rank")
    rows = [line.split() for line in out.splitlines() if re.match(r"^\s+\d+\s+\S+镇|^\s+\d+\s+\S+乡", line)]
    assert [r[1] for r in rows[:10]] == expected["unit_name"].tolist()
    assert [float(r[2]) for r in rows[:10]] == expected["score"].round(1).tolist()
    listed = [line.split()[1] for line in out.splitlines() if re.match(r"^\s+\d+\. ", line)]
    assert listed == [t + v for t, v in zip(sample_facts["bottom_towns"], sample_facts["bottom"])]
    assert "倒排整顿（全县 127 个村中综合指数最低的 10%）：" in out


def test_rank_usage_and_data_errors(sample_dir, tmp_path):
    result = run_cli("rank", str(sample_dir), "--year", "1999")
    assert result.returncode == 1 and "没有 1999 年度" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("rank", str(tmp_path / "nope"))
    assert result.returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("rank", str(empty))
    assert result.returncode == 1 and "是空的" in result.stderr and "Traceback" not in result.stderr
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "说明.txt").write_text("x", "utf-8")
    result = run_cli("rank", str(notes))
    assert result.returncode == 1 and "Traceback" not in result.stderr
