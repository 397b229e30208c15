"""The official table as an Excel workbook (.xlsx), written with openpyxl.

One 目錄 sheet (office, report title, publication date, one line per
department with a link to its sheet) and one sheet per department named
after it.  A department sheet holds (docs/official-layout.md, "Excel / ODS
form"):

* row 1 the report title ``嘉義市東區區公所 109 年度工作總報告``, row 2 the
  類 label ``壹、民政部門`` (both merged over the six columns);
* rows 3–4 the two header rows — 計畫名稱 merged over 類/項/目, 辦理情形,
  完成程度百分比 and 備註 each merged down both rows — repeated on every
  printed page (``print_title_rows``);
* one body row per :class:`app.layout.Row`; the 類 cell merged down the
  whole department, each 項 and 目 cell merged down its rows.

Invariants and choices:

* **User text is never code.**  openpyxl turns any string beginning with
  ``=`` into a formula; every text cell is forced back to ``data_type "s"``
  after assignment, so ``=1+1`` is stored as the string ``=1+1`` (Excel
  shows it as typed and never evaluates it).  Control characters are removed
  by :func:`app.layout.clean_text` (openpyxl raises IllegalCharacterError on
  them).
* **完成程度 is a number** — the fraction ``completion / 100`` with the
  number format ``0%``: Excel and LibreOffice show ``100%``, and the value
  stays usable for sums, averages and filters.  Reading it back gives
  ``1`` / ``0.8``; ``round(value * 100)`` is the percentage.
* Excel never auto-fits wrapped or merged rows, so every row height is
  computed here (:func:`body_line_counts`): East Asian wide characters count
  one em, narrow ones half an em, explicit line breaks start a new line, and
  a merged 項/目/類 cell whose label needs more height than its rows give has
  the difference spread over its rows.  :mod:`app.exporters.ods` uses the
  same plan.
* Thin borders and the 標楷體 font are set on every cell, including every
  cell hidden under a merge (Excel draws a merged range's edges from the
  cells on them, and LibreOffice from all of them).
"""
from __future__ import annotations

from copy import copy

import math
import re
import unicodedata
from typing import Any
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..layout import (
    BodyRow,
    body_plan,
    COLUMN_SHARES,
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    TOC_TITLE_SUFFIX,
    DepartmentBlock,
    ReportLayout,
    completion_text,
    layout,
)
from ..model import Report

FONT_NAME = "標楷體"
FONT_PT = 12
TITLE_PT = 16
# The printed table is 17 cm wide (A4 less 2 cm margins); columns follow
# COLUMN_SHARES.  ODS uses these widths directly, XLSX converts them.
TABLE_WIDTH_CM = 17.0
COLUMN_WIDTHS_CM = tuple(TABLE_WIDTH_CM * share / 100 for share in COLUMN_SHARES)
CELL_PADDING_CM = 0.1  # left + right padding is twice this
EM_CM = FONT_PT / 72 * 2.54
LINE_PT = 18.0  # one line of 12 pt text with its leading (Noto CJK needs 17.4)
ROW_PADDING_PT = 4.0
TOC_SHEET = TOC_TITLE_SUFFIX  # "目錄"
HEADER_ROWS = (3, 4)  # 1-based sheet rows of the two header rows
FIRST_BODY_ROW = 5
FOOTER = "第 &P 頁，共 &N 頁"

# ---------------------------------------------------------------------------
# Text measurement and the body plan shared by XLSX and ODS


_ASCII_WORD = re.compile(r"[!-~]+|\s|.", re.S)


# Narrow characters are half an em in 標楷體 but up to 0.64 em in the
# fonts that replace it where it is missing (DejaVu Sans digits in
# LibreOffice on Linux); sheets reckon 0.6 so that text is never cut.
NARROW_EM = 0.6


