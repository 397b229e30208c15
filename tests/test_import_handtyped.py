"""Files typed by hand in Word, Excel and LibreOffice: every text lands in the right 目 at the right level."""
from __future__ import annotations

from app.importers.official import read_with_report
from app.model import LEVEL_ITEM, LEVEL_PARAGRAPH, LEVEL_SUBITEM


def entries_of(report, department, section, item):
    dep = report.department_named(department)
    assert dep is not None, [d.name for d in report.departments]
    sec = next(s for s in dep.sections if s.title == section)
    it = next(i for i in sec.items if i.title == item)
    return [(e.level, e.text, e.completion, e.remark) for e in it.entries]


# --- Word ------------------------------------------------------------------------

def build_word(path):
    """A clerk's Word table: merges made with cell.merge(), numbering typed by hand."""
    import docx

    document = docx.Document()
    document.add_paragraph("嘉義市西區區公所")
    document.add_paragraph("１１２年度工作總報告")
    document.add_paragraph("中華民國 113 年 2 月")
    table = document.add_table(rows=9, cols=6)
    rows = table.rows
    header = [c for c in rows[0].cells]
    header[0].text = "計畫名稱"
    header[3].text = "辦理情形"
    header[4].text = "完成程度\n百分比"
    header[5].text = "備　註"
    for cell, text in zip(rows[1].cells, ("類", "項", "目")):
        cell.text = text
    # 類 down all body rows, 項 over rows 2–6 and 7–8, 目 per 目.
    table.cell(2, 0).text = "壹、民政部門"
    table.cell(2, 1).text = "一、一般民政"
    table.cell(2, 2).text = "（一）選舉業務"
    table.cell(2, 3).text = "1、辦理里長補選。\n（1）東區。\n（2）西區。"
    table.cell(2, 4).text = "100％"
    table.cell(3, 3).text = "2、辦理總統選舉，投票率達 71.5%，\n計 1.5 萬人投票。"
    table.cell(3, 4).text = "１００％"
    table.cell(4, 2).text = "(二) 調解業務"
    table.cell(4, 3).text = "3.受理調解 120 件。4.成立 90 件。5.辦理講習：(1)上半年。(2)下半年。"
    table.cell(4, 4).text = "100%\n80 %\n50%"
    table.cell(4, 5).text = "持續辦理"
    table.cell(5, 2).text = "(三) 宗教禮俗"
    table.cell(5, 3).text = "辦理聯合奠祭 12 場。"
    table.cell(5, 4).text = "100%"
    # Row 6 continues 目 (三) without a merge: the 目 cell is simply left empty.
    table.cell(6, 3).text = "1．輔導寺廟登記。"
    table.cell(7, 1).text = "二、民防業務"
    table.cell(7, 2).text = "民防團業務"
    table.cell(7, 3).text = "隨時補充隊員。"
    table.cell(7, 4).text = "100%"
    table.cell(8, 3).text = "1) 8月19日舉行基本訓練。"
    table.cell(8, 4).text = "持續辦理"
    table.cell(0, 0).merge(table.cell(0, 2))
    for col in (3, 4, 5):
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(2, 0).merge(table.cell(8, 0))
    table.cell(2, 1).merge(table.cell(6, 1))
    table.cell(7, 1).merge(table.cell(8, 1))
    table.cell(2, 2).merge(table.cell(3, 2))
    table.cell(7, 2).merge(table.cell(8, 2))
    document.save(path)


