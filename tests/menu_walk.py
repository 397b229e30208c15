"""Window sessions that may crash the process: run by tests/test_gui_menus.py, each in its own Python.

Not collected on its own (the name does not start with ``test_``):
``test_gui_menus.py`` runs every test here in a subprocess, so a segfault
(the print-preview crash of issue 15) or a hang shows as a failure of that
test, naming the action, instead of ending or stalling the whole test run.

* :func:`test_walk` — every action in the menu bar, triggered as a menu click
  does (``QAction.trigger()``: ``triggered(checked)``), with each modal dialog
  answered (cancelled, or accepted: a file dialog gets a real file of the kind
  it asks for).  It walks the menu bar, so new actions are covered
  automatically.  It fails on the unexpected-error box, on an exception in a
  slot and on a crash.
* :func:`test_walk_template` — the same walk on a filled report of each built-in template
  other than the default (tests/template_reports.py, issue 19), the cursor on a row.
* :func:`test_print_preview_pages_through_twice` — 檔案 → 預覽列印 from the
  menu, paging through, closed, twice.
* :func:`test_merge_package_from_the_menu` — 審核 → 彙整工作包… merges the
  package chosen in its file dialog (the action once got ``False`` as the path).
"""
from __future__ import annotations

import faulthandler
import shutil
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
)

from gui_helpers import find_item, open_window

from app.document import ReportDocument
from app.operations import SetField
from app.sample import sample_report

UNEXPECTED = "程式發生未預期的問題"
QUIT = "act_quit"
WATCHDOG_SECONDS = 240  # a dialog nobody answers: print every thread's stack and end the process


@pytest.fixture(autouse=True)
def _watchdog():
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True, file=sys.stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


def menu_actions(window):
    """(menu path, action) for every leaf action of the menu bar, submenus opened as a user does."""
    found = []

    def walk(menu: QMenu, path: str) -> None:
        menu.aboutToShow.emit()  # fills dynamic menus (最近開啟的檔案)
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {action.text()}")
            elif action is not window.act_quit:
                found.append((f"{path} › {action.text()}", action))

    for top in window.menuBar().actions():
        walk(top.menu(), top.text())
    return found


def modal_dialog():
    widget = QApplication.activeModalWidget()
    if widget is None:
        for top in QApplication.topLevelWidgets():
            if isinstance(top, QDialog) and top.isVisible() and top.isModal():
                return top
    return widget


