"""The 歷程與意見 panel: comments and the change history of the selected 目 or entry."""
from __future__ import annotations

import json

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from app.model import KIND_LABEL, ROLE_LABEL

FIELD_LABEL = {
    "text": "辦理情形", "completion": "完成程度", "remark": "備註", "level": "層級", "title": "名稱",
    "name": "名稱", "numbered": "編號", "status": "審核狀態", "position": "位置", "comment": "意見",
}


def _value(raw: str | None) -> str:
    if raw is None:
        return ""
    value = json.loads(raw)
    if isinstance(value, dict):
        if "text" in value:
            return value["text"]
        if "title" in value:
            return value["title"]
        if "parent" in value:
            return f"第 {value['index'] + 1} 位"
    return "" if value is None else str(value)


class HistoryModel(QAbstractTableModel):
    """Comments first (who, when, what), then history rows, newest first."""

    headers = ("時間", "人員", "動作", "項目", "修改前", "修改後")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, comments, history) -> None:
        self.beginResetModel()
        rows = [(c.at.replace("T", " "), f"{c.author}（{ROLE_LABEL.get(c.role, c.role)}）", "意見", "", "", c.text)
                for c in comments]
        for row in history:
            what = FIELD_LABEL.get(row["field"] or "", KIND_LABEL.get(row["kind"], row["kind"]))
            rows.append((row["at"].replace("T", " "), f"{row['who']}（{ROLE_LABEL.get(row['role'], row['role'])}）",
                         row["action"], what, _value(row["before"]), _value(row["after"])))
        rows.sort(key=lambda r: r[0], reverse=True)
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None


class ReviewPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("選擇一個目或一筆辦理情形，這裡會列出意見與修改歷程。")
        self.title.setWordWrap(True)
        self.model = HistoryModel(self)
        self.view = QTableView()
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((140, 130, 130, 80, 200)):
            self.view.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.view)

    def show_node(self, document, node_id: str | None, label: str = "") -> None:
        if document is None or node_id is None or document.find(node_id) is None:
            self.model.set_rows([], [])
            return
        node = document.find(node_id)
        ids = {node_id} | ({e.id for e in node.entries} if node.kind == "item" else set())
        comments = [c for c in document.report.comments if c.node_id in ids]
        self.title.setText(f"{label}：{len(comments)} 則意見")
        self.model.set_rows(comments, document.history_of(node_id))
