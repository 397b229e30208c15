"""Recognise the official table (docs/official-layout.md) in a grid of cells.

Every format reader (:mod:`.docx`, :mod:`.xlsx`, :mod:`.odt`, :mod:`.ods`)
resolves its own merged cells and hands over a :class:`SourceDocument`
(:mod:`.source`, re-exported here, as are the helpers shared with the other
templates' recognisers :mod:`.templated` and :mod:`.narrative`): the
tables as :class:`Grid` s of logical cells (each with its row/column span)
plus the loose texts (cover, running header, title rows) where office and
year are found.  :func:`recognise` turns that into a :class:`~app.model.Report`
and a list of :class:`ImportWarning` s, each with its location.

How a table is read
-------------------
* **Header.**  The first row holding 辦理情形 starts the header; the 類 / 項 /
  目 / 完成程度 / 備註 columns are found in it and the next two rows.  Spaces
  and line breaks inside header cells are ignored (``完成程度\\n百分比``,
  ``類　　別`` → 類 only when the whole cell is that word).  A grid without
  辦理情形 and 目 columns is not a report table and is skipped.  Header rows
  repeated inside the body (page breaks typed as rows) are skipped.
* **類 / 項 / 目.**  A cell that starts in this row with text opens a new
  department / 項 / 目; a cell merged down from above, an empty cell (a
  hand-typed table without merges) or the same text repeated on the next row
  continues the one above.  Numbering (壹、 一、 (一) （一） 1.) is removed
  from titles; a 目 typed without a number is ``numbered=False``.  Department
  names lose the spaces and line breaks of vertical text (``民\\n政\\n部\\n門``).
  A table without a 類 column takes its department from the sheet name or
  the heading before the table.
* **辦理情形.**  A cell's lines are split into entries by their numbering:
  ``1.`` ``1、`` ``1．`` ``1)`` → level 1, ``(1)`` ``（1）`` ``①`` → level 2,
  full- or half-width, with or without spaces; 一、 / (一) typed inside
  辦理情形 count as level 1.  Several items typed into one line are split
  where a number follows sentence punctuation (。；！？：) and is the next
  number in sequence (``…完成。2.辦理…``) — "1.5 萬" or "第 3、4 季" never
  split.  **An unnumbered line right after an entry continues that entry**
  (joined with a line break, so a wrapped or Shift+Enter line stays with its
  item and our own exports round-trip); an unnumbered line at the start of a
  cell, or after an empty line, is a new plain paragraph (level 0).
* **完成程度.**  ``100%`` ``100 %`` ``100％`` ``１００％`` or a bare ``100``;
  empty means none.  Several percentages stacked in one cell go to the
  cell's items (level 0/1) in order; one percentage for several numbered
  items goes to each of them (to a plain paragraph only when it is first).  Text that is not a percentage is kept in 備註 with a
  warning.  A 完成程度 cell merged down several rows applies to each row.
* **備註** goes to the first item of its row.
* **Continued rows.**  A 辦理情形 cell marked ``continued`` (our spreadsheets
  cut a row that would pass Excel's 409 pt into several rows, the later
  ones with the cell style 續行) is the rest of the text of the row above:
  the texts are concatenated as they are (a cut at a line break keeps the
  ``\n`` at the end of the first piece) and read as one row, with that
  row's 完成程度 and 備註.

Nothing typed is dropped silently: text in a row before any 目, extra
columns, or rows that cannot be placed come back as warnings with file,
table/sheet and row number so that the import dialog can show them.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportError
from ..model import LEVEL_ITEM, LEVEL_PARAGRAPH, LEVEL_SUBITEM, Department, Entry, Item, Report, Section
from ..numbering import strip_prefix
from .source import (_OFFICE_LINE, _PUBLISHED, _WS, _YEAR, MAX_GRID_POSITIONS, DepartmentCounts, Grid,  # noqa: F401
                     apply_meta,
                     GridCell, GridTable, ImportResult, ImportWarning, Meta, Paragraph, SourceDocument, _nfkc_digits,
                     _short, _usable_department_hint, department_counts, find_meta, join_lines, squash)

if TYPE_CHECKING:
    from ..templates import Template


# --- text helpers ------------------------------------------------------------

def _title(text: str) -> tuple[str | None, str]:
    kind, rest = strip_prefix(join_lines(text))
    return kind, rest.strip()


def department_name(text: str) -> str:
    """``壹、民政部門`` / ``民 政 部 門`` / vertical ``民\\n政\\n部\\n門`` → ``民政部門``."""
    joined = join_lines(text)
    kind, rest = strip_prefix(joined)
    rest = rest.strip()
    if not re.search(r"[A-Za-z0-9]\s+[A-Za-z0-9]", rest):
        rest = _WS.sub("", rest)
    return rest


# --- 辦理情形 and 完成程度 ---------------------------------------------------------

_SP = r"[ \t\u3000]*"
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# At the start of a line: (level, number) and the prefix length.
_LINE_PREFIX = re.compile(
    rf"^{_SP}(?:"
    rf"[(（]{_SP}(?P<sub>\d{{1,3}}){_SP}[)）]{_SP}[、.．]?"
    rf"|(?P<circled>[{_CIRCLED}])"
    rf"|[(（]{_SP}(?P<cnitem>[{_CN}]{{1,3}}){_SP}[)）]{_SP}[、.．]?"
    rf"|(?P<cnsec>[{_CN}]{{1,3}}){_SP}、"
    rf"|(?P<item>\d{{1,3}}){_SP}(?:[、．]|\.(?!\d)|[)）])"
    rf"){_SP}"
)
# Inside a line, after sentence punctuation: the same forms, Arabic only.
_INLINE_PREFIX = re.compile(
    rf"(?<=[。；;！!？?：:]){_SP}(?:"
    rf"[(（]{_SP}(?P<sub>\d{{1,3}}){_SP}[)）]{_SP}[、.．]?"
    rf"|(?P<circled>[{_CIRCLED}])"
    rf"|(?P<item>\d{{1,3}}){_SP}(?:[、．]|\.(?!\d)|[)）])"
    rf"){_SP}"
)


def _cn_value(text: str) -> int:
    digits = "一二三四五六七八九"
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)
    return digits.index(text) + 1 if len(text) == 1 and text in digits else 0


def _prefix_level(match: re.Match) -> tuple[int, int]:
    groups = match.groupdict()
    if groups.get("sub"):
        return LEVEL_SUBITEM, int(groups["sub"])
    if groups.get("circled"):
        return LEVEL_SUBITEM, _CIRCLED.index(groups["circled"]) + 1
    if groups.get("item"):
        return LEVEL_ITEM, int(groups["item"])
    cn = groups.get("cnitem") or groups.get("cnsec") or ""
    return LEVEL_ITEM, _cn_value(cn)


@dataclass
class _Piece:
    level: int
    text: str
    number: int | None  # the typed number, None for a plain paragraph


def split_progress(text: str) -> list[_Piece]:
    """The entries typed into one 辦理情形 cell, in order (see the module doc)."""
    pieces: list[_Piece] = []
    last_item: int | None = None  # number of the last level-1 piece in this cell
    last_sub = 0
    after_blank = True
    for raw_line in (text or "").split("\n"):
        line = raw_line.strip(" \t\u3000")
        if not line:
            after_blank = True
            continue
        probe = _nfkc_digits(line)
        match = _LINE_PREFIX.match(probe)
        if match and match.end() < len(probe):
            level, number = _prefix_level(match)
            start = match.end()
        else:
            level, number, start = LEVEL_PARAGRAPH, None, 0
        # Inline splits: "…完成。2.辦理…", "…如下：(1)東區。(2)西區。"
        segments: list[tuple[int, int | None, int, int]] = []  # level, number, text start, text end
        seg_level, seg_number, seg_start = level, number, start
        item_seen, sub_seen = last_item, last_sub
        if seg_level == LEVEL_ITEM:
            item_seen, sub_seen = seg_number, 0
        elif seg_level == LEVEL_SUBITEM:
            sub_seen = seg_number or 0
        pos = start
        while True:
            found = None
            for candidate in _INLINE_PREFIX.finditer(probe, pos):
                if candidate.end() >= len(probe):
                    break
                c_level, c_number = _prefix_level(candidate)
                if c_level == LEVEL_ITEM and c_number == (item_seen or 0) + 1:
                    found = (candidate, c_level, c_number)
                    break
                if c_level == LEVEL_SUBITEM and c_number == sub_seen + 1:
                    found = (candidate, c_level, c_number)
                    break
            if not found:
                segments.append((seg_level, seg_number, seg_start, len(probe)))
                break
            candidate, c_level, c_number = found
            segments.append((seg_level, seg_number, seg_start, candidate.start()))
            seg_level, seg_number, seg_start = c_level, c_number, candidate.end()
            if c_level == LEVEL_ITEM:
                item_seen, sub_seen = c_number, 0
            else:
                sub_seen = c_number
            pos = candidate.end()
        for s_level, s_number, s_start, s_end in segments:
            piece_text = line[s_start:s_end].strip(" \t\u3000")
            if s_level == LEVEL_PARAGRAPH and pieces and not after_blank:
                pieces[-1].text += "\n" + piece_text  # a wrapped line continues its entry
            elif piece_text:
                pieces.append(_Piece(s_level, piece_text, s_number))
            if s_level == LEVEL_ITEM:
                last_item, last_sub = s_number, 0
            elif s_level == LEVEL_SUBITEM:
                last_sub = s_number or 0
        after_blank = False
    return pieces


_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*[%％]")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*$")


def parse_completions(text: str) -> tuple[list[int], list[str], str]:
    """``(percentages, problems, leftover text)`` from one 完成程度 cell."""
    values: list[int] = []
    problems: list[str] = []
    leftover: list[str] = []
    for raw_line in (text or "").split("\n"):
        line = unicodedata.normalize("NFKC", raw_line).strip()
        if not line:
            continue
        found = _PERCENT.findall(line)
        if not found:
            bare = _BARE_NUMBER.match(line)
            found = [bare.group(1)] if bare else []
        if not found:
            leftover.append(raw_line.strip())
            continue
        for number in found:
            value = round(float(number))
            if 0 <= value <= 100:
                values.append(value)
            else:
                problems.append(f"完成程度「{number}%」超出 0–100，已略過")
        rest = _PERCENT.sub("", line).strip(" ,，、;；")
        if rest and not _BARE_NUMBER.match(line):
            leftover.append(rest)
    return values, problems, "\n".join(leftover)


# --- the recogniser -----------------------------------------------------------

_HEADER_PROGRESS = "辦理情形"
_HEADER_WORDS = {"計畫名稱", "類", "項", "目", "辦理情形", "備註", "類別", "項目"}


def _is_completion_header(word: str) -> bool:
    return word.startswith(("完成程度", "完成率", "完成百分比", "執行率", "達成率"))


@dataclass
class _Columns:
    klass: int | None
    section: int | None
    item: int
    progress: int
    completion: int | None
    remark: int | None
    header_start: int  # first row of the header
    header_end: int  # last row of the header

    def known(self) -> set[int]:
        return {c for c in (self.klass, self.section, self.item, self.progress, self.completion, self.remark) if c is not None}


class _Table(GridTable):
    """A grid with a position → cell lookup, and the default layout's header."""

    def find_columns(self) -> _Columns | None:
        for r in self.row_numbers:
            progress = next((c for c in self.rows[r] if squash(c.text) == _HEADER_PROGRESS
                             or squash(c.text).startswith(_HEADER_PROGRESS)), None)
            if progress is None:
                continue
            found: dict[str, GridCell] = {}
            for rr in range(r - 1, r + 3):
                for cell in self.rows.get(rr, []):
                    word = squash(cell.text)
                    if word in ("類", "類別") and "klass" not in found:
                        found["klass"] = cell
                    elif word == "項" and "section" not in found:
                        found["section"] = cell
                    elif word in ("目", "項目") and "item" not in found:
                        found["item"] = cell
                    elif _is_completion_header(word) and "completion" not in found:
                        found["completion"] = cell
                    elif word == "備註" and "remark" not in found:
                        found["remark"] = cell
            if "item" not in found:
                continue
            header_cells = [progress, *found.values()]
            return _Columns(
                klass=found["klass"].col if "klass" in found else None,
                section=found["section"].col if "section" in found else None,
                item=found["item"].col,
                progress=progress.col,
                completion=found["completion"].col if "completion" in found else None,
                remark=found["remark"].col if "remark" in found else None,
                header_start=min(c.row for c in header_cells),
                header_end=max(c.row + c.rowspan - 1 for c in header_cells),
            )
        return None


