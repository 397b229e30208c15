"""Review per 目 (送審/退回/核定/重新開啟), comments, approval locks, changes since
approval, and the history of every change."""
from __future__ import annotations

import json

import pytest

from app.document import Person, ReportDocument
from app.errors import ReportError
from app.interchange import dumps, report_from_dict
from app.model import Entry
from app.operations import DeleteNode, InsertNode, MoveNode, SetField
from app.review import AddComment, ReviewAction, allowed_actions, changes_since_approval

CLERK = Person("王小明", "clerk")
CHIEF = Person("李課長", "chief")


@pytest.fixture
def doc(tmp_path, small):
    document = ReportDocument.create(tmp_path / "r.awr", small, person=CLERK)
    yield document
    document.close()


def first_item(doc):
    return doc.report.departments[0].sections[0].items[0]


def test_review_flow_and_roles(doc):
    item = first_item(doc)
    assert allowed_actions(item, "clerk") == ["submit"]
    doc.apply(ReviewAction(item.id, "submit", "請審閱"))
    assert item.status == "submitted"
    with pytest.raises(ReportError, match="只有主管"):
        doc.apply(ReviewAction(item.id, "approve"))
    doc.person = CHIEF
    assert set(allowed_actions(item, "chief")) == {"return", "approve"}
    doc.apply(ReviewAction(item.id, "return", "數字請再確認"))
    assert item.status == "returned"
    doc.person = CLERK
    doc.apply(ReviewAction(item.id, "submit"))
    doc.person = CHIEF
    doc.apply(ReviewAction(item.id, "approve"))
    assert item.status == "approved"
    comments = doc.comments_on(item.id)
    assert [(c.author, c.role, c.text) for c in comments] == [
        ("王小明", "clerk", "【送審】請審閱"), ("李課長", "chief", "【退回】數字請再確認")]
    with pytest.raises(ReportError, match="不能送審"):
        doc.apply(ReviewAction(item.id, "submit"))


def test_approved_item_is_locked_until_reopened(doc):
    item = first_item(doc)
    entry = item.entries[0]
    doc.person = CHIEF
    doc.apply(ReviewAction(item.id, "approve"))
    doc.person = CLERK
    for operation in (SetField(entry.id, "text", "偷改"), SetField(item.id, "title", "改名"),
                      InsertNode(item.id, 0, Entry(text="新增")), DeleteNode(entry.id), DeleteNode(item.id),
                      MoveNode(entry.id, doc.report.departments[0].sections[0].items[1].id, 0),
                      DeleteNode(doc.report.departments[0].id)):
        with pytest.raises(ReportError, match="已核定"):
            doc.apply(operation)
    assert entry.text == "辦理里長補選。" and len(item.entries) == 4
    doc.person = CHIEF
    doc.apply(ReviewAction(item.id, "reopen"))
    doc.apply(SetField(entry.id, "text", "可以改了"))
    assert entry.text == "可以改了"


def test_changes_since_last_approval_are_marked(doc):
    item = first_item(doc)
    assert changes_since_approval(doc, item.id) is None
    doc.person = CHIEF
    doc.apply(ReviewAction(item.id, "approve"))
    doc.apply(ReviewAction(item.id, "reopen"))
    doc.apply(SetField(item.entries[0].id, "text", "辦理里長及里民代表補選。"))
    removed = item.entries[1].id
    doc.apply(DeleteNode(removed))
    doc.apply(InsertNode(item.id, 0, Entry(text="全新的一筆")))
    changes = {c.entry_id: c for c in changes_since_approval(doc, item.id)}
    assert changes[removed].change == "刪除"
    added = item.entries[0].id
    assert changes[added].change == "新增"
    edited = changes[item.entries[1].id]
    assert edited.change == "修改" and edited.fields == ["text"]
    assert ("+", "及里民代表") in edited.diff
    assert "<ins" in edited.diff_html() and "及里民代表" in edited.diff_html()


def test_undo_of_an_approval_restores_state_and_lock(doc):
    item = first_item(doc)
    doc.person = CHIEF
    op = ReviewAction(item.id, "approve", "好")
    doc.apply(op)
    doc.revert(op)
    assert item.status == "draft" and doc.comments_on(item.id) == []
    assert doc.repo.approval(item.id) is None
    doc.apply(SetField(item.entries[0].id, "text", "沒有鎖"))


