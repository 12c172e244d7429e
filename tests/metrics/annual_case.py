"""A small county for the annual-result tests: 5 township units and 3 县直 units, a one-item
rubric whose totals a test sets by ledger entries, and a Dataset-like holder of the tables."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pandas as pd

from dangjian_analysis.catalog.assessment import build_assessment

TOWNS = ["东山镇党委", "西河乡党委", "南岭镇党委", "北塘镇党委", "青石乡党委"]
COUNTY = ["县直机关工委", "县教育工委", "县卫生系统党委"]
TOWN, DEPT = "乡镇党委书记", "县直党（工）委书记"
#: 严重程度 → points of the one per_incident item: any total in steps of 0.25 is a few entries.
SEVERITY = {"严重": 10, "一般": 1, "轻微": 0.25}


def rubric(**changes) -> dict:
    raw = {
        "name": "测试考核", "points": 100, "bonus_cap": 5,
        "items": [{"id": "A01", "name": "日常工作", "points": 100,
                   "rule": {"kind": "per_incident", "by_severity": SEVERITY}}],
        "bonus": [{"id": "J01", "name": "省级表彰", "each": 1, "cap": 5}],
        "deductions": [{"id": "K01", "name": "通报批评", "each": 2}],
        "vetoes": [{"id": "F01", "name": "严重违纪", "effect": "not_top"},
                   {"id": "F02", "name": "弄虚作假", "effect": "disqualify"}],
        "grades": [{"grade": "好", "min": 90, "quota": "1/3"}, {"grade": "较好", "min": 80},
                   {"grade": "一般", "min": 60}, {"grade": "差"}],
        "consequences": [{"grade": "好", "text": "通报表扬"},
                         {"grade": "差", "text": "通报批评，约谈党组织书记", "rectify_days": 30}],
    }
    raw.update(changes)
    return raw


def catalog_with(base, raw: dict):
    """The default catalogue with 8 secretaries (5 township, 3 县直) and the rubric ``raw``."""
    sec = base.secretaries
    sec = sec[sec["unit"].isin(TOWNS + COUNTY)].reset_index(drop=True)
    asm = build_assessment(raw, base.indicators, classes=(TOWN, DEPT))
    return dataclasses.replace(base, secretaries=sec, assessment=asm)


def lost(unit: str, points: float, year: int = 2016) -> list[dict]:
    """Ledger rows taking ``points`` off the 100 of A01 (at least one row, so that the unit has data)."""
    rows, left = [], points
    for severity, each in SEVERITY.items():
        n = int(round(left // each))
        rows += [{"year": year, "unit": unit, "item": "A01", "role": severity}] * n
        left = round(left - n * each, 9)
    assert left == 0, points
    return rows or [{"year": year, "unit": unit, "item": "J01", "role": None}]


def entry(unit: str, item: str, n: int = 1, year: int = 2016, role=None) -> list[dict]:
    return [{"year": year, "unit": unit, "item": item, "role": role}] * n


def ledger(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "unit", "item", "role"])
    frame["points"] = float("nan")
    frame["source_file"], frame["source_sheet"] = "县级汇总.xlsx", "加减分台账"
    frame["source_cell"] = [f"C{r}" for r in range(3, 3 + len(frame))]
    return frame


def dataset(cat, rows: list[dict], checklist=None, observations=None):
    obs = observations if observations is not None else pd.DataFrame(
        columns=["unit_id", "unit_name", "level", "township", "year", "indicator", "value"])
    return SimpleNamespace(observations=obs, adjustments=ledger(rows), checklist=checklist, catalog=cat)


def routines(totals: dict[str, float], year: int = 2016) -> list[dict]:
    """Ledger rows giving each unit the rubric total ``totals[unit]`` (no bonus)."""
    return [r for unit, total in totals.items() for r in lost(unit, 100 - total, year)]


NO_REVIEW = pd.DataFrame(columns=["year", "secretary", "rater_group", "score"])
