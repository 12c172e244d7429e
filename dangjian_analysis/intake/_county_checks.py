"""Private: the rows of the county tables (述职评议 ballots, 四风 ledger, 驻点 links) checked
against the catalogue, vectorised over all rows of a sheet.

Each column's distinct values are parsed once (:class:`Column`) and mapped back to the rows;
:class:`Verdict` keeps each row's first bad field (a bad row is rejected whole, with one
issue at that field); :func:`ballot_totals` checks that the ballots of each secretary, year,
rater group and item add up to the group's size.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ._near_names import unknown_village
from ._rubric_checks import RubricRows
from ._values import ERROR, OK, norm_text, number_text, parse_date, parse_value, parse_year

__all__ = ["CLOSED_STATUSES", "Column", "Verdict", "CountyRows", "ballot_totals"]

#: 状态 texts saying that a 四风 item is closed (销号): a closing date is then expected.
CLOSED_STATUSES = frozenset({"已销号", "销号", "逾期销号", "已完成", "已办结", "已整改", "整改完成"})


class Column:
    """One column's cells, factorised: each distinct value is parsed once and mapped back."""

    def __init__(self, values):
        self.raw = np.empty(len(values), dtype=object)
        self.raw[:] = values
        self.codes, self.uniques = pd.factorize(self.raw)           # code -1: None
        blank = np.fromiter((u == "" for u in self.uniques), bool, len(self.uniques))
        self.empty = np.append(blank, True)[self.codes]

    def take(self, rows: np.ndarray) -> Column:
        """The cells of ``rows`` only (the distinct values are kept)."""
        out = object.__new__(Column)
        out.raw, out.codes, out.uniques, out.empty = self.raw[rows], self.codes[rows], self.uniques, self.empty[rows]
        return out

    def map(self, fn) -> np.ndarray:
        """``fn`` of every cell (``fn(None)`` for None), computed once per distinct value."""
        out = np.empty(len(self.uniques) + 1, dtype=object)
        for k, u in enumerate(self.uniques):
            out[k] = fn(u)
        out[-1] = fn(None)
        return out[self.codes]


class Verdict:
    """The first bad field of each row, checks made in field order; a formula without a cached
    value is the first fault of its field."""

    def __init__(self, n: int, formula: dict):
        self.reason = np.full(n, -1)
        self.notes: list[tuple] = []          # (field, severity, code, message(i))
        self.formula, self.seen = formula, set()   # formula: field → (rows, header text)

    def check(self, field, bad, message, severity="error", code=None) -> None:
        if field not in self.seen:
            self.seen.add(field)
            if field in self.formula:
                rows, header = self.formula[field]
                self.check(field, rows, lambda i: f"{header}：单元格是公式且没有计算结果（系统不执行公式），"
                                                  f"请改为直接填写", code="formula_no_value")
        new = np.asarray(bad, bool) & (self.reason < 0)
        self.reason[new] = len(self.notes)
        self.notes.append((field, severity, code, message))


def _counts(col: Column, unit: str):
    """(value, status, message) of a column of counts: whole non-negative floats at once, the
    rest through :func:`parse_value` once per distinct (type, value)."""
    raw = col.raw
    if pd.api.types.infer_dtype(raw, skipna=False) == "floating":    # all floats (no bool): no look at each cell
        is_float = np.ones(raw.size, bool)
    else:
        is_float = np.fromiter((type(x) is float for x in raw), bool, raw.size)
    value = np.full(raw.size, np.nan)
    value[is_float] = raw[is_float].astype(float)
    with np.errstate(invalid="ignore"):
        fast = is_float & np.isfinite(value) & (value >= 0) & (value == np.floor(value))
    status = np.where(fast, OK, ERROR).astype(object)
    message = np.full(raw.size, None, dtype=object)
    cache: dict = {}
    for k in np.flatnonzero(~fast):
        x = raw[k]
        parsed = cache.get((type(x), x)) or cache.setdefault((type(x), x), parse_value(x, "count", unit))
        status[k], message[k] = parsed[0], parsed[3]
        value[k] = np.nan if parsed[1] is None else parsed[1]
    return value, status, message


