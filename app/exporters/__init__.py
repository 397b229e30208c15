"""Exporters: each a function ``write(report, path, departments=…, progress=…)``.

:func:`export` picks the exporter for a format, checks the department name,
and writes through :func:`app.fileio.atomic_output`, so that a failed or
cancelled export leaves no file (and no half file) under the target name.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable

from ..errors import ReportError
from ..fileio import atomic_output
from ..model import Report

# format → (module, label shown in the GUI's export dialog).  PDF is drawn
# with Qt (QPdfWriter) so that print preview and print show the very same
# pages; it lives in ui/ and is imported by name only when a PDF is asked
# for — every other format, and the engine itself, run without Qt.
FORMATS: dict[str, tuple[str, str]] = {
    "docx": ("app.exporters.docx", "Word 文件 (.docx)"),
    "odt": ("app.exporters.odt", "ODF 文字文件 (.odt)"),
    "pdf": ("ui.pdf_export", "PDF 文件 (.pdf)"),
    "xlsx": ("app.exporters.xlsx", "Excel 活頁簿 (.xlsx)"),
    "ods": ("app.exporters.ods", "ODF 試算表 (.ods)"),
    "csv": ("app.exporters.csv_export", "開放資料 CSV (.csv)"),
    "json": ("app.exporters.json_export", "JSON 交換格式 (.json)"),
}

Progress = Callable[[float], None]


class Cancelled(Exception):
    """Raised by a progress callback to stop an export; nothing is written."""


def available_formats() -> list[str]:
    return list(FORMATS)


def export(
    report: Report,
    fmt: str,
    target: str | os.PathLike[str],
    *,
    department: str | None = None,
    progress: Progress | None = None,
) -> Path:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ReportError(f"不支援的匯出格式「{fmt}」（可用：{'、'.join(FORMATS)}）")
    module = importlib.import_module(FORMATS[fmt][0])
    departments = None
    if department is not None:
        if report.department_named(department) is None:
            names = "、".join(d.name for d in report.departments)
            raise ReportError(f"報告中沒有「{department}」這個部門（有：{names}）")
        departments = [department.strip()]
    target = Path(target)
    with atomic_output(target) as tmp:
        module.write(report, tmp, departments=departments, progress=progress)
    return target
