"""Changing a report's template (app/templates_change.py ChangeTemplate), through ReportDocument.apply/revert:
the file reopened holds the new template and values; undo restores both exactly; redo again."""
from __future__ import annotations

from dataclasses import replace

import pytest
from template_reports import budget_report, kpi_report, narrative_report

from app import rows
from app.document import ReportDocument
from app.editing import new_report
from app.errors import ReportError
from app.interchange import report_to_dict
from app.model import Entry, Item, Section
from app.sample import sample_report
from app.templates import NumberFormat, builtin_named, default_template
from app.templates_change import ChangeTemplate, fit_problem, lost_question, values_lost


def _open(tmp_path, report, name="r.awr"):
    return ReportDocument.create(tmp_path / name, report)


def _reopened(doc):
    path = doc.path
    doc.close()
    return ReportDocument.open(path)


def _columns(template, **changes):
    """The template's columns with some replaced by key (None removes one)."""
    out = []
    for column in template.columns:
        if column.key in changes:
            if changes[column.key] is not None:
                out.append(replace(column, **changes[column.key]))
        else:
            out.append(column)
    return tuple(out)


def _roundtrip(doc, operation):
    """apply, revert, apply again; each time memory and the reopened file agree. Returns the doc reopened."""
    before = report_to_dict(doc.report)
    changes = doc.apply(operation)
    assert changes.template_changed and changes.tree
    after = report_to_dict(doc.report)
    assert after != before
    assert report_to_dict(doc.repo.load()) == after
    undone = doc.revert(operation)
    assert undone.template_changed
    assert report_to_dict(doc.report) == before
    assert report_to_dict(doc.repo.load()) == before
    doc.apply(operation)
    assert report_to_dict(doc.report) == after
    doc = _reopened(doc)
    assert report_to_dict(doc.report) == after
    return doc


def test_rename_add_and_reorder_columns_keep_every_value(tmp_path):
    doc = _open(tmp_path, budget_report())
    old = doc.report.template
    grantor = old.column("grantor")
    values_before = [dict(e.values) for e in _entries(doc.report)]
    columns = list(_columns(old, grantor={"heading": "補助單位"}, results={"width": 20}))
    columns.append(replace(grantor, key="note", heading="附註", width=5))
    columns[1], columns[2] = columns[2], columns[1]  # 辦理課室 before 重大計畫活動名稱
    new = replace(old, name="本所預算表", columns=tuple(columns))
    assert values_lost(doc.report, new) == {}
    doc = _roundtrip(doc, ChangeTemplate(new))
    assert doc.report.template == new
    assert rows.headers(doc.report.template)[1:3] == ["辦理課室", "重大計畫活動名稱"]
    assert "補助單位" in rows.headers(doc.report.template)
    assert [dict(e.values) for e in _entries(doc.report)] == values_before
    doc.close()


def _fields(entry):
    return entry.id, entry.level, entry.text, entry.completion, entry.remark, dict(entry.values)


def _entries(report):
    return [e for d in report.departments for s in d.sections for i in s.items for e in i.entries]


def test_removing_a_column_with_data_says_how_many_go_and_undo_brings_them_back(tmp_path):
    doc = _open(tmp_path, budget_report())
    old = doc.report.template
    new = replace(old, columns=_columns(old, grantor=None, results={"width": 33}))
    lost = values_lost(doc.report, new)
    assert lost == {"補助機關名稱": 2}
    assert lost_question(lost) == "刪除欄位「補助機關名稱」會移除 2 筆資料，確定嗎？"
    operation = ChangeTemplate(new)
    before = report_to_dict(doc.report)
    doc.apply(operation)
    assert all("grantor" not in e.values for e in _entries(doc.report))
    assert [e.values.get("budget") for e in _entries(doc.report)] == [120000, 3500000, "由其他項目下勻支"]
    doc = _reopened(doc)
    assert all("grantor" not in e.values for e in _entries(doc.report))
    doc.revert(operation)
    assert report_to_dict(doc.report) == before
    assert [e.values.get("grantor") for e in _entries(doc.report)] == [None, "內政部", "嘉義市政府社會處"]
    doc = _reopened(doc)
    assert report_to_dict(doc.report) == before
    doc.apply(operation)
    assert values_lost(doc.report, old) == {}  # going back now loses nothing (the column is simply empty)
    doc.close()