def _years(catalog, col: Column):
    """(year or None, ok) per cell: a year from the catalogue's first on (a year after its last
    is checked once the whole batch is read: :func:`~._keys.check_years`)."""
    year = col.map(parse_year)
    ok = col.map(lambda u: (y := parse_year(u)) is not None and catalog.first_year <= y)
    return year, ok.astype(bool)


class CountyRows(RubricRows):
    """The checks of the county tables against a catalogue (lookups built once per batch).

    Each of :meth:`ballots`, :meth:`ledger`, :meth:`links` (and the 考核细则's
    :meth:`~._rubric_checks.RubricRows.adjustments`, :meth:`~._rubric_checks.RubricRows.checklist`) takes the columns of the non-blank
    rows ({field: :class:`Column`}) and a :class:`Verdict`, flags bad rows in field order
    and returns the record's columns (values of bad rows are unused) with the warnings
    ``(field, rows, message(i))`` that apply to rows accepted.
    """

    def __init__(self, catalog):
        self.catalog = catalog

    @functools.cached_property
    def _ballot_names(self):
        """Lookups for ballot rows: secretary → (name, unit), group → id, item, rating."""
        scheme = self.catalog.review
        groups = {norm_text(n): g for n, g in zip(scheme.rater_groups["name"], scheme.rater_groups["id"])} | \
            {norm_text(g): g for g in scheme.rater_groups["id"]}
        secretaries = {norm_text(n): (n, norm_text(u)) for n, u in
                       zip(self.catalog.secretaries["name"], self.catalog.secretaries["unit"])}
        items = {norm_text(i): i for i in scheme.items}
        ratings = {norm_text(r): r for r in [*scheme.ratings["rating"], *scheme.invalid]}
        return secretaries, groups, items, ratings

    def ballots(self, col: dict, v: Verdict) -> tuple[list, list]:
        scheme = self.catalog.review
        secretaries, groups, items, ratings = self._ballot_names
        year, ok = _years(self.catalog, col["year"])
        v.check("year", ~ok, lambda i: f"年度“{col['year'].raw[i]}”有误")
        name = col["secretary"].map(lambda u: secretaries.get(norm_text(u), (None,))[0])
        v.check("secretary", name == None, lambda i: f"书记“{col['secretary'].raw[i]}”不在述职评议名单中")  # noqa: E711
        unit = col["secretary"].map(lambda u: secretaries.get(norm_text(u), (None, None))[1])
        if "unit_name" in col:
            given = col["unit_name"].map(norm_text)
            v.check("unit_name", ~col["unit_name"].empty & (given != unit),
                    lambda i: f"单位“{col['unit_name'].raw[i]}”与述职评议名单中{name[i]}的单位“{unit[i]}”不符")
        group = col["rater_group"].map(lambda u: groups.get(norm_text(u)))
        v.check("rater_group", group == None,  # noqa: E711
                lambda i: f"评议人类别“{col['rater_group'].raw[i]}”未定义；应为：{'、'.join(scheme.rater_groups['name'])}")
        item = col["item"].map(lambda u: items.get(norm_text(u)))
        v.check("item", item == None, lambda i: f"评议项目“{col['item'].raw[i]}”未定义")  # noqa: E711
        count, status, message = _counts(col["count"], "票")
        blank = col["rating"].empty
        zero = (status == OK) & (count == 0)
        v.check("rating", blank & ~zero, lambda i: f"评价未填写，但票数为“{col['count'].raw[i]}”：请填写评价档次"
                                                   f"（空白票填“空白”），不能当作空白票")
        v.check("rating", blank & zero, lambda i: "评价未填写（票数为 0）", severity="warning", code="blank_rating")
        rating = col["rating"].map(lambda u: ratings.get(norm_text(u)))
        v.check("rating", rating == None, lambda i: f"评价“{col['rating'].raw[i]}”未定义；应为："  # noqa: E711
                                                    f"{'、'.join([*scheme.ratings['rating'], *scheme.invalid])}")
        v.check("count", status != OK, lambda i: f"票数：{message[i] or '未填写'}")
        return [year, name, unit, group, item, rating, np.nan_to_num(count).astype(np.int64)], []

    def ledger(self, col: dict, v: Verdict) -> tuple[list, list]:
        town = col["township"].map(lambda u: self.catalog.resolve_township(u or ""))
        v.check("township", town == None, lambda i: f"乡镇“{col['township'].raw[i]}”不在名录中")  # noqa: E711
        item_id = col["item_id"].map(norm_text)
        v.check("item_id", item_id == "", lambda i: "台账编号未填写")
        n = len(town)
        description = col["description"].map(lambda u: str(u or "")) if "description" in col else np.full(n, "")
        dates = {}
        for fld in ("opened", "due", "closed"):
            parsed = col[fld].map(parse_date)
            dates[fld] = np.array([p[0] for p in parsed], dtype=object)
            ok = np.fromiter((p[1] for p in parsed), bool, n)
            v.check(fld, ~ok | ((dates[fld] == None) & (fld != "closed")),  # noqa: E711
                    lambda i, f=fld: f"日期“{col[f].raw[i] or ''}”有误，应为 2015-03-31 这样的日期")
        opened, due, closed = (pd.to_datetime(pd.Series(dates[f], dtype=object)).to_numpy()
                               for f in ("opened", "due", "closed"))
        v.check("due", due < opened, lambda i: "整改时限早于建账日期")
        v.check("closed", closed < opened, lambda i: "销号日期早于建账日期")
        status = col["status"].map(norm_text) if "status" in col else np.full(n, "")
        said_closed = np.isin(status, list(CLOSED_STATUSES)) & np.isnat(closed)
        warnings = [("closed", said_closed, lambda i: f"状态为“{status[i]}”，但销号日期未填写：本项按未销号统计，请补填销号日期")]
        return [town, item_id, description, dates["opened"], dates["due"], dates["closed"], status], warnings

    def links(self, col: dict, v: Verdict) -> tuple[list, list]:
        cat = self.catalog
        town = col["township"].map(lambda u: cat.resolve_township(u or ""))
        v.check("township", town == None, lambda i: f"乡镇“{col['township'].raw[i]}”不在名录中")  # noqa: E711
        year, ok = _years(cat, col["year"])
        codes, _ = _codes(col["township"].codes, col["village"].codes, col["year"].codes)
        names = col["village"].raw
        first = np.unique(codes, return_index=True)[1]           # a row of each (township, village, year)
        found = [cat.match_village(town[k], names[k] or "", year[k] if ok[k] else None) if town[k] else None
                 for k in first]
        resolved = np.array([None if f is None or f.severity == "error" else f.unit_name for f in found],
                            dtype=object)[codes]
        said = np.array([None if f is None else f.message for f in found], dtype=object)[codes]
        v.check("village", resolved == None,  # noqa: E711
                lambda i: said[i] or (unknown_village(cat, town[i], col["village"].raw[i], int(year[i]))
                                      if town[i] and ok[i] else f"村（社区）“{col['village'].raw[i]}”不在{town[i]}的名录中"))
        v.check("year", ~ok, lambda i: f"年度“{col['year'].raw[i]}”有误")
        old_name = np.array([f is not None and f.severity == "warning" for f in found], dtype=bool)[codes]
        visited, status, message = _counts(col["households_visited"], "户")
        v.check("households_visited", status == ERROR, lambda i: f"走访农户数：{message[i]}")
        team = col["leader_team"].map(norm_text)
        v.check("leader_team", team == "", lambda i: "驻点工作组未填写")
        visited = np.array([None if np.isnan(x) else int(x) for x in visited], dtype=object)
        return [team, town, resolved, year, visited], [("village", old_name, lambda i: said[i])]


