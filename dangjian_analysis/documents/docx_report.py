"""The yearly report as a Word document (report.docx) in the layout county offices use.

GB/T 9704 is the model: A4 portrait, margins 37/35/28/26 mm, title in 小标宋, body in 仿宋 3号,
level-1 headings 一、… in 黑体, level-2 (一)… in 楷体, page numbers “— 1 —” in the footer
(helpers in :mod:`._docx`). The content, in order: title and date line; 一、主要结论
(:func:`~dangjian_analysis.documents.conclusions.report_conclusions`); the ranking, the 五大工程
sub-indices, 一乡一品, funding targets, 倒排 and 晋位升级, 述职评议, conduct (台账/驻点), data
quality and method. Tables are those of the summary workbook
(:func:`~dangjian_analysis.documents.summary.report_tables`); charts are the PNGs the report
wrote into ``charts/``. The same inputs give a byte-identical file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..metrics._frames import catalog_of

__all__ = ["write_report_docx"]

_NUMERALS = "一二三四五六七八九十"
_RATES = {"好票率", "好评率", "差评率", "倒排概率", "村覆盖率"}


class _Writer:
    """Numbers the headings and figures while the document is written."""

    def __init__(self, doc, charts_dir):
        self.doc, self.charts_dir, self.h1, self.h2, self.figure = doc, charts_dir, 0, 0, 0

    def heading(self, text: str) -> None:
        from ._docx import add_heading

        self.h1, self.h2 = self.h1 + 1, 0
        add_heading(self.doc, f"{_NUMERALS[self.h1 - 1]}、{text}", 1)

    def subheading(self, text: str) -> None:
        from ._docx import add_heading

        self.h2 += 1
        add_heading(self.doc, f"（{_NUMERALS[self.h2 - 1]}）{text}", 2)

    def text(self, text: str) -> None:
        from ._docx import add_body

        add_body(self.doc, text)

    def table(self, frame: pd.DataFrame, *, names=("乡镇", "村（社区）", "书记", "单位", "指标")) -> None:
        from ._docx import add_table

        if frame is None or frame.empty:
            self.text("（无）")
            return
        add_table(self.doc, frame.reset_index(drop=True), percent=_RATES & set(frame.columns),
                  name_columns=[c for c in frame.columns if c in names])

    def chart(self, prefix: str) -> None:
        """The chart ``charts/<prefix>_*.png`` at text width with a numbered caption."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        from ._docx import TEXT_WIDTH_MM, add_body

        found = sorted(Path(self.charts_dir).glob(f"{prefix}_*.png")) if self.charts_dir else []
        if not found:
            return
        self.figure += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.line_spacing = 1.0
        p.add_run().add_picture(str(found[0]), width=Mm(TEXT_WIDTH_MM))
        add_body(self.doc, f"图{self.figure}　{found[0].stem.split('_', 1)[1]}", size=14, centre=True)


def _wide(rows: pd.DataFrame, value: str, label) -> pd.DataFrame:
    """Indicator rows (乡镇, 指标, value) as one row per township, one column per indicator."""
    if rows.empty:
        return rows
    towns = list(dict.fromkeys(rows["乡镇"]))
    rows = rows.assign(_c=[label(r) for _, r in rows.iterrows()])
    wide = rows.pivot(index="乡镇", columns="_c", values=value)
    wide = wide.reindex(index=towns, columns=list(dict.fromkeys(rows["_c"])))
    wide.columns.name = None
    return wide.reset_index()


def _group_rows(tables, cat, group: str) -> pd.DataFrame:
    name = dict(zip(cat.groups["group"], cat.groups["name"])).get(group, group)
    ind = tables["指标得分"]
    return ind[ind["分项"] == name]


