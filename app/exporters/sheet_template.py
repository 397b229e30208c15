"""A report of any non-default template as one spreadsheet sheet (issue 19): the plan
that :mod:`app.exporters.xlsx_template` and :mod:`app.exporters.ods_template` both
write, and the CSV rows of :mod:`app.exporters.csv_export` for such a report.

The default template (「區公所年度工作總報告」) keeps its own exporters
(app/exporters/xlsx.py, ods.py, csv_export.py: a 目錄 and one sheet per 類,
calibrated page by page); every other template is laid out here from
:func:`app.rows.blocks`, so the sheets show what the window's table shows.

**A table template** is one sheet named after the template:

* row 1 the title (``template.title_text``, 16 pt bold), row 2 the office, each
  merged across the table;
* the header: one row, or two when a column (or a column level) has a
  ``group`` — 預算執行情形 merged over 預算金額 / 執行金額 / 執行率 in the
  first row, their headings in the second, every other heading merged down
  both rows; repeated on every printed page and frozen;
* then from the top of the report: a heading row for each node of a level shown
  as a heading (``壹、民政業務`` merged across the table, indented by depth),
  and one row per entry (a placeholder row for a last-level node without
  entries).  A column level (策略績效目標) is one cell merged down the rows of
  its node (:attr:`app.rows.Row.first`), cut where a heading row comes between.

Cells keep **values**, not shown texts: money an int with ``#,##0`` (a text
amount such as 「由其他項目下勻支」 stays text), integer an int with ``0``, a
percent the fraction (20 → 0.2) with ``0%`` / ``0.0%`` per the column's
decimals, a date a real date with the ROC format ``[$-404]e"年"m"月"d"日"``
(LibreOffice and Excel show 110年3月5日; in the .ods the date style's year
has ``number:calendar="ROC"``), a serial its number, a choice the ■/□ text
(``■市庫負擔 □補助款``; one choice a line when the column is too narrow for them side
by side).
A **computed** column is the only formula: ``=IF(AND(ISNUMBER(H5),
ISNUMBER(G5),G5<>0),H5/G5,"")`` with the percent format (a percent operand is
scaled back to its percentage so the ratio is :func:`app.templates.compute`'s).
Every text cell is a string, never a formula, whatever it begins with.

**A narrative template** is one sheet of one column: the title rows, then every
heading (壹、民政部門, 民政處部分, 甲、自治行政業務) and every paragraph of the
numbered text (一、… (一)… 1.… (1)…) in order, indented by level — headings
bold.

Row heights are computed (spreadsheets do not grow wrapped rows on open) with
the default exporter's text measure (:func:`app.exporters.sheet_base.line_count`);
a row is at most :data:`app.exporters.sheet_base.MAX_ROW_PT` tall — a text longer
than that is cut off in print (these templates' cells are short; the default
template's exporter cuts long rows into continued ones).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator

from ..layout import clean_text, text_values
from ..model import Report
from ..rows import Heading, Row, blocks, numbers, row_values, title_of
from ..templates import Column, Level, Template, format_percent
from .sheet_base import FONT_PT, LINE_PT, MAX_ROW_PT, ROW_PADDING_PT, TITLE_PT, capacity_em, line_count, sheet_names

#: Printable table width per orientation (A4 less margins).
TABLE_WIDTH_CM = {"portrait": 17.0, "landscape": 25.7}
TITLE_ROW, OFFICE_ROW = 1, 2  # 1-based
FIRST_HEADER_ROW = 3
ROC_DATE_FORMAT = '[$-404]e"年"m"月"d"日"'
MONEY_FORMAT = "#,##0"
INTEGER_FORMAT = "0"
HEADING_PT = 13
INDENT_EM = 2  # one indent step of the narrative, in characters


def percent_format(decimals: int) -> str:
    return "0%" if decimals <= 0 else "0." + "0" * decimals + "%"


@dataclass
class Ratio:
    """A computed column's formula: numerator / denominator (0-based sheet columns), each
    operand multiplied by its ``scale`` (100 for a percent operand: its cell holds the fraction,
    the ratio is of the percentages, as :func:`app.templates.compute`)."""

    numerator: int
    denominator: int
    numerator_scale: int = 1
    denominator_scale: int = 1


def ratio_formula(ratio: Ratio, ref, separator: str = ",") -> str:
    """The formula (without its ``=``) of a computed cell; ``ref(column)`` names an operand's cell
    in the same row (``H5``, ``[.H5]``): ``IF(AND(ISNUMBER(H5),ISNUMBER(G5),G5<>0),H5/G5,"")``."""
    top, bottom = ref(ratio.numerator), ref(ratio.denominator)
    scaled_top = top if ratio.numerator_scale == 1 else f"{top}*{ratio.numerator_scale}"
    scaled_bottom = bottom if ratio.denominator_scale == 1 else f"({bottom}*{ratio.denominator_scale})"
    s = separator
    return f'IF(AND(ISNUMBER({top}){s}ISNUMBER({bottom}){s}{bottom}<>0){s}{scaled_top}/{scaled_bottom}{s}"")'


@dataclass
class Cell:
    """One written cell (the first of a merged range)."""

    text: str  # as shown (the .ods cell's paragraph; the string of a text cell)
    kind: str = "text"  # text | money | integer | percent | date | serial | ratio
    value: Any = None  # int / float fraction / datetime.date; None for a text cell
    style: str = "body"  # title | office | header | heading | body | level
    align: str = "left"
    indent: int = 0
    decimals: int = 0
    ratio: Ratio | None = None
    bold: bool = False

    @property
    def number_format(self) -> str:
        if self.kind in ("money", "integer"):
            return MONEY_FORMAT  # 1,530: an integer with thousands separators, as money
        if self.kind == "serial":
            return INTEGER_FORMAT
        if self.kind in ("percent", "ratio"):
            return percent_format(self.decimals)
        if self.kind == "date":
            return ROC_DATE_FORMAT
        return "General"


@dataclass
class SheetPlan:
    """The sheet: cells by (row, column) 0-based, merged ranges, widths and print setup."""

    name: str
    widths_cm: list[float]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive, 0-based
    heights_pt: list[float] = field(default_factory=list)
    header_rows: tuple[int, int] | None = None  # first, last (0-based) repeated on every page
    orientation: str = "portrait"
    running_header: str = ""
    title: str = ""
    office: str = ""
    bordered_from: int = FIRST_HEADER_ROW - 1  # rows from here on are the bordered table

    @property
    def row_count(self) -> int:
        return len(self.heights_pt)

    @property
    def column_count(self) -> int:
        return len(self.widths_cm)

    def covered(self) -> set[tuple[int, int]]:
        """Every position hidden under a merge (not the first cell of its range)."""
        hidden: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in self.merges:
            hidden.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1))
        return hidden


def departments_named(report: Report, names: list[str] | None):
    if names is None:
        return None
    return [d for d in report.departments if d.name in names]


def _numeric_text(value: Any) -> str:
    """A kept number as plain digits (20, 85.5; never 1e+20 or 85.50000001)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _serial(text: str) -> Cell:
    if text.isdigit():
        return Cell(text, "serial", int(text), align="center")
    return Cell(text, align="center")


def value_cell(column: Column, row: Row, template: Template, text: str, positions: dict[str, int]) -> Cell:
    """The cell of ``column`` in an entry's row: its kept value and number format, or text."""
    from ..rows import cell_value

    align = column.align
    if row.entry is None:
        return Cell("", align=align)
    if column.type == "serial":
        cell = _serial(text)
        cell.align = align
        return cell
    value = cell_value(column, row.entry, template)
    if column.type == "computed":
        numerator, denominator = template.column(column.numerator), template.column(column.denominator)
        ratio = Ratio(positions[column.numerator], positions[column.denominator],
                      100 if numerator.type == "percent" else 1, 100 if denominator.type == "percent" else 1)
        return Cell(text, "ratio", None if value is None else value / 100, align=align,
                    decimals=column.decimals, ratio=ratio)
    if value is None or isinstance(value, str) and column.type != "date":
        return Cell(clean_text(text), align=align)  # empty, text, or a text amount (由其他項目下勻支)
    if column.type == "money":
        return Cell(text, "money", int(value), align=align)
    if column.type == "integer":
        return Cell(text, "integer", int(value), align=align)
    if column.type == "percent":
        return Cell(text, "percent", value / 100, align=align, decimals=column.decimals)
    if column.type == "date":
        try:
            return Cell(text, "date", datetime.date.fromisoformat(value), align=align)
        except (TypeError, ValueError):
            return Cell(clean_text(text), align=align)
    return Cell(clean_text(text), align=align)


def _stacked_choices(column: Column, ticked) -> str:
    """■市庫負擔 / □補助款 one a line, for a column too narrow for them side by side (a sheet
    wraps CJK text anywhere: ■市庫負擔 □補 / 助款)."""
    return "\n".join(("■" if name in ticked else "□") + name for name in column.choices)


def _spread(heights: list[float], first: int, last: int, needed: float) -> None:
    have = sum(heights[first:last + 1])
    if needed > have:
        extra = (needed - have) / (last - first + 1)
        for r in range(first, last + 1):
            heights[r] += extra


def _height_pt(lines: float) -> float:
    return min(round(LINE_PT * lines + ROW_PADDING_PT, 2), MAX_ROW_PT)


