from __future__ import annotations

from app.model import Entry
from app.validate import ERROR, WARNING, check


def codes(report):
    return {(p.code, p.severity) for p in check(report)}


def test_sample_has_no_errors(sample):
    assert [p for p in check(sample) if p.is_error] == []


def test_rules(small):
    item = small.departments[0].sections[0].items[0]
    item.entries[0].text = "  "
    item.entries[3].remark = ""  # 80 % without a remark
    item.entries.append(Entry(level=1, text="預計 115 年完成", completion=100))
    small.departments[0].sections[0].items[1].entries.clear()
    found = codes(small)
    assert ("text-empty", ERROR) in found
    assert ("remark-needed", WARNING) in found
    assert ("item-empty", WARNING) in found
    assert ("roc-year", WARNING) in found


def test_problem_names_its_place(small):
    small.departments[0].sections[0].items[0].entries[0].text = ""
    problem = next(p for p in check(small) if p.code == "text-empty")
    assert problem.where == "壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 1 筆"
    assert problem.node_id == small.departments[0].sections[0].items[0].entries[0].id


# --- issue 19: a report of another template is checked by its levels and columns ----------

from template_reports import budget_report, kpi_report, narrative_report  # noqa: E402


def test_builtin_template_reports_are_clean():
    for build in (budget_report, kpi_report, narrative_report):
        assert check(build()) == [], build.__name__


def test_template_rules_name_its_levels_and_columns():
    report = budget_report()
    rows = report.departments[0].sections[0].items[0].entries
    rows[0].values["budget"] = -5  # a file edited elsewhere: below the column's minimum
    rows[1].values["funding"] = ("其他",)  # not one of the choices
    rows[1].values["gone"] = 1  # a column the template does not have
    rows.append(Entry(level=1))  # an empty row
    rows.append(Entry(level=1, values={"project": "只填名稱", "budget": 100}))  # 執行率's input missing: fine
    report.departments[1].name = " "
    found = {(p.code, p.severity, p.field, p.where): p.message for p in check(report)}
    assert found == {
        ("value-invalid", ERROR, "budget", "壹、民政業務 › 第 1 筆"): "「預算金額」的值 -5 小於 0",
        ("value-invalid", ERROR, "funding", "壹、民政業務 › 第 2 筆"): "「其他」不是「經費來源」的選項（市庫負擔、補助款）",
        ("value-orphan", WARNING, "gone", "壹、民政業務 › 第 2 筆"): "有範本沒有的欄位「gone」的值，不會匯出",
        ("row-empty", WARNING, None, "壹、民政業務 › 第 3 筆"): "這一列各欄都沒有資料",
        ("title-empty", ERROR, "name", "貳、 "): "業務的名稱空白",
    }


def test_kpi_levels_named_in_messages():
    report = kpi_report()
    report.departments[1].sections[0].items[0].entries.clear()
    report.departments[0].sections[1].title = ""
    messages = {(p.code, p.message) for p in check(report)}
    assert ("item-empty", "策略績效目標之下沒有任何資料列") in messages
    assert ("title-empty", "策略績效目標的名稱空白") in messages
    report.departments[1].sections.clear()
    assert ("department-empty", "業務之下沒有任何策略績效目標") in {(p.code, p.message) for p in check(report)}


def test_narrative_levels_and_years():
    report = narrative_report()
    entries = report.departments[0].sections[0].items[0].entries
    entries[1].level = 4  # (1) right after 一、: no (一) and 1. before it
    entries[2].text = "預計 130 年完成"
    problems = {(p.code, p.where, p.message) for p in check(report)}
    where = "壹、民政部門 › 民政處部分 › 甲、自治行政業務"
    assert problems == {
        ("subitem-first", f"{where} › 第 2 筆", "「(1)」之前沒有上一層的編號"),
        ("roc-year", f"{where} › 第 3 筆", "「內容」寫「130 年」，晚於報告年度 113 年，請確認年份"),
    }
