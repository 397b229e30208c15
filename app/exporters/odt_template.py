"""ODF text export (.odt) of a report in a non-default template (issue 19).

The default template keeps app/exporters/odt.py (calibrated to the published
109 report); its :func:`~app.exporters.odt.write` hands every other template
here.  The content is :mod:`app.exporters.template_layout`'s plan, the same as
the .docx's, written with odfpy in ODF terms:

* page layouts in the template's orientation (``style:print-orientation``,
  A4 landscape for the budget and KPI tables) with the default's margins;
  master pages ``Cover`` (no header, no number), ``Department`` (a divider
  page: none either) and ``Body`` (the running header, the page number centred
  in the footer, numbered from 1 where it first starts);
* the cover (title and cover lines, centred);
* ``table`` layout: one table — header rows in ``table:table-header-rows``
  (repeated on every page; a column group spans its columns, the other headings
  span both rows), column widths from the template, a paragraph style per
  alignment, a heading row spanning every column (壹、民政業務) and a column
  level's cell spanning its rows (策略績效目標), ``table:covered-table-cell``
  at every covered position;
* ``narrative`` layout: a 目錄 whose lines end in a ``text:bookmark-ref`` page
  reference to the heading (LibreOffice works the number out as it lays the
  pages), ``text:h`` headings of outline levels 1–3 in the styles
  Heading 1/2/3 (the navigator and an index see them), a divider page (spaced
  name) before a level with ``divider_page``, and a paragraph per entry line
  with the hanging indent of its numbered-text level.

Fonts as the default's: 標楷體 the Asian font, Times New Roman the western one,
zh-TW as the Asian language; the document's title and language in meta.xml.
"""
from __future__ import annotations

from pathlib import Path

from odf import dc, teletype
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
from odf.text import H, BookmarkRef, Bookmark, P, PageNumber, Tab

from ..model import Report
from ..pages import GEOMETRY
from .odfparts import BORDER, FONT, FONT_LATIN, _TYPOGRAPHY, _pt, _text_props, paused_gc
from .odfparts import page_layout as odf_page_layout
from .template_layout import (
    HEADING_SIZES,
    NARRATIVE_LINE,
    NARRATIVE_TEXT_SIZE,
    NarrativeHeading,
    NarrativeParagraph,
    PageSize,
    TablePlan,
    contents_entries,
    narrative_plan,
    page_size,
    table_plan,
    texts,
)

G = GEOMETRY
_ALIGN = {"left": "start", "center": "center", "right": "end"}


def _bookmark(n: int) -> str:
    return f"_Toc_heading_{n + 1}"


