"""校對 in the window as a clerk uses it (issue 18): F7, the 問題清單, the underlines, the right-click menu.

Keys go to QApplication.focusWidget(); menus are opened with a real QContextMenuEvent at the
underlined characters and their items clicked with the mouse (as tests/test_gui_moves.py does).
The slips the tests make are ones every rule set flags (「辦辦理」: a doubled character), and what a
menu item says is derived from the finding (its text, its suggestion), so the tests hold whatever
else the engine's rules learn; what the fix makes of the text is asserted as such.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from gui_helpers import find_item, key, open_window, type_text

from app import proofread
from app.document import ReportDocument
from app.operations import SetField
from app.proofread import Finding, check
from app.sample import sample_report
from ui.table.model import COL_ITEM, COL_TEXT, FindingsRole

SLIP = "本所辦辦理兵役宣導活動。"
FIXED = "本所辦理兵役宣導活動。"


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def finding_of(window, node_id, field="text"):
    """The 「doubled」 finding of the node's field (None when there is none)."""
    found = [f for f in window.problems.findings if f.node_id == node_id and f.field == field and f.rule == "doubled"]
    return found[0] if found else None


def fix_text(finding):
    return f"改為「{finding.suggestion}」" if finding.suggestion else f"刪去「{finding.text}」"


def with_slip(qtbot, path):
    """The window on the report, 徵兵檢查作業's first entry holding 「辦辦理」 (set as one edit)."""
    window = open_window(qtbot, path)
    qtbot.waitUntil(lambda: window.proofreading.ready)  # the first check, a moment after the window shows
    entry = find_item(window.document.report, "徵兵檢查作業").entries[0]
    window.push(SetField(entry.id, "text", SLIP))
    window.undo_stack.clear()  # the tests' own undo steps start here
    window.go_to(entry.id)  # its department's table
    return window, entry


def point_on(window, index, finding):
    """A point (viewport coordinates) on the underlined characters of ``finding`` in the cell ``index``."""
    table = window.table
    table.scrollTo(index)
    QApplication.processEvents()
    rect = table.visualRect(index).intersected(table.viewport().rect())
    delegate = table.itemDelegate()
    for y in range(rect.top() + 2, rect.bottom(), 3):
        for x in range(rect.left() + 2, rect.right(), 3):
            if delegate.finding_at(table, index, QPoint(x, y)) == finding:
                return QPoint(x, y)
    raise AssertionError(f"「{finding.text}」 is not drawn in its cell")


def right_click(window, view, pos):
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                              view.viewport().mapToGlobal(pos)))
    QApplication.processEvents()
    menu = window.context_menus.menu
    assert menu is not None and menu.isVisible()
    return menu


def choose(qtbot, menu, text):
    action = next(a for a in menu.actions() if a.text().startswith(text))
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    QApplication.processEvents()
    return action


def menu_texts(menu):
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_f7_shows_the_samples_findings_in_the_problems_list_and_f8_selects_the_characters(qtbot, path):
    window = open_window(qtbot, path)
    report = window.document.report
    expected = check(report)
    assert expected, "the bundled sample keeps the slips of the 109 report"
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_F7)
    assert window.problems_dock.isVisible()
    assert QApplication.focusWidget() is window.problems.view
    assert window.problems.filter.currentText() == "校對"
    rows = window.problems.rows
    assert [(f.node_id, f.field, f.start, f.key) for f in rows] == [(f.node_id, f.field, f.start, f.key) for f in expected]
    model = window.problems.model
    assert {model.data(model.index(r, 0)) for r in range(model.rowCount())} == {"校對"}
    assert expected[0].message in model.data(model.index(0, 2))
    assert f"校對 {len(expected)}" in window.problems_dock.windowTitle()
    assert f"校對 {len(expected)}" in window.status_counts.text()

    # The 顯示 box: 錯誤 hides the findings, 全部 lists the check's problems and then the findings.
    window.problems.show_category("error")
    assert not any(isinstance(r, Finding) for r in window.problems.rows)
    window.problems.show_category("all")
    assert window.problems.rows == [*window.problems.problems, *window.problems.findings]
    window.problems.show_category("proofread")

    # F8 from the table: the first finding's cell, its editor open with just the suspicious characters selected.
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_F8)
    first = expected[0]
    value = getattr(window.document.find(first.node_id), first.field)
    row = window.table.current_row()
    assert first.node_id in {row.entry and row.entry.id, row.item and row.item.id, row.section.id}
    editor = QApplication.focusWidget()
    if first.field in ("text", "remark"):
        assert isinstance(editor, QPlainTextEdit)
        assert editor.textCursor().selectedText() == first.text
    key(qtbot, Qt.Key.Key_Escape)
    assert getattr(window.document.find(first.node_id), first.field) == value  # going there changed nothing
    assert window.undo_stack.count() == 0


