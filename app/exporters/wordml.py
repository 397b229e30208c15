"""WordprocessingML pieces the .docx exporters share (app/exporters/docx.py for the default
template, docx_template.py for every other one).

Moved here unchanged from docx.py so that both writers use them without importing each
other: the runs, fields and paragraphs written as XML text (every text escaped), the
styles (標楷體 for East Asian text, Times New Roman for Latin, kinsoku, the table text and
目錄 styles), the package properties python-docx's Japanese Mac template would otherwise
give (font table, theme, settings, app.xml) and the splice of the body into
word/document.xml.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from ..pages import GEOMETRY, TWIPS_PER_PT

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

FONT_EAST_ASIA = GEOMETRY.font_east_asian
FONT_LATIN = GEOMETRY.font_latin


def _half_points(size: float) -> int:
    return round(size * 2)


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


def _table_start(widths: list[int]) -> list[str]:
    """The opening of a bordered, fixed-layout, centred table of columns ``widths`` (twips): its
    ``w:tblPr`` and ``w:tblGrid``; the rows and ``</w:tbl>`` follow."""
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    pad = round(GEOMETRY.cell_padding * TWIPS_PER_PT)
    return [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{border}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]


def _cell_properties(width: int, *, span: int = 1, vmerge: str | None = None, valign: str | None = None) -> str:
    """A table cell's ``w:tcPr`` content: width, columns spanned, a vertical merge's start
    (``restart``) or continuation (``continue``), vertical alignment."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    if valign:
        props += f'<w:vAlign w:val="{valign}"/>'
    return props

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


def _styles_xml_fragment(text_width_twips: int) -> tuple[str, str]:
    """Styles we add: table text, TOC 1 with its dot-leader tab."""
    size = _half_points(GEOMETRY.font_size)
    toc = _half_points(GEOMETRY.toc_entry_size)
    line = round(GEOMETRY.line_height * TWIPS_PER_PT)
    rpr = f"<w:rPr>{_RPR_FONTS}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>"
    return (
        f'<w:style {NSMAP_DECL} w:type="paragraph" w:customStyle="1" w:styleId="{_TABLE_STYLE}">'
        '<w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/>{_EAST_ASIAN_TYPOGRAPHY}<w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        '<w:ind w:left="0" w:right="0"/></w:pPr>'
        f"{rpr}</w:style>",
        f'<w:style {NSMAP_DECL} w:type="paragraph" w:styleId="TOC1">'
        '<w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{text_width_twips}"/></w:tabs>{_EAST_ASIAN_TYPOGRAPHY}'
        '<w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr>{_RPR_FONTS}<w:sz w:val="{toc}"/><w:szCs w:val="{toc}"/></w:rPr></w:style>',
    )


def _prepare_styles(document) -> None:
    styles = document.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    _set_fonts(rpr)
    for tag, value in (("w:sz", str(_half_points(GEOMETRY.font_size))), ("w:szCs", str(_half_points(GEOMETRY.font_size)))):
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
    divider = _half_points(GEOMETRY.divider_size)
    for xml in (_RPR_FONTS, f'<w:sz w:val="{divider}"/>', f'<w:szCs w:val="{divider}"/>'):
        heading_rpr.append(etree.fromstring(f"<x {NSMAP_DECL}>{xml}</x>")[0])

    # Every style that sets fonts (Title, Header, Footer, …) gets the same pair.
    for style_rpr in styles.iter(_qn("w:rPr")):
        if style_rpr.find(_qn("w:rFonts")) is not None or style_rpr.getparent().tag == _qn("w:style"):
            _set_fonts(style_rpr)
    for style in styles.findall(_qn("w:style")):
        if style.find(_qn("w:rPr")) is None:
            style_rpr = etree.SubElement(style, _qn("w:rPr"))
            _set_fonts(style_rpr)

def _fill_header_footer(part_element, xml: str) -> None:
    for child in list(part_element):
        part_element.remove(child)
    for child in _parse_children(xml):
        part_element.append(child)


