"""Recognise a table laid out by a report template other than the default (issue 19).

:mod:`.official` reads the default layout (類 項 目 辦理情形 完成程度 備註).  A
document whose tables are not in it — a 區公所's 重要施政項目 table, a 施政績效 KPI
sheet, an office's own ``.awt`` layout — is read here from the same
:class:`~.official.SourceDocument` the format loaders (docx, odt, xlsx, ods)
hand over, merges already resolved into row/column spans.

How a table is read
-------------------
* **Header.**  Every template's table headings (:func:`app.rows.headers`:
  a column level's heading, then each column's) are looked for in every band
  of three rows of every grid; a heading cell matches when its text equals
  the heading after spaces, line breaks and full-width forms are taken out
  (``預算\\n金額``, ``預 算 金 額``, ``（元）`` / ``(%)`` unit suffixes ignored).
  A missing 項次 or computed column is fine (the program numbers and
  computes them); a missing stored column is one warning.
  A group heading row (預算執行情形 spanning 預算金額 執行金額 執行率) belongs to
  the header; the header ends at the last row of its matched cells (headings
  merged vertically over the two rows count once).  The template matching
  the most headings (at least two, and at least half of its own) wins; with
  ``template=`` only that one is tried.  Headings of the template the table
  lacks are one warning each; a column the template does not have is one
  warning per cell with text, never read into another column.
* **Rows above the header** (title rows: 「嘉義市東區區公所 113 年度重要施政項目
  執行情形」) and the texts outside tables give the office and year: the
  default's 「… 年度工作總報告」, the template's cover title or running header
  with its ``{roc_year}`` as a number, or any 「113 年度」.
* **Heading rows.**  A row with one cell merged across the table, or whose
  only text starts with a heading level's number (壹、民政業務 typed in the
  項次 or the 名稱 column of a table without merges), or is a non-number in
  a first 項次 column, opens a node of that heading level (the top one when
  its number says nothing).  A merged row holding a year is a title.
* **Column levels** (策略績效目標 beside its 衡量指標): a cell starting in the
  row with text opens a node, unless it repeats the text of the node above
  (a hand-typed table without merges); a vertically merged cell (one cell
  with a row span; python-docx and openpyxl give the text once, in its top
  row) or an empty cell continues the node above.  Numbers (壹、 一、 （一）
  甲、 1.) are stripped from titles; vertical text loses its line breaks.
* **Entries.**  Each other row with text is one entry (level 1) of the last
  level's node (app.editing.with_implicit adds the template's implicit 項/目).
  Every column's text goes through app.templates.check_value and
  kept_value; a value that does not fit (「12,34」 in 預算金額) is a warning
  naming the row and the column, and the cell stays empty; text kept by a
  money column that allows text (「由其他項目下勻支」) is a warning only when it
  holds digits (「12,34」: a mistyped amount, kept as typed).  A numeric
  cell of a spreadsheet is read as its number (``GridCell.number``; a
  percent-formatted 0.2 is 20%).  A text, unit, date or choice cell merged
  down several rows applies to each; a money/integer/percent cell merged
  down is counted once, in its first row (with a warning).  A numbered text
  column is split into entries by the column's own numbers (its first
  numbering → level 1 …; an unnumbered line continues the entry above).
* **Serial and computed columns** are read and checked, never stored: a
  項次 that is not its row's position and a 執行率 that differs from
  執行金額 ÷ 預算金額 (beyond the typed rounding) are warnings.

Narrative documents (headings and paragraphs without a table) are not
recognised yet: a file with no table of any template is refused with one
zh-TW line naming the file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..editing import with_implicit
from ..errors import ReportError
from ..model import NODE_CLASS, Department, Entry, Item, Node, Report, child_list, put_field
from ..numbering import strip_prefix
from ..rows import headers, items_of
from ..templates import (Checked, Column, Level, NumberFormat, Template, ValueProblem, builtin_templates, check_value,
                         compute, format_percent, kept_value, parse_percent)
from .source import (_PUBLISHED, _YEAR, Grid, apply_meta, GridCell, GridTable, ImportResult, ImportWarning, SourceDocument,
                     _short, _usable_department_hint, department_counts, find_meta, join_lines, squash)

HEADER_BAND = 3  # rows a header (a group row, the headings, a 單位 row) may take
HEADER_SEARCH_ROWS = 40  # how far down a grid its header may start (title rows above it)
_NUMERIC = ("money", "integer", "percent")
_PER_ROW = ("text", "unit", "date", "choice")  # a cell merged down applies to each row it spans


# --- headings --------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"[(（\[［〔][^()（）\[\]［］〔〕]{0,8}[)）\]］〕]$")


def normalise_heading(text: str) -> str:
    """A heading as matched: no spaces or line breaks, NFKC, no trailing 「（元）」「(%)」「%」 or 「：」."""
    word = squash(text)
    for _ in range(2):
        word = _UNIT_SUFFIX.sub("", word).rstrip("%:：")
    return word


def template_parts(template: Template) -> list[tuple[str, Level | Column]]:
    """(normalised heading, part) for each of the template's table columns, left to right."""
    return [(normalise_heading(heading), part) for heading, part in zip(headers(template), template.table_columns)]


