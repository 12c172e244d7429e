"""The yearly report's frame: the year to report, manifest.json, ``--check`` and PDF.

The report itself is built by :func:`~dangjian_analysis.documents.pipeline.build_report`
(re-exported here), in this process. This module writes ``manifest.json`` (parameters, input
hashes, the catalogue's hash, package versions and the SHA-256 of every other output), re-runs
a report from its manifest to check it (:func:`check_report`) and converts report.docx to PDF
with LibreOffice (:func:`write_pdf`). Two runs on the same inputs and versions give
byte-identical files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
from importlib import metadata
from pathlib import Path

from .pipeline import build_report

__all__ = ["build_report", "check_report", "write_pdf", "find_soffice", "write_manifest", "PDF_NEEDS", "ReportError",
           "report_year"]

_PACKAGES = ["dangjian-analysis", "pandas", "numpy", "matplotlib", "openpyxl", "python-calamine", "python-pptx",
             "python-docx", "lxml", "pillow"]


class ReportError(Exception):
    """A problem that stops the report (one Chinese line for the analyst)."""


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


def _display(path, base: Path) -> str:
    """A path as recorded in the manifest: relative to the manifest's folder ``base`` when
    inside it, absolute otherwise (so that ``--check`` works from any working folder)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


#: The line shown when ``--pdf`` is asked for without LibreOffice.
PDF_NEEDS = ("需要安装 LibreOffice（soffice）才能生成 PDF：请安装后再运行 dangjian report --pdf，"
             "或用 --soffice 指明 soffice 程序的位置（如 C:\\Program Files\\LibreOffice\\program\\soffice.exe）")


