"""Private: what a village card (村情卡) says, gathered from the metrics' tables once per township.

Nothing here scores, ranks, grades or lists: the village's overall index, rank and grade are
those of ``score_composite(level="village")``, its moves those of
:func:`~dangjian_analysis.metrics.trends.grade_transitions`, its 倒排 those of
:func:`~dangjian_analysis.metrics.rectify.flag_bottom`, its 软弱涣散 reasons those of
:func:`~dangjian_analysis.metrics.rectify.listing_reasons`, its blanks those of
:func:`~dangjian_analysis.metrics.scoring.aggregate_villages`, its doubtful values those of
:func:`~dangjian_analysis.metrics.completeness.doubtful_cells`; the means beside its values
come from :func:`~dangjian_analysis.charts.cards.village_values`. This module only puts them
into sentences and the two tables of a card (:mod:`._cards_text` words them).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._cards_text import (gap_lines, identity_lines, indicator_table, summary_lines, team_line, year_table)

__all__ = ["Card", "township_cards", "village_scores"]

#: Village indicators shown in the card's year table rather than in its indicator table.
YEAR_TABLE_INDICATORS = ("weak_listed", "weak_turned")


@dataclass(frozen=True)
class Card:
    """One village's card: texts and two tables of display strings (Chinese headers).

    ``listed_years`` are the years the village was listed 软弱涣散 or 倒排 (red on the chart).
    """

    unit_id: str
    name: str
    township: str
    year: int
    team: str
    identity: tuple[str, ...]
    summary: tuple[str, ...]
    years: pd.DataFrame
    indicators: pd.DataFrame
    gaps: tuple[str, ...]
    listed_years: tuple[int, ...]


@dataclass(frozen=True)
class _Facts:
    """The metrics' tables for one township, each computed once for all its cards."""

    overall: pd.DataFrame       # score_composite(level="village"), overall rows
    moves: pd.DataFrame         # unit_id, year, move (vs the previous year with grades)
    bottom: pd.DataFrame        # flag_bottom rows
    reasons: pd.DataFrame       # listing_reasons
    values: pd.DataFrame        # village_values of the township
    blanks: pd.DataFrame        # aggregate_villages' blanks
    doubtful: pd.DataFrame      # doubtful_cells
    issues: pd.DataFrame        # issues of the township's village rows, with unit_id, year
    links: pd.DataFrame         # 驻点联系 rows of the township, with unit_id


def township_cards(ds, township: str, year: int, catalog, scores: pd.DataFrame | None = None) -> list[Card]:
    """The cards of the villages of ``township`` that exist in ``year``, in catalogue order.

    ``scores``: ``score_composite(ds, catalog, level="village")`` when already computed.
    """
    facts = _facts(ds, township, catalog, village_scores(ds, catalog, scores))
    villages = catalog.villages_in(year)
    villages = villages[villages["township"] == township]
    return [_card(facts, ds, catalog, row, year) for row in villages.itertuples(index=False)]


def village_scores(ds, cat, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """``scores`` if given, else ``score_composite(ds, cat, level="village")`` (its warnings
    silenced: the Dataset's issues say the same, by cell)."""
    from ..metrics.composite import score_composite

    if scores is not None:
        return scores
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return score_composite(ds, cat, level="village")


def _facts(ds, township: str, cat, scores) -> _Facts:
    from ..charts.cards import village_values
    from ..metrics.completeness import doubtful_cells
    from ..metrics.rectify import flag_bottom, listing_reasons
    from ..metrics.scoring import aggregate_villages
    from ..metrics.trends import grade_transitions

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)      # the Dataset's issues say it, once, by cell
        bottom = flag_bottom(scores, data=ds, catalog=cat)
        blanks = aggregate_villages(ds, cat).attrs["blanks"].frame
    overall = scores[scores["group"] == "overall"]
    graded = sorted(int(y) for y in overall.loc[overall["grade"].notna(), "year"].unique())
    moves = [grade_transitions(scores, a, b, catalog=cat).units.assign(year=b)[["unit_id", "year", "move"]]
             for a, b in zip(graded, graded[1:])]
    moves = pd.concat(moves, ignore_index=True) if moves else pd.DataFrame(columns=["unit_id", "year", "move"])
    doubtful = doubtful_cells(ds, cat)
    return _Facts(overall=overall, moves=moves, bottom=bottom, reasons=listing_reasons(ds, cat),
                  values=village_values(ds, township, catalog=cat),
                  blanks=blanks[blanks["township"] == township] if len(blanks) else blanks,
                  doubtful=doubtful[doubtful["township"] == township], issues=_row_issues(ds, township),
                  links=_links(ds, township, cat))