@dataclass
class HeaderMatch:
    template: Template
    columns: dict[int, Level | Column]  # grid column → what it holds
    header_start: int
    header_end: int
    missing: list[str]  # headings of the template the table lacks
    words: set[str]  # every heading and group heading (a repeated header row in the body)

    @property
    def score(self) -> tuple[int, float]:
        total = len(self.columns) + len(self.missing)
        return len(self.columns), len(self.columns) / total if total else 0.0


def match_header(table: GridTable, template: Template) -> HeaderMatch | None:
    """The best header band of ``table`` for ``template``'s headings, or None."""
    parts = template_parts(template)
    by_word: dict[str, list[int]] = {}
    for index, (word, _part) in enumerate(parts):
        by_word.setdefault(word, []).append(index)
    groups = {normalise_heading(part.group) for _, part in parts if part.group}
    best: HeaderMatch | None = None
    for r in table.row_numbers[:HEADER_SEARCH_ROWS]:
        found: dict[int, tuple[GridCell, int]] = {}  # part index → (cell, its grid column)
        group_cells: list[GridCell] = []
        for rr in range(r, r + HEADER_BAND):
            for cell in table.rows.get(rr, []):
                word = normalise_heading(cell.text)
                if not word:
                    continue
                if word in groups and word not in by_word:
                    group_cells.append(cell)
                    continue
                for index in by_word.get(word, []):
                    if index not in found and all(c.col != cell.col for c, _ in found.values()):
                        found[index] = (cell, cell.col)
                        break
        if len(found) < 2 or len(found) * 2 < len(parts):
            continue
        cells = [c for c, _ in found.values()]
        start = min(c.row for c in cells + group_cells)
        match = HeaderMatch(
            template,
            {col: parts[index][1] for index, (_, col) in found.items()},
            start,
            max(c.row + c.rowspan - 1 for c in cells),
            [headers(template)[i] for i, (_, part) in enumerate(parts) if i not in found
             and not (isinstance(part, Column) and part.type in ("serial", "computed"))],
            set(by_word) | groups,
        )
        if best is None or match.score > best.score:
            best = match
        if not match.missing:
            break
    return best


def candidates(template: Template | None) -> list[Template]:
    if template is not None:
        return [template]
    return [t for t in builtin_templates() if not t.is_default and t.layout == "table"]


# --- numbers in titles --------------------------------------------------------------

_SYSTEM_CHARS = {
    "financial": "零壹貳貮參叁肆伍陸柒捌玖拾佰仟",
    "chinese": "零〇一二三四五六七八九十百千",
    "stem": "甲乙丙丁戊己庚辛壬癸",
}
_SP = r"[ \t\u3000]*"


def _number_pattern(numbering: NumberFormat) -> re.Pattern[str] | None:
    system = numbering.system
    if system in _SYSTEM_CHARS:
        digits = f"[{_SYSTEM_CHARS[system]}]{{1,6}}"
    elif system == "arabic":
        digits = r"\d{1,4}"
    elif system in ("latin_upper", "latin_lower"):
        digits = "[A-Za-z]{1,2}"
    else:
        return None
    punctuation = numbering.punctuation
    if punctuation in ("()", "（）"):
        body = rf"[(（]{_SP}{digits}{_SP}[)）]{_SP}[、.．]?"
    elif punctuation in (".", "．"):
        body = rf"{digits}{_SP}(?:[．、]|\.(?!\d))"
    elif punctuation == "、":
        body = rf"{digits}{_SP}[、，,]"
    else:
        body = rf"{digits}(?=[ \t\u3000])"
    return re.compile(rf"^{_SP}{body}{_SP}")


