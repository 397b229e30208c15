"""Reversible operations: apply, revert, and the file following along."""
from __future__ import annotations

import pytest

from app.errors import ReportError
from app.interchange import report_to_dict
from app.model import Entry, Item, Section
from app.operations import Batch, DeleteNode, InsertNode, MoveNode, SetField


def _on_disk(doc):
    return report_to_dict(doc.repo.load())


def _roundtrip(doc, operation):
    before = report_to_dict(doc.report)
    doc.apply(operation)
    after = report_to_dict(doc.report)
    assert after != before
    assert _on_disk(doc) == after
    doc.revert(operation)
    assert report_to_dict(doc.report) == before
    assert _on_disk(doc) == before
    doc.apply(operation)  # redo
    assert report_to_dict(doc.report) == after
    assert _on_disk(doc) == after


def test_set_field(small_doc):
    entry = small_doc.report.departments[0].sections[0].items[0].entries[0]
    op = SetField(entry.id, "text", "新內容")
    _roundtrip(small_doc, op)
    assert op.label == "修改辦理情形"


def test_set_completion_accepts_none_and_refuses_out_of_range(small_doc):
    entry = small_doc.report.departments[0].sections[0].items[0].entries[0]
    small_doc.apply(SetField(entry.id, "completion", None))
    assert entry.completion is None
    for bad in (101, -1, "50", 3.5, True):
        with pytest.raises(ReportError):
            small_doc.apply(SetField(entry.id, "completion", bad))


def test_insert_entry_in_the_middle_keeps_order(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    new = Entry(level=1, text="插入")
    op = InsertNode(item.id, 1, new)
    _roundtrip(small_doc, op)
    assert [e.text for e in small_doc.repo.load().departments[0].sections[0].items[0].entries][1] == "插入"
    assert op.label == "新增辦理情形"


def test_delete_item_with_entries_and_undo_restores_everything(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    _roundtrip(small_doc, DeleteNode(item.id))


def test_insert_whole_section(small_doc):
    department = small_doc.report.departments[1]
    section = Section(title="新項", items=[Item(title="新目", entries=[Entry(text="甲"), Entry(level=2, text="乙")])])
    _roundtrip(small_doc, InsertNode(department.id, 0, section))


def test_move_entry_within_item_and_to_another_item(small_doc):
    items = small_doc.report.departments[0].sections[0].items
    first = items[0].entries[3]
    _roundtrip(small_doc, MoveNode(first.id, items[0].id, 0))
    _roundtrip(small_doc, MoveNode(items[0].entries[1].id, items[1].id, 1))


def test_move_department(small_doc):
    report = small_doc.report
    _roundtrip(small_doc, MoveNode(report.departments[1].id, report.id, 0))
    assert small_doc.repo.load().departments[0].name == "行政部門"


def test_move_to_a_wrong_kind_of_parent_is_refused(small_doc):
    report = small_doc.report
    entry = report.departments[0].sections[0].items[0].entries[0]
    with pytest.raises(ReportError):
        small_doc.apply(MoveNode(entry.id, report.departments[0].id, 0))


def test_batch_is_one_step(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    op = Batch([InsertNode(item.id, 0, Entry(text="一")), InsertNode(item.id, 1, Entry(text="二"))], label="貼上")
    _roundtrip(small_doc, op)


def test_listeners_hear_every_change(small_doc):
    heard = []
    small_doc.subscribe(lambda changes: heard.append((changes.operation.label, changes.undone)))
    entry = small_doc.report.departments[0].sections[0].items[0].entries[0]
    op = SetField(entry.id, "remark", "說明")
    small_doc.apply(op)
    small_doc.revert(op)
    assert heard == [("修改備註", False), ("修改備註", True)]


def test_operation_on_a_deleted_node_is_refused_cleanly(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    entry_id = item.entries[0].id
    small_doc.apply(DeleteNode(item.id))
    with pytest.raises(ReportError):
        small_doc.apply(SetField(entry_id, "text", "x"))
