"""Rotating backups of report files, in the user's data folder.

A backup is made with SQLite's online backup API (a consistent snapshot even
while the report is open), checked with ``PRAGMA integrity_check`` and only
then given its name; the oldest beyond :data:`KEEP` are removed.  Backups of
one report live in ``<data>/backups/<stem>-<hash of the report's path>/``, so
they are found by path even when the report itself is too damaged to read.

Made before risky actions (merge, import into, migration of an older file),
and by the GUI on a schedule while editing.
"""
from __future__ import annotations

import datetime
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportError, os_reason
from ..fileio import atomic_output
from .messages import sqlite_reason
from ..paths import user_data_dir

KEEP = 20
REASONS = {
    "auto": "自動備份",
    "open": "開啟時",
    "migrate": "升級檔案格式前",
    "merge": "彙整工作包前",
    "import": "匯入前",
    "restore": "還原前",
    "manual": "手動備份",
}


@dataclass(frozen=True)
class Backup:
    path: Path
    made: datetime.datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        return f"{self.made:%Y-%m-%d %H:%M:%S}　{REASONS.get(self.reason, self.reason)}　{self.size / 1024:.0f} KB"


def backup_folder(report_path: str | os.PathLike[str]) -> Path:
    resolved = str(Path(report_path).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:10]
    stem = re.sub(r"[^\w\-]+", "_", Path(report_path).stem)[:40]
    return user_data_dir() / "backups" / f"{stem}-{digest}"


def make_backup(conn: sqlite3.Connection, report_path: str | os.PathLike[str], reason: str = "auto") -> Backup:
    """Snapshot the open connection's database; raises ReportError if it cannot."""
    folder = backup_folder(report_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"無法建立備份資料夾（{os_reason(exc)}）", folder) from exc
    made = datetime.datetime.now()
    name = f"{made:%Y%m%d-%H%M%S-%f}-{reason}.awr"
    target = folder / name
    with atomic_output(target) as tmp:
        destination = sqlite3.connect(str(tmp))
        try:
            conn.backup(destination)
            check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.Error as exc:
            raise ReportError(f"備份失敗：{sqlite_reason(exc)}", report_path) from exc
        finally:
            destination.close()
        if check != "ok":
            raise ReportError("備份檢查未通過（寫入的內容不完整），未保留這份備份", report_path)
    rotate(folder)
    return Backup(target, made, reason, target.stat().st_size)


def list_backups(report_path: str | os.PathLike[str]) -> list[Backup]:
    """Newest first."""
    folder = backup_folder(report_path)
    backups: list[Backup] = []
    if not folder.is_dir():
        return backups
    for path in folder.glob("*.awr"):
        match = re.match(r"(\d{8}-\d{6})-(\d+)-(\w+)\.awr$", path.name)
        if not match:
            continue
        made = datetime.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(microsecond=int(match.group(2)))
        try:
            size = path.stat().st_size
        except OSError:
            continue
        backups.append(Backup(path, made, match.group(3), size))
    backups.sort(key=lambda b: b.made, reverse=True)
    return backups


def rotate(folder: Path, keep: int = KEEP) -> None:
    backups = sorted(folder.glob("*.awr"), key=lambda p: p.name, reverse=True)
    for old in backups[keep:]:
        try:
            old.unlink()
        except OSError:
            pass


def restore_backup(backup: Backup, report_path: str | os.PathLike[str]) -> None:
    """Put a backup in place of the report (the caller has closed the report).

    The current file, if readable as SQLite, is itself backed up first, so a
    restore can be undone by restoring that one.
    """
    report_path = Path(report_path)
    if report_path.exists():
        try:
            current = sqlite3.connect(str(report_path))  # rolls back a crashed writer's journal
            try:
                make_backup(current, report_path, "restore")
            finally:
                current.close()
        except (sqlite3.Error, ReportError):
            pass  # a damaged current file cannot be backed up; the restore goes on
    check = sqlite3.connect(f"file:{backup.path}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ReportError("這份備份已損壞，無法還原", backup.path)
    except sqlite3.Error as exc:
        raise ReportError(f"這份備份無法讀取：{sqlite_reason(exc)}", backup.path) from exc
    finally:
        check.close()
    with atomic_output(report_path) as tmp:
        tmp.write_bytes(backup.path.read_bytes())
