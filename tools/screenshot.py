"""Take the README's screenshot of the main window on the bundled sample.

    python tools/screenshot.py [docs/images/main-window.png]

Runs offscreen (no display needed); Chinese renders with any installed CJK
font (Debian: fonts-noto-cjk).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-shot-")


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "main-window.png"
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
    for _ in range(5):
        app.processEvents()
    report = window.document.report
    item = report.departments[2].sections[1].items[1]  # 參、兵役部門 › 二、徵集業務 › (二) 徵兵檢查作業
    window.tree.setCurrentIndex(window.tree_model.index_of(item.id))
    window.tree.expand(window.tree_model.index_of(report.departments[2].sections[1].id))
    for _ in range(5):
        app.processEvents()
    window.table.setFocus()
    target.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(target))
    print(target)
    # Second picture: review in progress — the 進度 panel and a 目's history.
    from app.review import ReviewAction

    department = report.departments[0]
    for n, item in enumerate(i for s in department.sections for i in s.items):
        if n % 3 == 0:
            window.push(ReviewAction(item.id, "approve", "內容正確"))
        elif n % 3 == 1:
            window.push(ReviewAction(item.id, "submit"))
    for department in report.departments[1:3]:
        for item in [i for s in department.sections for i in s.items][:5]:
            window.push(ReviewAction(item.id, "submit"))
    window.validate_now()
    window.dashboard_dock.raise_()
    window.resizeDocks([window.dashboard_dock], [280], Qt.Orientation.Vertical)
    first = department = report.departments[0].sections[0].items[0]
    window.go_to(first.id)
    for _ in range(5):
        app.processEvents()
    review_target = target.with_name("review-dashboard.png")
    window.grab().save(str(review_target))
    print(review_target)
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
