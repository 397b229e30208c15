"""The official table as an Excel workbook (.xlsx), written with openpyxl.

One 目錄 sheet (office, report title, publication date, the heading
``109 年度工作總報告目錄`` and per department its line ``一、民政部門`` — a
link to its sheet — and its first printed page) and one sheet per
department named after it (docs/export-sheets-odf.md).  A department sheet holds:

* row 1 the one title, the 類 label ``壹、民政部門`` merged over the six
  columns (the report title is the running page header, not repeated);
* rows 2–3 the two header rows — 計畫名稱 merged over 類/項/目, 辦理情形,
  完成程度百分比 and 備註 each merged down both rows — repeated on every
  printed page (``print_title_rows``);
* the body rows of :func:`sheet_plan`: one per :class:`app.layout.Row`, or
  several when its text would pass Excel's 409 pt (the later ones
  ``continued``, their 辦理情形 cell in the named style 續行); the 類 cell
  (``壹、/民政/部門`` across, as printed) merged down the department, each
  項 and 目 down its rows — every range cut at the page breaks, which are
  written explicitly, so each part is a closed box on its page and the
  目錄's page numbers are the printed ones (footer ``第 N 頁``, numbered on
  from sheet to sheet with ``firstPageNumber``; the 目錄 is unnumbered).

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
  same plan (:func:`sheet_plan`, :func:`label_ranges`, :func:`open_edges`).
* Thin borders and the 標楷體 font are set on every cell, including every
  cell hidden under a merge (Excel draws a merged range's edges from the
  cells on them, and LibreOffice from all of them).
"""
from __future__ import annotations

from copy import copy
from dataclasses import dataclass

from typing import Any
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

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
from .sheet_base import (  # the text measure and cell helpers every sheet writer shares
    FONT_NAME,
    FONT_PT,
    FOOTER,
    LINE_PT,
    MAX_ROW_PT,
    ROW_PADDING_PT,
    TITLE_PT,
    capacity_em,
    line_count,
    line_starts,
    merge_disjoint as _merge_disjoint,
    quote_sheet,
    sheet_names as _sheet_names,
    width_units as _width_units,
)

