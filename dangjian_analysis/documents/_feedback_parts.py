"""What one township's 反馈单 says, taken from the report model (data and sentences, no layout).

Every number comes from the model's tables (:meth:`ReportModel.table <.model.ReportModel.table>`)
or its ``scores`` (the years before the report's), never recomputed; the only figures made
here are county means, the mean of a column of the same table over the townships (as the
report's 全县平均 row of the sub-indices). Numbers are written with one decimal, rates as %
with one decimal — as the report's tables show them. Conventions:

- the three weakest indicators are the township's lowest indicator scores of the year (ties
  in the catalogue's order); the villages behind each are the three with the worst values
  read for the report's year (``sources`` of ``m.year``; each village once): the lowest for a
  higher-is-better indicator, the highest for a lower-is-better one; for a yes/no or ordinal
  indicator only the villages at the worst level, and none when that level is the best;
- when a roster village sent no village value in the year, the township's own figures are not
  all measured: they are headed ``本乡镇（待核实）`` and :func:`imputed_note` says why;
- the secretary is the one whose unit is the township's committee (``unit`` starting with
  the township's name, as :func:`~dangjian_analysis.metrics.review.secretary_townships`);
- in a partial year (townships not yet returned, ``m.roll.missing``) the means are over the
  townships that reported and are headed 已报送乡镇平均 (:func:`mean_label`), ranks are “在已报送
  的 N 个乡镇中”, a rank is compared with last year's only when both years rank the same
  townships, and the 倒排 rank is headed 名次（已报送）.
"""

from __future__ import annotations

import pandas as pd

from ..charts.feedback import history_rows
from ..metrics.review import secretary_townships
from .report_assessment import n
from .report_labels import PARTIAL_RANK
from .report_tables import bottom_clause, index_column

__all__ = ["partial", "mean_label", "history_table", "headline", "group_table", "weakest", "bottom_rows", "secretary_of", "committee_of",
           "review_sentence", "assessment_sentence", "lost_points", "pending_items", "fmt",
           "absent_villages_of", "own_label", "imputed_note"]

#: Villages named behind each weak indicator.
VILLAGES_SHOWN = 3


def fmt(value, digits: int = 1) -> str:
    """A number as the report's tables show it (``78.4``), ``—`` when missing."""
    return "—" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def _pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def history_table(m, town: str) -> pd.DataFrame:
    """The years as columns (``2012年`` …), rows 综合指数, 名次, 等次, every year up to the
    report's (``m.scores``; the report's year as the ``ranking`` table has it, the same numbers)."""
    rows = history_rows(m.scores, town, m.year)
    ranking = m.table("ranking").set_index("township")
    if town in ranking.index:
        this = ranking.loc[town]
        rows.loc[rows["year"] == m.year, ["score", "rank", "grade"]] = [this["score"], this["rank"], this["grade"]]
    columns = {f"{int(y)}年": [fmt(sc), "—" if pd.isna(r) else f"第{int(r)}名", "—" if pd.isna(g) else str(g)]
               for y, sc, r, g in zip(rows["year"], rows["score"], rows["rank"], rows["grade"])}
    return pd.DataFrame({"项目": ["综合指数", "名次", "等次"], **columns})


def partial(m) -> bool:
    """Whether the report's year is partial: townships of the catalogue have not reported."""
    return bool(m.roll.missing)


def mean_label(m) -> str:
    """``全县平均``, or ``已报送乡镇平均`` in a partial year."""
    return "已报送乡镇平均" if partial(m) else "全县平均"


def _same_ranked(m) -> bool:
    """Whether this year and the previous rank the same townships (a rank change means something)."""
    o = m.scores[(m.scores["group"] == "overall")].dropna(subset=["rank"])
    return set(o.loc[o["year"] == m.year, "unit_name"]) == set(o.loc[o["year"] == m.previous, "unit_name"])


