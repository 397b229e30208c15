"""Report templates (issue 19, the foundation): the model and its file format, the four
built-ins, numbering variants, value rules per column type, the template in the report
file (migration 0006), in JSON, packages and rollover, and the CLI."""
from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.schemacheck import first_problem
from app import cli
from app.document import ReportDocument
from app.errors import NotAReportError, ReportError
from app.interchange import dumps, report_from_dict, report_to_dict
from app.layout import TOC_TITLE_SUFFIX, layout, template_numbers, text_values
from app.model import Department, Entry, Item, Report, Section
from app.numbering import (
    STYLES,
    chinese_numeral,
    entry_numbers,
    financial_numeral,
    format_number,
    latin_numeral,
    stem_numeral,
)
from app.packages import issue_package, plan_merge
from app.resources import resource_path
from app.rollover import next_year
from app.sample import sample_report
from app.storage import schema
from app.storage.backup import list_backups
from app.storage.repository import _connect, _set_meta
from app import templates as t
from app.templates import (
    BUILTIN_FILES,
    DEFAULT_TEMPLATE_NAME,
    Column,
    Level,
    NumberFormat,
    builtin_named,
    builtin_templates,
    check_value,
    compute,
    default_template,
    format_value,
    from_dict,
    number_levels,
    numbered_text_numbers,
    read_template,
    write_template,
)

BUDGET = "重要施政項目（預算執行）"
NARRATIVE = "施政報告（敘述式）"
KPI = "施政績效（衡量指標）"


# --- built-ins and the file format -------------------------------------------------------


def test_the_four_built_ins_load_in_their_order():
    assert [tpl.name for tpl in builtin_templates()] == [DEFAULT_TEMPLATE_NAME, BUDGET, NARRATIVE, KPI]
    assert default_template().is_default
    assert [tpl.is_default for tpl in builtin_templates()] == [True, False, False, False]


@pytest.mark.parametrize("file_name", BUILTIN_FILES)
def test_built_in_files_are_valid_and_written_as_to_dict_writes_them(file_name):
    """The program reads its bundled files without jsonschema (start-up); here they are checked."""
    path = resource_path("templates", file_name)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert first_problem(t.TEMPLATE_SCHEMA_JSON, data) is None
    assert read_template(path).to_dict() == data  # read_template validates, as for any office's file
    assert read_template(path) == t._bundled(file_name)


def test_the_default_template_is_read_once_and_compared_cheaply():
    assert default_template() is default_template() is Report().template
    assert t.default_dumps() == default_template().dumps()
    assert not replace(default_template(), orientation="landscape").is_default


@pytest.mark.parametrize("name", [DEFAULT_TEMPLATE_NAME, BUDGET, NARRATIVE, KPI])
def test_round_trip_through_dict_and_file(name, tmp_path):
    template = builtin_named(name)
    assert from_dict(json.loads(template.dumps())) == template
    path = tmp_path / "copy.awt"
    write_template(t.renamed(template, "本所的範本"), path)
    again = read_template(path)
    assert again.name == "本所的範本" and again.levels == template.levels and again.columns == template.columns
    assert again.is_default == template.is_default  # the name is not the layout


def test_the_budget_template_is_the_issue_s_table():
    budget = builtin_named(BUDGET)
    assert [c.heading for c in budget.columns] == [
        "項次", "重大計畫活動名稱", "辦理課室", "經費來源", "補助機關名稱", "預算金額", "執行金額", "執行率", "計畫成果及執行效益"]
    assert budget.column("serial").type == "serial" and budget.column("serial").restart == "parent"
    assert budget.column("funding").choices == ("市庫負擔", "補助款")
    assert {budget.column(k).group for k in ("budget", "spent", "rate")} == {"預算執行情形"}
    assert budget.column("budget").allow_text and budget.column("rate").numerator == "spent"
    assert budget.levels[0].display == "heading" and budget.orientation == "landscape"