def _row_issues(ds, township: str) -> pd.DataFrame:
    """The issues at a cell of a row that gave values of one of the township's villages, with
    that village's ``unit_id`` and ``year`` (the doubtful values are left to ``doubtful_cells``)."""
    from ..intake._address import row_of
    from ..intake.confirmations import DOUBTFUL_CODES

    obs = ds.observations
    obs = obs[(obs["level"] == "village") & (obs["township"] == township)]
    rows = {(str(f), str(s), row_of(c)): (u, int(y)) for f, s, c, u, y in
            zip(obs["source_file"], obs["source_sheet"], obs["source_cell"], obs["unit_id"], obs["year"])}
    issues = ds.issues[~ds.issues["code"].isin(DOUBTFUL_CODES)]
    found = [(k, *rows[(str(f), str(s), row_of(c))]) for k, (f, s, c) in
             enumerate(zip(issues["file"], issues["sheet"], issues["cell"])) if (str(f), str(s), row_of(c)) in rows]
    out = issues.iloc[[k for k, _, _ in found]].copy()
    out["unit_id"] = [u for _, u, _ in found]
    out["year"] = [y for _, _, y in found]
    names = getattr(ds, "file_names", {}) or {}
    out["shown_file"] = [names.get(f, Path(str(f)).name) for f in out["file"]]
    return out


def _links(ds, township: str, cat) -> pd.DataFrame:
    """The 驻点联系 rows of the township with the village's ``unit_id`` (its name as written, read
    by year as the intake reads it)."""
    links = ds.links
    links = links[links["township"] == township].copy()
    found = [cat.match_village(township, v, int(y)) for v, y in zip(links["village"], links["year"])]
    links["unit_id"] = [m.unit_id if m is not None else None for m in found]
    return links


def _card(facts: _Facts, ds, cat, village, year: int) -> Card:
    unit_id = village.unit_id

    def upto(frame: pd.DataFrame) -> pd.DataFrame:
        """The village's rows of the card's years (up to ``year``)."""
        return frame[(frame["unit_id"] == unit_id) & (frame["year"] <= year)]

    own, values = upto(facts.overall), upto(facts.values)
    listed = values[(values["indicator"] == "weak_listed") & (values["value"] == 1)]["year"]
    bottom = upto(facts.bottom)
    years_shown = sorted(int(y) for y in set(facts.overall["year"]) | set(facts.values["year"]) if y <= year)
    table = year_table(own, facts.overall, upto(facts.moves), bottom, upto(facts.reasons), values, years_shown, cat)
    name = cat.village_name(unit_id, year)
    doubtful = upto(facts.doubtful)
    return Card(unit_id=unit_id, name=name, township=village.township, year=year,
                team=team_line(facts.links[(facts.links["unit_id"] == unit_id) & (facts.links["year"] == year)]),
                identity=identity_lines(cat, unit_id, years_shown, year),
                summary=summary_lines(own, facts.overall, table, year),
                years=table,
                indicators=indicator_table(values, doubtful, year, cat, skip=YEAR_TABLE_INDICATORS),
                gaps=gap_lines(cat, unit_id, years_shown, own, values,
                               upto(facts.blanks) if len(facts.blanks) else facts.blanks,
                               doubtful, upto(facts.issues),
                               getattr(ds, "file_names", None)),
                listed_years=tuple(sorted({*map(int, listed), *map(int, bottom["year"])})))
