"""The edits protocol: what an operation may read and change of a report.

An :class:`~app.operations.Operation` never touches the document, its file or
its indexes itself.  ``ReportDocument.apply`` opens one transaction and hands
the operation an :class:`Edits` for it; the operation looks nodes up and calls
the primitives below, each of which writes the file, mirrors itself in memory
(with an undo step in case the transaction fails), writes a history row and
notes what it touched in the transaction's :class:`~app.changes.Changes`.
When the transaction ends the object is closed: a primitive called on it
afterwards raises, so no change can happen outside a transaction.

This is the engine boundary: every client (the GUI's undo stack, the CLI, the
importers, merging) goes through these methods, and their one implementation
(``_Transaction`` in app/document.py) is where values are checked — today
field names and types, approval locks, parent kinds, the report itself not
deletable or movable; a check added there covers every operation at once.  The module imports only the model, so operations depend on it and
not on :mod:`app.document` — there is no import cycle between them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .model import Comment, Department, Node, Report
from .person import Person

if TYPE_CHECKING:
    from .templates import Template

#: One history row as the repository stores it (see app/storage/repository.py).
HistoryRow = dict[str, Any]
#: What an approval stores: {"at", "by", "snapshot"} (see app/review.py).
Approval = dict[str, Any]


class Edits(Protocol):
    """The one way an operation changes a report (inside the document's transaction)."""

    # --- who and where -----------------------------------------------------------

    @property
    def path(self) -> Path:
        """The report's file (named in errors)."""
        ...

    @property
    def person(self) -> Person:
        """Who is making the change (history rows, comments, review rights)."""
        ...

    # --- lookups -------------------------------------------------------------------

    @property
    def report(self) -> Report:
        """The report being changed (its template, its tree)."""
        ...

    def node(self, node_id: str) -> Node | Report:
        """The node with ``node_id``; a ReportError when there is none."""
        ...

    def find(self, node_id: str) -> Node | Report | None:
        ...

    def parent(self, node_id: str) -> Node | Report:
        ...

    def index_of(self, node_id: str) -> int:
        ...

    def department_of(self, node_id: str) -> Department | None:
        ...

    def comment(self, comment_id: str) -> Comment | None:
        ...

    # --- primitives (each one step of the transaction) -----------------------------

    def set_field(self, node_id: str, field: str, value: Any) -> Any:
        """Write one field; returns its value before."""
        ...

    def insert(self, parent_id: str, index: int, node: Node) -> None:
        """Insert ``node`` (with its subtree) as child ``index`` of ``parent_id``."""
        ...

    def delete(self, node_id: str) -> tuple[str, int, Node]:
        """Remove a node and its subtree; returns (parent id, index, a copy)."""
        ...

    def move(self, node_id: str, new_parent_id: str, new_index: int) -> tuple[str, int]:
        """Move a node; returns (old parent id, old index)."""
        ...

    def add_comment(self, comment: Comment) -> None:
        ...

    def remove_comment(self, comment_id: str) -> None:
        ...

    def set_approval(self, item_id: str, approval: Approval | None) -> Approval | None:
        """Store (or clear) a 目's approval; returns the one before."""
        ...

    def set_proofread_ignore(self, key: str, record: dict | None) -> dict | None:
        """Mark the 校對 finding ``key`` ignored (``record``: who/role/at/rule/text) or not (None); returns the one before."""
        ...

    def set_proofread_words(self, words: list[str]) -> list[str]:
        """Replace the report's 校對 word list; returns the list before."""
        ...

    def set_template(self, template: "Template") -> "Template":
        """Replace the report's template (app/templates_change.py ChangeTemplate); returns the one before.
        Refused unless the report's content already fits it (values, entry levels, implicit levels)."""
        ...

    def add_history(self, rows: list[HistoryRow]) -> None:
        """History rows brought in from elsewhere (a merged work package)."""
        ...

    def remove_history(self, rows: list[HistoryRow]) -> None:
        ...