def test_comments_on_entries(doc):
    entry = first_item(doc).entries[0]
    doc.apply(AddComment(entry.id, "日期請補上"))
    reopened = ReportDocument.open(doc.path, read_only=True)
    assert [(c.node_id, c.text, c.author) for c in reopened.report.comments] == [(entry.id, "日期請補上", "王小明")]
    reopened.close()


def test_every_change_is_in_the_history_with_who_when_before_after(doc):
    item = first_item(doc)
    entry = item.entries[0]
    doc.apply(SetField(entry.id, "text", "改過"))
    doc.apply(InsertNode(item.id, 0, Entry(text="新的")))
    op = SetField(entry.id, "completion", 50)
    doc.apply(op)
    doc.revert(op)
    rows = doc.history_of(item.id)
    actions = [(r["action"], r["field"], r["who"]) for r in rows]
    assert ("修改辦理情形", "text", "王小明") in actions
    assert ("新增辦理情形", None, "王小明") in actions
    assert ("復原 修改完成程度", "completion", "王小明") in actions
    text_row = next(r for r in rows if r["field"] == "text")
    assert json.loads(text_row["before"]) == "辦理里長補選。" and json.loads(text_row["after"]) == "改過"
    assert text_row["at"][:4].isdigit()
    assert [r["field"] for r in doc.history_of(entry.id)] == ["text", "completion", "completion"]


def test_a_refused_change_leaves_no_history(doc):
    entry = first_item(doc).entries[0]
    before = len(doc.history_of(entry.id))
    with pytest.raises(ReportError):
        doc.apply(SetField(entry.id, "completion", 500))
    assert len(doc.history_of(entry.id)) == before


def test_review_and_comments_travel_in_json(doc):
    item = first_item(doc)
    doc.apply(ReviewAction(item.id, "submit", "請看"))
    data = json.loads(dumps(doc.report))
    review = data["departments"][0]["sections"][0]["items"][0]["review"]
    assert review["status"] == "submitted"
    assert review["comments"][0]["text"] == "【送審】請看" and review["comments"][0]["author"] == "王小明"
    again = report_from_dict(data)
    assert again.departments[0].sections[0].items[0].status == "submitted"
    assert [c.text for c in again.comments] == ["【送審】請看"]


def test_a_budget_amount_changed_since_approval_is_marked(tmp_path):
    """A template report (issue 19): 核定 keeps the row's column values, and a later change of
    預算金額 is a change since approval, named by its key."""
    from template_reports import budget_report

    doc = ReportDocument.create(tmp_path / "b.awr", budget_report(), person=CHIEF)
    item = doc.report.departments[0].sections[0].items[0]  # the 業務's implicit 目
    doc.apply(ReviewAction(item.id, "approve"))
    assert changes_since_approval(doc, item.id) == []
    doc.apply(ReviewAction(item.id, "reopen"))
    doc.apply(SetField(item.entries[0].id, "budget", 150000))
    [change] = changes_since_approval(doc, item.id)
    assert change.change == "修改" and change.fields == ["budget"]
    doc.close()


def test_an_approved_kpi_goal_keeps_its_title_until_reopened(tmp_path):
    """The 策略績效目標 of a KPI report is reviewed through its implicit 目: once 核定, its title is
    locked as a 目's is, and the refusal names the goal, not the untitled 目."""
    from template_reports import kpi_report

    doc = ReportDocument.create(tmp_path / "k.awr", kpi_report(), person=CHIEF)
    goal = doc.report.departments[0].sections[0]
    doc.apply(ReviewAction(goal.items[0].id, "approve"))
    with pytest.raises(ReportError, match="「提升為民服務品質」已核定"):
        doc.apply(SetField(goal.id, "title", "改過的目標"))
    with pytest.raises(ReportError, match="「提升為民服務品質」已核定"):
        doc.apply(SetField(goal.items[0].entries[0].id, "actual", 95))
    doc.apply(ReviewAction(goal.items[0].id, "reopen"))
    doc.apply(SetField(goal.id, "title", "改過的目標"))
    assert goal.title == "改過的目標"
    doc.close()
