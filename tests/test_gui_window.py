"""The main window driven like a clerk would, with the keyboard, on a real report file."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from gui_helpers import find_item, open_window, type_text

from app.document import ReportDocument
from app.sample import sample_report
from ui.table.model import COL_COMPLETION, COL_REMARK, COL_TEXT


@pytest.fixture
def sample_path(tmp_path):
    path = tmp_path / "s.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, k, modifier)
    # Qt's delegate commits a line editor on Enter through a queued call.
    QApplication.processEvents()


def test_keyboard_only_edit_session_survives_closing(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    # Go to 兵役部門 → (二) 徵兵檢查作業 with the search box (Ctrl+F, type, Enter).
    key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.hasFocus()
    type_text(window.search.edit, "徵兵檢查作業")
    key(qtbot, window.search.edit, Qt.Key.Key_Return)
    item = find_item(window.document.report, "徵兵檢查作業")
    assert window.table_model.department_label == "參、兵役部門"
    assert window.table_model.rows[window.table.currentIndex().row()].item is item
    window.table.setFocus()  # (Ctrl+2 does the same)
    key(qtbot, window.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    # Add an entry below the current one: it opens in an editor.
    key(qtbot, window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    editor = QGuiApplication.focusObject()
    type_text(editor, "第一行")
    key(qtbot, editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(editor, "第二行")
    # Tab commits and moves to 完成程度 (as in a spreadsheet: Tab, Tab, Enter).
    key(qtbot, editor, Qt.Key.Key_Tab)
    assert len(item.entries) == 4
    new = item.entries[1]
    assert new.text == "第一行\n第二行"

    # 95 % and a remark: type (typing starts the editor), Tab, type, Enter.
    assert window.table.currentIndex().column() == COL_COMPLETION
    type_text(window.table, "95")
    key(qtbot, QGuiApplication.focusObject(), Qt.Key.Key_Tab)
    assert new.completion == 95
    assert window.table.currentIndex().column() == COL_REMARK
    type_text(window.table, "年底完成")
    key(qtbot, QGuiApplication.focusObject(), Qt.Key.Key_Return)
    assert new.remark == "年底完成"
    key(qtbot, window.table, Qt.Key.Key_Up)  # Enter moved down: back to the new entry

    # Move it up, indent it, undo twice, redo once.
    key(qtbot, window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert item.entries[0] is new
    key(qtbot, window.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert new.level == 2
    assert window.act_undo.text() == "復原 降一層"
    key(qtbot, window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert new.level == 1 and item.entries[1] is new
    key(qtbot, window.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert item.entries[0] is new and new.level == 1
    expected = [(e.level, e.text, e.completion, e.remark) for e in item.entries]
    window.close()

    reopened = ReportDocument.open(sample_path)
    again = find_item(reopened.report, "徵兵檢查作業")
    assert [(e.level, e.text, e.completion, e.remark) for e in again.entries] == expected
    assert expected[0] == (1, "第一行\n第二行", 95, "年底完成")
    reopened.close()


def test_numbering_updates_at_once(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    model = window.table_model
    assert model.data(model.index(1, COL_TEXT)).startswith("2. ")
    window.table.setCurrentIndex(model.index(0, COL_TEXT))
    window.act_indent.trigger()  # 1. → (1) under nothing; the next item becomes 1.
    assert model.data(model.index(1, COL_TEXT)).startswith("1. ")


def test_tree_selection_shows_department_and_highlights_rows(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    item = find_item(window.document.report, "徵兵檢查作業")
    window.tree.setCurrentIndex(window.tree_model.index_of(item.id))
    assert window.table_model.department_label == "參、兵役部門"
    rows = window.table_model.rows_of(item.id)
    assert len(rows) == 3
    assert window.table.currentIndex().row() == rows.start
    assert item.id in window.table_model.highlighted


def test_paste_from_excel_block_and_word_lines(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.entries[-1].id)
    QGuiApplication.clipboard().setText('1、第一項\t100%\t\n"（1）子項\n第二行"\t\t\n2. 第二項\t90 %\t尚在辦理\n')
    window.act_paste.trigger()
    texts = [(e.level, e.text, e.completion, e.remark) for e in item.entries[3:]]
    assert texts == [(1, "第一項", 100, ""), (2, "子項\n第二行", None, ""), (1, "第二項", 90, "尚在辦理")]
    assert window.act_undo.text() == "復原 貼上 3 筆辦理情形"
    window.undo_stack.undo()
    assert len(item.entries) == 3
    # Word: plain lines with typed numbering.
    window.go_to(item.entries[-1].id)
    QGuiApplication.clipboard().setText("1. 甲\r\n(1) 乙\r\n(2) 丙")
    window.act_paste.trigger()
    assert [(e.level, e.text) for e in item.entries[3:]] == [(1, "甲"), (2, "乙"), (2, "丙")]


def test_undo_of_a_change_in_another_department_goes_there(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    first = window.document.report.departments[0].sections[0].items[0].entries[0]
    window.go_to(first.id)
    window.table_model.setData(window.table.currentIndex(), "改過的內容")
    window.show_department(window.document.report.departments[6].id)
    window.undo_stack.undo()
    assert first.text == "1月4日辦理嘉義市第十屆東區朝陽里里長補選。"
    assert window.table_model.department_label == "壹、民政部門"


def test_search_lists_results_and_f3_jumps(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    window.act_find.trigger()
    type_text(window.search.edit, "里長補選")
    key(qtbot, window.search.edit, Qt.Key.Key_Return)
    assert window.search.model.rowCount() == 3
    first_row = window.table.currentIndex().row()
    key(qtbot, window, Qt.Key.Key_F3)
    assert window.search.hit_index == 1 and window.table.currentIndex().row() != first_row


def test_problems_are_listed_marked_and_jump(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    entry = window.document.report.departments[1].sections[0].items[0].entries[0]
    window.go_to(entry.id, "completion")
    window.table_model.setData(window.table.currentIndex(), "80")
    window.validate_now()
    assert len(window.problems.problems) == 1  # the check's one warning; the 校對 findings follow it in the list
    assert window.problems.model.rowCount() == 1 + len(window.problems.findings)
    assert "未達 100%" in window.problems.model.data(window.problems.model.index(0, 2))
    window.show_department(window.document.report.departments[0].id)
    window.problems.view.activated.emit(window.problems.model.index(0, 0))  # Enter / double-click on the row
    assert window.table_model.department_label == "貳、社建部門"
    current = window.table.currentIndex()
    assert current.column() == COL_REMARK
    assert window.table_model.data(current, Qt.ItemDataRole.BackgroundRole) is not None
    assert "警告 1" in window.status_counts.text()


def test_invalid_completion_is_refused_without_change(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    entry = window.document.report.departments[0].sections[0].items[0].entries[0]
    index = window.table_model.index(0, COL_COMPLETION)
    with pytest.raises(ValueError):
        window.table_model.setData(index, "150")
    assert entry.completion == 100
    assert window.table_model.setData(index, "") is True
    assert entry.completion is None


def test_delete_asks_before_removing_an_item_with_content(qtbot, sample_path, monkeypatch):
    window = open_window(qtbot, sample_path)
    item = find_item(window.document.report, "徵兵檢查作業")
    window.tree.setCurrentIndex(window.tree_model.index_of(item.id))
    window.tree.setFocus()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    key(qtbot, window.tree, Qt.Key.Key_Delete)
    assert asked and "徵兵檢查作業" in asked[0]
    assert window.document.find(item.id) is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    key(qtbot, window.tree, Qt.Key.Key_Delete)
    assert window.document.find(item.id) is None
    window.undo_stack.undo()
    assert len(find_item(window.document.report, "徵兵檢查作業").entries) == 3


def test_structure_add_rename_move(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    department = window.document.report.departments[2]
    section = department.sections[1]
    window.tree.setCurrentIndex(window.tree_model.index_of(section.items[0].id))
    window.act_add_item.trigger()
    assert section.items[1].title == "新目"
    editor = QGuiApplication.focusObject()
    editor.selectAll()
    type_text(editor, "(三) 新增的目")
    key(qtbot, editor, Qt.Key.Key_Return)
    assert section.items[1].title == "新增的目"  # typed numbering stripped
    assert window.tree_model.data(window.tree_model.index_of(section.items[1].id)) == "(二) 新增的目"
    window.tree.setFocus()
    window.act_move_up.trigger()
    assert section.items[0].title == "新增的目"
    window.tree.setCurrentIndex(window.tree_model.index_of(department.id))
    window.act_add_department.trigger()
    assert window.document.report.departments[3].name == "新部門"
    assert window.tree_model.data(window.tree_model.index_of(window.document.report.departments[4].id)) == "伍、會計部門"


def test_layout_zoom_and_recent_files_are_remembered(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    window.act_zoom_in.trigger()
    window.act_zoom_in.trigger()
    window.splitter.setSizes([420, 900])
    sizes = window.splitter.sizes()
    window.close()
    again = open_window(qtbot, None)
    assert again.point_size == window.point_size
    assert again.splitter.sizes()[0] == sizes[0]
    assert again.document is not None and again.document.path == sample_path.resolve()
    assert str(sample_path.resolve()) in again.files.recent_files()


def test_first_start_opens_a_copy_of_the_sample_in_the_data_folder(qtbot, tmp_path):
    from app.paths import user_data_dir

    window = open_window(qtbot, None)
    assert window.document is not None
    assert window.document.path.parent == user_data_dir()
    assert window.document.report.counts()["entry"] == 377


def test_bad_file_gets_a_chinese_message_and_no_traceback(qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.awr"
    bad.write_bytes(b"garbage")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    window = open_window(qtbot, bad, first_start_sample=False)
    assert window.document is None
    assert shown and "bad.awr" in shown[0][1] and "Traceback" not in shown[0][1]


def test_shortcuts_dialog_lists_every_action(qtbot, sample_path):
    from ui.actions import shortcut_list

    open_window(qtbot, sample_path)
    listed = dict((what, keys) for keys, what in shortcut_list())
    for what in ("在下方新增辦理情形", "上移", "降一層（改為子項）", "復原", "搜尋…", "放大"):
        assert what in listed
