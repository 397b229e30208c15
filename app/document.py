"""An open report: the in-memory tree kept in step with its file.

:class:`ReportDocument` is what the GUI and the CLI hold.  Every change goes
through :meth:`ReportDocument.apply` / :meth:`ReportDocument.revert` with an
:class:`~app.operations.Operation`: the operation's primitive steps run inside
one SQLite transaction and mirror themselves in memory.  If the transaction
fails (disk full, read-only file, a constraint) SQLite rolls the file back and
the primitives' undo log rolls memory back, so memory never disagrees with disk.

The primitives are the methods of the :class:`~app.edits.Edits` protocol.
``apply`` hands the operation a :class:`_Transaction` that implements it for
this one transaction and is closed after it, so no primitive runs outside a
transaction.  Every primitive notes what it touched in the transaction's
:class:`~app.changes.Changes`, writes a history row (who, when, which action,
the field's value before and after) in the same transaction, and refuses to
touch the content of an approved 目 (review locks, see app/review.py).
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from .changes import Changes
from .edits import Approval, Edits, HistoryRow
from .errors import ReportError, shown
from .model import (
    CHILD_KIND,
    LEVEL_SUBITEM,
    NODE_CLASS,
    PARENT_KIND,
    REVIEW_STATUSES,
    Comment,
    Department,
    Entry,
    Item,
    Node,
    Report,
    child_list,
    clone_tree,
    get_field,
    put_field,
)
from .operations import Operation
from .person import Person, now_iso
from .storage import Repository

__all__ = ["Listener", "Person", "ReportDocument", "now_iso"]

Listener = Callable[[Changes], None]  # told what each change did (app/changes.py)


class ReportDocument:
    def __init__(self, repo: Repository, person: Person | None = None):
        self.repo = repo
        try:
            self.report: Report = repo.load()
        except BaseException:
            repo.close()  # and its lock: a report that cannot be read is not held open
            raise
        self._person = person or Person.from_environment()
        self._listeners: list[Listener] = []
        self._reindex()

    # --- life cycle ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False, person: Person | None = None) -> "ReportDocument":
        person = person or Person.from_environment()
        # The lock names the person (name and role as they set them), not the login user.
        return cls(Repository.open(path, read_only=read_only, holder=(person.name, person.role)), person)

    @property
    def person(self) -> Person:
        """Who is working; the report's lock names them to a second program (app/storage/lock.py)."""
        return self._person

    @person.setter
    def person(self, person: Person) -> None:
        self._person = person
        if self.repo.lock is not None:
            self.repo.lock.set_holder((person.name, person.role))

    @property
    def read_only(self) -> bool:
        return self.repo.read_only

    @classmethod
    def create(cls, path: str | os.PathLike[str], report: Report, *, overwrite: bool = False,
               history: list[dict] | None = None, person: Person | None = None) -> "ReportDocument":
        person = person or Person.from_environment()
        return cls(Repository.create(path, report, overwrite=overwrite, history=history,
                                     holder=(person.name, person.role)), person)

    @property
    def package(self) -> dict | None:
        return self.report.package

    @property
    def path(self) -> Path:
        return self.repo.path

    def close(self) -> None:
        self.repo.close()

    def _reindex(self) -> None:
        self._nodes: dict[str, Node | Report] = {self.report.id: self.report}
        self._parents: dict[str, Node | Report] = {}
        for parent in [self.report, *self.report.walk()]:
            for child in parent.children:
                self._nodes[child.id] = child
                self._parents[child.id] = parent

    # --- lookup ----------------------------------------------------------------

    def node(self, node_id: str) -> Node | Report:
        try:
            return self._nodes[node_id]
        except (KeyError, TypeError):  # TypeError: an unhashable "id" from a script
            raise ReportError("找不到要修改的資料（可能已被刪除）", self.path) from None

    def find(self, node_id: str) -> Node | Report | None:
        return self._nodes.get(node_id)

    def parent(self, node_id: str) -> Node | Report:
        return self._parents[node_id]

    def index_of(self, node_id: str) -> int:
        siblings = self._parents[node_id].children
        for index, sibling in enumerate(siblings):
            if sibling.id == node_id:
                return index
        raise KeyError(node_id)

    def department_of(self, node_id: str) -> Department | None:
        node = self.node(node_id)
        while node.kind not in ("department", "report"):
            node = self._parents[node.id]
        return node if isinstance(node, Department) else None

    # --- listeners -------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # --- the one path for every change -----------------------------------------

    def apply(self, operation: "Operation", *, source: Any = None) -> Changes:
        """Apply ``operation`` in one transaction; returns (and tells every listener) what changed.

        ``source`` is whoever asked (a view, a panel): it comes back in the
        record so that part of the window can skip what it caused itself."""
        return self._run(operation.apply, operation, undone=False, source=source)

    def revert(self, operation: "Operation", *, source: Any = None) -> Changes:
        return self._run(operation.revert, operation, undone=True, source=source)

    def _run(self, step: Callable[[Edits], None], operation: "Operation", *, undone: bool,
             source: Any = None) -> Changes:
        # Each primitive logs how to take its in-memory step back.  If the
        # transaction fails (even at COMMIT: disk full, a file made read-only)
        # SQLite rolls the file back and the log rolls memory back — without
        # reading the file again, which may be exactly what cannot be done.
        changes = Changes(operation, undone, source)
        edits = _Transaction(self, changes)
        try:
            with self.repo.transaction():
                step(edits)  # (mypy checks here that _Transaction implements Edits)
                if edits.history:
                    # The label may only be known once applied (「刪除目」).
                    action = ("復原 " if undone else "") + (operation.label or "修改")
                    for row in edits.history:
                        row["action"] = row["action"] or action
                    self.repo.add_history(edits.history)
                    for row in edits.history:
                        changes.note_history(row["node_id"], row["item_id"])
        except BaseException:
            for undo_step in reversed(edits.memory_undo):
                undo_step()
            raise
        finally:
            edits.close()
        for listener in list(self._listeners):
            listener(changes)
        return changes

    def _index_subtree(self, node: Node, parent: Node | Report) -> None:
        self._nodes[node.id] = node
        self._parents[node.id] = parent
        for descendant_parent in _subtree(node):
            for child in descendant_parent.children:
                self._nodes[child.id] = child
                self._parents[child.id] = descendant_parent

    def _unindex_subtree(self, node: Node) -> None:
        for descendant in _subtree(node):
            self._nodes.pop(descendant.id, None)
            self._parents.pop(descendant.id, None)

    # --- queries -----------------------------------------------------------------

    def comments_on(self, node_id: str) -> list[Comment]:
        return [c for c in self.report.comments if c.node_id == node_id]

    def history_of(self, node_id: str) -> list[HistoryRow]:
        """A 目's history includes its entries'; any other node's is its own."""
        node = self.find(node_id)
        if node is not None and node.kind == "item":
            return self.repo.history(node_ids=[node_id], item_id=node_id)
        return self.repo.history(node_ids=[node_id])


