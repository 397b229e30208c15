"""Official Word export (.docx) and the page model shared with the PDF.

The document (docs/export-word-pdf.md):

* a cover section (no header, no page number), a 目錄 section holding a real
  ``TOC \\o "1-1" \\h \\z \\u`` field whose cached entries carry page numbers
  computed here, then per department two sections: a divider page (odd-page
  start, spaced name in Heading 1 so Word's "update field" finds it) and the
  table (new-page start, running header, centred PAGE field in the footer);
* the table has the two official header rows (both ``tblHeader``) and
  ``vMerge``/``gridSpan`` merges for 計畫名稱, 類, 項 and 目.

Page numbers for the 目錄 come from :func:`plan_report`, a small line-box
model of the table: every line of text is one 18 pt slot (the table text has
*exact* 18 pt line spacing, so the height of a line does not depend on which
Kai font the reader has), line breaking uses the advance widths of the fonts
(Times New Roman for ASCII, one em for CJK), and a page holds a whole number
of slots.  The PDF exporter (ui/pdf_export.py) paints exactly this model, so
its 目錄 is exact by construction; the .docx cached 目錄 is exact when Word or
LibreOffice breaks lines the same way, which tests/test_export_docx.py checks
against LibreOffice for the bundled sample.

python-docx builds the package, styles and header/footer parts; the body is
written as WordprocessingML text and parsed once per department, because
python-docx's ``cell()``/``merge()``/``add_row()`` re-walk the whole grid
(quadratic on big tables).
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from lxml import etree

from ..layout import (
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
    Row,
    completion_text,
    layout,
)
from ..model import Report

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

FONT_EAST_ASIA = "標楷體"
FONT_LATIN = "Times New Roman"

# ---------------------------------------------------------------------------
# Page geometry (points; 1 pt = 20 twips)

TWIPS_PER_PT = 20


@dataclass(frozen=True)
class PageGeometry:
    """A4 portrait, 2.5 cm margins, 12 pt table text on exact 18 pt lines."""

    width: float = 11906 / TWIPS_PER_PT  # 21.0 cm
    height: float = 16838 / TWIPS_PER_PT  # 29.7 cm
    margin: float = 1417 / TWIPS_PER_PT  # 2.5 cm
    header_distance: float = 850 / TWIPS_PER_PT  # 1.5 cm from the edge
    footer_distance: float = 850 / TWIPS_PER_PT
    font_size: float = 12.0
    line_height: float = 18.0
    cell_padding: float = 57 / TWIPS_PER_PT  # left and right, 0.1 cm
    border: float = 0.5  # w:sz="4" eighths of a point; a row is its lines plus one border

    @property
    def body_width(self) -> float:
        return self.width - 2 * self.margin

    @property
    def body_height(self) -> float:
        return self.height - 2 * self.margin

    def column_twips(self) -> list[int]:
        total = round(self.body_width * TWIPS_PER_PT)
        widths = [total * share // sum(COLUMN_SHARES) for share in COLUMN_SHARES]
        widths[3] += total - sum(widths)  # rounding goes to 辦理情形
        return widths

    def column_widths(self) -> list[float]:
        return [w / TWIPS_PER_PT for w in self.column_twips()]

    def inner_widths(self) -> list[float]:
        return [w - 2 * self.cell_padding for w in self.column_widths()]


GEOMETRY = PageGeometry()

# ---------------------------------------------------------------------------
# Line breaking

# Advance widths of Times New Roman (= Liberation Serif, metric compatible)
# for ASCII 32..126, in thousandths of an em.
_TNR_ASCII = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)


def model_advance(char: str) -> float:
    """Width of ``char`` in em as Word/LibreOffice set it (TNR ASCII, CJK full width)."""
    code = ord(char)
    if 32 <= code <= 126:
        return _TNR_ASCII[code - 32] / 1000
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return 1.0
    return 0.5


# Kinsoku: a line may not start with closing punctuation nor end with opening
# punctuation.  Word (with ``overflowPunct`` off, as written here) and
# LibreOffice then carry the last character of the line along to the next
# line rather than letting the punctuation hang into the margin.
_NO_LINE_START = frozenset("，。、；：！？）」』】〉》﹞％…,.;:!?)]}%")
_NO_LINE_END = frozenset("（「『【〈《﹝([{")


def _tokens(text: str) -> Iterable[str]:
    """Unbreakable pieces: runs of printable ASCII, runs of spaces, single other chars."""
    start = 0
    n = len(text)
    while start < n:
        char = text[start]
        end = start + 1
        if char == " ":
            while end < n and text[end] == " ":
                end += 1
        elif "!" <= char <= "~":
            # a Latin word; a line may break after a hyphen inside it (COVID-/19)
            while end < n and "!" <= text[end] <= "~" and not (text[end - 1] == "-" and end - start > 1):
                end += 1
        elif char in _NO_LINE_START and end < n and text[end].isascii() and text[end].isalnum():
            # no break between closing punctuation and a following number
            # (，3115 stays together in LibreOffice)
            while end < n and "!" <= text[end] <= "~":
                end += 1
        yield text[start:end]
        start = end


# Word and LibreOffice put a little space where an ideograph meets a Latin
# letter or digit (Word's autoSpaceDE/DN; LibreOffice applies it whatever
# the document says).  LibreOffice's amount is a fifth of an em; the page
# model adds it between such neighbours on one line.
AUTOSPACE_EM = 0.2
# A space after Asian text takes the Asian font: LibreOffice's stand-in for
# 標楷體 here is Noto Sans CJK, whose space is 0.224 em (標楷體's own is 0.5).
CJK_SPACE_EM = 0.224


def _script(char: str) -> int:
    """1 for an ideograph/kana, 2 for a Latin letter or digit, 0 for anything else."""
    category = unicodedata.category(char)
    if category[0] not in "LN":
        return 0
    return 1 if unicodedata.east_asian_width(char) in ("W", "F") else 2


def _token_widths(tokens: list[str], advance: Callable[[str], float]) -> list[tuple[float, float]]:
    """(width, gap before it) of each token; the gap is dropped at a line start."""
    result = []
    previous = 0
    asian = False  # a space after Asian text is set in the Asian font
    for token in tokens:
        width = 0.0
        lead = 0.0
        for i, char in enumerate(token):
            if char == " ":
                width += CJK_SPACE_EM if asian else advance(char)
                previous = 0
                continue
            asian = unicodedata.east_asian_width(char) in ("W", "F")
            script = _script(char)
            gap = AUTOSPACE_EM if previous and script and previous != script else 0.0
            if i == 0:
                lead = gap
            else:
                width += gap
            width += advance(char)
            previous = script
        result.append((width, lead))
    return result


def wrap(text: str, width_em: float, advance: Callable[[str], float] = model_advance) -> list[str]:
    """The lines ``text`` takes in a box ``width_em`` wide; ``\\n`` forces a break."""
    lines: list[str] = []
    limit = width_em + 1e-9
    for paragraph in text.split("\n"):
        tokens = list(_tokens(paragraph))
        measures = _token_widths(tokens, advance)
        if any(width > limit and len(token) > 1 for token, (width, _) in zip(tokens, measures)):
            # a Latin word longer than the box is broken anywhere
            tokens = [piece for token, (width, _) in zip(tokens, measures)
                      for piece in (list(token) if width > limit and len(token) > 1 else [token])]
            measures = _token_widths(tokens, advance)
        line: list[int] = []  # token indexes
        used = 0.0
        for index, token in enumerate(tokens):
            width, lead = measures[index]
            if not line:
                lead = 0.0
            if used + lead + width <= limit or token[0] == " " or not line:
                line.append(index)  # trailing spaces may pass the edge
                used += lead + width
                continue
            carried = [index]
            # closing punctuation takes the previous piece along (and that one
            # may itself be closing punctuation: 號）。 moves as a whole)
            while (len(line) > 1 and tokens[line[-1]][0] != " "
                   and tokens[carried[0]][0] in _NO_LINE_START):
                carried.insert(0, line.pop())
            while len(line) > 1 and tokens[line[-1]] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append("".join(tokens[i] for i in line).rstrip(" "))
            line = carried
            used = sum(measures[i][0] + measures[i][1] for i in line) - measures[line[0]][1]
        lines.append("".join(tokens[i] for i in line).rstrip(" "))
    return lines


# ---------------------------------------------------------------------------
# The table model: rows, merged cells, slots and pages

COLUMN_COUNT = 6
CLASS_COL, SECTION_COL, ITEM_COL, PROGRESS_COL, COMPLETION_COL, REMARK_COL = range(6)


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
class BodyRow:
    """One table row: the labels it opens (None where a merge continues) and its entry row."""

    department: DepartmentBlock | None
    section_label: str | None
    item_label: str | None
    row: Row | None
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
    rows: list[BodyRow]
    cells: list[Cell]  # body cells, in slot order of their start
    total_slots: int
    pages: list[TablePage] = field(default_factory=list)
    start_page: int = 0  # page number of the divider (first divider = 1)

    @property
    def table_pages(self) -> int:
        return max(1, len(self.pages))

    @property
    def end_page(self) -> int:
        """The last page used (the divider is ``start_page``, the table follows)."""
        return self.start_page + self.table_pages


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
        return [d.start_page for d in self.departments]

    @property
    def last_page(self) -> int:
        return self.departments[-1].end_page if self.departments else 0


def body_rows(block: DepartmentBlock) -> list[BodyRow]:
    """The department's rows in order; a 項 or 目 without entries still gets one row."""
    rows: list[BodyRow] = []
    for section in block.sections:
        section_label: str | None = section.label
        for item in section.items or [None]:
            item_label: str | None = item.label if item is not None else ""
            for row in (item.rows if item is not None else []) or [None]:
                rows.append(BodyRow(None, section_label, item_label, row))
                section_label = item_label = None
        if section_label is not None:  # no items at all
            rows.append(BodyRow(None, section_label, "", None))
    if not rows:
        rows.append(BodyRow(None, "", "", None))
    rows[0].department = block
    return rows


