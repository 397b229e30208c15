"""Never lose a report: kills, locks, backups, full disks, read-only places, files
removed underneath, hostile text.  Each test fails if its protection is removed."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import PROJECT_ROOT
from app.document import ReportDocument
from app.errors import ReportError
from app.interchange import report_to_dict
from app.model import Department, Entry, Item, Report, Section
from app.operations import SetField
from app.storage import Repository
from app.storage.backup import KEEP, list_backups, make_backup, restore_backup
from app.storage.lock import ReportLocked, lock_path


def _env():
    return dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), QT_QPA_PLATFORM="offscreen")


HOLDER = """
import sys, time
from app.document import ReportDocument
doc = ReportDocument.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], env=_env(), stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "holding"
    yield path, process
    process.kill()
    process.wait()


# --- two programs, one file --------------------------------------------------


def test_the_lock_message_names_the_person_as_they_set_themselves(tmp_path, small):
    """Not the login user: the name and role of app/person.py (WORKREPORT_USER/ROLE for the CLI,
    the 身分 dialog in the window), and a change of 身分 while the report is open follows."""
    import getpass

    from app.person import Person

    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    env = dict(_env(), WORKREPORT_USER="王小明", WORKREPORT_ROLE="clerk")
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "holding"
        with pytest.raises(ReportLocked) as info:
            ReportDocument.open(path)
        assert "此報告正由王小明（承辦人，電腦 " in str(info.value)
        assert f"正由{getpass.getuser()}" not in str(info.value)
    finally:
        process.kill()
        process.wait()
    doc = ReportDocument.open(path, person=Person("陳彙整", "compiler"))
    try:
        doc.person = Person("李主任", "chief")  # 身分 changed in the window
        with pytest.raises(ReportLocked, match="此報告正由李主任（主管，電腦 "):
            ReportDocument.open(path)
    finally:
        doc.close()


def test_second_program_gets_a_clear_message_and_a_read_only_view(holder):
    path, _ = holder
    with pytest.raises(ReportLocked) as info:
        ReportDocument.open(path)
    assert "編輯中" in str(info.value) and str(path) in str(info.value)
    viewer = ReportDocument.open(path, read_only=True)
    entry = viewer.report.departments[0].sections[0].items[0].entries[0]
    with pytest.raises(ReportError, match="唯讀"):
        viewer.apply(SetField(entry.id, "text", "不可以"))
    viewer.close()


def test_cli_export_works_while_the_gui_holds_the_file(holder, tmp_path):
    path, _ = holder
    out = subprocess.run([sys.executable, "-m", "app", "export", str(path), "-f", "json", "-o", str(tmp_path / "o.json")],
                         env=_env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_the_lock_of_a_killed_program_is_taken_over(holder):
    path, process = holder
    process.kill()
    process.wait()
    assert lock_path(path).exists()  # left behind by the crash …
    doc = ReportDocument.open(path)  # … but not held by anyone
    doc.close()
    assert not lock_path(path).exists()


def test_two_opens_in_one_program_conflict_too(tmp_path, small):
    path = tmp_path / "r.awr"
    first = ReportDocument.create(path, small)
    with pytest.raises(ReportLocked):
        ReportDocument.open(path)
    first.close()
    ReportDocument.open(path).close()


# --- backups -----------------------------------------------------------------


def test_backup_is_a_checked_copy_and_rotates(small_doc):
    for _ in range(KEEP + 3):
        made = make_backup(small_doc.repo.db.conn, small_doc.path, "manual")
    backups = list_backups(small_doc.path)
    assert len(backups) == KEEP and backups[0].path == made.path
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert "手動備份" in backups[0].label and "KB" in backups[0].label


def test_restore_puts_the_backup_back_and_keeps_the_current_state_as_a_backup(tmp_path, small):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, small)
    before = report_to_dict(doc.report)
    backup = doc.repo.backup("manual")
    entry = doc.report.departments[0].sections[0].items[0].entries[0]
    doc.apply(SetField(entry.id, "text", "之後的修改"))
    doc.close()
    restore_backup(backup, path)
    again = ReportDocument.open(path)
    assert report_to_dict(again.report) == before
    again.close()
    assert any(b.reason == "restore" for b in list_backups(path))


def test_an_older_file_is_backed_up_before_it_is_migrated(tmp_path, small):
    path = tmp_path / "old.awr"
    ReportDocument.create(path, small).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE previous_entry")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('0002_previous_entries',"
                 " '0004_previous_entries_outlive_their_item', '0007_entry_values')")
    conn.commit()
    conn.close()
    ReportDocument.open(path).close()
    assert [b.reason for b in list_backups(path)] == ["migrate"]


def test_a_damaged_backup_is_not_restored(tmp_path, small_doc):
    backup = small_doc.repo.backup("manual")
    backup.path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    target = tmp_path / "target.awr"
    target.write_bytes(b"keep")
    with pytest.raises(ReportError):
        restore_backup(backup, target)
    assert target.read_bytes() == b"keep"


# --- disk full, read-only places, files removed underneath --------------------

DISK_FULL = """
import resource, signal, sys, os
from app.document import ReportDocument
from app.errors import ReportError
from app.operations import SetField
doc = ReportDocument.open(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = os.path.getsize(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, size + 8192))
entry = doc.report.departments[0].sections[0].items[0].entries[0]
try:
    doc.apply(SetField(entry.id, "text", "滿" * 400000))
except ReportError as exc:
    print("REFUSED", exc)
print("MEMORY", doc.report.departments[0].sections[0].items[0].entries[0].text[:10])
"""


