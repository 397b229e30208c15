"""Every part of the window follows the change record: after each action and its undo the
歷程與意見 panel, the tree, the 進度 dashboard and the problems list are current — without
the cursor moving (which used to be the only way to refresh the history panel).

"Current" means equal to what a freshly built part would show for the same report.
The actions are driven as a user drives them: keys typed into the focused cell, menu
actions triggered, their dialogs answered.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from gui_helpers import find_item, open_window, type_text

from app.dashboard import progress
from app.document import Person, ReportDocument
from app.operations import InsertNode, SetField
from app.model import Entry, Item
from app.packages import issue_package
from app.sample import sample_report
from app.validate import check
from ui.dialogs.identity import store_person
from ui.panels.review import HistoryModel
from ui.settings import settings
from ui.table.model import COL_COMPLETION, COL_ITEM, COL_TEXT
from ui.tree.model import ReportTreeModel


@pytest.fixture
def report_path(tmp_path):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


@pytest.fixture
def window(qtbot, report_path):
    store_person(settings(), Person("李課長", "chief"))
    window = open_window(qtbot, report_path)
    # The panels are built when first shown (as when their tabs are opened).
    window.dashboard_dock.bring_up()
    window.review_dock.bring_up()
    return window


def tree_labels(model, parent=QModelIndex()):
    labels = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        labels.append((model.data(index), tree_labels(model, index)))
    return labels


def fresh_history(document, node_id):
    node = document.find(node_id)
    ids = {node_id} | ({e.id for e in node.entries} if node.kind == "item" else set())
    model = HistoryModel()
    model.set_rows([c for c in document.report.comments if c.node_id in ids], document.history_of(node_id))
    return model.rows


def assert_current(qtbot, window):
    document = window.document
    report = document.report
    panel = window.review_panel
    assert panel.node_id is not None
    assert panel.model.rows == fresh_history(document, panel.node_id)
    assert tree_labels(window.tree_model) == tree_labels(ReportTreeModel(document))
    # Problems and 進度 follow one check pass after the change (a 200 ms timer, so typing
    # stays fast): wait until that pass has run, then both must be exact.
    qtbot.waitUntil(lambda: not window.checks.timer.isActive(), timeout=3000)
    problems = check(report)
    assert [(p.node_id, p.field, p.message) for p in window.problems.problems] == [
        (p.node_id, p.field, p.message) for p in problems]
    assert window.dashboard.rows == progress(report, problems)


class CursorWatch:
    """Counts moves of the table's cursor: the parts must refresh without one."""

    def __init__(self, window):
        self.moves = 0
        window.table.selectionModel().currentChanged.connect(self._moved)

    def _moved(self, *args):
        self.moves += 1


def put_cursor(window, node_id, column):
    row = window.table_model.row_of(node_id)
    window.table.setFocus()
    window.table.setCurrentIndex(window.table_model.index(row, column))
    return window.table.currentIndex()


def test_a_cell_edit_and_its_undo(qtbot, window):
    item = find_item(window.document.report, "徵兵檢查作業")
    entry = item.entries[1]
    window.go_to(entry.id)
    where = put_cursor(window, entry.id, COL_COMPLETION)
    assert window.review_panel.node_id == entry.id
    assert_current(qtbot, window)
    warnings_before = sum(1 for p in window.problems.problems if not p.is_error)

    type_text(window.table, "80")  # typing starts the editor
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert entry.completion == 80
    # Enter commits and moves down, as in a spreadsheet; ↑ comes back.
    assert window.table.currentIndex() == window.table_model.index(where.row() + 1, COL_COMPLETION)
    watch = CursorWatch(window)
    qtbot.keyClick(window.table, Qt.Key.Key_Up)
    assert watch.moves == 1 and window.table.currentIndex() == where
    watch.moves = 0
    assert any(r[3] == "完成程度" and r[4] == "100" and r[5] == "80" for r in window.review_panel.model.rows)
    assert_current(qtbot, window)
    assert sum(1 for p in window.problems.problems if not p.is_error) == warnings_before + 1  # under 100 % without 備註

    window.act_undo.trigger()
    assert entry.completion == 100
    assert any(r[2].startswith("復原") for r in window.review_panel.model.rows)
    assert_current(qtbot, window)
    assert sum(1 for p in window.problems.problems if not p.is_error) == warnings_before
    assert watch.moves == 0 and window.table.currentIndex() == where


def test_a_cell_edit_re_measures_only_the_rows_of_its_item(qtbot, window, monkeypatch):
    item = find_item(window.document.report, "徵兵檢查作業")
    measured = []
    original = type(window.table)._row_height
    monkeypatch.setattr(type(window.table), "_row_height", lambda self, row: measured.append(row) or original(self, row))
    window.go_to(item.entries[0].id)
    measured.clear()
    window.table_model.setData(window.table.currentIndex(), item.entries[0].text + "，並完成造冊。" * 8)
    assert sorted(measured) == list(window.table_model.rows_of(item.id))
    first = window.table_model.rows_of(item.id).start
    assert window.table.rowHeight(first) > window.table.rowHeight(first + 1)  # the longer text got a taller row


