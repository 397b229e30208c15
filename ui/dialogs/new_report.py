"""檔案 → 新增報告: office, ROC year and template; the report's defaults are app/editing.py's ``new_report``.

The template combo lists the built-ins (app/templates.py, the default first) and
「從範本檔…」, which asks for a ``.awt`` file (a bad file: one zh-TW line naming it,
the combo goes back to what it showed)."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit,
                               QMessageBox, QSpinBox)

from app.editing import current_roc_year, new_report
from app.errors import ReportError
from app.model import Report
from app.templates import Template, builtin_templates, read_template

FROM_FILE = "從範本檔…"


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
        self.templates: list[Template] = list(builtin_templates())
        self.template = QComboBox()
        self.template.setObjectName("templateCombo")
        for template in self.templates:
            self.template.addItem(template.name)
        self.template.addItem(FROM_FILE)
        self._shown = 0
        self.template.activated.connect(self._template_chosen)
        self.template.currentIndexChanged.connect(self._current_changed)
        self.description = QLabel()
        self.description.setWordWrap(True)
        form.addRow("機關名稱", self.office)
        form.addRow("報告年度", self.year)
        form.addRow("範本", self.template)
        form.addRow("", self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._describe(0)

    def _current_changed(self, index: int) -> None:
        if 0 <= index < len(self.templates):
            self._shown = index
        self._describe(index)

    def _describe(self, index: int) -> None:
        if 0 <= index < len(self.templates):
            template = self.templates[index]
            levels = " › ".join(level.name for level in template.levels)
            self.description.setText(f"{levels}｜{'、'.join(c.heading for c in template.columns)}")

    def _template_chosen(self, index: int) -> None:
        if index < len(self.templates):
            self._shown = index
            return
        path, _ = QFileDialog.getOpenFileName(self, "選擇範本檔", "", "範本檔 (*.awt)")
        if path:
            try:
                template = read_template(path)
            except ReportError as exc:
                from ..main_window import user_message

                QMessageBox.warning(self, "無法讀取範本檔", user_message(exc))
            else:
                self.templates.append(template)
                self.template.insertItem(len(self.templates) - 1, template.name)
                self._shown = len(self.templates) - 1
        self.template.setCurrentIndex(self._shown)

    def chosen_template(self) -> Template:
        return self.templates[self._shown]

    def _accept(self) -> None:
        if not self.office.text().strip():
            QMessageBox.warning(self, "新增報告", "請輸入機關名稱")
            return
        self.accept()

    def report(self) -> Report:
        template = self.chosen_template()
        return new_report(self.office.text(), self.year.value(), None if template.is_default else template)
