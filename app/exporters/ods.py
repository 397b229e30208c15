"""The official table as an ODF spreadsheet (.ods), written with odfpy.

The same workbook as :mod:`app.exporters.xlsx` — a 目錄 sheet and one sheet
per department with title rows, the two header rows, merged 類/項/目 cells,
wrapped text, thin borders, computed row heights, rows past 409 pt
continued and explicit page breaks (the same
:func:`~app.exporters.xlsx.sheet_plan` over :func:`~app.layout.body_plan`), A4 portrait scaled to one page
wide; per sheet a master page: the 目錄 without header/footer, each
department with the running header and the footer ``第 N 頁`` in 標楷體,
numbered on from the sheet before (``style:first-page-number``).  A
continued 辦理情形 cell uses an automatic style whose parent is the common
style ``Continued`` (display name 續行); the importer looks for it.

Why odfpy: it is mature (the reference ODF toolkit for Python since 2006),
already a dependency of the project (the .odt export uses it too), and low
level enough to write exactly what the layout needs — ``table:covered-table-cell``
for every position hidden by a merge, ``table:table-header-rows`` for the
rows repeated on every printed page, ``style:font-name-asian`` beside
``style:font-name``.  Higher-level libraries (odfdo, pyexcel-ods) either hide
covered cells or would add a dependency for no gain.

Invariants:

* every text is an ``office:value-type="string"`` cell holding ``text:p``
  paragraphs (one per line); no cell ever gets a ``table:formula``, so a
  text beginning with ``=`` ``+`` ``-`` ``@`` is shown as typed and never
  evaluated;
* 完成程度 is ``office:value-type="percentage"`` with ``office:value`` the
  fraction (``1`` for 100%) and a ``0%`` data style — the ODF twin of the
  .xlsx number;
* a merged range is its first cell with ``table:number-rows-spanned`` /
  ``table:number-columns-spanned`` and a ``table:covered-table-cell`` (with
  the bordered style) at every other position of the range.
"""
from __future__ import annotations

from pathlib import Path

from odf import number
from odf.opendocument import OpenDocumentSpreadsheet
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
    RegionCenter,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import A, P, PageNumber

from ..layout import (
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    DepartmentBlock,
    ReportLayout,
    completion_text,
    layout,
)
from ..model import Report
from .odt import paused_gc
from .sheet_base import BORDER, PT_CM, cm as _cm, text_cell as _text_cell
from .xlsx import (
    CAPACITIES,
    COLUMN_WIDTHS_CM,
    CONTINUED_STYLE,
    FONT_NAME,
    FONT_PT,
    LINE_PT,
    ROW_PADDING_PT,
    TITLE_PT,
    TOC_SHEET,
    TOC_WIDTHS_CM,
    class_label,
    label_ranges,
    line_count,
    open_edges,
    page_count,
    sheet_names,
    sheet_plan,
    title_row_pt,
    toc_title,
)

CONTINUED_ODS_STYLE = "Continued"  # style:display-name 續行


def _border_props(top_open: bool = False, bottom_open: bool = False) -> dict:
    if not (top_open or bottom_open):
        return {"border": BORDER}
    return {"borderleft": BORDER, "borderright": BORDER,
            "bordertop": "none" if top_open else BORDER, "borderbottom": "none" if bottom_open else BORDER}


