"""The table's keys as people use them (issue 15, KEYS): keys sent to the focused widget,
cells clicked with the mouse, dialogs answered — never the slot behind a key."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit

from conftest import PROJECT_ROOT
from gui_helpers import find_item, open_window, type_text

from app.document import Person, ReportDocument
from app.sample import sample_report
from ui.dialogs.identity import store_person
from ui.settings import settings
from ui.table.model import COL_CLASS, COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def sample_path(tmp_path):
    path = tmp_path / "s.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def press(k, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(QApplication.focusWidget(), k, modifier)
    QApplication.processEvents()  # Qt's delegate commits a line editor on Enter through a queued call


def click(window, row, column, modifier=Qt.KeyboardModifier.NoModifier):
    table = window.table
    index = window.table_model.index(row, column)
    table.scrollTo(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center())
    QApplication.processEvents()


def editing(window):
    return QApplication.focusWidget() is not window.table and window.table.isAncestorOf(QApplication.focusWidget())


def at(window):
    index = window.table.currentIndex()
    return index.row(), index.column()


@pytest.fixture
def window(qtbot, sample_path):
    w = open_window(qtbot, sample_path)
    w.table.setFocus()
    return w


def military(window):
    """兵役部門 → (二) 徵兵檢查作業, three entries, and the row of its first entry."""
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.entries[0].id)
    window.table.setFocus()
    return item, window.table_model.row_of(item.entries[0].id)


# --- blocker 3: a refused cell edit must not kill the program ------------------------------


@pytest.mark.parametrize("scenario", ["approved-tab", "approved-click", "moved-tab", "moved-enter"])
def test_a_refused_cell_edit_does_not_crash(tmp_path, scenario):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), QT_QPA_PLATFORM="offscreen",
               WORKREPORT_DATA_DIR=str(tmp_path / "userdata"))
    env.pop("WORKREPORT_RAISE", None)
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "tests" / "keys_scenarios.py"), scenario, str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"exit {done.returncode} (a negative code is a crash):\n{done.stderr[-2000:]}"
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["alive"] and seen["text_unchanged"]
    # The cursor went where the key sends it — not to the department name (issue 15 item 5).
    start_row = seen["start"][0]
    expected = {"tab": [start_row, COL_COMPLETION], "enter": [start_row + 1, COL_TEXT],
                "click": [start_row + 1, COL_REMARK]}[scenario.split("-")[1]]
    assert seen["after_commit"] == expected
    if scenario.startswith("approved"):
        assert seen["status_after_approve"] == "approved" and seen["dialogs"] == 1
        # A locked 目 opens no editor and says why at once, naming the 目, without a path.
        assert not seen["editor_opened"]
        assert "徵兵檢查作業" in seen["status_after_typing"] and "已核定" in seen["status_after_typing"]
        assert seen["boxes"] == []
    else:
        # The file is gone: the one warning names the file, not its folder, and the typed text is kept.
        assert seen["editor_opened"]
        assert len(seen["boxes"]) == 1 and "已被移動" in seen["boxes"][0] and "r.awr" in seen["boxes"][0]
        assert seen["folder"] not in seen["boxes"][0] and seen["folder"] not in seen["status"]
        assert "剪貼簿" in seen["boxes"][0] and seen["clipboard"] == "偷"


# --- item 5: a locked 目 -----------------------------------------------------------------------


def test_a_locked_item_opens_no_editor_says_why_and_the_cursor_stays(qtbot, sample_path, monkeypatch):
    store_person(settings(), Person("李課長", "chief"))
    window = open_window(qtbot, sample_path)
    item, row = military(window)
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("", True))
    click(window, row, COL_ITEM)
    press(Qt.Key.Key_3, CTRL | SHIFT)
    assert item.status == "approved"
    for column in (COL_TEXT, COL_COMPLETION, COL_REMARK):
        click(window, row + 1, column)
        type_text(window.table, "9")
        assert not editing(window) and at(window) == (row + 1, column)
        message = window.statusBar().currentMessage()
        assert "「徵兵檢查作業」已核定" in message and str(sample_path.parent) not in message
    press(Qt.Key.Key_F2)  # F2 and Enter say the same
    assert not editing(window) and at(window) == (row + 1, COL_REMARK)
    window.statusBar().clearMessage()
    press(Qt.Key.Key_Return)
    assert not editing(window) and "已核定" in window.statusBar().currentMessage()
    assert [e.text for e in item.entries] == [e.text for e in find_item(sample_report(), "徵兵檢查作業").entries]


def test_a_read_only_view_says_so_when_typing(qtbot, sample_path, monkeypatch):
    from test_gui_safety import HOLDER

    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(sample_path)], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)))
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        window = open_window(qtbot, sample_path)
        assert window.document.read_only
        window.table.setFocus()
        click(window, 1, COL_TEXT)
        type_text(window.table, "改")
        assert not editing(window) and at(window) == (1, COL_TEXT)
        message = window.statusBar().currentMessage()
        assert "唯讀" in message and "編輯中" in message or "正在編輯" in message
        assert str(sample_path.parent) not in message
    finally:
        holder.kill()
        holder.wait()


# --- item 4: Tab moves through entry cells; typing never renames ------------------------------------


def test_tab_moves_through_the_entry_cells_only(window):
    item, row = military(window)
    last = row + len(item.entries) - 1
    click(window, last, COL_REMARK)
    press(Qt.Key.Key_Tab)
    # The next 目's first entry, in 辦理情形 — not the next row's 類 cell.
    assert at(window) == (last + 1, COL_TEXT)
    press(Qt.Key.Key_Tab, SHIFT)
    assert at(window) == (last, COL_REMARK)
    press(Qt.Key.Key_Backtab)
    assert at(window) == (last, COL_COMPLETION)
    # From a title cell Tab goes to that row's 辦理情形.
    click(window, row, COL_SECTION)
    press(Qt.Key.Key_Tab)
    assert window.table.currentIndex().column() == COL_TEXT
    # Tab out of an editor commits and moves on without opening the next editor.
    click(window, row, COL_TEXT)
    type_text(window.table, "新的文字")
    press(Qt.Key.Key_Tab)
    assert item.entries[0].text == "新的文字" and at(window) == (row, COL_COMPLETION) and not editing(window)


def test_typing_on_a_title_cell_never_renames_it_f2_does(window):
    item, row = military(window)
    department = window.document.department_of(item.id)
    section = window.document.parent(item.id)
    for column in (COL_CLASS, COL_SECTION, COL_ITEM):
        click(window, row, column)
        type_text(window.table, "90")
        press(Qt.Key.Key_Tab)
        assert not editing(window)
    assert (department.name, section.title, item.title) == ("兵役部門", "徵集業務", "徵兵檢查作業")
    assert "F2" in window.statusBar().currentMessage()
    # F2 on the 目 cell renames it.
    click(window, row, COL_ITEM)
    press(Qt.Key.Key_F2)
    assert editing(window)
    QApplication.focusWidget().selectAll()
    type_text(window.table, "徵兵檢查")
    press(Qt.Key.Key_Return)
    assert item.title == "徵兵檢查" and at(window)[1] == COL_ITEM


# --- item 6: 150 is refused visibly -------------------------------------------------------------------


def test_typing_150_into_completion_is_refused_visibly(window):
    item, row = military(window)
    entry = item.entries[1]
    click(window, row + 1, COL_COMPLETION)
    type_text(window.table, "150")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "150"  # no key swallowed
    press(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor and editor.text() == "150"  # still open
    assert "0 到 100" in window.statusBar().currentMessage() and "ffd9d9" in editor.styleSheet()
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor
    assert entry.completion == 100
    press(Qt.Key.Key_Backspace)
    press(Qt.Key.Key_Backspace)
    type_text(window.table, "0")
    assert editor.text() == "10" and editor.styleSheet() == ""
    press(Qt.Key.Key_Return)
    assert entry.completion == 10 and not editing(window)


# --- item 7: the editor fits its cell ------------------------------------------------------------------


def test_the_text_editor_covers_its_cell_only_and_the_row_grows(window):
    item, row = military(window)
    table = window.table
    click(window, row + 1, COL_TEXT)
    press(Qt.Key.Key_Return)  # Enter on a selected cell starts editing
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == item.entries[1].text
    cell = table.visualRect(window.table_model.index(row + 1, COL_TEXT))
    following = table.visualRect(window.table_model.index(row + 2, COL_TEXT))
    assert editor.geometry().bottom() <= cell.bottom() and editor.geometry().bottom() < following.top()
    height = table.rowHeight(row + 1)
    for _ in range(4):
        press(Qt.Key.Key_Return, SHIFT)
        type_text(editor, "再一行")
    assert table.rowHeight(row + 1) > height  # the row grew while editing
    following = table.visualRect(window.table_model.index(row + 2, COL_TEXT))
    assert editor.geometry().bottom() < following.top()
    assert editor.geometry().height() >= editor.needed_height() - 4
    press(Qt.Key.Key_Escape)
    assert not editing(window) and item.entries[1].text.count("再一行") == 0


# --- item 8: Esc after Ctrl+Enter ----------------------------------------------------------------------


def test_esc_after_ctrl_enter_leaves_no_entry_and_no_undo_step(window):
    item, row = military(window)
    click(window, row + 1, COL_TEXT)
    steps, undo_text = window.undo_stack.count(), window.act_undo.text()
    press(Qt.Key.Key_Return, CTRL)
    assert editing(window) and len(item.entries) == 4
    press(Qt.Key.Key_Escape)
    assert len(item.entries) == 3 and all(e.text for e in item.entries)
    assert window.undo_stack.count() == steps and window.act_undo.text() == undo_text
    assert not window.undo_stack.canRedo()
    assert at(window) == (row + 1, COL_TEXT)
    # Typed and committed, it stays (one step); Esc in a later edit of it keeps it.
    press(Qt.Key.Key_Return, CTRL)
    type_text(window.table, "補辦")
    press(Qt.Key.Key_Tab)
    assert len(item.entries) == 4 and item.entries[2].text == "補辦"
    type_text(window.table, "8")
    press(Qt.Key.Key_Escape)
    assert len(item.entries) == 4


# --- Excel habits -------------------------------------------------------------------------------------


def test_typing_replaces_enter_edits_and_moves_down(window):
    item, row = military(window)
    click(window, row, COL_TEXT)
    type_text(window.table, "取代")
    press(Qt.Key.Key_Return)
    assert item.entries[0].text == "取代"  # replaced, not appended
    assert at(window) == (row + 1, COL_TEXT) and not editing(window)  # Enter moved down
    press(Qt.Key.Key_Return)  # Enter on a selected cell: edits it, keeping its text
    assert editing(window) and QApplication.focusWidget().toPlainText() == item.entries[1].text
    type_text(window.table, "，續辦")
    press(Qt.Key.Key_Return)
    assert item.entries[1].text.endswith("，續辦") and at(window) == (row + 2, COL_TEXT)
    click(window, row, COL_REMARK)
    type_text(window.table, "備")
    press(Qt.Key.Key_Return)
    assert item.entries[0].remark == "備"
    press(Qt.Key.Key_F2)  # F2 edits the current cell
    assert editing(window)
    press(Qt.Key.Key_Escape)


def test_ctrl_a_and_multi_row_commands_are_one_undo_step_each(window):
    item, row = military(window)
    ids = [e.id for e in item.entries]
    press(Qt.Key.Key_A, CTRL)
    assert len(window.table.selected_entries()) == sum(
        len(i.entries) for s in window.table_model.department.sections for i in s.items)
    # Select the first two entries with the mouse (click, Shift+click).
    click(window, row, COL_TEXT)
    click(window, row + 1, COL_TEXT, SHIFT)
    steps = window.undo_stack.count()
    press(Qt.Key.Key_Down, ALT)
    assert [e.id for e in item.entries] == [ids[2], ids[0], ids[1]] and window.undo_stack.count() == steps + 1
    assert sorted(e.id for e in window.table.selected_entries()) == sorted(ids[:2])  # still selected
    press(Qt.Key.Key_Up, ALT)
    assert [e.id for e in item.entries] == ids
    press(Qt.Key.Key_Right, ALT)
    assert [e.level for e in item.entries[:2]] == [2, 2] and window.undo_stack.count() == steps + 3
    press(Qt.Key.Key_Z, CTRL)
    assert [e.level for e in item.entries[:2]] == [1, 1]
    # Fill down over three rows.
    click(window, row, COL_COMPLETION)
    type_text(window.table, "70")
    press(Qt.Key.Key_Return)
    click(window, row, COL_COMPLETION)
    click(window, row + 2, COL_COMPLETION, SHIFT)
    steps = window.undo_stack.count()
    press(Qt.Key.Key_D, CTRL)
    assert [e.completion for e in item.entries] == [70, 70, 70] and window.undo_stack.count() == steps + 1
    # Delete two rows at once, one undo brings both back.
    click(window, row + 1, COL_TEXT)
    click(window, row + 2, COL_TEXT, SHIFT)
    steps = window.undo_stack.count()
    press(Qt.Key.Key_Delete, CTRL)
    assert [e.id for e in item.entries] == [ids[0]] and window.undo_stack.count() == steps + 1
    assert window.act_undo.text() == "復原 刪除 2 筆辦理情形"
    press(Qt.Key.Key_Z, CTRL)
    assert [e.id for e in item.entries] == ids


def test_ctrl_v_of_one_value_onto_a_title_cell_is_refused_and_says_f2(window):
    """A single value pasted onto 類/項/目 would rename the department, 項 or 目: refused with a
    status line (renaming is F2); onto 辦理情形 it replaces the cell; several lines onto the 目
    cell become entries of that 目 (the title stays)."""
    from PySide6.QtGui import QGuiApplication

    item, row = military(window)
    department = window.table_model.department
    section = window.document.parent(item.id)
    titles = (department.name, section.title, item.title)
    steps = window.undo_stack.count()
    for column in (COL_CLASS, COL_SECTION, COL_ITEM):
        click(window, row, column)
        before = at(window)  # (a spanned cell: the first row of its span)
        QGuiApplication.clipboard().setText("貼上的字")
        press(Qt.Key.Key_V, CTRL)
        assert (department.name, section.title, item.title) == titles
        assert window.undo_stack.count() == steps
        assert "F2" in window.statusBar().currentMessage()
        assert at(window) == before and before[1] == column  # the cursor stays
    click(window, row, COL_TEXT)
    press(Qt.Key.Key_V, CTRL)
    assert item.entries[0].text == "貼上的字" and window.undo_stack.count() == steps + 1
    count = len(item.entries)
    click(window, row, COL_ITEM)
    QGuiApplication.clipboard().setText("第一行。\n第二行。")
    press(Qt.Key.Key_V, CTRL)
    assert item.title == titles[2] and len(item.entries) == count + 2
