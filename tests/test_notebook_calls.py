"""The notebook as the analyst meets it (issue 25 §4): a chart shown once, result tables shown as
dj.show shows them while staying plain DataFrames, and an input error as one Chinese line with the
traceback one ``%tb`` away — real bugs keep theirs. IPython runs in process (InteractiveShell);
one small notebook runs in a real kernel for what only the kernel does (the inline backend)."""

from __future__ import annotations

import sys

import nbformat
import pandas as pd
import pytest

import dangjian_analysis as dj

GROUPS = ["demo", "weak", "leaders", "venues", "members", "feature", "funding", "conduct"]
HINT = "（运行 %tb 可查看完整的出错过程）"

SETUP = f"""
import pandas as pd
import dangjian_analysis as dj
rows = [(uid, name, year, group, score, grade)
        for uid, name, base in [("T01", "东山镇", 91.234567), ("T02", "西河乡", 70.5)]
        for year, shift in [(2014, -25.0), (2015, 0.0)]
        for group, score, grade in [("overall", base + shift, "好" if base + shift >= 90 else "一般" if base + shift >= 60 else "差"),
                                    *[(g, base + shift - k, "") for k, g in enumerate({GROUPS!r})]]]
scores = pd.DataFrame(rows, columns=["unit_id", "unit_name", "year", "group", "score", "grade"])
scores["township"] = scores["unit_name"]
scores["rank"] = scores.groupby(["year", "group"])["score"].rank(ascending=False, method="min").astype(int)
scores.attrs["catalog"] = dj.load_catalog()          # what score_composite's results carry
"""


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An IPython shell in this process (its history in ``tmp_path``), removed afterwards with what
    it put in ``sys``."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    saved = sys.displayhook, sys.excepthook
    ip = InteractiveShell.instance(colors="nocolor")
    assert ip.run_cell(SETUP).success
    yield ip
    InteractiveShell.clear_instance()
    sys.displayhook, sys.excepthook = saved
    for name in ("last_type", "last_value", "last_traceback"):
        sys.__dict__.pop(name, None)


def _run(ip, capsys, cell: str):
    capsys.readouterr()
    result = ip.run_cell(cell)
    return result, capsys.readouterr().out


# -- errors ----------------------------------------------------------------------------------------

def test_import_installs_nothing(shell):
    assert shell.custom_exceptions == ()
    assert pd.DataFrame not in shell.display_formatter.formatters["text/html"].type_printers


def test_an_input_error_is_one_chinese_line_and_tb_shows_the_traceback(shell, capsys):
    shell.run_cell("dj.chinese_errors()")
    result, out = _run(shell, capsys, "dj.grade_transitions(scores, 2015, 2014)")
    assert not result.success and isinstance(result.error_in_exec, ValueError)     # the cell still fails
    assert out.splitlines() == [f"出错：起始年度 2015 晚于结束年度 2014：请先写较早的年度，如 (2014, 2015){HINT}"]
    _, out = _run(shell, capsys, "%tb")
    assert "Traceback" in out and "grade_transitions" in out and "year_order" in out   # one click away
    _, out = _run(shell, capsys, 'dj.ranking_table(scores, 2013)')                     # a year not in the data
    assert out.startswith("出错：") and "2014、2015" in out and len(out.splitlines()) == 1


@pytest.mark.parametrize("cell, kind", [
    ("dj.grade_transitions(scores, 2014, 2015, grades=5)", "TypeError"),   # a bug-like error inside the toolkit
    ("int('x')", "ValueError"),                                          # not raised by the toolkit
    ("{}['年度']", "KeyError"),
])
def test_other_errors_keep_the_full_traceback(shell, capsys, cell, kind):
    shell.run_cell("dj.chinese_errors()")
    result, out = _run(shell, capsys, cell)
    assert not result.success
    assert "Traceback (most recent call last)" in out and kind in out and HINT not in out
    assert len(out.splitlines()) > 3


