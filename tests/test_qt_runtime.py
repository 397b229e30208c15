"""The Qt binding in use does not corrupt Python's reference counts.

PySide6 6.12.0 drops a reference to ``None`` on every void call (QPainter.drawLine,
save, restore …); on Python 3.11 the interpreter aborts after a few thousand
("none_dealloc"), i.e. after painting a few pages or scrolling the table a while.
pyproject.toml excludes that release; this test catches any release like it.
"""
from __future__ import annotations

import sys

import gui_helpers  # noqa: F401  (offscreen)
from PySide6.QtCore import QLineF
from PySide6.QtGui import QImage, QPainter


def test_void_qt_calls_keep_none_alive(qapp):
    image = QImage(50, 50, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.drawLine(QLineF(0, 0, 10, 10))
        painter.save()
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert before - after < 50  # a broken binding loses 1,500 here