class _Transaction:
    """The :class:`~app.edits.Edits` of one running transaction of a :class:`ReportDocument`.

    It holds the transaction's state — the change record, the in-memory undo
    log, the history rows to write — and is closed when the transaction ends,
    after which every method raises: nothing can change a report outside a
    transaction.  Only :meth:`ReportDocument._run` makes one."""

    def __init__(self, doc: ReportDocument, changes: Changes):
        self._doc: ReportDocument | None = doc
        self.changes = changes
        self.memory_undo: list[Callable[[], None]] = []
        self.history: list[HistoryRow] = []

    def close(self) -> None:
        self._doc = None

    @property
    def doc(self) -> ReportDocument:
        if self._doc is None:
            raise RuntimeError("a report can only be changed inside ReportDocument.apply / revert")
        return self._doc

    # --- who and where, lookups ------------------------------------------------

    @property
    def path(self) -> Path:
        return self.doc.path

    @property
    def person(self) -> Person:
        return self.doc.person

    @property
    def report(self) -> Report:
        return self.doc.report

    def node(self, node_id: str) -> Node | Report:
        return self.doc.node(node_id)

    def find(self, node_id: str) -> Node | Report | None:
        return self.doc.find(node_id)

    def parent(self, node_id: str) -> Node | Report:
        return self.doc.parent(node_id)

    def index_of(self, node_id: str) -> int:
        return self.doc.index_of(node_id)

    def department_of(self, node_id: str) -> Department | None:
        return self.doc.department_of(node_id)

    def comment(self, comment_id: str) -> Comment | None:
        return next((c for c in self.doc.report.comments if c.id == comment_id), None)

    # --- helpers -------------------------------------------------------------------

    def _log(self, undo_step: Callable[[], None]) -> None:
        self.memory_undo.append(undo_step)

    def _record(self, node: Node | Report, field: str | None, before: Any, after: Any) -> None:
        """A history row, written with the transaction (so it is exactly as durable as the change)."""
        doc = self.doc
        self.history.append({
            "id": str(uuid.uuid4()), "at": now_iso(), "who": doc.person.name, "role": doc.person.role,
            "action": None, "kind": node.kind, "node_id": node.id, "item_id": self._item_id_of(node),
            "department_id": self._department_id(node.id), "field": field,
            "before": None if before is None else json.dumps(before, ensure_ascii=False),
            "after": None if after is None else json.dumps(after, ensure_ascii=False),
        })

    def _item_id_of(self, node: Node | Report) -> str | None:
        if node.kind == "item":
            return node.id
        if node.kind == "entry":
            parent = self.doc._parents.get(node.id)
            return parent.id if parent is not None else None
        return None

    def _department_id(self, node_id: str) -> str | None:
        if node_id not in self.doc._nodes:
            return None
        department = self.doc.department_of(node_id)
        return department.id if department is not None else None

    def _note(self, node: Node | Report) -> None:
        self.changes.note_node(node.id, node.kind, self._department_id(node.id))

    def _check_unlocked(self, node: Node | Report, *, field: str | None = None) -> None:
        """Approved 目 are locked: their title and entries change only after a chief reopens them."""
        items: list[Item]
        if node.kind == "entry":
            item = self.doc._parents.get(node.id)
            items = [item] if isinstance(item, Item) else []
        elif node.kind == "item":
            items = [] if field in ("status", "predecessor_id") else [node]
        elif node.kind in ("section", "department") and field is None:
            items = [n for n in _subtree(node) if isinstance(n, Item)]
        elif node.kind in ("section", "department") and "item" in self.doc.report.template.implicit_kinds \
                and node.kind == self.doc.report.template.level_kinds[-1] and field in ("name", "title"):
            # a budget 業務 / KPI 策略績效目標 is reviewed through its implicit 目: its title is locked as a 目's
            items = [n for n in _subtree(node) if isinstance(n, Item)]
        else:
            items = []
        for item in items:
            if item.status == "approved":
                raise ReportError(f"「{self._shown_title(item)}」已核定，需由主管重新開啟後才能修改", self.path)

    def _shown_title(self, item: Item) -> str:
        """A 目's title, or for an implicit 目 the title of the node that shows it (業務, 策略績效目標)."""
        node: Node | Report = item
        while not getattr(node, "title", "") and not getattr(node, "name", "") and node.kind != "report":
            node = self.doc._parents[node.id]
        return getattr(node, "title", "") or getattr(node, "name", "")

    # --- primitives ----------------------------------------------------------------

    def set_field(self, node_id: str, field: str, value: Any) -> Any:
        doc = self.doc
        node = doc.node(node_id)
        template = doc.report.template
        if field in node.FIELDS:
            value = _checked_value(node.kind, field, value, doc.path, template)
        elif isinstance(node, Entry) and field in {c.key for c in template.value_columns}:
            value = _checked_column_value(template.column(field), value, doc.path)
        else:
            raise ReportError(f"「{field}」不是可以修改的欄位", doc.path)
        old = get_field(node, field)
        if field == "status" and value not in REVIEW_STATUSES:
            raise ReportError(f"審核狀態「{value}」不正確", doc.path)
        self._check_unlocked(node, field=field)
        if field in node.FIELDS:
            doc.repo.set_field(node.kind, node_id, field, value)
        else:
            entry = cast(Entry, node)
            doc.repo.set_entry_values(node_id, {**entry.values, field: value} if value is not None
                                      else {k: v for k, v in entry.values.items() if k != field})
        put_field(node, field, value)
        self._log(lambda: put_field(node, field, old))
        self.changes.note_field(node_id, node.kind, field, self._department_id(node_id))
        self._record(node, field, old, value)
        return old

    def insert(self, parent_id: str, index: int, node: Node) -> None:
        doc = self.doc
        parent = doc.node(parent_id)
        expected = CHILD_KIND.get(parent.kind)
        if expected is None or getattr(node, "kind", None) != expected:
            raise ReportError(f"無法把{getattr(node, 'kind', '這筆資料')}放在{parent.kind}之下", doc.path)
        index = _checked_index(index, doc.path)
        _check_levels(doc.report.template, node, parent, doc.path)
        _checked_subtree(node, expected, doc._nodes, doc.path, doc.report.template)  # before anything is written
        siblings = child_list(parent)
        index = max(0, min(index, len(siblings)))
        if parent.kind == "item":
            self._check_unlocked(parent)
        if node.kind == "department" and doc.report.package is not None:
            raise ReportError("工作包只能編輯它的部門，不能新增部門", doc.path)
        doc.repo.insert_subtree(parent_id, node, index)
        siblings.insert(index, node)
        doc._index_subtree(node, parent)

        def undo_insert() -> None:
            siblings.remove(node)
            doc._unindex_subtree(node)

        self._log(undo_insert)
        doc.repo.set_positions(node.kind, [s.id for s in siblings])
        self.changes.inserted.add(node.id)
        self.changes.parents.add(parent_id)
        for descendant in _subtree(node):
            self._note(descendant)
        self._record(node, None, None, _summary(node))

    def delete(self, node_id: str) -> tuple[str, int, Node]:
        doc = self.doc
        node = doc.node(node_id)
        if isinstance(node, Report):
            raise ReportError("不能刪除整份報告", doc.path)
        parent = doc._parents[node_id]
        siblings = child_list(parent)
        index = doc.index_of(node_id)
        copy = clone_tree(node)
        if node.kind in doc.report.template.implicit_kinds:
            raise ReportError(f"「{doc.report.template.name}」範本沒有這一層，不能單獨刪除", doc.path)
        self._check_unlocked(node)
        if node.kind == "department" and doc.report.package is not None:
            raise ReportError("工作包只能編輯它的部門，不能刪除部門", doc.path)
        self._record(node, None, _summary(node), None)
        self.changes.deleted.add(node_id)
        self.changes.parents.add(parent.id)
        for descendant in _subtree(node):
            self._note(descendant)
        doc.repo.delete_node(node.kind, node_id)
        del siblings[index]
        doc._unindex_subtree(node)

        def undo_delete() -> None:
            siblings.insert(index, node)
            doc._index_subtree(node, parent)

        self._log(undo_delete)
        doc.repo.set_positions(node.kind, [s.id for s in siblings])
        return parent.id, index, copy

    def move(self, node_id: str, new_parent_id: str, new_index: int) -> tuple[str, int]:
        doc = self.doc
        node = doc.node(node_id)
        if isinstance(node, Report):
            raise ReportError("無法移到這個位置", doc.path)
        old_parent = doc._parents[node_id]
        old_index = doc.index_of(node_id)
        new_index = _checked_index(new_index, doc.path)
        new_parent = doc.node(new_parent_id)
        if PARENT_KIND[node.kind] != new_parent.kind or node.kind in doc.report.template.implicit_kinds:
            raise ReportError("無法移到這個位置", doc.path)
        self._note(node)  # the department it leaves
        if node.kind == "entry":
            self._check_unlocked(node)
            if new_parent.kind == "item":
                self._check_unlocked(new_parent)
        elif new_parent is not old_parent:
            self._check_unlocked(node)  # an approved 目 (or a 項 holding one) keeps its place until reopened
        old_siblings, new_siblings = child_list(old_parent), child_list(new_parent)
        del old_siblings[old_index]
        new_index = max(0, min(new_index, len(new_siblings)))
        new_siblings.insert(new_index, node)
        doc._parents[node_id] = new_parent

        def undo_move() -> None:
            new_siblings.remove(node)
            old_siblings.insert(old_index, node)
            doc._parents[node_id] = old_parent

        self._log(undo_move)
        if new_parent is not old_parent:
            doc.repo.set_parent(node.kind, node_id, new_parent_id)
            doc.repo.set_positions(node.kind, [s.id for s in old_siblings])
        doc.repo.set_positions(node.kind, [s.id for s in new_siblings])
        self.changes.moved.add(node_id)
        self.changes.parents.update((old_parent.id, new_parent.id))
        self._note(node)  # the department it joins
        self._record(node, "position", {"parent": old_parent.id, "index": old_index},
                     {"parent": new_parent.id, "index": new_index})
        return old_parent.id, old_index

    def add_comment(self, comment: Comment) -> None:
        doc = self.doc
        if not isinstance(comment, Comment):
            raise ReportError("意見的格式不正確", doc.path)
        _checked_id(comment.id, doc.path)
        if self.comment(comment.id) is not None:
            raise ReportError("意見的識別碼重複", doc.path)
        if not isinstance(comment.node_id, str) or doc.find(comment.node_id) is None:
            raise ReportError("找不到意見所屬的資料（可能已被刪除）", doc.path)
        for what, value in (("意見", comment.text), ("意見的作者", comment.author),
                            ("作者的角色", comment.role), ("意見的時間", comment.at)):
            _checked_text(value, what, doc.path)
        comments = doc.report.comments
        doc.repo.add_comment(comment)
        comments.append(comment)
        self._log(lambda: comments.remove(comment))
        self.changes.comments.add(comment.node_id)
        node = doc.find(comment.node_id)
        if node is not None:
            self._note(node)
            self._record(node, "comment", None, comment.text)

    def remove_comment(self, comment_id: str) -> None:
        doc = self.doc
        comments = doc.report.comments
        for index, comment in enumerate(comments):
            if comment.id == comment_id:
                doc.repo.delete_comment(comment_id)
                del comments[index]
                self._log(lambda: comments.insert(index, comment))
                self.changes.comments.add(comment.node_id)
                self.changes.history.add(comment.node_id)  # its history row goes with the undo
                node = doc.find(comment.node_id)
                if node is not None:
                    self._note(node)
                return

    def set_approval(self, item_id: str, approval: Approval | None) -> Approval | None:
        if not isinstance(self.doc.node(item_id), Item):
            raise ReportError("只有目可以核定", self.path)
        if approval is not None and not isinstance(approval, dict):
            raise ReportError("核定紀錄的格式不正確", self.path)
        repo = self.doc.repo
        old = repo.approval(item_id)
        repo.set_approval(item_id, approval)
        self.changes.note_field(item_id, "item", "approval", self._department_id(item_id))
        return old

    def set_proofread_ignore(self, key: str, record: dict | None) -> dict | None:
        doc = self.doc
        _checked_text(key, "校對項目", doc.path)
        if not key:
            raise ReportError("校對項目的識別碼空白", doc.path)
        if record is not None:
            if not isinstance(record, dict):
                raise ReportError("忽略紀錄的格式不正確", doc.path)
            record = {name: _checked_text(str(record.get(name) or ""), "忽略紀錄", doc.path)
                      for name in ("who", "role", "at", "rule", "text")}
        ignored = doc.report.proofread_ignored
        old = ignored.get(key)
        doc.repo.set_proofread_ignore(key, record)
        if record is None:
            ignored.pop(key, None)
        else:
            ignored[key] = record

        def undo() -> None:
            if old is None:
                ignored.pop(key, None)
            else:
                ignored[key] = old

        self._log(undo)
        self.changes.proofread_ignored.add(key)
        self._record(doc.report, "proofread_ignore", {"key": key, **old} if old else None,
                     {"key": key, **record} if record else None)
        return old

    def set_proofread_words(self, words: list[str]) -> list[str]:
        doc = self.doc
        if not isinstance(words, list):
            raise ReportError("詞庫的格式不正確", doc.path)
        cleaned: list[str] = []
        for word in words:
            word = _checked_text(word, "詞庫的詞", doc.path).strip()
            if word and word not in cleaned:
                cleaned.append(word)
        current = doc.report.proofread_words
        old = list(current)
        doc.repo.set_proofread_words(cleaned)
        current[:] = cleaned
        self._log(lambda: current.__setitem__(slice(None), old))
        self.changes.proofread_words = True
        self._record(doc.report, "proofread_words", old, cleaned)
        return old

    def set_template(self, template: Any) -> Any:
        from .templates import Template
        from .templates_change import fit_problem

        doc = self.doc
        if not isinstance(template, Template):
            raise ReportError("範本的格式不正確", doc.path)
        report = doc.report
        if report.package is not None:
            raise ReportError("工作包不能變更報告範本（請在原報告中變更，再重新分送）", doc.path)
        problem = fit_problem(report, template, check_values=True)
        if problem:
            raise ReportError(problem, doc.path)
        old = report.template
        doc.repo.set_template(report.id, template)
        report.template = template

        def undo() -> None:
            report.template = old

        self._log(undo)
        self.changes.template_changed = True
        self.changes.note_field(report.id, "report", "template", None)
        self.changes.departments.update(d.id for d in report.departments)
        self._record(report, "template", old.name, template.name)
        return old

    def add_history(self, rows: list[HistoryRow]) -> None:
        self.doc.repo.add_history(rows)
        for row in rows:
            self.changes.note_history(row.get("node_id"), row.get("item_id"))

    def remove_history(self, rows: list[HistoryRow]) -> None:
        self.doc.repo.delete_history([row["id"] for row in rows])
        for row in rows:
            self.changes.note_history(row.get("node_id"), row.get("item_id"))


