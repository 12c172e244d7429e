"""The fictional sample county: a seeded generator of returned workbooks.

Real evaluation data are not public. :func:`make_sample` invents a county with the
stories of ``shared/domain.md`` (trajectories toward the 2015 targets with a lagging
tail, 7–13 villages a year listed as 软弱涣散, the 2014 election step, a right-skewed
一乡一品 with two strong townships, ~150 ballots per secretary with two weak
secretaries), and :func:`write_sample` writes it in exactly the template format. With the
catalogue's 考核细则 (``[assessment]``) the county workbook also has a 加减分台账 and a 考核清单 for
every year and, for the last year, the 党员群众代表's 测评票 instead of their tallies; the last year
exercises every rule kind, a veto, a gate and a quota tie (see :mod:`.documents._sample_rubric`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import Catalog, load_catalog
from .catalog.tables import (ADJUSTMENT_COLUMNS, BALLOT_COLUMNS, BALLOT_SHEET_COLUMNS, CHECKLIST_COLUMNS, COUNTY_SHEETS,
                             LEDGER_COLUMNS, LINK_COLUMNS, as_dates)
from .documents._sample_rubric import ballot_sheet_table, ballot_sheets, rubric_tables, twin_tallies

__all__ = ["Sample", "make_sample", "write_sample", "COUNTY_WORKBOOK"]

COUNTY_WORKBOOK = "县级数据.xlsx"
SEED = 2015
_STRONG = {"东山镇": 0.9, "金谷镇": 0.7}
_WEAK = {"青石乡": -0.9, "红旗乡": -0.5}
_WEAK_SECRETARIES = {"周志强": None, "朱振华": {2014, 2015}}   # None: every year
_RATER_SIZES = {"county_leaders": 12, "committee_depts": 28, "secretaries": 45,
                "deputies": 30, "residents": 35}
_LEDGER_TOPICS = ["文山会海、会议过多", "办事拖拉、推诿扯皮", "公车私用", "违规发放津补贴",
                  "慵懒散、上班纪律松弛", "检查评比过多", "铺张浪费", "联系群众不够紧密",
                  "为民服务窗口态度生硬", "村务公开不及时"]


@dataclass(frozen=True)
class Sample:
    """The generated county: tidy observations (no provenance), ballots, ledger, links, and the
    考核细则's 加减分台账 (``adjustments``), 考核清单 (``checklist``) and 测评票 (``ballot_sheets``)."""

    observations: pd.DataFrame
    ballots: pd.DataFrame
    ledger: pd.DataFrame
    links: pd.DataFrame
    adjustments: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ADJUSTMENT_COLUMNS))
    checklist: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHECKLIST_COLUMNS))
    ballot_sheets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BALLOT_SHEET_COLUMNS))


def make_sample(catalog: Catalog | None = None, seed: int = SEED) -> Sample:
    """Generate the fictional county's data for the catalogue's years.

    Works with the default catalogue's indicator ids; an indicator the generator does
    not know is left empty. The same ``seed`` always gives the same data.
    """
    catalog = catalog or load_catalog()
    rng = np.random.default_rng(seed)
    years = catalog.years
    towns = catalog.townships["unit_name"].tolist()
    town_effect = {t: _STRONG.get(t, _WEAK.get(t, rng.normal(0, 0.3))) for t in towns}
    villages = catalog.villages.copy()
    villages["q"] = 0.8 * rng.normal(0, 1, len(villages)) + villages["township"].map(town_effect)
    villages["households"] = rng.integers(250, 900, len(villages))
    links = _links(villages, years, rng)
    village_rows = _village_values(villages, years, links, rng)
    ledger = _ledger(catalog, years, rng)
    town_rows = _township_values(catalog, towns, town_effect, village_rows, ledger, years, rng)
    known = set(catalog.indicators["id"])
    obs = pd.concat([village_rows, town_rows], ignore_index=True)
    obs = obs[obs["indicator"].isin(known)].dropna(subset=["value"])
    obs, links = _existing(catalog, obs, links)
    obs = obs.sort_values(["year", "level", "unit_id", "indicator"], kind="stable").reset_index(drop=True)
    ballots = _ballots(catalog, years, rng)
    rng = np.random.default_rng([seed, 24])              # the 考核细则's data: the rest stays as it was
    adjustments, checklist = rubric_tables(catalog, years, rng)
    sheets = ballot_sheets(catalog, years[-1], _RATER_SIZES["residents"], rng, lambda name: _probs(name, years[-1]))
    return Sample(observations=obs, ballots=twin_tallies(ballots, catalog, years[-1]), ledger=ledger,
                  links=links[LINK_COLUMNS], adjustments=adjustments, checklist=checklist, ballot_sheets=sheets)


