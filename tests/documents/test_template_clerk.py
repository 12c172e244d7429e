"""The template from the township clerk's side: rules where they are needed, self-checks while
typing, locked keys, a block paste of this year's figures, the paperwork and the printout."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

import dangjian_analysis as dj
from dangjian_analysis.catalog import CatalogError, load_catalog
from dangjian_analysis.documents.template import FIRST_DATA_ROW, ID_ROW, write_template

from helpers import run_cli, write_catalog

CONTACT = "组织部组织科 张三 0000-1234567"
LAST = FIRST_DATA_ROW + 14                 # 东山镇 has 15 villages in 2016: rows 4–18


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    path = write_template(tmp_path_factory.mktemp("plain") / "t.xlsx", year=2016, township="东山镇",
                          deadline="2017-01-15", contact=CONTACT)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def with_previous(tmp_path_factory, sample_loaded):
    path = write_template(tmp_path_factory.mktemp("prev") / "t.xlsx", year=2016, township="东山镇",
                          previous=sample_loaded)
    return path


def _ids(ws) -> dict:
    """{hidden id: column letter}."""
    return {c.value: get_column_letter(c.column) for c in ws[ID_ROW] if c.value}


def _rules(ws) -> dict:
    """{range: [formula, ...]} of the sheet's conditional formats."""
    return {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}


def test_keys_locked_inputs_and_notes_open_sheets_protected_without_password(plain):
    for name in ("乡镇指标", "村级指标", "一乡一品"):
        ws = plain[name]
        assert ws.protection.sheet and not ws.protection.password
        assert ws.protection.insertRows and ws.protection.deleteRows      # True = not allowed
        ids = _ids(ws)
        assert ws[f"A{FIRST_DATA_ROW}"].protection.locked and ws[f"{ids['year:2016']}{FIRST_DATA_ROW}"].protection.locked
        assert ws["A2"].protection.locked and ws[f"A{ID_ROW}"].protection.locked
        first_input = next(letter for ident, letter in ids.items() if ident not in ("township", "village", "year:2016"))
        assert not ws[f"{first_input}{FIRST_DATA_ROW}"].protection.locked
        assert not ws[f"{ids['note']}{FIRST_DATA_ROW}"].protection.locked
        assert ws[f"{ids['note']}2"].value == "备注"
    village = plain["村级指标"]
    assert village[f"B{FIRST_DATA_ROW}"].protection.locked                   # the village name too


def test_header_comments_carry_the_clerks_rules(plain):
    ws = plain["村级指标"]
    ids = _ids(ws)
    grade = ws[f"{ids['org_grade']}2"].comment.text
    assert "1 级最差、4 级最好" in grade and "必填：空白按 0 分计入本乡镇" in grade and "有效范围 1–4" in grade
    turned = ws[f"{ids['weak_turned']}2"].comment.text
    assert "仅「列为软弱涣散」填 1 的村填写" in turned
    funds = ws[f"{ids['office_funds']}2"].comment.text
    assert "常见范围 0.5–50（超出显示橙色，请核实）" in funds


def test_conditional_formats_from_the_catalogue(plain):
    ws = plain["村级指标"]
    ids = _ids(ws)
    rules = _rules(ws)
    area = ids["venue_area"]
    assert rules[f"{area}4:{area}{LAST}"][0] == f"AND(ISNUMBER({area}4),OR({area}4<20,{area}4>3000))"
    # 当年整顿转化 applies where 列为软弱涣散 is 是 (or 1): grey where it is filled with 否 (or 0), red when
    # filled anyway; nothing while 列为软弱涣散 is blank (the intake keeps such a value, as the metrics do)
    turned, listed = ids["weak_turned"], ids["weak_listed"]
    outside = f'AND(${listed}4<>"",NOT(OR(${listed}4=1,${listed}4="是")))'
    assert rules[f"{turned}4:{turned}{LAST}"][:2] == [f'AND({outside},{turned}4<>"")', outside]
    # a required blank in a row already started (the input block D:Y)
    members = ids["new_members"]
    assert rules[f"{members}4:{members}{LAST}"][-1] == f'AND({members}4="",COUNTA($D4:$Y4)>0)'
    assert ids["note"] == "Z"
    # no 同比 rule without 上年数, and no range rule for 是/否
    assert not any("ABS" in f for fs in rules.values() for f in fs)
    model = ids["model_org"]
    assert rules[f"{model}4:{model}{LAST}"] == [f'AND({model}4="",COUNTA($D4:$Y4)>0)']


