"""Word export: read the .docx back (python-docx + lxml) and render it with LibreOffice.

No QApplication here: the .docx exporter is engine code.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from app.exporters import Cancelled, export
from app.layout import completion_text, layout
from app.pages import GEOMETRY, page_plan
from app.sample import sample_report
from conftest import PROJECT_ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "sample.docx"
    export(sample_report(), "docx", path)
    return path


@pytest.fixture(scope="module")
def document(sample_docx):
    return docx.Document(str(sample_docx))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def normalise(text: str) -> str:
    """Runs of whitespace as one space (text extraction puts tabs and newlines
    between the glyphs of a letter-spaced divider)."""
    return re.sub(r"\s+", " ", text).strip()


def cell_text(tc) -> list[str]:
    """Paragraph texts of a cell (w:br as a newline)."""
    out = []
    for p in tc.iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
            parts.append(node.text or "" if node.tag == f"{W}t" else ("\n" if node.tag == f"{W}br" else "\t"))
        out.append("".join(parts))
    return out


def vmerge(tc) -> str | None:
    node = tc.find(f"{W}tcPr/{W}vMerge")
    if node is None:
        return None
    return node.get(f"{W}val") or "continue"  # a bare <w:vMerge/> continues


def grid_span(tc) -> int:
    node = tc.find(f"{W}tcPr/{W}gridSpan")
    return int(node.get(f"{W}val")) if node is not None else 1


def expected_rows(department_block):
    """(section label or None, item label or None, row) for every body row, from app.layout."""
    rows = []
    for section in department_block.sections:
        section_label = section.label
        for item in section.items:
            item_label = item.label
            for row in item.rows:
                rows.append((section_label, item_label, row))
                section_label = item_label = None
    return rows


# ---------------------------------------------------------------------------
# structure


def test_one_table_per_department_with_two_repeating_header_rows(document):
    tables = document.element.body.findall(f"{W}tbl")
    assert len(tables) == 7
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        for tr in rows[:2]:
            trpr = tr.find(f"{W}trPr")
            names = [etree.QName(child).localname for child in trpr]
            assert "tblHeader" in names
            # schema order: cantSplit, trHeight, tblHeader
            order = {"cantSplit": 0, "trHeight": 1, "tblHeader": 2}
            assert [order[n] for n in names] == sorted(order[n] for n in names)
        for tr in rows[2:]:
            assert tr.find(f"{W}trPr/{W}tblHeader") is None


def test_header_rows_merge_plan_name_and_span_two_rows(document):
    tbl = document.element.body.findall(f"{W}tbl")[0]
    first, second = tbl.findall(f"{W}tr")[:2]
    tcs = first.findall(f"{W}tc")
    assert [grid_span(tc) for tc in tcs] == [3, 1, 1, 1]
    assert [cell_text(tc) for tc in tcs] == [["計畫名稱"], ["辦理情形"], ["完成程度百分比"], ["備註"]]
    assert [vmerge(tc) for tc in tcs] == [None, "restart", "restart", "restart"]
    tcs = second.findall(f"{W}tc")
    assert [cell_text(tc) for tc in tcs[:3]] == [["類"], ["項"], ["目"]]
    assert [vmerge(tc) for tc in tcs] == [None, None, None, "continue", "continue", "continue"]
    for tc in tcs[3:]:
        assert tc.find(f"{W}p") is not None  # a continuation cell still holds a paragraph


def test_every_body_cell_matches_the_layout(document, sample):
    lay = layout(sample)
    tables = document.element.body.findall(f"{W}tbl")
    total_rows = 0
    for tbl, block in zip(tables, lay.departments):
        body = tbl.findall(f"{W}tr")[2:]
        expected = expected_rows(block)
        assert len(body) == len(expected)
        for index, (tr, (section_label, item_label, row)) in enumerate(zip(body, expected)):
            tcs = tr.findall(f"{W}tc")
            assert len(tcs) == 6 and all(grid_span(tc) == 1 for tc in tcs)
            for tc in tcs:
                assert tc.find(f"{W}tcPr/{W}tcW") is not None
                assert tc.find(f"{W}p") is not None
            # 類 down the whole department
            if index == 0:
                assert vmerge(tcs[0]) == "restart" and cell_text(tcs[0]) == [block.label]
            else:
                assert vmerge(tcs[0]) == "continue" and squash("".join(cell_text(tcs[0]))) == ""
            for tc, label in ((tcs[1], section_label), (tcs[2], item_label)):
                if label is None:
                    assert vmerge(tc) == "continue"
                else:
                    assert vmerge(tc) == "restart" and cell_text(tc) == [label]
            assert cell_text(tcs[3]) == row.lines  # "1. text" then "(1) sub" paragraphs
            assert vmerge(tcs[3]) is None
            assert "".join(cell_text(tcs[4])) == completion_text(row.completion)
            if row.completion is not None:
                assert tcs[4].find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") == "center"
            assert "\n".join(cell_text(tcs[5])) == row.remark
        total_rows += len(body)
    assert total_rows == sum(len(expected_rows(b)) for b in lay.departments)


def test_numbers_and_percentages_are_in_the_text(document, sample):
    texts = [line for tbl in document.element.body.findall(f"{W}tbl")
             for tr in tbl.findall(f"{W}tr")[2:] for line in cell_text(tr.findall(f"{W}tc")[3])]
    assert "1. 1月4日辦理嘉義市第十屆東區朝陽里里長補選。" in texts
    assert sum(1 for t in texts if re.match(r"\(\d+\) ", t)) > 10  # sub-items carry (1) (2)
    assert sum(len(list(d.entries())) for d in sample.departments) == 377


def test_column_widths_grid_cell_and_fixed_layout(document):
    for tbl in document.element.body.findall(f"{W}tbl"):
        grid = [int(g.get(f"{W}w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert len(grid) == 6
        assert sum(grid) == 9072  # 21 cm - 2 × 2.5 cm
        assert grid == GEOMETRY.column_twips()  # the page model's widths, in twips
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        assert {etree.QName(b).localname for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
        assert all(b.get(f"{W}val") == "single" for b in borders)
        for tr in tbl.findall(f"{W}tr"):
            column = 0
            for tc in tr.findall(f"{W}tc"):
                span = grid_span(tc)
                assert int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(grid[column:column + span])
                column += span
            assert column == 6


def test_kai_east_asian_font_everywhere(sample_docx):
    with zipfile.ZipFile(sample_docx) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        document_xml = archive.read("word/document.xml").decode("utf-8")
        headers = [archive.read(n).decode("utf-8") for n in archive.namelist() if re.match(r"word/(header|footer)\d*\.xml", n)]
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    root = etree.fromstring(styles.encode("utf-8"))
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "標楷體" and fonts.get(f"{W}ascii") == "Times New Roman"
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-TW"
    used = {"Normal", "Heading1", "TableText", "TOC1", "Header", "Footer"}
    by_id = {s.get(f"{W}styleId"): s for s in root.findall(f"{W}style")}
    assert used <= set(by_id)
    for style in root.findall(f"{W}style"):
        for rfonts in style.iter(f"{W}rFonts"):
            assert rfonts.get(f"{W}eastAsia") == "標楷體", style.get(f"{W}styleId")
    for style_id in used:
        assert by_id[style_id].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "標楷體"
    body = etree.fromstring(document_xml.encode("utf-8"))
    runs = list(body.iter(f"{W}r"))
    assert runs and all(r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "標楷體" for r in runs)
    assert "Theme" not in document_xml
    assert len(headers) >= 2
    for part in headers:
        tree = etree.fromstring(part.encode("utf-8"))
        for run in tree.iter(f"{W}r"):
            assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "標楷體"


def test_sections_a4_and_explicit_page_numbers(document, sample):
    from app.layout import layout as make_layout
    from app.pages import plan_report

    plan = plan_report(make_layout(sample))
    sections = document.sections
    # cover, 目錄, then per department: divider, its blank back, the table, and
    # after an odd-ending table (會計, 政風) a counted blank page
    blanks = [d.blank_after for d in plan.departments[:-1]] + [False]
    assert blanks == [False, False, False, True, False, True, False]
    assert len(sections) == 2 + 3 * 7 + sum(blanks)
    for section in sections:
        assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
        assert round(section.left_margin.cm, 1) == 2.5 and round(section.top_margin.cm, 1) == 2.5
    sect_prs = [s._sectPr for s in sections]
    kinds = [(p.find(f"{W}type").get(f"{W}val") if p.find(f"{W}type") is not None else None) for p in sect_prs]
    assert kinds[0] is None and set(kinds[1:]) == {"nextPage"}  # no odd/even page left to Word's own layout
    starts = [p.find(f"{W}pgNumType") for p in sect_prs]
    assert starts[0] is None and starts[1] is None
    numbers = [int(s.get(f"{W}start")) for s in starts[2:]]
    expected: list[int] = []
    roles: list[str] = []
    for department, blank in zip(plan.departments, blanks):
        expected += [department.start_page, department.start_page + 1, department.start_page]
        roles += ["divider", "back", "table"]
        if blank:
            expected.append(department.end_page + 1)
            roles.append("blank")
    assert numbers == expected
    assert [n for n, role in zip(numbers, roles) if role == "table"] == [1, 11, 17, 23, 25, 29, 31]
    # odd numbers on right-hand pages: every section's first number has the
    # parity its place in the document gives it, so neither Word nor
    # LibreOffice adds a page (the cover and 目錄 are pages 1 and 2)
    physical = 3
    for number, role, department in zip(numbers, roles, [d for d, b in zip(plan.departments, blanks)
                                                       for _ in range(3 + b)]):
        assert number % 2 == physical % 2, (role, number)
        physical += department.table_pages if role == "table" else 1
    # cover and 目錄: no header or footer at all
    for p in sect_prs[:2]:
        assert p.find(f"{W}headerReference") is None and p.find(f"{W}footerReference") is None
    running = f"{sample.office} {sample.roc_year} 年度工作總報告"
    for section, role in zip(sections[2:], roles):
        instructions = "".join(t.text for t in section.footer._element.iter(f"{W}instrText"))
        header = squash(section.header._element.xpath("string(.)"))
        if role != "table":  # dividers, their backs, blank pages: no header, no number
            assert header == "" and "PAGE" not in instructions
            continue
        assert not section.header.is_linked_to_previous
        assert section.header.paragraphs[0].text == running
        footer = section.footer._element
        assert instructions.strip() == "PAGE"
        assert [f.get(f"{W}fldCharType") for f in footer.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
        assert section.footer.paragraphs[0].alignment == 1  # centred


def test_toc_field_with_cached_entries_and_computed_pages(document, sample):
    body = document.element.body
    instr = [t.text for t in body.iter(f"{W}instrText")]
    # built from the TC fields of type D (not from the headings: no \o, \u or \t)
    assert [text.strip() for text in instr if text.strip().startswith("TOC")] == ['TOC \\f D \\l "1-1" \\h \\z']
    toc_paragraphs = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
                      and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TOC1"]
    assert len(toc_paragraphs) == 7
    chars = [f.get(f"{W}fldCharType") for p in toc_paragraphs for f in p.iter(f"{W}fldChar")]
    assert chars == ["begin", "separate", "end"]
    entries = ["".join(cell_text(p)) for p in toc_paragraphs]
    pages = page_plan(sample)
    assert pages == [1, 11, 17, 23, 25, 29, 31]
    lay = layout(sample)
    assert entries == [f"{b.toc_label}\t{n}" for b, n in zip(lay.departments, pages)]
    tab = document.styles["toc 1"].element.find(f"{W}pPr/{W}tabs/{W}tab")
    assert tab.get(f"{W}val") == "right" and tab.get(f"{W}leader") == "dot"
    # the cached entries link to the bookmarks around the TC fields
    anchors = [h.get(f"{W}anchor") for p in toc_paragraphs for h in p.iter(f"{W}hyperlink")]
    assert anchors == [f"_Toc_department_{n}" for n in range(1, 8)]
    # the dividers stay Heading 1 (outline level 1) for Word's navigation pane
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [b.divider for b in lay.departments]
    assert headings[0].text == "民 政 部 門"
    outline = document.styles["Heading 1"].element.find(f"{W}pPr/{W}outlineLvl")
    assert outline.get(f"{W}val") == "0"


def test_cover_page(document, sample):
    texts = [p.text for p in document.paragraphs[:3]]
    assert texts == ["109 年度工作總報告", "嘉義市東區區公所", "中華民國 110 年 3 月"]


def test_one_department_keeps_its_own_number(tmp_path, sample):
    path = tmp_path / "兵役.docx"
    export(sample, "docx", path, department="兵役部門")
    document = docx.Document(str(path))
    tables = document.element.body.findall(f"{W}tbl")
    assert len(tables) == 1
    body = tables[0].findall(f"{W}tr")[2:]
    assert cell_text(body[0].findall(f"{W}tc")[0]) == ["參、兵役部門"]
    block = layout(sample, ["兵役部門"]).departments[0]
    assert len(body) == len(expected_rows(block))
    toc = [p for p in document.paragraphs if p.style.name == "toc 1"]
    assert [p.text for p in toc] == ["三、兵役部門\t1"]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["兵 役 部 門"]


def test_small_report_with_sub_items_and_remark(tmp_path, small):
    path = tmp_path / "small.docx"
    export(small, "docx", path)
    tbl = docx.Document(str(path)).element.body.findall(f"{W}tbl")[0]
    first = tbl.findall(f"{W}tr")[2].findall(f"{W}tc")
    assert cell_text(first[3]) == ["1. 辦理里長補選。", "(1) 東區。", "(2) 西區。"]
    assert cell_text(first[4]) == ["100%"]
    second = tbl.findall(f"{W}tr")[3].findall(f"{W}tc")
    assert cell_text(second[5]) == ["持續辦理"] and cell_text(second[4]) == ["80%"]
    third = tbl.findall(f"{W}tr")[4].findall(f"{W}tc")
    assert cell_text(third[2]) == ["民防團業務"]  # a lone unnumbered 目


def test_cancelled_export_leaves_no_file(tmp_path, sample):
    target = tmp_path / "out.docx"
    calls = []

    def progress(fraction):
        calls.append(fraction)
        if fraction >= 0.4:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export(sample, "docx", target, progress=progress)
    assert calls and not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_exports_docx_and_refuses_a_missing_folder(tmp_path):
    report = tmp_path / "s.awr"
    run = lambda *args: subprocess.run([sys.executable, "-m", "app", *args], cwd=PROJECT_ROOT,
                                       capture_output=True, text=True, timeout=120)
    assert run("sample", str(report)).returncode == 0
    out = tmp_path / "out.docx"
    done = run("export", str(report), "-f", "docx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert len(docx.Document(str(out)).tables) == 7
    missing = tmp_path / "沒有這個資料夾" / "out.docx"
    failed = run("export", str(report), "-f", "docx", "-o", str(missing))
    assert failed.returncode == 2
    assert "資料夾" in failed.stderr and "Traceback" not in failed.stderr
    assert not missing.parent.exists()


# ---------------------------------------------------------------------------
# rendering with LibreOffice (installed here and by the CI script: no skip)


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y from the top of the page, text) of every text piece on a PDF page."""
    height = float(page.mediabox.height)
    pieces = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((x, height - y, text))

    page.extract_text(visitor_text=visit)
    return pieces


