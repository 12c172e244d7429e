"""The 16:9 PowerPoint deck: a slide per chart with its takeaway, and native editable charts.

The deck is byte-identical across runs (and machines with the same versions): fixed
document properties and fixed zip entry times (also inside the Excel workbooks that hold
native chart data). Chart pictures come from :mod:`dangjian_analysis.charts.save`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["build_deck", "DeckSlide"]

_EA_FONT = "Microsoft YaHei"      # the East Asian font PowerPoint on Chinese Windows has


@dataclass
class DeckSlide:
    """One slide: a Chinese title, a one-line takeaway, a chart (Figure or PNG path) and,
    optionally, native chart data that the analyst can edit in PowerPoint.

    ``native`` is ``{"kind": "bar" | "line", "categories": [...], "series": {name: values},
    "colors": [...] (bar only, one per category), "number_format": "0.0"}``.
    """

    title: str
    takeaway: str = ""
    figure: object = None
    image: str | Path | None = None
    native: dict | None = field(default=None)


def _png_bytes(slide: DeckSlide) -> bytes | None:
    if slide.figure is not None:
        from ..charts.save import png_bytes

        return png_bytes(slide.figure)
    if slide.image is not None:
        return Path(slide.image).read_bytes()
    return None


def _text(frame, text: str, size: int, *, bold: bool = False, color=None) -> None:
    from pptx.util import Pt

    frame.text = text
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
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Pt

    data = CategoryChartData(number_format=spec.get("number_format", "0.0"))
    data.categories = list(spec["categories"])
    for name, values in spec["series"].items():
        data.add_series(name, [None if v != v else float(v) for v in values])
    kind = XL_CHART_TYPE.BAR_CLUSTERED if spec["kind"] == "bar" else XL_CHART_TYPE.LINE_MARKERS
    chart = slide_obj.shapes.add_chart(kind, left, top, width, height, data).chart
    chart.font.size = Pt(14)
    chart.has_legend = spec["kind"] != "bar"
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
    if spec["kind"] == "bar":
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = spec.get("number_format", "0.0")
        plot.data_labels.number_format_is_linked = False
        plot.gap_width = 50
        chart.category_axis.reverse_order = True
        for point, color in zip(plot.series[0].points, spec.get("colors", [])):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))
    return chart


def build_deck(items, path: str | Path, *, title: str = "基层党建考核年度报告", subtitle: str = "") -> Path:
    """Write a 16:9 PPTX: a title slide, then one slide per item (:class:`DeckSlide` or a dict
    with the same keys) with its title, takeaway and chart as a 200-dpi picture; an item
    with ``native`` data is followed by a slide with the same data as a native PowerPoint
    chart that the analyst can edit.

    Returns
    -------
    Path
        The file written; the same items give the same bytes.
    """
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

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
    _text(heading.text_frame, title, 40, bold=True, color=red)
    _text(sub.text_frame, subtitle, 24)

    def page(title_text: str, takeaway: str):
        slide = prs.slides.add_slide(prs.slide_layouts[5])          # title only
        head = slide.shapes.title
        head.left, head.top, head.width, head.height = Inches(0.5), Inches(0.2), Inches(12.3), Inches(0.8)
        _text(head.text_frame, title_text, 30, bold=True, color=red)
        if takeaway:                                                # up to two lines above the chart
            box = slide.shapes.add_textbox(Inches(0.6), Inches(0.9), Inches(12.1), Inches(0.75))
            box.text_frame.word_wrap = True
            _text(box.text_frame, takeaway, 18 if len(takeaway) > 52 else 20)
        return slide

    left, top, width, height = Inches(0.4), Inches(1.7), Inches(12.5), Inches(5.7)
    for item in items:
        slide = page(item.title, item.takeaway)
        png = _png_bytes(item)
        if png is not None:
            picture = slide.shapes.add_picture(io.BytesIO(png), left, top, height=height)
            if picture.width > width:                               # keep 16:9 pictures inside the slide
                picture.width, picture.height = width, int(height * width / picture.width)
            picture.left = int((prs.slide_width - picture.width) / 2)
        if item.native:                                             # the same data, editable in PowerPoint
            _native_chart(page(f"{item.title}（可编辑数据）", "右键图表 →“编辑数据”可修改或复制数据。"),
                          item.native, left, top, width, height)
    return save_deterministic(prs, path)
