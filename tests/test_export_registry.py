"""Exporters register themselves with app.exporters; export() writes through the registry."""
from __future__ import annotations

import pytest

import app.exporters as exporters
from app.errors import ReportError
from app.model import Report


@pytest.fixture
def registry():
    saved = dict(exporters._REGISTRY)
    yield
    exporters._REGISTRY.clear()
    exporters._REGISTRY.update(saved)
    exporters.FORMATS.clear()
    exporters.FORMATS.update({name: (e.writer, e.label) for name, e in saved.items()})


def test_register_places_after_a_format_and_replaces_in_place(registry, tmp_path):
    written = []

    def write(report, path, *, departments=None, progress=None):
        written.append(departments)
        path.write_text("x", encoding="utf-8")

    exporters.register("txt", "純文字 (.txt)", write, after="docx")
    assert exporters.available_formats()[:3] == ["docx", "txt", "odt"]
    assert exporters.FORMATS["txt"][1] == "純文字 (.txt)" == exporters.label("txt")
    exporters.register("txt", "文字檔 (.txt)", write, after="json")  # again: same place, new label
    assert exporters.available_formats()[1] == "txt" and exporters.label("txt") == "文字檔 (.txt)"
    target = exporters.export(Report(office="所", roc_year=113), "TXT", tmp_path / "out.txt")
    assert target.read_text(encoding="utf-8") == "x" and written == [None]
    exporters.register("md", "Markdown", write)
    assert exporters.available_formats()[-1] == "md"


def test_an_unknown_format_is_refused_in_chinese(tmp_path):
    with pytest.raises(ReportError, match="不支援的匯出格式「rtf」"):
        exporters.export(Report(office="所", roc_year=113), "rtf", tmp_path / "out.rtf")
    assert list(tmp_path.iterdir()) == []
