"""Shared pieces of the benchmark scripts: scaled reports, timing, tables.

Run any script from the project root: ``python benchmarks/<script>.py``.
No timing is asserted anywhere; the scripts print their figures and
docs/performance.md records them.
"""
from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.model import Report, clone_tree  # noqa: E402
from app.sample import sample_report  # noqa: E402


def scaled_report(factor: int) -> Report:
    """The sample with its departments repeated ``factor`` times (new ids each time)."""
    base = sample_report()
    if factor == 1:
        return base
    report = Report(
        office=base.office, roc_year=base.roc_year,
        published_roc_year=base.published_roc_year, published_month=base.published_month,
    )
    for copy in range(factor):
        for department in base.departments:
            clone = clone_tree(department, new_ids=True)
            clone.name = department.name if copy == 0 else f"{department.name}{copy + 1}"
            report.departments.append(clone)
    return report


def median_time(func: Callable[[], object], runs: int = 5) -> float:
    """Median wall time in seconds over ``runs`` calls (after one warm-up)."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(headers))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