def test_word_typed_by_hand(tmp_path):
    path = tmp_path / "西區 112.docx"
    build_word(path)
    result = read_with_report(path)
    report = result.report
    assert (report.office, report.roc_year, report.published_roc_year, report.published_month) == ("嘉義市西區區公所", 112, 113, 2)
    assert [d.name for d in report.departments] == ["民政部門"]
    sections = report.departments[0].sections
    assert [s.title for s in sections] == ["一般民政", "民防業務"]
    assert [(i.title, i.numbered) for i in sections[0].items] == [("選舉業務", True), ("調解業務", True), ("宗教禮俗", True)]
    assert [(i.title, i.numbered) for i in sections[1].items] == [("民防團業務", False)]
    assert entries_of(report, "民政部門", "一般民政", "選舉業務") == [
        (LEVEL_ITEM, "辦理里長補選。", 100, ""),
        (LEVEL_SUBITEM, "東區。", None, ""),
        (LEVEL_SUBITEM, "西區。", None, ""),
        (LEVEL_ITEM, "辦理總統選舉，投票率達 71.5%，\n計 1.5 萬人投票。", 100, ""),
    ]
    assert entries_of(report, "民政部門", "一般民政", "調解業務") == [
        (LEVEL_ITEM, "受理調解 120 件。", 100, "持續辦理"),
        (LEVEL_ITEM, "成立 90 件。", 80, ""),
        (LEVEL_ITEM, "辦理講習：", 50, ""),
        (LEVEL_SUBITEM, "上半年。", None, ""),
        (LEVEL_SUBITEM, "下半年。", None, ""),
    ]
    assert entries_of(report, "民政部門", "一般民政", "宗教禮俗") == [
        (LEVEL_PARAGRAPH, "辦理聯合奠祭 12 場。", 100, ""),
        (LEVEL_ITEM, "輔導寺廟登記。", None, ""),
    ]
    assert entries_of(report, "民政部門", "民防業務", "民防團業務") == [
        (LEVEL_PARAGRAPH, "隨時補充隊員。", 100, ""),
        (LEVEL_ITEM, "8月19日舉行基本訓練。", None, "持續辦理"),
    ]
    messages = [w.message for w in result.warnings]
    assert any("持續辦理" in m and "備註" in m for m in messages)
    warning = next(w for w in result.warnings if "持續辦理" in w.message)
    assert (warning.place, warning.row) == ("第 1 個表格", 9)
    assert "西區 112.docx" in str(warning) and "第 9 列" in str(warning)
    assert result.counts_by_department["民政部門"].entries == 13


