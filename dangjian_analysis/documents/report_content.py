"""The yearly report's content, written once for every format (Word, HTML).

:func:`write_content` lays out the report through a :class:`ReportWriter` — 一、主要结论
(:func:`~dangjian_analysis.documents.conclusions.report_conclusions`), the analyst's 主要成效、存在问题和
下一步工作 (:mod:`._narrative_section`), the ranking, the 五大工程
sub-indices, 一乡一品, funding targets, 倒排 and 晋位升级 (townships and, by township, villages),
述职评议, conduct (台账/驻点), data quality and method, then an appendix with the files read and
the files written. Everything comes from one :class:`~dangjian_analysis.documents.model.ReportModel`:
its tables (English ids, selected and reshaped here by id, labelled in Chinese by
:mod:`.report_labels` on the way to the page) and its charts by id, without their own title
(the caption names them). A writer numbers headings (一、 (一)) and figures (图1); its
subclasses only know how to put a heading, a paragraph, a table or a picture on the page.
"""

from __future__ import annotations

import pandas as pd

from ._narrative_section import narrative_draft, write_narrative_section
from .report_labels import county_label, county_rows, feature_note
from .report_tables import index_column
from .robust_report import interval_phrase, write_robustness, write_robustness_appendix

__all__ = ["ReportWriter", "write_content", "chart_pictures", "roll_text", "OUTPUT_FILES"]

