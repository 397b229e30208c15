"""The clerk's workplace: department tree on the left, the department's table on the right.

This module only assembles the parts (docs/architecture.md has the map):

* ``ui/tree/``   the tree (model, view) and the structure commands;
* ``ui/table/``  the table (model, view, delegates), entry commands, clipboard;
* ``ui/panels/`` problems (shown at start), search, 歷程與意見, 進度, 去年對照
  (built when first shown: :class:`~ui.panels.docks.LazyDock`);
* ``ui/files.py`` the file's life cycle, ``ui/reviewing.py`` the 審核 menu,
  ``ui/proofreading.py`` 校對 (findings in the 問題清單, underlined in the table),
  ``ui/window_panels.py`` the lazily built docks, problems navigation, zoom and layout;
* ``ui/actions.py`` + ``ui/menus.py`` every command, its keys and its menu.

Every change is an engine operation pushed on the undo stack (:meth:`push`);
the document commits it before ``push`` returns and hands its change record
(app/changes.py) to :meth:`_on_document_changed`, which gives it to each part:
each acts on what concerns it.  There is no save step.
"""
from __future__ import annotations

import gc
import os

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6 import QtWidgets
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter

from app import APP_NAME
from app.changes import Changes
from app.layout import report_heading
from app.document import Person, ReportDocument
from app.errors import ReportError
from app.operations import Operation

from .actions import build_actions
from .checks import ReportChecks
from .context_menus import ContextMenus
from .dialogs.identity import stored_person
from .files import FileActions
from .menus import build_menus
from .panels.problems import ProblemsPanel
from .proofreading import ProofreadActions
from .reviewing import ReviewActions
from .settings import settings
from .table.clipboard import TableClipboard
from .table.editing import EntryActions
from .table.model import DepartmentTableModel
from .table.view import DepartmentTable
from .tree.model import ReportTreeModel
from .tree.moves import NodeMoves
from .tree.structure import StructureActions
from .tree.view import DepartmentTree
from .undo import OperationCommand
from .window_panels import DEFAULT_POINT_SIZE, WindowPanels



