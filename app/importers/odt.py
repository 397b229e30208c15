"""Read an ODF text document (.odt) report: its tables, merges resolved.

The same streaming, defusedxml-only walker as :mod:`.ods`
(:func:`app.importers.ods.read_tables`): ``table:table-cell`` spans and
``table:covered-table-cell`` positions, repeats, ``text:p`` / ``text:h``
lines, ``text:line-break`` and ``text:s``.  Tables are numbered in document
order for warnings (``第 2 個表格``); the paragraph before a table (the
department divider ``民 政 部 門`` in our own export) names the department when
the table has no 類 column.  Office and year come from the cover paragraphs,
the page header (styles.xml) and the document title (meta.xml).
"""
from __future__ import annotations

import os
from pathlib import Path

from . import safety
from .ods import extra_texts, read_tables
from .official import Grid, ImportResult, Paragraph, SourceDocument, read_with_report as _read_with_report


def load(path: str | os.PathLike[str]) -> SourceDocument:
    path = Path(path)
    source = SourceDocument(path)
    with safety.open_package(path) as zf:
        content = read_tables(zf, path)
        source.texts.extend(content.texts)
        source.paragraphs.extend(Paragraph(text, level, f"第 {number} 段")
                                 for number, (text, level) in enumerate(content.paragraphs, start=1))
        source.texts.extend(extra_texts(zf, path))
    for number, (_name, caption, cells) in enumerate(content.tables, start=1):
        source.grids.append(Grid(cells, f"第 {number} 個表格", caption))
    return source


def read_with_report(path, **options) -> ImportResult:
    return _read_with_report(path, **options)


def read(path, **options):
    return _read_with_report(path, **options).report