class Answerer:
    """Answers whatever modal dialog is up, every few milliseconds, as a user would."""

    def __init__(self, files: dict[str, str], accept: bool):
        self.files = files
        self.accept = accept
        self.seen: list[str] = []
        self.errors: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self.answer)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def answer(self) -> None:
        widget = modal_dialog()
        if widget is None or getattr(widget, "_answering", False):
            return
        # Answer from a fresh slot: a box the answer opens (a refusal, a question)
        # runs its own event loop, and a timer does not fire inside its own slot.
        widget._answering = True
        QTimer.singleShot(0, lambda: self._answer(widget))

    def _answer(self, widget) -> None:
        try:
            widget._answering = False
        except RuntimeError:  # already gone
            return
        name = f"{type(widget).__name__}「{widget.windowTitle()}」"
        if isinstance(widget, QMessageBox):
            name += f" {widget.text()}"
            if UNEXPECTED in widget.text():
                self.errors.append(widget.text() + "\n" + widget.detailedText())
                widget.done(0)
                return
        attempts = getattr(widget, "_answer_attempts", 0)
        widget._answer_attempts = attempts + 1
        if attempts == 0:
            self.seen.append(name)
        if not self.accept or attempts >= 3:  # cancelling, or the dialog refused our answer (its own check)
            widget.reject()
            return
        if isinstance(widget, QFileDialog):
            self._answer_file(widget)
        elif isinstance(widget, QMessageBox):
            for standard in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok,
                             QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Open):
                if widget.button(standard) is not None:
                    widget.button(standard).click()
                    return
            button = widget.defaultButton() or next(iter(widget.buttons()), None)
            button.click() if button is not None else widget.accept()
        elif isinstance(widget, QInputDialog):
            if not widget.textValue():
                widget.setTextValue("測試")
            widget.accept()
        elif isinstance(widget, QPrintDialog):
            # No printer here: Qt's own dialog prints to a PDF file; put it in the test folder.
            for edit in widget.findChildren(QLineEdit):
                if edit.isVisible() and edit.text().lower().endswith(".pdf"):
                    edit.setText(self.files["out"] + "-print.pdf")
            widget.accept()
        else:
            self._click_ok(widget)

    def _click_ok(self, widget: QDialog) -> None:
        """Fill empty fields, then the dialog's OK / accept button, as a click (its own checks run);
        accept() when it has none."""
        for edit in widget.findChildren(QLineEdit):
            if edit.isVisible() and edit.isEnabled() and not edit.isReadOnly() and not edit.text():
                edit.setText("測試")
        for box in widget.findChildren(QDialogButtonBox):
            for button in box.buttons():
                role = box.buttonRole(button)
                if role in (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole) \
                        and button.isEnabled() and button.isVisible():
                    button.click()
                    return
        if not widget.findChildren(QDialogButtonBox):
            widget.accept()
        # else its OK is disabled (busy): ask again at the next tick

    def _answer_file(self, dialog: QFileDialog) -> None:
        """Type a real file (or folder) of the kind the dialog asks for into its name field, then accept."""
        filters = " ".join(dialog.nameFilters()).lower()
        if dialog.fileMode() == QFileDialog.FileMode.Directory:
            path = self.files["folder"]
        elif dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave:
            suffix = next((s for s in (".awr", ".pdf", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".json")
                           if s[1:] in filters), "")
            self.saves = getattr(self, "saves", 0) + 1  # a new file each time, so each save goes through
            path = f"{self.files['out']}-{self.saves}{suffix}"
        elif "工作包" in dialog.windowTitle():
            path = self.files["package"]
        else:
            path = next((p for s, p in self.files.items() if s.startswith(".") and s[1:] in filters), "")
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        if edit is not None:
            edit.setText(path)
        else:
            dialog.selectFile(path)
        dialog.accept()


def _make_files(tmp_path):
    path = tmp_path / "report.awr"
    ReportDocument.create(path, sample_report()).close()
    spare = tmp_path / "spare.awr"
    shutil.copy(path, spare)
    from app.exporters import export
    from app.packages import issue_package

    doc = ReportDocument.open(spare)
    try:
        export(doc.report, "docx", tmp_path / "import.docx")
        issue_package(doc, doc.report.departments[0].name, tmp_path / "package.awr")
    finally:
        doc.close()
    folder = tmp_path / "out"
    folder.mkdir()
    return path, {".awr": str(spare), ".docx": str(tmp_path / "import.docx"), "package": str(tmp_path / "package.awr"),
                  "out": str(folder / "saved"), "folder": str(folder)}


@pytest.mark.parametrize("accept", [False, True], ids=["cancel", "accept"])
def test_walk(qtbot, tmp_path, accept):
    path, files = _make_files(tmp_path)
    window = open_window(qtbot, path)
    answerer = Answerer(files, accept)
    triggered = []
    try:
        actions = menu_actions(window)
        assert len(actions) > 40
        for label, action in actions:
            if not action.isEnabled():
                continue
            print(f"trigger {label}", file=sys.stderr, flush=True)  # the last one names a crash
            with qtbot.capture_exceptions() as exceptions:
                action.trigger()  # as a menu click does (triggered(checked))
                qtbot.wait(50)
            assert not exceptions, f"{label}: {exceptions}"
            assert not answerer.errors, f"{label}: {answerer.errors}"
            assert window.isVisible(), label
            triggered.append(label)
        # 結束 last: the window closes without a question or an error.
        window.act_quit.trigger()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    finally:
        answerer.stop()
    assert not answerer.errors
    assert len(triggered) > 40
    print('dialogs answered:', *answerer.seen, sep='\n  ', file=sys.stderr)
    if accept:  # the dialogs were really reached and answered
        assert any("彙整的工作包" in name for name in answerer.seen), answerer.seen
        assert any("預覽列印" in name for name in answerer.seen), answerer.seen


