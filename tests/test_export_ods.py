"""The .ods export read back with odfpy, cell by cell (covered cells included)."""
from __future__ import annotations

import zipfile

import pytest
from odf import teletype
from odf.namespaces import OFFICENS, STYLENS, TABLENS
from odf.opendocument import load
from odf.table import Table, TableHeaderRows, TableRow
from odf.text import P

from app.exporters import export
from app.exporters.xlsx import class_label, label_ranges, page_count, sheet_plan
from app.layout import HEADER_COMPLETION, HEADER_PLAN, HEADER_PROGRESS, HEADER_REMARK, layout
from app.model import Department, Entry, Item, Report, Section

FIRST = 3  # 0-based index of the first body row (one title row, 2 header rows)


def hostile_report() -> Report:
    return Report(office="=HYPERLINK(\"http://x\")", roc_year=112, departments=[Department(name="@部門", sections=[
        Section(title="-2+3", items=[Item(title="+SUM(A1)", entries=[
            Entry(level=1, text="=1+1", completion=100, remark="=cmd|' /C calc'!A0"),
            Entry(level=2, text="+SUM(A1)"),
            Entry(level=1, text="-2+3", completion=50, remark="@x"),
            Entry(level=0, text="@x"),
            Entry(level=1, text="line\x0bbreak\x07bell\x00nul"),
        ])])])])


def cell_text(cell) -> str:
    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))


def grid(table):
    """Rows of (tag, text, rows_spanned, cols_spanned, element); no repeated cells are written."""
    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.childNodes:
            tag = cell.qname[1]
            rs = int(cell.getAttrNS(TABLENS, "number-rows-spanned") or 1)
            cs = int(cell.getAttrNS(TABLENS, "number-columns-spanned") or 1)
            assert not cell.getAttrNS(TABLENS, "number-columns-repeated")
            cells.append((tag, cell_text(cell), rs, cs, cell))
        rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def sample_doc(tmp_path_factory):
    from app.sample import sample_report

    path = tmp_path_factory.mktemp("ods") / "sample.ods"
    export(sample_report(), "ods", path)
    return path, load(str(path))


def tables(doc):
    return {t.getAttrNS(TABLENS, "name"): t for t in doc.spreadsheet.getElementsByType(Table)}


def first_pages(lay) -> list[int]:
    pages, page = [], 1
    for block in lay.departments:
        pages.append(page)
        page += page_count(sheet_plan(block))
    return pages


def test_sheets_and_toc(sample_doc, sample):
    _, doc = sample_doc
    found = tables(doc)
    assert list(found) == ["目錄"] + [d.name for d in sample.departments]
    toc = grid(found["目錄"])
    assert [toc[i][0][1] for i in range(3)] == ["嘉義市東區區公所", "109 年度工作總報告", "中華民國 110 年 3 月"]
    assert toc[4][0][1] == "109 年度工作總報告目錄"
    lay = layout(sample)
    # a real 目錄: line, first printed page, link to the sheet
    assert [(row[0][1], row[1][1]) for row in toc[5:]] == [
        (b.toc_label, str(p)) for b, p in zip(lay.departments, first_pages(lay))]
    from odf.text import A
    links = [row[0][4].getElementsByType(A)[0].getAttribute("href") for row in toc[5:]]
    assert links == [f"#{d.name}" for d in sample.departments]


def test_every_cell_spans_and_covered_positions(sample_doc, sample):
    _, doc = sample_doc
    found = tables(doc)
    lay = layout(sample)
    entries = 0
    for block in lay.departments:
        rows = grid(found[block.name])
        plan = sheet_plan(block)
        assert len(rows) == FIRST + len(plan)
        assert all(len(r) == 6 for r in rows), "every row has six positions, covered ones included"
        # one title: the report title is the running header, not a row under it
        assert rows[0][0][1] == block.label and rows[0][0][3] == 6
        assert not any("年度工作總報告" in c[1] for row in rows for c in row)
        assert [c[0] for c in rows[0][1:]] == ["covered-table-cell"] * 5
        top, second = rows[1], rows[2]
        assert (top[0][1], top[0][3]) == (HEADER_PLAN, 3)
        assert [(c[1], c[2]) for c in top[3:]] == [(HEADER_PROGRESS, 2), (HEADER_COMPLETION, 2), (HEADER_REMARK, 2)]
        assert [c[0] for c in top[1:3]] == ["covered-table-cell"] * 2
        assert [c[1] for c in second[:3]] == ["類", "項", "目"]
        assert [c[0] for c in second[3:]] == ["covered-table-cell"] * 3

        # Every position hidden by a span is a covered cell and nothing else is.
        covered = set()
        for r, row in enumerate(rows):
            for c, (tag, _, rs, cs, _) in enumerate(row):
                if tag == "table-cell":
                    covered |= {(r + i, c + j) for i in range(rs) for j in range(cs)} - {(r, c)}
        actual = {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell[0] == "covered-table-cell"}
        assert actual == covered

        assert rows[FIRST][0][1] == class_label(block) == block.number + "\n" + block.name[:2] + "\n" + block.name[2:]
        for col, r1, r2, text in label_ranges(plan):
            cell = rows[FIRST + r1][col]
            assert cell[0] == "table-cell" and cell[2] == r2 - r1 + 1
            assert cell[1] == (class_label(block) if text == "class" else text)
            # a range never runs over a page break
            assert plan[r1].page == plan[r2].page
        for offset, sheet_row in enumerate(plan):
            row = rows[FIRST + offset]
            body = sheet_row.body.row
            assert row[3][1] == body.text
            assert row[3][4].getAttrNS(OFFICENS, "value-type") == "string"
            pct = row[4][4]
            if body.completion is None:
                assert row[4][1] == ""
            else:
                assert pct.getAttrNS(OFFICENS, "value-type") == "percentage"
                assert round(float(pct.getAttrNS(OFFICENS, "value")) * 100) == body.completion
                assert row[4][1] == f"{body.completion}%"
            entries += len(body.entries)
    assert entries == 377


