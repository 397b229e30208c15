"""PDF export, print preview and print: one paint routine for all three.

The pages are those of the Word and ODF exports (docs/export-word-pdf.md),
in the order of :meth:`app.pages.ReportPlan.physical_pages`: cover, 目錄
(padded to an even number of pages), then per department a divider leaf (the
divider, its back blank; neither numbered nor counted) and its table under
the running header, with the two header rows repeated on every page and the
printed page number — 1 at the first table page, each table starting on an
odd number, a counted blank page after an odd-ending table — centred at the
foot.  Where every line goes comes from the one page model,
:func:`app.pages.plan_report` with the text metrics of :mod:`app.textmetrics`
— the very plan the .docx and .odt take their 目錄 from — and this module
only draws that plan, so the 目錄's page numbers are the pages the dividers
are painted on, by construction, and equal the other formats'.

The text is set in Times New Roman (or the metric-compatible Liberation
Serif) and a Kai font, whose advance widths are the model's; each piece of a
line is placed where the model put it.

This is the one exporter that uses Qt (QPdfWriter embeds the fonts as
TrueType subsets, so the text stays selectable).  What Qt cannot write —
bookmarks, 目錄 links, page labels, subject and language — is added to the
file afterwards by :mod:`ui.render.pdf_outline` (pypdf), from what the
painter noted on each page (``_Canvas.mark``).  It registers itself with
:mod:`app.exporters` when imported (the launcher, app/__main__.py, imports
it); importing it loads no Qt — Qt is imported when a page is painted.
:func:`write` works without a GUI: it creates a QApplication if there is
none, on the ``offscreen`` platform when there is no display.
"""
from __future__ import annotations

import atexit
import bisect
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.exporters import register
from app.layout import TOC_TITLE_SUFFIX, layout
from app.model import Report
from app.pages import (
    BLANK,
    DIVIDER,
    DIVIDER_BACK,
    FRONT_BLANK,
    GEOMETRY,
    TABLE,
    Cell,
    DepartmentPlan,
    PageGeometry,
    PhysicalPage,
    ReportPlan,
    TablePage,
    plan_report,
)
from app.textmetrics import positioned_runs

# Families in order of preference: 標楷體 as Windows names it, then the open
# 全字庫正楷體 (Debian fonts-cns11643-kai), then any other Kai.
KAI_FAMILIES = ("DFKai-SB", "標楷體", "BiauKai", "TW-Kai", "全字庫正楷體", "AR PL UKai TW", "AR PL UKai")
LATIN_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos")

TITLE_PT, OFFICE_PT, PUBLISHED_PT = GEOMETRY.title_size, GEOMETRY.office_size, GEOMETRY.published_size
TOC_TITLE_PT, TOC_ENTRY_PT, TOC_LINE = GEOMETRY.toc_title_size, GEOMETRY.toc_entry_size, GEOMETRY.toc_line
DIVIDER_PT = GEOMETRY.divider_size
RUNNING_HEADER_PT, PAGE_NUMBER_PT = GEOMETRY.running_header_size, GEOMETRY.page_number_size

_application = None  # the QGuiApplication made by ensure_application, kept alive
PDF_CREATOR = "workreport 年度工作總報告編輯器"


def ensure_application():
    """An application object (fonts and painting need one); made offscreen without a display.

    A QApplication, not only a QGuiApplication: the one made first in a
    process is the one it keeps, and windows (the GUI, print preview) need
    the widgets kind.
    """
    global _application
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _application = QApplication([sys.argv[0] if sys.argv else "workreport"])
    return _application


@lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """(Latin family if any, Kai or other Chinese family): what the pages are set in."""
    from PySide6.QtGui import QFontDatabase

    available = QFontDatabase.families()
    lower = {name.lower(): name for name in available}
    chinese = next((lower[n.lower()] for n in KAI_FAMILIES if n.lower() in lower), None)
    if chinese is None:
        chinese = next((n for n in available if "kai" in n.lower() or "楷" in n), None)
    if chinese is None:  # no Kai at all: any Traditional Chinese font, never boxes
        chinese = next(
            (n for n in available
             if QFontDatabase.WritingSystem.TraditionalChinese in QFontDatabase.writingSystems(n)),
            None,
        )
    latin = next((lower[n.lower()] for n in LATIN_FAMILIES if n.lower() in lower), None)
    return tuple(name for name in (latin, chinese) if name)


def make_font(point_size: float):
    from PySide6.QtGui import QFont

    font = QFont()
    font.setFamilies(list(font_families()))
    font.setPointSizeF(point_size)
    font.setKerning(False)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


@atexit.register
def _release_qt_objects() -> None:
    # Qt objects held in module globals outliving the QGuiApplication crash
    # the interpreter at exit (PySide6 "none_dealloc"); release them first.
    global _application
    _application = None


def plan(report: Report, departments: list[str] | None = None) -> ReportPlan:
    """The page model of the report (no Qt needed)."""
    return plan_report(layout(report, departments), GEOMETRY)


def page_plan(report: Report, departments: list[str] | None = None) -> list[int]:
    """The printed number of each department's first table page, as the 目錄 lists it."""
    return plan(report, departments).start_pages


# ---------------------------------------------------------------------------
# Painting

@dataclass
class _Canvas:
    """A painter on a paged device, drawing in points from the paper's corner."""

    painter: Any  # QPainter
    device: Any  # QPagedPaintDevice
    scale_x: float
    scale_y: float
    geometry: PageGeometry
    started: bool = False
    font: Any = None
    lines: list[Any] = field(default_factory=list)
    page_index: int = -1  # of the page being painted, from 0
    marks: list[Any] = field(default_factory=list)  # (page index, kind, value): ui.render.pdf_outline

    def new_page(self) -> None:
        self.flush_lines()
        if self.started:
            self.device.newPage()
        self.started = True
        self.page_index += 1

    def mark(self, kind: str, value: Any) -> None:
        """Note what is on this page (divider, table page, printed number, 目錄 line) for the outline."""
        self.marks.append((self.page_index, kind, value))

    def point(self, x: float, y: float):
        from PySide6.QtCore import QPointF

        return QPointF(x * self.scale_x, y * self.scale_y)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """Queue a border line; :meth:`flush_lines` draws them in one call."""
        from PySide6.QtCore import QLineF

        self.lines.append(QLineF(self.point(x1, y1), self.point(x2, y2)))

    def flush_lines(self) -> None:
        if self.lines:
            self.painter.drawLines(self.lines)
            self.lines = []

    def text(self, x: float, baseline: float, text: str, font) -> None:
        if font is not self.font:
            self.painter.setFont(font)
            self.font = font
        self.painter.drawText(self.point(x, baseline), text)

    def width(self, text: str, font) -> float:
        from PySide6.QtGui import QFontMetricsF

        return QFontMetricsF(font, self.device).horizontalAdvance(text) / self.scale_x

    def centred(self, baseline: float, text: str, font, left: float = 0.0, right: float | None = None) -> None:
        right = self.geometry.width if right is None else right
        self.text(left + (right - left - self.width(text, font)) / 2, baseline, text, font)


class _Fonts:
    def __init__(self) -> None:
        g = GEOMETRY
        self.table = make_font(g.font_size)
        self.title = make_font(TITLE_PT)
        self.office = make_font(OFFICE_PT)
        self.published = make_font(PUBLISHED_PT)
        self.toc_title = make_font(TOC_TITLE_PT)
        self.toc_entry = make_font(TOC_ENTRY_PT)
        self.divider = make_font(DIVIDER_PT)
        self.running = make_font(RUNNING_HEADER_PT)
        self.page_number = make_font(PAGE_NUMBER_PT)


