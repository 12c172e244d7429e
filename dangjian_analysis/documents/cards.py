"""Village cards (村情卡) for the 驻点 teams: one A4 page per village, one Word file per township.

A leader team linked to one or two villages takes the township's file and prints its pages.
Each page says, for one village of the township that exists in the year: its name that year
(and former names), mergers and splits that touch it, its 驻点工作组; its overall index, rank
among the county's villages, grade and move (晋位升级) by year, whether it was listed 软弱涣散
(and turned around) or 倒排 and the 软弱涣散情形 found in its data; a small chart of its index
against the mean of its township's and the county's villages; its indicators this year and last
against the township and county village means, with units; and what is missing, wrong or
doubtful in its rows, by file, sheet and cell.

Every number is the metrics' (see :mod:`._cards_data`); one file per township rather than one
per village, because the township is the unit the department sends papers to and a team
prints the pages of its villages from it (the page of a village is its card: a page break
before each). The same inputs give the same bytes (fixed core properties and zip times, PNG
charts without stamps).
"""

from __future__ import annotations

import difflib
from pathlib import Path

__all__ = ["write_cards", "cards_file", "CardsError", "resolve_township"]


class CardsError(ValueError):
    """A problem that stops the cards (one Chinese line for the analyst)."""


def cards_file(township: str, year: int) -> str:
    """The file name of a township's cards: ``东山镇村情卡_2015年.docx``."""
    return f"{township}村情卡_{year}年.docx"


def resolve_township(catalog, name: str) -> str:
    """The catalogue name of the township written as ``name`` (name, alias or short form);
    :class:`CardsError` naming the closest township otherwise."""
    found = catalog.resolve_township(str(name))
    if found is not None:
        return found
    towns = list(catalog.townships["unit_name"])
    near = difflib.get_close_matches(str(name), towns, n=1, cutoff=0.4)
    hint = f"，是否为“{near[0]}”？" if near else "。"
    raise CardsError(f"乡镇“{name}”不在指标体系的乡镇名录中{hint}（名录：{'、'.join(towns)}）")


def write_cards(ds, township: str, folder, *, year: int | None = None, catalog=None, scores=None) -> list[Path]:
    """Write the village cards of ``township`` for ``year``; returns the files written.

    Parameters
    ----------
    ds : Dataset
        The data (:func:`~dangjian_analysis.load`): observations, issues, 驻点联系.
    township : str
        The township (catalogue name, alias or short form: 东山镇 or 东山).
    folder : str or Path
        Where ``<乡镇>村情卡_<年度>年.docx`` is written (created if needed).
    year : int, optional
        Default: the latest year in the data. The cards cover the villages that exist in that
        year, with every year of data up to it.
    catalog : Catalog, optional
        Default: the Dataset's.
    scores : DataFrame, optional
        ``score_composite(ds, catalog, level="village")`` when already computed.

    Returns
    -------
    list of Path
        The Word file (one A4 page per village, in catalogue order).

    Raises
    ------
    CardsError
        One Chinese line: an unknown township (with the nearest name), no data, a year
        without data.

    >>> write_cards(ds, "东山镇", "驻点/")  # doctest: +SKIP
    [PosixPath('驻点/东山镇村情卡_2015年.docx')]
    """
    import matplotlib.pyplot as plt
    from docx import Document

    from ..charts.cards import plot_village_index
    from ..charts.save import png_bytes
    from . import _docx as dx
    from ._cards_data import township_cards, village_scores
    from ._cards_docx import add_card, setup_cards
    from ._safe import writing
    from ._xlsx import save_deterministic
    from .report import ReportError, report_year

    cat = catalog if catalog is not None else ds.catalog
    town = resolve_township(cat, township)
    try:
        year = report_year(ds, year)
    except ReportError as exc:
        raise CardsError(str(exc).replace("无法生成报告", "无法生成村情卡")) from None
    scores = village_scores(ds, cat, scores)
    cards = township_cards(ds, town, year, cat, scores)
    if not cards:
        raise CardsError(f"{town}在 {year} 年没有村（社区），无法生成村情卡")
    path = Path(folder) / cards_file(town, year)
    doc = Document()
    setup_cards(doc)
    overall = scores[(scores["group"] == "overall") & (scores["year"] <= year)]
    with writing(path.name):
        for k, card in enumerate(cards):
            png = None
            if overall.loc[overall["unit_id"] == card.unit_id, "score"].notna().any():
                fig = plot_village_index(overall, card.unit_id, catalog=cat, listed=card.listed_years)
                png = png_bytes(fig, dpi=200)
                plt.close(fig)
            add_card(doc, card, png, first=k == 0)
    dx.add_page_number(doc)
    dx.fix_properties(doc, f"{town}村情卡（{year}年度）")
    doc.core_properties.subject = "驻点工作组村情卡"
    return [save_deterministic(doc, path)]
