"""Output folders that never lose a user's file and survive Ctrl+C (issue 20, points 3 and 4).

A folder is replaced only when every file in it is one the previous run wrote, unedited; an
output folder that holds an input is refused before anything starts; Ctrl+C stops the chart
workers before the temporary folder goes; stale temporary folders of dead runs are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import run_cli
from dangjian_analysis.documents._folders import FolderError, check_target, replacing


def _hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def previous(report_dir, tmp_path) -> Path:
    """A copy of the session's report, as a previous year's folder beside the next run."""
    folder = tmp_path / "2014报告"
    shutil.copytree(report_dir, folder)
    return folder


def test_a_users_file_in_the_report_folder_is_refused_and_kept(previous):
    (previous / "我的修改稿.docx").write_bytes(b"analyst's own draft")
    before = _hashes(previous)
    result = run_cli("report", "--out", str(previous))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"dangjian report：输出文件夹 {previous} 中有不是本工具上次生成的文件（我的修改稿.docx），为免删除，"
        "请把它们移到别处后重新运行，或换一个输出文件夹")
    assert _hashes(previous) == before and _hidden(previous.parent) == []


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    mine = tmp_path / "我的文件"
    mine.mkdir()
    (mine / "工作计划.docx").write_bytes(b"x")
    with pytest.raises(FolderError, match=r"我的文件 中有不是本工具上次生成的文件（工作计划.docx）"):
        check_target(mine)


def test_only_the_manifests_files_pdfs_beside_its_docx_and_system_files_are_ours(previous):
    check_target(previous)                                          # the report as written: ours
    (previous / "report.pdf").write_bytes(b"%PDF")                  # --pdf writes these after the manifest
    (previous / "反馈单" / "东山镇.pdf").write_bytes(b"%PDF")
    (previous / "charts" / ".DS_Store").write_bytes(b"")
    (previous / "Thumbs.db").write_bytes(b"")
    check_target(previous)
    (previous / "反馈单" / "外来.pdf").write_bytes(b"%PDF")            # no 外来.docx was written
    (previous / "草稿").mkdir()                                      # an empty folder of the user's
    (previous / "旧稿").mkdir()
    for k in range(3):
        (previous / "旧稿" / f"{k}.docx").write_bytes(b"x")
    with pytest.raises(FolderError) as refused:
        check_target(previous)
    assert "（反馈单/外来.pdf、旧稿/、草稿/）" in str(refused.value)     # a foreign folder is named once


def test_an_edited_output_is_refused_naming_it(previous):
    (previous / "report.docx").write_bytes(b"edited in Word")
    (previous / "data" / "scores.csv").write_text("改过", "utf-8")
    with pytest.raises(FolderError) as refused:
        check_target(previous)
    assert str(refused.value) == (
        f"输出文件夹 {previous} 中的 data/scores.csv、report.docx 在生成后被修改过，重新生成会覆盖这些修改："
        "请把修改过的文件另存到别处后重新运行，或换一个输出文件夹")
    (previous / "manifest.json").write_text("{", "utf-8")            # an unreadable manifest: nothing is ours
    with pytest.raises(FolderError, match=r"（charts/、data/、manifest.json 等 \d+ 个）"):
        check_target(previous)


def test_a_document_open_in_an_office_program_is_said_as_such(previous):
    (previous / ".~lock.report.docx#").write_bytes(b"")          # LibreOffice; Word writes ~$port.docx
    with pytest.raises(FolderError) as refused:
        check_target(previous)
    assert str(refused.value) == (
        f"输出文件夹 {previous} 中的文件正在 Word、WPS 或 LibreOffice 中打开（锁定文件 .~lock.report.docx#）："
        "请关闭后重新运行（已关闭时删除这个锁定文件）")


def test_an_output_folder_holding_the_data_is_refused_before_anything_starts(previous, sample_dir):
    shutil.copytree(sample_dir, previous / "数据")
    before = _hashes(previous)
    result = run_cli("report", "--data", "2014报告/数据", "--out", "2014报告", cwd=previous.parent)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "dangjian report：输出文件夹 2014报告 包含数据 2014报告/数据：生成时整个文件夹会被替换，数据会被删除；"
        "请换一个不包含输入文件的输出文件夹"]
    result = run_cli("report", "--data", "2014报告/数据", "--out", "2014报告/数据/报告", cwd=previous.parent)
    assert result.returncode == 1 and "在数据文件夹 2014报告/数据 之内" in result.stderr
    catalog = previous.parent / "本县指标体系.toml"
    catalog.write_text("", "utf-8")
    result = run_cli("charts", "--catalog", "本县指标体系.toml", "--out", ".", cwd=previous.parent)
    assert result.returncode == 1 and result.stderr.strip().splitlines()[-1] == (
        "dangjian charts：输出文件夹 . 包含指标体系文件 本县指标体系.toml：生成时整个文件夹会被替换，"
        "指标体系文件会被删除；请换一个不包含输入文件的输出文件夹")
    assert _hashes(previous) == before and _hidden(previous.parent) == []


def test_charts_out_replaces_only_its_own_files(report_dir, tmp_path):
    out = tmp_path / "图表"
    shutil.copytree(report_dir / "charts", out / "charts")
    shutil.copy(report_dir / "slides.pptx", out)
    check_target(out, only=("slides.pptx", "charts/[0-9][0-9]_*.png"))
    (out / "charts" / "我的图.png").write_bytes(b"png")
    before = _hashes(out)
    started = time.monotonic()
    result = run_cli("charts", "--out", str(out))
    assert result.returncode == 1 and result.stderr.strip().splitlines()[-1] == (
        f"dangjian charts：输出文件夹 {out} 中有不是本工具上次生成的文件（charts/我的图.png），为免删除，"
        "请把它们移到别处后重新运行，或换一个输出文件夹")
    assert _hashes(out) == before and time.monotonic() - started < 20     # refused before the data are read


def test_returned_copies_in_a_subfolder_are_not_ours(tmp_path):
    """``validate --return``'s patterns match names at the top of the folder only."""
    out = tmp_path / "退回"
    (out / "旧").mkdir(parents=True)
    (out / "东山镇_2016_退回修改.xlsx").write_bytes(b"x")
    (out / "旧" / "东山镇_2015_退回修改.xlsx").write_bytes(b"kept")
    with pytest.raises(FolderError, match="（旧/）"):
        with replacing(out, only=("*_退回修改*.xlsx",)):
            raise AssertionError("never entered")
    assert (out / "旧" / "东山镇_2015_退回修改.xlsx").read_bytes() == b"kept"


