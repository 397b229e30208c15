"""The printed report as an ODF text document (.odt), written directly with odfpy.

Not a conversion of the .docx: the document is built from :mod:`app.layout`
in ODF terms (docs/official-layout.md):

* a cover page (title, office, publication month) and a 目錄 page, both under
  the ``Cover`` master page, which has neither header nor footer;
* a real ``text:table-of-content`` fed by ``text:toc-mark`` index marks on the
  department dividers (so that LibreOffice's "Update index" rebuilds the same
  ``一、民政部門`` lines), whose ``text:index-body`` holds the cached entries
  with their page numbers behind a right tab stop with a dot leader;
* per department a divider paragraph (``民 政 部 門``, large, centred) under
  the ``Department`` master page, whose page layout has
  ``style:page-usage="right"`` — LibreOffice starts it on a right-hand (odd)
  page and inserts a blank page where needed; the first divider restarts the
  page numbers at 1; then the department table on a new page under the
  ``Body`` master page.  Both masters carry the running header
  ``{office} {year} 年度工作總報告`` and the page number centred in the footer;
* the table: two header rows in ``table:table-header-rows`` (repeated on
  every page), 類 / 項 / 目 cells spanning their rows with a
  ``table:covered-table-cell`` at every covered position, the table width on
  the table style (``style:width``, odfpy #145) as well as every column width;
  標楷體 is both the western and the Asian font (``style:font-name`` and
  ``style:font-name-asian``, declared in ``office:font-face-decls``).

Page numbers of the 目錄 are computed here, without any renderer
(:func:`page_plan`): every table paragraph has a fixed line height, cells a
fixed padding and rows may not break across pages, so a row's height is its
line count times the line height; lines are counted with 標楷體's metrics
(wide characters one em, ASCII half an em, full-width closing punctuation
never hanging past the line end).  A table page holds the
repeated header rows and as many whole rows as fit.  The estimate is exact
for the bundled sample when rendered by LibreOffice with a Kai font
(tests/test_export_odt.py renders it and compares); what can make it drift
is a font whose ASCII glyphs are not half an em wide, which changes where
lines wrap.  Because every department starts on an odd page, a table that
comes out one page longer or shorter than estimated moves the following
departments only when its page count crosses an even/odd boundary.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
import contextlib
import gc
from pathlib import Path

from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace,
    Footer,
    FooterStyle,
    Header,
    HeaderFooterProperties,
    HeaderStyle,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TabStop,
    TabStops,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import (
    IndexBody,
    IndexEntryPageNumber,
    IndexEntryTabStop,
    IndexEntryText,
    IndexTitle,
    IndexTitleTemplate,
    P,
    PageNumber,
    Tab,
    TableOfContent,
    TableOfContentEntryTemplate,
    TableOfContentSource,
    TocMark,
)

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
    completion_text,
    layout,
)
from ..model import Report
from .xlsx import BodyRow, body_plan

FONT = "標楷體"
FONT_PT = 12
EM_CM = FONT_PT / 72 * 2.54

# Page geometry (cm).  The body of a table page is the page less its
# margins, the header (one fixed line + spacing) and the footer (the same).
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_TOP = MARGIN_BOTTOM = 2.0
MARGIN_SIDE = 1.9
HF_LINE = 0.5  # fixed line height of the header and footer paragraphs
HF_SPACING = 0.4
BODY_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 2 * (HF_LINE + HF_SPACING)
TABLE_W = PAGE_W - 2 * MARGIN_SIDE  # 17.2 cm
COLUMN_W = tuple(TABLE_W * share / 100 for share in COLUMN_SHARES)

LINE_H = 0.6  # fixed line height of every table paragraph
PAD = 0.1  # cell padding, each side
BORDER_CM = 0.5 / 72 * 2.54
BORDER = "0.5pt solid #000000"
ROW_EXTRA = 2 * PAD + 2 * BORDER_CM  # padding and the top and bottom borders of every row
# LibreOffice keeps about 0.16 cm between a cell's edge and its text on each
# side (padding, border and its own inner spacing), measured from its PDFs.
CELL_INSET = 0.16
HEADER_ROW_H = 1.1  # each of the two header rows, fixed (3 lines of 完成程度百分比 fit in both)

CAPACITIES = tuple((w - 2 * CELL_INSET) / EM_CM for w in COLUMN_W)

# Advance widths (em) of the printable ASCII characters that are not half an
# em in TW-Kai (全字庫正楷體, the open Kai font LibreOffice uses for 標楷體 on
# Linux, see docs/export-sheets-odf.md).  Digits, space, ``.`` and ``,`` are
# half an em there as in 標楷體; wide characters are one em in every CJK font.
_ASCII_EM = {
    "#": 1.0, "$": 0.487, "%": 0.736, "&": 0.759, "(": 0.285, ")": 0.285, "+": 0.703, "-": 0.705,
    "/": 0.63, "<": 0.763, "=": 0.707, ">": 0.771, "@": 0.977, "A": 0.533, "C": 0.477, "F": 0.485,
    "G": 0.56, "H": 0.482, "I": 0.184, "J": 0.399, "K": 0.54, "L": 0.46, "M": 0.6, "O": 0.473,
    "P": 0.453, "R": 0.557, "S": 0.426, "U": 0.468, "V": 0.489, "W": 0.647, "Y": 0.461, "Z": 0.52,
    "[": 0.272, "\\": 0.63, "]": 0.273, "^": 0.322, "a": 0.407, "b": 0.388, "c": 0.356, "d": 0.378,
    "e": 0.371, "f": 0.369, "g": 0.45, "h": 0.367, "i": 0.167, "j": 0.171, "k": 0.469, "l": 0.169,
    "m": 0.565, "n": 0.356, "o": 0.378, "p": 0.374, "q": 0.38, "r": 0.318, "s": 0.323, "t": 0.346,
    "u": 0.376, "v": 0.432, "w": 0.562, "x": 0.46, "z": 0.369, "{": 0.286, "|": 0.221, "}": 0.286,
    "~": 0.402,
}
_TOKENS = re.compile(r"[!-~]+|.", re.S)


def _em(ch: str) -> float:
    if ch in _ASCII_EM:
        return _ASCII_EM[ch]
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def count_lines(text: str, capacity: float) -> int:
    """Lines one paragraph takes in a cell ``capacity`` em wide, as LibreOffice wraps it:
    a run of ASCII (a number, a word) moves whole to the next line when it does
    not fit, any wide character may start a line.  Punctuation does not hang
    (``style:punctuation-wrap="simple"``): a ``。`` that does not fit takes the
    character before it to the next line, which costs the same one line."""
    lines, used = 1, 0.0
    for token in _TOKENS.findall(text):
        width = sum(_em(ch) for ch in token)
        if used + width <= capacity + 1e-6:
            used += width
        elif len(token) > 1 and width <= capacity:
            lines, used = lines + 1, width
        else:
            for ch in token:
                w = _em(ch)
                if used + w > capacity + 1e-6 and used > 0:
                    lines, used = lines + 1, 0.0
                used += w
    return lines


def _lines(text: str, column: int) -> int:
    return sum(count_lines(p, CAPACITIES[column]) for p in text.split("\n")) if text else 1


def row_heights(block: DepartmentBlock, plan: list[BodyRow]) -> list[float]:
    """Height (cm) of every body row as LibreOffice lays it out.

    A spanning label taller than its rows makes the *last* row of its span
    taller (LibreOffice grows the last row of a row span).
    """
    heights = []
    for body in plan:
        lines = 1
        if body.row is not None:
            lines = max(
                sum(_lines(line, 3) for line in body.row.lines),
                _lines(completion_text(body.row.completion), 4),
                sum(_lines(line, 5) for line in body.row.remark.split("\n")) if body.row.remark else 1,
            )
        heights.append(lines * LINE_H + ROW_EXTRA)

    def grow(start: int, span: int, label: str, column: int) -> None:
        needed = _lines(label, column) * LINE_H + ROW_EXTRA
        have = sum(heights[start:start + span])
        if needed > have + 1e-9:
            heights[start + span - 1] += needed - have

    for i, body in enumerate(plan):
        if body.item is not None:
            grow(i, body.item_span, body.item.label, 2)
    for i, body in enumerate(plan):
        if body.section is not None:
            grow(i, body.section_span, body.section.label, 1)
    grow(0, len(plan), block.label, 0)
    return heights


def header_height() -> float:
    """The two header rows have fixed heights: LibreOffice sizes a row span
    differently on the first page and on the repeated headers otherwise."""
    # 完成程度百分比 takes three lines of three characters in its 1.55 cm
    # column (centred text gets a little more room than the estimate gives).
    return 2 * (HEADER_ROW_H + BORDER_CM)


def table_pages(block: DepartmentBlock) -> int:
    """Pages the department table takes (rows never split; headers repeat)."""
    plan = body_plan(block)
    head = header_height()
    pages, used = 1, head
    for height in row_heights(block, plan):
        if used + height > BODY_H + 1e-9 and used > head + 1e-9:
            pages, used = pages + 1, head
        used += height
        while used > BODY_H + 1e-9:  # a row taller than a page is split by force
            pages, used = pages + 1, head + (used - BODY_H)
    return pages


@dataclass
class PagePlan:
    block: DepartmentBlock
    first_page: int  # page number of the divider (numbering restarts at 1 on the first)
    table_pages: int


def page_plan(lay: ReportLayout) -> list[PagePlan]:
    """The page number of every department divider, first divider = 1, all odd."""
    plans, page = [], 1
    for block in lay.departments:
        pages = table_pages(block)
        plans.append(PagePlan(block, page, pages))
        last = page + pages  # divider page, then the table pages
        page = last + 1 if last % 2 == 0 else last + 2
    return plans


# ---------------------------------------------------------------------------
# Styles


def _text_props(size: float = FONT_PT, **extra) -> TextProperties:
    return TextProperties(
        fontname=FONT, fontnameasian=FONT, fontnamecomplex=FONT,
        fontsize=f"{size}pt", fontsizeasian=f"{size}pt", fontsizecomplex=f"{size}pt", **extra,
    )


class _Styles:
    def __init__(self, doc: OpenDocumentText, lay: ReportLayout) -> None:
        self.doc = doc
        doc.fontfacedecls.addElement(
            FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="script", fontpitch="variable")
        )
        styles, auto = doc.styles, doc.automaticstyles

        def para(name, *, parent=None, auto_style=False, size=FONT_PT, pprops=None, family="paragraph", **kw):
            args = {"name": name, "family": family}
            if parent:
                args["parentstylename"] = parent
            args.update(kw)
            style = Style(**args)
            # text-autospace "none": LibreOffice would otherwise widen the gap
            # between Chinese and Latin text and wrap lines a character early.
            props = {"punctuationwrap": "simple", "linebreak": "strict", "textautospace": "none",
                     "widows": "0", "orphans": "0"}
            props.update(pprops or {})
            style.addElement(ParagraphProperties(**props))
            style.addElement(_text_props(size))
            (auto if auto_style else styles).addElement(style)
            return style

        self.standard = para("Standard", pprops={"margintop": "0cm", "marginbottom": "0cm"})
        self.cover_title = para("Cover_Title", parent="Standard", size=26, auto_style=True, masterpagename="Cover",
                                pprops={"textalign": "center", "margintop": "8cm", "marginbottom": "3cm"})
        self.cover_line = para("Cover_Line", parent="Standard", size=20,
                               pprops={"textalign": "center", "margintop": "0.6cm"})
        self.toc_title = para("Contents_Heading", parent="Standard", size=20,
                              pprops={"textalign": "center", "breakbefore": "page", "marginbottom": "1cm"})
        toc_entry = Style(name="Contents_1", displayname="Contents 1", family="paragraph", parentstylename="Standard")
        toc_props = ParagraphProperties(margintop="0.3cm", marginbottom="0.3cm")
        tabs = TabStops()
        tabs.addElement(TabStop(position=f"{TABLE_W:.2f}cm", type="right", leaderstyle="dotted", leadertext="."))
        toc_props.addElement(tabs)
        toc_entry.addElement(toc_props)
        toc_entry.addElement(_text_props(14))
        styles.addElement(toc_entry)
        self.toc_entry = toc_entry
        self.divider_first = para("Divider_First", parent="Standard", size=36, auto_style=True,
                                  masterpagename="Department",
                                  pprops={"textalign": "center", "margintop": "10cm", "pagenumber": "1"})
        self.divider = para("Divider", parent="Standard", size=36, auto_style=True, masterpagename="Department",
                            pprops={"textalign": "center", "margintop": "10cm"})
        fixed = {"lineheight": f"{LINE_H}cm", "margintop": "0cm", "marginbottom": "0cm"}
        self.cell_text = para("Table_Text", parent="Standard", pprops=dict(fixed, textalign="start"))
        self.cell_centre = para("Table_Centre", parent="Standard", pprops=dict(fixed, textalign="center"))
        self.header = para("Header", parent="Standard", pprops={"textalign": "center", "lineheight": f"{HF_LINE}cm"})
        self.footer = para("Footer", parent="Standard", pprops={"textalign": "center", "lineheight": f"{HF_LINE}cm"})

        self.table = Style(name="Report_Table", family="table")
        self.table.addElement(TableProperties(width=f"{TABLE_W:.3f}cm", align="center", breakbefore="page",
                                              maybreakbetweenrows="true"))
        auto.addElement(self.table)
        self.columns = []
        for index, width in enumerate(COLUMN_W, start=1):
            col = Style(name=f"Report_Table.C{index}", family="table-column")
            col.addElement(TableColumnProperties(columnwidth=f"{width:.3f}cm"))
            auto.addElement(col)
            self.columns.append(col)
        self.row = Style(name="Report_Table.R", family="table-row")
        self.row.addElement(TableRowProperties(keeptogether="always"))
        auto.addElement(self.row)
        self.header_row = Style(name="Report_Table.H", family="table-row")
        self.header_row.addElement(TableRowProperties(keeptogether="always", rowheight=f"{HEADER_ROW_H}cm"))
        auto.addElement(self.header_row)

        def cell(name, valign):
            style = Style(name=name, family="table-cell")
            style.addElement(TableCellProperties(border=BORDER, padding=f"{PAD}cm", verticalalign=valign))
            auto.addElement(style)
            return style

        self.cell_top = cell("Report_Table.Top", "top")
        self.cell_middle = cell("Report_Table.Middle", "middle")
        self._pages(lay)

    def _pages(self, lay: ReportLayout) -> None:
        auto, masters = self.doc.automaticstyles, self.doc.masterstyles

        def page_layout(name, usage=None, header=True):
            kwargs = {"name": name}
            if usage:
                kwargs["pageusage"] = usage
            pl = PageLayout(**kwargs)
            pl.addElement(PageLayoutProperties(
                pagewidth=f"{PAGE_W}cm", pageheight=f"{PAGE_H}cm", printorientation="portrait",
                margintop=f"{MARGIN_TOP}cm", marginbottom=f"{MARGIN_BOTTOM}cm",
                marginleft=f"{MARGIN_SIDE}cm", marginright=f"{MARGIN_SIDE}cm",
            ))
            if header:
                hs = HeaderStyle()
                hs.addElement(HeaderFooterProperties(minheight="0cm", marginbottom=f"{HF_SPACING}cm"))
                pl.addElement(hs)
                fs = FooterStyle()
                fs.addElement(HeaderFooterProperties(minheight="0cm", margintop=f"{HF_SPACING}cm"))
                pl.addElement(fs)
            auto.addElement(pl)
            return pl

        cover = page_layout("PL_Cover", header=False)
        right = page_layout("PL_Right", usage="right")
        body = page_layout("PL_Body")

        def with_header_footer(master):
            header = Header()
            header.addElement(P(stylename=self.header, text=lay.running_header))
            master.addElement(header)
            footer = Footer()
            p = P(stylename=self.footer)
            p.addElement(PageNumber(selectpage="current", text="1"))
            footer.addElement(p)
            master.addElement(footer)

        # The master "Standard" is what LibreOffice falls back to; keep it plain.
        masters.addElement(MasterPage(name="Standard", pagelayoutname=cover))
        masters.addElement(MasterPage(name="Cover", pagelayoutname=cover))
        department = MasterPage(name="Department", pagelayoutname=right, nextstylename="Body")
        with_header_footer(department)
        masters.addElement(department)
        body_master = MasterPage(name="Body", pagelayoutname=body)
        with_header_footer(body_master)
        masters.addElement(body_master)


# ---------------------------------------------------------------------------
# Content


def _cell(lines: list[str], style_cell: Style, style_para: Style, **spans) -> TableCell:
    cell = TableCell(stylename=style_cell, valuetype="string", **spans)
    for line in lines or [""]:
        paragraph = P(stylename=style_para)
        # A line break inside an entry is text:line-break and runs of spaces are
        # text:s — a literal newline or double space would read back as one space.
        teletype.addTextToElement(paragraph, line)
        cell.addElement(paragraph)
    return cell


def _covered() -> CoveredTableCell:
    return CoveredTableCell()


def _spans(rows: int = 1, cols: int = 1) -> dict:
    spans = {}
    if rows > 1:
        spans["numberrowsspanned"] = str(rows)
    if cols > 1:
        spans["numbercolumnsspanned"] = str(cols)
    return spans


def _department_table(block: DepartmentBlock, st: _Styles) -> Table:
    table = Table(name=f"{block.name}", stylename=st.table)
    for col in st.columns:
        table.addElement(TableColumn(stylename=col))
    headers = TableHeaderRows()
    top = TableRow(stylename=st.header_row)
    top.addElement(_cell([HEADER_PLAN], st.cell_middle, st.cell_centre, **_spans(cols=3)))
    top.addElement(_covered())
    top.addElement(_covered())
    for text in (HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK):
        top.addElement(_cell([text], st.cell_middle, st.cell_centre, **_spans(rows=2)))
    second = TableRow(stylename=st.header_row)
    for text in (HEADER_CLASS, HEADER_SECTION, HEADER_ITEM):
        second.addElement(_cell([text], st.cell_middle, st.cell_centre))
    for _ in range(3):
        second.addElement(_covered())
    headers.addElement(top)
    headers.addElement(second)
    table.addElement(headers)

    plan = body_plan(block)
    for index, body in enumerate(plan):
        row = TableRow(stylename=st.row)
        if index == 0:
            row.addElement(_cell([block.label], st.cell_top, st.cell_centre, **_spans(rows=len(plan))))
        else:
            row.addElement(_covered())
        if body.section is not None:
            row.addElement(_cell([body.section.label], st.cell_top, st.cell_centre, **_spans(rows=body.section_span)))
        elif not block.sections:
            row.addElement(_cell([], st.cell_top, st.cell_centre))
        else:
            row.addElement(_covered())
        if body.item is not None:
            row.addElement(_cell([body.item.label], st.cell_top, st.cell_centre, **_spans(rows=body.item_span)))
        elif body.row is None and (body.section is not None or not block.sections):
            row.addElement(_cell([], st.cell_top, st.cell_centre))
        else:
            row.addElement(_covered())
        if body.row is not None:
            row.addElement(_cell(body.row.lines, st.cell_top, st.cell_text))
            row.addElement(_cell([completion_text(body.row.completion)], st.cell_middle, st.cell_centre))
            row.addElement(_cell(body.row.remark.split("\n") if body.row.remark else [], st.cell_top, st.cell_text))
        else:
            for style_cell, style_para in ((st.cell_top, st.cell_text), (st.cell_middle, st.cell_centre),
                                           (st.cell_top, st.cell_text)):
                row.addElement(_cell([], style_cell, style_para))
        table.addElement(row)
    return table


def _toc(lay: ReportLayout, plans: list[PagePlan], st: _Styles) -> TableOfContent:
    toc = TableOfContent(name="目錄", protected="true")
    source = TableOfContentSource(outlinelevel="1", useoutlinelevel="false", useindexmarks="true")
    title_template = IndexTitleTemplate(stylename=st.toc_title)
    title_template.addText(TOC_TITLE_SUFFIX)
    source.addElement(title_template)
    entry_template = TableOfContentEntryTemplate(outlinelevel="1", stylename=st.toc_entry)
    entry_template.addElement(IndexEntryText())
    entry_template.addElement(IndexEntryTabStop(type="right", leaderchar="."))
    entry_template.addElement(IndexEntryPageNumber())
    source.addElement(entry_template)
    toc.addElement(source)
    body = IndexBody()
    title = IndexTitle(name="目錄_Head")
    title.addElement(P(stylename=st.toc_title, text=TOC_TITLE_SUFFIX))
    body.addElement(title)
    for plan in plans:
        p = P(stylename=st.toc_entry, text=plan.block.toc_label)
        p.addElement(Tab())
        p.addText(str(plan.first_page))
        body.addElement(p)
    toc.addElement(body)
    return toc



@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while the DOM is built and saved.

    odfpy elements point to their parents, so every node is part of a cycle
    and each generation-2 collection walks the whole growing tree: at 20×
    the sample that made the export 30-odd times slower than at 1×, not 20.
    Everything built here stays alive until the file is written anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    with paused_gc():
        _write(report, path, departments, progress)


def _write(report: Report, path: Path, departments, progress) -> None:
    lay = layout(report, departments)
    doc = OpenDocumentText()
    st = _Styles(doc, lay)
    text = doc.text

    text.addElement(P(stylename=st.cover_title, text=lay.title))
    if lay.office:
        text.addElement(P(stylename=st.cover_line, text=lay.office))
    if lay.published:
        text.addElement(P(stylename=st.cover_line, text=lay.published))

    plans = page_plan(lay)
    text.addElement(_toc(lay, plans, st))

    total = len(plans) + 1
    for index, plan in enumerate(plans):
        if progress:
            progress((index + 1) / total)
        block = plan.block
        divider = P(stylename=st.divider_first if index == 0 else st.divider)
        divider.addElement(TocMark(stringvalue=block.toc_label, outlinelevel="1"))
        divider.addText(block.divider)
        text.addElement(divider)
        text.addElement(_department_table(block, st))
    doc.save(str(path))
    if progress:
        progress(1.0)
