"""Structure commands from the tree: add a department / 項 / 目, rename, delete, move.

Where a new node goes is app/editing.py's (:func:`~app.editing.insert_after_selection`);
this module asks before deleting content and puts the cursor on what was made.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

# Dialog classes through the module: PySide6 builds a class when first touched, and
# these are not needed to show the window (start-up, docs/performance.md).
from PySide6 import QtWidgets

from app.editing import with_implicit, has_entries, insert_after_selection, move_operation, move_stop_reason, title_operation
from app.model import Department, Item, Section
from app.operations import DeleteNode

if TYPE_CHECKING:
    from ..main_window import MainWindow

NEW_NODE = {"department": lambda: Department(name="新部門"), "section": lambda: Section(title="新項"),
            "item": lambda: Item(title="新目")}


class StructureActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.tree = window.tree

    def add(self, kind: str) -> None:
        """A new department / 項 / 目 after the selected one of its kind, or at the end of the selected parent."""
        window = self.window
        if window.document is None:
            return
        node = self.new_node(kind)
        if node is None:
            window.statusBar().showMessage(f"「{window.document.report.template.name}」範本沒有這一層", 4000)
            return
        operation = insert_after_selection(window.document, window.tree_node(), node)
        if operation is None:
            window.statusBar().showMessage("請先在部門樹選擇要加入的位置", 4000)
            return
        if window.push(operation, source=self.tree):
            index = self.tree.index_of(node.id)
            self.tree.setCurrentIndex(index)
            self.tree.setFocus()
            self.tree.edit(index)

    def new_node(self, kind: str):
        """A new node of ``kind``: 新部門/新項/新目 in the default template; else 新<level name>
        (新業務, 新策略績效目標), with its implicit 項/目 when of the template's last level; None for
        a kind the template does not show."""
        template = self.window.document.report.template
        if template.is_default:
            return NEW_NODE[kind]()
        level = template.level_of(kind)
        if level is None:
            return None
        node = {"department": lambda: Department(name=f"新{level.name}"),
                "section": lambda: Section(title=f"新{level.name}"),
                "item": lambda: Item(title=f"新{level.name}")}[kind]()
        return with_implicit(template, node)

    def rename(self, node_id: str, field: str, value) -> bool:
        """The tree model's edit: typed numbering is stripped; a no-op is not an undo step."""
        window = self.window
        node = window.document.find(node_id) if window.document else None
        operation = title_operation(node, field, value) if node is not None else None
        return operation is not None and window.push(operation, source=self.tree)

    def delete_node(self) -> None:
        window = self.window
        node = window.tree_node()
        if node is None or node.kind == "report":
            return
        if has_entries(node):
            label = self.tree.tree_model().data(self.tree.currentIndex())
            answer = QtWidgets.QMessageBox.question(
                window, "確認刪除", f"「{label}」含有辦理情形，確定要刪除嗎？（可用「復原」還原）",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No, QtWidgets.QMessageBox.StandardButton.No,
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return
        window.push(DeleteNode(node.id), source=self.tree)

    def move(self, delta: int) -> None:
        """Alt+Up / Alt+Down: the tree's node when the tree has focus, else the table's entry.

        At the end of its 項 a 目 goes on into the next one (an entry into the next 目), within
        the department (app/editing.py ``move_operation``); where it cannot, the status bar says why."""
        window = self.window
        window.table.commit_editor()
        if window.document is None:
            return
        if not self.tree.hasFocus():  # the table's selected entries (several rows at once): ui/table/editing.py
            window.entries.move_entries(delta)
            return
        node = window.tree_node()
        if node is None or node.kind == "report":
            return
        operation = move_operation(window.document, node, delta)
        if operation is None:
            window.statusBar().showMessage(move_stop_reason(window.document, node, delta), 6000)
            return
        if window.push(operation, source=self.tree):
            if node.kind == "entry":
                window.table.select_node(node.id, window.table.current_column())
            else:
                index = self.tree.index_of(node.id)
                self.tree.scrollTo(index)  # (into another 項: its parent opens)
                self.tree.setCurrentIndex(index)
