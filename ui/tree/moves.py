"""Moving entries, 目 and 項 to another parent: cut and paste, drag and drop.

Where a moved node may go and what a multi-selection moves is app/editing.py's
(:func:`~app.editing.moved_selection`, :func:`~app.editing.move_destination`,
:func:`~app.editing.move_nodes_operation`); this module reads the selection,
the clipboard and the drop position, pushes the one ``Batch`` of ``MoveNode``
(one undo step) and puts the cursor on what was moved.

* **Cut** (Ctrl+X) puts the selection's cells on the clipboard as usual (text
  and an HTML table) plus the moved nodes' ids under :data:`NODES_MIME`.
  **Paste** (Ctrl+V) while those ids are on the clipboard *moves* them to the
  cursor (tree: the selected node; table: the 目 or entry under the cursor) —
  the nodes keep their ids; anything else pasted is text as before.  Once
  moved, the ids leave the clipboard (a second Ctrl+V pastes the text).
* **Drag and drop**: both models (ui/tree/model.py, ui/table/model.py) put
  the same ids in their ``mimeData`` and hand a drop to :meth:`NodeMoves.drop`
  as ``(ids, target id, index)`` — ``index`` -1 means *onto* the target (same
  rules as paste), else *into* the target before its child number ``index``.
  The move is pushed after the drop event has returned (a zero timer), so
  the models are never reset under the view that is still handling the drop.

A refused move says why in the status bar (a rule of app/editing.py) or in
the engine's message box (an approved 目) and changes nothing.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView

from app.clipboard import to_clipboard_html, to_clipboard_text
from app.editing import MoveRefused, move_nodes_operation, move_to_target_operation, moved_selection
from app.model import KIND_LABEL

if TYPE_CHECKING:
    from ..main_window import MainWindow

#: The ids of cut or dragged nodes, with the report they belong to.
NODES_MIME = "application/x-workreport-nodes"


def nodes_mime(report_id: str, ids: list[str], rows: list[list[str]] | None = None) -> QMimeData:
    data = QMimeData()
    data.setData(NODES_MIME, json.dumps({"report": report_id, "ids": ids}).encode("utf-8"))
    if rows:
        data.setText(to_clipboard_text(rows))
        data.setHtml(to_clipboard_html(rows))
    return data


def node_ids(data: QMimeData | None, report_id: str | None) -> list[str]:
    """The ids in ``data`` when they belong to the report ``report_id`` (else none)."""
    if data is None or report_id is None or not data.hasFormat(NODES_MIME):
        return []
    try:
        payload = json.loads(bytes(data.data(NODES_MIME).data()).decode("utf-8"))
    except ValueError:
        return []
    if not isinstance(payload, dict) or payload.get("report") != report_id:
        return []
    return [i for i in payload.get("ids", []) if isinstance(i, str)]


class NodeDragDrop:
    """The half of drag and drop both models share (ui/tree/model.py, ui/table/model.py): moves
    only, the ids under :data:`NODES_MIME`, a drop handed to :attr:`mover` (:class:`NodeMoves`).

    A model says what it drags (``mimeData``) and where a drop lands: ``_drop_place(data, row,
    parent)`` → ``(ids, target id, index)`` (``index`` -1: onto the target)."""

    mover: "NodeMoves | None" = None  # set by NodeMoves
    document = None  # the model's ReportDocument

    def _drop_place(self, data, row: int, parent) -> tuple[list[str], str | None, int]:
        raise NotImplementedError

    def _dropped_ids(self, data) -> list[str]:
        return node_ids(data, self.document.report.id if self.document is not None else None)

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 (Qt's names, here and below)
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [NODES_MIME]

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if self.mover is None or action != Qt.DropAction.MoveAction:
            return False
        return self.mover.can_drop(*self._drop_place(data, row, parent))

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        return self.mover.drop(*self._drop_place(data, row, parent))

    def removeRows(self, row: int, count: int, parent=None) -> bool:  # noqa: N802
        return False  # a finished drag never removes rows: the move already went through the undo stack


class NodeMoves:
    def __init__(self, window: "MainWindow"):
        self.window = window
        for view in (window.tree, window.table):
            view.setDragEnabled(True)
            view.setAcceptDrops(True)
            view.setDropIndicatorShown(True)
            view.setDragDropOverwriteMode(False)  # a drop between rows as well as onto one
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            view.setDefaultDropAction(Qt.DropAction.MoveAction)
        window.tree_model.mover = self
        window.table_model.mover = self
        #: the last drop's operation was pushed (tests wait for the zero timer through this)
        self.last_drop: bool | None = None

    # --- what is selected --------------------------------------------------------

    def _report_id(self) -> str | None:
        return self.window.document.report.id if self.window.document is not None else None

    def selected_nodes(self) -> list:
        """Tree focus: the tree's selected nodes; else the entries of the table's selected rows
        (or the 目 / 項 when only their cells are selected)."""
        window = self.window
        document = window.document
        if document is None:
            return []
        if window.tree.hasFocus():
            ids = [window.tree_model.node_id(i) for i in window.tree.selectionModel().selectedIndexes()]
            nodes = [document.find(i) for i in ids if i]
            return [n for n in nodes if n is not None]
        indexes = window.table.selectionModel().selectedIndexes() or [window.table.currentIndex()]
        model = window.table_model
        entries = [model.rows[i.row()].entry for i in indexes
                   if i.isValid() and model.is_entry_column(i.column()) and model.rows[i.row()].entry is not None]
        if entries:
            return list({e.id: e for e in entries}.values())
        nodes = [model.node_at(i) for i in indexes if i.isValid()]
        kinds = ("item", "section") if model.template is None else model.template.level_kinds[1:]
        return list({n.id: n for n in nodes if n is not None and n.kind in kinds}.values())

    def paste_target(self):
        """Where a paste goes: the tree's node (tree focus) or the table's node under the cursor."""
        window = self.window
        if window.tree.hasFocus():
            return window.tree_node()
        index = window.table.currentIndex()
        node = window.table_model.node_at(index)
        if node is None and index.isValid():
            row = window.table_model.rows[index.row()]
            node = row.item or row.section  # an empty 目's (or 項's) placeholder row
        return node

    # --- cut and paste --------------------------------------------------------------

    def cut(self) -> None:
        window = self.window
        window.table.commit_editor()
        try:
            nodes = moved_selection(window.document, self.selected_nodes()) if window.document else []
        except MoveRefused as refusal:
            window.statusBar().showMessage(str(refusal), 6000)
            return
        if not nodes:
            window.statusBar().showMessage("請先選擇要剪下的辦理情形、目或項", 4000)
            return
        rows = window.clipboard.rows_of_nodes(nodes)
        QGuiApplication.clipboard().setMimeData(nodes_mime(self._report_id(), [n.id for n in nodes], rows))
        what = f"{len(nodes)} 筆辦理情形" if nodes[0].kind == "entry" else f"{len(nodes)} 個{KIND_LABEL[nodes[0].kind]}"
        window.statusBar().showMessage(f"已剪下 {what}：選擇要移到的位置後按 Ctrl+V（貼上）即移過去", 8000)

    def cut_pending(self) -> list:
        """The cut nodes still on the clipboard (and still in the report)."""
        document = self.window.document
        ids = node_ids(QGuiApplication.clipboard().mimeData(), self._report_id())
        nodes = [document.find(i) for i in ids] if document is not None else []
        return [n for n in nodes if n is not None]

    def paste_cut(self) -> bool:
        """Ctrl+V after Ctrl+X: move the cut nodes to the cursor; False when nothing was cut."""
        nodes = self.cut_pending()
        if not nodes:
            return False
        target = self.paste_target()
        if target is None:
            self.window.statusBar().showMessage("請先選擇要移到的目、項或部門", 4000)
            return True
        if self._move(lambda: move_to_target_operation(self.window.document, nodes, target), nodes):
            clipboard = QGuiApplication.clipboard()
            text = clipboard.text()
            clipboard.setText(text)  # moved once: the ids leave the clipboard, the text stays
        return True

    # --- drag and drop ---------------------------------------------------------------

    def _drop_operation(self, ids: list[str], target_id: str, index: int):
        document = self.window.document
        if document is None:
            return None
        nodes = [document.find(i) for i in ids]
        target = document.find(target_id)
        if target is None or not nodes or any(n is None for n in nodes):
            raise MoveRefused("要移動的資料已不在報告中")
        if index < 0:
            return move_to_target_operation(document, nodes, target)
        return move_nodes_operation(document, nodes, target, index)

    def can_drop(self, ids: list[str], target_id: str | None, index: int) -> bool:
        if not ids or target_id is None:
            return False
        try:
            self._drop_operation(ids, target_id, index)
        except MoveRefused:
            return False
        return True

    def drop(self, ids: list[str], target_id: str, index: int) -> bool:
        """A drop from either model: pushed once the drop event has returned."""
        if not self.can_drop(ids, target_id, index):
            return False
        document = self.window.document
        nodes = [document.find(i) for i in ids]

        def push() -> None:
            self.last_drop = self._move(lambda: self._drop_operation(ids, target_id, index), nodes)

        self.last_drop = None
        QTimer.singleShot(0, push)
        return True

    # --- the move ------------------------------------------------------------------------

    def _move(self, make_operation, nodes) -> bool:
        window = self.window
        try:
            operation = make_operation()
        except MoveRefused as refusal:
            window.statusBar().showMessage(str(refusal), 6000)
            return False
        if operation is None:
            window.statusBar().showMessage("位置沒有改變", 3000)
            return False
        source = window.tree if nodes[0].kind != "entry" else window.table
        if not window.push(operation, source=source):
            return False
        first = nodes[0]
        window.go_to(first.id)
        if first.kind != "entry":
            index = window.tree.index_of(first.id)
            window.tree.scrollTo(index)
            window.tree.setCurrentIndex(index)
        window.statusBar().showMessage(f"已{operation.label}", 4000)
        return True
