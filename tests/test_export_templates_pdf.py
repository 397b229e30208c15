"""PDF export and print preview of reports in the non-default built-in templates (issue 19).

Each report of tests/template_reports.py goes through ``app.exporters.export(report, "pdf", …)``
(ui.render.pdf registered as the launcher does; it hands the report to ui.render.pdf_template)
and is read back: pdftotext -raw gives the text in painting order (cell after cell; it honours
the empty /ActualText Qt puts on the second stroke of a synthetic bold), pypdf the page sizes,
bookmarks, page labels and metadata."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
from app.editing import with_implicit
from app.exporters import export
from app.model import Department, Entry, Section
from app.rows import Heading, Row, blocks
from app.templates import builtin_named
from template_reports import BUDGET, BUILDERS, KPI, NARRATIVE, budget_report, kpi_report, narrative_report

pytest.importorskip("PySide6.QtGui")

A4_LONG, A4_SHORT = 842, 595
RUNNING = {BUDGET: "嘉義市東區區公所 113 年度重要施政項目執行情形", KPI: "嘉義市東區區公所 113 年度施政績效報告",
           NARRATIVE: "嘉義市政府施政報告"}


def page_text(path: Path, page: int) -> str:
    """The text of one page (1-based) in the order it was painted."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is a test dependency"
    return subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_texts(report) -> list[str]:
    """Every heading and every non-empty cell of the report, in reading order (a merged
    column level's label once, at the row where it starts)."""
    columns = sum(1 for part in report.template.table_columns if not hasattr(part, "type"))
    result: list[str] = []
    for block in blocks(report):
        if isinstance(block, Heading):
            result.append(block.text)
            continue
        assert isinstance(block, Row)
        for index, text in enumerate(block.cells):
            if index < columns and not block.first[index]:
                continue
            if text:
                result.append(text)
    return result


def assert_in_order(texts: list[str], haystack: str) -> None:
    position = 0
    for text in texts:
        found = haystack.find(squash(text), position)
        assert found >= 0, f"{text!r} missing (or out of order) after position {position}"
        position = found + len(squash(text))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("template-pdf")
    paths = {}
    for name, build in BUILDERS.items():
        paths[name] = export(build(), "pdf", folder / f"{name}.pdf")
    return paths


@pytest.mark.parametrize("name", [BUDGET, KPI])
def test_table_templates_landscape_cover_and_every_cell_in_order(exported, name):
    report = BUILDERS[name]()
    reader = PdfReader(str(exported[name]))
    assert len(reader.pages) == 3  # cover, its blank back, one table page
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (A4_LONG, A4_SHORT)
    cover = squash(page_text(exported[name], 1))
    assert squash(report.template.title_text({"office": report.office, "roc_year": "113", "published": ""})) in cover
    assert "嘉義市東區區公所" in cover and "中華民國114年3月" in cover
    assert squash(page_text(exported[name], 2)) == ""
    table = page_text(exported[name], 3)
    lines = table.splitlines()
    assert lines[0] == RUNNING[name] and lines[1] == "1"  # the running header, then the page number
    body = squash(table)
    headers = [part.heading or part.name for part in report.template.table_columns]
    assert_in_order(headers[:1], body)
    for heading in headers:
        assert squash(heading) in body
    assert_in_order(expected_texts(report), body[body.find(squash(headers[-1])):])


def test_budget_header_groups_amounts_and_funding_boxes(exported):
    body = squash(page_text(exported[BUDGET], 3))
    # 預算執行情形 is painted over its three columns, before their own headings
    assert body.index("預算執行情形") < body.index("預算金額執行金額執行率")
    assert "3,500,000" in body and "3,150,000" in body and "90.0%" in body
    assert "由其他項目下勻支" in body and "■市庫負擔■補助款" in body and "□市庫負擔■補助款" in body
    assert body.index("壹、民政業務") < body.index("辦理區政業務研習") < body.index("貳、社會業務") \
        < body.index("獨居長者關懷訪視")


