"""The only place with SQL: open, create, load and change a report file.

The repository speaks dataclasses (:mod:`app.model`), never rows.  It opens no
transaction of its own for single statements: callers group the statements of
one user action in :meth:`Repository.transaction`, so that every action is one
SQLite transaction — committed to disk when it returns, or not at all.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sqlite_utils import Database

from .. import __version__
from ..errors import NewerVersionError, NotAReportError, ReportError, os_reason
from ..fileio import atomic_output
from .backup import Backup, make_backup
from .messages import MSG_DAMAGED, MSG_NOT_A_REPORT, damage_message, sqlite_reason
from .lock import ReportLock
from ..model import (
    Comment,
    Department,
    Entry,
    Item,
    Node,
    Report,
    Section,
)
from . import schema

if TYPE_CHECKING:
    from ..templates import Template

SQLITE_MAGIC = b"SQLite format 3\x00"
REPORT_SUFFIX = ".awr"

# kind → (table, parent column)
TABLES: dict[str, tuple[str, str]] = {
    "department": ("department", "report_id"),
    "section": ("section", "department_id"),
    "item": ("item", "section_id"),
    "entry": ("entry", "item_id"),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "report": Report.FIELDS,
    "department": Department.FIELDS,
    "section": Section.FIELDS,
    "item": Item.FIELDS,
    "entry": Entry.FIELDS,
}


def _connect(path: Path, *, read_only: bool = False) -> Database:
    # isolation_level=None: no implicit BEGIN from Python's sqlite3 — every
    # transaction is an explicit BEGIN … COMMIT from Repository.transaction
    # (sqlite-utils' atomic), so nothing is ever left pending in memory.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    if read_only:
        # Not "mode=ro": a read-only handle cannot roll back the hot journal a
        # crashed writer left, and would refuse the file.  A normal handle
        # recovers it (SQLite does that on first read) and query_only stops
        # every write of ours.
        conn.execute("PRAGMA query_only = 1")
    # A second program writing the same file (read-only viewers reading it)
    # waits up to 5 s for SQLite's lock instead of failing at once.
    conn.execute("PRAGMA busy_timeout = 5000")
    db = Database(conn, execute_plugins=False)
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
    return db


# How a damaged file shows itself: SQLite's errors, or overwritten text that is
# no longer UTF-8 (Python's sqlite3 raises UnicodeDecodeError while reading it).
_DAMAGE = (sqlite3.Error, UnicodeDecodeError)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


class Repository:
    """An open report file."""

    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self.lock: ReportLock | None = None
        self.read_only = False
        self.identity = _identity(path)

    # --- opening and creating ---------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False,
             holder: tuple[str, str] | None = None) -> "Repository":
        """Open an existing report file, migrating an older one (after a backup).

        For editing (the default) the report's lock is taken first, so a
        second program gets :class:`~app.storage.lock.ReportLocked`;
        ``read_only`` needs no lock and refuses every change.  Raises
        :class:`ReportError` (missing file), :class:`NotAReportError` (not
        SQLite, a foreign SQLite file, a damaged file) or
        :class:`NewerVersionError`.  Never creates a file.
        """
        path = Path(path)
        check_report_file(path)
        lock = None if read_only else ReportLock(path, holder).acquire()
        try:
            try:
                db = _connect(path, read_only=read_only)
            except _DAMAGE as exc:
                raise NotAReportError(damage_message(exc), path) from exc
            try:
                _verify(db, path)
                pending = schema.migrations.pending(db)
                if pending and read_only:
                    raise ReportError("此檔案由舊版程式建立，需先以編輯方式開啟一次以升級格式", path)
                if pending:
                    if schema.migrations.applied(db):
                        make_backup(db.conn, path, "migrate")
                    schema.migrations.apply(db)
                    with db.atomic():
                        _set_meta(db, "app_version", __version__)
            except ReportError:
                db.close()
                raise
            except _DAMAGE as exc:
                db.close()
                raise NotAReportError(damage_message(exc), path) from exc
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        repo = cls(db, path)
        repo.lock = lock
        repo.read_only = read_only
        repo.identity = _identity(path)
        return repo

    @classmethod
    def create(cls, path: str | os.PathLike[str], report: Report, *, overwrite: bool = False,
               history: list[dict] | None = None, holder: tuple[str, str] | None = None) -> "Repository":
        """Write ``report`` as a new report file, all or nothing.

        The file is built under a temporary name in the target folder and
        renamed into place only when complete, so an interruption leaves no
        half-made report under ``path``.  An existing file is refused unless
        ``overwrite`` (a report is never replaced by accident).
        """
        path = Path(path)
        if path.exists() and not overwrite:
            raise ReportError("檔案已存在，不會覆寫既有的報告檔", path)
        try:
            with atomic_output(path) as tmp:
                db = _connect(tmp)
                try:
                    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
                    schema.migrations.apply(db)
                    with db.atomic():
                        _set_meta(db, "app_version", __version__)
                        _set_meta(db, "created_by", __version__)
                        _write_report(db, report)
                        _write_template(db, report)
                        if history:
                            Repository(db, path).add_history(history)
                finally:
                    db.close()
        except sqlite3.Error as exc:
            raise ReportError(f"無法建立報告檔：{sqlite_reason(exc)}", path) from exc
        return cls.open(path, holder=holder)

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def backup(self, reason: str = "auto") -> Backup:
        """A checked snapshot of the report in the user's backup folder (see backup.py)."""
        return make_backup(self.db.conn, self.path, reason)

    def save_copy(self, target: str | os.PathLike[str]) -> None:
        """A consistent copy through SQLite's online backup API, checked, then renamed into place."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise ReportError("副本不能與原檔相同", target)
        with atomic_output(target) as tmp:
            destination = sqlite3.connect(str(tmp))
            try:
                self.db.conn.backup(destination)
                check = destination.execute("PRAGMA integrity_check").fetchone()[0]
                if check != "ok":
                    raise ReportError("副本檢查未通過（寫入的內容不完整），未保留這份副本", target)
            except sqlite3.Error as exc:
                raise ReportError(_sqlite_message(exc), target) from exc
            finally:
                destination.close()

    # --- transactions -----------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: BEGIN … COMMIT, or ROLLBACK on any error."""
        if self.read_only:
            raise ReportError("報告以唯讀方式開啟，無法修改", self.path)
        if _identity(self.path) != self.identity:
            # Deleted or replaced underneath: SQLite would keep writing into
            # the orphaned file and the edit would be lost.
            raise ReportError("報告檔已被移動、刪除或取代，這次修改沒有存入；請用「另存副本」保存目前的內容", self.path)
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as exc:
            raise ReportError(_sqlite_message(exc), self.path) from exc

    # --- reading ----------------------------------------------------------------

    def load(self) -> Report:
        """The whole report as a tree, in order; NotAReportError if its rows cannot be read."""
        try:
            return self._load()
        except _DAMAGE as exc:
            raise NotAReportError(damage_message(exc), self.path) from exc

    def _load(self) -> Report:
        conn = self.db.conn
        row = conn.execute(
            "SELECT id, office, roc_year, published_roc_year, published_month,"
            " numbering_style, predecessor_id FROM report"
        ).fetchone()
        if row is None:
            raise NotAReportError("檔案中沒有報告資料", self.path)
        report = Report(
            id=row[0], office=row[1], roc_year=row[2], published_roc_year=row[3],
            published_month=row[4], numbering_style=row[5], predecessor_id=row[6],
        )
        departments: dict[str, Department] = {}
        for dep_id, name in conn.execute(
            "SELECT id, name FROM department WHERE report_id = ? ORDER BY position", (report.id,)
        ):
            department = Department(id=dep_id, name=name)
            departments[dep_id] = department
            report.departments.append(department)
        sections: dict[str, Section] = {}
        for sec_id, dep_id, title in conn.execute(
            "SELECT id, department_id, title FROM section ORDER BY department_id, position"
        ):
            section = Section(id=sec_id, title=title)
            sections[sec_id] = section
            departments[dep_id].sections.append(section)
        items: dict[str, Item] = {}
        for item_id, sec_id, title, numbered, predecessor, status in conn.execute(
            "SELECT id, section_id, title, numbered, predecessor_id, status FROM item ORDER BY section_id, position"
        ):
            item = Item(id=item_id, title=title, numbered=bool(numbered), predecessor_id=predecessor, status=status)
            items[item_id] = item
            sections[sec_id].items.append(item)
        template = conn.execute("SELECT body FROM template WHERE report_id = ?", (report.id,)).fetchone()
        if template is not None:
            report.template = _template_from_file(template[0], self.path)
        columns = {column.key: column for column in report.template.value_columns}
        for entry_id, item_id, level, text, completion, remark, extra in conn.execute(
            "SELECT id, item_id, level, text, completion, remark, extra FROM entry ORDER BY item_id, position"
        ):
            items[item_id].entries.append(
                Entry(id=entry_id, level=level, text=text, completion=completion, remark=remark,
                      values=_values_from_file(extra, columns, self.path))
            )
        for item_id, level, text, completion, remark, extra in conn.execute(
            "SELECT item_id, level, text, completion, remark, extra FROM previous_entry ORDER BY item_id, position"
        ):
            report.previous_entries.setdefault(item_id, []).append(
                Entry(level=level, text=text, completion=completion, remark=remark,
                      values=_values_from_file(extra, columns, self.path))
            )
        package = self.meta("package")
        report.package = json.loads(package) if package else None
        for comment_id, node_id, author, role, at, text in conn.execute(
            "SELECT id, node_id, author, role, at, text FROM comment ORDER BY at, rowid"
        ):
            report.comments.append(Comment(id=comment_id, node_id=node_id, author=author, role=role, at=at, text=text))
        for key, who, role, at, rule, text in conn.execute(
            "SELECT key, who, role, at, rule, text FROM proofread_ignore ORDER BY rowid"
        ):
            report.proofread_ignored[key] = {"who": who, "role": role, "at": at, "rule": rule, "text": text}
        report.proofread_words.extend(
            word for (word,) in conn.execute("SELECT word FROM proofread_word ORDER BY position, rowid"))
        return report

    # --- review, comments, history (call inside transaction()) -----------------

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            _set_meta(self.db, key, value)

    def add_comment(self, comment: Comment) -> None:
        self.db.execute(
            "INSERT INTO comment (id, node_id, author, role, at, text) VALUES (?, ?, ?, ?, ?, ?)",
            [comment.id, comment.node_id, comment.author, comment.role, comment.at, comment.text],
        )

    def delete_comment(self, comment_id: str) -> None:
        self.db.execute("DELETE FROM comment WHERE id = ?", [comment_id])

    def set_proofread_ignore(self, key: str, record: dict | None) -> None:
        """Store (or forget, with None) that the finding ``key`` is ignored (app/proofread.py)."""
        self.db.execute("DELETE FROM proofread_ignore WHERE key = ?", [key])
        if record is not None:
            _insert_ignore(self.db, key, record)

    def set_proofread_words(self, words: Iterable[str]) -> None:
        """Replace the report's 校對 word list (in order)."""
        self.db.execute("DELETE FROM proofread_word")
        self.db.conn.executemany("INSERT INTO proofread_word (word, position) VALUES (?, ?)",
                                 [(word, n) for n, word in enumerate(words)])

    def approval(self, item_id: str) -> dict | None:
        row = self.db.conn.execute("SELECT at, by, snapshot FROM approval WHERE item_id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        snapshot = _approval_snapshot(row[2])
        # A damaged snapshot (a file edited elsewhere) is as good as none: the 目 stays 核定 by its
        # status, only the marks of what changed since cannot be shown — never a crash.
        return {"at": row[0], "by": row[1], "snapshot": snapshot} if snapshot is not None else None

    def set_approval(self, item_id: str, approval: dict | None) -> None:
        self.db.execute("DELETE FROM approval WHERE item_id = ?", [item_id])
        if approval is not None:
            self.db.execute(
                "INSERT INTO approval (item_id, at, by, snapshot) VALUES (?, ?, ?, ?)",
                [item_id, approval["at"], approval["by"], json.dumps(approval["snapshot"], ensure_ascii=False)],
            )

    def add_history(self, rows: Iterable[dict]) -> None:
        self.db.conn.executemany(
            "INSERT INTO history (id, at, who, role, action, kind, node_id, item_id, department_id, field, before, after)"
            " VALUES (:id, :at, :who, :role, :action, :kind, :node_id, :item_id, :department_id, :field, :before, :after)",
            list(rows),
        )

    def delete_history(self, ids: Iterable[str]) -> None:
        self.db.conn.executemany("DELETE FROM history WHERE id = ?", [(i,) for i in ids])

    def history(self, *, node_ids: Iterable[str] = (), item_id: str | None = None, department_id: str | None = None,
                since: str | None = None) -> list[dict]:
        """History rows, oldest first: of some nodes, of a 目 (itself and its entries), or a department."""
        clauses, params = [], []
        ids = list(node_ids)
        if ids:
            clauses.append(f"node_id IN ({', '.join('?' for _ in ids)})")
            params += ids
        if item_id:
            clauses.append("item_id = ?")
            params.append(item_id)
        if department_id:
            clauses.append("department_id = ?")
            params.append(department_id)
        where = " OR ".join(clauses) if clauses else "1"
        if since:
            where = f"({where}) AND at >= ?"
            params.append(since)
        cursor = self.db.conn.execute(
            "SELECT id, at, who, role, action, kind, node_id, item_id, department_id, field, before, after"
            f" FROM history WHERE {where} ORDER BY at, rowid", params,
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def meta(self, key: str) -> str | None:
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- changing (call inside transaction()) -------------------------------------

    def insert_subtree(self, parent_id: str, node: Node, position: int) -> None:
        _insert_node(self.db, parent_id, node, position)

    def delete_node(self, kind: str, node_id: str) -> None:
        table, _ = TABLES[kind]
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [node_id])

    def set_parent(self, kind: str, node_id: str, parent_id: str) -> None:
        table, parent_column = TABLES[kind]
        self.db.execute(f"UPDATE {table} SET {parent_column} = ? WHERE id = ?", [parent_id, node_id])

    def set_positions(self, kind: str, ids_in_order: Iterable[str]) -> None:
        table, _ = TABLES[kind]
        self.db.conn.executemany(
            f"UPDATE {table} SET position = ? WHERE id = ?",
            [(position, node_id) for position, node_id in enumerate(ids_in_order)],
        )

    def set_entry_values(self, entry_id: str, values: dict[str, Any]) -> None:
        """Write an entry's template column values (Entry.values) whole."""
        cursor = self.db.execute("UPDATE entry SET extra = ? WHERE id = ?", [_values_json(values), entry_id])
        if cursor.rowcount != 1:
            raise ReportError("要修改的資料已不存在", self.path)

    def set_template(self, report_id: str, template: "Template") -> None:
        """Replace the report's template row (migration 0006) with ``template``'s ``.awt`` JSON."""
        from ..templates import default_dumps, default_template

        body = default_dumps() if template is default_template() else template.dumps()
        cursor = self.db.execute("UPDATE template SET name = ?, body = ? WHERE report_id = ?",
                                 [template.name, body, report_id])
        if cursor.rowcount != 1:
            self.db.execute("INSERT INTO template (report_id, name, body) VALUES (?, ?, ?)",
                            [report_id, template.name, body])

    def set_field(self, kind: str, node_id: str, field: str, value: Any) -> None:
        if field not in COLUMNS[kind]:
            raise ValueError(f"{kind} has no field {field}")
        table = "report" if kind == "report" else TABLES[kind][0]
        if isinstance(value, bool):
            value = int(value)
        cursor = self.db.execute(f"UPDATE {table} SET {field} = ? WHERE id = ?", [value, node_id])
        if cursor.rowcount != 1:
            raise ReportError("要修改的資料已不存在", self.path)


# --- helpers -------------------------------------------------------------------


def check_report_file(path: Path) -> None:
    """Refuse, before SQLite sees it, a path that cannot be a report file."""
    if not path.exists():
        raise ReportError("找不到檔案", path)
    if path.is_dir():
        raise ReportError("這是資料夾，不是報告檔", path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ReportError(f"無法讀取檔案（{os_reason(exc)}）", path) from exc
    if not head:
        raise NotAReportError("檔案是空的（0 位元組），不是報告檔；可能是複製或存檔時中斷了", path)
    if head != SQLITE_MAGIC:
        raise NotAReportError(MSG_NOT_A_REPORT, path)


def _verify(db: Database, path: Path) -> None:
    conn = db.conn
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id != schema.APPLICATION_ID:
        raise NotAReportError("這是其他程式的資料庫檔案，不是本程式的報告檔", path)
    check = conn.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise NotAReportError(f"{MSG_DAMAGED}（完整性檢查未通過）", path)
    applied = {m.name for m in schema.migrations.applied(db)}
    unknown = applied - set(schema.known_migrations())
    if unknown:
        written_by = _get_meta(db, "app_version") or "較新版本"
        raise NewerVersionError(
            f"此檔案由較新版本的程式（{written_by}）寫入，本程式版本 {__version__} 無法開啟，請更新程式",
            path,
        )


def _get_meta(db: Database, key: str) -> str | None:
    try:
        row = db.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def _write_report(db: Database, report: Report) -> None:
    db.execute(
        "INSERT INTO report (id, office, roc_year, published_roc_year, published_month,"
        " numbering_style, predecessor_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [report.id, report.office, report.roc_year, report.published_roc_year,
         report.published_month, report.numbering_style, report.predecessor_id],
    )
    for position, department in enumerate(report.departments):
        _insert_node(db, report.id, department, position)
    db.conn.executemany(
        "INSERT INTO previous_entry (item_id, position, level, text, completion, remark, extra)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (item_id, position, e.level, e.text, e.completion, e.remark, _values_json(e.values))
            for item_id, entries in report.previous_entries.items()
            for position, e in enumerate(entries)
        ],
    )
    db.conn.executemany(
        "INSERT INTO comment (id, node_id, author, role, at, text) VALUES (?, ?, ?, ?, ?, ?)",
        [(c.id, c.node_id, c.author, c.role, c.at, c.text) for c in report.comments],
    )
    if report.package is not None:
        _set_meta(db, "package", json.dumps(report.package, ensure_ascii=False))
    # 校對 (migration 0005); nothing is written when there is nothing (a file of an
    # older schema, as tests build them, then has no need of the tables)
    for key, record in report.proofread_ignored.items():
        _insert_ignore(db, key, record)
    if report.proofread_words:
        db.conn.executemany("INSERT OR IGNORE INTO proofread_word (word, position) VALUES (?, ?)",
                            [(word, n) for n, word in enumerate(report.proofread_words)])


