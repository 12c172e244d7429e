"""What a score rests on: the missing-value rule (不报不得分) and provisional (待核实) results.

Two rules of the catalogue's ``[scoring]`` table, applied the same by every function that
builds sub-indices or the overall index (:func:`~dangjian_analysis.score_composite` at
township and village level, :func:`~dangjian_analysis.rank_uncertainty`):

- ``missing``: a required indicator (``required = true``) that a unit-year did not report
  scores 0 (``"zero"``, the default) or is left out with the weights renormalised over what
  was reported (``"renormalise"``, for exploratory analysis). Indicators with
  ``required = false`` are always renormalised; one with ``applies_if`` is missing only
  where it applies (不适用 is not 缺报) — under ``"zero"`` a missing governing value counts
  at its worst (列为软弱涣散 blank: listed, so 当年整顿转化 is owed).
- ``provisional_coverage``: a township-year with fewer villages than that share of its
  catalogue villages, or with cells rejected at intake, is provisional (待核实).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..catalog.choices import choice
from ..catalog.rules import MISSING_RULES
from ..intake._address import row_of
from ._applies import due_matrix
from ._blanks import worst_values
from ._coverage import blank_reasons, villages_with_data
from ._frames import codes_in, observations_of, settle, warn

__all__ = ["missing_rule", "scorable", "apply_missing_rule", "provisional_of", "rejected_cells", "codes_in",
           "MISSING_TEXT"]

#: The missing-value rules as stated in tables and reports.
MISSING_TEXT = {"zero": "必填指标未报按 0 分计（不报不得分）",
                "renormalise": "未报指标不计，权重在已报指标间重新归一（探索分析）"}


def missing_rule(catalog, missing: str | None = None) -> str:
    """The rule in force: ``missing`` if given (an id or its Chinese word, 不报不得分 / 重新归一:
    :mod:`~dangjian_analysis.catalog.choices`), else the catalogue's ``[scoring] missing``."""
    if missing is None:
        return catalog.scoring.missing
    return choice("missing", missing, name="missing", allowed=MISSING_RULES)


def scorable(catalog, level: str, method: str) -> pd.DataFrame:
    """The catalogue's indicators that can get a score at ``level`` by ``method``: not
    ``monitor``; at village level only village indicators; for ``target`` only those with a
    target (or, at township level, a share of villages meeting one)."""
    ind = catalog.indicators
    ok = (ind["direction"] != "monitor") & ((ind["level"] == "village") | (level == "township"))
    if method == "target":
        share = (ind["aggregate"] == "share_meeting_target") & (level == "township")
        ok &= ind["target"].notna() | share
    return ind[ok]


