"""tools/screenshot.py makes the README's pictures: each shot runs and writes a picture of the window."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import PROJECT_ROOT


def test_the_shots_run_and_write_window_sized_pictures(tmp_path):
    from PySide6.QtGui import QImage

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run([sys.executable, "tools/screenshot.py", "main", "drag-move", "history", "--out", str(tmp_path)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in ("main-window.png", "drag-move.png", "review-panel.png"):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (1400, 860), name
    wrong = subprocess.run([sys.executable, "tools/screenshot.py", "mian"], cwd=PROJECT_ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2 and "unknown shot mian" in wrong.stderr



def test_the_templates_shot_writes_a_window_of_each_built_in_template(tmp_path):
    from PySide6.QtGui import QImage

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run([sys.executable, "tools/screenshot.py", "templates", "--out", str(tmp_path)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in ("budget", "kpi", "narrative"):
        image = QImage(str(tmp_path / f"template-{name}-window.png"))
        assert (image.width(), image.height()) == (1400, 860), name
