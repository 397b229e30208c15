"""Export dialog: format, whole report or one department, target file, progress, open folder."""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.errors import ReportError
from app.layout import file_stem
from app.exporters import FORMATS, Cancelled, available_formats, export
from app.model import Report

WHOLE_REPORT = "（整份報告）"


class _Worker(QObject):
    progressed = Signal(int)
    finished = Signal(str)  # "" on success, else the error message
    cancelled = Signal()

    def __init__(self, report: Report, fmt: str, target: str, department: str | None):
        super().__init__()
        self.args = (report, fmt, target, department)
        self.stop = threading.Event()

    def run(self) -> None:
        report, fmt, target, department = self.args

        def progress(fraction: float) -> None:
            if self.stop.is_set():
                raise Cancelled()
            self.progressed.emit(int(fraction * 100))

        try:
            export(report, fmt, target, department=department, progress=progress)
        except Cancelled:
            self.cancelled.emit()
            return
        except ReportError as exc:
            self.finished.emit(str(exc))
            return
        except Exception as exc:  # a bug: the dialog still answers in Chinese
            from app.paths import write_crash_log

            log = write_crash_log()
            self.finished.emit(f"匯出時發生未預期的問題（{type(exc).__name__}），未留下任何檔案。記錄：{log}")
            return
        self.finished.emit("")


class ExportDialog(QDialog):
    def __init__(self, report: Report, parent: QWidget | None = None, *, current_department: str | None = None):
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("匯出")
        self.thread: QThread | None = None
        self.worker: _Worker | None = None
        self.last_target: str | None = None

        form = QFormLayout(self)
        self.format_box = QComboBox()
        for fmt in available_formats():
            self.format_box.addItem(FORMATS[fmt][1], fmt)
        self.scope_box = QComboBox()
        self.scope_box.addItem(WHOLE_REPORT, None)
        for department in report.departments:
            self.scope_box.addItem(department.name, department.name)
        self.target_edit = QLineEdit()
        browse = QPushButton("瀏覽…")
        browse.clicked.connect(self._browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit)
        target_row.addWidget(browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        form.addRow("格式", self.format_box)
        form.addRow("範圍", self.scope_box)
        form.addRow("存放位置", target_row)
        form.addRow("進度", self.progress)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("匯出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder_button = self.buttons.addButton("開啟資料夾", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.close_button.clicked.connect(self._close_or_cancel)
        form.addRow(self.buttons)
        self.format_box.currentIndexChanged.connect(self._suggest_target)
        self.scope_box.currentIndexChanged.connect(self._suggest_target)
        self.resize(560, 220)
        self._suggest_target()

    def _default_folder(self) -> Path:
        window = self.parent()
        document = getattr(window, "document", None)
        return document.path.parent if document is not None else Path.home()

    def _suggest_target(self) -> None:
        fmt = self.format_box.currentData()
        department = self.scope_box.currentData()
        stem = file_stem(self.report) + (f"-{department}" if department else "")
        folder = Path(self.target_edit.text()).parent if self.target_edit.text() else self._default_folder()
        self.target_edit.setText(str(folder / f"{stem}.{fmt}"))

    def _browse(self) -> None:
        fmt = self.format_box.currentData()
        path, _ = QFileDialog.getSaveFileName(self, "匯出到", self.target_edit.text(), f"{FORMATS[fmt][1]} (*.{fmt})")
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.target_edit.setText(path)

    def start(self) -> None:
        target = self.target_edit.text().strip()
        if not target:
            return
        self.last_target = target
        self.export_button.setEnabled(False)
        self.close_button.setText("取消")
        self.progress.setValue(0)
        self.worker = _Worker(self.report, self.format_box.currentData(), target, self.scope_box.currentData())
        self.thread = QThread(self)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self.progress.setValue)
        self.worker.finished.connect(self._finished)
        self.worker.cancelled.connect(self._cancelled)
        self.thread.start()

    def wait(self, ms: int = 60000) -> None:
        if self.thread is not None:
            self.thread.wait(ms)

    def _cleanup(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.thread = None
        self.export_button.setEnabled(True)
        self.close_button.setText("關閉")

    def _finished(self, error: str) -> None:
        self._cleanup()
        if error:
            self.progress.setValue(0)
            QMessageBox.warning(self, "匯出失敗", error)
            return
        self.progress.setValue(100)
        self.open_folder_button.setEnabled(True)
        self.setWindowTitle(f"匯出完成：{Path(self.last_target).name}")

    def _cancelled(self) -> None:
        self._cleanup()
        self.progress.setValue(0)
        self.setWindowTitle("已取消匯出（未留下任何檔案）")

    def done(self, result: int) -> None:
        """Esc, the title bar's close button or accept() while exporting: cancel the export and
        wait for it to stop (it leaves no file) before closing — a dialog destroyed with its
        thread still running ends the program (「QThread: Destroyed while thread is still running」)."""
        if self.thread is not None:
            if self.worker is not None:
                self.worker.stop.set()
            self.thread.quit()
            self.thread.wait()
            self.thread = None
        super().done(result)

    def _close_or_cancel(self) -> None:
        if self.thread is not None and self.worker is not None:
            self.worker.stop.set()
            return
        self.reject()

    def _open_folder(self) -> None:
        if self.last_target:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.last_target).parent)))
