"""The table view of one department: spans, row heights, highlight, and following changes.

:meth:`DepartmentTable.on_changes` reads the change record (app/changes.py):
a change outside its department is ignored; a cell edit (entries' values
only) repaints and re-measures only the rows of the 目 it touched; anything
else (rows added, removed or moved, a level, a title, a review mark) rebuilds
the rows and spans, keeping the current cell by node id.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.changes import Changes

from .delegates import TableDelegate
from .model import COL_COMPLETION, COL_ITEM, COL_REMARK, COL_SECTION, COL_TEXT, DepartmentTableModel, NodeIdRole

COLUMN_WIDTHS = (70, 130, 170, 520, 118, 110)
FIELD_COLUMN = {"text": COL_TEXT, "completion": COL_COMPLETION, "remark": COL_REMARK}
PADDING = 12


class DepartmentTable(QTableView):
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
        # issue 15: Tab from 備註 wraps onto the next row's 類 cell, and typing there renames the department.
        self.setTabKeyNavigation(True)
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
                item = model.rows[row].item if 0 <= row < len(model.rows) else None
                wanted.update(model.rows_of(item.id) if item is not None else [row])
            measure = sorted(wanted)
            if not measure:
                return
        heights = {row: self._row_height(row) for row in measure}
        # A 項 or 目 title longer than its rows: the last row of the span grows.
        for column in (COL_SECTION, COL_ITEM):
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
        for column in (COL_TEXT, COL_REMARK, COL_COMPLETION):
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
            node = table_row.section if column == COL_SECTION else table_row.item
            span = model.rows_of(node.id) if node is not None else range(row, row + 1)
            found[span.start] = len(span)
        return sorted(found.items())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Scrolling moves the painted pixels; the 類/項/目 labels (drawn in the visible part of
        their span by TableDelegate.paint) must be drawn again where the span now starts to show."""
        super().scrollContentsBy(dx, dy)
        if dy:
            from .delegates import SPANNED_COLUMNS

            height = self.viewport().height()
            for column in SPANNED_COLUMNS:
                self.viewport().update(self.columnViewportPosition(column), 0, self.columnWidth(column), height)

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
                index = model.index(rows.start, COL_SECTION if kind == "section" else COL_ITEM)
                self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
                selection = self.selectionModel()
                selection.clearSelection()
                selection.select(index, QItemSelectionModel.SelectionFlag.Select)
                self.setCurrentIndex(model.index(rows.start, COL_TEXT))
        self.viewport().update()

    def go_to_cell(self, node_id: str, kind: str, field: str | None = None) -> bool:
        model = self.table_model()
        row = model.row_of(node_id)
        if row < 0:
            return False
        column = {"department": 0, "section": COL_SECTION, "item": COL_ITEM}.get(kind, FIELD_COLUMN.get(field or "text", COL_TEXT))
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

