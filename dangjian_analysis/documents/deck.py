"""The 16:9 PowerPoint deck: a slide per chart with its takeaway, and native editable charts.

The deck is byte-identical across runs (and machines with the same versions): fixed
document properties and fixed zip entry times (also inside the Excel workbooks that hold
native chart data). Chart pictures come from :mod:`dangjian_analysis.charts.save`. Every text
goes through :func:`~._safe.pptx_text`: control and bidi characters shown as marks, a text over
1,000 characters on a slide (20,000 in the speaker notes) cut with “…（已截断，全文见 report.docx）”.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from ._safe import pptx_text, writing

__all__ = ["build_deck", "cover_title", "DeckSlide", "table_geometry", "table_font", "TABLE_WIDTH", "TABLE_HEIGHT"]

_EA_FONT = "Microsoft YaHei"      # the East Asian font PowerPoint on Chinese Windows has

#: The content area of a slide under its title and takeaway (inches from the top left).
_LEFT, _TOP, _WIDTH, _HEIGHT = 0.4, 1.7, 12.5, 5.65
#: A table slide's table: inset 0.2 inch on both sides of the content area, as high as it.
TABLE_WIDTH, TABLE_HEIGHT = _WIDTH - 0.4, _HEIGHT
#: Cell margins (inches; PowerPoint's defaults) and the line height per point of font size: 1.45
#: covers the CJK fonts PowerPoint and LibreOffice substitute (Noto Sans CJK is 1.448 em).
_MARGIN_X, _MARGIN_Y, _LINE = 0.1, 0.05, 1.45
#: Text is drawn up to this much wider than its :func:`~dangjian_analysis.charts._text.em_width`
#: (LibreOffice's substitute for Microsoft YaHei, and the space it puts between Chinese and digits).
_SPREAD = 1.25
#: Font sizes a table may take (pt), largest first.
_TABLE_SIZES = (14, 12)


@dataclass
class DeckSlide:
    """One slide: a Chinese title, a one-line takeaway, a chart (Figure, PNG path or PNG
    bytes) or a table, and speaker notes with the numbers behind the takeaway.

    ``native`` — data for a native PowerPoint chart drawn instead of the picture, which the
    analyst can edit: ``{"kind": "bar" | "line", "categories": [...], "series": {name: values},
    "colors": [...] (bar: one per series; the series are stacked, so a category with a value in
    one series only is one bar in that colour), "styles": {series: {"color", "width" (pt),
    "dash"}} (line), "number_format": "0.0", "axis_title": str}``.
    """

    title: str
    takeaway: str = ""
    figure: object = None
    image: str | Path | bytes | None = None
    native: dict | None = field(default=None)
    notes: str = ""
    table: object = None


def _png_bytes(slide: DeckSlide) -> bytes | None:
    if slide.figure is not None:
        from ..charts.save import png_bytes

        return png_bytes(slide.figure)
    if isinstance(slide.image, bytes):
        return slide.image
    if slide.image is not None:
        return Path(slide.image).read_bytes()
    return None


def cover_title(title: str) -> str:
    """The cover's title with a bracketed ending (the draft's ``（征求意见稿）``) on a line of its own
    when the title is too long for one line at 40 pt (about 18 characters), so that the line never
    breaks inside the brackets."""
    start = title.rfind("（")
    if len(title) <= 18 or start <= 0 or not title.endswith("）") or "\n" in title:
        return title
    return title[:start] + "\n" + title[start:]


def _text(frame, text: str, size: int, *, bold: bool = False, color=None) -> None:
    from pptx.util import Pt

    frame.text = pptx_text(text)
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
            rpr = run._r.get_or_add_rPr()
            for tag in ("ea", "latin"):                    # East Asian and Latin typefaces
                qualified = f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag}"
                el = rpr.find(qualified)
                if el is None:
                    el = rpr.makeelement(qualified, {})
                    rpr.append(el)
                el.set("typeface", _EA_FONT)


def _native_chart(slide_obj, spec: dict, left, top, width, height):
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE
    from pptx.util import Pt

    fmt = spec.get("number_format", "0.0")
    data = CategoryChartData(number_format=fmt)
    data.categories = [pptx_text(c) if isinstance(c, str) else c for c in spec["categories"]]
    for name, values in spec["series"].items():
        data.add_series(pptx_text(name), [None if v is None or v != v else float(v) for v in values])
    kind = XL_CHART_TYPE.BAR_STACKED if spec["kind"] == "bar" else XL_CHART_TYPE.LINE_MARKERS
    chart = slide_obj.shapes.add_chart(kind, left, top, width, height, data).chart
    chart.font.size = Pt(14)
    _typeface(chart._chartSpace)
    chart.has_legend = True                                       # grades (bar) or townships (line)
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM if spec["kind"] == "bar" else XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    if spec.get("axis_title"):
        axis = chart.value_axis
        axis.has_title = True
        axis.axis_title.text_frame.text = pptx_text(spec["axis_title"])
    if spec["kind"] == "bar":
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = fmt
        plot.data_labels.number_format_is_linked = False
        plot.gap_width = 50
        plot.overlap = 100
        chart.category_axis.reverse_order = True                   # first place on top, …
        ns = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
        for crosses in chart._chartSpace.iter(f"{ns}valAx"):         # … the value axis still at the bottom:
            crosses.find(f"{ns}crosses").set("val", "max")           # it crosses at the last category
        for series, color in zip(plot.series, spec.get("colors", [])):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))
            red, green, blue = (int(color.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4))
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 140     # white labels on dark bars
            labels = series.data_labels
            labels.show_value, labels.number_format, labels.number_format_is_linked = True, fmt, False
            labels.font.color.rgb = RGBColor(255, 255, 255) if dark else RGBColor(0, 0, 0)
    for series in chart.plots[0].series if spec.get("styles") else ():
        style = spec["styles"].get(series.name, {})
        line = series.format.line
        if "color" in style:
            line.color.rgb = RGBColor.from_string(style["color"].lstrip("#"))
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = line.color.rgb
        if "width" in style:
            line.width = Pt(style["width"])
        if style.get("dash"):
            line.dash_style = MSO_LINE.DASH
            series.marker.style = XL_MARKER_STYLE.NONE
    return chart


def _typeface(element) -> None:
    """The East Asian and Latin typeface on every run property under ``element``."""
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for rpr in [*element.iter(f"{ns}rPr"), *element.iter(f"{ns}defRPr")]:
        for tag in ("latin", "ea"):
            el = rpr.find(f"{ns}{tag}")
            if el is None:
                el = rpr.makeelement(f"{ns}{tag}", {})
                rpr.append(el)
            el.set("typeface", _EA_FONT)


def _cells(frame) -> list[list[str]]:
    """The table's texts, column by column, the header first (``（无）`` for an empty table)."""
    from ._text import cell_text

    return [[str(c), *([cell_text(v, str(c)) for v in frame[c]] or ["（无）" if k == 0 else ""])]
            for k, c in enumerate(frame.columns)]