def test_a_comment_and_its_undo(qtbot, window, monkeypatch):
    item = find_item(window.document.report, "徵兵檢查作業")
    entry = item.entries[2]
    window.go_to(entry.id)
    where = put_cursor(window, entry.id, COL_TEXT)
    assert window.review_panel.node_id == entry.id
    watch = CursorWatch(window)
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("請補充人數", True))

    window.act_comment.trigger()
    assert any(r[2] == "意見" and r[5] == "請補充人數" for r in window.review_panel.model.rows)
    assert [r[5] for r in window.review_panel.model.rows].count("請補充人數") == 1  # each comment once
    assert window.review_panel.title.text().endswith("1 則意見")
    assert_current(qtbot, window)

    window.act_undo.trigger()
    assert not any(r[2] == "意見" for r in window.review_panel.model.rows)
    assert window.review_panel.title.text().endswith("0 則意見")
    assert_current(qtbot, window)
    assert watch.moves == 0 and window.table.currentIndex() == where


@pytest.mark.parametrize("action, status, mark", [("submit", "submitted", "〔送審〕"), ("approve", "approved", "〔核定〕")])
def test_review_actions_and_their_undo(qtbot, window, monkeypatch, action, status, mark):
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.id)
    where = put_cursor(window, item.id, COL_ITEM)
    watch = CursorWatch(window)
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("內容正確", True))
    label = lambda: window.tree_model.data(window.tree_model.index_of(item.id))  # noqa: E731
    statuses = lambda: next(r.statuses for r in window.dashboard.rows if r.label.endswith("兵役部門"))  # noqa: E731
    before = dict(statuses())

    getattr(window, f"act_{action}").trigger()
    assert item.status == status and label().endswith(mark)
    rows = window.review_panel.model.rows
    assert any(r[2].startswith(("送審", "核定")) and "李課長" in r[1] for r in rows)
    assert any(r[2] == "意見" and r[5].endswith("】內容正確") for r in rows)
    assert_current(qtbot, window)
    assert statuses()[status] == before[status] + 1

    window.act_undo.trigger()
    assert item.status == "draft" and not label().endswith(mark)
    assert any(r[2].startswith("復原") for r in window.review_panel.model.rows)
    assert not any(r[2] == "意見" for r in window.review_panel.model.rows)
    assert_current(qtbot, window)
    assert statuses() == before
    assert watch.moves == 0 and window.table.currentIndex() == where


def test_a_package_merge_and_its_undo(qtbot, window, tmp_path, monkeypatch):
    report_path = window.document.path
    item = find_item(window.document.report, "徵兵檢查作業")
    department = window.document.department_of(item.id)
    package_path = tmp_path / "兵役.awr"
    issue_package(window.document, department.name, package_path)
    package = ReportDocument.open(package_path)
    package.apply(SetField(item.entries[0].id, "completion", 60))  # a new warning: under 100 % without 備註
    new_item = Item(title="工作包新增的目", entries=[Entry(level=1, text="新工作。", completion=100)])
    section = package.parent(item.id)
    package.apply(InsertNode(section.id, len(section.children), new_item))
    package.close()

    window.go_to(item.id)
    put_cursor(window, item.id, COL_ITEM)
    assert_current(qtbot, window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package_path), ""))
    monkeypatch.setattr("ui.dialogs.conflict.ConflictDialog.exec", lambda dialog: QDialog.DialogCode.Accepted)

    window.act_merge_package.trigger()
    assert item.entries[0].completion == 60 and window.document.find(new_item.id) is not None
    assert window.tree_model.index_of(new_item.id).isValid()
    assert any(r[3] == "完成程度" and r[5] == "60" for r in window.review_panel.model.rows)
    assert_current(qtbot, window)
    assert any(p.node_id == item.entries[0].id for p in window.problems.problems)

    window.act_undo.trigger()
    assert item.entries[0].completion == 100 and window.document.find(new_item.id) is None
    assert not window.tree_model.index_of(new_item.id).isValid()
    assert_current(qtbot, window)
    assert not any(p.node_id == item.entries[0].id for p in window.problems.problems)
    assert window.document.path == report_path


def test_the_history_of_a_budget_row_names_the_column_by_its_heading(tmp_path, qapp):
    from template_reports import budget_report

    from app.operations import SetField

    document = ReportDocument.create(tmp_path / "budget.awr", budget_report())
    entry = document.report.departments[0].sections[0].items[0].entries[0]
    document.apply(SetField(entry.id, "budget", 150000))
    model = HistoryModel()
    model.set_rows([], document.history_of(entry.id), document.report.template)
    assert [(row[3], row[4], row[5]) for row in model.rows] == [("預算金額", "120,000", "150,000")]
    document.close()
