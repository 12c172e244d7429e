"""The yearly report's content, written once for every format (Word, HTML).

:func:`write_content` lays out the report through a :class:`ReportWriter` — 一、主要结论
(:func:`~dangjian_analysis.documents.conclusions.report_conclusions`), the ranking, the 五大工程
sub-indices, 一乡一品, funding targets, 倒排 and 晋位升级 (townships and, by township, villages),
述职评议, conduct (台账/驻点), data quality and method, then an appendix with the files read and
the files written. Tables are those of the summary workbook
(:func:`~dangjian_analysis.documents.summary.report_tables`); charts are the report's charts
without their own title (the caption names them). A writer numbers headings (一、 (一)) and
figures (图1); its subclasses only know how to put a heading, a paragraph, a table or a
picture on the page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["ReportWriter", "write_content", "chart_pictures", "report_inputs", "OUTPUT_FILES"]

_NUMERALS = "一二三四五六七八九十"
_RATES = {"好票率", "好评率", "差评率", "倒排概率", "村覆盖率"}
#: The files ``dangjian report`` writes, with what each is for (the appendix lists them).
OUTPUT_FILES = [
    ("report.docx", "年度报告（公文格式），可直接印发或修改"),
    ("report.html", "年度报告网页版，可在浏览器中打印"),
    ("summary.xlsx", "汇总表，含每个数值的来源单元格"),
    ("slides.pptx", "会议幻灯片，备注中有数字依据"),
    ("charts/", "图表图片（带标题，可直接粘贴）"),
    ("data/", "整洁数据表（中文列名，附字段说明）"),
    ("report.ipynb", "生成本报告的笔记本（已运行）"),
    ("manifest.json", "参数和各文件的校验值，用于核对报告"),
]
_NAMES = ("乡镇", "村（社区）", "书记", "单位", "指标")


class ReportWriter:
    """Numbers headings and figures; subclasses implement ``_heading(text, level)``,
    ``_paragraph(text)``, ``_table(frame, percent, name_columns)`` and ``_picture(png, caption)``."""

    def __init__(self, pictures: dict | None = None):
        self.pictures, self.h1, self.h2, self.figure = pictures or {}, 0, 0, 0

    def heading(self, text: str, *, numbered: bool = True) -> None:
        self.h1, self.h2 = self.h1 + 1, 0
        self._heading(f"{_NUMERALS[self.h1 - 1]}、{text}" if numbered else text, 1)

    def subheading(self, text: str) -> None:
        self.h2 += 1
        self._heading(f"（{_NUMERALS[self.h2 - 1]}）{text}", 2)

    def text(self, text: str) -> None:
        self._paragraph(text)

    def table(self, frame: pd.DataFrame, *, names=_NAMES) -> None:
        if frame is None or frame.empty:
            self.text("（无）")
            return
        self._table(_whole(frame.reset_index(drop=True)), _RATES & set(frame.columns),
                    [c for c in frame.columns if c in names])

    def chart(self, prefix: str) -> None:
        """The report's chart ``prefix`` (“01” …) with a numbered caption; nothing if absent."""
        if prefix not in self.pictures:
            return
        caption, png = self.pictures[prefix]
        self.figure += 1
        self._picture(png, f"图{self.figure}　{caption}")


def _whole(frame: pd.DataFrame) -> pd.DataFrame:
    """Number columns whose values are all whole (counts: 个, 户, 人) shown without decimals."""
    out = frame.copy()
    for c in out.columns:
        values = out[c]
        if pd.api.types.is_float_dtype(values) and values.notna().any() and \
                (values.dropna() == values.dropna().round()).all():
            out[c] = values.round().astype("Int64")
    return out


def chart_pictures(charts=None, charts_dir=None) -> dict[str, tuple[str, bytes]]:
    """``{"01": (title, png bytes), ...}``: from :func:`~dangjian_analysis.write_charts`'s result
    (each chart without its title band), else from the PNGs in ``charts_dir``."""
    if charts:
        return {c["name"][:2]: (c["title"], c["bare"]) for c in charts if "bare" in c}
    if not charts_dir:
        return {}
    return {p.stem[:2]: (p.stem.split("_", 1)[1], p.read_bytes()) for p in sorted(Path(charts_dir).glob("*_*.png"))}


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


