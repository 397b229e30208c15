"""The 搜尋 panel: search the whole report; Enter / F3 / Shift+F3 walk the hits.

The hits follow the report: after each change (:meth:`SearchPanel.on_changes`)
the last search runs again, keeping the place in the list, without moving
the cursor in the table.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.changes import Changes
from app.search import Hit, search

from ..list_models import RowsModel, list_view


class SearchResultsModel(RowsModel):
    headers = ("位置", "內容")

    def cell(self, hit: Hit, column: int) -> str:
        return (hit.where, hit.snippet)[column]


class SearchPanel(QWidget):
    go_to_requested = Signal(str, object)  # node id, field

    def __init__(self, report_of: Callable[[], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.report_of = report_of  # the open report (or None), asked at each search
        self.hits: list[Hit] = []
        self.hit_index = -1
        self._last_query: str | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("searchEdit")
        self.edit.setPlaceholderText("搜尋整份報告（Enter 搜尋／下一筆，F3 下一筆）")
        self.edit.setClearButtonEnabled(True)
        self.edit.returnPressed.connect(self.search_or_next)
        self.model = SearchResultsModel(parent=self)
        self.view = list_view("searchResults", self.model, (320,), self._activated)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.view)

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()

    def search_or_next(self) -> None:
        query = self.edit.text()
        if self.hits and self._last_query == query:
            self.next_hit(1)
            return
        self._last_query = query
        report = self.report_of()
        self.hits = search(report, query) if report is not None else []
        self.model.set_items(self.hits)
        self.status.setText(f"找到 {len(self.hits)} 筆" if query.strip() else "")
        self.hit_index = -1
        if self.hits:
            self.next_hit(1)

    def on_changes(self, changes: Changes) -> None:
        """Run the last search again: the hits must not go stale after an edit, an undo, a replace."""
        if not self._last_query or not self._last_query.strip():
            return
        report = self.report_of()
        self.hits = search(report, self._last_query) if report is not None else []
        self.model.set_items(self.hits)
        self.hit_index = min(self.hit_index, len(self.hits) - 1)
        if self.hit_index >= 0:
            self.view.selectRow(self.hit_index)
            self.status.setText(f"第 {self.hit_index + 1} / {len(self.hits)} 筆")
        else:
            self.status.setText(f"找到 {len(self.hits)} 筆")

    def next_hit(self, step: int) -> None:
        if not self.hits:
            if self.edit.text().strip():
                self.search_or_next()
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        hit = self.hits[self.hit_index]
        self.view.selectRow(self.hit_index)
        self.status.setText(f"第 {self.hit_index + 1} / {len(self.hits)} 筆")
        self.go_to_requested.emit(hit.node_id, hit.field)

    def _activated(self, index: QModelIndex) -> None:
        self.hit_index = index.row()
        hit = self.hits[index.row()]
        self.go_to_requested.emit(hit.node_id, hit.field)
