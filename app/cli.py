"""The command line (docs/interface.md): the same engine as the GUI, for batch work.

Exit status: 0 done; 1 ``check`` found errors (or a merge left conflicts);
``check --proofread`` lists 校對 findings and exits 0 with them (they are not errors);
2 bad usage or bad input — one zh-TW line on stderr naming the file and the
problem, no traceback, and nothing left behind.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from . import APP_NAME, COMMANDS, __version__
from .document import ReportDocument
from .errors import ReportError
from .exporters import FORMATS, export
from .dashboard import progress, text_bars
from .importers import read_source
from .paths import write_crash_log
from .validate import SEVERITY_LABEL, check, summary

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one zh-TW line with exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ReportError(f"命令列參數錯誤：{message}（用 --help 查看用法）")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workreport",
        description=f"{APP_NAME}：不帶參數或給一個 .awr 檔即開啟視窗；以下子命令供批次作業使用。",
    )
    parser.add_argument("--version", action="version", version=f"workreport {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = commands.add_parser("sample", help="把內附的 109 年度範例報告寫成新的報告檔")
    p.add_argument("output", help="新的報告檔（.awr）")
    p.add_argument("--force", action="store_true", help="覆寫已存在的檔案")

    p = commands.add_parser("export", help="匯出報告")
    p.add_argument("file", help="報告檔（.awr）")
    p.add_argument("-f", "--format", required=True, choices=list(FORMATS), help="匯出格式")
    p.add_argument("-o", "--output", required=True, help="輸出檔")
    p.add_argument("--department", help="只匯出這個部門（名稱，如 民政部門）")

    p = commands.add_parser("import", help="由 JSON、Word、Excel、ODF 檔建立新的報告檔")
    p.add_argument("source")
    p.add_argument("-o", "--output", required=True, help="新的報告檔（.awr）")
    p.add_argument("--office", help="機關名稱（來源檔沒有寫時）")
    p.add_argument("--year", type=int, help="報告的民國年度（來源檔沒有寫時）")
    p.add_argument("--template", default=None,
                   help="Word/Excel/ODF 檔的表格所用的範本名稱或 .awt 範本檔；預設依表頭自動辨識")
    p.add_argument("--force", action="store_true", help="覆寫已存在的檔案")

    p = commands.add_parser("check", help="列出報告的問題；有錯誤時結束碼為 1")
    p.add_argument("file")
    p.add_argument("--proofread", action="store_true", help="列出校對建議（錯字、台/臺、全半形…）；校對建議不影響結束碼")
    p.add_argument("--include-ignored", action="store_true", help="與 --proofread 並用：連已忽略的也列出")

    p = commands.add_parser("rollover", help="建立下一年度的報告（相同部門、項、目）")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--keep-entries", action="store_true", help="一併複製辦理情形")

    p = commands.add_parser("package", help="部門工作包：分送與彙整")
    package = p.add_subparsers(dest="package_command", parser_class=_Parser, required=True)
    q = package.add_parser("export", help="由報告分出一個部門的工作包")
    q.add_argument("file")
    q.add_argument("--department", required=True)
    q.add_argument("-o", "--output", required=True)
    q = package.add_parser("merge", help="把工作包彙整回報告")
    q.add_argument("file")
    q.add_argument("package")
    q.add_argument("--dry-run", action="store_true")
    q.add_argument("--prefer", choices=["package", "report"])

    p = commands.add_parser("templates", help="列出內附的報告範本；--show 以 JSON（.awt 格式）印出一個")
    p.add_argument("--show", metavar="NAME", help="範本名稱或 .awt 範本檔")

    p = commands.add_parser("new", help="以指定的範本建立空白報告檔")
    p.add_argument("output", help="新的報告檔（.awr）")
    p.add_argument("--template", default=None, help="範本名稱（見 templates）或 .awt 範本檔；預設為區公所年度工作總報告")
    p.add_argument("--office", required=True, help="機關名稱")
    p.add_argument("--year", type=int, required=True, help="報告的民國年度")
    p.add_argument("--force", action="store_true", help="覆寫已存在的檔案")
    p = commands.add_parser("city", help="由各機關的報告（同一範本）組成城市的敘述式施政報告")
    p.add_argument("output", help="新的城市報告檔（.awr）")
    p.add_argument("reports", nargs="+", help="各機關的報告檔（.awr），依序排入")
    p.add_argument("--office", required=True, help="城市報告的機關名稱（如 嘉義市政府）")
    p.add_argument("--year", type=int, required=True, help="報告的民國年度")
    p.add_argument("--force", action="store_true", help="覆寫已存在的檔案")
    return parser


def cmd_city(args) -> int:
    """A city report from office reports (app/city.py)."""
    from .city import city_report

    reports = []
    for path in args.reports:
        doc = _open(path)
        try:
            reports.append(doc.report)
        finally:
            doc.close()
    result = city_report(reports, args.office, args.year, paths=args.reports)
    created = ReportDocument.create(args.output, result.report, overwrite=args.force)
    counts = created.report.counts()
    created.close()
    print(f"已建立 {args.year} 年度城市報告 {args.output}（{len(reports)} 份機關報告）：{_counts(result.report, counts)}")
    for line in result.notes():
        print(f"注意：{line}")
    return EXIT_OK


def _open(path: str, fmt: str | None = None) -> ReportDocument:
    """For reading (export, check, rollover): no lock, so it works while the GUI has the file open.
    Every exporter follows the report's template (issue 19), so ``fmt`` refuses nothing."""
    return ReportDocument.open(path, read_only=True)


