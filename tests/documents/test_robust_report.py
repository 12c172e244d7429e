"""The ranking's robustness in the report (issue 26): the tables equal the engine's output, the
sentences read their numbers from the tables, the section's place in docx/html, the chart's data."""

from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import dangjian_analysis as dj  # noqa: E402
from dangjian_analysis.charts.compare import plot_uncertainty  # noqa: E402
from dangjian_analysis.documents.model import build_model  # noqa: E402
from dangjian_analysis.documents.report_labels import column_label  # noqa: E402
from dangjian_analysis.documents.robust_report import robustness_sentences  # noqa: E402


@pytest.fixture(scope="module")
def model(sample_loaded, sample_dataset_metrics, catalog):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return build_model(sample_loaded, 2015, catalog=catalog, scores=sample_dataset_metrics)


@pytest.fixture(scope="module")
def engine(sample_loaded, catalog):
    """The engine run on its own, with the catalogue's defaults (same seed: same numbers)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return (dj.robustness(sample_loaded, catalog), dj.sensitivity(sample_loaded, catalog),
                dj.leave_one_out(sample_loaded, catalog))


def test_robustness_table_is_the_engines_output(model, engine):
    r = engine[0].query("year == 2015").sort_values(["rank", "unit_id"])
    table = model.table("robustness")
    assert table["township"].tolist() == r["unit_name"].tolist()
    assert table["rank"].tolist() == r["rank"].astype(int).tolist() == list(range(1, 11))
    assert table["median_rank"].tolist() == r["median_rank"].tolist()
    assert list(table.columns) == ["rank", "township", "rank_interval", "median_rank", "p_bottom_pct", "p_top_pct"]
    assert table["rank_interval"].tolist() == [f"{a:.0f}–{b:.0f}" for a, b in zip(r["rank_p05"], r["rank_p95"])]
    assert np.allclose(table["p_bottom_pct"], 100 * r["p_bottom"])
    assert np.allclose(table["p_top_pct"], 100 * r["p_top"])
    ranking = model.table("ranking")                 # the ranking's interval and P(倒排): the same analysis
    assert ranking["rank_interval"].tolist() == table["rank_interval"].tolist()
    assert np.allclose(100 * ranking["p_bottom"], table["p_bottom_pct"])


def test_sensitivity_table_is_the_engines_output_by_total_index(model, engine):
    s, table = engine[1], model.table("sensitivity")
    assert table["name"].tolist() == s["name"].tolist()
    for c in ("S1", "S1_se", "ST", "ST_se"):                # in % of the variance of the mean rank shift
        assert np.allclose(table[f"{c}_pct"], 100 * s[c], equal_nan=True), c
    st = table["ST_pct"].dropna().tolist()
    assert st == sorted(st, reverse=True)
    assert "choice" not in table                    # people read the Chinese name, not the id


def test_leave_one_out_table_is_the_engines_rank_change_per_group(model, engine, catalog):
    loo = engine[2].query("year == 2015 and kind == 'group'")
    table = model.table("leave_one_out").set_index("township")
    groups = [c[len("change:"):] for c in table if c.startswith("change:")]
    assert groups == list(catalog.groups["group"])
    for row in loo.itertuples():
        assert table.loc[row.unit_name, f"change:{row.item}"] == row.rank_change
    assert loo["rank_change"].abs().sum() > 0           # the sample has 工程 that move ranks
    labelled = model.labelled("leave_one_out")
    assert list(labelled.columns[:2]) == ["排名", "乡镇"]
    assert labelled.columns[2] == f"不计{catalog.groups['name'].iloc[0]}"


def test_headers_are_chinese(model, catalog):
    assert list(model.labelled("robustness").columns) == ["排名", "乡镇", "名次区间(5–95%)", "中位名次", "居末位组概率(%)",
                                                          f"评为{catalog.grade_bands['grade'].iloc[0]}的概率(%)"]
    assert list(model.labelled("sensitivity").columns) == ["建模选择", "一阶指数(%)", "一阶指数标准误(%)", "总效应指数(%)",
                                                           "总效应指数标准误(%)"]
    with pytest.raises(KeyError):
        column_label("robustness", "p_nowhere", catalog=catalog)


def test_sentences_take_their_numbers_from_the_tables(model):
    said = robustness_sentences(model.tables, model.catalog)
    table, sens = model.table("robustness"), model.table("sensitivity")
    last = table.iloc[-1]
    assert said[0] == f"{last['township']}在 {last['p_bottom_pct']:.0f}% 的方案中居末位。"    # 10 townships × 10 %: 1
    first, second = sens.iloc[0], sens.iloc[1]
    assert said[1].startswith(f"排名对{first['name']}最敏感（总效应指数 {first['ST_pct']:.0f}%），"
                              f"其次是{second['name']}（{second['ST_pct']:.0f}%）")
    assert said[1].startswith("排名对标准化方法最敏感（总效应指数 50%），其次是剔除一项指标或工程（37%）")   # the sample
    wide = [r.township for r in table.itertuples()
            if int(r.rank_interval.split("–")[1]) - int(r.rank_interval.split("–")[0]) >= 3]
    assert wide and all(t in said[1] for t in wide)
    assert model.chart("robustness").slide.takeaway == said[0]             # the slide says the same


def _case(p_bottom, intervals, st, names="甲乙丙丁"):
    n = len(p_bottom)
    table = pd.DataFrame({"rank": pd.array(range(1, n + 1), dtype="Int64"), "township": list(names)[:n],
                          "median_rank": range(1, n + 1), "rank_interval": intervals, "p_bottom_pct": p_bottom,
                          "p_top_pct": 0.0})
    sens = pd.DataFrame({"name": ["权重", "缺报规则", "标准化方法"][:len(st)], "S1_pct": st, "S1_se_pct": 0.0,
                         "ST_pct": st, "ST_se_pct": 0.0})
    return {"robustness": table, "sensitivity": sens}


def test_a_fragile_bottom_is_said_so(catalog):
    # 4 units × 10 % → a bottom group (末位组) of 1; the last is last in 60 % of combinations, 丙 in 35 %
    tables = _case([0.0, 5.0, 35.0, 60.0], ["1–2", "1–3", "2–4", "3–4"], [40.0, np.nan, 0.0])
    said = robustness_sentences(tables, catalog)
    assert said[0] == ("丁在 60% 的方案中居末位，不足九成，末位结论对建模选择敏感，宜核实后再定；"
                       "丙（35%）也可能居末位。")
    # only 权重 moves ranks (NaN and 0 are not named); no interval spans 3 places or more
    assert said[1] == "排名对权重最敏感（总效应指数 40%）；各乡镇的名次区间（5%–95%）都不超过 3 个相邻名次。"


def test_a_larger_bottom_group_is_named_as_such(catalog):
    tables = _case([0.0] * 17 + [95.0] * 3, ["1–1"] * 20, [20.0, 10.0], names=[f"乡{k}" for k in range(20)])
    said = robustness_sentences(tables, catalog)              # 20 × 10 % = 2 in the bottom group
    assert said[0] == ("乡18在 95% 的方案中居末位组（后 2 名）；乡19在 95% 的方案中居末位组（后 2 名）；"
                       "乡17（95%）也可能居末位组（后 2 名）。")


def test_chart_draws_the_tables_intervals(model):
    fig = model.chart("robustness").slide.figure()
    fig.canvas.draw()
    ax = fig.axes[0]
    table = model.table("robustness").iloc[::-1]           # drawn bottom-up: the last rank at the bottom
    segments = ax.collections[0].get_segments()
    assert [f"{s[0][0]:.0f}–{s[1][0]:.0f}" for s in segments] == table["rank_interval"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == table["township"].tolist()
    crosses = [line for line in ax.lines if line.get_marker() == "x"][0]
    assert crosses.get_xdata().tolist() == table["rank"].astype(float).tolist()
    assert "各建模选择随机组合 1000 次" in fig.texts[0].get_text() + ax.get_title()


def test_weight_only_chart_keeps_its_title(sample_loaded):
    u = dj.rank_uncertainty(sample_loaded, draws=50)
    fig = plot_uncertainty(u, 2015)
    fig.canvas.draw()
    assert "权重随机变动 50 次" in fig.texts[0].get_text() + fig.axes[0].get_title()


def _text_of_docx(path):
    from docx import Document

    return "\n".join(p.text for p in Document(path).paragraphs)


def test_section_order_in_docx_and_html(report_dir):
    html = re.sub(r"<[^>]+>", "", (report_dir / "report.html").read_text(encoding="utf-8"))
    for text in (_text_of_docx(report_dir / "report.docx"), html):
        marks = ["综合指数与排名", "排名稳健性：", "各建模选择随机组合 1000 次的名次区间", "五大工程分项指数",
                 "附录　排名稳健性分析", "敏感性指数说明", "逐项剔除：", "附录　数据文件与输出文件"]
        at = [text.find(m) for m in marks]
        assert -1 not in at and at == sorted(at), dict(zip(marks, at))
        assert "权重随机变动" not in text                   # one chart and one interval, over every choice


def test_summary_has_the_three_sheets(report_dir):
    from openpyxl import load_workbook

    wb = load_workbook(report_dir / "summary.xlsx", read_only=True)
    names = wb.sheetnames
    assert names[:4] == ["综合排名", "排名稳健性", "敏感性指数", "逐项剔除"]
    rows = list(wb["敏感性指数"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "建模选择")
    assert list(header) == ["建模选择", "一阶指数(%)", "一阶指数标准误(%)", "总效应指数(%)", "总效应指数标准误(%)"]