class _Builder:
    """Walks the body rows of every table and builds the report."""

    def __init__(self, source: SourceDocument):
        self.source = source
        self.path = source.path
        self.report = Report()
        self.warnings: list[ImportWarning] = list(source.warnings)
        self.department: Department | None = None
        self.section: Section | None = None
        self.item: Item | None = None
        self.section_raw = ""
        self.item_raw = ""
        self.meta_texts: list[str] = []
        self.grid_hint = ""
        self.last_row: _LastRow | None = None  # what the last data row added, for continued rows

    def warn(self, grid: Grid | None, row: int | None, message: str) -> None:
        self.warnings.append(ImportWarning(
            str(self.path), grid.place if grid else "",
            None if row is None else row + (grid.first_row_number if grid else 1), message))

    # structure -----------------------------------------------------------------

    def open_department(self, name: str) -> Department:
        existing = self.report.department_named(name) if name else None
        if existing is not None and existing is self.department:
            return existing
        if existing is None:
            existing = Department(name=name)
            self.report.departments.append(existing)
        self.department = existing
        self.section = existing.sections[-1] if existing.sections else None
        self.item = self.section.items[-1] if self.section and self.section.items else None
        self.section_raw = self.item_raw = ""
        return existing

    def open_section(self, raw: str, grid: Grid, row: int) -> Section:
        department = self.department
        if department is None:
            self.warn(grid, row, f"項「{join_lines(raw)}」之前沒有類（部門），已放入未命名部門")
            department = self.open_department("")
        _, title = _title(raw)
        section = self.section = Section(title=title)
        department.sections.append(section)
        self.section_raw = squash(raw)
        self.item = None
        self.item_raw = ""
        return section

    def open_item(self, raw: str, grid: Grid, row: int) -> None:
        section = self.section
        if section is None:
            self.warn(grid, row, f"目「{join_lines(raw)}」之前沒有項，已放入未命名的項")
            section = self.open_section("", grid, row)
        kind, title = _title(raw)
        self.item = Item(title=title, numbered=kind is not None)
        section.items.append(self.item)
        self.item_raw = squash(raw)

    # rows ----------------------------------------------------------------------

    def table(self, grid: Grid) -> bool:
        table = _Table(grid, self.path)
        columns = table.find_columns()
        if columns is None:
            self.meta_texts.extend(c.text for c in grid.cells if c.text.strip())
            return False
        # Rows above the header: titles (office, year) and the 類 label.
        hint = grid.name_hint
        for r in table.row_numbers:
            if r >= columns.header_start:
                break
            for cell in table.rows[r]:
                text = cell.text.strip()
                if not text:
                    continue
                self.meta_texts.append(text)
                kind, _ = strip_prefix(join_lines(text))
                if kind == "department" or (not _YEAR.search(_nfkc_digits(text)) and "部門" in text):
                    hint = department_name(text)
        hint = hint if _usable_department_hint(hint) else ""
        if columns.klass is None:
            name = department_name(hint) if hint else ""
            if not name:
                self.warn(grid, None, "找不到部門名稱（沒有「類」欄，也沒有工作表名稱或表格前的標題）")
            self.open_department(name)
        self.grid_hint = hint
        for r in table.row_numbers:
            if r <= columns.header_end:
                continue
            self.body_row(table, columns, r)
        return True

    def body_row(self, table: _Table, columns: _Columns, r: int) -> None:
        grid = table.grid
        starting = [c for c in table.rows[r] if c.text.strip()]
        if not starting:
            return
        words = {squash(c.text) for c in starting}
        if words & {_HEADER_PROGRESS, "計畫名稱"} or words <= {"類", "項", "目", "類別", "項目"}:
            return  # a header row repeated where a page broke
        # One cell across the whole table: a title or divider row, not data.
        if len(starting) == 1 and starting[0].colspan >= max(2, table.width - 1):
            text = starting[0].text.strip()
            normalised = _nfkc_digits(text)
            if _YEAR.search(normalised) or _PUBLISHED.search(normalised):
                self.meta_texts.append(text)
                return
            kind, _ = strip_prefix(join_lines(text))
            if kind == "department" or "部門" in text:
                self.open_department(department_name(text))
                return
            self.warn(grid, r, f"無法歸屬的整列文字「{_short(text)}」，未匯入")
            return

        klass, klass_new = table.at(r, columns.klass)
        if columns.klass is not None:
            if klass is not None and klass_new and klass.text.strip():
                self.open_department(department_name(klass.text))
            elif self.department is None:
                name = department_name(klass.text) if klass is not None and klass.text.strip() else department_name(self.grid_hint or "")
                if not name:
                    self.warn(grid, r, "找不到部門名稱，已放入未命名部門")
                self.open_department(name)

        section, section_new = table.at(r, columns.section)
        if columns.section is not None:
            text = section.text if section is not None else ""
            if section_new and text.strip() and (squash(text) != self.section_raw or self.section is None):
                self.open_section(text, grid, r)
            elif self.section is None and text.strip():
                self.open_section(text, grid, r)

        item, item_new = table.at(r, columns.item)
        text = item.text if item is not None else ""
        if item_new and text.strip() and (squash(text) != self.item_raw or self.item is None):
            self.open_item(text, grid, r)
        elif self.item is None and text.strip():
            self.open_item(text, grid, r)

        progress, progress_new = table.at(r, columns.progress)
        completion, completion_new = table.at(r, columns.completion)
        remark, remark_new = table.at(r, columns.remark)
        progress_text = progress.text if progress is not None and progress_new else ""
        completion_text = completion.text if completion is not None and (completion_new or progress_text.strip()) else ""
        remark_text = remark.text.strip() if remark is not None and remark_new else ""
        last = self.last_row
        here = r
        if (progress is not None and progress_new and progress.continued and last is not None and last.grid is grid
                and last.item is self.item and self.item is not None and last.entries
                and all(a is b for a, b in zip(self.item.entries[-len(last.entries):], last.entries))):
            # The rest of the row above: take back what it added and read both as one.
            del self.item.entries[len(self.item.entries) - len(last.entries):]
            del self.warnings[last.warnings:]
            r = last.row
            progress_text = last.progress + progress_text
            completion_text, remark_text = last.completion, last.remark
        self.last_row = None
        original_completion, remark_original = completion_text, remark_text

        for cell in starting:
            if cell.col not in columns.known() and not any(
                    col is not None and cell.col <= col < cell.col + cell.colspan for col in columns.known()):
                self.warn(grid, here, f"第 {cell.col + 1} 欄不屬於報告表格，內容「{_short(cell.text)}」未匯入")
        warnings_before = len(self.warnings)

        if self.item is None and self.section is not None and (progress_text.strip() or completion_text.strip()):
            # A 項 without any 目 (the 目 cell left empty): a lone unnumbered 目 named like the 項.
            self.warn(grid, r, f"項「{self.section.title}」的目欄空白，已建立同名的未編號目")
            self.item = Item(title=self.section.title, numbered=False)
            self.section.items.append(self.item)
            self.item_raw = ""

        pieces = split_progress(progress_text)
        values, problems, leftover = parse_completions(completion_text)
        for problem in problems:
            self.warn(grid, r, problem)
        if not pieces:
            if values or leftover or remark_text:
                what = "、".join(p for p in (
                    "完成程度" if values or leftover else "", "備註" if remark_text else "") if p)
                self.warn(grid, r, f"這一列有{what}但沒有辦理情形，未匯入")
            return
        if self.item is None:
            for piece in pieces:
                self.warn(grid, r, f"無法歸屬的辦理情形（之前沒有項、目）「{_short(piece.text)}」，未匯入")
            return
        entries = [Entry(level=p.level, text=p.text) for p in pieces]
        heads = [e for e in entries if e.level != LEVEL_SUBITEM] or entries
        if values:
            if len(values) == len(heads):
                targets = heads
            elif len(values) == len(entries):
                targets = entries
            elif (subs := [e for e in entries if e.level == LEVEL_SUBITEM]) and len(values) == len(subs):
                # One percentage beside each sub-item, none beside the item
                # (兵役 (八) 替代役管理 in the published report).
                targets = subs
            elif len(values) == 1:
                # One percentage for a cell of several numbered items: each
                # item gets it; a plain paragraph only when it comes first.
                targets = [e for e in heads if e.level == LEVEL_ITEM] or heads[:1]
                values = values * len(targets)
            else:
                targets = heads
                self.warn(grid, r, f"完成程度有 {len(values)} 個百分比，辦理情形有 {len(heads)} 項，已依序對應")
            for entry, value in zip(targets, values):
                entry.completion = value
        if leftover:
            self.warn(grid, r, f"完成程度「{_short(leftover)}」不是百分比，已移到備註")
            remark_text = "\n".join(t for t in (leftover, remark_text) if t)
        if remark_text:
            heads[0].remark = remark_text
        self.item.entries.extend(entries)
        self.last_row = _LastRow(grid, r, self.item, entries, progress_text, original_completion,
                                 remark_original, warnings_before)


