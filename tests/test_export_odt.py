"""The .odt export read back with odfpy, and rendered by LibreOffice to check its pages."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
import zipfile

import pytest
from odf import teletype
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load
from odf.table import Table, TableHeaderRows, TableRow
from odf.text import IndexBody, P, TableOfContent, TableOfContentSource, TocMark
from pypdf import PdfReader

from app.exporters import export
from app.exporters.odt import TABLE_W
from app.layout import HEADER_COMPLETION, HEADER_PLAN, body_plan, layout
from app.pages import plan_report
from app.model import Department, Entry, Item, Report, Section


def hostile_report() -> Report:
    return Report(office="=HYPERLINK(\"x\")", roc_year=112, departments=[Department(name="@部門", sections=[
        Section(title="-2+3", items=[Item(title="+SUM(A1)", entries=[
            Entry(level=1, text="=1+1", completion=100, remark="@x"),
            Entry(level=2, text="+SUM(A1)"),
            Entry(level=1, text="line\x0bbreak\x07bell\x00nul"),
        ])])])])


def text_of(element) -> str:
    return "\n".join(teletype.extractText(p) for p in element.getElementsByType(P))


@pytest.fixture(scope="module")
def sample_odt(tmp_path_factory):
    from app.sample import sample_report

    path = tmp_path_factory.mktemp("odt") / "sample.odt"
    export(sample_report(), "odt", path)
    return path


@pytest.fixture(scope="module")
def doc(sample_odt):
    return load(str(sample_odt))


def test_cover_and_table_of_contents(doc, sample):
    paragraphs = [teletype.extractText(p) for p in doc.text.childNodes if p.qname == (TEXTNS, "p")]
    assert paragraphs[:3] == ["109 年度工作總報告", "嘉義市東區區公所", "中華民國 110 年 3 月"]
    tocs = doc.text.getElementsByType(TableOfContent)
    assert len(tocs) == 1
    source = tocs[0].getElementsByType(TableOfContentSource)[0]
    assert source.getAttrNS(TEXTNS, "use-index-marks") == "true"
    body = tocs[0].getElementsByType(IndexBody)[0]
    entries = [teletype.extractText(p) for p in body.getElementsByType(P)][1:]  # after the title 目錄
    plans = plan_report(layout(sample)).departments
    assert len(entries) == 7
    assert entries == [f"{p.block.toc_label}\t{p.start_page}" for p in plans]
    assert entries[0] == "一、民政部門\t1"
    assert [p.start_page % 2 for p in plans] == [1] * 7
    # the index marks the TOC is built from, one per divider
    marks = [m.getAttrNS(TEXTNS, "string-value") for m in doc.text.getElementsByType(TocMark)]
    assert marks == [p.block.toc_label for p in plans]


def test_styles_fonts_and_pages(sample_odt, sample):
    with zipfile.ZipFile(sample_odt) as z:
        content = z.read("content.xml").decode()
        styles = z.read("styles.xml").decode()
    assert '<style:font-face style:name="標楷體" svg:font-family="標楷體"' in content
    # 標楷體 for Chinese, Times New Roman for Latin letters and digits, as in the .docx
    assert 'style:font-name-asian="標楷體"' in styles and 'style:font-name="Times New Roman"' in styles
    assert 'style:leader-text="."' in styles and 'style:type="right"' in styles
    assert f'style:width="{TABLE_W:.2f}pt"' in content  # the table's own width (odfpy #145)
    assert 'fo:line-height="19.50pt"' in styles  # the page model's exact line pitch
    assert 'fo:keep-together="auto"' in content  # body rows may break across pages, as in the .docx
    assert content.count("style:column-width=") == 6
    # dividers, their backs and blank pages: a master page without header or
    # footer; every block states its page number, the tables on their table style
    assert '<style:master-page style:name="Department" style:page-layout-name="PL_Cover"' in styles
    assert 'style:page-usage' not in styles  # odd/even pages follow from the numbers, not from page styles
    assert 'style:master-page-name="Department"' in content and 'style:master-page-name="Body"' in content
    numbers = [int(n) for n in re.findall(r'style:page-number="(\d+)"', content)]
    plans = plan_report(layout(sample)).departments
    expected = []
    for p in plans:
        expected += [p.start_page, p.start_page + 1, p.start_page]  # divider, back, table
        if p.blank_after and p is not plans[-1]:
            expected.append(p.end_page + 1)  # the counted blank page (after 會計 and 政風)
    assert sorted(numbers) == sorted(expected)
    assert "嘉義市東區區公所 109 年度工作總報告</text:p></style:header>" in styles
    assert "<text:page-number" in styles
    assert '<style:master-page style:name="Cover" style:page-layout-name="PL_Cover" style:display-name="Cover"/>' in styles  # no header/footer


def test_tables_spans_covered_cells_and_text(doc, sample):
    lay = layout(sample)
    tables = doc.text.getElementsByType(Table)
    assert [t.getAttrNS(TABLENS, "name") for t in tables] == [b.name for b in lay.departments]
    entries = 0
    for table, block in zip(tables, lay.departments):
        headers = table.getElementsByType(TableHeaderRows)
        assert len(headers) == 1
        head_rows = headers[0].getElementsByType(TableRow)
        assert len(head_rows) == 2
        assert text_of(head_rows[0].childNodes[0]) == HEADER_PLAN
        assert head_rows[0].childNodes[0].getAttrNS(TABLENS, "number-columns-spanned") == "3"
        assert text_of(head_rows[0].childNodes[4]) == HEADER_COMPLETION
        assert head_rows[0].childNodes[4].getAttrNS(TABLENS, "number-rows-spanned") == "2"
        assert [c.qname[1] for c in head_rows[1].childNodes] == ["table-cell"] * 3 + ["covered-table-cell"] * 3

        rows = [r for r in table.getElementsByType(TableRow) if r not in head_rows]
        plan = body_plan(block)
        assert len(rows) == len(plan)
        covered = set()
        for r, row in enumerate(rows):
            assert len(row.childNodes) == 6
            for c, cell in enumerate(row.childNodes):
                if cell.qname[1] == "table-cell":
                    rs = int(cell.getAttrNS(TABLENS, "number-rows-spanned") or 1)
                    covered |= {(r + i, c) for i in range(1, rs)}
        actual = {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row.childNodes)
                  if cell.qname[1] == "covered-table-cell"}
        assert actual == covered
        assert text_of(rows[0].childNodes[0]) == block.label
        assert rows[0].childNodes[0].getAttrNS(TABLENS, "number-rows-spanned") == str(len(plan))
        for r, body in enumerate(plan):
            cells = rows[r].childNodes
            if body.section is not None:
                assert text_of(cells[1]) == body.section.label
            if body.item is not None:
                assert text_of(cells[2]) == body.item.label
            assert text_of(cells[3]) == body.row.text
            assert text_of(cells[4]) == (f"{body.row.completion}%" if body.row.completion is not None else "")
            entries += len(body.row.entries)
    assert entries == 377


def test_formula_like_text_and_control_characters(tmp_path):
    path = tmp_path / "h.odt"
    export(hostile_report(), "odt", path)
    doc = load(str(path))
    table = doc.text.getElementsByType(Table)[0]
    body = [r for r in table.getElementsByType(TableRow)][2]
    assert [text_of(c) for c in body.childNodes[:4]] == ["壹、@部門", "一、-2+3", "(一) +SUM(A1)", "1. =1+1\n(1) +SUM(A1)"]
    last = [r for r in table.getElementsByType(TableRow)][3]
    assert text_of(last.childNodes[3]) == "2. line\nbreakbellnul"
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml").decode()
    assert "table:formula" not in content and "\x07" not in content


def test_department_option(tmp_path, sample):
    path = tmp_path / "one.odt"
    export(sample, "odt", path, department="兵役部門")
    doc = load(str(path))
    tables = doc.text.getElementsByType(Table)
    assert [t.getAttrNS(TABLENS, "name") for t in tables] == ["兵役部門"]
    toc = doc.text.getElementsByType(TableOfContent)[0].getElementsByType(IndexBody)[0]
    assert [teletype.extractText(p) for p in toc.getElementsByType(P)][1:] == ["三、兵役部門\t1"]


# --- LibreOffice rendering ---------------------------------------------------

# 標楷體 (DFKai-SB) is a Windows font; on Linux LibreOffice would replace it
# with whatever fontconfig offers (Noto Sans CJK + DejaVu, whose Latin is
# wider).  The page estimate is made for Kai metrics, so the rendering test
# maps 標楷體 to TW-Kai (fonts-cns11643-kai, tools/deps-debian) as a Linux
# user's fontconfig would.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>標楷體</family><prefer><family>TW-Kai</family></prefer></alias>
</fontconfig>
"""