def _nfkc_digits(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch) if "０" <= ch <= "９" or "Ａ" <= ch <= "ｚ" else ch
                   for ch in text)


def own_number(numbering: NumberFormat, text: str) -> tuple[bool, str]:
    """Whether ``text`` starts with a number of this level's form, and the text without it."""
    pattern = _number_pattern(numbering)
    probe = _nfkc_digits(text)
    if pattern is not None:
        match = pattern.match(probe)
        if match and match.end() < len(probe):
            return True, text[match.end():].strip()
    return False, text


_STEM_PREFIX = re.compile(rf"^{_SP}[{_SYSTEM_CHARS['stem']}]{_SP}[、，,]{_SP}")


def strip_title(level: Level, text: str) -> tuple[bool, str]:
    """A typed title without its number (the level's own form, or any the default knows: 壹、 一、
    (一) 1. (1), or 甲、); whether it had one."""
    joined = join_lines(text)
    found, rest = own_number(level.numbering, joined)
    if found:
        return True, rest
    kind, rest = strip_prefix(joined)
    if kind is not None:
        return True, rest.strip()
    match = _STEM_PREFIX.match(joined)
    if match and match.end() < len(joined):
        return True, joined[match.end():].strip()
    return False, joined.strip()


def _node_title(level: Level, depth: int, text: str) -> tuple[bool, str]:
    numbered, title = strip_title(level, text)
    if depth == 0 and not re.search(r"[A-Za-z0-9]\s+[A-Za-z0-9]", title):
        title = re.sub(r"[\s\u3000]+", "", title)  # vertical text 民\n政\n業\n務
    return numbered, title


def entry_level(column: Column | None, text: str) -> tuple[int, str]:
    """A numbered text's line: the level whose number it starts with (1 for the column's first
    numbering …) and the text without it, or (0, text) for a plain paragraph."""
    for number, numbering in enumerate(column.levels if column is not None else (), start=1):
        found, rest = own_number(numbering, text)
        if found:
            return number, rest
    return 0, text.strip()


def split_numbered(column: Column | None, text: str) -> list[Entry]:
    """A numbered text cell as entries: a line starting with one of the column's numbers starts an
    entry of that level; an unnumbered line continues the entry above (a wrapped line), or is a
    paragraph (level 0) at the start of the cell or after an empty line."""
    entries: list[Entry] = []
    after_blank = True
    for raw in text.split("\n"):
        line = raw.strip(" \t\u3000")
        if not line:
            after_blank = True
            continue
        level, rest = entry_level(column, line)
        if level == 0 and entries and not after_blank:
            entries[-1].text += "\n" + rest
        else:
            entries.append(Entry(level=level, text=rest))
        after_blank = False
    return entries


# --- values -------------------------------------------------------------------------


def _cell_input(column: Column, cell: GridCell) -> str:
    """What a cell says for ``column``: a spreadsheet's number as the number, else its text."""
    number = cell.number
    if number is not None and column.type in (*_NUMERIC, "computed") and not isinstance(number, bool):
        if cell.percent:
            number = number * 100
        if isinstance(number, float):
            number = round(number, 9)
            if number.is_integer():
                number = int(number)
        return f"{number}%" if cell.percent else str(number)
    return cell.text


def _text_value(column: Column, text: str) -> str:
    lines = [line.strip(" \t\u3000") for line in text.replace("\r\n", "\n").split("\n")]
    if column.type == "unit":
        return join_lines(text)
    return "\n".join(lines).strip("\n")


_NOTHING = {"", "-", "－", "—", "–", "─", "/", "／", "無", "N/A", "NA", "n/a", "—%"}


# --- the builder -----------------------------------------------------------------------


@dataclass
class _State:
    path: list[Node] = field(default_factory=list)  # the current node per template level
    raw: dict[int, str] = field(default_factory=dict)  # column levels: the squashed text of the current node
    serial: dict[str, int] = field(default_factory=dict)  # serial key → the last number given


