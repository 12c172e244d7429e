"""The validated catalogue (:class:`Catalog`) and :func:`load_catalog`, which builds it section by section."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ._checks import CatalogError, Checker
from ._toml_errors import empty_message, encoding_cause, syntax_message
from .assessment import Assessment, build_assessment
from .indicators import build_groups, build_indicators
from .notice import Notice, build_notice
from .paperwork import Paperwork, build_paperwork
from .report_words import ReportWords, build_report_words
from .review import ReviewScheme, build_review
from .robustness import Robustness, build_robustness
from .rules import ScoringRules, build_bottom, build_grades, build_listing, build_scoring, build_sheets
from .units import VillageMatch, build_secretaries, build_units, clean_name, match_village, village_name_in

__all__ = ["Catalog", "load_catalog", "default_catalog_text"]


@dataclass(frozen=True)
class Catalog:
    """A validated catalogue.

    Attributes
    ----------
    indicators : DataFrame
        ``id, name, group, unit, direction, level, aggregate, target, target_year, lo, hi,
        weight, aliases`` plus ``required, allow_negative, kind, sheet`` and the checks'
        ranges ``valid_lo, valid_hi, plausible_lo, plausible_hi, yoy_factor, yoy_points``.
    groups : DataFrame
        ``group, name, programme, weight, sheet``.
    townships : DataFrame
        ``unit_id, unit_name, aliases``.
    villages : DataFrame
        ``unit_id, unit_name, township_id, township, since, until, merged_into, split_from,
        aliases``: every village that ever existed, by its stable id and current name;
        ``since``/``until`` its first and last year (NA when open), set by ``merged_into``
        / ``split_from`` (``(id, year)`` or None) too. :meth:`villages_in` gives those of a year.
    first_year, last_year : int, int or None
        ``[county]``: the first year of data, and the catalogue's own last year (optional:
        the default of the template; data may go further, see :meth:`accepted_years`).
    secretaries : DataFrame
        ``id, name, unit, type``.
    grade_bands : DataFrame
        ``grade, min``, best grade first.
    scoring : ScoringRules
        ``[scoring]``: the missing-value rule (``missing``, default ``"zero"``: 不报不得分) and
        the village coverage below which a result is provisional (``provisional_coverage``).
    paperwork : Paperwork
        ``[template]`` (optional): the reporting ``deadline`` and the county ``contact`` that the
        township template writes on its 填报说明 and print headers (see :mod:`.paperwork`).
    assessment : Assessment or None
        ``[assessment]`` (optional): the county's own 考核细则 — rubric items, 加分, 扣分, 一票否决,
        the annual grades with quotas and gates, 结果运用 (see :mod:`.assessment`).
    notice : Notice or None
        ``[notice]`` (optional): 发文机关, 发文字号, 主送机关, 成文日期 of the 通报 (see :mod:`.notice`).
    robustness : Robustness
        ``[robustness]`` (optional): the alternatives the robustness analysis samples for each
        modelling choice, with documented defaults (see :mod:`.robustness`).
    report : ReportWords
        ``[report]`` (optional): the county's word for a draft (:attr:`draft_word`, see
        :mod:`.report_words`).
    """

    indicators: pd.DataFrame
    groups: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    secretaries: pd.DataFrame
    grade_bands: pd.DataFrame
    bottom_share: float
    first_year: int
    last_year: int | None
    county_name: str
    listing: dict[str, float]
    sheets: dict[str, str]
    review: ReviewScheme
    source: str
    sha256: str
    _aliases: dict = field(default_factory=dict, repr=False, compare=False)
    scoring: ScoringRules = field(default_factory=ScoringRules)
    paperwork: Paperwork = field(default_factory=Paperwork)
    assessment: Assessment | None = None
    notice: Notice | None = None
    robustness: Robustness = field(default_factory=Robustness)
    report: ReportWords = field(default_factory=ReportWords)

    @property
    def draft_word(self) -> str:
        """What a draft's title carries in （…）: ``[report] draft``, default ``征求意见稿``."""
        return self.report.draft

    def __deepcopy__(self, memo) -> "Catalog":
        """A catalogue is never changed after loading, so copies share it (pandas deep-copies
        ``DataFrame.attrs``, where result tables carry the catalogue they were computed with)."""
        return self

    def __copy__(self) -> "Catalog":
        return self

    @property
    def years(self) -> list[int]:
        """The catalogue's own years: ``first_year`` to ``last_year`` (``first_year`` alone when
        ``last_year`` is not given). Data may hold later years (:meth:`accepted_years`), and
        metrics use the years in the data."""
        return list(range(self.first_year, (self.last_year or self.first_year) + 1))

    def accepted_years(self, present=()) -> list[int]:
        """The years a batch of data may hold, given the years ``present`` in it.

        A year is accepted when it is one of :attr:`years`, the year after them (so that a
        new year's returns can be checked on their own), or follows an accepted year present
        in the batch: with the catalogue's 2012–2015, 2016 is accepted, and 2017 once 2016 is
        there too; 2025 (or 2105 typed for 2015) is not.

        Examples
        --------
        >>> load_catalog().accepted_years({2014, 2015, 2016, 2018})
        [2012, 2013, 2014, 2015, 2016, 2017]
        """
        years, present = [*self.years, self.years[-1] + 1], set(present)
        while years[-1] in present:
            years.append(years[-1] + 1)
        return years

    def indicator(self, indicator_id: str) -> pd.Series:
        """One indicator's row by id."""
        return self.indicators.set_index("id").loc[indicator_id]

    def sheet_indicators(self, sheet: str) -> pd.DataFrame:
        """The indicators entered on one template sheet, in catalogue order."""
        return self.indicators[self.indicators["sheet"] == sheet]

    @property
    def input_sheets(self) -> list[str]:
        """Template input sheets in order: township, village, then group sheets."""
        order = [self.sheets["township"], self.sheets["village"]]
        order += [s for s in self.indicators["sheet"].unique() if s not in order]
        return [s for s in order if (self.indicators["sheet"] == s).any()]

    def resolve_township(self, name: str) -> str | None:
        """The catalogue name of a township written as ``name`` (alias or short form)."""
        return self._aliases["township"].get(clean_name(name))

    def resolve_village(self, township: str, name: str, year: int | None = None) -> str | None:
        """The catalogue (current) name of a village of ``township`` written as ``name`` — its
        name, a former name, an alias or short form; with ``year``, None when that village
        did not exist in ``year`` (see :meth:`match_village`)."""
        found = self.match_village(township, name, year)
        return None if found is None or found.severity == "error" else found.unit_name

    def match_village(self, township: str, name: str, year: int | None = None) -> VillageMatch | None:
        """The village of ``township`` written as ``name`` in a workbook of ``year``:
        ``(unit_id, unit_name, severity, message)``, or None when no village of the township
        ever had that name. ``severity``: None (valid), ``"warning"`` (a former name used
        after the rename: still this village) or ``"error"`` (the village did not exist in
        ``year``: merged away, split off later, dissolved), with a Chinese ``message``."""
        return match_village(self._aliases, township, name, year)

    def village_name(self, unit_id: str, year: int | None = None) -> str:
        """A village's name in ``year`` (its current name by default)."""
        return village_name_in(self._aliases, unit_id, year)

    def villages_in(self, year: int) -> pd.DataFrame:
        """The villages that exist in ``year`` (:attr:`villages` rows, catalogue order), with
        ``name_in_year``: the name valid that year. A village merged away is left out from
        the year of the merger; one split off is in from the year it was formed."""
        v = self.villages
        exists = (v["since"].fillna(year) <= year) & (v["until"].fillna(year) >= year)
        out = v[exists.to_numpy(dtype=bool)].copy()
        out["name_in_year"] = [self.village_name(u, year) for u in out["unit_id"]]
        return out

    def grade(self, score: float) -> str | None:
        """Grade of a score by the bands: the first band whose ``min`` the score reaches."""
        return self.grades([score])[0]

    def grades(self, scores) -> np.ndarray:
        """Grades of many scores at once (None where a score is missing); see :meth:`grade`."""
        s = np.asarray(scores, dtype=float)
        mins = self.grade_bands["min"].to_numpy()
        names = self.grade_bands["grade"].to_numpy(dtype=object)
        out = names[np.minimum((s[:, None] < mins[None, :]).sum(axis=1), len(names) - 1)]
        out[np.isnan(s)] = None
        return out


