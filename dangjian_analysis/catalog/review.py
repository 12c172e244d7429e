"""The catalogue's 述职评议 scheme: ratings and points, rater groups, grade rules, the 好 cap, annual mix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from ._checks import Checker, is_kind

__all__ = ["ReviewScheme", "build_review", "RULE_METRICS", "CAP_BASES", "CAP_ROUNDINGS", "TIE_BREAK_DEFAULT"]

RULE_METRICS = ("score", "top_rate", "good_rate", "bad_rate")
#: ``review.top_grade_cap_base``: the cap counts all secretaries assessed that year, or each
#: secretary ``type`` (catalogue ``secretaries.type``) separately.
CAP_BASES = ("all", "type")
#: ``review.top_grade_cap_rounding``: how cap × n becomes a number of people.
CAP_ROUNDINGS = ("floor", "round", "ceil")
#: ``review.top_grade_tie_break``: default order of the criteria that rank the candidates for
#: the capped grade (加权得分, then 好票率, then 差评率 — lower is better for 差评率).
TIE_BREAK_DEFAULT = ("score", "top_rate", "bad_rate")
_RULE_RE = re.compile(r"^\s*(score|top_rate|good_rate|bad_rate)\s*(<=|>=|<|>)\s*([0-9.]+(?:\s*/\s*[0-9.]+)?)\s*$")


@dataclass(frozen=True)
class ReviewScheme:
    """The 述职评议 scheme: ratings and points, rater groups, grade rules, annual weights.

    ``grade_rules`` is a list of ``(grade, [(metric, op, value), ...])`` checked in order;
    the first rule any of whose conditions holds gives the grade, a rule with no
    conditions always holds. The rules run from the worst grade to the best, so the last
    (unconditional) rule names the best grade — the one ``top_grade_cap`` limits — and the
    rule before it the grade that those over the cap receive.

    The cap: at most ``top_grade_cap`` × n of the best grade, n counted per year over all
    secretaries assessed (``cap_base = "all"``) or per secretary type (``"type"``), cap × n
    rounded by ``cap_rounding`` (``floor`` default, ``round`` half up, ``ceil``) and never
    below one when n ≥ 1 and the cap is above 0. Candidates are ordered by ``tie_break``
    (metrics of :data:`RULE_METRICS`; 差评率 lower first, the others higher first); units
    still equal on every criterion across the cut get ``undecided`` (default 待定).

    Ballot rules (per-ballot 测评票): ``same_rating_invalid`` — a ballot that gives every secretary
    it rates (two or more) the same rating is invalid (按无效票处理); ``trim`` — in score-type 测评,
    each rater group's ``trim`` highest and ``trim`` lowest scores are dropped before the mean
    (``trim = 1``: 去掉一个最高分和一个最低分后求平均分).

    ``rater_groups["size"]`` is the number of raters of a group where the catalogue
    declares it (``size``): for each secretary, year and item, the ballots of that group
    must add up to it (else to the total most secretaries have).
    """

    ratings: pd.DataFrame          # rating, points (best first)
    invalid: tuple[str, ...]
    items: tuple[str, ...]
    top_grade_cap: float
    cap_base: str                  # "all" | "type"
    cap_rounding: str              # "floor" | "round" | "ceil"
    tie_break: tuple[str, ...]     # metrics of RULE_METRICS, first criterion first
    undecided: str                 # grade given to units still tied at the cut
    rater_groups: pd.DataFrame     # id, name, weight, size (raters in the group; None: not declared)
    grade_rules: tuple[tuple[str, tuple[tuple[str, str, float], ...]], ...]
    annual: dict[str, float]
    same_rating_invalid: bool = False   # a ballot rating every secretary alike is invalid
    trim: int = 0                       # highest and lowest scores each rater group drops (score-type 测评)


def build_review(chk: Checker) -> ReviewScheme:
    """``review``: every table of the scheme checked, the last grade rule unconditional."""
    review = chk.raw.get("review")
    if review is None:
        chk.fail("review", "缺失：需要述职评议方案")
    chk.check_keys(review, "review", "review")
    ratings = []
    for i, r in enumerate(chk.need(review, "ratings", "review", list)):
        where = f"review.ratings[{i}]"
        chk.check_keys(r, "review.ratings", where)
        ratings.append({"rating": chk.need(r, "rating", where, str),
                        "points": float(chk.need(r, "points", where, "number"))})
    if len(ratings) < 2:
        chk.fail("review.ratings", "至少需要两个评价档次")
    groups = []
    for i, g in enumerate(chk.need(review, "rater_groups", "review", list)):
        where = f"review.rater_groups[{i}]"
        chk.check_keys(g, "review.rater_groups", where)
        gid = chk.need(g, "id", where, str)
        size = chk.opt(g, "size", where, int)
        if size is not None and size <= 0:
            chk.fail(f"{where}（id = {gid}）.size", f"是该类评议人的人数，必须为正整数，实际为 {size}")
        groups.append({"id": gid, "name": chk.opt(g, "name", where, str, gid),
                       "weight": chk.positive(chk.need(g, "weight", where, "number"),
                                              f"{where}（id = {gid}）.weight"),
                       "size": size})
    for key in ("id", "name"):
        seen = [g[key] for g in groups]
        if len(set(seen)) < len(seen):
            twice = next(v for v in seen if seen.count(v) > 1)
            chk.fail(f"review.rater_groups.{key}", f"重复：“{twice}”出现不止一次")
    rules = _grade_rules(chk, review)
    annual = chk.opt(review, "annual", "review", dict, {})
    chk.check_keys(annual, "review.annual", "review.annual")
    annual = {k: float(chk.opt(annual, k, "review.annual", "number", v))
              for k, v in {"routine": 0.5, "review": 0.3, "satisfaction": 0.2}.items()}
    cap = _cap(chk, review.get("top_grade_cap", 0))
    if cap > 0 and len(rules) < 2:
        chk.fail("review.top_grade_cap", "需要至少两条等次规则：超出名额者降为倒数第二条规则的等次")
    base, rounding, tie_break, undecided = _cap_rules(chk, review, {g for g, _ in rules})
    same = chk.opt(review, "same_rating_invalid", "review", bool, False)
    trim = chk.opt(review, "trim", "review", int, 0)
    if trim < 0:
        chk.fail("review.trim", f"是每类评议人去掉的最高分和最低分的个数，应为 0 或正整数，实际为 {trim}")
    return ReviewScheme(
        ratings=pd.DataFrame(ratings),
        invalid=tuple(chk.opt(review, "invalid", "review", list, [])),
        items=tuple(chk.need(review, "items", "review", list)),
        top_grade_cap=cap,
        cap_base=base,
        cap_rounding=rounding,
        tie_break=tie_break,
        undecided=undecided,
        rater_groups=pd.DataFrame(groups, columns=["id", "name", "weight", "size"]).astype({"size": object}),
        grade_rules=rules,
        annual=annual,
        same_rating_invalid=same,
        trim=trim,
    )


def _grade_rules(chk: Checker, review: dict) -> tuple:
    """``review.grade_rules`` as ``((grade, ((metric, op, value), ...)), ...)``."""
    rules = []
    for i, r in enumerate(chk.need(review, "grade_rules", "review", list)):
        where = f"review.grade_rules[{i}]"
        chk.check_keys(r, "review.grade_rules", where)
        conditions = []
        for j, cond in enumerate(chk.opt(r, "any", where, list, [])):
            m = _RULE_RE.match(cond) if isinstance(cond, str) else None
            if not m:
                chk.fail(f"{where}.any[{j}]", f"无法识别 {cond!r}；应写成“score < 60”这样的形式，"
                                              f"可用量：{'、'.join(RULE_METRICS)}")
            conditions.append((m[1], m[2], float(Fraction(m[3].replace(" ", "")))))
        rules.append((chk.need(r, "grade", where, str), tuple(conditions)))
    if not rules or rules[-1][1]:
        chk.fail("review.grade_rules", "最后一条规则应不带条件（兜底等次）")
    return tuple(rules)


def _cap(chk: Checker, cap) -> float:
    """``review.top_grade_cap``: a number or a fraction such as ``"1/3"``, in [0, 1]."""
    if isinstance(cap, str) and re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", cap):
        cap = float(Fraction(cap.replace(" ", "")))
    elif not is_kind(cap, "number"):
        chk.fail("review.top_grade_cap", f"应为数值或分数（如 \"1/3\"），实际为 {cap!r}")
    cap = float(cap)
    if not 0 <= cap <= 1:
        chk.fail("review.top_grade_cap", f"应在 0 与 1 之间，实际为 {cap}")
    return cap


def _cap_rules(chk: Checker, review: dict, grades: set[str]) -> tuple[str, str, tuple[str, ...], str]:
    """``review.top_grade_cap_base``, ``_rounding``, ``top_grade_tie_break``, ``top_grade_undecided``."""
    base = chk.opt(review, "top_grade_cap_base", "review", str, "all")
    if base not in CAP_BASES:
        chk.fail("review.top_grade_cap_base", f"应为 all（全体参评书记）或 type（按书记类别分别计算），实际为 {base!r}")
    rounding = chk.opt(review, "top_grade_cap_rounding", "review", str, "floor")
    if rounding not in CAP_ROUNDINGS:
        chk.fail("review.top_grade_cap_rounding",
                 f"应为 floor（向下取整）、round（四舍五入）或 ceil（向上取整），实际为 {rounding!r}")
    order = chk.opt(review, "top_grade_tie_break", "review", list, list(TIE_BREAK_DEFAULT))
    for j, m in enumerate(order):
        if m not in RULE_METRICS:
            chk.fail(f"review.top_grade_tie_break[{j}]", f"无法识别 {m!r}；可用量：{'、'.join(RULE_METRICS)}")
    if len(set(order)) < len(order):
        twice = next(m for m in order if order.count(m) > 1)
        chk.fail("review.top_grade_tie_break", f"重复：“{twice}”出现不止一次")
    undecided = chk.opt(review, "top_grade_undecided", "review", str, "待定")
    if not undecided.strip() or undecided in grades:
        chk.fail("review.top_grade_undecided", f"应为不同于各等次名称的非空文字（如“待定”），实际为 {undecided!r}")
    return base, rounding, tuple(order), undecided