def _insert_ignore(db: Database, key: str, record: dict) -> None:
    db.execute(
        "INSERT INTO proofread_ignore (key, who, role, at, rule, text) VALUES (?, ?, ?, ?, ?, ?)",
        [key, *(str(record.get(name) or "") for name in ("who", "role", "at", "rule", "text"))],
    )


def _write_template(db: Database, report: Report) -> None:
    """The report's template row (migration 0006); apart from _write_report, which writes
    what every schema version since 0004 holds."""
    from ..templates import default_dumps, default_template

    template = report.template
    body = default_dumps() if template is default_template() else template.dumps()
    db.execute("INSERT INTO template (report_id, name, body) VALUES (?, ?, ?)", [report.id, template.name, body])


def _template_from_file(body: str, path: Path) -> "Template":
    from ..templates import default_dumps, default_template, loads

    if body == default_dumps():  # the usual case, without parsing and validating it again
        return default_template()
    try:
        return loads(body)
    except ReportError as exc:
        raise NotAReportError(f"報告檔中的範本無法讀取（{exc}）", path) from exc


_SNAPSHOT_ENTRY_KEYS = {"id": str, "level": int, "text": str, "remark": str}


def _approval_snapshot(text: Any) -> dict | None:
    """An approval's stored snapshot (app/review.py ``snapshot``) if it has the shape 核定 wrote, else None."""
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    for entry in data["entries"]:
        if not isinstance(entry, dict) or "completion" not in entry \
                or not all(isinstance(entry.get(key), kind) for key, kind in _SNAPSHOT_ENTRY_KEYS.items()):
            return None
        if "values" in entry and not isinstance(entry["values"], dict):
            return None
    return data


