"""The table view of one department: spans, row heights, highlight, and following changes.

:meth:`DepartmentTable.on_changes` reads the change record (app/changes.py):
a change outside its department is ignored; a cell edit (entries' values
only) repaints and re-measures only the rows of the 目 it touched; anything
else (rows added, removed or moved, a level, a title, a review mark) rebuilds
the rows and spans, keeping the current cell by node id.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QToolTip, QWidget

from app.changes import Changes

from ..selection import ProgramMovesSelectOne

from .delegates import TableDelegate
from .model import COL_CLASS, COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT, DepartmentTableModel, NodeIdRole

COLUMN_WIDTHS = (70, 130, 170, 520, 118, 110)
FIELD_COLUMN = {"text": COL_TEXT, "completion": COL_COMPLETION, "remark": COL_REMARK}
PADDING = 12


ENTRY_COLUMNS = (COL_TEXT, COL_COMPLETION, COL_REMARK)
TITLE_COLUMNS = (COL_CLASS, COL_SECTION, COL_ITEM)
_Hint = QAbstractItemDelegate.EndEditHint
_Trigger = QAbstractItemView.EditTrigger


class DepartmentTable(ProgramMovesSelectOne, QTableView):
    """The keys, as a spreadsheet user expects them (the F1 list says the same, ui/actions.py CELL_KEYS):

    * typing into a selected cell replaces its content; F2, Enter or a
      double-click edits it keeping the text (on a 類/項/目 cell F2 / Enter /
      double-click rename; typing there does not — titles are never
      overwritten by keys meant for entries);
    * Enter commits and moves down, Tab / Shift+Tab commit and move through
      the entry cells only (辦理情形 → 完成程度 → 備註 → next entry's
      辦理情形), without opening an editor there;
    * a cell that cannot be edited (a locked 目, a read-only report) opens no
      editor: :attr:`refused` carries the reason to the status bar, a tooltip
      shows it at the cell, and the cursor stays;
    * :attr:`editor_closed` tells the entry commands how an edit ended (Esc
      after Ctrl+Enter withdraws the new empty entry, ui/table/editing.py).
    """

    refused = Signal(str)
    editor_closed = Signal(object)  # the EndEditHint

    def __init__(self, model: DepartmentTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("departmentTable")
        self.setModel(model)
        self.setItemDelegate(TableDelegate(self))
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Tab / Shift+Tab move through the entry cells only (moveCursor), never onto a 類/項/目 title.
        self.setTabKeyNavigation(True)
        self.typed_edit = False  # the editor being opened was started by a typed key: its text is replaced
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.setAccessibleName("辦理情形表")
        # Column widths change (window resized, a column dragged): re-fit row heights once it settles.
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(60)
        self.fit_timer.timeout.connect(self.fit_rows)
        header.sectionResized.connect(lambda *args: self.fit_timer.start())
        self._laid_out_for = None  # the template whose columns the widths are set for (None: the default)

    def lay_out_columns(self) -> None:
        """Column widths and the stretching column after the report's template (once per template)."""
        model = self.table_model()
        if model.template == self._laid_out_for:
            return
        self._laid_out_for = model.template
        header = self.horizontalHeader()
        for column in range(header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        widths = COLUMN_WIDTHS if model.template is None else model.template_widths()
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        stretch = COL_TEXT if model.template is None else model.main_column()
        if stretch < header.count():
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def table_model(self) -> DepartmentTableModel:
        return self.model()  # type: ignore[return-value]

    # --- following the document ------------------------------------------------

    def on_changes(self, changes: Changes) -> None:
        model = self.table_model()
        department = model.department
        if department is None or not (department.id in changes.departments or changes.report_fields):
            return
        if changes.entry_fields_only():
            # A cell edit: same rows, same spans — repaint and re-measure those rows only.
            self.fit_rows(model.refresh_rows(changes.changed_entries()))
        else:
            self.refresh_keeping_current()
        if changes.template_changed:  # 工具 → 報告範本…: the headings may differ with the same rows
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)

    def refresh_keeping_current(self) -> None:
        model = self.table_model()
        current = self.currentIndex()
        keep = (model.data(current, NodeIdRole), current.column()) if current.isValid() else None
        model.refresh()
        self.apply_spans()
        if keep and keep[0]:
            row = model.row_of(keep[0])
            if row >= 0:
                self.setCurrentIndex(model.index(row, keep[1]))

    def apply_spans(self) -> None:
        self.lay_out_columns()
        self.clearSpans()
        for row, column, rows, columns in self.table_model().spans():
            self.setSpan(row, column, rows, columns)
        self.fit_rows()

    # --- row heights -------------------------------------------------------------

    def fit_rows(self, rows: Iterable[int] | None = None) -> None:
        """Row heights from font metrics of the wrapped 辦理情形 / 備註 text.

        Much cheaper than QTableView.resizeRowsToContents (which asks the
        delegate of every cell), and the spanned 類/項/目 cells must not
        stretch single rows anyway.  ``rows`` (a cell edit) re-measures only
        the rows of the 目 those rows belong to; the other rows keep their
        heights.
        """
        model = self.table_model()
        header = self.verticalHeader()
        if rows is None:
            measure: list[int] = list(range(model.rowCount()))
        else:
            wanted: set[int] = set()
            for row in rows:
                if model.template is not None:
                    # another template: the row, and the rows a merged 策略績效目標 cell of it spans
                    # (not every row of a budget 業務's implicit 目: hundreds)
                    wanted.add(row)
                    if 0 <= row < len(model.rows):
                        for column in model.fitted_span_columns():
                            node = model.span_node_of(model.rows[row], column)
                            if node is not None:
                                wanted.update(model.rows_of(node.id))
                    continue
                item = model.rows[row].item if 0 <= row < len(model.rows) else None
                wanted.update(model.rows_of(item.id) if item is not None else [row])
            measure = sorted(wanted)
            if not measure:
                return
        heights = {row: self._row_height(row) for row in measure}
        # A 項 or 目 title longer than its rows: the last row of the span grows.
        for column in model.fitted_span_columns():
            for start, span in self._spans_over(column, measure):
                text = model.data(model.index(start, column))
                if not text:
                    continue
                needed = self._text_height(column, text)
                have = sum(heights.get(r, header.sectionSize(r)) for r in range(start, start + span))
                if needed > have:
                    last = start + span - 1
                    heights[last] = heights.get(last, header.sectionSize(last)) + needed - have
        for row, height in heights.items():
            header.resizeSection(row, height)

    def _text_height(self, column: int, text: str) -> int:
        width = max(20, self.columnWidth(column) - 10)
        flags = int(Qt.TextFlag.TextWordWrap)
        return self.fontMetrics().boundingRect(0, 0, width, 100000, flags, text).height() + PADDING

    def _row_height(self, row: int) -> int:
        model = self.table_model()
        height = self.fontMetrics().height() + PADDING
        for column in model.measured_columns():
            text = model.data(model.index(row, column))
            if text:
                height = max(height, self._text_height(column, text))
        return height

    def _spans_over(self, column: int, rows: list[int]) -> list[tuple[int, int]]:
        """(first row, row count) of each 項 / 目 cell spanning any of ``rows``."""
        model = self.table_model()
        if len(rows) == model.rowCount():
            result, row = [], 0
            while row < len(rows):
                span = max(1, self.rowSpan(row, column))
                result.append((row, span))
                row += span
            return result
        found: dict[int, int] = {}
        for row in rows:
            table_row = model.rows[row]
            node = model.span_node_of(table_row, column)
            span = model.rows_of(node.id) if node is not None else range(row, row + 1)
            found[span.start] = len(span)
        return sorted(found.items())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Scrolling moves the painted pixels; the 類/項/目 labels (drawn in the visible part of
        their span by TableDelegate.paint) must be drawn again where the span now starts to show."""
        super().scrollContentsBy(dx, dy)
        if dy:
            height = self.viewport().height()
            for column in self.table_model().spanned_columns():
                self.viewport().update(self.columnViewportPosition(column), 0, self.columnWidth(column), height)

    # --- keys: what a spreadsheet user expects ------------------------------------------

    def entry_cells(self) -> list[tuple[int, int]]:
        """(row, column) of every cell Tab visits, in order: an entry's three cells, an empty 目's 辦理情形."""
        cells: list[tuple[int, int]] = []
        model = self.table_model()
        if model.template is not None:
            columns = model.entry_columns()
            for r, row in enumerate(model.rows):
                if row.heading is None and row.item is not None:
                    cells += [(r, c) for c in columns]
            return cells
        for r, row in enumerate(model.rows):
            if row.entry is not None:
                cells += [(r, c) for c in ENTRY_COLUMNS]
            elif row.item is not None:
                cells.append((r, COL_TEXT))
        return cells

    def moveCursor(self, action, modifiers):  # noqa: N802 (Qt's name)
        Action = QAbstractItemView.CursorAction
        if action in (Action.MoveNext, Action.MovePrevious):
            current = self.currentIndex()
            here = (current.row(), current.column()) if current.isValid() else (-1, -1)
            cells = self.entry_cells()
            if action == Action.MoveNext:
                following = [cell for cell in cells if cell > here]
                target = following[0] if following else None
            else:
                before = [cell for cell in cells if cell < here]
                target = before[-1] if before else None
            return self.table_model().index(*target) if target else current
        return super().moveCursor(action, modifiers)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """Typing never jumps the cursor to a matching cell (Qt's default for a key that opens no editor)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()
                and self.state() != QAbstractItemView.State.EditingState and self.currentIndex().isValid()):
            # Enter on a selected cell starts editing it (F2 does the same).
            self.edit(self.currentIndex(), _Trigger.EditKeyPressed, event)
            return
        super().keyPressEvent(event)

    def edit(self, index, trigger=_Trigger.AllEditTriggers, event=None):  # type: ignore[override]
        """Every way an editor opens passes here (keys, double-click, F2, the commands)."""
        if not index.isValid():
            return False
        opening = trigger == _Trigger.AllEditTriggers or bool(trigger & self.editTriggers())
        if not opening or self.state() == QAbstractItemView.State.EditingState:
            return super().edit(index, trigger, event)
        model = self.table_model()
        typed = trigger == _Trigger.AnyKeyPressed
        if typed and model.is_title_cell(index):
            self.refuse(index, "類、項、目的名稱不會被打字覆蓋：要改名請按 F2（或在部門樹修改）；辦理情形請移到右邊的欄位輸入")
            return False
        reason = model.refusal(index) if not model.flags(index) & Qt.ItemFlag.ItemIsEditable else None
        if reason:
            self.refuse(index, reason)
            return False
        self.typed_edit = typed
        try:
            return super().edit(index, trigger, event)
        finally:
            self.typed_edit = False

    def refuse(self, index: QModelIndex, message: str) -> None:
        """Say at once, at the cell and in the status bar, why nothing was opened; the cursor stays."""
        self.refused.emit(message)
        rect = self.visualRect(index).intersected(self.viewport().rect())
        QToolTip.showText(self.viewport().mapToGlobal(rect.center()), message, self.viewport(), rect)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        """Tab / Shift+Tab commit and move to the next / previous entry cell, Enter commits and moves
        down — without opening an editor there (typing then replaces, as in a spreadsheet)."""
        Action = QAbstractItemView.CursorAction
        move = {_Hint.EditNextItem: Action.MoveNext, _Hint.EditPreviousItem: Action.MovePrevious,
                _Hint.SubmitModelCache: Action.MoveDown}.get(hint)
        edited = self.currentIndex()
        super().closeEditor(editor, _Hint.NoHint if move is not None else hint)
        if move is not None and edited.isValid() and self.currentIndex() == edited:
            if move == Action.MoveDown and self.table_model().is_title_cell(edited):
                target = edited  # a renamed 類/項/目: stay on it
            else:
                target = self.moveCursor(move, Qt.KeyboardModifier.NoModifier)
            if target.isValid():
                self.setCurrentIndex(target)
        if edited.isValid():
            self.fit_rows([edited.row()])  # the row grew while editing (the editor fits its cell)
        self.editor_closed.emit(hint)

    def selected_rows(self) -> list[int]:
        """The rows of the selection (a 類/項/目 cell counts for every row it spans), else the cursor's row."""
        rows: set[int] = set()
        for index in self.selectionModel().selectedIndexes():
            span = max(1, self.rowSpan(index.row(), index.column())) if index.column() in self.table_model().title_columns() else 1
            rows.update(range(index.row(), index.row() + span))
        if not rows and self.currentIndex().isValid():
            rows.add(self.currentIndex().row())
        return sorted(r for r in rows if r < len(self.table_model().rows))

    def selected_entries(self):
        """The entries of the selected rows, in table order (each once)."""
        model = self.table_model()
        entries = [model.rows[r].entry for r in self.selected_rows() if model.rows[r].entry is not None]
        return list({e.id: e for e in entries}.values())

    def select_entries(self, entry_ids: list[str], column: int) -> None:
        """Select these entries' cells in ``column`` (after a multi-row command), cursor on the first."""
        model = self.table_model()
        rows = [model.row_of(i) for i in entry_ids]
        rows = [r for r in rows if r >= 0]
        if not rows:
            return
        self.setCurrentIndex(model.index(rows[0], column))
        selection = QItemSelection()
        for r in rows:
            selection.select(model.index(r, column), model.index(r, column))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # --- cursor and editing ----------------------------------------------------------

    def current_row(self):
        """The model's row (section, item, entry) under the cursor, or None."""
        index = self.currentIndex()
        rows = self.table_model().rows
        if not index.isValid() or index.row() >= len(rows):
            return None
        return rows[index.row()]

    def has_focus_within(self) -> bool:
        widget = QGuiApplication.focusObject()
        return widget is self or (isinstance(widget, QWidget) and self.isAncestorOf(widget))

    def commit_editor(self) -> None:
        """An action while a cell is being edited first stores what was typed."""
        widget = QGuiApplication.focusObject()
        if isinstance(widget, QWidget) and widget is not self and self.viewport().isAncestorOf(widget):
            delegate = self.itemDelegate()
            editor = widget
            while editor.parent() is not self.viewport():
                editor = editor.parent()
            delegate.commitData.emit(editor)
            delegate.closeEditor.emit(editor, delegate.EndEditHint.NoHint)

    def highlight(self, node_id: str | None, kind: str | None = None) -> None:
        """Highlight and scroll to the rows of a 項 or 目."""
        model = self.table_model()
        model.highlighted = set()
        if node_id:
            rows = model.rows_of(node_id)
            model.highlighted = {node_id}
            if len(rows):
                index = model.index(rows.start, model.column_for(kind or "item") if model.template is not None
                                    else COL_SECTION if kind == "section" else COL_ITEM)
                self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
                selection = self.selectionModel()
                selection.clearSelection()
                selection.select(index, QItemSelectionModel.SelectionFlag.Select)
                self.setCurrentIndex(model.index(rows.start, model.main_column()))
        self.viewport().update()

    def go_to_cell(self, node_id: str, kind: str, field: str | None = None) -> bool:
        model = self.table_model()
        row = model.row_of(node_id)
        if row < 0:
            return False
        column = model.column_for(kind, field)
        index = model.index(row, column)
        self.scrollTo(index)
        self.setCurrentIndex(index)
        return True

    def select_node(self, node_id: str, column: int) -> None:
        row = self.table_model().row_of(node_id)
        if row >= 0:
            self.setCurrentIndex(self.table_model().index(row, column))

    def current_column(self) -> int:
        return self.currentIndex().column()

