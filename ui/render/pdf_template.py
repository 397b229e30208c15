"""PDF export, print preview and print of a report in any template but the default (issue 19).

The default template's pages are :mod:`ui.render.pdf`'s, calibrated to the
published report; that module hands every other report to this one
(``report.template.is_default`` decides).  What a page holds comes from the
template and from :func:`app.rows.blocks` (the one reading of a report under
its template): no 類 › 項 › 目 assumption here.

* **Table layout** (重要施政項目, 施政績效; the page in the template's
  orientation): a cover (``template.title_text`` and ``cover_lines``), its
  blank back, then one table running through the report under the running
  header (``template.running_header_text``) with the page number centred at
  the foot (1 at the first table page).  The header row(s) — a column
  group's heading (預算執行情形) over its columns, the other headings merged
  over both rows — are repeated on every page; a heading level's node
  (壹、民政業務) is a row spanning the table; a column level's node
  (策略績效目標) is a cell merged down its rows (``Row.first``), its label
  drawn again at the top of every page the merge runs on to; widths are the
  template's hundredths of the table width, text aligned per column, wrapped
  with the default painter's line breaking (:func:`app.textmetrics.wrap`,
  Kai / Times metrics); a row that does not fit on what is left of a page
  goes to the next one whole, a row taller than a page is split between two
  lines (:func:`paginate_rows`; the default's :func:`app.pages.paginate`
  splits every row, as Word does there), and a heading row stays with the
  row after it.
* **Narrative layout** (施政報告): the cover and its back; per top-level node
  with ``divider_page`` a divider leaf (the spaced name, 民 政 部 門, and a
  blank back; neither numbered nor counted, as in the default), then its
  headings (the top level larger, all bold) and paragraphs, each numbered
  text level (一、 (一) 1. (1)) indented one step further with its later
  lines hanging under the text, a level-0 paragraph with a two-em first line;
  a heading never ends a page (it moves on with the line after it).

The PDF gets bookmarks for the headings (nested by level; the KPI goals under
their 業務), page labels (cover i, ii; the printed numbers; a divider its
name), the title (the running header), the office as author, the cover title
as subject and ``/Lang (zh-TW)`` — as the default's :mod:`ui.render.pdf_outline`
adds them — written with pypdf after Qt has painted.  The planning part of this
module is plain Python; Qt is imported when a page is painted.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.layout import text_values
from app.model import Department, Report
from app.numbering import spaced_name
from app.pages import GEOMETRY, PageGeometry, RowBox, TablePage
from app.rows import Heading, Row, blocks
from app.templates import Level, Template
from app.textmetrics import positioned_runs, text_width, wrap

# Narrative heading sizes by level (points) and the text around them
HEADING_SIZES = (18.0, 16.0, 14.0)
TEXT_SIZE = GEOMETRY.font_size  # 12 pt, as the default's table text
TEXT_LINE = 21.0  # line pitch of the narrative paragraphs
HEADING_SPACE = 6.0  # space above a heading (points)
INDENT_EM = 1.0  # each numbered text level one em further in
PARAGRAPH_INDENT_EM = 2.0  # first line of a level-0 paragraph
COVER_SIZES = (GEOMETRY.office_size, GEOMETRY.published_size)  # the cover lines under the title
COVER_OFFSETS = (72.0, 180.0, 216.0)  # below the title, as the default's office and date


def geometry_of(template: Template) -> PageGeometry:
    """The page: the default's A4 and margins, turned for a landscape template."""
    if template.orientation == "landscape":
        return replace(GEOMETRY, width=GEOMETRY.height, height=GEOMETRY.width)
    return GEOMETRY


def texts(report: Report) -> dict[str, Any]:
    template = report.template
    values = text_values(report)
    return {
        "title": template.title_text(values).strip(),
        "lines": [line.strip() for line in template.cover_lines(values)],
        "running": template.running_header_text(values).strip(),
    }


def chosen_departments(report: Report, departments: list[str] | None) -> list[Department] | None:
    if departments is None:
        return None
    names = {name.strip() for name in departments}
    return [d for d in report.departments if d.name.strip() in names]


# ---------------------------------------------------------------------------
# The table layout: planned in slots (one line of table text each) as app.pages does


