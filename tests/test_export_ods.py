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
from app.layout import body_plan
from app.layout import HEADER_COMPLETION, HEADER_PLAN, HEADER_PROGRESS, HEADER_REMARK, layout
from app.model import Department, Entry, Item, Report, Section

FIRST = 4  # 0-based index of the first body row (2 title rows, 2 header rows)


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


def test_sheets_and_toc(sample_doc, sample):
    _, doc = sample_doc
    found = tables(doc)
    assert list(found) == ["目錄"] + [d.name for d in sample.departments]
    toc = grid(found["目錄"])
    assert [toc[i][0][1] for i in range(3)] == ["嘉義市東區區公所", "109 年度工作總報告", "中華民國 110 年 3 月"]
    assert [row[1][1] for row in toc[5:]] == [d.name for d in sample.departments]


def test_every_cell_spans_and_covered_positions(sample_doc, sample):
    _, doc = sample_doc
    found = tables(doc)
    lay = layout(sample)
    entries = 0
    for block in lay.departments:
        rows = grid(found[block.name])
        plan = body_plan(block)
        assert len(rows) == FIRST + len(plan)
        assert all(len(r) == 6 for r in rows), "every row has six positions, covered ones included"
        assert rows[0][0][1] == "嘉義市東區區公所 109 年度工作總報告" and rows[0][0][3] == 6
        assert rows[1][0][1] == block.label and rows[1][0][3] == 6
        assert [c[0] for c in rows[0][1:]] == ["covered-table-cell"] * 5
        top, second = rows[2], rows[3]
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

        assert rows[FIRST][0][1] == block.label and rows[FIRST][0][2] == len(plan)
        for offset, body in enumerate(plan):
            row = rows[FIRST + offset]
            if body.section is not None:
                assert (row[1][1], row[1][2]) == (body.section.label, body.section_span)
            if body.item is not None:
                assert (row[2][1], row[2][2]) == (body.item.label, body.item_span)
            assert row[3][1] == body.row.text
            assert row[3][4].getAttrNS(OFFICENS, "value-type") == "string"
            pct = row[4][4]
            if body.row.completion is None:
                assert row[4][1] == ""
            else:
                assert pct.getAttrNS(OFFICENS, "value-type") == "percentage"
                assert round(float(pct.getAttrNS(OFFICENS, "value")) * 100) == body.row.completion
                assert row[4][1] == f"{body.row.completion}%"
            entries += len(body.row.entries)
    assert entries == 377


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
    assert "第 <text:page-number>1</text:page-number> 頁，共 <text:page-count>1</text:page-count> 頁" in styles
    assert "table:formula" not in content


def test_covered_cells_keep_borders(sample_doc):
    _, doc = sample_doc
    rows = grid(tables(doc)["民政部門"])
    bordered = {"ce_class", "ce_label", "ce_header", "ce_text", "ce_percent"}
    for row in rows[2:]:
        for tag, _, _, _, element in row:
            assert element.getAttrNS(TABLENS, "style-name") in bordered


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
    assert rows[0][0][1] == '=HYPERLINK("http://x") 112 年度工作總報告'
    assert rows[1][0][1] == "壹、@部門"
    assert rows[4][1][1] == "一、-2+3"
    assert rows[4][2][1] == "(一) +SUM(A1)"
    assert rows[4][3][1] == "1. =1+1\n(1) +SUM(A1)"
    assert rows[4][5][1] == "=cmd|' /C calc'!A0"
    assert [rows[5][3][1], rows[5][5][1], rows[6][3][1]] == ["2. -2+3", "@x", "@x"]
    assert rows[7][3][1] == "3. line\nbreakbellnul"


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
