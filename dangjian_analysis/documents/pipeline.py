"""The yearly report as plain library code: one process, one step after another.

:func:`build_report` reads top to bottom as the pipeline::

    catalog, ds = load_data(data, catalog)           # 1 读取数据
    year = report_year(ds, year)                     # 2 校验（the Dataset has checked every cell）
    scored = score_data(ds, catalog)                 # 3 计算指标
    model = build_model(ds, year, ...)               #   the report model: tables, 主要结论, charts
    pending = draw_charts(model, folder)             # 4 绘制图表（in worker processes）
    write_tables(model, folder)                      #   summary.xlsx and data/, while they draw
    write_documents(model, pending.result(), folder) # 5 写出文件：deck, report.docx, report.html
    write_manifest(...)                              #   manifest.json

``dangjian rank`` and ``dangjian charts`` call the same steps. The files are written into a
temporary folder beside ``out`` that replaces it at the end: a failed or interrupted run
(Ctrl+C stops the chart workers before the temporary folder is removed) leaves the previous
report exactly as it was; ``out`` is replaced only when it holds nothing but the files its
manifest lists, unedited, and never when it contains an input (:mod:`._folders`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["build_report", "load_data", "score_data", "Scored", "draw_charts", "write_tables", "write_documents",
           "deck_path", "STEPS", "CHART_FILES"]

#: The steps announced on stderr, in order.
STEPS = {"load": "读取数据", "validate": "校验", "score": "计算指标", "charts": "绘制图表", "files": "写出文件"}


#: What ``dangjian charts --out`` writes (:func:`~._folders.replacing` replaces a folder holding only these).
CHART_FILES = ("slides.pptx", "charts/[0-9][0-9]_*.png", "charts/[0-9][0-9]_*.svg")


class _Progress:
    """``[k/5] 步骤…`` on stderr, one line per step."""

    def __init__(self, on: bool):
        self.on = on

    def __call__(self, step: str) -> None:
        if self.on:
            print(f"[{list(STEPS).index(step) + 1}/{len(STEPS)}] {STEPS[step]}…", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Scored:
    """The scores every output uses: townships, villages and rank robustness."""

    scores: pd.DataFrame
    villages: pd.DataFrame
    uncertainty: pd.DataFrame


def load_data(data, catalog=None, *, progress: bool = False):
    """``(catalog, dataset)``: the catalogue (a path, a Catalog or None for the default) and the
    data read from ``data`` (a path or a list of paths; None for the bundled sample county)."""
    from ..catalog import Catalog, load_catalog
    from ..intake import load
    from ..resources import sample_path

    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    paths = [sample_path()] if data is None else ([data] if isinstance(data, (str, Path)) else list(data))
    return cat, load(*paths, catalog=cat, progress=progress)


def score_data(ds, catalog=None, *, draws: int = 1000) -> Scored:
    """Township and village composite scores and the rank robustness over ``draws`` weight
    draws (:func:`~dangjian_analysis.rank_uncertainty`)."""
    import warnings

    from ..metrics._frames import catalog_of
    from ..metrics.scoring import score_composite
    from ..metrics.uncertainty import rank_uncertainty

    cat = catalog_of(ds, catalog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)    # the Dataset's issues say it, once, by cell
        scores = score_composite(ds, cat)
        villages = score_composite(ds, cat, level="village")
        uncertainty = rank_uncertainty(ds, cat, draws=draws, scores=scores)
    return Scored(scores, villages, uncertainty)


class _Drawn:
    """Charts being drawn; :meth:`result` gives them with their ids, titles, takeaways, notes."""

    def __init__(self, model, pending):
        self.model, self.pending = model, pending

    def result(self) -> list[dict]:
        written = []
        for spec, files in zip(self.model.charts, self.pending.result()):
            title = files.pop("title") or spec.slide.title
            written.append({"id": spec.id, "name": spec.stem, "title": title, "takeaway": spec.slide.takeaway,
                            "notes": spec.slide.notes, **files})
        return written

    def close(self) -> None:
        """Stop the workers still drawing and wait for them (a failure, Ctrl+C): call it before
        the folder they write into is removed; nothing once :meth:`result` has returned."""
        self.pending.close()


def draw_charts(model, folder: Path, *, svg: bool = False) -> _Drawn:
    """Start drawing the model's charts into ``folder/charts`` (PNG, SVG when ``svg``) in worker
    processes; ``.result()`` waits and returns one dict per chart (``id, name, title, takeaway,
    notes, png, svg, bare``); ``.close()`` stops the workers (a failure or Ctrl+C on the way)."""
    from ..charts.save import start_charts

    return _Drawn(model, start_charts([(s.slide.figure, folder / "charts" / s.stem) for s in model.charts], svg=svg))


def write_tables(model, folder: Path) -> None:
    """summary.xlsx (every table, labelled) and the tidy CSVs under ``folder/data``."""
    from .summary import write_summary, write_tidy_csvs

    write_summary(model.sheets(), folder / "summary.xlsx", catalog=model.catalog,
                  title=f"{model.catalog.county_name}{model.year}年度基层党建考核汇总{_mark(model)}")
    write_tidy_csvs(model.dataset, folder / "data", catalog=model.catalog, scores=model.scores,
                    indicators=model.indicators, reviewed=model.reviewed)


def deck_path(model, charts: list[dict], path: Path) -> Path:
    """The deck (slides.pptx): every chart once, then the 倒排 list."""
    from .slides import bottom_slides, write_deck

    from .narrative import narrative_notes

    closing = bottom_slides(model.table("bottom"), model.labelled("bottom"), model.year)
    notes = narrative_notes(model.narrative)
    if model.draft:                         # a draft's cover notes say first what is still missing
        from .report_content import roll_text

        notes = "\n\n".join(part for part in (f"报送情况：{roll_text(model)}", notes) if part)
    return write_deck([(s.id, s.stem, s.slide) for s in model.charts], charts, closing, path,
                      title=f"{model.catalog.county_name}{model.year}年度基层党建考核{_mark(model)}", notes=notes)


def write_documents(model, charts: list[dict], folder: Path, *, outputs=None) -> None:
    """slides.pptx, report.docx, report.html, the 通报 and 整改清单 (with a 考核细则) and each township's
    反馈单 from the model and its drawn charts."""
    from .docx_report import write_report_docx
    from .feedback import write_feedback
    from .html_report import write_report_html

    outputs = _outputs(False, model) if outputs is None else outputs
    deck_path(model, charts, folder / "slides.pptx")
    write_report_docx(model, folder / "report.docx", charts=charts, outputs=outputs)
    write_report_html(model, folder / "report.html", charts=charts, outputs=outputs)
    write_notice_files(model, folder)
    write_feedback(model, folder)


def write_notice_files(model, folder: Path) -> list[Path]:
    """通报.docx (when the catalogue has a 考核细则 and a ``[notice]``) and 整改清单.xlsx (with a
    考核细则): what goes to the townships and units besides the committee's report."""
    from .notice import NOTICE_FILE, write_notice
    from .rectify_book import RECTIFY_FILE, write_rectification

    rubric, cat = model.rubric, model.catalog
    if rubric is None:
        return []
    rows = rubric.rectification
    written = [write_rectification(rows, cat, model.year, folder / RECTIFY_FILE, names=model.dataset.file_names)]
    if cat.notice is not None:
        mine = rows[rows["year"] == model.year] if "year" in rows else rows
        written.insert(0, write_notice(rubric.results, cat, model.year, folder / NOTICE_FILE, draft=model.draft,
                                       rectification=not mine.empty,
                                       next_steps=model.narrative.paragraphs("下一步工作")))
    return written


