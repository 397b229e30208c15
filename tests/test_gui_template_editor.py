"""工具 → 報告範本… (ui/dialogs/template_editor.py): opened through its QAction on a real window,
edited from the keyboard and its buttons, applied as one undo step (Ctrl+Z restores), a column
holding data removed only after the question is answered yes, .awt saved and loaded back."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from gui_helpers import key, open_window, type_text
from app.document import ReportDocument
from app.templates import builtin_named, default_template, read_template
from ui.dialogs.template_editor import TemplateEditorDialog


def _window(qtbot, tmp_path, small):
    ReportDocument.create(tmp_path / "small.awr", small).close()
    return open_window(qtbot, tmp_path / "small.awr")


def _in_dialog(qtbot, window, body):
    """Trigger 工具 → 報告範本… and run ``body(dialog)`` inside its event loop; the dialog is
    closed afterwards (關閉) whatever happens; what ``body`` raised is raised here."""
    failures = []

    def run():
        dialog = window.template_editor_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, run)
            return
        try:
            body(dialog)
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            failures.append(exc)
        finally:
            dialog.close_button.click()

    QTimer.singleShot(0, run)
    window.act_template_editor.trigger()
    assert window.template_editor_dialog is None  # closed and let go
    if failures:
        raise failures[0]
    window.activateWindow()  # the keyboard is the window's again
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=5000)


def _type_into(widget, text):
    widget.setFocus()
    QApplication.processEvents()
    assert QApplication.focusWidget() is widget or widget.isAncestorOf(QApplication.focusWidget())
    widget.selectAll()
    type_text(widget, text)


def _select_column(dialog, heading):
    row = next(i for i, c in enumerate(dialog.columns) if c.heading == heading)
    dialog.column_list.setCurrentRow(row)


def _headers(window):
    model = window.table.model()
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def test_rename_apply_and_undo_from_the_window(qtbot, tmp_path, small):
    window = _window(qtbot, tmp_path, small)
    assert _headers(window)[5] == "備註"

    def rename(dialog):
        assert dialog.template() == default_template()  # the report's template, shown as it is
        _select_column(dialog, "備註")
        _type_into(dialog.column_heading, "說明")
        headers, _row = dialog.preview_texts()
        assert headers[-1] == "說明"  # the live preview follows the typing
        dialog.apply_button.click()

    _in_dialog(qtbot, window, rename)
    template = window.document.report.template
    assert [c.heading for c in template.columns] == ["辦理情形", "完成程度百分比", "說明"]
    assert template.column("remark").heading == "說明"  # same key: every 備註 value kept
    assert _headers(window)[5] == "說明"
    assert window.undo_stack.undoText() == "變更報告範本"

    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.template == default_template()
    assert _headers(window)[5] == "備註"
    key(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.template.column("remark").heading == "說明"
    assert window.document.repo.load().template == window.document.report.template


def test_add_and_move_a_column_with_the_width_rule(qtbot, tmp_path, small, monkeypatch):
    window = _window(qtbot, tmp_path, small)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append((title, text)))

    def add(dialog):
        _select_column(dialog, "完成程度百分比")
        dialog.add_column_button.click()  # after the current one
        _type_into(dialog.column_heading, "承辦人")
        assert [c.heading for c in dialog.columns] == ["辦理情形", "完成程度百分比", "承辦人", "備註"]
        headers, row = dialog.preview_texts()
        assert headers[3:] == ["辦理情形", "完成程度百分比", "承辦人", "備註"]
        assert row[3:5] == ["1.辦理區政業務研習", "90%"]
        assert dialog.width_label.text() == "各欄寬度合計 110（應為 100）"
        dialog.apply_button.click()  # refused with the template's own rule line
        assert warnings == [("無法套用範本", "範本表格各欄寬度合計應為 100，實際為 110")]
        assert window.document.report.template == default_template()
        dialog.column_up_button.click()  # 承辦人 before 完成程度百分比
        assert dialog.preview_texts()[0][3:] == ["辦理情形", "承辦人", "完成程度百分比", "備註"]
        _select_column(dialog, "辦理情形")
        _type_into(dialog.column_width, "36")
        assert dialog.width_label.text() == "各欄寬度合計 100"
        dialog.apply_button.click()

    _in_dialog(qtbot, window, add)
    template = window.document.report.template
    assert [c.heading for c in template.columns] == ["辦理情形", "承辦人", "完成程度百分比", "備註"]
    assert template.columns[1].key == "field" and template.columns[1].type == "text"
    assert template.column("text").width == 36
    assert len(warnings) == 1


def test_removing_a_column_with_data_asks_first(qtbot, tmp_path, small, monkeypatch):
    window = _window(qtbot, tmp_path, small)
    questions = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a, **k: (questions.append(text), answers.pop(0))[1])

    def remove(dialog):
        _select_column(dialog, "備註")
        dialog.remove_column_button.click()
        _select_column(dialog, "辦理情形")
        _type_into(dialog.column_width, "57")
        dialog.apply_button.click()  # answered no: nothing changes
        assert window.document.report.template == default_template()
        dialog.apply_button.click()  # yes

    _in_dialog(qtbot, window, remove)
    assert questions == ["刪除欄位「備註」會移除 1 筆資料，確定嗎？"] * 2
    report = window.document.report
    assert [c.heading for c in report.template.columns] == ["辦理情形", "完成程度百分比"]
    entries = [e for d in report.departments for s in d.sections for i in s.items for e in i.entries]
    assert not any(e.remark for e in entries)
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert report.template == default_template()
    assert [e.remark for e in entries if e.remark] == ["持續辦理"]


def test_save_as_awt_and_load_it_back(qtbot, tmp_path, monkeypatch):
    from ui.application import make_application

    make_application()
    target = tmp_path / "本所.awt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "本所"), ""))
    dialog = TemplateEditorDialog(default_template(), None, lambda t: True)
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("重要施政項目（預算執行）", True))
    dialog.copy_button.click()  # 複製內附範本…
    assert dialog.name_edit.text() == "重要施政項目（預算執行）（複製）"
    dialog.level_system.setCurrentIndex(dialog.level_system.findData("stem"))  # 甲、 instead of 壹、
    assert dialog.heading_label.text() == "標題列：甲、業務名稱"
    dialog.save_button.click()  # 另存範本檔… (.awt added)
    saved = read_template(target)
    assert saved == dialog.template()
    assert saved.levels[0].numbering.system == "stem" and saved.columns == builtin_named("重要施政項目（預算執行）").columns

    other = TemplateEditorDialog(default_template(), None, None)
    qtbot.addWidget(other)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    other.open_button.click()  # 開啟範本檔…
    assert other.template() == saved
    assert not other.apply_button.isEnabled()  # no report to apply to

    bad = tmp_path / "壞.awt"
    bad.write_text('{"format": "workreport-template", "version": 1, "name": "x"}', encoding="utf-8")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append((title, text)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    other.open_button.click()
    assert len(warnings) == 1 and warnings[0][0] == "無法開啟範本檔"
    assert warnings[0][1].startswith("壞.awt：範本的") and "\n" not in warnings[0][1]
    assert other.template() == saved  # what was shown stays


def test_a_template_the_report_does_not_fit_is_refused_in_the_dialog(qtbot, tmp_path, small, monkeypatch):
    window = _window(qtbot, tmp_path, small)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append((title, text)))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("重要施政項目（預算執行）", True))

    def budget(dialog):
        dialog.copy_button.click()
        dialog.apply_button.click()

    _in_dialog(qtbot, window, budget)
    assert len(warnings) == 1 and "無法直接改用這個範本" in warnings[0][1]
    assert window.document.report.template == default_template()
    assert window.undo_stack.count() == 0


def test_the_preview_follows_types_and_numbering(qtbot):
    from ui.application import make_application

    make_application()
    dialog = TemplateEditorDialog(default_template(), None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview_texts()[1][:3] == ["壹、類名稱", "一、項名稱", "(一)目名稱"]
    dialog.level_list.setCurrentRow(0)
    dialog.level_system.setCurrentIndex(dialog.level_system.findData("arabic"))
    dialog.level_punctuation.setCurrentIndex(dialog.level_punctuation.findData("."))
    assert dialog.preview_texts()[1][0] == "1.類名稱"
    assert dialog.level_list.item(0).text() == "1. 類（欄）"
    dialog.column_list.setCurrentRow(2)
    dialog.add_column_button.click()
    _type_into(dialog.column_heading, "預算")
    dialog.column_type.setCurrentIndex(dialog.column_type.findData("money"))
    column = dialog.columns[3]
    assert (column.key, column.type) == ("money", "money")  # a new column's key follows its type
    assert dialog.preview_texts()[1][6] == "1,200,000"
    dialog.column_type.setCurrentIndex(dialog.column_type.findData("choice"))
    assert dialog.preview_texts()[1][6] == "■是 □否"
    assert dialog.column_choices.isVisible() and not dialog.column_allow_text.isVisible()
    _type_into(dialog.column_choices, "市庫、補助")
    assert dialog.columns[3].choices == ("市庫", "補助")
    assert dialog.preview_texts()[1][6] == "■市庫 □補助"
