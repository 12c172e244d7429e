"""Speaker notes of the deck: the numbers behind each slide's takeaway, one line per unit.

Each function takes the table its chart draws (the same one the takeaway reads) and returns
plain text for the notes page; units follow every number (分, %, the indicator's unit).
The conventions of the takeaways hold (:mod:`~dangjian_analysis.charts._reported`): in a partial
year a county figure is over the townships that reported (“已报送的 3 个乡镇平均”), ranks are
compared only across years that rank the same townships, and a county figure that includes a
held value carries “（含待核实数值）”, the held unit “（待核实）”.
"""

from __future__ import annotations

import pandas as pd

from ..charts._base import provisional_notes
from ..charts._reported import comparable_years, county_word, held_number, value_holds
from ..charts._text import gap_text
from ..metrics._lookup import catalog_from

__all__ = ["notes_ranking", "notes_groups", "notes_radar", "notes_uncertainty", "notes_attainment",
           "notes_trend", "notes_bump", "notes_slope", "notes_transitions", "notes_review", "notes_growth",
           "notes_bottom", "EDIT_HINT"]

#: How to edit a native chart: a hint for the analyst, kept off the slide itself.
EDIT_HINT = "本页图表可直接编辑：右键图表 →“编辑数据”可修改或复制数据。"


def _lines(head: str, rows) -> str:
    return "\n".join([head, *rows])


