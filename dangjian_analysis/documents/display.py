"""The display layer: every table a person reads, in Chinese, from the API's unchanged frames.

DataFrames keep English column ids; notebooks, the report, CSVs and workbooks show them through
this one mapping (the words themselves in :mod:`._labels`). Headers: :data:`COLUMN_LABELS` (id →
header and meaning), catalogue names for
indicator, group and rater-group ids, years as ``2015年``. Values: catalogue ids → names,
:data:`VALUE_LABELS` (status, severity, level …), issue codes → categories, booleans → 是/否
(``provisional`` → 待核实), paths → the names the Dataset shows them by (:func:`file_name`). Numbers (:func:`show`, :func:`table_html`): fixed
decimals, rates as percentages with one decimal (:data:`FRACTION_COLUMNS` ×100,
:data:`POINT_COLUMNS` as they are), missing as ``—``; ``unit_id`` hidden. :func:`to_chinese` keeps
numbers unchanged (CSVs, workbooks); :func:`chinese_warnings` prints warnings as Chinese lines.
Texts shown (:func:`show`, :func:`table_html`, :func:`dataset_html`) have control and bidi
characters and undecodable bytes of file names shown as marks (:func:`~._safe.console_text`).
"""

from __future__ import annotations

import hashlib
import re
import warnings

import pandas as pd
from pandas.io.formats.style import Styler

from ._labels import COLUMN_LABELS, CONTEXT_LABELS, VALUE_LABELS
from ._rubric_labels import rubric_headers
from ._safe import console_text
from ._text import each_distinct, is_number

__all__ = ["show", "to_chinese", "table_html", "column_notes", "chinese_warnings", "file_name", "file_names",
           "dataset_html", "dataset_text", "COLUMN_LABELS", "VALUE_LABELS", "FRACTION_COLUMNS", "POINT_COLUMNS",
           "DisplayTable", "DatasetSummary"]

#: Columns holding fractions (0–1), shown ×100 with ``%``; and percentage points (0–100) shown with ``%``.
FRACTION_COLUMNS = frozenset({"top_rate", "good_rate", "bad_rate", "p_bottom", "cagr", "weight", "village_coverage",
                              "coverage", "好票率", "好评率", "差评率", "倒排概率", "村覆盖率"})
POINT_COLUMNS = frozenset({"share", "pct_change", "pct_per_year", "on_time_rate", "completion", "覆盖率"})
_DIGITS = {"closeness": 3, "d_best": 3, "d_worst": 3}
#: Text columns whose sentences may name files by path or gate metrics by id (shown by name).
_SENTENCES = ("message", "provisional_reason", "incomplete_reason", "reasons", "grade_note", "vetoes", "gates", "note",
              "basis", "problem", "reason")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s，。；：、“”（）()]+)+[\\/]([^\\/\s，。；：、“”（）()]+)")


def file_name(path, names=None):
    """A file as people read it: its name in ``names`` (a Dataset's ``file_names``: the path below
    the folder that was read, ``2016/东山镇.xlsx``), else the file name of the path, Windows or
    POSIX (``C:\\数据\\东山镇.xlsx`` → ``东山镇.xlsx``)."""
    if not isinstance(path, str):
        return path
    return (names or {}).get(path) or re.split(r"[\\/]", path)[-1]


def file_names(series: pd.Series, names=None) -> pd.Series:
    """:func:`file_name` of every path in ``series``, by the names it carries (a Dataset's tables
    carry their ``file_names`` in ``attrs``) unless ``names`` are given."""
    names = series.attrs.get("file_names") if names is None else names
    return series.map(lambda path: file_name(path, names))


def _catalog(data, catalog):
    from ..metrics._frames import catalog_of

    return catalog_of(data, catalog, quiet=True)         # names only: the default's names are a fair guess


def _vocabulary(cat) -> dict[str, dict]:
    """Catalogue ids → Chinese names: indicators, groups (``overall`` = 综合指数), rater groups."""
    raters = cat.review.rater_groups
    return {"indicator": dict(zip(cat.indicators["id"], cat.indicators["name"])),
            "group": {**dict(zip(cat.groups["group"], cat.groups["name"])), "overall": "综合指数"},
            "rater_group": {**dict(zip(raters["id"], raters["name"])), "overall": "全体评议人（加权）"}}


