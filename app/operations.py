"""Reversible edits — the one path for every change to a report.

An :class:`Operation` knows how to apply itself and how to revert itself
through an :class:`~app.edits.Edits` — the primitives and lookups the
document hands it for one transaction (``ReportDocument.apply`` /
``revert``); operations never see the document itself.  The GUI wraps each
operation in a ``QUndoCommand`` (redo → ``document.apply``, undo → ``document.revert``); the
CLI and the importers apply them directly.  Operations keep ids, never row
numbers, so an undo finds its node wherever it has moved since.

``label`` is the zh-TW text shown in the Edit menu (「復原 修改辦理情形」).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .edits import Edits

from .model import KIND_LABEL, Node, Report, clone_tree, field_label

if TYPE_CHECKING:
    from .templates import Template

CHANGED_BY_CHOICE = ("level", "numbered", "numbering_style")  # 變更…; every other field 修改…


def undo_label(kind: str, field_name: str, template: "Template | None" = None) -> str:
    """The undo/redo text of a SetField: 修改辦理情形, 變更層級, 修改目名稱 … (app.model.FIELD_LABEL);
    with the report's template a column is named by its heading (修改預算金額)."""
    return ("變更" if field_name in CHANGED_BY_CHOICE else "修改") + field_label(field_name, kind, template)


def _template_of(edits: Edits, node: Node | Report) -> "Template | None":
    """The report's template, found by walking up from ``node`` (a SetField knows only ids)."""
    for _ in range(5):
        if isinstance(node, Report):
            return node.template
        node = edits.parent(node.id)
    return None


class Operation:
    label: str = "修改"

    def apply(self, edits: Edits) -> None:
        raise NotImplementedError

    def revert(self, edits: Edits) -> None:
        raise NotImplementedError

    def touched_ids(self) -> set[str]:
        """Ids of the nodes whose own fields or children this changes."""
        return set()


@dataclass
class SetField(Operation):
    node_id: str
    field: str
    value: Any
    kind: str = ""
    old: Any = None
    label: str = ""

    def apply(self, edits: Edits) -> None:
        node = edits.node(self.node_id)
        self.kind = node.kind
        if not self.label:
            # A template column is named by its heading, a title by its level's name (業務名稱).
            named = self.field not in type(node).FIELDS or self.field in ("name", "title", "numbered")
            template = _template_of(edits, node) if named else None
            self.label = undo_label(node.kind, self.field, template)
        self.old = edits.set_field(self.node_id, self.field, self.value)

    def revert(self, edits: Edits) -> None:
        edits.set_field(self.node_id, self.field, self.old)

    def touched_ids(self) -> set[str]:
        return {self.node_id}


@dataclass
class InsertNode(Operation):
    parent_id: str
    index: int
    node: Node
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = f"新增{KIND_LABEL[self.node.kind]}"
        self._template = clone_tree(self.node)

    def apply(self, edits: Edits) -> None:
        # A fresh copy each time: redo after undo must not reuse objects the
        # document has let go of (and views may still hold).
        self.node = clone_tree(self._template)
        edits.insert(self.parent_id, self.index, self.node)

    def revert(self, edits: Edits) -> None:
        edits.delete(self.node.id)

    def touched_ids(self) -> set[str]:
        return {self.parent_id, self.node.id}


@dataclass
class DeleteNode(Operation):
    node_id: str
    label: str = ""
    parent_id: str = ""
    index: int = 0
    copy: Node | None = None

    def apply(self, edits: Edits) -> None:
        if not self.label:
            self.label = f"刪除{KIND_LABEL[edits.node(self.node_id).kind]}"
        self.parent_id, self.index, self.copy = edits.delete(self.node_id)

    def revert(self, edits: Edits) -> None:
        assert self.copy is not None
        edits.insert(self.parent_id, self.index, clone_tree(self.copy))

    def touched_ids(self) -> set[str]:
        return {self.parent_id, self.node_id}


@dataclass
class MoveNode(Operation):
    node_id: str
    new_parent_id: str
    new_index: int
    label: str = ""
    old_parent_id: str = ""
    old_index: int = 0

    def apply(self, edits: Edits) -> None:
        if not self.label:
            self.label = f"移動{KIND_LABEL[edits.node(self.node_id).kind]}"
        self.old_parent_id, self.old_index = edits.move(self.node_id, self.new_parent_id, self.new_index)

    def revert(self, edits: Edits) -> None:
        edits.move(self.node_id, self.old_parent_id, self.old_index)

    def touched_ids(self) -> set[str]:
        return {self.node_id, self.new_parent_id, self.old_parent_id}


@dataclass
class Batch(Operation):
    """Several operations as one user action (paste, import, fill down)."""

    operations: list[Operation] = field(default_factory=list)
    label: str = "多項修改"

    def apply(self, edits: Edits) -> None:
        for operation in self.operations:
            operation.apply(edits)

    def revert(self, edits: Edits) -> None:
        for operation in reversed(self.operations):
            operation.revert(edits)

    def touched_ids(self) -> set[str]:
        ids: set[str] = set()
        for operation in self.operations:
            ids |= operation.touched_ids()
        return ids