def _ranking(w: _Writer, tables, year) -> None:
    ranking = tables["综合排名"]
    unit = ranking.columns[1]
    columns = ["排名", unit, "综合指数", "等次"] + [c for c in ("名次区间(5–95%)", "覆盖率") if c in ranking]
    if "待核实" in ranking and (ranking["待核实"].fillna("") != "").any():
        columns.append("待核实")
    w.heading("综合指数与排名")
    w.text(f"表中为{year}年度各{unit}综合指数（0–100 分）、全县名次和等次；名次区间为权重随机变动时名次的 5%–95% 范围。"
           if "名次区间(5–95%)" in ranking else f"表中为{year}年度各{unit}综合指数（0–100 分）、全县名次和等次。")
    w.table(ranking[columns])
    w.chart("01")
    w.chart("04")


def _programmes(w: _Writer, tables, cat) -> None:
    ranking = tables["综合排名"]
    unit = ranking.columns[1]
    groups = cat.groups[cat.groups["programme"] == "五大工程"]["name"].tolist()
    w.heading("五大工程分项指数")
    w.text(f"五大工程（{'、'.join(groups)}）各分项指数为分项内各指标得分的加权平均（0–100 分）。")
    w.table(ranking[[unit, *[g for g in groups if g in ranking]]])
    w.chart("02")


def _feature(w: _Writer, tables, cat) -> None:
    rows = _group_rows(tables, cat, "feature")
    w.heading("一乡一品")
    w.text("各乡镇一乡一品主导产业的指标值（单位见表头）。")
    w.table(_wide(rows, "数值", lambda r: f"{r['指标']}（{r['单位']}）"))
    w.chart("11")


def _funding(w: _Writer, tables, cat) -> None:
    names = set(_group_rows(tables, cat, "funding")["指标"])
    att = tables["目标达成"]
    att = att[att["指标"].isin(names)]
    w.heading("投入保障目标达成")
    w.text("表中为各乡镇达到投入保障目标的村所占比例（%），末行为全县。")
    w.table(_wide(att, "达标占比(%)", lambda r: f"{r['指标']}{r['目标']}（%）"))
    w.chart("05")
    w.chart("06")


def _bottom_and_moves(w: _Writer, tables, year) -> None:
    w.heading("倒排整顿与晋位升级")
    w.subheading("倒排整顿的村")
    w.table(tables["倒排名单"])
    w.subheading("晋位升级")
    w.table(tables["晋位升级"])
    w.chart("09")


def _review(w: _Writer, tables) -> None:
    review = tables["述职评议"]
    w.heading("述职评议与年度综合考核")
    w.subheading("述职评议")
    columns = ["书记", "单位", "类别", "有效票", "好票率", "好评率", "差评率", "加权得分", "等次", "类别内名次"]
    w.table(review[[c for c in columns if c in review]])
    if "等次说明" in review:
        for who, note in zip(review["书记"], review["等次说明"].fillna("")):
            if note:
                w.text(f"{who}：{note}。")
    w.chart("10")
    w.subheading("年度综合考核")
    annual = tables["年度考核"]
    w.table(annual[[c for c in annual.columns if c != "计入部分"]])


def _conduct(w: _Writer, tables, cat) -> None:
    rows = _group_rows(tables, cat, "conduct")
    w.heading("作风建设（台账与驻点）")
    w.text("四风问题台账按时销号和领导班子驻点走访农户的情况，单位见表头。")
    w.table(_wide(rows, "数值", lambda r: f"{r['指标']}（{r['单位']}）"))


def _quality(w: _Writer, ds, tables) -> None:
    from .display import to_chinese

    w.heading("数据质量")
    files = to_chinese(ds.files)
    if "文件" in files:
        files["文件"] = files["文件"].map(lambda f: Path(str(f)).name)
    issues = tables.get("校验问题", pd.DataFrame())
    ranking = tables["综合排名"]
    held = ranking[ranking.get("待核实", pd.Series("", index=ranking.index)).fillna("") != ""] \
        if "待核实" in ranking else ranking.iloc[0:0]
    w.text(f"共读取 {len(ds.files)} 个文件，采用指标值 {len(ds.observations)} 个；校验发现错误 {ds.n_errors} 条、"
           f"提示 {ds.n_warnings} 条（详见 summary.xlsx 的“校验问题”表）。"
           + (f"结果待核实的单位 {len(held)} 个：{'、'.join(held.iloc[:, 1].astype(str))}。" if len(held)
              else "没有待核实的结果。"))
    w.table(files, names=("文件", "状态"))
    if len(issues):
        w.text(f"校验问题（前 {min(len(issues), 20)} 条）：")
        w.table(issues.head(20), names=("文件", "工作表", "单元格", "级别"))


