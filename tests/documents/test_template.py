"""The Excel template: sheets, hidden ids, validations, prefilled rows, determinism."""

from __future__ import annotations

import openpyxl
import pytest

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.documents.template import FIRST_DATA_ROW, ID_ROW, write_template

from helpers import edit_block, remove_block, write_catalog


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "模板.xlsx"
    write_template(path, year=2015)
    return openpyxl.load_workbook(path)


def _validations(ws):
    """{column letter: DataValidation} of a sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.rstrip("0123456789").split(":")[0].rstrip("0123456789")] = dv
    return out


def test_sheets_and_guide(template, catalog):
    assert template.sheetnames == ["填报说明", "名录", "乡镇指标", "村级指标", "一乡一品"]
    assert template["名录"].sheet_state == "hidden"
    guide = template["填报说明"]
    assert "2015年度" in guide["A1"].value
    text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    assert "隐藏的指标编号行" in text and "百分比" in text
    listed = {guide.cell(row=r, column=2).value for r in range(1, guide.max_row + 1)}
    assert set(catalog.indicators["name"]) <= listed
    shown = {str(c.value) for row in guide.iter_rows() for c in row if c.value is not None}
    assert not shown & set(catalog.indicators["id"])               # no English ids for the clerk


def test_hidden_id_row_maps_every_indicator(template, catalog):
    seen = []
    for sheet in catalog.input_sheets:
        ws = template[sheet]
        assert ws.row_dimensions[ID_ROW].hidden
        ids = [c.value for c in ws[ID_ROW] if c.value]
        keys = ["township", "village", "year:2015"] if sheet == "村级指标" else ["township", "year:2015"]
        assert ids[: len(keys)] == keys
        expected = catalog.sheet_indicators(sheet)
        assert ids[len(keys):] == list(expected["id"]) + ["note"]          # the 备注 column last
        headers = [c.value for c in ws[2]][len(keys):]
        assert headers == [f"{n}（{'是/否' if u == '0/1' else u}）" for n, u in zip(expected["name"], expected["unit"])] \
            + ["备注"]
        seen += ids[len(keys):-1]
        assert ws.freeze_panes == f"{'D' if sheet == '村级指标' else 'C'}{FIRST_DATA_ROW}"
    assert sorted(seen) == sorted(catalog.indicators["id"])


def test_rows_are_prefilled_for_every_unit(template, catalog):
    ws = template["村级指标"]
    rows = list(ws.iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + 126, max_col=3, values_only=True))
    assert len(rows) == 127 and ws.cell(row=FIRST_DATA_ROW + 127, column=1).value == "本表合计"
    assert {(r[0], r[1]) for r in rows} == set(zip(catalog.villages["township"], catalog.villages["unit_name"]))
    assert {r[2] for r in rows} == {2015}
    town_rows = list(template["乡镇指标"].iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + 9, max_col=2,
                                                 values_only=True))
    assert [r[0] for r in town_rows] == list(catalog.townships["unit_name"])


def test_validations_follow_each_indicator_kind(template, catalog):
    ws = template["村级指标"]
    dvs = _validations(ws)
    assert dvs["A"].type == "list" and dvs["A"].formula1 == "=名录!$A$2:$A$11"
    assert dvs["B"].type == "list" and dvs["B"].formula1 == "=名录!$B$2:$B$128"
    # only the template's year (a row pasted from last year is refused, were the sheet unprotected)
    assert dvs["C"].type == "whole" and (dvs["C"].formula1, dvs["C"].formula2) == ("2015", "2015")
    ids = [c.value for c in ws[ID_ROW]]
    col = {i: openpyxl.utils.get_column_letter(j + 1) for j, i in enumerate(ids)}
    assert dvs[col["model_org"]].type == "list" and dvs[col["model_org"]].formula1 == '"是,否"'
    assert dvs[col["training_rate"]].type == "decimal"
    assert (dvs[col["training_rate"]].formula1, dvs[col["training_rate"]].formula2) == ("0", "100")
    assert dvs[col["new_members"]].type == "whole"
    assert dvs[col["office_funds"]].type == "decimal" and dvs[col["office_funds"]].operator == "greaterThanOrEqual"
    assert all(dv.showErrorMessage for dv in dvs.values())
    assert "0–100" in dvs[col["training_rate"]].error
    # input cells are styled apart from the headers
    header_fill = ws.cell(row=2, column=5).fill.fgColor.rgb
    input_fill = ws.cell(row=FIRST_DATA_ROW, column=5).fill.fgColor.rgb
    assert header_fill != input_fill


def test_one_township_template(tmp_path, catalog):
    path = write_template(tmp_path / "西河.xlsx", year=2014, township="西河")
    wb = openpyxl.load_workbook(path)
    rows = list(wb["村级指标"].iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + 13, max_col=3,
                                       values_only=True))
    assert len(rows) == 14 and wb["村级指标"].cell(row=FIRST_DATA_ROW + 14, column=1).value == "本表合计" and {r[0] for r in rows} == {"西河乡"} and {r[2] for r in rows} == {2014}
    assert [c.value for c in wb["名录"]["A"] if c.value] == ["乡镇", "西河乡"]


def test_bad_arguments_are_clear(tmp_path):
    with pytest.raises(ValueError, match="年度 2030 超出"):
        write_template(tmp_path / "x.xlsx", year=2030)
    with pytest.raises(ValueError, match="不在名录中"):
        write_template(tmp_path / "x.xlsx", township="火星镇")


def test_edited_catalogue_gives_a_matching_template(tmp_path, catalog_text):
    text = remove_block(catalog_text, "indicators", "brands")
    text = edit_block(text, "indicators", "petitions", 'name = "信访及群体性事件"', 'name = "信访件数"')
    cat = load_catalog(write_catalog(tmp_path, text))
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", catalog=cat))
    assert "brands" not in [c.value for c in wb["一乡一品"][ID_ROW]]
    assert "信访件数（次）" in [c.value for c in wb["村级指标"][2]]


def test_template_is_byte_identical(tmp_path):
    a = write_template(tmp_path / "a.xlsx", year=2013).read_bytes()
    b = write_template(tmp_path / "b.xlsx", year=2013).read_bytes()
    assert a == b


def test_cli_template(tmp_path):
    from helpers import run_cli

    out = tmp_path / "t.xlsx"
    result = run_cli("template", "--year", "2015", "--township", "东山", "--out", str(out))
    assert result.returncode == 0 and out.exists(), result.stderr
    result = run_cli("template", "--year", "1999", "--out", str(out))
    assert result.returncode == 2 and "1999" in result.stderr and "Traceback" not in result.stderr


def _guide_rows(ws, catalog) -> dict:
    """{indicator id: {header: value}} of the guide's 指标一览 table (rows found by the Chinese name)."""
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "指标名称")
    header = [c.value for c in ws[start]]
    ids = dict(zip(catalog.indicators["name"], catalog.indicators["id"]))
    return {ids[row[1]]: dict(zip(header, row)) for row in ws.iter_rows(min_row=start + 1, values_only=True)
            if row[1] in ids}


