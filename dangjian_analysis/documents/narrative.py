"""The analyst's own words (报告文字): 主要成效, 存在问题, 下一步工作 and, per township, 亮点 / 问题 / 整改要求.

Why a Word file. The county analyst lives in Word or WPS: the report, the 通报 and every draft
they pass round the 部务会 are ``.docx``. A ``报告文字.docx`` with headings is edited the way they
edit everything else — headings in the navigation pane, track changes for the leader's
corrections, paste from last year's 总结 — where a ``.md`` or ``.toml`` file needs a text editor,
escapes quotes and breaks on a stray character. So the narrative is a Word file beside the data
(:data:`NARRATIVE_FILE` in the first data folder given), read by its headings, never written
by a regeneration of the report (only :func:`write_narrative_skeleton` writes it, and never
over an existing file unless told to).

Conventions of the file (:func:`read_narrative`, details in :mod:`._narrative_parse`):

- A heading is a paragraph in a Word heading style (标题 1/2/3…) or with an outline level, or a
  line whose text, numbering and colon set aside (一、 / （一） / 1. / 第一部分 … ：), is a known
  name: the county parts (:data:`COUNTY_PARTS`, with common variants such as 工作成效, 存在的问题,
  下一步工作打算), a township (its catalogue name, an alias, or the name without 镇/乡), then under
  it the township parts (:data:`TOWNSHIP_PARTS`; 主要亮点, 存在问题, 整改意见 …).
- Every other paragraph belongs to the part above it, kept as written (its text passes through
  :mod:`._safe` where a document writes it). Text before the first heading is the file's title
  and notes, not used. Paragraphs starting with 【请改写】 (a prompt of the skeleton left as it
  was) or 【说明】 are not the analyst's words: a part holding only those is missing.
- A file whose title names another year than the report's is not used (a warning says so).
- A heading in a heading style that is not a known name, a township not in the catalogue, text
  under a township but under none of its parts: one Chinese warning line each, naming the file
  and the paragraph (第 N 段, counting non-empty paragraphs), in :attr:`Narrative.warnings`;
  never an exception. A missing file gives an empty Narrative (every part missing); a file that
  is not a Word document gives an empty Narrative and a warning.

A part missing is shown as :data:`PENDING_TEXT` and makes the report a draft (征求意见稿).

>>> narrative = read_narrative("data/sample/报告文字.docx", catalog=cat)   # doctest: +SKIP
>>> narrative.paragraphs("存在问题")                                       # doctest: +SKIP
>>> narrative.missing()                                                    # doctest: +SKIP
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..intake._listing import NARRATIVE_FILE

__all__ = ["Narrative", "PENDING_TEXT", "COUNTY_PARTS", "TOWNSHIP_PARTS", "NARRATIVE_FILE", "PROMPT_MARK",
           "read_narrative", "write_narrative_skeleton", "narrative_path", "find_narrative", "narrative_notes",
           "narrative_for_report", "narrative_skeleton"]

#: What a document shows where a part of the narrative is missing.
PENDING_TEXT = "（待补充）"
#: The county's parts, in the order of the report.
COUNTY_PARTS = ("主要成效", "存在问题", "下一步工作")
#: Each township's parts, in the order of its 反馈单.
TOWNSHIP_PARTS = ("亮点", "问题", "整改要求")
#: The mark that starts a prompt of the skeleton (a paragraph still to rewrite).
PROMPT_MARK = "【请改写】"
_EMPTY = MappingProxyType({})


@dataclass(frozen=True)
class Narrative:
    """The narrative file as read: ``source`` (the file's shown name, None without one),
    ``county`` (part → paragraphs), ``townships`` (township → part → paragraphs) and
    ``warnings`` (Chinese lines about what was not used). A part missing or still a prompt has
    no paragraphs (``()``)."""

    source: str | None = None
    county: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    townships: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def paragraphs(self, part: str, township: str | None = None) -> tuple[str, ...]:
        """The paragraphs of ``part`` (a county part, or a township part of ``township``);
        ``()`` when missing. :class:`KeyError` for a part name that does not exist."""
        if township is None:
            if part not in COUNTY_PARTS:
                raise KeyError(f"全县报告文字没有“{part}”部分（只有：{'、'.join(COUNTY_PARTS)}）")
            return tuple(self.county.get(part, ()))
        if part not in TOWNSHIP_PARTS:
            raise KeyError(f"乡镇报告文字没有“{part}”部分（只有：{'、'.join(TOWNSHIP_PARTS)}）")
        return tuple(self.townships.get(township, _EMPTY).get(part, ()))

    def shown(self, part: str, township: str | None = None) -> tuple[str, ...]:
        """The paragraphs of ``part`` as a document shows them: :data:`PENDING_TEXT` when missing."""
        return self.paragraphs(part, township) or (PENDING_TEXT,)

    def missing(self) -> list[str]:
        """The parts missing, in order: ``["主要成效", "东山镇 整改要求", …]`` (county parts, then
        each township of :attr:`townships` with its parts)."""
        out = [p for p in COUNTY_PARTS if not self.county.get(p)]
        return out + [f"{t} {p}" for t, parts in self.townships.items() for p in TOWNSHIP_PARTS if not parts.get(p)]

    def covering(self, townships) -> Narrative:
        """The same narrative with exactly ``townships`` (in their order, e.g. the catalogue's),
        each with its parts (``()`` for those it does not have)."""
        towns = {t: MappingProxyType({p: tuple(self.townships.get(t, _EMPTY).get(p, ())) for p in TOWNSHIP_PARTS})
                 for t in townships}
        county = MappingProxyType({p: tuple(self.county.get(p, ())) for p in COUNTY_PARTS})
        return Narrative(self.source, county, MappingProxyType(towns), self.warnings)


def read_narrative(path, *, catalog=None, year: int | None = None) -> Narrative:
    """The narrative file at ``path`` (see the module's conventions).

    Parameters
    ----------
    path : str or Path or None
        The ``.docx``; None or a path that does not exist give an empty Narrative.
    catalog : Catalog, optional
        Gives the townships and their aliases (default: the built-in catalogue).
    year : int, optional
        The report's year: a file whose title (first paragraph) names another year
        (“……2015年度……”) is last year's words — not used, said in a warning.

    Returns
    -------
    Narrative
        Covering every township of the catalogue, in its order; never raises for the file's
        content (problems are in ``warnings``).
    """
    from ..catalog import load_catalog
    from ._narrative_parse import parse_paragraphs, read_docx_paragraphs, stated_year

    cat = catalog if catalog is not None else load_catalog()
    towns = list(cat.townships["unit_name"])
    if path is None or not Path(path).is_file():
        return Narrative().covering(towns)
    path = Path(path)
    paragraphs, problem = read_docx_paragraphs(path)
    if problem:
        return Narrative(path.name, warnings=(f"{path.name}：{problem}，报告文字未采用",)).covering(towns)
    written = stated_year(paragraphs)
    if year is not None and written is not None and written != int(year):
        return Narrative(path.name, warnings=(f"{path.name}：标题写的是{written}年度，本报告为{int(year)}年度，"
                                              "报告文字未采用（请为本年度另写一份，或改正标题中的年度）",)).covering(towns)
    county, townships, warnings = parse_paragraphs(paragraphs, cat.townships, path.name)
    return Narrative(path.name, county, townships, tuple(warnings)).covering(towns)


def narrative_path(data=None, given=None) -> Path:
    """Where the narrative file is: ``given`` when given, else :data:`NARRATIVE_FILE` in the
    first data folder (the folder of the first file when a file is given first; the bundled
    sample's folder when ``data`` is None)."""
    if given is not None:
        return Path(given)
    from ..resources import sample_path

    paths = [sample_path()] if not data else [data] if isinstance(data, (str, Path)) else list(data)
    first = Path(paths[0])
    return (first if first.is_dir() else first.parent) / NARRATIVE_FILE


def find_narrative(ds) -> Path | None:
    """The narrative file beside the data a Dataset was read from, when no path is given: the
    first of :data:`NARRATIVE_FILE` in the folders of its files, the shallowest folder first
    (None when there is none). The report's pipeline passes the exact path instead
    (:func:`narrative_path` of the data given)."""
    folders = {Path(str(f)).parent for f in ds.files["file"]}
    for folder in sorted(folders, key=lambda f: (len(f.parts), str(f))):
        if (folder / NARRATIVE_FILE).is_file():
            return folder / NARRATIVE_FILE
    return None


def narrative_notes(narrative: Narrative) -> str:
    """The county parts as speaker notes (the deck's first slide): each part's name, then its
    paragraphs (:data:`PENDING_TEXT` when missing)."""
    return "\n\n".join(f"{part}：\n" + "\n".join(narrative.shown(part)) for part in COUNTY_PARTS)


def write_narrative_skeleton(model, path=None, *, force: bool = False) -> Path:
    """Write a narrative file prefilled with the headings and, under each, prompts from the
    report's computed facts (:mod:`._narrative_prompts`), for the analyst to rewrite.

    Parameters
    ----------
    model : ReportModel
    path : str or Path, optional
        Default: :data:`NARRATIVE_FILE` beside the data the model was read from.
    force : bool
        Overwrite an existing file (never done otherwise: it holds the analyst's words).

    Raises
    ------
    ReportError
        One Chinese line when the file exists and ``force`` is not given.
    """
    from ._narrative_prompts import write_skeleton
    from .report import ReportError

    if path is None:
        folders = [Path(str(f)).parent for f in model.dataset.files["file"]]
        if not folders:
            raise ReportError("数据中没有文件，无法确定报告文字文件的位置；请给出文件路径")
        path = min(folders, key=lambda f: len(f.parts)) / NARRATIVE_FILE
    path = Path(path)
    if path.exists() and not force:
        raise ReportError(f"{path} 已存在，其中可能有已写好的报告文字，未覆盖；如确要重新生成，请先改名或删除该文件"
                          "（或加 --force）")
    return write_skeleton(model, path)


def narrative_for_report(data=None, given=None, *, catalog=None, year: int | None = None) -> Narrative:
    """The narrative the report of ``data`` uses: the file ``given`` (which must exist), else
    :data:`NARRATIVE_FILE` in the first data folder (:func:`narrative_path`; none there: an
    empty Narrative, the report a draft); read for ``year``.

    Raises
    ------
    ReportError
        One Chinese line when ``given`` is not a file.
    """
    from .report import ReportError

    if given is not None and not Path(given).is_file():
        raise ReportError(f"找不到报告文字文件：{given}（可用 --narrative-skeleton 生成带提示的初稿）")
    return read_narrative(narrative_path(data, given), catalog=catalog, year=year)


def narrative_skeleton(data=None, year: int | None = None, catalog=None, out=None, *, force: bool = False) -> Path:
    """``dangjian report --narrative-skeleton``: read and score ``data`` (default the sample),
    then :func:`write_narrative_skeleton` for ``year`` at ``out`` (default :func:`narrative_path`
    of ``data``); returns the path. Raises ReportError when the file exists and not ``force``."""
    from .model import build_model
    from .pipeline import load_data, score_data
    from .report import report_year

    cat, ds = load_data(data, catalog)
    scored = score_data(ds, cat, draws=200)
    model = build_model(ds, report_year(ds, year), catalog=cat, scores=scored.scores, villages=scored.villages,
                        uncertainty=scored.uncertainty, narrative=Narrative())
    return write_narrative_skeleton(model, narrative_path(data, out), force=force)
