"""Department work packages: issue, edit offline, merge back three-way; refusals leave the
report unchanged; history and comments travel; CLI exit codes."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import PROJECT_ROOT
from app.document import Person, ReportDocument
from app.errors import ReportError
from app.interchange import dumps, report_to_dict
from app.model import Department, Entry, Item
from app.operations import DeleteNode, InsertNode, MoveNode, SetField
from app.packages import apply_merge, issue_package, plan_merge
from app.review import AddComment, ReviewAction
from app.sample import sample_report

CLERK = Person("王小明", "clerk")
CHIEF = Person("李課長", "chief")


def content(report, department_id=None):
    """Departments without ids' order noise: the interchange dict (ids kept)."""
    data = report_to_dict(report)["departments"]
    return [d for d in data if department_id is None or d["id"] == department_id]


@pytest.fixture
def setup(tmp_path):
    report_path = tmp_path / "report.awr"
    ReportDocument.create(report_path, sample_report(), person=CHIEF).close()
    doc = ReportDocument.open(report_path, person=CHIEF)
    package_path = tmp_path / "pkg.awr"
    issue_package(doc, "兵役部門", package_path)
    yield doc, package_path, tmp_path
    doc.close()


def edit_package(path, person=CLERK):
    package = ReportDocument.open(path, person=person)
    return package


def test_a_package_holds_one_department_with_the_same_ids_and_its_identity(setup):
    doc, package_path, _ = setup
    package = ReportDocument.open(package_path, read_only=True)
    assert [d.name for d in package.report.departments] == ["兵役部門"]
    assert content(package.report) == content(doc.report, doc.report.departments[2].id)
    info = package.report.package
    assert info["report_id"] == doc.report.id and info["department_id"] == doc.report.departments[2].id
    assert info["base"]["name"] == "兵役部門"
    package.close()


def test_a_package_cannot_grow_other_departments(setup):
    _, package_path, _ = setup
    package = edit_package(package_path)
    with pytest.raises(ReportError, match="工作包"):
        package.apply(InsertNode(package.report.id, 1, Department(name="偷加的部門")))
    package.close()


def test_edit_in_package_then_merge_makes_the_report_equal_the_package(setup):
    doc, package_path, _ = setup
    others_before = [d for d in content(doc.report) if d["name"] != "兵役部門"]
    package = edit_package(package_path)
    department = package.report.departments[0]
    item = department.sections[1].items[1]
    package.apply(SetField(item.entries[0].id, "text", "改過的第一筆"))
    package.apply(SetField(item.entries[1].id, "completion", 90))
    package.apply(InsertNode(item.id, 3, Entry(level=1, text="新增的一筆", completion=100)))
    package.apply(DeleteNode(department.sections[0].items[0].entries[0].id))
    package.apply(MoveNode(item.entries[2].id, item.id, 0))
    package.apply(AddComment(item.id, "已補齊"))
    package_content = content(package.report)
    package.close()

    plan = plan_merge(doc, package_path)
    assert plan.unresolved == [] and len(plan.changes) >= 5
    apply_merge(doc, plan)
    assert content(doc.report, department.id) == package_content
    assert [d for d in content(doc.report) if d["name"] != "兵役部門"] == others_before
    assert "已補齊" in [c.text for c in doc.comments_on(item.id)]
    # The package's history came along.
    assert any(row["who"] == "王小明" and row["after"] == json.dumps("改過的第一筆", ensure_ascii=False)
               for row in doc.history_of(item.id))
    # Merging the same package again changes nothing.
    again = plan_merge(doc, package_path)
    assert again.is_noop and again.conflicts == []