def test_validations_use_the_valid_ranges(template):
    ws = template["村级指标"]
    dvs = _validations(ws)
    col = {c.value: openpyxl.utils.get_column_letter(c.column) for c in ws[ID_ROW] if c.value}
    grade = dvs[col["org_grade"]]
    assert (grade.type, grade.operator, grade.formula1, grade.formula2) == ("whole", "between", "1", "4")
    assert grade.error == "党组织等次（级）：请填写 1–4 之间的整数"
    months = dvs[col["vacancy_months"]]
    assert (months.type, months.operator, months.formula1, months.formula2) == ("decimal", "between", "0", "12")
    assert "0–12" in months.error
    members = dvs[col["new_members"]]
    assert (members.type, members.operator, members.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert members.error == "新发展党员（人）：请填写不小于 0 的整数"
    funds = dvs[col["office_funds"]]
    assert (funds.type, funds.operator, funds.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert funds.prompt.startswith("单位：万元（填 5 表示 5 万元，即 50000 元）")
    assert "常见范围 0.5–50" in funds.prompt and len(funds.prompt) <= 255
    assert "常见范围" not in dvs[col["model_org"]].prompt


def test_validations_follow_an_edited_valid_range(tmp_path, catalog_text):
    text = edit_block(catalog_text, "indicators", "petitions", "plausible = [0, 30]", "valid = [0, 50]")
    text = edit_block(text, "indicators", "office_funds", "plausible = [0.5, 50]", "allow_negative = true\n#")
    text = edit_block(text, "indicators", "collective_income", "plausible = [0, 500]",
                      "allow_negative = true\nvalid = [-inf, 10]\n#")
    cat = load_catalog(write_catalog(tmp_path, text))
    ws = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", catalog=cat))["村级指标"]
    dvs = _validations(ws)
    col = {c.value: openpyxl.utils.get_column_letter(c.column) for c in ws[ID_ROW] if c.value}
    petitions = dvs[col["petitions"]]
    assert (petitions.type, petitions.operator, petitions.formula1, petitions.formula2) == ("whole", "between", "0", "50")
    funds = dvs[col["office_funds"]]                   # both ends open: any number, as before
    assert (funds.operator, funds.formula1, funds.formula2) == ("between", "-1000000000", "1000000000")
    assert funds.error.endswith("请填写数值")
    income = dvs[col["collective_income"]]
    assert (income.type, income.operator, income.formula1) == ("decimal", "lessThanOrEqual", "10")
    assert income.error.endswith("请填写不大于 10 的数值")


def test_guide_states_rules_unit_scale_and_ranges_for_the_clerk_only(template, catalog):
    guide = template["填报说明"]
    rows = _guide_rows(guide, catalog)
    assert len(rows) == 31
    start = next(r for r in range(1, guide.max_row + 1) if guide.cell(row=r, column=2).value == "指标名称")
    assert [c.value for c in guide[start]] == ["工作表", "指标名称", "填报规则", "单位与填法", "有效范围", "常见范围",
                                             "同比提示", "目标值"]     # no 分组, 方向, 汇总方式, 目标年度
    funds = rows["office_funds"]
    assert funds["单位与填法"] == "单位：万元（填 5 表示 5 万元，即 50000 元）"
    assert (funds["有效范围"], funds["常见范围"], funds["目标值"]) == ("≥ 0", "0.5–50", "≥ 5")
    assert rows["cadre_allowance"]["单位与填法"] == "单位：元（填 2000 表示 2000 元，不是万元）"
    assert rows["cadre_allowance"]["常见范围"] == "500–20000"
    assert (rows["org_grade"]["有效范围"], rows["org_grade"]["单位与填法"]) == ("1–4", "单位：级（填整数，如 2 表示 2 级）")
    assert "1 级最差、4 级最好" in rows["org_grade"]["填报规则"]
    assert "必填：空白按 0 分计入本乡镇" in rows["org_grade"]["填报规则"]
    assert rows["training_rate"]["单位与填法"] == "单位：%（填 85 表示 85%，不要填 0.85）"
    assert (rows["training_rate"]["有效范围"], rows["training_rate"]["常见范围"]) == ("0–100", "30–100")
    assert rows["training_rate"]["同比提示"] == "与上年相差超过 50 个百分点"
    assert rows["committee_age"]["同比提示"] == "大于上年的 1.5 倍或小于上年的 1/1.5"
    assert rows["vacancy_months"]["单位与填法"] == "单位：月（填 1 表示 1 个月）"
    assert (rows["model_org"]["有效范围"], rows["model_org"]["同比提示"], rows["model_org"]["目标值"]) == ("是或否", "—", "—")
    text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    assert "超出有效范围的数值无法录入" in text and "同比提示" in text
    assert "按 0 分计入本乡镇得分" in text and "备注列写“估计”" in text
    assert "改名或合并" in text and "告知县委组织部联系人" in text
    # wraps to the window: fixed widths, wrapped text; prints landscape, one page wide
    assert all(guide.column_dimensions[c].width <= 34 for c in "ABCDEFGH")
    assert guide.cell(row=start + 1, column=3).alignment.wrap_text
    assert guide.page_setup.orientation == "landscape" and int(guide.page_setup.paperSize) == 9    # A4
    assert guide.sheet_properties.pageSetUpPr.fitToPage
    assert (guide.page_setup.fitToWidth, guide.page_setup.fitToHeight) == (1, 0)
