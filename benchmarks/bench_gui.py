"""GUI responsiveness at scale: show a department, commit one edit (offscreen).

    python benchmarks/bench_gui.py [factor ...]      (default: 1 20)

"Show a department" = the table model reset + spans + row heights for one
department; "edit" = setData on a cell → undo command → engine operation →
one SQLite transaction committed → the table refreshed.  Medians of 7 runs.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-bench-")

from common import machine, median_time, print_table, scaled_report  # noqa: E402

from app.document import ReportDocument  # noqa: E402


def main(factors: list[int]) -> None:
    from ui.application import make_application
    from ui.main_window import MainWindow

    app = make_application()
    rows = []
    for factor in factors:
        folder = Path(tempfile.mkdtemp())
        report = scaled_report(factor)
        path = folder / "r.awr"
        ReportDocument.create(path, report).close()
        start = time.perf_counter()
        window = MainWindow(path)
        window.show()
        app.processEvents()
        open_s = time.perf_counter() - start
        departments = window.document.report.departments
        middle = departments[len(departments) // 2].id
        other = departments[0].id
        flip = [middle, other]

        def show():
            window.show_department(flip[0])
            flip.reverse()

        show_s = median_time(show, runs=7)
        window.show_department(middle)
        counter = [0]

        def edit():
            counter[0] += 1
            window.table_model.setData(window.table_model.index(0, 3), f"辦理情形 {counter[0]}")

        edit_s = median_time(edit, runs=7)
        rows.append([f"{factor}×", report.counts()["entry"], f"{open_s * 1000:.0f}", f"{show_s * 1000:.1f}", f"{edit_s * 1000:.1f}"])
        window.close()
    print(f"machine: {machine()}")
    print_table(["size", "entries", "open window (ms)", "show department (ms)", "edit committed (ms)"], rows)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 20])