_NUMERALS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals as headings count: 一 … 九, 十, 十一 … 十九, 二十, 二十一 …"""
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        raise ValueError(f"章节序号应为 1–99，实际为 {n}")
    return (("" if tens < 2 else _NUMERALS[tens - 1]) + ("十" if tens else "")
            + (_NUMERALS[ones - 1] if ones else ""))
_RATES = {"好票率", "好评率", "差评率", "倒排概率", "村覆盖率"}
#: The files ``dangjian report`` writes, with what each is for (the appendix lists them).
OUTPUT_FILES = [
    ("report.docx", "年度报告（公文格式），可直接印发或修改"),
    ("report.html", "年度报告网页版，可在浏览器中打印"),
    ("summary.xlsx", "汇总表，含每个数值的来源单元格"),
    ("slides.pptx", "会议幻灯片，备注中有数字依据"),
    ("通报.docx", "考核结果通报（党政机关公文格式），只写等次和名单"),
    ("整改清单.xlsx", "下发被考核单位的整改清单，整改措施由单位填写"),
    ("反馈单/", "各乡镇的反馈单（每个乡镇一份）：结果、问题和整改要求"),
    ("charts/", "图表图片（带标题，可直接粘贴）"),
    ("data/", "整洁数据表（中文列名，附字段说明）"),
    ("report.ipynb", "生成本报告的笔记本（已运行）"),
    ("manifest.json", "参数和各文件的校验值，用于核对报告"),
]
_NAMES = ("乡镇", "村（社区）", "书记", "单位", "指标")


class ReportWriter:
    """Numbers headings and figures; subclasses implement ``_heading(text, level)``,
    ``_paragraph(text)``, ``_table(frame, percent, name_columns, digits)`` and ``_picture(png, caption)``."""

    def __init__(self, pictures: dict | None = None):
        self.pictures, self.h1, self.h2, self.figure = pictures or {}, 0, 0, 0

    def heading(self, text: str, *, numbered: bool = True) -> None:
        self.h1, self.h2 = self.h1 + 1, 0
        self._heading(f"{chinese_number(self.h1)}、{text}" if numbered else text, 1)

    def subheading(self, text: str) -> None:
        self.h2 += 1
        self._heading(f"（{chinese_number(self.h2)}）{text}", 2)

    def text(self, text: str) -> None:
        self._paragraph(text)

    def table(self, frame: pd.DataFrame, *, names=_NAMES, digits: int = 1) -> None:
        """``frame`` (Chinese headers) as a table; numbers with ``digits`` decimals (whole ones without)."""
        if frame is None or frame.empty:
            self.text("（无）")
            return
        self._table(_whole(frame.reset_index(drop=True)), _RATES & set(frame.columns),
                    [c for c in frame.columns if c in names], digits)

    def chart(self, chart_id: str) -> None:
        """The report's chart ``chart_id`` (“ranking” …) with a numbered caption; nothing when
        the report was written without pictures."""
        if not self.pictures:
            return
        caption, png = self.pictures[chart_id]
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


def chart_pictures(rendered) -> dict[str, tuple[str, bytes]]:
    """``{chart id: (title, png bytes without the title band)}`` from the rendered charts
    (:func:`~dangjian_analysis.documents.pipeline.draw_charts`); empty without them."""
    return {c["id"]: (c["title"], c["bare"]) for c in rendered or () if "bare" in c}


def _wide(rows: pd.DataFrame, value: str, label, names: dict) -> pd.DataFrame:
    """Indicator rows (township, indicator, value) as one row per township (header 乡镇), one
    column per indicator headed ``label(row)``; indicator ids become ``names``."""
    if rows.empty:
        return rows
    rows = rows.assign(indicator=rows["indicator"].map(names))
    towns = list(dict.fromkeys(rows["township"]))
    rows = rows.assign(_c=[label(r) for _, r in rows.iterrows()])
    wide = rows.pivot(index="township", columns="_c", values=value)
    wide = wide.reindex(index=towns, columns=list(dict.fromkeys(rows["_c"])))
    wide.columns.name = None
    wide.index.name = "乡镇"
    return wide.reset_index()


def _group_rows(m, group: str) -> pd.DataFrame:
    ind = m.table("indicator_scores")
    return ind[ind["group"] == group]


def _labelled(m, name: str, columns=None, frame=None) -> pd.DataFrame:
    """Table ``name`` of the model (only ``columns``, English ids, when given; ``frame`` in its
    place when given, e.g. with a row added) with Chinese headers."""
    from .report_labels import label_table

    frame = m.table(name) if frame is None else frame
    frame = frame if columns is None else frame[[c for c in columns if c in frame]]
    return label_table(name, frame, catalog=m.catalog, year=m.year, previous=m.previous, partial=bool(m.roll.missing))


def _names(m) -> dict:
    return dict(zip(m.catalog.indicators["id"], m.catalog.indicators["name"]))


def _held(ranking: pd.DataFrame) -> pd.DataFrame:
    return ranking[ranking["provisional_reason"].fillna("") != ""]


def _charts(w: ReportWriter, m, *ids: str) -> None:
    """The charts ``ids`` the model has (a chart without data for the year is not drawn)."""
    drawn = {spec.id for spec in m.charts}
    for chart_id in ids:
        if chart_id in drawn:
            w.chart(chart_id)


def _listed(names, most: int = 12) -> str:
    from ..charts.takeaways import listed

    return listed(list(names), most=most)


def roll_text(m) -> str:
    """报送情况 in one or two sentences (the townships not yet in, the county tables missing)."""
    roll, year = m.roll, m.year
    text = (f"{year}年度全县 {len(roll.townships)} 个乡镇已全部报送" if not roll.missing else
            f"{year}年度全县 {len(roll.townships)} 个乡镇中已报送 {len(roll.reported)} 个"
            f"（{_listed(roll.reported)}），尚未报送 {len(roll.missing)} 个：{_listed(roll.missing)}")
    text += ("；县级数据（述职评议计票、四风台账、驻点联系）齐全。" if not roll.county_missing else
             f"；县级数据中尚缺{'、'.join(roll.county_missing)}。")
    return text


def _draft(w: ReportWriter, m) -> None:
    """A draft's first section: what is still missing, and what it means for the figures."""
    if not m.draft:
        return
    w.heading("报送情况")
    held = _held(m.table("ranking"))
    w.text(roll_text(m) + ("本稿中的名次、等次只在已报送的乡镇之间比较，均为待核实，待全部报送后重新生成。"
                           if m.roll.missing else "")
           + (f"另有 {len(held)} 个乡镇的结果待核实（原因见排名表的“待核实”列）。" if len(held) and not m.roll.missing
              else "") + _assessment_held(m) + narrative_draft(m) + f"本稿为{m.catalog.draft_word}，数据齐全、核实后重新生成即为正式报告。")


