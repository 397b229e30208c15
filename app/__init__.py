"""年度工作總報告編輯器 — the engine.

Everything under ``app`` is usable without Qt: the GUI (``ui``) and the command
line (``app.cli``) are two clients of the same engine.  A test enforces that no
module here imports PySide6.
"""
from __future__ import annotations

# The one place the version is written (pyproject reads it from here).
__version__ = "0.1.0"

APP_NAME = "年度工作總報告編輯器"

#: The command line's sub-commands (app/cli.py).  Here, not in app.cli, so that the
#: launcher can tell a sub-command from a report file without importing the engine
#: (sqlite_utils and what it pulls in) before the GUI's start-up guards run.
COMMANDS = ("sample", "export", "import", "check", "rollover", "package", "templates", "new", "city")
