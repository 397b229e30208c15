"""Three-way merge of a department work package back into the report.

The compiler issues a *work package*: a copy of one department (類) with the
same ids, taken at issue time — the BASE.  A clerk edits the package offline
while the compiler may edit the same department in the report.  Merging back
compares three versions of the department by stable id:

* ``base``    — the department as issued (what both sides started from);
* ``package`` — the department in the package now (the clerk's side);
* ``report``  — the department in the report now (the compiler's side).

Rules (all decisions are per node id and per field, never by position):

**Fields.**  For every field (Department.name; Section.title; Item.title,
numbered, status, predecessor_id; Entry.level, text, completion, remark) and
for the node's PARENT (which 項/目 it sits under): if package == base take the
report's value; elif report == base take the package's; elif package ==
report it is the same change; else it is a :class:`Conflict` for that field
(field ``"parent"`` for a move to two different places).

**Deletions.**  Deleted on one side and unchanged on the other → deleted.
Deleted on both → gone.  Deleted on one side and *edited* on the other → a
conflict of field ``"deleted"`` on the topmost deleted node.  "Edited" means,
on the side that kept the node, anything in the part of its subtree that the
other side deleted: a field changed, the node moved, its children reordered,
a child added or moved in.  Removing or moving a child *out* is not an edit
of the parent: the child is judged on its own, so an entry moved out of a 目
that the other side deleted survives the deletion (or, when the deleting side
deleted the entry too, is a ``"deleted"`` conflict of its own — the move is
an edit).  Choosing the deleting side deletes the whole group; choosing the
keeping side keeps it as that side has it.

**Parents that disappear.**  A node whose merged parent does not survive the
merge (its deletion won) goes to the other side's parent, then to the base
parent, whichever survives first; when none survives it is removed with its
parent (this only happens as the consequence of a ``"deleted"`` conflict
decided for deletion, e.g. an entry the clerk added to a 目 the compiler
deleted).

**Order of children.**  Only ids that are children of the same parent on all
three sides are compared.  If one side reordered them and the other did not,
that side's order wins; if both reordered them the same way, fine; if both
reordered them differently, the order of each pair of children is decided
like a field (a pair only one side reordered takes that side's order), and
only when those pairwise decisions make no single order (the two
reorderings clash) is it a conflict of field ``"order"`` on the parent.  Nodes that are not in the winning side's list (added, moved in or
kept from the other side) are placed right after their nearest previous
sibling on their own side that is already placed, or first when there is
none.  Nodes added on both sides (different ids) are all kept, no conflict.

**Resolution.**  ``resolutions[(node_id, field)]`` wins over ``prefer``; both
take ``"package"`` or ``"report"``.  An unresolved conflict takes the
REPORT's value (for ``"deleted"``: the report's side — deleted or kept), so
:attr:`MergeResult.merged` is always a well-formed department.  Callers must
not apply a result with :attr:`MergeResult.unresolved` conflicts unless they
mean "report wins" (the CLI refuses; see docs/interface.md).

**Idempotence.**  After a merge without conflicts (or with every conflict
resolved for the package), the report equals the package in everything the
package changed, so merging the same package again against the same base
gives no conflicts and no changes.  Conflicts resolved for the report come
back on a second merge (the package still disagrees); resolve them the same
way.  A node the package added and the compiler edited after the first merge
has no base: re-merging shows a conflict for each field that differs.

The functions are pure: the three departments are never modified and
``merged`` is a new tree (same ids, new objects).

Failures: :class:`ValueError` with a zh-TW message when the three
departments are not the same department (ids differ), when one tree holds an
id twice, when an id is a different kind of node on two sides, or when
``prefer``/a resolution is not ``"package"``/``"report"``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .layout import clean_text
from .model import FIELD_LABEL, KIND_LABEL, NODE_CLASS, Department, Node, field_label, get_field, node_fields, put_field
from .numbering import item_numbers, style_named

if TYPE_CHECKING:
    from .templates import Template

PACKAGE = "package"
REPORT = "report"
CHOICES = (PACKAGE, REPORT)

ADD, DELETE, MODIFY, MOVE = "新增", "刪除", "修改", "移動"

FIELD_DELETED = "deleted"
FIELD_PARENT = "parent"
FIELD_ORDER = "order"

SIDE_LABEL = {PACKAGE: "工作包", REPORT: "報告", "base": "發出時"}
PATH_SEPARATOR = " › "


@dataclass
class Conflict:
    """Both sides changed the same field of the same node differently.

    ``field`` is a model field name, or ``"parent"`` (moved to two different
    places; the values are the zh-TW labels of the parents), ``"order"``
    (children reordered differently; ``node_id`` is the parent and the values
    are tuples of short zh-TW descriptions of the children in each order) or
    ``"deleted"`` (deleted on one side, edited on the other; the values are
    short zh-TW descriptions of each side).  ``where`` locates the node in
    the report (or in the package for a node the report does not have).
    ``choice`` is ``"package"``/``"report"`` once resolved, else ``None``.
    """

    node_id: str
    kind: str
    field: str
    where: str
    base: Any
    package: Any
    report: Any
    choice: str | None = None
    heading: str = ""  # the field as a clerk reads it (a template column's heading: 預算金額)

    @property
    def key(self) -> tuple[str, str]:
        """The key to resolve this conflict with in ``resolutions``."""
        return (self.node_id, self.field)

    def summary(self) -> str:
        label = self.heading or FIELD_LABEL.get(self.field, self.field)
        text = (
            f"衝突：{self.where}（{KIND_LABEL.get(self.kind, self.kind)}，{label}）"
            f" 發出時：{_show(self.base)}；工作包：{_show(self.package)}；報告：{_show(self.report)}"
        )
        if self.choice:
            text += f" → 採用{SIDE_LABEL[self.choice]}"
        return text


@dataclass
class Change:
    """One change that applying the merge makes to the REPORT (report → merged).

    ``action`` is 新增 / 刪除 / 修改 / 移動.  修改 has one Change per field with
    ``before``/``after`` values.  移動 has ``field`` ``"parent"`` (moved to
    another 項/目; before/after are the parents' labels) or ``"order"`` (same
    parent, other position; before/after are the node's labels).  新增/刪除
    list every node added or removed, descendants included, with a short
    description in ``after``/``before``.  ``where`` is the node's label in the
    merged department (in the report for 刪除).
    """

    node_id: str
    kind: str
    action: str
    where: str
    field: str | None = None
    before: Any = None
    after: Any = None
    heading: str = ""  # the field as a clerk reads it (a template column's heading: 預算金額)

    def summary(self) -> str:
        kind = KIND_LABEL.get(self.kind, self.kind)
        if self.action == MODIFY:
            label = self.heading or FIELD_LABEL.get(self.field or "", self.field)
            return f"{MODIFY}{kind} {self.where}：{label} {_show(self.before)} → {_show(self.after)}"
        if self.action == MOVE:
            return f"{MOVE}{kind} {_show(self.before)} → {_show(self.after)}"
        if self.action == ADD:
            return f"{ADD}{kind} {self.where}：{self.after}"
        return f"{DELETE}{kind} {self.where}：{self.before}"


@dataclass
class MergeResult:
    merged: Department
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.choice is None]

    def change_counts(self) -> Counter:
        """``Counter({(action, kind): n})`` for a one-line summary."""
        return Counter((c.action, c.kind) for c in self.changes)


# --- indexing -----------------------------------------------------------------


class _Tree:
    """One side's department indexed by id (parents, children, walk order)."""

    def __init__(self, department: Department, side: str) -> None:
        if not isinstance(department, Department):
            raise ValueError(f"{SIDE_LABEL.get(side, side)}不是一個部門（類）")
        self.side = side
        self.root = department
        self.node: dict[str, Node] = {}
        self.parent: dict[str, str | None] = {}
        self.children: dict[str, list[str]] = {}
        self.position: dict[str, int] = {}
        self._visit(department, None)

    def _visit(self, node: Node, parent: str | None) -> None:
        if node.id in self.node:
            raise ValueError(
                f"{SIDE_LABEL.get(self.side, self.side)}中的編號重複：{node.id}（{KIND_LABEL[node.kind]}）"
            )
        self.node[node.id] = node
        self.parent[node.id] = parent
        self.position[node.id] = len(self.position)
        self.children[node.id] = [child.id for child in node.children]
        for child in node.children:
            self._visit(child, node.id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.node

    def kids(self, node_id: str) -> list[str]:
        return self.children.get(node_id, [])

    def parent_of(self, node_id: str) -> str:
        """The parent of a node below the department (the department itself has none)."""
        parent = self.parent[node_id]
        if parent is None:
            raise ValueError(f"{SIDE_LABEL.get(self.side, self.side)}的部門本身沒有上層")
        return parent

    def fields(self, node_id: str) -> dict[str, Any]:
        """The node's fields by name: its FIELDS and, for an entry, its template column values
        (a column without a value is absent: compare with ``.get``)."""
        node = self.node[node_id]
        return {name: get_field(node, name) for name in node_fields(node)}


def _names(*sides: dict[str, Any] | None) -> list[str]:
    """Every field name of the sides, model fields first, in a stable order."""
    names: dict[str, None] = {}
    for side in sides:
        if side is not None:
            names.update(dict.fromkeys(side))
    return list(names)


def _labels(department: Department, prefix: str) -> dict[str, str]:
    """``id → 壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆`` for one department.

    Section and 目 numbers follow the department's own positions (both
    numbering styles agree on 一、 and (一)); entries are counted 第 n 筆.
    """
    style = style_named(None)
    labels = {department.id: f"{prefix}{clean_text(department.name)}"}
    for s_index, section in enumerate(department.sections, start=1):
        section_label = (
            f"{labels[department.id]}{PATH_SEPARATOR}{style.section_number(s_index)}{clean_text(section.title)}"
        )
        labels[section.id] = section_label
        numbers = item_numbers([item.numbered for item in section.items], style)
        for item, number in zip(section.items, numbers):
            title = clean_text(item.title)
            item_label = f"{section_label}{PATH_SEPARATOR}{number + ' ' if number else ''}{title}"
            labels[item.id] = item_label
            for e_index, entry in enumerate(item.entries, start=1):
                labels[entry.id] = f"{item_label}{PATH_SEPARATOR}第 {e_index} 筆"
    return labels


def _short(text: str, limit: int = 24) -> str:
    text = clean_text(text).replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(node: Node) -> str:
    """A short zh-TW description: 目「選舉業務」（3 筆辦理情形）."""
    if node.kind == "entry":
        # a template row without a numbered text is described by its first text value (重大計畫活動名稱)
        text = node.text or next((v for _, v in sorted(node.values.items()) if isinstance(v, str)), "")
        return f"辦理情形「{_short(text)}」"
    if node.kind == "department":
        return f"類「{_short(node.name)}」"
    text = f"{KIND_LABEL[node.kind]}「{_short(node.title)}」"
    if node.kind == "item":
        text += f"（{len(node.entries)} 筆辦理情形）"
    elif node.kind == "section":
        text += f"（{len(node.items)} 個目）"
    return text


def _show(value: Any) -> str:
    if value is None:
        return "（無）"
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, str):
        return f"「{_short(value, 40)}」"
    return str(value)


def _three_way(base: Any, package: Any, report: Any) -> tuple[Any, bool]:
    """(value, conflict): the per-field rule; on conflict the value is the report's."""
    if package == base:
        return report, False
    if report == base:
        return package, False
    if package == report:
        return package, False
    return report, True


def _check_choice(choice: str | None, what: str) -> None:
    if choice is not None and choice not in CHOICES:
        raise ValueError(f"{what}必須是 package（採用工作包）或 report（採用報告），不是 {choice!r}")


# --- the merge ----------------------------------------------------------------

# Status of an id across the three sides.
_BOTH = "both"                    # on package and report (normally also on base)
_DELETED_BY_PACKAGE = "del-pkg"   # base and report, not package
_DELETED_BY_REPORT = "del-rpt"    # base and package, not report
_ADDED_BY_PACKAGE = "add-pkg"     # package only
_ADDED_BY_REPORT = "add-rpt"      # report only
_GONE = "gone"                    # base only: deleted on both sides

_KEEPER = {_DELETED_BY_PACKAGE: REPORT, _DELETED_BY_REPORT: PACKAGE}
_ADDER = {_ADDED_BY_PACKAGE: PACKAGE, _ADDED_BY_REPORT: REPORT}
_LEVEL_KINDS = ("section", "item", "entry")


class _Merger:
    def __init__(
        self,
        base: Department,
        package: Department,
        report: Department,
        prefer: str | None,
        resolutions: dict[tuple[str, str], str],
        label_prefix: str,
        template: "Template | None" = None,
    ) -> None:
        self.base = _Tree(base, "base")
        self.package = _Tree(package, PACKAGE)
        self.report = _Tree(report, REPORT)
        if not (base.id == package.id == report.id):
            raise ValueError(
                f"工作包的部門「{_short(package.name)}」與報告中的部門「{_short(report.name)}」"
                "不是同一個部門（編號不同），無法合併"
            )
        self.root = report.id
        self.prefer = prefer
        self.resolutions = resolutions
        # A non-default template (issue 19): places by its levels, fields by its headings.
        self.template = template if template is not None and not template.is_default else None
        self.labels = {
            "base": self.labels_of(base, label_prefix),
            PACKAGE: self.labels_of(package, label_prefix),
            REPORT: self.labels_of(report, label_prefix),
        }
        self.label_prefix = label_prefix
        self.conflicts: list[Conflict] = []
        self.kind: dict[str, str] = {}
        self.status: dict[str, str] = {}
        self.ids: list[str] = []
        self.kept: dict[str, str] = {}  # one-side-deleted id kept → the side it is kept from
        self.parent: dict[str, str] = {}  # merged parent of every surviving non-root id
        self.alive: set[str] = {self.root}
        self.values: dict[str, dict[str, Any]] = {}
        self.order: dict[str, list[str]] = {}

    def labels_of(self, department: Department, prefix: str) -> dict[str, str]:
        if self.template is None:
            return _labels(department, prefix)
        from .places import labels

        return labels(department, self.template, prefix)

    def heading(self, name: str, kind: str) -> str:
        """A field's name as a clerk reads it under a non-default template ("" for the default)."""
        if self.template is None or name in (FIELD_DELETED, FIELD_PARENT, FIELD_ORDER):
            return ""
        return field_label(name, kind, self.template)

    def tree(self, side: str) -> _Tree:
        return {"base": self.base, PACKAGE: self.package, REPORT: self.report}[side]

    # -- helpers --

    def where(self, node_id: str) -> str:
        for side in (REPORT, PACKAGE, "base"):
            if node_id in self.labels[side]:
                return self.labels[side][node_id]
        return node_id

    def describe(self, node_id: str) -> str:
        for tree in (self.report, self.package, self.base):
            if node_id in tree:
                return _describe(tree.node[node_id])
        return node_id

    def conflict(self, node_id: str, field_name: str, base: Any, package: Any, report: Any) -> str | None:
        """Record a conflict; the side chosen for it, or None when unresolved."""
        choice = self.resolutions.get((node_id, field_name), self.prefer)
        self.conflicts.append(
            Conflict(node_id, self.kind[node_id], field_name, self.where(node_id), base, package, report, choice,
                     self.heading(field_name, self.kind[node_id]))
        )
        return choice

    # -- steps --

    def classify(self) -> None:
        seen: set[str] = set()
        for tree in (self.report, self.package, self.base):
            for node_id in tree.node:  # walk order
                if node_id not in seen:
                    seen.add(node_id)
                    self.ids.append(node_id)
        for node_id in self.ids:
            kinds = {tree.node[node_id].kind for tree in (self.base, self.package, self.report) if node_id in tree}
            if len(kinds) > 1:
                raise ValueError(f"編號 {node_id} 在不同版本中是不同種類的資料（{'、'.join(sorted(kinds))}），無法合併")
            self.kind[node_id] = kinds.pop()
            in_base, in_package, in_report = (node_id in t for t in (self.base, self.package, self.report))
            if in_package and in_report:
                status = _BOTH
            elif in_base and in_report:
                status = _DELETED_BY_PACKAGE
            elif in_base and in_package:
                status = _DELETED_BY_REPORT
            elif in_package:
                status = _ADDED_BY_PACKAGE
            elif in_report:
                status = _ADDED_BY_REPORT
            else:
                status = _GONE
            self.status[node_id] = status

    def decide_deletions(self) -> None:
        """Group one-side deletions and keep or delete each group (see module doc)."""
        for node_id in self.ids:
            status = self.status[node_id]
            if status not in _KEEPER:
                continue
            keeper = self.tree(_KEEPER[status])
            keeper_parent = keeper.parent[node_id]
            if keeper_parent is not None and self.status.get(keeper_parent) == status:
                continue  # inside a group whose root is above
            group = [node_id]
            for member in group:  # grows while iterating: the group's subtree on the keeping side
                group.extend(c for c in keeper.kids(member) if self.status[c] == status)
            edits = self.group_edits(group, status)
            if not edits:
                continue  # deleted, nothing of value lost
            deleter = PACKAGE if status == _DELETED_BY_PACKAGE else REPORT
            kept_text = "保留並含修改：" + "、".join(f"{what} {n} 處" for what, n in edits.items())
            values = {deleter: "刪除", _KEEPER[status]: kept_text}
            choice = self.conflict(
                node_id, FIELD_DELETED, _describe(self.base.node[node_id]), values[PACKAGE], values[REPORT]
            )
            if (choice or REPORT) == _KEEPER[status]:
                for member in group:
                    self.kept[member] = _KEEPER[status]

    def group_edits(self, group: list[str], status: str) -> Counter:
        """What the keeping side changed in a group the other side deleted."""
        keeper = self.tree(_KEEPER[status])
        members = set(group)
        edits: Counter = Counter()
        for member in group:
            base_fields, kept_fields = self.base.fields(member), keeper.fields(member)
            edits["修改"] += sum(base_fields.get(f) != kept_fields.get(f) for f in _names(base_fields, kept_fields))
            if keeper.parent[member] != self.base.parent[member]:
                edits["移動"] += 1
            kept_kids = keeper.kids(member)
            base_kids = self.base.kids(member)
            kept_set, base_set = set(kept_kids), set(base_kids)
            if [c for c in kept_kids if c in base_set] != [c for c in base_kids if c in kept_set]:
                edits["調整順序"] += 1
            for child in kept_kids:
                if child in members:
                    continue
                if self.status[child] == _ADDED_BY_PACKAGE and keeper.side == PACKAGE:
                    edits["新增"] += 1
                elif self.status[child] == _ADDED_BY_REPORT and keeper.side == REPORT:
                    edits["新增"] += 1
                elif child in self.base and self.base.parent[child] != member:
                    edits["移入"] += 1
        return Counter({k: v for k, v in edits.items() if v})

    def decide_parents(self) -> None:
        """Merged parent of every node, level by level, so parents are decided first."""
        for kind in _LEVEL_KINDS:
            for node_id in self.ids:
                if self.kind[node_id] != kind:
                    continue
                candidates = self.parent_candidates(node_id)
                for candidate in candidates:
                    if candidate in self.alive:
                        self.parent[node_id] = candidate
                        self.alive.add(node_id)
                        break

    def parent_candidates(self, node_id: str) -> list[str]:
        status = self.status[node_id]
        if status == _GONE:
            return []
        if status in _KEEPER:
            if node_id not in self.kept:
                return []
            return [self.tree(self.kept[node_id]).parent_of(node_id)]
        if status in _ADDER:
            return [self.tree(_ADDER[status]).parent_of(node_id)]
        package_parent = self.package.parent_of(node_id)
        report_parent = self.report.parent_of(node_id)
        base_parent = self.base.parent.get(node_id)
        if node_id in self.base:
            chosen, conflicting = _three_way(base_parent, package_parent, report_parent)
        else:
            chosen, conflicting = report_parent, package_parent != report_parent
        if conflicting:
            choice = self.conflict(
                node_id,
                FIELD_PARENT,
                self.labels["base"].get(base_parent) if base_parent else None,
                self.labels[PACKAGE][package_parent],
                self.labels[REPORT][report_parent],
            )
            chosen = package_parent if choice == PACKAGE else report_parent
        candidates = [chosen, report_parent if chosen == package_parent else package_parent]
        if base_parent is not None:
            candidates.append(base_parent)
        return candidates

    def decide_fields(self) -> None:
        for node_id in self.ids:
            if node_id not in self.alive:
                continue
            status = self.status[node_id]
            if status in _KEEPER:
                self.values[node_id] = self.tree(self.kept[node_id]).fields(node_id)
                continue
            if status in _ADDER:
                self.values[node_id] = self.tree(_ADDER[status]).fields(node_id)
                continue
            package_fields, report_fields = self.package.fields(node_id), self.report.fields(node_id)
            base_fields = self.base.fields(node_id) if node_id in self.base else None
            merged = {}
            for name in _names(report_fields, package_fields, base_fields):
                package_value, report_value = package_fields.get(name), report_fields.get(name)
                if base_fields is not None:
                    base_value = base_fields.get(name)
                    value, conflicting = _three_way(base_value, package_value, report_value)
                else:
                    base_value, value, conflicting = None, report_value, package_value != report_value
                if conflicting:
                    choice = self.conflict(node_id, name, base_value, package_value, report_value)
                    value = package_value if choice == PACKAGE else report_value
                merged[name] = value
            self.values[node_id] = merged

    def decide_order(self) -> None:
        members: dict[str, set[str]] = {node_id: set() for node_id in self.alive}
        for node_id, parent in self.parent.items():
            members[parent].add(node_id)
        for node_id in self.ids:
            if node_id in self.alive and self.kind[node_id] != "entry":
                self.order[node_id] = self.order_children(node_id, members[node_id])

    def order_children(self, parent: str, members: set[str]) -> list[str]:
        base_kids = self.base.kids(parent)
        package_kids = self.package.kids(parent)
        report_kids = self.report.kids(parent)
        common = set(base_kids) & set(package_kids) & set(report_kids)
        base_order = [c for c in base_kids if c in common]
        package_order = [c for c in package_kids if c in common]
        report_order = [c for c in report_kids if c in common]
        combined = None
        if parent not in self.report:
            leading = PACKAGE
        elif package_order == base_order or package_order == report_order:
            leading = REPORT
        elif report_order == base_order:
            leading = PACKAGE
        else:
            combined = _merge_orders(base_order, package_order, report_order)
            leading = REPORT
            if combined is None:
                choice = self.conflict(
                    parent,
                    FIELD_ORDER,
                    tuple(self.describe(c) for c in base_order),
                    tuple(self.describe(c) for c in package_order),
                    tuple(self.describe(c) for c in report_order),
                )
                leading = choice or REPORT
        other = REPORT if leading == PACKAGE else PACKAGE
        if combined is not None:
            # Both sides reordered, compatibly: the common children in the
            # combined order, the rest placed from the report's side first.
            placed, other = list(combined), REPORT
        else:
            placed = [c for c in self.tree(leading).kids(parent) if c in members]
        done = set(placed)
        # Everything else goes right after its nearest placed previous sibling
        # on its own side: first the other side's order, then the base's.
        for source in (self.tree(other).kids(parent), self.tree(PACKAGE).kids(parent), base_kids):
            for index, child in enumerate(source):
                if child not in members or child in done:
                    continue
                at = 0
                for previous in reversed(source[:index]):
                    if previous in done:
                        at = placed.index(previous) + 1
                        break
                placed.insert(at, child)
                done.add(child)
        placed.extend(sorted(members - done, key=self.ids.index))  # defensive; should not happen
        return placed

    def build(self, node_id: str) -> Node:
        cls = NODE_CLASS[self.kind[node_id]]
        values = self.values[node_id]
        own: tuple[str, ...] = getattr(cls, "FIELDS")
        node = cls(id=node_id, **{name: value for name, value in values.items() if name in own})
        for name, value in values.items():
            if name not in own:
                put_field(node, name, value)
        node.children.extend(self.build(child) for child in self.order.get(node_id, []))
        return node

    def run(self) -> MergeResult:
        self.classify()
        self.decide_deletions()
        self.decide_parents()
        self.decide_fields()
        self.decide_order()
        merged = self.build(self.root)
        if not isinstance(merged, Department):  # the root is the department of all three sides (_Tree)
            raise ValueError("合併結果不是一個部門（類）")
        order = {id_: i for i, id_ in enumerate(self.ids)}
        field_rank = {FIELD_DELETED: -2, FIELD_PARENT: -1, FIELD_ORDER: 99}
        self.conflicts.sort(
            key=lambda c: (order[c.node_id], field_rank.get(c.field, 0))
        )
        changes = _changes(self.report, _Tree(merged, "merged"), self.labels[REPORT],
                           self.labels_of(merged, self.label_prefix), self.heading)
        return MergeResult(merged, self.conflicts, changes)


def _merge_orders(base: list[str], package: list[str], report: list[str]) -> list[str] | None:
    """Both sides' reorderings of the same children combined, or None when they clash.

    Decided per pair of children (which comes first), with the per-field rule:
    a pair the package did not reorder takes the report's order, else the
    package's (both sides cannot reorder one pair differently — there are
    only two ways).  The pairs form one order unless the two reorderings
    clash (a cycle: one side swapped a, b and the other b, c), which is an
    ``"order"`` conflict.  Merging the result again with the same package
    gives the result again: a pair the package reordered already has the
    package's order in the report.
    """
    if len(base) > 3000:  # quadratic; a reordering of thousands on both sides is a conflict
        return None
    at_base = {c: i for i, c in enumerate(base)}
    at_package = {c: i for i, c in enumerate(package)}
    at_report = {c: i for i, c in enumerate(report)}
    before: dict[str, int] = {}
    for x in base:
        count = 0
        for y in base:
            if y == x:
                continue
            b, p = at_base[y] < at_base[x], at_package[y] < at_package[x]
            count += (at_report[y] < at_report[x]) if p == b else p
        before[x] = count
    if sorted(before.values()) != list(range(len(base))):
        return None
    return sorted(base, key=before.__getitem__)


def _lcs_members(a: list[str], b: list[str]) -> set[str]:
    """Ids on a longest common subsequence of ``a`` and ``b`` (the ones that did not move).

    The common beginning is taken first, as the walk below would take it (a budget 業務 of
    2,000 unmoved rows cost a 2,000 × 2,000 table: 10 s; now nothing)."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    if start:
        return set(a[:start]) | _lcs_members(a[start:], b[start:])
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _changes(report: _Tree, merged: _Tree, report_labels: dict[str, str], merged_labels: dict[str, str],
             heading: Callable[[str, str], str] = lambda name, kind: "") -> list[Change]:
    """What applying ``merged`` does to ``report``, in merged order, deletions last."""
    changes: list[Change] = []
    unmoved: set[str] = set()
    for parent, kids in merged.children.items():
        if parent not in report:
            continue
        before = [c for c in report.kids(parent) if merged.parent.get(c) == parent]
        after = [c for c in kids if report.parent.get(c) == parent]
        unmoved |= _lcs_members(before, after)
    for node_id, node in merged.node.items():
        where = merged_labels[node_id]
        if node_id not in report:
            changes.append(Change(node_id, node.kind, ADD, where, after=_describe(node)))
            continue
        old_parent, new_parent = report.parent[node_id], merged.parent[node_id]
        if old_parent != new_parent and old_parent is not None and new_parent is not None:
            changes.append(
                Change(node_id, node.kind, MOVE, where, FIELD_PARENT,
                       report_labels[old_parent], merged_labels[new_parent])
            )
        elif new_parent is not None and node_id not in unmoved:
            changes.append(Change(node_id, node.kind, MOVE, where, FIELD_ORDER, report_labels[node_id], where))
        old_fields, new_fields = report.fields(node_id), merged.fields(node_id)
        for name in _names(old_fields, new_fields):
            if old_fields.get(name) != new_fields.get(name):
                changes.append(Change(node_id, node.kind, MODIFY, where, name, old_fields.get(name), new_fields.get(name),
                                      heading(name, node.kind)))
    for node_id, node in report.node.items():
        if node_id not in merged:
            changes.append(Change(node_id, node.kind, DELETE, report_labels[node_id], before=_describe(node)))
    return changes


def merge_department(
    base: Department,
    package: Department,
    report: Department,
    *,
    prefer: str | None = None,
    resolutions: dict[tuple[str, str], str] | None = None,
    label_prefix: str = "",
    template: "Template | None" = None,
) -> MergeResult:
    """Merge a work package back: the three-way, per-field merge of the module doc.

    ``prefer`` (``"package"``/``"report"``) resolves every conflict;
    ``resolutions[(node_id, field)]`` resolves one and wins over ``prefer``
    (keys that match no conflict are ignored).  ``label_prefix`` goes before
    the department name in every ``where`` (pass the department's number in
    the report, e.g. ``"壹、"``).  ``template`` is the report's: under a non-default one
    (issue 19) places are named by its levels (app/places.py) and every field — any
    template column of an entry, merged per column like the model's fields — by its
    heading (``Conflict.heading``/``Change.heading``: 預算金額).

    Returns the merged department (a new tree; ids preserved), every conflict
    found (resolved ones with ``choice`` set) and the changes it makes to the
    report.  Raises :class:`ValueError` (zh-TW message) when the departments'
    ids differ, a tree is malformed (duplicate id, an id of two kinds) or a
    choice is not ``"package"``/``"report"``.  Nothing passed in is modified.
    """
    _check_choice(prefer, "prefer")
    resolutions = dict(resolutions or {})
    for key, choice in resolutions.items():
        _check_choice(choice, f"衝突 {key} 的選擇")
    return _Merger(base, package, report, prefer, resolutions, label_prefix, template).run()


def changed_content_ids(base: Department, package: Department) -> set[str]:
    """Ids of the 目 whose content differs between ``base`` and ``package``.

    A 目 counts as changed when its own fields differ (title, numbered,
    status, predecessor_id), when its list of entries differs (an entry
    added, removed, moved in or out, or reordered) or when one of its entries
    has a different level/text/completion/remark.  目 added to or removed
    from the package count too.  Moving a whole 目 to another 項 without
    touching it does not.  Used to refuse packages that change approved
    content; raises :class:`ValueError` when the departments' ids differ.
    """
    if base.id != package.id:
        raise ValueError("工作包與報告中的部門不是同一個部門（編號不同）")
    before, after = _Tree(base, "base"), _Tree(package, PACKAGE)
    changed: set[str] = set()
    item_ids = [i for i, n in before.node.items() if n.kind == "item"]
    item_ids += [i for i, n in after.node.items() if n.kind == "item" and i not in before]
    for item_id in item_ids:
        if item_id not in before or item_id not in after:
            changed.add(item_id)
            continue
        if before.fields(item_id) != after.fields(item_id) or before.kids(item_id) != after.kids(item_id):
            changed.add(item_id)
            continue
        if any(before.fields(e) != after.fields(e) for e in after.kids(item_id)):
            changed.add(item_id)
    return changed

