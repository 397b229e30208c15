"""The one page model of the paged exports: docx, odt, the program's PDF and print preview.

:func:`plan_report` lays every department table out in *slots* — one slot
is one line of table text, ``PageGeometry.line_height`` high (the table text
has exact line spacing, so the height of a line does not depend on which Kai
font the reader has) — and gives every department the printed number of its
table's first page, which is what the 目錄 prints.  Line breaking is
:func:`app.textmetrics.wrap` (font advance widths, kinsoku, automatic
CJK/Latin spacing); a row is as tall as its tallest cell, a merged 類/項/目
label taller than its rows makes the last row of the merge taller (Word and
LibreOffice both do so), a page holds the repeated header rows and a whole
number of slots, and a row that does not fit is split between two lines
(rows may break across pages); a department's first page may have a height
of its own (``paginate(first_room=…)``).

Page numbering is the published report's (docs/official-layout.md): the
cover and the 目錄 carry no number; a department's divider is a leaf of its
own (the divider on the front, its back blank) that carries no number and is
not counted; the table pages are numbered from 1, each department's table
starts on an odd page — after a table with an odd number of pages a blank
page is counted (and printed without header or number) — and a department's
目錄 number is its table's first page.  :meth:`ReportPlan.physical_pages`
lists every page as printed, with its kind and number, for the exporters
that set numbers per page (the .docx/.odt write each block's start number
explicitly, the PDF paints them).  Every figure the model depends on — page
size, margins, fonts, font sizes, line pitch, cell padding, border, column
widths — is a field of :class:`PageGeometry`, and the exporters read them
from there (``GEOMETRY``) rather than keeping their own.

The .docx and .odt writers set their documents up so that Word/LibreOffice
break lines and pages as this model does (tests render both with
LibreOffice and check that every divider lands on its 目錄 page); the PDF
painter (ui/render/pdf.py) draws the model itself.  No Qt here.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .layout import (
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    BodyRow,
    DepartmentBlock,
    ReportLayout,
    body_plan,
    completion_text,
    layout,
)
from .model import Report
from .textmetrics import Advance, model_advance, text_width, wrap

TWIPS_PER_PT = 20
PT_PER_CM = 72 / 2.54

COLUMN_COUNT = 6
CLASS_COL, SECTION_COL, ITEM_COL, PROGRESS_COL, COMPLETION_COL, REMARK_COL = range(COLUMN_COUNT)


@dataclass(frozen=True)
class PageGeometry:
    """Everything the paged exports lay out by: A4 portrait, 2.5 cm margins,
    12 pt table text on exact 19.5 pt lines (all lengths in points).

    The lengths are whole twips (1/20 pt) so that the .docx states them
    exactly.  The figures are calibrated to the published report
    (docs/official-layout.md, "Calibration"): its 辦理情形 lines hold about
    13.6 em of 12 pt text and a page under the two header rows about 33
    lines, which gives the sample its tables of 10/6/6/1/4/1/11 pages.
    """

    width: float = 11906 / TWIPS_PER_PT  # 21.0 cm
    height: float = 16838 / TWIPS_PER_PT  # 29.7 cm
    margin: float = 1417 / TWIPS_PER_PT  # 2.5 cm, all four sides
    header_distance: float = 850 / TWIPS_PER_PT  # 1.5 cm from the paper's edge
    footer_distance: float = 850 / TWIPS_PER_PT
    font_east_asian: str = "標楷體"
    font_latin: str = "Times New Roman"
    font_size: float = 12.0  # table text
    line_height: float = 390 / TWIPS_PER_PT  # exact line pitch of the table text (19.5 pt): one slot
    cell_padding: float = 57 / TWIPS_PER_PT  # left and right, 0.1 cm; none above or below
    border: float = 0.5  # every cell border; a row is its lines plus one border
    # Column widths in twips of the 16 cm text width (shares of it if they
    # do not add up to it): 類 1.26 cm (two characters a line: 壹、/民政/部門),
    # 項 2.57 cm, 目 2.70 cm, 辦理情形 5.96 cm (13.6 em of text), 完成程度百分比
    # 1.94 cm (「完成程度」「百分比」 on two lines, as published), 備註 1.58 cm.
    column_shares: tuple[int, ...] = (714, 1458, 1530, 3378, 1098, 894)
    # Sizes of the other texts (points)
    title_size: float = 28.0  # cover
    office_size: float = 22.0
    published_size: float = 16.0
    toc_title_size: float = 20.0
    toc_entry_size: float = 16.0
    toc_line: float = 30.0  # line pitch of the 目錄 entries (PDF)
    divider_size: float = 36.0  # 民 政 部 門
    running_header_size: float = 10.0
    page_number_size: float = 10.0
    # Calibration hypotheses, measured against the published report by
    # tools/calibrate_pages.py (docs/official-layout.md, "Calibration"). The
    # page model honours them; the exporters draw only these defaults (the
    # header rows on every page, no title above the table, no hanging
    # indents), which is what GEOMETRY has.
    repeat_header_rows: bool = True  # False: the header rows on a department's first table page only
    title_height: float = 0.0  # points taken from a department's first table page (a title above it)
    hanging_items: bool = False  # 辦理情形 lines of a numbered item indented under its text
    hanging_labels: bool = False  # 項/目 label lines indented under the text after their number

    @property
    def body_width(self) -> float:
        return self.width - 2 * self.margin

    @property
    def body_height(self) -> float:
        return self.height - 2 * self.margin

    def column_twips(self) -> list[int]:
        total = round(self.body_width * TWIPS_PER_PT)
        shares = self.column_shares
        widths = [total * share // sum(shares) for share in shares]
        widths[PROGRESS_COL] += total - sum(widths)  # rounding goes to 辦理情形
        return widths

    def column_widths(self) -> list[float]:
        return [w / TWIPS_PER_PT for w in self.column_twips()]

    def inner_widths(self) -> list[float]:
        return [w - 2 * self.cell_padding for w in self.column_widths()]


GEOMETRY = PageGeometry()


@dataclass
class Cell:
    """A cell of the body or header: columns ``col``..``col + span - 1``,
    slots ``start``..``start + slots - 1`` of its department table."""

    col: int
    span: int
    start: int
    slots: int
    lines: list[str]
    centred: bool = False


@dataclass
class RowBox:
    """Where a body row sits in its table: slots ``start``..``start + slots - 1``."""

    body: BodyRow
    start: int = 0
    slots: int = 1


@dataclass
class TablePage:
    """One page of a department table: body slots ``first``..``last - 1``.

    ``breaks`` are the slots of that range where a row fragment starts (the
    first slot of the page always does); each adds one border width.
    """

    first: int
    last: int
    breaks: list[int]

    def line_top(self, slot: int, geometry: PageGeometry) -> float:
        """Distance from the top of the body rows to the top of ``slot``'s line."""
        crossed = bisect.bisect_right(self.breaks, slot)
        return (slot - self.first) * geometry.line_height + crossed * geometry.border

    def boundary(self, slot: int, geometry: PageGeometry) -> float:
        """Where the border above ``slot`` (or below the page's last line) is drawn."""
        if slot >= self.last:
            return self.line_top(self.last - 1, geometry) + geometry.line_height
        return self.line_top(slot, geometry) - geometry.border / 2


