"""The change record: every primitive says what it touched (app/changes.py)."""
from __future__ import annotations

import pytest

from app.document import ReportDocument
from app.edits import Edits
from app.errors import ReportError
from app.model import Entry
from app.operations import DeleteNode, InsertNode, MoveNode, Operation, SetField
from app.review import AddComment, ReviewAction


def _first(doc):
    department = doc.report.departments[0]
    item = department.sections[0].items[0]
    return department, item


def test_a_cell_edit_records_one_entry_field(small_doc):
    department, item = _first(small_doc)
    entry = item.entries[0]
    heard = []
    small_doc.subscribe(heard.append)
    changes = small_doc.apply(SetField(entry.id, "text", "新內容"), source="table")
    assert heard == [changes]
    assert changes.fields == {entry.id: {"text"}}
    assert changes.departments == {department.id}
    assert changes.entry_fields_only() and not changes.tree and not changes.structure
    assert changes.source == "table" and not changes.undone
    assert changes.history == {entry.id, item.id}  # its history row, and its 目's
    undone = small_doc.revert(changes.operation)
    assert undone.undone and undone.fields == {entry.id: {"text"}} and undone.source is None


def test_structure_and_titles_are_told_apart(small_doc):
    department, item = _first(small_doc)
    inserted = small_doc.apply(InsertNode(item.id, 0, Entry(text="一")))
    assert inserted.structure and inserted.parents == {item.id} and not inserted.entry_fields_only()
    title = small_doc.apply(SetField(item.id, "title", "新目"))
    assert title.titles and title.tree and not title.structure
    level = small_doc.apply(SetField(item.entries[0].id, "level", 1))
    assert not level.entry_fields_only()  # numbering and spans follow
    deleted = small_doc.apply(DeleteNode(item.entries[0].id))
    assert deleted.deleted and deleted.departments == {department.id}


def test_a_move_names_both_parents_and_departments(small_doc):
    report = small_doc.report
    assert len(report.departments) >= 2
    source, target = report.departments[0].sections[0], report.departments[1].sections[0]
    item = source.items[0]
    entry = item.entries[0]
    other_item = target.items[0]
    changes = small_doc.apply(MoveNode(entry.id, other_item.id, 0))
    assert changes.moved == {entry.id}
    assert changes.parents == {item.id, other_item.id}
    assert changes.departments == {report.departments[0].id, report.departments[1].id}


def test_review_and_comments_are_recorded(small_doc):
    _, item = _first(small_doc)
    small_doc.person = type(small_doc.person)("主任", "chief")
    submitted = small_doc.apply(ReviewAction(item.id, "submit"))
    assert submitted.review == {item.id} and submitted.tree
    comment = small_doc.apply(AddComment(item.id, "請補充"))
    assert comment.comments == {item.id} and item.id in comment.history
    undone = small_doc.revert(comment.operation)
    assert undone.comments == {item.id}


def test_approval_is_recorded_with_the_review(small_doc):
    department, item = _first(small_doc)
    small_doc.person = type(small_doc.person)("主任", "chief")
    approved = small_doc.apply(ReviewAction(item.id, "approve"))
    assert approved.fields[item.id] == {"status", "approval"}
    assert approved.review == {item.id} and approved.departments == {department.id}
    reopened = small_doc.revert(approved.operation)
    assert reopened.undone and reopened.fields[item.id] == {"status", "approval"}
    assert item.status == "draft" and small_doc.repo.approval(item.id) is None


# --- the edits protocol (app/edits.py): primitives only inside a transaction ---------


class _KeepsItsEdits(Operation):
    """A script's operation, written against the protocol: two fields in one step."""

    label = "兩處修改"

    def __init__(self, entry_id: str):
        self.entry_id = entry_id
        self.kept: Edits | None = None
        self.old: list[object] = []

    def apply(self, edits: Edits) -> None:
        self.kept = edits
        self.old = [edits.set_field(self.entry_id, "text", "甲"), edits.set_field(self.entry_id, "remark", "乙")]

    def revert(self, edits: Edits) -> None:
        edits.set_field(self.entry_id, "remark", self.old[1])
        edits.set_field(self.entry_id, "text", self.old[0])


def test_an_operation_written_against_the_protocol_is_one_change(small_doc):
    _, item = _first(small_doc)
    entry = item.entries[0]
    before = (entry.text, entry.remark)
    operation = _KeepsItsEdits(entry.id)
    changes = small_doc.apply(operation)
    assert changes.fields == {entry.id: {"text", "remark"}} and (entry.text, entry.remark) == ("甲", "乙")
    rows = [r for r in small_doc.history_of(entry.id) if r["action"] == "兩處修改"]
    assert len(rows) == 2  # one history row per primitive, labelled with the operation
    small_doc.revert(operation)
    assert (entry.text, entry.remark) == before


def test_no_primitive_runs_outside_a_transaction(small_doc):
    _, item = _first(small_doc)
    entry = item.entries[0]
    operation = _KeepsItsEdits(entry.id)
    small_doc.apply(operation)
    assert operation.kept is not None
    with pytest.raises(RuntimeError):
        operation.kept.set_field(entry.id, "text", "交易之外")
    with pytest.raises(RuntimeError):
        operation.kept.delete(entry.id)
    assert entry.text == "甲"
    reopened = ReportDocument.open(small_doc.path, read_only=True)
    try:
        assert reopened.node(entry.id).text == "甲"
    finally:
        reopened.close()


def test_a_refused_primitive_leaves_memory_and_file_as_they_were(small_doc):
    _, item = _first(small_doc)
    entry = item.entries[0]
    before = entry.text

    class HalfDone(Operation):
        def apply(self, edits: Edits) -> None:
            edits.set_field(entry.id, "text", "已寫入")
            edits.set_field(entry.id, "no_such_field", 1)

    heard: list = []
    small_doc.subscribe(heard.append)
    with pytest.raises(ReportError):
        small_doc.apply(HalfDone())
    assert entry.text == before and heard == []
    reopened = ReportDocument.open(small_doc.path, read_only=True)
    try:
        assert reopened.node(entry.id).text == before
    finally:
        reopened.close()
