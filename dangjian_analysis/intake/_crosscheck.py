"""Private: checks across the whole batch once every file is read — the same value given
twice (identical: kept once; conflicting: all rejected, every cell named; a township-year
that two files give with different values: one error naming the files, neither used; with the
same values: one warning naming the files, used once), county rows
given twice, villages missing from a township-year that reported villages, and values that
changed implausibly since the previous year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.tables import OBSERVATION_COLUMNS
from ._values import is_money, number_text as num

__all__ = ["resolve_duplicates", "resolve_table_duplicates", "warn_missing_villages", "warn_year_on_year"]


def resolve_duplicates(batch) -> pd.DataFrame:
    """Observations with duplicates resolved: identical ones once (warning), conflicting
    ones rejected (error naming every cell)."""
    cols = [*OBSERVATION_COLUMNS, "_file"]
    arrays = {c: np.concatenate([b[i] for b in batch.obs]) if batch.obs else [] for i, c in enumerate(cols)}
    if not len(arrays["value"]):
        return pd.DataFrame(arrays)[OBSERVATION_COLUMNS]
    arrays["year"], arrays["value"] = arrays["year"].astype(int), arrays["value"].astype(float)
    key = _unit_codes(batch, arrays["unit_id"]) * 10_000 + arrays["year"]
    key = key * len(batch.meta) + pd.Categorical(arrays["indicator"], categories=list(batch.meta)).codes
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if not dup.any():                   # the common case: the frame without copies
        return pd.DataFrame({c: arrays[c] for c in OBSERVATION_COLUMNS})
    obs = pd.DataFrame(arrays)
    drop = _given_twice(batch, obs, dup)
    if drop:                            # the rest: duplicates within one file, or identical
        kept = ~obs.index.isin(drop)
        dup = np.zeros(len(obs), bool)
        dup[kept] = pd.Series(key[kept]).duplicated(keep=False).to_numpy()
    across: dict[tuple, dict] = {}          # (township, files) → {year: values given alike in each file}
    for _, group in obs[dup].groupby(["unit_id", "year", "indicator"], sort=False):
        first = group.iloc[0]
        if group["value"].nunique() == 1:
            drop += list(group.index[1:])
            files = tuple(dict.fromkeys(group["_file"]))
            if len(files) == len(group) > 1:       # once in each of several files: said once for them all
                per_year = across.setdefault((first["township"], files), {})
                per_year[int(first["year"])] = per_year.get(int(first["year"]), 0) + 1
                continue
        where = "、".join(f"{batch.shown(f)} {s} {c}".strip() for f, s, c in
                         zip(group["source_file"], group["source_sheet"], group["source_cell"]))
        label = f"{first['unit_name']} {first['year']} 年 {batch.meta[first['indicator']][5]}"
        if group["value"].nunique() == 1:
            for r in group.iloc[1:].itertuples():
                batch.issue(r.source_file, r.source_sheet, r.source_cell, "warning", "duplicate_same",
                            f"{label} 重复填报（{where}），数值相同，只采用一次")
        else:
            drop += list(group.index)
            values = "、".join(num(v) for v in group["value"])
            for fidx, file, sheet, cell in zip(group["_file"], group["source_file"],
                                               group["source_sheet"], group["source_cell"]):
                count = batch.sheet_count(fidx, sheet)
                count["cells_accepted"] -= 1
                count["cells_rejected"] += 1
                batch.issue(file, sheet, cell, "error", "duplicate_conflict",
                            f"{label} 重复填报且数值不同（{values}；见 {where}），均未采用，请核实")
    _same_files(batch, obs, across)
    return obs.drop(index=drop)[OBSERVATION_COLUMNS].reset_index(drop=True)


def _same_files(batch, obs: pd.DataFrame, across: dict) -> None:
    """A township's years that several files give with the same values (a copy saved beside the
    original, or one file in two folders given): one warning naming the files, on the file whose
    values are not used (every file but the first read), instead of one per cell. ``across``:
    (township, file indices) → {year: the number of values given alike in each of them}."""
    for (town, fidxs), per_year in across.items():
        years = sorted(per_year)
        rows = obs[(obs["township"] == town) & obs["year"].isin(years) & obs["_file"].isin(fidxs)]
        paths = {fidx: path for fidx, path in zip(rows["_file"], rows["source_file"])}
        given = rows.groupby("_file").size()
        whole = all(given.get(f, 0) == sum(per_year.values()) for f in fidxs)
        shown = sorted((batch.shown(paths[f]) for f in fidxs), key=lambda name: (len(name), name))
        many = "两个" if len(fidxs) == 2 else f"{len(fidxs)} 个"
        what = "内容相同，只采用一次；请删去其中一个" if whole else \
            f"其中 {sum(per_year.values())} 个数值在各文件中相同，只采用一次；请核实并删去重复的文件或部分"
        if not whole:
            what = "都有数据，" + what
        batch.issue(paths[fidxs[-1]], "", "", "warning", "duplicate_same",
                    f"{town} {_years_text(years)} 年在{many}文件中（{'、'.join(shown)}），{what}")


def _years_text(years: list[int]) -> str:
    """2016; 2012—2015 for a run of years; 2012、2014 otherwise."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}"
    return "、".join(map(str, years))


