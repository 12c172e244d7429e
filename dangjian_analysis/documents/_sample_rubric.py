"""Private: the sample county's 考核细则 rows — 加减分台账, 考核清单 and 测评票 — as the county's clerk
types them into the workbook that :mod:`dangjian_analysis.sample` writes. (It lives here, beside
the templates the sample fills, because the package keeps no private module at its top level.)

Every year gets a ledger and a checklist drawn with the seeded rng (a few incidents, 加分 and
checks not done). The last year is written out entry by entry (:data:`_LAST_YEAR`) so that the
sample report shows every rule kind of the default rubric:

- A02 incidents; A03 with each 职务 (书记, 班子成员, 支部书记); A04 with each 严重程度, and 青石乡党委
  with 严重 + 较重 = 6 > 5 points (扣完为止); D03 incidents on 县直 units;
- 加分: 县直机关工委 J01 ×2 (4 over the item cap 3) + J02 ×2 + J03 = 8 over the pool cap 5;
  金谷镇党委 J01 ×2 over the item cap; K01 and K02 (by 职务) 直接扣分;
- F01 (not_top) on 金谷镇党委, the township that would otherwise be first; F02 (disqualify) on
  县公安局党委; 红旗乡党委 without entries, so that its band 较好 meets the gate G01 (满意度 < 82);
- a **quota tie**: 县卫生系统党委 and 县国资委党委 get the same entries, the same checks not done
  and the same ballots, so their annual results are equal; with 县公安局党委 disqualified 8 县直
  units count for the 好 quota (1/3 → 2), 县直机关工委 is first and the pair shares places 2–3:
  they straddle the cut (待定);
- 测评票: the 党员群众代表's ballots of the last year, one row a ballot and item, one column a
  secretary (their tallies are not in 述职评议), with two ballots rating every secretary alike.

Entries naming an id the catalogue's rubric lacks, or a unit it does not assess, are left out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..catalog.tables import ADJUSTMENT_COLUMNS, BALLOT_SHEET_COLUMNS, CHECKLIST_COLUMNS, as_dates

__all__ = ["rubric_tables", "ballot_sheets", "ballot_sheet_table", "twin_tallies", "TIE_UNITS", "BALLOT_GROUP"]

#: Two 县直 units with identical rubric entries and ballots: tied across the 好 quota cut.
TIE_UNITS = ("县卫生系统党委", "县国资委党委")
#: The rater group whose last-year ballots are given one by one (测评票), by its name.
BALLOT_GROUP = "党员群众代表"
#: What each ledger entry says: (认定部门, 依据 prefix, 事由 to choose from).
_WORDS = {
    "A02": ("县委组织部", "示组通", ["党费未按月收缴", "党费使用未经集体研究", "党费收缴台账不全"]),
    "A03": ("县纪委监委", "示纪通", ["公车私用", "违规公款吃喝", "违规收受礼品礼金", "违规发放津补贴"]),
    "A04": ("县信访局", "示信通", ["重复信访未及时化解", "越级上访", "发生群体性事件"]),
    "D03": ("县委组织部", "示组通", ["软弱涣散党组织整顿未按期完成", "党员发展计划未完成", "机关党建述职评议未按期开展"]),
    "J01": ("省委组织部", "省组通", ["被评为全省先进基层党组织", "党组织书记被评为全省优秀党务工作者"]),
    "J02": ("市委组织部", "市组通", ["党建工作经验在全市推广", "经验做法被市委组织部简报刊发"]),
    "J03": ("省委组织部", "省组通", ["顺利通过省级基层党建专项检查"]),
    "K01": ("县委办公室", "示委办通", ["党建重点工作推进不力被县委通报批评"]),
    "K02": ("县委组织部", "示组通", ["换届选举程序出现重大失误", "发展党员违反程序"]),
    "F01": ("县纪委监委", "示纪通", ["班子成员严重违纪违法被立案审查"]),
    "F02": ("县委组织部", "示组通", ["报送考核材料弄虚作假"]),
}
#: The last year's ledger: (unit, item, 职务或严重程度).
_LAST_YEAR = [
    ("金谷镇党委", "F01", None),
    ("西河乡党委", "A02", None), ("西河乡党委", "A02", None),
    ("南岭镇党委", "A03", "书记"), ("北塘镇党委", "A03", "班子成员"), ("白沙镇党委", "A03", "支部书记"),
    ("青石乡党委", "A04", "严重"), ("青石乡党委", "A04", "较重"), ("柳溪乡党委", "A04", "一般"),
    ("金谷镇党委", "J01", None), ("金谷镇党委", "J01", None), ("石桥镇党委", "J02", None),
    ("北塘镇党委", "K01", None), ("青石乡党委", "K02", "书记"),
    ("县直机关工委", "J01", None), ("县直机关工委", "J01", None), ("县直机关工委", "J02", None),
    ("县直机关工委", "J02", None), ("县直机关工委", "J03", None),
    ("县教育工委", "J02", None), ("县教育工委", "D03", None), ("县教育工委", "A03", "支部书记"),
    *[(u, "A02", None) for u in TIE_UNITS],
    ("县公安局党委", "F02", None), ("县公安局党委", "D03", None),
    ("县社会组织党委", "D03", None), ("县社会组织党委", "D03", None), ("县社会组织党委", "A03", "班子成员"),
    ("县社会组织党委", "K02", "班子成员"), ("县非公经济组织党工委", "D03", None),
    ("县经济开发区党工委", "A04", "较重"), ("县经济开发区党工委", "D03", None),
    ("县农业系统党委", "A02", None), ("县农业系统党委", "K01", None),
]
#: The last year's checks not done: (unit, item, check).
_NOT_DONE = [
    ("白沙镇党委", "A01", "书记述职报告"), ("青石乡党委", "A01", "书记抓党建项目清单"), ("青石乡党委", "A01", "党建工作责任清单"),
    ("县教育工委", "D01", "党务公开"), *[(u, "D02", "党员积分管理") for u in TIE_UNITS],
    ("县公安局党委", "D04", "四季度"), ("县社会组织党委", "D01", "发展党员程序规范"), ("县社会组织党委", "D04", "三季度"),
    ("县非公经济组织党工委", "D02", "流动党员管理"), ("县经济开发区党工委", "D04", "二季度"),
    ("县农业系统党委", "D01", "党员活动室"),
]


def rubric_tables(catalog: Catalog, years: list[int], rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(加减分台账, 考核清单) of every year: the last from :data:`_LAST_YEAR` / :data:`_NOT_DONE`,
    the others drawn. Empty frames when the catalogue has no ``[assessment]``."""
    assessment = catalog.assessment
    if assessment is None:
        return pd.DataFrame(columns=ADJUSTMENT_COLUMNS), pd.DataFrame(columns=CHECKLIST_COLUMNS)
    units = dict(zip(catalog.secretaries["unit"], catalog.secretaries["type"]))
    entries, checks = [], []
    for year in years:
        plan = _LAST_YEAR if year == years[-1] else _drawn(assessment, units, rng)
        missing = set(_NOT_DONE) if year == years[-1] else None
        for unit, item, role in plan:
            if unit in units and assessment.entry(item) is not None:
                entries.append(_entry(assessment, year, unit, item, role, rng))
        for unit, cls in units.items():
            for it in assessment.items_for(cls):
                for check in it.rule.checks if it.rule.kind == "checklist" else ():
                    done = (unit, it.id, check) not in missing if missing is not None else rng.random() > 0.04
                    checks.append({"year": year, "unit": unit, "item": it.id, "check": check, "done": done})
    adjustments = pd.DataFrame(entries, columns=ADJUSTMENT_COLUMNS)
    adjustments["date"] = as_dates(adjustments["date"]).to_numpy()
    adjustments = adjustments.sort_values(["year", "date"], kind="stable").reset_index(drop=True)
    numbers: dict[tuple[int, str], int] = {}            # each issuer numbers its 通报 through the year
    for i, (year, prefix) in enumerate(zip(adjustments["year"], adjustments["basis"])):
        numbers[year, prefix] = numbers.get((year, prefix), int(rng.integers(2, 8))) + int(rng.integers(1, 4))
        adjustments.at[i, "basis"] = f"{prefix}〔{year}〕{numbers[year, prefix]}号"
    return adjustments, pd.DataFrame(checks, columns=CHECKLIST_COLUMNS)