def _method(w: _Writer, scores, cat) -> None:
    scoring = scores.attrs.get("scoring", {})
    groups = dict(zip(cat.groups["group"], cat.groups["name"]))
    weights = scoring.get("weights", {}).get("groups") or dict(zip(cat.groups["group"], cat.groups["weight"]))
    weight_text = "、".join(f"{groups.get(g, g)} {100 * v:.0f}%" for g, v in weights.items())
    bands = "、".join(f"{g} ≥{m:g}" for g, m in zip(cat.grade_bands["grade"], cat.grade_bands["min"]) if m > 0)
    w.heading("计算方法")
    w.text("各指标先标准化为 0–100 分：越大越好的指标得分 = 100 ×（x − 下限）/（上限 − 下限），越小越好的指标"
           "得分 = 100 ×（上限 − x）/（上限 − 下限），超出范围的按 0 或 100 计；村级指标先按指标规定汇总到乡镇"
           "（村均值或达标村占比）。分项指数 = Σ（指标权重 × 指标得分）/ Σ 指标权重；综合指数 = Σ（分项权重 × "
           f"分项指数），分项权重为：{weight_text}。等次按综合指数划分：{bands}，其余为差。"
           + (f"{scoring['missing_text']}。" if scoring.get("missing_text") else ""))


def write_report_docx(ds, year: int, out_path, *, catalog=None, scores=None, tables=None,
                      charts_dir=None) -> Path:
    """Write the yearly report of ``year`` as a Word document; returns the path.

    Parameters
    ----------
    ds : Dataset
    year : int
    out_path : str or Path
        The ``.docx`` to write (its folder is created).
    catalog : Catalog or path, optional
        Default: the Dataset's.
    scores : DataFrame, optional
        ``score_composite`` output (computed when not given).
    tables : dict of DataFrame, optional
        :func:`~dangjian_analysis.documents.summary.report_tables` of ``year`` (computed when not given).
    charts_dir : str or Path, optional
        Folder of the chart PNGs (``01_*.png`` …); without it the document has no pictures.

    >>> write_report_docx(ds, 2015, "report/report.docx", charts_dir="report/charts")  # doctest: +SKIP
    """
    from docx import Document

    from ..metrics.scoring import score_composite
    from . import _docx as dx
    from ._xlsx import save_deterministic
    from .conclusions import report_conclusions
    from .summary import report_tables

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    tables = report_tables(ds, year, catalog=cat, scores=scores) if tables is None else tables
    title = f"{cat.county_name}{year}年度基层党建考核报告"
    doc = Document()
    dx.setup_document(doc)
    dx.add_title(doc, title, f"县委组织部　{year}年度考核数据")
    w = _Writer(doc, charts_dir)
    w.heading("主要结论")
    for k, sentence in enumerate(report_conclusions(tables, scores, year, catalog=cat), start=1):
        w.text(f"{k}. {sentence}")
    _ranking(w, tables, year)
    _programmes(w, tables, cat)
    _feature(w, tables, cat)
    _funding(w, tables, cat)
    _bottom_and_moves(w, tables, year)
    _review(w, tables)
    _conduct(w, tables, cat)
    _quality(w, ds, tables)
    _method(w, scores, cat)
    dx.add_page_number(doc)
    dx.fix_properties(doc, title)
    return save_deterministic(doc, out_path)
