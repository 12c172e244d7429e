"""述职评议 per-ballot sheets (测评票): invalid ballots, tallies, trimmed means, ballots per group.

A 测评票 sheet holds one row a ballot and one column a secretary; the intake gives it as
``ds.ballot_sheets`` (``year, rater_group, item, ballot, secretary, rating, score`` and the
cell's provenance). A ballot is the key ``(year, rater_group, item, ballot)``; its kind:

- **rating-type** (评价档次票): no cell holds a score; its ratings become tallies like those
  of the 述职评议 sheet (:func:`tally_ballots`), 不了解 and 空白 counted as invalid votes;
- **score-type** (评分票): no cell holds a rating of the scheme; its scores give a trimmed mean
  per rater group (:func:`trimmed_scores`); 不了解 / 空白 cells of it are not scores (not counted);
- **mixed** (both a rating and a score): invalid, whatever the scheme says.

With ``[review] same_rating_invalid = true`` a ballot that gives every secretary it rates the
same rating (or the same score), counting only real ratings (not 不了解 / 空白) and only when
it rates at least two secretaries, is invalid: none of its votes count. Every invalid ballot is
kept, with its cells and a Chinese reason (:func:`invalid_ballots`); in the tallies its votes
appear under the rating :data:`INVALID_BALLOT`, so that valid + invalid still adds up to the
ballots cast. A blank cell is no row (the intake skips it: the ballot does not rate that
secretary); a row with neither a rating nor a score counts as 空白.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..catalog.tables import BALLOT_COLUMNS, BALLOT_SHEET_COLUMNS, BALLOT_SHEET_KEYS, PROVENANCE
from ._frames import catalog_of, warn

__all__ = ["tally_ballots", "trimmed_scores", "invalid_ballots", "ballot_count_warnings", "INVALID_BALLOT",
           "INVALID_COLUMNS", "TRIMMED_COLUMNS", "with_ballot_sheets"]

#: The rating under which the votes of an invalid ballot appear in the tallies (not a valid vote).
INVALID_BALLOT = "无效票"
#: Columns of :func:`invalid_ballots` (one row per invalid ballot; ``source_cell`` its cells).
INVALID_COLUMNS = ["year", "rater_group", "item", "ballot", "reason", *PROVENANCE]
#: Columns of :func:`trimmed_scores`.
TRIMMED_COLUMNS = ["year", "secretary", "unit_name", "rater_group", "item", "n", "invalid", "dropped", "score",
                   "weight", "note"]
_SHEET_COLUMNS = [*BALLOT_SHEET_COLUMNS, *PROVENANCE]
_BALLOT = BALLOT_SHEET_KEYS
_BLANK = "空白"
_UNLISTED = "名录外"
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _inputs(ballot_sheets, scheme, catalog):
    """(the per-ballot frame, the ReviewScheme, the Catalog) from what the caller gave."""
    frame = getattr(ballot_sheets, "ballot_sheets", ballot_sheets)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"需要测评票表（Dataset 的 ballot_sheets），实际为 {type(frame).__name__}")
    missing = [c for c in _SHEET_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"测评票表缺少列 {'、'.join(missing)}")
    if scheme is not None and not hasattr(scheme, "review"):
        return frame, scheme, catalog_of(ballot_sheets, catalog, quiet=True)
    cat = scheme if scheme is not None else catalog_of(ballot_sheets, catalog)
    return frame, cat.review, cat


def _label(ballot) -> str:
    """第 12 号票 (a whole-number ballot id without its .0); 第7行的测评票 for a ballot without 票号."""
    if isinstance(ballot, float) and ballot.is_integer():
        ballot = int(ballot)
    if isinstance(ballot, str) and re.fullmatch(r"第\d+行", ballot):      # no 票号: the intake names it by its row
        return f"{ballot}的测评票"
    return f"第 {ballot} 号票"


def _year(year):
    """2015 for 2015, 2015.0 or "2015"; anything else as given."""
    try:
        return int(year) if float(year).is_integer() else year
    except (TypeError, ValueError):
        return year


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cells_text(cells) -> str:
    """Cells as a range when they fill one row or one column without a gap (``E12:W12``,
    ``E2:E151``), else listed with 、."""
    cells = list(dict.fromkeys(str(c) for c in cells if isinstance(c, str) and c))
    parsed = [_CELL.match(c) for c in cells]
    if len(cells) > 1 and all(parsed):
        cols = sorted(_col_number(m[1]) for m in parsed)
        rows = sorted(int(m[2]) for m in parsed)
        line = len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols)))
        column = len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows)))
        if line or column:
            ordered = sorted(parsed, key=lambda m: (int(m[2]), _col_number(m[1])))
            return f"{ordered[0][1]}{ordered[0][2]}:{ordered[-1][1]}{ordered[-1][2]}"
    return "、".join(cells)


def _classify(frame: pd.DataFrame, sch) -> pd.DataFrame:
    """``frame`` with ``kind`` (rating / score / mixed per ballot), ``real`` (a rating of the
    scheme), ``reason`` (why the ballot is invalid, else empty) on every row."""
    frame = frame.reset_index(drop=True)
    if frame["item"].isna().any():                      # 评议项目 left out: the scheme's first item
        frame["item"] = frame["item"].fillna(sch.items[0])
    is_text = frame["rating"].map(lambda r: isinstance(r, str) and r.strip() != "")
    frame["rating"] = frame["rating"].where(is_text | frame["score"].notna(), _BLANK)
    real = frame["rating"].isin(list(sch.ratings["rating"]))
    scored = frame["score"].notna()
    code = frame.groupby(_BALLOT, sort=False, dropna=False).ngroup().to_numpy()
    n_real = np.bincount(code, weights=real)[code]
    n_score = np.bincount(code, weights=scored)[code]
    one_rating = frame["rating"].where(real).groupby(code).transform("nunique").to_numpy() == 1
    one_score = frame["score"].groupby(code).transform("nunique").to_numpy() == 1
    frame["real"] = real.to_numpy()
    frame["kind"] = np.where((n_real > 0) & (n_score > 0), "mixed", np.where(n_score > 0, "score", "rating"))
    mixed = frame["kind"].to_numpy() == "mixed"
    same = np.zeros(len(frame), bool)
    if sch.same_rating_invalid:
        same = (((frame["kind"] == "rating").to_numpy() & (n_real >= 2) & one_rating)
                | ((frame["kind"] == "score").to_numpy() & (n_score >= 2) & one_score))
    frame["reason"] = ""
    sheet_secs = frame.groupby(["year", "rater_group", "item"], dropna=False)["secretary"].transform("nunique")
    n_secs = dict(zip(code, sheet_secs))             # secretaries on the ballots of that year, group and item
    for c in np.unique(code[mixed | same]):
        g = frame[code == c]
        label = _label(g["ballot"].iat[0])
        if g["kind"].iat[0] == "mixed":
            r, s = g[g["real"]].iloc[0], g[g["score"].notna()].iloc[0]
            reason = (f"{label}既有评价档次（{r['source_cell']}“{r['rating']}”）又有分数（{s['source_cell']} "
                      f"{s['score']:g}），无法判定测评方式，按无效票处理")
        else:
            values = g.loc[g["real"], "rating"] if g["kind"].iat[0] == "rating" else g["score"].dropna()
            shown = f"“{values.iat[0]}”" if g["kind"].iat[0] == "rating" else f" {values.iat[0]:g} 分"
            others = n_secs[c] - len(values)
            whom = (f"全部 {len(values)} 名书记" if not others
                    else f"所评价的 {len(values)} 名书记（另 {others} 名为不了解、空白或未填）")
            reason = f"{label}对{whom}均评{shown}，按无效票处理"
        frame.loc[g.index, "reason"] = reason
    return frame


def _units(secretaries: pd.Series, cat) -> pd.Series:
    units = secretaries.map(dict(zip(cat.secretaries["name"], cat.secretaries["unit"])))
    return units.fillna(_UNLISTED)


def tally_ballots(ballot_sheets, scheme=None, *, catalog=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rating-type ballots as tallies, and the invalid ballots.

    Parameters
    ----------
    ballot_sheets : DataFrame or Dataset
        ``year, rater_group, item, ballot, secretary, rating, score`` + provenance.
    scheme : ReviewScheme or Catalog, optional
        Default: the catalogue's (the one given, the Dataset's, else the default).
    catalog : Catalog, optional
        For the secretaries' units (``unit_name``) when ``scheme`` is a ReviewScheme.

    Returns
    -------
    tallies : DataFrame
        ``BALLOT_COLUMNS`` (year, secretary, unit_name, rater_group, item, rating, count):
        per secretary the count of each rating over the valid rating-type ballots, 不了解 and
        空白 under their own names, the votes of invalid ballots (mixed ones included) under
        :data:`INVALID_BALLOT`; a secretary not in the catalogue gets unit 名录外.
    invalid : DataFrame
        :data:`INVALID_COLUMNS`, one row per invalid ballot (rating-, score-type or mixed).

    Examples
    --------
    Ballot 1 rates both secretaries 好 (invalid: the default catalogue sets
    ``same_rating_invalid``), ballot 2 gives 好 and 一般: the tallies count ballot 2 only,
    ballot 1's two votes are 无效票.

    >>> import dangjian_analysis as dj
    >>> sheets = pd.DataFrame({"year": 2015, "rater_group": "county_leaders", "item": "总体评价",
    ...     "ballot": ["1", "1", "2", "2"], "secretary": ["赵立新", "钱文华"] * 2,
    ...     "rating": ["好", "好", "好", "一般"], "score": float("nan"), "source_file": "测评票.xlsx",
    ...     "source_sheet": "测评票", "source_cell": ["E2", "F2", "E3", "F3"]})
    >>> tallies, invalid = tally_ballots(sheets, dj.load_catalog())
    >>> tallies[["secretary", "rating", "count"]].values.tolist()
    [['赵立新', '好', 1], ['赵立新', '无效票', 1], ['钱文华', '一般', 1], ['钱文华', '无效票', 1]]
    >>> invalid[["reason", "source_cell"]].values.tolist()
    [['第 1 号票对全部 2 名书记均评“好”，按无效票处理', 'E2:F2']]
    """
    frame, sch, cat = _inputs(ballot_sheets, scheme, catalog)
    frame = _classify(frame, sch)
    return _tally(frame, cat), _invalid_table(frame)


