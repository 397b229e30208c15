"""PDF export times of reports in the non-default built-in templates (issue 19), with the
default template's sample beside them for scale.

Reports: a budget table of N rows (tests/test_export_templates_pdf.py's long_budget_report), and
the narrative builder's report with its 部門 repeated; the figure is the median wall time of
``app.exporters.export(report, "pdf", path)`` and the page count.

    python benchmarks/bench_export_templates_pdf.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from common import machine, median_time, print_table  # noqa: E402

import ui.render.pdf  # noqa: E402,F401  (registers the PDF exporter, as the launcher does)
from app.exporters import export  # noqa: E402
from app.sample import sample_report  # noqa: E402
from template_reports import narrative_report  # noqa: E402
from test_export_templates_pdf import long_budget_report  # noqa: E402


def narrative(factor: int):
    report = narrative_report()
    report.departments = [d for _ in range(factor) for d in narrative_report().departments]  # new ids
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from pypdf import PdfReader

    cases = [("預算執行 60 列", long_budget_report(60)), ("預算執行 600 列", long_budget_report(600)),
             ("敘述式 ×20 部門", narrative(10)), ("預設範本 109 範例（對照）", sample_report())]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, report in cases:
            path = Path(folder) / "out.pdf"
            seconds = median_time(lambda: export(report, "pdf", path), runs=args.runs)
            rows.append([name, len(PdfReader(str(path)).pages), f"{seconds:.2f} s"])
    print(machine())
    print_table(["report", "pages", "PDF export (median)"], rows)


if __name__ == "__main__":
    main()