def test_the_narrative_template_has_the_stem_level_and_no_table():
    narrative = builtin_named(NARRATIVE)
    assert narrative.layout == "narrative"
    # 壹 民政部門 › 民政處部分 › 甲 自治行政業務 as the report's three levels; 一、 (一) 1. (1) below
    # them are the levels of its numbered text (the report model has three levels above its entries).
    assert [lv.name for lv in narrative.levels] == ["部門", "部分", "業務"]
    assert narrative.levels[2].numbering == NumberFormat("stem", "、")
    assert narrative.levels[1].numbering.system == "none"
    assert narrative.text_column.levels == (NumberFormat("chinese", "、"), NumberFormat("chinese", "()"),
                                            NumberFormat("arabic", "."), NumberFormat("arabic", "()"))
    assert narrative.max_entry_level == 4


def test_the_kpi_template_computes_achievement():
    kpi = builtin_named(KPI)
    achievement = kpi.column("achievement")
    assert achievement.type == "computed" and (achievement.numerator, achievement.denominator) == ("actual", "target")
    assert kpi.levels[1].display == "column" and kpi.levels[1].name == "策略績效目標"


def _data(**changes):
    data = default_template().to_dict()
    data.update(changes)
    return data


def _refusal(data, path="x.awt") -> str:
    with pytest.raises(ReportError) as caught:
        from_dict(data, path)
    message = str(caught.value)
    assert message.startswith("x.awt：") and "\n" not in message and "Traceback" not in message
    return message


def test_schema_refusals_name_the_file_and_the_place():
    assert "format 應為" in _refusal({"format": "workreport", "version": 1})
    assert "版本 2 不受支援" in _refusal(_data(version=2))
    data = _data()
    del data["name"]
    assert "缺少必要欄位「name」" in _refusal(data)
    data = _data()
    data["levels"][0]["numbering"]["system"] = "roman"
    message = _refusal(data)
    assert "levels[0].numbering.system" in message and "roman" in message
    data = _data()
    data["columns"][1]["type"] = "currency"
    assert "columns[1].type" in _refusal(data)
    data = _data()
    data["columns"][0]["width"] = "46"
    assert "columns[0].width 的型別錯誤" in _refusal(data)
    data = _data()
    data["levels"][0]["colour"] = "red"
    assert "不認得的欄位" in _refusal(data)
    assert "levels 項目數不符" in _refusal(_data(levels=[]))


def test_rule_refusals_the_schema_cannot_say():
    data = _data()
    data["columns"][2]["key"] = "text"
    assert "key 不能重複" in _refusal(data)
    data = _data()
    data["columns"][2]["width"] = 20
    assert "合計應為 100，實際為 109" in _refusal(data)
    data = _data()
    data["columns"].append({"key": "ratio", "heading": "比率", "type": "computed", "numerator": "remark",
                            "denominator": "completion"})
    data["columns"][2]["width"] = 11
    assert "「remark」不是本範本的金額、整數或百分比欄位" in _refusal(data)
    assert "未知的代入欄位「{year}」" in _refusal(_data(running_header="{year} 年度"))
    assert "大括號不成對" in _refusal(_data(running_header="{office"))
    assert "未知的代入欄位「{office:d}」" in _refusal(_data(running_header="{office:d}"))
    assert "未知的代入欄位「{}」" in _refusal(_data(cover={"title": "{}", "lines": []}))
    data = _data()
    data["columns"][1] = {"key": "kind", "heading": "類別", "type": "choice", "width": 9, "choices": []}
    assert "需要列出選項" in _refusal(data)


def test_bad_files(tmp_path):
    with pytest.raises(ReportError, match="找不到範本檔"):
        read_template(tmp_path / "none.awt")
    path = tmp_path / "bad.awt"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ReportError, match=r"bad\.awt：範本檔的 JSON 格式錯誤（第 1 行"):
        read_template(path)
    path.write_bytes("範本".encode("big5"))
    with pytest.raises(ReportError, match="不是 UTF-8"):
        read_template(path)
    path.write_text(json.dumps({"format": "workreport-template", "version": 1}), encoding="utf-8")
    with pytest.raises(ReportError, match="缺少必要欄位"):
        read_template(path)


# --- numbering -------------------------------------------------------------------------


