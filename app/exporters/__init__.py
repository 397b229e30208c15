"""Exporters: each a function ``write(report, path, departments=…, progress=…)``.

Exporters register themselves here with :func:`register` (format, label
shown in the GUI's export dialog, writer).  The engine's own formats are
registered below, each loaded when first used so that ``import
app.exporters`` stays light; the PDF writer draws with Qt (so that print
preview and print show the very same pages) and belongs to the GUI package:
``ui/render/pdf.py`` registers it when imported, and the launcher
(``app/__main__.py``) imports it before it runs the CLI or the GUI.  The
engine itself never names ``ui`` and never loads Qt.

:func:`export` picks the exporter for a format, checks the department name,
and writes through :func:`app.fileio.atomic_output`, so that a failed or
cancelled export leaves no file (and no half file) under the target name.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from ..errors import ReportError
from ..fileio import atomic_output
from ..model import Report

Progress = Callable[[float], None]


class Writer(Protocol):
    def __call__(self, report: Report, path: Path, *, departments: list[str] | None = ...,
                 progress: Progress | None = ...) -> None: ...


@dataclass(frozen=True)
class Exporter:
    """A registered format: its label and its writer (or the module that has ``write``)."""

    fmt: str
    label: str
    writer: Writer | str

    def load(self) -> Writer:
        if isinstance(self.writer, str):
            module = importlib.import_module(self.writer)
            write: Writer = module.write
            return write
        return self.writer


_REGISTRY: dict[str, Exporter] = {}
# format → (writer or module, label): kept for the CLI's choices and the
# export dialog, which read labels as FORMATS[fmt][1]; follows the registry.
FORMATS: dict[str, tuple[Writer | str, str]] = {}


def register(fmt: str, label: str, writer: Writer | str, *, after: str | None = None) -> None:
    """Offer ``fmt`` for export; listed after ``after`` when it is registered, else last.

    Registering a format again replaces it (in place).
    """
    fmt = fmt.lower().lstrip(".")
    exporter = Exporter(fmt, label, writer)
    items = list(_REGISTRY.items())
    if fmt in _REGISTRY:
        items = [(name, exporter if name == fmt else known) for name, known in items]
    else:
        names = [name for name, _ in items]
        position = names.index(after) + 1 if after in names else len(items)
        items.insert(position, (fmt, exporter))
    _REGISTRY.clear()
    _REGISTRY.update(items)
    FORMATS.clear()
    FORMATS.update({name: (e.writer, e.label) for name, e in _REGISTRY.items()})


class Cancelled(Exception):
    """Raised by a progress callback to stop an export; nothing is written."""


def available_formats() -> list[str]:
    return list(_REGISTRY)


def label(fmt: str) -> str:
    return _REGISTRY[fmt].label


def export(
    report: Report,
    fmt: str,
    target: str | os.PathLike[str],
    *,
    department: str | None = None,
    progress: Progress | None = None,
) -> Path:
    fmt = fmt.lower().lstrip(".")
    if fmt not in _REGISTRY:
        raise ReportError(f"不支援的匯出格式「{fmt}」（可用：{'、'.join(_REGISTRY)}）")
    write = _REGISTRY[fmt].load()
    departments = None
    if department is not None:
        if report.department_named(department) is None:
            names = "、".join(d.name for d in report.departments)
            raise ReportError(f"報告中沒有「{department}」這個部門（有：{names}）")
        departments = [department.strip()]
    target = Path(target)
    with atomic_output(target) as tmp:
        write(report, tmp, departments=departments, progress=progress)
    return target


# The engine's formats, each module loaded on first use.
register("docx", "Word 文件 (.docx)", "app.exporters.docx")
register("odt", "ODF 文字文件 (.odt)", "app.exporters.odt")
register("xlsx", "Excel 活頁簿 (.xlsx)", "app.exporters.xlsx")
register("ods", "ODF 試算表 (.ods)", "app.exporters.ods")
register("csv", "開放資料 CSV (.csv)", "app.exporters.csv_export")
register("json", "JSON 交換格式 (.json)", "app.exporters.json_export")
