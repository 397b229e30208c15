"""Importers: a source file → a complete :class:`~app.model.Report`, or an error.

An importer only reads; the report file is written afterwards in one go by
:meth:`app.storage.Repository.create` (a temporary file renamed into place),
so an import creates the complete report file or nothing.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path

from ..errors import ReportError
from ..interchange import read_json
from ..model import Report
from .safety import MSG_TOO_DEEP

# suffix → module under app.importers exposing read(path) -> Report
IMPORTERS = {".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods"}
SUFFIXES = (".json", *IMPORTERS)


def read_source(path: str | os.PathLike[str], *, office: str | None = None, roc_year: int | None = None,
                template=None) -> Report:
    """``office=`` and ``roc_year=`` for files that do not say them (Word/Excel/ODF); ``template=``
    (an app.templates.Template) reads a Word/Excel/ODF table in that template's layout only
    (without it: the default layout, else the built-in whose headings match)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix not in IMPORTERS:
        raise ReportError(f"無法匯入這種檔案（副檔名 {suffix or '無'}；可匯入：{'、'.join(SUFFIXES)}）", path)
    if not path.exists():
        raise ReportError("找不到檔案", path)
    module = importlib.import_module(f"{__name__}.{IMPORTERS[suffix]}")
    options = {"office": office, "roc_year": roc_year, "template": template}
    try:
        return module.read(path, **{k: v for k, v in options.items() if v is not None})
    except RecursionError:  # the XML depth limit (safety.MAX_XML_DEPTH) should come first
        raise ReportError(MSG_TOO_DEEP, path) from None
