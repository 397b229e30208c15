"""The .xlsx export read back with openpyxl, cell by cell against app.layout."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import openpyxl
import pytest

from app.exporters import export
from app.exporters.xlsx import (
    FOOTER,
    MAX_ROW_PT,
    class_label,
    label_ranges,
    page_count,
    sheet_names,
    sheet_plan,
)
from app.layout import (
    HEADER_CLASS,
    HEADER_COMPLETION,
    HEADER_ITEM,
    HEADER_PLAN,
    HEADER_PROGRESS,
    HEADER_REMARK,
    HEADER_SECTION,
    COLUMN_SHARES,
    layout,
)
from app.model import Department, Entry, Item, Report, Section
from conftest import PROJECT_ROOT

FIRST = 4  # first body row (one title row, two header rows)


def hostile_report() -> Report:
    """Texts that a spreadsheet would take for formulas, and Word's control characters."""
    return Report(
        office="=HYPERLINK(\"http://x\")",
        roc_year=112,
        departments=[
            Department(
                name="@部門",
                sections=[
                    Section(
                        title="-2+3",
                        items=[
                            Item(
                                title="+SUM(A1)",
                                entries=[
                                    Entry(level=1, text="=1+1", completion=100, remark="=cmd|' /C calc'!A0"),
                                    Entry(level=2, text="+SUM(A1)"),
                                    Entry(level=1, text="-2+3", completion=50, remark="@x"),
                                    Entry(level=0, text="@x"),
                                    Entry(level=1, text="line\x0bbreak\x07bell\x00nul\x0cpage", completion=None),
                                ],
                            )
                        ],
                    )
                ],
            )
        ],
    )


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    from app.sample import sample_report

    path = tmp_path_factory.mktemp("xlsx") / "sample.xlsx"
    export(sample_report(), "xlsx", path)
    return openpyxl.load_workbook(path)


def first_pages(lay) -> list[int]:
    pages, page = [], 1
    for block in lay.departments:
        pages.append(page)
        page += page_count(sheet_plan(block))
    return pages


def test_sheets_are_toc_and_one_per_department(sample_book, sample):
    assert sample_book.sheetnames == ["目錄"] + [d.name for d in sample.departments]
    toc = sample_book["目錄"]
    assert toc["A1"].value == "嘉義市東區區公所"
    assert toc["A2"].value == "109 年度工作總報告"
    assert toc["A3"].value == "中華民國 110 年 3 月"
    assert toc["A5"].value == "109 年度工作總報告目錄"
    lay = layout(sample)
    # a real 目錄: the department's line, its first printed page, a link to its sheet
    lines = [(toc.cell(6 + i, 1).value, toc.cell(6 + i, 2).value) for i in range(7)]
    assert lines == list(zip([b.toc_label for b in lay.departments], first_pages(lay)))
    assert lines[0] == ("一、民政部門", 1)
    assert [toc.cell(6 + i, 1).hyperlink.location for i in range(7)] == [f"'{d.name}'!A1" for d in sample.departments]
    assert toc.max_column == 2 and toc.max_row == 12  # no table of counts


def test_one_title_and_the_header_rows(sample_book, sample):
    lay = layout(sample)
    for block in lay.departments:
        ws = sample_book[block.name]
        assert ws["A1"].value == block.label
        # the report title is the running header, not repeated in a cell under it
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not any("年度工作總報告" in t for t in texts)
        assert ws.oddHeader.center.text == lay.running_header
        assert [ws.cell(2, c).value for c in range(1, 7)] == [HEADER_PLAN, None, None, HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK]
        assert [ws.cell(3, c).value for c in range(1, 4)] == [HEADER_CLASS, HEADER_SECTION, HEADER_ITEM]
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {"A1:F1", "A2:C2", "D2:D3", "E2:E3", "F2:F3"} <= merged