def build_report(data=None, year: int | None = None, catalog=None, out="report", *, progress: bool = True,
                 svg: bool = False, notebook: bool = False, previous_report=None, narrative=None) -> Path:
    """Build the yearly report into ``out``; returns the folder.

    Parameters
    ----------
    data : path or list of paths, optional
        The returned workbooks (default: the bundled fictional sample county).
    year : int, optional
        Default: the latest year in the data.
    catalog : path or Catalog, optional
        Default: the built-in catalogue.
    out : path
        The folder to write (replaced whole at the end; see the module docstring).
    progress : bool
        Announce each step on stderr.
    svg : bool
        Also write each chart as SVG.
    notebook : bool
        Also write ``report.ipynb``, notebook 05 executed on the same inputs (needs Jupyter).
    previous_report : path, optional
        Last year's report folder; default: one beside ``out`` whose report is of the year
        before. When its catalogue differs, the report says how re-scoring changed last
        year's figures (:mod:`.rescored`).
    narrative : path, optional
        The analyst's 报告文字.docx (:mod:`.narrative`; it must exist); default the one in the first
        data folder (the sample's own for the sample). Only read, never written.

    Raises
    ------
    ReportError
        With one Chinese line when the report cannot be built (no data, no data for the year).
    FolderError
        With one Chinese line, before anything is read: ``out`` holds files no earlier report
        wrote or that were edited since, or contains an input or lies inside a data folder
        (:mod:`._folders`).
    """
    from ..catalog import Catalog, load_catalog
    from ..intake import LoadError, collect_files
    from ..resources import sample_path
    from ._folders import replacing
    from ._safe import collect_cuts
    from .model import build_model
    from .narrative import narrative_for_report, narrative_path
    from .rescored import rescored_sentences
    from .report import ReportError, report_year, write_manifest

    step = _Progress(progress)
    given = [data] if isinstance(data, (str, Path)) else list(data or ())
    for path in given:                        # messages name the paths as the user gave them
        if not Path(path).exists():
            raise ReportError(f"找不到数据：{path}")
    data = [Path(p).resolve() for p in given] or None
    shown_catalog = catalog if isinstance(catalog, (str, Path)) else None
    shown_narrative, narrative = narrative, Path(narrative).resolve() if narrative is not None else None
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)   # a catalogue's mistake stops us here,
    catalog = Path(catalog).resolve() if isinstance(catalog, (str, Path)) else catalog   # before anything is written
    try:                                      # an empty folder, a folder of PDFs: said before anything starts
        collect_files(data or [sample_path()], strict=True)
    except LoadError as exc:
        raise ReportError(str(exc)) from None
    out = Path(out)
    inputs = [*(("数据", p) for p in given or [sample_path()]), ("指标体系文件", shown_catalog),
              ("报告文字文件", shown_narrative)]
    with replacing(out, inputs=inputs) as folder, collect_cuts() as cuts:
        step("load")
        cat, ds = load_data(data, cat)
        step("validate")
        year_shown = report_year(ds, year)
        step("score")
        scored = score_data(ds, cat)
        previous_report = _previous_report(previous_report, out, scored.scores, year_shown)
        story = narrative_for_report(data, narrative, catalog=cat, year=year_shown)
        for line in story.warnings:
            print(f"[提示] {line}", file=sys.stderr)
        model = build_model(ds, year_shown, catalog=cat, scores=scored.scores, villages=scored.villages,
                            uncertainty=scored.uncertainty, narrative=story,
                            rescored=rescored_sentences(scored.scores, cat, previous_report) if previous_report else ())
        step("charts")
        pending = draw_charts(model, folder, svg=svg)
        try:
            write_tables(model, folder)
            charts = pending.result()
        finally:                              # Ctrl+C: no worker still writes when the folder is removed
            pending.close()
        step("files")
        outputs = _outputs(notebook, model)
        write_documents(model, charts, folder, outputs=outputs)
        if notebook:
            from .notebook import execute_report_notebook

            execute_report_notebook(folder / "report.ipynb", data=data, year=year, catalog=catalog)
        write_manifest(folder, out, data, year, catalog, cat.sha256, svg=svg, notebook=notebook,
                       report_year=model.year, previous_report=previous_report, confirmations=_confirmed(ds),
                       truncated=[c.line() for c in cuts], narrative_given=narrative,
                       narrative=narrative_path(data, narrative) if story.source else None)
    if cuts:
        print(f"[提示] 有 {len(cuts)} 段文字超过输出格式的上限，已截断并标明（见 manifest.json 的 truncated）",
              file=sys.stderr)
    if progress:
        print(f"报告已生成：{out / 'report.docx'}、{out / 'report.html'} 等（见 {out}）", file=sys.stderr)
    return out


