"""The application icon, from resources/icons (made by tools/make_icons.py)."""
from __future__ import annotations

from PySide6.QtGui import QIcon

from app.resources import resource_path


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = resource_path("icons", f"workreport-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon
