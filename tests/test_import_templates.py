"""Official-layout files of the non-default templates, typed by hand (issue 19's "Done when"):
every value lands in its column; what cannot be placed is a warning naming row and column."""
from __future__ import annotations

import pytest

from app.errors import ReportError
from app.importers import read_source
from app.importers.official import read_with_report
from app.importers.templated import normalise_heading, strip_title
from app.templates import builtin_named

BUDGET = "重要施政項目（預算執行）"
KPI = "施政績效（衡量指標）"


def rows_of(department):
    """Each entry of a one-level (budget) 業務 as its values."""
    return [dict(e.values) for s in department.sections for i in s.items for e in i.entries]


def messages(result):
    return [str(w) for w in result.warnings]


# --- the budget table, typed in Word --------------------------------------------------

BUDGET_HEADINGS = ["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算執行情形", None, None,
                   "計畫成果及執行效益"]


def build_budget_word(path, *, bad_values=False):
    """As a clerk types it: a title paragraph, two header rows (預算執行情形 over three columns,
    the others merged down), 業務 rows merged across, amounts with commas, ■/□ boxes."""
    import docx

    document = docx.Document()
    document.add_paragraph("嘉義市東區區公所 113 年度重要施政項目執行情形")
    body = [
        ("壹、民政業務",),
        ("1", "辦理區政業務研習", "民政課", "■市庫負擔 □補助款", "", "120,000", "118,500", "98.8%",
         "辦理研習 2 場，參加人數 150 人，滿意度 92%。"),
        ("2", "老舊里活動中心修繕", "民政課", "■自籌款 ■補助款" if bad_values else "■市庫負擔 ■補助款", "內政部",
         "3,500,000", "12,34" if bad_values else "3,150,000", "90%",
         "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"),
        ("貳、社會業務",),
        ("1", "獨居長者關懷訪視", "社會課", "□市庫負擔 ■補助款", "嘉義市政府\n社會處", "由其他項目下勻支",
         "45,200", "", "訪視 1,230 人次。"),
    ]
    table = document.add_table(rows=2 + len(body), cols=9)
    for col, text in enumerate(BUDGET_HEADINGS):
        if text:
            table.cell(0, col).text = text
    for col, text in zip((5, 6, 7), ("預算金額", "執行金額", "執行率")):
        table.cell(1, col).text = text
    for r, values in enumerate(body, start=2):
        for col, text in enumerate(values):
            table.cell(r, col).text = text
        if len(values) == 1:
            table.cell(r, 0).merge(table.cell(r, 8))
    table.cell(0, 5).merge(table.cell(0, 7))
    for col in (0, 1, 2, 3, 4, 8):
        table.cell(0, col).merge(table.cell(1, col))
    document.save(path)


def test_budget_word_table_every_value_in_its_column(tmp_path):
    path = tmp_path / "東區 113 重要施政.docx"
    build_budget_word(path)
    result = read_with_report(path)
    report = result.report
    assert report.template.name == BUDGET
    assert (report.office, report.roc_year) == ("嘉義市東區區公所", 113)
    assert [d.name for d in report.departments] == ["民政業務", "社會業務"]
    civil, social = report.departments
    assert rows_of(civil) == [
        {"project": "辦理區政業務研習", "unit": "民政課", "funding": ("市庫負擔",), "budget": 120000, "spent": 118500,
         "results": "辦理研習 2 場，參加人數 150 人，滿意度 92%。"},
        {"project": "老舊里活動中心修繕", "unit": "民政課", "funding": ("市庫負擔", "補助款"), "grantor": "內政部",
         "budget": 3500000, "spent": 3150000, "results": "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"},
    ]
    assert rows_of(social) == [
        {"project": "獨居長者關懷訪視", "unit": "社會課", "funding": ("補助款",), "grantor": "嘉義市政府社會處",
         "budget": "由其他項目下勻支", "spent": 45200, "results": "訪視 1,230 人次。"},
    ]
    # Each 業務 holds the template's implicit 項 and 目 (app.editing.with_implicit); entries are level 1.
    assert all(len(d.sections) == 1 and len(d.sections[0].items) == 1 for d in report.departments)
    assert {e.level for d in report.departments for e in d.sections[0].items[0].entries} == {1}
    assert result.warnings == []


