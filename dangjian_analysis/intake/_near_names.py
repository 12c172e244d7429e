"""Private: what to say about a village name the catalogue does not know.

A name that matches no village of the township (no name, former name, alias or short form)
is a typo or a rename the catalogue has not recorded yet. :func:`unknown_village` says which
village of that year it is close to (the same short form, 联家社区 ~ 联家村, or one character
apart, 联佳村 ~ 联家村) and gives both ways out: the clerk corrects the name, or the analyst
records the rename with the exact catalogue line (``{ id = "T01V02", name = "联家社区",
renamed = { from = "联家村", year = 2016 } }``), the village's other history kept.
"""

from __future__ import annotations

import difflib
import json

import pandas as pd

from ..catalog.units import clean_name, short_name

__all__ = ["unknown_village"]

#: How alike two names must be (difflib ratio) to be offered as the one meant: 联佳村 ~ 联家村 is 0.67.
_CLOSE = 0.6


def unknown_village(catalog, town: str, raw, year: int) -> str:
    """The message for ``raw``, a village name no village of ``town`` ever had, in ``year``."""
    text = f"村（社区）“{raw}”不在{town}的名录中"
    candidates = _candidates(catalog, town, year)
    scores = {u: max(_closeness(raw, n) for n in names) for u, names in candidates.items()}
    best = max(scores.values(), default=0.0)
    near = [u for u, s in scores.items() if s == best and s >= _CLOSE]
    how = (f"如该村已更名，请县委组织部在指标体系名录中该村一行写明 renamed = {{ from = \"原名称\", year = {year} }}"
           f"（写法见导出的指标体系中名录前的说明）")
    if not near or len(near) > 3:
        return f"{text}；请按名录填写 {year} 年的村名。{how}"
    if len(near) > 1:
        listed = "、".join(f"“{catalog.village_name(u, year)}”" for u in near)
        return f"{text}，与名录中的{listed}相近；请按名录改正村名。{how}"
    unit_id = near[0]
    now = catalog.village_name(unit_id, year)
    line = _renamed_line(catalog, unit_id, catalog._aliases["names"][unit_id], str(raw).strip(), year)
    if line is None:
        return f"{text}，与 {year} 年名录中的“{now}”相近；如是笔误，请改为“{now}”。{how}"
    if "renamed" in line:
        renamed = f"如该村已于 {year} 年更名为“{raw}”"
        note = "（year 为启用新名称的年度）"
    else:
        renamed, note = f"如该村现名“{raw}”", ""
    return (f"{text}，与 {year} 年名录中的“{now}”相近：如是笔误，请改为“{now}”；{renamed}，"
            f"请县委组织部在指标体系名录中把该村一行改为 {line}{note}")


#: (catalogue hash, township, year) → {unit id: every name and alias} of the villages that year
_CANDIDATES: dict[tuple, dict] = {}


def _candidates(catalog, town: str, year: int) -> dict:
    """The villages of ``town`` that exist in ``year``, each with every name it had and its aliases."""
    key = (catalog.sha256, town, year)
    if key not in _CANDIDATES:
        if len(_CANDIDATES) > 256:
            _CANDIDATES.clear()
        timelines = catalog._aliases["names"]             # unit id → [(name, first year, last year)]
        villages = catalog.villages_in(year)
        villages = villages[villages["township"] == town]
        _CANDIDATES[key] = {r.unit_id: [n for n, _, _ in timelines[r.unit_id]] + list(r.aliases)
                            for r in villages.itertuples()}
    return _CANDIDATES[key]


def _closeness(a, b) -> float:
    """1 for the same short form (联家社区, 联家村), else how alike the names are (0–1), a name
    that begins alike a little closer (梅园村: 梅源村 before 园庄村)."""
    a, b = clean_name(a), clean_name(b)
    if short_name(a) == short_name(b):
        return 1.0
    prefix = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return difflib.SequenceMatcher(None, a, b).ratio() + 0.01 * prefix


def _renamed_line(catalog, unit_id: str, timeline: list, new: str, year: int) -> str | None:
    """The catalogue line of ``unit_id`` renamed ``new`` from ``year`` on, its history kept; None
    when ``year`` is not in the span of its current name (a rename would not be the last)."""
    name, lo, hi = timeline[-1]
    if not lo <= year <= hi:
        return None
    row = catalog.villages.set_index("unit_id").loc[unit_id]
    q = lambda s: json.dumps(str(s), ensure_ascii=False)   # noqa: E731 - a TOML basic string
    parts = [f"id = {q(unit_id)}", f"name = {q(new)}"]
    if len(row["aliases"]):
        parts.append(f"aliases = [{', '.join(q(a) for a in row['aliases'])}]")
    renames = [(old, old_hi + 1) for old, _, old_hi in timeline[:-1]]
    if year > max(lo, catalog.first_year):       # else the current name itself was wrong: replaced
        renames.append((name, year))
    entries = [f"{{ from = {q(old)}, year = {y} }}" for old, y in renames]
    if entries:
        parts.append(f"renamed = {entries[0] if len(entries) == 1 else '[' + ', '.join(entries) + ']'}")
    links = {key: row[key] if isinstance(row[key], tuple) else None for key in ("merged_into", "split_from")}
    for key, link in links.items():
        if link is not None:
            parts.append(f"{key} = {{ id = {q(link[0])}, year = {link[1]} }}")
    for key, implied in (("since", "split_from"), ("until", "merged_into")):
        if links[implied] is None and pd.notna(row[key]):            # else implied by the link's year
            parts.append(f"{key} = {int(row[key])}")
    return "{ " + ", ".join(parts) + " }"
