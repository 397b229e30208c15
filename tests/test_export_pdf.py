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


# --- what pypdf adds after Qt (ui/render/pdf_outline.py) ---------------------

def page_texts(reader) -> list[str]:
    return [normalise(page.extract_text()) for page in reader.pages]


def test_bookmarks_department_then_section(reader, sample):
    lay = layout(sample)
    texts = page_texts(reader)
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    children = [item for item in outline if isinstance(item, list)]
    assert [item.title for item in tops] == [b.toc_label for b in lay.departments]
    assert len(children) == len(lay.departments)
    for top, kids, block in zip(tops, children, lay.departments):
        assert block.divider in texts[reader.get_destination_page_number(top)]
        assert [kid.title for kid in kids] == [s.label for s in block.sections]
        for kid, section in zip(kids, block.sections):
            page = reader.get_destination_page_number(kid)
            assert squash(section.label)[:3] in squash(texts[page]), (section.label, page)
            assert kid.top is not None and 0 < float(kid.top) < float(reader.pages[page].mediabox.height)


def test_toc_lines_link_to_the_pages_they_print(reader, sample):
    texts = page_texts(reader)
    toc = next(i for i, t in enumerate(texts) if "一、民政部門" in t and "目錄" in t)
    links = [a.get_object() for a in reader.pages[toc]["/Annots"]]
    links.sort(key=lambda link: -float(link["/Rect"][1]))  # top to bottom, as the lines
    pages = model_page_plan(sample)
    assert len(links) == len(pages)
    index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    labels = reader.page_labels
    for link, number in zip(links, pages):
        assert link["/Subtype"] == "/Link"
        target = index[link["/Dest"][0].idnum]
        assert labels[target] == str(number)  # the page the line's number names


def test_page_labels_are_the_printed_numbers(reader):
    labels = reader.page_labels
    assert labels[:2] == ["i", "ii"]  # cover and 目錄: not numbered pages
    foot = GEOMETRY.height - GEOMETRY.margin
    printed = 0
    for index, page in enumerate(reader.pages):
        numbers = [t.strip() for x, y, t in positioned_text(page) if y > foot and t.strip()]
        if numbers:
            assert labels[index] == numbers[0]
            printed += 1
    assert printed >= 40


def test_title_author_subject_and_language(reader):
    meta = reader.metadata
    assert meta.title == "嘉義市東區區公所 109 年度工作總報告"
    assert meta.author == "嘉義市東區區公所"
    assert meta.subject == "109 年度工作總報告"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-TW"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/PageMode"] == "/UseOutlines"


def test_text_extracts_line_by_line_cell_by_cell(reader, sample):
    """Every line of 辦理情形 comes out of the PDF as one line (not a line per piece)."""
    from app.pages import plan_report

    plan = plan_report(layout(sample))
    department = plan.departments[0]
    texts = page_texts(reader)
    first = next(i for i, t in enumerate(texts) if department.block.divider in t) + 1
    extracted = [squash(line) for t in texts[first:first + len(department.pages)] for line in t.split("\n")]
    wanted = [squash(line) for cell in department.cells if cell.col == 3 for line in cell.lines if squash(line)]
    assert len(wanted) > 200
    missing = [line for line in wanted if not any(line in got for got in extracted)]
    assert missing == []


def test_fold_text_positions_keeps_the_glyphs_where_they_were():
    from ui.render.pdf_outline import fold_text_positions

    qt = b"BT\n/F12 200 Tf 1 0 0 -1 0 0 Tm\n3797.50000 -2632.15625 Td <0134> Tj\n200 0 Td <0088> Tj\nET"
    assert fold_text_positions(qt) == (
        b"BT\n/F12 200 Tf 1 0 0 -1 3797.50000 2632.15625 Tm <0134> Tj\n200 0 Td <0088> Tj\nET")
    assert fold_text_positions(b"1 0 0 -1 0 0 Tm\n10 20 Td") == b"1 0 0 -1 10 -20 Tm"