def _probs(name: str, year: int, lift: float = 0.0, low: float = 0.31) -> np.ndarray:
    """(好, 较好, 一般, 差) probabilities of a secretary's ratings: a weak one has ``low`` 一般 + 差."""
    weak_years = _WEAK_SECRETARIES.get(name, ())
    if name in _WEAK_SECRETARIES and (weak_years is None or year in weak_years):
        return np.array([(1 - low) * 0.45, (1 - low) * 0.55, low * 0.7, low * 0.3])
    return np.clip(np.array([0.60 + lift, 0.30 - lift / 2, 0.07 - lift / 4, 0.03 - lift / 4]), 0.005, None)


def _existing(catalog: Catalog, obs: pd.DataFrame, links: pd.DataFrame):
    """Only the villages that exist in each year (a catalogue recording mergers and splits)."""
    v = catalog.villages.set_index("unit_id")
    if v["since"].isna().all() and v["until"].isna().all():
        return obs, links
    since, until = v["since"].fillna(0).astype(int), v["until"].fillna(9999).astype(int)
    ids = obs["unit_id"].where(obs["level"] == "village")
    keep = ids.isna() | ((ids.map(since) <= obs["year"]) & (ids.map(until) >= obs["year"]))
    ids = pd.Series([catalog.match_village(t, n).unit_id for t, n in zip(links["township"], links["village"])],
                    index=links.index)
    return obs[keep.astype(bool)], links[(ids.map(since) <= links["year"]) & (ids.map(until) >= links["year"])]


def _links(villages: pd.DataFrame, years: list[int], rng) -> pd.DataFrame:
    """Every village linked to a leader team; each team has one or two villages."""
    teams, team = [], 0
    i = 0
    while i < len(villages):
        team += 1
        size = min(int(rng.integers(1, 3)), len(villages) - i)
        teams += [f"驻点工作组{team:02d}"] * size
        i += size
    rows = []
    for year in years:
        p = (year - years[0]) / max(len(years) - 1, 1)
        for (_, v), name in zip(villages.iterrows(), teams):
            rate = np.clip(0.62 + 0.33 * p + 0.05 * v["q"] + rng.normal(0, 0.04), 0.3, 1.0)
            rows.append({"leader_team": name, "township": v["township"], "village": v["unit_name"],
                         "year": year, "households_visited": int(round(rate * v["households"])),
                         "households": v["households"]})
    return pd.DataFrame(rows)


