"""Moving things in the window as people do: right-click menus, cut/paste, drag and drop, Alt+Up.

Menus are opened with a real right-click event (a QContextMenuEvent sent to the
view's viewport, as the platform delivers it) and their items clicked with the
mouse; keys go to QApplication.focusWidget().  A real drag cannot run offscreen
(QDrag.exec needs a window system's drag loop), so drags are driven as the view
receives them: the source model's ``mimeData`` for the selection (what
QAbstractItemView.startDrag puts on the QDrag), then a QDropEvent with that
data sent to the target view's viewport at the drop position (the view's own
dropEvent → the model's dropMimeData).
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from gui_helpers import key, open_window, type_text

from app.document import ReportDocument
from app.model import Entry, Item, Section
from app.operations import InsertNode, SetField
from app.sample import sample_report
from ui.table.model import COL_ITEM, COL_TEXT


@pytest.fixture
def sample_path(tmp_path):
    path = tmp_path / "s.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def click(qtbot, view, index, modifier=Qt.KeyboardModifier.NoModifier):
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(index).center())


def right_click(window, view, index):
    """A right-click on ``index``: the press selects, the context-menu event opens the menu."""
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                              view.viewport().mapToGlobal(pos)))
    QApplication.processEvents()
    menu = window.context_menus.menu
    assert menu is not None and menu.isVisible()
    return menu


def choose(qtbot, menu, text):
    """Click the menu item whose text starts with ``text``."""
    action = next(a for a in menu.actions() if a.text().replace("(&", "(").startswith(text))
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    QApplication.processEvents()
    return action


def table_index(window, node_id, column=COL_TEXT):
    return window.table_model.index(window.table_model.row_of(node_id), column)


def drop(qtbot, window, view, data, pos):
    """The view's drop path for a drag of ``data`` released at ``pos`` (viewport coordinates)."""
    window.moves.last_drop = None
    for kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

        cls = QDragEnterEvent if kind == QEvent.Type.DragEnter else QDragMoveEvent
        QApplication.sendEvent(view.viewport(), cls(pos, Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
                                                     Qt.KeyboardModifier.NoModifier))
    event = QDropEvent(QPointF(pos), Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: window.moves.last_drop is not None, timeout=3000)
    return window.moves.last_drop


# --- right-click menus ------------------------------------------------------------------


