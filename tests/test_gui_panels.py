"""Panels and dialogs as a user drives them: 尋找及取代, F8, comment boxes, 去年對照, sizes remembered."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from gui_helpers import find_item, open_window, type_text

from app.document import Person, ReportDocument
from app.sample import sample_report
from ui.dialogs.identity import store_person
from ui.settings import settings


def _report(tmp_path):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def _all_texts(report):
    return [e.text for d in report.departments for s in d.sections for i in s.items for e in i.entries]


def test_find_and_replace_from_ctrl_h_is_one_undo_step(qtbot, tmp_path):
    window = open_window(qtbot, _report(tmp_path))
    before = _all_texts(window.document.report)
    hits = sum(t.count("辦理") for t in before)
    assert hits > 3
    window.table.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = window.find_replace
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.find_edit)
    type_text(dialog.find_edit, "辦理")
    assert dialog.count_label.text().startswith("找到 ")
    assert sum(m.count for m in dialog.matches if m.field == "text") == hits

    # 下一個 (Enter in the find box): the table's cell and the tree's node follow.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    first = dialog.matches[0]
    assert window.table.current_row().entry.id == first.node_id or window.table.current_row().item.id == first.node_id
    parent = window.document.parent(first.node_id)
    assert window.tree.current_node_id() == parent.id  # the tree follows the hit
    dialog.next_button.click()
    assert dialog.position == 1

    QTest.mouseClick(dialog.replace_edit, Qt.MouseButton.LeftButton)
    type_text(dialog.replace_edit, "推動")
    dialog.replace_all_button.click()
    after = _all_texts(window.document.report)
    assert sum(t.count("辦理") for t in after if t) < hits
    assert "已取代" in dialog.count_label.text()
    assert window.act_undo.text().startswith("復原 取代「辦理」為「推動」")
    window.act_undo.trigger()  # one step brings every field back
    assert _all_texts(window.document.report) == before
    assert sum(m.count for m in dialog.matches if m.field == "text") == hits  # recounted after the undo


def test_replace_skips_approved_items_and_says_so(qtbot, tmp_path, monkeypatch):
    store_person(settings(), Person("李課長", "chief"))
    window = open_window(qtbot, _report(tmp_path))
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.id)
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("", True))
    window.act_approve.trigger()
    assert item.status == "approved"
    locked_texts = [e.text for e in item.entries]
    window.act_find_replace.trigger()
    dialog = window.find_replace
    dialog.find_edit.setText("。")
    dialog.replace_edit.setText("．")
    assert "已核定的目中" in dialog.count_label.text()
    dialog.replace_all_button.click()
    assert [e.text for e in item.entries] == locked_texts
    assert "未取代" in dialog.count_label.text() and "徵兵檢查作業" in dialog.count_label.text()
    assert all("。" not in t for t in _all_texts(window.document.report) if t not in locked_texts)


def test_search_panel_follows_changes(qtbot, tmp_path):
    window = open_window(qtbot, _report(tmp_path))
    window.act_find.trigger()
    type_text(window.search.edit, "役男")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    count = len(window.search.hits)
    assert count > 0
    hit = window.search.hits[0]
    node = window.document.find(hit.node_id)
    shown = window.document.parent(node.id).id if node.kind == "entry" else node.id
    assert window.tree.current_node_id() == shown  # the tree follows the hit
    window.act_find_replace.trigger()
    window.find_replace.find_edit.setText("役男")
    window.find_replace.replace_edit.setText("役齡男子")
    window.find_replace.replace_all_button.click()
    assert len(window.search.hits) < count  # not stale
    window.act_undo.trigger()
    assert len(window.search.hits) == count


def test_f8_walks_the_problems_and_ctrl_3_focuses_the_list(qtbot, tmp_path):
    window = open_window(qtbot, _report(tmp_path))
    from app.operations import SetField

    item = find_item(window.document.report, "徵兵檢查作業")
    for entry in item.entries[:2]:
        window.push(SetField(entry.id, "completion", None))
        window.push(SetField(entry.id, "text", ""))
    window.validate_now()
    problems = window.problems.problems
    assert len(problems) >= 2
    window.table.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert window.problems.view.currentIndex().row() == 0
    assert window.table.hasFocus()
    row = window.table.current_row()
    assert problems[0].node_id in {row.entry and row.entry.id, row.item and row.item.id, row.section and row.section.id,
                                   window.current_department_id}
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert window.problems.view.currentIndex().row() == 1
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.problems.view.currentIndex().row() == 0
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.problems.view


def test_problems_panel_starts_small_and_sizes_are_remembered(qtbot, tmp_path):
    path = _report(tmp_path)
    window = open_window(qtbot, path)
    qtbot.waitUntil(lambda: window.problems_dock.height() < window.height() * 0.25)
    window.problems.view.setColumnWidth(1, 333)
    window.close()
    again = open_window(qtbot, path)
    assert again.problems.view.columnWidth(1) == 333


def test_review_comment_confirms_with_ctrl_enter_and_enter_is_a_newline(qtbot, tmp_path):
    window = open_window(qtbot, _report(tmp_path))
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.id)
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append(box.objectName())
        qtbot.waitUntil(lambda: QApplication.focusWidget() is box.edit)
        type_text(box, "第一行")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        type_text(box, "第二行")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        # If Ctrl+Enter did not confirm, cancel the box so the test fails instead of hanging.
        QTimer.singleShot(2000, lambda: (QApplication.activeModalWidget() or box).reject()
                          if QApplication.activeModalWidget() is not None else None)

    QTimer.singleShot(0, answer)
    window.act_submit.trigger()
    assert seen == ["commentDialog"]
    assert item.status == "submitted"
    assert window.document.report.comments[-1].text == "【送審】第一行\n第二行"


def test_previous_year_copy_leaves_completion_empty_and_shows_numbers(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, _report(tmp_path))
    target = tmp_path / "next.awr"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_rollover.trigger()
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.id)
    panel = window.previous_year
    qtbot.waitUntil(lambda: window.previous_dock.width() >= 400)
    numbers = [panel.model.cell_at(r, 0) for r in range(panel.model.rowCount())]
    assert numbers and numbers[0] in ("1.", "1")  or numbers[0].startswith("1")
    last_year = window.document.report.previous_entries[item.id]
    assert any(e.completion is not None for e in last_year)
    row = next(r for r, e in enumerate(last_year) if e.completion is not None)
    panel.view.selectRow(row)
    panel.copy_button.click()
    assert item.entries[-1].text == last_year[row].text
    assert item.entries[-1].completion is None


def test_a_department_opens_at_its_top(qtbot, tmp_path):
    window = open_window(qtbot, _report(tmp_path))
    departments = window.document.report.departments
    window.table.verticalScrollBar().setValue(window.table.verticalScrollBar().maximum())
    assert window.table.verticalScrollBar().value() > 0
    window.tree.setCurrentIndex(window.tree.index_of(departments[1].id))
    assert window.table.verticalScrollBar().value() == 0


def test_issue_packages_for_several_departments_into_a_folder(qtbot, tmp_path, monkeypatch):
    window = open_window(qtbot, _report(tmp_path))
    folder = tmp_path / "packages"
    folder.mkdir()
    names = [d.name for d in window.document.report.departments[:3]]
    # One of them cannot be written (a folder stands where its file would go): it is named, the others are made.
    (folder / f"{window.document.report.roc_year}年度-{names[2]}-工作包.awr").mkdir()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    errors = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: errors.append(text))

    def answer():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "issuePackagesDialog"
        for box in dialog.boxes:
            box.setChecked(box.text() in names)
        dialog.folder_edit.setText(str(folder))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    window.act_issue_package.trigger()
    made = sorted(p.name for p in folder.glob("*.awr") if p.is_file())
    year = window.document.report.roc_year
    assert made == sorted(f"{year}年度-{n}-工作包.awr" for n in names[:2])
    for name in names[:2]:
        package = ReportDocument.open(folder / f"{year}年度-{name}-工作包.awr")
        try:
            assert [d.name for d in package.report.departments] == [name]
        finally:
            package.close()
    assert len(errors) == 1 and "已建立 2 個工作包" in errors[0] and names[2] in errors[0]
    assert "Traceback" not in errors[0]


def test_a_long_items_label_is_painted_again_while_it_scrolls(qtbot, tmp_path, monkeypatch):
    from ui.table.delegates import TableDelegate
    from ui.table.model import COL_ITEM, COL_TEXT

    painted = []
    original = TableDelegate.paint

    def spy(self, painter, option, index):
        if index.column() == COL_ITEM:
            painted.append((index.row(), option.rect.top(), option.rect.bottom()))
        return original(self, painter, option, index)

    monkeypatch.setattr(TableDelegate, "paint", spy)
    window = open_window(qtbot, _report(tmp_path))
    table, model = window.table, window.table_model
    span = max((model.rows_of(r.item.id) for r in model.rows if r.item), key=len)
    assert len(span) >= 5
    table.scrollTo(model.index(span.start + 2, COL_TEXT), table.ScrollHint.PositionAtTop)
    table.setFocus()
    qtbot.waitUntil(lambda: not window.checks.timer.isActive())
    for _ in range(5):
        QApplication.processEvents()
    painted.clear()
    bar = table.verticalScrollBar()
    bar.setValue(bar.value() + 1)  # the wheel or the scroll bar: one row further
    for _ in range(5):
        QApplication.processEvents()
    # The label's cell (top of the span above the viewport) is painted again, in its visible part.
    rects = [(top, bottom) for row, top, bottom in painted if row == span.start]
    assert rects and rects[-1][0] < 0 < rects[-1][1]