def _row_texts(row: Row | None) -> tuple[list[str], str, str]:
    if row is None:
        return [], "", ""
    return row.lines, completion_text(row.completion), row.remark


def header_cells(geometry: PageGeometry, advance: Callable[[str], float]) -> tuple[list[Cell], tuple[int, int]]:
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


def plan_department(block: DepartmentBlock, geometry: PageGeometry, advance, room: float) -> DepartmentPlan:
    em = geometry.font_size
    inner = [w / em for w in geometry.inner_widths()]
    rows = body_rows(block)
    # Each row's own height: the tallest of 辦理情形, 完成程度, 備註.
    row_cells: list[list[Cell]] = []
    for body in rows:
        lines, completion, remark = _row_texts(body.row)
        progress_lines = [l for text in lines for l in wrap(text, inner[PROGRESS_COL], advance)] if lines else [""]
        completion_lines = wrap(completion, inner[COMPLETION_COL], advance) if completion else []
        remark_lines = wrap(remark, inner[REMARK_COL], advance) if remark else []
        body.slots = max(1, len(progress_lines), len(completion_lines), len(remark_lines))
        row_cells.append([
            Cell(PROGRESS_COL, 1, 0, 0, progress_lines),
            Cell(COMPLETION_COL, 1, 0, 0, completion_lines, True),
            Cell(REMARK_COL, 1, 0, 0, remark_lines),
        ])
    # A merged label taller than its rows makes the last row of the merge
    # taller (Word and LibreOffice both do so), innermost merge first.
    groups: list[tuple[int, int, int, list[str]]] = []  # col, first row, last row, lines
    for col, attribute in ((ITEM_COL, "item_label"), (SECTION_COL, "section_label")):
        starts = [i for i, body in enumerate(rows) if getattr(body, attribute) is not None]
        for n, first in enumerate(starts):
            last = (starts[n + 1] if n + 1 < len(starts) else len(rows)) - 1
            groups.append((col, first, last, wrap(getattr(rows[first], attribute), inner[col], advance)))
    groups.append((CLASS_COL, 0, len(rows) - 1, wrap(block.label, inner[CLASS_COL], advance)))
    for col, first, last, lines in groups:
        have = sum(rows[i].slots for i in range(first, last + 1))
        if len(lines) > have:
            rows[last].slots += len(lines) - have
    start = 0
    for body in rows:
        body.start = start
        start += body.slots
    cells: list[Cell] = []
    for col, first, last, lines in groups:
        cells.append(Cell(col, 1, rows[first].start, rows[last].start + rows[last].slots - rows[first].start, lines))
    for body, own in zip(rows, row_cells):
        for cell in own:
            cell.start, cell.slots = body.start, body.slots
            cells.append(cell)
    cells.sort(key=lambda cell: (cell.start, cell.col))
    plan = DepartmentPlan(block, rows, cells, start)
    plan.pages = paginate(rows, geometry, room)
    return plan


