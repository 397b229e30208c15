"""Word export (.docx) of a report in a non-default template (issue 19).

The default template keeps app/exporters/docx.py (calibrated to the published
109 report); its :func:`~app.exporters.docx.write` hands every other template
here.  What is shown comes from :mod:`app.exporters.template_layout` (the same
plan as the .odt); the styles, fonts (標楷體 / Times New Roman), package
properties (title, office, zh-TW, Word 2013 mode, font table, theme) and the
body splice are the default exporter's own helpers.

* every section in the template's orientation (A4, landscape for the budget
  and KPI tables), the default's margins;
* a cover section (title and cover lines, centred, no header or number);
* ``table`` layout: ONE table for the report — its header rows repeated on
  every page (``tblHeader``; a column group such as 預算執行情形 gives two rows,
  ``gridSpan`` over its columns and ``vMerge`` down the others), widths from
  the template (hundredths of the table width), each column's alignment, a row
  spanning every column per heading (壹、民政業務) and a column level
  (策略績效目標) merged down over its rows; the running header and a centred
  PAGE field from 1;
* ``narrative`` layout: a 目錄 (a line per heading of the top two levels, its
  page number a ``PAGEREF`` field to a bookmark on the heading: the word
  processor works the numbers out, none is guessed here), then per
  heading a real ``heading 1/2/3`` paragraph (Word's 標題 1/2/3, so the
  navigation pane and an updated 目錄 see them), a divider page before a level
  with ``divider_page`` (the spaced name, no header or number), and one
  paragraph per entry line with the hanging indent of its numbered-text level.
"""
from __future__ import annotations

from lxml import etree

from ..model import Report
from ..pages import GEOMETRY, TWIPS_PER_PT
from . import wordml as base
from .template_layout import (
    HEADING_SIZES,
    NARRATIVE_LINE,
    NARRATIVE_TEXT_SIZE,
    NarrativeHeading,
    PageSize,
    Texts,
    contents_entries,
    narrative_plan,
    page_size,
    table_plan,
    texts,
)

_run = base._run
_field = base._field
_paragraph = base._paragraph
_qn = base._qn
_half = base._half_points
_RPR_FONTS = base._RPR_FONTS
_TABLE_STYLE = base._TABLE_STYLE
_JC = {"left": "", "center": '<w:jc w:val="center"/>', "right": '<w:jc w:val="right"/>'}
_SPACER = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'


def _twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


def _sect_pr(page: PageSize, *, header: str | None = None, footer: str | None = None,
             start: int | None = None, centre_vertically: bool = False, new_page: bool = True) -> str:
    g = GEOMETRY
    xml = ""
    if header:
        xml += f'<w:headerReference w:type="default" r:id="{header}"/>'
    if footer:
        xml += f'<w:footerReference w:type="default" r:id="{footer}"/>'
    if new_page:
        xml += '<w:type w:val="nextPage"/>'
    orient = ' w:orient="landscape"' if page.landscape else ""
    m = _twips(page.margin)
    xml += (f'<w:pgSz w:w="{_twips(page.width)}" w:h="{_twips(page.height)}"{orient}/>'
            f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" '
            f'w:header="{_twips(g.header_distance)}" w:footer="{_twips(g.footer_distance)}" w:gutter="0"/>')
    if start is not None:
        xml += f'<w:pgNumType w:start="{start}"/>'
    xml += '<w:cols w:space="425"/>'
    if centre_vertically:
        xml += '<w:vAlign w:val="center"/>'
    xml += '<w:docGrid w:linePitch="360"/>'
    return f"<w:sectPr>{xml}</w:sectPr>"


# --- styles ---------------------------------------------------------------------------


def _replace_children(parent: etree._Element, fragments: list[str]) -> None:
    for child in list(parent):
        parent.remove(child)
    for xml in fragments:
        parent.append(etree.fromstring(f"<x {base.NSMAP_DECL}>{xml}</x>")[0])


