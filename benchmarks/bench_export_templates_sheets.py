"""Time the .xlsx, .ods and .csv exports of reports in the non-default templates (issue 19).

The budget and KPI test reports (tests/template_reports.py) scaled up: their top nodes
repeated until the table has about ``rows`` entry rows; and the 109 sample under a
landscape copy of the default template (which takes the template-driven path).
Run from the project root: ``python benchmarks/bench_export_templates_sheets.py [rows]``.
"""
from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

from common import machine, median_time, print_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app.exporters import csv_export, ods, xlsx  # noqa: E402
from app.model import clone_tree  # noqa: E402
from app.sample import sample_report  # noqa: E402
from template_reports import budget_report, kpi_report  # noqa: E402


def scaled(builder, rows: int):
    report = builder()
    base = list(report.departments)
    per_copy = sum(len(item.entries) for d in base for s in d.sections for item in s.items)
    copies = max(1, rows // max(per_copy, 1))
    report.departments = []
    for n in range(copies):
        for department in base:
            clone = clone_tree(department, new_ids=True)
            clone.name = f"{department.name}{n + 1}"
            report.departments.append(clone)
    return report


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    landscape = sample_report()
    landscape.template = dataclasses.replace(landscape.template, orientation="landscape", name="橫式")
    reports = [("budget", scaled(budget_report, rows)), ("KPI", scaled(kpi_report, rows)),
               ("sample, landscape default", landscape)]
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, report in reports:
            entries = sum(len(i.entries) for d in report.departments for s in d.sections for i in s.items)
            for fmt, module in (("xlsx", xlsx), ("ods", ods), ("csv", csv_export)):
                path = Path(tmp) / f"out.{fmt}"
                seconds = median_time(lambda: module.write(report, path), runs=3)
                table.append([label, entries, fmt, f"{seconds * 1000:.0f}", f"{path.stat().st_size // 1024}"])
    print(machine())
    print_table(["report", "entries", "format", "ms (median of 3)", "KiB"], table)


if __name__ == "__main__":
    main()