def cmd_sample(args) -> int:
    from .sample import write_sample

    doc = write_sample(args.output, overwrite=args.force)
    counts = doc.report.counts()
    doc.close()
    print(f"已建立範例報告 {args.output}：{counts['department']} 個部門、{counts['item']} 個目、{counts['entry']} 筆辦理情形")
    return EXIT_OK


def cmd_export(args) -> int:
    doc = _open(args.file, args.format)
    try:
        export(doc.report, args.format, args.output, department=args.department)
    finally:
        doc.close()
    print(f"已匯出 {args.output}")
    return EXIT_OK


def cmd_import(args) -> int:
    template = None
    if args.template:
        from .templates import find_template

        template = find_template(args.template)
    report = read_source(args.source, office=args.office, roc_year=args.year, template=template)
    doc = ReportDocument.create(args.output, report, overwrite=args.force)
    counts = doc.report.counts()
    doc.close()
    if report.template.is_default:
        print(f"已匯入 {args.source} → {args.output}：{_counts(report, counts)}")
    else:
        from .importers.templated import template_summary

        print(f"已匯入 {args.source} → {args.output}：{template_summary(report)}")
    return EXIT_OK


def _counts(report, counts: dict[str, int]) -> str:
    """「3 個部門、5 個目、12 筆辦理情形」, or for another template its own levels: 「2 個業務、3 列」."""
    template = report.template
    if template.is_default:
        return f"{counts['department']} 個部門、{counts['item']} 個目、{counts['entry']} 筆辦理情形"
    parts = [f"{counts[kind]} 個{level.name}" for kind, level in zip(template.level_kinds, template.levels)]
    rows = "段" if template.layout == "narrative" else "列"
    return "、".join([*parts, f"{counts['entry']} {rows}"])


def cmd_templates(args) -> int:
    from .templates import DEFAULT_TEMPLATE_NAME, builtin_templates, find_template

    if args.show:
        sys.stdout.write(find_template(args.show).dumps())
        return EXIT_OK
    for template in builtin_templates():
        levels = " › ".join(level.name for level in template.levels)
        columns = "、".join(column.heading for column in template.columns)
        mark = "（預設）" if template.name == DEFAULT_TEMPLATE_NAME else ""
        print(f"{template.name}{mark}\t層級：{levels}\t欄位：{columns}")
    return EXIT_OK


def cmd_new(args) -> int:
    from .editing import new_report
    from .templates import default_template, find_template

    template = find_template(args.template) if args.template else default_template()
    if not 1 <= args.year <= 999:
        raise ReportError(f"年度 {args.year} 不是民國年度（1–999）")
    report = new_report(args.office, args.year, template)  # as 新增報告 in the window: one top node to start from
    ReportDocument.create(args.output, report, overwrite=args.force).close()
    print(f"已建立 {args.year} 年度「{template.name}」空白報告 {args.output}")
    return EXIT_OK


