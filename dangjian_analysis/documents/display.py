"""The display layer: every table a person reads, in Chinese, from the API's unchanged frames.

DataFrames keep English column ids; notebooks, the report, CSVs and workbooks show them through
this one mapping. Headers: :data:`COLUMN_LABELS` (id → header and meaning), catalogue names for
indicator, group and rater-group ids, years as ``2015年``. Values: catalogue ids → names,
:data:`VALUE_LABELS` (status, severity, level …), issue codes → categories, booleans → 是/否
(``provisional`` → 待核实), paths → file names. Numbers (:func:`show`, :func:`table_html`): fixed
decimals, rates as percentages with one decimal (:data:`FRACTION_COLUMNS` ×100,
:data:`POINT_COLUMNS` as they are), missing as ``—``; ``unit_id`` hidden. :func:`to_chinese` keeps
numbers unchanged (CSVs, workbooks); :func:`chinese_warnings` prints warnings as Chinese lines.
"""

from __future__ import annotations

import hashlib
import re
import warnings

import pandas as pd
from pandas.io.formats.style import Styler

from ._text import is_number

__all__ = ["show", "to_chinese", "table_html", "column_notes", "chinese_warnings", "file_name",
           "dataset_html", "dataset_text", "COLUMN_LABELS", "VALUE_LABELS", "FRACTION_COLUMNS", "POINT_COLUMNS",
           "DisplayTable", "DatasetSummary"]