def apply_missing_rule(scores: pd.DataFrame, catalog, rule: str, *, level: str,
                       method: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator scores with the missing-value rule applied, and what was missing.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`~dangjian_analysis.normalize`.
    rule : {"zero", "renormalise"}

    Returns
    -------
    (DataFrame, DataFrame)
        ``scores`` plus a ``reported`` column (the unit-year has a value); under ``"zero"``
        one more row per required, scorable indicator a unit-year did not report, with
        ``value`` empty, ``reported`` False and ``score`` 0 (for ``zscore``, not on 0–100,
        the lowest score of that indicator in that year). Second: those missing indicators,
        ``unit_id, year, group, indicator``, under either rule.

    Notes
    -----
    The units are the unit-years present in ``scores`` (any indicator, even an unscored
    one, or a row without a value: an absent village, see
    :func:`~dangjian_analysis.metrics.scoring.values_at`): a unit-year with no row at all is
    not scored. Under ``"zero"`` a row without a value of an indicator that is filled is
    replaced by the fill (one row per unit-year and indicator). A required indicator that no unit
    reported in a year scores 0 for all under ``"zero"`` (warned).
    """
    frame = scores.assign(reported=scores["value"].notna().to_numpy())
    required = scorable(catalog, level, method)
    required = required[required["required"].astype(bool)]
    absent_cols = ["unit_id", "year", "group", "indicator"]
    if frame.empty or required.empty:
        return frame, pd.DataFrame(columns=absent_cols)
    ucode, _ = pd.factorize(frame["unit_id"])
    ycode, yunique = pd.factorize(frame["year"])
    code, _ = pd.factorize(ucode.astype(np.int64) * len(yunique) + ycode)
    _, first = np.unique(code, return_index=True)
    icode = codes_in(frame["indicator"], required["id"])
    rep = frame["reported"].to_numpy() & (icode >= 0)
    seen = np.zeros((len(first), len(required)), dtype=bool)
    seen[code[rep], icode[rep]] = True
    worst = None
    if rule == "zero":                  # a missing governing value is taken at its worst (listed)
        ind = catalog.indicators.set_index("id")
        worst = dict(zip(ind.index, worst_values(ind)))
    seen |= ~due_matrix(frame, code, len(first), required, catalog, level, worst)     # 不适用 is not 缺报
    units, cols = np.nonzero(~seen)
    if not len(units):
        return frame, pd.DataFrame(columns=absent_cols)
    _warn_whole_years(seen, frame["year"].to_numpy()[first], required, rule)
    at = first[units]
    absent = pd.DataFrame({"unit_id": frame["unit_id"].to_numpy()[at], "unit_name": frame["unit_name"].to_numpy()[at],
                           "township": frame["township"].to_numpy()[at], "year": frame["year"].to_numpy()[at],
                           "indicator": required["id"].to_numpy()[cols], "group": required["group"].to_numpy()[cols]})
    if rule == "renormalise":
        return frame, absent[absent_cols]
    fill = absent.assign(value=np.nan, score=0.0, method=method, reported=False)
    frame = frame[rep | (icode < 0) | seen[code, np.maximum(icode, 0)]]    # a row without a value: the fill replaces it
    if method == "zscore":
        low = frame.groupby(["year", "indicator"], observed=True)["score"].min()
        key = pd.MultiIndex.from_arrays([fill["year"], fill["indicator"]])
        fill["score"] = low.reindex(key).fillna(0.0).to_numpy()
    fill = fill.reindex(columns=frame.columns)
    blank = fill.columns[fill.isna().all().to_numpy()]          # e.g. n_villages: take the frame's dtype
    filled = pd.concat([frame, fill.astype({c: frame[c].dtype for c in blank})], ignore_index=True)
    return filled, absent[absent_cols]


def _warn_whole_years(seen: np.ndarray, unit_year: np.ndarray, required: pd.DataFrame, rule: str) -> None:
    """Warn about required indicators that no unit reported in a year."""
    lines = []
    for year in np.unique(unit_year):
        none = ~seen[unit_year == year].any(axis=0)
        if none.any():
            lines.append(f"{year} 年：" + "、".join(required["name"].to_numpy()[none]))
    if lines:
        how = "按 0 分计" if rule == "zero" else "不计分，权重在已报指标间重新归一"
        warn("以下必填指标在该年没有任何单位填报，" + how + "（如该年确未采集，可在指标体系 [scoring] 中设 "
             "missing = \"renormalise\" 或把指标设为 required = false）：" + "；".join(lines))


def rejected_cells(data, catalog) -> pd.DataFrame:
    """Cells rejected at intake (issues of severity ``error``), attributed to unit-years.

    Returns
    -------
    DataFrame
        ``township, year, unit_id, errors``. Attribution: an error's cell row is matched to
        the accepted cells of the same file, sheet and row (``unit_id`` = that unit); failing
        that, to every township-year the file supplied values for (``unit_id`` empty: the
        whole township-year); failing that, a file named after a township (e.g. ``东山镇.xlsx``)
        to every year of that township in the data. Errors that match nothing (the county
        workbook, say) are not attributed. A plain observations table has no issues: empty.
    """
    cols = ["township", "year", "unit_id", "errors"]
    issues = getattr(data, "issues", None)
    obs = observations_of(data)
    if issues is None or issues.empty or "source_file" not in obs:
        return pd.DataFrame(columns=cols)
    errors = issues[issues["severity"] == "error"]
    if errors.empty:
        return pd.DataFrame(columns=cols)
    files = set(errors["file"].astype(str))
    src = obs.loc[obs["source_file"].astype(str).isin(files),
                  ["source_file", "source_sheet", "source_cell", "unit_id", "township", "year"]].astype(
        {"source_file": str, "source_sheet": str, "source_cell": str, "unit_id": object, "township": object})
    src["row"] = src["source_cell"].map(row_of)
    by_row = src.drop_duplicates(["source_file", "source_sheet", "row", "unit_id", "year"])
    by_row = by_row.groupby(["source_file", "source_sheet", "row"])
    by_file = src.drop_duplicates(["source_file", "township", "year"]).groupby("source_file")
    years_of = obs.drop_duplicates(["township", "year"]).groupby("township", observed=True)["year"].apply(list)
    hits = []
    for file, sheet, cell in zip(errors["file"].astype(str), errors["sheet"].astype(str), errors["cell"].astype(str)):
        key = (file, sheet, row_of(cell))
        if key[2] is not None and key in by_row.groups:
            rows = by_row.get_group(key)
            hits += [(t, y, u) for t, y, u in zip(rows["township"], rows["year"], rows["unit_id"])]
        elif file in by_file.groups:
            rows = by_file.get_group(file)
            hits += [(t, y, None) for t, y in zip(rows["township"], rows["year"])]
        else:
            town = catalog.resolve_township(Path(file).stem)
            hits += [(town, y, None) for y in years_of.get(town, [])]
    frame = pd.DataFrame(hits, columns=cols[:3])
    out = frame.groupby(["township", "year", "unit_id"], dropna=False).size().rename("errors").reset_index()
    return out[cols]


def doubtful_cells(data, catalog) -> pd.DataFrame:
    """The doubtful values that hold a result: warnings of a value outside its plausible range
    or beyond the year-on-year factor (codes in
    :data:`~dangjian_analysis.intake.confirmations.DOUBTFUL_CODES`) at a cell whose value was
    accepted, and not confirmed (``Dataset.confirmations`` naming the cell with the same value).

    Returns
    -------
    DataFrame
        ``township, year, unit_id, unit_name, indicator, value, file, sheet, cell, message,
        confirmed`` — one row per doubtful cell; ``confirmed`` True for those a confirmation
        clears (they no longer hold anything). Empty for a plain observations table.
    """
    from ..intake.confirmations import DOUBTFUL_CODES, confirmed_mask

    cols = ["township", "year", "unit_id", "unit_name", "indicator", "value", "file", "sheet", "cell", "message",
            "confirmed"]
    issues = getattr(data, "issues", None)
    obs = observations_of(data)
    if issues is None or issues.empty or "source_file" not in obs:
        return pd.DataFrame(columns=cols)
    warned = issues[(issues["severity"] == "warning") & issues["code"].isin(DOUBTFUL_CODES)]
    if warned.empty:
        return pd.DataFrame(columns=cols)
    warned = warned.drop_duplicates(["file", "sheet", "cell"])
    # each warned cell's value: the observation from that file, sheet and cell (one per cell; CSV cells
    # are named "第2行/列名")
    first: dict = {}
    for k, place in enumerate(zip(obs["source_file"].astype(str), obs["source_sheet"].astype(str),
                                  obs["source_cell"].astype(str))):
        first.setdefault(place, k)
    at = np.array([first.get(place, -1) for place in zip(warned["file"].astype(str), warned["sheet"].astype(str),
                                                          warned["cell"].astype(str))], dtype=np.int64)
    hit = at >= 0
    rows = obs.iloc[at[hit]]
    out = pd.DataFrame({"township": rows["township"].to_numpy(dtype=object), "year": rows["year"].to_numpy(),
                        "unit_id": rows["unit_id"].to_numpy(dtype=object),
                        "unit_name": rows["unit_name"].to_numpy(dtype=object),
                        "indicator": rows["indicator"].to_numpy(dtype=object), "value": rows["value"].to_numpy(),
                        "file": warned["file"].to_numpy()[hit], "sheet": warned["sheet"].to_numpy()[hit],
                        "cell": warned["cell"].to_numpy()[hit], "message": warned["message"].to_numpy()[hit]})
    confirmations = getattr(data, "confirmations", None)
    names = getattr(data, "file_names", {}) or {}
    towns = {t: t for t in catalog.townships["unit_name"]}
    out["confirmed"] = (confirmed_mask(out, confirmations, names, towns).to_numpy()
                        if confirmations is not None else False)
    return out[cols]


def provisional_of(data, catalog, units: pd.DataFrame, *, level: str, rule: str,
                   absent: pd.DataFrame, aggregated: pd.DataFrame | None = None) -> pd.DataFrame:
    """``village_coverage, provisional, provisional_reason`` for each unit-year of ``units``.

    Parameters
    ----------
    units : DataFrame
        ``unit_id, township, year``, one row per unit-year scored.
    absent : DataFrame
        The required indicators not reported (second output of :func:`apply_missing_rule`).
    aggregated : DataFrame, optional
        :func:`~dangjian_analysis.aggregate_villages` of the same data: where its
        ``n_villages`` already reaches the catalogue's count, the township-year is complete
        and the observations need not be scanned again.

    Returns
    -------
    DataFrame
        ``units`` with

        - ``village_coverage``: township level, villages with any value that year ÷ the
          township's villages in the catalogue (1.0 when the catalogue has no village
          indicator to score); village level, 1.0 (a village is its own unit);
        - ``provisional``: village_coverage < ``[scoring] provisional_coverage``, or cells of
          the unit-year rejected at intake (:func:`rejected_cells`), or — under
          ``missing = "renormalise"`` only — required indicators not reported (the score then
          rests on part of the weight); at township level also, under either rule, a blank or
          absent village (``attrs["blanks"]`` of ``aggregated``), named with its indicator;
        - ``provisional_reason``: the reasons in Chinese, joined by “；”, empty when not
          provisional.
    """
    out = units[["unit_id", "township", "year"]].copy()
    threshold = catalog.scoring.provisional_coverage
    reasons = [[] for _ in range(len(out))]
    if level == "township" and not scorable(catalog, "village", "goalposts").empty:
        have, total = villages_with_data(observations_of(data), catalog, out, aggregated)
        cover = np.where(total > 0, have / np.maximum(total, 1), 1.0)
        for k in np.flatnonzero(settle(cover) < threshold):
            reasons[k].append(f"村级数据不全：{int(have[k])}/{int(total[k])} 个村有数据")
    else:
        cover = np.ones(len(out))
    out["village_coverage"] = settle(cover)
    errors = rejected_cells(data, catalog)
    if not errors.empty:
        counts = _errors_per_unit(errors, out, level)
        for k in np.flatnonzero(counts > 0):
            reasons[k].append(f"{int(counts[k])} 个单元格填报有误未采用")
    _doubtful_reasons(data, catalog, out, reasons, level)
    if aggregated is not None and level == "township":
        blank_reasons(aggregated.attrs.get("blanks"), aggregated.attrs.get("absent_villages"), catalog, out, reasons,
                      rule)
    if rule == "renormalise" and not absent.empty:
        n = absent.groupby(["unit_id", "year"]).size()
        counts = n.reindex(pd.MultiIndex.from_arrays([out["unit_id"], out["year"]])).fillna(0).to_numpy()
        for k in np.flatnonzero(counts > 0):
            reasons[k].append(f"{int(counts[k])} 项必填指标未填报（按已报指标重新归一计分）")
    out["provisional"] = np.array([bool(r) for r in reasons], dtype=bool)
    out["provisional_reason"] = ["；".join(r) for r in reasons]
    return out


def _doubtful_reasons(data, catalog, out: pd.DataFrame, reasons: list, level: str) -> None:
    """A unit-year resting on a doubtful value not yet confirmed is 待核实, the reason naming
    the value, its cell and why (a township-year for any of its villages' values)."""
    from ..intake._values import number_text

    doubtful = doubtful_cells(data, catalog)
    doubtful = doubtful[~doubtful["confirmed"].astype(bool)]
    if doubtful.empty:
        return
    names = dict(zip(catalog.indicators["id"], catalog.indicators["name"]))
    shown = getattr(data, "file_names", {}) or {}
    by: dict = {}
    for d in doubtful.itertuples():
        key = (d.township if level == "township" else d.unit_id, int(d.year))
        place = f"{shown.get(d.file) or Path(str(d.file)).name} {d.sheet} {d.cell}".strip()
        by.setdefault(key, []).append(f"{d.unit_name}“{names.get(d.indicator, d.indicator)}”{number_text(d.value)}（{place}）")
    for k, (town, unit, year) in enumerate(zip(out["township"], out["unit_id"], out["year"])):
        items = by.get((town if level == "township" else unit, int(year)))
        if items:
            reasons[k].append(f"数值存疑待确认：{'、'.join(items[:4])}" + (f"等 {len(items)} 处" if len(items) > 4 else ""))


def _errors_per_unit(errors: pd.DataFrame, units: pd.DataFrame, level: str) -> np.ndarray:
    """Rejected cells per unit-year: township level, all of its township-year; village level,
    the village's own plus those attributed to its whole township-year."""
    whole = errors[errors["unit_id"].isna()].groupby(["township", "year"])["errors"].sum()
    key = pd.MultiIndex.from_arrays([units["township"], units["year"]])
    if level == "township":
        every = errors.groupby(["township", "year"])["errors"].sum()
        return every.reindex(key).fillna(0).to_numpy()
    own = errors[errors["unit_id"].notna()].groupby(["unit_id", "year"])["errors"].sum()
    mine = own.reindex(pd.MultiIndex.from_arrays([units["unit_id"], units["year"]])).fillna(0).to_numpy()
    return mine + whole.reindex(key).fillna(0).to_numpy()
