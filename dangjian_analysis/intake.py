"""Intake: load returned workbooks and CSV exports into tidy tables, with validation.

:func:`load` reads any number of files or folders and returns a :class:`Dataset`.
It never raises for bad data or bad files: each problem becomes a row of
``Dataset.issues`` naming file, sheet and cell in Chinese, and every input file gets a
row of ``Dataset.files`` with ``cells_read = cells_accepted + cells_rejected +
cells_empty``. Workbooks are checked by :mod:`dangjian_analysis._safety` before
python-calamine reads them; formulas and macros are never evaluated.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._fetch import READABLE_SUFFIXES, Fetched, Sheet, collect_files, internal_error, prefetch
from ._county import CountyRows
from ._values import ERROR, OK, norm_text as _norm, parse_value, parse_year
from .catalog import Catalog, load_catalog
from .model import (BALLOT_COLUMNS, COUNTY_SHEETS, FILE_COLUMNS, ISSUE_COLUMNS, LEDGER_COLUMNS, LINK_COLUMNS, OBSERVATION_COLUMNS, PROVENANCE, as_dates)

__all__ = ["Dataset", "load", "collect_files", "READABLE_SUFFIXES"]

_KEY_ALIASES = {"township": {"乡镇", "乡镇名称", "乡（镇）", "乡镇（街道）", "township"},
                "village": {"村（社区）", "村", "村名", "社区", "村（社区）名称", "村社区", "village"},
                "year": {"年度", "年份", "年", "year"}}
_HEADER_SCAN = 10


@dataclass(frozen=True)
class Dataset:
    """Everything :func:`load` read: tidy tables plus what validation found.

    Attributes
    ----------
    observations : DataFrame
        ``unit_id, unit_name, level, township, year, indicator, value, source_file,
        source_sheet, source_cell``: one row per accepted value.
    ballots, ledger, links : DataFrame
        The county workbook's tables (see :mod:`dangjian_analysis.model`) with provenance.
    issues : DataFrame
        ``file, sheet, cell, severity, code, message``.
    files : DataFrame
        ``file, status, cells_read, cells_accepted, cells_rejected, cells_empty``.
    """

    observations: pd.DataFrame
    ballots: pd.DataFrame
    ledger: pd.DataFrame
    links: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    catalog: Catalog

    @property
    def n_errors(self) -> int:
        """Number of error issues."""
        return int((self.issues["severity"] == "error").sum())

    @property
    def n_warnings(self) -> int:
        """Number of warning issues."""
        return int((self.issues["severity"] == "warning").sum())


@functools.lru_cache(maxsize=1024)
def _col(j: int) -> str:
    """Column letter of a 0-based column index: 0 → A, 26 → AA."""
    name = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        name = chr(65 + r) + name
    return name


@dataclass
class _Staged:
    """One sheet's data rows, keys resolved, waiting for the batch-wide value check."""

    fidx: int
    file: str
    sheet: str
    csv_mode: bool
    labels: list
    cols: list[int]
    ids: list[str]
    level: str
    rows: list[tuple]          # (sheet row index, values, unit tuple or None, bad key cell or None)
    formula_missing: set
    formula_cached: set
    percent: set = frozenset()         # cells formatted as a percentage in Excel (85% stored as 0.85)


class _CellIndex:
    """Addresses of staged cells from their sheet, row and column positions."""

    def __init__(self, reader: "_Reader", stage, ri, ci):
        self.reader, self.stage, self.ri, self.ci = reader, stage, ri, ci

    def address(self, k: int) -> str:
        st = self.reader.staged[self.stage[k]]
        return self.reader.cell(st.csv_mode, st.rows[self.ri[k]][0], st.cols[self.ci[k]], st.labels)

    def addresses(self, keep) -> np.ndarray:
        """Addresses of many cells: vectorised for workbooks, one by one for CSV."""
        staged = self.reader.staged
        stage = self.stage[keep]
        offsets = np.concatenate([[0], np.cumsum([len(st.rows) for st in staged])[:-1]])
        sheet_row = np.concatenate([[row[0] for row in st.rows] for st in staged])
        col_start = np.concatenate([[0], np.cumsum([len(st.cols) for st in staged])[:-1]])
        col_number = np.concatenate([st.cols for st in staged])[col_start[stage] + self.ci[keep]]
        letters = np.array([_col(j) for j in range(int(col_number.max(initial=0)) + 1)], dtype=object)
        out = letters[col_number] + (sheet_row[offsets[stage] + self.ri[keep]] + 1).astype(str).astype(object)
        csv_mode = np.array([st.csv_mode for st in staged])[stage]
        for k in np.flatnonzero(csv_mode):
            out[k] = self.address(keep[k])
        return out


