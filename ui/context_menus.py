"""Right-click menus of the table, the tree and the panels, by name — the menus' own actions.

Like ui/menus.py, :data:`CONTEXT_MENUS` only names actions of the one registry
(ui/actions.py): a right-click menu shows the very ``QAction`` objects of the
menu bar (``window.act_<name>``), so its items do what the menu items do,
with the same keys shown and enabled exactly when those are.  ``None`` is a
separator.  A table cell whose text holds 校對 findings gets the finding
commands first, named for the finding under the mouse (「改為「臺灣」」,
ui/proofreading.py); their menu-bar texts come back when the menu closes.

Opening a menu first puts the cursor (and the focus) where the click was, so
actions that follow the focus (刪除／清除, 上移, 剪下, 貼上) act on the
clicked table cell or tree node.  The menu is shown with ``popup`` (it does
not block); :attr:`ContextMenus.menu` is the one open last (tests trigger
its items as a click would).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu

if TYPE_CHECKING:
    from .main_window import MainWindow

CONTEXT_MENUS: dict[str, tuple[str | None, ...]] = {
    "table": ("cut", "copy", "paste", None, "insert_after", "insert_before", "delete_row", "delete", None,
              "move_up", "move_down", "indent", "outdent", "fill_down", None, "comment", "submit", None, "find"),
    "tree": ("add_department", "add_section", "add_item", "rename", "delete", None, "cut", "paste", None,
             "move_up", "move_down", None, "submit", "return", "approve", "reopen", "comment"),
    "problems": ("go_to_selected", "copy", None, "proofread_fix", "proofread_ignore", "proofread_unignore"),
    "search": ("go_to_selected", "copy", None, "find_next", "find_prev", "find"),
    "review": ("comment", "copy", None, "submit", "return", "approve", "reopen"),
    "previous": ("copy_previous", "copy"),
}


TREE_PASTE = "貼上（移到此處）(&V)"


class ContextMenus:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.menu: QMenu | None = None
        self.view: QAbstractItemView | None = None  # the view whose menu was opened last
        self.attach("table", window.table)
        self.attach("tree", window.tree)
        self.attach("problems", window.problems.view)

    def attach(self, name: str, view: QAbstractItemView) -> None:
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, name=name, view=view: self.open(name, view, pos))

    def attach_panel(self, dock_name: str, panel) -> None:
        """A lazily built panel (ui/panels/docks.py) gets its menu when built."""
        if dock_name in CONTEXT_MENUS and hasattr(panel, "view"):
            self.attach(dock_name, panel.view)

    def actions_of(self, name: str) -> list:
        return [None if n is None else getattr(self.window, f"act_{n}") for n in CONTEXT_MENUS[name]]

    def open(self, name: str, view: QAbstractItemView, pos: QPoint) -> QMenu:
        """Right-click at ``pos`` (viewport coordinates): cursor and focus there, then the menu."""
        index = view.indexAt(pos)
        selection = view.selectionModel()
        if index.isValid() and not selection.isSelected(index):
            view.setCurrentIndex(index)
        elif index.isValid() and view.currentIndex() != index:
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        view.setFocus(Qt.FocusReason.PopupFocusReason)
        self.view = view
        if self.menu is not None:
            self.menu.close()
            self.menu.deleteLater()
        menu = self.menu = QMenu(view)
        menu.setObjectName(f"{name}ContextMenu")
        if name == "table" and index.isValid():
            proofreading = self.window.proofreading
            finding = view.itemDelegate().finding_at(view, index, pos)
            names = proofreading.prepare_menu(index, finding)
            for action_name in names:
                menu.addAction(getattr(self.window, f"act_{action_name}"))
            if names:
                menu.addSeparator()
                menu.aboutToHide.connect(proofreading.reset_texts)
        if name == "tree":
            # In the tree Ctrl+V moves what was cut (ui/tree/moves.py); 「貼上為辦理情形」 would say
            # something the tree does not do — on the tree's menu it is 貼上 (移到此處).
            paste = self.window.act_paste
            label = paste.text()
            paste.setText(TREE_PASTE)
            menu.aboutToHide.connect(lambda: paste.setText(label))
        for action in self.actions_of(name):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(view.viewport().mapToGlobal(pos))
        return menu

    # --- the panels' own commands (registry actions 前往 / 複製到今年) --------------------

    def panel_view(self) -> QAbstractItemView | None:
        """The panel list the command is for: the focused one, else the one right-clicked last."""
        focus = QApplication.focusWidget()
        panels = [self.window.problems.view] + [
            getattr(dock.panel, "view") for dock in (self.window.search_dock, self.window.review_dock,
                                                     self.window.previous_dock) if dock.built]
        if focus in panels:
            return focus  # type: ignore[return-value]
        return self.view if self.view in panels else None

    def go_to_selected(self) -> None:
        """前往: what Enter or a double click on the row does (問題清單, 搜尋結果)."""
        view = self.panel_view()
        index = view.currentIndex() if view is not None else None
        if index is None or not index.isValid():
            self.window.statusBar().showMessage("請先在問題清單或搜尋結果選擇一列", 4000)
            return
        view.activated.emit(index)
