"""Stage 5 — documents: what the tool writes for people.

Takes the catalogue, the Dataset, the metric tables and the charts; gives files that can be
handed over as they are, byte-identical from the same inputs: the fill-in templates
(:mod:`.template`; the county-level 县级数据, :mod:`.county_template`), the validation issue
lists (:mod:`.issues`) and the workbooks sent back for correction (:mod:`.returns`), the
summary workbook and tidy CSVs (:mod:`.summary`), the chart set (:mod:`.slides`) and PPTX
deck (:mod:`.deck`), and the yearly report
(:mod:`.report`: notebook execution, HTML, manifest, PDF; :mod:`.docx_report`: report.docx in
公文 layout, its 主要结论 from :mod:`.conclusions`). :mod:`.display` is the one layer that
turns the API's English column ids and codes into Chinese tables for people (``dj.show``).
Workbook-writing helpers (formula-safe cells, fixed zip times) are in :mod:`._xlsx`. A new
output goes here.
"""
