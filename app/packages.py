"""Department work packages: issue one per 課室, merge it back safely.

A package is an ordinary report file holding one department (same ids as in
the report), with ``Report.package`` saying which report issued it, for
which department, and the department as issued (the *base* of the three-way
merge, interchange JSON).  The department's history and comments travel with
it; a clerk opens it in the same program and can edit only that department.

Merging (:func:`plan_merge` then :func:`apply_merge`) is refused — nothing
changes — when the package comes from another report (another year
included), holds or changes any other department, or changes content a
chief has approved in the report (checked on the package and again on the
merged result, so an entry the compiler moved into an approved 目 counts).
A merge writes only into its department: a result that keeps a node the
compiler has since moved into another department is refused, by the plan
and again by the apply (the report may have changed in between), so the
plan (``--dry-run``) predicts what the apply does.  Otherwise it is a three-way, per-field
merge by ids (app/merge.py); with unresolved conflicts nothing is applied.
A package carries the report's template and is refused when the two differ.
The application is one operation: one transaction, one undo step, after a
backup of the report.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .document import ReportDocument
from .edits import Edits, HistoryRow
from .errors import ReportError, shown
from .interchange import report_from_dict, report_to_dict
from .merge import Change, Conflict, MergeResult, changed_content_ids, merge_department
from .model import KIND_LABEL, Comment, Department, Entry, Node, Report, child_list, clone_tree, get_field, node_fields
from .numbering import style_named
from .operations import DeleteNode, InsertNode, MoveNode, Operation, SetField
from .person import now_iso


def issue_package(doc: ReportDocument, department_name: str, target: str | os.PathLike[str], *,
                  overwrite: bool = False) -> Path:
    """Write the work package of one department (all or nothing)."""
    report = doc.report
    if report.package is not None:
        raise ReportError("這個檔案本身就是工作包，請由彙整的報告分送工作包", doc.path)
    department = report.department_named(department_name)
    if department is None:
        names = "、".join(d.name for d in report.departments)
        raise ReportError(f"報告中沒有「{department_name}」這個部門（有：{names}）", doc.path)
    ids = {n.id for n in _walk(department)}
    base = report_to_dict(report, [department])["departments"][0]
    package = Report(
        id=report.id, office=report.office, roc_year=report.roc_year,
        published_roc_year=report.published_roc_year, published_month=report.published_month,
        numbering_style=report.numbering_style, predecessor_id=report.predecessor_id,
        template=report.template,
        departments=[clone_tree(department)],
        comments=[c for c in report.comments if c.node_id in ids],
        package={
            "report_id": report.id, "department_id": department.id, "base": base,
            "issued_at": now_iso(), "issued_by": doc.person.name,
            "office": report.office, "roc_year": report.roc_year,
            # 校對 as issued: the base of the merge of 忽略 and the word list
            "proofread_ignored": sorted(report.proofread_ignored),
            "proofread_words": list(report.proofread_words),
        },
        proofread_ignored={key: dict(record) for key, record in report.proofread_ignored.items()},
        proofread_words=list(report.proofread_words),
    )
    package.previous_entries = {k: v for k, v in report.previous_entries.items() if k in ids}
    history = doc.repo.history(department_id=department.id)
    ReportDocument.create(target, package, overwrite=overwrite, history=history).close()
    return Path(target)


@dataclass
class MergePlan:
    package_path: Path
    department_id: str
    result: MergeResult
    new_comments: list[Comment] = field(default_factory=list)
    new_history: list[HistoryRow] = field(default_factory=list)
    #: 校對: findings ignored in the package since it was issued (key → record), 忽略 taken back there,
    #: and the report's word list after the merge (None: unchanged).
    ignored_added: dict[str, dict] = field(default_factory=dict)
    ignored_removed: list[str] = field(default_factory=list)
    words: list[str] | None = None

    @property
    def conflicts(self) -> list[Conflict]:
        return self.result.conflicts

    @property
    def unresolved(self) -> list[Conflict]:
        return self.result.unresolved

    @property
    def changes(self) -> list[Change]:
        return self.result.changes

    @property
    def is_noop(self) -> bool:
        return (not self.result.changes and not self.new_comments and not self.ignored_added
                and not self.ignored_removed and self.words is None)


def plan_merge(doc: ReportDocument, package_path: str | os.PathLike[str], *, prefer: str | None = None,
               resolutions: dict[tuple[str, str], str] | None = None) -> MergePlan:
    """Everything a merge would do, or a ReportError saying why it is refused."""
    package_path = Path(package_path)
    package_doc = ReportDocument.open(package_path, read_only=True)
    try:
        package_report = package_doc.report
        info = package_report.package
        if info is None:
            raise ReportError("這不是工作包（是一般的報告檔）", package_path)
        report = doc.report
        if info.get("report_id") != report.id:
            raise ReportError(
                f"這個工作包來自另一份報告（{info.get('office', '')} {info.get('roc_year', '')} 年度），不能彙整到"
                f"「{report.office} {report.roc_year} 年度」", package_path)
        if package_report.template != report.template:
            raise ReportError(
                f"工作包使用{shown(package_report.template.name)}範本，報告使用{shown(report.template.name)}範本，不能彙整",
                package_path)
        if len(package_report.departments) != 1 or package_report.departments[0].id != info["department_id"]:
            raise ReportError("工作包含有它的部門以外的部門，不能彙整", package_path)
        package_department = package_report.departments[0]
        report_department = doc.find(info["department_id"])
        if report_department is None or report_department.kind != "department":
            raise ReportError("報告中已經沒有這個工作包的部門", package_path)
        base_report = report_from_dict({"format": "workreport", "version": 1, "office": "", "roc_year": 1,
                                        "departments": [info["base"]],
                                        **({} if report.template.is_default else {"template": report.template.to_dict()})})
        base = base_report.departments[0]
        if base.id != package_department.id:
            raise ReportError("工作包的基準資料與部門不符，檔案可能被修改過", package_path)
        approved = {i.id: i for s in report_department.sections for i in s.items if i.status == "approved"}
        touched = [approved[i].title for i in changed_content_ids(base, package_department) if i in approved]
        if touched:
            raise ReportError(f"工作包修改了主管已核定的內容（{'、'.join(touched)}），不能彙整；請主管先重新開啟這些目", package_path)
        position = next(n for n, d in enumerate(report.departments, start=1) if d.id == report_department.id)
        number = style_named(report.numbering_style).department_number(position)  # 壹、 in 「壹、民政部門 › …」
        if not report.template.is_default:
            number = report.template.levels[0].numbering.format(position)
        try:
            result = merge_department(base, package_department, report_department, prefer=prefer,
                                      resolutions=resolutions, label_prefix=number, template=report.template)
        except ValueError as exc:
            raise ReportError(f"工作包與報告的部門不相符（{exc}）", package_path) from exc
        _refuse_writes_outside(doc, report_department.id, result.merged, package_path)
        _refuse_changes_to_approved(report_department, result.merged, package_path)
        known_comments = {c.id for c in report.comments}
        merged_ids = {n.id for n in _walk(result.merged)}
        new_comments = [c for c in package_report.comments if c.id not in known_comments and c.node_id in merged_ids]
        known_history = {row["id"] for row in doc.repo.history(department_id=report_department.id)}
        new_history = [row for row in package_doc.repo.history(department_id=report_department.id)
                       if row["id"] not in known_history]
        ignored_added, ignored_removed, words = _proofread_merge(report, package_report, info)
    finally:
        package_doc.close()
    return MergePlan(package_path, report_department.id, result, new_comments, new_history,
                     ignored_added, ignored_removed, words)


def _proofread_merge(report: Report, package: Report, info: dict) -> tuple[dict[str, dict], list[str], list[str] | None]:
    """What the package did to 校對 since it was issued: 忽略 added and taken back, words added and removed.

    Three-way over sets, the issue-time lists in ``info`` being the base (a
    package from before 校對 existed has none: everything in it counts as added)."""
    base_keys = set(info.get("proofread_ignored") or ())
    added = {key: dict(record) for key, record in package.proofread_ignored.items()
             if key not in base_keys and key not in report.proofread_ignored}
    removed = [key for key in sorted(base_keys) if key not in package.proofread_ignored and key in report.proofread_ignored]
    base_words = set(info.get("proofread_words") or ())
    gone = {w for w in base_words if w not in package.proofread_words}
    words = [w for w in report.proofread_words if w not in gone]
    words += [w for w in package.proofread_words if w not in base_words and w not in words]
    return added, removed, (words if words != report.proofread_words else None)


def merge_operation(plan: MergePlan) -> "MergeDepartment":
    """The one operation that applies a conflict-free plan (the GUI pushes it on its undo stack)."""
    if plan.unresolved:
        raise ReportError(f"仍有 {len(plan.unresolved)} 個衝突未決定，未做任何變更", plan.package_path)
    return MergeDepartment(plan.result.merged, plan.new_comments, plan.new_history,
                           label=f"彙整工作包 {plan.package_path.name}", ignored_added=plan.ignored_added,
                           ignored_removed=plan.ignored_removed, words=plan.words)


def apply_merge(doc: ReportDocument, plan: MergePlan, *, backup: bool = True) -> "MergeDepartment":
    """Apply a conflict-free plan: a backup of the report, then one transaction."""
    operation = merge_operation(plan)
    if backup:
        doc.repo.backup("merge")
    doc.apply(operation)
    return operation


class MergeDepartment(Operation):
    """Turn the report's department into ``target`` with the fewest primitive steps.

    The steps are worked out when applied (against the document as it is
    then) and remembered, so undo reverts exactly those steps and redo works
    them out again.
    """

    def __init__(self, target: Department, comments: list[Comment], history: list[HistoryRow],
                 label: str = "彙整工作包", *, ignored_added: dict[str, dict] | None = None,
                 ignored_removed: list[str] | None = None, words: list[str] | None = None):
        self.target = target
        self.comments = comments
        self.history = history
        self.label = label
        self.applied: list[Operation] = []
        # 校對 (app/proofread.py): 忽略 and words the package brings
        self.ignored_added = dict(ignored_added or {})
        self.ignored_removed = list(ignored_removed or [])
        self.words = words
        self._ignored_before: dict[str, dict | None] = {}
        self._words_before: list[str] | None = None

    def touched_ids(self) -> set[str]:
        return {self.target.id}

    def _do(self, edits: Edits, operation: Operation) -> None:
        operation.apply(edits)
        self.applied.append(operation)

    def apply(self, edits: Edits) -> None:
        self.applied = []
        target = self.target
        current = edits.node(target.id)
        # The report may have changed since the plan (a node moved to another
        # department): refuse as the plan would, never write elsewhere.
        _refuse_writes_outside(edits, target.id, target, edits.path)
        wanted = {n.id: n for n in _walk(target)}
        parent_of = {child.id: parent.id for parent in _walk(target) for child in parent.children}
        existing = {n.id for n in _walk(current)}
        # 1. new nodes, top-down, each without the children that already exist (moved in later)
        for new in _below(target):
            if new.id in existing:
                continue
            if parent_of[new.id] in existing or edits.find(parent_of[new.id]) is not None:
                parent = edits.node(parent_of[new.id])
                if edits.find(new.id) is None:
                    fresh = _without_existing(new, existing)
                    index = [c.id for c in wanted[parent.id].children].index(new.id)
                    self._do(edits, InsertNode(parent.id, min(index, len(parent.children)), fresh))
        # 2. nodes that changed parent
        for node_id in wanted:
            if node_id == target.id or node_id not in existing:
                continue
            if edits.parent(node_id).id != parent_of[node_id]:
                index = [c.id for c in wanted[parent_of[node_id]].children].index(node_id)
                self._do(edits, MoveNode(node_id, parent_of[node_id], index))
        # 3. nodes gone (top-most only; their subtrees hold nothing still wanted after step 2)
        for old in list(_below(edits.node(target.id))):
            if old.id not in wanted and edits.find(old.id) is not None and edits.parent(old.id).id in wanted:
                self._do(edits, DeleteNode(old.id))
        # 4. fields
        for node_id, node in wanted.items():
            live = edits.node(node_id)
            for name in dict.fromkeys((*node_fields(live), *node_fields(node))):
                if get_field(live, name) != get_field(node, name):
                    self._do(edits, SetField(node_id, name, get_field(node, name)))
        # 5. order, top-down
        for parent in _walk(target):
            for index, child in enumerate(parent.children):
                if edits.index_of(child.id) != index:
                    self._do(edits, MoveNode(child.id, parent.id, index))
        for comment in self.comments:
            if edits.comment(comment.id) is None:
                edits.add_comment(comment)
        if self.history:
            edits.add_history(self.history)
        self._ignored_before = {}
        for key, record in self.ignored_added.items():
            self._ignored_before[key] = edits.set_proofread_ignore(key, record)
        for key in self.ignored_removed:
            self._ignored_before[key] = edits.set_proofread_ignore(key, None)
        self._words_before = edits.set_proofread_words(list(self.words)) if self.words is not None else None

    def revert(self, edits: Edits) -> None:
        if self._words_before is not None:
            edits.set_proofread_words(self._words_before)
        for key, record in reversed(list(self._ignored_before.items())):
            edits.set_proofread_ignore(key, record)
        for comment in self.comments:
            edits.remove_comment(comment.id)
        if self.history:
            edits.remove_history(self.history)
        for operation in reversed(self.applied):
            operation.revert(edits)


def _refuse_writes_outside(doc: ReportDocument | Edits, department_id: str, merged: Department, path) -> None:
    """A merge changes only its department: refuse when the result keeps a node the
    report now has in another department (the compiler moved it there)."""
    report = doc.parent(department_id)
    assert isinstance(report, Report)
    for node in _walk(merged):
        live = doc.find(node.id)
        if live is None or live.kind == "report":
            continue
        department = doc.department_of(node.id)
        if department is not None and department.id != department_id:
            position = next(n for n, d in enumerate(report.departments, start=1) if d.id == department.id)
            number = style_named(report.numbering_style).department_number(position)
            what = getattr(live, {"entry": "text", "department": "name"}.get(live.kind, "title"))
            raise ReportError(
                f"工作包修改了已移到其他部門的{KIND_LABEL[live.kind]}「{_short(what)}」（現在在「{number}{department.name}」），"
                "不能彙整；請先把它移回原部門，或合併時採用報告的版本", path)


def _approved_content(item) -> tuple:
    return (item.title, item.numbered,
            [(e.id, e.level, e.text, e.completion, e.remark, sorted(e.values.items())) for e in item.entries])


def _refuse_changes_to_approved(report_department, merged: Department, path) -> None:
    """What apply would refuse: any change to an approved 目's content (title, entries)
    or its 項 (an approved 目 keeps its place until it is reopened)."""
    merged_items = {i.id: (i, s.id) for s in merged.sections for i in s.items}
    for section in report_department.sections:
        for item in section.items:
            if item.status != "approved":
                continue
            after, after_section = merged_items.get(item.id, (None, None))
            if after is None or after_section != section.id or _approved_content(after) != _approved_content(item):
                raise ReportError(
                    f"彙整會修改主管已核定的內容（{_short(item.title)}），不能彙整；請主管先重新開啟這些目", path)


def _short(text: str, limit: int = 24) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _walk(node: Node | Report) -> Iterator[Node | Report]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _below(node: Node | Report) -> Iterator[Node]:
    """Every node under ``node``, depth first (not ``node`` itself)."""
    for child in node.children:
        yield child
        yield from _below(child)


def _without_existing(node: Node, existing: set[str]) -> Node:
    copy = type(node)(id=node.id, **{name: getattr(node, name) for name in node.FIELDS})
    if isinstance(node, Entry) and isinstance(copy, Entry):
        copy.values = dict(node.values)
    for child in node.children:
        if child.id not in existing:
            child_list(copy).append(_without_existing(child, existing))
    return copy