def _drawn(assessment, units: dict[str, str], rng) -> list[tuple]:
    """A year before the last: a few incidents, 加分 and 扣分 over the units (no veto)."""
    plan = []
    roles = {i.id: [k for k, _ in (*i.rule.by_role, *i.rule.by_severity)] for i in assessment.items}
    roles |= {d.id: [k for k, _ in d.by_role] for d in assessment.deductions}
    for unit, cls in units.items():
        ids = [i.id for i in assessment.items_for(cls) if i.rule.kind == "per_incident"]
        ids += [b.id for b in assessment.bonus] + [d.id for d in assessment.deductions]
        for ident in ids:
            rate = 0.12 if ident.startswith(("J", "K")) else 0.25
            for _ in range(int(rng.poisson(rate))):
                keys = roles.get(ident) or [None]
                plan.append((unit, ident, keys[int(rng.integers(len(keys)))]))
    return plan


def _entry(assessment, year: int, unit: str, item: str, role, rng) -> dict:
    """One ledger row: 事由, 依据 (the issuer's prefix; numbered once the year's rows are in date
    order), a date in the year, 认定部门, 分值 by the rule."""
    department, prefix, reasons = _WORDS.get(item, ("县委组织部", "示组通", ["其他"]))
    day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(15, 350)))
    return {"year": year, "unit": unit, "item": item, "reason": reasons[int(rng.integers(len(reasons)))],
            "basis": prefix, "date": day, "department": department,
            "role": role, "points": _points(assessment.entry(item), role)}


