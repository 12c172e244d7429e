"""write_cell: the same text written again is the same cell, checked once."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from dangjian_analysis.documents._xlsx import write_cell


@pytest.mark.parametrize("value, kind", [("东山镇.xlsx", "s"), ("=SUM(A1:A3)", "s"), ("-3", "s"), ("#N/A", "e"),
                                         (12.5, "n")])
def test_a_value_written_twice_is_the_same_cell(value, kind):
    ws = openpyxl.Workbook().active
    first, again = write_cell(ws, 1, 1, value), write_cell(ws, 2, 1, value)
    assert (first.value, first.data_type) == (again.value, again.data_type) == (value, kind)


def test_a_text_a_worksheet_cannot_hold_is_marked_every_time():
    """BEL cannot be in a worksheet: it is shown as 〔U+0007〕 (openpyxl would refuse it), the second
    time too — the cache of checked texts never lets the raw text through."""
    ws = openpyxl.Workbook().active
    for row in (1, 2):
        cell = write_cell(ws, row, 1, "坏\x07字符")
        assert (cell.value, cell.data_type) == ("坏〔U+0007〕字符", "s")
    with pytest.raises(IllegalCharacterError):              # what openpyxl does without write_cell
        ws.cell(row=3, column=1).value = "坏\x07字符"
