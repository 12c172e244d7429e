"""Each township's 反馈单 (``反馈单/<乡镇>.docx``): its result and what to fix, one or two A4 pages.

The report's 公文 layout (:mod:`._docx`: A4, 公文 margins, 仿宋 body, 黑体/楷体 headings, the
page number “— 1 —”), body text in 仿宋 小四 so that the township's page stays within two
sheets. The content, in order:

- the title ``<county><year>年度基层党建考核反馈单（<乡镇>）`` (with ``（征求意见稿）`` and a page
  header while the report is a draft), the date line, 主送 the township's Party committee;
- 一、综合指数、名次和等次 — this year and every year before (a sentence; when a roster village
  sent nothing that year, the note of :func:`._feedback_parts.imputed_note`, and the township's
  own figures in sections 二 and 三 are headed ``本乡镇（待核实）``; the small chart of
  :func:`~dangjian_analysis.charts.feedback.plot_township_history`, a table);
- 二、分项指数 — the township's sub-indices against the county mean;
- 三、得分最低的三项指标 — against the county mean, with the villages behind each;
- 四、倒排整顿的村 — the township's villages in the ``bottom`` table with their reasons;
- 五、述职评议与年度考核 — the secretary's 述职评议, the 年度考核 and, with a 考核细则, the lines
  where points were lost or gained;
- 六、待核实事项 — the township's provisional reasons and doubtful cells;
- 七、亮点、问题和整改要求 — the analyst's words from ``model.narrative`` (``（待补充）`` when missing).

Every number is the report's (:mod:`._feedback_parts` takes them from the model's tables). The
same model gives the same bytes (fixed core properties and zip times, no date of today).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import _feedback_parts as fp
from .report_tables import bottom_clause

__all__ = ["write_feedback", "write_township_feedback", "feedback_title", "FEEDBACK_FOLDER", "SECTIONS"]

#: The folder of ``dangjian report``'s output that holds the 反馈单.
FEEDBACK_FOLDER = "反馈单"
#: The level-1 headings of a 反馈单, in order.
SECTIONS = ("一、综合指数、名次和等次", "二、分项指数", "三、得分最低的三项指标", "四、倒排整顿的村",
            "五、述职评议与年度考核", "六、待核实事项", "七、亮点、问题和整改要求")
_BODY = 12             # 仿宋 小四
_LINE = 18             # pt between body lines

try:                   # the narrative's words (documents/narrative.py); the spec's values until it lands
    from .narrative import PENDING_TEXT, TOWNSHIP_PARTS
except ImportError:    # pragma: no cover - only before the narrative module exists
    PENDING_TEXT, TOWNSHIP_PARTS = "（待补充）", ("亮点", "问题", "整改要求")


def feedback_title(model, town: str) -> str:
    """``示例县（虚构）2015年度基层党建考核反馈单（东山镇）``, ``（征求意见稿）`` after it in a draft (the catalogue's word)."""
    title = f"{model.catalog.county_name}{model.year}年度基层党建考核反馈单（{town}）"
    return title + (f"（{model.catalog.draft_word}）" if model.draft else "")


def _text(doc, text: str, *, indent: bool = True, font: str | None = None):
    """A body paragraph in 仿宋 小四 (``font``: another face for the whole run, e.g. a 楷体 lead)."""
    from docx.shared import Pt

    from ._docx import add_body

    p = add_body(doc, text, indent=indent, size=_BODY)
    p.paragraph_format.line_spacing = Pt(_LINE)
    if font is not None:
        from docx.oxml.ns import qn

        p.runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return p


def _heading(doc, text: str):
    """A level-1 heading (黑体 3号) on a 22 pt line, 3 pt above it."""
    from docx.shared import Pt

    from ._docx import add_heading

    p = add_heading(doc, text)
    p.paragraph_format.line_spacing = Pt(22)
    p.paragraph_format.space_before = Pt(3)
    return p


def _table(doc, frame, *, names=(), size: float = 10.5):
    """:func:`~._docx.add_table` (the line before it kept with it) with a 6 pt gap under it."""
    from docx.shared import Pt

    from ._docx import add_table

    if len(doc.paragraphs):              # the line introducing a table stays on its page
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = add_table(doc, frame, name_columns=names, size=size)
    doc.paragraphs[-1].paragraph_format.line_spacing = Pt(6)      # the gap under the table, narrower
    return table


def _give_rest(table, frame, column: str, size: float) -> None:
    """Every column of ``table`` as narrow as its longest line (header or cell) at ``size`` pt,
    ``column`` (free text that wraps) takes the rest of the text width."""
    from docx.shared import Mm

    from ._docx import TEXT_WIDTH_MM
    from ._xlsx import display_width

    half = size * 0.3528 / 2 * 1.04                    # mm per half-width character, as _docx measures
    need = {c: max(display_width(str(x)) for x in [c, *frame[c]]) * half + 2.6 for c in frame.columns if c != column}
    widths = [need.get(c, TEXT_WIDTH_MM - sum(need.values())) for c in frame.columns]
    for k, width in enumerate(widths):
        table.columns[k].width = Mm(width)
        for cell in table.columns[k].cells:
            cell.width = Mm(width)


def _splittable(table, head: int = 2) -> None:
    """Let a long table run on to the next page (the header repeats there) instead of moving
    whole: only the header and the first row, and the last two rows, stay together."""
    from docx.oxml.ns import qn

    rows = table._tbl.tr_lst
    keep = {*range(head - 1), len(rows) - 2}
    for r, row in enumerate(rows):
        if r in keep:
            continue
        for ppr in row.iter(qn("w:pPr")):
            for el in ppr.findall(qn("w:keepNext")):
                ppr.remove(el)


def _picture(doc, png: bytes) -> None:
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(io.BytesIO(png), width=Mm(95))


def _you(town: str) -> str:
    return f"你{town[-1]}" if town[-1] in "镇乡" else "你单位"


def _narrative(model, part: str, town: str) -> tuple[str, ...]:
    narrative = getattr(model, "narrative", None)
    paragraphs = tuple(narrative.paragraphs(part, town)) if narrative is not None else ()
    return paragraphs or (PENDING_TEXT,)


def _content(doc, m, town: str, png: bytes | None) -> None:
    from ._docx import BODY_FONT, H2_FONT, add_run

    heads = iter(SECTIONS)
    _heading(doc, next(heads))
    _text(doc, fp.headline(m, town))
    note = fp.imputed_note(m, town)
    if note:                           # the township's figures include villages that sent nothing
        _text(doc, note)
    if png:
        _picture(doc, png)
    _table(doc, fp.history_table(m, town))

    _heading(doc, next(heads))
    groups = fp.group_table(m, town)
    above, below = int((groups["差距"] > 0).sum()), int((groups["差距"] < 0).sum())
    worst = groups.loc[groups["差距"].idxmin()] if groups["差距"].notna().any() else None
    _text(doc, f"{len(groups)} 个分项指数（0–100 分）中，{above} 个高于{fp.mean_label(m)}（各{'已报送' if fp.partial(m) else ''}乡镇的平均），{below} 个低于"
               + (f"；低得最多的是{worst['分项']}（{fp.fmt(worst['差距'])} 分）" if worst is not None and below else "")
               + "。")
    wide = groups.set_index("分项").T.rename_axis("项目").reset_index()     # the groups side by side
    _table(doc, wide, names=("项目",), size=9)

    _heading(doc, next(heads))
    weak, behind = fp.weakest(m, town)
    _text(doc, f"{_you(town)}本年度指标得分（0–100 分）最低的 {len(weak)} 项如下，{fp.mean_label(m)}为各{'已报送' if fp.partial(m) else ''}乡镇的平均。")
    _table(doc, weak, names=("指标", "单位"))
    level = dict(zip(m.catalog.indicators["name"], m.catalog.indicators["level"]))
    named = [f"{name}：{villages or '报送的村中没有数值差的村'}" for name, villages in behind
             if villages or level.get(name) == "village"]
    if named:
        _text(doc, "数值最差的村：" + "；".join(named) + "。"
                   + ("（乡镇级指标不分村。）" if len(named) < len(behind) else ""))

    _heading(doc, next(heads))
    bottom = fp.bottom_rows(m, town)
    if bottom.empty:
        _text(doc, f"{_you(town)}本年度没有村（社区）列入倒排整顿名单。")
    else:
        _text(doc, f"{_you(town)}本年度有 {len(bottom)} 个村（社区）列入倒排整顿名单（"
                   f"{bottom_clause(m.catalog.bottom_share, fp.partial(m))}），请限期整顿：")
        _table(doc, bottom, names=("村（社区）",))

    _heading(doc, next(heads))
    _text(doc, fp.review_sentence(m, town))
    _text(doc, fp.assessment_sentence(m, town))
    lost = fp.lost_points(m, town)
    if len(lost):
        _text(doc, "考核细则中失分、加分或扣分的项目：")
        table = _table(doc, lost, names=("编号", "项目"), size=9)
        _splittable(table)
        _give_rest(table, lost, "依据", size=9)

    _heading(doc, next(heads))
    items = fp.pending_items(m, town)
    for k, item in enumerate(items or [f"无（{_you(town)}的数据和结果没有待核实的事项）。"], start=1):
        _text(doc, f"{k}. {item}" if items else item)

    _heading(doc, next(heads))
    for k, part in enumerate(TOWNSHIP_PARTS, start=1):
        first, *rest = _narrative(m, part, town)
        p = _text(doc, f"（{'一二三四五六七八九'[k - 1]}）{part}。", font=H2_FONT)
        add_run(p, first, BODY_FONT, _BODY)
        for paragraph in rest:
            _text(doc, paragraph)


def write_township_feedback(model, town: str, path, *, png: bytes | None = None) -> Path:
    """Write the 反馈单 of ``town``; returns the path.

    Parameters
    ----------
    model : ReportModel
        :func:`~dangjian_analysis.documents.model.build_model`'s result.
    town : str
        A township of the model's ``ranking`` table.
    path : str or Path
        The ``.docx`` to write (its folder is created).
    png : bytes, optional
        The small chart (:func:`~dangjian_analysis.charts.feedback.township_history_png`);
        without it the 反馈单 has no picture.

    Raises
    ------
    ValueError
        One Chinese line when ``town`` has no result in the report's year.
    """
    from docx import Document

    from . import _docx as dx
    from ._notice_layout import draft_header
    from ._safe import writing
    from ._xlsx import save_deterministic
    if town not in set(model.table("ranking")["township"]):
        raise ValueError(f"{model.year}年度的综合排名中没有“{town}”，不能生成其反馈单")
    title = feedback_title(model, town)
    doc = Document()
    dx.setup_document(doc)
    with writing(Path(path).name):
        dx.add_title(doc, title, f"县委组织部　{model.year}年度考核数据")
        _text(doc, f"{fp.committee_of(model, town)}：", indent=False)
        _text(doc, f"现将{_you(town)}{model.year}年度基层党建考核结果反馈如下，请对照问题抓好整改。")
        _content(doc, model, town, png)
    dx.add_page_number(doc)
    if model.draft:
        draft_header(doc, model.catalog.draft_word)
    dx.fix_properties(doc, title)
    doc.core_properties.subject = "基层党建考核反馈单"
    return save_deterministic(doc, path)


def _file_name(town: str) -> str:
    return re.sub(r'[\\/:*?"<>|]', "_", town) + ".docx"


def write_feedback(model, folder, *, charts=None) -> list[Path]:
    """Write one 反馈单 per township of the report's year into ``folder/反馈单``; returns the paths.

    Parameters
    ----------
    model : ReportModel
    folder : str or Path
        The report's folder; the 反馈单 go to ``folder/反馈单/<乡镇>.docx``.
    charts : mapping of str to bytes, optional
        Township → the small chart's PNG bytes, when drawn elsewhere; the townships it does not
        give are drawn here (:func:`~dangjian_analysis.charts.feedback.township_history_png`).

    Returns
    -------
    list of Path
        In the order of the ``ranking`` table (名次).

    >>> write_feedback(model, "report")        # doctest: +SKIP
    [PosixPath('report/反馈单/金谷镇.docx'), ...]
    """
    from ..charts.feedback import township_history_png

    folder = Path(folder) / FEEDBACK_FOLDER
    charts = dict(charts or {})
    written = []
    for town in model.table("ranking")["township"]:
        png = charts.get(town)
        if png is None:
            png = township_history_png(model.scores, town, model.year)
        written.append(write_township_feedback(model, town, folder / _file_name(town), png=png))
    return written
