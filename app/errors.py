"""Errors that reach a person.

Every failure a clerk can cause (a bad file, a wrong value, a full disk) is
raised as :class:`ReportError` with a one-line Traditional Chinese message that
names the file and the problem.  The CLI prints it and exits 2; the GUI shows
it in a message box.  Anything else is a bug and is logged with its traceback.
"""
from __future__ import annotations

import os


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
