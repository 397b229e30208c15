"""The clerk's workplace: department tree on the left, the department's table on the right.

Every change is an engine operation pushed on the undo stack (``push``); the
document commits it to the report file before ``push`` returns, and tells us
through its listener, which refreshes only what the change needs.  There is
no save step: closing the window loses nothing.
"""
from __future__ import annotations

import csv
import gc
import io
import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.dashboard import progress
from app.changes import Changes
from app.document import Person, ReportDocument
from app.model import REVIEW_LABEL, ROLE_LABEL
from app.review import ACTIONS, AddComment, ReviewAction, allowed_actions, changes_since_approval
from app.errors import NotAReportError, ReportError
from app.storage.backup import list_backups, restore_backup
from app.storage.lock import ReportLocked
from app.model import LEVEL_ITEM, LEVEL_PARAGRAPH, LEVEL_SUBITEM, Department, Entry, Item, Report, Section
from app.numbering import split_entry_text
from app.operations import Batch, DeleteNode, InsertNode, MoveNode, Operation, SetField
from app.paths import user_data_dir
from app.sample import sample_report
from app.search import search
from app.validate import check, summary

from .dashboard_widget import DashboardWidget
from .delegates import TableDelegate
from .identity import IdentityDialog, store_person, stored_person
from .review_panel import ReviewPanel
from .list_models import NodeIdRole, ProblemsModel, SearchResultsModel, list_view
from .table_model import (
    COL_COMPLETION,
    COL_ITEM,
    COL_REMARK,
    COL_SECTION,
    COL_TEXT,
    DepartmentTableModel,
    parse_completion,
)
from .tree_model import ReportTreeModel
from .undo import OperationCommand

FILE_FILTER = "工作總報告 (*.awr)"
SAMPLE_FILE_NAME = "範例-109年度工作總報告.awr"
MAX_RECENT = 8
DEFAULT_POINT_SIZE = 11
COLUMN_WIDTHS = (70, 130, 170, 520, 118, 110)
FIELD_COLUMN = {"text": COL_TEXT, "completion": COL_COMPLETION, "remark": COL_REMARK}

SHORTCUTS: list[tuple[str, str]] = []  # (keys, what) — filled as actions are made, shown in 說明 → 快速鍵