def _title_rows(plan: SheetPlan, columns: int) -> list[float]:
    plan.cells[(TITLE_ROW - 1, 0)] = Cell(plan.title, style="title", align="center", bold=True)
    plan.cells[(OFFICE_ROW - 1, 0)] = Cell(plan.office, style="office", align="center")
    if columns > 1:
        plan.merges += [(TITLE_ROW - 1, 0, TITLE_ROW - 1, columns - 1), (OFFICE_ROW - 1, 0, OFFICE_ROW - 1, columns - 1)]
    width_em = capacity_em(sum(plan.widths_cm))
    return [LINE_PT * TITLE_PT / FONT_PT * line_count(plan.title, width_em * FONT_PT / TITLE_PT) + ROW_PADDING_PT,
            LINE_PT * line_count(plan.office, width_em) + ROW_PADDING_PT]


def _office_line(report: Report, values: dict[str, str]) -> str:
    """Row 2: the office and the cover's other lines (年度, 出版年月), so that a sheet says what its
    cover says and an import reads them back (「嘉義市東區區公所　中華民國 114 年 3 月」)."""
    template = report.template
    office = clean_text(report.office)
    lines = [clean_text(line) for line in template.cover_lines(values) if clean_text(line)]
    if office and office not in lines and office not in clean_text(template.title_text(values)):
        lines.insert(0, office)
    return "　".join(lines) or office


def plan_sheet(report: Report, departments: list[str] | None = None) -> SheetPlan:
    """The sheet of a report of a non-default template (see the module docstring)."""
    template = report.template
    values = text_values(report)
    width = TABLE_WIDTH_CM.get(template.orientation, TABLE_WIDTH_CM["portrait"])
    if template.layout == "narrative":
        widths = [width]
    else:
        parts = template.table_columns
        total = sum(part.width for part in parts) or len(parts)
        widths = [width * (part.width or (total / len(parts))) / total for part in parts]
    plan = SheetPlan(name=sheet_names([template.name], reserved=())[0], widths_cm=widths,
                     orientation=template.orientation, running_header=clean_text(template.running_header_text(values)),
                     title=clean_text(template.title_text(values)), office=_office_line(report, values))
    heights = _title_rows(plan, len(widths))
    chosen = departments_named(report, departments)
    if template.layout == "narrative":
        _narrative(plan, report, chosen, heights)
    else:
        _table(plan, report, chosen, heights)
    plan.heights_pt = [min(round(h, 2), MAX_ROW_PT) for h in heights]
    return plan


def _narrative(plan: SheetPlan, report: Report, chosen, heights: list[float]) -> None:
    template = report.template
    capacity = capacity_em(plan.widths_cm[0])
    heads = len(template.levels)
    r = len(heights)
    plan.bordered_from = r + 1  # nothing is bordered: it is prose
    for block in blocks(report, chosen):
        if isinstance(block, Heading):
            text, indent, bold = clean_text(block.text), block.depth, True
        else:
            if block.entry is None:
                continue
            text, bold = clean_text(block.cells[0]), False
            indent = heads + max(block.entry.level - 1, 0)
        plan.cells[(r, 0)] = Cell(text, style="heading" if bold else "body", indent=indent, bold=bold)
        heights.append(LINE_PT * line_count(text, max(1.0, capacity - indent * INDENT_EM)) + ROW_PADDING_PT)
        r += 1


def _header(plan: SheetPlan, parts: list[Level | Column], top: int, heights: list[float]) -> int:
    """The header rows from ``top``; returns how many (one, or two with groups)."""
    headings = [part.heading or part.name if isinstance(part, Level) else part.heading for part in parts]
    groups = [part.group for part in parts]
    two = any(groups)
    c = 0
    while c < len(parts):
        if two and groups[c]:
            end = c
            while end + 1 < len(parts) and groups[end + 1] == groups[c]:
                end += 1
            plan.cells[(top, c)] = Cell(groups[c], style="header", align="center")
            if end > c:
                plan.merges.append((top, c, top, end))
            for k in range(c, end + 1):
                plan.cells[(top + 1, k)] = Cell(headings[k], style="header", align="center")
            c = end + 1
            continue
        plan.cells[(top, c)] = Cell(headings[c], style="header", align="center")
        if two:
            plan.merges.append((top, c, top + 1, c))
        c += 1
    count = 2 if two else 1
    lines = [1.0] * count
    for (r, c), cell in plan.cells.items():
        if top <= r < top + count:
            span_width = plan.widths_cm[c]
            for r1, c1, r2, c2 in plan.merges:
                if (r1, c1) == (r, c):
                    span_width = sum(plan.widths_cm[c1:c2 + 1])
            needed: float = line_count(cell.text, capacity_em(span_width))
            if (top, c, top + 1, c) in plan.merges:
                needed = needed / 2
            lines[r - top] = max(lines[r - top], needed)
    heights += [LINE_PT * n + ROW_PADDING_PT for n in lines]
    plan.header_rows = (top, top + count - 1)
    return count


