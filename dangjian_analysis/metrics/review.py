"""述职评议: ballots to rates, weighted scores, grades and ranks; the annual assessment.

Ratings are ordinal, so the output keeps the full distribution (one count column per
rating) beside the rates and the weighted score.
"""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from ._frames import catalog_of, rank_desc

__all__ = ["review", "annual_assessment", "secretary_townships"]

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


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
    when a group is absent). The grade follows the scheme's ordered rules (first rule
    that holds), then the cap on 好 (at most ``top_grade_cap`` of those assessed,
    rounded down; the lowest-scoring 好 move to the next grade). ``rank`` is within
    secretary type, highest score first.

    Parameters
    ----------
    ballots : DataFrame or Dataset
        ``year, secretary, unit_name, rater_group, item, rating, count``.
    scheme : ReviewScheme or Catalog, optional
        Default: the catalogue's.

    Returns
    -------
    DataFrame
        ``year, secretary, unit_name, type, rater_group`` (group id or ``overall``),
        ``valid, invalid``, one count column per rating, ``top_rate, good_rate, bad_rate,
        score, weight, grade, rank`` (grade and rank on overall rows).
    """
    sch, cat = _scheme(ballots, scheme, catalog)
    frame = ballots.ballots if hasattr(ballots, "ballots") else ballots
    item = item or sch.items[0]
    frame = frame[frame["item"] == item]
    ratings = list(sch.ratings["rating"])
    points = dict(zip(sch.ratings["rating"], sch.ratings["points"]))
    keys = ["year", "secretary", "unit_name"]
    wide = frame.pivot_table(index=[*keys, "rater_group"], columns="rating", values="count", aggfunc="sum",
                             fill_value=0)
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
    overall["rater_group"] = "overall"
    overall = _rates(overall, ratings)
    present = per_group[per_group["valid"] > 0]
    ws = (present["weight"] * present["score"]).groupby([present[k] for k in keys]).sum()
    w = present["weight"].groupby([present[k] for k in keys]).sum()
    overall["score"] = overall.set_index(keys).index.map((ws / w).to_dict())
    overall["weight"] = 1.0
    overall["grade"] = [_grade(sch.grade_rules, s, t, g, b) for s, t, g, b in
                        zip(overall["score"], overall["top_rate"], overall["good_rate"], overall["bad_rate"])]
    overall = _cap(overall, sch, ratings)
    types = dict(zip(cat.secretaries["name"], cat.secretaries["type"]))
    overall["type"] = overall["secretary"].map(types)
    overall["rank"] = rank_desc(overall["score"], [overall["year"], overall["type"]])
    per_group["type"] = per_group["secretary"].map(types)
    out = pd.concat([per_group, overall], ignore_index=True)
    group_order = {g: i for i, g in enumerate([*sch.rater_groups["id"], "overall"])}
    out = out.sort_values(["year", "secretary", "rater_group"],
                          key=lambda s: s.map(group_order) if s.name == "rater_group" else s, kind="stable")
    cols = [*keys, "type", "rater_group", "valid", "invalid", *ratings, "top_rate", "good_rate", "bad_rate",
            "score", "weight", "grade", "rank"]
    return out.reindex(columns=cols).reset_index(drop=True)


def _rates(frame: pd.DataFrame, ratings: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    valid = frame["valid"].where(frame["valid"] > 0)
    frame["top_rate"] = frame[ratings[0]] / valid
    frame["good_rate"] = (frame[ratings[0]] + frame[ratings[1]]) / valid
    frame["bad_rate"] = frame[ratings[-1]] / valid
    frame["score"] = frame["points"] / valid
    return frame.drop(columns="points")


def _grade(rules, score, top_rate, good_rate, bad_rate):
    if pd.isna(score):
        return None
    values = {"score": score, "top_rate": top_rate, "good_rate": good_rate, "bad_rate": bad_rate}
    for grade, conditions in rules:
        if not conditions or any(_OPS[op](values[m], v) for m, op, v in conditions):
            return grade
    return rules[-1][0]  # pragma: no cover - the last rule has no conditions


def _cap(overall: pd.DataFrame, sch, ratings: list[str]) -> pd.DataFrame:
    """At most floor(cap × n) of the best grade (好) per year; the lowest-scoring others
    move to the next grade (较好)."""
    if not sch.top_grade_cap:
        return overall
    best, next_grade = ratings[0], ratings[1]
    overall = overall.copy()
    for _, g in overall.groupby("year"):
        limit = int(np.floor(sch.top_grade_cap * len(g) + 1e-9))
        top = g[g["grade"] == best].sort_values(["score", "secretary"], ascending=[False, True])
        overall.loc[top.index[limit:], "grade"] = next_grade
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


def annual_assessment(routine: pd.DataFrame, review_scores: pd.DataFrame, satisfaction: pd.DataFrame | None = None,
                      *, catalog=None) -> pd.DataFrame:
    """The annual composite per secretary and year.

    annual = (w_r·routine + w_v·review + w_s·satisfaction) / (sum of the weights of the
    parts present), weights from the scheme's ``annual`` (default 50/30/20).
    ``routine`` is the township's overall index (rows of ``score_composite`` with group
    ``overall``: ``unit_name, year, score``), ``review_scores`` the overall rows of
    :func:`review`, ``satisfaction`` a frame ``township, year, value`` (0–100). County
    secretaries without a township get the parts they have; ``parts`` says which.

    Returns
    -------
    DataFrame
        ``year, secretary, unit_name, type, township, routine, review, satisfaction,
        annual, parts, rank, grade`` (grade by the catalogue's bands).
    """
    cat = catalog_of(review_scores, catalog)
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
    num = sum(out[k].fillna(0) * v for k, v in parts.items())
    den = sum(out[k].notna() * v for k, v in parts.items())
    out["annual"] = num / den.where(den > 0)
    names = {"routine": "日常考核", "review": "述职评议", "satisfaction": "群众满意度"}
    out["parts"] = ["+".join(names[k] for k in parts if pd.notna(row[k])) for _, row in out.iterrows()]
    out["rank"] = rank_desc(out["annual"], [out["year"], out["type"]])
    out["grade"] = cat.grades(out["annual"])
    cols = ["year", "secretary", "unit_name", "type", "township", "routine", "review", "satisfaction", "annual",
            "parts", "rank", "grade"]
    return out[cols].sort_values(["year", "type", "rank"], kind="stable").reset_index(drop=True)
