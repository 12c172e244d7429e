"""The validated catalogue (:class:`Catalog`) and :func:`load_catalog`, which builds it section by section."""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ._checks import CatalogError, Checker
from .indicators import build_groups, build_indicators
from .review import ReviewScheme, build_review
from .rules import build_bottom, build_grades, build_listing, build_sheets
from .units import build_secretaries, build_units, clean_name

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
        ``unit_id, unit_name, township_id, township``.
    secretaries : DataFrame
        ``id, name, unit, type``.
    grade_bands : DataFrame
        ``grade, min``, best grade first.
    """

    indicators: pd.DataFrame
    groups: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    secretaries: pd.DataFrame
    grade_bands: pd.DataFrame
    bottom_share: float
    first_year: int
    last_year: int
    county_name: str
    listing: dict[str, float]
    sheets: dict[str, str]
    review: ReviewScheme
    source: str
    sha256: str
    _aliases: dict = field(default_factory=dict, repr=False, compare=False)

    def __deepcopy__(self, memo) -> "Catalog":
        """A catalogue is never changed after loading, so copies share it (pandas deep-copies
        ``DataFrame.attrs``, where result tables carry the catalogue they were computed with)."""
        return self

    def __copy__(self) -> "Catalog":
        return self

    @property
    def years(self) -> list[int]:
        """The catalogue's year range, first to last inclusive."""
        return list(range(self.first_year, self.last_year + 1))

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

    def resolve_village(self, township: str, name: str) -> str | None:
        """The catalogue name of a village of ``township`` written as ``name``."""
        return self._aliases["village"].get((township, clean_name(name)))

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
        ``indicators[3]（id = office_funds）.weight 必须大于 0``.

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
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"无法读取指标体系文件 {path}：{exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}：TOML 格式错误（{exc}）") from None
    return _build(Checker(raw, source), hashlib.sha256(text.encode("utf-8")).hexdigest())


@functools.lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    """The default catalogue, parsed once per process (a Catalog is never changed)."""
    text = default_catalog_text()
    return _build(Checker(tomllib.loads(text), "默认指标体系"), hashlib.sha256(text.encode("utf-8")).hexdigest())


def _build(chk: Checker, sha256: str) -> Catalog:
    """The sections in the order their errors are reported: county years, groups, sheets,
    indicators, units, secretaries, grades, bottom share, county name, listing, review."""
    chk.check_keys(chk.raw, "", "")
    county = chk.section("county")
    first = chk.need(county, "first_year", "county", int)
    last = chk.need(county, "last_year", "county", int)
    if last < first:
        chk.fail("county.last_year", f"不能早于 first_year（{first}）")
    groups = build_groups(chk)
    sheets = build_sheets(chk)
    indicators = build_indicators(chk, groups, sheets)
    townships, villages, aliases = build_units(chk)
    return Catalog(
        indicators=indicators,
        groups=groups,
        townships=townships,
        villages=villages,
        secretaries=build_secretaries(chk),
        grade_bands=build_grades(chk),
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
    )