class TemplateBuilder:
    def __init__(self, source: SourceDocument, template: Template):
        self.source = source
        self.path = source.path
        self.template = template
        self.report = Report()
        self.report.template = template
        self.warnings: list[ImportWarning] = list(source.warnings)
        self.meta_texts: list[str] = []
        self.state = _State()
        self.last = len(template.levels) - 1
        self.heading_depths = [d for d, level in enumerate(template.levels) if level.display == "heading"]
        self.entries = 0

    def warn(self, grid: Grid | None, row: int | None, message: str) -> None:
        self.warnings.append(ImportWarning(
            str(self.path), grid.place if grid else "",
            None if row is None else row + (grid.first_row_number if grid else 1), message))

    # structure ------------------------------------------------------------------------

    def open_node(self, depth: int, text: str, grid: Grid, row: int, *, raw: bool = True) -> Node:
        template = self.template
        level = template.levels[depth]
        if depth > 0 and len(self.state.path) < depth:
            self.ensure(depth - 1, grid, row, f"「{_short(join_lines(text))}」")
        numbered, title = _node_title(level, depth, text) if raw else (True, text)
        kind = template.level_kinds[depth]
        if depth == 0:
            current = self.state.path[0] if self.state.path else None
            if isinstance(current, Department) and current.name == title and title:
                del self.state.path[1:]
                return current  # the same 業務 again (a table continued after a page break)
            node: Node = Department(name=title)
            parent: Any = self.report
        else:
            node = NODE_CLASS[kind](title=title)
            if isinstance(node, Item):
                node.numbered = numbered or not level.may_be_unnumbered
            parent = self.state.path[depth - 1]
        child_list(parent).append(with_implicit(template, node))
        del self.state.path[depth:]
        self.state.path.append(node)
        for deeper in [d for d in self.state.raw if d >= depth]:
            del self.state.raw[deeper]
        for column in template.columns:
            if column.type == "serial" and column.restart == "parent" and depth <= self.last:
                self.state.serial[column.key] = 0
        return node

    def ensure(self, depth: int, grid: Grid, row: int, what: str) -> None:
        """Nodes down to ``depth`` exist (untitled ones made, with a warning, when the table lacks them)."""
        while len(self.state.path) <= depth:
            d = len(self.state.path)
            level = self.template.levels[d]
            name = ""
            if d == 0 and _usable_department_hint(grid.name_hint):
                name = _node_title(level, 0, grid.name_hint)[1]
            if not name:
                self.warn(grid, row, f"{what}之前沒有{level.name}，已放入未命名的{level.name}")
            self.open_node(d, name, grid, row, raw=False)

    # tables -----------------------------------------------------------------------------

    def table(self, grid: Grid, match: HeaderMatch | None) -> bool:
        table = GridTable(grid, self.path)
        if match is None:
            self.meta_texts.extend(c.text for c in grid.cells if c.text.strip())
            return False
        for r in table.row_numbers:
            if r >= match.header_start:
                break
            self.meta_texts.extend(c.text.strip() for c in table.rows[r] if c.text.strip())
        for heading in match.missing:
            self.warn(grid, None, f"表格中沒有「{heading}」欄，這一欄的值都是空的")
        self.state.raw.clear()
        for r in table.row_numbers:
            if r > match.header_end:
                self.row(table, match, r)
        return True

    def _heading_depth(self, text: str) -> int | None:
        """The heading level (top first) whose own number ``text`` starts with, or None."""
        for depth in self.heading_depths:
            if own_number(self.template.levels[depth].numbering, join_lines(text))[0]:
                return depth
        return None

    def row(self, table: GridTable, match: HeaderMatch, r: int) -> None:
        grid = table.grid
        starting = [c for c in table.rows[r] if c.text.strip()]
        if not starting:
            return
        if all(normalise_heading(c.text) in match.words for c in starting):
            return  # the header again, where a page broke
        first_col = min(match.columns)
        lone = starting[0] if len(starting) == 1 else None
        if lone is not None:
            text = lone.text.strip()
            across = lone.colspan >= max(2, table.width - 1)
            first_part = match.columns[first_col]
            first = lone.col <= first_col and lone.col not in match.columns or (
                lone.col == first_col and isinstance(first_part, Column) and first_part.type == "serial"
                and not re.fullmatch(r"\s*\d+\s*", _nfkc_digits(text)))
            numbered_depth = self._heading_depth(text)
            if across or numbered_depth is not None or first:
                normalised = _nfkc_digits(text)
                if across and (_YEAR.search(normalised) or _PUBLISHED.search(normalised)
                               or re.search(r"\d{2,3}\s*年度", normalised)):
                    self.meta_texts.append(text)
                    return
                depth = numbered_depth if numbered_depth is not None else (
                    self.heading_depths[0] if self.heading_depths else None)
                if depth is None:
                    self.warn(grid, r, f"無法歸屬的整列文字「{_short(text)}」（範本沒有標題層級），未匯入")
                    return
                self.open_node(depth, text, grid, r)
                return

        # columns the template does not have
        for cell in starting:
            if cell.col not in match.columns and not any(
                    cell.col <= col < cell.col + cell.colspan for col in match.columns):
                self.warn(grid, r, f"第 {cell.col + 1} 欄不屬於「{self.template.name}」範本的表格，"
                                   f"內容「{_short(cell.text)}」未匯入")

        # column levels
        depths = {part: d for d, part in enumerate(self.template.levels)}
        for col, part in sorted(match.columns.items()):
            if not isinstance(part, Level):
                continue
            depth = depths[part]
            level_cell, new = table.at(r, col)
            text = level_cell.text if level_cell is not None else ""
            if new and text.strip() and (squash(text) != self.state.raw.get(depth) or len(self.state.path) <= depth):
                self.open_node(depth, text, grid, r)
                self.state.raw[depth] = squash(text)

        # the entry
        values: dict[str, Any] = {}
        numbered_text: str | None = None
        typed: dict[str, tuple[Column, str]] = {}  # serial / computed: what was typed
        problems: list[str] = []
        any_text = False
        for col, part in sorted(match.columns.items()):
            if not isinstance(part, Column):
                continue
            value_cell, new = table.at(r, col)
            if value_cell is None or not value_cell.text.strip() and value_cell.number is None:
                continue
            cell = value_cell
            if not new:
                if part.type not in _PER_ROW or cell.row < match.header_end + 1:
                    continue
            elif cell.rowspan > 1 and part.type in _NUMERIC:
                self.warn(grid, r, f"「{part.heading}」的儲存格跨 {cell.rowspan} 列，只計入第一列")
            text = _cell_input(part, cell)
            if part.type in ("serial", "computed"):
                typed[part.key] = (part, text)
                continue
            any_text = True
            if part.type == "numbered_text":
                numbered_text = text
                continue
            if part.type in ("text", "unit"):
                text = _text_value(part, text)
            checked = check_value(part, text)
            if checked.problem and part.allow_text and part.type in _NUMERIC and text.strip():
                # the window refuses a mistyped number (「12,34」) as it is typed; a file's cell is kept
                # as the text it is (a column that allows text), and said below — nothing is lost
                checked = Checked(text.strip(), text.strip())
            if checked.problem:
                problems.append(f"第 {col + 1} 欄「{part.heading}」：{checked.problem}，此格未匯入")
                continue
            try:
                value = kept_value(part, checked.value)
            except ValueProblem as problem:
                problems.append(f"第 {col + 1} 欄「{part.heading}」：{problem}，此格未匯入")
                continue
            if value is not None:
                values[part.key] = value
                if isinstance(value, str) and part.type in _NUMERIC and re.search(r"\d", value):
                    problems.append(f"第 {col + 1} 欄「{part.heading}」的「{_short(value)}」不是"
                                    f"{'金額' if part.type == 'money' else '數字'}，已當作文字保留")
        for line in problems:
            self.warn(grid, r, line)
        if not any_text:
            if typed and any(text.strip() for _, text in typed.values()):
                self.warn(grid, r, "這一列只有項次或計算欄，沒有其他內容，未匯入")
            return
        self.ensure(self.last, grid, r, "這一列資料")
        item = items_of(self.state.path[self.last])[-1]
        entries: list[Entry] = []
        if numbered_text is not None:
            entries = split_numbered(self.template.text_column, numbered_text)
        if not entries:
            entries = [Entry()]
        for key, value in values.items():
            put_field(entries[0], key, value)
        item.entries.extend(entries)
        self.entries += len(entries)
        self.check_generated(grid, r, typed, entries[0])

    def check_generated(self, grid: Grid, r: int, typed: dict[str, tuple[Column, str]], entry: Entry) -> None:
        row_values = {column.key: (entry.values.get(column.key) if column.key not in Entry.FIELDS
                                   else getattr(entry, column.key)) for column in self.template.stored_columns}
        for column in self.template.columns:
            if column.type == "serial":
                self.state.serial[column.key] = self.state.serial.get(column.key, 0) + 1
                expected = column.levels[0].format(self.state.serial[column.key])
                text = typed.get(column.key, (column, ""))[1].strip()
                if text and squash(text) != squash(expected):
                    self.warn(grid, r, f"「{column.heading}」寫的是「{_short(text)}」，依位置應為 {expected}，已依位置編號")
            elif column.type == "computed" and column.key in typed:
                text = typed[column.key][1].strip()
                if squash(text) in _NOTHING:
                    continue
                result = compute(column, row_values)
                try:
                    number = parse_percent(text)
                except ValueProblem:
                    self.warn(grid, r, f"「{column.heading}」的「{_short(text)}」不是百分比，由程式依"
                                       f"「{self.template.column(column.numerator).heading}」÷"
                                       f"「{self.template.column(column.denominator).heading}」計算")
                    continue
                if result is None:
                    self.warn(grid, r, f"「{column.heading}」寫了 {_short(text)}，但無法由本列的值計算（已略過）")
                    continue
                places = len(text.split(".")[1].rstrip("%％ ")) if "." in text else 0
                if abs(result - number) > 0.5 * 10 ** -places + 1e-9:
                    self.warn(grid, r, f"「{column.heading}」寫的是 {_short(text)}，依本列數值計算為 "
                                       f"{format_percent(result, column.decimals)}，以計算結果為準")


