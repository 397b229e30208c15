"""The export dialog: format, one department, progress, and a refusal in Chinese."""
from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

import gui_helpers  # noqa: F401  (offscreen)
from app.sample import sample_report
from ui.application import make_application
from ui.dialogs.export import ExportDialog


def _select(box, data):
    box.setCurrentIndex(box.findData(data))


def test_export_one_department_as_json(qtbot, tmp_path):
    make_application()
    dialog = ExportDialog(sample_report())
    qtbot.addWidget(dialog)
    _select(dialog.format_box, "json")
    _select(dialog.scope_box, "兵役部門")
    target = tmp_path / "out.json"
    dialog.target_edit.setText(str(target))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.thread is None, timeout=30000)
    assert dialog.progress.value() == 100 and dialog.open_folder_button.isEnabled()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [d["name"] for d in data["departments"]] == ["兵役部門"]


def test_every_available_format_is_offered(qtbot):
    from app.exporters import available_formats

    make_application()
    dialog = ExportDialog(sample_report())
    qtbot.addWidget(dialog)
    offered = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert offered == available_formats() and "json" in offered and "xlsx" in offered


def test_a_failed_export_shows_a_chinese_message_and_leaves_nothing(qtbot, tmp_path, monkeypatch):
    make_application()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    dialog = ExportDialog(sample_report())
    qtbot.addWidget(dialog)
    _select(dialog.format_box, "json")
    dialog.target_edit.setText(str(tmp_path / "missing" / "out.json"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.thread is None, timeout=30000)
    assert shown and "資料夾不存在" in shown[0]
    assert list(tmp_path.iterdir()) == []