def test_edits_on_both_sides_merge_and_conflicts_are_resolved_per_field(setup):
    doc, package_path, _ = setup
    item = doc.report.departments[2].sections[1].items[1]
    doc.apply(SetField(item.entries[2].id, "remark", "彙整者補充"))  # report only
    doc.apply(SetField(item.entries[0].id, "text", "報告這邊的版本"))
    package = edit_package(package_path)
    package_item = package.report.departments[0].sections[1].items[1]
    package.apply(SetField(package_item.entries[0].id, "text", "工作包這邊的版本"))
    package.apply(SetField(package_item.entries[1].id, "text", "只有工作包改"))
    package.close()
    plan = plan_merge(doc, package_path)
    assert [(c.node_id, c.field) for c in plan.unresolved] == [(item.entries[0].id, "text")]
    conflict = plan.unresolved[0]
    assert (conflict.package, conflict.report) == ("工作包這邊的版本", "報告這邊的版本")
    assert conflict.where.startswith("參、兵役部門 › 二、")
    with pytest.raises(ReportError, match="衝突"):
        apply_merge(doc, plan)
    plan = plan_merge(doc, package_path, resolutions={(item.entries[0].id, "text"): "package"})
    apply_merge(doc, plan)
    assert [e.text for e in item.entries[:2]] == ["工作包這邊的版本", "只有工作包改"]
    assert item.entries[2].remark == "彙整者補充"


def test_refused_when_the_package_changes_approved_content(setup):
    doc, package_path, _ = setup
    item = doc.report.departments[2].sections[1].items[1]
    package = edit_package(package_path)
    package.apply(SetField(package.report.departments[0].sections[1].items[1].entries[0].id, "text", "改了已核定的"))
    package.close()
    doc.apply(ReviewAction(item.id, "approve"))
    before = content(doc.report)
    with pytest.raises(ReportError, match="已核定"):
        plan_merge(doc, package_path)
    assert content(doc.report) == before


def test_refused_when_the_package_moves_a_target_the_chief_then_approved(setup):
    """Found by the merge property (CI, random seed): the package moved a 目 to another 項,
    the chief approved it in the report; the plan must refuse as apply would."""
    doc, package_path, _ = setup
    item = doc.report.departments[2].sections[1].items[1]
    package = edit_package(package_path)
    department = package.report.departments[0]
    package.apply(MoveNode(department.sections[1].items[1].id, department.sections[0].id, 0))
    package.close()
    doc.apply(ReviewAction(item.id, "approve"))
    before = content(doc.report)
    with pytest.raises(ReportError, match="已核定"):
        plan_merge(doc, package_path, prefer="package")
    assert content(doc.report) == before


def _report_bytes(path):
    conn = sqlite3.connect(path)
    try:
        return json.dumps([conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                           for t in ("department", "section", "item", "entry", "comment", "approval")], ensure_ascii=False)
    finally:
        conn.close()


