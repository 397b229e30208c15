"""Report templates (issue 19): how an office lays its report out, as data.

A :class:`Template` says what the report's tree and table look like:

* ``levels`` — the hierarchy from the top down (類 › 項 › 目 in 東區's report;
  壹 部門 › 部分 › 甲 業務 › 一 › (一) in a city's 施政報告), each with its name,
  its numbering (a system of :data:`app.numbering.NUMBER_SYSTEMS` and a
  punctuation of :data:`app.numbering.PUNCTUATION`), its restart rule
  (``parent``: 1 again under every parent; ``never``: one count through the
  report) and how it shows: a merged ``column`` of the table (類, 項, 目) or a
  ``heading`` above the rows (壹、民政業務 of the budget table);
* ``columns`` — the fields of one entry (one row of the table), each with a
  key, a heading, a type (:data:`COLUMN_TYPES`), a width in hundredths of the
  table width, an alignment and what the type needs (choices, the numbered
  text's own levels 1. (1), the two columns a computed ratio divides);
* ``layout`` (``table`` or ``narrative`` — headings and paragraphs), page
  ``orientation``, the cover and running-header texts (patterns with
  ``{office}``, ``{roc_year}``, ``{published}``) and the 目錄.

Templates are immutable values; ``to_dict``/``from_dict`` give the ``.awt``
file format (JSON, resources/schema/template.schema.json, checked with
jsonschema on every load; a bad file is one zh-TW :class:`ReportError`
naming the file and the problem).  The four built-ins are data in
resources/templates/*.awt; :func:`default_template` is 「區公所年度工作總報告」,
which describes exactly what app/layout.py and app/numbering.py do today
(tests/test_templates.py proves the labels equal, through
app.layout.template_numbers).  This module knows templates only, not reports
(app.model holds a report's template, so it may not import the model back):
numbering a report's tree by a template and the texts of a report are
app/layout.py's ``template_numbers`` and ``text_values``.

The value rules per column type are pure functions here (money with thousands
separators, ROC dates, percentages, choices shown as ■/□, computed ratios).

Everything follows the template: the report file and the JSON carry it, the
window's tree, table and editors, validation, search, 校對, every exporter and
the importers read it, packages merge per column, rollover keeps it, and
app/templates_change.py changes it as one undoable step (docs/templates.md).
A report under a template is laid out by app/rows.py.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import string
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import ReportError, os_reason, shown
from .numbering import PUNCTUATION, NumberingStyle, format_number
from .resources import resource_path
from .schemacheck import first_problem

FORMAT_NAME = "workreport-template"
FORMAT_VERSION = 1
TEMPLATE_SUFFIX = ".awt"
MAX_TEMPLATE_BYTES = 1024 * 1024
TEMPLATE_SCHEMA_JSON = ("schema", "template.schema.json")
TEMPLATES_DIR = ("templates",)

DEFAULT_TEMPLATE_NAME = "區公所年度工作總報告"
# The built-ins, in the order they are listed (resources/templates/<file>).
BUILTIN_FILES = ("district-annual.awt", "budget-execution.awt", "policy-narrative.awt", "performance-kpi.awt")

RESTARTS = ("parent", "never")
DISPLAYS = ("column", "heading")
ALIGNS = ("left", "center", "right")
LAYOUTS = ("table", "narrative")
ORIENTATIONS = ("portrait", "landscape")
COLUMN_TYPES: dict[str, str] = {
    "numbered_text": "編號文字（1. (1) 依位置編號）",
    "text": "文字",
    "serial": "項次（依位置編號）",
    "percent": "百分比",
    "money": "金額（千分位）",
    "integer": "整數",
    "date": "日期（民國）",
    "choice": "選項（■／□）",
    "unit": "單位名稱",
    "computed": "計算（兩欄之比，以百分比顯示）",
}
NUMERIC_TYPES = ("percent", "money", "integer", "computed")
#: The report model's node kinds a template's levels are, from the top.
LEVEL_KINDS = ("department", "section", "item")
#: The deepest numbered text (一、 (一) 1. (1)); the report file allows entry levels 0–4.
MAX_TEXT_LEVELS = 4
#: Column keys that are an entry's own fields (the default template's three), and the types they may have.
ENTRY_FIELD_TYPES = {"text": ("text", "numbered_text"), "completion": ("percent",), "remark": ("text",)}
#: Keys no column may take (the entry's other attributes).
RESERVED_KEYS = ("id", "level")
PLACEHOLDERS = ("office", "roc_year", "published")


# --- the model -----------------------------------------------------------------


@dataclass(frozen=True)
class NumberFormat:
    """One level's numbers: a system (壹 / 一 / 甲 / 1 / A / none) and its punctuation (、 . （） ())."""

    system: str = "arabic"
    punctuation: str = "."

    def format(self, n: int) -> str:
        return format_number(n, self.system, self.punctuation)

    @property
    def pattern(self) -> str:
        """As a NumberingStyle format string (``{n}、``), for the default layout."""
        return PUNCTUATION[self.punctuation]


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy (類, 項, 目, 部分, 甲 …)."""

    key: str
    name: str
    numbering: NumberFormat
    restart: str = "parent"
    display: str = "column"  # a merged column of the table, or a heading above its rows
    heading: str = ""  # the column heading when display == "column" (類)
    width: int = 0  # hundredths of the table width (display == "column")
    align: str = "left"
    group: str = ""  # a heading over several adjacent columns (計畫名稱 over 類 項 目)
    may_be_unnumbered: bool = False  # a lone 目 without (一) (民防團業務)
    divider_page: bool = False  # a page with the spaced name before each (民 政 部 門)


@dataclass(frozen=True)
class Column:
    """One field of an entry (a row of the table)."""

    key: str
    heading: str
    type: str
    width: int = 0
    align: str = "left"
    group: str = ""  # a heading over several adjacent columns (預算執行情形 over 預算金額 執行金額)
    levels: tuple[NumberFormat, ...] = ()  # numbered_text: 1. then (1); serial: one
    restart: str = "parent"  # serial: 1 again under every parent, or one count
    choices: tuple[str, ...] = ()
    multiple: bool = False  # choice: several may be ticked (■市庫負擔 ■補助款)
    allow_text: bool = False  # money/integer/percent: free text such as 「由其他項目下勻支」 is kept as typed
    minimum: float | None = None
    maximum: float | None = None
    numerator: str = ""  # computed: numerator / denominator, as a percent
    denominator: str = ""
    decimals: int = 0  # percent / computed: digits after the point when shown


@dataclass(frozen=True)
class Cover:
    title: str = "{roc_year} 年度工作總報告"
    lines: tuple[str, ...] = ("{office}", "{published}")


@dataclass(frozen=True)
class Contents:
    """The 目錄: its title and how its lines number the top level (一、民政部門)."""

    title: str = "{roc_year} 年度工作總報告目錄"
    numbering: NumberFormat = NumberFormat("chinese", "、")


@dataclass(frozen=True)
class Template:
    name: str
    levels: tuple[Level, ...]
    columns: tuple[Column, ...]
    description: str = ""
    layout: str = "table"
    orientation: str = "portrait"
    cover: Cover = field(default_factory=Cover)
    running_header: str = "{office} {roc_year} 年度工作總報告"
    contents: Contents = field(default_factory=Contents)

    # --- lookups ---

    @property
    def level_kinds(self) -> tuple[str, ...]:
        """The report model's node kind of each level, from the top (the model has three:
        department › section › item; a template has one to three levels)."""
        return LEVEL_KINDS[: len(self.levels)]

    @property
    def implicit_kinds(self) -> tuple[str, ...]:
        """The model's levels below the template's last one: every node of the last level
        holds exactly one untitled node of each, made with it, never shown."""
        return LEVEL_KINDS[len(self.levels):]

    def level_of(self, kind: str) -> Level | None:
        """The template level a node of ``kind`` is, or None (an implicit level, or an entry)."""
        kinds = self.level_kinds
        return self.levels[kinds.index(kind)] if kind in kinds else None

    @property
    def text_column(self) -> Column | None:
        """The numbered text column (辦理情形, 內容), whose value is the entry's text and level."""
        return next((c for c in self.columns if c.type == "numbered_text"), None)

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """The columns whose values an entry keeps (not serial numbers, not computed ratios)."""
        return tuple(c for c in self.columns if c.type not in ("serial", "computed"))

    @property
    def value_columns(self) -> tuple[Column, ...]:
        """The stored columns kept in ``Entry.values`` (not the entry's own text/completion/remark)."""
        return tuple(c for c in self.stored_columns if c.key not in ENTRY_FIELD_TYPES)

    @property
    def max_entry_level(self) -> int:
        """The deepest level an entry may have: the numbered text's levels (1. (1) → 2); 1 without one."""
        text = self.text_column
        return len(text.levels) if text is not None else 1

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def table_columns(self) -> list[Level | Column]:
        """What the table shows from left to right: the column levels, then the entry columns."""
        return [level for level in self.levels if level.display == "column"] + list(self.columns)

    @property
    def is_default(self) -> bool:
        """The layout of 「區公所年度工作總報告」 (the only one the editor and exporters follow today)."""
        if self is default_template():
            return True
        return json.dumps(_structure(self), ensure_ascii=False, sort_keys=True) == _default_structure()

    def numbering_style(self) -> NumberingStyle:
        """The default layout's NumberingStyle for this template (three levels, a numbered text of two)."""
        text = next((c for c in self.columns if c.type == "numbered_text"), None)
        if len(self.levels) != 3 or text is None or len(text.levels) != 2:
            raise ValueError(f"template {self.name!r} is not in the 類 › 項 › 目 layout")
        department, section, item = (level.numbering for level in self.levels)
        return NumberingStyle(self.name, self.name, department.pattern, section.pattern, item.pattern,
                              text.levels[0].pattern, text.levels[1].pattern)

    # --- texts (values: app.layout.text_values(report)) ---

    def title_text(self, values: Mapping[str, str]) -> str:
        return render_text(self.cover.title, values)

    def cover_lines(self, values: Mapping[str, str]) -> list[str]:
        return [render_text(line, values) for line in self.cover.lines]

    def running_header_text(self, values: Mapping[str, str]) -> str:
        return render_text(self.running_header, values)

    def contents_title(self, values: Mapping[str, str]) -> str:
        return render_text(self.contents.title, values)

    # --- files ---

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _structure(template: Template) -> dict[str, Any]:
    data = to_dict(template)
    for key in ("name", "description"):
        data.pop(key, None)
    return data