def table_geometry(frame, width: float = TABLE_WIDTH, size: int = 12) -> tuple[list[float], list[float]]:
    """Column widths and row heights (inches; the header row first) of ``frame`` as a slide table
    ``width`` inches wide in ``size`` pt.

    A column's natural width is its longest text (:func:`~dangjian_analysis.charts._text.em_width`
    ems at ``size``) plus the cell margins; the columns share ``width`` max–min fairly (the
    narrow ones keep their natural width, the widest share what is left, so that a long 列入原因
    wraps instead of squeezing 序号 into one character a line), and any width left over goes to
    the columns in proportion to their natural width. A row is as high as its most wrapped cell:
    lines = ⌈text width × 1.25 / (column width − margins)⌉ per paragraph, × ``size`` × 1.45 pt,
    plus the margins — never lower than what PowerPoint or LibreOffice draws (text widths ×
    1.25: LibreOffice's substitute font is wider than the em count, and spaces digits apart).
    """
    import math

    from ..charts._text import em_width

    cells = _cells(frame)
    ems = [[max((em_width(p) for p in t.split("\n")), default=0) for t in col] for col in cells]
    natural = [max(col) * _SPREAD * size / 72 + 2 * _MARGIN_X for col in ems]
    widths, left = [0.0] * len(cells), width
    for j, k in enumerate(sorted(range(len(cells)), key=lambda i: natural[i])):
        widths[k] = min(natural[k], left / (len(cells) - j))
        left -= widths[k]
    if left > 1e-9:
        widths = [w + left * n / sum(natural) for w, n in zip(widths, natural)]
    heights = []
    for r in range(len(cells[0]) if cells else 0):
        lines = max(sum(max(1, math.ceil(em_width(p) * _SPREAD * size / 72 / max(w - 2 * _MARGIN_X, 0.1) - 1e-9))
                        for p in col[r].split("\n")) for col, w in zip(cells, widths))
        heights.append(lines * size * _LINE / 72 + 2 * _MARGIN_Y)
    return widths, heights


def table_font(frame, width: float = TABLE_WIDTH, height: float = TABLE_HEIGHT) -> int | None:
    """The largest table font size (14, else 12 pt) at which ``frame`` fits ``height`` inches
    (:func:`table_geometry`); None when it does not fit even at 12 pt."""
    for size in _TABLE_SIZES:
        if sum(table_geometry(frame, width, size)[1]) <= height:
            return size
    return None


