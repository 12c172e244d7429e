"""The 反馈单 of a township one of whose roster villages sent nothing in the year: its own figures
include that village counted as the worst value (不报不得分), so they are headed 本乡镇（待核实）
and a note names the village — they never read as measured.

The season: 金谷镇 returned 2016 (each figure = its 2015 one); its clerk left the first village of
the 村级指标 sheet wholly blank."""

from __future__ import annotations

import openpyxl
import pytest

import dangjian_analysis as dj
from helpers import data_rows

from season import build_season

TOWN = "金谷镇"


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """(model of 2016, the cleared village, the written 反馈单 as python-docx Document)."""
    import docx

    from dangjian_analysis.documents.feedback import write_township_feedback
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import load_data, score_data

    root = tmp_path_factory.mktemp("blank_village")
    data = build_season(root, [TOWN])
    path = data / "2016" / f"{TOWN}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ids = [c.value for c in ws[3]]
    known = set(dj.load_catalog().indicators["id"])
    row = data_rows(ws)[0]
    village = ws.cell(row, ids.index("village") + 1).value
    for k, i in enumerate(ids):
        if i in known:
            ws.cell(row, k + 1).value = None
    wb.save(path)
    cat, ds = load_data(data)
    scored = score_data(ds, cat, draws=20)
    model = build_model(ds, 2016, catalog=cat, scores=scored.scores, villages=scored.villages,
                        uncertainty=scored.uncertainty)
    document = docx.Document(str(write_township_feedback(model, TOWN, root / "f.docx")))
    return model, village, document


def test_the_blank_village_is_absent_and_named_in_the_note(season):
    from dangjian_analysis.documents._feedback_parts import absent_villages_of, imputed_note

    model, village, document = season
    assert absent_villages_of(model, TOWN) == [village]
    reason = model.table("ranking").set_index("township").loc[TOWN, "provisional_reason"]
    assert f"{village}未报送任何村级指标" in reason                 # the metrics say the same
    note = (f"注：{village}本年度未报送任何村级指标，本乡镇的村级指标数值、得分和综合指数含这些村按不得分计入的数，"
            "不是实测数（标“本乡镇（待核实）”，请核实）。")
    assert imputed_note(model, TOWN) == note
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    first = texts.index("一、综合指数、名次和等次")
    assert texts[first + 2] == note                                  # right under the headline


def test_own_figures_headed_pending_in_both_tables(season):
    _, _, document = season
    groups, weak = document.tables[1], document.tables[2]
    assert groups.rows[1].cells[0].text == "本乡镇（待核实）"          # the sub-indices, row header
    assert weak.rows[0].cells[2].text.replace("\n", "") == "本乡镇（待核实）"
    assert all("本乡镇" != c.text for t in (groups, weak) for r in t.rows for c in r.cells)


def test_the_blank_village_is_never_named_as_worst(season):
    _, village, document = season
    line = next((p.text for p in document.paragraphs if p.text.startswith("数值最差的村：")), "")
    assert line and village not in line
    # the blank village is taken as 软弱涣散 and not turned around (不报不得分): 当年整顿转化 is among the
    # weakest, yet no village that reported has a bad value, so the line says so (not 乡镇级指标不分村)
    assert "当年整顿转化：报送的村中没有数值差的村" in line and "乡镇级指标" not in line


def test_a_township_whose_villages_all_reported_has_no_mark():
    from types import SimpleNamespace

    from dangjian_analysis.documents._feedback_parts import imputed_note, own_label
    from dangjian_analysis.documents.pipeline import load_data
    from dangjian_analysis.documents.report_tables import _absent

    cat, ds = load_data(None)
    m = SimpleNamespace(dataset=ds, catalog=cat, year=2015, table={"absent": _absent(ds, cat, 2015)}.__getitem__)
    assert own_label(m, TOWN) == "本乡镇" and imputed_note(m, TOWN) == ""