def _summary(node: Node) -> dict[str, Any]:
    """What a history row keeps of an inserted or deleted node."""
    if node.kind == "entry":
        summary = {"level": node.level, "text": node.text, "completion": node.completion, "remark": node.remark}
        if node.values:
            from .templates import json_value

            summary["values"] = {key: json_value(value) for key, value in sorted(node.values.items())}
        return summary
    title = node.name if node.kind == "department" else node.title
    return {"title": title, "children": len(node.children)}


def _subtree(node: Node | Report) -> Iterator[Node | Report]:
    yield node
    for child in node.children:
        yield from _subtree(child)


_TEXT_FIELDS = {"office", "numbering_style", "name", "title", "text", "remark"}
#: Fields holding another node's id (or nothing).
_ID_FIELDS = {"predecessor_id"}
#: ROC years a report can be about or published in (SQLite's 64-bit integer is far wider).
ROC_YEARS = range(1, 1000)


def _checked_text(value: Any, what: str, path: Path) -> str:
    """A str that SQLite can store as UTF-8 (no lone surrogate); otherwise a ReportError."""
    if not isinstance(value, str):
        raise ReportError(f"「{what}」必須是文字", path)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ReportError(f"「{what}」含有無法儲存的字元", path) from None
    return value


def _checked_id(value: Any, path: Path) -> str:
    """A node's (or comment's) own id: non-empty storable text."""
    if not isinstance(value, str) or not value:
        raise ReportError("資料的識別碼必須是文字", path)
    return _checked_text(value, "識別碼", path)


