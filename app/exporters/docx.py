"""Official Word export (.docx).

The document (docs/export-word-pdf.md):

* a cover section (no header, no page number), a 目錄 section holding a real
  ``TOC \\f D \\l "1-1" \\h \\z`` field whose cached entries carry page numbers
  computed by the page model and are built, when Word updates the field,
  from a hidden ``TC "一、民政部門" \\f D \\l 1`` field on each table's first
  page (so F9 keeps 「一、民政部門」), then per department: a divider page
  (spaced name in Heading 1 for the navigation pane) and its blank back,
  neither numbered; the table (running header, centred PAGE field in the
  footer) numbered from its 目錄 number; a counted blank page after an
  odd-ending table — each a new-page section with an explicit
  ``pgNumType w:start`` (docs/official-layout.md, page numbers);
* package properties of our own (:func:`_package_properties`): title, office
  as author and company, export time, page count, Word 2013 compatibility
  mode, zh-TW, a font table of 標楷體 and Times New Roman, nothing left of
  python-docx's Japanese Mac template;
* the table has the two official header rows (both ``tblHeader``) and
  ``vMerge``/``gridSpan`` merges for 計畫名稱, 類, 項 and 目.

Page numbers for the 目錄 come from :func:`app.pages.plan_report`, the one
page model of the paged exports (.docx, .odt, the program's PDF and print
preview), and every length, font and size written here comes from its
:data:`~app.pages.GEOMETRY`.  The cached 目錄 is exact when Word or
LibreOffice breaks lines as the model does, which tests/test_export_docx.py
checks against LibreOffice for the bundled sample.

A report in any other template is written by docx_template.py (:func:`write`
hands it over); the WordprocessingML pieces both use live in wordml.py.

python-docx builds the package, styles and header/footer parts; the body is
written as WordprocessingML text and parsed once per department, because
python-docx's ``cell()``/``merge()``/``add_row()`` re-walk the whole grid
(quadratic on big tables).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from ..layout import (
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    TOC_TITLE_SUFFIX,
    BodyRow,
    DepartmentBlock,
    layout,
)
from ..model import Report
from ..pages import GEOMETRY, TWIPS_PER_PT, page_plan, plan_report, row_texts
from .wordml import (
    APP_NAME_FOR_PROPERTIES,
    EAST_ASIAN_LANGUAGE,
    FONT_EAST_ASIA,
    FONT_LATIN,
    WORD_2013_COMPATIBILITY,
    _FONT_TABLE,
    _PLACEHOLDER_RSID,
    _RPR_FONTS,
    _RT_EXTENDED,
    _RT_FONT_TABLE,
    _RT_STYLES_WITH_EFFECTS,
    _RT_THEME,
    _RT_THUMBNAIL,
    _TABLE_STYLE,
    _app_xml,
    _cell_properties,
    _table_start,
    _field,
    _fill_header_footer,
    _half_points,
    _paragraph,
    _prepare_styles,
    _qn,
    _run,
    _settings,
    _splice_body,
    _theme_xml,
)

__all__ = ["write", "page_plan", "plan_report", "GEOMETRY"]


def _cell(width: int, content: str, *, span: int = 1, vmerge: str | None = None,
          centred: bool = False, valign: str | None = None) -> str:
    props = _cell_properties(width, span=span, vmerge=vmerge, valign=valign)
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
    parts = _table_start(widths)
    # Explicit heights: LibreOffice sizes a *repeated* header row without the
    # cells merged into it from above, which would clip 完成程度百分比 and
    # change how many lines fit under it.
    line = round(GEOMETRY.line_height * TWIPS_PER_PT)
    header_trpr = [
        f'<w:trPr><w:cantSplit/><w:trHeight w:val="{slots * line}" w:hRule="atLeast"/><w:tblHeader/></w:trPr>'
        for slots in header_rows
    ]
    parts.append(
        "<w:tr>" + header_trpr[0]
        + _cell(sum(widths[:3]), _cell_paragraphs([HEADER_PLAN], True), span=3, centred=True, valign="center")
        + _cell(widths[3], _cell_paragraphs([HEADER_PROGRESS], True), vmerge="restart", centred=True, valign="center")
        + _cell(widths[4], _cell_paragraphs([HEADER_COMPLETION], True), vmerge="restart", centred=True, valign="center")
        + _cell(widths[5], _cell_paragraphs([HEADER_REMARK], True), vmerge="restart", centred=True, valign="center")
        + "</w:tr>"
    )
    parts.append(
        "<w:tr>" + header_trpr[1]
        + _cell(widths[0], _cell_paragraphs([HEADER_CLASS], True), centred=True, valign="center")
        + _cell(widths[1], _cell_paragraphs([HEADER_SECTION], True), centred=True, valign="center")
        + _cell(widths[2], _cell_paragraphs([HEADER_ITEM], True), centred=True, valign="center")
        + _cell(widths[3], "", vmerge="continue", centred=True, valign="center")
        + _cell(widths[4], "", vmerge="continue", centred=True, valign="center")
        + _cell(widths[5], "", vmerge="continue", centred=True, valign="center")
        + "</w:tr>"
    )
    for body in rows:
        lines, completion, remark = row_texts(body)
        cells = []
        if body.first:
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
             start: int | None = None, centre_vertically: bool = False) -> str:
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
    if start is not None:
        # Every numbered block states its first number: Word and LibreOffice
        # then number the pages as the page model does, whatever they make
        # of odd/even pages themselves.
        xml += f'<w:pgNumType w:start="{start}"/>'
    xml += '<w:cols w:space="425"/>'
    if centre_vertically:
        xml += '<w:vAlign w:val="center"/>'
    xml += '<w:docGrid w:linePitch="360"/>'
    return f"<w:sectPr>{xml}</w:sectPr>"



# ---------------------------------------------------------------------------
# The writer


def write(report: Report, path, *, departments=None, progress=None) -> None:
    if not report.template.is_default:  # any other template: app/exporters/docx_template.py
        from .docx_template import write as write_template

        write_template(report, path, departments=departments, progress=progress)
        return
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
    empty_footer = refs[("footerReference", "first")]
    header_style = '<w:pStyle w:val="Header"/>'
    _fill_header_footer(section.header._element, _paragraph(
        runs=_run(report_layout.running_header, _half_points(GEOMETRY.running_header_size)), extra_ppr=header_style, centred=True))
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
        _paragraph(report_layout.title, centred=True, size_half_points=_half_points(GEOMETRY.title_size))
        + _paragraph(report_layout.office, centred=True, size_half_points=_half_points(GEOMETRY.office_size), before=720)
        + _paragraph(report_layout.published, centred=True, size_half_points=_half_points(GEOMETRY.published_size), before=1440,
                     sect_pr=_sect_pr(kind=None, centre_vertically=True))
    )
    # 目錄: a TOC field over the divider headings with computed cached pages.
    toc = [_paragraph(f"{report_layout.title}{TOC_TITLE_SUFFIX}", centred=True, size_half_points=_half_points(GEOMETRY.toc_title_size))]
    toc.append(_paragraph(""))
    entries = list(zip(plan.departments, report_layout.departments))
    begin = (
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:instrText xml:space="preserve"> {escape(TOC_INSTRUCTION)} </w:instrText></w:r>'
        f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = f'<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        toc.append(_paragraph(style="TOC1", runs=begin + end))
    for n, (department, block) in enumerate(entries):
        entry = _run(block.toc_label) + f"<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:tab/></w:r>" + _run(str(department.start_page))
        runs = (begin if n == 0 else "") + _toc_hyperlink(entry, n) + (end if n == len(entries) - 1 else "")
        toc.append(_paragraph(style="TOC1", runs=runs))
    toc[-1] = toc[-1].replace("</w:pPr>", _sect_pr(kind="nextPage") + "</w:pPr>", 1)
    append("".join(toc))

    widths = GEOMETRY.column_twips()
    count = len(plan.departments)
    # Per department (docs/official-layout.md): the divider and its blank
    # back, neither numbered nor counted, then the table numbered from its
    # 目錄 number, then — after an odd-ending table — a counted blank page.
    # Each is a section of its own starting on a new page with an explicit
    # start number, chosen so that odd numbers stay on right-hand pages:
    # neither Word nor LibreOffice has a reason to add a page of its own.
    blank = dict(header=empty_header, footer=empty_footer)
    spacer = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    for n, department in enumerate(plan.departments):
        if progress is not None:
            progress(n / max(count, 1))
        block = department.block
        divider_sect = _sect_pr(kind="nextPage", start=department.start_page, centre_vertically=True, **blank)
        append(_paragraph(block.divider, style="Heading1", sect_pr=divider_sect))
        back_sect = _sect_pr(kind="nextPage", start=department.start_page + 1, **blank)
        append(f'<w:p><w:pPr>{spacer}{back_sect}</w:pPr></w:p>')
        append(_mark_toc_entry(_table_xml(block, widths, department.body_rows, plan.header_rows), block, n))
        # A table cannot end a section: the section break rides on a small
        # paragraph after it (1 pt, so it never adds a page of its own).
        last = n == count - 1
        table_sect = "" if last else _sect_pr(kind="nextPage", header=running_header, footer=page_footer,
                                              start=department.start_page)
        append(f'<w:p><w:pPr>{spacer}{table_sect}</w:pPr></w:p>')
        if department.blank_after and not last:
            append(f'<w:p><w:pPr>{spacer}{_sect_pr(kind="nextPage", start=department.end_page + 1, **blank)}</w:pPr></w:p>')
    # The body's own sectPr closes the last section (the last table, or the
    # 目錄 when nothing was exported).
    final = _sect_pr(kind="nextPage", header=running_header if count else None,
                     footer=page_footer if count else None,
                     start=plan.departments[-1].start_page if count else None)
    append(final)
    placeholder = etree.SubElement(body, _qn("w:p"))
    placeholder.set(_qn("w:rsidR"), _PLACEHOLDER_RSID)
    _package_properties(document, report_layout, plan)
    document.save(str(path))
    _splice_body(path, parts)
    if progress is not None:
        progress(1.0)


# ---------------------------------------------------------------------------
# The 目錄 field's entries (docs/export-word-pdf.md, "F9 in Word")
#
# The field collects TC fields, not headings: TOC \f D \l "1-1" takes the TC
# fields of type D (ECMA-376 Part 1 §17.16.5.68: \f "includes only those TC
# fields whose identifier exactly matches", \l "includes TC fields that
# assign entries to one of the levels specified"), and without \o, \u or
# \t no paragraph is collected for its style or outline level — so the
# divider headings 「民 政 部 門」 (Heading 1, for the navigation pane) are not
# listed.  Each department's TC field (§17.16.5.67: TC "text" \f type \l
# level) carries the entry's text, 「一、民政部門」, and sits at the start of
# the 類 cell on the table's first page, so an update lists the page whose
# number the published 目錄 prints: the table's first page.  The field code is
# hidden text as Word writes it, and a TC field has no result: nothing shows.

TOC_FIELD_TYPE = "D"
TOC_INSTRUCTION = f'TOC \\f {TOC_FIELD_TYPE} \\l "1-1" \\h \\z'


def _toc_bookmark(n: int) -> str:
    return f"_Toc_department_{n + 1}"


def _toc_hyperlink(runs: str, n: int) -> str:
    """A cached 目錄 entry as Word writes it with \\h: a link to the entry's bookmark."""
    return f'<w:hyperlink w:anchor="{_toc_bookmark(n)}" w:history="1">{runs}</w:hyperlink>'


