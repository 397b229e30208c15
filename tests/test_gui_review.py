"""Review, history, dashboard and package merging in the real window."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from gui_helpers import find_item, open_window

from app.document import Person, ReportDocument
from app.operations import SetField
from app.packages import issue_package
from app.sample import sample_report
from ui.dialogs.conflict import ConflictDialog, ConflictModel
from ui.dialogs.identity import store_person
from ui.settings import settings
from ui.table.model import COL_TEXT


@pytest.fixture
def report_path(tmp_path):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    return path


def as_person(person):
    store_person(settings(), person)


def test_review_actions_in_the_window_lock_and_show_in_the_tree(qtbot, report_path, monkeypatch):
    as_person(Person("李課長", "chief"))
    window = open_window(qtbot, report_path)
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("內容正確", True))
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.entries[0].id)
    window.act_approve.trigger()
    assert item.status == "approved"
    assert window.tree_model.data(window.tree_model.index_of(item.id)).endswith("〔核定〕")
    index = window.table.currentIndex()
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda parent, title, text: shown.append(text))
    window.table_model.setData(window.table_model.index(index.row(), COL_TEXT), "偷改")
    qtbot.waitUntil(lambda: bool(shown))  # the message follows once the refused commit has returned
    assert shown and "已核定" in shown[-1] and item.entries[0].text != "偷改"
    # The history panel lists the approval with who did it.
    window.table.setCurrentIndex(window.table_model.index(index.row(), 2))
    rows = window.review_panel.model.rows
    assert any(r[2].startswith("核定") and "李課長" in r[1] for r in rows)
    assert any(r[2] == "意見" and "內容正確" in r[5] for r in rows)
    # Reopen, edit: the change since approval is marked with its difference.
    window.act_reopen.trigger()
    window.table_model.setData(window.table_model.index(index.row(), COL_TEXT), item.entries[0].text + "（補）")
    window.validate_now()
    tooltip = window.table_model.data(window.table_model.index(index.row(), COL_TEXT), 3)  # ToolTipRole
    assert "核定後修改" in tooltip and "<ins" in tooltip


def test_a_clerk_cannot_approve(qtbot, report_path, monkeypatch):
    as_person(Person("王小明", "clerk"))
    window = open_window(qtbot, report_path)
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda parent, title, text: shown.append(text))
    item = find_item(window.document.report, "徵兵檢查作業")
    window.go_to(item.entries[0].id)
    window.act_approve.trigger()
    assert item.status == "draft" and shown and "承辦人不能核定" in shown[0]


def test_dashboard_shows_each_department(qtbot, report_path):
    window = open_window(qtbot, report_path)
    window.validate_now()
    rows = window.dashboard.rows
    assert [r.label for r in rows][:2] == ["壹、民政部門", "貳、社建部門"]
    assert rows[0].items == 39 and rows[0].filled == 39
    image = window.dashboard.grab()
    assert not image.isNull()


def test_merge_with_a_conflict_chosen_in_the_dialog_is_one_undo_step(qtbot, report_path, tmp_path, monkeypatch):
    doc = ReportDocument.open(report_path)
    package_path = tmp_path / "p.awr"
    issue_package(doc, "民政部門", package_path)
    entry_id = doc.report.departments[0].sections[0].items[0].entries[0].id
    other_id = doc.report.departments[0].sections[0].items[0].entries[1].id
    doc.apply(SetField(entry_id, "text", "報告的版本"))
    doc.close()
    package = ReportDocument.open(package_path)
    package.apply(SetField(entry_id, "text", "工作包的版本"))
    package.apply(SetField(other_id, "remark", "工作包補充"))
    package.close()

    window = open_window(qtbot, report_path)
    seen = []

    def choose_package(dialog):
        seen.append([(c.field, c.package, c.report) for c in dialog.model.conflicts])
        dialog.model.choose_all("package")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", choose_package)
    assert window.reviewing.merge_package_dialog(str(package_path))
    assert seen == [[("text", "工作包的版本", "報告的版本")]]
    entries = window.document.report.departments[0].sections[0].items[0].entries
    assert entries[0].text == "工作包的版本" and entries[1].remark == "工作包補充"
    assert window.act_undo.text() == "復原 彙整工作包 p.awr"
    window.undo_stack.undo()
    entries = window.document.report.departments[0].sections[0].items[0].entries
    assert entries[0].text == "報告的版本" and entries[1].remark == ""


def test_conflict_model(qtmodeltester):
    from app.merge import Conflict

    model = ConflictModel([Conflict("n1", "entry", "text", "壹 › 第 1 筆", "基", "包", "報")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "包"
    assert model.setData(model.index(0, 5), "package")
    assert model.resolutions() == {("n1", "text"): "package"}


def test_the_history_panel_speaks_chinese_with_roc_dates(qtbot, report_path):
    """歷程與意見 showed the stored values: 「draft → submitted」, 「True」, 「2026-12-02 …」."""
    from app.operations import SetField as Set
    from app.review import ReviewAction
    from ui.panels.review import roc_time

    store_person(settings(), Person("李課長", "chief"))
    window = open_window(qtbot, report_path)
    item = find_item(window.document.report, "徵兵檢查作業")
    window.push(ReviewAction(item.id, "submit"))
    window.push(Set(item.id, "numbered", False))
    window.go_to(item.id)
    window.review_dock.show()
    window.review_dock.raise_()
    window.go_to(item.entries[0].id)
    window.go_to(item.id)
    rows = window.review_panel.model.rows
    status = next(r for r in rows if r[3] == "審核狀態")
    assert (status[4], status[5]) == ("草稿", "送審")
    numbered = next(r for r in rows if r[3] == "編號")
    assert (numbered[4], numbered[5]) == ("是", "否")
    assert all(r[0].startswith(f"{__import__('datetime').date.today().year - 1911}/") for r in rows)
    assert roc_time("2026-12-02T00:14:57") == "115/12/02 00:14:57"
