"""Pictures of 校對 in the window (issue 18): the slips underlined, the right-click menu on one.

    python tools/screenshot_proofread.py [docs/images]

Writes proofread-menu.png: the bundled sample after 工具 → 校對 (F7) — the
問題清單 showing the 校對 findings, the table's suspicious characters
underlined, the right-click menu open on the first finding that has a
suggestion (「改為「…」」, 忽略, 加入報告詞庫); and proofread-editor.png: F8
from there, the next finding's cell open with its characters selected.  Runs offscreen like
tools/screenshot.py; the popup menu is its own window, so it is painted onto
the window's picture where it opened (as tools/screenshot_moves.py does).
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
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QContextMenuEvent, QPainter
    from PySide6.QtWidgets import QApplication

    from app.document import Person
    from ui.application import make_application
    from ui.dialogs.identity import store_person
    from ui.main_window import MainWindow
    from ui.settings import settings

    app = make_application()
    store_person(settings(), Person("李課長", "chief"))
    window = MainWindow()
    window.resize(1400, 860)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    settle()
    window.act_proofread.trigger()
    settle()
    window.resizeDocks([window.problems_dock], [230], Qt.Orientation.Vertical)  # a few rows of findings
    settle()
    findings = [f for f in window.problems.findings if f.suggestion and f.field in ("text", "title")]
    if not findings:
        print("the sample has no finding with a suggestion", file=sys.stderr)
        return 1
    finding = findings[0]
    window.go_to(finding.node_id, finding.field)
    window.problems.view.selectRow(window.problems.rows.index(finding))
    settle()
    table = window.table
    index = table.currentIndex()
    table.scrollTo(index, table.ScrollHint.PositionAtTop)  # room below it for the menu
    settle()
    rect = table.visualRect(index)
    delegate = table.itemDelegate()
    on = [QPoint(x, y) for y in range(rect.top() + 2, rect.bottom(), 3) for x in range(rect.left() + 2, rect.right(), 3)
          if delegate.finding_at(table, index, QPoint(x, y)) == finding]
    # the right end of the characters' first line: the menu opens there and leaves them in view
    pos = max((p for p in on if p.y() == on[0].y()), key=QPoint.x) if on else rect.center()
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                               table.viewport().mapToGlobal(pos)))
    settle()
    menu = window.context_menus.menu
    picture = window.grab()
    painter = QPainter(picture)
    # (drawn where it opened: the offscreen screen is smaller than the window, so Qt moved the popup)
    painter.drawPixmap(table.viewport().mapTo(window, pos + QPoint(2, 2)), menu.grab())
    painter.end()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "proofread-menu.png"
    picture.save(str(target))
    menu.close()
    print(target, f"「{finding.text}」→「{finding.suggestion}」", finding.where)

    # 2. F8 from there: the next finding's cell, its editor open with the characters selected.
    settle()
    window.table.setFocus()
    window.act_next_problem.trigger()
    settle()
    current = window.problems.current()
    target = folder / "proofread-editor.png"
    window.grab().save(str(target))
    print(target, f"「{current.text}」", current.where, type(QApplication.focusWidget()).__name__)
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
