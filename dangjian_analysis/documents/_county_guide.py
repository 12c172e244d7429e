"""Private: the county template's first sheet, 填报说明 — what each sheet is and how to fill it,
and 计票核对: for each secretary and rater group, the sum of the ballots typed for each review
item (SUMIFS formulas over the 述职评议计票 sheet; the intake never reads 填报说明, so these
formulas are no data) beside the total each item should have."""

from __future__ import annotations

import math

from ..catalog import Catalog
from ..catalog.indicators import number_text

__all__ = ["write_county_guide", "CHECK_TITLE"]

CHECK_TITLE = "计票核对（自动计算，无需填写）"
_RED = "B22222"
_LINE = 16.0


def _text(catalog: Catalog, year: int, n_carried: int, n_teams: int, with_previous: bool) -> list[str]:
    """The guide's paragraphs."""
    scheme = catalog.review
    ratings = [*scheme.ratings["rating"], *scheme.invalid]
    groups = "、".join(f"{n}（权重 {number_text(100 * w)}%）" for n, w in
                      zip(scheme.rater_groups["name"], scheme.rater_groups["weight"]))
    sized = [(n, s) for n, s in zip(scheme.rater_groups["name"], scheme.rater_groups["size"]) if s is not None]
    if len(sized) == len(scheme.rater_groups):
        sizes = "指标体系规定了各类评议人的人数：" + "、".join(f"{n} {s} 人" for n, s in sized)
    elif sized:
        sizes = ("指标体系规定了部分评议人的人数：" + "、".join(f"{n} {s} 人" for n, s in sized)
                 + "，其余各类以实到人数为准")
    else:
        sizes = "指标体系没有规定人数，以实到人数为准"
    source = "指标体系和上年数据" if with_previous else "指标体系"
    if n_carried:
        ledger = (f"前 {n_carried} 行是上年数据中尚未销号的事项（按上年记录的状态列出）：事项销号后请填写销号日期，"
                  "并把状态改为“已销号”（超过整改时限的为“逾期销号”），上年表中的记录不必再改（采用已销号的这一条）；"
                  "尚未销号的不填销号日期。")
    elif with_previous:
        ledger = "上年数据中没有未销号的事项。"
    else:
        ledger = "未给出上年数据，上年未销号的事项请一并填写。"
    if n_teams:
        links = "已填入上年联系该村的驻点工作组，有调整的请直接修改"
    else:
        links = "请填写联系该村的驻点工作组（如“驻点工作组01”）"
    sheets = ["述职评议计票", "四风台账", "驻点联系", *(_rubric_sheets() if catalog.assessment is not None else [])]
    count = "三四五六七"[len(sheets) - 3] if 3 <= len(sheets) <= 7 else str(len(sheets))
    rubric = _rubric_text(catalog, year) if catalog.assessment is not None else []
    return [
        f"{catalog.county_name}县级考核数据填报表（{year}年度）",
        f"本工作簿共{count}张填报工作表：{'、'.join(sheets)}。灰色单元格已按{source}预先填好，不能修改；"
        "请只在浅黄色单元格中填写。需要增加记录时，请在表格下方的空行续填；不要插入或删除列，不要改动第 1 行表头。",
        f"一、述职评议计票：{year} 年每位参加述职评议的书记（{len(catalog.secretaries)} 名）、每类评议人、每个评议项目"
        f"各有 {len(ratings)} 行，评价依次为{'、'.join(ratings)}。请在“票数”列填写投该档次的票数；"
        "没有人投的档次填 0，不要留空（留空的行按错误处理）。增加行时“书记”“评议人类别”“评议项目”“评价”"
        "都请从下拉框中选择。",
        f"评议人类别：{groups}。同一类评议人对同一位书记每个评议项目的票数合计（含不了解、空白）都应等于"
        f"该类评议人的人数；{sizes}。本页下方的“计票核对”表按书记和评议人类别自动汇总各评议项目的票数合计，"
        "每行显示“相符”即可；显示“各项目合计不一致”或“应为 N 票”的，请对照选票重新核对。",
        f"二、四风台账：{ledger}本年新建账的事项请在下方空行续填乡镇、编号（如 T01-{year}-01，不与已有编号重复）、"
        f"问题描述、建账日期和整改时限；日期填成 {year}-03-31 的形式。",
        f"三、驻点联系：{year} 年每个村（社区）一行，{links}；“走访农户数”填本年走访的农户户数（整数）。"
        "一个村由两个工作组联系时，在下方空行为第二个工作组续填一行。",
        *rubric,
        f"{_NUMBERS[6 if rubric else 3]}、请勿输入公式、不要合并单元格；填好后保存为 .xlsx 格式（不要另存为 .xls 或加密），"
        "与各乡镇的回收表一起报送读取。",
    ]


_NUMBERS = "一二三四五六七八九十"


def _rubric_sheets() -> list[str]:
    from ._county_rubric import ADJUSTMENT_SHEET, BALLOT_SHEETS_SHEET, CHECKLIST_SHEET

    return [ADJUSTMENT_SHEET, CHECKLIST_SHEET, BALLOT_SHEETS_SHEET]


