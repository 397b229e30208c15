"""An open report: the in-memory tree kept in step with its file.

:class:`ReportDocument` is what the GUI and the CLI hold.  Every change goes
through :meth:`ReportDocument.apply` / :meth:`ReportDocument.revert` with an
:class:`~app.operations.Operation`: the operation's primitive steps run inside
one SQLite transaction and mirror themselves in memory.  If the transaction
fails (disk full, read-only file, a constraint) it is rolled back and the
tree is reloaded from the file, so memory never disagrees with disk.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from .errors import ReportError
from .model import (
    CHILD_KIND,
    LEVELS,
    PARENT_KIND,
    Node,
    Report,
    clone_tree,
)
from .operations import Operation
from .storage import Repository

Listener = Callable[["Operation", bool], None]  # (operation, undone)


class ReportDocument:
    def __init__(self, repo: Repository):
        self.repo = repo
        self.report: Report = repo.load()
        self._listeners: list[Listener] = []
        self._reindex()

    # --- life cycle ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False) -> "ReportDocument":
        return cls(Repository.open(path, read_only=read_only))

    @property
    def read_only(self) -> bool:
        return self.repo.read_only

    @classmethod
    def create(cls, path: str | os.PathLike[str], report: Report, *, overwrite: bool = False) -> "ReportDocument":
        return cls(Repository.create(path, report, overwrite=overwrite))

    @property
    def path(self) -> Path:
        return self.repo.path

    def close(self) -> None:
        self.repo.close()

    def reload(self) -> None:
        self.report = self.repo.load()
        self._reindex()

    def _reindex(self) -> None:
        self._nodes: dict[str, Node | Report] = {self.report.id: self.report}
        self._parents: dict[str, Node | Report] = {}
        for parent in [self.report, *self.report.walk()]:
            for child in parent.children:
                self._nodes[child.id] = child
                self._parents[child.id] = parent

    # --- lookup ----------------------------------------------------------------

    def node(self, node_id: str) -> Node | Report:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise ReportError("找不到要修改的資料（可能已被刪除）", self.path) from None

    def find(self, node_id: str) -> Node | Report | None:
        return self._nodes.get(node_id)

    def parent(self, node_id: str) -> Node | Report:
        return self._parents[node_id]

    def index_of(self, node_id: str) -> int:
        siblings = self._parents[node_id].children
        for index, sibling in enumerate(siblings):
            if sibling.id == node_id:
                return index
        raise KeyError(node_id)

    def department_of(self, node_id: str):
        node = self.node(node_id)
        while node.kind not in ("department", "report"):
            node = self._parents[node.id]
        return node if node.kind == "department" else None

    # --- listeners -------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # --- the one path for every change -----------------------------------------

    def apply(self, operation: "Operation") -> None:
        self._run(operation.apply, operation, undone=False)

    def revert(self, operation: "Operation") -> None:
        self._run(operation.revert, operation, undone=True)

    def _run(self, step: Callable[["ReportDocument"], None], operation: "Operation", *, undone: bool) -> None:
        # Each primitive logs how to take its in-memory step back.  If the
        # transaction fails (even at COMMIT: disk full, a file made read-only)
        # SQLite rolls the file back and the log rolls memory back — without
        # reading the file again, which may be exactly what cannot be done.
        self._memory_undo: list[Callable[[], None]] = []
        try:
            with self.repo.transaction():
                step(self)
        except BaseException:
            for undo_step in reversed(self._memory_undo):
                undo_step()
            raise
        finally:
            self._memory_undo = []
        for listener in list(self._listeners):
            listener(operation, undone)

    def _log(self, undo_step: Callable[[], None]) -> None:
        self._memory_undo.append(undo_step)

    def _index_subtree(self, node, parent) -> None:
        self._nodes[node.id] = node
        self._parents[node.id] = parent
        for descendant_parent in _subtree(node):
            for child in descendant_parent.children:
                self._nodes[child.id] = child
                self._parents[child.id] = descendant_parent

    def _unindex_subtree(self, node) -> None:
        for descendant in _subtree(node):
            self._nodes.pop(descendant.id, None)
            self._parents.pop(descendant.id, None)

    # --- primitives (only operations call these, inside a transaction) --------

    def _set(self, node_id: str, field: str, value: Any) -> Any:
        node = self.node(node_id)
        value = _checked_value(node.kind, field, value, self.path)
        old = getattr(node, field)
        self.repo.set_field(node.kind, node_id, field, value)
        setattr(node, field, value)
        self._log(lambda: setattr(node, field, old))
        return old

    def _insert(self, parent_id: str, index: int, node: Node) -> None:
        parent = self.node(parent_id)
        if CHILD_KIND.get(parent.kind) != node.kind:
            raise ReportError(f"無法把{node.kind}放在{parent.kind}之下", self.path)
        if node.id in self._nodes:
            raise ReportError("資料的識別碼重複", self.path)
        siblings = parent.children
        index = max(0, min(index, len(siblings)))
        self.repo.insert_subtree(parent_id, node, index)
        siblings.insert(index, node)
        self._index_subtree(node, parent)
        self._log(lambda: (siblings.remove(node), self._unindex_subtree(node)))
        self.repo.set_positions(node.kind, [s.id for s in siblings])

    def _delete(self, node_id: str) -> tuple[str, int, Node]:
        """Remove a node and its subtree; returns (parent id, index, a copy)."""
        node = self.node(node_id)
        parent = self._parents[node_id]
        index = self.index_of(node_id)
        copy = clone_tree(node)
        self.repo.delete_node(node.kind, node_id)
        del parent.children[index]
        self._unindex_subtree(node)
        self._log(lambda: (parent.children.insert(index, node), self._index_subtree(node, parent)))
        self.repo.set_positions(node.kind, [s.id for s in parent.children])
        return parent.id, index, copy

    def _move(self, node_id: str, new_parent_id: str, new_index: int) -> tuple[str, int]:
        node = self.node(node_id)
        old_parent = self._parents[node_id]
        old_index = self.index_of(node_id)
        new_parent = self.node(new_parent_id)
        if PARENT_KIND[node.kind] != new_parent.kind:
            raise ReportError("無法移到這個位置", self.path)
        del old_parent.children[old_index]
        new_index = max(0, min(new_index, len(new_parent.children)))
        new_parent.children.insert(new_index, node)
        self._parents[node_id] = new_parent

        def undo_move() -> None:
            new_parent.children.remove(node)
            old_parent.children.insert(old_index, node)
            self._parents[node_id] = old_parent

        self._log(undo_move)
        if new_parent is not old_parent:
            self.repo.set_parent(node.kind, node_id, new_parent_id)
            self.repo.set_positions(node.kind, [s.id for s in old_parent.children])
        self.repo.set_positions(node.kind, [s.id for s in new_parent.children])
        return old_parent.id, old_index


def _subtree(node):
    yield node
    for child in node.children:
        yield from _subtree(child)


_TEXT_FIELDS = {"office", "numbering_style", "name", "title", "text", "remark"}


def _checked_value(kind: str, field: str, value: Any, path: Path) -> Any:
    """Clean and type-check a value before it is written (no-ops are the caller's)."""
    if field in _TEXT_FIELDS:
        if not isinstance(value, str):
            raise ReportError(f"「{field}」必須是文字", path)
        return value
    if field == "completion":
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ReportError("完成程度必須是 0 到 100 的整數，或留空", path)
        return value
    if field == "level":
        if value not in LEVELS or isinstance(value, bool):
            raise ReportError("層級必須是 0（段落）、1（項次）或 2（子項）", path)
        return value
    if field == "numbered":
        return bool(value)
    if field in ("roc_year", "published_roc_year", "published_month"):
        if value is None and field != "roc_year":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ReportError("年度與月份必須是正整數", path)
        if field == "published_month" and not 1 <= value <= 12:
            raise ReportError("月份必須介於 1 到 12", path)
        return value
    return value