@dataclass
class TCell:
    """A cell: columns ``col``..``col + span - 1``, slots ``start``..``start + slots - 1``."""

    col: int
    span: int
    start: int
    slots: int
    lines: list[str]
    align: str = "left"
    bold: bool = False
    merged: bool = False  # a column level's label merged down its rows: drawn again on each page


@dataclass
class TablePlan:
    geometry: PageGeometry
    edges: list[float]  # x of every column boundary, left to right
    header_cells: list[TCell]
    header_row_starts: list[int]  # the slot where each header row starts (0, then the second row's)
    header_slots: int
    header_height: float
    boxes: list[RowBox]  # every body row (a heading row or an entry row), with its block as .body
    cells: list[TCell]
    pages: list[TablePage] = field(default_factory=list)

    def cells_on(self, page: TablePage) -> list[TCell]:
        return [cell for cell in self.cells
                if cell.start < page.last and cell.start + max(cell.slots, 1) > page.first]


def _edges(template: Template, geometry: PageGeometry) -> list[float]:
    widths = [max(part.width, 0) for part in template.table_columns]
    total = sum(widths) or len(widths)
    if not sum(widths):
        widths = [1] * len(widths)
    edges = [geometry.margin]
    for width in widths:
        edges.append(edges[-1] + geometry.body_width * width / total)
    return edges


def _inner_em(edges: list[float], col: int, span: int, geometry: PageGeometry) -> float:
    return max(edges[col + span] - edges[col] - 2 * geometry.cell_padding, geometry.font_size) / geometry.font_size


def _header(template: Template, geometry: PageGeometry, edges: list[float]) -> tuple[list[TCell], list[int], int]:
    parts = template.table_columns
    headings = [(part.heading or part.name) if isinstance(part, Level) else part.heading for part in parts]
    groups: list[tuple[str, int, int]] = []  # group heading, first column, column count
    for col, part in enumerate(parts):
        if part.group and groups and groups[-1][0] == part.group and groups[-1][1] + groups[-1][2] == col:
            name, first, count = groups[-1]
            groups[-1] = (name, first, count + 1)
        elif part.group:
            groups.append((part.group, col, 1))
    grouped = {col for _, first, count in groups for col in range(first, first + count)}
    if not groups:
        lines = [wrap(text, _inner_em(edges, col, 1, geometry)) for col, text in enumerate(headings)]
        slots = max((len(x) for x in lines), default=1)
        return [TCell(col, 1, 0, slots, x, "center") for col, x in enumerate(lines)], [0], slots
    top = [(first, count, wrap(name, _inner_em(edges, first, count, geometry))) for name, first, count in groups]
    under = {col: wrap(headings[col], _inner_em(edges, col, 1, geometry)) for col in grouped}
    spanning = {col: wrap(headings[col], _inner_em(edges, col, 1, geometry))
                for col in range(len(parts)) if col not in grouped}
    first_slots = max(len(x) for _, _, x in top)
    second_slots = max(max(len(x) for x in under.values()),
                       max((len(x) for x in spanning.values()), default=0) - first_slots, 1)
    total = first_slots + second_slots
    cells = [TCell(first, count, 0, first_slots, x, "center") for first, count, x in top]
    cells += [TCell(col, 1, first_slots, second_slots, x, "center") for col, x in under.items()]
    cells += [TCell(col, 1, 0, total, x, "center") for col, x in spanning.items()]
    cells.sort(key=lambda cell: (cell.start, cell.col))
    return cells, [0, first_slots], total


