"""The county-level template (县级数据) that the county's clerks fill in, generated from the catalogue.

Sheets, in the layout the intake reads (:data:`~dangjian_analysis.catalog.tables.COUNTY_SHEETS`:
one header row, then one row per fact, no extra column)::

    填报说明        what each sheet is and how to fill it; the rater groups and the ballots each
                    group should have; 计票核对, the sums of the ballots typed (formulas — the
                    intake never reads this sheet)
    名录            hidden lists behind the dropdowns
    述职评议计票    年度 | 书记 | 单位 | 评议人类别 | 评议项目 | 评价 | 票数 — one row per secretary ×
                    rater group × item × rating (the ratings and 不了解/空白), 票数 to fill
    四风台账        乡镇 | 编号 | 问题描述 | 建账日期 | 整改时限 | 销号日期 | 状态 — last year's open
                    items (with ``previous``), then blank rows for new items
    驻点联系        驻点工作组 | 乡镇 | 村（社区） | 年度 | 走访农户数 — every village of the year,
                    with last year's leader team (with ``previous``)
    加减分台账      when the catalogue has an ``[assessment]`` (考核细则), with 考核清单 and 测评票:
    考核清单        see :mod:`._county_rubric` (the 考核清单 prefilled one row per unit × check,
    测评票          完成情况 to fill; the others blank rows with dropdowns)

Keys written from the catalogue or last year (grey) are locked; the sheets are protected without
a password, every cell to fill and every row below the prefilled ones stays editable. The rater
groups are written by their Chinese names (the intake also accepts the ids).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..catalog import Catalog, load_catalog
from ..catalog.tables import COUNTY_SHEETS

__all__ = ["write_county_template", "BALLOT_SHEET", "LEDGER_SHEET", "LINK_SHEET", "STATUSES", "NEW_LEDGER_ROWS"]

BALLOT_SHEET, LEDGER_SHEET, LINK_SHEET = "述职评议计票", COUNTY_SHEETS["ledger"][0], COUNTY_SHEETS["links"][0]
#: The 状态 dropdown of the 四风台账 (the intake reads 已销号 and 逾期销号 as closed).
STATUSES = ("整改中", "已销号", "逾期销号")
#: Blank rows left in the 四风台账 for the year's new items.
NEW_LEDGER_ROWS = 20
_WIDTHS = {"ballots": [8, 10, 22, 28, 22, 9, 9], "ledger": [10, 16, 36, 12, 12, 12, 11],
           "links": [16, 10, 14, 8, 12]}


def write_county_template(path: str | Path, *, year: int | None = None, catalog: Catalog | None = None,
                          previous=None) -> Path:
    """Write the county-level workbook (县级数据) for one year and save it to ``path``.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    year : int, optional
        The year, from the catalogue's ``first_year`` to one year after its last year (or after
        the last year of the ``previous`` data). Default: the year after the ``previous`` data,
        else the catalogue's last year.
    catalog : Catalog, optional
        Default :func:`load_catalog`.
    previous : Dataset, str, Path or list, optional
        Last year's data (a :func:`~dangjian_analysis.load` result, or files / folders to load):
        the 四风台账 starts with the items not closed (as recorded: 状态, dates), the 驻点联系
        with last year's leader team of each village.

    Returns
    -------
    Path
        The file written; the same arguments always give the same bytes.

    Examples
    --------
    The 述职评议计票 has one row per secretary × rater group × item × rating:

    >>> import tempfile, openpyxl
    >>> from dangjian_analysis import load_catalog
    >>> cat = load_catalog()
    >>> out = write_county_template(tempfile.mkdtemp() + "/县级数据2016.xlsx", year=2016)
    >>> ws = openpyxl.load_workbook(out)["述职评议计票"]
    >>> ws.max_row - 1 == (len(cat.secretaries) * len(cat.review.rater_groups) * len(cat.review.items)
    ...                    * (len(cat.review.ratings) + len(cat.review.invalid)))
    True
    """
    from openpyxl import Workbook

    from ._county_guide import write_county_guide
    from ._xlsx import save_workbook

    catalog = catalog or load_catalog()
    if isinstance(previous, (str, Path, list, tuple)):
        from ..intake import load

        previous = load(*(previous if isinstance(previous, (list, tuple)) else [previous]), catalog=catalog)
    year = _year(catalog, year, previous)
    ballots, ledger, links = _ballot_rows(catalog, year), _open_items(catalog, previous), \
        _link_rows(catalog, year, previous)
    wb = Workbook()
    lists = _lists(wb, catalog, year)
    write_county_guide(wb.active, catalog, year, ballot_sheet=BALLOT_SHEET, n_carried=len(ledger),
                       n_teams=sum(1 for r in links if r[0]), with_previous=previous is not None)
    _sheet(wb.create_sheet(BALLOT_SHEET), "ballots", ballots, lists, year, catalog)
    _sheet(wb.create_sheet(LEDGER_SHEET), "ledger", ledger, lists, year, catalog)
    _sheet(wb.create_sheet(LINK_SHEET), "links", links, lists, year, catalog)
    if catalog.assessment is not None:
        from ._county_rubric import write_rubric_sheets

        write_rubric_sheets(wb, catalog, year, lists)
    return save_workbook(wb, path)


def _year(catalog: Catalog, year: int | None, previous) -> int:
    """The template's year, checked: ``first_year`` … one year after the last year known."""
    seen = [] if previous is None else [int(y) for t in ("observations", "ballots", "links")
                                        for y in getattr(previous, t)["year"].dropna().unique()]
    known = max([catalog.years[-1], *seen])
    year = year or (known + 1 if seen else catalog.years[-1])
    if not catalog.first_year <= year <= known + 1:
        hint = "；更晚的年度请用 --previous 给出上一年的数据" if previous is None else ""
        raise ValueError(f"年度 {year} 超出范围：应在 {catalog.first_year}–{known + 1} 之间{hint}")
    return year


