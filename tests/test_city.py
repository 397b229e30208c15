"""A city report from office reports (app/city.py, CLI ``city``): narrative reports' 部分 under
the matching 部門, default-template reports as one 部分 per office, refusals in one zh-TW line."""
from __future__ import annotations

import pytest

from template_reports import NARRATIVE, budget_report, narrative_report

from app import cli
from app.city import city_report
from app.document import ReportDocument
from app.errors import ReportError
from app.model import Department, Entry, Item, Section
from app.rows import Heading, blocks
from app.sample import sample_report
from app.templates import builtin_named
from app.validate import check


def _office(name: str, *, part: str, extra: str | None = None):
    report = narrative_report()
    report.office = name
    report.departments[0].sections[0].title = part
    if extra:  # a 部門 only this office has
        report.departments.append(Department(name=extra, sections=[
            Section(title=f"{name}部分", items=[Item(title="觀光業務", entries=[Entry(level=1, text="辦理燈會。")])])]))
    return report


def test_narrative_reports_become_parts_under_the_matching_departments():
    east, west = _office("東區區公所", part="東區區公所部分"), _office("西區區公所", part="西區區公所部分", extra="觀光部門")
    west.departments[0].sections[0].items[0].entries[0].text = "西區里鄰管理"
    result = city_report([east, west], "嘉義市政府", 113)
    city = result.report
    assert result.notes() == []
    assert city.template == builtin_named(NARRATIVE) and (city.office, city.roc_year) == ("嘉義市政府", 113)
    assert [(d.name, [s.title for s in d.sections]) for d in city.departments] == [
        ("民政部門", ["東區區公所部分", "東區區公所部分", "西區區公所部分", "東區區公所部分"]),
        ("財政部門", ["財政處部分", "財政處部分"]),
        ("觀光部門", ["西區區公所部分"]),
    ]
    # texts and levels kept, in order; every id new
    [first_east, _, first_west, _] = city.departments[0].sections
    assert [(e.level, e.text) for e in first_east.items[0].entries] == \
        [(e.level, e.text) for e in east.departments[0].sections[0].items[0].entries]
    assert first_west.items[0].entries[0].text == "西區里鄰管理"
    old = {n.id for r in (east, west) for n in r.walk()}
    new = [n.id for n in city.walk()]
    assert len(set(new)) == len(new) and not old & set(new)
    assert check(city) == []
    headings = [b.text for b in blocks(city) if isinstance(b, Heading)]
    assert headings[:3] == ["壹、民政部門", "東區區公所部分", "甲、自治行政業務"]
    assert "參、觀光部門" in headings


def test_default_template_reports_each_office_one_part():
    sample = sample_report()
    result = city_report([sample], "嘉義市政府", sample.roc_year)
    city = result.report
    assert city.template == builtin_named(NARRATIVE)
    assert [d.name for d in city.departments] == [d.name for d in sample.departments]
    part = city.departments[0].sections[0]
    assert [s.title for d in city.departments for s in d.sections] == [f"{sample.office}部分"] * len(sample.departments)
    source = sample.departments[0]
    assert [i.title for i in part.items] == [s.title for s in source.sections]  # each 項 a 業務
    first_item = source.sections[0].items[0]
    entries = part.items[0].entries
    assert (entries[0].level, entries[0].text) == (1, first_item.title)  # each 目 a 一、 paragraph
    assert [(e.level, e.text) for e in entries[1:1 + len(first_item.entries)]] == \
        [(e.level + 1 if e.level else 0, e.text) for e in first_item.entries]
    assert all(e.completion is None and e.remark == "" for e in city.departments[0].entries())
    entries = [n for n in sample.walk() if n.kind == "entry"]
    completions = sum(e.completion is not None for e in entries)
    remarks = sum(bool(e.remark.strip()) for e in entries)
    assert (result.dropped_completion, result.dropped_remark) == ({sample.office: completions}, {sample.office: remarks} if remarks else {})
    dropped = "、".join([f"{completions} 筆完成程度", *([f"{remarks} 筆備註"] if remarks else [])])
    assert result.notes() == [f"「{sample.office}」有 {dropped}在敘述式報告中沒有欄位，未帶入"]
    assert [p for p in check(city) if p.is_error] == []


def test_refusals():
    with pytest.raises(ReportError, match="放不進城市報告的 部門 › 部分 › 業務"):
        city_report([budget_report()], "嘉義市政府", 113)
    with pytest.raises(ReportError, match="城市報告只能由同一範本的報告組成"):
        city_report([narrative_report(), sample_report()], "嘉義市政府", 113)
    report = narrative_report()
    with pytest.raises(ReportError, match="給了兩次"):
        city_report([report, report], "嘉義市政府", 113)
    with pytest.raises(ReportError, match="這是 113 年度的報告，城市報告是 112 年度"):
        city_report([report], "嘉義市政府", 112)
    with pytest.raises(ReportError, match="沒有給任何機關的報告"):
        city_report([], "嘉義市政府", 112)


def test_cli_city(tmp_path, capsys):
    paths = []
    for name in ("東區區公所", "西區區公所"):
        path = tmp_path / f"{name}.awr"
        ReportDocument.create(path, _office(name, part=f"{name}部分")).close()
        paths.append(str(path))
    out_path = tmp_path / "city.awr"
    assert cli.main(["city", str(out_path), *paths, "--office", "嘉義市政府", "--year", "113"]) == 0
    assert "已建立 113 年度城市報告" in capsys.readouterr().out
    doc = ReportDocument.open(out_path, read_only=True)
    try:
        assert [len(d.sections) for d in doc.report.departments] == [4, 2]
        assert doc.report.office == "嘉義市政府"
    finally:
        doc.close()
    budget = tmp_path / "budget.awr"
    ReportDocument.create(budget, budget_report()).close()
    assert cli.main(["city", str(tmp_path / "x.awr"), str(budget), "--office", "嘉義市政府", "--year", "113"]) == 2
    err = capsys.readouterr().err
    assert "budget.awr" in err and "放不進城市報告" in err and not (tmp_path / "x.awr").exists()
