"""The printed report as an ODF text document (.odt), written directly with odfpy.

A report in any other template is written by odt_template.py (:func:`write`
hands it over); the fonts, lengths and typography both use live in odfparts.py.

Not a conversion of the .docx: the document is built from :mod:`app.layout`
in ODF terms (docs/official-layout.md):

* a cover page (title, office, publication month) and a 目錄 page, both under
  the ``Cover`` master page, which has neither header nor footer;
* a real ``text:table-of-content`` fed by ``text:toc-mark`` index marks on the
  department dividers (so that LibreOffice's "Update index" rebuilds the same
  ``一、民政部門`` lines), whose ``text:index-body`` holds the cached entries
  with their page numbers behind a right tab stop with a dot leader;
* per department a divider paragraph (``民 政 部 門``, large, centred) and an
  empty paragraph for the divider's blank back, both under the
  ``Department`` master page (no header, no footer: neither is numbered nor
  counted), then the department table under the ``Body`` master page (the
  running header ``{office} {year} 年度工作總報告`` and the page number
  centred in the footer), and after an odd-ending table a counted blank page
  (an empty paragraph under ``Department``).  Every one of them states its
  page number (``style:page-number``, the table on its table style), chosen
  so that odd numbers stay on right-hand pages: LibreOffice has no reason to
  add a page of its own (docs/official-layout.md, page numbers);
* the table: two header rows in ``table:table-header-rows`` (repeated on
  every page), 類 / 項 / 目 cells spanning their rows with a
  ``table:covered-table-cell`` at every covered position, the table width on
  the table style (``style:width``, odfpy #145) as well as every column width;
  標楷體 is the Asian font and Times New Roman the western one (as in the
  .docx), both declared in ``office:font-face-decls``; collapsing borders, so
  that adjacent cells share one 0.5 pt line.

The pages are those of the .docx and of the program's PDF: the page numbers
of the 目錄 come from the one page model, :func:`app.pages.plan_report`, and
the document is set up the way LibreOffice sets our .docx (what its own .odt
of that .docx says), so that LibreOffice breaks lines and pages as the model
does: the page geometry of :data:`app.pages.GEOMETRY` (margins, header and
footer in the margin with dynamic spacing), exact line height, cell padding
left and right only, single 0.5 pt borders, header rows at least their lines
high, automatic CJK/Latin spacing, strict line breaking, and body rows that
may break across pages between two lines.  tests/test_export_odt.py renders
the sample with LibreOffice and checks every divider against the 目錄.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace,
    Footer,
    Header,
    MasterPage,
    PageLayout,
    ParagraphProperties,
    Style,
    TabStop,
    TabStops,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
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
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    TOC_TITLE_SUFFIX,
    ReportLayout,
    completion_text,
    layout,
)
from ..model import Report
from ..pages import GEOMETRY, DepartmentPlan, ReportPlan, plan_report
from .odfparts import BORDER, FONT, FONT_LATIN, _TYPOGRAPHY, _pt, _text_props, paused_gc
from .odfparts import page_layout as odf_page_layout

Progress = Callable[[float], None]
G = GEOMETRY

TABLE_W = sum(G.column_widths())  # points, the columns in whole twips as in the .docx
# The header/footer sit in the page margin as in Word: the page's own margin
# is the header distance, the header area fills the rest of the margin (its
# spacing shrinks if the header text needs more room: dynamic spacing).


def page_plan(lay: ReportLayout) -> ReportPlan:
    """The page model of :mod:`app.pages` — the same as the .docx and the PDF."""
    return plan_report(lay)


# ---------------------------------------------------------------------------
# Styles




class _Styles:
    def __init__(self, doc: OpenDocumentText, lay: ReportLayout, plan: ReportPlan) -> None:
        self.doc = doc
        doc.fontfacedecls.addElement(
            FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="script", fontpitch="variable")
        )
        doc.fontfacedecls.addElement(
            FontFace(name=FONT_LATIN, fontfamily=f"'{FONT_LATIN}'", fontfamilygeneric="roman", fontpitch="variable")
        )
        styles, auto = doc.styles, doc.automaticstyles

        def para(name: str, *, parent: str | None = None, auto_style: bool = False, size: float = G.font_size,
                 pprops: dict[str, str] | None = None, family: str = "paragraph", **kw: str) -> Style:
            args = {"name": name, "family": family}
            if parent:
                args["parentstylename"] = parent
            args.update(kw)
            style = Style(**args)
            props = dict(_TYPOGRAPHY, widows="0", orphans="0")
            props.update(pprops or {})
            style.addElement(ParagraphProperties(**props))
            style.addElement(_text_props(size))
            (auto if auto_style else styles).addElement(style)
            return style

        self.standard = para("Standard", pprops={"margintop": "0cm", "marginbottom": "0cm"})
        self.cover_title = para("Cover_Title", parent="Standard", size=G.title_size, auto_style=True,
                                masterpagename="Cover",
                                pprops={"textalign": "center", "margintop": "8cm", "marginbottom": "3cm"})
        self.cover_line = para("Cover_Line", parent="Standard", size=G.office_size,
                               pprops={"textalign": "center", "margintop": "0.6cm"})
        self.cover_published = para("Cover_Published", parent="Standard", size=G.published_size,
                                    pprops={"textalign": "center", "margintop": "1.5cm"})
        self.toc_title = para("Contents_Heading", parent="Standard", size=G.toc_title_size,
                              pprops={"textalign": "center", "breakbefore": "page", "marginbottom": "1cm"})
        toc_entry = Style(name="Contents_1", displayname="Contents 1", family="paragraph", parentstylename="Standard")
        toc_props = ParagraphProperties(margintop="0.3cm", marginbottom="0.3cm")
        tabs = TabStops()
        tabs.addElement(TabStop(position=_pt(TABLE_W), type="right", leaderstyle="dotted", leadertext="."))
        toc_props.addElement(tabs)
        toc_entry.addElement(toc_props)
        toc_entry.addElement(_text_props(G.toc_entry_size))
        styles.addElement(toc_entry)
        self.toc_entry = toc_entry
        # One divider, divider-back, table and blank-page style per department:
        # each carries the page number its page starts with.
        self.numbered: dict[tuple[str, int], Style] = {}
        for department in plan.departments:
            first = department.start_page
            self.numbered["divider", first] = para(
                f"Divider_{first}", parent="Standard", size=G.divider_size, auto_style=True,
                masterpagename="Department",
                pprops={"textalign": "center", "margintop": "10cm", "pagenumber": str(first)})
            self.numbered["back", first] = para(
                f"Divider_Back_{first}", parent="Standard", auto_style=True, masterpagename="Department",
                pprops={"pagenumber": str(first + 1)})
            self.numbered["blank", first] = para(
                f"Blank_{first}", parent="Standard", auto_style=True, masterpagename="Department",
                pprops={"pagenumber": str(department.end_page + 1)})
        # Table text: exact line pitch (one slot of the page model), no spacing.
        fixed = {"lineheight": _pt(G.line_height), "margintop": "0cm", "marginbottom": "0cm",
                 "marginleft": "0cm", "marginright": "0cm", "textindent": "0cm", "snaptolayoutgrid": "false"}
        self.cell_text = para("Table_Text", parent="Standard", pprops=dict(fixed, textalign="start"))
        self.cell_centre = para("Table_Centre", parent="Standard", pprops=dict(fixed, textalign="center"))
        self.header = para("Header", parent="Standard", size=G.running_header_size, pprops={"textalign": "center"})
        self.footer = para("Footer", parent="Standard", size=G.page_number_size, pprops={"textalign": "center"})

        for department in plan.departments:
            table = Style(name=f"Report_Table_{department.start_page}", family="table", masterpagename="Body")
            # Collapsing borders: two adjacent cells share one 0.5 pt line (as in
            # Word and the page model), where the separating model would draw
            # both and double every inner line.
            table.addElement(TableProperties(width=_pt(TABLE_W), align="center", breakbefore="page",
                                             maybreakbetweenrows="true", pagenumber=str(department.start_page),
                                             bordermodel="collapsing"))
            auto.addElement(table)
            self.numbered["table", department.start_page] = table
        self.columns = []
        for index, width in enumerate(G.column_widths(), start=1):
            col = Style(name=f"Report_Table.C{index}", family="table-column")
            col.addElement(TableColumnProperties(columnwidth=_pt(width)))
            auto.addElement(col)
            self.columns.append(col)
        # Body rows may break across pages, between two lines, as in the .docx.
        self.row = Style(name="Report_Table.R", family="table-row")
        self.row.addElement(TableRowProperties(keeptogether="auto"))
        auto.addElement(self.row)
        # Header rows: at least their lines high (LibreOffice sizes a repeated
        # header row without the cells merged into it from above otherwise).
        self.header_rows = []
        for n, slots in enumerate(plan.header_rows, start=1):
            style = Style(name=f"Report_Table.H{n}", family="table-row")
            style.addElement(TableRowProperties(keeptogether="always", minrowheight=_pt(slots * G.line_height)))
            auto.addElement(style)
            self.header_rows.append(style)

        def cell(name: str, valign: str) -> Style:
            style = Style(name=name, family="table-cell")
            padding = _pt(G.cell_padding)
            style.addElement(TableCellProperties(border=BORDER, paddingleft=padding, paddingright=padding,
                                                 paddingtop="0pt", paddingbottom="0pt", verticalalign=valign))
            auto.addElement(style)
            return style

        self.cell_top = cell("Report_Table.Top", "top")
        self.cell_middle = cell("Report_Table.Middle", "middle")
        self._pages(lay)

    def _pages(self, lay: ReportLayout) -> None:
        auto, masters = self.doc.automaticstyles, self.doc.masterstyles

        def page_layout(name: str, usage: str | None = None, header: bool = True) -> PageLayout:
            pl = odf_page_layout(name, width=G.width, height=G.height, margin=G.margin, header=header, usage=usage)
            auto.addElement(pl)
            return pl

        cover = page_layout("PL_Cover", header=False)
        body = page_layout("PL_Body")

        def with_header_footer(master: MasterPage, running_header: bool = True) -> None:
            # The divider pages carry no running header (as in the published
            # report and the .docx); the table pages do.
            if running_header:
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
        # Dividers, their backs and the counted blank pages: no header, no number.
        masters.addElement(MasterPage(name="Department", pagelayoutname=cover))
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


def _department_table(department: DepartmentPlan, st: _Styles) -> Table:
    block = department.block
    table = Table(name=f"{block.name}", stylename=st.numbered["table", department.start_page])
    for col in st.columns:
        table.addElement(TableColumn(stylename=col))
    headers = TableHeaderRows()
    top = TableRow(stylename=st.header_rows[0])
    top.addElement(_cell([HEADER_PLAN], st.cell_middle, st.cell_centre, **_spans(cols=3)))
    top.addElement(_covered())
    top.addElement(_covered())
    for text in (HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK):
        top.addElement(_cell([text], st.cell_middle, st.cell_centre, **_spans(rows=2)))
    second = TableRow(stylename=st.header_rows[1])
    for text in (HEADER_CLASS, HEADER_SECTION, HEADER_ITEM):
        second.addElement(_cell([text], st.cell_middle, st.cell_centre))
    for _ in range(3):
        second.addElement(_covered())
    headers.addElement(top)
    headers.addElement(second)
    table.addElement(headers)

    plan = department.body_rows
    for body in plan:
        row = TableRow(stylename=st.row)
        if body.first:
            row.addElement(_cell([block.label], st.cell_top, st.cell_centre, **_spans(rows=len(plan))))
        else:
            row.addElement(_covered())
        for label, span in ((body.section_label, body.section_span), (body.item_label, body.item_span)):
            if label is None:
                row.addElement(_covered())
            else:
                row.addElement(_cell([label] if label else [], st.cell_top, st.cell_centre, **_spans(rows=span)))
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


def _toc(plans: list[DepartmentPlan], st: _Styles, toc_title: str) -> TableOfContent:
    """The 目錄, titled as the published report: 「109 年度工作總報告目錄」."""
    toc = TableOfContent(name="目錄", protected="true")
    source = TableOfContentSource(outlinelevel="1", useoutlinelevel="false", useindexmarks="true")
    title_template = IndexTitleTemplate(stylename=st.toc_title)
    title_template.addText(toc_title)
    source.addElement(title_template)
    entry_template = TableOfContentEntryTemplate(outlinelevel="1", stylename=st.toc_entry)
    entry_template.addElement(IndexEntryText())
    entry_template.addElement(IndexEntryTabStop(type="right", leaderchar="."))
    entry_template.addElement(IndexEntryPageNumber())
    source.addElement(entry_template)
    toc.addElement(source)
    body = IndexBody()
    title = IndexTitle(name="目錄_Head")
    title.addElement(P(stylename=st.toc_title, text=toc_title))
    body.addElement(title)
    for plan in plans:
        p = P(stylename=st.toc_entry, text=plan.block.toc_label)
        p.addElement(Tab())
        p.addText(str(plan.start_page))
        body.addElement(p)
    toc.addElement(body)
    return toc





def write(report: Report, path: Path, *, departments: list[str] | None = None,
          progress: Progress | None = None) -> None:
    if not report.template.is_default:  # any other template: app/exporters/odt_template.py
        from .odt_template import write as write_template

        write_template(report, path, departments=departments, progress=progress)
        return
    with paused_gc():
        _write(report, path, departments, progress)


def _write(report: Report, path: Path, departments: list[str] | None, progress: Progress | None) -> None:
    lay = layout(report, departments)
    plan = page_plan(lay)
    doc = OpenDocumentText()
    st = _Styles(doc, lay, plan)
    text = doc.text

    text.addElement(P(stylename=st.cover_title, text=lay.title))
    if lay.office:
        text.addElement(P(stylename=st.cover_line, text=lay.office))
    if lay.published:
        text.addElement(P(stylename=st.cover_published, text=lay.published))

    text.addElement(_toc(plan.departments, st, f"{lay.title}{TOC_TITLE_SUFFIX}"))

    total = len(plan.departments) + 1
    for index, department in enumerate(plan.departments):
        if progress:
            progress((index + 1) / total)
        block = department.block
        divider = P(stylename=st.numbered["divider", department.start_page])
        divider.addElement(TocMark(stringvalue=block.toc_label, outlinelevel="1"))
        divider.addText(block.divider)
        text.addElement(divider)
        text.addElement(P(stylename=st.numbered["back", department.start_page]))
        text.addElement(_department_table(department, st))
        if department.blank_after and index + 1 < len(plan.departments):
            text.addElement(P(stylename=st.numbered["blank", department.start_page]))
    doc.save(str(path))
    if progress:
        progress(1.0)