def _ballot_rows(catalog: Catalog, year: int) -> list[tuple]:
    """(年度, 书记, 单位, 评议人类别, 评议项目, 评价, None): secretary × group × item × rating."""
    scheme = catalog.review
    ratings = [*scheme.ratings["rating"], *scheme.invalid]
    return [(year, name, unit, group, item, rating, None)
            for name, unit in zip(catalog.secretaries["name"], catalog.secretaries["unit"])
            for group in scheme.rater_groups["name"] for item in scheme.items for rating in ratings]


def _day(value):
    """A date of the Dataset as a ``datetime.date`` (None when empty)."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _open_items(catalog: Catalog, previous) -> list[tuple]:
    """The 四风 items of ``previous`` not closed, in the catalogue's township order, as recorded."""
    if previous is None or previous.ledger.empty:
        return []
    ledger = previous.ledger[previous.ledger["closed"].isna()]
    order = {t: i for i, t in enumerate(catalog.townships["unit_name"])}
    ledger = ledger.assign(_o=ledger["township"].map(order)).sort_values(["_o", "item_id"], kind="stable")
    return [(r.township, r.item_id, r.description or None, _day(r.opened), _day(r.due), None, r.status or None)
            for r in ledger.itertuples()]


def _link_rows(catalog: Catalog, year: int, previous) -> list[tuple]:
    """(驻点工作组, 乡镇, 村（社区）, 年度, None) for every village of ``year`` (name of that year):
    last year's team(s) of the village (one row each), else one row with the team blank."""
    teams: dict[str, list[str]] = {}
    if previous is not None and not previous.links.empty:
        last = previous.links[previous.links["year"] == year - 1]
        for team, town, village in zip(last["leader_team"], last["township"], last["village"]):
            found = catalog.match_village(town, village)
            if found is not None and team not in teams.setdefault(found.unit_id, []):
                teams[found.unit_id].append(team)
    rows = []
    villages = catalog.villages_in(year)
    for town in catalog.townships["unit_name"]:
        here = villages[villages["township"] == town]
        for unit_id, name in zip(here["unit_id"], here["name_in_year"]):
            rows += [(team, town, name, year, None) for team in teams.get(unit_id, [None])]
    return rows


