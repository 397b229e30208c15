"""Entry commands of the table: new entry, delete, clear a cell, move, level, fill down.

Each turns the cursor's place into an engine operation (app/editing.py says
which) and pushes it through the window; after a successful push the cursor
goes where the user expects the next keystroke to land.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.editing import fill_down_operation, new_entry_position
from app.model import LEVEL_ITEM, LEVEL_PARAGRAPH, LEVEL_SUBITEM, Entry
from app.operations import DeleteNode, InsertNode, SetField

from .model import COL_COMPLETION, COL_REMARK, COL_TEXT

if TYPE_CHECKING:
    from ..main_window import MainWindow


class EntryActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.table = window.table
        self.model = window.table_model

    def insert_entry(self, after: bool = True) -> None:
        window = self.window
        self.table.commit_editor()
        row = self.table.current_row()
        item = entry = None
        if row is not None and row.item is not None:
            item, entry = row.item, row.entry
            index, level = new_entry_position(item, entry, after=after)
        else:
            node = window.tree_node()
            if node is not None and node.kind == "item":
                item = node
                index, level = len(node.entries), LEVEL_ITEM  # issue 15: not the 目's default level
        if item is None:
            window.statusBar().showMessage("請先選擇一個目", 4000)
            return
        new = Entry(level=level, text="")
        if window.push(InsertNode(item.id, index, new), source=self.table):
            window.go_to(new.id)
            self.table.edit(self.table.currentIndex())

    def delete_entry(self) -> None:
        self.table.commit_editor()
        row = self.table.current_row()
        if row is None or row.entry is None:
            return
        column = self.table.current_column()
        item = row.item
        index = item.entries.index(row.entry)
        if self.window.push(DeleteNode(row.entry.id), source=self.table):
            follow = item.entries[min(index, len(item.entries) - 1)].id if item.entries else item.id
            self.table.select_node(follow, column)

    def clear_cell(self) -> None:
        """Delete in the table clears the cell, like a spreadsheet."""
        index = self.table.currentIndex()
        if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable and index.column() in (COL_COMPLETION, COL_REMARK, COL_TEXT):
            operation = self.model.operation_for(index, "")
            if operation is not None:
                self.window.push(operation, source=self.table)

    def change_level(self, delta: int) -> None:
        self.table.commit_editor()
        row = self.table.current_row()
        if row is None or row.entry is None:
            return
        level = max(LEVEL_PARAGRAPH, min(LEVEL_SUBITEM, row.entry.level + delta))
        if level != row.entry.level:
            self.window.push(SetField(row.entry.id, "level", level, label="降一層" if delta > 0 else "升一層"),
                             source=self.table)

    def fill_down(self) -> None:
        """Copy the first selected row's 完成程度 to the other selected rows."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        operation = fill_down_operation([self.model.rows[r].entry for r in rows if self.model.rows[r].entry])
        if operation is not None:
            self.window.push(operation, source=self.table)
