"""How robust the ranking is, for the report's reader: tables, sentences and the chart's slide.

The engine (:mod:`~dangjian_analysis.metrics.robustness`) is run once per report
(:func:`rank_robustness`); this module turns its three results into the report's tables (English
ids, labelled by :mod:`.report_labels`):

- ``robustness`` — per township of the year, in ranking order: the published rank, the median
  rank and the 5 %–95 % rank interval over random combinations of every declared modelling
  choice, P(末位组: the catalogue's bottom share) and P(best grade) in % of the combinations (``p_bottom_pct``, ``p_top_pct``);
- ``sensitivity`` — per choice (Chinese name): first-order and total Sobol indices of the mean
  absolute rank shift with their standard errors, in % of its variance (``S1_pct, S1_se_pct,
  ST_pct, ST_se_pct`` = 100 × the engine's ``S1, S1_se, ST, ST_se``), largest ``ST`` first;
- ``leave_one_out`` — per township, in ranking order: the published rank and, per 工程
  (``change:<group id>``), the rank change without it (positive: the township falls without it).

:func:`robustness_sentences` says in one or two sentences what they mean (every number read from
these tables); :func:`robustness_slide` is the report's rank-interval chart with its takeaway and notes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["RankRobustness", "rank_robustness", "robustness_tables", "robustness_sentences", "robustness_slide",
           "write_robustness", "write_robustness_appendix", "interval_phrase", "ROBUST_TABLES", "FRAGILE_WIDTH", "SURE"]

#: The report's robustness tables, in the order of the appendix and the summary workbook.
ROBUST_TABLES = ("robustness", "sensitivity", "leave_one_out")
#: A rank interval this many places wide or more (p95 − p05) is called fragile in the text.
FRAGILE_WIDTH = 3
#: A share of combinations (%) from which a place in the bottom group (末位组) is called sure.
SURE = 90.0


@dataclass(frozen=True)
class RankRobustness:
    """The engine's three results for one Dataset: :func:`~dangjian_analysis.robustness`,
    :func:`~dangjian_analysis.sensitivity` and :func:`~dangjian_analysis.leave_one_out` (townships)."""

    robustness: pd.DataFrame
    sensitivity: pd.DataFrame
    leave_one_out: pd.DataFrame


def rank_robustness(ds, catalog=None) -> RankRobustness:
    """Run the robustness engine once with the catalogue's ``[robustness]`` (choices, draws, seed)."""
    from ..metrics._frames import catalog_of
    from ..metrics.robustness import leave_one_out, robustness, sensitivity

    cat = catalog_of(ds, catalog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)    # the Dataset's issues say it, once, by cell
        return RankRobustness(robustness(ds, cat), sensitivity(ds, cat), leave_one_out(ds, cat))


def _interval(lo, hi) -> str:
    return "" if pd.isna(lo) or pd.isna(hi) else f"{lo:.0f}–{hi:.0f}"


def _in_rank_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["rank", "unit_id"], na_position="last", kind="stable")


def robustness_tables(robust: RankRobustness, year: int, catalog) -> dict[str, pd.DataFrame]:
    """``{"robustness", "sensitivity", "leave_one_out"}`` tables of ``year`` (see the module docstring)."""
    r = _in_rank_order(robust.robustness[robust.robustness["year"] == year])
    rank = r["rank"].astype("Int64")
    table = pd.DataFrame({"rank": rank, "township": r["unit_name"],
                          "rank_interval": [_interval(lo, hi) for lo, hi in zip(r["rank_p05"], r["rank_p95"])],
                          "median_rank": r["median_rank"], "p_bottom_pct": 100 * r["p_bottom"], "p_top_pct": 100 * r["p_top"]})
    if r["provisional_reason"].fillna("").astype(str).str.len().gt(0).any():
        table["provisional_reason"] = r["provisional_reason"].fillna("")
    s = robust.sensitivity
    sens = pd.DataFrame({"name": s["name"], **{f"{c}_pct": 100 * s[c] for c in ("S1", "S1_se", "ST", "ST_se")}})
    loo = robust.leave_one_out
    loo = loo[(loo["year"] == year) & (loo["kind"] == "group")]
    wide = loo.pivot(index="unit_name", columns="item", values="rank_change")
    groups = [g for g in catalog.groups["group"] if g in wide.columns]
    out = pd.DataFrame({"rank": rank, "township": r["unit_name"]})
    for g in groups:
        out[f"change:{g}"] = out["township"].map(wide[g]).astype("Int64")
    return {"robustness": table.reset_index(drop=True), "sensitivity": sens.reset_index(drop=True),
            "leave_one_out": out.reset_index(drop=True)}


