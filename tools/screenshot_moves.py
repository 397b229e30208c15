"""Pictures of moving things: a right-click menu on the table, the tree right after a drop.

    python tools/screenshot_moves.py [docs/images]

Writes context-menu.png (the table's right-click menu open on an entry) and
drag-move.png (a 目 dragged onto another 項 in the tree: offscreen there is no
drag loop to photograph, so the picture is taken right after the drop, the
moved 目 selected and the status bar saying what happened).  Runs offscreen
like tools/screenshot.py; the popup menu is its own window, so it is painted
onto the window's picture where it opened.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-shot-")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QPainter
    from PySide6.QtWidgets import QApplication

    from app.document import Person
    from ui.application import make_application
    from ui.dialogs.identity import store_person
    from ui.main_window import MainWindow
    from ui.settings import settings
    from ui.table.model import COL_TEXT

    app = make_application()
    store_person(settings(), Person("王承辦", "clerk"))
    window = MainWindow()
    window.resize(1400, 860)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    settle()
    report = window.document.report
    folder.mkdir(parents=True, exist_ok=True)

    # 1. The table's right-click menu on an entry.
    item = report.departments[0].sections[0].items[0]
    window.go_to(item.entries[0].id)
    window.table.setFocus()
    settle()
    table = window.table
    index = window.table_model.index(window.table_model.row_of(item.entries[1].id), COL_TEXT)
    pos = table.visualRect(index).center()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                               table.viewport().mapToGlobal(pos)))
    settle()
    menu = window.context_menus.menu
    picture = window.grab()
    painter = QPainter(picture)
    # (drawn where it opened: the offscreen screen is smaller than the window, so Qt moved the popup)
    painter.drawPixmap(table.viewport().mapTo(window, pos), menu.grab())
    painter.end()
    target = folder / "context-menu.png"
    picture.save(str(target))
    menu.close()
    print(target)

    # 2. A 目 dragged onto another 項 in the tree (the view's drop path), right after the drop.
    department = report.departments[2]
    source, destination = department.sections[0], department.sections[1]
    tree = window.tree
    for section in (source, destination):
        tree.expand(window.tree_model.index_of(section.id))
    moved = source.items[0]
    settle()
    data = window.tree_model.mimeData([window.tree_model.index_of(moved.id)])
    tree.scrollTo(window.tree_model.index_of(destination.id))
    settle()
    drop_at = QPointF(tree.visualRect(window.tree_model.index_of(destination.id)).center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(drop_at.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDragMoveEvent(drop_at.toPoint(), Qt.DropAction.MoveAction, data, buttons, keys),
                  QDropEvent(drop_at, Qt.DropAction.MoveAction, data, buttons, keys)):
        QApplication.sendEvent(tree.viewport(), event)
    settle()
    tree.setFocus()
    settle()
    target = folder / "drag-move.png"
    window.grab().save(str(target))
    print(target, "moved into", destination.title, destination.items[-1] is moved)
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