# --- numbering a tree -------------------------------------------------------------


def number_levels(levels: Sequence[Level], nodes: Iterable[tuple[int, bool]]) -> list[str]:
    """The number of each node of a tree given in document order as ``(depth, numbered)``.

    Depth 0 is ``levels[0]``.  A level restarting at ``parent`` counts 1 again
    after every node of a shallower depth; ``never`` counts through the whole
    tree.  An unnumbered node (``numbered`` False) gets "" and does not count.
    """
    counts = [0] * len(levels)
    numbers: list[str] = []
    for depth, numbered in nodes:
        for deeper in range(depth + 1, len(levels)):
            if levels[deeper].restart == "parent":
                counts[deeper] = 0
        if not numbered:
            numbers.append("")
            continue
        counts[depth] += 1
        numbers.append(levels[depth].numbering.format(counts[depth]))
    return numbers


def numbered_text_numbers(column: Column, levels: Iterable[int]) -> list[str]:
    """A numbered text column's numbers for the entries of one node (levels 0 = paragraph, 1, 2 …).

    As app.numbering.entry_numbers: level 1 counts through the node (a plain
    paragraph between does not restart it), level 2 restarts after every level 1."""
    counts = [0] * len(column.levels)
    numbers = []
    for level in levels:
        if level <= 0 or level > len(column.levels):
            numbers.append("")
            continue
        for deeper in range(level, len(counts)):
            counts[deeper] = 0
        counts[level - 1] += 1
        numbers.append(column.levels[level - 1].format(counts[level - 1]))
    return numbers


