"""The yearly report: execute notebook 05 with papermill, then write the notebook and manifest.

``build_report`` runs ``notebooks/05_年度报告.ipynb`` of the source checkout with the
parameters ``data_path, year, catalog_path, out_dir, svg``. The notebook calls the library to
write ``report.docx``, ``report.html``, ``summary.xlsx``, ``slides.pptx``, ``charts/`` and
``data/``; this module then writes ``report.ipynb`` (the executed notebook, its random ids and
timings normalised) and ``manifest.json`` (parameters, input hashes, the catalogue's hash,
package versions and the SHA-256 of every other output). Two runs on the same inputs and
versions give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["build_report", "check_report", "write_pdf", "PDF_NEEDS", "ReportError", "report_year", "sample_path", "notebook_path", "NOTEBOOK"]

NOTEBOOK = "05_年度报告.ipynb"
_STEPS = {"load": "读取数据", "validate": "校验", "score": "计算指标", "charts": "绘制图表", "files": "写出文件"}
_PACKAGES = ["dangjian-analysis", "pandas", "numpy", "matplotlib", "openpyxl", "python-calamine", "python-pptx",
             "python-docx", "lxml", "pillow", "papermill", "nbclient", "nbformat", "ipykernel"]


class ReportError(Exception):
    """A problem that stops the report (one Chinese line for the analyst)."""


def notebook_path(name: str = NOTEBOOK) -> Path:
    """A shipped notebook as a file on disk (see :func:`dangjian_analysis.resources.notebook_path`)."""
    from .. import resources

    return resources.notebook_path(name)


def sample_path() -> Path:
    """The bundled fictional sample county (see :func:`dangjian_analysis.resources.sample_path`)."""
    from .. import resources

    return resources.sample_path()


def report_year(ds, year: int | None = None) -> int:
    """The year to report: ``year`` if the data have it, else the latest year; raises
    :class:`ReportError` when there is nothing to report."""
    years = sorted(set(int(y) for y in ds.observations["year"]))
    if not years:
        raise ReportError("没有读到任何指标数据，无法生成报告（请先用 dangjian validate 检查数据）")
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise ReportError(f"数据中没有 {year} 年度的指标数据（有：{'、'.join(map(str, years))}）")
    return int(year)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _output_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` except the manifest, by relative path."""
    return {p.relative_to(folder).as_posix(): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def _display(path) -> str:
    """A path as recorded in the manifest: relative to the working folder when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _normalise(nb) -> None:
    """Remove what changes between runs: timings, random cell ids, papermill's times."""
    nb.metadata.pop("papermill", None)
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:02d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("collapsed", None)


def build_report(data=None, year: int | None = None, catalog=None, out="report", *, progress: bool = True,
                 svg: bool = False) -> Path:
    """Build the yearly report into ``out`` (see the module docstring); returns the folder.
    ``svg`` also writes each chart as SVG.

    Raises
    ------
    ReportError
        With one Chinese line when the report cannot be built (no data for the year,
        a notebook step failed).
    """
    # jsonschema (under nbformat) imports the optional rfc3987_syntax, which builds a grammar at
    # import: about 1 s, for IRI format checks a notebook never uses. Mark it absent unless loaded.
    sys.modules.setdefault("rfc3987_syntax", None)
    from concurrent.futures import ThreadPoolExecutor

    import nbformat
    import papermill as pm

    from ..intake import LoadError, collect_files

    data = Path(data) if data is not None else sample_path()
    if not data.exists():
        raise ReportError(f"找不到数据：{data}")
    try:
        collect_files([data], strict=True)
    except LoadError as exc:
        raise ReportError(str(exc)) from None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    notebook = notebook_path()
    if not notebook.exists():
        raise ReportError(f"找不到报告笔记本：{notebook}（请在项目目录中以可编辑方式安装：pip install -e .）")
    # The kernel runs inside ``out`` and writes to ".", so the executed notebook does not
    # depend on where the report goes; inputs are passed as absolute paths.
    parameters = {"data_path": str(data.resolve()), "year": year,
                  "catalog_path": str(Path(catalog).resolve()) if catalog else None, "out_dir": ".",
                  "svg": bool(svg)}
    steps = list(_STEPS)

    def announce(cell, cell_index, **_):
        step = cell.metadata.get("dangjian_step")
        if progress and step in _STEPS:
            print(f"[{steps.index(step) + 1}/{len(steps)}] {_STEPS[step]}…", file=sys.stderr, flush=True)

    executed = out / "report.ipynb"
    pool = ThreadPoolExecutor(1)
    catalog_sha256 = pool.submit(_catalog_hash, catalog)          # pandas loads while the kernel works
    pool.shutdown(wait=False)
    try:
        pm.execute_notebook(str(notebook), str(executed), parameters=parameters, progress_bar=False,
                            kernel_name="python3", language="python", cwd=str(out.resolve()),
                            request_save_on_cell_execute=False,        # written once, at the end
                            on_cell_start=announce, extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except pm.PapermillExecutionError as exc:
        if exc.ename == "ReportError":
            raise ReportError(str(exc.evalue)) from None
        raise ReportError(f"报告笔记本第 {exc.exec_count} 个单元格出错：{exc.ename}: {exc.evalue}") from None
    nb = nbformat.read(executed, as_version=4)
    _normalise(nb)
    nbformat.write(nb, executed)
    _manifest(out, data, year, catalog, catalog_sha256.result(), svg)
    if progress:
        print(f"报告已生成：{out / 'report.docx'}、{out / 'report.html'} 等（见 {out}）", file=sys.stderr)
    return out


#: The line shown when ``--pdf`` is asked for without LibreOffice.
PDF_NEEDS = "需要安装 LibreOffice（soffice）才能生成 PDF：请安装后确认 soffice 命令可用，再运行 dangjian report --pdf"


def write_pdf(folder: str | Path) -> Path:
    """Convert ``folder/report.docx`` to ``folder/report.pdf`` with LibreOffice
    (``soffice --headless --convert-to pdf``); raises :class:`ReportError` (:data:`PDF_NEEDS`)
    when ``soffice`` is not on the PATH. The PDF is not in the manifest (LibreOffice stamps it
    with the time)."""
    import shutil
    import subprocess
    import tempfile

    folder = Path(folder)
    soffice = shutil.which("soffice")
    if soffice is None:
        raise ReportError(PDF_NEEDS)
    docx = folder / "report.docx"
    if not docx.exists():
        raise ReportError(f"{folder} 中没有 report.docx，无法生成 PDF")
    with tempfile.TemporaryDirectory() as profile:     # a private profile: works beside an open LibreOffice
        result = subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                 "--convert-to", "pdf", "--outdir", str(folder.resolve()), str(docx.resolve())],
                                capture_output=True, text=True, timeout=600)
    pdf = folder / "report.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise ReportError(f"LibreOffice 未能把 report.docx 转为 PDF（返回码 {result.returncode}）")
    return pdf


