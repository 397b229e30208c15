"""Time the .xlsx, .ods, .odt and .csv exports at 1× and 20× the sample.

Floors: the same number of plain cells written by the same library with no
merges, no styles and no page setup — what the format costs by itself.
Run from the project root: ``python benchmarks/bench_export_sheets.py``.
"""
from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from common import machine, median_time, print_table, scaled_report

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.exporters import csv_export, odt, ods, xlsx  # noqa: E402
from app.layout import body_plan  # noqa: E402
from app.layout import layout  # noqa: E402


def cells_of(report) -> list[list[list[str]]]:
    """Per department, the 6-column grid of texts the sheet exporters write."""
    sheets = []
    for block in layout(report).departments:
        grid = []
        for body in body_plan(block):
            row = body.row
            grid.append([
                block.label,
                body.section.label if body.section else "",
                body.item.label if body.item else "",
                row.text if row else "",
                str(row.completion) if row and row.completion is not None else "",
                row.remark if row else "",
            ])
        sheets.append(grid)
    return sheets


def floor_openpyxl(sheets, path):
    from openpyxl import Workbook

    wb = Workbook()
    for index, grid in enumerate(sheets):
        ws = wb.create_sheet(f"s{index}")
        for row in grid:
            ws.append(row)
    wb.save(path)


def floor_odfpy_sheet(sheets, path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for index, grid in enumerate(sheets):
        table = Table(name=f"s{index}")
        for values in grid:
            tr = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def floor_odfpy_text(sheets, path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentText()
    for index, grid in enumerate(sheets):
        table = Table(name=f"t{index}")
        table.addElement(TableColumn(numbercolumnsrepeated="6"))
        for values in grid:
            tr = TableRow()
            for value in values:
                cell = TableCell()
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.text.addElement(table)
    doc.save(str(path))


def floor_csv(sheets, path):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for grid in sheets:
            writer.writerows(grid)


def main() -> None:
    print(f"Machine: {machine()}")
    runs = {1: 5, 20: 3}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        results = {}
        for factor in (1, 20):
            report = scaled_report(factor)
            sheets = cells_of(report)
            n = runs[factor]
            for fmt, module, floor in (
                ("xlsx", xlsx, floor_openpyxl),
                ("ods", ods, floor_odfpy_sheet),
                ("odt", odt, floor_odfpy_text),
                ("csv", csv_export, floor_csv),
            ):
                target = folder / f"r{factor}.{fmt}"
                t = median_time(lambda: module.write(report, target), runs=n)
                f = median_time(lambda: floor(sheets, folder / f"f{factor}.{fmt}"), runs=n)
                results[(fmt, factor)] = t
                rows.append([fmt, f"{factor}×", report.counts()["entry"], f"{t * 1000:.0f} ms",
                             f"{f * 1000:.0f} ms", f"{t / f:.1f}×", f"{target.stat().st_size // 1024} KiB"])
        print_table(["format", "size", "entries", "export", "floor", "export/floor", "file"], rows)
        print()
        print_table(
            ["format", "20× / 1×"],
            [[fmt, f"{results[(fmt, 20)] / results[(fmt, 1)]:.1f}"] for fmt in ("xlsx", "ods", "odt", "csv")],
        )


if __name__ == "__main__":
    main()
