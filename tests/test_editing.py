"""The rules of editing (app/editing.py) and of the clipboard (app/clipboard.py), without Qt."""
from __future__ import annotations

import datetime

import pytest

from app.clipboard import entries_from_records, is_single_value, parse_clipboard, paste_down, paste_entries, to_clipboard_text
from app.editing import (
    current_roc_year,
    entry_text_operation,
    fill_down_operation,
    has_entries,
    insert_after_selection,
    insertion_point,
    move_operation,
    new_entry_position,
    new_report,
    parse_completion,
    title_operation,
)
from app.model import Department, Entry, Item, Section
from app.operations import Batch, InsertNode, SetField


@pytest.mark.parametrize("typed, value", [
    ("100", 100), ("100%", 100), (" 80 ％", 80), ("１００", 100), ("０％", 0), ("", None), ("  ", None),
    (None, None), (55, 55), (0, 0),
])
def test_parse_completion_reads_what_people_type(typed, value):
    assert parse_completion(typed) == value


@pytest.mark.parametrize("typed", ["101", "150%", "-1", "八十", "80.5", "abc", 101, True])
def test_parse_completion_refuses_the_rest(typed):
    with pytest.raises(ValueError):
        parse_completion(typed)


def test_excel_block_with_in_cell_line_breaks_stays_one_entry_per_row():
    text = '辦理甲案\t100%\t\r\n"辦理乙案\r\n第二行"\t80\t持續辦理\r\n'
    assert parse_clipboard(text) == [["辦理甲案", "100%", ""], ["辦理乙案\n第二行", "80", "持續辦理"]]


def test_word_lines_become_one_row_each_and_blank_lines_go():
    assert parse_clipboard("1. 第一\n\n（2）第二\r\n") == [["1. 第一"], ["（2）第二"]]
    assert is_single_value(parse_clipboard("只有一格\n"))
    assert not is_single_value(parse_clipboard("一\n二"))


def test_entries_from_records_take_level_from_typed_numbering():
    entries = entries_from_records([["1. 甲", "100%", "備"], ["(1) 乙"], ["丙"], ["", "50"]], level=0)
    assert [(e.level, e.text, e.completion, e.remark) for e in entries] == [
        (1, "甲", 100, "備"), (2, "乙", None, ""), (0, "丙", None, "")]
    with pytest.raises(ValueError):
        entries_from_records([["甲", "150"]], level=0)


