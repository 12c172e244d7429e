"""Private: the fictional sample county's 报告文字 (data/sample/报告文字.docx), as an analyst would write it.

The words are invented for the invented county, written from its 2015 report (the county mean
68.8, up 11.1; 金谷镇 first, 青石乡 last; 一乡一品 the weakest sub-index; 13 villages on the 倒排
list) so that the sample report is final and shows where each part goes. :func:`write_sample_narrative`
writes the file with :func:`~._narrative_prompts.write_narrative_docx` (the same bytes every run);
``dangjian sample`` calls it beside the workbooks.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_COUNTY", "SAMPLE_TOWNSHIPS", "write_sample_narrative"]

SAMPLE_COUNTY = {
    "主要成效": [
        "2015年，全县以五大工程为抓手，基层党建工作整体提升：乡镇综合指数平均 68.8 分，比上年提高 11.1 分，"
        "五个乡镇晋位升级，金谷镇首次评为“较好”等次。",
        "作风建设和阵地建设成效明显，四风问题台账按时销号、领导班子驻点走访基本实现全覆盖，村级便民服务站普遍正常运转。",
    ],
    "存在问题": [
        "一是一乡一品发展不平衡，全县平均分最低，多数乡镇主导产业规模小、带动农户少。",
        "二是部分村党组织后继乏人，13 个村列入倒排整顿，其中多数连续两年未发展党员。",
        "三是乡镇之间差距仍然较大，青石乡、红旗乡综合指数明显落后于全县平均。",
    ],
    "下一步工作": [
        "一是抓产业带党建，每个乡镇明确一个主导产业和一名县级联系领导，年底前每乡至少培育一个注册品牌。",
        "二是抓倒排村整顿，对 13 个倒排村逐村制定整顿方案，由乡镇党委书记包村，年内完成转化。",
        "三是抓队伍建设，把发展党员纳入乡镇党委书记述职评议内容，确保每个村两年内至少发展一名党员。",
    ],
}

SAMPLE_TOWNSHIPS = {
    "东山镇": ["一乡一品带动作用突出，综合指数全县第二。", "薄弱整顿工程低于全县平均。",
            "年内完成软弱涣散村整顿复查，建立长效机制。"],
    "西河乡": ["由上年“差”升为“一般”，作风建设居全县前列。", "一乡一品基础薄弱，乐坪村列入倒排整顿。",
            "制定主导产业发展计划；乐坪村年内发展党员一名以上。"],
    "南岭镇": ["投入保障到位，村级办公经费和干部报酬全部达标。", "一乡一品得分全县偏低。",
            "明确主导产业，年底前至少培育一个专业村。"],
    "北塘镇": ["由上年“差”升为“一般”，作风建设成效明显。", "一乡一品得分全县最低，喜滩村列入倒排整顿。",
            "引进龙头企业带动主导产业；喜滩村由镇党委书记包村整顿。"],
    "青石乡": ["薄弱整顿工程接近全县平均。", "综合指数全县末位，投入保障严重不足，五个村列入倒排整顿。",
            "一个月内报送整改报告；落实村级办公经费，五个倒排村逐村制定整顿方案。"],
    "白沙镇": ["由上年“差”升为“一般”，作风建设扎实。", "一乡一品偏弱，马寨村列入倒排整顿。",
            "马寨村年内发展党员；培育一个主导产业品牌。"],
    "红旗乡": ["一乡一品高于全县平均。", "示范创建落后，丰林村、五门村列入倒排整顿。",
            "开展示范创建对标，两个倒排村由乡党委班子成员分包整顿。"],
    "金谷镇": ["综合指数全县第一，首次评为“较好”，一乡一品全县领先。", "作风建设低于全县平均。",
            "四风问题台账按时销号，驻点走访做到全覆盖。"],
    "柳溪乡": ["由上年“差”升为“一般”，作风建设居全县前列。", "阵地建设偏弱，福峪村、顺峰村列入倒排整顿。",
            "改造村级活动场所；两个倒排村年内发展党员。"],
    "石桥镇": ["投入保障高于全县平均，综合指数全县第四。", "一乡一品偏弱，胜家村列入倒排整顿。",
            "明确主导产业发展路径；胜家村年内完成整顿转化。"],
}


def write_sample_narrative(folder) -> Path:
    """``folder/报告文字.docx`` for the sample county (overwritten: it is generated)."""
    from ._narrative_prompts import write_narrative_docx
    from .narrative import NARRATIVE_FILE, TOWNSHIP_PARTS

    towns = {t: {p: [text] for p, text in zip(TOWNSHIP_PARTS, parts)} for t, parts in SAMPLE_TOWNSHIPS.items()}
    return write_narrative_docx(Path(folder) / NARRATIVE_FILE, "示例县（虚构）2015年度基层党建考核报告文字",
                                SAMPLE_COUNTY, towns,
                                notes=["【说明】本文件为虚构示例县的报告文字，由 dangjian sample 生成，内容均为虚构。"])