def test_the_slip_is_underlined_under_just_its_characters_with_a_tooltip(qtbot, path):
    window, entry = with_slip(qtbot, path)
    finding = finding_of(window, entry.id)
    assert finding is not None and 2 <= finding.start < finding.end <= 4 and SLIP[finding.start:finding.end] == finding.text
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    shown = window.table_model.data(index)  # 「1. 本所辦辦理…」: the number comes first
    assert shown.startswith("1. ")
    marks = window.table_model.data(index, FindingsRole)
    assert [(s - 3, e - 3, f) for s, e, f in marks if f == finding] == [(finding.start, finding.end, finding)]
    assert finding.message in window.table_model.data(index, Qt.ItemDataRole.ToolTipRole)
    # The delegate draws them: the point found on the characters is inside the cell, past the number.
    window.go_to(entry.id)
    pos = point_on(window, index, finding)
    assert window.table.indexAt(pos) == index
    # A 目 title with a slip is underlined in its (spanned) 目 cell too.
    item = find_item(window.document.report, "徵兵檢查作業")
    window.push(SetField(item.id, "title", "徵兵兵檢查作業"))
    title_finding = finding_of(window, item.id, "title")
    assert title_finding is not None and title_finding.text in "兵兵"
    cell = window.table_model.index(window.table_model.row_of(item.id), COL_ITEM)
    label = window.table_model.data(cell)  # 「(二) 徵兵兵檢查作業」
    assert [(label[s:e], f) for s, e, f in window.table_model.data(cell, FindingsRole)] == [
        (title_finding.text, title_finding)]
    assert label.index("徵兵兵") + title_finding.start == [s for s, e, f in window.table_model.data(cell, FindingsRole)][0]
    point_on(window, cell, title_finding)


def test_the_suggestion_from_the_right_click_menu_is_one_undoable_edit(qtbot, path):
    window, entry = with_slip(qtbot, path)
    finding = finding_of(window, entry.id)
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    menu = right_click(window, window.table, point_on(window, index, finding))
    texts = menu_texts(menu)
    assert texts[0] == fix_text(finding)
    assert texts[1] == f"忽略「{finding.text}」"
    assert "剪下(&T)" in texts  # the table's own commands follow
    choose(qtbot, menu, fix_text(finding))
    assert entry.text == FIXED
    assert finding_of(window, entry.id) is None
    assert window.act_proofread_fix.text() == "改為建議的寫法"  # the menu bar's text is back
    reread = ReportDocument.open(path, read_only=True)
    try:
        assert reread.find(entry.id).text == FIXED
    finally:
        reread.close()
    assert window.act_undo.text() == f"復原 校對：{fix_text(finding)}"
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert entry.text == SLIP
    assert finding_of(window, entry.id) == finding
    assert window.undo_stack.index() == 0  # one step


