"""Word and PDF export times: the sample (1×) and 20× the sample, against a floor.

The floor is python-docx writing the same number of plain cells (one table,
six columns, one row per body row, the same texts) with no merges, styles,
sections or fields — through lxml, as the exporter does, so it measures
what building and zipping that much WordprocessingML costs at least.

    python benchmarks/bench_export_docx_pdf.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import machine, median_time, print_table, scaled_report  # noqa: E402

import ui.render.pdf  # noqa: E402,F401  (registers the PDF exporter, as the launcher does)
from app.exporters import export  # noqa: E402
from app.layout import body_plan, completion_text, layout  # noqa: E402


def floor_docx(report, path: Path) -> None:
    """Plain cells only: the least any .docx of this much text can cost."""
    import docx
    from lxml import etree
    from xml.sax.saxutils import escape

    document = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    rows = []
    for block in layout(report).departments:
        for body in body_plan(block):
            lines = body.row.lines if body.row else []
            cells = [body.section_label or "", body.item_label or "", "\n".join(lines),
                     completion_text(body.row.completion) if body.row else "", body.row.remark if body.row else "",
                     block.label if body.first else ""]
            rows.append("<w:tr>" + "".join(
                f"<w:tc><w:p><w:r><w:t xml:space=\"preserve\">{escape(c)}</w:t></w:r></w:p></w:tc>" for c in cells
            ) + "</w:tr>")
    table = etree.fromstring(f"<w:tbl {w}><w:tblPr/><w:tblGrid>{'<w:gridCol/>' * 6}</w:tblGrid>{''.join(rows)}</w:tbl>".encode())
    body = document.element.body
    body.insert(len(body) - 1, table)
    document.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reports = {1: scaled_report(1), 20: scaled_report(20)}
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    times: dict[tuple[str, int], float] = {}
    for factor, report in reports.items():
        times[("docx", factor)] = median_time(lambda: export(report, "docx", folder / "out.docx"), args.runs)
        times[("pdf", factor)] = median_time(lambda: export(report, "pdf", folder / "out.pdf"), args.runs)
        times[("floor", factor)] = median_time(lambda: floor_docx(report, folder / "floor.docx"), args.runs)
    print(f"Machine: {machine()}; median of {args.runs} runs after one warm-up")
    counts = {f: r.counts() for f, r in reports.items()}
    print(f"1× = {counts[1]['department']} departments, {counts[1]['entry']} entries; "
          f"20× = {counts[20]['department']} departments, {counts[20]['entry']} entries")
    rows = []
    for name, label in (("docx", "Word (.docx)"), ("pdf", "PDF (Qt)"), ("floor", "floor: plain python-docx cells")):
        one, twenty = times[(name, 1)], times[(name, 20)]
        rows.append([label, f"{one * 1000:.0f} ms", f"{twenty * 1000:.0f} ms", f"{twenty / one:.1f}×",
                     f"{one / times[('floor', 1)]:.1f}×", f"{twenty / times[('floor', 20)]:.1f}×"])
    print_table(["export", "1×", "20×", "20× / 1×", "1× / floor", "20× / floor"], rows)


if __name__ == "__main__":
    main()
