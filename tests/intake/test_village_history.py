"""Villages renamed and merged from 2015 on, on the sample county: the 2012–2014 workbooks
keep the old names, the 2015 ones use the new names, and every value lands on one stable id."""

from __future__ import annotations

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.intake import load

from helpers import column_of, data_rows, write_catalog

RENAMED = '{ id = "T01V02", name = "联家社区", aliases = ["联家"], renamed = { from = "联家村", year = 2015 } }'
MERGED = '{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03", year = 2015 } }'


@pytest.fixture
def history_catalog(tmp_path, catalog_text):
    """The default catalogue with 联家村 renamed 联家社区 and 丰湾村 merged into 梅源村, both in 2015."""
    text = catalog_text.replace('{ id = "T01V02", name = "联家村" }', RENAMED)
    text = text.replace('{ id = "T01V10", name = "丰湾村" }', MERGED)
    assert RENAMED in text and MERGED in text
    return load_catalog(write_catalog(tmp_path, text))


def _row(ws, village: str, year: int) -> int:
    """The sheet row of ``village`` in ``year`` (villages in column B, years in C)."""
    return next(r for r in range(4, ws.max_row + 1) if ws[f"B{r}"].value == village and ws[f"C{r}"].value == year)


def _as_in_2015(folder, *, rename=True, merge=True) -> None:
    """What the clerks return for 2015 after the changes: 联家社区 instead of 联家村, no row for
    丰湾村 (its area reported under 梅源村); the county's 驻点 table likewise."""
    path = folder / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    if rename:
        ws[f"B{_row(ws, '联家村', 2015)}"] = "联家社区"
    if merge:
        ws.delete_rows(_row(ws, "丰湾村", 2015))
    wb.save(path)
    county = folder / "县级数据.xlsx"
    wb = openpyxl.load_workbook(county)
    links = wb["驻点联系"]
    head = [c.value for c in links[1]]
    v, y = head.index("村（社区）") + 1, head.index("年度") + 1
    for r in range(links.max_row, 1, -1):
        if links.cell(r, y).value != 2015:
            continue
        if merge and links.cell(r, v).value == "丰湾村":
            links.delete_rows(r)
        elif rename and links.cell(r, v).value == "联家村":
            links.cell(r, v).value = "联家社区"
    wb.save(county)


def test_old_names_before_and_new_names_after_load_into_one_id(sample_copy, history_catalog):
    _as_in_2015(sample_copy)
    ds = load(sample_copy, catalog=history_catalog)
    assert ds.n_errors == 0 and ds.n_warnings == 0, ds.issues.head()         # no “missing village” for 丰湾村
    obs = ds.observations
    renamed = obs[obs["unit_id"] == "T01V02"]
    assert sorted(renamed["year"].unique()) == [2012, 2013, 2014, 2015]
    assert set(renamed["unit_name"]) == {"联家社区"}
    ws = openpyxl.load_workbook(sample_copy / "东山镇.xlsx")["村级指标"]
    written = {(y, ws[f"B{c[1:]}"].value) for y, c in zip(renamed["year"], renamed["source_cell"])}
    assert written == {(2012, "联家村"), (2013, "联家村"), (2014, "联家村"), (2015, "联家社区")}
    merged = obs[obs["unit_id"] == "T01V10"]
    assert sorted(merged["year"].unique()) == [2012, 2013, 2014]             # its history stays its own
    # township aggregates use the villages of each year: 15 in 2014, 14 from 2015
    agg = dj.aggregate_villages(ds).query("township == '东山镇' and indicator == 'office_funds'")
    assert agg.set_index("year")["n_villages"].to_dict() == {2012: 15, 2013: 15, 2014: 15, 2015: 14}
    assert not ds.links[(ds.links["village"] == "丰湾村") & (ds.links["year"] == 2015)].shape[0]
    trend = dj.growth(obs[(obs["unit_id"] == "T01V02") & (obs["indicator"] == "office_funds")])
    assert trend[["first_year", "last_year", "n_years"]].iloc[0].tolist() == [2012, 2015, 4]


def test_listing_and_grade_moves_follow_the_village_across_the_rename(sample_copy, history_catalog):
    _as_in_2015(sample_copy)
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    col = column_of(ws, "new_members")
    ws[f"{col}{_row(ws, '联家村', 2014)}"] = 0               # the old name …
    ws[f"{col}{_row(ws, '联家社区', 2015)}"] = 0             # … and the new one: two years running
    wb.save(path)
    ds = load(sample_copy, catalog=history_catalog)
    reasons = dj.listing_reasons(ds).set_index(["unit_id", "year"])["reasons"]
    assert "连续2年未发展党员" in reasons[("T01V02", 2015)]
    scores = dj.score_composite(ds, level="village")
    moves = dj.grade_transitions(scores, 2014, 2015).units
    assert "T01V02" in set(moves["unit_id"]) and "T01V10" not in set(moves["unit_id"])


def test_an_old_name_after_the_rename_is_read_with_a_warning_naming_the_new_name(sample_copy, history_catalog):
    _as_in_2015(sample_copy, rename=False)
    ds = load(sample_copy, catalog=history_catalog)
    assert ds.n_errors == 0
    late = ds.issues[ds.issues["code"] == "old_village_name"]
    ws = openpyxl.load_workbook(sample_copy / "东山镇.xlsx")["村级指标"]
    assert late["cell"].tolist() == [f"B{_row(ws, '联家村', 2015)}"]
    assert "已于 2015 年更名为“联家社区”" in late["message"].iloc[0] and (late["severity"] == "warning").all()
    assert "联家村" in ds.issues.loc[ds.issues["code"] == "links_village", "message"].iloc[0]
    obs = ds.observations
    assert len(obs[(obs["unit_id"] == "T01V02") & (obs["year"] == 2015)]) > 10        # still read


def test_a_merged_village_reported_after_the_merger_is_one_error_at_its_name(sample_copy, history_catalog):
    _as_in_2015(sample_copy, merge=False)
    ds = load(sample_copy, catalog=history_catalog)
    ws = openpyxl.load_workbook(sample_copy / "东山镇.xlsx")["村级指标"]
    row = _row(ws, "丰湾村", 2015)
    errors = ds.issues[(ds.issues["severity"] == "error") & (ds.issues["sheet"] == "村级指标")]
    filled = sum(1 for c in ws[row][3:] if c.value not in (None, ""))
    assert errors["cell"].tolist() == [f"B{row}"]
    assert "已于 2015 年并入梅源村" in errors["message"].iloc[0] and f"本行 {filled} 个值未采用" in errors["message"].iloc[0]
    links = ds.issues[ds.issues["code"] == "bad_links"]
    assert len(links) == 1 and "并入梅源村" in links["message"].iloc[0]
    files = ds.files
    assert (files["cells_read"] == files["cells_accepted"] + files["cells_rejected"] + files["cells_empty"]).all()
    assert ds.observations.query("unit_id == 'T01V10' and year == 2015").empty


def test_a_village_really_missing_is_still_named(sample_copy, history_catalog):
    _as_in_2015(sample_copy)
    path = sample_copy / "东山镇.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["村级指标"].delete_rows(_row(wb["村级指标"], "朝沟村", 2015))
    wb.save(path)
    ds = load(sample_copy, catalog=history_catalog)
    missing = ds.issues[ds.issues["code"] == "missing_village"]["message"].tolist()
    assert missing == ["东山镇 2015 年缺少 朝沟村 的数据"]


def test_a_template_lists_the_villages_of_its_year_by_their_names_then(tmp_path, history_catalog):
    old = dj.write_template(tmp_path / "2014.xlsx", year=2014, township="东山镇", catalog=history_catalog)
    new = dj.write_template(tmp_path / "2015.xlsx", year=2015, township="东山镇", catalog=history_catalog)
    sheets = {p.stem: openpyxl.load_workbook(p)["村级指标"] for p in (old, new)}
    names = {stem: [ws.cell(r, 2).value for r in data_rows(ws)] for stem, ws in sheets.items()}
    assert "联家村" in names["2014"] and "丰湾村" in names["2014"] and len(names["2014"]) == 15
    assert "联家社区" in names["2015"] and "丰湾村" not in names["2015"] and len(names["2015"]) == 14
