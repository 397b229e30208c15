"""Per-user folders: where the first-start copy of the sample and the logs live."""
from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

APP_DIR_NAME = "workreport"


def user_data_dir() -> Path:
    """%APPDATA%\\workreport on Windows, $XDG_DATA_HOME/workreport elsewhere.

    ``WORKREPORT_DATA_DIR`` overrides it (tests, portable installs).
    """
    override = os.environ.get("WORKREPORT_DATA_DIR")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / APP_DIR_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_DIR_NAME
    return base


def log_dir() -> Path:
    return user_data_dir() / "logs"


def write_crash_log(exc_info: ExcInfo | None = None) -> Path | None:
    """Append the current exception's traceback to the log; the path, or None if it cannot."""
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "workreport.log"
        text = "".join(traceback.format_exception(*(exc_info or sys.exc_info())))
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        return path
    except OSError:
        return None
