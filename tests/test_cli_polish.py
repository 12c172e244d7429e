"""The command line as the README promises it (issue 25 §5): ``template --out x.xls`` refused,
``report --data`` taking several folders like ``validate``, and the exit status and advice for a
missing path and a folder of PDFs."""

from __future__ import annotations

import shutil

from helpers import SAMPLE

from dangjian_analysis.cli import main


def test_template_refuses_a_name_that_is_not_xlsx(tmp_path, capsys):
    for name, why in (("x.xls", ".xls 是旧版 Excel 格式"), ("县级.et", ".et 是 WPS 表格格式"), ("x", "文件名缺少 .xlsx")):
        out = tmp_path / name
        assert main(["template", "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err == (f"dangjian template：--out {out}：填报模板只能写成 .xlsx 工作簿（{why}），"
                       f"请改为 --out {out.with_suffix('.xlsx').name if out.suffix else out.name + '.xlsx'}")
        assert not out.exists()                       # nothing written under the wrong name
    assert main(["template", "--county", "--out", str(tmp_path / "县级.XLSX")]) == 0        # any case of .xlsx
    assert (tmp_path / "县级.XLSX").exists()


def test_report_takes_several_folders_like_validate(tmp_path, monkeypatch, capsys):
    first, second = tmp_path / "数据", tmp_path / "回收表"
    first.mkdir(), second.mkdir()
    files = sorted(SAMPLE.glob("*.xlsx"))
    for k, f in enumerate(files):
        shutil.copy(f, (first if k % 2 else second) / f.name)
    seen = {}

    def fake(data, year, catalog, out, **kwargs):      # the report itself is tested elsewhere
        seen["data"] = data
        return tmp_path / "out"

    monkeypatch.setattr("dangjian_analysis.documents.report.build_report", fake)
    assert main(["report", "--data", str(first), str(second), "--out", str(tmp_path / "out")]) == 0
    assert seen["data"] == [str(first), str(second)]
    from dangjian_analysis.documents.pipeline import load_data

    _, ds = load_data(seen["data"])                    # and the pipeline reads both folders as one batch
    assert sorted(ds.files["file"].map(lambda p: p.rsplit("/", 1)[-1])) == sorted(f.name for f in files)


def test_report_names_every_missing_folder_with_exit_2(tmp_path, capsys):
    assert main(["report", "--data", str(SAMPLE), str(tmp_path / "甲"), str(tmp_path / "乙"),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"dangjian report：找不到数据文件或文件夹：{tmp_path / '甲'}、{tmp_path / '乙'}"
    assert not (tmp_path / "out").exists()


def test_a_folder_of_pdfs_is_one_chinese_line_with_exit_1(tmp_path, capsys):
    pdfs = tmp_path / "扫描件"
    pdfs.mkdir()
    for name in ("东山镇.pdf", "西河乡.pdf"):
        (pdfs / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    for argv in (["validate", str(pdfs)], ["rank", str(pdfs)], ["report", "--data", str(pdfs), "--out",
                                                                  str(tmp_path / "out")]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "Traceback" not in err[0], err
        assert "没有可读取的 .xlsx、.xlsm 或 .csv 文件" in err[0] and "东山镇.pdf" in err[0]
        assert "不是填报表：请把数据填入填报模板" in err[0] and "另存为" not in err[0]   # a PDF cannot be saved as xlsx
