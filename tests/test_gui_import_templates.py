"""The import preview of files in another template's layout (issue 19): the template's name, counts by
its own level names, every warning with its place; 匯入 hands back the report in that template."""
from __future__ import annotations

from PySide6.QtCore import Qt

import gui_helpers  # noqa: F401  (offscreen)
from test_import_templates import build_budget_word, build_kpi_excel
from ui.application import make_application
from ui.dialogs.import_preview import ImportPreviewDialog


def cells(model):
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def headers(model):
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def open_dialog(qtbot, path):
    make_application()
    dialog = ImportPreviewDialog(path)
    qtbot.addWidget(dialog)
    return dialog


def test_budget_preview_counts_by_the_templates_levels_and_ok(qtbot, tmp_path, qtmodeltester):
    path = tmp_path / "budget.docx"
    build_budget_word(path, bad_values=True)
    dialog = open_dialog(qtbot, path)
    qtmodeltester.check(dialog.counts_model)
    assert "範本「重要施政項目（預算執行）」：2 個業務、3 列" in dialog.summary.text()
    assert headers(dialog.counts_model) == ["業務", "列"]
    assert cells(dialog.counts_model) == [["民政業務", "2"], ["社會業務", "1"]]
    assert dialog.counts_label.text() == "各業務的內容"
    assert dialog.warnings_model.rowCount() == 3 and "需要留意的地方（3 項）" == dialog.warnings_label.text()
    assert cells(dialog.warnings_model)[0][0] == "第 1 個表格第 5 列"
    assert (dialog.office_edit.text(), dialog.year_spin.value()) == ("嘉義市東區區公所", 113)
    dialog.resize(760, 520)
    dialog.grab().save(str(tmp_path / "preview.png"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    report = dialog.report()
    assert report is not None and report.template.name == "重要施政項目（預算執行）"


def test_kpi_preview(qtbot, tmp_path):
    path = tmp_path / "kpi.xlsx"
    build_kpi_excel(path)
    dialog = open_dialog(qtbot, path)
    assert "範本「施政績效（衡量指標）」：2 個業務、3 個策略績效目標、4 列" in dialog.summary.text()
    assert headers(dialog.counts_model) == ["業務", "策略績效目標", "列"]
    assert cells(dialog.counts_model) == [["便民服務", "2", "3"], ["區政建設", "1", "1"]]
    assert "沒有需要留意" in dialog.warnings_label.text()
