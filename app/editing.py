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

from .model import (KIND_LABEL, LEVEL_ITEM, LEVEL_PARAGRAPH, NODE_CLASS, Department, Entry, Item, NodeT, Report,
                    child_list)
from .numbering import split_entry_text, strip_numbering
from .operations import Batch, InsertNode, MoveNode, Operation, SetField

if TYPE_CHECKING:
    from .document import ReportDocument
    from .templates import Template

#: The kind a new node of each kind is inserted under.
PARENT_OF_NEW = {"department": "report", "section": "department", "item": "section"}
#: The kind each kind of node lives under (where it may be moved to).
PARENT_OF = {**PARENT_OF_NEW, "entry": "item"}

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


def level_operation(entries: list[Entry], delta: int, deepest: int | None = None) -> Operation | None:
    """Alt+Right / Alt+Left on several rows: each entry one level down (+1) or up (−1), one undo step.
    ``deepest``: the template's deepest numbered-text level (Template.max_entry_level; 2 = (1) by default)."""
    from .model import LEVEL_SUBITEM

    ops: list[Operation] = []
    for entry in entries:
        level = max(LEVEL_PARAGRAPH, min(LEVEL_SUBITEM if deepest is None else deepest, entry.level + delta))
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
    """Alt+Up (−1) / Alt+Down (+1): the node one place up or down; None when it cannot go further.

    Among its siblings first.  At either end a 目 goes on into the previous 項
    (at its end) or the next 項 (at its start), and an entry into the previous
    目 (at its end) or the next one (at its start) — but never out of its
    department: Alt+Up must not make the table jump to another department, and
    moving between departments is what cut/paste and drag and drop are for.
    A 項 or a department stays among its siblings.  :func:`move_stop_reason`
    says why there is nothing to do.
    """
    parent = document.parent(node.id)
    index = document.index_of(node.id) + delta
    if 0 <= index < len(parent.children):
        return MoveNode(node.id, parent.id, index)
    if node.kind not in ("item", "entry"):
        return None
    neighbour = _neighbour_parent(document, node, delta)
    if neighbour is None:
        return None
    return MoveNode(node.id, neighbour.id, len(neighbour.children) if delta < 0 else 0,
                    label=f"移到{'上' if delta < 0 else '下'}一{KIND_LABEL[neighbour.kind]}")


def _neighbour_parent(document: "ReportDocument", node, delta: int):
    """The 項 (for a 目) or 目 (for an entry) before / after the node's own, in its department."""
    department = document.department_of(node.id)
    if department is None:
        return None
    parents: list[Any]
    if node.kind == "item":
        parents = list(department.sections)
    else:
        parents = [item for section in department.sections for item in section.items]
    position = next(n for n, p in enumerate(parents) if p is document.parent(node.id)) + delta
    return parents[position] if 0 <= position < len(parents) else None


def move_stop_reason(document: "ReportDocument", node, delta: int) -> str:
    """The status-bar line when :func:`move_operation` has nothing to do."""
    where = "最上面" if delta < 0 else "最下面"
    if node.kind == "item":
        return f"這個目已在本部門{where}，無法再{'上' if delta < 0 else '下'}移（移到其他部門請用剪下、貼上或拖曳）"
    if node.kind == "entry":
        return f"這筆辦理情形已在本部門{where}，無法再{'上' if delta < 0 else '下'}移（移到其他部門請用剪下、貼上或拖曳）"
    if node.kind == "section":
        return f"這個項已在本部門{where}（移到其他部門請用剪下、貼上或拖曳）"
    return f"已在{where}"


# --- moving nodes to another parent (cut/paste, drag and drop) ------------------------


class MoveRefused(ValueError):
    """A move that the rules do not allow; ``str()`` is the zh-TW line to show."""


def moved_selection(document: "ReportDocument", nodes) -> list:
    """What a multi-selection moves: the selected nodes of one kind, in report order.

    A node inside another selected node goes with it (it is left out here);
    the report itself cannot be moved; several kinds at once (目 and their 項)
    are refused with :class:`MoveRefused`."""
    chosen = {node.id: node for node in nodes if node is not None and document.find(node.id) is not None}
    if any(node.kind == "report" for node in chosen.values()):
        raise MoveRefused("整份報告不能移動")
    kept = []
    for node in chosen.values():
        ancestor = document.parent(node.id)
        while ancestor.kind != "report" and ancestor.id not in chosen:
            ancestor = document.parent(ancestor.id)
        if ancestor.id not in chosen:
            kept.append(node)
    if len({node.kind for node in kept}) > 1:
        raise MoveRefused("一次只能移動同一層的資料（全是辦理情形、全是目或全是項）")
    order = {node.id: n for n, node in enumerate(document.report.walk())}
    return sorted(kept, key=lambda node: order[node.id])


