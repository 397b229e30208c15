"""說明 → 快速鍵 (F1): the list made from the action registry (ui/actions.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..actions import shortcut_list


def show_shortcuts(parent: QWidget) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle("快速鍵")
    browser = QTextBrowser(dialog)
    rows = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in shortcut_list())
    browser.setHtml(f"<table cellpadding='4'>{rows}</table>")
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(560, 620)
    dialog.exec()
