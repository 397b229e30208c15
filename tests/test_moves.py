"""Moving nodes to another parent (app/editing.py): where they may go, what a multi-selection
moves, one undo step, Alt+Up/Down across 項 and 目 — without Qt."""
from __future__ import annotations

import pytest

from app.editing import (
    MoveRefused,
    move_destination,
    move_nodes_operation,
    move_operation,
    move_stop_reason,
    move_to_target_operation,
    moved_selection,
)
from app.errors import ReportError
from app.model import Entry, Item, Section
from app.operations import Batch, InsertNode, SetField


@pytest.fixture
def doc(small_doc):
    """民政部門 gets a second 項 「民防」 with one 目 「民防演練」 (one entry)."""
    department = small_doc.report.departments[0]
    small_doc.apply(InsertNode(department.id, 1, Section(title="民防", items=[
        Item(title="民防演練", entries=[Entry(level=1, text="辦理演練。")])])))
    return small_doc


def _texts(item):
    return [e.text for e in item.entries]


def test_cut_entries_pasted_on_another_item_move_there_keeping_ids(doc):
    first, second = doc.report.departments[0].sections[0].items
    moved = [first.entries[3], first.entries[0]]  # selected out of order
    ids = {e.id for e in moved}
    op = move_to_target_operation(doc, moved, second)  # a 目 selected: at its end
    assert isinstance(op, Batch) and op.label == "移動 2 筆辦理情形"
    doc.apply(op)
    assert _texts(second) == ["隨時補充隊員。", "辦理里長補選。", "辦理總統選舉。"]
    assert {e.id for e in second.entries[1:]} == ids
    assert _texts(first) == ["東區。", "西區。"]
    doc.revert(op)  # one undo step puts everything back
    assert _texts(first) == ["辦理里長補選。", "東區。", "西區。", "辦理總統選舉。"]
    assert _texts(second) == ["隨時補充隊員。"]


def test_pasted_on_an_entry_they_go_after_it_and_across_departments(doc):
    first = doc.report.departments[0].sections[0].items[0]
    other = doc.report.departments[1].sections[0].items[0]
    op = move_to_target_operation(doc, [first.entries[1], first.entries[2]], other.entries[0])
    doc.apply(op)
    assert _texts(other) == ["依規定用印。", "東區。", "西區。"]
    assert doc.department_of(other.entries[1].id).name == "行政部門"


def test_within_one_parent_the_block_goes_before_the_given_child(doc):
    item = doc.report.departments[0].sections[0].items[0]
    a, b, c, d = item.entries
    doc.apply(move_nodes_operation(doc, [a, b], item, 4))
    assert item.entries == [c, d, a, b]
    doc.apply(move_nodes_operation(doc, [d, b], item, 0))
    assert item.entries == [d, b, c, a]
    assert move_nodes_operation(doc, [d, b], item, 0) is None  # already there
    assert move_nodes_operation(doc, [b], item, 2) is None  # dropped on its own gap
    assert move_to_target_operation(doc, [b], b) is None  # pasted onto itself


def test_items_go_to_another_section_and_sections_to_another_department(doc):
    first_section, second_section = doc.report.departments[0].sections
    item = first_section.items[1]
    op = move_to_target_operation(doc, [item], second_section)
    assert op.label == "移動目"
    doc.apply(op)
    assert [i.title for i in second_section.items] == ["民防演練", "民防團業務"]
    # onto a 目 (or an entry of it): right after that 目
    doc.apply(move_to_target_operation(doc, [item], first_section.items[0].entries[2]))
    assert [i.title for i in first_section.items] == ["選舉業務", "民防團業務"]
    other_department = doc.report.departments[1]
    doc.apply(move_to_target_operation(doc, [second_section], other_department))
    assert [s.title for s in other_department.sections] == ["一般行政", "民防"]
    assert doc.department_of(second_section.items[0].entries[0].id) is other_department