def column_text(reader: PdfReader, column: int, pages: range, body_top: float) -> str:
    """The whitespace-free text of one table column, page after page, top to bottom."""
    from app.pages import GEOMETRY

    edges = [GEOMETRY.margin]
    for width in GEOMETRY.column_widths():
        edges.append(edges[-1] + width)
    out = []
    for index in pages:
        lines: dict[int, list[tuple[float, str]]] = {}
        for x, y, text in positioned_text(reader.pages[index]):
            if edges[column] - 1 <= x < edges[column + 1] - 1 and body_top < y < GEOMETRY.height - GEOMETRY.margin + 2:
                lines.setdefault(round(y), []).append((x, text))
        for y in sorted(lines):
            out.append("".join(t for _, t in sorted(lines[y])))
    return squash("".join(out))


# The published report's numbering (docs/official-layout.md): the sample's
# 目錄 and the number of table pages of each department.
SEED_TOC = [1, 11, 17, 23, 25, 29, 31]
SEED_TABLE_PAGES = [10, 6, 6, 1, 4, 1, 11]


def printed_numbers(reader: PdfReader) -> list[str | None]:
    """The page number printed in the footer of each page (None where none is)."""
    from app.pages import GEOMETRY

    foot = GEOMETRY.height - GEOMETRY.margin
    numbers: list[str | None] = []
    for page in reader.pages:
        found = [t.strip() for x, y, t in positioned_text(page) if y > foot and t.strip()]
        numbers.append("".join(found) or None)
    return numbers