def paginate_rows(boxes: list[RowBox], geometry: PageGeometry, room: float) -> list[TablePage]:
    """Fill pages ``room`` points high with rows: a row that fits on a page is not split (it goes
    to the next page whole), a row taller than a page runs on from where it starts, split between
    two lines (:func:`app.pages.paginate`'s rule), and a heading row is kept with the row after it."""
    line, border = geometry.line_height, geometry.border
    pages: list[TablePage] = []
    page = TablePage(0, 0, [0])
    used = 0.0

    def need(box: RowBox) -> float:
        return box.slots * line + border

    for index, box in enumerate(boxes):
        want = need(box)
        if isinstance(box.body, Heading) and index + 1 < len(boxes):
            following = boxes[index + 1]
            want += need(following) if need(following) <= room else line + border
        if used and want <= room + 1e-6 and used + want > room + 1e-6:
            pages.append(page)
            page = TablePage(box.start, box.start, [box.start])
            used = 0.0
        slot, remaining = box.start, box.slots
        while remaining:
            if slot != page.first and slot not in page.breaks[-1:]:
                page.breaks.append(slot)
            if used + remaining * line + border <= room + 1e-6:
                used += remaining * line + border
                slot += remaining
                remaining = 0
                page.last = slot
                break
            fit = max(int((room - used - border + 1e-6) // line), 0)
            if fit == 0 and used == 0.0:
                fit = 1  # a page lower than one line still moves on
            if fit > 0:
                slot += fit
                remaining -= fit
                page.last = slot
            elif page.breaks[-1] == slot:
                page.breaks.pop()
            pages.append(page)
            page = TablePage(slot, slot, [slot])
            used = 0.0
    if page.last > page.first or not pages:
        pages.append(page)
    return pages


def plan_table(report: Report, departments: list[Department] | None = None) -> TablePlan:
    """Every row of the report's table in slots, and its pages."""
    template = report.template
    g = geometry_of(template)
    edges = _edges(template, g)
    header_cells, row_starts, header_slots = _header(template, g, edges)
    header_height = header_slots * g.line_height + (len(row_starts) + 1) * g.border
    parts = template.table_columns
    column_levels = sum(1 for part in parts if isinstance(part, Level))
    count = len(parts)
    boxes: list[RowBox] = []
    own_cells: list[list[TCell]] = []
    merges: list[tuple[int, int, int, list[str]]] = []  # col, first box, last box, lines
    open_merge: dict[int, int] = {}  # col → index of the box where its merge started
    labels: dict[int, str] = {}

    def close(col: int, last: int) -> None:
        if col in open_merge:
            merges.append((col, open_merge.pop(col), last, wrap(labels[col], _inner_em(edges, col, 1, g))))

    for block in blocks(report, departments):
        index = len(boxes)
        if isinstance(block, Heading):
            for col in list(open_merge):
                close(col, index - 1)
            lines = wrap(block.text, _inner_em(edges, 0, count, g))
            boxes.append(RowBox(block, 0, max(1, len(lines))))  # type: ignore[arg-type]
            own_cells.append([TCell(0, count, 0, 0, lines, "left", bold=True)])
            continue
        assert isinstance(block, Row)
        for col in range(column_levels):
            if block.first[col]:
                close(col, index - 1)
                open_merge[col] = index
                labels[col] = block.cells[col]
        row_cells = []
        for col in range(column_levels, count):
            part = parts[col]
            lines = wrap(block.cells[col], _inner_em(edges, col, 1, g)) if block.cells[col] else []
            row_cells.append(TCell(col, 1, 0, 0, lines, part.align))
        boxes.append(RowBox(block, 0, max([1] + [len(cell.lines) for cell in row_cells])))  # type: ignore[arg-type]
        own_cells.append(row_cells)
    for col in list(open_merge):
        close(col, len(boxes) - 1)
    # a merged label taller than its rows makes the last row of the merge taller (as app.pages does)
    for col, first, last, lines in merges:
        have = sum(boxes[i].slots for i in range(first, last + 1))
        if len(lines) > have:
            boxes[last].slots += len(lines) - have
    start = 0
    for box in boxes:
        box.start = start
        start += box.slots
    cells: list[TCell] = []
    for box, own in zip(boxes, own_cells):
        for cell in own:
            cell.start, cell.slots = box.start, box.slots
            cells.append(cell)
    for col, first, last, lines in merges:
        begin = boxes[first].start
        cells.append(TCell(col, 1, begin, boxes[last].start + boxes[last].slots - begin, lines,
                           parts[col].align, merged=True))
    cells.sort(key=lambda cell: (cell.start, cell.col))
    table = TablePlan(g, edges, header_cells, row_starts, header_slots, header_height, boxes, cells)
    room = g.body_height - header_height
    table.pages = paginate_rows(boxes, g, room) if boxes else [TablePage(0, 0, [0])]
    return table


# ---------------------------------------------------------------------------
# The narrative layout: lines placed on pages


@dataclass
class TextLine:
    text: str
    x: float  # from the paper's left edge (points)
    size: float
    bold: bool = False
    centred: bool = False


@dataclass
class NarrativePage:
    kind: str  # "cover", "blank", "divider", "text"
    lines: list[tuple[float, TextLine]] = field(default_factory=list)  # (baseline, line)
    number: int | None = None  # printed page number
    divider: str = ""  # the divider's spaced name
    title: str = ""  # divider: the department's name (its page label)
    headings: list[tuple[int, str, float]] = field(default_factory=list)  # depth, text, top (bookmarks)


def _heading_size(depth: int) -> float:
    return HEADING_SIZES[min(depth, len(HEADING_SIZES) - 1)]


def plan_narrative(report: Report, departments: list[Department] | None = None) -> list[NarrativePage]:
    """Every page after the cover (dividers, their backs, text pages) of a narrative report."""
    template = report.template
    g = geometry_of(template)
    top, bottom = g.margin, g.height - g.margin
    width = g.body_width
    pages: list[NarrativePage] = []
    page: NarrativePage | None = None
    y = top
    number = 0

    def new_page() -> NarrativePage:
        nonlocal page, y, number
        number += 1
        page = NarrativePage("text", number=number)
        pages.append(page)
        y = top
        return page

    def place(height: float, ascent: float, line: TextLine, before: float = 0.0) -> None:
        nonlocal y
        current = page if page is not None else new_page()
        if y > top:
            y += before
        if y + height > bottom + 1e-6 and y > top:
            current = new_page()
        current.lines.append((y + ascent, line))
        y += height

    all_blocks = blocks(report, departments)
    for position, block in enumerate(all_blocks):
        if isinstance(block, Heading):
            size = _heading_size(block.depth)
            if block.depth == 0:
                if block.level.divider_page:
                    pages.append(NarrativePage("divider", divider=spaced_name(block.title), title=block.title))
                    pages.append(NarrativePage("blank", title=block.title))
                    page = None
                elif page is not None and page.lines:
                    page = None
            lines = wrap(block.text, width / size)
            pitch = size * 1.5
            chain = HEADING_SPACE + len(lines) * pitch + TEXT_LINE  # with the headings under it and a line
            for after in all_blocks[position + 1:]:
                if not isinstance(after, Heading) or after.depth == 0:
                    break
                chain += HEADING_SPACE + _heading_size(after.depth) * 1.5
            if page is not None and y > top and y + chain > bottom + 1e-6:
                new_page()  # a heading is kept with the line after it
            for index, text in enumerate(lines):
                place(pitch, (pitch - size) / 2 + 0.84 * size, TextLine(text, g.margin, size, bold=True),
                      HEADING_SPACE if index == 0 else 0.0)
                if index == 0:
                    assert page is not None
                    page.headings.append((block.depth, block.text, y - pitch))
            continue
        assert isinstance(block, Row)
        if block.entry is None:
            continue
        keys = [column.key for column in template.columns]
        at = keys.index("text") if "text" in keys else 0
        text = block.cells[at] if block.cells else block.entry.text
        # the other columns of a narrative template (none in the built-in): 「heading：value」 under the text
        extras = [f"{column.heading}：{cell}" for index, (column, cell) in enumerate(zip(template.columns, block.cells))
                  if index != at and cell]
        level = block.entry.level
        em = TEXT_SIZE
        if level <= 0:
            first_indent, rest_indent = PARAGRAPH_INDENT_EM, 0.0
        elif not block.number:
            first_indent = rest_indent = INDENT_EM * (level - 1)
        else:
            first_indent = INDENT_EM * (level - 1)
            rest_indent = first_indent + text_width(block.number)
        placed: list[tuple[float, str]] = []  # (indent in em, line)
        for index, paragraph in enumerate(text.split("\n") + extras):
            if index == 0 or level <= 0:
                lines = wrap(paragraph, width / em - first_indent, hanging=rest_indent - first_indent)
                placed += [(first_indent if n == 0 else rest_indent, line) for n, line in enumerate(lines)]
            else:  # a later paragraph of a numbered text: under its text, as its later lines
                placed += [(rest_indent, line) for line in wrap(paragraph, width / em - rest_indent)]
        for indent, line in placed:
            place(TEXT_LINE, (TEXT_LINE - em) / 2 + 0.84 * em, TextLine(line, g.margin + indent * em, em))
    if not pages:
        new_page()
    return pages


# ---------------------------------------------------------------------------
# Painting (Qt imported here)


class _Fonts:
    def __init__(self) -> None:
        from .pdf import make_font

        self._make = make_font
        self._cache: dict[tuple[float, bool], Any] = {}

    def get(self, size: float, bold: bool = False):
        key = (size, bold)
        font = self._cache.get(key)
        if font is None:
            font = self._make(size)
            font.setBold(bold)
            self._cache[key] = font
        return font


def _paint_runs(canvas, x: float, baseline: float, text: str, font, em: float) -> None:
    for offset, piece in positioned_runs(text):
        canvas.text(x + offset * em, baseline, piece, font)


def _aligned_x(left: float, right: float, text: str, align: str, em: float) -> float:
    spare = right - left - text_width(text) * em
    if align == "center":
        return left + max(spare, 0.0) / 2
    if align == "right":
        return left + max(spare, 0.0)
    return left


def _paint_cover(canvas, fonts: _Fonts, report_texts: dict[str, Any]) -> None:
    from .pdf import TITLE_PT

    g = canvas.geometry
    canvas.new_page()
    canvas.mark("cover", None)
    canvas.centred(g.height * 0.36, report_texts["title"], fonts.get(TITLE_PT))
    for index, line in enumerate(report_texts["lines"][:len(COVER_OFFSETS)]):
        if line:
            size = COVER_SIZES[min(index, len(COVER_SIZES) - 1)]
            canvas.centred(g.height * 0.36 + COVER_OFFSETS[index], line, fonts.get(size))


def _paint_frame(canvas, fonts: _Fonts, running: str, number: int) -> None:
    """The running header and the page number, as the default draws them."""
    from .pdf import PAGE_NUMBER_PT, RUNNING_HEADER_PT

    g = canvas.geometry
    canvas.centred(g.header_distance + RUNNING_HEADER_PT, running, fonts.get(RUNNING_HEADER_PT))
    canvas.centred(g.height - g.footer_distance, str(number), fonts.get(PAGE_NUMBER_PT))
    canvas.mark("number", number)


def _rectangle(canvas, x1: float, y1: float, x2: float, y2: float) -> None:
    canvas.line(x1, y1, x2, y1)
    canvas.line(x1, y2, x2, y2)
    canvas.line(x1, y1, x1, y2)
    canvas.line(x2, y1, x2, y2)


def _paint_cell(canvas, table: TablePlan, cell: TCell, line_top, first_slot: int, last_slot: int,
                fonts: _Fonts, offset: float = 0.0, repeat: bool = False) -> None:
    from .pdf import _baseline_offset

    g = table.geometry
    em = g.font_size
    left = table.edges[cell.col] + g.cell_padding
    right = table.edges[cell.col + cell.span] - g.cell_padding
    font = fonts.get(em, cell.bold)
    baseline = _baseline_offset(g)
    shift = first_slot - cell.start if repeat and cell.start < first_slot else 0
    for index, text in enumerate(cell.lines):
        slot = cell.start + index + shift
        if not text or not (first_slot <= slot < last_slot):
            continue
        y = line_top(slot) + offset * g.line_height + baseline
        _paint_runs(canvas, _aligned_x(left, right, text, cell.align, em), y, text, font, em)


def _paint_header(canvas, table: TablePlan, fonts: _Fonts) -> None:
    g = table.geometry
    top = g.margin
    starts = table.header_row_starts

    def line_top(slot: int) -> float:
        rows_above = sum(1 for start in starts[1:] if slot >= start)
        return top + g.border + slot * g.line_height + rows_above * g.border

    def boundary(slot: int) -> float:
        if slot >= table.header_slots:
            return top + table.header_height + g.border / 2
        return line_top(slot) - g.border / 2

    for cell in table.header_cells:
        _rectangle(canvas, table.edges[cell.col], boundary(cell.start), table.edges[cell.col + cell.span],
                   boundary(cell.start + cell.slots))
        spare = (cell.slots - len(cell.lines)) / 2
        _paint_cell(canvas, table, cell, line_top, cell.start, cell.start + cell.slots, fonts, spare)


def table_parts(report: Report, departments: list[Department] | None) -> list[tuple[Department | None, list[Department] | None]]:
    """The tables the report is painted as: one through the report, or — when the top level has
    ``divider_page`` (an edited copy of the default's 類) — one per top node after its divider."""
    if not report.template.levels[0].divider_page:
        return [(None, departments)]
    chosen = report.departments if departments is None else departments
    return [(department, [department]) for department in chosen]


def _paint_divider(canvas, fonts: _Fonts, title: str) -> None:
    from .pdf import DIVIDER_PT

    g = canvas.geometry
    canvas.new_page()
    canvas.mark("divider", title)
    canvas.centred(g.height / 2 + DIVIDER_PT / 3, spaced_name(title), fonts.get(DIVIDER_PT))
    canvas.new_page()  # its blank back, labelled as it
    canvas.mark("divider", title)


def _paint_table(canvas, report: Report, fonts: _Fonts, departments, progress) -> None:
    running = texts(report)["running"]
    levels = report.template.levels
    column_depths = [depth for depth, level in enumerate(levels) if level.display == "column"]
    number = 0
    parts = table_parts(report, departments)
    for index, (divider, chosen) in enumerate(parts):
        if divider is not None:
            _paint_divider(canvas, fonts, divider.name.strip())
        table = plan_table(report, chosen)
        g = table.geometry
        body_top = g.margin + table.header_height
        for page_index, page in enumerate(table.pages):
            if progress is not None:
                progress((index + page_index / len(table.pages)) / len(parts))
            number += 1
            canvas.new_page()
            _paint_frame(canvas, fonts, running, number)
            _paint_header(canvas, table, fonts)

            def line_top(slot: int, page=page) -> float:
                return body_top + page.line_top(slot, g)

            for cell in table.cells_on(page):
                start = max(cell.start, page.first)
                end = min(cell.start + cell.slots, page.last)
                if end <= start:
                    continue
                _rectangle(canvas, table.edges[cell.col], body_top + page.boundary(start, g),
                           table.edges[cell.col + cell.span], body_top + page.boundary(end, g))
                _paint_cell(canvas, table, cell, line_top, start, end, fonts, repeat=cell.merged)
            for box in table.boxes:  # bookmarks: the heading rows and the merged column levels' labels
                if not page.first <= box.start < page.last:
                    continue
                block = box.body
                top = body_top + page.boundary(box.start, g)
                if isinstance(block, Heading):
                    canvas.mark("heading", (block.depth, block.text, top))
                elif isinstance(block, Row):
                    for col, depth in enumerate(column_depths):
                        if block.first[col]:
                            canvas.mark("heading", (depth, block.cells[col], top))


def _paint_narrative(canvas, report: Report, fonts: _Fonts, departments, progress) -> None:
    from .pdf import DIVIDER_PT

    g = canvas.geometry
    running = texts(report)["running"]
    pages = plan_narrative(report, departments)
    for index, page in enumerate(pages):
        if progress is not None:
            progress(index / len(pages))
        canvas.new_page()
        if page.kind == "divider":
            canvas.mark("divider", page.title)
            canvas.centred(g.height / 2 + DIVIDER_PT / 3, page.divider, fonts.get(DIVIDER_PT))
            continue  # its blank back is the next page of the plan
        if page.kind == "blank":
            canvas.mark("divider", page.title)  # the divider's back: labelled as it
            continue
        assert page.number is not None
        _paint_frame(canvas, fonts, running, page.number)
        for depth, text, top in page.headings:
            canvas.mark("heading", (depth, text, top))
        for baseline, line in page.lines:
            font = fonts.get(line.size, line.bold)
            if line.centred:
                canvas.centred(baseline, line.text, font)
            else:
                _paint_runs(canvas, line.x, baseline, line.text, font, line.size)


def _prepare_device(device, geometry: PageGeometry) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    if isinstance(device, QPrinter):
        device.setFullPage(True)
    orientation = (QPageLayout.Orientation.Landscape if geometry.width > geometry.height
                   else QPageLayout.Orientation.Portrait)
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0)))


