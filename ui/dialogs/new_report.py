"""檔案 → 新增報告: office and ROC year; the report's defaults are app/editing.py's ``new_report``."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QMessageBox, QSpinBox

from app.editing import current_roc_year, new_report
from app.model import Report


class NewReportDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新增報告")
        form = QFormLayout(self)
        self.office = QLineEdit()
        self.office.setPlaceholderText("例如：嘉義市東區區公所")
        self.year = QSpinBox()
        self.year.setRange(1, 300)
        self.year.setValue(current_roc_year())
        self.year.setPrefix("民國 ")
        self.year.setSuffix(" 年度")
        form.addRow("機關名稱", self.office)
        form.addRow("報告年度", self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.office.text().strip():
            QMessageBox.warning(self, "新增報告", "請輸入機關名稱")
            return
        self.accept()

    def report(self) -> Report:
        return new_report(self.office.text(), self.year.value())
