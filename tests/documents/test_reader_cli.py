"""The readers' documents from the command line: ``dangjian cards``, ``report --narrative-skeleton``
(never overwriting the analyst's words), and the 报告文字 file recorded in the manifest."""

from __future__ import annotations

import json

import docx

from dangjian_analysis import cli


def test_the_manifest_records_the_narrative_read_with_its_hash(report_dir):
    manifest = json.loads((report_dir / "manifest.json").read_text("utf-8"))
    files = [i["file"] for i in manifest["inputs"]]
    assert files[-1].endswith("报告文字.docx") and sum(f.endswith(".xlsx") for f in files) == 11
    assert manifest["parameters"]["narrative"] is None                 # the default, beside the data
    assert {"反馈单/东山镇.docx", "通报.docx", "整改清单.xlsx"} <= set(manifest["outputs"])


def test_narrative_skeleton_writes_prompts_and_never_overwrites(tmp_path, capsys):
    path = tmp_path / "报告文字.docx"
    assert cli.main(["report", "--narrative-skeleton", "--narrative", str(path)]) == 0
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any(t.startswith("【请改写】") for t in text) and "主要成效" in "".join(text)
    path.write_bytes(path.read_bytes() + b"")                          # the analyst's file, as it is
    before = path.read_bytes()
    assert cli.main(["report", "--narrative-skeleton", "--narrative", str(path)]) == 1
    assert "已存在" in capsys.readouterr().err and path.read_bytes() == before
    assert cli.main(["report", "--narrative-skeleton", "--narrative", str(path), "--force"]) == 0


def test_cards_command_writes_one_file_and_names_a_near_township(tmp_path, capsys):
    out = tmp_path / "驻点"
    assert cli.main(["cards", "--township", "东山", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["东山镇村情卡_2015年.docx"]
    assert cli.main(["cards", "--township", "东三镇", "--out", str(tmp_path / "x")]) == 2
    assert "是否为“东山镇”" in capsys.readouterr().err and not (tmp_path / "x").exists()