# --- office and year --------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str] | None:
    """A cover/header pattern (``{office}施政報告``, ``{roc_year} 年度``) as a regex over a whole line,
    with groups ``office`` and ``year``; None for a pattern that says nothing by itself."""
    parts = re.split(r"(\{(?:office|roc_year|published)\})", pattern)
    literal = "".join(p for p in parts if not p.startswith("{")).strip()
    if not literal or ("{office}" not in parts and "{roc_year}" not in parts):
        return None
    out, seen = [], set()
    for part in parts:
        if part == "{office}" and "office" not in seen:
            out.append(r"(?P<office>\S.{0,39}?)")
            seen.add("office")
        elif part == "{roc_year}" and "year" not in seen:
            out.append(r"(?P<year>\d{2,3})")
            seen.add("year")
        elif part.startswith("{"):
            out.append(".*?")
        else:
            out.append("".join(r"\s*" if ch.isspace() else re.escape(ch) + r"\s*" for ch in part))
    return re.compile(r"\s*" + "".join(out) + r"\s*")


_ANY_YEAR = re.compile(r"(?<![\d])(\d{2,3})\s*年\s*度")


def find_template_meta(texts: Sequence[str], template: Template, filename: str = ""):
    """Office, year and publication from the cover, title rows and headers: the template's own
    cover title, cover lines and running header (``{office}``/``{roc_year}`` read back), then what
    the default layout reads (「… 年度工作總報告」, 中華民國 … 年 … 月), then any 「113 年度」."""
    meta = find_meta(list(texts), "")
    patterns = [regex for regex in map(_pattern_regex, (template.cover.title, *template.cover.lines,
                                                          template.running_header, template.contents.title))
                if regex is not None]
    office, year = None, None
    lines = [re.sub(r"[\s\u3000]+", " ", unicodedata.normalize("NFKC", raw or "")).strip() for raw in texts]
    for text in lines:
        for regex in patterns:
            match = regex.fullmatch(text)
            if not match:
                continue
            found = match.groupdict()
            if found.get("office") and office is None:
                office = found["office"].strip()
            if found.get("year") and year is None:
                year = int(found["year"])
    if year is None:
        for text in lines:
            match = _ANY_YEAR.search(text)
            if match and not re.search(r"中華民國\s*$", text[: match.start()]):
                year = int(match.group(1))
                before = text[: match.start()].strip(" ：:")
                if office is None and meta.office is None and 2 <= len(before) <= 40:
                    office = before.replace(" ", "")
                break
    if year is None and filename:
        match = _ANY_YEAR.search(unicodedata.normalize("NFKC", filename))
        if match:
            year = int(match.group(1))
    if meta.roc_year is None:
        meta.roc_year = year
    if office is not None and (meta.office is None or template.cover.title.startswith("{office}")):
        meta.office = office
    return meta


