"""What the format readers hand over and what every recogniser hands back (app/importers).

The format readers (:mod:`.docx`, :mod:`.xlsx`, :mod:`.odt`, :mod:`.ods`) fill a
:class:`SourceDocument` — tables as :class:`Grid` s of logical cells with their
spans, loose texts for office and year, the paragraphs outside tables — and the
recognisers (:mod:`.official` for the default layout, :mod:`.templated` and
:mod:`.narrative` for other templates) turn it into an :class:`ImportResult`
with :class:`ImportWarning` s.  Also here: the lookups and text helpers they
share (:class:`GridTable`, :func:`squash`, :func:`join_lines`, :func:`find_meta`).
:mod:`.official` re-exports every name, so ``from app.importers.official import
GridCell`` keeps working.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError
from ..model import Report

MAX_GRID_POSITIONS = 2_000_000  # rows × columns covered by one table, spans included


# --- what the format readers hand over ---------------------------------------

@dataclass(slots=True)
class GridCell:
    """One logical cell: its top-left position (0-based) and its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    # The cell continues the text of the same column's cell in the row above
    # (our .xlsx/.ods cut a row taller than a spreadsheet allows; the cell
    # carries the named style 續行).  The two texts are one cell's text.
    continued: bool = False
    # A spreadsheet cell's number as stored (the text is how it shows), and whether its
    # format is a percentage (0.2 shown 20%); read by the template recogniser (.templated).
    number: int | float | None = None
    percent: bool = False


@dataclass
class Grid:
    """One table (a Word/ODF table or a worksheet) with merges resolved."""

    cells: list[GridCell]
    place: str  # "第 2 個表格" / "工作表「民政部門」": where warnings point
    name_hint: str = ""  # sheet name, or the heading before the table
    first_row_number: int = 1  # what the clerk sees as the first row's number


# --- what the importer hands back --------------------------------------------

@dataclass(frozen=True)
class ImportWarning:
    file: str
    place: str  # table / sheet
    row: int | None  # as the clerk counts it (1-based), or None for the whole file
    message: str

    @property
    def location(self) -> str:
        where = self.place or ""
        if self.row is not None:
            where += f"第 {self.row} 列"
        return where or "（整個檔案）"

    def __str__(self) -> str:
        return f"{Path(self.file).name} {self.location}：{self.message}"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside tables (a narrative document, read by .templated)."""

    text: str
    heading: int | None = None  # the outline level (1 = 標題 1) of a heading paragraph
    place: str = ""  # where warnings point: "第 12 段"


@dataclass
class SourceDocument:
    path: Path
    grids: list[Grid] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # cover, headers, titles (office / year)
    warnings: list[ImportWarning] = field(default_factory=list)
    # Every paragraph outside tables in order (docx/odt; a table of contents left out).
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class DepartmentCounts:
    name: str
    sections: int
    items: int
    entries: int


@dataclass
class ImportResult:
    report: Report
    warnings: list[ImportWarning]
    counts: list[DepartmentCounts]
    path: Path
    year_found: bool = True

    @property
    def counts_by_department(self) -> dict[str, DepartmentCounts]:
        return {c.name: c for c in self.counts}


def department_counts(report: Report) -> list[DepartmentCounts]:
    return [
        DepartmentCounts(
            d.name,
            len(d.sections),
            sum(len(s.items) for s in d.sections),
            sum(len(i.entries) for s in d.sections for i in s.items),
        )
        for d in report.departments
    ]


# --- text helpers ------------------------------------------------------------

_WS = re.compile(r"[\s\u3000]+")


def _nfkc_digits(text: str) -> str:
    """Full-width digits/letters/％ to half-width, one char for one (positions are kept)."""
    return "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" and ch not in "（）" else ch
                   for ch in text)


def squash(text: str) -> str:
    """Header matching: no spaces or line breaks, NFKC."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def join_lines(text: str) -> str:
    """A title typed over several lines: joined without a gap between Chinese characters."""
    parts = [p.strip(" \t\u3000") for p in (text or "").split("\n")]
    parts = [p for p in parts if p]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


# --- office, year, publication -------------------------------------------------

_YEAR = re.compile(r"(\d{2,3})\s*年\s*度?\s*(?:工作|業務)\s*總?\s*報告")
_PUBLISHED = re.compile(r"中華民國\s*(\d{2,3})\s*年(?:\s*(\d{1,2})\s*月)?")
_OFFICE_LINE = re.compile(r"^\S{2,40}(?:公所|政府|辦公處|處|局|署|委員會|中心)$")