def _assessment_held(m) -> str:
    """The 考核细则 results still 待核实, counted (their reasons are in the unit paragraphs)."""
    if "assessment" not in m.tables:
        return ""
    table = m.table("assessment")
    held = table[table["pending"].astype(str) != ""]
    return (f"年度考核有 {len(held)} 个单位的结果待核实（缺少的台账、清单或数值见“述职评议与年度考核”）。"
            if len(held) else "")


def _ranking(w: ReportWriter, m) -> None:
    ranking = m.table("ranking")
    unit = "township" if "township" in ranking else "village"
    columns = ["rank", unit, "score", "grade", "rank_interval", "coverage_pct"] + ["provisional_reason"][:len(_held(ranking))]
    unit_zh = "乡镇" if unit == "township" else "村（社区）"
    roll = m.roll
    w.heading("综合指数与排名")
    w.text((f"表中为{m.year}年度已报送的 {len(roll.reported)} 个乡镇（全县 {len(roll.townships)} 个）的综合指数（0–100 分）、"
            "名次和等次，名次只在已报送的乡镇之间排列，均待核实"
            if unit == "township" and roll.missing else f"表中为{m.year}年度各{unit_zh}综合指数（0–100 分）、全县名次和等次")
           + interval_phrase(m)
           + ("；覆盖率为已报指标占应报指标的权重（%），低于 100 表示有必报指标缺报（选报指标没有填的，"
              "如只对部分村适用的指标，为不适用，不计入）" if "coverage_pct" in ranking else "") + "。")
    w.table(_labelled(m, "ranking", columns))
    _charts(w, m, "ranking")
    write_robustness(w, m)
    _charts(w, m, "bump", "slope")


def _programmes(w: ReportWriter, m) -> None:
    cat = m.catalog
    ranking = m.table("ranking")
    unit = "township" if "township" in ranking else "village"
    groups = cat.groups[cat.groups["programme"] == "五大工程"]["name"].tolist()
    shown = [index_column(g) for g in cat.groups["group"] if index_column(g) in ranking]
    table = ranking[[unit, *shown]]
    table = pd.concat([table, pd.DataFrame([{unit: "全县平均", **table[shown].mean().to_dict()}])], ignore_index=True)
    w.heading("五大工程分项指数")
    w.text(f"五大工程（{'、'.join(groups)}）及其余各分项的指数，为分项内各指标得分的加权平均（0–100 分），"
           f"末行为{county_label(m.roll.missing)}平均。")
    w.table(_labelled(m, "ranking", frame=table))
    _charts(w, m, "groups", "radar")


def _feature(w: ReportWriter, m) -> None:
    w.heading("一乡一品")
    w.text(feature_note(m.catalog, m.table("feature"), county_label(m.roll.missing)))
    w.table(_labelled(m, "feature"), names=("乡镇", "主导产业"))
    _charts(w, m, "feature_growth")


def _attained(m, group: str) -> pd.DataFrame:
    att = m.table("attainment")
    att = att[att["indicator"].isin(set(_group_rows(m, group)["indicator"]))]
    return county_rows(_wide(att, "share", lambda r: f"{r['indicator']}{r['target']}（%）", _names(m)), bool(m.roll.missing))


def _funding(w: ReportWriter, m) -> None:
    w.heading("投入保障目标达成")
    w.text(f"表中为各乡镇达到投入保障目标的村所占比例（%），末行为{county_label(m.roll.missing)}。")
    w.table(_attained(m, "funding"))
    _charts(w, m, "attainment", "funding_trend")


