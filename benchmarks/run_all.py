"""All the performance figures in one command, each size in a fresh process.

    python benchmarks/run_all.py [--sizes 1,5,20,50] [--runs N] [--quick] [--json FILE]

For reports of 1×, 5×, 20× and 50× the sample (common.scaled_report: the
sample's departments repeated with new ids) each size runs in its own
subprocess, so that the peak memory (``ru_maxrss``) is that size's.  Every
figure is the median of ``--runs`` perf_counter timings after one warm-up
(the warm-up of a size ≥ 20× runs on a 1× report: it loads the modules and
caches, and spares minutes of machine time); nothing is asserted.

Measured, per size:

* **create** the report file (ReportDocument.create) — floor: plain sqlite3
  inserting the same rows in one transaction (floors.sqlite_insert);
* **open** it (ReportDocument.open, the whole report loaded and indexed) —
  floor: plain sqlite3 reading those rows back (floors.sqlite_read);
* **start-up** to the main window shown: ``tools/frozen_main.py file.awr`` (the
  path of ``python -m app``) against bench_startup.py's bare PySide6 window
  with a QTreeView and a QTableView, interleaved, both spawned as processes;
* **GUI** (offscreen, in this process): MainWindow(path) built and shown,
  MainWindow.show_department (alternating a middle and the first
  department), one edit committed (table_model.setData on a 辦理情形 cell:
  undo command → operation → SQLite transaction → table refreshed);
* **search** over the whole report (app.search.search with a string that is
  nowhere, so every title, text and remark is looked at) and **check**
  (app.validate.check);
* **export** to every format (app.exporters.export) — floors: the same cells
  written plainly by the same library (floors.py, reusing the floors of
  bench_export_docx_pdf.py and bench_export_sheets.py);
* **import** of every importable format (app.importers.read_source), each
  reading our own export of that size;
* **memory**: the process's peak RSS after the GUI part and at the end.

``--quick`` (CI): one run, no warm-up, no start-up processes.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

SEARCH_MISS = "〇不存在的字串〇"  # in no title, text or remark: the search looks at everything
GROWTH_TARGET = 25.0  # 20× within 25× of 1×
FRAME_MS = 16.0
STARTUP_TARGET = 2.0
EXPORT_FLOOR_TARGET = 3.0
MEMORY_TARGET_MB = 500.0
RESPONSIVE_S = 0.5


# --- the child: one size, one process -------------------------------------------------


def _timed(func, runs: int, warm=None, *, quick: bool = False) -> float:
    """Median seconds of ``runs`` calls of ``func`` after one call of ``warm`` (default: ``func``)."""
    if not quick:
        (warm or func)()
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _startup(path: Path, runs: int) -> dict[str, float] | None:
    """Spawn the program on ``path`` and the bare window alternately; medians in seconds."""
    try:
        from bench_startup import APP_MARK, BARE_MARK, time_to_shown
    except ImportError:
        return None
    work = Path(tempfile.mkdtemp(prefix="workreport-runall-startup-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "WORKREPORT_DATA_DIR": str(work / "data"),
        "WORKREPORT_SMOKE_EXIT": "1",
        "PYTHONPATH": str(ROOT),
    }
    if sys.platform == "win32":
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "APPDATA", "LOCALAPPDATA", "TEMP", "TMP") if k in os.environ})
    # A first start asks who is working (ui/identity.py) and waits for an answer:
    # the person is stored beforehand, as after any first start.
    (work / "data").mkdir()
    (work / "data" / "settings.ini").write_text("[user]\nname=bench\nrole=compiler\n", encoding="utf-8")
    app_cmd = [sys.executable, str(ROOT / "tools" / "frozen_main.py"), str(path)]
    bare_cmd = [sys.executable, str(HERE / "bench_startup.py"), "--bare-window"]
    app_times, bare_times = [], []
    time_to_shown(app_cmd, APP_MARK, env, str(work))  # warm-up: disk and font caches
    time_to_shown(bare_cmd, BARE_MARK, env, str(work))
    for _ in range(max(1, runs)):
        app_times.append(time_to_shown(app_cmd, APP_MARK, env, str(work)))
        bare_times.append(time_to_shown(bare_cmd, BARE_MARK, env, str(work)))
    shutil.rmtree(work, ignore_errors=True)
    return {"app": statistics.median(app_times), "bare": statistics.median(bare_times)}


def _gc_paused(func):
    """``func`` with the cyclic garbage collector paused (as app/exporters/odt.paused_gc does)."""
    import gc

    def paused():
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func()
        finally:
            if was_enabled:
                gc.enable()

    return paused


def measure(size: int, runs: int, quick: bool, gc_paused: bool = False, gc_freeze: bool = False) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["WORKREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="workreport-runall-data-")
    import gc

    import floors
    from common import scaled_report

    from app.document import ReportDocument
    import ui.render.pdf  # noqa: F401  (registers the PDF exporter, as the launcher does)
    from app.exporters import available_formats, export
    from app.importers import SUFFIXES, read_source
    from app.search import search
    from app.validate import check
    from ui.application import make_application
    from ui.main_window import MainWindow

    qt_app = make_application()
    folder = Path(tempfile.mkdtemp(prefix=f"workreport-runall-{size}x-"))
    small = scaled_report(1)
    small_path = folder / "small.awr"
    ReportDocument.create(small_path, small).close()
    warm_small = size >= 20  # warm up on 1× instead of repeating a minute-long call
    result: dict = {"size": size, "times": {}, "floors": {}, "memory": {}}
    times, floor_times = result["times"], result["floors"]

    def timed(name, func, small_func=None, *, floor=False):
        if gc_paused and name.startswith(("export ", "import ")):
            func, small_func = _gc_paused(func), small_func and _gc_paused(small_func)
        value = _timed(func, runs, small_func if warm_small else None, quick=quick)
        (floor_times if floor else times)[name] = value
        if not floor:
            result["memory"].setdefault("peak after", {})[name] = _peak_mb()
        print(f"  {size}× {'floor ' if floor else ''}{name}: {value * 1000:.1f} ms", file=sys.stderr, flush=True)
        return value

    report = scaled_report(size)
    result["counts"] = report.counts()
    path = folder / "r.awr"
    timed("create", lambda: ReportDocument.create(path, report, overwrite=True).close(),
          lambda: ReportDocument.create(small_path, small, overwrite=True).close())
    rows = floors.report_rows(report)
    small_rows = floors.report_rows(small)
    timed("create", lambda: floors.sqlite_insert(rows, folder / "floor.sqlite"),
          lambda: floors.sqlite_insert(small_rows, folder / "floor-small.sqlite"), floor=True)
    del report, rows
    gc.collect()
    timed("open", lambda: ReportDocument.open(path).close(), lambda: ReportDocument.open(small_path).close())
    timed("open", lambda: floors.sqlite_read(folder / "floor.sqlite"),
          lambda: floors.sqlite_read(folder / "floor-small.sqlite"), floor=True)

    if not quick:
        startup_path = folder / "startup.awr"
        shutil.copyfile(path, startup_path)
        startup = _startup(startup_path, runs)
        if startup is not None:
            times["start-up"], floor_times["start-up"] = startup["app"], startup["bare"]
            print(f"  {size}× start-up: {startup['app'] * 1000:.0f} ms, bare window {startup['bare'] * 1000:.0f} ms",
                  file=sys.stderr, flush=True)

    # GUI, offscreen, as benchmarks/bench_gui.py
    start = time.perf_counter()
    window = MainWindow(path)
    window.show()
    qt_app.processEvents()
    times["open window"] = time.perf_counter() - start
    result["memory"].setdefault("peak after", {})["open window"] = _peak_mb()
    if gc_freeze:
        gc.collect()
        gc.freeze()  # what the app could do after opening a report: the report is never walked by the GC again
    departments = window.document.report.departments
    flip = [departments[len(departments) // 2].id, departments[0].id]

    def show():
        window.show_department(flip[0])
        flip.reverse()

    timed("show department", show)
    window.show_department(departments[len(departments) // 2].id)
    counter = [0]

    def edit():
        counter[0] += 1
        window.table_model.setData(window.table_model.index(0, 3), f"辦理情形 {counter[0]}")

    timed("edit committed", edit)
    qt_app.processEvents()
    result["memory"]["after GUI"] = _peak_mb()

    report = window.document.report
    timed("search", lambda: search(report, SEARCH_MISS), lambda: search(small, SEARCH_MISS))
    timed("check", lambda: check(report), lambda: check(small))

    sheets, small_sheets = floors.cells_of(report), floors.cells_of(small)
    rows, small_rows = floors.report_rows(report), floors.report_rows(small)
    floor_of = {
        "docx": (floors.floor_docx, report, small),
        "pdf": (floors.floor_pdf, sheets, small_sheets),
        "xlsx": (floors.floor_openpyxl, sheets, small_sheets),
        "odt": (floors.floor_odfpy_text, sheets, small_sheets),
        "ods": (floors.floor_odfpy_sheet, sheets, small_sheets),
        "csv": (floors.floor_csv, sheets, small_sheets),
        "json": (floors.floor_json, rows, small_rows),
    }
    formats = available_formats()
    result["formats"] = formats
    for fmt in formats:
        target, small_target = folder / f"out.{fmt}", folder / f"small.{fmt}"
        timed(f"export {fmt}", lambda: export(report, fmt, target), lambda: export(small, fmt, small_target))
        result.setdefault("sizes_kib", {})[fmt] = target.stat().st_size // 1024
        if fmt in floor_of:
            func, data, small_data = floor_of[fmt]
            timed(f"export {fmt}", lambda: func(data, folder / f"floor.{fmt}"),
                  lambda: func(small_data, folder / f"floor-small.{fmt}"), floor=True)
    imports = [s.lstrip(".") for s in SUFFIXES if s.lstrip(".") in formats]
    result["imports"] = imports
    for fmt in imports:
        timed(f"import {fmt}", lambda: read_source(folder / f"out.{fmt}"),
              lambda: read_source(folder / f"small.{fmt}"))
    result["memory"]["end"] = _peak_mb()
    window.close()
    window.document.close() if window.document is not None else None
    shutil.rmtree(folder, ignore_errors=True)
    return result


# --- the parent: spawn, collect, print ----------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def qt_versions() -> str:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        return f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    except ImportError:
        return "PySide6 not installed"


def load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    value = seconds * 1000
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "–"


ORDER_HEAD = ["create", "open", "start-up", "open window", "show department", "edit committed", "search", "check"]


def names_in_order(result: dict) -> list[str]:
    names = [n for n in ORDER_HEAD if n in result["times"]]
    names += [f"export {f}" for f in result["formats"]]
    names += [f"import {f}" for f in result["imports"]]
    return names


def print_size(result: dict) -> None:
    from common import print_table

    counts = result["counts"]
    print(f"\n### {result['size']}× — {counts['department']} departments, {counts['section']} 項, "
          f"{counts['item']} 目, {counts['entry']} entries\n")
    rows = []
    peaks = result["memory"].get("peak after", {})
    for name in names_in_order(result):
        ours, floor = result["times"][name], result["floors"].get(name)
        peak = f"{peaks[name]:.0f}" if name in peaks else ""
        rows.append([name, ms(ours), ms(floor), ratio(ours, floor) if floor else "", peak])
    print_table(["measure", "ours (ms)", "floor (ms)", "ours / floor", "peak RSS after (MB)"], rows)
    memory = result["memory"]
    print(f"\npeak memory (ru_maxrss): {memory['after GUI']:.0f} MB after opening and editing, "
          f"{memory['end']:.0f} MB at the end (after every export and import)")


def print_summary(results: dict[int, dict]) -> list[tuple[str, bool | None, str]]:
    from common import print_table

    sizes = sorted(results)
    first = results[sizes[0]]
    print("\n### All sizes (ms; growth = 20× / 1×)\n")
    has_growth = 1 in results and 20 in results
    rows = []
    for name in names_in_order(first):
        row = [name] + [ms(results[s]["times"].get(name)) for s in sizes]
        if has_growth:
            row.append(ratio(results[20]["times"].get(name), results[1]["times"].get(name)))
        rows.append(row)
    rows.append(["peak memory (MB)"] + [f"{results[s]['memory']['end']:.0f}" for s in sizes] + ([""] if has_growth else []))
    print_table(["measure"] + [f"{s}×" for s in sizes] + (["20× / 1×"] if has_growth else []), rows)

    targets: list[tuple[str, bool | None, str]] = []
    if has_growth:
        one, twenty = results[1]["times"], results[20]["times"]
        for name in names_in_order(first):
            if name.startswith(("export ", "import ")):
                growth = twenty[name] / one[name]
                targets.append((f"{name} linear (20×/1× ≤ {GROWTH_TARGET:.0f})", growth <= GROWTH_TARGET, f"{growth:.1f}"))
    if 20 in results:
        for name in ("show department", "edit committed"):
            value = results[20]["times"][name] * 1000
            targets.append((f"{name} at 20× ≤ {FRAME_MS:.0f} ms", value <= FRAME_MS, f"{value:.1f} ms"))
    for size in sizes:
        if "start-up" in results[size]["times"]:
            r = results[size]["times"]["start-up"] / results[size]["floors"]["start-up"]
            targets.append((f"start-up at {size}× ≤ {STARTUP_TARGET:.0f}× bare window", r <= STARTUP_TARGET, f"{r:.2f}×"))
    if 1 in results:
        for name in names_in_order(results[1]):
            if name.startswith("export ") and name in results[1]["floors"]:
                r = results[1]["times"][name] / results[1]["floors"][name]
                targets.append((f"{name} at 1× ≤ {EXPORT_FLOOR_TARGET:.0f}× floor", r <= EXPORT_FLOOR_TARGET, f"{r:.1f}×"))
    if 50 in results:
        peak = results[50]["memory"]["end"]
        targets.append((f"peak memory at 50× < {MEMORY_TARGET_MB:.0f} MB", peak < MEMORY_TARGET_MB, f"{peak:.0f} MB"))
    if 1 in results:
        for name in names_in_order(results[1]):
            if name.startswith(("export ", "import ")):
                value = results[1]["times"][name]
                targets.append((f"{name} at 1× ≤ {RESPONSIVE_S} s (else: off the GUI thread)", value <= RESPONSIVE_S,
                                f"{value * 1000:.0f} ms"))
    if targets:
        print("\n### Targets\n")
        print_table(["target", "met", "figure"], [[t, "yes" if ok else "**no**", v] for t, ok, v in targets])
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,20,50", help="comma-separated multiples of the sample")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="one run, no warm-up, no start-up processes (CI)")
    parser.add_argument("--gc-paused", action="store_true",
                        help="experiment: every export and import with the cyclic GC paused (as odt/ods do)")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="experiment: gc.freeze() once the window is open (the report and Qt objects leave the GC)")
    parser.add_argument("--json", help="also write the raw figures (seconds, MB) to this file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs

    if args.child is not None:
        result = measure(args.child, runs, args.quick, args.gc_paused, args.gc_freeze)
        Path(args.out).write_text(json.dumps(result), encoding="utf-8")
        return 0

    from common import machine

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {machine()}; {cpu_model()}; {qt_versions()}")
    print(f"before: {load()}; median of {runs} run(s){'' if args.quick else ' after one warm-up'}; "
          f"each size in a fresh process{'; EXPORTS AND IMPORTS WITH THE CYCLIC GC PAUSED' if args.gc_paused else ''}"
          f"{'; gc.freeze() AFTER OPENING' if args.gc_freeze else ''}")
    results: dict[int, dict] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="workreport-runall-") as work:
            out = Path(work) / "result.json"
            command = [sys.executable, str(Path(__file__).resolve()), "--child", str(size), "--runs", str(runs),
                       "--out", str(out)] + (["--quick"] if args.quick else []) + (["--gc-paused"] if args.gc_paused else []) + (["--gc-freeze"] if args.gc_freeze else [])
            status = subprocess.run(command, cwd=ROOT).returncode
            if status != 0 or not out.exists():
                print(f"{size}×: the measuring process failed (exit {status})", file=sys.stderr)
                return 1
            results[size] = json.loads(out.read_text(encoding="utf-8"))
        print_size(results[size])
        sys.stdout.flush()
    print_summary(results)
    print(f"\nafter: {load()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
