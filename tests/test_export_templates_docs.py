""".docx and .odt of reports in the non-default built-in templates (issue 19), read back cell by cell
with python-docx / odfpy, and rendered by LibreOffice (app/exporters/docx_template.py, odt_template.py)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from lxml import etree
from odf import teletype
from odf.namespaces import FONS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import load
from odf.style import PageLayoutProperties
from odf.table import Table, TableRow
from odf.text import Bookmark, BookmarkRef, H, P
from pypdf import PdfReader

from app.exporters import export
from app.exporters.docx_template import column_twips
from template_reports import BUDGET, BUILDERS, KPI, NARRATIVE, budget_report

# The tables as the published examples set them out.  A cell: text, or (text, columns, rows);
# "^" is covered by the cell above, "<" by the cell to its left.
BUDGET_HEADER = [
    [("項次", 1, 2), ("重大計畫活動名稱", 1, 2), ("辦理課室", 1, 2), ("經費來源", 1, 2), ("補助機關名稱", 1, 2),
     ("預算執行情形", 3, 1), "<", "<", ("計畫成果及執行效益", 1, 2)],
    ["^", "^", "^", "^", "^", "預算金額", "執行金額", "執行率", "^"],
]
BUDGET_BODY = [
    [("壹、民政業務", 9, 1)] + ["<"] * 8,
    ["1", "辦理區政業務研習", "民政課", "■市庫負擔 □補助款", "", "120,000", "118,500", "98.8%",
     "辦理研習 2 場，參加人數 150 人，滿意度 92%。"],
    ["2", "老舊里活動中心修繕", "民政課", "■市庫負擔 ■補助款", "內政部", "3,500,000", "3,150,000", "90.0%",
     "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"],
    [("貳、社會業務", 9, 1)] + ["<"] * 8,
    ["1", "獨居長者關懷訪視", "社會課", "□市庫負擔 ■補助款", "嘉義市政府社會處", "由其他項目下勻支", "45,200", "",
     "訪視 1,230 人次。"],
]
KPI_HEADER = [["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"]]
KPI_BODY = [
    [("壹、便民服務", 7, 1)] + ["<"] * 6,
    [("一、提升為民服務品質", 1, 2), "民眾滿意度", "問卷調查滿意以上人數 ÷ 受訪人數", "20%", "90", "93", "103%"],
    ["^", "案件如期辦結率", "如期辦結件數 ÷ 總件數", "15%", "98", "97", "99%"],
    ["二、推動數位便民", "線上申辦件數", "全年線上申辦件數", "10%", "1,200", "1,530", "127%"],
    [("貳、區政建設", 7, 1)] + ["<"] * 6,
    ["一、改善社區環境", "社區環境改造處數", "完成改造處數", "25%", "4", "", ""],
]
TABLES = {BUDGET: (BUDGET_HEADER, BUDGET_BODY), KPI: (KPI_HEADER, KPI_BODY)}
# column alignment per template column (serial centre, money right …)
ALIGNS = {BUDGET: ["center", "left", "center", "left", "left", "right", "right", "right", "left"],
          KPI: ["left", "left", "left", "center", "right", "right", "right"]}
WIDTHS = {BUDGET: [5, 17, 8, 10, 8, 10, 10, 7, 25], KPI: [16, 18, 24, 8, 11, 11, 12]}

# The narrative after its 目錄: (kind, text); kind = heading level, "divider" or "text"
NARRATIVE_BODY = [
    ("divider", "民 政 部 門"), (1, "壹、民政部門"), (2, "民政處部分"), (3, "甲、自治行政業務"),
    ("text", "一、里鄰管理"), ("text", "(一)辦理里鄰長研習"), ("text", "1.上半年辦理 2 場，計 320 人參加。"),
    ("text", "(1)里長 84 人"), ("text", "(2)鄰長 236 人"), ("text", "2.下半年辦理 1 場。"),
    ("text", "(二)里辦公處聯繫會報"), ("text", "全年共召開 12 次，列管案件均已辦結。"),
    (3, "乙、宗教禮俗業務"), ("text", "一、寺廟登記"), ("text", "(一)輔導寺廟辦理登記 5 件。"),
    (2, "東區區公所部分"), (3, "甲、區政業務"), ("text", "一、辦理區務會議 4 次。"),
    ("divider", "財 政 部 門"), (1, "貳、財政部門"), (2, "財政處部分"), (3, "甲、公庫業務"),
    ("text", "公庫收支均依法辦理。"),
]
NARRATIVE_CONTENTS = ["壹、民政部門", "民政處部分", "東區區公所部分", "貳、財政部門", "財政處部分"]


def docx_cells(expected: list[list]) -> list[list[tuple[str, int, str | None]]]:
    """The expected table as Word holds it: (text, gridSpan, vMerge) per w:tc."""
    rows = []
    for row in expected:
        cells = []
        for cell in row:
            if cell == "<":
                continue
            if cell == "^":
                cells.append(("", 1, "continue"))
                continue
            text, cols, span = cell if isinstance(cell, tuple) else (cell, 1, 1)
            cells.append((text, cols, "restart" if span > 1 else None))
        rows.append(cells)
    return rows


def odt_cells(expected: list[list]) -> list[list]:
    """The expected table as ODF holds it: (text, columns spanned, rows spanned) or "covered"."""
    return [["covered" if cell in ("^", "<") else (cell if isinstance(cell, tuple) else (cell, 1, 1))
             for cell in row] for row in expected]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("template_docs")
    paths = {}
    for name, build in BUILDERS.items():
        for fmt in ("docx", "odt"):
            path = out / f"{build.__name__.replace('_report', '')}.{fmt}"
            export(build(), fmt, path)
            paths[name, fmt] = path
    return paths


# --- .docx ------------------------------------------------------------------------------------


def tc_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))


def tc_span(tc) -> int:
    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    return int(span.get(qn("w:val"))) if span is not None else 1


def tc_vmerge(tc) -> str | None:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def tc_align(tc) -> str:
    jc = tc.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
    return jc.get(qn("w:val")) if jc is not None else "left"


@pytest.mark.parametrize("name", [BUDGET, KPI])
def test_docx_table_cell_by_cell(exported, name):
    document = docx.Document(str(exported[name, "docx"]))
    assert len(document.tables) == 1  # one table for the whole report, as published
    table = document.tables[0]._tbl
    header, body = TABLES[name]
    rows = [[(tc_text(tc), tc_span(tc), tc_vmerge(tc)) for tc in tr.findall(qn("w:tc"))] for tr in table.findall(qn("w:tr"))]
    assert rows == docx_cells(header + body)
    # the header rows repeat on every page; the body rows do not
    repeated = [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in table.findall(qn("w:tr"))]
    assert repeated == [True] * len(header) + [False] * len(body)
    # widths: the template's hundredths of the landscape text width (24.7 cm)
    grid = [int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol"))]
    total = round((29.7 - 5.0) / 2.54 * 1440)
    assert abs(sum(grid) - total) <= 2
    assert grid == column_twips([w / 100 for w in WIDTHS[name]], sum(grid))
    # each data row's cells aligned as the template's columns say
    for tr, expected in zip(table.findall(qn("w:tr"))[len(header):], body):
        if isinstance(expected[0], tuple) and expected[0][1] > 1:
            continue  # a heading row
        assert [tc_align(tc) for tc in tr.findall(qn("w:tc"))] == ALIGNS[name]


@pytest.mark.parametrize("name", [BUDGET, KPI, NARRATIVE])
def test_docx_pages_cover_header_and_metadata(exported, name):
    report = BUILDERS[name]()
    document = docx.Document(str(exported[name, "docx"]))
    landscape = name != NARRATIVE
    for section in document.sections:
        assert (section.orientation == WD_ORIENT.LANDSCAPE) is landscape
        assert (section.page_width > section.page_height) is landscape
    paragraphs = [p.text for p in document.paragraphs if p.text]
    values = {"office": report.office, "roc_year": "113", "published": "中華民國 114 年 3 月"}
    template = report.template
    assert paragraphs[:1 + len(template.cover.lines)] == [template.title_text(values), *template.cover_lines(values)]
    header = template.running_header_text(values)
    headers = {s.header.paragraphs[0].text for s in document.sections if not s.header.is_linked_to_previous}
    assert header in headers
    footer_xml = etree.tostring(document.sections[-1].footer._element, encoding="unicode")
    assert " PAGE " in footer_xml
    # numbering starts at 1 on the first page after the cover (and the 目錄)
    starts = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    assert [int(s.get(qn("w:start"))) for s in starts if s is not None] == [1]
    assert document.core_properties.title == header
    assert document.core_properties.language == "zh-TW"
    assert document.core_properties.author == report.office
    styles = zipfile.ZipFile(exported[name, "docx"]).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="標楷體"' in styles and 'w:eastAsia="zh-TW"' in styles


def test_docx_narrative_headings_paragraphs_and_contents(exported):
    document = docx.Document(str(exported[NARRATIVE, "docx"]))
    kinds = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if not paragraph.text:
            continue
        if style.startswith("Heading "):
            kinds.append((int(style[-1]), paragraph.text))
        elif style == "Divider":
            kinds.append(("divider", paragraph.text))
        elif style == "Report Text":
            kinds.append(("text", paragraph.text))
    assert kinds == NARRATIVE_BODY
    # Word's built-in heading styles (標題 1/2/3 in a zh-TW Word) with their outline levels
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        assert style.element.get(qn("w:styleId")) == f"Heading{level}"
        assert style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == str(level - 1)
    # hanging indents: each numbered level's text starts where the next level's number does
    indents = {p.text: p.paragraph_format for p in document.paragraphs if p.style.name == "Report Text" and p.text}
    em = 14 * 12700  # EMU per em at 14 pt
    first, second, third = indents["一、里鄰管理"], indents["(一)辦理里鄰長研習"], indents["1.上半年辦理 2 場，計 320 人參加。"]
    assert round(first.left_indent / em, 2) == 2.0 and round(first.first_line_indent / em, 2) == -2.0
    assert round(second.left_indent / em, 2) == 4.0 and round(second.first_line_indent / em, 2) == -2.0
    assert round(third.left_indent / em, 2) == 5.0 and round(third.first_line_indent / em, 2) == -1.0
    paragraph = indents["全年共召開 12 次，列管案件均已辦結。"]
    assert paragraph.first_line_indent > 0  # an unnumbered paragraph: first line indented
    # the 目錄: a line per heading of the top two levels, its page a PAGEREF to the heading's bookmark
    toc = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert [p.text.split("\t")[0] for p in toc] == NARRATIVE_CONTENTS  # then a tab and the page
    assert [p.style.name for p in toc] == ["toc 1", "toc 2", "toc 2", "toc 1", "toc 2"]
    body = document.element.body
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    for p in toc:
        instruction = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        target = re.search(r"PAGEREF (\S+)", instruction).group(1)
        heading = bookmarks[target]
        assert "".join(t.text for t in heading.iter(qn("w:t"))) == p.text.split("\t")[0]
    settings = zipfile.ZipFile(exported[NARRATIVE, "docx"]).read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings


# --- .odt -------------------------------------------------------------------------------------


def odt_rows(table) -> list[list]:
    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.childNodes:
            if cell.qname == (TABLENS, "covered-table-cell"):
                cells.append("covered")
            elif cell.qname == (TABLENS, "table-cell"):
                text = "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
                cols = int(cell.getAttrNS(TABLENS, "number-columns-spanned") or 1)
                span = int(cell.getAttrNS(TABLENS, "number-rows-spanned") or 1)
                cells.append((text, cols, span))
        rows.append(cells)
    return rows


@pytest.mark.parametrize("name", [BUDGET, KPI])
def test_odt_table_cell_by_cell(exported, name):
    document = load(str(exported[name, "odt"]))
    tables = document.text.getElementsByType(Table)
    assert len(tables) == 1
    header, body = TABLES[name]
    assert odt_rows(tables[0]) == odt_cells(header + body)
    header_rows = [n for n in tables[0].childNodes if n.qname == (TABLENS, "table-header-rows")]
    assert len(header_rows) == 1  # repeated on every page
    assert len(odt_rows(header_rows[0])) == len(header)
    layouts = document.automaticstyles.getElementsByType(PageLayoutProperties)
    assert {p.getAttrNS(STYLENS, "print-orientation") for p in layouts} == {"landscape"}
    for props in layouts:
        width = float(props.getAttrNS(FONS, "page-width")[:-2])
        height = float(props.getAttrNS(FONS, "page-height")[:-2])
        assert width > height


def test_odt_narrative_headings_and_contents(exported):
    document = load(str(exported[NARRATIVE, "odt"]))
    kinds = []
    styles = {s.getAttrNS(STYLENS, "name"): s for s in document.automaticstyles.childNodes + document.styles.childNodes
              if s.qname == (STYLENS, "style")}

    known = ("Divider", "Report_Text", "Heading_20_1", "Heading_20_2", "Heading_20_3")

    def base_style(name):  # the common style an automatic one (an indent, a page start) is of
        style = styles[name]
        while style.getAttrNS(STYLENS, "parent-style-name") and name not in known:
            name = style.getAttrNS(STYLENS, "parent-style-name")
            style = styles[name]
        return name

    for node in document.text.childNodes:
        if node.qname == (TEXTNS, "h"):
            kinds.append((int(node.getAttrNS(TEXTNS, "outline-level")), teletype.extractText(node)))
            assert base_style(node.getAttrNS(TEXTNS, "style-name")) == f"Heading_20_{kinds[-1][0]}"
        elif node.qname == (TEXTNS, "p"):
            base = base_style(node.getAttrNS(TEXTNS, "style-name"))
            if base == "Divider":
                kinds.append(("divider", teletype.extractText(node)))
            elif base == "Report_Text":
                kinds.append(("text", teletype.extractText(node)))
    assert kinds == NARRATIVE_BODY
    assert styles["Heading_20_1"].getAttrNS(STYLENS, "display-name") == "Heading 1"
    refs = document.text.getElementsByType(BookmarkRef)
    assert len(refs) == len(NARRATIVE_CONTENTS)
    assert {r.getAttrNS(TEXTNS, "reference-format") for r in refs} == {"page"}
    headings = {h.getElementsByType(Bookmark)[0].getAttrNS(TEXTNS, "name"):
                teletype.extractText(h) for h in document.text.getElementsByType(H)}
    assert [headings[r.getAttrNS(TEXTNS, "ref-name")] for r in refs] == NARRATIVE_CONTENTS
    meta = zipfile.ZipFile(exported[NARRATIVE, "odt"]).read("meta.xml").decode("utf-8")
    assert "<dc:language>zh-TW</dc:language>" in meta and "<dc:title>嘉義市政府施政報告</dc:title>" in meta


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_one_department_alone(tmp_path, fmt):
    path = tmp_path / f"one.{fmt}"
    export(budget_report(), fmt, path, department="社會業務")
    if fmt == "docx":
        table = docx.Document(str(path)).tables[0]._tbl
        rows = [[tc_text(tc) for tc in tr.findall(qn("w:tc"))] for tr in table.findall(qn("w:tr"))]
    else:
        rows = [[c if c == "covered" else c[0] for c in row]
                for row in odt_rows(load(str(path)).text.getElementsByType(Table)[0])]
        rows = [[c for c in row if c != "covered"] for row in rows]
    assert [row[0] for row in rows[2:]] == ["貳、社會業務", "1"]


def test_the_default_template_still_takes_the_calibrated_path(tmp_path):
    """The 109 layout's exporters are untouched: its .docx has a table per department and a TOC field."""
    from app.sample import sample_report

    path = tmp_path / "sample.docx"
    export(sample_report(), "docx", path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert 'TOC \\f D' in xml and "PAGEREF" not in xml
    assert len(docx.Document(str(path)).tables) == len(sample_report().departments)


# --- rendered by LibreOffice ------------------------------------------------------------------

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>標楷體</family><prefer><family>TW-Kai</family></prefer></alias>
</fontconfig>
"""


def render(source, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required for the rendering tests"
    profile = outdir / f"lo-{uuid.uuid4().hex}"
    conf = outdir / "fonts.conf"
    conf.write_text(FONTS_CONF, encoding="utf-8")
    outdir = outdir / source.suffix[1:]
    outdir.mkdir(exist_ok=True)
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, env=dict(os.environ, FONTCONFIG_FILE=str(conf)))
    shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.exists(), result.stderr + result.stdout
    return pdf


def app_pages(path) -> int:
    """docProps/app.xml's page count of a .docx."""
    app = etree.fromstring(zipfile.ZipFile(path).read("docProps/app.xml"))
    return int(app.findtext("{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Pages"))


def page_texts(pdf) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]


