"""PDF export (Qt, offscreen) read back with pypdf; the print-preview paint path on a QPrinter."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
from app.exporters import Cancelled, export
from app.layout import layout
from app.pages import GEOMETRY
from app.pages import page_plan as model_page_plan
from app.sample import sample_report
from conftest import PROJECT_ROOT
from test_export_docx import check_rendered_pdf, normalise, positioned_text, squash

pytest.importorskip("PySide6.QtGui")  # a broken Qt install must show up as a skip reason, not pass


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    export(sample_report(), "pdf", path)
    return path


@pytest.fixture(scope="module")
def reader(sample_pdf) -> PdfReader:
    return PdfReader(str(sample_pdf))


def test_page_count_toc_dividers_and_every_entry(sample_pdf, reader, sample):
    from ui.render.pdf import front_pages, plan

    report_plan = plan(sample)
    assert len(reader.pages) == front_pages(report_plan) + report_plan.last_page == 2 + 42
    check_rendered_pdf(sample_pdf, sample)  # 目錄 = divider pages, odd; entries and % in their columns


def test_toc_pages_are_the_same_as_in_the_word_export(sample):
    from ui.render.pdf import page_plan

    assert page_plan(sample) == model_page_plan(sample) == [1, 11, 17, 23, 25, 31, 33]


def test_docx_odt_and_pdf_print_the_same_toc_numbers(tmp_path, sample, reader):
    """The 目錄 as written in each file: one page model gives all three their numbers."""
    import docx
    from odf import teletype
    from odf.opendocument import load
    from odf.text import IndexBody, P, TableOfContent

    export(sample, "docx", tmp_path / "s.docx")
    export(sample, "odt", tmp_path / "s.odt")
    word = docx.Document(str(tmp_path / "s.docx"))
    in_docx = [p.text.rsplit("\t", 1)[-1] for p in word.paragraphs if p.style.name == "toc 1"]
    index = load(str(tmp_path / "s.odt")).text.getElementsByType(TableOfContent)[0].getElementsByType(IndexBody)[0]
    in_odt = [teletype.extractText(p).rsplit("\t", 1)[-1] for p in index.getElementsByType(P)][1:]
    toc_page = reader.pages[1].extract_text()
    in_pdf = re.findall(r"[一二三四五六七八九十]+、\S+?\s*\.+\s*(\d+)", toc_page)
    expected = [str(n) for n in model_page_plan(sample)]
    assert in_docx == in_odt == in_pdf == expected == ["1", "11", "17", "23", "25", "31", "33"]


def test_page_numbers_running_header_and_cover(reader, sample):
    texts = [normalise(page.extract_text()) for page in reader.pages]
    assert squash(texts[0]) == squash("109 年度工作總報告 嘉義市東區區公所 中華民國 110 年 3 月")
    lay = layout(sample)
    dividers = {next(i for i, t in enumerate(texts) if b.divider in t) for b in lay.departments}
    first = min(dividers)
    assert first == 2  # cover, 目錄
    foot = GEOMETRY.height - GEOMETRY.margin
    for index in range(first, len(texts)):
        pieces = positioned_text(reader.pages[index])
        numbers = [t.strip() for x, y, t in pieces if y > foot]
        head = squash("".join(t for x, y, t in pieces if y < GEOMETRY.margin - 5))
        if not pieces:  # the blank back of a department ending on an odd page
            assert index - first + 1 not in {i - first + 1 for i in dividers}
            continue
        assert numbers == [str(index - first + 1)]
        if index in dividers:
            assert head == ""
        else:
            assert head == squash(lay.running_header)
            assert "計畫名稱" in texts[index] and "完成程度百分比" in squash(texts[index])  # repeated header rows


def test_a4_and_an_embedded_kai_font(reader):
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    names = set()
    embedded = set()
    for page in reader.pages[:5]:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    embedded.add(str(descriptor["/FontName"]))
    kai = [n for n in embedded if re.search(r"kai|dfkai|biaukai", n, re.IGNORECASE)]
    assert kai, (names, embedded)


def test_one_department_alone(tmp_path, sample):
    path = tmp_path / "兵役.pdf"
    export(sample, "pdf", path, department="兵役部門")
    reader = PdfReader(str(path))
    texts = [normalise(page.extract_text()) for page in reader.pages]
    assert "兵 役 部 門" in texts[2]
    assert re.search(r"三、兵役部門\.+1$", squash(texts[1]))
    assert "參、兵役部門" in squash(texts[3])
    assert "民政部門" not in squash("".join(texts))
    block = layout(sample, ["兵役部門"]).departments[0]
    assert squash(block.sections[0].items[0].rows[0].lines[0]) in squash(texts[3])


def test_the_same_paint_code_drives_a_printer(tmp_path, sample, sample_pdf):
    from PySide6.QtPrintSupport import QPrinter

    from ui.render.pdf import ensure_application, paint_report

    ensure_application()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_report(sample, printer)
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    written = PdfReader(str(sample_pdf))
    assert pages == len(printed.pages) == len(written.pages)
    for a, b in zip(printed.pages, written.pages):
        assert squash(a.extract_text()) == squash(b.extract_text())


def test_cancelled_export_leaves_no_file(tmp_path, sample):
    target = tmp_path / "out.pdf"

    def progress(fraction):
        if fraction >= 0.5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export(sample, "pdf", target, progress=progress)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_cli_exports_pdf_without_a_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "app", *args], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=180)

    report = tmp_path / "s.awr"
    assert run("sample", str(report)).returncode == 0
    out = tmp_path / "out.pdf"
    done = run("export", str(report), "-f", "pdf", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(str(out)).pages) == 44
    missing = tmp_path / "不存在" / "out.pdf"
    failed = run("export", str(report), "-f", "pdf", "-o", str(missing))
    assert failed.returncode == 2
    assert "資料夾" in failed.stderr and "Traceback" not in failed.stderr
    assert not missing.parent.exists()
