"""Village cards (村情卡) of one township, read back with python-docx: one page per village, the
metrics' numbers, a 软弱涣散 village's reasons, missing, wrong and doubtful values by cell, renamed
and merged villages, the same bytes twice, and the CLI's Chinese errors."""

from __future__ import annotations

import warnings

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from dangjian_analysis.catalog import load_catalog
from dangjian_analysis.documents.cards import CardsError, write_cards

from helpers import copy_sample, edit, write_catalog

TOWN = "东山镇"
RENAMED = '{ id = "T01V02", name = "联家社区", renamed = { from = "联家村", year = 2015 } }'
MERGED = '{ id = "T01V10", name = "丰湾村", merged_into = { id = "T01V03", year = 2015 } }'


def _cards(path):
    """Per page: the title, the lines before the first table, and the tables as lists of rows."""
    doc = Document(str(path))
    pages, current = [], None
    body = doc.element.body
    tables = iter(doc.tables)
    paragraphs = iter(doc.paragraphs)
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            p = next(paragraphs)
            if p.text.endswith("村情卡") and p.runs and p.runs[0].font.size.pt == 18:
                current = {"title": p.text, "lines": [], "tables": []}
                pages.append(current)
            elif current is not None and p.text:
                current["lines"].append(p.text)
        elif child.tag == qn("w:tbl"):
            t = next(tables)
            current["tables"].append([[c.text for c in row.cells] for row in t.rows])
    return doc, pages


