"""Private: the words and display tables of a village card (村情卡), from the metrics' rows.

Every function takes rows already computed (see :mod:`._cards_data`) and returns Chinese
sentences or a DataFrame of display strings; nothing is scored or ranked here. Conventions:
a number is shown with the decimals its unit needs (integers without decimals); a 0/1
indicator is 是/否 for the village and, for a mean, the share of villages with 是 as a
percentage; a value without data is 未填报; a doubtful value not yet confirmed carries
:data:`DOUBT_MARK`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["year_table", "summary_lines", "identity_lines", "indicator_table", "team_line", "gap_lines",
           "DOUBT_MARK", "MOVES", "GAP_LIMIT", "GAP_CHARS", "number"]

#: Mark on a doubtful value (待核实) in the indicator table.
DOUBT_MARK = "*"
#: 晋位升级 moves in words.
MOVES = {"up": "晋位", "same": "持平", "down": "降位"}
#: Lines of 缺报与待核实 shown on a card, and their characters at most (what fits the page at
#: 9 pt); the rest are counted, with where to find them.
GAP_LIMIT, GAP_CHARS = 6, 320
_WHOLE = ("人", "个", "次", "件", "户", "月", "级", "元", "平方米")


def number(value, unit: str, *, mean: bool = False) -> str:
    """A value for the card: 是/否 (a 0/1 value) or a share of villages in % (a 0/1 mean);
    counts without decimals unless a mean; 万元 with two decimals; else one decimal; 未填报 for NaN."""
    if value is None or pd.isna(value):
        return "未填报"
    value = float(value)
    if unit == "0/1":
        return f"{value:.0%}" if mean else ("是" if value == 1 else "否" if value == 0 else f"{value:g}")
    if unit in _WHOLE and not mean and value.is_integer():
        return str(int(value))
    return f"{value:.2f}" if unit == "万元" else f"{value:.1f}"


def _unit(unit: str) -> str:
    return "是/否" if unit == "0/1" else unit


def _span(years: list[int]) -> str:
    """2012、2013、2015年 / 2012–2014年."""
    years = sorted(years)
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}年"
    return "、".join(map(str, years)) + "年"


def year_table(own, overall, moves, bottom, reasons, values, years: list[int], cat) -> pd.DataFrame:
    """年度 | 综合指数 | 全县名次 | 等次 | 升降 | 软弱涣散 | 倒排 | 软弱涣散情形, one row per year.

    The index with :data:`DOUBT_MARK` when the village-year is provisional; 全县名次 as
    ``rank/n`` (n the villages scored that year); 倒排 as 倒数第k名 (待核实 when the listing
    rests on incomplete data)."""
    rows = []
    for year in years:
        o = own[own["year"] == year]
        n = int(overall.loc[overall["year"] == year, "score"].notna().sum())
        has = len(o) and pd.notna(o["score"].iloc[0])
        score = (f"{o['score'].iloc[0]:.1f}" + (DOUBT_MARK if bool(o["provisional"].iloc[0]) else "")) if has else "—"
        move = moves.loc[moves["year"] == year, "move"]
        low = bottom[bottom["year"] == year]
        why = reasons.loc[reasons["year"] == year, "reasons"]
        rows.append({"年度": f"{year}年", "综合指数": score,
                     "全县名次": f"{int(o['rank'].iloc[0])}/{n}" if has else "—",
                     "等次": o["grade"].iloc[0] if has and isinstance(o["grade"].iloc[0], str) else "—",
                     "升降": MOVES.get(move.iloc[0], "—") if len(move) else "—",
                     "软弱涣散": _listed(values, year),
                     "倒排": (f"倒数第{int(low['bottom_rank'].iloc[0])}名"
                            + ("（待核实）" if low["provisional"].iloc[0] is True else "")) if len(low) else "否",
                     "软弱涣散情形": why.iloc[0] if len(why) and why.iloc[0] else "—"})
    return pd.DataFrame(rows, dtype=object)


def _listed(values, year: int) -> str:
    """列入（当年转化 / 未转化）, 否, 未填报, or — when the village has no value of any kind that year."""
    v = values[values["year"] == year].set_index("indicator")["value"]
    if v.isna().all():
        return "—"
    listed = v.get("weak_listed")
    if listed is None or pd.isna(listed):
        return "未填报"
    if listed != 1:
        return "否"
    turned = v.get("weak_turned")
    return "列入" if turned is None or pd.isna(turned) else ("列入，当年转化" if turned == 1 else "列入，未转化")


def summary_lines(own, overall, table: pd.DataFrame, year: int) -> tuple[str, ...]:
    """Two sentences: this year's index, rank, grade and move; the years listed 软弱涣散 and 倒排."""
    out = []
    row = table[table["年度"] == f"{year}年"]
    if len(row) and row["综合指数"].iloc[0] != "—":
        r = row.iloc[0]
        rank, n = r["全县名次"].split("/")
        text = f"{year}年综合指数{r['综合指数'].rstrip(DOUBT_MARK)}分，在全县{n}个村（社区）中居第{rank}位，等次为{r['等次']}"
        before = own[own["year"] < year].sort_values("year")
        if r["升降"] != "—" and len(before):
            text += f"，较{int(before['year'].iloc[-1])}年{r['升降']}（{before['grade'].iloc[-1]}→{r['等次']}）"
        out.append(text + ("；该分数待核实（见第三部分）。" if r["综合指数"].endswith(DOUBT_MARK) else "。"))
    else:
        out.append(f"{year}年本村没有综合指数（没有数据）。")
    listed = [int(y[:-1]) for y, v in zip(table["年度"], table["软弱涣散"]) if v.startswith("列入")]
    low = [int(y[:-1]) for y, v in zip(table["年度"], table["倒排"]) if v != "否"]
    if not listed and not low:
        out.append(f"{_span([int(y[:-1]) for y in table['年度']])}均未列为软弱涣散，也未列入倒排。")
    else:
        parts = []
        if listed:
            parts.append(f"{_span(listed)}列为软弱涣散")
        if low:
            parts.append(f"{_span(low)}综合指数列入全县倒排")
        out.append("；".join(parts) + "（逐年情况和情形见下表）。")
    return tuple(out)


