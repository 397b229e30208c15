"""The .xlsx, .ods and .csv exports of reports in the non-default built-in templates (issue 19),
read back cell by cell: values and number formats, the one formula kind (computed columns),
merged ranges, ODF value types, CSV fields; one workbook of each kind rendered by LibreOffice."""
from __future__ import annotations

import csv
import datetime
import os
import re
import shutil
import subprocess
import uuid
import zipfile

import openpyxl
import pytest
from odf.namespaces import NUMBERNS, OFFICENS, STYLENS, TABLENS
from odf.opendocument import load
from odf.table import Table, TableHeaderRows, TableRow

from app.document import ReportDocument
from app.editing import new_report, with_implicit
from app.exporters import export
from app.exporters.sheet_template import ROC_DATE_FORMAT, Ratio, ratio_formula
from app.model import Entry, Section
from app.operations import InsertNode, SetField
from app.templates import builtin_named, from_dict
from template_reports import BUDGET, KPI, NARRATIVE, budget_report, kpi_report, narrative_report
from test_export_ods import cell_text

TITLE, OFFICE = 1, 2


# --- helpers ---------------------------------------------------------------------------


def xlsx_sheet(report, tmp_path, **options):
    path = tmp_path / "report.xlsx"
    export(report, "xlsx", path, **options)
    wb = openpyxl.load_workbook(path)  # data_only=False: formulas as their text
    assert len(wb.worksheets) == 1
    return wb.worksheets[0]


def values(ws):
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def formulas(ws):
    return {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if cell.data_type == "f"}


def written_styles(path) -> dict[str, tuple[str, str | None]]:
    """Every written cell's (font, left border style) by coordinate, those under a merge too
    (openpyxl's reader gives merged cells fresh default styles, so this reads the parts)."""
    from xml.etree import ElementTree

    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fonts = [font.find(f"{m}name").get("val") for font in styles.find(f"{m}fonts")]
    borders = [(b.find(f"{m}left").get("style") if b.find(f"{m}left") is not None else None)
               for b in styles.find(f"{m}borders")]
    xfs = [(int(xf.get("fontId", 0)), int(xf.get("borderId", 0))) for xf in styles.find(f"{m}cellXfs")]
    result = {}
    for c in sheet.iter(f"{m}c"):
        font, border = xfs[int(c.get("s", 0))]
        result[c.get("r")] = (fonts[font], borders[border])
    return result


def merged(ws):
    return sorted(str(r) for r in ws.merged_cells.ranges)


def ods_rows(report, tmp_path, **options):
    """The one table's rows (header rows included, in order) as lists of cell elements
    (covered cells included; the writer repeats nothing)."""
    path = tmp_path / "report.ods"
    export(report, "ods", path, **options)
    doc = load(str(path))
    tables = doc.spreadsheet.getElementsByType(Table)
    assert len(tables) == 1
    rows = []
    for row in tables[0].getElementsByType(TableRow):
        cells = list(row.childNodes)
        assert not any(c.getAttrNS(TABLENS, "number-columns-repeated") for c in cells)
        rows.append(cells)
    return doc, tables[0], rows


def odf(cell, name, ns=OFFICENS):
    return cell.getAttrNS(ns, name)


def csv_rows(report, tmp_path, **options):
    path = tmp_path / "report.csv"
    export(report, "csv", path, **options)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --- the budget table -----------------------------------------------------------------


BUDGET_HEADER = ["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算執行情形", None, None,
                 "計畫成果及執行效益"]
BUDGET_SUBHEADER = [None, None, None, None, None, "預算金額", "執行金額", "執行率", None]