def test_chinese_errors_in_a_with_block_is_undone(shell, capsys):
    shell.run_cell("with dj.chinese_errors():\n    pass")
    assert shell.custom_exceptions == ()
    _, out = _run(shell, capsys, "dj.grade_transitions(scores, 2015, 2014)")
    assert "Traceback" in out and not out.startswith("出错：")


# -- tables ----------------------------------------------------------------------------------------

def _formats(ip, name: str) -> dict:
    return ip.display_formatter.format(ip.user_ns[name])[0]


def test_result_tables_display_rounded_and_stay_plain_frames(shell):
    shell.run_cell("handle = dj.chinese_tables()\nranking = dj.ranking_table(scores, 2015)\n"
                   "plain = pd.DataFrame({'x': [1.123456]})")
    ranking = shell.user_ns["ranking"]
    assert type(ranking) is pd.DataFrame and ranking.loc[0, "综合指数"] == 91.234567   # the code's object
    shown = _formats(shell, "ranking")
    assert "91.2" in shown["text/html"] and "91.234567" not in shown["text/html"]
    assert shown["text/plain"].splitlines()[1].split()[:4] == ["1", "东山镇", "91.2", "好"]
    part = _formats(shell, "scores")            # a slice of a result keeps the mark: Chinese headers
    assert "分项" in part["text/html"] and "unit_id" not in part["text/html"] and "91.234567" not in part["text/html"]
    plain = _formats(shell, "plain")            # anything else as pandas shows it
    assert plain["text/html"] == shell.user_ns["plain"]._repr_html_() and "1.123456" in plain["text/plain"]
    shell.run_cell("handle.__exit__()")
    assert _formats(shell, "ranking")["text/html"] == ranking._repr_html_()


def test_a_long_result_table_shows_its_first_rows_and_says_so(shell):
    shell.run_cell("dj.chinese_tables()\nlong = pd.concat([scores] * 2, ignore_index=True)")
    assert len(shell.user_ns["long"]) == 72 > pd.get_option("display.max_rows") == 60
    html = _formats(shell, "long")["text/html"]
    assert html.count("<tr>") == 1 + 10 and "共 72 行，显示前 10 行" in html


# -- a real kernel: charts shown once --------------------------------------------------------------

def test_notebook_calls_in_a_kernel(tmp_path):
    """The inline backend draws open figures after a cell: a returned chart used to appear twice."""
    from nbclient import NotebookClient

    cells = [SETUP + "dj.notebook_setup()", 'dj.plot_radar(scores, "东山")', "fig = dj.plot_ranking(scores)",
             "fig", "dj.ranking_table(scores)", "dj.grade_transitions(scores, 2015, 2014)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.cells[-1].metadata["tags"] = ["raises-exception"]
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    outputs = [c.outputs for c in nb.cells]
    images = [sum("image/png" in o.get("data", {}) for o in out) for out in outputs]
    assert images == [0, 1, 1, 1, 0, 0]                 # once each; shown again when asked for by name
    assert [len(out) for out in outputs[1:4]] == [1, 1, 1]         # no second output (the cell's value)
    table = next(o for o in outputs[4] if o.output_type == "execute_result").data
    assert "91.2" in table["text/html"] and "91.234567" not in table["text/html"]
    (error,) = outputs[5]
    assert error.output_type == "error" and error.traceback == [
        f"出错：起始年度 2015 晚于结束年度 2014：请先写较早的年度，如 (2014, 2015){HINT}"]


def test_the_notebooks_set_up_errors_and_tables_and_end_chart_cells_without_a_semicolon():
    from pathlib import Path

    notebooks = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 5
    for path in notebooks:
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        setup = next(c for c in code if "dj.chinese_warnings()" in c)     # the cell that loads the data
        assert "\ndj.chinese_errors()" in setup and "\ndj.chinese_tables()" in setup, path.name
        last_lines = [c.rstrip().splitlines()[-1] for c in code if c.strip()]
        assert not [line for line in last_lines if line.startswith("dj.plot_") and line.endswith(";")], path.name