@dataclass
class _LastRow:
    grid: Grid
    row: int
    item: Item
    entries: list[Entry]
    progress: str
    completion: str
    remark: str
    warnings: int  # len(warnings) before the row was read


def recognise(
    source: SourceDocument,
    *,
    office: str | None = None,
    roc_year: int | None = None,
    require_year: bool = True,
) -> ImportResult:
    """The report in ``source``; raises ReportError when there is no report table."""
    builder = _Builder(source)
    found = False
    for grid in source.grids:
        found = builder.table(grid) or found
    path = source.path
    if not found:
        raise ReportError("找不到工作總報告的表格（表頭需有「目」與「辦理情形」等欄）", path)
    report = builder.report
    if not any(d.sections for d in report.departments):
        raise ReportError("工作總報告的表格中沒有任何項、目", path)
    report.departments = [d for d in report.departments if d.sections or d.name]

    meta = find_meta(source.texts + builder.meta_texts, path.stem)
    year_found = apply_meta(
        report, meta, lambda message: builder.warn(None, None, message), office=office, roc_year=roc_year,
        require_year=require_year, path=path,
        year_missing="找不到報告年度（如封面或標題的「109 年度工作總報告」），請在檔案中加上標題後再匯入")
    for department in report.departments:
        if not department.name:
            builder.warn(None, None, "有部門沒有名稱，請匯入後填寫")
    return ImportResult(report, builder.warnings, department_counts(report), path, year_found)


