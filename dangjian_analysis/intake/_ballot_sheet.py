"""Private: a 测评票 sheet (one row a ballot, one column a secretary) read into the batch.

The key columns are 年度 and 评议人类别 (required), 评议项目 (optional: the scheme's first item,
总体评价) and 票号 (optional: a ballot without one is known by its row, ``第7行``, with a
warning when the column is there but the cell is blank). Every other column is headed by a
secretary's name as the catalogue writes it; a column under another header (or none) is one
warning, its values read and rejected.

A row whose 年度, 评议人类别 or 评议项目 is wrong is rejected whole, one error at that cell. In a
row accepted, each secretary's cell is a rating (``catalog.review.ratings`` or ``invalid``:
好/较好/一般/差/不了解/空白) or a score 0–100; anything else is an error at the cell and that cell
alone is rejected. A blank cell gives no row (the ballot does not rate that secretary). Each
cell read becomes one row of ``ballot_sheets`` (:data:`~dangjian_analysis.catalog.tables.BALLOT_SHEET_COLUMNS`)
whose provenance is the cell; ``cells_read = cells_accepted + cells_rejected + cells_empty``
holds for the sheet. Each record ends with two fields the frame leaves out: the cells it stands
for (its own, and the row's key cells on its first record) and its 票号 cell. Checks across rows and sheets (a 票号 twice, ballots also given as
述职评议 tallies, a year after the catalogue's) are :mod:`._rubric_batch`'s.
"""

from __future__ import annotations

from ..catalog.tables import BALLOT_SHEET_KEYS, COUNTY_OPTIONAL
from ._address import cell_address
from ._county import _reject_sheet, _unknown_column
from ._rubric_checks import parse_number
from ._values import norm_text, number_text, parse_year

__all__ = ["read_ballot_sheet"]

TABLE = "ballot_sheets"


def _filled(x) -> bool:
    return x is not None and x != ""


def _lookups(catalog) -> tuple[dict, dict, dict, dict]:
    """Normalised text → secretary name, rater group id, item, rating."""
    scheme = catalog.review
    secretaries = {norm_text(n): n for n in catalog.secretaries["name"]}
    groups = {norm_text(n): g for n, g in zip(scheme.rater_groups["name"], scheme.rater_groups["id"])} | \
        {norm_text(g): g for g in scheme.rater_groups["id"]}
    items = {norm_text(i): i for i in scheme.items}
    ratings = {norm_text(r): r for r in [*scheme.ratings["rating"], *scheme.invalid]}
    return secretaries, groups, items, ratings


def _columns(labels, mapping, width, secretaries):
    """(key field → column, secretary columns [(column, name)], unaccounted [(column, field)])."""
    keys, people, extra, seen = {}, [], [], set()
    for j in range(width):
        f = mapping[j] if j < len(mapping) else None
        name = secretaries.get(norm_text(labels[j])) if j < len(labels) and _filled(labels[j]) else None
        if f in BALLOT_SHEET_KEYS and f not in keys:
            keys[f] = j
        elif f is None and name is not None and name not in seen:
            seen.add(name)
            people.append((j, name))
        else:
            extra.append((j, f if f in BALLOT_SHEET_KEYS else None))
    return keys, people, extra