def headline(m, town: str) -> str:
    """``2015年度综合指数 78.4 分，在全县 10 个乡镇中列第 2 名，等次为“一般”；比2014年提高 12.8 分，名次持平。``"""
    ranking = m.table("ranking")
    row = ranking.set_index("township").loc[town]
    where = f"已报送的 {len(ranking)} 个乡镇" if partial(m) else f"全县 {len(ranking)} 个乡镇"
    text = (f"{m.year}年度综合指数 {fmt(row['score'])} 分，在{where}中列第 {int(row['rank'])} 名，"
            f"等次为“{row['grade']}”")
    before = history_rows(m.scores, town, m.previous)
    before = before[before["year"] == m.previous]
    if m.previous != m.year and len(before) and pd.notna(before["score"].iloc[0]):
        gain = round(float(row["score"]), 1) - round(float(before["score"].iloc[0]), 1)
        text += (f"；与{m.previous}年（{fmt(before['score'].iloc[0])} 分）持平" if not gain else
                 f"；比{m.previous}年（{fmt(before['score'].iloc[0])} 分）"
                 + (f"提高 {gain:.1f} 分" if gain > 0 else f"下降 {-gain:.1f} 分"))
        r0 = before["rank"].iloc[0]
        if pd.notna(r0) and not _same_ranked(m):
            text += "，名次不在同一批乡镇之间，不与上年比较"
        elif pd.notna(r0):
            move = int(r0) - int(row["rank"])
            text += "，名次" + (f"上升 {move} 位" if move > 0 else f"下降 {-move} 位" if move < 0 else "不变")
    return text + "。"


def group_table(m, town: str) -> pd.DataFrame:
    """分项, 本乡镇, 全县平均, 差距: the ``ranking`` table's sub-indices of the township against their
    mean over the townships (the report's 全县平均 row)."""
    ranking = m.table("ranking")
    groups = [(g, n) for g, n in zip(m.catalog.groups["group"], m.catalog.groups["name"]) if index_column(g) in ranking]
    row = ranking.set_index("township").loc[town]
    mine = [row[index_column(g)] for g, _ in groups]
    mean = [ranking[index_column(g)].mean() for g, _ in groups]
    return pd.DataFrame({"分项": [n for _, n in groups], own_label(m, town): mine, mean_label(m): mean,
                         "差距": [a - b for a, b in zip(mine, mean)]})


