"""The yearly Excel summary (summary.xlsx) and the tidy CSVs of the report.

Every sheet has a title row, frozen headers, number formats and Chinese headers (through
:mod:`.display`); score cells are coloured as the charts' heatmaps colour them (RdYlBu over
0–100, figures white where the charts write them white) and grades in the charts' grade
colours; provisional township-years are marked 待核实 with the reason. Text that begins with
``= + - @`` is written as text, never as a formula. The 数据来源 sheet traces every value behind
the report to its file, sheet and cell.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..metrics._frames import catalog_of
from ..metrics.composite import PROVISIONAL_MARK
from ._text import is_number
from .display import file_name, table_html  # table_html re-exported: its former home

__all__ = ["report_tables", "bottom_list", "write_summary", "write_tidy_csvs", "table_html", "provisional_marks", "township_unit",
           "PROVISIONAL_MARK", "SCORE_CMAP"]

_MARK_COLUMN = "待核实"
#: The colour map of the charts' score heatmaps (:func:`~dangjian_analysis.charts.compare.plot_heatmap`).
SCORE_CMAP = "RdYlBu"
_SCORE_COLUMNS = ("综合指数", "得分", "加权得分", "年度综合", "日常考核", "述职评议", "达标占比(%)")
_NOT_SCORES = ("排名", "覆盖率", "倒排概率", "村覆盖率")
_CSV_NAMES = {"observations": "指标值（每个采用的数值及其来源单元格）", "indicator_scores": "乡镇指标值与指标得分",
              "scores": "分项指数与综合指数、名次、等次", "review": "述职评议：计票、各率、得分、等次",
              "issues": "校验发现的问题"}


def township_unit(catalog, indicator: str) -> str:
    """The true unit of an indicator's township value: a share of villages meeting the target is
    ``%（达标村占比）``, a mean of villages e.g. ``万元（村均）``, a sum e.g. ``人（各村合计）``."""
    row = catalog.indicator(indicator)
    unit = "是/否" if row["unit"] == "0/1" else row["unit"]
    if row["level"] != "village" or not isinstance(row["aggregate"], str):
        return unit
    if row["aggregate"] == "share_meeting_target":
        return "%（达标村占比）"
    if row["aggregate"] == "mean":
        return "村占比（0–1）" if row["unit"] == "0/1" else f"{unit}（村均）"
    return f"{unit}（各村合计）"


def provisional_marks(scores: pd.DataFrame, year: int) -> dict[str, str]:
    """Unit name → reason for each unit whose overall result of ``year`` is provisional (待核实).

    Empty when ``scores`` has no ``provisional`` column (a table from before provisional marks).
    """
    if "provisional" not in scores.columns:
        return {}
    rows = scores[(scores["year"] == year) & (scores["group"] == "overall")]
    rows = rows[rows["provisional"].fillna(False).astype(bool)]
    reasons = rows["provisional_reason"].fillna("") if "provisional_reason" in rows else pd.Series("", index=rows.index)
    return {name: reason or "数据不完整" for name, reason in zip(rows["unit_name"], reasons)}


def _marked(grades: pd.Series, names: pd.Series, marks: dict) -> list:
    return [g if (n not in marks or not isinstance(g, str) or PROVISIONAL_MARK in g) else g + PROVISIONAL_MARK
            for g, n in zip(grades, names)]


def _ranking(scores, year, cat, uncertainty, marks) -> pd.DataFrame:
    from ..metrics.scoring import ranking_table

    ranking = ranking_table(scores, year, cat)
    unit = "乡镇" if "乡镇" in ranking else "村（社区）"
    if uncertainty is not None:
        u = uncertainty[uncertainty["year"] == year].set_index("unit_name")
        ranking["名次区间(5–95%)"] = [f"{u.loc[n, 'rank_p05']:.0f}–{u.loc[n, 'rank_p95']:.0f}" for n in ranking[unit]]
        ranking["倒排概率"] = [u.loc[n, "p_bottom"] for n in ranking[unit]]
    if "village_coverage" in scores and "村覆盖率" not in ranking:
        cover = scores[(scores["year"] == year) & (scores["group"] == "overall")].set_index("unit_name")
        ranking["村覆盖率"] = ranking[unit].map(cover["village_coverage"])
    if marks:
        ranking["等次"] = _marked(ranking["等次"], ranking[unit], marks)
    if _MARK_COLUMN in ranking:
        ranking[_MARK_COLUMN] = ranking.pop(_MARK_COLUMN)          # last, after the added columns
    elif marks:
        ranking[_MARK_COLUMN] = ranking[unit].map(marks).fillna("")
    return ranking


def _indicator_table(ds, cat, year) -> pd.DataFrame:
    from ..metrics.scoring import score_indicators

    ind = score_indicators(ds, cat)
    ind = ind[ind["year"] == year]
    order = {i: k for k, i in enumerate(cat.indicators["id"])}
    towns = {t: k for k, t in enumerate(cat.townships["unit_name"])}
    ind = ind.assign(_t=ind["unit_name"].map(towns), _i=ind["indicator"].map(order)).sort_values(["_t", "_i"])
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    groups = dict(zip(cat.groups["group"], cat.groups["name"]))
    return pd.DataFrame({"乡镇": ind["unit_name"], "分项": ind["group"].map(groups), "指标": ind["indicator"].map(names),
                         "单位": ind["indicator"].map({i: township_unit(cat, i) for i in set(ind["indicator"])}),
                         "数值": ind["value"],
                         "得分": ind["score"]}).reset_index(drop=True)


def _target_text(cat, indicator: str) -> str:
    row = cat.indicator(indicator)
    if row["unit"] == "0/1":
        return "否" if row["direction"] == "lower" else "是"
    return f"{'≤' if row['direction'] == 'lower' else '≥'}{row['target']:g}{row['unit']}"


def _attainment_table(ds, cat, year) -> pd.DataFrame:
    from ..metrics.targets import target_attainment

    att = target_attainment(ds, cat, by="township")
    att = att[att["year"] == year]
    order = {i: k for k, i in enumerate(cat.indicators["id"])}
    towns = {t: k for k, t in enumerate([*cat.townships["unit_name"], "全县"])}
    att = att.assign(_t=att["township"].map(towns), _i=att["indicator"].map(order)).sort_values(["_t", "_i"])
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    return pd.DataFrame({"乡镇": att["township"], "指标": att["indicator"].map(names),
                         "目标": att["indicator"].map({i: _target_text(cat, i) for i in set(att["indicator"])}),
                         "有数据的村": att["villages"], "达标村": att["met"],
                         "达标占比(%)": att["share"]}).reset_index(drop=True)


def _review_tables(ds, cat, year, scores, marks) -> tuple[pd.DataFrame, pd.DataFrame]:
    from ..metrics.review import annual_assessment, review
    from ..metrics.scoring import aggregate_villages

    reviewed = review(ds, catalog=cat)
    r = reviewed[(reviewed["year"] == year) & (reviewed["rater_group"] == "overall")].sort_values(["type", "rank"])
    ratings = list(cat.review.ratings["rating"])
    review_table = pd.DataFrame({"书记": r["secretary"], "单位": r["unit_name"], "类别": r["type"],
                                 "有效票": r["valid"], "无效票": r["invalid"],
                                 **{f"{k}（票）": r[k] for k in ratings},
                                 "好票率": r["top_rate"], "好评率": r["good_rate"], "差评率": r["bad_rate"],
                                 "加权得分": r["score"], "等次": r["grade"], "类别内名次": r["rank"]})
    if "grade_note" in r and r["grade_note"].fillna("").astype(str).str.len().gt(0).any():
        review_table["等次说明"] = r["grade_note"].fillna("")
    sat = aggregate_villages(ds, cat)
    sat = sat.loc[sat["indicator"] == "satisfaction", ["township", "year", "value"]]
    annual = annual_assessment(scores, reviewed, sat, catalog=cat)
    a = annual[annual["year"] == year]
    towns = a["township"].fillna("")
    annual_table = pd.DataFrame({"书记": a["secretary"], "单位": a["unit_name"], "类别": a["type"],
                                 "日常考核": a["routine"], "述职评议": a["review"], "群众满意度": a["satisfaction"],
                                 "年度综合": a["annual"], "计入部分": a["parts"], "类别内名次": a["rank"],
                                 "等次": _marked(a["grade"], towns, marks)})
    if marks:
        annual_table[_MARK_COLUMN] = [f"日常考核：{marks[t]}" if t in marks else "" for t in towns]
    return review_table.reset_index(drop=True), annual_table.reset_index(drop=True)


def bottom_list(ds, year: int, *, catalog=None, villages=None) -> pd.DataFrame:
    """The villages to rectify (倒排) in ``year`` as the report shows them: 倒排序号, 乡镇,
    村（社区）, 综合指数, 全县名次, 等次, 列入原因 (and 待核实 when a result is provisional).
    ``villages``: the village scores (``score_composite(ds, level="village")``), if computed."""
    from ..metrics.rectify import flag_bottom

    cat = catalog_of(ds, catalog)
    bottom = flag_bottom(ds if villages is None else villages, data=ds, catalog=cat)
    bottom = bottom[bottom["year"] == year]
    table = pd.DataFrame({"倒排序号": bottom["bottom_rank"], "乡镇": bottom["township"],
                          "村（社区）": bottom["unit_name"], "综合指数": bottom["score"],
                          "全县名次": bottom["rank"], "等次": bottom["grade"],
                          "列入原因": [f"综合指数位于全县最低的 {cat.bottom_share:.0%}" + (f"；{r}" if r else "")
                                       for r in bottom["reasons"]]})
    if "provisional" in bottom and bottom["provisional"].fillna(False).astype(bool).any():
        why = bottom["incomplete_reason"] if "incomplete_reason" in bottom else pd.Series("数据不完整", bottom.index)
        table[_MARK_COLUMN] = why.where(bottom["provisional"].fillna(False).astype(bool), "")
    return table.reset_index(drop=True)


def village_moves(ds, from_year: int, to_year: int, catalog=None, villages=None) -> pd.DataFrame:
    """Village grade moves (晋位升级) per township as the report shows them (empty when the
    data have one year only); ``villages`` as in :func:`bottom_list`."""
    from ..metrics.scoring import score_composite
    from ..metrics.trends import moves_by_township

    cat = catalog_of(ds, catalog)
    columns = {"township": "乡镇", "villages": "参评村数", "up": "晋位升级", "same": "持平", "down": "降级",
               "up_units": "晋位升级的村", "down_units": "降级的村"}
    if from_year == to_year:
        return pd.DataFrame(columns=list(columns.values()))
    villages = score_composite(ds, cat, level="village") if villages is None else villages
    moves = moves_by_township(villages, from_year, to_year, grades=list(cat.grade_bands["grade"]), catalog=cat)
    return moves.rename(columns=columns)[list(columns.values())]


def report_tables(ds, year: int, *, catalog=None, scores=None, uncertainty=None) -> dict[str, pd.DataFrame]:
    """The report's tables for ``year``, with Chinese column names, sheet name → DataFrame.

    Indicators are in catalogue order, each value with the unit of the township value
    (:func:`township_unit`); provisional results (``scores`` with a ``provisional`` column) have
    “（待核实）” after their grade and the reason in a 待核实 column.
    """
    from ..metrics.scoring import score_composite
    from ..metrics.trends import grade_transitions
    from .display import to_chinese

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    marks = provisional_marks(scores, year)
    villages = score_composite(ds, cat, level="village")
    bottom_table = bottom_list(ds, year, catalog=cat, villages=villages)
    years = sorted(scores["year"].unique())
    previous = max([y for y in years if y < year], default=year)
    before = provisional_marks(scores, previous)
    moves = grade_transitions(scores, previous, year, grades=list(cat.grade_bands["grade"])).units
    move_zh = {"up": "晋位升级", "same": "持平", "down": "降级"}
    moves_table = pd.DataFrame({"乡镇": moves["unit_name"],
                                f"{previous}年等次": _marked(moves["grade_from"], moves["unit_name"], before),
                                f"{year}年等次": _marked(moves["grade_to"], moves["unit_name"], marks),
                                "变化": moves["move"].map(move_zh)})
    if marks or before:
        moves_table[_MARK_COLUMN] = ["；".join(f"{y}年：{m[n]}" for y, m in ((previous, before), (year, marks)) if n in m)
                                     for n in moves["unit_name"]]
    review_table, annual_table = _review_tables(ds, cat, year, scores, marks)
    issues = to_chinese(ds.issues, catalog=cat)
    obs = ds.observations[ds.observations["year"] == year]
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    source = pd.DataFrame({"单位": obs["unit_name"], "乡镇": obs["township"], "年度": obs["year"],
                           "指标": obs["indicator"].map(names),
                           "单位（计量）": obs["indicator"].map(dict(zip(cat.indicators["id"], cat.indicators["unit"]))),
                           "数值": obs["value"], "来源文件": obs["source_file"].map(file_name),
                           "工作表": obs["source_sheet"], "单元格": obs["source_cell"]})
    return {"综合排名": _ranking(scores, year, cat, uncertainty, marks), "指标得分": _indicator_table(ds, cat, year),
            "目标达成": _attainment_table(ds, cat, year), "倒排名单": bottom_table,
            "晋位升级": moves_table, "村级晋位升级": village_moves(ds, previous, year, cat, villages), "述职评议": review_table, "年度考核": annual_table, "校验问题": issues,
            "数据来源": source.reset_index(drop=True)}


def _number_format(column: str, series: pd.Series) -> str | None:
    from .display import FRACTION_COLUMNS, POINT_COLUMNS

    if not is_number(series):
        return None
    if column in FRACTION_COLUMNS:
        return "0.0%"
    if column in POINT_COLUMNS:
        return '0.0"%"'
    if pd.api.types.is_integer_dtype(series):
        return "0"
    return "0.00" if column == "数值" else "0.0"


def _is_score(sheet: str, column: str, series: pd.Series) -> bool:
    return is_number(series) and (column in _SCORE_COLUMNS or (sheet == "综合排名" and column not in _NOT_SCORES))


def _colour(ws, sheet: str, table: pd.DataFrame, first: int, grades: dict) -> None:
    """The charts' colours: score cells filled as the heatmaps colour them (``RdYlBu`` over 0–100,
    figures white where the charts write them white), grade cells in the grade colours, 待核实 amber."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    from openpyxl.styles import Font, PatternFill

    from ..charts._base import text_color

    cmap = colormaps[SCORE_CMAP]
    for j, column in enumerate(table.columns, start=1):
        score, grade = _is_score(sheet, column, table[column]), str(column).endswith("等次")
        for i, value in enumerate(table[column], start=first):
            if score and pd.api.types.is_number(value) and not isinstance(value, bool) and pd.notna(value):
                rgba = cmap(min(max(float(value) / 100, 0.0), 1.0))
            elif grade and isinstance(value, str) and value.replace(PROVISIONAL_MARK, "") in grades:
                hexed = grades[value.replace(PROVISIONAL_MARK, "")].lstrip("#")
                rgba = tuple(int(hexed[k:k + 2], 16) / 255 for k in (0, 2, 4))
            else:
                if column == _MARK_COLUMN and isinstance(value, str) and value:
                    ws.cell(row=i, column=j).fill = PatternFill("solid", fgColor="FFF3CD")
                continue
            cell = ws.cell(row=i, column=j)
            cell.fill = PatternFill("solid", fgColor=to_hex(rgba).lstrip("#").upper())
            cell.font = Font(color="FFFFFF" if text_color(rgba) == "white" else "000000")