# The printed table is 17 cm wide (A4 less 2 cm margins); columns follow
# COLUMN_SHARES.  ODS uses these widths directly, XLSX converts them.
TABLE_WIDTH_CM = 17.0
COLUMN_WIDTHS_CM = tuple(TABLE_WIDTH_CM * share / 100 for share in COLUMN_SHARES)
TOC_SHEET = TOC_TITLE_SUFFIX  # "目錄"
TITLE_ROW = 1  # the 類 label 壹、民政部門 (the report title is the running header)
HEADER_ROWS = (2, 3)  # 1-based sheet rows of the two header rows
FIRST_BODY_ROW = 4
MAX_ROW_LINES = int((MAX_ROW_PT - ROW_PADDING_PT) // LINE_PT)  # 22
# Body height of one printed page, both formats: A4 less margins, running
# header/footer and the repeated header rows is about 640 pt in LibreOffice
# and 665 pt in Excel; 600 leaves room for their rounding, so the explicit
# page breaks written here are the only ones (and the 目錄 pages are true).
PAGE_BODY_PT = 600.0
# The named cell style of a 辦理情形 cell that continues the text of the row
# above (a row that would pass MAX_ROW_PT); the importers join such cells.
CONTINUED_STYLE = "續行"

# ---------------------------------------------------------------------------
# Text measurement and the body plan shared by XLSX and ODS


CAPACITIES = tuple(capacity_em(w) for w in COLUMN_WIDTHS_CM)


CLASS_LINE_EM = 2.0  # the 類 column holds two characters a line: 壹、/民政/部門


def class_label(block: DepartmentBlock) -> str:
    """The 類 cell as printed: the number on its own line, the name two characters a line.

    The breaks are written, not left to the spreadsheet's wrapping, so that
    Excel and LibreOffice (whose fonts and cell margins differ) show the same
    lines; the importers join them back (``department_name``).
    """
    name = block.name
    starts = line_starts(name, CLASS_LINE_EM) + [len(name)]
    parts = [block.number.strip()] if block.number.strip() else []
    parts += [name[a:b].strip() for a, b in zip(starts, starts[1:]) if name[a:b].strip()]
    return "\n".join(parts) or block.label


def body_line_counts(block: DepartmentBlock, plan: list[BodyRow], capacities=CAPACITIES) -> list[float]:
    """Height of every body row in lines, merged labels included (one sheet row per BodyRow).

    A merged cell that needs more lines than its rows provide spreads the
    missing lines evenly over those rows (目 first, then 項, then 類).  The
    sheets themselves use :func:`sheet_plan`, which also cuts rows that would
    pass :data:`MAX_ROW_PT`.
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
    _spread_labels(block, heights, [(i, b.section, b.section_span, b.item, b.item_span) for i, b in enumerate(plan)],
                   capacities)
    return heights


def _spread_labels(block: DepartmentBlock, heights: list[float], starts, capacities) -> None:
    def spread(start: int, span: int, needed: float) -> None:
        have = sum(heights[start:start + span])
        if needed > have:
            extra = (needed - have) / span
            for i in range(start, start + span):
                heights[i] += extra

    for i, _section, _sspan, item, ispan in starts:
        if item is not None:
            spread(i, ispan, line_count(item.label, capacities[2]))
    for i, section, sspan, _item, _ispan in starts:
        if section is not None:
            spread(i, sspan, line_count(section.label, capacities[1]))
    spread(0, len(heights), line_count(class_label(block), capacities[0]))


@dataclass
class SheetRow:
    """One row of a department sheet: a :class:`BodyRow`, or a piece of one.

    A body row whose text would make the row taller than :data:`MAX_ROW_PT`
    is cut into pieces (:func:`sheet_plan`); the first piece carries the
    完成程度 and 備註, the others are ``continued`` (their 辦理情形 cell has
    the :data:`CONTINUED_STYLE`).  ``section_span``/``item_span`` count sheet
    rows; ``page`` is the printed page (0-based, within the sheet).
    """

    body: BodyRow
    text: str
    continued: bool = False
    section_span: int = 0
    item_span: int = 0
    lines: float = 1.0
    page: int = 0

    @property
    def height_pt(self) -> float:
        return round(LINE_PT * self.lines + ROW_PADDING_PT, 2)

    @property
    def first_of_body(self) -> bool:
        return not self.continued


def title_row_pt() -> float:
    return LINE_PT * TITLE_PT / FONT_PT + ROW_PADDING_PT


MIN_PIECE_LINES = 3  # a cut row's piece at a page's end has at least this many lines


def _paginate(rows: list["SheetRow"], page_pt: float) -> None:
    page, used = 0, title_row_pt()
    for row in rows:
        if used + row.height_pt > page_pt + 1e-6 and used > 0:
            page, used = page + 1, 0.0
        row.page = page
        used += row.height_pt


def sheet_plan(block: DepartmentBlock, plan: list[BodyRow] | None = None, capacities=CAPACITIES,
               max_lines: int = MAX_ROW_LINES, page_pt: float = PAGE_BODY_PT) -> list[SheetRow]:
    """The sheet rows of a department: tall rows cut, labels spread, pages assigned.

    A body row needing more than ``max_lines`` lines is cut at line starts;
    its pieces fill the rest of the page they start on (as the printed
    report splits a row at the page's end) and are at most ``max_lines``
    each.  Joined with ``""`` the pieces are the text again: a cut at a
    paragraph boundary keeps the ``\n`` at the end of the earlier piece (a
    trailing empty line, counted in its lines), so the importers simply
    concatenate.  Other rows are kept whole and move to the next page when
    they do not fit.
    """
    plan = body_plan(block) if plan is None else plan
    rows: list[SheetRow] = []
    body_first: list[int] = []
    page_used = [title_row_pt()]

    def place(row: SheetRow) -> None:
        if page_used[0] + row.height_pt > page_pt + 1e-6 and page_used[0] > 0:
            page_used[0] = 0.0
        page_used[0] += row.height_pt
        rows.append(row)

    for body in plan:
        body_first.append(len(rows))
        if body.row is None:
            place(SheetRow(body, ""))
            continue
        text = body.row.text
        extra = max(line_count(completion_text(body.row.completion), capacities[4]),
                    line_count(body.row.remark, capacities[5]) if body.row.remark else 1)
        starts = line_starts(text, capacities[3]) if text else [0]
        if len(starts) <= max_lines:
            place(SheetRow(body, text, lines=float(max(len(starts), extra))))
            continue
        k = first = 0
        while first < len(starts):  # linear: each piece looks at its own lines only
            room = int((page_pt - page_used[0] - ROW_PADDING_PT) // LINE_PT)
            if room < MIN_PIECE_LINES or (k == 0 and room < extra):
                page_used[0], room = 0.0, int((page_pt - ROW_PADDING_PT) // LINE_PT)
            limit = max(2, min(max_lines, room))
            last = min(first + limit, len(starts))
            while last < len(starts) and last - first + (text[starts[last] - 1] == "\n") > limit:
                last -= 1
            end = starts[last] if last < len(starts) else len(text)
            piece = text[starts[first]:end]
            lines = (last - first) + (end < len(text) and text[end - 1] == "\n")
            if k == 0:
                lines = max(lines, extra)
            place(SheetRow(body, piece, continued=k > 0, lines=float(lines)))
            first = last
            k += 1
    ends = body_first[1:] + [len(rows)]
    for index, body in enumerate(plan):
        row = rows[body_first[index]]
        if body.section is not None:
            row.section_span = ends[index + body.section_span - 1] - body_first[index]
        if body.item is not None:
            row.item_span = ends[index + body.item_span - 1] - body_first[index]
    heights = [row.lines for row in rows]
    _spread_labels(block, heights, [(i, r.body.section if r.section_span else None, r.section_span,
                                     r.body.item if r.item_span else None, r.item_span)
                                    for i, r in enumerate(rows)], capacities)
    for row, height in zip(rows, heights):
        row.lines = min(height, float(max_lines))
    _paginate(rows, page_pt)
    return rows


def page_count(rows: list[SheetRow]) -> int:
    return (rows[-1].page + 1) if rows else 1


def label_ranges(rows: list[SheetRow]):
    """Every merged 類/項/目 range cut at the page breaks: ``(column, first, last, label)``.

    0-based sheet-row indexes into ``rows``; the label is on the part that
    starts the range and empty on the parts on later pages (as the printed
    report leaves them), so every part is a closed box on its page.
    """
    def parts(start: int, span: int):
        r = start
        while r < start + span:
            end = r
            while end + 1 < start + span and rows[end + 1].page == rows[r].page:
                end += 1
            yield r, end
            r = end + 1

    ranges = []
    for first, last in parts(0, len(rows)):
        ranges.append((0, first, last, "class" if first == 0 else ""))
    for i, row in enumerate(rows):
        if row.section_span and row.body.section is not None:
            for first, last in parts(i, row.section_span):
                ranges.append((1, first, last, row.body.section.label if first == i else ""))
        if row.item_span and row.body.item is not None:
            for first, last in parts(i, row.item_span):
                ranges.append((2, first, last, row.body.item.label if first == i else ""))
    return ranges


def open_edges(rows: list[SheetRow], i: int) -> tuple[bool, bool]:
    """(top open, bottom open) of the 辦理情形/完成程度/備註 cells of row ``i``.

    The pieces of one cut row read as one cell on a page: no line between
    them — but a piece that starts a page is closed above, and one that ends
    a page closed below.
    """
    row = rows[i]
    top = row.continued and i > 0 and rows[i - 1].page == row.page
    bottom = i + 1 < len(rows) and rows[i + 1].continued and rows[i + 1].page == row.page
    return top, bottom


# ---------------------------------------------------------------------------
# Sheet names


def sheet_names(names: list[str], reserved: tuple[str, ...] = (TOC_SHEET,)) -> list[str]:
    """Valid, unique sheet names (app.exporters.sheet_base.sheet_names), the 目錄 reserved."""
    return _sheet_names(names, reserved)


# ---------------------------------------------------------------------------
# Writing


class _Styles:
    def __init__(self) -> None:
        self.thin = thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT_NAME, size=FONT_PT)
        self.title_font = Font(name=FONT_NAME, size=TITLE_PT, bold=True)
        self.link_font = Font(name=FONT_NAME, size=FONT_PT, color="0563C1", underline="single")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        # 類/項/目 labels sit at the top of their merged range: a range that
        # runs over several printed pages draws its text only once, and a
        # centred label would land on some middle page.  類 is written
        # across and wraps in its narrow column (壹、/民政/部門), as printed.
        self.label = Alignment(horizontal="center", vertical="top", wrap_text=True)

    def edges(self, top_open: bool, bottom_open: bool) -> Border:
        if not (top_open or bottom_open):
            return self.border
        return Border(left=self.thin, right=self.thin, top=None if top_open else self.thin,
                      bottom=None if bottom_open else self.thin)


def _text(cell, text: str) -> None:
    """Store user text as a string, never a formula (see module docstring)."""
    cell.value = text
    if text:
        cell.data_type = "s"


def _page_setup(ws, header: str, first_page: int | None = None) -> None:
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
    if first_page is not None:  # the 目錄 is unnumbered, the tables numbered on from 1
        ws.page_setup.firstPageNumber = first_page
        ws.page_setup.useFirstPageNumber = True
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.font = f"{FONT_NAME},Regular"


def _write_department(ws, block: DepartmentBlock, lay: ReportLayout, st: _Styles, first_page: int = 1) -> int:
    """Write one department sheet; returns the number of printed pages."""
    for index, width in enumerate(COLUMN_WIDTHS_CM, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width_units(width)

    # One title: the 類 label.  The report title is the running header.
    label = ws.cell(TITLE_ROW, 1)
    _text(label, block.label)
    label.font, label.alignment = st.title_font, st.centre
    ws.row_dimensions[TITLE_ROW].height = title_row_pt()

    top, second = HEADER_ROWS
    for col, text in ((1, HEADER_PLAN), (4, HEADER_PROGRESS), (5, HEADER_COMPLETION), (6, HEADER_REMARK)):
        ws.cell(top, col).value = text
    for col, text in ((1, HEADER_CLASS), (2, HEADER_SECTION), (3, HEADER_ITEM)):
        ws.cell(second, col).value = text
    header_lines = max(line_count(HEADER_COMPLETION, CAPACITIES[4]), 2)
    ws.row_dimensions[top].height = LINE_PT * header_lines / 2 + ROW_PADDING_PT
    ws.row_dimensions[second].height = LINE_PT * header_lines / 2 + ROW_PADDING_PT

    rows = sheet_plan(block)
    first = FIRST_BODY_ROW
    last = first + len(rows) - 1
    for offset, row in enumerate(rows):
        r = first + offset
        ws.row_dimensions[r].height = row.height_pt
        if row.body.row is not None:
            _text(ws.cell(r, 4), row.text)
            if not row.continued:
                if row.body.row.completion is not None:
                    cell = ws.cell(r, 5)
                    cell.value = row.body.row.completion / 100
                    cell.number_format = "0%"
                _text(ws.cell(r, 6), row.body.row.remark)
        if offset + 1 < len(rows) and rows[offset + 1].page != row.page:
            ws.row_breaks.append(Break(id=r))  # break after r: our pages are the printed ones

    merges = [(TITLE_ROW, 1, TITLE_ROW, 6), (top, 1, top, 3), (top, 4, second, 4), (top, 5, second, 5), (top, 6, second, 6)]
    for col, r1, r2, text in label_ranges(rows):
        _text(ws.cell(first + r1, col + 1), class_label(block) if text == "class" else text)
        if r2 > r1:
            merges.append((first + r1, col + 1, first + r2, col + 1))
    _merge_disjoint(ws, merges)
    for col in range(2, 7):
        ws.cell(TITLE_ROW, col).font = st.title_font
    # Style every cell of the table after merging: merge_cells replaces the
    # hidden cells with fresh MergedCell objects and borders only the edges;
    # every cell of a merged range gets all four borders, so that each range
    # (cut at the page breaks) is closed on its page.  Assigning styles goes
    # through openpyxl's style registry on every cell (half the export's
    # time): the first cell of each kind is styled so, the rest copy it.
    styled: dict[tuple, Any] = {}
    alignments = {"centre": st.centre, "label": st.label, "top_left": st.top_left}
    for r in range(top, last + 1):
        body_index = r - first
        edges = open_edges(rows, body_index) if body_index >= 0 else (False, False)
        continued = body_index >= 0 and rows[body_index].continued
        for col in range(1, 7):
            cell = ws.cell(r, col)
            if r <= second or col == 5:
                kind = "centre"
            elif col <= 3:
                kind = "label"
            else:
                kind = "top_left"
            open_pair = edges if col >= 4 else (False, False)
            named = continued and col == 4
            key = (kind, cell.number_format, open_pair, named)
            template = styled.get(key)
            if template is not None:
                cell._style = copy(template._style)
                continue
            if named:
                cell.style = CONTINUED_STYLE
            cell.border = st.edges(*open_pair)
            cell.font = st.font
            cell.alignment = alignments[kind]
            styled[key] = cell
    ws.print_title_rows = f"{top}:{second}"
    ws.freeze_panes = ws.cell(first, 1)
    _page_setup(ws, lay.running_header, first_page)
    return page_count(rows)


def toc_title(lay: ReportLayout) -> str:
    """The 目錄 heading as printed: 109 年度工作總報告目錄."""
    return f"{lay.title}{TOC_TITLE_SUFFIX}"


TOC_WIDTHS_CM = (12.0, 3.0)


def _write_toc(ws, lay: ReportLayout, names: list[str], pages: list[int], st: _Styles) -> None:
    """The cover lines and the 目錄: per department its line, first page, and a link to its sheet."""
    for index, width in enumerate(TOC_WIDTHS_CM, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width_units(width)
    lines = [lay.office, lay.title, lay.published, "", toc_title(lay)]
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        if text:
            _text(cell, text)
        cell.font, cell.alignment = st.title_font, st.centre
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(TOC_WIDTHS_CM))
        ws.cell(r, 2).font = st.title_font
        ws.row_dimensions[r].height = title_row_pt()
    head = len(lines) + 1
    for offset, (block, name, page) in enumerate(zip(lay.departments, names, pages)):
        r = head + offset
        link = ws.cell(r, 1)
        _text(link, block.toc_label)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheet(name)}!A1", display=block.toc_label)
        link.font = st.link_font
        link.alignment = Alignment(horizontal="left", vertical="center")
        number = ws.cell(r, 2)
        number.value = page
        number.font = st.font
        number.alignment = Alignment(horizontal="right", vertical="center")
        ws.row_dimensions[r].height = LINE_PT * 1.5
    _page_setup(ws, "")


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    if not report.template.is_default:  # any other template: one sheet laid out by the template
        from .xlsx_template import write as write_template

        write_template(report, path, departments=departments, progress=progress)
        return
    lay = layout(report, departments)
    st = _Styles()
    wb = Workbook()
    toc = wb.active
    toc.title = TOC_SHEET
    wb.add_named_style(NamedStyle(name=CONTINUED_STYLE))
    names = sheet_names([block.name for block in lay.departments])
    total = len(lay.departments) + 1
    pages: list[int] = []
    next_page = 1
    for index, (block, name) in enumerate(zip(lay.departments, names), start=1):
        if progress:
            progress(index / total)
        pages.append(next_page)
        next_page += _write_department(wb.create_sheet(name), block, lay, st, next_page)
    _write_toc(toc, lay, names, pages, st)
    wb.properties.title = lay.running_header
    wb.properties.creator = lay.office or None
    wb.save(path)
    if progress:
        progress(1.0)
