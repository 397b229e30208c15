"""The benchmarks keep running: benchmarks/run_all.py at 1×, one quick run.

No timing is asserted (the machine may be shared and slow); only that the
script exits 0 and prints its table with every export and import format.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
from app.exporters import available_formats
from app.importers import SUFFIXES

ROOT = Path(__file__).resolve().parent.parent


def test_run_all_quick_at_1x(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKREPORT_DATA_DIR=str(tmp_path / "data"))
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--sizes", "1", "--runs", "1", "--quick",
         "--json", str(tmp_path / "figures.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    out = completed.stdout
    assert "| measure" in out and "ours (ms)" in out and "floor (ms)" in out
    assert "### 1×" in out
    for name in ("create", "open", "show department", "edit committed", "search", "check", "peak memory"):
        assert name in out, name
    formats = available_formats()
    assert {"docx", "pdf", "xlsx", "odt", "ods", "csv", "json"} <= set(formats)
    for fmt in formats:
        assert f"| export {fmt} " in out, fmt
    for suffix in SUFFIXES:
        assert f"| import {suffix.lstrip('.')} " in out, suffix
    assert (tmp_path / "figures.json").exists()
