"""The roll and year-folder file names in what people read — validate's text and JSON, the issue
workbook's 报送进度 sheet, tables shown in Chinese — and ``validate --return`` replacing its
folder whole (a failed or interrupted run leaves the previous copies as they were)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from dangjian_analysis.documents import returns
from dangjian_analysis.documents._folders import FolderError
from dangjian_analysis.documents.display import column_notes, show, to_chinese
from dangjian_analysis.documents.issues import export_issues, format_report, report_json
from dangjian_analysis.documents.returns import mark_returns
from dangjian_analysis.intake import load
from helpers import edit, run_cli
from season import build_season

MISSING = "南岭镇、北塘镇、青石乡、白沙镇、红旗乡、柳溪乡、石桥镇"
ROLL_2016 = (f"报送进度（2016 年度）：已报送 2 个乡镇，未报送 7 个：{MISSING}，有错误 1 个：西河乡；"
             "县级数据：述职评议计票 未报送，四风台账 未报送，驻点联系 未报送，加减分台账 未报送，考核清单 未报送。")


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> Path:
    """The 2016 season of three townships; 西河乡's 2016 return has a text in a number cell."""
    data = build_season(tmp_path_factory.mktemp("season"), ["东山镇", "西河乡", "金谷镇"], county=False)
    edit(data / "2016" / "西河乡.xlsx", "村级指标", {("office_funds", 5): "很多"})
    return data


@pytest.fixture(scope="module")
def ds(season):
    return load(season, progress=False)


def test_validate_ends_with_the_roll_as_a_hint_and_names_year_folders(season, tmp_path):
    result = run_cli("validate", str(season), "--xlsx", str(tmp_path / "问题清单.xlsx"), "--return", str(tmp_path / "退回"))
    assert result.returncode == 1, result.stderr                   # 西河乡's error; the roll changes nothing
    out = result.stdout
    assert "■ 2016/东山镇.xlsx（已读取）" in out and "■ 东山镇.xlsx（已读取）" in out
    roll_line = [line for line in out.splitlines() if "报送进度" in line]
    assert roll_line == ["[提示] " + ROLL_2016.replace("有错误 1 个", "已退回 1 个")]     # its copy was written
    assert [p.name for p in (tmp_path / "退回").iterdir()] == ["西河乡_2016_退回修改.xlsx"]
    assert out.splitlines().index(roll_line[0]) > out.splitlines().index("有 1 条错误：出错的单元格未采用，请按单元格位置核对后重新报送。")
    wb = openpyxl.load_workbook(tmp_path / "问题清单.xlsx")
    assert wb.sheetnames == ["问题清单", "文件汇总", "报送进度"]
    assert {r[1] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)} == {"2016/西河乡.xlsx"}
    assert wb["报送进度"]["D4"].value == "已退回"
    assert [r[1] for r in wb["文件汇总"].iter_rows(min_row=2, max_row=4, values_only=True)] == \
        ["2016/东山镇.xlsx", "2016/西河乡.xlsx", "2016/金谷镇.xlsx"]


def test_a_complete_year_is_said_without_a_hint_and_an_exit_status_of_0(tmp_path):
    data = build_season(tmp_path, [], county=True)
    (data / "2016").rmdir()
    ds = load(data, progress=False)
    assert ds.n_errors == 0
    text = format_report(ds)
    assert text.rstrip().splitlines()[-1] == ("报送进度（2015 年度）：10 个乡镇全部已报送；县级数据：述职评议计票 已报送，"
                                               "四风台账 已报送，驻点联系 已报送，加减分台账 已报送，考核清单 已报送。")


def test_validate_json_holds_the_roll(ds):
    payload = json.loads(report_json(ds, returned=[Path("退回/西河乡_2016_退回修改.xlsx")]))
    roll = payload["roll"]
    assert roll["year"] == 2016 and roll["text"] == ROLL_2016.replace("有错误 1 个", "已退回 1 个")
    units = {u["unit"]: u for u in roll["units"]}
    assert list(units) == ["东山镇", "西河乡", "南岭镇", "北塘镇", "青石乡", "白沙镇", "红旗乡", "金谷镇", "柳溪乡", "石桥镇",
                           "述职评议计票", "四风台账", "驻点联系", "加减分台账", "考核清单"]
    assert units["西河乡"] == {"kind": "township", "unit": "西河乡", "year": 2016, "roll_status": "returned",
                              "files": "2016/西河乡.xlsx", "n_errors": 1, "n_warnings": 0}
    assert units["石桥镇"]["roll_status"] == "missing" and units["驻点联系"]["kind"] == "county_table"
    assert {f["name"] for f in payload["files"]} >= {"2016/西河乡.xlsx", "西河乡.xlsx"}


