"""Our own export in every format imports back with identical content."""
from __future__ import annotations

import pytest

from app.exporters import available_formats, export
from app.importers import read_source
from app.importers.official import read_with_report
from app.model import Report

FORMATS = ("docx", "xlsx", "odt", "ods", "json")


def content(report: Report) -> list:
    """Everything a clerk typed, in order, without ids."""
    return [
        (d.name, [(s.title, [(i.title, i.numbered, [(e.level, e.text, e.completion, e.remark) for e in i.entries])
                             for i in s.items]) for s in d.sections])
        for d in report.departments
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_round_trip(fmt, sample, tmp_path):
    assert fmt in available_formats()  # every format is built in: a missing one is a failure, not a skip
    target = tmp_path / f"sample.{fmt}"
    export(sample, fmt, target)
    imported = read_source(target)
    assert content(imported) == content(sample)
    assert imported.office == sample.office
    assert imported.roc_year == sample.roc_year
    assert (imported.published_roc_year, imported.published_month) == (110, 3)


@pytest.mark.parametrize("fmt", ("docx", "xlsx", "odt", "ods"))
def test_small_round_trip_without_warnings(fmt, small, tmp_path):
    target = tmp_path / f"small.{fmt}"
    export(small, fmt, target)
    result = read_with_report(target)
    assert content(result.report) == content(small)
    assert result.warnings == []
    assert (result.report.office, result.report.roc_year) == ("測試區公所", 112)
    counts = result.counts_by_department
    assert (counts["民政部門"].sections, counts["民政部門"].items, counts["民政部門"].entries) == (1, 2, 5)
    assert counts["行政部門"].entries == 1


@pytest.mark.parametrize("fmt", ("docx", "xlsx", "odt", "ods"))
def test_one_department_export_imports(fmt, sample, tmp_path):
    target = tmp_path / f"one.{fmt}"
    export(sample, fmt, target, department="兵役部門")
    imported = read_source(target)
    assert [d.name for d in imported.departments] == ["兵役部門"]
    assert content(imported) == content(sample)[2:3]


@pytest.mark.parametrize("fmt", ("docx", "xlsx", "odt", "ods"))
def test_imported_ids_are_fresh(fmt, small, tmp_path):
    target = tmp_path / f"ids.{fmt}"
    export(small, fmt, target)
    imported = read_source(target)
    old = {small.id, *(n.id for n in small.walk())}
    new = [n.id for n in imported.walk()]
    assert len(set(new)) == len(new)
    assert not old & set(new)


@pytest.mark.parametrize("fmt", ("docx", "xlsx", "odt", "ods"))
def test_cli_import_of_each_format(fmt, sample, tmp_path):
    from app.cli import main
    from app.document import ReportDocument

    source = tmp_path / f"s.{fmt}"
    export(sample, fmt, source)
    out = tmp_path / "s.awr"
    assert main(["import", str(source), "-o", str(out)]) == 0
    doc = ReportDocument.open(out)
    try:
        assert content(doc.report) == content(sample)
    finally:
        doc.close()


def sub_item_report() -> Report:
    """Sub-items with and without a 完成程度 of their own, beside items with and without one."""
    from app.model import Department, Entry, Item, Section

    return Report(office="測試區公所", roc_year=112, departments=[Department(name="兵役部門", sections=[
        Section(title="兵役行政", items=[Item(title="替代役管理", entries=[
            Entry(level=1, text="落實替代役男生活及服勤管理。"),
            Entry(level=1, text="推動役男從事公益活動："),
            Entry(level=2, text="關懷弱勢寒暑假課後輔導作業。", completion=100),
            Entry(level=2, text="歲末年終關懷獨居老人居家清潔。", completion=90),
            Entry(level=2, text="響應捐血活動。"),
            Entry(level=1, text="辦理替代役備役除役計 104 人。", completion=80),
            Entry(level=2, text="除役通知。"),
        ])])])])


@pytest.mark.parametrize("fmt", ("docx", "xlsx", "odt", "ods", "json"))
def test_sub_item_completion_round_trip(fmt, tmp_path):
    report = sub_item_report()
    target = tmp_path / f"sub.{fmt}"
    export(report, fmt, target)
    if fmt == "json":
        imported = read_source(target)
    else:
        result = read_with_report(target)
        assert result.warnings == []
        imported = result.report
    assert content(imported) == content(report)
    entries = imported.departments[0].sections[0].items[0].entries
    assert [e.completion for e in entries] == [None, None, 100, 90, None, 80, None]


def test_sub_item_completion_in_csv(tmp_path):
    import csv

    target = tmp_path / "sub.csv"
    export(sub_item_report(), "csv", target)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [(row[5], row[7]) for row in rows] == [
        ("1.", ""), ("2.", ""), ("(1)", "100"), ("(2)", "90"), ("(3)", ""), ("3.", "80"), ("(1)", "")]


def test_sample_round_trip_keeps_the_seeds_sub_item_percentages(sample, tmp_path):
    """兵役 (八) 替代役管理: (1)–(3) at 100 % each, items 1 and 2 without (the published report)."""
    target = tmp_path / "sample.docx"
    export(sample, "docx", target)
    imported = read_source(target)
    item = next(i for d in imported.departments for s in d.sections for i in s.items if i.title == "替代役管理")
    assert [(e.level, e.completion) for e in item.entries] == [(1, None), (1, None), (2, 100), (2, 100), (2, 100)]
