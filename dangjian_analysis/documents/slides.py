"""The chart set of one year, ready for the deck: every chart with its title, takeaway and notes.

:func:`chart_slides` draws the eleven charts from a Dataset, each with a takeaway naming the
units concerned and speaker notes with the numbers behind it; :func:`write_charts` renders
them (PNG, SVG on request) on every core and builds the PPTX deck, where each chart appears
once: the ranking and the funding trend as native charts the analyst can edit, the others as
pictures without their own title (the slide's title names the chart), then the 倒排 list.

Every takeaway and note follows the conventions of :mod:`~dangjian_analysis.charts._reported`:
a county figure of a partial year is over the townships that reported and says “已报送的 N 个
乡镇”; ranks are compared only across years that rank the same townships (the 名次变化 chart
leaves a partial year out and its title says so); a county figure that includes a value held for
a check (数值存疑待确认, a missing value) says “（含待核实数值）” — on the slide, in the notes and in
the name of the native chart's county line.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..charts import takeaways as tk
from ..charts._reported import HELD_NUMBER, comparable_years, county_word, value_holds
from ..metrics._frames import catalog_of
from . import _notes as nt
from .conclusions import bottom_sentence
from .deck import DeckSlide, build_deck

__all__ = ["chart_slides", "chart_specs", "write_charts", "write_deck", "bottom_slides", "table_parts", "TREND_INDICATOR",
           "TABLE_ROWS", "move_marks"]

#: The indicator whose trend the deck shows (the speech's 5万元 office funds).
TREND_INDICATOR = "office_funds"


def _titled(slide: DeckSlide) -> DeckSlide:
    """The slide's title is the chart's own title (its ``suptitle``) when it has one."""
    from ..charts.save import chart_title

    slide.title = chart_title(slide.figure) or slide.title
    return slide


def chart_slides(ds, year: int | None = None, *, catalog=None, scores=None, uncertainty=None, draws: int = 1000):
    """``[(file stem, DeckSlide), ...]`` for the eleven charts of ``year`` (default: latest),
    each slide with its drawn figure and the chart's own title.

    ``scores`` and ``uncertainty`` may be precomputed :func:`~dangjian_analysis.score_composite`
    and :func:`~dangjian_analysis.rank_uncertainty` results (they are computed otherwise).
    """
    slides = chart_specs(ds, year, catalog=catalog, scores=scores, uncertainty=uncertainty, draws=draws)
    for _, _, slide in slides:
        slide.figure = slide.figure()
        _titled(slide)
    return [(stem, slide) for _, stem, slide in slides]


def chart_specs(ds, year: int | None = None, *, catalog=None, scores=None, uncertainty=None, draws: int = 1000,
                reviewed=None, attainment=None):
    """``[(chart id, file stem, DeckSlide), ...]`` for the charts of ``year`` (ids ``ranking``,
    ``groups``, ``radar``, ``robustness``, ``attainment``, ``funding_trend``, ``bump``, ``slope``,
    ``transitions``, ``review``, ``feature_growth``): each chart whose data exist (no 述职评议 chart
    before the year's ballots are in, no comparison of years with one year of data), each slide's
    ``figure`` a function that draws it (so that the drawing can happen in the worker that renders it). ``reviewed`` and ``attainment`` may be precomputed
    ``review`` and ``target_attainment(by="township")`` results."""
    from ..charts.compare import plot_attainment, plot_heatmap, plot_radar, plot_ranking, plot_uncertainty
    from ..charts.review import plot_review
    from ..charts._base import grade_colors
    from ..charts._series import year_marks
    from ..charts.trends import plot_bump, plot_feature_growth, plot_slope, plot_transitions, plot_trends, \
        trend_values
    from ..metrics.review import review
    from ..metrics.scoring import score_composite
    from ..metrics.targets import target_attainment
    from ..metrics.trends import grade_transitions, growth
    from ..metrics.uncertainty import rank_uncertainty

    cat = catalog_of(ds, catalog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = score_composite(ds, cat) if scores is None else scores
        year = int(scores["year"].max()) if year is None else year
        unc = uncertainty if uncertainty is not None else rank_uncertainty(ds, cat, draws=draws, scores=scores)
    years = sorted(scores["year"].unique())
    first = years[0]
    previous = max([y for y in years if y < year], default=year)
    names = dict(zip(cat.groups["group"], cat.groups["name"]))
    attainment = target_attainment(ds, cat, by="township") if attainment is None else attainment
    attainment = _with_marks(attainment, scores)
    reviewed = review(ds, catalog=cat) if reviewed is None else reviewed
    overall = scores[(scores["year"] == year) & (scores["group"] == "overall")].sort_values("rank")
    weakest = overall["unit_name"].iloc[-1]
    transitions = grade_transitions(scores, previous, year, grades=list(cat.grade_bands["grade"]))
    trend = trend_values(ds, TREND_INDICATOR, cat)
    marks = value_holds(year_marks(ds, cat, scores))
    ranked = scores[scores["group"] == "overall"].dropna(subset=["rank"])
    ind = cat.indicator(TREND_INDICATOR)
    feature = trend_values(ds, "feature_output", cat)
    rates = growth(feature.assign(unit_id=feature["unit_name"]), value="value", by=[])
    towns = list(cat.townships["unit_name"])
    wide = trend.pivot(index="year", columns="unit_name", values="value").reindex(columns=towns)
    grades = list(cat.grade_bands["grade"])
    colours = grade_colors(grades)                # by the band's place in the ladder, whatever its name
    has_review = bool((reviewed["year"] == year).any()) if len(reviewed) else False
    has_attainment = bool((attainment["year"] == year).any())
    candidates = [
        ("ranking", "01_综合指数排名", True, lambda: DeckSlide(
            f"{year}年度乡镇综合指数排名", tk.takeaway_ranking(scores, year, cat), lambda: plot_ranking(scores, year, catalog=cat),
            native={"kind": "bar", "categories": list(overall["unit_name"]),
                    "series": {g: [s if r == g else None for s, r in zip(overall["score"].round(1), overall["grade"])]
                               for g in grades if (overall["grade"] == g).any()},
                    "colors": [colours[g] for g in grades if (overall["grade"] == g).any()]},
            notes=nt.notes_ranking(scores, year, cat))),
        ("groups", "02_分项指数热力图", True, lambda: DeckSlide(
            f"{year}年度各乡镇分项指数", tk.takeaway_groups(scores, year, cat),
            lambda: plot_heatmap(scores, year, catalog=cat), notes=nt.notes_groups(scores, year, names, cat))),
        ("radar", "03_雷达图", True, lambda: DeckSlide(
            f"{weakest}分项指数与全县平均", tk.takeaway_radar(scores, weakest, year, cat),
            lambda: plot_radar(scores, weakest, year, catalog=cat), notes=nt.notes_radar(scores, weakest, year, names, cat))),
        ("robustness", "04_排名稳健性", True, lambda: DeckSlide(
            "排名稳健性（权重随机变动）", tk.takeaway_uncertainty(unc, year),
            lambda: plot_uncertainty(unc, year), notes=nt.notes_uncertainty(unc, year))),
        ("attainment", "05_目标达成", has_attainment, lambda: DeckSlide(
            f"{year}年度目标达成情况", tk.takeaway_attainment(attainment, year, TREND_INDICATOR, cat),
            lambda: plot_attainment(attainment, year, catalog=cat),
            notes=nt.notes_attainment(attainment, year, TREND_INDICATOR, ind))),
        ("funding_trend", "06_办公经费趋势", len(trend) > 0, lambda: DeckSlide(
            f"{ind['name']}逐年变化",
            tk.takeaway_trend(trend, ind["name"], ind["unit"], ind["target"], marks=marks, catalog=cat),
            lambda: plot_trends(ds, TREND_INDICATOR, catalog=cat, marks=scores),
            native=_trend_native(wide, ind, marks, cat),
            notes=nt.notes_trend(trend, ind["name"], ind["unit"], marks=marks, catalog=cat))),
        ("bump", "07_名次变化", len(comparable_years(ranked)) > 1, lambda: DeckSlide(
            f"{_span(comparable_years(ranked))}年名次变化", tk.takeaway_bump(scores), lambda: plot_bump(scores, catalog=cat),
            notes=nt.notes_bump(scores))),
        ("slope", "08_两年对比", first != year, lambda: DeckSlide(
            f"综合指数：{first}年与{year}年对比", tk.takeaway_slope(scores, first, year, cat),
            lambda: plot_slope(scores, first, year, catalog=cat), notes=nt.notes_slope(scores, first, year))),
        ("transitions", "09_晋位升级", previous != year, lambda: DeckSlide(
            f"晋位升级：{previous}→{year}年",
            _among(transitions, cat) + tk.takeaway_transitions(transitions, move_marks(scores, previous, year)),
            lambda: plot_transitions(transitions),
            notes=nt.notes_transitions(transitions, move_marks(scores, previous, year)))),
        ("review", "10_述职评议", has_review, lambda: DeckSlide(
            f"{year}年度述职评议", tk.takeaway_review(reviewed, year),
            lambda: plot_review(reviewed, year, catalog=cat), notes=nt.notes_review(reviewed, year))),
        ("feature_growth", "11_一乡一品增长", len(rates) > 0, lambda: DeckSlide(
            "一乡一品主导产业增长", tk.takeaway_growth(rates),
            lambda: plot_feature_growth(ds, catalog=cat, marks=scores), notes=nt.notes_growth(rates, "万元"))),
    ]
    out = [(chart_id, stem, make()) for chart_id, stem, present, make in candidates if present]
    return out


def _span(years: list) -> str:
    return f"{years[0]}–{years[-1]}" if years else ""


def move_marks(scores, previous: int, year: int) -> dict:
    """Unit name → why its move from ``previous`` to ``year`` waits for a check (``2016年：…``, the
    晋位升级 table's words), for the takeaway and notes of the 晋位升级 slide: the 待核实 reasons of
    its overall result in either year, without the holds that are only the roll's
    (:func:`~dangjian_analysis.charts._reported.value_holds`: “已报送的 N 个乡镇” says those)."""
    from ..charts._base import provisional_notes

    overall = scores[scores["group"] == "overall"]
    out: dict = {}
    for y in (previous, year) if previous != year else (year,):
        for unit, reason in value_holds(provisional_notes(overall[overall["year"] == y])).items():
            out[unit] = "；".join([*([out[unit]] if unit in out else []), f"{y}年：{reason or '待核实'}"])
    return out


def _among(transitions, cat) -> str:
    """``已报送的 3 个乡镇中，`` before the 晋位升级 takeaway of a partial year, else nothing."""
    who = county_word(transitions.units["unit_name"], cat)
    return "" if who == "全县" else f"{who}中，"


def _trend_native(wide, ind, marks: dict | None = None, catalog=None) -> dict:
    """The funding trend as native line data: a line per township in the chart colours, the
    county mean in thick grey and the target dashed red (named with its unit), as in the picture.

    The county line's name says which of its points are not over every township or include a
    held value (``marks``: ``(township, year) → reason``), e.g. “全县平均（2015年含待核实数值）”,
    “全县平均（2016年为已报送的 3 个乡镇）”; a held township's name carries （待核实）."""
    from ..charts.theme import ACCENT, NEUTRAL, PALETTE

    marks = value_holds(marks or {})
    towns = list(wide.columns)
    held = {t for t, _ in marks}
    label = {t: f"{t}（待核实）" if t in held else t for t in towns}
    series = {label[t]: list(wide[t].round(2)) for t in towns}
    styles = {label[t]: {"color": PALETTE[k % len(PALETTE)], "width": 1.5} for k, t in enumerate(towns)}
    said: dict[str, list] = {}                   # what is said → the years it is said of
    for y, row in wide.iterrows():
        present = list(row.dropna().index)
        who = county_word(present, catalog) if catalog is not None and present else "全县"
        if who != "全县":
            said.setdefault(f"为{who}", []).append(str(y))
        if any((t, int(y)) in marks for t in present):
            said.setdefault(HELD_NUMBER.strip("（）"), []).append(str(y))
    said = [f"{'、'.join(years)}年{what}" for what, years in said.items()]
    county = f"全县平均（{'；'.join(said)}）" if said else "全县平均"
    series[county] = list(wide.mean(axis=1).round(2))
    styles[county] = {"color": NEUTRAL, "width": 4.5}
    if ind["target"] == ind["target"]:
        name = f"目标 {ind['target']:g} {ind['unit']}"
        series[name] = [float(ind["target"])] * len(wide)
        styles[name] = {"color": ACCENT, "width": 2.5, "dash": True}
    return {"kind": "line", "categories": [str(y) for y in wide.index], "series": series, "styles": styles,
            "number_format": "0.00", "axis_title": f"{ind['name']}（{ind['unit']}，村均值）"}


#: Most rows of a table slide: a longer list goes on as many slides as it needs, each titled
#: “（续）”; fewer when the rows (wrapped 列入原因) would not fit the slide's height.
TABLE_ROWS = 14


def table_parts(shown) -> list:
    """``shown`` cut into slide tables, in order: each as many rows as fit the content area at
    12 pt (:func:`~.deck.table_geometry`: the header and every wrapped row, summed, at most
    :data:`~.deck.TABLE_HEIGHT`) and at most :data:`TABLE_ROWS`; at least one row each."""
    from .deck import table_font

    parts, start = [], 0
    while start < max(len(shown), 1):
        end = start + 1
        while end < len(shown) and end - start < TABLE_ROWS and table_font(shown.iloc[start:end + 1]) is not None:
            end += 1
        parts.append(shown.iloc[start:end])
        start = end
    return parts


def bottom_slides(bottom, labelled, year: int) -> list[DeckSlide]:
    """The 倒排 villages as table slides (a list, not a chart), as many rows a slide as fit
    (:func:`table_parts`): ``bottom`` is the report's ``bottom`` table (English ids), ``labelled``
    the same table with Chinese headers (its rank 全县名次, or 名次（已报送） in a partial year)."""
    from .report_labels import PARTIAL_RANK

    names = [f"{t}{v}" for t, v in zip(bottom["township"], bottom["village"])]
    takeaway = bottom_sentence(bottom, most=10)
    columns = ("倒排序号", "乡镇", "村（社区）", "综合指数", "全县名次", PARTIAL_RANK, "列入原因")
    shown = labelled[[c for c in columns if c in labelled]]
    parts = table_parts(shown)
    title = f"{year}年度倒排整顿的村"
    return [DeckSlide(title if k == 0 else f"{title}（续）", takeaway if k == 0 else f"（共 {len(names)} 个，接上页）",
                      table=part, notes=nt.notes_bottom(bottom) if k == 0 else "见第一页备注。")
            for k, part in enumerate(parts)]


def write_deck(specs, rendered: list[dict], closing: list[DeckSlide], path: str | Path, *, title: str,
               notes: str = "") -> Path:
    """The deck: each chart of ``specs`` (:func:`chart_specs`) once, as its rendering without the
    title band (``rendered``, from :func:`~dangjian_analysis.charts.save.render_charts`) under the
    chart's own title, or as a native chart; then the ``closing`` slides (the 倒排 list); ``notes``
    on the title slide (:func:`~.narrative.narrative_notes`: the analyst's county parts)."""
    items = []
    for (_, _, slide), files in zip(specs, rendered):
        items.append(DeckSlide(files["title"] or slide.title, slide.takeaway, image=files["bare"],
                               native=slide.native, notes=slide.notes))
    return build_deck([*items, *closing], path, title=title, subtitle="县委组织部", notes=notes)


def write_charts(ds, out_dir: str | Path, year: int | None = None, *, catalog=None, scores=None, uncertainty=None,
                 deck: str | Path | None = "slides.pptx", svg: bool = False) -> list[dict]:
    """Render every chart as PNG (and SVG when ``svg``) under ``out_dir/charts`` and write the
    deck as ``out_dir/<deck>`` — the steps of the yearly report's charts
    (:mod:`~dangjian_analysis.documents.pipeline`), without its documents.

    Returns
    -------
    list of dict
        One per chart: ``id, name, title, takeaway, notes, png, svg`` (None without ``svg``) and
        ``bare`` (PNG bytes of the chart without its title, for slides and documents); the
        deck, if written, is the last entry (``name`` "slides", ``pptx``).
    """
    from .model import build_model
    from .pipeline import deck_path, draw_charts, score_data

    cat = catalog_of(ds, catalog)
    if scores is None or uncertainty is None:
        scored = score_data(ds, cat)
        scores = scored.scores if scores is None else scores
        uncertainty = scored.uncertainty if uncertainty is None else uncertainty
    model = build_model(ds, year, catalog=cat, scores=scores, uncertainty=uncertainty)
    written = draw_charts(model, Path(out_dir), svg=svg).result()
    if deck:
        written.append({"name": "slides", "pptx": deck_path(model, written, Path(out_dir) / deck)})
    return written


def _with_marks(attainment, scores):
    """The township rows of ``attainment`` with the 待核实 marks of the same township-years in
    ``scores`` (a share of villages from a township with villages missing is provisional too)."""
    if "provisional" not in scores:
        return attainment
    overall = scores[scores["group"] == "overall"][["unit_name", "year", "provisional", "provisional_reason"]]
    marks = overall.rename(columns={"unit_name": "township"})
    own = attainment.drop(columns=["provisional", "provisional_reason"], errors="ignore")   # the scores' reasons
    return own.merge(marks, on=["township", "year"], how="left")                            # include the blanks
