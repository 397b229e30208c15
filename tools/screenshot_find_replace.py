"""docs/images/find-replace.png: the 尋找及取代 dialog open over the window, hits counted.

    python tools/screenshot_find_replace.py [docs/images/find-replace.png]

Offscreen; a separate script from tools/screenshot.py so the two can be merged
into one set later.  The dialog is painted over the window's picture where it
stands on screen.
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
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "find-replace.png"
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from ui.application import make_application
    from ui.main_window import MainWindow

    app = make_application()
    window = MainWindow()
    window.resize(1400, 860)
    window.show()
    for _ in range(5):
        app.processEvents()
    window.act_find_replace.trigger()
    dialog = window.find_replace
    dialog.find_edit.setText("辦理")
    dialog.replace_edit.setText("推動")
    dialog.find_next()
    dialog.find_next()
    dialog.move(window.geometry().center() - QPoint(dialog.width() // 2, 0))
    for _ in range(10):
        app.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(dialog.geometry().topLeft() - window.geometry().topLeft(), dialog.grab())
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(str(target))
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
