"""校對 speed: the whole sample, a 20× report, and the re-check after one edit.

    python benchmarks/proofread.py [--runs N] [--sizes 1,20]

Prints, per size (common.scaled_report: the sample's departments repeated
with new ids): the whole report checked (app.proofread.check, tables and
OpenCC already loaded — their first load is printed once), a Proofreader
built, and Proofreader.update after one SetField on an entry's text (the
change record of a real ReportDocument.apply; the apply itself is not timed).
Medians of --runs timings after one warm-up; nothing is asserted.
Targets (issue 18): sample < 100 ms, 20× < 2 s; docs/proofreading.md records the figures.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import machine, median_time, print_table, scaled_report  # noqa: E402

from app.document import ReportDocument  # noqa: E402
from app.operations import SetField  # noqa: E402
from app import proofread  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,20")
    args = parser.parse_args(argv)
    print(machine())
    start = time.perf_counter()
    proofread.tables()
    proofread._opencc()
    print(f"first load of the tables and OpenCC's s2tw: {(time.perf_counter() - start) * 1000:.1f} ms")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        report = scaled_report(size)
        chars = sum(len(getattr(n, f)) for n in report.walk() for f in proofread.TEXT_FIELDS[n.kind])
        whole = median_time(lambda: proofread.check(report), args.runs)
        count = len(proofread.check(report))
        with tempfile.TemporaryDirectory() as folder:
            doc = ReportDocument.create(Path(folder) / "r.awr", report)
            built = median_time(lambda: proofread.Proofreader(doc.report), args.runs)
            reader = proofread.Proofreader(doc.report)
            entry = doc.report.departments[len(doc.report.departments) // 2].sections[0].items[0].entries[0]
            texts = [entry.text + "共計計 3 次。", entry.text]
            records = [doc.apply(SetField(entry.id, "text", texts[n % 2])) for n in range(args.runs + 1)]
            timings = []
            for changes in records:
                t0 = time.perf_counter()
                reader.update(changes)
                timings.append(time.perf_counter() - t0)
            update = sorted(timings[1:])[len(timings[1:]) // 2]
            assert reader.findings() == proofread.check(doc.report)  # the figures are of a correct update
            doc.close()
        rows.append([f"{size}×", f"{chars:,}", count, f"{whole * 1000:.1f}", f"{built * 1000:.1f}",
                     f"{update * 1000:.2f}"])
    print_table(["size", "characters", "findings", "check (ms)", "Proofreader() (ms)", "update after 1 edit (ms)"],
                rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
