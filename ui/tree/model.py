"""The department tree: 報告 → 類 → 項 → 目, each with its derived number.

A ``QAbstractItemModel`` over the engine's in-memory report.  Internal
pointers are node ids (interned strings held by ``_ids``), never the nodes
themselves, so an index never points at an object the document has let go
of.  Structural changes reset the model; the view restores expansion and
selection by id (ui/tree/view.py), which keeps the code small and is fast at
thousands of nodes; a relabelling (title, review mark) repaints only its rows.

Under a template other than the default (issue 19) the tree shows the
template's levels only (業務; 業務 › 策略績效目標; 部門 › 部分 › 業務), numbered
by app.rows ``numbers``: the nodes of its last level have no children here (the
implicit 項/目 below them are never shown nor offered).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from app.document import ReportDocument
from app.layout import clean_text
from app.model import REVIEW_LABEL
from app.numbering import item_numbers, style_named

from .moves import NodeDragDrop, nodes_mime

NodeIdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2


class ReportTreeModel(NodeDragDrop, QAbstractItemModel):
    def __init__(self, document: ReportDocument | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self._ids: dict[str, str] = {}
        self._numbers: dict[str, str] = {}
        self._leaf = "item"  # the kind of the template's last level: shown without children
        self._templated = False  # a template other than the default
        self.template = None  # the template the tree was numbered for
        self._renumber()

    # --- data source -----------------------------------------------------------

    def set_document(self, document: ReportDocument | None) -> None:
        self.beginResetModel()
        self.document = document
        self._renumber()
        self.endResetModel()

    def refresh(self) -> None:
        self.beginResetModel()
        self._renumber()
        self.endResetModel()

    def refresh_node(self, node_id: str) -> None:
        """A title changed: repaint that row only."""
        self.refresh_nodes({node_id})

    def refresh_nodes(self, node_ids: set[str]) -> None:
        """Labels of these nodes changed (title, review mark, numbering): same rows, repaint them only."""
        self._renumber()
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole]
        for node_id in node_ids:
            index = self.index_of(node_id)
            if index.isValid():
                self.dataChanged.emit(index, index, roles)

    def _renumber(self) -> None:
        self._ids = {}
        self._numbers = {}
        self._leaf = "item"
        self._templated = False
        self.template = self.document.report.template if self.document is not None else None
        if self.document is None:
            return
        report = self.document.report
        template = report.template
        if not template.is_default:
            from app.rows import level_nodes, numbers

            self._leaf = template.level_kinds[-1]
            self._templated = True
            self._intern(report.id)
            labels = numbers(report, template)
            for _depth, node in level_nodes(report, template):
                self._intern(node.id)
                self._numbers[node.id] = labels.get(node.id, "")
            return
        style = style_named(report.numbering_style)
        self._intern(report.id)
        for d, department in enumerate(report.departments, start=1):
            self._intern(department.id)
            self._numbers[department.id] = style.department_number(d)
            for s, section in enumerate(department.sections, start=1):
                self._intern(section.id)
                self._numbers[section.id] = style.section_number(s)
                for item, number in zip(section.items, item_numbers([i.numbered for i in section.items], style)):
                    self._intern(item.id)
                    self._numbers[item.id] = number

    def _intern(self, node_id: str) -> str:
        return self._ids.setdefault(node_id, node_id)

    def _node(self, index: QModelIndex):
        if not index.isValid() or self.document is None:
            return None
        return self.document.find(index.internalPointer())

    def index_of(self, node_id: str) -> QModelIndex:
        node = self.document.find(node_id) if self.document is not None else None
        if node is None:
            return QModelIndex()
        if self._templated and node.kind in ("section", "item") and node.id not in self._numbers:
            return QModelIndex()  # an implicit node of the template (never shown)
        node_id = self._intern(node.id)
        if node.kind == "report":
            return self.createIndex(0, 0, node_id)
        if node.kind == "entry":
            return QModelIndex()
        return self.createIndex(self.document.index_of(node_id), 0, node_id)

    def node_id(self, index: QModelIndex) -> str | None:
        return index.internalPointer() if index.isValid() else None

    # --- QAbstractItemModel ----------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if self.document is None or column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, self._intern(self.document.report.id)) if row == 0 else QModelIndex()
        node = self._node(parent)
        if node is None or node.kind in ("item", self._leaf):
            return QModelIndex()
        children = node.children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, 0, self._intern(children[row].id))

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.kind == "report":
            return QModelIndex()
        parent = self.document.parent(node.id)
        return self.index_of(parent.id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if self.document is None:
            return 0
        if not parent.isValid():
            return 1
        if parent.column() != 0:
            return 0
        node = self._node(parent)
        if node is None or node.kind in ("item", self._leaf):
            return 0
        return len(node.children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 1

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        node = self._node(index)
        if node is not None and not self.document.read_only:
            if node.kind != "report":
                flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
            if self.mover is not None:
                flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self._node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if node.kind == "report":
                return f"{clean_text(node.office)} {node.roc_year} 年度"
            title = node.name if node.kind == "department" else node.title
            number = self._numbers.get(node.id, "")
            separator = " " if node.kind == "item" and number and not (self._templated and number.endswith("、")) else ""
            reviewed = node if node.kind == "item" else self.reviewed_item(node)
            status = f"　〔{REVIEW_LABEL[reviewed.status]}〕" if reviewed is not None and reviewed.status != "draft" else ""
            return f"{number}{separator}{clean_text(title) or '（未命名）'}{status}"
        if role == Qt.ItemDataRole.EditRole:
            if node.kind == "report":
                return node.office
            return node.name if node.kind == "department" else node.title
        if role == Qt.ItemDataRole.ToolTipRole and node.kind == self._leaf:
            # the whole label (the tree may show it cut), then what the 目 holds
            from app.rows import items_of

            count = sum(len(item.entries) for item in items_of(node))
            return f"{self.data(index)}\n{count} 筆{'辦理情形' if self._leaf == 'item' else '資料'}"
        if role == Qt.ItemDataRole.ToolTipRole and node.kind in ("department", "section"):
            return self.data(index)
        if role == NodeIdRole:
            return node.id
        if role == KindRole:
            return node.kind
        return None

    def reviewed_item(self, node):
        """The 目 whose review mark a node of the template's last level shows (its implicit 目), or None."""
        if not self._templated or node.kind != self._leaf or node.kind == "item":
            return None
        from app.rows import items_of

        items = items_of(node)
        return items[0] if items else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "計畫名稱"
        return None

    # Editing goes through the window (undo stack), not straight to the document.
    edit_requested = None  # set by the window: callable(node_id, field, value)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self._node(index)
        if node is None or role != Qt.ItemDataRole.EditRole or node.kind == "report" or self.edit_requested is None:
            return False
        field = "name" if node.kind == "department" else "title"
        return bool(self.edit_requested(node.id, field, value))

    # --- drag and drop: 目 onto a 項, 項 onto a department, entries (from the table) onto a 目 ---
    # The model only says what was dragged and where it was dropped; the move itself is
    # ui/tree/moves.py's (rules in app/editing.py), pushed on the undo stack like any change.

    def mimeData(self, indexes):  # noqa: N802
        ids = list(dict.fromkeys(i.internalPointer() for i in indexes if i.isValid()))
        nodes = [self.document.find(i) for i in ids] if self.document is not None else []
        nodes = [n for n in nodes if n is not None and n.kind != "report"]
        rows = [[n.name if n.kind == "department" else n.title] for n in nodes]
        return nodes_mime(self.document.report.id if self.document else "", [n.id for n in nodes], rows)

    def _drop_place(self, data, row: int, parent) -> tuple[list[str], str | None, int]:
        return self._dropped_ids(data), self.node_id(parent) if parent.isValid() else None, row
