"""Private: the narrative file's skeleton — headings and prompts from the computed facts (:mod:`.narrative`).

:func:`skeleton_parts` gives, for the county parts and each township's parts, one prompt
paragraph starting with :data:`~.narrative.PROMPT_MARK` built from the report model: the county
mean and its change (the first 主要结论), the sub-indices with the highest and lowest county mean,
the 倒排 villages; per township its index, rank and grade (and last year's), the sub-indices most above and most
below the county mean (the gap, not the value), its 倒排 villages with their reasons.
:func:`write_narrative_docx` writes any such parts as the file the analyst edits (公文 fonts,
headings with outline levels so that Word's navigation pane lists them); the same inputs give
the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["skeleton_parts", "write_skeleton", "write_narrative_docx", "SKELETON_NOTE"]

#: The instructions at the top of the skeleton (not read back: they start with 【说明】).
SKELETON_NOTE = ("【说明】请把每个标题下以“【请改写】”开头的提示改写成正式文字（改写后删去“【请改写】”），可以增删段落；"
                 "标题不要改名。重新生成报告只读取、从不改动本文件。仍只有提示的部分，报告中显示为“（待补充）”，"
                 "报告仍为草稿（标题中注明）。")


def _groups(m) -> dict[str, str]:
    """``{"index:demo": "示范创建工程", …}`` for the sub-indices the ranking has."""
    names = dict(zip(m.catalog.groups["group"], m.catalog.groups["name"]))
    return {f"index:{g}": n for g, n in names.items() if f"index:{g}" in m.table("ranking")}


def _against(groups: dict, column: str, values: pd.Series, means: pd.Series) -> str:
    return f"{groups[column]}（{values[column]:.1f} 分，全县平均 {means[column]:.1f} 分）"


def _town_facts(m, row, means: pd.Series, groups: dict) -> dict[str, str]:
    from .narrative import PROMPT_MARK

    town, year = row["township"], m.year
    values = pd.Series({c: row[c] for c in groups}).dropna()
    moves = m.table("moves") if "moves" in m.tables else pd.DataFrame()
    before = moves.loc[moves["township"] == town, "grade_from"] if "grade_from" in moves else pd.Series(dtype=object)
    known = m.previous != year and len(before) and pd.notna(before.iloc[0])
    last = f"（{m.previous}年“{before.iloc[0]}”）" if known else ""
    gaps = values - means.reindex(values.index)              # against the county mean of each sub-index
    best = gaps.idxmax() if len(gaps.dropna()) else None
    weak = gaps.idxmin() if len(gaps.dropna()) else None
    bottom = m.table("bottom")
    mine = bottom[bottom["township"] == town]
    listed = "、".join(f"{v}（{r}）" for v, r in zip(mine["village"], mine["reason"].fillna("")))
    score = f"{row['score']:.1f} 分" if pd.notna(row["score"]) else "暂无"
    highlight = f"{PROMPT_MARK}{town}{year}年综合指数 {score}，全县第 {row['rank']} 名，等次“{row['grade']}”{last}"
    if best:
        lead = "；高出全县平均最多的分项为" if gaps[best] > 0 else "；各分项均低于全县平均，差距最小的是"
        highlight += lead + _against(groups, best, values, means)
    problem = PROMPT_MARK
    if weak:
        lead = "低于全县平均最多的分项为" if gaps[weak] < 0 else "各分项均不低于全县平均，相对最弱的是"
        problem += lead + _against(groups, weak, values, means) + "；"
    problem += f"列入倒排整顿的村 {len(mine)} 个：{listed}" if len(mine) else "没有列入倒排整顿的村"
    aims = "、".join([*([groups[weak]] if weak else []), *(["倒排村的整顿"] if len(mine) else [])])
    demand = f"{PROMPT_MARK}针对{aims or '本年度考核发现的问题'}，写明整改措施、责任人和完成时限。"
    return {"亮点": highlight + "。", "问题": problem + "。", "整改要求": demand}


def skeleton_parts(m) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]:
    """``(county, townships)``: one prompt paragraph per part (see the module docstring)."""
    from .narrative import PROMPT_MARK

    ranking, groups = m.table("ranking"), _groups(m)
    means = ranking[list(groups)].mean()
    strong, weak = (means.idxmax(), means.idxmin()) if len(means.dropna()) else (None, None)
    bottom = m.table("bottom")
    moves = m.table("moves") if "moves" in m.tables else pd.DataFrame()
    up = list(moves.loc[moves["move"] == "up", "township"]) if "move" in moves else []
    first = m.conclusions[0] if m.conclusions else f"{m.year}年度全县基层党建考核结果见报告。"
    done = PROMPT_MARK + first + (f"晋位升级的乡镇 {len(up)} 个：{'、'.join(up)}。" if up else "")
    if strong:
        done += f"各分项中{groups[strong]}全县平均最高（{means[strong]:.1f} 分）。"
    issues = PROMPT_MARK + (f"各分项中{groups[weak]}全县平均最低（{means[weak]:.1f} 分）；" if weak else "")
    last = ranking.sort_values("rank").iloc[-1] if len(ranking) else None
    if last is not None:
        issues += f"{last['township']}综合指数最低（{last['score']:.1f} 分）；"
    issues += f"列入倒排整顿的村 {len(bottom)} 个。"
    next_steps = (f"{PROMPT_MARK}围绕{groups[weak] if weak else '薄弱环节'}和 {len(bottom)} 个倒排村的整顿，"
                  "写明下一年度的重点措施、责任单位和完成时限。")
    county = {"主要成效": [done], "存在问题": [issues], "下一步工作": [next_steps]}
    towns = {row["township"]: _town_facts(m, row, means, groups) for _, row in ranking.iterrows()}
    order = [t for t in m.catalog.townships["unit_name"] if t in towns]
    return county, {t: {p: [towns[t][p]] for p in towns[t]} for t in order}


def write_narrative_docx(path, title: str, county: dict, townships: dict, *, notes=()) -> Path:
    """The narrative file: ``title``, ``notes`` (paragraphs starting 【说明】), 一、主要成效 …
    三、下一步工作 with ``county``'s paragraphs, 四、各乡镇 with (一) per township of
    ``townships`` and 1. 亮点 / 2. 问题 / 3. 整改要求 under it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from . import _docx as dx
    from ._safe import writing
    from ._xlsx import save_deterministic
    from .narrative import COUNTY_PARTS, TOWNSHIP_PARTS
    from .report_content import chinese_number

    doc = Document()
    dx.setup_document(doc)
    with writing(Path(path).name):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        dx.add_run(p, title, dx.TITLE_FONT, 22)
        for note in notes:
            dx.add_body(doc, note, size=14)
        for k, part in enumerate(COUNTY_PARTS, start=1):
            dx.add_heading(doc, f"{chinese_number(k)}、{part}", 1)
            for text in county.get(part, ()):
                dx.add_body(doc, text)
        dx.add_heading(doc, f"{chinese_number(len(COUNTY_PARTS) + 1)}、各乡镇", 1)
        for k, (town, parts) in enumerate(townships.items(), start=1):
            dx.add_heading(doc, f"（{chinese_number(k)}）{town}", 2)
            for j, part in enumerate(TOWNSHIP_PARTS, start=1):
                dx.add_heading(doc, f"{j}. {part}", 3)
                for text in parts.get(part, ()):
                    dx.add_body(doc, text)
    dx.fix_properties(doc, title)
    return save_deterministic(doc, path)


def write_skeleton(m, path) -> Path:
    """The skeleton of ``m``'s year at ``path`` (overwritten: the caller has checked)."""
    county, townships = skeleton_parts(m)
    return write_narrative_docx(path, f"{m.catalog.county_name}{m.year}年度基层党建考核报告文字", county, townships,
                                notes=[SKELETON_NOTE])
