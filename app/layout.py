"""The official layout, computed once for every exporter and the GUI table.

``layout(report)`` turns the tree into what the official table shows
(docs/official-layout.md): per department its 類 label (壹、民政部門), per 項
and 目 their labels, and the body rows of 辦理情形.  A row is one plain
paragraph or one numbered item together with the sub-items that follow it —
they share one row and the item's 完成程度 — except that a sub-item with a
完成程度 of its own opens a row of its own (and so keeps its percentage in
every export and import).  Exporters only place these rows;
numbering and text cleaning live here so that every format agrees.

``body_plan(block)`` is the one body-row plan of a department table that
every exporter places (docx, odt, PDF, xlsx, ods): which row opens the 類,
項 and 目 cells and how many rows each spans.  Where each row lands on a
page is :mod:`app.pages`'s job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import LEVEL_SUBITEM, Department, Entry, Item, Report, Section
from .numbering import NumberingStyle, chinese_numeral, entry_numbers, item_numbers, spaced_name, style_named
from .templates import Template, number_levels, numbered_text_numbers

# C0 controls other than tab and newline (Word pastes \x0b for a manual line
# break, \x07 for cell ends), lone surrogates and U+FFFE/U+FFFF are not allowed
# in XML and break every writer; \x0b/\x0c become line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|\r|[\x0b\x0c\u2028\u2029]")


def clean_text(text: str | None) -> str:
    if not text:
        return ""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def completion_text(completion: int | None) -> str:
    return "" if completion is None else f"{completion}%"


@dataclass
class Row:
    """One body row: a head entry and the sub-items that share its row."""

    entries: list[Entry]
    numbers: list[str]

    @property
    def head(self) -> Entry:
        return self.entries[0]

    @property
    def completion(self) -> int | None:
        return self.head.completion

    @property
    def lines(self) -> list[str]:
        """Each entry as printed: ``1. text`` / ``(1) text`` / ``text``."""
        return [
            f"{number} {clean_text(entry.text)}" if number else clean_text(entry.text)
            for entry, number in zip(self.entries, self.numbers)
        ]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def remark(self) -> str:
        return "\n".join(clean_text(e.remark) for e in self.entries if e.remark)


@dataclass
class ItemBlock:
    item: Item
    number: str
    rows: list[Row]

    @property
    def label(self) -> str:
        title = clean_text(self.item.title)
        return f"{self.number} {title}" if self.number else title


@dataclass
class SectionBlock:
    section: Section
    number: str
    items: list[ItemBlock]

    @property
    def label(self) -> str:
        return f"{self.number}{clean_text(self.section.title)}"

    @property
    def row_count(self) -> int:
        return sum(max(1, len(block.rows)) for block in self.items) or 1


@dataclass
class DepartmentBlock:
    department: Department
    position: int  # 1-based position in the whole report (壹 = 1), kept when exported alone
    number: str
    sections: list[SectionBlock]

    @property
    def name(self) -> str:
        return clean_text(self.department.name)

    @property
    def label(self) -> str:
        return f"{self.number}{self.name}"

    @property
    def divider(self) -> str:
        return spaced_name(self.name)

    @property
    def toc_label(self) -> str:
        """The 目錄 line: 一、民政部門."""
        return f"{chinese_numeral(self.position)}、{self.name}"

    @property
    def row_count(self) -> int:
        return sum(block.row_count for block in self.sections) or 1


@dataclass
class ReportLayout:
    report: Report
    departments: list[DepartmentBlock] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.report.roc_year} 年度工作總報告"

    @property
    def office(self) -> str:
        return clean_text(self.report.office)

    @property
    def published(self) -> str:
        """``中華民國 110 年 3 月`` (empty parts left out)."""
        return published_text(self.report)

    @property
    def running_header(self) -> str:
        return f"{self.office} {self.report.roc_year} 年度工作總報告"


HEADER_PLAN = "計畫名稱"
HEADER_CLASS, HEADER_SECTION, HEADER_ITEM = "類", "項", "目"
HEADER_PROGRESS = "辦理情形"
HEADER_COMPLETION = "完成程度百分比"
HEADER_REMARK = "備註"
TOC_TITLE_SUFFIX = "目錄"
# Column widths in the seed's proportions (類 narrow, 辦理情形 widest), in
# hundredths of the table width.
COLUMN_SHARES = (7, 12, 15, 46, 9, 11)


@dataclass
class BodyRow:
    """One body row of a department table and the merged cells that open on it.

    ``section``/``item`` are set on the first row of a 項/目 with the number
    of rows it spans; ``row`` is None for the placeholder row of an empty
    項 or 目 (they still get one row so that their label shows).  ``first``
    marks the department's first row, where the 類 cell opens.
    """

    row: Row | None
    section: SectionBlock | None = None
    section_span: int = 0
    item: ItemBlock | None = None
    item_span: int = 0
    first: bool = False
    opens_section: bool = False  # a 項 cell (possibly empty) starts on this row
    opens_item: bool = False  # a 目 cell (possibly empty) starts on this row

    @property
    def section_label(self) -> str | None:
        """The 項 cell's text where one opens ("" for an empty one), None where the merge continues."""
        if not self.opens_section:
            return None
        return self.section.label if self.section is not None else ""

    @property
    def item_label(self) -> str | None:
        """The 目 cell's text where one opens ("" for an empty one), None where the merge continues."""
        if not self.opens_item:
            return None
        return self.item.label if self.item is not None else ""