@dataclass
class Meta:
    office: str | None = None
    roc_year: int | None = None
    published_year: int | None = None
    published_month: int | None = None


def find_meta(texts: list[str], filename: str = "") -> Meta:
    meta = Meta()
    for raw in texts:
        text = _WS.sub(" ", unicodedata.normalize("NFKC", raw or "")).strip()
        if not text:
            continue
        if meta.roc_year is None or meta.office is None:
            match = _YEAR.search(text)
            if match:
                if meta.roc_year is None:
                    meta.roc_year = int(match.group(1))
                before = text[: match.start()].strip(" ：:")
                before = re.sub(r"中華民國\s*$", "", before).strip()
                if meta.office is None and 2 <= len(before) <= 40:
                    meta.office = before
        if meta.published_year is None:
            match = _PUBLISHED.search(text)
            if match and not _YEAR.search(text):
                meta.published_year = int(match.group(1))
                meta.published_month = int(match.group(2)) if match.group(2) else None
                if meta.published_month is not None and not 1 <= meta.published_month <= 12:
                    meta.published_month = None
        if meta.office is None and _OFFICE_LINE.match(text.replace(" ", "")) and not _YEAR.search(text):
            meta.office = text.replace(" ", "")
    if meta.roc_year is None and filename:
        match = _YEAR.search(unicodedata.normalize("NFKC", filename)) or re.search(
            r"(?<!\d)(\d{2,3})\s*年度", unicodedata.normalize("NFKC", filename))
        if match:
            meta.roc_year = int(match.group(1))
    return meta


def apply_meta(report: Report, meta: Meta, warn, *, office: str | None, roc_year: int | None,
               require_year: bool, path, year_missing: str, office_example: str = "嘉義市東區區公所") -> bool:
    """Put what the file says of itself (``meta``) into ``report``, the caller's ``office`` /
    ``roc_year`` first; what is missing is a warning through ``warn(message)`` — or, for the year
    when ``require_year``, the ReportError ``year_missing`` naming ``path``.  Returns whether a
    year was found."""
    year_found = True
    if roc_year is not None:
        report.roc_year = roc_year
    elif meta.roc_year is not None:
        report.roc_year = meta.roc_year
    elif meta.published_year is not None:
        report.roc_year = meta.published_year - 1
        warn(f"找不到報告年度，依出版日期（中華民國 {meta.published_year} 年）推定為 {report.roc_year} 年度")
    else:
        year_found = False
        if require_year:
            raise ReportError(year_missing, path)
        warn("找不到報告年度，請在匯入時填寫")
    if office is not None:
        report.office = office
    elif meta.office:
        report.office = meta.office
    else:
        report.office = ""
        warn(f"找不到機關名稱（如「{office_example}」），請匯入後填寫")
    if meta.published_year is not None:
        report.published_roc_year = meta.published_year
        report.published_month = meta.published_month
    return year_found


class GridTable:
    """A grid with a position → cell lookup (spans resolved)."""

    def __init__(self, grid: Grid, path: Path):
        self.grid = grid
        self.owner: dict[tuple[int, int], GridCell] = {}
        self.rows: dict[int, list[GridCell]] = {}
        positions = 0
        for cell in grid.cells:
            positions += cell.rowspan * cell.colspan
            if positions > MAX_GRID_POSITIONS:
                raise ReportError(f"{grid.place}過大（超過 {MAX_GRID_POSITIONS:,} 格），不像是工作總報告", path)
            self.rows.setdefault(cell.row, []).append(cell)
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    self.owner.setdefault((r, c), cell)
        for cells in self.rows.values():
            cells.sort(key=lambda c: c.col)
        self.row_numbers = sorted(self.rows)
        self.width = max((c.col + c.colspan for c in grid.cells), default=0)

    def at(self, row: int, col: int | None) -> tuple[GridCell | None, bool]:
        """The cell covering (row, col) and whether it starts in this row."""
        if col is None:
            return None, False
        cell = self.owner.get((row, col))
        return cell, cell is not None and cell.row == row


def _usable_department_hint(text: str) -> bool:
    """A sheet name or heading that can name a department (not a title, date or default name)."""
    probe = _nfkc_digits(text or "").strip()
    if not probe or _YEAR.search(probe) or _PUBLISHED.search(probe):
        return False
    if re.fullmatch(r"(?:Sheet|工作表|表格|Table)\s*\d*", probe, re.IGNORECASE):
        return False
    return len(squash(probe)) <= 20


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
