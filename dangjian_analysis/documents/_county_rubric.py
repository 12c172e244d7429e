"""Private: the county template's 考核细则 sheets, written when the catalogue has an ``[assessment]``.

Sheets (one header row, then one row per fact, no hidden id row — the layout of the other county
sheets)::

    加减分台账  年度 | 单位 | 项目编号 | 事由 | 依据 | 日期 | 认定部门 | 职务或严重程度 | 分值 — blank rows,
               one per 扣分 / 加分 / 否决 entry the clerk records
    考核清单    年度 | 单位 | 项目编号 | 清单项 | 完成情况 — prefilled: one row per unit × check of every
               checklist item that applies to the unit's class; 完成情况 (是/否) to fill
    测评票      年度 | 评议人类别 | 评议项目 | 票号 | <one column per secretary, headed by the name> —
               blank rows, one per ballot; each secretary's cell a rating from the dropdown

Dropdowns come from the hidden 名录 sheet (:func:`rubric_lists`): 单位 the units assessed (the
secretaries' units, catalogue order), 项目编号 the entries the ledger may name (per_incident items,
then 加分, 扣分, 否决 in catalogue order), 职务或严重程度 the union of the rules' by_role /
by_severity keys, 完成情况 是/否. The sheet names and headers are the catalogue's
(:data:`~dangjian_analysis.catalog.tables.COUNTY_SHEETS`).
"""

from __future__ import annotations

from ..catalog import Catalog
from ..catalog.indicators import number_text as num
from ..catalog.tables import COUNTY_SHEETS

__all__ = ["ADJUSTMENT_SHEET", "CHECKLIST_SHEET", "BALLOT_SHEETS_SHEET", "DONE_WORDS", "NEW_ADJUSTMENT_ROWS",
           "rubric_headers", "ledger_entries", "role_words", "checklist_rows", "rubric_lists", "entry_legend",
           "ballot_rows_planned", "write_rubric_sheets"]


def rubric_headers(table: str) -> tuple[str, list[str]]:
    """(sheet name, headers) of a rubric sheet, as the intake reads it (for 测评票 its key columns;
    the secretaries' columns follow)."""
    sheet, headers = COUNTY_SHEETS[table]
    return sheet, list(headers.values())


ADJUSTMENT_SHEET, CHECKLIST_SHEET, BALLOT_SHEETS_SHEET = (COUNTY_SHEETS[t][0] for t in
                                                          ("adjustments", "checklist", "ballot_sheets"))
#: The 完成情况 dropdown of the 考核清单.
DONE_WORDS = ("是", "否")
#: Blank rows left in the 加减分台账 for the year's entries.
NEW_ADJUSTMENT_ROWS = 40
_ADJUSTMENT_WIDTHS = [8, 20, 10, 30, 22, 12, 16, 14, 8]
_CENTRED = {"年度", "项目编号", "票号", "完成情况"}


def _units(catalog: Catalog) -> list[tuple[str, str]]:
    """(unit, class) of every unit assessed, in the catalogue's order of the secretaries."""
    return list(dict.fromkeys(zip(catalog.secretaries["unit"], catalog.secretaries["type"])))


def ledger_entries(assessment) -> list:
    """The entries a 加减分台账 row may name: per_incident items, then 加分, 扣分, 否决."""
    return [*(i for i in assessment.items if i.rule.kind == "per_incident"), *assessment.bonus,
            *assessment.deductions, *assessment.vetoes]


def role_words(assessment) -> list[str]:
    """The union of the rules' by_role / by_severity keys (职务 and 严重程度), first seen first."""
    pairs = [(*i.rule.by_role, *i.rule.by_severity) for i in assessment.items] + \
        [d.by_role for d in assessment.deductions]
    return list(dict.fromkeys(key for mapping in pairs for key, _ in mapping))


def checklist_rows(catalog: Catalog, year: int) -> list[tuple]:
    """(年度, 单位, 项目编号, 清单项, None): unit × check of every checklist item of the unit's class."""
    assessment = catalog.assessment
    return [(year, unit, item.id, check, None) for unit, cls in _units(catalog)
            for item in assessment.items_for(cls) if item.rule.kind == "checklist" for check in item.rule.checks]


def rubric_lists(catalog: Catalog) -> dict[str, list]:
    """The 名录 columns behind the rubric sheets' dropdowns."""
    assessment = catalog.assessment
    return {"单位": [u for u, _ in _units(catalog)], "项目编号": [e.id for e in ledger_entries(assessment)],
            "职务或严重程度": role_words(assessment), "完成情况": list(DONE_WORDS)}


