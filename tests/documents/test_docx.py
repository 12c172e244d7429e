"""report.docx: 公文 layout read back with python-docx, byte-identical reruns, and --pdf."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

import dangjian_analysis as dj
from docx.oxml.ns import qn

from helpers import NEEDS_SOFFICE

from dangjian_analysis.documents import report as report_module

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def document(report_dir):
    return docx.Document(str(report_dir / "report.docx"))


def _east_asia(paragraph) -> set[str]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs if r.text.strip()}


def test_docx_is_written_and_listed(report_dir):
    manifest = json.loads((report_dir / "manifest.json").read_text("utf-8"))
    assert "report.docx" in manifest["outputs"]
    assert "python-docx" in manifest["versions"]


def test_page_is_a4_portrait_with_official_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]


def test_title_conclusions_and_sections_in_order(document, sample_facts):
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "示例县（虚构）2015年度基层党建考核报告"
    assert _east_asia(paragraphs[0]) == {"方正小标宋简体"}
    assert "2015" in paragraphs[1].text
    headings = [p.text for p in paragraphs if _east_asia(p) == {"黑体"}]
    assert headings == ["一、主要结论", "二、主要成效、存在问题和下一步工作", "三、综合指数与排名", "四、五大工程分项指数",
                        "五、一乡一品", "六、投入保障目标达成", "七、倒排整顿与晋位升级", "八、述职评议与年度考核",
                        "九、作风建设（台账与驻点）", "十、数据质量", "十一、计算方法", "附录　排名稳健性分析",
                        "附录　数据文件与输出文件"]
    subheadings = [p.text for p in paragraphs if _east_asia(p) == {"楷体_GB2312"} and p.text.startswith("（")]
    assert subheadings == ["（一）主要成效", "（二）存在问题", "（三）下一步工作",         # the sample's 报告文字.docx
                           "（一）倒排整顿的村", "（二）乡镇晋位升级", "（三）村级晋位升级（按乡镇）", "（一）述职评议",
                           "（二）年度考核结果", "（三）各单位得分情况", "（四）结果运用"]      # the sample's 考核细则
    start = [p.text for p in paragraphs].index("一、主要结论")
    conclusions = [p.text for p in paragraphs[start + 1:] if p.text[:2] in {f"{k}." for k in range(1, 10)}]
    assert 5 <= len(conclusions) <= 8
    facts = sample_facts
    assert any(f"{facts['top']}以 {facts['top_score']} 分居首" in c for c in conclusions)
    upgraded = f"晋位升级 {len(facts['upgraded'])} 个（{'、'.join(facts['upgraded'])}）"
    assert facts["upgraded"] and any(upgraded in c for c in conclusions)
    first = f"{facts['bottom_towns'][0]}{facts['bottom'][0]}"
    assert any(f"列入倒排整顿的村 {len(facts['bottom'])} 个：{first}" in c for c in conclusions)
    body = [p for p in paragraphs if p.text.startswith("1. ")][0]
    assert _east_asia(body) == {"仿宋_GB2312"} and body.runs[0].font.size.pt == 16


def test_tables_are_chinese_right_aligned_with_repeating_headers(document, sample_facts):
    tables = document.tables
    assert len(tables) >= 9
    ranking = tables[0]
    header = [c.text for c in ranking.rows[0].cells]
    assert header[:4] == ["排名", "乡镇", "综合指数", "等次"]
    assert [ranking.rows[1].cells[k].text for k in (1, 2, 3)] == \
        [sample_facts["top"], sample_facts["top_score"], sample_facts["top_grade"]]
    assert ranking.rows[1].cells[2].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    for table in tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(ch.isascii() is False for ch in "".join(c.text for c in table.rows[0].cells) if ch.isalpha())
    name = ranking.rows[1].cells[1]
    assert name._tc.tcPr.find(qn("w:noWrap")) is not None
    assert name.width.mm >= 12          # three characters at 10.5 pt fit on one line
    review = next(t for t in tables if t.rows[0].cells[0].text == "书记")
    rates = [c.text for c in review.columns[[c.text for c in review.rows[0].cells].index("好评率")].cells[1:]]
    assert all(r.endswith("%") and "." in r for r in rates)


def test_charts_at_text_width_and_page_number_field(document):
    pictures = document.inline_shapes
    assert len(pictures) == 11                  # every chart of the report once
    assert {round(p.width.mm) for p in pictures} == {156}
    footer = document.sections[0].footer._element
    assert footer.findall(f".//{W}fldChar")
    assert "PAGE" in "".join(t.text for t in footer.iter(f"{W}instrText"))
    assert "— " in "".join(t.text or "" for t in footer.iter(f"{W}t"))
    props = document.core_properties
    assert props.author == "dangjian-analysis" and props.revision == 1 and props.created.year == 2020


@NEEDS_SOFFICE
def test_docx_converts_to_pdf(report_dir, tmp_path):
    folder = tmp_path / "report"
    folder.mkdir()
    shutil.copy(report_dir / "report.docx", folder)
    (folder / "反馈单").mkdir()
    shutil.copy(report_dir / "反馈单" / "东山镇.docx", folder / "反馈单")
    pdf = report_module.write_pdf(folder)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx", "report.pdf", "反馈单"]
    assert (folder / "反馈单" / "东山镇.pdf").read_bytes().startswith(b"%PDF")     # each township's beside its docx


@NEEDS_SOFFICE
def test_cli_pdf_converts_the_report(report_dir, tmp_path, monkeypatch, capsys):
    from dangjian_analysis import cli

    def built(data, year, catalog, out, **_):           # the session's report instead of a new one (one 反馈单)
        shutil.copytree(report_dir, out, ignore=lambda d, names: [n for n in names if Path(d).name == "反馈单"
                                                                  and n != "东山镇.docx"])
        return out

    monkeypatch.setattr(report_module, "build_report", built)
    out = tmp_path / "out"
    assert cli.main(["report", "--pdf", "--out", str(out)]) == 0
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "PDF 已生成" in capsys.readouterr().err


def test_cli_pdf_without_libreoffice_is_one_chinese_line(tmp_path):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}
    assert shutil.which("soffice", path=env["PATH"]) is None
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", "report", "--pdf", "--out", str(out)],
                            capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"dangjian report：{report_module.PDF_NEEDS}"]
    assert "LibreOffice" in result.stderr and not out.exists()


def test_village_moves_by_township_with_long_lists_wrapping(document, sample_loaded):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "乡镇" and
                 "晋位升级的村" in [c.text for c in t.rows[0].cells])
    header = [c.text for c in table.rows[0].cells]
    assert header == ["乡镇", "参评村数", "晋位升级", "持平", "降级", "晋位升级的村", "降级的村"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    # independent count from the village scores: grades of 2014 and 2015 side by side
    villages = dj.score_composite(sample_loaded, level="village").query("group == 'overall'")
    wide = villages.pivot(index="unit_id", columns="year", values="grade")[[2014, 2015]].dropna()
    order = {g: k for k, g in enumerate(["好", "较好", "一般", "差"])}
    town = villages.drop_duplicates("unit_id").set_index("unit_id")["township"]
    up = (wide[2014].map(order) > wide[2015].map(order)).groupby(town).sum()
    assert {t: int(r[2]) for t, r in rows.items()} == {t: int(n) for t, n in up.items()}
    assert {t: int(r[1]) for t, r in rows.items()} == wide.groupby(town).size().to_dict()
    first = table.rows[1].cells
    assert first[0]._tc.tcPr.find(qn("w:noWrap")) is not None          # the township's name never wraps
    assert first[5]._tc.tcPr.find(qn("w:noWrap")) is None              # the list of villages does


def test_table_intros_stay_with_their_tables_and_counts_have_no_decimals(document):
    for table in document.tables:
        previous = table._tbl.getprevious()
        assert previous.tag == f"{W}p" and previous.find(f"{W}pPr/{W}keepNext") is not None
    feature = next(t for t in document.tables if any("（个）" in c.text for c in t.rows[0].cells))
    header = [c.text for c in feature.rows[0].cells]
    counts = [k for k, h in enumerate(header) if h.endswith(("（个）", "（户）"))]
    assert counts and all("." not in row.cells[k].text for row in feature.rows[1:] for k in counts)


def test_bottom_reasons_always_name_the_bottom_share(document):
    bottom = next(t for t in document.tables if t.rows[0].cells[0].text == "倒排序号")
    header = [c.text for c in bottom.rows[0].cells]
    reasons = [row.cells[header.index("列入原因")].text for row in bottom.rows[1:]]
    assert reasons and all(r.startswith("综合指数位于全县最低的 10%") for r in reasons)
    assert any("；" in r for r in reasons)          # and the reasons found in the data after it


def test_headers_break_between_words_never_one_character_a_line(document):
    broken = 0
    for table in document.tables:
        for cell in table.rows[0].cells:
            lines = cell.text.split("\n")
            broken += len(lines) > 1
            assert all(len(line) >= 2 for line in lines), cell.text
            assert cell._tc.tcPr.find(qn("w:noWrap")) is not None      # only the breaks we chose
    assert broken          # some long headers are broken (at word boundaries)


def test_sub_index_table_has_every_group_and_the_county_mean(document, sample_dataset_metrics):
    table = next(t for t in document.tables if t.rows[-1].cells[0].text == "全县平均")
    header = [c.text.replace("\n", "") for c in table.rows[0].cells]
    assert {"一乡一品", "投入保障", "作风建设", "示范创建工程"} <= set(header)
    scores = sample_dataset_metrics.query("year == 2015 and group != 'overall'")
    groups = dj.load_catalog().groups
    names = dict(zip(groups["group"], groups["name"]))
    means = scores.groupby("group")["score"].mean().rename(index=names)
    shown = {h: float(c.text) for h, c in zip(header, table.rows[-1].cells) if h in means}
    assert shown == {h: pytest.approx(means[h], abs=0.051) for h in shown} and len(shown) == len(means)


def test_quality_and_conduct_sections_say_what_they_count(document, sample_loaded):
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"采用各乡镇报表中的指标值 {len(sample_loaded.observations)} 个" in text
    assert f"述职评议计票 {len(sample_loaded.ballots)} 行" in text
    conduct = next(t for t in document.tables if any("驻点走访" in c.text and "（%）" in c.text
                                                     for c in t.rows[0].cells))
    assert conduct.rows[-1].cells[0].text == "全县"


def test_soffice_found_where_windows_installs_it(tmp_path, monkeypatch):
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for key in ("ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert report_module.find_soffice() == program
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "nowhere"))
    assert report_module.find_soffice() is None
    user = tmp_path / "AppData" / "Local"                  # installed without admin rights
    target = user / "Programs" / "LibreOffice" / "program" / "soffice.exe"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"")
    monkeypatch.setenv("LOCALAPPDATA", str(user))
    assert report_module.find_soffice() == target
    assert report_module.find_soffice(program) == program      # --soffice wins


def test_cli_soffice_that_is_not_there_is_one_chinese_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dangjian_analysis", "report", "--pdf", "--soffice",
                             str(tmp_path / "soffice.exe"), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"dangjian report：找不到 LibreOffice 程序：{tmp_path / 'soffice.exe'}（--soffice 应指向 soffice 或 soffice.exe）"]
    assert not (tmp_path / "out").exists()


@NEEDS_SOFFICE
def test_cli_pdf_with_soffice_given(report_dir, tmp_path, monkeypatch, capsys):
    from dangjian_analysis import cli

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    monkeypatch.setattr(report_module, "build_report", lambda data, year, catalog, out, **_: shutil.copytree(
        report_dir, out) and Path(out))
    out = tmp_path / "out"
    assert cli.main(["report", "--pdf", "--soffice", soffice, "--out", str(out)]) == 0
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")


def test_file_open_in_excel_is_one_chinese_line(monkeypatch, capsys, tmp_path):
    from dangjian_analysis import cli

    def locked(*args, **kwargs):                 # what Windows raises for a workbook open in Excel or WPS
        raise PermissionError(13, "Permission denied", str(tmp_path / "report" / "summary.xlsx"))

    monkeypatch.setattr(report_module, "build_report", locked)
    assert cli.main(["report", "--out", str(tmp_path / "report")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (f"dangjian report：无法写入 {tmp_path / 'report' / 'summary.xlsx'}：文件可能正在 Excel、WPS 或 "
                       "Word 中打开（或所在文件夹正被使用、没有写入权限），请关闭后重新运行")
    assert "内部错误" not in "".join(err)
