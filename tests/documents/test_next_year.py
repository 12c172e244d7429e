"""Next year from this year, on the sample county: the 2016 template with last year's values
beside each input (上年数), filled and loaded together with 2012–2015; years far off stay errors."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.documents.template import FIRST_DATA_ROW, ID_ROW

from helpers import SAMPLE, column_of, data_rows, run_cli
from season import fill_like_last_year

SHEETS = ("乡镇指标", "村级指标", "一乡一品")


def _accounting_holds(files) -> bool:
    return bool((files["cells_read"] == files["cells_accepted"] + files["cells_rejected"] + files["cells_empty"]).all())


def _fill(template, out):
    """The clerk's return: every input cell given last year's value from its 上年数."""
    shutil.copy(template, out)
    return fill_like_last_year(out)


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    """``dangjian template --year 2016 --previous data/sample --township 东山镇`` and its filled copy."""
    folder = tmp_path_factory.mktemp("next_year")
    template = folder / "东山镇2016.xlsx"
    out = run_cli("template", "--year", "2016", "--previous", str(SAMPLE), "--township", "东山镇", "--out", str(template))
    assert out.returncode == 0 and "含上年数" in out.stdout, out.stderr
    returned = folder / "回收表2016"
    returned.mkdir()
    return template, _fill(template, returned / "东山镇2016.xlsx")


def test_a_new_year_needs_no_catalogue_edit(tmp_path):
    out = run_cli("template", "--year", "2016", "--out", str(tmp_path / "2016.xlsx"))
    assert out.returncode == 0, out.stderr
    ws = openpyxl.load_workbook(tmp_path / "2016.xlsx")["村级指标"]
    assert {ws[f"C{r}"].value for r in data_rows(ws)} == {2016} and ws["C3"].value == "year:2016"
    years = [dv for dv in ws.data_validations.dataValidation if dv.type == "whole" and "C4" in str(dv.sqref)]
    assert (years[0].formula1, years[0].formula2) == ("2016", "2016")        # the form's own year only
    assert ws.max_column == 26 and ws.cell(3, 26).value == "note"         # no 上年数 without --previous
    far = run_cli("template", "--year", "2018", "--out", str(tmp_path / "2018.xlsx"))
    assert far.returncode == 2 and "--previous" in far.stderr and "Traceback" not in far.stderr


def test_last_years_values_sit_beside_each_input_locked_and_grey(rolled, sample_loaded):
    template, _ = rolled
    wb = openpyxl.load_workbook(template)
    obs = sample_loaded.observations
    before = obs[obs["year"] == 2015].set_index(["unit_name", "indicator"])["value"]
    kinds = dict(zip(sample_loaded.catalog.indicators["id"], sample_loaded.catalog.indicators["kind"]))
    seen = 0
    for sheet in SHEETS:
        ws = wb[sheet]
        assert ws.protection.sheet and not ws.protection.password
        ids = [c.value for c in ws[ID_ROW]]
        inputs = [j for j, v in enumerate(ids) if v in kinds]
        refs = [ids.index(f"prev:{ids[j]}") for j in inputs]               # the 上年数 block, same order
        assert inputs and refs == list(range(refs[0], refs[0] + len(inputs))) and refs[0] == inputs[-1] + 2
        assert ws.cell(1, refs[0] + 1).value == "上年数（2015年，只供对照）"
        for j, k in zip(inputs, refs):
            head = ws.cell(2, k + 1)
            assert head.value == f"{ws.cell(2, j + 1).value}\n上年数" and head.fill.fgColor.rgb.endswith("7F7F7F")
            for r in data_rows(ws):
                unit = ws.cell(r, 2).value if sheet == "村级指标" else ws.cell(r, 1).value
                ref, cell = ws.cell(r, k + 1), ws.cell(r, j + 1)
                assert ref.protection.locked and not cell.protection.locked and ref.fill.fgColor.rgb.endswith("E7E6E6")
                value = before.get((unit, ids[j]))
                expected = None if value is None else (("是" if value == 1 else "否") if kinds[ids[j]] == "binary"
                                                       else value)
                assert ref.value == expected, (sheet, unit, ids[j])
                seen += value is not None
        assert ws.cell(FIRST_DATA_ROW, 1).protection.locked               # keys the clerk cannot break
    assert seen > 300
    assert "上年数" in " ".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)


def test_the_filled_template_loads_with_2012_to_2015_and_the_reference_columns_are_skipped(rolled, catalog):
    template, filled = rolled
    ds = dj.load(SAMPLE, filled.parent, catalog=catalog)
    assert ds.n_errors == 0 and ds.n_warnings == 0, ds.issues.head()
    assert sorted(ds.observations["year"].unique()) == [2012, 2013, 2014, 2015, 2016]
    new = ds.observations[ds.observations["year"] == 2016]
    old = ds.observations[(ds.observations["year"] == 2015) & (ds.observations["township"] == "东山镇")]
    ws = openpyxl.load_workbook(filled)
    ids = {(s, c.column_letter): c.value for s in SHEETS for c in ws[s][ID_ROW]}
    assert len(new) == len(old)
    assert [ids[(s, c.rstrip("0123456789"))] for s, c in zip(new["source_sheet"], new["source_cell"])] == \
        new["indicator"].tolist()                                          # read from the inputs, not the 上年数
    row = ds.files[ds.files["file"] == str(filled)].iloc[0]
    inputs = sum(1 for s in SHEETS for c in ws[s][ID_ROW] if c.value in set(catalog.indicators["id"])
                 for _ in data_rows(ws[s]))
    assert row["cells_read"] == inputs and _accounting_holds(ds.files)   # neither 上年数 nor the footer is read
    scores = dj.score_composite(ds)
    assert 2016 in set(scores.loc[scores["unit_name"] == "东山镇", "year"])


def test_the_reference_is_the_value_the_year_on_year_check_compares_with(rolled, catalog, tmp_path):
    template, filled = rolled
    returned = tmp_path / "回收表"
    returned.mkdir()
    path = shutil.copy(filled, returned / filled.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    col = column_of(ws, "office_funds")
    row = next(r for r in data_rows(ws) if ws[f"B{r}"].value == "梅源村")
    reference = openpyxl.load_workbook(template)["村级指标"][f"{column_of(ws, 'prev:office_funds')}{row}"].value
    ws[f"{col}{row}"] = reference * 10000                                # 元 typed into a 万元 column
    wb.save(path)
    ds = dj.load(SAMPLE, returned, catalog=catalog)
    jump = ds.issues[ds.issues["code"] == "year_on_year"]
    assert jump["cell"].tolist() == [f"{col}{row}"]
    sample = openpyxl.load_workbook(SAMPLE / "东山镇.xlsx")["村级指标"]
    then = next(r for r in range(FIRST_DATA_ROW, sample.max_row + 1)
                if (sample[f"B{r}"].value, sample[f"C{r}"].value) == ("梅源村", 2015))
    cell = f"{column_of(sample, 'office_funds')}{then}"
    assert f"与上年（2015 年，东山镇.xlsx 村级指标 {cell}：{reference:g}）相比约为上年的 1 万倍" in jump["message"].iloc[0]
    assert sample[cell].value == reference                            # the 上年数 shown is the value compared with


def test_a_new_year_reads_on_its_own_but_two_years_ahead_is_an_error(rolled, catalog, tmp_path):
    _, filled = rolled
    alone = dj.load(filled, catalog=catalog)                 # the 2016 returns before last year's data is at hand
    assert alone.n_errors == 0 and set(alone.observations["year"]) == {2016}
    ahead = tmp_path / "2017.xlsx"
    wb = openpyxl.load_workbook(filled)
    for name in SHEETS:
        ws = wb[name]
        column = "C" if name == "村级指标" else "B"
        for r in data_rows(ws):
            if ws[f"{column}{r}"].value == 2016:
                ws[f"{column}{r}"] = 2017
    wb.save(ahead)
    far = dj.load(ahead, catalog=catalog)
    bad = far.issues[far.issues["code"] == "wrong_year"]                # a 2016 form: 2017 is not its year
    rows = sum(len(data_rows(wb[s])) for s in SHEETS)
    assert len(bad) == rows == far.n_errors and far.observations.empty
    assert set(bad["cell"].str[0]) == {"B", "C"}                          # the year column of each sheet
    assert "本表为 2016 年度填报表，年度应为 2016" in bad["message"].iloc[0]
    assert far.files["cells_accepted"].sum() == 0 and _accounting_holds(far.files)


@pytest.mark.parametrize("year", [2105, 2025])
def test_a_far_year_typed_among_the_data_is_one_error(sample_copy, rolled, catalog, year):
    _, filled = rolled
    shutil.copy(filled, sample_copy / filled.name)
    path = sample_copy / "西河乡.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["村级指标"]["C50"] = year                                   # a 2015 row
    wb.save(path)
    ds = dj.load(sample_copy, catalog=catalog)
    bad = ds.issues[ds.issues["severity"] == "error"]
    assert bad[["file", "cell", "code"]].values.tolist() == [[str(path), "C50", "bad_year"]]   # a multi-year file:
    assert f"年度“{year}”有误，应为 2012–2017 之间的年份" in bad["message"].iloc[0]           # the catalogue's rule
    assert 2016 in set(ds.observations["year"]) and _accounting_holds(ds.files)


def test_county_tables_accept_the_year_after_the_last_one_loaded(sample_copy, catalog):
    path = sample_copy / "县级数据.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["述职评议"]
    head = [c.value for c in ws[1]]
    y = head.index("年度")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[y].value == 2015]
    for year in (2016, 2025):
        for values in rows:
            ws.append([year if j == y else v for j, v in enumerate(values)])
    wb.save(path)
    ds = dj.load(sample_copy, catalog=catalog)
    assert set(ds.ballots["year"]) == {2012, 2013, 2014, 2015, 2016}
    bad = ds.issues[ds.issues["severity"] == "error"]
    assert len(bad) == len(rows) and set(bad["code"]) == {"bad_ballots"}
    assert set(bad["cell"].str.extract(r"^([A-Z]+)")[0]) == {openpyxl.utils.get_column_letter(y + 1)}
    assert "年度“2025”有误" in bad["message"].iloc[0] and _accounting_holds(ds.files)
    assert ds.files.loc[ds.files["file"] == str(path), "cells_rejected"].item() == \
        sum(sum(1 for v in r if v not in (None, "")) for r in rows)


def test_roll_on_again_from_the_python_api(rolled, catalog, tmp_path):
    _, filled = rolled
    ds = dj.load(SAMPLE, filled.parent, catalog=catalog)
    out = dj.write_template(tmp_path / "2017.xlsx", township="东山镇", catalog=catalog, previous=ds)
    again = dj.write_template(tmp_path / "again.xlsx", township="东山镇", catalog=catalog,
                              previous=[SAMPLE, filled.parent])
    assert out.read_bytes() == again.read_bytes()                     # a Dataset or its folders: the same file
    ws = openpyxl.load_workbook(out)["乡镇指标"]
    assert ws["B4"].value == 2017 and ws.cell(1, 6).value == "上年数（2016年，只供对照）"
    before = ds.observations.query("unit_name == '东山镇' and year == 2016").set_index("indicator")["value"]
    assert ws[f"{column_of(ws, 'prev:model_sites')}4"].value == before["model_sites"]
    with pytest.raises(ValueError, match="上年数据中没有 2015 年的数值（上年数据：2012–2014 年）"):
        dj.write_template(tmp_path / "x.xlsx", year=2016, catalog=catalog,
                          previous=ds.observations[ds.observations["year"] <= 2014])
    with pytest.raises(ValueError, match="年度 2019 超出范围：应在 2012–2017 之间"):
        dj.write_template(tmp_path / "x.xlsx", year=2019, catalog=catalog, previous=ds)