def _bottom_sentence(table: pd.DataFrame, catalog) -> str:
    """Who is in the bottom group (末位组, the catalogue's bottom share) in how many combinations,
    and whether that is sure."""
    from ..metrics._frames import bottom_count

    ranked = table[table["rank"].notna()]
    k = bottom_count(len(ranked), catalog.bottom_share)
    where = "居末位" if k == 1 else f"居末位组（后 {k} 名）"
    nominal = ranked[ranked["rank"] > len(ranked) - k]
    others = ranked[(ranked["rank"] <= len(ranked) - k) & (ranked["p_bottom_pct"] >= 100 - SURE)]
    parts = []
    for row in nominal.itertuples():
        p = row.p_bottom_pct
        parts.append(f"{row.township}在 {p:.0f}% 的方案中{where}" + ("" if p >= SURE else
                     "，不足九成，末位结论对建模选择敏感，宜核实后再定"))
    if len(others):
        parts.append("、".join(f"{row.township}（{row.p_bottom_pct:.0f}%）" for row in others.itertuples())
                     + f"也可能{where}")
    return "；".join(parts)


def _sensitive_sentence(sens: pd.DataFrame, table: pd.DataFrame) -> str:
    """The choices the ranks depend on most (by the total index) and the widest intervals."""
    s = sens[sens["ST_pct"].notna() & (sens["ST_pct"] > 0)]
    text = ""
    if len(s):
        text = f"排名对{s['name'].iloc[0]}最敏感（总效应指数 {s['ST_pct'].iloc[0]:.0f}%）"
        if len(s) > 1:
            text += f"，其次是{s['name'].iloc[1]}（{s['ST_pct'].iloc[1]:.0f}%）"
    bounds = table["rank_interval"].str.split("–", expand=True)
    width = (pd.to_numeric(bounds[1], errors="coerce") - pd.to_numeric(bounds[0], errors="coerce")) \
        if bounds.shape[1] == 2 else pd.Series(np.nan, index=table.index)
    fragile = table[width >= FRAGILE_WIDTH]
    if len(fragile):
        text += ("；" if text else "") + "名次随方案变动较大的是" + "、".join(
            f"{row.township}（第 {row.rank_interval} 名）" for row in fragile.itertuples())
    elif len(table):
        text += ("；" if text else "") + f"各乡镇的名次区间（5%–95%）都不超过 {FRAGILE_WIDTH} 个相邻名次"
    return text


def robustness_sentences(tables: dict, catalog) -> list[str]:
    """One or two sentences on the ranking's robustness, every number read from ``tables``
    (:func:`robustness_tables`): who is in the bottom group (末位组) in how many combinations, the choices
    the ranks depend on most, and the fragile ranks."""
    table, sens = tables["robustness"], tables["sensitivity"]
    if table["rank"].notna().sum() < 2:
        return []
    sentences = [_bottom_sentence(table, catalog), _sensitive_sentence(sens, table)]
    return [f"{s}。" for s in sentences if s]