def identity_lines(cat, unit_id: str, years: list[int], year: int) -> tuple[str, ...]:
    """The village's names over ``years`` when it changed, and every merger or split that
    touches it (its own, and other villages merged into it or split off from it)."""
    out = []
    names: list[tuple[str, list[int]]] = []
    for y in years:
        name = cat.village_name(unit_id, y)
        if names and names[-1][0] == name:
            names[-1][1].append(y)
        else:
            names.append((name, [y]))
    if len(names) > 1:
        out.append("名称：" + "，".join(f"{_span(ys)}为{n}" for n, ys in names) + "。")
    villages = cat.villages.set_index("unit_id")
    me = villages.loc[unit_id]
    if me["merged_into"] is not None:
        target, when = me["merged_into"]
        out.append(f"区划：本村于{when}年并入{cat.village_name(target, when)}，{when}年起不再单独统计。")
    if me["split_from"] is not None:
        source, when = me["split_from"]
        out.append(f"区划：本村于{when}年由{cat.village_name(source, when - 1)}分设，{when}年以前的数据在其名下，不在本卡中。")
    elif pd.notna(me["since"]):
        out.append(f"区划：本村{int(me['since'])}年起设立。")
    for other, v in villages.iterrows():
        if v["merged_into"] is not None and v["merged_into"][0] == unit_id:
            when = v["merged_into"][1]
            name = cat.village_name(other, when - 1)
            out.append(f"区划：{when}年{name}并入本村，{when}年起其数据计入本村；此前各年{name}单列，不在本卡的数字中。")
        if v["split_from"] is not None and v["split_from"][0] == unit_id:
            when = v["split_from"][1]
            out.append(f"区划：{when}年从本村分设{cat.village_name(other, when)}，{when}年起其数据不再计入本村。")
    return tuple(out)


def team_line(links: pd.DataFrame) -> str:
    """驻点工作组03（本年走访农户 204 户）; "" when the 驻点联系 table names no team for the village."""
    if links.empty:
        return ""
    parts = []
    for team, g in links.sort_values("leader_team").groupby("leader_team", sort=True):
        visited = g["households_visited"].dropna()
        parts.append(f"{team}（本年走访农户 {int(visited.sum())} 户）" if len(visited) else str(team))
    return "、".join(parts)


def indicator_table(values, doubtful, year: int, cat, skip=()) -> pd.DataFrame:
    """指标 | 单位 | <year>年 | <year−1>年 | 本乡镇村均 | 全县村均 | 与全县村均比, one row per village
    indicator with data in the county in ``year`` (catalogue order; ``skip`` left out).

    与全县村均比: 较好 / 较差 / 持平 by the indicator's direction, compared as shown (rounded);
    — for a ``monitor`` indicator or a village without a value."""
    ind = cat.indicators.set_index("id")
    now = values[values["year"] == year].set_index("indicator")
    before = values[values["year"] == year - 1].set_index("indicator")
    held = set(doubtful.loc[(doubtful["year"] == year) & ~doubtful["confirmed"].astype(bool), "indicator"])
    rows = []
    for i in [i for i in ind.index if i in now.index and i not in skip]:
        unit, r = ind.at[i, "unit"], now.loc[i]
        shown = number(r["value"], unit)
        mean = number(r["county_mean"], unit, mean=True)
        rows.append({"指标": ind.at[i, "name"], "单位": _unit(unit),
                     f"{year}年": shown + (DOUBT_MARK if i in held else ""),
                     f"{year - 1}年": number(before.at[i, "value"], unit) if i in before.index else "—",
                     "本乡镇村均": number(r["township_mean"], unit, mean=True), "全县村均": mean,
                     "与全县村均比": _compare(r["value"], r["county_mean"], unit, ind.at[i, "direction"])})
    return pd.DataFrame(rows, columns=["指标", "单位", f"{year}年", f"{year - 1}年", "本乡镇村均", "全县村均",
                                       "与全县村均比"], dtype=object)