def _village_values(villages: pd.DataFrame, years: list[int], links: pd.DataFrame, rng) -> pd.DataFrame:
    rows = []
    n = len(villages)
    q = villages["q"].to_numpy()
    lag = np.clip(0.85 + 0.25 * q, 0.3, 1.1)            # share of the way to the target by 2015
    stagnant = q < np.quantile(q, 0.06)                  # no new members for years
    visits = links.set_index(["village", "year"])
    for year in years:
        p = (year - years[0]) / max(len(years) - 1, 1)
        after_election = year >= 2014
        k = int(rng.integers(7, 14))
        listed = np.zeros(n, bool)
        listed[np.argsort(-q + rng.normal(0, 0.7, n))[:k]] = True
        turned = listed & (rng.random(n) < 0.88)
        vacancy = np.where(listed & (rng.random(n) < 0.5), rng.integers(4, 10, n),
                           np.where(rng.random(n) < 0.05, rng.integers(1, 4, n), 0))
        new_members = np.where(stagnant | (listed & (rng.random(n) < 0.7)), 0,
                               rng.poisson(np.clip(2.0 + 0.5 * q, 0.3, None)))
        station = (p * lag + rng.normal(0, 0.15, n)) > 0.45
        values = {
            "org_grade": np.clip(np.round(2.5 + 0.7 * q + 1.0 * p + rng.normal(0, 0.4, n)), 1, 4),
            "model_org": ((q + 0.9 * p + rng.normal(0, 0.4, n)) > 0.9).astype(float),
            "weak_listed": listed.astype(float),
            "weak_turned": np.where(listed, turned.astype(float), np.nan),
            "satisfaction": np.round(np.clip(80 + 6 * q + 6 * p - 20 * listed + rng.normal(0, 4, n), 30, 99), 1),
            "petitions": rng.poisson(np.clip(1.4 - 0.5 * q - 0.6 * p, 0.2, None) + 2 * listed).astype(float),
            "committee_age": np.round(52 - 1.5 * q - 5 * after_election + rng.normal(0, 2, n), 1),
            "committee_edu": np.round(np.clip(35 + 8 * q + 4 * p + 16 * after_election + rng.normal(0, 6, n), 0, 100), 1),
            "reserve_cadres": np.clip(rng.poisson(np.clip(1 + 0.5 * q + 0.9 * p, 0.2, None)), 0, 6).astype(float),
            "vacancy_months": vacancy.astype(float),
            "venue_area": np.round(np.clip(90 + 40 * q + 170 * p * lag + rng.normal(0, 15, n), 30, 500)),
            "station_running": station.astype(float),
            "matters_handled": np.round(np.clip((40 + 260 * p * lag + 30 * q) * np.where(station, 1, 0.3)
                                                + rng.normal(0, 20, n), 0, None)),
            "training_rate": np.round(np.clip(80 + 17 * p * lag + 3 * q + rng.normal(0, 2.5, n), 50, 100), 1),
            "new_members": new_members.astype(float),
            "young_share": np.round(np.clip(12 + 4 * q + 3 * p + rng.normal(0, 3, n), 2, 60), 1),
            "meetings_rate": np.round(np.clip(74 + 6 * q + 22 * p * lag + rng.normal(0, 4, n), 40, 100), 1),
            "unqualified_handled": rng.poisson(0.3, n).astype(float),
            "office_funds": np.round(np.clip(1.8 + 0.5 * q + 4.6 * p * lag + rng.normal(0, 0.3, n), 0.5, None), 2),
            "cadre_allowance": np.round(np.clip(900 + 150 * q + 1500 * p * lag + rng.normal(0, 80, n), 500, None), -1),
            "collective_income": np.round(np.exp(1.0 + 0.45 * q + 0.1 * (year - years[0]) + rng.normal(0, 0.35, n)), 2),
        }
        visited = visits.loc[[(v, year) for v in villages["unit_name"]]]
        values["visit_rate"] = np.round(100 * visited["households_visited"].to_numpy()
                                        / visited["households"].to_numpy(), 1)
        for ind, column in values.items():
            rows.append(pd.DataFrame({
                "unit_id": villages["unit_id"].to_numpy(), "unit_name": villages["unit_name"].to_numpy(),
                "level": "village", "township": villages["township"].to_numpy(), "year": year,
                "indicator": ind, "value": column.astype(float)}))
    return pd.concat(rows, ignore_index=True)


def _ledger(catalog: Catalog, years: list[int], rng) -> pd.DataFrame:
    rows = []
    for tid, town in zip(catalog.townships["unit_id"], catalog.townships["unit_name"]):
        weak = town in _WEAK
        for year in years:
            for k in range(int(rng.integers(3, 9))):
                opened = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
                due = opened + dt.timedelta(days=int(rng.choice([30, 60, 90])))
                u = rng.random()
                on_time = 0.62 if weak else 0.85
                if u < on_time:
                    closed, status = due - dt.timedelta(days=int(rng.integers(0, 25))), "已销号"
                elif u < 0.95 or year < years[-1]:
                    closed, status = due + dt.timedelta(days=int(rng.integers(5, 60))), "逾期销号"
                else:
                    closed, status = None, "整改中"
                rows.append({"township": town, "item_id": f"{tid}-{year}-{k + 1:02d}",
                             "description": _LEDGER_TOPICS[int(rng.integers(len(_LEDGER_TOPICS)))],
                             "opened": opened, "due": due, "closed": closed, "status": status})
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    for col in ("opened", "due", "closed"):
        frame[col] = as_dates(frame[col]).to_numpy()
    return frame