@pytest.mark.parametrize("builder", ["budget_report", "kpi_report", "narrative_report"])
def test_walk_template(qtbot, tmp_path, builder):
    import template_reports

    _, files = _make_files(tmp_path)
    path = tmp_path / "template.awr"
    ReportDocument.create(path, getattr(template_reports, builder)()).close()
    window = open_window(qtbot, path)
    window.table.setFocus()
    window.table.setCurrentIndex(window.table_model.index(1, 1))
    answerer = Answerer(files, True)
    triggered = []
    try:
        for label, action in menu_actions(window):
            if not action.isEnabled() or action is window.act_quit:
                continue
            print(f"trigger {label}", file=sys.stderr, flush=True)
            with qtbot.capture_exceptions() as exceptions:
                action.trigger()
                qtbot.wait(50)
            assert not exceptions, f"{label}: {exceptions}"
            assert not answerer.errors, f"{label}: {answerer.errors}"
            assert window.isVisible(), label
            triggered.append(label)
    finally:
        answerer.stop()
    assert len(triggered) > 40


def test_print_preview_pages_through_twice(qtbot, tmp_path):
    path = tmp_path / "report.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    for _ in range(2):
        seen = {}

        def page_through():
            dialog = modal_dialog()
            if not isinstance(dialog, QPrintPreviewDialog):
                QTimer.singleShot(50, page_through)
                return
            preview = dialog.findChild(QPrintPreviewWidget)
            seen["pages"] = preview.pageCount()
            for _ in range(5):  # the dialog's own 下一頁 button, as a click
                preview.setCurrentPage(preview.currentPage() + 1)
                dialog.repaint()
                QApplication.processEvents()
            seen["forward"] = preview.currentPage()
            for _ in range(2):
                preview.setCurrentPage(preview.currentPage() - 1)
                QApplication.processEvents()
            seen["back"] = preview.currentPage()
            preview.setCurrentPage(preview.pageCount())
            QApplication.processEvents()
            seen["last"] = preview.currentPage()
            grabbed = dialog.grab()
            seen["painted"] = not grabbed.isNull()
            dialog.close()

        QTimer.singleShot(50, page_through)
        window.act_preview.trigger()  # returns when the dialog is closed
        assert seen["pages"] > 20
        assert (seen["forward"], seen["back"], seen["last"]) == (6, 4, seen["pages"])
        assert seen["painted"]
        qtbot.wait(50)
        import gc

        gc.collect()  # what Python no longer holds is freed now, not at some later paint
        qtbot.wait(50)
        assert not window.findChildren(QPrintPreviewDialog)  # closed means gone, not kept with its pages
    assert window.isVisible()


def test_merge_package_from_the_menu(qtbot, tmp_path):
    from app.packages import issue_package

    path = tmp_path / "report.awr"
    ReportDocument.create(path, sample_report()).close()
    package = tmp_path / "package.awr"
    doc = ReportDocument.open(path)
    try:
        issue_package(doc, doc.report.departments[0].name, package)
    finally:
        doc.close()
    pkg = ReportDocument.open(package)
    try:
        entry = pkg.report.departments[0].sections[0].items[0].entries[0]
        item_title = pkg.report.departments[0].sections[0].items[0].title
        pkg.apply(SetField(entry.id, "text", "工作包裡改寫的辦理情形。"))
    finally:
        pkg.close()

    window = open_window(qtbot, path)
    answerer = Answerer({"package": str(package)}, accept=True)
    try:
        with qtbot.capture_exceptions() as exceptions:
            window.act_merge_package.trigger()
            qtbot.wait(50)
    finally:
        answerer.stop()
    assert not exceptions and not answerer.errors
    assert any("彙整的工作包" in name for name in answerer.seen)
    assert find_item(window.document.report, item_title).entries[0].text == "工作包裡改寫的辦理情形。"
    assert window.undo_stack.count() == 1  # one undo step


def test_export_closed_while_exporting(qtbot, tmp_path):
    """Esc while the export runs cancels it and closes the dialog; the program lives on."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.dialogs.export import ExportDialog

    path = tmp_path / "report.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    states = []

    def export_then_escape():
        dialog = modal_dialog()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(20, export_then_escape)
            return
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
        dialog.export_button.click()
        states.append(dialog.thread is not None)
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(20, export_then_escape)
    window.act_export.trigger()
    import gc

    gc.collect()
    qtbot.wait(100)
    assert states == [True]  # Esc came while the export was running
    assert window.isVisible()