def test_budget_xlsx_cells_formats_and_merges(tmp_path):
    ws = xlsx_sheet(budget_report(), tmp_path)
    assert ws.title == BUDGET
    rows = values(ws)
    assert rows[0][0] == "113 年度重要施政項目執行情形" and rows[1][0] == "嘉義市東區區公所　中華民國 114 年 3 月"
    assert rows[2] == BUDGET_HEADER and rows[3] == BUDGET_SUBHEADER
    assert rows[4] == ["壹、民政業務"] + [None] * 8
    assert rows[5][:7] == [1, "辦理區政業務研習", "民政課", "■市庫負擔\n□補助款", None, 120000, 118500]
    assert rows[6][:7] == [2, "老舊里活動中心修繕", "民政課", "■市庫負擔\n■補助款", "內政部", 3500000, 3150000]
    assert rows[6][8] == "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"
    assert rows[7] == ["貳、社會業務"] + [None] * 8
    assert rows[8][:7] == [1, "獨居長者關懷訪視", "社會課", "□市庫負擔\n■補助款", "嘉義市政府社會處", "由其他項目下勻支", 45200]
    assert len(rows) == 9
    # formulas exist only in the computed column 執行率 (H), one per entry row
    assert formulas(ws) == {f"H{r}": f'=IF(AND(ISNUMBER(G{r}),ISNUMBER(F{r}),F{r}<>0),G{r}/F{r},"")' for r in (6, 7, 9)}
    for r in (6, 7, 9):
        assert ws[f"H{r}"].number_format == "0.0%"
        assert ws[f"A{r}"].data_type == "n" and ws[f"A{r}"].number_format == "0"
    for coordinate in ("F6", "G6", "F7", "G7", "G9"):
        assert ws[coordinate].data_type == "n" and ws[coordinate].number_format == "#,##0"
    assert ws["F9"].data_type == "s" and ws["F9"].number_format == "General"  # a text amount stays text
    assert ws["D6"].data_type == "s" and ws["B6"].data_type == "s"
    assert merged(ws) == sorted(["A1:I1", "A2:I2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:H3", "I3:I4",
                                 "A5:I5", "A8:I8"])
    # print setup and look
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$4"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddHeader.center.text == "嘉義市東區區公所 113 年度重要施政項目執行情形"
    assert ws.freeze_panes == "A5"
    written = written_styles(tmp_path / "report.xlsx")
    assert len(written) == 9 * 9 and {font for font, _ in written.values()} == {"標楷體"}
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A5"].font.b
    assert ws["F6"].alignment.horizontal == "right" and ws["A6"].alignment.horizontal == "center"
    assert ws["I6"].alignment.wrap_text
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert widths.index(max(widths)) == 8 and widths[0] == min(widths)  # 計畫成果 25, 項次 5
    # every cell of the table bordered, those under a merge too
    assert {written[f"{c}{r}"][1] for r in range(3, 10) for c in "ABCDEFGHI"} == {"thin"}
    assert {written[f"{c}{r}"][1] for r in (1, 2) for c in "ABCDEFGHI"} == {None}


def test_budget_xlsx_computed_values_when_evaluated(tmp_path):
    """The formulas give app.templates.compute's ratio (checked by evaluating them by hand
    here; the LibreOffice test below renders them)."""
    ws = xlsx_sheet(budget_report(), tmp_path)
    assert ws["G6"].value / ws["F6"].value == pytest.approx(0.9875)
    assert not isinstance(ws["F9"].value, (int, float))  # ISNUMBER false → ""