def _given_twice(batch, obs: pd.DataFrame, dup: np.ndarray) -> list:
    """A township-year that two files both give, with some value differing (the clerk's corrected
    copy saved beside the first): one error naming the files, and every value of that
    township-year in those files rejected, so that neither is used silently."""
    twice = obs[dup]
    keys = ["unit_id", "year", "indicator"]
    spread = twice.groupby(keys, sort=False).agg(files=("_file", "nunique"), values=("value", "nunique"))
    clash = spread[(spread["files"] > 1) & (spread["values"] > 1)]
    if clash.empty:
        return []
    hit = twice.set_index(keys).index.isin(clash.index)
    files: dict[tuple, set] = {}
    for town, year, fidx in zip(*(twice[c].to_numpy()[hit] for c in ("township", "year", "_file"))):
        files.setdefault((town, int(year)), set()).add(fidx)
    drop = []
    for (town, year), fidxs in files.items():
        rows = obs[(obs["township"] == town) & (obs["year"] == year) & obs["_file"].isin(fidxs)]
        drop += list(rows.index)
        for (fidx, sheet), n in rows.groupby(["_file", "source_sheet"]).size().items():
            count = batch.sheet_count(fidx, sheet)
            count["cells_accepted"] -= n
            count["cells_rejected"] += n
        paths = list(rows.sort_values("_file").drop_duplicates("_file")["source_file"])
        many = "两个" if len(paths) == 2 else f"{len(paths)} 个"
        batch.issue(paths[0], "", "", "error", "duplicate_file",
                    f"{town} {year} 年在{many}文件中：{'、'.join(batch.shown(f) for f in paths)}；请只保留一个"
                    f"（删去{'另一个' if len(paths) == 2 else '其余'}之前，{town} {year} 年的数据都不采用）")
    return drop


def _unit_codes(batch, unit_ids) -> np.ndarray:
    """Integer code of each unit id (townships, then villages, in catalogue order)."""
    units = [*batch.catalog.townships["unit_id"], *batch.catalog.villages["unit_id"]]
    return pd.Categorical(unit_ids, categories=units).codes.astype(np.int64)


def warn_missing_villages(batch, obs: pd.DataFrame) -> None:
    """Villages of a township-year that reported villages, but without any row; only villages
    that existed that year (:meth:`Catalog.villages_in`: none merged away, none not yet formed)."""
    level, year = obs["level"].to_numpy(), obs["year"].to_numpy()
    town = obs["township"].to_numpy()
    first_year, span = (int(year.min()), int(year.max() - year.min()) + 1) if year.size else (0, 1)
    key = pd.factorize(town)[0].astype(np.int64) * span + (year - first_year)     # one per township-year
    is_town, is_village = level == "township", level == "village"
    town_rows = np.flatnonzero(is_town)
    firsts = town_rows[np.sort(np.unique(key[town_rows], return_index=True)[1])]   # each township-year once
    files = obs["source_file"].to_numpy()
    for r in firsts[~np.isin(key[firsts], key[is_village])]:
        batch.issue(files[r], batch.catalog.sheets["village"], "", "warning", "missing_village",
                    f"{town[r]} {year[r]} 年没有任何村级数据")
    if not is_village.any():
        return
    villages, towns = batch.catalog.villages, list(batch.catalog.townships["unit_name"])
    first = int(year[is_village].min())
    years = year[is_village] - first
    n_years = int(year[is_village].max()) - first + 1
    v_code = pd.Categorical(obs["unit_id"].to_numpy()[is_village], categories=villages["unit_id"]).codes
    t_code = pd.Categorical(town[is_village], categories=towns).codes
    present = np.zeros((len(villages), n_years), bool)
    present[v_code, years] = True
    reported = np.zeros((len(towns), n_years), bool)
    reported[t_code, years] = True
    village_town = pd.Categorical(villages["township"], categories=towns).codes
    span = first + np.arange(n_years)
    exists = (villages["since"].fillna(0).to_numpy(int)[:, None] <= span) & \
        (villages["until"].fillna(9999).to_numpy(int)[:, None] >= span)
    missing = reported[village_town] & ~present & exists
    if not missing.any():
        return
    village_obs = obs[is_village]
    first_file = village_obs.drop_duplicates(["township", "year"]).set_index(["township", "year"])["source_file"]
    for v, y in zip(*np.nonzero(missing)):
        town, year = villages["township"].iloc[v], first + int(y)
        batch.issue(first_file[(town, year)], batch.catalog.sheets["village"], "", "warning", "missing_village",
                    f"{town} {year} 年缺少 {batch.catalog.village_name(villages['unit_id'].iloc[v], year)} 的数据")