def read_ballot_sheet(batch, rows, header_row, mapping, file, sheet, count, csv_mode,
                      formula_missing=frozenset()) -> None:
    """Read the ballots of a 测评票 sheet below ``header_row`` (see the module docstring)."""
    secretaries, groups, items, ratings = _lookups(batch.catalog)
    labels, data = rows[header_row], rows[header_row + 1:]
    width = max([len(labels), *map(len, data)])
    data = [list(r) + [None] * (width - len(r)) for r in data]
    columns = list(zip(*data)) if data else [()] * width
    keys, people, extra = _columns(labels, mapping, width, secretaries)
    where = (file, sheet, csv_mode)
    missing = [f for f in BALLOT_SHEET_KEYS if f not in keys and f not in COUNTY_OPTIONAL[TABLE]]
    if missing:
        unknown = [labels[j] for j, f in extra if j < len(labels) and _filled(labels[j]) and f is None]
        _reject_sheet(batch, count, columns, missing, unknown, header_row, width, TABLE, where)
        return
    for j, f in extra:
        if f is not None:                        # a key column given twice
            _unknown_column(batch, count, columns[j], j, f, keys, header_row, labels, TABLE, where)
        else:
            _not_a_secretary(batch, count, columns[j], j, header_row, labels, where)
    scheme, formula = batch.catalog.review, set(formula_missing)
    group_names = "、".join(scheme.rater_groups["name"])
    shown = "、".join([*scheme.ratings["rating"], *scheme.invalid])
    records, spans = [], []
    used = [*keys.values(), *(j for j, _ in people)]
    for k, row in enumerate(data):
        i = header_row + 1 + k
        filled = sum(_filled(row[j]) for j in used)
        if not filled and not any(cell_address(csv_mode, i, j, labels) in formula for j in used):
            continue
        count["cells_read"] += len(used)
        count["cells_empty"] += len(used) - filled

        def at(j):
            return cell_address(csv_mode, i, j, labels)

        fault = _row_fault(row, keys, at, formula, groups, items, batch.catalog.first_year, group_names)
        if fault is not None:
            j, message = fault
            count["cells_rejected"] += filled
            batch.issue(file, sheet, at(j), "error", "bad_ballot_sheets", f"{message}；本行（第{i + 1}行）未采用")
            continue
        year = parse_year(row[keys["year"]])
        group = groups[norm_text(row[keys["rater_group"]])]
        item = items[norm_text(row[keys["item"]])] if "item" in keys and _filled(row[keys["item"]]) else scheme.items[0]
        ballot = norm_text(number_text(row[keys["ballot"]]) if isinstance(row[keys["ballot"]], (int, float))
                           else row[keys["ballot"]]) if "ballot" in keys else ""
        if not ballot:
            ballot = f"第{i + 1}行"
            if "ballot" in keys:
                batch.issue(file, sheet, at(keys["ballot"]), "warning", "ballot_sheets_ballot",
                            f"票号未填写，本票按行号（{ballot}）识别")
        key_cells = sum(_filled(row[j]) for j in keys.values())
        count["cells_accepted"] += key_cells
        first = True
        for j, name in people:
            x = row[j]
            if not _filled(x) and at(j) not in formula:
                continue
            rating, score, message = _cell(x, ratings, shown, at(j) in formula)
            if message:
                count["cells_rejected"] += _filled(x)
                batch.issue(file, sheet, at(j), "error", "bad_ballot_cell",
                            f"{name}：{message}；本格未采用（本票其他格照常读取）")
                continue
            count["cells_accepted"] += 1
            records.append((year, group, item, ballot, name, rating, score, 1 + (key_cells if first else 0),
                            at(keys.get("ballot", keys["year"]))))
            spans.append(at(j))
            first = False
    batch.table(TABLE).add([list(c) for c in zip(*records)] if records else [], file, sheet, spans,
                           batch.file_index)


def _not_a_secretary(batch, count, values, j, header_row, labels, where) -> None:
    """Values under a header that is no secretary's name (or under none): one warning naming the
    column and its cells; the values are counted as read and rejected."""
    file, sheet, csv_mode = where
    filled = [i for i, x in enumerate(values) if _filled(x)]
    if not filled:
        return
    count["cells_read"] += len(filled)
    count["cells_rejected"] += len(filled)
    first, last = (cell_address(csv_mode, header_row + 1 + i, j, labels) for i in (filled[0], filled[-1]))
    head = labels[j] if j < len(labels) else None
    what = f"表头“{head}”不是指标体系中书记的姓名" if _filled(head) else "本列没有表头"
    batch.issue(file, sheet, cell_address(csv_mode, header_row, j, labels), "warning", "unknown_secretary",
                f"{what}，该列 {len(filled)} 票（{first}:{last}）未读取；请按指标体系中的姓名填写表头")


def _row_fault(row, keys, at, formula, groups, items, first_year, group_names):
    """(column, message) of the first bad key cell of a ballot row, or None."""
    for f in ("year", "rater_group", "item"):
        if f in keys and at(keys[f]) in formula:
            return keys[f], "单元格是公式且没有计算结果（系统不执行公式），请改为直接填写"
    raw = row[keys["year"]]
    year = parse_year(raw)
    if year is None or year < first_year:
        return keys["year"], f"年度“{raw if _filled(raw) else ''}”有误"
    raw = row[keys["rater_group"]]
    if norm_text(raw) not in groups:
        return keys["rater_group"], f"评议人类别“{raw if _filled(raw) else ''}”未定义；应为：{group_names}"
    if "item" in keys and _filled(row[keys["item"]]) and norm_text(row[keys["item"]]) not in items:
        return keys["item"], f"评议项目“{row[keys['item']]}”未定义；应为：{'、'.join(items.values())}"
    return None


def _cell(x, ratings: dict, shown: str, formula: bool):
    """(rating, score, error message) of one secretary's cell of a ballot."""
    if formula:
        return None, float("nan"), "单元格是公式且没有计算结果（系统不执行公式），请改为直接填写"
    rating = ratings.get(norm_text(x)) if isinstance(x, str) else None
    if rating is not None:
        return rating, float("nan"), None
    score = parse_number(x)
    if score is not None and 0 <= score <= 100:
        return None, score, None
    if score is not None:
        return None, float("nan"), f"分数“{number_text(score)}”不在 0–100 之间"
    return None, float("nan"), f"“{x}”不是评价档次（{shown}）或 0–100 的分数"
