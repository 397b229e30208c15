"""The official table as an ODF spreadsheet (.ods), written with odfpy.

The same workbook as :mod:`app.exporters.xlsx` — a 目錄 sheet and one sheet
per department with title rows, the two header rows, merged 類/項/目 cells,
wrapped text, thin borders, computed row heights (the same
:func:`~app.layout.body_plan` and
:func:`~app.exporters.xlsx.body_line_counts`), A4 portrait scaled to one page
wide, footer ``第 N 頁，共 M 頁``.

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
from odf import teletype
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
from odf.text import A, P, PageCount, PageNumber

from ..layout import (
    body_plan,
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
from .xlsx import (
    CAPACITIES,
    COLUMN_WIDTHS_CM,
    FONT_NAME,
    FONT_PT,
    LINE_PT,
    ROW_PADDING_PT,
    TITLE_PT,
    TOC_SHEET,
    body_line_counts,
    line_count,
    sheet_names,
)

BORDER = "0.5pt solid #000000"
PT_CM = 2.54 / 72


def _cm(value: float) -> str:
    return f"{value:.3f}cm"


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

        def cell_style(name, *, align="start", valign="top", size=FONT_PT, border=True, ttb=False, data=None):
            kwargs = {"name": name, "family": "table-cell"}
            if data:
                kwargs["datastylename"] = data
            style = Style(**kwargs)
            props = {"wrapoption": "wrap", "verticalalign": valign, "padding": "0.1cm"}
            if border:
                props["border"] = BORDER
            if ttb:
                props["direction"] = "ttb"
            style.addElement(TableCellProperties(**props))
            style.addElement(ParagraphProperties(textalign=align))
            style.addElement(
                TextProperties(fontname=FONT_NAME, fontnameasian=FONT_NAME, fontsize=f"{size}pt", fontsizeasian=f"{size}pt")
            )
            auto.addElement(style)
            return style

        self.title = cell_style("ce_title", align="center", valign="middle", size=TITLE_PT, border=False)
        self.header = cell_style("ce_header", align="center", valign="middle")
        self.klass = cell_style("ce_class", align="center", valign="top", ttb=True)
        self.label = cell_style("ce_label", align="center", valign="top")
        self.text = cell_style("ce_text")
        self.percent = cell_style("ce_percent", align="center", valign="middle", data="N_percent")
        self.plain = cell_style("ce_plain", align="start", valign="middle")
        self.centre = cell_style("ce_centre", align="center", valign="middle")

        self.table = Style(name="ta1", family="table", masterpagename="Default")
        self.table.addElement(TableProperties(display="true", writingmode="lr-tb"))
        auto.addElement(self.table)

        self.columns: dict[float, Style] = {}
        self.rows: dict[float, Style] = {}
        self._page_setup()

    def column(self, width_cm: float) -> Style:
        key = round(width_cm, 3)
        if key not in self.columns:
            style = Style(name=f"co{len(self.columns) + 1}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=_cm(key), breakbefore="auto"))
            self.doc.automaticstyles.addElement(style)
            self.columns[key] = style
        return self.columns[key]

    def row(self, height_pt: float) -> Style:
        key = round(height_pt * PT_CM, 2)
        if key not in self.rows:
            style = Style(name=f"ro{len(self.rows) + 1}", family="table-row")
            style.addElement(TableRowProperties(rowheight=_cm(key), useoptimalrowheight="false", breakbefore="auto"))
            self.doc.automaticstyles.addElement(style)
            self.rows[key] = style
        return self.rows[key]

    def _page_setup(self) -> None:
        layout_style = PageLayout(name="pm1")
        props = PageLayoutProperties(
            pagewidth="21cm", pageheight="29.7cm", printorientation="portrait",
            margintop="1.5cm", marginbottom="1.5cm", marginleft="1.5cm", marginright="1.5cm",
            scaletox="1", scaletoy="0",
        )
        layout_style.addElement(props)
        # Without header/footer styles LibreOffice Calc leaves both switched off.
        header_style = HeaderStyle()
        header_style.addElement(HeaderFooterProperties(minheight="0.6cm", marginbottom="0.25cm"))
        layout_style.addElement(header_style)
        footer_style = FooterStyle()
        footer_style.addElement(HeaderFooterProperties(minheight="0.6cm", margintop="0.25cm"))
        layout_style.addElement(footer_style)
        self.doc.automaticstyles.addElement(layout_style)
        self.master = MasterPage(name="Default", pagelayoutname=layout_style)
        self.doc.masterstyles.addElement(self.master)

    def set_header_footer(self, running_header: str) -> None:
        header = Header()
        region = RegionCenter()
        region.addElement(P(text=running_header))
        header.addElement(region)
        self.master.addElement(header)
        footer = Footer()
        region = RegionCenter()
        p = P(text="第 ")
        p.addElement(PageNumber(text="1"))
        p.addText(" 頁，共 ")
        p.addElement(PageCount(text="1"))
        p.addText(" 頁")
        region.addElement(p)
        footer.addElement(region)
        self.master.addElement(footer)


def _text_cell(text: str, style: Style, **spans) -> TableCell:
    """A string cell: ``office:value-type="string"``, one ``text:p`` per line, never a formula."""
    cell = TableCell(valuetype="string", stylename=style, **spans)
    if text:
        for line in text.split("\n"):
            paragraph = P()
            teletype.addTextToElement(paragraph, line)  # runs of spaces as text:s
            cell.addElement(paragraph)
    return cell


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
    row = TableRow(stylename=st.row(LINE_PT * TITLE_PT / FONT_PT + ROW_PADDING_PT))
    row.addElement(_text_cell(text, st.title, **_spans(cols=columns)))
    for _ in range(columns - 1):
        row.addElement(CoveredTableCell(stylename=st.title))
    table.addElement(row)


def _department_table(block: DepartmentBlock, name: str, lay: ReportLayout, st: _Styles) -> Table:
    table = Table(name=name, stylename=st.table)
    for width in COLUMN_WIDTHS_CM:
        table.addElement(TableColumn(stylename=st.column(width), defaultcellstylename=st.text))
    _title_row(table, lay.running_header, st, 6)
    _title_row(table, block.label, st, 6)

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

    plan = body_plan(block)
    heights = body_line_counts(block, plan)
    for index, (body, lines) in enumerate(zip(plan, heights)):
        row = TableRow(stylename=st.row(LINE_PT * lines + ROW_PADDING_PT))
        if index == 0:
            row.addElement(_text_cell(block.label, st.klass, **_spans(rows=len(plan))))
        else:
            row.addElement(CoveredTableCell(stylename=st.klass))
        if body.section is not None:
            row.addElement(_text_cell(body.section.label, st.label, **_spans(rows=body.section_span)))
        elif not block.sections:  # a department without any 項: one empty row
            row.addElement(TableCell(stylename=st.label))
        else:
            row.addElement(CoveredTableCell(stylename=st.label))
        if body.item is not None:
            row.addElement(_text_cell(body.item.label, st.label, **_spans(rows=body.item_span)))
        elif body.row is None and (body.section is not None or not block.sections):
            row.addElement(TableCell(stylename=st.label))  # an empty 項: no 目 under it
        else:
            row.addElement(CoveredTableCell(stylename=st.label))
        if body.row is not None:
            row.addElement(_text_cell(body.row.text, st.text))
            row.addElement(_percent_cell(body.row.completion, st.percent))
            row.addElement(_text_cell(body.row.remark, st.text))
        else:
            row.addElement(TableCell(stylename=st.text))
            row.addElement(TableCell(stylename=st.percent))
            row.addElement(TableCell(stylename=st.text))
        table.addElement(row)
    return table


def _toc_table(lay: ReportLayout, names: list[str], st: _Styles) -> Table:
    table = Table(name=TOC_SHEET, stylename=st.table)
    widths = (3.0, 6.0, 2.2, 2.2, 3.0)
    for width in widths:
        table.addElement(TableColumn(stylename=st.column(width)))
    for text in (lay.office, lay.title, lay.published):
        _title_row(table, text, st, len(widths))
    table.addElement(TableRow(stylename=st.row(LINE_PT + ROW_PADDING_PT)))
    headers = TableHeaderRows()
    head = TableRow(stylename=st.row(LINE_PT + ROW_PADDING_PT))
    for text in ("類", "部門（工作表）", "項數", "目數", "辦理情形筆數"):
        head.addElement(_text_cell(text, st.centre))
    headers.addElement(head)
    table.addElement(headers)
    for block, name in zip(lay.departments, names):
        row = TableRow(stylename=st.row(LINE_PT + ROW_PADDING_PT))
        row.addElement(_text_cell(block.number.rstrip("、"), st.centre))
        link_cell = TableCell(valuetype="string", stylename=st.plain)
        p = P()
        p.addElement(A(href=f"#{name}", type="simple", text=block.name))
        link_cell.addElement(p)
        row.addElement(link_cell)
        counts = (
            len(block.sections),
            sum(len(s.items) for s in block.sections),
            sum(len(r.entries) for s in block.sections for i in s.items for r in i.rows),
        )
        for count in counts:
            cell = TableCell(valuetype="float", value=str(count), stylename=st.centre)
            cell.addElement(P(text=str(count)))
            row.addElement(cell)
        table.addElement(row)
    return table


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    with paused_gc():
        _write(report, path, departments, progress)


def _write(report: Report, path: Path, departments, progress) -> None:
    lay = layout(report, departments)
    doc = OpenDocumentSpreadsheet()
    st = _Styles(doc)
    st.set_header_footer(lay.running_header)
    names = sheet_names([block.name for block in lay.departments])
    doc.spreadsheet.addElement(_toc_table(lay, names, st))
    total = len(lay.departments) + 1
    for index, (block, name) in enumerate(zip(lay.departments, names), start=1):
        if progress:
            progress(index / total)
        doc.spreadsheet.addElement(_department_table(block, name, lay, st))
    doc.save(str(path))
    if progress:
        progress(1.0)
