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
