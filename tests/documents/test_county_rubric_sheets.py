"""The county template's 考核细则 sheets (加减分台账, 考核清单, 测评票): headers, the dropdowns' lists,
the 考核清单 prefilled per unit × check (counted by hand from the default rubric), the guide's
paragraphs; and no rubric sheet when the catalogue has no [assessment]."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from dangjian_analysis.documents.county_template import write_county_template

_UNITS = ["东山镇党委", "西河乡党委", "南岭镇党委", "北塘镇党委", "青石乡党委", "白沙镇党委", "红旗乡党委", "金谷镇党委",
          "柳溪乡党委", "石桥镇党委", "县直机关工委", "县教育工委", "县卫生系统党委", "县公安局党委", "县国资委党委",
          "县非公经济组织党工委", "县社会组织党委", "县经济开发区党工委", "县农业系统党委"]
_NAMES = ["赵立新", "钱文华", "孙建平", "李晓东", "周志强", "吴春梅", "郑国庆", "王海涛", "冯玉兰", "陈永刚",
          "褚明远", "卫红霞", "蒋德胜", "沈丽君", "韩志勇", "杨秀英", "朱振华", "秦卫国", "尤建军"]
_A01 = ["年度党建工作要点", "书记抓党建项目清单", "书记述职报告", "党建工作责任清单"]


@pytest.fixture(scope="module")
def book(tmp_path_factory, catalog):
    assert catalog.assessment is not None, "the default catalogue carries the sample rubric"
    return openpyxl.load_workbook(write_county_template(tmp_path_factory.mktemp("rubric") / "县级数据2016.xlsx",
                                                        year=2016, catalog=catalog))


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2) if any(c.value is not None for c in row)]


def _dropdowns(wb, ws) -> dict[str, tuple[str, list]]:
    """{range of a validation: (its type, the 名录 values of a list / its formulas)}."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            letter = dv.formula1.split("!$")[1].split("$")[0]
            values = [c.value for c in wb["名录"][letter][1:] if c.value is not None]
        else:
            values = [dv.formula1, dv.formula2]
        out[str(dv.sqref)] = (dv.type, values)
    return out


def test_the_rubric_sheets_follow_the_county_sheets(book):
    assert book.sheetnames == ["填报说明", "名录", "述职评议计票", "四风台账", "驻点联系", "加减分台账", "考核清单", "测评票"]
    ledger = book["加减分台账"]
    assert [c.value for c in ledger[1]] == ["年度", "单位", "项目编号", "事由", "依据", "日期", "认定部门", "职务或严重程度", "分值"]
    assert _rows(ledger) == [] and ledger.max_row == 41                  # 40 blank rows to fill
    assert ledger.protection.sheet and not ledger["B2"].protection.locked and ledger.freeze_panes == "A2"
    assert [c.value for c in book["考核清单"][1]] == ["年度", "单位", "项目编号", "清单项", "完成情况"]
    assert [c.value for c in book["测评票"][1]] == ["年度", "评议人类别", "评议项目", "票号", *_NAMES]


def test_ledger_dropdowns(book):
    lists = _dropdowns(book, book["加减分台账"])
    assert lists["B2:B241"] == ("list", _UNITS)
    # per_incident items A02 A03 A04 D03, then 加分 J01–J03, 扣分 K01 K02, 否决 F01 F02; no checklist or indicator item
    assert lists["C2:C241"] == ("list", ["A02", "A03", "A04", "D03", "J01", "J02", "J03", "K01", "K02", "F01", "F02"])
    # A03's and K02's 职务 (K02's 书记 and 班子成员 once), A04's 严重程度
    assert lists["H2:H241"] == ("list", ["书记", "班子成员", "支部书记", "一般", "较重", "严重"])
    assert lists["A2:A241"] == ("whole", ["2016", "2016"])
    assert lists["F2:F241"] == ("date", ["DATE(2016,1,1)", "DATE(2016,12,31)"])
    assert lists["I2:I241"] == ("decimal", ["0", None])


def test_checklist_prefilled_one_row_per_unit_and_check(book):
    ws = book["考核清单"]
    rows = _rows(ws)
    # 10 townships × A01's 4 checks + 9 县直 units × (A01 4 + D01 5 + D02 4 + D04 4 = 17)
    assert len(rows) == 10 * 4 + 9 * 17 == 193
    assert rows[:4] == [[2016, "东山镇党委", "A01", check, None] for check in _A01]
    first = [r for r in rows if r[1] == "县直机关工委"]
    assert [r[2:4] for r in first] == (
        [["A01", c] for c in _A01] + [["D01", c] for c in ["按期换届", "党组织设置规范", "党员活动室", "党务公开", "发展党员程序规范"]]
        + [["D02", c] for c in ["党员轮训", "主题党日", "党员积分管理", "流动党员管理"]]
        + [["D04", c] for c in ["一季度", "二季度", "三季度", "四季度"]])
    assert list(dict.fromkeys(r[1] for r in rows)) == _UNITS          # the county's order of units
    assert ws["D2"].protection.locked and not ws["E2"].protection.locked
    assert _dropdowns(book, ws)["E2:E394"] == ("list", ["是", "否"])


