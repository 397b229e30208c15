"""The rules of editing, without a window: what a typed value means and where new things go.

The GUI (ui/table, ui/tree, the structure and paste actions) asks these
functions for the engine :class:`~app.operations.Operation` that a keystroke,
a cell edit or a menu command stands for, and pushes it on its undo stack; the
CLI and the tests call the same functions.  Nothing here changes the report:
every function returns an operation (or ``None`` for a no-op, which must not
become an undo step) or a position.

Invariants:

* a typed title or entry loses the numbering the user typed (壹、 一、 (一)
  1. (1)): numbers are derived when shown, never stored in text;
* a 完成程度 is an int 0–100 or ``None``; anything else raises ``ValueError``
  (the caller says so in one zh-TW line);
* a no-op edit (same value) returns ``None``.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .model import LEVEL_ITEM, LEVEL_PARAGRAPH, Department, Entry, Item, Report
from .numbering import split_entry_text, strip_numbering
from .operations import Batch, InsertNode, MoveNode, Operation, SetField

if TYPE_CHECKING:
    from .document import ReportDocument

#: The kind a new node of each kind is inserted under.
PARENT_OF_NEW = {"department": "report", "section": "department", "item": "section"}

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# --- values ------------------------------------------------------------------------


def parse_completion(value: Any) -> int | None:
    """``100`` / ``"100%"`` / ``"100 ％"`` / ``"１００"`` / ``""`` → int or None; ValueError otherwise.

    The one reading of a typed or pasted 完成程度 (the table's cells, paste
    from Excel, fill down).  The official-report importer reads whole cells
    with several percentages and leftover words (app/importers/official.py
    ``parse_completions``) and keeps its own, more forgiving parser."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip().replace("％", "%").replace("%", "").strip()
        if text == "":
            return None
        text = text.translate(_FULL_WIDTH_DIGITS)
        if not text.isdigit():
            raise ValueError(text)
        number = int(text)
    if not 0 <= number <= 100:
        raise ValueError(number)
    return number


def set_operation(node, field: str, value: Any) -> SetField | None:
    """``SetField`` unless the node already holds ``value`` (a no-op is not an undo step)."""
    if node is None or getattr(node, field) == value:
        return None
    return SetField(node.id, field, value)


def title_operation(node, field: str, value: Any) -> SetField | None:
    """A typed 類/項/目 name: the typed numbering goes, surrounding blanks go."""
    return set_operation(node, field, strip_numbering(str(value)).strip())


def default_level(item: Item, entry: Entry | None = None) -> int:
    """The level a new entry takes: its neighbour's, else 1. for a numbered 目, a paragraph otherwise."""
    if entry is not None:
        return entry.level
    return LEVEL_ITEM if item.numbered else LEVEL_PARAGRAPH


def entry_text_operation(item: Item, entry: Entry | None, value: Any) -> Operation | None:
    """Typing into 辦理情形: the typed numbering becomes the level; into an empty 目 it creates the entry."""
    level, text = split_entry_text(str(value), default_level(item, entry))
    if entry is None:
        return InsertNode(item.id, 0, Entry(level=level, text=text)) if text else None
    ops: list[Operation] = [op for op in (set_operation(entry, "text", text), set_operation(entry, "level", level)) if op]
    if not ops:
        return None
    return ops[0] if len(ops) == 1 else Batch(ops, label="修改辦理情形")


def completion_operation(entry: Entry | None, value: Any) -> SetField | None:
    return set_operation(entry, "completion", parse_completion(value)) if entry is not None else None


def remark_operation(entry: Entry | None, value: Any) -> SetField | None:
    return set_operation(entry, "remark", str(value).strip()) if entry is not None else None


def fill_down_operation(entries: list[Entry]) -> Batch | None:
    """The first entry's 完成程度 copied to the others (Ctrl+D); None when nothing changes."""
    if len(entries) < 2:
        return None
    value = entries[0].completion
    ops: list[Operation] = [SetField(e.id, "completion", value) for e in entries[1:] if e.completion != value]
    return Batch(ops, label="向下填滿完成程度") if ops else None


# --- several selected entries at once (the table's multi-row selection) ----------------


def delete_entries_operation(entries: list[Entry]) -> Operation | None:
    """Ctrl+Delete on several rows: one undo step deleting every selected entry."""
    from .operations import DeleteNode

    if not entries:
        return None
    if len(entries) == 1:
        return DeleteNode(entries[0].id)
    return Batch([DeleteNode(e.id) for e in entries], label=f"刪除 {len(entries)} 筆辦理情形")


