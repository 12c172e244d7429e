"""Private: what an issue code means to the clerk — its Chinese category and what to do.

Used by the issue lists people read (the returned workbooks' 退回说明, the combined list).
"""

from __future__ import annotations

__all__ = ["category", "remedy", "CATEGORIES"]

#: code → (类别, 怎么改). Codes not listed fall back to a general category and advice.
CATEGORIES = {
    # files
    "missing_path": ("文件", "检查路径是否正确"),
    "repeated_path": ("文件", "无需处理"),
    "empty_file": ("文件", "重新保存后报送"),
    "not_excel": ("文件", "用 Excel 或 WPS 打开后另存为 .xlsx"),
    "legacy_xls": ("文件", "用 Excel 或 WPS 打开后另存为 .xlsx"),
    "other_spreadsheet": ("文件", "用 Excel 或 WPS 打开后另存为 .xlsx"),
    "document": ("文件", "把数据填入填报模板后报送"),
    "archive": ("文件", "解压后报送其中的 .xlsx"),
    "image": ("文件", "报送填好的 .xlsx 工作簿"),
    "unsupported": ("文件", "报送 .xlsx 工作簿"),
    "encrypted": ("文件", "取消打开密码后重新报送"),
    "corrupt": ("文件", "重新保存后报送"),
    "zip_bomb": ("文件", "重新保存后报送"),
    "xml_dtd": ("文件", "用 Excel 重新保存后报送"),
    "too_large": ("文件", "删除无关内容后重新保存"),
    "sheet_too_large": ("文件", "删除无关内容后重新保存"),
    "internal_error": ("文件", "把文件交给县委组织部分析人员"),
    "macros_ignored": ("文件", "无需处理（宏不会运行）"),
    "no_data": ("工作表", "使用下发的填报模板填写"),
    "not_csv": ("文件", "用 Excel 重新另存为 CSV 或 .xlsx"),
    "bad_encoding": ("文件", "另存为 UTF-8 编码的 CSV"),
    "zip_path": ("文件", "用 Excel 或 WPS 打开后另存为新的 .xlsx 再报送"),
    "dangling_link": ("文件", "把真正的工作簿（不是快捷方式）放进文件夹"),
    "unreadable": ("文件", "复制到本机有读取权限、路径较短的文件夹后再读取"),
    "not_a_table": ("文件", "移出数据文件夹"),
    "hidden_folder": ("文件夹", "如其中是要读取的表，移出隐藏文件夹"),
    "unreadable_folder": ("文件夹", "复制到本机有读取权限、路径较短的文件夹后再读取"),
    "folder_year": ("文件夹", "把文件移到对应年度的文件夹，或核实表中的年度"),
    "nothing_taken": ("文件", "使用下发的填报模板填写，保留模板的表头"),
    "long_text": ("单元格", "核实文字是否完整；过长的说明可另附文件"),
    # sheets and headers
    "unknown_sheet": ("工作表", "如是填报数据，请填入模板的填报表"),
    "no_header": ("表头", "恢复模板原来的表头和关键列"),
    "missing_key_column": ("表头", "恢复“村（社区）”等关键列"),
    "missing_column": ("表头", "恢复缺少的指标列并填写"),
    "unknown_column": ("表头", "如是填报数据，请填到对应的指标列"),
    "header_conflict": ("表头", "恢复模板原表头，按表头单位重新填写本列"),
    "wrong_level": ("表头", "把本列移到对应的工作表"),
    "far_cell": ("单元格", "删除误输入，或把数据移回表格中"),
    "missing_county_column": ("表头", "恢复缺少的列"),
    # keys
    "unknown_township": ("乡镇/村/年度", "按名录填写乡镇名称"),
    "unknown_village": ("乡镇/村/年度", "按名录填写村（社区）名称；村确已更名的，告知县委组织部在名录中记下"),
    "bad_year": ("乡镇/村/年度", "填写正确的年度"),
    "empty_row": ("空行", "填写本行的指标，或删除本行"),
    "missing_village": ("缺村", "补填该村的数据"),
    "old_village_name": ("乡镇/村/年度", "改用新名称"),
    "new_village_name": ("乡镇/村/年度", "改为该年度名录中的名称（见问题说明）"),
    "wrong_year": ("乡镇/村/年度", "把年度改为本表的填报年度，并核实本行数值是该年度的"),
    "added_row": ("多余的行", "删除该行"),
    "clerk_note": ("备注", "无需修改（县委组织部会查看备注）"),
    "links_village": ("驻点联系", "改用该年度有效的村（社区）名称"),
    # values
    "not_number": ("数值", "改为数字；“是/否”类指标选择“是”或“否”"),
    "bad_unit": ("单位", "只填写数字，单位以表头为准"),
    "unit_converted": ("单位", "核实换算后的数值"),
    "negative": ("数值", "填写不小于 0 的数"),
    "not_binary": ("数值", "选择“是”或“否”"),
    "over_100": ("数值", "百分比填写 0–100 之间的数"),
    "not_integer": ("数值", "人数、个数填写整数"),
    "percent_fraction": ("数值", "核实是否应填 0–100 之间的百分数"),
    "split_number": ("数值", "一个单元格只填一个数"),
    "footnote_mark": ("数值", "删除脚注、上标等符号，只填写数字"),
    "excel_error": ("公式", "改为直接填写数值"),
    "formula_no_value": ("公式", "改为直接填写数值"),
    "formula_cached": ("公式", "核实公式结果，最好改为直接填写数值"),
    "dde_formula": ("公式", "删除该公式，直接填写数值"),
    "external_link": ("公式", "核实所引用文件中的数值后，改为直接填写数值"),
    "format_mismatch": ("格式", "改为常规格式后核实数值"),
    "percent_format": ("格式", "核实按百分数读取的数值"),
    "out_of_range": ("超出范围", "核实后重新填写"),
    "implausible": ("数值存疑", "核实数字，有误的改正"),
    "year_on_year": ("与上年差异大", "核实数字，有误的改正"),
    "confirmation_stale": ("数值存疑", "核实改动后的数值；无误的在“确认属实”列重新选“是”并写明说明"),
    "year_on_year_level": ("与上年差异大", "核实等次（注意哪一端最好），有误的改正"),
    "merged_value": ("合并单元格", "取消合并，在每个村的单元格分别填写"),
    "not_applicable": ("不适用", "删除此值（本村不填此项）；如该村确应填写，先改正所依据的那一项"),
    "empty_value": ("未填写", "补填；确实无数据填“—”"),
    "empty_column": ("未填写", "补填本列"),
    "duplicate_same": ("重复", "删除重复的行"),
    "duplicate_conflict": ("重复", "保留正确的一行，删除其余"),
    "duplicate_file": ("重复", "只保留一个文件（改好的那个），删除其余"),
    "ledger_update": ("台账更新", "无需修改；如另一条才是最新状态，请改正已销号的那一条"),
    # county tables
    "bad_ballots": ("评议计票", "按说明改正本行"),
    "bad_ledger": ("四风台账", "按说明改正本行"),
    "bad_links": ("驻点联系", "按说明改正本行"),
    "ballot_total": ("评议计票", "核对各评价的票数"),
    "blank_rating": ("评议计票", "填写评价（空白票填“空白”）"),
    "ledger_closed": ("四风台账", "填写销号日期"),
    # the 考核细则's county tables (加减分台账, 考核清单, 测评票)
    "bad_adjustments": ("加减分台账", "按说明改正本行"),
    "adjustments_basis": ("加减分台账", "补填依据（文件或通报号）"),
    "adjustments_date": ("加减分台账", "核实日期和年度"),
    "adjustment_twice": ("加减分台账", "核实是否重复登记，重复的删去一条"),
    "bad_checklist": ("考核清单", "按说明改正本行"),
    "check_twice": ("考核清单", "同一清单项只保留一行"),
    "bad_ballot_sheets": ("测评票", "按说明改正本行"),
    "bad_ballot_cell": ("测评票", "按评价档次或 0–100 的分数改正本格"),
    "ballot_number_twice": ("测评票", "核对票号，每张票一个票号"),
    "ballots_given_twice": ("测评票", "同一书记、评议人类别和项目只用计票表或测评票中的一种"),
    "ballot_sheets_ballot": ("测评票", "补填票号"),
    "ballot_sheets_size": ("测评票", "核对该类评议人的票数"),
    "unknown_secretary": ("测评票", "表头改为名录中的书记姓名"),
    "no_assessment": ("考核细则", "在指标体系中写出 [assessment]，或不报送本表"),
    "tallies_on_ballot_sheets": ("测评票", "无需修改（这些行不计）"),
}


def category(code: str) -> str:
    """The Chinese category of an issue code (``其他`` when unknown)."""
    return CATEGORIES.get(code, ("其他", ""))[0]


def remedy(code: str) -> str:
    """What the clerk should do about an issue of ``code``, in Chinese."""
    return CATEGORIES.get(code, ("", "按说明核对后修改"))[1] or "按说明核对后修改"