# --- entry points shared by the format readers ---------------------------------

def _loader(path: Path) -> Callable[[Path], SourceDocument]:
    from importlib import import_module

    from . import IMPORTERS

    suffix = path.suffix.lower()
    if suffix not in IMPORTERS:
        raise ReportError(f"無法匯入這種檔案（副檔名 {suffix or '無'}）", path)
    return import_module(f"{__package__}.{IMPORTERS[suffix]}").load


def has_default_table(source: SourceDocument) -> bool:
    """Whether any table of ``source`` has the default layout's header (目 and 辦理情形)."""
    return any(_Table(grid, source.path).find_columns() is not None for grid in source.grids)


def recognise_any(source: SourceDocument, *, template: "Template | None" = None, office: str | None = None,
                  roc_year: int | None = None, require_year: bool = True) -> ImportResult:
    """The default layout when a table has its header (or ``template`` is the default), else the
    template whose headings the tables match (:mod:`.templated`), else a narrative template whose
    headings the paragraphs follow (:mod:`.narrative`); only ``template`` when one is given."""
    options: dict[str, Any] = {"office": office, "roc_year": roc_year, "require_year": require_year}
    if template is None and has_default_table(source) or template is not None and template.is_default:
        return recognise(source, **options)
    from .narrative import recognise_narrative
    from .templated import recognise_templated

    result = None
    if template is None or template.layout == "table":
        result = recognise_templated(source, template, **options)
    if result is None and (template is None or template.layout == "narrative"):
        result = recognise_narrative(source, template, **options)
    if result is not None:
        return result
    if template is not None:
        raise ReportError(f"找不到「{template.name}」範本的表格（表頭需有"
                          f"{'、'.join('「' + h + '」' for h in _headers(template)[:4])}等欄）", source.path)
    return recognise(source, **options)  # its refusal: no table of the default layout either


