"""Print preview paints the report's pages; identity is asked once; edits are backed up."""
from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog
from pypdf import PdfReader

from gui_helpers import open_window

from app.document import ReportDocument
from app.operations import SetField
from app.sample import sample_report
from app.storage.backup import list_backups


def test_print_preview_paints_the_same_pages_as_the_pdf_export(qtbot, tmp_path, monkeypatch):
    import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
    from app.exporters import export

    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    target = tmp_path / "preview.pdf"

    def exec_preview(dialog):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_preview)
    window.act_preview.trigger()
    export(window.document.report, "pdf", tmp_path / "export.pdf")
    previewed, exported = PdfReader(target), PdfReader(tmp_path / "export.pdf")
    assert len(previewed.pages) == len(exported.pages) > 20
    def text(page) -> str:
        # the same glyphs in the same order; the exported file's text objects are
        # folded for extraction (ui/render/pdf_outline.py), which moves line breaks
        return "".join(page.extract_text().split())

    for number in (0, 1, 5, 10, len(exported.pages) - 1):
        assert text(previewed.pages[number]) == text(exported.pages[number])
    assert "年度工作總報告目錄" in previewed.pages[1].extract_text()


def test_identity_is_asked_once_and_remembered(qtbot, monkeypatch):
    from ui.dialogs.identity import IdentityDialog, ensure_person
    from ui.settings import settings

    asked = []

    def answer(dialog):
        asked.append(True)
        dialog.name.setText("陳承辦")
        dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IdentityDialog, "exec", answer)
    first = ensure_person(settings())
    second = ensure_person(settings())
    assert (first.name, first.role) == ("陳承辦", "clerk") == (second.name, second.role)
    assert len(asked) == 1


def test_changes_are_backed_up_when_the_window_closes(qtbot, tmp_path):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    window = open_window(qtbot, path)
    entry = window.document.report.departments[0].sections[0].items[0].entries[0]
    window.push(SetField(entry.id, "text", "改過"))
    window.close()
    backups = list_backups(path)
    assert [b.reason for b in backups] == ["auto"]
    copy = ReportDocument.open(backups[0].path, read_only=True)
    assert copy.report.departments[0].sections[0].items[0].entries[0].text == "改過"
    copy.close()
