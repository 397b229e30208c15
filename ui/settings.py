"""Where the window keeps its settings: an .ini in the user's data folder (portable, test-isolated)."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from app.paths import user_data_dir


def settings() -> QSettings:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