def test_ignore_is_kept_in_the_file_and_undo_brings_the_finding_back(qtbot, path):
    window, entry = with_slip(qtbot, path)
    finding = finding_of(window, entry.id)
    count = len(window.problems.findings)
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    choose(qtbot, right_click(window, window.table, point_on(window, index, finding)), f"忽略「{finding.text}」")
    assert finding_of(window, entry.id) is None
    assert len(window.problems.findings) == count - 1
    assert not [m for m in window.table_model.data(index, FindingsRole) if m[2] == finding]  # no underline
    assert entry.text == SLIP  # the text stays as it is
    window.go_to(window.document.report.departments[0].sections[0].items[0].id)  # elsewhere
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert finding_of(window, entry.id) == finding
    assert window.table.current_row().entry is entry  # the undo went to where the finding is back
    key(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert finding_of(window, entry.id) is None
    window.close()

    again = open_window(qtbot, path)
    qtbot.waitUntil(lambda: again.proofreading.ready)
    assert finding_of(again, entry.id) is None
    assert len(again.problems.findings) == count - 1
    # 已忽略的校對 lists it; 取消忽略 from the list's right-click menu brings it back.
    again.problems.show_category("ignored")
    rows = again.problems.rows
    assert [(f.node_id, f.key) for f in rows] == [(entry.id, finding.key)]
    view = again.problems.view
    model = again.problems.model
    assert model.data(model.index(0, 0)) == "已忽略"
    at = again.document.report.proofread_ignored[finding.key]["at"]  # who and when, the year as ROC's
    assert model.data(model.index(0, 2)).endswith(f"（{again.person.name} {int(at[:4]) - 1911}/{at[5:7]}/{at[8:10]} 忽略）")
    menu = right_click(again, view, view.visualRect(model.index(0, 1)).center())
    choose(qtbot, menu, "取消忽略")
    assert finding_of(again, entry.id) is not None
    assert again.problems.rows == []


def test_adding_the_words_to_the_report_word_list_is_undoable(qtbot, path):
    window, entry = with_slip(qtbot, path)
    finding = finding_of(window, entry.id)
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    # The word is the doubled pair (a single 「辦」 in the list would hide every 辦 of the report).
    choose(qtbot, right_click(window, window.table, point_on(window, index, finding)), "把「辦辦」加入報告詞庫")
    assert window.document.report.proofread_words == ["辦辦"]
    assert finding_of(window, entry.id) is None
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.proofread_words == []
    assert finding_of(window, entry.id) == finding


def test_typing_a_doubled_character_adds_a_finding_from_the_change_record_alone(qtbot, path, monkeypatch):
    window = open_window(qtbot, path)
    qtbot.waitUntil(lambda: window.proofreading.ready)
    entry = find_item(window.document.report, "徵兵檢查作業").entries[0]
    before = list(window.problems.findings)

    def no_full_check(*args, **kwargs):
        raise AssertionError("the whole report was checked again for one edit")

    monkeypatch.setattr(proofread, "check", no_full_check)
    monkeypatch.setattr(proofread.Proofreader, "refresh", no_full_check)
    window.go_to(entry.id, "text")
    window.table.setFocus()
    type_text(window.table, SLIP)  # typing replaces the cell, as in a spreadsheet
    key(qtbot, Qt.Key.Key_Return)
    assert entry.text == SLIP
    # At once (no timer to wait for): in the list and underlined in the table.
    finding = finding_of(window, entry.id)
    assert finding is not None and SLIP[finding.start:finding.end] == finding.text
    assert [f for f in window.problems.findings if f.node_id != entry.id] == [f for f in before if f.node_id != entry.id]
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    assert [f for s, e, f in window.table_model.data(index, FindingsRole)] == [finding]


def test_the_personal_word_list_takes_the_words_for_every_report(qtbot, path):
    window, entry = with_slip(qtbot, path)
    finding = finding_of(window, entry.id)
    index = window.table_model.index(window.table_model.row_of(entry.id), COL_TEXT)
    choose(qtbot, right_click(window, window.table, point_on(window, index, finding)), "把「辦辦」加入個人詞庫")
    assert proofread.user_words() == ["辦辦"]
    assert proofread.user_words_path().name in window.statusBar().currentMessage()
    assert finding_of(window, entry.id) is None
    assert window.document.report.proofread_words == []  # not the report's: the user's own


def test_a_fix_from_the_tools_menu_and_f8_go_on_to_the_next_finding(qtbot, path):
    window, entry = with_slip(qtbot, path)
    second = find_item(window.document.report, "徵兵檢查作業").entries[1]
    window.push(SetField(second.id, "text", "本所辦理兵役宣導導活動。"))
    first, then = finding_of(window, entry.id), finding_of(window, second.id)
    assert first is not None and then is not None
    window.problems.show_category("proofread")
    view = window.problems.view
    row = window.problems.rows.index(first)
    assert window.problems.rows[row + 1] == then  # next to each other in the list
    # A click on the finding's row and Enter: its cell, the editor open on its characters.
    QApplication.processEvents()  # (the list lays out its new rows first)
    view.scrollTo(window.problems.model.index(row, 1))
    QApplication.processEvents()
    rect = view.visualRect(window.problems.model.index(row, 1))
    assert view.viewport().rect().contains(rect.center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex().row() == row
    key(qtbot, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit) and editor.textCursor().selectedText() == first.text
    window.act_proofread_fix.trigger()  # 工具 → 改為建議的寫法, the editor still open
    assert entry.text == FIXED
    # F8: the next finding (which moved up into the fixed one's row), its characters selected.
    key(qtbot, Qt.Key.Key_F8)
    editor = QApplication.focusWidget()
    assert window.table.current_row().entry is second
    assert isinstance(editor, QPlainTextEdit) and editor.textCursor().selectedText() == then.text
    window.act_proofread_fix.trigger()
    assert second.text == "本所辦理兵役宣導活動。"
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (entry.text, second.text) == (SLIP, "本所辦理兵役宣導導活動。")