def _checked_index(value: Any, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError("位置必須是整數", path)
    return value


def _check_levels(template: Any, node: Node, parent: Node | Report, path: Path) -> None:
    """A node inserted into a report of a template with implicit levels (app.templates
    Template.implicit_kinds) brings its one untitled child of each, and no second one is added."""
    implicit = template.implicit_kinds
    if not implicit:
        return
    name = template.name
    if node.kind in implicit:
        if parent.children:
            raise ReportError(f"「{name}」範本沒有這一層，不能再新增", path)
    current: Any = node
    while current.kind in (template.level_kinds[-1], *implicit) and current.kind != "item":
        if len(current.children) != 1:
            raise ReportError(f"「{name}」範本的每個{template.levels[-1].name}只有一組資料列", path)
        current = current.children[0]


def _checked_column_value(column: Any, value: Any, path: Path) -> Any:
    """A template column's value as an entry keeps it (app.templates.kept_value), or a ReportError."""
    from .templates import ValueProblem, kept_value

    try:
        value = kept_value(column, value)
    except ValueProblem as problem:
        raise ReportError(str(problem), path) from None
    if isinstance(value, str):
        _checked_text(value, column.heading, path)
    return value


def _checked_value(kind: str, field: str, value: Any, path: Path, template: Any = None) -> Any:
    """Clean and type-check a value before it is written (no-ops are the caller's).

    What is returned is what both memory and the file get, so they cannot
    disagree (``numbered=0`` becomes ``False`` in both; ``level=1.0`` is refused)."""
    if field in _TEXT_FIELDS:
        return _checked_text(value, field, path)
    if field in _ID_FIELDS:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ReportError("前一年度的對應資料必須是識別碼文字或留空", path)
        return _checked_text(value, field, path)
    if field == "status":
        if not isinstance(value, str) or value not in REVIEW_STATUSES:
            raise ReportError(f"審核狀態「{value!s:.20}」不正確", path)
        return value
    if field == "completion":
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ReportError("完成程度必須是 0 到 100 的整數，或留空", path)
        return value
    if field == "level":
        deepest = template.max_entry_level if template is not None else LEVEL_SUBITEM
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= deepest:
            if deepest == LEVEL_SUBITEM:
                raise ReportError("層級必須是 0（段落）、1（項次）或 2（子項）", path)
            raise ReportError(f"層級必須是 0（段落）到 {deepest}", path)
        return value
    if field == "numbered":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise ReportError("「編號」必須是是或否", path)
    if field in ("roc_year", "published_roc_year", "published_month"):
        if value is None and field != "roc_year":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ReportError("年度與月份必須是正整數", path)
        if field == "published_month":
            if not 1 <= value <= 12:
                raise ReportError("月份必須介於 1 到 12", path)
        elif value not in ROC_YEARS:
            raise ReportError("民國年度必須介於 1 到 999", path)
        return value
    raise ReportError(f"「{field}」不是可以修改的欄位", path)


def _checked_subtree(node: Any, kind: str, taken: dict[str, Node | Report], path: Path,
                     template: Any = None) -> None:
    """Check (and normalise in place) a subtree about to be inserted, before anything is written.

    Every node must be of the kind its place expects, every value as
    :func:`_checked_value` wants it, and every id unique within the subtree
    and against the report (across kinds: one index holds them all)."""
    seen: set[str] = set()

    def check(given: Any, expected: str) -> None:
        cls = NODE_CLASS.get(expected)
        if cls is None or type(given) is not cls:
            raise ReportError("要新增的資料種類不正確", path)
        current = cast(Node, given)  # its class is exactly the kind's node class
        node_id = _checked_id(current.id, path)
        if node_id in taken or node_id in seen:
            raise ReportError("資料的識別碼重複", path)
        seen.add(node_id)
        for name in current.FIELDS:
            setattr(current, name, _checked_value(expected, name, getattr(current, name), path, template))
        if isinstance(current, Entry):
            if not isinstance(current.values, dict):
                raise ReportError("要新增的資料種類不正確", path)
            columns = {c.key: c for c in template.value_columns} if template is not None else {}
            kept = {}
            for key, value in current.values.items():
                if key not in columns:
                    raise ReportError(f"「{shown(str(key), quote=False)}」不是這份報告範本的欄位", path)
                value = _checked_column_value(columns[key], value, path)
                if value is not None:
                    kept[key] = value
            current.values = kept
        children = current.children
        if not isinstance(children, list):
            raise ReportError("要新增的資料種類不正確", path)
        child_kind = CHILD_KIND.get(expected)
        for child in children:
            if child_kind is None:
                raise ReportError("要新增的資料種類不正確", path)
            check(child, child_kind)

    check(node, kind)
