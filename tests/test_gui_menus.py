"""Every menu action, print preview, 彙整工作包 and export-then-Esc — each window session in its own Python.

The sessions are in tests/menu_walk.py (read its docstring).  Each runs here in
a subprocess: a crash of the window (a segfault such as the print-preview one,
or Qt's abort) fails that one test with the action that was being triggered
and the stack faulthandler printed, and a hang is stopped by the session's
watchdog (and, failing that, by the timeout below) instead of stalling the run.
"""
from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SESSIONS = HERE / "menu_walk.py"
TIMEOUT = 420  # seconds; the session's own watchdog (menu_walk.WATCHDOG_SECONDS) fires first

CASES = [
    "test_walk[cancel]",
    "test_walk[accept]",
    "test_walk_template[budget_report]",
    "test_walk_template[kpi_report]",
    "test_walk_template[narrative_report]",
    "test_print_preview_pages_through_twice",
    "test_merge_package_from_the_menu",
    "test_export_closed_while_exporting",
]


def run_session(name: str, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    command = [sys.executable, "-X", "faulthandler", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
               "-o", "addopts=", "--basetemp", str(tmp_path / "session"), f"{SESSIONS}::{name}"]
    try:
        done = subprocess.run(command, cwd=HERE.parent, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{name}: no answer after {TIMEOUT} s (a dialog nobody closes?)\n{_tail(exc.stderr)}")
    output = done.stdout + done.stderr
    if done.returncode < 0 or done.returncode in (128 + signal.SIGSEGV, 128 + signal.SIGABRT):
        code = -done.returncode if done.returncode < 0 else done.returncode - 128
        last = [line for line in output.splitlines() if line.startswith("trigger ")][-1:]
        pytest.fail(f"{name}: the window crashed ({signal.Signals(code).name}) {' '.join(last)}\n{_tail(output)}")
    assert done.returncode == 0, f"{name} failed:\n{_tail(output)}"
    assert "1 passed" in done.stdout, output


def _tail(text, lines: int = 80) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join((text or "").splitlines()[-lines:])


@pytest.mark.parametrize("name", CASES)
def test_window_session(name, tmp_path):
    run_session(name, tmp_path)


def test_every_session_is_run():
    """A session added to menu_walk.py is run here too."""
    tree = ast.parse(SESSIONS.read_text(encoding="utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    assert defined == {case.split("[")[0] for case in CASES}
