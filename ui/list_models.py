"""Small table models for the problems panel and the search results."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.search import Hit
from app.validate import SEVERITY_LABEL, Problem

NodeIdRole = Qt.ItemDataRole.UserRole + 1


class _RowsModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def cell(self, item, column: int) -> str:
        raise NotImplementedError

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(item, index.column())
        if role == NodeIdRole:
            return item.node_id
        return self.extra(item, index.column(), role)

    def extra(self, item, column: int, role: int):
        return None


class ProblemsModel(_RowsModel):
    headers = ("類別", "位置", "問題")

    def cell(self, problem: Problem, column: int) -> str:
        return (SEVERITY_LABEL[problem.severity], problem.where, problem.message)[column]

    def extra(self, problem: Problem, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor("#b00020") if problem.is_error else QColor("#9a6700"))
        return None


class SearchResultsModel(_RowsModel):
    headers = ("位置", "內容")

    def cell(self, hit: Hit, column: int) -> str:
        return (hit.where, hit.snippet)[column]
