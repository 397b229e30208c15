"""One registry of actions and keys (ui/actions.py): the window's actions, the F1 list and
the README's keyboard table are all made from it."""
from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT_ROOT
from gui_helpers import open_window

from ui.actions import ACTIONS, SPECS, keys_text, readme_table, shortcut_list


def test_readme_table_is_the_registry():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme
    check = subprocess.run([sys.executable, "tools/shortcut_table.py", "--check"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_every_window_action_with_keys_comes_from_the_registry(qtbot, tmp_path):
    from PySide6.QtGui import QKeySequence

    window = open_window(qtbot, None, first_start_sample=False)
    listed = dict((what, keys) for keys, what in shortcut_list())
    for spec in ACTIONS:
        action = getattr(window, f"act_{spec.name}")
        keys = action.shortcuts()
        if spec.standard is None:
            assert keys == [QKeySequence(k) for k in spec.keys], spec.name
        else:
            assert QKeySequence(spec.keys[0]) in keys, spec.name
        if spec.keys:
            assert listed[spec.description] == keys_text(spec)
    bound = {a.text() for a in window.actions() if a.shortcuts()}
    assert bound <= {SPECS[name].text for name in SPECS} | {"復原", "取消復原"}


def test_the_list_names_keys_in_one_style_without_menu_markers():
    listed = shortcut_list()
    keys = " ".join(k for k, _ in listed)
    assert all("&" not in what for _, what in listed)
    assert ("Ctrl+O", "開啟…") in listed and ("Ctrl+F", "搜尋…") in listed
    assert ("Ctrl+Enter", "在下方新增辦理情形") in listed
    assert ("Alt+↑", "上移") in listed and ("Ctrl+Del", "刪除辦理情形") in listed
    assert ("Ctrl+= / Ctrl++", "放大") in listed
    for qt_name in ("Return", "Up", "Down", "Left", "Right", "Delete", "Escape"):
        assert qt_name not in keys


def test_f1_dialog_shows_the_plain_list(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTextBrowser

    window = open_window(qtbot, None, first_start_sample=False)
    shown = []

    def read_and_close():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, read_and_close)
            return
        shown.append(dialog.findChild(QTextBrowser).toPlainText())
        dialog.reject()

    QTimer.singleShot(20, read_and_close)
    window.act_shortcuts.trigger()  # F1, as the menu does; returns when the list is closed
    text = shown[0]
    assert "Alt+↑" in text and "Ctrl+Enter" in text and "開啟…" in text
    assert "(&" not in text and "Return" not in text


def test_the_menus_name_keys_as_the_f1_list_does(qtbot):
    """Qt's catalogue would show 「Alt+上鍵」 and 「刪除鍵 (Del)」 in the 編輯 menu; the menus say
    what F1 and the README say (ui/application.py KeyNames) — but for Return, whose name must not
    become 「Enter」: key names are parsed with the same translations."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    from ui.actions import key_name

    window = open_window(qtbot, None, first_start_sample=False)
    shown = {}
    for spec in ACTIONS:
        if spec.keys and spec.standard is None:
            # what the menu draws beside the action's text
            text = getattr(window, f"act_{spec.name}").shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            shown[spec.name] = text
            assert text == key_name(spec.keys[0]).replace("Enter", "Return"), spec.name
    assert shown["move_up"] == "Alt+↑" and shown["delete"] == "Del" and shown["delete_row"] == "Ctrl+Del"
    # The keypad's Enter stays its own key (the comment box confirms with either Enter).
    ctrl = Qt.KeyboardModifier.ControlModifier.value
    assert QKeySequence("Ctrl+Enter")[0].toCombined() == ctrl | Qt.Key.Key_Enter.value
    assert QKeySequence("Ctrl+Return")[0].toCombined() == ctrl | Qt.Key.Key_Return.value