def _as_frame(data) -> pd.DataFrame:
    """A Series or DataFrame as a frame whose meaningful index is a column."""
    if isinstance(data, pd.Series):
        return data.rename_axis(data.index.name or "id").reset_index(name=data.name or "value")
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"需要 DataFrame、Series 或 Dataset，实际为 {type(data).__name__}")
    frame = data.copy()
    frame.columns = [" ".join(map(str, c)) if isinstance(c, tuple) else c for c in frame.columns]
    named = any(n is not None for n in frame.index.names)
    return frame.reset_index(drop=not (named or not pd.api.types.is_integer_dtype(frame.index)))


def _header(column, frame: pd.DataFrame, ids: dict, rubric: dict | None = None) -> str:
    if rubric and column in rubric:
        return rubric[column]
    if pd.api.types.is_integer(column):
        return f"{int(column)}年" if 1900 <= int(column) <= 2100 else str(int(column))
    if column == "met" and pd.api.types.is_bool_dtype(frame[column]):
        return "是否达标"
    if column == "coverage" and "linked" in frame:
        return "联系覆盖率"
    for (name, beside), (header, _) in CONTEXT_LABELS.items():
        if column == name and beside in frame:
            return header
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column][0]
    for names in ids.values():
        if column in names:
            return names[column]
    return str(column)


def _kind(column, frame: pd.DataFrame) -> str:
    series = frame[column]
    if pd.api.types.is_bool_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if not pd.api.types.is_numeric_dtype(series):
        return "text"
    if column == "coverage" and "linked" in frame:
        return "points"
    if column in FRACTION_COLUMNS:
        return "fraction"
    if column in POINT_COLUMNS:
        return "points"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    return f"float{_DIGITS.get(column, '')}"


def _values(series: pd.Series, column, ids: dict, metrics: dict | None = None) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        yes, no = ("待核实", "") if column == "provisional" or (metrics is not None and column == "pending") else ("是", "否")
        return series.map(lambda v: None if pd.isna(v) else (yes if v else no)).astype(object)
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return series
    if column in ("file", "source_file"):
        return file_names(series)
    if column == "code":
        from ._issue_text import category

        return each_distinct(series, lambda v: category(v) if isinstance(v, str) else v)
    if column in _SENTENCES:
        return each_distinct(series, lambda v: _sentence(v, metrics) if isinstance(v, str) else v)
    if metrics is not None and column == "section":
        from .assessment_tables import SECTION_WORDS

        return series.map(lambda v: SECTION_WORDS.get(v, v) if isinstance(v, str) else v)
    mapping = VALUE_LABELS.get(column) or ids.get(column)
    if mapping is None:             # any other text column: catalogue ids still become names
        mapping = {k: v for names in ids.values() for k, v in names.items() if k != "overall"}
    return each_distinct(series, lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def _sentence(text: str, metrics: dict | None) -> str:
    """A sentence for people: paths as file names; in a 考核细则 table (``metrics``: gate metric ids
    → names) ``satisfaction = 81.9234`` as ``群众满意度 = 81.92``."""
    text = _PATH.sub(r"\1", text)
    if metrics is None:
        return text
    from .assessment_tables import _named_metrics, tidy_numbers

    return tidy_numbers(_named_metrics(text, metrics))


def _translate(data, catalog=None, *, ids: bool = False, compact: bool = False, percent=(), values: bool = True):
    """(Chinese frame, {Chinese header: format kind}); numbers unchanged; ``percent``: columns of
    percentage points besides :data:`POINT_COLUMNS`; ``values=False``: headers only (the values
    as they are)."""
    frame = _as_frame(data)
    cat = _catalog(data, catalog)
    names, rubric = _vocabulary(cat), rubric_headers(frame.columns)
    metrics = None
    if rubric is not None:
        from .assessment_tables import metric_names

        metrics = metric_names(cat)
    drop = [] if ids else [c for c in ("unit_id", "township_id") if c in frame]
    if compact and {"unit_name", "township"} <= set(frame) and frame["unit_name"].equals(frame["township"]):
        drop.append("township")
    if "band" in frame and "band_zh" in frame:
        drop.append("band")
    frame = frame.drop(columns=drop)
    out, kinds, seen = {}, {}, {}
    for column in frame.columns:
        header = _header(column, frame, names, rubric)
        seen[header] = seen.get(header, 0) + 1
        header = header if seen[header] == 1 else f"{header}（{seen[header]}）"
        out[header] = _values(frame[column], column, names, metrics) if values else frame[column]
        kinds[header] = "points" if is_number(frame[column]) and (column in percent or header in percent) else _kind(column, frame)
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True), kinds


