"""尋找及取代: where a text occurs, and the edits that replace it — one undo step.

:func:`find_matches` lists every place (in report order) where ``find``
occurs in the chosen fields, in the whole report or one department;
:func:`plan_replace` turns them into one :class:`ReplacePlan`: a ``SetField``
per changed field (:meth:`ReplacePlan.operation` wraps them in one
:class:`~app.operations.Batch`, so the window pushes a single undo step) and
the matches it had to leave alone because their 目 is approved (locked until
a chief reopens it, app/review.py).

Matching is exact (the same characters; full-width and half-width forms are
different characters, as Word's default treats them).  Fields:
``text`` (辦理情形), ``remark`` (備註), ``title`` (部門名稱, 項 and 目 titles).
Department names and 項 titles are never locked; a 目's title and its entries
are locked while the 目 is approved.

A report of a non-default template (issue 19): ``text`` means every text column
of its template (the numbered text, text and unit columns: 重大計畫活動名稱, 辦理課室,
計畫成果及執行效益 …), ``remark`` its remark column when it has one, ``title`` the
titles of its levels; a match's ``field`` is the column key and ``where`` names
the column's heading.  Numbers, dates, choices and free text in money columns are
found by search (app/search.py) but never replaced.  The labels of fields are
app.model.field_label's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .layout import layout
from .model import Report, get_field
from .operations import Batch, SetField
from .places import EntryPlace, walk
from .templates import Template

ALL_FIELDS = ("text", "remark", "title")
DEFAULT_FIELDS = ("text", "remark")


@dataclass(frozen=True)
class Match:
    node_id: str
    department_id: str
    field: str  # the node's own field name: text, remark, title, name
    where: str  # 壹、民政部門 › 一、一般民政 › (一) 選舉業務
    count: int  # occurrences in this field
    locked: bool  # the 目 is approved: not replaced


@dataclass
class ReplacePlan:
    find: str
    replace: str
    operations: list[SetField] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)

    @property
    def replaced(self) -> int:
        """Occurrences that will be replaced."""
        return sum(m.count for m in self.matches if not m.locked)

    @property
    def skipped(self) -> int:
        """Occurrences left alone in approved 目."""
        return sum(m.count for m in self.matches if m.locked)

    @property
    def skipped_places(self) -> list[str]:
        return list(dict.fromkeys(m.where for m in self.matches if m.locked))

    def operation(self) -> Batch:
        """All the replacements as one operation (one transaction, one undo step)."""
        return Batch(list(self.operations), label=f"取代「{self.find}」為「{self.replace}」")


def find_matches(report: Report, find: str, *, department_id: str | None = None,
                 fields: tuple[str, ...] | list[str] = DEFAULT_FIELDS) -> list[Match]:
    """Every field holding ``find``, in report order (``department_id``: that department only)."""
    if not find:
        return []
    wanted = set(fields)
    if not report.template.is_default:
        return _find_template(report, report.template, find, department_id, wanted)
    matches: list[Match] = []

    def look(node_id: str, dep_id: str, name: str, text: str, where: str, locked: bool) -> None:
        count = text.count(find) if text else 0
        if count:
            matches.append(Match(node_id, dep_id, name, where, count, locked))

    for block in layout(report).departments:
        dep_id = block.department.id
        if department_id is not None and dep_id != department_id:
            continue
        if "title" in wanted:
            look(dep_id, dep_id, "name", block.department.name, block.label, False)
        for section_block in block.sections:
            section_where = f"{block.label} › {section_block.label}"
            if "title" in wanted:
                look(section_block.section.id, dep_id, "title", section_block.section.title, section_where, False)
            for item_block in section_block.items:
                item = item_block.item
                item_where = f"{section_where} › {item_block.label}"
                locked = item.status == "approved"
                if "title" in wanted:
                    look(item.id, dep_id, "title", item.title, item_where, locked)
                for entry in item.entries:
                    if "text" in wanted:
                        look(entry.id, dep_id, "text", entry.text, item_where, locked)
                    if "remark" in wanted:
                        look(entry.id, dep_id, "remark", entry.remark, item_where + "（備註）", locked)
    return matches


def plan_replace(report: Report, find: str, replace: str, *, department_id: str | None = None,
                 fields: tuple[str, ...] | list[str] = DEFAULT_FIELDS) -> ReplacePlan:
    """The edits that replace every ``find`` by ``replace`` (approved 目 skipped, counted)."""
    plan = ReplacePlan(find, replace)
    if not find or find == replace:
        plan.matches = find_matches(report, find, department_id=department_id, fields=fields) if find else []
        return plan
    plan.matches = find_matches(report, find, department_id=department_id, fields=fields)
    nodes = {n.id: n for n in report.walk()}
    for match in plan.matches:
        if match.locked:
            continue
        old = get_field(nodes[match.node_id], match.field)
        plan.operations.append(SetField(match.node_id, match.field, old.replace(find, replace)))
    return plan




def replaceable_keys(template: Template, wanted: set[str]) -> list[str]:
    """The column keys of ``template`` that ``fields`` (text / remark) replace in."""
    keys = []
    for column in template.stored_columns:
        if column.key == "remark":
            if "remark" in wanted:
                keys.append(column.key)
        elif column.type in ("text", "numbered_text", "unit") and "text" in wanted:
            keys.append(column.key)
    return keys


def _find_template(report: Report, template: Template, find: str, department_id: str | None,
                   wanted: set[str]) -> list[Match]:
    matches: list[Match] = []
    keys = replaceable_keys(template, wanted)
    text_key = template.text_column.key if template.text_column is not None else None
    departments = [d for d in report.departments if department_id is None or d.id == department_id]
    for place in walk(report, template, departments):
        if isinstance(place, EntryPlace):
            locked = place.item.status == "approved"
            for key in keys:
                value = get_field(place.entry, key)
                count = value.count(find) if isinstance(value, str) else 0
                if count:
                    row = f"{place.where} › 第 {place.index} 筆"
                    where = row if key == text_key else f"{row}（{template.column(key).heading}）"
                    matches.append(Match(place.entry.id, place.department.id, key, where, count, locked))
        elif "title" in wanted:
            node = place.node
            field = "name" if node.kind == "department" else "title"
            count = getattr(node, field).count(find)
            if count:
                locked = node.kind == "item" and getattr(node, "status", "") == "approved"
                matches.append(Match(node.id, place.department.id, field, place.where, count, locked))
    return matches
