"""A 辦理情形 far taller than a spreadsheet row may be prints in full from .xlsx and .ods.

Excel cuts a row at 409 pt; the exporters continue such a row in the next
rows (the 辦理情形 cell styled 續行, the 類/項/目 ranges kept over them) —
checked cell by cell with openpyxl and odfpy, read back by our importers,
and printed through LibreOffice: every marker of the 6,000 characters is in
the PDF, and nothing is drawn over the page footer.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess

import openpyxl
import pytest
from odf import teletype
from odf.namespaces import STYLENS, TABLENS
from odf.opendocument import load
from odf.table import Table, TableRow
from odf.text import P

from app.exporters import export
from app.exporters.xlsx import CONTINUED_STYLE, MAX_ROW_PT, sheet_plan
from app.importers import read_source
from app.layout import layout
from app.model import Department, Entry, Item, Report, Section
from test_export_odt import FONTS_CONF, render_pdf
from test_import_roundtrip import content

SENTENCE = ("本所依年度計畫辦理各項業務並定期檢討執行成效，持續改善為民服務品質，提升市民滿意度與行政效率，"
            "確保各項工作如期如質完成，並於每季召開工作會報追蹤進度，對於落後項目即時研擬改善措施，以達成年度目標。")
MARKERS = [f"M{n:02d}" for n in range(1, 61)]
LONG = "".join(f"{m}{SENTENCE[:97]}" for m in MARKERS)
MULTILINE = "\n".join(f"L{n:02d} 第 {n} 段已完成。" for n in range(1, 41))


def long_report() -> Report:
    return Report(office="測試區公所", roc_year=112, published_roc_year=113, published_month=3, departments=[
        Department(name="民政部門", sections=[Section(title="一般民政", items=[
            Item(title="選舉業務", entries=[
                Entry(level=1, text="第一件。", completion=100),
                Entry(level=1, text=LONG, completion=80, remark="長文"),
                Entry(level=2, text="子項。"),
                Entry(level=1, text=MULTILINE, completion=50),
                Entry(level=1, text="最後一件。", completion=100),
            ]),
            Item(title="後一目", entries=[Entry(level=0, text="後一目的內容。")]),
        ])]),
    ])


def test_the_text_is_6000_characters():
    assert len(LONG) == 6000 and all(LONG.count(m) == 1 for m in MARKERS)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    report = long_report()
    paths = {}
    for fmt in ("xlsx", "ods"):
        paths[fmt] = folder / f"long.{fmt}"
        export(report, fmt, paths[fmt])
    return paths


def expected_pieces():
    block = layout(long_report()).departments[0]
    return sheet_plan(block)


def test_plan_cuts_only_the_tall_rows():
    rows = expected_pieces()
    texts = [r.text for r in rows]
    assert texts[0] == "1. 第一件。"
    long_rows = [r for r in rows if r.body.row is not None and r.body.row.head.text == LONG]
    assert len(long_rows) > 10 and not long_rows[0].continued and all(r.continued for r in long_rows[1:])
    assert "".join(r.text for r in long_rows) == "2. " + LONG + "\n(1) 子項。"
    assert all(r.height_pt <= MAX_ROW_PT for r in rows)
    multi = [r for r in rows if r.body.row is not None and r.body.row.head.text == MULTILINE]
    assert len(multi) >= 2 and all(r.text.endswith("\n") for r in multi[:-1])  # a cut at a line break: the \n stays before it
    assert "".join(r.text for r in multi) == "3. " + MULTILINE
    # a cut row's pieces fill the page they start on, at most 409 pt each
    pages = {}
    for r in rows:
        pages[r.page] = pages.get(r.page, 0) + r.height_pt
    assert all(height > 500 for page, height in pages.items() if page < max(pages))
    assert rows[-1].text == "後一目的內容。"


def test_xlsx_cell_by_cell(files):
    wb = openpyxl.load_workbook(files["xlsx"])
    ws = wb["民政部門"]
    plan = expected_pieces()
    assert ws.max_row == 3 + len(plan)
    for offset, row in enumerate(plan):
        r = 4 + offset
        cell = ws.cell(r, 4)
        assert cell.value == row.text
        assert (cell.style == CONTINUED_STYLE) == row.continued
        assert ws.row_dimensions[r].height <= MAX_ROW_PT
        if row.continued:  # 完成程度 and 備註 only on the first piece
            assert ws.cell(r, 5).value is None and ws.cell(r, 6).value is None
    first = next(i for i, row in enumerate(plan) if "M01" in row.text)
    assert ws.cell(4 + first, 5).value == 0.8 and ws.cell(4 + first, 6).value == "長文"
    # the 目 (and 項, 類) ranges run over the continuation rows: the label once,
    # no new 目 on a continuation row; ranges cut only at the page breaks
    labels = [ws.cell(4 + i, 3).value for i in range(len(plan))]
    assert labels[0] == "(一) 選舉業務" and labels[-1] == "(二) 後一目"
    assert all(v is None for v in labels[1:-1])
    assert [ws.cell(4 + i, 2).value for i in range(len(plan))] == ["一、一般民政"] + [None] * (len(plan) - 1)
    breaks = {b.id for b in ws.row_breaks.brk}
    assert len(breaks) >= 10
    merged = [m for m in ws.merged_cells.ranges if m.min_row >= 4]
    assert any(m.min_col == 3 and m.max_row > m.min_row for m in merged)
    for m in merged:
        assert not any(m.min_row <= b < m.max_row for b in breaks)
    # the pieces of one cut row read as one cell on a page: no line between them
    i = next(i for i, row in enumerate(plan) if row.continued and plan[i - 1].page == row.page)
    def drawn(side):
        return side is not None and side.style is not None

    for col in (4, 5, 6):
        assert not drawn(ws.cell(4 + i - 1, col).border.bottom) and not drawn(ws.cell(4 + i, col).border.top)
    # and closed at the page's end and the next page's top
    j = next(j for j, row in enumerate(plan) if row.continued and plan[j - 1].page != row.page)
    assert drawn(ws.cell(4 + j - 1, 4).border.bottom) and drawn(ws.cell(4 + j, 4).border.top)


def test_ods_cell_by_cell(files):
    doc = load(str(files["ods"]))
    parents = {s.getAttrNS(STYLENS, "name"): s.getAttrNS(STYLENS, "parent-style-name")
               for s in doc.automaticstyles.childNodes if s.qname[1] == "style"}
    table = next(t for t in doc.spreadsheet.getElementsByType(Table) if t.getAttrNS(TABLENS, "name") == "民政部門")
    rows = table.getElementsByType(TableRow)[3:]
    plan = expected_pieces()
    assert len(rows) == len(plan)
    for row, expected in zip(rows, plan):
        cell = row.childNodes[3]
        text = "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
        assert text == expected.text
        style = cell.getAttrNS(TABLENS, "style-name")
        assert (parents.get(style) == "Continued") == expected.continued
        if expected.continued:
            assert not row.childNodes[4].getElementsByType(P) and not row.childNodes[5].getElementsByType(P)
    styles = {s.getAttrNS(STYLENS, "name"): s for s in doc.styles.childNodes if s.qname[1] == "style"}
    assert styles["Continued"].getAttrNS(STYLENS, "display-name") == "續行"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_continued_rows_import_as_one_entry(files, fmt):
    back = read_source(files[fmt])
    assert content(back) == content(long_report())


def words_by_page(pdf):
    """Every word of the PDF with its box, per page (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True)
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out.stdout, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)]
        pages.append(words)
    return pages


