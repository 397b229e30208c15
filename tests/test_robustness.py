"""Robustness cases found by randomized use (issue 17): each reproduced, each fixed.

1. last year's entries survive deleting a 目/項/department and undoing it (and an
   older file migrates);
2. a second merge of the same package is a no-op and never undoes the compiler's work;
3. a merge never writes into another department;
4. plan_merge predicts apply's refusal;
5. hostile imports get a named refusal and file-supplied text is quoted safely.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from old_files import write_before_entry_values

from app.document import Person, ReportDocument
from app.errors import ReportError, shown
from app.interchange import dumps, report_to_dict
from app.model import Entry, Item
from app.operations import DeleteNode, InsertNode, MoveNode, SetField
from app.packages import apply_merge, issue_package, plan_merge
from app.review import ReviewAction
from app.rollover import next_year
from app.sample import sample_report
from app.storage import schema
from app.storage.backup import list_backups
from app.storage.repository import _connect, _set_meta

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHIEF = Person("李課長", "chief")


# --- 1. last year's entries ---------------------------------------------------------


def previous(report):
    """Last year's entries by value (they get fresh ids on every load)."""
    return {k: [(e.level, e.text, e.completion, e.remark) for e in v] for k, v in report.previous_entries.items() if v}


def _rolled_over(tmp_path):
    following = next_year(sample_report(), keep_entries=True)
    return ReportDocument.create(tmp_path / "next.awr", following, person=CHIEF)


def _first_item_with_previous(doc):
    for item in (n for n in doc.report.walk() if n.kind == "item"):
        if doc.report.previous_entries.get(item.id):
            return item
    raise AssertionError("no 目 with last year's entries")


@pytest.mark.parametrize("level", ["item", "section", "department"])
def test_last_years_entries_survive_delete_and_undo(tmp_path, level):
    doc = _rolled_over(tmp_path)
    item = _first_item_with_previous(doc)
    before = [(e.level, e.text, e.completion, e.remark) for e in doc.report.previous_entries[item.id]]
    assert before
    node = item
    while node.kind != level:
        node = doc.parent(node.id)
    operation = DeleteNode(node.id)
    doc.apply(operation)
    doc.revert(operation)
    on_disk = doc.repo.load()
    assert report_to_dict(on_disk) == report_to_dict(doc.report)
    assert [(e.level, e.text, e.completion, e.remark) for e in on_disk.previous_entries[item.id]] == before
    doc.close()
    again = ReportDocument.open(tmp_path / "next.awr")
    assert [(e.level, e.text, e.completion, e.remark) for e in again.report.previous_entries[item.id]] == before
    again.close()


def test_a_file_made_before_0004_migrates_keeping_last_years_entries(tmp_path):
    """A file written with migrations 0001–0003 only (ON DELETE CASCADE on previous_entry)."""
    following = next_year(sample_report())
    path = tmp_path / "old.awr"
    db = _connect(path)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0004_previous_entries_outlive_their_item")
    with db.atomic():
        _set_meta(db, "app_version", "0.9")
        write_before_entry_values(db, following)
    ddl = db.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'previous_entry'").fetchone()[0]
    assert "ON DELETE CASCADE" in ddl  # really the old schema
    db.close()
    doc = ReportDocument.open(path, person=CHIEF)
    assert {m.name for m in schema.migrations.applied(doc.repo.db)} == set(schema.known_migrations())
    ddl = doc.repo.db.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'previous_entry'").fetchone()[0]
    assert "REFERENCES" not in ddl
    assert previous(doc.report) == previous(following)
    [backup] = list_backups(path)  # the file as it was, before migrating
    conn = sqlite3.connect(backup.path)
    try:
        assert backup.reason == "migrate"
        assert "ON DELETE CASCADE" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'previous_entry'").fetchone()[0]
    finally:
        conn.close()
    item = _first_item_with_previous(doc)
    operation = DeleteNode(item.id)
    doc.apply(operation)
    doc.revert(operation)
    assert previous(doc.repo.load()) == previous(following)
    doc.close()


# --- 2–4. merges --------------------------------------------------------------------


CLERK = Person("王小明", "clerk")


def _issued(tmp_path, department="社建部門"):
    path = tmp_path / "report.awr"
    ReportDocument.create(path, sample_report(), person=CHIEF).close()
    doc = ReportDocument.open(path, person=CHIEF)
    package_path = tmp_path / "pkg.awr"
    issue_package(doc, department, package_path)
    return doc, package_path


def _section(department, title):
    return next(s for s in department.sections if s.title == title)