@dataclass
class DepartmentPlan:
    block: DepartmentBlock
    rows: list[RowBox]
    cells: list[Cell]  # body cells, in slot order of their start
    total_slots: int
    pages: list[TablePage] = field(default_factory=list)
    start_page: int = 0  # printed number of the table's first page: the 目錄 number (odd)

    @property
    def body_rows(self) -> list[BodyRow]:
        return [box.body for box in self.rows]

    @property
    def table_pages(self) -> int:
        return max(1, len(self.pages))

    @property
    def end_page(self) -> int:
        """The printed number of the table's last page."""
        return self.start_page + self.table_pages - 1

    @property
    def blank_after(self) -> bool:
        """A counted blank page follows the table (it ends on an odd page)."""
        return self.end_page % 2 == 1


# Kinds of printed pages (ReportPlan.physical_pages)
COVER, TOC, FRONT_BLANK, DIVIDER, DIVIDER_BACK, TABLE, BLANK = (
    "cover", "toc", "front-blank", "divider", "divider-back", "table", "blank")


@dataclass(frozen=True)
class PhysicalPage:
    """One page as printed: its kind, its department (index into
    ``ReportPlan.departments``, or None), the table page (index into the
    department's ``pages``) and its number (None where none is counted:
    cover, 目錄, dividers and their backs; a counted blank page has a number
    but prints none)."""

    kind: str
    department: int | None = None
    table_page: int | None = None
    number: int | None = None

    @property
    def printed_number(self) -> int | None:
        """The number printed in the footer (table pages only)."""
        return self.number if self.kind == TABLE else None


