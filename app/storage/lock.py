"""One writer per report file: a lock file beside the report.

``報告.awr.lock`` holds who has the report open (the person as they named
themselves in the program — name and role, app/person.py — with the login
user, computer, process and since when) and is held with an OS lock (``fcntl.flock`` / ``msvcrt.locking``)
for as long as the report is open for editing.  A second program — on this
PC or on another PC opening the same file on a shared drive — finds the OS
lock taken and gets :class:`ReportLocked` naming the holder; it can then open
the report read-only.  A lock file left behind by a crash is not held by any
process, so the next program simply takes it over (no "stale lock" prompts).

How it fails: on a network drive whose server does not honour byte-range
locks the OS lock may succeed twice; the owner line still tells the second
program that someone else had the file, and SQLite's own locking still keeps
every transaction whole.  ``flock`` (not POSIX ``lockf``) because its lock
belongs to the open file, not the process: reading the owner line never drops
our own lock, and two opens in one process conflict as two programs would.
"""
from __future__ import annotations

import datetime
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from ..errors import ReportError, os_reason
from ..model import ROLE_LABEL


class ReportLocked(ReportError):
    """The report is open for editing in another program."""

    def __init__(self, path: Path, owner: dict | None):
        self.owner = owner or {}
        who = describe_owner(self.owner)
        super().__init__(f"此報告正由{who}編輯中，只能以唯讀方式開啟", path)


def describe_owner(owner: dict) -> str:
    """「王小明（承辦人，電腦 PC-07），自 2026-12-01 09:30 起」: the person as the program knows
    them (name and role, as they set them), else the login name of an older program's lock."""
    if not owner:
        return "另一個程式"
    name = str(owner.get("name") or owner.get("user") or "")
    details = [ROLE_LABEL[owner["role"]]] if owner.get("name") and owner.get("role") in ROLE_LABEL else []
    if owner.get("host"):
        details.append(f"電腦 {owner['host']}")
    parts = [name, f"（{'，'.join(details)}）" if details else ""]
    since = owner.get("since")
    if since:
        parts.append(f"，自 {since[:16].replace('T', ' ')} 起")
    return "".join(parts) or "另一個程式"


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _try_os_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _os_unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def read_owner(path: Path) -> dict | None:
    try:
        text = lock_path(path).read_text(encoding="utf-8")
        # The first byte is kept for the Windows byte-range lock; the owner follows.
        return json.loads(text.strip() or "{}")
    except (OSError, ValueError):
        return None


class ReportLock:
    """Held while a report is open for editing; release() on close."""

    def __init__(self, path: Path, holder: tuple[str, str] | None = None):
        self.path = path
        self.holder = holder  # (name, role) of the person opening the report
        self.fd: int | None = None
        self.since = ""

    def acquire(self) -> "ReportLock":
        target = lock_path(self.path)
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            # A read-only folder: we cannot lock, and we could not write either.
            raise ReportError(f"無法在報告所在的資料夾建立鎖定檔（{os_reason(exc)}），請以唯讀方式開啟或把檔案複製到可寫入的位置", self.path) from exc
        if not _try_os_lock(fd):
            os.close(fd)
            raise ReportLocked(self.path, read_owner(self.path))
        self.fd = fd
        self.since = datetime.datetime.now().isoformat(timespec="seconds")
        self._write_owner()
        return self

    def set_holder(self, holder: tuple[str, str]) -> None:
        """The person changed (身分 set after the report was opened): the owner line follows."""
        self.holder = holder
        if self.fd is not None:
            self._write_owner()

    def _write_owner(self) -> None:
        assert self.fd is not None
        name, role = self.holder or ("", "")
        owner = {
            "name": name,
            "role": role,
            "user": _user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": self.since,
        }
        data = (" " + json.dumps(owner, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            os.ftruncate(self.fd, 0)
            os.lseek(self.fd, 0, os.SEEK_SET)
            os.write(self.fd, data)
        except OSError:
            pass  # the OS lock is what matters; the owner line is a courtesy

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        _os_unlock(fd)
        os.close(fd)
        try:
            lock_path(self.path).unlink()
        except OSError:
            pass


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some service accounts
        return ""
