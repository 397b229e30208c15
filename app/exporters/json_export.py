"""JSON interchange export (docs/interface.md)."""
from __future__ import annotations

from pathlib import Path

from ..interchange import dumps
from ..model import Report


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    chosen = None
    if departments is not None:
        chosen = [d for d in report.departments if d.name in departments]
    path.write_text(dumps(report, chosen), encoding="utf-8")
