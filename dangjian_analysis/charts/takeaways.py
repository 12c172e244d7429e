"""One-line Chinese takeaways computed from the data, for slide subtitles and the report.

Each takes the table its chart draws. The catalogue is the one given, else the one the
table carries, else the default; a year, township or indicator not in the table is a
Chinese ``ValueError`` listing what there is (names resolve through the catalogue's
aliases, indicators by id or Chinese name). A provisional township-year (column
``provisional``) is named with （待核实）.

Two conventions (:mod:`._reported`) hold for every takeaway: in a partial year (fewer townships
with a result than the catalogue lists) a county figure is over the townships that reported and
says “已报送的 N 个乡镇”, and a comparison of two years is made on the townships present in both
(ranks only across years that rank the same townships); a county figure that includes a value
held for a check carries “（含待核实数值）” right after the number (“，含待核实数值” inside brackets).
"""

from __future__ import annotations

import pandas as pd

from ._base import provisional_notes
from ._reported import HELD_NUMBER, comparable_years, county_word, held_number, value_holds
from ._text import gap_text
from ..metrics._frames import flags
from ..metrics._lookup import catalog_from, indicator_of, need_columns, unit_of, year_of

__all__ = ["transition_holds", "takeaway_ranking", "takeaway_groups", "takeaway_radar", "takeaway_trend", "takeaway_bump",
           "takeaway_slope", "takeaway_transitions", "takeaway_review", "takeaway_attainment",
           "takeaway_uncertainty", "takeaway_growth", "named_held"]

_SCORES = "score_composite 的输出（列 unit_name, year, group, score, rank）"


def _overall(scores: pd.DataFrame, year) -> tuple[pd.DataFrame, int]:
    need_columns(scores, ["unit_name", "year", "group", "score", "rank"], _SCORES)
    overall = scores[scores["group"] == "overall"]
    year = year_of(overall, year)
    return overall[overall["year"] == year].dropna(subset=["score"]).sort_values("rank"), year


def listed(names: list, most: int = 6) -> str:
    """Names joined with 、, the first ``most`` and a count of the rest (“等 9 个”)."""
    names = [str(n) for n in names]
    return "、".join(names) if len(names) <= most else f"{'、'.join(names[:most])}等 {len(names)} 个"


def _held(name: str, notes: dict) -> str:
    return f"{name}（待核实）" if name in notes else name


def takeaway_ranking(scores: pd.DataFrame, year: int, catalog=None) -> str:
    """The first and the last township and the county mean of the overall index in ``year``
    (“已报送的 N 个乡镇平均” in a partial year)."""
    o, _ = _overall(scores, year)
    notes = provisional_notes(o)
    first, last = o.iloc[0], o.iloc[-1]
    who = county_word(o["unit_name"], catalog_from(catalog, scores))
    return (f"{_held(first['unit_name'], notes)}以 {first['score']:.1f} 分居首，"
            f"{_held(last['unit_name'], notes)} {last['score']:.1f} 分居末，"
            f"{who}平均 {o['score'].mean():.1f} 分{held_number(o['unit_name'], notes)}。")


def _points(value: float, held: bool) -> str:
    """``（89.6 分）``, or ``（89.6 分，含待核实数值）`` when the figure includes a held value."""
    return f"（{value:.1f} 分{'，含待核实数值' if held else ''}）"


def takeaway_groups(scores: pd.DataFrame, year: int, catalog=None) -> str:
    """The groups with the highest and the lowest county mean in ``year``."""
    need_columns(scores, ["year", "group", "score"], _SCORES)
    cat = catalog_from(catalog, scores)
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    year = year_of(scores, year)
    sub = scores[(scores["year"] == year) & (scores["group"] != "overall")]
    means = sub.groupby("group")["score"].mean().dropna()
    if means.empty:
        raise ValueError(f"{year} 年度没有分项指数")
    hi, lo = means.idxmax(), means.idxmin()
    who = county_word(sub["unit_name"], cat) if "unit_name" in sub else "全县"
    held = bool(held_number(sub.get("unit_name", ()), provisional_notes(sub)))
    if who == "全县":
        return (f"各分项中{names.get(hi, hi)}全县平均最高{_points(means[hi], held)}，"
                f"{names.get(lo, lo)}最低{_points(means[lo], held)}。")
    return (f"{who}的各分项平均中{names.get(hi, hi)}最高{_points(means[hi], held)}，"
            f"{names.get(lo, lo)}最低{_points(means[lo], held)}。")