def _ranking(w: ReportWriter, tables, year) -> None:
    ranking = tables["综合排名"]
    unit = ranking.columns[1]
    columns = ["排名", unit, "综合指数", "等次"] + [c for c in ("名次区间(5–95%)", "覆盖率") if c in ranking]
    if "待核实" in ranking and (ranking["待核实"].fillna("") != "").any():
        columns.append("待核实")
    w.heading("综合指数与排名")
    w.text(f"表中为{year}年度各{unit}综合指数（0–100 分）、全县名次和等次"
           + ("；名次区间为权重随机变动时名次的 5%–95% 范围" if "名次区间(5–95%)" in ranking else "")
           + ("；覆盖率为有数据的指标所占的权重（%），低于 100 表示有指标缺报" if "覆盖率" in ranking else "") + "。")
    w.table(ranking[columns])
    w.chart("01")
    w.chart("04")
    w.chart("07")
    w.chart("08")


def _programmes(w: ReportWriter, tables, cat) -> None:
    ranking = tables["综合排名"]
    unit = ranking.columns[1]
    groups = cat.groups[cat.groups["programme"] == "五大工程"]["name"].tolist()
    shown = [g for g in cat.groups["name"] if g in ranking]
    table = ranking[[unit, *shown]]
    table = pd.concat([table, pd.DataFrame([{unit: "全县平均", **table[shown].mean().to_dict()}])], ignore_index=True)
    w.heading("五大工程分项指数")
    w.text(f"五大工程（{'、'.join(groups)}）及其余各分项的指数，为分项内各指标得分的加权平均（0–100 分），末行为全县平均。")
    w.table(table)
    w.chart("02")
    w.chart("03")


def _feature(w: ReportWriter, tables, cat) -> None:
    rows = _group_rows(tables, cat, "feature")
    w.heading("一乡一品")
    w.text("各乡镇一乡一品主导产业的指标值（单位见表头）。")
    w.table(_wide(rows, "数值", lambda r: f"{r['指标']}（{r['单位']}）"))
    w.chart("11")


def _funding(w: ReportWriter, tables, cat) -> None:
    names = set(_group_rows(tables, cat, "funding")["指标"])
    att = tables["目标达成"]
    att = att[att["指标"].isin(names)]
    w.heading("投入保障目标达成")
    w.text("表中为各乡镇达到投入保障目标的村所占比例（%），末行为全县。")
    w.table(_wide(att, "达标占比(%)", lambda r: f"{r['指标']}{r['目标']}（%）"))
    w.chart("05")
    w.chart("06")


def _bottom_and_moves(w: ReportWriter, tables, year) -> None:
    w.heading("倒排整顿与晋位升级")
    w.subheading("倒排整顿的村")
    w.table(tables["倒排名单"])
    w.subheading("乡镇晋位升级")
    w.table(tables["晋位升级"])
    w.chart("09")
    villages = tables.get("村级晋位升级")
    if villages is not None and len(villages):
        w.subheading("村级晋位升级（按乡镇）")
        w.text(f"各乡镇所辖村（社区）的综合指数等次与上年相比的变化：晋位升级 {int(villages['晋位升级'].sum())} 个，"
               f"持平 {int(villages['持平'].sum())} 个，降级 {int(villages['降级'].sum())} 个。")
        w.table(villages, names=("乡镇",))


def _review(w: ReportWriter, tables) -> None:
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


def _conduct(w: ReportWriter, tables, cat) -> None:
    rows = _group_rows(tables, cat, "conduct")
    w.heading("作风建设（台账与驻点）")
    w.text("四风问题台账按时销号和领导班子驻点走访农户的情况，单位见表头。")
    w.table(_wide(rows, "数值", lambda r: f"{r['指标']}（{r['单位']}）"))
    att = tables["目标达成"]
    att = att[att["指标"].isin(set(rows["指标"]))]
    if len(att):
        w.text("达到目标的村所占比例（%），末行为全县：")
        w.table(_wide(att, "达标占比(%)", lambda r: f"{r['指标']}{r['目标']}（%）"))


