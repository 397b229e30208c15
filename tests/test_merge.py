"""Three-way merge of a work package back into the report (app.merge)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from app.merge import (
    ADD,
    DELETE,
    MODIFY,
    MOVE,
    Change,
    changed_content_ids,
    merge_department,
)
from app.model import Department, Entry, Item, Section, clone_tree
from app.sample import sample_report


# --- helpers ------------------------------------------------------------------


def department() -> Department:
    """民政部門: 一般民政 (選舉業務 e1..e4, 民防團業務 f1), 民政管理 (里長事務費 g1, g2)."""
    return Department(
        id="d",
        name="民政部門",
        sections=[
            Section(
                id="s1",
                title="一般民政",
                items=[
                    Item(
                        id="i1",
                        title="選舉業務",
                        entries=[
                            Entry(id="e1", level=1, text="辦理里長補選。", completion=100),
                            Entry(id="e2", level=2, text="東區。"),
                            Entry(id="e3", level=2, text="西區。"),
                            Entry(id="e4", level=1, text="辦理總統選舉。", completion=80, remark="持續辦理"),
                        ],
                    ),
                    Item(
                        id="i2",
                        title="民防團業務",
                        numbered=False,
                        entries=[Entry(id="f1", level=0, text="隨時補充隊員。", completion=100)],
                    ),
                ],
            ),
            Section(
                id="s2",
                title="民政管理",
                items=[
                    Item(
                        id="i3",
                        title="里長事務費",
                        entries=[
                            Entry(id="g1", level=1, text="按月發給里長事務費。", completion=100),
                            Entry(id="g2", level=1, text="辦理里長研習。", completion=90, remark="延期"),
                        ],
                    )
                ],
            ),
        ],
    )


def three(dept: Department | None = None) -> tuple[Department, Department, Department]:
    dept = dept or department()
    return clone_tree(dept), clone_tree(dept), clone_tree(dept)


def find(dept: Department, node_id: str):
    if dept.id == node_id:
        return dept
    for section in dept.sections:
        if section.id == node_id:
            return section
        for item in section.items:
            if item.id == node_id:
                return item
            for entry in item.entries:
                if entry.id == node_id:
                    return entry
    return None


def parent_of(dept: Department, node_id: str):
    for node in [dept, *dept.sections, *(i for s in dept.sections for i in s.items)]:
        if any(child.id == node_id for child in node.children):
            return node
    return None


def detach(dept: Department, node_id: str):
    parent = parent_of(dept, node_id)
    node = find(dept, node_id)
    parent.children.remove(node)
    return node


def move(dept: Department, node_id: str, new_parent_id: str, index: int | None = None) -> None:
    node = detach(dept, node_id)
    children = find(dept, new_parent_id).children
    children.insert(len(children) if index is None else index, node)


def snapshot(node) -> tuple:
    """Everything the merge cares about, as nested tuples (ids, fields, order)."""
    return (
        node.id,
        tuple((name, getattr(node, name)) for name in node.FIELDS),
        tuple(snapshot(child) for child in node.children),
    )


def ids(node) -> list[str]:
    return [child.id for child in node.children]


def actions(changes: list[Change]) -> Counter:
    return Counter(change.action for change in changes)


def all_ids(dept: Department) -> list[str]:
    out = [dept.id]
    for section in dept.sections:
        out.append(section.id)
        for item in section.items:
            out.append(item.id)
            out.extend(entry.id for entry in item.entries)
    return out


# --- one side, both sides the same --------------------------------------------


def test_package_only_changes_are_taken():
    base, package, report = three()
    find(package, "e1").text = "辦理里長補選及罷免。"
    find(package, "e4").completion = 100
    find(package, "e4").remark = ""
    find(package, "i1").title = "選舉及罷免業務"
    find(package, "i1").status = "submitted"
    find(package, "s2").title = "里鄰管理"
    package.name = "民政課"

    result = merge_department(base, package, report)

    assert result.conflicts == [] and result.unresolved == []
    assert snapshot(result.merged) == snapshot(package)
    assert actions(result.changes) == {MODIFY: 7}
    by_field = {(c.node_id, c.field): (c.before, c.after) for c in result.changes}
    assert by_field[("e4", "completion")] == (80, 100)
    assert by_field[("i1", "status")] == ("draft", "submitted")
    assert by_field[("d", "name")] == ("民政部門", "民政課")


def test_report_only_changes_are_kept_and_change_nothing():
    base, package, report = three()
    find(report, "e2").text = "東區（含補選）。"
    find(report, "g2").completion = 100
    report.sections[0].items.reverse()
    detach(report, "f1")

    result = merge_department(base, package, report)

    assert result.conflicts == []
    assert snapshot(result.merged) == snapshot(report)
    assert result.changes == []


def test_same_change_on_both_sides_is_no_conflict():
    base, package, report = three()
    for side in (package, report):
        find(side, "e1").text = "同一修改。"
        find(side, "e4").completion = 95
        move(side, "g2", "i1")
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert snapshot(result.merged) == snapshot(report)
    assert result.changes == []


def test_merged_is_a_new_tree_and_inputs_are_untouched():
    base, package, report = three()
    find(package, "e1").text = "改。"
    detach(package, "g1")
    find(report, "e2").text = "也改。"
    before = [snapshot(d) for d in (base, package, report)]
    result = merge_department(base, package, report)
    assert [snapshot(d) for d in (base, package, report)] == before
    originals = {id(n) for d in (base, package, report) for n in _walk(d)}
    assert not any(id(n) in originals for n in _walk(result.merged))


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


# --- field conflicts -----------------------------------------------------------

FIELD_CASES = [
    ("e1", "text", "工作包版本。", "報告版本。"),
    ("e4", "completion", 90, 85),
    ("e4", "remark", "工作包備註", "報告備註"),
    ("e2", "level", 1, 0),
    ("i1", "title", "選舉業務（工作包）", "選舉業務（報告）"),
    ("i1", "status", "submitted", "approved"),
    ("i2", "numbered", True, True),  # same change: no conflict (checked below)
    ("s1", "title", "民政（工作包）", "民政（報告）"),
    ("d", "name", "民政課", "民政室"),
]


@pytest.mark.parametrize("node_id,name,package_value,report_value", FIELD_CASES)
@pytest.mark.parametrize("prefer", ["package", "report", None])
def test_field_conflict(node_id, name, package_value, report_value, prefer):
    base, package, report = three()
    base_value = getattr(find(base, node_id), name)
    setattr(find(package, node_id), name, package_value)
    setattr(find(report, node_id), name, report_value)

    result = merge_department(base, package, report, prefer=prefer, label_prefix="壹、")
    merged_value = getattr(find(result.merged, node_id), name)

    if package_value == report_value:
        assert result.conflicts == [] and merged_value == package_value
        return
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert (conflict.node_id, conflict.field) == (node_id, name)
    assert (conflict.base, conflict.package, conflict.report) == (base_value, package_value, report_value)
    assert conflict.choice == prefer
    assert conflict.where.startswith("壹、" + report.name)  # located in the report
    if prefer == "package":
        assert merged_value == package_value
        assert result.unresolved == []
        assert [(c.action, c.field, c.before, c.after) for c in result.changes] == [
            (MODIFY, name, report_value, package_value)
        ]
    else:
        assert merged_value == report_value  # unresolved conflicts keep the report's value
        assert result.changes == []
        assert result.unresolved == ([conflict] if prefer is None else [])


def test_conflict_where_is_the_numbered_path():
    base, package, report = three()
    find(package, "e2").text = "甲"
    find(report, "e2").text = "乙"
    find(package, "g2").remark = "甲"
    find(report, "g2").remark = "乙"
    result = merge_department(base, package, report, label_prefix="壹、")
    assert [c.where for c in result.conflicts] == [
        "壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆",
        "壹、民政部門 › 二、民政管理 › (一) 里長事務費 › 第 2 筆",
    ]
    assert all("衝突" in c.summary() for c in result.conflicts)


def test_per_field_resolutions_win_over_prefer():
    base, package, report = three()
    entry_p, entry_r = find(package, "e4"), find(report, "e4")
    entry_p.text, entry_r.text = "工作包文字", "報告文字"
    entry_p.remark, entry_r.remark = "工作包備註", "報告備註"
    entry_p.completion, entry_r.completion = 100, 90
    resolutions = {("e4", "text"): "package", ("e4", "remark"): "report", ("nope", "text"): "package"}

    result = merge_department(base, package, report, resolutions=resolutions)
    merged = find(result.merged, "e4")
    assert (merged.text, merged.remark, merged.completion) == ("工作包文字", "報告備註", 90)
    assert [c.field for c in result.unresolved] == ["completion"]
    assert {c.field: c.choice for c in result.conflicts} == {"text": "package", "remark": "report", "completion": None}

    result = merge_department(base, package, report, resolutions=resolutions, prefer="package")
    merged = find(result.merged, "e4")
    assert (merged.text, merged.remark, merged.completion) == ("工作包文字", "報告備註", 100)
    assert result.unresolved == []


def test_bad_choices_and_other_departments_are_refused():
    base, package, report = three()
    with pytest.raises(ValueError):
        merge_department(base, package, report, prefer="mine")
    with pytest.raises(ValueError):
        merge_department(base, package, report, resolutions={("e1", "text"): "both"})
    other = clone_tree(department(), new_ids=True)
    with pytest.raises(ValueError, match="不是同一個部門"):
        merge_department(base, other, report)
    with pytest.raises(ValueError):
        merge_department(base, package, other)
    broken = clone_tree(package)
    broken.sections[1].items[0].entries.append(Entry(id="e1", text="重複"))
    with pytest.raises(ValueError, match="重複"):
        merge_department(base, broken, report)
    with pytest.raises(ValueError):
        changed_content_ids(base, other)


# --- deletions -----------------------------------------------------------------


def test_delete_against_unchanged_deletes():
    base, package, report = three()
    detach(package, "e4")
    detach(package, "s2")
    find(report, "e1").text = "報告改了別筆。"
    result = merge_department(base, package, report)
    assert result.conflicts == []
    merged_ids = all_ids(result.merged)
    assert "e4" not in merged_ids and "s2" not in merged_ids and "g1" not in merged_ids
    assert find(result.merged, "e1").text == "報告改了別筆。"
    deleted = [c for c in result.changes if c.action == DELETE]
    assert sorted(c.node_id for c in deleted) == ["e4", "g1", "g2", "i3", "s2"]
    assert actions(result.changes) == {DELETE: 5}


def test_report_side_delete_against_unchanged_package():
    base, package, report = three()
    detach(report, "i2")
    result = merge_department(base, package, report)
    assert result.conflicts == [] and result.changes == []
    assert "i2" not in all_ids(result.merged)


def test_delete_on_both_sides_is_gone():
    base, package, report = three()
    for side in (package, report):
        detach(side, "e3")
        detach(side, "i3")
    result = merge_department(base, package, report)
    assert result.conflicts == [] and result.changes == []
    assert "e3" not in all_ids(result.merged) and "g1" not in all_ids(result.merged)


@pytest.mark.parametrize("prefer", ["package", "report", None])
def test_package_deletes_what_report_edited(prefer):
    base, package, report = three()
    detach(package, "e4")
    find(report, "e4").completion = 100
    result = merge_department(base, package, report, prefer=prefer)
    [conflict] = result.conflicts
    assert (conflict.node_id, conflict.kind, conflict.field) == ("e4", "entry", "deleted")
    assert conflict.package == "刪除" and "修改" in conflict.report and "辦理總統選舉" in conflict.base
    kept = find(result.merged, "e4")
    if prefer == "package":
        assert kept is None
        assert [(c.action, c.node_id) for c in result.changes] == [(DELETE, "e4")]
    else:  # report's side (also when unresolved): keep the edited version
        assert kept.completion == 100 and ids(find(result.merged, "i1"))[-1] == "e4"
        assert result.changes == []


@pytest.mark.parametrize("prefer", ["package", "report", None])
def test_report_deletes_what_package_edited(prefer):
    base, package, report = three()
    find(package, "g2").text = "已完成里長研習。"
    find(package, "g2").completion = 100
    detach(report, "g2")
    result = merge_department(base, package, report, prefer=prefer)
    [conflict] = result.conflicts
    assert (conflict.node_id, conflict.field) == ("g2", "deleted")
    assert conflict.report == "刪除" and "修改 2 處" in conflict.package
    kept = find(result.merged, "g2")
    if prefer == "package":
        assert (kept.text, kept.completion) == ("已完成里長研習。", 100)
        assert ids(find(result.merged, "i3")) == ["g1", "g2"]
        assert [(c.action, c.node_id) for c in result.changes] == [(ADD, "g2")]
    else:
        assert kept is None and result.changes == []


def test_deleted_item_with_an_edited_entry_is_one_conflict_on_the_item():
    base, package, report = three()
    detach(package, "i1")
    find(report, "e3").text = "西區（更正）。"
    result = merge_department(base, package, report)
    assert [(c.node_id, c.field) for c in result.conflicts] == [("i1", "deleted")]
    assert snapshot(result.merged) == snapshot(report)  # unresolved: report's side, kept

    result = merge_department(base, package, report, prefer="package")
    assert "i1" not in all_ids(result.merged)
    assert actions(result.changes) == {DELETE: 5}  # the 目 and its four entries


def test_entry_moved_out_of_a_deleted_item_is_judged_on_its_own():
    # The package deletes 目 i1 with its entries; the report moved e4 out of
    # i1 into i3 meanwhile.  i1 itself was not edited: it goes.  e4 was moved
    # (an edit) on one side and deleted on the other: a conflict of its own.
    base, package, report = three()
    detach(package, "i1")
    move(report, "e4", "i3")
    result = merge_department(base, package, report)
    assert [(c.node_id, c.field) for c in result.conflicts] == [("e4", "deleted")]
    assert "i1" not in all_ids(result.merged)
    assert ids(find(result.merged, "i3")) == ["g1", "g2", "e4"]  # unresolved: report keeps it
    assert sorted(c.node_id for c in result.changes if c.action == DELETE) == ["e1", "e2", "e3", "i1"]

    result = merge_department(base, package, report, prefer="package")
    assert "e4" not in all_ids(result.merged) and "i1" not in all_ids(result.merged)


def test_entry_moved_out_before_its_item_was_deleted_survives():
    # The package moved e4 to i3 and then deleted i1: e4 is not deleted at
    # all, so it survives under i3 without a conflict.
    base, package, report = three()
    move(package, "e4", "i3", 0)
    detach(package, "i1")
    find(report, "e4").remark = "報告改備註"
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert "i1" not in all_ids(result.merged)
    assert ids(find(result.merged, "i3")) == ["e4", "g1", "g2"]
    assert find(result.merged, "e4").remark == "報告改備註"
    assert Counter((c.action, c.field) for c in result.changes) == {(DELETE, None): 4, (MOVE, "parent"): 1}


def test_package_moves_entry_out_of_item_the_report_deleted():
    base, package, report = three()
    move(package, "e1", "i2")
    detach(report, "i1")
    result = merge_department(base, package, report)
    # e1 was moved (an edit) by the package and deleted with i1 by the report.
    assert [(c.node_id, c.field) for c in result.conflicts] == [("e1", "deleted")]
    assert "e1" not in all_ids(result.merged)
    result = merge_department(base, package, report, prefer="package")
    assert ids(find(result.merged, "i2")) == ["f1", "e1"]
    assert "i1" not in all_ids(result.merged)


def test_entry_moved_into_a_deleted_item_falls_back_when_the_deletion_wins():
    base, package, report = three()
    detach(package, "i2")
    move(report, "g1", "i2")  # the report moved g1 into the 目 the package deletes
    result = merge_department(base, package, report, prefer="package")
    assert [(c.node_id, c.field, c.choice) for c in result.conflicts] == [("i2", "deleted", "package")]
    assert "i2" not in all_ids(result.merged) and "f1" not in all_ids(result.merged)
    assert ids(find(result.merged, "i3")) == ["g1", "g2"]  # back to where the package has it

    result = merge_department(base, package, report, prefer="report")
    assert ids(find(result.merged, "i2")) == ["f1", "g1"]


def test_new_entry_in_an_item_the_report_deleted():
    base, package, report = three()
    find(package, "i2").entries.append(Entry(id="new", text="新增隊員訓練。", completion=100))
    detach(report, "i2")
    result = merge_department(base, package, report)
    [conflict] = result.conflicts
    assert (conflict.node_id, conflict.field) == ("i2", "deleted") and "新增 1 處" in conflict.package
    assert "new" not in all_ids(result.merged)  # removed with its 目
    result = merge_department(base, package, report, prefer="package")
    assert ids(find(result.merged, "i2")) == ["f1", "new"]
    assert Counter((c.action, c.kind) for c in result.changes) == {(ADD, "item"): 1, (ADD, "entry"): 2}


# --- additions -----------------------------------------------------------------


def test_adds_on_both_sides_are_all_kept_in_order():
    base, package, report = three()
    find(package, "i1").entries.insert(1, Entry(id="p1", text="工作包插入。"))
    find(package, "i1").entries.append(Entry(id="p2", text="工作包追加。"))
    find(report, "i1").entries.append(Entry(id="r1", text="報告追加。"))
    find(report, "i1").entries.insert(0, Entry(id="r0", text="報告置頂。"))
    find(package, "i3").entries.insert(0, Entry(id="p0", text="工作包置頂。"))
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert ids(find(result.merged, "i1")) == ["r0", "e1", "p1", "e2", "e3", "e4", "p2", "r1"]
    assert ids(find(result.merged, "i3")) == ["p0", "g1", "g2"]
    assert sorted(c.node_id for c in result.changes) == ["p0", "p1", "p2"]
    assert actions(result.changes) == {ADD: 3}


def test_package_adds_a_new_item_and_a_new_section():
    base, package, report = three()
    find(package, "s1").items.insert(
        1, Item(id="ni", title="公民投票", entries=[Entry(id="ne1", text="辦理公投。", completion=100)])
    )
    package.sections.append(
        Section(
            id="ns",
            title="宗教禮俗",
            items=[
                Item(
                    id="nsi",
                    title="寺廟登記",
                    entries=[Entry(id="nse1", text="辦理寺廟登記。"), Entry(id="nse2", level=2, text="變更。")],
                )
            ],
        )
    )
    report.sections.insert(0, Section(id="rs", title="報告新增項"))
    result = merge_department(base, package, report, label_prefix="壹、")
    assert result.conflicts == []
    assert ids(result.merged) == ["rs", "s1", "s2", "ns"]
    assert ids(find(result.merged, "s2")) == ["i3"]
    assert ids(find(result.merged, "s1")) == ["i1", "ni", "i2"]
    assert ids(find(result.merged, "nsi")) == ["nse1", "nse2"]
    assert Counter((c.action, c.kind) for c in result.changes) == {
        (ADD, "section"): 1,
        (ADD, "item"): 2,
        (ADD, "entry"): 3,
    }
    where = {c.node_id: c.where for c in result.changes}
    assert where["nse2"] == "壹、民政部門 › 四、宗教禮俗 › (一) 寺廟登記 › 第 2 筆"
    assert where["ni"] == "壹、民政部門 › 二、一般民政 › (二) 公民投票"


# --- moves and order -------------------------------------------------------------


def test_entry_moved_within_its_item():
    base, package, report = three()
    move(package, "e4", "i1", 0)
    find(report, "e1").text = "報告修改。"
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert ids(find(result.merged, "i1")) == ["e4", "e1", "e2", "e3"]
    assert find(result.merged, "e1").text == "報告修改。"
    assert [(c.action, c.node_id, c.field) for c in result.changes] == [(MOVE, "e4", "order")]


def test_entry_moved_to_another_item():
    base, package, report = three()
    move(package, "e4", "i3", 1)
    result = merge_department(base, package, report, label_prefix="壹、")
    assert result.conflicts == []
    assert ids(find(result.merged, "i1")) == ["e1", "e2", "e3"]
    assert ids(find(result.merged, "i3")) == ["g1", "e4", "g2"]
    [change] = result.changes
    assert (change.action, change.field) == (MOVE, "parent")
    assert change.before == "壹、民政部門 › 一、一般民政 › (一) 選舉業務"
    assert change.after == "壹、民政部門 › 二、民政管理 › (一) 里長事務費"


@pytest.mark.parametrize("mover", ["package", "report"])
def test_moved_on_one_side_and_edited_on_the_other_keeps_both(mover):
    base, package, report = three()
    moving, editing = (package, report) if mover == "package" else (report, package)
    move(moving, "e1", "i2")
    find(editing, "e1").text = "編輯後的文字。"
    find(editing, "e1").completion = 50
    result = merge_department(base, package, report)
    assert result.conflicts == []
    merged = find(result.merged, "e1")
    assert parent_of(result.merged, "e1").id == "i2"
    assert (merged.text, merged.completion) == ("編輯後的文字。", 50)


@pytest.mark.parametrize("prefer", ["package", "report", None])
def test_moved_to_different_items_on_both_sides(prefer):
    base, package, report = three()
    move(package, "e4", "i2")
    move(report, "e4", "i3")
    result = merge_department(base, package, report, prefer=prefer, label_prefix="壹、")
    [conflict] = result.conflicts
    assert (conflict.node_id, conflict.field) == ("e4", "parent")
    assert conflict.package.endswith("民防團業務") and conflict.report.endswith("(一) 里長事務費")
    expected = "i2" if prefer == "package" else "i3"
    assert parent_of(result.merged, "e4").id == expected


def test_reorder_on_one_side():
    base, package, report = three()
    report.sections.reverse()  # the report reorders 項
    find(package, "i1").entries.reverse()  # the package reorders entries
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert ids(result.merged) == ["s2", "s1"]
    assert ids(find(result.merged, "i1")) == ["e4", "e3", "e2", "e1"]
    assert actions(result.changes) == {MOVE: 3}  # e3, e2, e1 move around e4 (or the like)
    assert all(c.field == "order" for c in result.changes)


@pytest.mark.parametrize("prefer", ["package", "report", None])
def test_reorder_on_both_sides_differently(prefer):
    base, package, report = three()
    move(package, "e1", "i1", 1)  # e2 e1 e3 e4: swaps e1, e2
    move(report, "e2", "i1", 2)  # e1 e3 e2 e4: swaps e2, e3 — no single order keeps both swaps
    find(package, "i1").entries.insert(0, Entry(id="p0", text="工作包新增。"))
    result = merge_department(base, package, report, prefer=prefer)
    [conflict] = result.conflicts
    assert (conflict.node_id, conflict.kind, conflict.field) == ("i1", "item", "order")
    assert len(conflict.package) == 4 and conflict.package[0].startswith("辦理情形「東區")
    order = ids(find(result.merged, "i1"))
    if prefer == "package":
        assert order == ["p0", "e2", "e1", "e3", "e4"]
    else:
        assert order == ["p0", "e1", "e3", "e2", "e4"]


def test_compatible_reorders_on_both_sides_are_combined_and_a_second_merge_is_a_noop():
    base, package, report = three()
    move(package, "e1", "i1")  # e2 e3 e4 e1: the package moves e1 to the end
    move(report, "e4", "i1", 0)  # e4 e1 e2 e3: the report moves e4 to the front
    find(package, "i1").entries.insert(0, Entry(id="p0", text="工作包新增。"))
    result = merge_department(base, package, report)
    assert result.conflicts == []
    assert ids(find(result.merged, "i1")) == ["p0", "e4", "e2", "e3", "e1"]
    again = merge_department(base, package, result.merged)
    assert again.conflicts == [] and again.changes == []


def test_same_reorder_on_both_sides_is_no_conflict():
    base, package, report = three()
    for side in (package, report):
        side.sections.reverse()
    find(report, "s1").items.append(Item(id="ri", title="報告新目"))
    result = merge_department(base, package, report)
    assert result.conflicts == [] and result.changes == []


# --- idempotence -----------------------------------------------------------------


def test_merging_the_same_package_twice_changes_nothing_the_second_time():
    base, package, report = three()
    find(package, "e1").text = "工作包修改。"
    move(package, "e4", "i3", 0)
    detach(package, "e3")
    find(package, "i2").entries.append(Entry(id="pn", text="工作包新增。"))
    package.sections.reverse()
    find(report, "g2").remark = "報告修改"
    find(report, "e2").text = "報告修改。"
    detach(report, "f1")  # report deletes f1, package leaves it alone
    find(report, "i2").entries.append(Entry(id="rn", text="報告新增。"))
    first = merge_department(base, package, report)
    assert first.conflicts == [] and first.changes

    second = merge_department(base, package, first.merged)
    assert second.conflicts == [] and second.changes == []
    assert snapshot(second.merged) == snapshot(first.merged)


def test_merging_twice_after_resolving_for_the_package():
    base, package, report = three()
    find(package, "e1").text, find(report, "e1").text = "甲。", "乙。"
    detach(package, "e4")
    find(report, "e4").remark = "報告改"
    move(package, "e2", "i1", 3)
    move(report, "e3", "i1", 0)
    first = merge_department(base, package, report, prefer="package")
    # The package swapped e2/e3, the report moved e3 first: compatible, no order conflict.
    assert {c.field for c in first.conflicts} == {"text", "deleted"}
    assert ids(find(first.merged, "i1")) == ["e3", "e1", "e2"]
    second = merge_department(base, package, first.merged)
    assert second.conflicts == [] and second.changes == []


# --- the sample, at scale ----------------------------------------------------------

ENTRY_EDITS = ("text", "completion", "remark", "level")


def _edit_value(entry: Entry, name: str, rng: random.Random, tag: str):
    if name == "text":
        return f"{entry.text}（{tag}{rng.randint(0, 999)}）"
    if name == "completion":
        return rng.choice([v for v in (None, 0, 50, 75, 100) if v != entry.completion])
    if name == "remark":
        return f"{tag}備註{rng.randint(0, 999)}"
    return rng.choice([v for v in (0, 1, 2) if v != entry.level])


def _civil_affairs() -> Department:
    return sample_report().department_named("民政部門")


def test_sample_sixty_edits_on_different_entries_merge_without_conflicts():
    base, package, report = three(_civil_affairs())
    rng = random.Random(20240611)
    entries = [e.id for e in base.entries()]
    chosen = rng.sample(entries, 60)
    expected: dict[tuple[str, str], object] = {}
    for index, entry_id in enumerate(chosen):
        side, tag = (package, "工作包") if index < 30 else (report, "報告")
        entry = find(side, entry_id)
        name = rng.choice(ENTRY_EDITS)
        value = _edit_value(entry, name, rng, tag)
        setattr(entry, name, value)
        expected[(entry_id, name)] = value

    result = merge_department(base, package, report, label_prefix="壹、")

    assert result.conflicts == []
    for (entry_id, name), value in expected.items():
        assert getattr(find(result.merged, entry_id), name) == value
    # Everything else is as it was.
    for entry in base.entries():
        merged = find(result.merged, entry.id)
        for name in ENTRY_EDITS:
            if (entry.id, name) not in expected:
                assert getattr(merged, name) == getattr(entry, name)
    # Applying it changes the report by exactly the package's 30 edits.
    assert actions(result.changes) == {MODIFY: 30}
    assert {c.node_id for c in result.changes} == set(chosen[:30])
    assert all(c.where.startswith("壹、民政部門 › ") for c in result.changes)


def test_sample_overlapping_edits_conflict_exactly_on_the_overlap():
    base, package, report = three(_civil_affairs())
    rng = random.Random(7)
    entries = [e.id for e in base.entries()]
    chosen = rng.sample(entries, 50)
    shared, package_only, report_only = chosen[:10], chosen[10:30], chosen[30:50]
    overlapping: set[tuple[str, str]] = set()
    for entry_id in shared:  # both sides edit the same field differently
        name = rng.choice(ENTRY_EDITS)
        base_entry = find(base, entry_id)
        package_value = _edit_value(base_entry, name, rng, "工作包")
        report_value = _edit_value(base_entry, name, rng, "報告")
        while report_value == package_value:
            report_value = _edit_value(base_entry, name, rng, "報告")
        setattr(find(package, entry_id), name, package_value)
        setattr(find(report, entry_id), name, report_value)
        overlapping.add((entry_id, name))
    for ids_, side, tag in ((package_only, package, "工作包"), (report_only, report, "報告")):
        for entry_id in ids_:
            entry = find(side, entry_id)
            name = rng.choice(ENTRY_EDITS)
            setattr(entry, name, _edit_value(entry, name, rng, tag))

    result = merge_department(base, package, report)
    assert {(c.node_id, c.field) for c in result.conflicts} == overlapping
    assert len(result.unresolved) == 10
    for entry_id, name in overlapping:  # unresolved: the report's value
        assert getattr(find(result.merged, entry_id), name) == getattr(find(report, entry_id), name)
    assert {c.node_id for c in result.changes} == set(package_only)

    taken = merge_department(base, package, report, prefer="package")
    for entry_id, name in overlapping:
        assert getattr(find(taken.merged, entry_id), name) == getattr(find(package, entry_id), name)
    assert {c.node_id for c in taken.changes} == set(package_only) | set(shared)


def _random_structural_edits(dept: Department, rng: random.Random, tag: str, count: int) -> None:
    for n in range(count):
        items = [i for s in dept.sections for i in s.items]
        entries = list(dept.entries())
        op = rng.choice(["field", "field", "delete", "add", "move", "reorder", "delete_item", "add_item"])
        if op == "field" and entries:
            entry = rng.choice(entries)
            name = rng.choice(ENTRY_EDITS)
            setattr(entry, name, _edit_value(entry, name, rng, tag))
        elif op == "delete" and entries:
            detach(dept, rng.choice(entries).id)
        elif op == "add" and items:
            item = rng.choice(items)
            item.entries.insert(rng.randint(0, len(item.entries)), Entry(text=f"{tag}新增{n}"))
        elif op == "move" and entries and items:
            entry = rng.choice(entries)
            target = rng.choice(items)
            move(dept, entry.id, target.id, rng.randint(0, len(target.entries) - (parent_of(dept, entry.id) is target)))
        elif op == "reorder" and items:
            rng.shuffle(rng.choice(items).entries)
        elif op == "delete_item" and len(items) > 3:
            detach(dept, rng.choice(items).id)
        elif op == "add_item" and dept.sections:
            section = rng.choice(dept.sections)
            section.items.insert(
                rng.randint(0, len(section.items)),
                Item(title=f"{tag}新目{n}", entries=[Entry(text=f"{tag}新目內容{n}")]),
            )


@pytest.mark.parametrize("seed", range(25))
def test_random_structural_edits_merge_cleanly_and_idempotently(seed):
    rng = random.Random(seed)
    base, package, report = three(_civil_affairs())
    _random_structural_edits(package, rng, "工作包", 15)
    _random_structural_edits(report, rng, "報告", 15)

    for prefer in (None, "report"):
        result = merge_department(base, package, report, prefer=prefer)
        merged_ids = all_ids(result.merged)
        assert len(merged_ids) == len(set(merged_ids))
        if prefer is None:
            assert len(result.unresolved) == len(result.conflicts)

    result = merge_department(base, package, report, prefer="package")
    merged_ids = all_ids(result.merged)
    assert len(merged_ids) == len(set(merged_ids))
    assert result.unresolved == []
    # Everything the package added is there; everything only the package changed is taken.
    for node_id in set(all_ids(package)) - set(all_ids(base)):
        assert node_id in merged_ids
    for entry in package.entries():
        original, in_report = find(base, entry.id), find(report, entry.id)
        if original is not None and in_report is not None:
            for name in ENTRY_EDITS:
                if getattr(entry, name) != getattr(original, name):
                    assert getattr(find(result.merged, entry.id), name) == getattr(entry, name)
    # Changes describe report → merged exactly.
    report_ids, merged_set = set(all_ids(report)), set(merged_ids)
    counts = actions(result.changes)
    assert counts[ADD] == len(merged_set - report_ids)
    assert counts[DELETE] == len(report_ids - merged_set)

    again = merge_department(base, package, result.merged)
    assert again.conflicts == []
    assert again.changes == []


# --- changed_content_ids -----------------------------------------------------------


def test_changed_content_ids_unchanged():
    base, package, _ = three()
    assert changed_content_ids(base, package) == set()
    package.name = "民政課"
    find(package, "s1").title = "改項名"
    move(package, "i2", "s2")  # moving a whole 目 is not a content change
    assert changed_content_ids(base, package) == set()


@pytest.mark.parametrize(
    "edit,expected",
    [
        (lambda p: setattr(find(p, "e2"), "text", "改"), {"i1"}),
        (lambda p: setattr(find(p, "g1"), "completion", 50), {"i3"}),
        (lambda p: setattr(find(p, "f1"), "level", 1), {"i2"}),
        (lambda p: setattr(find(p, "i2"), "title", "改名"), {"i2"}),
        (lambda p: setattr(find(p, "i2"), "status", "submitted"), {"i2"}),
        (lambda p: detach(p, "e3"), {"i1"}),
        (lambda p: find(p, "i3").entries.append(Entry(text="新")), {"i3"}),
        (lambda p: move(p, "e4", "i3"), {"i1", "i3"}),
        (lambda p: find(p, "i1").entries.reverse(), {"i1"}),
        (lambda p: detach(p, "i2"), {"i2"}),
        (lambda p: detach(p, "s2"), {"i3"}),
        (lambda p: find(p, "s2").items.append(Item(id="new-item", title="新目")), {"new-item"}),
    ],
)
def test_changed_content_ids(edit, expected):
    base, package, _ = three()
    edit(package)
    assert changed_content_ids(base, package) == expected


@pytest.mark.parametrize("seed", range(60))
def test_dense_random_edits_on_a_small_department_are_idempotent(seed):
    # Six edits per side on ten entries: deletions against edits, moves to
    # different 目, reorders on both sides and field conflicts all happen.
    rng = random.Random(seed)
    base, package, report = three()
    _random_structural_edits(package, rng, "工作包", 6)
    _random_structural_edits(report, rng, "報告", 6)
    result = merge_department(base, package, report, prefer="package")
    merged_ids = all_ids(result.merged)
    assert len(merged_ids) == len(set(merged_ids))
    again = merge_department(base, package, result.merged)
    assert again.conflicts == [] and again.changes == []
