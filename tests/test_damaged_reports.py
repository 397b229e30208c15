"""A damaged or foreign file opened as a report: one zh-TW line naming the file, never SQLite's English.

The same files through the CLI (``python -m app check``, a subprocess) and through the
window's 開啟 action with the file dialog answered.
"""
from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.document import ReportDocument
from app.sample import sample_report

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KINDS = ("truncated", "random", "empty", "foreign", "flipped", "magic-only")
EXPECTED = {
    "truncated": "檔案已損壞或不是報告檔",
    "random": "不是本程式的報告檔",
    "empty": "檔案是空的",
    "foreign": "其他程式的資料庫檔案",
    "flipped": "檔案已損壞或不是報告檔",
    "magic-only": "檔案已損壞或不是報告檔",
}


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "good.awr"
    ReportDocument.create(path, sample_report()).close()
    return path.read_bytes()


def damaged(kind: str, good: bytes, folder: Path) -> Path:
    path = folder / f"{kind}.awr"
    if kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "random":
        path.write_bytes(random.Random(1).randbytes(64 * 1024))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    elif kind == "flipped":  # bytes overwritten here and there (a bad USB stick): the schema is unreadable
        data = bytearray(good)
        rng = random.Random(1)
        for _ in range(200):
            data[rng.randrange(100, len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    elif kind == "magic-only":
        path.write_bytes(b"SQLite format 3\x00" + random.Random(2).randbytes(5000))
    return path


def assert_one_chinese_line(message: str, named: str, expected: str) -> None:
    """One line that names the file (the CLI its path, the window its name) and the problem."""
    assert len(message.strip().splitlines()) == 1, message
    assert message.startswith(f"{named}：") and expected in message, message
    rest = message.replace(named, "").replace(".awr", "")
    assert not re.search(r"[A-Za-z]{2,}", rest), f"English in {message!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_cli_names_the_file_and_the_problem_in_chinese(kind, good_bytes, tmp_path):
    path = damaged(kind, good_bytes, tmp_path)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    env.pop("WORKREPORT_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "app", "check", str(path)], capture_output=True, text=True,
                          encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("錯誤：")
    assert_one_chinese_line(proc.stderr.removeprefix("錯誤："), str(path), EXPECTED[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_the_open_action_says_it_in_chinese(kind, good_bytes, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gui_helpers import open_window

    good = tmp_path / "good.awr"
    good.write_bytes(good_bytes)
    window = open_window(qtbot, good)
    path = damaged(kind, good_bytes, tmp_path)
    shown, asked = [], []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    window.act_open.trigger()
    assert not asked  # no backups of these files: nothing to offer
    assert len(shown) == 1 and shown[0][0] == "無法開啟報告檔"
    assert_one_chinese_line(shown[0][1], path.name, EXPECTED[kind])
    assert window.document.path == good  # the open report stays open


def test_a_damaged_approval_or_history_row_does_not_break_the_report(tmp_path, qapp):
    """Rows edited outside the program (an approval's snapshot, a history value that is not JSON):
    the report opens, the 目 stays 核定, no change marks are made up, and the history panel shows
    the stored text instead of failing."""
    import sqlite3

    from app.document import Person
    from app.review import ReviewAction, changes_since_approval
    from app.sample import sample_report
    from ui.panels.review import HistoryModel

    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, sample_report(), person=Person("李課長", "chief"))
    item = doc.report.departments[0].sections[0].items[0]
    doc.apply(ReviewAction(item.id, "approve"))
    doc.close()
    conn = sqlite3.connect(path)
    for snapshot in ("{not json", '{"entries": [{"id": 5}]}', '"a string"'):
        conn.execute("UPDATE approval SET snapshot = ?", [snapshot])
        conn.commit()
        again = ReportDocument.open(path, read_only=True)
        assert again.report.departments[0].sections[0].items[0].status == "approved"
        assert changes_since_approval(again, item.id) is None
        again.close()
    conn.execute("UPDATE history SET before = '{broken', after = 'also broken'")
    conn.commit()
    conn.close()
    again = ReportDocument.open(path, read_only=True)
    model = HistoryModel()
    model.set_rows([], again.history_of(item.id), again.report.template)
    assert any(row[5] == "also broken" for row in model.rows)
    again.close()
