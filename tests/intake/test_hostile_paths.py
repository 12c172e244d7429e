"""Folders and file names as shared drives, USB sticks and Windows zips leave them: every path
met is listed with its status, one bad path never stops the batch, no name crashes an output."""

from __future__ import annotations

import errno
import json
import os
import shutil

import openpyxl
import pytest

from dangjian_analysis.intake import load
from dangjian_analysis.intake._files import _os_refusal, fetch

from helpers import SAMPLE, run_cli

WORKBOOK = SAMPLE / "东山镇.xlsx"


def _status(ds, path) -> str:
    return ds.files.set_index("file").loc[str(path), "status"]


def _issues(ds, path):
    return ds.issues[ds.issues["file"] == str(path)]


def _remove_deep(top) -> None:
    """Remove a folder tree of any depth or path length without recursion, stepping in and out
    with relative paths (pytest's own clean-up of old temporary folders recurses and would fail)."""
    start = os.getcwd()
    os.chdir(top)
    depth = 0
    try:
        while True:
            sub = [e.name for e in os.scandir(".") if e.is_dir(follow_symlinks=False)]
            if sub:
                os.chdir(sub[0])
                depth += 1
                continue
            for name in os.listdir("."):
                os.unlink(name)
            if depth == 0:
                break
            os.chdir("..")
            depth -= 1
            for e in list(os.scandir(".")):
                if e.is_dir(follow_symlinks=False) and not os.listdir(e.name):
                    os.rmdir(e.name)
    finally:
        os.chdir(start)
    os.rmdir(top)


@pytest.fixture
def tree(tmp_path):
    """A folder that may be made very deep; removed afterwards."""
    root = tmp_path / "树"
    root.mkdir()
    yield root
    _remove_deep(root)


def test_a_thousand_nested_folders_load(tree, catalog):
    tmp_path = tree
    deep = tmp_path
    for _ in range(1000):                           # pathlib's and os's makedirs themselves recurse
        deep = deep / "a"
        os.mkdir(deep)
    shutil.copy(WORKBOOK, deep / "东山镇.xlsx")
    ds = load(tmp_path, catalog=catalog)
    assert ds.files["file"].tolist() == [str(deep / "东山镇.xlsx")] and ds.files["status"].tolist() == ["loaded"]
    assert len(ds.observations) == len(load(WORKBOOK, catalog=catalog).observations) > 0


def _too_long(root, monkeypatch):
    """A folder under ``root`` whose path is longer than the system allows (made step by step)."""
    monkeypatch.chdir(root)
    os.mkdir("长")
    os.chdir("长")
    depth = 0
    while len(str(root)) + depth * 101 < 5000:
        os.mkdir("x" * 100)
        os.chdir("x" * 100)
        depth += 1
    return root / "长"


