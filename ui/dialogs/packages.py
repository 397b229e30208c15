"""審核 → 分送工作包: several departments at once, one package file each, into one folder.

The dialog only asks (which departments, which folder); each file is written
by :func:`app.packages.issue_package`, all or nothing per file.  A file that
cannot be written is named in one zh-TW line; the others are still written.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def package_name(roc_year: int, department_name: str) -> str:
    return f"{roc_year}年度-{department_name}-工作包.awr"


class IssuePackagesDialog(QDialog):
    def __init__(self, names: list[str], checked: set[str], folder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("issuePackagesDialog")
        self.setWindowTitle("分送工作包")
        self.boxes: list[QCheckBox] = []
        inner = QWidget()
        column = QVBoxLayout(inner)
        for name in names:
            box = QCheckBox(name)
            box.setChecked(name in checked)
            box.toggled.connect(self._update)
            column.addWidget(box)
            self.boxes.append(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        all_button = QPushButton("全選")
        all_button.clicked.connect(lambda: [b.setChecked(True) for b in self.boxes])
        none_button = QPushButton("全不選")
        none_button.clicked.connect(lambda: [b.setChecked(False) for b in self.boxes])
        self.folder_edit = QLineEdit(folder)
        self.folder_edit.setObjectName("packageFolder")
        self.folder_edit.textChanged.connect(self._update)
        browse = QPushButton("選擇資料夾…")
        browse.clicked.connect(self._browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("建立工作包")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        select = QHBoxLayout()
        select.addWidget(all_button)
        select.addWidget(none_button)
        select.addStretch(1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("要分送的部門（每個部門一個工作包檔）："))
        layout.addWidget(scroll, 1)
        layout.addLayout(select)
        layout.addWidget(QLabel("存放的資料夾："))
        layout.addLayout(folder_row)
        layout.addWidget(self.buttons)
        self.resize(460, 420)
        self._update()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "工作包存放的資料夾", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _update(self, *args) -> None:
        ok = bool(self.selected()) and bool(self.folder_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def selected(self) -> list[str]:
        return [box.text() for box in self.boxes if box.isChecked()]

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip())