def _overall(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    o = scores[(scores["group"] == "overall") & (scores["year"] == year)]
    return o.dropna(subset=["score"]).sort_values("rank")


def notes_ranking(scores: pd.DataFrame, year: int, catalog=None) -> str:
    """Every township's rank, overall index and grade in ``year``, and the county mean."""
    o = _overall(scores, year)
    notes = provisional_notes(o)
    who = county_word(o["unit_name"], catalog_from(catalog, scores))
    rows = [f"{int(r['rank'])}. {r['unit_name']}{'（待核实）' if r['unit_name'] in notes else ''} {r['score']:.1f} 分"
            f"（{r['grade']}）" for _, r in o.iterrows()]
    held = "，含待核实数值" if held_number(o["unit_name"], notes) else ""
    return _lines(f"{year}年综合指数（{who}平均 {o['score'].mean():.1f} 分{held}）：", rows)


def notes_groups(scores: pd.DataFrame, year: int, names: dict, catalog=None) -> str:
    """The county mean, highest and lowest township of each sub-index in ``year``."""
    sub = scores[(scores["year"] == year) & (scores["group"] != "overall")].dropna(subset=["score"])
    who = county_word(sub["unit_name"], catalog_from(catalog, scores))
    held = held_number(sub["unit_name"], provisional_notes(sub))
    rows = []
    for group, part in sub.groupby("group", sort=False):
        hi, lo = part.loc[part["score"].idxmax()], part.loc[part["score"].idxmin()]
        rows.append(f"{names.get(group, group)}：{who}平均 {part['score'].mean():.1f} 分{held}，最高 {hi['unit_name']} "
                    f"{hi['score']:.1f} 分，最低 {lo['unit_name']} {lo['score']:.1f} 分")
    return _lines(f"{year}年各分项指数：", rows)


def notes_radar(scores: pd.DataFrame, unit: str, year: int, names: dict, catalog=None) -> str:
    """``unit``'s sub-indices against the county mean in ``year``."""
    sub = scores[(scores["year"] == year) & (scores["group"] != "overall")]
    mean = sub.groupby("group", sort=False)["score"].mean()
    own = sub[sub["unit_name"] == unit].set_index("group")["score"]
    who = county_word(sub["unit_name"], catalog_from(catalog, scores))
    held = "，含待核实数值" if held_number(sub["unit_name"], provisional_notes(sub)) else ""
    rows = [f"{names.get(g, g)}：{own.get(g, float('nan')):.1f} 分（{who}平均 {m:.1f} 分{held}，"
            f"{gap_text(own.get(g, float('nan')) - m, above='高', below='低')}）" for g, m in mean.items()]
    return _lines(f"{unit}{year}年各分项指数：", rows)


def notes_uncertainty(uncertainty: pd.DataFrame, year: int) -> str:
    """Each township's rank and its 5 %–95 % rank range under random weights."""
    u = uncertainty[uncertainty["year"] == year].sort_values("rank")
    rows = [f"{r['unit_name']}：名次 {int(r['rank'])}，区间 {int(r['rank_p05'])}–{int(r['rank_p95'])}"
            + (f"，居末位组的概率 {r['p_bottom']:.0%}" if "p_bottom" in u and r["p_bottom"] > 0 else "")
            for _, r in u.iterrows()]
    draws = int(u["draws"].iloc[0]) if "draws" in u and len(u) else 0
    return _lines(f"权重随机变动 {draws} 次时的名次区间（5%–95%）：", rows)


def notes_attainment(attainment: pd.DataFrame, year: int, indicator: str, ind) -> str:
    """The share of villages meeting the target of ``indicator``, per township and county."""
    rows = attainment[(attainment["year"] == year) & (attainment["indicator"] == indicator)]
    lines = [f"{r['township']}：{r['share']:.0f}%（{int(r['met'])}/{int(r['villages'])} 个村）"
             for _, r in rows.iterrows()]
    return _lines(f"{year}年{ind['name']}达到目标 {ind['target']:g} {ind['unit']}的村占比：", lines)


def notes_trend(values: pd.DataFrame, name: str, unit: str, *, marks: dict | None = None, catalog=None) -> str:
    """The county mean per year (over the townships with a value that year: “已报送的 3 个乡镇村均”
    in a partial year) and each township's value in the last year; ``marks``
    (``(township, year) → reason``) as in :func:`~dangjian_analysis.charts.takeaways.takeaway_trend`."""
    marks = value_holds(marks or {})
    cat = catalog_from(catalog, values)
    rows = []
    for y, part in values.groupby("year"):
        held = held_number([(t, int(y)) for t in part["unit_name"]], marks)
        rows.append(f"{int(y)} 年{county_word(part['unit_name'], cat)}村均 {part['value'].mean():.2f} {unit}{held}")
    last = values[values["year"] == values["year"].max()].sort_values("value", ascending=False)
    rows += [f"{int(r['year'])} 年 {r['unit_name']}：{r['value']:.2f} {unit}"
             + ("（待核实）" if (r["unit_name"], int(r["year"])) in marks else "") for _, r in last.iterrows()]
    return _lines(f"{name}（村均值）：", rows)


def notes_bump(scores: pd.DataFrame) -> str:
    """Each township's overall rank in the first and the last year that rank the same townships;
    the years left out (townships missing) are said last."""
    o = scores[scores["group"] == "overall"].dropna(subset=["rank"])
    years = comparable_years(o)
    left_out = [int(y) for y in sorted(o["year"].unique()) if y not in years]
    tail = [f"{y} 年有乡镇未报送，名次只在已报送的 {o.loc[o['year'] == y, 'unit_name'].nunique()} 个乡镇之间排列，"
            "不与往年比较" for y in left_out]
    if len(years) < 2:
        return _lines("综合指数名次：", tail)
    ranks = o[o["year"].isin(years)].pivot_table(index="unit_name", columns="year", values="rank", aggfunc="first")
    first, last = ranks.columns[0], ranks.columns[-1]
    ranks = ranks[[first, last]].sort_values(last)
    rows = [f"{u}：第 {int(r[first])} 名 → 第 {int(r[last])} 名" for u, r in ranks.iterrows() if r.notna().all()]
    return _lines(f"综合指数名次 {first}→{last} 年：", rows + tail)


def notes_slope(scores: pd.DataFrame, from_year: int, to_year: int) -> str:
    """Each township's overall index in both years and the change."""
    o = scores[scores["group"] == "overall"].pivot_table(index="unit_name", columns="year", values="score",
                                                         aggfunc="first")
    change = (o[to_year] - o[from_year]).dropna().sort_values(ascending=False)
    rows = [f"{u}：{o.loc[u, from_year]:.1f} → {o.loc[u, to_year]:.1f} 分（{gap_text(d, above='提高', below='下降')}）"
            for u, d in change.items()]
    return _lines(f"综合指数 {from_year}→{to_year} 年：", rows)


def notes_transitions(transitions, marks: dict | None = None) -> str:
    """Each unit's grade in both years, grouped by move; a move resting on a held result is
    followed by （待核实：reason） (``marks`` as in
    :func:`~dangjian_analysis.charts.takeaways.takeaway_transitions`)."""
    from ..charts.takeaways import transition_holds

    units = transitions.units
    held = transition_holds(transitions, marks)
    rows = []
    for move, label in (("up", "晋位升级"), ("same", "持平"), ("down", "降级")):
        part = units[units["move"] == move]
        if len(part):
            rows.append(f"{label} {len(part)} 个：" + "；".join(
                f"{r['unit_name']} {r['grade_from']}→{r['grade_to']}"
                + (f"（待核实：{held[r['unit_name']]}）" if r["unit_name"] in held else "") for _, r in part.iterrows()))
    return _lines("等次变化：", rows)


def notes_review(review: pd.DataFrame, year: int) -> str:
    """Each secretary's valid ballots, 好评率, 差评率, score and grade in ``year``."""
    o = review[(review["year"] == year) & (review["rater_group"] == "overall")].sort_values(
        ["score", "secretary"], ascending=[False, True])
    rows = [f"{r['secretary']}（{r['unit_name']}）：有效票 {int(r['valid'])} 张，好评率 {r['good_rate']:.0%}，"
            f"差评率 {r['bad_rate']:.0%}，得分 {r['score']:.1f} 分，等次 {r['grade']}" for _, r in o.iterrows()]
    return _lines(f"{year}年述职评议（按得分从高到低）：", rows)


def notes_growth(growth: pd.DataFrame, unit: str) -> str:
    """Each township's first and last output and the yearly growth rate."""
    rows = [f"{r['unit_name']}：{int(r['first_year'])} 年 {r['first']:,.0f} {unit} → {int(r['last_year'])} 年 "
            f"{r['last']:,.0f} {unit}" + (f"，年均{gap_text(r['pct_per_year'], '%', above='增长', below='下降')}"
                                          if pd.notna(r["pct_per_year"]) else "")
            for _, r in growth.sort_values("pct_per_year", ascending=False).iterrows()]
    return _lines("一乡一品主导产业产值：", rows)


def notes_bottom(bottom: pd.DataFrame) -> str:
    """The villages to rectify with their index, rank and reason (the report's ``bottom`` table)."""
    where = "已报送乡镇的村中" if bottom.attrs.get("partial") else "全县"
    rows = [f"{r['township']}{r['village']}：综合指数 {r['score']:.1f} 分，{where}第 {int(r['rank'])} 名；"
            f"{r['reason']}" for _, r in bottom.iterrows()]
    return _lines("倒排整顿的村：", rows or ["（无）"])