def run_cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_package_export_merge_dry_run_conflicts_and_prefer(tmp_path):
    assert run_cli("sample", "r.awr", cwd=tmp_path).returncode == 0
    out = run_cli("package", "export", "r.awr", "--department", "民政部門", "-o", "p.awr", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = ReportDocument.open(tmp_path / "r.awr")
    package = ReportDocument.open(tmp_path / "p.awr")
    entry_id = report.report.departments[0].sections[0].items[0].entries[0].id
    report.apply(SetField(entry_id, "text", "報告改"))
    package.apply(SetField(entry_id, "text", "工作包改"))
    report.close()
    package.close()
    before = _report_bytes(tmp_path / "r.awr")
    out = run_cli("package", "merge", "r.awr", "p.awr", cwd=tmp_path)
    assert out.returncode == 1 and "衝突" in out.stdout and "工作包改" in out.stdout and "報告改" in out.stdout
    assert _report_bytes(tmp_path / "r.awr") == before
    out = run_cli("package", "merge", "r.awr", "p.awr", "--prefer", "package", "--dry-run", cwd=tmp_path)
    assert out.returncode == 0 and "試算" in out.stdout
    assert _report_bytes(tmp_path / "r.awr") == before
    out = run_cli("package", "merge", "r.awr", "p.awr", "--prefer", "package", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    merged = ReportDocument.open(tmp_path / "r.awr", read_only=True)
    assert merged.report.departments[0].sections[0].items[0].entries[0].text == "工作包改"
    merged.close()
    out = run_cli("package", "merge", "r.awr", "p.awr", "--prefer", "package", cwd=tmp_path)
    assert out.returncode == 0 and "沒有新的變更" in out.stdout


def test_cli_merge_names_fields_in_chinese(tmp_path):
    """The plan's lines say 辦理情形 / 完成程度 / 備註, never the model's keys."""
    import re

    assert run_cli("sample", "r.awr", cwd=tmp_path).returncode == 0
    assert run_cli("package", "export", "r.awr", "--department", "民政部門", "-o", "p.awr", cwd=tmp_path).returncode == 0
    report = ReportDocument.open(tmp_path / "r.awr")
    package = ReportDocument.open(tmp_path / "p.awr")
    entries = report.report.departments[0].sections[0].items[0].entries
    report.apply(SetField(entries[0].id, "text", "報告改"))
    package.apply(SetField(entries[0].id, "text", "工作包改"))  # a conflict on 辦理情形
    package.apply(SetField(entries[1].id, "completion", 60))  # a change of 完成程度
    package.apply(SetField(entries[1].id, "remark", "補充"))  # and of 備註
    report.close()
    package.close()
    out = run_cli("package", "merge", "r.awr", "p.awr", "--prefer", "package", "--dry-run", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    conflict = next(line for line in lines if line.startswith("衝突"))
    assert conflict.split("\t")[2] == "辦理情形"
    assert any("\t完成程度：" in line and "→ 60" in line for line in lines), out.stdout
    assert any("\t備註：" in line and "→ 補充" in line for line in lines), out.stdout
    assert not re.search(r"\b(text|completion|remark|title|level)\b", out.stdout), out.stdout


def test_cli_refusals_leave_the_report_unchanged(tmp_path):
    run_cli("sample", "r.awr", cwd=tmp_path)
    run_cli("sample", "other.awr", cwd=tmp_path)  # another report (new identity)
    run_cli("rollover", "r.awr", "-o", "next.awr", cwd=tmp_path)  # next year's report
    run_cli("package", "export", "other.awr", "--department", "民政部門", "-o", "foreign.awr", cwd=tmp_path)
    run_cli("package", "export", "next.awr", "--department", "民政部門", "-o", "next-pkg.awr", cwd=tmp_path)
    run_cli("package", "export", "r.awr", "--department", "民政部門", "-o", "mine.awr", cwd=tmp_path)
    # A package that holds another department too (edited outside the program).
    tampered = tmp_path / "tampered.awr"
    tampered.write_bytes((tmp_path / "mine.awr").read_bytes())
    conn = sqlite3.connect(tampered)
    report_id = conn.execute("SELECT id FROM report").fetchone()[0]
    conn.execute("INSERT INTO department (id, report_id, position, name) VALUES ('x', ?, 1, '偷渡部門')", (report_id,))
    conn.commit()
    conn.close()
    before = _report_bytes(tmp_path / "r.awr")
    for package, expected in (("foreign.awr", "另一份報告"), ("next-pkg.awr", "另一份報告"), ("tampered.awr", "以外的部門"),
                              ("r.awr", "不是工作包")):
        out = run_cli("package", "merge", "r.awr", package, cwd=tmp_path)
        assert out.returncode == 2, (package, out.stdout, out.stderr)
        assert expected in out.stderr and "Traceback" not in out.stderr
    assert _report_bytes(tmp_path / "r.awr") == before


def test_two_merges_at_once_end_as_one(setup):
    doc, package_path, tmp_path = setup
    doc.close()
    package = edit_package(package_path)
    package.apply(SetField(package.report.departments[0].sections[0].items[0].entries[0].id, "text", "一次就好"))
    package.close()
    processes = [subprocess.Popen([sys.executable, "-m", "app", "package", "merge", str(tmp_path / "report.awr"), str(package_path)],
                                  env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = sorted((p.communicate(timeout=120) + (p.returncode,) for p in processes), key=lambda r: r[2])
    first, second = results
    assert first[2] == 0, first
    # The other found the report in use (the lock), or nothing left to merge.
    assert (second[2] == 2 and "編輯中" in second[1]) or (second[2] == 0 and "沒有新的變更" in second[0]), second
    reopened = ReportDocument.open(tmp_path / "report.awr", read_only=True)
    texts = [e.text for e in reopened.report.departments[2].sections[0].items[0].entries]
    assert texts.count("一次就好") == 1
    reopened.close()


def test_package_json_carries_its_identity(setup):
    _, package_path, _ = setup
    package = ReportDocument.open(package_path, read_only=True)
    data = json.loads(dumps(package.report))
    package.close()
    assert data["package"]["department_id"] == data["departments"][0]["id"]


# --- issue 19: a budget report's package merges per column -------------------------------------

def _budget_with_package(tmp_path):
    from template_reports import budget_report

    report_path = tmp_path / "budget.awr"
    ReportDocument.create(report_path, budget_report(), person=CHIEF).close()
    doc = ReportDocument.open(report_path, person=CHIEF)
    package_path = tmp_path / "budget-pkg.awr"
    issue_package(doc, "民政業務", package_path)
    return doc, package_path


def _first_row(report):
    return report.departments[0].sections[0].items[0].entries[0]


def test_budget_package_two_columns_of_one_row_both_kept(tmp_path):
    doc, package_path = _budget_with_package(tmp_path)
    try:
        package = edit_package(package_path)
        package.apply(SetField(_first_row(package.report).id, "spent", 119000))
        package.close()
        doc.apply(SetField(_first_row(doc.report).id, "results", "辦理研習 3 場。"))
        plan = plan_merge(doc, package_path)
        assert plan.conflicts == []
        [change] = plan.changes
        assert (change.field, change.heading, change.where, change.before, change.after) == (
            "spent", "執行金額", "壹、民政業務 › 第 1 筆", 118500, 119000)
        assert change.summary() == "修改辦理情形 壹、民政業務 › 第 1 筆：執行金額 118500 → 119000"
        apply_merge(doc, plan, backup=False)
        row = _first_row(doc.report)
        assert (row.values["spent"], row.values["results"], row.values["budget"]) == (119000, "辦理研習 3 場。", 120000)
        assert plan_merge(doc, package_path).changes == []  # idempotent
    finally:
        doc.close()


def test_budget_package_same_column_is_a_conflict_named_by_its_heading(tmp_path, capsys):
    from app.cli import main

    doc, package_path = _budget_with_package(tmp_path)
    try:
        package = edit_package(package_path)
        package.apply(SetField(_first_row(package.report).id, "budget", 130000))
        package.apply(SetField(_first_row(package.report).id, "grantor", "內政部"))  # a value added
        package.close()
        doc.apply(SetField(_first_row(doc.report).id, "budget", "由其他項目下勻支"))
        plan = plan_merge(doc, package_path)
        [conflict] = plan.conflicts
        assert (conflict.field, conflict.heading, conflict.where) == ("budget", "預算金額", "壹、民政業務 › 第 1 筆")
        assert (conflict.base, conflict.package, conflict.report) == (120000, 130000, "由其他項目下勻支")
        assert "（辦理情形，預算金額）" in conflict.summary()
        assert [(c.field, c.after) for c in plan.changes] == [("grantor", "內政部")]
    finally:
        doc.close()
    assert main(["package", "merge", str(tmp_path / "budget.awr"), str(package_path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "衝突（未決定）\t壹、民政業務 › 第 1 筆\t預算金額\t基準：120000\t工作包：130000\t報告：由其他項目下勻支" in out
    assert "修改\t壹、民政業務 › 第 1 筆\t補助機關名稱：（空） → 內政部" in out
    assert main(["package", "merge", str(tmp_path / "budget.awr"), str(package_path), "--prefer", "package"]) == 0
    doc = ReportDocument.open(tmp_path / "budget.awr", read_only=True)
    try:
        assert (_first_row(doc.report).values["budget"], _first_row(doc.report).values["grantor"]) == (130000, "內政部")
    finally:
        doc.close()
