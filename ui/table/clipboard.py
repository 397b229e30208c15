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