def test_page_breaks_before_the_first_row_of_each_page(sample_doc, sample):
    from odf.namespaces import FONS

    _, doc = sample_doc
    breaking = {
        style.getAttrNS(STYLENS, "name") for style in doc.automaticstyles.childNodes
        if style.qname[1] == "style" and style.getAttrNS(STYLENS, "family") == "table-row"
        and style.childNodes[0].getAttrNS(FONS, "break-before") == "page"
    }
    assert breaking
    for block in layout(sample).departments:
        plan = sheet_plan(block)
        body = [r for r in tables(doc)[block.name].getElementsByType(TableRow)][FIRST:]
        starts = [i for i, r in enumerate(body) if r.getAttrNS(TABLENS, "style-name") in breaking]
        assert starts == [i for i in range(1, len(plan)) if plan[i].page != plan[i - 1].page]


def test_header_rows_styles_and_page(sample_doc):
    path, doc = sample_doc
    table = tables(doc)["民政部門"]
    headers = table.getElementsByType(TableHeaderRows)
    assert len(headers) == 1 and len(headers[0].getElementsByType(TableRow)) == 2
    assert cell_text(headers[0].getElementsByType(TableRow)[0].childNodes[0]) == HEADER_PLAN
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml").decode()
        styles = z.read("styles.xml").decode()
    assert 'style:font-name-asian="標楷體"' in content and 'style:font-name="標楷體"' in content
    assert '<style:font-face style:name="標楷體"' in content
    assert 'fo:wrap-option="wrap"' in content and 'fo:border="0.5pt solid #000000"' in content
    assert 'style:column-width="7.820cm"' in content  # 46 % of 17 cm
    assert 'style:use-optimal-row-height="false"' in content
    assert 'fo:page-width="21cm"' in styles and 'fo:page-height="29.7cm"' in styles
    assert 'loext:scale-to-X="1"' in styles
    assert '<text:p text:style-name="MP_kai">第 <text:page-number>1</text:page-number> 頁</text:p>' in styles
    assert '<text:p text:style-name="MP_kai">嘉義市東區區公所 109 年度工作總報告</text:p>' in styles
    # header and footer in Kai, each department's pages numbered on from the last
    assert 'style:name="MP_kai"' in styles and styles.count('style:font-name-asian="標楷體"') >= 1
    import re

    numbers = [int(n) for n in re.findall(r'style:first-page-number="(\d+)"', styles)]
    assert numbers == [1, 11, 18, 24, 25, 29, 30]
    assert "table:formula" not in content


def test_covered_cells_keep_borders(sample_doc):
    _, doc = sample_doc
    rows = grid(tables(doc)["民政部門"])
    bordered = ("ce_class", "ce_label", "ce_header", "ce_text", "ce_percent")
    for row in rows[1:]:
        for tag, _, _, _, element in row:
            assert element.getAttrNS(TABLENS, "style-name").startswith(bordered)


def test_formula_like_text_stays_text(tmp_path):
    path = tmp_path / "h.ods"
    export(hostile_report(), "ods", path)
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml").decode()
    assert "table:formula" not in content and "of:=" not in content
    doc = load(str(path))
    rows = grid(tables(doc)["@部門"])
    for row in rows:
        for tag, text, _, _, element in row:
            if text and tag == "table-cell" and element.getAttrNS(OFFICENS, "value-type") != "percentage":
                assert element.getAttrNS(OFFICENS, "value-type") == "string", text
    with zipfile.ZipFile(path) as z:
        assert '=HYPERLINK("http://x") 112 年度工作總報告' in z.read("styles.xml").decode().replace("&quot;", '"')
    assert rows[0][0][1] == "壹、@部門"
    assert rows[3][1][1] == "一、-2+3"
    assert rows[3][2][1] == "(一) +SUM(A1)"
    assert rows[3][3][1] == "1. =1+1\n(1) +SUM(A1)"
    assert rows[3][5][1] == "=cmd|' /C calc'!A0"
    assert [rows[4][3][1], rows[4][5][1], rows[5][3][1]] == ["2. -2+3", "@x", "@x"]
    assert rows[6][3][1] == "3. line\nbreakbellnul"


def test_department_option_and_empty_parts(tmp_path, sample):
    path = tmp_path / "one.ods"
    export(sample, "ods", path, department="兵役部門")
    found = tables(load(str(path)))
    assert list(found) == ["目錄", "兵役部門"]
    block = layout(sample, ["兵役部門"]).departments[0]
    rows = grid(found["兵役部門"])
    assert [r[3][1] for r in rows[FIRST:]] == [row.text for s in block.sections for i in s.items for row in i.rows]

    report = Report(office="測試", roc_year=1, departments=[
        Department(name="空部門"),
        Department(name="部門", sections=[Section(title="空項"), Section(title="項", items=[Item(title="空目")])]),
    ])
    path = tmp_path / "empty.ods"
    export(report, "ods", path)
    found = tables(load(str(path)))
    rows = grid(found["空部門"])
    assert [c[0] for c in rows[FIRST]] == ["table-cell"] * 6
    rows = grid(found["部門"])
    assert [rows[FIRST][1][1], rows[FIRST][2][1], rows[FIRST + 1][1][1], rows[FIRST + 1][2][1]] == ["一、空項", "", "二、項", "(一) 空目"]