def _lists(wb, catalog: Catalog, year: int) -> dict[str, tuple[str, int]]:
    """The hidden 名录 sheet behind the dropdowns: {list name: (its column letter, its length)}."""
    ws = wb.create_sheet("名录")
    ws.sheet_state = "hidden"
    scheme = catalog.review
    columns = {"书记": list(catalog.secretaries["name"]), "评议人类别": list(scheme.rater_groups["name"]),
               "评议项目": list(scheme.items), "评价": [*scheme.ratings["rating"], *scheme.invalid],
               "乡镇": list(catalog.townships["unit_name"]),
               "村（社区）": list(dict.fromkeys(catalog.villages_in(year)["name_in_year"])), "状态": list(STATUSES)}
    if catalog.assessment is not None:
        from ._county_rubric import rubric_lists

        columns |= rubric_lists(catalog)
    out = {}
    for j, (head, values) in enumerate(columns.items(), start=1):
        ws.cell(row=1, column=j, value=head)
        for i, value in enumerate(values, start=2):
            ws.cell(row=i, column=j, value=value)
        out[head] = (ws.cell(row=1, column=j).column_letter, len(values))
    return out


def _sheet(ws, table: str, rows: list[tuple], lists, year: int, catalog: Catalog) -> None:
    """One data sheet: the header, the prefilled rows, dropdowns, protection, printing."""
    from ._county_rubric import county_sheet

    headers = list(COUNTY_SHEETS[table][1].values())
    n = len(rows) + (NEW_LEDGER_ROWS if table == "ledger" else 0)
    year_column = {"ballots": 0, "links": 3}.get(table)
    county_sheet(ws, headers, _WIDTHS[table], rows, n - len(rows),
                 {"ballots": {0, 1, 2, 3, 4, 5}, "ledger": {0, 1}, "links": {1, 2, 3}}[table],
                 {3, 4, 5} if table == "ledger" else set(), landscape=table == "ledger",
                 centred=set() if year_column is None else {year_column}, wrapped={2} if table == "ledger" else set())
    last = max(n + 1, 2) + 200                  # dropdowns reach below the prefilled rows
    _validations(ws, table, lists, last, year, catalog)
    ws.auto_filter.ref = None


def _validations(ws, table: str, lists, last: int, year: int, catalog: Catalog) -> None:
    """Dropdowns from the hidden 名录 sheet, whole numbers for 年度 and the counts, dates."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def listed(head: str, column: str, strict: bool = True) -> None:
        letter, n = lists[head]
        dv = DataValidation(type="list", formula1=f"=名录!${letter}$2:${letter}${n + 1}", allow_blank=True)
        dv.error, dv.errorTitle = f"请从下拉列表中选择{head}", f"{head}有误"
        dv.errorStyle = "stop" if strict else "warning"
        add(dv, column)

    def add(dv, column: str) -> None:
        dv.showErrorMessage = True
        dv.add(f"{column}2:{column}{last}")
        ws.add_data_validation(dv)

    def whole(column: str, lo: int, hi: int | None, what: str) -> None:
        dv = DataValidation(type="whole", operator="between" if hi is not None else "greaterThanOrEqual",
                            formula1=str(lo), formula2=None if hi is None else str(hi), allow_blank=True)
        dv.error, dv.errorTitle = what, "填写有误"
        add(dv, column)

    year_rule = (f"年度应在 {catalog.first_year}–{year} 之间", catalog.first_year, year)
    if table == "ballots":
        whole("A", year_rule[1], year_rule[2], year_rule[0])
        for head, column in (("书记", "B"), ("评议人类别", "D"), ("评议项目", "E"), ("评价", "F")):
            listed(head, column)
        whole("G", 0, None, "票数应为不小于 0 的整数（没有人选的档次填 0）")
    elif table == "ledger":
        listed("乡镇", "A")
        for column in "DEF":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            dv.error, dv.errorTitle = "请填写日期，如 2016-03-31", "日期有误"
            add(dv, column)
        listed("状态", "G", strict=False)
    else:
        listed("乡镇", "B")
        listed("村（社区）", "C")
        whole("D", year_rule[1], year_rule[2], year_rule[0])
        whole("E", 0, None, "走访农户数应为不小于 0 的整数")