def _title(name: str, title: str, table: pd.DataFrame) -> str:
    text = f"{title}：{name}" if title else name
    if _MARK_COLUMN in table and table[_MARK_COLUMN].fillna("").astype(str).str.len().gt(0).any():
        text += "（标“待核实”的结果所依据的数据不完整，原因见“待核实”列）"
    return text


def write_summary(tables: dict[str, pd.DataFrame], path: str | Path, *, title: str = "", catalog=None) -> Path:
    """Write the report tables as a styled workbook: one sheet per table.

    Row 1 is the sheet's title (``title``：sheet name), row 2 the Chinese headers, data from
    row 3; the same tables give the same bytes. Grade colours follow the charts for the
    grades of ``catalog`` (default: the one the tables carry, else the default catalogue).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..charts._base import grade_colors
    from ._xlsx import fit_to_page_width, save_workbook, write_cell

    wb = Workbook()
    wb.remove(wb.active)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    carrier = next((t for t in tables.values() if t.attrs.get("catalog") is not None), None)
    grades = grade_colors(catalog_of(carrier, catalog).grade_bands["grade"])
    for name, table in tables.items():
        ws = wb.create_sheet(name)
        width = max(len(table.columns), 1)
        cell = write_cell(ws, 1, 1, _title(name, title, table))
        cell.font, cell.alignment = Font(bold=True, size=14), Alignment(vertical="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for j, column in enumerate(table.columns, start=1):
            cell = write_cell(ws, 2, j, str(column))
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, row in enumerate(table.itertuples(index=False), start=3):
            for j, value in enumerate(row, start=1):
                if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                    continue
                write_cell(ws, i, j, value.item() if hasattr(value, "item") else value)
        last = len(table) + 2
        for j, column in enumerate(table.columns, start=1):
            fmt = _number_format(str(column), table[column])
            if fmt:
                for cells in ws.iter_rows(min_row=3, max_row=last, min_col=j, max_col=j):
                    cells[0].number_format = fmt
            numeric = fmt is not None
            wide = max([len(str(column)) * 2] + [len(str(v)) * (1 if numeric else 2) for v in table[column].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(max(wide + 2, 8), 60)
        _colour(ws, name, table, 3, grades)
        ws.freeze_panes = "B3" if name in ("综合排名", "指标得分", "数据来源") else "A3"
        ws.print_title_rows = "1:2"
        fit_to_page_width(ws)
        ws.row_dimensions[1].height = 28
        ws.row_dimensions[2].height = 32
        if last >= 3:
            ws.auto_filter.ref = f"A2:{get_column_letter(width)}{last}"
    if title:
        wb.properties.title = title
    return save_workbook(wb, path)


def write_tidy_csvs(ds, out_dir: str | Path, *, catalog=None, scores=None) -> list[Path]:
    """Tidy CSVs for Excel (UTF-8 with BOM): observations, indicator scores, composite scores,
    the 述职评议 review and the issues, with Chinese headers and values (numbers unchanged, file
    names without folders), and ``字段说明.csv`` mapping each Chinese header to the API's column.
    """
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators
    from ._xlsx import csv_safe
    from .display import column_notes, to_chinese

    cat = catalog_of(ds, catalog)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"observations": ds.observations, "indicator_scores": score_indicators(ds, cat),
              "scores": score_composite(ds, cat) if scores is None else scores,
              "review": review(ds, catalog=cat), "issues": ds.issues}
    written, notes = [], []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        csv_safe(to_chinese(table, catalog=cat)).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n",
                                                         float_format="%.10g")
        written.append(path)
        notes.append(column_notes(table, catalog=cat).assign(文件=path.name, 文件内容=_CSV_NAMES[name]))
    fields = pd.concat(notes, ignore_index=True)[["文件", "文件内容", "列名", "接口列名", "说明"]]
    path = out_dir / "字段说明.csv"
    csv_safe(fields).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return [*written, path]