def test_removing_the_completion_column_of_the_default_template_empties_the_completions(tmp_path):
    doc = _open(tmp_path, sample_report())
    old = doc.report.template
    completions = sum(1 for e in _entries(doc.report) if e.completion is not None)
    assert completions > 0
    new = replace(old, name="無完成程度", columns=_columns(old, completion=None, text={"width": 55}))
    assert values_lost(doc.report, new) == {"完成程度百分比": completions}
    doc = _roundtrip(doc, ChangeTemplate(new))
    assert all(e.completion is None for e in _entries(doc.report))
    doc.close()


def test_changing_a_column_type_reads_each_value_again_and_loses_only_what_does_not_fit(tmp_path):
    doc = _open(tmp_path, budget_report())
    old = doc.report.template
    new = replace(old, columns=_columns(old, budget={"type": "integer", "allow_text": False, "align": "left"}))
    # 120000 and 3500000 are integers as they are; 「由其他項目下勻支」 is no integer
    assert values_lost(doc.report, new) == {"預算金額": 1}
    doc = _roundtrip(doc, ChangeTemplate(new))
    assert [e.values.get("budget") for e in _entries(doc.report)] == [120000, 3500000, None]
    doc.close()


def test_a_text_column_becoming_money_keeps_the_amounts_typed_in_it(tmp_path):
    template = builtin_named("重要施政項目（預算執行）")
    report = budget_report()
    _entries(report)[0].values["results"] = "1,500"
    doc = _open(tmp_path, report)
    new = replace(template, columns=_columns(template, results={"type": "money", "minimum": None}))
    lost = values_lost(doc.report, new)
    assert lost == {"計畫成果及執行效益": 2}
    doc = _roundtrip(doc, ChangeTemplate(new))
    assert [e.values.get("results") for e in _entries(doc.report)] == [1500, None, None]
    doc.close()


def test_changing_a_level_s_numbering_changes_only_the_numbers(tmp_path):
    doc = _open(tmp_path, sample_report())
    old = doc.report.template
    department = doc.report.departments[0]
    assert rows.numbers(doc.report)[department.id] == "壹、"
    levels = (replace(old.levels[0], numbering=NumberFormat("arabic", ".")), *old.levels[1:])
    new = replace(old, name="阿拉伯數字的類", levels=levels)
    before = [_fields(e) for e in _entries(doc.report)]
    doc = _roundtrip(doc, ChangeTemplate(new))
    assert rows.numbers(doc.report)[doc.report.departments[0].id] == "1."
    assert [_fields(e) for e in _entries(doc.report)] == before
    doc.close()


def test_fewer_levels_are_refused_when_the_removed_levels_hold_titles_or_several_nodes(tmp_path):
    doc = _open(tmp_path, sample_report())
    budget = builtin_named("重要施政項目（預算執行）")
    problem = fit_problem(doc.report, budget)
    assert problem is not None and "無法直接改用這個範本" in problem
    before = report_to_dict(doc.report)
    with pytest.raises(ReportError, match="無法直接改用這個範本"):
        doc.apply(ChangeTemplate(budget))
    assert report_to_dict(doc.report) == before
    doc = _reopened(doc)
    assert report_to_dict(doc.report) == before
    doc.close()


def test_more_levels_then_fewer_again_when_the_nodes_are_still_untitled(tmp_path):
    budget = builtin_named("重要施政項目（預算執行）")
    doc = _open(tmp_path, budget_report())
    # three levels (業務 › 項 › 目): the implicit 項 and 目 become untitled visible ones
    three = replace(budget, name="三層", levels=(
        budget.levels[0],
        replace(budget.levels[0], key="part", name="項", numbering=NumberFormat("chinese", "、")),
        replace(budget.levels[0], key="sub", name="目", numbering=NumberFormat("chinese", "（）"))))
    assert fit_problem(doc.report, three) is None
    doc = _roundtrip(doc, ChangeTemplate(three))
    assert len(doc.report.template.levels) == 3
    back = ChangeTemplate(budget)
    doc.apply(back)
    assert doc.report.template == budget
    doc.revert(back)
    doc.close()


