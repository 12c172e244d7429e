"""The ``dangjian`` command: a thin layer over the Python API.

Every subcommand but ``notebooks`` takes ``--catalog FILE``. Exit status: 0 success, 1 data errors
(``validate``) or a failed job (a folder with nothing to read, a fatal problem of the data), 2 usage
errors (a bad option, a path given that does not exist, an output name of the wrong kind). No input
makes it print a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors (exit status 2, no traceback)."""

    #: argparse's own messages (English) in Chinese; the names and values they quote stay.
    _MESSAGES = (("unrecognized arguments: ", "无法识别的参数："),
                 ("the following arguments are required: ", "缺少参数："),
                 ("expected one argument", "需要一个值"),
                 ("invalid int value: ", "不是整数："),
                 ("invalid choice: ", "无效的选项："), ("choose from ", "可选："),
                 ("argument ", "参数 "), ("not allowed with argument ", "不能与以下参数同时使用："))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "用法：", 1)

    def error(self, message):
        for english, chinese in self._MESSAGES:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：命令参数有误（{message}）。用 {self.prog} -h 查看帮助。\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with Chinese help for every subcommand."""
    parser = _Parser(
        prog="dangjian", add_help=False,
        description="县级基层党建考核分析工具：生成填报模板、校验回收的工作簿、计算指标与排名、绘制图表、生成年度报告。",
        epilog="示例：dangjian template --year 2015 --out 填报表.xlsx；dangjian validate 回收表/；dangjian report")
    _chinese(parser)
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="命令", title="命令", parser_class=_Parser)

    def command(name, help_text, catalog=True):
        p = sub.add_parser(name, help=help_text, description=help_text, add_help=False)
        _chinese(p)
        if catalog:
            p.add_argument("--catalog", metavar="FILE", help="指标体系文件（默认使用内置的示例县指标体系）")
        return p

    p = command("catalog", "导出默认指标体系（TOML，带注释），供本县修改；或校验一个指标体系文件")
    p.add_argument("--out", metavar="FILE", help="写入的文件；不给则只校验 --catalog 并打印摘要")
    from .documents._template_cli import add_template_arguments

    add_template_arguments(command("template", "生成乡镇填报模板（Excel）；加 --county 生成县级数据模板"))
    p = command("sample", "生成虚构的示例县数据（10 个乡镇的填报表、县级数据，可选 CSV 副本）")
    p.add_argument("--out", metavar="DIR", default="data/sample", help="输出文件夹（默认 data/sample）")
    p.add_argument("--csv", metavar="DIR", help="另把各工作表的 CSV 副本写入这个文件夹（如 data/sample_csv）")
    p.add_argument("--seed", type=int, default=None, help="随机种子（默认 2015）")
    p = command("validate", "校验回收的工作簿和 CSV：逐个文件列出问题及所在工作表、单元格")
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹")
    p.add_argument("--json", action="store_true", help="只输出一个 JSON 对象 {files, issues, roll}")
    p.add_argument("--xlsx", metavar="FILE", help="另存问题清单为 Excel，便于退回乡镇修改")
    p.add_argument("--return", dest="returns", metavar="DIR",
                   help="为每个有问题的工作簿写一份标出问题单元格的副本（乡镇_年度_退回修改.xlsx），退回乡镇修改")
    p.add_argument("--all", action="store_true", help="列出全部问题（默认每个文件最多 200 条）")
    p = command("rank", "读取并校验数据，计算综合指数，打印乡镇排名、等次和倒排名单")
    p.add_argument("paths", nargs="*", metavar="PATH", help="文件或文件夹（默认自带的示例县 data/sample）")
    p.add_argument("--year", type=int, help="年度（默认数据中的最后一年）")
    p.add_argument("--method", default="goalposts", help="标准化方法：goalposts（默认）| minmax | zscore | rank | target")
    p = command("report", "生成年度报告：report.html、report.docx、summary.xlsx、slides.pptx、charts/、data/、manifest.json")
    from .documents._cards_cli import add_cards_arguments
    from .documents._report_cli import add_report_arguments

    add_report_arguments(p)
    p = command("cards", "为驻点工作组生成村情卡：每个乡镇一个 Word 文件，每个村（社区）一页")
    add_cards_arguments(p)
    p = command("charts", "生成年度图表（PNG，幻灯片尺寸；可另加 SVG）和 PPTX 幻灯片")
    p.add_argument("paths", nargs="*", metavar="PATH", help="文件或文件夹（默认自带的示例县 data/sample）")
    p.add_argument("--year", type=int, help="年度（默认数据中的最后一年）")
    p.add_argument("--out", metavar="DIR", default="charts-out", help="输出文件夹（默认 charts-out）")
    p.add_argument("--svg", action="store_true", help="另外把每张图表写成 SVG（默认只写 PNG）")
    p = command("notebooks", "把分析笔记本（01–05，Jupyter）复制到一个文件夹，供分析人员运行和修改", catalog=False)
    p.add_argument("--out", metavar="DIR", required=True, help="复制到的文件夹（不存在则新建）")
    p.add_argument("--force", action="store_true", help="覆盖文件夹中内容不同的同名笔记本（默认不覆盖，不复制任何文件）")
    return parser


class _Version(argparse.Action):
    """``--version``: print ``dangjian-analysis X.Y.Z`` and exit (the metadata read only when asked)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="显示版本号并退出")

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        print(f"dangjian-analysis {__version__}")
        parser.exit()