def test_a_second_merge_of_the_same_package_is_a_noop_and_keeps_the_compilers_order(tmp_path):
    doc, package_path = _issued(tmp_path)
    package = ReportDocument.open(package_path, person=CLERK)
    department = package.report.departments[0]
    welfare = _section(department, "社會福利與救助")
    package.apply(MoveNode(welfare.id, department.id, len(department.sections) - 1))
    package.apply(SetField(welfare.items[0].entries[0].id, "text", "承辦人改過"))
    package.close()
    report_department = doc.report.department_named("社建部門")
    doc.apply(DeleteNode(welfare.id))
    violations = _section(report_department, "違規事件之查報")
    doc.apply(MoveNode(violations.id, report_department.id, 0))

    first = plan_merge(doc, package_path, prefer="package")
    apply_merge(doc, first)
    titles = [s.title for s in report_department.sections]
    assert titles[0] == "違規事件之查報" and titles[-1] == "社會福利與救助"
    assert _section(report_department, "社會福利與救助").items[0].entries[0].text == "承辦人改過"
    after_first = report_to_dict(doc.report)

    second = plan_merge(doc, package_path, prefer="package")
    assert second.conflicts == [] and second.is_noop
    apply_merge(doc, second)
    assert report_to_dict(doc.report) == after_first
    doc.close()


def _no_writes_outside(doc, department_id, before):
    """Every department but ``department_id`` is as it was (interchange dicts)."""
    after = report_to_dict(doc.report)["departments"]
    assert [d for d in after if d["id"] != department_id] == [d for d in before if d["id"] != department_id]


def _tables(path):
    conn = sqlite3.connect(path)
    try:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("department", "section", "item", "entry")]
    finally:
        conn.close()


@pytest.mark.parametrize("moved", ["item", "section"])
@pytest.mark.parametrize("prefer", ["package", None])
def test_a_merge_never_writes_into_another_department(tmp_path, moved, prefer):
    doc, package_path = _issued(tmp_path, "民政部門")
    civil = doc.report.department_named("民政部門")
    social = doc.report.department_named("社建部門")
    item = civil.sections[0].items[0]  # 選舉業務
    package = ReportDocument.open(package_path, person=CLERK)
    package.apply(SetField(item.entries[0].id, "text", "承辦人改過"))
    package.apply(InsertNode(item.id, 0, Entry(text="承辦人新增")))
    package.close()
    # The compiler moves the 目 (or its 項) into another department.
    node = item if moved == "item" else civil.sections[0]
    target = social.sections[0] if moved == "item" else social
    doc.apply(MoveNode(node.id, target.id, 0))
    before = report_to_dict(doc.report)["departments"]
    files = _tables(doc.path)
    try:
        plan = plan_merge(doc, package_path, prefer=prefer)
    except ReportError as exc:
        assert "其他部門" in str(exc) and "社建部門" in str(exc)
    else:
        # Only when nothing of it is kept from the package (the report's side).
        assert prefer is None and plan.unresolved
        assert all(doc.department_of(n).id == civil.id for n in _ids(plan.result.merged) if doc.find(n))
    _no_writes_outside(doc, civil.id, before)
    assert _tables(doc.path) == files
    doc.close()


def _ids(node):
    yield node.id
    for child in node.children:
        yield from _ids(child)


def test_a_merge_planned_before_a_move_to_another_department_is_refused_by_apply(tmp_path):
    """The package adds a 目 and moves an entry into it; the compiler then moves the
    entry's old 目 to another department: apply refuses (no UNIQUE constraint failure)."""
    doc, package_path = _issued(tmp_path, "民政部門")
    civil = doc.report.department_named("民政部門")
    social = doc.report.department_named("社建部門")
    item = civil.sections[0].items[0]
    package = ReportDocument.open(package_path, person=CLERK)
    fresh = Item(title="新目")
    package.apply(InsertNode(civil.sections[0].id, 0, fresh))
    package.apply(MoveNode(item.entries[0].id, fresh.id, 0))
    package.close()
    plan = plan_merge(doc, package_path)
    assert plan.unresolved == []
    doc.apply(MoveNode(item.id, social.sections[0].id, 0))
    before = report_to_dict(doc.report)
    with pytest.raises(ReportError, match="其他部門"):
        apply_merge(doc, plan, backup=False)
    assert report_to_dict(doc.report) == before == report_to_dict(doc.repo.load())
    with pytest.raises(ReportError, match="其他部門"):
        plan_merge(doc, package_path, prefer="package")
    assert plan_merge(doc, package_path).unresolved  # the moved entry: a 'deleted' conflict
    doc.close()


