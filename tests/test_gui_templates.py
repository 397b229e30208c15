"""The window and report templates (issue 19): a report of a template this version does not
follow yet is refused with one zh-TW line, never shown in the default layout."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui_helpers import open_window
from app.document import ReportDocument
from app.interchange import dumps
from app.model import Report
from app.templates import builtin_named
from ui.application import make_application
from ui.dialogs.import_preview import ImportPreviewDialog

BUDGET = "重要施政項目（預算執行）"
REFUSAL = "這份報告使用「重要施政項目（預算執行）」範本；本版程式只能編輯及匯出「區公所年度工作總報告」範本的報告"


def test_opening_a_report_of_another_template_is_refused(qtbot, tmp_path, small, monkeypatch):
    ReportDocument.create(tmp_path / "small.awr", small).close()
    budget = tmp_path / "budget.awr"
    ReportDocument.create(budget, Report(office="測試區公所", roc_year=114, template=builtin_named(BUDGET))).close()
    window = open_window(qtbot, tmp_path / "small.awr")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append((title, text)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(budget), ""))
    window.actions_by_name["open"].trigger()
    assert warnings == [("無法開啟報告檔", f"budget.awr：{REFUSAL}")]  # the file by its name, as every message box
    assert window.document is not None and window.document.path == tmp_path / "small.awr"
    again = ReportDocument.open(budget)  # refused, and let go: its lock is free
    again.close()


def test_the_import_preview_refuses_a_json_of_another_template(qtbot, tmp_path):
    source = tmp_path / "budget.json"
    source.write_text(dumps(Report(office="測試區公所", roc_year=114, template=builtin_named(BUDGET))), encoding="utf-8")
    make_application()
    dialog = ImportPreviewDialog(source)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "無法匯入" in dialog.summary.text(), timeout=10000)
    assert REFUSAL in dialog.summary.text() and not dialog.ok_button.isEnabled()