def test_class_column_is_written_across_as_printed(sample_book):
    ws = sample_book["民政部門"]
    assert ws["A4"].value == "壹、\n民政\n部門"  # as the printed report: 壹、/民政/部門
    assert not ws["A4"].alignment.textRotation  # not stacked one character a line


def test_every_row_text_and_percentage_in_place(sample_book, sample):
    lay = layout(sample)
    checked = 0
    for block in lay.departments:
        ws = sample_book[block.name]
        rows = sheet_plan(block)
        assert not any(r.continued for r in rows)  # the sample has no row taller than 409 pt
        last = FIRST + len(rows) - 1
        expected_merges = {"A1:F1", "A2:C2", "D2:D3", "E2:E3", "F2:F3"}
        labels = {}
        for col, r1, r2, text in label_ranges(rows):
            labels[(FIRST + r1, col + 1)] = class_label(block) if text == "class" else text
            if r2 > r1:
                expected_merges.add(f"{'ABC'[col]}{FIRST + r1}:{'ABC'[col]}{FIRST + r2}")
        assert ws.cell(FIRST, 1).value == class_label(block)
        for offset, row in enumerate(rows):
            r = FIRST + offset
            for col in (1, 2, 3):
                assert ws.cell(r, col).value == (labels.get((r, col)) or None), (block.name, r, col)
            if row.body.section is not None and row.section_span:
                assert ws.cell(r, 2).value == row.body.section.label
            if row.body.item is not None and row.item_span:
                assert ws.cell(r, 3).value == row.body.item.label
            body = row.body.row
            assert ws.cell(r, 4).value == body.text
            assert ws.cell(r, 4).data_type == "s"
            completion = ws.cell(r, 5)
            if body.completion is None:
                assert completion.value is None
            else:
                assert round(completion.value * 100) == body.completion
                assert completion.number_format == "0%"
                assert completion.alignment.horizontal == "center"
            checked += len(body.entries)
        assert ws.max_row == last
        assert {str(r) for r in ws.merged_cells.ranges} == expected_merges
    assert checked == 377


def test_page_breaks_are_written_and_ranges_cut_at_them(sample_book, sample):
    lay = layout(sample)
    for block in lay.departments:
        ws = sample_book[block.name]
        rows = sheet_plan(block)
        breaks = [b.id for b in ws.row_breaks.brk]
        expected = [FIRST + i for i in range(len(rows) - 1) if rows[i + 1].page != rows[i].page]
        assert breaks == expected
        assert len(breaks) + 1 == page_count(rows)
        # no merged range crosses a page break: every box is closed on its page
        for merged in ws.merged_cells.ranges:
            assert not any(merged.min_row <= b < merged.max_row for b in breaks), (block.name, str(merged))
    ws = sample_book["民政部門"]
    assert len(ws.row_breaks.brk) >= 5


def test_entry_numbers_are_in_the_text(sample_book):
    ws = sample_book["民政部門"]
    assert ws["B4"].value == "一、一般民政"
    assert ws["C4"].value == "(一) 選舉業務"
    assert ws["D4"].value.startswith("1. 1月4日")
    sub_rows = [c.value for c in ws["D"] if c.value and "\n(1) " in c.value]
    assert sub_rows, "an item with sub-items shares one row, lines joined with newlines"


def test_print_setup(sample_book, sample):
    for ws in sample_book.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
        assert ws.page_setup.orientation == "portrait"
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert not sample_book["目錄"].oddFooter.center.text  # the 目錄 is unnumbered
    pages = first_pages(layout(sample))
    for ws, first in zip(sample_book.worksheets[1:], pages):
        assert ws.oddFooter.center.text == FOOTER == "第 &P 頁"
        assert ws.print_title_rows == "$2:$3"
        assert ws.oddHeader.center.text == "嘉義市東區區公所 109 年度工作總報告"
        assert ws.page_setup.useFirstPageNumber and ws.page_setup.firstPageNumber == first