def default_catalog_text() -> str:
    """The default catalogue file, as text (with its comments)."""
    return resources.files("dangjian_analysis.catalog").joinpath("catalog.toml").read_text("utf-8")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalogue file (the default one when ``path`` is None).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file written like ``dangjian catalog --out FILE``.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        One Chinese message naming the first problem's key, e.g.
        ``indicators[3]（id = office_funds）.weight 必须大于 0``; for a file that is not
        TOML, its line and column and the likely cause (full-width ``，``, a quote left
        open, ``20%``…), see :mod:`._toml_errors`.

    Examples
    --------
    >>> cat = load_catalog()
    >>> len(cat.townships), len(cat.villages), len(cat.secretaries)
    (10, 127, 19)
    """
    if path is None:
        return _default_catalog()
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"找不到指标体系文件：{path}") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"无法读取指标体系文件 {path}：{encoding_cause(path.read_bytes(), exc)}") from None
    except OSError as exc:
        raise CatalogError(f"无法读取指标体系文件 {path}：{exc}") from None
    with _gc_paused():
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(syntax_message(source, text, exc)) from None
        if not raw:
            raise CatalogError(empty_message(source))
        return _build(Checker(raw, source), hashlib.sha256(text.encode("utf-8")).hexdigest())


@functools.lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    """The default catalogue, parsed once per process (a Catalog is never changed)."""
    text = default_catalog_text()
    return _build(Checker(tomllib.loads(text), "默认指标体系"), hashlib.sha256(text.encode("utf-8")).hexdigest())


@contextlib.contextmanager
def _gc_paused():
    """Python's cycle collector off while a file is parsed and built: the parsed tables and
    the rows built from them hold no cycles, and with the collector on, the full collections
    that their growing number triggers rescan every object of the process (a fifth of the time
    at 60,000 villages, and more than linear in the file's size until the catalogue outweighs
    the rest of the process)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(chk: Checker, sha256: str) -> Catalog:
    """The sections in the order their errors are reported: county years, groups, sheets,
    indicators, units, secretaries, grades, bottom share, county name, listing, review, scoring,
    template (the optional ``[template]`` paperwork, checked by :func:`.paperwork.build_paperwork`),
    assessment (the optional 考核细则), notice (the optional 通报 paperwork), robustness and report
    (the optional ``[report]`` words, :func:`.report_words.build_report_words`)."""
    chk.check_keys({k: v for k, v in chk.raw.items() if k not in ("template", "report")}, "", "")
    county = chk.section("county")
    first = chk.need(county, "first_year", "county", int)
    last = chk.opt(county, "last_year", "county", int)
    if last is not None and last < first:
        chk.fail("county.last_year", f"不能早于 first_year（{first}）")
    groups = build_groups(chk)
    sheets = build_sheets(chk)
    indicators = build_indicators(chk, groups, sheets)
    townships, villages, aliases = build_units(chk, first)
    secretaries = build_secretaries(chk)
    bands = build_grades(chk)
    return Catalog(
        indicators=indicators,
        groups=groups,
        townships=townships,
        villages=villages,
        secretaries=secretaries,
        grade_bands=bands,
        bottom_share=build_bottom(chk),
        first_year=first,
        last_year=last,
        county_name=chk.opt(county, "name", "county", str, "未命名县"),
        listing=build_listing(chk),
        sheets=sheets,
        review=build_review(chk),
        source=chk.source,
        sha256=sha256,
        _aliases=aliases,
        scoring=build_scoring(chk),
        paperwork=build_paperwork(chk.raw.get("template"), chk.fail),
        assessment=build_assessment(chk.raw.get("assessment"), indicators, chk.fail,
                                    classes=tuple(dict.fromkeys(secretaries["type"])), bands=bands),
        notice=build_notice(chk.raw.get("notice"), chk.fail),
        robustness=build_robustness(chk.raw.get("robustness"), indicators, chk.fail),
        report=build_report_words(chk.raw.get("report"), chk.fail),
    )