def paint_report(report: Report, device, *, departments: list[str] | None = None, progress=None,
                 marks: list | None = None) -> int:
    """Paint a report of a non-default template on a QPagedPaintDevice; returns the page count.

    ``marks`` (a list) learns (page index, kind, value) of what was painted: cover, number,
    divider, heading (depth, text, top in points) — for :func:`finish`."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter, QPen

    from .pdf import _Canvas

    g = geometry_of(report.template)
    chosen = chosen_departments(report, departments)
    _prepare_device(device, g)
    painter = QPainter()
    if not painter.begin(device):
        from app.errors import ReportError

        raise ReportError("無法開始繪製頁面（印表機或檔案無法使用）")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        canvas = _Canvas(painter, device, device.logicalDpiX() / 72.0, device.logicalDpiY() / 72.0, g)
        if marks is not None:
            canvas.marks = marks
        pen = QPen(Qt.GlobalColor.black)
        pen.setWidthF(g.border * canvas.scale_x)
        painter.setPen(pen)
        fonts = _Fonts()
        _paint_cover(canvas, fonts, texts(report))
        canvas.new_page()  # the cover's blank back: the first page of the body is a right-hand page
        if report.template.layout == "narrative":
            _paint_narrative(canvas, report, fonts, chosen, progress)
        else:
            _paint_table(canvas, report, fonts, chosen, progress)
        canvas.flush_lines()
        return canvas.page_index + 1
    finally:
        painter.end()


# ---------------------------------------------------------------------------
# What Qt cannot write: bookmarks, page labels, metadata (pypdf, as ui.render.pdf_outline)


def page_labels(count: int, marks: list) -> list[tuple[int, str | None, str | None, int]]:
    """(first page index, style, prefix, start) ranges: i, ii … before the first numbered page,
    the printed numbers after, a divider (and its back) its name."""
    numbers = {page: int(value) for page, kind, value in marks if kind == "number"}
    dividers = {page: str(value) for page, kind, value in marks if kind == "divider"}
    labels: list[tuple[str, str | None, int]] = []
    for page in range(count):
        if page in numbers:
            labels.append(("/D", None, numbers[page]))
        elif page in dividers:
            labels.append(("", dividers[page], 0))
        else:
            labels.append(("/r", None, page + 1))
    ranges: list[tuple[int, str | None, str | None, int]] = []
    for page, (style, prefix, value) in enumerate(labels):
        if page > 0:
            last_style, last_prefix, last_value = labels[page - 1]
            if style == last_style and style and prefix == last_prefix and value == last_value + 1:
                continue
        ranges.append((page, style or None, prefix, value))
    return ranges


def finish(path: Path | str, marks: list, geometry: PageGeometry, *, title: str, author: str, subject: str,
           creator: str) -> None:
    from pypdf.generic import Fit

    from .pdf_outline import open_to_finish, save_finished

    path = str(path)
    writer = open_to_finish(path)
    pages = writer.pages

    parents: list[tuple[int, Any]] = []  # (depth, outline item) of the open chain
    for page, kind, value in marks:
        if kind != "heading":
            continue
        depth, text, top = value
        height = float(pages[page].mediabox.height)
        scale = height / geometry.height
        while parents and parents[-1][0] >= depth:
            parents.pop()
        item = writer.add_outline_item(title=text, page_number=page, parent=parents[-1][1] if parents else None,
                                       fit=Fit.xyz(left=0, top=height - max(top - 6, 0) * scale, zoom=None),
                                       is_open=depth > 0)
        parents.append((depth, item))

    save_finished(writer, path, page_labels(len(pages), marks), title=title, author=author, subject=subject,
                  creator=creator)


def write(report: Report, path, *, departments=None, progress=None) -> None:
    """The PDF of a report in a non-default template (called by ui.render.pdf.write)."""
    from .pdf import PDF_CREATOR, ensure_application

    ensure_application()
    from PySide6.QtGui import QPdfWriter

    report_texts = texts(report)
    writer = QPdfWriter(str(Path(path)))
    title = report_texts["running"] or report_texts["title"]
    writer.setTitle(title)
    office = " ".join(report.office.split())
    if hasattr(writer, "setAuthor"):
        writer.setAuthor(office)
    writer.setCreator(PDF_CREATOR)
    writer.setResolution(1200)
    marks: list = []
    try:
        paint_report(report, writer, departments=departments, progress=progress, marks=marks)
    finally:
        del writer
    finish(path, marks, geometry_of(report.template), title=title, author=office,
           subject=report_texts["title"], creator=PDF_CREATOR)
    if progress is not None:
        progress(1.0)
