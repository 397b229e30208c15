"""The program ends cleanly: exit code 0 after the window closes, whatever the clipboard holds."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import PROJECT_ROOT


def test_the_program_ends_cleanly_after_a_cut(tmp_path):
    """A cut (or copy) leaves a QMimeData made in Python on the clipboard; PySide6 freed it twice as
    the program ended — a segfault after the window closed.  ui/application.py release_clipboard."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from ui.application import make_application\n"
        "from ui.main_window import MainWindow\n"
        "app = make_application()\n"
        f"window = MainWindow({str(tmp_path / 'r.awr')!r})\n"
        "window.show()\n"
        "def cut():\n"
        "    item = window.document.report.departments[0].sections[0].items[0]\n"
        "    window.go_to(item.entries[0].id)\n"
        "    window.table.setFocus()\n"
        "    window.act_cut.trigger()\n"
        "    assert app.clipboard().mimeData().formats(), 'nothing cut'\n"
        "    window.close()\n"
        "    app.quit()\n"
        "QTimer.singleShot(100, cut)\n"
        "sys.exit(app.exec())\n"
    )
    from app.document import ReportDocument
    from app.sample import sample_report

    ReportDocument.create(tmp_path / "r.awr", sample_report()).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