def paginate(rows: list[BodyRow], geometry: PageGeometry, room: float) -> list[TablePage]:
    """Fill pages ``room`` points high with rows; a row that does not fit is split
    between two lines (rows may break across pages), as Word and LibreOffice do."""
    line, border = geometry.line_height, geometry.border
    pages: list[TablePage] = []
    page = TablePage(0, 0, [0])
    used = 0.0
    for body in rows:
        slot, remaining = body.start, body.slots
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
    if page.last > page.first or not pages:
        pages.append(page)
    return pages


def plan_report(
    report_layout: ReportLayout,
    geometry: PageGeometry = GEOMETRY,
    advance: Callable[[str], float] = model_advance,
) -> ReportPlan:
    """Lay the tables out in slots and give every department its divider's page number.

    Page 1 is the first divider; each department starts on an odd page (a
    blank page is inserted after an odd-ending department), its table
    starts on the page after its divider and repeats the header rows on
    every page.
    """
    cells, header_rows = header_cells(geometry, advance)
    header_slots = sum(header_rows)
    # two header rows, each with its border, and the table's top border
    header_height = header_slots * geometry.line_height + 3 * geometry.border
    room = geometry.body_height - header_height
    plan = ReportPlan(report_layout, geometry, cells, header_slots, header_height, header_rows)
    page = 1
    for block in report_layout.departments:
        department = plan_department(block, geometry, advance, room)
        department.start_page = page
        plan.departments.append(department)
        page = department.end_page + 1
        if page % 2 == 0:
            page += 1
    return plan


