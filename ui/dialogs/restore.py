"""File → 從備份還原: the report's backups with time, reason and size."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QListView, QVBoxLayout

from app.storage.backup import Backup, list_backups


class RestoreDialog(QDialog):
    def __init__(self, report_path: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("從備份還原")
        self.backups: list[Backup] = list_backups(report_path)
        self.chosen: Backup | None = None
        layout = QVBoxLayout(self)
        if self.backups:
            text = f"{report_path.name} 的備份（新的在上）。還原會先備份目前的檔案，之後仍可再還原回來。"
        else:
            text = f"{report_path.name} 還沒有任何備份。"
        layout.addWidget(QLabel(text))
        self.model = QStringListModel([backup.label for backup in self.backups], self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if self.backups:
            self.list.setCurrentIndex(self.model.index(0))
        self.list.doubleClicked.connect(lambda index: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("還原")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def accept(self) -> None:
        row = self.list.currentIndex().row()
        self.chosen = self.backups[row] if 0 <= row < len(self.backups) else None
        super().accept()