def _tally(frame: pd.DataFrame, cat) -> pd.DataFrame:
    rated = frame[frame["kind"] != "score"].copy()
    rated.loc[rated["reason"] != "", "rating"] = INVALID_BALLOT
    tallies = (rated.groupby(["year", "secretary", "rater_group", "item", "rating"], sort=True, dropna=False)
               .size().rename("count").reset_index())
    tallies["unit_name"] = _units(tallies["secretary"], cat)
    return tallies[BALLOT_COLUMNS]


def _invalid_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for key, g in frame[frame["reason"] != ""].groupby(_BALLOT, sort=True, dropna=False):
        rows.append([*key, g["reason"].iat[0], "、".join(dict.fromkeys(g["source_file"].astype(str))),
                     "、".join(dict.fromkeys(g["source_sheet"].astype(str))), _cells_text(g["source_cell"])])
    return pd.DataFrame(rows, columns=INVALID_COLUMNS)


def invalid_ballots(ds, scheme=None) -> pd.DataFrame:
    """The invalid ballots of a Dataset (its ``ballot_sheets``), for the report to list.

    Returns
    -------
    DataFrame
        ``year, rater_group, item, ballot, reason, source_file, source_sheet, source_cell``:
        one row per invalid ballot, ``reason`` in Chinese (e.g. “第 12 号票对全部 19 名书记均评
        “好”，按无效票处理”), ``source_cell`` the ballot's cells (``B12:T12``). Empty when the
        Dataset has no per-ballot sheets.
    """
    if getattr(ds, "ballot_sheets", None) is None:
        return pd.DataFrame(columns=INVALID_COLUMNS)
    frame, sch, _ = _inputs(ds, scheme, None)
    return _invalid_table(_classify(frame, sch))