class MainWindow(WindowPanels, QMainWindow):
    document_changed = Signal()

    def __init__(self, path: str | os.PathLike[str] | None = None, *, first_start_sample: bool = True):
        super().__init__()
        self.document: ReportDocument | None = None
        self.current_department_id: str | None = None
        self.undo_stack = QUndoStack(self)
        self.last_command: OperationCommand | None = None  # the command the last successful push made
        self._shown_once = False
        self.settings = settings()
        self.person = stored_person(self.settings) or Person.from_environment()
        self.point_size = int(self.settings.value("zoom", DEFAULT_POINT_SIZE))

        self._build_parts()
        self.actions_by_name = build_actions(self)
        self.act_problems = self.problems_dock.toggleViewAction()
        self.act_problems.setText("問題清單")
        build_menus(self)
        self._restore_layout()

        # Backups while editing: every 10 minutes when something changed, and at close.
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(10 * 60 * 1000)
        self.backup_timer.timeout.connect(self.files.scheduled_backup)
        self.backup_timer.start()

        if path is not None:
            self.files.open_file(path)
        elif first_start_sample:
            self.files.open_last_or_sample()
        self._update_title()

    # --- construction ----------------------------------------------------------

    def _build_parts(self) -> None:
        self.tree_model = ReportTreeModel()
        self.tree = DepartmentTree(self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.table_model = DepartmentTableModel()
        self.table_model.commit = lambda operation: self.push(operation, source=self.table)
        self.table = DepartmentTable(self.table_model)
        self.table.selectionModel().currentChanged.connect(self._table_current_changed)
        self.table.refused.connect(lambda message: self.statusBar().showMessage(message, 10000))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1000])
        self.setCentralWidget(self.splitter)

        self.files = FileActions(self)
        self.structure = StructureActions(self)
        self.tree_model.edit_requested = self.structure.rename
        self.entries = EntryActions(self)
        self.clipboard = TableClipboard(self)
        self.moves = NodeMoves(self)  # cut/paste and drag and drop move nodes (ui/tree/moves.py)
        self.reviewing = ReviewActions(self)
        self.checks = ReportChecks(self)  # problems, 進度, status bar: a moment after each change

        self.problems = ProblemsPanel()
        self.problems.go_to_requested.connect(self._go_to_problem)
        self.proofreading = ProofreadActions(self)  # 校對: findings kept current from each change record
        self.problems.finding_requested.connect(self.proofreading.go_to)
        self.problems_dock = QDockWidget("問題清單", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.search_dock = self._lazy_dock("搜尋", "searchDock", self._make_search, bottom)
        self.review_dock = self._lazy_dock("歷程與意見", "reviewDock", self._make_review_panel, bottom)
        self.dashboard_dock = self._lazy_dock("進度", "dashboardDock", self._make_dashboard, bottom)
        self.previous_dock = self._lazy_dock("去年對照", "previousYearDock", self._make_previous_year,
                                             Qt.DockWidgetArea.RightDockWidgetArea)
        self.previous_dock.hide()
        self.problems_dock.raise_()
        self._find_replace = None

        self.context_menus = ContextMenus(self)  # right-click menus (ui/context_menus.py)

        self.status_counts = QLabel()
        self.status_counts.setObjectName("statusCounts")
        self.statusBar().addPermanentWidget(self.status_counts)
        self._apply_zoom()

    # --- the one path for every change ------------------------------------------

    def push(self, operation: Operation, *, source=None) -> bool:
        """Apply ``operation`` as one undoable step; False if it was refused.

        ``source`` (the part that asked) comes back in the change record."""
        if self.document is None:
            return False
        command = OperationCommand(self.document, operation, self._operation_failed, self._replayed, source)
        self.undo_stack.push(command)
        self.last_command = command if not command.failed else None
        return not command.failed

    def _operation_failed(self, error: ReportError) -> None:
        """A refused change.  This runs inside ``push``, which may be inside Qt committing a cell
        editor (setData from commitData, before closeEditor): resetting the models or running a
        modal box here tears the editor down under Qt's feet (segfault).  So the window only
        notes it now and follows once the commit has returned (:meth:`_after_refusal`)."""
        self.statusBar().showMessage(refusal_line(error), 15000)
        QTimer.singleShot(0, lambda: self._after_refusal(error))

    def _after_refusal(self, error: ReportError) -> None:
        # The document has rolled itself back: the parts show it again, the table keeping its cell.
        self.tree.refresh_keeping_state()
        if self.current_department_id and self.document and self.document.find(self.current_department_id) is None:
            self.show_department(None)
        else:
            self.table.refresh_keeping_current()
        self.proofreading.refresh()
        self.validate_now()
        message = user_message(error)
        if self.table_model.unsaved_text:
            # What was typed is not lost: it is on the clipboard (paste it after 另存副本).
            QtWidgets.QApplication.clipboard().setText(self.table_model.unsaved_text)
            self.table_model.unsaved_text = None
            message += "\n\n您輸入的內容已複製到剪貼簿。"
        self.statusBar().showMessage(refusal_line(error), 15000)
        QtWidgets.QMessageBox.warning(self, "這次修改沒有存入", message)

    def _on_document_changed(self, changes: Changes) -> None:
        """Each part acts on what concerns it in the change record (app/changes.py)."""
        self.files.changes_since_backup += 1
        if self.tree_model.template is not self.document.report.template:
            # the report's template was changed (one operation): the tree's levels and the 新增 commands follow
            from .template_actions import follow_template

            self.tree.refresh_keeping_state()
            follow_template(self)
        self.tree.on_changes(changes)
        self.proofreading.on_changes(changes)  # only the touched entries are checked again
        if self.current_department_id is None or self.document.find(self.current_department_id) is None:
            departments = self.document.report.departments
            self.show_department(departments[0].id if departments else None)
        else:
            self.table.on_changes(changes)
        if self.review_dock.built:
            self.review_panel.on_changes(changes)
        if self.search_dock.built:
            self.search.on_changes(changes)
        if self._find_replace is not None and self._find_replace.isVisible():
            self._find_replace.recount()
        self.checks.timer.start()  # problems, 進度, approval marks, status bar

    def _replayed(self, operation: Operation) -> None:
        """Undo or redo: go to where the change happened (it may be another department)."""
        if self.document is None or self.proofreading.replayed(operation):
            return
        for node_id in operation.touched_ids():
            node = self.document.find(node_id)
            if node is not None and node.kind != "report":
                self.go_to(node_id, getattr(operation, "field", None))
                return

    def refresh_all(self) -> None:
        self.tree.refresh_keeping_state()
        if self.current_department_id and self.document and self.document.find(self.current_department_id) is None:
            self.current_department_id = None
        self.show_department(self.current_department_id)
        self.proofreading.refresh()
        self.validate_now()

    def set_document(self, document: ReportDocument | None) -> None:
        if self.document is not None:
            self.files.backup_if_changed()
            self.document.unsubscribe(self._on_document_changed)
            self.document.close()
        self.files.changes_since_backup = 0
        self.undo_stack.clear()
        self.tree.reset_expansion()
        self.document = document
        if document is not None:
            document.subscribe(self._on_document_changed)
        self.tree_model.set_document(document)
        from .template_actions import follow_template

        follow_template(self)  # 新增業務 … (issue 19)
        self.tree.expandToDepth(1)
        # A report made by 建立下一年度報告 carries last year's entries: show them beside this year's.
        self.previous_dock.setVisible(bool(document is not None and document.report.previous_entries))
        first = document.report.departments[0].id if document and document.report.departments else None
        self.show_department(first)
        if first:
            self.tree.setCurrentIndex(self.tree.index_of(first))
        # The whole-report check follows once the window is up (182 ms at 50×
        # the sample would otherwise delay the first paint).
        self.problems.set_problems([])
        self.proofreading.set_document(document)
        self.checks.timer.start()
        self._update_title()
        # The loaded report lives as long as the window: keep the garbage
        # collector from walking it again and again (exports and imports of a
        # big report otherwise slow down more than linearly).  After the first
        # paint: a full collection takes ≈ 45 ms at start-up.
        QTimer.singleShot(0, _freeze_heap)

    # --- showing and navigating -------------------------------------------------

    def show_department(self, department_id: str | None) -> None:
        another = department_id != self.current_department_id
        self.current_department_id = department_id
        self.table_model.show_department(self.document, department_id)
        self.table.apply_spans()
        if another:
            self.table.scrollToTop()  # a department opens at its top, not where the last one was scrolled
        self.checks.update_status()

    def tree_node(self):
        """The node selected in the tree, or None."""
        node_id = self.tree.current_node_id()
        return self.document.find(node_id) if node_id and self.document else None

    def current_department_name(self) -> str | None:
        node = self.document.find(self.current_department_id) if self.document and self.current_department_id else None
        return node.name if node is not None else None

    def _tree_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        node = self.tree_node()
        if node is None or node.kind == "report":
            return
        department = self.document.department_of(node.id)
        if department is None:
            return
        if department.id != self.current_department_id:
            self.show_department(department.id)
        self.table.highlight(node.id if node.kind in ("section", "item") else None, node.kind)

    def _table_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_current_in_panels()

    def _show_current_in_panels(self) -> None:
        """The 歷程與意見 and 去年對照 panels show the 目 (or entry) under the table's cursor."""
        current = self.table.currentIndex()
        row = self.table.current_row()
        if self.review_dock.built:
            if row is None or row.item is None:
                self.review_panel.show_node(self.document, None)
            else:
                node = row.entry if row.entry is not None and self.table_model.is_entry_column(current.column()) else row.item
                label = row.item_label if node is row.item else f"{row.item_label} › {row.number or '段落'}"
                self.review_panel.show_node(self.document, node.id, label)
        if self.previous_dock.built and row is not None and row.item is not None:
            self.previous_year.show_item(self.document.report, row.item.id)

    def go_to(self, node_id: str, field: str | None = None) -> None:
        """Show a node: its department's table, its row and cell, its place in the tree."""
        node = self.document.find(node_id) if self.document is not None else None
        if node is None or node.kind == "report":
            return
        department = self.document.department_of(node_id)
        if department.id != self.current_department_id:
            self.show_department(department.id)
        # (the same department's table already follows every change: no refresh here)
        self.tree.select_quietly(node_id if node.kind != "entry" else self.document.parent(node_id).id)
        self.table.go_to_cell(node_id, node.kind, field)

    # --- problems, 進度, status (ui/checks.py) ----------------------------------------

    def validate_now(self) -> None:
        self.checks.run()

    # --- view ----------------------------------------------------------------------

    def show_error(self, title: str, error: Exception) -> None:
        QtWidgets.QMessageBox.warning(self, title, user_message(error))

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_NAME)
            return
        report = self.document.report
        state = "（唯讀）" if self.document.read_only else ""
        if self.document.package:
            state += f"〔工作包：{report.departments[0].name if report.departments else ''}〕"
        self.setWindowTitle(f"{report_heading(report)} — {self.document.path.name}{state} — {APP_NAME}")

    # --- window state -------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once and self.settings.value("windowState") is None:
            # First start: a slim problems panel (later starts restore the user's layout).
            QTimer.singleShot(0, lambda: self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical))
        self._shown_once = True

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing to save: every change is already in the report file.
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        for view in self._panel_views():
            self.settings.setValue(f"columns/{view.objectName()}", view.horizontalHeader().saveState())
        self.settings.sync()
        if self.document is not None:
            self.files.backup_if_changed()
            self.document.unsubscribe(self._on_document_changed)
            self.document.close()
            self.document = None
        super().closeEvent(event)


def user_message(error: Exception) -> str:
    """The one line a person reads: the file's name, not its full path (folders may name people)."""
    if isinstance(error, ReportError) and error.path:
        return f"{os.path.basename(error.path)}：{error.message}"
    return str(error)


def refusal_line(error: ReportError) -> str:
    """The status bar's line for a refused change (no path; 「沒有存入」 said once)."""
    return error.message if "沒有存入" in error.message else f"這次修改沒有存入：{error.message}"


def _freeze_heap() -> None:
    gc.collect()
    gc.freeze()