def _versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "未安装"
    return versions


def _inputs(data: Path) -> list[dict]:
    from ..intake import collect_files

    files, _ = collect_files([data])
    return [{"file": _display(f), "sha256": _sha256(f)} for f in files]


def _catalog_hash(catalog) -> str:
    from ..catalog import load_catalog

    return load_catalog(catalog).sha256


def _manifest(out: Path, data: Path, year, catalog, catalog_sha256: str | None = None, svg: bool = False) -> Path:
    catalog_sha256 = _catalog_hash(catalog) if catalog_sha256 is None else catalog_sha256
    outputs = _output_hashes(out)
    manifest = {
        "parameters": {"data": _display(data), "year": year,
                       "catalog": _display(catalog) if catalog else None, "svg": bool(svg)},
        "inputs": _inputs(data),
        "catalog": {"source": "默认指标体系" if not catalog else _display(catalog), "sha256": catalog_sha256},
        "versions": _versions(),
        "outputs": outputs,
    }
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return path


def check_report(folder: str | Path, *, progress: bool = False) -> tuple[bool, list[str]]:
    """Re-run the report recorded in ``folder/manifest.json`` and compare every output.

    Returns ``(all match, lines)`` where the lines say, in Chinese, what differs (inputs
    changed, versions differ, outputs that no longer match).
    """
    import tempfile

    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise ReportError(f"{folder} 中没有 manifest.json，不是 dangjian report 生成的文件夹")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    lines, ok = [], True
    params = manifest["parameters"]
    data = Path(params["data"])
    now = {i["file"]: i["sha256"] for i in _inputs(data)} if data.exists() else {}
    before = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    if now != before:
        ok = False
        changed = sorted(set(now.items()) ^ set(before.items()))
        lines.append(f"输入文件已变化：{'、'.join(sorted({f for f, _ in changed}))}")
    if manifest["versions"] != _versions():
        lines.append("提示：软件版本与生成时不同，输出可能因此不同")
    recorded = manifest["outputs"]
    actual = _output_hashes(folder)
    tampered = sorted(k for k in recorded if actual.get(k) != recorded[k])
    if tampered:
        ok = False
        lines.append(f"与 manifest 记录不符（被修改或缺失）：{'、'.join(tampered)}")
    with tempfile.TemporaryDirectory() as tmp:
        build_report(data, params["year"], params["catalog"], Path(tmp) / "out", progress=progress,
                     svg=params.get("svg", False))
        fresh = _output_hashes(Path(tmp) / "out")
    differ = sorted(k for k in set(recorded) | set(fresh) if recorded.get(k) != fresh.get(k))
    if differ:
        ok = False
        lines.append(f"重新运行后不一致的文件：{'、'.join(differ)}")
    lines.append(f"全部 {len(recorded)} 个输出文件与重新运行的结果一致。" if ok else "检查未通过。")
    return ok, lines