def _table(plan: SheetPlan, report: Report, chosen, heights: list[float]) -> None:
    template = report.template
    parts = template.table_columns
    column_levels = [part for part in parts if isinstance(part, Level)]
    offset = len(column_levels)
    positions = {column.key: offset + k for k, column in enumerate(template.columns)}
    capacities = [capacity_em(w) for w in plan.widths_cm]
    top = len(heights)
    plan.bordered_from = top
    _header(plan, parts, top, heights)
    r = len(heights)
    runs: dict[int, list[int]] = {}  # column level → [first row, last row] of the range being merged
    closed: list[tuple[int, int, int, str]] = []  # column, first, last, text

    def close(c: int) -> None:
        run = runs.pop(c, None)
        if run is not None:
            closed.append((c, run[0], run[1], plan.cells[(run[0], c)].text))

    for block in blocks(report, chosen):
        if isinstance(block, Heading):
            for c in list(runs):
                close(c)
            text = clean_text(block.text)
            plan.cells[(r, 0)] = Cell(text, style="heading", indent=block.depth, bold=True)
            if len(parts) > 1:
                plan.merges.append((r, 0, r, len(parts) - 1))
            heights.append(LINE_PT * line_count(text, max(1.0, capacity_em(sum(plan.widths_cm)) - block.depth * INDENT_EM))
                           + ROW_PADDING_PT)
            r += 1
            continue
        lines = 1.0
        for c, level in enumerate(column_levels):
            if block.first[c] or c not in runs:
                close(c)
                plan.cells[(r, c)] = Cell(clean_text(block.cells[c]), style="level", align=level.align)
                runs[c] = [r, r]
            else:
                runs[c][1] = r
        for k, column in enumerate(template.columns):
            c = offset + k
            cell = value_cell(column, block, template, block.cells[c], positions)
            if column.type == "choice" and cell.text and line_count(cell.text, capacities[c]) > 1:
                cell.text = _stacked_choices(column, row_values(block.entry, template).get(column.key) or ())
            plan.cells[(r, c)] = cell
            lines = max(lines, line_count(cell.text, capacities[c]))
        heights.append(LINE_PT * lines + ROW_PADDING_PT)
        r += 1
    for c in list(runs):
        close(c)
    for c, first, last, text in closed:
        if last > first:
            plan.merges.append((first, c, last, c))
        needed = LINE_PT * line_count(text, capacities[c]) + ROW_PADDING_PT * (last - first + 1)
        _spread(heights, first, last, needed)


# --- CSV ------------------------------------------------------------------------------


def csv_header(template: Template) -> list[str]:
    """業務, 策略績效目標 … then every column's heading (a narrative: 層級, 內容)."""
    names = [level.name for level in template.levels]
    if template.layout == "narrative":
        return names + ["層級", "內容"]
    return names + [column.heading for column in template.columns]


def csv_value(column: Column, row: Row, template: Template, text: str) -> str:
    """One field as data: a serial its number, money plain digits, choices the ticked names
    joined with 、, a percent its number, a computed column the rounded percentage, a date ISO."""
    from ..rows import cell_value

    if column.type in ("serial", "text", "unit", "numbered_text"):
        return clean_text(text)
    value = cell_value(column, row.entry, template)
    if value is None:
        return ""
    if column.type == "computed":
        return format_percent(value, column.decimals).rstrip("%")
    if isinstance(value, str):
        return clean_text(value)
    if column.type == "choice":
        return "、".join(value)
    if column.type in ("money", "integer", "percent"):
        return _numeric_text(value)
    return clean_text(str(value))


def csv_rows(report: Report, departments: list[str] | None = None) -> Iterator[list[str]]:
    """The CSV rows (without the header) of a non-default template: one per entry."""
    template = report.template
    number_of = numbers(report, template)
    for block in blocks(report, departments_named(report, departments)):
        if not isinstance(block, Row) or block.entry is None:
            continue
        levels = [clean_text(number_of.get(node.id, "") + title_of(node)) for node in block.path]
        levels += [""] * (len(template.levels) - len(levels))
        if template.layout == "narrative":
            yield levels + [str(block.entry.level), clean_text(block.cells[-1])]
            continue
        offset = len(block.cells) - len(template.columns)
        yield levels + [csv_value(column, block, template, block.cells[offset + k])
                        for k, column in enumerate(template.columns)]
