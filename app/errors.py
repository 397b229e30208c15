"""Errors that reach a person.

Every failure a clerk can cause (a bad file, a wrong value, a full disk) is
raised as :class:`ReportError` with a one-line Traditional Chinese message that
names the file and the problem.  The CLI prints it and exits 2; the GUI shows
it in a message box.  Anything else is a bug and is logged with its traceback.
"""
from __future__ import annotations

import os
import re


class ReportError(Exception):
    """A problem with the user's input or files, explained in zh-TW."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None):
        self.path = os.fspath(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}：{message}" if self.path else message)

    def __str__(self) -> str:  # the one line shown to the user
        return self.args[0]


class NotAReportError(ReportError):
    """The file is not a report file of this program (or is damaged)."""


class NewerVersionError(ReportError):
    """The file was written by a newer version of the program."""


# ANSI/VT escape sequences (7-bit ESC … and 8-bit CSI), then any other control,
# format or bidi character: none of them may reach a terminal or a message box.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(text: object, limit: int = 40, *, quote: bool = True) -> str:
    """File-supplied text quoted for a message: 「…」, one line, no control characters
    or escape sequences, lone surrogates and U+FFFD as ``?``, at most ``limit`` characters."""
    text = _ESCAPES.sub("", str(text))
    text = re.sub(r"[\t\n\r\x0b\x0c\u2028\u2029]+", " ", text)
    text = _INVISIBLE.sub("", text)
    text = _SURROGATE.sub("?", text).replace("\ufffd", "?").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"「{text}」" if quote else text


# errno → the reason a clerk reads (OSError.strerror is the C library's English on Linux).
_OS_REASONS = {
    "ENOENT": "找不到檔案或資料夾",
    "EACCES": "沒有存取權限",
    "EPERM": "沒有存取權限",
    "ENOSPC": "磁碟空間不足",
    "EDQUOT": "超過磁碟配額",
    "EFBIG": "檔案太大",
    "EROFS": "磁碟是唯讀的",
    "EISDIR": "這是資料夾，不是檔案",
    "ENOTDIR": "路徑中有一部分不是資料夾",
    "EEXIST": "檔案已存在",
    "EBUSY": "檔案正由其他程式使用中",
    "ETXTBSY": "檔案正由其他程式使用中",
    "EMFILE": "開啟的檔案太多",
    "ENFILE": "開啟的檔案太多",
    "ENAMETOOLONG": "檔名或路徑太長",
    "EIO": "磁碟讀寫錯誤",
    "EXDEV": "不能跨磁碟移動檔案",
    "ELOOP": "路徑中的捷徑（符號連結）太多層",
    "EINVAL": "檔名或路徑不正確",
    "ENXIO": "裝置不存在",
    "ENODEV": "裝置不存在",
    "ESTALE": "網路磁碟上的檔案已失效",
    "ETIMEDOUT": "連線逾時",
    "EAGAIN": "資源暫時無法使用",
}


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in zh-TW (by its errno; Windows' own messages are already
    localised and kept; anything unknown names the error number)."""
    import errno as errno_names

    name = errno_names.errorcode.get(exc.errno or -1, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if os.name == "nt" and exc.strerror:
        return exc.strerror
    return f"系統錯誤 {exc.errno}" if exc.errno else "系統錯誤"
