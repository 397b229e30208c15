"""The command line: every verb of issue 2 in a real subprocess, exit codes and messages."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import PROJECT_ROOT


def run(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_version(tmp_path):
    from app import __version__

    out = run("--version", cwd=tmp_path)
    assert out.returncode == 0 and __version__ in out.stdout


def test_sample_then_json_export_gives_the_whole_report(tmp_path):
    assert run("sample", "s.awr", cwd=tmp_path).returncode == 0
    out = run("export", "s.awr", "-f", "json", "-o", "s.json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in data["departments"]] == ["民政部門", "社建部門", "兵役部門", "會計部門", "人事部門", "政風部門", "行政部門"]
    entries = [e for d in data["departments"] for s in d["sections"] for i in s["items"] for e in i["entries"]]
    assert len(entries) == 377
    assert all(e["completion"] is None or type(e["completion"]) is int for e in entries)


def test_json_import_export_keeps_departments_and_ids(tmp_path):
    run("sample", "s.awr", cwd=tmp_path)
    run("export", "s.awr", "-f", "json", "-o", "a.json", cwd=tmp_path)
    out = run("import", "a.json", "-o", "b.awr", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    run("export", "b.awr", "-f", "json", "-o", "b.json", cwd=tmp_path)
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert a["departments"] == b["departments"] and a["id"] == b["id"]


def test_department_option(tmp_path):
    run("sample", "s.awr", cwd=tmp_path)
    out = run("export", "s.awr", "-f", "json", "-o", "d.json", "--department", "兵役部門", cwd=tmp_path)
    assert out.returncode == 0
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in data["departments"]] == ["兵役部門"]
    out = run("export", "s.awr", "-f", "json", "-o", "x.json", "--department", "不存在部門", cwd=tmp_path)
    assert out.returncode == 2 and "不存在部門" in out.stderr and not (tmp_path / "x.json").exists()


def test_check_reports_problems_and_exit_status(tmp_path):
    run("sample", "s.awr", cwd=tmp_path)
    out = run("check", "s.awr", cwd=tmp_path)
    assert out.returncode == 0 and "0 個錯誤" in out.stdout
    bad = {"format": "workreport", "version": 1, "office": "x", "roc_year": 110, "departments": [
        {"name": "d", "sections": [{"title": "s", "items": [
            {"title": "i", "entries": [{"text": " ", "completion": 80}]},
            {"title": "empty", "entries": []}]}]}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    run("import", "bad.json", "-o", "bad.awr", cwd=tmp_path)
    out = run("check", "bad.awr", cwd=tmp_path)
    assert out.returncode == 1
    assert "辦理情形空白" in out.stdout and "未達 100%" in out.stdout and "沒有任何辦理情形" in out.stdout


BAD_INPUTS = {
    "broken.json": b'{"format": "workreport", ',
    "types.json": json.dumps({"format": "workreport", "version": 1, "office": 1, "roc_year": 109, "departments": []}).encode(),
    "version.json": json.dumps({"format": "workreport", "version": 7, "office": "x", "roc_year": 109, "departments": []}).encode(),
    "random.json": os.urandom(300),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_json_import_exit_2_message_and_nothing_left(tmp_path, name):
    (tmp_path / name).write_bytes(BAD_INPUTS[name])
    out = run("import", name, "-o", "out.awr", cwd=tmp_path)
    assert out.returncode == 2
    assert name in out.stderr and "Traceback" not in out.stderr and out.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("content", [None, b"not a database at all", b""])
def test_missing_or_damaged_report_file(tmp_path, content):
    if content is not None:
        (tmp_path / "r.awr").write_bytes(content)
    out = run("export", "r.awr", "-f", "json", "-o", "o.json", cwd=tmp_path)
    assert out.returncode == 2 and "r.awr" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "o.json").exists()


def test_usage_errors_are_chinese_and_exit_2(tmp_path):
    out = run("export", "x.awr", cwd=tmp_path)
    assert out.returncode == 2 and "命令列參數錯誤" in out.stderr


def test_sample_refuses_to_overwrite(tmp_path):
    (tmp_path / "s.awr").write_bytes(b"keep me")
    out = run("sample", "s.awr", cwd=tmp_path)
    assert out.returncode == 2 and "已存在" in out.stderr
    assert (tmp_path / "s.awr").read_bytes() == b"keep me"


@pytest.mark.parametrize("word", ["template", "chek", "沒有這個檔.awr"])  # "templates" is a command now
def test_a_word_that_is_neither_a_command_nor_a_file_is_refused_on_the_command_line(tmp_path, word):
    out = run(word, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and f"「{word}」不是子命令，也不是存在的檔案" in lines[0] and "check" in lines[0]
