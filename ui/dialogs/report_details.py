"""檔案 → 報告資料… (and F2 on the tree's root): correct the report's 機關名稱, 年度 and 出版年月.

What 新增報告 asked once can be wrong (a typo in the office, last year's year); this is
where it is put right.  The dialog only builds the change: the fields that differ become
one :class:`app.operations.Batch` of ``SetField`` on the report — one undo step
「修改報告資料」 — which the caller pushes on the undo stack like every other edit.
"""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMessageBox, QSpinBox

from app.model import Report
from app.operations import Batch, Operation, SetField

LABEL = "修改報告資料"


class ReportDetailsDialog(QDialog):
    def __init__(self, report: Report, parent=None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("報告資料")
        form = QFormLayout(self)
        self.office = QLineEdit(report.office)
        self.office.setObjectName("officeEdit")
        self.year = QSpinBox()
        self.year.setObjectName("yearSpin")
        self.year.setRange(1, 999)
        self.year.setPrefix("民國 ")
        self.year.setSuffix(" 年度")
        self.year.setValue(report.roc_year or 1)
        self.published = QCheckBox("註明出版年月")
        self.published.setChecked(report.published_roc_year is not None)
        self.published_year = QSpinBox()
        self.published_year.setObjectName("publishedYearSpin")
        self.published_year.setRange(1, 999)
        self.published_year.setPrefix("民國 ")
        self.published_year.setSuffix(" 年")
        self.published_year.setValue(report.published_roc_year or (report.roc_year or 0) + 1)
        self.published_month = QSpinBox()
        self.published_month.setObjectName("publishedMonthSpin")
        self.published_month.setRange(1, 12)
        self.published_month.setSuffix(" 月")
        self.published_month.setValue(report.published_month or 3)
        self.published.toggled.connect(self._published_toggled)
        self._published_toggled(self.published.isChecked())
        form.addRow("機關名稱(&O)", self.office)
        form.addRow("報告年度(&Y)", self.year)
        form.addRow("", self.published)
        form.addRow("出版年(&P)", self.published_year)
        form.addRow("出版月(&M)", self.published_month)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.office.selectAll()

    def _published_toggled(self, on: bool) -> None:
        self.published_year.setEnabled(on)
        self.published_month.setEnabled(on)

    def _accept(self) -> None:
        if not self.office.text().strip():
            QMessageBox.warning(self, "報告資料", "請填寫機關名稱")
            self.office.setFocus()
            return
        self.accept()

    def values(self) -> dict:
        on = self.published.isChecked()
        return {"office": self.office.text().strip(), "roc_year": self.year.value(),
                "published_roc_year": self.published_year.value() if on else None,
                "published_month": self.published_month.value() if on else None}

    def operation(self) -> Operation | None:
        """The fields that differ from the report's, as one undo step; None when nothing changed."""
        steps = [SetField(self.report.id, name, value) for name, value in self.values().items()
                 if getattr(self.report, name) != value]
        if not steps:
            return None
        return Batch(steps, label=LABEL)


def open_report_details(window) -> None:
    """The dialog over the window; OK pushes the change as one undo step (nothing when unchanged)."""
    document = window.document
    if document is None:
        return
    dialog = ReportDetailsDialog(document.report, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    operation = dialog.operation()
    if operation is not None:
        window.push(operation)
