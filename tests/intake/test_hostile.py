"""Hostile and broken files: each refused in bounded time and memory, never stopping the batch."""

from __future__ import annotations

import shutil
import struct
import time
import tracemalloc
import zipfile

import pytest

from dangjian_analysis.intake import load

from helpers import run_cli

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _rezip(src, dst, replace=None, add=None):
    """Copy a workbook zip, replacing some parts' contents and adding others."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)


def _sheet_part(path, name="一乡一品"):
    from dangjian_analysis.intake._safety import _sheet_names

    with zipfile.ZipFile(path) as zf:
        return {v: k for k, v in _sheet_names(zf).items()}[name]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""


def make_hostile(kind: str, folder, good):
    """Write one hostile file of ``kind`` into ``folder``; returns its path."""
    path = folder / f"{kind}.xlsx"
    if kind == "zero_bytes":
        path.write_bytes(b"")
    elif kind == "text_renamed":
        path.write_text("乡镇,年度\n东山镇,2015\n", "utf-8")
    elif kind == "html_renamed":
        path.write_text("<html><body><table><tr><td>东山镇</td></tr></table></body></html>", "utf-8")
    elif kind == "truncated":
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "corrupted":
        data = bytearray(good.read_bytes())
        for i in range(len(data) // 3, len(data) // 3 + 400):
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
    elif kind == "entity_expansion":
        _rezip(good, path, replace={_sheet_part(good): BILLION_LAUGHS})
    elif kind == "external_entity":
        _rezip(good, path, replace={_sheet_part(good): EXTERNAL_ENTITY})
    elif kind == "zip_bomb":
        # 210 MB of sheet XML that compresses to a few hundred kB (over the 200 MB limit)
        shutil.copy(good, path)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
            with zf.open("xl/worksheets/sheet99.xml", "w") as fh:
                chunk = b"<row/>" * (1 << 20)
                for _ in range(35):
                    fh.write(chunk)
    elif kind == "ratio_bomb":
        shutil.copy(good, path)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/sharedStrings2.xml", b" " * (20 * 1024**2))
    elif kind == "lying_sizes":
        # a worksheet whose headers declare 1,000 bytes but which inflates to 5 MB
        shutil.copy(good, path)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("xl/worksheets/sheet98.xml", b"<row/>" * 900_000)
            info = zf.getinfo("xl/worksheets/sheet98.xml")
        data = bytearray(path.read_bytes())
        struct.pack_into("<I", data, info.header_offset + 22, 1000)
        for i in range(len(data) - 46):
            if data[i:i + 4] == b"PK\x01\x02" and data[i + 46:i + 46 + len(info.filename)] == info.filename.encode():
                struct.pack_into("<I", data, i + 24, 1000)
        path.write_bytes(bytes(data))
    elif kind == "encrypted":
        path.write_bytes(_OLE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 2048)
    elif kind == "legacy_xls":
        path = folder / "legacy.xls"
        path.write_bytes(_OLE + b"\x00" * 4096)
    elif kind == "no_workbook_zip":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "hi")
    else:  # pragma: no cover
        raise ValueError(kind)
    return path


CASES = {
    "zero_bytes": ("empty_file", "文件为空"),
    "text_renamed": ("not_excel", "不是有效的 Excel 文件"),
    "html_renamed": ("not_excel", "网页"),
    "truncated": ("corrupt", "文件已损坏或不完整"),
    "corrupted": ("corrupt", "文件已损坏或不完整"),
    "entity_expansion": ("xml_dtd", "DOCTYPE"),
    "external_entity": ("xml_dtd", "外部实体"),
    "zip_bomb": ("zip_bomb", "压缩炸弹"),
    "ratio_bomb": ("zip_bomb", "压缩比"),
    "lying_sizes": ("corrupt", "压缩炸弹"),
    "encrypted": ("encrypted", "加密"),
    "legacy_xls": ("legacy_xls", "旧版 .xls 格式，请在 Excel 中另存为 .xlsx"),
    "no_workbook_zip": ("not_excel", "不是有效的 Excel 文件"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_hostile_file_is_refused_in_bounded_time_and_memory(tmp_path, sample_dir, kind):
    good = sample_dir / "东山镇.xlsx"
    path = make_hostile(kind, tmp_path, good)
    tracemalloc.start()
    start = time.perf_counter()
    ds = load(path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 10 and peak < 1024**3
    code, words = CASES[kind]
    assert ds.files["status"].tolist() == ["rejected"]
    errors = ds.issues[ds.issues["severity"] == "error"]
    assert errors["code"].tolist() == [code] and words in errors["message"].iloc[0]
    assert ds.observations.empty


def test_one_bad_file_never_stops_the_batch(tmp_path, sample_dir, sample_dataset_files=None):
    for f in sample_dir.glob("*.xlsx"):
        shutil.copy(f, tmp_path / f.name)
    for kind in ("truncated", "html_renamed", "entity_expansion", "zero_bytes"):
        make_hostile(kind, tmp_path, sample_dir / "东山镇.xlsx")
    ds = load(tmp_path)
    assert (ds.files["status"] == "rejected").sum() == 4
    assert (ds.files["status"] == "loaded").sum() == 11
    assert len(ds.observations) == len(load(sample_dir).observations)


def test_macros_are_never_run_but_values_are_read(tmp_path, sample_dir):
    path = tmp_path / "东山镇.xlsm"
    _rezip(sample_dir / "东山镇.xlsx", path, add={"xl/vbaProject.bin": b"\x00VBA" * 100})
    ds = load(path)
    assert ds.files["status"].tolist() == ["loaded"] and ds.n_errors == 0
    assert ds.issues["code"].tolist() == ["macros_ignored"]
    assert len(ds.observations) == ds.files.loc[0, "cells_accepted"] > 1000


def test_defusedxml_is_in_force():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_cli_never_prints_a_traceback_for_hostile_files(tmp_path, sample_dir):
    for kind in CASES:
        if kind not in ("zip_bomb",):
            make_hostile(kind, tmp_path, sample_dir / "东山镇.xlsx")
    (tmp_path / "garbage.csv").write_bytes(bytes(range(256)) * 10)
    result = run_cli("validate", str(tmp_path), str(tmp_path / "legacy.xls"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "已拒收" in result.stdout