@dataclass
class ReportPlan:
    layout: ReportLayout
    geometry: PageGeometry
    header_cells: list[Cell]
    header_slots: int
    header_height: float
    header_rows: tuple[int, int]  # slots of header row 1 and row 2
    departments: list[DepartmentPlan] = field(default_factory=list)

    @property
    def start_pages(self) -> list[int]:
        """The 目錄 number of each department."""
        return [d.start_page for d in self.departments]

    @property
    def last_page(self) -> int:
        """The printed number of the last table page."""
        return self.departments[-1].end_page if self.departments else 0

    def physical_pages(self, front_pages: int = 2, toc_pages: int = 1) -> list[PhysicalPage]:
        """Every page in print order: the cover, ``toc_pages`` 目錄 pages, blank
        pages up to ``front_pages`` (so that the first divider is a right-hand
        page), then per department its divider and the divider's blank back,
        its table pages and, after an odd-ending table that is followed by
        another department, the counted blank page."""
        pages = [PhysicalPage(COVER)] + [PhysicalPage(TOC) for _ in range(toc_pages)]
        pages += [PhysicalPage(FRONT_BLANK) for _ in range(front_pages - len(pages))]
        for index, department in enumerate(self.departments):
            pages += [PhysicalPage(DIVIDER, index), PhysicalPage(DIVIDER_BACK, index)]
            pages += [PhysicalPage(TABLE, index, n, department.start_page + n) for n in range(department.table_pages)]
            if department.blank_after and index + 1 < len(self.departments):
                pages.append(PhysicalPage(BLANK, index, None, department.end_page + 1))
        return pages


def row_texts(body: BodyRow) -> tuple[list[str], str, str]:
    """(辦理情形 lines, 完成程度, 備註) of a body row."""
    if body.row is None:
        return [], "", ""
    return body.row.lines, completion_text(body.row.completion), body.row.remark


def header_cells(geometry: PageGeometry, advance: Advance = model_advance) -> tuple[list[Cell], tuple[int, int]]:
    """The two header rows: 計畫名稱 over 類/項/目; the other three span both rows."""
    em = geometry.font_size
    inner = geometry.inner_widths()
    plan_width = sum(geometry.column_widths()[:3]) - 2 * geometry.cell_padding
    top = [wrap(HEADER_PLAN, plan_width / em, advance)]
    second = [wrap(text, inner[col] / em, advance) for col, text in
              enumerate((HEADER_CLASS, HEADER_SECTION, HEADER_ITEM))]
    spanning = [wrap(text, inner[col] / em, advance) for col, text in
                ((PROGRESS_COL, HEADER_PROGRESS), (COMPLETION_COL, HEADER_COMPLETION), (REMARK_COL, HEADER_REMARK))]
    first_slots = max(len(lines) for lines in top)
    second_slots = max(len(lines) for lines in second)
    second_slots = max(second_slots, max(len(lines) for lines in spanning) - first_slots)
    total = first_slots + second_slots
    cells = [Cell(0, 3, 0, first_slots, top[0], True)]
    cells += [Cell(col, 1, 0, total, lines, True) for col, lines in zip((3, 4, 5), spanning)]
    cells += [Cell(col, 1, first_slots, second_slots, lines, True) for col, lines in enumerate(second)]
    return cells, (first_slots, second_slots)


def entry_hangs(body: BodyRow, geometry: PageGeometry, advance: Advance) -> list[float]:
    """The hanging indent (em) of each 辦理情形 paragraph of a row: the width of
    its number and the space after it (``1. ``), none for a plain paragraph."""
    if body.row is None:
        return []
    if not geometry.hanging_items:
        return [0.0 for _ in body.row.numbers]
    return [text_width(number + " ", advance) if number else 0.0 for number in body.row.numbers]


def label_hang(label: str, geometry: PageGeometry, advance: Advance) -> float:
    """The hanging indent (em) of a 項/目 label: its number (``一、``, ``(一) ``)."""
    if not geometry.hanging_labels:
        return 0.0
    match = _LABEL_NUMBER.match(label)
    return text_width(match.group(0), advance) if match else 0.0


_LABEL_NUMBER = re.compile(r"^(?:[一二三四五六七八九十百]+、|\([一二三四五六七八九十百]+\) ?)")


