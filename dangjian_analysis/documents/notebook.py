"""``report.ipynb`` on request (``dangjian report --notebook``): notebook 05 executed on the report's inputs.

The report does not need Jupyter; this optional step runs the shipped notebook
``05_年度报告.ipynb`` (which calls the same library steps, one cell each) with nbclient in a
kernel of this very Python (never another ``python3`` kernel registered on the machine), after a cell of parameters (``DATA``, ``YEAR``, ``CATALOG``) placed
below the notebook's own ``parameters`` cell. Run ids, timings and cell ids are fixed, so the
file is the same bytes for the same inputs.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["execute_report_notebook", "REPORT_NOTEBOOK"]

REPORT_NOTEBOOK = "05_年度报告.ipynb"


def _parameters(data, year, catalog) -> str:
    shown = [str(p) for p in data] if data else None
    return (f"# dangjian report 传入的参数\nDATA = {shown!r}\nYEAR = {year!r}\n"
            f"CATALOG = {str(catalog) if catalog is not None else None!r}\n")


def _normalise(nb) -> None:
    """Remove what changes between runs: timings and random cell ids."""
    nb.metadata.pop("papermill", None)
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:02d}"
        for key in ("execution", "collapsed"):
            cell.metadata.pop(key, None)


def execute_report_notebook(path: str | Path, *, data=None, year=None, catalog=None, timeout: int = 600) -> Path:
    """Execute notebook 05 on ``data``/``year``/``catalog`` and write it to ``path``.

    Raises
    ------
    ReportError
        Jupyter is not installed, or a cell failed (the cell's own error, in one line).
    """
    from .report import ReportError

    try:
        import nbformat
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
    except ImportError:
        raise ReportError("生成 report.ipynb 需要 Jupyter（pip install jupyter）；不加 --notebook 即可生成报告") from None
    from ..resources import notebook_text

    nb = nbformat.reads(notebook_text(REPORT_NOTEBOOK), as_version=4)
    at = next((k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), -1)
    cell = nbformat.v4.new_code_cell(_parameters(data, year, catalog))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(at + 1, cell)
    path = Path(path)
    # no kernel folders: only ipykernel's own spec, which starts this interpreter (sys.executable)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        client.execute()
    except CellExecutionError as exc:
        raise ReportError(f"report.ipynb 运行出错：{exc.ename}: {exc.evalue}") from None
    _normalise(nb)
    nbformat.write(nb, path)
    return path
