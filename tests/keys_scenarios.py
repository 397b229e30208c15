"""Refused cell edits driven as a person does, in a process of their own.

Run by tests/test_gui_keys.py as ``python tests/keys_scenarios.py SCENARIO REPORT``:
before the fix of issue 15 blocker 3 these killed the program (segfault), which
would kill pytest too, so each runs here and prints one JSON line of what it saw;
the test reads it and the exit code (a crash is a negative code).

Scenarios:
* ``approved-tab`` / ``approved-click``: a chief selects a 目 cell (mouse), 核定
  (Ctrl+Shift+3, the comment dialog answered with its OK button), clicks a
  辦理情形 cell of that 目, types a character, then Tab / clicks another cell;
* ``moved-tab`` / ``moved-enter``: the report file is moved away while open; a
  clerk clicks a 辦理情形 cell, types, presses Tab / Enter; the warning box that
  follows is answered.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(scenario: str, report: str) -> None:
    from PySide6.QtCore import QTimer, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

    from gui_helpers import find_item, type_text

    from app.document import Person
    from ui.application import make_application
    from ui.dialogs.identity import store_person
    from ui.main_window import MainWindow
    from ui.settings import settings
    from ui.table.model import COL_ITEM, COL_REMARK, COL_TEXT

    make_application()
    store_person(settings(), Person("李課長", "chief") if scenario.startswith("approved") else Person("王小明", "clerk"))
    seen: dict = {"boxes": [], "dialogs": 0}

    def answer_dialogs() -> None:
        """Answer what pops up as a person would: OK on the comment dialog, OK on a warning."""
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen["boxes"].append(widget.text())
            QTest.mouseClick(widget.button(QMessageBox.StandardButton.Ok) or widget.buttons()[0], Qt.MouseButton.LeftButton)
        elif isinstance(widget, QDialog):
            seen["dialogs"] += 1
            box = widget.findChild(QDialogButtonBox)
            ok = box.button(QDialogButtonBox.StandardButton.Ok) or next(
                b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
            QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    answerer = QTimer()
    answerer.timeout.connect(answer_dialogs)
    answerer.start(30)

    window = MainWindow(report)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    table = window.table
    model = window.table_model
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.entries[0].id)
    row = model.row_of(item.entries[0].id)

    def click(row: int, column: int) -> None:
        index = model.index(row, column)
        table.scrollTo(index)
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         table.visualRect(index).center())
        QApplication.processEvents()

    if scenario.startswith("approved"):
        click(row, COL_ITEM)
        QTest.keyClick(table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        QTest.qWait(100)
        seen["status_after_approve"] = item.status
        window.activateWindow()  # the dialog has closed: the window is active again (offscreen needs telling)
        QTest.qWait(50)
    else:
        moved = Path(report).with_name("moved-away.awr")
        os.replace(report, moved)
    before = item.entries[0].text
    click(row, COL_TEXT)
    type_text(table, "偷")
    seen["editor_opened"] = QApplication.focusWidget() is not None and QApplication.focusWidget() is not table
    seen["status_after_typing"] = window.statusBar().currentMessage()
    if scenario.endswith("tab"):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    elif scenario.endswith("enter"):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    else:
        click(row + 1, COL_REMARK)
    QTest.qWait(300)  # the deferred refresh and message, and the box answered
    seen["after_commit"] = [table.currentIndex().row(), table.currentIndex().column()]
    # Still alive and usable: keys move the cursor, the data is as it was.
    QTest.keyClick(table, Qt.Key.Key_Down)
    QApplication.processEvents()
    seen.update(
        alive=True,
        text_unchanged=item.entries[0].text == before,
        current=[table.currentIndex().row(), table.currentIndex().column()],
        start=[row, COL_TEXT],
        status=window.statusBar().currentMessage(),
        clipboard=QApplication.clipboard().text(),
        folder=str(Path(report).resolve().parent),
    )
    print(json.dumps(seen, ensure_ascii=False), flush=True)
    window.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
