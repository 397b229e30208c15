"""Copy cells to and paste Word lines / Excel blocks from the system clipboard.

What the text means is app/clipboard.py's (parsing, entries built from it,
where they go); this module only reads the cursor and the clipboard.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from app.clipboard import is_single_value, parse_clipboard, paste_down, paste_entries, to_clipboard_html, to_clipboard_text
from app.clipboard import COMPLETION, REMARK
from app.errors import ReportError
from app.model import get_field, put_field
from app.operations import SetField

from .model import COL_COMPLETION, COL_REMARK
from .view import TITLE_COLUMNS

if TYPE_CHECKING:
    from ..main_window import MainWindow


TITLE_PASTE_REFUSED = ("類、項、目的名稱不會被貼上覆蓋：要改名請按 F2（或在部門樹修改）；"
                       "要貼成辦理情形請選「辦理情形」欄再按 Ctrl+V")


class TableClipboard:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.table = window.table
        self.model = window.table_model

    def copy_cells(self) -> None:
        """Ctrl+C: the selected cells as Excel TSV and as an HTML table (Word pastes a table).

        In a panel's list (問題清單, 搜尋, 歷程與意見, 去年對照) it copies the selected rows."""
        from PySide6.QtWidgets import QAbstractItemView, QApplication

        focus = QApplication.focusWidget()
        view = focus if isinstance(focus, QAbstractItemView) and focus not in (self.table, self.window.tree) else self.table
        indexes = sorted(view.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        model = view.model()
        rows: dict[int, list[str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), []).append(str(model.data(index) or ""))
        self.put_rows(list(rows.values()))

    @staticmethod
    def put_rows(rows: list[list[str]]) -> None:
        data = QMimeData()
        data.setText(to_clipboard_text(rows))
        data.setHtml(to_clipboard_html(rows))
        QGuiApplication.clipboard().setMimeData(data)

    def rows_of_nodes(self, nodes) -> list[list[str]]:
        """What a cut puts on the clipboard as text: entries' cells, or 目 / 項 titles."""
        from app.layout import completion_text

        if nodes and nodes[0].kind == "entry":
            return [[e.text, completion_text(e.completion), e.remark] for e in nodes]
        return [[n.name if n.kind == "department" else n.title] for n in nodes]

    def paste(self) -> None:
        """Paste from Word or Excel: lines or rows of cells become entries (app/clipboard.py).

        One value onto a 辦理情形 / 完成程度 / 備註 cell replaces it; onto a 類/項/目 cell it is
        refused with a status line (renaming is F2); several lines or rows become entries."""
        window = self.window
        if window.document is None:
            return
        if window.moves.paste_cut():  # cut nodes on the clipboard: they move here (ui/tree/moves.py)
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return
        row = self.table.current_row()
        index = self.table.currentIndex()
        if row is None or row.item is None:
            window.statusBar().showMessage("請先選擇要貼上的目或辦理情形", 4000)
            return
        records = parse_clipboard(text)
        column = index.column()
        if self.model.template is not None:
            self.paste_block(index, row, records)
            return
        try:
            if is_single_value(records):
                if column in TITLE_COLUMNS:
                    # One value onto a 類/項/目 title would rename it: a keystroke never changes
                    # what the clerk did not mean (issue 15) — renaming is F2 or the tree.
                    self.table.refuse(index, TITLE_PASTE_REFUSED)
                    return
                operation = self.model.operation_for(index, records[0][0])
                if operation is not None:
                    window.push(operation, source=self.table)
                return
            if column in (COL_COMPLETION, COL_REMARK):
                entries = []
                for table_row in self.model.rows[index.row():]:
                    if table_row.entry is None:
                        break
                    entries.append(table_row.entry)
                batch = paste_down(entries, records, COMPLETION if column == COL_COMPLETION else REMARK)
                if batch is not None:
                    window.push(batch, source=self.table)
                return
            paste = paste_entries(row.item, row.entry, records)
        except ValueError:
            window.show_error("無法貼上", ReportError("剪貼簿中的完成程度必須是 0 到 100 的整數（可帶 %）"))
            return
        if paste is not None and window.push(paste.operation, source=self.table):
            window.go_to(paste.entries[0].id)


    # --- another template (issue 19) -------------------------------------------------------

    def paste_block(self, index, row, records: list[list[str]]) -> None:
        """An Excel block onto a template's table: its columns onto the template's editable columns
        from the cursor's column rightwards, its rows onto the rows from the cursor's down (new rows
        at the end of that 業務 when it runs out).  One undo step; a cell whose value does not fit
        its column is left out and the status bar says how many and the first one's problem."""
        from app.model import Entry
        from app.operations import Batch, InsertNode
        from app.numbering import split_typed_number
        from app.templates import check_value, kept_value

        model = self.model
        window = self.window
        if model.is_title_cell(index):
            if is_single_value(records):
                self.table.refuse(index, "標題不會被貼上覆蓋：要改名請按 F2（或在部門樹修改）")
                return
        columns = [c for c in model.entry_columns() if c >= index.column()] or list(model.entry_columns())
        if is_single_value(records):
            try:
                operation = model.operation_for(index, records[0][0])
            except ValueError as problem:
                window.statusBar().showMessage(f"沒有貼上：{problem}", 8000)
                return
            if operation is not None:
                window.push(operation, source=self.table)
            return
        item = row.item
        targets = [r.entry for r in model.rows[index.row():] if r.item is item and r.entry is not None]
        ops = []
        problems: list[str] = []
        position = len(item.entries)
        for n, record in enumerate(records):
            values = {}
            level = None
            for offset, text in enumerate(record):
                if offset >= len(columns):
                    break
                column = model.entry_column(columns[offset])
                if column.type == "numbered_text":  # 「(一)辦理…」 pasted from Word: the number is the level
                    level, text = split_typed_number(text, column.levels)
                checked = check_value(column, text)
                if checked.problem:
                    problems.append(checked.problem)
                    continue
                kept = kept_value(column, checked.value.strip() if isinstance(checked.value, str) else checked.value)
                values[column.key] = "" if kept is None and column.key in ("text", "remark") else kept
            if n < len(targets):
                entry = targets[n]
                ops += [SetField(entry.id, key, value) for key, value in values.items() if get_field(entry, key) != value]
                if level is not None and level != entry.level:
                    ops.append(SetField(entry.id, "level", level))
            elif any(value is not None for value in values.values()):
                new = Entry(level=level or 1, text="")
                for key, value in values.items():
                    if value is not None:
                        put_field(new, key, value)
                ops.append(InsertNode(item.id, position, new))
                position += 1
        if ops:
            window.push(Batch(ops, label="貼上"), source=self.table)
        if problems:
            window.statusBar().showMessage(f"有 {len(problems)} 格沒有貼上：{problems[0]}", 10000)
