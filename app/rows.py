"""A report as its template lays it out: headings and rows, every cell's text (issue 19).

The one reading of a report under its template that the window's table, the
exporters, the CSV and the import recogniser share (no Qt, no file formats):

* :func:`numbers` — every node's number by its template level (壹、 一、 甲、 …,
  a lone unnumbered 目 ""), every entry's numbered-text number (1. (1);
  一、 (一) 1. (1) in the narrative) and every serial (項次 1 2 3, restarting per
  the last level's node or counting through the report);
* :func:`blocks` — the report from the top as :class:`Heading` (a level shown
  as a heading: 壹、民政業务 above the budget rows, every level of a narrative)
  and :class:`Row` (one entry; or a placeholder for a last-level node without
  entries, so that it still shows): ``cells`` holds one text per
  ``template.table_columns`` — a column level's number and title (類 項 目,
  策略績效目標), then each column's shown value;
* :func:`cell_value` — what a cell holds as a value (int for money, a float
  ratio for a computed column) for sheets that keep numbers as numbers.

Implicit levels (app.templates ``Template.implicit_kinds``: the 項 and 目 of a
one-level budget table) hold no titles and are never shown; their entries are
the rows of the last level's node.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Union

from .model import Department, Entry, Item, Node, Report, Section, get_field
from .templates import Column, Level, Template, compute, format_value, number_levels, numbered_text_numbers


@dataclass(frozen=True)
class Heading:
    """A node of a level shown as a heading (or any level of a narrative)."""

    node: Node
    depth: int  # its template level (0 the top)
    level: Level
    number: str  # 壹、 (or "" for an unnumbered level / node)
    title: str

    @property
    def text(self) -> str:
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class Row:
    """One entry (or a placeholder for a last-level node that has none)."""

    entry: Entry | None
    path: tuple[Node, ...]  # the template-level nodes above it, from the top
    item: Item  # the model's 目 that holds the entry (implicit in one- and two-level templates)
    cells: tuple[str, ...]  # one per template.table_columns
    number: str  # the numbered text's number ("" without one)
    first: tuple[bool, ...]  # per column level: the first row of its node (where a merged cell starts)


Block = Union[Heading, Row]


def level_nodes(report: Report, template: Template, departments: list[Department] | None = None
                ) -> Iterator[tuple[int, Node]]:
    """The nodes of the template's levels in report order, with their depth (implicit ones skipped)."""
    depth = len(template.levels)
    for department in report.departments if departments is None else departments:
        yield 0, department
        if depth < 2:
            continue
        for section in department.sections:
            yield 1, section
            if depth < 3:
                continue
            for item in section.items:
                yield 2, item


def _numbered(node: Node, level: Level) -> bool:
    return not (isinstance(node, Item) and not node.numbered and level.may_be_unnumbered) \
        and level.numbering.system != "none"


def items_of(node: Node) -> list[Item]:
    """The model's 目 under a node of any level (a 目 itself)."""
    if isinstance(node, Item):
        return [node]
    if isinstance(node, Section):
        return list(node.items)
    if isinstance(node, Department):
        return [item for section in node.sections for item in section.items]
    return []


def numbers(report: Report, template: Template | None = None) -> dict[str, str]:
    """Every node's number by id (template levels and numbered text), and every serial
    by ``"<entry id>:<column key>"``."""
    template = template or report.template
    nodes = list(level_nodes(report, template))
    result: dict[str, str] = {}
    labels = number_levels(template.levels, [(depth, _numbered(node, template.levels[depth])) for depth, node in nodes])
    for (depth, node), label in zip(nodes, labels):
        result[node.id] = label
    text = template.text_column
    serials = [column for column in template.columns if column.type == "serial"]
    counts = {column.key: 0 for column in serials}
    last = len(template.levels) - 1
    for depth, node in nodes:
        if depth != last:
            continue
        for column in serials:
            if column.restart == "parent":
                counts[column.key] = 0
        for item in items_of(node):
            if text is not None:
                result.update(zip((e.id for e in item.entries),
                                  numbered_text_numbers(text, [e.level for e in item.entries])))
            for entry in item.entries:
                for column in serials:
                    counts[column.key] += 1
                    result[f"{entry.id}:{column.key}"] = column.levels[0].format(counts[column.key])
    return result


def title_of(node: Node) -> str:
    return node.name if isinstance(node, Department) else getattr(node, "title", "")


def row_values(entry: Entry | None, template: Template) -> dict[str, Any]:
    """An entry's values by column key (its own text/completion/remark and Entry.values)."""
    if entry is None:
        return {}
    return {column.key: get_field(entry, column.key) for column in template.stored_columns}


def cell_value(column: Column, entry: Entry | None, template: Template) -> Any:
    """A column's value in a row as a sheet keeps it: the kept value, a computed ratio (a float
    percentage), None when empty (serials are texts: see :func:`numbers`)."""
    if entry is None or column.type == "serial":
        return None
    values = row_values(entry, template)
    if column.type == "computed":
        return compute(column, values)
    return values.get(column.key)


def cell_text(column: Column, entry: Entry | None, template: Template, number_of: dict[str, str]) -> str:
    """A column's text in a row, as the table shows it."""
    if entry is None:
        return ""
    if column.type == "serial":
        return number_of.get(f"{entry.id}:{column.key}", "")
    if column.type == "numbered_text":
        return number_of.get(entry.id, "") + entry.text
    values = row_values(entry, template)
    return format_value(column, values.get(column.key), values)


def blocks(report: Report, departments: list[Department] | None = None,
           template: Template | None = None) -> list[Block]:
    """The report's headings and rows from the top (``departments``: only these)."""
    template = template or report.template
    number_of = numbers(report, template)
    column_levels = [depth for depth, level in enumerate(template.levels)
                     if level.display == "column" and template.layout == "table"]
    last = len(template.levels) - 1
    result: list[Block] = []
    path: list[Node] = []
    started: set[int] = set()  # column levels whose current node has had its first row
    for depth, node in level_nodes(report, template, departments):
        del path[depth:]
        path.append(node)
        level = template.levels[depth]
        for deeper in range(depth, len(template.levels)):
            started.discard(deeper)
        if depth not in column_levels:
            result.append(Heading(node, depth, level, number_of.get(node.id, ""), title_of(node)))
        if depth != last:
            continue
        for item in items_of(node):
            entries: list[Entry | None] = list(item.entries) or [None]
            for entry in entries:
                cells = [f"{number_of.get(path[d].id, '')}{title_of(path[d])}" for d in column_levels]
                cells += [cell_text(column, entry, template, number_of) for column in template.columns]
                first = tuple(d not in started for d in column_levels)
                started.update(column_levels)
                result.append(Row(entry, tuple(path), item, tuple(cells),
                                  number_of.get(entry.id, "") if entry is not None else "", first))
    return result


def headers(template: Template) -> list[str]:
    """The table's column headings, left to right (a column level's heading, or its name)."""
    return [part.heading or part.name if isinstance(part, Level) else part.heading
            for part in template.table_columns]


__all__ = ["Block", "Heading", "Row", "blocks", "cell_text", "cell_value", "headers", "items_of",
           "level_nodes", "numbers", "row_values", "title_of"]
