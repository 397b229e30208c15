"""Read an Excel .xlsx report: one worksheet per department.

openpyxl is opened with ``read_only=False`` because only the full workbook
knows its merged ranges, and ``data_only=True`` so that a formula cell gives
its cached value, never the formula.  :mod:`.safety` checks the package first
(zip bomb, encryption, DTD/entities in any XML part: openpyxl parses with
lxml when it is installed, so defusedxml alone would not guard it).

* The 目錄 sheet is not a department; its texts (office, title, date) are
  used for the report's office and year, as are the title rows above each
  table, the page header and the workbook title.
* A merged range becomes one cell with its spans; openpyxl leaves the value
  in the top-left cell and puts empty ``MergedCell`` s elsewhere.
* Only cells that exist in the file are visited (a sheet formatted down to
  row 1 048 576 costs nothing).
* A text cell with the named style 續行 continues the text of the cell
  above (a row cut at Excel's 409 pt by our export): ``GridCell.continued``.
* A number shown as a percentage (``0%`` format, value ``1``) is read as
  ``100%``; other numbers as typed (``3`` not ``3.0``).  The number itself
  is kept too (``GridCell.number``/``percent``: a template's 0.255 in a
  ``0.0%`` cell is 25.5%, app/importers/templated.py).
"""
from __future__ import annotations

import datetime as _dt
import os
import warnings
from pathlib import Path

from ..errors import ReportError
from . import safety
from .official import Grid, GridCell, ImportResult, SourceDocument, read_with_report as _read_with_report

TOC_SHEET = "目錄"
CONTINUED_STYLE = "續行"  # a 辦理情形 cell continuing the row above (app.exporters.xlsx)


def cell_text(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return f"{round(value * 100)}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _named_style(cell) -> str | None:
    try:
        return cell.style
    except (AttributeError, IndexError, KeyError, TypeError):  # a damaged style table
        return None


def sheet_grid(ws) -> Grid:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    cells: list[GridCell] = []
    existing = getattr(ws, "_cells", None)  # only the cells in the file; iter_rows would fill the rectangle
    items = existing.items() if existing is not None else (
        ((c.row, c.column), c) for row in ws.iter_rows() for c in row)
    seen: set[tuple[int, int]] = set()
    for (r, c), cell in sorted(items):
        if (r, c) in covered:
            continue
        seen.add((r, c))
        text = cell_text(cell.value, getattr(cell, "number_format", None))
        rowspan, colspan = spans.get((r, c), (1, 1))
        if text or rowspan > 1 or colspan > 1:
            continued = bool(text) and _named_style(cell) == CONTINUED_STYLE
            grid_cell = GridCell(r - 1, c - 1, text, rowspan, colspan, continued)
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                grid_cell.number = cell.value
                grid_cell.percent = "%" in (getattr(cell, "number_format", None) or "")
            cells.append(grid_cell)
    for (r, c), (rowspan, colspan) in spans.items():  # a merge whose top-left cell was never written
        if (r, c) not in seen:
            cells.append(GridCell(r - 1, c - 1, "", rowspan, colspan))
    return Grid(cells, f"工作表「{ws.title}」", ws.title)


def _header_texts(ws) -> list[str]:
    texts = []
    for part in ("oddHeader", "firstHeader", "evenHeader"):
        header = getattr(ws, part, None)
        if header is None:
            continue
        for side in (header.left, header.center, header.right):
            if side is not None and side.text:
                texts.append(side.text.replace("&&", "&"))
    return texts


def load(path: str | os.PathLike[str]) -> SourceDocument:
    path = Path(path)
    safety.check_file(path)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like
            workbook = load_workbook(path, read_only=False, data_only=True)
    except ReportError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError… on damaged parts
        raise ReportError(f"無法讀取 Excel 活頁簿（檔案損壞或格式不符：{type(exc).__name__}）", path) from exc
    source = SourceDocument(path)
    try:
        if workbook.properties is not None and workbook.properties.title:
            source.texts.append(workbook.properties.title)
        for ws in workbook.worksheets:
            source.texts.extend(_header_texts(ws))
            grid = sheet_grid(ws)
            if ws.title.strip() == TOC_SHEET:
                source.texts.extend(c.text for c in grid.cells if c.text)
                continue
            source.grids.append(grid)
    finally:
        workbook.close()
    return source


def read_with_report(path, **options) -> ImportResult:
    return _read_with_report(path, **options)


def read(path, **options):
    return _read_with_report(path, **options).report