def test_previous_is_a_block_right_of_the_inputs_with_year_on_year_formats(with_previous, sample_loaded):
    ws = openpyxl.load_workbook(with_previous)["村级指标"]
    ids = _ids(ws)
    inds = [i for i in ids if i not in ("township", "village", "year:2016", "note") and not i.startswith("prev:")]
    assert [column_index_from_string(ids[i]) for i in inds] == list(range(4, 26))         # D:Y, one block
    assert [column_index_from_string(ids[f"prev:{i}"]) for i in inds] == list(range(27, 49))  # AA:AV, same order
    assert ws["AA4"].protection.locked and not ws["D4"].protection.locked
    # the 上年数 is 东山社区's 2015 value
    obs = sample_loaded.observations
    row = obs[(obs["unit_name"] == ws["B4"].value) & (obs["year"] == 2015) & (obs["indicator"] == "new_members")]
    assert ws[f"{ids['prev:new_members']}4"].value == row["value"].iloc[0]
    rules = _rules(ws)
    rate, rate_prev = ids["training_rate"], ids["prev:training_rate"]
    assert f"AND(ISNUMBER({rate}4),ISNUMBER({rate_prev}4),ABS({rate}4-{rate_prev}4)>50)" in rules[f"{rate}4:{rate}{LAST}"]
    grade, grade_prev = ids["org_grade"], ids["prev:org_grade"]
    # as the intake's hint: a fall of two levels or more (4 best), or from one end to the other
    assert f"AND(ISNUMBER({grade}4),ISNUMBER({grade_prev}4),OR({grade_prev}4-{grade}4>=2,ABS({grade}4-{grade_prev}4)>=3))" \
        in rules[f"{grade}4:{grade}{LAST}"]
    age, age_prev = ids["committee_age"], ids["prev:committee_age"]
    assert (f"AND(ISNUMBER({age}4),ISNUMBER({age_prev}4),{age}4>0,{age_prev}4>0,"
            f"OR({age}4>{age_prev}4*1.5,{age}4*1.5<{age_prev}4))") in rules[f"{age}4:{age}{LAST}"]


def test_footer_totals_and_signatures(plain):
    ws = plain["村级指标"]
    ids = _ids(ws)
    total = LAST + 1
    assert ws[f"A{total}"].value == "本表合计"
    members, funds, grade, rate = (ids[i] for i in ("new_members", "office_funds", "org_grade", "training_rate"))
    assert ws[f"{members}{total}"].value == f"=SUM({members}4:{members}{LAST})"         # a count
    assert ws[f"{funds}{total}"].value == f"=SUM({funds}4:{funds}{LAST})"               # an amount (万元)
    assert ws[f"{grade}{total}"].value == "—" and ws[f"{rate}{total}"].value == "—"    # a level, a rate
    labels = [ws.cell(row=r, column=1).value for r in range(total + 1, ws.max_row + 1)]
    assert [x for x in labels if x] == ["填表人：", "审核人：", "联系电话：", "填报日期：", "单位盖章："]
    signer = next(r for r in range(total, ws.max_row + 1) if ws.cell(row=r, column=1).value == "填表人：")
    assert not ws.cell(row=signer, column=2).protection.locked and ws[f"{members}{total}"].protection.locked


def test_footer_with_several_years_totals_each_year(tmp_path):
    ws = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", years=[2014, 2015], township="东山镇"))["乡镇指标"]
    ids = _ids(ws)
    assert ids["year:2014,2015"] == "B"
    sites = ids["model_sites"]
    assert [ws.cell(row=r, column=1).value for r in (6, 7)] == ["本表合计（2014年）", "本表合计（2015年）"]
    assert ws[f"{sites}7"].value == f"=SUMIF($B$4:$B$5,2015,{sites}4:{sites}5)"


def test_print_a4_titles_header_page_numbers(plain):
    for name in ("乡镇指标", "村级指标", "一乡一品"):
        ws = plain[name]
        assert int(ws.page_setup.paperSize) == 9 and not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"
        assert "报送截止：2017年1月15日" in ws.oddHeader.left.text and CONTACT in ws.oddHeader.right.text
        assert "2016年度" in ws.oddHeader.center.text and "&P" in ws.oddFooter.center.text
    village = plain["村级指标"]
    assert village.page_setup.orientation == "landscape" and village.print_title_cols == "$A:$C"
    assert 60 <= village.page_setup.scale <= 100
    breaks = [b.id for b in village.col_breaks.brk]
    assert breaks and breaks == sorted(breaks) and max(breaks) < 26               # whole columns, inside the sheet


