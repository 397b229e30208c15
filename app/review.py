"""Review per 目: 草稿 → 送審 → 退回 / 核定, comments, approval locks, changes since approval.

Review steps are operations like every other change (undoable, one
transaction, in the history).  Who may do what:

==========  ===============================  ==================
action      from                             who
==========  ===============================  ==================
submit      草稿, 退回                        anyone
return      送審                              主管
approve     草稿, 送審, 退回                  主管
reopen      核定                              主管
==========  ===============================  ==================

Approving stores what the 目 looked like (title and entries); an approved 目
is locked (app/document.py refuses changes to it) until a chief reopens it,
and after reopening :func:`changes_since_approval` shows what changed since.
Roles are declared by each person on first start — this is a workflow, not
access control (anyone can edit a file on their own PC).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .edits import Approval, Edits
from .errors import ReportError
from .model import REVIEW_LABEL, ROLE_LABEL, Comment, Item
from .operations import Operation
from .person import now_iso

if TYPE_CHECKING:
    from .document import ReportDocument

ACTIONS = {
    # action: (allowed from, to, chief only, label)
    "submit": (("draft", "returned"), "submitted", False, "送審"),
    "return": (("submitted",), "returned", True, "退回"),
    "approve": (("draft", "submitted", "returned"), "approved", True, "核定"),
    "reopen": (("approved",), "draft", True, "重新開啟"),
}


def snapshot(item: Item) -> dict:
    """What 核定 keeps of a 目: its title and entries (with a template's column values, issue 19)."""
    return {
        "title": item.title,
        "entries": [
            {"id": e.id, "level": e.level, "text": e.text, "completion": e.completion, "remark": e.remark,
             **({"values": _json_values(e)} if e.values else {})}
            for e in item.entries
        ],
    }


def _json_values(entry) -> dict:
    from .templates import json_value

    return {key: json_value(value) for key, value in sorted(entry.values.items())}


def allowed_actions(item: Item, role: str) -> list[str]:
    return [
        action for action, (sources, _, chief_only, _) in ACTIONS.items()
        if item.status in sources and (role == "chief" or not chief_only)
    ]


@dataclass
class ReviewAction(Operation):
    item_id: str
    action: str
    comment: str = ""
    label: str = ""
    old_status: str = ""
    old_approval: Approval | None = None
    added_comment: Comment | None = None

    def apply(self, edits: Edits) -> None:
        if self.action not in ACTIONS:
            raise ReportError(f"不明的審核動作「{self.action}」", edits.path)
        sources, target, chief_only, verb = ACTIONS[self.action]
        item = _item(edits, self.item_id)
        self.label = self.label or f"{verb}「{item.title}」"
        if chief_only and edits.person.role != "chief":
            raise ReportError(f"只有主管可以{verb}（目前身分：{ROLE_LABEL.get(edits.person.role, edits.person.role)}）", edits.path)
        if item.status not in sources:
            raise ReportError(f"「{item.title}」目前是{REVIEW_LABEL[item.status]}，不能{verb}", edits.path)
        self.old_status = edits.set_field(self.item_id, "status", target)
        if self.action == "approve":
            self.old_approval = edits.set_approval(
                self.item_id, {"at": now_iso(), "by": edits.person.name, "snapshot": snapshot(item)})
        if self.comment.strip():
            if self.added_comment is None:
                self.added_comment = Comment(node_id=self.item_id, author=edits.person.name, role=edits.person.role,
                                             at=now_iso(), text=f"【{verb}】{self.comment.strip()}")
            edits.add_comment(self.added_comment)

    def revert(self, edits: Edits) -> None:
        if self.added_comment is not None:
            edits.remove_comment(self.added_comment.id)
        if self.action == "approve":
            edits.set_approval(self.item_id, self.old_approval)
        edits.set_field(self.item_id, "status", self.old_status)

    def touched_ids(self) -> set[str]:
        return {self.item_id}


@dataclass
class AddComment(Operation):
    node_id: str
    text: str
    label: str = "新增意見"
    comment: Comment | None = None

    def apply(self, edits: Edits) -> None:
        edits.node(self.node_id)  # must exist
        if not self.text.strip():
            raise ReportError("意見內容空白", edits.path)
        if self.comment is None:
            self.comment = Comment(node_id=self.node_id, author=edits.person.name, role=edits.person.role,
                                   at=now_iso(), text=self.text.strip())
        edits.add_comment(self.comment)

    def revert(self, edits: Edits) -> None:
        assert self.comment is not None
        edits.remove_comment(self.comment.id)

    def touched_ids(self) -> set[str]:
        return {self.node_id}


def _item(edits: Edits, item_id: str) -> Item:
    """The 目 ``item_id``; a ReportError when it is gone or is not a 目."""
    node = edits.node(item_id)
    if not isinstance(node, Item):
        raise ReportError("只有「目」可以送審、退回、核定或重新開啟", edits.path)
    return node


# --- changes since the last approval ------------------------------------------------


@dataclass
class EntryChange:
    entry_id: str
    change: str  # "新增" / "修改" / "刪除"
    fields: list[str] = field(default_factory=list)
    diff: list[tuple[str, str]] = field(default_factory=list)  # (op, text): op in "=", "+", "-"

    def diff_html(self) -> str:
        """The text difference, marked: <ins> added, <del> removed (for a tooltip)."""
        from html import escape

        parts = []
        for op, text in self.diff:
            text = escape(text).replace("\n", "<br>")
            parts.append(text if op == "=" else (f"<ins style='background:#c8f7c5'>{text}</ins>" if op == "+"
                                                 else f"<del style='background:#ffd6d6'>{text}</del>"))
        return "".join(parts)


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    result: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.append(("=", before[i1:i2]))
        else:
            if i2 > i1:
                result.append(("-", before[i1:i2]))
            if j2 > j1:
                result.append(("+", after[j1:j2]))
    return result


def changes_since_approval(doc: "ReportDocument", item_id: str) -> list[EntryChange] | None:
    """None when the 目 was never approved; else what differs from the approved version."""
    approval = doc.repo.approval(item_id)
    if approval is None:
        return None
    item = doc.node(item_id)
    if not isinstance(item, Item):
        return None  # approvals are kept for 目 only
    approved = {e["id"]: e for e in approval["snapshot"]["entries"]}
    changes = []
    for entry in item.entries:
        old = approved.pop(entry.id, None)
        if old is None:
            changes.append(EntryChange(entry.id, "新增", ["text"], [("+", entry.text)]))
            continue
        fields = [f for f in ("level", "text", "completion", "remark") if old[f] != getattr(entry, f)]
        before, now = old.get("values") or {}, _json_values(entry)
        fields += [key for key in sorted(set(before) | set(now)) if before.get(key) != now.get(key)]
        if fields:
            changes.append(EntryChange(entry.id, "修改", fields, text_diff(old["text"], entry.text)))
    for entry_id, old in approved.items():
        changes.append(EntryChange(entry_id, "刪除", ["text"], [("-", old["text"])]))
    return changes
