"""Entry commands of the table: new entry, delete, clear a cell, move, level, fill down.

Each turns the cursor's place into an engine operation (app/editing.py says
which) and pushes it through the window; after a successful push the cursor
goes where the user expects the next keystroke to land.  Delete, move,
level and fill down work on every selected row at once, as one undo step.

Ctrl+Enter inserts the new entry at once (it can be seen, numbered and
Tab-bed through); Esc in its first editor withdraws it — the insert is
undone and dropped from the undo stack, so no empty entry and no redo step
is left (:meth:`EntryActions._editor_closed`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from PySide6.QtWidgets import QAbstractItemDelegate

from app.editing import (default_level, delete_entries_operation, fill_down_operation, level_operation, move_entries_operation,
                         move_operation, move_stop_reason, new_entry_position)
from app.model import Entry
from app.operations import InsertNode


if TYPE_CHECKING:
    from ..main_window import MainWindow


class EntryActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.table = window.table
        self.model = window.table_model
        # (new entry id, its insert command, where the cursor was) while its first editor is open
        self.pending_new: tuple[str, object, str | None, int] | None = None
        self.table.editor_closed.connect(self._editor_closed)

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
            if node is not None and not window.document.report.template.is_default \
                    and node.kind == window.document.report.template.level_kinds[-1]:
                from app.rows import items_of

                node = next(iter(items_of(node)), None)  # a budget 業務: its implicit 目 holds the rows
            if node is not None and node.kind == "item":
                item = node
                index, level = len(node.entries), default_level(node, node.entries[-1] if node.entries else None)
        if item is None:
            window.statusBar().showMessage("請先選擇一個目", 4000)
            return
        new = Entry(level=level, text="")
        before = (entry.id if entry is not None else item.id), self.table.current_column()
        if window.push(InsertNode(item.id, index, new), source=self.table):
            command = window.last_command
            window.go_to(new.id)
            if self.table.edit(self.table.currentIndex()):
                self.pending_new = (new.id, command, *before)

    def _editor_closed(self, hint) -> None:
        """Esc in the new entry's first editor, the entry still empty: it was never made."""
        pending, self.pending_new = self.pending_new, None
        if pending is None or hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            return
        entry_id, command, back_to, column = pending
        entry = self.window.document.find(entry_id) if self.window.document else None
        if entry is None or entry.text or entry.remark or entry.completion is not None or entry.values:
            return
        if command is not None and command.withdraw(self.window.undo_stack):
            self.table.select_node(back_to, column if self.model.is_entry_column(column) else self.model.main_column())

    def delete_entry(self) -> None:
        """Ctrl+Delete: every selected entry, one undo step; the cursor goes to the entry that follows."""
        self.table.commit_editor()
        entries = self.table.selected_entries()
        if not entries:
            return
        column = self.table.current_column()
        item = self.window.document.parent(entries[-1].id)
        index = item.entries.index(entries[-1])
        gone = {e.id for e in entries}
        follow = next((e for e in item.entries[index + 1:] if e.id not in gone), None)
        if follow is None:
            follow = next((e for e in reversed(item.entries[:index]) if e.id not in gone), None)
        if self.window.push(delete_entries_operation(entries), source=self.table):
            self.table.select_node(follow.id if follow is not None else item.id, column)

    def move_entries(self, delta: int) -> None:
        """Alt+Up / Alt+Down in the table: the selected entries one place up or down within their 目.

        One entry at the top (bottom) of its 目 goes on to the end (start) of the previous (next)
        目 of the department (app/editing.py ``move_operation``); where it cannot, the status bar
        says why.  A block of several rows stays within its 目."""
        from app.operations import Batch

        self.table.commit_editor()
        entries = self.table.selected_entries()
        if not entries:
            return
        document = self.window.document
        if len(entries) == 1:
            single = move_operation(document, entries[0], delta)
            if single is None:
                self.window.statusBar().showMessage(move_stop_reason(document, entries[0], delta), 6000)
                return
            column = self.table.current_column()
            if self.window.push(single, source=self.table):
                self.table.select_entries([entries[0].id], column)
            return
        by_item: dict[str, list[Entry]] = {}
        for entry in entries:
            by_item.setdefault(document.parent(entry.id).id, []).append(entry)
        ops = [op for item_id, chosen in by_item.items()
               if (op := move_entries_operation(document.find(item_id), chosen, delta)) is not None]
        if not ops:
            self.window.statusBar().showMessage("已在最上面" if delta < 0 else "已在最下面", 4000)
            return
        operation = ops[0] if len(ops) == 1 else Batch(ops, label="上移" if delta < 0 else "下移")
        column = self.table.current_column()
        if self.window.push(operation, source=self.table):
            self.table.select_entries([e.id for e in entries], column)

    def clear_cell(self) -> None:
        """Delete in the table clears the cell, like a spreadsheet."""
        index = self.table.currentIndex()
        if index.isValid() and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable and index.column() in self.model.entry_columns():
            operation = self.model.operation_for(index, "")
            if operation is not None:
                self.window.push(operation, source=self.table)

    def change_level(self, delta: int) -> None:
        """Alt+Right / Alt+Left: every selected entry one level down / up, one undo step."""
        self.table.commit_editor()
        entries = self.table.selected_entries()
        template = self.model.template
        operation = level_operation(entries, delta, template.max_entry_level if template is not None else None)
        if operation is not None:
            column = self.table.current_column()
            if self.window.push(operation, source=self.table) and len(entries) > 1:
                self.table.select_entries([e.id for e in entries], column)

    def fill_down(self) -> None:
        """Copy the first selected row's 完成程度 to the other selected rows."""
        self.table.commit_editor()
        if self.model.template is not None:
            operation = self._fill_down_column(self.table.selected_entries())
            if operation is None:
                self.window.statusBar().showMessage("向下填滿：請在數值欄選取要填的幾列（第一列是要複製的值）", 4000)
                return
        else:
            operation = fill_down_operation(self.table.selected_entries())
        if operation is not None:
            self.window.push(operation, source=self.table)

    def _fill_down_column(self, entries):
        """Another template: the first selected row's value of the cursor's numeric column copied to the others."""
        from app.model import get_field
        from app.operations import Batch, SetField
        from app.templates import NUMERIC_TYPES

        column = self.model.entry_column(self.table.current_column())
        if column is None or column.type not in NUMERIC_TYPES or column.type == "computed" or len(entries) < 2:
            return None
        value = get_field(entries[0], column.key)
        ops = [SetField(e.id, column.key, value) for e in entries[1:] if get_field(e, column.key) != value]
        return Batch(ops, label=f"向下填滿{column.heading}") if ops else None