class _Styles:
    def __init__(self, doc: OpenDocumentText, page: PageSize, running_header: str) -> None:
        self.doc = doc
        self.page = page
        doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="script",
                                              fontpitch="variable"))
        doc.fontfacedecls.addElement(FontFace(name=FONT_LATIN, fontfamily=f"'{FONT_LATIN}'",
                                              fontfamilygeneric="roman", fontpitch="variable"))
        self._auto_count = 0
        self._indents: dict[tuple[float, float, float], Style] = {}
        self.standard = self.para("Standard", pprops={"margintop": "0cm", "marginbottom": "0cm"})
        self.cover_title = self.para("Cover_Title", parent="Standard", size=G.title_size, auto=True,
                                     masterpagename="Cover",
                                     pprops={"textalign": "center", "margintop": "5cm", "marginbottom": "2cm"})
        self.cover_line = self.para("Cover_Line", parent="Standard", size=G.office_size,
                                    pprops={"textalign": "center", "margintop": "0.6cm"})
        self.cover_published = self.para("Cover_Published", parent="Standard", size=G.published_size,
                                         pprops={"textalign": "center", "margintop": "1.5cm"})
        self.toc_title = self.para("Contents_Heading", parent="Standard", size=G.toc_title_size,
                                   pprops={"textalign": "center", "breakbefore": "page", "marginbottom": "1cm"})
        self.toc_lines = []
        for level in (1, 2):
            style = Style(name=f"Contents_{level}", displayname=f"Contents {level}", family="paragraph",
                          parentstylename="Standard")
            props = ParagraphProperties(margintop="0.15cm", marginbottom="0.15cm",
                                        marginleft=_pt((level - 1) * 2 * G.toc_entry_size))
            tabs = TabStops()
            tabs.addElement(TabStop(position=_pt(page.body_width - (level - 1) * 2 * G.toc_entry_size),
                                    type="right", leaderstyle="dotted", leadertext="."))
            props.addElement(tabs)
            style.addElement(props)
            style.addElement(_text_props(G.toc_entry_size))
            doc.styles.addElement(style)
            self.toc_lines.append(style)
        self.headings = []
        for level, size in enumerate(HEADING_SIZES, start=1):
            pprops = {"margintop": "0.42cm", "marginbottom": "0.21cm", "keepwithnext": "always"}
            if level == 1:
                pprops["textalign"] = "center"
            self.headings.append(self.para(f"Heading_20_{level}", displayname=f"Heading {level}", parent="Standard",
                                           size=size, bold=True, defaultoutlinelevel=str(level), pprops=pprops))
        self.report_text = self.para("Report_Text", parent="Standard", size=NARRATIVE_TEXT_SIZE,
                                     pprops={"lineheight": f"{round(NARRATIVE_LINE * 100)}%", "margintop": "0cm",
                                             "marginbottom": "0.1cm", "textalign": "justify"})
        self.divider = self.para("Divider", parent="Standard", size=G.divider_size,
                                 pprops={"textalign": "center", "margintop": "7cm"})
        fixed = {"lineheight": _pt(G.line_height), "margintop": "0cm", "marginbottom": "0cm", "marginleft": "0cm",
                 "marginright": "0cm", "textindent": "0cm", "snaptolayoutgrid": "false"}
        self.cell_text = {align: self.para(f"Table_{align.title()}", parent="Standard", pprops=dict(fixed, textalign=odf))
                          for align, odf in _ALIGN.items()}
        self.header = self.para("Header", parent="Standard", size=G.running_header_size, pprops={"textalign": "center"})
        self.footer = self.para("Footer", parent="Standard", size=G.page_number_size, pprops={"textalign": "center"})

        def cell(name: str, valign: str) -> Style:
            style = Style(name=name, family="table-cell")
            padding = _pt(G.cell_padding)
            style.addElement(TableCellProperties(border=BORDER, paddingleft=padding, paddingright=padding,
                                                 paddingtop="0pt", paddingbottom="0pt", verticalalign=valign))
            doc.automaticstyles.addElement(style)
            return style

        self.cell_top = cell("Report_Table.Top", "top")
        self.cell_middle = cell("Report_Table.Middle", "middle")
        self.row = Style(name="Report_Table.R", family="table-row")
        self.row.addElement(TableRowProperties(keeptogether="auto"))
        doc.automaticstyles.addElement(self.row)
        self.header_row = Style(name="Report_Table.H", family="table-row")
        self.header_row.addElement(TableRowProperties(keeptogether="always"))
        doc.automaticstyles.addElement(self.header_row)
        self._pages(running_header)

    def para(self, name: str, *, parent: str | None = None, auto: bool = False, size: float = G.font_size,
             pprops: dict[str, str] | None = None, bold: bool = False, **kw: str) -> Style:
        args = {"name": name, "family": "paragraph"}
        if parent:
            args["parentstylename"] = parent
        args.update(kw)
        style = Style(**args)
        props = dict(_TYPOGRAPHY, widows="2", orphans="2")
        props.update(pprops or {})
        style.addElement(ParagraphProperties(**props))
        extra = {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"} if bold else {}
        style.addElement(_text_props(size, **extra))
        (self.doc.automaticstyles if auto else self.doc.styles).addElement(style)
        return style

    def on_master(self, parent: Style, master: str, page_number: int | None = None) -> Style:
        """An automatic style of ``parent`` that starts a page of ``master`` (numbered from ``page_number``)."""
        self._auto_count += 1
        style = Style(name=f"P_Master_{self._auto_count}", family="paragraph", parentstylename=parent,
                      masterpagename=master)
        props = {"pagenumber": str(page_number)} if page_number is not None else {}
        style.addElement(ParagraphProperties(**props))
        self.doc.automaticstyles.addElement(style)
        return style

    def indent(self, block: NarrativeParagraph, master: str | None = None, page_number: int | None = None) -> Style:
        """The paragraph style of an entry's line: its hanging indent (one automatic style per
        indent; one of its own for a paragraph that starts a page of ``master``)."""
        key = (block.left, block.hanging, block.first_line)
        style = self._indents.get(key) if master is None else None
        if style is None:
            em = NARRATIVE_TEXT_SIZE
            first = block.first_line if not block.hanging else -block.hanging
            self._auto_count += 1
            kw = {"masterpagename": master} if master else {}
            style = Style(name=f"Report_Text_{self._auto_count}", family="paragraph",
                          parentstylename=self.report_text, **kw)
            props = {"marginleft": _pt(block.left * em), "textindent": _pt(first * em)}
            if page_number is not None:
                props["pagenumber"] = str(page_number)
            style.addElement(ParagraphProperties(**props))
            self.doc.automaticstyles.addElement(style)
            if master is None:
                self._indents[key] = style
        return style

    def _pages(self, running_header: str) -> None:
        auto, masters, page = self.doc.automaticstyles, self.doc.masterstyles, self.page

        def page_layout(name: str, header: bool) -> PageLayout:
            pl = odf_page_layout(name, width=page.width, height=page.height, margin=page.margin,
                                 landscape=page.landscape, header=header)
            auto.addElement(pl)
            return pl

        cover = page_layout("PL_Cover", header=False)
        body = page_layout("PL_Body", header=True)
        masters.addElement(MasterPage(name="Standard", pagelayoutname=cover))
        masters.addElement(MasterPage(name="Cover", pagelayoutname=cover))
        masters.addElement(MasterPage(name="Department", pagelayoutname=cover))
        body_master = MasterPage(name="Body", pagelayoutname=body)
        header = Header()
        header.addElement(P(stylename=self.header, text=running_header))
        body_master.addElement(header)
        footer = Footer()
        number = P(stylename=self.footer)
        number.addElement(PageNumber(selectpage="current", text="1"))
        footer.addElement(number)
        body_master.addElement(footer)
        masters.addElement(body_master)


def _cell(lines: list[str], style_cell: Style, style_para: Style, rows: int = 1, cols: int = 1) -> TableCell:
    spans = {}
    if rows > 1:
        spans["numberrowsspanned"] = str(rows)
    if cols > 1:
        spans["numbercolumnsspanned"] = str(cols)
    cell = TableCell(stylename=style_cell, valuetype="string", **spans)
    for line in lines or [""]:
        paragraph = P(stylename=style_para)
        teletype.addTextToElement(paragraph, line)
        cell.addElement(paragraph)
    return cell


def _table(plan: TablePlan, st: _Styles) -> Table:
    width = st.page.body_width
    table_style = Style(name="Report_Table", family="table", masterpagename="Body")
    table_style.addElement(TableProperties(width=_pt(width), align="center", breakbefore="page",
                                           maybreakbetweenrows="true", pagenumber="1", bordermodel="collapsing"))
    st.doc.automaticstyles.addElement(table_style)
    table = Table(name="報告", stylename=table_style)
    for index, share in enumerate(plan.widths, start=1):
        col = Style(name=f"Report_Table.C{index}", family="table-column")
        col.addElement(TableColumnProperties(columnwidth=_pt(share * width)))
        st.doc.automaticstyles.addElement(col)
        table.addElement(TableColumn(stylename=col))
    count = len(plan.widths)
    centre = st.cell_text["center"]
    header_rows = TableHeaderRows()
    for header in plan.header_rows:
        row = TableRow(stylename=st.header_row)
        at = {cell.column: cell for cell in header}
        column = 0
        while column < count:
            cell = at.get(column)
            if cell is None:
                row.addElement(CoveredTableCell())
                column += 1
                continue
            row.addElement(_cell(cell.text.split("\n"), st.cell_middle, centre,
                                 rows=cell.rows if len(plan.header_rows) > 1 else 1, cols=cell.span))
            for _ in range(cell.span - 1):
                row.addElement(CoveredTableCell())
            column += cell.span
        header_rows.addElement(row)
    table.addElement(header_rows)
    for plan_row in plan.rows:
        row = TableRow(stylename=st.row)
        if plan_row.heading:
            row.addElement(_cell([plan_row.cells[0].text], st.cell_top, st.cell_text["left"], cols=count))
            for _ in range(count - 1):
                row.addElement(CoveredTableCell())
        else:
            for body in plan_row.cells:
                if body.rows == 0:
                    row.addElement(CoveredTableCell())
                else:
                    row.addElement(_cell(body.text.split("\n") if body.text else [], st.cell_top,
                                         st.cell_text.get(body.align, st.cell_text["left"]), rows=body.rows))
        table.addElement(row)
    return table


def write(report: Report, path: Path, *, departments: list[str] | None = None, progress=None) -> None:
    with paused_gc():
        _write(report, path, departments, progress)


def _write(report: Report, path: Path, departments: list[str] | None, progress) -> None:
    template = report.template
    page = page_size(template)
    words = texts(report)
    doc = OpenDocumentText()
    doc.meta.addElement(dc.Title(text=words.running_header or words.title))
    doc.meta.addElement(dc.Subject(text=words.title))
    doc.meta.addElement(dc.Language(text="zh-TW"))
    if words.office:
        doc.meta.addElement(dc.Creator(text=words.office))
    st = _Styles(doc, page, words.running_header)
    text = doc.text
    text.addElement(P(stylename=st.cover_title, text=words.title))
    for n, line in enumerate(words.cover_lines):
        text.addElement(P(stylename=st.cover_line if n == 0 else st.cover_published, text=line))
    if progress:
        progress(0.1)
    if template.layout == "narrative":
        plan = narrative_plan(report, departments)
        text.addElement(P(stylename=st.toc_title, text=words.contents_title))
        for n, heading in contents_entries(plan):
            line = P(stylename=st.toc_lines[min(heading.depth, 1)])
            teletype.addTextToElement(line, heading.text)
            line.addElement(Tab())
            line.addElement(BookmarkRef(referenceformat="page", refname=_bookmark(n), text=""))
            text.addElement(line)
        number: int | None = 1
        on_body = False
        for n, block in enumerate(plan):
            if isinstance(block, NarrativeHeading):
                if block.divider:
                    text.addElement(P(stylename=st.on_master(st.divider, "Department", number), text=block.divider))
                    number, on_body = None, False
                level = min(block.depth, len(st.headings) - 1)
                style = st.headings[level] if on_body else st.on_master(st.headings[level], "Body", number)
                heading = H(outlinelevel=str(level + 1), stylename=style)
                heading.addElement(Bookmark(name=_bookmark(n)))
                teletype.addTextToElement(heading, block.text)
                text.addElement(heading)
                number, on_body = None, True
            else:
                if on_body:
                    style = st.indent(block)
                else:
                    style = st.indent(block, "Body", number)
                    number, on_body = None, True
                paragraph = P(stylename=style)
                teletype.addTextToElement(paragraph, block.text)
                text.addElement(paragraph)
    else:
        text.addElement(_table(table_plan(report, departments), st))
    if progress:
        progress(0.8)
    doc.save(str(path))
    if progress:
        progress(1.0)