def render_pdf(source, outdir, env_extra=None):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required for the rendering tests"
    profile = outdir / f"lo-{uuid.uuid4().hex}"
    env = dict(os.environ, **(env_extra or {}))
    # Blank pages inserted for right-hand starts are kept so that PDF page
    # numbers are printed page numbers.
    target = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, env=env,
    )
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.exists(), result.stderr + result.stdout
    shutil.rmtree(profile, ignore_errors=True)
    return PdfReader(str(pdf))


@pytest.fixture(scope="module")
def rendered_path(sample_odt, tmp_path_factory):
    outdir = tmp_path_factory.mktemp("odt_pdf")
    conf = outdir / "fonts.conf"
    conf.write_text(FONTS_CONF, encoding="utf-8")
    render_pdf(sample_odt, outdir, {"FONTCONFIG_FILE": str(conf)})
    return outdir / (sample_odt.stem + ".pdf")


@pytest.fixture(scope="module")
def rendered(rendered_path):
    return PdfReader(str(rendered_path))


def test_rendered_numbers_are_the_published_reports(rendered_path, sample):
    """Done when (issue 16): LibreOffice's rendering of the .odt prints the
    published report's numbers — 目錄 1/11/17/23/25/29/31, each the printed
    number of that department's first table page, tables of 10/6/6/1/4/1/11 pages."""
    from test_export_docx import SEED_TABLE_PAGES, SEED_TOC, check_rendered_pdf

    printed, counts = check_rendered_pdf(rendered_path, sample)
    print("LibreOffice (.odt): 目錄", printed, "table pages", counts)
    assert printed == SEED_TOC and counts == SEED_TABLE_PAGES
    assert printed == [p.start_page for p in plan_report(layout(sample)).departments]


