"""Problems of a report: errors (must be fixed before publishing) and warnings.

Each problem names where it is (ids from the department down) so the GUI can
jump there and mark the cell, and says what is wrong in zh-TW.

A report of a non-default template (issue 19) is checked by its template
(:func:`_check_template`): the messages name the template's levels (業務,
策略績效目標) and columns (預算金額); a title left empty is an error; a row with
nothing in any stored column is a warning (``row-empty``); a value that does
not fit its column (app.templates.kept_value: a file edited elsewhere) is an
error (``value-invalid``), a value of a key the template has no column for a
warning (``value-orphan``); a computed column whose inputs are missing is no
problem (it shows empty).  The default template's rules below are unchanged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import layout
from .model import LEVEL_SUBITEM, Entry, Report, empty_value, get_field
from .places import EntryPlace, LevelPlace, walk
from .rows import items_of
from .templates import Template, ValueProblem, kept_value

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "錯誤", WARNING: "警告"}

# A 民國 year written in the text ("112 年", "112年度") later than the year
# after the report's: almost always a slip of the keyboard.
_ROC_YEAR = re.compile(r"(?<!\d)(\d{2,3})\s*年")


@dataclass(frozen=True)
class Problem:
    severity: str
    code: str
    message: str
    where: str  # 「壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆」
    node_id: str
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check(report: Report) -> list[Problem]:
    if not report.template.is_default:
        return _check_template(report, report.template)
    problems: list[Problem] = []
    add = problems.append
    if not report.office.strip():
        add(Problem(ERROR, "office-empty", "機關名稱空白", "報告", report.id, "office"))
    if not report.departments:
        add(Problem(ERROR, "report-empty", "報告沒有任何部門", "報告", report.id))
    for block in layout(report).departments:
        dep_where = block.label
        if not block.department.name.strip():
            add(Problem(ERROR, "title-empty", "部門名稱空白", dep_where, block.department.id, "name"))
        if not block.sections:
            add(Problem(WARNING, "department-empty", "部門沒有任何項", dep_where, block.department.id))
        for section_block in block.sections:
            sec_where = f"{dep_where} › {section_block.label}"
            if not section_block.section.title.strip():
                add(Problem(ERROR, "title-empty", "項的名稱空白", sec_where, section_block.section.id, "title"))
            if not section_block.items:
                add(Problem(WARNING, "section-empty", "項之下沒有任何目", sec_where, section_block.section.id))
            for item_block in section_block.items:
                item = item_block.item
                item_where = f"{sec_where} › {item_block.label}"
                if not item.title.strip():
                    add(Problem(ERROR, "title-empty", "目的名稱空白", item_where, item.id, "title"))
                if not item.entries:
                    add(Problem(WARNING, "item-empty", "目之下沒有任何辦理情形", item_where, item.id))
                for n, entry in enumerate(item.entries, start=1):
                    where = f"{item_where} › 第 {n} 筆"
                    if not entry.text.strip():
                        add(Problem(ERROR, "text-empty", "辦理情形空白", where, entry.id, "text"))
                    c = entry.completion
                    if c is not None and not (isinstance(c, int) and 0 <= c <= 100):
                        add(Problem(ERROR, "completion-range", f"完成程度 {c} 不在 0–100 之間", where, entry.id, "completion"))
                    elif c is not None and c < 100 and not entry.remark.strip():
                        add(Problem(WARNING, "remark-needed", f"完成程度 {c}% 未達 100%，請在備註說明原因", where, entry.id, "remark"))
                    if entry.level == LEVEL_SUBITEM and n == 1:
                        add(Problem(WARNING, "subitem-first", "子項 (1) 之前沒有項次", where, entry.id, "level"))
                    for match in _ROC_YEAR.finditer(entry.text):
                        year = int(match.group(1))
                        if report.roc_year and report.roc_year + 1 < year < 200:
                            add(Problem(WARNING, "roc-year", f"內文寫「{match.group(0)}」，晚於報告年度 {report.roc_year} 年，請確認年份", where, entry.id, "text"))
                            break
    return problems


def _roc_year_problem(report: Report, text: str) -> str | None:
    for match in _ROC_YEAR.finditer(text):
        year = int(match.group(1))
        if report.roc_year and report.roc_year + 1 < year < 200:
            return f"寫「{match.group(0)}」，晚於報告年度 {report.roc_year} 年，請確認年份"
    return None


def _check_template(report: Report, template: Template) -> list[Problem]:
    """The checks of a report of a non-default template (module docstring)."""
    problems: list[Problem] = []
    add = problems.append
    top = template.levels[0].name
    if not report.office.strip():
        add(Problem(ERROR, "office-empty", "機關名稱空白", "報告", report.id, "office"))
    if not report.departments:
        add(Problem(ERROR, "report-empty", f"報告沒有任何{top}", "報告", report.id))
    rows = "內容" if template.layout == "narrative" else "資料列"
    stored = template.stored_columns
    known = {column.key for column in template.columns}
    text_keys = [c.key for c in stored if c.type in ("text", "numbered_text")]
    has = {c.key for c in stored}
    last_level = 0
    for place in walk(report, template):
        if isinstance(place, LevelPlace):
            node, name = place.node, place.level.name
            field = "name" if node.kind == "department" else "title"
            if not str(getattr(node, field)).strip():
                add(Problem(ERROR, "title-empty", f"{name}的名稱空白", place.where, node.id, field))
            if place.is_last:
                if not any(item.entries for item in items_of(node)):
                    add(Problem(WARNING, "item-empty", f"{name}之下沒有任何{rows}", place.where, node.id))
            elif not node.children:
                below = template.levels[place.depth + 1].name
                add(Problem(WARNING, f"{node.kind}-empty", f"{name}之下沒有任何{below}", place.where, node.id))
            last_level = 0
            continue
        assert isinstance(place, EntryPlace)
        entry, where = place.entry, f"{place.where} › 第 {place.index} 筆"
        if _row_empty(entry, template):
            add(Problem(WARNING, "row-empty", "這一列各欄都沒有資料", where, entry.id))
        for column in stored:
            value = get_field(entry, column.key)
            if empty_value(value):
                continue
            try:
                kept_value(column, value)
            except ValueProblem as problem:
                add(Problem(ERROR, "value-invalid", str(problem), where, entry.id, column.key))
        for key in sorted(set(entry.values) - known):
            add(Problem(WARNING, "value-orphan", f"有範本沒有的欄位「{key}」的值，不會匯出", where, entry.id, key))
        if "completion" in has and "remark" in has:
            c = entry.completion
            if isinstance(c, int) and 0 <= c < 100 and not entry.remark.strip():
                heading = template.column("completion").heading
                add(Problem(WARNING, "remark-needed", f"{heading} {c}% 未達 100%，請在「{template.column('remark').heading}」說明原因",
                            where, entry.id, "remark"))
        text = template.text_column
        if text is not None:
            if entry.level > template.max_entry_level:
                add(Problem(ERROR, "level-range", f"「{text.heading}」的層級 {entry.level} 超過範本的 {template.max_entry_level} 層",
                            where, entry.id, "level"))
            elif entry.level >= 2 and entry.level > last_level + 1:
                shown_number = text.levels[entry.level - 1].format(1)
                add(Problem(WARNING, "subitem-first", f"「{shown_number}」之前沒有上一層的編號", where, entry.id, "level"))
            if entry.level:
                last_level = entry.level
        elif entry.level > 1:
            add(Problem(ERROR, "level-range", f"這一列的層級 {entry.level} 不在範本中", where, entry.id, "level"))
        for key in text_keys:
            value = get_field(entry, key)
            problem_text = _roc_year_problem(report, value) if isinstance(value, str) else None
            if problem_text:
                heading = template.column(key).heading
                add(Problem(WARNING, "roc-year", f"「{heading}」{problem_text}", where, entry.id, key))
    return problems


def _row_empty(entry: Entry, template: Template) -> bool:
    return all(empty_value(get_field(entry, column.key)) for column in template.stored_columns)


def summary(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