class _Lookup:
    """Header text → field id, built once from the catalogue."""

    def __init__(self, catalog: Catalog):
        from .template import header_label

        self.by_text: dict[str, str] = {}
        for key, names in _KEY_ALIASES.items():
            for n in names:
                self.by_text[_norm(n)] = key
        for ind in catalog.indicators.itertuples():
            for text in (ind.id, ind.name, header_label(ind.name, ind.unit), f"{ind.name}({ind.unit})",
                         f"{ind.name}（{ind.unit}）", *ind.aliases):
                self.by_text.setdefault(_norm(text), ind.id)
        self.ids = set(catalog.indicators["id"]) | set(_KEY_ALIASES)
        self.county = {}
        for table, (_, headers) in COUNTY_SHEETS.items():
            self.county[table] = {_norm(h): f for f, h in headers.items()} | {f: f for f in headers}

    def field(self, text) -> str | None:
        return self.by_text.get(_norm(text))


class _Reader:
    """Reads one batch: collects records and issues, then resolves duplicates."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.lookup = _Lookup(catalog)
        self.county = CountyRows(catalog)
        self.meta = {r.id: (r.kind, r.unit, bool(r.allow_negative), bool(r.required), r.level, r.name)
                     for r in catalog.indicators.itertuples()}
        self.required = {sheet: [] for sheet in catalog.input_sheets}   # required columns per input sheet
        for r in catalog.indicators.itertuples():
            if r.required:
                self.required[r.sheet].append((r.id, r.name))
        villages = catalog.villages
        self.village_ids = dict(zip(zip(villages["township"], villages["unit_name"]), villages["unit_id"]))
        self.town_ids = dict(zip(catalog.townships["unit_name"], catalog.townships["unit_id"]))
        self.obs: list[tuple] = []     # observation blocks: one array per column (+ file index)
        self.staged: list[_Staged] = []
        self.tables = {"ballots": [], "ledger": [], "links": []}
        self.issues: list[tuple] = []
        self.counts: list[dict] = []

    # -- bookkeeping -------------------------------------------------------
    def issue(self, file, sheet, cell, severity, code, message):
        self.issues.append((file, sheet, cell, severity, code, message))

    def new_file(self, path: Path) -> dict:
        count = {"file": str(path), "status": "loaded", "cells_read": 0, "cells_accepted": 0,
                 "cells_rejected": 0, "cells_empty": 0}
        self.counts.append(count)
        return count

    # -- files -------------------------------------------------------------
    def read(self, path: Path, fetched: Fetched) -> None:
        """Validate one file that :func:`~dangjian_analysis._fetch.fetch` has read."""
        count = self.new_file(path)
        name = str(path)
        try:
            if fetched.refusal:
                self.reject(count, *fetched.refusal)
                return
            for code, message in fetched.warnings:
                self.issue(name, "", "", "warning", code, message)
            for sheet in fetched.sheets:
                self.read_table(sheet, name, count)
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            self.drop_file(len(self.counts) - 1)
            self.reject(count, "internal_error", internal_error(exc))
            return
        if count["cells_read"] == 0 and not any(i[0] == name and i[3] == "error" for i in self.issues):
            self.issue(name, "", "", "warning", "no_data", "文件中没有找到可识别的填报数据（表头不符或为空表）")

    def drop_file(self, index: int) -> None:
        """Forget what a failed file had contributed, so that it is rejected whole."""
        name = self.counts[index]["file"]
        self.staged = [st for st in self.staged if st.fidx != index]
        for key in self.tables:
            self.tables[key] = [r for r in self.tables[key] if r[-1] != index]
        self.issues = [i for i in self.issues if i[0] != name]
        self.counts[index].update(cells_read=0, cells_accepted=0, cells_rejected=0, cells_empty=0)

    def reject(self, count: dict, code: str, message: str) -> None:
        count["status"] = "rejected"
        self.issue(count["file"], "", "", "error", code, message)

    # -- tables ------------------------------------------------------------
    def read_table(self, table: Sheet, file: str, count: dict):
        """Find the header (and hidden id row), then read the rows as indicators or a county table."""
        rows, sheet, csv_mode = table.rows, table.name, table.csv_mode
        header_row, id_row, mapping = self.find_header(rows)
        where = sheet or "CSV"
        if header_row is None:
            county = self.find_county(rows)
            if county is not None:
                kind, header_row, mapping = county
                self.read_county(kind, rows, header_row, mapping, file, sheet, count, csv_mode)
                return
            filled = sum(1 for r in rows for v in r if v not in (None, ""))
            if filled:
                self.issue(file, sheet, "", "warning", "unknown_sheet",
                           f"工作表“{where}”没有可识别的表头（需要“乡镇”“年度”等列），已跳过其中 {filled} 个非空单元格")
            return
        start = max(header_row, id_row if id_row is not None else -1) + 1
        labels = rows[header_row]
        known = sheet or Path(file).stem.split("_")[-1]
        if known in self.required:
            absent = [name for i, name in self.required[known] if i not in mapping]
            if absent:
                self.issue(file, sheet, "", "warning", "missing_column",
                           f"工作表“{known}”缺少指标列：{'、'.join(absent)}（这些指标将没有数据）")
        for j, fld in enumerate(mapping):
            if fld is None and j < len(labels) and labels[j] not in (None, ""):
                filled = sum(1 for r in rows[start:] if j < len(r) and r[j] not in (None, ""))
                if filled:
                    self.issue(file, sheet, self.cell(csv_mode, header_row, j, labels),
                               "warning", "unknown_column",
                               f"表头“{labels[j]}”不是指标体系中的指标，该列 {filled} 个值未读取")
        self.read_indicator_rows(table, start, mapping, labels, file, count)

    def find_header(self, rows):
        """(header row, id row, column → field) of an indicator sheet, or (None, None, None)."""
        for i, row in enumerate(rows[:_HEADER_SCAN]):
            ids = [v if isinstance(v, str) and v in self.lookup.ids else None for v in row]
            if "year" in ids and "township" in ids and sum(x is not None for x in ids) > 2:
                header = i - 1 if i > 0 else i
                labels = [self.lookup.field(v) for v in rows[header]] if header != i else ids
                mapping = [ids[j] or (labels[j] if j < len(labels) else None) for j in range(len(row))]
                return header, i, mapping
        for i, row in enumerate(rows[:_HEADER_SCAN]):
            fields = [self.lookup.field(v) if v not in (None, "") else None for v in row]
            if "year" in fields and "township" in fields and any(f in self.meta for f in fields):
                return i, None, fields
        return None, None, None

    def find_county(self, rows):
        for i, row in enumerate(rows[:_HEADER_SCAN]):
            normed = [_norm(v) for v in row]
            for table, lookup in self.lookup.county.items():
                fields = [lookup.get(v) for v in normed]
                if sum(f is not None for f in fields) >= len(COUNTY_SHEETS[table][1]) - 1:
                    return table, i, fields
        return None

    @staticmethod
    def cell(csv_mode: bool, i: int, j: int, labels) -> str:
        if csv_mode:
            head = labels[j] if j < len(labels) and labels[j] is not None else _col(j)
            return f"第{i + 1}行/{head}"
        return f"{_col(j)}{i + 1}"

    def read_indicator_rows(self, table: Sheet, start: int, mapping, labels, file: str, count: dict):
        """Stage the data rows of an indicator sheet: keys resolved row by row now, values
        checked for the whole batch at once by :meth:`check_staged`."""
        rows, sheet, csv_mode, formula_missing = table.rows, table.name, table.csv_mode, table.formula_missing
        key_cols = {f: j for j, f in enumerate(mapping) if f in _KEY_ALIASES}
        ind_cols = [(j, f) for j, f in enumerate(mapping) if f in self.meta]
        data = rows[start:]
        if not ind_cols or not data:
            return
        is_village = "village" in key_cols
        cols = [j for j, _ in ind_cols]
        n_cols, width = len(cols), max(cols) + 1
        pick = operator.itemgetter(*cols) if n_cols > 1 else (lambda r: (r[cols[0]],))
        block = [pick(r) if len(r) >= width else tuple(r[j] if j < len(r) else None for j in cols) for r in data]
        fidx = len(self.counts) - 1
        staged_rows = []
        for r, values in enumerate(block):
            i = start + r
            has_formula = formula_missing and any(self.cell(csv_mode, i, j, labels) in formula_missing for j in cols)
            if not has_formula and all(v is None or v == "" for v in values):
                if any(data[r][j] not in (None, "") for j in key_cols.values() if j < len(data[r])):
                    count["cells_read"] += n_cols
                    count["cells_empty"] += n_cols
                    self.issue(file, sheet, self.cell(csv_mode, i, 0, labels), "warning", "empty_row",
                               f"第 {i + 1} 行只有乡镇/村/年度，没有填写任何指标")
                continue
            unit, problem = self.resolve_keys(data[r], key_cols, is_village, i, labels, csv_mode)
            if problem:
                self.issue(file, sheet, *problem)
            staged_rows.append((i, values, unit, problem[0] if problem else None))
        if not staged_rows:
            return
        count["cells_read"] += n_cols * len(staged_rows)
        self.staged.append(_Staged(
            fidx=fidx, file=file, sheet=sheet, csv_mode=csv_mode, labels=labels, cols=cols,
            ids=[f for _, f in ind_cols], level="village" if is_village else "township", rows=staged_rows,
            formula_missing=formula_missing, formula_cached=table.formula_cached, percent=table.percent))

    def check_staged(self) -> None:
        """Check every staged value of the batch at once.

        Numbers (the common case) and 是/否 pass vectorised rules per indicator kind;
        only text, empty markers and rule breakers go through :func:`parse_value`.
        """
        if not self.staged:
            return
        ids = list(self.meta)
        index = {i: k for k, i in enumerate(ids)}
        meta = [self.meta[i] for i in ids]
        kinds = np.array([m[0] for m in meta], dtype=object)
        allow_neg = np.array([m[2] for m in meta])
        levels = np.array([m[4] for m in meta], dtype=object)
        flat = np.array([v for st in self.staged for _, values, _, _ in st.rows for v in values], dtype=object)
        n_rows = np.array([len(st.rows) for st in self.staged])
        n_cols = np.array([len(st.ids) for st in self.staged])
        stage = np.repeat(np.arange(len(self.staged)), n_rows * n_cols)
        row_offset = np.concatenate([[0], np.cumsum(n_rows)[:-1]])
        # per cell: global row g (into all staged rows), column position within its sheet
        g = np.concatenate([np.repeat(np.arange(r) + o, c) for r, c, o in zip(n_rows, n_cols, row_offset)])
        ci = np.concatenate([np.tile(np.arange(c), r) for r, c in zip(n_rows, n_cols)])
        ind = np.concatenate([np.tile([index[i] for i in st.ids], len(st.rows)) for st in self.staged])
        all_rows = [row for st in self.staged for row in st.rows]
        fidx = np.array([st.fidx for st in self.staged])[stage]
        bad_row = np.array([row[3] is not None for row in all_rows])[g]
        sheet_level = np.array([st.level for st in self.staged], dtype=object)[stage]
        kind = kinds[ind]
        cell_of = _CellIndex(self, stage, g - row_offset[stage], ci)

        numeric = np.fromiter((type(v) is float or type(v) is int for v in flat), bool, flat.size)
        yes_no = (kind == "binary") & np.isin(flat, ("是", "否"))
        flat[yes_no] = np.where(flat[yes_no] == "是", 1.0, 0.0)
        numeric |= yes_no
        empty = np.fromiter((v is None or v == "" for v in flat), bool, flat.size)
        formula = np.zeros(flat.size, bool)
        if any(st.formula_missing for st in self.staged):
            for k in np.flatnonzero(empty):
                st = self.staged[stage[k]]
                if st.formula_missing and cell_of.address(k) in st.formula_missing:
                    formula[k], empty[k] = True, False
        value = np.full(flat.size, np.nan)
        value[numeric] = flat[numeric].astype(float)
        percent_format: dict[int, float] = {}
        if any(st.percent for st in self.staged):         # Excel keeps 85% typed in a % cell as 0.85
            for k in np.flatnonzero(numeric & (kind == "percent")):
                st = self.staged[stage[k]]
                if st.percent and cell_of.address(k) in st.percent:
                    percent_format[k] = value[k]
                    value[k] = round(value[k] * 100, 10)
        with np.errstate(invalid="ignore"):
            suspect = numeric & (~np.isfinite(value) | ((value < 0) & ~allow_neg[ind])
                                 | ((kind == "binary") & (value != 0) & (value != 1))
                                 | ((kind == "percent") & ((value > 100) | ((value > 0) & (value < 1))))
                                 | ((kind == "count") & (value != np.round(value))))
        accepted = numeric & ~suspect
        rejected = np.zeros(flat.size, bool)
        warnings: dict[int, tuple[str, str]] = {}
        cell_issues: list[tuple[int, tuple]] = []   # (k, issue) for ordering

        def say(k, severity, code, message):
            st = self.staged[stage[k]]
            cell_issues.append((k, (st.file, st.sheet, cell_of.address(k), severity, code, message)))

        for k in np.flatnonzero(~empty & ~accepted):
            m = meta[ind[k]]
            if formula[k]:
                rejected[k] = True
                say(k, "error", "formula_no_value",
                    f"{m[5]}：单元格是公式且没有计算结果（系统不执行公式），请改为直接填写数值")
                continue
            status, parsed, code, message = parse_value(flat[k], m[0], m[1], m[2])
            if status == ERROR:
                rejected[k] = True
                say(k, "error", code, f"{m[5]}（{m[1]}）：{message}")
            elif status == OK:
                value[k], accepted[k] = parsed, True
                if code:
                    warnings[k] = (code, f"{m[5]}：{message}")
            else:
                empty[k] = True
        for k in np.flatnonzero(empty & ~bad_row):
            m = meta[ind[k]]
            if m[3]:
                say(k, "warning", "empty_value", f"{m[5]}：未填写")
        wrong_level = levels[ind] != sheet_level
        for k in np.flatnonzero(accepted & (bad_row | wrong_level)):
            accepted[k], rejected[k] = False, True
            warnings.pop(k, None)
            m = meta[ind[k]]
            if bad_row[k]:
                say(k, "error", "bad_key",
                    f"{m[5]}：本行的乡镇/村/年度有误（见 {all_rows[g[k]][3]}），本值未采用")
            else:
                say(k, "error", "wrong_level",
                    f"{m[5]} 是{'村级' if m[4] == 'village' else '乡镇'}指标，不应出现在本表")
        for k, warning in warnings.items():
            say(k, "warning", *warning)
        for k, stored in percent_format.items():
            if accepted[k]:
                say(k, "warning", "percent_format",
                    f"{meta[ind[k]][5]}：单元格设为百分比格式（保存的是 {stored:g}），按 {value[k]:g}% 读取")
        if any(st.formula_cached for st in self.staged):
            for k in np.flatnonzero(accepted):
                st = self.staged[stage[k]]
                if st.formula_cached and cell_of.address(k) in st.formula_cached:
                    say(k, "warning", "formula_cached",
                        f"{meta[ind[k]][5]}：单元格是公式，采用其保存的计算结果 {value[k]:g}（公式未执行）")
        for _, issue in sorted(cell_issues, key=lambda x: x[0]):
            self.issues.append(issue)
        n = len(self.counts)
        for key, mask in (("cells_accepted", accepted), ("cells_rejected", rejected), ("cells_empty", empty)):
            for f, c in enumerate(np.bincount(fidx[mask], minlength=n)):
                self.counts[f][key] += int(c)

        keep = np.flatnonzero(accepted)
        units = [row[2] if row[2] is not None else (None,) * 5 for row in all_rows]
        unit_cols = [np.array(c, dtype=object)[g[keep]] for c in zip(*units)]
        files = np.array([st.file for st in self.staged], dtype=object)[stage[keep]]
        sheets = np.array([st.sheet for st in self.staged], dtype=object)[stage[keep]]
        self.obs.append((*unit_cols, np.array(ids, dtype=object)[ind[keep]], value[keep], files, sheets,
                         cell_of.addresses(keep), fidx[keep]))
        self.staged = []

    def resolve_keys(self, row, key_cols, is_village, i, labels, csv_mode):
        """((unit_id, unit_name, level, township, year), problem) for one data row."""
        cat = self.catalog

        def raw(key):
            j = key_cols.get(key)
            return (row[j] if j is not None and j < len(row) else None), j

        town_raw, tj = raw("township")
        town = cat.resolve_township(town_raw) if town_raw not in (None, "") else None
        if town is None:
            what = "未填写乡镇" if town_raw in (None, "") else f"乡镇“{town_raw}”不在名录中"
            return None, (self.cell(csv_mode, i, tj or 0, labels), "error", "unknown_township",
                          f"{what}；应为：{'、'.join(cat.townships['unit_name'])}")
        year_raw, yj = raw("year")
        year = parse_year(year_raw)
        if year is None or not cat.first_year <= year <= cat.last_year:
            return None, (self.cell(csv_mode, i, yj or 0, labels), "error", "bad_year",
                          f"年度“{year_raw if year_raw is not None else ''}”有误，应为 "
                          f"{cat.first_year}–{cat.last_year} 之间的年份")
        if not is_village:
            return (self.town_ids[town], town, "township", town, year), None
        village_raw, vj = raw("village")
        village = cat.resolve_village(town, village_raw) if village_raw not in (None, "") else None
        if village is None:
            what = "未填写村（社区）" if village_raw in (None, "") else f"村（社区）“{village_raw}”不在{town}的名录中"
            return None, (self.cell(csv_mode, i, vj or 0, labels), "error", "unknown_village", what)
        return (self.village_ids[(town, village)], village, "village", town, year), None

    def read_county(self, table, rows, header_row, mapping, file, sheet, count, csv_mode):
        labels = rows[header_row]
        cols = {f: j for j, f in enumerate(mapping) if f is not None}
        fidx = len(self.counts) - 1
        for i in range(header_row + 1, len(rows)):
            row = rows[i]
            raw = {f: (row[j] if j < len(row) else None) for f, j in cols.items()}
            filled = [f for f, v in raw.items() if v not in (None, "")]
            if not filled:
                continue
            count["cells_read"] += len(raw)
            span = f"{self.cell(csv_mode, i, 0, labels)}:{self.cell(csv_mode, i, len(row) - 1, labels)}" \
                if not csv_mode else f"第{i + 1}行"
            record, bad = self.county.parse(table, raw)
            if bad:
                fld, message = bad
                count["cells_rejected"] += len(filled)
                self.issue(file, sheet, self.cell(csv_mode, i, cols.get(fld, 0), labels), "error",
                           f"bad_{table}", f"{message}；本行（{span}）未采用")
                continue
            count["cells_accepted"] += len(filled)
            count["cells_empty"] += len(raw) - len(filled)
            self.tables[table].append((*record, file, sheet, span, fidx))

    # -- county rows ---------------------------------------------------------
    # -- the batch -------------------------------------------------------------
    def resolve_duplicates(self) -> pd.DataFrame:
        """Observations with duplicates resolved: identical ones once (warning), conflicting
        ones rejected (error naming every cell)."""
        cols = [*OBSERVATION_COLUMNS, "_file"]
        obs = pd.DataFrame({c: np.concatenate([b[i] for b in self.obs]) if self.obs else []
                            for i, c in enumerate(cols)})
        if obs.empty:
            return obs[OBSERVATION_COLUMNS]
        obs["year"] = obs["year"].astype(int)
        obs["value"] = obs["value"].astype(float)
        key = self.unit_codes(obs["unit_id"]) * 10_000 + obs["year"].to_numpy()
        key = key * len(self.meta) + pd.Categorical(obs["indicator"], categories=list(self.meta)).codes
        dup = pd.Series(key).duplicated(keep=False).to_numpy()
        drop = []
        for _, group in obs[dup].groupby(["unit_id", "year", "indicator"], sort=False):
            where = "、".join(f"{Path(f).name} {s} {c}".strip() for f, s, c in
                             zip(group["source_file"], group["source_sheet"], group["source_cell"]))
            first = group.iloc[0]
            label = f"{first['unit_name']} {first['year']} 年 {self.meta[first['indicator']][5]}"
            if group["value"].nunique() == 1:
                drop += list(group.index[1:])
                for r in group.iloc[1:].itertuples():
                    self.issue(r.source_file, r.source_sheet, r.source_cell, "warning", "duplicate_same",
                               f"{label} 重复填报（{where}），数值相同，只采用一次")
            else:
                drop += list(group.index)
                values = "、".join(f"{v:g}" for v in group["value"])
                for fidx, file, sheet, cell in zip(group["_file"], group["source_file"],
                                                   group["source_sheet"], group["source_cell"]):
                    self.counts[fidx]["cells_accepted"] -= 1
                    self.counts[fidx]["cells_rejected"] += 1
                    self.issue(file, sheet, cell, "error", "duplicate_conflict",
                               f"{label} 重复填报且数值不同（{values}；见 {where}），均未采用，请核实")
        return obs.drop(index=drop)[OBSERVATION_COLUMNS].reset_index(drop=True)

    def unit_codes(self, unit_ids: pd.Series) -> np.ndarray:
        """Integer code of each unit id (townships, then villages, in catalogue order)."""
        units = [*self.catalog.townships["unit_id"], *self.catalog.villages["unit_id"]]
        return pd.Categorical(unit_ids, categories=units).codes.astype(np.int64)

    def warn_missing_villages(self, obs: pd.DataFrame) -> None:
        """Villages of a township-year that reported villages, but without any row."""
        village_obs = obs[obs["level"] == "village"]
        town_years = obs.loc[obs["level"] == "township", ["township", "year", "source_file"]] \
            .drop_duplicates(["township", "year"])
        reported = pd.MultiIndex.from_frame(village_obs[["township", "year"]].drop_duplicates())
        lacking = town_years[~pd.MultiIndex.from_frame(town_years[["township", "year"]]).isin(reported)]
        for town, year, file in zip(lacking["township"], lacking["year"], lacking["source_file"]):
            self.issue(file, self.catalog.sheets["village"], "", "warning", "missing_village",
                       f"{town} {year} 年没有任何村级数据")
        if village_obs.empty:
            return
        villages, towns = self.catalog.villages, list(self.catalog.townships["unit_name"])
        years = village_obs["year"].to_numpy() - self.catalog.first_year
        n_years = self.catalog.last_year - self.catalog.first_year + 1
        v_code = pd.Categorical(village_obs["unit_id"], categories=villages["unit_id"]).codes
        t_code = pd.Categorical(village_obs["township"], categories=towns).codes
        present = np.zeros((len(villages), n_years), bool)
        present[v_code, years] = True
        reported = np.zeros((len(towns), n_years), bool)
        reported[t_code, years] = True
        village_town = pd.Categorical(villages["township"], categories=towns).codes
        missing = reported[village_town] & ~present
        if not missing.any():
            return
        first_file = village_obs.drop_duplicates(["township", "year"]).set_index(["township", "year"])["source_file"]
        for v, y in zip(*np.nonzero(missing)):
            town, year = villages["township"].iloc[v], self.catalog.first_year + int(y)
            self.issue(first_file[(town, year)], self.catalog.sheets["village"], "", "warning", "missing_village",
                       f"{town} {year} 年缺少 {villages['unit_name'].iloc[v]} 的数据")

    def resolve_table_duplicates(self) -> None:
        """County rows given twice (e.g. the workbook and its CSV copy): identical ones are kept
        once with a warning; rows with the same key but different values are all rejected."""
        labels = {"ballots": "评议计票", "ledger": "四风台账", "links": "驻点联系"}
        key_fields = {"ballots": (0, 1, 3, 4, 5), "ledger": (0, 1), "links": (0, 2, 3)}
        for table, rows in self.tables.items():
            groups: dict[tuple, list[int]] = {}
            for i, r in enumerate(rows):
                groups.setdefault(tuple(r[k] for k in key_fields[table]), []).append(i)
            drop = set()
            for members in groups.values():
                if len(members) < 2:
                    continue
                where = "、".join(f"{Path(rows[i][-4]).name} {rows[i][-3]} {rows[i][-2]}".strip() for i in members)
                values = {rows[i][:-4] for i in members}
                if len(values) == 1:
                    drop.update(members[1:])
                    for i in members[1:]:
                        self.issue(rows[i][-4], rows[i][-3], rows[i][-2], "warning", "duplicate_same",
                                   f"{labels[table]}重复（{where}），内容相同，只采用一次")
                else:
                    drop.update(members)
                    for i in members:
                        n = sum(1 for v in rows[i][:-4] if v not in (None, ""))
                        self.counts[rows[i][-1]]["cells_accepted"] -= n
                        self.counts[rows[i][-1]]["cells_rejected"] += n
                        self.issue(rows[i][-4], rows[i][-3], rows[i][-2], "error", "duplicate_conflict",
                                   f"{labels[table]}同一条记录出现多次且内容不同（见 {where}），均未采用，请核实")
            self.tables[table] = [r for i, r in enumerate(rows) if i not in drop]

    def table(self, key: str, columns: list[str]) -> pd.DataFrame:
        frame = pd.DataFrame([r[:-1] for r in self.tables[key]], columns=[*columns, *PROVENANCE])
        for col in ("opened", "due", "closed"):
            if col in frame:
                frame[col] = as_dates(frame[col]).to_numpy()
        for col in ("year", "count"):
            if col in frame:
                frame[col] = frame[col].astype(int)
        if "households_visited" in frame:
            frame["households_visited"] = frame["households_visited"].astype("Int64")
        return frame


def _progress(items, progress, total: int):
    """Wrap the files in a tqdm bar for batches of more than a few files."""
    import sys

    if progress is None:
        progress = total > 3 and (sys.stderr.isatty() or "ipykernel" in sys.modules)
    if not progress:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="读取", unit="个文件", total=total)


def load(*paths, catalog: Catalog | None = None, progress: bool | None = None) -> Dataset:
    """Load returned workbooks (.xlsx, .xlsm) and CSV exports into a :class:`Dataset`.

    Parameters
    ----------
    *paths : str or Path
        Files or folders; folders are searched (not recursively) for .xlsx, .xlsm and
        .csv files, skipping Excel lock files ``~$*``.
    catalog : Catalog, optional
        Default :func:`load_catalog`.
    progress : bool, optional
        Show a progress bar; default: for more than 3 files in a terminal or notebook.

    Returns
    -------
    Dataset
        Never raises for bad data or bad files: problems are in ``Dataset.issues``.

    Examples
    --------
    >>> ds = load("data/sample")                      # doctest: +SKIP
    >>> ds.files[["cells_read", "cells_accepted"]].sum()  # doctest: +SKIP
    """
    catalog = catalog or load_catalog()
    reader = _Reader(catalog)
    files, missing = collect_files(paths)
    for path, message in missing:
        repeated = message.startswith("与 ")
        reader.issue(path, "", "", "warning" if repeated else "error", "repeated_path" if repeated else "missing_path",
                     message)
    for path, fetched in _progress(prefetch(files), progress, len(files)):
        reader.read(path, fetched)
    reader.check_staged()
    obs = reader.resolve_duplicates()
    reader.resolve_table_duplicates()
    reader.warn_missing_villages(obs)
    issues = pd.DataFrame(reader.issues, columns=ISSUE_COLUMNS)
    return Dataset(
        observations=obs,
        ballots=reader.table("ballots", BALLOT_COLUMNS),
        ledger=reader.table("ledger", LEDGER_COLUMNS),
        links=reader.table("links", LINK_COLUMNS),
        issues=issues,
        files=pd.DataFrame(reader.counts, columns=FILE_COLUMNS),
        catalog=catalog,
    )