def entry_legend(assessment) -> str:
    """The 项目编号 the ledger takes, each with its name and how it scores, in one sentence."""
    grades = getattr(assessment, "grades", ())
    top = f"“{grades[0].grade}”" if grades else "最好等次"
    effects = {"not_top": f"一票否决：不得评为{top}", "disqualify": "一票否决：取消评选资格"}

    def mapping(pairs, word: str) -> str:
        return f"按{word}：" + "、".join(f"{k} {num(v)} 分" for k, v in pairs)

    parts = []
    for entry in ledger_entries(assessment):
        if hasattr(entry, "rule"):
            rule = entry.rule
            how = (mapping(rule.by_role, "职务") if rule.by_role else mapping(rule.by_severity, "严重程度")
                   if rule.by_severity else f"每条扣 {num(rule.deduct)} 分")
            how = f"{how}，本项 {num(entry.points)} 分扣完为止"
        elif hasattr(entry, "cap"):
            how = f"加分，每条 {num(entry.each)} 分" + ("" if entry.cap is None else f"，本项最高 {num(entry.cap)} 分")
        elif hasattr(entry, "by_role"):
            how = "直接扣分，" + (mapping(entry.by_role, "职务") if entry.by_role else f"每条 {num(entry.each)} 分")
        else:
            how = effects.get(entry.effect, entry.effect)
        parts.append(f"{entry.id} {entry.name}（{how}）")
    return "；".join(parts)


def ballot_rows_planned(catalog: Catalog) -> int:
    """Blank ballot rows of the 测评票: Σ group sizes × items when every group declares its size,
    else 200 (more rows may be added below)."""
    sizes = list(catalog.review.rater_groups["size"])
    if sizes and all(s is not None for s in sizes):
        return int(sum(sizes)) * len(catalog.review.items)
    return 200


def write_rubric_sheets(wb, catalog: Catalog, year: int, lists: dict[str, tuple[str, int]]) -> None:
    """Add 加减分台账, 考核清单 and 测评票 to ``wb`` (``lists``: the 名录 columns, {head: (letter, n)})."""
    secretaries = list(catalog.secretaries["name"])
    sheet, heads = rubric_headers("adjustments")
    _sheet(wb.create_sheet(sheet), heads, _ADJUSTMENT_WIDTHS, [], NEW_ADJUSTMENT_ROWS, set(), dates={5})
    _adjustment_rules(wb[sheet], lists, year)
    sheet, heads = rubric_headers("checklist")
    rows = checklist_rows(catalog, year)
    _sheet(wb.create_sheet(sheet), heads, [8, 24, 10, 22, 10], rows, 0, {0, 1, 2, 3},
           landscape=False)
    _listed(wb[sheet], lists, "完成情况", "E", len(rows) + 201)
    sheet, heads = rubric_headers("ballot_sheets")
    n = ballot_rows_planned(catalog)
    _sheet(wb.create_sheet(sheet), [*heads, *secretaries], [8, 20, 18, 7, *[7] * len(secretaries)], [], n, set())
    _ballot_rules(wb[sheet], lists, year, catalog.first_year, len(heads), len(secretaries), n + 201)


def _sheet(ws, headers: list[str], widths: list[int], rows: list[tuple], blank: int, locked: set[int],
           dates: set[int] = frozenset(), landscape: bool = True) -> None:
    """A 考核细则 sheet (:func:`county_sheet`), its 年度 and 项目编号 / 票号 / 完成情况 columns centred."""
    county_sheet(ws, headers, widths, rows, blank, locked, dates, landscape=landscape,
                 centred={j for j, h in enumerate(headers) if h in _CENTRED})