def _bottom_and_moves(w: ReportWriter, m) -> None:
    w.heading("倒排整顿与晋位升级")
    w.subheading("倒排整顿的村")
    if m.roll.missing:
        ranked = m.villages[(m.villages["year"] == m.year) & (m.villages["group"] == "overall")]["score"].notna().sum()
        w.text(f"倒排按已报送的 {len(m.roll.reported)} 个乡镇的 {ranked} 个村计算（综合指数最低的 "
               f"{m.catalog.bottom_share:.0%}），其余乡镇报送后名单会变化，均待核实。")
    w.table(_labelled(m, "bottom"))
    w.subheading("乡镇晋位升级")
    if m.previous == m.year:
        w.text(f"数据中没有{m.year}年以前的年度，无法比较等次变化。")
    else:
        w.table(_labelled(m, "moves"))
    _charts(w, m, "transitions")
    villages = m.table("village_moves")
    if len(villages):
        w.subheading("村级晋位升级（按乡镇）")
        w.text(f"各乡镇所辖村（社区）的综合指数等次与上年相比的变化：晋位升级 {int(villages['up'].sum())} 个，"
               f"持平 {int(villages['same'].sum())} 个，降级 {int(villages['down'].sum())} 个。")
        w.table(_labelled(m, "village_moves"), names=("乡镇",))


def _review(w: ReportWriter, m) -> None:
    """述职评议, then 年度综合考核 — or, with a 考核细则, 年度考核 (:mod:`.report_assessment`)."""
    from ..metrics.review import describe_scheme

    review, rubric = m.table("review"), "assessment" in m.tables
    rules = describe_scheme(m.catalog)
    w.heading("述职评议与年度考核" if rubric else "述职评议与年度综合考核")
    w.subheading("述职评议")
    if review.empty:
        w.text(f"{m.year}年度的述职评议计票（县级数据）尚未报送，本节待计票录入后生成。")
        if not rubric:
            w.subheading("年度综合考核")
            w.text("年度综合考核由日常考核、述职评议和群众满意度合成，述职评议计票录入后生成。")
            return
    else:
        _ballots(w, m, review, rules)
    if rubric:
        from .report_assessment import write_assessment

        write_assessment(w, m)
        return
    w.subheading("年度综合考核")
    w.text(rules[-1])
    annual = m.table("annual")
    w.table(_labelled(m, "annual", [c for c in annual.columns if c != "parts"]))


def _ballots(w: ReportWriter, m, review, rules) -> None:
    """述职评议's rules, table, grade notes and chart."""
    w.text(rules[0] + "".join(rules[1:-1]))
    w.table(_labelled(m, "review", ["secretary", "unit_name", "type", "valid", "top_rate", "good_rate", "bad_rate",
                                    "score", "grade", "rank"]))
    if "grade_note" in review:
        for who, note in zip(review["secretary"], review["grade_note"].fillna("")):
            if note:
                w.text(f"{who}：{note}。")
    _charts(w, m, "review")


def _conduct(w: ReportWriter, m) -> None:
    from .report_labels import unit_header

    rows = _group_rows(m, "conduct")
    w.heading("作风建设（台账与驻点）")
    w.text("四风问题台账按时销号和领导班子驻点走访农户的情况，单位见表头。")
    w.table(_wide(rows, "value", lambda r: unit_header(r["indicator"], r["unit"]), _names(m)))
    attained = _attained(m, "conduct")
    if len(attained):
        w.text(f"达到目标的村所占比例（%），末行为{county_label(m.roll.missing)}：")
        w.table(attained)


