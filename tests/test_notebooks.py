"""The analysts' notebooks: stored without outputs, and each runs top to bottom on the sample."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_five_notebooks_without_outputs():
    assert [p.name for p in NOTEBOOKS] == ["01_数据导入与校验.ipynb", "02_乡镇横向比较.ipynb", "03_年度趋势.ipynb",
                                         "04_述职评议.ipynb", "05_年度报告.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert sum(c.cell_type == "markdown" for c in nb.cells) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    if path.stem != "01_数据导入与校验":
        assert images, "the notebook should draw its charts"
    text = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Glyph" not in text and "missing from" not in text
    assert "按默认指标体系" not in text           # every call is given the notebook's catalogue (or its Dataset)
    if path.stem[:2] in ("02", "03", "04"):      # the 报送 of the year shown, computed: the sample is complete
        assert "2015 年度全县 10 个乡镇全部已报送，名次为全县排名。" in text
    from documents.test_display import english_in, visible_text

    for cell in nb.cells:                 # what the analyst sees: Chinese, no ids, no absolute paths
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            shown = str(o.get("text", "")) + str(data.get("text/plain", "")) + str(data.get("text/markdown", "")) \
                + visible_text(str(data.get("text/html", "")))
            assert english_in(shown) == [], f"{path.stem}: {shown[:300]}"


def test_notebooks_start_with_parameters_and_keep_warnings_on():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), path.name
        assert "DATA = None" in code[0].source and "CATALOG = None" in code[0].source, path.name
        source = "\n".join(c.source for c in code)
        assert not re.search(r"(filterwarnings|simplefilter)\(\s*[\"']ignore", source), path.name
        assert "dj.chinese_warnings()" in source and ("dj.show(" in source), path.name


@pytest.mark.parametrize("name", ["02_乡镇横向比较.ipynb", "03_年度趋势.ipynb", "04_述职评议.ipynb"])
def test_notebooks_run_on_a_january_season(name, tmp_path):
    """Early January: three townships' 2016 returns, no county workbook at all (no ballots). Each
    notebook says, in one sentence computed from the roll, that its ranks are among those three."""
    from season import build_season

    three = ["东山镇", "西河乡", "金谷镇"]
    data = build_season(tmp_path, three, county=False)
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / name, as_version=4)
    at = next(k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(f"DATA = {str(data)!r}"))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("text", "")) for o in outputs)
    if name.startswith("04"):
        assert "数据中还没有述职评议计票" in text
    from dangjian_analysis.catalog import load_catalog

    missing = [t for t in load_catalog().townships["unit_name"] if t not in three]     # the other seven, in order
    assert (f"2016 年度已报送 3 个乡镇（全县 10 个），未报送：{'、'.join(missing)}；名次只在已报送的乡镇之间排列，均待核实，"
            "全部报送后重新计算。") in text
    assert "全部已报送" not in text