def test_table_menu_offers_the_menu_bars_actions_and_acts_on_the_clicked_row(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    item = window.document.report.departments[0].sections[0].items[0]
    window.go_to(item.entries[0].id)
    target = item.entries[2]
    count = len(item.entries)
    menu = right_click(window, window.table, table_index(window, target.id))
    # the very QActions of the menu bar (one registry), with their keys
    assert window.act_cut in menu.actions() and window.act_paste in menu.actions()
    assert window.act_delete_row in menu.actions() and window.act_move_up in menu.actions()
    assert window.table.currentIndex().row() == window.table_model.row_of(target.id)
    choose(qtbot, menu, "刪除辦理情形")
    assert len(item.entries) == count - 1 and target not in item.entries
    assert window.act_undo.text() == "復原 刪除辦理情形"


def test_the_programs_own_jumps_select_one_cell_right_after_a_ctrl_shortcut(qtbot, sample_path):
    """QTest (like a fast typist) leaves Qt believing Ctrl is held after Ctrl+C until the next
    key: a jump of the program then must not toggle a second cell into the selection (it did,
    and the next 刪除辦理情形 deleted two entries — the order-dependence of the test above)."""
    window = open_window(qtbot, sample_path)
    item = window.document.report.departments[0].sections[0].items[0]
    window.go_to(item.entries[0].id)
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier  # as Qt believes
    window.go_to(item.entries[2].id)
    assert window.table.selected_entries() == [item.entries[2]]
    menu = right_click(window, window.table, table_index(window, item.entries[3].id))
    assert window.table.selected_entries() == [item.entries[3]]
    menu.close()
    # a Shift+click (Qt's own selection, with the event's modifiers) still extends
    click(qtbot, window.table, table_index(window, item.entries[1].id), Qt.KeyboardModifier.ShiftModifier)
    assert window.table.selected_entries() == item.entries[1:4]


def test_tree_menu_moves_and_cuts_the_clicked_node(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    department = window.document.report.departments[0]
    first, second = department.sections[0], department.sections[1]
    window.tree.expand(window.tree.index_of(first.id))
    window.tree.expand(window.tree.index_of(second.id))
    moved = first.items[0]
    menu = right_click(window, window.tree, window.tree.index_of(moved.id))
    assert window.act_add_item in menu.actions() and window.act_approve in menu.actions()
    choose(qtbot, menu, "剪下")
    menu = right_click(window, window.tree, window.tree.index_of(second.id))
    # on the tree, paste moves what was cut: it says so, not 「貼上為辦理情形」 (and only while the menu is up)
    assert window.act_paste.text() == "貼上（移到此處）(&V)"
    choose(qtbot, menu, "貼上（移到此處）")
    assert second.items[-1] is moved and moved not in first.items
    assert window.tree.current_node_id() == moved.id
    assert window.act_paste.text() == "貼上為辦理情形(&V)"


def test_panel_menus_go_to_and_copy(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    item = window.document.report.departments[1].sections[0].items[0]
    window.push(InsertNode(item.id, 0, Entry(level=1, text="")))  # an empty entry: a problem
    window.validate_now()
    problems = window.problems.view
    row = next(r for r, p in enumerate(window.problems.problems) if p.node_id == item.entries[0].id)
    window.go_to(window.document.report.departments[0].sections[0].items[0].id)
    menu = right_click(window, problems, window.problems.model.index(row, 0))
    assert window.act_go_to_selected in menu.actions()
    choose(qtbot, menu, "前往所選位置")
    assert window.table.current_row().entry is item.entries[0]

    search = window.search_dock.bring_up()
    search.edit.setFocus()
    type_text(search.edit, "役男")
    key(qtbot, Qt.Key.Key_Return)
    assert len(search.hits) > 1
    menu = right_click(window, search.view, search.model.index(1, 0))
    assert window.act_find_next in menu.actions()
    choose(qtbot, menu, "前往所選位置")
    assert window.table_model.node_at(window.table.currentIndex()).id == search.hits[1].node_id
    menu = right_click(window, search.view, search.model.index(1, 1))
    choose(qtbot, menu, "複製")
    assert search.hits[1].where in QGuiApplication.clipboard().text()

    review = window.review_dock.bring_up()
    window.go_to(item.entries[0].id)
    assert review.model.rowCount() >= 1
    menu = right_click(window, review.view, review.model.index(0, 0))
    assert window.act_comment in menu.actions() and window.act_approve in menu.actions()
    choose(qtbot, menu, "複製")
    assert "新增辦理情形" in QGuiApplication.clipboard().text()


def test_previous_year_menu_copies_last_years_entry(qtbot, tmp_path):
    from app.rollover import next_year

    path = tmp_path / "n.awr"
    ReportDocument.create(path, next_year(sample_report(), keep_entries=False)).close()
    window = open_window(qtbot, path)
    item = window.document.report.departments[0].sections[0].items[0]
    window.go_to(item.id)
    panel = window.previous_dock.bring_up()
    window.go_to(item.id)
    assert panel.model.rowCount() > 0
    before = len(item.entries)
    menu = right_click(window, panel.view, panel.model.index(0, 1))
    assert window.act_copy_previous in menu.actions()
    choose(qtbot, menu, "複製到今年")
    assert len(item.entries) == before + 1


# --- cut and paste ---------------------------------------------------------------------


def test_cut_entries_and_paste_on_another_item_moves_them_in_one_undo_step(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    source = window.document.report.departments[0].sections[0].items[0]
    target = window.document.report.departments[0].sections[1].items[0]
    window.go_to(source.entries[0].id)
    window.table.setFocus()
    moved = source.entries[:2]
    click(qtbot, window.table, table_index(window, moved[0].id))
    click(qtbot, window.table, table_index(window, moved[1].id), Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert "已剪下 2 筆辦理情形" in window.statusBar().currentMessage()
    assert moved[0].text in QGuiApplication.clipboard().text()
    assert source.entries[:2] == moved  # nothing moves before the paste
    click(qtbot, window.table, table_index(window, target.id, COL_ITEM))
    steps = window.undo_stack.count()
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert target.entries[-2:] == moved and moved[0] not in source.entries  # moved, same objects and ids
    assert window.undo_stack.count() == steps + 1 and window.act_undo.text() == "復原 移動 2 筆辦理情形"
    # the numbering follows: the moved entries are numbered in their new 目
    assert window.table_model.rows[window.table_model.row_of(moved[0].id)].item is target
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # a second paste is text again, not a move
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert source.entries[:2] == moved and moved[0] not in target.entries
    window.close()
    reopened = ReportDocument.open(sample_path)
    assert [e.id for e in reopened.report.departments[0].sections[0].items[0].entries[:2]] == [m.id for m in moved]


def test_cut_items_and_sections_in_the_tree_and_paste_elsewhere(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    report = window.document.report
    first, second = report.departments[0].sections[:2]
    item = first.items[1]
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.index_of(item.id))
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    window.tree.setCurrentIndex(window.tree.index_of(second.items[0].id))  # onto a 目: right after it
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert second.items[1] is item
    assert window.tree_model.data(window.tree.index_of(item.id)).startswith("(二)")  # renumbered
    # a 項 to another department, undone in one step
    other = report.departments[3]
    window.tree.setCurrentIndex(window.tree.index_of(second.id))
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    window.tree.setCurrentIndex(window.tree.index_of(other.id))
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert other.sections[-1] is second and window.current_department_id == other.id
    assert window.document.department_of(item.entries[0].id) is other
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert report.departments[0].sections[1] is second
    # a 目 onto a department is refused with the reason, nothing changes
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.index_of(item.id))
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    window.tree.setCurrentIndex(window.tree.index_of(other.id))
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "目只能移到項之下" in window.statusBar().currentMessage()
    assert second.items[1] is item
    # two 目 selected with Ctrl+click move together, in report order
    tree = window.tree
    tree.expand(tree.index_of(first.id))
    a, b = first.items[0], first.items[2]
    click(qtbot, tree, tree.index_of(b.id))
    click(qtbot, tree, tree.index_of(a.id), Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert "已剪下 2 個目" in window.statusBar().currentMessage()
    click(qtbot, tree, tree.index_of(second.id))
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert second.items[-2:] == [a, b] and window.act_undo.text() == "復原 移動 2 個目"


def test_shift_click_in_the_tree_selects_the_range_and_a_jump_selects_one(qtbot, sample_path):
    """Shift+click selects every 目 between (it selected only the clicked one); right after a
    Ctrl shortcut the program's own jump still selects just its node."""
    window = open_window(qtbot, sample_path)
    tree = window.tree
    department = window.document.report.departments[0]
    first = department.sections[0]
    tree.expand(tree.index_of(department.id))
    tree.expand(tree.index_of(first.id))
    a, c = first.items[0], first.items[2]
    click(qtbot, tree, tree.index_of(a.id))
    click(qtbot, tree, tree.index_of(c.id), Qt.KeyboardModifier.ShiftModifier)
    selected = {tree.tree_model().node_id(i) for i in tree.selectionModel().selectedRows()}
    assert selected == {item.id for item in first.items[:3]}
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Qt now believes Ctrl held
    tree.setCurrentIndex(tree.index_of(first.items[1].id))
    assert [tree.tree_model().node_id(i) for i in tree.selectionModel().selectedRows()] == [first.items[1].id]


def test_an_approved_item_refuses_the_move_with_the_engines_message(qtbot, sample_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window = open_window(qtbot, sample_path)
    first, second = window.document.report.departments[0].sections[:2]
    locked = second.items[0]
    window.push(SetField(locked.id, "status", "approved"))
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.index_of(locked.id))
    key(qtbot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    window.tree.setCurrentIndex(window.tree.index_of(first.id))
    steps = window.undo_stack.count()
    key(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert shown and f"「{locked.title}」已核定" in shown[-1]
    assert second.items[0] is locked and window.undo_stack.count() == steps


# --- drag and drop ------------------------------------------------------------------------


def test_drag_an_item_onto_a_section_in_the_tree(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    first, second = window.document.report.departments[0].sections[:2]
    item = first.items[0]
    tree = window.tree
    tree.expand(tree.index_of(first.id))
    data = window.tree_model.mimeData([tree.index_of(item.id)])
    rect = tree.visualRect(tree.index_of(second.id))
    assert drop(qtbot, window, tree, data, rect.center())
    assert second.items[-1] is item and tree.current_node_id() == item.id
    assert window.act_undo.text() == "復原 移動目"
    # a 項 dragged onto another department
    other = window.document.report.departments[1]
    data = window.tree_model.mimeData([tree.index_of(second.id)])
    assert drop(qtbot, window, tree, data, tree.visualRect(tree.index_of(other.id)).center())
    assert other.sections[-1] is second


def test_drag_entries_within_and_between_items_in_the_table_and_onto_a_tree_item(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    items = window.document.report.departments[0].sections[0].items
    source, target = items[0], items[1]
    window.go_to(source.entries[0].id)
    table = window.table
    last = source.entries[-1]
    data = window.table_model.mimeData([table_index(window, last.id)])
    # released on the upper edge of the first entry's row: before it
    rect = table.visualRect(table_index(window, source.entries[0].id))
    assert drop(qtbot, window, table, data, QPoint(rect.center().x(), rect.top() + 1))
    assert source.entries[0] is last
    # onto another 目's cell: at its end
    data = window.table_model.mimeData([table_index(window, last.id)])
    assert drop(qtbot, window, table, data, table.visualRect(table_index(window, target.id, COL_ITEM)).center())
    assert target.entries[-1] is last
    # from the table onto a 目 in the tree (another department)
    elsewhere = window.document.report.departments[1].sections[0].items[0]
    window.tree.expand(window.tree.index_of(window.document.report.departments[1].id))
    window.tree.expand(window.tree.index_of(window.document.report.departments[1].sections[0].id))
    data = window.table_model.mimeData([table_index(window, last.id)])
    assert drop(qtbot, window, window.tree, data, window.tree.visualRect(window.tree.index_of(elsewhere.id)).center())
    assert elsewhere.entries[-1] is last and window.table.current_row().entry is last


# --- Alt+Up / Alt+Down across parents -----------------------------------------------------


def test_alt_up_on_the_first_item_goes_into_the_previous_section_or_says_why(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    first, second = window.document.report.departments[0].sections[:2]
    item = second.items[0]
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree.index_of(item.id))
    key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert first.items[-1] is item and window.tree.current_node_id() == item.id
    key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert second.items[0] is item
    window.tree.setCurrentIndex(window.tree.index_of(first.items[0].id))
    key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert "最上面" in window.statusBar().currentMessage()
    # the first entry of a 目 goes to the end of the previous 目 (table focus)
    entry = first.items[1].entries[0]
    window.go_to(entry.id)
    window.table.setFocus()
    key(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert first.items[0].entries[-1] is entry and window.table.current_row().entry is entry


# --- copy -------------------------------------------------------------------------------------


def test_copy_puts_an_html_table_and_tsv_without_quotes_for_empty_cells(qtbot, sample_path):
    window = open_window(qtbot, sample_path)
    item = window.document.report.departments[0].sections[0].items[0]
    window.push(SetField(item.entries[0].id, "remark", ""))
    window.go_to(item.entries[0].id)
    window.table.setFocus()
    model = window.table_model
    row = model.row_of(item.entries[0].id)
    click(qtbot, window.table, model.index(row, COL_TEXT))
    click(qtbot, window.table, model.index(row + 1, 5), Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    data = QGuiApplication.clipboard().mimeData()
    assert data.hasHtml() and "<table" in data.html() and data.html().count("<tr>") == 2
    assert '""' not in data.text()
    assert data.text().split("\n")[0].endswith("\t")  # the empty 備註: nothing after its tab


def test_models_with_drag_and_drop_still_pass_the_model_tester(qtbot, qtmodeltester, sample_path):
    window = open_window(qtbot, sample_path)
    assert window.tree_model.mover is window.moves and window.table_model.mover is window.moves
    qtmodeltester.check(window.tree_model)
    qtmodeltester.check(window.table_model)
