"""Formulas that reach outside the workbook: a DDE formula is an error at its cell and its
cached value is never taken; a formula on another workbook is taken with a warning naming
the link. No formula is evaluated (the cached values below are what a planted file would show)."""

from __future__ import annotations

import openpyxl

from dangjian_analysis.intake import load
from dangjian_analysis.intake._links import classify
from helpers import SAMPLE, column_of

from intake.test_files_and_scan import rezip, set_cell

WORKBOOK = SAMPLE / "东山镇.xlsx"
_LINK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         b'<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
_LINK_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              b'externalLinkPath" Target="file:///D:/2015/%E4%B8%8A%E5%B9%B4.xlsx" TargetMode="External"/>'
              b'</Relationships>')
_DDE_LINK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<ddeLink ddeService="cmd" ddeTopic="/c calc"><ddeItems><ddeItem name="A0"/></ddeItems></ddeLink>'
             b'</externalLink>')


def _cells():
    ws = openpyxl.load_workbook(WORKBOOK)["村级指标"]
    funds, income, grade, rate = (column_of(ws, i) for i in ("office_funds", "collective_income", "org_grade",
                                                              "training_rate"))
    return {"pipe": f"{funds}5", "call": f"{income}5", "external": f"{funds}6", "via_link": f"{grade}7",
            "quoted": f"{rate}8"}, ws


def _planted(tmp_path):
    cells, ws = _cells()
    values = {name: ws[ref].value for name, ref in cells.items()}
    formulas = {"pipe": "cmd|' /C calc'!A0", "call": 'DDE("cmd";"/C calc";"A0")', "external": "[1]村级指标!V6",
                "via_link": "[2]!A0", "quoted": 'IF(1,"a|b",0)+\'x|y\'!A1*0+' + str(values["quoted"])}

    def edit(xml):
        for name, ref in cells.items():
            xml = set_cell(xml, ref, f'<c r="{ref}"><f>{formulas[name].replace("&", "&amp;").replace(chr(34), "&quot;")}'
                                     f'</f><v>{values[name]}</v></c>'.encode())
        return xml

    path = rezip(WORKBOOK, tmp_path / "a.xlsx", "村级指标", edit)
    import zipfile

    out = tmp_path / "东山镇.xlsx"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in zf.infolist():
            dst.writestr(info.filename, zf.read(info.filename))
        dst.writestr("xl/externalLinks/externalLink1.xml", _LINK)
        dst.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", _LINK_RELS)
        dst.writestr("xl/externalLinks/externalLink2.xml", _DDE_LINK)
    path.unlink()
    return out, cells, values


def test_formulas_are_classified_by_their_text_not_their_strings():
    assert classify("cmd|' /C calc'!A0", {}) == ("dde", "cmd|' /C calc'")
    assert classify('DDEAUTO("excel";"x";"y")', {})[0] == "dde"
    assert classify("[3]Sheet1!A1", {}) == ("external", "外部链接 3")
    assert classify("'[1]上年'!B4", {1: ("dde", "cmd|x")}) == ("dde", "cmd|x")
    assert classify('IF(A1="cmd|x",1,0)', {}) is None and classify("'a|b'!A1+SUM(B1:B3)", {}) is None
    assert classify("Table1[[#This Row],[数量]]", {}) is None


def test_dde_is_an_error_at_its_cell_and_an_external_link_a_warning_naming_it(tmp_path, catalog):
    path, cells, values = _planted(tmp_path)
    ds = load(path, catalog=catalog, progress=False)
    at = ds.issues[ds.issues["sheet"] == "村级指标"].set_index("cell")
    for name in ("pipe", "call", "via_link"):
        row = at.loc[cells[name]]
        assert (row["severity"], row["code"]) == ("error", "dde_formula"), name
        assert "会调用外部程序" in row["message"] and "不采用其中保存的结果" in row["message"]
    assert "cmd|' /C calc'" in at.loc[cells["pipe"], "message"] and "（cmd|/c calc）" in at.loc[cells["via_link"], "message"]
    external = at.loc[cells["external"]]
    assert (external["severity"], external["code"]) == ("warning", "external_link")
    assert "链接：file:///D:/2015/%E4%B8%8A%E5%B9%B4.xlsx" in external["message"]
    assert at.loc[cells["quoted"], "code"] == "formula_cached"                  # a string or sheet name with |
    obs = ds.observations
    taken = obs[obs["source_sheet"] == "村级指标"].set_index("source_cell")["value"]
    assert not {cells[n] for n in ("pipe", "call", "via_link")} & set(taken.index)       # DDE values never taken
    assert taken[cells["external"]] == values["external"] and taken[cells["quoted"]] == values["quoted"]
    row = ds.files.iloc[0]
    assert row["cells_read"] == row["cells_accepted"] + row["cells_rejected"] + row["cells_empty"]
    assert row["cells_rejected"] == 3
