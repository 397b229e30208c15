"""The tree view: remembers what is expanded by id, and follows the change record.

:meth:`DepartmentTree.on_changes`: nodes inserted, deleted or moved, or the
numbering style changed → the model resets and expansion and the current node
come back by id; only labels changed (a title, whether a 目 is numbered, a
review mark) → just those rows are repainted; anything else (an entry's text,
a comment) → nothing happens here.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.changes import TITLE_FIELDS, Changes

from ..selection import ProgramMovesSelectOne
from .model import ReportTreeModel


class DepartmentTree(ProgramMovesSelectOne, QTreeView):
    program_move_selection = ProgramMovesSelectOne.program_move_selection | QItemSelectionModel.SelectionFlag.Rows

    def __init__(self, model: ReportTreeModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("departmentTree")
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setAccessibleName("部門樹")
        # A long title is cut in its middle: its number and its review mark (〔送審〕, at the end) stay
        # in sight — cut at the end, 「(五) 原住民行政業務　〔送…」 no longer says which state it is in.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # Ctrl/Shift+click select several 目 (or 項) to cut or drag together (ui/tree/moves.py).
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Expansion is remembered by id, so a model reset after a structural
        # change can restore it.
        self.expanded_ids: set[str] = set()
        self.expanded.connect(lambda index: self.expanded_ids.add(self.tree_model().node_id(index)))
        self.collapsed.connect(lambda index: self.expanded_ids.discard(self.tree_model().node_id(index)))

    def tree_model(self) -> ReportTreeModel:
        return self.model()  # type: ignore[return-value]

    def current_node_id(self) -> str | None:
        return self.tree_model().node_id(self.currentIndex())

    def on_changes(self, changes: Changes) -> None:
        if changes.structure or changes.template_changed or "numbering_style" in changes.report_fields:
            self.refresh_keeping_state()
            return
        relabel = set(changes.review)
        document = self.tree_model().document
        for node_id, names in changes.fields.items():
            kind = changes.kinds.get(node_id)
            if kind == "entry" or not names & TITLE_FIELDS:
                continue
            relabel.add(node_id)
            if "numbered" in names and document is not None and document.find(node_id) is not None:
                relabel.update(sibling.id for sibling in document.parent(node_id).children)  # numbers shift
        if changes.report_fields and document is not None:
            relabel.add(document.report.id)
        if relabel:
            self.tree_model().refresh_nodes(relabel)

    def refresh_keeping_state(self) -> None:
        model = self.tree_model()
        expanded = set(self.expanded_ids)
        current = model.node_id(self.currentIndex())
        model.refresh()
        self.expanded_ids.clear()
        for node_id in expanded:
            index = model.index_of(node_id)
            if index.isValid():
                self.setExpanded(index, True)
        if current:
            self.select_quietly(current, scroll=False)

    def select_quietly(self, node_id: str, *, scroll: bool = True) -> None:
        """Make ``node_id`` current without telling the window (it is already showing it)."""
        model = self.tree_model()
        index = model.index_of(node_id)
        document = model.document
        while not index.isValid() and document is not None and model.template is not None \
                and not model.template.is_default and document.find(node_id) is not None:
            parent = document.parent(node_id)  # an implicit 目/項: its 業務 (策略績效目標)
            if parent is None or parent.kind in ("report", "entry"):
                return
            node_id = parent.id
            index = model.index_of(node_id)
        if not index.isValid():
            return
        self.selectionModel().blockSignals(True)
        if scroll:
            self.scrollTo(index)
        self.setCurrentIndex(index)
        self.selectionModel().blockSignals(False)

    def reset_expansion(self) -> None:
        self.expanded_ids.clear()

    def index_of(self, node_id: str) -> QModelIndex:
        return self.tree_model().index_of(node_id)