class _Styles:
    """Every style of the workbook, made once; row styles are shared by height."""

    def __init__(self, doc: OpenDocumentSpreadsheet) -> None:
        self.doc = doc
        doc.fontfacedecls.addElement(
            FontFace(name=FONT_NAME, fontfamily=FONT_NAME, fontfamilygeneric="script", fontpitch="variable")
        )
        auto = doc.automaticstyles

        percent = number.PercentageStyle(name="N_percent")
        percent.addElement(number.Number(decimalplaces="0", minintegerdigits="1"))
        percent.addElement(number.Text(text="%"))
        auto.addElement(percent)

        # The named style of a 辦理情形 cell continuing the row above (see
        # app.exporters.xlsx.CONTINUED_STYLE); the cells use automatic styles
        # derived from it, as LibreOffice itself writes them.
        continued = Style(name=CONTINUED_ODS_STYLE, displayname=CONTINUED_STYLE, family="table-cell")
        doc.styles.addElement(continued)
        self._auto = auto
        self._cells: dict[tuple, Style] = {}

        self.title = self.cell("ce_title", align="center", valign="middle", size=TITLE_PT, border=False)
        self.header = self.cell("ce_header", align="center", valign="middle")
        self.klass = self.cell("ce_class", align="center", valign="top")
        self.label = self.cell("ce_label", align="center", valign="top")
        self.text = self.cell("ce_text")
        self.percent = self.cell("ce_percent", align="center", valign="middle", data="N_percent")
        self.plain = self.cell("ce_plain", align="start", valign="middle", border=False)
        self.number = self.cell("ce_number", align="end", valign="middle", border=False)

        self.columns: dict[float, Style] = {}
        self.rows: dict[tuple[float, bool], Style] = {}
        self.tables: dict[str, Style] = {}
        self._fonts()

    def cell(self, name, *, align="start", valign="top", size=FONT_PT, border=True, data=None,
             edges=(False, False), parent=None) -> Style:
        key = (name, edges, parent)
        if key in self._cells:
            return self._cells[key]
        kwargs = {"name": name if key == (name, (False, False), None) else f"{name}_{len(self._cells)}",
                  "family": "table-cell"}
        if data:
            kwargs["datastylename"] = data
        if parent:
            kwargs["parentstylename"] = parent
        style = Style(**kwargs)
        props = {"wrapoption": "wrap", "verticalalign": valign, "padding": "0.1cm"}
        if border:
            props.update(_border_props(*edges))
        style.addElement(TableCellProperties(**props))
        style.addElement(ParagraphProperties(textalign=align))
        style.addElement(
            TextProperties(fontname=FONT_NAME, fontnameasian=FONT_NAME, fontsize=f"{size}pt", fontsizeasian=f"{size}pt")
        )
        self._auto.addElement(style)
        self._cells[key] = style
        return style

    def text_cell_style(self, edges, continued: bool) -> Style:
        return self.cell("ce_text", edges=edges, parent=CONTINUED_ODS_STYLE if continued else None)

    def percent_style(self, edges) -> Style:
        return self.cell("ce_percent", align="center", valign="middle", data="N_percent", edges=edges)

    def column(self, width_cm: float) -> Style:
        key = round(width_cm, 3)
        if key not in self.columns:
            style = Style(name=f"co{len(self.columns) + 1}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=_cm(key), breakbefore="auto"))
            self.doc.automaticstyles.addElement(style)
            self.columns[key] = style
        return self.columns[key]

    def row(self, height_pt: float, page_break: bool = False) -> Style:
        key = (round(height_pt * PT_CM, 2), page_break)
        if key not in self.rows:
            style = Style(name=f"ro{len(self.rows) + 1}", family="table-row")
            style.addElement(TableRowProperties(rowheight=_cm(key[0]), useoptimalrowheight="false",
                                                breakbefore="page" if page_break else "auto"))
            self.doc.automaticstyles.addElement(style)
            self.rows[key] = style
        return self.rows[key]

    def _fonts(self) -> None:
        # Header and footer paragraphs in 標楷體 like the table (Calc's default would be Liberation Sans).
        self.header_paragraph = Style(name="MP_kai", family="paragraph")
        self.header_paragraph.addElement(ParagraphProperties(textalign="center"))
        self.header_paragraph.addElement(TextProperties(
            fontname=FONT_NAME, fontnameasian=FONT_NAME, fontnamecomplex=FONT_NAME,
            fontsize=f"{FONT_PT}pt", fontsizeasian=f"{FONT_PT}pt"))
        self.doc.automaticstyles.addElement(self.header_paragraph)

    def table_style(self, running_header: str, first_page: int | None) -> Style:
        """A table style with its own master page: the 目錄 without header/footer,
        each department with the running header, the page footer and its first page number."""
        key = f"{first_page}"
        if key in self.tables:
            return self.tables[key]
        n = len(self.tables) + 1
        layout_style = PageLayout(name=f"pm{n}")
        props = {"pagewidth": "21cm", "pageheight": "29.7cm", "printorientation": "portrait",
                 "margintop": "1.5cm", "marginbottom": "1.5cm", "marginleft": "1.5cm", "marginright": "1.5cm",
                 "scaletox": "1", "scaletoy": "0"}
        if first_page is not None:
            props["firstpagenumber"] = str(first_page)
        layout_style.addElement(PageLayoutProperties(**props))
        master = MasterPage(name=f"Sheet{n}" if first_page is not None else "TOC", pagelayoutname=layout_style)
        if first_page is not None:
            # Without header/footer styles LibreOffice Calc leaves both switched off.
            header_style = HeaderStyle()
            header_style.addElement(HeaderFooterProperties(minheight="0.6cm", marginbottom="0.25cm"))
            layout_style.addElement(header_style)
            footer_style = FooterStyle()
            footer_style.addElement(HeaderFooterProperties(minheight="0.6cm", margintop="0.25cm"))
            layout_style.addElement(footer_style)
            header = Header()
            region = RegionCenter()
            region.addElement(P(text=running_header, stylename=self.header_paragraph))
            header.addElement(region)
            master.addElement(header)
            footer = Footer()
            region = RegionCenter()
            p = P(text="第 ", stylename=self.header_paragraph)
            p.addElement(PageNumber(text=str(first_page)))
            p.addText(" 頁")
            region.addElement(p)
            footer.addElement(region)
            master.addElement(footer)
        else:
            layout_style.addElement(HeaderStyle())
            layout_style.addElement(FooterStyle())
        self.doc.automaticstyles.addElement(layout_style)
        self.doc.masterstyles.addElement(master)
        style = Style(name=f"ta{n}", family="table", masterpagename=master)
        style.addElement(TableProperties(display="true", writingmode="lr-tb"))
        self.doc.automaticstyles.addElement(style)
        self.tables[key] = style
        return style


def _percent_cell(completion: int | None, style: Style) -> TableCell:
    if completion is None:
        return TableCell(stylename=style)
    cell = TableCell(valuetype="percentage", value=str(completion / 100), stylename=style)
    cell.addElement(P(text=completion_text(completion)))
    return cell


def _spans(rows: int = 1, cols: int = 1) -> dict:
    spans = {}
    if rows > 1:
        spans["numberrowsspanned"] = str(rows)
    if cols > 1:
        spans["numbercolumnsspanned"] = str(cols)
    return spans


def _title_row(table, text: str, st: _Styles, columns: int) -> None:
    row = TableRow(stylename=st.row(title_row_pt()))
    row.addElement(_text_cell(text, st.title, **_spans(cols=columns)))
    for _ in range(columns - 1):
        row.addElement(CoveredTableCell(stylename=st.title))
    table.addElement(row)


def _department_table(block: DepartmentBlock, name: str, lay: ReportLayout, st: _Styles,
                      first_page: int = 1) -> tuple[Table, int]:
    """The department's sheet and its number of printed pages."""
    table = Table(name=name, stylename=st.table_style(lay.running_header, first_page))
    for width in COLUMN_WIDTHS_CM:
        table.addElement(TableColumn(stylename=st.column(width), defaultcellstylename=st.text))
    _title_row(table, block.label, st, 6)  # one title: the report title is the running header

    header_lines = max(line_count(HEADER_COMPLETION, CAPACITIES[4]), 2)
    header_height = st.row(LINE_PT * header_lines / 2 + ROW_PADDING_PT)
    headers = TableHeaderRows()
    top = TableRow(stylename=header_height)
    top.addElement(_text_cell(HEADER_PLAN, st.header, **_spans(cols=3)))
    top.addElement(CoveredTableCell(stylename=st.header))
    top.addElement(CoveredTableCell(stylename=st.header))
    for text in (HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK):
        top.addElement(_text_cell(text, st.header, **_spans(rows=2)))
    second = TableRow(stylename=header_height)
    for text in (HEADER_CLASS, HEADER_SECTION, HEADER_ITEM):
        second.addElement(_text_cell(text, st.header))
    for _ in range(3):
        second.addElement(CoveredTableCell(stylename=st.header))
    headers.addElement(top)
    headers.addElement(second)
    table.addElement(headers)

    rows = sheet_plan(block)
    starts: dict[tuple[int, int], tuple[int, str]] = {}
    covered: set[tuple[int, int]] = set()
    for col, first, last, text in label_ranges(rows):
        starts[(first, col)] = (last - first + 1, class_label(block) if text == "class" else text)
        covered.update((r, col) for r in range(first + 1, last + 1))
    for index, sheet_row in enumerate(rows):
        page_break = index > 0 and rows[index - 1].page != sheet_row.page
        row = TableRow(stylename=st.row(sheet_row.height_pt, page_break))
        for col in range(3):
            style = st.klass if col == 0 else st.label
            if (index, col) in starts:
                span, text = starts[(index, col)]
                row.addElement(_text_cell(text, style, **_spans(rows=span)))
            elif (index, col) in covered:
                row.addElement(CoveredTableCell(stylename=style))
            else:
                row.addElement(TableCell(stylename=style))  # an empty 項 (no 目) or department
        edges = open_edges(rows, index)
        body = sheet_row.body.row
        text_style = st.text_cell_style(edges, sheet_row.continued)
        plain_style = st.text_cell_style(edges, False)
        if body is not None:
            row.addElement(_text_cell(sheet_row.text, text_style))
            if sheet_row.continued:
                row.addElement(TableCell(stylename=st.percent_style(edges)))
                row.addElement(TableCell(stylename=plain_style))
            else:
                row.addElement(_percent_cell(body.completion, st.percent_style(edges)))
                row.addElement(_text_cell(body.remark, plain_style))
        else:
            row.addElement(TableCell(stylename=st.text))
            row.addElement(TableCell(stylename=st.percent))
            row.addElement(TableCell(stylename=st.text))
        table.addElement(row)
    return table, page_count(rows)


def _toc_table(lay: ReportLayout, names: list[str], pages: list[int], st: _Styles) -> Table:
    """The cover lines and the 目錄: per department its line (a link to its sheet) and first page."""
    table = Table(name=TOC_SHEET, stylename=st.table_style("", None))
    for width in TOC_WIDTHS_CM:
        table.addElement(TableColumn(stylename=st.column(width)))
    columns = len(TOC_WIDTHS_CM)
    for text in (lay.office, lay.title, lay.published):
        _title_row(table, text, st, columns)
    table.addElement(TableRow(stylename=st.row(title_row_pt())))
    _title_row(table, toc_title(lay), st, columns)
    for block, name, page in zip(lay.departments, names, pages):
        row = TableRow(stylename=st.row(LINE_PT * 1.5))
        link_cell = TableCell(valuetype="string", stylename=st.plain)
        p = P()
        p.addElement(A(href=f"#{name}", type="simple", text=block.toc_label))
        link_cell.addElement(p)
        row.addElement(link_cell)
        cell = TableCell(valuetype="float", value=str(page), stylename=st.number)
        cell.addElement(P(text=str(page)))
        row.addElement(cell)
        table.addElement(row)
    return table


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    if not report.template.is_default:  # any other template: one sheet laid out by the template
        from .ods_template import write as write_template

        write_template(report, path, departments=departments, progress=progress)
        return
    with paused_gc():
        _write(report, path, departments, progress)


def _write(report: Report, path: Path, departments, progress) -> None:
    lay = layout(report, departments)
    doc = OpenDocumentSpreadsheet()
    st = _Styles(doc)
    names = sheet_names([block.name for block in lay.departments])
    total = len(lay.departments) + 1
    tables, pages = [], []
    next_page = 1
    for index, (block, name) in enumerate(zip(lay.departments, names), start=1):
        if progress:
            progress(index / total)
        table, count = _department_table(block, name, lay, st, next_page)
        tables.append(table)
        pages.append(next_page)
        next_page += count
    doc.spreadsheet.addElement(_toc_table(lay, names, pages, st))
    for table in tables:
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    if progress:
        progress(1.0)
