"""Private: the ``dangjian template`` command — its options and what it runs.

Kept beside the template writer so that :mod:`dangjian_analysis.cli` stays a thin dispatcher:
:func:`add_template_arguments` declares the options, :func:`run_template` runs them and raises
``ValueError`` (one Chinese line) for a usage error, which the CLI turns into exit status 2.
"""

from __future__ import annotations

import sys

__all__ = ["add_template_arguments", "run_template", "TemplateUsage"]


class TemplateUsage(ValueError):
    """A usage error of ``dangjian template`` (one Chinese line; exit status 2)."""


def add_template_arguments(p) -> None:
    """The options of ``dangjian template`` (``--catalog`` is added by the CLI)."""
    p.add_argument("--year", type=int, help="填报年度（默认：给了 --previous 时为上年数据的下一年，否则为指标体系的最后一年）")
    p.add_argument("--township", help="只为该乡镇预填村（社区）名单（默认全部乡镇）")
    p.add_argument("--county", action="store_true", help="生成县级数据模板（述职评议计票、四风台账、驻点联系）")
    p.add_argument("--previous", metavar="DATA", nargs="+",
                   help="上一年的数据（文件或文件夹）：在填报区右侧加灰色、不可修改的“上年数”区，供填报人对照")
    p.add_argument("--deadline", metavar="DATE",
                   help="报送截止日期，如 2017-01-15（写在填报说明和每张表的页眉；默认取指标体系 [template] 的 deadline）")
    p.add_argument("--contact", metavar="TEXT",
                   help="县里的联系人和电话，如 \"组织部组织科 张三 0000-1234567\"（默认取指标体系 [template] 的 contact）")
    p.add_argument("--out", metavar="FILE", required=True, help="写入的 .xlsx 文件（只接受 .xlsx 扩展名）")


def _check_out(out: str) -> None:
    """:class:`TemplateUsage` unless ``out`` names an .xlsx file: the template is an Excel
    workbook (.xlsx); written under an .xls or .et name, Excel and WPS refuse to open it."""
    from pathlib import Path

    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        return
    fixed = Path(out).with_suffix(".xlsx").name if suffix else f"{Path(out).name}.xlsx"
    why = {".xls": ".xls 是旧版 Excel 格式", ".et": ".et 是 WPS 表格格式", ".xlsm": ".xlsm 是含宏的工作簿",
           ".csv": ".csv 是文本格式"}.get(suffix, f"不能是 {suffix}" if suffix else "文件名缺少 .xlsx")
    raise TemplateUsage(f"--out {out}：填报模板只能写成 .xlsx 工作簿（{why}），请改为 --out {fixed}")


def run_template(args, catalog) -> int:
    """Write the template ``args`` ask for; returns 0. :class:`TemplateUsage` for a usage error
    (an --out not named .xlsx, a bad year, township or deadline), checked before anything is
    read; the previous data's load errors propagate as they are."""
    from .county_template import write_county_template
    from .template import write_template

    _check_out(args.out)
    if args.county and args.township:
        raise TemplateUsage("--county 与 --township 不能同时使用：县级数据模板包含全县")
    if args.county and (args.deadline or args.contact):
        raise TemplateUsage("--deadline 和 --contact 用于乡镇填报模板，不能与 --county 同时使用")
    previous = None
    if args.previous:
        from ..intake import load

        previous = load(*args.previous, catalog=catalog)
        if previous.n_errors:
            print(f"注意：上年数据有 {previous.n_errors} 个错误，这些单元格的上年数留空"
                  f"（用 dangjian validate {' '.join(args.previous)} 查看）", file=sys.stderr)
    try:
        if args.county:
            path = write_county_template(args.out, year=args.year, catalog=catalog, previous=previous)
        else:
            path = write_template(args.out, year=args.year, township=args.township, catalog=catalog,
                                  previous=previous, deadline=args.deadline, contact=args.contact)
    except ValueError as exc:
        raise TemplateUsage(str(exc)) from None
    what, extra = ("县级数据模板", "（含上年未销号事项和驻点工作组）") if args.county else ("填报模板", "（含上年数）")
    print(f"已生成{what}：{path}" + (extra if previous is not None else ""))
    return 0