def to_chinese(data, *, catalog=None, ids: bool = False) -> pd.DataFrame:
    """A copy of ``data`` (any table of the API, not changed) with Chinese headers and values,
    numbers unchanged, ids dropped unless ``ids=True``: for CSVs and workbooks.

    >>> import pandas as pd
    >>> to_chinese(pd.DataFrame({"indicator": ["office_funds"], "top_rate": [0.5]})).columns.tolist()
    ['指标', '好票率']
    """
    return _translate(data, catalog, ids=ids)[0]


def column_notes(data, *, catalog=None, ids: bool = False) -> pd.DataFrame:
    """The 字段说明 of a table: ``列名`` (Chinese header), ``接口列名`` (the API's id), ``说明``."""
    frame, ratings = _as_frame(data), set(_catalog(data, catalog).review.ratings["rating"])
    chinese = _translate(frame, catalog, ids=ids, values=False)[0]
    kept = [c for c in frame.columns if ids or c not in ("unit_id", "township_id")]
    kept = [c for c in kept if not (c == "band" and "band_zh" in frame)]
    context = {name: label for (name, beside), label in CONTEXT_LABELS.items() if beside in frame}
    rubric = rubric_headers(frame.columns) or {}
    means = rubric_headers(frame.columns, meanings=True) or {}
    context.update({c: (h, means.get(c, "")) for c, h in rubric.items() if c in means or COLUMN_LABELS.get(c, ("",))[0] != h})
    notes = [(context.get(c) or COLUMN_LABELS.get(c, ("", f"评价为“{c}”的票数" if c in ratings else "")))[1]
             for c in kept]
    return pd.DataFrame({"列名": list(chinese.columns), "接口列名": [str(c) for c in kept], "说明": notes})


def _cell(value, kind: str, digits: int) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if kind == "fraction":
        return f"{value:.1%}"
    if kind == "points":
        return f"{value:.1f}%"
    if kind == "int":
        return str(int(value))
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind.startswith("float"):
        return f"{value:.{int(kind[5:] or digits)}f}"
    return console_text(value)


def _formatted(frame: pd.DataFrame, kinds: dict, digits: int) -> pd.DataFrame:
    return pd.DataFrame({c: [_cell(v, kinds[c], digits) for v in frame[c]] for c in frame.columns}, dtype=object)


class DisplayTable(Styler):
    """What :func:`show` returns: a pandas ``Styler`` over the Chinese copy of a table, whose
    plain-text form is the same formatted table aligned (never an object address)."""

    def __repr__(self) -> str:
        from ._text import format_table

        return format_table(getattr(self, "_text", self.data.astype(str)))

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(repr(self))


def show(data, *, digits: int = 1, catalog=None, ids: bool = False, max_rows: int | None = None, percent=()):
    """A table as the analyst reads it: Chinese headers and values, fixed decimals, rates in %.

    ``data`` is any table the API returns (not changed), or a Dataset (its Chinese validation
    summary). ``digits``: decimals of numbers (TOPSIS distances 3; rates always one decimal);
    ``catalog``: for indicator, group and rater names (default: the one ``data`` carries);
    ``ids=True`` shows ``unit_id``; ``max_rows`` the first rows only; ``percent``: more columns
    (ids, years or headers) holding percentages 0–100, e.g. the years of a pivoted ``share``.

    Returns a pandas ``Styler`` (:class:`DisplayTable`; chain ``.highlight_max()`` etc.) whose
    ``.data`` is the Chinese copy; its HTML is deterministic (the id is a hash of the content).

    >>> dj.show(dj.review(ds).query("rater_group == 'overall'"))  # doctest: +SKIP
    """
    if hasattr(data, "observations") and hasattr(data, "files"):
        return DatasetSummary(data)
    frame, kinds = _translate(data, catalog, ids=ids, compact=True, percent=tuple(percent))
    if max_rows is not None:
        frame = frame.head(max_rows)
    text = _formatted(frame, kinds, digits)
    uuid = hashlib.sha1(text.to_csv().encode("utf-8") + "|".join(frame.columns).encode("utf-8")).hexdigest()[:10]
    table = DisplayTable(frame, uuid=uuid, cell_ids=False)
    table._text = text
    table.format({c: (lambda v, k=kinds[c]: _cell(v, k, digits)) for c in frame.columns}, escape="html")
    table.format_index(escape="html", axis=1)
    table.hide(axis="index").set_table_attributes('class="dataframe dangjian"')
    return table