def body_plan(block: DepartmentBlock) -> list[BodyRow]:
    """The department's body rows in order; a 項 or 目 without entries still gets one row."""
    plan: list[BodyRow] = []
    for section in block.sections:
        start = len(plan)
        if not section.items:
            plan.append(BodyRow(None, opens_item=True))
        for item in section.items:
            first = len(plan)
            entry_rows: list[Row | None] = list(item.rows) or [None]
            for row in entry_rows:
                plan.append(BodyRow(row))
            plan[first].item = item
            plan[first].item_span = len(plan) - first
            plan[first].opens_item = True
        plan[start].section = section
        plan[start].section_span = len(plan) - start
        plan[start].opens_section = True
    if not plan:  # a department without 項: one empty row
        plan.append(BodyRow(None, opens_section=True, opens_item=True))
    plan[0].first = True
    return plan


def published_text(report: Report) -> str:
    if not report.published_roc_year:
        return ""
    text = f"中華民國 {report.published_roc_year} 年"
    if report.published_month:
        text += f" {report.published_month} 月"
    return text


def rows_of(item: Item, style: NumberingStyle) -> list[Row]:
    numbers = entry_numbers([e.level for e in item.entries], style)
    rows: list[Row] = []
    for entry, number in zip(item.entries, numbers):
        # A sub-item shares the row of the item above it, and that row's
        # 完成程度, unless it carries a 完成程度 of its own: then it opens a row
        # with its percentage beside it (兵役 (八) 替代役管理 (1)–(3) in the
        # published report), and the sub-items after it without one join it.
        if entry.level == LEVEL_SUBITEM and rows and entry.completion is None:
            rows[-1].entries.append(entry)
            rows[-1].numbers.append(number)
        else:
            rows.append(Row([entry], [number]))
    return rows


def layout(report: Report, department_names: list[str] | None = None) -> ReportLayout:
    """The report as the official table shows it; optionally only some departments."""
    style = style_named(report.numbering_style)
    result = ReportLayout(report)
    for position, department in enumerate(report.departments, start=1):
        if department_names is not None and department.name not in department_names:
            continue
        sections = []
        for s, section in enumerate(department.sections, start=1):
            numbers = item_numbers([item.numbered for item in section.items], style)
            items = [ItemBlock(item, number, rows_of(item, style)) for item, number in zip(section.items, numbers)]
            sections.append(SectionBlock(section, style.section_number(s), items))
        result.departments.append(
            DepartmentBlock(department, position, style.department_number(position), sections)
        )
    return result


# --- a report under a template (app/templates.py) ----------------------------------------


def text_values(report: Report) -> dict[str, str]:
    """What a template's cover and header patterns fill in: {office}, {roc_year}, {published}."""
    return {"office": clean_text(report.office), "roc_year": str(report.roc_year), "published": published_text(report)}


def report_heading(report: Report) -> str:
    """The report as a window title names it: its template's running header
    (「嘉義市東區區公所 109 年度工作總報告」, 「東區區公所 113 年度重要施政項目執行情形」)."""
    return report.template.running_header_text(text_values(report))


def file_stem(report: Report) -> str:
    """A file name for the report: its template's cover title without spaces, with the year
    when the title has none (「109年度工作總報告」, 「113年度重要施政項目執行情形」)."""
    stem = re.sub(r'[\\/:*?"<>|\s]', "", report.template.title_text(text_values(report)))
    year = f"{report.roc_year}年度"
    return stem if str(report.roc_year) in stem else f"{year}{stem}"  # 「113年度嘉義市政府施政報告」


def template_numbers(template: Template, report: Report) -> dict[str, str]:
    """Every node's number in a 類 › 項 › 目 report under ``template``, by node id.

    Entries get the numbers of the template's numbered text column.  For the
    default template these are exactly the labels :func:`layout` gives
    (tests/test_templates.py); the report model has three levels above its
    entries today, so deeper templates number trees of their own depth with
    :func:`app.templates.number_levels`."""
    if len(template.levels) != 3:
        raise ValueError(f"template {template.name!r} has {len(template.levels)} levels, the report 3")
    text = next((c for c in template.columns if c.type == "numbered_text"), None)
    nodes: list[tuple[str, int, bool]] = []
    result: dict[str, str] = {}
    for department in report.departments:
        nodes.append((department.id, 0, True))
        for section in department.sections:
            nodes.append((section.id, 1, True))
            for item in section.items:
                nodes.append((item.id, 2, item.numbered))
                if text is not None:
                    numbers = numbered_text_numbers(text, [e.level for e in item.entries])
                    result.update((entry.id, number) for entry, number in zip(item.entries, numbers))
    for (node_id, _, _), number in zip(nodes, number_levels(template.levels, [(d, n) for _, d, n in nodes])):
        result[node_id] = number
    return result