def test_ballot_sheet_dropdowns(book, catalog):
    ws = book["测评票"]
    lists = _dropdowns(book, ws)
    assert lists["B2:B401"] == ("list", list(catalog.review.rater_groups["name"]))
    assert lists["C2:C401"] == ("list", list(catalog.review.items))
    assert lists["E2:W401"] == ("list", ["好", "较好", "一般", "差", "不了解", "空白"])   # one per secretary: E … W
    assert ws.max_row == 201 and _rows(ws) == []                      # no sizes declared: 200 blank ballots


def test_guide_explains_the_rubric_sheets(book):
    text = "\n".join(str(c.value) for c in book["填报说明"]["A"] if c.value)
    assert "本工作簿共六张填报工作表：述职评议计票、四风台账、驻点联系、加减分台账、考核清单、测评票" in text
    assert "A03 违反中央八项规定精神问题（按职务：书记 3 分、班子成员 2 分、支部书记 1 分，本项 6 分扣完为止）" in text
    assert "J01 受到省级以上表彰（加分，每条 2 分，本项最高 3 分）" in text
    assert "F01 发生严重违纪违法案件（一票否决：不得评为“好”）" in text
    assert "共 193 行" in text and "对所评全部书记给出同一评价的票按无效票处理" in text
    assert "七、请勿输入公式" in text


def test_no_rubric_sheets_without_an_assessment(tmp_path, catalog):
    bare = dataclasses.replace(catalog, assessment=None)
    wb = openpyxl.load_workbook(write_county_template(tmp_path / "x.xlsx", year=2016, catalog=bare))
    assert wb.sheetnames == ["填报说明", "名录", "述职评议计票", "四风台账", "驻点联系"]
    text = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "本工作簿共三张填报工作表" in text and "四、请勿输入公式" in text and "加减分台账" not in text
    assert [c.value for c in wb["名录"][1]] == ["书记", "评议人类别", "评议项目", "评价", "乡镇", "村（社区）", "状态"]


def test_the_rubric_sheets_filled_as_a_clerk_would_read_back(tmp_path, catalog):
    """2015's template (a year the catalogue knows, so the file loads alone), its tally and 四风 sheets
    removed: two ledger entries, the checklist all 是 but its first row, two ballots."""
    import datetime as dt

    import dangjian_analysis as dj

    wb = openpyxl.load_workbook(write_county_template(tmp_path / "t.xlsx", year=2015, catalog=catalog))
    for name in ("述职评议计票", "四风台账", "驻点联系"):
        del wb[name]
    entries = [[2015, "东山镇党委", "A03", "公车私用", "示纪通〔2015〕3号", dt.date(2015, 4, 1), "县纪委监委", "书记", 3],
               [2015, "县教育工委", "J01", "被评为全省先进基层党组织", "省组通〔2015〕9号", dt.date(2015, 6, 1), "省委组织部", None, None]]
    for i, row in enumerate(entries, start=2):
        for j, value in enumerate(row, start=1):
            wb["加减分台账"].cell(row=i, column=j, value=value)
    for k, row in enumerate(wb["考核清单"].iter_rows(min_row=2)):
        row[4].value = "否" if k == 0 else "是"
    ballots = wb["测评票"]
    for b in (1, 2):
        for j, value in enumerate([2015, "党员群众代表", "总体评价", b, *["好", "较好"] * 9, "好"], start=1):
            ballots.cell(row=b + 1, column=j, value=value)
    wb.save(tmp_path / "县级数据.xlsx")
    ds = dj.load(tmp_path / "县级数据.xlsx", catalog=catalog)
    assert ds.n_errors == 0 and ds.issues.empty
    assert ds.adjustments[["unit", "item", "role", "source_cell"]].values.tolist() == [
        ["东山镇党委", "A03", "书记", "C2"], ["县教育工委", "J01", "", "C3"]]
    assert ds.checklist["done"].tolist() == [False] + [True] * 192
    assert ds.checklist.iloc[0][["unit", "item", "check"]].tolist() == ["东山镇党委", "A01", "年度党建工作要点"]
    assert len(ds.ballot_sheets) == 2 * 19 and set(ds.ballot_sheets["rater_group"]) == {"residents"}