def _majority(keys: np.ndarray, values: np.ndarray, n_keys: int) -> np.ndarray:
    """Per key ``0 .. n_keys - 1``, the value more than half of its non-NaN entries share (else NaN)."""
    out = np.full(n_keys, np.nan)
    ok = ~np.isnan(values)
    k, v = keys[ok], values[ok]
    if not k.size:
        return out
    order = np.lexsort((v, k))
    k, v = k[order], v[order]
    start = np.flatnonzero(np.r_[True, (k[1:] != k[:-1]) | (v[1:] != v[:-1])])
    runs = np.diff(np.r_[start, k.size])                             # entries per (key, value)
    rk, rv = k[start], v[start]
    order = np.lexsort((-runs, rk))
    best = order[np.r_[True, rk[order][1:] != rk[order][:-1]]]       # the longest run of each key
    major = runs[best] * 2 > np.bincount(k, minlength=n_keys)[rk[best]]
    out[rk[best][major]] = rv[best][major]
    return out


def _codes(*arrays) -> tuple[np.ndarray, int]:
    """Dense integer codes of the combinations of ``arrays`` (each factorised first)."""
    key = np.zeros(len(arrays[0]), np.int64)
    for a in arrays:
        codes, uniques = pd.factorize(a)
        key = key * (len(uniques) + 1) + codes
    codes, uniques = pd.factorize(key)
    return codes, len(uniques)