def test_the_roll_sheet_is_printable_for_the_calls(ds, tmp_path):
    path = export_issues(ds, tmp_path / "问题清单.xlsx")
    ws = openpyxl.load_workbook(path)["报送进度"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "报送进度（2016 年度）"
    assert rows[1] == ("序号", "类别", "报送单位", "报送情况", "报送文件", "错误", "提示", "联系人", "电话", "催报情况")
    assert rows[2] == (1, "乡镇", "东山镇", "已报送", "2016/东山镇.xlsx", 0, 0, None, None, None)
    assert rows[3] == (2, "乡镇", "西河乡", "有错误", "2016/西河乡.xlsx", 1, 0, None, None, None)
    assert rows[4] == (3, "乡镇", "南岭镇", "未报送", "—", 0, 0, None, None, None)
    assert rows[12] == (11, "县级数据", "述职评议计票", "未报送", "—", 0, 0, None, None, None)
    assert rows[16] == (15, "县级数据", "考核清单", "未报送", "—", 0, 0, None, None, None)   # the rubric's tables last
    assert len(rows) == 17
    assert ws.print_title_rows == "$1:$2" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1 and ws["J3"].border.left.style == "thin"
    assert export_issues(ds, tmp_path / "again.xlsx").read_bytes() == path.read_bytes()


def test_tables_shown_in_chinese_name_year_folders_and_the_roll(ds):
    obs = to_chinese(ds.observations)
    assert {"2016/东山镇.xlsx", "东山镇.xlsx"} <= set(obs["来源文件"])
    assert set(to_chinese(ds.issues)["文件"]) == {"2016/西河乡.xlsx"}
    shown = show(ds.roll()).data
    assert list(shown.columns) == ["类别", "报送单位", "年度", "报送情况", "报送文件", "错误", "提示"]
    assert shown["报送情况"].tolist()[:3] == ["已报送", "有错误", "未报送"] and shown["类别"].iloc[-1] == "县级数据"
    notes = column_notes(ds.roll()).set_index("接口列名")["说明"]
    assert notes["unit"].startswith("乡镇，或县级数据表") and notes["roll_status"].startswith("已报送")


def test_the_report_sources_name_year_folders(ds):
    from dangjian_analysis.documents.report_labels import label_table
    from dangjian_analysis.documents.report_tables import _sources

    sources = label_table("sources", _sources(ds, ds.catalog, 2016), catalog=ds.catalog, year=2016)
    latest = sources[sources["年度"] == 2016]                          # summary.xlsx 数据来源: 2016 first
    assert set(latest["来源文件"]) == {"2016/东山镇.xlsx", "2016/西河乡.xlsx", "2016/金谷镇.xlsx"}
    assert sources["年度"].iloc[0] == 2016 and set(sources["年度"]) == set(ds.observations["year"])   # every year charted


@pytest.fixture
def previous(ds, tmp_path):
    """A folder of returned copies written by an earlier run, and its bytes."""
    folder = tmp_path / "退回"
    mark_returns(ds, folder)
    return folder, {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("failure", [RuntimeError("磁盘已满"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_return_leaves_the_previous_folder(ds, previous, monkeypatch, failure):
    folder, before = previous
    assert list(before) == ["西河乡_2016_退回修改.xlsx"]

    def fail(*_):
        raise failure

    monkeypatch.setattr(returns, "_save", fail)
    with pytest.raises(type(failure)):
        mark_returns(ds, folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["退回"]      # nothing left beside it


def test_a_return_replaces_the_previous_copies_whole_and_refuses_a_folder_of_other_files(ds, previous, tmp_path):
    folder, _ = previous
    stale = folder / "东山镇_2015_退回修改.xlsx"
    shutil.copy(folder / "西河乡_2016_退回修改.xlsx", stale)
    assert [p.name for p in mark_returns(ds, folder)] == ["西河乡_2016_退回修改.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == ["西河乡_2016_退回修改.xlsx"]
    own = tmp_path / "我的文件"
    own.mkdir()
    (own / "笔记.docx").write_bytes(b"x")
    with pytest.raises(FolderError):
        mark_returns(ds, own)
    assert [p.name for p in own.iterdir()] == ["笔记.docx"]
