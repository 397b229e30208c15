"""The bundled sample: the real 109 年度 report of 嘉義市東區區公所."""
from __future__ import annotations

import os

from .document import ReportDocument
from .interchange import read_json
from .model import Report
from .resources import SAMPLE_JSON, resource_path


def sample_report() -> Report:
    return read_json(resource_path(*SAMPLE_JSON))


def write_sample(path: str | os.PathLike[str], *, overwrite: bool = False) -> ReportDocument:
    return ReportDocument.create(path, sample_report(), overwrite=overwrite)