def department_pages(reader: PdfReader, report) -> tuple[list[int], list[list[int]], list[str | None]]:
    """(divider page index, table page indexes, printed numbers) of every department."""
    texts = [normalise(page.extract_text()) for page in reader.pages]
    lay = layout(report)
    dividers = [next(i for i, t in enumerate(texts) if t == b.divider) for b in lay.departments]
    ends = dividers[1:] + [len(texts)]
    tables = [[i for i in range(start + 1, end) if "計畫名稱" in texts[i]] for start, end in zip(dividers, ends)]
    return dividers, tables, printed_numbers(reader)


def check_rendered_pdf(pdf: Path, report) -> tuple[list[int], list[int]]:
    """Shared by the LibreOffice renderings and the program's own PDF: returns the
    printed number of each department's first table page and its number of table pages.

    Cover, 目錄, dividers and blank pages carry no number; table pages are
    numbered on from 1, each table starting on an odd page; the 目錄 lists
    each department's first table page; every entry and percentage is in its
    column."""
    from app.pages import GEOMETRY, plan_report

    reader = PdfReader(str(pdf))
    texts = [normalise(page.extract_text()) for page in reader.pages]
    lay = layout(report)
    dividers, tables, numbers = department_pages(reader, report)
    table_pages = {i for pages in tables for i in pages}
    for index, number in enumerate(numbers):
        assert (number is not None) == (index in table_pages), (index, number)
    printed = [int(numbers[pages[0]]) for pages in tables]
    assert all(number % 2 == 1 for number in printed)
    # numbers run on through the tables, a counted blank page after an odd-ending one
    flat = [int(numbers[i]) for pages in tables for i in pages]
    expected, n = [], 1
    for pages in tables:
        expected += list(range(n, n + len(pages)))
        n += len(pages) + len(pages) % 2
    assert flat == expected
    # the 目錄 lists exactly those pages
    toc_index = next(i for i, t in enumerate(texts) if "目錄" in t and "一、" in t)
    toc = squash(texts[toc_index])
    listed = [int(m.group(2)) for m in re.finditer(r"[一二三四五六七八九十]+、(\w+?部門)\.+(\d+)", toc)]
    assert listed == printed
    # every entry, with its number, and every percentage, in their columns
    plan = plan_report(lay)
    body_top = GEOMETRY.margin + plan.header_height - 1
    ordered = sorted(table_pages)
    progress = column_text(reader, 3, ordered, body_top)
    assert progress == squash("".join(line for b in lay.departments for s in b.sections
                                      for it in s.items for row in it.rows for line in row.lines))
    completion = column_text(reader, 4, ordered, body_top)
    assert completion == "".join(completion_text(row.completion) for b in lay.departments
                                 for s in b.sections for it in s.items for row in it.rows)
    labels = column_text(reader, 2, ordered, body_top)
    assert labels == squash("".join(it.label for b in lay.departments for s in b.sections for it in s.items))
    return printed, [len(pages) for pages in tables]


