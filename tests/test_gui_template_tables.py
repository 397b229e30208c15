"""The window follows the report's template (issue 19): each built-in non-default template's
report is made through 檔案 → 新增報告, its nodes added from the 結構 commands' keys and every
column typed from the keyboard (keys to the focused widget); the file, opened again, holds
the values.  A bad amount is refused with its line; the computed column follows its inputs;
a single choice is picked in its combo box with keys."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit, QListWidget, QPlainTextEdit

from gui_helpers import key, open_window, type_text
from template_reports import BUDGET, KPI, NARRATIVE, budget_report, kpi_report, narrative_report

from app.document import ReportDocument
from app.model import get_field
from app.templates import Column, builtin_named
from ui.dialogs.new_report import NewReportDialog

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL_ALT = CTRL | ALT


def make_report(qtbot, tmp_path, monkeypatch, small, template_name: str, office="測試區公所"):
    """檔案 → 新增報告 (Ctrl+N), the dialog answered: office, year 113 and the template."""
    ReportDocument.create(tmp_path / "small.awr", small).close()
    window = open_window(qtbot, tmp_path / "small.awr")
    target = tmp_path / "new.awr"

    def answer(dialog):
        dialog.office.setText(office)
        dialog.year.setValue(113)
        dialog.template.setFocus()
        names = [dialog.template.itemText(i) for i in range(dialog.template.count())]
        dialog.template.setCurrentIndex(names.index(template_name))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(NewReportDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions_by_name["new"].trigger()
    assert window.document.path == target
    assert window.document.report.template.name == template_name
    return window, target


def press(qtbot, k, modifier=None):
    key(qtbot, k, modifier)


def type_in_cell(qtbot, window, row, column, text):
    """Select the cell, type (a typed key opens the editor), Enter commits."""
    window.table.setFocus()
    window.table.setCurrentIndex(window.table_model.index(row, column))
    type_text(window.table, text)
    assert QApplication.focusWidget() is not window.table  # an editor is open
    press(qtbot, Qt.Key.Key_Return)


def rename_in_tree(qtbot, window, text):
    """The tree's new node's editor is open (新增 opens it): type its name."""
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(editor, text)
    press(qtbot, Qt.Key.Key_Return)


def column_of(window, key_name):
    model = window.table_model
    return next(c for c, part in enumerate(model.parts) if getattr(part, "key", None) == key_name)


def reopened(path):
    document = ReportDocument.open(path)
    report = document.report
    document.close()
    return report


# --- the budget table -------------------------------------------------------------------------


def test_budget_report_made_and_typed_from_the_keyboard(qtbot, tmp_path, monkeypatch, small):
    window, path = make_report(qtbot, tmp_path, monkeypatch, small, BUDGET)
    actions = window.actions_by_name
    assert actions["add_department"].text() == "新增業務" and actions["add_department"].isEnabled()
    assert not actions["add_section"].isEnabled() and not actions["add_item"].isEnabled()
    # the tree: the one 業務 (its implicit 項/目 never shown)
    tree = window.tree_model
    top = tree.index(0, 0)
    assert tree.rowCount(top) == 1 and tree.rowCount(tree.index(0, 0, top)) == 0
    assert tree.data(tree.index(0, 0, top)) == "壹、新業務"
    # F2 renames it; Ctrl+Alt+D adds a second 業務 after it, named in its editor
    window.tree.setFocus()
    window.tree.setCurrentIndex(tree.index(0, 0, top))
    press(qtbot, Qt.Key.Key_F2)
    rename_in_tree(qtbot, window, "民政業務")
    press(qtbot, Qt.Key.Key_D, CTRL_ALT)
    rename_in_tree(qtbot, window, "社會業務")
    report = window.document.report
    assert [d.name for d in report.departments] == ["民政業務", "社會業務"]
    assert len(report.departments[1].sections[0].items) == 1  # made with its implicit 項 › 目
    window.tree.setCurrentIndex(tree.index(0, 0, top))
    model = window.table_model
    assert model.rowCount() == 1 and model.department.name == "民政業務"  # the placeholder row
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算金額", "執行金額", "執行率", "計畫成果及執行效益"]
    # typing into the placeholder makes the first row
    type_in_cell(qtbot, window, 0, column_of(window, "project"), "辦理區政業務研習")
    entry = report.departments[0].sections[0].items[0].entries[0]
    assert get_field(entry, "project") == "辦理區政業務研習"
    assert model.data(model.index(0, column_of(window, "serial"))) == "1"
    type_in_cell(qtbot, window, 0, column_of(window, "unit"), "民政課")
    type_in_cell(qtbot, window, 0, column_of(window, "grantor"), "內政部")
    type_in_cell(qtbot, window, 0, column_of(window, "budget"), "1,234,567")
    type_in_cell(qtbot, window, 0, column_of(window, "spent"), "１０００")  # full-width digits
    type_in_cell(qtbot, window, 0, column_of(window, "results"), "辦理研習 2 場")
    # 經費來源 (several may be ticked): F2 opens the check list; Space ticks, Down moves, Enter stores
    window.table.setCurrentIndex(model.index(0, column_of(window, "funding")))
    press(qtbot, Qt.Key.Key_F2)
    assert isinstance(QApplication.focusWidget(), QListWidget)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Return)
    assert get_field(entry, "funding") == ("市庫負擔", "補助款")
    assert model.data(model.index(0, column_of(window, "funding"))) == "■市庫負擔 ■補助款"
    # shown with thousands separators, right-aligned; the computed 執行率 follows
    budget = model.index(0, column_of(window, "budget"))
    assert model.data(budget) == "1,234,567"
    assert model.data(budget, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    rate = model.index(0, column_of(window, "rate"))
    assert model.data(rate) == "0.1%"
    type_in_cell(qtbot, window, 0, column_of(window, "spent"), "617,284")
    assert model.data(rate) == "50.0%"
    assert not model.flags(rate) & Qt.ItemFlag.ItemIsEditable  # computed: read-only
    window.table.setCurrentIndex(rate)
    press(qtbot, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is window.table  # no editor
    assert "由程式產生" in window.statusBar().currentMessage()
    # a bad amount (below the column's minimum 0): refused with its line, the editor stays, nothing changes
    steps = window.undo_stack.count()
    window.table.setCurrentIndex(budget)
    type_text(window.table, "-5")
    press(qtbot, Qt.Key.Key_Return)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    assert window.statusBar().currentMessage() == "「預算金額」的值 -5 小於 0"
    press(qtbot, Qt.Key.Key_Escape)
    assert get_field(entry, "budget") == 1234567 and window.undo_stack.count() == steps
    # a number typed wrong is refused too, though the column allows words (found walking the window)
    window.table.setCurrentIndex(budget)
    type_text(window.table, "12,34")
    press(qtbot, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "「12,34」不是金額（整數，可用千分位逗號，如 1,234,567）"
    press(qtbot, Qt.Key.Key_Escape)
    assert get_field(entry, "budget") == 1234567 and window.undo_stack.count() == steps
    # text in an amount column that allows it is kept as typed (「由其他項目下勻支」)
    type_in_cell(qtbot, window, 0, column_of(window, "budget"), "由其他項目下勻支")
    assert get_field(entry, "budget") == "由其他項目下勻支" and model.data(rate) == ""
    window.undo_stack.undo()
    assert get_field(entry, "budget") == 1234567
    # Delete clears a stored cell
    window.table.setCurrentIndex(model.index(0, column_of(window, "grantor")))
    press(qtbot, Qt.Key.Key_Delete)
    assert get_field(entry, "grantor") is None
    # the file holds what was typed
    window.close()
    again = reopened(path)
    kept = again.departments[0].sections[0].items[0].entries[0]
    assert kept.values == {"project": "辦理區政業務研習", "unit": "民政課", "funding": ("市庫負擔", "補助款"),
                           "budget": 1234567, "spent": 617284, "results": "辦理研習 2 場"}
    assert again.template.name == BUDGET


def test_an_excel_block_pastes_onto_the_template_columns(qtbot, tmp_path, monkeypatch, small):
    path = tmp_path / "b.awr"
    ReportDocument.create(path, budget_report()).close()
    ReportDocument.create(tmp_path / "small.awr", small).close()
    window = open_window(qtbot, path)
    model = window.table_model
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(0, column_of(window, "budget")))
    QApplication.clipboard().setText("200000\t150000\n3000\t-7\n9\t8\n")
    steps = window.undo_stack.count()
    window.actions_by_name["paste"].trigger()
    assert window.undo_stack.count() == steps + 1  # one undo step
    entries = window.document.report.departments[0].sections[0].items[0].entries
    assert [(get_field(e, "budget"), get_field(e, "spent")) for e in entries] == [
        (200000, 150000), (3000, 3150000), (9, 8)]  # the bad cell left as it was; a new row for the third
    assert "有 1 格沒有貼上" in window.statusBar().currentMessage() and "小於 0" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    assert len(entries) == 2 and get_field(entries[0], "budget") == 120000


# --- the KPI table ------------------------------------------------------------------------------


def test_kpi_report_made_and_typed_from_the_keyboard(qtbot, tmp_path, monkeypatch, small):
    window, path = make_report(qtbot, tmp_path, monkeypatch, small, KPI)
    actions = window.actions_by_name
    assert actions["add_section"].text() == "新增策略績效目標" and actions["add_section"].isEnabled()
    assert not actions["add_item"].isEnabled() and not actions["add_item"].isVisible()
    tree = window.tree_model
    department = tree.index(0, 0, tree.index(0, 0))
    window.tree.setFocus()
    window.tree.setCurrentIndex(department)
    press(qtbot, Qt.Key.Key_F2)
    rename_in_tree(qtbot, window, "便民服務")
    press(qtbot, Qt.Key.Key_S, CTRL_ALT)
    rename_in_tree(qtbot, window, "提升服務品質")
    report = window.document.report
    goal = report.departments[0].sections[0]
    assert goal.title == "提升服務品質" and len(goal.items) == 1
    assert tree.rowCount(tree.index_of(goal.id)) == 0  # its implicit 目 is not shown
    model = window.table_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"]
    assert model.data(model.index(0, 0)) == "一、提升服務品質"
    for key_name, text in (("indicator", "民眾滿意度"), ("standard", "滿意人數 ÷ 受訪人數"), ("weight", "20%"),
                           ("target", "90"), ("actual", "93")):
        type_in_cell(qtbot, window, 0, column_of(window, key_name), text)
    assert model.data(model.index(0, column_of(window, "achievement"))) == "103%"
    type_in_cell(qtbot, window, 0, column_of(window, "target"), "1200")
    assert model.data(model.index(0, column_of(window, "target"))) == "1,200"  # integers with separators too
    assert model.data(model.index(0, column_of(window, "achievement"))) == "8%"
    type_in_cell(qtbot, window, 0, column_of(window, "target"), "90")
    # a typed key on the 策略績效目標 cell never renames it; F2 does
    window.table.setCurrentIndex(model.index(0, 0))
    type_text(window.table, "x")
    assert QApplication.focusWidget() is window.table and goal.title == "提升服務品質"
    press(qtbot, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    type_text(editor, "提升為民服務品質")
    press(qtbot, Qt.Key.Key_Return)
    assert goal.title == "提升為民服務品質"
    # Ctrl+Enter adds a row below; Ctrl+D fills 權重 down
    window.table.setCurrentIndex(model.index(0, column_of(window, "indicator")))
    press(qtbot, Qt.Key.Key_Return, CTRL)
    type_text(QApplication.focusWidget(), "案件如期辦結率")
    press(qtbot, Qt.Key.Key_Return)
    window.table.setCurrentIndex(model.index(0, column_of(window, "weight")))
    window.table.select_entries([e.id for e in goal.items[0].entries], column_of(window, "weight"))
    press(qtbot, Qt.Key.Key_D, CTRL)
    window.close()
    again = reopened(path)
    rows = again.departments[0].sections[0].items[0].entries
    assert [e.values for e in rows] == [
        {"indicator": "民眾滿意度", "standard": "滿意人數 ÷ 受訪人數", "weight": 20, "target": 90, "actual": 93},
        {"indicator": "案件如期辦結率", "weight": 20}]


# --- the narrative ------------------------------------------------------------------------------


def test_narrative_report_made_and_typed_from_the_keyboard(qtbot, tmp_path, monkeypatch, small):
    window, path = make_report(qtbot, tmp_path, monkeypatch, small, NARRATIVE, office="嘉義市政府")
    actions = window.actions_by_name
    assert [actions[n].text() for n in ("add_department", "add_section", "add_item")] == ["新增部門", "新增部分", "新增業務"]
    tree = window.tree_model
    window.tree.setFocus()
    window.tree.setCurrentIndex(tree.index(0, 0, tree.index(0, 0)))
    press(qtbot, Qt.Key.Key_F2)
    rename_in_tree(qtbot, window, "民政部門")
    press(qtbot, Qt.Key.Key_S, CTRL_ALT)
    rename_in_tree(qtbot, window, "民政處部分")
    press(qtbot, Qt.Key.Key_I, CTRL_ALT)
    rename_in_tree(qtbot, window, "自治行政業務")
    report = window.document.report
    item = report.departments[0].sections[0].items[0]
    assert item.title == "自治行政業務" and tree.rowCount(tree.index_of(item.id)) == 0
    model = window.table_model
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["民政處部分", "甲、自治行政業務", ""]
    type_in_cell(qtbot, window, 2, 0, "里鄰管理")
    assert item.entries[0].text == "里鄰管理" and item.entries[0].level == 1
    for text in ("辦理里鄰長研習", "上半年辦理 2 場", "里長 84 人"):
        press(qtbot, Qt.Key.Key_Return, CTRL)  # a new entry below at the level of the one above, its editor open
        type_text(QApplication.focusWidget(), text)
        press(qtbot, Qt.Key.Key_Return)
        press(qtbot, Qt.Key.Key_Right, ALT)  # one level down
    press(qtbot, Qt.Key.Key_Right, ALT)  # four levels at most
    assert [e.level for e in item.entries] == [1, 2, 3, 4]
    assert [model.data(model.index(r, 0)).strip("　") for r in range(2, 6)] == [
        "一、里鄰管理", "(一) 辦理里鄰長研習", "1. 上半年辦理 2 場", "(1) 里長 84 人"]
    # Alt+Enter: a line break inside a paragraph
    window.table.setCurrentIndex(model.index(2, 0))
    press(qtbot, Qt.Key.Key_F2)
    assert isinstance(QApplication.focusWidget(), QPlainTextEdit)
    press(qtbot, Qt.Key.Key_Return, ALT)
    type_text(QApplication.focusWidget(), "續")
    press(qtbot, Qt.Key.Key_Return)
    window.close()
    again = reopened(path)
    kept = again.departments[0].sections[0].items[0]
    assert [(e.level, e.text) for e in kept.entries] == [
        (1, "里鄰管理\n續"), (2, "辦理里鄰長研習"), (3, "上半年辦理 2 場"), (4, "里長 84 人")]


# --- a single choice and a date (an office's own template) --------------------------------------


def own_template():
    budget = builtin_named(BUDGET)
    columns = [replace(c, multiple=False) if c.key == "funding" else replace(c, width=c.width - 8) if c.key == "results"
               else c for c in budget.columns]
    columns.insert(2, Column("day", "辦理日期", "date", width=8, align="center"))
    return replace(budget, name="本所預算表", columns=tuple(columns))


def test_a_single_choice_is_a_combo_box_and_a_date_is_roc(qtbot, tmp_path):
    from app.editing import new_report

    path = tmp_path / "own.awr"
    report = new_report("測試區公所", 113, own_template())
    ReportDocument.create(path, report).close()
    window = open_window(qtbot, path)
    model = window.table_model
    type_in_cell(qtbot, window, 0, column_of(window, "day"), "113/3/5")
    entry = window.document.report.departments[0].sections[0].items[0].entries[0]
    assert get_field(entry, "day") == "2024-03-05"
    assert model.data(model.index(0, column_of(window, "day"))) == "113年3月5日"
    window.table.setCurrentIndex(model.index(0, column_of(window, "funding")))
    press(qtbot, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and combo.currentText() == ""
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    assert combo.currentText() == "補助款"
    press(qtbot, Qt.Key.Key_Return)
    assert get_field(entry, "funding") == ("補助款",)
    assert model.data(model.index(0, column_of(window, "funding"))) == "□市庫負擔 ■補助款"
    window.table.setCurrentIndex(model.index(0, column_of(window, "day")))
    type_text(window.table, "13月")
    press(qtbot, Qt.Key.Key_Return)
    assert "不是日期" in window.statusBar().currentMessage()
    press(qtbot, Qt.Key.Key_Escape)
    assert get_field(entry, "day") == "2024-03-05"


# --- filled reports open; panels do not fail ------------------------------------------------------


@pytest.mark.parametrize("build", [budget_report, kpi_report, narrative_report])
def test_a_filled_report_of_each_template_opens_with_its_panels(qtbot, tmp_path, monkeypatch, build):
    from app.document import Person
    from ui.dialogs.identity import store_person
    from ui.settings import settings

    store_person(settings(), Person("李課長", "chief"))
    path = tmp_path / "r.awr"
    ReportDocument.create(path, build()).close()
    window = open_window(qtbot, path)
    model = window.table_model
    assert model.rowCount() > 0
    review = window.review_dock.bring_up()
    window.search_dock.bring_up()
    window.validate_now()
    window.table.setFocus()
    for row in range(model.rowCount()):
        window.table.setCurrentIndex(model.index(row, model.columnCount() - 1))
        QApplication.processEvents()
    status = window.status_counts.text()
    assert "錯誤" in status and "目 " not in status and "平均完成程度" not in status
    # 核定 from the tree acts on the last level's 目 (implicit in the budget / KPI tables), which locks its rows
    monkeypatch.setattr("ui.dialogs.comment.ask_comment", lambda *a, **k: ("內容正確", True))
    report = window.document.report
    last = report.template.level_kinds[-1]
    node = report.departments[0] if last == "department" else report.departments[0].sections[0] \
        if last == "section" else report.departments[0].sections[0].items[0]
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree_model.index_of(node.id))
    window.act_approve.trigger()
    item = (node.sections[0].items[0] if last == "department" else node.items[0] if last == "section" else node)
    assert item.status == "approved"
    assert window.tree_model.data(window.tree_model.index_of(node.id)).endswith("〔核定〕")
    row = model.row_of(item.entries[0].id)
    column = model.main_column()
    assert not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
    assert "已核定" in model.refusal(model.index(row, column))
    assert review is not None


def test_tab_walks_the_typed_columns_and_implicit_nodes_are_not_in_the_tree(qtbot, tmp_path):
    path = tmp_path / "b.awr"
    ReportDocument.create(path, budget_report()).close()
    window = open_window(qtbot, path)
    model = window.table_model
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(0, column_of(window, "project")))
    seen = []
    for _ in range(7):
        press(qtbot, Qt.Key.Key_Tab)
        seen.append(model.parts[window.table.currentIndex().column()].key)
    # 執行率 (computed) and the next row's 項次 (serial) are stepped over
    assert seen == ["unit", "funding", "grantor", "budget", "spent", "results", "project"]
    assert window.table.currentIndex().row() == 1
    department = window.document.report.departments[0]
    implicit = department.sections[0]
    assert not window.tree_model.index_of(implicit.id).isValid()
    assert not window.tree_model.index_of(implicit.items[0].id).isValid()
    assert window.tree_model.index_of(department.id).isValid()
    # going to an entry of another 業務 selects that 業務 in the tree (its implicit 目 is not there)
    other = window.document.report.departments[1]
    window.go_to(other.sections[0].items[0].entries[0].id, "budget")
    assert window.tree.current_node_id() == other.id
    window.go_to(department.sections[0].items[0].entries[1].id, "budget")
    assert window.table.currentIndex().row() == 1 and window.table.currentIndex().column() == column_of(window, "budget")
    assert window.tree.current_node_id() == department.id


def test_a_number_typed_by_habit_in_the_narrative_becomes_the_level(qtbot, tmp_path):
    """「(一)辦理…」 typed into 內容: the (一) is not kept in the text, the row goes to level 2 —
    as a typed 1. or (1) becomes the level in the default 辦理情形."""
    path = tmp_path / "n.awr"
    ReportDocument.create(path, narrative_report()).close()
    window = open_window(qtbot, path)
    model = window.table_model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "一、里鄰管理")
    item = window.document.report.departments[0].sections[0].items[0]
    type_in_cell(qtbot, window, row, 0, "（二）里鄰長研習")
    assert (item.entries[0].level, item.entries[0].text) == (2, "里鄰長研習")
    assert window.undo_stack.undoText() == "修改內容"
    window.act_undo.trigger()  # text and level back in one step
    assert (item.entries[0].level, item.entries[0].text) == (1, "里鄰管理")
    type_in_cell(qtbot, window, row, 0, "1.5 倍的人參加")  # not a number: kept as typed
    assert (item.entries[0].level, item.entries[0].text) == (1, "1.5 倍的人參加")


def test_lines_pasted_from_word_into_the_narrative_keep_their_numbers_as_levels(qtbot, tmp_path):
    """Word lines 「一、… (一)… 1.…」 pasted onto 內容: one row each, the typed numbers become the
    levels (as typing does), one undo step."""
    path = tmp_path / "n.awr"
    ReportDocument.create(path, narrative_report()).close()
    window = open_window(qtbot, path)
    model = window.table_model
    item = window.document.report.departments[0].sections[0].items[1]  # 乙、宗教禮俗業務
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "一、寺廟登記")
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(row, 0))
    QApplication.clipboard().setText("二、祭祀公業\n（一）輔導申報 3 件。\n1.完成清理。\n")
    steps = window.undo_stack.count()
    window.actions_by_name["paste"].trigger()
    assert window.undo_stack.count() == steps + 1
    assert [(e.level, e.text) for e in item.entries] == [(1, "祭祀公業"), (2, "輔導申報 3 件。"), (3, "完成清理。")]
    window.act_undo.trigger()
    assert [(e.level, e.text) for e in item.entries] == [(1, "寺廟登記"), (2, "輔導寺廟辦理登記 5 件。")]