# --- texts with placeholders --------------------------------------------------------


def render_text(pattern: str, values: Mapping[str, str]) -> str:
    """A cover or header pattern with {office}, {roc_year} and {published} filled in
    (``values``: app.layout.text_values(report))."""
    return pattern.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def _placeholder_problem(pattern: str) -> str | None:
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return "大括號不成對（文字中的 { } 請寫成 {{ }}）"
    unknown = [name if not (spec or conv) else f"{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}"
               for name, spec, conv in fields if name not in PLACEHOLDERS or spec or conv]
    if unknown:
        return f"有未知的代入欄位{shown('{' + unknown[0] + '}')}（可用 {{office}}、{{roc_year}}、{{published}}）"
    return None


# --- values per column type (pure functions) -----------------------------------------


class ValueProblem(ValueError):
    """A typed value that does not fit its column; ``str()`` is one zh-TW line."""


@dataclass(frozen=True)
class Checked:
    """A typed value as its column keeps it (``value``) and shows it (``text``), or the problem."""

    value: Any
    text: str
    problem: str | None = None


def _plain(text: str) -> str:
    """Full-width digits, signs and separators (１２３，％) as ASCII; spaces out."""
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text))


_MONEY = re.compile(r"^[-]?(?:\d{1,3}(?:,\d{3})+|\d+)$")
_MAX_DIGITS = 24  # a number longer than any budget (and than int() or Decimal will take as typed)