def _windows_soffice() -> list[Path]:
    """Where LibreOffice's installer puts soffice.exe on Windows: Program Files (for every
    user) or the user's AppData\\Local\\Programs (installed without admin rights)."""
    import os

    roots = [os.environ.get(k) for k in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
    places = [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in dict.fromkeys(roots) if r]
    if os.environ.get("LOCALAPPDATA"):
        places.append(Path(os.environ["LOCALAPPDATA"]) / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    return places


def find_soffice(soffice: str | Path | None = None) -> Path | None:
    """LibreOffice's ``soffice``: the program given, else the one on the PATH, else where the
    Windows installer puts it (Program Files, or the user's AppData\\Local\\Programs); None when
    there is none.

    Raises
    ------
    ReportError
        ``soffice`` was given and is not a file.
    """
    import shutil

    if soffice is not None:
        path = Path(soffice)
        if not path.is_file():
            raise ReportError(f"找不到 LibreOffice 程序：{soffice}（--soffice 应指向 soffice 或 soffice.exe）")
        return path
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return Path(found)
    return next((p for p in _windows_soffice() if p.is_file()), None)


def write_pdf(folder: str | Path, *, soffice: str | Path | None = None) -> Path:
    """Convert ``folder/report.docx`` to ``folder/report.pdf`` (and each ``反馈单/<乡镇>.docx`` to a PDF
    beside it) with LibreOffice
    (``soffice --headless --convert-to pdf``, found by :func:`find_soffice`); raises
    :class:`ReportError` (:data:`PDF_NEEDS`) without it. The PDF is not in the manifest
    (LibreOffice stamps it with the time)."""
    import subprocess
    import tempfile

    folder = Path(folder)
    program = find_soffice(soffice)
    if program is None:
        raise ReportError(PDF_NEEDS)
    docx = folder / "report.docx"
    if not docx.exists():
        raise ReportError(f"{folder} 中没有 report.docx，无法生成 PDF")
    with tempfile.TemporaryDirectory() as profile:     # a private profile: works beside an open LibreOffice
        result = subprocess.run([str(program), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                 "--convert-to", "pdf", "--outdir", str(folder.resolve()), str(docx.resolve())],
                                capture_output=True, text=True, timeout=600)
    pdf = folder / "report.pdf"
    if result.returncode != 0 or not pdf.exists():
        raise ReportError(f"LibreOffice 未能把 report.docx 转为 PDF（返回码 {result.returncode}）")
    sheets = sorted((folder / "反馈单").glob("*.docx"))
    if sheets:                                          # each township's 反馈单 beside its docx, in one run
        with tempfile.TemporaryDirectory() as profile:
            result = subprocess.run([str(program), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                     "--convert-to", "pdf", "--outdir", str((folder / "反馈单").resolve()),
                                     *(str(d.resolve()) for d in sheets)], capture_output=True, text=True, timeout=600)
        missing = [d.name for d in sheets if not d.with_suffix(".pdf").exists()]
        if result.returncode != 0 or missing:
            raise ReportError(f"LibreOffice 未能把反馈单转为 PDF：{'、'.join(missing) or '返回码 ' + str(result.returncode)}")
    return pdf


def _versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "未安装"
    return versions


def _inputs(data, base: Path, narrative=None) -> list[dict]:
    """Every input file with its SHA-256, as recorded in the manifest (``data``: the paths
    read; None for the bundled sample), and the 报告文字 file read (``narrative``), last."""
    from ..intake import collect_files
    from ..resources import sample_path

    files, _ = collect_files(list(data) if data else [sample_path()])
    files += [Path(narrative)] if narrative is not None and Path(narrative).is_file() else []
    return [{"file": _display(f, base), "sha256": _sha256(f)} for f in files]


def write_manifest(folder: Path, out: Path, data, year, catalog, catalog_sha256: str, *, svg: bool = False,
                   notebook: bool = False, report_year: int | None = None, previous_report=None,
                   confirmations=(), truncated=(), narrative=None, narrative_given=None) -> Path:
    """Write ``folder/manifest.json``: the parameters, the inputs and their SHA-256, the
    catalogue's hash, the versions and the SHA-256 of every other file in ``folder``. Paths are
    recorded relative to ``out`` (where the manifest will be) when inside it, else absolute.
    ``report_year`` is the year reported (``year`` may be None: the latest); ``confirmations``,
    the doubtful values confirmed (each: the cell, its value, who, and where it was confirmed);
    ``truncated``, one Chinese line per text cut at an output format's limit (where the full
    text is), empty when nothing was cut. ``narrative``: the 报告文字 file read (None when there was
    none), recorded with its SHA-256 among the inputs; ``narrative_given``: the path given for it
    (None: the default beside the data), recorded among the parameters."""
    catalog_path = catalog if isinstance(catalog, (str, Path)) else None
    manifest = {
        "parameters": {"data": [_display(d, out) for d in data] if data else None, "year": year,
                       "catalog": _display(catalog_path, out) if catalog_path else None, "svg": bool(svg),
                       "notebook": bool(notebook),
                       "previous_report": _display(previous_report, out) if previous_report else None,
                       "narrative": _display(narrative_given, out) if narrative_given else None},
        "report_year": report_year,
        "confirmations": list(confirmations),
        "truncated": list(truncated),
        "inputs": _inputs(data, out, narrative),
        "catalog": {"source": "默认指标体系" if catalog is None else (_display(catalog_path, out) if catalog_path
                                                                   else "程序中给出的指标体系"),
                    "sha256": catalog_sha256},
        "versions": _versions(),
        "outputs": _output_hashes(folder),
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return path


def _recorded(value: str | None, base: Path) -> Path | None:
    """A path recorded by :func:`write_manifest`, back as a path (relative ones from ``base``)."""
    return None if value is None else (base / value).resolve()


def check_report(folder: str | Path, *, progress: bool = False) -> tuple[bool, list[str]]:
    """Re-run the report recorded in ``folder/manifest.json`` and compare every output.

    Returns ``(all match, lines)`` where the lines say, in Chinese, what differs (inputs
    changed, versions differ, outputs that no longer match). Works from any working folder.
    Unless ``progress`` (the re-run's steps on stderr), the re-run prints nothing — its 提示 and
    warnings were said when the report was made — so the lines are the whole verdict.
    """
    import tempfile

    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise ReportError(f"{folder} 中没有 manifest.json，不是 dangjian report 生成的文件夹")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    lines, ok = [], True
    params = manifest["parameters"]
    recorded_data = params["data"]
    if isinstance(recorded_data, str):                   # a manifest of an earlier version: one path
        recorded_data = [recorded_data]
    data = [_recorded(d, folder) for d in recorded_data] if recorded_data else None
    missing = [str(d) for d in data or () if not d.exists()]
    if missing:
        raise ReportError(f"找不到 manifest 记录的数据：{'、'.join(missing)}")
    catalog = _recorded(params["catalog"], folder)
    before = {i["file"]: i["sha256"] for i in manifest["inputs"]}
    given = _recorded(params.get("narrative"), folder)
    with tempfile.TemporaryDirectory() as tmp:
        from .narrative import narrative_path

        story = narrative_path(data, given)
        now = {i["file"]: i["sha256"] for i in _inputs(data, folder, story)}
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
        fresh_dir = Path(tmp) / "out"
        previous = _recorded(params.get("previous_report"), folder)
        quiet = contextlib.nullcontext() if progress else contextlib.redirect_stderr(io.StringIO())
        with quiet:                                  # only the verdict: the run's 提示 were said when it was made
            build_report(data, params["year"], catalog, fresh_dir, progress=progress, svg=params.get("svg", False),
                         notebook=params.get("notebook", False), previous_report=previous, narrative=given)
        fresh = _output_hashes(fresh_dir)
    differ = sorted(k for k in set(recorded) | set(fresh) if recorded.get(k) != fresh.get(k))
    if differ:
        ok = False
        lines.append(f"重新运行后不一致的文件：{'、'.join(differ)}")
    lines.append(f"全部 {len(recorded)} 个输出文件与重新运行的结果一致。" if ok else "检查未通过。")
    return ok, lines