def test_where_a_moved_node_may_not_go(doc):
    department = doc.report.departments[0]
    section = department.sections[0]
    item = section.items[0]
    with pytest.raises(MoveRefused, match="目只能移到項之下"):
        move_destination(doc, "item", department)
    with pytest.raises(MoveRefused, match="辦理情形只能移到目之下"):
        move_to_target_operation(doc, [item.entries[0]], section)
    with pytest.raises(MoveRefused, match="同一層"):
        moved_selection(doc, [item, item.entries[0], section.items[1].entries[0]])
    with pytest.raises(MoveRefused, match="目只能移到項之下"):
        move_nodes_operation(doc, [item], item, 0)
    assert move_to_target_operation(doc, [item], item.entries[1]) is None  # onto its own entry: stays
    with pytest.raises(MoveRefused):
        moved_selection(doc, [doc.report])
    # an entry inside a selected 目 goes with its 目
    assert moved_selection(doc, [item.entries[0], item]) == [item]


def test_an_approved_item_refuses_moves_in_out_and_of_itself_and_nothing_changes(doc):
    first, second = doc.report.departments[0].sections[0].items
    other_section = doc.report.departments[0].sections[1]
    doc.apply(SetField(second.id, "status", "approved"))
    before = [(i.title, _texts(i)) for s in doc.report.departments[0].sections for i in s.items]
    for op in (move_to_target_operation(doc, [first.entries[0]], second),
               move_to_target_operation(doc, [second.entries[0]], first),
               move_to_target_operation(doc, [second], other_section),
               move_to_target_operation(doc, [first.entries[0], first.entries[3]], second.entries[0])):
        with pytest.raises(ReportError, match="「民防團業務」已核定"):
            doc.apply(op)
    assert [(i.title, _texts(i)) for s in doc.report.departments[0].sections for i in s.items] == before
    # within its own 項 it may still change place (Alt+Up among siblings)
    doc.apply(move_operation(doc, second, -1))
    assert doc.report.departments[0].sections[0].items[0] is second


def test_alt_up_on_the_first_item_of_a_section_goes_to_the_end_of_the_previous_one(doc):
    first_section, second_section = doc.report.departments[0].sections
    drill = second_section.items[0]
    op = move_operation(doc, drill, -1)
    assert op.label == "移到上一項"
    doc.apply(op)
    assert first_section.items[-1] is drill and second_section.items == []
    doc.apply(move_operation(doc, drill, 1))  # the last one, Alt+Down: start of the next 項
    assert second_section.items == [drill]
    # the first 目 of the department's first 項 stays; the reason is given
    top = first_section.items[0]
    assert move_operation(doc, top, -1) is None
    assert "最上面" in move_stop_reason(doc, top, -1)
    # never into another department
    assert move_operation(doc, drill, 1) is None and "最下面" in move_stop_reason(doc, drill, 1)


def test_alt_up_on_the_first_entry_of_an_item_goes_to_the_end_of_the_previous_item(doc):
    first, second = doc.report.departments[0].sections[0].items
    drill = doc.report.departments[0].sections[1].items[0]
    op = move_operation(doc, second.entries[0], -1)
    assert op.label == "移到上一目"
    doc.apply(op)
    assert _texts(first)[-1] == "隨時補充隊員。" and second.entries == []
    # across a 項 boundary within the department: the last entry down goes to the next 目's start
    moved = first.entries[-1]
    doc.apply(move_operation(doc, moved, 1))  # next 目 is the now empty 民防團業務
    assert second.entries == [moved]
    doc.apply(move_operation(doc, moved, 1))
    assert drill.entries[0] is moved
    assert move_operation(doc, drill.entries[-1], 1) is None
    assert "辦理情形" in move_stop_reason(doc, drill.entries[-1], 1)
    # a 項 stays among its siblings
    assert move_operation(doc, doc.report.departments[0].sections[0], -1) is None


def test_copy_writes_tsv_without_quotes_for_empty_cells_and_an_html_table():
    from app.clipboard import parse_clipboard, to_clipboard_html, to_clipboard_text

    rows = [["辦理甲案", "", "備註"], ["第一行\n第二行", "80%", ""], ['"引號"', "", ""]]
    text = to_clipboard_text(rows)
    assert text == '辦理甲案\t\t備註\n"第一行\n第二行"\t80%\t\n"""引號"""\t\t'
    assert '""\t' not in text.replace('"""', "")
    assert parse_clipboard(text) == rows
    assert to_clipboard_text([[""]]) == ""
    markup = to_clipboard_html(rows)
    assert "<table" in markup and markup.count("<tr>") == 3
    assert "<td>第一行<br>第二行</td><td>80%</td><td></td>" in markup
    assert "<td>&quot;引號&quot;</td>" in markup