# --- the entry point ---------------------------------------------------------------------


def best_match(source: SourceDocument, path, template: Template | None) -> tuple[Template, list[HeaderMatch | None]] | None:
    """The template whose headings the document's tables match best, and each grid's match."""
    tables = [GridTable(grid, path) for grid in source.grids]
    best: tuple[tuple[int, float], Template, list[HeaderMatch | None]] | None = None
    for candidate in candidates(template):
        matches = [match_header(table, candidate) for table in tables]
        scores = [m.score for m in matches if m is not None]
        if not scores:
            continue
        score = max(scores)
        if best is None or score > best[0]:
            best = (score, candidate, matches)
    return None if best is None else (best[1], best[2])


def recognise_templated(source: SourceDocument, template: Template | None = None, *, office: str | None = None,
                        roc_year: int | None = None, require_year: bool = True) -> ImportResult | None:
    """The report in ``source`` under the best-matching template (or ``template``); None when no
    table of any candidate template is found."""
    path = source.path
    found = best_match(source, path, template)
    if found is None:
        return None
    chosen, matches = found
    builder = TemplateBuilder(source, chosen)
    for grid, match in zip(source.grids, matches):
        builder.table(grid, match)
    report = builder.report
    if builder.entries == 0:
        raise ReportError(f"「{chosen.name}」的表格中沒有任何資料列", path)
    meta = find_template_meta(source.texts + builder.meta_texts, chosen, path.stem)
    year_found = apply_meta(
        report, meta, lambda message: builder.warn(None, None, message), office=office, roc_year=roc_year,
        require_year=require_year, path=path,
        year_missing="找不到報告年度（如標題的「113 年度重要施政項目執行情形」），請在檔案中加上標題後再匯入")
    top = chosen.levels[0].name
    if any(not d.name for d in report.departments):
        builder.warn(None, None, f"有{top}沒有名稱，請匯入後填寫")
    return ImportResult(report, builder.warnings, department_counts(report), path, year_found)


