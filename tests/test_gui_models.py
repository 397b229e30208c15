"""Every item model passes Qt's model tester (pytest-qt's qtmodeltester)."""
from __future__ import annotations

import gui_helpers  # noqa: F401  (offscreen)
from app.search import search
from app.validate import check
from ui.panels.problems import ProblemsModel
from ui.panels.search import SearchResultsModel
from ui.table.model import DepartmentTableModel
from ui.tree.model import ReportTreeModel


def test_tree_model(qtmodeltester, sample_doc):
    model = ReportTreeModel(sample_doc)
    qtmodeltester.check(model)
    report_index = model.index(0, 0)
    assert model.rowCount(report_index) == 7
    department = model.index(2, 0, report_index)
    assert model.data(department) == "參、兵役部門"
    item = model.index(1, 0, model.index(1, 0, department))
    assert model.data(item) == "(二) 徵兵檢查作業"


def test_table_model(qtmodeltester, sample_doc):
    model = DepartmentTableModel()
    model.show_department(sample_doc, sample_doc.report.departments[0].id)
    qtmodeltester.check(model)
    assert model.rowCount() == 88
    assert model.data(model.index(0, 3)) == "1. 1月4日辦理嘉義市第十屆東區朝陽里里長補選。"
    assert model.data(model.index(0, 4)) == "100%"
    assert model.data(model.index(0, 0)) == "壹、民政部門"
    spans = model.spans()
    assert (0, 0, 88, 1) in spans  # 類 down the whole department
    assert (0, 2, 4, 1) in spans  # (一) 選舉業務 over its 4 entries


def test_table_model_with_placeholder_rows(qtmodeltester, small_doc):
    from app.operations import DeleteNode

    item = small_doc.report.departments[0].sections[0].items[1]
    small_doc.apply(DeleteNode(item.entries[0].id))
    model = DepartmentTableModel()
    model.show_department(small_doc, small_doc.report.departments[0].id)
    qtmodeltester.check(model)
    assert model.data(model.index(model.rowCount() - 1, 2)) == "民防團業務"
    assert model.data(model.index(model.rowCount() - 1, 3)) == ""


def test_list_models(qtmodeltester, sample):
    problems = ProblemsModel()
    sample.departments[0].sections[0].items[0].entries[0].text = ""
    problems.set_items(check(sample))
    qtmodeltester.check(problems)
    assert problems.rowCount() == 1
    hits = SearchResultsModel()
    hits.set_items(search(sample, "里長"))
    qtmodeltester.check(hits)
    assert hits.rowCount() > 5


def test_the_completion_editor_accepts_what_parse_completion_reads():
    from PySide6.QtGui import QValidator

    from ui.table.delegates import CompletionValidator

    validator = CompletionValidator()
    for text in ("", "0", "95", "100", "100%", "８０％", " 5 "):
        assert validator.validate(text, len(text))[0] == QValidator.State.Acceptable, text
    # Not swallowed while typing (150 shows as typed); Enter / Tab refuse it visibly (test_gui_keys.py).
    for text in ("101", "150", "-1", "八十", "a"):
        assert validator.validate(text, len(text))[0] == QValidator.State.Intermediate, text
