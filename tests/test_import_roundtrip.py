"""Our own export in every format imports back with identical content."""
from __future__ import annotations

import time

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
    if fmt not in available_formats():
        pytest.skip(f"{fmt} export not available yet")
    target = tmp_path / f"sample.{fmt}"
    export(sample, fmt, target)
    started = time.perf_counter()
    imported = read_source(target)
    elapsed = time.perf_counter() - started
    assert content(imported) == content(sample)
    assert imported.office == sample.office
    assert imported.roc_year == sample.roc_year
    assert (imported.published_roc_year, imported.published_month) == (110, 3)
    assert elapsed < 5, f"importing the sample took {elapsed:.2f} s"


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