# 標楷體 is a Windows font: the renderings map it to TW-Kai (全字庫正楷體,
# fonts-cns11643-kai) as a Linux user's fontconfig would, so that LibreOffice
# sets the text in the Kai metrics the page model counts with.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>標楷體</family><prefer><family>TW-Kai</family></prefer></alias>
</fontconfig>
"""


def convert_with_libreoffice(source: Path, outdir: Path) -> Path:
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    conf = outdir / "fonts.conf"
    conf.write_text(FONTS_CONF, encoding="utf-8")
    # blank pages kept, so that the PDF's pages are the printed pages
    filter_options = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", filter_options,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300, env=dict(os.environ, FONTCONFIG_FILE=str(conf)),
    )
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.exists()
    return pdf


def test_libreoffice_rendering_matches_the_computed_table_of_contents(sample_docx, tmp_path, sample):
    """Done when (issue 16): LibreOffice's rendering of the .docx prints the
    published report's numbers — 目錄 1/11/17/23/25/29/31, each the printed
    number of that department's first table page, tables of 10/6/6/1/4/1/11 pages."""
    pdf = convert_with_libreoffice(sample_docx, tmp_path)
    printed, counts = check_rendered_pdf(pdf, sample)
    print("LibreOffice (.docx): 目錄", printed, "table pages", counts)
    assert printed == SEED_TOC and counts == SEED_TABLE_PAGES
    # app.xml's page count is the rendered one (blank pages kept)
    app = etree.fromstring(parts(sample_docx)["docProps/app.xml"])
    pages = app.findtext("{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Pages")
    assert int(pages) == len(PdfReader(str(pdf)).pages)
    # the cached 目錄 entries are links to the TC fields' bookmarks: the tables' first
    # pages, just after each divider and its blank back
    reader = PdfReader(str(pdf))
    index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    texts = [page.extract_text() for page in reader.pages]
    toc = next(i for i, t in enumerate(texts) if "一、民政部門" in t)
    targets = sorted(index[a.get_object()["/Dest"][0].idnum] for a in reader.pages[toc]["/Annots"])
    dividers = [next(i for i, t in enumerate(texts) if b.divider in t) for b in layout(sample).departments]
    assert targets == [d + 2 for d in dividers]
    texts = [page.extract_text() for page in PdfReader(str(pdf)).pages]
    assert squash(texts[0]) == squash("109 年度工作總報告 嘉義市東區區公所 中華民國 110 年 3 月")
    first = next(i for i, t in enumerate(texts) if "民 政 部 門" in t)
    assert first == 2 and texts[first + 1].strip() == ""  # the divider's blank back
    # the running header on table pages, never on the cover, 目錄, dividers or blank pages
    assert "嘉義市東區區公所 109 年度工作總報告" in texts[first + 2]
    for t in texts:
        if "嘉義市東區區公所 109 年度工作總報告" in t:
            assert "計畫名稱" in t
    assert all("年度工作總報告" not in t or "目錄" in t or i == 0 for i, t in enumerate(texts[:first + 2]))