def parse_money(text: str) -> int:
    """``1,234,567`` / ``1234567`` / ``１，２３４`` / ``1,234 元`` → 1234567 (whole 元)."""
    probe = _plain(text)
    for unit in ("元", "NT$", "$"):
        probe = probe.replace(unit, "")
    if not _MONEY.match(probe) or len(probe) > _MAX_DIGITS:
        raise ValueProblem(f"{shown(text)}不是金額（整數，可用千分位逗號，如 1,234,567）")
    return int(probe.replace(",", ""))


def format_money(value: int) -> str:
    """1234567 → ``1,234,567`` (no 元, as the published tables show it)."""
    return f"{value:,}"


def parse_integer(text: str) -> int:
    probe = _plain(text)
    if not _MONEY.match(probe) or len(probe) > _MAX_DIGITS:
        raise ValueProblem(f"{shown(text)}不是整數")
    return int(probe.replace(",", ""))


def parse_percent(text: str) -> float:
    """``85`` / ``85%`` / ``８５％`` / ``85.5 %`` → 85.0 (the percentage, not the fraction)."""
    probe = _plain(text).rstrip("%")
    try:
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", probe) or len(probe) > _MAX_DIGITS:
            raise ValueError
        return float(probe)
    except ValueError:
        raise ValueProblem(f"{shown(text)}不是百分比（如 85 或 85%）") from None


def format_percent(value: float, decimals: int = 0) -> str:
    """85.0 → ``85%``; with decimals=1, 85.25 → ``85.3%`` (half up, not banker's)."""
    from decimal import ROUND_HALF_UP, Decimal

    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded}%"


_ROC_DATE = re.compile(r"^(?:民國|中華民國)?(\d{1,4})[年/.\-](\d{1,2})[月/.\-](\d{1,2})日?$")
_ROC_COMPACT = re.compile(r"^(\d{2,3})(\d{2})(\d{2})$")  # 1100305


def parse_roc_date(text: str) -> datetime.date:
    """``110年3月5日`` / ``民國110年3月5日`` / ``110/3/5`` / ``110.03.05`` / ``1100305`` → 2021-03-05.
    A year past 1911 is read as a Western year (``2021/3/5``)."""
    probe = _plain(text)
    match = _ROC_DATE.match(probe) or _ROC_COMPACT.match(probe)
    if not match:
        raise ValueProblem(f"{shown(text)}不是日期（如 110年3月5日 或 110/3/5）")
    year, month, day = (int(part) for part in match.groups())
    if year <= 1911:
        year += 1911
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{shown(text)}不是存在的日期") from None


def format_roc_date(value: datetime.date) -> str:
    """2021-03-05 → ``110年3月5日``."""
    if value.year <= 1911:
        raise ValueProblem(f"{value.isoformat()} 在民國紀元之前")
    return f"{value.year - 1911}年{value.month}月{value.day}日"


def parse_choice(column: Column, text: str) -> tuple[str, ...]:
    """The ticked choices: a choice's name (``市庫負擔``), several with 、 or ，, or the
    box form ``■市庫負擔 □補助款`` (☑ ☒ ✓ ✔ before a name count as ticked too)."""
    probe = text.strip()
    ticked: list[str] = []
    if any(mark in probe for mark in "■□☐☑☒✓✔"):
        for match in re.finditer(r"([■☑☒✓✔])\s*([^■□☐☑☒✓✔\s]+)", probe):
            ticked.append(match.group(2))
    else:
        ticked = [part for part in re.split(r"[、，,；;\s]+", probe) if part]
    unknown = [name for name in ticked if name not in column.choices]
    if unknown:
        raise ValueProblem(f"{shown(unknown[0])}不是「{column.heading}」的選項（{'、'.join(column.choices)}）")
    if len(ticked) > 1 and not column.multiple:
        raise ValueProblem(f"「{column.heading}」只能選一項")
    return tuple(name for name in column.choices if name in ticked)


