"""Print preview and print: the very pages of the PDF export (same paint code; a report of
another template than the default is painted by ui.render.pdf_template, through paint_report)."""
from __future__ import annotations

from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from app.model import Report

from .pdf import paint_report


def _printer(report: Report) -> QPrinter:
    """A4 in the report's orientation (a landscape template's table: landscape; the painter sets it too)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    landscape = not report.template.is_default and report.template.orientation == "landscape"
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
    return printer


def preview(report: Report, parent: QWidget | None = None) -> None:
    """檔案 → 預覽列印: a modal preview of the printed pages; returns when it is closed."""
    printer = _printer(report)
    dialog = QPrintPreviewDialog(printer, parent)
    # The dialog does not own its printer: keep it alive as long as the dialog
    # (a freed QPrinter crashes the preview when it paints — issue 15, blocker 1).
    # The attribute lives on the dialog's Python wrapper, which is released only
    # after the C++ dialog is deleted, so the printer outlives it.
    dialog.printer_ref = printer  # type: ignore[attr-defined]
    dialog.setWindowTitle("預覽列印")
    dialog.paintRequested.connect(lambda printer: paint_report(report, printer))
    dialog.resize(1000, 900)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()  # not one rendered preview kept per use for the window's lifetime


def print_dialog(report: Report, parent: QWidget | None = None) -> None:
    """檔案 → 列印: Qt's print dialog, then the pages; ReportError when the printer cannot be used."""
    printer = _printer(report)
    dialog = QPrintDialog(printer, parent)
    dialog.printer_ref = printer  # type: ignore[attr-defined]  (as in preview)
    dialog.setWindowTitle("列印")
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            paint_report(report, printer)
    finally:
        dialog.deleteLater()