def test_paste_entries_goes_after_the_entry_and_replaces_an_empty_one(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    first = item.entries[0]
    paste = paste_entries(item, first, [["新甲"], ["新乙"]])
    small_doc.apply(paste.operation)
    assert [e.text for e in item.entries[:3]] == ["辦理里長補選。", "新甲", "新乙"]
    assert paste.operation.label == "貼上 2 筆辦理情形"
    # a fresh empty entry is replaced by what is pasted into it
    empty = Entry(level=1, text="")
    small_doc.apply(InsertNode(item.id, 0, empty))
    small_doc.apply(paste_entries(item, empty, [["取代"]]).operation)
    assert item.entries[0].text == "取代" and empty.id not in {e.id for e in item.entries}
    assert paste_entries(item, None, [["", ""]]) is None


def test_paste_down_fills_consecutive_entries(small_doc):
    entries = small_doc.report.departments[0].sections[0].items[0].entries
    batch = paste_down(entries, [["10"], ["20%"], ["30"]], column=1)
    small_doc.apply(batch)
    assert [e.completion for e in entries[:3]] == [10, 20, 30]
    assert paste_down(entries, [["10"]], column=1) is None  # no change, no undo step
    small_doc.apply(paste_down(entries, [[" 甲 "]], column=2))
    assert entries[0].remark == "甲"


def test_copy_text_round_trips_through_parse():
    rows = [["一", "二\n行"], ["三", "100%"]]
    assert parse_clipboard(to_clipboard_text(rows)) == rows


def test_typed_titles_lose_numbering_and_no_ops_are_none(small_doc):
    department = small_doc.report.departments[0]
    assert title_operation(department, "name", "壹、民政部門") is None
    op = title_operation(department, "name", "貳、 社會部門 ")
    assert isinstance(op, SetField) and op.value == "社會部門"


def test_typing_into_an_entry_sets_level_and_text_in_one_step(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    entry = item.entries[0]
    op = entry_text_operation(item, entry, "(1) 改為子項")
    assert isinstance(op, Batch) and op.label == "修改辦理情形"
    small_doc.apply(op)
    assert (entry.level, entry.text) == (2, "改為子項")
    assert entry_text_operation(item, entry, "(1) 改為子項") is None
    empty = Item(title="空目")
    insert = entry_text_operation(empty, None, "第一筆")
    assert isinstance(insert, InsertNode) and insert.node.level == 1 and insert.node.text == "第一筆"
    assert entry_text_operation(empty, None, "  ") is None


def test_new_entry_position_beside_the_current_entry(small):
    item = small.departments[0].sections[0].items[0]
    assert new_entry_position(item, item.entries[1], after=True) == (2, 2)
    assert new_entry_position(item, item.entries[1], after=False) == (1, 2)
    assert new_entry_position(Item(title="x", numbered=False), None) == (0, 0)


def test_new_nodes_go_after_the_selection_or_at_the_end_of_the_parent(small_doc):
    report = small_doc.report
    first, second = report.departments
    section = first.sections[0]
    item = section.items[0]
    # a department after the selected department, whatever is selected inside it
    assert insertion_point(small_doc, item.entries[0], "department") == (report, 1)
    assert insertion_point(small_doc, None, "department") == (report, 2)
    # a 項 at the end of the selected department, or after the selected 項
    assert insertion_point(small_doc, second, "section") == (second, 1)
    assert insertion_point(small_doc, item, "section") == (first, 1)
    # a 目 needs a 項 around the selection
    assert insertion_point(small_doc, item, "item") == (section, 1)
    assert insertion_point(small_doc, first, "item") is None
    op = insert_after_selection(small_doc, item, Item(title="新目"))
    small_doc.apply(op)
    assert [i.title for i in section.items] == ["選舉業務", "新目", "民防團業務"]


def test_moves_stop_at_either_end_and_fill_down(small_doc):
    entries = small_doc.report.departments[0].sections[0].items[0].entries
    assert move_operation(small_doc, entries[0], -1) is None
    small_doc.apply(move_operation(small_doc, entries[0], 1))
    assert entries[1].text == "辦理里長補選。"
    assert fill_down_operation(entries[:1]) is None
    small_doc.apply(fill_down_operation([entries[3], entries[0], entries[1]]))
    assert entries[0].completion == entries[1].completion == 80


def test_has_entries_and_new_report_defaults(small):
    assert has_entries(small.departments[0]) and not has_entries(Department(name="空", sections=[Section(title="空")]))
    report = new_report(" 東區區公所 ", 113)
    assert (report.office, report.roc_year, report.published_roc_year, report.published_month) == ("東區區公所", 113, 114, 3)
    assert [d.name for d in report.departments] == ["新部門"]
    assert current_roc_year(datetime.date(2024, 5, 1)) == 113




def test_several_selected_entries_move_delete_and_change_level_in_one_step():
    from app.editing import delete_entries_operation, level_operation, move_entries_operation
    from app.operations import DeleteNode, MoveNode

    a, b, c, d = (Entry(level=1, text=t) for t in "abcd")
    item = Item(title="目", entries=[a, b, c, d])

    def after(op):
        order = list(item.entries)
        for step in (op.operations if isinstance(op, Batch) else [op]):
            assert isinstance(step, MoveNode) and step.new_parent_id == item.id
            node = next(e for e in order if e.id == step.node_id)
            order.remove(node)
            order.insert(step.new_index, node)
        return "".join(e.text for e in order)

    assert after(move_entries_operation(item, [b, c], -1)) == "bcad"  # a block keeps its order
    assert after(move_entries_operation(item, [b, c], 1)) == "adbc"
    assert after(move_entries_operation(item, [a, c], 1)) == "badc"  # each selected one moves
    assert move_entries_operation(item, [a, b], -1) is None  # already at the top: nothing, no undo step
    assert move_entries_operation(item, [d], 1) is None
    assert isinstance(delete_entries_operation([b]), DeleteNode)
    batch = delete_entries_operation([b, d])
    assert isinstance(batch, Batch) and batch.label == "刪除 2 筆辦理情形" and len(batch.operations) == 2
    assert delete_entries_operation([]) is None
    b.level = 2
    levels = level_operation([a, b, c], 1)  # b is at the deepest level already
    assert isinstance(levels, Batch) and [s.node_id for s in levels.operations] == [a.id, c.id]
    assert level_operation([b], 1) is None