def test_budget_word_bad_values_are_warnings_naming_row_and_column(tmp_path):
    path = tmp_path / "budget.docx"
    build_budget_word(path, bad_values=True)
    result = read_with_report(path)
    row = rows_of(result.report.departments[0])[1]
    assert "funding" not in row and row["budget"] == 3500000  # the bad cell stays empty, the rest is read
    assert row["spent"] == "12,34"  # 執行金額 allows text (「由其他項目下勻支」): kept as typed, and said
    texts = messages(result)
    assert len(texts) == 3, texts
    assert "budget.docx 第 1 個表格第 5 列" in texts[0] and "第 4 欄「經費來源」" in texts[0] \
        and "「自籌款」不是「經費來源」的選項" in texts[0] and "此格未匯入" in texts[0]
    assert "第 5 列" in texts[1] and "第 7 欄「執行金額」的「12,34」不是金額，已當作文字保留" in texts[1]
    # The typed 執行率 90% cannot be checked against a text 執行金額: said, not dropped silently.
    assert "第 5 列" in texts[2] and "「執行率」寫了 90%" in texts[2]


def test_budget_computed_rate_that_differs_is_a_warning(tmp_path):
    import docx

    path = tmp_path / "rate.docx"
    document = docx.Document()
    document.add_paragraph("東區區公所 113 年度重要施政項目執行情形")
    table = document.add_table(rows=3, cols=9)
    for col, text in enumerate(["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算金額", "執行金額",
                                "執行率(%)", "計畫成果及執行效益"]):
        table.cell(0, col).text = text
    table.cell(1, 0).text = "壹、民政業務"
    table.cell(1, 0).merge(table.cell(1, 8))
    for col, text in enumerate(["3", "研習", "民政課", "市庫負擔", "", "1000", "500", "60%", "完成"]):
        table.cell(2, col).text = text
    document.save(path)
    result = read_with_report(path)
    assert rows_of(result.report.departments[0]) == [
        {"project": "研習", "unit": "民政課", "funding": ("市庫負擔",), "budget": 1000, "spent": 500, "results": "完成"}]
    texts = messages(result)
    assert any("第 3 列" in t and "「項次」寫的是「3」，依位置應為 1" in t for t in texts), texts
    assert any("第 3 列" in t and "「執行率」寫的是 60%，依本列數值計算為 50.0%" in t for t in texts), texts


# --- the KPI table, typed in Excel ------------------------------------------------------