#: Every column id the API returns → (Chinese header, meaning). One mapping for notebooks, the
#: report, CSVs (their 字段说明) and workbooks.
COLUMN_LABELS = {
    "unit_id": ("单位编号", "名录中的单位编号"), "unit_name": ("单位", "乡镇、村（社区）或党（工）委的名称"),
    "level": ("层级", "乡镇或村（社区）"), "township": ("乡镇", "所属乡镇"), "year": ("年度", "考核年度"),
    "village": ("村（社区）", "村（社区）名称"), "indicator": ("指标", "指标名称（见指标体系）"),
    "value": ("数值", "指标值，计量单位见指标体系；乡镇值按指标的汇总方式由各村汇总"),
    "source_file": ("来源文件", "数值所在的报送文件（文件名）"), "source_sheet": ("来源工作表", "数值所在的工作表"),
    "source_cell": ("来源单元格", "数值所在的单元格（CSV 为行号）"),
    "file": ("文件", "报送文件（文件名）"), "sheet": ("工作表", "工作表名称"), "cell": ("单元格", "单元格位置"),
    "status": ("状态", "文件：已读取、已拒收或已跳过；四风台账：整改状态"),
    "cells_read": ("读取单元格", "读取的单元格数 = 采用 + 拒收 + 空白"), "cells_accepted": ("采用", "采用的单元格数"),
    "cells_rejected": ("拒收", "因错误未采用的单元格数"), "cells_empty": ("空白", "空白单元格数"),
    "severity": ("级别", "错误：该处数值未采用；提示：已采用，请核实"), "code": ("问题类别", "问题的类别"),
    "message": ("说明", "问题说明与修改办法"),
    "group": ("分项", "五大工程等分组；“综合指数”为各分组按权重加权"), "score": ("得分", "0–100 分"),
    "method": ("评分方法", "指标得分的标准化方法"),
    "coverage": ("权重覆盖率", "有数据的指标权重占应有权重的比例（0–1）"),
    "rank": ("名次", "同年度、同分组内的名次，1 为最好，同分同名次"), "grade": ("等次", "按指标体系的等次分数线评定"),
    "provisional": ("待核实", "数据不完整（缺村、有拒收单元格或覆盖率低于要求），结果待核实"),
    "village_coverage": ("村覆盖率", "有数据的村 ÷ 名录中该年的村（0–1）"),
    "provisional_reason": ("待核实原因", "结果待核实的原因"), "n_villages": ("有数据的村", "有数值的村（社区）数"),
    "missing_rule": ("缺报处理", "必填指标未报的处理规则"), "missing_required": ("未报必填指标", "未填报的必填指标数"),
    "incomplete_reason": ("待核实原因", "倒排所依据的数据不完整的原因"),
    "median_rank": ("名次中位数", "权重随机扰动后名次的中位数"), "rank_p05": ("名次下限（5%）", "扰动后名次的 5% 分位数"),
    "rank_p95": ("名次上限（95%）", "扰动后名次的 95% 分位数"), "p_bottom": ("倒排概率", "扰动后落入倒排的比例（0–1）"),
    "draws": ("抽样次数", "权重扰动的次数"), "previous_year": ("上一年度", "比较的上一年度"),
    "previous": ("上年数值", "上一年度的数值"), "change": ("变化", "本年减上年"), "pct_change": ("变化率", "变化 ÷ 上年（%）"),
    "first_year": ("起始年度", "第一个有数据的年度"), "last_year": ("末年", "最后一个有数据的年度"),
    "first": ("起始值", "起始年度的数值"), "last": ("末年值", "末年的数值"),
    "cagr": ("复合年均增长率", "(末年值 ÷ 起始值)^(1/年数) − 1（0–1）"), "pct_per_year": ("年均增长率", "复合年均增长率（%）"),
    "slope": ("年均增量", "线性趋势的斜率（每年）"), "n_years": ("年数", "有数据的年数"),
    "from_year": ("起始年度", "比较的起始年度"), "to_year": ("比较年度", "比较的末年"),
    "score_from": ("起始得分", "起始年度得分"), "score_to": ("末年得分", "末年得分"), "rank_from": ("起始名次", "起始年度名次"),
    "rank_to": ("末年名次", "末年名次"), "rank_change": ("名次变化", "正数为名次上升"),
    "grade_from": ("原等次", "上一年度等次"), "grade_to": ("新等次", "本年度等次"), "move": ("变化", "晋位升级、持平或降级"),
    "target": ("目标", "指标体系中的目标值"), "target_year": ("目标年度", "目标应达到的年度"),
    "villages": ("村数", "有数据（或名录中）的村数"), "met": ("达标村数", "达到目标的村数"),
    "share": ("达标占比", "达标村 ÷ 有数据的村（%）"), "gap": ("差距", "距目标的差距"),
    "bottom_rank": ("倒排序号", "从最后一名起的序号"), "n_units": ("参评单位数", "参加排名的单位数"),
    "reasons": ("列入原因", "列为软弱涣散的依据"), "band": ("分类", "先进、中间或后进"), "band_zh": ("分类", "先进、中间或后进"),
    "items": ("台账条数", "截至统计日已建账的问题数"), "closed_on_time": ("按时销号", "在整改时限内销号的条数"),
    "closed_late": ("逾期销号", "超过整改时限后销号的条数"), "open": ("未销号", "尚未销号的条数"),
    "overdue": ("逾期", "逾期销号或逾期未销号的条数"), "on_time_rate": ("按时销号率", "按时销号 ÷ 台账条数（%）"),
    "completion": ("销号率", "已销号 ÷ 台账条数（%）"), "as_of": ("统计日期", "统计截至的日期"),
    "linked": ("已联系村数", "有驻点工作组联系的村数"), "teams": ("工作组数", "驻点工作组数"),
    "households_visited": ("走访农户数", "驻点工作组走访的农户数"), "leader_team": ("驻点工作组", "驻点工作组名称"),
    "item_id": ("台账编号", "四风台账的问题编号"), "description": ("问题描述", "问题描述"), "opened": ("建账日期", "建账日期"),
    "due": ("整改时限", "整改时限"), "closed": ("销号日期", "销号日期"),
    "secretary": ("书记", "述职的党（工）委书记"), "type": ("类别", "书记类别"),
    "rater_group": ("评议人类别", "评议人类别；“全体评议人”为各类加权"), "item": ("评议项目", "评议项目"),
    "rating": ("评价", "好、较好、一般、差，或不了解、空白"), "count": ("票数", "票数"),
    "valid": ("有效票", "评价为好、较好、一般、差的票数"), "invalid": ("无效票", "不了解和空白票数"),
    "top_rate": ("好票率", "好票 ÷ 有效票（0–1）"), "good_rate": ("好评率", "（好 + 较好）÷ 有效票（0–1）"),
    "bad_rate": ("差评率", "差票 ÷ 有效票（0–1）"), "weight": ("权重", "权重（0–1）"),
    "grade_note": ("等次说明", "等次的评定依据（如“好”的名额、并列的处理）"),
    "routine": ("日常考核", "乡镇综合指数"), "review": ("述职评议", "述职评议加权得分"),
    "satisfaction": ("群众满意度", "群众满意度（%）"), "annual": ("年度综合", "按年度考核比例合成的得分"),
    "parts": ("计入部分", "合成时有数据的部分"),
    "d_best": ("与最优距离", "到正理想解的距离"), "d_worst": ("与最劣距离", "到负理想解的距离"),
    "closeness": ("贴近度", "与最劣距离 ÷（与最优距离 + 与最劣距离）"),
    "id": ("编号", "编号"), "name": ("名称", "名称"), "unit": ("计量单位", "计量单位"), "direction": ("方向", "指标方向"),
    "aggregate": ("汇总方式", "村级指标汇总到乡镇的方式"), "lo": ("评分下限", "得 0 分的数值"), "hi": ("评分上限", "得 100 分的数值"),
    "aliases": ("别名", "可接受的其他写法"), "required": ("必报", "是否必报"), "programme": ("所属工程", "所属工程"),
    "min": ("最低分", "该等次的最低分"), "township_id": ("乡镇编号", "所属乡镇的编号"),
}

