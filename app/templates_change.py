"""Changing the template of a report that has content (issue 19): one undoable operation.

:class:`ChangeTemplate` replaces the report's template whole (the Edits primitive
``set_template``, app/document.py) and moves the entries' values along with it, in
the one transaction of ``ReportDocument.apply``.  What happens to the content:

* adding a column, renaming a heading, reordering columns or levels, changing a
  level's numbering or a column's width: nothing — values are kept by column key
  and every number is derived from position;
* removing a column that holds data: its values go (the operation keeps them, so
  undo puts them back exactly).  :func:`values_lost` says how many per heading, so
  the window can ask first;
* changing a column's type under the same key: each value the new type can keep
  as it is stays; otherwise its shown text is read again as the new type would read
  it typed (``1,234`` into an integer column); what neither takes is lost (counted);
* changing the number of levels: fewer levels only when every node of the new last
  level already holds exactly one untitled node of each removed level (the shape of
  implicit levels, app.templates Template.implicit_kinds); otherwise refused with one
  zh-TW line (:func:`fit_problem`).  More levels: always (the implicit nodes become
  untitled visible ones);
* a numbered text with fewer levels than some entries use: **refused** (not clamped),
  naming how many entries and the level, so nobody's outline is flattened unseen.

The plan is made again at every apply (redo finds the report exactly as the first
apply did, the undo stack sees to that); revert takes the steps back in reverse.
No Qt here: the dialog (ui/dialogs/template_editor.py), the CLI and tests share it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .edits import Edits
from .errors import ReportError, shown
from .model import KIND_LABEL, Entry, Node, Report, child_list
from .operations import Operation
from .templates import ENTRY_FIELD_TYPES, Column, Template, ValueProblem, check_value, format_value, kept_value

#: What an entry's own field holds when its column is gone.
_EMPTY_FIELD: dict[str, Any] = {"text": "", "completion": None, "remark": ""}


@dataclass(frozen=True)
class ValueStep:
    """One entry value the change moves: ``old`` under the old template, ``new`` under the new one
    (None / "" when it is lost)."""

    entry_id: str
    key: str
    old: Any
    new: Any
    heading: str  # the old column's heading (what the question names)

    @property
    def lost(self) -> bool:
        return _is_empty(self.new)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


def _title(node: Node) -> str:
    return node.name if node.kind == "department" else node.title  # type: ignore[union-attr]


def nodes_of(report: Report, kind: str) -> list[Node]:
    """Every node of one model kind (department, section, item), in document order."""
    departments: list[Node] = list(report.departments)
    if kind == "department":
        return departments
    sections = [s for d in report.departments for s in d.sections]
    if kind == "section":
        return list(sections)
    return [i for s in sections for i in s.items]


def entries_of(report: Report) -> list[Entry]:
    return [e for d in report.departments for s in d.sections for i in s.items for e in i.entries]


def rule_problem(template: Template) -> str | None:
    """The template's own rules (app.templates from_dict: schema, unique keys, widths adding up
    to 100 …) as one zh-TW line, or None."""
    from .templates import from_dict

    try:
        from_dict(template.to_dict())
    except ReportError as exc:
        return exc.message
    return None


def fit_problem(report: Report, template: Template, *, check_values: bool = False) -> str | None:
    """Why ``report`` as it is cannot take ``template``, as one zh-TW line, or None.

    The levels: every node of the template's last level must hold exactly one untitled
    node of each implicit level below it.  Entry levels: none deeper than the template's
    numbered text.  With ``check_values`` (the document's primitive, after the operation
    has moved the values) every kept value must be one of the template's columns and fit it."""
    problem = rule_problem(template)
    if problem:
        return problem
    old = report.template
    implicit = template.implicit_kinds
    if implicit:
        last = template.level_kinds[-1]
        for node in nodes_of(report, last):
            current: Node = node
            for kind in implicit:
                children = list(current.children)
                label = _level_name(old, kind)
                if len(children) != 1 or _title(children[0]).strip():
                    count = f"有 {len(children)} 個{label}" if len(children) != 1 else f"的{label}有名稱"
                    return (f"{shown(_title(node) or '（未命名）')}之下{count}；「{shown(template.name, quote=False)}」"
                            f"範本只有 {len(template.levels)} 層，每個{template.levels[-1].name}之下只能有一個"
                            f"沒有名稱的{label}，無法直接改用這個範本")
                current = children[0]
    deepest = template.max_entry_level
    too_deep = [e for e in entries_of(report) if e.level > deepest]
    if too_deep:
        level = max(e.level for e in too_deep)
        return (f"有 {len(too_deep)} 筆資料的層級深於新範本的編號文字（最深為第 {level} 層，新範本只有 {deepest} 層）；"
                f"請先把這些資料升層再套用")
    if check_values:
        columns = {c.key: c for c in template.value_columns}
        for entry in entries_of(report):
            for key, value in entry.values.items():
                column = columns.get(key)
                if column is None:
                    continue  # a value of a column neither template has is kept as it is (as loading does)
                try:
                    kept_value(column, value)
                except ValueProblem as problem:
                    return str(problem)
    return None