def ballot_totals(catalog, record: list, bad: np.ndarray) -> tuple[list[tuple[np.ndarray, str]], bool]:
    """Ballot totals (all ratings of one secretary, year, rater group and item) that differ from
    the group's size: ``([(rows, message), ...], unique)``; ``unique`` says that no two rows
    with a year, secretary, rater group and item share them and the rating (no row given twice).

    Expected: the catalogue's ``size`` of the group; else the total more than half of that
    year's secretaries have for the group (each secretary's total being the one more than half
    of their items have); else the secretary's own items' majority. Items with a rejected or
    repeated row are left out (their own error says why).
    """
    year, name, _, group, item, rating, count = record
    years = np.array(year, dtype=float)
    rows = np.flatnonzero((years >= catalog.first_year)
                          & (name != None) & (group != None) & (item != None))  # noqa: E711
    if not rows.size:
        return [], True
    y, g, s, i = years[rows], group[rows], name[rows], item[rows]
    k, n_items = _codes(y, g, s, i)                                   # one code per item of a secretary
    with_rating, _ = _codes(k, rating[rows])
    repeated = np.bincount(with_rating)[with_rating] > 1
    unique = not repeated.any()
    skip = np.bincount(k, weights=bad[rows] | repeated, minlength=n_items) > 0
    total = np.bincount(k, weights=count[rows].astype(float), minlength=n_items)
    one = np.unique(k, return_index=True)[1]                          # the first row of each item
    total[skip] = np.nan
    sec, n_secs = _codes(y[one], g[one], s[one])
    sec_total = _majority(sec, total, n_secs)[sec]
    year_key, n_years = _codes(y[one], g[one])
    first_of_sec = np.unique(sec, return_index=True)[1]
    year_total = _majority(year_key[first_of_sec], sec_total[first_of_sec], n_years)[year_key]
    groups = catalog.review.rater_groups
    sizes = {gid: float(n) for gid, n in zip(groups["id"], groups["size"]) if n is not None}
    size = np.array([sizes.get(x, np.nan) for x in g[one]])
    expected = np.where(~np.isnan(size), size, np.where(~np.isnan(year_total), year_total, sec_total))
    basis = np.where(~np.isnan(size), 0, np.where(~np.isnan(year_total), 1, 2))
    names = dict(zip(groups["id"], groups["name"]))
    why = ["指标体系规定该类评议人 {e} 人", "当年过半数书记该类评议人的票数合计为 {e}", "该书记过半数评议项目的合计为 {e}"]
    out = []
    for c in np.flatnonzero(~np.isnan(total) & ~np.isnan(expected) & (total != expected)):
        r, e = one[c], expected[c]
        out.append((rows[k == c], f"{s[r]} {int(y[r])} 年“{names[g[r]]}”对“{i[r]}”的票数合计为 {number_text(total[c])}，"
                                  f"应为 {number_text(e)}（{why[basis[c]].format(e=number_text(e))}）"))
    unsure = ~np.isnan(total) & np.isnan(expected)
    for q in np.unique(sec[unsure]):
        members = np.flatnonzero(unsure & (sec == q))
        r = one[members[0]]
        totals = "、".join(f"{i[one[c]]} {number_text(total[c])}" for c in members)
        out.append((rows[np.isin(k, members)], f"{s[r]} {int(y[r])} 年“{names[g[r]]}”各评议项目的票数合计不一致"
                                               f"（{totals}），无法确定该类评议人数"))
    return out, unique
