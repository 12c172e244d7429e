"""报告文字: the analyst's narrative file read by its headings, the skeleton's prompts, the draft
flag, each part's place (report.docx / .html, the deck's notes, the 通报), and a file that
regenerations read but never write."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil

import pytest
from docx import Document

from dangjian_analysis.documents.narrative import (COUNTY_PARTS, NARRATIVE_FILE, PENDING_TEXT, PROMPT_MARK,
                                                   TOWNSHIP_PARTS, Narrative, narrative_notes, narrative_path,
                                                   read_narrative, write_narrative_skeleton)

from helpers import SAMPLE, report_text


def _docx(path, items):
    """A Word file as an analyst types it: ``(text, style)`` per paragraph (style None: plain)."""
    doc = Document()
    for text, style in items:
        doc.add_paragraph(text, style=style)
    doc.save(str(path))
    return path


HAND_WRITTEN = [
    ("2015年度报告文字（初稿）", "Title"),                       # 1: the file's title, not used
    ("一、主要成效", "Heading 1"),                               # 2
    ("全县基层党建整体提升。", None),                            # 3
    ("五个乡镇晋位升级。", None),                                # 4
    ("存在的问题：", None),                                      # 5: plain line, a variant, a colon
    ("一乡一品发展不平衡。", None),                              # 6
    ("（三）下一步工作打算", "Heading 2"),                       # 7
    ("抓产业带党建。", None),                                    # 8
    ("四、各乡镇", "Heading 1"),                                 # 9: a grouping
    ("（一）东山镇", "Heading 2"),                               # 10
    ("1. 亮点", "Heading 3"),                                    # 11
    ("产业带动突出。", None),                                    # 12
    ("问题", None),                                              # 13: plain
    ("薄弱整顿偏弱。", None),                                    # 14
    ("整改意见：", "Heading 3"),                                 # 15: a variant
    ("年内完成复查。", None),                                    # 16
    ("（二）西河", "Heading 2"),                                 # 17: the name without 乡
    ("亮点", None),                                              # 18
    ("由差升为一般。", None),                                    # 19
    ("整改要求", None),                                          # 20
    (f"{PROMPT_MARK}针对一乡一品，写明整改措施。", None),        # 21: a prompt left: missing
    ("（三）东风乡", "Heading 2"),                               # 22: not in the catalogue
    ("这段写给不存在的乡。", None),                              # 23
    ("五、其他说明", "Heading 1"),                               # 24: an unknown heading
    ("不采用的文字。", None),                                    # 25
]


@pytest.fixture(scope="module")
def hand(catalog, tmp_path_factory):
    path = _docx(tmp_path_factory.mktemp("hand") / NARRATIVE_FILE, HAND_WRITTEN)
    return read_narrative(path, catalog=catalog)


def test_headings_in_several_styles_find_their_parts(hand):
    assert hand.source == NARRATIVE_FILE
    assert hand.paragraphs("主要成效") == ("全县基层党建整体提升。", "五个乡镇晋位升级。")
    assert hand.paragraphs("存在问题") == ("一乡一品发展不平衡。",)
    assert hand.paragraphs("下一步工作") == ("抓产业带党建。",)
    assert [hand.paragraphs(p, "东山镇") for p in TOWNSHIP_PARTS] == [("产业带动突出。",), ("薄弱整顿偏弱。",),
                                                                      ("年内完成复查。",)]
    assert hand.paragraphs("亮点", "西河乡") == ("由差升为一般。",)


def test_a_prompt_left_is_missing_and_missing_lists_every_part_in_order(hand, catalog):
    assert hand.paragraphs("整改要求", "西河乡") == () and hand.shown("整改要求", "西河乡") == (PENDING_TEXT,)
    towns = list(catalog.townships["unit_name"])
    expected = ["西河乡 问题", "西河乡 整改要求"] + [f"{t} {p}" for t in towns[2:] for p in TOWNSHIP_PARTS]
    assert hand.missing() == expected and list(hand.townships) == towns


def test_an_unknown_township_and_an_unknown_heading_are_one_warning_each(hand):
    assert hand.warnings == (
        f"{NARRATIVE_FILE} 第 22 段“（三）东风乡”：“东风乡”不是目录中的乡镇（名称或别名），其下文字未采用",
        f"{NARRATIVE_FILE} 第 24 段“五、其他说明”：不是可识别的标题（主要成效、存在问题、下一步工作，"
        "或乡镇名及其亮点、问题、整改要求），其下文字未采用")
    assert "东风乡" not in hand.townships


def test_a_part_name_that_does_not_exist_is_a_key_error(hand):
    with pytest.raises(KeyError, match="只有：主要成效、存在问题、下一步工作"):
        hand.paragraphs("亮点")


def test_empty_damaged_and_absent_files(catalog, tmp_path):
    (tmp_path / "空.docx").write_bytes(b"")
    empty = read_narrative(tmp_path / "空.docx", catalog=catalog)
    assert empty.warnings == ("空.docx：不是可以打开的 Word 文档（PackageNotFoundError），可能是空文件或已损坏，报告文字未采用",)
    assert len(empty.missing()) == 3 + 3 * 10
    blank = read_narrative(_docx(tmp_path / "白.docx", []), catalog=catalog)
    assert blank.warnings == () and len(blank.missing()) == 33 and blank.source == "白.docx"
    absent = read_narrative(tmp_path / "没有.docx", catalog=catalog)
    assert absent.source is None and absent.warnings == () and len(absent.missing()) == 33
    (tmp_path / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "请用 Word 或 WPS 另存为 .docx" in read_narrative(tmp_path / "旧.doc", catalog=catalog).warnings[0]


def test_text_before_a_part_and_under_a_township_without_a_part_is_said(catalog, tmp_path):
    path = _docx(tmp_path / NARRATIVE_FILE, [("报告文字", None), ("主要成效", None), ("成效一。", None),
                                             ("石桥镇", None), ("没有小标题的一段。", None), ("亮点", None), ("好。", None)])
    n = read_narrative(path, catalog=catalog)
    assert n.paragraphs("主要成效") == ("成效一。",) and n.paragraphs("亮点", "石桥镇") == ("好。",)
    assert n.warnings == (f"{NARRATIVE_FILE} 第 5 段“没有小标题的一段。”在“石桥镇”之下，但不在亮点、问题、整改要求任一标题之下，"
                          "未采用",)


def test_the_default_place_is_the_first_data_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "东山镇.xlsx").write_bytes(b"")
    assert narrative_path([tmp_path / "a" / "东山镇.xlsx", tmp_path / "b"]) == tmp_path / "a" / NARRATIVE_FILE
    assert narrative_path(tmp_path / "a") == tmp_path / "a" / NARRATIVE_FILE
    from dangjian_analysis.resources import sample_path

    assert narrative_path(None) == sample_path() / NARRATIVE_FILE
    assert narrative_path(tmp_path, "x/自定.docx").as_posix() == "x/自定.docx"


def test_the_intake_leaves_the_narrative_file_out_but_refuses_other_documents(sample_copy, catalog):
    from dangjian_analysis.intake import load

    shutil.copy(SAMPLE / NARRATIVE_FILE, sample_copy / NARRATIVE_FILE)
    (sample_copy / "说明.docx").write_bytes(b"")
    ds = load(sample_copy, catalog=catalog)
    names = [f.split("/")[-1] for f in ds.files["file"]]
    assert NARRATIVE_FILE not in names and "说明.docx" in names and len(names) == 12
    documents = ds.issues[ds.issues["file"].astype(str).str.endswith(".docx")]
    assert [f.split("/")[-1] for f in documents["file"]] == ["说明.docx"] and documents["code"].tolist() == ["document"]


# ---- the model, the skeleton and the documents: one model of the sample, built once -------------

@pytest.fixture(scope="module")
def model(sample_loaded, sample_dataset_metrics):
    from dangjian_analysis.documents.model import build_model

    return build_model(sample_loaded, 2015, scores=sample_dataset_metrics)


def _with(model, narrative):
    """The model with another narrative, as build_model gives it (draft and title follow)."""
    from dangjian_analysis.documents.model import DRAFT_MARK

    narrative = narrative.covering(list(model.catalog.townships["unit_name"]))
    draft = bool(narrative.missing())
    title = model.title.replace(f"（{DRAFT_MARK}）", "") + (f"（{DRAFT_MARK}）" if draft else "")
    return dataclasses.replace(model, narrative=narrative, draft=draft, title=title)


def test_the_sample_has_its_narrative_beside_the_data_and_is_final(model):
    assert model.narrative.source == NARRATIVE_FILE and model.narrative.missing() == []
    assert model.narrative.warnings == () and not model.draft
    assert model.narrative.paragraphs("整改要求", "青石乡")[0].startswith("一个月内报送整改报告")


def test_last_years_words_are_not_used_for_another_year(catalog):
    same = read_narrative(SAMPLE / NARRATIVE_FILE, catalog=catalog, year=2015)
    other = read_narrative(SAMPLE / NARRATIVE_FILE, catalog=catalog, year=2014)
    assert same.missing() == [] and same.warnings == ()
    assert len(other.missing()) == 33 and other.warnings == (
        f"{NARRATIVE_FILE}：标题写的是2015年度，本报告为2014年度，报告文字未采用（请为本年度另写一份，或改正标题中的年度）",)


def test_build_model_with_an_empty_narrative_is_a_draft(sample_loaded, sample_dataset_metrics, model):
    from dangjian_analysis.documents.model import build_model

    empty = build_model(sample_loaded, 2015, scores=sample_dataset_metrics, villages=model.villages,
                        uncertainty=model.uncertainty, narrative=Narrative())
    assert empty.draft and empty.title.endswith("（征求意见稿）") and len(empty.narrative.missing()) == 33


def test_a_draft_carries_the_countys_own_word(sample_loaded, sample_dataset_metrics, model, catalog_text, tmp_path):
    """``[report] draft = "讨论稿"``: the report's title, its 报送情况 and the files' titles say 讨论稿."""
    from dangjian_analysis.catalog import load_catalog
    from dangjian_analysis.documents.model import build_model
    from dangjian_analysis.documents.pipeline import _mark

    path = tmp_path / "本县.toml"
    assert '\n[report]\ndraft = "征求意见稿"' in catalog_text
    path.write_text(catalog_text.replace('\n[report]\ndraft = "征求意见稿"', '\n[report]\ndraft = "讨论稿"'), "utf-8")
    cat = load_catalog(path)
    draft = build_model(sample_loaded, 2015, catalog=cat, scores=sample_dataset_metrics, villages=model.villages,
                        uncertainty=model.uncertainty, narrative=Narrative())
    assert draft.title == "示例县（虚构）2015年度基层党建考核报告（讨论稿）" and _mark(draft) == "（讨论稿）"
    words = " ".join(report_text(draft))
    assert "本稿为讨论稿" in words and "征求意见稿" not in words


def test_the_skeleton_prompts_come_from_the_computed_facts(model, tmp_path):
    from dangjian_analysis.documents.report import ReportError

    path = write_narrative_skeleton(model, tmp_path / NARRATIVE_FILE)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert texts[texts.index("一、主要成效") + 1] == PROMPT_MARK + model.conclusions[0] + \
        "晋位升级的乡镇 5 个：金谷镇、白沙镇、西河乡、柳溪乡、北塘镇。各分项中作风建设全县平均最高（88.8 分）。"
    ranking = model.table("ranking").set_index("township")
    first = ranking.loc["东山镇"]
    assert texts[texts.index("（一）东山镇") + 2].startswith(
        f"{PROMPT_MARK}东山镇2015年综合指数 {first['score']:.1f} 分，全县第 {first['rank']} 名，等次“{first['grade']}”")
    bottom = model.table("bottom")
    mine = list(bottom.loc[bottom["township"] == "青石乡", "village"])
    problem = texts[texts.index("（五）青石乡") + 4]
    assert f"列入倒排整顿的村 {len(mine)} 个：" in problem and all(v in problem for v in mine)
    back = read_narrative(path, catalog=model.catalog)             # nothing rewritten yet: all missing
    assert len(back.missing()) == 33 and back.warnings == ()
    before = path.read_bytes()
    with pytest.raises(ReportError, match="已存在，其中可能有已写好的报告文字，未覆盖"):
        write_narrative_skeleton(model, path)
    assert path.read_bytes() == before
    assert write_narrative_skeleton(model, path, force=True).read_bytes() == before   # same facts, same bytes


def _docx_texts(path):
    return [p.text for p in Document(str(path)).paragraphs]


def test_report_docx_and_html_carry_the_county_parts_after_the_conclusions(model, tmp_path):
    from dangjian_analysis.documents.docx_report import write_report_docx
    from dangjian_analysis.documents.html_report import write_report_html

    texts = _docx_texts(write_report_docx(model, tmp_path / "report.docx"))
    at = texts.index("二、主要成效、存在问题和下一步工作")
    assert texts[at - 1].startswith(f"{len(model.conclusions)}. ")
    expected = []
    for k, part in zip("一二三", COUNTY_PARTS):
        expected += [f"（{k}）{part}", *model.narrative.paragraphs(part)]
    assert texts[at + 1:at + 1 + len(expected)] == expected and texts[at + 1 + len(expected)] == "三、综合指数与排名"
    page = write_report_html(model, tmp_path / "report.html").read_text("utf-8")
    assert "<h2>二、主要成效、存在问题和下一步工作</h2>\n<h3>（一）主要成效</h3>\n<p>" \
           + model.narrative.paragraphs("主要成效")[0] + "</p>" in page


def test_missing_parts_show_pending_and_the_draft_says_why(model, tmp_path):
    from dangjian_analysis.documents.docx_report import write_report_docx

    partial = _with(model, Narrative("报告文字.docx", {"主要成效": ("成效。",)}))
    texts = _docx_texts(write_report_docx(partial, tmp_path / "report.docx"))
    assert texts[0].endswith("（征求意见稿）") and texts[2] == "一、报送情况"
    assert "报告文字（报告文字.docx）尚缺全县的存在问题、下一步工作，10 个乡镇（东山镇、西河乡、南岭镇、北塘镇、青石乡 等）" \
           "的亮点、问题或整改要求，文中以“（待补充）”标出" in texts[3]
    at = texts.index("三、主要成效、存在问题和下一步工作")
    assert texts[at + 1:at + 7] == ["（一）主要成效", "成效。", "（二）存在问题", PENDING_TEXT, "（三）下一步工作", PENDING_TEXT]


def test_the_deck_notes_carry_the_county_parts(model, tmp_path):
    from pptx import Presentation

    from dangjian_analysis.documents.slides import write_deck

    path = write_deck([], [], [], tmp_path / "slides.pptx", title="标题", notes=narrative_notes(model.narrative))
    notes = Presentation(str(path)).slides[0].notes_slide.notes_text_frame.text
    n = model.narrative
    assert notes == "\n\n".join(f"{p}：\n" + "\n".join(n.paragraphs(p)) for p in COUNTY_PARTS)
    assert narrative_notes(Narrative()) == "主要成效：\n（待补充）\n\n存在问题：\n（待补充）\n\n下一步工作：\n（待补充）"


def test_the_notice_requirements_carry_next_steps(catalog):
    from dangjian_analysis.documents._notice_text import notice_text

    from test_notice import NOTICE, _catalog, _results

    cat, results = _catalog(catalog), _results(catalog)
    plain = notice_text(results, cat, 2016, notice=NOTICE)
    written = notice_text(results, cat, 2016, notice=NOTICE, next_steps=("一是抓产业。", "二是抓整顿。"))
    pending = notice_text(results, cat, 2016, notice=NOTICE, next_steps=())
    assert plain.body[-1][1][0].endswith("压实工作责任。")
    assert written.body[:-2] == plain.body[:-1]                      # the rest unchanged
    assert written.body[-2:] == [("h2p", (plain.body[-1][1][0].replace("压实工作责任", "抓好下一步工作"), "一是抓产业。")),
                                 ("p", "二是抓整顿。")]
    assert pending.body[-1] == ("h2p", (plain.body[-1][1][0].replace("压实工作责任", "抓好下一步工作"), PENDING_TEXT))


def test_two_regenerations_leave_the_file_unchanged_and_give_the_same_bytes(sample_loaded, sample_dataset_metrics,
                                                                          model, tmp_path):
    from dangjian_analysis.documents.docx_report import write_report_docx
    from dangjian_analysis.documents.html_report import write_report_html
    from dangjian_analysis.documents.model import build_model

    source = shutil.copy(SAMPLE / NARRATIVE_FILE, tmp_path / NARRATIVE_FILE)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    stamp = source.stat().st_mtime_ns
    outputs = []
    for run in ("a", "b"):
        m = build_model(sample_loaded, 2015, scores=sample_dataset_metrics, villages=model.villages,
                        uncertainty=model.uncertainty, narrative=source)
        outputs.append([write_report_docx(m, tmp_path / run / "report.docx").read_bytes(),
                        write_report_html(m, tmp_path / run / "report.html").read_bytes()])
    assert outputs[0] == outputs[1]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest and source.stat().st_mtime_ns == stamp


def test_the_committed_sample_narrative_is_the_generated_one(tmp_path):
    from dangjian_analysis.documents._sample_narrative import write_sample_narrative

    assert write_sample_narrative(tmp_path).read_bytes() == (SAMPLE / NARRATIVE_FILE).read_bytes()


def test_the_report_reads_the_file_given_or_the_one_beside_the_data(sample_copy, catalog, tmp_path):
    from dangjian_analysis.documents.narrative import narrative_for_report
    from dangjian_analysis.documents.report import ReportError

    assert narrative_for_report(None, catalog=catalog, year=2015).missing() == []        # the sample's own
    assert narrative_for_report([sample_copy], catalog=catalog, year=2015).source is None   # none beside the copy
    with pytest.raises(ReportError, match="找不到报告文字文件：.*没有.docx"):
        narrative_for_report([sample_copy], tmp_path / "没有.docx", catalog=catalog)


def test_narrative_skeleton_beside_the_data_and_never_over_it(sample_copy):
    from dangjian_analysis.documents.narrative import narrative_skeleton
    from dangjian_analysis.documents.report import ReportError

    path = narrative_skeleton(sample_copy)
    assert path == sample_copy / NARRATIVE_FILE and path.read_bytes().startswith(b"PK")
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert texts[0] == "示例县（虚构）2015年度基层党建考核报告文字" and texts[3].startswith(PROMPT_MARK + "2015年全县")
    path.write_bytes(b"analyst")
    with pytest.raises(ReportError, match="已存在"):
        narrative_skeleton(sample_copy)
    assert path.read_bytes() == b"analyst"
