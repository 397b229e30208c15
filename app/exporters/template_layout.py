"""What the .docx and .odt of a report in a non-default template show (issue 19).

The default template 「區公所年度工作總報告」 keeps its own calibrated exporters
(app/exporters/docx.py, odt.py, driven by app.layout and app.pages); every other
template is written by docx_template.py and odt_template.py from this one
reading of :mod:`app.rows`, so that both formats hold the same cells, merges
and headings:

* :func:`page_size` — A4 in the template's orientation, the default's 2.5 cm
  margins (:data:`app.pages.GEOMETRY`);
* :func:`table_plan` — a ``table`` layout as ONE table for the report (as the
  published 重要施政項目 and 施政績效 tables are): its header rows (a column
  ``group`` such as 預算執行情形 over 預算金額/執行金額/執行率 makes two rows,
  the other headings merged down over both), its widths (the template's
  hundredths of the table width) and alignments, then per :class:`~app.rows.Heading`
  a row spanning every column (壹、民政業務) and per :class:`~app.rows.Row` its
  cells, a column level's cell (策略績效目標) merged down over its node's rows;
* :func:`narrative_plan` — a ``narrative`` layout as headings (one Word/ODF
  heading level per template level), an optional divider page before a level
  with ``divider_page`` (the spaced name, 民 政 部 門) and a paragraph per
  entry with a hanging indent by its numbered-text level (一、 (一) 1. (1));
* :func:`texts` — the cover, running-header and 目錄 texts of the template.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..layout import clean_text, text_values
from ..model import Department, Report
from ..numbering import spaced_name
from ..pages import GEOMETRY
from ..rows import Heading, Row, blocks, headers
from ..templates import Column, Level, Template
from ..textmetrics import text_width

#: Text sizes (points) of the template path; the cover, header and divider sizes are the default's.
NARRATIVE_TEXT_SIZE = 14.0
HEADING_SIZES = (18.0, 16.0, 14.0)
#: The line pitch of narrative paragraphs, as a multiple of the font size.
NARRATIVE_LINE = 1.25


@dataclass(frozen=True)
class PageSize:
    width: float  # points
    height: float
    margin: float
    landscape: bool

    @property
    def body_width(self) -> float:
        return self.width - 2 * self.margin


def page_size(template: Template) -> PageSize:
    g = GEOMETRY
    landscape = template.orientation == "landscape"
    width, height = (g.height, g.width) if landscape else (g.width, g.height)
    return PageSize(width, height, g.margin, landscape)


@dataclass(frozen=True)
class Texts:
    title: str
    cover_lines: tuple[str, ...]
    running_header: str
    contents_title: str
    office: str


def texts(report: Report) -> Texts:
    template = report.template
    values = text_values(report)
    return Texts(clean_text(template.title_text(values)),
                 tuple(clean_text(line) for line in template.cover_lines(values) if line.strip()),
                 clean_text(template.running_header_text(values)),
                 clean_text(template.contents_title(values)),
                 values["office"])


def selected(report: Report, departments: list[str] | None) -> list[Department] | None:
    """The departments named (the exporters' ``departments=`` argument), or None for all."""
    if departments is None:
        return None
    wanted = [name.strip() for name in departments]
    return [d for d in report.departments if d.name.strip() in wanted]


# --- table layout -------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderCell:
    text: str
    column: int  # first grid column
    span: int = 1  # columns
    rows: int = 1  # header rows it covers (2: merged down over the second row)


@dataclass
class BodyCell:
    text: str
    align: str = "left"
    rows: int = 1  # >1: the first of a vertical merge; 0: covered by the cell above


@dataclass
class TableRow:
    heading: bool  # a Heading row: one cell spanning every column
    cells: list[BodyCell] = field(default_factory=list)


@dataclass
class TablePlan:
    widths: list[float]  # shares of the table width (sum 1)
    aligns: list[str]
    header_rows: list[list[HeaderCell]]
    rows: list[TableRow]


def _parts(template: Template) -> list[Level | Column]:
    return template.table_columns


def header_rows(template: Template) -> list[list[HeaderCell]]:
    parts = _parts(template)
    titles = headers(template)
    if not any(part.group for part in parts):
        return [[HeaderCell(title, n) for n, title in enumerate(titles)]]
    top: list[HeaderCell] = []
    second: list[HeaderCell] = []
    n = 0
    while n < len(parts):
        group = parts[n].group
        if not group:
            top.append(HeaderCell(titles[n], n, rows=2))
            n += 1
            continue
        end = n
        while end < len(parts) and parts[end].group == group:
            end += 1
        top.append(HeaderCell(group, n, span=end - n))
        second.extend(HeaderCell(titles[k], k) for k in range(n, end))
        n = end
    return [top, second]


def table_plan(report: Report, departments: list[str] | None = None) -> TablePlan:
    template = report.template
    parts = _parts(template)
    raw = [max(part.width, 0) for part in parts]
    total = sum(raw) or len(raw)
    widths = [(w or (total / len(raw) if not sum(raw) else 0)) / total for w in raw]
    aligns = [part.align for part in parts]
    column_levels = [part for part in parts if isinstance(part, Level)]
    rows: list[TableRow] = []
    # the row where each column level's current merged cell starts
    open_cells: dict[int, BodyCell] = {}
    for block in blocks(report, selected(report, departments)):
        if isinstance(block, Heading):
            rows.append(TableRow(True, [BodyCell(clean_text(block.text))]))
            open_cells.clear()
            continue
        assert isinstance(block, Row)
        cells: list[BodyCell] = []
        for n, text in enumerate(block.cells):
            if n < len(column_levels):
                if block.first[n] or n not in open_cells:
                    cell = BodyCell(clean_text(text), aligns[n])
                    open_cells[n] = cell
                    for deeper in range(n + 1, len(column_levels)):
                        open_cells.pop(deeper, None)
                    cells.append(cell)
                else:
                    open_cells[n].rows += 1
                    cells.append(BodyCell("", aligns[n], rows=0))
                continue
            cells.append(BodyCell(clean_text(text), aligns[n]))
        rows.append(TableRow(False, cells))
    return TablePlan(widths, aligns, header_rows(template), rows)


# --- narrative layout ---------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeHeading:
    text: str
    depth: int  # 0: Heading 1
    divider: str  # the spaced name for a divider page before it, or ""


@dataclass(frozen=True)
class NarrativeParagraph:
    text: str  # number + text (one paragraph per line of the entry)
    left: float  # em: where every line but the first starts
    hanging: float  # em: how far the first line starts left of ``left``
    first_line: float = 0.0  # em: a first-line indent (an unnumbered paragraph)


NarrativeBlock = NarrativeHeading | NarrativeParagraph


def _number_width(number: str) -> float:
    return text_width(number) if number else 0.0


def level_indents(template: Template) -> list[float]:
    """Where each numbered-text level's number starts (em from the margin): level 1 at 0, each
    deeper one where the text of the level above starts (一、 2 em, (一) 2 em, 1. 1 em …)."""
    column = template.text_column
    levels = column.levels if column is not None else ()
    starts = [0.0]
    for fmt in levels:
        starts.append(starts[-1] + max(1.0, math.ceil(_number_width(fmt.format(1)) * 2 - 1e-9) / 2))
    return starts


def narrative_plan(report: Report, departments: list[str] | None = None) -> list[NarrativeBlock]:
    template = report.template
    starts = level_indents(template)
    result: list[NarrativeBlock] = []
    last_level = 0  # the numbered-text level of the entry above (0: none under this heading)
    for block in blocks(report, selected(report, departments)):
        if isinstance(block, Heading):
            divider = spaced_name(clean_text(block.title)) if block.level.divider_page else ""
            result.append(NarrativeHeading(clean_text(block.text), block.depth, divider))
            last_level = 0
            continue
        assert isinstance(block, Row)
        entry = block.entry
        if entry is None:
            continue
        lines = clean_text(entry.text).split("\n")
        if entry.level <= 0:
            # a paragraph of the text above it: where that level's text starts, first line indented 2 em
            left = starts[min(last_level, len(starts) - 1)]
            for line in lines:
                result.append(NarrativeParagraph(line, left, 0.0, first_line=2.0))
            continue
        last_level = entry.level
        level = min(entry.level, len(starts) - 1)
        start = starts[level - 1]
        number = clean_text(block.number)
        # the level's slot (its text starts where the next level's number does), wider for 十一、
        hang = max(starts[level] - start, _number_width(number))
        result.append(NarrativeParagraph(number + lines[0], start + hang, hang))
        for line in lines[1:]:
            result.append(NarrativeParagraph(line, start + hang, 0.0))
    return result


def contents_entries(plan: list[NarrativeBlock], depth: int = 2) -> list[tuple[int, NarrativeHeading]]:
    """The headings a narrative's 目錄 lists (the top two levels), with their index in ``plan``."""
    return [(n, block) for n, block in enumerate(plan)
            if isinstance(block, NarrativeHeading) and block.depth < depth]