def test_previous_prints_the_inputs_and_leaves_last_year_to_the_comparison_sheet(with_previous):
    wb = openpyxl.load_workbook(with_previous)
    ws = wb["村级指标"]
    breaks = [b.id for b in ws.col_breaks.brk]       # 0-based: a page starts at each
    assert breaks and all(b < 25 for b in breaks)     # pages cut among the inputs only
    assert ws.print_area == "'村级指标'!$A$1:$Z$25"   # keys, inputs, 备注 and the footer: not the 上年数 block
    assert "村级指标（对照打印）" in wb.sheetnames     # where each 上年数 prints beside its value
    for merged in ws.merged_cells.ranges:             # no band merged across a page break
        assert not any(merged.min_col - 1 < b <= merged.max_col - 1 for b in breaks), str(merged)


def test_deadline_and_contact_on_the_guide_and_from_the_catalogue(tmp_path, catalog_text):
    wb = openpyxl.load_workbook(write_template(tmp_path / "a.xlsx", year=2016, deadline=dt.date(2017, 1, 5)))
    text = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "报送截止：2017年1月5日" in text and "于 2017年1月5日 前报送县委组织部。" in text
    cat = load_catalog(write_catalog(tmp_path, catalog_text + f'\n[template]\ndeadline = 2017-01-15\ncontact = "{CONTACT}"\n'))
    assert (cat.paperwork.deadline, cat.paperwork.contact) == (dt.date(2017, 1, 15), CONTACT)
    ws = openpyxl.load_workbook(write_template(tmp_path / "b.xlsx", year=2016, catalog=cat))["一乡一品"]
    assert ws.oddHeader.left.text == "报送截止：2017年1月15日" and ws.oddHeader.right.text == f"联系人：{CONTACT}"
    with pytest.raises(CatalogError, match="template.deadline"):
        load_catalog(write_catalog(tmp_path, catalog_text + '\n[template]\ndeadline = "下周五"\n'))
    with pytest.raises(CatalogError, match="template.phone 是未知的键"):
        load_catalog(write_catalog(tmp_path, catalog_text + '\n[template]\nphone = "1"\n'))
    with pytest.raises(ValueError, match="报送截止日期“2017-02-30”无法识别"):
        write_template(tmp_path / "c.xlsx", year=2016, deadline="2017-02-30")


def test_cli_deadline_and_contact(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run_cli("template", "--year", "2016", "--township", "东山", "--deadline", "2017/1/15",
                     "--contact", CONTACT, "--out", str(out))
    assert result.returncode == 0, result.stderr
    guide = openpyxl.load_workbook(out)["填报说明"]
    assert guide["A2"].value == f"报送截止：2017年1月15日　联系人：{CONTACT}"
    result = run_cli("template", "--year", "2016", "--deadline", "明天", "--out", str(out))
    assert result.returncode == 2 and "无法识别" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("template", "--county", "--contact", "x", "--out", str(out))
    assert result.returncode == 2 and "--county" in result.stderr


def test_a_block_pasted_from_last_year_reads_back(tmp_path, with_previous, sample_loaded):
    """The clerk copies last year's block of figures (the 上年数 block, as from last year's workbook)
    into the input block at once, writes a note and signs; the intake reads the pasted values."""
    path = tmp_path / "东山镇.xlsx"
    path.write_bytes(with_previous.read_bytes())
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ids = _ids(ws)
    for row in range(FIRST_DATA_ROW, LAST + 1):              # one block D4:Y18 ← AA4:AV18
        for k in range(22):
            ws.cell(row=row, column=4 + k).value = ws.cell(row=row, column=27 + k).value
    ws[f"{ids['note']}5"] = "活动场所面积为估计"
    ws[f"B{LAST + 3}"] = "李四"
    wb.save(path)
    ds = dj.load(path, progress=False)
    village_errors = ds.issues[(ds.issues["severity"] == "error") & (ds.issues["sheet"] == "村级指标")]
    assert village_errors.empty, village_errors["message"].tolist()
    got = ds.observations.set_index(["unit_name", "indicator"])["value"]
    obs = sample_loaded.observations
    before = obs[(obs["year"] == 2015) & (obs["township"] == "东山镇") & (obs["indicator"] == "new_members")]
    for name, value in zip(before["unit_name"], before["value"]):
        assert got[(name, "new_members")] == value
    assert len(ds.observations[ds.observations["indicator"] == "new_members"]) == 15