def test_word_automatic_numbering(tmp_path):
    """Lists numbered by Word itself (w:numPr), not typed: the numbers come from numbering.xml."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%2)"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("臺南市北區區公所 111 年度工作總報告")
    table = document.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ("項", "目", "辦理情形", "完成程度", "備註")):
        cell.text = text
    row = table.rows[1].cells
    row[0].text = "一、社會福利"
    row[1].text = "(一)急難救助"
    cell = row[2]
    for n, (level, text) in enumerate(((0, "受理急難救助。"), (1, "一般戶。"), (1, "低收入戶。"), (0, "發放慰問金。"))):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.text = text
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    row[3].text = "100%\n90%"
    path = tmp_path / "auto.docx"
    document.save(path)
    result = read_with_report(path)
    report = result.report
    assert (report.office, report.roc_year) == ("臺南市北區區公所", 111)
    # No 類 column and no heading before the table: the department has no name, and says so.
    assert report.departments[0].name == ""
    assert any("部門名稱" in w.message for w in result.warnings)
    assert [(e.level, e.text, e.completion) for e in report.departments[0].sections[0].items[0].entries] == [
        (LEVEL_ITEM, "受理急難救助。", 100),
        (LEVEL_SUBITEM, "一般戶。", None),
        (LEVEL_SUBITEM, "低收入戶。", None),
        (LEVEL_ITEM, "發放慰問金。", 90),
    ]


def test_word_text_before_any_item_is_a_located_warning(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("110 年度工作總報告")
    document.add_paragraph("社建部門")
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ("項", "目", "辦理情形", "完成程度")):
        cell.text = text
    table.rows[1].cells[2].text = "沒有目的文字。"
    for cell, text in zip(table.rows[2].cells, ("一、社政", "(一)救助", "1.發放。", "100%")):
        cell.text = text
    path = tmp_path / "orphan.docx"
    document.save(path)
    result = read_with_report(path)
    assert [d.name for d in result.report.departments] == ["社建部門"]
    orphan = [w for w in result.warnings if "沒有目的文字" in w.message]
    assert len(orphan) == 1 and orphan[0].row == 2 and orphan[0].place == "第 1 個表格"
    assert entries_of(result.report, "社建部門", "社政", "救助") == [(LEVEL_ITEM, "發放。", 100, "")]
    assert any("機關名稱" in w.message for w in result.warnings)
    assert result.report.office == ""


# --- Excel -------------------------------------------------------------------------

def build_excel(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "社會課"
    ws["A1"] = "嘉義市東區區公所１０８年度工作總報告"
    ws.merge_cells("A1:F1")
    ws.append(["計畫名稱", None, None, "辦理情形", "完成程度\n（百分比）", "備註"])
    ws.append(["類", "項", "目"])
    ws.merge_cells("A2:C2")
    for col in "DEF":
        ws.merge_cells(f"{col}2:{col}3")
    rows = [
        ["貳\n、\n社\n建\n部\n門", "一、社會救助", "（一）急難救助", "１．受理申請 45 件。\n２．核發 40 件。", "１００％\n８０％", None],
        [None, None, None, "３、轉介 5 件。", 1, None],
        [None, None, "（二）以工代賑", "（１）上半年 10 人。\n（２）下半年 12 人。", None, "依規定辦理"],
        [None, "二、社區發展", "社區發展工作", "輔導社區辦理活動。\n\n共 20 場。", "95 %", None],
    ]
    for row in rows:
        ws.append(row)
    ws["E5"].number_format = "0%"  # 1 shown as 100%
    ws.merge_cells("A4:A7")
    ws.merge_cells("B4:B6")
    ws.merge_cells("C4:C5")
    # A formula is read as its cached value, never as code; here there is none cached.
    ws["H10"] = "=SUM(1,2)"
    wb.create_sheet("兵役課")  # an empty sheet: no table, skipped
    wb.save(path)


def test_excel_typed_by_hand(tmp_path):
    path = tmp_path / "108.xlsx"
    build_excel(path)
    result = read_with_report(path)
    report = result.report
    assert (report.office, report.roc_year) == ("嘉義市東區區公所", 108)
    assert [d.name for d in report.departments] == ["社建部門"]
    assert entries_of(report, "社建部門", "社會救助", "急難救助") == [
        (LEVEL_ITEM, "受理申請 45 件。", 100, ""),
        (LEVEL_ITEM, "核發 40 件。", 80, ""),
        (LEVEL_ITEM, "轉介 5 件。", 100, ""),
    ]
    assert entries_of(report, "社建部門", "社會救助", "以工代賑") == [
        (LEVEL_SUBITEM, "上半年 10 人。", None, "依規定辦理"),
        (LEVEL_SUBITEM, "下半年 12 人。", None, ""),
    ]
    # A blank line inside a cell starts a new paragraph; the lone 目 is unnumbered.
    section = report.departments[0].sections[1]
    assert (section.items[0].title, section.items[0].numbered) == ("社區發展工作", False)
    assert entries_of(report, "社建部門", "社區發展", "社區發展工作") == [
        (LEVEL_PARAGRAPH, "輔導社區辦理活動。", 95, ""),
        (LEVEL_PARAGRAPH, "共 20 場。", None, ""),
    ]


def test_excel_sheet_name_names_a_department_without_class_column(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    toc = wb.active
    toc.title = "目錄"
    toc["A1"] = "新竹市北區區公所"
    toc["A2"] = "107年度工作總報告"
    ws = wb.create_sheet("人事部門")
    ws.append(["項", "目", "辦理情形", "完成程度", "備註", "經費"])
    ws.append(["一、人事管理", "(一)考核", "1.辦理年終考績。", "100%", None, "3 萬元"])
    wb.save(tmp_path / "hr.xlsx")
    result = read_with_report(tmp_path / "hr.xlsx")
    report = result.report
    assert (report.office, report.roc_year) == ("新竹市北區區公所", 107)
    assert entries_of(report, "人事部門", "人事管理", "考核") == [(LEVEL_ITEM, "辦理年終考績。", 100, "")]
    extra = [w for w in result.warnings if "3 萬元" in w.message]
    assert extra and extra[0].place == "工作表「人事部門」" and extra[0].row == 2


# --- ODF (LibreOffice) ---------------------------------------------------------------

def _odf_cell(text=None, *, rows=1, cols=1, value_percent=None, repeat=1):
    from odf.table import TableCell
    from odf.text import LineBreak, P, S

    attrs = {}
    if rows > 1:
        attrs["numberrowsspanned"] = rows
    if cols > 1:
        attrs["numbercolumnsspanned"] = cols
    if repeat > 1:
        attrs["numbercolumnsrepeated"] = repeat
    if value_percent is not None:
        attrs.update(valuetype="percentage", value=value_percent)
    cell = TableCell(**attrs)
    if text is not None:
        for line in text.split("\n"):
            p = P()
            # "2.␣␣text" written with text:s, a manual line break with text:line-break
            for n, part in enumerate(line.split("⏎")):
                if n:
                    p.addElement(LineBreak())
                pieces = part.split("␣␣")
                for k, piece in enumerate(pieces):
                    if k:
                        p.addElement(S(c=2))
                    if piece:
                        p.addText(piece)
            cell.addElement(p)
    return cell


def _covered(repeat=1):
    from odf.table import CoveredTableCell

    return CoveredTableCell(numbercolumnsrepeated=repeat) if repeat > 1 else CoveredTableCell()


def build_ods(path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow

    doc = OpenDocumentSpreadsheet()
    table = Table(name="工務部門")
    rows = [
        [_odf_cell("臺中市西區區公所 106 年度工作總報告", cols=6), _covered(5)],
        [_odf_cell("計畫名稱", cols=3), _covered(2), _odf_cell("辦理情形", rows=2), _odf_cell("完成程度百分比", rows=2),
         _odf_cell("備註", rows=2), _odf_cell(repeat=1000)],
        [_odf_cell("類"), _odf_cell("項"), _odf_cell("目"), _covered(3)],
        [_odf_cell("參、工務部門", rows=3), _odf_cell("一、道路養護", rows=3), _odf_cell("(一) 路燈", rows=2),
         _odf_cell("1.␣␣修復路燈 300 盞。⏎含 LED 換裝。"), _odf_cell("100%", value_percent=1), _odf_cell()],
        [_covered(3), _odf_cell("2.巡查 12 次。3.通報 4 件。"), _odf_cell("100%\n100%"), _odf_cell(repeat=16378)],
        [_covered(2), _odf_cell("(二) 側溝"), _odf_cell("清疏側溝 5 公里。"), _odf_cell(), _odf_cell()],
    ]
    for cells in rows:
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        table.addElement(row)
    tail = TableRow(numberrowsrepeated=1048000)
    tail.addElement(_odf_cell(repeat=1024))
    table.addElement(tail)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def test_ods_typed_by_hand(tmp_path):
    path = tmp_path / "hand.ods"
    build_ods(path)
    result = read_with_report(path)
    report = result.report
    assert (report.office, report.roc_year) == ("臺中市西區區公所", 106)
    assert [d.name for d in report.departments] == ["工務部門"]
    assert entries_of(report, "工務部門", "道路養護", "路燈") == [
        (LEVEL_ITEM, "修復路燈 300 盞。\n含 LED 換裝。", 100, ""),
        (LEVEL_ITEM, "巡查 12 次。", 100, ""),
        (LEVEL_ITEM, "通報 4 件。", 100, ""),
    ]
    assert entries_of(report, "工務部門", "道路養護", "側溝") == [(LEVEL_PARAGRAPH, "清疏側溝 5 公里。", None, "")]
    assert result.warnings == []


def test_odt_typed_by_hand(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="105 年度工作總報告"))
    doc.text.addElement(P(text="彰化縣彰化市公所"))
    doc.text.addElement(H(outlinelevel=1, text="會 計 部 門"))
    table = Table(name="表格1")
    rows = [
        [_odf_cell("項"), _odf_cell("目"), _odf_cell("辦理情形"), _odf_cell("完成程度"), _odf_cell("備註")],
        [_odf_cell("一、歲計", rows=2), _odf_cell("(一)預算", rows=2), _odf_cell("1、編製預算。\n（1）總預算。"),
         _odf_cell("100%"), _odf_cell()],
        [_covered(2), _odf_cell("（2）追加預算。"), _odf_cell(), _odf_cell()],
    ]
    for cells in rows:
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    path = tmp_path / "hand.odt"
    doc.save(str(path))
    result = read_with_report(path)
    report = result.report
    assert (report.office, report.roc_year) == ("彰化縣彰化市公所", 105)
    assert entries_of(report, "會計部門", "歲計", "預算") == [
        (LEVEL_ITEM, "編製預算。", 100, ""),
        (LEVEL_SUBITEM, "總預算。", None, ""),
        (LEVEL_SUBITEM, "追加預算。", None, ""),
    ]


def test_overrides_for_office_and_year(tmp_path):
    path = tmp_path / "hand.ods"
    build_ods(path)
    result = read_with_report(path, office="某某區公所", roc_year=120)
    assert (result.report.office, result.report.roc_year) == ("某某區公所", 120)


def test_word_department_continued_in_a_second_table(tmp_path):
    """A table split at a page break into two tables, the header typed again: one department."""
    import docx

    document = docx.Document()
    document.add_paragraph("嘉義市東區區公所 109 年度工作總報告")
    for rows in (
        [("類", "項", "目", "辦理情形", "完成程度"), ("壹、民政部門", "一、一般民政", "(一)選舉", "1.甲。", "100%")],
        [("類", "項", "目", "辦理情形", "完成程度"), ("", "", "", "2.乙。", "90%"), ("", "", "(二)戶政", "1.丙。", "")],
    ):
        table = document.add_table(rows=len(rows), cols=5)
        for row, values in zip(table.rows, rows):
            for cell, text in zip(row.cells, values):
                cell.text = text
        document.add_paragraph("")
    path = tmp_path / "split.docx"
    document.save(path)
    result = read_with_report(path)
    report = result.report
    assert [d.name for d in report.departments] == ["民政部門"]
    assert [(i.title, len(i.entries)) for i in report.departments[0].sections[0].items] == [("選舉", 2), ("戶政", 1)]
    assert entries_of(report, "民政部門", "一般民政", "選舉")[1] == (LEVEL_ITEM, "乙。", 90, "")
    assert result.warnings == []
