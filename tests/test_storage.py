"""The report file: creation, reopening, transactions, damaged and foreign files."""
from __future__ import annotations

import os
import sqlite3

import pytest

from app import __version__
from app.document import ReportDocument
from app.errors import NewerVersionError, NotAReportError, ReportError
from app.interchange import report_to_dict
from app.model import Entry
from app.operations import Batch, InsertNode, SetField
from app.storage import Repository
from app.storage import schema


def test_create_and_reopen_gives_the_same_report(tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    reopened = ReportDocument.open(path)
    assert report_to_dict(reopened.report) == report_to_dict(small)
    reopened.close()


def test_file_is_marked_with_our_application_id_and_uses_rollback_journal(tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_foreign_keys_cascade_inside_the_file(small_doc):
    conn = small_doc.repo.db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    item = small_doc.report.departments[0].sections[0].items[0]
    from app.operations import DeleteNode

    small_doc.apply(DeleteNode(item.id))
    assert conn.execute("SELECT count(*) FROM entry WHERE item_id = ?", (item.id,)).fetchone()[0] == 0


def test_every_change_is_on_disk_when_apply_returns(tmp_path, small):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, small)
    entry = doc.report.departments[0].sections[0].items[0].entries[0]
    doc.apply(SetField(entry.id, "text", "已改"))
    # A second connection sees it at once: committed, not pending.
    other = sqlite3.connect(path)
    assert other.execute("SELECT text FROM entry WHERE id = ?", (entry.id,)).fetchone()[0] == "已改"
    other.close()
    doc.close()


def test_a_failing_action_is_rolled_back_whole(small_doc):
    item = small_doc.report.departments[0].sections[0].items[0]
    before = report_to_dict(small_doc.report)
    bad = Batch([
        InsertNode(item.id, 0, Entry(text="新的")),
        SetField(item.entries[0].id, "completion", 150),  # refused
    ])
    with pytest.raises(ReportError):
        small_doc.apply(bad)
    assert report_to_dict(small_doc.report) == before
    assert report_to_dict(small_doc.repo.load()) == before


def test_database_constraint_failure_is_rolled_back(small_doc):
    entry = small_doc.report.departments[0].sections[0].items[0].entries[0]
    with pytest.raises(ReportError):
        with small_doc.repo.transaction():
            small_doc.repo.set_field("entry", entry.id, "text", "臨時")
            small_doc.repo.db.execute("UPDATE entry SET level = 9 WHERE id = ?", [entry.id])
    assert small_doc.repo.load().departments[0].sections[0].items[0].entries[0].text == entry.text


def test_create_refuses_to_overwrite_an_existing_file(tmp_path, small):
    path = tmp_path / "r.awr"
    path.write_bytes(b"precious")
    with pytest.raises(ReportError, match="已存在"):
        ReportDocument.create(path, small)
    assert path.read_bytes() == b"precious"


def test_missing_file(tmp_path):
    with pytest.raises(ReportError, match="找不到檔案"):
        Repository.open(tmp_path / "none.awr")


@pytest.mark.parametrize("content", [b"", b"hello world, not a database", b"PK\x03\x04" + b"\x00" * 200])
def test_not_a_report(tmp_path, content):
    path = tmp_path / "x.awr"
    path.write_bytes(content)
    with pytest.raises(NotAReportError) as info:
        Repository.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.awr"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAReportError, match="其他程式"):
        Repository.open(path)
    assert path.read_bytes() == before


def test_truncated_report_is_refused(tmp_path, sample):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NotAReportError):
        ReportDocument.open(path)


def test_overwritten_pages_are_refused(tmp_path, sample):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample).close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset + 100: offset + 600] = os.urandom(500)
    path.write_bytes(bytes(data))
    with pytest.raises(NotAReportError):
        ReportDocument.open(path)


def test_file_from_a_newer_version_is_refused_naming_both_versions(tmp_path, small):
    path = tmp_path / "r.awr"
    ReportDocument.create(path, small).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (schema.MIGRATION_SET, "9999_future", "2030-01-01"),
    )
    conn.execute("UPDATE meta SET value = '9.0.0' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    with pytest.raises(NewerVersionError) as info:
        Repository.open(path)
    message = str(info.value)
    assert "9.0.0" in message and __version__ in message


def test_create_in_a_missing_folder_leaves_nothing(tmp_path, small):
    with pytest.raises(ReportError, match="資料夾不存在"):
        ReportDocument.create(tmp_path / "no" / "r.awr", small)
    assert list(tmp_path.iterdir()) == []


def test_save_copy_is_a_checked_consistent_report(tmp_path, small_doc):
    target = tmp_path / "copy.awr"
    small_doc.repo.save_copy(target)
    copy = ReportDocument.open(target)
    assert report_to_dict(copy.report) == report_to_dict(small_doc.report)
    copy.close()
    with pytest.raises(ReportError):
        small_doc.repo.save_copy(small_doc.path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.awr", "small.awr", "small.awr.lock"]


def test_previous_entries_are_kept_per_item(tmp_path, small):
    item = small.departments[0].sections[0].items[0]
    small.previous_entries[item.id] = [Entry(level=1, text="去年的", completion=90, remark="r")]
    doc = ReportDocument.create(tmp_path / "r.awr", small)
    again = doc.repo.load()
    assert [(e.level, e.text, e.completion, e.remark) for e in again.previous_entries[item.id]] == [(1, "去年的", 90, "r")]
    doc.close()


def test_a_file_made_before_a_migration_is_migrated_on_open(tmp_path, small):
    path = tmp_path / "old.awr"
    ReportDocument.create(path, small).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE previous_entry")
    # Every later migration that changes previous_entry runs again after 0002 makes it anew.
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('0002_previous_entries',"
                 " '0004_previous_entries_outlive_their_item', '0007_entry_values')")
    conn.commit()
    conn.close()
    doc = ReportDocument.open(path)
    assert doc.report.previous_entries == {}
    names = [m.name for m in schema.migrations.applied(doc.repo.db)]
    assert sorted(names) == sorted(schema.known_migrations())
    doc.close()
