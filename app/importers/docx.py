"""Read a Word .docx report: its tables walked cell by cell, merges resolved.

The XML is parsed with defusedxml after :mod:`.safety` has checked the
package; python-docx is not used for reading because ``row.cells`` repeats a
spanned cell and re-walks the grid for every row (python-docx #344, #1311).
Instead ``w:tbl/w:tr/w:tc`` is walked directly:

* ``w:gridBefore`` skips grid columns at the start of a row;
* ``w:gridSpan`` gives a cell's column span;
* ``w:vMerge w:val="restart"`` starts a vertical merge and a *bare*
  ``<w:vMerge/>`` (or ``w:val="continue"``) continues the cell above in the
  same grid column, which grows by one row;
* legacy ``w:hMerge`` continue cells widen the cell to their left.

A paragraph is one line of its cell; ``w:br`` and ``w:cr`` are line breaks
inside it.  Deleted text (tracked changes), field codes, footnote marks,
drawings and text boxes are left out.  Automatic list numbering (``w:numPr``
on the paragraph or on its paragraph style, resolved through numbering.xml)
is turned back into typed text — ``1.``, ``(1)``, ``一、`` — so that a
clerk's auto-numbered list is split into entries like a typed one.  Counters
run per list (``numId``) through the document, as Word counts them when
nothing restarts them.

Office and year come from the paragraphs outside tables (the cover), the
page headers and the document title.  Those paragraphs are also handed over
one by one (``SourceDocument.paragraphs``) with the outline level of a
heading style (標題 1 / Heading 1, ``w:outlineLvl`` of the paragraph or its
style, ``basedOn`` followed) for narrative documents; 目錄 (TOC) paragraphs
are left out of them.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from ..numbering import chinese_numeral
from . import safety
from .official import Grid, GridCell, ImportResult, Paragraph, SourceDocument, read_with_report as _read_with_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "hyperlink",
               W + "ins", W + "fldSimple", W + "moveTo", W + "bdo", W + "dir"}
_SKIPPED = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr", W + "customXmlPr",
            W + "instrText", W + "delText", W + "drawing", W + "pict", W + "object",
            W + "footnoteReference", W + "endnoteReference", W + "commentReference",
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}
MAX_META_TEXTS = 400


def _val(element, default=None):
    if element is None:
        return default
    return element.get(W + "val", default)


def _int(element, default: int) -> int:
    try:
        return max(0, int(_val(element, default)))
    except (TypeError, ValueError):
        return default


# --- automatic numbering ---------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_CHINESE_FORMATS = {"taiwaneseCountingThousand", "taiwaneseCounting", "chineseCounting",
                    "chineseCountingThousand", "ideographDigital", "chineseLegalSimplified",
                    "japaneseCounting"}


def _format_number(fmt: str, n: int) -> str:
    if fmt in _CHINESE_FORMATS and n > 0:
        return chinese_numeral(n)
    if fmt == "ideographTraditional" and 0 < n <= len(_HEAVENLY):
        return _HEAVENLY[n - 1]
    if fmt == "decimalEnclosedCircle" and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("upperLetter", "lowerLetter") and 0 < n <= 26:
        letter = chr(ord("A") + n - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """numbering.xml: turns a paragraph's ``w:numPr`` into the text Word shows."""

    def __init__(self, root: Element | None, styles: Element | None = None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numpr: dict[str, Element] = {}  # paragraph style id → its w:numPr (basedOn resolved)
        if root is None:
            return
        if styles is not None:
            own: dict[str, tuple[Element | None, str | None]] = {}
            for style in styles.iter(W + "style"):
                ppr = style.find(W + "pPr")
                own_id = style.get(W + "styleId")
                if own_id is None:
                    continue  # a style nothing can refer to
                own[own_id] = (ppr.find(W + "numPr") if ppr is not None else None,
                                  _val(style.find(W + "basedOn")))
            for style_id in own:
                current: str | None = style_id
                hops = 0
                while current in own and hops < 10:
                    numpr, based_on = own[current]
                    if numpr is not None:
                        self.style_numpr[style_id] = numpr
                        break
                    current, hops = based_on, hops + 1
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in node.iter(W + "lvl"):
                ilvl = _int_attr(lvl.get(W + "ilvl"), 0)
                levels[ilvl] = (_val(lvl.find(W + "numFmt"), "decimal"), _val(lvl.find(W + "lvlText"), ""),
                                _int(lvl.find(W + "start"), 1))
            abstract_id = node.get(W + "abstractNumId")
            if abstract_id is not None:
                abstract[abstract_id] = levels
        for num in root.iter(W + "num"):
            levels = dict(abstract.get(_val(num.find(W + "abstractNumId")), {}))
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int_attr(override.get(W + "ilvl"), 0)
                start = override.find(W + "startOverride")
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, _int(start, 1))
            num_id = num.get(W + "numId")
            if num_id is not None:
                self.levels[num_id] = levels

    def label(self, paragraph) -> str:
        ppr = paragraph.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        style_numpr = self.style_numpr.get(_val(ppr.find(W + "pStyle"))) if ppr is not None else None
        if numpr is None:
            numpr = style_numpr
        if numpr is None:
            return ""
        num_id = _val(numpr.find(W + "numId"))
        if num_id is None and style_numpr is not None:
            num_id = _val(style_numpr.find(W + "numId"))
        ilvl_element = numpr.find(W + "ilvl")
        if ilvl_element is None and style_numpr is not None:
            ilvl_element = style_numpr.find(W + "ilvl")
        ilvl = _int(ilvl_element, 0)
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or ilvl > 8:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        label = text
        for level in range(ilvl + 1):
            if f"%{level + 1}" in label:
                lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
                label = label.replace(f"%{level + 1}", _format_number(lfmt, counters[level] or lstart))
        return label if fmt not in ("bullet", "none") else ""