def level_operation(entries: list[Entry], delta: int) -> Operation | None:
    """Alt+Right / Alt+Left on several rows: each entry one level down (+1) or up (−1), one undo step."""
    from .model import LEVEL_SUBITEM

    ops: list[Operation] = []
    for entry in entries:
        level = max(LEVEL_PARAGRAPH, min(LEVEL_SUBITEM, entry.level + delta))
        if level != entry.level:
            ops.append(SetField(entry.id, "level", level, label="降一層" if delta > 0 else "升一層"))
    if not ops:
        return None
    return ops[0] if len(ops) == 1 else Batch(ops, label="降一層" if delta > 0 else "升一層")


def move_entries_operation(item: Item, selected: list[Entry], delta: int) -> Operation | None:
    """Alt+Up / Alt+Down on several rows of one 目: each selected entry one place up (−1) or
    down (+1) within its 目, a selected block keeping its order; None when nothing moves
    (the block is at the top or bottom already).  One undo step."""
    chosen = {e.id for e in selected}
    order = list(item.entries)
    indexes = range(len(order)) if delta < 0 else range(len(order) - 1, -1, -1)
    for i in indexes:
        j = i + delta
        if order[i].id in chosen and 0 <= j < len(order) and order[j].id not in chosen:
            order[i], order[j] = order[j], order[i]
    current = list(item.entries)
    ops: list[Operation] = []
    for k, entry in enumerate(order):
        if current[k] is not entry:
            current.remove(entry)
            current.insert(k, entry)
            ops.append(MoveNode(entry.id, item.id, k, label="移動辦理情形"))
    if not ops:
        return None
    return ops[0] if len(ops) == 1 else Batch(ops, label="上移" if delta < 0 else "下移")


# --- where new things go -------------------------------------------------------------


def new_entry_position(item: Item, entry: Entry | None, *, after: bool = True) -> tuple[int, int]:
    """``(index, level)`` of a new entry beside ``entry`` (below or above), or first in an empty 目."""
    if entry is None:
        return 0, default_level(item)
    return item.entries.index(entry) + (1 if after else 0), entry.level


def insertion_point(document: "ReportDocument", selected, kind: str):
    """``(parent, index)`` for a new node of ``kind``: after the selected node of that kind,
    else at the end of the selected (or enclosing) parent of that kind; None when neither exists.

    ``selected`` is whatever the tree has selected (any kind, or None for the report)."""
    parent_kind = PARENT_OF_NEW[kind]
    anchor = selected if selected is not None else document.report
    while anchor is not None and anchor.kind not in (kind, parent_kind):
        anchor = document.parent(anchor.id) if anchor.kind != "report" else None
    if anchor is None:
        return None
    if anchor.kind == kind:
        return document.parent(anchor.id), document.index_of(anchor.id) + 1
    return anchor, len(anchor.children)


def insert_after_selection(document: "ReportDocument", selected, node) -> InsertNode | None:
    """The operation that puts ``node`` where :func:`insertion_point` says, or None."""
    place = insertion_point(document, selected, node.kind)
    if place is None:
        return None
    parent, index = place
    return InsertNode(parent.id, index, node)


def has_entries(node) -> bool:
    """Whether deleting ``node`` would delete any 辦理情形 (the GUI asks first)."""
    if node.kind == "entry":
        return True
    return any(has_entries(child) for child in node.children)


def move_operation(document: "ReportDocument", node, delta: int) -> Operation | None:
    """Move a node up (−1) or down (+1) among its siblings; None at either end.

    # issue 15: moving the first 目 of a 項 up into the previous 項 is not offered (and says nothing).
    """
    parent = document.parent(node.id)
    index = document.index_of(node.id) + delta
    if not 0 <= index < len(parent.children):
        return None
    return MoveNode(node.id, parent.id, index)


# --- a new report ---------------------------------------------------------------------


def current_roc_year(today: datetime.date | None = None) -> int:
    return (today or datetime.date.today()).year - 1911


def new_report(office: str, roc_year: int) -> Report:
    """What 新增報告 makes: published in March of the next year, with one department to start from."""
    return Report(office=office.strip(), roc_year=roc_year, published_roc_year=roc_year + 1, published_month=3,
                  departments=[Department(name="新部門")])