def format_choice(column: Column, value: Sequence[str]) -> str:
    """``■市庫負擔 □補助款``: every choice with its box."""
    return " ".join(("■" if name in value else "□") + name for name in column.choices)


def compute(column: Column, values: Mapping[str, Any]) -> float | None:
    """A computed column's percentage: numerator / denominator × 100; None when either
    is missing, not a number or the denominator is 0."""
    top, bottom = values.get(column.numerator), values.get(column.denominator)
    if not isinstance(top, (int, float)) or not isinstance(bottom, (int, float)) or isinstance(top, bool) \
            or isinstance(bottom, bool) or bottom == 0:
        return None
    return top / bottom * 100


def _in_range(column: Column, number: float, text: str) -> str | None:
    if column.minimum is not None and number < column.minimum:
        return f"「{column.heading}」的值 {shown(text, quote=False)} 小於 {column.minimum:g}"
    if column.maximum is not None and number > column.maximum:
        return f"「{column.heading}」的值 {shown(text, quote=False)} 大於 {column.maximum:g}"
    return None


def _looks_numeric(text: str) -> bool:
    """Only digits, separators, signs and units: a number typed wrong (「12,34」, 「1.2.3」), not words."""
    return bool(re.fullmatch(r"[-+]?[0-9,.%$\s元NT]*[0-9][0-9,.%$\s元NT]*", _plain(text)))


def check_value(column: Column, text: str) -> Checked:
    """What a typed ``text`` becomes in ``column``: the value kept, the text shown, or the problem.

    Empty text is an empty value (None) for every type.  Serial and computed
    columns are never typed."""
    if column.type in ("serial", "computed"):
        return Checked(None, "", f"「{column.heading}」由程式產生，不能輸入")
    if column.type in ("text", "numbered_text"):
        return Checked(text, text)
    stripped = text.strip()
    if not stripped:
        return Checked(None, "")
    if column.type == "unit":
        if "\n" in stripped:
            return Checked(None, text, f"「{column.heading}」是單位名稱，不能分行")
        return Checked(stripped, stripped)
    try:
        if column.type == "money":
            number: float = parse_money(stripped)
            shown_text = format_money(int(number))
        elif column.type == "integer":
            number = parse_integer(stripped)
            shown_text = format_money(int(number))  # 1,530: thousands separators as for money
        elif column.type == "percent":
            number = parse_percent(stripped)
            if number == int(number) and column.decimals == 0:
                number = int(number)
            shown_text = format_percent(number, column.decimals)
        elif column.type == "date":
            date = parse_roc_date(stripped)
            return Checked(date, format_roc_date(date))
        elif column.type == "choice":
            ticked = parse_choice(column, stripped)
            return Checked(ticked, format_choice(column, ticked))
        else:  # pragma: no cover - from_dict refuses unknown types
            raise ValueError(column.type)
    except ValueProblem as problem:
        if column.allow_text and column.type in ("money", "integer", "percent") and not _looks_numeric(stripped):
            return Checked(stripped, stripped)  # 「由其他項目下勻支」 (but 「12,34」 is a mistyped number)
        return Checked(None, text, str(problem))
    problem_text = _in_range(column, number, stripped)
    if problem_text:
        return Checked(None, text, problem_text)
    return Checked(number, shown_text)


def kept_value(column: Column, value: Any) -> Any:
    """``value`` as an entry keeps it in ``column`` (what the file, the JSON and the undo
    stack hold): None when empty; text as str; money/integer as int; percent as int or
    float; a date as ISO ``2021-03-05``; choices as a tuple in the template's order; with
    ``allow_text`` a numeric column keeps text too.  A value that does not fit raises
    :class:`ValueProblem` (one zh-TW line)."""
    if value is None or value == "" or value == () or value == []:
        return None
    what = f"「{column.heading}」"
    if column.type in ("serial", "computed"):
        raise ValueProblem(f"{what}由程式產生，不能存值")
    if column.type in ("text", "numbered_text", "unit"):
        if not isinstance(value, str):
            raise ValueProblem(f"{what}的值必須是文字")
        return value
    if column.type == "date":
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise ValueProblem(f"{what}的值必須是日期（如 2021-03-05）")
    if column.type == "choice":
        if isinstance(value, str) or not isinstance(value, (list, tuple)) \
                or not all(isinstance(name, str) for name in value):
            raise ValueProblem(f"{what}的值必須是選項的清單")
        unknown = [name for name in value if name not in column.choices]
        if unknown:
            raise ValueProblem(f"{shown(unknown[0])}不是{what}的選項（{'、'.join(column.choices)}）")
        if len(set(value)) > 1 and not column.multiple:
            raise ValueProblem(f"{what}只能選一項")
        return tuple(name for name in column.choices if name in value)
    # money, integer, percent
    if isinstance(value, str):
        if column.allow_text:
            return value
        raise ValueProblem(f"{what}的值必須是數字")
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or (column.type != "percent" and not isinstance(value, int)):
        raise ValueProblem(f"{what}的值必須是{'數字' if column.type == 'percent' else '整數'}")
    if isinstance(value, float) and value != value:  # NaN
        raise ValueProblem(f"{what}的值必須是數字")
    problem = _in_range(column, value, f"{value:g}" if isinstance(value, float) else str(value))
    if problem:
        raise ValueProblem(problem)
    return int(value) if isinstance(value, float) and value.is_integer() and column.decimals == 0 else value


