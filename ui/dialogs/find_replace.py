"""編輯 → 尋找及取代 (Ctrl+H): a modeless dialog over the window, as in Word.

The dialog only asks and shows: where the text occurs is
:func:`app.replace.find_matches`, what 全部取代 changes is
:func:`app.replace.plan_replace` — one ``Batch`` pushed through the window,
so it is one undo step and every part follows from its change record.
Matches in approved 目 are not replaced; the dialog says how many and where.
「下一個」 goes to the next match (the table's cell and the tree's node).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.replace import Match, find_matches, plan_replace

if TYPE_CHECKING:
    from ..main_window import MainWindow


class FindReplaceDialog(QDialog):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("findReplaceDialog")
        self.setWindowTitle("尋找及取代")
        self.setModal(False)
        self.matches: list[Match] = []
        self.position = -1

        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findEdit")
        self.replace_edit = QLineEdit()
        self.replace_edit.setObjectName("replaceEdit")
        self.whole_report = QRadioButton("整份報告")
        self.whole_report.setChecked(True)
        self.this_department = QRadioButton("目前部門")
        self.field_text = QCheckBox("辦理情形")
        self.field_text.setChecked(True)
        self.field_remark = QCheckBox("備註")
        self.field_remark.setChecked(True)
        self.field_title = QCheckBox("標題（部門、項、目）")
        self.count_label = QLabel()
        self.count_label.setObjectName("findCount")
        self.count_label.setWordWrap(True)

        self.next_button = QPushButton("下一個(&N)")
        self.next_button.setDefault(True)  # Enter in the find box goes to the next match
        self.replace_all_button = QPushButton("全部取代(&A)")
        close_button = QPushButton("關閉")
        self.next_button.clicked.connect(self.find_next)
        self.replace_all_button.clicked.connect(self.replace_all)
        close_button.clicked.connect(self.close)

        form = QFormLayout()
        form.addRow("尋找(&F)：", self.find_edit)
        form.addRow("取代為(&P)：", self.replace_edit)
        scope = QHBoxLayout()
        scope.addWidget(self.whole_report)
        scope.addWidget(self.this_department)
        scope.addStretch(1)
        form.addRow("範圍：", scope)
        fields = QHBoxLayout()
        for box in (self.field_text, self.field_remark, self.field_title):
            fields.addWidget(box)
        fields.addStretch(1)
        form.addRow("欄位：", fields)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.next_button, self.replace_all_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)

        self.find_edit.textChanged.connect(self.recount)
        for widget in (self.whole_report, self.this_department, self.field_text, self.field_remark, self.field_title):
            widget.toggled.connect(self.recount)

    # --- what to look in ---------------------------------------------------------

    def fields(self) -> tuple[str, ...]:
        boxes = (("text", self.field_text), ("remark", self.field_remark), ("title", self.field_title))
        return tuple(name for name, box in boxes if box.isChecked())

    def department_id(self) -> str | None:
        return self.window_.current_department_id if self.this_department.isChecked() else None

    def bring_up(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()
        self.recount()

    # --- counting, walking, replacing ------------------------------------------------

    def recount(self, *args) -> None:
        """Count the matches again (typing, options, and after each change to the report)."""
        document = self.window_.document
        find = self.find_edit.text()
        self.matches = (find_matches(document.report, find, department_id=self.department_id(), fields=self.fields())
                        if document is not None and find else [])
        self.position = min(self.position, len(self.matches) - 1)
        self._show_count()

    def _show_count(self, prefix: str = "") -> None:
        if not self.find_edit.text():
            text = ""
        elif not self.matches:
            text = "找不到「" + self.find_edit.text() + "」"
        else:
            total = sum(m.count for m in self.matches)
            locked = sum(m.count for m in self.matches if m.locked)
            text = f"找到 {total} 處"
            if locked:
                text += f"（其中 {locked} 處在已核定的目中，不會取代）"
            if self.position >= 0:
                text += f"；目前在第 {self.position + 1} / {len(self.matches)} 個欄位"
        self.count_label.setText(prefix + text)
        self.replace_all_button.setEnabled(any(not m.locked for m in self.matches)
                                           and self.find_edit.text() != self.replace_edit.text())

    def find_next(self) -> None:
        if not self.matches:
            self.recount()
        if not self.matches:
            return
        self.position = (self.position + 1) % len(self.matches)
        match = self.matches[self.position]
        self.window_.go_to(match.node_id, match.field if match.field in ("text", "remark") else None)
        self._show_count()

    def replace_all(self) -> None:
        window = self.window_
        document = window.document
        find, replace = self.find_edit.text(), self.replace_edit.text()
        if document is None or not find:
            return
        window.table.commit_editor()
        plan = plan_replace(document.report, find, replace, department_id=self.department_id(), fields=self.fields())
        if not plan.operations:
            self._show_count()
            return
        if not window.push(plan.operation()):
            self.recount()
            return
        message = f"已取代 {plan.replaced} 處（可復原）"
        if plan.skipped:
            places = "、".join(plan.skipped_places[:3]) + ("…" if len(plan.skipped_places) > 3 else "")
            message += f"；已核定的目中有 {plan.skipped} 處未取代：{places}"
        window.statusBar().showMessage(message, 8000)
        self.position = -1
        self.recount()
        self.count_label.setText(message + "。" + (self.count_label.text() and "\n" + self.count_label.text()))
