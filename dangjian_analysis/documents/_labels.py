"""Private: the Chinese words of the display layer (:mod:`.display`) — every column id the API
returns (:data:`COLUMN_LABELS`) and the words of its values (:data:`VALUE_LABELS`). A new column
or value of any table gets its Chinese here, once, for notebooks, CSVs, workbooks and the report.
"""

from __future__ import annotations

__all__ = ["COLUMN_LABELS", "VALUE_LABELS", "CONTEXT_LABELS"]

#: Every column id the API returns → (Chinese header, meaning). One mapping for notebooks, the
#: report, CSVs (their 字段说明) and workbooks.
COLUMN_LABELS = {
    "unit_id": ("单位编号", "名录中的单位编号"), "unit_name": ("单位", "乡镇、村（社区）或党（工）委的名称"),
    "level": ("层级", "乡镇或村（社区）"), "township": ("乡镇", "所属乡镇"), "year": ("年度", "考核年度"),
    "village": ("村（社区）", "村（社区）名称"), "indicator": ("指标", "指标名称（见指标体系）"),
    "value": ("数值", "指标值，计量单位见指标体系；乡镇值按指标的汇总方式由各村汇总"),
    "source_file": ("来源文件", "数值所在的报送文件（文件名）"), "source_sheet": ("来源工作表", "数值所在的工作表"),
    "source_cell": ("来源单元格", "数值所在的单元格（CSV 为行号）"),
    "file": ("文件", "报送文件（文件名）"), "sheet": ("工作表", "工作表名称"), "cell": ("单元格", "单元格位置"),
    "status": ("状态", "文件：已读取、已拒收或已跳过；四风台账：整改状态"),
    "cells_read": ("读取单元格", "读取的单元格数 = 采用 + 拒收 + 空白"), "cells_accepted": ("采用", "采用的单元格数"),
    "cells_rejected": ("拒收", "因错误未采用的单元格数"), "cells_empty": ("空白", "空白单元格数"),
    "severity": ("级别", "错误：该处数值未采用；提示：已采用，请核实；说明：填报人的备注，仅供查看"), "code": ("问题类别", "问题的类别"),
    "message": ("说明", "问题说明与修改办法"),
    "group": ("分项", "五大工程等分组；“综合指数”为各分组按权重加权"), "score": ("得分", "0–100 分"),
    "method": ("评分方法", "指标得分的标准化方法"),
    "coverage": ("权重覆盖率", "有数据的指标权重占应有权重的比例（0–1）"),
    "rank": ("名次", "同年度、同分组内的名次，1 为最好，同分同名次"), "grade": ("等次", "按指标体系的等次分数线评定"),
    "provisional": ("待核实", "数据不完整（缺村、有拒收单元格或覆盖率低于要求），结果待核实"),
    "village_coverage": ("村覆盖率", "有数据的村 ÷ 名录中该年的村（0–1）"),
    "provisional_reason": ("待核实原因", "结果待核实的原因"), "n_villages": ("计入的村", "计入乡镇数值的村（社区）数：有数值的，加上必填而未填、按不得分计入的"),
    "n_blank": ("未填按不得分的村", "必填而未填、按不得分计入乡镇数值的村（社区）数"),
    "missing_rule": ("缺报处理", "必填指标未报的处理规则"), "missing_required": ("未报必填指标", "未填报的必填指标数"),
    "incomplete_reason": ("待核实原因", "倒排所依据的数据不完整的原因"),
    "median_rank": ("名次中位数", "权重随机扰动后名次的中位数"), "rank_p05": ("名次下限（5%）", "扰动后名次的 5% 分位数"),
    "rank_p95": ("名次上限（95%）", "扰动后名次的 95% 分位数"), "p_bottom": ("倒排概率", "扰动后落入倒排的比例（0–1）"),
    "draws": ("抽样次数", "权重扰动的次数"), "p_top": ("评为最好等次的概率", "随机组合的方案中评为最好等次的比例（0–1）"),
    "choice": ("建模选择", "稳健性分析中随机变动的一项选择（程序标识）"),
    "S1": ("一阶指数", "这项选择单独造成的名次变动在方差中的占比（0–1）"), "S1_se": ("一阶指数标准误", "一阶指数的标准误"),
    "ST": ("总效应指数", "这项选择连同与其他选择的共同作用在方差中的占比（0–1）"),
    "ST_se": ("总效应指数标准误", "总效应指数的标准误"), "item_name": ("剔除项", "剔除的工程或指标（中文名称）"),
    "nominal_score": ("公布得分", "按指标体系本身计算的综合指数"), "nominal_rank": ("公布名次", "按指标体系本身计算的名次"), "previous_year": ("上一年度", "比较的上一年度"),
    "previous": ("上年数值", "上一年度的数值"), "change": ("变化", "本年减上年"), "pct_change": ("变化率", "变化 ÷ 上年（%）"),
    "first_year": ("起始年度", "第一个有数据的年度"), "last_year": ("末年", "最后一个有数据的年度"),
    "first": ("起始值", "起始年度的数值"), "last": ("末年值", "末年的数值"),
    "cagr": ("复合年均增长率", "(末年值 ÷ 起始值)^(1/年数) − 1（0–1）"), "pct_per_year": ("年均增长率", "复合年均增长率（%）"),
    "slope": ("年均增量", "线性趋势的斜率（每年）"), "n_years": ("年数", "有数据的年数"),
    "from_year": ("起始年度", "比较的起始年度"), "to_year": ("比较年度", "比较的末年"),
    "score_from": ("起始得分", "起始年度得分"), "score_to": ("末年得分", "末年得分"), "rank_from": ("起始名次", "起始年度名次"),
    "rank_to": ("末年名次", "末年名次"), "rank_change": ("名次变化", "正数为名次上升"),
    "grade_from": ("原等次", "上一年度等次"), "grade_to": ("新等次", "本年度等次"), "move": ("变化", "晋位升级、持平或降级"),
    "target": ("目标", "指标体系中的目标值"), "target_year": ("目标年度", "目标应达到的年度"),
    "villages": ("村数", "有数据（或名录中）的村数"), "met": ("达标村数", "达到目标的村数"),
    "share": ("达标占比", "达标村 ÷ 有数据的村（%）"), "gap": ("差距", "距目标的差距"),
    "bottom_rank": ("倒排序号", "从最后一名起的序号"), "n_units": ("参评单位数", "参加排名的单位数"),
    "reasons": ("列入原因", "列为软弱涣散的依据"), "band": ("分类", "先进、中间或后进"), "band_zh": ("分类", "先进、中间或后进"),
    "items": ("台账条数", "截至统计日已建账的问题数"), "closed_on_time": ("按时销号", "在整改时限内销号的条数"),
    "closed_late": ("逾期销号", "超过整改时限后销号的条数"), "open": ("未销号", "尚未销号的条数"),
    "overdue": ("逾期", "逾期销号或逾期未销号的条数"), "on_time_rate": ("按时销号率", "按时销号 ÷ 台账条数（%）"),
    "completion": ("销号率", "已销号 ÷ 台账条数（%）"), "as_of": ("统计日期", "统计截至的日期"),
    "linked": ("已联系村数", "有驻点工作组联系的村数"), "teams": ("工作组数", "驻点工作组数"),
    "households_visited": ("走访农户数", "驻点工作组走访的农户数"), "leader_team": ("驻点工作组", "驻点工作组名称"),
    "item_id": ("台账编号", "四风台账的问题编号"), "description": ("问题描述", "问题描述"), "opened": ("建账日期", "建账日期"),
    "due": ("整改时限", "整改时限"), "closed": ("销号日期", "销号日期"),
    "secretary": ("书记", "述职的党（工）委书记"), "type": ("类别", "书记类别"),
    "rater_group": ("评议人类别", "评议人类别；“全体评议人”为各类加权"), "item": ("评议项目", "评议项目"),
    "rating": ("评价", "好、较好、一般、差，或不了解、空白"), "count": ("票数", "票数"),
    "valid": ("有效票", "评价为好、较好、一般、差的票数"), "invalid": ("无效票", "不了解和空白票数"),
    "top_rate": ("好票率", "好票 ÷ 有效票（0–1）"), "good_rate": ("好评率", "（好 + 较好）÷ 有效票（0–1）"),
    "bad_rate": ("差评率", "差票 ÷ 有效票（0–1）"), "weight": ("权重", "权重（0–1）"),
    "grade_note": ("等次说明", "等次的评定依据（如“好”的名额、并列的处理）"),
    "routine": ("日常考核", "乡镇综合指数"), "review": ("述职评议", "述职评议加权得分"),
    "satisfaction": ("群众满意度", "群众满意度（%）"), "annual": ("年度综合", "按年度考核比例合成的得分"),
    "parts": ("计入部分", "合成时有数据的部分"),
    "d_best": ("与最优距离", "到正理想解的距离"), "d_worst": ("与最劣距离", "到负理想解的距离"),
    "closeness": ("贴近度", "与最劣距离 ÷（与最优距离 + 与最劣距离）"),
    "id": ("编号", "编号"), "name": ("名称", "名称"), "unit": ("计量单位", "计量单位"), "direction": ("方向", "指标方向"),
    "aggregate": ("汇总方式", "村级指标汇总到乡镇的方式"), "lo": ("评分下限", "得 0 分的数值"), "hi": ("评分上限", "得 100 分的数值"),
    "aliases": ("别名", "可接受的其他写法"), "required": ("必报", "是否必报"), "programme": ("所属工程", "所属工程"),
    "min": ("最低分", "该等次的最低分"), "township_id": ("乡镇编号", "所属乡镇的编号"),
    "kind": ("类别", "乡镇，或县级数据表（述职评议计票、四风台账、驻点联系）"),
    "roll_status": ("报送情况", "已报送；未报送；有错误（报送了，但有错误或整个文件被拒收）；已退回（已写出退回修改的副本）"),
    "files": ("报送文件", "报送该年数据的文件（读取的文件夹下的路径）"),
    "n_errors": ("错误", "这些文件中的错误条数"), "n_warnings": ("提示", "这些文件中的提示条数"),
}

