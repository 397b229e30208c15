"""The report file's schema and its migrations.

A report file (``.awr``) is a SQLite database marked with our
``PRAGMA application_id`` so that a foreign SQLite file is told apart from a
report.  The schema is built by sqlite-utils ``Migrations``; each migration is
named, and a file holding a migration this program does not know was written
by a newer version and is refused (never half-read, never "repaired").

How things fail and why the settings are what they are:

* ``journal_mode=DELETE`` (the rollback journal), not WAL: WAL does not work on
  network file systems and reports live on shared drives and USB sticks.
* ``synchronous=FULL``: a commit is on disk when it returns (power loss keeps
  every committed edit).
* ``foreign_keys=ON`` per connection (SQLite's default is off), so deleting a
  目 cascades to its entries inside the same transaction.  Last year's
  entries (``previous_entry``) do *not* cascade (migration 0004): they stay
  keyed by the 目 id while it is deleted, so undoing the delete finds them.
* The report's template (migration 0006) is a row of ``template`` holding its
  ``.awt`` JSON, checked against resources/schema/template.schema.json when
  the file is read.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APPLICATION_ID = 0x41575231  # "AWR1"
MIGRATION_SET = "workreport"

migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    for statement in (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE report (
            id TEXT PRIMARY KEY,
            office TEXT NOT NULL DEFAULT '',
            roc_year INTEGER NOT NULL,
            published_roc_year INTEGER,
            published_month INTEGER CHECK (published_month IS NULL OR published_month BETWEEN 1 AND 12),
            numbering_style TEXT NOT NULL DEFAULT 'standard',
            predecessor_id TEXT
        )""",
        """CREATE TABLE department (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE section (
            id TEXT PRIMARY KEY,
            department_id TEXT NOT NULL REFERENCES department(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE item (
            id TEXT PRIMARY KEY,
            section_id TEXT NOT NULL REFERENCES section(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            numbered INTEGER NOT NULL DEFAULT 1 CHECK (numbered IN (0, 1)),
            predecessor_id TEXT
        )""",
        """CREATE TABLE entry (
            id TEXT PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES item(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            level INTEGER NOT NULL DEFAULT 1 CHECK (level IN (0, 1, 2)),
            text TEXT NOT NULL DEFAULT '',
            completion INTEGER CHECK (completion IS NULL OR completion BETWEEN 0 AND 100),
            remark TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX department_parent ON department(report_id, position)",
        "CREATE INDEX section_parent ON section(department_id, position)",
        "CREATE INDEX item_parent ON item(section_id, position)",
        "CREATE INDEX entry_parent ON entry(item_id, position)",
    ):
        db.execute(statement)


@migrations(name="0002_previous_entries")
def _previous_entries(db: Database) -> None:
    # Last year's entries for each 目 of a report made by rollover (read-only reference).
    db.execute(
        """CREATE TABLE previous_entry (
            item_id TEXT NOT NULL REFERENCES item(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            level INTEGER NOT NULL,
            text TEXT NOT NULL,
            completion INTEGER,
            remark TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX previous_entry_item ON previous_entry(item_id, position)")


@migrations(name="0003_review_history")
def _review_history(db: Database) -> None:
    for statement in (
        "ALTER TABLE item ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'"
        " CHECK (status IN ('draft', 'submitted', 'returned', 'approved'))",
        # Review comments on a 目 or an entry; kept when the node is deleted
        # (history is about what happened, not only what is).
        """CREATE TABLE comment (
            id TEXT PRIMARY KEY,
            node_id TEXT NOT NULL,
            author TEXT NOT NULL,
            role TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
        "CREATE INDEX comment_node ON comment(node_id)",
        # What a 目 looked like when it was last approved (JSON), for
        # "changes since last approval".
        """CREATE TABLE approval (
            item_id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            snapshot TEXT NOT NULL
        )""",
        # Every change: who, when, what, before/after (JSON values).
        """CREATE TABLE history (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            kind TEXT NOT NULL,
            node_id TEXT NOT NULL,
            item_id TEXT,
            department_id TEXT,
            field TEXT,
            before TEXT,
            after TEXT
        )""",
        "CREATE INDEX history_node ON history(node_id)",
        "CREATE INDEX history_item ON history(item_id)",
    ):
        db.execute(statement)


@migrations(name="0004_previous_entries_outlive_their_item")
def _previous_entries_outlive_their_item(db: Database) -> None:
    # Last year's entries stay keyed by the 目 id while that 目 is deleted:
    # with ON DELETE CASCADE they went with it, and an undo of the delete
    # (which re-inserts the 目 with the same id) did not bring them back.
    # Memory keeps them throughout, so the file must too.  Rows of a 目 that
    # is gone for good are harmless: nothing shows them.
    for statement in (
        """CREATE TABLE previous_entry_new (
            item_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            level INTEGER NOT NULL,
            text TEXT NOT NULL,
            completion INTEGER,
            remark TEXT NOT NULL DEFAULT ''
        )""",
        "INSERT INTO previous_entry_new (item_id, position, level, text, completion, remark)"
        " SELECT item_id, position, level, text, completion, remark FROM previous_entry ORDER BY rowid",
        "DROP TABLE previous_entry",
        "ALTER TABLE previous_entry_new RENAME TO previous_entry",
        "CREATE INDEX previous_entry_item ON previous_entry(item_id, position)",
    ):
        db.execute(statement)


@migrations(name="0005_proofread")
def _proofread(db: Database) -> None:
    # 校對 (app/proofread.py): a finding someone chose to ignore, by its
    # stable key (rule + the text and a few characters around it, never a
    # node id, so it survives packages and rollover); and the report's own
    # word list (names and local terms never flagged).
    for statement in (
        """CREATE TABLE proofread_ignore (
            key TEXT PRIMARY KEY,
            who TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL DEFAULT '',
            rule TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE proofread_word (
            word TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        )""",
    ):
        db.execute(statement)


@migrations(name="0006_report_template")
def _report_template(db: Database) -> None:
    # The report's template (app/templates.py) as its .awt JSON, one row per
    # report.  A file made before templates gets the default template —
    # 「區公所年度工作總報告」, the layout it was written in — as it is when the
    # file is migrated.  (0005 belongs to the proofreading tables; this one
    # does not depend on them.)
    from ..templates import default_dumps, default_template

    db.execute(
        """CREATE TABLE template (
            report_id TEXT PRIMARY KEY REFERENCES report(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            body TEXT NOT NULL
        )"""
    )
    default = default_template()
    db.execute("INSERT INTO template (report_id, name, body) SELECT id, ?, ? FROM report",
               [default.name, default_dumps()])


@migrations(name="0007_entry_values")
def _entry_values(db: Database) -> None:
    # Templates (issue 19): an entry keeps the values of its template's other
    # columns (預算金額, 經費來源 …) as one JSON object in ``extra`` (app.model
    # Entry.values; "{}" for every entry of the default template), and a
    # numbered text may have four levels (一、 (一) 1. (1)), so ``level`` allows
    # 0–4.  SQLite cannot change a CHECK, so the table is rebuilt; no table
    # refers to entry (comments and history name it by id only).
    for statement in (
        """CREATE TABLE entry_new (
            id TEXT PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES item(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            level INTEGER NOT NULL DEFAULT 1 CHECK (level BETWEEN 0 AND 4),
            text TEXT NOT NULL DEFAULT '',
            completion INTEGER CHECK (completion IS NULL OR completion BETWEEN 0 AND 100),
            remark TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '{}'
        )""",
        "INSERT INTO entry_new (id, item_id, position, level, text, completion, remark)"
        " SELECT id, item_id, position, level, text, completion, remark FROM entry ORDER BY rowid",
        "DROP TABLE entry",
        "ALTER TABLE entry_new RENAME TO entry",
        "CREATE INDEX entry_parent ON entry(item_id, position)",
        "ALTER TABLE previous_entry ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'",
    ):
        db.execute(statement)


def known_migrations() -> list[str]:
    return [migration.name for migration in migrations._migrations]
