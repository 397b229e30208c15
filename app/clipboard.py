"""Text on the clipboard ⇄ entries: what Word and Excel put there, and what we put back.

Word gives lines; Excel gives tab-separated rows and puts a cell that holds
line breaks in quotes — ``csv`` reads those back whole, so an in-cell line
break stays inside one entry.  Typed numbering (1. 1、 (1) （1）) is stripped
and becomes the entry's level.  The GUI (ui/table/clipboard.py) reads and
writes the system clipboard; everything else is here and needs no Qt.
"""
from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass

from .editing import completion_operation, default_level, parse_completion, remark_operation
from .model import Entry, Item
from .numbering import split_entry_text
from .operations import Batch, DeleteNode, InsertNode, Operation

#: Excel-style columns of a pasted block starting at 辦理情形.
TEXT, COMPLETION, REMARK = range(3)


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows of cells from a clipboard: tab-separated (Excel, with quoted in-cell line breaks) or lines (Word)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if "\t" in text or text.startswith('"'):
        return [row for row in csv.reader(io.StringIO(text), delimiter="\t") if any(c.strip() for c in row)]
    return [[line] for line in text.split("\n") if line.strip()]


def is_single_value(records: list[list[str]]) -> bool:
    """One cell of one line: pasted into the current cell as if typed."""
    return len(records) == 1 and len(records[0]) == 1 and "\n" not in records[0][0].strip()


def _tsv_cell(text: str) -> str:
    """A cell as Excel writes it: quoted only when it holds a tab, a line break or a leading quote."""
    if any(c in text for c in "\t\n\r") or text.startswith('"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_clipboard_text(rows: list[list[str]]) -> str:
    """Rows of cell texts as Excel reads them (tab-separated, quoted where a cell holds a line break).

    An empty cell is nothing between its tabs (not ``""``); :func:`parse_clipboard`
    reads every cell back as it was."""
    return "\n".join("\t".join(_tsv_cell(cell) for cell in cells) for cells in rows)


def to_clipboard_html(rows: list[list[str]]) -> str:
    """The same rows as an HTML table (``text/html``): Word and LibreOffice paste a table.

    Line breaks inside a cell become ``<br>``; an empty cell stays empty."""
    def cell(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in cells) + "</tr>" for cells in rows)
    return ('<html><head><meta charset="utf-8"></head><body>'
            f'<table border="1" cellspacing="0" cellpadding="4">{body}</table></body></html>')


def entries_from_records(records: list[list[str]], level: int) -> list[Entry]:
    """New entries from pasted rows (text, 完成程度, 備註); rows without text are left out.

    Raises ValueError when a 完成程度 is not 0–100 (nothing is made then)."""
    entries = []
    for record in records:
        cells = [c.strip() for c in record] + ["", ""]
        if not cells[TEXT]:
            continue
        entry_level, text = split_entry_text(cells[TEXT], level)
        entries.append(Entry(level=entry_level, text=text, completion=parse_completion(cells[COMPLETION]),
                             remark=cells[REMARK]))
    return entries


@dataclass
class Paste:
    operation: Operation
    entries: list[Entry]  # the new entries, in order (the GUI goes to the first)


def paste_entries(item: Item, entry: Entry | None, records: list[list[str]]) -> Paste | None:
    """Pasted rows become new entries after ``entry`` (or first in the 目), one undo step.

    Pasting into a fresh, still empty entry replaces it.  None when no row has text."""
    new_entries = entries_from_records(records, default_level(item, entry))
    if not new_entries:
        return None
    position = item.entries.index(entry) + 1 if entry is not None else 0
    ops: list[Operation] = [InsertNode(item.id, position + n, new) for n, new in enumerate(new_entries)]
    if entry is not None and not entry.text.strip():
        ops.append(DeleteNode(entry.id))
    return Paste(Batch(ops, label=f"貼上 {len(new_entries)} 筆辦理情形"), new_entries)


def paste_down(entries: list[Entry], records: list[list[str]], column: int) -> Batch | None:
    """A column of pasted values into 完成程度 or 備註 of consecutive entries (first cell of each row).

    ``entries`` are the entries of the rows from the current one down, as far as
    rows hold entries.  Raises ValueError for a 完成程度 that is not 0–100."""
    make = completion_operation if column == COMPLETION else remark_operation
    ops: list[Operation] = [op for entry, record in zip(entries, records)
                            if (op := make(entry, record[0])) is not None]
    return Batch(ops, label="貼上") if ops else None