def county_sheet(ws, headers: list[str], widths: list[int], rows: list[tuple], blank: int, locked: set[int],
                 dates: set[int] = frozenset(), *, landscape: bool = True, centred=frozenset(),
                 wrapped=frozenset()) -> None:
    """A data sheet of the county template: the header, the prefilled rows (``locked`` columns grey and
    locked, the rest light yellow to fill), ``blank`` rows to fill below them, ``dates`` columns as
    dates, ``centred`` / ``wrapped`` columns aligned so; frozen header, A4 printing one page wide,
    sheet protection without a password."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    from ._previous import protect, unlock
    from ._xlsx import fit_to_page_width, write_cell
    from .template import _INPUT, _KEY, _Look

    look = _Look()
    for j, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = write_cell(ws, 1, j, text)
        cell.font, cell.fill, cell.alignment, cell.border = look.head_font, look.head_fill, look.centre, look.border
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[1].height = 24
    key_fill, input_fill = PatternFill("solid", fgColor=_KEY), PatternFill("solid", fgColor=_INPUT)
    middle, wrap = Alignment(horizontal="center"), Alignment(vertical="top", wrap_text=True)
    for i in range(len(rows) + blank):
        row = rows[i] if i < len(rows) else (None,) * len(headers)
        for j, value in enumerate(row):
            cell = write_cell(ws, i + 2, j + 1, value)
            cell.border = look.border
            prefilled = j in locked and i < len(rows)
            cell.fill = key_fill if prefilled else input_fill
            if not prefilled:
                unlock(cell)
            if j in dates:
                cell.number_format = "yyyy-mm-dd"
            elif j in centred:
                cell.alignment = middle
            elif j in wrapped:
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    fit_to_page_width(ws)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    protect(ws, [get_column_letter(j) for j in range(1, len(headers) + 1)])


def _validation(ws, dv, ref: str) -> None:
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def _listed(ws, lists, head: str, column: str, last: int, *, strict: bool = True, to: str | None = None,
            message: str | None = None) -> None:
    """A dropdown over ``column``..``to`` rows 2–``last`` from the 名录 column ``head``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    letter, n = lists[head]
    dv = DataValidation(type="list", formula1=f"=名录!${letter}$2:${letter}${max(n, 1) + 1}", allow_blank=True)
    dv.error, dv.errorTitle = message or f"请从下拉列表中选择{head}", f"{head}有误"
    dv.errorStyle = "stop" if strict else "warning"
    _validation(ws, dv, f"{column}2:{to or column}{last}")


def _whole(ws, column: str, last: int, lo: int, hi: int | None, message: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="whole", operator="between" if hi is not None else "greaterThanOrEqual",
                        formula1=str(lo), formula2=None if hi is None else str(hi), allow_blank=True)
    dv.error, dv.errorTitle = message, "填写有误"
    _validation(ws, dv, f"{column}2:{column}{last}")


def _adjustment_rules(ws, lists, year: int) -> None:
    """年度 = the year; 单位, 项目编号, 职务或严重程度 dropdowns; 日期 within the year; 分值 ≥ 0."""
    from openpyxl.worksheet.datavalidation import DataValidation

    last = NEW_ADJUSTMENT_ROWS + 201
    _whole(ws, "A", last, year, year, f"本表只记 {year} 年度的条目，年度请填 {year}")
    _listed(ws, lists, "单位", "B", last)
    _listed(ws, lists, "项目编号", "C", last)
    dv = DataValidation(type="date", operator="between", formula1=f"DATE({year},1,1)",
                        formula2=f"DATE({year},12,31)", allow_blank=True)
    dv.error, dv.errorTitle = f"请填写 {year} 年内的日期，如 {year}-03-31", "日期有误"
    _validation(ws, dv, f"F2:F{last}")
    if lists["职务或严重程度"][1]:
        _listed(ws, lists, "职务或严重程度", "H", last, strict=False,
                message="请从下拉列表中选择职务或严重程度（只有按职务、严重程度计分的项目需要填写）")
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    dv.error, dv.errorTitle = "分值应为不小于 0 的数（扣分也填正数）", "分值有误"
    _validation(ws, dv, f"I2:I{last}")


def _ballot_rules(ws, lists, year: int, first_year: int, n_fixed: int, n_secretaries: int, last: int) -> None:
    """年度, 评议人类别 and 评议项目 dropdowns, 票号 a whole number, each secretary's cell a rating."""
    from openpyxl.utils import get_column_letter

    _whole(ws, "A", last, first_year, year, f"年度应在 {first_year}–{year} 之间")
    _listed(ws, lists, "评议人类别", "B", last)
    _listed(ws, lists, "评议项目", "C", last)
    _whole(ws, "D", last, 1, None, "票号应为从 1 起的整数（同一类评议人、同一评议项目内不重复）")
    first, final = get_column_letter(n_fixed + 1), get_column_letter(n_fixed + n_secretaries)
    _listed(ws, lists, "评价", first, last, strict=False, to=final,
            message="请从下拉列表中选择评价；没有评价的填“空白”（打分式测评填 0–100 的分数）")
