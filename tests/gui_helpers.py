"""Helpers for GUI tests: a real main window on a report file, offscreen."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("WORKREPORT_RAISE", "1")


def open_window(qtbot, path=None, **kwargs):
    from ui.application import make_application
    from ui.main_window import MainWindow

    make_application()
    window = MainWindow(path, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def find_item(report, title):
    for department in report.departments:
        for section in department.sections:
            for item in section.items:
                if item.title == title:
                    return item
    raise KeyError(title)


def type_text(widget, text):
    """Type text key by key, as a keyboard (or an input method) delivers it.

    QTest.keyClicks only knows Latin-1; Chinese arrives as key events that
    carry the character in their text.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        target = QApplication.focusWidget() or widget
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        QApplication.processEvents()


def key(qtbot, k, modifier=None):
    """Press one key in the widget that has the focus, as the keyboard does, and let it act."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    qtbot.keyClick(QApplication.focusWidget(), k, Qt.KeyboardModifier.NoModifier if modifier is None else modifier)
    QApplication.processEvents()
