"""The GUI's safety net: unexpected errors, a report open elsewhere, a damaged file with backups."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox

from conftest import PROJECT_ROOT
from gui_helpers import open_window

from app.document import ReportDocument
from app.paths import log_dir
from app.sample import sample_report
from ui.table.model import COL_TEXT


def test_unexpected_error_shows_chinese_message_copies_details_and_logs(qtbot, monkeypatch):
    from ui.application import install_safety_net, make_application

    app = make_application()
    monkeypatch.delenv("WORKREPORT_RAISE", raising=False)
    shown = []

    def fake_exec(box):
        shown.append(box.text())
        copy = next(b for b in box.buttons() if b.text() == "複製詳細資料")
        copy.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    previous = sys.excepthook
    install_safety_net(app)
    try:
        try:
            raise ValueError("測試用的錯誤")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    assert shown and "未預期的問題" in shown[0] and "已存入的資料不受影響" in shown[0]
    assert "Traceback" not in shown[0]
    assert "ValueError: 測試用的錯誤" in QGuiApplication.clipboard().text()
    log = (log_dir() / "workreport.log").read_text(encoding="utf-8")
    assert "ValueError: 測試用的錯誤" in log


HOLDER = """
import sys, time
from app.document import ReportDocument
doc = ReportDocument.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_report_open_elsewhere_opens_read_only(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), WORKREPORT_USER="王小明",
                                       WORKREPORT_ROLE="clerk"))
    try:
        assert holder.stdout.readline().strip() == "holding"
        asked = []
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
        window = open_window(qtbot, path)
        assert asked and "編輯中" in asked[0] and "王小明（承辦人" in asked[0]  # the person, not the login user
        assert window.document.read_only and "唯讀" in window.windowTitle()
        index = window.table_model.index(0, COL_TEXT)
        assert not (window.table_model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    finally:
        holder.kill()
        holder.wait()


def test_a_damaged_report_offers_its_backups(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, sample_report())
    doc.repo.backup("manual")
    doc.close()
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    from ui.dialogs.restore import RestoreDialog

    def choose_newest(dialog):
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose_newest)
    window = open_window(qtbot, path, first_start_sample=False)
    assert window.document is not None and window.document.report.counts()["entry"] == 377
