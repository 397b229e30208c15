"""What every sheet writer shares (the default template's app/exporters/xlsx.py and ods.py,
and the template-driven xlsx_template.py and ods_template.py): the font and row metrics,
the text measure that computes row heights (spreadsheets never grow wrapped rows on
open), valid sheet names, Excel column widths, disjoint merges, and the ODF string cell.
Moved here from app/exporters/xlsx.py unchanged (xlsx.py imports them back under their
old names) so that the template writers need not import the default ones.
"""
from __future__ import annotations

import re
import unicodedata

from odf import teletype
from odf.style import Style
from odf.table import TableCell
from odf.text import P
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

FONT_NAME = "標楷體"
FONT_PT = 12
TITLE_PT = 16
CELL_PADDING_CM = 0.1  # left + right padding is twice this
EM_CM = FONT_PT / 72 * 2.54
LINE_PT = 18.0  # one line of 12 pt text with its leading (Noto CJK needs 17.4)
ROW_PADDING_PT = 4.0
FOOTER = "第 &P 頁"
# Excel cannot make a row taller than 409 pt (a taller one is cut when
# printed); .ods keeps the same limit: Excel opens .ods files too and would
# clamp, and a 409 pt row fits any page with room to spare (the body area
# below is 600 pt), so LibreOffice never has to cut a row at a page's end.
MAX_ROW_PT = 409.0

# ---------------------------------------------------------------------------
# Text measurement


_ASCII_WORD = re.compile(r"[!-~]+|\s|.", re.S)


# Narrow characters are half an em in 標楷體 but up to 0.64 em in the
# fonts that replace it where it is missing (DejaVu Sans digits in
# LibreOffice on Linux); sheets reckon 0.6 so that text is never cut.
NARROW_EM = 0.6


def char_width(ch: str, narrow: float = NARROW_EM) -> float:
    """Width in em: wide/full-width/ambiguous characters 1, the rest ``narrow``."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else narrow


def text_width(text: str, narrow: float = NARROW_EM) -> float:
    return sum(char_width(ch, narrow) for ch in text)


def line_starts(text: str, capacity_em: float, narrow: float = NARROW_EM) -> list[int]:
    """Offsets in ``text`` where each printed line starts (at least ``[0]``).

    Greedy wrapping like Excel's and LibreOffice's: any wide character may
    start a new line, a run of printable ASCII (a number, a Latin word) moves
    to the next line whole when it fits there; ``\n`` starts a paragraph.
    """
    starts: list[int] = []
    pos = 0
    for paragraph in (text or "").split("\n"):
        starts.append(pos)
        used = 0.0
        offset = pos
        for token in _ASCII_WORD.findall(paragraph):
            width = text_width(token, narrow)
            if used + width <= capacity_em + 1e-9:
                used += width
            elif width <= capacity_em and len(token) > 1:
                starts.append(offset)
                used = width
            else:  # wide char or a word longer than the line: break anywhere
                for k, ch in enumerate(token):
                    w = char_width(ch, narrow)
                    if used + w > capacity_em + 1e-9 and used > 0:
                        starts.append(offset + k)
                        used = 0.0
                    used += w
            offset += len(token)
        pos += len(paragraph) + 1
    return starts


def line_count(text: str, capacity_em: float, narrow: float = NARROW_EM) -> int:
    """Lines ``text`` takes in a cell ``capacity_em`` wide (at least 1)."""
    return len(line_starts(text, capacity_em, narrow)) if text else 1


def capacity_em(width_cm: float) -> float:
    # 5 % kept back for the spreadsheet's own inner cell margins.
    return max(1.0, (width_cm - 2 * CELL_PADDING_CM) / EM_CM * 0.95)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str], reserved: tuple[str, ...] = ()) -> list[str]:
    """Valid, unique sheet names for ``names`` (≤31 chars, none of []:*?/\\).

    Excel compares sheet names case-insensitively; an apostrophe may not
    start or end one.  Duplicates get `` (2)`` … within the 31 characters.
    """
    taken = {name.casefold() for name in reserved}
    result = []
    for index, name in enumerate(names, start=1):
        base = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'").strip() or f"部門{index}"
        base = base[:31]
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def width_units(width_cm: float) -> float:
    """Excel column width (characters of Calibri 11's 7 px digit) for a width in cm."""
    pixels = width_cm / 2.54 * 96
    return round((pixels - 5) / 7, 2)


def merge_disjoint(ws, merges) -> None:
    """``ws.merge_cells`` for ranges known not to overlap.

    openpyxl's ``merge_cells`` checks each new range against every range
    already merged (quadratic: a 2-million-character entry cut into 7,000
    rows over 3,700 pages has 11,000 ranges and took minutes); ours are
    disjoint by construction, so the range is added directly and the hidden
    cells made as ``merge_cells`` makes them.
    """
    for r1, c1, r2, c2 in merges:
        merged = MergedCellRange(ws, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2).coord)
        ws.merged_cells.ranges.add(merged)
        ws._clean_merge_range(merged)


# ---------------------------------------------------------------------------
# ODF

BORDER = "0.5pt solid #000000"
PT_CM = 2.54 / 72


def cm(value: float) -> str:
    return f"{value:.3f}cm"


def text_cell(text: str, style: Style, **spans) -> TableCell:
    """A string cell: ``office:value-type="string"``, one ``text:p`` per line, never a formula."""
    cell = TableCell(valuetype="string", stylename=style, **spans)
    if text:
        for line in text.split("\n"):
            paragraph = P()
            teletype.addTextToElement(paragraph, line)  # runs of spaces as text:s
            cell.addElement(paragraph)
    return cell