def _table(slide_obj, frame, left, top, width) -> None:
    """``frame`` as a native table: header row in bold, numbers right-aligned to one decimal,
    columns and rows sized from the texts (:func:`table_geometry`) in the largest font that fits
    the content area (:func:`table_font`, 12 pt when nothing fits: split the table before)."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches

    from ._text import is_number

    size = table_font(frame, width / Inches(1)) or _TABLE_SIZES[-1]
    widths, heights = table_geometry(frame, width / Inches(1), size)
    cells = _cells(frame)
    shape = slide_obj.shapes.add_table(len(heights), len(frame.columns), left, top, width, Inches(sum(heights)))
    table = shape.table
    for k, column in enumerate(frame.columns):
        numeric = is_number(frame[column])
        for r, text in enumerate(cells[k]):
            cell = table.cell(r, k)
            _text(cell.text_frame, text, size, bold=r == 0)
            cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT if numeric and r else PP_ALIGN.LEFT
            cell.margin_left = cell.margin_right = Inches(_MARGIN_X)
            cell.margin_top = cell.margin_bottom = Inches(_MARGIN_Y)
    for k, w in enumerate(widths):
        table.columns[k].width = Emu(int(Inches(w)))
    for r, h in enumerate(heights):
        table.rows[r].height = Emu(int(Inches(h)))


def _fit_picture(picture, left, top, width, height, slide_width) -> None:
    """Scale ``picture`` to fill the content area (its aspect kept) and centre it."""
    scale = min(width / picture.width, height / picture.height)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    picture.left = int((slide_width - picture.width) / 2)
    picture.top = int(top + (height - picture.height) / 2)


def build_deck(items, path: str | Path, *, title: str = "基层党建考核年度报告", subtitle: str = "",
               notes: str = "") -> Path:
    """Write a 16:9 PPTX: a title slide, then one slide per item (:class:`DeckSlide` or a dict
    with the same keys) with its title, takeaway, and either its native chart (when the item
    has ``native`` data), its picture scaled to the content area, or its table; the item's
    notes (and, for a native chart, how to edit it) go to the speaker notes, never onto the
    slide. ``notes`` go to the title slide's speaker notes (the analyst's 主要成效, 存在问题 and
    下一步工作: what the speaker says before the first chart).

    Returns
    -------
    Path
        The file written; the same items give the same bytes.
    """
    with writing(Path(path).name):
        return _build(items, path, title, subtitle, notes)


def _build(items, path, title: str, subtitle: str, cover_notes: str = "") -> Path:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

    from ._notes import EDIT_HINT
    from ._xlsx import FIXED_TIME, save_deterministic

    items = [i if isinstance(i, DeckSlide) else DeckSlide(**i) for i in items]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    props = prs.core_properties
    props.author = props.last_modified_by = "dangjian-analysis"
    props.title, props.subject = title, subtitle
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    red = RGBColor(0xB2, 0x22, 0x22)

    cover = prs.slides.add_slide(prs.slide_layouts[0])
    heading, sub = cover.shapes.title, cover.placeholders[1]
    heading.left, heading.top, heading.width, heading.height = Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.6)
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(4.1), Inches(11.7), Inches(1.0)
    _text(heading.text_frame, cover_title(title), 40, bold=True, color=red)
    _text(sub.text_frame, subtitle, 24)
    if cover_notes:
        cover.notes_slide.notes_text_frame.text = pptx_text(cover_notes, notes=True)

    left, top, width, height = Inches(_LEFT), Inches(_TOP), Inches(_WIDTH), Inches(_HEIGHT)
    for item in items:
        slide = prs.slides.add_slide(prs.slide_layouts[5])          # title only
        head = slide.shapes.title
        head.left, head.top, head.width, head.height = Inches(0.5), Inches(0.2), Inches(12.3), Inches(0.8)
        _text(head.text_frame, item.title, 30 if len(item.title) <= 26 else 26, bold=True, color=red)
        if item.takeaway:                                           # up to two lines above the chart
            box = slide.shapes.add_textbox(Inches(0.6), Inches(0.95), Inches(12.1), Inches(0.75))
            box.text_frame.word_wrap = True
            _text(box.text_frame, item.takeaway, 18 if len(item.takeaway) > 52 else 20)
        png = None if item.native else _png_bytes(item)
        if item.native:                                             # the same chart, editable in PowerPoint
            _native_chart(slide, item.native, left, top, width, height)
        elif png is not None:
            picture = slide.shapes.add_picture(io.BytesIO(png), left, top)
            _fit_picture(picture, left, top, width, height, prs.slide_width)
        elif item.table is not None:
            _table(slide, item.table, left + Inches(0.2), top, width - Inches(0.4))
        notes = "\n".join(t for t in (item.notes, EDIT_HINT if item.native else "") if t)
        if notes:
            slide.notes_slide.notes_text_frame.text = pptx_text(notes, notes=True)
    return save_deterministic(prs, path)
