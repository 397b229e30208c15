"""A report of a non-default template as an .ods spreadsheet (odfpy): the one sheet of
:func:`app.exporters.sheet_template.plan_sheet`, the ODF twin of
:mod:`app.exporters.xlsx_template` (see sheet_template for the layout).

Value types: money ``office:value-type="currency"`` (``office:currency="TWD"``, a
currency style with thousands separators and no symbol: 3,500,000), an integer or a
serial ``float`` (``0``), a percent ``percentage`` with the fraction (``0%`` / ``0.0%``),
a date ``date`` whose style numbers the year in the ROC calendar
(``number:calendar="ROC"``: 110年3月5日); every text is a ``string`` cell of ``text:p``
paragraphs.  A computed column is the only ``table:formula``
(``of:=IF(AND(ISNUMBER([.G6]);ISNUMBER([.F6]);[.F6]<>0);[.G6]/[.F6];"")``), with its value
cached so that a reader that does not recalculate shows it too.  Merged ranges are
spans plus a ``table:covered-table-cell`` at every hidden position; the header rows are
``table:table-header-rows`` (repeated on every printed page).
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
from odf.text import P, PageNumber

from ..model import Report
from .odt import paused_gc
from .sheet_base import BORDER, FONT_NAME, FONT_PT, PT_CM, TITLE_PT, cm as _cm, text_cell as _text_cell
from .sheet_template import HEADING_PT, INDENT_EM, Cell, SheetPlan, plan_sheet, ratio_formula

_ALIGN = {"left": "start", "center": "center", "right": "end"}
PAGE_CM = {"portrait": ("21cm", "29.7cm"), "landscape": ("29.7cm", "21cm")}


class _Styles:
    def __init__(self, doc: OpenDocumentSpreadsheet) -> None:
        self.doc = doc
        doc.fontfacedecls.addElement(
            FontFace(name=FONT_NAME, fontfamily=FONT_NAME, fontfamilygeneric="script", fontpitch="variable"))
        self.auto = doc.automaticstyles
        self.data: dict[str, str] = {}
        self.cells: dict[tuple, Style] = {}
        self.columns: dict[float, Style] = {}
        self.rows: dict[float, Style] = {}

    def data_style(self, cell: Cell) -> str | None:
        key = cell.kind if cell.kind not in ("percent", "ratio") else f"percent{cell.decimals}"
        if key == "text":
            return None
        if key in self.data:
            return self.data[key]
        name = f"N_{key}"
        if cell.kind == "money":
            style = number.CurrencyStyle(name=name)
            style.addElement(number.Number(decimalplaces="0", minintegerdigits="1", grouping="true"))
        elif cell.kind in ("integer", "serial"):
            style = number.NumberStyle(name=name)
            grouping = {"grouping": "true"} if cell.kind == "integer" else {}  # 1,530; 項次 1 2 3
            style.addElement(number.Number(decimalplaces="0", minintegerdigits="1", **grouping))
        elif cell.kind in ("percent", "ratio"):
            style = number.PercentageStyle(name=name)
            style.addElement(number.Number(decimalplaces=str(max(cell.decimals, 0)), minintegerdigits="1"))
            style.addElement(number.Text(text="%"))
        else:  # date: 110年3月5日
            style = number.DateStyle(name=name, language="zh", country="TW")
            for part, text in ((number.Year, "年"), (number.Month, "月"), (number.Day, "日")):
                style.addElement(part(calendar="ROC"))
                style.addElement(number.Text(text=text))
        self.auto.addElement(style)
        self.data[key] = name
        return name

    def cell(self, cell: Cell | None, bordered: bool) -> Style:
        cell = cell or Cell("")
        data = self.data_style(cell)
        key = (cell.style, cell.bold, cell.align, cell.indent, data, bordered)
        if key in self.cells:
            return self.cells[key]
        kwargs = {"name": f"ce{len(self.cells) + 1}", "family": "table-cell"}
        if data:
            kwargs["datastylename"] = data
        style = Style(**kwargs)
        centred = cell.style in ("title", "office", "header")
        props = {"wrapoption": "no-wrap" if data else "wrap", "padding": "0.1cm",
                 "verticalalign": "middle" if centred or cell.style == "heading" else "top"}
        if data:  # a number shrinks to its column rather than show ###
            props["shrinktofit"] = "true"
        if bordered:
            props["border"] = BORDER
        style.addElement(TableCellProperties(**props))
        paragraph = {"textalign": "center" if centred else _ALIGN.get(cell.align, "start")}
        if cell.indent:
            paragraph["marginleft"] = f"{cell.indent * INDENT_EM * FONT_PT}pt"
        style.addElement(ParagraphProperties(**paragraph))
        size = TITLE_PT if cell.style == "title" else HEADING_PT if cell.style == "heading" and cell.bold else FONT_PT
        text = {"fontname": FONT_NAME, "fontnameasian": FONT_NAME, "fontsize": f"{size}pt",
                "fontsizeasian": f"{size}pt"}
        if cell.bold:
            text.update(fontweight="bold", fontweightasian="bold")
        style.addElement(TextProperties(**text))
        self.auto.addElement(style)
        self.cells[key] = style
        return style

    def column(self, width_cm: float) -> Style:
        key = round(width_cm, 3)
        if key not in self.columns:
            style = Style(name=f"co{len(self.columns) + 1}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=_cm(key), breakbefore="auto"))
            self.auto.addElement(style)
            self.columns[key] = style
        return self.columns[key]

    def row(self, height_pt: float) -> Style:
        key = round(height_pt * PT_CM, 2)
        if key not in self.rows:
            style = Style(name=f"ro{len(self.rows) + 1}", family="table-row")
            style.addElement(TableRowProperties(rowheight=_cm(key), useoptimalrowheight="false"))
            self.auto.addElement(style)
            self.rows[key] = style
        return self.rows[key]

    def table(self, plan: SheetPlan) -> Style:
        """The table style and its master page: A4 in the template's orientation, one page wide,
        the running header and 第 N 頁 in 標楷體."""
        width, height = PAGE_CM.get(plan.orientation, PAGE_CM["portrait"])
        layout = PageLayout(name="pm1")
        layout.addElement(PageLayoutProperties(
            pagewidth=width, pageheight=height, printorientation=plan.orientation, margintop="1.5cm",
            marginbottom="1.5cm", marginleft="1.5cm", marginright="1.5cm", scaletox="1", scaletoy="0"))
        for part in (HeaderStyle(), FooterStyle()):
            part.addElement(HeaderFooterProperties(minheight="0.6cm", marginbottom="0.25cm", margintop="0.25cm"))
            layout.addElement(part)
        self.auto.addElement(layout)
        paragraph = Style(name="MP_kai", family="paragraph")
        paragraph.addElement(ParagraphProperties(textalign="center"))
        paragraph.addElement(TextProperties(fontname=FONT_NAME, fontnameasian=FONT_NAME, fontnamecomplex=FONT_NAME,
                                            fontsize=f"{FONT_PT}pt", fontsizeasian=f"{FONT_PT}pt"))
        self.auto.addElement(paragraph)
        master = MasterPage(name="Sheet1", pagelayoutname=layout)
        header = Header()
        region = RegionCenter()
        region.addElement(P(text=plan.running_header, stylename=paragraph))
        header.addElement(region)
        master.addElement(header)
        footer = Footer()
        region = RegionCenter()
        p = P(text="第 ", stylename=paragraph)
        p.addElement(PageNumber(text="1"))
        p.addText(" 頁")
        region.addElement(p)
        footer.addElement(region)
        master.addElement(footer)
        self.doc.masterstyles.addElement(master)
        style = Style(name="ta1", family="table", masterpagename=master)
        style.addElement(TableProperties(display="true", writingmode="lr-tb"))
        self.auto.addElement(style)
        return style


def _column_name(c: int) -> str:
    name = ""
    c += 1
    while c:
        c, rest = divmod(c - 1, 26)
        name = chr(65 + rest) + name
    return name


def _value_cell(cell: Cell, r: int, style: Style, spans: dict) -> TableCell:
    if cell.kind == "ratio" and cell.ratio is not None:
        formula = "of:=" + ratio_formula(cell.ratio, lambda col: f"[.{_column_name(col)}{r + 1}]", ";")
        if cell.value is None:
            result = TableCell(formula=formula, valuetype="string", stringvalue="", stylename=style, **spans)
        else:
            result = TableCell(formula=formula, valuetype="percentage", value=repr(float(cell.value)),
                               stylename=style, **spans)
            result.addElement(P(text=cell.text))
        return result
    if cell.value is None:
        if not cell.text:
            return TableCell(stylename=style, **spans)  # empty: no value type
        return _text_cell(cell.text, style, **spans)
    if cell.kind == "money":
        result = TableCell(valuetype="currency", currency="TWD", value=str(cell.value), stylename=style, **spans)
    elif cell.kind == "date":
        result = TableCell(valuetype="date", datevalue=cell.value.isoformat(), stylename=style, **spans)
    elif cell.kind == "percent":
        result = TableCell(valuetype="percentage", value=repr(float(cell.value)), stylename=style, **spans)
    else:
        result = TableCell(valuetype="float", value=str(cell.value), stylename=style, **spans)
    result.addElement(P(text=cell.text))
    return result


def plan_table(plan: SheetPlan, st: _Styles) -> Table:
    table = Table(name=plan.name, stylename=st.table(plan))
    for width in plan.widths_cm:
        table.addElement(TableColumn(stylename=st.column(width)))
    spans: dict[tuple[int, int], dict] = {}
    for r1, c1, r2, c2 in plan.merges:
        spans[(r1, c1)] = {k: str(v) for k, v in (("numberrowsspanned", r2 - r1 + 1),
                                                   ("numbercolumnsspanned", c2 - c1 + 1)) if v > 1}
    covered = plan.covered()
    header_rows = TableHeaderRows() if plan.header_rows is not None else None
    first_header, last_header = plan.header_rows or (-1, -1)
    for r, height in enumerate(plan.heights_pt):
        row = TableRow(stylename=st.row(height))
        bordered = r >= plan.bordered_from
        for c in range(plan.column_count):
            cell = plan.cells.get((r, c))
            style = st.cell(cell, bordered)
            if (r, c) in covered:
                row.addElement(CoveredTableCell(stylename=style))
            elif cell is None:
                row.addElement(TableCell(stylename=style))
            else:
                row.addElement(_value_cell(cell, r, style, spans.get((r, c), {})))
        if header_rows is not None and first_header <= r <= last_header:
            header_rows.addElement(row)
            if r == last_header:
                table.addElement(header_rows)
        else:
            table.addElement(row)
    return table


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    with paused_gc():  # odfpy makes some 30 objects a cell (as the default .ods writer)
        plan = plan_sheet(report, departments)
        doc = OpenDocumentSpreadsheet()
        doc.spreadsheet.addElement(plan_table(plan, _Styles(doc)))
        doc.save(str(path))
    if progress:
        progress(1.0)