def _prepare_styles(document, page: PageSize) -> None:
    """The default exporter's styles, then headings 1–3 for the narrative (left, bold, the
    report's fonts, no theme colour), a divider style, and the 目錄 lines' tab at the text width."""
    base._prepare_styles(document)
    styles = document.styles.element
    typography = list(base._TYPOGRAPHY_ELEMENTS)
    for level, size in enumerate(HEADING_SIZES, start=1):
        style = document.styles[f"Heading {level}"].element
        ppr = style.find(_qn("w:pPr"))
        if ppr is None:
            ppr = etree.SubElement(style, _qn("w:pPr"))
        jc = ['<w:jc w:val="center"/>'] if level == 1 else []
        _replace_children(ppr, ['<w:keepNext/>', '<w:keepLines/>', *typography,
                                '<w:spacing w:before="240" w:after="120" w:line="240" w:lineRule="auto"/>',
                                *jc, f'<w:outlineLvl w:val="{level - 1}"/>'])
        rpr = style.find(_qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(style, _qn("w:rPr"))
        _replace_children(rpr, [_RPR_FONTS, "<w:b/>", "<w:bCs/>", f'<w:sz w:val="{_half(size)}"/>',
                                f'<w:szCs w:val="{_half(size)}"/>'])
    divider = _half(GEOMETRY.divider_size)
    text = _half(NARRATIVE_TEXT_SIZE)
    line = round(240 * NARRATIVE_LINE)
    width = _twips(page.body_width)
    for fragment in (
        f'<w:style {base.NSMAP_DECL} w:type="paragraph" w:customStyle="1" w:styleId="Divider">'
        '<w:name w:val="Divider"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr>{"".join(typography)}<w:jc w:val="center"/></w:pPr>'
        f'<w:rPr>{_RPR_FONTS}<w:sz w:val="{divider}"/><w:szCs w:val="{divider}"/></w:rPr></w:style>',
        f'<w:style {base.NSMAP_DECL} w:type="paragraph" w:customStyle="1" w:styleId="ReportText">'
        '<w:name w:val="Report Text"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr>{"".join(typography)}<w:spacing w:before="0" w:after="60" w:line="{line}" w:lineRule="auto"/>'
        '<w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{_RPR_FONTS}<w:sz w:val="{text}"/><w:szCs w:val="{text}"/></w:rPr></w:style>',
        f'<w:style {base.NSMAP_DECL} w:type="paragraph" w:styleId="TOC2">'
        '<w:name w:val="toc 2"/><w:basedOn w:val="TOC1"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
        f'<w:spacing w:before="0" w:after="60"/><w:ind w:left="{_twips(2 * GEOMETRY.toc_entry_size)}"/></w:pPr>'
        f'<w:rPr>{_RPR_FONTS}</w:rPr></w:style>',
    ):
        styles.append(etree.fromstring(fragment.encode("utf-8")))
    for tab in styles.iter(_qn("w:tab")):  # TOC1's dot leader at this page's text width
        tab.set(_qn("w:pos"), str(width))


# --- the table ------------------------------------------------------------------------


def _cell(width: int, lines: list[str], *, align: str = "left", span: int = 1, vmerge: str | None = None,
          valign: str | None = None) -> str:
    props = base._cell_properties(width, span=span, vmerge=vmerge, valign=valign)
    jc = _JC.get(align, "")
    paragraphs = "".join(f'<w:p><w:pPr><w:pStyle w:val="{_TABLE_STYLE}"/>{jc}</w:pPr>{_run(line) if line else ""}</w:p>'
                         for line in (lines or [""]))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def column_twips(shares: list[float], total: int) -> list[int]:
    widths = [int(total * share) for share in shares]
    widths[widths.index(max(widths))] += total - sum(widths)
    return widths


def _table_xml(report: Report, page: PageSize, departments) -> str:
    plan = table_plan(report, departments)
    widths = column_twips(plan.widths, _twips(page.body_width))
    count = len(widths)
    parts = base._table_start(widths)
    header_trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    two = len(plan.header_rows) == 2
    for index, header in enumerate(plan.header_rows):
        at = {cell.column: cell for cell in header}
        cells = []
        column = 0
        while column < count:
            cell = at.get(column)
            if cell is None:  # the second row under a heading merged down from the first
                cells.append(_cell(widths[column], [], align="center", vmerge="continue", valign="center"))
                column += 1
                continue
            width = sum(widths[column:column + cell.span])
            vmerge = "restart" if two and cell.rows == 2 else None
            cells.append(_cell(width, cell.text.split("\n"), align="center", span=cell.span, vmerge=vmerge,
                               valign="center"))
            column += cell.span
        parts.append(f"<w:tr>{header_trpr}{''.join(cells)}</w:tr>")
    for row in plan.rows:
        if row.heading:
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                         + _cell(sum(widths), [row.cells[0].text], span=count) + "</w:tr>")
            continue
        cells = []
        for width, body in zip(widths, row.cells):
            if body.rows == 0:
                cells.append(_cell(width, [], align=body.align, vmerge="continue"))
            else:
                cells.append(_cell(width, body.text.split("\n"), align=body.align,
                                   vmerge="restart" if body.rows > 1 else None))
        parts.append("<w:tr>" + "".join(cells) + "</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


# --- the narrative --------------------------------------------------------------------


def _bookmark(n: int) -> str:
    return f"_Toc_heading_{n + 1}"


def _heading_xml(block: NarrativeHeading, n: int) -> str:
    style = f"Heading{min(block.depth, len(HEADING_SIZES) - 1) + 1}"
    runs = (f'<w:bookmarkStart w:id="{n + 1}" w:name="{_bookmark(n)}"/>{_run(block.text)}'
            f'<w:bookmarkEnd w:id="{n + 1}"/>')
    return _paragraph(style=style, runs=runs)


def _text_xml(text: str, left: float, hanging: float, first_line: float) -> str:
    em = _twips(NARRATIVE_TEXT_SIZE)
    ind = f'<w:ind w:left="{round(left * em)}"'
    if hanging:
        ind += f' w:hanging="{round(hanging * em)}"'
    elif first_line:
        ind += f' w:firstLine="{round(first_line * em)}"'
    return _paragraph(style="ReportText", extra_ppr=ind + "/>", runs=_run(text) if text else "")


def _contents_xml(title: str, plan, page: PageSize) -> str:
    """The 目錄: per heading of the top two levels a line linking to it, its page number a
    ``PAGEREF`` field to the heading's bookmark.  Not a TOC field: LibreOffice shows a TOC
    field's cached lines as they are, but works a PAGEREF out as it lays the pages; Word
    updates the fields when it opens the file (``w:updateFields`` in the settings)."""
    out = [_paragraph(title, centred=True, size_half_points=_half(GEOMETRY.toc_title_size)), _paragraph("")]
    for n, heading in contents_entries(plan):
        link = (_run(heading.text) + f"<w:r><w:rPr>{_RPR_FONTS}</w:rPr><w:tab/></w:r>"
                + _field(f"PAGEREF {_bookmark(n)} \\h", ""))
        out.append(_paragraph(style=f"TOC{heading.depth + 1}",
                              runs=f'<w:hyperlink w:anchor="{_bookmark(n)}" w:history="1">{link}</w:hyperlink>'))
    return "".join(out)


# --- the writer -----------------------------------------------------------------------


class _Sections:
    """Body XML by sections: each closed by a section break riding on its last paragraph."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, xml: str) -> None:
        self.parts.append(xml)

    def close(self, sect_pr: str) -> None:
        self.parts.append(f'<w:p><w:pPr>{_SPACER}{sect_pr}</w:pPr></w:p>')


def write(report: Report, path, *, departments=None, progress=None) -> None:
    import docx  # python-docx

    template = report.template
    page = page_size(template)
    words = texts(report)
    document = docx.Document()
    _prepare_styles(document, page)

    section = document.sections[0]
    for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
    sect_pr = section._sectPr
    refs = {(el.tag.rsplit('}', 1)[1], el.get(_qn("w:type"))): el.get(_qn("r:id")) for el in sect_pr
            if el.tag in (_qn("w:headerReference"), _qn("w:footerReference"))}
    running_header = refs[("headerReference", "default")]
    page_footer = refs[("footerReference", "default")]
    blank = dict(header=refs[("headerReference", "first")], footer=refs[("footerReference", "first")])
    header_style = '<w:pStyle w:val="Header"/>'
    base._fill_header_footer(section.header._element, _paragraph(
        runs=_run(words.running_header, _half(GEOMETRY.running_header_size)), extra_ppr=header_style, centred=True))
    base._fill_header_footer(section.footer._element, _paragraph(
        runs=_field("PAGE", "1"), extra_ppr='<w:pStyle w:val="Footer"/>', centred=True))
    base._fill_header_footer(section.first_page_header._element, _paragraph(extra_ppr=header_style))
    base._fill_header_footer(section.first_page_footer._element, _paragraph(extra_ppr='<w:pStyle w:val="Footer"/>'))

    body = document.element.body
    for child in list(body):
        body.remove(child)
    out = _Sections()
    out.add(_cover_xml(words))
    out.close(_sect_pr(page, centre_vertically=True, new_page=False, **blank))
    if progress is not None:
        progress(0.1)
    pages = 1
    if template.layout == "narrative":
        plan = narrative_plan(report, departments)
        out.add(_contents_xml(words.contents_title, plan, page))
        out.close(_sect_pr(page, **blank))
        pages += 1
        start: int | None = 1
        content = False
        for n, block in enumerate(plan):
            if isinstance(block, NarrativeHeading):
                if block.divider:
                    if content:
                        out.close(_sect_pr(page, header=running_header, footer=page_footer, start=start))
                        start = None
                    out.add(_paragraph(block.divider, style="Divider"))
                    out.close(_sect_pr(page, centre_vertically=True, start=start, **blank))
                    start, content, pages = None, False, pages + 1
            if not content:  # a run of text after the 目錄 or a divider: at least one page
                pages += 1
            if isinstance(block, NarrativeHeading):
                out.add(_heading_xml(block, n))
            else:
                out.add(_text_xml(block.text, block.left, block.hanging, block.first_line))
            content = True
        final = _sect_pr(page, header=running_header, footer=page_footer, start=start)
    else:
        # a paragraph opens the section: LibreOffice puts a table that opens one on the page before
        out.add(f'<w:p><w:pPr>{_SPACER}</w:pPr></w:p>')
        out.add(_table_xml(report, page, departments))
        pages += 1
        final = _sect_pr(page, header=running_header, footer=page_footer, start=1)
    if progress is not None:
        progress(0.8)
    body.append(etree.fromstring(final.replace("<w:sectPr>", f"<w:sectPr {base.NSMAP_DECL}>", 1)))
    placeholder = etree.Element(_qn("w:p"))
    placeholder.set(_qn("w:rsidR"), base._PLACEHOLDER_RSID)
    body.insert(0, placeholder)
    _package_properties(document, words, pages, template.layout == "narrative")
    document.save(str(path))
    base._splice_body(path, out.parts)
    if progress is not None:
        progress(1.0)


def _cover_xml(words: Texts) -> str:
    g = GEOMETRY
    xml = _paragraph(words.title, centred=True, size_half_points=_half(g.title_size))
    for n, line in enumerate(words.cover_lines):
        size, before = (g.office_size, 720) if n == 0 else (g.published_size, 1440)
        xml += _paragraph(line, centred=True, size_half_points=_half(size), before=before)
    return xml


def _package_properties(document, words: Texts, pages: int, update_fields: bool = False, now=None) -> None:
    """As the default exporter's: title, office as author and company, zh-TW, Word 2013
    mode, the font table and theme of 標楷體 / Times New Roman; ``pages`` is the count of
    pages the document surely has (cover, 目錄, dividers, at least one of text), which Word
    corrects when it saves."""
    import datetime

    from .. import __version__

    now = now or datetime.datetime.now(datetime.timezone.utc)
    core = document.core_properties
    core.title = words.running_header or words.title
    core.subject = words.title
    core.author = words.office
    core.last_modified_by = words.office
    core.comments = core.keywords = core.category = ""
    core.language = base.EAST_ASIAN_LANGUAGE
    core.revision = 1
    stamp = now.astimezone(datetime.timezone.utc).replace(microsecond=0)
    core.created = stamp
    core.modified = stamp
    package = document.part.package
    parts = {rel.reltype: rel for rel in package.rels.values()}
    parts[base._RT_EXTENDED].target_part._blob = base._app_xml(words.office, pages, __version__)
    for rid, rel in list(package.rels.items()):
        if rel.reltype == base._RT_THUMBNAIL:
            package.rels.pop(rid)
    main = document.part
    for rid, rel in list(main.rels.items()):
        if rel.reltype == base._RT_STYLES_WITH_EFFECTS:
            main.rels.pop(rid)
        elif rel.reltype == base._RT_FONT_TABLE:
            rel.target_part._blob = base._FONT_TABLE.encode("utf-8")
        elif rel.reltype == base._RT_THEME:
            rel.target_part._blob = base._theme_xml(rel.target_part.blob)
    base._settings(document.settings.element)
    if update_fields:  # the 目錄's PAGEREF fields: Word offers to update them when it opens the file
        settings = document.settings.element
        update = etree.Element(_qn("w:updateFields"), {_qn("w:val"): "true"})
        # CT_Settings order: … savePreviewPicture … updateFields, hdrShapeDefaults, footnotePr, endnotePr, compat
        anchor = settings.find(_qn("w:hdrShapeDefaults"))
        if anchor is None:
            anchor = settings.find(_qn("w:compat"))
        if anchor is not None:
            anchor.addprevious(update)
        else:
            settings.append(update)
    for num_pr in document.styles.element.iter(_qn("w:numPr")):
        num_pr.getparent().remove(num_pr)
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
