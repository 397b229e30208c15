"""The report file's life cycle: open, new, sample, save a copy, recent files, backups and
restore, import and rollover into a new file, export and print.

There is no save step: every change is in the file when ``push`` returns.
:class:`FileActions` hands an opened :class:`~app.document.ReportDocument` to
``window.set_document``; the dialogs it uses are imported when first asked for.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

# Dialog classes through the module: PySide6 builds a class when first touched, and
# these are not needed to show the window (start-up, docs/performance.md).
from PySide6 import QtWidgets

from app import APP_NAME
from app.document import ReportDocument
from app.errors import NotAReportError, ReportError
from app.paths import user_data_dir
from app.layout import file_stem
from app.storage.lock import ReportLocked

if TYPE_CHECKING:
    from app.model import Report

    from .main_window import MainWindow

FILE_FILTER = "工作總報告 (*.awr)"
OPEN_FILTER = f"{FILE_FILTER};;Word/Excel/ODF 檔（匯入成新報告） (*.docx *.xlsx *.odt *.ods)"
# What 開啟 offers to import instead (app/importers): suffix → what the file is, in words.
IMPORTABLE_KINDS = {".docx": "Word 檔", ".xlsx": "Excel 檔", ".odt": "ODF 文字文件", ".ods": "ODF 試算表"}
SAMPLE_FILE_NAME = "範例-109年度工作總報告.awr"
MAX_RECENT = 8


class FileActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.changes_since_backup = 0

    @property
    def document(self) -> ReportDocument | None:
        return self.window.document

    # --- opening ---------------------------------------------------------------------

    def open_file(self, path: str | os.PathLike[str], *, read_only: bool = False) -> bool:
        window = self.window
        kind = IMPORTABLE_KINDS.get(Path(path).suffix.lower())
        if kind is not None and Path(path).is_file():
            # A Word/Excel/ODF file is not a report file: offer what the clerk means, 匯入.
            answer = QtWidgets.QMessageBox.question(
                window, "開啟", f"「{Path(path).name}」是{kind}，不是報告檔（.awr）。\n\n這是 Word/Excel 檔，要匯入成新報告嗎？")
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return False
            return self.import_file(path)
        try:
            document = ReportDocument.open(path, read_only=read_only, person=window.person)
        except ReportLocked as exc:
            answer = QtWidgets.QMessageBox.question(window, "報告使用中", f"{exc}\n\n要以唯讀方式開啟嗎？")
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return False
            return self.open_file(path, read_only=True)
        except NotAReportError as exc:
            from app.storage.backup import list_backups

            backups = list_backups(path)
            if backups and Path(path).exists():
                answer = QtWidgets.QMessageBox.question(
                    window, "無法開啟報告檔",
                    f"{exc}\n\n找到 {len(backups)} 份備份，最新的是 {backups[0].made:%Y-%m-%d %H:%M}。要從備份還原嗎？",
                )
                if answer == QtWidgets.QMessageBox.StandardButton.Yes:
                    return self.restore_dialog(path)
                return False
            window.show_error("無法開啟報告檔", exc)
            return False
        except ReportError as exc:
            window.show_error("無法開啟報告檔", exc)
            return False
        window.set_document(document)
        self._remember_recent(str(Path(path).resolve()))
        return True

    def open_last_or_sample(self) -> None:
        for path in self.recent_files():
            if Path(path).exists() and self.open_file(path):
                return
        self.open_sample_copy(reuse=True)

    def open_sample_copy(self, *, reuse: bool = False) -> None:
        """Open a copy of the bundled sample in the user's data folder (never the bundled file)."""
        from app.sample import sample_report

        folder = user_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / SAMPLE_FILE_NAME
        if target.exists() and not reuse:
            n = 2
            while (folder / f"範例-109年度工作總報告-{n}.awr").exists():
                n += 1
            target = folder / f"範例-109年度工作總報告-{n}.awr"
        if not target.exists():
            try:
                ReportDocument.create(target, sample_report()).close()
            except ReportError as exc:
                self.window.show_error("無法建立範例報告", exc)
                return
        self.open_file(target)

    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "開啟報告檔", self.last_folder(), OPEN_FILTER)
        if path:
            self.open_file(path)

    def new_report(self) -> None:
        from .dialogs.new_report import NewReportDialog

        dialog = NewReportDialog(self.window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        report = dialog.report()
        self.save_new_report(report, Path(self.last_folder()) / f"{file_stem(report)}.awr",
                             title="新報告檔存放位置")

    def save_new_report(self, report: "Report", suggested: Path, *, title: str = "新報告檔存放位置") -> bool:
        """Ask where, write ``report`` to a new file and open it."""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, title, str(suggested), FILE_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".awr"):
            path += ".awr"
        try:
            ReportDocument.create(path, report, overwrite=Path(path).exists() and self.confirm_overwrite(path)).close()
        except ReportError as exc:
            self.window.show_error("無法建立報告檔", exc)
            return False
        return self.open_file(path)

    def confirm_overwrite(self, path: str) -> bool:
        return QtWidgets.QMessageBox.question(self.window, APP_NAME, f"{path} 已存在，要取代它嗎？") == QtWidgets.QMessageBox.StandardButton.Yes

    def save_copy_dialog(self) -> None:
        document = self.document
        if document is None:
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "另存副本", str(document.path.with_name(document.path.stem + "-副本.awr")), FILE_FILTER)
        if not path:
            return
        try:
            document.repo.save_copy(path)
        except ReportError as exc:
            self.window.show_error("無法另存副本", exc)
            return
        self.window.statusBar().showMessage(f"已另存副本：{path}", 5000)

    # --- recent files ------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.window.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: str) -> None:
        files = [path] + [p for p in self.recent_files() if p != path]
        self.window.settings.setValue("recentFiles", files[:MAX_RECENT])

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        files = self.recent_files()
        if not files:
            menu.addAction("（沒有最近開啟的檔案）").setEnabled(False)
        for n, path in enumerate(files, start=1):
            action = menu.addAction(f"&{n} {path}")
            action.triggered.connect(lambda checked=False, p=path: self.open_file(p))

    def last_folder(self) -> str:
        if self.document is not None:
            return str(self.document.path.parent)
        return str(Path.home())

    # --- backups -------------------------------------------------------------------------

    def backup_now(self, reason: str = "auto") -> None:
        if self.document is None or self.document.read_only:
            return
        try:
            self.document.repo.backup(reason)
            self.changes_since_backup = 0
        except ReportError as exc:
            self.window.statusBar().showMessage(f"自動備份失敗：{exc}", 8000)

    def scheduled_backup(self) -> None:
        if self.changes_since_backup:
            self.backup_now("auto")

    def backup_if_changed(self) -> None:
        if self.changes_since_backup:
            self.backup_now("auto")
        self.changes_since_backup = 0

    def restore_dialog(self, path: str | os.PathLike[str] | None = None) -> bool:
        """File → 從備份還原: pick a backup (time, reason, size) and put it in place of the report."""
        from app.storage.backup import restore_backup

        from .dialogs.restore import RestoreDialog

        window = self.window
        path = Path(path) if path is not None else (self.document.path if self.document else None)
        if path is None:
            return False
        dialog = RestoreDialog(path, window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or dialog.chosen is None:
            return False
        if self.document is not None and self.document.path.resolve() == path.resolve():
            window.set_document(None)
        try:
            restore_backup(dialog.chosen, path)
        except ReportError as exc:
            window.show_error("無法還原", exc)
            return False
        window.statusBar().showMessage(f"已從 {dialog.chosen.made:%Y-%m-%d %H:%M} 的備份還原", 8000)
        return self.open_file(path)

    # --- new files from other files ----------------------------------------------------------

    def import_dialog(self) -> None:
        from app.importers import SUFFIXES

        patterns = " ".join(f"*{s}" for s in SUFFIXES)
        source, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "匯入報告", self.last_folder(), f"報告 ({patterns})")
        if source:
            self.import_file(source)

    def import_file(self, source: str | os.PathLike[str]) -> bool:
        """The import preview for ``source``, then a new report file (匯入, and 開啟 of a .docx …)."""
        from .dialogs.import_preview import ImportPreviewDialog

        report = ImportPreviewDialog.get_report(str(source), self.window)
        if report is None:
            return False
        return self.save_new_report(report, Path(source).with_suffix(".awr"))

    def rollover_dialog(self) -> None:
        document = self.document
        if document is None:
            return
        from app.rollover import next_year

        year = document.report.roc_year
        keep = QtWidgets.QMessageBox.question(
            self.window, "建立下一年度報告",
            f"以 {year} 年度的部門、項、目建立 {year + 1} 年度報告。\n"
            "要一併複製今年的辦理情形嗎？（選「否」只複製結構；去年的內容仍可在「去年對照」中查看與複製）",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.No,
        )
        if keep == QtWidgets.QMessageBox.StandardButton.Cancel:
            return
        report = next_year(document.report, keep_entries=keep == QtWidgets.QMessageBox.StandardButton.Yes)
        self.save_new_report(report, document.path.with_name(f"{file_stem(report)}.awr"))

    # --- export and print --------------------------------------------------------------------

    def export_dialog(self) -> None:
        if self.document is None:
            return
        from .dialogs.export import ExportDialog

        ExportDialog(self.document.report, self.window, current_department=self.window.current_department_name()).exec()

    def print_preview(self) -> None:
        if self.document is None:
            return
        from .render.printing import preview

        preview(self.document.report, self.window)

    def print_report(self) -> None:
        if self.document is None:
            return
        from .render.printing import print_dialog

        try:
            print_dialog(self.document.report, self.window)
        except ReportError as exc:  # no printer, or the print-to-file target cannot be written
            self.window.show_error("無法列印", exc)