def json_value(value: Any) -> Any:
    """A kept value as JSON holds it (a tuple of choices as a list)."""
    return list(value) if isinstance(value, tuple) else value


def format_value(column: Column, value: Any, row: Mapping[str, Any] | None = None) -> str:
    """A kept value as the column shows it (computed columns from the other values of ``row``)."""
    if column.type == "computed":
        result = compute(column, row or {})
        return "" if result is None else format_percent(result, column.decimals)
    if value is None:
        return ""
    if column.type == "date" and isinstance(value, str):
        try:
            return format_roc_date(datetime.date.fromisoformat(value))
        except (ValueError, ValueProblem):
            return value
    if isinstance(value, str):
        return value
    if column.type in ("money", "integer"):
        return format_money(int(value))
    if column.type == "percent":
        return format_percent(value, column.decimals)
    if column.type == "date":
        return format_roc_date(value)
    if column.type == "choice":
        return format_choice(column, value)
    return str(value)


# --- the file format --------------------------------------------------------------


def _number_format_dict(numbering: NumberFormat) -> dict[str, str]:
    return {"system": numbering.system, "punctuation": numbering.punctuation}


def to_dict(template: Template) -> dict[str, Any]:
    """The ``.awt`` JSON of a template (every field written, defaults included)."""
    levels = []
    for level in template.levels:
        levels.append({
            "key": level.key, "name": level.name, "numbering": _number_format_dict(level.numbering),
            "restart": level.restart, "display": level.display, "heading": level.heading, "width": level.width,
            "align": level.align, "group": level.group, "may_be_unnumbered": level.may_be_unnumbered,
            "divider_page": level.divider_page,
        })
    columns = []
    for column in template.columns:
        data: dict[str, Any] = {"key": column.key, "heading": column.heading, "type": column.type,
                                "width": column.width, "align": column.align, "group": column.group}
        if column.type in ("numbered_text", "serial"):
            data["levels"] = [_number_format_dict(n) for n in column.levels]
        if column.type == "serial":
            data["restart"] = column.restart
        if column.type == "choice":
            data["choices"] = list(column.choices)
            data["multiple"] = column.multiple
        if column.type in ("money", "integer", "percent"):
            data["allow_text"] = column.allow_text
            data["minimum"] = column.minimum
            data["maximum"] = column.maximum
        if column.type == "computed":
            data["numerator"] = column.numerator
            data["denominator"] = column.denominator
        if column.type in ("percent", "computed"):
            data["decimals"] = column.decimals
        columns.append(data)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": template.name,
        "description": template.description,
        "layout": template.layout,
        "orientation": template.orientation,
        "levels": levels,
        "columns": columns,
        "cover": {"title": template.cover.title, "lines": list(template.cover.lines)},
        "running_header": template.running_header,
        "contents": {"title": template.contents.title, "numbering": _number_format_dict(template.contents.numbering)},
    }


def _number_format(data: Mapping[str, Any]) -> NumberFormat:
    return NumberFormat(data["system"], data["punctuation"])


