"""How long importing an official-layout file of another template takes (issue 19).

    python benchmarks/bench_import_templates.py [--rows N] [--runs N]

Builds, as a clerk would type them, a budget table in Word (python-docx: two header rows,
業務 rows merged across, amounts with commas, ■/□ boxes) and a KPI sheet in Excel (openpyxl:
策略績效目標 merged down, numbers as numbers), ``--rows`` rows each in 業務 of 50 rows, and
prints the median of ``--runs`` reads through ``app.importers.official.read_with_report``
(loading the file, matching every built-in template's headings, reading every value).
Nothing is asserted.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_time, print_table  # noqa: E402  (common puts the project on sys.path)

FINANCIAL = "壹貳參肆伍陸柒捌玖拾"


def budget_docx(path: Path, rows: int) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("嘉義市東區區公所 113 年度重要施政項目執行情形")
    groups = max(1, rows // 50)
    table = document.add_table(rows=2 + groups + rows, cols=9)
    heads = ["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算執行情形", "", "", "計畫成果及執行效益"]
    for col, text in enumerate(heads):
        if text:
            table.cell(0, col).text = text
    for col, text in zip((5, 6, 7), ("預算金額", "執行金額", "執行率")):
        table.cell(1, col).text = text
    table.cell(0, 5).merge(table.cell(0, 7))
    for col in (0, 1, 2, 3, 4, 8):
        table.cell(0, col).merge(table.cell(1, col))
    r = 2
    for g in range(groups):
        table.cell(r, 0).text = f"{FINANCIAL[g % 10]}、業務{g + 1}"
        table.cell(r, 0).merge(table.cell(r, 8))
        r += 1
        for n in range(rows // groups):
            values = [str(n + 1), f"計畫 {g}-{n}", "民政課", "■市庫負擔 □補助款", "", f"{(n + 1) * 1000:,}",
                      f"{(n + 1) * 900:,}", "90.0%", "辦理完成。\n成效良好。"]
            cells = table.rows[r].cells
            for col, text in enumerate(values):
                cells[col].text = text
            r += 1
    document.save(path)


def kpi_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["嘉義市東區區公所 113 年度施政績效報告"])
    ws.append(["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"])
    groups = max(1, rows // 50)
    for g in range(groups):
        ws.append([f"{FINANCIAL[g % 10]}、業務{g + 1}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
        for n in range(rows // groups):
            goal = f"目標 {n // 5 + 1}" if n % 5 == 0 else None
            ws.append([goal, f"指標 {n}", "件數", 0.1, 100, 95, "95%"])
            ws.cell(ws.max_row, 4).number_format = "0%"
            if n % 5 == 4:
                ws.merge_cells(start_row=ws.max_row - 4, start_column=1, end_row=ws.max_row, end_column=1)
    wb.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from app.importers.official import read_with_report

    print(machine())
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, suffix in (("budget (Word)", budget_docx, ".docx"), ("KPI (Excel)", kpi_xlsx, ".xlsx")):
            path = Path(tmp) / f"file{suffix}"
            build(path, args.rows)
            result = read_with_report(path)
            entries = sum(1 for d in result.report.departments for s in d.sections for i in s.items for _ in i.entries)
            seconds = median_time(lambda: read_with_report(path), args.runs)
            table.append((f"import {name}, {entries} rows", f"{seconds * 1000:.0f}", f"{path.stat().st_size // 1024} KB",
                          str(len(result.warnings))))
    print_table(["measure", "ours (ms)", "file", "warnings"], [list(row) for row in table])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
