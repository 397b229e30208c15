"""Open-data CSV: one row per 辦理情形 entry, UTF-8 with a BOM.

Columns: 年度, 機關, 類, 項, 目, 編號, 辦理情形, 完成程度, 備註.  類/項/目
carry their printed labels with numbering (``壹、民政部門``, ``一、一般民政``,
``(一) 選舉業務``; an unnumbered 目 just its title); 編號 is the entry's
derived number (``1.``, ``(1)``, empty for a plain paragraph) and 辦理情形 the
text without it; 完成程度 is the entry's own integer 0–100 or empty (a
sub-item shares its item's row in the printed table but has its own, usually
empty, value here); 備註 is the entry's own remark.

Written with the csv module (QUOTE_MINIMAL, CRLF rows as RFC 4180): a text
holding a comma, a quote or a line break is quoted, and its line breaks are
kept inside the quoted field.  Control characters are removed
(:func:`app.layout.clean_text`).  The BOM lets Excel open the file as UTF-8
instead of the ANSI code page (cp950).

**Texts beginning with ``=`` ``+`` ``-`` ``@`` are written unchanged.**  CSV
has no way to mark a field as text, and the OWASP advice (prefix a ``'``)
protects a spreadsheet user by corrupting the data: every consumer that is
not a spreadsheet — the open-data portal, a script, a database load — would
receive ``'-2+3`` where the report says ``-2+3``, and a negative figure
such as ``-5%`` would no longer be what was published.  This file is data,
like the JSON export; the spreadsheet form of the report is the .xlsx/.ods
export, which stores such texts as string cells.  Users who open the CSV in
a spreadsheet should import it with the columns typed as text (Excel: 資料 →
從文字/CSV; LibreOffice: the import dialog's column type "文字").
"""
from __future__ import annotations

import csv
from pathlib import Path

from ..layout import clean_text, layout
from ..model import Report

COLUMNS = ("年度", "機關", "類", "項", "目", "編號", "辦理情形", "完成程度", "備註")


def rows(report: Report, departments=None):
    """The CSV rows (without the header), one per entry, in report order."""
    lay = layout(report, departments)
    year, office = str(report.roc_year), lay.office
    for block in lay.departments:
        for section in block.sections:
            for item in section.items:
                for row in item.rows:
                    for entry, number in zip(row.entries, row.numbers):
                        yield (
                            year,
                            office,
                            block.label,
                            section.label,
                            item.label,
                            number,
                            clean_text(entry.text),
                            "" if entry.completion is None else str(entry.completion),
                            clean_text(entry.remark),
                        )


def write(report: Report, path: Path, *, departments=None, progress=None) -> None:
    default = report.template.is_default
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        if default:
            writer.writerow(COLUMNS)
            all_rows = list(rows(report, departments))
        else:  # any other template: one column per level and field (app/exporters/sheet_template.py)
            from .sheet_template import csv_header, csv_rows

            writer.writerow(csv_header(report.template))
            all_rows = list(csv_rows(report, departments))
        for count, row in enumerate(all_rows, start=1):
            if progress and count % 500 == 0:
                progress(count / len(all_rows))
            writer.writerow(row)
    if progress:
        progress(1.0)