def char_width(ch: str, narrow: float = NARROW_EM) -> float:
    """Width in em: wide/full-width/ambiguous characters 1, the rest ``narrow``."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else narrow


def text_width(text: str, narrow: float = NARROW_EM) -> float:
    return sum(char_width(ch, narrow) for ch in text)


def line_count(text: str, capacity_em: float, narrow: float = NARROW_EM) -> int:
    """Lines ``text`` takes in a cell ``capacity_em`` wide (at least 1).

    Greedy wrapping like Excel's and LibreOffice's: any wide character may
    start a new line, a run of printable ASCII (a number, a Latin word) moves
    to the next line whole when it fits there.
    """
    if not text:
        return 1
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for token in _ASCII_WORD.findall(paragraph):
            width = text_width(token, narrow)
            if used + width <= capacity_em + 1e-9:
                used += width
            elif width <= capacity_em and len(token) > 1:
                lines, used = lines + 1, width
            else:  # wide char or a word longer than the line: break anywhere
                for ch in token:
                    w = char_width(ch, narrow)
                    if used + w > capacity_em + 1e-9 and used > 0:
                        lines, used = lines + 1, 0.0
                    used += w
        total += lines
    return total


def capacity_em(width_cm: float) -> float:
    # 5 % kept back for the spreadsheet's own inner cell margins.
    return max(1.0, (width_cm - 2 * CELL_PADDING_CM) / EM_CM * 0.95)


CAPACITIES = tuple(capacity_em(w) for w in COLUMN_WIDTHS_CM)


def vertical_lines(label: str) -> int:
    """Lines of height taken by a label written top to bottom (one char each)."""
    return math.ceil(len(label) * 0.85)


def body_line_counts(block: DepartmentBlock, plan: list[BodyRow], capacities=CAPACITIES) -> list[float]:
    """Height of every body row in lines, merged labels included.

    A merged cell that needs more lines than its rows provide spreads the
    missing lines evenly over those rows (目 first, then 項, then 類).
    """
    heights: list[float] = []
    for body in plan:
        lines = 1
        if body.row is not None:
            lines = max(
                line_count(body.row.text, capacities[3]),
                line_count(completion_text(body.row.completion), capacities[4]),
                line_count(body.row.remark, capacities[5]) if body.row.remark else 1,
            )
        heights.append(float(lines))

    def spread(start: int, span: int, needed: float) -> None:
        have = sum(heights[start:start + span])
        if needed > have:
            extra = (needed - have) / span
            for i in range(start, start + span):
                heights[i] += extra

    for i, body in enumerate(plan):
        if body.item is not None:
            spread(i, body.item_span, line_count(body.item.label, capacities[2]))
    for i, body in enumerate(plan):
        if body.section is not None:
            spread(i, body.section_span, line_count(body.section.label, capacities[1]))
    spread(0, len(plan), vertical_lines(block.label))
    return heights


# ---------------------------------------------------------------------------
# Sheet names

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str], reserved: tuple[str, ...] = (TOC_SHEET,)) -> list[str]:
    """Valid, unique sheet names for ``names`` (≤31 chars, none of []:*?/\\).

    Excel compares sheet names case-insensitively; an apostrophe may not
    start or end one.  Duplicates get `` (2)`` … within the 31 characters.
    """
    taken = {name.casefold() for name in reserved}
    result = []
    for index, name in enumerate(names, start=1):
        base = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'").strip() or f"部門{index}"
        base = base[:31]
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# ---------------------------------------------------------------------------
# Writing


def _width_units(width_cm: float) -> float:
    """Excel column width (characters of Calibri 11's 7 px digit) for a width in cm."""
    pixels = width_cm / 2.54 * 96
    return round((pixels - 5) / 7, 2)


class _Styles:
    def __init__(self) -> None:
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT_NAME, size=FONT_PT)
        self.title_font = Font(name=FONT_NAME, size=TITLE_PT, bold=True)
        self.link_font = Font(name=FONT_NAME, size=FONT_PT, color="0563C1", underline="single")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        # 類/項/目 labels sit at the top of their merged range: a range that
        # runs over several printed pages draws its text only once, and a
        # centred label would land on some middle page.
        self.label = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.vertical = Alignment(horizontal="center", vertical="top", text_rotation=255, wrap_text=True)


def _text(cell, text: str) -> None:
    """Store user text as a string, never a formula (see module docstring)."""
    cell.value = text
    if text:
        cell.data_type = "s"