def settings() -> QSettings:
    """Settings live in an .ini in the user's data folder (portable, test-isolated)."""
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    document_changed = Signal()

    def __init__(self, path: str | os.PathLike[str] | None = None, *, first_start_sample: bool = True):
        super().__init__()
        self.document: ReportDocument | None = None
        self.current_department_id: str | None = None
        self.hits = []
        self.hit_index = -1
        self.undo_stack = QUndoStack(self)
        self._shown_once = False
        self.settings = settings()
        self.person = stored_person(self.settings) or Person.from_environment()
        self.point_size = int(self.settings.value("zoom", DEFAULT_POINT_SIZE))

        self._build_views()
        self._build_actions()
        self._build_menus()
        self._restore_layout()

        # Backups while editing: every 10 minutes when something changed, and at close.
        self.changes_since_backup = 0
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(10 * 60 * 1000)
        self.backup_timer.timeout.connect(self._scheduled_backup)
        self.backup_timer.start()

        self.validate_timer = QTimer(self)
        self.validate_timer.setSingleShot(True)
        self.validate_timer.setInterval(200)
        self.validate_timer.timeout.connect(self.validate_now)

        if path is not None:
            self.open_file(path)
        elif first_start_sample:
            self.open_last_or_sample()
        self._update_title()

    # --- construction ----------------------------------------------------------

    def _build_views(self) -> None:
        self.tree_model = ReportTreeModel()
        self.tree_model.edit_requested = self._edit_node_title
        self.tree = QTreeView()
        self.tree.setObjectName("departmentTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.setAccessibleName("部門樹")
        # Expansion is remembered by id, so a model reset after a structural
        # change can restore it.
        self.expanded_ids: set[str] = set()
        self.tree.expanded.connect(lambda index: self.expanded_ids.add(self.tree_model.node_id(index)))
        self.tree.collapsed.connect(lambda index: self.expanded_ids.discard(self.tree_model.node_id(index)))

        self.table_model = DepartmentTableModel()
        self.table_model.commit = self.push
        self.table = QTableView()
        self.table.setObjectName("departmentTable")
        self.table.setModel(self.table_model)
        self.table.setItemDelegate(TableDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("辦理情形表")
        # Column widths change (window resized, a column dragged): re-fit row heights once it settles.
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(60)
        self.fit_timer.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *args: self.fit_timer.start())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1000])
        self.setCentralWidget(self.splitter)

        self.problems_model = ProblemsModel()
        self.problems_view = list_view("problemsView", self.problems_model, (60, 420), self._problem_activated)
        self.problems_dock = QDockWidget("問題清單", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems_view)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText("搜尋整份報告（Enter 搜尋／下一筆，F3 下一筆）")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self._search_enter)
        self.search_model = SearchResultsModel()
        self.search_view = list_view("searchResults", self.search_model, (320,), self._hit_activated)
        self.search_status = QLabel()
        search_panel = QWidget()
        layout = QVBoxLayout(search_panel)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.search_status)
        layout.addWidget(self.search_view)
        self.search_dock = QDockWidget("搜尋", self)
        self.search_dock.setObjectName("searchDock")
        self.search_dock.setWidget(search_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.tabifyDockWidget(self.problems_dock, self.search_dock)
        self.problems_dock.raise_()


        self.review_panel = ReviewPanel()
        self.review_dock = QDockWidget("歷程與意見", self)
        self.review_dock.setObjectName("reviewDock")
        self.review_dock.setWidget(self.review_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.review_dock)
        self.tabifyDockWidget(self.problems_dock, self.review_dock)
        self.dashboard = DashboardWidget()
        self.dashboard_dock = QDockWidget("進度", self)
        self.dashboard_dock.setObjectName("dashboardDock")
        self.dashboard_dock.setWidget(self.dashboard)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dashboard_dock)
        self.tabifyDockWidget(self.problems_dock, self.dashboard_dock)
        from .previous_year import PreviousYearWidget

        self.previous_year = PreviousYearWidget()
        self.previous_year.copy_requested.connect(self._copy_previous_entry)
        self.previous_dock = QDockWidget("去年對照", self)
        self.previous_dock.setObjectName("previousYearDock")
        self.previous_dock.setWidget(self.previous_year)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.previous_dock)
        self.previous_dock.hide()
        self.problems_dock.raise_()
        self.table.selectionModel().currentChanged.connect(self._table_current_changed)

        self.status_counts = QLabel()
        self.status_counts.setObjectName("statusCounts")
        self.statusBar().addPermanentWidget(self.status_counts)
        self._apply_zoom()

    def _action(self, text: str, slot, shortcut=None, *, what: str | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            sequences = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in sequences])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            SHORTCUTS.append((" / ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in sequences), what or text))
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        SHORTCUTS.clear()
        a = self._action
        self.act_new = a("新增報告(&N)…", self.new_report, QKeySequence.StandardKey.New)
        self.act_open = a("開啟(&O)…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.act_save_copy = a("另存副本(&A)…", self.save_copy_dialog, "Ctrl+Shift+S")
        self.act_sample = a("開啟範例報告", self.open_sample_copy)
        self.act_import = a("匯入(&I)…", self.import_dialog, "Ctrl+I", what="由 Word／Excel／ODF／JSON 檔建立新報告（先預覽）")
        self.act_rollover = a("建立下一年度報告…", self.rollover_dialog, what="以本報告的部門、項、目建立下一年度報告")
        self.act_restore = a("從備份還原(&B)…", lambda: self.restore_dialog())
        self.act_export = a("匯出(&E)…", self.export_dialog, "Ctrl+E")
        self.act_preview = a("預覽列印(&V)…", self.print_preview, "Ctrl+Shift+P")
        self.act_print = a("列印(&P)…", self.print_report, QKeySequence.StandardKey.Print)
        self.act_quit = a("結束(&X)", self.close, "Ctrl+Q")

        self.act_undo = self.undo_stack.createUndoAction(self, "復原")
        self.act_undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, "取消復原")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        SHORTCUTS.append(("Ctrl+Z", "復原"))
        SHORTCUTS.append(("Ctrl+Y / Ctrl+Shift+Z", "取消復原（重做）"))
        self.act_paste = a("貼上為辦理情形(&V)", self.paste, QKeySequence.StandardKey.Paste, what="貼上（多行或多格成為多筆辦理情形）")
        self.act_copy = a("複製(&C)", self.copy_cells, QKeySequence.StandardKey.Copy)
        self.act_find = a("搜尋(&F)…", self.focus_search, QKeySequence.StandardKey.Find)
        self.act_find_next = a("下一筆搜尋結果", lambda: self.next_hit(1), "F3")
        self.act_find_prev = a("上一筆搜尋結果", lambda: self.next_hit(-1), "Shift+F3")

        self.act_insert_after = a("在下方新增辦理情形", lambda: self.insert_entry(after=True), "Ctrl+Return")
        self.act_insert_before = a("在上方新增辦理情形", lambda: self.insert_entry(after=False), "Ctrl+Shift+Return")
        self.act_delete_row = a("刪除辦理情形", self.delete_entry, "Ctrl+Delete")
        self.act_delete = a("刪除／清除", self.delete_current, "Delete", what="清除所選儲存格（表格）或刪除所選的部門／項／目（樹狀）")
        self.act_move_up = a("上移", lambda: self.move_current(-1), "Alt+Up")
        self.act_move_down = a("下移", lambda: self.move_current(1), "Alt+Down")
        self.act_indent = a("降一層（改為子項）", lambda: self.change_level(1), "Alt+Right")
        self.act_outdent = a("升一層", lambda: self.change_level(-1), "Alt+Left")
        self.act_fill_down = a("向下填滿完成程度", self.fill_down, "Ctrl+D")
        self.act_add_department = a("新增部門", self.add_department, "Ctrl+Alt+D")
        self.act_add_section = a("新增項", self.add_section, "Ctrl+Alt+S")
        self.act_add_item = a("新增目", self.add_item, "Ctrl+Alt+I")
        self.act_rename = a("重新命名", self.rename_current, "F2", what="編輯所選儲存格或樹狀節點的名稱")
        self.act_focus_tree = a("移到部門樹", lambda: self.tree.setFocus(), "Ctrl+1")
        self.act_focus_table = a("移到表格", lambda: self.table.setFocus(), "Ctrl+2")

        self.act_zoom_in = a("放大", lambda: self.zoom(1), ["Ctrl+=", "Ctrl++"])
        self.act_zoom_out = a("縮小", lambda: self.zoom(-1), "Ctrl+-")
        self.act_zoom_reset = a("原始大小", lambda: self.zoom(0), "Ctrl+0")
        self.act_problems = self.problems_dock.toggleViewAction()
        self.act_problems.setText("問題清單")
        self.act_submit = a("送審", lambda: self.review("submit"), "Ctrl+Shift+1", what="送審所選的目")
        self.act_return = a("退回", lambda: self.review("return"), "Ctrl+Shift+2", what="退回所選的目（主管）")
        self.act_approve = a("核定", lambda: self.review("approve"), "Ctrl+Shift+3", what="核定所選的目（主管）")
        self.act_reopen = a("重新開啟", lambda: self.review("reopen"), "Ctrl+Shift+4", what="重新開啟已核定的目（主管）")
        self.act_comment = a("新增意見…", self.add_comment, "Ctrl+Shift+M", what="對所選的目或辦理情形新增意見")
        self.act_identity = a("設定身分…", self.change_identity)
        self.act_issue_package = a("分送工作包…", self.issue_package_dialog, what="把一個部門分送為工作包")
        self.act_merge_package = a("彙整工作包…", self.merge_package_dialog, what="把工作包彙整回報告")
        self.act_shortcuts = a("快速鍵(&K)…", self.show_shortcuts, "F1")
        self.act_about = a("關於(&A)…", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("檔案(&F)")
        for action in (self.act_new, self.act_open):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu("最近開啟的檔案(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.act_save_copy)
        file_menu.addAction(self.act_sample)
        file_menu.addSeparator()
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_rollover)
        file_menu.addAction(self.act_restore)
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addAction(self.act_preview)
        file_menu.addAction(self.act_print)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)

        edit_menu = bar.addMenu("編輯(&E)")
        for action in (self.act_undo, self.act_redo, None, self.act_copy, self.act_paste, self.act_fill_down, None,
                       self.act_insert_after, self.act_insert_before, self.act_delete_row, self.act_delete, None,
                       self.act_move_up, self.act_move_down, self.act_indent, self.act_outdent, None,
                       self.act_find, self.act_find_next, self.act_find_prev):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)

        structure_menu = bar.addMenu("結構(&S)")
        for action in (self.act_add_department, self.act_add_section, self.act_add_item, self.act_rename):
            structure_menu.addAction(action)

        review_menu = bar.addMenu("審核(&R)")
        for action in (self.act_submit, self.act_return, self.act_approve, self.act_reopen, None, self.act_comment,
                       None, self.act_issue_package, self.act_merge_package, None, self.act_identity):
            review_menu.addSeparator() if action is None else review_menu.addAction(action)

        view_menu = bar.addMenu("檢視(&V)")
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset, None, self.act_problems,
                       self.search_dock.toggleViewAction(), self.review_dock.toggleViewAction(),
                       self.dashboard_dock.toggleViewAction(), self.previous_dock.toggleViewAction(),
                       None, self.act_focus_tree, self.act_focus_table):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)

        help_menu = bar.addMenu("說明(&H)")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    # --- documents -------------------------------------------------------------

    def open_file(self, path: str | os.PathLike[str], *, read_only: bool = False) -> bool:
        try:
            document = ReportDocument.open(path, read_only=read_only, person=self.person)
        except ReportLocked as exc:
            answer = QMessageBox.question(self, "報告使用中", f"{exc}\n\n要以唯讀方式開啟嗎？")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            return self.open_file(path, read_only=True)
        except NotAReportError as exc:
            backups = list_backups(path)
            if backups and Path(path).exists():
                answer = QMessageBox.question(
                    self, "無法開啟報告檔",
                    f"{exc}\n\n找到 {len(backups)} 份備份，最新的是 {backups[0].made:%Y-%m-%d %H:%M}。要從備份還原嗎？",
                )
                if answer == QMessageBox.StandardButton.Yes:
                    return self.restore_dialog(path)
                return False
            self.show_error("無法開啟報告檔", exc)
            return False
        except ReportError as exc:
            self.show_error("無法開啟報告檔", exc)
            return False
        self._set_document(document)
        self._remember_recent(str(Path(path).resolve()))
        return True

    # --- backups ------------------------------------------------------------------

    def backup_now(self, reason: str = "auto") -> None:
        if self.document is None or self.document.read_only:
            return
        try:
            self.document.repo.backup(reason)
            self.changes_since_backup = 0
        except ReportError as exc:
            self.statusBar().showMessage(f"自動備份失敗：{exc}", 8000)

    def _scheduled_backup(self) -> None:
        if self.changes_since_backup:
            self.backup_now("auto")

    def restore_dialog(self, path: str | os.PathLike[str] | None = None) -> bool:
        """File → 從備份還原: pick a backup (time, reason, size) and put it in place of the report."""
        from .restore_dialog import RestoreDialog

        path = Path(path) if path is not None else (self.document.path if self.document else None)
        if path is None:
            return False
        dialog = RestoreDialog(path, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return False
        if self.document is not None and self.document.path.resolve() == path.resolve():
            self._set_document(None)
        try:
            restore_backup(dialog.chosen, path)
        except ReportError as exc:
            self.show_error("無法還原", exc)
            return False
        self.statusBar().showMessage(f"已從 {dialog.chosen.made:%Y-%m-%d %H:%M} 的備份還原", 8000)
        return self.open_file(path)

    def _set_document(self, document: ReportDocument | None) -> None:
        if self.document is not None:
            if self.changes_since_backup:
                self.backup_now("auto")
            self.document.unsubscribe(self._on_document_changed)
            self.document.close()
        self.changes_since_backup = 0
        self.undo_stack.clear()
        self.expanded_ids.clear()
        self.document = document
        if document is not None:
            document.subscribe(self._on_document_changed)
        self.tree_model.set_document(document)
        self.tree.expandToDepth(1)
        # A report made by 建立下一年度報告 carries last year's entries: show them beside this year's.
        self.previous_dock.setVisible(bool(document is not None and document.report.previous_entries))
        first = document.report.departments[0].id if document and document.report.departments else None
        self.show_department(first)
        if first:
            self.tree.setCurrentIndex(self.tree_model.index_of(first))
        # The whole-report check follows once the window is up (182 ms at 50×
        # the sample would otherwise delay the first paint).
        self.problems_model.set_items([])
        self.validate_timer.start()
        self._update_title()
        # The loaded report lives as long as the window: keep the garbage
        # collector from walking it again and again (exports and imports of a
        # big report otherwise slow down more than linearly).
        gc.collect()
        gc.freeze()

    def open_last_or_sample(self) -> None:
        for path in self.recent_files():
            if Path(path).exists() and self.open_file(path):
                return
        self.open_sample_copy(reuse=True)

    def open_sample_copy(self, checked: bool = False, *, reuse: bool = False) -> None:
        """Open a copy of the bundled sample in the user's data folder (never the bundled file)."""
        folder = user_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / SAMPLE_FILE_NAME
        if target.exists() and not reuse:
            n = 2
            while (folder / f"範例-109年度工作總報告-{n}.awr").exists():
                n += 1
            target = folder / f"範例-109年度工作總報告-{n}.awr"
        if not target.exists():
            try:
                ReportDocument.create(target, sample_report()).close()
            except ReportError as exc:
                self.show_error("無法建立範例報告", exc)
                return
        self.open_file(target)

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "開啟報告檔", self._last_folder(), FILE_FILTER)
        if path:
            self.open_file(path)

    def new_report(self) -> None:
        dialog = NewReportDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        report = dialog.report()
        path, _ = QFileDialog.getSaveFileName(
            self, "新報告檔存放位置", str(Path(self._last_folder()) / f"{report.roc_year}年度工作總報告.awr"), FILE_FILTER
        )
        if not path:
            return
        if not path.lower().endswith(".awr"):
            path += ".awr"
        try:
            ReportDocument.create(path, report, overwrite=Path(path).exists() and self._confirm_overwrite(path)).close()
        except ReportError as exc:
            self.show_error("無法建立報告檔", exc)
            return
        self.open_file(path)

    def _confirm_overwrite(self, path: str) -> bool:
        return QMessageBox.question(self, APP_NAME, f"{path} 已存在，要取代它嗎？") == QMessageBox.StandardButton.Yes

    def save_copy_dialog(self) -> None:
        if self.document is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "另存副本", str(self.document.path.with_name(self.document.path.stem + "-副本.awr")), FILE_FILTER)
        if not path:
            return
        try:
            self.document.repo.save_copy(path)
        except ReportError as exc:
            self.show_error("無法另存副本", exc)
            return
        self.statusBar().showMessage(f"已另存副本：{path}", 5000)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: str) -> None:
        files = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            self.recent_menu.addAction("（沒有最近開啟的檔案）").setEnabled(False)
        for n, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{n} {path}")
            action.triggered.connect(lambda checked=False, p=path: self.open_file(p))

    def _last_folder(self) -> str:
        if self.document is not None:
            return str(self.document.path.parent)
        return str(Path.home())

    # --- the one path for every change ------------------------------------------

    def push(self, operation: Operation) -> bool:
        """Apply ``operation`` as one undoable step; False if it was refused."""
        if self.document is None:
            return False
        command = OperationCommand(self.document, operation, self._operation_failed, self._replayed)
        self.undo_stack.push(command)
        return not command.failed

    def _operation_failed(self, error: ReportError) -> None:
        self.refresh_all()
        self.show_error("這次修改沒有存入", error)

    def _edit_node_title(self, node_id: str, field: str, value) -> bool:
        node = self.document.find(node_id) if self.document else None
        if node is None:
            return False
        from app.numbering import strip_numbering

        text = strip_numbering(str(value)).strip()
        if getattr(node, field) == text:
            return False
        return self.push(SetField(node_id, field, text))

    def _on_document_changed(self, changes: Changes) -> None:
        """Each part acts on what concerns it in the change record (app/changes.py)."""
        self.changes_since_backup += 1
        if changes.tree:
            self._refresh_tree_keeping_state()
        if self.current_department_id is None or self.document.find(self.current_department_id) is None:
            departments = self.document.report.departments
            self.show_department(departments[0].id if departments else None)
        elif self.current_department_id in changes.departments or changes.report_fields:
            if changes.entry_fields_only():
                # A cell edit: same rows, same spans — repaint and re-measure those rows.
                self.table_model.refresh_rows(changes.changed_entries())
                self._fit_rows()
            else:
                self._refresh_table()
        if changes.review or changes.comments or changes.history:
            self._table_current_changed(self.table.currentIndex(), QModelIndex())
        # Problems and the status bar follow a moment later (one pass over the
        # whole report), so typing stays within a frame at any report size.
        self.validate_timer.start()

    def _replayed(self, operation: Operation) -> None:
        """Undo or redo: go to where the change happened (it may be another department)."""
        focus = self._first_existing(operation.touched_ids())
        if focus is not None:
            self.go_to(focus, getattr(operation, "field", None))

    def _first_existing(self, ids: set[str]) -> str | None:
        if self.document is None:
            return None
        for node_id in ids:
            node = self.document.find(node_id)
            if node is not None and node.kind != "report":
                return node_id
        return None

    def refresh_all(self) -> None:
        self._refresh_tree_keeping_state()
        if self.current_department_id and self.document and self.document.find(self.current_department_id) is None:
            self.current_department_id = None
        self.show_department(self.current_department_id)
        self.validate_now()

    def _refresh_tree_keeping_state(self) -> None:
        expanded = set(self.expanded_ids)
        current = self.tree_model.node_id(self.tree.currentIndex())
        self.tree_model.refresh()
        self.expanded_ids.clear()
        for node_id in expanded:
            index = self.tree_model.index_of(node_id)
            if index.isValid():
                self.tree.setExpanded(index, True)
        if current:
            index = self.tree_model.index_of(current)
            if index.isValid():
                self.tree.selectionModel().blockSignals(True)
                self.tree.setCurrentIndex(index)
                self.tree.selectionModel().blockSignals(False)

    # --- showing and navigating -------------------------------------------------

    def show_department(self, department_id: str | None) -> None:
        self.current_department_id = department_id
        self.table_model.show_department(self.document, department_id)
        self._apply_spans()
        self._update_status()

    def _refresh_table(self) -> None:
        current = self.table.currentIndex()
        keep = (self.table_model.data(current, NodeIdRole), current.column()) if current.isValid() else None
        self.table_model.refresh()
        self._apply_spans()
        if keep and keep[0]:
            row = self.table_model.row_of(keep[0])
            if row >= 0:
                self.table.setCurrentIndex(self.table_model.index(row, keep[1]))

    def _apply_spans(self) -> None:
        self.table.clearSpans()
        for row, column, rows, columns in self.table_model.spans():
            self.table.setSpan(row, column, rows, columns)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Row heights from font metrics of the wrapped 辦理情形 / 備註 text.

        Much cheaper than QTableView.resizeRowsToContents (which asks the
        delegate of every cell), and the spanned 類/項/目 cells must not
        stretch single rows anyway.
        """
        metrics = self.table.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        widths = {c: max(20, self.table.columnWidth(c) - 10) for c in (COL_TEXT, COL_REMARK, COL_COMPLETION)}
        header = self.table.verticalHeader()
        minimum = metrics.height() + 12
        heights = []
        for row in range(self.table_model.rowCount()):
            height = minimum
            for column, width in widths.items():
                text = self.table_model.data(self.table_model.index(row, column))
                if text:
                    height = max(height, metrics.boundingRect(0, 0, width, 100000, flags, text).height() + 12)
            heights.append(height)
        # A 項 or 目 title longer than its rows: the last row of the span grows.
        for column in (COL_SECTION, COL_ITEM):
            width = max(20, self.table.columnWidth(column) - 10)
            row = 0
            while row < len(heights):
                span = max(1, self.table.rowSpan(row, column))
                text = self.table_model.data(self.table_model.index(row, column))
                if text:
                    needed = metrics.boundingRect(0, 0, width, 100000, flags, text).height() + 12
                    have = sum(heights[row:row + span])
                    if needed > have:
                        heights[row + span - 1] += needed - have
                row += span
        for row, height in enumerate(heights):
            header.resizeSection(row, height)

    def _tree_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        node_id = self.tree_model.node_id(current)
        if node_id is None or self.document is None:
            return
        node = self.document.find(node_id)
        if node is None:
            return
        department = self.document.department_of(node_id) if node.kind != "report" else None
        if department is None:
            return
        if department.id != self.current_department_id:
            self.show_department(department.id)
        self.highlight(node_id if node.kind in ("section", "item") else None)

    def highlight(self, node_id: str | None) -> None:
        """Highlight and scroll to the rows of a 項 or 目."""
        self.table_model.highlighted = set()
        if node_id:
            rows = self.table_model.rows_of(node_id)
            self.table_model.highlighted = {node_id}
            if len(rows):
                column = COL_SECTION if self.document.find(node_id).kind == "section" else COL_ITEM
                index = self.table_model.index(rows.start, column)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
                selection = self.table.selectionModel()
                selection.clearSelection()
                selection.select(index, QItemSelectionModel.SelectionFlag.Select)
                self.table.setCurrentIndex(self.table_model.index(rows.start, COL_TEXT))
        self.table.viewport().update()

    def go_to(self, node_id: str, field: str | None = None) -> None:
        """Show a node: its department's table, its row and cell, its place in the tree."""
        if self.document is None:
            return
        node = self.document.find(node_id)
        if node is None:
            return
        if node.kind == "report":
            return
        department = self.document.department_of(node_id)
        if department.id != self.current_department_id:
            self.show_department(department.id)
        else:
            self._refresh_table()
        tree_id = node_id if node.kind != "entry" else self.document.parent(node_id).id
        tree_index = self.tree_model.index_of(tree_id)
        if tree_index.isValid():
            self.tree.selectionModel().blockSignals(True)
            self.tree.scrollTo(tree_index)
            self.tree.setCurrentIndex(tree_index)
            self.tree.selectionModel().blockSignals(False)
        row = self.table_model.row_of(node_id)
        if row < 0:
            return
        column = {"department": 0, "section": COL_SECTION, "item": COL_ITEM}.get(node.kind, FIELD_COLUMN.get(field or "text", COL_TEXT))
        index = self.table_model.index(row, column)
        self.table.scrollTo(index)
        self.table.setCurrentIndex(index)

    # --- table actions ------------------------------------------------------------

    def _current_row(self):
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.table_model.rows):
            return None
        return self.table_model.rows[index.row()]

    def _table_has_focus(self) -> bool:
        widget = QGuiApplication.focusObject()
        return widget is self.table or (isinstance(widget, QWidget) and self.table.isAncestorOf(widget))

    def _commit_editor(self) -> None:
        """An action while a cell is being edited first stores what was typed."""
        widget = QGuiApplication.focusObject()
        if isinstance(widget, QWidget) and widget is not self.table and self.table.viewport().isAncestorOf(widget):
            delegate = self.table.itemDelegate()
            editor = widget
            while editor.parent() is not self.table.viewport():
                editor = editor.parent()
            delegate.commitData.emit(editor)
            delegate.closeEditor.emit(editor, delegate.EndEditHint.NoHint)

    def insert_entry(self, after: bool = True) -> None:
        self._commit_editor()
        row = self._current_row()
        item = None
        index = 0
        level = LEVEL_ITEM
        if row is not None and row.item is not None:
            item = row.item
            if row.entry is not None:
                index = item.entries.index(row.entry) + (1 if after else 0)
                level = row.entry.level
            else:
                level = LEVEL_ITEM if item.numbered else LEVEL_PARAGRAPH
        else:
            node = self.document.find(self.tree_model.node_id(self.tree.currentIndex()) or "") if self.document else None
            if node is not None and node.kind == "item":
                item, index = node, len(node.entries)
        if item is None:
            self.statusBar().showMessage("請先選擇一個目", 4000)
            return
        entry = Entry(level=level, text="")
        if self.push(InsertNode(item.id, index, entry)):
            self.go_to(entry.id)
            self.table.edit(self.table.currentIndex())

    def delete_entry(self) -> None:
        self._commit_editor()
        row = self._current_row()
        if row is None or row.entry is None:
            return
        column = self.table.currentIndex().column()
        item = row.item
        index = item.entries.index(row.entry)
        if self.push(DeleteNode(row.entry.id)):
            follow = item.entries[min(index, len(item.entries) - 1)].id if item.entries else item.id
            row_number = self.table_model.row_of(follow)
            if row_number >= 0:
                self.table.setCurrentIndex(self.table_model.index(row_number, column))

    def delete_current(self) -> None:
        """Delete: in the table clear the cell (like a spreadsheet); in the tree delete the node."""
        if not self.tree.hasFocus():
            index = self.table.currentIndex()
            if index.isValid() and self.table_model.flags(index) & Qt.ItemFlag.ItemIsEditable and index.column() in (COL_COMPLETION, COL_REMARK, COL_TEXT):
                operation = self.table_model.operation_for(index, "")
                if operation is not None:
                    self.push(operation)
            return
        node_id = self.tree_model.node_id(self.tree.currentIndex())
        node = self.document.find(node_id) if node_id and self.document else None
        if node is None or node.kind == "report":
            return
        has_content = any(True for _ in _descendant_entries(node))
        if has_content:
            label = self.tree_model.data(self.tree.currentIndex())
            answer = QMessageBox.question(
                self, "確認刪除", f"「{label}」含有辦理情形，確定要刪除嗎？（可用「復原」還原）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.push(DeleteNode(node.id))

    def move_current(self, delta: int) -> None:
        self._commit_editor()
        if self.document is None:
            return
        if self.tree.hasFocus():
            node_id = self.tree_model.node_id(self.tree.currentIndex())
            node = self.document.find(node_id) if node_id else None
            if node is None or node.kind == "report":
                return
        else:
            row = self._current_row()
            node = row.entry if row else None
            if node is None:
                return
        parent = self.document.parent(node.id)
        index = self.document.index_of(node.id) + delta
        if not 0 <= index < len(parent.children):
            return
        column = self.table.currentIndex().column()
        if self.push(MoveNode(node.id, parent.id, index)):
            if node.kind == "entry":
                self.table.setCurrentIndex(self.table_model.index(self.table_model.row_of(node.id), column))
            else:
                self.tree.setCurrentIndex(self.tree_model.index_of(node.id))

    def change_level(self, delta: int) -> None:
        self._commit_editor()
        row = self._current_row()
        if row is None or row.entry is None:
            return
        level = max(LEVEL_PARAGRAPH, min(LEVEL_SUBITEM, row.entry.level + delta))
        if level != row.entry.level:
            self.push(SetField(row.entry.id, "level", level, label="降一層" if delta > 0 else "升一層"))

    def fill_down(self) -> None:
        """Copy the first selected row's 完成程度 to the other selected rows."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        entries = [self.table_model.rows[r].entry for r in rows if self.table_model.rows[r].entry]
        if len(entries) < 2:
            return
        value = entries[0].completion
        ops = [SetField(e.id, "completion", value) for e in entries[1:] if e.completion != value]
        if ops:
            self.push(Batch(ops, label="向下填滿完成程度"))

    def rename_current(self) -> None:
        if self.tree.hasFocus():
            self.tree.edit(self.tree.currentIndex())
        else:
            self.table.edit(self.table.currentIndex())

    def copy_cells(self) -> None:
        indexes = sorted(self.table.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, list[str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), []).append(str(self.table_model.data(index) or ""))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
        for cells in rows.values():
            writer.writerow(cells)
        QGuiApplication.clipboard().setText(buffer.getvalue().rstrip("\n"))

    def paste(self) -> None:
        """Paste from Word or Excel: lines or rows of cells become entries.

        Excel puts a cell holding line breaks in quotes; csv reads those
        back whole, so in-cell line breaks stay inside one entry.  Typed
        numbering (1. 1、 (1) （1）) is stripped and becomes the level.
        """
        if self.document is None:
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return
        row = self._current_row()
        index = self.table.currentIndex()
        if row is None or row.item is None:
            self.statusBar().showMessage("請先選擇要貼上的目或辦理情形", 4000)
            return
        records = parse_clipboard(text)
        column = index.column()
        try:
            if len(records) == 1 and len(records[0]) == 1 and "\n" not in records[0][0].strip():
                operation = self.table_model.operation_for(index, records[0][0])
                if operation is not None:
                    self.push(operation)
                return
            if column in (COL_COMPLETION, COL_REMARK):
                self._paste_down(records, column)
                return
            self._paste_entries(records, row)
        except ValueError:
            self.show_error("無法貼上", ReportError("剪貼簿中的完成程度必須是 0 到 100 的整數（可帶 %）"))

    def _paste_down(self, records, column: int) -> None:
        start = self.table.currentIndex().row()
        ops = []
        for offset, record in enumerate(records):
            r = start + offset
            if r >= len(self.table_model.rows) or self.table_model.rows[r].entry is None:
                break
            op = self.table_model.operation_for(self.table_model.index(r, column), record[0])
            if op is not None:
                ops.append(op)
        if ops:
            self.push(Batch(ops, label="貼上"))

    def _paste_entries(self, records, row) -> None:
        item = row.item
        default_level = row.entry.level if row.entry else (LEVEL_ITEM if item.numbered else LEVEL_PARAGRAPH)
        position = item.entries.index(row.entry) + 1 if row.entry else 0
        ops: list[Operation] = []
        new_entries = []
        for record in records:
            cells = [c.strip() for c in record] + ["", ""]
            if not cells[0]:
                continue
            level, entry_text = split_entry_text(cells[0], default_level)
            entry = Entry(level=level, text=entry_text, completion=parse_completion(cells[1]), remark=cells[2])
            ops.append(InsertNode(item.id, position, entry))
            new_entries.append(entry)
            position += 1
        if row.entry is not None and not row.entry.text.strip():
            ops.append(DeleteNode(row.entry.id))  # pasting into a fresh empty entry replaces it
        if new_entries and self.push(Batch(ops, label=f"貼上 {len(new_entries)} 筆辦理情形")):
            self.go_to(new_entries[0].id)

    # --- search and problems ------------------------------------------------------

    def focus_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _search_enter(self) -> None:
        query = self.search_edit.text()
        if self.hits and getattr(self, "_last_query", None) == query:
            self.next_hit(1)
            return
        self._last_query = query
        self.hits = search(self.document.report, query) if self.document else []
        self.search_model.set_items(self.hits)
        self.search_status.setText(f"找到 {len(self.hits)} 筆" if query.strip() else "")
        self.hit_index = -1
        if self.hits:
            self.next_hit(1)

    def next_hit(self, step: int) -> None:
        if not self.hits:
            if self.search_edit.text().strip():
                self._search_enter()
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        hit = self.hits[self.hit_index]
        self.search_view.selectRow(self.hit_index)
        self.search_status.setText(f"第 {self.hit_index + 1} / {len(self.hits)} 筆")
        self.go_to(hit.node_id, hit.field)

    def _hit_activated(self, index: QModelIndex) -> None:
        self.hit_index = index.row()
        hit = self.hits[index.row()]
        self.go_to(hit.node_id, hit.field)

    def _problem_activated(self, index: QModelIndex) -> None:
        problem = self.problems_model.items[index.row()]
        self.go_to(problem.node_id, problem.field)
        self.table.setFocus()

    def validate_now(self) -> None:
        problems = check(self.document.report) if self.document else []
        self.problems_model.set_items(problems)
        self.table_model.problems = {(p.node_id, p.field): p.severity for p in problems}
        errors, warnings = summary(problems)
        self.problems_dock.setWindowTitle(f"問題清單（錯誤 {errors}、警告 {warnings}）")
        self.dashboard.set_rows(progress(self.document.report, problems) if self.document else [])
        self._update_approval_marks()
        self.table.viewport().update()
        self._update_status()

    def _update_status(self) -> None:
        if self.document is None:
            self.status_counts.setText("")
            return
        report = self.document.report
        counts = report.counts()
        values = [e.completion for d in report.departments for e in d.entries() if e.completion is not None]
        average = f"{sum(values) / len(values):.0f}%" if values else "—"
        errors, warnings = summary(self.problems_model.items)
        self.status_counts.setText(
            f"目 {counts['item']}　辦理情形 {counts['entry']}　平均完成程度 {average}　錯誤 {errors}　警告 {warnings}"
        )

    # --- structure (tree) -----------------------------------------------------------

    def _selected_node(self):
        node_id = self.tree_model.node_id(self.tree.currentIndex())
        return self.document.find(node_id) if node_id and self.document else None

    def _insert_after_selection(self, kind: str, node) -> None:
        """Insert ``node`` after the selected node of its kind, or at the end of the selected parent."""
        selected = self._selected_node()
        if selected is None and self.document:
            selected = self.document.report
        parent_kind = {"department": "report", "section": "department", "item": "section"}[kind]
        anchor = selected
        while anchor is not None and anchor.kind not in (kind, parent_kind):
            anchor = self.document.parent(anchor.id) if anchor.kind != "report" else None
        if anchor is None:
            self.statusBar().showMessage("請先在部門樹選擇要加入的位置", 4000)
            return
        if anchor.kind == kind:
            parent = self.document.parent(anchor.id)
            index = self.document.index_of(anchor.id) + 1
        else:
            parent, index = anchor, len(anchor.children)
        if self.push(InsertNode(parent.id, index, node)):
            tree_index = self.tree_model.index_of(node.id)
            self.tree.setCurrentIndex(tree_index)
            self.tree.setFocus()
            self.tree.edit(tree_index)

    def add_department(self) -> None:
        self._insert_after_selection("department", Department(name="新部門"))

    def add_section(self) -> None:
        self._insert_after_selection("section", Section(title="新項"))

    def add_item(self) -> None:
        self._insert_after_selection("item", Item(title="新目"))

    # --- review, history, packages --------------------------------------------------

    def _selected_item(self):
        """The 目 in focus: the table's current row, else the tree's selection."""
        if not self.tree.hasFocus():
            row = self._current_row()
            if row is not None and row.item is not None:
                return row.item
        node = self._selected_node()
        if node is not None and node.kind == "entry":
            node = self.document.parent(node.id)
        return node if node is not None and node.kind == "item" else None

    def review(self, action: str) -> None:
        self._commit_editor()
        item = self._selected_item()
        if item is None:
            self.statusBar().showMessage("請先選擇一個目", 4000)
            return
        if action not in allowed_actions(item, self.person.role):
            verb = ACTIONS[action][3]
            who = ROLE_LABEL.get(self.person.role, self.person.role)
            self.show_error("無法執行", ReportError(f"「{item.title}」目前是{REVIEW_LABEL[item.status]}，{who}不能{verb}"))
            return
        comment = ""
        if action in ("return", "approve", "reopen", "submit"):
            comment, ok = QInputDialog.getMultiLineText(self, ACTIONS[action][3], f"{ACTIONS[action][3]}「{item.title}」的意見（可留空）：")
            if not ok:
                return
        self.push(ReviewAction(item.id, action, comment))
        self._tree_refresh_node(item.id)

    def add_comment(self) -> None:
        row = self._current_row()
        node = row.entry if row is not None and row.entry is not None and not self.tree.hasFocus() else self._selected_item()
        if node is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, "新增意見", "意見：")
        if ok and text.strip():
            self.push(AddComment(node.id, text))

    def change_identity(self) -> None:
        dialog = IdentityDialog(self.person, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.person = dialog.person()
            store_person(self.settings, self.person)
            if self.document is not None:
                self.document.person = self.person
            self.statusBar().showMessage(f"目前身分：{self.person.name}（{ROLE_LABEL[self.person.role]}）", 5000)

    def _tree_refresh_node(self, node_id: str) -> None:
        self.tree_model.refresh_node(node_id)

    def _table_current_changed(self, current, previous) -> None:
        row = self.table_model.rows[current.row()] if current.isValid() and current.row() < len(self.table_model.rows) else None
        if row is None or row.item is None:
            self.review_panel.show_node(self.document, None)
            return
        node = row.entry if row.entry is not None and current.column() >= COL_TEXT else row.item
        label = row.item_label if node is row.item else f"{row.item_label} › {row.number or '段落'}"
        self.review_panel.show_node(self.document, node.id, label)
        self.previous_year.show_item(self.document.report, row.item.id)

    def _update_approval_marks(self) -> None:
        """Entries changed since their 目 was last approved: tinted, with the difference as tooltip."""
        marks = {}
        if self.document is not None and self.current_department_id:
            department = self.document.find(self.current_department_id)
            for section in department.sections if department is not None else []:
                for item in section.items:
                    if item.status == "approved":
                        continue
                    for change in changes_since_approval(self.document, item.id) or []:
                        marks[change.entry_id] = change
        self.table_model.changed_since_approval = marks
        self.table.viewport().update()

    def _copy_previous_entry(self, entry) -> None:
        """Last year's entry (a fresh copy) goes to the end of this year's 目."""
        item_id = self.previous_year.item_id
        item = self.document.find(item_id) if self.document and item_id else None
        if item is None:
            return
        if self.push(InsertNode(item.id, len(item.entries), entry, label="複製去年的辦理情形")):
            self.go_to(entry.id)

    def import_dialog(self) -> None:
        from app.importers import SUFFIXES

        from .import_dialog import ImportPreviewDialog

        patterns = " ".join(f"*{s}" for s in SUFFIXES)
        source, _ = QFileDialog.getOpenFileName(self, "匯入報告", self._last_folder(), f"報告 ({patterns})")
        if not source:
            return
        report = ImportPreviewDialog.get_report(source, self)
        if report is None:
            return
        self._save_new_report(report, Path(source).with_suffix(".awr"))

    def rollover_dialog(self) -> None:
        if self.document is None:
            return
        from app.rollover import next_year

        keep = QMessageBox.question(
            self, "建立下一年度報告",
            f"以 {self.document.report.roc_year} 年度的部門、項、目建立 {self.document.report.roc_year + 1} 年度報告。\n"
            "要一併複製今年的辦理情形嗎？（選「否」只複製結構；去年的內容仍可在「去年對照」中查看與複製）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.No,
        )
        if keep == QMessageBox.StandardButton.Cancel:
            return
        report = next_year(self.document.report, keep_entries=keep == QMessageBox.StandardButton.Yes)
        self._save_new_report(report, self.document.path.with_name(f"{report.roc_year}年度工作總報告.awr"))

    def _save_new_report(self, report, suggested: Path) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "新報告檔存放位置", str(suggested), FILE_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".awr"):
            path += ".awr"
        try:
            ReportDocument.create(path, report, overwrite=Path(path).exists() and self._confirm_overwrite(path)).close()
        except ReportError as exc:
            self.show_error("無法建立報告檔", exc)
            return False
        return self.open_file(path)

    def issue_package_dialog(self) -> None:
        if self.document is None:
            return
        names = [d.name for d in self.document.report.departments]
        current = self._current_department_name()
        name, ok = QInputDialog.getItem(self, "分送工作包", "部門：", names, names.index(current) if current in names else 0, False)
        if not ok:
            return
        suggested = self.document.path.with_name(f"{self.document.report.roc_year}年度-{name}-工作包.awr")
        path, _ = QFileDialog.getSaveFileName(self, "工作包存放位置", str(suggested), FILE_FILTER)
        if not path:
            return
        from app.packages import issue_package

        try:
            issue_package(self.document, name, path, overwrite=Path(path).exists() and self._confirm_overwrite(path))
        except ReportError as exc:
            self.show_error("無法建立工作包", exc)
            return
        self.statusBar().showMessage(f"已建立「{name}」的工作包：{path}", 8000)

    def merge_package_dialog(self, path: str | None = None) -> bool:
        if self.document is None:
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "選擇要彙整的工作包", self._last_folder(), FILE_FILTER)
            if not path:
                return False
        from app.packages import merge_operation, plan_merge

        from .conflict_dialog import ConflictDialog

        try:
            plan = plan_merge(self.document, path)
            if plan.conflicts:
                dialog = ConflictDialog(plan.conflicts, Path(path).name, self)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                plan = plan_merge(self.document, path, resolutions=dialog.resolutions())
            if plan.is_noop:
                QMessageBox.information(self, "彙整工作包", "工作包沒有新的變更，報告維持不變。")
                return True
            self.document.repo.backup("merge")
            ok = self.push(merge_operation(plan))
        except ReportError as exc:
            self.show_error("無法彙整工作包", exc)
            return False
        if ok:
            self.refresh_all()
            self.statusBar().showMessage(f"已彙整 {Path(path).name}：{len(plan.changes)} 項變更（可復原）", 8000)
        return ok

    # --- export and print (the dialogs live in their own modules) ---------------------

    def export_dialog(self) -> None:
        if self.document is None:
            return
        from .export_dialog import ExportDialog

        ExportDialog(self.document.report, self, current_department=self._current_department_name()).exec()

    def _current_department_name(self) -> str | None:
        node = self.document.find(self.current_department_id) if self.document and self.current_department_id else None
        return node.name if node is not None else None

    def print_preview(self) -> None:
        if self.document is None:
            return
        from .printing import preview

        preview(self.document.report, self)

    def print_report(self) -> None:
        if self.document is None:
            return
        from .printing import print_dialog

        print_dialog(self.document.report, self)

    # --- view ----------------------------------------------------------------------

    def zoom(self, step: int) -> None:
        self.point_size = DEFAULT_POINT_SIZE if step == 0 else max(7, min(28, self.point_size + step))
        self._apply_zoom()
        self.settings.setValue("zoom", self.point_size)

    def _apply_zoom(self) -> None:
        font = QFont(self.font())
        font.setPointSize(self.point_size)
        self.tree.setFont(font)
        self.table.setFont(font)
        self.table_model.font = font
        if hasattr(self, "fit_timer"):
            self._fit_rows()

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("快速鍵")
        browser = QTextBrowser(dialog)
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in shortcut_list())
        browser.setHtml(f"<table cellpadding='4'>{rows}</table>")
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(560, 620)
        dialog.exec()

    def show_about(self) -> None:
        QMessageBox.about(self, f"關於{APP_NAME}", f"<b>{APP_NAME}</b><br>版本 {__version__}<br>每次修改立即存入報告檔，無須存檔。")

    def show_error(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self, title, str(error))

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_NAME)
        else:
            report = self.document.report
            state = "（唯讀）" if self.document.read_only else ""
            if self.document.package:
                department = self.document.report.departments[0].name if self.document.report.departments else ""
                state += f"〔工作包：{department}〕"
            self.setWindowTitle(f"{report.office} {report.roc_year} 年度工作總報告 — {self.document.path.name}{state} — {APP_NAME}")

    # --- window state -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        state = self.settings.value("windowState")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

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
        self.settings.sync()
        if self.document is not None:
            if self.changes_since_backup:
                self.backup_now("auto")
            self.document.unsubscribe(self._on_document_changed)
            self.document.close()
            self.document = None
        super().closeEvent(event)


class NewReportDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新增報告")
        form = QFormLayout(self)
        self.office = QLineEdit()
        self.office.setPlaceholderText("例如：嘉義市東區區公所")
        self.year = QSpinBox()
        self.year.setRange(1, 300)
        import datetime

        roc_now = datetime.date.today().year - 1911
        self.year.setValue(roc_now)
        self.year.setPrefix("民國 ")
        self.year.setSuffix(" 年度")
        form.addRow("機關名稱", self.office)
        form.addRow("報告年度", self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.office.text().strip():
            QMessageBox.warning(self, "新增報告", "請輸入機關名稱")
            return
        self.accept()

    def report(self) -> Report:
        year = self.year.value()
        return Report(office=self.office.text().strip(), roc_year=year, published_roc_year=year + 1, published_month=3,
                      departments=[Department(name="新部門")])


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from a clipboard: tab-separated (Excel, with quoted in-cell line breaks) or lines (Word)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if "\t" in text or text.startswith('"'):
        return [row for row in csv.reader(io.StringIO(text), delimiter="\t") if any(c.strip() for c in row)]
    return [[line] for line in text.split("\n") if line.strip()]


def shortcut_list() -> list[tuple[str, str]]:
    return list(SHORTCUTS) + [
        ("Enter", "結束編輯並存入"),
        ("Alt+Enter / Shift+Enter", "在儲存格內換行"),
        ("Esc", "取消編輯"),
        ("Tab / Shift+Tab、方向鍵", "在儲存格間移動"),
        ("F2 或直接打字", "編輯所選儲存格"),
    ]


def _descendant_entries(node):
    if node.kind == "entry":
        yield node
        return
    for child in node.children:
        yield from _descendant_entries(child)