def cmd_proofread(args) -> int:
    from .proofread import format_finding, proofread_summary
    from .proofread import check as proofread

    doc = _open(args.file)
    try:
        findings = proofread(doc.report, include_ignored=args.include_ignored)
        ignored = doc.report.proofread_ignored
        template = doc.report.template
    finally:
        doc.close()
    for finding in findings:
        print(format_finding(finding, ignored=finding.key in ignored, template=template))
    print(proofread_summary(findings))
    return EXIT_OK


def cmd_check(args) -> int:
    if getattr(args, "proofread", False):
        return cmd_proofread(args)
    doc = _open(args.file)
    try:
        problems = check(doc.report)
    finally:
        doc.close()
    for problem in problems:
        print(f"{SEVERITY_LABEL[problem.severity]}\t{problem.where}\t{problem.message}")
    print(text_bars(progress(doc.report, problems)))
    errors, warnings = summary(problems)
    print(f"共 {errors} 個錯誤、{warnings} 個警告")
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_rollover(args) -> int:
    from .rollover import next_year

    doc = _open(args.file)
    try:
        report = next_year(doc.report, keep_entries=args.keep_entries)
    finally:
        doc.close()
    created = ReportDocument.create(args.output, report)
    counts = created.report.counts()
    created.close()
    print(f"已建立 {report.roc_year} 年度報告 {args.output}：{_counts(report, counts)}")
    return EXIT_OK


def _short(value) -> str:
    text = "（空）" if value in (None, "") else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def cmd_package(args) -> int:
    from .model import field_label
    from .packages import apply_merge, issue_package, plan_merge

    if args.package_command == "export":
        doc = _open(args.file)
        try:
            issue_package(doc, args.department, args.output)
        finally:
            doc.close()
        print(f"已建立「{args.department}」的工作包 {args.output}")
        return EXIT_OK
    doc = ReportDocument.open(args.file)  # the report's lock: one merge at a time
    try:
        plan = plan_merge(doc, args.package, prefer=args.prefer)
        for change in plan.changes:
            detail = (f"\t{change.heading or field_label(change.field)}：{_short(change.before)} → {_short(change.after)}"
                      if change.field else "")
            print(f"{change.action}\t{change.where}{detail}")
        for conflict in plan.conflicts:
            choice = {"package": "採用工作包", "report": "採用報告"}.get(conflict.choice or "", "未決定")
            print(f"衝突（{choice}）\t{conflict.where}\t{conflict.heading or field_label(conflict.field)}\t基準：{_short(conflict.base)}"
                  f"\t工作包：{_short(conflict.package)}\t報告：{_short(conflict.report)}")
        if plan.unresolved:
            print(f"有 {len(plan.unresolved)} 個衝突未決定，未做任何變更（可加 --prefer package 或 --prefer report）", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.dry_run:
            print(f"試算：會有 {len(plan.changes)} 項變更，未做任何變更")
            return EXIT_OK
        if plan.is_noop:
            print("工作包沒有新的變更，報告維持不變")
            return EXIT_OK
        apply_merge(doc, plan)
        print(f"已彙整 {args.package}：{len(plan.changes)} 項變更")
        return EXIT_OK
    finally:
        doc.close()


HANDLERS = {
    "sample": cmd_sample,
    "export": cmd_export,
    "import": cmd_import,
    "check": cmd_check,
    "rollover": cmd_rollover,
    "city": cmd_city,
    "package": cmd_package,
    "templates": cmd_templates,
    "new": cmd_new,
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:  # a cp950 console must not turn a message into a traceback
            reconfigure(errors="replace")
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return EXIT_BAD_INPUT
        return HANDLERS[args.command](args)
    except ReportError as exc:
        print(f"錯誤：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已中斷，未留下任何輸出檔", file=sys.stderr)
        return 130
    except MemoryError:
        print("錯誤：記憶體不足，作業未完成，未留下任何輸出檔", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: still no traceback for the user
        if os.environ.get("WORKREPORT_DEBUG"):
            raise
        log = write_crash_log()
        print(f"錯誤：程式發生未預期的問題（{type(exc).__name__}: {exc}），作業未完成；詳細記錄在 {log}", file=sys.stderr)
        return EXIT_BAD_INPUT
