"""Read an ODF spreadsheet (.ods) report — and the ODF table walker .odt shares.

content.xml is streamed through defusedxml's ``iterparse`` after
:mod:`.safety` has checked the package.  odfpy's own loader is not used for
reading: it parses with a plain ``xml.sax`` parser (not defusedxml) and builds
a DOM of every element, where a sheet's ``number-rows-repeated="1048576"``
tail is cheap to skip but expensive to hold.  (The tests build their files
with odfpy, so what odfpy writes is what is checked.)

ODF tables put one element at every grid position: a
``table:table-cell`` (with ``number-columns-spanned`` /
``number-rows-spanned`` when it is the first cell of a merge) or a
``table:covered-table-cell`` under a merge.  Both may carry
``number-columns-repeated``, and rows ``number-rows-repeated``: repeats of
empty cells and rows only move the position (never expanded); repeats of
cells with text are expanded up to :data:`MAX_CELLS` cells in all.

A cell whose style is ``Continued`` (display name 續行), or an automatic
style derived from it, continues the text of the cell above
(``GridCell.continued``: our export cuts rows that would pass 409 pt).

A number cell (``office:value-type`` float, currency or percentage) keeps its
``office:value`` in ``GridCell.number`` (for templates' money and percent
columns); its text is still what the cell shows.

Cell text: each ``text:p`` / ``text:h`` (also inside ``text:list``) is a line;
``text:line-break`` is a line break, ``text:s`` ``text:c`` spaces,
``text:tab`` a tab; literal white space collapses to one space as ODF says;
annotations, notes and drawings are left out.  The paragraphs outside
tables (not inside a ``text:table-of-content``) are handed over in order with
a ``text:h``'s ``text:outline-level`` for narrative documents.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError
from . import safety
from .official import Grid, GridCell, ImportResult, SourceDocument, read_with_report as _read_with_report

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"

CONTINUED_STYLE = "Continued"  # cell style (display name 續行) of a cell continuing the one above
MAX_CELLS = 500_000  # cells with text in one file, repeats expanded
MAX_REPEAT_ROWS = 10_000
MAX_PARAGRAPHS = 200_000  # paragraphs outside tables handed over for a narrative document  # a row with text repeated more often than this is not a report
TOC_SHEET = "目錄"

_SKIP = {OFFICE + "annotation", OFFICE + "annotation-end", TEXT + "note", TEXT + "soft-page-break",
         TEXT + "bookmark", TEXT + "bookmark-start", TEXT + "bookmark-end", TEXT + "tracked-changes",
         TEXT + "sequence-decls", TEXT + "variable-decls", TEXT + "user-field-decls",
         TEXT + "change", TEXT + "change-start", TEXT + "change-end"}
_BLOCK = {TEXT + "p", TEXT + "h"}
_WS = re.compile(r"[ \t\r\n]+")


def _collapse(text: str | None) -> str:
    return _WS.sub(" ", text) if text else ""


def _inline(element, out: list[str]) -> None:
    out.append(_collapse(element.text))
    for child in element:
        tag = child.tag
        if tag == TEXT + "s":
            out.append(" " * _count(child.get(TEXT + "c"), 1))
        elif tag == TEXT + "tab":
            out.append("\t")
        elif tag == TEXT + "line-break":
            out.append("\n")
        elif tag in _SKIP or not tag.startswith((TEXT, "{urn:oasis:names:tc:opendocument:xmlns:office")):
            pass  # drawings, frames, annotations: their text is not the cell's
        else:
            _inline(child, out)
        out.append(_collapse(child.tail))


def paragraph_text(element) -> str:
    out: list[str] = []
    _inline(element, out)
    return "\n".join(line.strip(" ") for line in "".join(out).split("\n"))


def block_lines(element) -> list[str]:
    """The lines of a cell (or any container of paragraphs), nested tables included."""
    lines: list[str] = []
    for child in element:
        tag = child.tag
        if tag in _BLOCK:
            lines.append(paragraph_text(child))
        elif tag in _SKIP:
            continue
        elif tag in (TEXT + "list", TEXT + "list-item", TEXT + "list-header", TEXT + "section",
                     TABLE + "table", TABLE + "table-row", TABLE + "table-cell", TABLE + "table-rows",
                     TABLE + "table-header-rows", TABLE + "table-row-group"):
            lines.extend(block_lines(child))
    return lines


_NUMBER_TYPES = ("float", "currency", "percentage")


def _office_number(element) -> tuple[int | float | None, bool]:
    """A cell's ``office:value`` when its value type is a number (float, currency, percentage)."""
    kind = element.get(OFFICE + "value-type")
    if kind not in _NUMBER_TYPES:
        return None, False
    try:
        number = float(element.get(OFFICE + "value") or "")
    except ValueError:
        return None, False
    if number != number or number in (float("inf"), float("-inf")):
        return None, False
    return (int(number) if number.is_integer() and abs(number) < 1e15 else number), kind == "percentage"


