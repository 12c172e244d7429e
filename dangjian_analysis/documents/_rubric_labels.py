"""Private: the Chinese headers of the 考核细则 tables, in one place for the report and ``dj.show``.

The report's sheets (:mod:`.report_labels`: 考核等次, 考核得分, 考核明细, 基础分分项) and the display layer
(:mod:`.display`: ``dj.show`` / ``to_chinese`` of :func:`~dangjian_analysis.metrics.annual.assessment_results`,
:func:`~dangjian_analysis.metrics.annual.assessment_breakdown`,
:func:`~dangjian_analysis.metrics.annual.rectification_list`,
:func:`~dangjian_analysis.metrics.ballots.invalid_ballots` and the county sheets 加减分台账, 考核清单, 测评票)
take their headers from here. The county sheets' headers are the catalogue's (``COUNTY_SHEETS``), the
整改清单's those of the workbook sent to the units (:data:`~.rectify_book.RECTIFY_HEADERS`).

These tables share column ids with others that mean something else (``unit`` is a 计量单位 in the
indicator catalogue, ``item`` a 评议项目 in the ballots), so :func:`rubric_headers` recognises a
table by its columns before its headers are looked up.
"""

from __future__ import annotations

from ..catalog.tables import COUNTY_SHEETS
from .rectify_book import RECTIFY_HEADERS

__all__ = ["MEANINGS", "RESULT_HEADERS", "BREAKDOWN_HEADERS", "TRACE_HEADERS", "DETAIL_HEADERS", "PART_HEADERS",
           "RECTIFICATION_HEADERS", "INVALID_HEADERS", "rubric_headers"]

_UNIT = {"year": "年度", "unit": "单位", "secretary": "书记", "class": "类别"}
_ENTRY = {"section": "类型", "part": "大项", "item": "编号", "name": "项目", "points": "分值", "earned": "得分",
          "deducted": "扣分", "basis": "依据"}

#: ``assessment_results`` (one row per unit × year) → header.
RESULT_HEADERS = {**_UNIT, "township": "乡镇", "base": "基础分", "bonus_raw": "加分（封顶前）", "bonus": "加分",
                  "deduction": "扣分", "routine": "日常考核", "review": "述职评议", "satisfaction": "满意度",
                  "annual": "综合得分", "parts": "计入部分", "rank": "名次", "band": "分数线等次", "grade": "等次",
                  "grade_note": "等次说明", "eligible": "具备评选资格", "not_top": "不得评为最好等次",
                  "vetoes": "一票否决", "gates": "门槛", "pending": "待核实项", "note": "说明",
                  "consequence": "结果运用", "rectify_days": "整改报告时限（日）"}
#: ``assessment_breakdown`` (one row per unit × rubric entry) → header.
BREAKDOWN_HEADERS = {**_UNIT, **_ENTRY, "entries": "台账条数", "pending": "待核实"}
#: The report's 考核得分 sheet (every point traced to its source) → header.
TRACE_HEADERS = {**_UNIT, **_ENTRY, "source": "来源", "indicator": "指标", "source_file": "来源文件",
                 "source_sheet": "工作表", "source_cell": "单元格", "grade": "考核等次"}
#: The report's 考核明细 → header.
DETAIL_HEADERS = {"unit": "单位", **{k: _ENTRY[k] for k in ("part", "item", "name", "points", "earned")},
                  "change": "扣分/加分", "basis": "依据"}
#: The report's 基础分分项 → header.
PART_HEADERS = {k: DETAIL_HEADERS[k] for k in ("unit", "part", "points", "earned")}
#: ``rectification_list`` → header (as the 整改清单 workbook heads them).
RECTIFICATION_HEADERS = {"year": "年度", **{c: h for h, c in RECTIFY_HEADERS.items() if c}, "secretary": "书记"}
#: ``invalid_ballots`` and ``ds.ballot_sheets`` → header (the 测评票 sheet's).
INVALID_HEADERS = {**COUNTY_SHEETS["ballot_sheets"][1], "reason": "无效原因"}