def _rubric_text(catalog: Catalog, year: int) -> list[str]:
    """Two paragraphs per rubric sheet (四、五、六): what it records, how to fill it."""
    from ._county_rubric import checklist_rows, entry_legend, role_words

    adjust, checks, ballots = _rubric_sheets()
    assessment = catalog.assessment
    n_checks = len(checklist_rows(catalog, year))
    roles = role_words(assessment)
    scheme = catalog.review
    ratings = "、".join([*scheme.ratings["rating"], *scheme.invalid])
    same = ("对所评全部书记给出同一评价的票按无效票处理。" if getattr(scheme, "same_rating_invalid", False) else "")
    return [
        f"四、{adjust}：{year} 年{assessment.name}中由县委组织部认定的扣分、加分和一票否决事项，一条一行，"
        "逐项填写年度、单位（从下拉框选择）、项目编号、事由、依据（文件或通报号，如“示组通〔"
        f"{year}〕12号”）、日期（{year} 年内）和认定部门；"
        + (f"按职务或严重程度计分的项目须在“职务或严重程度”列选择{'、'.join(roles)}之一；" if roles else "")
        + "分值可不填（按考核细则计算），填写时须与细则一致，扣分也填正数。",
        f"可填的项目编号：{entry_legend(assessment)}。",
        f"五、{checks}：已为每个被考核单位列出其适用的清单项（共 {n_checks} 行），请在“完成情况”列逐行选择"
        "“是”或“否”，不要留空（留空的按待核实处理）；每缺一项按考核细则扣分。",
        f"六、{ballots}：按张录入的述职评议测评票，一行一张票，每位书记一列（表头为书记姓名）。请填写年度、评议人类别、"
        f"评议项目（不填即“{scheme.items[0]}”）、票号，再在各书记一列选择评价（{ratings}）；{same}"
        "已在本表按张录入的评议人类别和评议项目，不要再在述职评议计票中填写票数。",
    ]


def write_county_guide(ws, catalog: Catalog, year: int, *, ballot_sheet: str, n_carried: int, n_teams: int,
                       with_previous: bool) -> None:
    """填报说明: title, the paragraphs (merged across the sheet, wrapped), then 计票核对."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ._previous import protect
    from ._xlsx import display_width, fit_to_page_width

    ws.title = "填报说明"
    items = list(catalog.review.items)
    widths = [10, 20, 26, *[12] * len(items), 9, 18]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    last = get_column_letter(len(widths))
    room = 0.9 * sum(widths)                    # LibreOffice and WPS set Chinese text a little wider
    paragraphs = _text(catalog, year, n_carried, n_teams, with_previous)
    for i, text in enumerate(paragraphs, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.merge_cells(f"A{i}:{last}{i}")
        big = 1.6 if i == 1 else 1
        ws.row_dimensions[i].height = _LINE * big * max(1, math.ceil(display_width(text) * big / room)) + 4
    ws["A1"].font = Font(bold=True, size=16, color=_RED)
    _check_table(ws, catalog, ballot_sheet, len(paragraphs) + 2, items)
    ws.freeze_panes = None
    fit_to_page_width(ws)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    protect(ws, [])


def _check_table(ws, catalog: Catalog, ballot_sheet: str, top: int, items: list[str]) -> None:
    """计票核对 from row ``top``: one row per secretary × rater group, each item's ballots summed
    by formula, the total expected (the group's ``size`` where declared) and the verdict."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws.cell(row=top, column=1, value=CHECK_TITLE).font = Font(bold=True, size=12, color=_RED)
    head = top + 1
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    headers = ["书记", "单位", "评议人类别", *items, "应有票数", "核对"]
    for j, text in enumerate(headers, start=1):
        cell = ws.cell(row=head, column=j, value=text)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=_RED)
        cell.alignment, cell.border = Alignment(horizontal="center", vertical="center", wrap_text=True), border
    ws.row_dimensions[head].height = 36
    sheet = f"'{ballot_sheet}'"
    first, last_item = get_column_letter(4), get_column_letter(3 + len(items))
    expect, verdict = get_column_letter(4 + len(items)), get_column_letter(5 + len(items))
    groups = list(zip(catalog.review.rater_groups["name"], catalog.review.rater_groups["size"]))
    r = head
    grey = PatternFill("solid", fgColor="F2F2F2")
    for name, unit in zip(catalog.secretaries["name"], catalog.secretaries["unit"]):
        for group, size in groups:
            r += 1
            row = [name, unit, group]
            row += [f"=SUMIFS({sheet}!$G:$G,{sheet}!$B:$B,$A{r},{sheet}!$D:$D,$C{r},{sheet}!$E:$E,"
                    f"{get_column_letter(4 + k)}${head})" for k in range(len(items))]
            span = f"{first}{r}:{last_item}{r}"
            if size is None:
                row += ["各项目相同", f'=IF(SUM({span})=0,"未填写",IF(MAX({span})=MIN({span}),"相符","各项目合计不一致"))']
            else:
                row += [int(size), f'=IF(SUM({span})=0,"未填写",IF(AND(MAX({span})={expect}{r},MIN({span})={expect}{r}),'
                                   f'"相符","应为 {int(size)} 票"))']
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=j, value=value)
                cell.border = border
                if j > 3:
                    cell.alignment = Alignment(horizontal="center")
                if j <= 3:
                    cell.fill = grey
    ws.conditional_formatting.add(f"{verdict}{head + 1}:{verdict}{r}", FormulaRule(
        formula=[f'AND({verdict}{head + 1}<>"相符",{verdict}{head + 1}<>"")'], font=Font(bold=True, color=_RED)))
    ws.print_title_rows = f"{head}:{head}"
