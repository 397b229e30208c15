"""The program's own cursor moves select just their cell or node (table and tree views).

Qt's ``setCurrentIndex`` asks ``QGuiApplication.keyboardModifiers()``, which still says
Ctrl right after a Ctrl+key shortcut (Ctrl+V, Ctrl+3 …) until the next key event: the
program's jump (going to a node, a right-click on an unselected cell, after a command)
then *toggled* a cell into the selection and the next Del deleted two entries.  Qt's own
calls (a Shift+click, Shift+arrow) do not pass through the Python ``setCurrentIndex`` —
the slot is not virtual — so they keep extending the selection as the user means.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel


class ProgramMovesSelectOne:
    """Mixin for a QAbstractItemView subclass (listed before the Qt class)."""

    #: what a program move selects (the tree adds ``Rows``)
    program_move_selection = QItemSelectionModel.SelectionFlag.ClearAndSelect
    _program_move = False

    def setCurrentIndex(self, index) -> None:  # noqa: N802 (Qt's name)
        self._program_move = True
        try:
            super().setCurrentIndex(index)  # type: ignore[misc]
        finally:
            self._program_move = False

    def selectionCommand(self, index, event=None):  # noqa: N802 (Qt's name)
        if self._program_move:
            return self.program_move_selection
        return super().selectionCommand(index, event)  # type: ignore[misc]
