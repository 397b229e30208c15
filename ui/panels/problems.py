"""The 問題清單 panel: the report's problems (errors, warnings) and 校對 findings; activating one goes to its cell.

Two sources feed it: the whole-report check (app/validate.py, :meth:`set_problems`,
a moment after each change — ui/checks.py) and the proofreader (app/proofread.py,
:meth:`set_findings`, at once after each change — ui/proofreading.py).  The rows
are the problems first, then the findings, each in report order; the 顯示 box
filters them by category (全部, 錯誤, 警告, 校對, and 已忽略的校對 — the findings
a person chose to ignore, which may be taken back).

A row is a :class:`~app.validate.Problem` or a :class:`~app.proofread.Finding`;
activating a finding emits :attr:`finding_requested` (the window opens the cell's
editor with the suspicious characters selected), a problem :attr:`go_to_requested`.
When the rows are replaced the cursor stays on the same row if it is still
listed, else just before where it was — so F8 after fixing one goes on to the next.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.proofread import RULE_LABEL, Finding
from app.validate import SEVERITY_LABEL, Problem, summary

from ..list_models import RowsModel, list_view

PROOFREAD = "校對"
IGNORED = "ignored"
#: The 顯示 box: (label, what it keeps).
FILTERS: tuple[tuple[str, str], ...] = (("全部", "all"), ("錯誤", "error"), ("警告", "warning"),
                                        ("校對", "proofread"), ("已忽略的校對", IGNORED))
COLOURS = {"error": "#b00020", "warning": "#9a6700", "proofread": "#1a5fb4", IGNORED: "#6b6b6b"}


def finding_text(finding: Finding) -> str:
    """What the list (and the table's tooltip) says of a finding: the message, and the suggestion
    when the message does not already name it."""
    suggestion = finding.suggestion
    if suggestion is None or suggestion == finding.text:
        return finding.message
    if suggestion == "":
        return f"{finding.message}（建議刪去「{finding.text}」）"
    if f"「{suggestion}」" in finding.message:
        return finding.message
    return f"{finding.message}（建議改為「{suggestion}」）"


class ProblemsModel(RowsModel):
    headers = ("類別", "位置", "問題")

    def __init__(self, items=None, parent=None):
        super().__init__(items, parent)
        self.ignored_keys: set[str] = set()  # findings listed as ignored (已忽略的校對)
        self.ignored_by: dict[str, str] = {}  # their key → who ignored them, when

    def category(self, row: Problem | Finding) -> str:
        if isinstance(row, Finding):
            return IGNORED if row.key in self.ignored_keys else "proofread"
        return row.severity

    def cell(self, row: Problem | Finding, column: int) -> str:
        if isinstance(row, Finding):
            label = "已忽略" if row.key in self.ignored_keys else PROOFREAD
            rule = RULE_LABEL.get(row.rule, row.rule)
            who = f"（{self.ignored_by[row.key]}忽略）" if row.key in self.ignored_keys and self.ignored_by.get(row.key) else ""
            return (label, row.where, f"〔{row.level}・{rule}〕{finding_text(row)}{who}")[column]
        return (SEVERITY_LABEL[row.severity], row.where, row.message)[column]

    def extra(self, row: Problem | Finding, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor(COLOURS[self.category(row)]))
        return None


class ProblemsPanel(QWidget):
    go_to_requested = Signal(str, object)  # node id, field (or None)
    finding_requested = Signal(object)  # an app.proofread.Finding

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._problems: list[Problem] = []
        self._findings: list[Finding] = []
        self._ignored: list[Finding] = []
        self.model = ProblemsModel(parent=self)
        self.view = list_view("problemsView", self.model, (60, 420), self.activate)
        self.filter = QComboBox()
        self.filter.setObjectName("problemsFilter")
        self.filter.setAccessibleName("問題清單顯示的類別")
        for label, name in FILTERS:
            self.filter.addItem(label, name)
        self.filter.currentIndexChanged.connect(lambda index: self._show())
        self.counts = QLabel()
        self.counts.setObjectName("problemsCounts")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        shown = QLabel("顯示(&W)：")
        shown.setBuddy(self.filter)
        bar.addWidget(shown)
        bar.addWidget(self.filter)
        bar.addWidget(self.counts, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def sizeHint(self) -> QSize:
        # A slim strip under the table (the dock takes its first height from here).
        return QSize(640, 130)

    @property
    def problems(self) -> list[Problem]:
        """The whole-report check's problems (errors and warnings), whatever the filter shows."""
        return self._problems

    @property
    def findings(self) -> list[Finding]:
        """The 校對 findings not ignored, whatever the filter shows."""
        return self._findings

    @property
    def rows(self) -> list[Problem | Finding]:
        """What the list shows now (after the filter)."""
        return self.model.items

    def set_problems(self, problems: list[Problem]) -> tuple[int, int]:
        """Show ``problems``; returns (errors, warnings)."""
        self._problems = list(problems)
        self._show()
        return summary(problems)

    def set_findings(self, findings: list[Finding], ignored: list[Finding] = (),
                     ignored_by: dict[str, str] | None = None) -> None:
        """Show the 校對 ``findings`` (and, under 已忽略的校對, the ``ignored`` ones; ``ignored_by``:
        key → 「李課長 12/1 」, who ignored each and when)."""
        self._findings = list(findings)
        self._ignored = list(ignored)
        self.model.ignored_by = dict(ignored_by or {})
        self._show()

    def show_category(self, name: str) -> None:
        """Filter to one of :data:`FILTERS` (``"proofread"``, ``"all"`` …)."""
        self.filter.setCurrentIndex(self.filter.findData(name))

    @property
    def category(self) -> str:
        return self.filter.currentData()

    def _show(self) -> None:
        name = self.category
        rows: list[Problem | Finding]
        if name == "all":
            rows = [*self._problems, *self._findings]
        elif name in ("error", "warning"):
            rows = [p for p in self._problems if p.severity == name]
        elif name == "proofread":
            rows = list(self._findings)
        else:
            rows = list(self._ignored)
        self.model.ignored_keys = {f.key for f in self._ignored} if name in ("all", IGNORED) else set()
        current = self.view.currentIndex()
        row = current.row() if current.isValid() else -1
        was = self.model.items[row] if 0 <= row < len(self.model.items) else None
        self.model.set_items(rows)
        if was is not None:
            self._place_cursor(rows, was, row)
        errors, warnings = summary(self._problems)
        self.counts.setText(f"錯誤 {errors}　警告 {warnings}　校對 {len(self._findings)}"
                            + (f"（另有 {len(self._ignored)} 處已忽略）" if self._ignored else ""))

    def _place_cursor(self, rows: list, was, row: int) -> None:
        """The row the cursor was on, if still listed; else the cursor just before where it was, unselected."""
        if was in rows:
            self.view.selectRow(rows.index(was))
        elif row > 0 and rows:
            index = self.model.index(min(row, len(rows)) - 1, 0)
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def focus(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self.model.items:
            self.view.selectRow(0)

    def current(self) -> Problem | Finding | None:
        index = self.view.currentIndex()
        return self.model.items[index.row()] if index.isValid() and index.row() < len(self.model.items) else None

    def step(self, step: int) -> Problem | Finding | None:
        """Move the list's selection to the next (``step`` 1) or previous (-1) row, wrapping."""
        rows = self.model.items
        if not rows:
            return None
        current = self.view.currentIndex()
        row = current.row() if current.isValid() else (-1 if step > 0 else len(rows))
        row = (row + step) % len(rows)
        self.view.selectRow(row)
        return rows[row]

    def activate(self, index: QModelIndex) -> None:
        row = self.model.items[index.row()]
        if isinstance(row, Finding):
            self.finding_requested.emit(row)
        else:
            self.go_to_requested.emit(row.node_id, row.field)
