"""Import preview dialog and last year's entries, with qtbot and qtmodeltester."""
from __future__ import annotations

import os

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

import gui_helpers  # noqa: F401  (offscreen)
from app.exporters import export
from app.model import Entry
from app.rollover import next_year
from ui.application import make_application
from ui.dialogs.import_preview import DepartmentCountsModel, ImportPreviewDialog, ImportWarningsModel
from ui.panels.previous_year import PreviousEntriesModel, PreviousYearWidget


def open_dialog(qtbot, path):
    make_application()
    dialog = ImportPreviewDialog(path)
    qtbot.addWidget(dialog)
    return dialog


def cells(model):
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_preview_counts_and_ok_returns_the_report(qtbot, sample, tmp_path, qtmodeltester):
    source = tmp_path / "sample.xlsx"
    export(sample, "xlsx", source)
    before = set(os.listdir(tmp_path))
    dialog = open_dialog(qtbot, source)
    qtmodeltester.check(dialog.counts_model)
    qtmodeltester.check(dialog.warnings_model)
    assert cells(dialog.counts_model)[0] == ["民政部門", 9, sum(len(s.items) for s in sample.departments[0].sections),
                                           sum(1 for _ in sample.departments[0].entries())]
    assert dialog.counts_model.rowCount() == 7
    assert dialog.warnings_model.rowCount() == 0 and "沒有需要留意" in dialog.warnings_label.text()
    assert dialog.office_edit.text() == "嘉義市東區區公所" and dialog.year_spin.value() == 109
    assert "377 筆辦理情形" in dialog.summary.text()
    assert dialog.ok_button.isEnabled()
    dialog.office_edit.setText("嘉義市西區區公所")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    report = dialog.report()
    assert report is not None and report.office == "嘉義市西區區公所" and report.counts()["entry"] == 377
    assert set(os.listdir(tmp_path)) == before  # the dialog writes nothing


def test_cancel_returns_nothing_and_writes_nothing(qtbot, small, tmp_path):
    source = tmp_path / "small.docx"
    export(small, "docx", source)
    before = set(os.listdir(tmp_path))
    dialog = open_dialog(qtbot, source)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.report() is None
    assert set(os.listdir(tmp_path)) == before


def test_warnings_are_listed_with_their_location(qtbot, tmp_path, qtmodeltester):
    import docx

    document = docx.Document()
    document.add_paragraph("110 年度工作總報告")
    document.add_paragraph("社建部門")
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ("項", "目", "辦理情形", "完成程度")):
        cell.text = text
    table.rows[1].cells[2].text = "沒有目的文字。"
    for cell, text in zip(table.rows[2].cells, ("一、社政", "(一)救助", "1.發放。", "持續中")):
        cell.text = text
    source = tmp_path / "warn.docx"
    document.save(source)
    dialog = open_dialog(qtbot, source)
    qtmodeltester.check(dialog.warnings_model)
    rows = cells(dialog.warnings_model)
    assert ["第 1 個表格第 2 列", next(m for _, m in rows if "沒有目的文字" in m)] in rows
    assert any(location == "第 1 個表格第 3 列" and "持續中" in message for location, message in rows)
    assert any(location == "（整個檔案）" and "機關名稱" in message for location, message in rows)
    assert "需要留意的地方（3 項）" in dialog.warnings_label.text()
    assert dialog.ok_button.isEnabled()  # warnings do not stop an import


def test_a_missing_year_must_be_typed_before_ok(qtbot, tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("項", "目", "辦理情形")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("一、一般民政", "(一)選舉業務", "1.辦理選舉。")):
        cell.text = text
    source = tmp_path / "noyear.docx"
    document.save(source)
    dialog = open_dialog(qtbot, source)
    assert dialog.year_spin.value() == 0 and not dialog.ok_button.isEnabled()
    dialog.year_spin.setValue(112)
    dialog.office_edit.setText("測試區公所")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    report = dialog.report()
    assert (report.roc_year, report.office) == (112, "測試區公所")


