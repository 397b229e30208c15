"""The bundled 109 年度 sample's shape (the faithful copying is checked by hand, see
resources/sample/TRANSCRIPTION.md)."""
from __future__ import annotations

import re

from app.layout import layout
from app.numbering import strip_prefix

EXPECTED = {  # department: (項, 目, entries) counted from the seed
    "民政部門": (9, 39, 88),
    "社建部門": (8, 18, 66),
    "兵役部門": (5, 24, 72),
    "會計部門": (2, 8, 9),
    "人事部門": (3, 11, 27),
    "政風部門": (2, 4, 4),
    "行政部門": (6, 27, 111),
}


def test_report_identity(sample):
    assert sample.office == "嘉義市東區區公所"
    assert (sample.roc_year, sample.published_roc_year, sample.published_month) == (109, 110, 3)


def test_departments_in_the_seed_order_with_their_counts(sample):
    got = {}
    for department in sample.departments:
        items = [i for s in department.sections for i in s.items]
        got[department.name] = (len(department.sections), len(items), sum(len(i.entries) for i in items))
    assert list(got) == list(EXPECTED)
    assert got == EXPECTED


def test_no_numbering_left_in_titles_or_texts(sample):
    for node in sample.walk():
        text = getattr(node, "text", None) or getattr(node, "title", None) or node.name
        kind, _ = strip_prefix(text)
        assert kind is None, f"{node.kind} {text!r}"


def test_percentages_are_integers_and_sub_items_share_their_items_row(sample):
    with_own = []
    for department in sample.departments:
        for section in department.sections:
            for item in section.items:
                for entry in item.entries:
                    assert entry.completion is None or (isinstance(entry.completion, int) and 0 <= entry.completion <= 100)
                    if entry.level == 2 and entry.completion is not None:
                        with_own.append((item.title, entry.text[:6], entry.completion))
    # as the published report prints them: only 兵役 (八) 替代役管理's sub-items
    # (1)–(3) have a 完成程度 of their own, and its items 1 and 2 none
    assert with_own == [("替代役管理", "關懷弱勢寒暑", 100), ("替代役管理", "109 年歲", 100),
                        ("替代役管理", "109 年響", 100)]
    item = next(i for d in sample.departments for s in d.sections for i in s.items if i.title == "替代役管理")
    assert [e.completion for e in item.entries] == [None, None, 100, 100, 100]


def test_a_sub_item_with_its_own_completion_has_its_own_row(sample):
    block = next(b for b in layout(sample).departments if b.name == "兵役部門")
    item = next(i for s in block.sections for i in s.items if i.item.title == "替代役管理")
    assert [(row.lines[0][:4], len(row.entries), row.completion) for row in item.rows] == [
        ("1. 落", 1, None), ("2. 推", 1, None), ("(1) ", 1, 100), ("(2) ", 1, 100), ("(3) ", 1, 100)]
    # sub-items without one still share their item's row and its 完成程度
    shared = [r for b in layout(sample).departments for s in b.sections for i in s.items for r in i.rows
              if len(r.entries) > 1]
    assert len(shared) == 6
    assert all(e.level == 2 and e.completion is None for r in shared for e in r.entries[1:])


def test_lone_unnumbered_items(sample):
    lone = {i.title for d in sample.departments for s in d.sections for i in s.items if not i.numbered}
    assert {"民防團業務", "火災"} <= lone
    for department in sample.departments:
        for section in department.sections:
            if any(not i.numbered for i in section.items):
                assert len(section.items) == 1


def test_derived_numbering_corrects_the_seeds_two_sevens(sample):
    blocks = layout(sample).departments
    admin = next(b for b in blocks if b.name == "行政部門")
    labels = [item.number for s in admin.sections for item in s.items if s.section.title == "庶務管理"]
    assert labels == sorted(set(labels), key=labels.index), labels  # all distinct
    assert "(七)" in labels and "(八)" in labels


def test_first_and_last_entries_match_the_seed(sample):
    first = sample.departments[0].sections[0].items[0].entries[0]
    assert first.text == "1月4日辦理嘉義市第十屆東區朝陽里里長補選。"
    assert first.level == 1 and first.completion == 100
    labels = [b.label for b in layout(sample).departments]
    assert labels == ["壹、民政部門", "貳、社建部門", "參、兵役部門", "肆、會計部門", "伍、人事部門", "陸、政風部門", "柒、行政部門"]


def test_no_extraction_artefacts_left(sample):
    for node in sample.walk():
        text = getattr(node, "text", "") or ""
        assert "<p>" not in text and "</p>" not in text
        assert "109 年度工作總報告" not in text
        assert not re.search(r"\s$", text)