def test_plan_predicts_the_refusal_of_an_approved_target(tmp_path):
    """The report moved an entry into another 目 and approved that 目; the package edited the entry."""
    doc, package_path = _issued(tmp_path, "民政部門")
    civil = doc.report.department_named("民政部門")
    source, target = civil.sections[0].items[0], civil.sections[0].items[1]
    entry = source.entries[0]
    package = ReportDocument.open(package_path, person=CLERK)
    package.apply(SetField(entry.id, "text", "承辦人改過"))
    package.close()
    doc.apply(MoveNode(entry.id, target.id, 0))
    doc.apply(ReviewAction(target.id, "approve"))
    before = report_to_dict(doc.report)
    with pytest.raises(ReportError, match="已核定"):
        plan_merge(doc, package_path)
    assert report_to_dict(doc.report) == before
    doc.close()
    # The CLI's dry run says so too (exit 2, one line), as the merge itself does.
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    for extra in (["--dry-run"], []):
        proc = subprocess.run([sys.executable, "-m", "app", "package", "merge", str(tmp_path / "report.awr"),
                               str(package_path), *extra], capture_output=True, text=True, encoding="utf-8",
                              cwd=PROJECT_ROOT, env=env, timeout=120)
        assert proc.returncode == 2 and "已核定" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


# --- 5. hostile imports -------------------------------------------------------------


ODF_TEXT = "application/vnd.oasis.opendocument.text"
CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:{body}>'
    "<table:table table:name=\"T\"><table:table-row><table:table-cell>{cell}</table:table-cell>"
    "</table:table-row></table:table></office:{body}></office:body></office:document-content>"
)


def cli_import(source: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    env.pop("WORKREPORT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "app", "import", str(source), "-o", str(tmp_path / "out.awr")],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=PROJECT_ROOT,
                          env=env, timeout=120)


def assert_named_refusal(source: Path, tmp_path: Path, *expected: str) -> str:
    proc = cli_import(source, tmp_path)
    message = proc.stderr.strip()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(message.splitlines()) == 1 and message.startswith("錯誤："), message
    assert "未預期" not in message and "Traceback" not in message, message
    for text in expected:
        assert text in message, message
    assert not (tmp_path / "out.awr").exists()
    return message


def odf(path: Path, cell: str, *, mimetype: str = ODF_TEXT, body: str = "text") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", CONTENT.format(cell=cell, body=body))
    return path


def test_json_with_a_lone_surrogate_is_refused_by_name(tmp_path):
    text = dumps(sample_report()).replace("辦理", "\\ud800辦理", 1)
    source = tmp_path / "bad.json"
    source.write_text(text, encoding="utf-8")
    message = assert_named_refusal(source, tmp_path, "無法儲存的字元")
    assert "departments[" in message


def test_json_with_a_huge_integer_literal_is_refused_by_name(tmp_path):
    source = tmp_path / "big.json"
    source.write_text('{"format": "workreport", "version": 1, "office": "", "roc_year": ' + "9" * 5000
                      + ', "departments": []}', encoding="utf-8")
    assert_named_refusal(source, tmp_path, "數字")


@pytest.mark.parametrize("suffix,body", [(".odt", "text"), (".ods", "spreadsheet")])
def test_odf_with_deeply_nested_elements_is_refused_by_name(tmp_path, suffix, body):
    depth = 30_000
    cell = "<text:p>" + "<text:span>" * depth + "深" + "</text:span>" * depth + "</text:p>"
    mimetype = ODF_TEXT if suffix == ".odt" else "application/vnd.oasis.opendocument.spreadsheet"
    source = odf(tmp_path / f"deep{suffix}", cell, mimetype=mimetype, body=body)
    assert_named_refusal(source, tmp_path, "層數過深")


def test_a_docx_with_deeply_nested_elements_is_refused_by_name(tmp_path):
    depth = 30_000
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:tbl><w:tr><w:tc><w:p>" + "<w:sdt><w:sdtContent>" * depth + "<w:r><w:t>x</w:t></w:r>"
        + "</w:sdtContent></w:sdt>" * depth + "</w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    source = tmp_path / "deep.docx"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", document)
    assert_named_refusal(source, tmp_path, "層數過深")


def test_file_supplied_text_is_quoted_safely_and_briefly(tmp_path):
    evil = "application/x-evil\n\x1b[31mRED\x1b[0m\x07\ufffd\u202e" + "A" * 120
    source = odf(tmp_path / "evil.odt", "<text:p>x</text:p>", mimetype=evil)
    message = assert_named_refusal(source, tmp_path, "application/x-evil")
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "\ufffd" not in message and "RED" in message
    assert len(message) < len(str(source)) + 120
    long = odf(tmp_path / "long.odt", "<text:p>x</text:p>", mimetype="application/" + "x" * 300)
    assert_named_refusal(long, tmp_path, "mimetype 過長")


def test_shown_strips_controls_escapes_and_caps_the_length():
    assert shown("a\nb\x1b[1;31mc\x1b[0m\x00d\x9b2Je\u202e") == "「a bcde」"
    assert shown("x" * 100, 10) == "「xxxxxxxxx…」"
    assert shown("\ud800ok") == "「?ok」"
    assert shown("") == "「」"