def _toc_lines_per_page(geometry: PageGeometry) -> int:
    room = geometry.body_height - 2 * TOC_LINE  # title and a blank line
    return max(1, int(room // TOC_LINE))


def toc_pages(report_plan: ReportPlan) -> int:
    return -(-len(report_plan.departments) // _toc_lines_per_page(report_plan.geometry)) or 1


def front_pages(report_plan: ReportPlan) -> int:
    """Cover and 目錄 pages, padded to an even count so that the first divider is a right-hand page."""
    pages = 1 + toc_pages(report_plan)
    return pages + pages % 2


def physical_pages(report_plan: ReportPlan) -> list[PhysicalPage]:
    """Every page the PDF has, in order (app.pages.PhysicalPage)."""
    return report_plan.physical_pages(front_pages(report_plan), toc_pages(report_plan))


def _paint_cover(canvas: _Canvas, report_plan: ReportPlan, fonts: _Fonts) -> None:
    lay = report_plan.layout
    g = canvas.geometry
    canvas.new_page()
    canvas.centred(g.height * 0.36, lay.title, fonts.title)
    canvas.centred(g.height * 0.36 + 72, lay.office, fonts.office)
    if lay.published:
        canvas.centred(g.height * 0.36 + 180, lay.published, fonts.published)


def _paint_toc(canvas: _Canvas, report_plan: ReportPlan, fonts: _Fonts) -> int:
    g = canvas.geometry
    per_page = _toc_lines_per_page(g)
    entries = list(zip(report_plan.layout.departments, report_plan.departments))
    pages = 0
    dot_width = canvas.width(".", fonts.toc_entry)
    for first in range(0, max(len(entries), 1), per_page):
        canvas.new_page()
        pages += 1
        canvas.centred(g.margin + TOC_TITLE_PT, f"{report_plan.layout.title}{TOC_TITLE_SUFFIX}", fonts.toc_title)
        y = g.margin + 2 * TOC_LINE + TOC_ENTRY_PT
        for block, department in entries[first:first + per_page]:
            left = g.margin
            right = g.width - g.margin
            label = block.toc_label
            number = str(department.start_page)
            canvas.text(left, y, label, fonts.toc_entry)
            label_end = left + canvas.width(label, fonts.toc_entry)
            number_width = canvas.width(number, fonts.toc_entry)
            gap = 4.0
            dots = int((right - number_width - gap - label_end - gap) // dot_width)
            if dots > 0:  # drawn in reading order: label, leader, number
                canvas.text(right - number_width - gap - dots * dot_width, y, "." * dots, fonts.toc_entry)
            canvas.text(right - number_width, y, number, fonts.toc_entry)
            canvas.mark("toc", (department, y - TOC_ENTRY_PT, y + TOC_LINE - TOC_ENTRY_PT))
            y += TOC_LINE
    return pages


def _paint_page_number(canvas: _Canvas, number: int, fonts: _Fonts) -> None:
    g = canvas.geometry
    canvas.centred(g.height - g.footer_distance, str(number), fonts.page_number)
    canvas.mark("number", number)


def _paint_divider(canvas: _Canvas, department: DepartmentPlan, fonts: _Fonts) -> None:
    g = canvas.geometry
    canvas.new_page()
    canvas.mark("divider", department)
    canvas.centred(g.height / 2 + DIVIDER_PT / 3, department.block.divider, fonts.divider)


def _column_edges(geometry: PageGeometry) -> list[float]:
    edges = [geometry.margin]
    for width in geometry.column_widths():
        edges.append(edges[-1] + width)
    return edges


def _baseline_offset(geometry: PageGeometry) -> float:
    # the line box is 18 pt, the text 12 pt: centre the em box, Kai's
    # ascent is about 0.8 em
    return (geometry.line_height - geometry.font_size) / 2 + 0.84 * geometry.font_size


def _paint_cell_text(canvas: _Canvas, cell: Cell, edges: list[float], line_top, fonts: _Fonts,
                     first_slot: int, last_slot: int, offset_slots: float = 0.0) -> None:
    g = canvas.geometry
    left = edges[cell.col] + g.cell_padding
    right = edges[cell.col + cell.span] - g.cell_padding
    em = g.font_size
    baseline = _baseline_offset(g)
    for index, text in enumerate(cell.lines):
        slot = cell.start + index
        if not (first_slot <= slot < last_slot) or not text:
            continue
        top = line_top(slot) + offset_slots * g.line_height
        if cell.centred:
            canvas.centred(top + baseline, text, fonts.table, left, right)
            continue
        for x, piece in positioned_runs(text):
            canvas.text(left + x * em, top + baseline, piece, fonts.table)


def _paint_header_rows(canvas: _Canvas, report_plan: ReportPlan, fonts: _Fonts, edges: list[float]) -> None:
    g = canvas.geometry
    top = g.margin
    first_row = report_plan.header_rows[0]

    def line_top(slot: int) -> float:
        return top + g.border + slot * g.line_height + (g.border if slot >= first_row else 0.0)

    def boundary(slot: int) -> float:
        if slot >= report_plan.header_slots:
            return top + report_plan.header_height + g.border / 2  # = the body's first border
        return line_top(slot) - g.border / 2

    for cell in report_plan.header_cells:
        y1, y2 = boundary(cell.start), boundary(cell.start + cell.slots)
        x1, x2 = edges[cell.col], edges[cell.col + cell.span]
        _rectangle(canvas, x1, y1, x2, y2)
        spare = (cell.slots - len(cell.lines)) / 2
        _paint_cell_text(canvas, cell, edges, line_top, fonts, cell.start, cell.start + cell.slots, spare)


def _rectangle(canvas: _Canvas, x1: float, y1: float, x2: float, y2: float) -> None:
    canvas.line(x1, y1, x2, y1)
    canvas.line(x1, y2, x2, y2)
    canvas.line(x1, y1, x1, y2)
    canvas.line(x2, y1, x2, y2)


def _cells_by_page(department: DepartmentPlan) -> list[list[Cell]]:
    """Each page's cells (a cell spanning a page break is on both pages); linear."""
    firsts = [page.first for page in department.pages]
    by_page: list[list[Cell]] = [[] for _ in department.pages]
    for cell in department.cells:
        end = cell.start + max(cell.slots, 1) - 1
        first = max(0, bisect.bisect_right(firsts, cell.start) - 1)
        last = max(0, bisect.bisect_right(firsts, end) - 1)
        for index in range(first, last + 1):
            by_page[index].append(cell)
    return by_page


def _paint_table_page(canvas: _Canvas, report_plan: ReportPlan, page: TablePage, cells: list[Cell],
                      number: int, fonts: _Fonts, edges: list[float]) -> None:
    g = canvas.geometry
    canvas.new_page()
    canvas.mark("table", page)
    canvas.centred(g.header_distance + RUNNING_HEADER_PT, report_plan.layout.running_header, fonts.running)
    _paint_header_rows(canvas, report_plan, fonts, edges)
    body_top = g.margin + report_plan.header_height

    def line_top(slot: int) -> float:
        return body_top + page.line_top(slot, g)

    for cell in cells:
        start = max(cell.start, page.first)
        end = min(cell.start + cell.slots, page.last)
        if end <= start:
            continue
        y1 = body_top + page.boundary(start, g)
        y2 = body_top + page.boundary(end, g)
        _rectangle(canvas, edges[cell.col], y1, edges[cell.col + cell.span], y2)
        _paint_cell_text(canvas, cell, edges, line_top, fonts, start, end)
    _paint_page_number(canvas, number, fonts)


def paint_plan(report_plan: ReportPlan, painter, device, progress=None, marks=None) -> int:
    """Paint every page of ``report_plan``; returns the number of pages painted.

    ``marks`` (a :class:`ui.render.pdf_outline.PageMarks`) learns what is on
    which page, for the PDF's outline, links and page labels."""
    from PySide6.QtGui import QPen
    from PySide6.QtCore import Qt

    g = report_plan.geometry
    canvas = _Canvas(painter, device, device.logicalDpiX() / 72.0, device.logicalDpiY() / 72.0, g)
    if marks is not None:
        canvas.marks = marks.start(report_plan)
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(g.border * canvas.scale_x)
    painter.setPen(pen)
    fonts = _Fonts()
    edges = _column_edges(g)
    _paint_cover(canvas, report_plan, fonts)
    pages = 1 + _paint_toc(canvas, report_plan, fonts)
    count = len(report_plan.departments)
    cells_by_page: dict[int, list[list[Cell]]] = {}
    for sheet in physical_pages(report_plan)[pages:]:
        pages += 1
        if sheet.kind in (FRONT_BLANK, DIVIDER_BACK, BLANK):
            canvas.new_page()  # blank: the back of the front matter or a divider, or a counted blank page
            if sheet.kind == DIVIDER_BACK and sheet.department is not None:
                canvas.mark("divider_back", report_plan.departments[sheet.department])  # labelled as its divider
            elif sheet.kind == BLANK and sheet.number is not None:
                canvas.mark("counted", sheet.number)  # counted, not printed
            continue
        assert sheet.department is not None
        department = report_plan.departments[sheet.department]
        if sheet.kind == DIVIDER:
            if progress is not None:
                progress(sheet.department / max(count, 1))
            _paint_divider(canvas, department, fonts)
            cells_by_page = {sheet.department: _cells_by_page(department)}
        elif sheet.kind == TABLE:
            assert sheet.table_page is not None and sheet.number is not None
            page = department.pages[sheet.table_page]
            cells = cells_by_page[sheet.department][sheet.table_page]
            _paint_table_page(canvas, report_plan, page, cells, sheet.number, fonts, edges)
    canvas.flush_lines()
    return pages


def _prepare_device(device) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    from PySide6.QtPrintSupport import QPrinter

    if isinstance(device, QPrinter):
        device.setFullPage(True)  # paint from the paper's corner; our margins are in the plan
    device.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
    ))


def paint_report(report: Report, device, *, departments: list[str] | None = None, progress=None,
                 marks=None) -> int:
    """Paint the whole report on a QPagedPaintDevice (QPdfWriter, or the QPrinter of
    a print preview / print); returns the number of pages.

    A report of any other template than the default is painted by
    :mod:`ui.render.pdf_template` (its own page layout)."""
    from PySide6.QtGui import QPainter

    if not report.template.is_default:
        from .pdf_template import paint_report as paint_template

        return paint_template(report, device, departments=departments, progress=progress)
    report_plan = plan(report, departments)
    _prepare_device(device)
    painter = QPainter()
    if not painter.begin(device):
        from app.errors import ReportError

        raise ReportError("無法開始繪製頁面（印表機或檔案無法使用）")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        return paint_plan(report_plan, painter, device, progress, marks)
    finally:
        painter.end()


def write(report: Report, path, *, departments=None, progress=None) -> None:
    if not report.template.is_default:  # issue 19: the template-driven pages
        from .pdf_template import write as write_template

        write_template(report, path, departments=departments, progress=progress)
        return
    ensure_application()
    from PySide6.QtGui import QPdfWriter

    from .pdf_outline import PageMarks, finish

    writer = QPdfWriter(str(Path(path)))
    lay = layout(report, departments)
    title = lay.running_header.strip()
    writer.setTitle(title)
    if hasattr(writer, "setAuthor"):  # Qt 6.8+: the XMP metadata then names the office too
        writer.setAuthor(lay.office)
    writer.setCreator(PDF_CREATOR)
    writer.setResolution(1200)
    marks = PageMarks()
    try:
        paint_report(report, writer, departments=departments, progress=progress, marks=marks)
    finally:
        del writer  # closes the file (on Windows it could not be removed before)
    finish(path, marks, title=title, author=lay.office, subject=lay.title, creator=PDF_CREATOR)
    if progress is not None:
        progress(1.0)


register("pdf", "PDF 文件 (.pdf)", write, after="odt")
