"""File → 匯入 and 建立下一年度報告 in the window, and last year's entries beside this year's."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui_helpers import find_item, open_window

from app.document import ReportDocument
from app.exporters import export
from app.sample import sample_report
from ui.dialogs.import_preview import ImportPreviewDialog


def test_rollover_then_copy_last_years_entry(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "109.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    target = tmp_path / "110.awr"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert not window.previous_dock.isVisible()
    window.act_rollover.trigger()
    assert window.document.path == target and window.document.report.roc_year == 110
    assert window.previous_dock.isVisible()  # last year beside this year, without asking
    item = find_item(window.document.report, "徵兵檢查作業")
    assert item.entries == [] and item.predecessor_id
    window.go_to(item.id)
    assert window.previous_year.model.rowCount() == 3
    window.previous_year.view.selectRow(1)
    window.previous_year.copy_selected()
    assert [e.text for e in item.entries] == ["受理役男體位複檢申請計 29 件。"]
    assert window.act_undo.text() == "復原 複製去年的辦理情形"


def test_import_from_word_through_the_preview(qtbot, tmp_path, monkeypatch):
    source = tmp_path / "old.docx"
    export(sample_report(), "docx", source)
    window = open_window(qtbot, None, first_start_sample=False)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    previews = []

    def accept_preview(cls, p, parent=None):
        dialog = cls(p, parent)  # the real preview, accepted as a person pressing 匯入 would
        previews.append(dialog.summary.text())
        dialog.accept()
        return dialog.report()

    monkeypatch.setattr(ImportPreviewDialog, "get_report", classmethod(accept_preview))
    target = tmp_path / "imported.awr"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_import.trigger()
    assert window.document is not None and window.document.path == target
    assert window.document.report.counts()["entry"] == 377
    assert "7 個部門" in previews[0] and "377 筆辦理情形" in previews[0]


def test_a_large_import_is_read_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    import ui.dialogs.import_preview as import_dialog
    from gui_helpers import open_window as _  # noqa: F401  (offscreen, application)

    source = tmp_path / "big.docx"
    export(sample_report(), "docx", source)
    monkeypatch.setattr(import_dialog, "THREAD_ABOVE_BYTES", 0)
    from ui.application import make_application

    make_application()
    dialog = ImportPreviewDialog(source)
    qtbot.addWidget(dialog)
    assert not dialog.loaded and dialog.busy.isVisibleTo(dialog) and not dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=30000)
    assert dialog.counts_model.rowCount() == 7 and dialog.ok_button.isEnabled()
    # 取消 while reading: the dialog closes at once, the late result is dropped.
    late = ImportPreviewDialog(source)
    late.reject()
    assert late.report() is None
    qtbot.waitUntil(lambda: not import_dialog._RUNNING, timeout=30000)


def test_open_of_a_word_or_excel_file_offers_to_import_it(qtbot, tmp_path, monkeypatch):
    """檔案 → 開啟 of a .docx/.xlsx: 「這是 Word/Excel 檔，要匯入成新報告嗎？」 — yes goes on to the
    import preview and a new report file; no leaves the open report as it was, with no error."""
    path = tmp_path / "mine.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    asked, errors, previews = [], [], []
    answer = {"button": QMessageBox.StandardButton.No}

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answer["button"]

    def accept_preview(cls, p, parent=None):
        dialog = cls(p, parent)
        previews.append(p)
        dialog.accept()
        return dialog.report()

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: errors.append(text))
    monkeypatch.setattr(ImportPreviewDialog, "get_report", classmethod(accept_preview))
    for suffix, kind in ((".docx", "Word 檔"), (".xlsx", "Excel 檔")):
        source = tmp_path / f"old{suffix}"
        export(sample_report(), suffix.lstrip("."), source)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, s=source, **k: (str(s), ""))
        answer["button"] = QMessageBox.StandardButton.No
        before = window.document.path
        window.act_open.trigger()
        assert "這是 Word/Excel 檔，要匯入成新報告嗎？" in asked[-1] and kind in asked[-1] and source.name in asked[-1]
        assert window.document.path == before and not errors and not previews
        target = tmp_path / f"imported-{suffix[1:]}.awr"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        answer["button"] = QMessageBox.StandardButton.Yes
        window.act_open.trigger()
        assert previews[-1] == str(source) and not errors
        assert window.document.path == target and window.document.report.counts()["entry"] == 377
        previews.clear()