#: What the columns of these tables mean (the 字段说明 of ``column_notes``), where the general
#: meaning of the same id (:data:`~._labels.COLUMN_LABELS`) would mislead.
MEANINGS = {
    "unit": "被考核单位（党组织书记所在单位）", "class": "考核类别（书记类别），名额与名次按类别计算",
    "base": "考核项目得分合计（各项扣完为止）", "bonus_raw": "各加分项目按本项上限计分后的合计",
    "bonus": "加分合计，按加分总上限封顶", "deduction": "直接扣分合计", "routine": "日常考核：基础分 + 加分 − 扣分",
    "satisfaction": "群众满意度（%），县直单位没有", "annual": "日常考核、述职评议、满意度按年度考核比例合成",
    "rank": "同年度、同类别内按综合得分的名次，同分同名次", "band": "只按各等次分数线评定的等次",
    "grade": "按分数线、名额、一票否决、门槛和并列规则评定的等次",
    "eligible": "否：一票否决取消评选资格", "not_top": "是：一票否决，不得评为最好等次",
    "vetoes": "适用的一票否决及台账依据", "gates": "适用的门槛（如满意度低于规定值）", "pending": "待核实的项目（缺少台账、清单或指标数值，暂不计分）",
    "note": "计分说明（加分封顶、一票否决、待核实）", "consequence": "该等次的结果运用",
    "rectify_days": "通报后报送书面整改报告的天数", "part": "考核细则中的大项", "section": "考核项目、加分、扣分或一票否决",
    "item": "考核细则中的编号", "name": "考核细则中的项目名称", "points": "该项分值（加分项为本项上限）",
    "earned": "该项得分", "deducted": "该项扣分", "entries": "台账条数（考核清单为缺项数）",
    "basis": "计分依据：台账所在单元格、指标数值或清单缺项", "problem": "需要整改的问题及计分依据", "measure": "由被考核单位填写", "deadline": "整改时限",
    "owner": "整改责任人（党组织书记）",
}

_RECTIFY_MEANINGS = {**MEANINGS, "basis": "所依据的考核细则条目或结果运用"}
_BALLOT_MEANINGS = {"ballot": "测评票的票号", "reason": "按无效票处理的原因"}
_SHEET_MEANINGS = {k: MEANINGS[k] for k in ("unit", "item")}
#: (the columns that mark a table, all needed, header map, meanings), first match wins.
_TABLES = ((("section", "source"), TRACE_HEADERS, MEANINGS), (("section", "earned"), BREAKDOWN_HEADERS, MEANINGS),
           (("problem",), RECTIFICATION_HEADERS, _RECTIFY_MEANINGS),
           (("measure",), RECTIFICATION_HEADERS, _RECTIFY_MEANINGS),
           (("ballot",), INVALID_HEADERS, _BALLOT_MEANINGS),
           (("department",), COUNTY_SHEETS["adjustments"][1], _SHEET_MEANINGS),
           (("check", "done"), COUNTY_SHEETS["checklist"][1], _SHEET_MEANINGS), (("class",), RESULT_HEADERS, MEANINGS),
           (("unit", "secretary"), RESULT_HEADERS, MEANINGS), (("base",), RESULT_HEADERS, MEANINGS),
           (("consequence",), RESULT_HEADERS, MEANINGS))


def rubric_headers(columns, *, meanings: bool = False) -> dict[str, str] | None:
    """The header map of the 考核细则 table with these ``columns`` (None: not one of them);
    ``meanings=True``: what its columns mean instead (those the general labels would mislead on).

    >>> rubric_headers(["year", "unit", "class", "annual", "grade"])["annual"]
    '综合得分'
    >>> rubric_headers(["indicator", "unit", "direction"]) is None
    True
    """
    present = set(columns)
    found = next((entry for entry in _TABLES if present.issuperset(entry[0])), None)
    return None if found is None else {k: v for k, v in found[2 if meanings else 1].items() if k in found[1]}
