"""Undo commands: the GUI's half of the one path for every change.

UI action → :class:`OperationCommand` pushed on the ``QUndoStack`` → ``redo``
runs ``document.apply(operation)`` → one SQLite transaction.  ``push`` calls
``redo`` at once, so nothing is applied before pushing.  A write that fails
(disk full, read-only file) marks the command obsolete, so the stack drops it,
and the error is shown; the document has already rolled itself back.

``source`` (the part of the window that asked: the table, the tree, a panel)
goes with the first ``redo`` into the change record, so that part may skip
what it already shows; undo and every later redo come from the undo stack,
not from that part, and carry no source — every part then follows.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from app.document import ReportDocument
from app.errors import ReportError
from app.operations import Operation

ErrorHandler = Callable[[ReportError], None]
ReplayHandler = Callable[[Operation], None]


class OperationCommand(QUndoCommand):
    """``on_replayed`` is told of every undo and every redo after the first,
    so the window can go to where the change happened."""

    def __init__(self, document: ReportDocument, operation: Operation, on_error: ErrorHandler,
                 on_replayed: ReplayHandler | None = None, source: Any = None):
        super().__init__(operation.label)
        self.document = document
        self.operation = operation
        self.on_error = on_error
        self.on_replayed = on_replayed
        self.source = source
        self.failed = False
        self.runs = 0
        self.withdrawing = False

    def redo(self) -> None:
        try:
            self.document.apply(self.operation, source=self.source if self.runs == 0 else None)
        except ReportError as exc:
            self.failed = True
            self.setObsolete(True)
            self.on_error(exc)
            return
        # The label may only be known once applied (「刪除目」).
        self.setText(self.operation.label)
        self.runs += 1
        if self.runs > 1 and self.on_replayed:
            self.on_replayed(self.operation)

    def undo(self) -> None:
        try:
            self.document.revert(self.operation)
        except ReportError as exc:
            self.setObsolete(True)
            self.on_error(exc)
            return
        if self.withdrawing:
            # Taken back as if never done (Esc after Ctrl+Enter): obsolete after undo, the
            # stack deletes it — no 取消復原 step is left behind.
            self.setObsolete(True)
            return
        if self.on_replayed:
            self.on_replayed(self.operation)

    def withdraw(self, stack) -> bool:
        """Undo this command, the top of ``stack``, and drop it from the stack; False if it is not the top."""
        if stack.index() == 0 or stack.command(stack.index() - 1) is not self:
            return False
        self.withdrawing = True
        stack.undo()
        return True