#: Words of the API's values → Chinese, by column id.
VALUE_LABELS = {
    "status": {"loaded": "已读取", "rejected": "已拒收", "skipped": "已跳过（锁定或附属文件）"},
    "severity": {"error": "错误", "warning": "提示"},
    "level": {"village": "村（社区）", "township": "乡镇"},
    "method": {"goalposts": "固定区间", "minmax": "年内极差", "zscore": "标准分", "rank": "名次百分位",
               "target": "目标达成度"},
    "move": {"up": "晋位升级", "same": "持平", "down": "降级"},
    "band": {"top": "先进", "middle": "中间", "bottom": "后进"},
    "direction": {"higher": "越高越好", "lower": "越低越好", "monitor": "仅监测"},
    "aggregate": {"sum": "各村合计", "mean": "各村平均", "share_meeting_target": "达标村占比"},
    "missing_rule": {"zero": "不报不得分", "renormalise": "按已报指标重新归一"},
}

#: Columns holding fractions (0–1), shown ×100 with ``%``; and percentage points (0–100) shown with ``%``.
FRACTION_COLUMNS = frozenset({"top_rate", "good_rate", "bad_rate", "p_bottom", "cagr", "weight", "village_coverage",
                              "coverage", "好票率", "好评率", "差评率", "倒排概率", "村覆盖率"})
POINT_COLUMNS = frozenset({"share", "pct_change", "pct_per_year", "on_time_rate", "completion", "覆盖率"})
_DIGITS = {"closeness": 3, "d_best": 3, "d_worst": 3}
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s，。；：、“”（）()]+)+[\\/]([^\\/\s，。；：、“”（）()]+)")


def file_name(path):
    """The file name of a path, Windows or POSIX (``C:\\数据\\东山镇.xlsx`` → ``东山镇.xlsx``)."""
    return re.split(r"[\\/]", path)[-1] if isinstance(path, str) else path


def _catalog(data, catalog):
    from ..metrics._frames import catalog_of

    return catalog_of(data, catalog)


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


def _header(column, frame: pd.DataFrame, ids: dict) -> str:
    if pd.api.types.is_integer(column):
        return f"{int(column)}年" if 1900 <= int(column) <= 2100 else str(int(column))
    if column == "met" and pd.api.types.is_bool_dtype(frame[column]):
        return "是否达标"
    if column == "coverage" and "linked" in frame:
        return "联系覆盖率"
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


def _values(series: pd.Series, column, ids: dict) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        yes, no = ("待核实", "") if column == "provisional" else ("是", "否")
        return series.map(lambda v: None if pd.isna(v) else (yes if v else no)).astype(object)
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return series
    if column in ("file", "source_file"):
        return series.map(file_name)
    if column == "code":
        from ._issue_text import category

        return series.map(lambda v: category(v) if isinstance(v, str) else v)
    if column in ("message", "provisional_reason", "incomplete_reason", "reasons", "grade_note"):
        return series.map(lambda v: _PATH.sub(r"\1", v) if isinstance(v, str) else v)
    mapping = VALUE_LABELS.get(column) or ids.get(column)
    if mapping is None:             # any other text column: catalogue ids still become names
        mapping = {k: v for names in ids.values() for k, v in names.items() if k != "overall"}
    return series.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def _translate(data, catalog=None, *, ids: bool = False, compact: bool = False, percent=()):
    """(Chinese frame, {Chinese header: format kind}); numbers unchanged; ``percent``: columns of
    percentage points besides :data:`POINT_COLUMNS`."""
    frame = _as_frame(data)
    names = _vocabulary(_catalog(data, catalog))
    drop = [] if ids else [c for c in ("unit_id", "township_id") if c in frame]
    if compact and {"unit_name", "township"} <= set(frame) and frame["unit_name"].equals(frame["township"]):
        drop.append("township")
    if "band" in frame and "band_zh" in frame:
        drop.append("band")
    frame = frame.drop(columns=drop)
    out, kinds, seen = {}, {}, {}
    for column in frame.columns:
        header = _header(column, frame, names)
        seen[header] = seen.get(header, 0) + 1
        header = header if seen[header] == 1 else f"{header}（{seen[header]}）"
        out[header] = _values(frame[column], column, names)
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
    chinese = to_chinese(frame, catalog=catalog, ids=ids)
    kept = [c for c in frame.columns if ids or c not in ("unit_id", "township_id")]
    kept = [c for c in kept if not (c == "band" and "band_zh" in frame)]
    notes = [COLUMN_LABELS.get(c, ("", f"评价为“{c}”的票数" if c in ratings else ""))[1] for c in kept]
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
    return str(value)


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
