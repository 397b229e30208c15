"""尋找及取代 in the engine: matches, one Batch of SetField, approved 目 skipped and counted."""
from __future__ import annotations

import pytest

from app.document import ReportDocument
from app.errors import ReportError
from app.interchange import report_to_dict
from app.operations import Batch, SetField
from app.replace import find_matches, plan_replace

from conftest import small_report


def test_matches_in_report_order_with_counts(small):
    matches = find_matches(small, "辦理")
    assert [(m.field, m.count) for m in matches] == [("text", 1), ("text", 1), ("remark", 1)]
    assert matches[0].where.startswith("壹、民政部門 › 一、一般民政 › (一) 選舉業務")
    assert matches[2].where.endswith("（備註）")
    assert find_matches(small, "") == []


def test_fields_and_department_scope(small):
    民政, 行政 = small.departments
    assert [m.field for m in find_matches(small, "部門", fields=("title",))] == ["name", "name"]
    assert find_matches(small, "部門") == []  # names are titles, not asked for
    only = find_matches(small, "用印", department_id=民政.id)
    assert only == []
    assert [m.department_id for m in find_matches(small, "用印", department_id=行政.id)] == [行政.id]
    assert [m.field for m in find_matches(small, "持續", fields=("text",))] == []


def test_replace_all_is_one_undo_step(small_doc):
    before = report_to_dict(small_doc.report)
    plan = plan_replace(small_doc.report, "辦理", "推動")
    assert plan.replaced == 3 and plan.skipped == 0
    operation = plan.operation()
    assert isinstance(operation, Batch) and all(isinstance(op, SetField) for op in operation.operations)
    small_doc.apply(operation)
    item = small_doc.report.departments[0].sections[0].items[0]
    assert [e.text for e in item.entries][0] == "推動里長補選。"
    assert item.entries[3].text == "推動總統選舉。" and item.entries[3].remark == "持續推動"
    assert report_to_dict(small_doc.repo.load()) == report_to_dict(small_doc.report)  # on disk too
    small_doc.revert(operation)
    assert report_to_dict(small_doc.report) == before
    assert report_to_dict(small_doc.repo.load()) == before


def test_several_occurrences_in_one_field_and_titles(small_doc):
    entry = small_doc.report.departments[0].sections[0].items[0].entries[1]
    small_doc.apply(SetField(entry.id, "text", "東區、東區。"))
    plan = plan_replace(small_doc.report, "東區", "東里", fields=("text", "title"))
    assert plan.replaced == 2 and len(plan.operations) == 1
    small_doc.apply(plan.operation())
    assert entry.text == "東里、東里。"
    plan = plan_replace(small_doc.report, "民政", "民政及人文", fields=("title",))
    small_doc.apply(plan.operation())
    assert small_doc.report.departments[0].name == "民政及人文部門"
    assert small_doc.report.departments[0].sections[0].title == "一般民政及人文"


def test_approved_items_are_skipped_and_counted(tmp_path):
    report = small_report()
    item = report.departments[0].sections[0].items[0]
    item.status = "approved"
    doc = ReportDocument.create(tmp_path / "r.awr", report)
    try:
        plan = plan_replace(doc.report, "。", "．", fields=("text", "title"))
        assert plan.skipped == 4  # the four entries of the approved 選舉業務
        assert plan.replaced == 2  # 隨時補充隊員。 and 依規定用印。
        assert plan.skipped_places == ["壹、民政部門 › 一、一般民政 › (一) 選舉業務"]
        doc.apply(plan.operation())  # nothing refused: the locked fields are not in it
        item = doc.report.departments[0].sections[0].items[0]
        assert item.entries[0].text == "辦理里長補選。"
        assert doc.report.departments[1].sections[0].items[0].entries[0].text == "依規定用印．"
        with pytest.raises(ReportError):  # the lock is real: the plan must skip it
            doc.apply(SetField(item.entries[0].id, "text", "x"))
    finally:
        doc.close()


def test_nothing_to_replace(small):
    assert plan_replace(small, "不存在的字", "x").operations == []
    assert plan_replace(small, "辦理", "辦理").operations == []


# --- issue 19: a report of another template ---------------------------------------------------

from template_reports import budget_report  # noqa: E402

from app.search import search  # noqa: E402


def test_template_search_every_text_bearing_column():
    report = budget_report()
    hits = search(report, "補助")
    assert [(h.field, h.where, h.label) for h in hits] == [
        ("funding", "壹、民政業務 › 第 2 筆（經費來源）", "經費來源"),
        ("funding", "貳、社會業務 › 第 1 筆（經費來源）", "經費來源"),
    ]
    assert [(h.field, h.label) for h in search(report, "勻支")] == [("budget", "預算金額")]  # money as text
    assert [h.field for h in search(report, "社會")] == ["name", "unit", "grantor"]
    assert search(report, "118500") == []  # numbers are not text


def test_template_replace_in_text_columns_only(tmp_path):
    doc = ReportDocument.create(tmp_path / "budget.awr", budget_report())
    try:
        plan = plan_replace(doc.report, "民政", "區政", fields=("text", "title"))
        assert [(m.field, m.where) for m in plan.matches] == [
            ("name", "壹、民政業務"),
            ("unit", "壹、民政業務 › 第 1 筆（辦理課室）"),
            ("unit", "壹、民政業務 › 第 2 筆（辦理課室）"),
        ]
        assert find_matches(doc.report, "勻支") == []  # a money column's text is never replaced
        doc.apply(plan.operation())
        civil = doc.report.departments[0]
        assert civil.name == "區政業務"
        assert [e.values["unit"] for e in civil.entries()] == ["區政課", "區政課"]
    finally:
        doc.close()
    reopened = ReportDocument.open(tmp_path / "budget.awr", read_only=True)
    try:
        assert [e.values["unit"] for e in reopened.report.departments[0].entries()] == ["區政課", "區政課"]
    finally:
        reopened.close()
