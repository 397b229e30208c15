"""Kill real processes with SIGKILL at random moments and check nothing is lost.

    python tools/kill_harness.py [--trials N] [--modes edit,import,export,rollover] [--seed S]

Each trial starts a real ``python`` process doing one kind of work on a
report, kills it with ``kill -9`` after a random delay, then checks:

* edit     — the report opens, passes ``integrity_check``, and holds every
             edit the process had reported as committed (it prints a counter
             after each ``document.apply`` returns);
* import / rollover — the target report is either absent or complete (opens,
             same counts as the source); never half a report;
* export   — the target file is either absent or a complete document.

Prints a table of trials and survivors; exits 1 if any trial lost data.
tests/test_reliability.py runs a few trials of every mode on each CI run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EDIT_CHILD = r"""
import sys
from app.document import ReportDocument
from app.operations import Batch, InsertNode, SetField
from app.model import Entry
doc = ReportDocument.open(sys.argv[1])
entry = doc.report.departments[0].sections[0].items[0].entries[0]
item = doc.report.departments[-1].sections[-1].items[-1]
print("ready", flush=True)
i = 0
while True:
    i += 1
    if i % 5 == 0:  # one action of two steps: both or neither
        doc.apply(Batch([SetField(entry.id, "text", f"counter {i}"),
                         InsertNode(item.id, len(item.entries), Entry(text=f"inserted {i}"))]))
    else:
        doc.apply(SetField(entry.id, "text", f"counter {i}"))
    print(i, flush=True)
"""


@dataclass
class Outcome:
    trials: int = 0
    survived: int = 0
    failures: list[str] = field(default_factory=list)


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.setdefault("WORKREPORT_DATA_DIR", tempfile.mkdtemp(prefix="kill-data-"))
    return env


def _kill_after(process: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    try:
        process.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _counts(path: Path) -> dict | None:
    from app.document import ReportDocument

    doc = ReportDocument.open(path, read_only=True)
    try:
        return doc.report.counts()
    finally:
        doc.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)  # read-write: rolls back a hot journal, as the program does
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def trial_edit(work: Path, rng: random.Random, base: Path) -> str | None:
    report = work / "edit.awr"
    report.write_bytes(base.read_bytes())
    process = subprocess.Popen([sys.executable, "-c", EDIT_CHILD, str(report)], cwd=work, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline()
    if first.strip() != "ready":
        process.kill()
        return f"edit child did not start: {first!r}"
    _kill_after(process, rng.uniform(0.0, 0.6))
    acknowledged = [int(line) for line in process.stdout.read().split() if line.isdigit()]
    last = acknowledged[-1] if acknowledged else 0
    if _integrity(report) != "ok":
        return "integrity_check failed after kill during edit"
    from app.document import ReportDocument

    doc = ReportDocument.open(report)  # also proves a crashed holder's lock is taken over
    try:
        text = doc.report.departments[0].sections[0].items[0].entries[0].text
        value = int(text.split()[-1]) if text.startswith("counter ") else 0
        inserted = sum(1 for e in doc.report.departments[-1].sections[-1].items[-1].entries if e.text.startswith("inserted "))
    finally:
        doc.close()
    if value < last:
        return f"lost committed edits: acknowledged {last}, file has {value}"
    if inserted != value // 5:
        return f"half an action: counter {value} but {inserted} inserted entries"
    return None


def trial_create(work: Path, rng: random.Random, base: Path, mode: str, source_json: Path, expected: dict) -> str | None:
    target = work / f"{mode}-out.awr"
    if target.exists():
        target.unlink()
    if mode == "import":
        args = ["import", str(source_json), "-o", str(target)]
    else:
        args = ["rollover", str(base), "-o", str(target), "--keep-entries"]
    process = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=work, env=_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_after(process, rng.uniform(0.05, 1.5))
    if not target.exists():
        return None  # nothing, as promised
    if _integrity(target) != "ok":
        return f"{mode}: a damaged report under the target name"
    counts = _counts(target)
    if counts != expected:
        return f"{mode}: an incomplete report under the target name: {counts} != {expected}"
    return None


def trial_export(work: Path, rng: random.Random, base: Path, fmt: str) -> str | None:
    target = work / f"out.{fmt}"
    if target.exists():
        target.unlink()
    process = subprocess.Popen([sys.executable, "-m", "app", "export", str(base), "-f", fmt, "-o", str(target)],
                               cwd=work, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_after(process, rng.uniform(0.05, 2.0))
    if not target.exists():
        return None
    if fmt == "json":
        try:
            json.loads(target.read_text(encoding="utf-8"))
        except ValueError:
            return "export json: a half-written file under the target name"
        return None
    try:
        with zipfile.ZipFile(target) as archive:
            if archive.testzip() is not None:
                return f"export {fmt}: a damaged file under the target name"
    except zipfile.BadZipFile:
        return f"export {fmt}: a half-written file under the target name"
    return None


def run(trials: int, modes: list[str], seed: int | None = None, factor: int = 5) -> dict[str, Outcome]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import scaled_report

    from app.document import ReportDocument
    from app.exporters import available_formats
    from app.interchange import dumps
    from app.rollover import next_year

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="kill-harness-") as folder:
        work = Path(folder)
        base = work / "base.awr"
        report = scaled_report(factor)
        ReportDocument.create(base, report).close()
        small = work / "small.awr"
        ReportDocument.create(small, scaled_report(1)).close()
        source_json = work / "source.json"
        source_json.write_text(dumps(report), encoding="utf-8")
        expected_import = report.counts()
        expected_rollover = next_year(report, keep_entries=True).counts()
        results = {mode: Outcome() for mode in modes}
        formats = [f for f in available_formats() if f not in ("pdf", "csv")] or ["json"]
        for n in range(trials):
            for mode in modes:
                if mode == "edit":
                    failure = trial_edit(work, rng, small)
                elif mode == "import":
                    failure = trial_create(work, rng, base, "import", source_json, expected_import)
                elif mode == "rollover":
                    failure = trial_create(work, rng, base, "rollover", source_json, expected_rollover)
                else:
                    failure = trial_export(work, rng, base, formats[n % len(formats)])
                outcome = results[mode]
                outcome.trials += 1
                if failure is None:
                    outcome.survived += 1
                else:
                    outcome.failures.append(failure)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=25, help="trials per mode")
    parser.add_argument("--modes", default="edit,import,export,rollover")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    results = run(args.trials, args.modes.split(","), args.seed)
    print("| mode | kills | reports intact |\n|---|---|---|")
    for mode, outcome in results.items():
        print(f"| {mode} | {outcome.trials} | {outcome.survived} |")
        for failure in outcome.failures:
            print(f"  FAILED: {failure}")
    total = sum(o.trials for o in results.values())
    print(f"{total} kills in {time.perf_counter() - started:.0f} s")
    return 1 if any(o.failures for o in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
