"""Private: the rows of a county table (述职评议 ballots, 四风 ledger, 驻点 links) checked and parsed.

:meth:`CountyRows.parse` returns ``(record, None)`` for a good row or ``(None, (field,
message))`` naming the first bad field in Chinese; :func:`read_county_rows` reads a whole
sheet into the batch, one error per bad row.
"""

from __future__ import annotations

import functools

from ._address import cell_address
from ._values import ERROR, OK, norm_text, parse_date, parse_value, parse_year

__all__ = ["CountyRows", "read_county_rows"]


class CountyRows:
    """Parsers of the county tables' rows against a catalogue."""

    def __init__(self, catalog):
        self.catalog = catalog

    def parse(self, table: str, raw: dict):
        """Parse one row of ``table`` (ballots, ledger or links) given as {field: cell value}."""
        return {"ballots": self.parse_ballot, "ledger": self.parse_ledger, "links": self.parse_link}[table](raw)

    @functools.cached_property
    def _ballot_names(self):
        """Lookups for ballot rows, built once: secretaries → unit, group names → ids, ratings."""
        scheme = self.catalog.review
        groups = dict(zip(scheme.rater_groups["name"], scheme.rater_groups["id"])) | \
            {g: g for g in scheme.rater_groups["id"]}
        units = dict(zip(self.catalog.secretaries["name"], self.catalog.secretaries["unit"]))
        ratings = set(scheme.ratings["rating"]) | set(scheme.invalid)
        return units, groups, ratings

    def parse_ballot(self, raw):
        cat, scheme = self.catalog, self.catalog.review
        units, groups, ratings = self._ballot_names
        year = parse_year(raw.get("year"))
        if year is None or not cat.first_year <= year <= cat.last_year:
            return None, ("year", f"年度“{raw.get('year')}”有误")
        secretary = norm_text(raw.get("secretary"))
        if secretary not in units:
            return None, ("secretary", f"书记“{raw.get('secretary')}”不在述职评议名单中")
        group = groups.get(norm_text(raw.get("rater_group")))
        if group is None:
            return None, ("rater_group", f"评议人类别“{raw.get('rater_group')}”未定义；应为："
                                         f"{'、'.join(scheme.rater_groups['name'])}")
        item = norm_text(raw.get("item"))
        if item not in scheme.items:
            return None, ("item", f"评议项目“{raw.get('item')}”未定义")
        rating = norm_text(raw.get("rating")) or "空白"
        if rating not in ratings:
            return None, ("rating", f"评价“{raw.get('rating')}”未定义；应为："
                                    f"{'、'.join([*scheme.ratings['rating'], *scheme.invalid])}")
        count = raw.get("count")
        if type(count) is float and count.is_integer() and count >= 0:    # the common case, fast
            n = count
        else:
            status, n, _, message = parse_value(count, "count", "票")
            if status != OK:
                return None, ("count", f"票数：{message or '未填写'}")
        unit = raw.get("unit_name") or units[secretary]
        return (year, secretary, norm_text(unit), group, item, rating, int(n)), None

    def parse_ledger(self, raw):
        town = self.catalog.resolve_township(raw.get("township") or "")
        if town is None:
            return None, ("township", f"乡镇“{raw.get('township')}”不在名录中")
        item_id = norm_text(raw.get("item_id"))
        if not item_id:
            return None, ("item_id", "台账编号未填写")
        dates = {}
        for fld in ("opened", "due", "closed"):
            value, ok = parse_date(raw.get(fld))
            if not ok or (value is None and fld != "closed"):
                return None, (fld, f"日期“{raw.get(fld) or ''}”有误，应为 2015-03-31 这样的日期")
            dates[fld] = value
        if dates["due"] < dates["opened"]:
            return None, ("due", "整改时限早于建账日期")
        return (town, item_id, str(raw.get("description") or ""), dates["opened"], dates["due"],
                dates["closed"], norm_text(raw.get("status"))), None

    def parse_link(self, raw):
        town = self.catalog.resolve_township(raw.get("township") or "")
        if town is None:
            return None, ("township", f"乡镇“{raw.get('township')}”不在名录中")
        village = self.catalog.resolve_village(town, raw.get("village") or "")
        if village is None:
            return None, ("village", f"村（社区）“{raw.get('village')}”不在{town}的名录中")
        year = parse_year(raw.get("year"))
        if year is None or not self.catalog.first_year <= year <= self.catalog.last_year:
            return None, ("year", f"年度“{raw.get('year')}”有误")
        status, n, _, message = parse_value(raw.get("households_visited"), "count", "户")
        if status == ERROR:
            return None, ("households_visited", f"走访农户数：{message}")
        team = norm_text(raw.get("leader_team"))
        if not team:
            return None, ("leader_team", "驻点工作组未填写")
        return (team, town, village, year, None if n is None else int(n)), None


def read_county_rows(batch, table, rows, header_row, mapping, file, sheet, count, csv_mode) -> None:
    """Parse the rows of a county sheet below ``header_row``; a bad row is rejected whole
    with one error at its first bad field."""
    labels = rows[header_row]
    cols = {f: j for j, f in enumerate(mapping) if f is not None}
    fidx = batch.file_index
    for i in range(header_row + 1, len(rows)):
        row = rows[i]
        raw = {f: (row[j] if j < len(row) else None) for f, j in cols.items()}
        filled = [f for f, v in raw.items() if v not in (None, "")]
        if not filled:
            continue
        count["cells_read"] += len(raw)
        span = f"{cell_address(csv_mode, i, 0, labels)}:{cell_address(csv_mode, i, len(row) - 1, labels)}" \
            if not csv_mode else f"第{i + 1}行"
        record, bad = batch.county.parse(table, raw)
        if bad:
            fld, message = bad
            count["cells_rejected"] += len(filled)
            batch.issue(file, sheet, cell_address(csv_mode, i, cols.get(fld, 0), labels), "error",
                        f"bad_{table}", f"{message}；本行（{span}）未采用")
            continue
        count["cells_accepted"] += len(filled)
        count["cells_empty"] += len(raw) - len(filled)
        batch.tables[table].append((*record, file, sheet, span, fidx))
