"""A report of a non-default template as an .xlsx workbook (openpyxl): the one sheet of
:func:`app.exporters.sheet_template.plan_sheet` (see there for the layout and the values).

Written as the default exporter writes its cells (app/exporters/xlsx.py): 標楷體 on every
cell, thin borders on every cell of the table including those hidden under a merge, text
cells forced to strings (``data_type "s"``: a text beginning with ``=`` is never a
formula); the one formula kind is a computed column's ratio.  Print setup: A4 in the
template's orientation, fitted to one page wide, the header rows repeated on every
page, the running header at the top and 第 N 頁 at the foot.
"""
from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

from ..model import Report
from .sheet_template import HEADING_PT, SheetPlan, plan_sheet, ratio_formula
from .sheet_base import FONT_NAME, FONT_PT, FOOTER, TITLE_PT, width_units as _width_units

_HORIZONTAL = {"left": "left", "center": "center", "right": "right"}


def _font(cell_style: str, bold: bool) -> Font:
    if cell_style == "title":
        return Font(name=FONT_NAME, size=TITLE_PT, bold=True)
    if cell_style == "heading":
        return Font(name=FONT_NAME, size=HEADING_PT if bold else FONT_PT, bold=bold)
    return Font(name=FONT_NAME, size=FONT_PT, bold=bold)


def _alignment(cell) -> Alignment:
    if cell.style in ("title", "office", "header"):
        return Alignment(horizontal="center", vertical="center", wrap_text=True)
    if cell.style == "heading":
        return Alignment(horizontal="left", vertical="center", wrap_text=True, indent=cell.indent * 2)
    if cell.kind != "text":  # a number never wraps: it shrinks to its column rather than show ###
        return Alignment(horizontal=_HORIZONTAL.get(cell.align, "left"), vertical="top", shrink_to_fit=True)
    return Alignment(horizontal=_HORIZONTAL.get(cell.align, "left"), vertical="top", wrap_text=True,
                     indent=cell.indent * 2)


def write_plan(plan: SheetPlan, ws) -> None:
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain_font = Font(name=FONT_NAME, size=FONT_PT)
    for c, width in enumerate(plan.widths_cm, start=1):
        ws.column_dimensions[get_column_letter(c)].width = _width_units(width)
    for r, height in enumerate(plan.heights_pt, start=1):
        ws.row_dimensions[r].height = height
    styled: dict[tuple, Any] = {}
    for (r, c), cell in sorted(plan.cells.items()):
        target = ws.cell(r + 1, c + 1)
        if cell.kind == "ratio" and cell.ratio is not None:
            target.value = "=" + ratio_formula(cell.ratio, lambda col: f"{get_column_letter(col + 1)}{r + 1}")
        elif cell.value is not None:
            target.value = cell.value
        elif cell.text:
            target.value = cell.text
            target.data_type = "s"  # user text is never a formula
        key = (cell.style, cell.bold, cell.align, cell.indent, cell.kind, cell.number_format, r >= plan.bordered_from)
        known = styled.get(key)
        if known is not None:
            target._style = copy(known._style)
            continue
        target.font = _font(cell.style, cell.bold)
        target.alignment = _alignment(cell)
        target.number_format = cell.number_format
        if r >= plan.bordered_from:
            target.border = border
        styled[key] = target
    # The merged ranges, and every position of the sheet styled: 標楷體, and in the table a thin
    # border on every cell, the ones under a merge too (Excel draws a merged range's edges from
    # the cells on them, LibreOffice from all).  openpyxl's merge_cells styles the hidden cells
    # through its style registry one by one (seconds for a few thousand rows); here they are
    # made as it makes them and get a copy of one styled cell's style.
    plain = [ws.cell(plan.row_count + 1, 1), ws.cell(plan.row_count + 1, 2)]
    plain[0].font = plain[1].font = plain_font
    plain[1].border = border
    for r1, c1, r2, c2 in plan.merges:
        ws.merged_cells.ranges.add(MergedCellRange(ws, CellRange(min_col=c1 + 1, min_row=r1 + 1, max_col=c2 + 1,
                                                                 max_row=r2 + 1).coord))
    covered = plan.covered()
    for r in range(plan.row_count):
        for c in range(plan.column_count):
            if (r, c) in plan.cells:
                continue
            style = plain[1 if r >= plan.bordered_from else 0]._style
            if (r, c) in covered:
                hidden = MergedCell(ws, row=r + 1, column=c + 1)
                ws._cells[(r + 1, c + 1)] = hidden
            else:
                hidden = ws.cell(r + 1, c + 1)
            hidden._style = copy(style)
    for target in plain:  # the two style models, below the sheet: gone again
        del ws._cells[(target.row, target.column)]
    _page_setup(ws, plan)


def _page_setup(ws, plan: SheetPlan) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = plan.orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.print_options.horizontalCentered = True
    if plan.running_header:
        ws.oddHeader.center.text = plan.running_header.replace("&", "&&")
        ws.oddHeader.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    if plan.header_rows is not None:
        first, last = plan.header_rows
        ws.print_title_rows = f"{first + 1}:{last + 1}"
        ws.freeze_panes = ws.cell(last + 2, 1)


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    plan = plan_sheet(report, departments)
    wb = Workbook()
    ws = wb.active
    ws.title = plan.name
    write_plan(plan, ws)
    wb.properties.title = plan.running_header or None
    wb.properties.creator = report.office or None
    wb.save(path)
    if progress:
        progress(1.0)
