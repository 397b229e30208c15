"""Floors for benchmarks/run_all.py: what the same amount of data costs with no program of ours around it.

The export floors of the other scripts are reused as they are (imported, not
copied): python-docx plain cells (bench_export_docx_pdf.floor_docx),
openpyxl / odfpy plain cells and csv (bench_export_sheets.floor_*).  This
module adds the floors that did not exist yet:

* :func:`sqlite_insert` — plain ``sqlite3`` writing the report's rows
  (department, section, item, entry; the same columns and texts) into a new
  file in ONE transaction, default pragmas, no indexes, no foreign keys:
  the storage floor for creating a report file;
* :func:`sqlite_read` — plain ``sqlite3`` reading those rows back into tuples:
  the floor for opening one;
* :func:`floor_json` — ``json.dump`` of the same rows as plain lists;
* :func:`floor_pdf` — QPdfWriter + QPainter drawing every body cell's text as
  one plain line each, in the export's Kai font, a new page every 40 lines:
  no measuring, wrapping, borders, spans, cover, 目錄 or dividers.

The start-up floor (a bare QMainWindow with a QTreeView and a QTableView) is
bench_startup.py's ``--bare-window``.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench_export_docx_pdf import floor_docx  # noqa: F401  (re-exported)
from bench_export_sheets import (  # noqa: F401  (re-exported)
    cells_of,
    floor_csv,
    floor_odfpy_sheet,
    floor_odfpy_text,
    floor_openpyxl,
)

_TABLES = {
    "department": ("parent", "position", "name"),
    "section": ("parent", "position", "title"),
    "item": ("parent", "position", "title", "numbered"),
    "entry": ("parent", "position", "level", "text", "completion", "remark"),
}


def report_rows(report) -> dict[str, list[tuple]]:
    """The rows a report file holds for ``report``, per table (id first)."""
    rows: dict[str, list[tuple]] = {kind: [] for kind in _TABLES}
    for dp, department in enumerate(report.departments):
        rows["department"].append((department.id, report.id, dp, department.name))
        for sp, section in enumerate(department.sections):
            rows["section"].append((section.id, department.id, sp, section.title))
            for ip, item in enumerate(section.items):
                rows["item"].append((item.id, section.id, ip, item.title, int(item.numbered)))
                for ep, entry in enumerate(item.entries):
                    rows["entry"].append((entry.id, item.id, ep, entry.level, entry.text, entry.completion, entry.remark))
    return rows


def sqlite_insert(rows: dict[str, list[tuple]], path: Path) -> None:
    """Storage floor: a new SQLite file, four tables, every row inserted in one transaction."""
    path = Path(path)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("BEGIN")
        for table, columns in _TABLES.items():
            conn.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, {', '.join(columns)})")
            conn.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' * (len(columns) + 1))})", rows[table]
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def sqlite_read(path: Path) -> int:
    """Read floor: every row of the four tables back as tuples, in parent/position order."""
    conn = sqlite3.connect(str(path))
    try:
        count = 0
        for table in _TABLES:
            count += len(conn.execute(f"SELECT * FROM {table} ORDER BY parent, position").fetchall())
        return count
    finally:
        conn.close()


def floor_json(rows: dict[str, list[tuple]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, ensure_ascii=False)


def floor_pdf(sheets, path: Path) -> None:
    """The least a Qt PDF of this much text costs: each cell one drawText, 40 lines a page."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from ui.render.pdf import ensure_application, make_font

    ensure_application()
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15)))
    writer.setResolution(300)
    painter = QPainter(writer)
    try:
        painter.setFont(make_font(12))
        line_height = writer.height() / 40
        line = 0
        for grid in sheets:
            for values in grid:
                for value in values:
                    if not value:
                        continue
                    if line == 40:
                        writer.newPage()
                        line = 0
                    painter.drawText(0, int((line + 1) * line_height), value.replace("\n", " "))
                    line += 1
    finally:
        painter.end()