def test_budget_ods_value_types_and_formulas(tmp_path):
    doc, table, rows = ods_rows(budget_report(), tmp_path)
    assert odf(table, "name", TABLENS) == BUDGET
    assert [len(r) for r in rows] == [9] * 9
    headers = table.getElementsByType(TableHeaderRows)[0].getElementsByType(TableRow)
    assert len(headers) == 2
    assert [cell_text(c) for c in rows[2]] == [h or "" for h in BUDGET_HEADER]
    assert odf(rows[2][5], "number-columns-spanned", TABLENS) == "3"
    assert odf(rows[2][0], "number-rows-spanned", TABLENS) == "2"
    assert [c.qname[1] for c in rows[3]] == ["covered-table-cell"] * 5 + ["table-cell"] * 3 + ["covered-table-cell"]
    assert odf(rows[4][0], "number-columns-spanned", TABLENS) == "9" and cell_text(rows[4][0]) == "壹、民政業務"
    first = rows[5]
    assert (odf(first[0], "value-type"), odf(first[0], "value")) == ("float", "1")
    assert (odf(first[5], "value-type"), odf(first[5], "value"), cell_text(first[5])) == ("currency", "120000", "120,000")
    assert odf(first[5], "currency") == "TWD"
    assert odf(first[7], "value-type") == "percentage" and float(odf(first[7], "value")) == pytest.approx(0.9875)
    assert odf(first[7], "formula", TABLENS) == \
        'of:=IF(AND(ISNUMBER([.G6]);ISNUMBER([.F6]);[.F6]<>0);[.G6]/[.F6];"")'
    assert cell_text(first[7]) == "98.8%"
    assert odf(first[3], "value-type") == "string" and cell_text(first[3]) == "■市庫負擔\n□補助款"  # too narrow side by side
    text_amount = rows[8][5]
    assert odf(text_amount, "value-type") == "string" and cell_text(text_amount) == "由其他項目下勻支"
    assert odf(rows[8][7], "formula", TABLENS) and odf(rows[8][7], "value-type") == "string"  # "" when not numbers
    with_formula = [(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if odf(cell, "formula", TABLENS)]
    assert with_formula == [(5, 7), (6, 7), (8, 7)]
    assert cell_text(rows[6][8]) == "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"
    # the data styles: money with thousands separators and no symbol, percent with one decimal
    styles = {odf(s, "name", STYLENS): s for s in doc.automaticstyles.childNodes if s.qname[1].endswith("-style")}
    money = styles["N_money"]
    assert money.qname[1] == "currency-style"
    assert odf(money.childNodes[0], "grouping", NUMBERNS) == "true" and len(money.childNodes) == 1
    assert odf(styles["N_percent1"].childNodes[0], "decimal-places", NUMBERNS) == "1"
    layout = next(s for s in doc.automaticstyles.childNodes if s.qname[1] == "page-layout")
    assert odf(layout.childNodes[0], "print-orientation", STYLENS) == "landscape"


def test_budget_csv_one_column_per_field(tmp_path):
    rows = csv_rows(budget_report(), tmp_path)
    assert rows == [
        ["業務", "項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算金額", "執行金額", "執行率",
         "計畫成果及執行效益"],
        ["壹、民政業務", "1", "辦理區政業務研習", "民政課", "市庫負擔", "", "120000", "118500", "98.8",
         "辦理研習 2 場，參加人數 150 人，滿意度 92%。"],
        ["壹、民政業務", "2", "老舊里活動中心修繕", "民政課", "市庫負擔、補助款", "內政部", "3500000", "3150000", "90.0",
         "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"],
        ["貳、社會業務", "1", "獨居長者關懷訪視", "社會課", "補助款", "嘉義市政府社會處", "由其他項目下勻支", "45200", "",
         "訪視 1,230 人次。"],
    ]


def test_department_option_exports_one_group(tmp_path):
    ws = xlsx_sheet(budget_report(), tmp_path, department="社會業務")
    assert [row[0] for row in values(ws)][4:] == ["貳、社會業務", 1]  # numbered as in the whole report
    rows = csv_rows(budget_report(), tmp_path, department="社會業務")
    assert [row[0] for row in rows] == ["業務", "貳、社會業務"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    report = budget_report()
    entry = report.departments[0].sections[0].items[0].entries[0]
    entry.values["project"] = "=1+1"
    entry.values["grantor"] = "@SUM(A1)"
    ws = xlsx_sheet(report, tmp_path)
    assert ws["B6"].value == "=1+1" and ws["B6"].data_type == "s"
    assert set(formulas(ws)) == {"H6", "H7", "H9"}
    _, _, rows = ods_rows(report, tmp_path)
    assert cell_text(rows[5][1]) == "=1+1" and not odf(rows[5][1], "formula", TABLENS)
    assert csv_rows(report, tmp_path)[1][2] == "=1+1"


# --- the KPI table ----------------------------------------------------------------------


def test_kpi_xlsx_merged_goals_and_percent_fractions(tmp_path):
    ws = xlsx_sheet(kpi_report(), tmp_path)
    rows = values(ws)
    assert rows[0][0] == "113 年度施政績效報告"
    assert rows[2] == ["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"]
    assert ws.print_title_rows == "$3:$3"  # no group: one header row
    assert rows[3] == ["壹、便民服務"] + [None] * 6
    assert rows[4][:6] == ["一、提升為民服務品質", "民眾滿意度", "問卷調查滿意以上人數 ÷ 受訪人數", 0.2, 90, 93]
    assert rows[5][:6] == [None, "案件如期辦結率", "如期辦結件數 ÷ 總件數", 0.15, 98, 97]  # under the merged goal
    assert rows[6][:6] == ["二、推動數位便民", "線上申辦件數", "全年線上申辦件數", 0.1, 1200, 1530]
    assert rows[7] == ["貳、區政建設"] + [None] * 6
    assert rows[8][:6] == ["一、改善社區環境", "社區環境改造處數", "完成改造處數", 0.25, 4, None]
    assert merged(ws) == sorted(["A1:G1", "A2:G2", "A4:G4", "A5:A6", "A8:G8"])
    assert formulas(ws) == {f"G{r}": f'=IF(AND(ISNUMBER(F{r}),ISNUMBER(E{r}),E{r}<>0),F{r}/E{r},"")'
                            for r in (5, 6, 7, 9)}
    assert {ws[f"D{r}"].number_format for r in (5, 6, 7, 9)} == {"0%"}
    assert {ws[f"E{r}"].number_format for r in (5, 6, 7, 9)} == {"#,##0"}  # an integer with thousands separators (1,200)
    assert {ws[f"G{r}"].number_format for r in (5, 6, 7, 9)} == {"0%"}
    assert ws["A5"].alignment.vertical == "top"


def test_kpi_ods(tmp_path):
    _, table, rows = ods_rows(kpi_report(), tmp_path)
    assert len(table.getElementsByType(TableHeaderRows)[0].getElementsByType(TableRow)) == 1
    goal = rows[4][0]
    assert cell_text(goal) == "一、提升為民服務品質" and odf(goal, "number-rows-spanned", TABLENS) == "2"
    assert rows[5][0].qname[1] == "covered-table-cell"
    weight, target = rows[4][3], rows[4][4]
    assert (odf(weight, "value-type"), float(odf(weight, "value")), cell_text(weight)) == ("percentage", 0.2, "20%")
    assert (odf(target, "value-type"), odf(target, "value")) == ("float", "90")
    achievement = rows[4][6]
    assert odf(achievement, "formula", TABLENS) == \
        'of:=IF(AND(ISNUMBER([.F5]);ISNUMBER([.E5]);[.E5]<>0);[.F5]/[.E5];"")'
    assert float(odf(achievement, "value")) == pytest.approx(93 / 90) and cell_text(achievement) == "103%"
    assert not odf(rows[8][5], "value-type")  # 實際值 empty
    with_formula = {(r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if odf(cell, "formula", TABLENS)}
    assert with_formula == {(4, 6), (5, 6), (6, 6), (8, 6)}


def test_kpi_csv(tmp_path):
    assert csv_rows(kpi_report(), tmp_path) == [
        ["業務", "策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"],
        ["壹、便民服務", "一、提升為民服務品質", "民眾滿意度", "問卷調查滿意以上人數 ÷ 受訪人數", "20", "90", "93", "103"],
        ["壹、便民服務", "一、提升為民服務品質", "案件如期辦結率", "如期辦結件數 ÷ 總件數", "15", "98", "97", "99"],
        ["壹、便民服務", "二、推動數位便民", "線上申辦件數", "全年線上申辦件數", "10", "1200", "1530", "127"],
        ["貳、區政建設", "一、改善社區環境", "社區環境改造處數", "完成改造處數", "25", "4", "", ""],
    ]


# --- the narrative ----------------------------------------------------------------------


NARRATIVE_LINES = [
    ("壹、民政部門", 0), ("民政處部分", 1), ("甲、自治行政業務", 2), ("一、里鄰管理", 3), ("(一)辦理里鄰長研習", 4),
    ("1.上半年辦理 2 場，計 320 人參加。", 5), ("(1)里長 84 人", 6), ("(2)鄰長 236 人", 6), ("2.下半年辦理 1 場。", 5),
    ("(二)里辦公處聯繫會報", 4), ("全年共召開 12 次，列管案件均已辦結。", 3), ("乙、宗教禮俗業務", 2), ("一、寺廟登記", 3),
    ("(一)輔導寺廟辦理登記 5 件。", 4), ("東區區公所部分", 1), ("甲、區政業務", 2), ("一、辦理區務會議 4 次。", 3),
    ("貳、財政部門", 0), ("財政處部分", 1), ("甲、公庫業務", 2), ("公庫收支均依法辦理。", 3),
]


def test_narrative_xlsx_is_one_column_of_headings_and_paragraphs(tmp_path):
    ws = xlsx_sheet(narrative_report(), tmp_path)
    assert ws.max_column == 1 and ws.title == NARRATIVE
    assert [row[0] for row in values(ws)] == ["嘉義市政府施政報告", "113 年度　中華民國 114 年 3 月"] + [t for t, _ in NARRATIVE_LINES]
    assert [ws.cell(r, 1).alignment.indent for r in range(3, ws.max_row + 1)] == [2 * i for _, i in NARRATIVE_LINES]
    bold = [ws.cell(r, 1).font.b for r in range(3, ws.max_row + 1)]
    assert bold == [t in ("壹、民政部門", "民政處部分", "甲、自治行政業務", "乙、宗教禮俗業務", "東區區公所部分", "甲、區政業務",
                          "貳、財政部門", "財政處部分", "甲、公庫業務") for t, _ in NARRATIVE_LINES]
    assert not formulas(ws) and not merged(ws) and ws.print_title_rows is None
    assert ws.page_setup.orientation == "portrait"


def test_narrative_ods_and_csv(tmp_path):
    _, _, rows = ods_rows(narrative_report(), tmp_path)
    assert [len(r) for r in rows] == [1] * (2 + len(NARRATIVE_LINES))
    assert [cell_text(r[0]) for r in rows[2:]] == [t for t, _ in NARRATIVE_LINES]
    assert all(odf(r[0], "value-type") == "string" for r in rows)
    lines = csv_rows(narrative_report(), tmp_path)
    assert lines[0] == ["部門", "部分", "業務", "層級", "內容"]
    assert lines[1] == ["壹、民政部門", "民政處部分", "甲、自治行政業務", "1", "一、里鄰管理"]
    assert lines[4] == ["壹、民政部門", "民政處部分", "甲、自治行政業務", "4", "(1)里長 84 人"]
    assert lines[8] == ["壹、民政部門", "民政處部分", "甲、自治行政業務", "0", "全年共召開 12 次，列管案件均已辦結。"]
    assert lines[-1] == ["貳、財政部門", "財政處部分", "甲、公庫業務", "0", "公庫收支均依法辦理。"]
    assert len(lines) == 1 + 12


# --- a template with a date and a percent operand, filled through the document ----------------


def dated_template():
    data = builtin_named(KPI).to_dict()
    data["name"] = "施政績效（含查核日期）"
    columns = data["columns"]
    columns[0]["width"] = 12  # 衡量指標 18 → 12
    columns[1]["width"] = 12  # 衡量標準 24 → 12
    columns.insert(4, {"key": "checked", "heading": "查核日期", "type": "date", "width": 12, "align": "center",
                       "group": ""})
    columns.append({"key": "share", "heading": "權重比", "type": "computed", "width": 6, "align": "right",
                    "group": "", "numerator": "weight", "denominator": "target", "decimals": 1})
    return from_dict(data)


@pytest.fixture
def dated_report(tmp_path):
    template = dated_template()
    doc = ReportDocument.create(tmp_path / "dated.awr", new_report("嘉義市西區區公所", 110, template))
    top = doc.report.departments[0]
    doc.apply(SetField(top.id, "name", "便民服務"))
    doc.apply(InsertNode(top.id, 0, with_implicit(template, Section(title="提升服務品質"))))
    item = doc.report.departments[0].sections[0].items[0]
    doc.apply(InsertNode(item.id, 0, Entry(level=1)))
    entry = doc.report.departments[0].sections[0].items[0].entries[0]
    for key, value in (("indicator", "民眾滿意度"), ("weight", 20), ("target", 80), ("actual", 84),
                       ("checked", "2021-03-05")):
        doc.apply(SetField(entry.id, key, value))
    yield doc.report
    doc.close()


def test_a_date_is_a_real_date_in_roc_format_and_a_percent_operand_is_scaled(dated_report, tmp_path):
    ws = xlsx_sheet(dated_report, tmp_path)
    assert values(ws)[2] == ["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "查核日期", "實際值", "達成度",
                             "權重比"]
    assert ws["F5"].value == datetime.datetime(2021, 3, 5) and ws["F5"].number_format == ROC_DATE_FORMAT
    # 權重比 = 權重 20 (a percent: its cell holds 0.2) / 目標值 80 → 25.0%
    assert ws["I5"].value == '=IF(AND(ISNUMBER(D5),ISNUMBER(E5),E5<>0),D5*100/E5,"")'
    assert ws["H5"].value == '=IF(AND(ISNUMBER(G5),ISNUMBER(E5),E5<>0),G5/E5,"")'
    assert set(formulas(ws)) == {"H5", "I5"}
    assert (ws["H5"].number_format, ws["I5"].number_format) == ("0%", "0.0%")
    # numbers shrink to their column rather than wrap or show ###; texts wrap
    assert all(ws[c].alignment.shrink_to_fit and not ws[c].alignment.wrap_text for c in ("D5", "E5", "F5", "I5"))
    assert ws["B5"].alignment.wrap_text
    doc, _, rows = ods_rows(dated_report, tmp_path)
    date = rows[4][5]
    assert (odf(date, "value-type"), odf(date, "date-value"), cell_text(date)) == ("date", "2021-03-05", "110年3月5日")
    assert float(odf(rows[4][8], "value")) == pytest.approx(0.25)
    date_style = next(s for s in doc.automaticstyles.childNodes if s.qname[1] == "date-style")
    assert {odf(part, "calendar", NUMBERNS) for part in date_style.childNodes if part.qname[1] != "text"} == {"ROC"}
    lines = csv_rows(dated_report, tmp_path)
    assert lines[0][-4:] == ["查核日期", "實際值", "達成度", "權重比"]
    assert lines[1] == ["壹、便民服務", "一、提升服務品質", "民眾滿意度", "", "20", "80", "2021-03-05", "84", "105", "25.0"]


def test_ratio_formula_scales_percent_operands():
    assert ratio_formula(Ratio(3, 1, 1, 100), lambda c: "ABCD"[c] + "2", ";") == \
        'IF(AND(ISNUMBER(D2);ISNUMBER(B2);B2<>0);D2/(B2*100);"")'


# --- LibreOffice shows what the cells say ------------------------------------------------


def render_text(source, outdir) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required for the rendering tests"
    profile = outdir / f"lo-{uuid.uuid4().hex}"
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=240, env=dict(os.environ))
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.exists(), result.stderr + result.stdout
    shutil.rmtree(profile, ignore_errors=True)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_shows_formats_formulas_and_roc_dates(fmt, dated_report, tmp_path):
    budget = tmp_path / f"budget.{fmt}"
    export(budget_report(), fmt, budget)
    dated = tmp_path / f"dated.{fmt}"
    export(dated_report, fmt, dated)
    text = render_text(budget, tmp_path)
    for shown in ("113 年度重要施政項目執行情形", "預算執行情形", "3,500,000", "3,150,000", "98.8%", "90.0%",
                  "45,200", "壹、民政業務", "■市庫負擔"):
        assert shown in text, shown
    assert re.search(r"第\s*1\s*頁", text)
    text = render_text(dated, tmp_path)
    assert "110年3月5日" in text and "105%" in text and "25.0%" in text and "20%" in text


@pytest.mark.parametrize("name", [BUDGET, KPI, NARRATIVE])
def test_a_new_report_of_each_template_exports(name, tmp_path):
    """新增報告 in each template (one empty top node): the heading row shows, and for a table
    an empty placeholder row below it (no formula in it: it has no entry); the CSV has no rows."""
    report = new_report("嘉義市東區區公所", 114, builtin_named(name))
    ws = xlsx_sheet(report, tmp_path)
    rows = values(ws)
    top = builtin_named(name).levels[0].name
    # row 2: the cover's lines (the office unless the title names it already), 出版 the next March
    assert rows[0][0] and rows[1][0] == ("114 年度　中華民國 115 年 3 月" if name == NARRATIVE
                                         else "嘉義市東區區公所　中華民國 115 年 3 月")
    assert any(row[0] == f"壹、新{top}" for row in rows)
    assert not formulas(ws)
    _, _, ods = ods_rows(report, tmp_path)
    assert len(ods) == len(rows)
    assert csv_rows(report, tmp_path)[1:] == []


def test_row_heights_follow_the_text_up_to_the_sheet_limit(tmp_path):
    """Rows grow with their wrapped text (spreadsheets do not on open), at most 409 pt (Excel's
    limit: a longer text is cut off in print, as the module docstring says)."""
    from app.exporters.sheet_base import LINE_PT, MAX_ROW_PT

    report = budget_report()
    entries = report.departments[0].sections[0].items[0].entries
    entries[0].values["results"] = "短。"
    entries[1].values["results"] = "長" * 5000
    ws = xlsx_sheet(report, tmp_path)
    assert ws.row_dimensions[6].height >= 2 * LINE_PT  # ■/□ one a line: two lines
    assert ws.row_dimensions[7].height == MAX_ROW_PT
    assert ws["I7"].value == "長" * 5000  # the whole text is in the cell


def test_choices_side_by_side_when_the_column_is_wide_enough(tmp_path):
    data = builtin_named(BUDGET).to_dict()
    data["name"] = "寬經費來源"
    widths = {column["key"]: column for column in data["columns"]}
    widths["funding"]["width"] += 10
    widths["results"]["width"] -= 10
    report = budget_report()
    report.template = from_dict(data)
    ws = xlsx_sheet(report, tmp_path)
    assert ws["D6"].value == "■市庫負擔 □補助款"
    assert csv_rows(report, tmp_path)[1][4] == "市庫負擔"
