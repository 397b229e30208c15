"""Start-up: time from launching the program to its main window being shown (offscreen).

    python benchmarks/bench_startup.py [--runs N] [--freeze-bare]

Compares, side by side, medians of N runs (default 7, after one warm-up each, the
candidates interleaved so that machine noise hits all of them alike):

* **app, unfrozen** — ``python tools/frozen_main.py s.awr``: ``python -m app s.awr``'s
  code path (frozen_main only adds the smoke hook) on the bundled sample;
* **bare PySide6 window, unfrozen** — this script with ``--bare-window``: a QMainWindow
  with a QTreeView and a QTableView over small QStandardItemModels, nothing else;
* **app, frozen** — ``dist/workreport/workreport s.awr``, when tools/build_frozen.sh
  has been run;
* **bare window, frozen** — the bare window frozen by PyInstaller with default
  settings, built into build/bench_startup/ with ``--freeze-bare`` (≈1 minute).

"Shown" is the moment the program writes its smoke line on stderr from the
QMainWindow's Show event (WORKREPORT_SMOKE_EXIT, tools/frozen_main.py); the
clock starts just before the process is spawned, so the figure includes the
interpreter (or the PyInstaller bootloader), imports, opening the report and
building the window.  Figures go to docs/installer.md; nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_MARK = b"workreport-smoke:"
BARE_MARK = b"bare-smoke:"
FROZEN_APP = ROOT / "dist" / "workreport" / ("workreport.exe" if sys.platform == "win32" else "workreport")
BARE_DIR = ROOT / "build" / "bench_startup"
FROZEN_BARE = BARE_DIR / "dist" / "bare_window" / ("bare_window.exe" if sys.platform == "win32" else "bare_window")


def bare_window() -> int:
    """The baseline: the least a PySide6 program with our window's shape does before it is shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView, QTreeView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tree_model, table_model = QStandardItemModel(), QStandardItemModel(20, 6)
    for department in range(7):
        node = QStandardItem(f"部門 {department + 1}")
        node.appendRows([QStandardItem(f"項 {i + 1}") for i in range(5)])
        tree_model.appendRow(node)
    for row in range(20):
        for column in range(6):
            table_model.setItem(row, column, QStandardItem(f"辦理情形 {row}-{column}"))
    splitter = QSplitter()
    tree, table = QTreeView(), QTableView()
    tree.setModel(tree_model)
    table.setModel(table_model)
    splitter.addWidget(tree)
    splitter.addWidget(table)
    window.setCentralWidget(splitter)
    window.resize(1200, 800)

    class Watcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if obj is window and event.type() == QEvent.Type.Show:
                print(BARE_MARK.decode(), "shown", file=sys.stderr, flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = Watcher()
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


def time_to_shown(command: list[str], mark: bytes, env: dict[str, str], cwd: str) -> float:
    """Seconds from spawning ``command`` to ``mark`` on its stderr; the process is then waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env, cwd=cwd)
    shown = None
    output = []
    for line in process.stderr:  # type: ignore[union-attr]
        output.append(line)
        if line.startswith(mark):
            shown = time.perf_counter() - start
            break
    _, rest = process.communicate(timeout=120)
    if shown is None or process.returncode != 0:
        detail = b"".join(output).decode(errors="replace") + rest.decode(errors="replace")
        raise RuntimeError(f"{command[0]} exit {process.returncode}, no window shown:\n{detail[-2000:]}")
    return shown


def freeze_bare() -> None:
    """PyInstaller on this very script, default settings, onedir (as the app)."""
    BARE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "WARN",
         "--name", "bare_window", "--distpath", str(BARE_DIR / "dist"), "--workpath", str(BARE_DIR / "work"),
         "--specpath", str(BARE_DIR), str(Path(__file__).resolve())],
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="start-up time to the main window, frozen and not")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--freeze-bare", action="store_true", help="(re)build the frozen bare window first")
    parser.add_argument("--bare-window", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_window:
        return bare_window()
    if args.freeze_bare:
        freeze_bare()

    work = tempfile.mkdtemp(prefix="workreport-bench-startup-")
    sample = Path(work) / "s.awr"
    subprocess.run([sys.executable, "-m", "app", "sample", str(sample)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": work,
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "WORKREPORT_DATA_DIR": str(Path(work) / "data"),
        "WORKREPORT_SMOKE_EXIT": "1",
    }
    if sys.platform == "win32":
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "APPDATA", "LOCALAPPDATA", "TEMP", "TMP") if k in os.environ})
    # A first start asks who is working (ui/identity.py): time an ordinary start, with
    # the person already stored, as after any first start.
    (Path(work) / "data").mkdir()
    (Path(work) / "data" / "settings.ini").write_text("[user]\nname=bench\nrole=compiler\n", encoding="utf-8")
    unfrozen_env = dict(env, PYTHONPATH=str(ROOT))
    candidates = [
        ("app, unfrozen (python -m app's path)", [sys.executable, str(ROOT / "tools" / "frozen_main.py"), str(sample)],
         APP_MARK, unfrozen_env),
        ("bare PySide6 window, unfrozen", [sys.executable, str(Path(__file__).resolve()), "--bare-window"],
         BARE_MARK, unfrozen_env),
    ]
    if FROZEN_APP.exists():
        candidates.append(("app, frozen (dist/workreport)", [str(FROZEN_APP), str(sample)], APP_MARK, env))
    else:
        print(f"(no {FROZEN_APP.relative_to(ROOT)}: run tools/build_frozen.sh for the frozen figures)")
    if FROZEN_BARE.exists():
        candidates.append(("bare PySide6 window, frozen", [str(FROZEN_BARE)], BARE_MARK, env))
    else:
        print("(no frozen bare window: add --freeze-bare for it)")

    times: dict[str, list[float]] = {label: [] for label, *_ in candidates}
    for label, command, mark, run_env in candidates:  # warm-up: disk cache, font cache
        time_to_shown(command, mark, run_env, work)
    for _ in range(args.runs):
        for label, command, mark, run_env in candidates:
            times[label].append(time_to_shown(command, mark, run_env, work))

    import platform

    print(f"time to main window shown, offscreen; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()}; median of {args.runs} runs")
    width = max(len(label) for label in times)
    print(f"| {'program'.ljust(width)} | median (ms) | min (ms) | max (ms) |")
    print(f"|{'-' * (width + 2)}|-------------|----------|----------|")
    for label, values in times.items():
        ms = [v * 1000 for v in values]
        print(f"| {label.ljust(width)} | {statistics.median(ms):11.0f} | {min(ms):8.0f} | {max(ms):8.0f} |")
    return 0


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the frozen bare window built by --freeze-bare
        sys.exit(bare_window())
    sys.exit(main())