@pytest.fixture(scope="module")
def rendered(files, tmp_path_factory):
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is required for the rendering tests"
    outdir = tmp_path_factory.mktemp("long_pdf")
    conf = outdir / "fonts.conf"
    conf.write_text(FONTS_CONF, encoding="utf-8")
    result = {}
    for fmt, path in files.items():
        copy = outdir / f"{fmt}-{path.name}"
        shutil.copy(path, copy)
        render_pdf(copy, outdir, {"FONTCONFIG_FILE": str(conf)})
        result[fmt] = outdir / (copy.stem + ".pdf")
    return result


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_long_text_prints_in_full_and_never_over_the_footer(rendered, fmt):
    pages = words_by_page(rendered[fmt])
    text = "".join(w[4] for page in pages for w in page)
    missing = [m for m in MARKERS if m not in text]
    assert not missing, f"{fmt}: {len(missing)} of 60 markers not printed: {missing[:5]}"
    for m in ("L01", "L40", "後一目的內容。"):
        assert m in text
    numbered = 0
    for index, words in enumerate(pages):
        footer = [w for w in words if w[4] == "頁" and w[1] > 700]
        if not footer:
            continue  # the 目錄 page is unnumbered
        numbered += 1
        top = min(w[1] for w in words if abs(w[1] - footer[0][1]) < 3)
        above = [w for w in words if abs(w[1] - footer[0][1]) >= 3]
        assert all(w[3] <= top for w in above), (fmt, index, [w for w in above if w[3] > top][:3])
    assert numbered >= 10  # the long row runs over many pages, each with its footer