def _chinese(parser: argparse.ArgumentParser) -> None:
    """Chinese section titles and -h/--help text instead of argparse's English ones."""
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示本帮助并退出")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):  # pragma: no cover - exotic streams
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except _Usage as exc:
        print(f"dangjian {args.command}：{exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(f"dangjian {args.command}：{_permission(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - never show a traceback to the analyst
        from .catalog import CatalogError
        from .documents._folders import FolderError
        from .documents.report import ReportError
        from .intake import LoadError

        if isinstance(exc, CatalogError):
            print(str(exc), file=sys.stderr)
            return 2
        if isinstance(exc, (LoadError, FolderError, ReportError)):
            print(f"dangjian {args.command}：{exc}", file=sys.stderr)
            return 1
        print(f"dangjian {args.command}：内部错误（{type(exc).__name__}: {exc}），请把这条信息报告给开发人员",
              file=sys.stderr)
        return 1


def _permission(exc: PermissionError) -> str:
    """One Chinese line for a file that cannot be written or replaced: on Windows, most often a
    workbook or document still open in Excel, WPS or Word."""
    name = exc.filename or "输出文件"
    return (f"无法写入 {name}：文件可能正在 Excel、WPS 或 Word 中打开（或所在文件夹正被使用、没有写入权限），"
            "请关闭后重新运行")


class _Usage(Exception):
    """A usage error: exit status 2 with one Chinese line."""


def _catalog(args):
    from .catalog import load_catalog

    return load_catalog(args.catalog)


def _cmd_catalog(args) -> int:
    from .catalog import default_catalog_text

    if args.out:
        if args.catalog:
            _catalog(args)                       # checked first: a broken file is one Chinese line
            text = Path(args.catalog).read_text("utf-8-sig")
        else:
            text = default_catalog_text()
        if Path(args.out).is_dir():
            raise _Usage(f"--out 应为文件名（如 本县指标体系.toml），{args.out} 是一个文件夹")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, "utf-8")
        print(f"已写入指标体系：{args.out}（修改后用 --catalog {args.out} 使用）")
        return 0
    cat = _catalog(args)
    years = f"{cat.first_year}–{cat.last_year} 年度" if cat.last_year else f"{cat.first_year} 年起"
    print(f"{cat.source}：{cat.county_name}，{years}；"
          f"{len(cat.groups)} 个分组、{len(cat.indicators)} 项指标；"
          f"{len(cat.townships)} 个乡镇、{len(cat.villages)} 个村（社区）、{len(cat.secretaries)} 名书记。校验通过。")
    a = cat.assessment
    if a is not None:
        grades = "、".join(g.grade + (f"（不超过 {g.quota:.0%}）" if g.quota else "") for g in a.grades)
        print(f"考核细则“{a.name}”：{len(a.items)} 个小项（每类 {a.points:g} 分）、{len(a.bonus)} 项加分、"
              f"{len(a.deductions)} 项扣分、{len(a.vetoes)} 项一票否决、{len(a.gates)} 道门槛；等次 {grades}。")
    return 0


def _cmd_template(args) -> int:
    from .documents._template_cli import TemplateUsage, run_template

    cat = _catalog(args)
    try:
        return run_template(args, cat)
    except TemplateUsage as exc:
        raise _Usage(str(exc)) from None


def _cmd_sample(args) -> int:
    from .sample import SEED, write_sample

    files = write_sample(args.out, catalog=_catalog(args), seed=SEED if args.seed is None else args.seed,
                         csv_dir=args.csv)
    print(f"已生成示例县数据（虚构）：{args.out}，共 {len(files)} 个文件")
    return 0


def _cmd_validate(args) -> int:
    from .intake import load
    from .documents.issues import export_issues, format_report, report_json
    from .documents.returns import mark_returns

    _existing(args.paths)
    ds = load(*args.paths, catalog=_catalog(args), progress=None if not args.json else False)
    returned = mark_returns(ds, args.returns, inputs=args.paths) if args.returns else []
    if args.xlsx:
        export_issues(ds, args.xlsx, returned=returned)
    if args.json:
        print(report_json(ds, returned=returned))
    else:
        print(format_report(ds, max_per_file=None if args.all else 200, returned=returned), end="")
        if args.xlsx:
            print(f"问题清单已另存为：{args.xlsx}")
        if args.returns:
            print(f"已写出 {len(returned)} 份退回修改的工作簿：{args.returns}")
    return 1 if ds.n_errors else 0


def _scored(args, paths):
    """The steps ``rank`` and ``charts`` share with the report: load, check the year, score."""
    from .documents.pipeline import load_data, score_data
    from .documents.report import report_year

    cat, ds = load_data(paths, args.catalog, progress=None)
    year = report_year(ds, args.year)
    return cat, ds, year, score_data(ds, cat)


def _cmd_rank(args) -> int:
    from .documents._text import format_table
    from .documents.model import build_model
    from .metrics.scoring import METHODS, score_composite

    paths = _existing(args.paths, "rank")
    if args.method not in METHODS:
        raise _Usage(f"--method 应为 {' | '.join(METHODS)}")
    cat, ds, year, scored = _scored(args, paths)
    print(f"读取 {len(ds.files)} 个文件：采用指标值 {len(ds.observations)} 个；错误 {ds.n_errors} 条，提示 {ds.n_warnings} 条"
          + ("（出错的单元格未计入；用 dangjian validate 查看）" if ds.n_errors else ""))
    scores = scored.scores
    if args.method != "goalposts":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            scores = score_composite(ds, cat, method=args.method)
    model = build_model(ds, year, catalog=cat, scores=scores, villages=scored.villages,
                        uncertainty=scored.uncertainty)
    ranking = model.table("ranking")
    unit = "township" if "township" in ranking else "village"
    columns = ["rank", unit, "score", "grade", *[c for c in ranking if c.startswith("index:")], "coverage_pct",
               "provisional_reason", "rank_interval"]
    from .documents.report_labels import label_table

    table = label_table("ranking", ranking[[c for c in columns if c in ranking]], catalog=cat, year=year)
    method = {"goalposts": "固定区间评分", "minmax": "年内极差评分", "zscore": "标准分",
              "rank": "百分位评分", "target": "目标达成度评分"}[args.method]
    roll = model.roll
    print(f"\n{cat.county_name} {year} 年度乡镇基层党建综合指数排名（{method}）")
    if roll.missing:
        print(f"已报送 {len(roll.reported)} 个乡镇（全县 {len(roll.townships)} 个），未报送：{'、'.join(roll.missing)}；"
              "名次只在已报送的乡镇之间排列，均待核实")
    print(format_table(table, digits=1))
    low = model.table("bottom")
    n_villages = int((scored.villages[(scored.villages["year"] == year)
                                      & (scored.villages["group"] == "overall")]["score"].notna()).sum())
    where = f"已报送的 {len(roll.reported)} 个乡镇的 {n_villages} 个村" if roll.missing else f"全县 {n_villages} 个村"
    print(f"\n倒排整顿（{where}中综合指数最低的 {cat.bottom_share:.0%}）：")
    for r in low.itertuples():
        pending = f"  【待核实：{r.provisional_reason}】" if getattr(r, "provisional_reason", "") else ""
        print(f"  {r.bottom_rank:>2}. {r.township}{r.village}  {r.score:.1f}  （{r.reason}）" + pending)
    return 0


def _cmd_charts(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from .documents._folders import check_target, replacing
    from .documents.model import build_model
    from .documents.pipeline import CHART_FILES, deck_path, draw_charts

    paths = _existing(args.paths, "charts")
    inputs = [*(("数据", p) for p in paths), ("指标体系文件", args.catalog)]
    check_target(args.out, only=CHART_FILES, inputs=inputs)      # said before the data are read
    cat, ds, year, scored = _scored(args, paths)
    model = build_model(ds, year, catalog=cat, scores=scored.scores, villages=scored.villages,
                        uncertainty=scored.uncertainty)
    with replacing(args.out, only=CHART_FILES, inputs=inputs) as folder:
        charts = draw_charts(model, folder, svg=args.svg).result()
        deck_path(model, charts, folder / "slides.pptx")
    print(f"已生成 {len(charts)} 张图表（{'PNG 和 SVG' if args.svg else 'PNG'}）：{Path(args.out) / 'charts'}；"
          f"幻灯片：{Path(args.out) / 'slides.pptx'}")
    return 0


def _cmd_report(args) -> int:
    from .documents.report import PDF_NEEDS, ReportError, build_report, check_report, find_soffice, write_pdf

    try:
        if args.check:
            ok, lines = check_report(args.check)
            print("\n".join(lines))
            return 0 if ok else 1
        if args.pdf and find_soffice(args.soffice) is None:
            print(f"dangjian report：{PDF_NEEDS}", file=sys.stderr)
            return 1
        if args.data:
            _existing(args.data, what="找不到数据文件或文件夹：")
        else:
            _sample_notice("report")
        if args.narrative_skeleton:
            from .documents.narrative import narrative_skeleton

            path = narrative_skeleton(args.data, args.year, args.catalog, args.narrative, force=args.force)
            print(f"已写出报告文字初稿：{path}（改写各段、删去“【请改写】”后重新生成报告）", file=sys.stderr)
            return 0
        out = build_report(args.data, args.year, args.catalog, args.out, svg=args.svg, notebook=args.notebook,
                           previous_report=args.previous_report, narrative=args.narrative)
        if args.pdf:
            print(f"PDF 已生成：{write_pdf(out, soffice=args.soffice)}", file=sys.stderr)
    except ReportError as exc:
        print(f"dangjian report：{exc}", file=sys.stderr)
        return 1
    return 0


def _cmd_cards(args) -> int:
    from .documents._cards_cli import run_cards

    return run_cards(args)


def _cmd_notebooks(args) -> int:
    from .resources import copy_notebooks

    try:
        paths = copy_notebooks(args.out, overwrite=args.force)
    except FileExistsError as exc:
        print(f"dangjian notebooks：{exc}", file=sys.stderr)
        return 1
    print(f"已把 {len(paths)} 个分析笔记本复制到 {args.out}：{'、'.join(p.name for p in paths)}")
    return 0


def _sample_notice(command: str) -> str:
    """The bundled sample county's path, after saying in one line (stderr) that it is used."""
    from .resources import sample_path

    path = sample_path()
    try:
        shown = path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    print(f"dangjian {command}：未指定数据，使用自带的虚构示例县 {shown}（结果不代表任何真实县份）", file=sys.stderr)
    return str(path)


def _existing(paths: list[str], command: str = "", what: str = "找不到文件或文件夹：") -> list[str]:
    """The paths given (default: the bundled sample county, said on stderr); a usage error
    (exit status 2) naming every path that is not there."""
    paths = paths or [_sample_notice(command)]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise _Usage(what + "、".join(missing))
    return paths


_COMMANDS = {"catalog": _cmd_catalog, "template": _cmd_template, "sample": _cmd_sample,
             "validate": _cmd_validate, "rank": _cmd_rank, "charts": _cmd_charts, "report": _cmd_report,
             "notebooks": _cmd_notebooks, "cards": _cmd_cards}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
