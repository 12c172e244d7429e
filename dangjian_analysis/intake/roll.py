"""报送进度 (the roll): for one year, which townships and county tables have reported.

In a season the townships return their workbooks one by one; the roll says, for each township
of the catalogue and each county table (述职评议计票, 四风台账, 驻点联系), whether that year's data
are in (``reported``), not in (``missing``), in but with errors or sent and rejected
(``errors``), or sent back for correction or for confirmation of doubtful values (``returned``,
only when the returned copies are given: a Dataset cannot know whether any were written; a
township sent back with hints only stays ``returned`` until every doubtful value is confirmed
— the roll's sheet and sentence say 已退回（待确认）). Files are named as everywhere else
(:attr:`Dataset.file_names <dangjian_analysis.intake.dataset.Dataset>`: ``2016/东山镇.xlsx``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..catalog.tables import COUNTY_SHEETS
from ..catalog.units import short_name
from .confirmations import DOUBTFUL_CODES, unconfirmed_cells

__all__ = ["submission_roll", "roll_year", "county_tables", "ROLL_COLUMNS", "COUNTY_TABLES", "RUBRIC_TABLES"]

#: The roll's columns.
ROLL_COLUMNS = ["kind", "unit", "year", "roll_status", "files", "n_errors", "n_warnings"]
#: The county tables by their Dataset attribute, with the names people know them by.
COUNTY_TABLES = {"ballots": "述职评议计票", "ledger": "四风台账", "links": "驻点联系"}
#: The 考核细则's county tables: on the roll only when the catalogue has an ``[assessment]``.
RUBRIC_TABLES = {"adjustments": "加减分台账", "checklist": "考核清单"}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_RETURNED = re.compile(r"^(?P<who>.+?)(?:_(?P<first>\d{4})(?:-(?P<last>\d{4}))?)?_退回修改(?:_\d+)?$")


def _years(frame: pd.DataFrame, key: str) -> pd.Series:
    """The year of each row of a Dataset table: ``year``; a 四风台账 item's the year it was opened
    (as :func:`~dangjian_analysis.metrics.conduct.ledger_status` counts items opened by a date)."""
    if key == "ledger":
        return pd.to_datetime(frame["opened"], errors="coerce").dt.year
    return frame["year"]


def roll_year(ds) -> int | None:
    """The year a roll is made for by default: the newest in the observations, else in the
    county tables (述职评议计票, then 驻点联系, then 四风台账); None when the Dataset has none."""
    for frame, key in ((ds.observations, "observations"), *((getattr(ds, k), k) for k in COUNTY_TABLES)):
        years = _years(frame, key).dropna() if len(frame) else ()
        if len(years):
            return int(max(years))
    return None


def submission_roll(ds, year: int | None = None, *, returned=()) -> pd.DataFrame:
    """The 报送进度 of ``year``: one row per township of the catalogue and per county table.

    Parameters
    ----------
    ds : Dataset
    year : int, optional
        Default :func:`roll_year` (the newest year in the data).
    returned : paths, optional
        Returned copies written for correction (what :func:`~dangjian_analysis.mark_returns`
        returns, named ``<乡镇>_<年度>_退回修改.xlsx``): a unit that is in and whose copy is
        among them is ``returned`` while it is asked something (see below).

    Returns
    -------
    DataFrame
        ``kind`` (``township`` | ``county_table``), ``unit`` (the township, or the table's
        Chinese name), ``year``, ``roll_status``, ``files`` (the files holding that year's
        data, ``、``-separated, as shown everywhere), ``n_errors``, ``n_warnings`` (the issues
        of those files; for a county table, of the sheets holding it). ``roll_status``:

        - ``reported`` — that year's values of the township are in (rows of the table whose
          year is ``year``; a 四风台账 item's year is the year it was opened);
        - ``errors`` — they are in, but come from a file with errors; or none are in, but a
          file that was rejected (or gave nothing) is clearly the unit's: its name holds the
          township's name (the table's sheet name or 县级 for a county table) and ``year``
          or no year at all — sent, not missing;
        - ``returned`` — in, with errors or with warnings that still ask something (a doubtful
          value not yet confirmed, villages missing …; a confirmed doubtful value asks nothing),
          and a returned copy for it is among ``returned``: sent back, for correction or for
          confirmation (``n_errors`` 0: 待确认);
        - ``missing`` — nothing.

    Raises
    ------
    ValueError
        When ``year`` is not given and the Dataset holds no year at all.

    Examples
    --------
    >>> roll = submission_roll(ds)                               # doctest: +SKIP
    >>> roll.loc[roll["roll_status"] == "missing", "unit"].tolist()  # doctest: +SKIP
    ['北塘镇', '南岭镇', …]
    """
    year = roll_year(ds) if year is None else int(year)
    if year is None:
        raise ValueError("数据中没有任何年度的数值，无法列出报送进度；请先读取回收表")
    context = _Context(ds, year, returned)
    rows = [context.township(town) for town in _townships(ds.catalog, year)]
    rows += [context.county_table(key) for key in county_tables(ds.catalog)]
    out = pd.DataFrame(rows, columns=ROLL_COLUMNS)
    return out.astype({"year": int, "n_errors": int, "n_warnings": int})


def county_tables(cat) -> dict[str, str]:
    """The county tables a roll lists (Dataset attribute → name): :data:`COUNTY_TABLES`, and
    :data:`RUBRIC_TABLES` when the catalogue has a 考核细则."""
    return {**COUNTY_TABLES, **(RUBRIC_TABLES if getattr(cat, "assessment", None) is not None else {})}


def _townships(cat, year: int) -> list[str]:
    """The catalogue's townships that exist in ``year`` (all, unless it gives ``since``/``until``)."""
    towns = cat.townships
    exists = pd.Series(True, index=towns.index)
    if "since" in towns:
        exists &= towns["since"].fillna(year) <= year
    if "until" in towns:
        exists &= towns["until"].fillna(year) >= year
    return list(towns.loc[exists, "unit_name"])


