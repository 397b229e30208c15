"""The window's panels and view state, as a part of :class:`~ui.main_window.MainWindow`.

The docks that are built when first shown (search, 歷程與意見, 進度, 去年對照 —
:class:`~ui.panels.docks.LazyDock`), the 尋找及取代 dialog, going to problems
(F8 / Shift+F8), zoom, and the layout remembered between starts (geometry,
docks, splitter, the panels' column widths).  A mixin: it works on the
window's own attributes (``settings``, ``document``, ``table``, ``problems`` …)
that :mod:`ui.main_window` assembles.
"""
from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont

from app import APP_NAME, __version__
from app.operations import InsertNode
from app.proofread import Finding

from .panels.docks import LazyDock

DEFAULT_POINT_SIZE = 11


class WindowPanels:
    """Panels, problems navigation, zoom and layout state of the main window."""

    def _lazy_dock(self, title: str, name: str, factory, area: Qt.DockWidgetArea) -> LazyDock:
        def built(panel, menu_name={"searchDock": "search", "reviewDock": "review",
                                    "previousYearDock": "previous"}.get(name, "")) -> None:
            self.context_menus.attach_panel(menu_name, panel)
            self._panel_built(panel)

        dock = LazyDock(title, name, factory, self, on_built=built)
        self.addDockWidget(area, dock)
        if area == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.tabifyDockWidget(self.problems_dock, dock)
        return dock

    def _panel_built(self, panel) -> None:
        view = getattr(panel, "view", None)
        if view is not None:
            self._restore_columns(view)
        self._show_current_in_panels()

    def _make_search(self):
        from .panels.search import SearchPanel

        panel = SearchPanel(lambda: self.document.report if self.document else None)
        panel.go_to_requested.connect(self.go_to)
        return panel

    def _make_review_panel(self):
        from .panels.review import ReviewPanel

        return ReviewPanel()

    def _make_dashboard(self):
        from .panels.dashboard import DashboardWidget

        panel = DashboardWidget()
        self.checks.update_dashboard(panel)
        return panel

    def _make_previous_year(self):
        from .panels.previous_year import PreviousYearWidget

        panel = PreviousYearWidget()
        panel.copy_requested.connect(self._copy_previous_entry)
        # Wide enough to read (the dock was sized for its empty placeholder).
        QTimer.singleShot(0, self._widen_previous_dock)
        return panel

    def _widen_previous_dock(self) -> None:
        if self.previous_dock.isVisible() and self.previous_dock.width() < 400:
            self.resizeDocks([self.previous_dock], [min(460, max(400, self.width() // 3))], Qt.Orientation.Horizontal)

    @property
    def find_replace(self):
        """The 尋找及取代 dialog (modeless, built when first asked for)."""
        if self._find_replace is None:
            from .dialogs.find_replace import FindReplaceDialog

            self._find_replace = FindReplaceDialog(self)
        return self._find_replace

    def _go_to_problem(self, node_id: str, field) -> None:
        self.go_to(node_id, field)
        self.table.setFocus()

    def show_problems(self) -> None:
        """檢視 → 移到問題清單: show the panel in front and put the cursor in it."""
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems.focus()

    def go_to_problem(self, step: int) -> None:
        """F8 / Shift+F8: the next / previous problem's cell (the list follows)."""
        self.table.commit_editor()  # (going on from a 校對 finding's open editor stores what was typed)
        problem = self.problems.step(step)
        if problem is None:
            self.statusBar().showMessage("沒有問題", 3000)
            return
        if isinstance(problem, Finding):
            self.proofreading.go_to(problem)  # its characters selected in the cell's editor
            return
        self._go_to_problem(problem.node_id, problem.field)

    def _copy_previous_entry(self, entry) -> None:
        """Last year's entry (a fresh copy) goes to the end of this year's 目."""
        item_id = self.previous_year.item_id
        item = self.document.find(item_id) if self.document and item_id else None
        if item is not None and self.push(InsertNode(item.id, len(item.entries), entry, label="複製去年的辦理情形"),
                                          source=self.previous_year):
            self.go_to(entry.id)

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
        self.table.fit_rows()

    def show_shortcuts(self) -> None:
        from .dialogs.shortcuts import show_shortcuts

        show_shortcuts(self)

    def show_about(self) -> None:
        QtWidgets.QMessageBox.about(self, f"關於{APP_NAME}", f"<b>{APP_NAME}</b><br>版本 {__version__}<br>每次修改立即存入報告檔，無須存檔。")

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
        self._restore_columns(self.problems.view)

    def _panel_views(self) -> list:
        """The panels' list views whose column widths are remembered (the built ones)."""
        views = [self.problems.view]
        for dock in (self.search_dock, self.review_dock, self.previous_dock):
            if dock.built and getattr(dock.panel, "view", None) is not None:
                views.append(dock.panel.view)
        return views

    def _restore_columns(self, view) -> None:
        state = self.settings.value(f"columns/{view.objectName()}")
        if state is not None:
            view.horizontalHeader().restoreState(state)

    # The lazily built panels, built when asked for.
    search = property(lambda self: self.search_dock.panel)
    review_panel = property(lambda self: self.review_dock.panel)
    dashboard = property(lambda self: self.dashboard_dock.panel)
    previous_year = property(lambda self: self.previous_dock.panel)