def trimmed_scores(ballot_sheets, scheme=None, *, catalog=None) -> pd.DataFrame:
    """Score-type ballots: per year, secretary, rater group and item the trimmed mean.

    For each group g: ``n`` = valid score-type ballots scoring the secretary (不了解 / 空白
    cells and invalid ballots not counted; ``invalid`` = invalid score-type ballots),
    ``dropped`` = 2 × trim when n > 2 × trim (the ``trim`` highest and ``trim`` lowest scores;
    ``[review] trim = 1`` is 去掉一个最高分和一个最低分), else 0 with a ``note``;
    S_g = mean of the rest. The ``overall`` row per secretary, year and item:
    ``score`` = Σ_g w_g · S_g / Σ_g w_g over the groups present (catalogue weights,
    renormalised when a group is absent), ``n`` and ``invalid`` summed.

    Returns
    -------
    DataFrame
        :data:`TRIMMED_COLUMNS`; ``weight`` is the group's (1.0 on overall rows).

    Examples
    --------
    Scores 60, 70, 80, 90, 100 with trim = 1: (70 + 80 + 90)/3 = 80; 50, 90, 90: 90. One
    group, three ballots scoring one secretary 60, 100 and 90 (the default catalogue: trim = 1):

    >>> import dangjian_analysis as dj
    >>> sheets = pd.DataFrame({"year": 2015, "rater_group": "county_leaders", "item": "总体评价",
    ...     "ballot": ["1", "2", "3"], "secretary": "赵立新", "rating": None, "score": [60.0, 100, 90],
    ...     "source_file": "测评票.xlsx", "source_sheet": "测评票", "source_cell": ["E2", "E3", "E4"]})
    >>> trimmed_scores(sheets, dj.load_catalog())[["rater_group", "n", "dropped", "score"]].values.tolist()
    [['county_leaders', 3, 2, 90.0], ['overall', 3, 2, 90.0]]
    """
    frame, sch, cat = _inputs(ballot_sheets, scheme, catalog)
    return _trimmed(_classify(frame, sch), sch, cat)