def test_a_refused_file_shows_its_message(qtbot, tmp_path):
    source = tmp_path / "random.docx"
    source.write_bytes(os.urandom(2048))
    dialog = open_dialog(qtbot, source)
    assert not dialog.ok_button.isEnabled()
    assert "不是 Word/Excel/ODF 檔案或檔案已損壞" in dialog.summary.text()
    assert "random.docx" in dialog.summary.text()
    dialog.ok_button.click()
    assert dialog.report() is None


def test_json_preview(qtbot, small, tmp_path):
    source = tmp_path / "small.json"
    export(small, "json", source)
    dialog = open_dialog(qtbot, source)
    assert cells(dialog.counts_model) == [["民政部門", 1, 2, 5], ["行政部門", 1, 1, 1]]
    dialog.ok_button.click()
    assert dialog.report().office == "測試區公所"


def test_empty_models_pass_the_model_tester(qtmodeltester):
    make_application()
    qtmodeltester.check(DepartmentCountsModel())
    qtmodeltester.check(ImportWarningsModel())
    qtmodeltester.check(PreviousEntriesModel())


# --- last year's entries ---------------------------------------------------------------

def test_previous_year_widget_shows_and_copies(qtbot, small, qtmodeltester):
    make_application()
    following = next_year(small)
    item = following.departments[0].sections[0].items[0]
    widget = PreviousYearWidget()
    qtbot.addWidget(widget)
    widget.show_item(following, item.id)
    qtmodeltester.check(widget.model)
    assert "112 年度" in widget.title.text()
    assert cells(widget.model) == [
        ["1.", "辦理里長補選。", "100%", ""],
        ["(1)", "　東區。", "", ""],
        ["(2)", "　西區。", "", ""],
        ["2.", "辦理總統選舉。", "80%", "持續辦理"],
    ]
    # read-only
    index = widget.model.index(0, 1)
    assert not widget.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not widget.model.setData(index, "改了", Qt.ItemDataRole.EditRole)
    assert not widget.copy_button.isEnabled()

    copied: list[Entry] = []
    widget.copy_requested.connect(copied.append)
    widget.view.selectionModel().select(
        widget.model.index(3, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    assert widget.copy_button.isEnabled()
    qtbot.mouseClick(widget.copy_button, Qt.MouseButton.LeftButton)
    assert len(copied) == 1
    entry = copied[0]
    original = following.previous_entries[item.id][3]
    # last year's percentage is not this year's: the completion is left empty (issue 15)
    assert (entry.level, entry.text, entry.completion, entry.remark) == (1, "辦理總統選舉。", None, "持續辦理")
    assert entry.id != original.id
    assert item.entries == []  # the widget never edits the report


def test_previous_year_widget_for_a_new_item_and_no_item(qtbot, small):
    make_application()
    following = next_year(small)
    widget = PreviousYearWidget()
    qtbot.addWidget(widget)
    widget.show_item(following, "a-new-item-id")
    assert widget.model.rowCount() == 0 and "沒有" in widget.empty_label.text()
    widget.show_item(following, None)
    assert widget.model.rowCount() == 0 and not widget.copy_button.isEnabled()
    widget.show_item(following, following.departments[1].sections[0].items[0].id)
    assert cells(widget.model) == [["", "依規定用印。", "100%", ""]]


def test_previous_year_widget_resets_selection_on_new_item(qtbot, small):
    make_application()
    following = next_year(small)
    widget = PreviousYearWidget()
    qtbot.addWidget(widget)
    widget.show_item(following, following.departments[0].sections[0].items[0].id)
    widget.view.selectRow(0)
    assert widget.copy_button.isEnabled()
    widget.show_item(following, following.departments[0].sections[0].items[1].id)
    assert not widget.copy_button.isEnabled()