def move_destination(document: "ReportDocument", kind: str, target) -> tuple:
    """``(parent, index)`` where nodes of ``kind`` go when pasted on / dropped onto ``target``.

    Onto a node of the same kind: right after it (as a paste goes after the
    cursor); onto a node of the parent kind: at its end; onto a node inside
    one of those (an entry when 目 are moved): after / into the enclosing
    one.  Anything else (a 目 onto a department, an entry onto a 項) is
    refused with :class:`MoveRefused` naming where it may go."""
    parent_kind = PARENT_OF.get(kind)
    if parent_kind is None:
        raise MoveRefused("整份報告不能移動")
    anchor = target
    while anchor is not None and anchor.kind not in (kind, parent_kind):
        anchor = document.parent(anchor.id) if anchor.kind != "report" else None
    if anchor is None:
        raise MoveRefused(f"{KIND_LABEL[kind]}只能移到{KIND_LABEL[parent_kind]}之下"
                          f"（請選擇一個{KIND_LABEL[parent_kind]}或另一個{KIND_LABEL[kind]}）")
    if anchor.kind == kind:
        return document.parent(anchor.id), document.index_of(anchor.id) + 1
    return anchor, len(anchor.children)


def move_nodes_operation(document: "ReportDocument", nodes, parent, index: int) -> Batch | None:
    """Move ``nodes`` (one kind, see :func:`moved_selection`) as one block into ``parent`` before
    its child number ``index`` (``len(children)``: at the end) — one undo step, a Batch of MoveNode.

    The nodes keep their ids and their order.  None when nothing would change
    (dropped where they are); :class:`MoveRefused` when ``parent`` cannot hold
    them.  What the engine refuses itself (an
    approved 目, a work package's other departments) it says when applied."""
    nodes = moved_selection(document, nodes)
    if not nodes:
        return None
    kind = nodes[0].kind
    if PARENT_OF[kind] != parent.kind:
        raise MoveRefused(f"{KIND_LABEL[kind]}只能移到{KIND_LABEL[PARENT_OF[kind]]}之下")
    moved_ids = [node.id for node in nodes]  # (a parent of the kind above cannot lie inside them)
    children = [child.id for child in parent.children]
    index = max(0, min(index, len(children)))
    remaining = [c for c in children if c not in moved_ids]
    before = [c for c in children[:index] if c not in moved_ids]  # what stays in front of the block
    if remaining[:len(before)] + moved_ids + remaining[len(before):] == children:
        return None
    # Each MoveNode is applied to the list as the previous ones left it.
    current = list(children)
    operations: list[Operation] = []
    for n, node_id in enumerate(moved_ids):
        if node_id in current:
            current.remove(node_id)
        if n:
            position = current.index(moved_ids[n - 1]) + 1
        else:
            position = current.index(before[-1]) + 1 if before else 0
        current.insert(position, node_id)
        operations.append(MoveNode(node_id, parent.id, position))
    count = f" {len(nodes)} 筆" if kind == "entry" else (f" {len(nodes)} 個" if len(nodes) > 1 else "")
    return Batch(operations, label=f"移動{count}{KIND_LABEL[kind]}")


def move_to_target_operation(document: "ReportDocument", nodes, target) -> Batch | None:
    """Paste after cut: ``nodes`` go where :func:`move_destination` says for ``target``."""
    nodes = moved_selection(document, nodes)
    if not nodes:
        return None
    if any(target is not None and target.id == node.id for node in nodes):
        return None  # pasted onto itself: nothing moves
    parent, index = move_destination(document, nodes[0].kind, target)
    return move_nodes_operation(document, nodes, parent, index)


# --- a new report ---------------------------------------------------------------------


def current_roc_year(today: datetime.date | None = None) -> int:
    return (today or datetime.date.today()).year - 1911


def new_report(office: str, roc_year: int, template: "Template | None" = None) -> Report:
    """What 新增報告 makes: published in March of the next year, in ``template`` (the default
    one without), with one node of its top level to start from (新部門, 新業務 …)."""
    report = Report(office=office.strip(), roc_year=roc_year, published_roc_year=roc_year + 1, published_month=3)
    if template is not None:
        report.template = template
    top = report.template.levels[0].name
    report.departments.append(with_implicit(report.template, Department(name="新部門" if top == "類" else f"新{top}")))
    return report


def with_implicit(template: "Template", node: NodeT) -> NodeT:
    """``node`` with the untitled nodes of the template's implicit levels below it, when it is of
    the template's last level and has none (a budget table's 業務 holds one 項 holding one 目,
    whose entries are the 業務's rows; app.templates Template.implicit_kinds)."""
    kinds = template.implicit_kinds
    if not kinds or node.kind != template.level_kinds[-1] or node.children:
        return node
    chain: list = [NODE_CLASS[kind]() for kind in kinds]
    child_list(node).append(chain[0])
    for parent, child in zip(chain, chain[1:]):
        child_list(parent).append(child)
    return node
