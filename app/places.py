"""Where things are in a report of a non-default template (issue 19), for the engine's
messages: validation, search and replace, 校對, merge plans.

The default template's places are app/layout.py's labels (壹、民政部門 › 一、一般民政 ›
(一) 選舉業務), which these modules keep using unchanged.  A report of another template
is walked by its own levels (app.rows): a node's place is the numbers and titles of its
template-level path joined by " › " (「壹、民政業務」, 「壹、便民服務 › 一、提升為民服務品質」);
the implicit 項/目 of a one- or two-level template never show; an entry is 「第 n 筆」 of its
last-level node (counting through all the implicit 目 below it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .model import Department, Entry, Item, Node, Report
from .rows import items_of, level_nodes, numbers, title_of
from .templates import Level, Template

SEPARATOR = " › "


@dataclass(frozen=True)
class LevelPlace:
    """A node of one of the template's levels."""

    node: Node
    department: Department
    depth: int
    level: Level
    number: str
    where: str  # its path, itself included

    level_count: int = 1  # the template's levels

    @property
    def is_last(self) -> bool:
        return self.depth == self.level_count - 1


@dataclass(frozen=True)
class EntryPlace:
    entry: Entry
    department: Department
    owner: Node  # the last-level node it is a row of
    item: Item  # the model 目 holding it (implicit below a one- or two-level template)
    index: int  # 1-based, through the owner's entries
    where: str  # the owner's path


def walk(report: Report, template: Template | None = None,
         departments: list[Department] | None = None) -> Iterator[LevelPlace | EntryPlace]:
    """The template-level nodes and the entries of the last level's nodes, in report order."""
    template = template or report.template
    number_of = numbers(report, template)
    path: list[str] = []
    department: Department | None = None
    last = len(template.levels) - 1
    for depth, node in level_nodes(report, template, departments):
        if isinstance(node, Department):
            department = node
        assert department is not None
        del path[depth:]
        number = number_of.get(node.id, "")
        path.append(f"{number}{title_of(node)}")
        where = SEPARATOR.join(path)
        yield LevelPlace(node, department, depth, template.levels[depth], number, where, len(template.levels))
        if depth != last:
            continue
        n = 0
        for item in items_of(node):
            for entry in item.entries:
                n += 1
                yield EntryPlace(entry, department, node, item, n, where)


def labels(department: Department, template: Template, prefix: str | None = None) -> dict[str, str]:
    """``id → 壹、民政業務 › 第 2 筆`` for one department's template-level nodes and entries
    (its implicit nodes are named by their last-level node).  ``prefix`` is the department's
    own number in its report (a merge labels one department apart from its report); without
    it the department is numbered as the first."""
    single = Report(departments=[department], template=template)
    result: dict[str, str] = {}
    top = f"{prefix}{department.name}" if prefix is not None else None
    for place in walk(single, template):
        if isinstance(place, LevelPlace):
            where = place.where
            if top is not None:
                rest = where.split(SEPARATOR, 1)[1:]
                where = SEPARATOR.join([top, *rest])
            result[place.node.id] = where
            if place.is_last:
                for item in items_of(place.node):
                    result.setdefault(item.id, where)
                if isinstance(place.node, Department):
                    for section in place.node.sections:
                        result.setdefault(section.id, where)
        else:
            result[place.entry.id] = f"{result[place.owner.id]}{SEPARATOR}第 {place.index} 筆"
    return result