def _values_json(values: dict[str, Any]) -> str:
    from ..templates import json_value

    return json.dumps({key: json_value(value) for key, value in sorted(values.items())}, ensure_ascii=False)


def _values_from_file(text: str, columns: dict, path: Path) -> dict[str, Any]:
    """An entry's ``extra`` JSON as Entry.values: each value checked against the report's template
    (a value of a column the template no longer has is kept as it is, so nothing is lost)."""
    from ..templates import ValueProblem, kept_value

    if text in ("", "{}"):
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        raise NotAReportError("報告檔中有一筆資料的欄位值無法讀取", path) from None
    if not isinstance(data, dict):
        raise NotAReportError("報告檔中有一筆資料的欄位值無法讀取", path)
    values: dict[str, Any] = {}
    for key, value in data.items():
        column = columns.get(key)
        try:
            values[key] = kept_value(column, value) if column is not None else value
        except ValueProblem as problem:
            raise NotAReportError(f"報告檔中的欄位值不正確（{problem}）", path) from None
        if values[key] is None:
            del values[key]
    return values


def _insert_node(db: Database, parent_id: str, node: Node, position: int) -> None:
    """Insert ``node`` and its whole subtree (bulk, one executemany per table)."""
    rows: dict[str, list[tuple]] = {kind: [] for kind in TABLES}

    def collect(current: Node, parent: str, pos: int) -> None:
        values = tuple(int(v) if isinstance(v, bool) else v for v in (getattr(current, f) for f in current.FIELDS))
        if isinstance(current, Entry):
            values += (_values_json(current.values),)
        rows[current.kind].append((current.id, parent, pos, *values))
        for child_pos, child in enumerate(current.children):
            collect(child, current.id, child_pos)

    collect(node, parent_id, position)
    for kind in ("department", "section", "item", "entry"):
        if not rows[kind]:
            continue
        table, parent_column = TABLES[kind]
        columns = ("id", parent_column, "position", *COLUMNS[kind], *(("extra",) if kind == "entry" else ()))
        placeholders = ", ".join("?" for _ in columns)
        db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows[kind]
        )


def _sqlite_message(exc: sqlite3.Error) -> str:
    reason = sqlite_reason(exc)
    if reason == "資料庫錯誤":
        reason = "無法寫入報告檔"
    safe = "" if reason in ("報告檔正由其他程式使用中", "資料不符合規則", "無法寫入報告檔") else "，已存的資料不受影響"
    return f"{reason}，這次修改沒有存入{safe}"


__all__ = ["Repository", "REPORT_SUFFIX", "check_report_file"]
