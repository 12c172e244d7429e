"""The notebook as the analyst reads it: result tables shown as :func:`~.display.show` shows them, and
input errors as one Chinese line.

Nothing here is installed by ``import dangjian_analysis``: a notebook calls

- :func:`chinese_tables` — a table the API returns (a DataFrame carrying the catalogue it was
  computed with in ``attrs["catalog"]``, the toolkit's mark on its results) is displayed through
  :func:`~.display.show`: Chinese headers and values, fixed decimals, rates in %. The object
  stays the plain DataFrame (English column ids, full precision) for the code; other frames are
  displayed as pandas displays them, and no pandas option is changed. A frame longer than
  pandas' ``display.max_rows`` shows its first ``display.min_rows`` rows and says so.
- :func:`chinese_errors` — an error caused by the analyst's input (a ``ValueError``, ``KeyError``
  or ``ReportError`` raised by this package's own code with a Chinese message, e.g. a year that
  is not in the data) is shown as one line, ``出错：…（运行 %tb 可查看完整的出错过程）``; ``%tb``
  in the next cell prints the full traceback. Every other exception — a bug, or an error raised
  inside pandas, numpy or the user's own code — keeps IPython's full traceback.
- :func:`notebook_setup` — both, and :func:`~.display.chinese_warnings`.

Each returns a handle that undoes it in a ``with`` block (or by ``handle.__exit__()``), like
:func:`~.display.chinese_warnings`; outside IPython each does nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

__all__ = ["chinese_tables", "chinese_errors", "notebook_setup", "toolkit_table", "input_error_line"]

_PACKAGE = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: The hint after an input error's one line.
TB_HINT = "（运行 %tb 可查看完整的出错过程）"


def _shell():
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()


def toolkit_table(obj) -> bool:
    """True for a DataFrame the API returned: it carries a :class:`~dangjian_analysis.Catalog` in
    ``attrs["catalog"]`` (and so do the slices and copies pandas makes of it)."""
    from ..catalog.loader import Catalog

    return isinstance(obj, pd.DataFrame) and isinstance(obj.attrs.get("catalog"), Catalog)


def _shown(frame: pd.DataFrame):
    """(:func:`show` of the rows to display, a note when rows are left out)."""
    from .display import show

    if not isinstance(frame.index, pd.RangeIndex):        # e.g. a transition matrix: its index is data
        frame = frame.reset_index()
    limit = pd.get_option("display.max_rows")
    note = ""
    if limit is not None and len(frame) > limit:
        rows = pd.get_option("display.min_rows") or limit
        note = f"共 {len(frame)} 行，显示前 {rows} 行；全部：dj.show(表格)"
        frame = frame.head(rows)
    return show(frame), note


class _Restore:
    """Undo on ``__exit__`` (a ``with`` block), keep otherwise."""

    def __init__(self, undo=None):
        self._undo = undo

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._undo is not None:
            self._undo()
            self._undo = None


def chinese_tables() -> _Restore:
    """Display the API's result tables as :func:`~dangjian_analysis.show` would (HTML and plain text).

    Registers IPython display formatters for ``DataFrame``; a frame that :func:`toolkit_table`
    does not recognise, or one :func:`show` cannot lay out (e.g. columns in several levels), is
    displayed by the formatter that was there before (pandas' own).
    """
    ip = _shell()
    if ip is None:
        return _Restore()
    html_fmt = ip.display_formatter.formatters["text/html"]
    text_fmt = ip.display_formatter.formatters["text/plain"]
    had = {fmt: fmt.type_printers.get(pd.DataFrame) for fmt in (html_fmt, text_fmt)}
    old_html = html_fmt.for_type(pd.DataFrame, None)        # looks the one in use up without changing it
    old_text = text_fmt.for_type(pd.DataFrame, None)

    def html(frame):
        if toolkit_table(frame):
            try:
                table, note = _shown(frame)
                return table.to_html() + (f"<p>{note}</p>" if note else "")
            except Exception:       # noqa: BLE001 — a layout show() cannot make: pandas' own display
                pass
        return old_html(frame) if old_html is not None else frame._repr_html_()

    def text(frame, p, cycle):
        if toolkit_table(frame):
            try:
                table, note = _shown(frame)
                p.text(repr(table) + (f"\n{note}" if note else ""))
                return
            except Exception:       # noqa: BLE001
                pass
        if old_text is not None:
            return old_text(frame, p, cycle)
        for k, line in enumerate(repr(frame).splitlines()):
            if k:
                p.break_()
            p.text(line)

    html_fmt.for_type(pd.DataFrame, html)
    text_fmt.for_type(pd.DataFrame, text)

    def undo():
        for fmt, old in had.items():
            fmt.pop(pd.DataFrame, None)
            if old is not None:
                fmt.for_type(pd.DataFrame, old)

    return _Restore(undo)


def input_error_line(etype, value, tb) -> str | None:
    """The one line for an error the analyst's input caused, or None for anything else.

    An input error is a ``ValueError``/``KeyError`` (``CatalogError``, ``LoadError`` … are
    ``ValueError``) or ``ReportError`` whose innermost frame is this package's code and whose
    message is Chinese: the package raised it on purpose, having checked the input.
    """
    from .report import ReportError

    if not issubclass(etype, (ValueError, KeyError, ReportError)) or tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    if _PACKAGE not in Path(tb.tb_frame.f_code.co_filename).resolve().parents:
        return None
    message = value.args[0] if isinstance(value, KeyError) and len(value.args) == 1 else str(value)
    if not isinstance(message, str) or not _CJK.search(message):
        return None
    return f"出错：{message}{TB_HINT}"


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: one line for an input error, the full traceback else."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb     # what %tb shows
    if sys.version_info >= (3, 12):
        sys.last_exc = value
    line = input_error_line(etype, value, tb)
    if line is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    else:
        shell._showtraceback(etype, value, [line])
    return None


def chinese_errors() -> _Restore:
    """Show an error caused by the analyst's input as one Chinese line (see the module docstring)."""
    ip = _shell()
    if ip is None:
        return _Restore()
    from .report import ReportError

    previous = (ip.custom_exceptions, ip.CustomTB)
    ip.set_custom_exc((ValueError, KeyError, ReportError), _handler)

    def undo():
        ip.custom_exceptions, ip.CustomTB = previous

    return _Restore(undo)


def notebook_setup() -> _Restore:
    """:func:`~dangjian_analysis.chinese_warnings`, :func:`chinese_errors` and :func:`chinese_tables` at once."""
    from .display import chinese_warnings

    handles = [chinese_warnings(), chinese_errors(), chinese_tables()]

    def undo():
        for handle in reversed(handles):
            handle.__exit__(None, None, None)

    return _Restore(undo)
