"""The read-only list model every panel and dialog builds on (``RowsModel``), and its view."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

NodeIdRole = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    """Read-only rows of one object each: subclasses name the ``headers`` and say
    each ``cell``; ``extra`` answers other roles.  Shared by every list in the GUI
    (problems, search hits, history, conflicts, import preview, last year)."""

    headers: tuple[str, ...] = ()
    centred_columns: tuple[int, ...] = ()

    def __init__(self, items: list | None = None, parent=None):
        super().__init__(parent)
        self.items: list = list(items or [])

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

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def cell(self, item, column: int):
        raise NotImplementedError

    def cell_at(self, row: int, column: int):
        """The text of a cell; models that need the row number (not only the item) override this."""
        return self.cell(self.items[row], column)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell_at(index.row(), index.column())
        if role == NodeIdRole:
            return getattr(item, "node_id", None)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.centred_columns:
            return int(Qt.AlignmentFlag.AlignCenter)
        return self.extra(item, index.column(), role)

    def extra(self, item, column: int, role: int):
        return None


def list_view(name: str, model, widths: tuple[int, ...], on_activated=None) -> QTableView:
    """A read-only list of rows (problems, search hits, history): whole rows, last column stretched."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    if on_activated is not None:
        view.activated.connect(on_activated)
        view.doubleClicked.connect(on_activated)
    return view