def test_budget_amounts_right_aligned_and_serial_centred():
    """Where the painter puts a money cell's text: against its right edge; 項次 in the middle."""
    from app.textmetrics import text_width
    from ui.render.pdf_template import TCell, _aligned_x, plan_table

    report = budget_report()
    table = plan_table(report)
    money = next(c for c in table.cells if c.lines == ["3,500,000"])
    serial = next(c for c in table.cells if c.lines == ["2"])
    assert (money.align, serial.align) == ("right", "center")
    g = table.geometry
    left, right = table.edges[money.col] + g.cell_padding, table.edges[money.col + 1] - g.cell_padding
    x = _aligned_x(left, right, "3,500,000", "right", g.font_size)
    assert abs(x + text_width("3,500,000") * g.font_size - right) < 1e-6
    widths = [b - a for a, b in zip(table.edges, table.edges[1:])]
    shares = [part.width for part in report.template.table_columns]
    assert [round(w / g.body_width * 100, 6) for w in widths] == [round(s / sum(shares) * 100, 6) for s in shares]
    assert isinstance(money, TCell)


def long_budget_report(rows: int = 60):
    """60 rows in two 業務; row 30's results (30 lines) are taller than a landscape page (about 20)."""
    template = builtin_named(BUDGET)
    report = budget_report()
    report.departments = []
    for d, name in enumerate(("民政業務", "社會業務")):
        department = with_implicit(template, Department(name=name))
        entries = department.sections[0].items[0].entries
        for n in range(rows // 2):
            k = d * rows // 2 + n + 1
            results = f"第{k}項成果：辦理完成。" if k != 30 else "\n".join(f"第30項成果第{i}行" for i in range(1, 31))
            entries.append(Entry(level=1, values={"project": f"計畫{k:02d}號", "unit": "民政課", "funding": ("市庫負擔",),
                                                  "budget": 1000 * k, "spent": 900 * k, "results": results}))
        report.departments.append(department)
    return report


def test_long_budget_table_repeats_its_header_rows_and_splits_a_tall_row(tmp_path):
    report = long_budget_report()
    path = export(report, "pdf", tmp_path / "long.pdf")
    reader = PdfReader(str(path))
    pages = len(reader.pages)
    assert pages >= 5
    texts = [page_text(path, n) for n in range(3, pages + 1)]
    for number, text in enumerate(texts, start=1):
        lines = text.splitlines()
        assert lines[:2] == [RUNNING[BUDGET], str(number)]
        head = squash("".join(lines[2:10]))
        assert head.startswith("項次重大計畫活動名稱辦理課室經費來源補助機關名稱預算執行情形計畫成果及執行效益預算金額執行金額執行率")
    every = squash("".join(texts))
    assert_in_order([f"計畫{k:02d}號" for k in range(1, 61)], every)
    # row 30 (30 lines of results) runs from one page on to the next
    squashed = [squash(text) for text in texts]
    holding = [n for n, text in enumerate(squashed) if "第30項成果第" in text]
    assert len(holding) >= 2 and holding == list(range(holding[0], holding[0] + len(holding)))
    assert "第30項成果第1行" in squashed[holding[0]] and "第30項成果第30行" in squashed[holding[-1]]
    assert sum(squashed[n].count("第30項成果第") for n in holding) == 30  # every line once
    # a row that fits on a page is never split; a heading row is never a page's last row
    from ui.render.pdf_template import plan_table

    table = plan_table(report)
    assert len(table.pages) == pages - 2
    for box in table.boxes:
        holding_pages = [p for p in table.pages if p.first < box.start + box.slots and box.start < p.last]
        if box.slots <= 15:
            assert len(holding_pages) == 1
        if isinstance(box.body, Heading):
            assert box.start + box.slots < holding_pages[0].last


def test_kpi_goal_cells_merge_and_repeat_on_a_new_page(tmp_path, exported):
    body = squash(page_text(exported[KPI], 3))
    assert body.count("一、提升為民服務品質") == 1  # one merged cell over its two indicators
    assert body.index("一、提升為民服務品質") < body.index("民眾滿意度") < body.index("案件如期辦結率") \
        < body.index("二、推動數位便民")
    assert "103%" in body and "99%" in body  # 達成度 computed
    template = builtin_named(KPI)
    goal = with_implicit(template, Section(title="提升為民服務品質"))
    goal.items[0].entries.extend(Entry(level=1, values={"indicator": f"指標{n:02d}", "standard": "件數",
                                                        "target": n, "actual": n}) for n in range(1, 41))
    report = kpi_report()
    report.departments = [Department(name="便民服務", sections=[goal])]
    path = export(report, "pdf", tmp_path / "kpi-long.pdf")
    count = len(PdfReader(str(path)).pages)
    assert count >= 4
    for page in range(3, count + 1):
        lines = page_text(path, page).splitlines()
        after_header = squash("".join(lines[2:]))
        after_header = after_header[after_header.index("達成度") + len("達成度"):]
        if page == 3:
            assert after_header.startswith("壹、便民服務一、提升為民服務品質指標01")
        else:  # the goal's label is drawn again at the top of the page its merge runs on to
            assert after_header.startswith("一、提升為民服務品質指標")


def test_narrative_cover_dividers_headings_and_paragraphs(exported):
    report = narrative_report()
    path = exported[NARRATIVE]
    reader = PdfReader(str(path))
    # cover, its back, then per 部門 a divider leaf (divider, blank back) and its text page
    assert len(reader.pages) == 8
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (A4_SHORT, A4_LONG)
    assert squash(page_text(path, 1)) == squash("嘉義市政府施政報告 113 年度 中華民國 114 年 3 月")
    assert squash(page_text(path, 3)) == "民政部門" and squash(page_text(path, 6)) == "財政部門"
    assert squash(page_text(path, 4)) == "" and squash(page_text(path, 7)) == ""
    first = page_text(path, 5).splitlines()
    assert first[:2] == [RUNNING[NARRATIVE], "1"]
    assert [line.strip() for line in first[2:9]] == [
        "壹、民政部門", "民政處部分", "甲、自治行政業務", "一、里鄰管理", "(一)辦理里鄰長研習",
        "1.上半年辦理 2 場，計 320 人參加。", "(1)里長 84 人"]
    every = squash(page_text(path, 5) + page_text(path, 8))
    assert_in_order(expected_texts(report), every)
    assert page_text(path, 8).splitlines()[:2] == [RUNNING[NARRATIVE], "2"]


def test_narrative_levels_indent_and_later_lines_hang_under_the_text():
    from app.textmetrics import text_width
    from ui.render.pdf_template import INDENT_EM, PARAGRAPH_INDENT_EM, plan_narrative

    report = narrative_report()
    item = report.departments[0].sections[0].items[0]
    item.entries[0].text = "里鄰管理" + "，辦理里鄰長研習及村里座談" * 8  # a level-1 text of several lines
    pages = plan_narrative(report)
    lines = [line for page in pages for _, line in page.lines]
    margin = 1417 / 20
    wrapped = [line for line in lines if "村里座談" in line.text or line.text.startswith("一、里鄰管理")]
    assert len(wrapped) >= 3
    assert wrapped[0].text.startswith("一、里鄰管理") and wrapped[0].x == margin
    hang = margin + text_width("一、") * 12
    assert all(abs(line.x - hang) < 1e-6 for line in wrapped[1:])
    by_text = {line.text: line.x for line in lines}
    assert by_text["(一)辦理里鄰長研習"] == margin + INDENT_EM * 12
    assert by_text["1.上半年辦理 2 場，計 320 人參加。"] == margin + 2 * INDENT_EM * 12
    assert by_text["(1)里長 84 人"] == margin + 3 * INDENT_EM * 12
    assert by_text["全年共召開 12 次，列管案件均已辦結。"] == margin + PARAGRAPH_INDENT_EM * 12
    sizes = {line.text: (line.size, line.bold) for line in lines}
    assert sizes["壹、民政部門"][0] > sizes["民政處部分"][0] > sizes["甲、自治行政業務"][0] > 12
    assert all(sizes[t][1] for t in ("壹、民政部門", "民政處部分", "甲、自治行政業務"))


def outline_titles(outline) -> list:
    result: list = []
    for item in outline:
        if isinstance(item, list):
            result.append(outline_titles(item))
        else:
            result.append(item.title)
    return result


def test_narrative_bookmarks_page_labels_and_metadata(exported):
    reader = PdfReader(str(exported[NARRATIVE]))
    assert outline_titles(reader.outline) == [
        "壹、民政部門", ["民政處部分", ["甲、自治行政業務", "乙、宗教禮俗業務"], "東區區公所部分", ["甲、區政業務"]],
        "貳、財政部門", ["財政處部分", ["甲、公庫業務"]]]
    assert reader.get_destination_page_number(reader.outline[0]) == 4  # its first text page
    assert reader.page_labels == ["i", "ii", "民政部門", "民政部門", "1", "財政部門", "財政部門", "2"]
    assert reader.metadata["/Title"] == "嘉義市政府施政報告" and reader.metadata["/Author"] == "嘉義市政府"
    assert reader.trailer["/Root"]["/Lang"] == "zh-TW"


@pytest.mark.parametrize("name", [BUDGET, KPI])
def test_table_bookmarks_and_metadata(exported, name):
    reader = PdfReader(str(exported[name]))
    titles = outline_titles(reader.outline)
    if name == BUDGET:
        assert titles == ["壹、民政業務", "貳、社會業務"]
    else:
        assert titles == ["壹、便民服務", ["一、提升為民服務品質", "二、推動數位便民"], "貳、區政建設", ["一、改善社區環境"]]
    assert reader.page_labels == ["i", "ii", "1"]
    assert reader.metadata["/Title"] == RUNNING[name]
    assert reader.metadata["/Subject"] == BUILDERS[name]().template.title_text(
        {"office": "嘉義市東區區公所", "roc_year": "113", "published": ""})
    assert reader.trailer["/Root"]["/Lang"] == "zh-TW"


def test_one_department_alone(tmp_path):
    path = export(budget_report(), "pdf", tmp_path / "social.pdf", department="社會業務")
    body = squash(page_text(path, 3))
    assert "貳、社會業務" in body and "獨居長者關懷訪視" in body  # its number kept from the whole report
    assert "民政業務" not in body and "辦理區政業務研習" not in body


def test_print_preview_of_a_budget_report_through_its_action(qtbot, tmp_path, monkeypatch):
    """檔案 → 預覽列印 on a 重要施政項目 report: the PDF's pages, landscape."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    from app.document import ReportDocument
    from gui_helpers import open_window

    path = tmp_path / "budget.awr"
    ReportDocument.create(path, long_budget_report()).close()
    window = open_window(qtbot, path)
    assert window.document.report.template.name == BUDGET
    seen: dict = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintPreviewDialog):
            QTimer.singleShot(50, look)
            return
        preview = dialog.findChild(QPrintPreviewWidget)
        seen["pages"] = preview.pageCount()
        printer = dialog.printer_ref
        seen["landscape"] = printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
        preview.setCurrentPage(3)
        QApplication.processEvents()
        seen["painted"] = not dialog.grab().isNull()
        dialog.close()

    QTimer.singleShot(50, look)
    window.act_preview.trigger()  # returns when the dialog is closed
    exported = export(long_budget_report(), "pdf", tmp_path / "budget.pdf")
    assert seen["pages"] == len(PdfReader(str(exported)).pages)
    assert seen["landscape"] and seen["painted"]


def test_paginate_rows_moves_a_short_row_whole_keeps_a_heading_with_its_row_and_splits_a_tall_one():
    from app.pages import GEOMETRY, RowBox
    from ui.render.pdf_template import paginate_rows

    heading = blocks(budget_report())[0]
    row = blocks(budget_report())[1]
    line, border = GEOMETRY.line_height, GEOMETRY.border
    room = 5 * line + 5 * border  # five one-line rows a page
    boxes = [RowBox(row, 0, 1), RowBox(row, 1, 1), RowBox(row, 2, 2), RowBox(heading, 4, 1),  # type: ignore[arg-type]
             RowBox(row, 5, 1), RowBox(row, 6, 3), RowBox(row, 9, 8)]  # type: ignore[arg-type]
    pages = paginate_rows(boxes, GEOMETRY, room)
    # [0 1 2-3] (the heading would be the page's last row: it moves on with its row),
    # [heading 5 6-8] (full), then the 8-line row, taller than a page, split: 5 lines, then 3
    assert [(p.first, p.last) for p in pages] == [(0, 4), (4, 9), (9, 14), (14, 17)]
    assert [p.breaks for p in pages] == [[0, 1, 2], [4, 5, 6], [9], [14]]


def test_narrative_heading_is_never_the_last_line_of_a_page():
    from ui.render.pdf_template import plan_narrative

    report = narrative_report()
    item = report.departments[0].sections[0].items[0]
    texts = [f"第{n}段" for n in range(1, 120)]
    for offset in range(0, 40):  # whatever the count before it, the next heading is not left at the bottom
        item.entries[:] = [Entry(level=0, text=t) for t in texts[:offset + 20]]
        for page in plan_narrative(report):
            if page.lines:
                assert not page.lines[-1][1].bold, (offset, page.lines[-1][1].text)


@pytest.mark.parametrize("name", [BUDGET, KPI, NARRATIVE])
def test_a_new_report_and_an_empty_one_export(tmp_path, name):
    from app.editing import new_report

    template = builtin_named(name)
    report = new_report("東區區公所", 114, template)
    path = export(report, "pdf", tmp_path / "new.pdf")
    text = squash(page_text(path, len(PdfReader(str(path)).pages)))
    assert f"新{template.levels[0].name}" in text
    report.departments = []
    path = export(report, "pdf", tmp_path / "empty.pdf")
    assert len(PdfReader(str(path)).pages) == 3  # cover, its back, one page (a table's header rows)
    assert squash(template.running_header_text({"office": "東區區公所", "roc_year": "114", "published": ""})) \
        in squash(page_text(path, 3))


def test_an_edited_copy_of_the_default_template_takes_the_template_path(tmp_path, sample):
    """A copy of 區公所年度工作總報告 with a renamed column is no longer the calibrated default:
    three merged column levels (類 項 目) drawn from the template, its heading as renamed, and
    before each 類 (divider_page) its divider leaf."""
    from dataclasses import replace

    from app.templates import default_template

    template = default_template()
    columns = tuple(replace(c, heading="執行情形") if c.key == "text" else c for c in template.columns)
    edited = replace(template, name="本所範本", columns=columns)
    assert not edited.is_default
    report = sample
    report.template = edited
    report.departments = report.departments[:2]
    path = export(report, "pdf", tmp_path / "edited.pdf")
    reader = PdfReader(str(path))
    pages = len(reader.pages)
    labels = reader.page_labels
    second = labels.index("社建部門")
    assert labels[:5] == ["i", "ii", "民政部門", "民政部門", "1"] and labels[second + 1] == "社建部門"
    assert squash(page_text(path, 3)) == "民政部門" and squash(page_text(path, second + 1)) == "社建部門"
    assert pages > second + 2
    header = squash("計畫名稱 執行情形 完成程度百分比 備註 類 項 目")  # in painting order
    bodies = []
    table_pages = [page for page in range(5, pages + 1) if page not in (second + 1, second + 2)]
    for number, page in enumerate(table_pages, start=1):
        lines = page_text(path, page).splitlines()
        assert lines[:2] == ["嘉義市東區區公所 109 年度工作總報告", str(number)]
        body = squash("".join(lines[2:]))
        assert body.startswith(header)
        bodies.append(body[len(header):])
    assert_in_order(expected_texts(report), "".join(bodies))


def test_progress_is_reported_and_cancelling_writes_nothing(tmp_path):
    from app.exporters import Cancelled

    seen: list[float] = []
    export(long_budget_report(), "pdf", tmp_path / "done.pdf", progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 2

    def cancel(fraction: float) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        export(narrative_report(), "pdf", tmp_path / "cancelled.pdf", progress=cancel)
    assert not (tmp_path / "cancelled.pdf").exists()


def test_narrative_later_paragraphs_and_other_columns_sit_under_the_text():
    from dataclasses import replace

    from app.templates import Column
    from app.textmetrics import text_width
    from ui.render.pdf_template import plan_narrative

    report = narrative_report()
    report.template = replace(report.template, columns=report.template.columns
                              + (Column(key="remark", heading="備註", type="text"),))
    entry = report.departments[0].sections[0].items[0].entries[0]  # level 1: 一、里鄰管理
    entry.text = "里鄰管理\n第二段說明"
    entry.remark = "另案辦理"
    lines = {line.text: line.x for page in plan_narrative(report) for _, line in page.lines}
    margin = 1417 / 20
    assert lines["一、里鄰管理"] == margin
    assert lines["第二段說明"] == lines["備註：另案辦理"] == margin + text_width("一、") * 12
