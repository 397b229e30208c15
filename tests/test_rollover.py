"""Next year's report: same structure, new ids, lineage, last year's entries kept aside."""
from __future__ import annotations

import copy

from app.cli import main
from app.document import ReportDocument
from app.rollover import next_year


def structure(report):
    return [(d.name, [(s.title, [(i.title, i.numbered) for i in s.items]) for s in d.sections]) for d in report.departments]


def entries(item_entries):
    return [(e.level, e.text, e.completion, e.remark) for e in item_entries]


def items(report):
    return [i for d in report.departments for s in d.sections for i in s.items]


def test_structure_years_and_fresh_ids(sample):
    before = copy.deepcopy(sample)
    following = next_year(sample)
    assert structure(following) == structure(sample)
    assert (following.office, following.roc_year) == (sample.office, 110)
    assert (following.published_roc_year, following.published_month) == (111, 3)
    assert following.numbering_style == sample.numbering_style
    old_ids = {sample.id, *(n.id for n in sample.walk())}
    new_ids = [following.id, *(n.id for n in following.walk())]
    assert len(set(new_ids)) == len(new_ids)
    assert not old_ids & set(new_ids)
    # last year's report is untouched
    assert sample == before


def test_lineage(sample):
    following = next_year(sample)
    assert following.predecessor_id == sample.id
    assert [i.predecessor_id for i in items(following)] == [i.id for i in items(sample)]


def test_entries_empty_by_default_and_previous_entries_filled(sample):
    following = next_year(sample)
    assert following.counts()["entry"] == 0
    assert set(following.previous_entries) == {i.id for i in items(following)}
    for new, old in zip(items(following), items(sample)):
        assert entries(following.previous_entries[new.id]) == entries(old.entries)
        assert not {e.id for e in following.previous_entries[new.id]} & {e.id for e in old.entries}


def test_keep_entries_copies_with_new_ids(sample):
    following = next_year(sample, keep_entries=True)
    assert following.counts() == sample.counts()
    for new, old in zip(items(following), items(sample)):
        assert entries(new.entries) == entries(old.entries)
        assert not {e.id for e in new.entries} & {e.id for e in old.entries}
        assert {e.id for e in new.entries}.isdisjoint(e.id for e in following.previous_entries[new.id])


def test_unknown_publication_stays_unknown(small):
    small.published_roc_year = small.published_month = None
    following = next_year(small)
    assert (following.roc_year, following.published_roc_year, following.published_month) == (113, None, None)


def test_cli_rollover(sample_doc, tmp_path, capsys):
    out = tmp_path / "next.awr"
    assert main(["rollover", str(sample_doc.path), "-o", str(out)]) == 0
    assert "110 年度" in capsys.readouterr().out
    doc = ReportDocument.open(out)
    try:
        report = doc.report
        assert report.roc_year == 110 and report.predecessor_id == sample_doc.report.id
        assert structure(report) == structure(sample_doc.report)
        assert report.counts()["entry"] == 0
        for new, old in zip(items(report), items(sample_doc.report)):
            assert new.predecessor_id == old.id
            assert entries(report.previous_entries[new.id]) == entries(old.entries)
    finally:
        doc.close()


def test_cli_rollover_keep_entries(sample_doc, tmp_path):
    out = tmp_path / "next.awr"
    assert main(["rollover", str(sample_doc.path), "-o", str(out), "--keep-entries"]) == 0
    doc = ReportDocument.open(out)
    try:
        assert doc.report.counts() == sample_doc.report.counts()
    finally:
        doc.close()


def test_cli_rollover_refuses_existing_output(sample_doc, tmp_path, capsys):
    out = tmp_path / "next.awr"
    out.write_bytes(b"keep me")
    assert main(["rollover", str(sample_doc.path), "-o", str(out)]) == 2
    assert out.read_bytes() == b"keep me"
    assert str(out) in capsys.readouterr().err


# --- issue 19: a report of another template ---------------------------------------------------

def test_template_rollover_keeps_structure_and_template_and_empties_figures(tmp_path):
    from template_reports import budget_report, kpi_report

    from app.validate import check

    budget = budget_report()
    following = next_year(budget, keep_entries=True)
    assert following.template == budget.template and following.roc_year == 114
    assert structure(following) == structure(budget)  # the implicit 項 and 目 too
    last = items(budget)[0]
    kept = items(following)[0]
    assert [e.values for e in following.previous_entries[kept.id]] == [e.values for e in last.entries]
    assert [e.values for e in kept.entries] == [
        {"project": "辦理區政業務研習", "unit": "民政課", "funding": ("市庫負擔",),
         "results": "辦理研習 2 場，參加人數 150 人，滿意度 92%。"},
        {"project": "老舊里活動中心修繕", "unit": "民政課", "funding": ("市庫負擔", "補助款"), "grantor": "內政部",
         "results": "完成 2 處活動中心屋頂防水及無障礙坡道。\n提升里民使用安全。"},
    ]
    # the text amount 「由其他項目下勻支」 is a money column's value: emptied too
    assert "budget" not in items(following)[1].entries[0].values
    assert next_year(budget).departments[0].sections[0].items[0].entries == []
    assert [p for p in check(following) if p.is_error] == []

    kpi = next_year(kpi_report(), keep_entries=True)
    assert [sorted(e.values) for e in items(kpi)[0].entries] == [["indicator", "standard"]] * 2

    # the file keeps last year's values beside this year's
    path = tmp_path / "next.awr"
    ReportDocument.create(path, following).close()
    doc = ReportDocument.open(path, read_only=True)
    try:
        reopened = items(doc.report)[0]
        assert [e.values for e in doc.report.previous_entries[reopened.id]] == [e.values for e in last.entries]
        assert doc.report.template == budget.template
    finally:
        doc.close()
