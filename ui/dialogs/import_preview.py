"""Import preview: what a .docx/.xlsx/.odt/.ods/.json will become, before anything is written.

:class:`ImportPreviewDialog` runs the importer on the file, then shows the
report's office and year (editable: a file without a title has neither), per
department the number of 項, 目 and 辦理情形, and every warning with its
location (file, table or sheet, row).  OK hands back the
:class:`~app.model.Report` (:meth:`ImportPreviewDialog.report`); Cancel hands
back nothing.  The dialog itself never writes a file or a database: the main
window creates the report file from the returned report.

A file the importer refuses (damaged, encrypted, zip bomb, no table) shows
its one-line message and OK stays disabled.  A file in another template's
layout (a budget table, a KPI sheet, a narrative 施政報告) shows that
template's name and counts by its own level names (業務, 策略績效目標 …, 列).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QObject, QThread, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import ReportError
from app.importers import IMPORTERS, read_source
from app.importers.official import DepartmentCounts, ImportResult, ImportWarning, department_counts
from app.model import Report

from ..list_models import RowsModel



class DepartmentCountsModel(RowsModel):
    """Per department: how many 項, 目 and 辦理情形 the import found."""

    headers = ("部門", "項", "目", "辦理情形")

    def extra(self, counts, column: int, role: int):
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def cell(self, counts: DepartmentCounts, column: int):
        return (counts.name or "（未命名）", counts.sections, counts.items, counts.entries)[column]


class TemplateCountsModel(RowsModel):
    """Per top-level node of a report in another template: its lower levels and rows (業務, 列 …)."""

    def __init__(self, headers: tuple[str, ...], parent=None):
        self.headers = headers
        super().__init__(parent=parent)

    def extra(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def cell(self, row: tuple[str, ...], column: int):
        return row[column]


class ImportWarningsModel(RowsModel):
    """Every warning with where it is (table or sheet, row)."""

    headers = ("位置", "說明")

    def cell(self, warning: ImportWarning, column: int):
        return (warning.location, warning.message)[column]


THREAD_ABOVE_BYTES = 400 * 1024  # ≈ half a second of reading (docs/performance.md)
_RUNNING: set = set()  # background readers still running (kept alive until they finish)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read(path: Path) -> tuple[ImportResult | None, str | None]:
    """(result, None) or (None, one zh-TW line); never raises."""
    try:
        return run_import(path), None
    except ReportError as exc:
        return None, str(exc)
    except MemoryError:
        return None, f"{path}：記憶體不足，無法匯入"
    except Exception as exc:  # a bug: still one line in Chinese, details in the crash log
        from app.paths import write_crash_log

        log = write_crash_log()
        return None, f"{path}：匯入時發生未預期的問題（{type(exc).__name__}），記錄：{log}"


class _LoadWorker(QObject):
    done = Signal(object, object)

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def run(self) -> None:
        self.done.emit(*_read(self.path))


def run_import(path: Path) -> ImportResult:
    """The importer as the dialog needs it: a missing year is a question, not an error."""
    suffix = path.suffix.lower()
    if suffix in IMPORTERS:
        from app.importers.official import read_with_report

        return read_with_report(path, require_year=False)
    report = read_source(path)  # .json, or a ReportError naming what can be imported
    return ImportResult(report, [], department_counts(report), path)


class ImportPreviewDialog(QDialog):
    """Preview of an import; :meth:`report` is the report after OK, else None."""

    def __init__(self, path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"匯入 {self.path.name}")
        self.resize(720, 520)
        self.import_result: ImportResult | None = None  # not `result`: QDialog.result() is Qt's
        self.error: str | None = None
        self._report: Report | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.office_edit = QLineEdit()
        self.office_edit.setPlaceholderText("如：嘉義市東區區公所")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(0, 300)
        self.year_spin.setSpecialValueText("請填寫年度")
        self.year_spin.setSuffix(" 年度")
        form = QFormLayout()
        form.addRow("機關名稱", self.office_edit)
        form.addRow("報告年度（民國）", self.year_spin)

        self.counts_model = DepartmentCountsModel(parent=self)
        self.counts_view = self._table(self.counts_model)
        self.warnings_model = ImportWarningsModel(parent=self)
        self.warnings_view = self._table(self.warnings_model)
        self.warnings_label = QLabel()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("匯入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        self.counts_label = QLabel("各部門的內容")
        layout.addWidget(self.counts_label)
        layout.addWidget(self.counts_view, 2)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings_view, 3)
        layout.addWidget(self.buttons)

        self.office_edit.textChanged.connect(self._update_ok)
        self.year_spin.valueChanged.connect(self._update_ok)
        self.loaded = False
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy: the importers report no fraction
        self.busy.setVisible(False)
        layout.insertWidget(1, self.busy)
        if _file_size(self.path) > THREAD_ABOVE_BYTES:
            self._load_in_background()
        else:
            self._load()

    @staticmethod
    def _table(model: QAbstractTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        view.setWordWrap(True)
        return view

    def _load(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.import_result, self.error = _read(self.path)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._show_result()

    def _load_in_background(self) -> None:
        """Files that take more than about half a second are read off the GUI thread.

        The window stays responsive and 取消 closes it at once; the reading
        finishes in the background and its result is dropped (nothing has been
        written: the report file is only created after 匯入).
        """
        self.summary.setText(f"正在讀取 {_escape(self.path.name)}…")
        self.busy.setVisible(True)
        self.ok_button.setEnabled(False)
        worker = _LoadWorker(self.path)
        thread = QThread(QCoreApplication.instance())  # outlives the dialog if 取消 comes first
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(self._loaded_in_background)
        worker.done.connect(thread.quit)
        thread.finished.connect(lambda: _RUNNING.discard((thread, worker)))
        _RUNNING.add((thread, worker))
        thread.start()

    def _loaded_in_background(self, result, error) -> None:
        self.busy.setVisible(False)
        self.import_result, self.error = result, error
        self._show_result()

    def _show_result(self) -> None:
        self.loaded = True
        if self.import_result is None:
            self.summary.setText(f"<b>無法匯入</b><br>{_escape(self.error or '')}")
            self.summary.setStyleSheet("color: #b00020")
            for widget in (self.office_edit, self.year_spin, self.counts_view, self.warnings_view):
                widget.setEnabled(False)
            self.warnings_label.setText("")
            self.ok_button.setEnabled(False)
            return
        report = self.import_result.report
        if report.template.is_default:
            totals = report.counts()
            self.summary.setText(
                f"{_escape(self.path.name)}：{totals['department']} 個部門、{totals['section']} 個項、"
                f"{totals['item']} 個目、{totals['entry']} 筆辦理情形。按「匯入」後建立新的報告檔。")
            self.counts_model.set_items(self.import_result.counts)
        else:  # a table or narrative of another template (app/importers/templated.py, narrative.py)
            from app.importers.templated import template_counts, template_summary

            headers, rows = template_counts(report)
            self.counts_model = TemplateCountsModel(headers, parent=self)
            self.counts_view.setModel(self.counts_model)
            self.counts_model.set_items(rows)
            self.counts_label.setText(f"各{headers[0]}的內容")
            self.summary.setText(f"{_escape(self.path.name)}：{_escape(template_summary(report))}。按「匯入」後建立新的報告檔。")
        self.office_edit.setText(report.office)
        self.year_spin.setValue(report.roc_year if self.import_result.year_found else 0)
        self.warnings_model.set_items(self.import_result.warnings)
        count = len(self.import_result.warnings)
        self.warnings_label.setText(f"需要留意的地方（{count} 項）" if count else "沒有需要留意的地方")
        self.warnings_view.setVisible(bool(count))
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.import_result is not None and self.year_spin.value() > 0)

    def accept(self) -> None:
        if self.import_result is None or self.year_spin.value() <= 0:
            return
        report = self.import_result.report
        report.office = self.office_edit.text().strip()
        report.roc_year = self.year_spin.value()
        self._report = report
        super().accept()

    def report(self) -> Report | None:
        """The imported report after OK; None after Cancel or when the file was refused."""
        return self._report

    @classmethod
    def get_report(cls, path, parent: QWidget | None = None) -> Report | None:
        """Show the preview modally; the report on OK, None on Cancel."""
        dialog = cls(path, parent)
        try:
            return dialog.report() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