def _points(entry, role) -> float:
    """The 分值 the rule gives an entry (NaN for a veto: it has none)."""
    rule = getattr(entry, "rule", None)
    if rule is not None:
        return dict((*rule.by_role, *rule.by_severity)).get(role, rule.deduct)
    if hasattr(entry, "cap"):
        return entry.each
    if hasattr(entry, "by_role"):
        return dict(entry.by_role).get(role, entry.each)
    return np.nan


def ballot_sheets(catalog: Catalog, year: int, size: int, rng, probs) -> pd.DataFrame:
    """The :data:`BALLOT_GROUP`'s ballots of ``year`` (tidy, one row a cell): ``size`` voters, each
    with one ballot per 评议项目; each cell drawn from the secretary's ``probs(name)`` (好, 较好,
    一般, 差), a few 不了解 and 空白; voter 3's and voter 11's 总体评价 rate everyone 好 / 较好
    (invalid with ``same_rating_invalid``); the second tie unit's secretary rated as the first."""
    scheme = catalog.review
    groups = dict(zip(scheme.rater_groups["name"], scheme.rater_groups["id"]))
    if BALLOT_GROUP not in groups:
        return pd.DataFrame(columns=BALLOT_SHEET_COLUMNS)
    ratings = list(scheme.ratings["rating"])
    unknown, blank = (list(scheme.invalid) + ["不了解", "空白"])[:2]
    names = list(catalog.secretaries["name"])
    of_unit = dict(zip(catalog.secretaries["unit"], catalog.secretaries["name"]))
    twin = {of_unit.get(TIE_UNITS[1]): of_unit.get(TIE_UNITS[0])}
    same = {3: ratings[0], 11: ratings[1]}
    rows = []
    for ballot in range(1, size + 1):
        for item in scheme.items:
            cells: dict[str, str] = {}
            for name in names:
                if name in twin:
                    continue
                u = rng.random()
                p = probs(name)
                cells[name] = (blank if u < 0.01 else unknown if u < 0.04 else
                               ratings[int(rng.choice(len(ratings), p=p / p.sum()))])
            for name, model in twin.items():
                if name is not None and model is not None:
                    cells[name] = cells[model]
            if item == scheme.items[0] and ballot in same:
                cells = dict.fromkeys(cells, same[ballot])
            rows += [{"year": year, "rater_group": groups[BALLOT_GROUP], "item": item, "ballot": str(ballot),
                      "secretary": name, "rating": cells[name], "score": np.nan} for name in names]
    return pd.DataFrame(rows, columns=BALLOT_SHEET_COLUMNS)


def ballot_sheet_table(frame: pd.DataFrame, headers: dict[str, str], secretaries: list[str]) -> pd.DataFrame:
    """The 测评票 as the clerk types it: the key columns, then one column per secretary."""
    keys = list(headers)
    wide = frame.pivot(index=keys, columns="secretary", values="rating")
    order = frame[keys].drop_duplicates()
    wide = wide.loc[pd.MultiIndex.from_frame(order)].reset_index()
    wide["ballot"] = wide["ballot"].astype(int)
    return wide[keys + [s for s in secretaries if s in wide.columns]].rename(columns=headers)


def twin_tallies(ballots: pd.DataFrame, catalog: Catalog, year: int) -> pd.DataFrame:
    """The 述职评议 tallies with the second tie unit's secretary given, in ``year``, the first's
    counts (same rater groups, items and ratings) and without the :data:`BALLOT_GROUP`'s rows of
    ``year`` (given as 测评票)."""
    of_unit = dict(zip(catalog.secretaries["unit"], catalog.secretaries["name"]))
    groups = dict(zip(catalog.review.rater_groups["name"], catalog.review.rater_groups["id"]))
    out = ballots[~((ballots["year"] == year) & (ballots["rater_group"] == groups.get(BALLOT_GROUP)))].copy()
    model, twin = (of_unit.get(u) for u in TIE_UNITS)
    if model is None or twin is None:
        return out.reset_index(drop=True)
    key = ["rater_group", "item", "rating"]
    counts = out[(out["year"] == year) & (out["secretary"] == model)].set_index(key)["count"]
    mine = (out["year"] == year) & (out["secretary"] == twin)
    out.loc[mine, "count"] = pd.MultiIndex.from_frame(out.loc[mine, key]).map(counts).to_numpy()
    return out.reset_index(drop=True)
