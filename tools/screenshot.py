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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-shot-")


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "main-window.png"
    from PySide6.QtWidgets import QApplication

    from ui.application import make_application
    from ui.main_window import MainWindow

    app = make_application()
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
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