def _page_breaks(doc) -> int:
    return sum(1 for br in doc.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page")


def _summary(page) -> list[str]:
    """The two sentences under 一、综合评价与晋位升级."""
    at = page["lines"].index("一、综合评价与晋位升级")
    return page["lines"][at + 1:at + 3]


def _row(table, first):
    return next(r for r in table if r[0] == first)


@pytest.fixture(scope="module")
def sample_cards(sample_loaded, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cards")
    return write_cards(sample_loaded, "东山", folder)


def test_one_page_per_village_in_catalogue_order(sample_cards, catalog):
    (path,) = sample_cards
    assert path.name == "东山镇村情卡_2015年.docx"
    doc, pages = _cards(path)
    villages = catalog.villages_in(2015).query("township == @TOWN")["name_in_year"].tolist()
    assert [p["title"] for p in pages] == [f"{v}村情卡" for v in villages]
    assert len(villages) == 15 and _page_breaks(doc) == 14
    assert all(len(p["tables"]) == 2 for p in pages)              # the year table and the indicator table
    assert len(doc.inline_shapes) == 15                            # one chart a card


def test_numbers_are_the_metrics(sample_cards, sample_loaded):
    from dangjian_analysis.metrics.composite import score_composite

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        villages = score_composite(sample_loaded, level="village")
    overall = villages[villages["group"] == "overall"]
    mine = overall[(overall["unit_id"] == "T01V05") & (overall["year"] == 2015)].iloc[0]     # 兴坪村
    n = int((overall["year"] == 2015).sum())
    _, pages = _cards(sample_cards[0])
    page = next(p for p in pages if p["title"] == "兴坪村村情卡")
    years, indicators = page["tables"]
    assert years[0] == ["年度", "综合指数", "全县名次", "等次", "升降", "软弱涣散", "倒排", "软弱涣散情形"]
    row = _row(years, "2015年")
    assert row[1:4] == [f"{mine['score']:.1f}", f"{int(mine['rank'])}/{n}", mine["grade"]]
    assert n == 127 and [r[0] for r in years[1:]] == ["2012年", "2013年", "2014年", "2015年"]
    assert f"在全县127个村（社区）中居第{int(mine['rank'])}位，等次为{mine['grade']}" in _summary(page)[0]
    # 村级办公经费: the village's value, last year's, and plain means over the villages that have one
    obs = sample_loaded.observations.query("indicator == 'office_funds' and level == 'village'")
    own = obs.query("unit_id == 'T01V05'").set_index("year")["value"]
    town = obs.query("township == @TOWN and year == 2015")["value"]
    county = obs.query("year == 2015")["value"]
    assert indicators[0] == ["指标", "单位", "2015年", "2014年", "本乡镇村均", "全县村均", "与全县村均比"]
    funds = _row(indicators, "村级办公经费")
    assert funds[1:6] == ["万元", f"{own[2015]:.2f}", f"{own[2014]:.2f}", f"{town.sum() / len(town):.2f}",
                          f"{county.sum() / len(county):.2f}"]
    assert funds[6] == ("较好" if round(own[2015], 2) > round(county.mean(), 2) else "较差")
    assert len(town) == 15 and len(county) == 127
    # a 0/1 indicator: 是/否 for the village, the share of villages with 是 for the means
    model = _row(indicators, "示范党组织")
    flags = sample_loaded.observations.query("indicator == 'model_org' and year == 2015")
    assert model[3] in ("是", "否") and model[5] == f"{(flags['value'] == 1).mean():.0%}"


def test_a_listed_village_shows_its_listing_and_reasons(sample_cards, sample_loaded):
    # 东山社区 was listed 软弱涣散 in 2012 with its secretary post vacant more than 3 months
    obs = sample_loaded.observations.query("unit_id == 'T01V01' and year == 2012").set_index("indicator")["value"]
    assert obs["weak_listed"] == 1 and obs["vacancy_months"] > 3 and obs["weak_turned"] == 1
    _, pages = _cards(sample_cards[0])
    page = next(p for p in pages if p["title"] == "东山社区村情卡")
    row = _row(page["tables"][0], "2012年")
    assert row[5] == "列入，当年转化" and row[7] == "书记空缺超过3个月"
    assert _row(page["tables"][0], "2015年")[5] == "否"
    assert "2012年列为软弱涣散" in _summary(page)[1]
    # 石岗村: 倒排 2012–2014 (flag_bottom), with its bottom rank each year
    from dangjian_analysis.metrics.rectify import flag_bottom

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        low = flag_bottom(sample_loaded).query("unit_id == 'T01V07'").set_index("year")["bottom_rank"]
    page = next(p for p in pages if p["title"] == "石岗村村情卡")
    assert [_row(page["tables"][0], f"{y}年")[6] for y in (2012, 2013, 2014, 2015)] == \
        [f"倒数第{low[y]}名" for y in (2012, 2013, 2014)] + ["否"]
    assert "2012–2014年综合指数列入全县倒排" in _summary(page)[1]


@pytest.fixture(scope="module")
def history_cards(tmp_path_factory):
    """The sample with 联家村 renamed 联家社区 and 丰湾村 merged into 梅源村 in 2015 (the 2015 rows
    as clerks return them), 梅源村's 2015 村级办公经费 left blank, its 群众满意度 typed as 5 and its
    2014 活动场所面积 as “abc”."""
    from dangjian_analysis.catalog import default_catalog_text
    from dangjian_analysis.intake import load


    tmp = tmp_path_factory.mktemp("history")
    data = copy_sample(tmp / "data")
    text = default_catalog_text()
    for old, new in (('{ id = "T01V02", name = "联家村" }', RENAMED), ('{ id = "T01V10", name = "丰湾村" }', MERGED)):
        assert old in text
        text = text.replace(old, new)
    cat = load_catalog(write_catalog(tmp, text))
    wb = openpyxl.load_workbook(data / "东山镇.xlsx")
    ws = wb["村级指标"]
    rows = {(ws[f"B{r}"].value, ws[f"C{r}"].value): r for r in range(4, ws.max_row + 1)}
    ws[f"B{rows['联家村', 2015]}"] = "联家社区"
    ws.delete_rows(rows["丰湾村", 2015])
    wb.save(data / "东山镇.xlsx")
    county = openpyxl.load_workbook(data / "县级数据.xlsx")
    links = county["驻点联系"]
    head = [c.value for c in links[1]]
    v, y = head.index("村（社区）") + 1, head.index("年度") + 1
    for r in range(links.max_row, 1, -1):
        if links.cell(r, y).value == 2015 and links.cell(r, v).value == "丰湾村":
            links.delete_rows(r)
        elif links.cell(r, y).value == 2015 and links.cell(r, v).value == "联家村":
            links.cell(r, v).value = "联家社区"
    county.save(data / "县级数据.xlsx")
    ws = openpyxl.load_workbook(data / "东山镇.xlsx")["村级指标"]
    rows = {(ws[f"B{r}"].value, ws[f"C{r}"].value): r for r in range(4, ws.max_row + 1)}
    changes = {"funds": ("office_funds", rows["梅源村", 2015]), "satisfaction": ("satisfaction", rows["梅源村", 2015]),
               "area": ("venue_area", rows["梅源村", 2014])}
    written = edit(data / "东山镇.xlsx", "村级指标", {changes["funds"]: None, changes["satisfaction"]: 5,
                                                     changes["area"]: "abc"})
    cells = {k: written[key] for k, key in changes.items()}
    ds = load(data, catalog=cat)
    return write_cards(ds, TOWN, tmp / "out", catalog=cat), cells, ds


def test_missing_wrong_and_doubtful_values_are_named_by_cell(history_cards):
    (path,), cells, ds = history_cards
    assert ds.n_errors == 1
    _, pages = _cards(path)
    page = next(p for p in pages if p["title"] == "梅源村村情卡")
    indicators = page["tables"][1]
    assert _row(indicators, "村级办公经费")[2] == "未填报"
    assert _row(indicators, "群众满意度")[2] == "5.0*"              # doubtful: marked, not altered
    assert _row(indicators, "活动场所面积")[3] == "未填报"            # 2014: “abc” was not accepted
    gaps = page["lines"][page["lines"].index("三、缺报与待核实") + 1:]
    funds, satisfaction, area = cells["funds"], cells["satisfaction"], cells["area"]
    assert f"2015年缺报必填指标：村级办公经费（东山镇.xlsx 村级指标 {funds}）；按不报不得分计。" in gaps
    assert any(g.startswith("2015年群众满意度 5.0% 待核实") and f"村级指标 {satisfaction}）" in g for g in gaps)
    assert any(g.startswith("2014年错误：活动场所面积") and "“abc”" in g and f"村级指标 {area}）" in g
               and g.endswith("该值未采用，按缺报计。") for g in gaps), gaps
    assert _row(page["tables"][0], "2015年")[1].endswith("*")       # the index rests on them: 待核实
    # a village with nothing missing says so
    clean = next(p for p in pages if p["title"] == "兴坪村村情卡")
    assert clean["lines"][-1] == "没有缺报、出错或待核实的数值。"


def test_renamed_and_merged_villages_say_so(history_cards):
    (path,), _, _ = history_cards
    doc, pages = _cards(path)
    titles = [p["title"] for p in pages]
    assert len(titles) == 14 and _page_breaks(doc) == 13 and "丰湾村村情卡" not in titles
    renamed = next(p for p in pages if p["title"] == "联家社区村情卡")
    assert "名称：2012–2014年为联家村，2015年为联家社区。" in renamed["lines"]
    merged = next(p for p in pages if p["title"] == "梅源村村情卡")
    assert any(line.startswith("区划：2015年丰湾村并入本村") for line in merged["lines"])
    assert _row(merged["tables"][0], "2015年")[2].endswith("/126")    # 126 villages scored after the merger


def test_cards_of_an_earlier_year_stop_at_that_year(history_cards, tmp_path):
    _, _, ds = history_cards
    (path,) = write_cards(ds, TOWN, tmp_path, year=2014)
    assert path.name == "东山镇村情卡_2014年.docx"
    doc, pages = _cards(path)
    assert len(pages) == 15 and _page_breaks(doc) == 14               # 丰湾村 still has its card in 2014
    gone = next(p for p in pages if p["title"] == "丰湾村村情卡")
    assert "区划：本村于2015年并入梅源村，2015年起不再单独统计。" in gone["lines"]
    assert next(p for p in pages if p["title"] == "联家村村情卡")       # its name that year
    merged = next(p for p in pages if p["title"] == "梅源村村情卡")
    assert [r[0] for r in merged["tables"][0][1:]] == ["2012年", "2013年", "2014年"]
    assert merged["tables"][1][0][2:4] == ["2014年", "2013年"]
    gaps = merged["lines"][merged["lines"].index("三、缺报与待核实") + 1:]
    assert gaps and not any("2015" in g for g in gaps)               # 2015's blank and doubtful value are not 2014's


def test_cards_are_the_same_bytes_twice(sample_loaded, sample_cards, tmp_path):
    again = write_cards(sample_loaded, TOWN, tmp_path)
    assert again[0].read_bytes() == sample_cards[0].read_bytes()


def test_unknown_township_names_the_nearest(sample_loaded, tmp_path):
    with pytest.raises(CardsError, match="乡镇“东三镇”不在指标体系的乡镇名录中，是否为“东山镇”？"):
        write_cards(sample_loaded, "东三镇", tmp_path)
    with pytest.raises(CardsError, match="数据中没有 2019 年度的指标数据"):
        write_cards(sample_loaded, TOWN, tmp_path, year=2019)
    assert not list(tmp_path.iterdir())


def test_cli_errors_are_one_chinese_line(tmp_path, capsys):
    import argparse

    from dangjian_analysis.documents._cards_cli import add_cards_arguments, run_cards

    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog")
    add_cards_arguments(parser)

    def run(*argv):
        status = run_cards(parser.parse_args(list(argv)))
        return status, capsys.readouterr().err.strip().splitlines()

    status, err = run("--township", "东三镇", "--out", str(tmp_path))
    assert status == 2 and err == ["dangjian cards：乡镇“东三镇”不在指标体系的乡镇名录中，是否为“东山镇”？（名录：东山镇、"
                                   "西河乡、南岭镇、北塘镇、青石乡、白沙镇、红旗乡、金谷镇、柳溪乡、石桥镇）"]
    missing = tmp_path / "无此文件夹"
    assert run("--township", "东山", "--out", str(tmp_path), "--data", str(missing)) == \
        (2, [f"dangjian cards：找不到数据：{missing}"])
    pdfs = tmp_path / "回收表"
    pdfs.mkdir()
    (pdfs / "东山镇.pdf").write_bytes(b"%PDF-1.4")
    status, err = run("--township", "东山", "--out", str(tmp_path / "out"), "--data", str(pdfs))
    assert status == 1 and len(err) == 1 and err[0].startswith("dangjian cards：文件夹")
    assert "没有可读取的 .xlsx、.xlsm 或 .csv 文件" in err[0]
    assert not (tmp_path / "out").exists()