def plan_department(block: DepartmentBlock, geometry: PageGeometry, advance: Advance, room: float,
                    first_room: float | None = None) -> DepartmentPlan:
    em = geometry.font_size
    inner = [w / em for w in geometry.inner_widths()]
    rows = [RowBox(body) for body in body_plan(block)]
    # Each row's own height: the tallest of 辦理情形, 完成程度, 備註.
    row_cells: list[list[Cell]] = []
    for box in rows:
        lines, completion, remark = row_texts(box.body)
        progress_lines = [part for text, hang in zip(lines, entry_hangs(box.body, geometry, advance))
                          for part in wrap(text, inner[PROGRESS_COL], advance, hang)] if lines else [""]
        completion_lines = wrap(completion, inner[COMPLETION_COL], advance) if completion else []
        remark_lines = wrap(remark, inner[REMARK_COL], advance) if remark else []
        box.slots = max(1, len(progress_lines), len(completion_lines), len(remark_lines))
        row_cells.append([
            Cell(PROGRESS_COL, 1, 0, 0, progress_lines),
            Cell(COMPLETION_COL, 1, 0, 0, completion_lines, True),
            Cell(REMARK_COL, 1, 0, 0, remark_lines),
        ])
    # A merged label taller than its rows makes the last row of the merge
    # taller (Word and LibreOffice both do so), innermost merge first.
    groups: list[tuple[int, int, int, list[str]]] = []  # col, first row, last row, lines
    for col in (ITEM_COL, SECTION_COL):
        labels = [box.body.item_label if col == ITEM_COL else box.body.section_label for box in rows]
        starts = [i for i, label in enumerate(labels) if label is not None]
        for n, first in enumerate(starts):
            last = (starts[n + 1] if n + 1 < len(starts) else len(rows)) - 1
            label = labels[first] or ""
            groups.append((col, first, last, wrap(label, inner[col], advance, label_hang(label, geometry, advance))))
    groups.append((CLASS_COL, 0, len(rows) - 1, wrap(block.label, inner[CLASS_COL], advance)))
    for col, first, last, label_lines in groups:
        have = sum(rows[i].slots for i in range(first, last + 1))
        if len(label_lines) > have:
            rows[last].slots += len(label_lines) - have
    start = 0
    for box in rows:
        box.start = start
        start += box.slots
    cells: list[Cell] = []
    for col, first, last, label_lines in groups:
        cells.append(Cell(col, 1, rows[first].start, rows[last].start + rows[last].slots - rows[first].start,
                          label_lines))
    for box, own in zip(rows, row_cells):
        for cell in own:
            cell.start, cell.slots = box.start, box.slots
            cells.append(cell)
    cells.sort(key=lambda cell: (cell.start, cell.col))
    plan = DepartmentPlan(block, rows, cells, start)
    plan.pages = paginate(rows, geometry, room, first_room)
    return plan


def paginate(rows: list[RowBox], geometry: PageGeometry, room: float,
             first_room: float | None = None) -> list[TablePage]:
    """Fill pages ``room`` points high (the first ``first_room``) with rows; a row that
    does not fit is split between two lines (rows may break across pages), as
    Word and LibreOffice do."""
    line, border = geometry.line_height, geometry.border
    pages: list[TablePage] = []
    page = TablePage(0, 0, [0])
    used = 0.0
    rest_room = room
    room = rest_room if first_room is None else first_room
    for box in rows:
        slot, remaining = box.start, box.slots
        while remaining:
            if slot != page.first and slot not in page.breaks[-1:]:
                page.breaks.append(slot)
            need = remaining * line + border
            if used + need <= room + 1e-6:
                used += need
                slot += remaining
                remaining = 0
                page.last = slot
                break
            fit = int((room - used - border + 1e-6) // line)
            if fit > 0:
                slot += fit
                remaining -= fit
                page.last = slot
            elif page.breaks[-1] == slot:
                page.breaks.pop()
            pages.append(page)
            page = TablePage(slot, slot, [slot])
            used = 0.0
            room = rest_room
    if page.last > page.first or not pages:
        pages.append(page)
    return pages


def plan_report(
    report_layout: ReportLayout,
    geometry: PageGeometry = GEOMETRY,
    advance: Advance = model_advance,
) -> ReportPlan:
    """Lay the tables out in slots and give every department its 目錄 number.

    Page 1 is the first table page (cover, 目錄 and dividers are not
    counted); each table starts on an odd page (a counted blank page follows
    an odd-ending table) and repeats the header rows on every page.
    """
    cells, header_rows = header_cells(geometry, advance)
    header_slots = sum(header_rows)
    # two header rows, each with its border, and the table's top border
    header_height = header_slots * geometry.line_height + 3 * geometry.border
    room = geometry.body_height - header_height
    # Calibration hypotheses (GEOMETRY keeps the defaults, which the exporters
    # draw): a title above a department's first table, header rows on the
    # first page only.
    first_room = room - geometry.title_height
    if not geometry.repeat_header_rows:
        room = geometry.body_height - geometry.border
    plan = ReportPlan(report_layout, geometry, cells, header_slots, header_height, header_rows)
    page = 1
    for block in report_layout.departments:
        department = plan_department(block, geometry, advance, room, first_room)
        department.start_page = page
        plan.departments.append(department)
        page = department.end_page + 1
        if department.blank_after:
            page += 1
    return plan


def page_plan(report: Report, departments: list[str] | None = None) -> list[int]:
    """The 目錄 page number of each exported department: the same in .docx, .odt and PDF."""
    return plan_report(layout(report, departments)).start_pages