class _Context:
    """What every row of one roll looks at: issue counts by file and sheet, the files that gave
    nothing (with the townships and years their names name), the returned copies."""

    def __init__(self, ds, year: int, returned):
        self.ds, self.year, self.names = ds, year, ds.file_names
        issues = ds.issues
        self.counts = issues.groupby(["file", "severity"]).size().to_dict()
        self.sheet_counts = issues.groupby(["file", "sheet", "severity"]).size().to_dict()
        giving = set(ds.observations["source_file"]).union(*(getattr(ds, k)["source_file"]
                                                             for k in county_tables(ds.catalog)))
        words = [(t, {t, short_name(t), *a}) for t, a in zip(ds.catalog.townships["unit_name"],
                                                               ds.catalog.townships["aliases"])]
        self.unread = {}      # file that gave nothing, of this year or none → (names a year, townships it names)
        for f, status in zip(ds.files["file"], ds.files["status"]):
            name = self.shown_one(f)
            years = {int(y) for y in _YEAR.findall(Path(name).name) or _YEAR.findall(name)}   # its own name's first
            if status != "skipped" and f not in giving and (not years or year in years):
                self.unread[f] = (bool(years), [t for t, w in words if any(x and x in name for x in w)])
        self.returned = [m.groupdict() for m in (_RETURNED.match(Path(p).stem) for p in returned) if m]
        self.order = {f: k for k, f in enumerate(ds.files["file"])}
        self.asking = set()       # files whose warnings still ask something: all but the confirmed doubtful values
        if self.returned:
            unconfirmed = unconfirmed_cells(ds)
            warned = issues[issues["severity"] == "warning"]
            for f, s, c, code in zip(warned["file"], warned["sheet"], warned["cell"], warned["code"]):
                if code not in DOUBTFUL_CODES or (f, s, c) in unconfirmed:
                    self.asking.add(f)

    def shown_one(self, file: str) -> str:
        return self.names.get(file) or Path(file).name

    def shown(self, files) -> str:
        files = sorted(set(files), key=lambda f: (self.order.get(f, len(self.order)), f))
        return "、".join(self.shown_one(f) for f in files)

    def _was_returned(self, who: set[str]) -> bool:
        for r in self.returned:
            first = int(r["first"]) if r["first"] else None
            last = int(r["last"]) if r["last"] else first
            if r["who"] in who and (first is None or first <= self.year <= last):
                return True
        return False

    def _row(self, kind, unit, files, sent, errors, warnings, who, asks: bool = False) -> tuple:
        """``files`` gave values; ``sent`` gave none but are the unit's; ``asks``: their warnings
        still ask something of the unit (all but confirmed doubtful values). A file sent that gave nothing and has no error (a county
        sheet left as the template wrote it) is ``missing``: nothing of the unit is in."""
        status = "errors" if errors else "reported" if files else "missing"
        if (status == "errors" or (status == "reported" and asks)) and self._was_returned(who):
            status = "returned"
        return kind, unit, self.year, status, self.shown([*files, *sent]), errors, warnings

    def township(self, town: str) -> tuple:
        obs = self.ds.observations
        files = list(obs.loc[(obs["year"] == self.year) & (obs["township"] == town), "source_file"].unique())
        sent = [f for f, (dated, towns) in self.unread.items() if towns == [town] and (dated or not files)]
        if any(self.unread[f][0] for f in sent):          # files naming the year, if any, rather than undated ones
            sent = [f for f in sent if self.unread[f][0]]
        errors = sum(self.counts.get((f, "error"), 0) for f in [*files, *sent])
        warnings = sum(self.counts.get((f, "warning"), 0) for f in [*files, *sent])
        asks = any(f in self.asking for f in files)
        return self._row("township", town, files, sent, errors, warnings, {town, *map(_stem, files + sent)}, asks)

    def county_table(self, key: str) -> tuple:
        frame, sheet = getattr(self.ds, key), COUNTY_SHEETS[key][0]
        rows = frame[(_years(frame, key) == self.year).to_numpy()] if len(frame) else frame
        pairs = set(zip(rows["source_file"], rows["source_sheet"]))
        sent = []
        if not pairs:         # the table's sheet rejected whole (it gave no row of any year), or its file
            held = set(zip(frame["source_file"], frame["source_sheet"]))
            pairs = {(f, s) for f, s, sev in self.sheet_counts
                     if sev == "error" and (f, s) not in held and sheet in (s or _stem(f))}
            sent = sorted({f for f, _ in pairs} | {f for f, (_, towns) in self.unread.items() if not towns
                                                  and any(w in self.shown_one(f) for w in (sheet, "县级"))})
        errors = sum(self.sheet_counts.get((*pair, "error"), 0) for pair in pairs)
        errors += sum(self.counts.get((f, "error"), 0) for f in sent if not any(p[0] == f for p in pairs))
        warnings = sum(self.sheet_counts.get((*pair, "warning"), 0) for pair in pairs)
        files = sorted({f for f, _ in zip(rows["source_file"], rows["source_sheet"])})
        return self._row("county_table", county_tables(self.ds.catalog)[key], files, sent, errors, warnings, set(map(_stem, files + sent)))


def _stem(file: str) -> str:
    return Path(file).stem
