"""Private: the checks of the 考核细则's county tables that need the whole batch, run once every
file is read (:meth:`~._reading.Reading.finish`, after :func:`~._keys.check_years`).

- a year after the catalogue's last that the batch does not reach (:meth:`Catalog.accepted_years`)
  → error, the row rejected (as :func:`~._keys.check_years` does for the other tables);
- 测评票: one 票号 on two rows of one year, rater group and 评议项目 → error at each 票号 cell,
  those ballots rejected; a secretary's ballots of a year, rater group and item given both as
  述职评议 tallies and as 测评票 → one error per 测评票 column, those cells rejected (nothing is
  counted twice); a tally row whose 票数 alone is blank (the template prefills every other cell)
  for a year, secretary, rater group and item that the 测评票 accepted give → no error: its cells
  count as empty, like a template row left untouched (they are the template's, not the clerk's
  entries), and one ``info`` per sheet and group says how many rows were not counted (such rows
  of a key no 测评票 gives keep their error ``票数：未填写``); more ballots of a year, rater group and item than the group's declared
  ``size`` → warning (ballots kept);
- 加减分台账: the same entry twice (year, unit, item, 事由, 日期) → warning naming both cells, both kept;
- 考核清单: a check listed twice → error; the first kept when both say the same, else all rejected;
  rows whose 完成情况 alone is blank (:data:`~._rubric_checks.BLANK_DONE`: the template's prefilled
  rows left untouched) in a sheet with no row of that year accepted → no error: their cells count as
  empty and one ``info`` per sheet and year says that year's 考核清单 is not filled (its items stay
  待核实); in a sheet where the year is partly filled they keep their error “完成情况未填写”.

Rejected rows move their cells from accepted to rejected in their sheet's counts, so that
``cells_read = cells_accepted + cells_rejected + cells_empty`` still holds.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ._address import row_of
from ._county import BLANK_TALLIES
from ._keys import year_message
from ._rubric_checks import BLANK_DONE

__all__ = ["check_rubric_tables"]

#: Field positions in the records (see :mod:`._rubric_checks` and :mod:`._ballot_sheet`).
_ADJ_KEY, _CHECK_KEY, _BALLOT_KEY, _TALLY_KEY = (0, 1, 2, 3, 5), (0, 1, 2, 3), (0, 1, 2, 3), (0, 4, 1, 2)


def _where(batch, r) -> str:
    return f"{batch.shown(r[-4])} {r[-3]} {r[-2]}".strip()


def _reject(batch, r, cells: int) -> None:
    count = batch.sheet_count(r[-1], r[-3])
    count["cells_accepted"] -= cells
    count["cells_rejected"] += cells


def check_rubric_tables(batch) -> None:
    """Run the batch-wide checks above on ``batch.rubric`` (issues and counts into ``batch``)."""
    _later_years(batch)
    _ballot_numbers(batch)
    _tallies_too(batch)
    _blank_tallies(batch)
    _more_than_raters(batch)
    _adjustments_twice(batch)
    _checks_twice(batch)
    _blank_checklists(batch)


def _later_years(batch) -> None:
    cat = batch.catalog
    present = {row[2][4] for st in batch.staged for row in st.rows if row[2] is not None}
    present |= set(map(int, batch.tables["ballots"].column(0))) | set(map(int, batch.tables["links"].column(3)))
    for table in batch.rubric.values():
        present |= {int(y) for y in table.column(0)}
    if not present or max(present) <= cat.years[-1]:
        return
    accepted = set(cat.accepted_years(present))
    top = max(accepted)
    for key, table in batch.rubric.items():
        kept, told = [], set()
        for r in table.rows():
            if r[0] in accepted:
                kept.append(r)
                continue
            cells = r[-5] if key != "ballot_sheets" else r[-6]
            _reject(batch, r, cells)
            line = (r[-4], r[-3], row_of(r[-2]))
            if line not in told:
                told.add(line)
                batch.issue(r[-4], r[-3], r[-2], "error", f"bad_{key}",
                            f"{year_message(cat, r[0], top)}；本行（第{line[2]}行）未采用")
        if len(kept) < len(table):
            table.set_rows(kept)


def _ballot_numbers(batch) -> None:
    table = batch.rubric["ballot_sheets"]
    rows = table.rows()
    lines = defaultdict(dict)                 # ballot key → {(file index, sheet, row): 票号 cell}
    for r in rows:
        lines[tuple(r[k] for k in _BALLOT_KEY)][(r[-1], r[-3], row_of(r[-2]))] = (r[-4], r[-5])
    bad = {}
    for key, where in lines.items():
        if len(where) < 2:
            continue
        listed = "、".join(f"{batch.shown(f)} {line[1]} {cell}".strip() for line, (f, cell) in where.items())
        for line, (file, cell) in where.items():
            bad[line] = True
            batch.issue(file, line[1], cell, "error", "ballot_number_twice",
                        f"票号“{key[3]}”在 {key[0]} 年同一评议人类别、同一评议项目中出现多次（{listed}）："
                        f"无法确定哪一张是有效票，这些票均未采用，请核对原始选票")
    if bad:
        for r in rows:
            if (r[-1], r[-3], row_of(r[-2])) in bad:
                _reject(batch, r, r[-6])
        table.set_rows([r for r in rows if (r[-1], r[-3], row_of(r[-2])) not in bad])


def _tallies_too(batch) -> None:
    tallies = {}
    for r in batch.tables["ballots"].rows():
        tallies.setdefault(tuple(r[k] for k in (0, 1, 3, 4)), r)
    table = batch.rubric["ballot_sheets"]
    if not tallies or not len(table):
        return
    rows, clash = table.rows(), defaultdict(list)
    for n, r in enumerate(rows):
        tally = tallies.get(tuple(r[k] for k in _TALLY_KEY))
        if tally is not None:
            clash[(r[-1], r[-3], r[4], r[0], r[1], r[2])].append(n)
    names = dict(zip(batch.catalog.review.rater_groups["id"], batch.catalog.review.rater_groups["name"]))
    for (_, sheet, who, year, group, item), members in clash.items():
        first, last = rows[members[0]], rows[members[-1]]
        tally = tallies[(year, who, group, item)]
        for n in members:
            _reject(batch, rows[n], 1)          # the secretary's cell; the ballot's key cells stay with its other cells
        span = first[-2] if first is last else f"{first[-2]}:{last[-2]}"
        batch.issue(first[-4], sheet, span, "error", "ballots_given_twice",
                    f"{who} {year} 年“{names.get(group, group)}”对“{item}”的评议已按票数填在述职评议计票中"
                    f"（{_where(batch, tally)}），测评票中的 {len(members)} 票（{span}）未采用，以免重复计票；"
                    f"请只保留一种填报方式")
    dropped = {n for members in clash.values() for n in members}
    if dropped:
        table.set_rows([r for n, r in enumerate(rows) if n not in dropped])


def _blank_tallies(batch) -> None:
    """Tally rows left blank because their ballots are on 测评票: their errors dropped, their
    cells moved from rejected to empty, one ``info`` per sheet and rater group (years named; the
    issue names the sheet, so the message does not)."""
    stashed = [(sc, sc.pop(BLANK_TALLIES)) for sc in batch.sheet_counts if BLANK_TALLIES in sc]
    covered = {(int(r[0]), r[4], r[1], r[2]) for r in batch.rubric["ballot_sheets"].rows()}
    if not stashed or not covered:
        return
    live, drop = {id(i) for i in batch.issues}, set()
    names = dict(zip(batch.catalog.review.rater_groups["id"], batch.catalog.review.rater_groups["name"]))
    for sc, rows in stashed:
        told = defaultdict(list)                  # rater group → [(year, issue)]
        for year, who, group, item, issue, cells in rows:
            if (year, who, group, item) in covered and id(issue) in live:   # gone: its file was dropped
                drop.add(id(issue))
                sc["cells_rejected"] -= cells
                sc["cells_empty"] += cells
                told[group].append((year, issue))
        for group, members in told.items():
            file, sheet = members[0][1][:2]
            years = "、".join(str(y) for y in sorted({y for y, _ in members}))
            batch.issue(file, sheet, "", "info", "tallies_on_ballot_sheets",
                        f"{years} 年“{names.get(group, group)}”的 {len(members)} 行票数空白："
                        f"该类评议人已在测评票中逐票录入，这些行不计")
    if drop:
        batch.issues[:] = [i for i in batch.issues if id(i) not in drop]


def _more_than_raters(batch) -> None:
    groups = batch.catalog.review.rater_groups
    sizes = {g: int(n) for g, n in zip(groups["id"], groups["size"]) if n is not None and n == n}
    if not sizes:
        return
    names = dict(zip(groups["id"], groups["name"]))
    ballots = defaultdict(dict)               # (year, group, item) → {ballot: first record}
    for r in batch.rubric["ballot_sheets"].rows():
        if r[1] in sizes:
            ballots[r[:3]].setdefault(r[3], r)
    for (year, group, item), seen in ballots.items():
        if len(seen) > sizes[group]:
            r = next(iter(seen.values()))
            batch.issue(r[-4], r[-3], "", "warning", "ballot_sheets_size",
                        f"测评票中 {year} 年“{names[group]}”对“{item}”有 {len(seen)} 张票，多于指标体系规定的该类评议人"
                        f" {sizes[group]} 人：请核实是否混入了其他类别的票或重复录入")


def _adjustments_twice(batch) -> None:
    seen = defaultdict(list)
    for r in batch.rubric["adjustments"].rows():
        seen[tuple(r[k] for k in _ADJ_KEY)].append(r)
    for key, members in seen.items():
        if len(members) < 2:
            continue
        listed = "、".join(_where(batch, r) for r in members)
        for r in members[1:]:
            batch.issue(r[-4], r[-3], r[-2], "warning", "adjustment_twice",
                        f"加减分台账中同一条记录（{key[0]} 年 {key[1]} {key[2]}“{key[3]}”）出现多次（{listed}）："
                        f"均已计入，如是重复登记请删除其一")


def _checks_twice(batch) -> None:
    table = batch.rubric["checklist"]
    rows = table.rows()
    seen = defaultdict(list)
    for n, r in enumerate(rows):
        seen[tuple(r[k] for k in _CHECK_KEY)].append(n)
    drop = set()
    for key, members in seen.items():
        if len(members) < 2:
            continue
        listed = "、".join(_where(batch, rows[n]) for n in members)
        same = len({rows[n][4] for n in members}) == 1
        for n in members[1:] if same else members:
            drop.add(n)
            _reject(batch, rows[n], rows[n][-5])
            what = "内容相同，只采用第一处" if same else "完成情况不一致，均未采用，请核实"
            batch.issue(rows[n][-4], rows[n][-3], rows[n][-2], "error", "check_twice",
                        f"考核清单中 {key[0]} 年 {key[1]} {key[2]} 的清单项“{key[3]}”填了多次（{listed}）：{what}")
    if drop:
        table.set_rows([r for n, r in enumerate(rows) if n not in drop])


_YEAR_OF = re.compile(r"^(\d{4}) 年")


def _blank_checklists(batch) -> None:
    """考核清单 rows left as the template wrote them (see the module docstring): per file, sheet and
    year with no row accepted, their errors dropped, their cells moved from rejected to empty, and
    one ``info``."""
    blank = defaultdict(list)                        # (file, sheet, year) → issues
    for issue in batch.issues:
        if issue[4] == BLANK_DONE:
            blank[(issue[0], issue[1], int(_YEAR_OF.match(issue[5]).group(1)))].append(issue)
    if not blank:
        return
    filled = {(r[-4], r[-3], int(r[0])) for r in batch.rubric["checklist"].rows()}
    counts = {(c["file"], c["sheet"]): c for c in batch.sheet_counts}
    drop = set()
    for (file, sheet, year), issues in blank.items():
        if (file, sheet, year) in filled:
            continue                                  # partly filled: each blank row keeps its error
        drop.update(map(id, issues))
        count = counts.get((file, sheet))
        if count is not None:                         # the row's 年度、单位、项目编号、清单项 are the template's
            cells = 4 * len(issues)
            count["cells_rejected"] -= cells
            count["cells_empty"] += cells
        batch.issue(file, sheet, "", "info", "checklist_not_filled",
                    f"{year} 年考核清单未填写：{len(issues)} 行的完成情况均为空，按未填写计（不计入），"
                    f"考核清单项目的得分待核实；请在“完成情况”列填写“是”或“否”后重新报送")
    batch.issues[:] = [i for i in batch.issues if id(i) not in drop]