#: Headers that depend on the table: (column id, a column beside it) → (header, meaning).
CONTEXT_LABELS = {("unit", "roll_status"): ("报送单位", "乡镇，或县级数据表的名称")}

#: Words of the API's values → Chinese, by column id.
VALUE_LABELS = {
    "status": {"loaded": "已读取", "rejected": "已拒收", "skipped": "已跳过（锁定或附属文件、隐藏或打不开的文件夹）"},
    "severity": {"error": "错误", "warning": "提示", "info": "说明"},
    "level": {"village": "村（社区）", "township": "乡镇"},
    "method": {"goalposts": "固定区间", "minmax": "年内极差", "zscore": "标准分", "rank": "名次百分位",
               "target": "目标达成度"},
    "move": {"up": "晋位升级", "same": "持平", "down": "降级"},
    "band": {"top": "先进", "middle": "中间", "bottom": "后进"},
    "direction": {"higher": "越高越好", "lower": "越低越好", "monitor": "仅监测"},
    "aggregate": {"sum": "各村合计", "mean": "各村平均", "share_meeting_target": "达标村占比"},
    "missing_rule": {"zero": "不报不得分", "renormalise": "按已报指标重新归一"},
    "kind": {"township": "乡镇", "county_table": "县级数据"},
    "roll_status": {"reported": "已报送", "missing": "未报送", "errors": "有错误", "returned": "已退回"},
}