def page_plan(report: Report, departments: list[str] | None = None) -> list[int]:
    """The 目錄 page number of each exported department, by the font-metric model."""
    return plan_report(layout(report, departments)).start_pages


# ---------------------------------------------------------------------------
# WordprocessingML text

_RPR_FONTS = (
    f'<w:rFonts w:ascii="{FONT_LATIN}" w:hAnsi="{FONT_LATIN}" '
    f'w:eastAsia="{FONT_EAST_ASIA}" w:cs="{FONT_LATIN}"/>'
)


def _run(text: str, size_half_points: int | None = None) -> str:
    size = f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>' if size_half_points else ""
    parts = text.split("\n")
    body = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(part)}</w:t>' for part in parts)
    return f"<w:r><w:rPr>{_RPR_FONTS}{size}</w:rPr>{body}</w:r>"


def _field(instruction: str, cached: str) -> str:
    return (
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{_run(cached)}"
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _paragraph(text: str = "", *, style: str | None = None, centred: bool = False,
               size_half_points: int | None = None, before: int = 0, extra_ppr: str = "",
               sect_pr: str = "", runs: str | None = None) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    ppr += extra_ppr
    if before:
        ppr += f'<w:spacing w:before="{before}" w:after="0"/>'
    if centred:
        ppr += '<w:jc w:val="center"/>'
    if runs is None:
        runs = _run(text, size_half_points) if text else ""
    # sectPr must come last in pPr (CT_PPr: ... rPr, sectPr, pPrChange)
    return f"<w:p><w:pPr>{ppr}{sect_pr}</w:pPr>{runs}</w:p>"


_TABLE_STYLE = "TableText"


def _cell(width: int, content: str, *, span: int = 1, vmerge: str | None = None,
          centred: bool = False, valign: str | None = None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if valign:
        props += f'<w:vAlign w:val="{valign}"/>'
    jc = '<w:jc w:val="center"/>' if centred else ""
    if not content:
        content = f'<w:p><w:pPr><w:pStyle w:val="{_TABLE_STYLE}"/>{jc}</w:pPr></w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _cell_paragraphs(lines: list[str], centred: bool = False) -> str:
    jc = '<w:jc w:val="center"/>' if centred else ""
    return "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{_TABLE_STYLE}"/>{jc}</w:pPr>{_run(line) if line else ""}</w:p>'
        for line in lines
    )


def _table_xml(block: DepartmentBlock, widths: list[int], rows: list[BodyRow], header_rows: tuple[int, int]) -> str:
    total = sum(widths)
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    pad = round(GEOMETRY.cell_padding * TWIPS_PER_PT)
    parts = [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{border}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    # Explicit heights: LibreOffice sizes a *repeated* header row without the
    # cells merged into it from above, which would clip 完成程度百分比 and
    # change how many lines fit under it.
    line = round(GEOMETRY.line_height * TWIPS_PER_PT)
    header_trpr = [
        f'<w:trPr><w:cantSplit/><w:trHeight w:val="{slots * line}" w:hRule="atLeast"/><w:tblHeader/></w:trPr>'
        for slots in header_rows
    ]
    centre = {"centred": True, "valign": "center"}
    parts.append(
        "<w:tr>" + header_trpr[0]
        + _cell(sum(widths[:3]), _cell_paragraphs([HEADER_PLAN], True), span=3, **centre)
        + _cell(widths[3], _cell_paragraphs([HEADER_PROGRESS], True), vmerge="restart", **centre)
        + _cell(widths[4], _cell_paragraphs([HEADER_COMPLETION], True), vmerge="restart", **centre)
        + _cell(widths[5], _cell_paragraphs([HEADER_REMARK], True), vmerge="restart", **centre)
        + "</w:tr>"
    )
    parts.append(
        "<w:tr>" + header_trpr[1]
        + _cell(widths[0], _cell_paragraphs([HEADER_CLASS], True), **centre)
        + _cell(widths[1], _cell_paragraphs([HEADER_SECTION], True), **centre)
        + _cell(widths[2], _cell_paragraphs([HEADER_ITEM], True), **centre)
        + _cell(widths[3], "", vmerge="continue", **centre)
        + _cell(widths[4], "", vmerge="continue", **centre)
        + _cell(widths[5], "", vmerge="continue", **centre)
        + "</w:tr>"
    )
    for body in rows:
        lines, completion, remark = _row_texts(body.row)
        cells = []
        if body.department is not None:
            cells.append(_cell(widths[0], _cell_paragraphs([block.label]), vmerge="restart"))
        else:
            cells.append(_cell(widths[0], "", vmerge="continue"))
        for col, label in ((1, body.section_label), (2, body.item_label)):
            if label is not None:
                cells.append(_cell(widths[col], _cell_paragraphs([label]) if label else "", vmerge="restart"))
            else:
                cells.append(_cell(widths[col], "", vmerge="continue"))
        cells.append(_cell(widths[3], _cell_paragraphs(lines)))
        cells.append(_cell(widths[4], _cell_paragraphs([completion], True) if completion else "", centred=True))
        cells.append(_cell(widths[5], _cell_paragraphs([remark]) if remark else ""))
        parts.append("<w:tr>" + "".join(cells) + "</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _sect_pr(*, kind: str | None, header: str | None = None, footer: str | None = None,
             restart_numbering: bool = False, centre_vertically: bool = False) -> str:
    g = GEOMETRY
    refs = ""
    if header:
        refs += f'<w:headerReference w:type="default" r:id="{header}"/>'
    if footer:
        refs += f'<w:footerReference w:type="default" r:id="{footer}"/>'
    xml = refs
    if kind:
        xml += f'<w:type w:val="{kind}"/>'
    m = round(g.margin * TWIPS_PER_PT)
    xml += (
        f'<w:pgSz w:w="{round(g.width * TWIPS_PER_PT)}" w:h="{round(g.height * TWIPS_PER_PT)}"/>'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" '
        f'w:header="{round(g.header_distance * TWIPS_PER_PT)}" '
        f'w:footer="{round(g.footer_distance * TWIPS_PER_PT)}" w:gutter="0"/>'
    )
    if restart_numbering:
        xml += '<w:pgNumType w:start="1"/>'
    xml += '<w:cols w:space="425"/>'
    if centre_vertically:
        xml += '<w:vAlign w:val="center"/>'
    xml += '<w:docGrid w:linePitch="360"/>'
    return f"<w:sectPr>{xml}</w:sectPr>"


def _parse_children(xml: str) -> list[etree._Element]:
    wrapper = etree.fromstring(f"<w:body {NSMAP_DECL}>{xml}</w:body>".encode("utf-8"))
    return list(wrapper)


# ---------------------------------------------------------------------------
# Styles

def _qn(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{W_NS if prefix == 'w' else R_NS}}}{name}"


def _set_fonts(rpr: etree._Element) -> None:
    """East Asian 標楷體 and Latin Times New Roman; theme fonts would win, so drop them."""
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = etree.Element(_qn("w:rFonts"))
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    fonts.set(_qn("w:ascii"), FONT_LATIN)
    fonts.set(_qn("w:hAnsi"), FONT_LATIN)
    fonts.set(_qn("w:cs"), FONT_LATIN)
    fonts.set(_qn("w:eastAsia"), FONT_EAST_ASIA)


# Kinsoku on and no hanging punctuation, as the page model (plan_report)
# assumes; the automatic space between ideographs and Latin/digits stays on
# (LibreOffice applies it regardless, Word by default).  Every style we use
# repeats these, docDefaults alone is not read by every consumer.
_TYPOGRAPHY_ELEMENTS = ('<w:kinsoku/>', '<w:overflowPunct w:val="0"/>')
_EAST_ASIAN_TYPOGRAPHY = "".join(_TYPOGRAPHY_ELEMENTS)


def _styles_xml_fragment(text_width_twips: int) -> str:
    """Styles we add: table text, TOC 1 with its dot-leader tab."""
    rpr = f"<w:rPr>{_RPR_FONTS}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr>"
    return (
        f'<w:style {NSMAP_DECL} w:type="paragraph" w:customStyle="1" w:styleId="{_TABLE_STYLE}">'
        '<w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/>{_EAST_ASIAN_TYPOGRAPHY}<w:snapToGrid w:val="0"/>'
        '<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="exact"/>'
        '<w:ind w:left="0" w:right="0"/></w:pPr>'
        f"{rpr}</w:style>",
        f'<w:style {NSMAP_DECL} w:type="paragraph" w:styleId="TOC1">'
        '<w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{text_width_twips}"/></w:tabs>{_EAST_ASIAN_TYPOGRAPHY}'
        '<w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr>{_RPR_FONTS}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>',
    )


def _prepare_styles(document) -> None:
    styles = document.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    _set_fonts(rpr)
    for tag, value in (("w:sz", "24"), ("w:szCs", "24")):
        rpr.find(_qn(tag)).set(_qn("w:val"), value)
    lang = rpr.find(_qn("w:lang"))
    lang.set(_qn("w:val"), "en-US")
    lang.set(_qn("w:eastAsia"), "zh-TW")
    ppr = defaults.find(f"{_qn('w:pPrDefault')}/{_qn('w:pPr')}")
    for child in list(ppr):
        ppr.remove(child)
    # No automatic space between CJK and Latin/digits: the text already
    # carries the spaces the office typed, and the page model counts widths.
    for child in _parse_children(_EAST_ASIAN_TYPOGRAPHY):
        ppr.append(child)
    etree.SubElement(ppr, _qn("w:spacing"), {_qn("w:after"): "0", _qn("w:line"): "240", _qn("w:lineRule"): "auto"})

    for fragment in _styles_xml_fragment(round(GEOMETRY.body_width * TWIPS_PER_PT)):
        styles.append(etree.fromstring(fragment.encode("utf-8")))

    normal = document.styles["Normal"].element
    normal_ppr = normal.find(_qn("w:pPr"))
    if normal_ppr is None:
        normal_ppr = etree.Element(_qn("w:pPr"))
        rpr_at = normal.find(_qn("w:rPr"))
        if rpr_at is not None:
            rpr_at.addprevious(normal_ppr)
        else:
            normal.append(normal_ppr)
    for child in list(normal_ppr):
        normal_ppr.remove(child)
    for child in _parse_children(_EAST_ASIAN_TYPOGRAPHY):
        normal_ppr.append(child)

    heading = document.styles["Heading 1"].element
    heading_ppr = heading.find(_qn("w:pPr"))
    for child in list(heading_ppr):
        heading_ppr.remove(child)
    for xml in ('<w:keepNext/>', *_TYPOGRAPHY_ELEMENTS, '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
                '<w:jc w:val="center"/>', '<w:outlineLvl w:val="0"/>'):
        heading_ppr.append(etree.fromstring(f"<x {NSMAP_DECL}>{xml}</x>")[0])
    heading_rpr = heading.find(_qn("w:rPr"))
    for child in list(heading_rpr):
        heading_rpr.remove(child)
    for xml in (_RPR_FONTS, '<w:sz w:val="72"/>', '<w:szCs w:val="72"/>'):
        heading_rpr.append(etree.fromstring(f"<x {NSMAP_DECL}>{xml}</x>")[0])

    # Every style that sets fonts (Title, Header, Footer, …) gets the same pair.
    for style_rpr in styles.iter(_qn("w:rPr")):
        if style_rpr.find(_qn("w:rFonts")) is not None or style_rpr.getparent().tag == _qn("w:style"):
            _set_fonts(style_rpr)
    for style in styles.findall(_qn("w:style")):
        if style.find(_qn("w:rPr")) is None:
            style_rpr = etree.SubElement(style, _qn("w:rPr"))
            _set_fonts(style_rpr)


# ---------------------------------------------------------------------------
# The writer

def _fill_header_footer(part_element, xml: str) -> None:
    for child in list(part_element):
        part_element.remove(child)
    for child in _parse_children(xml):
        part_element.append(child)


def write(report: Report, path, *, departments=None, progress=None) -> None:
    import docx  # python-docx; imported here so that `import app.exporters` stays light

    report_layout = layout(report, departments)
    plan = plan_report(report_layout)
    document = docx.Document()
    _prepare_styles(document)

    # Header/footer parts: made once on the body's sectPr, then referenced by rId.
    section = document.sections[0]
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    sect_pr = section._sectPr
    refs = {(el.tag.rsplit('}', 1)[1], el.get(_qn("w:type"))): el.get(_qn("r:id")) for el in sect_pr
            if el.tag in (_qn("w:headerReference"), _qn("w:footerReference"))}
    running_header = refs[("headerReference", "default")]
    page_footer = refs[("footerReference", "default")]
    empty_header = refs[("headerReference", "first")]
    header_style = '<w:pStyle w:val="Header"/>'
    _fill_header_footer(section.header._element, _paragraph(
        runs=_run(report_layout.running_header, 20), extra_ppr=header_style, centred=True))
    _fill_header_footer(section.footer._element, _paragraph(
        runs=_field("PAGE", "1"), extra_ppr='<w:pStyle w:val="Footer"/>', centred=True))
    _fill_header_footer(section.first_page_header._element, _paragraph(extra_ppr=header_style))
    _fill_header_footer(section.first_page_footer._element, _paragraph(extra_ppr='<w:pStyle w:val="Footer"/>'))

    body = document.element.body
    final_sect_pr = body.find(_qn("w:sectPr"))
    body.remove(final_sect_pr)
    for child in list(body):
        body.remove(child)

    # The body is kept as XML text and spliced into word/document.xml after
    # python-docx has saved the package: parsing every fragment into lxml and
    # moving it into the tree cost half the export's time and ~4 KB of memory
    # per element (≈1 million elements at 50× the sample).  Every text in the
    # fragments is escaped and cleaned (app.layout.clean_text), and the tests
    # parse the result back.
    parts: list[str] = []
    append = parts.append

    # Cover: its own section, centred vertically, no header or footer at all.
    append(
        _paragraph(report_layout.title, centred=True, size_half_points=56)
        + _paragraph(report_layout.office, centred=True, size_half_points=44, before=720)
        + _paragraph(report_layout.published, centred=True, size_half_points=32, before=1440,
                     sect_pr=_sect_pr(kind=None, centre_vertically=True))
    )
    # 目錄: a TOC field over the divider headings with computed cached pages.
    toc = [_paragraph(f"{report_layout.title}{TOC_TITLE_SUFFIX}", centred=True, size_half_points=40)]
    toc.append(_paragraph(""))
    entries = list(zip(plan.departments, report_layout.departments))
    begin = (
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        toc.append(_paragraph(style="TOC1", runs=begin + end))
    for n, (department, block) in enumerate(entries):
        runs = (begin if n == 0 else "") + _run(block.toc_label) + f"<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:tab/></w:r>"
        runs += _run(str(department.start_page)) + (end if n == len(entries) - 1 else "")
        toc.append(_paragraph(style="TOC1", runs=runs))
    toc[-1] = toc[-1].replace("</w:pPr>", _sect_pr(kind="nextPage") + "</w:pPr>", 1)
    append("".join(toc))

    widths = GEOMETRY.column_twips()
    count = len(plan.departments)
    for n, department in enumerate(plan.departments):
        if progress is not None:
            progress(n / max(count, 1))
        block = department.block
        divider_sect = _sect_pr(kind="oddPage", header=empty_header, footer=page_footer,
                                restart_numbering=(n == 0), centre_vertically=True)
        append(_paragraph(block.divider, style="Heading1", sect_pr=divider_sect))
        append(_table_xml(block, widths, department.rows, plan.header_rows))
        # A table cannot end a section: the section break rides on a small
        # paragraph after it (1 pt, so it never adds a page of its own).
        last = n == count - 1
        table_sect = "" if last else _sect_pr(kind="nextPage", header=running_header, footer=page_footer)
        append(f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
               f'{table_sect}</w:pPr></w:p>')
    # The body's own sectPr closes the last section (the last table, or the
    # 目錄 when nothing was exported).
    final = _sect_pr(kind="nextPage", header=running_header if count else None,
                     footer=page_footer if count else None)
    append(final)
    placeholder = etree.SubElement(body, _qn("w:p"))
    placeholder.set(_qn("w:rsidR"), _PLACEHOLDER_RSID)
    document.core_properties.title = report_layout.title
    document.core_properties.author = report_layout.office
    document.core_properties.language = "zh-TW"
    document.save(str(path))
    _splice_body(path, parts)
    if progress is not None:
        progress(1.0)


_PLACEHOLDER_RSID = "00C0FFEE"


def _splice_body(path, parts: list[str]) -> None:
    """Replace the placeholder paragraph of word/document.xml with ``parts``, streaming."""
    import os
    import shutil
    import zipfile

    path = str(path)
    spliced = path + ".body"
    marker = f'<w:p w:rsidR="{_PLACEHOLDER_RSID}"/>'
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                with source.open(info) as data, target.open(info, "w") as out:
                    shutil.copyfileobj(data, out)
                continue
            xml = source.read(info).decode("utf-8")
            head, found, tail = xml.partition(marker)
            if not found:
                raise RuntimeError("docx body placeholder not found")
            spliced_info = zipfile.ZipInfo(info.filename, info.date_time)
            spliced_info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(spliced_info, "w") as out:
                out.write(head.encode("utf-8"))
                for part in parts:
                    out.write(part.encode("utf-8"))
                out.write(tail.encode("utf-8"))
    os.replace(spliced, path)