def _quality(w: ReportWriter, m) -> None:
    ds = m.dataset
    issues = m.labelled("issues")
    ranking = m.table("ranking")
    held = _held(ranking)
    unit = "township" if "township" in ranking else "village"
    w.heading("数据质量")
    w.text(f"共读取 {len(ds.files)} 个文件（见附录），采用各乡镇报表中的指标值 {len(ds.observations)} 个、"
           f"县级数据中的述职评议计票 {len(ds.ballots)} 行；校验发现错误 {ds.n_errors} 条、"
           f"提示 {ds.n_warnings} 条（详见 summary.xlsx 的“校验问题”表）。" + roll_text(m)
           + (f"结果待核实的单位 {len(held)} 个：{'、'.join(held[unit].astype(str))}。" if len(held)
              else "没有待核实的结果。"))
    doubtful, confirmed = m.table("doubtful"), m.table("confirmed")
    if len(doubtful):
        w.text(f"存疑、尚待确认的数值 {len(doubtful)} 个（确认前相关结果为待核实；乡镇可在退回修改表的“确认属实”栏确认，"
               "分析人员可记入数据文件夹中的“确认.xlsx”）：")
        w.table(_labelled(m, "doubtful", ["township", "unit_name", "indicator", "value", "sheet", "cell", "message"]))
    if len(confirmed):
        w.text(f"已确认属实的数值 {len(confirmed)} 个：")
        w.table(_labelled(m, "confirmed", ["township", "unit_name", "indicator", "value", "cell", "note",
                                           "confirmed_by", "date"]))
    roll = m.roll.table
    if (roll["roll_status"] != "reported").any():
        from .display import to_chinese

        w.text(f"{m.year}年度报送进度（未报送、有错误或已退回修改的单位）：")
        w.table(to_chinese(roll.loc[roll["roll_status"] != "reported", ["kind", "unit", "roll_status", "files"]]),
                names=("报送单位",))
    if len(issues):
        w.text(f"校验问题（前 {min(len(issues), 20)} 条）：")
        w.table(issues.head(20), names=("文件", "工作表", "单元格", "级别"))


def _method(w: ReportWriter, m) -> None:
    cat, scoring = m.catalog, m.scores.attrs.get("scoring", {})
    groups = dict(zip(cat.groups["group"], cat.groups["name"]))
    weights = scoring.get("weights", {}).get("groups") or dict(zip(cat.groups["group"], cat.groups["weight"]))
    weight_text = "、".join(f"{groups.get(g, g)} {100 * v:.0f}%" for g, v in weights.items())
    bands = "、".join(f"{g} ≥{lo:g}" for g, lo in zip(cat.grade_bands["grade"], cat.grade_bands["min"]) if lo > 0)
    w.heading("计算方法")
    w.text("各指标先标准化为 0–100 分：越大越好的指标得分 = 100 ×（指标值 − 下限）/（上限 − 下限），越小越好的指标"
           "得分 = 100 ×（上限 − 指标值）/（上限 − 下限），超出范围的按 0 或 100 计；村级指标先按指标规定汇总到乡镇"
           "（村均值或达标村占比）。分项指数 = Σ（指标权重 × 指标得分）/ Σ 指标权重；综合指数 = Σ（分项权重 × "
           f"分项指数），分项权重为：{weight_text}。等次按综合指数划分：{bands}，其余为"
           f"{cat.grade_bands['grade'].iloc[-1]}。"
           + (f"{scoring['missing_text']}。" if scoring.get("missing_text") else ""))
    for sentence in m.rescored:
        w.text(sentence)


def _appendix(w: ReportWriter, m, outputs) -> None:
    from .display import to_chinese

    ds = m.dataset
    w.heading("附录　数据文件与输出文件", numbered=False)
    files = to_chinese(ds.files)                  # each file by its path below the folder read (2016/东山镇.xlsx)
    w.text(f"本报告读取的 {len(ds.files)} 个文件及每个文件的读取结果：")
    w.table(files, names=("文件", "状态"))
    w.text("本报告同时生成的文件：")
    w.table(pd.DataFrame(outputs, columns=["文件", "内容"]), names=("文件",))


def write_content(w: ReportWriter, model, *, outputs=OUTPUT_FILES) -> None:
    """Everything after the title, in the order of the report (see the module docstring);
    ``outputs`` are the ``(file, what it is)`` pairs the appendix lists."""
    _draft(w, model)
    w.heading("主要结论")
    for k, sentence in enumerate(model.conclusions, start=1):
        w.text(f"{k}. {sentence}")
    write_narrative_section(w, model)
    _ranking(w, model)
    _programmes(w, model)
    _feature(w, model)
    _funding(w, model)
    _bottom_and_moves(w, model)
    _review(w, model)
    _conduct(w, model)
    _quality(w, model)
    _method(w, model)
    write_robustness_appendix(w, model)
    _appendix(w, model, outputs)
