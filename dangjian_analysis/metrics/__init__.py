"""Stage 3 — metrics: from accepted values to scores, ranks, grades and the lists the county acts on.

Takes a :class:`~dangjian_analysis.intake.Dataset` (or its tidy observations) and the
catalogue; gives new tidy DataFrames, never mutating the input. One module per concern:
:mod:`.scoring` (village aggregation, goalpost scores, weighted sub-indices, overall index,
ranks, grades), :mod:`.weights` (entropy, CRITIC, AHP, TOPSIS), :mod:`.uncertainty` (how
robust a rank is to the weights), :mod:`.trends` (year on year, growth, 晋位升级),
:mod:`.targets` (target attainment), :mod:`.rectify` (倒排 and listing reasons),
:mod:`.conduct` (四风台账, 驻点联系) and :mod:`.review` (述职评议 and the annual assessment).
A new metric goes into the module of its concern, or a new module beside them.
"""