def _notes(tables: dict, draws: int, best: str) -> str:
    """Speaker notes: each township's rank, interval and probabilities, then the indices."""
    lines = [f"各建模选择随机组合 {draws} 次时的名次（5%–95% 区间）："]
    lines += [f"{r.township}：名次 {r.rank:.0f}，中位 {r.median_rank:g}，区间 {r.rank_interval}，"
              f"居末位组 {r.p_bottom_pct:.0f}%，评为{best} {r.p_top_pct:.0f}%" for r in tables["robustness"].itertuples()
              if pd.notna(r.rank)]
    lines.append("敏感性（总效应指数）：" + "；".join(f"{r.name} {r.ST_pct:.0f}%" for r in tables["sensitivity"].itertuples()
                                                 if pd.notna(r.ST_pct)))
    return "\n".join(lines)


def robustness_slide(robust: RankRobustness, tables: dict, year: int, catalog):
    """The report's rank-interval chart (:func:`~dangjian_analysis.charts.compare.plot_uncertainty`
    over every choice) as a slide: title, takeaway (the first sentence), the figure and notes."""
    from ..charts.compare import plot_uncertainty
    from .deck import DeckSlide

    data = robust.robustness
    draws = int(data["draws"].iloc[0]) if len(data) else 0
    said = robustness_sentences(tables, catalog)
    return DeckSlide("排名稳健性（各建模选择随机组合）", said[0] if said else "",
                     lambda: plot_uncertainty(data, year, catalog=catalog), notes=_notes(tables, draws, catalog.grade_bands["grade"].iloc[0]))


def interval_phrase(m) -> str:
    """What the ranking table's 名次区间 is, for its intro sentence (empty without the column)."""
    if "rank_interval" not in m.table("ranking"):
        return ""
    return f"；名次区间为{'各建模选择随机组合' if 'robustness' in m.tables else '权重随机变动'}时名次的 5%–95% 范围"


def write_robustness(w, m) -> None:
    """In the ranking section: the sentences and the rank-interval chart (``w``: a ReportWriter)."""
    if "robustness" not in m.tables:
        return
    said = robustness_sentences(m.tables, m.catalog)
    if said:
        w.text("排名稳健性：" + "".join(said) + "（各乡镇的名次区间、概率和敏感性指数见附录）")
    if any(spec.id == "robustness" for spec in m.charts):
        w.chart("robustness")


def write_robustness_appendix(w, m) -> None:
    """附录　排名稳健性分析: the three tables, each with what its figures mean."""
    if "robustness" not in m.tables:
        return
    from .report_labels import label_table

    def table(name, **kw):
        w.table(label_table(name, m.table(name), catalog=m.catalog, year=m.year, previous=m.previous), **kw)

    record = m.robust.sensitivity.attrs.get("robustness", {}) if m.robust is not None else {}
    from ..catalog.robustness import CHOICE_NAMES

    chosen = "、".join(CHOICE_NAMES[c] for c in record.get("choices", ()))
    w.heading("附录　排名稳健性分析", numbered=False)
    w.text(f"把计算方法中的各项建模选择（{chosen}）在指标体系“稳健性分析”一节规定的范围内随机组合 {record.get('draws', '')} 次"
           f"（随机种子 {record.get('seed', '')}），每次重新计算综合指数和名次。下表为每个乡镇的名义名次（本报告公布的名次）、"
           "各方案名次的中位数和 5%–95% 区间，以及居末位组、评为最高等次的方案占比：区间越窄、概率越接近 0 或 100%，"
           "结论越不依赖于建模选择。")
    table("robustness")
    w.text("敏感性指数说明名次的变动主要来自哪项选择：一阶指数为该选择单独造成的名次变动在其方差中的占比，总效应指数还计入"
           "它与其他选择的交互作用；两者均在 0–100% 之间，总效应指数越大，排名越依赖该选择（负的一阶指数为抽样误差，可视为 0）。")
    table("sensitivity", names=("建模选择",))
    w.text("逐项剔除：去掉一个工程（其权重按比例分给其他工程）后各乡镇名次的变化，正数表示名次后移（该工程拉高了"
           "这个乡镇的名次），负数表示名次前移。")
    table("leave_one_out")
