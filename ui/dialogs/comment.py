"""The comment box of 送審 / 退回 / 核定 / 重新開啟 / 新增意見.

A multi-line box where Enter starts a new line (as in any text box) and
Ctrl+Enter confirms (the button says so); Esc cancels.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")


class CommentDialog(QDialog):
    def __init__(self, title: str, label: str, parent: QWidget | None = None, *, ok_text: str = "確定"):
        super().__init__(parent)
        self.setObjectName("commentDialog")
        self.setWindowTitle(title)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("commentEdit")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Enter 換行，Ctrl+Enter 確定")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(f"{ok_text}（Ctrl+Enter）", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        # Enter belongs to the text box (a new line), not to a default button.
        self.ok_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for keys in CONFIRM_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(460, 240)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.toPlainText()


def ask_comment(parent: QWidget, title: str, label: str, *, ok_text: str = "確定") -> tuple[str, bool]:
    """(text, accepted) — the QInputDialog.getMultiLineText contract, with Ctrl+Enter to confirm."""
    dialog = CommentDialog(title, label, parent, ok_text=ok_text)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.text()
    dialog.deleteLater()
    return text, accepted
