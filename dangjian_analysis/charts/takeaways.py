"""One-line Chinese takeaways computed from the data, for slide subtitles and the report."""

from __future__ import annotations

import pandas as pd

from ..metrics._frames import catalog_of

__all__ = ["takeaway_ranking", "takeaway_groups", "takeaway_radar", "takeaway_trend", "takeaway_bump",
           "takeaway_slope", "takeaway_transitions", "takeaway_review", "takeaway_attainment",
           "takeaway_uncertainty", "takeaway_growth"]


def _overall(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    return scores[(scores["group"] == "overall") & (scores["year"] == year)].sort_values("rank")


def takeaway_ranking(scores: pd.DataFrame, year: int) -> str:
    o = _overall(scores, year)
    first, last = o.iloc[0], o.iloc[-1]
    return (f"{first['unit_name']}以 {first['score']:.1f} 分居首，{last['unit_name']} {last['score']:.1f} 分居末，"
            f"全县平均 {o['score'].mean():.1f} 分。")


def takeaway_groups(scores: pd.DataFrame, year: int, catalog=None) -> str:
    cat = catalog_of(scores, catalog)
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    means = scores[(scores["year"] == year) & (scores["group"] != "overall")].groupby("group")["score"].mean()
    hi, lo = means.idxmax(), means.idxmin()
    return f"各分项中{names[hi]}全县平均最高（{means[hi]:.1f}），{names[lo]}最低（{means[lo]:.1f}）。"


def takeaway_radar(scores: pd.DataFrame, unit: str, year: int, catalog=None) -> str:
    cat = catalog_of(scores, catalog)
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    sub = scores[(scores["year"] == year) & (scores["group"] != "overall")]
    gap = (sub[sub["unit_name"] == unit].set_index("group")["score"] - sub.groupby("group")["score"].mean()).dropna()
    worst = gap.idxmin()
    return f"{unit}{names[worst]}低于全县平均 {-gap[worst]:.1f} 分，差距最大。" if gap[worst] < 0 else \
        f"{unit}各分项均不低于全县平均。"


def takeaway_trend(values: pd.DataFrame, name: str, unit: str, target=None) -> str:
    years = sorted(values["year"].unique())
    first, last = (values[values["year"] == y]["value"].mean() for y in (years[0], years[-1]))
    text = f"全县{name}由 {years[0]} 年的 {first:.1f} 提高到 {years[-1]} 年的 {last:.1f}（{unit}）"
    if target is not None and pd.notna(target):
        met = (values[values["year"] == years[-1]]["value"] >= target).sum()
        text += f"，{met} 个乡镇的村均值达到目标 {target:g}"
    return text + "。"


def takeaway_bump(scores: pd.DataFrame) -> str:
    o = scores[scores["group"] == "overall"]
    years = sorted(o["year"].unique())
    ranks = o.pivot(index="unit_name", columns="year", values="rank")
    moved = (ranks[years[0]] - ranks[years[-1]]).sort_values(ascending=False)
    if moved.iloc[0] <= 0:
        return f"{years[0]}–{years[-1]} 年各乡镇名次没有上升。"
    return f"{years[0]}–{years[-1]} 年名次上升最多的是{moved.index[0]}（上升 {int(moved.iloc[0])} 位）。"


def takeaway_slope(scores: pd.DataFrame, from_year: int, to_year: int) -> str:
    o = scores[scores["group"] == "overall"].pivot(index="unit_name", columns="year", values="score")
    change = (o[to_year] - o[from_year]).sort_values(ascending=False)
    return (f"全县平均由 {o[from_year].mean():.1f} 分升至 {o[to_year].mean():.1f} 分；"
            f"{change.index[0]}提高最多（{change.iloc[0]:+.1f} 分）。")


def takeaway_transitions(transitions) -> str:
    c = transitions.counts
    return f"晋位升级 {c['up']} 个，持平 {c['same']} 个，降级 {c['down']} 个。"


def takeaway_review(review: pd.DataFrame, year: int) -> str:
    o = review[(review["year"] == year) & (review["rater_group"] == "overall")].sort_values("good_rate")
    top, low = o.iloc[-1], o.iloc[0]
    return (f"好评率（好+较好）最高的是{top['secretary']}（{top['good_rate']:.0%}），最低的是{low['secretary']}"
            f"（{low['good_rate']:.0%}）；按评议规则评为“好”的 {int((o['grade'] == '好').sum())} 人。")


def takeaway_attainment(attainment: pd.DataFrame, year: int, indicator: str, catalog=None) -> str:
    cat = catalog_of(attainment, catalog)
    ind = cat.indicator(indicator)
    rows = attainment[(attainment["year"] == year) & (attainment["indicator"] == indicator)].set_index("township")
    county = rows.loc["全县", "share"]
    towns = rows.drop(index="全县")["share"]
    return (f"全县 {county:.0f}% 的村{ind['name']}达到 {ind['target']:g}{ind['unit']}，"
            f"{towns.idxmin()}最低（{towns.min():.0f}%）。")


def takeaway_uncertainty(uncertainty: pd.DataFrame, year: int) -> str:
    u = uncertainty[uncertainty["year"] == year]
    width = u["rank_p95"] - u["rank_p05"]
    fixed = int((width == 0).sum())
    if width.max() == 0:
        return f"权重随机变动时，{len(u)} 个乡镇的名次全部不变。"
    widest = u[width == width.max()]["unit_name"].tolist()
    return (f"权重随机变动时，{fixed} 个乡镇名次不变；名次变动最大的是{'、'.join(widest)}"
            f"（在 {int(width.max()) + 1} 个相邻名次间变动）。")


def takeaway_growth(growth: pd.DataFrame) -> str:
    fastest = growth.loc[growth["pct_per_year"].idxmax()]
    largest = growth.loc[growth["last"].idxmax()]
    return (f"{fastest['unit_name']}主导产业产值年均增长最快（{fastest['pct_per_year']:+.1f}%），"
            f"{largest['unit_name']}产值最高（{largest['last']:,.0f} 万元）。")