def test_a_numbered_text_with_fewer_levels_than_the_entries_use_is_refused(tmp_path):
    doc = _open(tmp_path, narrative_report())
    old = doc.report.template
    text = old.column("text")
    new = replace(old, columns=(replace(text, levels=text.levels[:2]),))
    with pytest.raises(ReportError, match="請先把這些資料升層再套用"):
        doc.apply(ChangeTemplate(new))
    assert doc.report.template == old
    # three levels: still too few for the (1) level-4 entries
    assert "最深為第 4 層" in fit_problem(doc.report, replace(old, columns=(replace(text, levels=text.levels[:3]),)))
    doc.close()


def test_a_template_breaking_its_own_rules_is_refused_with_its_rule_line(tmp_path):
    doc = _open(tmp_path, kpi_report())
    old = doc.report.template
    new = replace(old, columns=_columns(old, standard={"width": 30}))
    with pytest.raises(ReportError, match="範本表格各欄寬度合計應為 100，實際為 106"):
        doc.apply(ChangeTemplate(new))
    assert doc.report.template == old
    doc.close()


def test_the_edits_primitive_refuses_a_template_the_values_do_not_fit(tmp_path):
    """set_template alone (without the operation moving the values) keeps the file consistent."""
    from app.operations import Operation

    class Raw(Operation):
        def __init__(self, template):
            self.template = template

        def apply(self, edits):
            edits.set_template(self.template)

    doc = _open(tmp_path, budget_report())
    old = doc.report.template
    new = replace(old, columns=_columns(old, spent={"type": "percent", "minimum": 0, "maximum": 100, "decimals": 0,
                                                     "allow_text": False}))
    with pytest.raises(ReportError, match="執行金額"):
        doc.apply(Raw(new))
    assert doc.report.template == old
    doc.close()


def test_a_new_default_report_to_the_kpi_template_and_back(tmp_path):
    """A report of one untitled 類/項/目 (新增報告) takes a one- or two-level template simply."""
    report = new_report("東區區公所", 114, default_template())
    budget = builtin_named("重要施政項目（預算執行）")
    report.departments[0].sections.append(Section(items=[Item(entries=[Entry(text="衡量", completion=80)])]))
    doc = _open(tmp_path, report)
    kpi = builtin_named("施政績效（衡量指標）")
    assert values_lost(doc.report, kpi) == {"辦理情形": 1, "完成程度百分比": 1}
    assert "會移除 2 筆資料" in lost_question(values_lost(doc.report, kpi))
    doc = _roundtrip(doc, ChangeTemplate(kpi))
    assert doc.report.template == kpi
    doc.apply(ChangeTemplate(budget))  # one level: the untitled 策略績效目標 becomes implicit
    assert doc.report.template == budget and fit_problem(doc.report, default_template()) is None
    doc.close()


def test_a_work_package_keeps_the_template_it_was_issued_with(tmp_path):
    from app.packages import issue_package

    doc = _open(tmp_path, sample_report())
    issue_package(doc, doc.report.departments[0].name, tmp_path / "package.awr")
    doc.close()
    package = ReportDocument.open(tmp_path / "package.awr")
    old = package.report.template
    new = replace(old, columns=_columns(old, remark={"heading": "說明"}))
    with pytest.raises(ReportError, match="工作包不能變更報告範本"):
        package.apply(ChangeTemplate(new))
    assert package.report.template == old
    package.close()


def test_an_approved_item_s_values_are_not_removed(tmp_path):
    report = sample_report()
    item = report.departments[0].sections[0].items[0]
    item.status = "approved"
    doc = _open(tmp_path, report)
    old = doc.report.template
    new = replace(old, columns=_columns(old, completion=None, text={"width": 55}))
    before = report_to_dict(doc.report)
    with pytest.raises(ReportError, match="已核定"):
        doc.apply(ChangeTemplate(new))
    assert report_to_dict(doc.report) == before
    doc = _reopened(doc)
    assert report_to_dict(doc.report) == before
    doc.close()