def entry_word(template: Template) -> str:
    """What one entry of ``template`` is called in counts: a row of a table, a paragraph of a narrative."""
    return "段" if template.layout == "narrative" else "列"


def template_counts(report: Report) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """For the import preview of a report in a non-default template: headings (the template's level
    names, then 列 or 段) and per top-level node its name and how many nodes of each lower level
    and entries it holds (implicit levels are not counted)."""
    template = report.template
    names = tuple(level.name for level in template.levels) + (entry_word(template),)
    rows = []
    for department in report.departments:
        counts = [0] * (len(template.levels) - 1)
        if len(template.levels) > 1:
            counts[0] = len(department.sections)
        if len(template.levels) > 2:
            counts[1] = sum(len(s.items) for s in department.sections)
        entries = sum(len(item.entries) for item in items_of(department))
        rows.append((department.name or "（未命名）", *map(str, counts), str(entries)))
    return names, rows


def template_summary(report: Report) -> str:
    """「範本「重要施政項目（預算執行）」：2 個業務、3 列」 for the import preview."""
    template = report.template
    names, rows = template_counts(report)
    totals = [len(rows)] + [sum(int(row[i]) for row in rows) for i in range(1, len(names))]
    parts = [f"{total} 個{name}" for total, name in zip(totals[:-1], names[:-1])]
    return f"範本「{template.name}」：{'、'.join(parts)}、{totals[-1]} {names[-1]}"


__all__ = ["HeaderMatch", "TemplateBuilder", "best_match", "entry_word", "find_template_meta", "match_header",
           "normalise_heading", "recognise_templated", "strip_title", "template_counts", "template_summary"]
