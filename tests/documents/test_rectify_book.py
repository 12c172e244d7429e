"""整改清单.xlsx: rows in the catalogue's order, cells to fill shaded, the 完成情况 dropdown, print set-up,
safe text, an empty year said in words, byte identity."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from dangjian_analysis.documents.rectify_book import write_rectification


def _rows():
    return pd.DataFrame({
        "year": [2016, 2016, 2016, 2016, 2015],
        "unit": ["县公安局党委", "东山镇党委", "柳溪乡党委", "东山镇党委", "东山镇党委"],
        "secretary": ["沈丽君", "赵立新", "冯玉兰", "赵立新", "赵立新"],
        "problem": ["A02 村干部补贴未按时足额发放：3月一次", "T01 县级以上示范点 1 个，要求 3 个", "年度考核等次为“差”",
                    "=SUM(A1)\x07", "2015 年的问题"],
        "basis": ["示纪通〔2016〕12号", "《考核》T01", "《考核》结果运用", None, None],
        "measure": [None, None, "（由单位填写整改措施）", None, None],
        "deadline": ["通报印发之日起 30 日内", pd.Timestamp("2017-03-22"), "", None, None],
        "owner": ["沈丽君", "赵立新", "冯玉兰", "赵立新", "赵立新"]})


def test_rows_in_catalogue_order_with_the_cells_to_fill(catalog, tmp_path):
    rows = _rows()
    before = rows.copy()
    path = write_rectification(rows, catalog, 2016, tmp_path / "整改清单.xlsx")
    pd.testing.assert_frame_equal(rows, before)
    ws = openpyxl.load_workbook(path)["整改清单"]
    assert ws["A1"].value == "2016年度党组织书记抓基层党建工作考核整改清单"
    assert [c.value for c in ws[2]] == ["序号", "单位", "问题", "依据", "整改措施", "整改时限", "责任人", "完成情况"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=6)]
    # 东山镇 (S01) before 柳溪乡 (S09) before 县公安局 (S14); 东山镇's two rows as given; 2015 left out
    assert [r[:3] for r in body] == [[1, "东山镇党委", "T01 县级以上示范点 1 个，要求 3 个"],
                                     [2, "东山镇党委", "=SUM(A1)〔U+0007〕"],
                                     [3, "柳溪乡党委", "年度考核等次为“差”"],
                                     [4, "县公安局党委", "A02 村干部补贴未按时足额发放：3月一次"]]
    assert ws["C4"].data_type == "s"                                   # a formula-looking text stays text
    assert body[0][5] == dt.datetime(2017, 3, 22) and ws["F3"].number_format == 'yyyy"年"m"月"d"日"'
    assert body[3][3:7] == ["示纪通〔2016〕12号", None, "通报印发之日起 30 日内", "沈丽君"]
    assert body[2][4] == "（由单位填写整改措施）" and body[2][5] is None
    assert ws.cell(7, 1).value is None and ws.cell(8, 1).value.startswith("说明：黄色单元格由被考核单位填写")
    for address in ("E3", "E6", "H3", "H6", "E2", "H2"):
        assert ws[address].fill.fgColor.rgb.endswith("FFF2CC"), address
    assert not ws["D3"].fill.fgColor.rgb.endswith("FFF2CC")


def test_dropdown_print_setup_and_frozen_header(catalog, tmp_path):
    ws = openpyxl.load_workbook(write_rectification(_rows(), catalog, 2016, tmp_path / "a.xlsx"))["整改清单"]
    (choice,) = ws.data_validations.dataValidation
    assert choice.type == "list" and choice.formula1 == '"已完成,推进中,未启动"'
    assert str(choice.sqref) == "H3:H6"
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width


def test_a_year_without_rows_says_so(catalog, tmp_path):
    ws = openpyxl.load_workbook(write_rectification(_rows(), catalog, 2014, tmp_path / "e.xlsx"))["整改清单"]
    assert ws["A3"].value == "本年度考核没有需要整改的问题。"
    assert not ws.data_validations.dataValidation


def test_paths_shown_by_their_names_and_numbers_with_two_decimals(catalog, tmp_path):
    rows = _rows()
    rows.loc[0, "problem"] = "A02 党费收缴：台账 1 条（/srv/县/县级数据.xlsx 加减分台账!C5），满意度 81.23456"
    names = {"/srv/县/县级数据.xlsx": "县级数据.xlsx"}
    ws = openpyxl.load_workbook(write_rectification(rows, catalog, 2016, tmp_path / "a.xlsx", names=names))["整改清单"]
    assert ws["C6"].value == "A02 党费收缴：台账 1 条（县级数据.xlsx 加减分台账!C5），满意度 81.23"


def test_same_bytes_on_rebuild(catalog, tmp_path):
    a = write_rectification(_rows(), catalog, 2016, tmp_path / "a.xlsx")
    b = write_rectification(_rows(), catalog, 2016, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
