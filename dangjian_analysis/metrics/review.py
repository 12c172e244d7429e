"""述职评议: ballots to rates, weighted scores, grades and ranks; the annual assessment.

Ratings are ordinal, so the output keeps the full distribution (one count column per
rating) beside the rates and the weighted score. Scores and rates are compared with the
grade rules, the 好 cap and ranked after :func:`~._frames.settle` (rounded to
:data:`~._frames.DECIMALS` decimals), so a score of exactly 90 on paper is 90.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import pandas as pd

from ._frames import DECIMALS, catalog_of, rank_desc, require, settle, warn, with_catalog
from ._lookup import catalog_from, need_columns
from .ballots import with_ballot_sheets

__all__ = ["review", "annual_assessment", "secretary_townships", "describe_scheme"]

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
#: Chinese names of the rule metrics, for notes and messages.
METRIC_NAMES = {"score": "加权得分", "top_rate": "好票率", "good_rate": "好评率", "bad_rate": "差评率"}
_ROUNDING_NAMES = {"floor": "向下取整", "round": "四舍五入", "ceil": "向上取整"}
_UNLISTED = "名录外"


def _scheme(ballots, scheme, catalog):
    if scheme is not None and not hasattr(scheme, "review"):
        return scheme, catalog_of(ballots, catalog)
    cat = scheme if scheme is not None else catalog_of(ballots, catalog)
    return cat.review, cat


def review(ballots, scheme=None, *, catalog=None, item: str | None = None) -> pd.DataFrame:
    """Per secretary and year: valid votes, rates, weighted score, grade and rank.

    On one item (default: the scheme's first, 总体评价), for each rater group g and
    overall: ``valid`` = ballots rating one of the scheme's ratings (不了解 and blanks
    excluded, counted in ``invalid``); 好票率 ``top_rate`` = 好/valid; 好评率
    ``good_rate`` = (好 + 较好)/valid; 差评率 ``bad_rate`` = 差/valid (rates pooled
    over all groups for the overall row); group score S_g = Σ points × count / valid;
    overall ``score`` = Σ w_g S_g / Σ w_g over the groups present (weights renormalised
    when a group is absent).

    Grade: the scheme's ordered rules, the first rule any of whose conditions holds, each
    comparison made on settled values (score, rates and the rule's threshold rounded to
    :data:`~._frames.DECIMALS` decimals: a score that is 90 on paper but
    89.99999999999999 in floating point is 90). Then the cap on the best grade (the last,
    unconditional rule's; 好 by default), configured in the catalogue's ``[review]``:

    - **base** ``top_grade_cap_base``: n = the secretaries assessed that year (``all``,
      default) or those of each ``type`` (catalogue ``secretaries.type``, ``type``);
    - **rounding** ``top_grade_cap_rounding``: limit = floor(cap × n) (default;
      ``round`` half up, ``ceil``), and at least 1 when n ≥ 1 and cap > 0 — with 2
      secretaries and a cap of 1/3 one may still be 好;
    - **ties** ``top_grade_tie_break``: the candidates are ordered by weighted score, then
      好票率, then 差评率 (lower first) by default; the first ``limit`` keep 好, the
      others get the grade of the rule before (较好). Candidates equal on every criterion
      (after settling) who straddle the cut all get ``top_grade_undecided`` (待定) for the
      committee to decide — never the order of their names. ``grade_note`` says why.

    ``rank`` is within year and secretary type, highest settled score first, ties sharing
    the lowest number (1, 2, 2, 4).

    Per-ballot sheets (测评票, :mod:`.ballots`): when ``ballots`` is a Dataset whose
    ``ballot_sheets`` holds rows, its rating-type ballots are added to the tallies after the
    invalid-ballot rule (the votes of an invalid ballot count in ``invalid``), and a group's
    score-type ballots give its S_g directly, as their trimmed mean (``[review] trim``;
    ``valid`` = the ballots scoring the secretary, the group's rates NaN). Overall rates pool
    the rating-type votes only (NaN for a secretary with score-type ballots alone); a
    comparison with a NaN rate never holds, so for such a secretary **only the score
    conditions of the grade rules decide**, and in the cap a missing rate ranks last. A
    group whose ballots do not number its declared ``size`` is one Chinese warning (year,
    group, item); the table is still returned. :func:`~.ballots.invalid_ballots` lists the
    invalid ballots with their cells and reasons.

    Parameters
    ----------
    ballots : DataFrame or Dataset
        ``year, secretary, unit_name, rater_group, item, rating, count``.
    scheme : ReviewScheme or Catalog, optional
        Default: the catalogue's (the one given, the Dataset's or the table's, else the default).
    catalog : Catalog or path, optional
    item : str, optional
        The review item; one that the ballots hold (else a Chinese ``ValueError``).

    Returns
    -------
    DataFrame
        ``year, secretary, unit_name, type, rater_group`` (group id or ``overall``),
        ``valid, invalid``, one count column per rating, ``top_rate, good_rate, bad_rate,
        score, weight, grade, grade_note, rank`` (grade, note and rank on overall rows);
        carries its catalogue (``attrs["catalog"]``).

    Examples
    --------
    Two groups present, county leaders (0.30) all 好 (S = 100) and residents (0.15)
    half 好 half 较好 (S = 90): score = (0.30·100 + 0.15·90)/0.45 = 96.67; one secretary
    assessed, floor(1/3) = 0 but at least one 好:

    >>> b = pd.DataFrame({"year": 2015, "secretary": "赵立新", "unit_name": "东山镇党委", "item": "总体评价",
    ...                   "rater_group": ["county_leaders", "residents", "residents"],
    ...                   "rating": ["好", "好", "较好"], "count": [4, 1, 1]})
    >>> review(b).query("rater_group == 'overall'")[["score", "grade"]].round(2).values.tolist()
    [[96.67, '好']]
    """
    sch, cat = _scheme(ballots, scheme, catalog)
    frame = ballots.ballots if hasattr(ballots, "ballots") else ballots
    keys = ["year", "secretary", "unit_name"]
    need_columns(frame, [*keys, "rater_group", "item", "rating", "count"], "述职评议计票表")
    frame, scored = with_ballot_sheets(ballots, frame, sch, cat)
    if frame.empty and scored.empty and item is None:   # no 述职评议计票 yet (early in a season): nothing to score
        cols = [*keys, "type", "rater_group", "valid", "invalid", *sch.ratings["rating"], "top_rate", "good_rate",
                "bad_rate", "score", "weight", "grade", "grade_note", "rank"]
        return with_catalog(pd.DataFrame(columns=cols), cat)
    item = require(item or sch.items[0], [*frame["item"].dropna().unique(), *scored["item"].unique()], "评议项目")
    ratings = list(sch.ratings["rating"])
    per_group, overall = _group_scores(frame[frame["item"] == item], scored[scored["item"] == item], sch, ratings)
    overall["type"] = _types(overall["secretary"], cat)
    per_group["type"] = _types(per_group["secretary"], cat, quiet=True)
    overall["grade"] = _grades(overall, sch.grade_rules)
    overall = _cap(overall, sch)
    overall["rank"] = rank_desc(pd.Series(settle(overall["score"]), index=overall.index),
                                [overall["year"], overall["type"]])
    out = pd.concat([per_group, overall], ignore_index=True)
    group_order = {g: i for i, g in enumerate([*sch.rater_groups["id"], "overall"])}
    out = out.sort_values(["year", "secretary", "rater_group"],
                          key=lambda s: s.map(group_order) if s.name == "rater_group" else s, kind="stable")
    cols = [*keys, "type", "rater_group", "valid", "invalid", *ratings, "top_rate", "good_rate", "bad_rate",
            "score", "weight", "grade", "grade_note", "rank"]
    return with_catalog(out.reindex(columns=cols).reset_index(drop=True), cat)


def _group_scores(frame: pd.DataFrame, scored: pd.DataFrame, sch, ratings: list[str]):
    """(per-group rows, overall rows) of one item: tallies → counts, rates and S_g; score-type
    groups (``scored``: rows of :func:`~.ballots.trimmed_scores`) → valid = n, S_g = the trimmed
    mean, rates NaN. Overall rates pool the tallies only; overall score = Σ w_g S_g / Σ w_g."""
    keys = ["year", "secretary", "unit_name"]
    points = dict(zip(sch.ratings["rating"], sch.ratings["points"]))
    if frame.empty:
        wide = pd.DataFrame(columns=ratings, index=pd.MultiIndex.from_tuples([], names=[*keys, "rater_group"]),
                            dtype=float)
    else:
        wide = frame.assign(count=pd.to_numeric(frame["count"])).pivot_table(   # counts as numbers, never object
            index=[*keys, "rater_group"], columns="rating", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=sorted(set(wide.columns) | set(ratings)), fill_value=0)
    counts = wide[ratings]
    groups = pd.DataFrame(index=wide.index)
    groups["valid"] = counts.sum(axis=1)
    groups["invalid"] = wide.drop(columns=ratings).sum(axis=1)
    for r in ratings:
        groups[r] = counts[r]
    groups["points"] = sum(counts[r] * points[r] for r in ratings)
    weights = dict(zip(sch.rater_groups["id"], sch.rater_groups["weight"]))
    groups = groups.reset_index()
    groups["weight"] = groups["rater_group"].map(weights).fillna(0.0)
    per_group = _rates(groups, ratings)
    overall = groups.groupby(keys, sort=True)[["valid", "invalid", *ratings, "points"]].sum().reset_index()
    overall = _rates(overall, ratings)
    s_groups = scored[scored["rater_group"] != "overall"].rename(columns={"n": "valid"})
    if not s_groups.empty:
        scored_rows = s_groups[[*keys, "rater_group", "valid", "invalid", "score", "weight"]]
        per_group = (scored_rows.reset_index(drop=True) if per_group.empty else      # no tallies: nothing to join
                     pd.concat([per_group, scored_rows], ignore_index=True))
        extra = s_groups.groupby(keys, sort=True)[["valid", "invalid"]].sum()
        overall = overall.set_index(keys)
        both = overall.index.union(extra.index)
        overall = overall.reindex(both)
        for c in ("valid", "invalid"):
            overall[c] = (overall[c].astype(float).fillna(0.0) + extra[c].reindex(both).astype(float).fillna(0.0)).astype(int)
        overall = overall.reset_index()
    overall["rater_group"] = "overall"
    present = per_group[per_group["valid"] > 0]
    ws = (present["weight"] * present["score"]).groupby([present[k] for k in keys]).sum()
    w = present["weight"].groupby([present[k] for k in keys]).sum()
    overall["score"] = overall.set_index(keys).index.map((ws / w).to_dict()).astype(float)
    overall["weight"] = 1.0
    return per_group, overall


def _types(secretaries: pd.Series, cat, quiet: bool = False) -> pd.Series:
    """Each secretary's catalogue ``type``; secretaries not in the catalogue get 名录外 (warned)."""
    types = secretaries.map(dict(zip(cat.secretaries["name"], cat.secretaries["type"])))
    unlisted = sorted(set(secretaries[types.isna()]))
    if unlisted and not quiet:
        warn(f"以下书记不在指标体系的书记名录中，类别记为“{_UNLISTED}”：{'、'.join(map(str, unlisted))}")
    return types.fillna(_UNLISTED)


def _rates(frame: pd.DataFrame, ratings: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    valid = frame["valid"].where(frame["valid"] > 0)
    frame["top_rate"] = frame[ratings[0]] / valid
    frame["good_rate"] = (frame[ratings[0]] + frame[ratings[1]]) / valid
    frame["bad_rate"] = frame[ratings[-1]] / valid
    frame["score"] = frame["points"] / valid
    return frame.drop(columns="points")


def _grades(overall: pd.DataFrame, rules) -> list:
    """The first rule any of whose conditions holds, comparing settled values with settled thresholds."""
    values = {m: settle(overall[m]) for m in METRIC_NAMES}
    rules = [(grade, [(m, _OPS[op], round(float(v), DECIMALS)) for m, op, v in conditions])
             for grade, conditions in rules]
    out = []
    for i in range(len(overall)):
        if np.isnan(values["score"][i]):
            out.append(None)
            continue
        out.append(next(grade for grade, conditions in rules
                        if not conditions or any(op(values[m][i], v) for m, op, v in conditions)))
    return out


def _limit(cap: float, n: int, rounding: str = "floor") -> int:
    """How many of n may have the best grade: cap × n (settled) rounded by ``rounding``, at least
    1 when n ≥ 1 and cap > 0, at most n."""
    if n <= 0 or cap <= 0:
        return 0
    x = float(settle(cap * n))
    k = {"floor": math.floor(x), "ceil": math.ceil(x), "round": math.floor(x + 0.5)}[rounding]
    return int(min(n, max(1, k)))


def _fraction(cap: float) -> str:
    """1/3 for 0.333…, 25% otherwise."""
    f = Fraction(cap).limit_denominator(20)
    return f"{f.numerator}/{f.denominator}" if abs(float(f) - cap) < 1e-9 else f"{cap:.1%}"


def _cap(overall: pd.DataFrame, sch) -> pd.DataFrame:
    """The best grade for at most :func:`_limit` of each base group; see :func:`review`."""
    overall = overall.copy()
    overall["grade_note"] = ""
    if not sch.top_grade_cap:
        return overall
    best, lower = sch.grade_rules[-1][0], sch.grade_rules[-2][0]
    by = ["year"] if sch.cap_base == "all" else ["year", "type"]
    criteria = "、".join(METRIC_NAMES[m] for m in sch.tie_break) or "（无比较指标）"
    for _, g in overall[overall["score"].notna()].groupby(by, sort=True):
        n, limit = len(g), _limit(sch.top_grade_cap, len(g), sch.cap_rounding)
        top = g[g["grade"] == best]
        if len(top) <= limit:
            continue
        key = pd.DataFrame({m: settle(top[m]) * (1 if m == "bad_rate" else -1) for m in sch.tie_break},
                           index=top.index)
        key = key.fillna(np.inf)                           # a missing rate (score-type 测评) ranks last
        key["_"] = 0.0                                     # no criteria: every candidate ties
        ordered = key.sort_values(list(key.columns), kind="stable")
        rows = [tuple(r) for r in ordered.to_numpy()]
        base = f"{'当年全体参评书记' if len(by) == 1 else '本类别参评书记'} {n} 人"
        quota = (f"“{best}”名额 {limit} 名（{base} × {_fraction(sch.top_grade_cap)}，"
                 f"{_ROUNDING_NAMES[sch.cap_rounding]}，至少 1 名）")
        cut = rows[limit - 1]
        if rows[limit] == cut:                            # a tie straddles the cut
            block = [i for i, r in zip(ordered.index, rows) if r == cut]
            first = rows.index(cut)
            for i in block:
                others = "、".join(overall.loc[j, "secretary"] for j in block if j != i)
                overall.loc[i, ["grade", "grade_note"]] = [
                    sch.undecided, f"{quota}：与{others}在{criteria}上完全相同，{len(block)} 人并列争 "
                                   f"{limit - first} 个名额，待评议委员会确定"]
            below = [i for i, r in zip(ordered.index, rows) if r > cut]
        else:
            below = list(ordered.index[limit:])
        for pos, i in enumerate(ordered.index, start=1):
            if i in below:
                overall.loc[i, ["grade", "grade_note"]] = [
                    lower, f"{quota}已满：在 {len(top)} 名符合“{best}”条件的书记中按{criteria}依次比较排第 {pos} 位，"
                           f"评为“{lower}”"]
    return overall


def secretary_townships(catalog=None) -> dict[str, str]:
    """Secretary name → township, for secretaries whose unit is a township's committee."""
    cat = catalog_of(None, catalog)
    out = {}
    for name, unit in zip(cat.secretaries["name"], cat.secretaries["unit"]):
        for town in cat.townships["unit_name"]:
            if str(unit).startswith(town):
                out[name] = town
    return out


def _annual_catalog(catalog, review_scores, routine):
    """The catalogue given, else the one the review table carries, else the routine table's;
    two tables computed with different catalogues are an error, not a silent choice."""
    if catalog is not None:
        return catalog_from(catalog)
    carried = [t.attrs["catalog"] for t in (review_scores, routine)
               if isinstance(getattr(t, "attrs", None), dict) and t.attrs.get("catalog") is not None]
    if len(carried) == 2 and carried[0] is not carried[1] and carried[0].sha256 != carried[1].sha256:
        raise ValueError(f"述职评议结果（指标体系 {carried[0].source}）和日常考核得分（指标体系 "
                         f"{carried[1].source}）不是用同一指标体系计算的：请用同一指标体系重新计算，或用 catalog= 指定")
    return carried[0] if carried else catalog_from(None)


def annual_assessment(routine: pd.DataFrame, review_scores: pd.DataFrame, satisfaction: pd.DataFrame | None = None,
                      *, catalog=None) -> pd.DataFrame:
    """The annual composite per secretary and year.

    annual = (w_r·routine + w_v·review + w_s·satisfaction) / (sum of the weights of the
    parts present), weights from the scheme's ``annual`` (default 50/30/20).
    ``routine`` is the township's overall index (rows of ``score_composite`` with group
    ``overall``: ``unit_name, year, score``), ``review_scores`` the overall rows of
    :func:`review`, ``satisfaction`` a frame ``township, year, value`` (0–100). County
    secretaries without a township get the parts they have; ``parts`` says which.
    The catalogue is the one given, else the one ``review_scores`` (or ``routine``)
    carries; grades and ranks use the settled annual score.

    Returns
    -------
    DataFrame
        ``year, secretary, unit_name, type, township, routine, review, satisfaction,
        annual, parts, rank, grade`` (grade by the catalogue's bands); carries its catalogue.
    """
    need_columns(review_scores, ["year", "secretary", "unit_name", "type", "score"], "述职评议结果（review 的输出）")
    need_columns(routine, ["unit_name", "year", "score"], "日常考核得分（score_composite 的输出）")
    if satisfaction is not None:
        need_columns(satisfaction, ["township", "year", "value"], "群众满意度表（township、year、value）")
    cat = _annual_catalog(catalog, review_scores, routine)
    w = cat.review.annual
    rev = review_scores[review_scores["rater_group"] == "overall"] if "rater_group" in review_scores else review_scores
    out = rev[["year", "secretary", "unit_name", "type", "score"]].rename(columns={"score": "review"}).copy()
    out["township"] = out["secretary"].map(secretary_townships(cat))
    r = routine[routine["group"] == "overall"] if "group" in routine.columns else routine
    out = out.merge(r[["unit_name", "year", "score"]].rename(columns={"unit_name": "township", "score": "routine"}),
                    on=["township", "year"], how="left")
    if satisfaction is not None:
        out = out.merge(satisfaction[["township", "year", "value"]].rename(columns={"value": "satisfaction"}),
                        on=["township", "year"], how="left")
    else:
        out["satisfaction"] = np.nan
    parts = {"routine": w["routine"], "review": w["review"], "satisfaction": w["satisfaction"]}
    values = {k: pd.to_numeric(out[k], errors="coerce").astype(float) for k in parts}   # an all-missing part: object
    num = sum(values[k].fillna(0.0) * v for k, v in parts.items())
    den = sum(values[k].notna() * v for k, v in parts.items())
    out["annual"] = num / den.where(den > 0)
    names = {"routine": "日常考核", "review": "述职评议", "satisfaction": "群众满意度"}
    out["parts"] = ["+".join(names[k] for k in parts if pd.notna(row[k])) for _, row in out.iterrows()]
    settled = pd.Series(settle(out["annual"]), index=out.index)
    out["rank"] = rank_desc(settled, [out["year"], out["type"]])
    out["grade"] = cat.grades(settled)
    cols = ["year", "secretary", "unit_name", "type", "township", "routine", "review", "satisfaction", "annual",
            "parts", "rank", "grade"]
    out = out[cols].sort_values(["year", "type", "rank"], kind="stable").reset_index(drop=True)
    return with_catalog(out, cat)


def _condition(metric: str, op: str, value: float) -> str:
    shown = f"{value:.0%}" if metric != "score" else f"{value:g} 分"
    if metric != "score" and abs(value * 3 - 1) < 1e-9:
        shown = "1/3"
    return f"{METRIC_NAMES[metric]} {op.replace('>=', '≥').replace('<=', '≤')} {shown}"


def describe_scheme(catalog) -> list[str]:
    """The 述职评议 scheme of ``catalog`` in sentences for the report: the grade rules (first
    that applies, in the catalogue's own grade names), the cap on the top grade, and the
    weights of the 年度综合考核 with the rule for secretaries without a township (县直)."""
    sch = catalog.review
    ladder = [g for g, _ in sch.grade_rules]
    rules = "；".join(f"“{grade}”：{'，或'.join(_condition(*c) for c in conditions)}"
                      for grade, conditions in sch.grade_rules if conditions)
    out = [f"述职评议等次按以下规则从低到高依次判定，符合即定：{rules}；其余为“{ladder[-1]}”。"]
    if sch.top_grade_cap:
        cap = Fraction(sch.top_grade_cap).limit_denominator(100)
        base = "当年全体参评书记" if sch.cap_base == "all" else "同类别参评书记"
        out.append(f"评为“{ladder[-1]}”的不超过{base}的 {cap}（{_ROUNDING_NAMES[sch.cap_rounding]}，至少 1 名），"
                   f"超出的评为“{ladder[-2]}”；名额边界上得分等各项都相同的，定为“{sch.undecided}”，由考核委员会决定。")
    names = {"routine": "日常考核（乡镇综合指数）", "review": "述职评议", "satisfaction": "群众满意度"}
    parts = "＋".join(f"{names.get(k, k)} × {w:.0%}" for k, w in sch.annual.items())
    out.append(f"年度综合考核 = {parts}；县直党（工）委书记没有乡镇综合指数和群众满意度，"
               "按已有部分的权重重新归一计算（“计入部分”见汇总表）。")
    return out

