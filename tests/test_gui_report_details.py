"""檔案 → 報告資料… and F2 on the tree's root: the report's 機關名稱, 年度 and 出版年月 corrected
after it was made, as one undo step (the gap "F2 on the root does nothing" of issue 15)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox

from gui_helpers import key, open_window
from app.document import ReportDocument
from ui.dialogs.report_details import ReportDetailsDialog


def _answer(seen: dict, office: str | None = None, year: int | None = None, cancel: bool = False):
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReportDetailsDialog):
            QTimer.singleShot(30, look)
            return
        seen["office"] = dialog.findChild(QLineEdit, "officeEdit").text()
        seen["year"] = dialog.findChild(QSpinBox, "yearSpin").value()
        if office is not None:
            edit = QApplication.focusWidget()
            assert edit is dialog.findChild(QLineEdit, "officeEdit")  # the office, selected, has the keys
            edit.selectAll()
            edit.insert(office)
        if year is not None:
            dialog.findChild(QSpinBox, "yearSpin").setValue(year)
        (dialog.reject if cancel else dialog.accept)()

    QTimer.singleShot(30, look)


def test_report_details_from_the_menu_is_one_undo_step(qtbot, tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    window = open_window(qtbot, path)
    seen: dict = {}
    _answer(seen, office="嘉義市東區區公所", year=110)
    window.act_report_details.trigger()
    assert seen["office"] == small.office and seen["year"] == small.roc_year
    report = window.document.report
    assert (report.office, report.roc_year) == ("嘉義市東區區公所", 110)
    assert window.undo_stack.undoText() == "修改報告資料"
    assert window.tree_model.data(window.tree_model.index(0, 0)).startswith("嘉義市東區區公所")
    window.act_undo.trigger()  # both fields back in one step
    assert (report.office, report.roc_year) == (small.office, small.roc_year)
    window.act_redo.trigger()
    again = ReportDocument.open(path, read_only=True)
    assert (again.report.office, again.report.roc_year) == ("嘉義市東區區公所", 110)
    again.close()
    # cancelled, or OK with nothing changed: no undo step
    count = window.undo_stack.count()
    _answer(seen, cancel=True)
    window.act_report_details.trigger()
    _answer(seen)
    window.act_report_details.trigger()
    assert window.undo_stack.count() == count


def test_f2_on_the_tree_root_opens_report_details(qtbot, tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    window = open_window(qtbot, path)
    window.act_focus_tree.trigger()
    window.tree.setCurrentIndex(window.tree_model.index(0, 0))
    assert QApplication.focusWidget() is window.tree
    seen: dict = {}
    _answer(seen, office="新的區公所")
    key(qtbot, Qt.Key.Key_F2)
    assert seen["office"] == small.office
    assert window.document.report.office == "新的區公所"