def resolve_table_duplicates(batch) -> None:
    """County rows given twice (e.g. the workbook and its CSV copy): identical ones are kept
    once with a warning; rows with the same key but different values are all rejected."""
    labels = {"ballots": "评议计票", "ledger": "四风台账", "links": "驻点联系"}
    key_fields = {"ballots": (0, 1, 3, 4, 5), "ledger": (0, 1), "links": (0, 2, 3)}
    for table, rows in batch.tables.items():
        if rows.known_unique():
            continue
        keys = list(zip(*(rows.column(k) for k in key_fields[table])))
        if len(set(keys)) == len(keys):            # the common case: nothing given twice
            continue
        table_rows, rows = rows, rows.rows()
        groups: dict[tuple, list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault(key, []).append(i)
        drop = set()
        for members in groups.values():
            if len(members) < 2:
                continue
            where = "、".join(f"{batch.shown(rows[i][-4])} {rows[i][-3]} {rows[i][-2]}".strip() for i in members)
            values = {rows[i][:-4] for i in members}
            later = _later_state(table, [rows[i] for i in members])
            if later is not None:                  # a 四风 item carried from last year and closed this year
                keep = members[later]
                drop.update(m for m in members if m != keep)
                for i in members:
                    if i != keep:
                        batch.issue(rows[i][-4], rows[i][-3], rows[i][-2], "warning", "ledger_update",
                                    f"{labels[table]}同一事项在两处（{where}）：采用已销号的记录，另一条为此前的状态")
                continue
            if len(values) == 1:
                drop.update(members[1:])
                for i in members[1:]:
                    batch.issue(rows[i][-4], rows[i][-3], rows[i][-2], "warning", "duplicate_same",
                                f"{labels[table]}重复（{where}），内容相同，只采用一次")
            else:
                drop.update(members)
                for i in members:
                    n = sum(1 for v in rows[i][:-4] if v not in (None, ""))
                    count = batch.sheet_count(rows[i][-1], rows[i][-3])
                    count["cells_accepted"] -= n
                    count["cells_rejected"] += n
                    batch.issue(rows[i][-4], rows[i][-3], rows[i][-2], "error", "duplicate_conflict",
                                f"{labels[table]}同一条记录出现多次且内容不同（见 {where}），均未采用，请核实")
        table_rows.set_rows([r for i, r in enumerate(rows) if i not in drop])


def _later_state(table: str, records: list) -> int | None:
    """For a 四风 item given twice — last year's record still open, this year's with its closing
    date — the position of the later state: the records agree on the item (description, opened,
    due) and exactly one has a closing date. None otherwise (a real conflict, or not the ledger).
    Fields as :data:`~dangjian_analysis.catalog.tables.LEDGER_COLUMNS`: township, item_id,
    description, opened, due, closed, status."""
    if table != "ledger" or len({tuple(r[2:5]) for r in records}) != 1:
        return None
    closed = [k for k, r in enumerate(records) if r[5] not in (None, "")]
    return closed[0] if len(closed) == 1 else None


def warn_year_on_year(batch, obs: pd.DataFrame) -> None:
    """A value that changed beyond the catalogue's factor since the previous year loaded for the
    same unit and indicator (×``yoy_factor`` either way; percentages: more than ``yoy_points``
    points; ordinal indicators (``ordinal``): two levels or more toward the worse end, or from
    one end of the scale to the other — the marks of a scale read backwards (4 → 1 typed for the
    best) — while moving up two grades, the aim of 晋位升级, is not questioned) is a warning at
    the later cell naming both cells and the likely cause (for an ordinal, which end is best;
    its code ``year_on_year_level``, a hint that does not hold the result).

    ``obs`` holds one row per unit, year and indicator (as :func:`resolve_duplicates` gives)."""
    cat = batch.catalog.indicators.set_index("id")
    if obs.empty or "yoy_factor" not in cat:
        return
    indicator, ind = obs["indicator"].to_numpy(), pd.factorize(obs["indicator"])
    year = obs["year"].to_numpy()
    span = int(year.max() - year.min()) + 2
    base = (pd.factorize(obs["unit_id"])[0].astype(np.int64) * (len(ind[1]) + 1) + ind[0]) * span
    offset = year - year.min()
    rows = pd.Index(base + offset + 1).get_indexer(base + offset)     # the same unit and indicator a year before
    now_at = np.flatnonzero(rows >= 0)                 # in the order of ``obs``
    prev_at = rows[now_at]
    file, sheet, cell = (obs[c].to_numpy() for c in ("source_file", "source_sheet", "source_cell"))
    questioned = {(i[0], i[1], i[2]) for i in batch.issues if i[4] == "implausible"}
    if questioned:       # a previous value already questioned is no yardstick for this year's
        keep = np.array([(file[k], sheet[k], cell[k]) not in questioned for k in prev_at], bool)
        now_at, prev_at = now_at[keep], prev_at[keep]
    factor = cat["yoy_factor"].reindex(ind[1]).astype(float).to_numpy()[ind[0][now_at]]
    points = cat["yoy_points"].reindex(ind[1]).astype(float).to_numpy()[ind[0][now_at]]
    value = obs["value"].to_numpy(float)
    now, before = value[now_at], value[prev_at]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((now > 0) & (before > 0), now / before, np.nan)
        # "more than" the limit, with a margin far below any typed decimal: exactly ×10 or 50 points typed in
        # decimals (6 → 0.6 is 0.09999999999999999, 20.4 → 70.4 is 50.00000000000001) is not more than the limit
        tol = 1 + 1e-9
        jump = (ratio > factor * tol) | (ratio * factor * tol < 1) | (np.abs(now - before) > points * tol)
    ordinal = cat["ordinal"].reindex(ind[1]).fillna(False).to_numpy(dtype=bool)[ind[0][now_at]] \
        if "ordinal" in cat else np.zeros(len(now_at), dtype=bool)
    if ordinal.any():          # an ordinal: two levels or more toward the worse end, or end to end
        span = (cat["valid_hi"] - cat["valid_lo"]).reindex(ind[1]).to_numpy(dtype=float)[ind[0][now_at]]
        lower = (cat["direction"] == "lower").reindex(ind[1]).to_numpy(dtype=bool)[ind[0][now_at]]
        worse = np.where(lower, now - before, before - now)
        jump = np.where(ordinal, (worse >= 2) | (-worse >= span), jump)
    names = obs["unit_name"].to_numpy()
    for k in np.flatnonzero(jump):
        r, p = now_at[k], prev_at[k]
        name, unit = cat.at[indicator[r], "name"], cat.at[indicator[r], "unit"]
        where = f"{batch.shown(file[p])} {sheet[p]} {cell[p]}".strip()
        if ordinal[k]:
            batch.issue(file[r], sheet[r], cell[r], "warning", "year_on_year_level", _level_change(
                batch.catalog, indicator[r], names[r], before[k], now[k], f"{year[r] - 1} 年，{where}"))
            continue
        batch.issue(file[r], sheet[r], cell[r], "warning", "year_on_year",
                    f"{names[r]} {name}：{num(value[r])}（{unit}），与上年（{year[r] - 1} 年，{where}："
                    f"{num(value[p])}）相比{_change(ratio[k], now[k] - before[k], unit)}")


def _level_change(catalog, indicator: str, unit_name: str, before: float, now: float, where: str) -> str:
    """An ordinal's change of two levels or more, with which end is best: ``联家村 党组织等次：由上年
    4 级（2015 年，东山镇.xlsx 村级指标 D9）变为 1 级（相差 3 级；1 级最差、4 级最好，请核对）``."""
    from ..catalog.clerk_rules import clerk_rules, level_text

    row = catalog.indicator(indicator)
    best = clerk_rules(catalog, indicator)[1]              # the unit, then which end is best
    return (f"{unit_name} {row['name']}：由上年 {level_text(row, before)}（{where}）变为 {level_text(row, now)}"
            f"（相差 {num(abs(now - before))} {row['unit']}；{best}，请核对）")


def _change(ratio: float, diff: float, unit: str) -> str:
    """How a value changed and its likely cause, in words (元 and 万元 only for money)."""
    if unit == "%" or not np.isfinite(ratio):
        return f"变化 {num(diff, sign=True)}{' 个百分点' if unit == '%' else ''}，请核实"
    big = ratio >= 1
    times = ratio if big else 1 / ratio
    if 5000 <= times <= 20000 and is_money(unit):
        cause = "请核实单位是否为万元（元与万元相差 1 万倍）" if big else "请核实是否把元误填成了万元（相差 1 万倍）"
        return f"约为上年的 {'1 万倍' if big else '1 万分之一'}，{cause}"
    shown = f"{times:.0f}" if 5 <= times <= 20 else num(round(times, 1))
    size = f"是上年的 {shown} 倍" if big else f"只有上年的 1/{shown}"
    if 5 <= times <= 20:
        return f"{size}，请核实是否多输或少输了一位数字"
    return f"{size}，请核实"