def test_disk_full_refuses_the_edit_and_keeps_what_was_saved(tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    before = report_to_dict(ReportDocument.open(path, read_only=True).report)
    out = subprocess.run([sys.executable, "-c", DISK_FULL, str(path)], env=_env(), capture_output=True, text=True, timeout=60)
    assert "REFUSED" in out.stdout, out.stdout + out.stderr
    assert "這次修改沒有存入" in out.stdout and "已存的資料不受影響" in out.stdout
    assert "MEMORY 辦理里長補選。" in out.stdout  # the in-memory report was rolled back too
    doc = ReportDocument.open(path)
    assert report_to_dict(doc.report) == before
    doc.close()


READ_ONLY = """
import os, sys
from app.document import ReportDocument
from app.errors import ReportError
from app.operations import SetField
path = sys.argv[1]
try:
    ReportDocument.open(path)
except ReportError as exc:
    print("OPEN REFUSED", exc)
doc = ReportDocument.open(path, read_only=True)
print("READ", doc.report.departments[0].name)
"""


def _make_read_only(paths, on: bool) -> None:
    """A read-only place even for root: chattr +i (immutable) when root, chmod otherwise."""
    for p in paths:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i" if on else "-i", str(p)], check=True)
        else:
            os.chmod(p, (0o555 if p.is_dir() else 0o444) if on else (0o755 if p.is_dir() else 0o644))


def test_read_only_location_refuses_editing_clearly_and_still_shows_the_report(tmp_path, small):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "r.awr"
    ReportDocument.create(path, small).close()
    _make_read_only([path, folder], True)
    try:
        out = subprocess.run([sys.executable, "-c", READ_ONLY, str(path)], env=_env(), capture_output=True,
                             text=True, timeout=60)
    finally:
        _make_read_only([folder, path], False)
    assert "OPEN REFUSED" in out.stdout and "唯讀" in out.stdout, out.stdout + out.stderr
    assert "READ 民政部門" in out.stdout


def test_a_file_made_read_only_while_open_refuses_the_edit(tmp_path, small):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, small)
    before = report_to_dict(doc.report)
    entry = doc.report.departments[0].sections[0].items[0].entries[0]
    _make_read_only([path], True)
    try:
        with pytest.raises(ReportError, match="這次修改沒有存入"):
            doc.apply(SetField(entry.id, "text", "改不了"))
    finally:
        _make_read_only([path], False)
    assert report_to_dict(doc.report) == before
    doc.close()
    assert report_to_dict(ReportDocument.open(path, read_only=True).report) == before


def test_a_file_removed_underneath_refuses_edits_and_can_still_be_saved_as_a_copy(tmp_path, small):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, small)
    os.unlink(path)
    entry = doc.report.departments[0].sections[0].items[0].entries[0]
    with pytest.raises(ReportError, match="移動、刪除或取代"):
        doc.apply(SetField(entry.id, "text", "寫到哪裡去了"))
    rescue = tmp_path / "rescue.awr"
    doc.repo.save_copy(rescue)
    doc.close()
    assert report_to_dict(ReportDocument.open(rescue, read_only=True).report)["departments"] == report_to_dict(small)["departments"]


# --- kills ----------------------------------------------------------------------


def test_kill_harness_loses_nothing():
    sys.path.insert(0, str(PROJECT_ROOT / "tools"))
    from kill_harness import run

    results = run(trials=3, modes=["edit", "import", "export", "rollover"], seed=20261128, factor=3)
    for mode, outcome in results.items():
        assert outcome.failures == [], mode
        assert outcome.trials == 3


# --- hostile text ----------------------------------------------------------------

HOSTILE = [
    "=1+1", "+SUM(A1)", "-2+3", "@x", "<w:t>標記</w:t> &amp; <script>", "\u202e右至左\u202c", "表情 😀🎉 𠀀𡃁",
    "控制\x00字\x07元\x0b換行\x0c\x1f", "]]><!--", "\ufeff零寬\u200b字",
]


def hostile_report() -> Report:
    item = Item(title="=敵意標題", entries=[Entry(level=1, text=t, completion=100, remark=t) for t in HOSTILE])
    big = Item(title="五千筆", entries=[Entry(level=1 + (n % 2), text=f"第 {n} 筆") for n in range(5000)])
    huge = Item(title="兩百萬字", entries=[Entry(level=0, text="長" * 2_000_000)])
    return Report(office="<區公所>&", roc_year=113, departments=[
        Department(name="測試部門", sections=[Section(title="一般", items=[item, big, huge])])])


def test_hostile_text_is_stored_and_every_export_works_or_refuses_cleanly(tmp_path):
    import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
    from app.exporters import available_formats, export

    doc = ReportDocument.create(tmp_path / "h.awr", hostile_report())
    entries = doc.report.departments[0].sections[0].items[0].entries
    assert [e.text for e in entries] == HOSTILE  # stored as typed
    doc.apply(SetField(entries[0].id, "text", "=2+2"))
    outcomes = {}
    for fmt in available_formats():
        target = tmp_path / f"out.{fmt}"
        try:
            export(doc.report, fmt, target)
            outcomes[fmt] = "ok" if target.stat().st_size > 0 else "empty"
        except ReportError as exc:
            outcomes[fmt] = f"refused: {exc}"
            assert not target.exists()
    doc.close()
    assert all(v == "ok" or v.startswith("refused") for v in outcomes.values()), outcomes
    assert outcomes["json"] == "ok"
