"""The 問題清單 panel: the report's problems (errors, warnings); activating one goes to its cell."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.validate import SEVERITY_LABEL, Problem, summary

from ..list_models import RowsModel, list_view


class ProblemsModel(RowsModel):
    headers = ("類別", "位置", "問題")

    def cell(self, problem: Problem, column: int) -> str:
        return (SEVERITY_LABEL[problem.severity], problem.where, problem.message)[column]

    def extra(self, problem: Problem, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor("#b00020") if problem.is_error else QColor("#9a6700"))
        return None


class ProblemsPanel(QWidget):
    go_to_requested = Signal(str, object)  # node id, field (or None)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ProblemsModel(parent=self)
        self.view = list_view("problemsView", self.model, (60, 420), self.activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def sizeHint(self) -> QSize:
        # A slim strip under the table (the dock takes its first height from here).
        return QSize(640, 130)

    @property
    def problems(self) -> list[Problem]:
        return self.model.items

    def set_problems(self, problems: list[Problem]) -> tuple[int, int]:
        """Show ``problems``; returns (errors, warnings)."""
        self.model.set_items(problems)
        return summary(problems)

    def focus(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self.model.items:
            self.view.selectRow(0)

    def step(self, step: int) -> Problem | None:
        """Move the list's selection to the next (``step`` 1) or previous (-1) problem, wrapping."""
        problems = self.model.items
        if not problems:
            return None
        current = self.view.currentIndex()
        row = current.row() if current.isValid() else (-1 if step > 0 else len(problems))
        row = (row + step) % len(problems)
        self.view.selectRow(row)
        return problems[row]

    def activate(self, index: QModelIndex) -> None:
        problem = self.model.items[index.row()]
        self.go_to_requested.emit(problem.node_id, problem.field)