def _quality(w: ReportWriter, ds, tables) -> None:
    issues = tables.get("校验问题", pd.DataFrame())
    ranking = tables["综合排名"]
    held = ranking[ranking["待核实"].fillna("") != ""] if "待核实" in ranking else ranking.iloc[0:0]
    w.heading("数据质量")
    w.text(f"共读取 {len(ds.files)} 个文件（见附录），采用各乡镇报表中的指标值 {len(ds.observations)} 个、"
           f"县级数据中的述职评议计票 {len(ds.ballots)} 行；校验发现错误 {ds.n_errors} 条、"
           f"提示 {ds.n_warnings} 条（详见 summary.xlsx 的“校验问题”表）。"
           + (f"结果待核实的单位 {len(held)} 个：{'、'.join(held.iloc[:, 1].astype(str))}。" if len(held)
              else "没有待核实的结果。"))
    if len(issues):
        w.text(f"校验问题（前 {min(len(issues), 20)} 条）：")
        w.table(issues.head(20), names=("文件", "工作表", "单元格", "级别"))


def _method(w: ReportWriter, scores, cat) -> None:
    scoring = scores.attrs.get("scoring", {})
    groups = dict(zip(cat.groups["group"], cat.groups["name"]))
    weights = scoring.get("weights", {}).get("groups") or dict(zip(cat.groups["group"], cat.groups["weight"]))
    weight_text = "、".join(f"{groups.get(g, g)} {100 * v:.0f}%" for g, v in weights.items())
    bands = "、".join(f"{g} ≥{m:g}" for g, m in zip(cat.grade_bands["grade"], cat.grade_bands["min"]) if m > 0)
    w.heading("计算方法")
    w.text("各指标先标准化为 0–100 分：越大越好的指标得分 = 100 ×（指标值 − 下限）/（上限 − 下限），越小越好的指标"
           "得分 = 100 ×（上限 − 指标值）/（上限 − 下限），超出范围的按 0 或 100 计；村级指标先按指标规定汇总到乡镇"
           "（村均值或达标村占比）。分项指数 = Σ（指标权重 × 指标得分）/ Σ 指标权重；综合指数 = Σ（分项权重 × "
           f"分项指数），分项权重为：{weight_text}。等次按综合指数划分：{bands}，其余为差。"
           + (f"{scoring['missing_text']}。" if scoring.get("missing_text") else ""))


def _appendix(w: ReportWriter, ds) -> None:
    from .display import to_chinese

    w.heading("附录　数据文件与输出文件", numbered=False)
    files = to_chinese(ds.files)
    if "文件" in files:
        files["文件"] = files["文件"].map(lambda f: Path(str(f)).name)
    w.text(f"本报告读取的 {len(ds.files)} 个文件及每个文件的读取结果：")
    w.table(files, names=("文件", "状态"))
    w.text("本报告同时生成的文件：")
    w.table(pd.DataFrame(OUTPUT_FILES, columns=["文件", "内容"]), names=("文件",))


def report_inputs(ds, year: int, catalog=None, scores=None, tables=None):
    """``(catalog, scores, tables, title)`` of the report of ``year``, computing what is not given."""
    from ..metrics._frames import catalog_of
    from ..metrics.scoring import score_composite
    from .summary import report_tables

    cat = catalog_of(ds, catalog)
    scores = score_composite(ds, cat) if scores is None else scores
    tables = report_tables(ds, year, catalog=cat, scores=scores) if tables is None else tables
    return cat, scores, tables, f"{cat.county_name}{year}年度基层党建考核报告"


def write_content(w: ReportWriter, ds, year: int, cat, scores, tables) -> None:
    """Everything after the title, in the order of the report (see the module docstring)."""
    from .conclusions import report_conclusions

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
    _appendix(w, ds)