def _level_name(template: Template, kind: str) -> str:
    level = template.level_of(kind)
    return level.name if level is not None else KIND_LABEL.get(kind, kind)


def _moved_value(old_column: Column, new_column: Column, value: Any) -> Any:
    """``value`` of ``old_column`` as ``new_column`` keeps it, or None when it cannot."""
    try:
        kept = kept_value(new_column, value)
    except ValueProblem:
        kept = None
    if not _is_empty(kept):
        return kept
    checked = check_value(new_column, format_value(old_column, value))
    if checked.problem or _is_empty(checked.value):
        return None
    try:
        return kept_value(new_column, checked.value)
    except ValueProblem:
        return None


def plan(report: Report, template: Template) -> list[ValueStep]:
    """Every entry value that changes when ``report`` takes ``template`` (lost or re-read)."""
    old_columns = {c.key: c for c in report.template.stored_columns}
    new_columns = {c.key: c for c in template.stored_columns}
    steps: list[ValueStep] = []
    for entry in entries_of(report):
        for key, old_column in old_columns.items():
            value = getattr(entry, key) if key in ENTRY_FIELD_TYPES else entry.values.get(key)
            if _is_empty(value):
                continue
            new_column = new_columns.get(key)
            if new_column is None:
                new = _EMPTY_FIELD.get(key)
            elif new_column == old_column or new_column.type == old_column.type == "text" \
                    or key in ENTRY_FIELD_TYPES and key != "completion":
                continue  # same kind of value (text stays text)
            else:
                new = _moved_value(old_column, new_column, value)
                if new == value:
                    continue
                if new is None:
                    new = _EMPTY_FIELD.get(key)
            steps.append(ValueStep(entry.id, key, value, new, old_column.heading))
    return steps


def values_lost(report: Report, template: Template) -> dict[str, int]:
    """Column heading → how many values changing to ``template`` would remove (empty: none)."""
    lost: dict[str, int] = {}
    for step in plan(report, template):
        if step.lost:
            lost[step.heading] = lost.get(step.heading, 0) + 1
    return lost


def lost_question(lost: dict[str, int]) -> str:
    """「刪除欄位「補助機關名稱」會移除 3 筆資料，確定嗎？」 (several columns: each named)."""
    parts = "、".join(f"「{heading}」" for heading in lost)
    total = sum(lost.values())
    if len(lost) == 1:
        return f"刪除欄位{parts}會移除 {total} 筆資料，確定嗎？"
    counts = "、".join(f"「{heading}」{count} 筆" for heading, count in lost.items())
    return f"刪除或變更欄位{parts}會移除 {total} 筆資料（{counts}），確定嗎？"


@dataclass
class ChangeTemplate(Operation):
    """Replace the report's template with ``template``; the entries' values follow (module docstring)."""

    template: Template
    label: str = "變更報告範本"
    old: Template | None = None
    steps: list[ValueStep] = field(default_factory=list)

    def apply(self, edits: Edits) -> None:
        report = edits.report
        problem = fit_problem(report, self.template)
        if problem:
            raise ReportError(problem, edits.path)
        self.steps = plan(report, self.template)
        # Under the old template: empty every value that goes or is re-read …
        for step in self.steps:
            edits.set_field(step.entry_id, step.key, _EMPTY_FIELD.get(step.key))
        self.old = edits.set_template(self.template)
        # … under the new one: the re-read values.
        for step in self.steps:
            if not step.lost:
                edits.set_field(step.entry_id, step.key, step.new)

    def revert(self, edits: Edits) -> None:
        assert self.old is not None
        for step in reversed(self.steps):
            if not step.lost:
                edits.set_field(step.entry_id, step.key, _EMPTY_FIELD.get(step.key))
        edits.set_template(self.old)
        for step in reversed(self.steps):
            edits.set_field(step.entry_id, step.key, step.old)

    def touched_ids(self) -> set[str]:
        return {step.entry_id for step in self.steps}