def _trimmed(frame: pd.DataFrame, sch, cat) -> pd.DataFrame:
    trim = int(sch.trim)
    frame = frame[frame["kind"] == "score"]
    names = dict(zip(sch.rater_groups["id"], sch.rater_groups["name"]))
    weights = dict(zip(sch.rater_groups["id"], sch.rater_groups["weight"]))
    keys = ["year", "secretary", "rater_group", "item"]
    valid = frame[(frame["reason"] == "") & frame["score"].notna()].sort_values([*keys, "score"], kind="stable")
    by_key = valid.groupby(keys, sort=False, dropna=False)
    pos, n = by_key.cumcount(), by_key["score"].transform("size")
    cut = (n > 2 * trim) if trim > 0 else pd.Series(False, index=valid.index)
    kept = valid[~cut | ((pos >= trim) & (pos < n - trim))]
    groups = pd.DataFrame(index=frame.groupby(keys, sort=True, dropna=False).size().index)
    groups["n"] = valid.groupby(keys, dropna=False).size().reindex(groups.index, fill_value=0).astype(int)
    invalid = frame[frame["reason"] != ""].groupby(keys, dropna=False)["ballot"].nunique()
    groups["invalid"] = invalid.reindex(groups.index, fill_value=0).astype(int)
    groups["dropped"] = np.where((trim > 0) & (groups["n"] > 2 * trim), 2 * trim, 0)
    groups["score"] = kept.groupby(keys, dropna=False)["score"].mean().reindex(groups.index).astype(float)
    groups = groups.reset_index()
    groups["weight"] = groups["rater_group"].map(weights).fillna(0.0).astype(float)
    groups["note"] = ""
    for i in groups.index[(trim > 0) & (groups["n"] <= 2 * trim)]:
        year, sec, group, item = groups.loc[i, keys]
        groups.loc[i, "note"] = (f"{sec} {_year(year)} 年“{names.get(group, group)}”对“{item}”的有效评分票仅 "
                                 f"{groups.loc[i, 'n']} 张，不足以去掉 {trim} 个最高分和 {trim} 个最低分，按全部评分求平均")
    present = groups[groups["score"].notna() & (groups["weight"] > 0)]
    by = ["year", "secretary", "item"]
    overall = groups.groupby(by, sort=True)[["n", "invalid", "dropped"]].sum().reset_index()
    ws = (present["weight"] * present["score"]).groupby([present[k] for k in by]).sum()
    w = present["weight"].groupby([present[k] for k in by]).sum()
    overall["score"] = overall.set_index(by).index.map((ws / w).to_dict()).astype(float)
    overall["rater_group"], overall["weight"], overall["note"] = "overall", 1.0, ""
    out = pd.concat([groups, overall], ignore_index=True)
    out["unit_name"] = _units(out["secretary"], cat)
    order = {g: i for i, g in enumerate([*sch.rater_groups["id"], "overall"])}
    out = out.sort_values(["year", "secretary", "item", "rater_group"], kind="stable",
                          key=lambda s: s.map(order) if s.name == "rater_group" else s)
    return out[TRIMMED_COLUMNS].reset_index(drop=True)


