"""The menu bar, by name: which action of ui/actions.py goes in which menu, in which order.

``None`` is a separator, ``"recent"`` the 最近開啟的檔案 submenu and
``"dock:<name>"`` the show/hide action of a dock (``window.<name>_dock``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow

MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("檔案(&F)", ("new", "open", "recent", "save_copy", "sample", None, "report_details", None, "import", "rollover", "restore", None,
                "export", "preview", "print", None, "quit")),
    ("編輯(&E)", ("undo", "redo", None, "cut", "copy", "paste", "fill_down", "copy_previous", None, "insert_after", "insert_before",
                "delete_row", "delete", None, "move_up", "move_down", "indent", "outdent", None,
                "find", "find_next", "find_prev", "find_replace")),
    ("結構(&S)", ("add_department", "add_section", "add_item", "rename")),
    ("審核(&R)", ("submit", "return", "approve", "reopen", None, "comment", None, "issue_package", "merge_package",
                None, "identity")),
    ("檢視(&V)", ("zoom_in", "zoom_out", "zoom_reset", None, "dock:problems", "dock:search", "dock:review",
                "dock:dashboard", "dock:previous", "go_to_selected", None, "focus_tree", "focus_table",
                "show_problems", "next_problem", "prev_problem")),
    ("工具(&T)", ("proofread", None, "proofread_fix", "proofread_ignore", "proofread_add_word",
                "proofread_add_user_word", None,
                "proofread_unignore", None, "template_editor")),
    ("說明(&H)", ("shortcuts", "about")),
)


def build_menus(window: "MainWindow") -> None:
    bar = window.menuBar()
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name == "recent":
                window.recent_menu = menu.addMenu("最近開啟的檔案(&R)")
                window.recent_menu.aboutToShow.connect(window.files.fill_recent_menu)
            elif name.startswith("dock:"):
                menu.addAction(getattr(window, f"{name[5:]}_dock").toggleViewAction())
            else:
                menu.addAction(getattr(window, f"act_{name}"))