def table_html(frame, digits: int = 1, max_rows: int | None = None):
    """A table as plain HTML through the same mapping as :func:`show` (an ``IPython.display.HTML``)."""
    from IPython.display import HTML

    chinese, kinds = _translate(frame, None, compact=True)
    chinese = chinese.head(max_rows) if max_rows else chinese
    return HTML(_formatted(chinese, kinds, digits).to_html(index=False, border=0, classes="dangjian"))


def _summary_tables(ds) -> tuple[pd.DataFrame, pd.DataFrame]:
    counts = ds.issues.groupby(["file", "severity"]).size()
    files = ds.files.assign(errors=[int(counts.get((f, "error"), 0)) for f in ds.files["file"]],
                            warnings=[int(counts.get((f, "warning"), 0)) for f in ds.files["file"]])
    files = to_chinese(files, catalog=ds.catalog).rename(columns={"errors": "错误", "warnings": "提示"})
    return files, to_chinese(ds.issues, catalog=ds.catalog)


def dataset_text(ds) -> str:
    """A Dataset in a few Chinese lines: files, errors and warnings, values, years, county tables."""
    obs = ds.observations
    status = ds.files["status"].map(VALUE_LABELS["status"]).value_counts()
    years = sorted(int(y) for y in obs["year"].unique()) if len(obs) else []
    span = (f"{years[0]}–{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年") if years else "没有年度"
    towns = obs["township"].nunique() if len(obs) else 0
    villages = obs.loc[obs["level"] == "village", ["township", "unit_name"]].drop_duplicates().shape[0]
    lines = [f"共 {len(ds.files)} 个文件（" + "，".join(f"{k} {v}" for k, v in status.items()) + "）；"
             f"错误 {ds.n_errors} 条，提示 {ds.n_warnings} 条。",
             f"采用指标值 {len(obs)} 个：{span}，{towns} 个乡镇、{villages} 个村（社区）。",
             f"述职评议计票 {len(ds.ballots)} 行，四风台账 {len(ds.ledger)} 条，驻点联系 {len(ds.links)} 条。"]
    if ds.n_errors:
        lines.append("出错的单元格没有采用：请按文件、工作表和单元格核对后重新报送。")
    return "\n".join(lines)


def dataset_html(ds, max_issues: int = 20) -> str:
    """The Dataset's Chinese summary as HTML: the lines of :func:`dataset_text`, the files and the
    first ``max_issues`` problems (deterministic)."""
    from html import escape

    files, issues = _summary_tables(ds)
    parts = ["<div class=\"dangjian-dataset\">", "<p><strong>数据读取与校验</strong></p>"]
    parts += [f"<p>{escape(line)}</p>" for line in dataset_text(ds).splitlines()]
    parts.append(_formatted(files, {c: "int" if c not in ("文件", "状态") else "text" for c in files}, 0)
                 .to_html(index=False, border=0, classes="dangjian"))
    if len(issues):
        more = f"（前 {max_issues} 条，共 {len(issues)} 条；全部见 dj.show(ds.issues)）" if len(issues) > max_issues else ""
        parts.append(f"<p><strong>校验发现的问题</strong>{more}</p>")
        parts.append(_formatted(issues.head(max_issues), {c: "text" for c in issues}, 0)
                     .to_html(index=False, border=0, classes="dangjian"))
    return "\n".join([*parts, "</div>"])


class DatasetSummary:
    """What :func:`show` gives for a Dataset: its Chinese summary as HTML and as text."""

    def __init__(self, ds):
        self.dataset = ds

    def _repr_html_(self) -> str:
        return dataset_html(self.dataset)

    def __repr__(self) -> str:
        return dataset_text(self.dataset)

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(repr(self))


def _format_warning(message, category, filename, lineno, line=None) -> str:
    return f"{'提示' if issubclass(category, UserWarning) else '注意'}：{message}\n"


class _ChineseWarnings:
    def __init__(self):
        self._previous, warnings.formatwarning = warnings.formatwarning, _format_warning

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        warnings.formatwarning = self._previous


def chinese_warnings() -> _ChineseWarnings:
    """Show each warning as one Chinese line, ``提示：…``, without the file path and code line.

    Nothing is silenced. Use it as a function (it stays on) or in a ``with`` block (undone at
    the end), like :func:`~dangjian_analysis.charts.theme.slide_theme`.
    """
    return _ChineseWarnings()
