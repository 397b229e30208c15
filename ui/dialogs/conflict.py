"""Merge conflicts side by side (基準 / 工作包 / 報告), one choice per field."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from app.model import field_label

from ..list_models import RowsModel

CHOICES = {"package": "採用工作包", "report": "採用報告"}
COL_CHOICE = 5


def _show(value) -> str:
    return "（空）" if value in (None, "") else str(value)


class ConflictModel(RowsModel):
    headers = ("位置", "欄位", "基準（分送時）", "工作包", "報告", "決定")

    def __init__(self, conflicts, parent=None):
        super().__init__(conflicts, parent)
        self.choices: list[str] = [c.choice or "report" for c in conflicts]

    @property
    def conflicts(self):
        return self.items

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() == COL_CHOICE else flags

    def cell_at(self, row: int, column: int) -> str:
        if column == COL_CHOICE:
            return CHOICES[self.choices[row]]
        return self.cell(self.items[row], column)

    def cell(self, conflict, column: int) -> str:
        if column == 0:
            return conflict.where
        if column == 1:
            return "刪除或保留" if conflict.field == "deleted" else (conflict.heading or field_label(conflict.field))
        return _show((conflict.base, conflict.package, conflict.report)[column - 2])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() == COL_CHOICE:
            return self.choices[index.row()]
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_CHOICE or value not in CHOICES:
            return False
        self.choices[index.row()] = value
        self.dataChanged.emit(index, index)
        return True

    def choose_all(self, side: str) -> None:
        self.choices = [side] * len(self.items)
        if self.items:
            self.dataChanged.emit(self.index(0, COL_CHOICE), self.index(len(self.items) - 1, COL_CHOICE))

    def resolutions(self) -> dict[tuple[str, str], str]:
        return {(c.node_id, c.field): choice for c, choice in zip(self.items, self.choices)}


class ChoiceDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        for key, label in CHOICES.items():
            box.addItem(label, key)
        return box

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ConflictDialog(QDialog):
    def __init__(self, conflicts, package_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"彙整工作包 {package_name}：{len(conflicts)} 個衝突")
        self.model = ConflictModel(conflicts, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COL_CHOICE, ChoiceDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        for column, width in enumerate((260, 80, 180, 180, 180, 110)):
            self.view.setColumnWidth(column, width)
        self.view.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("同一欄位在工作包與報告中都被改成不同的內容。請逐一決定要採用哪一邊（預設採用報告）："))
        layout.addWidget(self.view)
        row = QHBoxLayout()
        for side in CHOICES:
            button = QPushButton(f"全部{CHOICES[side]}")
            button.clicked.connect(lambda checked=False, s=side: self.model.choose_all(s))
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("彙整")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1040, 480)

    def resolutions(self) -> dict[tuple[str, str], str]:
        return self.model.resolutions()