@pytest.mark.parametrize("n, plain, financial", [
    (20, "二十", "貳拾"), (21, "二十一", "貳拾壹"), (30, "三十", "參拾"), (99, "九十九", "玖拾玖"),
    (100, "一百", "壹佰"), (101, "一百零一", "壹佰零壹"), (115, "一百一十五", "壹佰壹拾伍"),
    (120, "一百二十", "壹佰貳拾"), (999, "九百九十九", "玖佰玖拾玖"), (1000, "一千", "壹仟"),
    (1005, "一千零五", "壹仟零伍"), (1010, "一千零一十", "壹仟零壹拾"), (2300, "二千三百", "貳仟參佰"),
])
def test_numerals_past_twenty(n, plain, financial):
    assert chinese_numeral(n) == plain
    assert financial_numeral(n) == financial


def test_financial_eleven_and_twenty():
    assert format_number(11, "financial", "、") == "拾壹、"
    assert format_number(20, "financial", "、") == "貳拾、"


def test_stem_level_and_beyond_its_ten():
    assert [stem_numeral(n) for n in (1, 2, 3, 10)] == ["甲", "乙", "丙", "癸"]
    assert stem_numeral(11) == "十一"
    assert format_number(2, "stem", "、") == "乙、"


def test_latin_numbers():
    assert [latin_numeral(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    assert format_number(3, "latin_lower", ".") == "c."


@pytest.mark.parametrize("n, system, punctuation, text", [
    (4, "arabic", "、", "4、"), (4, "arabic", ".", "4."), (1, "chinese", "（）", "（一）"),
    (21, "chinese", "（）", "（二十一）"), (1, "chinese", "()", "(一)"), (7, "arabic", "", "7"),
    (3, "arabic", "．", "3．"), (5, "none", "、", ""),
])
def test_punctuation(n, system, punctuation, text):
    assert format_number(n, system, punctuation) == text


def test_1_dun_at_the_fourth_level_and_full_width_parentheses_in_a_template():
    column = replace(default_template().column("text"),
                     levels=(NumberFormat("arabic", "、"), NumberFormat("arabic", "（）")))
    assert numbered_text_numbers(column, [1, 2, 2, 0, 1, 2]) == ["1、", "（1）", "（2）", "", "2、", "（1）"]
    assert numbered_text_numbers(column, [1, 2, 1]) == entry_numbers([1, 2, 1], "comma")[:1] + ["（1）", "2、"]


def test_narrative_numbering_with_the_stem_level_and_an_unnumbered_level():
    """壹 民政部門 › 民政處部分 › 甲 自治行政業務 › 一、 › (一) › 1. › (1): three levels of the
    report and four of its numbered text (app/rows.py numbers a report under its template)."""
    from app import rows

    def entries(*levels):
        return [Entry(level=level, text=f"{level}") for level in levels]

    business = Item(title="自治行政業務", entries=entries(1, 2, 3, 4, 4, 3, 2, 1, 0, 2))
    second = Item(title="戶政業務", entries=entries(1))
    report = Report(office="嘉義市政府", roc_year=109, template=builtin_named(NARRATIVE), departments=[
        Department(name="民政部門", sections=[Section(title="民政處部分", items=[business, second]),
                                              Section(title="東區區公所部分", items=[Item(title="區政業務")])]),
        Department(name="財政部門", sections=[Section(title="財政處部分", items=[Item(title="稅務")])])])
    numbers = rows.numbers(report)
    assert [numbers[e.id] for e in business.entries] == [
        "一、", "(一)", "1.", "(1)", "(2)", "2.", "(二)", "二、", "", "(一)"]
    assert [numbers[n.id] for n in report.walk() if n.kind != "entry"] == [
        "壹、", "", "甲、", "乙、", "", "甲、", "貳、", "", "甲、"]


def test_restart_never_counts_through_the_report():
    levels = (Level("group", "業務", NumberFormat("financial", "、")),
              Level("row", "項次", NumberFormat("arabic", ""), restart="never"))
    assert number_levels(levels, [(0, True), (1, True), (1, True), (0, True), (1, True)]) == ["壹、", "1", "2", "貳、", "3"]
    levels = (levels[0], replace(levels[1], restart="parent"))
    assert number_levels(levels, [(0, True), (1, True), (1, True), (0, True), (1, True)]) == ["壹、", "1", "2", "貳、", "1"]


def test_unnumbered_nodes_do_not_count():
    levels = default_template().levels
    assert number_levels(levels, [(0, True), (1, True), (2, True), (2, False), (2, True)]) == [
        "壹、", "一、", "(一)", "", "(二)"]


# --- the default template is today's layout ----------------------------------------------


def test_default_template_numbers_the_sample_as_app_layout_does():
    report = sample_report()
    numbers = template_numbers(default_template(), report)
    expected: dict[str, str] = {}
    for block in layout(report).departments:
        expected[block.department.id] = block.number
        for section in block.sections:
            expected[section.section.id] = section.number
            for item in section.items:
                expected[item.item.id] = item.number
                for row in item.rows:
                    for entry, number in zip(row.entries, row.numbers):
                        expected[entry.id] = number
    assert numbers == expected
    assert len(numbers) == sum(1 for _ in report.walk())
    assert {"壹、", "柒、", "(一)", "1.", "(1)", ""} <= set(numbers.values())


def test_default_template_is_the_standard_numbering_style():
    style = default_template().numbering_style()
    standard = STYLES["standard"]
    assert (style.department, style.section, style.item, style.entry, style.subitem) == (
        standard.department, standard.section, standard.item, standard.entry, standard.subitem)


def test_default_template_texts_are_today_s_texts():
    report = sample_report()
    lay = layout(report)
    template = default_template()
    values = text_values(report)
    assert template.title_text(values) == lay.title
    assert template.running_header_text(values) == lay.running_header
    assert template.cover_lines(values) == [lay.office, lay.published]
    assert template.contents_title(values) == f"{lay.title}{TOC_TITLE_SUFFIX}"
    assert [template.contents.numbering.format(b.position) + b.name for b in lay.departments] == [
        b.toc_label for b in lay.departments]


def test_default_template_columns_are_the_official_table():
    from app.layout import COLUMN_SHARES, HEADER_COMPLETION, HEADER_PLAN, HEADER_PROGRESS, HEADER_REMARK

    template = default_template()
    parts = template.table_columns
    assert tuple(part.width for part in parts) == COLUMN_SHARES
    assert [part.heading for part in parts] == ["類", "項", "目", HEADER_PROGRESS, HEADER_COMPLETION, HEADER_REMARK]
    assert {level.group for level in template.levels} == {HEADER_PLAN}
    assert [c.key for c in template.columns] == ["text", "completion", "remark"]  # the Entry fields
    assert template.levels[0].divider_page and template.levels[2].may_be_unnumbered


# --- values per column type ---------------------------------------------------------------


def test_money():
    column = builtin_named(BUDGET).column("budget")
    assert check_value(column, "1,234,567") == t.Checked(1234567, "1,234,567")
    assert check_value(column, "1234567").text == "1,234,567"
    assert check_value(column, "１，２３４ 元").value == 1234
    assert check_value(column, "由其他項目下勻支") == t.Checked("由其他項目下勻支", "由其他項目下勻支")
    # …but a number typed wrong is not words to keep: it is refused as a number (found walking the window)
    for typo in ("12,34", "1.2.3", "１２，３４"):
        assert check_value(column, typo).problem == f"「{typo}」不是金額（整數，可用千分位逗號，如 1,234,567）"
    assert check_value(column, "約 12 萬").value == "約 12 萬"
    strict = replace(column, allow_text=False)
    assert "不是金額" in check_value(strict, "12,34").problem
    assert "小於 0" in check_value(strict, "-5").problem
    assert check_value(strict, "  ").value is None
    assert format_value(column, 5000000) == "5,000,000"


def test_percent_and_integer():
    column = default_template().column("completion")
    assert check_value(column, "85%") == t.Checked(85, "85%")
    assert check_value(column, "８５％").value == 85
    assert "大於 100" in check_value(column, "120").problem
    assert "不是百分比" in check_value(column, "八成").problem
    assert t.format_percent(85.25, 1) == "85.3%" and t.format_percent(0.5) == "1%"
    target = builtin_named(KPI).column("target")
    assert check_value(target, "1,200").value == 1200
    assert check_value(target, "持續辦理").value == "持續辦理"  # allow_text


def test_roc_dates():
    column = Column("day", "日期", "date", 10)
    for typed in ("110年3月5日", "民國110年3月5日", "110/3/5", "110.03.05", "110-3-5", "1100305", "2021/3/5", "１１０年３月５日"):
        assert check_value(column, typed) == t.Checked(datetime.date(2021, 3, 5), "110年3月5日"), typed
    assert "不是存在的日期" in check_value(column, "110年2月30日").problem
    assert "不是日期" in check_value(column, "明年").problem


def test_choices():
    column = builtin_named(BUDGET).column("funding")
    assert check_value(column, "市庫負擔") == t.Checked(("市庫負擔",), "■市庫負擔 □補助款")
    assert check_value(column, "■市庫負擔 □補助款").value == ("市庫負擔",)
    assert check_value(column, "□市庫負擔 ■補助款").value == ("補助款",)
    assert check_value(column, "☐市庫負擔 ☒補助款").value == ("補助款",)  # Word's check box symbols
    assert check_value(column, "✓市庫負擔").value == ("市庫負擔",)
    assert check_value(column, "補助款、市庫負擔").value == ("市庫負擔", "補助款")  # in the template's order
    assert "不是「經費來源」的選項" in check_value(column, "中央統籌").problem
    single = replace(column, multiple=False)
    assert "只能選一項" in check_value(single, "■市庫負擔 ■補助款").problem


def test_computed_ratio():
    rate = builtin_named(BUDGET).column("rate")
    assert compute(rate, {"budget": 200000, "spent": 150000}) == 75.0
    assert format_value(rate, None, {"budget": 3, "spent": 1}) == "33.3%"
    assert compute(rate, {"budget": 0, "spent": 5}) is None
    assert compute(rate, {"budget": "由其他項目下勻支", "spent": 5}) is None
    assert "由程式產生" in check_value(rate, "50%").problem


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.from_regex(r"[-－]?[0-9０-９,，]{1,40}[%％元]?", fullmatch=True))
def test_check_value_never_raises(text):
    for template in builtin_templates():
        for column in template.columns:
            checked = check_value(column, text)
            assert checked.problem is None or (checked.value is None and "\n" not in checked.problem)
            if checked.problem is None and checked.value is not None:
                assert check_value(column, checked.text).text == checked.text  # what is shown reads back as itself


def test_unit_and_text():
    unit = builtin_named(BUDGET).column("unit")
    assert check_value(unit, " 民政課 ").value == "民政課"
    assert "不能分行" in check_value(unit, "民政課\n社會課").problem
    text = default_template().column("remark")
    assert check_value(text, " 保留 空白 ").value == " 保留 空白 "


# --- in the report file ------------------------------------------------------------------


def _budget_report() -> Report:
    return Report(office="測試區公所", roc_year=114, template=builtin_named(BUDGET))


def test_a_report_file_keeps_its_template(tmp_path):
    doc = ReportDocument.create(tmp_path / "b.awr", _budget_report())
    doc.close()
    again = ReportDocument.open(tmp_path / "b.awr", read_only=True)
    assert again.report.template == builtin_named(BUDGET)
    again.close()
    doc = ReportDocument.create(tmp_path / "d.awr", sample_report())
    assert doc.report.template is default_template()
    doc.close()


def test_a_damaged_template_in_the_file_is_refused_naming_it(tmp_path):
    ReportDocument.create(tmp_path / "b.awr", _budget_report()).close()
    conn = sqlite3.connect(tmp_path / "b.awr")
    conn.execute("UPDATE template SET body = ?", ['{"format": "workreport-template", "version": 1}'])
    conn.commit()
    conn.close()
    with pytest.raises(NotAReportError) as caught:
        ReportDocument.open(tmp_path / "b.awr", read_only=True)
    assert str(caught.value).startswith(str(tmp_path / "b.awr")) and "範本無法讀取" in str(caught.value)


def _before_templates(path):
    """A report file as the release before templates writes it: migrations 0001–0004 and rows
    written with that release's SQL (not this version's writer)."""
    names = schema.known_migrations()
    db = _connect(path)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before=names[names.index("0004_previous_entries_outlive_their_item") + 1])
    with db.atomic():
        _set_meta(db, "app_version", "0.1.0")
        db.execute("INSERT INTO report (id, office, roc_year, published_roc_year, published_month, numbering_style,"
                   " predecessor_id) VALUES ('r', '東區區公所', 113, 114, 3, 'standard', NULL)")
        db.execute("INSERT INTO department (id, report_id, position, name) VALUES ('d', 'r', 0, '民政部門')")
        db.execute("INSERT INTO section (id, department_id, position, title) VALUES ('s', 'd', 0, '一般民政')")
        db.execute("INSERT INTO item (id, section_id, position, title, numbered, predecessor_id, status)"
                   " VALUES ('i', 's', 0, '選舉業務', 1, NULL, 'approved')")
        db.execute("INSERT INTO entry (id, item_id, position, level, text, completion, remark)"
                   " VALUES ('e', 'i', 0, 1, '辦理里長補選。', 100, '')")
    tables = {row[0] for row in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "template" not in tables  # really the old schema
    db.close()


def test_a_file_made_before_templates_migrates_to_the_default_template(tmp_path):
    path = tmp_path / "old.awr"
    _before_templates(path)
    with pytest.raises(ReportError, match="需先以編輯方式開啟一次"):
        ReportDocument.open(path, read_only=True)
    doc = ReportDocument.open(path)
    assert {m.name for m in schema.migrations.applied(doc.repo.db)} == set(schema.known_migrations())
    report = doc.report
    assert report.template == default_template()
    assert (report.office, report.roc_year, report.departments[0].sections[0].items[0].entries[0].text) == (
        "東區區公所", 113, "辦理里長補選。")
    assert report.departments[0].sections[0].items[0].status == "approved"
    name, body = doc.repo.db.conn.execute("SELECT name, body FROM template WHERE report_id = 'r'").fetchone()
    assert name == DEFAULT_TEMPLATE_NAME and json.loads(body) == default_template().to_dict()
    doc.close()
    [backup] = list_backups(path)
    assert backup.reason == "migrate"
    again = ReportDocument.open(path, read_only=True)  # migrated once: read-only opens now
    assert again.report.template == default_template()
    again.close()


def test_the_sample_in_an_old_file_opens_unchanged(tmp_path):
    from old_files import write_before_entry_values

    report = sample_report()
    path = tmp_path / "old-sample.awr"
    names = schema.known_migrations()
    db = _connect(path)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0006_report_template")
    with db.atomic():
        write_before_entry_values(db, report)
    db.close()
    assert "0006_report_template" in names
    doc = ReportDocument.open(path)
    assert report_to_dict(doc.report) == report_to_dict(report)
    assert [b.label for b in layout(doc.report).departments] == [b.label for b in layout(report).departments]
    doc.close()


# --- JSON, rollover, packages ----------------------------------------------------------------


def test_json_carries_the_template(small):
    data = report_to_dict(small)
    assert data["template"] == default_template().to_dict()
    budget = _budget_report()
    again = report_from_dict(json.loads(dumps(budget)))
    assert again.template == budget.template
    del data["template"]
    assert report_from_dict(data).template is default_template()


def test_json_with_a_bad_template_is_refused():
    data = report_to_dict(_budget_report())
    data["template"]["columns"][0]["type"] = "roman"
    with pytest.raises(ReportError) as caught:
        report_from_dict(data, "r.json")
    assert str(caught.value).startswith("r.json：範本的 columns[0].type")
    data["template"] = "budget"
    with pytest.raises(ReportError, match="template 的型別錯誤"):
        report_from_dict(data, "r.json")


def test_rollover_keeps_the_template():
    budget = _budget_report()
    assert next_year(budget).template == budget.template
    assert next_year(sample_report()).template is default_template()


def test_packages_keep_the_template_and_refuse_another(tmp_path, small):
    doc = ReportDocument.create(tmp_path / "r.awr", small)
    issue_package(doc, "民政部門", tmp_path / "p.awr")
    package = ReportDocument.open(tmp_path / "p.awr", read_only=True)
    assert package.report.template == small.template
    package.close()
    other = ReportDocument.open(tmp_path / "p.awr")
    other.repo.db.execute("UPDATE template SET name = ?, body = ?",
                          [builtin_named(KPI).name, t.renamed(default_template(), "另一個範本").dumps()])
    other.close()
    with pytest.raises(ReportError, match="工作包使用「另一個範本」範本，報告使用「區公所年度工作總報告」範本，不能彙整"):
        plan_merge(doc, tmp_path / "p.awr")
    doc.close()


# --- the command line (in process, but for the first test: the real launcher) ----------------------------


def test_the_launcher_runs_the_templates_command(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import PROJECT_ROOT

    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "app", "templates"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stderr == ""
    assert len(out.stdout.splitlines()) == 4 and BUDGET in out.stdout


def test_cli_lists_and_shows_templates(capsys, tmp_path):
    assert cli.main(["templates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [f"{DEFAULT_TEMPLATE_NAME}（預設）", BUDGET, NARRATIVE, KPI]
    assert "層級：部門 › 部分 › 業務" in lines[2]
    assert cli.main(["templates", "--show", BUDGET]) == 0
    assert from_dict(json.loads(capsys.readouterr().out)) == builtin_named(BUDGET)
    path = tmp_path / "mine.awt"
    write_template(t.renamed(builtin_named(KPI), "本所績效"), path)
    assert cli.main(["templates", "--show", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "本所績效"
    assert cli.main(["templates", "--show", "沒有這個"]) == 2
    err = capsys.readouterr().err
    assert "沒有名為「沒有這個」的範本" in err and BUDGET in err


def test_cli_new_with_the_default_template_is_what_the_window_makes(capsys, tmp_path):
    from app.editing import new_report

    path = tmp_path / "n.awr"
    assert cli.main(["new", str(path), "--office", "東區區公所", "--year", "114"]) == 0
    out = capsys.readouterr().out
    assert "已建立 114 年度「區公所年度工作總報告」空白報告" in out and "注意" not in out
    doc = ReportDocument.open(path, read_only=True)
    made = new_report("東區區公所", 114)
    assert doc.report.template is default_template()
    assert [d.name for d in doc.report.departments] == [d.name for d in made.departments]
    assert (doc.report.published_roc_year, doc.report.published_month) == (made.published_roc_year, made.published_month)
    doc.close()
    assert cli.main(["new", str(path), "--office", "東區區公所", "--year", "114"]) == 2
    assert "檔案已存在" in capsys.readouterr().err


@pytest.mark.parametrize("name", [BUDGET, NARRATIVE, KPI])
def test_cli_new_with_another_template_then_check_rollover_and_json(capsys, tmp_path, name):
    path = tmp_path / "n.awr"
    assert cli.main(["new", str(path), "--template", name, "--office", "東區區公所", "--year", "114"]) == 0
    out = capsys.readouterr().out
    assert f"「{name}」空白報告" in out and "注意" not in out and "不能" not in out
    doc = ReportDocument.open(path, read_only=True)
    assert doc.report.template == builtin_named(name)
    top = "新部門" if name == NARRATIVE else "新業務"
    assert [d.name for d in doc.report.departments] == [top]
    doc.close()
    # check follows the template: its levels named, no refusal
    assert cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "共 0 個錯誤、1 個警告" in out and f"壹、{top}" in out and "類" not in out.splitlines()[0]
    assert cli.main(["rollover", str(path), "-o", str(tmp_path / "next.awr")]) == 0
    assert "已建立 115 年度報告" in capsys.readouterr().out
    assert cli.main(["export", str(path), "-f", "json", "-o", str(tmp_path / "n.json")]) == 0
    assert cli.main(["import", str(tmp_path / "n.json"), "-o", str(tmp_path / "back.awr")]) == 0
    capsys.readouterr()
    back = ReportDocument.open(tmp_path / "back.awr", read_only=True)
    assert back.report.template == builtin_named(name)
    back.close()


@pytest.mark.parametrize("name", [BUDGET, KPI, NARRATIVE])
def test_cli_exports_a_report_of_any_template_in_every_format(capsys, tmp_path, name):
    from template_reports import BUILDERS

    path = tmp_path / "r.awr"
    ReportDocument.create(path, BUILDERS[name]()).close()
    for fmt in sorted(cli.FORMATS):
        target = tmp_path / f"r.{fmt}"
        assert cli.main(["export", str(path), "-f", fmt, "-o", str(target)]) == 0, capsys.readouterr().err
        assert target.stat().st_size > 0
    capsys.readouterr()


def test_cli_new_from_a_template_file(capsys, tmp_path):
    template_path = tmp_path / "東區.awt"
    write_template(t.renamed(default_template(), "東區的範本"), template_path)
    assert cli.main(["new", str(tmp_path / "n.awr"), "--template", str(template_path), "--office", "東區", "--year", "115"]) == 0
    assert "注意" not in capsys.readouterr().out
    doc = ReportDocument.open(tmp_path / "n.awr", read_only=True)
    assert doc.report.template.name == "東區的範本" and doc.report.template.is_default
    doc.close()
    template_path.write_text("{}", encoding="utf-8")
    assert cli.main(["new", str(tmp_path / "m.awr"), "--template", str(template_path), "--office", "東區", "--year", "115"]) == 2
    assert "東區.awt：不是工作總報告的範本檔" in capsys.readouterr().err and not (tmp_path / "m.awr").exists()


def test_cli_import_of_a_json_in_another_template(capsys, tmp_path):
    budget = _budget_report()
    budget.departments.append(Department(name="民政業務", sections=[Section(title="x", items=[Item(title="y", entries=[Entry(text="z")])])]))
    (tmp_path / "b.json").write_text(dumps(budget), encoding="utf-8")
    assert cli.main(["import", str(tmp_path / "b.json"), "-o", str(tmp_path / "b.awr")]) == 0
    out = capsys.readouterr().out
    assert "注意" not in out and "個業務" in out
    doc = ReportDocument.open(tmp_path / "b.awr", read_only=True)
    assert doc.report.template == budget.template
    doc.close()


def test_a_report_file_made_by_the_release_before_entry_values_opens_unchanged(tmp_path):
    """tests/data/release-e485b9c-sample.awr: the 109 sample as the release at commit e485b9c
    (migrations 0001–0006) wrote it with its own code.  It migrates (0007, after a backup) and
    reads back as the sample, field by field; the default template's entries keep no values."""
    import shutil

    path = tmp_path / "old.awr"
    shutil.copyfile(Path(__file__).parent / "data" / "release-e485b9c-sample.awr", path)
    doc = ReportDocument.open(path)
    assert {m.name for m in schema.migrations.applied(doc.repo.db)} == set(schema.known_migrations())
    [backup] = list_backups(path)
    assert backup.reason == "migrate"
    old, new = report_to_dict(doc.report), report_to_dict(sample_report())
    old.pop("id"), new.pop("id")
    assert old == new
    assert all(not entry.values for entry in doc.report.walk() if entry.kind == "entry")
    doc.close()


# --- field labels: a template's columns by their headings, its levels by their names -----------

def test_field_labels_and_undo_labels_name_the_template(tmp_path):
    from template_reports import budget_report, kpi_report

    from app.model import field_label
    from app.operations import SetField

    budget, kpi = builtin_named(BUDGET), builtin_named(KPI)
    assert field_label("budget", "entry", budget) == "預算金額"
    assert field_label("budget", None, budget) == "預算金額"
    assert field_label("name", "department", budget) == "業務名稱"
    assert field_label("title", "section", kpi) == "策略績效目標名稱"
    assert field_label("text", "entry", default_template()) == field_label("text", "entry") == "辦理情形"
    assert field_label("title", "item", default_template()) == "目名稱"
    assert field_label("level", "entry", budget) == "層級"  # not a column: the model's label
    doc = ReportDocument.create(tmp_path / "b.awr", budget_report())
    try:
        row = doc.report.departments[0].sections[0].items[0].entries[0]
        labels = []
        for operation in (SetField(row.id, "budget", 1), SetField(row.id, "funding", ("補助款",)),
                          SetField(doc.report.departments[0].id, "name", "區政業務"),
                          SetField(row.id, "level", 1), SetField(doc.report.id, "office", "東區")):
            doc.apply(operation)
            labels.append(operation.label)
        assert labels == ["修改預算金額", "修改經費來源", "修改業務名稱", "變更層級", "修改機關名稱"]
    finally:
        doc.close()
    doc = ReportDocument.create(tmp_path / "k.awr", kpi_report())
    try:
        goal = doc.report.departments[0].sections[0]
        operation = SetField(goal.id, "title", "提升服務品質")
        doc.apply(operation)
        assert operation.label == "修改策略績效目標名稱"
    finally:
        doc.close()