def test_stale_folders_of_dead_runs_are_removed_and_a_lost_target_restored(tmp_path):
    target, dead, alive = tmp_path / "报告", _dead_pid(), os.getppid()
    (tmp_path / f".报告.新-{dead}" / "charts").mkdir(parents=True)
    (tmp_path / f".报告.新-{dead}" / "charts" / "01_综合指数排名.png").write_bytes(b"half")
    kept = tmp_path / f".报告.旧-{dead}"                 # killed between the two renames of the swap
    kept.mkdir()
    (kept / "manifest.json").write_text(json.dumps({"outputs": {}}), "utf-8")
    (tmp_path / f".报告.新-{alive}").mkdir()             # a run still going on: left alone
    with pytest.raises(RuntimeError):
        with replacing(target):
            raise RuntimeError
    assert _hidden(tmp_path) == [f".报告.新-{alive}"]
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json"]


def test_check_prints_only_its_verdict(report_dir, tmp_path, monkeypatch, capsys):
    """Whatever the re-run says on the way (a 提示 about the 报告文字), --check prints its
    verdict only."""
    from dangjian_analysis import cli
    from dangjian_analysis.documents import report as report_module

    def rebuilt(data, year, catalog, out, **_):
        print("[提示] 报告文字.docx：标题写的是2015年度，本报告为2014年度", file=sys.stderr)
        shutil.copytree(report_dir, out)

    monkeypatch.setattr(report_module, "build_report", rebuilt)
    assert cli.main(["report", "--check", str(report_dir)]) == 0
    captured = capsys.readouterr()
    n = len(json.loads((report_dir / "manifest.json").read_text("utf-8"))["outputs"])
    assert captured.err == "" and captured.out == f"全部 {n} 个输出文件与重新运行的结果一致。\n"


def test_catalog_out_creates_its_folder(tmp_path):
    from dangjian_analysis.catalog import default_catalog_text

    result = run_cli("catalog", "--out", "cat/x.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cat" / "x.toml").read_text("utf-8") == default_catalog_text()
    result = run_cli("catalog", "--out", "cat", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.strip() == (
        "dangjian catalog：--out 应为文件名（如 本县指标体系.toml），cat 是一个文件夹")


def _interrupted(args, parent: Path, name: str) -> subprocess.CompletedProcess:
    """Run the CLI in its own process group; once its workers are writing charts into the fresh
    folder, send SIGINT to the group as a terminal's Ctrl+C does; wait for it to end."""
    proc = subprocess.Popen([sys.executable, "-m", "dangjian_analysis.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)
    charts = parent / f".{name}.新-{proc.pid}" / "charts"
    deadline = time.monotonic() + 300
    while not (charts.is_dir() and any(charts.glob("*.png"))):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_while_drawing_leaves_the_previous_report_and_no_hidden_folder(previous):
    before = _hashes(previous)
    result = _interrupted(["report", "--out", str(previous)], previous.parent, previous.name)
    assert result.returncode == 130 and result.stderr.strip().splitlines()[-1] == "已中断。"
    assert _hashes(previous) == before and _hidden(previous.parent) == []


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_in_charts_out_leaves_the_previous_charts_and_no_hidden_folder(report_dir, tmp_path):
    out = tmp_path / "图表"
    shutil.copytree(report_dir / "charts", out / "charts")
    shutil.copy(report_dir / "slides.pptx", out)
    before = _hashes(out)
    result = _interrupted(["charts", "--out", str(out)], tmp_path, out.name)
    assert result.returncode == 130 and result.stderr.strip().splitlines()[-1] == "已中断。"
    assert _hashes(out) == before and _hidden(tmp_path) == []


def test_returned_copies_inside_the_data_folder_are_refused(tmp_path, sample_dir):
    """``validate 回收表/ --return 回收表/退回``: the next reading would take the copies for returns."""
    data = tmp_path / "回收表"
    data.mkdir()
    shutil.copy(sample_dir / "青石乡.xlsx", data / "青石乡.xlsx")
    result = run_cli("validate", "回收表", "--return", "回收表/退回", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "输出文件夹 回收表/退回 在数据文件夹 回收表 之内" in result.stderr
    assert sorted(p.name for p in data.iterdir()) == ["青石乡.xlsx"]