def test_column_widths_follow_the_shares(sample_book):
    ws = sample_book["民政部門"]
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    assert widths[3] == max(widths)  # 辦理情形 widest
    assert widths[0] == min(widths)  # 類 narrow
    # Excel widths count 7 px digits plus 5 px padding: compare in pixels
    pixels = [7 * w + 5 for w in widths]
    for px, share in zip(pixels, COLUMN_SHARES):
        assert px / sum(pixels) == pytest.approx(share / 100, rel=0.02)


def test_row_heights_grow_with_text(sample_book, sample):
    lay = layout(sample)
    for block in lay.departments:
        ws = sample_book[block.name]
        rows = sheet_plan(block)
        for offset, row in enumerate(rows):
            r = FIRST + offset
            height = ws.row_dimensions[r].height
            assert height is not None and 18 <= height <= MAX_ROW_PT
            # at least one line of ~16 pt per paragraph
            assert height >= 16 * len(row.text.split("\n"))
        # a merged range is at least as tall as its label needs
        for offset, row in enumerate(rows):
            if row.item_span:
                span = sum(ws.row_dimensions[FIRST + offset + k].height for k in range(row.item_span))
                assert span >= 16 * len(row.body.item.label) / 5.5 - 1
    ws = sample_book["民政部門"]
    heights = {ws.row_dimensions[r].height for r in range(FIRST, ws.max_row + 1)}
    assert len(heights) > 3, "heights are computed per row, not one constant"


@pytest.fixture(scope="module")
def raw_book(sample_book, tmp_path_factory):
    """The same file in read-only mode: openpyxl's normal loader re-creates the
    hidden cells of merged ranges and keeps only their edge borders, so what
    the file really holds is read without that clean-up."""
    from app.sample import sample_report

    path = tmp_path_factory.mktemp("xlsx_raw") / "sample.xlsx"
    export(sample_report(), "xlsx", path)
    return openpyxl.load_workbook(path, read_only=True)


def test_wrap_borders_and_font_on_every_table_cell(raw_book, sample_book):
    for name in raw_book.sheetnames[1:]:
        ws = raw_book[name]
        count = 0
        for row in ws.iter_rows(min_row=2, max_row=sample_book[name].max_row, max_col=6):
            assert len(row) == 6
            for cell in row:
                where = (name, cell.row, cell.column)
                for side in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom):
                    assert side.style == "thin", where
                assert cell.font.name == "標楷體", where
                assert cell.alignment.wrap_text, where
                count += 1
        assert count == 6 * (sample_book[name].max_row - 1)
        for row in ws.iter_rows(min_row=1, max_row=1, max_col=6):
            for cell in row:
                assert cell.font.name == "標楷體"


def test_merged_hidden_cells_have_borders(raw_book, sample_book):
    ws = sample_book["民政部門"]
    target = next(r for r in ws.merged_cells.ranges if r.min_col == 2 and r.size["rows"] > 2)
    raw = raw_book["民政部門"]
    for row in raw.iter_rows(min_row=target.min_row, max_row=target.max_row, min_col=2, max_col=2):
        cell = row[0]
        assert cell.border.left.style == cell.border.right.style == "thin"
        assert cell.border.top.style == cell.border.bottom.style == "thin"