def _page_setup(ws, header: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.print_options.horizontalCentered = True
    if header:
        ws.oddHeader.center.text = header.replace("&", "&&")
        ws.oddHeader.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"


def _write_department(ws, block: DepartmentBlock, lay: ReportLayout, st: _Styles) -> None:
    for index, width in enumerate(COLUMN_WIDTHS_CM, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width_units(width)

    title = ws.cell(1, 1)
    _text(title, lay.running_header)
    title.font, title.alignment = st.title_font, st.centre
    label = ws.cell(2, 1)
    _text(label, block.label)
    label.font, label.alignment = st.title_font, st.centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    for r in (1, 2):
        for col in range(2, 7):
            ws.cell(r, col).font = st.title_font
    ws.row_dimensions[1].height = LINE_PT * TITLE_PT / FONT_PT + ROW_PADDING_PT
    ws.row_dimensions[2].height = LINE_PT * TITLE_PT / FONT_PT + ROW_PADDING_PT

    top, second = HEADER_ROWS
    for col, text in ((1, HEADER_PLAN), (4, HEADER_PROGRESS), (5, HEADER_COMPLETION), (6, HEADER_REMARK)):
        ws.cell(top, col).value = text
    for col, text in ((1, HEADER_CLASS), (2, HEADER_SECTION), (3, HEADER_ITEM)):
        ws.cell(second, col).value = text
    header_lines = max(line_count(HEADER_COMPLETION, CAPACITIES[4]), 2)
    ws.row_dimensions[top].height = LINE_PT * header_lines / 2 + ROW_PADDING_PT
    ws.row_dimensions[second].height = LINE_PT * header_lines / 2 + ROW_PADDING_PT

    plan = body_plan(block)
    heights = body_line_counts(block, plan)
    first = FIRST_BODY_ROW
    last = first + len(plan) - 1
    _text(ws.cell(first, 1), block.label)
    for offset, (body, lines) in enumerate(zip(plan, heights)):
        r = first + offset
        ws.row_dimensions[r].height = round(LINE_PT * lines + ROW_PADDING_PT, 2)
        if body.section is not None:
            _text(ws.cell(r, 2), body.section.label)
        if body.item is not None:
            _text(ws.cell(r, 3), body.item.label)
        if body.row is not None:
            _text(ws.cell(r, 4), body.row.text)
            if body.row.completion is not None:
                cell = ws.cell(r, 5)
                cell.value = body.row.completion / 100
                cell.number_format = "0%"
            _text(ws.cell(r, 6), body.row.remark)

    merges = [(top, 1, top, 3), (top, 4, second, 4), (top, 5, second, 5), (top, 6, second, 6)]
    merges.append((first, 1, last, 1))
    for offset, body in enumerate(plan):
        r = first + offset
        if body.section_span > 1:
            merges.append((r, 2, r + body.section_span - 1, 2))
        if body.item_span > 1:
            merges.append((r, 3, r + body.item_span - 1, 3))

    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    # Style every cell of the table after merging: merge_cells replaces the
    # hidden cells with fresh MergedCell objects and borders only the edges.
    # Assigning border, font and alignment goes through openpyxl's style
    # registry on every cell (half the export's time); the first cell of each
    # (alignment, number format) pair is styled so and the rest copy its style.
    styled: dict[tuple[str, str], Any] = {}
    for r in range(top, last + 1):
        for col in range(1, 7):
            cell = ws.cell(r, col)
            if r <= second or col == 5:
                kind = "centre"
            elif col in (2, 3):
                kind = "label"
            elif col == 1:
                kind = "vertical"
            else:
                kind = "top_left"
            key = (kind, cell.number_format)
            template = styled.get(key)
            if template is not None:
                cell._style = copy(template._style)
                continue
            cell.border = st.border
            cell.font = st.font
            cell.alignment = {"centre": st.centre, "label": st.label, "vertical": st.vertical, "top_left": st.top_left}[kind]
            styled[key] = cell
    ws.print_title_rows = f"{top}:{second}"
    ws.freeze_panes = ws.cell(first, 1)
    _page_setup(ws, lay.running_header)


def _write_toc(ws, lay: ReportLayout, names: list[str], st: _Styles) -> None:
    widths = (3.0, 6.0, 2.2, 2.2, 3.0)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width_units(width)
    lines = [lay.office, lay.title, lay.published]
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        _text(cell, text)
        cell.font, cell.alignment = st.title_font, st.centre
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(widths))
        for col in range(2, len(widths) + 1):
            ws.cell(r, col).font = st.title_font
        ws.row_dimensions[r].height = LINE_PT * TITLE_PT / FONT_PT + ROW_PADDING_PT
    head = len(lines) + 2
    for col, text in enumerate(("類", "部門（工作表）", "項數", "目數", "辦理情形筆數"), start=1):
        ws.cell(head, col).value = text
    for offset, (block, name) in enumerate(zip(lay.departments, names), start=1):
        r = head + offset
        _text(ws.cell(r, 1), block.number.rstrip("、"))
        link = ws.cell(r, 2)
        _text(link, block.name)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheet(name)}!A1", display=block.name)
        ws.cell(r, 3).value = len(block.sections)
        ws.cell(r, 4).value = sum(len(s.items) for s in block.sections)
        ws.cell(r, 5).value = sum(len(row.entries) for s in block.sections for i in s.items for row in i.rows)
    for r in range(head, head + len(lay.departments) + 1):
        ws.row_dimensions[r].height = LINE_PT + ROW_PADDING_PT
        for col in range(1, len(widths) + 1):
            cell = ws.cell(r, col)
            cell.border = st.border
            cell.font = st.link_font if (col == 2 and r > head) else st.font
            cell.alignment = st.centre if col != 2 else Alignment(horizontal="left", vertical="center")
    ws.print_title_rows = f"{head}:{head}"
    _page_setup(ws, "")


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    lay = layout(report, departments)
    st = _Styles()
    wb = Workbook()
    toc = wb.active
    toc.title = TOC_SHEET
    names = sheet_names([block.name for block in lay.departments])
    _write_toc(toc, lay, names, st)
    total = len(lay.departments) + 1
    for index, (block, name) in enumerate(zip(lay.departments, names), start=1):
        if progress:
            progress(index / total)
        _write_department(wb.create_sheet(name), block, lay, st)
    wb.properties.title = lay.running_header
    wb.properties.creator = lay.office or None
    wb.save(path)
    if progress:
        progress(1.0)
