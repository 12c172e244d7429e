"""The yearly Excel summary (summary.xlsx) and the tidy CSVs of the report.

Every sheet has frozen headers, number formats and Chinese headers; score columns carry
a colour scale; text that begins with ``= + - @`` is written as text, never as a formula.
The 数据来源 sheet traces every value behind the report to its file, sheet and cell.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..metrics._frames import catalog_of

__all__ = ["report_tables", "write_summary", "write_tidy_csvs", "table_html"]


def report_tables(ds, year: int, *, catalog=None, scores=None, uncertainty=None) -> dict[str, pd.DataFrame]:
    """The report's tables for ``year``, with Chinese column names, sheet name → DataFrame."""
    from ..metrics.rectify import flag_bottom
    from ..metrics.review import annual_assessment, review
    from ..metrics.scoring import aggregate_villages, ranking_table, score_composite, score_indicators
    from ..metrics.targets import target_attainment
    from ..metrics.trends import grade_transitions

    cat = catalog_of(ds, catalog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = score_composite(ds, cat) if scores is None else scores
        indicators = score_indicators(ds, cat)
    names = dict(zip(cat.indicators["id"], cat.indicators["name"]))
    units = dict(zip(cat.indicators["id"], cat.indicators["unit"]))
    ranking = ranking_table(scores, year, cat)
    if uncertainty is not None:
        u = uncertainty[uncertainty["year"] == year].set_index("unit_name")
        ranking["名次区间(5–95%)"] = [f"{u.loc[n, 'rank_p05']:.0f}–{u.loc[n, 'rank_p95']:.0f}" for n in ranking["乡镇"]]
        ranking["倒排概率"] = [u.loc[n, "p_bottom"] for n in ranking["乡镇"]]
    ind = indicators[indicators["year"] == year]
    ind_table = pd.DataFrame({"乡镇": ind["unit_name"], "指标编号": ind["indicator"],
                              "指标": ind["indicator"].map(names), "单位": ind["indicator"].map(units),
                              "数值": ind["value"], "得分": ind["score"]})
    att = target_attainment(ds, cat, by="township")
    att = att[att["year"] == year]
    att_table = pd.DataFrame({"乡镇": att["township"], "指标": att["indicator"].map(names),
                              "目标": ["是" if units[i] == "0/1" else f"≥{t:g}{units[i]}" for t, i in
                                       zip(att["target"], att["indicator"])],
                              "有数据的村": att["villages"], "达标村": att["met"], "达标占比(%)": att["share"]})
    bottom = flag_bottom(ds, catalog=cat)
    bottom = bottom[bottom["year"] == year]
    bottom_table = pd.DataFrame({"倒排序号": bottom["bottom_rank"], "乡镇": bottom["township"],
                                 "村（社区）": bottom["unit_name"], "综合指数": bottom["score"],
                                 "全县名次": bottom["rank"], "等次": bottom["grade"], "列入原因": bottom["reasons"]})
    years = sorted(scores["year"].unique())
    previous = max([y for y in years if y < year], default=year)
    moves = grade_transitions(scores, previous, year, grades=list(cat.grade_bands["grade"])).units
    move_zh = {"up": "晋位升级", "same": "持平", "down": "降级"}
    moves_table = pd.DataFrame({"乡镇": moves["unit_name"], f"{previous}年等次": moves["grade_from"],
                                f"{year}年等次": moves["grade_to"], "变化": moves["move"].map(move_zh)})
    reviewed = review(ds, catalog=cat)
    r = reviewed[(reviewed["year"] == year) & (reviewed["rater_group"] == "overall")].sort_values(["type", "rank"])
    ratings = list(cat.review.ratings["rating"])
    review_table = pd.DataFrame({"书记": r["secretary"], "单位": r["unit_name"], "类别": r["type"],
                                 "有效票": r["valid"], "无效票": r["invalid"],
                                 **{f"{k}（票）": r[k] for k in ratings},
                                 "好票率": r["top_rate"], "好评率": r["good_rate"], "差评率": r["bad_rate"],
                                 "加权得分": r["score"], "等次": r["grade"], "类别内名次": r["rank"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sat = aggregate_villages(ds, cat)
    sat = sat.loc[sat["indicator"] == "satisfaction", ["township", "year", "value"]]
    annual = annual_assessment(scores, reviewed, sat, catalog=cat)
    annual = annual[annual["year"] == year]
    annual_table = pd.DataFrame({"书记": annual["secretary"], "单位": annual["unit_name"], "类别": annual["type"],
                                 "日常考核": annual["routine"], "述职评议": annual["review"],
                                 "群众满意度": annual["satisfaction"], "年度综合": annual["annual"],
                                 "计入部分": annual["parts"], "类别内名次": annual["rank"], "等次": annual["grade"]})
    issues = ds.issues
    issue_table = pd.DataFrame({"文件": issues["file"].map(lambda f: Path(f).name if f else ""),
                                "工作表": issues["sheet"], "单元格": issues["cell"],
                                "级别": issues["severity"].map({"error": "错误", "warning": "提示"}),
                                "代码": issues["code"], "说明": issues["message"]})
    obs = ds.observations[ds.observations["year"] == year]
    source = pd.DataFrame({"单位编号": obs["unit_id"], "单位": obs["unit_name"], "乡镇": obs["township"],
                           "年度": obs["year"], "指标": obs["indicator"].map(names), "单位（计量）":
                           obs["indicator"].map(units), "数值": obs["value"],
                           "来源文件": obs["source_file"].map(lambda f: Path(f).name),
                           "工作表": obs["source_sheet"], "单元格": obs["source_cell"]})
    return {"综合排名": ranking, "指标得分": ind_table.reset_index(drop=True), "目标达成": att_table,
            "倒排名单": bottom_table, "晋位升级": moves_table, "述职评议": review_table, "年度考核": annual_table,
            "校验问题": issue_table, "数据来源": source.reset_index(drop=True)}


_SCORE_COLUMNS = ("综合指数", "得分", "加权得分", "年度综合", "日常考核", "述职评议", "达标占比(%)")
_RATE_COLUMNS = ("好票率", "好评率", "差评率", "倒排概率")


def write_summary(tables: dict[str, pd.DataFrame], path: str | Path, *, title: str = "") -> Path:
    """Write the report tables as a styled workbook: one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ._xlsx import fit_to_page_width, save_workbook, write_cell

    wb = Workbook()
    wb.remove(wb.active)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
    groups = set()
    for name, table in tables.items():
        ws = wb.create_sheet(name)
        for j, column in enumerate(table.columns, start=1):
            cell = write_cell(ws, 1, j, str(column))
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, row in enumerate(table.itertuples(index=False), start=2):
            for j, value in enumerate(row, start=1):
                if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                    continue
                write_cell(ws, i, j, value.item() if hasattr(value, "item") else value)
        last = len(table) + 1
        for j, column in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            numeric = pd.api.types.is_numeric_dtype(table[column])
            is_int = pd.api.types.is_integer_dtype(table[column])
            fmt = "0.0%" if column in _RATE_COLUMNS else ("0" if is_int else "0.0")
            if numeric:
                for cells in ws.iter_rows(min_row=2, max_row=last, min_col=j, max_col=j):
                    cells[0].number_format = fmt
            width = max([len(str(column)) * 2] + [len(str(v)) * (2 if not numeric else 1)
                                                   for v in table[column].head(200)]) + 2
            ws.column_dimensions[letter].width = min(max(width, 8), 60)
            if column in _SCORE_COLUMNS or column in groups or (name == "综合排名" and numeric
                                                                and column not in ("排名", "覆盖率", "倒排概率")):
                if last >= 2:
                    ws.conditional_formatting.add(f"{letter}2:{letter}{last}", ColorScaleRule(
                        start_type="num", start_value=40, start_color="F8696B", mid_type="num", mid_value=70,
                        mid_color="FFEB84", end_type="num", end_value=100, end_color="63BE7B"))
        ws.freeze_panes = "B2" if name in ("综合排名", "指标得分", "数据来源") else "A2"
        ws.print_title_rows = "1:1"
        fit_to_page_width(ws)
        ws.row_dimensions[1].height = 32
        if last >= 2:
            ws.auto_filter.ref = f"A1:{get_column_letter(max(len(table.columns), 1))}{last}"
    if title:
        wb.properties.title = title
    return save_workbook(wb, path)


def write_tidy_csvs(ds, out_dir: str | Path, *, catalog=None, scores=None) -> list[Path]:
    """Tidy CSVs (UTF-8 with BOM, so that Excel opens them correctly): observations,
    indicator scores, composite scores and the 述职评议 review."""
    from ._xlsx import csv_safe
    from ..metrics.review import review
    from ..metrics.scoring import score_composite, score_indicators

    cat = catalog_of(ds, catalog)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        tables = {"observations": ds.observations,
                  "indicator_scores": score_indicators(ds, cat),
                  "scores": score_composite(ds, cat) if scores is None else scores,
                  "review": review(ds, catalog=cat),
                  "issues": ds.issues}
    written = []
    for name, table in tables.items():
        path = out_dir / f"{name}.csv"
        table = table.copy()
        if "source_file" in table:
            table["source_file"] = table["source_file"].map(lambda f: Path(f).name)
        if "file" in table:
            table["file"] = table["file"].map(lambda f: Path(f).name if f else "")
        csv_safe(table).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.10g")
        written.append(path)
    return written


def table_html(frame: pd.DataFrame, digits: int = 1, max_rows: int | None = None):
    """A frame as a plain HTML table for notebooks and the report (no index, numbers to
    ``digits`` decimals, rates as percentages); deterministic, unlike Styler's random ids."""
    from IPython.display import HTML

    frame = frame.head(max_rows) if max_rows else frame
    formatters = {c: (lambda v: "" if pd.isna(v) else f"{v:.1%}") for c in frame.columns if c in _RATE_COLUMNS}
    html = frame.to_html(index=False, float_format=lambda v: f"{v:.{digits}f}", formatters=formatters,
                         na_rep="—", border=0, classes="dataframe dangjian")
    return HTML(html)
