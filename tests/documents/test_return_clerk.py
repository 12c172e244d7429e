"""A returned copy the clerk can act on (issue 22 points 5 and 6): 东山镇's 2016 template, made
with last year's data and filled as a clerk would — with a 同比 slip, rows pasted from last year
keeping 2015, a 合计 row, a merged cell over two villages, an estimate typed as ``5（估计）`` in a
hidden row, a comment of the clerk's and a filter — validated and returned by the CLI: the copy is
written, every message is at its cell and names cells of the clerk's own workbook, errors come
first, and the 怎么改 advice, applied literally, makes the next validation clean."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

import dangjian_analysis as dj
from dangjian_analysis.documents._marks import cells_of
from dangjian_analysis.documents.returns import HEADER_ROW, RETURN_HEADER, RETURN_SHEET

from clerk import fill_with_2015, ids_of, unit_rows
from helpers import SAMPLE, run_cli

TOWN, SHEET = "东山镇", "村级指标"


def _col(ws, ident: str) -> str:
    return get_column_letter(ids_of(ws).index(ident) + 1)


@pytest.fixture(scope="module")
def season(tmp_path_factory, sample_loaded):
    """数据/: the sample (2012–2015) and 2016/东山镇.xlsx with the slips; returns (folder, slips)."""
    data = tmp_path_factory.mktemp("clerk") / "数据"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("*.csv"))
    (data / "2016").mkdir()
    path = dj.write_template(data / "2016" / f"{TOWN}.xlsx", year=2016, township=TOWN, previous=sample_loaded)
    fill_with_2015(path, TOWN)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = unit_rows(ws, TOWN)
    funds, model, note = _col(ws, "office_funds"), _col(ws, "model_org"), _col(ws, "note")
    s = {"yoy": f"{funds}{rows['石岗村']}", "prev": f"{_col(ws, 'prev:office_funds')}{rows['石岗村']}",
         "years": [f"C{rows['朝沟村']}", f"C{rows['兴坪村']}"], "merged": f"{model}{rows['福塘村']}:{model}{rows['石岗村']}",
         "estimate": f"{funds}{rows['吉岗村']}", "hidden": rows["吉岗村"], "comment": f"H{rows['园庄村']}",
         "note": note, "total": max(rows.values()) + 1}
    ws[s["yoy"]] = round(ws[s["yoy"]].value * 11, 2)     # 3.76 → 41.36: beyond ×10, still plausible
    for cell in s["years"]:
        ws[cell] = 2015
    ws.merge_cells(s["merged"])
    ws[s["estimate"]] = "5（估计）"
    ws.row_dimensions[s["hidden"]].hidden = True
    ws[s["comment"]].comment = Comment("村里自己的说明", "张三")
    ws.auto_filter.ref = f"A2:{note}{s['total'] - 1}"
    ws.insert_rows(s["total"])
    ws[f"A{s['total']}"], ws[f"B{s['total']}"], ws[f"C{s['total']}"] = TOWN, "合计", 2016
    ws[f"{funds}{s['total']}"] = 80
    wb.save(path)
    return data, s


@pytest.fixture(scope="module")
def returned(season, tmp_path_factory):
    data, slips = season
    out = tmp_path_factory.mktemp("退回") / "退回"
    result = run_cli("validate", str(data), "--return", str(out))
    assert result.returncode == 1 and "内部错误" not in result.stdout + result.stderr, result.stdout[-2000:]
    copies = {p.name: p for p in out.iterdir()}
    assert f"{TOWN}_2016_退回修改.xlsx" in copies, copies
    return data, slips, copies[f"{TOWN}_2016_退回修改.xlsx"]


def _listed(ws) -> list[dict]:
    head = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def test_every_copy_is_written_with_messages_at_the_clerks_cells(returned):
    _, s, copy = returned
    wb = openpyxl.load_workbook(copy)
    listed = _listed(wb[RETURN_SHEET])
    assert tuple(c.value for c in wb[RETURN_SHEET][HEADER_ROW]) == RETURN_HEADER
    assert wb[RETURN_SHEET].column_dimensions["J"].hidden
    levels = [r["级别"] for r in listed]
    assert levels == sorted(levels, key=["错误", "提示"].index)              # errors first
    assert not any(".xlsx" in r["问题说明"] for r in listed)                 # no other file named
    by_cell = {}
    for r in listed:
        by_cell.setdefault(r["单元格"], []).append(r)
    yoy = by_cell[s["yoy"]][0]
    assert f"本表上年数 {s['prev']}" in yoy["问题说明"] and ".xlsx" in yoy["问题"]     # J: the intake's text
    for cell in s["years"]:
        assert "本表为 2016 年度填报表" in by_cell[cell][0]["问题说明"]
        assert by_cell[cell][0]["怎么改"].startswith("把年度改为本表的填报年度")
    total = by_cell[f"B{s['total']}"]
    assert len(total) == 1 and total[0]["怎么改"] == "删除该行" and "合计" in total[0]["问题说明"]
    estimate = by_cell[s["estimate"]][0]
    assert "“估计”是备注，不是单位" in estimate["问题说明"] and f"第 {s['hidden']} 行已隐藏" in estimate["问题说明"]
    assert estimate["怎么改"] == "本格只填写数字，说明写在本行的备注列"
    inside = set(cells_of(s["merged"])) | {s["merged"]}
    merged = [r for c, rs in by_cell.items() if c in inside for r in rs]
    assert merged and all(f"合并单元格 {s['merged']}" in r["问题说明"] for r in merged)
    ws = wb[SHEET]
    top = s["merged"].split(":")[0]
    assert ws[top].comment is not None and ws[top].fill.fill_type == "solid"
    assert ws[s["comment"]].comment.text == "村里自己的说明"                 # the clerk's own, kept
    assert ws.auto_filter.ref and ws.row_dimensions[s["hidden"]].hidden     # the clerk's layout kept
    assert ws[s["yoy"]].comment.text.startswith("【提示】")


def test_a_hint_repointed_for_the_clerk_can_still_be_confirmed_in_the_copy(returned, tmp_path):
    data, s, copy = returned
    mine = tmp_path / "数据"
    shutil.copytree(data, mine)
    wb = openpyxl.load_workbook(copy)
    ws = wb[RETURN_SHEET]
    head = {c.value: c.column for c in ws[HEADER_ROW]}
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, head["单元格"]).value == s["yoy"])
    assert ws.cell(row, head["问题说明"]).value != ws.cell(row, head["问题"]).value
    ws.cell(row, head["确认属实"]).value = "是"
    ws.cell(row, head["说明"]).value = "新建村部，已核实"
    wb.save(mine / "2016" / f"{TOWN}.xlsx")
    ds = dj.load(mine)
    confirmed = ds.confirmations[ds.confirmations["cell"] == s["yoy"]]
    assert confirmed["note"].tolist() == ["新建村部，已核实"]
    hint = ds.issues[(ds.issues["cell"] == s["yoy"]) & (ds.issues["code"] == "year_on_year")]
    assert confirmed["message"].tolist() == hint["message"].tolist()       # matched on the intake's text


def test_the_advice_followed_literally_makes_the_next_validation_clean(returned):
    data, s, copy = returned
    wb = openpyxl.load_workbook(copy)
    ws = wb[SHEET]
    ws[s["yoy"]] = ws[s["prev"]].value                  # 核实数字，有误的改正: ×11 was the slip
    for cell in s["years"]:
        ws[cell] = 2016                                 # 把年度改为本表的填报年度
    top, bottom = s["merged"].split(":")
    value = ws[top].value
    ws.unmerge_cells(s["merged"])                       # 取消合并，在每个村的单元格分别填写
    ws[top], ws[bottom] = value, value
    ws[s["estimate"]] = 5                               # 本格只填写数字，说明写在本行的备注列
    ws[f"{s['note']}{s['hidden']}"] = "估计"
    ws.delete_rows(s["total"])                          # 删除该行
    wb.save(copy)
    shutil.copy(copy, data / "2016" / f"{TOWN}.xlsx")
    ds = dj.load(data)
    mine = ds.issues[ds.issues["file"].str.endswith(f"2016/{TOWN}.xlsx")]
    assert mine[mine["severity"] == "error"].empty, mine
    slips = {s["yoy"], *s["years"], s["estimate"], top, bottom, f"B{s['total']}"}
    assert not mine[mine["severity"] == "warning"]["cell"].isin(slips).any(), mine
    notes = mine[mine["code"] == "clerk_note"]
    assert notes["cell"].tolist() == [f"{s['note']}{s['hidden']}"]