# ---------------------------------------------------------------------------
# Package properties: what python-docx's template would otherwise say
#
# python-docx starts from a template made by Word 2011 for Mac in Japanese:
# core properties of 2013 "generated by python-docx", app.xml "Microsoft
# Macintosh Word" with 1 page, compatibilityMode 14 (Word 2013+ opens the
# file in 相容模式), themeFontLang eastAsia="ja-JP", a font table of ＭＳ 明朝 /
# ＭＳ ゴシック / Cambria / Calibri, a theme whose East Asian fonts are Japanese,
# a stylesWithEffects part (Word 2010 only) naming majorEastAsia theme fonts,
# and a thumbnail of a blank page.  All of it is replaced or dropped here.

APP_NAME_FOR_PROPERTIES = "年度工作總報告編輯器 (workreport)"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_RT_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
_RT_FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
_RT_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
WORD_2013_COMPATIBILITY = "15"
EAST_ASIAN_LANGUAGE = "zh-TW"

# The fontTable entries Word on Windows writes for the two fonts the document
# uses (標楷體 = DFKai-SB: Big5 charset 0x88, script family, fixed pitch).
_FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:fonts xmlns:w="{W_NS}">'
    f'<w:font w:name="{FONT_LATIN}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/>'
    '<w:sig w:usb0="E0002EFF" w:usb1="C000785B" w:usb2="00000009" w:usb3="00000000" w:csb0="000001FF" w:csb1="00000000"/>'
    '</w:font>'
    f'<w:font w:name="{FONT_EAST_ASIA}"><w:altName w:val="DFKai-SB"/><w:panose1 w:val="03000509000000000000"/>'
    '<w:charset w:val="88"/><w:family w:val="script"/><w:pitch w:val="fixed"/>'
    '<w:sig w:usb0="00000003" w:usb1="080E0000" w:usb2="00000016" w:usb3="00000000" w:csb0="00100001" w:csb1="00000000"/>'
    '</w:font>'
    '</w:fonts>'
)

def _app_xml(office: str, pages: int, version: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_EXTENDED_NS}" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Template>Normal.dotm</Template><TotalTime>0</TotalTime>"
        f"<Pages>{pages}</Pages>"
        f"<Application>{escape(APP_NAME_FOR_PROPERTIES)} {escape(version)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{escape(office)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode("utf-8")


def _settings(settings: etree._Element) -> None:
    """Word 2013+ compatibility mode (no 相容模式) and zh-TW theme font language."""
    compat = settings.find(_qn("w:compat"))
    if compat is None:  # the template has one; kept in schema order
        compat = etree.SubElement(settings, _qn("w:compat"))
    for setting in compat.findall(_qn("w:compatSetting")):
        if setting.get(_qn("w:name")) == "compatibilityMode":
            setting.set(_qn("w:val"), WORD_2013_COMPATIBILITY)
            break
    else:
        etree.SubElement(compat, _qn("w:compatSetting"), {
            _qn("w:name"): "compatibilityMode", _qn("w:uri"): "http://schemas.microsoft.com/office/word",
            _qn("w:val"): WORD_2013_COMPATIBILITY})
    # The template's math settings name Cambria Math; Word's defaults apply without them.
    for math in settings.findall("{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"):
        settings.remove(math)
    lang = settings.find(_qn("w:themeFontLang"))
    if lang is None:
        lang = etree.SubElement(settings, _qn("w:themeFontLang"))
    lang.set(_qn("w:val"), "en-US")
    lang.set(_qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _theme_xml(blob: bytes) -> bytes:
    """The template's theme with our two fonts: Times New Roman for Latin,
    標楷體 for East Asian text, and no per-script list of other fonts (the
    Japanese, Korean, Simplified Chinese … entries of the Office theme)."""
    root = etree.fromstring(blob)
    a = f"{{{_DRAWING_NS}}}"
    for collection in root.iter(f"{a}majorFont", f"{a}minorFont"):
        for child in list(collection):
            if child.tag == f"{a}font":
                collection.remove(child)
            elif child.tag == f"{a}latin":
                child.set("typeface", FONT_LATIN)
            elif child.tag == f"{a}ea":
                child.set("typeface", FONT_EAST_ASIA)
        cs = collection.find(f"{a}cs")
        hant = etree.Element(f"{a}font", script="Hant", typeface=FONT_EAST_ASIA)
        (cs if cs is not None else collection[-1]).addnext(hant)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