def _int_attr(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- text ---------------------------------------------------------------------------

def _inline_text(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            out.append("\t")
        elif tag == W + "br":
            if child.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == W + "cr":
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == _R or tag in _CONTAINERS:
            _inline_text(child, out)


def paragraph_text(paragraph, numbering: _Numbering) -> str:
    out: list[str] = []
    _inline_text(paragraph, out)
    text = "".join(out)
    label = numbering.label(paragraph)
    return f"{label}{text}" if label and text.strip() else text


def _block_items(parent):
    """Paragraphs and tables in order, looking through content controls."""
    for child in parent:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _block_items(child)


def _cell_lines(tc, numbering: _Numbering) -> list[str]:
    lines: list[str] = []
    for block in _block_items(tc):
        if block.tag == _P:
            lines.append(paragraph_text(block, numbering))
        else:  # a table inside the cell: its text, row by row
            for row in _rows(block):
                for cell in _cells(row):
                    lines.extend(_cell_lines(cell, numbering))
    return lines


def _rows(tbl):
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _rows(child)


def _cells(tr):
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _cells(child)


def table_grid(tbl, numbering: _Numbering, place: str, name_hint: str = "") -> Grid:
    """A w:tbl as logical cells with their spans (gridBefore, gridSpan, vMerge, hMerge)."""
    cells: list[GridCell] = []
    above: dict[int, GridCell] = {}  # grid column → the cell that starts there and may continue down
    for r, tr in enumerate(_rows(tbl)):
        trpr = tr.find(W + "trPr")
        col = _int(trpr.find(W + "gridBefore"), 0) if trpr is not None else 0
        previous: GridCell | None = None
        for tc in _cells(tr):
            tcpr = tc.find(W + "tcPr")
            span, vmerge, hmerge = 1, None, None
            if tcpr is not None:
                span = max(1, _int(tcpr.find(W + "gridSpan"), 1))
                merge = tcpr.find(W + "vMerge")
                if merge is not None:
                    vmerge = _val(merge, "continue")  # a bare <w:vMerge/> continues
                merge = tcpr.find(W + "hMerge")
                if merge is not None:
                    hmerge = _val(merge, "continue")
            if hmerge == "continue" and previous is not None:
                previous.colspan += span
                col += span
                continue
            if vmerge == "continue":
                top = above.get(col)
                if top is not None and top.row + top.rowspan == r:
                    top.rowspan += 1
                    col += top.colspan
                    previous = top
                    continue
            cell = GridCell(r, col, "\n".join(_cell_lines(tc, numbering)), 1, span)
            cells.append(cell)
            above[col] = cell
            previous = cell
            col += span
    return Grid(cells, place, name_hint)


MAX_PARAGRAPHS = 200_000
_HEADING_NAME = re.compile(r"^(?:heading|標題)\s*(\d)$", re.IGNORECASE)


def _paragraph_styles(styles: Element | None) -> dict[str, tuple[int | None, bool]]:
    """Paragraph style id → (outline level 1–9 of a heading style, whether it is a 目錄 (TOC) style);
    ``basedOn`` followed for the outline level."""
    if styles is None:
        return {}
    own: dict[str, tuple[int | None, bool, str | None]] = {}
    for style in styles.iter(W + "style"):
        style_id = style.get(W + "styleId")
        if style_id is None or style.get(W + "type", "paragraph") != "paragraph":
            continue
        name = (_val(style.find(W + "name")) or "").strip()
        ppr = style.find(W + "pPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        level = _int(outline, 9) + 1 if outline is not None else None
        named = _HEADING_NAME.match(name) or _HEADING_NAME.match(style_id)
        if level is None and named:
            level = int(named.group(1))
        toc = name.lower().startswith("toc") or style_id.upper().startswith("TOC")
        own[style_id] = (level if level is not None and level <= 9 else None, toc, _val(style.find(W + "basedOn")))
    result = {}
    for style_id, (level, toc, based_on) in own.items():
        hops = 0
        while level is None and based_on in own and hops < 10:
            level, _, based_on = own[based_on]
            hops += 1
        result[style_id] = (level, toc)
    return result


def _paragraph_kind(paragraph, styles: dict[str, tuple[int | None, bool]]) -> tuple[int | None, bool]:
    ppr = paragraph.find(W + "pPr")
    if ppr is None:
        return styles.get("Normal", (None, False))
    style = _val(ppr.find(W + "pStyle")) or "Normal"
    level, toc = styles.get(style, (None, False))
    outline = ppr.find(W + "outlineLvl")
    if outline is not None:
        value = _int(outline, 9)
        level = value + 1 if value < 9 else None
    return level, toc


def load(path: str | os.PathLike[str]) -> SourceDocument:
    path = Path(path)
    source = SourceDocument(path)
    with safety.open_package(path) as zf:
        names = set(zf.namelist())
        numbering_root = None
        if "word/numbering.xml" in names:
            numbering_root = safety.parse_xml(safety.read_member(zf, "word/numbering.xml", path), path, "numbering.xml")
        styles_root = None
        if "word/styles.xml" in names:
            styles_root = safety.parse_xml(safety.read_member(zf, "word/styles.xml", path), path, "styles.xml")
        numbering = _Numbering(numbering_root, styles_root if numbering_root is not None else None)
        styles = _paragraph_styles(styles_root)
        root = safety.parse_xml(safety.read_member(zf, "word/document.xml", path), path, "document.xml")
        body = root.find(W + "body")
        if body is None:
            return source
        last_paragraphs: list[str] = []
        tables = 0
        for block in _block_items(body):
            if block.tag == _P:
                text = paragraph_text(block, numbering).strip()
                heading, toc = _paragraph_kind(block, styles)
                if text and not toc and len(source.paragraphs) < MAX_PARAGRAPHS:
                    source.paragraphs.append(Paragraph(text, heading, f"第 {len(source.paragraphs) + 1} 段"))
                if text:
                    last_paragraphs.append(text)
                    if len(source.texts) < MAX_META_TEXTS:
                        source.texts.append(text)
            else:
                tables += 1
                hint = last_paragraphs[-1] if last_paragraphs else ""
                source.grids.append(table_grid(block, numbering, f"第 {tables} 個表格", hint))
                last_paragraphs = []
        # Page headers carry "嘉義市東區區公所 109 年度工作總報告"; the title is in core.xml.
        for name in sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml")):
            header = safety.parse_xml(safety.read_member(zf, name, path), path, name)
            for paragraph in header.iter(_P):
                text = paragraph_text(paragraph, _Numbering(None)).strip()
                if text:
                    source.texts.append(text)
        if "docProps/core.xml" in names:
            core = safety.parse_xml(safety.read_member(zf, "docProps/core.xml", path), path, "core.xml")
            for element in core:
                title = (element.text or "").strip()
                if element.tag.endswith("}title") and title:
                    source.texts.append(title)
    return source


def read_with_report(path, **options) -> ImportResult:
    return _read_with_report(path, **options)


def read(path, **options):
    return _read_with_report(path, **options).report