def build_kpi_excel(path, *, bad_weight=False):
    """A header row, 業務 rows merged across, 策略績效目標 merged down over its rows, numbers as
    numbers and some as text, a percentage as 0.2 with a % format; a title row above."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "施政績效"
    ws["A1"] = "嘉義市東區區公所113年度施政績效報告"
    ws.merge_cells("A1:G1")
    for col, text in enumerate(["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "達成度"], start=1):
        ws.cell(2, col, text)
    ws["A3"] = "壹、便民服務"
    ws.merge_cells("A3:G3")
    ws["A4"] = "一、提升為民服務品質"
    ws.merge_cells("A4:A5")
    ws["B4"], ws["C4"], ws["D4"], ws["E4"], ws["F4"] = "民眾滿意度", "問卷調查滿意以上人數 ÷ 受訪人數", 0.2, 90, "93"
    ws["D4"].number_format = "0%"
    ws["G4"] = "103%"
    ws["B5"], ws["C5"], ws["D5"], ws["E5"], ws["F5"] = "案件如期辦結率", "如期辦結件數 ÷ 總件數", "15%", "98", 97
    ws["A6"] = "二、推動數位便民"
    ws["B6"], ws["C6"], ws["D6"], ws["E6"], ws["F6"] = ("線上申辦件數", "全年線上申辦件數", "高" if bad_weight else 10,
                                                     "1,200", 1530.0)
    ws["A7"] = "貳、區政建設"
    ws.merge_cells("A7:G7")
    ws["A8"] = "一、改善社區\n環境"
    ws["B8"], ws["C8"], ws["D8"], ws["E8"] = "社區環境改造處數", "完成改造處數", 0.25, 4
    ws["D8"].number_format = "0%"
    wb.save(path)


def kpi_shape(report):
    return [(d.name, [(s.title, [dict(e.values) for e in s.items[0].entries]) for s in d.sections])
            for d in report.departments]


def test_kpi_excel_every_value_in_its_column(tmp_path):
    path = tmp_path / "kpi.xlsx"
    build_kpi_excel(path)
    result = read_with_report(path)
    report = result.report
    assert report.template.name == KPI
    assert (report.office, report.roc_year) == ("嘉義市東區區公所", 113)
    assert kpi_shape(report) == [
        ("便民服務", [
            ("提升為民服務品質", [
                {"indicator": "民眾滿意度", "standard": "問卷調查滿意以上人數 ÷ 受訪人數", "weight": 20, "target": 90,
                 "actual": 93},
                {"indicator": "案件如期辦結率", "standard": "如期辦結件數 ÷ 總件數", "weight": 15, "target": 98,
                 "actual": 97}]),
            ("推動數位便民", [
                {"indicator": "線上申辦件數", "standard": "全年線上申辦件數", "weight": 10, "target": 1200, "actual": 1530}]),
        ]),
        ("區政建設", [
            ("改善社區環境", [{"indicator": "社區環境改造處數", "standard": "完成改造處數", "weight": 25, "target": 4}]),
        ]),
    ]
    # 達成度 103% typed beside 93 ÷ 90 = 103.3%: within the typed rounding, no warning.
    assert result.warnings == []


def test_kpi_bad_weight_is_a_warning_naming_row_and_column(tmp_path):
    path = tmp_path / "kpi.xlsx"
    build_kpi_excel(path, bad_weight=True)
    result = read_with_report(path)
    entry = result.report.departments[0].sections[1].items[0].entries[0]
    assert "weight" not in entry.values and entry.values["target"] == 1200
    texts = messages(result)
    assert len(texts) == 1 and "工作表「施政績效」第 6 列" in texts[0] and "第 4 欄「權重」" in texts[0] \
        and "「高」不是百分比" in texts[0], texts


def test_kpi_percent_with_decimals_from_the_number_not_the_shown_text(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "kpi.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["113年度施政績效"])
    ws.append(["策略績效目標", "衡量指標", "權重(%)", "年度目標值", "實際值"])
    ws.append(["壹、便民服務"])
    ws.merge_cells("A3:E3")
    ws.append(["一、品質", "滿意度", 0.125, 90, 80])
    ws["C4"].number_format = "0%"  # shows 13%; the number is 12.5
    wb.save(path)
    result = read_with_report(path, office="東區區公所")
    entry = result.report.departments[0].sections[0].items[0].entries[0]
    assert entry.values == {"indicator": "滿意度", "weight": 12.5, "target": 90, "actual": 80}
    # A missing stored column is said once; a missing computed one (達成度) is not missing anything.
    assert [w.message for w in result.warnings] == ["表格中沒有「衡量標準」欄，這一欄的值都是空的"]


# --- the same shapes in ODF --------------------------------------------------------------

def _odf_cell(text=None, *, rows=1, cols=1, value=None, kind=None):
    from odf.table import TableCell
    from odf.text import P

    attrs = {}
    if rows > 1:
        attrs["numberrowsspanned"] = rows
    if cols > 1:
        attrs["numbercolumnsspanned"] = cols
    if kind:
        attrs["valuetype"] = kind
        attrs["value"] = value
    cell = TableCell(**attrs)
    for line in (text or "").split("\n") if text else []:
        cell.addElement(P(text=line))
    return cell


def _covered(n=1):
    from odf.table import CoveredTableCell

    return [CoveredTableCell() for _ in range(n)]


def _odf_rows(table, rows):
    from odf.table import TableRow

    for cells in rows:
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        table.addElement(row)


def test_kpi_ods(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    doc = OpenDocumentSpreadsheet()
    table = Table(name="績效")
    c = _odf_cell
    _odf_rows(table, [
        [c("東區區公所 113 年度施政績效報告", cols=6), *_covered(5)],
        [c(h) for h in ["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值"]],
        [c("壹、便民服務", cols=6), *_covered(5)],
        [c("一、提升為民服務品質", rows=2), c("民眾滿意度"), c("問卷"), c("20%", value="0.2", kind="percentage"),
         c("90", value="90", kind="float"), c("93")],
        [*_covered(), c("如期辦結率"), c("件數"), c("15%", value="0.15", kind="percentage"), c("98"), c("97")],
    ])
    doc.spreadsheet.addElement(table)
    path = tmp_path / "kpi.ods"
    doc.save(str(path))
    result = read_with_report(path)
    assert result.report.template.name == KPI
    assert (result.report.office, result.report.roc_year) == ("東區區公所", 113)
    assert kpi_shape(result.report) == [("便民服務", [("提升為民服務品質", [
        {"indicator": "民眾滿意度", "standard": "問卷", "weight": 20, "target": 90, "actual": 93},
        {"indicator": "如期辦結率", "standard": "件數", "weight": 15, "target": 98, "actual": 97}])])]
    assert result.warnings == []


def test_budget_odt(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="東區區公所113年度重要施政項目執行情形"))
    table = Table(name="表格1")
    c = _odf_cell
    _odf_rows(table, [
        [c("項次", rows=2), c("重大計畫活動名稱", rows=2), c("辦理課室", rows=2), c("經費來源", rows=2),
         c("補助機關名稱", rows=2), c("預算執行情形", cols=3), *_covered(2), c("計畫成果及執行效益", rows=2)],
        [*_covered(5), c("預算金額"), c("執行金額"), c("執行率"), *_covered()],
        [c("壹、民政業務", cols=9), *_covered(8)],
        [c("1"), c("研習"), c("民政課"), c("■市庫負擔□補助款"), c(""), c("１２０，０００"), c("118,500"), c("98.75%"),
         c("辦理 2 場\n150 人")],
    ])
    doc.text.addElement(table)
    path = tmp_path / "budget.odt"
    doc.save(str(path))
    result = read_with_report(path)
    assert result.report.template.name == BUDGET
    assert rows_of(result.report.departments[0]) == [
        {"project": "研習", "unit": "民政課", "funding": ("市庫負擔",), "budget": 120000, "spent": 118500,
         "results": "辦理 2 場\n150 人"}]
    assert result.warnings == []


# --- choosing the template, refusing -------------------------------------------------------

def test_explicit_template_and_read_source(tmp_path):
    path = tmp_path / "budget.docx"
    build_budget_word(path)
    report = read_source(path, template=builtin_named(BUDGET))
    assert report.template.name == BUDGET and len(rows_of(report.departments[0])) == 2
    with pytest.raises(ReportError) as info:
        read_with_report(path, template=builtin_named(KPI))
    assert "找不到「施政績效（衡量指標）」範本的表格" in str(info.value) and "budget.docx" in str(info.value)


def test_a_table_of_no_template_keeps_the_default_refusal(tmp_path):
    import docx

    path = tmp_path / "other.docx"
    document = docx.Document()
    document.add_paragraph("113 年度工作總報告")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "電話"
    document.save(path)
    with pytest.raises(ReportError) as info:
        read_with_report(path)
    assert "找不到工作總報告的表格" in str(info.value)


def test_column_not_in_the_template_is_a_warning(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "kpi.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "績效"
    ws.append(["113年度施政績效"])
    ws.append(["策略績效目標", "衡量指標", "衡量標準", "權重", "年度目標值", "實際值", "", "承辦人"])
    ws.append(["壹、便民服務"])
    ws.append(["一、品質", "滿意度", "問卷", "20%", 90, 80, "", "王小明"])
    wb.save(path)
    result = read_with_report(path, office="東區")
    assert result.report.departments[0].name == "便民服務"  # typed in the first cell, no merge
    texts = messages(result)
    assert any("第 4 列" in t and "第 8 欄不屬於「施政績效（衡量指標）」範本的表格" in t and "王小明" in t for t in texts), texts


def test_headings_and_titles_normalised():
    assert normalise_heading("預算\n金額（元）") == "預算金額"
    assert normalise_heading("權 重 (%)") == "權重"
    assert normalise_heading("計畫成果及\u3000執行效益") == "計畫成果及執行效益"
    level = builtin_named(KPI).levels[1]
    assert strip_title(level, "一、提升\n品質") == (True, "提升品質")
    assert strip_title(level, "（二）推動") == (True, "推動")
    assert strip_title(level, "甲、推動") == (True, "推動")
    assert strip_title(level, "推動數位") == (False, "推動數位")


# --- narrative documents (施政報告（敘述式）) -------------------------------------------------

NARRATIVE = "施政報告（敘述式）"
NARRATIVE_LINES = [
    "壹、民政部門", "民政處部分", "甲、自治行政業務", "一、里鄰管理", "（一）辦理里鄰長研習", "1.上半年辦理 2 場。",
    "(1) 里長 84 人", "(2)鄰長 236 人", "2、下半年辦理 1 場。", "全年共召開 12 次。", "乙、宗教禮俗業務", "一、寺廟登記",
    "東區區公所部分", "甲、區政業務", "一、辦理區務會議 4 次。", "貳、財政部門", "財政處部分", "甲、公庫業務", "公庫收支均依法辦理。",
]
NARRATIVE_SHAPE = [
    ("民政部門", [
        ("民政處部分", [
            ("自治行政業務", [(1, "里鄰管理"), (2, "辦理里鄰長研習"), (3, "上半年辦理 2 場。"), (4, "里長 84 人"),
                         (4, "鄰長 236 人"), (3, "下半年辦理 1 場。"), (0, "全年共召開 12 次。")]),
            ("宗教禮俗業務", [(1, "寺廟登記")])]),
        ("東區區公所部分", [("區政業務", [(1, "辦理區務會議 4 次。")])])]),
    ("財政部門", [("財政處部分", [("公庫業務", [(0, "公庫收支均依法辦理。")])])]),
]


def narrative_shape(report):
    return [(d.name, [(s.title, [(i.title, [(e.level, e.text) for e in i.entries]) for i in s.items])
                      for s in d.sections]) for d in report.departments]


@pytest.mark.parametrize("styled", [False, True])
def test_narrative_word_typed_or_with_heading_styles(tmp_path, styled):
    import docx

    document = docx.Document()
    for line in ("嘉義市政府施政報告", "113 年度", "中華民國 114 年 3 月", "目錄", "壹、民政部門……………1",
                 "貳、財政部門\t5", "民 政 部 門"):
        document.add_paragraph(line)
    for line in NARRATIVE_LINES:
        level = 1 if line.startswith(("壹", "貳")) else 2 if line.endswith("部分") else 3 if line[0] in "甲乙" else 0
        if styled and level:
            document.add_heading(line, level)
        else:
            document.add_paragraph(line)
    path = tmp_path / "施政報告.docx"
    document.save(path)
    result = read_with_report(path)
    report = result.report
    assert report.template.name == NARRATIVE
    assert (report.office, report.roc_year, report.published_roc_year, report.published_month) == ("嘉義市政府", 113, 114, 3)
    assert narrative_shape(report) == NARRATIVE_SHAPE
    assert result.warnings == []


def test_narrative_odt_headings_by_outline_level(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    for line in ("嘉義市政府施政報告", "113 年度", "目錄", "壹、民政部門", "民政處部分", "貳、財政部門"):
        doc.text.addElement(P(text=line))  # a 目錄 of plain lines (page numbers as fields): passed over
    for line in NARRATIVE_LINES:
        level = 1 if line.startswith(("壹", "貳")) else 2 if line.endswith("部分") else 3 if line[0] in "甲乙" else 0
        doc.text.addElement(H(outlinelevel=level, text=line) if level else P(text=line))
    path = tmp_path / "report.odt"
    doc.save(str(path))
    result = read_with_report(path)
    assert result.report.template.name == NARRATIVE
    assert (result.report.office, result.report.roc_year) == ("嘉義市政府", 113)
    assert narrative_shape(result.report) == NARRATIVE_SHAPE
    assert result.warnings == []


def test_narrative_one_column_sheet_and_paragraph_before_any_heading(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in ["嘉義市政府施政報告", "113 年度", "壹、民政部門", "未歸類的一段。", *NARRATIVE_LINES[1:]]:
        ws.append([line])
    path = tmp_path / "report.xlsx"
    wb.save(path)
    result = read_with_report(path, template=builtin_named(NARRATIVE))
    shape = narrative_shape(result.report)
    assert shape[0][1][0] == ("", [("", [(0, "未歸類的一段。")])])  # an untitled 部分 › 業務, said
    assert shape[0][1][1:] == [("民政處部分", NARRATIVE_SHAPE[0][1][0][1])] + NARRATIVE_SHAPE[0][1][1:]
    texts = messages(result)
    assert len(texts) == 2 and all("第 4 列" in t for t in texts), texts
    assert "段落「未歸類的一段。」之前沒有部分，已放入未命名的部分" in texts[0]


# --- the command line --------------------------------------------------------------------

def test_cli_import_of_a_budget_table_keeps_its_template(tmp_path):
    from test_cli import run

    from app.document import ReportDocument

    build_budget_word(tmp_path / "budget.docx")
    out = run("import", "budget.docx", "-o", "budget.awr", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "已匯入 budget.docx → budget.awr：範本「重要施政項目（預算執行）」：2 個業務、3 列" in out.stdout
    doc = ReportDocument.open(tmp_path / "budget.awr", read_only=True)
    try:
        assert doc.report.template.name == BUDGET
        assert rows_of(doc.report.departments[1])[0]["budget"] == "由其他項目下勻支"
    finally:
        doc.close()
    out = run("import", "budget.docx", "-o", "kpi.awr", "--template", KPI, cwd=tmp_path)
    assert out.returncode != 0 and "找不到「施政績效（衡量指標）」範本的表格" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "kpi.awr").exists()


def test_kpi_typed_without_merges_and_header_repeated_after_a_page_break(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "績效"
    heading = ["策略績效\n目標", "衡量\n指標", "衡量標準", "權　重", "年度目標值", "實際值", "達成度"]
    for row in (["東區區公所 113 年度施政績效"], heading, ["壹、便民服務"],
                ["一、提升品質", "滿意度", "問卷", 20, 90, 93, "103%"],
                ["一、提升品質", "辦結率", "件數", 15, 98, 97, "99%"],
                heading,
                ["", "回覆率", "件數", 5, 100, 100, "100%"],
                ["二、數位", "線上件數", "件數", 10, 1200, 1530, "128%"]):
        ws.append(row)
    wb.save(tmp_path / "kpi.xlsx")
    result = read_with_report(tmp_path / "kpi.xlsx")
    assert [(s.title, [e.values["indicator"] for e in s.items[0].entries])
            for s in result.report.departments[0].sections] == [("提升品質", ["滿意度", "辦結率", "回覆率"]),
                                                                ("數位", ["線上件數"])]
    assert result.report.departments[0].sections[0].items[0].entries[0].values["weight"] == 20
    assert result.warnings == []


def test_an_offices_own_template_is_read_when_given_and_said_when_not(tmp_path):
    """An office's .awt (here the budget one with 預算金額 renamed 核定經費): with template= its
    headings are matched; without, the nearest built-in is used and what it cannot place is said."""
    from dataclasses import replace

    from openpyxl import Workbook

    from app.templates import renamed

    base = builtin_named(BUDGET)
    own = renamed(replace(base, columns=tuple(replace(c, heading="核定經費") if c.key == "budget" else c
                                               for c in base.columns)), "本所重要施政")
    wb = Workbook()
    ws = wb.active
    ws.title = "重要施政"
    ws.append(["西區區公所 113 年度重要施政項目執行情形"])
    ws.append(["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "核定經費", "執行金額", "執行率",
               "計畫成果及執行效益"])
    ws.append(["壹、民政業務"])
    ws.merge_cells("A3:I3")
    ws.append([1, "研習", "民政課", "市庫負擔", None, 1000, 800, None, "完成"])
    ws["F4"].number_format = ws["G4"].number_format = "#,##0"
    wb.save(tmp_path / "own.xlsx")
    result = read_with_report(tmp_path / "own.xlsx", template=own)
    assert result.report.template.name == "本所重要施政" and result.warnings == []
    assert rows_of(result.report.departments[0]) == [
        {"project": "研習", "unit": "民政課", "funding": ("市庫負擔",), "budget": 1000, "spent": 800, "results": "完成"}]
    result = read_with_report(tmp_path / "own.xlsx")
    assert result.report.template.name == BUDGET
    assert "budget" not in rows_of(result.report.departments[0])[0]
    assert [w.location + " " + w.message for w in result.warnings] == [
        "工作表「重要施政」 表格中沒有「預算金額」欄，這一欄的值都是空的",
        "工作表「重要施政」第 4 列 第 6 欄不屬於「重要施政項目（預算執行）」範本的表格，內容「1000」未匯入"]


@pytest.mark.parametrize("column", [0, 1])
def test_budget_heading_typed_in_one_cell_without_merges(tmp_path, column):
    import docx

    document = docx.Document()
    document.add_paragraph("東區區公所 113 年度重要施政項目執行情形")
    table = document.add_table(rows=4, cols=9)
    for col, text in enumerate(["項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算金額", "執行金額",
                                "執行率", "計畫成果及執行效益"]):
        table.cell(0, col).text = text
    table.cell(1, column).text = "壹、民政業務"
    for col, text in enumerate(["1", "研習", "民政課", "■市庫負擔", "", "1,000", "", "", "完成"]):
        table.cell(2, col).text = text
    table.cell(3, column).text = "貳、社會業務"
    document.save(tmp_path / "plain.docx")
    result = read_with_report(tmp_path / "plain.docx")
    assert [d.name for d in result.report.departments] == ["民政業務", "社會業務"]
    assert rows_of(result.report.departments[0]) == [
        {"project": "研習", "unit": "民政課", "funding": ("市庫負擔",), "budget": 1000, "results": "完成"}]
    assert result.warnings == []