def test_rendered_cover_toc_and_dividers(rendered, sample):
    pages = [page.extract_text() for page in rendered.pages]
    plans = plan_report(layout(sample)).departments
    dividers = [i for i, text in enumerate(pages) for p in plans if text.strip() == p.block.divider]
    assert len(dividers) == 7 and dividers[0] == 2
    for index in dividers:
        assert pages[index + 1].strip() == ""  # the divider's blank back, then its table
        assert pages[index + 2].strip().startswith("嘉義市東區區公所 109 年度工作總報告")
    # cover and TOC carry no header or page number
    assert "工作總報告" in pages[0] and "嘉義市東區區公所 109 年度工作總報告" not in pages[0]
    assert pages[1].strip().startswith("109 年度工作總報告目錄")  # the published report's title
    # the TOC page shows the cached entries
    assert "一、民政部門" in pages[1] and "七、行政部門" in pages[1]
    # the dividers carry no running header (their own page style), the table pages do
    for index in dividers:
        assert "年度工作總報告" not in pages[index], pages[index]
        assert "嘉義市東區區公所 109 年度工作總報告" in pages[index + 2]


def grey_page(pdf, page: int, tmp_path, dpi: int = 300) -> tuple[int, int, bytes]:
    """One page of ``pdf`` as 8-bit grey pixels (pdftoppm's PGM)."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1),
                    str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    data = next(tmp_path.glob("page*.pgm")).read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def line_widths(counts: list[int], threshold: int) -> list[int]:
    """Widths of the runs of positions whose dark-pixel count passes ``threshold``."""
    runs, run = [], 0
    for count in counts + [0]:
        if count >= threshold:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return runs


def test_rendered_borders_are_single_lines(rendered_path, rendered, tmp_path):
    """Adjacent cells share one 0.5 pt border: every inner line is as thin as the outer ones."""
    pages = [page.extract_text() for page in rendered.pages]
    index = next(i for i, t in enumerate(pages) if "計畫名稱" in t)
    width, height, pixels = grey_page(rendered_path, index, tmp_path)
    ink = bytes(1 if value < 128 else 0 for value in range(256))
    pixels = pixels[:width * height].translate(ink)
    columns = [pixels[x::width].count(1) for x in range(width)]
    rows = [pixels[y * width:(y + 1) * width].count(1) for y in range(height)]
    verticals = line_widths(columns, height // 2)  # lines running down most of the page
    horizontals = line_widths(rows, width // 2)  # lines across most of the table
    assert len(verticals) == 7, verticals  # the table's left edge, five inner lines, its right edge
    # lines across most of the table: the header rows' and those under full-width rows
    assert len(horizontals) >= 4, horizontals
    outer = verticals[0]  # a 0.5 pt line is about 2 pixels at 300 dpi
    assert outer <= 3
    assert all(abs(w - outer) <= 1 for w in verticals + horizontals), (verticals, horizontals)


def test_rendered_tables_repeat_headers_and_show_all_text(rendered, sample):
    pages = [page.extract_text() for page in rendered.pages]
    table_pages = [t for t in pages if "計畫名稱" in t]
    assert len(table_pages) >= 30
    for text in table_pages:
        assert text.strip().startswith("嘉義市東區區公所 109 年度工作總報告")
    # Rows break across pages as in the .docx: a line may start at the foot
    # of one page and end at the top of the next, under the repeated header
    # rows (and beside the rest of a merged 項/目 label; its 完成程度 may
    # follow it on the first page).
    header = "".join("嘉義市東區區公所 109 年度工作總報告 計畫名稱 辦理情形 完成程度百分比 備註 類 項 目".split())
    bodies = []
    for text in pages:
        squashed = "".join(text.split())
        if squashed.startswith(header):
            squashed = squashed[len(header):]
        bodies.append(squashed.rstrip("0123456789"))
    joined = "".join(bodies)

    def shown(needle: str) -> bool:
        if needle in joined:
            return True
        # (the rest of a continued 目 label may come first on the next page)
        return any(needle[:k] in bodies[i][-30:] and needle[k:] in bodies[i + 1][:40]
                   for i in range(len(bodies) - 1) for k in range(1, len(needle)))

    for block in layout(sample).departments:
        for section in block.sections:
            for item in section.items:
                for row in item.rows:
                    for line in row.lines:
                        assert shown("".join(line.split())[:20]), line