def takeaway_radar(scores: pd.DataFrame, unit: str, year: int, catalog=None) -> str:
    """The group in which ``unit`` (name, short form or alias) falls furthest below the county mean."""
    need_columns(scores, ["unit_name", "year", "group", "score"], _SCORES)
    cat = catalog_from(catalog, scores)
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    year = year_of(scores, year)
    sub = scores[(scores["year"] == year) & (scores["group"] != "overall")]
    unit = unit_of(cat, unit, sub["unit_name"], where=f"{year} 年度的分项指数中", what="乡镇")
    gap = (sub[sub["unit_name"] == unit].set_index("group")["score"] - sub.groupby("group")["score"].mean()).dropna()
    shown_name = _held(unit, provisional_notes(scores[(scores["year"] == year) & (scores["unit_name"] == unit)]))
    who = county_word(sub["unit_name"], cat)
    others = provisional_notes(sub[sub["unit_name"] != unit])
    if gap.empty or gap.min() >= 0:
        return f"{shown_name}各分项均不低于{who}平均{held_number(others, others)}。"
    worst = gap.idxmin()
    return (f"{shown_name}{names.get(worst, worst)}低于{who}平均 {-gap[worst]:.1f} 分"
            f"{held_number(others, others)}，差距最大。")


def takeaway_trend(values: pd.DataFrame, name: str, unit: str, target=None, *, marks: dict | None = None,
                   catalog=None) -> str:
    """The county mean of ``values`` (``trend_values``) in the first and the last year, and how
    many townships meet ``target`` in the last.

    In a partial last year both means are over the townships of the last year (“已报送的 3 个
    乡镇…”). ``marks``: ``(township, year) → reason`` of the held township-years (e.g.
    :func:`~._series.year_marks`); a mean that includes one carries “（含待核实数值）”, and the
    held townships among those meeting the target are named (“（含待核实的东山镇）”).
    """
    need_columns(values, ["year", "value"], "trend_values 的输出（列 unit_name, year, value）")
    years = sorted(values["year"].dropna().unique())
    if not years:
        raise ValueError("表格中没有任何年度的数据")
    marks = value_holds(marks or {})
    towns = values["unit_name"] if "unit_name" in values else pd.Series(dtype=object)
    now = set(towns[values["year"] == years[-1]])
    who = county_word(now, catalog_from(catalog, values)) if len(now) else "全县"
    rows = [values[(values["year"] == y) & (towns.isin(now) if who != "全县" else True)] for y in (years[0], years[-1])]
    first, last = (r["value"].mean() for r in rows)
    held = [HELD_NUMBER if any((t, int(y)) in marks for t in r.get("unit_name", ())) else ""
            for r, y in zip(rows, (years[0], years[-1]))]
    verb = "提高" if last > first else "降低" if last < first else "保持"
    text = (f"{who}{name}村均值由 {years[0]} 年的 {first:.1f} {unit}{held[0]}{verb}到 {years[-1]} 年的 "
            f"{last:.1f} {unit}{held[1]}")
    if target is not None and pd.notna(target):
        meeting = rows[1][rows[1]["value"] >= target]
        doubtful = [t for t in meeting.get("unit_name", ()) if (t, int(years[-1])) in marks]
        text += f"，{len(meeting)} 个乡镇的村均值达到目标 {target:g} {unit}"
        text += f"（含待核实的{listed(doubtful)}）" if doubtful else ""
    return text + "。"


def takeaway_bump(scores: pd.DataFrame) -> str:
    """The township that rose most in rank between the first and the last year that rank the
    same townships (:func:`~._reported.comparable_years`); a year with townships missing is
    not compared, and the sentence says so first (“2016 年有乡镇未报送，名次不与往年比较；”)."""
    need_columns(scores, ["unit_name", "year", "group", "rank"], _SCORES)
    o = scores[(scores["group"] == "overall")].dropna(subset=["rank"])
    if o.empty:
        raise ValueError("表格中没有综合指数")
    years = comparable_years(o)
    left_out = [int(y) for y in sorted(o["year"].unique()) if y not in years]
    said = (f"{'、'.join(f'{y}' for y in left_out)} 年有乡镇未报送，名次不与往年比较" if left_out else "")
    if len(years) < 2:
        return said + "。"
    ranks = o.pivot_table(index="unit_name", columns="year", values="rank", aggfunc="first")
    moved = (ranks[years[0]] - ranks[years[-1]]).dropna().sort_values(ascending=False)
    said = said + "；" if said else ""
    if moved.empty or moved.iloc[0] <= 0:
        return f"{said}{years[0]}–{years[-1]} 年各乡镇名次没有上升。"
    return f"{said}{years[0]}–{years[-1]} 年名次上升最多的是{moved.index[0]}（上升 {int(moved.iloc[0])} 位）。"