def _previous_report(given, out: Path, scores, year: int):
    """Last year's report folder: the one given (must exist), else one found beside ``out``."""
    from .report import ReportError
    from .rescored import find_previous_report

    if given is not None:
        given = Path(given).resolve()
        if not (given / "manifest.json").is_file():
            raise ReportError(f"{given} 不是 dangjian report 生成的报告文件夹（没有 manifest.json）")
        return given
    before = [int(y) for y in scores["year"].unique() if y < year]
    return find_previous_report(out, max(before)) if before else None


def _confirmed(ds) -> list[dict]:
    """The confirmations the Dataset read, as the manifest records them: files by their shown names
    (``2016/西河乡.xlsx``); a township's confirmation (its returned copy's 退回说明 names no value)
    with the value its cell holds."""
    names = ds.file_names or {}
    obs = ds.observations
    held = dict(zip(zip(obs["source_file"], obs["source_sheet"], obs["source_cell"]), obs["value"]))

    def value(c):
        v = c.value if c.value == c.value else held.get((c.file, c.sheet, c.cell), float("nan"))
        return None if v != v else float(v)

    return [{"file": names.get(c.file) or Path(c.file).name if c.file else "", "sheet": c.sheet, "cell": c.cell,
             "value": value(c), "note": c.note, "confirmed_by": c.confirmed_by, "date": c.date,
             "source": names.get(c.source_file) or Path(c.source_file).name, "row": int(c.source_row)}
            for c in ds.confirmations.itertuples()]


def _mark(model) -> str:
    """“（征求意见稿）” (the catalogue's word for a draft) after a draft's titles, nothing for a final report."""
    return f"（{model.catalog.draft_word}）" if model.draft else ""


def _outputs(notebook: bool, model=None) -> list[tuple[str, str]]:
    """The files this run writes, with what each is for (the appendix lists them)."""
    from .notice import NOTICE_FILE
    from .rectify_book import RECTIFY_FILE
    from .report_content import OUTPUT_FILES

    rubric = model is not None and model.rubric is not None
    skip = {"report.ipynb"} if not notebook else set()
    skip |= set() if rubric else {NOTICE_FILE, RECTIFY_FILE}
    skip |= set() if rubric and model.catalog.notice is not None else {NOTICE_FILE}
    return [(f, what) for f, what in OUTPUT_FILES if f not in skip]
