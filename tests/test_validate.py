from __future__ import annotations

from app.model import Entry
from app.validate import ERROR, WARNING, check


def codes(report):
    return {(p.code, p.severity) for p in check(report)}


def test_sample_has_no_errors(sample):
    assert [p for p in check(sample) if p.is_error] == []


def test_rules(small):
    item = small.departments[0].sections[0].items[0]
    item.entries[0].text = "  "
    item.entries[3].remark = ""  # 80 % without a remark
    item.entries.append(Entry(level=1, text="預計 115 年完成", completion=100))
    small.departments[0].sections[0].items[1].entries.clear()
    found = codes(small)
    assert ("text-empty", ERROR) in found
    assert ("remark-needed", WARNING) in found
    assert ("item-empty", WARNING) in found
    assert ("roc-year", WARNING) in found


def test_problem_names_its_place(small):
    small.departments[0].sections[0].items[0].entries[0].text = ""
    problem = next(p for p in check(small) if p.code == "text-empty")
    assert problem.where == "壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 1 筆"
    assert problem.node_id == small.departments[0].sections[0].items[0].entries[0].id