def _headers(template: "Template") -> list[str]:
    from ..rows import headers

    return headers(template)


def read_with_report(path: str | os.PathLike[str], *, office: str | None = None, roc_year: int | None = None,
                     require_year: bool = True, template: "Template | None" = None) -> ImportResult:
    """Import a .docx/.xlsx/.odt/.ods (or .json): the report, the warnings and counts per department.

    ``office`` / ``roc_year`` override what the file says; with
    ``require_year=False`` a file without any year gives ``roc_year == 0``,
    ``year_found == False`` and a warning instead of a ReportError (the import
    dialog then asks for the year).  A document whose tables are not in the
    default layout is read under the built-in template its headings match
    (:mod:`.templated`), or under ``template`` when one is given.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":  # lossless already: nothing to recognise or warn about
        from ..interchange import read_json

        report = read_json(path)
        if office is not None:
            report.office = office
        if roc_year is not None:
            report.roc_year = roc_year
        return ImportResult(report, [], department_counts(report), path)
    try:
        source = _loader(path)(path)
        return recognise_any(source, template=template, office=office, roc_year=roc_year, require_year=require_year)
    except RecursionError:  # the XML depth limit (safety.MAX_XML_DEPTH) should come first
        from .safety import MSG_TOO_DEEP

        raise ReportError(MSG_TOO_DEEP, path) from None


def read(path: str | os.PathLike[str], *, office: str | None = None, roc_year: int | None = None,
         template: "Template | None" = None) -> Report:
    return read_with_report(path, office=office, roc_year=roc_year, template=template).report
