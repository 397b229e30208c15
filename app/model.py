"""The report model: plain dataclasses, no storage and no Qt.

A report is a tree ``Report → Department (類) → Section (項) → Item (目) →
Entry (辦理情形)``.  Invariants:

* every node has a stable UUID string ``id`` that survives copies, packages
  and JSON round trips, so two copies of a report can be matched row by row;
* order is the order of the lists (storage keeps an explicit ``position``);
* titles and texts never hold their numbering (壹、 一、 (一) 1. (1)); numbers
  are derived from position by :mod:`app.numbering`;
* ``Entry.level`` is 0 (plain paragraph), 1 (numbered item) or 2 (sub-item);
  ``Entry.completion`` is an int 0–100 or ``None``;
* ``Report.template`` is the report's template (app/templates.py), the default
  「區公所年度工作總報告」 unless the report was made in another.

Each class's ``kind`` is a ``Literal`` class variable, so for the type checker
``node.kind == "item"`` narrows a :data:`Node` to :class:`Item` (tagged union).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Literal, TypeVar, Union, cast

# The entry levels live in app/levels.py (app/numbering.py needs them without the model).
from .levels import LEVEL_ITEM as LEVEL_ITEM, LEVEL_PARAGRAPH as LEVEL_PARAGRAPH
from .levels import LEVEL_SUBITEM as LEVEL_SUBITEM, LEVELS as LEVELS

if TYPE_CHECKING:
    from .templates import Template

REVIEW_STATUSES = ("draft", "submitted", "returned", "approved")
REVIEW_LABEL = {"draft": "草稿", "submitted": "送審", "returned": "退回", "approved": "核定"}
ROLES = ("clerk", "chief", "compiler")
ROLE_LABEL = {"clerk": "承辦人", "chief": "主管", "compiler": "彙整"}

Kind = Literal["report", "department", "section", "item", "entry"]
KINDS: tuple[Kind, ...] = ("report", "department", "section", "item", "entry")
CHILD_KIND: dict[str, Kind] = {
    "report": "department",
    "department": "section",
    "section": "item",
    "item": "entry",
}
PARENT_KIND: dict[str, Kind] = {"department": "report", "section": "department", "item": "section", "entry": "item"}

KIND_LABEL = {
    "report": "報告",
    "department": "類",
    "section": "項",
    "item": "目",
    "entry": "辦理情形",
}

# The one table of field names as a clerk reads them (merge plans and the CLI, the
# history panel, the conflict dialog, undo labels): model field → zh-TW noun.  The
# last four are not model fields: a merge's moves and deletions (app/merge.py
# FIELD_PARENT / FIELD_ORDER / FIELD_DELETED) and the history's position and comment rows.
FIELD_LABEL = {
    "office": "機關名稱",
    "roc_year": "年度",
    "published_roc_year": "出版年",
    "published_month": "出版月",
    "numbering_style": "編號樣式",
    "name": "名稱",
    "title": "名稱",
    "numbered": "編號",
    "status": "審核狀態",
    "predecessor_id": "前一年度目",
    "level": "層級",
    "text": "辦理情形",
    "completion": "完成程度",
    "remark": "備註",
    "parent": "所屬位置",
    "order": "順序",
    "deleted": "刪除",
    "position": "位置",
    "comment": "意見",
    "template": "報告範本",
}


def field_label(name: str | None, kind: str | None = None, template: "Template | None" = None) -> str:
    """A field's zh-TW name; with ``kind``, a title names whose (目名稱, 部門名稱, 目編號).
    A name the table does not know is shown as it is.

    With the report's ``template`` (issue 19) a template column's key is named by its
    heading (budget → 預算金額) and a level's title by the level's name (業務名稱); the
    default template's labels are the table's, as before."""
    if template is not None and name and not template.is_default:
        heading = next((c.heading for c in template.columns if c.key == name), None)
        if heading is not None and kind in (None, "entry"):
            return heading
        level = template.level_of(kind) if kind is not None else None
        if level is not None and name in ("name", "title", "numbered"):
            return level.name + FIELD_LABEL[name]
    label = FIELD_LABEL.get(name or "", name or "")
    if kind is not None and name in ("name", "title", "numbered"):
        label = ("部門" if kind == "department" else KIND_LABEL.get(kind, "")) + label
    return label


def new_id() -> str:
    return str(uuid.uuid4())


def _default_template() -> "Template":
    from .templates import default_template  # the bundled file, read once

    return default_template()


@dataclass(slots=True)
class Entry:
    id: str = field(default_factory=new_id)
    level: int = LEVEL_ITEM
    text: str = ""
    completion: int | None = None
    remark: str = ""
    # The values of the template's other columns (app/templates.py), by column
    # key: 預算金額 → 1234567, 經費來源 → ("市庫負擔",), a date as "2021-03-05".
    # An empty value is absent.  Read and write them with get_field/put_field;
    # node_fields(entry) lists FIELDS and these keys.
    values: dict[str, Any] = field(default_factory=dict)

    kind: ClassVar[Literal["entry"]] = "entry"
    FIELDS: ClassVar[tuple[str, ...]] = ("level", "text", "completion", "remark")

    @property
    def children(self) -> list:
        return []


@dataclass(slots=True)
class Item:
    """A 目.  ``numbered`` is False for a lone unnumbered 目 (民防團業務)."""

    id: str = field(default_factory=new_id)
    title: str = ""
    numbered: bool = True
    entries: list[Entry] = field(default_factory=list)
    predecessor_id: str | None = None  # the 目 of last year's report it continues
    status: str = "draft"  # review: draft → submitted → returned / approved (see app.review)

    kind: ClassVar[Literal["item"]] = "item"
    FIELDS: ClassVar[tuple[str, ...]] = ("title", "numbered", "predecessor_id", "status")

    @property
    def children(self) -> list[Entry]:
        return self.entries


@dataclass(slots=True)
class Section:
    """A 項."""

    id: str = field(default_factory=new_id)
    title: str = ""
    items: list[Item] = field(default_factory=list)

    kind: ClassVar[Literal["section"]] = "section"
    FIELDS: ClassVar[tuple[str, ...]] = ("title",)

    @property
    def children(self) -> list[Item]:
        return self.items


@dataclass(slots=True)
class Department:
    """A 類 (one 課室's part of the report)."""

    id: str = field(default_factory=new_id)
    name: str = ""
    sections: list[Section] = field(default_factory=list)

    kind: ClassVar[Literal["department"]] = "department"
    FIELDS: ClassVar[tuple[str, ...]] = ("name",)

    @property
    def children(self) -> list[Section]:
        return self.sections

    def entries(self) -> Iterator[Entry]:
        for section in self.sections:
            for item in section.items:
                yield from item.entries


@dataclass(slots=True)
class Report:
    id: str = field(default_factory=new_id)
    office: str = ""
    roc_year: int = 0
    published_roc_year: int | None = None
    published_month: int | None = None
    numbering_style: str = "standard"
    predecessor_id: str | None = None  # the report this one was rolled over from
    departments: list[Department] = field(default_factory=list)
    # Last year's entries, per 目 id of THIS report (kept by rollover so the
    # GUI can show them beside this year's, read-only, even when last year's
    # file is elsewhere).  Not part of the JSON interchange.
    previous_entries: dict[str, list[Entry]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    # Set when this report file is a department work package: which report
    # issued it ("report_id"), for which department ("department_id"), the
    # department as issued ("base", interchange JSON), "issued_at", "issued_by".
    package: dict | None = None
    # 校對 (app/proofread.py): findings a person chose to ignore, by the
    # finding's stable key → {"who", "role", "at", "rule", "text"}; and the
    # report's own word list (names, local terms never flagged).
    proofread_ignored: dict[str, dict] = field(default_factory=dict)
    proofread_words: list[str] = field(default_factory=list)
    # The report's template (app/templates.py): its levels, columns, cover and
    # header texts.  Kept in the file (migration 0006) and in the JSON; not one
    # of FIELDS (a template is changed as a whole, never by SetField).
    template: "Template" = field(default_factory=_default_template)

    kind: ClassVar[Literal["report"]] = "report"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "office",
        "roc_year",
        "published_roc_year",
        "published_month",
        "numbering_style",
        "predecessor_id",
    )

    @property
    def children(self) -> list[Department]:
        return self.departments

    @property
    def title(self) -> str:
        return f"{self.roc_year} 年度工作總報告"

    def department_named(self, name: str) -> Department | None:
        wanted = name.strip()
        for department in self.departments:
            if department.name == wanted:
                return department
        return None

    def walk(self) -> Iterator[Node]:
        """Every node below the report, depth first, in report order."""
        for department in self.departments:
            yield department
            for section in department.sections:
                yield section
                for item in section.items:
                    yield item
                    yield from item.entries

    def counts(self) -> dict[str, int]:
        counts = {"department": len(self.departments), "section": 0, "item": 0, "entry": 0}
        for node in self.walk():
            if node.kind != "department":
                counts[node.kind] += 1
        return counts


@dataclass(slots=True)
class Comment:
    """A review comment on a 目 or an entry (``node_id``)."""

    node_id: str
    author: str
    role: str
    at: str  # ISO 8601 local time
    text: str
    id: str = field(default_factory=new_id)


Node = Union[Department, Section, Item, Entry]

NODE_CLASS: dict[str, type] = {
    "department": Department,
    "section": Section,
    "item": Item,
    "entry": Entry,
}


NodeT = TypeVar("NodeT", bound=Node)


def clone_tree(node: NodeT, *, new_ids: bool = False) -> NodeT:
    """A deep copy of ``node``; with ``new_ids`` every node gets a fresh UUID."""
    cls = type(node)
    values = {name: getattr(node, name) for name in node.FIELDS}
    copy = cls(id=new_id() if new_ids else node.id, **values)
    if isinstance(node, Entry):
        cast(Entry, copy).values = dict(node.values)
    children = [clone_tree(child, new_ids=new_ids) for child in node.children]
    if children:
        child_list(copy).extend(children)
    return copy


def child_list(parent: Node | Report) -> list[Node]:
    """``parent.children`` as a list of nodes, for code that inserts into it.

    Each class's list holds one kind only (CHILD_KIND); the callers check the
    kind before they insert, which the type system cannot follow through the
    union, hence the one cast here rather than one at every call."""
    return cast("list[Node]", parent.children)


# --- fields by name (an entry's template columns included) ----------------------------

def empty_value(value: Any) -> bool:
    """A template column's value that is not there: None, "" or no choice ticked."""
    return value is None or value == "" or value == ()


def node_fields(node: Node | Report) -> tuple[str, ...]:
    """The names of ``node``'s fields: its FIELDS, and for an entry its template column values."""
    if isinstance(node, Entry) and node.values:
        return node.FIELDS + tuple(sorted(node.values))
    return node.FIELDS


def get_field(node: Node | Report, name: str) -> Any:
    """A field by name; an entry's template column that holds nothing is None."""
    if name in type(node).FIELDS:
        return getattr(node, name)
    if isinstance(node, Entry):
        return node.values.get(name)
    raise AttributeError(name)


def put_field(node: Node | Report, name: str, value: Any) -> None:
    """Write a field by name (an empty template column value is removed)."""
    if name in type(node).FIELDS:
        setattr(node, name, value)
    elif isinstance(node, Entry):
        if empty_value(value):
            node.values.pop(name, None)
        else:
            node.values[name] = value
    else:
        raise AttributeError(name)
