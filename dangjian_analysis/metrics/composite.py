"""Sub-indices, the overall index, ranks and grades (:func:`score_composite`), and the ranking
as analysts read it (:func:`ranking_table`).

Step 3 of the default index (steps 1–2, village aggregation and indicator scores, are in
:mod:`.scoring`): weighted sub-index per group, weighted overall index, rank and grade, with
the missing-value rule and the provisional marks of :mod:`.completeness` and the weights of
:mod:`.weights_input`. Both functions are re-exported by :mod:`.scoring`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ._frames import Carried, Record, catalog_of, flags, rank_desc, require, settle, with_catalog
from .completeness import MISSING_TEXT, apply_missing_rule, codes_in, missing_rule, provisional_of, scorable
from .roll_hold import hold_for_roll
from .weights_input import weights_of

__all__ = ["score_composite", "ranking_table", "ranking_frame", "index_column", "LEVELS", "PROVISIONAL_MARK"]

#: The levels a composite can be built at.
LEVELS = ("township", "village")
#: Appended to the grade of a provisional unit in tables for people.
PROVISIONAL_MARK = "（待核实）"
_COLUMNS = ["unit_id", "unit_name", "township", "year", "group", "score", "coverage", "rank", "grade", "method",
            "missing_rule", "missing_required", "village_coverage", "provisional", "provisional_reason"]


def score_composite(data, catalog=None, weights=None, method: str = "goalposts", level: str = "township", *,
                    missing: str | None = None) -> pd.DataFrame:
    """Sub-index per group and overall index per unit and year, with rank, grade and provisional marks.

    Formulas (sᵢ indicator scores, wᵢ indicator weights, W_g group weights, see
    :func:`~dangjian_analysis.metrics.weights_input.weights_of`):

    - missing values (catalogue ``[scoring] missing``, or ``missing=``): under ``"zero"``
      (default, 不报不得分) a required indicator the unit-year did not report has sᵢ = 0 and
      keeps its weight; under ``"renormalise"`` it is left out. Non-required indicators are
      always left out when not reported;
    - sub-index S_g = Σ wᵢ sᵢ / Σ wᵢ over the group's indicators with a score (reported, or
      set to 0 by the rule); ``coverage`` = Σ wᵢ (reported) / Σ wᵢ (all scored indicators
      of the group at this level);
    - overall = Σ W_g S_g / Σ W_g over the groups with a sub-index; its ``coverage`` =
      Σ W_g coverage_g / Σ W_g (the share of the total weight that was reported);
    - scores and coverages are rounded to 9 decimals (:func:`~dangjian_analysis.metrics._frames.settle`)
      before ranking and grading, so that 89.99999999999999 is 90 and identical data tie;
    - rank per year and group, highest first, ties sharing the lowest number (1, 1, 3);
    - grade from the catalogue's bands, score ≥ lower bound (none for ``zscore``).

    Parameters
    ----------
    data : Dataset or DataFrame
    catalog : Catalog or path, optional
        Default: the Dataset's, else the default catalogue.
    weights : dict or Series, optional
        Group weights, indicator weights or both, by id or Chinese name; see
        :func:`~dangjian_analysis.metrics.weights_input.weights_of` (normalised, with a warning
        when they do not sum to 1; items left out keep their catalogue weight).
    method : str
        Normalisation method (see :func:`~dangjian_analysis.normalize`), by id or Chinese word
        (固定区间, 极差, 标准分, 百分位, 目标达成度).
    level : {"township", "village"}
        Or ``"乡镇"``, ``"村"``.
    missing : {"zero", "renormalise"}, optional
        Override the catalogue's missing-value rule (or ``"不报不得分"``, ``"重新归一"``). Every
        choice is read by :func:`~dangjian_analysis.catalog.choices.choice`; the result records ids.

    Returns
    -------
    DataFrame
        ``unit_id, unit_name, township, year, group, score, coverage, rank, grade, method``,
        ``missing_rule`` (the rule used), ``missing_required`` (required indicators not
        reported: in the group, or in all groups on the ``overall`` row),
        ``village_coverage``, ``provisional`` and ``provisional_reason`` (see
        :func:`~dangjian_analysis.metrics.completeness.provisional_of`): one row per group
        and one with group ``overall``. ``attrs["catalog"]`` is the catalogue used and
        ``attrs["scoring"]`` the arguments (method, level, rule, weights).

        Given a Dataset at township level, every row of a year whose 报送进度 lists townships
        not yet reported is provisional, “全县尚有 N 个乡镇未报送” appended to its reason (its
        ranks are among the townships that have reported: :func:`~.roll_hold.hold_for_roll`);
        ``attrs["roll_missing"]`` records ``{year: townships missing}``
        (:func:`~.roll_hold.partial_note` says it in one sentence). A table of observations
        carries no roll and is not marked; nor are village rows (倒排 carries the township's
        mark to its villages, :func:`~dangjian_analysis.flag_bottom`).

    Examples
    --------
    Group a: funds scores 66.7 (weight 1), age 50 (weight 3) → S_a = (66.7 + 150)/4 = 54.2.
    If the township leaves age blank, under ``"zero"`` S_a = (66.7 + 3 × 0)/4 = 16.7, under
    ``"renormalise"`` S_a = 66.7 — which is why a blank is not a free pass.
    """
    from .scoring import METHODS, score_values, values_at

    method = choice("method", method, name="method", allowed=METHODS)
    level = choice("level", level, name="level", allowed=LEVELS)
    cat = catalog_of(data, catalog)
    rule = missing_rule(cat, missing)
    ind_w, grp_w = weights_of(cat, weights)
    values = values_at(data, cat, level, missing=rule)
    scores = score_values(values, cat, method, level)
    filled, absent = apply_missing_rule(scores, cat, rule, level=level, method=method)
    out = _indices(filled, absent, cat, ind_w, grp_w, level)
    out["missing_required"] += _blank_counts(values, out, cat)
    names = scores.drop_duplicates("unit_id").set_index("unit_id")
    out.insert(1, "unit_name", out["unit_id"].map(names["unit_name"]))
    out.insert(2, "township", out["unit_id"].map(names["township"]))
    units = out.drop_duplicates(["unit_id", "year"])
    marks = provisional_of(data, cat, units, level=level, rule=rule, absent=absent, aggregated=values)
    key = pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])
    marks = marks.set_index(["unit_id", "year"]).reindex(key)
    out["rank"] = rank_desc(out["score"], [out["year"], out["group"]])
    out["grade"] = cat.grades(out["score"]) if method != "zscore" else None
    out["method"] = method
    out["missing_rule"] = rule
    for col in ("village_coverage", "provisional", "provisional_reason"):
        out[col] = marks[col].to_numpy()
    out["provisional"] = out["provisional"].astype(bool)
    if level == "township":
        out = hold_for_roll(out, data)
    order = {g: i for i, g in enumerate([*cat.groups["group"], "overall"])}
    out = out.sort_values(["year", "group", "rank", "unit_id"], key=lambda s: s.map(order) if s.name == "group" else s,
                          kind="stable")
    out = out[_COLUMNS].reset_index(drop=True)
    out.attrs["scoring"] = Record(method=method, level=level, missing=rule, missing_text=MISSING_TEXT[rule],
                                  provisional_coverage=cat.scoring.provisional_coverage,
                                  weights={"groups": grp_w.to_dict(), "indicators": ind_w.to_dict()})
    out.attrs["indicator_scores"] = Carried(filled)      # for rank_uncertainty(scores=…): normalised once
    return with_catalog(out, cat)


def _blank_counts(values: pd.DataFrame, out: pd.DataFrame, cat) -> np.ndarray:
    """Per row of ``out`` (unit-year and group, or ``overall``): the blanks of its villages
    (required village values left empty, see :func:`~dangjian_analysis.aggregate_villages`),
    which count as required indicators not reported."""
    carried = values.attrs.get("blanks")
    if carried is None or not len(carried.frame):
        return np.zeros(len(out), dtype=int)
    b = carried.frame
    b = b.assign(group=b["indicator"].map(dict(zip(cat.indicators["id"], cat.indicators["group"]))),
                 unit_id=b["township"].map(dict(zip(cat.townships["unit_name"], cat.townships["unit_id"]))))
    per_group = b.groupby(["unit_id", "year", "group"]).size()
    per_unit = b.groupby(["unit_id", "year"]).size()
    n_g = per_group.reindex(pd.MultiIndex.from_arrays([out["unit_id"], out["year"], out["group"]])).to_numpy()
    n_u = per_unit.reindex(pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])).to_numpy()
    return np.nan_to_num(np.where(out["group"].to_numpy() == "overall", n_u, n_g).astype(float)).astype(int)


def _indices(filled: pd.DataFrame, absent: pd.DataFrame, cat, ind_w: pd.Series, grp_w: pd.Series,
             level: str) -> pd.DataFrame:
    """``unit_id, year, group, score, coverage, missing_required``: sub-indices and overall.

    Sums per unit-year and group by one ``bincount`` over integer codes; then, on the unit ×
    group matrices, S_g = Σ wᵢ sᵢ / Σ wᵢ (where Σ wᵢ > 0), coverage_g = Σ wᵢ (reported) /
    Σ wᵢ (the group's indicators at this level that apply to the unit: every required one,
    and the optional ones (``required = false``) it reported — an optional indicator left out,
    such as 当年整顿转化 where no village was 软弱涣散, is 不适用, not 缺报), overall =
    Σ W_g S_g / Σ W_g and its coverage Σ W_g coverage_g / Σ W_g (all groups that have scored
    indicators at this level). An indicator with ``applies_if`` is due only where it applies:
    where it has a score (reported, or a blank filled by the missing-value rule).
    """
    groups = cat.groups["group"].to_numpy(dtype=object)
    scored = filled[filled["score"].notna()]
    icode = codes_in(scored["indicator"], ind_w.index)
    gcode = codes_in(scored["group"], groups)
    keep = (icode >= 0) & (gcode >= 0)
    w = np.where(keep, ind_w.to_numpy()[icode], 0.0)
    ucode, _ = pd.factorize(scored["unit_id"])
    ycode, yunique = pd.factorize(scored["year"])
    unit, units = pd.factorize(ucode.astype(np.int64) * max(len(yunique), 1) + ycode)
    _, first = np.unique(unit, return_index=True)                 # first row of each unit-year
    n_u, n_g = len(units), len(groups)
    key = unit * n_g + np.where(keep, gcode, 0)
    size = n_u * n_g
    score = scored["score"].to_numpy(dtype=float)
    ws = np.bincount(key, weights=w * score, minlength=size).reshape(n_u, n_g)
    wt = np.bincount(key, weights=w, minlength=size).reshape(n_u, n_g)
    reported = scored["reported"].to_numpy()
    part = np.ones(len(scored))                      # a village indicator with blanks: the villages' share
    if "n_blank" in scored:
        n_blank = pd.to_numeric(scored["n_blank"], errors="coerce").to_numpy(dtype=float)
        n_vill = pd.to_numeric(scored["n_villages"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            part = np.where((n_blank > 0) & (n_vill > 0), 1 - n_blank / n_vill, 1.0)
    wr = np.bincount(key, weights=np.where(reported, w * part, 0.0), minlength=size).reshape(n_u, n_g)
    applicable = scorable(cat, level, "goalposts")
    optional = ~applicable["required"].fillna(True).astype(bool).to_numpy()
    ruled = (applicable["applies_if"].notna().to_numpy() if "applies_if" in applicable
             else np.zeros(len(applicable), dtype=bool))       # applies only where another indicator says so
    conditional = optional | ruled
    by_group = applicable["group"].to_numpy()
    total = ind_w.reindex(applicable["id"]).groupby(by_group).sum().reindex(groups).fillna(0.0).to_numpy()
    cond_total = ind_w.reindex(applicable["id"][conditional]).groupby(by_group[conditional]).sum().reindex(groups)
    is_opt = codes_in(scored["indicator"], pd.Index(applicable["id"][optional & ~ruled])) >= 0
    is_ruled = codes_in(scored["indicator"], pd.Index(applicable["id"][ruled])) >= 0
    present = (reported & is_opt) | is_ruled          # a ruled one is due where it applies: reported or a blank
    w_cond = np.bincount(key, weights=np.where(present, w, 0.0), minlength=size).reshape(n_u, n_g)
    due = total[None, :] - (cond_total.fillna(0.0).to_numpy()[None, :] - w_cond)   # the rest: 不适用
    big_w = grp_w.reindex(groups).fillna(0.0).to_numpy()
    has = wt > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        sub = np.where(has, ws / wt, np.nan)
        cover = np.where(has, wr / due, np.nan)
        counted = has & (big_w[None, :] > 0)
        overall_w = (counted * big_w).sum(axis=1)
        overall = np.where(overall_w > 0, np.where(counted, sub, 0.0) @ big_w / overall_w, np.nan)
        all_groups = big_w[total > 0].sum()
        overall_cover = np.where(counted, cover, 0.0) @ big_w / all_groups
    uid, year = scored["unit_id"].to_numpy()[first], scored["year"].to_numpy()[first]
    rows_u, rows_g = np.nonzero(has)
    top = np.flatnonzero(overall_w > 0)
    out = pd.DataFrame({
        "unit_id": np.concatenate([uid[rows_u], uid[top]]), "year": np.concatenate([year[rows_u], year[top]]),
        "group": np.concatenate([groups[rows_g], np.full(len(top), "overall", dtype=object)]),
        "score": settle(np.concatenate([sub[rows_u, rows_g], overall[top]])),
        "coverage": settle(np.concatenate([cover[rows_u, rows_g], overall_cover[top]]))})
    if absent.empty:
        out["missing_required"] = 0
        return out
    keys = ["unit_id", "year"]
    per_group = absent.groupby([*keys, "group"]).size()
    per_unit = absent.groupby(keys).size()
    n = per_group.reindex(pd.MultiIndex.from_arrays([out["unit_id"], out["year"], out["group"]])).to_numpy()
    n_all = per_unit.reindex(pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])).to_numpy()
    n = np.where(out["group"].to_numpy() == "overall", n_all, n)
    out["missing_required"] = np.nan_to_num(n.astype(float)).astype(int)
    return out


def ranking_table(scores: pd.DataFrame, year: int | None = None, catalog=None) -> pd.DataFrame:
    """The ranking as analysts read it: one row per unit, Chinese headers, best first.

    Columns 排名, 乡镇 (or 村（社区）), 综合指数, 等次 (with “（待核实）” appended for a
    provisional unit), one column per group sub-index (by the group's Chinese name), 覆盖率
    (% of the weight with data) and 待核实 (the reason, empty when the result is final), for
    ``year`` (default: the latest year in ``scores``).

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`score_composite`; its catalogue (``attrs["catalog"]``) names the
        groups unless ``catalog`` is given.
    year : int, optional
    catalog : Catalog or path, optional

    Raises
    ------
    ValueError
        ``scores`` is not a scores table, or ``year`` is not in it (the message lists the years).
    """
    if not isinstance(scores, pd.DataFrame):
        raise ValueError(f"ranking_table 需要 score_composite 的结果表（DataFrame），实际为 {type(scores).__name__}")
    require(["unit_id", "unit_name", "township", "year", "group", "score", "rank", "grade"], scores.columns,
            "列（ranking_table 需要 score_composite 的结果表）")
    cat = catalog_of(scores, catalog)
    years = sorted(int(y) for y in scores["year"].dropna().unique())
    if not years:
        raise ValueError("得分表为空，没有可排名的年度")
    if year is None:
        year = years[-1]
    else:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValueError(f"year 应为年度（整数），实际为 {year!r}") from None
        require(year, years, "年度")
    frame = scores[scores["year"] == year]
    overall = frame[frame["group"] == "overall"]
    if overall.empty:
        raise ValueError(f"{year} 年度没有综合指数（group = overall）的行")
    if overall["unit_id"].duplicated().any():
        raise ValueError(f"{year} 年度同一单位有多行综合指数：请只传入一次 score_composite 的结果（不要合并不同方法或层级）")
    table = ranking_frame(scores, year, cat)
    names = {index_column(g): n for g, n in zip(cat.groups["group"], cat.groups["name"])}
    chinese = {"rank": "排名", "township": "乡镇", "village": "村（社区）", "score": "综合指数", "grade": "等次",
               "coverage_pct": "覆盖率", "provisional_reason": "待核实", **names}
    return with_catalog(table.rename(columns=chinese), cat)


def index_column(group: str) -> str:
    """The column id of a group's sub-index in :func:`ranking_frame`."""
    return f"index:{group}"


def ranking_frame(scores: pd.DataFrame, year: int, catalog) -> pd.DataFrame:
    """The ranking of ``year`` with English ids, best first: ``rank``, ``township`` (or
    ``village``), ``score``, ``grade`` (with :data:`PROVISIONAL_MARK` for a provisional unit),
    one ``index:<group>`` column per group in catalogue order, ``coverage_pct`` (100 ×
    coverage) and ``provisional_reason`` (empty when final). :func:`ranking_table` shows it
    in Chinese."""
    frame = scores[scores["year"] == year]
    overall = frame[frame["group"] == "overall"].set_index("unit_id")
    if overall.empty:
        raise ValueError(f"{year} 年度没有综合指数（group = overall）的行")
    wide = frame[frame["group"] != "overall"].pivot_table(index="unit_id", columns="group", values="score",
                                                          aggfunc="first")
    wide = wide.reindex(columns=[g for g in catalog.groups["group"] if g in wide.columns])
    wide.columns = [index_column(g) for g in wide.columns]
    unit = "township" if (overall["unit_name"] == overall["township"]).all() else "village"
    provisional = flags(overall["provisional"]) if "provisional" in overall else \
        pd.Series(False, index=overall.index)
    reason = overall["provisional_reason"].fillna("") if "provisional_reason" in overall else \
        pd.Series("", index=overall.index)
    grade = overall["grade"].astype(object)
    grade = grade.where(~provisional | grade.isna(), grade.astype(str) + PROVISIONAL_MARK)
    table = pd.DataFrame({"rank": overall["rank"], unit: overall["unit_name"], "score": overall["score"],
                          "grade": grade}).join(wide)
    if "coverage" in overall:
        table["coverage_pct"] = 100 * overall["coverage"]
    table["provisional_reason"] = reason.where(provisional, "")
    return table.sort_values(["rank", unit], kind="stable").reset_index(drop=True)