def _township_values(catalog, towns, town_effect, village_rows, ledger, years, rng) -> pd.DataFrame:
    ids = dict(zip(catalog.townships["unit_name"], catalog.townships["unit_id"]))
    strong = {t: i for i, t in enumerate(_STRONG)}
    base = {t: (5200 - 1200 * strong[t]) if t in strong else float(np.exp(rng.normal(6.6, 0.55)))
            for t in towns}
    growth = {t: rng.uniform(0.12, 0.18) if t in strong else rng.uniform(0.03, 0.16) for t in towns}
    models = village_rows[village_rows["indicator"] == "model_org"].groupby(["township", "year"])["value"].sum()
    ledger = ledger.assign(year=ledger["item_id"].str.split("-").str[1].astype(int),
                           on_time=ledger["closed"].notna() & (ledger["closed"] <= ledger["due"]))
    closed_rate = ledger.groupby(["township", "year"])["on_time"].mean() * 100
    rows = []
    for year in years:
        t = year - years[0]
        for town in towns:
            out = base[town] * (1 + growth[town]) ** t * np.exp(rng.normal(0, 0.04))
            size = out / 6000
            values = {
                "model_sites": float(min(int(models[(town, year)]) // 2 + rng.poisson(0.6), 8)),
                "ledger_closed": round(float(closed_rate[(town, year)]), 1),
                "feature_output": round(out, 1),
                "feature_share": round(float(np.clip(12 + 28 * size + rng.normal(0, 3), 3, 70)), 1),
                "feature_households": round(float(np.clip(10 + 30 * size + rng.normal(0, 3), 2, 70)), 1),
                "specialist_villages": float(min(int(out // 1200) + int(rng.integers(0, 2)), 10)),
                "households_driven": float(round(out * rng.uniform(0.45, 0.7))),
                "income_premium": round(float(np.clip(4 + 10 * size + 4 * town_effect[town] + rng.normal(0, 2), 1, 40)), 1),
                "brands": float(min(int(size * 2 + (t >= 2) + rng.integers(0, 2)), 4)),
            }
            for ind, value in values.items():
                rows.append({"unit_id": ids[town], "unit_name": town, "level": "township",
                             "township": town, "year": year, "indicator": ind, "value": value})
    return pd.DataFrame(rows)


def _ballots(catalog: Catalog, years: list[int], rng) -> pd.DataFrame:
    scheme = catalog.review
    ratings = list(scheme.ratings["rating"])               # best first: 好 较好 一般 差
    unknown, blank = (list(scheme.invalid) + ["不了解", "空白"])[:2]
    groups = [g for g in scheme.rater_groups["id"]]
    rows = []
    for year in years:
        for sec in catalog.secretaries.itertuples():
            lift = rng.normal(0, 0.06)
            low = rng.uniform(0.28, 0.34)                  # share of 一般 + 差 for a weak secretary
            probs = _probs(sec.name, year, lift, low)
            for gid in groups:
                size = _RATER_SIZES.get(gid, 25) + int(rng.integers(-2, 3))
                blanks = int(rng.binomial(size, 0.01))
                for item in scheme.items:
                    p_unknown = 0.04 if gid in ("deputies", "residents") else 0.01
                    n_unknown = int(rng.binomial(size - blanks, p_unknown))
                    counts = rng.multinomial(size - blanks - n_unknown, probs / probs.sum())
                    tally = dict(zip(ratings, counts)) | {unknown: n_unknown, blank: blanks}
                    for rating, count in tally.items():
                        rows.append({"year": year, "secretary": sec.name, "unit_name": sec.unit,
                                     "rater_group": gid, "item": item, "rating": rating,
                                     "count": int(count)})
    return pd.DataFrame(rows, columns=BALLOT_COLUMNS)


def _display(value: float, kind: str):
    """How a person types the value into the template: 是/否 for 0/1, integers as int."""
    if kind == "binary":
        return "是" if value == 1 else "否"
    if float(value).is_integer():
        return int(value)
    return float(value)


def write_sample(out: str | Path, catalog: Catalog | None = None, seed: int = SEED, *,
                 csv_dir: str | Path | None = None) -> list[Path]:
    """Write the sample county into ``out``: one workbook per township and the county
    workbook — exactly what an analyst receives, so ``out`` loads without a single issue.
    The county workbook names the rater groups (评议人类别) in Chinese, as a clerk types them.

    With ``csv_dir``, CSV copies of every sheet go there (a separate folder: loading a
    folder reads it recursively, and copies beside the workbooks would be duplicates).
    Returns the files written.
    """
    from .catalog import header_label
    from .documents.template import write_template

    catalog = catalog or load_catalog()
    sample = make_sample(catalog, seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv_dir = Path(csv_dir) if csv_dir is not None else None
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
    ind = catalog.indicators.set_index("id")
    obs = sample.observations.assign(sheet=lambda d: d["indicator"].map(ind["sheet"]),
                                     kind=lambda d: d["indicator"].map(ind["kind"]))
    values: dict = {}
    for r in obs.itertuples():
        key = (r.sheet, r.township, catalog.village_name(r.unit_id, r.year) if r.level == "village" else None,
               int(r.year))
        values.setdefault(key, {})[r.indicator] = _display(r.value, r.kind)
    written = []
    for town in catalog.townships["unit_name"]:
        written.append(write_template(out / f"{town}.xlsx", years=catalog.years, township=town,
                                      catalog=catalog, values=values))
        for sheet in catalog.input_sheets if csv_dir is not None else ():
            inds = catalog.sheet_indicators(sheet)
            rows = [(k, v) for k, v in values.items() if k[0] == sheet and k[1] == town]
            is_village = sheet == catalog.sheets["village"]
            head = ["乡镇"] + (["村（社区）"] if is_village else []) + ["年度"]
            table = pd.DataFrame(
                [[k[1]] + ([k[2]] if is_village else []) + [k[3]] + [v.get(i) for i in inds["id"]]
                 for k, v in rows],
                columns=head + [header_label(n, u) for n, u in zip(inds["name"], inds["unit"])])
            written.append(_csv(table, csv_dir / f"{town}_{sheet}.csv"))
    names = dict(zip(catalog.review.rater_groups["id"], catalog.review.rater_groups["name"]))
    sample = replace(sample, ballots=sample.ballots.assign(rater_group=sample.ballots["rater_group"].map(names)),
                     ballot_sheets=sample.ballot_sheets.assign(
                         rater_group=sample.ballot_sheets["rater_group"].map(names)))
    tables = _county_tables(sample, list(catalog.secretaries["name"]))
    written.append(_county_workbook(tables, out / COUNTY_WORKBOOK))
    from .documents._sample_narrative import SAMPLE_TOWNSHIPS, write_sample_narrative

    if set(SAMPLE_TOWNSHIPS) <= set(catalog.townships["unit_name"]):   # the words are the sample county's
        written.append(write_sample_narrative(out))
    for sheet, table in tables.items() if csv_dir is not None else ():
        written.append(_csv(table, csv_dir / f"县级数据_{sheet}.csv"))
    return written


def _county_tables(sample: Sample, secretaries: list[str]) -> dict[str, pd.DataFrame]:
    """{sheet: the table as typed} of the county workbook; the 考核细则's sheets only when they
    have rows (a catalogue without ``[assessment]`` has none)."""
    tables = {}
    for key, (sheet, headers) in COUNTY_SHEETS.items():
        frame = getattr(sample, key)
        if key in ("adjustments", "checklist", "ballot_sheets") and frame.empty:
            continue
        if key == "ballot_sheets":
            tables[sheet] = ballot_sheet_table(frame, headers, secretaries)
            continue
        if key == "checklist":
            frame = frame.assign(done=frame["done"].map({True: "是", False: "否"}))
        if key == "adjustments":                          # 分值 as typed: 2, not 2.0
            frame = frame.assign(points=pd.Series([None if pd.isna(v) else _display(v, "") for v in frame["points"]],
                                                  index=frame.index, dtype=object))
        tables[sheet] = _county_table(frame, headers)
    return tables


def _county_table(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    frame = frame.copy()
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].dt.date
    return frame[list(headers)].rename(columns=headers)


def _csv(table: pd.DataFrame, path: Path) -> Path:
    from .documents._xlsx import csv_safe

    csv_safe(table).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


def _county_workbook(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from .documents._xlsx import display_width, save_workbook, write_cell

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, table in tables.items():
        ws = wb.create_sheet(sheet)
        for j, head in enumerate(table.columns, start=1):
            cell = write_cell(ws, 1, j, head)
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B22222")
            longest = max([display_width(head), *(display_width(v) for v in table[head].dropna().astype(str).unique())])
            ws.column_dimensions[cell.column_letter].width = min(max(longest + 2, 8), 36)
        for i, row in enumerate(table.itertuples(index=False), start=2):
            for j, value in enumerate(row, start=1):
                if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
                    continue
                cell = write_cell(ws, i, j, value.item() if hasattr(value, "item") else value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    return save_workbook(wb, path)
