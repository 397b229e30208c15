"""Report files as earlier releases wrote them (for the migration tests)."""
from __future__ import annotations

from app.model import Report


def write_before_entry_values(db, report: Report) -> None:
    """Write ``report`` into a file whose schema stops before 0007 (no ``extra`` column): this
    version's writer, with the column there for the write and dropped again after it."""
    from app.storage.repository import _write_report

    tables = {row[0] for row in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    added = [table for table in ("entry", "previous_entry") if table in tables]
    for table in added:
        db.execute(f"ALTER TABLE {table} ADD COLUMN extra TEXT NOT NULL DEFAULT '{{}}'")
    _write_report(db, report)
    for table in added:
        db.execute(f"ALTER TABLE {table} DROP COLUMN extra")
