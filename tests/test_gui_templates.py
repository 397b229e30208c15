"""The window and report templates (issue 19): a report of any template opens in the window
(no refusal), and the import preview takes a JSON of another template.  Typing into each
template's table: tests/test_gui_template_tables.py."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui_helpers import open_window
from app.document import ReportDocument
from app.editing import new_report
from app.interchange import dumps
from app.templates import builtin_named
from ui.application import make_application
from ui.dialogs.import_preview import ImportPreviewDialog

BUDGET = "重要施政項目（預算執行）"


def test_opening_a_report_of_another_template_shows_it(qtbot, tmp_path, small, monkeypatch):
    ReportDocument.create(tmp_path / "small.awr", small).close()
    budget = tmp_path / "budget.awr"
    ReportDocument.create(budget, new_report("測試區公所", 114, builtin_named(BUDGET))).close()
    window = open_window(qtbot, tmp_path / "small.awr")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append((title, text)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(budget), ""))
    window.actions_by_name["open"].trigger()
    assert warnings == []
    assert window.document.path == budget and window.document.report.template.name == BUDGET
    assert window.table_model.headerData(0, Qt.Orientation.Horizontal) == "項次"  # the template's columns
    assert window.actions_by_name["add_department"].text() == "新增業務"
    # back to a report of the default template: its table and commands as before
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "small.awr"), ""))
    window.actions_by_name["open"].trigger()
    assert window.table_model.columnCount() == 6 and window.table_model.headerData(0, Qt.Orientation.Horizontal) == "類"
    assert window.actions_by_name["add_department"].text() == "新增部門"
    assert window.actions_by_name["add_item"].isEnabled()


def test_the_import_preview_takes_a_json_of_another_template(qtbot, tmp_path):
    source = tmp_path / "budget.json"
    source.write_text(dumps(new_report("測試區公所", 114, builtin_named(BUDGET))), encoding="utf-8")
    make_application()
    dialog = ImportPreviewDialog(source)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=10000)
    assert "無法匯入" not in dialog.summary.text()
    dialog.accept()
    assert dialog.report().template.name == BUDGET