def takeaway_slope(scores: pd.DataFrame, from_year: int, to_year: int, catalog=None) -> str:
    """The county mean in both years (升至 / 降至 / 保持在) and the township whose overall index
    rose most — or, when none rose, the one that fell least, said with 下降, never a minus sign.
    Both means are over the townships with a result in both years (“已报送的 3 个乡镇平均…” when
    the later year is partial, “两年都有结果的 N 个乡镇平均…” when the sets differ otherwise)."""
    need_columns(scores, ["unit_name", "year", "group", "score"], _SCORES)
    overall = scores[scores["group"] == "overall"]
    from_year, to_year = year_of(overall, from_year), year_of(overall, to_year)
    o = overall.pivot_table(index="unit_name", columns="year", values="score", aggfunc="first")
    change = (o[to_year] - o[from_year]).dropna().sort_values(ascending=False)
    if change.empty:
        raise ValueError(f"没有乡镇在 {from_year} 年和 {to_year} 年都有综合指数")
    both = list(change.index)
    if set(both) == set(o[to_year].dropna().index) == set(o[from_year].dropna().index):
        who = county_word(both, catalog_from(catalog, scores))
    elif set(both) == set(o[to_year].dropna().index):
        who = county_word(both, catalog_from(catalog, scores))
        who = who if who != "全县" else f"两年都有结果的 {len(both)} 个乡镇"
    else:
        who = f"两年都有结果的 {len(both)} 个乡镇"
    before, after = o.loc[both, from_year].mean(), o.loc[both, to_year].mean()
    held = [held_number(both, {u: r for (u, y), r in provisional_notes(overall, by=("unit_name", "year")).items()
                               if y == year}) for year in (from_year, to_year)]
    verb = "升至" if round(after, 1) > round(before, 1) else "降至" if round(after, 1) < round(before, 1) else "保持在"
    text = (f"{who}平均由 {before:.1f} 分{held[0]}{verb} {after:.1f} 分{held[1]}；" if verb != "保持在"
            else f"{who}平均保持在 {after:.1f} 分{held[1]}；")
    best = change.iloc[0]
    if round(best, 1) > 0:
        return text + f"{change.index[0]}提高最多（{best:.1f} 分）。"
    if round(best, 1) == 0:
        return text + f"没有乡镇提高，{change.index[0]}持平。"
    return text + f"各乡镇都有下降，{change.index[0]}降幅最小（{gap_text(best, below='下降')}）。"


def named_held(names: list, held, most: int = 6) -> str:
    """``（甲、乙）`` naming ``names`` (:func:`listed`), with those in ``held`` said 待核实 inside the
    brackets: ``（金谷镇，待核实）`` when all are, ``（甲、金谷镇，其中金谷镇待核实）`` otherwise;
    ``""`` for no names."""
    if not names:
        return ""
    doubtful = [n for n in names if n in held]
    if not doubtful:
        return f"（{listed(names, most)}）"
    if len(doubtful) == len(names):
        return f"（{listed(names, most)}，待核实）"
    return f"（{listed(names, most)}，其中{listed(doubtful, most)}待核实）"


def transition_holds(transitions, marks: dict | None = None) -> dict:
    """Unit name → reason for the units whose move rests on a held result: ``marks`` (unit name →
    reason of either year, e.g. :func:`~._base.provisional_notes` of both years) through
    :func:`~._reported.value_holds` (a hold only because townships have not reported is not one);
    without ``marks``, every unit the Transitions mark ``provisional`` (the reason unknown)."""
    if marks is not None:
        return value_holds(marks)
    units = transitions.units
    if "provisional" not in units:
        return {}
    return {n: "待核实" for n in units.loc[flags(units["provisional"]), "unit_name"]}


def takeaway_transitions(transitions, marks: dict | None = None) -> str:
    """Counts of moves up, same and down (晋位升级), naming the units that moved; a move that rests
    on a held result is said 待核实 (:func:`transition_holds`, :func:`named_held`)."""
    if not hasattr(transitions, "counts"):
        raise ValueError(f"需要 grade_transitions 的结果（Transitions），实际为 {type(transitions).__name__}")
    c, units = transitions.counts, transitions.units
    held = transition_holds(transitions, marks)

    def named(move: str) -> str:
        return named_held(units.loc[units["move"] == move, "unit_name"].tolist(), held)

    return f"晋位升级 {c['up']} 个{named('up')}，持平 {c['same']} 个，降级 {c['down']} 个{named('down')}。"


