"""The 2016 season of 8 townships (柳溪乡, 石桥镇 not returned) in which 金谷镇's clerk leaves four villages
wholly blank: before, the 倒排 list gave those villages only “综合指数位于…最低的 10%” and 主要结论 and the
deck said “降级 1 个（金谷镇）” as final, though 金谷镇's downgrade comes from the four villages that sent nothing."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

import dangjian_analysis as dj
from dangjian_analysis.intake import load

from helpers import data_rows
from season import build_season

GONE = ("花桥村", "兰坝村", "和湾村", "山塘村")


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    from dangjian_analysis.documents.report_tables import build_tables

    cat = dj.load_catalog()
    towns = [t for t in cat.townships["unit_name"] if t not in ("柳溪乡", "石桥镇")]
    data = build_season(tmp_path_factory.mktemp("season"), towns)
    path = data / "2016" / "金谷镇.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["村级指标"]
    ids = [c.value for c in ws[3]]
    cols = [k + 1 for k, i in enumerate(ids) if i in set(cat.indicators["id"])]
    for r in data_rows(ws):
        if ws.cell(r, ids.index("village") + 1).value in GONE:
            for c in cols:
                ws.cell(r, c).value = None
    wb.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ds = load(data, progress=False)
        scores = dj.score_composite(ds)
        return scores, build_tables(ds, 2016, scores=scores)


def test_absent_villages_lead_their_reason_and_the_downgrade_waits(season):
    from dangjian_analysis.charts import takeaways as tk
    from dangjian_analysis.documents.conclusions import report_conclusions
    from dangjian_analysis.documents.slides import move_marks
    from dangjian_analysis.metrics.trends import grade_transitions

    scores, tables = season
    bottom = tables["bottom"].set_index("village")
    assert list(bottom.index[:4]) == list(GONE) and (bottom.loc[list(GONE), "score"] == 0).all()
    assert set(bottom.loc[list(GONE), "reason"]) == {"未报送任何村级指标（按不得分计）；综合指数位于已报送乡镇的村中最低的 10%"}
    assert bottom.loc["庆峰村", "reason"] == "综合指数位于已报送乡镇的村中最低的 10%；连续2年未发展党员"
    moves = tables["moves"].set_index("township")
    assert moves.loc["金谷镇", "move"] == "down" and moves.loc["金谷镇", "grade_to"].endswith("（待核实）")
    assert "花桥村、兰坝村、和湾村、山塘村未报送任何村级指标" in moves.loc["金谷镇", "provisional_reason"]
    said = report_conclusions(tables, scores, 2016)
    assert "已报送的 8 个乡镇中，晋位升级 0 个，降级 1 个（金谷镇，待核实），其余 7 个等次持平。" in said
    assert any(s.endswith("；其中金谷镇花桥村、金谷镇兰坝村、金谷镇和湾村、金谷镇山塘村未报送任何村级指标（按不得分计，待核实）。")
               for s in said)
    deck = tk.takeaway_transitions(grade_transitions(scores, 2015, 2016), move_marks(scores, 2015, 2016))
    assert deck == "晋位升级 0 个，持平 7 个，降级 1 个（金谷镇，待核实）。"