def _compare(value, mean, unit: str, direction: str) -> str:
    if direction not in ("higher", "lower") or pd.isna(value) or pd.isna(mean):
        return "—"
    a = float(value) if unit != "0/1" else round(float(value), 2)
    b = round(float(mean), 2 if unit in ("万元", "0/1") else 1)
    a = round(a, 2 if unit in ("万元", "0/1") else 1)
    if a == b:
        return "持平"
    return "较好" if (a > b) == (direction == "higher") else "较差"


def gap_lines(cat, unit_id: str, years: list[int], own, values, blanks, doubtful, issues,
              names: dict | None = None) -> tuple[str, ...]:
    """What is missing or doubtful for the village, each line naming file, sheet and cell where
    there is one: years without any value; required indicators left blank (the blanks of
    :func:`~dangjian_analysis.metrics.scoring.aggregate_villages`); the other issues of its rows;
    doubtful values (confirmed ones said so); a provisional index, for a year none of these
    explains. A blank that is a rejected
    value is said once, as the error. At most :data:`GAP_LIMIT` lines and :data:`GAP_CHARS`
    characters, then how many more and where to see them."""
    names = names or {}
    ind = cat.indicators.set_index("id")
    lines = []                          # (year, kind, text): newest year first, then by kind
    villages = cat.villages.set_index("unit_id")
    since, until = villages.at[unit_id, "since"], villages.at[unit_id, "until"]
    for y in years:
        exists = (pd.isna(since) or since <= y) and (pd.isna(until) or y <= until)
        if exists and values.loc[values["year"] == y, "value"].isna().all():
            lines.append((y, 0, f"{y}年：没有本村的任何数值（未报送，或该行全部出错）。"))
    explained = {}                      # issue index → True: the error that made a blank; False: a blank's cell
    for y, g in blanks.groupby("year", sort=True) if len(blanks) else ():
        parts = []
        for i in g["indicator"]:
            name = ind.at[i, "name"] if i in ind.index else i
            hit = issues[(issues["year"] == y) & issues["message"].astype(str).str.startswith(name)]
            wrong = hit[hit["severity"] == "error"]
            if len(wrong):
                explained.update(dict.fromkeys(wrong.index, True))
                continue
            explained.update(dict.fromkeys(hit.index, False))
            parts.append(name + (f"（{_where(hit.iloc[0])}）" if len(hit) else ""))
        if parts:
            lines.append((int(y), 1, f"{int(y)}年缺报必填指标：{'、'.join(parts)}；按不报不得分计。"))
    for k, r in issues.sort_values(["year", "file", "cell"], kind="stable").iterrows():
        if explained.get(k) is not False:
            level = "错误" if r["severity"] == "error" else "提示"
            lines.append((int(r["year"]), 2, f"{int(r['year'])}年{level}：{r['message']}（{_where(r)}）"
                          + ("；该值未采用，按缺报计。" if explained.get(k) else "")))
    for r in doubtful.sort_values(["year", "indicator"], kind="stable").itertuples():
        name, unit = (ind.at[r.indicator, "name"], ind.at[r.indicator, "unit"]) if r.indicator in ind.index \
            else (r.indicator, "")
        where = f"{names.get(r.file, Path(str(r.file)).name)} {r.sheet} {r.cell}"
        state = "已确认无误" if r.confirmed else "待核实（超出常见范围或与上年相差过大）"
        lines.append((int(r.year), 3, f"{int(r.year)}年{name} {number(r.value, unit)}{_unit(unit)} {state}（{where}）"))
    said = {y for y, _, _ in lines}
    for r in own[own["provisional"].astype(bool) & ~own["year"].isin(said)].itertuples():   # else said above
        lines.append((int(r.year), 4, f"{int(r.year)}年综合指数待核实：{r.provisional_reason or '数据不完整'}。"))
    lines = [text for _, _, text in sorted(lines, key=lambda t: (-t[0], t[1]))]
    shown, size = [], 0
    for k, line in enumerate(lines):
        if (len(shown) == GAP_LIMIT - 1 and k < len(lines) - 1) or (shown and size + len(line) > GAP_CHARS):
            shown.append(f"另有 {len(lines) - k} 条，见 dangjian validate 的问题清单（按文件、工作表和单元格列出）。")
            break
        shown.append(line)
        size += len(line)
    return tuple(shown)


def _where(r) -> str:
    return f"{r['shown_file']} {r['sheet']} {r['cell']}"