def from_dict(data: Any, path: str | os.PathLike[str] | None = None) -> Template:
    """A template from its ``.awt`` JSON, checked: the schema first, then the rules the schema
    cannot say (unique keys, widths adding up to 100, computed columns naming numeric columns)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ReportError(f"不是工作總報告的範本檔（format 應為 \"{FORMAT_NAME}\"）", path)
    if data.get("version") != FORMAT_VERSION:
        raise ReportError(
            f"範本格式版本 {shown(json.dumps(data.get('version'), ensure_ascii=False), quote=False)} 不受支援"
            f"（本程式支援版本 {FORMAT_VERSION}）", path)
    problem = first_problem(TEMPLATE_SCHEMA_JSON, data, prefix="範本的 ")
    if problem is not None:
        raise ReportError(problem, path)
    return _build(data, path)


def _build(data: Mapping[str, Any], path: str | os.PathLike[str] | None = None) -> Template:
    """The template of schema-valid data (the bundled files are checked by the tests, not at
    every start: importing jsonschema alone costs a start-up some 200 ms)."""
    levels = tuple(
        Level(
            key=level["key"], name=level["name"], numbering=_number_format(level["numbering"]),
            restart=level.get("restart", "parent"), display=level.get("display", "column"),
            heading=level.get("heading", ""), width=level.get("width", 0), align=level.get("align", "left"),
            group=level.get("group", ""), may_be_unnumbered=level.get("may_be_unnumbered", False),
            divider_page=level.get("divider_page", False),
        )
        for level in data["levels"]
    )
    columns = tuple(
        Column(
            key=column["key"], heading=column["heading"], type=column["type"], width=column.get("width", 0),
            align=column.get("align", "left"), group=column.get("group", ""),
            levels=tuple(_number_format(n) for n in column.get("levels", ())),
            restart=column.get("restart", "parent"), choices=tuple(column.get("choices", ())),
            multiple=column.get("multiple", False), allow_text=column.get("allow_text", False),
            minimum=column.get("minimum"), maximum=column.get("maximum"),
            numerator=column.get("numerator", ""), denominator=column.get("denominator", ""),
            decimals=column.get("decimals", 0),
        )
        for column in data["columns"]
    )
    cover = data.get("cover") or {}
    contents = data.get("contents") or {}
    template = Template(
        name=data["name"], description=data.get("description", ""), layout=data.get("layout", "table"),
        orientation=data.get("orientation", "portrait"), levels=levels, columns=columns,
        cover=Cover(cover.get("title", Cover.title), tuple(cover.get("lines", Cover.lines))),
        running_header=data.get("running_header", Template.running_header),
        contents=Contents(contents.get("title", Contents.title),
                          _number_format(contents["numbering"]) if "numbering" in contents else Contents().numbering),
    )
    problem = _rule_problem(template)
    if problem:
        raise ReportError(problem, path)
    return template


def _rule_problem(template: Template) -> str | None:
    keys: set[str] = set()
    for where, key in [*((f"levels 的「{lv.name}」", lv.key) for lv in template.levels),
                       *((f"columns 的「{c.heading}」", c.key) for c in template.columns)]:
        if key in keys:
            return f"範本中有兩個欄位或層級都叫{shown(key)}（{where}）；key 不能重複"
        keys.add(key)
    if not 1 <= len(template.levels) <= len(LEVEL_KINDS):
        return f"範本要有一到 {len(LEVEL_KINDS)} 層（目前 {len(template.levels)} 層）"
    by_key = {c.key: c for c in template.columns}
    for column in template.columns:
        if column.key in RESERVED_KEYS:
            return f"欄位「{shown(column.heading, quote=False)}」的 key 不能是 {shown(column.key)}"
        if column.key in ENTRY_FIELD_TYPES and column.type not in ENTRY_FIELD_TYPES[column.key]:
            return (f"欄位「{shown(column.heading, quote=False)}」的 key {shown(column.key)} 只能用於"
                    f"{'、'.join(ENTRY_FIELD_TYPES[column.key])}類型")
        if column.key == "completion" and (column.minimum, column.maximum) != (0, 100):
            return f"欄位「{shown(column.heading, quote=False)}」（completion）的範圍必須是 0 到 100"
        if column.type == "numbered_text" and column.key != "text":
            return f"編號文字欄位「{shown(column.heading, quote=False)}」的 key 必須是 \"text\""
        if column.type == "numbered_text" and len(column.levels) > MAX_TEXT_LEVELS:
            return f"編號文字欄位「{shown(column.heading, quote=False)}」最多 {MAX_TEXT_LEVELS} 層編號"
        label = f"欄位「{shown(column.heading, quote=False)}」"
        if column.type == "numbered_text" and not column.levels:
            return f"範本的{label}是編號文字，需要至少一層編號（levels）"
        if column.type == "serial" and len(column.levels) != 1:
            return f"範本的{label}是項次，需要恰好一種編號（levels）"
        if column.type == "choice":
            if not column.choices:
                return f"範本的{label}是選項，需要列出選項（choices）"
            if len(set(column.choices)) != len(column.choices):
                return f"範本的{label}有重複的選項"
        if column.type == "computed":
            for part in (column.numerator, column.denominator):
                other = by_key.get(part)
                if other is None or other.type not in ("money", "integer", "percent"):
                    return f"範本的{label}要計算的{shown(part)}不是本範本的金額、整數或百分比欄位"
        if column.minimum is not None and column.maximum is not None and column.minimum > column.maximum:
            return f"範本的{label}最小值大於最大值"
    if sum(1 for c in template.columns if c.type == "numbered_text") > 1:
        return "範本只能有一個編號文字欄位"
    if template.layout == "table":
        widths = [part.width for part in template.table_columns]
        if sum(widths) != 100:
            return f"範本表格各欄寬度合計應為 100，實際為 {sum(widths)}"
    for where, pattern in (("封面標題", template.cover.title), *(("封面文字", line) for line in template.cover.lines),
                           ("頁首", template.running_header), ("目錄標題", template.contents.title)):
        problem = _placeholder_problem(pattern)
        if problem:
            return f"範本的{where}{problem}"
    return None


def loads(text: str, path: str | os.PathLike[str] | None = None) -> Template:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"範本檔的 JSON 格式錯誤（第 {exc.lineno} 行第 {exc.colno} 欄：{exc.msg}）", path) from None
    except (RecursionError, ValueError):
        raise ReportError("範本檔的 JSON 無法讀取（巢狀過深或數字位數過多）", path) from None
    return from_dict(data, path)


def read_template(path: str | os.PathLike[str]) -> Template:
    """A ``.awt`` file; one zh-TW ReportError naming the file for anything wrong with it."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ReportError("這是資料夾，不是範本檔", path)
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise ReportError("檔案過大，不像是範本檔", path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportError("找不到範本檔", path) from None
    except OSError as exc:
        raise ReportError(f"無法讀取範本檔（{os_reason(exc)}）", path) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportError("範本檔不是 UTF-8 編碼的 JSON", path) from None
    return loads(text, path)


def write_template(template: Template, path: str | os.PathLike[str]) -> None:
    from .fileio import atomic_output

    with atomic_output(Path(path)) as tmp:
        Path(tmp).write_text(template.dumps(), encoding="utf-8")


# --- the built-ins --------------------------------------------------------------------


@lru_cache(maxsize=None)
def _bundled(file_name: str) -> Template:
    path = resource_path(*TEMPLATES_DIR, file_name)
    return _build(json.loads(path.read_text(encoding="utf-8")), path)


def builtin_templates() -> tuple[Template, ...]:
    """The four templates shipped in resources/templates, in their listing order."""
    return tuple(_bundled(name) for name in BUILTIN_FILES)


def builtin_named(name: str) -> Template | None:
    wanted = name.strip()
    return next((t for t in builtin_templates() if t.name == wanted), None)


def default_template() -> Template:
    """「區公所年度工作總報告」: today's layout (app/layout.py, app/numbering.py); read once."""
    return _bundled(BUILTIN_FILES[0])


@lru_cache(maxsize=1)
def _default_structure() -> str:
    return json.dumps(_structure(default_template()), ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=1)
def default_dumps() -> str:
    """The default template's ``.awt`` text, as the report file stores it."""
    return default_template().dumps()


def find_template(name_or_path: str) -> Template:
    """A built-in by name, or a ``.awt`` file; a ReportError listing the built-ins otherwise."""
    template = builtin_named(name_or_path)
    if template is not None:
        return template
    if name_or_path.lower().endswith(TEMPLATE_SUFFIX) or os.sep in name_or_path or "/" in name_or_path:
        return read_template(name_or_path)
    names = "、".join(t.name for t in builtin_templates())
    raise ReportError(f"沒有名為{shown(name_or_path)}的範本（內建範本：{names}；或給 .awt 範本檔）")


def renamed(template: Template, name: str) -> Template:
    """A copy under another name (the start of an office's own template)."""
    return replace(template, name=name)