def test_line_breaking_keeps_every_character_and_the_width():
    from app.textmetrics import model_advance, wrap

    long_words = "中文中" + "A" * 60 + "結束。見 https://www.example.com/very/long/path/that/does/not/fit 中文"
    ordinary = "本所每週三定期召開里幹事工作會報，並請各主管列席參加，計 35 次，3115 人次（嘉義市和平路84號）。"
    for width in (3, 5, 10, 16.9):
        for text in (long_words, ordinary):
            lines = wrap(text, width)
            assert squash("".join(lines)) == squash(text)
            for line in lines:
                # past the edge only by what kinsoku carries along, never by a whole word
                assert sum(model_advance(c) for c in line) <= width + 2.5, (width, line)
    for width in (5, 10, 16.9):
        assert not any(line[:1] in "，。、）" for line in wrap(ordinary, width) if line)
    assert wrap("a\nb", 10) == ["a", "b"] and wrap("", 10) == [""]


# --- F9 in Word: the TOC field rebuilds from TC fields ----------------------

def test_each_table_carries_its_toc_entry_as_a_hidden_tc_field(document, sample):
    """Updating the field (F9) lists 「一、民政部門」 and the table's first page, as the cached entry."""
    lay = layout(sample)
    tables = document.element.body.findall(f"{W}tbl")
    assert len(tables) == len(lay.departments)
    for n, (table, block) in enumerate(zip(tables, lay.departments), start=1):
        first_body_cell = table.findall(f"{W}tr")[2].find(f"{W}tc")
        paragraph = first_body_cell.find(f"{W}p")
        instr = [t.text.strip() for t in paragraph.iter(f"{W}instrText")]
        assert instr == [f'TC "{block.toc_label}" \\f D \\l 1']
        chars = [f.get(f"{W}fldCharType") for f in paragraph.iter(f"{W}fldChar")]
        assert chars == ["begin", "end"]  # no result: nothing is printed
        for run in paragraph.findall(f"{W}r"):
            if run.find(f"{W}fldChar") is not None or run.find(f"{W}instrText") is not None:
                assert run.find(f"{W}rPr/{W}vanish") is not None  # hidden, as Word formats TC fields
        names = [b.get(f"{W}name") for b in paragraph.iter(f"{W}bookmarkStart")]
        assert names == [f"_Toc_department_{n}"]
        assert squash(cell_text(first_body_cell)[0]) == squash(block.label)  # the label shows alone
    all_tc = [t.text for t in document.element.body.iter(f"{W}instrText") if t.text.strip().startswith("TC")]
    assert len(all_tc) == len(lay.departments)


