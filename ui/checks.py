"""A moment after each change: the whole-report check and what follows from it.

One pass over the report (app/validate.py) feeds the 問題清單 and its dock
title (the 校對 findings come at once, ui/proofreading.py), the table's tints, the 進度 panel (when built), the marks of entries
changed since their 目 was approved, and the status bar.  It runs 200 ms after
the last change (a timer), so typing stays within a frame at any report size.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from .main_window import MainWindow


class ReportChecks:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.run)

    def run(self) -> None:
        from app.validate import check

        window = self.window
        problems = check(window.document.report) if window.document else []
        window.problems.set_problems(problems)
        window.table_model.problems = {(p.node_id, p.field): p.severity for p in problems}
        self.update_title()
        if window.dashboard_dock.built:
            self.update_dashboard(window.dashboard)
        self.update_approval_marks()
        self.update_status()

    def update_title(self) -> None:
        """The dock's title counts both sources: the check's problems and the 校對 findings."""
        from app.validate import summary

        window = self.window
        errors, warnings = summary(window.problems.problems)
        window.problems_dock.setWindowTitle(
            f"問題清單（錯誤 {errors}、警告 {warnings}、校對 {len(window.problems.findings)}）")

    def update_dashboard(self, dashboard) -> None:
        from app.dashboard import progress

        document = self.window.document
        dashboard.set_rows(progress(document.report, self.window.problems.problems) if document else [])

    def update_status(self) -> None:
        window = self.window
        if window.document is None:
            window.status_counts.setText("")
            return
        from app.validate import summary

        report = window.document.report
        counts = report.counts()
        values = [e.completion for d in report.departments for e in d.entries() if e.completion is not None]
        average = f"{sum(values) / len(values):.0f}%" if values else "—"
        errors, warnings = summary(window.problems.problems)
        template = report.template
        if template.is_default:
            what = f"目 {counts['item']}　辦理情形 {counts['entry']}　平均完成程度 {average}"
        else:  # another template: its last level by name, its rows (implicit 項/目 are not counted)
            last = template.levels[-1]
            what = f"{last.name} {counts[template.level_kinds[-1]]}　資料 {counts['entry']} 筆"
        window.status_counts.setText(
            f"{what}　錯誤 {errors}　警告 {warnings}　校對 {len(window.problems.findings)}"
        )

    def update_approval_marks(self) -> None:
        """Entries changed since their 目 was last approved: tinted, with the difference as tooltip."""
        from app.review import changes_since_approval

        window = self.window
        document = window.document
        marks = {}
        department = document.find(window.current_department_id) if document and window.current_department_id else None
        for section in department.sections if department is not None else []:
            for item in section.items:
                if item.status != "approved":
                    for change in changes_since_approval(document, item.id) or []:
                        marks[change.entry_id] = change
        window.table_model.changed_since_approval = marks
        window.table.viewport().update()