def _count(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@dataclass
class _TableState:
    name: str
    caption: str
    nested: bool
    row: int = 0
    col: int = 0
    row_cells: list[GridCell] = field(default_factory=list)
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class OdfContent:
    tables: list[tuple[str, str, list[GridCell]]]  # name, caption before it, cells
    texts: list[str]  # paragraphs outside tables, in order (the first keep_texts)
    # Every paragraph outside tables and outside a table of contents: (text, outline level of a text:h)
    paragraphs: list[tuple[str, int | None]] = field(default_factory=list)


def read_tables(zf, path: Path, *, keep_texts: int = 400) -> OdfContent:
    """Every top-level table of content.xml as logical cells with spans, plus loose paragraphs."""
    tables: list[tuple[str, str, list[GridCell]]] = []
    texts: list[str] = []
    stack: list[_TableState] = []
    cell_depth = 0  # how many table cells we are inside
    parents: dict[str, str] = {}  # automatic cell style → its named (parent) style
    last_paragraph = ""
    total = 0
    paragraphs: list[tuple[str, int | None]] = []
    in_contents = 0  # inside text:table-of-content (its lines are not the report's)
    for event, element in safety.iterparse_member(zf, "content.xml", path):
        tag = element.tag
        if event == "start":
            if tag == TEXT + "table-of-content":
                in_contents += 1
            elif tag == TABLE + "table":
                stack.append(_TableState(element.get(TABLE + "name") or "", last_paragraph, nested=cell_depth > 0))
            elif tag in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                cell_depth += 1
            continue
        # end events
        if tag == STYLE + "style" and not stack:
            name = element.get(STYLE + "name")
            parent = element.get(STYLE + "parent-style-name")
            if name and parent:
                parents[name] = parent
            element.clear()
            continue
        if tag in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            cell_depth -= 1
            state = stack[-1] if stack else None
            if state is None or state.nested:
                continue
            repeat = _count(element.get(TABLE + "number-columns-repeated"), 1)
            if tag == TABLE + "table-cell":
                text = "\n".join(block_lines(element))
                rowspan = _count(element.get(TABLE + "number-rows-spanned"), 1)
                colspan = _count(element.get(TABLE + "number-columns-spanned"), 1)
                if text.strip() or rowspan > 1 or colspan > 1:
                    style = element.get(TABLE + "style-name") or ""
                    continued = bool(text) and CONTINUED_STYLE in (style, parents.get(style))
                    copies = repeat if text.strip() else 1
                    total += copies
                    if total > MAX_CELLS:
                        raise ReportError(f"表格過大（超過 {MAX_CELLS:,} 格有內容），不像是工作總報告", path)
                    number, percent = _office_number(element)
                    for k in range(copies):
                        state.row_cells.append(GridCell(state.row, state.col + k, text, rowspan, colspan, continued,
                                                        number, percent))
            state.col += repeat
            if cell_depth == 0:
                element.clear()
        elif tag == TABLE + "table-row":
            state = stack[-1] if stack else None
            if state is None or state.nested:
                continue
            repeat = _count(element.get(TABLE + "number-rows-repeated"), 1)
            if state.row_cells:
                if repeat > MAX_REPEAT_ROWS:
                    raise ReportError(f"表格過大（同一列重複 {repeat:,} 次），不像是工作總報告", path)
                total += len(state.row_cells) * (repeat - 1)
                if total > MAX_CELLS:
                    raise ReportError(f"表格過大（超過 {MAX_CELLS:,} 格有內容），不像是工作總報告", path)
                for k in range(repeat):
                    for cell in state.row_cells:
                        state.cells.append(GridCell(state.row + k, cell.col, cell.text, cell.rowspan, cell.colspan,
                                                    cell.continued, cell.number, cell.percent))
            state.row += repeat
            state.col = 0
            state.row_cells = []
            if cell_depth == 0:
                element.clear()
        elif tag == TABLE + "table":
            state = stack.pop() if stack else None
            if state is not None and not state.nested:
                tables.append((state.name, state.caption, state.cells))
                last_paragraph = ""
                element.clear()
        elif tag == TEXT + "table-of-content":
            in_contents -= 1
        elif tag in _BLOCK and cell_depth == 0 and not stack:
            text = paragraph_text(element).strip()
            if text:
                last_paragraph = text
                if len(texts) < keep_texts:
                    texts.append(text)
                if not in_contents and len(paragraphs) < MAX_PARAGRAPHS:
                    level = _count(element.get(TEXT + "outline-level"), 1) if tag == TEXT + "h" else None
                    paragraphs.append((text, level))
            element.clear()
    return OdfContent(tables, texts, paragraphs)


def extra_texts(zf, path: Path) -> list[str]:
    """Page headers (styles.xml) and the document title (meta.xml)."""
    texts: list[str] = []
    names = set(zf.namelist())
    if "styles.xml" in names:
        root = safety.parse_xml(safety.read_member(zf, "styles.xml", path), path, "styles.xml")
        for header in root.iter(STYLE + "header"):
            for paragraph in header.iter(TEXT + "p"):
                text = paragraph_text(paragraph).strip()
                if text:
                    texts.append(text)
    if "meta.xml" in names:
        root = safety.parse_xml(safety.read_member(zf, "meta.xml", path), path, "meta.xml")
        for title in root.iter(DC + "title"):
            title_text = (title.text or "").strip()
            if title_text:
                texts.append(title_text)
    return texts


def load(path: str | os.PathLike[str]) -> SourceDocument:
    path = Path(path)
    source = SourceDocument(path)
    with safety.open_package(path) as zf:
        content = read_tables(zf, path)
        source.texts.extend(content.texts)
        source.texts.extend(extra_texts(zf, path))
    for name, _caption, cells in content.tables:
        if name.strip() == TOC_SHEET:
            source.texts.extend(c.text for c in cells if c.text)
            continue
        source.grids.append(Grid(cells, f"工作表「{name}」", name))
    return source


def read_with_report(path, **options) -> ImportResult:
    return _read_with_report(path, **options)


def read(path, **options):
    return _read_with_report(path, **options).report