def test_an_unreadable_folder_is_an_issue_on_that_path_and_the_rest_loads(tree, catalog, monkeypatch):
    tmp_path = tree
    shutil.copy(WORKBOOK, tmp_path / "东山镇.xlsx")
    top = _too_long(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    ds = load(tmp_path, catalog=catalog)
    assert _status(ds, tmp_path / "东山镇.xlsx") == "loaded" and len(ds.observations) > 0
    unreadable = [f for f in ds.files["file"] if f.startswith(str(top)) and len(f) > 4096]
    assert len(unreadable) == 1 and _status(ds, unreadable[0]) == "skipped"
    issue = _issues(ds, unreadable[0]).iloc[0]
    assert issue["severity"] == "warning" and issue["code"] == "unreadable_folder"
    assert "路径过长" in issue["message"] and "其中的文件未读取" in issue["message"]


def test_a_dangling_link_is_rejected_at_its_path(tmp_path, catalog):
    shutil.copy(WORKBOOK, tmp_path / "东山镇.xlsx")
    link = tmp_path / "石桥镇2015.xlsx"
    link.symlink_to(tmp_path / "已删除.xlsx")
    ds = load(tmp_path, catalog=catalog)
    assert ds.files["file"].tolist() == [str(tmp_path / "东山镇.xlsx"), str(link)]
    assert _status(ds, link) == "rejected" and _status(ds, tmp_path / "东山镇.xlsx") == "loaded"
    issue = _issues(ds, link).iloc[0]
    assert issue["code"] == "dangling_link" and issue["severity"] == "error" and "指向的文件已不存在" in issue["message"]
    assert ds.roll(2015).set_index("unit").loc["石桥镇", "roll_status"] == "errors"   # sent, not missing


def test_unreadable_files_and_other_paths_are_refused_in_one_line(tmp_path):
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert _os_refusal(tmp_path / "a.xlsx", denied)[0] == "unreadable"
    assert "没有读取此文件的权限" in _os_refusal(tmp_path / "a.xlsx", denied)[1]
    long = OSError(errno.ENAMETOOLONG, "File name too long")
    assert "路径过长" in _os_refusal(tmp_path / "a.xlsx", long)[1]
    os.mkfifo(tmp_path / "管道.xlsx")               # reading it would block forever
    refused = fetch(tmp_path / "管道.xlsx").refusal
    assert refused[0] == "not_a_table" and "不是普通文件" in refused[1]


def test_a_hidden_folder_is_listed_as_skipped_with_its_tables_named(tmp_path, catalog):
    shutil.copy(WORKBOOK, tmp_path / "东山镇.xlsx")
    (tmp_path / ".备份").mkdir()
    shutil.copy(WORKBOOK, tmp_path / ".备份" / "东山镇_旧.xlsx")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref")
    ds = load(tmp_path, catalog=catalog)
    assert ds.files["file"].tolist() == [str(tmp_path / ".git"), str(tmp_path / ".备份"), str(tmp_path / "东山镇.xlsx")]
    assert ds.files["status"].tolist() == ["skipped", "skipped", "loaded"]
    issue = _issues(ds, tmp_path / ".备份").iloc[0]
    assert issue["code"] == "hidden_folder" and issue["severity"] == "warning"
    assert "1 个表格文件（东山镇_旧.xlsx）未读取" in issue["message"]
    assert _issues(ds, tmp_path / ".git").empty                  # no tables inside: listed, nothing said
    assert ds.file_names[str(tmp_path / ".备份")] == ".备份"


def _gbk_named(folder, suffix=".xlsx") -> str:
    """Copy a workbook under a name whose bytes are GBK (as a Windows zip leaves them); returns the
    name as Python sees it (surrogate escapes)."""
    name = os.fsdecode("石桥镇".encode("gbk") + b"2015" + suffix.encode())
    shutil.copy(WORKBOOK, os.path.join(folder, name))
    return name


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_marks(tmp_path, catalog):
    data = tmp_path / "回收"
    data.mkdir()
    good, bad = _gbk_named(data), _gbk_named(data, ".xls")
    assert "\ufffd" in _shown(good) and _shown(good).endswith("2015.xlsx")
    ds = load(data, catalog=catalog)
    assert ds.file_names[str(data / good)] == _shown(good) and ds.file_names[str(data / bad)] == _shown(bad)
    assert ds.files.set_index("file")["status"].to_dict() == {str(data / good): "loaded", str(data / bad): "rejected"}

    text = run_cli("validate", str(data))
    assert text.returncode == 1 and "Traceback" not in text.stderr and "内部错误" not in text.stderr, text.stderr
    assert _shown(bad) in text.stdout, text.stdout
    sheet = tmp_path / "问题清单.xlsx"
    listed = run_cli("validate", "--xlsx", str(sheet), str(data))
    assert "Traceback" not in listed.stderr and "内部错误" not in listed.stderr and sheet.exists(), listed.stderr
    texts = {str(c.value) for ws in openpyxl.load_workbook(sheet) for row in ws.iter_rows() for c in row}
    assert _shown(bad) in texts and _shown(good) in texts


def test_a_file_name_that_is_not_utf8_never_crashes_validate_json(tmp_path):
    data = tmp_path / "回收"
    data.mkdir()
    good, bad = _gbk_named(data), _gbk_named(data, ".xls")
    as_json = run_cli("validate", "--json", str(data))
    assert "内部错误" not in as_json.stderr, as_json.stderr
    payload = json.loads(as_json.stdout)
    assert {f["name"] for f in payload["files"]} == {_shown(good), _shown(bad)}
    assert "\ufffd" in payload["issues"][0]["file"]