def _applies(m, rows: pd.DataFrame, indicator: str, year_rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` kept to the villages where ``indicator`` applies (``applies_if = { G = v }``: G = v
    the same year); all of them for an indicator without the key."""
    rule = m.catalog.indicator(indicator).get("applies_if")
    if not isinstance(rule, tuple):
        return rows
    gov, v = rule
    g = year_rows[(year_rows["indicator"] == gov) & (year_rows["value"] == v)]
    return rows[rows["unit_name"].isin(set(g["unit_name"]))]


def _worst_villages(m, town: str, indicator: str) -> str:
    """The township's villages with the worst values of ``indicator`` in the report's year
    (``sources`` of ``m.year`` only), each village once, at most :data:`VILLAGES_SHOWN`:
    the lowest for ``higher``, the highest for ``lower`` (ties in the table's order). For a
    yes/no or ordinal indicator only the villages at the worst level read, and only when that
    level is not the best one (a good value is never named as worst); ``""`` when none."""
    src = m.table("sources")
    year_rows = src[(src["township"] == town) & (src["year"] == m.year) & (src["unit_name"] != town)]
    rows = year_rows[year_rows["indicator"] == indicator].dropna(subset=["value"])
    rows = _applies(m, rows, indicator, year_rows).drop_duplicates("unit_name")
    if rows.empty:
        return ""
    ind = m.catalog.indicator(indicator)
    lower = ind["direction"] == "lower"
    unit = str(ind["unit"])
    if unit == "0/1" or bool(ind.get("ordinal")):
        best = (0.0 if lower else 1.0) if unit == "0/1" else (ind["valid_lo"] if lower else ind["valid_hi"])
        worst = rows["value"].max() if lower else rows["value"].min()
        rows = rows[rows["value"] == worst] if worst != best else rows.iloc[0:0]
    rows = rows.sort_values("value", ascending=not lower, kind="stable").head(VILLAGES_SHOWN)
    if unit == "0/1":
        return "、".join(f"{v}（{'是' if x else '否'}）" for v, x in zip(rows["unit_name"], rows["value"]))
    return "、".join(f"{v} {x:g}{'' if unit == 'nan' else unit}" for v, x in zip(rows["unit_name"], rows["value"]))


def absent_villages_of(m, town: str) -> list[str]:
    """The township's roster villages that sent no village value in the report's year
    (the report's ``absent`` table, computed once), in the catalogue's order."""
    frame = m.table("absent")
    return frame.loc[frame["township"] == town, "village"].tolist()


def own_label(m, town: str) -> str:
    """The heading of the township's own figures: ``本乡镇``, ``本乡镇（待核实）`` when a roster
    village sent nothing in the year (its figures are not all measured, see :func:`imputed_note`)."""
    return "本乡镇（待核实）" if absent_villages_of(m, town) else "本乡镇"


def imputed_note(m, town: str) -> str:
    """``""``, or the note saying the township's figures include villages that sent nothing: under
    不报不得分 (``missing = "zero"``) they count as the worst value, otherwise they are left out."""
    villages = absent_villages_of(m, town)
    if not villages:
        return ""
    how = ("含这些村按不得分计入的数，不是实测数" if m.catalog.scoring.missing == "zero"
           else "只计已报送的村，未含这些村")
    return (f"注：{'、'.join(villages)}本年度未报送任何村级指标，本乡镇的村级指标数值、得分和综合指数{how}"
            "（标“本乡镇（待核实）”，请核实）。")


def weakest(m, town: str, count: int = 3) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The township's ``count`` lowest indicator scores of the year (``indicator_scores``) as a
    table (指标, 单位, 本乡镇, 全县平均, 得分, 全县平均得分) and, for each, ``(indicator name, the
    worst villages with their values)`` (empty for a township-level indicator)."""
    ind = m.table("indicator_scores")
    mine = ind[(ind["township"] == town)].dropna(subset=["score"])
    mine = mine.sort_values("score", kind="stable").head(count)
    names = dict(zip(m.catalog.indicators["id"], m.catalog.indicators["name"]))
    county = ind.groupby("indicator")[["value", "score"]].mean()
    table = pd.DataFrame({"指标": [names[i] for i in mine["indicator"]], "单位": mine["unit"].tolist(),
                          own_label(m, town): mine["value"].tolist(), mean_label(m): [county.loc[i, "value"] for i in mine["indicator"]],
                          "得分": mine["score"].tolist(),
                          f"{mean_label(m)}得分": [county.loc[i, "score"] for i in mine["indicator"]]})
    behind = [(names[i], _worst_villages(m, town, i)) for i in mine["indicator"]]
    return table, behind


def bottom_rows(m, town: str) -> pd.DataFrame:
    """The township's villages in the ``bottom`` table: 倒排序号, 村（社区）, 综合指数, 全县名次, 等次 and
    其他原因, the ``reason`` after the clause every row shares (``综合指数位于全县最低的 10%``, said
    once in the text above the table), ``—`` when it has no other."""
    b = m.table("bottom")
    b = b[b["township"] == town]
    shared = bottom_clause(m.catalog.bottom_share, partial(m))
    other = ["；".join(p for p in str(r).split("；") if p and p != shared) for r in b["reason"]]   # wherever it stands
    return pd.DataFrame({"倒排序号": b["bottom_rank"].tolist(), "村（社区）": b["village"].tolist(),
                         "综合指数": b["score"].tolist(), PARTIAL_RANK if partial(m) else "全县名次": b["rank"].tolist(),
                         "等次": b["grade"].tolist(),
                         "其他原因": [o or "—" for o in other]})


def secretary_of(m, town: str) -> str | None:
    """The secretary of the township's committee (None when the catalogue has none)."""
    names = [s for s, t in secretary_townships(m.catalog).items() if t == town]
    return names[0] if names else None


def committee_of(m, town: str) -> str:
    """The township's Party committee as the catalogue names it (``东山镇党委``), else ``<乡镇>党委``."""
    secs = m.catalog.secretaries
    units = [u for u in secs["unit"] if str(u).startswith(town)]
    return str(units[0]) if units else f"{town}党委"


def review_sentence(m, town: str) -> str:
    """The secretary's 述职评议 of the year from the ``review`` table (one sentence)."""
    who = secretary_of(m, town)
    review = m.table("review")
    rows = review[review["secretary"] == who] if who else review.iloc[0:0]
    if rows.empty:
        return f"本年度没有{committee_of(m, town)}书记的述职评议结果。"
    r = rows.iloc[0]
    peers = review[review["type"] == r["type"]]
    return (f"党委书记{who}述职评议：有效票 {int(r['valid'])} 张，好票率 {_pct(r['top_rate'])}，好评率 "
            f"{_pct(r['good_rate'])}，差评率 {_pct(r['bad_rate'])}，得分 {fmt(r['score'])} 分，等次为“{r['grade']}”，"
            f"在 {len(peers)} 名{r['type']}中列第 {int(r['rank'])} 名。")


def assessment_sentence(m, town: str) -> str:
    """The 年度考核 of the township's committee: from the 考核细则's ``assessment`` table when the
    catalogue has one, else from ``annual``."""
    unit, who = committee_of(m, town), secretary_of(m, town)
    if m.rubric is not None and "assessment" in m.tables:
        a = m.table("assessment")
        rows = a[a["unit"] == unit]
        if rows.empty:
            return f"本年度考核结果中没有{unit}。"
        r = rows.iloc[0]
        peers = a[a["class"] == r["class"]]
        text = (f"年度考核：基础分 {n(r['base'])} 分，加分 {n(r['bonus'])} 分，扣分 {n(r['deduction'])} 分，"
                f"日常考核 {n(r['routine'])} 分，综合得分 {n(r['annual'])} 分，在 {len(peers)} 名{r['class']}中"
                f"列第 {int(r['rank'])} 名，等次为“{r['grade']}”" if pd.notna(r["rank"]) else
                f"年度考核：综合得分 {n(r['annual'])} 分，等次为“{r['grade']}”")
        notes = [str(r[c]) for c in ("grade_note", "consequence") if c in r and str(r[c]).strip()]
        return text + ("；" + "；".join(notes) if notes else "") + "。"
    a = m.table("annual")
    rows = a[a["secretary"] == who] if who else a.iloc[0:0]
    if rows.empty:
        return f"本年度年度考核结果中没有{unit}。"
    r = rows.iloc[0]
    return (f"年度考核：日常考核 {fmt(r['routine'])} 分，述职评议 {fmt(r['review'])} 分，群众满意度 {fmt(r['satisfaction'])}，"
            f"综合得分 {fmt(r['annual'])} 分（{r['parts']}），列第 {int(r['rank'])} 名，等次为“{r['grade']}”。")


def lost_points(m, town: str) -> pd.DataFrame:
    """The 考核细则 lines of the township's committee where it lost (or gained) points, as the
    ``assessment_detail`` table has them (编号, 项目, 得分/分值, 增减, 依据), numbers written as the
    report's 年度考核 paragraphs write them (:func:`~.report_assessment.n`); empty without a rubric."""
    if m.rubric is None or "assessment_detail" not in m.tables:
        return pd.DataFrame()
    d = m.table("assessment_detail")
    d = d[d["unit"] == committee_of(m, town)]
    return pd.DataFrame({"编号": d["item"].tolist(), "项目": d["name"].tolist(),
                         "得分/分值": [f"{n(e)}/{n(p)}" if pd.notna(p) else "—" for e, p in zip(d["earned"], d["points"])],
                         "增减": [_signed(x) for x in d["change"]], "依据": d["basis"].tolist()})


def _signed(value) -> str:
    """``-6``, ``+3``, ``—`` (a veto: it acts on the grade, not the number)."""
    return "—" if value is None or pd.isna(value) else ("+" if value > 0 else "") + n(value)


def _reason(frame: pd.DataFrame, column: str, mask) -> list[str]:
    if column not in frame:
        return []
    return [str(x) for x in frame.loc[mask, column].fillna("") if str(x).strip()]


def pending_items(m, town: str) -> list[str]:
    """What is 待核实 for the township: its result's reason (``ranking``), its 倒排 villages' reasons,
    its doubtful cells (``doubtful``, with file, sheet and cell), its 年度考核's."""
    from .display import file_name

    items = []
    ranking = m.table("ranking")
    items += [f"综合指数、名次和等次待核实：{r}" for r in _reason(ranking, "provisional_reason", ranking["township"] == town)]
    bottom = m.table("bottom")
    for v, r in zip(bottom.loc[bottom["township"] == town, "village"],
                    bottom.loc[bottom["township"] == town].get("provisional_reason", pd.Series(dtype=str))):
        if isinstance(r, str) and r.strip():
            items.append(f"倒排名单中{v}待核实：{r}")
    doubtful = m.table("doubtful")
    names = dict(zip(m.catalog.indicators["id"], m.catalog.indicators["name"]))
    files = doubtful.attrs.get("file_names") or {}
    for d in doubtful[doubtful["township"] == town].itertuples():
        where = f"{file_name(d.file, files)} {d.sheet} {d.cell}"
        items.append(f"{d.unit_name}“{names.get(d.indicator, d.indicator)}”数值 {d.value:g} 存疑（{where}）：{d.message}")
    who = secretary_of(m, town)
    annual = m.table("annual")
    items += [f"年度考核待核实：{r}" for r in _reason(annual, "provisional_reason", annual["secretary"] == who)]
    if m.rubric is not None and "assessment" in m.tables:
        a = m.table("assessment")
        items += [f"考核细则待核实：{r}" for r in _reason(a, "pending", a["unit"] == committee_of(m, town))]
    return items
