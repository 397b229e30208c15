"""Random operations against the PUBLIC operation classes, drawn from a document's current state.

Everything is drawn with hypothesis ``data.draw`` so examples shrink.  Values
are mostly valid, sometimes ones the engine refuses today (completion 101,
level 3, month 13, an unknown status, a wrong parent kind, a duplicate id);
values that issue 17 item 6 is about (floats, lone surrogates, huge ints, ids
reused across kinds) are left to tests/property/test_engine_properties.py's
xfail cases, so a finding here is a new one.
"""
from __future__ import annotations

import json

from hypothesis import strategies as st

from app.interchange import report_to_dict
from app.model import CHILD_KIND, Department, Entry, Item, Report, Section, clone_tree
from app.operations import Batch, DeleteNode, InsertNode, MoveNode, SetField
from app.review import ACTIONS, AddComment, ReviewAction

# Text that is hostile but storable: CJK, controls, markup, bidi marks, astral.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("辦理選舉民政里長，。（）「」 \n\t\x00\x07\x1b=+-@<>&;\u200b\u202e\ufeff𠀀😀"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=12,
)


def state(report: Report) -> str:
    """Everything a reader sees: the interchange dict, last year's entries by value,
    comments — as JSON text, so that types count (``0`` is not ``false``, ``1.0`` not ``1``)."""
    previous = {k: [(e.level, e.text, e.completion, e.remark) for e in v] for k, v in report.previous_entries.items() if v}
    comments = sorted((c.id, c.node_id, c.author, c.role, c.at, c.text) for c in report.comments)
    return json.dumps([report_to_dict(report), previous, comments], sort_keys=True, default=repr)


def nodes(report: Report, kind: str | None = None) -> list:
    return [n for n in report.walk() if kind is None or n.kind == kind]


def new_node(data, kind: str, depth: int = 0):
    """A fresh subtree of ``kind`` (fresh ids), a few children below."""
    if kind == "entry":
        return Entry(level=data.draw(st.sampled_from([0, 1, 2])), text=data.draw(TEXT),
                     completion=data.draw(st.one_of(st.none(), st.integers(0, 100))), remark=data.draw(TEXT))
    node = {"department": Department(name=data.draw(TEXT)), "section": Section(title=data.draw(TEXT)),
            "item": Item(title=data.draw(TEXT), numbered=data.draw(st.booleans()))}[kind]
    if depth < 2:
        for _ in range(data.draw(st.integers(0, 2))):
            node.children.append(new_node(data, CHILD_KIND[kind], depth + 1))
    return node


def scratch_dir() -> str | None:
    """Where the examples' report files go: memory (/dev/shm) when there is one, since
    every operation is an fsync'ed transaction and the disk would set the pace."""
    import os

    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


FIELD_VALUES = {
    ("report", "office"): TEXT,
    ("report", "roc_year"): st.integers(1, 300),
    ("report", "published_roc_year"): st.one_of(st.none(), st.integers(1, 300)),
    ("report", "published_month"): st.one_of(st.none(), st.integers(1, 12), st.just(13), st.just(0)),
    ("report", "numbering_style"): st.sampled_from(["standard", "legal"]),
    ("department", "name"): TEXT,
    ("section", "title"): TEXT,
    ("item", "title"): TEXT,
    ("item", "numbered"): st.booleans(),
    ("item", "predecessor_id"): st.one_of(st.none(), st.uuids().map(str)),
    ("entry", "level"): st.one_of(st.sampled_from([0, 1, 2]), st.just(3)),
    ("entry", "text"): TEXT,
    ("entry", "completion"): st.one_of(st.none(), st.integers(0, 100), st.just(101), st.just(-1)),
    ("entry", "remark"): TEXT,
}


def draw_simple(data, doc):
    """One SetField / InsertNode / DeleteNode / MoveNode on the document as it is now."""
    report = doc.report
    everything = nodes(report)
    kind = data.draw(st.sampled_from(["set", "set", "set", "insert", "delete", "move"]))
    if kind == "set" or not everything:
        node = data.draw(st.sampled_from([report, *everything]))
        field = data.draw(st.sampled_from([f for (k, f) in FIELD_VALUES if k == node.kind]))
        return SetField(node.id, field, data.draw(FIELD_VALUES[(node.kind, field)]))
    if kind == "insert":
        parent = data.draw(st.sampled_from([report, *[n for n in everything if n.kind != "entry"]]))
        child_kind = CHILD_KIND[parent.kind]
        if data.draw(st.integers(0, 9)) == 0:  # sometimes a copy of an existing node: a duplicate id
            same = [n for n in everything if n.kind == child_kind]
            if same:
                return InsertNode(parent.id, 0, clone_tree(data.draw(st.sampled_from(same))))
        index = data.draw(st.integers(-1, len(parent.children) + 1))
        return InsertNode(parent.id, index, new_node(data, child_kind))
    node = data.draw(st.sampled_from(everything))
    if kind == "delete":
        return DeleteNode(node.id)
    parents = [report, *everything]
    wrong = data.draw(st.integers(0, 9)) == 0
    candidates = [p for p in parents if (CHILD_KIND.get(p.kind) == node.kind) != wrong]
    parent = data.draw(st.sampled_from(candidates or parents))
    return MoveNode(node.id, parent.id, data.draw(st.integers(-1, len(parent.children) + 1)))


def draw_operation(data, doc, *, review: bool = True):
    """Any public operation: the simple ones, a Batch of them, a review step or a comment."""
    choice = data.draw(st.sampled_from(["simple"] * 6 + ["batch"] + (["review", "comment"] if review else [])))
    if choice == "batch":
        # Drawn against the state before the batch: later steps may find their
        # node gone (refused, and the whole batch with them).
        return Batch([draw_simple(data, doc) for _ in range(data.draw(st.integers(1, 3)))])
    if choice == "simple":
        return draw_simple(data, doc)
    items = nodes(doc.report, "item")
    if choice == "review" and items:
        return ReviewAction(data.draw(st.sampled_from(items)).id, data.draw(st.sampled_from(sorted(ACTIONS))),
                            comment=data.draw(st.sampled_from(["", "請補充"])))
    targets = [n for n in nodes(doc.report) if n.kind in ("item", "entry")]
    if not targets:
        return draw_simple(data, doc)
    return AddComment(data.draw(st.sampled_from(targets)).id, data.draw(st.sampled_from(["", "  ", "請確認", "已補齊。"])))