def takeaway_review(review: pd.DataFrame, year: int, catalog=None) -> str:
    """The secretaries with the highest and lowest 好评率, and who got the top grade (the
    grade of the catalogue's last, unconditional grade rule: 好 by default) and the two
    lowest grades (the first two rules: 差, 一般), by name."""
    need_columns(review, ["year", "rater_group", "secretary", "good_rate", "grade"], "review 的输出")
    cat = catalog_from(catalog, review)
    top_grade = cat.review.grade_rules[-1][0]
    best = "+".join(cat.review.ratings["rating"].iloc[:2])
    year = year_of(review, year)
    o = review[(review["year"] == year) & (review["rater_group"] == "overall")].sort_values("good_rate")
    top, low = o.iloc[-1], o.iloc[0]
    text = (f"好评率（{best}）最高的是{top['secretary']}（{top['good_rate']:.0%}），最低的是{low['secretary']}"
            f"（{low['good_rate']:.0%}）；评为“{top_grade}”的 {int((o['grade'] == top_grade).sum())} 人"
            f"（{listed(o.loc[o['grade'] == top_grade, 'secretary'].iloc[::-1].tolist())}）")
    for grade in [g for g, _ in cat.review.grade_rules[:2]][::-1]:     # the rules run worst grade first
        names = o.loc[o["grade"] == grade, "secretary"].iloc[::-1].tolist()
        if names and grade != top_grade:
            text += f"，评为“{grade}”的 {len(names)} 人（{listed(names)}）"
    return text + "。"


def takeaway_attainment(attainment: pd.DataFrame, year: int, indicator: str, catalog=None) -> str:
    """The county share of villages meeting the target of ``indicator`` (id or Chinese name)
    and the lowest township."""
    need_columns(attainment, ["township", "year", "indicator", "share"], 'target_attainment(by="township") 的输出')
    cat = catalog_from(catalog, attainment)
    year = year_of(attainment, year)
    rows = attainment[attainment["year"] == year]
    indicator = indicator_of(cat, indicator, rows["indicator"].unique())
    ind = cat.indicator(indicator)
    rows = rows[rows["indicator"] == indicator].set_index("township")
    if "全县" not in rows.index or len(rows) < 2:
        raise ValueError("达标表中没有全县和各乡镇的行：需要 target_attainment(by=\"township\") 的输出")
    county = rows.loc["全县", "share"]
    towns = rows.drop(index="全县")["share"].dropna()
    who = county_word(towns.index, cat)
    marks = provisional_notes(rows.drop(index="全县").reset_index(), by=("township",))
    share = f"{county:.0f}%" + (held_number(towns.index, marks) or " ")
    return (f"{who} {share}的村{ind['name']}达到目标 {ind['target']:g} "
            f"{ind['unit']}，{_held(towns.idxmin(), value_holds(marks))}最低（{towns.min():.0f}%）。")


def takeaway_uncertainty(uncertainty: pd.DataFrame, year: int) -> str:
    """How many townships keep their rank under random weights, and which move most."""
    need_columns(uncertainty, ["unit_name", "year", "rank_p05", "rank_p95"], "rank_uncertainty 的输出")
    year = year_of(uncertainty, year)
    u = uncertainty[uncertainty["year"] == year]
    width = u["rank_p95"] - u["rank_p05"]
    fixed = int((width == 0).sum())
    if width.max() == 0:
        return f"权重随机变动时，{len(u)} 个乡镇的名次全部不变。"
    widest = u[width == width.max()]["unit_name"].tolist()
    return (f"权重随机变动时，{fixed} 个乡镇名次不变；名次变动最大的是{'、'.join(widest)}"
            f"（在 {int(width.max()) + 1} 个相邻名次间变动）。")


def takeaway_growth(growth: pd.DataFrame) -> str:
    """The township whose leading-product output grew fastest and the one with the largest output
    (when none grew, the one that fell least, 年均下降 x%, never a minus sign)."""
    need_columns(growth, ["unit_name", "pct_per_year", "last"], "growth 的输出")
    rates = growth.dropna(subset=["pct_per_year"])
    if rates.empty:
        raise ValueError("没有可计算年均增长率的乡镇（需要首尾两年都为正数）")
    fastest = rates.loc[rates["pct_per_year"].idxmax()]
    largest = growth.loc[growth["last"].idxmax()]
    rate = fastest["pct_per_year"]
    first = (f"{fastest['unit_name']}主导产业产值年均增长最快（{rate:.1f}%）"
             if round(rate, 1) > 0 else
             f"各乡镇主导产业产值都没有增长，{fastest['unit_name']}降幅最小（年均{gap_text(rate, '%', below='下降')}）")
    return first + f"，{largest['unit_name']}产值最高（{largest['last']:,.0f} 万元）。"