# --- package properties -------------------------------------------------------

def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_core_and_app_properties_are_the_reports(sample_docx, sample):
    import datetime

    from app.exporters.docx import docx_page_count
    from app.pages import plan_report

    package = parts(sample_docx)
    core = etree.fromstring(package["docProps/core.xml"])
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}

    def one(path):
        return core.findtext(path, namespaces=ns)

    assert one("dc:title") == "嘉義市東區區公所 109 年度工作總報告"
    assert one("dc:creator") == "嘉義市東區區公所" and one("cp:lastModifiedBy") == "嘉義市東區區公所"
    assert one("dc:language") == "zh-TW"
    assert one("dc:description") in ("", None)
    created = datetime.datetime.strptime(one("dcterms:created"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(0) <= now - created < datetime.timedelta(hours=2)  # the export's time, not 2013
    assert one("dcterms:modified") == one("dcterms:created")
    app = etree.fromstring(package["docProps/app.xml"])
    e = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{e}Company") == "嘉義市東區區公所"
    assert "Word" not in app.findtext(f"{e}Application") and "workreport" in app.findtext(f"{e}Application")
    pages = int(app.findtext(f"{e}Pages"))
    assert pages == docx_page_count(plan_report(layout(sample))) == 57  # cover, 目錄, dividers and their backs, 42 numbered pages
    for blob in package.values():
        assert b"python-docx" not in blob and b"Macintosh" not in blob


def test_word_2013_mode_zh_tw_language_and_only_our_two_fonts(sample_docx):
    package = parts(sample_docx)
    settings = etree.fromstring(package["word/settings.xml"])
    modes = [c.get(f"{W}val") for c in settings.iter(f"{W}compatSetting") if c.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]  # Word 2013 and later: no 相容模式
    lang = settings.find(f"{W}themeFontLang")
    assert lang.get(f"{W}eastAsia") == "zh-TW"
    styles = etree.fromstring(package["word/styles.xml"])
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}eastAsia") == "zh-TW"
    fonts = etree.fromstring(package["word/fontTable.xml"])
    table = {f.get(f"{W}name"): f for f in fonts.findall(f"{W}font")}
    assert set(table) == {"標楷體", "Times New Roman"}
    kai = table["標楷體"]
    assert kai.find(f"{W}altName").get(f"{W}val") == "DFKai-SB"
    assert kai.find(f"{W}charset").get(f"{W}val") == "88"  # Big5
    assert kai.find(f"{W}family").get(f"{W}val") == "script"
    assert kai.find(f"{W}pitch").get(f"{W}val") == "fixed"
    assert kai.find(f"{W}panose1").get(f"{W}val") == "03000509000000000000"
    # every font any part names is one of the two; no other language; no template leftovers
    named = set()
    for name, blob in package.items():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(blob)
        for element in root.iter():
            for attribute, value in element.attrib.items():
                local = attribute.rsplit("}", 1)[-1]
                if local in ("ascii", "hAnsi", "eastAsia", "cs", "typeface") and element.tag.endswith(("rFonts", "latin", "ea", "cs", "font")):
                    named.add(value)
                if local in ("eastAsia", "val", "bidi") and element.tag.endswith(("lang", "themeFontLang")):
                    assert value in ("zh-TW", "en-US", "ar-SA"), (name, value)
                assert not local.endswith("Theme"), (name, attribute)
    named.discard("")
    assert named == {"標楷體", "Times New Roman"}, named
    names = set(package)
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
    for blob in package.values():
        for leftover in ("ＭＳ 明朝", "ＭＳ ゴシック", "ja-JP", "majorEastAsia", "minorEastAsia", "Cambria", "Calibri"):
            assert leftover.encode("utf-8") not in blob, leftover