def first_page_png(pdf, target) -> None:
    """The first page as people see it (pdftoppm, 100 dpi)."""
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True, timeout=120)


@pytest.mark.parametrize("fmt", ["docx", "odt"])
@pytest.mark.parametrize("name", [BUDGET, KPI])
def test_rendered_table_pages(exported, tmp_path, name, fmt):
    pdf = render(exported[name, fmt], tmp_path)
    pages = page_texts(pdf)
    report = BUILDERS[name]()
    values = {"office": report.office, "roc_year": "113", "published": "中華民國 114 年 3 月"}
    assert len(pages) == 2  # the cover, then the whole table on one landscape page
    if fmt == "docx":
        assert app_pages(exported[name, fmt]) == 2
    assert report.template.title_text(values).replace(" ", "") in pages[0].replace(" ", "")
    table_page = pages[1].replace(" ", "")
    assert report.template.running_header_text(values).replace(" ", "") in table_page
    header, body = TABLES[name]
    for row in header + body:
        for cell in row:
            text = cell[0] if isinstance(cell, tuple) else cell
            for line in text.split("\n"):
                if line not in ("^", "<", ""):
                    assert line.replace(" ", "")[:4] in table_page, line
    assert table_page.rstrip().endswith("1")  # the footer's page number
    mediabox = PdfReader(str(pdf)).pages[1].mediabox
    assert mediabox.width > mediabox.height
    png = tmp_path / f"{fmt}.png"
    first_page_png(pdf, png)
    assert png.exists() and png.stat().st_size > 3000


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_rendered_narrative_contents_numbers_are_the_pages(exported, tmp_path, fmt):
    pdf = render(exported[NARRATIVE, fmt], tmp_path)
    pages = [page.replace(" ", "") for page in page_texts(pdf)]
    assert "嘉義市政府施政報告" in pages[0]
    contents = pages[1]
    assert contents.startswith("目錄")
    listed = {title: int(number) for title, number in re.findall(r"([^.\d]+?)\.{3,}(\d+)", contents[2:])}
    assert list(listed) == NARRATIVE_CONTENTS
    # each listed number is the number printed in the footer of the page that holds the heading;
    # the divider pages carry neither header nor number
    for title, number in listed.items():
        holder = next(page for page in pages[2:] if title in page and "施政報告" in page)
        assert holder.rstrip().endswith(str(number)), (title, number, holder)
    assert pages[2].strip() == "民政部門" and pages[4].strip() == "財政部門"
    assert len(pages) == 6  # cover, 目錄, and per 部門 its divider and one page of text
    if fmt == "docx":
        assert app_pages(exported[NARRATIVE, fmt]) == 6