def test_formula_like_text_stays_text(tmp_path):
    path = tmp_path / "hostile.xlsx"
    export(hostile_report(), "xlsx", path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目錄", "@部門"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    ws = wb["@部門"]
    with zipfile.ZipFile(path) as z:  # openpyxl's header parser stops at the quotes: read the XML
        import xml.etree.ElementTree as ET

        root = ET.fromstring(z.read("xl/worksheets/sheet2.xml"))
        header = root.find(".//{http://schemas.openxmlformats.org/spreadsheetml/2006/main}oddHeader").text
        assert header.endswith('=HYPERLINK("http://x") 112 年度工作總報告')
    assert ws["A1"].value == "壹、@部門"
    assert ws["A4"].value == "壹、\n@部\n門"
    assert ws["B4"].value == "一、-2+3"
    assert ws["C4"].value == "(一) +SUM(A1)"
    assert ws["D4"].value == "1. =1+1\n(1) +SUM(A1)"
    assert ws["F4"].value == "=cmd|' /C calc'!A0"
    assert ws["D5"].value == "2. -2+3"
    assert ws["F5"].value == "@x"
    assert ws["D6"].value == "@x"
    assert ws["D7"].value == "3. line\nbreakbellnul\npage"
    assert wb["目錄"]["A1"].value == '=HYPERLINK("http://x")'
    # formula-looking strings are plain strings in the XML, not <f> elements
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_sheet_names_are_valid_and_unique():
    names = sheet_names(["a[b]c:d*e?f/g\\h", "x" * 40, "x" * 40, "目錄", "Sheet", "SHEET", "'quoted'", ""])
    assert names[0] == "a_b_c_d_e_f_g_h"
    assert names[1] == "x" * 31
    assert names[2] == "x" * 27 + " (2)"
    assert names[3] == "目錄 (2)"
    assert names[4] == "Sheet" and names[5] == "SHEET (2)"
    assert names[6] == "quoted"
    assert names[7] == "部門8"
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_department_option_exports_one_sheet(tmp_path, sample):
    path = tmp_path / "one.xlsx"
    export(sample, "xlsx", path, department="兵役部門")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目錄", "兵役部門"]
    assert wb["兵役部門"]["A1"].value == "參、兵役部門"  # keeps its place in the whole report
    assert wb["目錄"]["A6"].value == "三、兵役部門" and wb["目錄"]["B6"].value == 1
    assert wb["兵役部門"].page_setup.firstPageNumber == 1
    block = layout(sample, ["兵役部門"]).departments[0]
    texts = [c.value for c in wb["兵役部門"]["D"][3:]]
    assert texts == [row.text for s in block.sections for i in s.items for row in i.rows]


def test_small_report_with_empty_parts(tmp_path):
    report = Report(
        office="測試",
        roc_year=1,
        departments=[
            Department(name="空部門"),
            Department(name="部門", sections=[Section(title="空項"), Section(title="項", items=[Item(title="空目")])]),
        ],
    )
    path = tmp_path / "empty.xlsx"
    export(report, "xlsx", path)
    wb = openpyxl.load_workbook(path)
    assert wb["空部門"]["A4"].value == "壹、\n空部\n門"
    ws = wb["部門"]
    assert [ws["B4"].value, ws["B5"].value, ws["C5"].value] == ["一、空項", "二、項", "(一) 空目"]


def test_progress_is_reported_and_can_cancel(tmp_path, small):
    from app.exporters import Cancelled

    seen = []
    export(small, "xlsx", tmp_path / "p.xlsx", progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)

    def cancel(fraction):
        raise Cancelled

    with pytest.raises(Cancelled):
        export(small, "xlsx", tmp_path / "c.xlsx", progress=cancel)
    assert list(tmp_path.iterdir()) == [tmp_path / "p.xlsx"]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "odt", "csv"])
def test_cli_export(tmp_path, fmt):
    env_run = dict(cwd=tmp_path, capture_output=True, text=True, timeout=300)
    import os

    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    made = subprocess.run([sys.executable, "-m", "app", "sample", "s.awr"], env=env, **env_run)
    assert made.returncode == 0, made.stderr
    out = subprocess.run([sys.executable, "-m", "app", "export", "s.awr", "-f", fmt, "-o", f"out.{fmt}"], env=env, **env_run)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / f"out.{fmt}").stat().st_size > 1000
    one = subprocess.run(
        [sys.executable, "-m", "app", "export", "s.awr", "-f", fmt, "-o", f"one.{fmt}", "--department", "兵役部門"],
        env=env, **env_run,
    )
    assert one.returncode == 0, one.stderr
    assert 0 < (tmp_path / f"one.{fmt}").stat().st_size < (tmp_path / f"out.{fmt}").stat().st_size
