"""What a clerk reads when SQLite fails: one zh-TW phrase, never SQLite's English.

SQLite's own words ("file is not a database", "database disk image is malformed",
"malformed database schema (section) - unrecognized token") go to the log with the
exception chained (``raise ReportError(...) from exc``), never into the one line a
clerk reads (app/errors.py).
"""
from __future__ import annotations

MSG_NOT_A_REPORT = "不是本程式的報告檔（.awr），或檔案已損壞"
MSG_DAMAGED = "檔案已損壞或不是報告檔，無法讀取"


def sqlite_reason(exc: BaseException) -> str:
    """Why SQLite failed, as a short zh-TW phrase (no SQLite text)."""
    text = str(exc).lower()
    if "full" in text:
        return "磁碟空間不足"
    if "i/o error" in text:
        return "磁碟寫入失敗（可能空間不足或裝置已移除）"
    if "readonly" in text or "read-only" in text:
        return "檔案或資料夾為唯讀"
    if "locked" in text or "busy" in text:
        return "報告檔正由其他程式使用中"
    if "constraint" in text:
        return "資料不符合規則"
    if "unable to open" in text:
        return "無法開啟檔案（沒有權限，或所在位置無法存取）"
    if "not a database" in text or "malformed" in text or "corrupt" in text or isinstance(exc, UnicodeDecodeError):
        return "檔案已損壞或不是報告檔"
    return "資料庫錯誤"


def damage_message(exc: BaseException) -> str:
    """The one line for a report file SQLite cannot open or read."""
    reason = sqlite_reason(exc)
    if reason in ("報告檔正由其他程式使用中", "無法開啟檔案（沒有權限，或所在位置無法存取）"):
        return f"{reason}，無法開啟報告檔"
    return MSG_DAMAGED