def ballot_count_warnings(ballot_sheets, scheme=None, *, catalog=None) -> list[str]:
    """Chinese warnings for each year, rater group and item whose ballots (valid and invalid,
    of every kind) do not number the group's declared ``size`` (groups without a size are not
    checked here; the ballots of one key counted once, however many secretaries it rates)."""
    frame, sch, _ = _inputs(ballot_sheets, scheme, catalog)
    return _count_warnings(_classify(frame, sch), sch)


def _count_warnings(frame: pd.DataFrame, sch) -> list[str]:
    sizes = {g: n for g, n in zip(sch.rater_groups["id"], sch.rater_groups["size"]) if n is not None and n == n}
    names = dict(zip(sch.rater_groups["id"], sch.rater_groups["name"]))
    out = []
    for (year, group, item), g in frame.groupby(["year", "rater_group", "item"], sort=True, dropna=False):
        if group not in sizes:
            continue
        n = g["ballot"].nunique()
        bad = g.loc[g["reason"] != "", "ballot"].nunique()
        if n != int(sizes[group]):
            out.append(f"测评票：{_year(year)} 年“{names.get(group, group)}”对“{item}”的测评票共 {n} 张（其中无效票 {bad} 张），"
                       f"应为 {int(sizes[group])} 张（指标体系规定该类评议人 {int(sizes[group])} 人）")
    return out


def with_ballot_sheets(ds, tallies: pd.DataFrame, sch, cat) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For :func:`~.review.review`: ``tallies`` plus the rating-type ballots of ``ds.ballot_sheets``
    counted (:func:`tally_ballots`), and the score-type ballots' :func:`trimmed_scores` — with a
    Chinese warning for each group whose ballots do not number its size; for each secretary, group
    and item found both in the 述职评议 tallies and in the 测评票 (the tallies count, the 测评票
    cells do not, as the intake does: ``ballots_given_twice``), and each group holding both
    rating-type and score-type ballots for one secretary and item (the score-type ones are then
    left out), and each group whose score-type ballots are too few to trim (not trimmed).
    Warnings name year, group, item and secretaries, one per year, group and item."""
    sheets = getattr(ds, "ballot_sheets", None)
    if sheets is None or sheets.empty:
        return tallies, pd.DataFrame(columns=TRIMMED_COLUMNS)
    frame, _, _ = _inputs(sheets, sch, cat)
    names = dict(zip(sch.rater_groups["id"], sch.rater_groups["name"]))
    keys = ["year", "secretary", "rater_group", "item"]

    def each_group(rows: pd.DataFrame):
        """(“2015 年“县级领导”对“总体评价”的评价，赵立新、钱文华”, rows) per year, group and item."""
        for (year, group, item), g in rows.groupby(["year", "rater_group", "item"], sort=True):
            who = "、".join(dict.fromkeys(g["secretary"].astype(str)))
            yield f"{_year(year)} 年“{names.get(group, group)}”对“{item}”的评价，{who}", g

    typed = set(map(tuple, tallies[keys].to_numpy()))
    twice = np.array([tuple(k) in typed for k in frame[keys].to_numpy()], dtype=bool)
    for what, g in each_group(frame[twice]):
        warn(f"{what}已按票数填在述职评议计票表中，测评票中的 {len(g)} 票（{_cells_text(g['source_cell'])}）未计入，"
             "以免重复计票；请只保留一种填报方式")
    frame = _classify(frame[~twice], sch)
    for message in _count_warnings(frame, sch):
        warn(message)
    counted = _tally(frame, cat)
    rated = typed | set(map(tuple, counted[keys].to_numpy()))
    scores = frame[(frame["kind"] == "score") & frame["score"].notna()]
    clash = np.array([tuple(k) in rated for k in scores[keys].to_numpy()], dtype=bool)
    for what, g in each_group(scores[clash]):
        warn(f"{what}既有评价档次票又有评分票，无法合并：按评价档次票计算，{g['ballot'].nunique()} 张评分票未计入，请核实")
    scored = _trimmed(frame.drop(index=scores.index[clash]), sch, cat)
    for (year, group, item), g in scored[scored["note"] != ""].groupby(["year", "rater_group", "item"], sort=True):
        few = "、".join(f"{s} {n} 张" for s, n in zip(g["secretary"], g["n"]))
        warn(f"{_year(year)} 年“{names.get(group, group)}”对“{item}”的有效评分票不足以去掉 {sch.trim} 个最高分和 "
             f"{sch.trim} 个最低分（{few}），按全部评分求平均")
    return pd.concat([tallies, counted], ignore_index=True), scored