def _tc_field(text: str, n: int) -> str:
    hidden = f"<w:rPr>{_RPR_FONTS}<w:vanish/></w:rPr>"
    quoted = text.replace('"', "\u201d")
    return (
        f'<w:bookmarkStart w:id="{n + 1}" w:name="{_toc_bookmark(n)}"/>'
        f'<w:r>{hidden}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{hidden}<w:instrText xml:space="preserve"> TC "{escape(quoted)}" \\f {TOC_FIELD_TYPE} \\l 1 </w:instrText></w:r>'
        f'<w:r>{hidden}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:bookmarkEnd w:id="{n + 1}"/>'
    )


def _mark_toc_entry(table_xml: str, block: DepartmentBlock, n: int) -> str:
    """The department's TC field in front of its 類 label (the first body cell of its table)."""
    label = _run(block.label)
    at = table_xml.find(label)
    if at < 0:  # no label run (cannot happen: every table has its 類 cell)
        return table_xml
    return table_xml[:at] + _tc_field(block.toc_label, n) + table_xml[at:]



def docx_page_count(plan) -> int:
    """The pages of the .docx as the page model lays them out: the cover, the
    目錄 (its entries are 16 pt lines with 6 pt before and after), and per
    department its divider and blank back, its table pages and the counted
    blank page after an odd-ending table (``ReportPlan.physical_pages``)."""
    g = plan.geometry
    entry = g.toc_entry_size * 1.3 + 12.0
    per_page = max(1, int((g.body_height - 3 * g.toc_title_size) // entry))
    toc_pages = max(1, -(-len(plan.departments) // per_page))
    return len(plan.physical_pages(front_pages=1 + toc_pages, toc_pages=toc_pages))


def _package_properties(document, report_layout, plan, now=None) -> None:
    """Core and app properties, settings, font table and theme of our own (see above)."""
    import datetime

    from .. import __version__

    now = now or datetime.datetime.now(datetime.timezone.utc)
    title = report_layout.running_header.strip()
    office = report_layout.office
    core = document.core_properties
    core.title = title
    core.subject = report_layout.title
    core.author = office
    core.last_modified_by = office
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.language = EAST_ASIAN_LANGUAGE
    core.revision = 1
    # python-docx writes the time as given with a "Z": give it UTC
    stamp = now.astimezone(datetime.timezone.utc).replace(microsecond=0)
    core.created = stamp
    core.modified = stamp

    package = document.part.package
    parts = {rel.reltype: rel for rel in package.rels.values()}
    app_part = parts[_RT_EXTENDED].target_part
    app_part._blob = _app_xml(office, docx_page_count(plan), __version__)
    for rid, rel in list(package.rels.items()):
        if rel.reltype == _RT_THUMBNAIL:
            package.rels.pop(rid)

    main = document.part
    for rid, rel in list(main.rels.items()):
        if rel.reltype == _RT_STYLES_WITH_EFFECTS:
            main.rels.pop(rid)
        elif rel.reltype == _RT_FONT_TABLE:
            rel.target_part._blob = _FONT_TABLE.encode("utf-8")
        elif rel.reltype == _RT_THEME:
            rel.target_part._blob = _theme_xml(rel.target_part.blob)
    _settings(document.settings.element)
    # The template's list styles number with bullets in the Symbol font; the
    # report uses no Word lists (its numbers are text), so none are kept.
    for num_pr in document.styles.element.iter(_qn("w:numPr")):
        num_pr.getparent().remove(num_pr)
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)

