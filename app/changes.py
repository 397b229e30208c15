"""What one change did: the record every part of the window acts on.

The idea is Anki's ``OpChanges``: the document's primitives note what they
touched while an operation runs inside its transaction; ``apply`` and
``revert`` return the finished :class:`Changes` and hand the same object to
every listener.  A listener looks only at what concerns it (the tree at
structure and titles, the table at its department's rows, the history panel
at the history of its 目) and may skip what it caused itself (``source``).

Nothing here knows about Qt: the CLI and tests read the same record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .operations import Operation

#: Fields that change how a node is labelled in the tree (and the table's spans).
TITLE_FIELDS = frozenset({"name", "title", "numbered"})


@dataclass
class Changes:
    operation: "Operation | None" = None
    undone: bool = False
    #: Whoever asked for the change (a view, a panel); it may skip refreshing itself.
    source: Any = None
    #: node id → names of its fields that changed (a value was written).
    fields: dict[str, set[str]] = field(default_factory=dict)
    #: node id → its kind, for every node mentioned anywhere in this record.
    kinds: dict[str, str] = field(default_factory=dict)
    #: roots of inserted / deleted subtrees, and moved nodes.
    inserted: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    #: nodes whose list of children changed (inserted, deleted, moved in, out or within).
    parents: set[str] = field(default_factory=set)
    #: departments whose content changed in any way (the table shows one department).
    departments: set[str] = field(default_factory=set)
    #: 目 whose review status or approval changed.
    review: set[str] = field(default_factory=set)
    #: nodes whose comments changed.
    comments: set[str] = field(default_factory=set)
    #: nodes, and the 目 they belong to, that have new (or removed) history rows.
    history: set[str] = field(default_factory=set)
    #: the report's own fields (office, year, numbering style) changed.
    report_fields: set[str] = field(default_factory=set)
    #: 校對: keys of findings ignored or no longer ignored (app/proofread.py).
    proofread_ignored: set[str] = field(default_factory=set)
    #: 校對: the report's word list changed.
    proofread_words: bool = False
    #: The report's template was replaced (app/templates_change.py ChangeTemplate): the tree's levels,
    #: the table's columns and every shown number may differ — rebuild them.
    template_changed: bool = False

    # --- recording (the document's primitives call these) ----------------------

    def note_node(self, node_id: str, kind: str, department_id: str | None) -> None:
        self.kinds[node_id] = kind
        if department_id is not None:
            self.departments.add(department_id)

    def note_field(self, node_id: str, kind: str, name: str, department_id: str | None) -> None:
        self.note_node(node_id, kind, department_id)
        if kind == "report":
            self.report_fields.add(name)
        self.fields.setdefault(node_id, set()).add(name)
        if name in ("status", "approval") and kind == "item":
            self.review.add(node_id)

    def note_history(self, *ids: str | None) -> None:
        self.history.update(i for i in ids if i)

    # --- reading ---------------------------------------------------------------

    @property
    def structure(self) -> bool:
        """Nodes were inserted, deleted or moved."""
        return bool(self.inserted or self.deleted or self.moved)

    @property
    def titles(self) -> bool:
        """A 類/項/目 label changed (name, title, whether a 目 is numbered)."""
        return any(self.kinds.get(node_id) != "entry" and names & TITLE_FIELDS
                   for node_id, names in self.fields.items())

    @property
    def tree(self) -> bool:
        """The department tree must be rebuilt or relabelled."""
        return (self.structure or self.titles or bool(self.review) or "numbering_style" in self.report_fields
                or self.template_changed)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.structure or self.review or self.comments or self.history
                    or self.proofread_ignored or self.proofread_words or self.template_changed)

    def entry_fields_only(self) -> bool:
        """Only entries' cell values changed (not their level): same rows, same spans."""
        if self.structure or self.review or not self.fields:
            return False
        return all(self.kinds.get(node_id) == "entry" and "level" not in names
                   for node_id, names in self.fields.items())

    def changed_entries(self) -> set[str]:
        return {node_id for node_id in self.fields if self.kinds.get(node_id) == "entry"}

    def touches(self, *ids: str | None) -> bool:
        """Anything recorded here about one of ``ids`` (fields, structure, review, comments, history)."""
        wanted = {i for i in ids if i}
        return bool(wanted & (set(self.fields) | self.inserted | self.deleted | self.moved | self.parents
                              | self.review | self.comments | self.history | self.departments))
